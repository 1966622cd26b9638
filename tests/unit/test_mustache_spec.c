/*
 * The official Mustache spec (the YAML files in tests/spec/, read with yval): every
 * case is rendered and compared with its expected text.  Each spec file is
 * one Check test that names every failing case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "fs.h"
#include "tmpl.h"
#include "val.h"
#include "yval.h"
#include <check.h>

static const char *const files[] = {"comments.yml", "delimiters.yml",
                                    "interpolation.yml", "inverted.yml",
                                    "partials.yml", "sections.yml"};
static struct val *specs[sizeof files / sizeof files[0]];
static const struct val *all[1024];
static const char *all_file[1024];
static int nall;

static void
load(void)
{
    struct diag d;

    diag_init(&d, stderr);
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char *path = fs_join("tests/spec", files[f]);
        size_t len;
        char *text = fs_read(path, FS_MAX_FILE, &len, &d);
        if (text != NULL)
            specs[f] = yval_parse(text, len, path, 0, &d);
        const struct val *tests = val_get(specs[f], "tests");
        for (size_t i = 0; tests != NULL && i < tests->n && nall < 1024; i++) {
            all_file[nall] = files[f];
            all[nall++] = tests->items[i];
        }
        free(text);
        free(path);
    }
    diag_fini(&d);
}

/* Marks every node of v stable, as the site marks its summaries. */
static void
mark_stable(struct val *v)
{
    v->stable = true;
    for (size_t i = 0; (v->kind == VAL_LIST || v->kind == VAL_MAP) &&
                       i < v->n;
         i++)
        mark_stable(v->items[i]);
}

/* One spec case: _i indexes all[]. */
START_TEST(spec_case)
{
    const struct val *t = all[_i];
    const char *tname = val_text(val_get(t, "name"));
    const struct val *tmpl = val_get(t, "template");
    const struct val *partials = val_get(t, "partials");
    struct tmpl_set *set = tmpl_set_new();
    struct diag d;
    struct buf out;

    diag_init(&d, stderr);
    buf_init(&out);
    bool ok = tmpl_set_add(set, "main", tmpl->s, tmpl->len, tname, &d);
    for (size_t k = 0; ok && partials != NULL && k < partials->n; k++)
        ok = tmpl_set_add(set, partials->keys[k], partials->items[k]->s,
                          partials->items[k]->len, partials->keys[k], &d);
    ok = ok && tmpl_render(set, "main", val_get(t, "data"), &out, &d);
    const char *want = val_text(val_get(t, "expected"));
    ck_assert_msg(ok && strcmp(buf_str(&out), want) == 0,
                  "%s: '%s'\n  want: [%s]\n  got:  [%s]", all_file[_i], tname,
                  want, buf_str(&out));
    /* with every item stable and a memo: the first render fills it, the
     * second takes what it may from it; both are the spec's text */
    struct val *data = val_copy(val_get(t, "data"));
    struct tmpl_memo *memo = tmpl_memo_new();
    if (data != NULL)
        mark_stable(data);
    for (int pass = 0; pass < 2; pass++) {
        out.len = 0;
        ck_assert(tmpl_render_memo(set, "main", data, &out, &d, memo));
        ck_assert_msg(strcmp(buf_str(&out), want) == 0,
                      "%s: '%s' with a memo, render %d\n  want: [%s]\n"
                      "  got:  [%s]",
                      all_file[_i], tname, pass + 1, want, buf_str(&out));
    }
    tmpl_memo_free(memo);
    val_free(data);
    buf_fini(&out);
    tmpl_set_free(set);
    diag_fini(&d);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("mustache-spec");
    TCase *tc = tcase_create("spec");
    SRunner *sr;
    int failed;

    load();
    if (nall < 100) {
        fprintf(stderr, "spec: only %d cases found in tests/spec\n", nall);
        return EXIT_FAILURE;
    }
    tcase_add_loop_test(tc, spec_case, 0, nall);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++)
        val_free(specs[f]);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

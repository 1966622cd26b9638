/* Unit tests: buf, val and yval (YAML -> val). */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "val.h"
#include "xmem.h"
#include "yval.h"
#include "tcheck.h"

static struct val *
parse(const char *text, struct diag *d)
{
    return yval_parse(text, strlen(text), "t.yaml", 0, d);
}

START_TEST(buf_html_escapes_five_characters)
{
    struct buf b;

    buf_init(&b);
    buf_html(&b, "a<b>&\"c'", 8);
    ck_assert_str_eq(buf_str(&b), "a&lt;b&gt;&amp;&quot;c&#39;");
    buf_fini(&b);
}
END_TEST

START_TEST(yaml_scalars_resolve_as_yaml_1_1)
{
    struct diag d;
    diag_init(&d, NULL);
    struct val *v = parse("a: 1.210\nb: true\nc: ~\nd: '12'\ne: 2019-7-14 "
                          "16:34:58\nf: 010\n",
                          &d);
    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(val_get(v, "a")->kind, VAL_NUM);
    ck_assert_str_eq(val_get(v, "a")->s, "1.210");
    ck_assert_int_eq(val_get(v, "b")->kind, VAL_BOOL);
    ck_assert_int_eq(val_get(v, "c")->kind, VAL_NULL);
    ck_assert_int_eq(val_get(v, "d")->kind, VAL_STR);
    ck_assert_int_eq(val_get(v, "e")->kind, VAL_STR);
    ck_assert(val_get(v, "f")->num == 10);
    char tmp[32];
    val_fmt_num(1.21, tmp);
    ck_assert_str_eq(tmp, "1.21");
    val_free(v);
    diag_fini(&d);
}
END_TEST

START_TEST(yaml_duplicate_key_is_an_error_with_position)
{
    struct diag d;
    diag_init(&d, NULL);
    ck_assert_ptr_null(parse("title: a\ntags: x\ntitle: b\n", &d));
    ck_assert_str_eq(buf_str(&d.text), "t.yaml:3:1: error: duplicate key "
                                       "'title'; it was already set on line "
                                       "1\n");
    diag_fini(&d);
}
END_TEST

START_TEST(yaml_alias_is_refused)
{
    struct diag d;
    diag_init(&d, NULL);
    ck_assert_ptr_null(parse("a: &x [1, 2]\nb: [*x, *x]\n", &d));
    ck_assert_int_eq(diag_errors(&d), 1);
    ck_assert_ptr_nonnull(strstr(buf_str(&d.text), "t.yaml:2:5: error: YAML "
                                                   "alias '*x'"));
    diag_fini(&d);
}
END_TEST

START_TEST(yaml_tab_indent_gets_a_hint)
{
    struct diag d;
    diag_init(&d, NULL);
    ck_assert_ptr_null(parse("tags:\n\t- a\n", &d));
    ck_assert_ptr_nonnull(strstr(buf_str(&d.text), "t.yaml:2:1: error: "));
    ck_assert_ptr_nonnull(strstr(buf_str(&d.text), "tabs"));
    diag_fini(&d);
}
END_TEST

START_TEST(yaml_nesting_is_bounded)
{
    struct diag d;
    struct buf b;
    diag_init(&d, NULL);
    buf_init(&b);
    for (int i = 0; i < 10000; i++)
        buf_putc(&b, '[');
    ck_assert_ptr_null(parse(buf_str(&b), &d));
    ck_assert_ptr_nonnull(strstr(buf_str(&d.text), "nested deeper"));
    buf_fini(&b);
    diag_fini(&d);
}
END_TEST

/* A page's data made in a pool: the same values as without one, the
 * model's data it borrows untouched, and what was made outside the pool
 * but given to pooled data freed with it (LeakSanitizer checks that). */
START_TEST(pooled_data_reads_the_same_and_frees_what_it_owns)
{
    struct val *model = val_map();
    val_set_str(model, "title", "Three-way handshake");
    struct val *outside = val_str("made before the pool");
    struct arena pool = {.block = 256}; /* small: many blocks */
    struct arena *was = val_pool(&pool);

    ck_assert_ptr_null(was);
    struct val *page = val_map_sized(2);
    ck_assert(page->pooled);
    ck_assert(!outside->pooled && !model->pooled);
    val_set(page, "model", val_lend(model));
    val_set(page, "outside", outside);
    val_set(page, "url", val_str_cat("/blog/", "tcp/"));
    val_set(page, "taken", val_str_take(xstrdup("a malloc'd string")));
    val_set_num(page, "count", 3);
    val_set_bool(page, "yes", true);
    struct val *list = val_list();
    for (int i = 0; i < 100; i++) { /* grows past its first arrays */
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        val_set_str(page, key, key);
        val_push(list, val_copy(model));
    }
    val_set(page, "list", list);
    val_set_str(page, "url", "/replaced/");

    ck_assert_str_eq(val_get(page, "url")->s, "/replaced/");
    ck_assert_str_eq(val_get(page, "taken")->s, "a malloc'd string");
    ck_assert_str_eq(val_get(page, "count")->s, "3");
    ck_assert_str_eq(val_get(page, "k99")->s, "k99");
    ck_assert_uint_eq(list->n, 100);
    ck_assert_str_eq(val_get(list->items[42], "title")->s,
                     "Three-way handshake");
    ck_assert_str_eq(val_get(val_get(page, "model"), "title")->s,
                     "Three-way handshake");
    struct val *k5 = val_take(page, "k5");
    ck_assert_str_eq(k5->s, "k5");
    ck_assert_ptr_null(val_get(page, "k5"));
    val_free(k5);
    val_free(page); /* frees `outside`, which is not the pool's */
    ck_assert_ptr_eq(val_pool(was), &pool);
    arena_fini(&pool);
    ck_assert_ptr_null(pool.head);

    /* the model is as it was; without a pool, nothing is pooled */
    ck_assert_str_eq(val_get(model, "title")->s, "Three-way handshake");
    struct val *after = val_str("after");
    ck_assert(!after->pooled);
    val_free(after);
    val_free(model);
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(buf_html_escapes_five_characters),
    TCHECK_CASE(yaml_scalars_resolve_as_yaml_1_1),
    TCHECK_CASE(yaml_duplicate_key_is_an_error_with_position),
    TCHECK_CASE(yaml_alias_is_refused),
    TCHECK_CASE(yaml_tab_indent_gets_a_hint),
    TCHECK_CASE(yaml_nesting_is_bounded),
    TCHECK_CASE(pooled_data_reads_the_same_and_frees_what_it_owns),
};
TCHECK_MAIN("val", cases)

/* Unit tests: the Mustache engine's errors and limits (tmpl); the spec
 * itself is tests/unit/test_mustache_spec.c. */
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "tcheck.h"
#include "tmpl.h"
#include "val.h"

/* Compiles src as template "t" (and partials p, q when given), renders
 * it with a small context; returns the output or the first message. */
static char *
run(const char *src, const char *p, const char *q, bool *ok)
{
    static char out[4096];
    struct tmpl_set *set = tmpl_set_new();
    struct val *ctx = val_map(), *list = val_list();
    struct diag d;
    struct buf b;

    val_set_str(ctx, "title", "T<&>");
    val_push(list, val_str("a"));
    val_push(list, val_str("b"));
    val_set(ctx, "list", list);
    diag_init(&d, NULL);
    buf_init(&b);
    tmpl_set_strict(set, true);
    *ok = tmpl_set_add(set, "t", src, strlen(src), "t.html", &d);
    if (p != NULL)
        *ok &= tmpl_set_add(set, "p", p, strlen(p), "p.html", &d);
    if (q != NULL)
        *ok &= tmpl_set_add(set, "q", q, strlen(q), "q.html", &d);
    if (*ok)
        *ok = tmpl_render(set, "t", ctx, &b, &d);
    snprintf(out, sizeof out, "%s", *ok ? buf_str(&b) : buf_str(&d.text));
    buf_fini(&b);
    diag_fini(&d);
    val_free(ctx);
    tmpl_set_free(set);
    return out;
}

/* Found by fuzz_mustache: with the delimiters "{{" and ">", the '>' of
 * "{{>" closed the tag before its name began (a negative length). */
START_TEST(close_delimiter_is_looked_for_after_the_sigil)
{
    bool ok;
    const char *out = run("{{={{ >=}}[{{>p>]", "({{title}})", NULL, &ok);
    ck_assert_msg(ok, "%s", out);
    ck_assert_str_eq(out, "[(T&lt;&amp;&gt;)]");
    out = run("{{={{ >=}}{{>>", NULL, NULL, &ok);
    ck_assert(!ok);
    ck_assert_str_eq(out, "t.html:1:11: error: empty tag '{{>>'; put a name "
                          "in it\n");
}
END_TEST

START_TEST(unclosed_and_mismatched_sections_are_errors)
{
    bool ok;
    ck_assert_str_eq(run("a\n{{#list}}x", NULL, NULL, &ok),
                     "t.html:2:1: error: section 'list' is never closed; "
                     "add {{/list}}\n");
    ck_assert_str_eq(run("{{#a}}{{#b}}{{/a}}", NULL, NULL, &ok),
                     "t.html:1:13: error: 'a' does not close section 'b' "
                     "opened on line 1; close it with {{/b}} first\n");
    ck_assert_str_eq(run("{{/a}}", NULL, NULL, &ok),
                     "t.html:1:1: error: '{{/a}}' closes a section that was "
                     "never opened; remove it\n");
}
END_TEST

/* A standalone tag takes its line's white space and newline with it; the
 * message quoted them too, and broke the one-line form. */
START_TEST(messages_quote_a_standalone_tag_without_its_line_end)
{
    bool ok;
    ck_assert_str_eq(run("a\n  {{/x}}  \nb", NULL, NULL, &ok),
                     "t.html:2:3: error: '{{/x}}' closes a section that was "
                     "never opened; remove it\n");
    ck_assert_str_eq(run("a\n{{= x =}}\n", NULL, NULL, &ok),
                     "t.html:2:1: error: bad delimiter change '{{= x =}}'; "
                     "write it like {{=<% %>=}}\n");
    ck_assert_str_eq(run("{{{x}}", NULL, NULL, &ok),
                     "t.html:1:1: error: tag '{{{' is never closed; add "
                     "'}}}'\n");
}
END_TEST

/* A list section nested in itself multiplies: 2 items, 40 levels are
 * 2^40 visits.  The render stops after its step budget. */
START_TEST(sections_that_multiply_stop_with_an_error)
{
    char src[1024] = "";
    bool ok;

    for (int i = 0; i < 40; i++)
        strcat(src, "{{#list}}");
    strcat(src, "x");
    for (int i = 0; i < 40; i++)
        strcat(src, "{{/list}}");
    ck_assert_str_eq(run(src, NULL, NULL, &ok),
                     "t.html: error: rendering took more than 10000000 "
                     "steps or 512 MiB; is a list section nested inside "
                     "itself?\n");
    ck_assert(!ok);
}
END_TEST

START_TEST(recursive_partials_stop_with_an_error)
{
    bool ok;
    ck_assert_str_eq(run("{{>p}}", "x{{>q}}", "{{>p}}", &ok),
                     "q.html:1:1: error: partials nested deeper than 100; "
                     "does 'p' include itself?\n");
    ck_assert(!ok);
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(close_delimiter_is_looked_for_after_the_sigil),
    TCHECK_CASE(unclosed_and_mismatched_sections_are_errors),
    TCHECK_CASE(messages_quote_a_standalone_tag_without_its_line_end),
    TCHECK_CASE(recursive_partials_stop_with_an_error),
    TCHECK_CASE(sections_that_multiply_stop_with_an_error),
};
TCHECK_MAIN("tmpl", cases)

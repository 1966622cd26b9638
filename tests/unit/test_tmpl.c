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

/* Renders template "t" (partial "p" when given) on two pages, page 1
 * and page 2, each showing the list of the one item (its title set to
 * title1 and title2 before each render), with one memo or none. */
static void
two_pages(const char *src, const char *p, bool stable, bool memo,
          char out[2][256])
{
    struct tmpl_set *set = tmpl_set_new();
    struct tmpl_memo *m = memo ? tmpl_memo_new() : NULL;
    struct val *item = val_map();
    struct diag d;

    item->stable = stable;
    diag_init(&d, NULL);
    ck_assert(tmpl_set_add(set, "t", src, strlen(src), "t.html", &d));
    if (p != NULL)
        ck_assert(tmpl_set_add(set, "p", p, strlen(p), "p.html", &d));
    for (int pg = 0; pg < 2; pg++) {
        struct val *ctx = val_map(), *list = val_list();
        struct buf b;
        /* the item changes between the pages: a kept text shows it */
        val_set_str(item, "title", pg == 0 ? "title1" : "title2");
        val_push(list, item);
        val_set(ctx, "posts", list);
        val_set_num(ctx, "page", pg + 1);
        buf_init(&b);
        ck_assert(tmpl_render_memo(set, "t", ctx, &b, &d, m));
        snprintf(out[pg], 256, "%s", buf_str(&b));
        buf_fini(&b);
        list->n = 0; /* the item is lent to the list */
        val_free(ctx);
    }
    val_free(item);
    diag_fini(&d);
    tmpl_memo_free(m);
    tmpl_set_free(set);
}

START_TEST(memo_renders_a_stable_item_once)
{
    char out[2][256];

    two_pages("{{#posts}}<{{title}}>{{/posts}}", NULL, true, true, out);
    ck_assert_str_eq(out[0], "<title1>");
    ck_assert_str_eq(out[1], "<title1>"); /* the first page's text again */
    two_pages("{{#posts}}<{{title}}>{{/posts}}", NULL, true, false, out);
    ck_assert_str_eq(out[1], "<title2>"); /* no memo: rendered again */
    two_pages("{{#posts}}<{{title}}>{{/posts}}", NULL, false, true, out);
    ck_assert_str_eq(out[1], "<title2>"); /* not stable: rendered again */
}
END_TEST

/* A name the item does not have is looked up on the page: such an item's
 * text is the page's, and is not kept. */
START_TEST(memo_keeps_no_text_that_shows_the_page)
{
    char out[2][256];

    two_pages("{{#posts}}<{{title}} on {{page}}>{{/posts}}", NULL, true, true,
              out);
    ck_assert_str_eq(out[0], "<title1 on 1>");
    ck_assert_str_eq(out[1], "<title2 on 2>");
    /* nor one that a name found nowhere could change */
    two_pages("{{#posts}}{{title}}{{^gone}}!{{/gone}}{{/posts}}", NULL, true,
              true, out);
    ck_assert_str_eq(out[1], "title2!");
    /* a section inside the item that finds its names in its own items */
    two_pages("{{#posts}}{{#title}}[{{.}}]{{/title}}{{/posts}}", NULL, true,
              true, out);
    ck_assert_str_eq(out[1], "[title1]");
}
END_TEST

/* An indented standalone partial indents every line of the item: the
 * text is not kept there, and is the same as without a memo. */
START_TEST(memo_leaves_indented_partials_alone)
{
    char with[2][256], without[2][256];

    two_pages("  {{>p}}\n", "{{#posts}}a\n{{title}}\n{{/posts}}", true, true,
              with);
    two_pages("  {{>p}}\n", "{{#posts}}a\n{{title}}\n{{/posts}}", true, false,
              without);
    ck_assert_str_eq(with[0], "  a\n  title1\n");
    ck_assert_str_eq(with[1], without[1]);
}
END_TEST

START_TEST(each_of_the_five_is_escaped_wherever_it_is)
{
    static const char *const five[][2] = {{"&", "&amp;"}, {"<", "&lt;"},
                                          {">", "&gt;"}, {"\"", "&quot;"},
                                          {"'", "&#39;"}};
    char text[41], want[64];

    for (size_t c = 0; c < 5; c++) {
        for (size_t k = 0; k < 40; k++) {
            struct buf b;
            memset(text, 'x', 40);
            text[k] = five[c][0][0];
            text[40] = '\0';
            buf_init(&b);
            buf_html(&b, text, 40);
            memcpy(want, text, k);
            strcpy(want + k, five[c][1]);
            strcat(want, text + k + 1);
            ck_assert_str_eq(buf_str(&b), want);
            buf_fini(&b);
        }
    }
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(each_of_the_five_is_escaped_wherever_it_is),
    TCHECK_CASE(memo_renders_a_stable_item_once),
    TCHECK_CASE(memo_keeps_no_text_that_shows_the_page),
    TCHECK_CASE(memo_leaves_indented_partials_alone),
    TCHECK_CASE(close_delimiter_is_looked_for_after_the_sigil),
    TCHECK_CASE(unclosed_and_mismatched_sections_are_errors),
    TCHECK_CASE(messages_quote_a_standalone_tag_without_its_line_end),
    TCHECK_CASE(recursive_partials_stop_with_an_error),
    TCHECK_CASE(sections_that_multiply_stop_with_an_error),
};
TCHECK_MAIN("tmpl", cases)

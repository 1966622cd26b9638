/* Unit tests: Markdown rendering (md). */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "md.h"
#include "tcheck.h"

static struct md_result
render(const char *text, const char *root, struct diag *d)
{
    struct md_result r;

    ck_assert(md_render(text, strlen(text), "p.md", 5, root, &r, d));
    /* the length is the html's, also after {% raw %} blocks are put back */
    ck_assert_uint_eq(r.html_len, strlen(r.html));
    return r;
}

START_TEST(raw_html_img_survives_as_written)
{
    struct diag d;
    diag_init(&d, NULL);
    const char *img = "<img src=\"/images/x.png\" title=\"t\" width=\"600px\" "
                      "height=\"400px\">";
    struct md_result r = render(img, "/", &d);
    ck_assert_ptr_nonnull(strstr(r.html, img));
    ck_assert_uint_eq(r.nlinks, 1);
    ck_assert_str_eq(r.links[0].url, "/images/x.png");
    ck_assert_int_eq(r.links[0].line, 5);
    md_result_fini(&r);
    diag_fini(&d);
}
END_TEST

START_TEST(headings_get_unique_ids)
{
    struct diag d;
    diag_init(&d, NULL);
    struct md_result r = render("### TCP `FIN` *state*\n\n## Intro\n\n## Intro\n",
                                "/", &d);
    ck_assert_ptr_nonnull(strstr(r.html, "<h3 id=\"tcp-fin-state\">TCP "
                                         "<code>FIN</code> <em>state</em></h3>"));
    ck_assert_ptr_nonnull(strstr(r.html, "<h2 id=\"intro\">Intro</h2>"));
    ck_assert_ptr_nonnull(strstr(r.html, "<h2 id=\"intro-1\">Intro</h2>"));
    md_result_fini(&r);
    diag_fini(&d);
}
END_TEST

START_TEST(fenced_code_keeps_language_class)
{
    struct diag d;
    diag_init(&d, NULL);
    struct md_result r = render("```c\nint x;\n```\n", "/", &d);
    ck_assert_str_eq(r.html, "<pre><code class=\"language-c\">int x;\n"
                             "</code></pre>\n");
    md_result_fini(&r);
    diag_fini(&d);
}
END_TEST

START_TEST(excerpt_stops_at_more_marker_or_first_paragraph)
{
    struct diag d;
    diag_init(&d, NULL);
    struct md_result r = render("One.\n\nTwo.\n\n<!-- more -->\n\nThree.\n",
                                "/", &d);
    ck_assert(r.has_more);
    ck_assert_int_eq((int)r.excerpt_len, (int)strlen("<p>One.</p>\n<p>Two.</p>\n"));
    ck_assert_ptr_null(strstr(r.html, "more"));
    md_result_fini(&r);
    r = render("# T\n\nOne.\n\nTwo.\n", "/", &d);
    ck_assert(!r.has_more);
    ck_assert_str_eq(r.html + r.excerpt_len, "<p>Two.</p>\n");
    md_result_fini(&r);
    r = render("One.\n<!--more-->\n\nTwo.\n", "/", &d);
    ck_assert(r.has_more);
    md_result_fini(&r);
    diag_fini(&d);
}
END_TEST

START_TEST(headings_marks_and_raw_blocks_in_one_document)
{
    struct diag d;
    diag_init(&d, NULL);
    /* top-level headings get ids, quoted ones do not; the first
     * <!-- more --> ends the excerpt and every one is dropped; a raw
     * block alone in its paragraph stands for a block */
    struct md_result r = render("# Title\n\nIntro *x*.\n\n> ## Quoted\n\n"
                                "<!-- more -->\n\n"
                                "{% raw %}<div>r</div>{% endraw %}\n\n"
                                "## Title\n\n<!-- more -->\n\nEnd.\n",
                                "/", &d);
    const char *excerpt = "<h1 id=\"title\">Title</h1>\n"
                          "<p>Intro <em>x</em>.</p>\n"
                          "<blockquote>\n<h2>Quoted</h2>\n</blockquote>\n";
    ck_assert_str_eq(r.html, "<h1 id=\"title\">Title</h1>\n"
                             "<p>Intro <em>x</em>.</p>\n"
                             "<blockquote>\n<h2>Quoted</h2>\n</blockquote>\n"
                             "<div>r</div>\n"
                             "<h2 id=\"title-1\">Title</h2>\n"
                             "<p>End.</p>\n");
    ck_assert(r.has_more);
    ck_assert_uint_eq(r.excerpt_len, strlen(excerpt));
    md_result_fini(&r);
    /* no paragraph and no marker: no excerpt */
    r = render("## Only\n\n- a\n", "/", &d);
    ck_assert_str_eq(r.html, "<h2 id=\"only\">Only</h2>\n<ul>\n<li>a</li>\n</ul>\n");
    ck_assert_uint_eq(r.excerpt_len, 0);
    md_result_fini(&r);
    ck_assert_int_eq(d.warnings, 0);
    diag_fini(&d);
}
END_TEST

START_TEST(references_to_refused_characters_are_errors)
{
    /* what cmark decodes a reference to: allowed, or an error at the
     * reference (the body's first line is line 5) */
    static const struct {
        const char *text, *error;
    } cases[] = {
        {"a &#9; &#10; &#13; &#0; &#xA0; &#x1F600; &#65533;", NULL},
        {"`&#2;` in code\n\n    &#2; indented", NULL},
        {"x &#2; y", "p.md:5:3: error: '&#2;' is the control character U+0002"},
        {"one\ntwo &#x7f;", "p.md:6:5: error: '&#x7f;' is the control character U+007F"},
        {"&#X85;", "p.md:5:1: error: '&#X85;' is the control character U+0085"},
        {"&#xFDD0;", "p.md:5:1: error: '&#xFDD0;' is the noncharacter U+FDD0"},
        {"&#xFFFE;", "p.md:5:1: error: '&#xFFFE;' is the noncharacter U+FFFE"},
        {"&#x1FFFF;", "p.md:5:1: error: '&#x1FFFF;' is the noncharacter U+1FFFF"},
        {"\u00e9t\u00e9 [a](/x \"&#27;\")", "p.md:5:13: error: '&#27;' is the control character U+001B"},
        {"~~~ c&#1;\nint x;\n~~~", "p.md:5:6: error: '&#1;' is the control character U+0001"},
    };

    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct diag d;
        struct md_result r;
        diag_init(&d, NULL);
        ck_assert(md_render(cases[i].text, strlen(cases[i].text), "p.md", 5,
                            "/", &r, &d));
        if (cases[i].error == NULL)
            ck_assert_msg(diag_errors(&d) == 0, "%s: %s", cases[i].text,
                          buf_str(&d.text));
        else
            ck_assert_msg(diag_errors(&d) == 1 &&
                              strncmp(buf_str(&d.text), cases[i].error,
                                      strlen(cases[i].error)) == 0,
                          "%s: %s", cases[i].text, buf_str(&d.text));
        md_result_fini(&r);
        diag_fini(&d);
    }
}
END_TEST

START_TEST(hexo_raw_passes_through_and_other_tags_warn)
{
    struct diag d;
    diag_init(&d, NULL);
    struct md_result r = render("{% raw %}<b>*x*</b>{% endraw %}\n\n"
                                "Text {% katex %}a_1{% endkatex %}\n\n"
                                "```\n{% katex %}\n```\n",
                                "/", &d);
    ck_assert_ptr_nonnull(strstr(r.html, "<b>*x*</b>"));
    ck_assert_ptr_null(strstr(r.html, "<p><b>"));
    ck_assert_ptr_nonnull(strstr(r.html, "{% katex %}a_1{% endkatex %}"));
    ck_assert_int_eq(d.warnings, 1);
    ck_assert_str_eq(buf_str(&d.text),
                     "p.md:7:6: warning: Hexo tag plugin 'katex' is not "
                     "supported; left as text\n");
    md_result_fini(&r);
    diag_fini(&d);
}
END_TEST

START_TEST(site_relative_links_follow_a_base_path)
{
    struct diag d;
    diag_init(&d, NULL);
    struct md_result r = render("[a](/x/) [b](https://e.org/) ![c](/i.png)\n\n"
                                "<a href=\"/y/\">y</a>\n",
                                "/blog/", &d);
    ck_assert_ptr_nonnull(strstr(r.html, "href=\"/blog/x/\""));
    ck_assert_ptr_nonnull(strstr(r.html, "href=\"https://e.org/\""));
    ck_assert_ptr_nonnull(strstr(r.html, "src=\"/blog/i.png\""));
    ck_assert_ptr_nonnull(strstr(r.html, "href=\"/blog/y/\""));
    ck_assert_uint_eq(r.nlinks, 4);
    ck_assert_str_eq(r.links[3].url, "/y/");
    ck_assert_int_eq(r.links[3].line, 7);
    md_result_fini(&r);
    diag_fini(&d);
}
END_TEST

/* Found by fuzz_markdown: an unclosed {% endraw at the very end of a
 * buffer that is not NUL-terminated was searched past its end. */
START_TEST(endraw_at_the_end_of_the_buffer)
{
    const char src[] = "{% raw %}x{% endraw";
    size_t n = sizeof src - 1;
    char *text = malloc(n); /* no NUL after it: ASan sees any overread */
    struct diag d;
    struct md_result r;

    memcpy(text, src, n);
    diag_init(&d, NULL);
    ck_assert(md_render(text, n, "p.md", 1, "/", &r, &d));
    ck_assert_int_ge(d.warnings, 1); /* never closed: left as text */
    md_result_fini(&r);
    diag_fini(&d);
    free(text);
}
END_TEST

START_TEST(deep_nesting_finishes)
{
    struct diag d;
    struct buf b;
    diag_init(&d, NULL);
    buf_init(&b);
    for (int i = 0; i < 10000; i++)
        buf_puts(&b, "> ");
    buf_puts(&b, "deep\n");
    for (int i = 0; i < 10000; i++)
        buf_puts(&b, "- ");
    buf_puts(&b, "x\n");
    for (int i = 0; i < 50000; i++)
        buf_puts(&b, "*a");
    struct md_result r = render(buf_str(&b), "/", &d);
    ck_assert_ptr_nonnull(strstr(r.html, "deep"));
    md_result_fini(&r);
    buf_fini(&b);
    diag_fini(&d);
}
END_TEST

/* Found by fuzz_markdown: 0x02 and 0x03 written in a post were taken for
 * the placeholders of {% raw %} blocks, and the excerpt came out longer
 * than the page. */
START_TEST(placeholder_bytes_in_the_text_are_not_raw_blocks)
{
    struct diag d;
    diag_init(&d, NULL);
    struct md_result r =
        render("\x02" "blograw0\x03 and \x02" "blograw7\x03\n\n"
               "{% raw %}<b>kept</b>{% endraw %}\n\n```\n\x02" "blograw0"
               "\x03\n```\n",
               "/", &d);
    ck_assert_ptr_nonnull(strstr(r.html, "<b>kept</b>"));
    ck_assert_ptr_null(strstr(strstr(r.html, "<b>kept</b>") + 1, "<b>kept"));
    ck_assert_ptr_null(strchr(r.html, '\x02'));
    ck_assert_ptr_null(strchr(r.html, '\x03'));
    ck_assert_ptr_nonnull(strstr(r.html, "\xef\xbf\xbd" "blograw0"));
    ck_assert_uint_le(r.excerpt_len, strlen(r.html));
    md_result_fini(&r);
    diag_fini(&d);
}
END_TEST

/* Found by fuzz_markdown: the search for the "%}" after {% endraw ran
 * past the end of a text that is not NUL-terminated (ASan builds). */
START_TEST(text_is_read_only_up_to_its_length)
{
    static const char src[] = "{% raw %}x{% endraw %";
    char *text = malloc(sizeof src - 1);
    struct md_result r;
    struct diag d;

    memcpy(text, src, sizeof src - 1);
    diag_init(&d, NULL);
    ck_assert(md_render(text, sizeof src - 1, "p.md", 5, "/", &r, &d));
    ck_assert_int_eq(d.warnings, 1); /* never closed */
    md_result_fini(&r);
    diag_fini(&d);
    free(text);
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(raw_html_img_survives_as_written),
    TCHECK_CASE(headings_get_unique_ids),
    TCHECK_CASE(fenced_code_keeps_language_class),
    TCHECK_CASE(excerpt_stops_at_more_marker_or_first_paragraph),
    TCHECK_CASE(headings_marks_and_raw_blocks_in_one_document),
    TCHECK_CASE(references_to_refused_characters_are_errors),
    TCHECK_CASE(hexo_raw_passes_through_and_other_tags_warn),
    TCHECK_CASE(site_relative_links_follow_a_base_path),
    TCHECK_CASE(endraw_at_the_end_of_the_buffer),
    TCHECK_CASE(deep_nesting_finishes),
    TCHECK_CASE(placeholder_bytes_in_the_text_are_not_raw_blocks),
    TCHECK_CASE(text_is_read_only_up_to_its_length),
};
TCHECK_MAIN("md", cases)

/* Unit tests: front matter (fm), dates, terms, slugs, permalinks and
 * pagination (post). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fm.h"
#include "post.h"
#include "tcheck.h"

static struct post_date
date_ok(const char *s)
{
    struct post_date dt;
    char err[256] = "";

    ck_assert_msg(post_parse_date(s, &dt, err, sizeof err), "%s: %s", s, err);
    return dt;
}

static const char *
date_err(const char *s)
{
    static char err[256];
    struct post_date dt;

    ck_assert_msg(!post_parse_date(s, &dt, err, sizeof err), "%s parsed", s);
    return err;
}

START_TEST(hexo_date_with_one_digit_month_is_read_in_site_zone)
{
    ck_assert(post_set_zone("Asia/Shanghai"));
    struct post_date dt = date_ok("2019-7-14 16:34:58");
    ck_assert_int_eq(dt.year, 2019);
    ck_assert_int_eq(dt.month, 7);
    ck_assert_int_eq(dt.day, 14);
    ck_assert_int_eq(dt.hour, 16);
    ck_assert_int_eq(dt.offset, 8 * 3600);
    ck_assert_int_eq(dt.epoch, 1563093298); /* 08:34:58Z */
    char iso[32];
    post_date_rfc3339(&dt, iso);
    ck_assert_str_eq(iso, "2019-07-14T16:34:58+08:00");
}
END_TEST

START_TEST(date_forms_of_yaml_1_1)
{
    ck_assert(post_set_zone("UTC"));
    ck_assert_int_eq(date_ok("2019-07-14").epoch, 1563062400);
    ck_assert_int_eq(date_ok("2019-07-14T16:34:58").epoch, 1563122098);
    ck_assert_int_eq(date_ok("2019-07-14t16:34:58.25Z").epoch, 1563122098);
    ck_assert_int_eq(date_ok("2019-07-14 16:34:58 +08:00").epoch, 1563093298);
    ck_assert_int_eq(date_ok("2019-07-14 16:34:58-5").epoch, 1563140098);
    ck_assert_int_eq(date_ok("2019-7-4 6:04").epoch, 1563084240 - 86400 * 10 +
                                                       0);
    ck_assert_int_eq(date_ok("2020-2-29").day, 29);
    /* an explicit zone is shown in the site's zone */
    ck_assert(post_set_zone("Asia/Shanghai"));
    struct post_date dt = date_ok("2019-07-14T20:00:00Z");
    ck_assert_int_eq(dt.day, 15);
    ck_assert_int_eq(dt.hour, 4);
}
END_TEST

START_TEST(impossible_dates_are_refused_not_rolled_over)
{
    ck_assert_str_eq(date_err("2019-13-45"),
                     "impossible date '2019-13-45': there is no month 13; "
                     "months are 1 to 12");
    ck_assert_str_eq(date_err("2019-2-30"),
                     "impossible date '2019-2-30': 2019-02 has 28 days, "
                     "not 30");
    ck_assert_ptr_nonnull(strstr(date_err("2019-07-14 25:00"), "impossible time"));
    ck_assert_ptr_nonnull(strstr(date_err("yesterday"), "is not a date"));
    ck_assert_ptr_nonnull(strstr(date_err("2019-07-14 16:34:58 junk"),
                                 "is not a date"));
    date_err("2100-2-29"); /* not a leap year */
}
END_TEST

START_TEST(zones_are_offsets_not_names)
{
    ck_assert_str_eq(date_err("2019-07-14 10:00:00 +25:00"),
                     "impossible zone offset in '2019-07-14 10:00:00 "
                     "+25:00'; offsets run from -23:59 to +23:59");
    ck_assert_str_eq(date_err("2019-07-14 00:00:00 PST"),
                     "time zone 'PST' in '2019-07-14 00:00:00 PST' is not "
                     "understood; write an offset like +08:00 or -05:00, or "
                     "Z for UTC");
    date_ok("2019-07-14 10:00:00 -05:30");
}
END_TEST

/* zone.tab sits among the zones but is text: glibc read it as UTC */
START_TEST(site_zone_must_be_a_zone_file)
{
    ck_assert(!post_set_zone("zone.tab"));
    ck_assert(!post_set_zone("Asia"));
    ck_assert(!post_set_zone("../../etc/passwd"));
    ck_assert(!post_set_zone("Mars/Olympus"));
    ck_assert(post_set_zone("Europe/Paris"));
    ck_assert(post_set_zone("UTC"));
}
END_TEST

START_TEST(slugs_fold_everything_but_letters_and_digits)
{
    const char *cases[][2] = {
        {"TCP, IP", "tcp-ip"},
        {"  Why TCP: four-way?  ", "why-tcp-four-way"},
        {"C++", "c-plus-plus"},
        {"C#", "c-sharp"},
        {"Über Netze", "\xc3\x9c" "ber-netze"},
        {"!!!", ""},
        {"a+b#c", "a-plus-b-sharp-c"},
        {"--Mixed_CASE 42--", "mixed-case-42"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = post_slugify(cases[i][0]);
        ck_assert_str_eq(s, cases[i][1]);
        free(s);
    }
}
END_TEST

static struct val *
terms_of(const char *yaml, struct diag *d)
{
    struct fm fm;
    ck_assert(fm_parse(yaml, strlen(yaml), "p.md", &fm, d));
    struct val *t = post_terms(val_get(fm.data, "tags"), "tags", "p.md", d);
    fm_fini(&fm);
    return t;
}

START_TEST(tags_from_comma_string_block_and_flow_lists)
{
    struct diag d;
    diag_init(&d, NULL);
    const char *inputs[] = {"---\ntags: TCP, IP\n---\n",
                            "---\ntags:\n  - TCP\n  - IP\n---\n",
                            "---\ntags: [TCP, IP, tcp]\n---\n",
                            "---\ntags: TCP,, IP ,\n---\n"};
    for (size_t i = 0; i < 4; i++) {
        struct val *t = terms_of(inputs[i], &d);
        ck_assert_ptr_nonnull(t);
        ck_assert_uint_eq(t->n, 2);
        ck_assert_str_eq(t->items[0]->s, "TCP");
        ck_assert_str_eq(t->items[1]->s, "IP");
        val_free(t);
    }
    struct val *none = terms_of("---\ntitle: x\n---\n", &d);
    ck_assert_uint_eq(none->n, 0);
    val_free(none);
    ck_assert_int_eq(diag_errors(&d), 0);
    diag_fini(&d);
}
END_TEST

START_TEST(tags_as_a_map_is_an_error_at_its_position)
{
    struct diag d;
    diag_init(&d, NULL);
    ck_assert_ptr_null(terms_of("---\ntitle: x\ntags: {a: 1}\n---\n", &d));
    ck_assert_str_eq(buf_str(&d.text),
                     "p.md:3:1: error: 'tags' must be a list or a "
                     "comma-separated string, not a map; write 'tags: [a, "
                     "b]'\n");
    diag_fini(&d);
}
END_TEST

START_TEST(front_matter_split_bom_crlf_and_body_line)
{
    struct diag d;
    struct fm fm;
    const char *text = "\xef\xbb\xbf---\r\ntitle: Hi\r\n---\r\n\r\nBody\r\n";

    diag_init(&d, NULL);
    ck_assert(fm_parse(text, strlen(text), "p.md", &fm, &d));
    ck_assert_str_eq(val_get(fm.data, "title")->s, "Hi");
    ck_assert_int_eq(fm.body_line, 4);
    ck_assert_str_eq(fm.body, "\nBody\n");
    fm_fini(&fm);
    diag_fini(&d);
}
END_TEST

/* fm_parse_take(): a text with nothing to normalise is kept, not copied;
 * one with CRLF or a BOM is normalised into a copy and freed; a bad one
 * is freed too (LeakSanitizer checks both) */
START_TEST(front_matter_taken_kept_or_freed)
{
    struct diag d;
    struct fm fm;
    char *plain = strdup("---\ntitle: Hi\n---\nBody\n");
    char *crlf = strdup("\xef\xbb\xbf---\r\ntitle: Hi\r\n---\r\nBody\r\n");
    char *bad = strdup("---\ntitle: x\n");

    diag_init(&d, NULL);
    ck_assert(fm_parse_take(plain, strlen(plain), "p.md", &fm, &d));
    ck_assert_ptr_eq(fm.text, plain);
    ck_assert_str_eq(val_get(fm.data, "title")->s, "Hi");
    ck_assert_str_eq(fm.body, "Body\n");
    fm_fini(&fm);
    ck_assert(fm_parse_take(crlf, strlen(crlf), "p.md", &fm, &d));
    ck_assert_ptr_ne(fm.text, crlf);
    ck_assert_str_eq(val_get(fm.data, "title")->s, "Hi");
    ck_assert_str_eq(fm.body, "Body\n");
    fm_fini(&fm);
    ck_assert(!fm_parse_take(bad, strlen(bad), "p.md", &fm, &d));
    ck_assert_ptr_nonnull(strstr(buf_str(&d.text), "never closed"));
    diag_fini(&d);
}
END_TEST

START_TEST(front_matter_errors_have_positions)
{
    struct diag d;
    struct fm fm;
    const struct {
        const char *text, *err;
    } cases[] = {
        {"---\ntitle: x\n", "p.md:1:1: error: front matter opened here is "
                            "never closed; add a line '---' after it\n"},
        {"---\ntitle: a: b\n---\n",
         "p.md:2:9: error: invalid YAML: mapping values are not allowed in "
         "this context; quote the value if it contains ': '\n"},
        {"---\n- a\n- b\n---\n", "p.md:2:1: error: front matter must be keys "
                                 "and values (title: ...), not a list\n"},
        {"---\ntitle: \xff\n---\n", "p.md:2:8: error: invalid UTF-8 (byte "
                                    "0xff); save the file as UTF-8\n"},
        {"x\n\ny\0z", "p.md:3:2: error: NUL byte in the text; is this a "
                      "binary file?\n"},
        {"\xef\xbb\xbfok\x07", "p.md:1:3: error: control character U+0007 in "
                             "the text; remove it\n"},
        {"a\tb\r\nc\xc2\x9f", "p.md:2:2: error: control character U+009F "
                              "in the text; remove it\n"},
        {"---\ntitle: \"a\\0b\"\n---\n",
         "p.md:2:8: error: the value holds the character U+0000 (from an "
         "escape), which a page may not; remove it\n"},
        {"x\xef\xbf\xbe", "p.md:1:2: error: noncharacter U+FFFE in the "
                          "text; remove it\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = strlen(cases[i].text);
        if (i == 4)
            len = 7;
        diag_init(&d, NULL);
        ck_assert(!fm_parse(cases[i].text, len, "p.md", &fm, &d));
        ck_assert_str_eq(buf_str(&d.text), cases[i].err);
        diag_fini(&d);
    }
}
END_TEST

START_TEST(every_bad_byte_is_found_wherever_it_is)
{
    /* a bad byte at each place of a 100-byte text of lines of ten (tab,
     * CR and LF are allowed): found, and said where it is */
    static const char bad[] = {'\x07', '\x7f', '\0', '\x1b'};
    char text[101], want[64];

    for (size_t b = 0; b < sizeof bad; b++) {
        for (size_t k = 0; k < 100; k++) {
            struct diag d;
            diag_init(&d, NULL);
            for (size_t i = 0; i < 100; i++)
                text[i] = i % 10 == 9 ? '\n' : i % 10 == 4 ? '\t' : 'a';
            text[k] = bad[b];
            text[100] = '\0';
            ck_assert(fm_check_text(text, 100, "t.md", &d) == false);
            snprintf(want, sizeof want, "t.md:%zu:%zu: error: ", k / 10 + 1,
                     k % 10 + 1);
            ck_assert_msg(strncmp(buf_str(&d.text), want, strlen(want)) == 0,
                          "byte %zu at %zu: %s", b, k, buf_str(&d.text));
            diag_fini(&d);
        }
    }
    /* and none in a text that has none, of any length */
    for (size_t n = 0; n <= 100; n++) {
        struct diag d;
        diag_init(&d, NULL);
        for (size_t i = 0; i < n; i++)
            text[i] = i % 10 == 9 ? '\n' : i % 7 == 3 ? '\r' : 'b';
        ck_assert(fm_check_text(text, n, "t.md", &d));
        ck_assert_int_eq(diag_errors(&d), 0);
        diag_fini(&d);
    }
}
END_TEST

START_TEST(permalinks_expand_hexo_placeholders)
{
    char err[256];
    ck_assert(post_set_zone("UTC"));
    struct post_date dt = date_ok("2019-7-4 16:34:58");
    char *p = post_permalink(":year/:month/:day/:title/", &dt, "why-tcp",
                             NULL, err, sizeof err);
    ck_assert_str_eq(p, "2019/07/04/why-tcp/");
    free(p);
    p = post_permalink("/:category/:i_month-:i_day/:title", &dt, "x", "net",
                       err, sizeof err);
    ck_assert_str_eq(p, "net/7-4/x/");
    free(p);
    p = post_permalink("posts/:title.html", &dt, "x", NULL, err, sizeof err);
    ck_assert_str_eq(p, "posts/x.html");
    free(p);
    ck_assert_ptr_null(post_permalink(":yeer/:title/", &dt, "x", NULL, err,
                                      sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "unknown permalink placeholder ':yeer'"));
}
END_TEST

START_TEST(pagination_counts_and_urls)
{
    ck_assert_uint_eq(post_pages(0, 10), 1);
    ck_assert_uint_eq(post_pages(10, 10), 1);
    ck_assert_uint_eq(post_pages(11, 10), 2);
    ck_assert_uint_eq(post_pages(10000, 10), 1000);
    char *u = post_page_url("tags/tcp/", 1);
    ck_assert_str_eq(u, "tags/tcp/");
    free(u);
    u = post_page_url("", 3);
    ck_assert_str_eq(u, "page/3/");
    free(u);
    u = post_page_url("tags/tcp/", 1000);
    ck_assert_str_eq(u, "tags/tcp/page/1000/");
    free(u);
    u = post_page_url("", 10);
    ck_assert_str_eq(u, "page/10/");
    free(u);
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(hexo_date_with_one_digit_month_is_read_in_site_zone),
    TCHECK_CASE(date_forms_of_yaml_1_1),
    TCHECK_CASE(impossible_dates_are_refused_not_rolled_over),
    TCHECK_CASE(zones_are_offsets_not_names),
    TCHECK_CASE(site_zone_must_be_a_zone_file),
    TCHECK_CASE(slugs_fold_everything_but_letters_and_digits),
    TCHECK_CASE(tags_from_comma_string_block_and_flow_lists),
    TCHECK_CASE(tags_as_a_map_is_an_error_at_its_position),
    TCHECK_CASE(front_matter_split_bom_crlf_and_body_line),
    TCHECK_CASE(front_matter_errors_have_positions),
    TCHECK_CASE(every_bad_byte_is_found_wherever_it_is),
    TCHECK_CASE(front_matter_taken_kept_or_freed),
    TCHECK_CASE(permalinks_expand_hexo_placeholders),
    TCHECK_CASE(pagination_counts_and_urls),
};
TCHECK_MAIN("post", cases)

/* Unit tests: diag (messages in a compiler's form, one line each; --quiet;
 * subs merged in order, held for one write). */
#define _GNU_SOURCE /* fopencookie() */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "tcheck.h"

/* What was printed to f, from its start (a string the caller frees). */
static char *
printed(FILE *f)
{
    long n;

    fflush(f);
    n = ftell(f);
    ck_assert_int_ge(n, 0);
    char *s = calloc((size_t)n + 1, 1);
    ck_assert_ptr_nonnull(s);
    rewind(f);
    ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    return s;
}

START_TEST(test_forms)
{
    FILE *f = tmpfile();
    struct diag d;

    diag_init(&d, f);
    diag_error(&d, "a.md", 3, 7, "bad %s", "date");
    diag_warning(&d, "b.md", 2, 0, "odd");
    diag_error(&d, NULL, 0, 0, "no site");
    char *s = printed(f);
    ck_assert_str_eq(s, "a.md:3:7: error: bad date\n"
                        "b.md:2: warning: odd\n"
                        "blog: error: no site\n");
    ck_assert_str_eq(d.text.data, s);
    ck_assert_int_eq(diag_errors(&d), 2);
    ck_assert_int_eq(d.warnings, 1);
    free(s);
    diag_fini(&d);
    fclose(f);
}
END_TEST

/* a line break in a message would make two lines of one message */
START_TEST(test_one_line)
{
    FILE *f = tmpfile();
    struct diag d;

    diag_init(&d, f);
    diag_error(&d, "a.md", 1, 1, "title '%s' is odd", "two\nlines");
    char *s = printed(f);
    ck_assert_str_eq(s, "a.md:1:1: error: title 'two lines' is odd\n");
    free(s);
    diag_fini(&d);
    fclose(f);
}
END_TEST

START_TEST(test_quiet)
{
    FILE *f = tmpfile();
    struct diag d, sub;

    diag_init(&d, f);
    d.no_warnings = true;
    diag_warning(&d, "a.md", 1, 0, "first");
    diag_error(&d, "a.md", 2, 3, "an error");
    /* a sub's messages, merged: its warning is dropped too */
    diag_init_sub(&sub, &d);
    diag_warning(&sub, "c.md", 4, 0, "second");
    diag_error(&sub, "c.md", 5, 0, "another");
    diag_merge(&d, &sub);
    char *s = printed(f);
    ck_assert_str_eq(s, "a.md:2:3: error: an error\n"
                        "c.md:5: error: another\n");
    ck_assert_str_eq(d.text.data, s);
    ck_assert_int_eq(d.warnings, 2);
    ck_assert_int_eq(diag_errors(&d), 2);
    free(s);
    diag_fini(&sub);
    diag_fini(&d);
    fclose(f);
}
END_TEST

/* A stream that counts the writes it is given and keeps what they say. */
struct counted {
    int writes;
    char text[512];
    size_t len;
};

static ssize_t
counted_write(void *cookie, const char *p, size_t n)
{
    struct counted *c = cookie;

    c->writes++;
    ck_assert_uint_lt(c->len + n, sizeof c->text);
    memcpy(c->text + c->len, p, n);
    c->len += n;
    c->text[c->len] = '\0';
    return (ssize_t)n;
}

static FILE *
counted_open(struct counted *c)
{
    FILE *f = fopencookie(c, "w", (cookie_io_functions_t){
                                      .write = counted_write});
    ck_assert_ptr_nonnull(f);
    setvbuf(f, NULL, _IONBF, 0); /* as stderr: each fwrite() a write */
    return f;
}

START_TEST(held_merges_print_in_order_with_one_write)
{
    struct counted c = {0};
    FILE *f = counted_open(&c);
    struct diag d, sub[3];

    memset(&d, 0xff, sizeof d); /* diag_init() sets every field */
    memset(sub, 0xff, sizeof sub);
    diag_init(&d, f);
    for (int i = 0; i < 3; i++) {
        diag_init_sub(&sub[i], &d);
        diag_warning(&sub[i], "a.md", i + 1, 0, "sub %d", i);
    }
    ck_assert_int_eq(c.writes, 0); /* a sub prints nothing */
    diag_merge_held(&d, &sub[0]);
    diag_merge_held(&d, &sub[1]);
    ck_assert_int_eq(c.writes, 0);
    ck_assert_int_eq(d.warnings, 2);
    diag_flush(&d);
    ck_assert_int_eq(c.writes, 1);
    ck_assert_str_eq(c.text, "a.md:1: warning: sub 0\na.md:2: warning: sub 1\n");
    diag_flush(&d); /* nothing held: no write */
    ck_assert_int_eq(c.writes, 1);
    /* held, then a message of d's own: the held ones first */
    diag_merge_held(&d, &sub[2]);
    diag_error(&d, "b.md", 4, 2, "own");
    ck_assert_str_eq(c.text, "a.md:1: warning: sub 0\na.md:2: warning: sub 1\n"
                             "a.md:3: warning: sub 2\nb.md:4:2: error: own\n");
    ck_assert_str_eq(d.text.data, c.text);
    ck_assert_int_eq(d.warnings, 3);
    ck_assert_int_eq(diag_errors(&d), 1);
    /* merged and held at the end: printed by diag_fini() */
    diag_warning(&sub[0], "c.md", 5, 0, "last");
    diag_merge_held(&d, &sub[0]);
    diag_fini(&d);
    ck_assert(strstr(c.text, "c.md:5: warning: last\n") != NULL);
    /* reset: nothing held, nothing printed by a flush after it */
    int writes = c.writes;
    diag_init(&d, f);
    diag_warning(&sub[1], "d.md", 6, 0, "gone");
    diag_merge_held(&d, &sub[1]);
    diag_reset(&d);
    ck_assert_uint_eq(d.held, 0);
    diag_flush(&d);
    ck_assert_int_eq(c.writes, writes);
    diag_fini(&d);
    for (int i = 0; i < 3; i++)
        diag_fini(&sub[i]);
    fclose(f);
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(held_merges_print_in_order_with_one_write),
    TCHECK_CASE(test_forms),
    TCHECK_CASE(test_one_line),
    TCHECK_CASE(test_quiet),
};

TCHECK_MAIN("diag", cases)

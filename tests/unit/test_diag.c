/* Unit tests: diag (messages in a compiler's form, one line each; --quiet). */
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

static const struct tcheck_case cases[] = {
    TCHECK_CASE(test_forms),
    TCHECK_CASE(test_one_line),
    TCHECK_CASE(test_quiet),
};

TCHECK_MAIN("diag", cases)

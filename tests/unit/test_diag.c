/* Unit tests: diag (messages, and --quiet's warnings kept but not printed). */
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

START_TEST(test_quiet_keeps_warnings)
{
    FILE *f = tmpfile();
    struct diag d, sub;

    diag_init(&d, f);
    d.no_warnings = true;
    diag_warning(&d, "a.md", 1, 0, "first");
    diag_error(&d, "a.md", 2, 3, "an error: not a warning: it stays");
    /* a sub's messages, merged: its warning is not printed either */
    diag_init_sub(&sub, &d);
    diag_warning(&sub, "b: warning: c.md", 4, 0, "a path that looks like one");
    diag_error(&sub, "c.md", 5, 0, "second");
    diag_merge(&d, &sub);
    char *s = printed(f);
    ck_assert_str_eq(s, "a.md:2:3: error: an error: not a warning: it stays\n"
                        "c.md:5: error: second\n");
    ck_assert_int_eq(d.warnings, 2);
    ck_assert_int_eq(diag_errors(&d), 2);
    /* the text keeps them all, for a build without --quiet */
    ck_assert_ptr_nonnull(strstr(d.text.data, "a.md:1: warning: first\n"));
    ck_assert_ptr_nonnull(
        strstr(d.text.data, "b: warning: c.md:4: warning: a path"));
    free(s);
    diag_fini(&sub);
    diag_fini(&d);
    fclose(f);
}
END_TEST

/* kept text printed again (a replay): with and without --quiet */
START_TEST(test_print)
{
    const char *kept = "a.md:1: warning: w1\n"
                       "a.md:2:1: error: e1\n"
                       "blog: warning: w2\n";
    FILE *f = tmpfile(), *g = tmpfile();
    struct diag loud, quiet;

    diag_init(&loud, f);
    diag_init(&quiet, g);
    quiet.no_warnings = true;
    diag_print(&loud, kept, strlen(kept));
    diag_print(&quiet, kept, strlen(kept));
    char *a = printed(f), *b = printed(g);
    ck_assert_str_eq(a, kept);
    ck_assert_str_eq(b, "a.md:2:1: error: e1\n");
    free(a);
    free(b);
    diag_fini(&loud);
    diag_fini(&quiet);
    fclose(f);
    fclose(g);
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(test_forms),
    TCHECK_CASE(test_one_line),
    TCHECK_CASE(test_quiet_keeps_warnings),
    TCHECK_CASE(test_print),
};

TCHECK_MAIN("diag", cases)

/*
 * tcheck: the few lines every unit test binary shares.  A test file
 * defines its tests with START_TEST, lists them in a tcheck_case array and
 * ends with TCHECK_MAIN("module", cases).
 */
#ifndef TCHECK_H
#define TCHECK_H

#include <check.h>
#include <stdlib.h>

struct tcheck_case {
    const char *name;
    const TTest *const *test;
};

static inline int
tcheck_run(const char *suite_name, const struct tcheck_case *cases, size_t n)
{
    Suite *s = suite_create(suite_name);
    TCase *tc = tcase_create(suite_name);
    SRunner *sr;
    int failed;

    for (size_t i = 0; i < n; i++)
        tcase_add_test(tc, *cases[i].test);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#define TCHECK_CASE(fn) {#fn, &fn}
#define TCHECK_MAIN(name, cases)                                              \
    int main(void)                                                            \
    {                                                                         \
        return tcheck_run(name, cases, sizeof cases / sizeof cases[0]);       \
    }

#endif

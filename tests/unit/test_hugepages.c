/* Unit tests: hugepages (malloc's heaps advised for huge pages). */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hugepages.h"
#include "tcheck.h"

#define HEAP ((uintptr_t)64 << 20)

/* The mapping of this process that holds p, from /proc/self/smaps. */
struct mapping {
    uintptr_t lo, hi;
    char perms[8];
    bool huge; /* VmFlags has "hg": madvise(MADV_HUGEPAGE) */
};

static struct mapping
mapping_of(const void *p)
{
    struct mapping m = {0};
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    bool in = false;

    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3) {
            in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
            if (in) {
                m.lo = lo;
                m.hi = hi;
                memcpy(m.perms, perms, sizeof perms);
            }
        } else if (in && strncmp(line, "VmFlags:", 8) == 0) {
            m.huge = strstr(line, " hg") != NULL;
            break;
        }
    }
    fclose(f);
    ck_assert_uint_ne(m.lo, 0);
    return m;
}

#ifndef BLOG_SANITIZE
/* Whether the kernel gives huge pages on request (or to all). */
static bool
on_request(void)
{
    char buf[128] = "";
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

    if (f == NULL)
        return false;
    if (fgets(buf, sizeof buf, f) == NULL)
        buf[0] = '\0';
    fclose(f);
    return strstr(buf, "[madvise]") != NULL || strstr(buf, "[always]") != NULL;
}
#endif

struct seen {
    void *piece; /* a piece of the thread's own memory */
    struct mapping before, after;
    int heaps_after_once, heaps_after_twice;
};

/* In a thread of its own (glibc gives it an arena other than the main
 * one): memory taken, then hugepages_thread() called twice. */
static void *
thread_body(void *arg)
{
    struct seen *s = arg;
    void *keep[64];

    for (int i = 0; i < 64; i++)
        keep[i] = malloc(1024);
    s->piece = keep[63];
    s->before = mapping_of(s->piece);
    hugepages_thread();
    s->heaps_after_once = hugepages_heaps();
    s->after = mapping_of(s->piece);
    hugepages_thread();
    s->heaps_after_twice = hugepages_heaps();
    for (int i = 0; i < 64; i++)
        free(keep[i]);
    return NULL;
}

static void
run_thread(struct seen *s)
{
    pthread_t t;

    ck_assert_int_eq(pthread_create(&t, NULL, thread_body, s), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
}

START_TEST(thread_heap_opened_in_huge_pages)
{
    struct seen s = {0};

    unsetenv("BLOG_HUGEPAGES");
    bool started = hugepages_start();
    run_thread(&s);
#ifdef BLOG_SANITIZE
    /* the sanitizers' malloc: nothing to do */
    ck_assert(!started && !hugepages_on());
    ck_assert_int_eq(s.heaps_after_twice, 0);
#else
    if (!on_request()) {
        ck_assert(!started && !hugepages_on());
        ck_assert_int_eq(s.heaps_after_twice, 0);
        return;
    }
    ck_assert(started && hugepages_on());
    /* glibc's heap, not advised (opened whole or in part: glibc opens
     * M_TOP_PAD more than it needs, and hugepages_start() sets that) */
    uintptr_t heap = (uintptr_t)s.piece & ~(HEAP - 1);
    ck_assert_uint_eq(s.before.lo, heap);
    ck_assert(!s.before.huge);
    /* now the whole heap, readable and writable, in huge pages; done once */
    ck_assert_uint_eq(s.after.lo, heap);
    ck_assert_uint_eq(s.after.hi, heap + HEAP);
    ck_assert_str_eq(s.after.perms, "rw-p");
    ck_assert(s.after.huge);
    ck_assert_int_eq(s.heaps_after_once, 1);
    ck_assert_int_eq(s.heaps_after_twice, 1);
#endif
}
END_TEST

START_TEST(nothing_before_start)
{
    struct seen s = {0};

    run_thread(&s);
    ck_assert(!hugepages_on());
    ck_assert_int_eq(s.heaps_after_twice, 0);
    ck_assert_uint_eq(s.after.lo, s.before.lo);
    ck_assert_uint_eq(s.after.hi, s.before.hi);
    ck_assert(!s.after.huge);
}
END_TEST

START_TEST(main_heap_grown_and_advised)
{
    void *p = malloc(1024);

    unsetenv("BLOG_HUGEPAGES");
#ifdef BLOG_SANITIZE
    ck_assert(!hugepages_start());
    ck_assert(!mapping_of(p).huge);
#else
    struct mapping before = mapping_of(p);
    bool started = hugepages_start();
    struct mapping after = mapping_of(p);
    if (!on_request()) {
        ck_assert(!started);
        ck_assert_uint_eq(after.hi, before.hi);
        ck_assert(!after.huge);
        free(p);
        return;
    }
    ck_assert(started);
    /* the break: about 256 MiB more, all of it advised (in a mapping of its
     * own here: a forked process's break grows into a new one) */
    struct mapping grown = mapping_of((const void *)before.hi);
    ck_assert_uint_le(grown.lo, before.hi);
    ck_assert_uint_ge(grown.hi - before.hi, (uintptr_t)250 << 20);
    ck_assert(!before.huge);
    ck_assert(after.huge);
    ck_assert(grown.huge);
    /* the main thread's memory is the break's: no heap of its own */
    hugepages_thread();
    ck_assert_int_eq(hugepages_heaps(), 0);
#endif
    free(p);
}
END_TEST

START_TEST(nothing_with_blog_hugepages_0)
{
    void *p = malloc(1024);
    struct mapping before = mapping_of(p);

    setenv("BLOG_HUGEPAGES", "0", 1);
    ck_assert(!hugepages_start());
    ck_assert(!hugepages_on());
    struct mapping after = mapping_of(p);
    ck_assert_uint_eq(after.hi, before.hi);
    ck_assert(!after.huge);
    free(p);
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(thread_heap_opened_in_huge_pages),
    TCHECK_CASE(nothing_before_start),
    TCHECK_CASE(main_heap_grown_and_advised),
    TCHECK_CASE(nothing_with_blog_hugepages_0),
};
TCHECK_MAIN("hugepages", cases)

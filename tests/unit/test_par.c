/* Unit tests: par (par_for, and par_share: a run shared with a thread
 * that has work of its own). */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "par.h"
#include "tcheck.h"

#define N 5000

struct items {
    atomic_int count[N];
    atomic_int by_helper;    /* items the helper did */
    pthread_t owner;
    bool wait_for_helper;    /* the owner's first item waits until the
                                helper has done one */
    bool slow_helper;        /* the helper takes 200 us an item */
};

static void
do_item(void *arg, size_t i)
{
    struct items *it = arg;

    if (!pthread_equal(pthread_self(), it->owner)) {
        if (it->slow_helper)
            usleep(200);
        atomic_fetch_add(&it->by_helper, 1);
    } else if (it->wait_for_helper && i == 0) {
        /* at most 10 s: a helper that never comes fails the test */
        for (int k = 0; k < 100000 && atomic_load(&it->by_helper) == 0; k++)
            usleep(100);
    }
    atomic_fetch_add(&it->count[i], 1);
}

static void
items_reset(struct items *it)
{
    for (size_t i = 0; i < N; i++)
        atomic_store(&it->count[i], 0);
    atomic_store(&it->by_helper, 0);
    it->owner = pthread_self();
}

static void
assert_each_once(struct items *it, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int c = atomic_load(&it->count[i]);
        ck_assert_msg(c == 1, "item %zu of %zu done %d times", i, n, c);
    }
}

START_TEST(par_for_calls_each_item_once)
{
    static struct items it;

    items_reset(&it);
    it.owner = (pthread_t){0};
    par_for(N, do_item, &it);
    assert_each_once(&it, N);
    par_for(0, do_item, &it); /* nothing to do: no call */
    assert_each_once(&it, N);
}
END_TEST

START_TEST(a_share_run_alone_does_every_item)
{
    static struct items it;

    items_reset(&it);
    par_share_run(NULL, N, do_item, &it);
    assert_each_once(&it, N);

    struct par_share sh;
    par_share_init(&sh);
    items_reset(&it);
    par_share_run(&sh, N, do_item, &it);
    assert_each_once(&it, N);
    ck_assert_int_eq(atomic_load(&it.by_helper), 0);
    ck_assert(!par_share_help(&sh)); /* no run open */
    par_share_end(&sh);
    ck_assert(!par_share_wait(&sh)); /* ended: returns at once */
    par_share_fini(&sh);
}
END_TEST

static void *
helper(void *arg)
{
    struct par_share *sh = arg;

    while (par_share_wait(sh))
        ;
    return NULL;
}

START_TEST(a_waiting_helper_joins_each_run)
{
    static struct items it;
    struct par_share sh;
    pthread_t t;

    par_share_init(&sh);
    ck_assert_int_eq(pthread_create(&t, NULL, helper, &sh), 0);
    it.wait_for_helper = true;
    for (int run = 0; run < 3; run++) {
        items_reset(&it);
        par_share_run(&sh, N - (size_t)run, do_item, &it);
        assert_each_once(&it, N - (size_t)run);
        ck_assert_int_eq(atomic_load(&it.count[N - 1]), run == 0);
        ck_assert_int_gt(atomic_load(&it.by_helper), 0);
    }
    it.wait_for_helper = false;
    par_share_end(&sh);
    ck_assert_int_eq(pthread_join(t, NULL), 0); /* the helper returned */
    par_share_fini(&sh);
}
END_TEST

START_TEST(a_run_returns_after_the_helper_s_items_are_done)
{
    static struct items it;
    struct par_share sh;
    pthread_t t;

    par_share_init(&sh);
    ck_assert_int_eq(pthread_create(&t, NULL, helper, &sh), 0);
    it.wait_for_helper = it.slow_helper = true;
    for (int run = 0; run < 5; run++) {
        items_reset(&it);
        par_share_run(&sh, 400, do_item, &it);
        /* what the helper took was finished before the return */
        assert_each_once(&it, 400);
    }
    it.wait_for_helper = it.slow_helper = false;
    par_share_end(&sh);
    pthread_join(t, NULL);
    par_share_fini(&sh);
}
END_TEST

/* A thread with work of its own (pieces of 1 ms), that looks for a run
 * to help with between them, as the state's thread does in a build. */
struct busy {
    struct par_share *sh;
    atomic_bool stop;
    atomic_int helped; /* calls of par_share_help() that found a run */
};

static void *
busy_helper(void *arg)
{
    struct busy *b = arg;

    while (!atomic_load(&b->stop)) {
        if (par_share_help(b->sh))
            atomic_fetch_add(&b->helped, 1);
        usleep(1000); /* its own work */
    }
    return NULL;
}

START_TEST(a_busy_thread_helps_between_pieces_of_its_work)
{
    static struct items it;
    struct par_share sh;
    struct busy b = {.sh = &sh};
    pthread_t t;

    par_share_init(&sh);
    atomic_init(&b.stop, false);
    atomic_init(&b.helped, 0);
    ck_assert_int_eq(pthread_create(&t, NULL, busy_helper, &b), 0);
    it.wait_for_helper = true;
    for (int run = 0; run < 3; run++) {
        items_reset(&it);
        par_share_run(&sh, N, do_item, &it);
        assert_each_once(&it, N);
        ck_assert_int_gt(atomic_load(&it.by_helper), 0);
    }
    it.wait_for_helper = false;
    atomic_store(&b.stop, true);
    pthread_join(t, NULL);
    ck_assert_int_ge(atomic_load(&b.helped), 3);
    ck_assert(!par_share_help(&sh)); /* no run open now */
    par_share_fini(&sh);
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(a_busy_thread_helps_between_pieces_of_its_work),
    TCHECK_CASE(par_for_calls_each_item_once),
    TCHECK_CASE(a_share_run_alone_does_every_item),
    TCHECK_CASE(a_waiting_helper_joins_each_run),
    TCHECK_CASE(a_run_returns_after_the_helper_s_items_are_done),
};

TCHECK_MAIN("par", cases)

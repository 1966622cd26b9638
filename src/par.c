#include "par.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "hugepages.h"
#include "xmem.h"

int
par_jobs(void)
{
    static int jobs;
    const char *e;

    if (jobs > 0)
        return jobs;
    if ((e = getenv("BLOG_JOBS")) != NULL && atoi(e) >= 1 && atoi(e) <= 64) {
        jobs = atoi(e);
    } else {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n < 1 ? 1 : n > 8 ? 8 : (int)n;
    }
    return jobs;
}

struct work {
    void (*fn)(void *arg, size_t i);
    void *arg;
    size_t n, split; /* split: a share of what is left for each taking */
    atomic_size_t next;
};

/* Each thread takes a run of indexes at a time, a share of those left
 * (guided scheduling): few takings of the shared counter for many small
 * items, and runs of one at the end, so that the threads end together. */
static void *
worker(void *p)
{
    struct work *w = p;
    size_t i = atomic_load(&w->next), take;

    for (;;) {
        do {
            if (i >= w->n)
                return NULL;
            take = (w->n - i) / w->split;
            if (take == 0)
                take = 1;
        } while (!atomic_compare_exchange_weak(&w->next, &i, i + take));
        for (size_t end = i + take; i < end; i++) {
            /* the items' memory in huge pages, also when the heap it
             * comes from fills and glibc maps a new one (hugepages.h) */
            hugepages_thread();
            w->fn(w->arg, i);
        }
        i = atomic_load(&w->next);
    }
}

void
par_for(size_t n, void (*fn)(void *arg, size_t i), void *arg)
{
    struct work w = {.fn = fn, .arg = arg, .n = n,
                     .split = 4 * (size_t)par_jobs()};
    size_t extra = (size_t)par_jobs() - 1;
    pthread_t *t;
    size_t started = 0;

    atomic_init(&w.next, 0);
    if (extra > n)
        extra = n > 0 ? n - 1 : 0;
    t = extra > 0 ? xcalloc(extra, sizeof *t) : NULL;
    for (size_t k = 0; k < extra; k++)
        if (pthread_create(&t[started], NULL, worker, &w) == 0)
            started++;
    worker(&w); /* this thread works too */
    for (size_t k = 0; k < started; k++)
        pthread_join(t[k], NULL);
    free(t);
}

/* ---- par_share ----------------------------------------------------- */

/* Items are taken SHARE_TAKE at a time: a few microseconds of work each
 * for the scan's stat()s, so a helper that joins late still finds some. */
enum { SHARE_TAKE = 16 };

void
par_share_init(struct par_share *sh)
{
    *sh = (struct par_share){0};
    pthread_mutex_init(&sh->lock, NULL);
    pthread_cond_init(&sh->change, NULL);
    atomic_init(&sh->next, 0);
    atomic_init(&sh->open, false);
}

void
par_share_fini(struct par_share *sh)
{
    pthread_mutex_destroy(&sh->lock);
    pthread_cond_destroy(&sh->change);
}

/* Takes runs of the open run's items until none is left. */
static void
share_work(struct par_share *sh, void (*fn)(void *arg, size_t i), void *arg,
           size_t n)
{
    for (;;) {
        size_t i = atomic_fetch_add(&sh->next, SHARE_TAKE);
        if (i >= n)
            return;
        for (size_t end = i + SHARE_TAKE < n ? i + SHARE_TAKE : n; i < end;
             i++)
            fn(arg, i);
    }
}

void
par_share_run(struct par_share *sh, size_t n,
              void (*fn)(void *arg, size_t i), void *arg)
{
    if (sh == NULL) {
        for (size_t i = 0; i < n; i++)
            fn(arg, i);
        return;
    }
    pthread_mutex_lock(&sh->lock);
    sh->fn = fn;
    sh->arg = arg;
    sh->n = n;
    atomic_store(&sh->next, 0);
    atomic_store(&sh->open, true);
    pthread_cond_broadcast(&sh->change);
    pthread_mutex_unlock(&sh->lock);
    share_work(sh, fn, arg, n);
    /* closed, then the helpers still at work are waited for: what they
     * took is done when this returns */
    pthread_mutex_lock(&sh->lock);
    atomic_store(&sh->open, false);
    while (sh->helpers > 0)
        pthread_cond_wait(&sh->change, &sh->lock);
    pthread_mutex_unlock(&sh->lock);
}

/* With sh locked and a run open: helps with it, and unlocks. */
static void
help_locked(struct par_share *sh)
{
    void (*fn)(void *arg, size_t i) = sh->fn;
    void *arg = sh->arg;
    size_t n = sh->n;

    sh->helpers++;
    pthread_mutex_unlock(&sh->lock);
    share_work(sh, fn, arg, n);
    pthread_mutex_lock(&sh->lock);
    if (--sh->helpers == 0)
        pthread_cond_broadcast(&sh->change);
    pthread_mutex_unlock(&sh->lock);
}

bool
par_share_help(struct par_share *sh)
{
    /* a look without the lock first: most calls find nothing to do */
    if (sh == NULL ||
        !atomic_load_explicit(&sh->open, memory_order_relaxed))
        return false;
    pthread_mutex_lock(&sh->lock);
    if (!atomic_load(&sh->open) || atomic_load(&sh->next) >= sh->n) {
        pthread_mutex_unlock(&sh->lock);
        return false;
    }
    help_locked(sh);
    return true;
}

bool
par_share_wait(struct par_share *sh)
{
    pthread_mutex_lock(&sh->lock);
    for (;;) {
        if (atomic_load(&sh->open) && atomic_load(&sh->next) < sh->n) {
            help_locked(sh);
            return true;
        }
        if (sh->ended) {
            pthread_mutex_unlock(&sh->lock);
            return false;
        }
        pthread_cond_wait(&sh->change, &sh->lock);
    }
}

void
par_share_end(struct par_share *sh)
{
    pthread_mutex_lock(&sh->lock);
    sh->ended = true;
    pthread_cond_broadcast(&sh->change);
    pthread_mutex_unlock(&sh->lock);
}

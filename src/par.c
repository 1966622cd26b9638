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

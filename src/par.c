#include "par.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

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
    size_t n;
    atomic_size_t next;
};

static void *
worker(void *p)
{
    struct work *w = p;
    size_t i;

    while ((i = atomic_fetch_add(&w->next, 1)) < w->n)
        w->fn(w->arg, i);
    return NULL;
}

void
par_for(size_t n, void (*fn)(void *arg, size_t i), void *arg)
{
    struct work w = {.fn = fn, .arg = arg, .n = n};
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

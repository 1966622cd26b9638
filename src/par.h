/*
 * par: the same work on many items, on a few threads.
 *
 *     par_for(n, fn, arg) calls fn(arg, i) once for each i in [0, n), on
 *     par_jobs() threads, and returns when all are done
 *
 * Items are handed out in order, one at a time, so that a slow item does
 * not leave a thread idle.  fn must write only to item i's own results;
 * whatever the threads share is read-only, or guarded by the caller.  The
 * caller then walks the results in order, which keeps the output (and the
 * order of messages) the same for any number of threads.
 */
#ifndef PAR_H
#define PAR_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

/* Threads to use: BLOG_JOBS if set (1 to 64), else the online CPUs, at
 * most 8. */
int par_jobs(void);

void par_for(size_t n, void (*fn)(void *arg, size_t i), void *arg);

/*
 * A run shared with a thread that has work of its own: one thread works
 * through a run of items, and another joins in whenever it looks, between
 * pieces of its own work, and waits for the next run once it has none.
 *
 *     owner                           helper
 *     par_share_run(&sh, n, fn, arg)  par_share_help(&sh)  between pieces
 *     ...more runs...                 par_share_wait(&sh)  when idle
 *     par_share_end(&sh)
 *
 * par_share_run() returns when all n are done, by both; no thread is
 * started.  The same rule as par_for(): fn writes only item i's results.
 */
struct par_share {
    pthread_mutex_t lock;
    pthread_cond_t change; /* a run opened or ended, the last helper left */
    void (*fn)(void *arg, size_t i);
    void *arg;
    size_t n;
    atomic_size_t next;
    int helpers; /* in the open run */
    atomic_bool open; /* written with lock held, looked at without */
    bool ended;
};

void par_share_init(struct par_share *sh);
void par_share_fini(struct par_share *sh);
/* Does the run with whoever helps (sh NULL: alone). */
void par_share_run(struct par_share *sh, size_t n,
                   void (*fn)(void *arg, size_t i), void *arg);
/* Helps with the open run until it is done; false if none was open. */
bool par_share_help(struct par_share *sh);
/* Waits for a run to help with and helps; false once par_share_end(). */
bool par_share_wait(struct par_share *sh);
/* No more runs: a waiting helper returns. */
void par_share_end(struct par_share *sh);

#endif

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

#include <stddef.h>

/* Threads to use: BLOG_JOBS if set (1 to 64), else the online CPUs, at
 * most 8. */
int par_jobs(void);

void par_for(size_t n, void (*fn)(void *arg, size_t i), void *arg);

#endif

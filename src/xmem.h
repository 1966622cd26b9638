/*
 * xmem: allocation that never fails.  Running out of memory is not a user
 * error, so these print a message and exit(3) instead of returning NULL;
 * every other module can then treat allocation as infallible.
 */
#ifndef XMEM_H
#define XMEM_H

#include <stddef.h>

/* Like malloc/calloc/realloc/strdup; never return NULL. Caller frees. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array: returns p resized to n * size bytes (overflow-checked). */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
/* Copies n bytes of s and appends a NUL. */
char *xstrndup(const char *s, size_t n);
/* printf into a new string; caller frees with free(). */
char *xasprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* a followed by b, in a new string. */
char *xstrcat(const char *a, const char *b);

/* A pool of strings that are freed together, by spool_free(): a copy
 * costs no malloc() of its own.  Not safe for two threads at once. */
struct spool {
    struct spool_block *head;
};
char *spool_strdup(struct spool *p, const char *s);
void spool_free(struct spool *p);

#endif

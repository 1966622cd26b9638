/* xmem: allocation that never fails (see xmem.h). */
#include "xmem.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
oom(size_t n)
{
    fprintf(stderr, "blog: out of memory (%zu bytes)\n", n);
    exit(3);
}

void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (p == NULL)
        oom(n);
    return p;
}

void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (p == NULL)
        oom(n * size);
    return p;
}

void *
xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (q == NULL)
        oom(n);
    return q;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        oom(SIZE_MAX);
    return xrealloc(p, n * size);
}

char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
xasprintf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    char small[256];

    /* most results are short: one formatting pass into small */
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        oom(0);
    p = xmalloc((size_t)n + 1);
    if ((size_t)n < sizeof small) {
        memcpy(p, small, (size_t)n + 1);
        return p;
    }
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

char *
xstrcat(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    char *p = xmalloc(na + nb + 1);

    memcpy(p, a, na);
    memcpy(p + na, b, nb + 1);
    return p;
}

struct spool_block {
    struct spool_block *next;
    size_t used, cap;
    char data[];
};

char *
spool_strdup(struct spool *p, const char *s)
{
    size_t n = strlen(s) + 1;
    struct spool_block *b = p->head;

    if (b == NULL || b->cap - b->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        b = xmalloc(sizeof *b + cap);
        b->next = p->head;
        b->used = 0;
        b->cap = cap;
        p->head = b;
    }
    char *copy = b->data + b->used;
    memcpy(copy, s, n);
    b->used += n;
    return copy;
}

void
spool_free(struct spool *p)
{
    while (p->head != NULL) {
        struct spool_block *next = p->head->next;
        free(p->head);
        p->head = next;
    }
}

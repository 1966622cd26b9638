/* arena: pieces given back all at once (arena.h). */
#include "arena.h"

#include <stdlib.h>

#include "xmem.h"

#define ARENA_MAX_BLOCK ((size_t)1 << 20)

void *
arena_take_new(struct arena *a, size_t n)
{
    struct arena_block *b = a->head;

#ifdef BLOG_SANITIZE
    /* one block a piece, exactly its size */
    (void)b;
    b = xmalloc(sizeof *b + n);
    b->next = a->head;
    b->used = b->cap = n;
    a->head = b;
    return b->data;
#else
    size_t cap = b == NULL ? (a->block != 0 ? a->block : 64 << 10)
                 : b->cap < ARENA_MAX_BLOCK ? 2 * b->cap
                                            : ARENA_MAX_BLOCK;
    if (cap < n)
        cap = n;
    b = xmalloc(sizeof *b + cap);
    b->next = a->head;
    b->used = n;
    b->cap = cap;
    a->head = b;
    return b->data;
#endif
}

struct arena_block *
arena_find(const struct arena *a, const void *p)
{
    const unsigned char *c = p;

    for (struct arena_block *b = a->head; b != NULL; b = b->next)
        if (c >= b->data && c < b->data + b->cap)
            return b;
    return NULL;
}

void
arena_fini(struct arena *a)
{
    while (a->head != NULL) {
        struct arena_block *next = a->head->next;
        free(a->head);
        a->head = next;
    }
}

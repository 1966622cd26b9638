/*
 * arena: memory given out in pieces and given back all at once.
 *
 *     struct arena a = {0};
 *     p = arena_take(&a, 48);     16-byte aligned, not zeroed
 *     ...
 *     arena_fini(&a);             every piece, in one go
 *
 * For data made by the hundred and dropped together: cmark's tree of one
 * post (md.c), the data of one page for the templates (val.c).  Pieces
 * come from blocks of 64 KiB (or a.block bytes), doubling up to 1 MiB.
 *
 * Sanitizer builds (BLOG_SANITIZE) give each piece its own malloc(), so
 * that AddressSanitizer still sees a piece used after arena_fini() or
 * past its end.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

struct arena {
    struct arena_block *head; /* the newest block, where pieces come from */
    size_t block;             /* the first block's size; 0: 64 KiB */
};

/* n bytes from a new block (arena_take()'s slow way). */
void *arena_take_new(struct arena *a, size_t n);

/* n bytes (rounded up to a multiple of 16); never NULL (aborts when out
 * of memory, as xmalloc() does).  Inline: cmark asks for a few hundred
 * pieces a post. */
static inline void *
arena_take(struct arena *a, size_t n)
{
    struct arena_block *b = a->head;

    n = (n + 15) & ~(size_t)15;
#ifndef BLOG_SANITIZE
    if (b != NULL && b->cap - b->used >= n) {
        unsigned char *p = b->data + b->used;
        b->used += n;
        return p;
    }
#else
    (void)b;
#endif
    return arena_take_new(a, n);
}
/* The block that holds p, or NULL. */
struct arena_block *arena_find(const struct arena *a, const void *p);
/* Gives back every piece; a is empty again (and can be used again). */
void arena_fini(struct arena *a);

#endif

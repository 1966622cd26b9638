/*
 * ptab: a table from strings (paths, urls) to a value, by open addressing
 * on each key's hash.  Each slot keeps its key's hash, so that a probe
 * compares strings only when the hashes are equal and growing hashes
 * nothing again; a table can be saved and loaded slot by slot (state.c).
 *
 * Keys are copied (into pool, when the table has one), unless lent is
 * set: then the caller keeps each key alive as long as the table.
 */
#ifndef PTAB_H
#define PTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xmem.h"

/* The hash of a key, for every table. */
uint64_t path_hash(const char *key);
/* The same, for a key of len bytes (its strlen()). */
uint64_t path_hash_len(const char *key, size_t len);

union ptab_val {
    uint64_t u;
    const void *p;
};

/* A key, its hash and its value side by side: a probe reads one cache
 * line, not one in each of three arrays. */
struct ptab_slot {
    const char *key;      /* NULL: an empty slot */
    uint64_t hash;        /* path_hash(key) */
    union ptab_val val;
};

struct ptab {
    struct ptab_slot *slot;
    size_t n, cap;        /* cap: 0 or a power of two */
    bool lent;
    struct spool *pool;
};

/* Makes room for n keys in all without growing again. */
void ptab_reserve(struct ptab *t, size_t n);
/* The slot of key (whose hash is h): where it is, or the empty slot where
 * it would go.  The table must have room (cap > 0). */
size_t ptab_find(const struct ptab *t, const char *key, uint64_t h);
/* Adds key with val and returns its slot; *had says whether it was
 * there already (then its value is left as it was). */
size_t ptab_put(struct ptab *t, const char *key, uint64_t h,
                union ptab_val val, bool *had);
/* key's value, or NULL if it is not there. */
const union ptab_val *ptab_get(const struct ptab *t, const char *key,
                               uint64_t h);
/* Frees the table (and its keys unless lent or pooled); keeps lent and
 * pool. */
void ptab_fini(struct ptab *t);

#endif

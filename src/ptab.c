#include "ptab.h"

#include <stdlib.h>
#include <string.h>

#include "state.h"

uint64_t
path_hash(const char *key)
{
    return h64_str(H64_INIT, key);
}

uint64_t
path_hash_len(const char *key, size_t len)
{
    return h64_bytes(H64_INIT, key, len + 1); /* h64_str(): the NUL too */
}

size_t
ptab_find(const struct ptab *t, const char *key, uint64_t h)
{
    size_t i = (size_t)h & (t->cap - 1);

    while (t->slot[i].key != NULL &&
           (t->slot[i].hash != h || strcmp(t->slot[i].key, key) != 0))
        i = (i + 1) & (t->cap - 1);
    return i;
}

void
ptab_reserve(struct ptab *t, size_t n)
{
    if (2 * n <= t->cap)
        return;
    struct ptab big = {.lent = t->lent, .pool = t->pool};
    big.cap = t->cap ? t->cap : 64;
    while (big.cap < 2 * n)
        big.cap *= 2;
    big.slot = xcalloc(big.cap, sizeof *big.slot);
    for (size_t i = 0; i < t->cap; i++) {
        if (t->slot[i].key != NULL) {
            size_t j = (size_t)t->slot[i].hash & (big.cap - 1);
            while (big.slot[j].key != NULL)
                j = (j + 1) & (big.cap - 1);
            big.slot[j] = t->slot[i];
            big.n++;
        }
    }
    free(t->slot);
    *t = big;
}

size_t
ptab_put(struct ptab *t, const char *key, uint64_t h, union ptab_val val,
         bool *had)
{
    if (2 * (t->n + 1) > t->cap)
        ptab_reserve(t, t->cap ? t->cap : 32);
    size_t i = ptab_find(t, key, h);
    *had = t->slot[i].key != NULL;
    if (*had)
        return i;
    t->slot[i] = (struct ptab_slot){
        .key = t->lent   ? key
               : t->pool ? spool_strdup(t->pool, key)
                         : xstrdup(key),
        .hash = h,
        .val = val};
    t->n++;
    return i;
}

const union ptab_val *
ptab_get(const struct ptab *t, const char *key, uint64_t h)
{
    if (t->cap == 0)
        return NULL;
    size_t i = ptab_find(t, key, h);
    return t->slot[i].key != NULL ? &t->slot[i].val : NULL;
}

void
ptab_fini(struct ptab *t)
{
    bool lent = t->lent;
    struct spool *pool = t->pool;

    for (size_t i = 0; !lent && pool == NULL && i < t->cap; i++)
        free((char *)t->slot[i].key);
    free(t->slot);
    *t = (struct ptab){.lent = lent, .pool = pool};
}

/* val: a small tree of data shared by the parsers and templates (val.h). */
#include "val.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "xmem.h"

static _Thread_local struct arena *pool;

struct arena *
val_pool(struct arena *a)
{
    struct arena *was = pool;

    pool = a;
    return was;
}

/* n bytes for what node v owns: from the pool if v is the pool's */
static void *
own_alloc(const struct val *v, size_t n)
{
    if (!v->pooled)
        return xmalloc(n);
    if (pool == NULL)
        abort(); /* a pooled node changed after its pool */
    return arena_take(pool, n);
}

static char *
own_strndup(const struct val *v, const char *s, size_t n)
{
    char *c = own_alloc(v, n + 1);

    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

/* The array *a of n items of size each, grown to cap items. */
static void *
own_grow(const struct val *v, void *a, size_t n, size_t cap, size_t size)
{
    if (!v->pooled)
        return xreallocarray(a, cap, size);
    void *b = own_alloc(v, cap * size);
    if (n > 0)
        memcpy(b, a, n * size);
    return b;
}

/* A new, zeroed node of n bytes (n >= sizeof (struct val)), pooled when
 * a pool is in use. */
static struct val *
new_node(size_t n)
{
    struct val *v;

    if (pool == NULL)
        return xcalloc(1, n);
    v = arena_take(pool, n);
    memset(v, 0, n);
    v->pooled = true;
    return v;
}

struct val *
val_new(enum val_kind kind)
{
    struct val *v = new_node(sizeof *v);

    v->kind = kind;
    return v;
}

struct val *
val_strn(const char *s, size_t n)
{
    struct val *v = val_new(VAL_STR);

    v->s = own_strndup(v, s, n);
    v->len = n;
    return v;
}

struct val *
val_str_cat(const char *a, const char *b)
{
    struct val *v = val_new(VAL_STR);
    size_t na = strlen(a), nb = strlen(b);

    v->s = own_alloc(v, na + nb + 1);
    memcpy(v->s, a, na);
    memcpy(v->s + na, b, nb + 1);
    v->len = na + nb;
    return v;
}

struct val *
val_str(const char *s)
{
    return val_strn(s, strlen(s));
}

struct val *
val_str_take(char *s)
{
    struct val *v = val_new(VAL_STR);

    v->len = strlen(s);
    if (v->pooled) { /* the pool's copy, so that val_free() owes nothing */
        v->s = own_strndup(v, s, v->len);
        free(s);
    } else {
        v->s = s;
    }
    return v;
}

struct val *
val_bool(bool b)
{
    struct val *v = val_new(VAL_BOOL);

    v->b = b;
    v->s = (char *)(b ? "true" : "false");
    v->len = strlen(v->s);
    v->lent = true; /* a constant string, and no children */
    return v;
}

void
val_fmt_num(double d, char out[32])
{
    int prec;

    if (isnan(d)) {
        snprintf(out, 32, ".nan");
        return;
    }
    if (isinf(d)) {
        snprintf(out, 32, d < 0 ? "-.inf" : ".inf");
        return;
    }
    if (d == floor(d) && fabs(d) < 1e15) {
        snprintf(out, 32, "%.0f", d);
        return;
    }
    for (prec = 1; prec <= 17; prec++) {
        snprintf(out, 32, "%.*g", prec, d);
        if (strtod(out, NULL) == d)
            return;
    }
}

struct val *
val_num(double d)
{
    struct val *v = val_new(VAL_NUM);
    char tmp[32];

    v->num = d;
    val_fmt_num(d, tmp);
    v->s = own_strndup(v, tmp, strlen(tmp));
    v->len = strlen(tmp);
    return v;
}

struct val *
val_list(void)
{
    return val_new(VAL_LIST);
}

struct val *
val_map(void)
{
    return val_new(VAL_MAP);
}

struct val *
val_map_sized(size_t n)
{
    struct val *v = val_new(VAL_MAP);

    if (n > 0) {
        v->items = own_grow(v, NULL, 0, n, sizeof *v->items);
        v->keys = own_grow(v, NULL, 0, n, sizeof *v->keys);
        v->cap = n;
    }
    return v;
}

struct val *
val_map_static(size_t n)
{
    struct val *v = val_map_sized(n);

    v->static_keys = true;
    return v;
}

struct val *
val_lend(const struct val *v)
{
    struct val *c = new_node(sizeof *c);
    bool pooled = c->pooled;

    *c = *v;
    c->lent = true;
    c->pooled = pooled;
    c->stable = false; /* this node is freed before its source */
    return c;
}

struct val *
val_str_lend(const char *s, size_t n)
{
    struct val *v = val_new(VAL_STR);

    v->s = (char *)s;
    v->len = n;
    v->lent = true;
    return v;
}

struct val *
val_list_lend_strs(const char *const *strs, const size_t *lens, size_t n)
{
    /* the list, its items' array, then the items */
    struct val *v = new_node(sizeof *v + n * (sizeof *v->items + sizeof *v));
    struct val *item = (struct val *)((char *)(v + 1) + n * sizeof *v->items);

    v->kind = VAL_LIST;
    v->items = (struct val **)(v + 1);
    v->n = v->cap = n;
    v->lent = true; /* val_free() frees only the one allocation */
    for (size_t i = 0; i < n; i++, item++) {
        item->kind = VAL_STR;
        item->s = (char *)strs[i];
        item->len = lens[i];
        item->lent = true;
        v->items[i] = item;
    }
    return v;
}

struct val *
val_copy(const struct val *v)
{
    struct val *c;
    size_t i;

    if (v == NULL)
        return NULL;
    c = val_new(v->kind);
    c->b = v->b;
    c->num = v->num;
    c->line = v->line;
    c->col = v->col;
    if (v->s != NULL) {
        c->s = own_strndup(c, v->s, v->len);
        c->len = v->len;
    }
    if (v->n > 0) {
        c->items = own_grow(c, NULL, 0, v->n, sizeof *c->items);
        if (v->kind == VAL_MAP)
            c->keys = own_grow(c, NULL, 0, v->n, sizeof *c->keys);
        c->n = c->cap = v->n;
        for (i = 0; i < v->n; i++) {
            c->items[i] = val_copy(v->items[i]);
            if (v->kind == VAL_MAP)
                c->keys[i] = own_strndup(c, v->keys[i], strlen(v->keys[i]));
        }
    }
    return c;
}

void
val_free(struct val *v)
{
    size_t i;

    if (v == NULL)
        return;
    if (v->lent) {
        if (!v->pooled)
            free(v);
        return;
    }
    for (i = 0; i < v->n; i++) {
        val_free(v->items[i]);
        if (v->keys != NULL && !v->static_keys && !v->pooled)
            free(v->keys[i]);
    }
    if (v->pooled)
        return; /* the rest is the pool's */
    free(v->items);
    free(v->keys);
    free(v->s);
    free(v);
}

static void
reserve(struct val *v)
{
    if (v->n < v->cap)
        return;
    size_t cap = v->cap ? v->cap * 2 : 4;
    v->items = own_grow(v, v->items, v->n, cap, sizeof *v->items);
    if (v->kind == VAL_MAP)
        v->keys = own_grow(v, v->keys, v->n, cap, sizeof *v->keys);
    v->cap = cap;
}

void
val_push(struct val *list, struct val *item)
{
    reserve(list);
    list->items[list->n++] = item;
}

static long
find(const struct val *map, const char *key)
{
    size_t i;

    if (map == NULL || map->kind != VAL_MAP)
        return -1;
    for (i = 0; i < map->n; i++)
        if (map->keys[i][0] == key[0] && strcmp(map->keys[i], key) == 0)
            return (long)i;
    return -1;
}

void
val_set(struct val *map, const char *key, struct val *v)
{
    long i = find(map, key);

    if (i >= 0) {
        val_free(map->items[i]);
        map->items[i] = v;
        return;
    }
    reserve(map);
    map->keys[map->n] = map->static_keys ? (char *)key
                        : own_strndup(map, key, strlen(key));
    map->items[map->n++] = v;
}

void
val_set_str(struct val *map, const char *key, const char *s)
{
    val_set(map, key, val_str(s));
}

void
val_set_bool(struct val *map, const char *key, bool b)
{
    val_set(map, key, val_bool(b));
}

void
val_set_num(struct val *map, const char *key, double d)
{
    val_set(map, key, val_num(d));
}

struct val *
val_get(const struct val *map, const char *key)
{
    long i = find(map, key);

    return i >= 0 ? map->items[i] : NULL;
}

struct val *
val_take(struct val *map, const char *key)
{
    long i = find(map, key);
    struct val *v;

    if (i < 0)
        return NULL;
    v = map->items[i];
    if (!map->static_keys && !map->pooled)
        free(map->keys[i]);
    memmove(map->items + i, map->items + i + 1,
            (map->n - (size_t)i - 1) * sizeof *map->items);
    memmove(map->keys + i, map->keys + i + 1,
            (map->n - (size_t)i - 1) * sizeof *map->keys);
    map->n--;
    return v;
}

const char *
val_text(const struct val *v)
{
    if (v == NULL || v->s == NULL || v->kind == VAL_NULL)
        return "";
    return v->s;
}

bool
val_truthy(const struct val *v)
{
    if (v == NULL)
        return false;
    switch (v->kind) {
    case VAL_NULL:
        return false;
    case VAL_BOOL:
        return v->b;
    case VAL_NUM:
        return true;
    case VAL_STR:
        return v->len > 0;
    case VAL_LIST:
        return v->n > 0;
    case VAL_MAP:
        return true;
    }
    return false;
}

bool
val_is_scalar(const struct val *v)
{
    return v != NULL && v->kind != VAL_LIST && v->kind != VAL_MAP;
}

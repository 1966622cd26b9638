/*
 * val: a small tree of data, the common language between the parsers and
 * the templates.  Front matter, site.yaml and scenario files are read into
 * it (yval.c); the site model builds one per page for the Mustache engine
 * (tmpl.c), which only ever reads it.
 *
 * Scalars keep the text they were written with (`s`), so `title: 2019`
 * can still be used as the string "2019"; `kind` says how YAML 1.1 resolves
 * a plain scalar (null, bool, number or string).  Maps keep their keys in
 * the order they were written.  Every node remembers its 1-based source
 * position for error messages (0 when built in code).
 */
#ifndef VAL_H
#define VAL_H

#include <stdbool.h>
#include <stddef.h>

enum val_kind { VAL_NULL, VAL_BOOL, VAL_NUM, VAL_STR, VAL_LIST, VAL_MAP };

struct val {
    enum val_kind kind;
    char *s;            /* scalars: text, NUL-terminated (len bytes) */
    size_t len;
    bool b;             /* VAL_BOOL */
    double num;         /* VAL_NUM */
    struct val **items; /* VAL_LIST items, or VAL_MAP values */
    char **keys;        /* VAL_MAP keys, parallel to items */
    size_t n, cap;
    int line, col;
    bool lent;          /* s, items and keys belong to another node or
                           string: val_free() frees only this node */
    bool static_keys;   /* a map whose keys are constants, never copied
                           or freed */
    bool stable;        /* neither changed nor freed while a template
                           memo is used: what it renders to as a list
                           item may be kept (tmpl.h); not copied by
                           val_lend() */
    bool pooled;        /* made while a pool was in use: the node and
                           what it owns (s, items, keys) are the pool's */
};

/*
 * A pool for the data of one page: while a thread uses one, every node it
 * makes, and the strings, keys and arrays of those nodes, come from the
 * pool's arena; val_free() of them only walks them (a node they own that
 * was made outside the pool is freed as usual), and arena_fini() gives
 * all of it back at once.  A pooled node is changed only while its pool
 * is in use, and nothing that outlives the pool may hold one.
 *
 *     struct arena pool = {0};
 *     struct arena *was = val_pool(&pool);
 *     ... make, render and val_free() the page's data ...
 *     val_pool(was);
 *     arena_fini(&pool);
 *
 * Returns the pool the thread used before (NULL: none, malloc()).
 */
struct arena;
struct arena *val_pool(struct arena *a);

/* Constructors: each returns a new node; free the tree with val_free(). */
struct val *val_new(enum val_kind kind);
struct val *val_str(const char *s);
struct val *val_strn(const char *s, size_t n);
/* Takes ownership of s (a malloc'd string). */
struct val *val_str_take(char *s);
/* The string a followed by b. */
struct val *val_str_cat(const char *a, const char *b);
struct val *val_bool(bool b);
struct val *val_num(double d);
struct val *val_list(void);
struct val *val_map(void);
/* Deep copy. */
struct val *val_copy(const struct val *v);
/* A node that shows v's data without owning it (v must outlive it):
 * what a page's data borrows from the model, instead of a deep copy. */
struct val *val_lend(const struct val *v);
/* A string node showing s[0..n), which must outlive it; s[n] need not be
 * NUL (the templates read len bytes). */
struct val *val_str_lend(const char *s, size_t n);
/* A list of n strings lent from strs (lens[i] bytes each, which must
 * outlive it), made in one allocation with its items; read only (nothing
 * is pushed on it), freed whole by val_free(). */
struct val *val_list_lend_strs(const char *const *strs, const size_t *lens,
                               size_t n);
/* An empty map with room for n keys. */
struct val *val_map_sized(size_t n);
/* The same, for keys that are string constants: val_set() keeps the
 * pointer instead of a copy (every key given must outlive the map). */
struct val *val_map_static(size_t n);
void val_free(struct val *v);

/* Appends item to a list; the list takes ownership. */
void val_push(struct val *list, struct val *item);
/* Sets key in a map (replacing an existing value); the map takes ownership
 * of v and copies key. */
void val_set(struct val *map, const char *key, struct val *v);
/* Convenience setters for maps. */
void val_set_str(struct val *map, const char *key, const char *s);
void val_set_bool(struct val *map, const char *key, bool b);
void val_set_num(struct val *map, const char *key, double d);

/* Map lookup: borrowed, NULL if absent or map is not a map. */
struct val *val_get(const struct val *map, const char *key);
/* Removes key from a map and returns its value (caller owns), or NULL. */
struct val *val_take(struct val *map, const char *key);

/* The scalar's text ("" for NULL and containers).  Borrowed. */
const char *val_text(const struct val *v);
/* Mustache truthiness: false, null, empty list and empty string are false. */
bool val_truthy(const struct val *v);
bool val_is_scalar(const struct val *v);
/* Formats a number the way YAML/JSON readers expect: 1.210 -> "1.21",
 * 3.0 -> "3"; out must hold 32 bytes. */
void val_fmt_num(double d, char out[32]);

#endif

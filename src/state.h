/*
 * state: what a build leaves for the next one, so that it can do only
 * what changed.
 *
 *     inputs (path, size, mtime, inode of every file the build read)
 *     outputs (path and signature of every file in the output, and in the
 *     second generation beside it) and the posts as read (a blob that
 *     site.c writes and reads with the rec_* functions)
 *
 * The state lives beside the output folder OUT, in .OUT.blog/ (the file
 * `state` and the folder `gen`, the previous site, which the next build
 * updates and swaps in).  A missing or unreadable state only means a full
 * build.
 */
#ifndef STATE_H
#define STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "fs.h"
#include "ptab.h"

struct par_share;

/* 64-bit hashes, for signatures and content keys: eight bytes a step. */
#define H64_INIT 1469598103934665603ull
uint64_t h64_bytes(uint64_t h, const void *p, size_t n);
uint64_t h64_str(uint64_t h, const char *s); /* includes the NUL */
uint64_t h64_u64(uint64_t h, uint64_t v);

/* ---- records: a byte format for the state ---- */
void rec_u64(struct buf *b, uint64_t v);
void rec_str(struct buf *b, const char *s); /* NULL is kept as NULL */
/* n bytes, and a NUL after them: what was written can be read in place */
void rec_bytes(struct buf *b, const void *p, size_t n);

struct rec {
    const char *p, *end;
    bool bad; /* set when a read ran past the end: the state is ignored */
};
/* The readers, inline: a light post is two dozen of their calls, and
 * 10 000 of them are read by every edit build. */
static inline uint64_t
rec_get_u64(struct rec *r)
{
    uint64_t v = 0;

    if (r->bad || (size_t)(r->end - r->p) < sizeof v) {
        r->bad = true;
        return 0;
    }
    memcpy(&v, r->p, sizeof v);
    r->p += sizeof v;
    return v;
}

/* n bytes where they are in the record, a NUL after them */
static inline const char *
rec_get_bytes(struct rec *r, size_t *n)
{
    uint64_t len = rec_get_u64(r);
    const char *p = r->p;

    if (r->bad || len >= (uint64_t)(r->end - r->p) || p[len] != '\0') {
        r->bad = true;
        *n = 0;
        return NULL;
    }
    r->p += len + 1;
    *n = (size_t)len;
    return p;
}

/* The string where it is in the record (NUL-terminated), or NULL. */
static inline const char *
rec_peek_str(struct rec *r)
{
    uint64_t len;
    const char *p;

    if (r->bad || (size_t)(r->end - r->p) < sizeof len) {
        r->bad = true;
        return NULL;
    }
    memcpy(&len, r->p, sizeof len);
    p = r->p + sizeof len;
    if (len == UINT64_MAX) { /* NULL */
        r->p = p;
        return NULL;
    }
    /* the NUL where the length says is what makes it safe to read; a NUL
     * before it (a damaged file) only makes the string shorter */
    if (len >= (uint64_t)(r->end - p) || p[len] != '\0') {
        r->bad = true;
        return NULL;
    }
    r->p = p + len + 1;
    return p;
}

/* ---- a map from path to signature ---- */
struct sigmap {
    struct ptab t;   /* path -> signature (val.u); t.lent: the paths are
                        in a loaded state's text, read only */
    const char *rec; /* loaded and not changed since: its bytes there */
    size_t rec_len;
};
void sigmap_put(struct sigmap *m, const char *path, uint64_t sig);
/* The signature of path; false when it is not there. */
bool sigmap_get(const struct sigmap *m, const char *path, uint64_t *sig);
/* The same, given path_hash(path). */
void sigmap_put_h(struct sigmap *m, const char *path, uint64_t h,
                  uint64_t sig);
bool sigmap_get_h(const struct sigmap *m, const char *path, uint64_t h,
                  uint64_t *sig);
void sigmap_fini(struct sigmap *m);

/* ---- the inputs: every file read, with what stat() said ---- */
struct input {
    char *path;
    uint64_t size, mtime_ns, ino;
    bool later; /* not stat()ed yet (a lazy scan's): the fields are 0 */
};
struct listing {
    char *dir;
    char **names;  /* fs_list()'s */
    size_t *input; /* names[i] is the file inputs.v[input[i]]; SIZE_MAX
                      for a folder or a name stat() did not find */
    uint64_t key[5];   /* the folder's device, inode, size, mtime and
                          ctime (ns) before it was listed */
    uint64_t listed_ns; /* the clock (CLOCK_REALTIME) before that */
    bool kept;         /* the names are a kept listing's (not listed) */
    bool local;        /* on a file system with the kernel's own times
                          (fs_local_times()): only such are kept */
};

/* ---- the folders' listings, kept for the next build ----
 * Listing a folder of 10 000 posts takes a quarter of the scan of an edit
 * build.  Adding, removing or renaming a name in a folder sets its mtime
 * and ctime (which no program can set back): a folder whose device, inode,
 * size, mtime and ctime are those it had when the last build listed it
 * holds the same names, and the scan takes them from the file `listings`
 * in the state's folder instead.  A change in the same tick of the file
 * system's clock as the one before it could leave the times as they were:
 * a listing is kept only when its folder's ctime is LISTING_SETTLED_NS
 * older than the listing, and the folder is listed again until it is.
 * Both hold only where the kernel stamps the times with the clock the
 * listing is timed by: on network, FUSE and FAT file systems (a server's
 * clock; a ctime that is the mtime, which programs set) every folder is
 * listed every time (fs_local_times()). */
#define LISTING_SETTLED_NS 3000000000ull
struct kept_listing {
    const char *dir;
    uint64_t key[5], listed_ns;
    const char *pool; /* n names as fs_list_from() takes them */
    size_t pool_len, n;
};
struct kept_listings {
    char *text; /* the file, mapped; the listings point into it */
    size_t text_len;
    struct kept_listing *v;
    size_t n, next;
};
/* Loads what inputs_keep_listings() wrote in the state's folder dir; false
 * (and k empty) when there is nothing usable. */
bool listings_load(struct kept_listings *k, const char *dir);
void listings_fini(struct kept_listings *k);
struct inputs {
    struct input *v;
    size_t n, cap;
    bool borrowed; /* the paths are in a loaded state's text */
    bool one_thread; /* scan on the calling thread only (the other cores
                        have work of their own) */
    struct par_share *share; /* with one_thread: the stat()s of a large
                                folder shared with a thread that helps
                                between pieces of its own work */
    bool lazy;       /* scan: the files named *.md that the folder's
                        listing says are regular files are not stat()ed
                        but marked later: a build with no state reads
                        every one of them, and records the fstat() of its
                        reading, taken before the text is read (a draft's
                        too); inputs_stat_later() does the rest */
    /* each folder the scan listed, in the order it listed them */
    struct listing *dirs;
    size_t ndirs, capdirs, next_dir;
    /* the last build's listings, which the scan takes a folder's names
       from when they are still its names; NULL: it lists every folder */
    struct kept_listings *kept;
    uint64_t scan_ns; /* the clock when the scan began (0: inputs_scan()
                         reads it) */
    bool listed_new;  /* a folder listed that the next build can keep */
};
/* Adds path, and every file under it when it is a folder (sorted). */
void inputs_scan(struct inputs *in, const char *path);
/* The names in the folder dir as the scan listed them (owned by in), or
 * NULL if it did not list it; *input: which input each name is (see
 * struct listing).  Quickest for folders asked for in the order the scan
 * listed them. */
char **inputs_listing(struct inputs *in, const char *dir,
                      const size_t **input);
/* Writes the listings of in's scan that the next build can keep, into
 * the state's folder dir, when there is a new one among them (else what
 * is there already holds them). */
void inputs_keep_listings(const struct inputs *in, const char *dir);
/* Sets v's size, mtime and inode from what stat() said (v->later false). */
void input_set_stat(struct input *v, const struct stat *st);
/* stat()s the inputs still marked later (0 when a file is gone). */
void inputs_stat_later(struct inputs *in);
bool inputs_equal(const struct inputs *a, const struct inputs *b);
/* Appends in as the state records it (for struct state's inputs_made). */
void inputs_rec(const struct inputs *in, struct buf *b);
void inputs_fini(struct inputs *in);

struct state {
    uint64_t opts;        /* options and version the state was made with */
    uint64_t public_ino;  /* the output folder it describes */
    uint64_t gen_ino;     /* the second generation, 0 if none */
    struct inputs inputs;
    struct sigmap cur;    /* the output folder's files */
    struct sigmap gen;    /* the second generation's files */
    /* the posts' records, as site.c wrote them, one a post, in the file
     * posts-ID beside the state, which later builds append to (a record
     * not changed is not written again), and write anew when more than
     * half of it is records no longer used.  Loaded: rec[i] (in the
     * mapped file pmap), rec_len[i].  Saved: the parts given, and those
     * that are in base's mapped file (the last state) stay where they are;
     * with none given, the loaded ones. */
    uint64_t posts_key;   /* site.c's: what the records were made with */
    uint64_t posts_id;
    size_t nrecs;
    const char **rec;
    size_t *rec_len;
    char *pmap;
    size_t pmap_len;
    const struct fs_part *post_parts;
    size_t npost_parts;
    const struct state *base;
    /* what the build printed: its count of warnings and its text, not
     * copied: the caller's when saved, in the mapped posts file when
     * loaded (and saved where it is, when it is there) */
    uint64_t warnings;
    const char *said;
    size_t said_len;
    struct buf extra;     /* site.c's own (what a quick build needs),
                             kept as it is given */
    struct buf inputs_made; /* inputs_rec() of inputs, made ahead (on
                               another thread while the build runs); empty:
                               state_save() makes it */
    char *text;           /* a loaded state's file (mapped), which the
                             paths of inputs, cur and gen are in */
    size_t text_len;
};

/* .OUT.blog beside out (new string). */
char *state_dir(const char *out);
/* Whether dir holds a state (usable or not): a build without one reads
 * nothing of the last. */
bool state_exists(const char *dir);
/* Reads the state; false (and an empty st) when there is none that is
 * usable.  Its paths and posts stay in st->text until state_fini(). */
bool state_load(struct state *st, const char *dir);
/* Writes it (to a scratch file, renamed over the old one). */
bool state_save(const struct state *st, const char *dir);
void state_fini(struct state *st);

#endif

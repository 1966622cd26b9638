#include "state.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "fs.h"
#include "par.h"
#include "xmem.h"

#define STATE_MAGIC "blog-state 9\n"

/* Eight bytes a step (a multiply and a shift mix each word in), the last
 * 1-7 bytes as one more word. */
uint64_t
h64_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, c + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    if (i < n) {
        /* the last 1-7 bytes as one word, with their number: the last
         * eight bytes (some hashed already) when there are eight */
        uint64_t w = 0;
        if (n >= 8)
            memcpy(&w, c + n - 8, 8);
        else
            for (size_t k = 0; k < n; k++)
                w |= (uint64_t)c[k] << 8 * k;
        h = (h ^ w ^ (uint64_t)(n - i) << 59) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    return h;
}

uint64_t
h64_str(uint64_t h, const char *s)
{
    return s == NULL ? h64_u64(h, 0x9e3779b97f4a7c15ull)
                     : h64_bytes(h, s, strlen(s) + 1);
}

uint64_t
h64_u64(uint64_t h, uint64_t v)
{
    return h64_bytes(h, &v, sizeof v);
}

/* ---- records ---------------------------------------------------------- */

void
rec_u64(struct buf *b, uint64_t v)
{
    buf_reserve(b, sizeof v);
    memcpy(b->data + b->len, &v, sizeof v);
    b->len += sizeof v;
    b->data[b->len] = '\0';
}

void
rec_bytes(struct buf *b, const void *p, size_t n)
{
    uint64_t len = n;

    buf_reserve(b, sizeof len + n + 1); /* one check for the three parts */
    memcpy(b->data + b->len, &len, sizeof len);
    if (n > 0)
        memcpy(b->data + b->len + sizeof len, p, n);
    b->len += sizeof len + n;
    b->data[b->len++] = '\0';
    b->data[b->len] = '\0';
}

void
rec_str(struct buf *b, const char *s)
{
    if (s == NULL)
        rec_u64(b, UINT64_MAX);
    else
        rec_bytes(b, s, strlen(s));
}

/* ---- sigmap: a path table of signatures ------------------------------ */

void
sigmap_put_h(struct sigmap *m, const char *path, uint64_t h, uint64_t sig)
{
    bool had;
    size_t i = ptab_put(&m->t, path, h, (union ptab_val){.u = sig}, &had);

    m->t.slot[i].val.u = sig;
    m->rec = NULL; /* changed: written anew */
}

void
sigmap_put(struct sigmap *m, const char *path, uint64_t sig)
{
    sigmap_put_h(m, path, path_hash(path), sig);
}

bool
sigmap_get_h(const struct sigmap *m, const char *path, uint64_t h,
             uint64_t *sig)
{
    const union ptab_val *v = ptab_get(&m->t, path, h);

    if (v == NULL)
        return false;
    *sig = v->u;
    return true;
}

bool
sigmap_get(const struct sigmap *m, const char *path, uint64_t *sig)
{
    return sigmap_get_h(m, path, path_hash(path), sig);
}

void
sigmap_fini(struct sigmap *m)
{
    ptab_fini(&m->t);
    *m = (struct sigmap){0};
}

/* The table as it is, slot by slot, so that the next build uses it where
 * it is, without hashing a path again. */
static void
rec_sigmap(struct buf *b, const struct sigmap *m)
{
    const struct ptab *t = &m->t;

    rec_u64(b, t->cap);
    rec_u64(b, t->n);
    for (size_t i = 0; i < t->cap; i++) {
        if (t->slot[i].key != NULL) {
            rec_str(b, t->slot[i].key);
            rec_u64(b, t->slot[i].val.u);
            rec_u64(b, t->slot[i].hash);
        } else {
            rec_str(b, NULL);
        }
    }
}

/* Reads a map whose paths stay in the record.  A damaged slot can only
 * make a lookup miss, which makes the build write that file again. */
static void
get_sigmap(struct rec *r, struct sigmap *m)
{
    const char *start = r->p;
    uint64_t cap = rec_get_u64(r), n = rec_get_u64(r), used = 0;
    struct ptab *t = &m->t;

    t->lent = true;
    if (r->bad || cap == 0)
        return;
    if (cap > ((uint64_t)1 << 27) || (cap & (cap - 1)) != 0 ||
        2 * n > cap) {
        r->bad = true;
        return;
    }
    t->cap = (size_t)cap;
    t->slot = xcalloc(t->cap, sizeof *t->slot);
    for (size_t i = 0; i < t->cap && !r->bad; i++) {
        const char *path = rec_peek_str(r);
        if (path == NULL)
            continue;
        t->slot[i].key = path;
        t->slot[i].val.u = rec_get_u64(r);
        t->slot[i].hash = rec_get_u64(r);
        used++;
    }
    if (used != n)
        r->bad = true;
    t->n = (size_t)used;
    m->rec = start;
    m->rec_len = (size_t)(r->p - start);
}

/* ---- inputs ----------------------------------------------------------- */

static uint64_t
ns_of(struct timespec t)
{
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

void
input_set_stat(struct input *v, const struct stat *st)
{
    v->size = (uint64_t)st->st_size;
    v->mtime_ns = ns_of(st->st_mtim);
    v->ino = (uint64_t)st->st_ino;
    v->later = false;
}

/* Adds path (taken: a malloc'd string); later: st is not known yet. */
static void
add_input(struct inputs *in, char *path, const struct stat *st, bool later)
{
    if (in->n == in->cap) {
        in->cap = in->cap ? 2 * in->cap : 256;
        in->v = xreallocarray(in->v, in->cap, sizeof *in->v);
    }
    in->v[in->n] = (struct input){.path = path, .later = later};
    if (!later)
        input_set_stat(&in->v[in->n], st);
    in->n++;
}

struct stat_all {
    int dfd;
    char **names;
    struct stat *st;
    bool *ok;
    const bool *later; /* names not to stat() (a lazy scan's); NULL: none */
};

static void
stat_one(void *arg, size_t i)
{
    struct stat_all *a = arg;

    if (a->later == NULL || !a->later[i])
        a->ok[i] = fstatat(a->dfd, a->names[i], &a->st[i], 0) == 0;
}

/* A name a lazy scan leaves for later: a regular file named *.md. */
static bool
read_later(const char *name)
{
    size_t n = strlen(name);

    return fs_name_type(name) == DT_REG && n > 3 &&
           strcmp(name + n - 3, ".md") == 0;
}

static void
dir_key(const struct stat *st, uint64_t key[5])
{
    key[0] = (uint64_t)st->st_dev;
    key[1] = (uint64_t)st->st_ino;
    key[2] = (uint64_t)st->st_size;
    key[3] = ns_of(st->st_mtim);
    key[4] = ns_of(st->st_ctim);
}

/* Whether the folder with key (ctime last) had not changed for
 * LISTING_SETTLED_NS when it was listed at listed_ns. */
static bool
settled(const uint64_t key[5], uint64_t listed_ns)
{
    return key[4] < listed_ns && listed_ns - key[4] > LISTING_SETTLED_NS;
}

/* Whether the next build can take l's names without listing the folder. */
static bool
keepable(const struct listing *l)
{
    return l->local && settled(l->key, l->listed_ns);
}

/* Whether a kept listing's pool holds n names, none empty, ".", ".." or
 * with a '/' (the file could be damaged). */
static bool
pool_ok(const char *pool, size_t len, size_t n)
{
    const char *p = pool, *end = pool + len;

    for (size_t i = 0; i < n; i++) {
        const char *name = p + 1; /* after the type byte */
        const char *nul =
            name < end ? memchr(name, '\0', (size_t)(end - name)) : NULL;
        if (nul == NULL || nul == name ||
            memchr(name, '/', (size_t)(nul - name)) != NULL ||
            strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            return false;
        p = nul + 1;
    }
    return p == end;
}

/* The folder's names from the last build's listing of it, when they are
 * still its names (key: the folder's now); else NULL. */
static char **
kept_names(struct kept_listings *k, const char *path, const uint64_t key[5],
           uint64_t *listed_ns)
{
    for (size_t j = 0; k != NULL && j < k->n; j++) {
        struct kept_listing *l = &k->v[(k->next + j) % k->n];
        if (strcmp(l->dir, path) != 0)
            continue;
        k->next = (k->next + j + 1) % k->n;
        if (memcmp(l->key, key, sizeof l->key) != 0 ||
            !settled(l->key, l->listed_ns) ||
            !pool_ok(l->pool, l->pool_len, l->n))
            return NULL;
        *listed_ns = l->listed_ns;
        return fs_list_from(l->pool, l->pool_len, l->n);
    }
    return NULL;
}

/* The entries of a folder (st: its stat()), each stat()ed by its name in
 * the folder (no walk of the whole path again for each of them), on
 * par_jobs() threads for a large folder. */
static void
scan_dir(struct inputs *in, const char *path, const struct stat *st)
{
    struct stat_all a = {.dfd = open(path, O_RDONLY | O_DIRECTORY |
                                               O_CLOEXEC)};
    struct listing l = {.listed_ns = in->scan_ns};
    size_t n = 0;

    if (a.dfd < 0)
        return;
    dir_key(st, l.key);
    /* the times compared with this machine's clock are the kernel's own
     * only on a local file system: elsewhere every folder is listed */
    l.local = fs_local_times(a.dfd);
    if (l.local)
        a.names = kept_names(in->kept, path, l.key, &l.listed_ns);
    l.kept = a.names != NULL;
    if (a.names == NULL && (a.names = fs_list(path)) == NULL) {
        close(a.dfd);
        return;
    }
    if (!l.kept && keepable(&l))
        in->listed_new = true;
    while (a.names[n] != NULL)
        n++;
    /* kept for the walks that list the folder again */
    if (in->ndirs == in->capdirs) {
        in->capdirs = in->capdirs ? 2 * in->capdirs : 16;
        in->dirs = xreallocarray(in->dirs, in->capdirs, sizeof *in->dirs);
    }
    size_t li = in->ndirs++;
    l.dir = xstrdup(path);
    l.names = a.names;
    l.input = xmalloc((n + 1) * sizeof(size_t));
    in->dirs[li] = l;
    a.st = xcalloc(n + 1, sizeof *a.st);
    a.ok = xcalloc(n + 1, sizeof *a.ok);
    /* a lazy scan stat()s only the names it does not leave for later */
    size_t nstat = n;
    bool *wait = NULL;
    if (in->lazy) {
        a.later = wait = xcalloc(n + 1, sizeof *wait);
        for (size_t i = 0; i < n; i++)
            if ((wait[i] = read_later(a.names[i])))
                nstat--;
    }
    if (nstat >= 256 && !in->one_thread)
        par_for(n, stat_one, &a);
    else
        par_share_run(nstat >= 64 ? in->share : NULL, n, stat_one, &a);
    close(a.dfd);
    for (size_t i = 0; i < n; i++) {
        bool later = wait != NULL && wait[i];
        in->dirs[li].input[i] = SIZE_MAX;
        if (!a.ok[i] && !later)
            continue;
        char *sub = fs_join(path, a.names[i]);
        if (!later && S_ISDIR(a.st[i].st_mode)) {
            scan_dir(in, sub, &a.st[i]);
            free(sub);
        } else {
            in->dirs[li].input[i] = in->n;
            add_input(in, sub, &a.st[i], later);
        }
    }
    free(wait);
    free(a.st);
    free(a.ok);
}

void
inputs_scan(struct inputs *in, const char *path)
{
    struct stat st;

    if (in->scan_ns == 0) { /* before any folder's stat() */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        in->scan_ns = ns_of(ts);
    }
    if (stat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode))
        scan_dir(in, path, &st);
    else
        add_input(in, xstrdup(path), &st, false);
}

char **
inputs_listing(struct inputs *in, const char *dir, const size_t **input)
{
    for (size_t k = 0; k < in->ndirs; k++) {
        size_t i = (in->next_dir + k) % in->ndirs;
        if (strcmp(in->dirs[i].dir, dir) == 0) {
            in->next_dir = i + 1;
            *input = in->dirs[i].input;
            return in->dirs[i].names;
        }
    }
    *input = NULL;
    return NULL;
}

void
inputs_stat_later(struct inputs *in)
{
    for (size_t i = 0; i < in->n; i++) {
        struct input *v = &in->v[i];
        struct stat st;
        if (!v->later)
            continue;
        v->later = false;
        if (stat(v->path, &st) == 0)
            input_set_stat(v, &st);
    }
}

bool
inputs_equal(const struct inputs *a, const struct inputs *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        const struct input *x = &a->v[i], *y = &b->v[i];
        if (x->size != y->size || x->mtime_ns != y->mtime_ns ||
            x->ino != y->ino || strcmp(x->path, y->path) != 0)
            return false;
    }
    return true;
}

void
inputs_fini(struct inputs *in)
{
    for (size_t i = 0; i < in->n && !in->borrowed; i++)
        free(in->v[i].path);
    free(in->v);
    for (size_t i = 0; i < in->ndirs; i++) {
        free(in->dirs[i].dir);
        fs_list_free(in->dirs[i].names);
        free(in->dirs[i].input);
    }
    free(in->dirs);
    *in = (struct inputs){0};
}

void
inputs_rec(const struct inputs *in, struct buf *b)
{
    size_t len = 8;

    for (size_t i = 0; i < in->n; i++)
        len += strlen(in->v[i].path) + 9 + 24;
    buf_reserve(b, len);
    rec_u64(b, in->n);
    for (size_t i = 0; i < in->n; i++) {
        rec_str(b, in->v[i].path);
        rec_u64(b, in->v[i].size);
        rec_u64(b, in->v[i].mtime_ns);
        rec_u64(b, in->v[i].ino);
    }
}

/* ---- the state file --------------------------------------------------- */

char *
state_dir(const char *out)
{
    const char *slash = strrchr(out, '/');

    if (slash == NULL)
        return xasprintf(".%s.blog", out);
    return xasprintf("%.*s/.%s.blog", (int)(slash - out), out, slash + 1);
}

/* Maps the file path whole (private, read only in practice); NULL if it
 * cannot be, or is empty. */
static char *
map_file(const char *path, size_t *len)
{
    struct stat sb;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    char *text = NULL;

    *len = 0;
    if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
        sb.st_size > 0 && (uint64_t)sb.st_size < ((uint64_t)1 << 32)) {
        *len = (size_t)sb.st_size;
        text = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
        if (text == MAP_FAILED)
            text = NULL;
    }
    if (fd >= 0)
        close(fd);
    return text;
}

static char *
posts_path(const char *dir, uint64_t id)
{
    return xasprintf("%s/posts-%llu", dir, (unsigned long long)id);
}

/* Whether name is a posts file's, posts-ID; its ID in *id. */
static bool
posts_file_id(const char *name, uint64_t *id)
{
    unsigned long long k;
    char end;

    if (sscanf(name, "posts-%llu%c", &k, &end) != 1)
        return false;
    *id = (uint64_t)k;
    return true;
}

/* Writes the parts to path in dir (made if missing), saying nothing: a
 * state that cannot be written only means a full build next time. */
static bool
write_quietly(const char *dir, const char *path, const struct fs_part *parts,
              size_t n)
{
    struct diag quiet;
    bool ok;

    diag_init(&quiet, NULL);
    ok = (fs_is_dir(dir) || fs_mkdirs(dir, &quiet)) &&
         fs_writev(path, parts, n, &quiet);
    diag_fini(&quiet);
    return ok;
}

#define LISTINGS_MAGIC "blog-listings 1\n"

void
inputs_keep_listings(const struct inputs *in, const char *dir)
{
    struct buf b;
    size_t n = 0;

    if (!in->listed_new)
        return;
    for (size_t i = 0; i < in->ndirs; i++)
        n += keepable(&in->dirs[i]);
    buf_init(&b);
    buf_puts(&b, LISTINGS_MAGIC);
    rec_u64(&b, n);
    for (size_t i = 0; i < in->ndirs; i++) {
        const struct listing *l = &in->dirs[i];
        if (!keepable(l))
            continue;
        rec_str(&b, l->dir);
        for (size_t j = 0; j < 5; j++)
            rec_u64(&b, l->key[j]);
        rec_u64(&b, l->listed_ns);
        size_t k = 0, len = 0;
        for (; l->names[k] != NULL; k++)
            len += strlen(l->names[k]) + 2;
        rec_u64(&b, k);
        rec_u64(&b, len);
        buf_reserve(&b, len + 1);
        for (k = 0; l->names[k] != NULL; k++) {
            buf_putc(&b, (char)fs_name_type(l->names[k]));
            buf_add(&b, l->names[k], strlen(l->names[k]) + 1);
        }
        buf_putc(&b, '\0');
    }
    char *path = fs_join(dir, "listings");
    write_quietly(dir, path, &(struct fs_part){b.data, b.len}, 1);
    free(path);
    buf_fini(&b);
}

bool
listings_load(struct kept_listings *k, const char *dir)
{
    char *path = fs_join(dir, "listings");
    size_t len;

    *k = (struct kept_listings){0};
    k->text = map_file(path, &len);
    free(path);
    if (k->text == NULL)
        return false;
    k->text_len = len;
    size_t m = strlen(LISTINGS_MAGIC);
    struct rec r = {k->text + m, k->text + len, len < m};
    if (!r.bad && memcmp(k->text, LISTINGS_MAGIC, m) != 0)
        r.bad = true;
    uint64_t n = rec_get_u64(&r);
    if (!r.bad && n <= len / 64)
        k->v = xcalloc(n + 1, sizeof *k->v);
    else
        r.bad = true;
    for (uint64_t i = 0; i < n && !r.bad; i++) {
        struct kept_listing *l = &k->v[i];
        l->dir = rec_peek_str(&r);
        for (size_t j = 0; j < 5; j++)
            l->key[j] = rec_get_u64(&r);
        l->listed_ns = rec_get_u64(&r);
        l->n = (size_t)rec_get_u64(&r);
        l->pool = rec_get_bytes(&r, &l->pool_len);
        if (l->dir == NULL || l->pool == NULL)
            r.bad = true;
        k->n++;
    }
    if (r.bad || r.p != r.end) {
        listings_fini(k);
        return false;
    }
    return true;
}

void
listings_fini(struct kept_listings *k)
{
    if (k->text != NULL)
        munmap(k->text, k->text_len);
    free(k->v);
    *k = (struct kept_listings){0};
}

void
state_fini(struct state *st)
{
    inputs_fini(&st->inputs);
    sigmap_fini(&st->cur);
    sigmap_fini(&st->gen);
    buf_fini(&st->extra);
    buf_fini(&st->inputs_made);
    if (st->text != NULL)
        munmap(st->text, st->text_len);
    if (st->pmap != NULL)
        munmap(st->pmap, st->pmap_len);
    free(st->rec);
    free(st->rec_len);
    *st = (struct state){0};
}

bool
state_exists(const char *dir)
{
    char *path = fs_join(dir, "state");
    bool yes = fs_exists(path);

    free(path);
    return yes;
}

/* Maps the posts file the state names, once. */
static void
map_posts(struct state *st, const char *dir)
{
    if (st->pmap != NULL)
        return;
    char *pp = posts_path(dir, st->posts_id);
    st->pmap = map_file(pp, &st->pmap_len);
    free(pp);
}

bool
state_load(struct state *st, const char *dir)
{
    char *path = fs_join(dir, "state");
    size_t len = 0;
    struct rec r;
    size_t n;
    const char *p;

    /* mapped, not read: no copy, and only the pages looked at are
     * faulted in (a later build renames a new state over it, and only
     * appends to the posts file, so what is mapped never changes) */
    *st = (struct state){0};
    char *text = map_file(path, &len);
    free(path);
    if (text == NULL)
        return false;
    if (len < strlen(STATE_MAGIC) + 1 ||
        memcmp(text, STATE_MAGIC, strlen(STATE_MAGIC)) != 0) {
        munmap(text, len);
        return false;
    }
    r = (struct rec){text + strlen(STATE_MAGIC), text + len, false};
    st->text = text; /* the paths of inputs, cur and gen stay in it */
    st->text_len = len;
    st->opts = rec_get_u64(&r);
    st->public_ino = rec_get_u64(&r);
    st->gen_ino = rec_get_u64(&r);
    uint64_t ni = rec_get_u64(&r);
    st->inputs.borrowed = true;
    for (uint64_t i = 0; i < ni && !r.bad; i++) {
        struct input in = {.path = (char *)rec_peek_str(&r)};
        in.size = rec_get_u64(&r);
        in.mtime_ns = rec_get_u64(&r);
        in.ino = rec_get_u64(&r);
        if (in.path == NULL) {
            r.bad = true;
            break;
        }
        if (st->inputs.n == st->inputs.cap) {
            st->inputs.cap = st->inputs.cap ? 2 * st->inputs.cap : 256;
            st->inputs.v = xreallocarray(st->inputs.v, st->inputs.cap,
                                         sizeof *st->inputs.v);
        }
        st->inputs.v[st->inputs.n++] = in;
    }
    get_sigmap(&r, &st->cur);
    get_sigmap(&r, &st->gen);
    /* the posts' records: where each is in the posts file */
    st->posts_key = rec_get_u64(&r);
    st->posts_id = rec_get_u64(&r);
    uint64_t nrecs = rec_get_u64(&r);
    if (!r.bad && nrecs > 0 && nrecs <= (size_t)(r.end - r.p) / 16) {
        map_posts(st, dir);
        st->nrecs = (size_t)nrecs;
        st->rec = xcalloc(st->nrecs, sizeof *st->rec);
        st->rec_len = xcalloc(st->nrecs, sizeof *st->rec_len);
        for (size_t i = 0; i < st->nrecs && !r.bad; i++) {
            uint64_t off = rec_get_u64(&r), rl = rec_get_u64(&r);
            if (st->pmap == NULL || off > st->pmap_len ||
                rl > st->pmap_len - off)
                r.bad = true; /* missing or short: read them all again */
            else
                st->rec[i] = st->pmap + off, st->rec_len[i] = (size_t)rl;
        }
    } else if (nrecs > 0) {
        r.bad = true;
    }
    st->warnings = rec_get_u64(&r);
    uint64_t said_off = rec_get_u64(&r), said_len = rec_get_u64(&r);
    if (!r.bad && said_len > 0) {
        map_posts(st, dir);
        if (st->pmap == NULL || said_off > st->pmap_len ||
            said_len > st->pmap_len - said_off)
            r.bad = true; /* missing or short: a full build */
        else
            st->said = st->pmap + said_off, st->said_len = (size_t)said_len;
    }
    buf_init(&st->extra);
    if ((p = rec_get_bytes(&r, &n)) != NULL)
        buf_add(&st->extra, p, n);
    if (r.bad || r.p != r.end) {
        state_fini(st);
        return false;
    }
    return true;
}

/* Whether p..p+len lies in st's mapped posts file. */
static bool
in_posts_file(const struct state *st, const char *p, size_t len)
{
    if (st == NULL || st->pmap == NULL || len > st->pmap_len)
        return false;
    uintptr_t at = (uintptr_t)p, start = (uintptr_t)st->pmap;
    return at >= start && at - start <= st->pmap_len - len;
}

/* Puts the records in the posts file: appended to base's when most of
 * what it holds is still used (the records kept are not written again),
 * else all written to a new file.  Fills off[] and *id; false if they
 * could not be written. */
static bool
save_posts(const struct state *base, const struct fs_part *parts, size_t n,
           const char *dir, uint64_t *off, uint64_t *id, bool *fresh)
{
    size_t live = 0, added = 0;
    struct stat sb;
    bool ok = false;

    for (size_t i = 0; i < n; i++) {
        live += parts[i].len;
        if (!in_posts_file(base, parts[i].data, parts[i].len))
            added += parts[i].len;
    }
    if (base != NULL && base->pmap != NULL) {
        char *path = posts_path(dir, base->posts_id);
        int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
        free(path);
        /* appended to, until the file is twice what is used; locked, so
         * that another build appending at the same time cannot move the
         * end between the fstat() and the write */
        if (fd >= 0 && flock(fd, LOCK_EX) == 0 && fstat(fd, &sb) == 0 &&
            (size_t)sb.st_size + added <= 2 * live + 65536) {
            uint64_t end = (uint64_t)sb.st_size;
            struct fs_part *nw = xcalloc(n + 1, sizeof *nw);
            size_t k = 0;
            for (size_t i = 0; i < n; i++) {
                if (in_posts_file(base, parts[i].data, parts[i].len)) {
                    off[i] = (uint64_t)((const char *)parts[i].data -
                                        base->pmap);
                } else {
                    off[i] = end;
                    end += parts[i].len;
                    nw[k++] = parts[i];
                }
            }
            ok = fs_writev_fd(fd, nw, k);
            free(nw);
            close(fd);
            *id = base->posts_id;
            *fresh = false;
            return ok;
        }
        if (fd >= 0)
            close(fd);
    }
    /* a new file, under a name no file has yet */
    *id = 1;
    char **names = fs_list(dir);
    for (char **q = names; names != NULL && *q != NULL; q++) {
        uint64_t k;
        if (posts_file_id(*q, &k) && k >= *id)
            *id = k + 1;
    }
    fs_list_free(names);
    *fresh = true;
    uint64_t end = 0;
    for (size_t i = 0; i < n; i++) {
        off[i] = end;
        end += parts[i].len;
    }
    char *path = posts_path(dir, *id);
    ok = write_quietly(dir, path, parts, n);
    free(path);
    return ok;
}

bool
state_save(const struct state *st, const char *dir)
{
    struct buf b;
    bool ok, fresh = false;

    /* the records: those given, else the loaded ones, saved as they are;
     * then the text said, as one more (kept where it is in the posts file
     * while it is the same: an edit build says what the last one said) */
    const struct state *base = st->post_parts != NULL ? st->base : st;
    size_t np = st->post_parts != NULL ? st->npost_parts : st->nrecs;
    struct fs_part *pp = xcalloc(np + 2, sizeof *pp);
    uint64_t *off = xcalloc(np + 2, sizeof *off), id = 0;
    for (size_t i = 0; i < np; i++)
        pp[i] = st->post_parts != NULL
                    ? st->post_parts[i]
                    : (struct fs_part){st->rec[i], st->rec_len[i]};
    size_t nparts = np;
    if (st->said_len > 0)
        pp[nparts++] = (struct fs_part){st->said, st->said_len};
    if (nparts > 0 && !save_posts(base, pp, nparts, dir, off, &id, &fresh)) {
        free(pp);
        free(off);
        return false;
    }

    /* the head, the inputs (made ahead when the caller did), then b */
    struct buf head, made;
    buf_init(&head);
    buf_puts(&head, STATE_MAGIC);
    rec_u64(&head, st->opts);
    rec_u64(&head, st->public_ino);
    rec_u64(&head, st->gen_ino);
    const struct buf *inputs = &st->inputs_made;
    buf_init(&made);
    if (inputs->len == 0) {
        inputs_rec(&st->inputs, &made);
        inputs = &made;
    }
    buf_init(&b);
    /* a map loaded and not changed since (the second generation's is
     * often the last state's) is written from where it was loaded: the
     * state is the parts of b between them */
    const struct sigmap *maps[2] = {&st->cur, &st->gen};
    size_t cut[2];
    for (size_t i = 0; i < 2; i++) {
        cut[i] = b.len;
        if (maps[i]->rec == NULL)
            rec_sigmap(&b, maps[i]);
    }
    rec_u64(&b, st->posts_key);
    rec_u64(&b, id);
    rec_u64(&b, np);
    for (size_t i = 0; i < np; i++) {
        rec_u64(&b, off[i]);
        rec_u64(&b, pp[i].len);
    }
    /* the text said: where it is in the posts file */
    rec_u64(&b, st->warnings);
    rec_u64(&b, st->said_len > 0 ? off[np] : 0);
    rec_u64(&b, (uint64_t)st->said_len);
    rec_bytes(&b, st->extra.data, st->extra.len);
    struct fs_part parts[9];
    size_t k = 0, from = 0;
    parts[k++] = (struct fs_part){head.data, head.len};
    parts[k++] = (struct fs_part){inputs->data, inputs->len};
    for (size_t i = 0; i < 2; i++) {
        if (maps[i]->rec == NULL)
            continue;
        parts[k++] = (struct fs_part){b.data + from, cut[i] - from};
        parts[k++] = (struct fs_part){maps[i]->rec, maps[i]->rec_len};
        from = cut[i];
    }
    parts[k++] = (struct fs_part){b.data + from, b.len - from};
    char *path = fs_join(dir, "state");
    ok = write_quietly(dir, path, parts, k);
    inputs_keep_listings(&st->inputs, dir);
    /* a new posts file replaces the others once the state names it */
    char **names = ok && fresh ? fs_list(dir) : NULL;
    for (char **q = names; names != NULL && *q != NULL; q++) {
        uint64_t other;
        if (posts_file_id(*q, &other) && other != id) {
            char *old = fs_join(dir, *q);
            unlink(old);
            free(old);
        }
    }
    fs_list_free(names);
    free(path);
    free(pp);
    free(off);
    buf_fini(&head);
    buf_fini(&made);
    buf_fini(&b);
    return ok;
}

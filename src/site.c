/*
 * site: the whole build.
 *
 *     site.yaml, content/ -> posts and pages (fm, post, md) -> site model
 *     (order, permalinks, tags, categories, archives) -> Mustache templates
 *     (tmpl) -> files in a sibling temporary folder -> link check -> the
 *     folder swapped in for the old output in one rename.
 *
 * Every content error is reported and the build goes on reading, so that
 * one run lists them all; nothing is published unless there were none.
 */
#include "site.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diagram.h"
#include "fm.h"
#include "hugepages.h"
#include "fs.h"
#include "md.h"
#include "par.h"
#include "post.h"
#include "ptab.h"
#include "scn.h"
#include "state.h"
#include "tmpl.h"
#include "val.h"
#include "xmem.h"
#include "yval.h"

#define SITE_MAX_PER_PAGE 1000
#define FEED_ENTRIES 20
/* Changes whenever the output or the messages for the same input may
 * change. */
#define BLOG_STATE_VERSION "blog 0.1.0 state 7"

/* ---- sets of strings (output paths, urls...): tables of pointers ----- */

static const void *
set_get_h(const struct ptab *s, const char *key, uint64_t h)
{
    const union ptab_val *v = ptab_get(s, key, h);
    return v != NULL ? v->p : NULL;
}

static const void *
set_get(const struct ptab *s, const char *key)
{
    return set_get_h(s, key, path_hash(key));
}

static bool
set_has_h(const struct ptab *s, const char *key, uint64_t h)
{
    return ptab_get(s, key, h) != NULL;
}

static bool
set_has(const struct ptab *s, const char *key)
{
    return set_has_h(s, key, path_hash(key));
}

/* Adds key, whose path_hash() is h, with data; returns the old data if
 * key was there ("" for NULL data). */
static const void *
set_put_h(struct ptab *s, const char *key, uint64_t h, const void *data)
{
    bool had;
    size_t i = ptab_put(s, key, h, (union ptab_val){.p = data}, &had);
    return !had ? NULL : s->slot[i].val.p != NULL ? s->slot[i].val.p : "";
}

static const void *
set_put(struct ptab *s, const char *key, const void *data)
{
    return set_put_h(s, key, path_hash(key), data);
}

/* ---- the model -------------------------------------------------------- */

struct term;

struct post {
    char *src;          /* content/posts/x.md, for messages */
    char *stem;         /* file name without .md (or folder for index.md) */
    char *title;
    struct post_date date, updated;
    bool has_date, has_updated;
    bool is_page;
    char *layout;
    char *url;          /* path under the root: "2019/07/14/x/" */
    char *description;
    struct val *tags, *cats; /* lists of VAL_STR */
    /* each tag's and category's spelling (struct spelling), in their
     * lists' order, once the taxonomies are made: the pages that show
     * them look nothing up again; NULL when not made */
    const struct spelling **spelled[2];
    struct val *fm;     /* the whole front matter */
    struct arena fm_pool; /* where it was made (fm.h) */
    struct md_result md;
    struct val *summary; /* template data for lists, built once */
    uint64_t sumkey;     /* a hash of what the summary shows */
    /* path_hash() of src and of url, and a hash of title and url (what
     * its neighbours' pages show of it), kept in its record */
    uint64_t src_hash, url_hash, link_key;
    int plink_line, plink_col; /* where 'permalink:' is, 0 if nowhere */
    /* for the next build: the file's content and what stat() said */
    uint64_t key, size, mtime_ns, ino;
    /* light: read from the state, without front matter; md.html is only
     * the excerpt, and longer says whether the body goes on */
    bool light, longer, taken;
    /* a light post's strings (src, stem, title, layout, url, description,
     * messages, links_said) and, while md_borrowed, its excerpt and links
     * are in the last state's posts file (mapped), as is its record (rec,
     * rec_len) */
    bool borrowed, md_borrowed;
    bool in_block; /* in site.light_block, freed with it */
    const char *rec;
    size_t rec_len;
    char *messages;     /* what reading it printed (warnings) */
    int warnings;
    /* what the link check said of it (warnings), kept for a build whose
     * output has the same files: owned when not borrowed, or when
     * checked again (links_owned) */
    char *links_said;
    int links_warnings;
    bool links_owned;
};

struct term {
    char *name, *slug;
    size_t *posts; /* indexes into site.posts (already in order) */
    size_t n, cap;
};

/* One paginated list: posts idx[0..n) (all posts when idx is NULL) at
 * base ("" for the home page, "tags/tcp/" for a tag); page 1 at base,
 * page k at base/page/k/.  term is the tag's data, or NULL. */
struct list {
    const char *tmpl;
    const size_t *idx;
    size_t n;
    char *base, *title;
    struct val *term;
};

struct taxonomy {
    const char *key;   /* "tags" */
    const char *dir;   /* url folder: "tags" */
    struct term **terms;
    size_t n;
    struct ptab by_slug;
    struct ptab spelled; /* each spelling of a term -> struct spelling */
    struct list *lists;  /* each term's list, in slug order */
    struct val *index;   /* each term's data, for the page of all terms */
};

struct recs;

struct site {
    /* the posts' records for the next state, made by the link check while
     * each post is in the cache (NULL: save_state() makes them) */
    struct recs *recs;
    const struct site_opts *o;
    struct diag *d;
    char *config_path;
    struct val *config;
    const char *title;
    char *base_url;   /* "https://example.org/blog/" (always ends in /) */
    char *origin;     /* "https://example.org" */
    char *root;       /* "/blog/" */
    const char *permalink;
    long per_page;
    int link_mode;    /* SITE_LINKS_ERROR or SITE_LINKS_WARN */
    struct tmpl_set *tmpl;
    struct tmpl_memo *memo; /* of the summaries, while list pages render */
    struct post **posts;
    size_t nposts;
    struct post **pages;
    size_t npages;
    struct taxonomy tax[2];
    struct val *site_val;  /* `site` in every template */
    struct outputs *out;   /* shared by the threads */
    struct source *found;  /* content files, in walk order */
    size_t nfound, capfound;
    /* incremental builds (see plan_jobs()) */
    uint64_t model;        /* options, site.yaml, templates: posts as read */
    uint64_t global;       /* model and what every page shows of the site */
    struct state *prev;    /* the last build's state; NULL: a full build */
    struct state next;     /* this build's */
    struct ptab cached;  /* source path -> light post of the last build */
    struct post *light_block; /* where those posts are */
    struct post **order;   /* the same, in the last build's order (posts,
                              then pages); NULL for a record damaged */
    size_t norder;
    bool quick;            /* a quick build (see quick_build()) */
    bool gen;              /* tmp is the second generation, being updated */
    bool reuse;            /* tmp holds links to the old site's files */
    bool planned;          /* a job: its path was registered by the plan */
    struct ptab urls;    /* page url -> its post (clash check) */
    struct ptab failed;  /* templates whose rendering failed once */
    char *tmp;             /* the folder being written */
    int tmp_fd;            /* tmp opened, for openat(); -1: not open */
};

/* A page for the sitemap: its url, path_hash(url), and the post or page
 * it shows (NULL for a list), whose url it lends. */
struct html_page {
    const char *url;
    uint64_t hash;
    const struct post *post;
};

/* What the pages write to, shared by the rendering threads: lock is held
 * to change it while they run. */
struct outputs {
    pthread_mutex_t lock;
    struct ptab paths;   /* every file written, relative to the output */
    struct html_page *html; /* every HTML page, for the sitemap */
    size_t nhtml, caphtml;
    struct spool pool;     /* the strings of paths and html */
    struct spool cur_pool; /* next.cur's (filled on another thread) */
};

/* A content file found by the walk and read by one of the threads. */
struct source {
    char *path, *stem;
    const char *name;  /* stem NULL: made on the thread, from name's first
                          stem_len bytes (the scan's listing holds them) */
    size_t stem_len;
    struct input *in; /* what the scan saw of it, whose path path is
                       * (filled here when the scan left it for later);
                       * NULL: path is the source's own */
    bool is_page;
    struct post *post; /* NULL: it had errors, or is a skipped draft */
    struct diag d;     /* its messages, merged in walk order */
};

/* Options and version: a state made with others is not used.  --quiet
 * is one: its builds keep no warnings (formatting and keeping them all
 * took a cold build of 10 000 posts with about 21 000 warnings 23 MiB
 * more). */
static uint64_t
opts_key(const struct site_opts *o, const struct diag *d)
{
    uint64_t h = h64_str(H64_INIT, BLOG_STATE_VERSION);

    h = h64_u64(h, o->drafts);
    h = h64_u64(h, (uint64_t)o->link_check);
    return h64_u64(h, d->no_warnings);
}

static const char *const month_names[] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

/* ---- output ----------------------------------------------------------- */

/* Makes the folders above path (relative to the folder dfd, or to the
 * working folder with AT_FDCWD), from the nearest one that exists: with
 * many files in few new folders, this is one mkdir() per new folder. */
static bool
make_parents_at(int dfd, const char *path)
{
    char *dir = xstrdup(path), *slash = strrchr(dir, '/');
    bool ok = false;

    if (slash != NULL && slash != dir) {
        *slash = '\0';
        ok = mkdirat(dfd, dir, 0755) == 0 || errno == EEXIST ||
             (errno == ENOENT && make_parents_at(dfd, dir) &&
              (mkdirat(dfd, dir, 0755) == 0 || errno == EEXIST));
    }
    free(dir);
    return ok;
}

/* Records rel (a path under the output) and writes it, unless checking. */
static bool
emit(struct site *s, const char *rel, const char *data, size_t len)
{
    const void *old = NULL;

    if (!s->planned)
        old = set_put(&s->out->paths, rel, NULL);
    if (old != NULL) {
        diag_error(s->d, rel, 0, 0,
                   "two outputs would be written to this path; change a "
                   "permalink");
        return false;
    }
    if (s->o->dry_run)
        return true;
    /* relative to the folder's descriptor: half the path to look up */
    int dfd = s->tmp_fd >= 0 ? s->tmp_fd : AT_FDCWD;
    char *path = s->tmp_fd >= 0 ? NULL : fs_join(s->tmp, rel);
    const char *at = path != NULL ? path : rel;
    bool ok = false;
    if (s->reuse) /* it may be a link to the old site's file: replace it */
        unlinkat(dfd, at, 0);
    /* most folders exist already: try the file first, make its folders
     * only when they are missing (one system call for most files) */
    int fd = openat(dfd, at, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT && make_parents_at(dfd, at))
        fd = openat(dfd, at, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ok = true;
        while (len > 0) {
            ssize_t n = write(fd, data, len);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                ok = false;
                break;
            }
            data += n;
            len -= (size_t)n;
        }
        if (close(fd) != 0)
            ok = false;
    }
    if (!ok) {
        int e = errno;
        if (path == NULL)
            path = fs_join(s->tmp, rel);
        diag_error(s->d, path, 0, 0, "cannot write: %s", strerror(e));
    }
    free(path);
    return ok;
}

/* note_html() with the outputs' lock held. */
static void
note_html_locked(struct outputs *o, const char *url, const struct post *p)
{
    struct html_page e = {.post = p};

    if (p != NULL) {
        e.url = p->url;
        e.hash = p->url_hash;
    } else {
        e.url = spool_strdup(&o->pool, url);
        e.hash = path_hash(url);
    }
    if (o->nhtml == o->caphtml) {
        o->caphtml = o->caphtml ? o->caphtml * 2 : 256;
        o->html = xreallocarray(o->html, o->caphtml, sizeof *o->html);
    }
    o->html[o->nhtml++] = e;
}

/* Notes an HTML page for the sitemap: the post or page p's (which
 * outlives the sitemap), else the list page at url. */
static void
note_html(struct site *s, const char *url, const struct post *p)
{
    pthread_mutex_lock(&s->out->lock);
    note_html_locked(s->out, url, p);
    pthread_mutex_unlock(&s->out->lock);
}

static int
cmp_html_pages(const void *a, const void *b)
{
    return strcmp(((const struct html_page *)a)->url,
                  ((const struct html_page *)b)->url);
}

/* True if u (no leading '/') can be a page's path under the output: no
 * "." or ".." or empty folder names that would step outside it or alias
 * another page, no characters that end or break a URL in HTML. */
static bool
path_ok(const char *u)
{
    const char *seg = u;

    if (*u == '\0')
        return false;
    for (const char *p = u;; p++) {
        if (*p == '/' || *p == '\0') {
            size_t n = (size_t)(p - seg);
            if ((n == 0 && *p == '/') || (n == 1 && seg[0] == '.') ||
                (n == 2 && seg[0] == '.' && seg[1] == '.'))
                return false;
            if (*p == '\0')
                return true;
            seg = p + 1;
        } else if ((unsigned char)*p < 0x20 || *p == 0x7f ||
                   strchr(" \"<>\\?#", *p) != NULL) {
            return false;
        }
    }
}

/* ---- site.yaml -------------------------------------------------------- */

static const char *
conf_str(struct site *s, const char *key, const char *def, bool required)
{
    const struct val *v = val_get(s->config, key);

    if (v == NULL || v->kind == VAL_NULL) {
        if (required)
            diag_error(s->d, s->config_path, 1, 1,
                       "'%s' is missing; add a line '%s: ...'", key, key);
        return def;
    }
    if (!val_is_scalar(v)) {
        diag_error(s->d, s->config_path, v->line, v->col,
                   "'%s' must be a single value, not a %s", key,
                   v->kind == VAL_LIST ? "list" : "map");
        return def;
    }
    return v->s;
}

static bool
load_config(struct site *s)
{
    size_t len;
    char *text;
    const char *v;

    s->config_path = fs_join(s->o->site_dir, "site.yaml");
    if (!fs_exists(s->config_path)) {
        diag_error(s->d, s->config_path, 0, 0,
                   "no site.yaml; create one with at least 'title:' and "
                   "'base_url:'");
        return false;
    }
    if ((text = fs_read(s->config_path, 1 << 20, &len, s->d)) == NULL)
        return false;
    s->model = h64_bytes(s->model, text, len);
    if (fm_check_text(text, len, s->config_path, s->d))
        s->config = yval_parse(text, len, s->config_path, 0, s->d);
    free(text);
    if (s->config == NULL)
        return false;
    if (s->config->kind == VAL_NULL) {
        diag_error(s->d, s->config_path, 1, 1,
                   "site.yaml is empty; add at least 'title:' and "
                   "'base_url:'");
        return false;
    }
    if (s->config->kind != VAL_MAP) {
        diag_error(s->d, s->config_path, s->config->line, s->config->col,
                   "site.yaml must be keys and values (title: ...), not a "
                   "%s",
                   s->config->kind == VAL_LIST ? "list" : "single value");
        return false;
    }
    s->title = conf_str(s, "title", "", true);
    v = conf_str(s, "base_url", NULL, true);
    if (v != NULL) {
        const char *host = NULL;
        if (strncmp(v, "https://", 8) == 0)
            host = v + 8;
        else if (strncmp(v, "http://", 7) == 0)
            host = v + 7;
        const struct val *bv = val_get(s->config, "base_url");
        if (host == NULL || *host == '\0' || *host == '/' ||
            strpbrk(v, " \t\"<>'?#") != NULL) {
            diag_error(s->d, s->config_path, bv->line, bv->col,
                       "base_url '%s' is not a web address; write it like "
                       "https://example.org/ or https://example.org/blog/",
                       v);
        } else {
            const char *path = strchr(host, '/');
            if (path == NULL) {
                s->origin = xstrdup(v);
                s->root = xstrdup("/");
            } else {
                s->origin = xstrndup(v, (size_t)(path - v));
                size_t n = strlen(path);
                s->root = path[n - 1] == '/' ? xstrdup(path)
                                             : xasprintf("%s/", path);
            }
            s->base_url = xasprintf("%s%s", s->origin, s->root);
        }
    }
    s->permalink = conf_str(s, "permalink", ":year/:month/:day/:title/", false);
    {
        const char *u = s->permalink;
        while (*u == '/')
            u++;
        if (!path_ok(u)) {
            const struct val *pv = val_get(s->config, "permalink");
            diag_error(s->d, s->config_path, pv->line, pv->col,
                       "permalink '%s' is not a path pattern like "
                       "':year/:month/:day/:title/'",
                       s->permalink);
        }
    }
    const struct val *pp = val_get(s->config, "per_page");
    s->per_page = 10;
    if (pp != NULL) {
        if (pp->kind != VAL_NUM || pp->num != (long)pp->num || pp->num < 1 ||
            pp->num > SITE_MAX_PER_PAGE)
            diag_error(s->d, s->config_path, pp->line, pp->col,
                       "per_page must be a whole number from 1 to %d, not "
                       "'%s'",
                       SITE_MAX_PER_PAGE, val_text(pp));
        else
            s->per_page = (long)pp->num;
    }
    const char *tz = conf_str(s, "timezone", "UTC", false);
    if (!post_set_zone(tz)) {
        const struct val *tv = val_get(s->config, "timezone");
        diag_error(s->d, s->config_path, tv->line, tv->col,
                   "unknown timezone '%s'; use a name like UTC or "
                   "Europe/Paris",
                   tz);
    }
    conf_str(s, "language", "en", false);
    conf_str(s, "author", "", false);
    conf_str(s, "description", "", false);
    s->link_mode = SITE_LINKS_ERROR;
    const char *lc = conf_str(s, "link_check", "error", false);
    if (strcmp(lc, "warn") == 0) {
        s->link_mode = SITE_LINKS_WARN;
    } else if (strcmp(lc, "error") != 0) {
        const struct val *lv = val_get(s->config, "link_check");
        diag_error(s->d, s->config_path, lv->line, lv->col,
                   "link_check must be 'error' or 'warn', not '%s'", lc);
    }
    if (s->o->link_check != SITE_LINKS_DEFAULT)
        s->link_mode = s->o->link_check;
    return diag_errors(s->d) == 0;
}

/* ---- templates -------------------------------------------------------- */

/* True if templates/NAME.html does not exist in a templates folder that
 * does; when the file exists but did not compile, or the folder is
 * missing, that error was reported already and is not repeated per use. */
static bool
is_missing_template(const struct site *s, const char *name)
{
    if (tmpl_set_has(s->tmpl, name))
        return false;
    char *dir = fs_join(s->o->site_dir, "templates");
    char *file = xasprintf("%s/%s.html", dir, name);
    bool missing = fs_is_dir(dir) && !fs_exists(file);
    free(file);
    free(dir);
    return missing;
}

static const char *const required_templates[] = {
    "layout", "post", "page", "index", "tag", "tags", "archive", "404"};

/* A missing required template is reported once, not for every post. */
static bool
is_required_template(const char *name)
{
    size_t n = sizeof required_templates / sizeof *required_templates;

    for (size_t i = 0; i < n; i++)
        if (strcmp(name, required_templates[i]) == 0)
            return true;
    return false;
}

static bool
load_templates(struct site *s)
{
    char *dir = fs_join(s->o->site_dir, "templates");
    char **names = fs_list(dir);
    bool ok = true;

    s->tmpl = tmpl_set_new();
    tmpl_set_strict(s->tmpl, true);
    if (names == NULL) {
        diag_error(s->d, dir, 0, 0, "cannot read the templates folder: %s",
                   strerror(errno));
        free(dir);
        return false;
    }
    for (char **p = names; *p != NULL; p++) {
        size_t n = strlen(*p);
        if (n < 6 || strcmp(*p + n - 5, ".html") != 0)
            continue;
        char *path = fs_join(dir, *p), *name = xstrndup(*p, n - 5), *text;
        size_t len;
        if ((text = fs_read(path, FS_MAX_FILE, &len, s->d)) != NULL)
            s->model = h64_bytes(h64_str(s->model, name), text, len);
        if (text == NULL || !fm_check_text(text, len, path, s->d) ||
            !tmpl_set_add(s->tmpl, name, text, len, path, s->d))
            ok = false;
        free(text);
        free(name);
        free(path);
    }
    fs_list_free(names);
    for (size_t i = 0; i < sizeof required_templates / sizeof *required_templates;
         i++) {
        if (is_missing_template(s, required_templates[i])) {
            diag_error(s->d, dir, 0, 0,
                       "no template '%s'; create templates/%s.html",
                       required_templates[i], required_templates[i]);
            ok = false;
        }
    }
    free(dir);
    return ok;
}

/* ---- reading posts ---------------------------------------------------- */

static void
post_free(struct post *p)
{
    if (p == NULL)
        return;
    if (!p->borrowed) {
        free(p->src);
        free(p->stem);
        free(p->title);
        free(p->layout);
        free(p->url);
        free(p->description);
        free(p->messages);
    }
    if (!p->borrowed || p->links_owned)
        free(p->links_said);
    val_free(p->tags);
    val_free(p->cats);
    free(p->spelled[0]);
    free(p->spelled[1]);
    val_free(p->fm);
    arena_fini(&p->fm_pool);
    val_free(p->summary);
    if (p->md_borrowed)
        free(p->md.links);
    else
        md_result_fini(&p->md);
    if (!p->in_block)
        free(p);
}

/* Whether the posts and the rest of the model are left for exit() to
 * give back.  Freeing the many small allocations of 10 000 posts one by
 * one takes 50-100 ms (most of them made on the other thread, whose arena
 * each free() must lock, and glibc consolidating its fast bins), and the
 * tables, sources and inputs of an edit build 1-2 ms, when the process is
 * about to end and give back all of its memory at once. */
static bool
leave_to_exit(const struct site *s)
{
#if defined(__SANITIZE_ADDRESS__)
    (void)s;
    return false; /* the leak check must see every post freed */
#else
    return s->o->exiting;
#endif
}

static void
free_post_i(void *arg, size_t i)
{
    post_free(((struct post **)arg)[i]);
}

/* Frees the posts and pages, on par_jobs() threads. */
static void
free_posts(struct site *s)
{
    par_for(s->nposts, free_post_i, s->posts);
    par_for(s->npages, free_post_i, s->pages);
    free(s->posts);
    free(s->pages);
    s->posts = s->pages = NULL;
    s->nposts = s->npages = 0;
}

/* ---- posts kept in the state ------------------------------------------ */

static void
rec_date(struct buf *b, const struct post_date *d)
{
    rec_u64(b, (uint64_t)d->epoch);
    rec_bytes(b, d, sizeof *d);
}

static void
get_date(struct rec *r, struct post_date *d)
{
    size_t n;
    (void)rec_get_u64(r);
    const char *p = rec_get_bytes(r, &n);
    if (p != NULL && n == sizeof *d)
        memcpy(d, p, n);
    else
        r->bad = true;
}

static void
rec_terms(struct buf *b, const struct val *list)
{
    rec_u64(b, list != NULL ? list->n : UINT64_MAX);
    for (size_t i = 0; list != NULL && i < list->n; i++)
        rec_str(b, list->items[i]->s);
}

static struct val *
get_terms(struct rec *r)
{
    uint64_t n = rec_get_u64(r);
    const char *str[32];
    size_t len[32];

    if (n == UINT64_MAX || r->bad)
        return NULL;
    if (n <= 32) { /* most posts: the list in one allocation */
        for (uint64_t i = 0; i < n && !r->bad; i++)
            str[i] = rec_get_bytes(r, &len[i]);
        return r->bad ? NULL : val_list_lend_strs(str, len, (size_t)n);
    }
    struct val *list = val_list();
    for (uint64_t i = 0; i < n && !r->bad; i++) {
        size_t k;
        const char *t = rec_get_bytes(r, &k);
        val_push(list, t != NULL ? val_str_lend(t, k) : val_str(""));
    }
    return list;
}

/* Whether the body goes on after the excerpt. */
static bool
has_more(const struct post *p)
{
    return p->light ? p->longer : p->md.excerpt_len < p->md.html_len;
}

/* What lists, the link check and the next build need of a post. */
static void
rec_post(struct buf *b, const struct post *p)
{
    rec_str(b, p->src);
    rec_u64(b, p->size);
    rec_u64(b, p->mtime_ns);
    rec_u64(b, p->ino);
    rec_u64(b, p->key);
    rec_u64(b, p->src_hash);
    rec_u64(b, p->url_hash);
    rec_u64(b, p->link_key);
    rec_str(b, p->stem);
    rec_u64(b, p->is_page);
    rec_str(b, p->title);
    rec_date(b, &p->date);
    rec_date(b, &p->updated);
    rec_u64(b, p->has_date);
    rec_u64(b, p->has_updated);
    rec_str(b, p->layout);
    rec_str(b, p->url);
    rec_str(b, p->description);
    rec_terms(b, p->tags);
    rec_terms(b, p->cats);
    rec_bytes(b, p->md.html, p->md.excerpt_len);
    rec_u64(b, has_more(p));
    rec_u64(b, p->md.has_more);
    rec_u64(b, p->md.nlinks);
    for (size_t i = 0; i < p->md.nlinks; i++) {
        rec_str(b, p->md.links[i].url);
        rec_str(b, p->md.links[i].what);
        rec_u64(b, (uint64_t)p->md.links[i].line);
    }
    rec_u64(b, (uint64_t)p->plink_line);
    rec_u64(b, (uint64_t)p->plink_col);
    rec_u64(b, (uint64_t)p->warnings);
    rec_str(b, p->messages);
    rec_u64(b, p->sumkey);
    rec_str(b, p->links_said);
    rec_u64(b, (uint64_t)p->links_warnings);
}

/* A light post from the state, in *p (zeroed, one of the site's block
 * of light posts); NULL if it is damaged. */
static struct post *
get_post(struct rec *r, struct post *p)
{
    size_t n;
    const char *ex;

    /* the strings stay in the mapped posts file, which outlives the posts */
    p->light = p->borrowed = p->md_borrowed = p->in_block = true;
    p->rec = r->p;
    p->src = (char *)rec_peek_str(r);
    p->size = rec_get_u64(r);
    p->mtime_ns = rec_get_u64(r);
    p->ino = rec_get_u64(r);
    p->key = rec_get_u64(r);
    p->src_hash = rec_get_u64(r);
    p->url_hash = rec_get_u64(r);
    p->link_key = rec_get_u64(r);
    p->stem = (char *)rec_peek_str(r);
    p->is_page = rec_get_u64(r) != 0;
    p->title = (char *)rec_peek_str(r);
    get_date(r, &p->date);
    get_date(r, &p->updated);
    p->has_date = rec_get_u64(r) != 0;
    p->has_updated = rec_get_u64(r) != 0;
    p->layout = (char *)rec_peek_str(r);
    p->url = (char *)rec_peek_str(r);
    p->description = (char *)rec_peek_str(r);
    p->tags = get_terms(r);
    p->cats = get_terms(r);
    ex = rec_get_bytes(r, &n);
    p->md.html = (char *)(ex != NULL ? ex : "");
    p->md.excerpt_len = p->md.html_len = n; /* of the body, the excerpt */
    p->longer = rec_get_u64(r) != 0;
    p->md.has_more = rec_get_u64(r) != 0;
    uint64_t nl = rec_get_u64(r);
    if (!r->bad && nl > 0 && nl < (1u << 24)) {
        p->md.links = xcalloc((size_t)nl, sizeof *p->md.links);
        for (uint64_t i = 0; i < nl && !r->bad; i++) {
            struct md_link *l = &p->md.links[p->md.nlinks++];
            l->url = (char *)rec_peek_str(r);
            l->what = (char *)rec_peek_str(r);
            l->line = (int)rec_get_u64(r);
        }
    }
    p->plink_line = (int)rec_get_u64(r);
    p->plink_col = (int)rec_get_u64(r);
    p->warnings = (int)rec_get_u64(r);
    p->messages = (char *)rec_peek_str(r);
    p->sumkey = rec_get_u64(r);
    p->links_said = (char *)rec_peek_str(r);
    p->links_warnings = (int)rec_get_u64(r);
    p->rec_len = (size_t)(r->p - p->rec);
    for (size_t i = 0; i < p->md.nlinks; i++)
        if (p->md.links[i].url == NULL || p->md.links[i].what == NULL)
            r->bad = true;
    if (r->bad || p->src == NULL || p->stem == NULL || p->title == NULL ||
        p->layout == NULL || p->url == NULL) {
        r->bad = true;
        post_free(p);
        return NULL;
    }
    return p;
}

static const char *const known_keys[] = {
    "title", "date", "updated", "tags", "categories", "description",
    "permalink", "draft", "published", "layout", "excerpt", "lang",
    "comments", "author", "slug", "keywords", "toc", "sticky", "cover"};

static void
warn_unknown_keys(struct site *s, const struct post *p)
{
    for (size_t i = 0; i < p->fm->n; i++) {
        const char *k = p->fm->keys[i];
        const char *best = NULL;
        bool known = false;
        for (size_t j = 0; j < sizeof known_keys / sizeof *known_keys; j++)
            if (strcmp(k, known_keys[j]) == 0)
                known = true;
        if (!known)
            best = diag_closest(k, known_keys,
                                sizeof known_keys / sizeof *known_keys);
        if (!known && best != NULL)
            diag_warning(s->d, p->src, p->fm->items[i]->line,
                         p->fm->items[i]->col,
                         "unknown front matter key '%s'; did you mean '%s'?",
                         k, best);
    }
}

static const char *
fm_string(struct site *s, struct post *p, const char *key)
{
    const struct val *v = val_get(p->fm, key);

    if (v == NULL || v->kind == VAL_NULL)
        return NULL;
    if (!val_is_scalar(v)) {
        diag_error(s->d, p->src, v->line, v->col,
                   "'%s' must be text, not a %s; quote it if needed", key,
                   v->kind == VAL_LIST ? "list" : "map");
        return NULL;
    }
    return v->s;
}

static bool
fm_date(struct site *s, struct post *p, const char *key,
        struct post_date *out)
{
    const struct val *v = val_get(p->fm, key);
    char err[256];

    if (v == NULL || v->kind == VAL_NULL)
        return false;
    if (!val_is_scalar(v) || v->kind == VAL_BOOL) {
        diag_error(s->d, p->src, v->line, v->col,
                   "'%s' must be a date like 2019-07-14 16:34:58", key);
        return false;
    }
    if (!post_parse_date(v->s, out, err, sizeof err)) {
        diag_error(s->d, p->src, v->line, v->col, "%s", err);
        return false;
    }
    return true;
}

static bool
fm_bool(struct site *s, struct post *p, const char *key, bool def)
{
    const struct val *v = val_get(p->fm, key);

    if (v == NULL || v->kind == VAL_NULL)
        return def;
    if (v->kind != VAL_BOOL) {
        diag_error(s->d, p->src, v->line, v->col,
                   "'%s' must be true or false, not '%s'", key, val_text(v));
        return def;
    }
    return v->b;
}

static uint64_t summary_key(const struct post *p);

/* Reads one content file; NULL when it has errors or is a skipped draft.
 * in: the scan's input of it when the scan left its stat() for later
 * (else NULL), filled from the fstat() of this reading, a draft's too. */
static struct post *
read_post(struct site *s, const char *path, const char *stem, bool is_page,
          struct input *in)
{
    struct post *p = xcalloc(1, sizeof *p);
    struct fm fm;
    size_t len;
    char *text;
    int errors = diag_errors(s->d);
    const char *v;

    p->src = xstrdup(path);
    p->stem = xstrdup(stem);
    p->is_page = is_page;
    struct stat st;
    if ((text = fs_read_stat(path, FS_MAX_FILE, &len, &st, s->d)) == NULL)
        goto fail;
    struct input seen;
    input_set_stat(&seen, &st);
    p->size = seen.size;
    p->mtime_ns = seen.mtime_ns;
    p->ino = seen.ino;
    if (in != NULL && in->later)
        /* taken before the text was read: a change after it is a change
         * the next build sees */
        input_set_stat(in, &st);
    p->key = h64_bytes(h64_str(H64_INIT, path), text, len);
    if (!fm_parse_take(text, len, path, &fm, s->d))
        goto fail;
    p->fm = fm.data;
    p->fm_pool = fm.pool;
    fm.data = NULL;
    fm.pool = (struct arena){0};
    warn_unknown_keys(s, p);

    bool draft = fm_bool(s, p, "draft", false);
    bool published = fm_bool(s, p, "published", true);
    if ((draft || !published) && !s->o->drafts) {
        fm_fini(&fm);
        post_free(p);
        return NULL;
    }
    v = fm_string(s, p, "title");
    p->title = xstrdup(v != NULL ? v : stem);
    p->has_date = fm_date(s, p, "date", &p->date);
    p->has_updated = fm_date(s, p, "updated", &p->updated);
    if (!p->has_date && !is_page && val_get(p->fm, "date") == NULL) {
        /* no date: sort it first, as a post being written; the build
         * never reads the clock or file times */
        diag_warning(s->d, path, 1, 1,
                     "no 'date'; add 'date: YYYY-MM-DD HH:MM:SS' (the post "
                     "is dated 1970-01-01)");
        char err[64];
        post_parse_date("1970-01-01 00:00:00Z", &p->date, err, sizeof err);
    }
    if (!p->has_updated)
        p->updated = p->date;
    p->tags = post_terms(val_get(p->fm, "tags"), "tags", path, s->d);
    p->cats = post_terms(val_get(p->fm, "categories"), "categories", path, s->d);
    if ((v = fm_string(s, p, "description")) != NULL)
        p->description = xstrdup(v);
    v = fm_string(s, p, "layout");
    p->layout = xstrdup(v != NULL ? v : is_page ? "page" : "post");
    if (is_missing_template(s, p->layout) && !is_required_template(p->layout)) {
        const struct val *lv = val_get(p->fm, "layout");
        diag_error(s->d, path, lv != NULL ? lv->line : 1,
                   lv != NULL ? lv->col : 1,
                   "unknown layout '%s'; create templates/%s.html or use "
                   "'post' or 'page'",
                   p->layout, p->layout);
    }

    /* the permalink: front matter, else the site's pattern (posts) or the
     * file's place (pages) */
    v = fm_string(s, p, "permalink");
    if (v != NULL) {
        const struct val *pv = val_get(p->fm, "permalink");
        const char *u = v;
        p->plink_line = pv->line;
        p->plink_col = pv->col;
        while (*u == '/')
            u++;
        size_t n = strlen(u);
        if (!path_ok(u)) {
            diag_error(s->d, path, pv->line, pv->col,
                       "permalink '%s' is not a path like "
                       "'notes/my-post/'",
                       v);
        } else if (u[n - 1] == '/' ||
                   (n > 5 && strcmp(u + n - 5, ".html") == 0)) {
            p->url = xstrdup(u);
        } else {
            p->url = xasprintf("%s/", u);
        }
    } else if (is_page) {
        p->url = xasprintf("%s/", stem);
        if (!path_ok(p->url))
            diag_error(s->d, path, 1, 1,
                       "the file's name gives the path '/%s', which is not "
                       "a web path; rename it or set 'permalink:'",
                       p->url);
    } else {
        char err[256];
        bool safe = true;
        for (const char *c = stem; *c; c++)
            if (!(isalnum((unsigned char)*c) || *c == '-' || *c == '_' ||
                  *c == '.'))
                safe = false;
        char *slug = safe ? xstrdup(stem) : post_slugify(stem);
        char *cat = p->cats != NULL && p->cats->n > 0
                        ? post_slugify(p->cats->items[0]->s)
                        : NULL;
        p->url = post_permalink(s->permalink, &p->date, slug, cat, err,
                                sizeof err);
        if (p->url == NULL) {
            const struct val *pv = val_get(s->config, "permalink");
            diag_error(s->d, s->config_path, pv != NULL ? pv->line : 1,
                       pv != NULL ? pv->col : 1, "%s", err);
        }
        free(slug);
        free(cat);
    }
    if (diag_errors(s->d) == errors) {
        p->src_hash = path_hash(path);
        p->url_hash = path_hash(p->url);
        p->link_key = h64_str(h64_str(H64_INIT, p->title), p->url);
        md_render(fm.body, fm.body_len, path, fm.body_line, s->root, &p->md,
                  s->d);
    }
    fm_fini(&fm);
    if (diag_errors(s->d) != errors)
        goto fail;
    /* here, on the reading threads, while the excerpt is in the cache */
    p->sumkey = summary_key(p);
    return p;
fail:
    post_free(p);
    return NULL;
}

static void
add_post(struct post ***list, size_t *n, struct post *p)
{
    if ((*n & (*n - 1)) == 0) /* doubling at each power of two */
        *list = xreallocarray(*list, *n ? 2 * *n : 1, sizeof **list);
    (*list)[(*n)++] = p;
}

/* Notes a content file to read and returns it; takes stem (NULL: the
 * caller sets name), and path unless it is the scan's input in's (NULL:
 * not scanned). */
static struct source *
add_source(struct site *s, char *path, struct input *in, char *stem,
           bool is_page)
{
    if (s->nfound == s->capfound) {
        s->capfound = s->capfound ? 2 * s->capfound : 64;
        s->found = xreallocarray(s->found, s->capfound, sizeof *s->found);
    }
    s->found[s->nfound] = (struct source){
        .path = path, .stem = stem, .in = in, .is_page = is_page};
    return &s->found[s->nfound++];
}

/* Reads found[i], on one of the threads: read_post() sees a copy of the
 * site whose messages go to the file's own diag. */
static void
read_source(void *arg, size_t i)
{
    const struct site *s = arg;
    struct source *src = &s->found[i];
    struct site own = *s;

    struct post *c;
    struct input now = {0};
    const struct input *in = NULL;

    diag_init_sub(&src->d, s->d);
    own.d = &src->d;
    c = (struct post *)set_get_h(&s->cached, src->path,
                                 path_hash(src->path));
    /* what the scan at the start saw of it, else what stat() says */
    if (c != NULL && (in = src->in) == NULL) {
        struct stat st;
        if (stat(src->path, &st) == 0)
            input_set_stat(&now, &st);
        in = &now;
    }
    const char *stem = src->stem != NULL ? src->stem : src->name;
    size_t stem_len = src->stem != NULL ? strlen(src->stem) : src->stem_len;
    if (c != NULL && c->size == in->size && c->mtime_ns == in->mtime_ns &&
        c->ino == in->ino && c->is_page == src->is_page &&
        strncmp(c->stem, stem, stem_len) == 0 && c->stem[stem_len] == '\0') {
        /* as the last build read it: its messages are said again */
        c->taken = true;
        src->post = c;
        if (c->messages != NULL && *c->messages != '\0')
            buf_puts(&src->d.text, c->messages);
        src->d.warnings += c->warnings;
        return;
    }
    if (src->stem == NULL)
        src->stem = xstrndup(src->name, src->stem_len);
    src->post = read_post(&own, src->path, src->stem, src->is_page, src->in);
    if (src->post != NULL) {
        src->post->messages = xstrndup(src->d.text.data != NULL
                                           ? src->d.text.data : "",
                                       src->d.text.len);
        src->post->warnings = src->d.warnings;
    }
}

/* Reads every file the walks found, on par_jobs() threads, then keeps
 * the posts and pages and prints the messages, in walk order. */
static void
read_sources(struct site *s)
{
    par_for(s->nfound, read_source, s);
    for (size_t i = 0; i < s->nfound; i++) {
        struct source *src = &s->found[i];
        diag_merge_held(s->d, &src->d);
        diag_fini(&src->d);
        if (src->post != NULL && src->is_page)
            add_post(&s->pages, &s->npages, src->post);
        else if (src->post != NULL)
            add_post(&s->posts, &s->nposts, src->post);
        if (src->in == NULL)
            free(src->path);
        free(src->stem);
    }
    diag_flush(s->d); /* one write, not one a file */
    free(s->found);
    s->found = NULL;
    s->nfound = s->capfound = 0;
    for (size_t i = 0; i < s->cached.cap; i++) {
        struct post *c = (struct post *)s->cached.slot[i].val.p;
        if (s->cached.slot[i].key != NULL && c != NULL && !c->taken)
            post_free(c);
    }
    ptab_fini(&s->cached);
}

/* The folders being walked, innermost first: a link that leads back to
 * one of them would make the walk go round until the path is too long. */
struct walk {
    dev_t dev;
    ino_t ino;
    const char *path;
    const struct walk *up;
};

/* Enters dir: fills *w and returns true, or reports a loop. */
static bool
walk_enter(struct site *s, const char *dir, const struct walk *up,
           struct walk *w)
{
    struct stat st;

    if (stat(dir, &st) != 0)
        return false;
    for (const struct walk *c = up; c != NULL; c = c->up) {
        if (c->dev == st.st_dev && c->ino == st.st_ino) {
            diag_error(s->d, dir, 0, 0,
                       "this folder is '%s' again (a link makes a loop); "
                       "remove the link",
                       c->path);
            return false;
        }
    }
    *w = (struct walk){st.st_dev, st.st_ino, dir, up};
    return true;
}

/* A folder named like a content file is a mistake: a post is a file. */
static bool
is_md_folder(struct site *s, const char *path, const char *name)
{
    size_t n = strlen(name);

    if (n < 3 || strcmp(name + n - 3, ".md") != 0)
        return false;
    diag_error(s->d, path, 0, 0,
               "a folder named like a Markdown file; rename it (a post or "
               "page is a file NAME.md)");
    return true;
}

/* dir's names, sorted: as the scan at the start listed them (*input
 * says which input each is), else listed now (*input NULL; free them with
 * fs_list_free()). */
static char **
list_dir(struct site *s, const char *dir, const size_t **input)
{
    char **names = inputs_listing(&s->next.inputs, dir, input);

    return names != NULL ? names : fs_list(dir);
}

/* The entry k of a listing of dir: the scan's input when it saw a file
 * there (*in, whose path is returned), else NULL and a new path (*is_dir
 * when it is a folder). */
static char *
entry_path(struct site *s, const char *dir, char **names,
           const size_t *input, size_t k, struct input **in,
           bool *is_dir)
{
    if (input != NULL && input[k] != SIZE_MAX) {
        *in = &s->next.inputs.v[input[k]];
        *is_dir = false;
        return (*in)->path;
    }
    char *path = fs_join(dir, names[k]);
    *in = NULL;
    *is_dir = fs_is_dir(path);
    return path;
}

/* Walks content/posts recursively (sorted, so the order never depends on
 * the file system). */
static void
read_posts_dir(struct site *s, const char *dir, const struct walk *up)
{
    struct walk w;
    char **names;
    const size_t *input;

    if (!walk_enter(s, dir, up, &w) ||
        (names = list_dir(s, dir, &input)) == NULL)
        return;
    for (size_t k = 0; names[k] != NULL; k++) {
        const char *q = names[k];
        if (q[0] == '.' || q[0] == '_')
            continue;
        /* what the scan found is a file: no stat() for it */
        struct input *in;
        bool is_dir;
        char *path = entry_path(s, dir, names, input, k, &in, &is_dir);
        size_t n = strlen(q);
        if (is_dir) {
            if (!is_md_folder(s, path, q))
                read_posts_dir(s, path, &w);
        } else if (n > 3 && strcmp(q + n - 3, ".md") == 0) {
            /* the stem is made on the threads when the scan keeps the
             * listing */
            struct source *src = add_source(
                s, path, in, input != NULL ? NULL : xstrndup(q, n - 3), false);
            if (input != NULL) {
                src->name = q;
                src->stem_len = n - 3;
            }
            continue; /* the source keeps path (or the scan does) */
        }
        if (in == NULL)
            free(path);
    }
    if (input == NULL)
        fs_list_free(names);
}

static void
read_pages_dir(struct site *s, const char *dir, const char *prefix,
               const struct walk *up)
{
    struct walk w;
    char **names;
    const size_t *input;

    if (!walk_enter(s, dir, up, &w) ||
        (names = list_dir(s, dir, &input)) == NULL)
        return;
    for (size_t k = 0; names[k] != NULL; k++) {
        const char *q = names[k];
        if (q[0] == '.' || q[0] == '_')
            continue;
        struct input *in;
        bool is_dir;
        char *path = entry_path(s, dir, names, input, k, &in, &is_dir);
        size_t n = strlen(q);
        if (is_dir) {
            if (!is_md_folder(s, path, q)) {
                char *sub =
                    *prefix ? xasprintf("%s/%s", prefix, q) : xstrdup(q);
                read_pages_dir(s, path, sub, &w);
                free(sub);
            }
        } else if (n > 3 && strcmp(q + n - 3, ".md") == 0) {
            char *stem;
            if (strcmp(q, "index.md") == 0 && *prefix)
                stem = xstrdup(prefix);
            else if (*prefix)
                stem = xasprintf("%s/%.*s", prefix, (int)n - 3, q);
            else
                stem = xstrndup(q, n - 3);
            add_source(s, path, in, stem, true);
            continue; /* the source keeps path (or the scan does) */
        }
        if (in == NULL)
            free(path);
    }
    if (input == NULL)
        fs_list_free(names);
}

/* A post and its date as a key that orders newest first. */
struct dated {
    uint64_t key;
    struct post *p;
};

static uint64_t
newest_first(int64_t epoch)
{
    /* the sign bit flipped orders int64_t as uint64_t; then reversed */
    return ~((uint64_t)epoch ^ ((uint64_t)1 << 63));
}

/* Equal dates by file name, so the order is total. */
static int
cmp_dated(const void *a, const void *b)
{
    const struct dated *x = a, *y = b;

    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return strcmp(x->p->src, y->p->src);
}

/* Sorts the posts newest first, equal dates by file name: by the date
 * key, eleven bits at a time (a pass is skipped where all keys have the
 * same bits), then each run of equal dates by name.  10 000 posts: 0.4 M
 * instructions instead of qsort()'s 6.4 M. */
static void
sort_posts(struct site *s)
{
    enum { BITS = 11, NB = 1 << BITS };
    size_t n = s->nposts;

    if (n < 2)
        return;
    struct dated *v = xmalloc(2 * n * sizeof *v), *w = v + n;
    size_t *count = xmalloc(NB * sizeof *count);
    for (size_t i = 0; i < n; i++)
        v[i] = (struct dated){newest_first(s->posts[i]->date.epoch),
                              s->posts[i]};
    for (unsigned shift = 0; shift < 64; shift += BITS) {
        memset(count, 0, NB * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(v[i].key >> shift) & (NB - 1)]++;
        if (count[(v[0].key >> shift) & (NB - 1)] == n)
            continue; /* these bits are the same in every key */
        for (size_t b = 0, sum = 0; b < NB; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            w[count[(v[i].key >> shift) & (NB - 1)]++] = v[i];
        struct dated *t = v;
        v = w;
        w = t;
    }
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && v[j].key == v[i].key; j++)
            ;
        if (j - i > 1)
            qsort(v + i, j - i, sizeof *v, cmp_dated);
    }
    for (size_t i = 0; i < n; i++)
        s->posts[i] = v[i].p;
    free(v < w ? v : w);
    free(count);
}

/* What the build generates at url (a post's path), or NULL if nothing:
 * a post there would overwrite it or be overwritten. */
static const char *
generated_at(const char *url)
{
#define GEN(folder, what) {folder, sizeof folder - 1, what}
    static const struct {
        const char *folder;
        size_t len;
        const char *what;
    } gen[] = {
        GEN("page", "the home page's later pages"),
        GEN("tags", "the tag pages"),
        GEN("categories", "the category pages"),
        GEN("archives", "the archive"),
        GEN("atom.xml", "the feed"),
        GEN("sitemap.xml", "the sitemap"),
        GEN("robots.txt", "robots.txt"),
        GEN("404.html", "the 404 page"),
    };
#undef GEN
    size_t n = strcspn(url, "/");

    if (*url == '\0' || strcmp(url, "index.html") == 0)
        return "the home page";
    for (size_t i = 0; i < sizeof gen / sizeof *gen; i++)
        if (gen[i].len == n && memcmp(url, gen[i].folder, n) == 0)
            return gen[i].what;
    return NULL;
}

static void
check_urls(struct site *s, struct post **list, size_t n)
{
    ptab_reserve(&s->urls, s->urls.n + n);
    for (size_t i = 0; i < n; i++) {
        const struct post *p = list[i];
        uint64_t h = p->url_hash;
        const struct post *other = set_get_h(&s->urls, p->url, h);
        const char *what = generated_at(p->url);
        if (what != NULL) {
            diag_error(s->d, p->src, p->plink_line ? p->plink_line : 1,
                       p->plink_line ? p->plink_col : 1,
                       "permalink '/%s' is where %s %s generated; set "
                       "another 'permalink:'",
                       p->url, what,
                       strncmp(what, "the", 3) == 0 &&
                               what[strlen(what) - 1] == 's'
                           ? "are"
                           : "is");
        } else if (other != NULL) {
            diag_error(s->d, p->src, p->plink_line ? p->plink_line : 1,
                       p->plink_line ? p->plink_col : 1,
                       "permalink '/%s' is also used by %s; set another "
                       "'permalink:' in one of them",
                       p->url, other->src);
        } else {
            set_put_h(&s->urls, p->url, h, p);
        }
    }
}

/* ---- taxonomies ------------------------------------------------------- */

/* A term as a post spells it: a post shows {name, slug, url} as it wrote
 * the name, made once for every spelling and lent to the pages. */
struct spelling {
    struct term *term; /* NULL until a post has it (and for empty slugs) */
    struct val *data;
};

static struct spelling *
spell_term(const struct site *s, struct taxonomy *t, const char *name)
{
    struct spelling *sp = (struct spelling *)set_get(&t->spelled, name);

    if (sp != NULL)
        return sp;
    char *slug = post_slugify(name);
    sp = xcalloc(1, sizeof *sp);
    sp->data = val_map_static(3);
    val_set_str(sp->data, "name", name);
    val_set_str(sp->data, "slug", slug);
    val_set(sp->data, "url",
            val_str_take(xasprintf("%s%s/%s/", s->root, t->dir,
                                   *slug ? slug : "-")));
    set_put(&t->spelled, name, sp);
    free(slug);
    return sp;
}

static void
add_to_term(struct term *term, size_t i)
{
    if (term->n == term->cap) {
        term->cap = term->cap ? term->cap * 2 : 8;
        term->posts = xreallocarray(term->posts, term->cap,
                                    sizeof *term->posts);
    }
    term->posts[term->n++] = i;
}

/* p's spellings of t's terms (p->spelled), to be filled in */
static const struct spelling **
spellings(struct post *p, const struct val *list, bool tags)
{
    const struct spelling ***sp = &p->spelled[tags ? 0 : 1];

    free(*sp);
    *sp = list != NULL && list->n > 0 ? xcalloc(list->n, sizeof **sp)
                                      : NULL;
    return *sp;
}

static void
build_taxonomy(struct site *s, struct taxonomy *t, bool tags)
{
    for (size_t i = 0; i < s->nposts; i++) {
        struct post *p = s->posts[i];
        const struct val *list = tags ? p->tags : p->cats;
        const struct spelling **spelled = spellings(p, list, tags);
        for (size_t k = 0; list != NULL && k < list->n; k++) {
            /* a spelling seen before names the same term: no slug made */
            const char *name = list->items[k]->s;
            uint64_t h = path_hash_len(name, list->items[k]->len);
            struct spelling *sp =
                (struct spelling *)set_get_h(&t->spelled, name, h);
            if (sp != NULL && sp->term != NULL) {
                add_to_term(sp->term, i);
                spelled[k] = sp;
                continue;
            }
            char *slug = post_slugify(name);
            struct term *term = (struct term *)set_get(&t->by_slug, slug);
            if (*slug == '\0') {
                free(slug);
                slug = xstrdup("-");
            }
            if (term == NULL) {
                term = xcalloc(1, sizeof *term);
                term->name = xstrdup(list->items[k]->s);
                term->slug = xstrdup(slug);
                set_put(&t->by_slug, slug, term);
                if ((t->n & (t->n - 1)) == 0) /* doubling */
                    t->terms = xreallocarray(t->terms, t->n ? 2 * t->n : 1,
                                             sizeof *t->terms);
                t->terms[t->n++] = term;
            }
            add_to_term(term, i);
            sp = spell_term(s, t, name);
            if (strcmp(slug, "-") != 0)
                sp->term = term;
            spelled[k] = sp;
            free(slug);
        }
    }
    /* pages show their terms too, but are on no term's list */
    for (size_t i = 0; i < s->npages; i++) {
        struct post *p = s->pages[i];
        const struct val *list = tags ? p->tags : p->cats;
        const struct spelling **spelled = spellings(p, list, tags);
        for (size_t k = 0; list != NULL && k < list->n; k++)
            spelled[k] = spell_term(s, t, list->items[k]->s);
    }
}

/* The posts' order and their tags, made on a thread of their own while
 * the main thread checks the urls and then, once the order is known, makes
 * the categories (the three touch nothing in common but the posts, which
 * none changes). */
struct order {
    struct site *s;
    sem_t sorted; /* posted when s->posts is in order */
};

static void *
order_thread(void *arg)
{
    struct order *o = arg;

    hugepages_thread();
    sort_posts(o->s);
    sem_post(&o->sorted);
    build_taxonomy(o->s, &o->s->tax[0], true);
    return NULL;
}

static void
order_and_check(struct site *s)
{
    /* clashes are reported in file order, on the later file: the urls
     * are checked in a copy of that order while the posts are sorted */
    struct post **filed = xmalloc((s->nposts + 1) * sizeof *filed);
    struct order o = {.s = s};
    pthread_t t;

    if (s->nposts > 0)
        memcpy(filed, s->posts, s->nposts * sizeof *filed);
    sem_init(&o.sorted, 0, 0);
    bool threaded = pthread_create(&t, NULL, order_thread, &o) == 0;
    if (!threaded)
        order_thread(&o);
    check_urls(s, filed, s->nposts);
    check_urls(s, s->pages, s->npages);
    sem_wait(&o.sorted);
    build_taxonomy(s, &s->tax[1], false);
    if (threaded)
        pthread_join(t, NULL);
    sem_destroy(&o.sorted);
    free(filed);
}

static int
cmp_terms(const void *a, const void *b)
{
    const struct term *x = *(struct term *const *)a;
    const struct term *y = *(struct term *const *)b;

    return strcmp(x->slug, y->slug);
}

static void
free_taxonomy(struct taxonomy *t)
{
    for (size_t i = 0; t->lists != NULL && i < t->n; i++) {
        free(t->lists[i].base);
        free(t->lists[i].title);
    }
    free(t->lists);
    val_free(t->index);
    for (size_t i = 0; i < t->n; i++) {
        free(t->terms[i]->name);
        free(t->terms[i]->slug);
        free(t->terms[i]->posts);
        free(t->terms[i]);
    }
    free(t->terms);
    ptab_fini(&t->by_slug);
    for (size_t i = 0; i < t->spelled.cap; i++) {
        struct spelling *sp = (struct spelling *)t->spelled.slot[i].val.p;
        if (t->spelled.slot[i].key != NULL) {
            val_free(sp->data);
            free(sp);
        }
    }
    ptab_fini(&t->spelled);
}

/* ---- template data ---------------------------------------------------- */

/* key: the site-absolute url of rel (the root, then rel) */
static void
set_url(const struct site *s, struct val *m, const char *key, const char *rel)
{
    val_set(m, key, val_str_cat(s->root, rel));
}

/* prefix ("date" or "updated"), prefix_iso and prefix_long: the keys
 * are constants, so that maps with constant keys can take them */
static void
set_dates(struct val *m, const char *prefix, const struct post_date *dt)
{
    char iso[32], text[64];
    bool date = strcmp(prefix, "date") == 0;

    post_date_rfc3339(dt, iso);
    val_set_str(m, date ? "date_iso" : "updated_iso", iso);
    post_date_ymd(dt, text);
    val_set_str(m, date ? "date" : "updated", text);
    /* "July 14, 2019" */
    char *t = text;
    const char *month = month_names[dt->month - 1];
    size_t nm = strlen(month);
    memcpy(t, month, nm);
    t += nm;
    *t++ = ' ';
    if (dt->day >= 10)
        *t++ = (char)('0' + dt->day / 10 % 10);
    *t++ = (char)('0' + dt->day % 10);
    *t++ = ',';
    *t++ = ' ';
    post_date_ymd(dt, t);
    t[4] = '\0'; /* the year */
    if (dt->year < 0 || dt->year > 9999)
        snprintf(text, sizeof text, "%s %d, %04d", month, dt->day, dt->year);
    val_set_str(m, date ? "date_long" : "updated_long", text);
}

/* A post's tags (k 0) or categories (1): the terms' data, lent. */
static struct val *
terms_val(const struct site *s, const struct post *p, int k)
{
    const struct taxonomy *t = &s->tax[k];
    const struct val *list = k == 0 ? p->tags : p->cats;
    const struct spelling *const *spelled = p->spelled[k];
    struct val *out = val_list();

    for (size_t i = 0; list != NULL && i < list->n; i++) {
        const struct spelling *sp =
            spelled != NULL ? spelled[i]
                            : set_get_h(&t->spelled, list->items[i]->s,
                                        path_hash_len(list->items[i]->s,
                                                      list->items[i]->len));
        val_push(out, val_lend(sp->data));
    }
    return out;
}

/* What lists show of a post: built once, shared by every list page. */
static struct val *
summary_val(const struct site *s, const struct post *p)
{
    struct val *m = val_map_static(16);

    /* the same on every list page, until the posts are freed: what the
     * list's template renders for it is rendered once (s->memo) */
    m->stable = true;
    /* the post outlives its summary: its strings are lent */
    val_set(m, "title", val_str_lend(p->title, strlen(p->title)));
    set_url(s, m, "url", p->url);
    val_set(m, "abs_url", val_str_cat(s->base_url, p->url));
    set_dates(m, "date", &p->date);
    if (p->has_updated)
        set_dates(m, "updated", &p->updated);
    val_set(m, "excerpt", val_str_lend(p->md.html, p->md.excerpt_len));
    val_set_bool(m, "has_more", has_more(p));
    if (p->description != NULL)
        val_set(m, "description",
                val_str_lend(p->description, strlen(p->description)));
    val_set(m, "tags", terms_val(s, p, 0));
    val_set(m, "categories", terms_val(s, p, 1));
    return m;
}

static uint64_t
hash_date(uint64_t h, const struct post_date *d)
{
    const int64_t v[] = {d->epoch, d->year, d->month, d->day,
                         d->hour,  d->min,  d->sec,   d->offset};

    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        h = h64_u64(h, (uint64_t)v[i]);
    return h;
}

static uint64_t
hash_terms(uint64_t h, const struct val *list)
{
    h = h64_u64(h, list != NULL ? list->n : UINT64_MAX);
    for (size_t i = 0; list != NULL && i < list->n; i++)
        h = h64_str(h, list->items[i]->s);
    return h;
}

/* A hash of everything summary_val() shows of a post: a list page whose
 * posts have the same keys shows the same. */
static uint64_t
summary_key(const struct post *p)
{
    uint64_t h = h64_str(h64_str(H64_INIT, p->title), p->url);

    h = hash_date(h, &p->date);
    h = h64_u64(h, p->has_updated);
    if (p->has_updated)
        h = hash_date(h, &p->updated);
    h = h64_u64(h, p->md.excerpt_len);
    h = h64_bytes(h, p->md.html, p->md.excerpt_len);
    h = h64_u64(h, has_more(p));
    h = h64_str(h, p->description);
    return hash_terms(hash_terms(h, p->tags), p->cats);
}

static void
make_summary(void *arg, size_t i)
{
    const struct site *s = arg;

    if (s->posts[i]->summary == NULL)
        s->posts[i]->summary = summary_val(s, s->posts[i]);
}

static bool reuse_output(struct site *s, const char *rel, uint64_t sig);

struct need {
    struct site *s;
    size_t *idx;
};

static void
make_needed_summary(void *arg, size_t i)
{
    struct need *n = arg;

    make_summary(n->s, n->idx[i]);
}

/* Puts a borrowed node into a map or list for one render; unlend() takes
 * it back out before the container is freed. */
static void
lend(struct val *map, const char *key, struct val *v)
{
    val_set(map, key, v);
}

static void
unlend(struct val *map, const char *key)
{
    (void)val_take(map, key);
}

static void
unlend_items(struct val *list)
{
    list->n = 0;
}

static void
build_site_val(struct site *s)
{
    struct val *m = val_map();

    /* every key of site.yaml, then what the build knows */
    for (size_t i = 0; i < s->config->n; i++)
        val_set(m, s->config->keys[i], val_copy(s->config->items[i]));
    val_set_str(m, "title", s->title);
    val_set_str(m, "base_url", s->base_url);
    val_set_str(m, "root", s->root);
    val_set_str(m, "language", val_text(val_get(s->config, "language"))[0]
                                   ? val_get(s->config, "language")->s
                                   : "en");
    set_url(s, m, "feed_url", "atom.xml");
    set_url(s, m, "archives_url", "archives/");
    set_url(s, m, "tags_url", "tags/");
    set_url(s, m, "categories_url", "categories/");
    set_url(s, m, "css_url", "css/style.css");
    val_set_num(m, "post_count", (double)s->nposts);
    struct val *pages = val_list();
    for (size_t i = 0; i < s->npages; i++) {
        struct val *pm = val_map();
        val_set_str(pm, "title", s->pages[i]->title);
        set_url(s, pm, "url", s->pages[i]->url);
        val_push(pages, pm);
    }
    val_set(m, "pages", pages);
    s->site_val = m;
}

/* What every page shows: the site's data and the templates. */
static void
set_global(struct site *s)
{
    s->global = h64_u64(s->model, s->nposts);
    for (size_t i = 0; i < s->npages; i++)
        s->global = h64_str(h64_str(s->global, s->pages[i]->title),
                            s->pages[i]->url);
}

/* ---- rendering -------------------------------------------------------- */

/* The file a url names under the output (folders get index.html), in
 * buf when it fits in size bytes, else a new string; *len: its length. */
static char *
url_file_in(const char *url, char *buf, size_t size, size_t *len)
{
    size_t n = strlen(url), extra = n == 0 || url[n - 1] == '/' ? 10 : 0;
    char *f = n + extra < size ? buf : xmalloc(n + extra + 1);

    memcpy(f, url, n);
    memcpy(f + n, "index.html", extra);
    f[n + extra] = '\0';
    *len = n + extra;
    return f;
}

/* The same, always a new string. */
static char *
url_file(const char *url)
{
    size_t len;

    return url_file_in(url, NULL, 0, &len);
}


/* Renders `inner` with ctx, then the layout around it, and writes the
 * page to rel (a url under the root; folders get index.html). */
static bool
render_page(struct site *s, const char *inner, struct val *ctx,
            const char *url, const char *title)
{
    struct buf body, page;
    bool ok = false;
    char *rel;

    buf_init(&body);
    buf_init(&page);
    buf_reserve(&body, 16384); /* most pages: no growing */
    lend(ctx, "site", s->site_val);
    val_set_str(ctx, "page_title", title != NULL ? title : "");
    val_set_bool(ctx, "is_home", url[0] == '\0');
    set_url(s, ctx, "page_url", url);
    val_set(ctx, "canonical",
            val_str_take(xasprintf("%s%s", s->base_url,
                                   strcmp(url, "404.html") == 0 ? "" : url)));
    /* a template that failed is not rendered again: its error would be
     * repeated for every tag page or post that uses it */
    if (set_has(&s->failed, inner) || set_has(&s->failed, "layout"))
        goto out;
    if (!tmpl_render_memo(s->tmpl, inner, ctx, &body, s->d, s->memo)) {
        set_put(&s->failed, inner, NULL);
        goto out;
    }
    /* the body outlives the layout's render, which borrows it */
    val_set(ctx, "content", val_str_lend(body.data, body.len));
    buf_reserve(&page, body.len + 4096);
    if (!tmpl_render_memo(s->tmpl, "layout", ctx, &page, s->d, s->memo)) {
        set_put(&s->failed, "layout", NULL);
        goto out;
    }
    rel = url_file(url);
    ok = emit(s, rel, page.data != NULL ? page.data : "", page.len);
    free(rel);
    if (strcmp(url, "404.html") != 0 && !s->planned)
        note_html(s, url, NULL);
out:
    unlend(ctx, "site");
    val_free(val_take(ctx, "content")); /* before the body it shows */
    buf_fini(&body);
    buf_fini(&page);
    return ok;
}

static struct val *
link_val(const struct site *s, const struct post *p)
{
    struct val *m = val_map();

    val_set_str(m, "title", p->title);
    set_url(s, m, "url", p->url);
    return m;
}

static void
render_post(struct site *s, size_t i, bool page)
{
    struct post *p = page ? s->pages[i] : s->posts[i];
    struct val *ctx = val_map();
    struct val *pm = val_map_sized(p->fm->n + 24);

    /* front matter keys first, so the computed ones win; the post
     * outlives the page's data, which borrows from it */
    for (size_t k = 0; k < p->fm->n; k++)
        val_set(pm, p->fm->keys[k], val_lend(p->fm->items[k]));
    val_set(pm, "title", val_str_lend(p->title, strlen(p->title)));
    set_url(s, pm, "url", p->url);
    val_set(pm, "abs_url", val_str_cat(s->base_url, p->url));
    if (p->has_date || !page)
        set_dates(pm, "date", &p->date);
    if (p->has_updated)
        set_dates(pm, "updated", &p->updated);
    val_set(pm, "content", val_str_lend(p->md.html, p->md.html_len));
    val_set(pm, "excerpt", val_str_lend(p->md.html, p->md.excerpt_len));
    if (p->description != NULL)
        val_set(pm, "description",
                val_str_lend(p->description, strlen(p->description)));
    val_set(pm, "tags", terms_val(s, p, 0));
    val_set(pm, "categories", terms_val(s, p, 1));
    if (!page) {
        /* posts are newest first: "previous" is the older one */
        if (i + 1 < s->nposts)
            val_set(pm, "prev", link_val(s, s->posts[i + 1]));
        if (i > 0)
            val_set(pm, "next", link_val(s, s->posts[i - 1]));
    }
    val_set(ctx, "page", pm);
    render_page(s, p->layout, ctx, p->url, p->title);
    val_free(ctx);
    /* nothing after the page needs the front matter: freed here, on the
     * rendering threads, and not at the end with the rest of the post */
    val_free(p->fm);
    arena_fini(&p->fm_pool);
    p->fm = NULL;
}

static void
render_list_page(struct site *s, const struct list *l, size_t pg)
{
    size_t per = (size_t)s->per_page;
    size_t pages = post_pages(l->n, per);
    struct val *ctx = val_map(), *list = val_list(), *pager = val_map();
    char *url = post_page_url(l->base, pg);

    for (size_t k = (pg - 1) * per; k < l->n && k < pg * per; k++)
        val_push(list, s->posts[l->idx != NULL ? l->idx[k] : k]->summary);
    val_set_num(pager, "current", (double)pg);
    val_set_num(pager, "total", (double)pages);
    if (pg > 1) {
        char *prev = post_page_url(l->base, pg - 1);
        set_url(s, pager, "prev_url", prev);
        free(prev);
    }
    if (pg < pages) {
        char *next = post_page_url(l->base, pg + 1);
        set_url(s, pager, "next_url", next);
        free(next);
    }
    val_set_bool(pager, "many", pages > 1);
    val_set(ctx, "posts", list);
    val_set(ctx, "paginator", pager);
    val_set_str(ctx, "title", l->title);
    if (l->term != NULL)
        lend(ctx, "term", l->term);
    char *ptitle = pg == 1 ? xstrdup(l->title)
                           : xasprintf("%s (page %zu)", l->title, pg);
    render_page(s, l->tmpl, ctx, url, *l->base || pg > 1 ? ptitle : NULL);
    free(ptitle);
    if (l->term != NULL)
        unlend(ctx, "term");
    unlend_items(list);
    val_free(ctx);
    free(url);
}

/* Sorts the terms and describes each one's list; their data (name, slug,
 * url, count) also goes into t->index, for the page that lists them. */
static void
plan_taxonomy(struct site *s, struct taxonomy *t, const char *label)
{
    if (t->n > 1) /* qsort(NULL, 0, ...) is undefined */
        qsort(t->terms, t->n, sizeof *t->terms, cmp_terms);
    t->index = val_list();
    t->lists = t->n > 0 ? xcalloc(t->n, sizeof *t->lists) : NULL;
    for (size_t i = 0; i < t->n; i++) {
        struct term *term = t->terms[i];
        struct val *m = val_map();
        struct list *l = &t->lists[i];
        l->tmpl = "tag";
        l->idx = term->posts;
        l->n = term->n;
        l->base = xasprintf("%s/%s/", t->dir, term->slug);
        l->title = xasprintf("%s: %s", label, term->name);
        l->term = m;
        val_set_str(m, "name", term->name);
        val_set_str(m, "slug", term->slug);
        set_url(s, m, "url", l->base);
        val_set_num(m, "count", (double)term->n);
        val_push(t->index, m);
    }
}

/* The page that lists every term ("tags/"). */
static void
render_taxonomy_index(struct site *s, struct taxonomy *t, const char *label)
{
    struct val *ctx;
    char *url = xasprintf("%s/", t->dir), *rel = url_file(url);
    uint64_t sig = h64_str(h64_str(s->global, "terms"), label);

    for (size_t i = 0; i < t->n; i++)
        sig = h64_u64(h64_str(h64_str(sig, t->terms[i]->name),
                              t->terms[i]->slug),
                      t->terms[i]->n);
    bool same = reuse_output(s, rel, sig);
    free(rel);
    if (same) {
        note_html(s, url, NULL);
        free(url);
        return;
    }
    ctx = val_map();
    lend(ctx, "terms", t->index);
    val_set_str(ctx, "title", label);
    render_page(s, "tags", ctx, url, label);
    free(url);
    unlend(ctx, "terms");
    val_free(ctx);
}


/* ---- rendering on several threads ------------------------------------- */

/* One page to render: a post, a page, or one page of a list.  Each job
 * keeps its messages and the templates that failed for it; finish_jobs()
 * merges them in job order, so the output and the messages are the same
 * for any number of threads. */
struct job {
    const struct list *list; /* NULL: a post or a page */
    size_t i;                /* the post's or page's index; the page number */
    bool page;
    bool archive;            /* the archive (list and i unused) */
    struct diag d;
    struct ptab failed;
};

struct jobs {
    struct job *v;
    size_t n, cap;
};

static void
add_job(struct jobs *j, const struct list *l, size_t i, bool page)
{
    if (j->n == j->cap) {
        j->cap = j->cap ? 2 * j->cap : 256;
        j->v = xreallocarray(j->v, j->cap, sizeof *j->v);
    }
    j->v[j->n++] = (struct job){.list = l, .i = i, .page = page};
}

/* Puts job before the others. */
static void
add_first_job(struct jobs *j, struct job job)
{
    add_job(j, NULL, 0, false);
    memmove(j->v + 1, j->v, (j->n - 1) * sizeof *j->v);
    j->v[0] = job;
}

static void
add_list_jobs(struct jobs *j, const struct site *s, const struct list *l)
{
    size_t pages = post_pages(l->n, (size_t)s->per_page);

    for (size_t pg = 1; pg <= pages; pg++)
        add_job(j, l, pg, false);
}

struct job_run {
    struct site *s;
    struct job *v;
};

static void render_archive(struct site *s);

/* Runs job i with a copy of the site whose messages and failed templates
 * are the job's own. */
static void
run_job(void *arg, size_t i)
{
    const struct job_run *r = arg;
    struct job *j = &r->v[i];
    struct site own = *r->s;

    diag_init_sub(&j->d, r->s->d);
    own.d = &j->d;
    own.failed = (struct ptab){0};
    own.planned = true;
    /* the page's data is made in a pool, given back whole at the end
     * (about a hundred pieces a page, which malloc() and free() took a
     * fifth of the rendering's time with) */
    struct arena pool = {.block = 16 << 10};
    struct arena *was = val_pool(&pool);
    if (j->archive) {
        own.planned = false; /* the only job that registers its path */
        own.memo = NULL;     /* it shows each summary once */
        render_archive(&own);
    } else if (j->list != NULL) {
        render_list_page(&own, j->list, j->i);
    } else {
        render_post(&own, j->i, j->page);
    }
    val_pool(was);
    arena_fini(&pool);
    j->failed = own.failed;
}

/* Runs every job, then merges what they report in order: a template that
 * failed is reported by the first job that used it, not by every page.
 * The archive, the longest job, runs first and is reported last, after
 * the pages, as when it was rendered after them. */
static void
run_jobs(struct site *s, struct jobs *j)
{
    struct job_run r = {s, j->v};
    bool last = j->n > 0 && j->v[0].archive;

    par_for(j->n, run_job, &r);
    for (size_t n = 0; n < j->n; n++) {
        struct job *job = &j->v[last ? (n + 1) % j->n : n];
        bool again = false;
        for (size_t k = 0; k < job->failed.cap; k++)
            if (job->failed.slot[k].key != NULL &&
                set_has(&s->failed, job->failed.slot[k].key))
                again = true;
        if (!again) {
            diag_merge_held(s->d, &job->d);
            for (size_t k = 0; k < job->failed.cap; k++)
                if (job->failed.slot[k].key != NULL)
                    set_put(&s->failed, job->failed.slot[k].key, NULL);
        }
        diag_fini(&job->d);
        ptab_fini(&job->failed);
    }
    diag_flush(s->d);
    free(j->v);
    *j = (struct jobs){0};
}

/* The archive's signature: what the summaries of all posts show. */
static uint64_t
archive_sig(const struct site *s)
{
    uint64_t h = h64_str(s->global, "archives");

    for (size_t i = 0; i < s->nposts; i++)
        h = h64_u64(h, s->posts[i]->sumkey);
    return h;
}

static void
render_archive(struct site *s)
{
    struct val *ctx = val_map(), *years = val_list();
    struct val *year = NULL, *months = NULL, *month = NULL, *posts = NULL;
    int cy = -1, cm = -1;

    for (size_t i = 0; i < s->nposts; i++) {
        const struct post *p = s->posts[i];
        if (p->date.year != cy) {
            cy = p->date.year;
            cm = -1;
            year = val_map();
            val_set_num(year, "year", cy);
            months = val_list();
            val_set(year, "months", months);
            val_push(years, year);
        }
        if (p->date.month != cm) {
            cm = p->date.month;
            month = val_map();
            val_set_num(month, "month", cm);
            val_set_str(month, "name", month_names[cm - 1]);
            posts = val_list();
            val_set(month, "posts", posts);
            val_push(months, month);
        }
        val_push(posts, p->summary); /* lent: taken back below */
    }
    val_set(ctx, "years", years);
    val_set_str(ctx, "title", "Archives");
    render_page(s, "archive", ctx, "archives/", "Archives");
    for (size_t y = 0; y < years->n; y++) {
        struct val *ms = val_get(years->items[y], "months");
        for (size_t m = 0; m < ms->n; m++)
            unlend_items(val_get(ms->items[m], "posts"));
    }
    val_free(ctx);
}

static void
xml_escape(struct buf *b, const char *str)
{
    buf_html(b, str, strlen(str));
}

/* base_url + rel, escaped for XML: a '&' in a permalink or base_url made
 * the feed and the sitemap ill-formed. */
static void
xml_url(struct buf *b, const struct site *s, const char *rel)
{
    xml_escape(b, s->base_url);
    xml_escape(b, rel);
}

/* The date the feed says it was updated: its newest post's. */
static const struct post_date *
feed_updated(const struct site *s)
{
    const struct post_date *newest = NULL;

    for (size_t i = 0; i < s->nposts; i++) {
        const struct post_date *u = &s->posts[i]->updated;
        if (newest == NULL || u->epoch > newest->epoch)
            newest = u;
    }
    return newest;
}

/* Whether the feed must be written: its signature is the newest date and
 * the newest posts by content and place.  Known before the posts are read
 * again, so that they are read only when it is written. */
static bool
plan_feed(struct site *s)
{
    size_t n = s->nposts < FEED_ENTRIES ? s->nposts : FEED_ENTRIES;
    const struct post_date *newest = feed_updated(s);
    uint64_t sig = h64_str(s->global, "feed");

    if (newest != NULL)
        sig = hash_date(sig, newest);
    for (size_t i = 0; i < n; i++)
        sig = h64_u64(h64_str(sig, s->posts[i]->url), s->posts[i]->key);
    return !reuse_output(s, "atom.xml", sig);
}

static void
render_feed(struct site *s)
{
    struct buf b;
    char iso[32];
    size_t n = s->nposts < FEED_ENTRIES ? s->nposts : FEED_ENTRIES;
    const struct post_date *newest = feed_updated(s);

    buf_init(&b);
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                 "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <title>");
    xml_escape(&b, s->title);
    buf_puts(&b, "</title>\n");
    const char *desc = val_text(val_get(s->config, "description"));
    if (*desc) {
        buf_puts(&b, "  <subtitle>");
        xml_escape(&b, desc);
        buf_puts(&b, "</subtitle>\n");
    }
    buf_puts(&b, "  <link href=\"");
    xml_url(&b, s, "atom.xml");
    buf_puts(&b, "\" rel=\"self\"/>\n  <link href=\"");
    xml_url(&b, s, "");
    buf_puts(&b, "\"/>\n  <id>");
    xml_url(&b, s, "");
    buf_puts(&b, "</id>\n");
    if (newest != NULL) {
        post_date_rfc3339(newest, iso);
    } else {
        snprintf(iso, sizeof iso, "1970-01-01T00:00:00Z");
    }
    buf_printf(&b, "  <updated>%s</updated>\n", iso);
    const char *author = val_text(val_get(s->config, "author"));
    buf_puts(&b, "  <author><name>");
    xml_escape(&b, *author ? author : s->title);
    buf_puts(&b, "</name></author>\n  <generator>blog</generator>\n");
    for (size_t i = 0; i < n; i++) {
        const struct post *p = s->posts[i];
        buf_puts(&b, "  <entry>\n    <title>");
        xml_escape(&b, p->title);
        buf_puts(&b, "</title>\n    <link href=\"");
        xml_url(&b, s, p->url);
        buf_puts(&b, "\"/>\n    <id>");
        xml_url(&b, s, p->url);
        buf_puts(&b, "</id>\n");
        post_date_rfc3339(&p->date, iso);
        buf_printf(&b, "    <published>%s</published>\n", iso);
        post_date_rfc3339(&p->updated, iso);
        buf_printf(&b, "    <updated>%s</updated>\n", iso);
        for (size_t k = 0; k < p->tags->n; k++) {
            buf_puts(&b, "    <category term=\"");
            xml_escape(&b, p->tags->items[k]->s);
            buf_puts(&b, "\"/>\n");
        }
        if (p->description != NULL) {
            buf_puts(&b, "    <summary>");
            xml_escape(&b, p->description);
            buf_puts(&b, "</summary>\n");
        }
        buf_puts(&b, "    <content type=\"html\" xml:base=\"");
        xml_url(&b, s, p->url);
        buf_puts(&b, "\">");
        xml_escape(&b, p->md.html);
        buf_puts(&b, "</content>\n  </entry>\n");
    }
    buf_puts(&b, "</feed>\n");
    emit(s, "atom.xml", b.data, b.len);
    buf_fini(&b);
}

static void
render_sitemap(struct site *s)
{
    struct buf b;

    char *robots = xasprintf("User-agent: *\nAllow: /\n\nSitemap: "
                             "%ssitemap.xml\n",
                             s->base_url);
    if (!reuse_output(s, "robots.txt", h64_str(s->global, robots)))
        emit(s, "robots.txt", robots, strlen(robots));
    free(robots);
    /* every page, and when each post was last changed: a sum of each
     * page's hash, which does not depend on their order, so that the
     * pages are sorted only when the sitemap is written */
    uint64_t sig = h64_str(s->global, "sitemap");
    for (size_t i = 0; i < s->out->nhtml; i++) {
        uint64_t h = s->out->html[i].hash;
        const struct post *p = s->out->html[i].post;
        if (p != NULL)
            h = hash_date(h64_u64(h, p->has_date || p->has_updated),
                          &p->updated);
        sig += h;
    }
    if (reuse_output(s, "sitemap.xml", h64_u64(sig, s->out->nhtml)))
        return;
    if (s->out->nhtml > 1)
        qsort(s->out->html, s->out->nhtml, sizeof *s->out->html,
              cmp_html_pages);
    /* "  <url><loc>" and base_url escaped, once for all */
    struct buf head;
    buf_init(&head);
    buf_puts(&head, "  <url><loc>");
    xml_escape(&head, s->base_url);
    buf_init(&b);
    buf_reserve(&b, s->out->nhtml * (head.len + 80) + 256);
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                 "<urlset xmlns=\"http://www.sitemaps.org/schemas/"
                 "sitemap/0.9\">\n");
    for (size_t i = 0; i < s->out->nhtml; i++) {
        const struct post *p = s->out->html[i].post;
        const char *url = s->out->html[i].url;
        buf_add(&b, head.data, head.len);
        buf_html(&b, url, strlen(url));
        if (p != NULL && (p->has_date || p->has_updated)) {
            char ymd[32];
            post_date_ymd(&p->updated, ymd);
            buf_puts(&b, "</loc><lastmod>");
            buf_puts(&b, ymd);
            buf_puts(&b, "</lastmod></url>\n");
        } else {
            buf_puts(&b, "</loc></url>\n");
        }
    }
    buf_fini(&head);
    buf_puts(&b, "</urlset>\n");
    emit(s, "sitemap.xml", b.data, b.len);
    buf_fini(&b);
}

/* ---- assets and diagrams ---------------------------------------------- */

static void
copy_tree(struct site *s, const char *from, const char *rel,
          const struct walk *up)
{
    struct walk w;
    char **names;

    if (!walk_enter(s, from, up, &w) || (names = fs_list(from)) == NULL)
        return;
    for (char **q = names; *q != NULL; q++) {
        char *path = fs_join(from, *q);
        char *sub = *rel ? xasprintf("%s/%s", rel, *q) : xstrdup(*q);
        if (fs_is_dir(path)) {
            copy_tree(s, path, sub, &w);
        } else if (set_put(&s->out->paths, sub, NULL) != NULL) {
            diag_error(s->d, path, 0, 0,
                       "'/%s' is also a generated page; rename the file",
                       sub);
        } else if (!s->o->dry_run) {
            char *to = fs_join(s->tmp, sub);
            fs_copy(path, to, s->d);
            free(to);
        }
        free(sub);
        free(path);
    }
    fs_list_free(names);
}

/* One scenario to draw (or, when checking, to run), on the threads. */
struct drawing {
    char *scn, *png_path, *svg_path; /* png_path NULL: run it only */
    bool clash;                      /* nothing to do but say so */
    struct diag d;
};

struct drawings {
    struct drawing *v;
    const char *cache;
};

static void
draw_one(void *arg, size_t i)
{
    struct drawings *all = arg;
    struct drawing *w = &all->v[i];

    if (w->clash)
        return;
    if (w->png_path == NULL) {
        /* check only: run the scenario, draw nothing */
        struct trace *t = scn_run_file(w->scn, false, &w->d);
        trace_free(t);
    } else {
        diagram_build(w->scn, w->png_path, w->svg_path, all->cache, &w->d);
    }
}

/* Each scenario's two files: their paths taken in name order, then the
 * scenarios drawn on the threads; the messages in name order. */
static void
build_diagrams(struct site *s)
{
    char *dir = fs_join(s->o->site_dir, "content/diagrams");
    char **names = fs_list(dir);
    char *cache = fs_join(s->o->site_dir, ".cache/diagrams");
    size_t n = 0, cap = 0;
    struct drawings all = {NULL, cache};

    for (char **q = names; names != NULL && *q != NULL; q++)
        cap++;
    all.v = xcalloc(cap + 1, sizeof *all.v);
    for (char **q = names; names != NULL && *q != NULL; q++) {
        size_t len = strlen(*q);
        if (len < 6 || strcmp(*q + len - 5, ".yaml") != 0)
            continue;
        char *scn = fs_join(dir, *q);
        char *png = xasprintf("images/%.*s.png", (int)len - 5, *q);
        char *svg = xasprintf("images/%.*s.svg", (int)len - 5, *q);
        struct drawing *w = &all.v[n++];
        w->scn = scn;
        diag_init_sub(&w->d, s->d);
        w->clash = set_put(&s->out->paths, png, NULL) != NULL;
        w->clash |= set_put(&s->out->paths, svg, NULL) != NULL;
        if (w->clash) {
            diag_error(&w->d, scn, 0, 0,
                       "'/%s' is also a file under assets/; remove one", png);
        } else if (!s->o->dry_run) {
            w->png_path = fs_join(s->tmp, png);
            w->svg_path = fs_join(s->tmp, svg);
        }
        free(png);
        free(svg);
    }
    par_for(n, draw_one, &all);
    for (size_t i = 0; i < n; i++) {
        diag_merge_held(s->d, &all.v[i].d);
        diag_fini(&all.v[i].d);
        free(all.v[i].scn);
        free(all.v[i].png_path);
        free(all.v[i].svg_path);
    }
    diag_flush(s->d);
    free(all.v);
    fs_list_free(names);
    free(cache);
    free(dir);
}

/* ---- incremental builds ----------------------------------------------- */

/*
 * Every page a job renders has a signature: a hash of everything it shows
 * (the site's global data and templates, the posts on it by content and
 * place, its neighbours' titles).  The state says which signature each
 * file of the output, and of the second generation beside it, has.  A
 * page whose signature the output has already is not rendered: it is
 * linked from the output into the folder being written (or is there
 * already, in the second generation).  Pages with no signature (feed,
 * sitemap, archive, tag indexes, assets, diagrams) are written every time.
 */

static uint64_t
hash_link(uint64_t h, const struct post *p)
{
    return h64_u64(h, p == NULL ? 0 : p->link_key);
}

/* The job's url and signature: a post's own url, or a list page's (new
 * string). */
static const char *
job_url(const struct site *s, const struct job *j, uint64_t *sig,
        char **made)
{
    uint64_t h = s->global;

    if (j->list == NULL) {
        const struct post *p = j->page ? s->pages[j->i] : s->posts[j->i];
        h = h64_u64(h64_str(h64_u64(h, j->page), p->url), p->key);
        if (!j->page) {
            h = hash_link(h, j->i + 1 < s->nposts ? s->posts[j->i + 1] : NULL);
            h = hash_link(h, j->i > 0 ? s->posts[j->i - 1] : NULL);
        }
        *sig = h;
        *made = NULL;
        return p->url;
    }
    const struct list *l = j->list;
    size_t per = (size_t)s->per_page;
    h = h64_str(h64_str(h64_str(h, l->tmpl), l->base), l->title);
    h = h64_u64(h64_u64(h, l->n), j->i);
    for (size_t k = (j->i - 1) * per; k < l->n && k < j->i * per; k++) {
        const struct post *p = s->posts[l->idx != NULL ? l->idx[k] : k];
        h = h64_u64(h, p->sumkey);
    }
    *sig = h;
    return *made = post_page_url(l->base, j->i);
}

/* Links the output's file rel into the folder being written. */
static bool
link_old(const struct site *s, const char *rel)
{
    char *from = fs_join(s->o->out_dir, rel), *to = fs_join(s->tmp, rel);
    bool ok;

    if (s->reuse)
        unlink(to);
    ok = link(from, to) == 0 ||
         (errno == ENOENT && make_parents_at(AT_FDCWD, to) && link(from, to) == 0);
    free(from);
    free(to);
    return ok;
}

/* Keeps rel's signature sig for the next build; true when the folder
 * being written has that content at rel already (the second generation
 * has it, or it was linked from the output). */
static bool
have_output(struct site *s, const char *rel, uint64_t h, uint64_t sig)
{
    uint64_t old;

    sigmap_put_h(&s->next.cur, rel, h, sig);
    if (s->prev != NULL && s->gen &&
        sigmap_get_h(&s->prev->gen, rel, h, &old) && old == sig)
        return true;
    return s->prev != NULL && sigmap_get_h(&s->prev->cur, rel, h, &old) &&
           old == sig && link_old(s, rel);
}

/* For a file the build writes outside the jobs (the archive, the feed...)
 * whose content has signature sig: true when it need not be written (see
 * have_output()), and it is registered as written; false when it must
 * be written. */
static bool
reuse_output(struct site *s, const char *rel, uint64_t sig)
{
    uint64_t h = path_hash(rel);

    if (s->o->dry_run || set_has_h(&s->out->paths, rel, h))
        return false; /* checking, or a clash that emit() reports */
    if (!have_output(s, rel, h, sig))
        return false;
    set_put_h(&s->out->paths, rel, h, NULL);
    return true;
}

/* What plan_jobs() works out for one job on the threads: its url, file
 * and signature, and whether the last build's output has that file with
 * that signature (looked up in the last state, which nothing changes
 * while the threads read it). */
struct planned {
    const char *url;
    char *made_url; /* a list page's url, freed after */
    char *rel;      /* in buf when it fits */
    uint64_t h, sig;
    bool in_gen, in_cur;
    char buf[88];
};

struct plan_run {
    struct site *s;
    const struct job *v;
    struct planned *p;
    size_t n;
};

static void
plan_one(void *arg, size_t i)
{
    const struct plan_run *r = arg;
    const struct site *s = r->s;
    struct planned *p = &r->p[i];
    uint64_t old;
    size_t len;

    p->url = job_url(s, &r->v[i], &p->sig, &p->made_url);
    p->rel = url_file_in(p->url, p->buf, sizeof p->buf, &len);
    p->h = path_hash_len(p->rel, len);
    p->in_gen = p->in_cur = false;
    if (s->prev == NULL)
        return;
    p->in_gen = s->gen && sigmap_get_h(&s->prev->gen, p->rel, p->h, &old) &&
                old == p->sig;
    p->in_cur = !p->in_gen &&
                sigmap_get_h(&s->prev->cur, p->rel, p->h, &old) &&
                old == p->sig;
}

/* Fills next.cur with every job's signature, in job order (on a thread
 * of its own: no other table shares its pool). */
static void *
fill_cur(void *arg)
{
    const struct plan_run *r = arg;
    struct sigmap *cur = &r->s->next.cur;

    hugepages_thread();
    for (size_t i = 0; i < r->n; i++)
        sigmap_put_h(cur, r->p[i].rel, r->p[i].h, r->p[i].sig);
    return NULL;
}

/* Registers every job's file and keeps in run only those that must be
 * rendered: what have_output() does for one file, for all, its lookups
 * on the threads and the tables filled in job order, the two at once.
 * (A clash fails the build, whose next.cur is not kept.) */
static void
plan_jobs(struct site *s, struct jobs *all, struct jobs *run)
{
    /* (each field set by plan_one(): not zeroed first) */
    struct plan_run r = {s, all->v, xmalloc((all->n + 1) * sizeof *r.p),
                         all->n};
    pthread_t t;

    par_for(all->n, plan_one, &r);
    ptab_reserve(&s->out->paths, s->out->paths.n + all->n + 64);
    ptab_reserve(&s->next.cur.t, s->next.cur.t.n + all->n + 64);
    bool threaded = pthread_create(&t, NULL, fill_cur, &r) == 0;
    if (!threaded)
        fill_cur(&r);
    pthread_mutex_lock(&s->out->lock); /* once, not once a page */
    for (size_t i = 0; i < all->n; i++) {
        struct job *j = &all->v[i];
        struct planned *p = &r.p[i];

        if (set_put_h(&s->out->paths, p->rel, p->h, NULL) != NULL) {
            diag_error(s->d, p->rel, 0, 0,
                       "two outputs would be written to this path; change "
                       "a permalink");
        } else {
            note_html_locked(s->out, p->url,
                             j->list != NULL ? NULL
                             : j->page       ? s->pages[j->i]
                                             : s->posts[j->i]);
            if (!p->in_gen && !(p->in_cur && link_old(s, p->rel)))
                add_job(run, j->list, j->i, j->page);
        }
    }
    pthread_mutex_unlock(&s->out->lock);
    if (threaded)
        pthread_join(t, NULL);
    for (size_t i = 0; i < all->n; i++) {
        if (r.p[i].rel != r.p[i].buf)
            free(r.p[i].rel);
        free(r.p[i].made_url);
    }
    free(r.p);
}

/* Reads again, whole, the light posts whose pages will be rendered (and
 * the feed's), keeping the light post's place and summary. */
struct reread {
    struct site *s;
    struct post **v;   /* the light posts */
    struct post **full;
};

static void
reread_one(void *arg, size_t i)
{
    struct reread *r = arg;
    struct site own = *r->s;
    struct diag quiet;

    diag_init_sub(&quiet, r->s->d);
    own.d = &quiet;
    r->full[i] = read_post(&own, r->v[i]->src, r->v[i]->stem,
                           r->v[i]->is_page, NULL);
    diag_fini(&quiet);
}

static void
make_whole(struct site *s, const struct jobs *run, bool feed)
{
    struct reread r = {.s = s};
    size_t n = 0, cap = run->n + FEED_ENTRIES;

    r.v = xcalloc(cap + 1, sizeof *r.v);
    for (size_t i = 0; i < run->n; i++) {
        const struct job *j = &run->v[i];
        if (j->list != NULL)
            continue; /* j->i is a page number */
        struct post *p = j->page ? s->pages[j->i] : s->posts[j->i];
        if (p->light)
            r.v[n++] = p;
    }
    for (size_t i = 0; feed && i < s->nposts && i < FEED_ENTRIES; i++)
        if (s->posts[i]->light)
            r.v[n++] = s->posts[i];
    r.full = xcalloc(n + 1, sizeof *r.full);
    par_for(n, reread_one, &r);
    for (size_t i = 0; i < n; i++) {
        struct post *p = r.v[i], *f = r.full[i];
        if (f == NULL || !p->light) { /* changed since: read as it was */
            post_free(f);
            continue;
        }
        p->fm = f->fm;
        p->fm_pool = f->fm_pool;
        f->fm = NULL;
        f->fm_pool = (struct arena){0};
        if (p->md_borrowed)
            free(p->md.links);
        else
            md_result_fini(&p->md);
        p->md = f->md;
        p->md_borrowed = false;
        f->md = (struct md_result){0};
        p->light = false;
        post_free(f);
    }
    free(r.full);
    free(r.v);
}

/* Makes the summaries of the posts shown by the list pages to render (of
 * all posts when the archive is rendered). */
static void
make_summaries(struct site *s, const struct jobs *run, bool all)
{
    bool *on = xcalloc(s->nposts + 1, sizeof *on);
    struct need n = {s, xcalloc(s->nposts + 1, sizeof *n.idx)};
    size_t per = (size_t)s->per_page, k = 0;

    for (size_t i = 0; i < run->n && !all; i++) {
        const struct list *l = run->v[i].list;
        for (size_t j = (run->v[i].i - 1) * per;
             l != NULL && j < l->n && j < run->v[i].i * per; j++)
            on[l->idx != NULL ? l->idx[j] : j] = true;
    }
    for (size_t i = 0; i < s->nposts; i++)
        if (all || on[i])
            n.idx[k++] = i;
    par_for(k, make_needed_summary, &n);
    free(n.idx);
    free(on);
}

/* Which keys of one table another lacks, looked up on the threads (the
 * two are not changed meanwhile). */
struct lookup {
    const struct ptab *from, *in;
    bool *missing;            /* missing[i]: from's slot i (or NULL) */
    atomic_bool any_missing;  /* once set, the rest is not looked up when
                                 missing is NULL */
};

static void
look_up_slot(void *arg, size_t i)
{
    struct lookup *l = arg;
    const struct ptab_slot *sl = &l->from->slot[i];

    if (sl->key == NULL ||
        (l->missing == NULL &&
         atomic_load_explicit(&l->any_missing, memory_order_relaxed)))
        return;
    if (ptab_get(l->in, sl->key, sl->hash) == NULL) {
        if (l->missing != NULL)
            l->missing[i] = true;
        atomic_store_explicit(&l->any_missing, true, memory_order_relaxed);
    }
}

/* Removes rel from the folder being written, and the folders it leaves
 * empty. */
static void
remove_output(const struct site *s, const char *rel)
{
    char *path = fs_join(s->tmp, rel);

    unlink(path);
    for (char *slash = strrchr(path, '/');
         slash != NULL && (size_t)(slash - path) > strlen(s->tmp);
         slash = strrchr(path, '/')) {
        *slash = '\0';
        if (rmdir(path) != 0)
            break;
    }
    free(path);
}

/* In the second generation, removes the files this build does not write
 * (and folders left empty). */
static void
remove_unwritten(struct site *s)
{
    const struct sigmap *g = &s->prev->gen;
    struct lookup l = {.from = &g->t, .in = &s->out->paths,
                       .missing = xcalloc(g->t.cap + 1, sizeof *l.missing)};

    atomic_init(&l.any_missing, false);
    par_for(g->t.cap, look_up_slot, &l);
    for (size_t i = 0; i < g->t.cap; i++)
        if (l.missing[i])
            remove_output(s, g->t.slot[i].key);
    free(l.missing);
}

/* ---- the link check --------------------------------------------------- */

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* True if the path u[0..n) has a %-escape, or an empty, "." or ".."
 * part, which link_target() decodes and folds. */
static bool
needs_fold(const char *u, size_t n)
{
    if (n > 0 && u[0] == '/')
        return true;
    for (size_t i = 0; i < n; i++) {
        if (u[i] == '%' || (u[i] == '/' && i + 1 < n && u[i + 1] == '/'))
            return true;
        if (u[i] == '.' && (i == 0 || u[i - 1] == '/') &&
            (i + 1 == n || u[i + 1] == '/' ||
             (u[i + 1] == '.' && (i + 2 == n || u[i + 2] == '/'))))
            return true;
    }
    return false;
}

/* The output file a URL on page `from` names, or NULL when the URL points
 * outside the site.  Returns a new string. */
static char *
link_target(const struct site *s, const char *from, const char *url)
{
    struct buf b;
    size_t n = strcspn(url, "#?");
    const char *u = url;

    if (n == 0)
        return NULL; /* "#top" */
    if (strncmp(u, s->base_url, strlen(s->base_url)) == 0) {
        u += strlen(s->base_url);
        n -= strlen(s->base_url);
    } else if (strncmp(u, s->origin, strlen(s->origin)) == 0 &&
               u[strlen(s->origin)] == '/') {
        u += strlen(s->origin) + 1;
        n -= strlen(s->origin) + 1;
    } else if (u[0] == '/' && u[1] == '/') {
        return NULL;
    } else if (strcspn(u, ":/") < n && u[strcspn(u, ":/")] == ':') {
        return NULL; /* https:, mailto:, data: ... */
    } else if (u[0] == '/') {
        u++;
        n--;
    } else {
        /* relative to the page's folder: made site-relative ("/" + the
         * folder + the link), which the branch above resolves */
        buf_init(&b);
        buf_putc(&b, '/');
        const char *slash = strrchr(from, '/');
        if (slash != NULL)
            buf_add(&b, from, (size_t)(slash - from) + 1);
        buf_add(&b, u, n);
        char *joined = buf_detach(&b);
        char *t = link_target(s, "", joined);
        free(joined);
        return t;
    }
    if (!needs_fold(u, n))
        return xstrndup(u, n); /* most links: nothing to decode or fold */
    buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (u[i] == '%' && i + 2 < n + 1 && hexval(u[i + 1]) >= 0 &&
            hexval(u[i + 2]) >= 0) {
            buf_putc(&b, (char)(hexval(u[i + 1]) * 16 + hexval(u[i + 2])));
            i += 2;
        } else {
            buf_putc(&b, u[i]);
        }
    }
    /* fold "a/./b" and "a/../b" */
    char *path = buf_detach(&b), *out = xmalloc(strlen(path) + 1);
    size_t o = 0;
    for (char *seg = path, *next; seg != NULL; seg = next) {
        next = strchr(seg, '/');
        if (next != NULL)
            *next++ = '\0';
        if (strcmp(seg, ".") == 0 || (*seg == '\0' && next != NULL))
            continue;
        if (strcmp(seg, "..") == 0) {
            while (o > 0 && out[o - 1] == '/')
                o--;
            while (o > 0 && out[o - 1] != '/')
                o--;
            continue;
        }
        memcpy(out + o, seg, strlen(seg));
        o += strlen(seg);
        if (next != NULL)
            out[o++] = '/';
    }
    out[o] = '\0';
    free(path);
    return out;
}

static bool
target_exists(const struct site *s, const char *t)
{
    size_t n = strlen(t);
    char small[512], *idx = n + 12 <= sizeof small ? small : xmalloc(n + 12);
    bool ok;
    /* a quick build has the last build's files */
    const struct ptab *files = s->quick ? &s->prev->cur.t : &s->out->paths;

    /* "a/" is a/index.html; "a" is a file, or a/index.html */
    memcpy(idx, t, n);
    if (n == 0 || t[n - 1] == '/') {
        memcpy(idx + n, "index.html", 11);
        ok = set_has(files, idx);
    } else {
        memcpy(idx + n, "/index.html", 12);
        ok = set_has(files, t) || set_has(files, idx);
    }
    if (idx != small)
        free(idx);
    return ok;
}

static void check_links(struct site *s, struct post **list, size_t count);

struct link_check {
    const struct site *s;
    struct post **list;
    size_t base;    /* list[i]'s record is s->recs's base + i */
    struct diag *d; /* each post's messages */
    bool same;      /* the output has the files the last build's had */
};

/* Whether the output has exactly the files of the last build's: then a
 * post read from the state links to what it linked to, and the check
 * would say what it said. */
static bool
same_files(const struct site *s)
{
    const struct ptab *paths = &s->out->paths;

    if (s->prev == NULL || s->prev->cur.t.n != paths->n)
        return false;
    struct lookup l = {.from = paths, .in = &s->prev->cur.t};
    atomic_init(&l.any_missing, false);
    par_for(paths->cap, look_up_slot, &l);
    return !atomic_load(&l.any_missing);
}

static void rec_one(void *arg, size_t i);

static void
check_one(struct link_check *c, size_t i)
{
    struct site own = *c->s;
    struct post *p = c->list[i];

    diag_init_sub(&c->d[i], c->s->d);
    if (c->same && p->light) { /* as the last build said */
        if (p->links_said != NULL)
            buf_puts(&c->d[i].text, p->links_said);
        c->d[i].warnings += p->links_warnings;
        return;
    }
    own.d = &c->d[i];
    check_links(&own, c->list + i, 1);
    const struct buf *said = &c->d[i].text;
    if (p->light && p->links_warnings == c->d[i].warnings &&
        (p->links_said != NULL ? strlen(p->links_said) == said->len &&
                                     memcmp(p->links_said, said->data,
                                            said->len) == 0
                               : said->len == 0))
        return; /* it said the same again: the record stays */
    if (!p->borrowed || p->links_owned)
        free(p->links_said);
    p->links_said = said->len > 0 ? xstrndup(said->data, said->len) : NULL;
    p->links_owned = true;
    p->links_warnings = c->d[i].warnings;
    p->rec = NULL; /* its record says what the check said: made again */
}

/* A post's links checked, then its record made, while it is in the cache
 * (what the check said is in it). */
static void
check_post_links(void *arg, size_t i)
{
    struct link_check *c = arg;

    check_one(c, i);
    if (c->s->recs != NULL)
        rec_one(c->s->recs, c->base + i);
}

/* check_links() on par_jobs() threads, the messages in the posts' order;
 * same: same_files(), worked out once for the posts and the pages; base:
 * where their records go in s->recs */
static void
check_all_links(struct site *s, struct post **list, size_t count, bool same,
                size_t base)
{
    struct link_check c = {s, list, base, xcalloc(count + 1, sizeof *c.d),
                           same};

    par_for(count, check_post_links, &c);
    for (size_t i = 0; i < count; i++) {
        diag_merge_held(s->d, &c.d[i]);
        diag_fini(&c.d[i]);
    }
    diag_flush(s->d);
    free(c.d);
}

static void
check_links(struct site *s, struct post **list, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const struct post *p = list[i];
        for (size_t k = 0; k < p->md.nlinks; k++) {
            const struct md_link *l = &p->md.links[k];
            char *t = link_target(s, p->url, l->url);
            if (t == NULL || target_exists(s, t)) {
                free(t);
                continue;
            }
            char hint[512] = "fix the link, or add the file under assets/";
            size_t n = strlen(t);
            if (strncmp(t, "images/", 7) == 0 && n > 11 &&
                (strcmp(t + n - 4, ".png") == 0 ||
                 strcmp(t + n - 4, ".svg") == 0))
                snprintf(hint, sizeof hint,
                         "no scenario content/diagrams/%.*s.yaml", (int)n - 11,
                         t + 7);
            if (s->link_mode == SITE_LINKS_WARN)
                diag_warning(s->d, p->src, l->line, 0, "%s names no file; %s",
                             l->what, hint);
            else
                diag_error(s->d, p->src, l->line, 0, "%s names no file; %s",
                           l->what, hint);
            free(t);
        }
    }
}

/* ---- publishing ------------------------------------------------------- */

/* Removes what earlier builds that were killed left beside the output. */
static void
remove_stale(const char *out)
{
    char *dir = xstrdup(out), *slash = strrchr(dir, '/');
    const char *base = slash != NULL ? slash + 1 : dir;
    char *parent = slash != NULL ? xstrndup(dir, (size_t)(slash - dir))
                                 : xstrdup(".");
    char **names = fs_list(*parent ? parent : "/");
    size_t n = strlen(base);

    for (char **q = names; names != NULL && *q != NULL; q++) {
        if (strncmp(*q, base, n) == 0 && strncmp(*q + n, ".tmp-", 5) == 0) {
            char *path = fs_join(parent, *q);
            fs_remove_tree(path);
            free(path);
        }
    }
    fs_list_free(names);
    free(parent);
    free(dir);
}

/* Swaps the new folder in: with renameat2(RENAME_EXCHANGE) the output path
 * names the old or the new site at every instant, never neither. */
static bool
publish(struct site *s)
{
    const char *out = s->o->out_dir;

    if (!fs_exists(out)) {
        if (rename(s->tmp, out) != 0)
            goto fail;
        return true;
    }
    if (!fs_is_dir(out)) {
        diag_error(s->d, out, 0, 0, "the output path is not a folder");
        return false;
    }
#ifdef SYS_renameat2
    if (syscall(SYS_renameat2, AT_FDCWD, s->tmp, AT_FDCWD, out, 2) == 0)
        return true; /* s->tmp is now the old site: see keep_old() */
#endif
    {
        char *old = xasprintf("%s.tmp-old", out);
        fs_remove_tree(old);
        bool ok = rename(out, old) == 0 && rename(s->tmp, out) == 0;
        fs_remove_tree(old);
        free(old);
        if (ok)
            return true;
    }
fail:
    diag_error(s->d, out, 0, 0, "cannot publish the new site: %s",
               strerror(errno));
    return false;
}

/* ---- the build -------------------------------------------------------- */

/* BLOG_PROFILE=1 prints how long each phase took, to stderr.  The clock
 * is read only for this; nothing it says reaches the output. */
static void
phase(const char *name)
{
    static struct timespec last, last_cpu;
    static int on = -1;
    struct timespec now, cpu;

    if (on < 0)
        on = getenv("BLOG_PROFILE") != NULL;
    if (!on)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    if (name == NULL || strcmp(name, "cleanup") == 0)
        fprintf(stderr, "profile: huge pages %s, %d thread heaps\n",
                hugepages_on() ? "on" : "off", hugepages_heaps());
    if (name != NULL && last.tv_sec != 0) {
        /* resident and peak memory, from /proc/self/status */
        long rss = 0, hwm = 0;
        char line[128];
        FILE *f = fopen("/proc/self/status", "r");
        while (f != NULL && fgets(line, sizeof line, f) != NULL) {
            sscanf(line, "VmRSS: %ld", &rss);
            sscanf(line, "VmHWM: %ld", &hwm);
        }
        if (f != NULL)
            fclose(f);
#define MS(a, b) ((double)((a).tv_sec - (b).tv_sec) * 1e3 + \
                  (double)((a).tv_nsec - (b).tv_nsec) / 1e6)
        /* cpu: of all threads, so twice the wall time when both cores
         * worked all through the phase */
        fprintf(stderr, "profile: %-10s %7.1f ms %7.1f cpu %7.1f MiB "
                "(peak %.1f)\n", name, MS(now, last), MS(cpu, last_cpu),
                (double)rss / 1024, (double)hwm / 1024);
#undef MS
    }
    last = now;
    last_cpu = cpu;
}

/* The inode of path, 0 if there is nothing there. */
static uint64_t
inode_of(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

/* Says again what the last build said (a build with nothing to do). */
static void
replay(struct diag *d, const struct state *st)
{
    diag_flush(d);
    d->warnings += (int)st->warnings;
    if (st->said_len > 0) {
        buf_add(&d->text, st->said, st->said_len);
        diag_print(d, st->said, st->said_len);
    }
}

/* The last build's state is loaded on a thread of its own while the
 * main thread scans the inputs, and then the light posts of its records,
 * unless the scan finds that nothing changed.  Between runs of records
 * the thread helps with the scan's stat()s of a large folder (share),
 * which is what the build waits for: alone, 10 000 of them took longer
 * than loading the state and reading every record.  The main thread
 * takes the posts (finish_early()) once site.yaml and the templates say
 * whether the records are still good. */
struct early {
    const struct site *s;
    struct state *st;
    const char *dir;
    bool usable;        /* st: made with the same options, for the output
                           folder as it is */
    sem_t loaded;       /* posted once usable is known */
    atomic_bool stop;   /* nothing changed: the posts are not needed */
    bool threaded, joined;
    bool unchanged;     /* early_same() said so: the build ends now */
    pthread_t thread;
    struct post *block; /* where they are read to: one allocation for all
                           (zeroed pages, not a memset a post) */
    struct post **post; /* post[i]: record i's, NULL if damaged */
    atomic_size_t next; /* the next record to read */
    struct par_share share; /* the scan's stat()s, which the thread helps
                               with first: they are what the build waits
                               for */
};

/* Loads the state into e->st; usable says whether this build can use it. */
static void
open_early(struct early *e)
{
    const struct site *s = e->s;
    struct state *st = e->st;

    if (!state_load(st, e->dir))
        return;
    if (st->opts != s->next.opts || st->public_ino == 0 ||
        st->public_ino != inode_of(s->o->out_dir)) {
        state_fini(st);
        return;
    }
    e->usable = true;
}

/* Reads records from the shared counter on, a run at a time, until none
 * is left or stop is set: the thread starts while the scan runs, and the
 * main thread joins it when it needs the posts. */
static void
read_some(struct early *e)
{
    size_t n = e->st->nrecs;

    for (;;) {
        par_share_help(&e->share);
        size_t i = atomic_fetch_add(&e->next, 64), end = i + 64;
        if (i >= n || atomic_load_explicit(&e->stop, memory_order_relaxed))
            return;
        for (; i < end && i < n; i++) {
            const char *start = e->st->rec[i];
            struct rec r = {start, start + e->st->rec_len[i], false};
            struct post *p = get_post(&r, &e->block[i]);
            if (p != NULL && r.p != r.end) {
                post_free(p); /* a damaged record */
                p = NULL;
            }
            e->post[i] = p;
        }
    }
}

/* Loads the state and makes room for its posts. */
static void
prepare_early(struct early *e)
{
    open_early(e);
    if (e->usable && e->st->nrecs > 0) {
        e->post = xcalloc(e->st->nrecs + 1, sizeof *e->post);
        e->block = xcalloc(e->st->nrecs + 1, sizeof *e->block);
    }
}

static void *
early_thread(void *arg)
{
    struct early *e = arg;

    hugepages_thread();
    prepare_early(e);
    sem_post(&e->loaded);
    if (e->post != NULL)
        read_some(e);
    while (par_share_wait(&e->share))
        ;
    return NULL;
}

/* Starts loading the state (on a thread when one can be made). */
static void
start_early(struct early *e)
{
    sem_init(&e->loaded, 0, 0);
    par_share_init(&e->share);
    e->threaded = pthread_create(&e->thread, NULL, early_thread, e) == 0;
    if (!e->threaded)
        prepare_early(e); /* the records are read after the scan */
}

/* After the scan: whether the state describes the inputs as they are
 * (then the build has nothing to do, and the posts are not read). */
static bool
early_same(struct early *e, const struct inputs *now)
{
    if (e->threaded)
        sem_wait(&e->loaded);
    e->unchanged = e->usable && inputs_equal(&e->st->inputs, now);
    if (e->unchanged)
        atomic_store(&e->stop, true);
    return e->unchanged;
}

/* Reads the records the thread has not (with it), waits for it, and
 * gives s the light posts by source path when keep says that the records
 * were made with this site.yaml and these templates; else stops the thread
 * and frees them.  Once; again does nothing. */
static void
finish_early(struct site *s, struct early *e, bool keep)
{
    size_t n = e->st->nrecs;

    if (e->joined)
        return;
    e->joined = true;
    if (!keep)
        atomic_store(&e->stop, true);
    else if (e->post != NULL)
        read_some(e); /* with the thread, what it has not read yet */
    if (e->threaded)
        pthread_join(e->thread, NULL);
    sem_destroy(&e->loaded);
    par_share_fini(&e->share);
    if (keep && e->post != NULL) {
        ptab_reserve(&s->cached, n);
        for (size_t i = 0; i < n; i++)
            if (e->post[i] != NULL &&
                set_put_h(&s->cached, e->post[i]->src, e->post[i]->src_hash,
                          e->post[i]) != NULL)
                post_free(e->post[i]);
        s->light_block = e->block;
        s->order = e->post;
        s->norder = n;
        e->post = NULL;
    } else if (e->post != NULL && !(e->unchanged && leave_to_exit(s))) {
        for (size_t i = 0; i < n; i++)
            post_free(e->post[i]);
        free(e->block);
    }
    free(e->post);
    e->post = NULL;
}

struct recs {
    const struct site *s;
    struct buf *b;        /* the records made */
    struct fs_part *part; /* each post's record, posts then pages */
};

/* A post's record: the last build's, where it is, for a post that was
 * not read again; else a new one. */
static void
rec_one(void *arg, size_t i)
{
    struct recs *r = arg;
    const struct site *s = r->s;
    const struct post *p = i < s->nposts ? s->posts[i]
                                         : s->pages[i - s->nposts];
    struct buf *b = &r->b[i];

    buf_init(b);
    if (p->light && p->rec != NULL) {
        r->part[i] = (struct fs_part){p->rec, p->rec_len};
        return;
    }
    buf_reserve(b, 512 + p->md.excerpt_len + 96 * p->md.nlinks);
    rec_post(b, p);
    r->part[i] = (struct fs_part){b->data, b->len};
}

static void *
free_posts_thread(void *arg)
{
    free_posts(arg);
    return NULL;
}

/* ---- what a build changed -------------------------------------------- */

/* At most this many files changed are listed for the next build. */
#define DIFFERS_MAX 4096

/* Which keys of table a table b lacks (missing_only), or lacks or has
 * with another value, or has with value 0 (a file with no signature, whose
 * content is not known), looked up on the threads. */
struct differ {
    const struct ptab *a, *b;
    bool missing_only;
    bool *out;            /* out[i]: a's slot i */
    atomic_size_t shared; /* a's keys that b has */
};

static void
differ_slot(void *arg, size_t i)
{
    struct differ *d = arg;
    const struct ptab_slot *sl = &d->a->slot[i];

    if (sl->key == NULL)
        return;
    const union ptab_val *v = ptab_get(d->b, sl->key, sl->hash);
    if (v != NULL)
        atomic_fetch_add_explicit(&d->shared, 1, memory_order_relaxed);
    d->out[i] = v == NULL || (!d->missing_only &&
                              (v->u != sl->val.u || sl->val.u == 0));
}

static size_t
rec_marked(struct buf *b, const struct ptab *t, const bool *on)
{
    size_t n = 0;

    for (size_t i = 0; i < t->cap; i++)
        if (on == NULL ? t->slot[i].key != NULL : on[i]) {
            if (b != NULL)
                rec_str(b, t->slot[i].key);
            n++;
        }
    return n;
}

/* Puts in b the files whose content differs between the output and the
 * second generation, as the next state describes them: a quick build
 * writes into the second generation, and brings these over from the
 * output.  UINT64_MAX, none listed, when there is no second generation or
 * they are more than DIFFERS_MAX. */
static void
rec_differs(const struct site *s, struct buf *b)
{
    const struct state *n = &s->next;
    const struct ptab *cur = &n->cur.t, *gen = &n->gen.t;

    if (n->gen_ino == 0 || cur->cap == 0) {
        rec_u64(b, UINT64_MAX);
        return;
    }
    if (s->quick) { /* it changed only what it wrote */
        const struct ptab *w = &s->out->paths;
        rec_u64(b, rec_marked(NULL, w, NULL));
        rec_marked(b, w, NULL);
        return;
    }
    struct differ f = {.a = cur, .b = gen, .out = xcalloc(cur->cap + 1, 1)};
    struct differ r = {.a = gen, .b = cur, .missing_only = true};
    atomic_init(&f.shared, 0);
    atomic_init(&r.shared, 0);
    if (gen->cap > 0)
        par_for(cur->cap, differ_slot, &f);
    else
        memset(f.out, 1, cur->cap);
    size_t count = rec_marked(NULL, cur, f.out);
    /* the files only the second generation has */
    if (atomic_load(&f.shared) != gen->n && count <= DIFFERS_MAX) {
        r.out = xcalloc(gen->cap + 1, 1);
        par_for(gen->cap, differ_slot, &r);
        count += rec_marked(NULL, gen, r.out);
    }
    if (count > DIFFERS_MAX) {
        rec_u64(b, UINT64_MAX);
    } else {
        rec_u64(b, count);
        rec_marked(b, cur, f.out);
        if (r.out != NULL)
            rec_marked(b, gen, r.out);
    }
    free(f.out);
    free(r.out);
}

/* The files the last build listed as changed (strings in its state);
 * false when it did not list them. */
static bool
get_differs(const struct state *st, const char ***v, size_t *n)
{
    struct rec r = {st->extra.data, st->extra.data + st->extra.len, false};
    uint64_t count = rec_get_u64(&r);

    *v = NULL;
    *n = 0;
    if (r.bad || count > DIFFERS_MAX)
        return false;
    *v = xcalloc((size_t)count + 1, sizeof **v);
    for (size_t i = 0; i < count && !r.bad; i++)
        if (((*v)[i] = rec_peek_str(&r)) == NULL)
            r.bad = true;
    if (r.bad || r.p != r.end) {
        free(*v);
        *v = NULL;
        return false;
    }
    *n = (size_t)count;
    return true;
}

static struct recs
new_recs(const struct site *s)
{
    size_t nrec = s->nposts + s->npages;

    return (struct recs){s, xcalloc(nrec + 1, sizeof(struct buf)),
                         xcalloc(nrec + 1, sizeof(struct fs_part))};
}

/* Frees the records made for a state that is not saved. */
static void
free_recs(struct site *s)
{
    if (s->recs == NULL)
        return;
    for (size_t i = 0; i < s->nposts + s->npages; i++)
        buf_fini(&s->recs->b[i]);
    free(s->recs->b);
    free(s->recs->part);
    free(s->recs);
    s->recs = NULL;
}

/* Fills the state the next build will read. */
static void
save_state(struct site *s, const char *dir, int errors0, int warnings0)
{
    struct state *n = &s->next;

    /* the files with no signature are written every time: 0 */
    const struct ptab *paths = &s->out->paths;
    struct lookup l = {.from = paths, .in = &n->cur.t,
                       .missing = xcalloc(paths->cap + 1, sizeof *l.missing)};
    atomic_init(&l.any_missing, false);
    par_for(paths->cap, look_up_slot, &l);
    for (size_t i = 0; i < paths->cap; i++)
        if (l.missing[i])
            sigmap_put_h(&n->cur, paths->slot[i].key, paths->slot[i].hash, 0);
    free(l.missing);
    /* each post's record, made on the threads; those of posts not read
     * again are where the last state has them, and stay there */
    size_t nrec = s->nposts + s->npages;
    struct recs r;
    if (s->recs != NULL) { /* made by the link check */
        r = *s->recs;
        free(s->recs);
        s->recs = NULL;
    } else {
        r = new_recs(s);
        par_for(nrec, rec_one, &r);
    }
    n->posts_key = s->model;
    n->post_parts = r.part;
    n->npost_parts = nrec;
    n->base = s->prev;
    phase("records");
    /* the posts are not needed any more: they are freed while the state
     * is written, or left for exit() */
    pthread_t freer;
    bool leave = leave_to_exit(s);
    bool freeing =
        !leave && pthread_create(&freer, NULL, free_posts_thread, s) == 0;
    if (!leave && !freeing)
        free_posts(s);
    n->warnings = (uint64_t)(s->d->warnings - warnings0);
    (void)errors0;
    n->said = s->d->text.data;
    n->said_len = s->d->text.len;
    /* the same as the last build said (a quick build's is, an edit below
     * a post's excerpt most often too): that one's bytes, which stay
     * where they are in the posts file */
    if (s->prev != NULL && s->prev->said_len == n->said_len &&
        n->said_len > 0 && memcmp(s->prev->said, n->said, n->said_len) == 0)
        n->said = s->prev->said;
    n->public_ino = inode_of(s->o->out_dir);
    char *gen = fs_join(dir, "gen");
    n->gen_ino = inode_of(gen);
    free(gen);
    buf_init(&n->extra);
    rec_differs(s, &n->extra);
    state_save(n, dir);
    phase("save");
    if (freeing)
        pthread_join(freer, NULL);
    for (size_t i = 0; i < n->npost_parts; i++)
        buf_fini(&r.b[i]);
    free(r.b);
    free(r.part);
    n->post_parts = NULL;
    n->npost_parts = 0;
}

/* Makes the folder the new site is written to: the second generation
 * when the state has one (updated in place: it is not the output), else a
 * new folder beside the output. */
static bool
open_target(struct site *s, const char *dir)
{
    char *gen = fs_join(dir, "gen");

    remove_stale(s->o->out_dir); /* what killed builds left */
    if (s->prev != NULL && s->prev->gen_ino != 0 &&
        inode_of(gen) == s->prev->gen_ino) {
        /* from here until the swap, the folder is neither site: a build
         * killed now must not trust it */
        char *state = fs_join(dir, "state");
        unlink(state);
        free(state);
        s->tmp = gen;
        s->gen = s->reuse = true;
        s->tmp_fd = open(s->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        return true;
    }
    free(gen);
    s->tmp = xasprintf("%s.tmp-XXXXXX", s->o->out_dir);
    if (mkdtemp(s->tmp) == NULL) {
        diag_error(s->d, s->tmp, 0, 0, "cannot create the output folder: %s",
                   strerror(errno));
        free(s->tmp);
        s->tmp = NULL;
        return false;
    }
    chmod(s->tmp, 0755);
    s->tmp_fd = open(s->tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return true;
}

/* After the swap: the old site becomes the second generation when the
 * state describes it, and is removed otherwise. */
static void
keep_old(struct site *s, const char *dir)
{
    char *gen = fs_join(dir, "gen");

    if (s->gen) { /* the swap put the old site in gen already */
        sigmap_fini(&s->next.gen);
        s->next.gen = s->prev->cur;
        s->prev->cur = (struct sigmap){0};
    } else if (fs_exists(s->tmp)) {
        fs_remove_tree(gen);
        if (s->prev != NULL && (fs_is_dir(dir) || fs_mkdirs(dir, s->d)) &&
            rename(s->tmp, gen) == 0) {
            s->next.gen = s->prev->cur;
            s->prev->cur = (struct sigmap){0};
        } else {
            fs_remove_tree(s->tmp);
        }
    } else if (s->prev == NULL) {
        fs_remove_tree(gen); /* of a state that is gone */
    }
    free(gen);
}

/* The inputs as the next state records them, made on a thread of their
 * own while the build runs: into a buffer of its own, outside the site,
 * which the rendering threads copy. */
struct inputs_job {
    const struct inputs *in;
    struct buf out;
    pthread_t thread;
    bool running;
};

static void *
make_inputs_rec(void *arg)
{
    struct inputs_job *j = arg;

    hugepages_thread();
    inputs_rec(j->in, &j->out);
    return NULL;
}

static void
start_inputs_job(struct inputs_job *j)
{
    j->running = pthread_create(&j->thread, NULL, make_inputs_rec, j) == 0;
}

/* Waits for it; the buffer goes to next when given. */
static void
finish_inputs_job(struct inputs_job *j, struct state *next)
{
    if (j->running)
        pthread_join(j->thread, NULL);
    j->running = false;
    if (next != NULL) {
        buf_fini(&next->inputs_made);
        next->inputs_made = j->out;
        buf_init(&j->out);
    }
    buf_fini(&j->out);
}

/* ---- quick builds ----------------------------------------------------- */

/*
 * An edit of a few posts' or pages' bodies that changes nothing else of
 * them -- title, dates, url, layout, tags, categories, description,
 * excerpt -- and makes no message changes no page but their own, and the
 * feed when they are among its posts: every other page shows only what
 * their records say of them, and the output has the same files.  A quick
 * build takes the last build's model from the state as it is (the posts
 * in order, as their records have them), reads and renders only those
 * posts, and brings the second generation, which it writes into, up to
 * date with the files the last build changed (listed in the state): no
 * pass over every post and page.  Any other change, and any doubt, is left
 * to the full incremental build, which gives the same bytes.
 */

#define QUICK_MAX 8 /* posts edited, at most */

enum quick { QUICK_NO, QUICK_DONE, QUICK_FAILED };

static bool
same_str(const char *a, const char *b)
{
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static bool
same_date(const struct post_date *a, const struct post_date *b)
{
    return a->epoch == b->epoch && a->year == b->year &&
           a->month == b->month && a->day == b->day && a->hour == b->hour &&
           a->min == b->min && a->sec == b->sec && a->offset == b->offset;
}

static bool
same_terms(const struct val *a, const struct val *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->items[i]->s, b->items[i]->s) != 0)
            return false;
    return true;
}

/* Whether post p, read again, shows the other pages what its light
 * record old says: then only its own page changes (and the feed).  A
 * page's excerpt is on no list. */
static bool
same_for_others(const struct post *old, const struct post *p)
{
    if (!old->is_page &&
        (old->sumkey != p->sumkey ||
         old->md.excerpt_len != p->md.excerpt_len ||
         memcmp(old->md.html, p->md.html, p->md.excerpt_len) != 0 ||
         has_more(old) != has_more(p)))
        return false;
    return old->link_key == p->link_key &&
           old->is_page == p->is_page && old->has_date == p->has_date &&
           old->has_updated == p->has_updated &&
           same_date(&old->date, &p->date) &&
           same_date(&old->updated, &p->updated) &&
           strcmp(old->title, p->title) == 0 &&
           strcmp(old->url, p->url) == 0 &&
           strcmp(old->layout, p->layout) == 0 &&
           same_str(old->description, p->description) &&
           same_terms(old->tags, p->tags) && same_terms(old->cats, p->cats);
}

/* The record of the source at path (in s->order), or SIZE_MAX. */
static size_t
order_of(const struct site *s, const char *path)
{
    uint64_t h = path_hash(path);

    for (size_t k = 0; k < s->norder; k++)
        if (s->order[k]->src_hash == h && strcmp(s->order[k]->src, path) == 0)
            return k;
    return SIZE_MAX;
}

/* Whether what d holds is what a record kept: text (NULL: none) and its
 * warnings. */
static bool
says_again(const struct diag *d, const char *text, int warnings)
{
    size_t n = text != NULL ? strlen(text) : 0;

    return diag_errors(d) == 0 && d->warnings == warnings &&
           d->text.len == n && (n == 0 || memcmp(d->text.data, text, n) == 0);
}

/* Reads a source again whose record is old: the post when it is such an
 * edit (says what its record says it said, reading it and checking its
 * links), else NULL. */
static struct post *
read_edited(const struct site *s, const struct post *old)
{
    struct site own = *s;
    struct diag read, links;

    diag_init_sub(&read, s->d);
    diag_init_sub(&links, s->d);
    own.quick = true;
    own.d = &read;
    struct post *p = read_post(&own, old->src, old->stem, old->is_page,
                               NULL);
    bool same = p != NULL && says_again(&read, old->messages, old->warnings) &&
                same_for_others(old, p);
    if (same) {
        own.d = &links;
        check_links(&own, &p, 1);
        same = says_again(&links, old->links_said, old->links_warnings);
    }
    if (same) { /* what read_source() and the link check keep */
        p->messages = xstrndup(read.text.data != NULL ? read.text.data : "",
                               read.text.len);
        p->warnings = read.warnings;
        p->links_said = links.text.len > 0
                            ? xstrndup(links.text.data, links.text.len)
                            : NULL;
        p->links_warnings = links.warnings;
        p->links_owned = true;
    } else {
        post_free(p);
        p = NULL;
    }
    diag_fini(&read);
    diag_fini(&links);
    return p;
}

/* Which records' sources changed since the last build (at most QUICK_MAX,
 * each the source of a post or page): their indexes in at[], how many in
 * *n; false when the inputs changed otherwise. */
static bool
find_edited(const struct site *s, size_t *at, size_t *n)
{
    const struct inputs *was = &s->prev->inputs, *now = &s->next.inputs;

    *n = 0;
    if (was->n != now->n)
        return false;
    for (size_t i = 0; i < now->n; i++) {
        const struct input *x = &was->v[i], *y = &now->v[i];
        if (strcmp(x->path, y->path) != 0)
            return false;
        if (x->size == y->size && x->mtime_ns == y->mtime_ns &&
            x->ino == y->ino)
            continue;
        if (*n == QUICK_MAX || (at[*n] = order_of(s, y->path)) == SIZE_MAX)
            return false;
        (*n)++;
    }
    return *n > 0;
}

/* The model as the state has it, with the posts read again in place of
 * their records. */
static void
take_order(struct site *s, const size_t *at, struct post **fresh, size_t n)
{
    size_t np = 0;

    while (np < s->norder && !s->order[np]->is_page)
        np++;
    for (size_t k = 0; k < n; k++) {
        post_free(s->order[at[k]]); /* in the block: its fields */
        s->order[at[k]] = fresh[k];
    }
    s->nposts = np;
    s->npages = s->norder - np;
    s->posts = xcalloc(np + 1, sizeof *s->posts);
    s->pages = xcalloc(s->npages + 1, sizeof *s->pages);
    memcpy(s->posts, s->order, np * sizeof *s->posts);
    memcpy(s->pages, s->order + np, s->npages * sizeof *s->pages);
    free(s->order);
    s->order = NULL;
    ptab_fini(&s->cached); /* its posts are the site's now */
}

/* Whether a quick build can be made: the state is usable, has a second
 * generation and the list of what the last build changed, and each of its
 * records was read. */
static bool
quick_possible(const struct site *s, const char *dir)
{
    if (s->prev == NULL || s->order == NULL || s->o->dry_run || s->o->full ||
        s->prev->gen_ino == 0)
        return false;
    for (size_t k = 0; k < s->norder; k++)
        if (s->order[k] == NULL ||
            (k > 0 && s->order[k - 1]->is_page && !s->order[k]->is_page))
            return false;
    char *gen = fs_join(dir, "gen");
    bool ok = inode_of(gen) == s->prev->gen_ino;
    free(gen);
    return ok;
}

static bool open_target(struct site *s, const char *dir);
static void keep_old(struct site *s, const char *dir);

/* See above: QUICK_NO when the edit is not such (nothing done: the full
 * build follows), else the build done (QUICK_DONE) or failed. */
static enum quick
quick_build(struct site *s, const char *dir, struct inputs_job *inputs,
            int errors0, int warnings0)
{
    size_t at[QUICK_MAX], n;
    struct post *fresh[QUICK_MAX];
    const char **differs;
    size_t ndiffers;

    if (!quick_possible(s, dir) || !find_edited(s, at, &n) ||
        !get_differs(s->prev, &differs, &ndiffers))
        return QUICK_NO;
    for (size_t k = 0; k < n; k++) {
        if ((fresh[k] = read_edited(s, s->order[at[k]])) == NULL) {
            while (k-- > 0)
                post_free(fresh[k]);
            free(differs);
            return QUICK_NO;
        }
    }
    s->quick = true;
    replay(s->d, s->prev); /* what the other posts said */
    take_order(s, at, fresh, n);
    build_site_val(s);
    set_global(s);
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; fresh[k]->tags != NULL && i < fresh[k]->tags->n; i++)
            spell_term(s, &s->tax[0], fresh[k]->tags->items[i]->s);
        for (size_t i = 0; fresh[k]->cats != NULL && i < fresh[k]->cats->n; i++)
            spell_term(s, &s->tax[1], fresh[k]->cats->items[i]->s);
    }
    if (!open_target(s, dir) || !s->gen) {
        if (s->tmp != NULL) /* gen went away since quick_possible() */
            diag_error(s->d, dir, 0, 0, "the second generation changed "
                       "while the build ran; build again");
        free(differs);
        return QUICK_FAILED;
    }
    /* the output's signatures, theirs changed */
    struct sigmap *cur = &s->next.cur;
    const struct ptab *was = &s->prev->cur.t;
    ptab_fini(&cur->t);
    cur->t = (struct ptab){.n = was->n, .cap = was->cap, .lent = true};
    cur->t.slot = xmalloc(was->cap * sizeof *was->slot + 1);
    memcpy(cur->t.slot, was->slot, was->cap * sizeof *was->slot);
    struct jobs run = {0};
    for (size_t k = 0; k < n; k++) {
        bool page = fresh[k]->is_page;
        size_t i = page ? at[k] - s->nposts : at[k];
        struct job j = {.i = i, .page = page};
        uint64_t sig;
        char *made, *rel = url_file(job_url(s, &j, &sig, &made));
        if (!reuse_output(s, rel, sig) &&
            set_put(&s->out->paths, rel, NULL) == NULL)
            add_job(&run, NULL, i, page);
        free(rel);
    }
    bool feed = plan_feed(s);
    make_whole(s, &run, feed);
    run_jobs(s, &run);
    if (feed)
        render_feed(s);
    /* the second generation is the build before last's output: what the
     * last build changed is brought over from the output */
    for (size_t i = 0; i < ndiffers; i++) {
        if (set_has(&s->out->paths, differs[i]))
            continue; /* written by this build */
        if (!set_has(was, differs[i]))
            remove_output(s, differs[i]);
        else if (!link_old(s, differs[i]))
            diag_error(s->d, differs[i], 0, 0, "cannot link from the output "
                       "into %s: %s", s->tmp, strerror(errno));
    }
    free(differs);
    if (diag_errors(s->d) > errors0 || !publish(s))
        return QUICK_FAILED;
    keep_old(s, dir);
    finish_inputs_job(inputs, &s->next);
    save_state(s, dir, errors0, warnings0);
    return QUICK_DONE;
}

bool
site_build(const struct site_opts *o, struct diag *d)
{
    struct outputs out = {.lock = PTHREAD_MUTEX_INITIALIZER};
    struct site s = {.o = o, .d = d, .out = &out, .tmp_fd = -1};
    out.paths.pool = &out.pool;
    s.next.cur.t.pool = &out.cur_pool;
    /* keys that live as long as their sets: inputs, posts' paths, urls */
    s.cached.lent = s.urls.lent = true;
    struct state prev = {0};
    struct early early = {.s = &s, .st = &prev,
                          .joined = o->dry_run || o->full};
    struct inputs_job inputs = {.in = &s.next.inputs};
    bool ok = false;
    int errors0 = diag_errors(d), warnings0 = d->warnings;
    char *dir = state_dir(o->out_dir);

    early.dir = dir;
    s.tax[0].key = "tags";
    s.tax[0].dir = "tags";
    s.tax[1].key = "categories";
    s.tax[1].dir = "categories";
    phase(NULL);
    s.next.opts = s.model = opts_key(o, d);
    if (!o->dry_run) {
        /* with no state, the scan has both threads, and leaves the posts
         * and pages for their reading to stat() */
        bool cold = o->full || !state_exists(dir);
        if (!cold)
            start_early(&early);
        else
            early.joined = true;
        s.next.inputs.one_thread = early.threaded;
        if (early.threaded)
            s.next.inputs.share = &early.share;
        s.next.inputs.lazy = cold;
        struct kept_listings kept;
        if (!cold && listings_load(&kept, dir))
            s.next.inputs.kept = &kept;
        char *yaml = fs_join(o->site_dir, "site.yaml");
        static const char *const trees[] = {"templates", "content", "assets"};
        inputs_scan(&s.next.inputs, yaml);
        free(yaml);
        for (size_t i = 0; i < 3; i++) {
            char *t = fs_join(o->site_dir, trees[i]);
            inputs_scan(&s.next.inputs, t);
            free(t);
        }
        if (early.threaded)
            par_share_end(&early.share);
        s.next.inputs.share = NULL;
        if (s.next.inputs.kept != NULL)
            listings_fini(s.next.inputs.kept);
        s.next.inputs.kept = NULL;
        phase("scan");
        bool same = early_same(&early, &s.next.inputs);
        if (early.usable)
            s.prev = &prev;
        phase("load");
        if (same) {
            finish_early(&s, &early, false);
            inputs_keep_listings(&s.next.inputs, dir);
            replay(d, &prev);
            phase("unchanged");
            ok = true;
            goto out;
        }
        buf_init(&inputs.out);
        if (!s.next.inputs.lazy) /* else once the posts are read */
            start_inputs_job(&inputs);
    }
    if (!load_config(&s))
        goto out;
    load_templates(&s);
    phase("config");
    /* other options, site.yaml or templates: the posts are read again */
    finish_early(&s, &early, s.prev != NULL && prev.posts_key == s.model);
    phase("cached");
    enum quick q = quick_build(&s, dir, &inputs, errors0, warnings0);
    if (q != QUICK_NO) {
        ok = q == QUICK_DONE;
        phase("quick");
        goto out;
    }
    free(s.order);
    s.order = NULL;
    char *posts = fs_join(o->site_dir, "content/posts");
    char *pages = fs_join(o->site_dir, "content/pages");
    read_posts_dir(&s, posts, NULL);
    read_pages_dir(&s, pages, "", NULL);
    read_sources(&s);
    free(posts);
    free(pages);
    if (s.next.inputs.lazy) {
        inputs_stat_later(&s.next.inputs);
        start_inputs_job(&inputs);
    }
    phase("read");
    if (diag_errors(d) > errors0)
        goto out;
    order_and_check(&s);
    if (diag_errors(d) > errors0)
        goto out;
    build_site_val(&s);
    set_global(&s);
    phase("model");

    if (!o->dry_run && !open_target(&s, dir))
        goto out;
    bool archive, feed;
    {
        struct jobs jobs = {0}, run = {0};
        struct list home = {.tmpl = "index", .n = s.nposts, .base = "",
                            .title = (char *)s.title};
        for (size_t i = 0; i < s.nposts; i++)
            add_job(&jobs, NULL, i, false);
        for (size_t i = 0; i < s.npages; i++)
            add_job(&jobs, NULL, i, true);
        add_list_jobs(&jobs, &s, &home);
        for (int k = 0; k < 2; k++) {
            plan_taxonomy(&s, &s.tax[k], k == 0 ? "Tags" : "Categories");
            for (size_t i = 0; i < s.tax[k].n; i++)
                add_list_jobs(&jobs, &s, &s.tax[k].lists[i]);
        }
        plan_jobs(&s, &jobs, &run);
        free(jobs.v);
        phase("plan");
        feed = plan_feed(&s);
        make_whole(&s, &run, feed);
        phase("reread");
        archive = !reuse_output(&s, "archives/index.html", archive_sig(&s));
        make_summaries(&s, &run, archive);
        if (archive)
            add_first_job(&run, (struct job){.archive = true});
        phase("summaries");
        s.memo = tmpl_memo_new();
        run_jobs(&s, &run);
        /* not for the archive, which shows each summary once */
        tmpl_memo_free(s.memo);
        s.memo = NULL;
    }
    phase("pages");
    render_taxonomy_index(&s, &s.tax[0], "Tags");
    render_taxonomy_index(&s, &s.tax[1], "Categories");
    if (!archive)
        note_html(&s, "archives/", NULL);
    phase("lists");
    if (!reuse_output(&s, "404.html", h64_str(s.global, "404"))) {
        struct val *ctx = val_map();
        val_set_str(ctx, "title", "Page not found");
        render_page(&s, "404", ctx, "404.html", "Page not found");
        val_free(ctx);
    }
    if (feed)
        render_feed(&s);
    render_sitemap(&s);
    char *assets = fs_join(o->site_dir, "assets");
    copy_tree(&s, assets, "", NULL);
    free(assets);
    phase("feed");
    build_diagrams(&s);
    phase("diagrams");
    bool same_out = same_files(&s);
    if (!o->dry_run) {
        s.recs = xmalloc(sizeof *s.recs);
        *s.recs = new_recs(&s);
    }
    check_all_links(&s, s.posts, s.nposts, same_out, 0);
    check_all_links(&s, s.pages, s.npages, same_out, s.nposts);
    phase("links");
    if (diag_errors(d) > errors0)
        goto out;
    if (s.gen)
        remove_unwritten(&s);
    ok = o->dry_run || publish(&s);
    phase("publish");
    if (ok && !o->dry_run) {
        keep_old(&s, dir);
        phase("keep");
        finish_inputs_job(&inputs, &s.next);
        save_state(&s, dir, errors0, warnings0);
        phase("state");
    }
out:
    finish_early(&s, &early, false); /* a build that stopped early */
    finish_inputs_job(&inputs, NULL);
    if (!ok && s.gen) {
        /* the second generation was half updated: the output and the
         * posts read are still as the state says */
        s.prev->gen_ino = 0;
        state_save(s.prev, dir);
    }
    if (s.tmp_fd >= 0)
        close(s.tmp_fd);
    if (s.tmp != NULL && !s.gen && fs_exists(s.tmp))
        fs_remove_tree(s.tmp);
    free(s.tmp);
    free_recs(&s);
    if (leave_to_exit(&s)) {
        phase("cleanup");
        return ok && diag_errors(d) == errors0;
    }
    free_posts(&s);
    free(s.light_block);
    free_taxonomy(&s.tax[0]);
    free_taxonomy(&s.tax[1]);
    free(out.html);
    ptab_fini(&out.paths);
    pthread_mutex_destroy(&out.lock);
    ptab_fini(&s.urls);
    ptab_fini(&s.failed);
    val_free(s.site_val);
    tmpl_set_free(s.tmpl);
    val_free(s.config);
    free(s.config_path);
    free(s.base_url);
    free(s.origin);
    free(s.root);
    state_fini(&s.next);
    state_fini(&prev);
    spool_free(&out.pool);
    spool_free(&out.cur_pool);
    free(dir);
    phase("cleanup");
    return ok && diag_errors(d) == errors0;
}

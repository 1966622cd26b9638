/*
 * md: Markdown -> HTML with cmark (see md.h).
 *
 *     body text -> Hexo tags handled -> cmark tree -> headings given ids,
 *     links collected and rebased -> HTML, block by block (for the excerpt)
 */
#include "md.h"

#include <cmark.h>
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "buf.h"
#include "fm.h"
#include "post.h"
#include "xmem.h"

/* Placeholders for {% raw %} blocks: bytes cmark passes through. */
#define RAW_OPEN "\x02" "blograw"
#define RAW_CLOSE "\x03"

struct raw {
    char **text;
    size_t n;
};

/*
 * cmark's memory for one post: its nodes and buffers come from blocks that
 * are given back together when the post is rendered (cmark allocates about
 * 300 pieces a post, and freeing them one by one took a quarter of the
 * build's time in malloc).  cmark_mem has no context pointer, so the arena
 * of the post being rendered is the thread's.  Sanitizer builds use the
 * default allocator, so that ASan still sees every piece.
 *
 * Nodes (calloc) and buffers (realloc) are kept apart, and nodes are packed
 * with no header: cmark walks up the parents of a node to insert another,
 * and with 16 bytes more a node, a walk up 20 000 nested blocks was six
 * times slower.  Buffers carry their size, so that the newest can grow in
 * place.
 */
struct arena_part {
    struct arena a;
    unsigned char *last; /* the newest buffer, which can grow in place */
};

struct md_arena {
    struct arena_part nodes, bufs;
};

#define ARENA_HEAD 16 /* a buffer's size, before it */

static _Thread_local struct md_arena *cur_arena;

#ifndef BLOG_SANITIZE
static void *
arena_calloc(size_t count, size_t size)
{
    if (size != 0 && count > ((size_t)1 << 40) / size)
        return NULL;
    size_t n = (count * size + 15) & ~(size_t)15;
    unsigned char *p = arena_take(&cur_arena->nodes.a, n);
    memset(p, 0, n);
    return p;
}

static void *
arena_buf(size_t size)
{
    struct arena_part *a = &cur_arena->bufs;
    size_t n = (size + 15) & ~(size_t)15;
    unsigned char *p = arena_take(&a->a, n + ARENA_HEAD);

    memcpy(p, &n, sizeof n);
    a->last = p + ARENA_HEAD;
    return a->last;
}

static void *
arena_realloc(void *ptr, size_t size)
{
    struct arena_part *a = &cur_arena->bufs;
    unsigned char *p = ptr, *q;
    struct arena_block *b;
    size_t old, n = (size + 15) & ~(size_t)15;

    if (size > ((size_t)1 << 40))
        return NULL;
    if (p == NULL)
        return arena_buf(size);
    if ((b = arena_find(&a->a, p)) == NULL) {
        /* a node-side piece, whose size is not kept: what lies between
         * it and its block's end holds it */
        b = arena_find(&cur_arena->nodes.a, p);
        if (b == NULL)
            abort();
        old = (size_t)(b->data + b->cap - p);
        q = arena_buf(size);
        memcpy(q, p, old < size ? old : size);
        return q;
    }
    memcpy(&old, p - ARENA_HEAD, sizeof old);
    if (n <= old)
        return p;
    if (p == a->last && b == a->a.head && b->data + b->used == p + old &&
        b->cap - b->used >= n - old) { /* the newest grows in place */
        b->used += n - old;
        memcpy(p - ARENA_HEAD, &n, sizeof n);
        return p;
    }
    q = arena_buf(size);
    memcpy(q, p, old);
    return q;
}

static void
arena_free(void *ptr)
{
    (void)ptr; /* given back with the whole arena */
}
#endif

static void
md_arena_fini(struct md_arena *a)
{
    arena_fini(&a->nodes.a);
    arena_fini(&a->bufs.a);
}

#ifdef BLOG_SANITIZE
#define md_mem() cmark_get_default_mem_allocator()
#else
static cmark_mem arena_mem = {arena_calloc, arena_realloc, arena_free};
#define md_mem() (&arena_mem)
#endif

/* Largest nesting cmark is given: deeper lists and quotes are flattened by
 * cmark's own limits, this bounds our own tree walk. */

static bool
in_fence(const char *line, size_t n, char *fence, size_t *fence_len)
{
    size_t i = 0, k;

    while (i < n && i < 3 && line[i] == ' ')
        i++;
    if (i >= n || (line[i] != '`' && line[i] != '~'))
        return false;
    char c = line[i];
    for (k = 0; i + k < n && line[i + k] == c; k++)
        ;
    if (k < 3)
        return false;
    if (*fence_len == 0) {
        *fence = c;
        *fence_len = k;
        return true;
    }
    if (c == *fence && k >= *fence_len) {
        *fence_len = 0;
        return true;
    }
    return false;
}

/* The first "ab" in [p, end), or NULL. */
static const char *
find_pair(const char *p, const char *end, char a, char b)
{
    while (p + 1 < end &&
           (p = memchr(p, a, (size_t)(end - p - 1))) != NULL) {
        if (p[1] == b)
            return p;
        p++;
    }
    return NULL;
}

/*
 * Hexo tag plugins: {% raw %}...{% endraw %} becomes a placeholder that is
 * swapped back after rendering; other tags stay as text, with a warning.
 * Fenced code is left alone.  Each byte is looked at a bounded number of
 * times: a search that failed is not repeated for a later start that can
 * only fail too (a line of 100 000 "{%", or of unclosed {% raw %}).
 */
static char *
hexo_tags(const char *text, size_t len, const char *path, int first_line,
          struct raw *raw, struct diag *d, size_t *outlen)
{
    struct buf b;
    size_t i = 0;
    int line = first_line;
    char fence = 0;
    size_t fence_len = 0;
    const char *line_start = text;
    size_t no_close_before = 0; /* no "%}" on the line before this */
    bool no_endraw = false;     /* no "{% endraw %}" after the last try */

    buf_init(&b);
    while (i < len) {
        if (text + i == line_start) {
            const char *nl = memchr(text + i, '\n', len - i);
            size_t n = nl != NULL ? (size_t)(nl - (text + i)) : len - i;
            bool was = fence_len > 0;
            if (in_fence(text + i, n, &fence, &fence_len) || was) {
                buf_add(&b, text + i, n);
                i += n;
                if (i < len) {
                    buf_putc(&b, '\n');
                    i++;
                    line++;
                }
                line_start = text + i;
                continue;
            }
        }
        if (text[i] == '\n') {
            buf_putc(&b, '\n');
            i++;
            line++;
            line_start = text + i;
            continue;
        }
        if (text[i] == '{' && i + 1 < len && text[i + 1] == '%') {
            const char *close = NULL;
            if (i + 2 >= no_close_before) {
                size_t k;
                for (k = i + 2; k + 1 < len && text[k] != '\n'; k++) {
                    if (text[k] == '%' && text[k + 1] == '}') {
                        close = text + k;
                        break;
                    }
                }
                if (close == NULL)
                    no_close_before = k;
            }
            if (close != NULL) {
                const char *nm = text + i + 2;
                while (nm < close && *nm == ' ')
                    nm++;
                const char *ne = nm;
                while (ne < close && (isalnum((unsigned char)*ne) ||
                                      *ne == '_' || *ne == '-'))
                    ne++;
                size_t nlen = (size_t)(ne - nm);
                int col = (int)(text + i - line_start) + 1;
                if (nlen == 3 && memcmp(nm, "raw", 3) == 0) {
                    const char *body = close + 2;
                    const char *end = NULL, *after = NULL;
                    const char *q = body, *tend = text + len;
                    while (!no_endraw &&
                           (q = find_pair(q, tend, '{', '%')) != NULL) {
                        const char *r = q + 2;
                        while (r < tend && *r == ' ')
                            r++;
                        if ((size_t)(tend - r) >= 6 &&
                            memcmp(r, "endraw", 6) == 0) {
                            const char *e = find_pair(r + 6, tend, '%', '}');
                            if (e != NULL) {
                                end = q;
                                after = e + 2;
                            }
                            break;
                        }
                        q = r;
                    }
                    if (end == NULL)
                        no_endraw = true;
                    if (end == NULL) {
                        diag_warning(d, path, line, col,
                                     "{%% raw %%} is never closed; add "
                                     "{%% endraw %%}; left as text");
                    } else {
                        if ((raw->n & (raw->n - 1)) == 0) /* doubling */
                            raw->text = xreallocarray(
                                raw->text, raw->n ? 2 * raw->n : 1,
                                sizeof *raw->text);
                        raw->text[raw->n] =
                            xstrndup(body, (size_t)(end - body));
                        buf_printf(&b, RAW_OPEN "%zu" RAW_CLOSE, raw->n);
                        raw->n++;
                        for (const char *c = text + i; c < after; c++)
                            if (*c == '\n')
                                line++;
                        i = (size_t)(after - text);
                        continue;
                    }
                } else if (nlen > 0 &&
                           !(nlen >= 3 && memcmp(nm, "end", 3) == 0)) {
                    diag_warning(d, path, line, col,
                                 "Hexo tag plugin '%.*s' is not supported; "
                                 "left as text",
                                 (int)nlen, nm);
                }
            }
        }
        buf_putc(&b, text[i]);
        i++;
    }
    *outlen = b.len;
    return buf_detach(&b);
}

void
md_scan_attrs(const char *s, size_t len,
              void (*fn)(void *, const char *, size_t, const char *, size_t,
                         size_t, int),
              void *arg)
{
    size_t i = 0;
    int line = 0;

    while (i < len) {
        if (s[i] == '\n')
            line++;
        if (s[i] != '<' || i + 1 >= len || !isalpha((unsigned char)s[i + 1])) {
            i++;
            continue;
        }
        size_t t = i + 1, te = t;
        while (te < len && (isalnum((unsigned char)s[te]) || s[te] == '-'))
            te++;
        i = te;
        /* attributes until '>' */
        while (i < len && s[i] != '>') {
            if (s[i] == '\n') {
                line++;
                i++;
                continue;
            }
            if (!isalpha((unsigned char)s[i])) {
                i++;
                continue;
            }
            size_t ns = i;
            while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '-' ||
                               s[i] == '_' || s[i] == ':'))
                i++;
            size_t ne = i;
            while (i < len && (s[i] == ' ' || s[i] == '\t'))
                i++;
            if (i >= len || s[i] != '=')
                continue;
            i++;
            while (i < len && (s[i] == ' ' || s[i] == '\t'))
                i++;
            size_t vs, ve;
            if (i < len && (s[i] == '"' || s[i] == '\'')) {
                char q = s[i++];
                vs = i;
                while (i < len && s[i] != q) {
                    if (s[i] == '\n')
                        line++;
                    i++;
                }
                ve = i;
                if (i < len)
                    i++;
            } else {
                vs = i;
                while (i < len && !isspace((unsigned char)s[i]) && s[i] != '>')
                    i++;
                ve = i;
            }
            size_t nl = ne - ns;
            bool href = nl == 4 && strncasecmp(s + ns, "href", 4) == 0;
            bool src = nl == 3 && strncasecmp(s + ns, "src", 3) == 0;
            if (href || src)
                fn(arg, s + t, te - t, href ? "href" : "src", vs, ve - vs,
                   line);
        }
    }
}

struct collect {
    struct md_result *r;
    int base_line;
    const char *lit;
};

static void
add_link(struct md_result *r, const char *url, size_t n, const char *what,
         int line)
{
    /* the array doubles when the count reaches a power of two: growing
     * it by one was quadratic (ASan's realloc always copies) */
    if ((r->nlinks & (r->nlinks - 1)) == 0)
        r->links = xreallocarray(r->links, r->nlinks ? 2 * r->nlinks : 1,
                                 sizeof *r->links);
    r->links[r->nlinks].url = xstrndup(url, n);
    r->links[r->nlinks].what = xstrdup(what);
    r->links[r->nlinks].line = line;
    r->nlinks++;
}

static void
collect_attr(void *arg, const char *tag, size_t taglen, const char *name,
             size_t off, size_t n, int line)
{
    struct collect *c = arg;
    char *what = xasprintf("<%.*s %s=\"%.*s\">", (int)taglen, tag, name,
                           (int)n, c->lit + off);
    add_link(c->r, c->lit + off, n, what, c->base_line + line);
    free(what);
}

/* Rewrites site-relative URLs in raw HTML to start with root. */
struct rebase {
    struct buf out;
    const char *lit;
    size_t done;
    const char *root;
};

static void
rebase_attr(void *arg, const char *tag, size_t taglen, const char *name,
            size_t off, size_t n, int line)
{
    struct rebase *rb = arg;
    const char *v = rb->lit + off;

    (void)tag;
    (void)taglen;
    (void)name;
    (void)line;
    if (n == 0 || v[0] != '/' || (n > 1 && v[1] == '/'))
        return;
    buf_add(&rb->out, rb->lit + rb->done, off - rb->done);
    buf_add(&rb->out, rb->root, strlen(rb->root) - 1);
    rb->done = off;
}

static char *
heading_text(cmark_node *h)
{
    struct buf b;
    cmark_iter *it = cmark_iter_new(h);
    cmark_event_type ev;

    buf_init(&b);
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER &&
            (cmark_node_get_type(n) == CMARK_NODE_TEXT ||
             cmark_node_get_type(n) == CMARK_NODE_CODE))
            buf_puts(&b, cmark_node_get_literal(n));
    }
    cmark_iter_free(it);
    return buf_detach(&b);
}

/* The ids given so far, in an open-addressing table; for an id that was
 * a heading's own text, `next` is the first "-k" suffix not yet tried, so
 * that 30 000 headings "Intro" cost 30 000 steps, not 30 000 squared. */
struct ids {
    char **id;
    int *next;
    size_t n, cap;
};

static size_t
ids_slot(const struct ids *ids, const char *id)
{
    size_t h = 5381;

    for (const char *p = id; *p; p++)
        h = h * 33 + (unsigned char)*p;
    for (h &= ids->cap - 1; ids->id[h] != NULL && strcmp(ids->id[h], id) != 0;
         h = (h + 1) & (ids->cap - 1))
        ;
    return h;
}

static bool
ids_has(const struct ids *ids, const char *id)
{
    return ids->cap > 0 && ids->id[ids_slot(ids, id)] != NULL;
}

/* Adds id (not yet there; taken over) and returns its slot. */
static size_t
ids_add(struct ids *ids, char *id)
{
    if (2 * (ids->n + 1) > ids->cap) {
        struct ids t = {.cap = ids->cap ? 2 * ids->cap : 64};
        t.id = xcalloc(t.cap, sizeof *t.id);
        t.next = xcalloc(t.cap, sizeof *t.next);
        for (size_t i = 0; i < ids->cap; i++) {
            if (ids->id[i] != NULL) {
                size_t j = ids_slot(&t, ids->id[i]);
                t.id[j] = ids->id[i];
                t.next[j] = ids->next[i];
            }
        }
        t.n = ids->n;
        free(ids->id);
        free(ids->next);
        *ids = t;
    }
    size_t slot = ids_slot(ids, id);
    ids->id[slot] = id;
    ids->next[slot] = 1;
    ids->n++;
    return slot;
}

/* text's slug if unused, else the first free "slug-k", k = 1, 2... */
static char *
unique_id(struct ids *ids, const char *text)
{
    char *base = post_slugify(text), *id;

    if (*base == '\0') {
        free(base);
        base = xstrdup("section");
    }
    if (!ids_has(ids, base)) {
        ids_add(ids, xstrdup(base));
        return base;
    }
    int k = ids->next[ids_slot(ids, base)];
    for (;; k++) {
        id = xasprintf("%s-%d", base, k);
        if (!ids_has(ids, id))
            break;
        free(id);
    }
    ids->next[ids_slot(ids, base)] = k + 1;
    ids_add(ids, xstrdup(id));
    free(base);
    return id;
}

/* The id of a top-level heading: its text as a slug, made unique. */
static char *
heading_id(struct ids *ids, cmark_node *h)
{
    char *text = heading_text(h), *id = unique_id(ids, text);

    free(text);
    return id;
}

static void
ids_fini(struct ids *ids)
{
    for (size_t i = 0; i < ids->cap; i++)
        free(ids->id[i]);
    free(ids->id);
    free(ids->next);
}

static bool
is_more(const char *lit)
{
    const char *p = lit;

    if (strncmp(p, "<!--", 4) != 0)
        return false;
    p += 4;
    if (*p == ' ')
        p++;
    if (strncmp(p, "more", 4) != 0)
        return false;
    p += 4;
    if (*p == ' ')
        p++;
    if (strncmp(p, "-->", 3) != 0)
        return false;
    p += 3;
    while (*p == ' ' || *p == '\n')
        p++;
    return *p == '\0';
}

/* Collects links and rebases site-relative ones. */
static void
walk_links(cmark_node *doc, int first_line, const char *root,
           struct md_result *r)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    bool rebase = strcmp(root, "/") != 0;

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        int line = cmark_node_get_start_line(n) + first_line - 1;
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
            const char *url = cmark_node_get_url(n);
            /* inline nodes have no position in cmark 0.30: use the
             * nearest block's */
            cmark_node *b = n;
            while (b != NULL && cmark_node_get_start_line(b) == 0)
                b = cmark_node_parent(b);
            line = (b != NULL ? cmark_node_get_start_line(b) : 1) +
                   first_line - 1;
            char *what = t == CMARK_NODE_LINK
                             ? xasprintf("[...](%s)", url)
                             : xasprintf("![...](%s)", url);
            add_link(r, url, strlen(url), what, line);
            free(what);
            if (rebase && url[0] == '/' && url[1] != '/') {
                char *nu = xasprintf("%.*s%s", (int)strlen(root) - 1, root,
                                     url);
                cmark_node_set_url(n, nu);
                free(nu);
            }
        } else if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) {
            const char *lit = cmark_node_get_literal(n);
            if (lit == NULL)
                continue;
            if (t == CMARK_NODE_HTML_INLINE) {
                cmark_node *b = n;
                while (b != NULL && cmark_node_get_start_line(b) == 0)
                    b = cmark_node_parent(b);
                line = (b != NULL ? cmark_node_get_start_line(b) : 1) +
                       first_line - 1;
            }
            struct collect c = {r, line, lit};
            md_scan_attrs(lit, strlen(lit), collect_attr, &c);
            if (rebase) {
                struct rebase rb = {.lit = lit, .done = 0, .root = root};
                buf_init(&rb.out);
                md_scan_attrs(lit, strlen(lit), rebase_attr, &rb);
                if (rb.done > 0) {
                    buf_puts(&rb.out, lit + rb.done);
                    cmark_node_set_literal(n, buf_str(&rb.out));
                }
                buf_fini(&rb.out);
            }
        }
    }
    cmark_iter_free(it);
}

/* The value of the numeric reference at p ("&#...;"), or ULONG_MAX. */
static unsigned long
ref_value(const char *p, const char *end, size_t *len)
{
    const char *q = p + 2;
    bool hex = q < end && (*q == 'x' || *q == 'X');
    unsigned long v = 0;
    int digits = 0;

    if (hex)
        q++;
    for (; q < end && digits < 8; q++, digits++) {
        int dv = isdigit((unsigned char)*q) ? *q - '0'
                 : hex && isxdigit((unsigned char)*q)
                     ? tolower((unsigned char)*q) - 'a' + 10
                     : -1;
        if (dv < 0)
            break;
        v = v * (hex ? 16 : 10) + (unsigned long)dv;
    }
    if (digits == 0 || q >= end || *q != ';')
        return ULONG_MAX;
    *len = (size_t)(q + 1 - p);
    return v;
}

/* Reports the first character that a reference (&#2;, &#x9F;) made and
 * HTML and XML refuse (fm_refused_char()), which the check of a post's
 * own bytes cannot see, where the text (what cmark parsed, its line 1 at
 * first_line) writes it. */
static void
check_refs(cmark_node *doc, const char *text, size_t n, const char *path,
           int first_line, struct diag *d)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    long found = -1;

    while (found < 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *nd = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(nd);
        const char *v = NULL;
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (t == CMARK_NODE_TEXT)
            v = cmark_node_get_literal(nd);
        else if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)
            v = cmark_node_get_title(nd);
        else if (t == CMARK_NODE_CODE_BLOCK)
            v = cmark_node_get_fence_info(nd);
        if (v != NULL)
            found = fm_refused_char(v, strlen(v));
    }
    cmark_iter_free(it);
    if (found < 0)
        return;
    unsigned long cp = (unsigned long)found;
    const char *what =
        cp >= 0xfdd0 ? "the noncharacter" : "the control character";
    /* where it is written: the first reference to it */
    const char *end = text + n, *line_start = text, *p;
    int line = first_line;
    for (p = text; p + 2 < end; p++) {
        size_t len;
        if (*p == '\n') {
            line++;
            line_start = p + 1;
        } else if (p[0] == '&' && p[1] == '#' &&
                   ref_value(p, end, &len) == cp) {
            int col = 1;
            for (const char *c = line_start; c < p; c++)
                col += ((unsigned char)*c & 0xc0) != 0x80;
            diag_error(d, path, line, col,
                       "'%.*s' is %s U+%04lX, which HTML and XML refuse; "
                       "remove it",
                       (int)len, p, what, cp);
            return;
        }
    }
    diag_error(d, path, first_line, 1,
               "a character reference makes %s U+%04lX, which HTML and XML "
               "refuse; remove it",
               what, cp);
}

/* Swaps {% raw %} placeholders back for their text. */
static char *
unraw(char *html, const struct raw *raw)
{
    struct buf b;
    const char *p = html, *q;

    if (raw->n == 0)
        return html;
    buf_init(&b);
    while ((q = strstr(p, RAW_OPEN)) != NULL) {
        size_t k = strtoul(q + strlen(RAW_OPEN), NULL, 10);
        const char *e = strstr(q, RAW_CLOSE);
        if (e == NULL || k >= raw->n)
            break;
        /* a placeholder alone in a paragraph stands for a block */
        bool para = q - p >= 3 && strncmp(q - 3, "<p>", 3) == 0 &&
                    strncmp(e + 1, "</p>", 4) == 0;
        buf_add(&b, p, (size_t)(q - p) - (para ? 3 : 0));
        buf_puts(&b, raw->text[k]);
        p = e + 1 + (para ? 4 : 0);
    }
    buf_puts(&b, p);
    free(html);
    return buf_detach(&b);
}

/*
 * Marks, as HTML blocks the renderer passes through: "\x02<h\n" before a
 * top-level heading (its id goes in its tag) and "\x02<e\n" where the
 * excerpt ends.  No text can make them: a post's own 0x02 bytes are gone
 * by then (see mask_placeholder_bytes()), and the one an entity (&#2;)
 * makes is in text, where '<' is escaped.
 */
#define MARK_HEAD "\x02<h\n"
#define MARK_END "\x02<e\n"

/* The ids of the top-level headings, in order. */
struct heads {
    char **id;
    size_t n, cap;
};

static void
heads_fini(struct heads *hd)
{
    for (size_t i = 0; i < hd->n; i++)
        free(hd->id[i]);
    free(hd->id);
}

static cmark_node *
new_mark(cmark_mem *mem, const char *mark)
{
    cmark_node *n = cmark_node_new_with_mem(CMARK_NODE_HTML_BLOCK, mem);

    cmark_node_set_literal(n, mark);
    return n;
}

/* Gives each top-level heading its id and marks it; marks the excerpt's
 * end: the first <!-- more --> (the others are dropped), else the end of
 * the first paragraph.  Whether there was a <!-- more -->. */
static bool
mark_blocks(cmark_node *doc, cmark_mem *mem, struct ids *ids,
            struct heads *hd)
{
    cmark_node *c, *next, *first_para = NULL;
    bool more = false;

    for (c = cmark_node_first_child(doc); c != NULL; c = next) {
        cmark_node_type t = cmark_node_get_type(c);
        next = cmark_node_next(c);
        if (t == CMARK_NODE_HTML_BLOCK && is_more(cmark_node_get_literal(c))) {
            if (!more) {
                cmark_node_set_literal(c, MARK_END);
            } else {
                cmark_node_unlink(c);
                cmark_node_free(c);
            }
            more = true;
        } else if (t == CMARK_NODE_HEADING) {
            if (hd->n == hd->cap) {
                hd->cap = hd->cap ? 2 * hd->cap : 8;
                hd->id = xreallocarray(hd->id, hd->cap, sizeof *hd->id);
            }
            hd->id[hd->n++] = heading_id(ids, c);
            cmark_node_insert_before(c, new_mark(mem, MARK_HEAD));
        } else if (t == CMARK_NODE_PARAGRAPH && first_para == NULL) {
            first_para = c;
        }
    }
    if (!more && first_para != NULL)
        cmark_node_insert_after(first_para, new_mark(mem, MARK_END));
    return more;
}

/* Copies the rendering h into out without its marks, each heading's id
 * put in its tag ("<h2>" -> "<h2 id=\"...\">"); returns where the excerpt
 * ends (0 when nothing marks it). */
static size_t
unmark(struct buf *out, const char *h, const struct heads *hd)
{
    const char *p = h, *q, *end = h + strlen(h);
    size_t excerpt = 0, k = 0;

    buf_reserve(out, (size_t)(end - h) + 32 * hd->n + 1);
    while ((q = memchr(p, '\x02', (size_t)(end - p))) != NULL) {
        buf_add(out, p, (size_t)(q - p));
        if (q[1] == '<' && q[2] == 'h' && q[3] == '\n') {
            p = q + 4;
            /* "<h2>" -> "<h2 id=\"...\">" */
            if (k < hd->n && p[0] == '<' && p[1] == 'h' && p[2] != '\0' &&
                p[3] == '>') {
                buf_add(out, p, 3);
                buf_puts(out, " id=\"");
                buf_puts(out, hd->id[k++]);
                buf_putc(out, '"');
                p += 3;
            }
        } else if (q[1] == '<' && q[2] == 'e' && q[3] == '\n') {
            excerpt = out->len;
            p = q + 4;
        } else { /* a placeholder, or a byte an entity made */
            buf_putc(out, '\x02');
            p = q + 1;
        }
    }
    buf_add(out, p, (size_t)(end - p));
    return excerpt;
}

/*
 * The placeholder bytes 0x02 and 0x03 are control characters that have no
 * place in HTML; written in a post they would be taken for placeholders,
 * so they become U+FFFD, as cmark does with NUL.  Returns NULL when the
 * text has none (the common case), else a new string.
 */
static char *
mask_placeholder_bytes(const char *text, size_t len, size_t *outlen)
{
    struct buf b;

    if (memchr(text, RAW_OPEN[0], len) == NULL &&
        memchr(text, RAW_CLOSE[0], len) == NULL)
        return NULL;
    buf_init(&b);
    for (size_t i = 0; i < len; i++) {
        if (text[i] == RAW_OPEN[0] || text[i] == RAW_CLOSE[0])
            buf_puts(&b, "\xef\xbf\xbd");
        else
            buf_putc(&b, text[i]);
    }
    *outlen = b.len;
    return buf_detach(&b);
}

bool
md_render(const char *text, size_t len, const char *path, int first_line,
          const char *root, struct md_result *out, struct diag *d)
{
    struct raw raw = {0};
    size_t n, mlen;
    char *masked = mask_placeholder_bytes(text, len, &mlen);
    const char *in = masked != NULL ? masked : text;
    size_t inlen = masked != NULL ? mlen : len;
    /* most posts have no "{%" at all: then there is no tag to look at */
    char *src = find_pair(in, in + inlen, '{', '%') == NULL
                    ? NULL
                    : hexo_tags(in, inlen, path, first_line, &raw, d, &n);
    struct md_arena arena = {0};
    cmark_mem *mem = md_mem();
    cur_arena = &arena;
    cmark_parser *parser = cmark_parser_new_with_mem(CMARK_OPT_UNSAFE, mem);
    cmark_parser_feed(parser, src != NULL ? src : in, src != NULL ? n : inlen);
    cmark_node *doc = cmark_parser_finish(parser);
    cmark_parser_free(parser);
    struct buf html;
    struct ids ids = {0};

    memset(out, 0, sizeof *out);
    /* most posts have no "&#" at all: then no reference makes a character
     * the text check did not see */
    const char *parsed = src != NULL ? src : in;
    size_t nparsed = src != NULL ? n : inlen;
    if (doc != NULL && find_pair(parsed, parsed + nparsed, '&', '#') != NULL)
        check_refs(doc, parsed, nparsed, path, first_line, d);
    free(src);
    free(masked);
    if (doc == NULL) {
        cur_arena = NULL;
        md_arena_fini(&arena);
        diag_error(d, path, first_line, 1, "cannot parse the Markdown");
        for (size_t i = 0; i < raw.n; i++)
            free(raw.text[i]);
        free(raw.text);
        return false;
    }
    walk_links(doc, first_line, root, out);
    /* one rendering of the whole document, with marks where a heading's
     * id goes and where the excerpt ends, taken out after */
    struct heads heads = {0};
    out->has_more = mark_blocks(doc, mem, &ids, &heads);
    char *h = cmark_render_html(doc, CMARK_OPT_UNSAFE);
    buf_init(&html);
    out->excerpt_len = unmark(&html, h, &heads);
    mem->free(h);
    heads_fini(&heads);
    /* with the arena, the tree goes with it: freeing it node by node
     * would only walk it */
#ifdef BLOG_SANITIZE
    cmark_node_free(doc);
#endif
    cur_arena = NULL;
    md_arena_fini(&arena);
    ids_fini(&ids);
    out->html_len = html.len;
    /* the body is kept until its page is written: without the buffer's
     * room to grow (a third of it on average), which the next posts'
     * memory then takes instead of fresh pages */
    out->html = xrealloc(buf_detach(&html), out->html_len + 1);
    if (raw.n > 0) {
        /* placeholders change length: recompute the excerpt boundary */
        char *ex = xstrndup(out->html, out->excerpt_len);
        ex = unraw(ex, &raw);
        out->excerpt_len = strlen(ex);
        free(ex);
        out->html = unraw(out->html, &raw);
        out->html_len = strlen(out->html);
    }
    for (size_t i = 0; i < raw.n; i++)
        free(raw.text[i]);
    free(raw.text);
    return true;
}

void
md_result_fini(struct md_result *r)
{
    for (size_t i = 0; i < r->nlinks; i++) {
        free(r->links[i].url);
        free(r->links[i].what);
    }
    free(r->links);
    free(r->html);
    memset(r, 0, sizeof *r);
}

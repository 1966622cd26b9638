/*
 * tmpl: the Mustache engine (see tmpl.h).
 *
 * A template is compiled into a tree of nodes once: text, variables,
 * sections and partials, with the spec's standalone-line rules already
 * applied to the text.  Rendering walks the tree with a stack of contexts.
 */
#include "tmpl.h"

#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmem.h"

/* The work one tmpl_render() may do: nodes visited and bytes written.  A
 * list section nested in itself multiplies (two posts and thirty levels
 * are a billion visits); past these limits the render stops with an
 * error.  A step is a node visited or a context looked at for a name: a
 * real page takes thousands, the archive of 100 000 posts 1.3 million,
 * and 10 million take about half a second. */
#ifndef TMPL_MAX_STEPS
#define TMPL_MAX_STEPS 10000000ul
#endif
#ifndef TMPL_MAX_OUTPUT
#define TMPL_MAX_OUTPUT (512ul << 20)
#endif

enum node_kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL };

struct node {
    enum node_kind kind;
    char *text;         /* N_TEXT: the text; else the tag's name */
    size_t len;
    char **parts;       /* the name split on '.' ("." alone: none) */
    size_t nparts;
    char *indent;       /* N_PARTIAL: the standalone tag's indentation */
    struct node *kids;  /* sections */
    size_t nkids, cap;
    int line, col;      /* where the tag is, for messages */
};

struct tmpl {
    char *name;
    char *path;
    struct node root;
};

struct tmpl_set {
    struct tmpl **t;
    size_t n;
    bool strict;
};

/* ---- compiling -------------------------------------------------------- */

struct parser {
    const char *src, *end;
    const char *path;
    struct diag *d;
    char open[16], close[16];
    size_t olen, clen;
};

static void
position(const struct parser *p, const char *at, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (const char *s = p->src; s < at; s++) {
        if (*s == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)*s & 0xc0) != 0x80) {
            (*col)++;
        }
    }
}

static struct node *
add_node(struct node *parent, enum node_kind kind)
{
    if (parent->nkids == parent->cap) {
        parent->cap = parent->cap ? parent->cap * 2 : 8;
        parent->kids = xreallocarray(parent->kids, parent->cap,
                                     sizeof *parent->kids);
    }
    struct node *n = &parent->kids[parent->nkids++];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    return n;
}

static void
add_text(struct node *parent, const char *s, size_t n)
{
    if (n == 0)
        return;
    struct node *last = parent->nkids ? &parent->kids[parent->nkids - 1] : NULL;
    if (last != NULL && last->kind == N_TEXT) {
        last->text = xrealloc(last->text, last->len + n + 1);
        memcpy(last->text + last->len, s, n);
        last->len += n;
        last->text[last->len] = '\0';
        return;
    }
    struct node *t = add_node(parent, N_TEXT);
    t->text = xstrndup(s, n);
    t->len = n;
}

static void
set_name(struct node *n, const char *s, size_t len)
{
    n->text = xstrndup(s, len);
    n->len = len;
    if (len == 1 && s[0] == '.')
        return;
    for (const char *p = n->text;;) {
        const char *dot = strchr(p, '.');
        size_t k = dot != NULL ? (size_t)(dot - p) : strlen(p);
        n->parts = xreallocarray(n->parts, n->nparts + 1, sizeof *n->parts);
        n->parts[n->nparts++] = xstrndup(p, k);
        if (dot == NULL)
            break;
        p = dot + 1;
    }
}

static void
free_node(struct node *n)
{
    for (size_t i = 0; i < n->nkids; i++)
        free_node(&n->kids[i]);
    for (size_t i = 0; i < n->nparts; i++)
        free(n->parts[i]);
    free(n->parts);
    free(n->kids);
    free(n->text);
    free(n->indent);
}

static const char *
find(const char *s, const char *end, const char *what, size_t n)
{
    for (; s + n <= end; s++)
        if (*s == what[0] && memcmp(s, what, n) == 0)
            return s;
    return NULL;
}

static bool
blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Sets new delimiters from "{{=<% %>=}}"'s inside, "<% %>". */
static bool
set_delims(struct parser *p, const char *s, const char *e)
{
    while (s < e && blank(*s))
        s++;
    while (e > s && blank(e[-1]))
        e--;
    const char *a = s;
    while (s < e && !blank(*s) && *s != '=')
        s++;
    size_t alen = (size_t)(s - a);
    while (s < e && blank(*s))
        s++;
    const char *b = s;
    size_t blen = (size_t)(e - b);
    if (alen == 0 || blen == 0 || alen >= sizeof p->open ||
        blen >= sizeof p->close || memchr(b, ' ', blen) != NULL ||
        memchr(b, '=', blen) != NULL)
        return false;
    memcpy(p->open, a, alen);
    p->olen = alen;
    memcpy(p->close, b, blen);
    p->clen = blen;
    return true;
}

static bool
parse(struct parser *p, struct node *root)
{
    struct node *stack[TMPL_MAX_DEPTH + 1];
    int depth = 0;
    const char *s = p->src;
    int line, col;

    stack[0] = root;
    while (s < p->end) {
        const char *o = find(s, p->end, p->open, p->olen);
        if (o == NULL) {
            add_text(stack[depth], s, (size_t)(p->end - s));
            break;
        }
        const char *in = o + p->olen, *c, *after;
        char type = in < p->end ? *in : '\0';
        if (type == '{') {
            char cl[17] = "}";
            memcpy(cl + 1, p->close, p->clen);
            c = find(in + 1, p->end, cl, p->clen + 1);
            after = c != NULL ? c + p->clen + 1 : NULL;
        } else if (type == '=') {
            char cl[17] = "=";
            memcpy(cl + 1, p->close, p->clen);
            c = find(in + 1, p->end, cl, p->clen + 1);
            after = c != NULL ? c + p->clen + 1 : NULL;
        } else {
            /* the close is looked for after a sigil: with delimiters
             * "{{ >", the '>' of "{{>" does not close the tag */
            const char *from =
                type != '\0' && strchr("#^/!>&", type) != NULL ? in + 1 : in;
            c = find(from, p->end, p->close, p->clen);
            after = c != NULL ? c + p->clen : NULL;
        }
        if (c == NULL) {
            position(p, o, &line, &col);
            diag_error(p->d, p->path, line, col,
                       "tag '%.*s%s' is never closed; add '%s%.*s'",
                       (int)p->olen, p->open,
                       type == '{' || type == '=' ? (type == '{' ? "{" : "=")
                                                  : "",
                       type == '{' ? "}" : type == '=' ? "=" : "",
                       (int)p->clen, p->close);
            return false;
        }
        /* the tag's name, trimmed */
        const char *ns = in, *ne = c;
        if (strchr("#^/!>=&{", type) != NULL && type != '\0')
            ns++;
        while (ns < ne && isspace((unsigned char)*ns))
            ns++;
        while (ne > ns && isspace((unsigned char)ne[-1]))
            ne--;
        /* standalone: alone on its line but for white space */
        bool standalone = false;
        const char *ls = o, *le = after;
        if (strchr("#^/!>=", type) != NULL && type != '\0') {
            while (ls > p->src && blank(ls[-1]))
                ls--;
            while (le < p->end && blank(*le))
                le++;
            bool at_start = ls == p->src || ls[-1] == '\n';
            bool at_end = le == p->end || *le == '\n' ||
                          (*le == '\r' && le + 1 < p->end && le[1] == '\n');
            standalone = at_start && at_end;
        }
        add_text(stack[depth], s, (size_t)((standalone ? ls : o) - s));
        const char *tag_end = after; /* the tag alone, for messages */
        if (standalone) {
            if (le < p->end && *le == '\r')
                le++;
            if (le < p->end && *le == '\n')
                le++;
            after = le;
        }
        position(p, o, &line, &col);
        if (ns == ne && type != '!' && type != '=') {
            diag_error(p->d, p->path, line, col,
                       "empty tag '%.*s'; put a name in it",
                       (int)(tag_end - o), o);
            return false;
        }
        struct node *n;
        switch (type) {
        case '!':
            break;
        case '=':
            if (!set_delims(p, in + 1, c)) {
                diag_error(p->d, p->path, line, col,
                           "bad delimiter change '%.*s'; write it like "
                           "{{=<%% %%>=}}",
                           (int)(tag_end - o), o);
                return false;
            }
            break;
        case '#':
        case '^':
            if (depth == TMPL_MAX_DEPTH) {
                diag_error(p->d, p->path, line, col,
                           "sections nested deeper than %d; is a closing "
                           "tag missing?",
                           TMPL_MAX_DEPTH);
                return false;
            }
            n = add_node(stack[depth], type == '#' ? N_SECTION : N_INVERTED);
            set_name(n, ns, (size_t)(ne - ns));
            n->line = line;
            n->col = col;
            stack[++depth] = n;
            break;
        case '/':
            if (depth == 0) {
                diag_error(p->d, p->path, line, col,
                           "'%.*s' closes a section that was never opened; "
                           "remove it",
                           (int)(tag_end - o), o);
                return false;
            }
            if ((size_t)(ne - ns) != stack[depth]->len ||
                memcmp(ns, stack[depth]->text, stack[depth]->len) != 0) {
                diag_error(p->d, p->path, line, col,
                           "'%.*s' does not close section '%s' opened on "
                           "line %d; close it with {{/%s}} first",
                           (int)(ne - ns), ns, stack[depth]->text,
                           stack[depth]->line, stack[depth]->text);
                return false;
            }
            depth--;
            break;
        case '>':
            n = add_node(stack[depth], N_PARTIAL);
            n->text = xstrndup(ns, (size_t)(ne - ns));
            n->len = (size_t)(ne - ns);
            n->line = line;
            n->col = col;
            if (standalone)
                n->indent = xstrndup(ls, (size_t)(o - ls));
            break;
        default:
            n = add_node(stack[depth],
                         type == '&' || type == '{' ? N_RAW : N_VAR);
            set_name(n, ns, (size_t)(ne - ns));
            n->line = line;
            n->col = col;
            break;
        }
        s = after;
    }
    if (depth > 0) {
        diag_error(p->d, p->path, stack[depth]->line, stack[depth]->col,
                   "section '%s' is never closed; add {{/%s}}",
                   stack[depth]->text, stack[depth]->text);
        return false;
    }
    return true;
}

struct tmpl_set *
tmpl_set_new(void)
{
    return xcalloc(1, sizeof(struct tmpl_set));
}

static void
tmpl_free(struct tmpl *t)
{
    free_node(&t->root);
    free(t->name);
    free(t->path);
    free(t);
}

void
tmpl_set_free(struct tmpl_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->n; i++)
        tmpl_free(set->t[i]);
    free(set->t);
    free(set);
}

void
tmpl_set_strict(struct tmpl_set *set, bool strict)
{
    set->strict = strict;
}

static const struct tmpl *
lookup(const struct tmpl_set *set, const char *name, size_t len)
{
    for (size_t i = 0; i < set->n; i++)
        if (strlen(set->t[i]->name) == len &&
            memcmp(set->t[i]->name, name, len) == 0)
            return set->t[i];
    return NULL;
}

bool
tmpl_set_has(const struct tmpl_set *set, const char *name)
{
    return lookup(set, name, strlen(name)) != NULL;
}

bool
tmpl_set_add(struct tmpl_set *set, const char *name, const char *src,
             size_t len, const char *path, struct diag *d)
{
    struct parser p = {.src = src, .end = src + len, .path = path, .d = d,
                       .open = "{{", .close = "}}", .olen = 2, .clen = 2};
    struct tmpl *t = xcalloc(1, sizeof *t);

    t->name = xstrdup(name);
    t->path = xstrdup(path);
    if (!parse(&p, &t->root)) {
        tmpl_free(t);
        return false;
    }
    for (size_t i = 0; i < set->n; i++) {
        if (strcmp(set->t[i]->name, name) == 0) {
            tmpl_free(set->t[i]);
            set->t[i] = t;
            return true;
        }
    }
    set->t = xreallocarray(set->t, set->n + 1, sizeof *set->t);
    set->t[set->n++] = t;
    return true;
}

/* ---- the memo of list items ------------------------------------------ */

struct memo_entry {
    const struct node *node; /* the section; NULL: a free slot */
    const struct val *item;
    char *text;
    size_t len;
    bool bol; /* the render's bol after the item */
    /* what rendering it took, for the limits a new render would meet:
     * steps, and partials and contexts nested deeper than at its start */
    unsigned long steps;
    int partials, contexts;
};

struct tmpl_memo {
    pthread_mutex_t lock;
    struct memo_entry *v; /* open addressing, at most half full */
    size_t n, cap;
};

struct tmpl_memo *
tmpl_memo_new(void)
{
    struct tmpl_memo *m = xcalloc(1, sizeof *m);

    pthread_mutex_init(&m->lock, NULL);
    return m;
}

void
tmpl_memo_free(struct tmpl_memo *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->v[i].text);
    free(m->v);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

static size_t
memo_slot(const struct tmpl_memo *m, const struct node *node,
          const struct val *item)
{
    uint64_t h = (uint64_t)(uintptr_t)node * 0x9e3779b97f4a7c15ull ^
                 (uint64_t)(uintptr_t)item * 0xc2b2ae3d27d4eb4full;
    size_t i = (size_t)(h ^ h >> 29) & (m->cap - 1);

    while (m->v[i].node != NULL &&
           (m->v[i].node != node || m->v[i].item != item))
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* The kept text of item in section node, if there is one (under the
 * lock, as the table may be growing; the text itself is never changed
 * nor freed before the memo, so it is used after). */
static bool
memo_get(struct tmpl_memo *m, const struct node *node,
         const struct val *item, struct memo_entry *out)
{
    bool found = false;

    pthread_mutex_lock(&m->lock);
    if (m->n > 0) {
        const struct memo_entry *e = &m->v[memo_slot(m, node, item)];
        if (e->node != NULL) {
            *out = *e;
            found = true;
        }
    }
    pthread_mutex_unlock(&m->lock);
    return found;
}

static void
memo_put(struct tmpl_memo *m, const struct memo_entry *put)
{
    const struct node *node = put->node;
    const struct val *item = put->item;

    pthread_mutex_lock(&m->lock);
    if (2 * (m->n + 1) > m->cap) {
        struct tmpl_memo g = {.cap = m->cap ? 2 * m->cap : 256};
        g.v = xcalloc(g.cap, sizeof *g.v);
        for (size_t i = 0; i < m->cap; i++)
            if (m->v[i].node != NULL)
                g.v[memo_slot(&g, m->v[i].node, m->v[i].item)] = m->v[i];
        free(m->v);
        m->v = g.v;
        m->cap = g.cap;
    }
    struct memo_entry *e = &m->v[memo_slot(m, node, item)];
    if (e->node == NULL) { /* else another thread kept the same text */
        *e = *put;
        e->text = xstrndup(put->text, put->len);
        m->n++;
    }
    pthread_mutex_unlock(&m->lock);
}

/* ---- rendering -------------------------------------------------------- */

struct render {
    const struct tmpl_set *set;
    struct buf *out;
    struct diag *d;
    const struct val *stack[2 * TMPL_MAX_DEPTH + 64];
    int top;              /* stack[0..top) */
    struct buf indent;    /* of the partials being rendered */
    bool bol;             /* at the start of a line of template text */
    int partials;         /* partial nesting */
    const struct tmpl *cur;
    const struct tmpl *top_tmpl; /* the template tmpl_render() was given */
    unsigned long steps;  /* nodes visited */
    size_t start;         /* out->len when the render began */
    struct tmpl_memo *memo;
    int low;              /* the lowest context a name was looked up in
                           * (-1: not found), since an item began */
    int max_top, max_partials; /* the deepest nesting, since then */
};

static const struct val *
member(const struct val *v, const char *key)
{
    if (v == NULL)
        return NULL;
    if (v->kind == VAL_MAP)
        return val_get(v, key);
    if (v->kind == VAL_LIST && isdigit((unsigned char)key[0])) {
        char *end;
        unsigned long i = strtoul(key, &end, 10);
        return *end == '\0' && i < v->n ? v->items[i] : NULL;
    }
    return NULL;
}

/* Looks a name up through the context stack; each context looked at
 * counts as a step of the render's work. */
static const struct val *
resolve(struct render *r, const struct node *n)
{
    const struct val *v = NULL;
    int i;

    if (n->nparts == 0)
        return r->top > 0 ? r->stack[r->top - 1] : NULL;
    for (i = r->top - 1; i >= 0; i--) {
        r->steps++;
        v = member(r->stack[i], n->parts[0]);
        if (v != NULL)
            break;
    }
    if (i < r->low)
        r->low = i;
    for (size_t k = 1; v != NULL && k < n->nparts; k++)
        v = member(v, n->parts[k]);
    return v;
}

static void
put_indent(struct render *r)
{
    if (r->bol && r->indent.len > 0)
        buf_add(r->out, r->indent.data, r->indent.len);
    r->bol = false;
}

static void
put_text(struct render *r, const char *s, size_t n)
{
    if (r->indent.len == 0) {
        buf_add(r->out, s, n);
        r->bol = n > 0 ? s[n - 1] == '\n' : r->bol;
        return;
    }
    while (n > 0) {
        const char *nl = memchr(s, '\n', n);
        size_t k = nl != NULL ? (size_t)(nl - s) + 1 : n;
        put_indent(r);
        buf_add(r->out, s, k);
        r->bol = nl != NULL;
        s += k;
        n -= k;
    }
}

static void
put_value(struct render *r, const struct val *v, bool escape)
{
    char num[32];
    const char *s;
    size_t n;

    if (v == NULL || v->kind == VAL_NULL || v->kind == VAL_LIST ||
        v->kind == VAL_MAP)
        return;
    if (v->kind == VAL_NUM) {
        val_fmt_num(v->num, num);
        s = num;
        n = strlen(num);
    } else {
        s = v->s != NULL ? v->s : "";
        n = v->s != NULL ? v->len : 0;
    }
    if (n == 0)
        return;
    put_indent(r);
    if (escape)
        buf_html(r->out, s, n);
    else
        buf_add(r->out, s, n);
}

static bool render_nodes(struct render *r, const struct node *parent);

static bool
push(struct render *r, const struct val *v)
{
    if (r->top == (int)(sizeof r->stack / sizeof r->stack[0])) {
        diag_error(r->d, r->cur->path, 0, 0,
                   "sections and partials nested too deep while rendering");
        return false;
    }
    r->stack[r->top++] = v;
    if (r->top > r->max_top)
        r->max_top = r->top;
    return true;
}

static bool
render_partial(struct render *r, const struct node *n)
{
    const struct tmpl *t = lookup(r->set, n->text, n->len);
    const struct tmpl *saved = r->cur;
    size_t ilen = r->indent.len;
    bool ok;

    if (t == NULL) {
        if (!r->set->strict)
            return true;
        diag_error(r->d, r->cur->path, n->line, n->col,
                   "partial '%s' not found; create templates/%s.html",
                   n->text, n->text);
        return false;
    }
    if (r->partials >= TMPL_MAX_DEPTH) {
        diag_error(r->d, r->cur->path, n->line, n->col,
                   "partials nested deeper than %d; does '%s' include "
                   "itself?",
                   TMPL_MAX_DEPTH, n->text);
        return false;
    }
    if (n->indent != NULL) {
        buf_puts(&r->indent, n->indent);
        r->bol = true;
    }
    r->partials++;
    if (r->partials > r->max_partials)
        r->max_partials = r->partials;
    r->cur = t;
    ok = render_nodes(r, &t->root);
    r->cur = saved;
    r->partials--;
    r->indent.len = ilen;
    if (r->indent.data != NULL)
        r->indent.data[ilen] = '\0';
    return ok;
}

/* False, with an error, once the render has done too much work. */
static bool
within_limits(struct render *r)
{
    if (++r->steps <= TMPL_MAX_STEPS &&
        r->out->len - r->start <= TMPL_MAX_OUTPUT)
        return true;
    diag_error(r->d, r->top_tmpl->path, 0, 0,
               "rendering took more than %lu steps or %lu MiB; is a list "
               "section nested inside itself?",
               (unsigned long)TMPL_MAX_STEPS,
               (unsigned long)(TMPL_MAX_OUTPUT >> 20));
    return false;
}

/* Renders section n's body for one item of its list, or says again what
 * it rendered to on another page (see tmpl_memo). */
static bool
render_item(struct render *r, const struct node *n, const struct val *item)
{
    bool memo = r->memo != NULL && item->stable && r->indent.len == 0;
    struct memo_entry e;

    /* unless a new render would stop at a limit, which it then reports */
    if (memo && memo_get(r->memo, n, item, &e) &&
        r->partials + e.partials <= TMPL_MAX_DEPTH &&
        r->top + e.contexts <= (int)(sizeof r->stack / sizeof r->stack[0]) &&
        r->steps + e.steps <= TMPL_MAX_STEPS) {
        buf_add(r->out, e.text, e.len);
        r->bol = e.bol;
        r->steps += e.steps;
        return true;
    }
    size_t at = r->out->len;
    unsigned long steps = r->steps;
    int low = r->low, max_top = r->max_top, max_partials = r->max_partials;
    r->low = INT_MAX;
    r->max_top = r->top;
    r->max_partials = r->partials;
    if (!push(r, item))
        return false;
    bool ok = render_nodes(r, n);
    r->top--;
    /* every name found in the item or above it: the text is the item's */
    if (ok && memo && r->low > r->top - 1)
        memo_put(r->memo, &(struct memo_entry){
                              .node = n, .item = item,
                              .text = r->out->data != NULL
                                          ? r->out->data + at : "",
                              .len = r->out->len - at, .bol = r->bol,
                              .steps = r->steps - steps,
                              .partials = r->max_partials - r->partials,
                              .contexts = r->max_top - r->top});
    if (r->low > low)
        r->low = low;
    if (r->max_top < max_top)
        r->max_top = max_top;
    if (r->max_partials < max_partials)
        r->max_partials = max_partials;
    return ok;
}

static bool
render_nodes(struct render *r, const struct node *parent)
{
    for (size_t i = 0; i < parent->nkids; i++) {
        const struct node *n = &parent->kids[i];
        const struct val *v;
        if (!within_limits(r))
            return false;
        switch (n->kind) {
        case N_TEXT:
            put_text(r, n->text, n->len);
            break;
        case N_VAR:
        case N_RAW:
            put_value(r, resolve(r, n), n->kind == N_VAR);
            break;
        case N_SECTION:
            v = resolve(r, n);
            if (!val_truthy(v))
                break;
            if (v->kind == VAL_LIST) {
                for (size_t k = 0; k < v->n; k++)
                    if (!render_item(r, n, v->items[k]))
                        return false;
            } else {
                if (!push(r, v))
                    return false;
                bool ok = render_nodes(r, n);
                r->top--;
                if (!ok)
                    return false;
            }
            break;
        case N_INVERTED:
            if (!val_truthy(resolve(r, n)) && !render_nodes(r, n))
                return false;
            break;
        case N_PARTIAL:
            if (!render_partial(r, n))
                return false;
            break;
        }
    }
    return true;
}

bool
tmpl_render(const struct tmpl_set *set, const char *name,
            const struct val *ctx, struct buf *out, struct diag *d)
{
    return tmpl_render_memo(set, name, ctx, out, d, NULL);
}

bool
tmpl_render_memo(const struct tmpl_set *set, const char *name,
                 const struct val *ctx, struct buf *out, struct diag *d,
                 struct tmpl_memo *memo)
{
    const struct tmpl *t = lookup(set, name, strlen(name));
    struct render r = {.set = set, .out = out, .d = d, .bol = true, .cur = t,
                       .top_tmpl = t, .start = out->len, .memo = memo,
                       .low = INT_MAX};
    bool ok;

    if (t == NULL) {
        diag_error(d, NULL, 0, 0, "no template '%s'; create templates/%s.html",
                   name, name);
        return false;
    }
    buf_init(&r.indent);
    r.stack[r.top++] = ctx;
    ok = render_nodes(&r, &t->root);
    buf_fini(&r.indent);
    return ok;
}

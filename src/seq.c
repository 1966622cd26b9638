/*
 * seq: trace -> geometry of a sequence diagram (see seq.h).
 *
 * The layout is computed in a fixed order: the vertical bands (title,
 * headers, rows, caption), the lifelines' x, the state boxes, the arrows'
 * end points, then the free-standing texts (segment labels with their
 * numbers, notes, the 2*MSL bracket), each put at the first candidate
 * position where it touches nothing placed before it.  When something
 * cannot be placed, the whole layout is redone with smaller type.
 */
#include "seq.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmem.h"

#define MARGIN    8.0  /* canvas edge to ink */
#define ROW_SUB   0.55 /* extra row height per additional slot, in rows */
#define LABEL_GAP 4.0  /* arrow line to the bottom of its label */
#define PLACE_GAP 2.0  /* clearance kept between placed items */
#define ROW0      0.75 /* initial states to row 1, in rows */
#define MIN_SCALE 0.55 /* smallest type scale tried */

/* Nominal type sizes in CSS px. */
static const double font_size[SEQ_NFONTS] = {
    [SEQ_FONT_TITLE] = 15.0,   [SEQ_FONT_HEADER] = 13.0,
    [SEQ_FONT_LABEL] = 11.5,   [SEQ_FONT_STATE] = 10.0,
    [SEQ_FONT_NUMBER] = 9.0,   [SEQ_FONT_NOTE] = 11.0,
    [SEQ_FONT_CAPTION] = 10.5,
};
_Static_assert(sizeof font_size / sizeof font_size[0] == SEQ_NFONTS,
               "one size per font");

/* RFC 9293, 3.3.2: the states' names as the RFC spells them. */
static const char *
state_name(enum tcp_state s)
{
    return trace_state_name(s);
}

void
seq_segment_label(const struct trace_segment *s, char *out, size_t size)
{
    size_t n;
    int k;

    assert(size > 0);
    trace_flags_str(s->flags, out, size);
    n = strlen(out);
    k = snprintf(out + n, size - n, "%sseq=%lu", n ? " " : "",
                 (unsigned long)s->seq);
    if (k < 0 || (size_t)k >= size - n)
        return;
    n += (size_t)k;
    if (s->flags & TRACE_ACK) {
        k = snprintf(out + n, size - n, " ack=%lu", (unsigned long)s->ack);
        if (k < 0 || (size_t)k >= size - n)
            return;
        n += (size_t)k;
    }
    if (s->len > 0)
        snprintf(out + n, size - n, " len=%lu", (unsigned long)s->len);
}

/* ---- geometry helpers ---- */

static void
quad_rect(struct seq_quad *q, double x, double y, double w, double h)
{
    q->x[0] = x, q->y[0] = y;
    q->x[1] = x + w, q->y[1] = y;
    q->x[2] = x + w, q->y[2] = y + h;
    q->x[3] = x, q->y[3] = y + h;
}

/* The rotated box a text's ink can occupy. */
static void
quad_text(struct seq_quad *q, const struct seq_text *t)
{
    double ux = cos(t->angle), uy = sin(t->angle);
    double nx = uy, ny = -ux; /* "up" for the text */
    double w = t->ext.width, a = t->ext.ascent, d = t->ext.descent;
    double bx = t->x - nx * d, by = t->y - ny * d;

    q->x[0] = bx, q->y[0] = by;
    q->x[1] = bx + ux * w, q->y[1] = by + uy * w;
    q->x[2] = q->x[1] + nx * (a + d), q->y[2] = q->y[1] + ny * (a + d);
    q->x[3] = bx + nx * (a + d), q->y[3] = by + ny * (a + d);
}

/* A line of width w from (x0, y0) to (x1, y1). */
static void
quad_line(struct seq_quad *q, double x0, double y0, double x1, double y1,
          double w)
{
    double dx = x1 - x0, dy = y1 - y0, l = hypot(dx, dy);
    double nx, ny;

    if (l == 0)
        l = 1, dx = 1;
    nx = -dy / l * w / 2, ny = dx / l * w / 2;
    q->x[0] = x0 + nx, q->y[0] = y0 + ny;
    q->x[1] = x1 + nx, q->y[1] = y1 + ny;
    q->x[2] = x1 - nx, q->y[2] = y1 - ny;
    q->x[3] = x0 - nx, q->y[3] = y0 - ny;
}

static void
project(const struct seq_quad *q, double ax, double ay, double *lo, double *hi)
{
    int i;

    *lo = *hi = q->x[0] * ax + q->y[0] * ay;
    for (i = 1; i < 4; i++) {
        double p = q->x[i] * ax + q->y[i] * ay;
        if (p < *lo)
            *lo = p;
        if (p > *hi)
            *hi = p;
    }
}

static bool
separated_on_edges(const struct seq_quad *e, const struct seq_quad *a,
                   const struct seq_quad *b, double gap)
{
    int i;

    for (i = 0; i < 4; i++) {
        double ex = e->x[(i + 1) % 4] - e->x[i];
        double ey = e->y[(i + 1) % 4] - e->y[i];
        double l = hypot(ex, ey), alo, ahi, blo, bhi;

        if (l < 1e-9)
            continue;
        project(a, -ey / l, ex / l, &alo, &ahi);
        project(b, -ey / l, ex / l, &blo, &bhi);
        if (blo - ahi >= gap || alo - bhi >= gap)
            return true;
    }
    return false;
}

bool
seq_quads_overlap(const struct seq_quad *a, const struct seq_quad *b,
                  double gap)
{
    return !separated_on_edges(a, a, b, gap) &&
           !separated_on_edges(b, a, b, gap);
}

bool
seq_ink_conflicts(const struct seq_quad *a, const struct seq_quad *b)
{
    enum seq_ink_kind x = a->kind, y = b->kind;

    if (x == SEQ_INK_TEXT || y == SEQ_INK_TEXT || x == SEQ_INK_NOTE ||
        y == SEQ_INK_NOTE)
        return true;
    if (x == SEQ_INK_LINE && y == SEQ_INK_LINE)
        return false;
    if ((x == SEQ_INK_LINE && y == SEQ_INK_BOX) ||
        (x == SEQ_INK_BOX && y == SEQ_INK_LINE))
        return false;
    return true;
}

/* ---- ink of a finished diagram ---- */

struct inkv {
    struct seq_quad *q;
    size_t n, cap;
};

static struct seq_quad *
ink_push(struct inkv *v, enum seq_ink_kind kind, int owner, const char *what)
{
    struct seq_quad *q;

    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 64;
        v->q = xreallocarray(v->q, v->cap, sizeof *v->q);
    }
    q = &v->q[v->n++];
    memset(q, 0, sizeof *q);
    q->kind = kind;
    q->owner = owner;
    q->what = what;
    return q;
}

static void
ink_text(struct inkv *v, const struct seq_text *t, int owner)
{
    if (t->s != NULL)
        quad_text(ink_push(v, SEQ_INK_TEXT, owner, t->s), t);
}

/* The arrowhead as a quad (a triangle with its tip doubled). */
static void
quad_head(struct seq_quad *q, double x0, double y0, double x1, double y1)
{
    double l = hypot(x1 - x0, y1 - y0), ux, uy;

    if (l == 0)
        l = 1;
    ux = (x1 - x0) / l, uy = (y1 - y0) / l;
    q->x[0] = q->x[1] = x1, q->y[0] = q->y[1] = y1;
    q->x[2] = x1 - ux * SEQ_HEAD_LEN - uy * SEQ_HEAD_HALF;
    q->y[2] = y1 - uy * SEQ_HEAD_LEN + ux * SEQ_HEAD_HALF;
    q->x[3] = x1 - ux * SEQ_HEAD_LEN + uy * SEQ_HEAD_HALF;
    q->y[3] = y1 - uy * SEQ_HEAD_LEN - ux * SEQ_HEAD_HALF;
}

static void
ink_arrow_lines(struct inkv *v, const struct seq_arrow *a, int owner)
{
    quad_line(ink_push(v, SEQ_INK_LINE, owner, "arrow"), a->x0, a->y0, a->x1,
              a->y1, 1.5);
    if (a->lost)
        quad_rect(ink_push(v, SEQ_INK_LINE, owner, "cross"), a->x1 - SEQ_CROSS,
                  a->y1 - SEQ_CROSS, 2 * SEQ_CROSS, 2 * SEQ_CROSS);
    else
        quad_head(ink_push(v, SEQ_INK_LINE, owner, "arrowhead"), a->x0, a->y0,
                  a->x1, a->y1);
}

/* A circle's bounding square, turned with the label it goes with. */
static void
quad_circle(struct seq_quad *q, const struct seq_arrow *a)
{
    double ux = cos(a->number.angle) * a->r, uy = sin(a->number.angle) * a->r;

    q->x[0] = a->cx - ux + uy, q->y[0] = a->cy - uy - ux;
    q->x[1] = a->cx + ux + uy, q->y[1] = a->cy + uy - ux;
    q->x[2] = a->cx + ux - uy, q->y[2] = a->cy + uy + ux;
    q->x[3] = a->cx - ux - uy, q->y[3] = a->cy - uy + ux;
}

static void
ink_circle(struct inkv *v, const struct seq_arrow *a, int owner)
{
    quad_circle(ink_push(v, SEQ_INK_CIRCLE, owner, a->number.s), a);
}

static void
ink_static(struct inkv *v, const struct seq_diagram *g)
{
    size_t i;
    int p;

    for (p = 0; p < 2; p++) {
        const struct seq_rect *r = &g->header[p].box;
        quad_rect(ink_push(v, SEQ_INK_BOX, -1, g->header[p].name.s), r->x, r->y,
                  r->w, r->h);
        quad_line(ink_push(v, SEQ_INK_LINE, -1, "lifeline"), g->life[p].x,
                  g->life[p].y0, g->life[p].x, g->life[p].y1, 1);
    }
    ink_text(v, &g->title, -1);
    ink_text(v, &g->caption, -1);
    for (i = 0; i < g->nstates; i++) {
        const struct seq_rect *r = &g->states[i].box;
        quad_rect(ink_push(v, SEQ_INK_BOX, -1, g->states[i].name.s), r->x, r->y,
                  r->w, r->h);
    }
    for (i = 0; i < g->narrows; i++)
        ink_arrow_lines(v, &g->arrows[i], (int)i);
    for (i = 0; i < g->nbrackets; i++) {
        const struct seq_bracket *b = &g->brackets[i];
        quad_line(ink_push(v, SEQ_INK_LINE, -1, "bracket"), b->x, b->y0, b->x,
                  b->y1, 1);
    }
    for (i = 0; i < g->nnotes; i++) {
        const struct seq_rect *r = &g->notes[i].box;
        quad_rect(
            ink_push(v, SEQ_INK_NOTE, -1,
                     g->notes[i].nlines ? g->notes[i].lines[0].s : "note"),
            r->x, r->y, r->w, r->h);
    }
}

struct seq_quad *
seq_ink(const struct seq_diagram *g, size_t *n)
{
    struct inkv v = {0};
    size_t i;

    ink_static(&v, g);
    for (i = 0; i < g->narrows; i++) {
        ink_text(&v, &g->arrows[i].label, (int)i);
        if (g->arrows[i].numbered)
            ink_circle(&v, &g->arrows[i], (int)i);
    }
    for (i = 0; i < g->nbrackets; i++)
        ink_text(&v, &g->brackets[i].label, -1);
    *n = v.n;
    return v.q;
}

static bool
quad_inside(const struct seq_quad *q, double w, double h)
{
    int i;

    for (i = 0; i < 4; i++)
        if (q->x[i] < -0.01 || q->y[i] < -0.01 || q->x[i] > w + 0.01 ||
            q->y[i] > h + 0.01)
            return false;
    return true;
}

int
seq_count_overlaps(const struct seq_diagram *g, char *why, size_t size)
{
    size_t n, i, j;
    struct seq_quad *q = seq_ink(g, &n);
    int bad = 0;

    if (why != NULL && size > 0)
        why[0] = '\0';
    for (i = 0; i < n; i++) {
        if (!quad_inside(&q[i], g->width, g->height)) {
            if (bad++ == 0 && why != NULL)
                snprintf(why, size, "'%s' leaves the canvas", q[i].what);
        }
        for (j = i + 1; j < n; j++) {
            if (!seq_ink_conflicts(&q[i], &q[j]))
                continue;
            if (!seq_quads_overlap(&q[i], &q[j], 0))
                continue;
            if (bad++ == 0 && why != NULL)
                snprintf(why, size, "'%s' overlaps '%s'", q[i].what, q[j].what);
        }
    }
    free(q);
    return bad;
}

/* ---- layout ---- */

struct endpoint {
    int slot;
    double y;
};

struct lay {
    const struct trace *t;
    const struct seq_text_ops *ops;
    struct seq_diagram *g;
    double f; /* type scale */
    int nrows;
    int *slots;     /* [row]: slots in the row, >= 1 */
    int (*narr)[2]; /* [row][peer]: arrivals */
    int (*nsnd)[2]; /* [row][peer]: sends */
    double *rowy;   /* [row]: y of the row's first slot */
    double pitch;   /* px per row */
    struct inkv placed;
};

/*
 * A copy of s with every byte that does not start or continue a valid
 * UTF-8 sequence replaced by '?': cairo refuses invalid text and would
 * keep the font in an error state.
 */
static char *
valid_utf8(const char *s)
{
    char *out = xstrdup(s);
    unsigned char *p = (unsigned char *)out;

    while (*p != 0) {
        int n = *p < 0x80             ? 0
                : (*p & 0xe0) == 0xc0 ? 1
                : (*p & 0xf0) == 0xe0 ? 2
                : (*p & 0xf8) == 0xf0 ? 3
                                      : -1;
        int k;

        if (n < 0 || (n == 1 && *p < 0xc2)) {
            *p++ = '?';
            continue;
        }
        for (k = 1; k <= n; k++)
            if ((p[k] & 0xc0) != 0x80)
                break;
        if (k <= n) {
            *p++ = '?';
            continue;
        }
        p += n + 1;
    }
    return out;
}

static void
set_text(struct lay *L, struct seq_text *t, enum seq_font font, const char *s)
{
    free(t->s);
    t->s = valid_utf8(s);
    t->font = font;
    t->size = font_size[font] * L->f;
    t->angle = 0;
    L->ops->measure(L->ops->ctx, font, t->size, t->s, &t->ext);
}

static double
text_height(const struct seq_text *t)
{
    return t->ext.ascent + t->ext.descent;
}

static double
slot_y(const struct lay *L, int row, int slot)
{
    return L->rowy[row] + slot * L->pitch * ROW_SUB;
}

/* Rows past this are not drawn: no figure has room for them. */
#define MAX_ROWS 1000

static int
max_row(const struct trace *t)
{
    int n = t->steps;
    size_t i;

    for (i = 0; i < t->n; i++) {
        const struct trace_event *e = &t->ev[i];
        if (e->step > n)
            n = e->step;
        if (e->kind != TRACE_SEGMENT)
            continue;
        if (e->seg.arrived > n)
            n = e->seg.arrived;
        if (e->seg.arrived < 0 && e->seg.sent + 1 > n)
            n = e->seg.sent + 1;
    }
    /* A peer still in TIME-WAIT at the end gets a row for its bracket. */
    for (i = t->n; i-- > 0;)
        if (t->ev[i].kind == TRACE_STATE && t->ev[i].step == n &&
            t->ev[i].to_state == TCP_TIME_WAIT)
            n++;
    return n < MAX_ROWS ? n : MAX_ROWS;
}

static bool
valid_peer(int p)
{
    return p == 0 || p == 1;
}

/* Whether a segment has two peers and rows inside the chart. */
static bool
drawable(const struct lay *L, const struct trace_segment *s)
{
    return valid_peer(s->from) && valid_peer(s->to) && s->from != s->to &&
           s->sent >= 0 && s->sent <= L->nrows && s->arrived <= L->nrows;
}

/* Counts the arrow ends at each row and peer; a row has as many slots as
 * its busiest peer has arrivals or sends. */
static void
count_slots(struct lay *L)
{
    const struct trace *t = L->t;
    size_t i;
    int r;

    for (i = 0; i < t->n; i++) {
        const struct trace_segment *s = &t->ev[i].seg;
        if (t->ev[i].kind != TRACE_SEGMENT || !drawable(L, s))
            continue;
        L->nsnd[s->sent][s->from]++;
        if (s->arrived >= 0)
            L->narr[s->arrived][s->to]++;
    }
    for (r = 0; r <= L->nrows; r++) {
        int p, m = 1;
        for (p = 0; p < 2; p++) {
            if (L->narr[r][p] > m)
                m = L->narr[r][p];
            if (L->nsnd[r][p] > m)
                m = L->nsnd[r][p];
        }
        L->slots[r] = m;
    }
}

static void
inkv_add(struct inkv *v, const struct seq_quad *q)
{
    *ink_push(v, q->kind, q->owner, q->what) = *q;
}

/* Whether q touches anything placed so far that it must not touch. */
static bool
collides(const struct lay *L, const struct seq_quad *q, double gap)
{
    size_t i;

    if (!quad_inside(q, L->g->width, L->g->height))
        return true;
    for (i = 0; i < L->placed.n; i++) {
        const struct seq_quad *p = &L->placed.q[i];
        if (seq_ink_conflicts(q, p) && seq_quads_overlap(q, p, gap))
            return true;
    }
    return false;
}

/* Vertical bands: title, headers, rows, caption. Returns the y where the
 * lifelines end. */
static double
layout_bands(struct lay *L, double *rows_top, double *rows_bottom,
             double *head_h)
{
    const struct trace *t = L->t;
    struct seq_diagram *g = L->g;
    double y = MARGIN, bottom = g->height - MARGIN, pad = 5 * L->f;
    struct seq_text probe = {0};
    int p;

    if (t->title != NULL && t->title[0] != '\0') {
        set_text(L, &g->title, SEQ_FONT_TITLE, t->title);
        g->title.x = (g->width - g->title.ext.width) / 2;
        g->title.y = y + g->title.ext.ascent;
        y += text_height(&g->title) + 8 * L->f;
    }
    if (t->variant != NULL) {
        char cap[256];
        snprintf(cap, sizeof cap,
                 "Teaching variant (%s): real TCP combines the ACK and the "
                 "SYN into one segment (RFC 9293, 3.10.7.3).",
                 t->variant);
        if (strcmp(t->variant, "split-syn-ack") == 0)
            snprintf(cap, sizeof cap,
                     "Teaching variant: real TCP combines the ACK and the "
                     "SYN into one segment (RFC 9293, 3.10.7.3).");
        set_text(L, &g->caption, SEQ_FONT_CAPTION, cap);
        g->caption.x = (g->width - g->caption.ext.width) / 2;
        g->caption.y = bottom - g->caption.ext.descent;
        bottom -= text_height(&g->caption) + 8 * L->f;
    }
    *head_h = 0;
    for (p = 0; p < 2; p++) {
        const char *name = t->peers[p] ? t->peers[p] : (p ? "B" : "A");
        set_text(L, &g->header[p].name, SEQ_FONT_HEADER, name);
        *head_h = text_height(&g->header[p].name) + 2 * pad;
        g->header[p].box.y = y;
        g->header[p].box.h = *head_h;
        g->header[p].box.w = g->header[p].name.ext.width + 4 * pad;
        g->header[p].name.y = y + pad + g->header[p].name.ext.ascent;
    }
    y += *head_h;
    set_text(L, &probe, SEQ_FONT_STATE, "CLOSED");
    /* Row 0 holds the initial states just under the headers; the last row
     * leaves room for a state box and a short tail of lifeline. */
    *rows_top = y + 8 * L->f + text_height(&probe) / 2 + 3 * L->f;
    *rows_bottom = bottom - 12 * L->f - text_height(&probe) / 2 - 3 * L->f;
    free(probe.s);
    return bottom;
}

static double
state_box_w(const struct seq_text *t, double f)
{
    return t->ext.width + 12 * f;
}

static double
state_box_h(const struct seq_text *t, double f)
{
    return text_height(t) + 6 * f;
}

/* The final state of each (row, peer) where one changes, at the slot of
 * the last arrival there (what made it change), else the first slot. */
static void
layout_states(struct lay *L)
{
    const struct trace *t = L->t;
    struct seq_diagram *g = L->g;
    size_t i, k;
    int p;

    g->states = xcalloc(t->n + 2, sizeof *g->states);
    for (p = 0; p < 2; p++) {
        struct seq_state *s = &g->states[g->nstates++];
        s->peer = p, s->row = 0, s->state = t->initial[p];
    }
    for (i = 0; i < t->n; i++) {
        const struct trace_event *e = &t->ev[i];
        if (e->kind != TRACE_STATE || !valid_peer(e->peer) || e->step < 0 ||
            e->step > L->nrows)
            continue;
        for (k = 0; k < g->nstates; k++)
            if (g->states[k].peer == e->peer && g->states[k].row == e->step)
                break;
        if (k == g->nstates)
            g->nstates++;
        g->states[k].peer = e->peer;
        g->states[k].row = e->step;
        g->states[k].state = e->to_state;
    }
    for (k = 0; k < g->nstates; k++) {
        struct seq_state *s = &g->states[k];
        int na = L->narr[s->row][s->peer];
        double y = slot_y(L, s->row, na > 0 ? na - 1 : 0);
        set_text(L, &s->name, SEQ_FONT_STATE, state_name(s->state));
        s->box.w = state_box_w(&s->name, L->f);
        s->box.h = state_box_h(&s->name, L->f);
        s->box.y = y - s->box.h / 2;
        s->name.y = y - text_height(&s->name) / 2 + s->name.ext.ascent;
    }
}

static const struct seq_state *
state_at(const struct seq_diagram *g, int peer, int row, double y)
{
    size_t k;

    for (k = 0; k < g->nstates; k++) {
        const struct seq_state *s = &g->states[k];
        if (s->peer == peer && s->row == row && y >= s->box.y &&
            y <= s->box.y + s->box.h)
            return s;
    }
    return NULL;
}

/* Lifeline x: as far apart as the widest header, state box or bracket on
 * each side allows, but not hugging the edges of a wide canvas. */
static void
layout_columns(struct lay *L, bool bracket[2])
{
    struct seq_diagram *g = L->g;
    double half[2] = {0, 0}, inset = g->width * 0.12;
    size_t k;
    int p;

    for (p = 0; p < 2; p++) {
        half[p] = g->header[p].box.w / 2;
        if (bracket[p]) {
            struct seq_text probe = {0};
            set_text(L, &probe, SEQ_FONT_NOTE, "2\xc2\xb7MSL");
            if (half[p] < 12 * L->f + text_height(&probe) + 4)
                half[p] = 12 * L->f + text_height(&probe) + 4;
            free(probe.s);
        }
    }
    for (k = 0; k < g->nstates; k++)
        if (g->states[k].box.w / 2 > half[g->states[k].peer])
            half[g->states[k].peer] = g->states[k].box.w / 2;
    g->life[0].x = floor(fmax(MARGIN + half[0], inset)) + 0.5;
    g->life[1].x = floor(g->width - fmax(MARGIN + half[1], inset)) + 0.5;
    for (p = 0; p < 2; p++) {
        struct seq_header *h = &g->header[p];
        h->box.x = g->life[p].x - h->box.w / 2;
        h->name.x = g->life[p].x - h->name.ext.width / 2;
    }
    for (k = 0; k < g->nstates; k++) {
        struct seq_state *s = &g->states[k];
        s->box.x = g->life[s->peer].x - s->box.w / 2;
        s->name.x = g->life[s->peer].x - s->name.ext.width / 2;
    }
}

/* Where an arrow meets a lifeline: on the edge of a state box there, and a
 * little apart when a segment arrives and another leaves at one point, so
 * that the head and the new line do not run into each other. */
static void
attach(const struct lay *L, int peer, int row, int slot, bool arriving,
       int towards, double *x, double *y)
{
    const struct seq_diagram *g = L->g;
    int na = L->narr[row][peer], ns = L->nsnd[row][peer];
    int sslot0 = L->slots[row] - ns; /* first send slot */
    bool shared = slot < na && slot >= sslot0;
    const struct seq_state *s;

    *y = slot_y(L, row, slot);
    *x = g->life[peer].x;
    s = state_at(g, peer, row, *y);
    if (s != NULL)
        *x += (towards > peer ? 1 : -1) * s->box.w / 2;
    if (shared) {
        double d = s != NULL ? fmin(5, s->box.h / 2 - 2) : 5;
        *y += arriving ? -d : d;
    }
}

static void
layout_arrows(struct lay *L)
{
    const struct trace *t = L->t;
    struct seq_diagram *g = L->g;
    int(*ia)[2] = xcalloc((size_t)L->nrows + 1, sizeof *ia);
    int(*is)[2] = xcalloc((size_t)L->nrows + 1, sizeof *is);
    size_t i;

    g->arrows = xcalloc(t->n + 1, sizeof *g->arrows);
    for (i = 0; i < t->n; i++) {
        const struct trace_segment *s = &t->ev[i].seg;
        struct seq_arrow *a;
        int slot;

        if (t->ev[i].kind != TRACE_SEGMENT || !drawable(L, s))
            continue;
        a = &g->arrows[g->narrows++];
        a->id = s->id;
        a->retransmit = s->retransmit;
        a->ignored = s->ignored;
        slot = L->slots[s->sent] - L->nsnd[s->sent][s->from] +
               is[s->sent][s->from]++;
        attach(L, s->from, s->sent, slot, false, s->to, &a->x0, &a->y0);
        if (s->arrived >= 0) {
            slot = ia[s->arrived][s->to]++;
            attach(L, s->to, s->arrived, slot, true, s->from, &a->x1, &a->y1);
        } else {
            /* Lost: it heads for where it would have arrived a row later
             * and stops with a cross part-way. */
            int row = s->dropped > s->sent ? s->dropped : s->sent + 1;
            if (row > L->nrows)
                row = L->nrows;
            double x = g->life[s->to].x, y = slot_y(L, row, 0);
            a->lost = true;
            a->x1 = a->x0 + (x - a->x0) * 0.6;
            a->y1 = a->y0 + (y - a->y0) * 0.6;
        }
    }
    free(ia);
    free(is);
}

static void
layout_brackets(struct lay *L)
{
    struct seq_diagram *g = L->g;
    size_t k, j;

    g->brackets = xcalloc(g->nstates + 1, sizeof *g->brackets);
    for (k = 0; k < g->nstates; k++) {
        const struct seq_state *s = &g->states[k], *next = NULL;
        struct seq_bracket *b;
        int side = s->peer == 0 ? -1 : 1;

        if (s->state != TCP_TIME_WAIT)
            continue;
        for (j = 0; j < g->nstates; j++)
            if (g->states[j].peer == s->peer && g->states[j].row > s->row &&
                (next == NULL || g->states[j].row < next->row))
                next = &g->states[j];
        b = &g->brackets[g->nbrackets++];
        b->peer = s->peer;
        b->x = g->life[s->peer].x + side * 12 * L->f;
        b->x = floor(b->x) + 0.5;
        b->tick = -side * 5 * L->f;
        b->y0 = s->box.y + s->box.h + 4 * L->f;
        b->y1 = next != NULL ? next->box.y - 4 * L->f : g->life[s->peer].y1 - 6;
        set_text(L, &b->label, SEQ_FONT_NOTE, "2\xc2\xb7MSL");
        /* Set vertically, reading upwards, outside the stroke. */
        b->label.angle = -M_PI / 2;
        b->label.x = b->x + side * 4 * L->f +
                     (side < 0 ? -b->label.ext.descent : b->label.ext.ascent);
        b->label.y = (b->y0 + b->y1) / 2 + b->label.ext.width / 2;
    }
}

/* Candidate positions along an arrow, from the middle outwards. */
static const double along[] = {0.5,  0.42, 0.58, 0.34, 0.66, 0.26, 0.74,
                               0.18, 0.82, 0.12, 0.88, 0.46, 0.54, 0.38,
                               0.62, 0.30, 0.70, 0.22, 0.78, 0.15, 0.85};

/*
 * The label sits above its line, upright whichever way the arrow points,
 * with its circled number just before it in reading order.  c is where the
 * group's middle falls on the line, as a fraction of its length.
 */
static void
place_label(struct lay *L, struct seq_arrow *a, double c)
{
    double dx = a->x1 - a->x0, dy = a->y1 - a->y0, len = hypot(dx, dy);
    double ang = atan2(dy, dx), ux, uy, nx, ny, gw, mx, my, sx, sy;
    double numw = a->numbered ? 2 * a->r + 3 * L->f : 0;

    if (dx < 0)
        ang += M_PI;
    if (ang > M_PI)
        ang -= 2 * M_PI;
    ux = cos(ang), uy = sin(ang);
    nx = uy, ny = -ux;
    gw = numw + a->label.ext.width;
    mx = a->x0 + dx * c, my = a->y0 + dy * c;
    (void)len;
    /* start of the group, in reading direction */
    sx = mx - ux * gw / 2, sy = my - uy * gw / 2;
    a->label.angle = ang;
    a->label.x = sx + ux * numw + nx * (LABEL_GAP + a->label.ext.descent);
    a->label.y = sy + uy * numw + ny * (LABEL_GAP + a->label.ext.descent);
    if (a->numbered) {
        double mid = LABEL_GAP + a->label.ext.descent +
                     (a->label.ext.ascent - a->label.ext.descent) / 2;
        mid = fmax(mid, a->r + 1.5);
        a->cx = sx + ux * a->r + nx * mid;
        a->cy = sy + uy * a->r + ny * mid;
        a->number.angle = ang;
        a->number.x =
            a->cx - ux * a->number.ext.width / 2 +
            nx * -(a->number.ext.ascent - a->number.ext.descent) / 2 * 0.9;
        a->number.y =
            a->cy - uy * a->number.ext.width / 2 +
            ny * -(a->number.ext.ascent - a->number.ext.descent) / 2 * 0.9;
    }
}

/* How far the group's half-length is from an end, as a fraction. */
static bool
group_fits(const struct seq_arrow *a, double c, double margin)
{
    double len = hypot(a->x1 - a->x0, a->y1 - a->y0);
    double half = (a->label.ext.width + (a->numbered ? 2 * a->r + 3 : 0)) / 2;

    return c * len - half >= margin && (1 - c) * len - half >= margin;
}

static bool
label_collides(struct lay *L, const struct seq_arrow *a, double gap)
{
    struct seq_quad q;

    memset(&q, 0, sizeof q);
    q.kind = SEQ_INK_TEXT;
    quad_text(&q, &a->label);
    if (collides(L, &q, gap))
        return true;
    if (a->numbered) {
        q.kind = SEQ_INK_CIRCLE;
        quad_circle(&q, a);
        if (collides(L, &q, gap))
            return true;
    }
    return false;
}

static void
layout_labels(struct lay *L)
{
    const struct trace *t = L->t;
    struct seq_diagram *g = L->g;
    size_t i, k, j = 0;

    for (i = 0; i < t->n && j < g->narrows; i++) {
        const struct trace_segment *s = &t->ev[i].seg;
        struct seq_arrow *a;
        char text[160], base[128];
        bool ok = false;
        double margin;

        if (t->ev[i].kind != TRACE_SEGMENT || g->arrows[j].id != s->id)
            continue;
        a = &g->arrows[j++];
        seq_segment_label(s, base, sizeof base);
        snprintf(text, sizeof text, "%s%s%s", base,
                 s->retransmit ? " (retransmission)" : "",
                 s->ignored ? " (discarded)" : "");
        set_text(L, &a->label, SEQ_FONT_LABEL, text);
        a->numbered = t->numbering;
        if (a->numbered) {
            char num[16];
            snprintf(num, sizeof num, "%u", s->id);
            set_text(L, &a->number, SEQ_FONT_NUMBER, num);
            a->r = fmax(text_height(&a->number) / 2 + 1.5 * L->f,
                        a->number.ext.width / 2 + 2.5 * L->f);
        }
        margin = SEQ_HEAD_LEN + 2;
        for (k = 0; k < sizeof along / sizeof along[0]; k++) {
            if (!group_fits(a, along[k], margin))
                continue;
            place_label(L, a, along[k]);
            if (!label_collides(L, a, PLACE_GAP)) {
                ok = true;
                break;
            }
        }
        if (!ok) {
            /* Nothing is free: keep the middle; the overlap count makes
             * the caller retry with smaller type. */
            place_label(L, a, 0.5);
            L->g->overlaps++;
        }
        {
            struct seq_quad q;
            memset(&q, 0, sizeof q);
            q.kind = SEQ_INK_TEXT;
            q.owner = (int)(a - g->arrows);
            q.what = a->label.s;
            quad_text(&q, &a->label);
            inkv_add(&L->placed, &q);
            if (a->numbered) {
                q.kind = SEQ_INK_CIRCLE;
                q.what = a->number.s;
                quad_circle(&q, a);
                inkv_add(&L->placed, &q);
            }
        }
    }
}

/* Breaks s into lines no wider than maxw (at spaces). */
static void
wrap_note(struct lay *L, struct seq_note *n, const char *s, double maxw)
{
    char *copy = xstrdup(s), *p = copy;
    struct seq_text probe = {0};

    while (*p != '\0') {
        char *best = NULL, *q = p;
        while (*p == ' ')
            p++;
        q = p;
        for (;;) {
            char *sp = strchr(q, ' ');
            char save;
            char *end = sp != NULL ? sp : q + strlen(q);
            save = *end;
            *end = '\0';
            set_text(L, &probe, SEQ_FONT_NOTE, p);
            *end = save;
            if (probe.ext.width <= maxw || best == NULL)
                best = end;
            if (probe.ext.width > maxw || sp == NULL)
                break;
            q = sp + 1;
        }
        if (best == p)
            break;
        n->lines = xreallocarray(n->lines, n->nlines + 1, sizeof *n->lines);
        memset(&n->lines[n->nlines], 0, sizeof n->lines[0]);
        {
            char save = *best;
            *best = '\0';
            set_text(L, &n->lines[n->nlines++], SEQ_FONT_NOTE, p);
            *best = save;
        }
        p = best;
        while (*p == ' ')
            p++;
    }
    free(probe.s);
    free(copy);
}

static void
layout_notes(struct lay *L)
{
    const struct trace *t = L->t;
    struct seq_diagram *g = L->g;
    double span = g->life[1].x - g->life[0].x, pad = 6 * L->f;
    static const double shift[] = {0, -0.15, 0.15, -0.28, 0.28};
    size_t i, k, m;

    g->notes = xcalloc(t->n + 1, sizeof *g->notes);
    for (i = 0; i < t->n; i++) {
        const struct trace_event *e = &t->ev[i];
        struct seq_note *n;
        double w = 0, h, y, lh;
        bool ok = false;

        if (e->kind != TRACE_NOTE || e->text == NULL || e->step < 0 ||
            e->step > L->nrows)
            continue;
        n = &g->notes[g->nnotes++];
        wrap_note(L, n, e->text, span * 0.62);
        if (n->nlines == 0)
            continue;
        lh = text_height(&n->lines[0]) * 1.15;
        for (k = 0; k < n->nlines; k++)
            w = fmax(w, n->lines[k].ext.width);
        n->box.w = w + 2 * pad;
        h = n->box.h =
            lh * (double)n->nlines + 2 * pad - (lh - text_height(&n->lines[0]));
        y = slot_y(L, e->step, 0);
        n->box.y = floor(y - h / 2) + 0.5;
        for (m = 0; m < sizeof shift / sizeof shift[0]; m++) {
            struct seq_quad q;
            n->box.x = floor((g->life[0].x + g->life[1].x) / 2 +
                             shift[m] * span - n->box.w / 2) +
                       0.5;
            memset(&q, 0, sizeof q);
            q.kind = SEQ_INK_NOTE;
            quad_rect(&q, n->box.x, n->box.y, n->box.w, n->box.h);
            if (!collides(L, &q, PLACE_GAP)) {
                ok = true;
                break;
            }
        }
        if (!ok) {
            n->box.x =
                floor((g->life[0].x + g->life[1].x) / 2 - n->box.w / 2) + 0.5;
            g->overlaps++;
        }
        for (k = 0; k < n->nlines; k++) {
            n->lines[k].x = n->box.x + pad;
            n->lines[k].y =
                n->box.y + pad + n->lines[k].ext.ascent + lh * (double)k;
        }
        {
            struct seq_quad q;
            memset(&q, 0, sizeof q);
            q.kind = SEQ_INK_NOTE;
            q.what = n->lines[0].s;
            quad_rect(&q, n->box.x, n->box.y, n->box.w, n->box.h);
            inkv_add(&L->placed, &q);
        }
    }
}

static void
free_text(struct seq_text *t)
{
    free(t->s);
    t->s = NULL;
}

void
seq_free(struct seq_diagram *g)
{
    size_t i, k;

    if (g == NULL)
        return;
    free_text(&g->title);
    free_text(&g->caption);
    free_text(&g->header[0].name);
    free_text(&g->header[1].name);
    for (i = 0; i < g->narrows; i++) {
        free_text(&g->arrows[i].label);
        free_text(&g->arrows[i].number);
    }
    free(g->arrows);
    for (i = 0; i < g->nstates; i++)
        free_text(&g->states[i].name);
    free(g->states);
    for (i = 0; i < g->nbrackets; i++)
        free_text(&g->brackets[i].label);
    free(g->brackets);
    for (i = 0; i < g->nnotes; i++) {
        for (k = 0; k < g->notes[i].nlines; k++)
            free_text(&g->notes[i].lines[k]);
        free(g->notes[i].lines);
    }
    free(g->notes);
    free(g);
}

static struct seq_diagram *
layout_at(const struct trace *t, const struct seq_text_ops *ops, double f)
{
    struct lay L;
    struct seq_diagram *g = xcalloc(1, sizeof *g);
    double top, bottom, end, head_h, units = 0;
    bool bracket[2] = {false, false};
    size_t i;
    int r;

    memset(&L, 0, sizeof L);
    L.t = t, L.ops = ops, L.g = g, L.f = f;
    g->width = t->width > 0 ? t->width : 600;
    g->height = t->height > 0 ? t->height : 400;
    g->scale_used = f;
    L.nrows = max_row(t);
    L.slots = xcalloc((size_t)L.nrows + 1, sizeof *L.slots);
    L.narr = xcalloc((size_t)L.nrows + 1, sizeof *L.narr);
    L.nsnd = xcalloc((size_t)L.nrows + 1, sizeof *L.nsnd);
    L.rowy = xcalloc((size_t)L.nrows + 1, sizeof *L.rowy);
    count_slots(&L);

    end = layout_bands(&L, &top, &bottom, &head_h);
    /* Rows 1.. are spread evenly; a row with k slots is 1 + (k-1)*ROW_SUB
     * rows tall. */
    for (r = 0; r < L.nrows; r++)
        units += (r == 0 ? ROW0 : 1) + (L.slots[r] - 1) * ROW_SUB;
    units += (L.slots[L.nrows] - 1) * ROW_SUB;
    L.pitch = units > 0 ? (bottom - top) / units : 0;
    {
        double u = 0;
        for (r = 0; r <= L.nrows; r++) {
            L.rowy[r] = floor(top + u * L.pitch) + 0.5;
            u += (r == 0 ? ROW0 : 1) + (L.slots[r] - 1) * ROW_SUB;
        }
    }
    for (i = 0; i < t->n; i++)
        if (t->ev[i].kind == TRACE_STATE &&
            t->ev[i].to_state == TCP_TIME_WAIT && valid_peer(t->ev[i].peer))
            bracket[t->ev[i].peer] = true;
    for (r = 0; r < 2; r++) {
        g->life[r].y0 = g->header[r].box.y + head_h;
        g->life[r].y1 = floor(end) + 0.5;
    }
    layout_states(&L);
    layout_columns(&L, bracket);
    layout_arrows(&L);
    layout_brackets(&L);
    ink_static(&L.placed, g);
    for (i = 0; i < g->nbrackets; i++)
        ink_text(&L.placed, &g->brackets[i].label, -1);
    layout_notes(&L);
    layout_labels(&L);

    g->overlaps += seq_count_overlaps(g, NULL, 0);
    free(L.placed.q);
    free(L.slots);
    free(L.narr);
    free(L.nsnd);
    free(L.rowy);
    return g;
}

struct seq_diagram *
seq_layout(const struct trace *t, const struct seq_text_ops *ops)
{
    struct seq_diagram *best = NULL;
    double f;

    assert(t != NULL && ops != NULL && ops->measure != NULL);
    for (f = 1.0; f >= MIN_SCALE - 1e-9; f -= 0.05) {
        struct seq_diagram *g = layout_at(t, ops, f);
        if (best == NULL || g->overlaps < best->overlaps) {
            seq_free(best);
            best = g;
        } else {
            seq_free(g);
        }
        if (best->overlaps == 0)
            break;
    }
    return best;
}

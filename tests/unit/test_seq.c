/* Unit tests: seq (trace -> geometry).  Traces are built by hand in the
 * engine's shape, and every scenario in content/diagrams/ and
 * tests/scenarios/ is run and laid out as well. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "draw.h"
#include "fs.h"
#include "scn.h"
#include "seq.h"
#include "trace.h"
#include "xmem.h"
#include "tcheck.h"

static struct trace *
tr_new(const char *name, const char *title, int w, int h, enum tcp_state a,
       enum tcp_state b)
{
    struct trace *t = trace_new();

    t->name = xstrdup(name);
    t->title = title ? xstrdup(title) : NULL;
    t->peers[0] = xstrdup("client");
    t->peers[1] = xstrdup("server");
    t->initial[0] = a;
    t->initial[1] = b;
    t->width = w;
    t->height = h;
    return t;
}

static void
tr_state(struct trace *t, int row, int peer, enum tcp_state to)
{
    struct trace_event e = {0};

    e.kind = TRACE_STATE;
    e.step = row;
    e.peer = peer;
    e.to_state = to;
    trace_add(t, &e);
    if (row > t->steps)
        t->steps = row;
}

static struct trace_segment *
tr_seg(struct trace *t, int from, unsigned flags, uint32_t seq, uint32_t ack,
       int sent, int arrived)
{
    struct trace_event e = {0};
    unsigned id = 1;
    size_t i;

    for (i = 0; i < t->n; i++)
        if (t->ev[i].kind == TRACE_SEGMENT)
            id++;
    e.kind = TRACE_SEGMENT;
    e.step = sent;
    e.seg.id = id;
    e.seg.from = from;
    e.seg.to = 1 - from;
    e.seg.flags = flags;
    e.seg.seq = seq;
    e.seg.ack = ack;
    e.seg.wnd = 65535;
    e.seg.sent = sent;
    e.seg.arrived = arrived;
    e.seg.dropped = -1;
    if (arrived > t->steps)
        t->steps = arrived;
    return &trace_add(t, &e)->seg;
}

static void
tr_note(struct trace *t, int row, const char *text)
{
    struct trace_event e = {0};

    e.kind = TRACE_NOTE;
    e.step = row;
    e.text = xstrdup(text);
    trace_add(t, &e);
    if (row > t->steps)
        t->steps = row;
}

enum { C = 0, S = 1 };

static struct trace *
tr_three_way(void)
{
    struct trace *t =
        tr_new("tcp-establishment-3-packets", "Three-way handshake", 600, 400,
               TCP_CLOSED, TCP_CLOSED);
    tr_state(t, 1, S, TCP_LISTEN);
    tr_state(t, 2, C, TCP_SYN_SENT);
    tr_seg(t, C, TRACE_SYN, 1000, 0, 2, 3);
    tr_state(t, 3, S, TCP_SYN_RECEIVED);
    tr_seg(t, S, TRACE_SYN | TRACE_ACK, 5000, 1001, 3, 4);
    tr_state(t, 4, C, TCP_ESTABLISHED);
    tr_seg(t, C, TRACE_ACK, 1001, 5001, 4, 5);
    tr_state(t, 5, S, TCP_ESTABLISHED);
    return t;
}

/* The teaching variant: the server's ACK and SYN leave in one step and
 * arrive one step apart. */
static struct trace *
tr_four_way(void)
{
    struct trace *t =
        tr_new("tcp-establishment-4-packets", "Opening with four segments", 600,
               400, TCP_CLOSED, TCP_CLOSED);
    t->variant = xstrdup("split-syn-ack");
    t->variant_peer = S;
    tr_state(t, 1, S, TCP_LISTEN);
    tr_state(t, 2, C, TCP_SYN_SENT);
    tr_seg(t, C, TRACE_SYN, 1000, 0, 2, 3);
    tr_state(t, 3, S, TCP_SYN_RECEIVED);
    tr_seg(t, S, TRACE_ACK, 5000, 1001, 3, 4);
    tr_seg(t, S, TRACE_SYN, 5000, 0, 3, 5);
    tr_state(t, 5, C, TCP_ESTABLISHED);
    tr_seg(t, C, TRACE_ACK, 1001, 5001, 5, 6);
    tr_state(t, 6, S, TCP_ESTABLISHED);
    return t;
}

static struct trace *
tr_termination(void)
{
    struct trace *t = tr_new("tcp-termination", "Closing a connection", 800,
                             600, TCP_ESTABLISHED, TCP_ESTABLISHED);
    tr_state(t, 1, C, TCP_FIN_WAIT_1);
    tr_seg(t, C, TRACE_FIN | TRACE_ACK, 1001, 5001, 1, 2);
    tr_state(t, 2, S, TCP_CLOSE_WAIT);
    tr_seg(t, S, TRACE_ACK, 5001, 1002, 2, 3);
    tr_state(t, 3, C, TCP_FIN_WAIT_2);
    tr_state(t, 4, S, TCP_LAST_ACK);
    tr_seg(t, S, TRACE_FIN | TRACE_ACK, 5001, 1002, 4, 5);
    tr_state(t, 5, C, TCP_TIME_WAIT);
    tr_seg(t, C, TRACE_ACK, 1002, 5002, 5, 6);
    tr_state(t, 6, S, TCP_CLOSED);
    tr_state(t, 7, C, TCP_CLOSED);
    return t;
}

/* A lost SYN (dropped a step after it left), a note, and the copy the
 * retransmission timer sends. */
static struct trace *
tr_lost_syn(void)
{
    struct trace *t = tr_new("lost-syn", "A lost SYN is sent again", 600, 400,
                             TCP_CLOSED, TCP_LISTEN);
    struct trace_segment *s;

    tr_state(t, 1, C, TCP_SYN_SENT);
    s = tr_seg(t, C, TRACE_SYN, 1000, 0, 1, -1);
    s->dropped = 2;
    tr_note(t, 3, "the retransmission timer expires after 1 s");
    s = tr_seg(t, C, TRACE_SYN, 1000, 0, 4, 5);
    s->retransmit = true;
    tr_state(t, 5, S, TCP_SYN_RECEIVED);
    tr_seg(t, S, TRACE_SYN | TRACE_ACK, 5000, 1001, 5, 6);
    tr_state(t, 6, C, TCP_ESTABLISHED);
    tr_seg(t, C, TRACE_ACK, 1001, 5001, 6, 7);
    tr_state(t, 7, S, TCP_ESTABLISHED);
    return t;
}

/* Both sides close at once: the FINs cross. */
static struct trace *
tr_simultaneous_close(void)
{
    struct trace *t = tr_new("simultaneous-close", "Simultaneous close", 600,
                             400, TCP_ESTABLISHED, TCP_ESTABLISHED);
    tr_state(t, 1, C, TCP_FIN_WAIT_1);
    tr_seg(t, C, TRACE_FIN | TRACE_ACK, 1001, 5001, 1, 2);
    tr_state(t, 1, S, TCP_FIN_WAIT_1);
    tr_seg(t, S, TRACE_FIN | TRACE_ACK, 5001, 1001, 1, 2);
    tr_state(t, 2, C, TCP_CLOSING);
    tr_seg(t, C, TRACE_ACK, 1002, 5002, 2, 3);
    tr_state(t, 2, S, TCP_CLOSING);
    tr_seg(t, S, TRACE_ACK, 5002, 1002, 2, 3);
    tr_state(t, 3, C, TCP_TIME_WAIT);
    tr_state(t, 3, S, TCP_TIME_WAIT);
    return t;
}

static struct seq_diagram *
lay(const struct trace *t)
{
    struct diag d;

    diag_init(&d, stderr);
    ck_assert(draw_init(&d));
    diag_fini(&d);
    return seq_layout(t, draw_text_ops());
}

/* Checks the layout the way a reader would: every piece of ink as a
 * measured box, no two that must not touch overlapping, all of them on the
 * canvas.  Returns the number of problems, printing each. */
static int
problems(const struct seq_diagram *g, const char *name)
{
    size_t n, i, j;
    struct seq_quad *q = seq_ink(g, &n);
    int bad = 0, k;

    for (i = 0; i < n; i++) {
        for (k = 0; k < 4; k++) {
            if (q[i].x[k] < 0 || q[i].y[k] < 0 || q[i].x[k] > g->width ||
                q[i].y[k] > g->height) {
                fprintf(stderr, "%s: '%s' leaves the canvas\n", name,
                        q[i].what);
                bad++;
                break;
            }
        }
        for (j = i + 1; j < n; j++) {
            if (seq_ink_conflicts(&q[i], &q[j]) &&
                seq_quads_overlap(&q[i], &q[j], 0)) {
                fprintf(stderr, "%s: '%s' overlaps '%s'\n", name, q[i].what,
                        q[j].what);
                bad++;
            }
        }
    }
    free(q);
    return bad;
}

static const struct seq_state *
find_state(const struct seq_diagram *g, int peer, int row)
{
    size_t i;

    for (i = 0; i < g->nstates; i++)
        if (g->states[i].peer == peer && g->states[i].row == row)
            return &g->states[i];
    return NULL;
}

static bool
within_box(const struct seq_state *s, double y)
{
    return s != NULL && y >= s->box.y && y <= s->box.y + s->box.h;
}

START_TEST(segment_labels_name_flags_and_numbers)
{
    struct trace_segment s = {0};
    char out[96];

    s.flags = TRACE_SYN, s.seq = 1000;
    seq_segment_label(&s, out, sizeof out);
    ck_assert_str_eq(out, "SYN seq=1000");
    s.flags = TRACE_SYN | TRACE_ACK, s.seq = 5000, s.ack = 1001;
    seq_segment_label(&s, out, sizeof out);
    ck_assert_str_eq(out, "SYN, ACK seq=5000 ack=1001");
    s.flags = TRACE_FIN | TRACE_ACK, s.seq = 4294967295u, s.ack = 7;
    seq_segment_label(&s, out, sizeof out);
    ck_assert_str_eq(out, "FIN, ACK seq=4294967295 ack=7");
    s.flags = TRACE_PSH | TRACE_ACK, s.seq = 1, s.ack = 2, s.len = 5;
    seq_segment_label(&s, out, sizeof out);
    ck_assert_str_eq(out, "PSH, ACK seq=1 ack=2 len=5");
    seq_segment_label(&s, out, 8);
    ck_assert_uint_lt(strlen(out), 8);
}
END_TEST

START_TEST(quads_overlap_only_when_they_share_area)
{
    struct seq_quad a = {0}, b = {0};
    double c = cos(M_PI / 4), s = sin(M_PI / 4);
    int i;

    /* a: 10x10 square; b: the same square turned 45 degrees, moved off
     * its corner along the diagonal */
    double bx[4] = {0, 5, 0, -5}, by[4] = {-5, 0, 5, 0};
    a.x[0] = 0, a.y[0] = 0, a.x[1] = 10, a.y[1] = 0;
    a.x[2] = 10, a.y[2] = 10, a.x[3] = 0, a.y[3] = 10;
    for (i = 0; i < 4; i++)
        b.x[i] = 20 + bx[i], b.y[i] = 20 + by[i];
    ck_assert(!seq_quads_overlap(&a, &b, 0));
    for (i = 0; i < 4; i++)
        b.x[i] = 12 + bx[i], b.y[i] = 12 + by[i];
    ck_assert(seq_quads_overlap(&a, &b, 0));
    /* rotated rectangles whose bounding boxes overlap but they do not */
    for (i = 0; i < 4; i++) {
        double x = i == 1 || i == 2 ? 30 : 0, y = i >= 2 ? 2 : 0;
        a.x[i] = x * c - y * s, a.y[i] = x * s + y * c;
        b.x[i] = a.x[i] + 6, b.y[i] = a.y[i] - 6;
    }
    ck_assert(!seq_quads_overlap(&a, &b, 0));
    ck_assert(seq_quads_overlap(&a, &b, 9));
}
END_TEST

START_TEST(article_diagrams_fit_without_overlap)
{
    struct trace *(*make[])(void) = {tr_three_way, tr_four_way, tr_termination,
                                     tr_lost_syn, tr_simultaneous_close};
    size_t i;

    for (i = 0; i < sizeof make / sizeof make[0]; i++) {
        struct trace *t = make[i]();
        struct seq_diagram *g = lay(t);
        ck_assert_int_eq(problems(g, t->name), 0);
        ck_assert_int_eq(g->overlaps, 0);
        ck_assert_int_eq(seq_count_overlaps(g, NULL, 0), 0);
        /* the nominal type fits the article's three diagrams */
        ck_assert_msg(i >= 3 || g->scale_used == 1.0, "%s: type scaled to %g",
                      t->name, g->scale_used);
        ck_assert(g->width == t->width && g->height == t->height);
        seq_free(g);
        trace_free(t);
    }
    draw_fini();
}
END_TEST

START_TEST(arrows_run_from_send_row_to_arrival_row)
{
    struct trace *t = tr_three_way();
    struct seq_diagram *g = lay(t);
    size_t i;

    ck_assert_uint_eq(g->narrows, 3);
    for (i = 0; i < g->narrows; i++) {
        const struct trace_segment *s = NULL;
        size_t k;
        for (k = 0; k < t->n; k++)
            if (t->ev[k].kind == TRACE_SEGMENT &&
                t->ev[k].seg.id == g->arrows[i].id)
                s = &t->ev[k].seg;
        ck_assert_ptr_nonnull(s);
        /* the ends sit on the state boxes of the send and arrival rows */
        ck_assert(within_box(find_state(g, s->from, s->sent), g->arrows[i].y0));
        ck_assert(
            within_box(find_state(g, s->to, s->arrived), g->arrows[i].y1));
        ck_assert(g->arrows[i].y1 > g->arrows[i].y0 + 20);
        ck_assert(fabs(g->arrows[i].x0 - g->life[s->from].x) <
                  fabs(g->arrows[i].x0 - g->life[s->to].x));
        ck_assert(fabs(g->arrows[i].x1 - g->life[s->to].x) <
                  fabs(g->arrows[i].x1 - g->life[s->from].x));
        ck_assert(!g->arrows[i].lost);
    }
    /* later rows are lower */
    ck_assert(g->arrows[1].y0 > g->arrows[0].y0);
    ck_assert(g->arrows[2].y0 > g->arrows[1].y1 - 10);
    seq_free(g);
    trace_free(t);
    draw_fini();
}
END_TEST

START_TEST(segments_sent_together_get_their_own_lines)
{
    struct trace *t = tr_four_way();
    struct seq_diagram *g = lay(t);

    ck_assert_uint_eq(g->narrows, 4);
    /* the ACK and the SYN both leave the server in row 3 and arrive in
     * rows 4 and 5: two distinct arrows, the ACK first */
    ck_assert(g->arrows[2].y0 > g->arrows[1].y0 + 10);
    ck_assert(g->arrows[2].y1 > g->arrows[1].y1 + 10);
    ck_assert_str_eq(g->arrows[1].label.s, "ACK seq=5000 ack=1001");
    ck_assert_str_eq(g->arrows[2].label.s, "SYN seq=5000");
    ck_assert_int_eq(problems(g, t->name), 0);
    seq_free(g);
    trace_free(t);
    draw_fini();
}
END_TEST

START_TEST(crossing_segments_cross_and_keep_labels_clear)
{
    struct trace *t = tr_simultaneous_close();
    struct seq_diagram *g = lay(t);
    const struct seq_arrow *a = &g->arrows[0], *b = &g->arrows[1];

    /* sent in the same row from opposite sides: the lines cross */
    ck_assert(a->y0 == b->y0 && a->y1 == b->y1);
    ck_assert(a->x0 < a->x1 && b->x0 > b->x1);
    ck_assert_int_eq(problems(g, t->name), 0);
    seq_free(g);
    trace_free(t);
    draw_fini();
}
END_TEST

START_TEST(labels_run_along_arrows_upright_and_above)
{
    struct trace *t = tr_termination();
    struct seq_diagram *g = lay(t);
    size_t i;

    for (i = 0; i < g->narrows; i++) {
        const struct seq_arrow *a = &g->arrows[i];
        const struct seq_text *l = &a->label;
        double dx = a->x1 - a->x0, dy = a->y1 - a->y0;
        double ang = atan2(dy, dx), mx, my, cross;

        if (dx < 0)
            ang += ang < 0 ? M_PI : -M_PI;
        /* upright: reads left to right whichever way the arrow points */
        ck_assert(l->angle > -M_PI / 2 && l->angle < M_PI / 2);
        ck_assert(fabs(l->angle - ang) < 1e-9);
        /* above: the label's middle is on the upper side of the line */
        mx = l->x + cos(l->angle) * l->ext.width / 2;
        my = l->y + sin(l->angle) * l->ext.width / 2;
        cross = (a->x1 - a->x0) * (my - a->y0) - (a->y1 - a->y0) * (mx - a->x0);
        ck_assert(dx > 0 ? cross < 0 : cross > 0);
    }
    seq_free(g);
    trace_free(t);
    draw_fini();
}
END_TEST

START_TEST(numbering_can_be_turned_off)
{
    struct trace *t = tr_three_way();
    struct seq_diagram *g = lay(t);
    size_t i;

    for (i = 0; i < g->narrows; i++) {
        char want[24];
        snprintf(want, sizeof want, "%zu", i + 1);
        ck_assert(g->arrows[i].numbered);
        ck_assert_str_eq(g->arrows[i].number.s, want);
        ck_assert(g->arrows[i].r > 4);
    }
    seq_free(g);
    t->numbering = false;
    g = lay(t);
    for (i = 0; i < g->narrows; i++) {
        ck_assert(!g->arrows[i].numbered);
        ck_assert_ptr_null(g->arrows[i].number.s);
    }
    ck_assert_int_eq(problems(g, t->name), 0);
    seq_free(g);
    trace_free(t);
    draw_fini();
}
END_TEST

START_TEST(lost_segment_ends_in_a_cross_part_way)
{
    struct trace *t = tr_lost_syn();
    struct seq_diagram *g = lay(t);
    const struct seq_arrow *a = &g->arrows[0], *r = &g->arrows[1];

    ck_assert(a->lost);
    ck_assert(a->x1 > g->life[0].x + 100 && a->x1 < g->life[1].x - 100);
    ck_assert(a->y1 > a->y0);
    /* the retransmission is a new arrow that arrives */
    ck_assert(!r->lost && r->retransmit);
    ck_assert_ptr_nonnull(strstr(r->label.s, "retransmission"));
    ck_assert(r->y0 > a->y1);
    ck_assert(fabs(r->x1 - g->life[1].x) < 60);
    ck_assert_uint_eq(g->nnotes, 1);
    ck_assert_int_eq(problems(g, t->name), 0);
    seq_free(g);
    trace_free(t);
    draw_fini();
}
END_TEST

START_TEST(time_wait_has_a_bracket_up_to_closed)
{
    struct trace *t = tr_termination();
    struct seq_diagram *g = lay(t);
    const struct seq_state *tw = find_state(g, 0, 5), *cl = find_state(g, 0, 7);
    const struct seq_bracket *b = &g->brackets[0];

    ck_assert_uint_eq(g->nbrackets, 1);
    ck_assert_ptr_nonnull(tw);
    ck_assert_ptr_nonnull(cl);
    ck_assert_int_eq(tw->state, TCP_TIME_WAIT);
    ck_assert_int_eq(cl->state, TCP_CLOSED);
    ck_assert(b->y0 >= tw->box.y + tw->box.h);
    ck_assert(b->y1 <= cl->box.y);
    ck_assert(b->y1 - b->y0 > 50);
    ck_assert(b->x < g->life[0].x); /* outside, away from the arrows */
    ck_assert_str_eq(b->label.s, "2\xc2\xb7MSL");
    seq_free(g);
    trace_free(t);
    draw_fini();
}
END_TEST

START_TEST(state_boxes_fit_their_names)
{
    struct trace *t = tr_three_way();
    struct seq_diagram *g = lay(t);
    size_t i;

    ck_assert_uint_eq(g->nstates, 7); /* 2 initial + 5 changes */
    for (i = 0; i < g->nstates; i++) {
        const struct seq_state *s = &g->states[i];
        ck_assert(s->name.x > s->box.x &&
                  s->name.x + s->name.ext.width < s->box.x + s->box.w);
        ck_assert(s->box.w < s->name.ext.width + 20);
        ck_assert(fabs(s->box.x + s->box.w / 2 - g->life[s->peer].x) < 1);
    }
    ck_assert_str_eq(find_state(g, 0, 0)->name.s, "CLOSED");
    ck_assert_str_eq(find_state(g, 1, 0)->name.s, "CLOSED");
    ck_assert_str_eq(find_state(g, 1, 1)->name.s, "LISTEN");
    ck_assert_str_eq(find_state(g, 1, 3)->name.s, "SYN-RECEIVED");
    ck_assert(find_state(g, 0, 2)->box.w < find_state(g, 0, 4)->box.w);
    seq_free(g);
    trace_free(t);
    draw_fini();
}
END_TEST

START_TEST(title_and_variant_caption)
{
    struct trace *t = tr_four_way();
    struct seq_diagram *g = lay(t);

    ck_assert_str_eq(g->title.s, "Opening with four segments");
    ck_assert_ptr_nonnull(strstr(g->caption.s, "real TCP combines"));
    ck_assert(g->title.y < g->header[0].box.y);
    ck_assert(g->caption.y > g->life[0].y1);
    seq_free(g);
    trace_free(t);
    t = tr_three_way();
    free(t->title);
    t->title = NULL;
    g = lay(t);
    ck_assert_ptr_null(g->title.s);
    ck_assert_ptr_null(g->caption.s);
    ck_assert(g->header[0].box.y < 10);
    seq_free(g);
    trace_free(t);
    draw_fini();
}
END_TEST

START_TEST(too_small_a_canvas_shrinks_type_then_reports_overlaps)
{
    struct trace *t = tr_termination();
    struct seq_diagram *g;
    char why[200];

    t->width = 330, t->height = 300;
    g = lay(t);
    ck_assert(g->scale_used < 1.0);
    ck_assert_int_eq(problems(g, t->name), 0);
    seq_free(g);
    t->width = 160, t->height = 90;
    g = lay(t);
    ck_assert_int_gt(g->overlaps, 0);
    ck_assert_int_gt(seq_count_overlaps(g, why, sizeof why), 0);
    ck_assert(strstr(why, "overlaps") != NULL || strstr(why, "canvas"));
    seq_free(g);
    trace_free(t);
    draw_fini();
}
END_TEST

START_TEST(odd_traces_still_lay_out)
{
    struct trace *t = tr_new("odd", "bad \xff UTF-8 \xe2\x82", 600, 400,
                             TCP_CLOSED, TCP_CLOSED);
    struct seq_diagram *g;
    struct trace_segment *s;

    /* nothing happens at all */
    g = lay(t);
    ck_assert_uint_eq(g->narrows, 0);
    ck_assert_uint_eq(g->nstates, 2);
    ck_assert_str_eq(g->title.s, "bad ? UTF-8 ??");
    seq_free(g);
    /* rows far beyond any figure, a peer out of range, a note on a
     * negative row: skipped, not drawn out of bounds */
    s = tr_seg(t, C, TRACE_SYN, 1, 0, 1, 2000000);
    s = tr_seg(t, C, TRACE_SYN, 1, 0, 1, 2);
    s->to = 7;
    tr_note(t, -3, "nowhere");
    tr_state(t, 2, C, TCP_SYN_SENT);
    g = lay(t);
    ck_assert_uint_eq(g->narrows, 0);
    ck_assert_uint_eq(g->nnotes, 0);
    ck_assert_uint_eq(g->nstates, 3);
    seq_free(g);
    trace_free(t);
    draw_fini();
}
END_TEST

/* Every scenario file in dir: it runs, and its layout fits. */
static int
scenarios_in(const char *dir)
{
    char **names = fs_list(dir);
    int n = 0;
    size_t i;

    for (i = 0; names != NULL && names[i] != NULL; i++) {
        size_t len = strlen(names[i]);
        char *path;
        struct diag d;
        struct trace *t;
        struct seq_diagram *g;

        if (len < 6 || strcmp(names[i] + len - 5, ".yaml") != 0)
            continue;
        path = fs_join(dir, names[i]);
        diag_init(&d, stderr);
        t = scn_run_file(path, false, &d);
        ck_assert_msg(t != NULL, "%s does not run", path);
        g = lay(t);
        ck_assert_msg(problems(g, path) == 0, "%s: overlapping layout", path);
        seq_free(g);
        trace_free(t);
        diag_fini(&d);
        free(path);
        n++;
    }
    fs_list_free(names);
    return n;
}

START_TEST(every_scenario_lays_out_without_overlap)
{
    scenarios_in("content/diagrams");
    scenarios_in("tests/scenarios");
    draw_fini();
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(segment_labels_name_flags_and_numbers),
    TCHECK_CASE(quads_overlap_only_when_they_share_area),
    TCHECK_CASE(article_diagrams_fit_without_overlap),
    TCHECK_CASE(arrows_run_from_send_row_to_arrival_row),
    TCHECK_CASE(segments_sent_together_get_their_own_lines),
    TCHECK_CASE(crossing_segments_cross_and_keep_labels_clear),
    TCHECK_CASE(labels_run_along_arrows_upright_and_above),
    TCHECK_CASE(numbering_can_be_turned_off),
    TCHECK_CASE(lost_segment_ends_in_a_cross_part_way),
    TCHECK_CASE(time_wait_has_a_bracket_up_to_closed),
    TCHECK_CASE(state_boxes_fit_their_names),
    TCHECK_CASE(title_and_variant_caption),
    TCHECK_CASE(too_small_a_canvas_shrinks_type_then_reports_overlaps),
    TCHECK_CASE(odd_traces_still_lay_out),
    TCHECK_CASE(every_scenario_lays_out_without_overlap),
};
TCHECK_MAIN("seq", cases)

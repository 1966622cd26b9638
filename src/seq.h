/*
 * seq: trace -> geometry of a sequence diagram.
 *
 *     scenario YAML -> scn -> tcp -> trace -> seq -> draw (cairo)
 *
 * seq decides where everything goes: two lifelines under boxed headers, one
 * row per scenario step, each segment an arrow from its send row to its
 * arrival row with its label rotated along it, circled segment numbers,
 * state boxes, the TIME-WAIT bracket, notes, a title and a caption.  It knows
 * no cairo: text is measured through struct seq_text_ops, which draw.c
 * provides.  All coordinates are CSS pixels, y pointing down, on a canvas of
 * the trace's width x height.
 */
#ifndef SEQ_H
#define SEQ_H

#include <stdbool.h>
#include <stddef.h>

#include "trace.h"

/* The type styles a diagram uses; all DejaVu Sans. */
enum seq_font {
    SEQ_FONT_TITLE,   /* bold, the scenario title */
    SEQ_FONT_HEADER,  /* bold, peer names */
    SEQ_FONT_LABEL,   /* regular, segment labels */
    SEQ_FONT_STATE,   /* bold, state boxes */
    SEQ_FONT_NUMBER,  /* bold, circled segment numbers */
    SEQ_FONT_NOTE,    /* regular, notes and the 2*MSL label */
    SEQ_FONT_CAPTION, /* oblique, the teaching-variant caption */
    SEQ_NFONTS
};

/* Measured extents of a string set in one font at one size. */
struct seq_extent {
    double width;   /* advance width */
    double ascent;  /* the font's ascent above the baseline, positive */
    double descent; /* the font's descent below the baseline, positive */
};

/* The one text interface: measure s (UTF-8) in font at size px.  ascent
 * and descent are the font's, not the string's, so that boxes holding
 * different words come out the same height. */
struct seq_text_ops {
    void (*measure)(void *ctx, enum seq_font font, double size, const char *s,
                    struct seq_extent *out);
    void *ctx;
};

/* A string placed on the canvas: its baseline starts at (x, y) and runs at
 * angle radians (clockwise, as y points down). */
struct seq_text {
    char *s; /* owned by the diagram; NULL: nothing */
    enum seq_font font;
    double size;
    double x, y, angle;
    struct seq_extent ext;
};

struct seq_rect {
    double x, y, w, h;
};

struct seq_header {
    struct seq_rect box;
    struct seq_text name;
};

struct seq_lifeline {
    double x, y0, y1;
};

struct seq_arrow {
    unsigned id;   /* segment number */
    double x0, y0; /* tail: the sender, at its send row */
    double x1, y1; /* head: the receiver at its arrival row, or the
                      point where a lost segment ends in a cross */
    bool lost;     /* ends in a cross instead of a head */
    bool retransmit;
    bool ignored; /* arrived, then discarded by the receiver */
    struct seq_text label;
    bool numbered;    /* draw the circled number */
    double cx, cy, r; /* the number's circle */
    struct seq_text number;
};

struct seq_state {
    int peer, row;
    enum tcp_state state;
    struct seq_rect box;
    struct seq_text name;
};

/* TIME-WAIT's 2*MSL span: a bracket beside a lifeline. */
struct seq_bracket {
    int peer;
    double x, y0, y1; /* the vertical stroke */
    double tick;      /* signed length of the end ticks, towards the line */
    struct seq_text label;
};

struct seq_note {
    struct seq_rect box;
    struct seq_text *lines;
    size_t nlines;
};

struct seq_diagram {
    double width, height;
    struct seq_text title;   /* s == NULL: no title */
    struct seq_text caption; /* s == NULL: no caption */
    struct seq_header header[2];
    struct seq_lifeline life[2];
    struct seq_arrow *arrows;
    size_t narrows;
    struct seq_state *states;
    size_t nstates;
    struct seq_bracket *brackets;
    size_t nbrackets;
    struct seq_note *notes;
    size_t nnotes;
    double scale_used; /* type scale the layout settled on (1 = nominal) */
    int overlaps;      /* ink pairs that still collide (0 when it fits) */
};

/*
 * Lays out t on its width x height canvas, shrinking the type if it has
 * to.  Returns a new diagram (seq_free()); never NULL.  When even the
 * smallest type does not fit, the result has overlaps > 0; callers report
 * that.
 */
/* Arrowheads: length along the line and half their width, in px. */
#define SEQ_HEAD_LEN  9.0
#define SEQ_HEAD_HALF 3.5
/* Half the size of the cross that ends a lost segment. */
#define SEQ_CROSS 5.0

struct seq_diagram *seq_layout(const struct trace *t,
                               const struct seq_text_ops *ops);
void seq_free(struct seq_diagram *g);

/* The label seq writes for a segment: "SYN, ACK seq=5000 ack=1001 len=3".
 * Writes at most size bytes (NUL included). */
void seq_segment_label(const struct trace_segment *s, char *out, size_t size);

/*
 * Ink, for checking a layout: every text, box, circle and line of g as a
 * convex quadrilateral (a line is a thin one).  Returns a new array of *n
 * quads; caller frees with free().
 */
enum seq_ink_kind {
    SEQ_INK_TEXT,   /* a free-standing text: label, title, 2*MSL... */
    SEQ_INK_BOX,    /* a header or state box with its text inside */
    SEQ_INK_NOTE,   /* a note box: nothing may touch it */
    SEQ_INK_CIRCLE, /* a segment number */
    SEQ_INK_LINE,   /* an arrow, lifeline or bracket stroke */
};

struct seq_quad {
    enum seq_ink_kind kind;
    int owner; /* arrow index for an arrow's label/number/line, else -1 */
    double x[4], y[4];
    const char *what; /* the text, or a short name; borrowed from g */
};

struct seq_quad *seq_ink(const struct seq_diagram *g, size_t *n);
/* Whether two convex quads share any area (separating axis test); touching
 * edges count as overlap when closer than gap. */
bool seq_quads_overlap(const struct seq_quad *a, const struct seq_quad *b,
                       double gap);
/* Whether the pair must not touch: text against anything, boxes against
 * boxes and circles; lines may cross lines and end on boxes. */
bool seq_ink_conflicts(const struct seq_quad *a, const struct seq_quad *b);
/* Number of conflicting pairs in g, plus ink outside the canvas.  Writes
 * the first problem into why (may be NULL). */
int seq_count_overlaps(const struct seq_diagram *g, char *why, size_t size);

#endif

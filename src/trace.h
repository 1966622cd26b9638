/*
 * trace: what happened when a scenario ran, in the order it happened.
 *
 *     scenario YAML -> scn (steps) -> tcp (engine) -> trace -> seq -> draw
 *
 * The trace is the one contract between the TCP engine and everything that
 * shows its result: the golden tests read it as YAML (trace_emit_yaml), the
 * diagram layout reads the structs below.  It holds plain data only: no
 * pointers into the engine, no YAML.
 *
 * Rows: scenario step i (1-based) is row i of the diagram.  Row 0 is the
 * initial state before the first step.
 */
#ifndef TRACE_H
#define TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tcp.h"

/* Segment flags, as bits (RFC 9293, 3.1 "Control Bits"); the same bits
 * as tcp.h's TCP_FIN... */
enum {
    TRACE_FIN = TCP_FIN,
    TRACE_SYN = TCP_SYN,
    TRACE_RST = TCP_RST,
    TRACE_PSH = TCP_PSH,
    TRACE_ACK = TCP_ACK,
    TRACE_URG = TCP_URG,
};

enum trace_kind {
    TRACE_STATE,   /* a peer changed state */
    TRACE_SEGMENT, /* a segment was sent (and maybe arrived) */
    TRACE_NOTE,    /* a `note:` row */
};

struct trace_segment {
    unsigned id;      /* 1, 2, 3... in sending order: the diagram's number */
    int from, to;     /* peer index 0 (left) or 1 (right) */
    unsigned flags;   /* TRACE_* bits */
    uint32_t seq, ack;
    uint32_t len;     /* bytes of text carried */
    uint32_t wnd;
    int sent;         /* row it was sent in */
    int arrived;      /* row it arrived in, or -1 when it was lost */
    int dropped;      /* row of the `drop` step that lost it, else -1 */
    bool retransmit;  /* a copy of an earlier segment (timer fired) */
    bool ignored;     /* it arrived but the receiver discarded it */
};

struct trace_event {
    enum trace_kind kind;
    int step;                 /* row: 1-based scenario step */
    int peer;                 /* TRACE_STATE: which peer */
    enum tcp_state from_state, to_state; /* TRACE_STATE */
    struct trace_segment seg; /* TRACE_SEGMENT */
    char *text;               /* TRACE_NOTE: owned */
};

struct trace {
    char *name;      /* scenario file name without .yaml, e.g. tcp-termination */
    char *title;     /* scenario `title`, or NULL */
    char *peers[2];  /* peer names, left to right */
    enum tcp_state initial[2]; /* states at row 0 */
    int steps;       /* number of rows (scenario steps) */
    int width, height; /* scenario `size` in CSS px */
    bool numbering;  /* draw (1), (2)... beside segments */
    char *variant;   /* e.g. "split-syn-ack" when a teaching variant ran */
    int variant_peer;/* which peer used it, -1 for none */
    char **rows;     /* rows[i - 1]: step i as written, "deliver: client";
                        NULL or entries NULL when unknown; owned */
    struct trace_event *ev;
    size_t n, cap;
};

/* An empty trace; free with trace_free(). */
struct trace *trace_new(void);
void trace_free(struct trace *t);
/* Appends a copy of *e (ownership of e->text moves to the trace); returns
 * the stored event, valid until the next append. */
struct trace_event *trace_add(struct trace *t, const struct trace_event *e);
/* The state name as RFC 9293 spells it: "SYN-SENT", "TIME-WAIT"... */
const char *trace_state_name(enum tcp_state s);
/* Writes flags as "SYN, ACK" into out (at least 32 bytes). */
void trace_flags_str(unsigned flags, char *out, size_t size);
/* Writes the trace as YAML (libyaml's emitter) in the documented format
 * (docs/scenarios.md): the scenario's name, title, size, peers, initial
 * states and steps, then every event in the order it happened, one flow
 * map each ({kind: segment, id: 1, from: client, to: server, flags: [SYN],
 * seq: 1000, ack: 0, len: 0, wnd: 65535, sent: 2, arrived: 3}; arrived is
 * null for a segment that never arrived).  Returns false on a write
 * error. */
bool trace_emit_yaml(const struct trace *t, FILE *out);

#endif

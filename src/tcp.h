/*
 * tcp: a deterministic RFC 9293 endpoint, with no I/O, no threads and no
 * clock.  The caller (scn.c) owns the network between two endpoints and the
 * passing of time: it hands arriving segments to tcp_input(), fires the
 * retransmission timer with tcp_timeout() and ends TIME-WAIT with
 * tcp_time_wait_end().  What an endpoint does to the world (segments sent,
 * state changes) comes back through the callbacks in struct tcp_io.
 *
 * Implemented (RFC 9293 section numbers in tcp.c): the eleven states; OPEN
 * (active and passive), SEND, CLOSE, ABORT (3.10.1-3.10.5); segment
 * arrival in the RFC's order (3.10.7): sequence-number acceptability, RST,
 * SYN, ACK, text, FIN (URG and the security check are skipped); RST for
 * segments to a closed or listening endpoint; simultaneous open and close;
 * half-close; retransmission of SYN, FIN and data from a retransmission
 * queue; TIME-WAIT.  Modular sequence arithmetic: numbers wrap at 2^32.
 * Delayed ACKs are an option (struct tcp_opts).  Not implemented:
 * congestion control, out-of-order queueing (a segment beyond
 * RCV.NXT is answered with an ACK and dropped), urgent data, options.
 */
#ifndef TCP_H
#define TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 9293, 3.3.2: the eleven states. */
enum tcp_state {
    TCP_CLOSED,
    TCP_LISTEN,
    TCP_SYN_SENT,
    TCP_SYN_RECEIVED,
    TCP_ESTABLISHED,
    TCP_FIN_WAIT_1,
    TCP_FIN_WAIT_2,
    TCP_CLOSE_WAIT,
    TCP_CLOSING,
    TCP_LAST_ACK,
    TCP_TIME_WAIT,
    TCP_NSTATES
};

/* Control bits (RFC 9293, 3.1), as in struct trace_segment. */
enum {
    TCP_FIN = 1 << 0,
    TCP_SYN = 1 << 1,
    TCP_RST = 1 << 2,
    TCP_PSH = 1 << 3,
    TCP_ACK = 1 << 4,
    TCP_URG = 1 << 5,
};

/* A segment: header fields that matter here, and the length of its text. */
struct tcp_seg {
    unsigned flags;
    uint32_t seq, ack, wnd, len;
};

/* What the user calls can answer (RFC 9293, 3.10: "error: ..."). */
enum tcp_err {
    TCP_OK,
    TCP_ERR_EXISTS,   /* "connection already exists" */
    TCP_ERR_NOCONN,   /* "connection does not exist" */
    TCP_ERR_CLOSING,  /* "connection closing" */
    TCP_ERR_LISTEN,   /* SEND on a passive (LISTEN) connection */
    TCP_ERR_NOTIMER,  /* the timer fired with nothing awaiting an ACK */
    TCP_ERR_NOTW,     /* TIME-WAIT ended while not in TIME-WAIT */
    TCP_ERR_TOOMUCH,  /* SEND beyond TCP_MAX_QUEUE bytes */
};

/* Callbacks: ctx is struct tcp_io.ctx.  send is called for every segment
 * the endpoint emits, in order (retransmit: a copy sent by the timer);
 * state for every state change. */
struct tcp_io {
    void (*send)(void *ctx, const struct tcp_seg *s, bool retransmit);
    void (*state)(void *ctx, enum tcp_state from, enum tcp_state to);
    void *ctx;
};

struct tcp_opts {
    uint32_t iss;  /* initial send sequence number */
    uint32_t wnd;  /* receive window offered (RCV.WND), 1..65535 */
    uint32_t mss;  /* largest text per segment, >= 1 */
    /* Delay ACKs (RFC 9293, 3.8.6.3): an ACK owed for text or a FIN waits
     * for a segment to ride on, or for the delayed-ACK timer (fired by
     * tcp_timeout()); the second segment of text is acknowledged at once.
     * Off: every arrival that needs an ACK gets one at once. */
    bool delayed_ack;
    /* Teaching variant: a passive endpoint answers a SYN with two
     * segments, a bare ACK and then a bare SYN.  Not RFC 9293. */
    bool split_syn_ack;
    /* The other half of the variant: in SYN-SENT, take an acceptable ACK
     * without SYN (RFC 9293 3.10.7.3 drops it) and wait for the SYN. */
    bool accept_split;
};

#define TCP_MAX_QUEUE (1u << 24) /* bytes of unsent user data */

/* One endpoint.  Fields are read by the caller for display only (the
 * trace); change them through the functions below. */
struct tcp {
    enum tcp_state state;
    enum tcp_state reported; /* the state io.state last heard of */
    struct tcp_opts o;
    struct tcp_io io;
    bool passive; /* opened by a passive OPEN (SYN-RECEIVED -> LISTEN) */
    /* RFC 9293, 3.3.1: send and receive sequence variables */
    uint32_t iss, snd_una, snd_nxt, snd_wnd, snd_wl1, snd_wl2;
    uint32_t irs, rcv_nxt, rcv_wnd;
    uint32_t unsent;   /* bytes SENT by the user, not yet segmentized */
    bool sends_issued; /* a SEND came before the connection was open */
    bool fin_queued;   /* CLOSE was called: FIN follows the last data */
    bool fin_sent;
    uint32_t fin_seq;
    bool ack_pending;  /* a delayed ACK is owed */  /* sequence number of our FIN once sent */
    /* retransmission queue: segments that occupy sequence space, oldest
     * first (RFC 9293, 3.8.1) */
    struct tcp_seg *rtx;
    size_t nrtx, rtx_cap;
};

/* Sets up a CLOSED endpoint (no TCB yet in the RFC's words). */
void tcp_init(struct tcp *t, const struct tcp_opts *o, const struct tcp_io *io);
/* Frees the retransmission queue. */
void tcp_fini(struct tcp *t);

/* Puts both endpoints in ESTABLISHED as after a three-way handshake
 * with no segments shown (a scenario's `start: established`).  No
 * callbacks are made. */
void tcp_establish_pair(struct tcp *a, struct tcp *b);

/* User calls (RFC 9293, 3.10.1-3.10.5).  Each returns TCP_OK or the error
 * the RFC names; on error nothing changed. */
enum tcp_err tcp_open(struct tcp *t, bool passive);
enum tcp_err tcp_send(struct tcp *t, uint32_t len);
enum tcp_err tcp_close(struct tcp *t);
enum tcp_err tcp_abort(struct tcp *t);

/* Timers (3.10.8).  tcp_timeout: the next timer fires: a delayed ACK
 * when one is owed (its timer is the shorter), else the retransmission
 * timer, which sends the oldest unacknowledged segment again.  tcp_time_wait_end: the
 * 2 MSL timer fired in TIME-WAIT: the endpoint goes to CLOSED. */
enum tcp_err tcp_timeout(struct tcp *t);
enum tcp_err tcp_time_wait_end(struct tcp *t);
/* True when the delayed-ACK or the retransmission timer would be
 * running. */
bool tcp_timer_running(const struct tcp *t);

/* SEGMENT ARRIVES (3.10.7).  Returns true when the segment was used,
 * false when it was discarded (answers such as an ACK or a RST may still
 * have been sent). */
bool tcp_input(struct tcp *t, const struct tcp_seg *s);

/* True for ESTABLISHED and later states (RFC 9293's "synchronized"). */
bool tcp_is_synchronized(enum tcp_state s);
/* The RFC's text for an error: "connection does not exist"... */
const char *tcp_strerror(enum tcp_err e);
/* The state as RFC 9293 spells it: "SYN-SENT", "TIME-WAIT"... */
const char *tcp_state_name(enum tcp_state s);

/* Sequence-number comparisons modulo 2^32 (RFC 9293, 3.4). */
static inline bool
tcp_seq_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

static inline bool
tcp_seq_leq(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) <= 0;
}

#endif

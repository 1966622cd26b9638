/*
 * tcp: one RFC 9293 endpoint (see tcp.h).  Section numbers refer to RFC
 * 9293 ("Transmission Control Protocol (TCP)", August 2022).
 *
 * Layout, after lwIP's tcp_in.c: the user calls first (3.10.1-3.10.5), then
 * segment arrival with one function per group of states (3.10.7.1 CLOSED,
 * 3.10.7.2 LISTEN, 3.10.7.3 SYN-SENT, 3.10.7.4 the others, whose steps are
 * numbered as in the RFC), then the timers (3.10.8).
 *
 * State changes are reported through io.state lazily: a change is told
 * just before the next segment leaves, or when the call returns, so that
 * one arrival that passes through a state on its way to another (a FIN
 * that also acknowledges ours: FIN-WAIT-1 -> FIN-WAIT-2 -> TIME-WAIT)
 * shows as one change, the way the RFC's figures draw it.
 */
#include "tcp.h"

#include <stdlib.h>
#include <string.h>

#include "xmem.h"

/* ---- small helpers ---------------------------------------------------- */

static void
set_state(struct tcp *t, enum tcp_state s)
{
    t->state = s;
}

/* Tells io.state about a change not yet reported. */
static void
flush_state(struct tcp *t)
{
    if (t->reported != t->state) {
        if (t->io.state != NULL)
            t->io.state(t->io.ctx, t->reported, t->state);
        t->reported = t->state;
    }
}

/* Sends one segment: reports a pending state change first. */
static void
emit(struct tcp *t, unsigned flags, uint32_t seq, uint32_t ack, uint32_t len,
     bool retransmit)
{
    struct tcp_seg s;

    flush_state(t);
    s.flags = flags;
    s.seq = seq;
    s.ack = (flags & TCP_ACK) ? ack : 0;
    s.wnd = (flags & TCP_RST) ? 0 : t->rcv_wnd;
    s.len = len;
    if (flags & TCP_ACK)
        t->ack_pending = false; /* the ACK rides on this segment */
    if (t->io.send != NULL)
        t->io.send(t->io.ctx, &s, retransmit);
}

/* Segment length in sequence space: text plus SYN and FIN (3.4). */
static uint32_t
seg_space(const struct tcp_seg *s)
{
    return s->len + !!(s->flags & TCP_SYN) + !!(s->flags & TCP_FIN);
}

static void
rtx_push(struct tcp *t, unsigned flags, uint32_t seq, uint32_t len)
{
    struct tcp_seg *s;

    if (t->nrtx == t->rtx_cap) {
        t->rtx_cap = t->rtx_cap ? t->rtx_cap * 2 : 8;
        t->rtx = xreallocarray(t->rtx, t->rtx_cap, sizeof *t->rtx);
    }
    s = &t->rtx[t->nrtx++];
    s->flags = flags;
    s->seq = seq;
    s->ack = 0;
    s->wnd = 0;
    s->len = len;
}

/* Drops from the retransmission queue what SND.UNA now covers (3.10.7.4,
 * fifth, ESTABLISHED: "Any segments on the retransmission queue that are
 * thereby entirely acknowledged are removed"). */
static void
rtx_ack(struct tcp *t)
{
    size_t keep = 0, i;

    for (i = 0; i < t->nrtx; i++) {
        const struct tcp_seg *s = &t->rtx[i];
        if (!tcp_seq_leq(s->seq + seg_space(s), t->snd_una))
            t->rtx[keep++] = *s;
    }
    t->nrtx = keep;
}

/* Back to CLOSED: "delete the TCB" (3.10.4, 3.10.7). */
static void
to_closed(struct tcp *t)
{
    set_state(t, TCP_CLOSED);
    t->nrtx = 0;
    t->unsent = 0;
    t->sends_issued = false;
    t->fin_queued = false;
    t->fin_sent = false;
    t->ack_pending = false;
    t->passive = false;
}

/* Back to LISTEN from SYN-RECEIVED after a RST or SYN (3.10.7.4). */
static void
to_listen(struct tcp *t)
{
    to_closed(t);
    t->passive = true;
    set_state(t, TCP_LISTEN);
}

static bool
fin_acked(const struct tcp *t)
{
    return t->fin_sent && tcp_seq_lt(t->fin_seq, t->snd_una);
}

/*
 * Segmentizes queued data and, once it is all out, a queued FIN (3.10.2
 * SEND, 3.10.4 CLOSE).  Data goes out as far as the send window allows,
 * in segments of at most MSS bytes, each PSH, ACK.  Returns true when it
 * sent anything (which carries the ACK a caller may owe).
 */
static bool
output(struct tcp *t)
{
    bool sent = false;

    switch (t->state) {
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
    case TCP_FIN_WAIT_1:
    case TCP_LAST_ACK:
        break;
    default:
        return false;
    }
    while (t->unsent > 0) {
        uint32_t in_flight = t->snd_nxt - t->snd_una;
        uint32_t usable = t->snd_wnd > in_flight ? t->snd_wnd - in_flight : 0;
        uint32_t n = t->unsent;

        if (n > t->o.mss)
            n = t->o.mss;
        if (n > usable)
            n = usable;
        if (n == 0)
            break;
        emit(t, TCP_PSH | TCP_ACK, t->snd_nxt, t->rcv_nxt, n, false);
        rtx_push(t, TCP_PSH | TCP_ACK, t->snd_nxt, n);
        t->snd_nxt += n;
        t->unsent -= n;
        sent = true;
    }
    if (t->fin_queued && !t->fin_sent && t->unsent == 0 &&
        (t->state == TCP_FIN_WAIT_1 || t->state == TCP_LAST_ACK)) {
        emit(t, TCP_FIN | TCP_ACK, t->snd_nxt, t->rcv_nxt, 0, false);
        rtx_push(t, TCP_FIN | TCP_ACK, t->snd_nxt, 0);
        t->fin_sent = true;
        t->fin_seq = t->snd_nxt;
        t->snd_nxt++;
        sent = true;
    }
    return sent;
}

/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
static void
send_ack(struct tcp *t)
{
    emit(t, TCP_ACK, t->snd_nxt, t->rcv_nxt, 0, false);
}

/* ---- set-up ----------------------------------------------------------- */

void
tcp_init(struct tcp *t, const struct tcp_opts *o, const struct tcp_io *io)
{
    memset(t, 0, sizeof *t);
    t->o = *o;
    if (t->o.wnd == 0)
        t->o.wnd = 65535;
    if (t->o.mss == 0)
        t->o.mss = 1460;
    if (io != NULL)
        t->io = *io;
    t->state = t->reported = TCP_CLOSED;
    t->iss = o->iss;
    t->rcv_wnd = t->o.wnd;
}

void
tcp_fini(struct tcp *t)
{
    free(t->rtx);
    t->rtx = NULL;
    t->nrtx = t->rtx_cap = 0;
}

void
tcp_establish_pair(struct tcp *a, struct tcp *b)
{
    struct tcp *p[2] = {a, b};
    int i;

    for (i = 0; i < 2; i++) {
        struct tcp *t = p[i], *peer = p[1 - i];
        t->state = t->reported = TCP_ESTABLISHED;
        t->snd_una = t->snd_nxt = t->iss + 1;
        t->irs = peer->iss;
        t->rcv_nxt = peer->iss + 1;
        t->snd_wnd = peer->rcv_wnd;
        t->snd_wl1 = t->irs + 1;
        t->snd_wl2 = t->snd_una;
    }
}

/* ---- user calls (3.10.1 - 3.10.5) ------------------------------------- */

/* 3.10.1 OPEN Call */
enum tcp_err
tcp_open(struct tcp *t, bool passive)
{
    if (t->state == TCP_CLOSED && passive) {
        t->passive = true;
        set_state(t, TCP_LISTEN);
    } else if (t->state == TCP_CLOSED || (t->state == TCP_LISTEN && !passive)) {
        /* active OPEN, from CLOSED or turning a LISTEN active: "select an
         * ISS.  Send a SYN segment, set SND.UNA to ISS, SND.NXT to ISS+1.
         * Enter SYN-SENT state." */
        t->passive = false;
        t->snd_una = t->iss;
        t->snd_nxt = t->iss + 1;
        set_state(t, TCP_SYN_SENT);
        emit(t, TCP_SYN, t->iss, 0, 0, false);
        rtx_push(t, TCP_SYN, t->iss, 0);
    } else {
        return TCP_ERR_EXISTS; /* "error: connection already exists" */
    }
    flush_state(t);
    return TCP_OK;
}

/* 3.10.2 SEND Call */
enum tcp_err
tcp_send(struct tcp *t, uint32_t len)
{
    if (len > TCP_MAX_QUEUE || t->unsent > TCP_MAX_QUEUE - len)
        return TCP_ERR_TOOMUCH;
    switch (t->state) {
    case TCP_CLOSED:
        return TCP_ERR_NOCONN;
    case TCP_LISTEN:
        /* The RFC lets a SEND with a foreign socket turn LISTEN active;
         * a scenario says `connect` for that. */
        return TCP_ERR_LISTEN;
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
        /* "Queue the data for transmission after entering ESTABLISHED" */
        t->unsent += len;
        t->sends_issued = true;
        return TCP_OK;
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT:
        /* "Segmentize the buffer and send it with a piggybacked
         * acknowledgment (acknowledgment value = RCV.NXT)." */
        t->unsent += len;
        output(t);
        flush_state(t);
        return TCP_OK;
    default:
        return TCP_ERR_CLOSING; /* "error: connection closing" */
    }
}

/* 3.10.4 CLOSE Call */
enum tcp_err
tcp_close(struct tcp *t)
{
    switch (t->state) {
    case TCP_CLOSED:
        return TCP_ERR_NOCONN;
    case TCP_LISTEN:
    case TCP_SYN_SENT:
        /* "Any outstanding RECEIVEs are returned with 'error: closing'
         * responses.  Delete TCB, enter CLOSED state" */
        to_closed(t);
        break;
    case TCP_SYN_RECEIVED:
        /* "If no SENDs have been issued and there is no pending data to
         * send, then form a FIN segment and send it, and enter FIN-WAIT-1
         * state; otherwise, queue for processing after entering
         * ESTABLISHED state." */
        t->fin_queued = true;
        if (!t->sends_issued && t->unsent == 0) {
            set_state(t, TCP_FIN_WAIT_1);
            output(t);
        }
        break;
    case TCP_ESTABLISHED:
        /* "Queue this until all preceding SENDs have been segmentized,
         * then form a FIN segment and send it.  In any case, enter
         * FIN-WAIT-1 state." */
        t->fin_queued = true;
        set_state(t, TCP_FIN_WAIT_1);
        output(t);
        break;
    case TCP_CLOSE_WAIT:
        /* "Queue this request until all preceding SENDs have been
         * segmentized; then send a FIN segment, enter LAST-ACK state." */
        t->fin_queued = true;
        set_state(t, TCP_LAST_ACK);
        output(t);
        break;
    default:
        /* FIN-WAIT-1, FIN-WAIT-2 ("strictly speaking, this is an error"),
         * CLOSING, LAST-ACK, TIME-WAIT */
        return TCP_ERR_CLOSING;
    }
    flush_state(t);
    return TCP_OK;
}

/* 3.10.5 ABORT Call */
enum tcp_err
tcp_abort(struct tcp *t)
{
    switch (t->state) {
    case TCP_CLOSED:
        return TCP_ERR_NOCONN;
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT: {
        /* "Send a reset segment: <SEQ=SND.NXT><CTL=RST>" */
        uint32_t seq = t->snd_nxt;
        to_closed(t);
        emit(t, TCP_RST, seq, 0, 0, false);
        break;
    }
    default:
        /* LISTEN, SYN-SENT, CLOSING, LAST-ACK, TIME-WAIT: "Respond with
         * 'ok' and delete the TCB, enter CLOSED state" */
        to_closed(t);
        break;
    }
    flush_state(t);
    return TCP_OK;
}

/* ---- timers (3.10.8) -------------------------------------------------- */

bool
tcp_timer_running(const struct tcp *t)
{
    return t->ack_pending ||
           (t->nrtx > 0 && t->state != TCP_CLOSED && t->state != TCP_LISTEN &&
            t->state != TCP_TIME_WAIT);
}

/* "For any state if the retransmission timeout expires on a segment in
 * the retransmission queue, send the segment at the front of the
 * retransmission queue again" */
enum tcp_err
tcp_timeout(struct tcp *t)
{
    const struct tcp_seg *s;

    if (!tcp_timer_running(t))
        return TCP_ERR_NOTIMER;
    if (t->ack_pending) {
        /* 3.8.6.3: the delayed ACK "MUST" leave within 0.5 seconds, before
         * any retransmission timeout (at least 1 second, 3.8.1) */
        send_ack(t);
        flush_state(t);
        return TCP_OK;
    }
    s = &t->rtx[0];
    emit(t, s->flags, s->seq, t->rcv_nxt, s->len, true);
    flush_state(t);
    return TCP_OK;
}

/* "If the time-wait timeout expires on a connection, delete the TCB,
 * enter the CLOSED state, and return." */
enum tcp_err
tcp_time_wait_end(struct tcp *t)
{
    if (t->state != TCP_TIME_WAIT)
        return TCP_ERR_NOTW;
    to_closed(t);
    flush_state(t);
    return TCP_OK;
}

/* ---- segment arrival (3.10.7) ----------------------------------------- */

/* 3.10.7.1: CLOSED.  "An incoming segment not containing a RST causes a
 * RST to be sent in response." */
static bool
closed_input(struct tcp *t, const struct tcp_seg *s)
{
    if (s->flags & TCP_RST)
        return false;
    if (s->flags & TCP_ACK)
        emit(t, TCP_RST, s->ack, 0, 0, false); /* <SEQ=SEG.ACK><CTL=RST> */
    else /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
        emit(t, TCP_RST | TCP_ACK, 0, s->seq + seg_space(s), 0, false);
    return false;
}

/* 3.10.7.2: LISTEN */
static bool
listen_input(struct tcp *t, const struct tcp_seg *s)
{
    /* "First, check for a RST: an incoming RST should be ignored." */
    if (s->flags & TCP_RST)
        return false;
    /* "Second, check for an ACK: any acknowledgment is bad if it arrives
     * on a connection still in the LISTEN state.  An acceptable reset
     * segment should be formed for any arriving ACK-bearing segment:
     * <SEQ=SEG.ACK><CTL=RST>" */
    if (s->flags & TCP_ACK) {
        emit(t, TCP_RST, s->ack, 0, 0, false);
        return false;
    }
    /* "Third, check for a SYN": set RCV.NXT to SEG.SEQ+1, IRS to SEG.SEQ,
     * send <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, SND.NXT = ISS+1,
     * SND.UNA = ISS, enter SYN-RECEIVED. */
    if (s->flags & TCP_SYN) {
        t->irs = s->seq;
        t->rcv_nxt = s->seq + 1;
        t->snd_wnd = s->wnd;
        t->snd_wl1 = s->seq;
        t->snd_una = t->iss;
        t->snd_nxt = t->iss + 1;
        set_state(t, TCP_SYN_RECEIVED);
        if (t->o.split_syn_ack) {
            /* teaching variant: the ACK of the peer's SYN and our own SYN
             * leave as two segments */
            emit(t, TCP_ACK, t->iss, t->rcv_nxt, 0, false);
            emit(t, TCP_SYN, t->iss, 0, 0, false);
            rtx_push(t, TCP_SYN, t->iss, 0);
        } else {
            emit(t, TCP_SYN | TCP_ACK, t->iss, t->rcv_nxt, 0, false);
            rtx_push(t, TCP_SYN | TCP_ACK, t->iss, 0);
        }
        return true;
    }
    /* "Fourth, other data or control ... drop the segment and return." */
    return false;
}

/* 3.10.7.3: SYN-SENT */
static bool
syn_sent_input(struct tcp *t, const struct tcp_seg *s)
{
    bool ack_ok = false;

    /* "First, check the ACK bit": "If SEG.ACK =< ISS or SEG.ACK > SND.NXT,
     * send a reset (unless the RST bit is set, if so drop the segment and
     * return) <SEQ=SEG.ACK><CTL=RST>"; "If SND.UNA < SEG.ACK =< SND.NXT,
     * then the ACK is acceptable." */
    if (s->flags & TCP_ACK) {
        if (tcp_seq_leq(s->ack, t->iss) || tcp_seq_lt(t->snd_nxt, s->ack)) {
            if (!(s->flags & TCP_RST))
                emit(t, TCP_RST, s->ack, 0, 0, false);
            return false;
        }
        ack_ok = tcp_seq_lt(t->snd_una, s->ack) &&
                 tcp_seq_leq(s->ack, t->snd_nxt);
    }
    /* "Second, check the RST bit": with an acceptable ACK, "signal to the
     * user 'error: connection reset', drop the segment, enter CLOSED
     * state"; otherwise drop it. */
    if (s->flags & TCP_RST) {
        if (!ack_ok)
            return false;
        to_closed(t);
        return true;
    }
    /* "Fourth, check the SYN bit" (reached only if the ACK is ok or
     * there is no ACK) */
    if (s->flags & TCP_SYN) {
        if ((s->flags & TCP_ACK) && !ack_ok)
            return false;
        t->irs = s->seq;
        t->rcv_nxt = s->seq + 1;
        if (s->flags & TCP_ACK) {
            t->snd_una = s->ack;
            rtx_ack(t);
        }
        t->snd_wnd = s->wnd;
        t->snd_wl1 = s->seq;
        t->snd_wl2 = s->ack;
        if (tcp_seq_lt(t->iss, t->snd_una)) {
            /* "If SND.UNA > ISS (our SYN has been ACKed), change the
             * connection state to ESTABLISHED, form an ACK segment
             * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it.  Data or
             * controls that were queued for transmission MAY be
             * included." */
            set_state(t, TCP_ESTABLISHED);
            if (!output(t))
                send_ack(t);
        } else {
            /* "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment
             * <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it."
             * (simultaneous open) */
            set_state(t, TCP_SYN_RECEIVED);
            if (t->nrtx > 0)
                t->rtx[0].flags |= TCP_ACK; /* the SYN now carries ACK */
            emit(t, TCP_SYN | TCP_ACK, t->iss, t->rcv_nxt, 0, false);
        }
        return true;
    }
    /* Teaching variant: take the bare ACK of our SYN and wait for the
     * peer's SYN (RFC 9293 drops it: "Fifth, if neither of the SYN or RST
     * bits is set, then drop the segment and return."). */
    if (t->o.accept_split && ack_ok) {
        t->snd_una = s->ack;
        rtx_ack(t);
        return true;
    }
    return false;
}

/* 3.10.7.4, first: is the segment acceptable?  Trims what lies before
 * RCV.NXT ("the idealized segment that begins at RCV.NXT"): a duplicate
 * SYN is dropped from the segment, duplicate text and a duplicate FIN too,
 * and *dup says an ACK is owed for them. */
static bool
acceptable(const struct tcp *t, struct tcp_seg *s, bool *dup)
{
    uint32_t wnd = t->rcv_wnd, space = seg_space(s);

    *dup = false;
    if (!(s->flags & TCP_RST) && tcp_seq_lt(s->seq, t->rcv_nxt)) {
        uint32_t old = t->rcv_nxt - s->seq;

        if (s->flags & TCP_SYN) { /* the SYN comes first */
            s->flags &= ~(unsigned)TCP_SYN;
            s->seq++;
            old--;
        }
        if (old > 0) {
            uint32_t n = old < s->len ? old : s->len;
            s->seq += n;
            s->len -= n;
            old -= n;
            *dup = true;
        }
        if (old > 0 && (s->flags & TCP_FIN)) {
            s->flags &= ~(unsigned)TCP_FIN;
            s->seq++;
            old--;
        }
        if (old > 0) /* older than anything in the window */
            return false;
        space = seg_space(s);
    }
    /* The four cases of the acceptability test */
    if (space == 0) {
        if (wnd == 0)
            return s->seq == t->rcv_nxt;
        return tcp_seq_leq(t->rcv_nxt, s->seq) &&
               tcp_seq_lt(s->seq, t->rcv_nxt + wnd);
    }
    if (wnd == 0)
        return false;
    return (tcp_seq_leq(t->rcv_nxt, s->seq) &&
            tcp_seq_lt(s->seq, t->rcv_nxt + wnd)) ||
           (tcp_seq_leq(t->rcv_nxt, s->seq + space - 1) &&
            tcp_seq_lt(s->seq + space - 1, t->rcv_nxt + wnd));
}

/* 3.10.7.4: SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT,
 * CLOSING, LAST-ACK, TIME-WAIT */
static bool
other_input(struct tcp *t, const struct tcp_seg *in)
{
    struct tcp_seg seg = *in, *s = &seg;
    bool owe_ack = false, now = false, dup;

    /* First, check sequence number: "If an incoming segment is not
     * acceptable, an acknowledgment should be sent in reply (unless the
     * RST bit is set, if so drop the segment and return)" */
    if (!acceptable(t, s, &dup)) {
        if (!(s->flags & TCP_RST))
            send_ack(t);
        return false;
    }
    owe_ack = now = dup; /* duplicates are acknowledged at once */

    /* Second, check the RST bit.  RFC 5961 (adopted by 3.10.7.4): reset
     * only when the sequence number is exactly RCV.NXT; otherwise send a
     * challenge ACK. */
    if (s->flags & TCP_RST) {
        if (s->seq != t->rcv_nxt) {
            send_ack(t);
            return false;
        }
        if (t->state == TCP_SYN_RECEIVED && t->passive)
            to_listen(t); /* "return this connection to LISTEN state" */
        else
            to_closed(t); /* "connection refused" / "connection reset" */
        return true;
    }

    /* Third, security: not modelled.  Fourth, check the SYN bit: a SYN in
     * the window.  SYN-RECEIVED after a passive OPEN goes back to LISTEN;
     * otherwise "TCP endpoints MUST send a 'challenge ACK'" (RFC 5961). */
    if (s->flags & TCP_SYN) {
        if (t->state == TCP_SYN_RECEIVED && t->passive) {
            to_listen(t);
            return true;
        }
        send_ack(t);
        return false;
    }

    /* Fifth, check the ACK field: "if the ACK bit is off, drop the segment
     * and return" */
    if (!(s->flags & TCP_ACK)) {
        if (owe_ack)
            send_ack(t);
        return false;
    }
    if (t->state == TCP_SYN_RECEIVED) {
        /* "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state
         * and continue processing with the variables below set to:
         * SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ, SND.WL2 <- SEG.ACK".
         * "If the segment acknowledgment is not acceptable, form a reset
         * segment <SEQ=SEG.ACK><CTL=RST> and send it." */
        if (!(tcp_seq_lt(t->snd_una, s->ack) &&
              tcp_seq_leq(s->ack, t->snd_nxt))) {
            emit(t, TCP_RST, s->ack, 0, 0, false);
            return false;
        }
        /* a CLOSE queued in SYN-RECEIVED behind data goes on as from
         * ESTABLISHED: FIN-WAIT-1, the FIN after the data */
        set_state(t, t->fin_queued ? TCP_FIN_WAIT_1 : TCP_ESTABLISHED);
        t->snd_wnd = s->wnd;
        t->snd_wl1 = s->seq;
        t->snd_wl2 = s->ack;
    }
    /* ESTABLISHED and the states that share its ACK processing */
    if (tcp_seq_lt(t->snd_nxt, s->ack)) {
        /* "If the ACK acks something not yet sent (SEG.ACK > SND.NXT),
         * then send an ACK, drop the segment, and return." */
        send_ack(t);
        return false;
    }
    if (tcp_seq_lt(t->snd_una, s->ack)) {
        t->snd_una = s->ack;
        rtx_ack(t);
    }
    /* "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be
     * updated" when the segment is newer than the last update */
    if (tcp_seq_leq(t->snd_una, s->ack) &&
        (tcp_seq_lt(t->snd_wl1, s->seq) ||
         (t->snd_wl1 == s->seq && tcp_seq_leq(t->snd_wl2, s->ack)))) {
        t->snd_wnd = s->wnd;
        t->snd_wl1 = s->seq;
        t->snd_wl2 = s->ack;
    }
    switch (t->state) {
    case TCP_FIN_WAIT_1:
        /* "if the FIN segment is now acknowledged, then enter FIN-WAIT-2" */
        if (fin_acked(t))
            set_state(t, TCP_FIN_WAIT_2);
        break;
    case TCP_CLOSING:
        /* "if the ACK acknowledges our FIN, then enter the TIME-WAIT
         * state; otherwise, ignore the segment" */
        if (!fin_acked(t))
            return false;
        set_state(t, TCP_TIME_WAIT);
        break;
    case TCP_LAST_ACK:
        /* "If our FIN is now acknowledged, delete the TCB, enter the
         * CLOSED state, and return." */
        if (fin_acked(t)) {
            to_closed(t);
            return true;
        }
        break;
    default:
        break;
    }

    /* Sixth, the URG bit: not modelled.  Seventh, process the segment
     * text (ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2 only; in the other states
     * "this should not occur since a FIN has been received"). */
    if (tcp_seq_lt(t->rcv_nxt, s->seq)) {
        /* beyond RCV.NXT: not queued here; answered with an ACK of what
         * arrived in order */
        send_ack(t);
        return false;
    }
    if (s->len > 0 &&
        (t->state == TCP_ESTABLISHED || t->state == TCP_FIN_WAIT_1 ||
         t->state == TCP_FIN_WAIT_2)) {
        /* "advance RCV.NXT over the data accepted ... Send an
         * acknowledgment of the form <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"
         * (piggybacked on outgoing data when there is some) */
        t->rcv_nxt += s->len;
        owe_ack = true;
        /* "an ACK SHOULD be generated for at least every second
         * full-sized segment" (3.8.6.3): the second in a row goes now */
        if (t->ack_pending)
            now = true;
    }

    /* Eighth, check the FIN bit */
    if (s->flags & TCP_FIN) {
        /* "advance RCV.NXT over the FIN, and send an acknowledgment" */
        t->rcv_nxt++;
        owe_ack = true;
        switch (t->state) {
        case TCP_SYN_RECEIVED:
        case TCP_ESTABLISHED:
            set_state(t, TCP_CLOSE_WAIT);
            break;
        case TCP_FIN_WAIT_1:
            /* "If our FIN has been ACKed (perhaps in this segment), then
             * enter TIME-WAIT ... otherwise, enter the CLOSING state." */
            set_state(t, fin_acked(t) ? TCP_TIME_WAIT : TCP_CLOSING);
            break;
        case TCP_FIN_WAIT_2:
            set_state(t, TCP_TIME_WAIT);
            break;
        default: /* CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: remain */
            break;
        }
    }
    if (!output(t) && owe_ack) {
        if (t->o.delayed_ack && !now)
            t->ack_pending = true;
        else
            send_ack(t);
    }
    return true;
}

/* 3.10.7 SEGMENT ARRIVES */
bool
tcp_input(struct tcp *t, const struct tcp_seg *s)
{
    bool used;

    switch (t->state) {
    case TCP_CLOSED:
        used = closed_input(t, s);
        break;
    case TCP_LISTEN:
        used = listen_input(t, s);
        break;
    case TCP_SYN_SENT:
        used = syn_sent_input(t, s);
        break;
    default:
        used = other_input(t, s);
        break;
    }
    flush_state(t);
    return used;
}

/* ---- names ------------------------------------------------------------ */

bool
tcp_is_synchronized(enum tcp_state s)
{
    return s >= TCP_ESTABLISHED && s < TCP_NSTATES;
}

const char *
tcp_strerror(enum tcp_err e)
{
    switch (e) {
    case TCP_OK:
        return "ok";
    case TCP_ERR_EXISTS:
        return "connection already exists";
    case TCP_ERR_NOCONN:
        return "connection does not exist";
    case TCP_ERR_CLOSING:
        return "connection closing";
    case TCP_ERR_LISTEN:
        return "the connection is passive (LISTEN); data can only be sent "
               "once a peer has connected";
    case TCP_ERR_NOTIMER:
        return "no segment awaits acknowledgement, so the retransmission "
               "timer is not running";
    case TCP_ERR_NOTW:
        return "not in TIME-WAIT";
    case TCP_ERR_TOOMUCH:
        return "too much data queued";
    }
    return "?";
}

const char *
tcp_state_name(enum tcp_state s)
{
    static const char *const names[TCP_NSTATES] = {
        [TCP_CLOSED] = "CLOSED",
        [TCP_LISTEN] = "LISTEN",
        [TCP_SYN_SENT] = "SYN-SENT",
        [TCP_SYN_RECEIVED] = "SYN-RECEIVED",
        [TCP_ESTABLISHED] = "ESTABLISHED",
        [TCP_FIN_WAIT_1] = "FIN-WAIT-1",
        [TCP_FIN_WAIT_2] = "FIN-WAIT-2",
        [TCP_CLOSE_WAIT] = "CLOSE-WAIT",
        [TCP_CLOSING] = "CLOSING",
        [TCP_LAST_ACK] = "LAST-ACK",
        [TCP_TIME_WAIT] = "TIME-WAIT",
    };

    return (unsigned)s < TCP_NSTATES ? names[s] : "?";
}

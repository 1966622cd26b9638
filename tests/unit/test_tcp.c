/* Unit tests: tcp, one RFC 9293 endpoint at a time.  Each test drives an
 * endpoint with user calls and hand-made segments and checks what it sent
 * and which state it reached: one test per arrow of the state diagram
 * (RFC 9293, Figure 5) and per step of segment arrival (3.10.7). */
#include <string.h>

#include "tcp.h"
#include "tcheck.h"

/* What an endpoint did: segments sent and state changes, in order. */
struct log {
    struct tcp_seg out[16];
    bool rtx[16];
    int nout;
    enum tcp_state from[16], to[16];
    int nstates;
};

static void
on_send(void *ctx, const struct tcp_seg *s, bool retransmit)
{
    struct log *l = ctx;

    ck_assert_int_lt(l->nout, 16);
    l->rtx[l->nout] = retransmit;
    l->out[l->nout++] = *s;
}

static void
on_state(void *ctx, enum tcp_state from, enum tcp_state to)
{
    struct log *l = ctx;

    ck_assert_int_lt(l->nstates, 16);
    ck_assert_int_ne(from, to);
    l->from[l->nstates] = from;
    l->to[l->nstates++] = to;
}

static struct log L;
static struct tcp T;

enum { ISS = 1000, PEER = 5000, WND = 65535 };

static void
fresh(uint32_t iss)
{
    struct tcp_opts o = {.iss = iss, .wnd = WND, .mss = 1460};
    struct tcp_io io = {on_send, on_state, &L};

    memset(&L, 0, sizeof L);
    tcp_fini(&T);
    tcp_init(&T, &o, &io);
}

static void
clear_log(void)
{
    memset(&L, 0, sizeof L);
}

static struct tcp_seg
seg(unsigned flags, uint32_t seq, uint32_t ack, uint32_t len)
{
    struct tcp_seg s = {flags, seq, ack, WND, len};
    return s;
}

static bool
input(unsigned flags, uint32_t seq, uint32_t ack, uint32_t len)
{
    struct tcp_seg s = seg(flags, seq, ack, len);
    return tcp_input(&T, &s);
}

#define SENT(i, f, sq, ak, ln)                                                \
    do {                                                                      \
        ck_assert_int_gt(L.nout, (i));                                        \
        ck_assert_uint_eq(L.out[i].flags, (unsigned)(f));                     \
        ck_assert_uint_eq(L.out[i].seq, (uint32_t)(sq));                      \
        ck_assert_uint_eq(L.out[i].ack, (uint32_t)(ak));                      \
        ck_assert_uint_eq(L.out[i].len, (uint32_t)(ln));                      \
    } while (0)

/* Endpoint ESTABLISHED with a peer whose ISS is PEER. */
static void
established(void)
{
    struct tcp peer;
    struct tcp_opts o = {.iss = PEER, .wnd = WND, .mss = 1460};

    fresh(ISS);
    tcp_init(&peer, &o, NULL);
    tcp_establish_pair(&T, &peer);
    tcp_fini(&peer);
    clear_log();
}

/* ESTABLISHED, then CLOSE: FIN-WAIT-1 with our FIN (seq ISS+1) out. */
static void
fin_wait_1(void)
{
    established();
    ck_assert_int_eq(tcp_close(&T), TCP_OK);
    clear_log();
}

static void
close_wait(void)
{
    established();
    input(TCP_FIN | TCP_ACK, PEER + 1, ISS + 1, 0);
    ck_assert_int_eq(T.state, TCP_CLOSE_WAIT);
    clear_log();
}

/* Passive open, a SYN arrives: SYN-RECEIVED. */
static void
syn_received(void)
{
    fresh(ISS);
    tcp_open(&T, true);
    input(TCP_SYN, PEER, 0, 0);
    ck_assert_int_eq(T.state, TCP_SYN_RECEIVED);
    clear_log();
}

/* ---- the arrows of Figure 5 ---- */

START_TEST(closed_to_listen_on_passive_open)
{
    fresh(ISS);
    ck_assert_int_eq(tcp_open(&T, true), TCP_OK);
    ck_assert_int_eq(T.state, TCP_LISTEN);
    ck_assert_int_eq(L.nout, 0);
    ck_assert_int_eq(L.nstates, 1);
    ck_assert_int_eq(L.from[0], TCP_CLOSED);
    ck_assert_int_eq(L.to[0], TCP_LISTEN);
}
END_TEST

START_TEST(closed_to_syn_sent_on_active_open)
{
    fresh(ISS);
    ck_assert_int_eq(tcp_open(&T, false), TCP_OK);
    ck_assert_int_eq(T.state, TCP_SYN_SENT);
    ck_assert_int_eq(L.nout, 1);
    SENT(0, TCP_SYN, ISS, 0, 0);
    ck_assert_uint_eq(T.snd_una, ISS);
    ck_assert_uint_eq(T.snd_nxt, ISS + 1);
    ck_assert(tcp_timer_running(&T));
}
END_TEST

START_TEST(listen_to_syn_received_on_syn)
{
    fresh(ISS);
    tcp_open(&T, true);
    clear_log();
    ck_assert(input(TCP_SYN, PEER, 0, 0));
    ck_assert_int_eq(T.state, TCP_SYN_RECEIVED);
    ck_assert_int_eq(L.nout, 1);
    SENT(0, TCP_SYN | TCP_ACK, ISS, PEER + 1, 0);
    ck_assert_uint_eq(T.irs, PEER);
    ck_assert_uint_eq(T.rcv_nxt, PEER + 1);
}
END_TEST

START_TEST(listen_to_syn_sent_on_send_with_foreign_socket)
{
    /* RFC: "SEND" from LISTEN turns the connection active; here the
     * scenario says 'connect' */
    fresh(ISS);
    tcp_open(&T, true);
    clear_log();
    ck_assert_int_eq(tcp_send(&T, 10), TCP_ERR_LISTEN);
    ck_assert_int_eq(tcp_open(&T, false), TCP_OK);
    ck_assert_int_eq(T.state, TCP_SYN_SENT);
    SENT(0, TCP_SYN, ISS, 0, 0);
}
END_TEST

START_TEST(listen_to_closed_on_close)
{
    fresh(ISS);
    tcp_open(&T, true);
    ck_assert_int_eq(tcp_close(&T), TCP_OK);
    ck_assert_int_eq(T.state, TCP_CLOSED);
    ck_assert_int_eq(L.nout, 0);
}
END_TEST

START_TEST(syn_sent_to_closed_on_close)
{
    fresh(ISS);
    tcp_open(&T, false);
    clear_log();
    ck_assert_int_eq(tcp_close(&T), TCP_OK);
    ck_assert_int_eq(T.state, TCP_CLOSED);
    ck_assert_int_eq(L.nout, 0);
    ck_assert(!tcp_timer_running(&T));
}
END_TEST

START_TEST(syn_sent_to_syn_received_on_syn_simultaneous_open)
{
    fresh(ISS);
    tcp_open(&T, false);
    clear_log();
    ck_assert(input(TCP_SYN, PEER, 0, 0));
    ck_assert_int_eq(T.state, TCP_SYN_RECEIVED);
    SENT(0, TCP_SYN | TCP_ACK, ISS, PEER + 1, 0);
    /* the peer's SYN, ACK: its SYN is old news, its ACK completes ours */
    clear_log();
    ck_assert(input(TCP_SYN | TCP_ACK, PEER, ISS + 1, 0));
    ck_assert_int_eq(T.state, TCP_ESTABLISHED);
    ck_assert_int_eq(L.nout, 0); /* RFC 9293 Figure 7: no fifth segment */
}
END_TEST

START_TEST(syn_sent_to_established_on_syn_ack)
{
    fresh(ISS);
    tcp_open(&T, false);
    clear_log();
    ck_assert(input(TCP_SYN | TCP_ACK, PEER, ISS + 1, 0));
    ck_assert_int_eq(T.state, TCP_ESTABLISHED);
    ck_assert_int_eq(L.nout, 1);
    SENT(0, TCP_ACK, ISS + 1, PEER + 1, 0);
    ck_assert_uint_eq(T.snd_una, ISS + 1);
    ck_assert(!tcp_timer_running(&T));
}
END_TEST

START_TEST(syn_received_to_established_on_ack)
{
    syn_received();
    ck_assert(input(TCP_ACK, PEER + 1, ISS + 1, 0));
    ck_assert_int_eq(T.state, TCP_ESTABLISHED);
    ck_assert_int_eq(L.nout, 0);
    ck_assert_uint_eq(T.snd_una, ISS + 1);
}
END_TEST

START_TEST(syn_received_to_fin_wait_1_on_close)
{
    syn_received();
    ck_assert_int_eq(tcp_close(&T), TCP_OK);
    ck_assert_int_eq(T.state, TCP_FIN_WAIT_1);
    SENT(0, TCP_FIN | TCP_ACK, ISS + 1, PEER + 1, 0);
}
END_TEST

START_TEST(syn_received_to_listen_on_rst)
{
    syn_received();
    ck_assert(input(TCP_RST, PEER + 1, 0, 0));
    ck_assert_int_eq(T.state, TCP_LISTEN);
    ck_assert_int_eq(L.nout, 0);
    /* an active open that met a simultaneous SYN goes to CLOSED instead */
    fresh(ISS);
    tcp_open(&T, false);
    input(TCP_SYN, PEER, 0, 0);
    ck_assert(input(TCP_RST, PEER + 1, 0, 0));
    ck_assert_int_eq(T.state, TCP_CLOSED);
}
END_TEST

START_TEST(established_to_fin_wait_1_on_close)
{
    established();
    ck_assert_int_eq(tcp_close(&T), TCP_OK);
    ck_assert_int_eq(T.state, TCP_FIN_WAIT_1);
    ck_assert_int_eq(L.nout, 1);
    SENT(0, TCP_FIN | TCP_ACK, ISS + 1, PEER + 1, 0);
    ck_assert_uint_eq(T.snd_nxt, ISS + 2);
}
END_TEST

START_TEST(established_to_close_wait_on_fin)
{
    established();
    ck_assert(input(TCP_FIN | TCP_ACK, PEER + 1, ISS + 1, 0));
    ck_assert_int_eq(T.state, TCP_CLOSE_WAIT);
    SENT(0, TCP_ACK, ISS + 1, PEER + 2, 0);
}
END_TEST

START_TEST(fin_wait_1_to_fin_wait_2_on_ack_of_fin)
{
    fin_wait_1();
    ck_assert(input(TCP_ACK, PEER + 1, ISS + 2, 0));
    ck_assert_int_eq(T.state, TCP_FIN_WAIT_2);
    ck_assert_int_eq(L.nout, 0);
}
END_TEST

START_TEST(fin_wait_1_to_closing_on_fin)
{
    fin_wait_1();
    ck_assert(input(TCP_FIN | TCP_ACK, PEER + 1, ISS + 1, 0));
    ck_assert_int_eq(T.state, TCP_CLOSING);
    SENT(0, TCP_ACK, ISS + 2, PEER + 2, 0);
}
END_TEST

START_TEST(fin_wait_1_to_time_wait_on_fin_with_ack_of_fin)
{
    fin_wait_1();
    ck_assert(input(TCP_FIN | TCP_ACK, PEER + 1, ISS + 2, 0));
    ck_assert_int_eq(T.state, TCP_TIME_WAIT);
    /* one reported change, not two */
    ck_assert_int_eq(L.nstates, 1);
    ck_assert_int_eq(L.from[0], TCP_FIN_WAIT_1);
    SENT(0, TCP_ACK, ISS + 2, PEER + 2, 0);
}
END_TEST

START_TEST(fin_wait_2_to_time_wait_on_fin)
{
    fin_wait_1();
    input(TCP_ACK, PEER + 1, ISS + 2, 0);
    clear_log();
    ck_assert(input(TCP_FIN | TCP_ACK, PEER + 1, ISS + 2, 0));
    ck_assert_int_eq(T.state, TCP_TIME_WAIT);
    SENT(0, TCP_ACK, ISS + 2, PEER + 2, 0);
}
END_TEST

START_TEST(closing_to_time_wait_on_ack_of_fin)
{
    fin_wait_1();
    input(TCP_FIN | TCP_ACK, PEER + 1, ISS + 1, 0);
    clear_log();
    /* an ACK that does not cover our FIN is ignored in CLOSING */
    ck_assert(!input(TCP_ACK, PEER + 2, ISS + 1, 0));
    ck_assert_int_eq(T.state, TCP_CLOSING);
    ck_assert(input(TCP_ACK, PEER + 2, ISS + 2, 0));
    ck_assert_int_eq(T.state, TCP_TIME_WAIT);
    ck_assert_int_eq(L.nout, 0);
}
END_TEST

START_TEST(close_wait_to_last_ack_on_close)
{
    close_wait();
    ck_assert_int_eq(tcp_close(&T), TCP_OK);
    ck_assert_int_eq(T.state, TCP_LAST_ACK);
    SENT(0, TCP_FIN | TCP_ACK, ISS + 1, PEER + 2, 0);
}
END_TEST

START_TEST(last_ack_to_closed_on_ack_of_fin)
{
    close_wait();
    tcp_close(&T);
    clear_log();
    ck_assert(input(TCP_ACK, PEER + 2, ISS + 2, 0));
    ck_assert_int_eq(T.state, TCP_CLOSED);
    ck_assert_int_eq(L.nout, 0);
}
END_TEST

START_TEST(time_wait_to_closed_after_2msl)
{
    fin_wait_1();
    input(TCP_FIN | TCP_ACK, PEER + 1, ISS + 2, 0);
    ck_assert_int_eq(T.state, TCP_TIME_WAIT);
    /* a retransmitted FIN is acknowledged again */
    clear_log();
    input(TCP_FIN | TCP_ACK, PEER + 1, ISS + 2, 0);
    ck_assert_int_eq(T.state, TCP_TIME_WAIT);
    SENT(0, TCP_ACK, ISS + 2, PEER + 2, 0);
    ck_assert_int_eq(tcp_time_wait_end(&T), TCP_OK);
    ck_assert_int_eq(T.state, TCP_CLOSED);
    ck_assert_int_eq(tcp_time_wait_end(&T), TCP_ERR_NOTW);
}
END_TEST

/* ---- user calls: the errors of 3.10 ---- */

START_TEST(user_calls_answer_the_rfc_errors)
{
    fresh(ISS);
    ck_assert_int_eq(tcp_send(&T, 1), TCP_ERR_NOCONN);
    ck_assert_int_eq(tcp_close(&T), TCP_ERR_NOCONN);
    ck_assert_int_eq(tcp_abort(&T), TCP_ERR_NOCONN);
    tcp_open(&T, false);
    ck_assert_int_eq(tcp_open(&T, false), TCP_ERR_EXISTS);
    ck_assert_int_eq(tcp_open(&T, true), TCP_ERR_EXISTS);
    fin_wait_1();
    ck_assert_int_eq(tcp_send(&T, 1), TCP_ERR_CLOSING);
    ck_assert_int_eq(tcp_close(&T), TCP_ERR_CLOSING);
    ck_assert_int_eq(L.nout, 0); /* no second FIN */
    ck_assert_str_eq(tcp_strerror(TCP_ERR_NOCONN), "connection does not exist");
    ck_assert_str_eq(tcp_state_name(TCP_FIN_WAIT_2), "FIN-WAIT-2");
    ck_assert_str_eq(tcp_state_name(TCP_SYN_RECEIVED), "SYN-RECEIVED");
}
END_TEST

START_TEST(send_queued_before_the_connection_opens)
{
    fresh(ISS);
    tcp_open(&T, false);
    ck_assert_int_eq(tcp_send(&T, 300), TCP_OK);
    clear_log();
    input(TCP_SYN | TCP_ACK, PEER, ISS + 1, 0);
    /* the queued data goes out with the ACK of the SYN, ACK */
    ck_assert_int_eq(L.nout, 1);
    SENT(0, TCP_PSH | TCP_ACK, ISS + 1, PEER + 1, 300);
}
END_TEST

START_TEST(data_is_cut_at_mss_and_window)
{
    established();
    T.o.mss = 1000;
    T.snd_wnd = 2500;
    ck_assert_int_eq(tcp_send(&T, 4000), TCP_OK);
    ck_assert_int_eq(L.nout, 3);
    SENT(0, TCP_PSH | TCP_ACK, ISS + 1, PEER + 1, 1000);
    SENT(1, TCP_PSH | TCP_ACK, ISS + 1001, PEER + 1, 1000);
    SENT(2, TCP_PSH | TCP_ACK, ISS + 2001, PEER + 1, 500);
    ck_assert_uint_eq(T.unsent, 1500);
    /* an ACK opens the window: the rest follows */
    clear_log();
    input(TCP_ACK, PEER + 1, ISS + 2501, 0);
    ck_assert_int_eq(L.nout, 2);
    SENT(0, TCP_PSH | TCP_ACK, ISS + 2501, PEER + 1, 1000);
    SENT(1, TCP_PSH | TCP_ACK, ISS + 3501, PEER + 1, 500);
}
END_TEST

START_TEST(close_sends_fin_after_queued_data)
{
    established();
    T.snd_wnd = 100;
    tcp_send(&T, 150);
    tcp_close(&T);
    ck_assert_int_eq(T.state, TCP_FIN_WAIT_1);
    ck_assert_int_eq(L.nout, 1); /* the window holds the FIN back too */
    clear_log();
    input(TCP_ACK, PEER + 1, ISS + 101, 0);
    ck_assert_int_eq(L.nout, 2);
    SENT(0, TCP_PSH | TCP_ACK, ISS + 101, PEER + 1, 50);
    SENT(1, TCP_FIN | TCP_ACK, ISS + 151, PEER + 1, 0);
}
END_TEST

START_TEST(abort_sends_rst_in_synchronized_states)
{
    established();
    ck_assert_int_eq(tcp_abort(&T), TCP_OK);
    ck_assert_int_eq(T.state, TCP_CLOSED);
    SENT(0, TCP_RST, ISS + 1, 0, 0);
    /* from SYN-SENT there is nobody to tell */
    fresh(ISS);
    tcp_open(&T, false);
    clear_log();
    tcp_abort(&T);
    ck_assert_int_eq(L.nout, 0);
    ck_assert_int_eq(T.state, TCP_CLOSED);
}
END_TEST

/* ---- 3.10.7.1 CLOSED ---- */

START_TEST(closed_answers_with_rst)
{
    fresh(ISS);
    ck_assert(!input(TCP_SYN, 777, 0, 0));
    SENT(0, TCP_RST | TCP_ACK, 0, 778, 0);
    clear_log();
    ck_assert(!input(TCP_ACK, 777, 4242, 10));
    SENT(0, TCP_RST, 4242, 0, 0);
    clear_log();
    ck_assert(!input(TCP_FIN, 10, 0, 5)); /* SEG.LEN counts text and FIN */
    SENT(0, TCP_RST | TCP_ACK, 0, 16, 0);
    clear_log();
    ck_assert(!input(TCP_RST, 1, 0, 0));
    ck_assert_int_eq(L.nout, 0);
}
END_TEST

/* ---- 3.10.7.2 LISTEN ---- */

START_TEST(listen_ignores_rst_and_resets_acks)
{
    fresh(ISS);
    tcp_open(&T, true);
    clear_log();
    ck_assert(!input(TCP_RST, 1, 0, 0));
    ck_assert_int_eq(L.nout, 0);
    ck_assert(!input(TCP_ACK, 1, 99, 0));
    SENT(0, TCP_RST, 99, 0, 0);
    clear_log();
    ck_assert(!input(TCP_FIN, 1, 0, 0)); /* "other text or control" */
    ck_assert_int_eq(L.nout, 0);
    ck_assert_int_eq(T.state, TCP_LISTEN);
}
END_TEST

START_TEST(listen_split_variant_sends_ack_then_syn)
{
    struct tcp_opts o = {.iss = ISS, .wnd = WND, .mss = 1460,
                         .split_syn_ack = true};
    struct tcp_io io = {on_send, on_state, &L};

    memset(&L, 0, sizeof L);
    tcp_fini(&T);
    tcp_init(&T, &o, &io);
    tcp_open(&T, true);
    input(TCP_SYN, PEER, 0, 0);
    ck_assert_int_eq(L.nout, 2);
    SENT(0, TCP_ACK, ISS, PEER + 1, 0);
    SENT(1, TCP_SYN, ISS, 0, 0);
    ck_assert_int_eq(T.state, TCP_SYN_RECEIVED);
}
END_TEST

/* ---- 3.10.7.3 SYN-SENT ---- */

START_TEST(syn_sent_resets_unacceptable_ack)
{
    fresh(ISS);
    tcp_open(&T, false);
    clear_log();
    ck_assert(!input(TCP_ACK, PEER, ISS, 0)); /* SEG.ACK =< ISS */
    SENT(0, TCP_RST, ISS, 0, 0);
    clear_log();
    ck_assert(!input(TCP_SYN | TCP_ACK, PEER, ISS + 7, 0)); /* > SND.NXT */
    SENT(0, TCP_RST, ISS + 7, 0, 0);
    clear_log();
    ck_assert(!input(TCP_RST | TCP_ACK, PEER, ISS + 7, 0)); /* no RST to RST */
    ck_assert_int_eq(L.nout, 0);
    ck_assert_int_eq(T.state, TCP_SYN_SENT);
}
END_TEST

START_TEST(syn_sent_rst_needs_an_acceptable_ack)
{
    fresh(ISS);
    tcp_open(&T, false);
    clear_log();
    ck_assert(!input(TCP_RST, 0, 0, 0)); /* no ACK: dropped */
    ck_assert_int_eq(T.state, TCP_SYN_SENT);
    ck_assert(input(TCP_RST | TCP_ACK, 0, ISS + 1, 0)); /* "connection reset" */
    ck_assert_int_eq(T.state, TCP_CLOSED);
    ck_assert_int_eq(L.nout, 0);
}
END_TEST

START_TEST(syn_sent_drops_a_bare_ack)
{
    fresh(ISS);
    tcp_open(&T, false);
    clear_log();
    /* "Fifth, if neither of the SYN or RST bits is set, then drop the
     * segment and return." */
    ck_assert(!input(TCP_ACK, PEER, ISS + 1, 0));
    ck_assert_int_eq(T.state, TCP_SYN_SENT);
    ck_assert_uint_eq(T.snd_una, ISS);
    /* the teaching variant takes it, and the SYN that follows opens */
    T.o.accept_split = true;
    ck_assert(input(TCP_ACK, PEER, ISS + 1, 0));
    ck_assert_uint_eq(T.snd_una, ISS + 1);
    ck_assert_int_eq(L.nout, 0);
    ck_assert(input(TCP_SYN, PEER, 0, 0));
    ck_assert_int_eq(T.state, TCP_ESTABLISHED);
    SENT(0, TCP_ACK, ISS + 1, PEER + 1, 0);
}
END_TEST

/* ---- 3.10.7.4 the other states, step by step ---- */

START_TEST(first_unacceptable_segments_get_an_ack)
{
    established();
    /* beyond the window */
    ck_assert(!input(TCP_PSH | TCP_ACK, PEER + 1 + WND, ISS + 1, 10));
    SENT(0, TCP_ACK, ISS + 1, PEER + 1, 0);
    clear_log();
    /* entirely old (a duplicate) */
    ck_assert(!input(TCP_ACK, PEER - 50, ISS + 1, 10));
    SENT(0, TCP_ACK, ISS + 1, PEER + 1, 0);
    clear_log();
    /* an unacceptable RST is dropped without an answer */
    ck_assert(!input(TCP_RST, PEER + 1 + WND, 0, 0));
    ck_assert_int_eq(L.nout, 0);
    ck_assert_int_eq(T.state, TCP_ESTABLISHED);
}
END_TEST

START_TEST(first_zero_window_takes_only_rcv_nxt)
{
    established();
    T.rcv_wnd = 0;
    ck_assert(!input(TCP_PSH | TCP_ACK, PEER + 1, ISS + 1, 1));
    SENT(0, TCP_ACK, ISS + 1, PEER + 1, 0);
    clear_log();
    ck_assert(input(TCP_ACK, PEER + 1, ISS + 1, 0));
    ck_assert_int_eq(L.nout, 0);
}
END_TEST

START_TEST(first_overlapping_text_is_trimmed)
{
    established();
    input(TCP_PSH | TCP_ACK, PEER + 1, ISS + 1, 100);
    clear_log();
    /* bytes 51..150: 50 old, 50 new */
    ck_assert(input(TCP_PSH | TCP_ACK, PEER + 51, ISS + 1, 100));
    ck_assert_uint_eq(T.rcv_nxt, PEER + 151);
    SENT(0, TCP_ACK, ISS + 1, PEER + 151, 0);
}
END_TEST

START_TEST(second_rst_resets_only_at_rcv_nxt)
{
    established();
    /* in the window but not exactly RCV.NXT: challenge ACK (RFC 5961) */
    ck_assert(!input(TCP_RST, PEER + 10, 0, 0));
    ck_assert_int_eq(T.state, TCP_ESTABLISHED);
    SENT(0, TCP_ACK, ISS + 1, PEER + 1, 0);
    clear_log();
    ck_assert(input(TCP_RST, PEER + 1, 0, 0));
    ck_assert_int_eq(T.state, TCP_CLOSED);
    ck_assert_int_eq(L.nout, 0);
    /* CLOSING, LAST-ACK, TIME-WAIT: straight to CLOSED */
    close_wait();
    tcp_close(&T);
    ck_assert(input(TCP_RST, PEER + 2, 0, 0));
    ck_assert_int_eq(T.state, TCP_CLOSED);
}
END_TEST

START_TEST(fourth_syn_in_window_gets_a_challenge_ack)
{
    established();
    ck_assert(!input(TCP_SYN, PEER + 100, 0, 0));
    ck_assert_int_eq(T.state, TCP_ESTABLISHED);
    SENT(0, TCP_ACK, ISS + 1, PEER + 1, 0);
    /* SYN-RECEIVED after a passive OPEN goes back to LISTEN */
    syn_received();
    ck_assert(input(TCP_SYN, PEER + 1, 0, 0));
    ck_assert_int_eq(T.state, TCP_LISTEN);
}
END_TEST

START_TEST(fifth_no_ack_bit_drops)
{
    established();
    ck_assert(!input(TCP_PSH, PEER + 1, 0, 10));
    ck_assert_uint_eq(T.rcv_nxt, PEER + 1);
    ck_assert_int_eq(L.nout, 0);
}
END_TEST

START_TEST(fifth_syn_received_resets_a_bad_ack)
{
    syn_received();
    ck_assert(!input(TCP_ACK, PEER + 1, ISS + 9, 0));
    SENT(0, TCP_RST, ISS + 9, 0, 0);
    ck_assert_int_eq(T.state, TCP_SYN_RECEIVED);
}
END_TEST

START_TEST(fifth_ack_of_unsent_data_gets_an_ack)
{
    established();
    ck_assert(!input(TCP_ACK, PEER + 1, ISS + 500, 0));
    SENT(0, TCP_ACK, ISS + 1, PEER + 1, 0);
    ck_assert_uint_eq(T.snd_una, ISS + 1);
}
END_TEST

START_TEST(fifth_acks_advance_snd_una_and_the_window)
{
    established();
    tcp_send(&T, 100);
    clear_log();
    ck_assert(tcp_timer_running(&T));
    ck_assert(input(TCP_ACK, PEER + 1, ISS + 51, 0));
    ck_assert_uint_eq(T.snd_una, ISS + 51);
    ck_assert(tcp_timer_running(&T)); /* 50 bytes still unacknowledged */
    /* a duplicate ACK changes nothing */
    ck_assert(input(TCP_ACK, PEER + 1, ISS + 51, 0));
    ck_assert_uint_eq(T.snd_una, ISS + 51);
    /* a newer segment updates the window */
    struct tcp_seg s = seg(TCP_ACK, PEER + 1, ISS + 101, 0);
    s.wnd = 1234;
    ck_assert(tcp_input(&T, &s));
    ck_assert_uint_eq(T.snd_wnd, 1234);
    ck_assert(!tcp_timer_running(&T));
    ck_assert_int_eq(L.nout, 0);
}
END_TEST

START_TEST(seventh_text_is_acknowledged)
{
    established();
    ck_assert(input(TCP_PSH | TCP_ACK, PEER + 1, ISS + 1, 200));
    ck_assert_uint_eq(T.rcv_nxt, PEER + 201);
    SENT(0, TCP_ACK, ISS + 1, PEER + 201, 0);
    /* out of order: not queued, answered with an ACK of RCV.NXT */
    clear_log();
    ck_assert(!input(TCP_PSH | TCP_ACK, PEER + 301, ISS + 1, 10));
    ck_assert_uint_eq(T.rcv_nxt, PEER + 201);
    SENT(0, TCP_ACK, ISS + 1, PEER + 201, 0);
    /* in CLOSE-WAIT text is ignored */
    close_wait();
    input(TCP_PSH | TCP_ACK, PEER + 2, ISS + 1, 10);
    ck_assert_uint_eq(T.rcv_nxt, PEER + 2);
}
END_TEST

START_TEST(seventh_half_close_receives_in_fin_wait_2)
{
    fin_wait_1();
    input(TCP_ACK, PEER + 1, ISS + 2, 0);
    ck_assert_int_eq(T.state, TCP_FIN_WAIT_2);
    clear_log();
    ck_assert(input(TCP_PSH | TCP_ACK, PEER + 1, ISS + 2, 300));
    ck_assert_uint_eq(T.rcv_nxt, PEER + 301);
    SENT(0, TCP_ACK, ISS + 2, PEER + 301, 0);
    ck_assert_int_eq(T.state, TCP_FIN_WAIT_2);
}
END_TEST

START_TEST(eighth_fin_with_text)
{
    established();
    ck_assert(input(TCP_FIN | TCP_PSH | TCP_ACK, PEER + 1, ISS + 1, 20));
    ck_assert_int_eq(T.state, TCP_CLOSE_WAIT);
    ck_assert_int_eq(L.nout, 1); /* one ACK for text and FIN */
    SENT(0, TCP_ACK, ISS + 1, PEER + 22, 0);
}
END_TEST

START_TEST(timer_retransmits_the_oldest_segment)
{
    fresh(ISS);
    ck_assert_int_eq(tcp_timeout(&T), TCP_ERR_NOTIMER);
    tcp_open(&T, false);
    clear_log();
    ck_assert_int_eq(tcp_timeout(&T), TCP_OK);
    SENT(0, TCP_SYN, ISS, 0, 0);
    ck_assert(L.rtx[0]);
    /* a FIN is retransmitted with the current ACK */
    fin_wait_1();
    ck_assert_int_eq(tcp_timeout(&T), TCP_OK);
    SENT(0, TCP_FIN | TCP_ACK, ISS + 1, PEER + 1, 0);
    /* data: the oldest first */
    established();
    tcp_send(&T, 10);
    tcp_send(&T, 20);
    clear_log();
    tcp_timeout(&T);
    SENT(0, TCP_PSH | TCP_ACK, ISS + 1, PEER + 1, 10);
    input(TCP_ACK, PEER + 1, ISS + 11, 0);
    clear_log();
    tcp_timeout(&T);
    SENT(0, TCP_PSH | TCP_ACK, ISS + 11, PEER + 1, 20);
}
END_TEST

START_TEST(delayed_ack_rides_on_the_next_segment)
{
    established();
    T.o.delayed_ack = true;
    input(TCP_FIN | TCP_ACK, PEER + 1, ISS + 1, 0);
    ck_assert_int_eq(T.state, TCP_CLOSE_WAIT);
    ck_assert_int_eq(L.nout, 0);
    ck_assert(tcp_timer_running(&T));
    tcp_close(&T);
    ck_assert_int_eq(L.nout, 1);
    SENT(0, TCP_FIN | TCP_ACK, ISS + 1, PEER + 2, 0);
    /* or leaves when its timer fires; the second segment is acked now */
    established();
    T.o.delayed_ack = true;
    input(TCP_PSH | TCP_ACK, PEER + 1, ISS + 1, 10);
    ck_assert_int_eq(L.nout, 0);
    ck_assert_int_eq(tcp_timeout(&T), TCP_OK);
    SENT(0, TCP_ACK, ISS + 1, PEER + 11, 0);
    clear_log();
    input(TCP_PSH | TCP_ACK, PEER + 11, ISS + 1, 10);
    input(TCP_PSH | TCP_ACK, PEER + 21, ISS + 1, 10);
    ck_assert_int_eq(L.nout, 1);
    SENT(0, TCP_ACK, ISS + 1, PEER + 31, 0);
}
END_TEST

START_TEST(sequence_numbers_wrap)
{
    struct tcp peer;
    struct tcp_opts o = {.iss = 4294967290u, .wnd = WND, .mss = 1460};

    ck_assert(tcp_seq_lt(4294967295u, 3));
    ck_assert(!tcp_seq_lt(3, 4294967295u));
    ck_assert(tcp_seq_leq(7, 7));
    fresh(4294967200u);
    tcp_init(&peer, &o, NULL);
    tcp_establish_pair(&T, &peer);
    tcp_fini(&peer);
    clear_log();
    tcp_send(&T, 200);
    SENT(0, TCP_PSH | TCP_ACK, 4294967201u, 4294967291u, 200);
    ck_assert(input(TCP_ACK, 4294967291u, 105, 0)); /* 4294967401 mod 2^32 */
    ck_assert_uint_eq(T.snd_una, 105);
    ck_assert(!tcp_timer_running(&T));
    clear_log();
    ck_assert(input(TCP_PSH | TCP_ACK, 4294967291u, 105, 10));
    SENT(0, TCP_ACK, 105, 5, 0);
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(closed_to_listen_on_passive_open),
    TCHECK_CASE(closed_to_syn_sent_on_active_open),
    TCHECK_CASE(listen_to_syn_received_on_syn),
    TCHECK_CASE(listen_to_syn_sent_on_send_with_foreign_socket),
    TCHECK_CASE(listen_to_closed_on_close),
    TCHECK_CASE(syn_sent_to_closed_on_close),
    TCHECK_CASE(syn_sent_to_syn_received_on_syn_simultaneous_open),
    TCHECK_CASE(syn_sent_to_established_on_syn_ack),
    TCHECK_CASE(syn_received_to_established_on_ack),
    TCHECK_CASE(syn_received_to_fin_wait_1_on_close),
    TCHECK_CASE(syn_received_to_listen_on_rst),
    TCHECK_CASE(established_to_fin_wait_1_on_close),
    TCHECK_CASE(established_to_close_wait_on_fin),
    TCHECK_CASE(fin_wait_1_to_fin_wait_2_on_ack_of_fin),
    TCHECK_CASE(fin_wait_1_to_closing_on_fin),
    TCHECK_CASE(fin_wait_1_to_time_wait_on_fin_with_ack_of_fin),
    TCHECK_CASE(fin_wait_2_to_time_wait_on_fin),
    TCHECK_CASE(closing_to_time_wait_on_ack_of_fin),
    TCHECK_CASE(close_wait_to_last_ack_on_close),
    TCHECK_CASE(last_ack_to_closed_on_ack_of_fin),
    TCHECK_CASE(time_wait_to_closed_after_2msl),
    TCHECK_CASE(user_calls_answer_the_rfc_errors),
    TCHECK_CASE(send_queued_before_the_connection_opens),
    TCHECK_CASE(data_is_cut_at_mss_and_window),
    TCHECK_CASE(close_sends_fin_after_queued_data),
    TCHECK_CASE(abort_sends_rst_in_synchronized_states),
    TCHECK_CASE(closed_answers_with_rst),
    TCHECK_CASE(listen_ignores_rst_and_resets_acks),
    TCHECK_CASE(listen_split_variant_sends_ack_then_syn),
    TCHECK_CASE(syn_sent_resets_unacceptable_ack),
    TCHECK_CASE(syn_sent_rst_needs_an_acceptable_ack),
    TCHECK_CASE(syn_sent_drops_a_bare_ack),
    TCHECK_CASE(first_unacceptable_segments_get_an_ack),
    TCHECK_CASE(first_zero_window_takes_only_rcv_nxt),
    TCHECK_CASE(first_overlapping_text_is_trimmed),
    TCHECK_CASE(second_rst_resets_only_at_rcv_nxt),
    TCHECK_CASE(fourth_syn_in_window_gets_a_challenge_ack),
    TCHECK_CASE(fifth_no_ack_bit_drops),
    TCHECK_CASE(fifth_syn_received_resets_a_bad_ack),
    TCHECK_CASE(fifth_ack_of_unsent_data_gets_an_ack),
    TCHECK_CASE(fifth_acks_advance_snd_una_and_the_window),
    TCHECK_CASE(seventh_text_is_acknowledged),
    TCHECK_CASE(seventh_half_close_receives_in_fin_wait_2),
    TCHECK_CASE(eighth_fin_with_text),
    TCHECK_CASE(timer_retransmits_the_oldest_segment),
    TCHECK_CASE(delayed_ack_rides_on_the_next_segment),
    TCHECK_CASE(sequence_numbers_wrap),
};
TCHECK_MAIN("tcp", cases)

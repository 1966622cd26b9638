/*
 * tcp: a deterministic RFC 9293 endpoint, with no I/O and no clock.
 * (Contract being written: the states are fixed here because the trace and
 * the diagrams name them.)
 */
#ifndef TCP_H
#define TCP_H

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

#endif

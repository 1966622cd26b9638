/*
 * scn: a scenario file, read (yval), checked, and run on two tcp
 * endpoints joined by a simulated network (see scn.h).
 *
 * Reading reports every mistake it finds; running stops at the first step
 * that no TCP could follow, since every later step depends on it.
 */
#include "scn.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"
#include "tcp.h"
#include "val.h"
#include "xmem.h"
#include "yval.h"

enum step_kind {
    STEP_LISTEN,
    STEP_CONNECT,
    STEP_SEND,
    STEP_CLOSE,
    STEP_ABORT,
    STEP_DELIVER,
    STEP_DROP,
    STEP_TIMEOUT,
    STEP_WAIT,
    STEP_NOTE,
};

struct step {
    enum step_kind kind;
    int peer;      /* 0 or 1; -1 for wait and note */
    uint32_t n;    /* send: bytes */
    const char *text; /* note: borrowed from the val tree */
    int line, col;
};

/* A segment in flight from one peer to the other. */
struct flight {
    struct tcp_seg s;
    size_t ev; /* its TRACE_SEGMENT event */
};

struct queue {
    struct flight *f;
    size_t head, n, cap;
};

struct run;

/* The io.ctx of one endpoint: which run, which peer. */
struct endpoint {
    struct run *r;
    int i;
};

struct run {
    const char *path;
    struct diag *d;
    struct trace *t;
    struct tcp peer[2];
    struct queue q[2]; /* q[i]: sent by peer i, oldest first */
    struct endpoint io[2];
    int step;           /* the row being run */
    unsigned segments;  /* sent so far */
    bool too_many;
};

static const char *const top_keys[] = {"title", "size", "peers", "steps",
                                       "expect", "start", "numbering"};
static const char *const peer_keys[] = {"isn", "variant", "window", "mss",
                                        "delayed_ack"};
static const char *const verbs[] = {"listen", "connect", "send", "close",
                                    "abort"};
static const char *const network[] = {"deliver", "drop", "timeout", "wait",
                                      "note"};

/* ---- reading ---------------------------------------------------------- */

static void
unknown_key(struct diag *d, const char *path, const struct val *v,
            const char *key, const char *where, const char *const *known,
            size_t n)
{
    const char *best = diag_closest(key, known, n);

    if (best != NULL)
        diag_error(d, path, v->line, v->col,
                   "unknown key '%s' in %s; did you mean '%s'?", key, where,
                   best);
    else
        diag_error(d, path, v->line, v->col, "unknown key '%s' in %s", key,
                   where);
}

/* An integer in [lo, hi] from a YAML number. */
static bool
int_in(struct diag *d, const char *path, const struct val *v, const char *what,
       double lo, double hi, double *out)
{
    if (v->kind != VAL_NUM || (v->num == v->num && v->num != floor(v->num))) {
        diag_error(d, path, v->line, v->col, "%s must be a whole number, not '%s'",
                   what, val_text(v));
        return false;
    }
    if (!(v->num >= lo && v->num <= hi)) { /* NaN too */
        diag_error(d, path, v->line, v->col,
                   "%s %s is out of range; use %.0f to %.0f", what, v->s, lo,
                   hi);
        return false;
    }
    *out = v->num;
    return true;
}

static bool
text_ok(struct diag *d, const char *path, const struct val *v, const char *what)
{
    if (!val_is_scalar(v) || v->kind == VAL_NULL) {
        diag_error(d, path, v->line, v->col, "%s must be text", what);
        return false;
    }
    if (v->len > SCN_MAX_TEXT) {
        diag_error(d, path, v->line, v->col,
                   "%s is %zu bytes long; keep it under %d", what, v->len,
                   SCN_MAX_TEXT);
        return false;
    }
    return true;
}

static int
peer_index(const struct trace *t, const char *name)
{
    for (int i = 0; i < 2; i++)
        if (t->peers[i] != NULL && strcmp(t->peers[i], name) == 0)
            return i;
    return -1;
}

static void
unknown_peer(struct diag *d, const char *path, const struct val *v,
             const struct trace *t, const char *name)
{
    diag_error(d, path, v->line, v->col,
               "no peer named '%s'; the peers are '%s' and '%s'", name,
               t->peers[0] ? t->peers[0] : "?", t->peers[1] ? t->peers[1] : "?");
}

/* peers: exactly two, left to right, each with optional settings. */
static bool
read_peers(struct diag *d, const char *path, const struct val *v,
           struct trace *t, struct tcp_opts opts[2], const struct val **variant)
{
    bool ok = true;

    if (v == NULL) {
        diag_error(d, path, 1, 1,
                   "no 'peers'; name two, left to right: 'peers: {client: {}, "
                   "server: {}}'");
        return false;
    }
    if (v->kind != VAL_MAP || v->n != 2) {
        diag_error(d, path, v->line, v->col,
                   "'peers' must name exactly two peers, left to right "
                   "(it has %zu)",
                   v->kind == VAL_MAP ? v->n : (size_t)0);
        return false;
    }
    for (size_t i = 0; i < 2; i++) {
        const char *name = v->keys[i];
        const struct val *p = v->items[i];
        size_t len = strlen(name);

        opts[i].iss = i == 0 ? 1000 : 5000;
        opts[i].wnd = 65535;
        opts[i].mss = 1460;
        if (len == 0 || len > SCN_MAX_NAME) {
            diag_error(d, path, p->line, p->col,
                       "a peer name must be 1 to %d bytes long", SCN_MAX_NAME);
            ok = false;
        }
        for (size_t j = 0; j < len; j++)
            if ((unsigned char)name[j] < 0x20 || name[j] == 0x7f) {
                diag_error(d, path, p->line, p->col,
                           "peer name '%s' holds a control character", name);
                ok = false;
                break;
            }
        for (size_t j = 0; j < sizeof network / sizeof *network; j++)
            if (strcmp(name, network[j]) == 0) {
                diag_error(d, path, p->line, p->col,
                           "'%s' cannot name a peer: it is a step of its own; "
                           "choose another name",
                           name);
                ok = false;
            }
        t->peers[i] = xstrdup(name);
        if (p->kind == VAL_NULL)
            continue;
        if (p->kind != VAL_MAP) {
            diag_error(d, path, p->line, p->col,
                       "peer '%s' takes a map of settings ({isn: 1000}), "
                       "not '%s'",
                       name, val_text(p));
            ok = false;
            continue;
        }
        for (size_t k = 0; k < p->n; k++) {
            const char *key = p->keys[k];
            const struct val *x = p->items[k];
            double num;

            if (strcmp(key, "isn") == 0) {
                if (int_in(d, path, x, "isn", 0, 4294967295.0, &num))
                    opts[i].iss = (uint32_t)num;
                else
                    ok = false;
            } else if (strcmp(key, "window") == 0) {
                if (int_in(d, path, x, "window", 1, 65535, &num))
                    opts[i].wnd = (uint32_t)num;
                else
                    ok = false;
            } else if (strcmp(key, "mss") == 0) {
                if (int_in(d, path, x, "mss", 1, 65535, &num))
                    opts[i].mss = (uint32_t)num;
                else
                    ok = false;
            } else if (strcmp(key, "delayed_ack") == 0) {
                if (x->kind != VAL_BOOL) {
                    diag_error(d, path, x->line, x->col,
                               "'delayed_ack' is true or false, not '%s'",
                               val_text(x));
                    ok = false;
                } else {
                    opts[i].delayed_ack = x->b;
                }
            } else if (strcmp(key, "variant") == 0) {
                if (!val_is_scalar(x) || strcmp(val_text(x), "split-syn-ack")) {
                    diag_error(d, path, x->line, x->col,
                               "unknown variant '%s'; the one variant is "
                               "'split-syn-ack'",
                               val_text(x));
                    ok = false;
                } else if (*variant != NULL) {
                    diag_error(d, path, x->line, x->col,
                               "only one peer can use a variant");
                    ok = false;
                } else {
                    *variant = x;
                    opts[i].split_syn_ack = true;
                    opts[1 - i].accept_split = true;
                    t->variant = xstrdup("split-syn-ack");
                    t->variant_peer = (int)i;
                }
            } else {
                unknown_key(d, path, x, key, "a peer",
                            peer_keys, sizeof peer_keys / sizeof *peer_keys);
                ok = false;
            }
        }
    }
    if (ok && strcmp(t->peers[0], t->peers[1]) == 0) {
        diag_error(d, path, v->line, v->col, "the two peers need two names");
        ok = false;
    }
    return ok;
}

static bool
read_size(struct diag *d, const char *path, const struct val *v,
          struct trace *t)
{
    double w, h;

    t->width = 600;
    t->height = 400;
    if (v == NULL)
        return true;
    if (v->kind != VAL_LIST || v->n != 2) {
        diag_error(d, path, v->line, v->col,
                   "'size' is [WIDTH, HEIGHT] in CSS pixels, as on the <img> "
                   "tag, e.g. [600, 400]");
        return false;
    }
    if (!int_in(d, path, v->items[0], "width", SCN_MIN_SIZE, SCN_MAX_SIZE, &w) ||
        !int_in(d, path, v->items[1], "height", SCN_MIN_SIZE, SCN_MAX_SIZE, &h))
        return false;
    t->width = (int)w;
    t->height = (int)h;
    return true;
}

/* "send 100" -> 100; 0 when the text is not "send N" with 1 <= N. */
static bool
parse_send(const char *s, uint32_t *n)
{
    unsigned long long v = 0;

    if (strncmp(s, "send", 4) != 0 || (s[4] != ' ' && s[4] != '\t'))
        return false;
    s += 4;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!isdigit((unsigned char)*s))
        return false;
    while (isdigit((unsigned char)*s)) {
        v = v * 10 + (unsigned)(*s - '0');
        if (v > TCP_MAX_QUEUE)
            return false;
        s++;
    }
    while (*s == ' ')
        s++;
    if (*s != '\0' || v == 0)
        return false;
    *n = (uint32_t)v;
    return true;
}

/* One step: a map with one key. */
static bool
read_step(struct diag *d, const char *path, const struct val *v,
          const struct trace *t, struct step *st)
{
    const char *key, *what;
    const struct val *x;
    int p;

    st->line = v->line;
    st->col = v->col;
    st->peer = -1;
    if (v->kind != VAL_MAP || v->n == 0) {
        diag_error(d, path, v->line, v->col,
                   "a step is 'PEER: ACTION' (listen, connect, send N, close, "
                   "abort) or 'deliver: PEER', 'drop: PEER', 'timeout: "
                   "PEER', 'wait: 2msl', 'note: TEXT', not '%s'",
                   val_text(v));
        return false;
    }
    if (v->n > 1) {
        diag_error(d, path, v->items[1]->line, v->items[1]->col,
                   "a step does one thing; put '%s' and '%s' in two steps",
                   v->keys[0], v->keys[1]);
        return false;
    }
    key = v->keys[0];
    x = v->items[0];
    what = val_is_scalar(x) ? val_text(x) : "";
    if (!val_is_scalar(x) || x->kind == VAL_NULL) {
        diag_error(d, path, x->line ? x->line : v->line,
                   x->col ? x->col : v->col,
                   "'%s' needs a value: %s", key,
                   strcmp(key, "note") == 0  ? "the note's text"
                   : strcmp(key, "wait") == 0 ? "'2msl'"
                   : peer_index(t, key) >= 0
                       ? "listen, connect, send N, close or abort"
                       : "a peer's name");
        return false;
    }
    if (strcmp(key, "note") == 0) {
        if (!text_ok(d, path, x, "a note"))
            return false;
        st->kind = STEP_NOTE;
        st->text = x->s;
        return true;
    }
    if (strcmp(key, "wait") == 0) {
        if (strcmp(what, "2msl") != 0 && strcmp(what, "2MSL") != 0) {
            diag_error(d, path, x->line, x->col,
                       "'wait' takes '2msl' (the end of TIME-WAIT), not '%s'",
                       what);
            return false;
        }
        st->kind = STEP_WAIT;
        return true;
    }
    if (strcmp(key, "deliver") == 0 || strcmp(key, "drop") == 0 ||
        strcmp(key, "timeout") == 0) {
        if ((p = peer_index(t, what)) < 0) {
            unknown_peer(d, path, x, t, what);
            return false;
        }
        st->kind = key[0] == 'd' ? (key[1] == 'e' ? STEP_DELIVER : STEP_DROP)
                                 : STEP_TIMEOUT;
        st->peer = p;
        return true;
    }
    if ((p = peer_index(t, key)) < 0) {
        const char *all[2 + sizeof network / sizeof *network];
        size_t n = 0;
        for (size_t i = 0; i < sizeof network / sizeof *network; i++)
            all[n++] = network[i];
        for (int i = 0; i < 2; i++)
            if (t->peers[i] != NULL)
                all[n++] = t->peers[i];
        const char *best = diag_closest(key, all, n);
        if (best != NULL)
            diag_error(d, path, v->line, v->col,
                       "unknown step '%s'; did you mean '%s'?", key, best);
        else
            diag_error(d, path, v->line, v->col,
                       "unknown step '%s'; a step starts with a peer's name "
                       "('%s', '%s') or deliver, drop, timeout, wait, note",
                       key, t->peers[0] ? t->peers[0] : "?",
                       t->peers[1] ? t->peers[1] : "?");
        return false;
    }
    st->peer = p;
    if (parse_send(what, &st->n)) {
        st->kind = STEP_SEND;
        return true;
    }
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++) {
        if (strcmp(what, verbs[i]) == 0 && i != STEP_SEND) {
            st->kind = (enum step_kind)i;
            return true;
        }
    }
    if (strncmp(what, "send", 4) == 0)
        diag_error(d, path, x->line, x->col,
                   "'%s' needs a byte count from 1 to %u: 'send 100'", what,
                   TCP_MAX_QUEUE);
    else {
        const char *best = diag_closest(what, verbs, sizeof verbs / sizeof *verbs);
        diag_error(d, path, x->line, x->col,
                   "unknown action '%s' for '%s'%s%s%s; a peer can listen, "
                   "connect, send N, close or abort",
                   what, key, best ? " (did you mean '" : "", best ? best : "",
                   best ? "'?)" : "");
    }
    return false;
}

static char *
row_text(const struct trace *t, const struct step *st)
{
    switch (st->kind) {
    case STEP_SEND:
        return xasprintf("%s: send %lu", t->peers[st->peer],
                         (unsigned long)st->n);
    case STEP_DELIVER:
    case STEP_DROP:
    case STEP_TIMEOUT:
        return xasprintf("%s: %s", network[st->kind - STEP_DELIVER],
                         t->peers[st->peer]);
    case STEP_WAIT:
        return xstrdup("wait: 2msl");
    case STEP_NOTE:
        return xasprintf("note: %s", st->text);
    default:
        return xasprintf("%s: %s", t->peers[st->peer], verbs[st->kind]);
    }
}

/* ---- running ---------------------------------------------------------- */

static void
on_send(void *ctx, const struct tcp_seg *s, bool retransmit)
{
    struct run *r = ((struct endpoint *)ctx)->r;
    int from = ((struct endpoint *)ctx)->i;
    struct trace_event e = {0};
    struct queue *q = &r->q[from];

    if (r->segments >= SCN_MAX_SEGMENTS) {
        r->too_many = true;
        return;
    }
    e.kind = TRACE_SEGMENT;
    e.step = r->step;
    e.seg.id = ++r->segments;
    e.seg.from = from;
    e.seg.to = 1 - from;
    e.seg.flags = s->flags;
    e.seg.seq = s->seq;
    e.seg.ack = s->ack;
    e.seg.len = s->len;
    e.seg.wnd = s->wnd;
    e.seg.sent = r->step;
    e.seg.arrived = -1;
    e.seg.dropped = -1;
    e.seg.retransmit = retransmit;
    trace_add(r->t, &e);
    if (q->head + q->n == q->cap) {
        if (q->head > 0) {
            memmove(q->f, q->f + q->head, q->n * sizeof *q->f);
            q->head = 0;
        } else {
            q->cap = q->cap ? q->cap * 2 : 8;
            q->f = xreallocarray(q->f, q->cap, sizeof *q->f);
        }
    }
    q->f[q->head + q->n].s = *s;
    q->f[q->head + q->n].ev = r->t->n - 1;
    q->n++;
}

static void
on_state(void *ctx, enum tcp_state from, enum tcp_state to)
{
    struct run *r = ((struct endpoint *)ctx)->r;
    int peer = ((struct endpoint *)ctx)->i;
    struct trace_event e = {0};

    e.kind = TRACE_STATE;
    e.step = r->step;
    e.peer = peer;
    e.from_state = from;
    e.to_state = to;
    trace_add(r->t, &e);
}

static void
user_error(struct run *r, const struct step *st, enum tcp_err err)
{
    const char *who = r->t->peers[st->peer];
    const char *state = tcp_state_name(r->peer[st->peer].state);
    static const char *const section[] = {
        [STEP_LISTEN] = "3.10.1", [STEP_CONNECT] = "3.10.1",
        [STEP_SEND] = "3.10.2",   [STEP_CLOSE] = "3.10.4",
        [STEP_ABORT] = "3.10.5"};
    const char *hint = "";

    switch (err) {
    case TCP_ERR_NOCONN:
        hint = st->kind == STEP_SEND
                   ? "; add a 'connect' or 'listen' step before it"
                   : st->kind == STEP_CLOSE ? "; there is nothing to close"
                                            : "; there is nothing to abort";
        break;
    case TCP_ERR_EXISTS:
        hint = "; a peer opens once, from CLOSED";
        break;
    case TCP_ERR_CLOSING:
        hint = st->kind == STEP_SEND ? "; a peer cannot send after its own close"
                                     : "; it has closed already";
        break;
    default:
        break;
    }
    diag_error(r->d, r->path, st->line, st->col,
               "'%s' cannot %s in %s: %s (RFC 9293, %s)%s", who,
               verbs[st->kind], state, tcp_strerror(err), section[st->kind],
               hint);
}

static struct flight
pop(struct queue *q)
{
    struct flight f = q->f[q->head];

    q->head++;
    q->n--;
    if (q->n == 0)
        q->head = 0;
    return f;
}

/* Runs one step; false (after an error) when no TCP could do it. */
static bool
run_step(struct run *r, const struct step *st)
{
    struct trace *t = r->t;
    enum tcp_err err = TCP_OK;

    switch (st->kind) {
    case STEP_LISTEN:
        err = tcp_open(&r->peer[st->peer], true);
        break;
    case STEP_CONNECT:
        err = tcp_open(&r->peer[st->peer], false);
        break;
    case STEP_SEND:
        err = tcp_send(&r->peer[st->peer], st->n);
        break;
    case STEP_CLOSE:
        err = tcp_close(&r->peer[st->peer]);
        break;
    case STEP_ABORT:
        err = tcp_abort(&r->peer[st->peer]);
        break;
    case STEP_DELIVER:
    case STEP_DROP: {
        struct queue *q = &r->q[st->peer];
        struct flight f;

        if (q->n == 0) {
            diag_error(r->d, r->path, st->line, st->col,
                       "%s: no segment from '%s' is in flight; every segment "
                       "it sent has arrived or been dropped",
                       st->kind == STEP_DELIVER ? "deliver" : "drop",
                       t->peers[st->peer]);
            return false;
        }
        f = pop(q);
        if (st->kind == STEP_DROP) {
            t->ev[f.ev].seg.dropped = r->step;
            break;
        }
        t->ev[f.ev].seg.arrived = r->step;
        /* the answer (appended to t->ev) may move the array: index again */
        if (!tcp_input(&r->peer[1 - st->peer], &f.s))
            t->ev[f.ev].seg.ignored = true;
        break;
    }
    case STEP_TIMEOUT:
        if (tcp_timeout(&r->peer[st->peer]) != TCP_OK) {
            diag_error(r->d, r->path, st->line, st->col,
                       "timeout: '%s' is in %s with no segment awaiting "
                       "acknowledgement and no delayed ACK, so no timer is "
                       "running (RFC 9293, 3.8.1)",
                       t->peers[st->peer],
                       tcp_state_name(r->peer[st->peer].state));
            return false;
        }
        break;
    case STEP_WAIT: {
        int n = 0;
        for (int i = 0; i < 2; i++)
            if (tcp_time_wait_end(&r->peer[i]) == TCP_OK)
                n++;
        if (n == 0) {
            diag_error(r->d, r->path, st->line, st->col,
                       "wait: 2msl ends TIME-WAIT, but neither peer is in it "
                       "('%s' is in %s, '%s' in %s)",
                       t->peers[0], tcp_state_name(r->peer[0].state),
                       t->peers[1], tcp_state_name(r->peer[1].state));
            return false;
        }
        break;
    }
    case STEP_NOTE: {
        struct trace_event e = {0};
        e.kind = TRACE_NOTE;
        e.step = r->step;
        e.text = xstrdup(st->text);
        trace_add(t, &e);
        break;
    }
    }
    if (err != TCP_OK) {
        user_error(r, st, err);
        return false;
    }
    if (r->too_many) {
        diag_error(r->d, r->path, st->line, st->col,
                   "this step sends segment %d; a scenario can send at most "
                   "%d; shorten the scenario or send less data",
                   SCN_MAX_SEGMENTS + 1, SCN_MAX_SEGMENTS);
        return false;
    }
    return true;
}

/* A state name as the RFC spells it; case and '_' for '-' are forgiven. */
static int
state_by_name(const char *s)
{
    for (int i = 0; i < TCP_NSTATES; i++) {
        const char *n = tcp_state_name((enum tcp_state)i);
        size_t j;
        for (j = 0; n[j] != '\0' && s[j] != '\0'; j++) {
            char c = (char)toupper((unsigned char)s[j]);
            if (c == '_' || c == ' ')
                c = '-';
            if (c != n[j])
                break;
        }
        if (n[j] == '\0' && s[j] == '\0')
            return i;
    }
    return -1;
}

static bool
check_expect(struct run *r, const struct val *v)
{
    bool ok = true;

    if (v->kind != VAL_MAP) {
        diag_error(r->d, r->path, v->line, v->col,
                   "'expect' maps peers to the states they end in: "
                   "'{client: TIME-WAIT, server: CLOSED}'");
        return false;
    }
    for (size_t i = 0; i < v->n; i++) {
        const struct val *x = v->items[i];
        int p = peer_index(r->t, v->keys[i]), s;

        if (p < 0) {
            unknown_peer(r->d, r->path, x, r->t, v->keys[i]);
            ok = false;
            continue;
        }
        if (!val_is_scalar(x) || (s = state_by_name(val_text(x))) < 0) {
            diag_error(r->d, r->path, x->line, x->col,
                       "'%s' is not a TCP state; use the RFC's names: CLOSED, "
                       "LISTEN, SYN-SENT, SYN-RECEIVED, ESTABLISHED, "
                       "FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING, "
                       "LAST-ACK, TIME-WAIT",
                       val_text(x));
            ok = false;
            continue;
        }
        if ((enum tcp_state)s != r->peer[p].state) {
            diag_error(r->d, r->path, x->line, x->col,
                       "expected '%s' to end in %s, but it is in %s",
                       v->keys[i], tcp_state_name((enum tcp_state)s),
                       tcp_state_name(r->peer[p].state));
            ok = false;
        }
    }
    return ok;
}

static char *
name_of(const char *path)
{
    const char *base = strrchr(path, '/');
    size_t n;

    base = base != NULL ? base + 1 : path;
    n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
        n -= 5;
    else if (n > 4 && strcmp(base + n - 4, ".yml") == 0)
        n -= 4;
    return xstrndup(base, n);
}

struct trace *
scn_run(const char *text, size_t len, const char *path, bool strict,
        struct diag *d)
{
    struct val *doc = NULL;
    struct trace *t = trace_new();
    struct step *steps = NULL;
    struct tcp_opts opts[2] = {{0}, {0}};
    const struct val *variant = NULL, *v, *list;
    struct run r = {.path = path, .d = d, .t = t};
    int errors0 = diag_errors(d);
    size_t nsteps = 0, i;
    bool ran = false;

    t->name = name_of(path);
    if ((doc = yval_parse(text, len, path, 0, d)) == NULL)
        goto out;
    if (doc->kind != VAL_MAP) {
        diag_error(d, path, doc->line ? doc->line : 1, doc->col ? doc->col : 1,
                   "a scenario is a map with 'peers' and 'steps' (see "
                   "docs/scenarios.md)");
        goto out;
    }
    for (i = 0; i < doc->n; i++) {
        size_t k;
        for (k = 0; k < sizeof top_keys / sizeof *top_keys; k++)
            if (strcmp(doc->keys[i], top_keys[k]) == 0)
                break;
        if (k == sizeof top_keys / sizeof *top_keys)
            unknown_key(d, path, doc->items[i], doc->keys[i], "a scenario",
                        top_keys, sizeof top_keys / sizeof *top_keys);
    }
    if ((v = val_get(doc, "title")) != NULL && v->kind != VAL_NULL &&
        text_ok(d, path, v, "'title'"))
        t->title = xstrdup(v->s);
    if ((v = val_get(doc, "numbering")) != NULL) {
        if (v->kind != VAL_BOOL)
            diag_error(d, path, v->line, v->col,
                       "'numbering' is true or false, not '%s'", val_text(v));
        else
            t->numbering = v->b;
    }
    read_size(d, path, val_get(doc, "size"), t);
    if (!read_peers(d, path, val_get(doc, "peers"), t, opts, &variant))
        goto out;
    if (variant != NULL && strict)
        diag_error(d, path, variant->line, variant->col,
                   "'split-syn-ack' is a teaching variant, not TCP: a SYN-SENT "
                   "endpoint drops an ACK that comes without SYN (RFC 9293, "
                   "3.10.7.3), so the ACK and the SYN travel as one SYN, ACK "
                   "segment; remove 'variant' or run without --strict");
    if ((v = val_get(doc, "start")) != NULL &&
        (!val_is_scalar(v) || (strcmp(val_text(v), "established") != 0 &&
                               strcmp(val_text(v), "closed") != 0)))
        diag_error(d, path, v->line, v->col,
                   "'start' is 'closed' (the default) or 'established', not "
                   "'%s'",
                   val_text(v));
    list = val_get(doc, "steps");
    if (list == NULL || list->kind != VAL_LIST || list->n == 0) {
        diag_error(d, path, list ? list->line : 1, list ? list->col : 1,
                   "'steps' must be a list of steps, one per row: "
                   "'- client: connect'");
        goto out;
    }
    if (list->n > SCN_MAX_STEPS) {
        diag_error(d, path, list->items[SCN_MAX_STEPS]->line,
                   list->items[SCN_MAX_STEPS]->col,
                   "%zu steps are too many for one diagram; at most %d rows "
                   "fit: split the scenario",
                   list->n, SCN_MAX_STEPS);
        goto out;
    }
    nsteps = list->n;
    steps = xcalloc(nsteps, sizeof *steps);
    for (i = 0; i < nsteps; i++)
        read_step(d, path, list->items[i], t, &steps[i]);
    if (diag_errors(d) > errors0)
        goto out;

    /* run */
    t->steps = (int)nsteps;
    t->rows = xcalloc(nsteps, sizeof *t->rows);
    for (i = 0; i < nsteps; i++)
        t->rows[i] = row_text(t, &steps[i]);
    for (i = 0; i < 2; i++) {
        struct tcp_io io = {on_send, on_state, &r.io[i]};
        r.io[i].r = &r;
        r.io[i].i = (int)i;
        tcp_init(&r.peer[i], &opts[i], &io);
    }
    if ((v = val_get(doc, "start")) != NULL &&
        strcmp(val_text(v), "established") == 0)
        tcp_establish_pair(&r.peer[0], &r.peer[1]);
    ran = true;
    t->initial[0] = r.peer[0].state;
    t->initial[1] = r.peer[1].state;
    for (i = 0; i < nsteps; i++) {
        r.step = (int)i + 1;
        if (!run_step(&r, &steps[i]))
            goto out;
    }
    for (i = 0; i < 2; i++) {
        for (size_t k = 0; k < r.q[i].n; k++) {
            const struct trace_segment *s =
                &t->ev[r.q[i].f[r.q[i].head + k].ev].seg;
            diag_warning(d, path, list->line, list->col,
                         "segment %u from '%s' is still in flight after the "
                         "last step; add 'deliver: %s' or 'drop: %s'",
                         s->id, t->peers[i], t->peers[i], t->peers[i]);
        }
    }
    if ((v = val_get(doc, "expect")) != NULL)
        check_expect(&r, v);
out:
    if (ran)
        for (i = 0; i < 2; i++)
            tcp_fini(&r.peer[i]);
    free(r.q[0].f);
    free(r.q[1].f);
    free(steps);
    val_free(doc);
    if (diag_errors(d) > errors0) {
        trace_free(t);
        return NULL;
    }
    return t;
}

struct trace *
scn_run_file(const char *path, bool strict, struct diag *d)
{
    size_t len;
    char *text = fs_read(path, FS_MAX_FILE, &len, d);
    struct trace *t;

    if (text == NULL)
        return NULL;
    t = scn_run(text, len, path, strict, d);
    free(text);
    return t;
}

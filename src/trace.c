/* trace: what a scenario run did (see trace.h), and its YAML form. */
#include "trace.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "xmem.h"

struct trace *
trace_new(void)
{
    struct trace *t = xcalloc(1, sizeof *t);

    t->numbering = true;
    t->variant_peer = -1;
    return t;
}

void
trace_free(struct trace *t)
{
    size_t i;

    if (t == NULL)
        return;
    for (i = 0; i < t->n; i++)
        free(t->ev[i].text);
    if (t->rows != NULL)
        for (i = 0; i < (size_t)t->steps; i++)
            free(t->rows[i]);
    free(t->rows);
    free(t->ev);
    free(t->name);
    free(t->title);
    free(t->peers[0]);
    free(t->peers[1]);
    free(t->variant);
    free(t);
}

struct trace_event *
trace_add(struct trace *t, const struct trace_event *e)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->ev = xreallocarray(t->ev, t->cap, sizeof *t->ev);
    }
    t->ev[t->n] = *e;
    return &t->ev[t->n++];
}

const char *
trace_state_name(enum tcp_state s)
{
    return tcp_state_name(s);
}

void
trace_flags_str(unsigned flags, char *out, size_t size)
{
    /* the order people say them in: "SYN, ACK", "FIN, ACK", "PSH, ACK" */
    static const struct {
        unsigned bit;
        const char *name;
    } order[] = {{TRACE_SYN, "SYN"}, {TRACE_FIN, "FIN"}, {TRACE_RST, "RST"},
                 {TRACE_PSH, "PSH"}, {TRACE_URG, "URG"}, {TRACE_ACK, "ACK"}};
    size_t used = 0, i;

    if (size == 0)
        return;
    out[0] = '\0';
    for (i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (!(flags & order[i].bit))
            continue;
        int n = snprintf(out + used, size - used, "%s%s", used ? ", " : "",
                         order[i].name);
        if (n < 0 || (size_t)n >= size - used)
            return;
        used += (size_t)n;
    }
}

/* ---- YAML ------------------------------------------------------------- */

struct em {
    yaml_emitter_t e;
    bool ok;
};

static void
put(struct em *m, yaml_event_t *ev)
{
    if (m->ok && !yaml_emitter_emit(&m->e, ev))
        m->ok = false;
}

/* A string that a YAML 1.1 reader would take for something else (null,
 * a boolean, a number) or that is empty is quoted; others are left to the
 * emitter, which quotes what needs quoting. */
static bool
needs_quotes(const char *s)
{
    static const char *const words[] = {
        "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False",
        "FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON",
        "off", "Off", "OFF", "y", "Y", "n", "N"};
    size_t i;

    if (*s == '\0')
        return true;
    for (i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    return strspn(s, "0123456789+-.:_eExXabcdefABCDEF") == strlen(s) &&
           strpbrk(s, "0123456789") != NULL;
}

static void
str(struct em *m, const char *s)
{
    yaml_event_t ev;

    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
                                 (int)strlen(s), 1, 1,
                                 needs_quotes(s) ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
                                                 : YAML_ANY_SCALAR_STYLE);
    put(m, &ev);
}

static void
num(struct em *m, long long v)
{
    char b[32];
    yaml_event_t ev;

    snprintf(b, sizeof b, "%lld", v);
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)b,
                                 (int)strlen(b), 1, 1, YAML_PLAIN_SCALAR_STYLE);
    put(m, &ev);
}

static void
boolean(struct em *m, bool v)
{
    yaml_event_t ev;
    const char *s = v ? "true" : "false";

    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
                                 (int)strlen(s), 1, 1, YAML_PLAIN_SCALAR_STYLE);
    put(m, &ev);
}

static void
map_start(struct em *m, bool flow)
{
    yaml_event_t ev;

    yaml_mapping_start_event_initialize(
        &ev, NULL, NULL, 1,
        flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
    put(m, &ev);
}

static void
map_end(struct em *m)
{
    yaml_event_t ev;

    yaml_mapping_end_event_initialize(&ev);
    put(m, &ev);
}

static void
list_start(struct em *m, bool flow)
{
    yaml_event_t ev;

    yaml_sequence_start_event_initialize(
        &ev, NULL, NULL, 1,
        flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
    put(m, &ev);
}

static void
list_end(struct em *m)
{
    yaml_event_t ev;

    yaml_sequence_end_event_initialize(&ev);
    put(m, &ev);
}

static const char *
peer_name(const struct trace *t, int i)
{
    return i >= 0 && i < 2 && t->peers[i] != NULL ? t->peers[i] : "?";
}

static void
null(struct em *m)
{
    yaml_event_t ev;

    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)"null", 4, 1,
                                 1, YAML_PLAIN_SCALAR_STYLE);
    put(m, &ev);
}

/* flags: [SYN, ACK], in the order trace_flags_str() names them */
static void
flag_list(struct em *m, unsigned flags)
{
    char names[64], *p, *save = NULL;

    trace_flags_str(flags, names, sizeof names);
    list_start(m, true);
    for (p = strtok_r(names, ", ", &save); p != NULL;
         p = strtok_r(NULL, ", ", &save))
        str(m, p);
    list_end(m);
}

static void
emit_event(struct em *m, const struct trace *t, const struct trace_event *e)
{
    map_start(m, true);
    str(m, "kind");
    switch (e->kind) {
    case TRACE_STATE:
        str(m, "state");
        str(m, "step");
        num(m, e->step);
        str(m, "peer");
        str(m, peer_name(t, e->peer));
        str(m, "from");
        str(m, trace_state_name(e->from_state));
        str(m, "to");
        str(m, trace_state_name(e->to_state));
        break;
    case TRACE_SEGMENT:
        str(m, "segment");
        str(m, "id");
        num(m, e->seg.id);
        str(m, "from");
        str(m, peer_name(t, e->seg.from));
        str(m, "to");
        str(m, peer_name(t, e->seg.to));
        str(m, "flags");
        flag_list(m, e->seg.flags);
        str(m, "seq");
        num(m, e->seg.seq);
        str(m, "ack");
        num(m, e->seg.ack);
        str(m, "len");
        num(m, e->seg.len);
        str(m, "wnd");
        num(m, e->seg.wnd);
        str(m, "sent");
        num(m, e->seg.sent);
        str(m, "arrived");
        if (e->seg.arrived >= 0)
            num(m, e->seg.arrived);
        else
            null(m);
        if (e->seg.dropped >= 0) {
            str(m, "dropped");
            num(m, e->seg.dropped);
        }
        if (e->seg.retransmit) {
            str(m, "retransmission");
            boolean(m, true);
        }
        if (e->seg.ignored) {
            str(m, "discarded");
            boolean(m, true);
        }
        break;
    case TRACE_NOTE:
        str(m, "note");
        str(m, "step");
        num(m, e->step);
        str(m, "text");
        str(m, e->text != NULL ? e->text : "");
        break;
    }
    map_end(m);
}

static int
write_out(void *data, unsigned char *buffer, size_t size)
{
    return fwrite(buffer, 1, size, data) == size;
}

bool
trace_emit_yaml(const struct trace *t, FILE *out)
{
    struct em m = {.ok = true};
    yaml_event_t ev;
    size_t i;

    if (!yaml_emitter_initialize(&m.e))
        return false;
    yaml_emitter_set_output(&m.e, write_out, out);
    yaml_emitter_set_unicode(&m.e, 1);
    yaml_emitter_set_width(&m.e, -1);
    yaml_emitter_set_indent(&m.e, 2);

    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    put(&m, &ev);
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
    put(&m, &ev);
    map_start(&m, false);

    str(&m, "scenario");
    str(&m, t->name != NULL ? t->name : "");
    if (t->title != NULL) {
        str(&m, "title");
        str(&m, t->title);
    }
    str(&m, "size");
    list_start(&m, true);
    num(&m, t->width);
    num(&m, t->height);
    list_end(&m);
    str(&m, "peers");
    list_start(&m, true);
    str(&m, peer_name(t, 0));
    str(&m, peer_name(t, 1));
    list_end(&m);
    str(&m, "initial");
    map_start(&m, true);
    for (i = 0; i < 2; i++) {
        str(&m, peer_name(t, (int)i));
        str(&m, trace_state_name(t->initial[i]));
    }
    map_end(&m);
    if (t->variant != NULL) {
        str(&m, "variant");
        map_start(&m, true);
        str(&m, "name");
        str(&m, t->variant);
        str(&m, "peer");
        str(&m, peer_name(t, t->variant_peer));
        map_end(&m);
    }
    if (!t->numbering) {
        str(&m, "numbering");
        boolean(&m, false);
    }
    str(&m, "steps");
    list_start(&m, false);
    for (i = 0; i < (size_t)t->steps; i++) {
        const char *r = t->rows != NULL ? t->rows[i] : NULL;
        str(&m, r != NULL ? r : "");
    }
    list_end(&m);
    str(&m, "events");
    list_start(&m, false);
    for (i = 0; i < t->n; i++)
        emit_event(&m, t, &t->ev[i]);
    list_end(&m);

    map_end(&m);
    yaml_document_end_event_initialize(&ev, 1);
    put(&m, &ev);
    yaml_stream_end_event_initialize(&ev);
    put(&m, &ev);
    if (m.ok && !yaml_emitter_flush(&m.e))
        m.ok = false;
    yaml_emitter_delete(&m.e);
    return m.ok && !ferror(out);
}

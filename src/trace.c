/* trace: scenario run results (see trace.h).  Placeholder until the engine
 * lands: allocation only. */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

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
    (void)s;
    return "?";
}

void
trace_flags_str(unsigned flags, char *out, size_t size)
{
    (void)flags;
    if (size > 0)
        out[0] = '\0';
}

bool
trace_emit_yaml(const struct trace *t, FILE *out)
{
    (void)t;
    (void)out;
    return false;
}

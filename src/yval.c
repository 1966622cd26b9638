/*
 * yval: YAML -> val tree with libyaml's event parser (see yval.h).
 * The parse is a recursive descent over events; every yaml_event_t is
 * deleted on every path, errors included.
 */
#include "yval.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "fm.h"
#include "xmem.h"

/* Keys in one map.  Maps are searched key by key (val.c), so a front
 * matter of 100 000 keys took minutes to read; no real front matter,
 * site.yaml or scenario comes near this. */
#define YVAL_MAX_KEYS 10000

struct ctx {
    yaml_parser_t parser;
    const char *text;
    size_t len;
    const char *path;
    int line_offset;
    struct diag *d;
};

static int
line_of(const struct ctx *c, yaml_mark_t m)
{
    return (int)m.line + 1 + c->line_offset;
}

static int
col_of(yaml_mark_t m)
{
    return (int)m.column + 1;
}

/* 1-based line and column of byte offset off in the text. */
static void
position(const struct ctx *c, size_t off, int *line, int *col)
{
    *line = 1 + c->line_offset;
    *col = 1;
    for (size_t i = 0; i < off && i < c->len; i++) {
        if (c->text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)c->text[i] & 0xc0) != 0x80) {
            (*col)++;
        }
    }
}

static bool
next(struct ctx *c, yaml_event_t *ev)
{
    if (yaml_parser_parse(&c->parser, ev))
        return true;
    const yaml_parser_t *p = &c->parser;
    const char *what = p->problem != NULL ? p->problem : "malformed YAML";
    yaml_mark_t m = p->problem_mark;
    int line = line_of(c, m), col = col_of(m);
    int cline = line_of(c, p->context_mark);
    char hint[160] = "";

    if (p->error == YAML_READER_ERROR) {
        /* the reader gives a byte offset, not a mark */
        position(c, p->problem_offset, &line, &col);
        if (strstr(what, "control characters") != NULL)
            snprintf(hint, sizeof hint,
                     " (byte 0x%02x); remove the control character",
                     (unsigned)p->problem_value & 0xff);
        else
            snprintf(hint, sizeof hint, "; save the file as UTF-8");
    } else if (strstr(what, "mapping values are not allowed") != NULL) {
        snprintf(hint, sizeof hint, "; quote the value if it contains ': '");
    } else if (m.index < c->len && c->text[m.index] == '\t') {
        snprintf(hint, sizeof hint,
                 "; indent with spaces, YAML does not allow tabs");
    } else if (strstr(what, "cannot start any token") != NULL) {
        snprintf(hint, sizeof hint,
                 "; quote a value that starts with '@', '`' or '%%'");
    } else if (strstr(what, "expected ',' or ']'") != NULL) {
        snprintf(hint, sizeof hint,
                 "; close the list '[' of line %d with ']'", cline);
    } else if (strstr(what, "expected ',' or '}'") != NULL) {
        snprintf(hint, sizeof hint,
                 "; close the map '{' of line %d with '}'", cline);
    } else if (p->context != NULL &&
               strstr(p->context, "quoted scalar") != NULL) {
        snprintf(hint, sizeof hint, "; close the quote opened on line %d",
                 cline);
    } else if (p->context != NULL) {
        snprintf(hint, sizeof hint, " (%s that starts on line %d)",
                 p->context, cline);
    }
    diag_error(c->d, c->path, line, col, "invalid YAML: %s%s", what, hint);
    return false;
}

static bool
is_int(const char *s)
{
    char *end;

    if (*s == '\0')
        return false;
    errno = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        (void)strtoll(s + 2, &end, 16);
    else
        (void)strtoll(s, &end, 10);
    return *end == '\0' && errno == 0 &&
           strchr("+-0123456789", s[0]) != NULL;
}

static bool
is_float(const char *s, double *out)
{
    char *end;
    const char *p = s;

    if (strcmp(s, ".inf") == 0 || strcmp(s, "+.inf") == 0 ||
        strcmp(s, ".Inf") == 0 || strcmp(s, ".INF") == 0) {
        *out = INFINITY;
        return true;
    }
    if (strcmp(s, "-.inf") == 0 || strcmp(s, "-.Inf") == 0 ||
        strcmp(s, "-.INF") == 0) {
        *out = -INFINITY;
        return true;
    }
    if (strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 ||
        strcmp(s, ".NAN") == 0) {
        *out = NAN;
        return true;
    }
    if (*p == '+' || *p == '-')
        p++;
    /* strtod also takes "inf", "nan" and hex floats; YAML does not */
    if (!(*p >= '0' && *p <= '9') && !(*p == '.' && p[1] >= '0' && p[1] <= '9'))
        return false;
    for (const char *q = p; *q; q++)
        if (!strchr("0123456789.eE+-", *q))
            return false;
    *out = strtod(s, &end);
    return *end == '\0';
}

/* YAML 1.1 resolution of a plain scalar. */
static void
resolve(struct val *v)
{
    const char *s = v->s;
    double d;

    if (*s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
        strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0) {
        v->kind = VAL_NULL;
    } else if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 ||
               strcmp(s, "TRUE") == 0) {
        v->kind = VAL_BOOL;
        v->b = true;
    } else if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 ||
               strcmp(s, "FALSE") == 0) {
        v->kind = VAL_BOOL;
        v->b = false;
    } else if (is_int(s)) {
        v->kind = VAL_NUM;
        v->num = (double)strtoll(s, NULL, 0);
        if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
            v->num = strtod(s, NULL); /* no octal surprises: 010 is 10 */
    } else if (is_float(s, &d)) {
        v->kind = VAL_NUM;
        v->num = d;
    }
}

static struct val *parse_node(struct ctx *c, yaml_event_t *ev, int depth);

static struct val *
parse_seq(struct ctx *c, int depth)
{
    struct val *list = val_list();
    yaml_event_t ev;

    for (;;) {
        if (!next(c, &ev))
            goto fail;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return list;
        }
        struct val *item = parse_node(c, &ev, depth + 1);
        yaml_event_delete(&ev);
        if (item == NULL)
            goto fail;
        val_push(list, item);
    }
fail:
    val_free(list);
    return NULL;
}

static struct val *
parse_map(struct ctx *c, int depth)
{
    struct val *map = val_map();
    yaml_event_t ev;

    for (;;) {
        if (!next(c, &ev))
            goto fail;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            return map;
        }
        if (ev.type != YAML_SCALAR_EVENT) {
            diag_error(c->d, c->path, line_of(c, ev.start_mark),
                       col_of(ev.start_mark),
                       "a key must be a plain word, not a list or map");
            yaml_event_delete(&ev);
            goto fail;
        }
        if (map->n == YVAL_MAX_KEYS) {
            diag_error(c->d, c->path, line_of(c, ev.start_mark),
                       col_of(ev.start_mark),
                       "more than %d keys in one map; split the data",
                       YVAL_MAX_KEYS);
            yaml_event_delete(&ev);
            goto fail;
        }
        char *key = xstrndup((const char *)ev.data.scalar.value,
                             ev.data.scalar.length);
        int kline = line_of(c, ev.start_mark), kcol = col_of(ev.start_mark);
        yaml_event_delete(&ev);
        if (val_get(map, key) != NULL) {
            const struct val *old = val_get(map, key);
            diag_error(c->d, c->path, kline, kcol,
                       "duplicate key '%s'; it was already set on line %d",
                       key, old->line);
            free(key);
            goto fail;
        }
        if (!next(c, &ev)) {
            free(key);
            goto fail;
        }
        struct val *v = parse_node(c, &ev, depth + 1);
        yaml_event_delete(&ev);
        if (v == NULL) {
            free(key);
            goto fail;
        }
        /* a value remembers where its key was written: that is what an
         * error about the value should point at */
        if (v->kind == VAL_LIST || v->kind == VAL_MAP ||
            v->kind == VAL_NULL) {
            v->line = kline;
            v->col = kcol;
        }
        val_set(map, key, v);
        free(key);
    }
fail:
    val_free(map);
    return NULL;
}

static struct val *
parse_node(struct ctx *c, yaml_event_t *ev, int depth)
{
    struct val *v = NULL;
    int line = line_of(c, ev->start_mark), col = col_of(ev->start_mark);

    if (depth > YVAL_MAX_DEPTH) {
        diag_error(c->d, c->path, line, col,
                   "YAML nested deeper than %d levels; flatten the data",
                   YVAL_MAX_DEPTH);
        return NULL;
    }
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        diag_error(c->d, c->path, line, col,
                   "YAML alias '*%s' is not supported; write the value out",
                   (const char *)ev->data.alias.anchor);
        return NULL;
    case YAML_SCALAR_EVENT: {
        long cp = fm_refused_char((const char *)ev->data.scalar.value,
                                  ev->data.scalar.length);
        if (cp >= 0) {
            diag_error(c->d, c->path, line, col,
                       "the value holds the character U+%04lX (from an "
                       "escape), which a page may not; remove it",
                       (unsigned long)cp);
            return NULL;
        }
        v = val_strn((const char *)ev->data.scalar.value,
                     ev->data.scalar.length);
        if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
            ev->data.scalar.tag == NULL)
            resolve(v);
        break;
    }
    case YAML_SEQUENCE_START_EVENT:
        v = parse_seq(c, depth);
        break;
    case YAML_MAPPING_START_EVENT:
        v = parse_map(c, depth);
        break;
    default:
        diag_error(c->d, c->path, line, col, "unexpected YAML event");
        return NULL;
    }
    if (v != NULL && v->line == 0) {
        v->line = line;
        v->col = col;
    }
    return v;
}

struct val *
yval_parse(const char *text, size_t len, const char *path, int line_offset,
           struct diag *d)
{
    struct ctx c = {.text = text, .len = len, .path = path, .line_offset = line_offset, .d = d};
    yaml_event_t ev;
    struct val *root = NULL;
    bool ok = false;

    if (!yaml_parser_initialize(&c.parser)) {
        diag_error(d, path, 0, 0, "cannot start the YAML parser");
        return NULL;
    }
    yaml_parser_set_input_string(&c.parser, (const unsigned char *)text, len);
    /* stream start, then document start or stream end */
    if (!next(&c, &ev))
        goto out;
    yaml_event_delete(&ev);
    if (!next(&c, &ev))
        goto out;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        root = val_new(VAL_NULL);
        ok = true;
        goto out;
    }
    yaml_event_delete(&ev); /* document start */
    if (!next(&c, &ev))
        goto out;
    root = parse_node(&c, &ev, 0);
    yaml_event_delete(&ev);
    if (root == NULL)
        goto out;
    if (!next(&c, &ev)) /* document end */
        goto out;
    yaml_event_delete(&ev);
    if (!next(&c, &ev))
        goto out;
    if (ev.type != YAML_STREAM_END_EVENT) {
        diag_error(d, path, line_of(&c, ev.start_mark), col_of(ev.start_mark),
                   "more than one YAML document; remove the extra '---'");
        yaml_event_delete(&ev);
        goto out;
    }
    yaml_event_delete(&ev);
    ok = true;
out:
    yaml_parser_delete(&c.parser);
    if (!ok) {
        val_free(root);
        return NULL;
    }
    return root;
}

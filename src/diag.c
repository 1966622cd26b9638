/* diag: path:line:col messages and the error count (see diag.h). */
#include "diag.h"

#include <stdarg.h>
#include <string.h>

void
diag_init(struct diag *d, FILE *out)
{
    d->out = out;
    d->errors = d->warnings = 0;
    d->no_warnings = false;
    buf_init(&d->text);
    d->held = 0;
}

void
diag_fini(struct diag *d)
{
    diag_flush(d);
    buf_fini(&d->text);
}

void
diag_init_sub(struct diag *sub, const struct diag *parent)
{
    diag_init(sub, NULL);
    sub->no_warnings = parent->no_warnings;
}

void
diag_print(const struct diag *d, const char *text, size_t len)
{
    if (d->out == NULL || len == 0)
        return;
    fwrite(text, 1, len, d->out);
    fflush(d->out);
}

void
diag_merge_held(struct diag *d, struct diag *sub)
{
    d->errors += sub->errors;
    d->warnings += sub->warnings;
    if (sub->text.len > 0) {
        buf_add(&d->text, sub->text.data, sub->text.len);
        d->held += sub->text.len;
    }
    diag_reset(sub);
}

void
diag_flush(struct diag *d)
{
    if (d->held == 0)
        return;
    diag_print(d, d->text.data + d->text.len - d->held, d->held);
    d->held = 0;
}

void
diag_merge(struct diag *d, struct diag *sub)
{
    diag_merge_held(d, sub);
    diag_flush(d);
}

void
diag_reset(struct diag *d)
{
    d->errors = d->warnings = 0;
    buf_reset(&d->text);
    d->held = 0;
}

static void emit(struct diag *d, const char *kind, const char *path, int line,
                 int col, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

/* One message, on one line of the compiler's form (a line break in what
 * it quotes becomes a space). */
static void
emit(struct diag *d, const char *kind, const char *path, int line, int col,
     const char *fmt, va_list ap)
{
    diag_flush(d); /* what was merged before it, first */
    size_t start = d->text.len;

    buf_puts(&d->text, path != NULL ? path : "blog");
    if (line > 0) {
        buf_printf(&d->text, ":%d", line);
        if (col > 0)
            buf_printf(&d->text, ":%d", col);
    }
    buf_printf(&d->text, ": %s: ", kind);
    size_t msg = d->text.len;
    buf_vprintf(&d->text, fmt, ap);
    for (size_t i = msg; i < d->text.len; i++)
        if (d->text.data[i] == '\n')
            d->text.data[i] = ' ';
    buf_putc(&d->text, '\n');
    diag_print(d, d->text.data + start, d->text.len - start);
}

void
diag_error(struct diag *d, const char *path, int line, int col,
           const char *fmt, ...)
{
    va_list ap;

    d->errors++;
    va_start(ap, fmt);
    emit(d, "error", path, line, col, fmt, ap);
    va_end(ap);
}

void
diag_warning(struct diag *d, const char *path, int line, int col,
             const char *fmt, ...)
{
    va_list ap;

    d->warnings++;
    if (d->no_warnings)
        return;
    va_start(ap, fmt);
    emit(d, "warning", path, line, col, fmt, ap);
    va_end(ap);
}

void
diag_note(struct diag *d, const char *path, int line, int col,
          const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    emit(d, "note", path, line, col, fmt, ap);
    va_end(ap);
}

/* Levenshtein distance, capped: words longer than 62 bytes are "far". */
static size_t
distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64], i, j;

    if (lb >= 63 || la >= 63)
        return 99;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub = prev + (a[i - 1] != b[j - 1]);
            size_t del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
        }
    }
    return row[lb];
}

const char *
diag_closest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = 3, i;

    if (strlen(word) <= 3)
        return NULL;
    for (i = 0; i < n; i++) {
        size_t dist = distance(word, cands[i]);
        if (dist < best_d) {
            best_d = dist;
            best = cands[i];
        }
    }
    return best;
}

/*
 * diag: the one place that writes messages for people, in a compiler's form:
 *
 *     path:line:col: error: what is wrong and how to fix it
 *     path:line: warning: ...            (col 0: no column)
 *     path: error: ...                   (line 0: no position)
 *
 * Messages go to the stream given at init (stderr in the CLI, NULL for
 * none) and are also kept as text, so that the preview server can show them
 * in the browser.  Callers keep going after an error and check
 * diag_errors() at the end.
 */
#ifndef DIAG_H
#define DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"

struct diag {
    FILE *out;        /* where messages are printed; NULL: keep only */
    int errors;
    int warnings;
    struct buf text;  /* every message printed so far */
    size_t held;      /* the last bytes of text, merged but not printed
                         yet (diag_merge_held()) */
    bool no_warnings; /* drop warnings (--quiet): counted, neither printed
                         nor kept, so a state made with it is not used by
                         a build without it (opts_key() in site.c) */
};

void diag_init(struct diag *d, FILE *out);
void diag_fini(struct diag *d);
/* A diag that keeps what one thread reports, to be merged into parent
 * (in a fixed order) with diag_merge(): it prints nothing itself. */
void diag_init_sub(struct diag *sub, const struct diag *parent);
/* Adds sub's counts and messages to d, printing the messages to d's
 * stream, and empties sub. */
void diag_merge(struct diag *d, struct diag *sub);
/* As diag_merge(), but the messages are printed by the next
 * diag_flush(), or before the next message d prints: one write for the
 * messages of many subs, in the order they were merged. */
void diag_merge_held(struct diag *d, struct diag *sub);
/* Prints what diag_merge_held() merged. */
void diag_flush(struct diag *d);
/* Forgets counts and kept text. */
void diag_reset(struct diag *d);
/* Prints len bytes of messages as diag keeps them in text to d's
 * stream. */
void diag_print(const struct diag *d, const char *text, size_t len);

/* path may be NULL (then "blog" is used); line and col are 1-based, 0 to
 * leave them out.  The message starts lowercase and has no final period. */
void diag_error(struct diag *d, const char *path, int line, int col,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_warning(struct diag *d, const char *path, int line, int col,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A "note:" line that explains the message before it. */
void diag_note(struct diag *d, const char *path, int line, int col,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* For "did you mean": the candidate closest to word (at most two edits
 * away, word longer than three bytes), or NULL.  Borrowed from cands. */
const char *diag_closest(const char *word, const char *const *cands,
                         size_t n);

static inline int
diag_errors(const struct diag *d)
{
    return d->errors;
}

#endif

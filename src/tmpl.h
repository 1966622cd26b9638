/*
 * tmpl: Mustache templates (https://mustache.github.io/mustache.5.html).
 *
 *     templates/NAME.html -> tmpl_set_add (compiled once) -> tmpl_render with a
 *     val tree as the context -> HTML appended to a buf
 *
 * Passes the official spec's comments, delimiters, interpolation, inverted,
 * partials and sections tests (tests/spec/).  Lambdas are not supported:
 * the data is a val tree, which holds no code.  One extension: a dotted
 * name may index a list, so {{#tags.0}} asks "is there a first tag?".
 *
 * A set is read-only while rendering, so several threads may render from
 * one set at once.
 */
#ifndef TMPL_H
#define TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "val.h"

/* Deepest nesting of sections in one template, and of partials while
 * rendering (a partial that includes itself stops here with an error). */
#define TMPL_MAX_DEPTH 100

struct tmpl_set;

/* A new, empty set; free with tmpl_set_free(). */
struct tmpl_set *tmpl_set_new(void);
void tmpl_set_free(struct tmpl_set *set);
/* Strict: a partial that is not in the set is an error (the spec renders
 * it as nothing, which is the default). */
void tmpl_set_strict(struct tmpl_set *set, bool strict);

/*
 * Compiles src[0..len) as the template `name` (replacing one of that
 * name).  path names the file in messages.  On a syntax error (unclosed
 * tag or section, a close that does not match, a bad delimiter change)
 * reports it at its line:col and returns false.
 */
bool tmpl_set_add(struct tmpl_set *set, const char *name, const char *src,
                  size_t len, const char *path, struct diag *d);
bool tmpl_set_has(const struct tmpl_set *set, const char *name);

/* Renders template `name` with ctx and appends the text to out.  Returns
 * false, with an error in d, for an unknown template, a missing partial
 * (strict sets) or partials nested deeper than TMPL_MAX_DEPTH. */
bool tmpl_render(const struct tmpl_set *set, const char *name,
                 const struct val *ctx, struct buf *out, struct diag *d);

/*
 * A memo of list items: what a section's body rendered to for an item
 * marked stable (val.h), kept and used again when the same section shows
 * the same item on another page, as a post's summary on its tag pages.
 * It is kept only if every name the body looked up was found in the item
 * (or in the items of sections inside it), so that the text cannot depend
 * on the page, and only where no partial's indentation applies.  One memo
 * may be used by several threads at once.  The stable items must outlive
 * it unchanged: it knows them by their address.
 */
struct tmpl_memo;

struct tmpl_memo *tmpl_memo_new(void);
void tmpl_memo_free(struct tmpl_memo *m);
/* tmpl_render() with a memo (NULL: none). */
bool tmpl_render_memo(const struct tmpl_set *set, const char *name,
                      const struct val *ctx, struct buf *out, struct diag *d,
                      struct tmpl_memo *memo);

#endif

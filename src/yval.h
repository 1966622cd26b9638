/*
 * yval: YAML text -> val tree, with libyaml.  Used for front matter,
 * site.yaml and scenario files.
 *
 * Only what a config or front matter needs: one document, block and flow
 * collections, plain and quoted scalars (plain ones resolved as YAML 1.1
 * does: null, true/false, numbers, else strings).  Refused with an error:
 * aliases (no "billion laughs"), duplicate keys, non-scalar keys, and
 * nesting deeper than YVAL_MAX_DEPTH.
 */
#ifndef YVAL_H
#define YVAL_H

#include <stddef.h>

#include "diag.h"
#include "val.h"

#define YVAL_MAX_DEPTH 64

/*
 * Parses text[0..len).  path names the file in messages; line_offset is
 * added to libyaml's line numbers (the front matter starts after a "---"
 * line).  Returns a new tree (an empty document gives a VAL_NULL node),
 * freed by val_free(); on error reports it to d and returns NULL.
 */
struct val *yval_parse(const char *text, size_t len, const char *path,
                       int line_offset, struct diag *d);

#endif

/*
 * scn: scenario files (content/diagrams/NAME.yaml) -> TCP engine -> trace.
 * The scenario language is documented in docs/scenarios.md.
 */
#ifndef SCN_H
#define SCN_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "trace.h"

/*
 * Reads and runs the scenario in text[0..len); path names it in messages
 * and gives the trace its name.  strict: refuse teaching variants.
 * Returns a new trace (trace_free()), or NULL after reporting every error
 * found to d.
 */
struct trace *scn_run(const char *text, size_t len, const char *path,
                      bool strict, struct diag *d);
/* The same for a file on disk. */
struct trace *scn_run_file(const char *path, bool strict, struct diag *d);

#endif

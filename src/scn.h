/*
 * scn: scenario files (content/diagrams/NAME.yaml) -> TCP engine -> trace.
 *
 *     scenario YAML -> scn -> tcp (two endpoints, a simulated network)
 *                   -> trace -> seq -> draw
 *
 * A scenario names two peers and lists steps: what the applications do
 * (listen, connect, send N, close, abort) and what the network and the
 * clock do (deliver, drop, timeout, wait: 2msl), plus notes.  scn reads
 * the YAML (yval), checks it, runs it on two tcp endpoints with a FIFO of
 * in-flight segments per direction, and records every segment and state
 * change in a trace.  The language is documented in docs/scenarios.md.
 */
#ifndef SCN_H
#define SCN_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "trace.h"

/* Limits, each reported with a clear error when passed. */
#define SCN_MAX_STEPS    200 /* rows of a diagram */
#define SCN_MAX_SEGMENTS 400 /* segments sent in one scenario */
#define SCN_MIN_SIZE     120 /* CSS px, each side */
#define SCN_MAX_SIZE     4000
#define SCN_MAX_NAME     32  /* bytes of a peer name */
#define SCN_MAX_TEXT     500 /* bytes of a title or a note */

/*
 * Reads and runs the scenario in text[0..len); path names it in messages
 * and gives the trace its name (the file name without .yaml).  strict:
 * refuse teaching variants (they are not RFC 9293).  Returns a new trace
 * (free with trace_free()), or NULL after reporting every error found to d
 * as "path:line:col: error: ...".  Warnings (segments still in flight at
 * the end) do not fail the run.
 */
struct trace *scn_run(const char *text, size_t len, const char *path,
                      bool strict, struct diag *d);
/* The same for a file on disk (at most FS_MAX_FILE bytes). */
struct trace *scn_run_file(const char *path, bool strict, struct diag *d);

#endif

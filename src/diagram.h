/*
 * diagram: a scenario file -> PNG and SVG files (scn -> seq -> draw).
 */
#ifndef DIAGRAM_H
#define DIAGRAM_H

#include <stdbool.h>

#include "diag.h"
#include "trace.h"

/* Renders t to path; the format follows the extension (.png or .svg).
 * scale multiplies the PNG's pixel size (2: twice the CSS size). */
bool diagram_render(const struct trace *t, const char *path, double scale,
                    struct diag *d);

/*
 * Used by the site build: runs the scenario at scn_path and writes
 * png_path (at 2x) and svg_path.  cache_dir (may be NULL) holds renders
 * keyed by the scenario's bytes and the renderer version, so that an
 * unchanged scenario is copied instead of re-rendered.  Errors go to d.
 */
bool diagram_build(const char *scn_path, const char *png_path,
                   const char *svg_path, const char *cache_dir,
                   struct diag *d);

/* Releases process-wide caches (cairo, fontconfig) so that leak checkers
 * see a clean exit; called once by main() in sanitizer builds. */
void diagram_fini(void);

#endif

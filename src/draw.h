/*
 * draw: geometry -> pixels and vectors, with cairo.
 *
 *     trace -> seq (geometry) -> draw -> PNG (libpng) or SVG (cairo)
 *
 * One function, draw_paint(), paints a struct seq_diagram on any cairo
 * context; PNG and SVG differ only in the surface under it.  Text is set in
 * DejaVu Sans, chosen by name through fontconfig, without hinting, so that
 * its measurements (draw_text_ops()) are the same at every scale and the
 * layout does not depend on the output format.
 */
#ifndef DRAW_H
#define DRAW_H

#include <stdbool.h>

#include <cairo.h>

#include "buf.h"
#include "diag.h"
#include "seq.h"

/* Finds the fonts (once per process).  Returns false and reports an error
 * naming the package to install when DejaVu Sans is missing. */
bool draw_init(struct diag *d);
/* Releases the fonts and cairo's and fontconfig's process-wide caches. */
void draw_fini(void);

/* Text measurement for seq_layout(); valid after draw_init(). */
const struct seq_text_ops *draw_text_ops(void);

/* Paints g on cr, in CSS px (scale cr first for more pixels). */
void draw_paint(cairo_t *cr, const struct seq_diagram *g);

enum draw_png_writer {
    DRAW_PNG_LIBPNG, /* 8-bit grayscale through libpng, tuned: the default */
    DRAW_PNG_CAIRO,  /* cairo_surface_write_to_png(): RGB, for comparison */
};

/* Appends g as a PNG of (width x scale) x (height x scale) pixels to out.
 * Returns false (with an error for path) if cairo or libpng fails.  Keeps
 * its pixel buffer for the next call (draw_fini() frees it): one thread
 * at a time. */
bool draw_png(const struct seq_diagram *g, double scale,
              enum draw_png_writer how, struct buf *out, const char *path,
              struct diag *d);
/* Appends g as an SVG document of width x height px to out. */
bool draw_svg(const struct seq_diagram *g, struct buf *out, const char *path,
              struct diag *d);

#endif

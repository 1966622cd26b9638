/*
 * diagram: a scenario file -> PNG and SVG files.
 *
 *     scenario -> scn (run) -> trace -> seq (layout) -> draw (cairo) -> files
 *
 * The site build renders each scenario through diagram_build(), which keeps
 * finished renders in a cache folder keyed by the scenario's bytes and the
 * renderer's version, so an unchanged scenario is copied, not re-run.
 */
#include "diagram.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "draw.h"
#include "fs.h"
#include "scn.h"
#include "seq.h"
#include "xmem.h"

/* Bump when the engine, the layout or the drawing changes what a scenario
 * renders to: it invalidates every cached render. */
#define RENDERER_VERSION "diagram-1"

static bool
has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), m = strlen(ext);

    return n > m && strcmp(path + n - m, ext) == 0;
}

/* Lays t out, warning at path when it does not fit; NULL if the fonts
 * are missing. */
static struct seq_diagram *
layout(const struct trace *t, const char *path, struct diag *d)
{
    struct seq_diagram *g;
    char why[200];

    if (!draw_init(d))
        return NULL;
    g = seq_layout(t, draw_text_ops());
    if (g->overlaps > 0 && seq_count_overlaps(g, why, sizeof why) > 0)
        diag_warning(d, path, 0, 0,
                     "the diagram does not fit in %dx%d px: %s; make its "
                     "'size' larger or shorten its notes",
                     (int)g->width, (int)g->height, why);
    return g;
}

bool
diagram_render(const struct trace *t, const char *path, double scale,
               struct diag *d)
{
    struct seq_diagram *g;
    struct buf out;
    bool svg, ok = false;

    if (has_ext(path, ".svg"))
        svg = true;
    else if (has_ext(path, ".png"))
        svg = false;
    else {
        diag_error(d, path, 0, 0,
                   "unknown image format; name the output '.png' or '.svg'");
        return false;
    }
    if (!(scale > 0 && scale <= 16)) {
        diag_error(d, path, 0, 0, "scale %g is out of range; use 0 < S <= 16",
                   scale);
        return false;
    }
    if (!svg && (double)t->width * t->height * scale * scale > 64e6) {
        diag_error(d, path, 0, 0,
                   "a %dx%d diagram at scale %g would be %.0f megapixels; "
                   "the limit is 64: lower --scale",
                   t->width, t->height, scale,
                   (double)t->width * t->height * scale * scale / 1e6);
        return false;
    }
    if ((g = layout(t, path, d)) == NULL)
        return false;
    buf_init(&out);
    if (svg ? draw_svg(g, &out, path, d)
            : draw_png(g, scale, DRAW_PNG_LIBPNG, &out, path, d))
        ok = fs_write(path, buf_str(&out), out.len, d);
    buf_fini(&out);
    seq_free(g);
    return ok;
}

/* 128 bits of FNV-1a (two 64-bit lanes with different offsets), as hex:
 * enough to tell scenario files apart; not a defence against anyone. */
static void
cache_key(const char *data, size_t len, char out[33])
{
    uint64_t a = 0xcbf29ce484222325u, b = 0x84222325cbf29ce4u;
    const char *v = RENDERER_VERSION;
    size_t i;

    for (i = 0; v[i] != '\0'; i++) {
        a = (a ^ (unsigned char)v[i]) * 0x100000001b3u;
        b = (b ^ (unsigned char)v[i]) * 0x100000001b3u;
    }
    for (i = 0; i < len; i++) {
        a = (a ^ (unsigned char)data[i]) * 0x100000001b3u;
        b = (b ^ (unsigned char)data[len - 1 - i]) * 0x100000001b3u;
    }
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)a,
             (unsigned long long)b);
}

bool
diagram_build(const char *scn_path, const char *png_path, const char *svg_path,
              const char *cache_dir, struct diag *d)
{
    char *text = NULL, *cpng = NULL, *csvg = NULL, key[33], name[48];
    struct trace *t = NULL;
    struct seq_diagram *g = NULL;
    struct buf png, svg;
    struct diag quiet;
    size_t len;
    bool ok = false;

    buf_init(&png);
    buf_init(&svg);
    if ((text = fs_read(scn_path, FS_MAX_FILE, &len, d)) == NULL)
        goto out;
    if (cache_dir != NULL) {
        cache_key(text, len, key);
        snprintf(name, sizeof name, "%s.png", key);
        cpng = fs_join(cache_dir, name);
        snprintf(name, sizeof name, "%s.svg", key);
        csvg = fs_join(cache_dir, name);
        if (fs_exists(cpng) && fs_exists(csvg) && fs_copy(cpng, png_path, d) &&
            fs_copy(csvg, svg_path, d)) {
            ok = true;
            goto out;
        }
    }
    if ((t = scn_run(text, len, scn_path, false, d)) == NULL)
        goto out;
    if ((g = layout(t, scn_path, d)) == NULL ||
        !draw_png(g, 2, DRAW_PNG_LIBPNG, &png, png_path, d) ||
        !draw_svg(g, &svg, svg_path, d))
        goto out;
    if (!fs_write(png_path, buf_str(&png), png.len, d) ||
        !fs_write(svg_path, buf_str(&svg), svg.len, d))
        goto out;
    ok = true;
    if (cache_dir != NULL) {
        /* A cache that cannot be written costs time, not correctness. */
        diag_init(&quiet, NULL);
        if (fs_write(cpng, buf_str(&png), png.len, &quiet))
            fs_write(csvg, buf_str(&svg), svg.len, &quiet);
        diag_fini(&quiet);
    }
out:
    seq_free(g);
    trace_free(t);
    buf_fini(&png);
    buf_fini(&svg);
    free(cpng);
    free(csvg);
    free(text);
    return ok;
}

void
diagram_fini(void)
{
    draw_fini();
}

/*
 * draw: geometry -> PNG and SVG with cairo (see draw.h).
 *
 * The look is a teacher's whiteboard drawn precisely: black ink on white,
 * greys only (so a PNG is an 8-bit grayscale image), straight lines on
 * pixel centres, and every kind of thing told apart by shape, never by
 * colour alone: square grey headers for peers, rounded boxes for states,
 * filled heads for arrivals, a cross for a loss, a folded corner for a note.
 */
#include "draw.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-ft.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <png.h>
#include <zlib.h>

#include "gfx.h"
#include "xmem.h"

#define FAMILY "DejaVu Sans"

/* The PNG encoder's settings (measured: docs/diagrams.md); the -D forms
 * exist for that measurement. */
#ifndef DRAW_ZLEVEL
#define DRAW_ZLEVEL 1
#endif
#ifndef DRAW_ZSTRATEGY
#define DRAW_ZSTRATEGY Z_DEFAULT_STRATEGY
#endif
#ifndef DRAW_PNG_FILTER
#define DRAW_PNG_FILTER PNG_FILTER_NONE
#endif

/* Ink, as grey levels (0 black .. 1 white). */
#define INK       0.08 /* lines, arrows, text */
#define INK_SOFT  0.30 /* lifelines, brackets, captions */
#define FILL_HEAD 0.91 /* peer header boxes */
#define FILL_NOTE 0.965

/* Made once, by the first thread that draws (under init_lock), and only
 * read after: ready is set last. */
static struct {
    atomic_bool ready;
    cairo_font_face_t *face[SEQ_NFONTS];
    cairo_font_options_t *opts;
} fonts;
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;

/* The pixels of the thread's last PNG, kept for its next: the pages are
 * then already mapped, which saves more time than the drawing takes.
 * Given back when the thread ends (canvas_key), or by draw_fini(). */
static _Thread_local struct {
    unsigned char *data;
    size_t cap;
} canvas;
static pthread_key_t canvas_key;
static pthread_once_t canvas_once = PTHREAD_ONCE_INIT;

static void
make_canvas_key(void)
{
    if (pthread_key_create(&canvas_key, free) != 0)
        abort();
}

static bool
is_bold(enum seq_font f)
{
    return f == SEQ_FONT_TITLE || f == SEQ_FONT_HEADER || f == SEQ_FONT_STATE ||
           f == SEQ_FONT_NUMBER;
}

/*
 * Chooses DejaVu Sans by name and pins the match to its file, with
 * hinting off: the same outlines and advances at every scale and on every
 * machine with the package, whatever the local fontconfig settings say.
 */
static cairo_font_face_t *
open_face(bool bold, struct diag *d)
{
    FcPattern *want = FcPatternCreate(), *got = NULL, *pin = NULL;
    FcResult res;
    FcChar8 *family = NULL, *file = NULL;
    int index = 0, weight = 0;
    cairo_font_face_t *face = NULL;

    FcPatternAddString(want, FC_FAMILY, (const FcChar8 *)FAMILY);
    FcPatternAddInteger(want, FC_WEIGHT,
                        bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(want, FC_SLANT, FC_SLANT_ROMAN);
    FcPatternAddInteger(want, FC_WIDTH, FC_WIDTH_NORMAL);
    FcConfigSubstitute(NULL, want, FcMatchPattern);
    FcDefaultSubstitute(want);
    got = FcFontMatch(NULL, want, &res);
    if (got == NULL ||
        FcPatternGetString(got, FC_FAMILY, 0, &family) != FcResultMatch ||
        strcmp((const char *)family, FAMILY) != 0 ||
        FcPatternGetString(got, FC_FILE, 0, &file) != FcResultMatch ||
        FcPatternGetInteger(got, FC_WEIGHT, 0, &weight) != FcResultMatch ||
        (bold != (weight >= FC_WEIGHT_BOLD))) {
        diag_error(d, NULL, 0, 0,
                   "font '" FAMILY "%s' not found; install the Debian "
                   "package fonts-dejavu-core",
                   bold ? " Bold" : "");
        goto out;
    }
    FcPatternGetInteger(got, FC_INDEX, 0, &index);
    pin = FcPatternCreate();
    FcPatternAddString(pin, FC_FILE, file);
    FcPatternAddInteger(pin, FC_INDEX, index);
    FcPatternAddBool(pin, FC_HINTING, FcFalse);
    FcPatternAddInteger(pin, FC_HINT_STYLE, FC_HINT_NONE);
    FcPatternAddBool(pin, FC_ANTIALIAS, FcTrue);
    FcPatternAddInteger(pin, FC_RGBA, FC_RGBA_NONE);
    FcPatternAddBool(pin, FC_AUTOHINT, FcFalse);
    FcPatternAddBool(pin, FC_EMBEDDED_BITMAP, FcFalse);
    face = cairo_ft_font_face_create_for_pattern(pin);
out:
    if (pin != NULL)
        FcPatternDestroy(pin);
    if (got != NULL)
        FcPatternDestroy(got);
    FcPatternDestroy(want);
    return face;
}

static bool
init_locked(struct diag *d)
{
    cairo_font_face_t *regular, *bold;
    int f;

    char err[256];

    if (atomic_load_explicit(&fonts.ready, memory_order_relaxed))
        return true;
    if (!gfx_load(err, sizeof err)) {
        diag_error(d, NULL, 0, 0, "%s", err);
        return false;
    }
    if (!FcInit()) {
        diag_error(d, NULL, 0, 0, "fontconfig could not be initialised");
        return false;
    }
    regular = open_face(false, d);
    bold = open_face(true, d);
    if (regular == NULL || bold == NULL) {
        if (regular != NULL)
            cairo_font_face_destroy(regular);
        if (bold != NULL)
            cairo_font_face_destroy(bold);
        return false;
    }
    for (f = 0; f < SEQ_NFONTS; f++)
        fonts.face[f] = cairo_font_face_reference(
            is_bold((enum seq_font)f) ? bold : regular);
    cairo_font_face_destroy(regular);
    cairo_font_face_destroy(bold);
    fonts.opts = cairo_font_options_create();
    cairo_font_options_set_antialias(fonts.opts, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(fonts.opts, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fonts.opts, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_subpixel_order(fonts.opts,
                                          CAIRO_SUBPIXEL_ORDER_DEFAULT);
    atomic_store_explicit(&fonts.ready, true, memory_order_release);
    return true;
}

bool
draw_init(struct diag *d)
{
    bool ok;

    if (atomic_load_explicit(&fonts.ready, memory_order_acquire))
        return true;
    pthread_mutex_lock(&init_lock);
    ok = init_locked(d);
    pthread_mutex_unlock(&init_lock);
    return ok;
}

void
draw_fini(void)
{
    int f;

    if (atomic_load(&fonts.ready)) {
        for (f = 0; f < SEQ_NFONTS; f++)
            cairo_font_face_destroy(fonts.face[f]);
        cairo_font_options_destroy(fonts.opts);
        for (f = 0; f < SEQ_NFONTS; f++)
            fonts.face[f] = NULL;
        fonts.opts = NULL;
        atomic_store(&fonts.ready, false);
    }
    if (canvas.data != NULL)
        pthread_setspecific(canvas_key, NULL);
    free(canvas.data);
    memset(&canvas, 0, sizeof canvas);
    if (!gfx_loaded())
        return; /* nothing drawn: nothing of theirs to release */
    cairo_debug_reset_static_data();
    FcFini();
}

static void
measure(void *ctx, enum seq_font font, double size, const char *s,
        struct seq_extent *out)
{
    cairo_matrix_t fm, ctm;
    cairo_scaled_font_t *sf;
    cairo_font_extents_t fe;
    cairo_text_extents_t te;

    (void)ctx;
    assert(fonts.ready);
    cairo_matrix_init_scale(&fm, size, size);
    cairo_matrix_init_identity(&ctm);
    sf = cairo_scaled_font_create(fonts.face[font], &fm, &ctm, fonts.opts);
    cairo_scaled_font_extents(sf, &fe);
    cairo_scaled_font_text_extents(sf, s, &te);
    out->width = te.x_advance;
    out->ascent = fe.ascent;
    out->descent = fe.descent;
    cairo_scaled_font_destroy(sf);
}

const struct seq_text_ops *
draw_text_ops(void)
{
    static const struct seq_text_ops ops = {measure, NULL};

    return &ops;
}

/* ---- painting ---- */

/*
 * PNGs are painted on an A8 surface holding ink coverage (0 white .. 255
 * black): a quarter of the memory of RGB, which matters because a fresh
 * 1600x1200 RGB surface spends more time in page faults than in drawing.
 * Vector surfaces get ordinary greys.
 */
static bool
is_coverage(cairo_t *cr)
{
    return cairo_surface_get_content(cairo_get_target(cr)) ==
           CAIRO_CONTENT_ALPHA;
}

static void
grey(cairo_t *cr, double v)
{
    if (is_coverage(cr))
        cairo_set_source_rgba(cr, 0, 0, 0, 1 - v);
    else
        cairo_set_source_rgb(cr, v, v, v);
}

/* A coordinate on a pixel centre, for crisp 1-px strokes. */
static double
px(double v)
{
    return floor(v) + 0.5;
}

static void
text(cairo_t *cr, const struct seq_text *t, double ink)
{
    if (t->s == NULL)
        return;
    cairo_save(cr);
    cairo_set_font_face(cr, fonts.face[t->font]);
    cairo_set_font_size(cr, t->size);
    grey(cr, ink);
    cairo_translate(cr, t->x, t->y);
    cairo_rotate(cr, t->angle);
    cairo_move_to(cr, 0, 0);
    cairo_show_text(cr, t->s);
    cairo_restore(cr);
}

static void
rect_path(cairo_t *cr, const struct seq_rect *r)
{
    double x0 = px(r->x), y0 = px(r->y);
    double x1 = px(r->x + r->w), y1 = px(r->y + r->h);

    cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
}

static void
rounded_path(cairo_t *cr, const struct seq_rect *r, double rad)
{
    double x0 = px(r->x), y0 = px(r->y);
    double x1 = px(r->x + r->w), y1 = px(r->y + r->h);

    cairo_new_sub_path(cr);
    cairo_arc(cr, x1 - rad, y0 + rad, rad, -M_PI / 2, 0);
    cairo_arc(cr, x1 - rad, y1 - rad, rad, 0, M_PI / 2);
    cairo_arc(cr, x0 + rad, y1 - rad, rad, M_PI / 2, M_PI);
    cairo_arc(cr, x0 + rad, y0 + rad, rad, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
}

/* Fills the current path, hiding what is under it, then strokes it. */
static void
fill_stroke(cairo_t *cr, double fill, double ink, double width)
{
    grey(cr, fill);
    if (is_coverage(cr))
        cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_fill_preserve(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
    grey(cr, ink);
    cairo_set_line_width(cr, width);
    cairo_stroke(cr);
}

static void
paint_arrow(cairo_t *cr, const struct seq_arrow *a)
{
    double dx = a->x1 - a->x0, dy = a->y1 - a->y0, l = hypot(dx, dy);
    double ux = l > 0 ? dx / l : 1, uy = l > 0 ? dy / l : 0;

    grey(cr, INK);
    cairo_set_line_width(cr, 1.2);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    if (a->retransmit) {
        static const double dash[] = {6, 3};
        cairo_set_dash(cr, dash, 2, 0);
    }
    cairo_move_to(cr, a->x0, a->y0);
    if (a->lost)
        cairo_line_to(cr, a->x1, a->y1);
    else
        cairo_line_to(cr, a->x1 - ux * (SEQ_HEAD_LEN - 1),
                      a->y1 - uy * (SEQ_HEAD_LEN - 1));
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    if (a->lost) {
        double c = SEQ_CROSS;
        cairo_set_line_width(cr, 2.0);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_move_to(cr, a->x1 - c, a->y1 - c);
        cairo_line_to(cr, a->x1 + c, a->y1 + c);
        cairo_move_to(cr, a->x1 - c, a->y1 + c);
        cairo_line_to(cr, a->x1 + c, a->y1 - c);
        cairo_stroke(cr);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    } else {
        /* A slim filled head with a slightly hollow back. */
        double bx = a->x1 - ux * SEQ_HEAD_LEN, by = a->y1 - uy * SEQ_HEAD_LEN;
        cairo_move_to(cr, a->x1, a->y1);
        cairo_line_to(cr, bx - uy * SEQ_HEAD_HALF, by + ux * SEQ_HEAD_HALF);
        cairo_line_to(cr, a->x1 - ux * SEQ_HEAD_LEN * 0.8,
                      a->y1 - uy * SEQ_HEAD_LEN * 0.8);
        cairo_line_to(cr, bx + uy * SEQ_HEAD_HALF, by - ux * SEQ_HEAD_HALF);
        cairo_close_path(cr);
        cairo_fill(cr);
        if (a->ignored) {
            /* discarded on arrival: a bar across the head */
            cairo_set_line_width(cr, 1.5);
            cairo_move_to(cr, a->x1 - ux * 11 - uy * 6,
                          a->y1 - uy * 11 + ux * 6);
            cairo_line_to(cr, a->x1 - ux * 11 + uy * 6,
                          a->y1 - uy * 11 - ux * 6);
            cairo_stroke(cr);
        }
    }
    text(cr, &a->label, INK);
    if (a->numbered) {
        cairo_new_path(cr);
        cairo_arc(cr, a->cx, a->cy, a->r, 0, 2 * M_PI);
        fill_stroke(cr, 1.0, INK, 0.9);
        text(cr, &a->number, INK);
    }
}

static void
paint_bracket(cairo_t *cr, const struct seq_bracket *b)
{
    grey(cr, INK_SOFT);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, b->x + b->tick, px(b->y0));
    cairo_line_to(cr, b->x, px(b->y0));
    cairo_line_to(cr, b->x, px(b->y1));
    cairo_line_to(cr, b->x + b->tick, px(b->y1));
    cairo_stroke(cr);
    text(cr, &b->label, INK_SOFT);
}

static void
paint_note(cairo_t *cr, const struct seq_note *n)
{
    double x0 = px(n->box.x), y0 = px(n->box.y);
    double x1 = px(n->box.x + n->box.w), y1 = px(n->box.y + n->box.h);
    double fold = 7;
    size_t k;

    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1 - fold, y0);
    cairo_line_to(cr, x1, y0 + fold);
    cairo_line_to(cr, x1, y1);
    cairo_line_to(cr, x0, y1);
    cairo_close_path(cr);
    fill_stroke(cr, FILL_NOTE, INK_SOFT, 1);
    cairo_move_to(cr, x1 - fold, y0);
    cairo_line_to(cr, x1 - fold, y0 + fold);
    cairo_line_to(cr, x1, y0 + fold);
    cairo_stroke(cr);
    for (k = 0; k < n->nlines; k++)
        text(cr, &n->lines[k], INK);
}

void
draw_paint(cairo_t *cr, const struct seq_diagram *g)
{
    size_t i;
    int p;

    assert(fonts.ready);
    cairo_save(cr);
    cairo_set_font_options(cr, fonts.opts);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    if (!is_coverage(cr)) { /* coverage starts at zero: white already */
        grey(cr, 1.0);
        cairo_paint(cr);
    }

    for (p = 0; p < 2; p++) {
        grey(cr, INK_SOFT);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, px(g->life[p].x), g->life[p].y0);
        cairo_line_to(cr, px(g->life[p].x), g->life[p].y1);
        cairo_stroke(cr);
        /* the end of time on this side: a short bar */
        cairo_move_to(cr, px(g->life[p].x) - 4, px(g->life[p].y1));
        cairo_line_to(cr, px(g->life[p].x) + 4, px(g->life[p].y1));
        cairo_stroke(cr);
    }
    for (p = 0; p < 2; p++) {
        rect_path(cr, &g->header[p].box);
        fill_stroke(cr, FILL_HEAD, INK, 1);
        text(cr, &g->header[p].name, INK);
    }
    for (i = 0; i < g->nbrackets; i++)
        paint_bracket(cr, &g->brackets[i]);
    for (i = 0; i < g->nnotes; i++)
        paint_note(cr, &g->notes[i]);
    for (i = 0; i < g->narrows; i++)
        paint_arrow(cr, &g->arrows[i]);
    for (i = 0; i < g->nstates; i++) {
        const struct seq_state *s = &g->states[i];
        rounded_path(cr, &s->box, fmin(5, s->box.h / 2));
        fill_stroke(cr, 1.0, INK, 1);
        text(cr, &s->name, INK);
    }
    text(cr, &g->title, INK);
    text(cr, &g->caption, INK_SOFT);
    cairo_restore(cr);
}

/* ---- output ---- */

static cairo_status_t
to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    buf_add(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

static void
png_to_buf(png_structp png, png_bytep data, size_t len)
{
    buf_add(png_get_io_ptr(png), data, len);
}

static void
png_flush_none(png_structp png)
{
    (void)png;
}

static void
png_error_quiet(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void
png_warning_quiet(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/*
 * The drawing holds greys only, so one byte per pixel loses nothing.  zlib
 * level 1, no row filter: measured against cairo's writer and other
 * settings in docs/diagrams.md.  Rows are converted one at a time so that
 * no second full-size buffer is touched.
 */
static bool
write_gray_png(cairo_surface_t *s, struct buf *out)
{
    int w = cairo_image_surface_get_width(s);
    int h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *src = cairo_image_surface_get_data(s);
    unsigned char *row = xmalloc((size_t)w);
    png_structp png;
    png_infop info = NULL;
    bool ok = false;
    int x, y;

    assert(cairo_image_surface_get_format(s) == CAIRO_FORMAT_A8);
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_error_quiet,
                                  png_warning_quiet);
    if (png == NULL)
        goto out;
    info = png_create_info_struct(png);
    if (info == NULL)
        goto out;
    if (setjmp(png_jmpbuf(png)))
        goto out;
    png_set_write_fn(png, out, png_to_buf, png_flush_none);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, DRAW_ZLEVEL);
    png_set_compression_strategy(png, DRAW_ZSTRATEGY);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, DRAW_PNG_FILTER);
    png_write_info(png, info);
    for (y = 0; y < h; y++) {
        const unsigned char *a = src + (size_t)y * (size_t)stride;
        for (x = 0; x < w; x++)
            row[x] = (unsigned char)(255 - a[x]);
        png_write_row(png, row);
    }
    png_write_end(png, info);
    ok = true;
out:
    png_destroy_write_struct(&png, &info);
    free(row);
    return ok;
}

bool
draw_png(const struct seq_diagram *g, double scale, enum draw_png_writer how,
         struct buf *out, const char *path, struct diag *d)
{
    int w = (int)lround(g->width * scale), h = (int)lround(g->height * scale);
    cairo_format_t fmt =
        how == DRAW_PNG_CAIRO ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_A8;
    int stride = cairo_format_stride_for_width(fmt, w);
    size_t need = (size_t)stride * (size_t)h;
    cairo_surface_t *s;
    cairo_t *cr;
    bool ok = false;

    assert(scale > 0);
    if (need > canvas.cap) {
        pthread_once(&canvas_once, make_canvas_key);
        free(canvas.data);
        canvas.data = xcalloc(need, 1); /* fresh zero pages */
        canvas.cap = need;
        pthread_setspecific(canvas_key, canvas.data);
    } else {
        memset(canvas.data, 0, need);
    }
    s = cairo_image_surface_create_for_data(canvas.data, fmt, w, h, stride);
    cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    draw_paint(cr, g);
    cairo_surface_flush(s);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        diag_error(d, path, 0, 0, "cannot draw: %s",
                   cairo_status_to_string(cairo_status(cr)));
        goto out;
    }
    if (how == DRAW_PNG_CAIRO)
        ok = cairo_surface_write_to_png_stream(s, to_buf, out) ==
             CAIRO_STATUS_SUCCESS;
    else
        ok = write_gray_png(s, out);
    if (!ok)
        diag_error(d, path, 0, 0, "cannot encode the PNG image");
out:
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return ok;
}

/*
 * cairo names the page's group after a process-wide surface counter
 * (<g id="surface7">), so a second render in one process would differ from
 * the first; nothing refers to that id, so it gets a fixed name.
 */
static void
fix_surface_id(struct buf *out, size_t start)
{
    static const char open[] = "<g id=\"surface";
    char *p = strstr(out->data + start, open), *q;
    struct buf fixed;

    if (p == NULL || strstr(out->data + start, "#surface") != NULL)
        return;
    q = p + sizeof open - 1;
    while (*q >= '0' && *q <= '9')
        q++;
    if (*q != '"')
        return;
    buf_init(&fixed);
    buf_add(&fixed, out->data, (size_t)(p - out->data));
    buf_puts(&fixed, "<g id=\"diagram");
    buf_puts(&fixed, q);
    buf_fini(out);
    *out = fixed;
}

bool
draw_svg(const struct seq_diagram *g, struct buf *out, const char *path,
         struct diag *d)
{
    size_t start = out->len;

    cairo_surface_t *s;
    cairo_t *cr;
    cairo_status_t st;

    s = cairo_svg_surface_create_for_stream(to_buf, out, g->width, g->height);
    cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
    cr = cairo_create(s);
    draw_paint(cr, g);
    st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        diag_error(d, path, 0, 0, "cannot write the SVG image: %s",
                   cairo_status_to_string(st));
        return false;
    }
    fix_surface_id(out, start);
    return true;
}

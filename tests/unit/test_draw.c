/*
 * Unit tests: draw and diagram (geometry -> PNG/SVG).  Renders are compared
 * with tests/golden/images/: SVG byte for byte, PNG pixel by pixel with a
 * small tolerance, writing a diff image on failure.  Expected images change
 * only through tests/regen-images.sh (BLOG_REGEN_IMAGES=1).
 */
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "diagram.h"
#include "draw.h"
#include "fs.h"
#include "scn.h"
#include "seq.h"
#include "trace.h"
#include "xmem.h"
#include "tcheck.h"

#define GOLDEN "tests/golden/images"
/* A pixel may differ by this many grey levels (font rasterisers differ in
 * the last bit of antialiasing between library builds) ... */
#define PIXEL_TOLERANCE 24
/* ... and this many pixels may differ by more. */
#define PIXEL_OUTLIERS 0

static struct trace *
tr_new(const char *name, const char *title, int w, int h, enum tcp_state a,
       enum tcp_state b)
{
    struct trace *t = trace_new();

    t->name = xstrdup(name);
    t->title = title ? xstrdup(title) : NULL;
    t->peers[0] = xstrdup("client");
    t->peers[1] = xstrdup("server");
    t->initial[0] = a;
    t->initial[1] = b;
    t->width = w;
    t->height = h;
    return t;
}

static void
tr_state(struct trace *t, int row, int peer, enum tcp_state to)
{
    struct trace_event e = {0};

    e.kind = TRACE_STATE;
    e.step = row;
    e.peer = peer;
    e.to_state = to;
    trace_add(t, &e);
    if (row > t->steps)
        t->steps = row;
}

static struct trace_segment *
tr_seg(struct trace *t, int from, unsigned flags, uint32_t seq, uint32_t ack,
       int sent, int arrived)
{
    struct trace_event e = {0};
    unsigned id = 1;
    size_t i;

    for (i = 0; i < t->n; i++)
        if (t->ev[i].kind == TRACE_SEGMENT)
            id++;
    e.kind = TRACE_SEGMENT;
    e.step = sent;
    e.seg.id = id;
    e.seg.from = from;
    e.seg.to = 1 - from;
    e.seg.flags = flags;
    e.seg.seq = seq;
    e.seg.ack = ack;
    e.seg.wnd = 65535;
    e.seg.sent = sent;
    e.seg.arrived = arrived;
    e.seg.dropped = -1;
    if (arrived > t->steps)
        t->steps = arrived;
    return &trace_add(t, &e)->seg;
}

static void
tr_note(struct trace *t, int row, const char *text)
{
    struct trace_event e = {0};

    e.kind = TRACE_NOTE;
    e.step = row;
    e.text = xstrdup(text);
    trace_add(t, &e);
    if (row > t->steps)
        t->steps = row;
}

enum { C = 0, S = 1 };

static struct trace *
tr_three_way(void)
{
    struct trace *t =
        tr_new("tcp-establishment-3-packets", "Three-way handshake", 600, 400,
               TCP_CLOSED, TCP_CLOSED);
    tr_state(t, 1, S, TCP_LISTEN);
    tr_state(t, 2, C, TCP_SYN_SENT);
    tr_seg(t, C, TRACE_SYN, 1000, 0, 2, 3);
    tr_state(t, 3, S, TCP_SYN_RECEIVED);
    tr_seg(t, S, TRACE_SYN | TRACE_ACK, 5000, 1001, 3, 4);
    tr_state(t, 4, C, TCP_ESTABLISHED);
    tr_seg(t, C, TRACE_ACK, 1001, 5001, 4, 5);
    tr_state(t, 5, S, TCP_ESTABLISHED);
    return t;
}

/* The teaching variant: the server's ACK and SYN leave in one step and
 * arrive one step apart. */
static struct trace *
tr_four_way(void)
{
    struct trace *t =
        tr_new("tcp-establishment-4-packets", "Opening with four segments", 600,
               400, TCP_CLOSED, TCP_CLOSED);
    t->variant = xstrdup("split-syn-ack");
    t->variant_peer = S;
    tr_state(t, 1, S, TCP_LISTEN);
    tr_state(t, 2, C, TCP_SYN_SENT);
    tr_seg(t, C, TRACE_SYN, 1000, 0, 2, 3);
    tr_state(t, 3, S, TCP_SYN_RECEIVED);
    tr_seg(t, S, TRACE_ACK, 5000, 1001, 3, 4);
    tr_seg(t, S, TRACE_SYN, 5000, 0, 3, 5);
    tr_state(t, 5, C, TCP_ESTABLISHED);
    tr_seg(t, C, TRACE_ACK, 1001, 5001, 5, 6);
    tr_state(t, 6, S, TCP_ESTABLISHED);
    return t;
}

static struct trace *
tr_termination(void)
{
    struct trace *t = tr_new("tcp-termination", "Closing a connection", 800,
                             600, TCP_ESTABLISHED, TCP_ESTABLISHED);
    tr_state(t, 1, C, TCP_FIN_WAIT_1);
    tr_seg(t, C, TRACE_FIN | TRACE_ACK, 1001, 5001, 1, 2);
    tr_state(t, 2, S, TCP_CLOSE_WAIT);
    tr_seg(t, S, TRACE_ACK, 5001, 1002, 2, 3);
    tr_state(t, 3, C, TCP_FIN_WAIT_2);
    tr_state(t, 4, S, TCP_LAST_ACK);
    tr_seg(t, S, TRACE_FIN | TRACE_ACK, 5001, 1002, 4, 5);
    tr_state(t, 5, C, TCP_TIME_WAIT);
    tr_seg(t, C, TRACE_ACK, 1002, 5002, 5, 6);
    tr_state(t, 6, S, TCP_CLOSED);
    tr_state(t, 7, C, TCP_CLOSED);
    return t;
}

/* A lost SYN (dropped a step after it left), a note, and the copy the
 * retransmission timer sends. */
static struct trace *
tr_lost_syn(void)
{
    struct trace *t = tr_new("lost-syn", "A lost SYN is sent again", 600, 400,
                             TCP_CLOSED, TCP_LISTEN);
    struct trace_segment *s;

    tr_state(t, 1, C, TCP_SYN_SENT);
    s = tr_seg(t, C, TRACE_SYN, 1000, 0, 1, -1);
    s->dropped = 2;
    tr_note(t, 3, "the retransmission timer expires after 1 s");
    s = tr_seg(t, C, TRACE_SYN, 1000, 0, 4, 5);
    s->retransmit = true;
    tr_state(t, 5, S, TCP_SYN_RECEIVED);
    tr_seg(t, S, TRACE_SYN | TRACE_ACK, 5000, 1001, 5, 6);
    tr_state(t, 6, C, TCP_ESTABLISHED);
    tr_seg(t, C, TRACE_ACK, 1001, 5001, 6, 7);
    tr_state(t, 7, S, TCP_ESTABLISHED);
    return t;
}

/* Both sides close at once: the FINs cross. */
static struct trace *
tr_simultaneous_close(void)
{
    struct trace *t = tr_new("simultaneous-close", "Simultaneous close", 600,
                             400, TCP_ESTABLISHED, TCP_ESTABLISHED);
    tr_state(t, 1, C, TCP_FIN_WAIT_1);
    tr_seg(t, C, TRACE_FIN | TRACE_ACK, 1001, 5001, 1, 2);
    tr_state(t, 1, S, TCP_FIN_WAIT_1);
    tr_seg(t, S, TRACE_FIN | TRACE_ACK, 5001, 1001, 1, 2);
    tr_state(t, 2, C, TCP_CLOSING);
    tr_seg(t, C, TRACE_ACK, 1002, 5002, 2, 3);
    tr_state(t, 2, S, TCP_CLOSING);
    tr_seg(t, S, TRACE_ACK, 5002, 1002, 2, 3);
    tr_state(t, 3, C, TCP_TIME_WAIT);
    tr_state(t, 3, S, TCP_TIME_WAIT);
    return t;
}

struct image {
    unsigned w, h;
    unsigned char *px; /* w * h grey levels */
};

struct reader {
    const unsigned char *p;
    size_t n;
};

static void
read_mem(png_structp png, png_bytep out, size_t n)
{
    struct reader *r = png_get_io_ptr(png);

    if (n > r->n)
        png_error(png, "short PNG");
    memcpy(out, r->p, n);
    r->p += n, r->n -= n;
}

/* Decodes any PNG to 8-bit grey; false if it is not one. */
static bool
decode(const void *data, size_t len, struct image *im)
{
    struct reader r = {data, len};
    png_structp png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    /* volatile: read again after png_error() longjmps back */
    png_bytep *volatile rows = NULL;
    volatile bool ok = false;
    unsigned y;

    memset(im, 0, sizeof *im);
    if (setjmp(png_jmpbuf(png)))
        goto out;
    png_set_read_fn(png, &r, read_mem);
    png_read_info(png, info);
    png_set_strip_16(png);
    png_set_strip_alpha(png);
    png_set_palette_to_rgb(png);
    png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_color_type(png, info) & PNG_COLOR_MASK_COLOR)
        png_set_rgb_to_gray_fixed(png, 1, -1, -1);
    png_read_update_info(png, info);
    im->w = png_get_image_width(png, info);
    im->h = png_get_image_height(png, info);
    im->px = xmalloc((size_t)im->w * im->h);
    rows = xmalloc(im->h * sizeof *rows);
    for (y = 0; y < im->h; y++)
        rows[y] = im->px + (size_t)y * im->w;
    png_read_image(png, rows);
    ok = true;
out:
    png_destroy_read_struct(&png, &info, NULL);
    free(rows);
    if (!ok) {
        free(im->px);
        im->px = NULL;
    }
    return ok;
}

static void
ensure_fonts(void)
{
    struct diag d;

    diag_init(&d, stderr);
    ck_assert(draw_init(&d));
    diag_fini(&d);
}

static void
render(const struct trace *t, double scale, struct buf *png, struct buf *svg)
{
    struct diag d;
    struct seq_diagram *g;

    ensure_fonts();
    diag_init(&d, stderr);
    g = seq_layout(t, draw_text_ops());
    if (png != NULL)
        ck_assert(draw_png(g, scale, DRAW_PNG_LIBPNG, png, t->name, &d));
    if (svg != NULL)
        ck_assert(draw_svg(g, svg, t->name, &d));
    seq_free(g);
    diag_fini(&d);
}

static bool
regen(void)
{
    const char *e = getenv("BLOG_REGEN_IMAGES");

    return e != NULL && strcmp(e, "1") == 0;
}

/* Writes a picture of where got and want differ: faint copy of want, with
 * differing pixels black. */
static void
write_diff(const char *name, const struct image *got, const struct image *want)
{
    const char *dir =
        getenv("BLOG_DIFF_DIR") ? getenv("BLOG_DIFF_DIR") : "/tmp";
    char path[512];
    FILE *f;
    png_structp png;
    png_infop info;
    unsigned y, x;
    unsigned char *row = xmalloc(want->w);

    snprintf(path, sizeof path, "%s/%s.diff.png", dir, name);
    if ((f = fopen(path, "wb")) == NULL) {
        free(row);
        return;
    }
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png)) == 0) {
        png_init_io(png, f);
        png_set_IHDR(png, info, want->w, want->h, 8, PNG_COLOR_TYPE_GRAY,
                     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                     PNG_FILTER_TYPE_DEFAULT);
        png_write_info(png, info);
        for (y = 0; y < want->h; y++) {
            for (x = 0; x < want->w; x++) {
                size_t i = (size_t)y * want->w + x;
                int dv = got->px[i] - want->px[i];
                row[x] = abs(dv) > PIXEL_TOLERANCE
                             ? 0
                             : (unsigned char)(200 + want->px[i] / 5);
            }
            png_write_row(png, row);
        }
        png_write_end(png, info);
        fprintf(stderr, "%s: differences drawn in %s\n", name, path);
    }
    png_destroy_write_struct(&png, &info);
    fclose(f);
    free(row);
}

/* Compares a render with its golden image (or writes it, when
 * regenerating).  Returns the number of problems. */
static int
check_golden(const char *name, const struct buf *png, const struct buf *svg)
{
    char *gp = xasprintf(GOLDEN "/%s.png", name);
    char *gs = xasprintf(GOLDEN "/%s.svg", name);
    struct diag d;
    char *want_svg = NULL, *want_png = NULL;
    size_t ns = 0, np = 0;
    struct image a = {0}, b = {0};
    int bad = 0;

    diag_init(&d, stderr);
    if (regen()) {
        ck_assert(fs_write(gp, png->data, png->len, &d));
        ck_assert(fs_write(gs, svg->data, svg->len, &d));
        goto out;
    }
    want_svg = fs_read(gs, FS_MAX_FILE, &ns, &d);
    want_png = fs_read(gp, FS_MAX_FILE, &np, &d);
    if (want_svg == NULL || want_png == NULL) {
        fprintf(stderr, "%s: no golden image; run tests/regen-images.sh\n",
                name);
        bad++;
        goto out;
    }
    if (ns != svg->len || memcmp(want_svg, svg->data, ns) != 0) {
        fprintf(stderr, "%s: SVG differs from %s\n", name, gs);
        bad++;
    }
    ck_assert(decode(png->data, png->len, &a));
    ck_assert(decode(want_png, np, &b));
    if (a.w != b.w || a.h != b.h) {
        fprintf(stderr, "%s: %ux%u, expected %ux%u\n", name, a.w, a.h, b.w,
                b.h);
        bad++;
    } else {
        size_t i, over = 0;
        int worst = 0;
        for (i = 0; i < (size_t)a.w * a.h; i++) {
            int dv = abs(a.px[i] - b.px[i]);
            if (dv > worst)
                worst = dv;
            if (dv > PIXEL_TOLERANCE)
                over++;
        }
        if (over > PIXEL_OUTLIERS) {
            fprintf(stderr,
                    "%s: %zu pixels differ by more than %d "
                    "(worst %d)\n",
                    name, over, PIXEL_TOLERANCE, worst);
            write_diff(name, &a, &b);
            bad++;
        }
    }
out:
    free(a.px);
    free(b.px);
    free(want_svg);
    free(want_png);
    free(gp);
    free(gs);
    diag_fini(&d);
    return bad;
}

static struct trace *(*const hand[])(void) = {
    tr_three_way, tr_four_way,           tr_termination,
    tr_lost_syn,  tr_simultaneous_close,
};

START_TEST(hand_built_traces_match_golden_images)
{
    size_t i;
    int bad = 0;

    for (i = 0; i < sizeof hand / sizeof hand[0]; i++) {
        struct trace *t = hand[i]();
        struct buf png, svg;
        char *name = xasprintf("hand-%s", t->name);

        buf_init(&png);
        buf_init(&svg);
        render(t, 2, &png, &svg);
        bad += check_golden(name, &png, &svg);
        buf_fini(&png);
        buf_fini(&svg);
        free(name);
        trace_free(t);
    }
    ck_assert_int_eq(bad, 0);
    draw_fini();
}
END_TEST

/* Every scenario in dir, through the engine, against its golden image. */
static int
golden_scenarios(const char *dir)
{
    char **names = fs_list(dir);
    size_t i;
    int bad = 0;

    for (i = 0; names != NULL && names[i] != NULL; i++) {
        size_t len = strlen(names[i]);
        char *path, *name;
        struct trace *t;
        struct buf png, svg;
        struct diag d;

        if (len < 6 || strcmp(names[i] + len - 5, ".yaml") != 0)
            continue;
        path = fs_join(dir, names[i]);
        name = xstrndup(names[i], len - 5);
        diag_init(&d, stderr);
        t = scn_run_file(path, false, &d);
        ck_assert_msg(t != NULL, "%s does not run", path);
        buf_init(&png);
        buf_init(&svg);
        render(t, 2, &png, &svg);
        bad += check_golden(name, &png, &svg);
        buf_fini(&png);
        buf_fini(&svg);
        trace_free(t);
        diag_fini(&d);
        free(name);
        free(path);
    }
    fs_list_free(names);
    return bad;
}

START_TEST(scenarios_match_golden_images)
{
    int bad = golden_scenarios("content/diagrams") +
              golden_scenarios("tests/scenarios");

    ck_assert_int_eq(bad, 0);
    draw_fini();
}
END_TEST

START_TEST(renders_are_byte_identical)
{
    struct trace *t = tr_termination();
    struct buf p1, p2, s1, s2;

    buf_init(&p1), buf_init(&p2), buf_init(&s1), buf_init(&s2);
    render(t, 2, &p1, &s1);
    render(t, 2, &p2, &s2);
    ck_assert_uint_eq(p1.len, p2.len);
    ck_assert(memcmp(p1.data, p2.data, p1.len) == 0);
    ck_assert_uint_eq(s1.len, s2.len);
    ck_assert(memcmp(s1.data, s2.data, s1.len) == 0);
    /* fonts reopened from scratch give the same bytes too */
    draw_fini();
    buf_reset(&s2);
    render(t, 2, NULL, &s2);
    ck_assert(s1.len == s2.len && memcmp(s1.data, s2.data, s1.len) == 0);
    buf_fini(&p1), buf_fini(&p2), buf_fini(&s1), buf_fini(&s2);
    trace_free(t);
    draw_fini();
}
END_TEST

START_TEST(png_pixels_are_size_times_scale)
{
    struct trace *(*make[])(void) = {tr_three_way, tr_four_way, tr_termination};
    static const unsigned want[][2] = {{1200, 800}, {1200, 800}, {1600, 1200}};
    size_t i;

    for (i = 0; i < 3; i++) {
        struct trace *t = make[i]();
        struct buf png;
        struct image im;

        buf_init(&png);
        render(t, 2, &png, NULL);
        ck_assert(decode(png.data, png.len, &im));
        ck_assert_uint_eq(im.w, want[i][0]);
        ck_assert_uint_eq(im.h, want[i][1]);
        /* white background, black ink */
        ck_assert_uint_eq(im.px[0], 255);
        ck_assert_uint_eq(im.px[(size_t)im.w * im.h - 1], 255);
        free(im.px);
        buf_reset(&png);
        render(t, 1, &png, NULL);
        ck_assert(decode(png.data, png.len, &im));
        ck_assert_uint_eq(im.w, want[i][0] / 2);
        free(im.px);
        buf_fini(&png);
        trace_free(t);
    }
    draw_fini();
}
END_TEST

START_TEST(svg_is_well_formed_and_sized_in_css_px)
{
    struct trace *t = tr_lost_syn();
    struct buf svg;
    char path[] = "/tmp/blog-svg-XXXXXX";
    int fd, rc;
    char *cmd;

    buf_init(&svg);
    render(t, 1, NULL, &svg);
    ck_assert_ptr_nonnull(strstr(svg.data, "width=\"600px\" height=\"400px\" "
                                           "viewBox=\"0 0 600 400\""));
    ck_assert_ptr_null(strstr(svg.data, "id=\"surface"));
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert(write(fd, svg.data, svg.len) == (ssize_t)svg.len);
    close(fd);
    cmd = xasprintf("xmllint --noout %s", path);
    rc = system(cmd);
    ck_assert_msg(rc == 0, "xmllint failed (is libxml2-utils installed?)");
    unlink(path);
    free(cmd);
    buf_fini(&svg);
    trace_free(t);
    draw_fini();
}
END_TEST

START_TEST(render_picks_the_format_from_the_extension)
{
    struct trace *t = tr_three_way();
    struct diag d;
    char dir[] = "/tmp/blog-img-XXXXXX";
    char *png, *svg, *bad, *data;
    size_t len;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    png = fs_join(dir, "a.png");
    svg = fs_join(dir, "a.svg");
    bad = fs_join(dir, "a.gif");
    diag_init(&d, NULL);
    ck_assert(diagram_render(t, png, 2, &d));
    ck_assert(diagram_render(t, svg, 2, &d));
    ck_assert(!diagram_render(t, bad, 2, &d));
    ck_assert_ptr_nonnull(strstr(buf_str(&d.text), "a.gif: error: unknown "
                                                   "image format; name the "
                                                   "output '.png' or '.svg'"));
    ck_assert(!diagram_render(t, png, 0, &d));
    ck_assert_int_eq(diag_errors(&d), 2);
    ck_assert(!fs_exists(bad));
    data = fs_read(png, FS_MAX_FILE, &len, &d);
    ck_assert(len > 8 && memcmp(data, "\x89PNG", 4) == 0);
    free(data);
    data = fs_read(svg, FS_MAX_FILE, &len, &d);
    ck_assert_ptr_nonnull(strstr(data, "<svg"));
    free(data);
    fs_remove_tree(dir);
    diag_fini(&d);
    free(png), free(svg), free(bad);
    trace_free(t);
    diagram_fini();
}
END_TEST

START_TEST(too_small_a_size_warns)
{
    struct trace *t = tr_termination();
    struct diag d;
    char dir[] = "/tmp/blog-img-XXXXXX";
    char *png;

    t->width = 150, t->height = 80;
    ck_assert_ptr_nonnull(mkdtemp(dir));
    png = fs_join(dir, "small.png");
    diag_init(&d, NULL);
    ck_assert(diagram_render(t, png, 1, &d));
    ck_assert_int_eq(d.warnings, 1);
    ck_assert_ptr_nonnull(strstr(buf_str(&d.text), "small.png: warning: the "
                                                   "diagram does not fit in "
                                                   "150x80 px"));
    fs_remove_tree(dir);
    diag_fini(&d);
    free(png);
    trace_free(t);
    diagram_fini();
}
END_TEST

/* diagram_build with a cache: the second build copies, and a changed
 * scenario renders anew.  Needs a scenario the engine can run. */
START_TEST(build_copies_unchanged_scenarios_from_the_cache)
{
    char **names = fs_list("content/diagrams");
    char dir[] = "/tmp/blog-cache-XXXXXX";
    char *src = NULL, *scn, *png, *svg, *cache, *text, *png2;
    size_t i, len, len2;
    struct diag d;
    char **cached;
    int n = 0;

    for (i = 0; names != NULL && names[i] != NULL && src == NULL; i++)
        if (strstr(names[i], ".yaml") != NULL)
            src = fs_join("content/diagrams", names[i]);
    fs_list_free(names);
    if (src == NULL)
        return; /* no scenario yet */
    ck_assert_ptr_nonnull(mkdtemp(dir));
    scn = fs_join(dir, "s.yaml");
    png = fs_join(dir, "out/s.png");
    svg = fs_join(dir, "out/s.svg");
    cache = fs_join(dir, "cache");
    diag_init(&d, stderr);
    ck_assert(fs_copy(src, scn, &d));
    ck_assert(diagram_build(scn, png, svg, cache, &d));
    cached = fs_list(cache);
    for (i = 0; cached != NULL && cached[i] != NULL; i++)
        n++;
    ck_assert_int_eq(n, 2);
    /* poison the cached PNG: an unchanged scenario is copied from it */
    {
        char *p = xasprintf("%s/%s", cache, cached[0]);
        ck_assert(fs_write(p, "cached", 6, &d));
        free(p);
    }
    fs_list_free(cached);
    ck_assert(diagram_build(scn, png, svg, cache, &d));
    text = fs_read(png, FS_MAX_FILE, &len, &d);
    ck_assert(len == 6 && memcmp(text, "cached", 6) == 0);
    free(text);
    /* a changed scenario is run again */
    text = fs_read(scn, FS_MAX_FILE, &len, &d);
    png2 = xasprintf("%s\n# changed\n", text);
    ck_assert(fs_write(scn, png2, strlen(png2), &d));
    ck_assert(diagram_build(scn, png, svg, cache, &d));
    free(text);
    text = fs_read(png, FS_MAX_FILE, &len2, &d);
    ck_assert(len2 > 8 && memcmp(text, "\x89PNG", 4) == 0);
    free(text);
    free(png2);
    ck_assert_int_eq(diag_errors(&d), 0);
    fs_remove_tree(dir);
    diag_fini(&d);
    free(src), free(scn), free(png), free(svg), free(cache);
    diagram_fini();
}
END_TEST

static double
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * Not a check: with BLOG_BENCH=1 (tests/bench/diagrams.sh) prints what one
 * 2x diagram costs inside a process, step by step, and both PNG writers.
 */
START_TEST(print_render_figures_when_asked)
{
    struct trace *(*make[])(void) = {tr_four_way, tr_three_way, tr_termination};
    const int n = 40;
    size_t i;
    int k;

    if (getenv("BLOG_BENCH") == NULL)
        return;
    ensure_fonts();
    for (i = 0; i < 3; i++) {
        struct trace *t = make[i]();
        struct seq_diagram *g = seq_layout(t, draw_text_ops());
        struct buf b;
        struct diag d;
        double t0, lay, paint, cpng, opng, svg;
        size_t ncairo, nours, nsvg;

        diag_init(&d, stderr);
        buf_init(&b);
        t0 = now_ms();
        for (k = 0; k < n; k++)
            seq_free(seq_layout(t, draw_text_ops()));
        lay = (now_ms() - t0) / n;
        t0 = now_ms();
        for (k = 0; k < n; k++) {
            cairo_surface_t *s = cairo_image_surface_create(
                CAIRO_FORMAT_RGB24, (int)g->width * 2, (int)g->height * 2);
            cairo_t *cr = cairo_create(s);
            cairo_scale(cr, 2, 2);
            draw_paint(cr, g);
            cairo_destroy(cr);
            cairo_surface_destroy(s);
        }
        paint = (now_ms() - t0) / n;
        t0 = now_ms();
        for (k = 0; k < n; k++) {
            buf_reset(&b);
            draw_png(g, 2, DRAW_PNG_CAIRO, &b, "x", &d);
        }
        cpng = (now_ms() - t0) / n, ncairo = b.len;
        t0 = now_ms();
        for (k = 0; k < n; k++) {
            buf_reset(&b);
            draw_png(g, 2, DRAW_PNG_LIBPNG, &b, "x", &d);
        }
        opng = (now_ms() - t0) / n, nours = b.len;
        t0 = now_ms();
        for (k = 0; k < n; k++) {
            buf_reset(&b);
            draw_svg(g, &b, "x", &d);
        }
        svg = (now_ms() - t0) / n, nsvg = b.len;
        printf("%-28s layout %.2f ms | paint 2x %.2f ms | paint + "
               "cairo_surface_write_to_png %.2f ms, %zu B | paint + gray "
               "libpng %.2f ms, %zu B | SVG %.2f ms, %zu B\n",
               t->name, lay, paint, cpng, ncairo, opng, nours, svg, nsvg);
        buf_fini(&b);
        diag_fini(&d);
        seq_free(g);
        trace_free(t);
    }
    draw_fini();
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(hand_built_traces_match_golden_images),
    TCHECK_CASE(scenarios_match_golden_images),
    TCHECK_CASE(renders_are_byte_identical),
    TCHECK_CASE(png_pixels_are_size_times_scale),
    TCHECK_CASE(svg_is_well_formed_and_sized_in_css_px),
    TCHECK_CASE(render_picks_the_format_from_the_extension),
    TCHECK_CASE(too_small_a_size_warns),
    TCHECK_CASE(build_copies_unchanged_scenarios_from_the_cache),
    TCHECK_CASE(print_render_figures_when_asked),
};
TCHECK_MAIN("draw", cases)

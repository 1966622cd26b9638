/*
 * gfx: cairo, fontconfig and libpng through dlopen(), for draw.c alone.
 *
 * A build draws a diagram only when its scenario changed, and loading the
 * three libraries (with theirs, sixteen) at every start of blog took
 * 1.2 ms, a sixth of a rebuild after an edit at 1 000 posts.  Each
 * function draw.c calls is a field of `gfx` named like it, and a macro of
 * the same name below sends the call through the field.  The list checks
 * itself: blog links none of the three libraries, so a function called
 * without its macro does not link, and a macro without its field does not
 * compile.
 *
 * Include this after the libraries' headers, in draw.c only.
 */
#ifndef GFX_H
#define GFX_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo-ft.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <png.h>

#define GFX_CAIRO(X)                                                          \
    X(cairo_arc) X(cairo_close_path) X(cairo_create)                          \
    X(cairo_debug_reset_static_data) X(cairo_destroy) X(cairo_fill)           \
    X(cairo_fill_preserve) X(cairo_font_face_destroy)                         \
    X(cairo_font_face_reference) X(cairo_font_options_create)                 \
    X(cairo_font_options_destroy) X(cairo_font_options_set_antialias)         \
    X(cairo_font_options_set_hint_metrics)                                    \
    X(cairo_font_options_set_hint_style)                                      \
    X(cairo_font_options_set_subpixel_order)                                  \
    X(cairo_format_stride_for_width)                                          \
    X(cairo_ft_font_face_create_for_pattern) X(cairo_get_target)              \
    X(cairo_image_surface_create_for_data) X(cairo_image_surface_get_data)    \
    X(cairo_image_surface_get_format) X(cairo_image_surface_get_height)       \
    X(cairo_image_surface_get_stride) X(cairo_image_surface_get_width)        \
    X(cairo_line_to) X(cairo_matrix_init_identity)                            \
    X(cairo_matrix_init_scale) X(cairo_move_to) X(cairo_new_path)             \
    X(cairo_new_sub_path) X(cairo_paint) X(cairo_rectangle)                   \
    X(cairo_restore) X(cairo_rotate) X(cairo_save) X(cairo_scale)             \
    X(cairo_scaled_font_create) X(cairo_scaled_font_destroy)                  \
    X(cairo_scaled_font_extents) X(cairo_scaled_font_text_extents)            \
    X(cairo_set_dash) X(cairo_set_font_face) X(cairo_set_font_options)        \
    X(cairo_set_font_size) X(cairo_set_line_cap) X(cairo_set_line_join)       \
    X(cairo_set_line_width) X(cairo_set_operator) X(cairo_set_source_rgb)     \
    X(cairo_set_source_rgba) X(cairo_show_text) X(cairo_status)               \
    X(cairo_status_to_string) X(cairo_stroke) X(cairo_surface_destroy)        \
    X(cairo_surface_finish) X(cairo_surface_flush)                            \
    X(cairo_surface_get_content) X(cairo_surface_status)                      \
    X(cairo_surface_write_to_png_stream)                                      \
    X(cairo_svg_surface_create_for_stream)                                    \
    X(cairo_svg_surface_restrict_to_version)                                  \
    X(cairo_svg_surface_set_document_unit) X(cairo_translate)

#define GFX_FONTCONFIG(X)                                                     \
    X(FcConfigSubstitute) X(FcDefaultSubstitute) X(FcFini) X(FcFontMatch)     \
    X(FcInit) X(FcPatternAddBool) X(FcPatternAddInteger)                      \
    X(FcPatternAddString) X(FcPatternCreate) X(FcPatternDestroy)              \
    X(FcPatternGetInteger) X(FcPatternGetString)

#define GFX_PNG(X)                                                            \
    X(png_create_info_struct) X(png_create_write_struct)                      \
    X(png_destroy_write_struct) X(png_get_io_ptr) X(png_longjmp)              \
    X(png_set_IHDR) X(png_set_compression_level)                              \
    X(png_set_compression_strategy) X(png_set_filter) X(png_set_longjmp_fn)   \
    X(png_set_write_fn) X(png_write_end) X(png_write_info) X(png_write_row)

struct gfx {
#define GFX_FIELD(f) __typeof__(f) *f;
    GFX_CAIRO(GFX_FIELD)
    GFX_FONTCONFIG(GFX_FIELD)
    GFX_PNG(GFX_FIELD)
#undef GFX_FIELD
};
extern struct gfx gfx;

/* Loads the three libraries and fills gfx (once per process); false with
 * a message in err naming the package to install. */
bool gfx_load(char *err, size_t errlen);
/* Whether gfx_load() has succeeded. */
bool gfx_loaded(void);

/* the calls, sent through gfx (not in gfx.c, which fills it) */
#ifndef GFX_NO_REDIRECT
#define FcConfigSubstitute gfx.FcConfigSubstitute
#define FcDefaultSubstitute gfx.FcDefaultSubstitute
#define FcFini gfx.FcFini
#define FcFontMatch gfx.FcFontMatch
#define FcInit gfx.FcInit
#define FcPatternAddBool gfx.FcPatternAddBool
#define FcPatternAddInteger gfx.FcPatternAddInteger
#define FcPatternAddString gfx.FcPatternAddString
#define FcPatternCreate gfx.FcPatternCreate
#define FcPatternDestroy gfx.FcPatternDestroy
#define FcPatternGetInteger gfx.FcPatternGetInteger
#define FcPatternGetString gfx.FcPatternGetString
#define cairo_arc gfx.cairo_arc
#define cairo_close_path gfx.cairo_close_path
#define cairo_create gfx.cairo_create
#define cairo_debug_reset_static_data gfx.cairo_debug_reset_static_data
#define cairo_destroy gfx.cairo_destroy
#define cairo_fill gfx.cairo_fill
#define cairo_fill_preserve gfx.cairo_fill_preserve
#define cairo_font_face_destroy gfx.cairo_font_face_destroy
#define cairo_font_face_reference gfx.cairo_font_face_reference
#define cairo_font_options_create gfx.cairo_font_options_create
#define cairo_font_options_destroy gfx.cairo_font_options_destroy
#define cairo_font_options_set_antialias gfx.cairo_font_options_set_antialias
#define cairo_font_options_set_hint_metrics gfx.cairo_font_options_set_hint_metrics
#define cairo_font_options_set_hint_style gfx.cairo_font_options_set_hint_style
#define cairo_font_options_set_subpixel_order gfx.cairo_font_options_set_subpixel_order
#define cairo_format_stride_for_width gfx.cairo_format_stride_for_width
#define cairo_ft_font_face_create_for_pattern gfx.cairo_ft_font_face_create_for_pattern
#define cairo_get_target gfx.cairo_get_target
#define cairo_image_surface_create_for_data gfx.cairo_image_surface_create_for_data
#define cairo_image_surface_get_data gfx.cairo_image_surface_get_data
#define cairo_image_surface_get_format gfx.cairo_image_surface_get_format
#define cairo_image_surface_get_height gfx.cairo_image_surface_get_height
#define cairo_image_surface_get_stride gfx.cairo_image_surface_get_stride
#define cairo_image_surface_get_width gfx.cairo_image_surface_get_width
#define cairo_line_to gfx.cairo_line_to
#define cairo_matrix_init_identity gfx.cairo_matrix_init_identity
#define cairo_matrix_init_scale gfx.cairo_matrix_init_scale
#define cairo_move_to gfx.cairo_move_to
#define cairo_new_path gfx.cairo_new_path
#define cairo_new_sub_path gfx.cairo_new_sub_path
#define cairo_paint gfx.cairo_paint
#define cairo_rectangle gfx.cairo_rectangle
#define cairo_restore gfx.cairo_restore
#define cairo_rotate gfx.cairo_rotate
#define cairo_save gfx.cairo_save
#define cairo_scale gfx.cairo_scale
#define cairo_scaled_font_create gfx.cairo_scaled_font_create
#define cairo_scaled_font_destroy gfx.cairo_scaled_font_destroy
#define cairo_scaled_font_extents gfx.cairo_scaled_font_extents
#define cairo_scaled_font_text_extents gfx.cairo_scaled_font_text_extents
#define cairo_set_dash gfx.cairo_set_dash
#define cairo_set_font_face gfx.cairo_set_font_face
#define cairo_set_font_options gfx.cairo_set_font_options
#define cairo_set_font_size gfx.cairo_set_font_size
#define cairo_set_line_cap gfx.cairo_set_line_cap
#define cairo_set_line_join gfx.cairo_set_line_join
#define cairo_set_line_width gfx.cairo_set_line_width
#define cairo_set_operator gfx.cairo_set_operator
#define cairo_set_source_rgb gfx.cairo_set_source_rgb
#define cairo_set_source_rgba gfx.cairo_set_source_rgba
#define cairo_show_text gfx.cairo_show_text
#define cairo_status gfx.cairo_status
#define cairo_status_to_string gfx.cairo_status_to_string
#define cairo_stroke gfx.cairo_stroke
#define cairo_surface_destroy gfx.cairo_surface_destroy
#define cairo_surface_finish gfx.cairo_surface_finish
#define cairo_surface_flush gfx.cairo_surface_flush
#define cairo_surface_get_content gfx.cairo_surface_get_content
#define cairo_surface_status gfx.cairo_surface_status
#define cairo_surface_write_to_png_stream gfx.cairo_surface_write_to_png_stream
#define cairo_svg_surface_create_for_stream gfx.cairo_svg_surface_create_for_stream
#define cairo_svg_surface_restrict_to_version gfx.cairo_svg_surface_restrict_to_version
#define cairo_svg_surface_set_document_unit gfx.cairo_svg_surface_set_document_unit
#define cairo_translate gfx.cairo_translate
#define png_create_info_struct gfx.png_create_info_struct
#define png_create_write_struct gfx.png_create_write_struct
#define png_destroy_write_struct gfx.png_destroy_write_struct
#define png_get_io_ptr gfx.png_get_io_ptr
#define png_longjmp gfx.png_longjmp
#define png_set_IHDR gfx.png_set_IHDR
#define png_set_compression_level gfx.png_set_compression_level
#define png_set_compression_strategy gfx.png_set_compression_strategy
#define png_set_filter gfx.png_set_filter
#define png_set_longjmp_fn gfx.png_set_longjmp_fn
#define png_set_write_fn gfx.png_set_write_fn
#define png_write_end gfx.png_write_end
#define png_write_info gfx.png_write_info
#define png_write_row gfx.png_write_row
#endif

#endif

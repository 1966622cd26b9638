/*
 * buf: a growable byte buffer, always NUL-terminated so that its data can be
 * used as a C string.  The struct is the caller's: buf_init()/buf_fini().
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data; /* NUL-terminated; NULL until the first write */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap;
};

void buf_init(struct buf *b);
void buf_fini(struct buf *b);
/* Empties the buffer but keeps its memory. */
void buf_reset(struct buf *b);
/* Makes room for n more bytes. */
void buf_reserve(struct buf *b, size_t n);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Appends s with &, <, >, " and ' escaped for HTML text and attributes. */
void buf_html(struct buf *b, const char *s, size_t n);
/* Returns the data (never NULL) and hands ownership to the caller, who
 * frees it with free(); the buffer is left empty. */
char *buf_detach(struct buf *b);
/* The data as a C string: "" when nothing was written.  Borrowed. */
const char *buf_str(const struct buf *b);

#endif

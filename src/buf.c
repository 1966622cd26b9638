/* buf: growable byte buffer (see buf.h). */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "xmem.h"

void
buf_init(struct buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
}

void
buf_fini(struct buf *b)
{
    free(b->data);
    buf_init(b);
}

void
buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

static void
grow(struct buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;

    if (need <= b->cap)
        return;
    if (need < b->len) /* overflow */
        xmalloc((size_t)-1);
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap * 2 > cap ? cap * 2 : need;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void
buf_reserve(struct buf *b, size_t n)
{
    grow(b, n);
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap || b->len + n < b->len)
        grow(b, n);
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
    if (b->len + 2 > b->cap)
        grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;

    /* one pass when what is left of the buffer holds the result */
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    va_copy(ap2, ap);
    n = vsnprintf(room > 0 ? b->data + b->len : NULL, room, fmt, ap2);
    va_end(ap2);
    if (n <= 0) {
        if (b->data != NULL)
            b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n < room) {
        b->len += (size_t)n;
        return;
    }
    grow(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* Where the first of the five that buf_html() escapes may be from i on:
 * i + a multiple of 16 before it, or n (sixteen bytes at a time where
 * SSE2 is, every x86-64). */
static size_t
skip_text(const char *s, size_t i, size_t n)
{
#ifdef __SSE2__
    const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<');
    const __m128i gt = _mm_set1_epi8('>'), dq = _mm_set1_epi8('"');
    const __m128i sq = _mm_set1_epi8('\'');

    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, lt)),
            _mm_or_si128(_mm_cmpeq_epi8(v, gt),
                         _mm_or_si128(_mm_cmpeq_epi8(v, dq),
                                      _mm_cmpeq_epi8(v, sq))));
        if (_mm_movemask_epi8(hit) != 0)
            break;
    }
#endif
    return i;
}

void
buf_html(struct buf *b, const char *s, size_t n)
{
    size_t i, start = 0;

    for (i = 0; i < n; i++) {
        const char *rep;
        i = skip_text(s, i, n);
        if (i >= n)
            break;
        unsigned char c = (unsigned char)s[i];
        /* none of the five is above '>' */
        if (c > '>')
            continue;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_add(b, s + start, i - start);
        buf_puts(b, rep);
        start = i + 1;
    }
    buf_add(b, s + start, n - start);
}

char *
buf_detach(struct buf *b)
{
    char *p = b->data;

    if (p == NULL)
        p = xstrdup("");
    buf_init(b);
    return p;
}

const char *
buf_str(const struct buf *b)
{
    return b->data != NULL ? b->data : "";
}

/* fm: front matter and body of a content file (see fm.h). */
#include "fm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "xmem.h"
#include "yval.h"

/* Where the first byte from i on that is not printable ASCII, tab, LF or
 * CR may be: i + a multiple of 16 before it, or len (sixteen bytes at a
 * time where SSE2 is, every x86-64: LF ends every line, and the eight at a
 * time below stop at it). */
static size_t
skip_plain(const unsigned char *p, size_t i, size_t len)
{
#ifdef __SSE2__
    const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
    const __m128i lf = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t');
    const __m128i cr = _mm_set1_epi8('\r');

    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        /* signed: the bytes from 0x80 up are below 0x20 too */
        __m128i odd = _mm_or_si128(_mm_cmplt_epi8(v, space),
                                   _mm_cmpeq_epi8(v, del));
        __m128i ok = _mm_or_si128(_mm_cmpeq_epi8(v, lf),
                                  _mm_or_si128(_mm_cmpeq_epi8(v, tab),
                                               _mm_cmpeq_epi8(v, cr)));
        if (_mm_movemask_epi8(_mm_andnot_si128(ok, odd)) != 0)
            break;
    }
#endif
    return i;
}

long
fm_refused_char(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;

    for (size_t i = 0; i < n;) {
        unsigned long cp = s[i];
        /* cmark 0.30 writes U+FFFE and U+FFFF as the lone bytes 0xFE and
         * 0xFF, which are not UTF-8 at all */
        if (cp == 0xfe || cp == 0xff)
            return (long)(0xfffe + (cp - 0xfe));
        size_t k = cp < 0x80 ? 1 : cp < 0xe0 ? 2 : cp < 0xf0 ? 3 : 4;
        if (k > 1) {
            cp &= 0x3fu >> (k - 1);
            for (size_t j = 1; j < k && i + j < n; j++)
                cp = cp << 6 | (s[i + j] & 0x3fu);
        }
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
            (cp >= 0x7f && cp <= 0x9f) || (cp >= 0xfdd0 && cp <= 0xfdef) ||
            (cp & 0xfffe) == 0xfffe)
            return (long)cp;
        i += k;
    }
    return -1;
}

/* The line and column (in characters) of byte i, counting from start. */
static void
text_pos(const unsigned char *p, size_t start, size_t i, int *line, int *col)
{
    *line = *col = 1;
    for (size_t k = start; k < i; k++) {
        if (p[k] == '\n') {
            (*line)++;
            *col = 1;
        } else if ((p[k] & 0xc0) != 0x80) {
            (*col)++;
        }
    }
}

bool
fm_check_text(const char *s, size_t len, const char *path, struct diag *d)
{
    const unsigned char *p = (const unsigned char *)s;
    int line, col;
    size_t i = 0, start = 0;

    /* a byte order mark is no column an editor shows */
    if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
        i = start = 3;
    while (i < len) {
        i = skip_plain(p, i, len);
        /* eight bytes at a time while none is a control character, DEL
         * or above ASCII */
        for (; i + 8 <= len; i += 8) {
            const uint64_t ones = 0x0101010101010101ull;
            const uint64_t high = 0x8080808080808080ull;
            uint64_t w, del;
            memcpy(&w, p + i, 8);
            del = w ^ (ones * 0x7f);
            if (((w & high) | ((w - ones * 0x20) & ~w & high) |
                 ((del - ones) & ~del & high)) != 0)
                break;
        }
        if (i >= len)
            break;
        unsigned c = p[i];
        size_t n;
        /* printable ASCII, tab, LF and CR: most of any text; the place of
         * a bad byte is worked out only when there is one */
        if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t' || c == '\r') {
            i++;
            continue;
        }
        if (c == 0) {
            text_pos(p, start, i, &line, &col);
            diag_error(d, path, line, col,
                       "NUL byte in the text; is this a binary file?");
            return false;
        }
        /* other control characters are not allowed in XML (the feed) nor
         * in HTML text: U+0001-U+001F but tab, LF and CR, U+007F, and
         * U+0080-U+009F (0xc2 0x80-0x9f) */
        if (c < 0x20 || c == 0x7f ||
            (c == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
             p[i + 1] <= 0x9f)) {
            text_pos(p, start, i, &line, &col);
            diag_error(d, path, line, col,
                       "control character U+%04X in the text; remove it",
                       c == 0xc2 ? p[i + 1] : c);
            return false;
        }
        if (c >= 0xc2 && c <= 0xdf)
            n = 2;
        else if (c >= 0xe0 && c <= 0xef)
            n = 3;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 4;
        else
            goto bad;
        if (i + n > len)
            goto bad;
        for (size_t k = 1; k < n; k++)
            if ((p[i + k] & 0xc0) != 0x80)
                goto bad;
        if (n == 3 && ((c == 0xe0 && p[i + 1] < 0xa0) ||
                       (c == 0xed && p[i + 1] > 0x9f)))
            goto bad;
        if (n == 4 && ((c == 0xf0 && p[i + 1] < 0x90) ||
                       (c == 0xf4 && p[i + 1] > 0x8f)))
            goto bad;
        /* noncharacters: U+FDD0-U+FDEF (ef b7 90-af) and U+xFFFE, U+xFFFF
         * (ef bf be-bf, or f0-f4 x{f,bf} bf be-bf); XML refuses U+FFFE and
         * U+FFFF, HTML all of them */
        if ((n == 3 && c == 0xef &&
             ((p[i + 1] == 0xb7 && p[i + 2] >= 0x90 && p[i + 2] <= 0xaf) ||
              (p[i + 1] == 0xbf && p[i + 2] >= 0xbe))) ||
            (n == 4 && (p[i + 1] & 0x0f) == 0x0f && p[i + 2] == 0xbf &&
             p[i + 3] >= 0xbe)) {
            text_pos(p, start, i, &line, &col);
            diag_error(d, path, line, col,
                       "noncharacter U+%lX in the text; remove it",
                       n == 3 ? (unsigned long)((c & 0x0f) << 12 |
                                                (p[i + 1] & 0x3fu) << 6 |
                                                (p[i + 2] & 0x3fu))
                              : (unsigned long)((c & 0x07) << 18 |
                                                (p[i + 1] & 0x3fu) << 12 |
                                                (p[i + 2] & 0x3fu) << 6 |
                                                (p[i + 3] & 0x3fu)));
            return false;
        }
        i += n;
    }
    return true;
bad:
    text_pos(p, start, i, &line, &col);
    diag_error(d, path, line, col,
               "invalid UTF-8 (byte 0x%02x); save the file as UTF-8",
               p[i]);
    return false;
}

/* Copies text without a BOM and with CRLF read as LF. */
static char *
normalise(const char *text, size_t len, size_t *outlen, char *owned)
{
    size_t i = 0;

    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    bool plain = memchr(text + i, '\r', len - i) == NULL;
    if (plain && i == 0 && owned != NULL) { /* the usual case: no copy */
        *outlen = len;
        return owned;
    }
    char *out = xmalloc(len + 1), *q = out;
    if (plain) {
        memcpy(out, text + i, len - i);
        out[len - i] = '\0';
        *outlen = len - i;
        free(owned);
        return out;
    }
    for (; i < len; i++) {
        if (text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
            continue;
        *q++ = text[i];
    }
    *q = '\0';
    *outlen = (size_t)(q - out);
    free(owned);
    return out;
}

/* True if the line at p is exactly "---" (trailing spaces allowed). */
static bool
is_fence(const char *p, const char *end)
{
    if (end - p < 3 || memcmp(p, "---", 3) != 0)
        return false;
    p += 3;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p == end || *p == '\n';
}

static bool
split_parse(const char *text, size_t len, const char *path, struct fm *out,
            struct diag *d, char *owned)
{
    size_t n;
    const char *p, *end, *yaml;
    int line = 2;

    memset(out, 0, sizeof *out);
    if (!fm_check_text(text, len, path, d)) {
        free(owned);
        return false;
    }
    out->text = normalise(text, len, &n, owned);
    p = out->text;
    end = p + n;
    if (!is_fence(p, end)) {
        out->data = val_map();
        out->body = p;
        out->body_len = n;
        out->body_line = 1;
        return true;
    }
    p = memchr(p, '\n', (size_t)(end - p));
    p = p != NULL ? p + 1 : end;
    yaml = p;
    for (;;) {
        if (p >= end) {
            diag_error(d, path, 1, 1,
                       "front matter opened here is never closed; add a "
                       "line '---' after it");
            fm_fini(out);
            return false;
        }
        if (is_fence(p, end))
            break;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl != NULL ? nl + 1 : end;
        line++;
    }
    out->data = yval_parse(yaml, (size_t)(p - yaml), path, 1, d);
    if (out->data == NULL) {
        fm_fini(out);
        return false;
    }
    if (out->data->kind == VAL_NULL) {
        val_free(out->data);
        out->data = val_map();
    } else if (out->data->kind != VAL_MAP) {
        diag_error(d, path, out->data->line, out->data->col,
                   "front matter must be keys and values (title: ...), not "
                   "a %s",
                   out->data->kind == VAL_LIST ? "list" : "single value");
        fm_fini(out);
        return false;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    p = nl != NULL ? nl + 1 : end;
    out->body = p;
    out->body_len = (size_t)(end - p);
    out->body_line = line + 1;
    return true;
}

static bool
parse_in_pool(const char *text, size_t len, const char *path, struct fm *out,
              struct diag *d, char *owned)
{
    /* the data in a pool of its own: a post's front matter is a few
     * dozen pieces, made on the reading threads and freed whole when
     * its page is rendered; 1.5 KiB holds nearly all (about 1 KiB on
     * average in the bench's corpus), as little memory as malloc() took */
    struct arena pool = {.block = 1536};
    struct arena *was = val_pool(&pool);
    bool ok = split_parse(text, len, path, out, d, owned);

    val_pool(was);
    out->pool = pool;
    if (!ok)
        arena_fini(&out->pool);
    return ok;
}

bool
fm_parse(const char *text, size_t len, const char *path, struct fm *out,
         struct diag *d)
{
    return parse_in_pool(text, len, path, out, d, NULL);
}

bool
fm_parse_take(char *text, size_t len, const char *path, struct fm *out,
              struct diag *d)
{
    return parse_in_pool(text, len, path, out, d, text);
}

void
fm_fini(struct fm *f)
{
    val_free(f->data);
    free(f->text);
    arena_fini(&f->pool);
    memset(f, 0, sizeof *f);
}

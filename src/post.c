/* post: dates, terms, slugs, permalinks (see post.h). */
#include "post.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "xmem.h"

static bool
is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Reads 1 to max digits; returns how many were read. */
static int
digits(const char **p, int max, int *out)
{
    int n = 0, v = 0;

    while (n < max && isdigit((unsigned char)**p)) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    *out = v;
    return n;
}

bool
post_set_zone(const char *name)
{
    char path[512];

    if (strcmp(name, "UTC") != 0 && strcmp(name, "GMT") != 0) {
        if (strstr(name, "..") != NULL || name[0] == '/')
            return false;
        snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
        FILE *f = fopen(path, "rb");
        char magic[4];
        if (f == NULL)
            return false;
        /* the folder also holds zone.tab and friends, which are text: a
         * zone is a TZif file (RFC 8536); anything else made glibc fall
         * back to UTC without a word */
        bool tzif = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
        fclose(f);
        if (!tzif)
            return false;
    }
    setenv("TZ", name, 1);
    tzset();
    return true;
}

static void
fill_local(struct post_date *out, int64_t epoch)
{
    time_t t = (time_t)epoch;
    struct tm tm;

    localtime_r(&t, &tm);
    out->epoch = epoch;
    out->year = tm.tm_year + 1900;
    out->month = tm.tm_mon + 1;
    out->day = tm.tm_mday;
    out->hour = tm.tm_hour;
    out->min = tm.tm_min;
    out->sec = tm.tm_sec;
    out->offset = (int)tm.tm_gmtoff;
}

/* "PST", "CEST", "UTC": what a zone's abbreviation looks like. */
static bool
is_zone_name(const char *p)
{
    size_t n = 0;

    while (p[n] >= 'A' && p[n] <= 'Z')
        n++;
    return n >= 2 && n <= 5 && p[n] == '\0';
}

bool
post_parse_date(const char *s, struct post_date *out, char *err,
                size_t errlen)
{
    const char *p = s;
    int y, mo, d, h = 0, mi = 0, se = 0, tzh = 0, tzm = 0, sign = 0;
    bool zone = false, has_time = false;

    while (*p == ' ')
        p++;
    if (digits(&p, 4, &y) != 4 || *p++ != '-' || digits(&p, 2, &mo) == 0 ||
        *p++ != '-' || digits(&p, 2, &d) == 0)
        goto syntax;
    if (*p == 'T' || *p == 't' || *p == ' ' || *p == '\t') {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == 'T' || *p == 't')
            p++;
        if (digits(&p, 2, &h) == 0 || *p++ != ':' || digits(&p, 2, &mi) != 2)
            goto syntax;
        has_time = true;
        if (*p == ':') {
            p++;
            if (digits(&p, 2, &se) != 2)
                goto syntax;
        }
        if (*p == '.') { /* fractions of a second are read and dropped */
            p++;
            if (!isdigit((unsigned char)*p))
                goto syntax;
            while (isdigit((unsigned char)*p))
                p++;
        }
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == 'Z' || *p == 'z') {
            zone = true;
            p++;
        } else if (*p == '+' || *p == '-') {
            sign = *p++ == '-' ? -1 : 1;
            zone = true;
            if (digits(&p, 2, &tzh) == 0)
                goto syntax;
            if (*p == ':')
                p++;
            digits(&p, 2, &tzm);
        }
    }
    while (*p == ' ')
        p++;
    if (!zone && has_time && is_zone_name(p)) {
        snprintf(err, errlen,
                 "time zone '%s' in '%s' is not understood; write an offset "
                 "like +08:00 or -05:00, or Z for UTC",
                 p, s);
        return false;
    }
    if (*p != '\0')
        goto syntax;
    if (mo < 1 || mo > 12) {
        snprintf(err, errlen,
                 "impossible date '%s': there is no month %d; months are 1 "
                 "to 12",
                 s, mo);
        return false;
    }
    if (d < 1 || d > days_in_month(y, mo)) {
        snprintf(err, errlen,
                 "impossible date '%s': %d-%02d has %d days, not %d", s, y,
                 mo, days_in_month(y, mo), d);
        return false;
    }
    if (h > 23 || mi > 59 || se > 60) {
        snprintf(err, errlen,
                 "impossible time in '%s'; hours are 0 to 23, minutes and "
                 "seconds 0 to 59",
                 s);
        return false;
    }
    if (tzh > 23 || tzm > 59) {
        snprintf(err, errlen,
                 "impossible zone offset in '%s'; offsets run from -23:59 "
                 "to +23:59",
                 s);
        return false;
    }
    if (se == 60)
        se = 59;
    if (zone) {
        int64_t epoch = days_from_civil(y, mo, d) * 86400 + h * 3600 +
                        mi * 60 + se - sign * (tzh * 3600 + tzm * 60);
        fill_local(out, epoch);
    } else {
        struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                        .tm_hour = h, .tm_min = mi, .tm_sec = se,
                        .tm_isdst = -1};
        /* a time that does not exist locally (in a DST gap) is moved
         * forward by mktime(), as every calendar program does */
        fill_local(out, (int64_t)mktime(&tm));
    }
    return true;
syntax:
    snprintf(err, errlen,
             "'%s' is not a date; write it as YYYY-MM-DD or YYYY-MM-DD "
             "HH:MM:SS",
             s);
    return false;
}

void
post_date_rfc3339(const struct post_date *dt, char *out)
{
    int off = dt->offset < 0 ? -dt->offset : dt->offset;

    if (dt->year < 0 || dt->year > 9999) { /* not four digits */
        if (dt->offset == 0)
            snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", dt->year,
                     dt->month, dt->day, dt->hour, dt->min, dt->sec);
        else
            snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                     dt->year, dt->month, dt->day, dt->hour, dt->min,
                     dt->sec, dt->offset < 0 ? '-' : '+', off / 3600,
                     off / 60 % 60);
        return;
    }
    /* the usual case without printf, which was a tenth of the model's
     * time: "2019-07-14T16:34:58" and "Z" or "+08:00" */
    post_date_ymd(dt, out);
    char *p = out + 10;
    const int hms[] = {dt->hour, dt->min, dt->sec};
    for (int i = 0; i < 3; i++) {
        *p++ = i == 0 ? 'T' : ':';
        *p++ = (char)('0' + hms[i] / 10 % 10);
        *p++ = (char)('0' + hms[i] % 10);
    }
    if (dt->offset == 0) {
        *p++ = 'Z';
    } else {
        int h = off / 3600, m = off / 60 % 60;
        *p++ = dt->offset < 0 ? '-' : '+';
        *p++ = (char)('0' + h / 10 % 10);
        *p++ = (char)('0' + h % 10);
        *p++ = ':';
        *p++ = (char)('0' + m / 10);
        *p++ = (char)('0' + m % 10);
    }
    *p = '\0';
}

void
post_date_ymd(const struct post_date *dt, char *out)
{
    if (dt->year < 0 || dt->year > 9999) {
        snprintf(out, 32, "%04d-%02d-%02d", dt->year, dt->month, dt->day);
        return;
    }
    out[0] = (char)('0' + dt->year / 1000);
    out[1] = (char)('0' + dt->year / 100 % 10);
    out[2] = (char)('0' + dt->year / 10 % 10);
    out[3] = (char)('0' + dt->year % 10);
    out[4] = '-';
    out[5] = (char)('0' + dt->month / 10 % 10);
    out[6] = (char)('0' + dt->month % 10);
    out[7] = '-';
    out[8] = (char)('0' + dt->day / 10 % 10);
    out[9] = (char)('0' + dt->day % 10);
    out[10] = '\0';
}

char *
post_slugify(const char *s)
{
    /* at most "-sharp" (6 bytes) for each byte of s */
    size_t n = strlen(s);
    char *out = xmalloc(6 * n + 1), *o = out;
    bool dash = false;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned c = *p;
        const char *word = c == '+' ? "plus" : c == '#' ? "sharp" : NULL;
        bool ascii_alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                           (c >= 'A' && c <= 'Z');
        if (!ascii_alnum && c < 0x80 && word == NULL) {
            dash = true;
            continue;
        }
        if (dash && o > out)
            *o++ = '-';
        dash = false;
        if (word != NULL) {
            if (o > out && o[-1] != '-')
                *o++ = '-';
            size_t k = strlen(word);
            memcpy(o, word, k);
            o += k;
            dash = true;
        } else {
            *o++ = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
    }
    *o = '\0';
    return out;
}

/* The slugs of the terms taken so far, so that a post with 20 000 tags
 * is not compared 20 000 squared times (open addressing, owned strings). */
struct slugs {
    char **slot;
    size_t n, cap;
};

/* Adds slug (taken over) unless it is there; true if it was added. */
static bool
slugs_add(struct slugs *t, char *slug)
{
    if (2 * (t->n + 1) > t->cap) {
        struct slugs u = {.cap = t->cap ? 2 * t->cap : 16};
        u.slot = xcalloc(u.cap, sizeof *u.slot);
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i] != NULL)
                slugs_add(&u, t->slot[i]);
        free(t->slot);
        *t = u;
    }
    size_t h = 5381;
    for (const char *p = slug; *p; p++)
        h = h * 33 + (unsigned char)*p;
    for (h &= t->cap - 1; t->slot[h] != NULL; h = (h + 1) & (t->cap - 1)) {
        if (strcmp(t->slot[h], slug) == 0) {
            free(slug);
            return false;
        }
    }
    t->slot[h] = slug;
    t->n++;
    return true;
}

static void
slugs_fini(struct slugs *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->slot[i]);
    free(t->slot);
}

static void
add_term(struct val *list, struct slugs *seen, const char *s, size_t n,
         int line, int col)
{
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0)
        return;
    struct val *t = val_strn(s, n);
    if (!slugs_add(seen, post_slugify(t->s))) {
        val_free(t);
        return;
    }
    t->line = line;
    t->col = col;
    val_push(list, t);
}

struct val *
post_terms(const struct val *v, const char *key, const char *path,
           struct diag *d)
{
    struct val *list = val_list();
    struct slugs seen = {0};

    if (v == NULL || v->kind == VAL_NULL)
        goto out;
    if (v->kind == VAL_LIST) {
        for (size_t i = 0; i < v->n; i++) {
            const struct val *it = v->items[i];
            if (!val_is_scalar(it)) {
                diag_error(d, path, it->line, it->col,
                           "each of '%s' must be a word, not a list or map; "
                           "write '%s: [a, b]'",
                           key, key);
                val_free(list);
                list = NULL;
                goto out;
            }
            if (it->kind != VAL_NULL)
                add_term(list, &seen, it->s, it->len, it->line, it->col);
        }
        goto out;
    }
    if (v->kind == VAL_MAP) {
        diag_error(d, path, v->line, v->col,
                   "'%s' must be a list or a comma-separated string, not a "
                   "map; write '%s: [a, b]'",
                   key, key);
        val_free(list);
        list = NULL;
        goto out;
    }
    const char *s = v->s, *comma;
    while ((comma = strchr(s, ',')) != NULL) {
        add_term(list, &seen, s, (size_t)(comma - s), v->line, v->col);
        s = comma + 1;
    }
    add_term(list, &seen, s, strlen(s), v->line, v->col);
out:
    slugs_fini(&seen);
    return list;
}

char *
post_permalink(const char *pattern, const struct post_date *dt,
               const char *title_slug, const char *category_slug, char *err,
               size_t errlen)
{
    struct buf b;
    const char *p = pattern;

    buf_init(&b);
    while (*p == '/')
        p++;
    while (*p) {
        if (*p != ':') {
            buf_putc(&b, *p++);
            continue;
        }
        const char *name = ++p;
        while (isalnum((unsigned char)*p) || *p == '_')
            p++;
        size_t n = (size_t)(p - name);
#define IS(s) (n == strlen(s) && strncmp(name, s, n) == 0)
        if (IS("year"))
            buf_printf(&b, "%04d", dt->year);
        else if (IS("month"))
            buf_printf(&b, "%02d", dt->month);
        else if (IS("day"))
            buf_printf(&b, "%02d", dt->day);
        else if (IS("i_month"))
            buf_printf(&b, "%d", dt->month);
        else if (IS("i_day"))
            buf_printf(&b, "%d", dt->day);
        else if (IS("hour"))
            buf_printf(&b, "%02d", dt->hour);
        else if (IS("minute"))
            buf_printf(&b, "%02d", dt->min);
        else if (IS("second"))
            buf_printf(&b, "%02d", dt->sec);
        else if (IS("title") || IS("name") || IS("slug") || IS("post_title"))
            buf_puts(&b, title_slug);
        else if (IS("category"))
            buf_puts(&b, category_slug != NULL && *category_slug
                             ? category_slug
                             : "uncategorized");
        else {
            snprintf(err, errlen,
                     "unknown permalink placeholder ':%.*s'; use :year "
                     ":month :day :i_month :i_day :hour :minute :second "
                     ":title :category",
                     (int)n, name);
            buf_fini(&b);
            return NULL;
        }
#undef IS
    }
    if (b.len == 0 || (b.data[b.len - 1] != '/' &&
                       (b.len < 5 || strcmp(b.data + b.len - 5, ".html") != 0)))
        buf_putc(&b, '/');
    return buf_detach(&b);
}

size_t
post_pages(size_t n, size_t per)
{
    assert(per > 0);
    return n == 0 ? 1 : (n + per - 1) / per;
}

char *
post_page_url(const char *base, size_t k)
{
    assert(k >= 1);
    if (k == 1)
        return xstrdup(base);
    /* base "page/" k "/", without printf: one a list page a build */
    char digits[24];
    size_t nd = 0, nb = strlen(base);
    for (; k > 0; k /= 10)
        digits[nd++] = (char)('0' + k % 10);
    char *u = xmalloc(nb + 5 + nd + 2), *q = u + nb + 5;
    memcpy(u, base, nb);
    memcpy(u + nb, "page/", 5);
    while (nd > 0)
        *q++ = digits[--nd];
    *q++ = '/';
    *q = '\0';
    return u;
}

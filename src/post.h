/*
 * post: what a post's front matter means.  Dates the way Hexo reads them
 * (YAML 1.1 timestamps, one-digit months and days allowed, impossible
 * dates refused), tags and categories from a list or a comma string,
 * slugs, and permalinks.
 *
 *     content file -> fm (split, YAML) -> post (fields) -> site
 */
#ifndef POST_H
#define POST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "val.h"

/* A moment, as written and as it falls in the site's time zone. */
struct post_date {
    int64_t epoch;    /* seconds since 1970-01-01T00:00:00Z */
    int year, month, day, hour, min, sec; /* local to the site's zone */
    int offset;       /* the site zone's UTC offset then, in seconds */
};

/*
 * Parses a YAML 1.1 timestamp: "2019-7-14 16:34:58", "2019-07-14",
 * "2019-07-14T16:34:58.5Z", "2019-07-14 16:34:58 +08:00"...  A date with
 * no zone is in the site's zone (the process's TZ, set by post_set_zone).
 * Returns false with a message in err (at least 160 bytes) when the text
 * is not a date or names an impossible one (2019-2-30).
 */
bool post_parse_date(const char *s, struct post_date *out, char *err,
                     size_t errlen);
/* Makes name (an IANA zone such as "Asia/Shanghai", or "UTC") the zone
 * that dates without one are read in and shown in.  False if unknown. */
bool post_set_zone(const char *name);
/* Formats as RFC 3339 with the site zone's offset:
 * 2019-07-14T16:34:58+08:00 (out: at least 32 bytes). */
void post_date_rfc3339(const struct post_date *dt, char *out);
/* The date alone: 2019-07-14 (out: at least 32 bytes). */
void post_date_ymd(const struct post_date *dt, char *out);

/* A URL slug: ASCII letters lower-cased, digits and non-ASCII letters
 * kept, everything else folded into single '-'.  "TCP, IP" -> "tcp-ip".
 * Returns a new string ("" if nothing is left); caller frees. */
char *post_slugify(const char *s);

/*
 * Reads `tags` or `categories` from front matter: a YAML list of scalars,
 * or a string split on commas ("TCP, IP" -> TCP and IP), each trimmed,
 * empty ones dropped, duplicates (by slug) dropped.  v may be NULL (no
 * terms).  Returns a new list of VAL_STR nodes, or NULL after reporting a
 * wrong type to d at v's position.
 */
struct val *post_terms(const struct val *v, const char *key,
                       const char *path, struct diag *d);

/*
 * Expands a permalink pattern: :year :month :day :i_month :i_day :hour
 * :minute :second :title (the file name) :name :slug :category (first
 * category's slug, or "uncategorized").  The result has no leading '/'
 * and ends in '/' (a folder with an index.html) unless it ends in
 * ".html".  Returns a new string, or NULL with a message in err for an
 * unknown :placeholder.
 */
char *post_permalink(const char *pattern, const struct post_date *dt,
                     const char *title_slug, const char *category_slug,
                     char *err, size_t errlen);

/* Pagination: how many pages n items fill at per a page (at least 1), and
 * the url of page k (1-based) of a list at base: base itself for page 1,
 * else base + "page/k/".  post_page_url returns a new string. */
size_t post_pages(size_t n, size_t per);
char *post_page_url(const char *base, size_t k);

#endif

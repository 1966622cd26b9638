/*
 * fm: a content file's text -> front matter (a val map) + Markdown body.
 *
 *     ---
 *     title: Why TCP needs four packets to close
 *     date: 2019-7-14 16:34:58
 *     ---
 *     body...
 *
 * The text is checked first: valid UTF-8, no NUL bytes or other control
 * characters but tab, LF and CR.  A UTF-8 byte order mark is skipped and
 * CRLF line ends are read as LF.
 */
#ifndef FM_H
#define FM_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "arena.h"
#include "val.h"

struct fm {
    struct val *data; /* a VAL_MAP (empty when there is no front matter),
                         made in pool (val.h); whoever takes data takes
                         the pool too */
    struct arena pool;
    char *text;       /* the normalised text; body points into it */
    const char *body; /* the Markdown after the closing '---' */
    size_t body_len;
    int body_line;    /* 1-based line of the file where body starts */
};

/*
 * Splits and parses text[0..len) (not changed).  On success fills *out,
 * which the caller releases with fm_fini().  On error reports it to d at
 * its line:col and returns false (*out is then empty).
 */
bool fm_parse(const char *text, size_t len, const char *path, struct fm *out,
              struct diag *d);
/* The same with text taken (a malloc'd string, NUL at text[len]): kept as
 * the normalised text when it is that already (no BOM, no CR), else freed;
 * on error, freed. */
bool fm_parse_take(char *text, size_t len, const char *path, struct fm *out,
                   struct diag *d);
void fm_fini(struct fm *f);

/* Checks that s[0..len) is UTF-8 with no NUL byte and no control
 * character but tab, LF and CR (the others are invalid in XML and HTML);
 * on failure reports the first bad byte's line:col to d. */
bool fm_check_text(const char *s, size_t len, const char *path,
                   struct diag *d);

/* The first code point of s[0..n) (UTF-8 that has passed that check, or
 * text made from it: a YAML escape's, a character reference cmark
 * decoded) that may not reach a page or the feed, or -1.  Refused:
 * U+0000-U+001F but tab, LF and CR, U+007F-U+009F, and the noncharacters
 * U+FDD0-U+FDEF and U+xFFFE/xFFFF. */
long fm_refused_char(const char *s, size_t n);

#endif

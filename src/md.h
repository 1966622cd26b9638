/*
 * md: a post's Markdown body -> HTML, with cmark (CommonMark).
 *
 * Raw HTML is kept as written (CMARK_OPT_UNSAFE), headings get stable ids,
 * fenced code keeps class="language-x".  The excerpt is what comes before
 * <!-- more --> (or <!--more-->), else the first paragraph.  Hexo tag
 * plugins: {% raw %}...{% endraw %} passes its content through untouched;
 * any other {% tag %} is left as text with a warning.
 *
 * Every link and image URL in the body (Markdown or raw HTML) is reported
 * with its source line, so the site can check that each names a file.
 * Site-relative URLs ("/images/x.png") are prefixed with the site's root
 * path when it is not "/" (a site served under https://example.org/blog/).
 */
#ifndef MD_H
#define MD_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct md_link {
    char *url;   /* as written */
    char *what;  /* how it was written, for messages: <img src="..."> */
    int line;    /* 1-based line in the file */
};

struct md_result {
    char *html;          /* the whole body */
    size_t html_len;     /* strlen(html) */
    size_t excerpt_len;  /* html[0..excerpt_len) is the excerpt */
    bool has_more;       /* an explicit <!-- more --> marker was found */
    struct md_link *links;
    size_t nlinks;
};

/*
 * Renders text[0..len), whose first line is line first_line of path.
 * root is the site's root path ("/" or "/blog/").  Warnings go to d;
 * fills *out (release with md_result_fini()).  Returns false only for
 * input cmark cannot handle (reported to d).
 */
bool md_render(const char *text, size_t len, const char *path, int first_line,
               const char *root, struct md_result *out, struct diag *d);
void md_result_fini(struct md_result *r);

/*
 * Calls fn for each href="..." and src="..." attribute in an HTML
 * fragment: name is "href" or "src", the value is s[off..off+n) and line
 * counts the newlines before it (0 for the first line).
 */
void md_scan_attrs(const char *s, size_t len,
                   void (*fn)(void *arg, const char *tag, size_t taglen,
                              const char *name, size_t off, size_t n,
                              int line),
                   void *arg);

#endif

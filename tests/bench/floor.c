/*
 * The floor for a build: read each post, skip its front matter, parse and
 * render its Markdown with cmark, and write the HTML to one file per post.
 * No templates, no lists, no feed: what any generator built on cmark must
 * at least do.  Used by tests/bench/build.sh.
 *
 *     floor OUTDIR FILE.md...
 */
#include <cmark.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
    static char buf[1 << 22];

    if (argc < 2)
        return 2;
    for (int i = 2; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (f == NULL)
            return 1;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        const char *body = buf;
        if (strncmp(buf, "---\n", 4) == 0) {
            const char *end = strstr(buf + 4, "\n---\n");
            if (end != NULL)
                body = end + 5;
        }
        char *html = cmark_markdown_to_html(body, strlen(body),
                                            CMARK_OPT_UNSAFE);
        char path[4096];
        snprintf(path, sizeof path, "%s/%d.html", argv[1], i);
        FILE *o = fopen(path, "wb");
        if (o == NULL)
            return 1;
        fwrite(html, 1, strlen(html), o);
        fclose(o);
        free(html);
    }
    return 0;
}

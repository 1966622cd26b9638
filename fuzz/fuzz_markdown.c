/*
 * libFuzzer harness: a post's Markdown body -> page HTML with md_render()
 * (Hexo tags, cmark, heading ids, link collection and rebasing under a
 * site root that is not "/").
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "diag.h"
#include "md.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct md_result r;
    struct diag d;

    /* the site refuses NUL bytes before Markdown sees the text */
    if (memchr(data, '\0', size) != NULL)
        return 0;
    diag_init(&d, NULL);
    if (md_render((const char *)data, size, "fuzz.md", 5, "/blog/", &r,
                  &d)) {
        assert(r.html != NULL);
        assert(r.excerpt_len <= strlen(r.html));
        for (size_t i = 0; i < r.nlinks; i++)
            assert(r.links[i].line >= 5);
        md_result_fini(&r);
    }
    diag_fini(&d);
    return 0;
}

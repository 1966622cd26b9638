/* libFuzzer: Markdown to HTML as a post's body goes through it (cmark,
 * Hexo tag handling, heading ids, excerpts, link collection, base paths). */
#include <stdint.h>

#include "diag.h"
#include "md.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diag d;
    struct md_result r;

    diag_init(&d, NULL);
    if (md_render((const char *)data, size, "f.md", 5, size % 2 ? "/" : "/blog/",
                  &r, &d))
        md_result_fini(&r);
    diag_fini(&d);
    return 0;
}

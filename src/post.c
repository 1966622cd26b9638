/* post: dates, terms, slugs, permalinks (see post.h). */
#include "post.h"

#include <ctype.h>
#include <string.h>

#include "buf.h"
#include "xmem.h"

char *
post_slugify(const char *s)
{
    struct buf b;
    bool dash = false;

    buf_init(&b);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p >= 0x80) {
            if (dash && b.len > 0)
                buf_putc(&b, '-');
            dash = false;
            buf_putc(&b, (char)tolower(*p));
        } else {
            dash = true;
        }
    }
    return buf_detach(&b);
}

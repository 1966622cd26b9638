/* libFuzzer: front matter (fm: split, UTF-8 check, YAML with yval) and the
 * date, terms and permalink code that reads it. */
#include <stdint.h>
#include <stdlib.h>

#include "diag.h"
#include "fm.h"
#include "post.h"
#include "val.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diag d;
    struct fm f;

    diag_init(&d, NULL);
    if (fm_check_text((const char *)data, size, "f.md", &d) &&
        fm_parse((const char *)data, size, "f.md", &f, &d)) {
        const struct val *date = val_get(f.data, "date");
        const struct val *title = val_get(f.data, "title");
        struct post_date dt;
        char err[200], out[64];

        if (date != NULL && val_is_scalar(date) &&
            post_parse_date(val_text(date), &dt, err, sizeof err)) {
            post_date_rfc3339(&dt, out);
            char *slug = post_slugify(title ? val_text(title) : "x");
            char *url = post_permalink(":year/:month/:day/:title/", &dt,
                                       slug, NULL, err, sizeof err);
            free(url);
            free(slug);
        }
        struct val *tags = post_terms(val_get(f.data, "tags"), "tags", "f.md", &d);
        val_free(tags);
        fm_fini(&f);
    }
    diag_fini(&d);
    return 0;
}

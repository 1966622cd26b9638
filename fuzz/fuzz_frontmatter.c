/*
 * libFuzzer harness: a content file's text -> front matter (fm, yval) ->
 * the fields the site reads from it (post: dates, terms, slugs,
 * permalinks).  The input is also read as a date on its own, since
 * post_parse_date() sees every `date:` and `updated:` value.
 *
 *     make fuzz            (all harnesses, FUZZ_TIME seconds each)
 *     build-fuzz/fuzz_frontmatter build-fuzz/corpus/frontmatter fuzz/corpus/frontmatter
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fm.h"
#include "post.h"
#include "val.h"
#include "xmem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the site does with a date: check it, then use it in a permalink. */
static void
use_date(const char *s)
{
    struct post_date dt;
    char err[256], *url;

    if (!post_parse_date(s, &dt, err, sizeof err)) {
        assert(err[0] != '\0');
        return;
    }
    assert(dt.month >= 1 && dt.month <= 12);
    assert(dt.day >= 1 && dt.day <= 31);
    assert(dt.hour >= 0 && dt.hour <= 23);
    assert(dt.min >= 0 && dt.min <= 59);
    assert(dt.sec >= 0 && dt.sec <= 60);
    post_date_rfc3339(&dt, err);
    url = post_permalink(":year/:month/:day/:i_month/:i_day/:hour/:minute/"
                         ":second/:title/",
                         &dt, "t", NULL, err, sizeof err);
    assert(url != NULL);
    free(url);
}

static void
use_terms(const struct val *fm, const char *key)
{
    struct diag d;
    struct val *t;

    diag_init(&d, NULL);
    t = post_terms(val_get(fm, key), key, "fuzz.md", &d);
    assert((t == NULL) == (diag_errors(&d) > 0));
    for (size_t i = 0; t != NULL && i < t->n; i++) {
        char *slug = post_slugify(t->items[i]->s);
        free(slug);
    }
    val_free(t);
    diag_fini(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int zone;
    struct diag d;
    struct fm f;
    char *text;

    if (!zone)
        zone = post_set_zone("Asia/Shanghai") ? 1 : -1;
    text = xstrndup((const char *)data, size);
    use_date(text);
    free(text);

    diag_init(&d, NULL);
    if (fm_parse((const char *)data, size, "fuzz.md", &f, &d)) {
        assert(diag_errors(&d) == 0);
        assert(f.data != NULL && f.data->kind == VAL_MAP);
        assert(f.body_line >= 1);
        assert(f.body + f.body_len <= f.text + strlen(f.text) + 1);
        const char *keys[] = {"date", "updated", "title", "permalink"};
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
            const struct val *v = val_get(f.data, keys[i]);
            if (v != NULL && val_is_scalar(v) && v->s != NULL)
                use_date(v->s);
        }
        use_terms(f.data, "tags");
        use_terms(f.data, "categories");
        struct val *copy = val_copy(f.data);
        val_free(copy);
        fm_fini(&f);
    } else {
        /* every failure is reported, as path:line:col or path: */
        assert(diag_errors(&d) > 0);
        assert(strncmp(d.text.data, "fuzz.md:", 8) == 0);
    }
    diag_fini(&d);
    return 0;
}

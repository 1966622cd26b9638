/*
 * libFuzzer harness: Mustache templates compiled and rendered against a
 * fixed data tree shaped like the site's (site, page, posts with tags,
 * a paginator).  The input is up to three templates separated by NUL
 * bytes: the page "t" and the partials "p" and "q" (so the fuzzer can
 * build recursive and mutually recursive partials).
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "tmpl.h"
#include "val.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct val *
post(const char *title, const char *url, int ntags)
{
    struct val *m = val_map(), *tags = val_list();

    val_set_str(m, "title", title);
    val_set_str(m, "url", url);
    val_set_str(m, "date", "2019-07-14");
    val_set_bool(m, "has_more", ntags > 1);
    for (int i = 0; i < ntags; i++) {
        struct val *t = val_map();
        val_set_str(t, "name", i ? "IP & <UDP>" : "TCP");
        val_set_str(t, "url", i ? "/tags/ip/" : "/tags/tcp/");
        val_push(tags, t);
    }
    val_set(m, "tags", tags);
    return m;
}

static struct val *
data_tree(void)
{
    struct val *ctx = val_map(), *site = val_map(), *posts = val_list();
    struct val *pager = val_map(), *page = val_map();

    val_set_str(site, "title", "Packets \"and\" <States>");
    val_set_str(site, "root", "/blog/");
    val_set(site, "pages", val_list());
    val_set_num(site, "post_count", 3);
    val_set(ctx, "site", site);
    val_push(posts, post("First", "/a/", 2));
    val_push(posts, post("Second & last", "/b/", 1));
    val_push(posts, post("", "/c/", 0));
    val_set(ctx, "posts", posts);
    val_set_num(pager, "current", 1);
    val_set_num(pager, "total", 2.5);
    val_set_bool(pager, "many", true);
    val_set(ctx, "paginator", pager);
    val_set_str(page, "title", "Why TCP needs four packets");
    val_set_str(page, "content", "<p>text</p>");
    val_set(page, "prev", post("Older", "/o/", 1));
    val_set(ctx, "page", page);
    val_set(ctx, "empty", val_list());
    val_set_bool(ctx, "no", false);
    val_set(ctx, "nothing", val_new(VAL_NULL));
    return ctx;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct val *ctx;
    static const char *const names[] = {"t", "p", "q"};
    const char *s = (const char *)data, *end = s + size;
    struct tmpl_set *set = tmpl_set_new();
    struct diag d;
    struct buf out;
    bool compiled = true;

    if (ctx == NULL)
        ctx = data_tree();
    diag_init(&d, NULL);
    for (size_t k = 0; k < 3; k++) {
        const char *nul = memchr(s, '\0', (size_t)(end - s));
        const char *e = nul != NULL ? nul : end;
        if (!tmpl_set_add(set, names[k], s, (size_t)(e - s), names[k], &d))
            compiled = false;
        if (nul == NULL)
            break;
        s = nul + 1;
    }
    assert(compiled == (diag_errors(&d) == 0));
    for (int strict = 0; strict < 2; strict++) {
        tmpl_set_strict(set, strict);
        buf_init(&out);
        if (tmpl_set_has(set, "t")) {
            int before = diag_errors(&d);
            bool ok = tmpl_render(set, "t", ctx, &out, &d);
            assert(ok == (diag_errors(&d) == before));
        }
        buf_fini(&out);
    }
    tmpl_set_free(set);
    diag_fini(&d);
    return 0;
}

/* libFuzzer: the Mustache engine.  The input is a template, compiled and
 * rendered against a fixed data tree, with itself as a partial too. */
#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "diag.h"
#include "tmpl.h"
#include "val.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct val *
data_tree(void)
{
    struct val *m = val_map(), *list = val_list(), *item = val_map();

    val_set_str(m, "title", "<b>T</b> & \"q\"");
    val_set_bool(m, "yes", true);
    val_set_bool(m, "no", false);
    val_set_num(m, "n", 3);
    val_set_str(item, "name", "tcp");
    val_push(list, item);
    val_push(list, val_str("ip"));
    val_set(m, "tags", list);
    val_set(m, "self", val_copy(m));
    return m;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct val *ctx;
    struct tmpl_set *set = tmpl_set_new();
    struct diag d;
    struct buf out;

    if (ctx == NULL)
        ctx = data_tree();
    diag_init(&d, NULL);
    buf_init(&out);
    if (tmpl_set_add(set, "t", (const char *)data, size, "t.html", &d)) {
        tmpl_set_add(set, "p", (const char *)data, size, "p.html", &d);
        tmpl_render(set, "t", ctx, &out, &d);
    }
    buf_fini(&out);
    tmpl_set_free(set);
    diag_fini(&d);
    return 0;
}

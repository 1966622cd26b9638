/* scn: scenario files -> trace.  Placeholder until the engine lands. */
#include "scn.h"

#include <stdlib.h>

#include "fs.h"

struct trace *
scn_run(const char *text, size_t len, const char *path, bool strict,
        struct diag *d)
{
    (void)text;
    (void)len;
    (void)strict;
    diag_error(d, path, 0, 0, "scenarios are not supported yet");
    return NULL;
}

struct trace *
scn_run_file(const char *path, bool strict, struct diag *d)
{
    size_t len;
    char *text = fs_read(path, FS_MAX_FILE, &len, d);
    struct trace *t;

    if (text == NULL)
        return NULL;
    t = scn_run(text, len, path, strict, d);
    free(text);
    return t;
}

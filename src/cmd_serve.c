/* blog serve: the preview server's command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fs.h"
#include "serve.h"

static const char serve_help[] =
    "usage: blog serve [--site DIR] [--port 4000] [--bind 127.0.0.1] [--drafts]\n"
    "\n"
    "Builds the site, serves DIR/public at http://127.0.0.1:4000/, and\n"
    "rebuilds whenever site.yaml or a file under content/, templates/ or\n"
    "assets/ changes.  Open pages reload by themselves once the new site is\n"
    "written; a failed build keeps the last good site and shows its errors\n"
    "on the page.  Ctrl-C stops.\n"
    "\n"
    "  --site DIR    the site (default: .)\n"
    "  --port N      TCP port (default 4000; 0 picks a free one)\n"
    "  --bind ADDR   address to listen on (default 127.0.0.1, this machine\n"
    "                only; 0.0.0.0 or :: to let other machines see it)\n"
    "  --drafts      also render drafts\n"
    "\n"
    "Exit status: 0 stopped cleanly, 1 could not start, 2 usage error.\n";

static int
usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "blog serve: error: %s '%s'; try 'blog serve --help'\n",
            msg, arg);
    return 2;
}

int
cmd_serve(int argc, char **argv)
{
    struct serve_opts o = {.site_dir = ".", .bind = "127.0.0.1", .port = 4000};
    char *out;
    int rc;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = NULL;
        size_t n = strcspn(a, "=");
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(serve_help, stdout);
            return 0;
        }
        if (strcmp(a, "--drafts") == 0) {
            o.drafts = true;
            continue;
        }
        if (strncmp(a, "--site", n) == 0 || strncmp(a, "--port", n) == 0 ||
            strncmp(a, "--bind", n) == 0) {
            if (n != 6)
                return usage_error("unknown option", a);
            v = a[n] == '=' ? a + n + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (v == NULL)
                return usage_error("missing a value after", a);
        } else {
            return usage_error("unknown option", a);
        }
        if (a[2] == 's') {
            o.site_dir = v;
        } else if (a[2] == 'b') {
            o.bind = v;
        } else {
            char *end;
            long p = strtol(v, &end, 10);
            if (*v == '\0' || *end != '\0' || p < 0 || p > 65535)
                return usage_error("--port takes a number from 0 to 65535, "
                                   "not",
                                   v);
            o.port = (int)p;
        }
    }
    o.out_dir = out = fs_join(o.site_dir, "public");
    rc = serve_run(&o);
    free(out);
    return rc;
}

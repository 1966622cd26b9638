/* blog diagram: run one scenario, print its trace, draw it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "diag.h"
#include "diagram.h"
#include "scn.h"
#include "xmem.h"

static const char diagram_help[] =
    "usage: blog diagram FILE.yaml [-o OUT.png|OUT.svg] [--scale S]\n"
    "                    [--trace] [--strict]\n"
    "\n"
    "Runs the TCP scenario in FILE.yaml on the RFC 9293 engine and draws\n"
    "the result as a sequence diagram.  The format follows the extension of\n"
    "OUT (default: NAME.png in the current folder).\n"
    "\n"
    "  -o, --out OUT   where to write the PNG or SVG\n"
    "  --scale S       PNG pixels per CSS pixel (default 2: sharp on HiDPI)\n"
    "  --trace         print what happened (the trace) as YAML on stdout;\n"
    "                  with --trace and no -o, nothing is drawn\n"
    "  --strict        refuse teaching variants that RFC 9293 does not allow\n"
    "\n"
    "Exit status: 0 success, 1 the scenario is wrong, 2 usage error.\n";

static int
usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "blog diagram: error: %s%s%s; try 'blog diagram --help'\n",
            msg, arg ? " " : "", arg ? arg : "");
    return 2;
}

int
cmd_diagram(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    char *def_out = NULL;
    double scale = 2;
    bool trace = false, strict = false;
    struct trace *t = NULL;
    struct diag d;
    int rc = 1;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(diagram_help, stdout);
            return 0;
        } else if (strcmp(a, "--trace") == 0) {
            trace = true;
        } else if (strcmp(a, "--strict") == 0) {
            strict = true;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) {
            if (++i >= argc)
                return usage_error("-o needs a file name", NULL);
            out = argv[i];
        } else if (strncmp(a, "--out=", 6) == 0) {
            out = a + 6;
        } else if (strcmp(a, "--scale") == 0 || strncmp(a, "--scale=", 8) == 0) {
            const char *v = a[7] == '=' ? a + 8 : (++i < argc ? argv[i] : NULL);
            char *end;
            if (v == NULL)
                return usage_error("--scale needs a number", NULL);
            scale = strtod(v, &end);
            if (*v == '\0' || *end != '\0' || !(scale > 0 && scale <= 16))
                return usage_error("--scale takes a number above 0, up to 16, "
                                   "not",
                                   v);
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option", a);
        } else if (in == NULL) {
            in = a;
        } else {
            return usage_error("one scenario at a time; extra argument", a);
        }
    }
    if (in == NULL)
        return usage_error("no scenario file given", NULL);

    diag_init(&d, stderr);
    if ((t = scn_run_file(in, strict, &d)) == NULL)
        goto out;
    if (trace && !trace_emit_yaml(t, stdout)) {
        fprintf(stderr, "blog diagram: error: cannot write the trace\n");
        goto out;
    }
    if (out == NULL && !trace)
        out = def_out = xasprintf("%s.png", t->name);
    if (out != NULL && !diagram_render(t, out, scale, &d))
        goto out;
    rc = 0;
out:
    trace_free(t);
    free(def_out);
    diag_fini(&d);
    return rc;
}

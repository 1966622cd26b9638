/* libFuzzer: scenario files, parsed and run on the TCP engine, and the
 * trace written as YAML. */
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "scn.h"
#include "trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct diag d;
    struct trace *t;

    diag_init(&d, NULL);
    t = scn_run((const char *)data, size, "f.yaml", size % 3 == 0, &d);
    if (t != NULL) {
        FILE *null = fopen("/dev/null", "w");
        if (null != NULL) {
            trace_emit_yaml(t, null);
            fclose(null);
        }
        trace_free(t);
    }
    diag_fini(&d);
    return 0;
}

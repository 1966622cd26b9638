/* blog serve: placeholder until the preview server lands. */
#include <stdio.h>

#include "cmd.h"

int
cmd_serve(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "blog serve: error: not available yet\n");
    return 2;
}

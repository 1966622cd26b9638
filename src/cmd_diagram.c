/* blog diagram: placeholder until drawing lands. */
#include <stdio.h>

#include "cmd.h"

int
cmd_diagram(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "blog diagram: error: not available yet\n");
    return 2;
}

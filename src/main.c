/*
 * blog: a static site generator for a blog about network protocols.
 * main.c only picks the subcommand; each lives in a cmd_*.c file.
 */
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "diagram.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *what;
} commands[] = {
    {"build", cmd_build, "render the site into public/"},
    {"check", cmd_check, "validate everything build would, write nothing"},
    {"new", cmd_new, "create content/posts/<slug>.md for a new post"},
    {"diagram", cmd_diagram, "run a TCP scenario and draw it (PNG or SVG)"},
    {"serve", cmd_serve, "preview the site, rebuilding on every change"},
};

static void
usage(FILE *f)
{
    size_t i;

    fprintf(f, "usage: blog <command> [options]\n\ncommands:\n");
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].what);
    fprintf(f, "\n'blog <command> --help' describes each command.\n");
}

int
main(int argc, char **argv)
{
    size_t i;

    /* A build allocates and frees many small blocks, and libyaml's parser
     * takes and returns 100 KiB per file: without these, glibc gives the
     * top of the heap back to the system and takes it again for every
     * post, which costs a page fault per page. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("blog %s\n", BLOG_VERSION);
        return 0;
    }
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            int rc = commands[i].fn(argc - 1, argv + 1);
#ifdef BLOG_SANITIZE
            diagram_fini();
#endif
            return rc;
        }
    }
    fprintf(stderr, "blog: error: unknown command '%s'; try 'blog --help'\n",
            argv[1]);
    return 2;
}

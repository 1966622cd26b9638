/*
 * cmd: the subcommands of build/blog.  Each takes the arguments after its
 * name (argv[0] is the subcommand) and returns the exit status:
 * 0 success, 1 content error, 2 usage error.
 */
#ifndef CMD_H
#define CMD_H

#define BLOG_VERSION "0.1.0"

int cmd_build(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_diagram(int argc, char **argv);
int cmd_serve(int argc, char **argv);

#endif

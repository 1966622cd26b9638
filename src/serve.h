/*
 * serve: the preview server.  Builds the site, serves the output folder
 * over HTTP (libmicrohttpd), rebuilds when a source changes (watch.c), and
 * tells open pages to reload through Server-Sent Events.
 *
 * HTML pages are served with a small script injected before </body> (the
 * files on disk are never touched).  The script listens on
 * /__blog/events: "reload" after a build succeeded and its output was
 * swapped in, "build-error" (the messages, one per data line) after one
 * failed; the page then shows them in an overlay and keeps the last good
 * content.  HTTP: GET and HEAD only; no request leaves the output folder.
 */
#ifndef SERVE_H
#define SERVE_H

#include <stdbool.h>

struct serve_opts {
    const char *site_dir; /* the site to build and watch */
    const char *out_dir;  /* its output folder, which is served */
    const char *bind;     /* IPv4 or IPv6 address; default 127.0.0.1 */
    int port;             /* default 4000; 0 picks a free port */
    bool drafts;          /* build drafts too */
};

/* Runs until SIGINT or SIGTERM.  Returns the exit status: 0 after a clean
 * stop, 1 when the server could not start (the port is in use...). */
int serve_run(const struct serve_opts *o);

/* The Content-Type for path's extension (a static string). */
const char *serve_mime(const char *path);

#endif

/*
 * watch: tells when the sources of a site change, with inotify.
 *
 * Watched: site.yaml, and content/, templates/ and assets/ with every
 * folder below them, including folders created later (they are added as
 * they appear).  Editor scratch files (names starting with '.' or '#',
 * ending in '~', '.swp', '.swx' or '.tmp') do not count.  The output folder
 * and .cache/ are never watched.
 */
#ifndef WATCH_H
#define WATCH_H

#include <stdbool.h>

#include "diag.h"

struct watch;

/* Starts watching the site in site_dir; NULL (after an error to d) when
 * inotify is unavailable.  Free with watch_free(). */
struct watch *watch_new(const char *site_dir, struct diag *d);
void watch_free(struct watch *w);

/* The descriptor to poll() for POLLIN. */
int watch_fd(const struct watch *w);

/* Reads the events that are ready, without blocking, and returns how
 * many of them concern the site's sources (0: only noise).  The path of
 * the last relevant one is kept for watch_last(). */
int watch_read(struct watch *w);

/* Borrowed: the last changed path, relative to the site, or "". */
const char *watch_last(const struct watch *w);

#endif

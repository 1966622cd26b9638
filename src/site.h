/*
 * site: content/ -> site model -> templates -> public/, published only on
 * success (a failed build leaves the previous output untouched).
 */
#ifndef SITE_H
#define SITE_H

#include <stdbool.h>

#include "diag.h"

enum site_link_check { SITE_LINKS_DEFAULT, SITE_LINKS_ERROR, SITE_LINKS_WARN };

struct site_opts {
    const char *site_dir; /* folder with site.yaml, content/, templates/ */
    const char *out_dir;  /* output folder, swapped in whole at the end */
    bool drafts;          /* also render drafts and unpublished posts */
    bool dry_run;         /* check only: write nothing */
    bool full;            /* ignore what the last build left (.OUT.blog/) */
    enum site_link_check link_check; /* DEFAULT: what site.yaml says */
    bool exiting;         /* the process ends after this build: its data
                           * is left for exit() to give back (except in
                           * builds with AddressSanitizer, whose leak check
                           * must see them freed) */
};

/* Builds the site.  Reports every content error to d; returns true only
 * if there was none and the new output was swapped in. */
bool site_build(const struct site_opts *o, struct diag *d);

#endif

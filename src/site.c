/* site: placeholder. */
#include "site.h"

bool
site_build(const struct site_opts *o, struct diag *d)
{
    diag_error(d, o->site_dir, 0, 0, "not implemented yet");
    return false;
}

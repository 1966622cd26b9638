/* diagram: scenario -> PNG/SVG.  Placeholder until drawing lands. */
#include "diagram.h"

bool
diagram_render(const struct trace *t, const char *path, double scale,
               struct diag *d)
{
    (void)t;
    (void)scale;
    diag_error(d, path, 0, 0, "diagrams are not supported yet");
    return false;
}

bool
diagram_build(const char *scn_path, const char *png_path,
              const char *svg_path, const char *cache_dir, struct diag *d)
{
    (void)png_path;
    (void)svg_path;
    (void)cache_dir;
    diag_error(d, scn_path, 0, 0, "diagrams are not supported yet");
    return false;
}

void
diagram_fini(void)
{
}

/* gfx: cairo, fontconfig and libpng through dlopen() (see gfx.h). */
#define GFX_NO_REDIRECT
#include "gfx.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

struct gfx gfx;
static bool loaded;

/* Opens the first of names that loads; NULL with a message in err. */
static void *
open_lib(const char *const *names, size_t n, const char *package, char *err,
         size_t errlen)
{
    void *h = NULL;

    for (size_t i = 0; i < n && h == NULL; i++)
        h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (h == NULL)
        snprintf(err, errlen, "cannot load %s (%s); install %s", names[0],
                 dlerror(), package);
    return h;
}

/* dlsym() returns an object pointer; a function pointer is copied out of
 * it byte for byte, as POSIX allows */
#define GFX_FIND(f)                                                           \
    do {                                                                      \
        void *sym = dlsym(h, #f);                                             \
        if (sym == NULL) {                                                    \
            snprintf(err, errlen, "%s lacks the function %s", lib, #f);       \
            return false;                                                     \
        }                                                                     \
        _Static_assert(sizeof gfx.f == sizeof sym, "pointer sizes");         \
        memcpy(&gfx.f, &sym, sizeof sym);                                     \
    } while (0);

bool
gfx_load(char *err, size_t errlen)
{
    static const char *const cairo_names[] = {"libcairo.so.2", "libcairo.so"};
    static const char *const fc_names[] = {"libfontconfig.so.1",
                                           "libfontconfig.so"};
    static const char *const png_names[] = {"libpng16.so.16", "libpng16.so"};
    const char *lib;
    void *h;

    if (loaded)
        return true;
    /* the libraries stay loaded until the process ends */
    lib = cairo_names[0];
    if ((h = open_lib(cairo_names, 2, "libcairo2", err, errlen)) == NULL)
        return false;
    GFX_CAIRO(GFX_FIND)
    lib = fc_names[0];
    if ((h = open_lib(fc_names, 2, "libfontconfig1", err, errlen)) == NULL)
        return false;
    GFX_FONTCONFIG(GFX_FIND)
    lib = png_names[0];
    if ((h = open_lib(png_names, 2, "libpng16-16", err, errlen)) == NULL)
        return false;
    GFX_PNG(GFX_FIND)
    loaded = true;
    return true;
}

bool
gfx_loaded(void)
{
    return loaded;
}

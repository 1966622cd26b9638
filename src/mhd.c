/* mhd: libmicrohttpd through dlopen() (see mhd.h). */
#include "mhd.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <microhttpd.h>

static struct {
    bool loaded;
    struct MHD_Daemon *(*start_va)(unsigned, uint16_t,
                                   MHD_AcceptPolicyCallback, void *,
                                   MHD_AccessHandlerCallback, void *,
                                   va_list);
    void (*stop)(struct MHD_Daemon *);
    const char *(*lookup)(struct MHD_Connection *, enum MHD_ValueKind,
                          const char *);
    enum MHD_Result (*queue)(struct MHD_Connection *, unsigned int,
                             struct MHD_Response *);
    struct MHD_Response *(*from_callback)(uint64_t, size_t,
                                          MHD_ContentReaderCallback, void *,
                                          MHD_ContentReaderFreeCallback);
    struct MHD_Response *(*from_buffer)(size_t, void *,
                                        enum MHD_ResponseMemoryMode);
    struct MHD_Response *(*from_fd)(size_t, int);
    void (*destroy)(struct MHD_Response *);
    enum MHD_Result (*add_header)(struct MHD_Response *, const char *,
                                  const char *);
} lib;

/* dlsym() returns an object pointer; a function pointer is copied out of
 * it byte for byte, as POSIX allows */
#define FIND(h, field, name)                                                  \
    do {                                                                      \
        void *sym = dlsym(h, name);                                           \
        if (sym == NULL)                                                      \
            goto missing;                                                     \
        _Static_assert(sizeof lib.field == sizeof sym, "pointer sizes");    \
        memcpy(&lib.field, &sym, sizeof sym);                                 \
    } while (0)

bool
mhd_load(char *err, size_t errlen)
{
    static const char *const names[] = {"libmicrohttpd.so.12",
                                        "libmicrohttpd.so"};
    void *h = NULL;

    if (lib.loaded)
        return true;
    for (size_t i = 0; i < sizeof names / sizeof *names && h == NULL; i++)
        h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        snprintf(err, errlen,
                 "cannot load libmicrohttpd (%s); install libmicrohttpd12",
                 dlerror());
        return false;
    }
    FIND(h, start_va, "MHD_start_daemon_va");
    FIND(h, stop, "MHD_stop_daemon");
    FIND(h, lookup, "MHD_lookup_connection_value");
    FIND(h, queue, "MHD_queue_response");
    FIND(h, from_callback, "MHD_create_response_from_callback");
    FIND(h, from_buffer, "MHD_create_response_from_buffer");
    FIND(h, from_fd, "MHD_create_response_from_fd");
    FIND(h, destroy, "MHD_destroy_response");
    FIND(h, add_header, "MHD_add_response_header");
    lib.loaded = true; /* the library stays loaded until the process ends */
    return true;
missing:
    snprintf(err, errlen, "libmicrohttpd lacks a function: %s", dlerror());
    dlclose(h);
    return false;
}

/* The functions serve.c calls, as microhttpd.h declares them. */

struct MHD_Daemon *
MHD_start_daemon(unsigned int flags, uint16_t port,
                 MHD_AcceptPolicyCallback apc, void *apc_cls,
                 MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    char err[256];
    struct MHD_Daemon *d;
    va_list ap;

    if (!mhd_load(err, sizeof err))
        return NULL;
    va_start(ap, dh_cls);
    d = lib.start_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
    va_end(ap);
    return d;
}

void
MHD_stop_daemon(struct MHD_Daemon *daemon)
{
    lib.stop(daemon);
}

const char *
MHD_lookup_connection_value(struct MHD_Connection *connection,
                            enum MHD_ValueKind kind, const char *key)
{
    return lib.lookup(connection, kind, key);
}

enum MHD_Result
MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
                   struct MHD_Response *response)
{
    return lib.queue(connection, status_code, response);
}

struct MHD_Response *
MHD_create_response_from_callback(uint64_t size, size_t block_size,
                                  MHD_ContentReaderCallback crc,
                                  void *crc_cls,
                                  MHD_ContentReaderFreeCallback crfc)
{
    return lib.from_callback(size, block_size, crc, crc_cls, crfc);
}

struct MHD_Response *
MHD_create_response_from_buffer(size_t size, void *buffer,
                                enum MHD_ResponseMemoryMode mode)
{
    return lib.from_buffer(size, buffer, mode);
}

struct MHD_Response *
MHD_create_response_from_fd(size_t size, int fd)
{
    return lib.from_fd(size, fd);
}

void
MHD_destroy_response(struct MHD_Response *response)
{
    lib.destroy(response);
}

enum MHD_Result
MHD_add_response_header(struct MHD_Response *response, const char *header,
                        const char *content)
{
    return lib.add_header(response, header, content);
}

/*
 * mhd: libmicrohttpd, loaded when the preview server starts.
 *
 * Only `blog serve` needs an HTTP server, and loading libmicrohttpd with
 * the TLS library behind it took 1.7 ms of every run of `blog build` (a
 * build with nothing to do takes 10).  mhd.c defines the libmicrohttpd
 * functions serve.c calls, each forwarding to the library, which
 * mhd_load() opens with dlopen().
 */
#ifndef MHD_H
#define MHD_H

#include <stdbool.h>
#include <stddef.h>

/* Opens the library (once; not thread-safe: call it before the server
 * starts).  False with a message in err when it cannot be loaded. */
bool mhd_load(char *err, size_t errlen);

#endif

/*
 * serve: the preview server (see serve.h).
 *
 * Threads: libmicrohttpd runs one thread per connection (an event stream
 * is a request that lasts as long as the page is open); the main thread
 * waits on the watcher, debounces, rebuilds, and publishes the result in
 * struct state under its mutex.  Files are read from the output folder
 * per request; since a build swaps the whole folder in with one rename, a
 * request sees the old site or the new one, never half of each.
 */
#include "serve.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "mhd.h"
#include "site.h"
#include "watch.h"
#include "xmem.h"

#define MAX_URL      4096
#define MAX_FILE     (256u * 1024 * 1024)
#define DEBOUNCE_MS  100
#define PING_SECONDS 15
#define EVENTS_PATH  "/__blog/events"

/* Shared between the builder (main thread) and the request threads. */
struct state {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    unsigned build;  /* counts finished builds */
    bool ok;         /* the last build succeeded */
    char *errors;    /* its messages when it failed */
    bool quit;
    char *root;      /* realpath of the output folder */
    const char *out; /* the output folder as given */
};

static struct state st = {.lock = PTHREAD_MUTEX_INITIALIZER,
                          .changed = PTHREAD_COND_INITIALIZER};
static int quit_pipe[2] = {-1, -1};

/* The script every served HTML page gets.  It listens for builds; the
 * overlay is a plain <pre> on top of the page, removed by the reload. */
static const char reload_script[] =
    "<script>/* blog serve: live reload */(function(){"
    "var es=new EventSource('" EVENTS_PATH "'),first=null;"
    "function show(t){var o=document.getElementById('__blog_overlay');"
    "if(!o){o=document.createElement('pre');o.id='__blog_overlay';"
    "o.style.cssText='position:fixed;z-index:2147483647;left:0;right:0;"
    "bottom:0;max-height:60%;overflow:auto;margin:0;padding:1em 1.2em;"
    "background:#fff4f4;color:#8b0000;border-top:3px solid #c00;"
    "font:13px/1.5 monospace;white-space:pre-wrap';"
    "(document.body||document.documentElement).appendChild(o)}"
    "o.textContent='Build failed; showing the last good page.\\n\\n'+t}"
    "es.addEventListener('hello',function(e){if(first===null)first=e.data;"
    "else if(first!==e.data)location.reload()});"
    "es.addEventListener('reload',function(){location.reload()});"
    "es.addEventListener('build-error',function(e){show(e.data)});"
    "})();</script>";

/* ---- small helpers ---------------------------------------------------- */

const char *
serve_mime(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".htm", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".json", "application/json"},
        {".xml", "application/xml"},
        {".txt", "text/plain; charset=utf-8"},
        {".md", "text/plain; charset=utf-8"},
        {".png", "image/png"},
        {".svg", "image/svg+xml"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".gif", "image/gif"},
        {".webp", "image/webp"},
        {".avif", "image/avif"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".ttf", "font/ttf"},
        {".otf", "font/otf"},
        {".pdf", "application/pdf"},
        {".wasm", "application/wasm"},
        {".mp4", "video/mp4"},
        {".webm", "video/webm"},
    };
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

    if (dot != NULL && (slash == NULL || dot > slash))
        for (size_t i = 0; i < sizeof types / sizeof *types; i++)
            if (strcasecmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

static void
http_date(time_t t, char out[64])
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 64, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static time_t
parse_http_date(const char *s)
{
    struct tm tm = {0};
    const char *end = strptime(s, "%a, %d %b %Y %H:%M:%S GMT", &tm);

    return end != NULL ? timegm(&tm) : (time_t)-1;
}

static enum MHD_Result
plain(struct MHD_Connection *c, unsigned status, const char *text,
      const char *allow)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ret;

    MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
    if (allow != NULL)
        MHD_add_response_header(r, "Allow", allow);
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Our own unescaping of the URL (MHD_OPTION_UNESCAPE_CALLBACK): %XX is
 * decoded, but a decoded NUL, '/' or '\', or a raw '\', would change what
 * the path means once decoded: the URL is replaced by a marker that the
 * handler refuses with 400. */
static size_t
unescape(void *cls, struct MHD_Connection *c, char *s)
{
    char *w = s;
    const char *r = s;

    (void)cls;
    (void)c;
    while (*r != '\0') {
        if (*r == '%' && isxdigit((unsigned char)r[1]) &&
            isxdigit((unsigned char)r[2])) {
            char hex[3] = {r[1], r[2], '\0'};
            char ch = (char)strtol(hex, NULL, 16);
            if (ch == '\0' || ch == '/' || ch == '\\')
                goto bad;
            *w++ = ch;
            r += 3;
        } else if (*r == '\\') {
            goto bad;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
bad:
    strcpy(s, "\x01");
    return 1;
}

/* Maps a decoded URL path to a file under the output folder; NULL (and
 * *status) when it must be refused. */
static char *
resolve(const char *url, unsigned *status)
{
    struct buf b;
    const char *p = url;
    char *real;

    *status = 400;
    if (url[0] != '/')
        return NULL;
    buf_init(&b);
    buf_puts(&b, st.root);
    while (*p != '\0') {
        const char *seg;
        size_t n;
        while (*p == '/')
            p++;
        seg = p;
        while (*p != '\0' && *p != '/')
            p++;
        n = (size_t)(p - seg);
        if (n == 0)
            continue;
        if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.')) {
            buf_fini(&b);
            return NULL;
        }
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)seg[i] < 0x20) {
                buf_fini(&b);
                return NULL;
            }
        buf_putc(&b, '/');
        buf_add(&b, seg, n);
    }
    /* symlinks must not lead out of the output folder */
    real = realpath(buf_str(&b), NULL);
    if (real == NULL) {
        *status = 404;
        real = buf_detach(&b);
        buf_fini(&b);
        return real; /* missing: the caller answers 404 */
    }
    buf_fini(&b);
    size_t rl = strlen(st.root);
    if (strncmp(real, st.root, rl) != 0 || (real[rl] != '\0' && real[rl] != '/')) {
        free(real);
        *status = 403;
        return NULL;
    }
    *status = 200;
    return real;
}

/* Reads a regular file of at most MAX_FILE bytes. */
static char *
slurp(int fd, size_t size)
{
    char *data = xmalloc(size + 1);
    size_t got = 0;

    while (got < size) {
        ssize_t n = read(fd, data + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            free(data);
            return NULL;
        }
        got += (size_t)n;
    }
    data[size] = '\0';
    return data;
}

/* The HTML with the reload script before the last </body>, or at the
 * end when there is none.  Returns a new buffer of *len bytes. */
static char *
inject(const char *html, size_t len, size_t *out_len)
{
    size_t at = len, n = sizeof reload_script - 1;
    char *out;

    for (size_t i = len; i >= 7; i--) {
        if (strncasecmp(html + i - 7, "</body>", 7) == 0) {
            at = i - 7;
            break;
        }
    }
    out = xmalloc(len + n + 1);
    memcpy(out, html, at);
    memcpy(out + at, reload_script, n);
    memcpy(out + at + n, html + at, len - at);
    *out_len = len + n;
    out[*out_len] = '\0';
    return out;
}

static bool
is_html(const char *path)
{
    return strncmp(serve_mime(path), "text/html", 9) == 0;
}

static enum MHD_Result
send_file(struct MHD_Connection *c, const char *path, unsigned status,
          bool cacheable)
{
    struct MHD_Response *r;
    struct stat sb;
    char date[64], etag[96];
    enum MHD_Result ret;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        return plain(c, MHD_HTTP_NOT_FOUND, "404 not found\n", NULL);
    }
    if ((size_t)sb.st_size > MAX_FILE) {
        close(fd);
        return plain(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
                     "file too large to preview\n", NULL);
    }
    snprintf(etag, sizeof etag, "\"%lx-%lx-%lx.%lx\"", (unsigned long)sb.st_ino,
             (unsigned long)sb.st_size, (unsigned long)sb.st_mtim.tv_sec,
             (unsigned long)sb.st_mtim.tv_nsec);
    http_date(sb.st_mtim.tv_sec, date);
    if (cacheable && status == 200) {
        const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                      "If-None-Match");
        const char *ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                      "If-Modified-Since");
        time_t since;
        if ((inm != NULL && strstr(inm, etag) != NULL) ||
            (inm == NULL && ims != NULL &&
             (since = parse_http_date(ims)) != (time_t)-1 &&
             sb.st_mtim.tv_sec <= since)) {
            close(fd);
            r = MHD_create_response_from_buffer(0, NULL,
                                                MHD_RESPMEM_PERSISTENT);
            MHD_add_response_header(r, "ETag", etag);
            MHD_add_response_header(r, "Last-Modified", date);
            ret = MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, r);
            MHD_destroy_response(r);
            return ret;
        }
    }
    if (is_html(path)) {
        size_t n;
        char *html = slurp(fd, (size_t)sb.st_size), *page;
        close(fd);
        if (html == NULL)
            return plain(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "read error\n",
                         NULL);
        page = inject(html, (size_t)sb.st_size, &n);
        free(html);
        r = MHD_create_response_from_buffer(n, page, MHD_RESPMEM_MUST_FREE);
    } else {
        r = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
    }
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", serve_mime(path));
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    if (cacheable) {
        MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Last-Modified", date);
    }
    ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result
not_found(struct MHD_Connection *c)
{
    char *p = xasprintf("%s/404.html", st.root);
    enum MHD_Result ret;

    if (access(p, R_OK) == 0)
        ret = send_file(c, p, MHD_HTTP_NOT_FOUND, false);
    else
        ret = plain(c, MHD_HTTP_NOT_FOUND, "404 not found\n", NULL);
    free(p);
    return ret;
}

/* ---- the event stream ------------------------------------------------- */

struct stream {
    unsigned seen;  /* the build this client heard of last */
    bool hello;
    time_t last;    /* when something was last sent */
};

/* Writes an event whose data may hold several lines. */
static size_t
event(char *out, size_t max, const char *name, const char *data)
{
    struct buf b;
    size_t n;

    buf_init(&b);
    buf_printf(&b, "event: %s\n", name);
    for (const char *p = data; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        buf_puts(&b, "data: ");
        buf_add(&b, p, len);
        buf_putc(&b, '\n');
        p += len + (nl != NULL);
    }
    if (*data == '\0')
        buf_puts(&b, "data:\n");
    buf_putc(&b, '\n');
    n = b.len < max ? b.len : max; /* events are short; max is 32 KiB+ */
    memcpy(out, buf_str(&b), n);
    buf_fini(&b);
    return n;
}

static ssize_t
stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
    struct stream *s = cls;
    ssize_t n = 0;

    (void)pos;
    pthread_mutex_lock(&st.lock);
    while (!st.quit) {
        if (!s->hello) {
            char gen[32];
            s->hello = true;
            s->seen = st.build;
            snprintf(gen, sizeof gen, "%u", st.build);
            n = (ssize_t)event(out, max, "hello", gen);
            if (!st.ok && st.errors != NULL)
                n += (ssize_t)event(out + n, max - (size_t)n, "build-error",
                                    st.errors);
            break;
        }
        if (s->seen != st.build) {
            s->seen = st.build;
            n = st.ok ? (ssize_t)event(out, max, "reload", "")
                      : (ssize_t)event(out, max, "build-error",
                                       st.errors ? st.errors : "");
            break;
        }
        if (time(NULL) - s->last >= PING_SECONDS) {
            n = snprintf(out, max, ": ping\n\n");
            break;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&st.changed, &st.lock, &until);
    }
    pthread_mutex_unlock(&st.lock);
    if (n == 0)
        return MHD_CONTENT_READER_END_OF_STREAM;
    s->last = time(NULL);
    return n;
}

static void
stream_free(void *cls)
{
    free(cls);
}

static enum MHD_Result
events(struct MHD_Connection *c)
{
    struct stream *s = xcalloc(1, sizeof *s);
    struct MHD_Response *r;
    enum MHD_Result ret;

    s->last = time(NULL);
    r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024,
                                          stream_read, s, stream_free);
    MHD_add_response_header(r, "Content-Type", "text/event-stream");
    MHD_add_response_header(r, "Cache-Control", "no-cache");
    ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

/* ---- requests --------------------------------------------------------- */

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url,
       const char *method, const char *version, const char *upload,
       size_t *upload_size, void **con_cls)
{
    static int first;
    unsigned status;
    char *path;
    struct stat sb;
    enum MHD_Result ret;

    (void)cls;
    (void)version;
    (void)upload;
    if (*con_cls == NULL) { /* headers only so far: wait for the body */
        *con_cls = &first;
        if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
            return MHD_YES;
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        *upload_size = 0; /* the body, if any, is not read */
        return plain(c, MHD_HTTP_METHOD_NOT_ALLOWED,
                     "405 method not allowed: the preview serves GET and "
                     "HEAD\n",
                     "GET, HEAD");
    }
    if (strlen(url) > MAX_URL)
        return plain(c, MHD_HTTP_URI_TOO_LONG, "414 URI too long\n", NULL);
    if (strcmp(url, EVENTS_PATH) == 0)
        return events(c);
    path = resolve(url, &status);
    if (path == NULL)
        return plain(c, status,
                     status == 403 ? "403 forbidden\n" : "400 bad request\n",
                     NULL);
    if (status == 404) {
        free(path);
        return not_found(c);
    }
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        size_t n = strlen(url);
        if (n == 0 || url[n - 1] != '/') {
            /* "/tags" -> "/tags/", so that relative links resolve */
            char *to = xasprintf("%s/", url);
            struct MHD_Response *r = MHD_create_response_from_buffer(
                0, NULL, MHD_RESPMEM_PERSISTENT);
            MHD_add_response_header(r, "Location", to);
            ret = MHD_queue_response(c, MHD_HTTP_MOVED_PERMANENTLY, r);
            MHD_destroy_response(r);
            free(to);
            free(path);
            return ret;
        }
        char *index = xasprintf("%s/index.html", path);
        free(path);
        path = index;
        if (access(path, R_OK) != 0) {
            free(path);
            return not_found(c);
        }
    } else if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        free(path);
        return not_found(c);
    }
    ret = send_file(c, path, MHD_HTTP_OK, true);
    free(path);
    return ret;
}

/* ---- the builder ------------------------------------------------------ */

static void
on_signal(int sig)
{
    (void)sig;
    if (quit_pipe[1] >= 0) {
        ssize_t n = write(quit_pipe[1], "q", 1);
        (void)n;
    }
}

static void
build(const struct serve_opts *o)
{
    struct site_opts so = {.site_dir = o->site_dir, .out_dir = o->out_dir,
                           .drafts = o->drafts};
    struct diag d;
    bool ok;

    diag_init(&d, stderr);
    ok = site_build(&so, &d);
    pthread_mutex_lock(&st.lock);
    free(st.errors);
    st.errors = ok ? NULL : xstrdup(buf_str(&d.text));
    st.ok = ok;
    st.build++;
    pthread_cond_broadcast(&st.changed);
    pthread_mutex_unlock(&st.lock);
    if (ok)
        fprintf(stderr, "serve: built; pages reload\n");
    else
        fprintf(stderr, "serve: build failed; serving the last good site\n");
    diag_fini(&d);
}

/* A listening socket on bind:port; -1 after printing why. */
static int
listen_on(const char *bind_addr, int *port)
{
    struct sockaddr_storage ss = {0};
    socklen_t len;
    int fd, one = 1;

    if (strchr(bind_addr, ':') != NULL) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)*port);
        if (inet_pton(AF_INET6, bind_addr, &a->sin6_addr) != 1)
            goto bad;
        len = sizeof *a;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)*port);
        if (inet_pton(AF_INET, bind_addr, &a->sin_addr) != 1)
            goto bad;
        len = sizeof *a;
    }
    fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        fprintf(stderr, "blog serve: error: cannot open a socket: %s\n",
                strerror(errno));
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 64) != 0) {
        if (errno == EADDRINUSE)
            fprintf(stderr,
                    "blog serve: error: port %d is in use; choose another "
                    "with --port\n",
                    *port);
        else
            fprintf(stderr, "blog serve: error: cannot listen on %s port %d: "
                            "%s\n",
                    bind_addr, *port, strerror(errno));
        close(fd);
        return -1;
    }
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
        *port = ntohs(ss.ss_family == AF_INET6
                          ? ((struct sockaddr_in6 *)&ss)->sin6_port
                          : ((struct sockaddr_in *)&ss)->sin_port);
    return fd;
bad:
    fprintf(stderr, "blog serve: error: '%s' is not an IP address; use "
                    "--bind 127.0.0.1 or another address of this machine\n",
            bind_addr);
    return -1;
}

int
serve_run(const struct serve_opts *o)
{
    struct MHD_Daemon *daemon = NULL;
    struct watch *w = NULL;
    struct diag d;
    struct sigaction sa = {0};
    int port = o->port, fd = -1, rc = 1;
    const char *bind_addr = o->bind ? o->bind : "127.0.0.1";

    diag_init(&d, stderr);
    st.out = o->out_dir;
    if ((fd = listen_on(bind_addr, &port)) < 0)
        goto out;
    if (pipe(quit_pipe) != 0)
        goto out;
    for (int i = 0; i < 2; i++) {
        fcntl(quit_pipe[i], F_SETFD, FD_CLOEXEC);
        fcntl(quit_pipe[i], F_SETFL, O_NONBLOCK);
    }
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if ((w = watch_new(o->site_dir, &d)) == NULL)
        goto out;
    build(o);
    /* the output folder exists from now on, even after a failed first
     * build: its real path is the root every request is checked against */
    if (access(o->out_dir, F_OK) != 0)
        mkdir(o->out_dir, 0755);
    if ((st.root = realpath(o->out_dir, NULL)) == NULL) {
        fprintf(stderr, "blog serve: error: %s: %s\n", o->out_dir,
                strerror(errno));
        goto out;
    }
    char err[512];
    if (!mhd_load(err, sizeof err)) {
        fprintf(stderr, "blog serve: error: %s\n", err);
        goto out;
    }
    daemon = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
            (strchr(bind_addr, ':') ? MHD_USE_IPv6 : 0),
        (uint16_t)port, NULL, NULL, handle, NULL, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)512, MHD_OPTION_END);
    if (daemon == NULL) {
        fprintf(stderr, "blog serve: error: cannot start the HTTP server on "
                        "port %d\n",
                port);
        goto out;
    }
    fd = -1; /* the daemon owns it */
    printf("serving http://%s%s%s:%d/ (Ctrl-C to stop)\n",
           strchr(bind_addr, ':') ? "[" : "", bind_addr,
           strchr(bind_addr, ':') ? "]" : "", port);
    fflush(stdout);

    for (;;) {
        struct pollfd p[2] = {{watch_fd(w), POLLIN, 0}, {quit_pipe[0], POLLIN, 0}};
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            break;
        if (p[1].revents & POLLIN)
            break;
        if (!(p[0].revents & POLLIN) || watch_read(w) == 0)
            continue;
        /* debounce: wait until the burst of saves is over */
        for (;;) {
            struct pollfd q[2] = {{watch_fd(w), POLLIN, 0},
                                  {quit_pipe[0], POLLIN, 0}};
            int n = poll(q, 2, DEBOUNCE_MS);
            if (n <= 0 || (q[1].revents & POLLIN))
                break;
            watch_read(w);
        }
        fprintf(stderr, "serve: %s changed; rebuilding\n", watch_last(w));
        build(o);
    }
    rc = 0;
out:
    pthread_mutex_lock(&st.lock);
    st.quit = true;
    pthread_cond_broadcast(&st.changed);
    pthread_mutex_unlock(&st.lock);
    if (daemon != NULL)
        MHD_stop_daemon(daemon);
    if (fd >= 0)
        close(fd);
    watch_free(w);
    for (int i = 0; i < 2; i++)
        if (quit_pipe[i] >= 0)
            close(quit_pipe[i]);
    free(st.root);
    free(st.errors);
    st.root = st.errors = NULL;
    diag_fini(&d);
    if (rc == 0)
        fprintf(stderr, "serve: stopped\n");
    return rc;
}

/* watch: inotify over a site's sources (see watch.h). */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "xmem.h"

/* What counts as a change.  IN_CLOSE_WRITE rather than IN_MODIFY: a file
 * is rebuilt once its writer is done with it. */
#define MASK                                                                  \
    (IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |  \
     IN_DELETE_SELF | IN_ATTRIB)

struct wd {
    int wd;
    char *rel; /* folder relative to the site: "content/posts" ("" = top) */
};

struct watch {
    int fd;
    char *site;
    struct wd *wds;
    size_t n, cap;
    char last[PATH_MAX];
};

static const char *const roots[] = {"content", "templates", "assets"};

static void
add_dir(struct watch *w, const char *rel, int depth)
{
    char *path = rel[0] ? fs_join(w->site, rel) : xstrdup(w->site);
    int wd;

    if (depth > 32) {
        free(path);
        return;
    }
    wd = inotify_add_watch(w->fd, path,
                           rel[0] ? MASK | IN_ONLYDIR : MASK | IN_ONLYDIR);
    if (wd >= 0) {
        size_t i;
        for (i = 0; i < w->n && w->wds[i].wd != wd; i++)
            ;
        if (i == w->n) {
            if (w->n == w->cap) {
                w->cap = w->cap ? w->cap * 2 : 16;
                w->wds = xreallocarray(w->wds, w->cap, sizeof *w->wds);
            }
            w->wds[w->n].wd = wd;
            w->wds[w->n].rel = xstrdup(rel);
            w->n++;
        }
    }
    if (rel[0] != '\0') { /* the top folder is watched for site.yaml only */
        DIR *dp = opendir(path);
        struct dirent *e;
        while (dp != NULL && (e = readdir(dp)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char *sub = fs_join(path, e->d_name);
            if (fs_is_dir(sub)) {
                char *subrel = fs_join(rel, e->d_name);
                add_dir(w, subrel, depth + 1);
                free(subrel);
            }
            free(sub);
        }
        if (dp != NULL)
            closedir(dp);
    }
    free(path);
}

struct watch *
watch_new(const char *site_dir, struct diag *d)
{
    struct watch *w = xcalloc(1, sizeof *w);

    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0) {
        diag_error(d, site_dir, 0, 0, "cannot watch for changes: %s",
                   strerror(errno));
        free(w);
        return NULL;
    }
    w->site = xstrdup(site_dir);
    add_dir(w, "", 0);
    for (size_t i = 0; i < sizeof roots / sizeof *roots; i++)
        add_dir(w, roots[i], 1);
    return w;
}

void
watch_free(struct watch *w)
{
    if (w == NULL)
        return;
    close(w->fd);
    for (size_t i = 0; i < w->n; i++)
        free(w->wds[i].rel);
    free(w->wds);
    free(w->site);
    free(w);
}

int
watch_fd(const struct watch *w)
{
    return w->fd;
}

const char *
watch_last(const struct watch *w)
{
    return w->last;
}

static bool
scratch(const char *name, bool dir)
{
    size_t n = strlen(name);

    if (n == 0 || name[0] == '.' || name[0] == '#' || name[n - 1] == '~')
        return true;
    if (n > 4 && (strcmp(name + n - 4, ".swp") == 0 ||
                  strcmp(name + n - 4, ".swx") == 0 ||
                  strcmp(name + n - 4, ".tmp") == 0))
        return true;
    return !dir && strspn(name, "0123456789") == n; /* vim's "4913" probe */
}

static const struct wd *
find(const struct watch *w, int wd)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->wds[i].wd == wd)
            return &w->wds[i];
    return NULL;
}

int
watch_read(struct watch *w)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    int changes = 0;

    for (;;) {
        ssize_t len = read(w->fd, buf, sizeof buf);
        if (len <= 0)
            break;
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            const struct wd *dir = find(w, ev->wd);
            p += sizeof *ev + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) {
                changes++; /* events were lost: rebuild to be safe */
                continue;
            }
            if (dir == NULL || ev->len == 0) {
                if (dir != NULL && (ev->mask & IN_DELETE_SELF))
                    changes++;
                continue;
            }
            if (dir->rel[0] == '\0') {
                /* the site folder: site.yaml, or a root appearing */
                bool root = false;
                for (size_t i = 0; i < sizeof roots / sizeof *roots; i++)
                    if (strcmp(ev->name, roots[i]) == 0)
                        root = true;
                if (root && (ev->mask & (IN_CREATE | IN_MOVED_TO)) &&
                    (ev->mask & IN_ISDIR))
                    add_dir(w, ev->name, 1);
                if (strcmp(ev->name, "site.yaml") != 0 && !root)
                    continue;
                snprintf(w->last, sizeof w->last, "%s", ev->name);
                changes++;
                continue;
            }
            if (scratch(ev->name, (ev->mask & IN_ISDIR) != 0))
                continue;
            snprintf(w->last, sizeof w->last, "%s/%s", dir->rel, ev->name);
            if ((ev->mask & IN_ISDIR) &&
                (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
                char *rel = fs_join(dir->rel, ev->name);
                add_dir(w, rel, 2);
                free(rel);
            }
            if ((ev->mask & IN_CREATE) && !(ev->mask & IN_ISDIR))
                continue; /* wait for IN_CLOSE_WRITE */
            changes++;
        }
    }
    return changes;
}

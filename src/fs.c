/* fs: file system helpers with diag errors (see fs.h). */
#include "fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/vfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "buf.h"
#include "xmem.h"

char *
fs_read(const char *path, size_t max, size_t *len, struct diag *d)
{
    return fs_read_stat(path, max, len, NULL, d);
}

char *
fs_read_stat(const char *path, size_t max, size_t *len, struct stat *out,
             struct diag *d)
{
    struct stat st;
    char *data;
    size_t n = 0, cap;
    ssize_t r;
    int fd;

    /* O_NONBLOCK: opening a FIFO must not wait for a writer (a plain
     * file's reads do not heed it) */
    if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
        diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0) {
        diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        diag_error(d, path, 0, 0,
                   "cannot read: %s; only plain files are read",
                   S_ISDIR(st.st_mode) ? "this is a folder"
                                       : "not a plain file (a device, pipe "
                                         "or socket)");
        close(fd);
        return NULL;
    }
    if ((size_t)st.st_size > max) {
        diag_error(d, path, 0, 0,
                   "file is larger than the limit of %zu MiB; split it",
                   max / (1024 * 1024));
        close(fd);
        return NULL;
    }
    /* room for the size stat() gave and one byte more: a read that does
     * not fill it has met the end, and most files take one read() */
    cap = (size_t)st.st_size + 2;
    data = xmalloc(cap);
    for (;;) {
        r = read(fd, data + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
        if (n > max) {
            diag_error(d, path, 0, 0,
                       "file is larger than the limit of %zu MiB; split it",
                       max / (1024 * 1024));
            close(fd);
            free(data);
            return NULL;
        }
        if (n < cap - 1)
            break; /* short: the end of the file */
        cap *= 2;  /* it grew since stat() */
        data = xrealloc(data, cap);
    }
    if (r < 0) {
        diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
        close(fd);
        free(data);
        return NULL;
    }
    close(fd);
    data[n] = '\0';
    *len = n;
    if (out != NULL)
        *out = st;
    return data;
}

bool
fs_mkdirs(const char *path, struct diag *d)
{
    char *p = xstrdup(path);
    bool ok = true;

    for (char *s = p + 1; ; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST) {
                diag_error(d, p, 0, 0, "cannot create folder: %s",
                           strerror(errno));
                ok = false;
                break;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    return ok;
}

static bool
mkparent(const char *path, struct diag *d)
{
    const char *slash = strrchr(path, '/');
    bool ok;

    if (slash == NULL || slash == path)
        return true;
    char *dir = xstrndup(path, (size_t)(slash - path));
    ok = fs_is_dir(dir) || fs_mkdirs(dir, d);
    free(dir);
    return ok;
}

bool
fs_write(const char *path, const void *data, size_t len, struct diag *d)
{
    struct fs_part part = {data, len};

    return fs_writev(path, &part, 1, d);
}

bool
fs_writev_fd(int fd, const struct fs_part *parts, size_t nparts)
{
    /* up to 64 parts a writev(); what a short write left is sent again */
    for (size_t i = 0, skip = 0; i < nparts;) {
        struct iovec iov[64];
        int k = 0;
        for (size_t j = i; j < nparts && k < 64; j++) {
            size_t off = j == i ? skip : 0;
            if (parts[j].len > off)
                iov[k++] = (struct iovec){
                    (char *)parts[j].data + off, parts[j].len - off};
        }
        if (k == 0)
            break;
        ssize_t n = writev(fd, iov, k);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        size_t done = (size_t)n;
        while (i < nparts && done >= parts[i].len - skip) {
            done -= parts[i].len - skip;
            skip = 0;
            i++;
        }
        skip += done;
    }
    return true;
}

bool
fs_writev(const char *path, const struct fs_part *parts, size_t nparts,
          struct diag *d)
{
    char *tmp = NULL;
    bool ok = false;
    int fd = -1;

    if (!mkparent(path, d))
        return false;
    tmp = xasprintf("%s.tmp-XXXXXX", path);
    if ((fd = mkstemp(tmp)) < 0) {
        diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
        goto out;
    }
    if (!fs_writev_fd(fd, parts, nparts)) {
        diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
        goto out;
    }
    if (fchmod(fd, 0644) != 0 || close(fd) != 0) {
        fd = -1;
        diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
        goto out;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
        goto out;
    }
    ok = true;
out:
    if (fd >= 0)
        close(fd);
    if (!ok && tmp != NULL)
        unlink(tmp);
    free(tmp);
    return ok;
}

bool
fs_copy(const char *from, const char *to, struct diag *d)
{
    size_t len;
    char *data = fs_read(from, (size_t)1 << 30, &len, d);
    bool ok;

    if (data == NULL)
        return false;
    ok = fs_write(to, data, len, d);
    free(data);
    return ok;
}

bool
fs_is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool
fs_exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
fs_list(const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *de;
    struct buf pool; /* the names one after the other, NUL-terminated */
    size_t n = 0;

    if (dp == NULL)
        return NULL;
    buf_init(&pool);
    while ((de = readdir(dp)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        buf_putc(&pool, (char)de->d_type); /* fs_name_type() */
        buf_add(&pool, de->d_name, strlen(de->d_name) + 1);
        n++;
    }
    closedir(dp);
    char **names = fs_list_from(pool.data, pool.len, n);
    buf_fini(&pool);
    /* a folder whose files were made in the order of their names lists
     * them in that order, or (tmpfs: newest first) in the reverse one:
     * looked at before sorting */
    size_t up = 1, down = 1;
    while (up < n && strcmp(names[up - 1], names[up]) < 0)
        up++;
    while (up < n && down < n && strcmp(names[down - 1], names[down]) > 0)
        down++;
    if (down == n && n > 1) {
        for (size_t i = 0, j = n - 1; i < j; i++, j--) {
            char *t = names[i];
            names[i] = names[j];
            names[j] = t;
        }
    } else if (up < n) {
        qsort(names, n, sizeof *names, cmp_str);
    }
    return names;
}

char **
fs_list_from(const char *pool, size_t len, size_t n)
{
    /* the array, then the names: one allocation */
    char **names = xmalloc((n + 1) * sizeof *names + len + 1);
    char *text = (char *)(names + n + 1);
    if (len > 0)
        memcpy(text, pool, len);
    for (size_t i = 0, off = 0; i < n; i++) {
        names[i] = text + off + 1;
        off += strlen(text + off + 1) + 2;
    }
    names[n] = NULL;
    return names;
}

bool
fs_local_times(int fd)
{
    /* f_type of the file systems that stamp a change with this kernel's
     * clock (<linux/magic.h>): ext2/3/4, xfs, btrfs, tmpfs, f2fs, and
     * overlayfs (its upper layer's); not NFS, SMB, FUSE or FAT, whose
     * times come from a server, or are only an mtime anyone can set */
    static const unsigned long local[] = {0xEF53, 0x58465342, 0x9123683E,
                                          0x01021994, 0xF2F52010,
                                          0x794C7630};
    struct statfs sf;

    if (fstatfs(fd, &sf) != 0)
        return false;
    for (size_t i = 0; i < sizeof local / sizeof *local; i++)
        if ((unsigned long)sf.f_type == local[i])
            return true;
    return false;
}

int
fs_name_type(const char *name)
{
    return (unsigned char)name[-1];
}

void
fs_list_free(char **names)
{
    free(names);
}

bool
fs_remove_tree(const char *path)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return errno == ENOENT;
    if (S_ISDIR(st.st_mode)) {
        char **names = fs_list(path);
        if (names != NULL) {
            for (char **p = names; *p != NULL; p++) {
                char *sub = fs_join(path, *p);
                fs_remove_tree(sub);
                free(sub);
            }
            fs_list_free(names);
        }
        return rmdir(path) == 0;
    }
    return unlink(path) == 0;
}

char *
fs_join(const char *a, const char *b)
{
    size_t la = strlen(a);

    while (la > 1 && a[la - 1] == '/')
        la--;
    while (*b == '/')
        b++;
    if (la == 0 || (la == 1 && a[0] == '.'))
        return xstrdup(b);
    size_t lb = strlen(b);
    char *p = xmalloc(la + lb + 2);
    memcpy(p, a, la);
    p[la] = '/';
    memcpy(p + la + 1, b, lb + 1);
    return p;
}

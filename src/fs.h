/*
 * fs: the file system calls the other modules need, with errors reported
 * through diag in the usual form.
 */
#ifndef FS_H
#define FS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* Largest file any reader accepts (posts, templates, scenarios). */
#define FS_MAX_FILE (16u * 1024 * 1024)

/* Reads a whole file (up to max bytes) into a new NUL-terminated buffer
 * that the caller frees; *len gets its length.  NULL + error on failure. */
char *fs_read(const char *path, size_t max, size_t *len, struct diag *d);
/* The same, and what fstat() said of the file (out may be NULL). */
struct stat;
char *fs_read_stat(const char *path, size_t max, size_t *len,
                   struct stat *out, struct diag *d);
/* Writes data to path (creating parent folders), via a temporary file in
 * the same folder renamed over it, so readers never see half a file. */
bool fs_write(const char *path, const void *data, size_t len, struct diag *d);
/* The same for the concatenation of n parts (no copy of them is made). */
struct fs_part {
    const void *data;
    size_t len;
};
bool fs_writev(const char *path, const struct fs_part *parts, size_t n,
               struct diag *d);
/* Writes the parts to fd where it is; false (errno set) on an error. */
bool fs_writev_fd(int fd, const struct fs_part *parts, size_t n);
/* mkdir -p. */
bool fs_mkdirs(const char *path, struct diag *d);
/* rm -rf; true if path is gone afterwards. */
bool fs_remove_tree(const char *path);
/* Copies a file (creating parent folders). */
bool fs_copy(const char *from, const char *to, struct diag *d);
bool fs_is_dir(const char *path);
bool fs_exists(const char *path);

/* The entries of a folder (not "." or ".."), sorted bytewise so that
 * nothing depends on directory order.  Returns a NULL-terminated array of
 * the array and the names in one allocation; free with fs_list_free().
 * NULL if it cannot be read. */
char **fs_list(const char *dir);
/* What the folder's listing said a name of fs_list()'s is: DT_REG,
 * DT_DIR, DT_LNK... (<dirent.h>), or DT_UNKNOWN when the file system does
 * not say (then only stat() can). */
int fs_name_type(const char *name);
/* Whether the file system of the open file fd sets a file's times from
 * this kernel's clock, and a folder's ctime on each change of its names
 * (local Linux file systems; not network, FUSE or FAT ones). */
bool fs_local_times(int fd);
void fs_list_free(char **names);
/* fs_list()'s array made from a pool of n entries, each the type byte,
 * the name and a NUL (len bytes, which the caller has checked), in the
 * order they are in. */
char **fs_list_from(const char *pool, size_t len, size_t n);

/* Joins two path parts with one '/'; returns a new string. */
char *fs_join(const char *a, const char *b);

#endif

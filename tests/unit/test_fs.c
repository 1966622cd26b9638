/* Unit tests: fs (folder listings). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "xmem.h"
#include "tcheck.h"

enum { NFILES = 300 };

/* A new empty folder, in memory when /dev/shm is there (tmpfs lists a
 * folder newest first), else under /tmp. */
static char *
scratch(void)
{
    char *dir = xstrdup(access("/dev/shm", W_OK) == 0
                            ? "/dev/shm/blog-test-fs-XXXXXX"
                            : "/tmp/blog-test-fs-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    return dir;
}

static void
make_file(const char *dir, int i)
{
    char name[64];
    snprintf(name, sizeof name, "%05d-post.md", i);
    char *path = fs_join(dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    free(path);
}

/* Lists dir and checks that it names exactly files 0..NFILES-1, in name
 * order; then removes the folder. */
static void
check_sorted_and_remove(char *dir)
{
    char **names = fs_list(dir);
    size_t n = 0;

    ck_assert_ptr_nonnull(names);
    for (; names[n] != NULL; n++) {
        char want[64];
        snprintf(want, sizeof want, "%05zu-post.md", n);
        ck_assert_str_eq(names[n], want);
    }
    ck_assert_uint_eq(n, NFILES);
    fs_list_free(names);
    ck_assert(fs_remove_tree(dir));
    free(dir);
}

START_TEST(list_sorted_when_made_in_name_order)
{
    char *dir = scratch();
    for (int i = 0; i < NFILES; i++)
        make_file(dir, i);
    check_sorted_and_remove(dir);
}
END_TEST

START_TEST(list_sorted_when_made_in_reverse_order)
{
    char *dir = scratch();
    for (int i = NFILES - 1; i >= 0; i--)
        make_file(dir, i);
    check_sorted_and_remove(dir);
}
END_TEST

START_TEST(list_sorted_when_made_in_any_order)
{
    char *dir = scratch();
    /* 7 and 300 are coprime: every file once, out of order */
    for (int k = 0; k < NFILES; k++)
        make_file(dir, (k * 7 + 3) % NFILES);
    check_sorted_and_remove(dir);
}
END_TEST

START_TEST(list_sorted_with_one_file_out_of_place)
{
    char *dir = scratch();
    for (int i = 1; i < NFILES; i++)
        make_file(dir, i);
    make_file(dir, 0); /* newest, yet first by name */
    check_sorted_and_remove(dir);
}
END_TEST

START_TEST(list_says_what_each_name_is)
{
    char *dir = scratch();
    make_file(dir, 2);
    char *sub = fs_join(dir, "00001-folder");
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    char *link = fs_join(dir, "00003-link");
    ck_assert_int_eq(symlink("00002-post.md", link), 0);
    char **names = fs_list(dir);

    ck_assert_ptr_nonnull(names);
    ck_assert_str_eq(names[0], "00001-folder");
    ck_assert_str_eq(names[1], "00002-post.md");
    ck_assert_str_eq(names[2], "00003-link");
    ck_assert_ptr_null(names[3]);
    /* tmpfs and ext4 say; a file system that does not says DT_UNKNOWN
     * of every name */
    if (fs_name_type(names[0]) != DT_UNKNOWN) {
        ck_assert_int_eq(fs_name_type(names[0]), DT_DIR);
        ck_assert_int_eq(fs_name_type(names[1]), DT_REG);
        ck_assert_int_eq(fs_name_type(names[2]), DT_LNK);
    } else {
        ck_assert_int_eq(fs_name_type(names[1]), DT_UNKNOWN);
        ck_assert_int_eq(fs_name_type(names[2]), DT_UNKNOWN);
    }
    fs_list_free(names);
    ck_assert(fs_remove_tree(dir));
    free(link);
    free(sub);
    free(dir);
}
END_TEST

START_TEST(local_times_of_local_file_systems_only)
{
    /* tmpfs stamps times with the kernel's clock; /proc is no file system
     * whose folders' times say when their names changed */
    if (access("/dev/shm", W_OK) == 0) {
        char *dir = scratch();
        int fd = open(dir, O_RDONLY | O_DIRECTORY);
        ck_assert_int_ge(fd, 0);
        ck_assert(fs_local_times(fd));
        close(fd);
        ck_assert(fs_remove_tree(dir));
        free(dir);
    }
    int fd = open("/proc", O_RDONLY | O_DIRECTORY);
    ck_assert_int_ge(fd, 0);
    ck_assert(!fs_local_times(fd));
    close(fd);
    ck_assert(!fs_local_times(-1));
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(local_times_of_local_file_systems_only),
    TCHECK_CASE(list_says_what_each_name_is),
    TCHECK_CASE(list_sorted_when_made_in_name_order),
    TCHECK_CASE(list_sorted_when_made_in_reverse_order),
    TCHECK_CASE(list_sorted_when_made_in_any_order),
    TCHECK_CASE(list_sorted_with_one_file_out_of_place),
};
TCHECK_MAIN("fs", cases)

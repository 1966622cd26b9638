/* Unit tests: state (the scan of the inputs, the listings it keeps). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "state.h"
#include "xmem.h"
#include "tcheck.h"

/* A new empty folder, in memory when /dev/shm is there: tmpfs is a file
 * system whose listings can be kept (fs_local_times()). */
static char *
scratch(void)
{
    char *dir = xstrdup(access("/dev/shm", W_OK) == 0
                            ? "/dev/shm/blog-test-state-XXXXXX"
                            : "/tmp/blog-test-state-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    return dir;
}

static void
make_file(const char *dir, const char *name)
{
    char *path = fs_join(dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("x\n", f);
    fclose(f);
    free(path);
}

static uint64_t
ns(struct timespec t)
{
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/* The key a scan finds the folder path with (state.h: device, inode,
 * size, mtime, ctime). */
static void
key_of(const char *path, uint64_t key[5])
{
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    key[0] = (uint64_t)st.st_dev;
    key[1] = (uint64_t)st.st_ino;
    key[2] = (uint64_t)st.st_size;
    key[3] = ns(st.st_mtim);
    key[4] = ns(st.st_ctim);
}

/* The names a scan of dir gives, joined by spaces (the scan's kept
 * listings: k, or none), and whether it took them from k. */
static char *
scan_names(const char *dir, struct kept_listings *k, uint64_t scan_ns,
           bool *kept)
{
    struct inputs in = {.kept = k, .scan_ns = scan_ns};
    const size_t *input;
    struct buf b;

    inputs_scan(&in, dir);
    char **names = inputs_listing(&in, dir, &input);
    ck_assert_ptr_nonnull(names);
    buf_init(&b);
    for (size_t i = 0; names[i] != NULL; i++)
        buf_printf(&b, "%s%s", i ? " " : "", names[i]);
    *kept = in.dirs[0].kept;
    inputs_fini(&in);
    char *s = xstrdup(b.len ? b.data : "");
    buf_fini(&b);
    return s;
}

/* Sets the folder's mtime to a day in 2020: a name added or removed then
 * moves it whatever the clock's tick (the ctime is now's). */
static void
age(const char *dir)
{
    struct timespec t[2] = {{1577836800, 0}, {1577836800, 0}};
    ck_assert_int_eq(utimensat(AT_FDCWD, dir, t, 0), 0);
}

/* A kept listing of dir, in memory: the names given (with a name the
 * folder does not have, which only a listing kept could give), the key
 * given, listed settled_ns after the folder's ctime. */
static void
fake_kept(struct kept_listings *k, struct kept_listing *l, const char *dir,
          const char *pool, size_t pool_len, size_t n, uint64_t settled_ns)
{
    *l = (struct kept_listing){.dir = dir, .pool = pool,
                               .pool_len = pool_len, .n = n};
    key_of(dir, l->key);
    l->listed_ns = l->key[4] + settled_ns;
    *k = (struct kept_listings){.v = l, .n = 1};
}

static const char pool[] = "\x08" "a.md\0" "\x08" "ghost.md\0" "\x08" "z.md";

/* A scratch folder with the files a.md and z.md. */
static char *
folder_a_z(void)
{
    char *dir = scratch();
    make_file(dir, "a.md");
    make_file(dir, "z.md");
    return dir;
}

static void
remove_folder(char *dir)
{
    ck_assert(fs_remove_tree(dir));
    free(dir);
}

/* A scan of dir (kept listings k, clock scan_ns) gives the names want, and
 * took them from k or not as kept says. */
static void
check_scan(const char *dir, struct kept_listings *k, uint64_t scan_ns,
           const char *want, bool kept)
{
    bool was_kept;
    char *got = scan_names(dir, k, scan_ns, &was_kept);

    ck_assert_str_eq(got, want);
    ck_assert(was_kept == kept);
    free(got);
}

START_TEST(scan_takes_a_settled_listing_of_an_unchanged_folder)
{
    char *dir = folder_a_z();
    struct kept_listings k;
    struct kept_listing l;

    fake_kept(&k, &l, dir, pool, sizeof pool, 3, LISTING_SETTLED_NS + 1);
    check_scan(dir, &k, l.listed_ns + 1, "a.md ghost.md z.md", true);
    /* without it, the folder is listed */
    check_scan(dir, NULL, 0, "a.md z.md", false);
    remove_folder(dir);
}
END_TEST

START_TEST(scan_lists_a_folder_listed_before_it_settled)
{
    char *dir = folder_a_z();
    struct kept_listings k;
    struct kept_listing l;

    fake_kept(&k, &l, dir, pool, sizeof pool, 3, LISTING_SETTLED_NS);
    check_scan(dir, &k, 0, "a.md z.md", false);
    remove_folder(dir);
}
END_TEST

START_TEST(scan_lists_a_changed_folder_again)
{
    char *dir = folder_a_z();
    struct kept_listings k;
    struct kept_listing l;

    age(dir);
    fake_kept(&k, &l, dir, pool, sizeof pool, 3, 10 * LISTING_SETTLED_NS);
    /* a name added: the folder's mtime moves */
    make_file(dir, "b.md");
    check_scan(dir, &k, 0, "a.md b.md z.md", false);
    /* a name removed: the same */
    age(dir);
    fake_kept(&k, &l, dir, pool, sizeof pool, 3, 10 * LISTING_SETTLED_NS);
    char *b = fs_join(dir, "b.md");
    ck_assert_int_eq(unlink(b), 0);
    free(b);
    check_scan(dir, &k, 0, "a.md z.md", false);
    remove_folder(dir);
}
END_TEST

START_TEST(scan_refuses_a_damaged_listing)
{
    char *dir = scratch();
    make_file(dir, "a.md");
    struct kept_listings k;
    struct kept_listing l;
    static const char slash[] = "\x08" "a.md\0" "\x08" "../x";
    static const char dots[] = "\x08" "a.md\0" "\x04" "..";
    static const char empty[] = "\x08" "a.md\0" "\x08";
    static const char *const bad[] = {slash, dots, empty};
    static const size_t len[] = {sizeof slash, sizeof dots, sizeof empty};

    for (size_t i = 0; i < 3; i++) {
        fake_kept(&k, &l, dir, bad[i], len[i], 2, 10 * LISTING_SETTLED_NS);
        check_scan(dir, &k, 0, "a.md", false);
    }
    /* more names than the pool holds, or fewer */
    for (size_t n = 2; n <= 4; n += 2) {
        fake_kept(&k, &l, dir, pool, sizeof pool, n, 10 * LISTING_SETTLED_NS);
        check_scan(dir, &k, 0, "a.md", false);
    }
    remove_folder(dir);
}
END_TEST

START_TEST(scan_lists_every_folder_off_a_local_file_system)
{
    /* /proc's folders' times are not the kernel's record of a change to
     * their names: a kept listing of one, key and all, is not taken */
    const char *dir = "/proc/sys/kernel/random";
    struct kept_listings k;
    struct kept_listing l;
    bool kept;

    if (access(dir, R_OK) != 0)
        return;
    fake_kept(&k, &l, dir, pool, sizeof pool, 3, 10 * LISTING_SETTLED_NS);
    char *got = scan_names(dir, &k, 0, &kept);
    ck_assert(!kept);
    ck_assert_ptr_null(strstr(got, "ghost.md"));
    free(got);
}
END_TEST

/* A scan that lists a settled folder writes it for the next build, which
 * loads it and takes the names from it; a scan of an unsettled folder
 * writes nothing. */
START_TEST(listings_kept_and_loaded)
{
    char *dir = scratch(), *state = scratch();
    char *sub = fs_join(dir, "posts");
    ck_assert_int_eq(mkdir(sub, 0755), 0);
    make_file(sub, "one.md");
    make_file(sub, "two.md");
    make_file(dir, "page.md");
    char *file = fs_join(state, "listings");
    uint64_t key[5];
    key_of(sub, key);
    struct kept_listings k;

    /* listed as soon as it was made: not kept */
    struct inputs in = {.scan_ns = key[4] + LISTING_SETTLED_NS / 2};
    inputs_scan(&in, dir);
    ck_assert(!in.listed_new);
    inputs_keep_listings(&in, state);
    ck_assert(!fs_exists(file));
    ck_assert(!listings_load(&k, state));
    inputs_fini(&in);

    /* listed once it had settled: both folders kept */
    in = (struct inputs){.scan_ns = key[4] + 2 * LISTING_SETTLED_NS};
    inputs_scan(&in, dir);
    ck_assert(in.listed_new);
    inputs_keep_listings(&in, state);
    inputs_fini(&in);
    ck_assert(listings_load(&k, state));
    ck_assert_uint_eq(k.n, 2);
    ck_assert_str_eq(k.v[0].dir, dir);
    ck_assert_str_eq(k.v[1].dir, sub);
    ck_assert_uint_eq(k.v[1].n, 2);
    ck_assert_mem_eq(k.v[1].key, key, sizeof key);

    /* the next scan takes both from there, and has nothing new to keep */
    in = (struct inputs){.kept = &k};
    inputs_scan(&in, dir);
    ck_assert_uint_eq(in.ndirs, 2);
    ck_assert(in.dirs[0].kept && in.dirs[1].kept);
    ck_assert(!in.listed_new);
    ck_assert_uint_eq(in.n, 3);
    char *page = fs_join(dir, "page.md"), *two = fs_join(sub, "two.md");
    ck_assert_str_eq(in.v[0].path, page);
    ck_assert_str_eq(in.v[2].path, two);
    ck_assert_uint_eq(in.v[2].size, 2);
    free(page);
    free(two);
    const size_t *input;
    char **names = inputs_listing(&in, sub, &input);
    ck_assert_ptr_nonnull(names);
    ck_assert_str_eq(names[0], "one.md");
    ck_assert_str_eq(names[1], "two.md");
    ck_assert_ptr_null(names[2]);
    ck_assert_int_eq(fs_name_type(names[0]), fs_name_type(names[1]));
    inputs_fini(&in);
    listings_fini(&k);

    /* a name damaged in the file (its framing whole): loaded, but that
     * folder is listed again */
    FILE *f = fopen(file, "r+");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, -3, SEEK_END), 0); /* "two.md": its "d" */
    fputc('/', f);
    fclose(f);
    ck_assert(listings_load(&k, state));
    in = (struct inputs){.kept = &k};
    inputs_scan(&in, dir);
    ck_assert(in.dirs[0].kept && !in.dirs[1].kept);
    names = inputs_listing(&in, sub, &input);
    ck_assert_str_eq(names[1], "two.md");
    inputs_fini(&in);
    listings_fini(&k);

    /* a file cut short is not loaded */
    f = fopen(file, "r+");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, -3, SEEK_END), 0);
    ck_assert_int_eq(ftruncate(fileno(f), ftell(f)), 0);
    fclose(f);
    ck_assert(!listings_load(&k, state));
    ck_assert_ptr_null(k.v);

    free(file);
    free(sub);
    ck_assert(fs_remove_tree(dir));
    ck_assert(fs_remove_tree(state));
    free(dir);
    free(state);
}
END_TEST

static const struct tcheck_case cases[] = {
    TCHECK_CASE(scan_takes_a_settled_listing_of_an_unchanged_folder),
    TCHECK_CASE(scan_lists_a_folder_listed_before_it_settled),
    TCHECK_CASE(scan_lists_a_changed_folder_again),
    TCHECK_CASE(scan_refuses_a_damaged_listing),
    TCHECK_CASE(scan_lists_every_folder_off_a_local_file_system),
    TCHECK_CASE(listings_kept_and_loaded),
};
TCHECK_MAIN("state", cases)

/*
 * The floor for a build: what any generator built on cmark must at least
 * do to produce our output, on both cores.
 *
 *     floor OUTDIR REFDIR FILE.md...
 *
 * Each of two threads takes half of the posts: reads each file, skips its
 * front matter, parses and renders its Markdown with cmark; then takes half
 * of the files of REFDIR (a site the build wrote, read into memory before
 * the clock matters) and writes the same bytes to the same paths under
 * OUTDIR, making the folders as the files need them.  No front matter parsing, templates,
 * lists, feed or checks.  Used by tests/bench/build.sh.
 *
 * Prints what it took, without the loading of REFDIR, in the lines of GNU
 * time -v that the bench reads (wall, user and system seconds; the peak RSS
 * includes REFDIR held in memory, so it means little).
 */
#define _DEFAULT_SOURCE
#include <cmark.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct file {
    char *rel; /* path under the tree; ends in '/' for a folder */
    char *data;
    size_t len;
};

static struct file *files;
static size_t nfiles, capfiles;
static char **posts;
static int nposts;
static const char *outdir;

static void
add(char *rel, char *data, size_t len)
{
    if (nfiles == capfiles) {
        capfiles = capfiles ? 2 * capfiles : 1024;
        files = realloc(files, capfiles * sizeof *files);
        if (files == NULL)
            exit(1);
    }
    files[nfiles++] = (struct file){rel, data, len};
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b = NULL;
    size_t cap = 0, n = 0, r;

    if (f == NULL)
        return NULL;
    do {
        if (n == cap && (b = realloc(b, cap = cap ? 2 * cap : 65536)) == NULL)
            exit(1);
        r = fread(b + n, 1, cap - n, f);
        n += r;
    } while (r > 0);
    fclose(f);
    *len = n;
    return b;
}

/* Reads the tree under root/rel into files[], folders before their files. */
static void
load(const char *root, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    DIR *d = opendir(path);
    struct dirent *e;

    if (d == NULL)
        exit(1);
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char sub[4096], full[8192];
        struct stat st;
        snprintf(sub, sizeof sub, "%s%s", rel, e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        if (lstat(full, &st) != 0)
            exit(1);
        if (S_ISDIR(st.st_mode)) {
            char *dir = malloc(strlen(sub) + 2);
            sprintf(dir, "%s/", sub);
            add(dir, NULL, 0);
            load(root, dir);
        } else {
            size_t len;
            char *data = slurp(full, &len);
            if (data == NULL)
                exit(1);
            add(strdup(sub), data, len);
        }
    }
    closedir(d);
}

static void *
work(void *arg)
{
    int half = (int)(long)arg;
    char *buf = malloc(1 << 22);

    for (int i = half; i < nposts; i += 2) {
        int fd = open(posts[i], O_RDONLY);
        ssize_t n = fd < 0 ? -1 : read(fd, buf, (1 << 22) - 1);
        if (n < 0)
            exit(1);
        close(fd);
        buf[n] = '\0';
        const char *body = buf;
        if (strncmp(buf, "---\n", 4) == 0) {
            const char *end = strstr(buf + 4, "\n---\n");
            if (end != NULL)
                body = end + 5;
        }
        free(cmark_markdown_to_html(body, strlen(body), CMARK_OPT_UNSAFE));
    }
    free(buf);
    return NULL;
}

/* mkdir -p of the folder that holds path */
static void
make_parents(char *path)
{
    char *slash = strrchr(path, '/');

    if (slash == NULL || slash == path)
        return;
    *slash = '\0';
    if (mkdir(path, 0755) != 0 && errno == ENOENT) {
        make_parents(path);
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            exit(1);
    } else if (errno != 0 && errno != EEXIST && errno != ENOENT) {
        exit(1);
    }
    *slash = '/';
}

static void *
write_half(void *arg)
{
    int half = (int)(long)arg, k = 0;

    for (size_t i = 0; i < nfiles; i++) {
        if (files[i].data == NULL || k++ % 2 != half)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", outdir, files[i].rel);
        /* the folders are made as files need them, as a build does */
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 && errno == ENOENT) {
            errno = 0;
            make_parents(path);
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        }
        if (fd < 0 || write(fd, files[i].data, files[i].len) !=
                          (ssize_t)files[i].len || close(fd) != 0)
            exit(1);
    }
    return NULL;
}

int
main(int argc, char **argv)
{
    pthread_t t;

    struct timespec t0, t1;
    struct rusage r0, r1;

    if (argc < 3)
        return 2;
    outdir = argv[1];
    load(argv[2], "");
    clock_gettime(CLOCK_MONOTONIC, &t0);
    getrusage(RUSAGE_SELF, &r0);
    posts = argv + 3;
    nposts = argc - 3;
    /* cmark on both threads, then the writing */
    pthread_create(&t, NULL, work, (void *)1L);
    work((void *)0L);
    pthread_join(t, NULL);
    pthread_create(&t, NULL, write_half, (void *)1L);
    write_half((void *)0L);
    pthread_join(t, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    getrusage(RUSAGE_SELF, &r1);
#define SEC(tv) ((double)(tv).tv_sec + (double)(tv).tv_usec / 1e6)
    printf("Elapsed (wall clock) time (h:mm:ss or m:ss): 0:%.3f\n",
           (double)(t1.tv_sec - t0.tv_sec) +
               (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    printf("User time (seconds): %.3f\n", SEC(r1.ru_utime) - SEC(r0.ru_utime));
    printf("System time (seconds): %.3f\n",
           SEC(r1.ru_stime) - SEC(r0.ru_stime));
    printf("Maximum resident set size (kbytes): %ld\n", r1.ru_maxrss);
    return 0;
}

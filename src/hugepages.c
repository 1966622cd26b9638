/* hugepages: malloc in transparent huge pages for big builds (hugepages.h). */
#include "hugepages.h"

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xmem.h"

#define TUNABLE "glibc.malloc.hugetlb=1"

#if defined(BLOG_SANITIZE) || defined(__SANITIZE_ADDRESS__) || \
    defined(__SANITIZE_THREAD__)
void
hugepages_exec(char **argv)
{
    (void)argv; /* the sanitizers' malloc is not glibc's */
}

void
hugepages_thread(void)
{
}

bool
hugepages_on(void)
{
    return false;
}

int
hugepages_heaps(void)
{
    return 0;
}
#else
/* Whether the kernel gives transparent huge pages to the memory a
 * process asks them for: "always [madvise] never".  ("always" gives
 * them without asking, "never" not at all.) */
static bool
on_request(void)
{
    char buf[128];
    ssize_t n;
    int fd = open("/sys/kernel/mm/transparent_hugepage/enabled",
                  O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return false;
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    return strstr(buf, "[madvise]") != NULL;
}

void
hugepages_exec(char **argv)
{
    const char *off = getenv("BLOG_HUGEPAGES");
    const char *was = getenv("GLIBC_TUNABLES");
    char exe[PATH_MAX];
    ssize_t n;

    if ((off != NULL && strcmp(off, "0") == 0) ||
        (was != NULL && strstr(was, "glibc.malloc.hugetlb") != NULL) ||
        !on_request())
        return;
    /* the program's own path, not /proc/self/exe: the process's name
     * (ps, top) is the file's */
    if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) <= 0 ||
        (size_t)n >= sizeof exe - 1)
        return;
    exe[n] = '\0';
    char *old = was != NULL ? xstrdup(was) : NULL;
    char *now = old != NULL && *old != '\0' ? xstrcat(old, ":" TUNABLE)
                                            : xstrdup(TUNABLE);
    if (setenv("GLIBC_TUNABLES", now, 1) == 0) {
        execv(exe, argv);
        /* still here: as it was */
        if (old != NULL)
            setenv("GLIBC_TUNABLES", old, 1);
        else
            unsetenv("GLIBC_TUNABLES");
    }
    free(now);
    free(old);
}

/*
 * glibc's arenas other than the main one take their memory from heaps of
 * HEAP_MAX_SIZE bytes (64 MiB on 64-bit systems), each mapped at a
 * multiple of its size, so that a chunk finds its heap by rounding its
 * address down; a chunk's size word, just before it, has the bit
 * NON_MAIN_ARENA set when it is from one.  The part of a heap in use has
 * read and write access, the rest none.
 */
#define HEAP_SIZE ((uintptr_t)64 << 20)
#define NON_MAIN_ARENA 0x4

/* Whether [heap, heap + HEAP_SIZE) is mapped as a heap of glibc's: one
 * or more anonymous private mappings, readable and writable or without
 * access, that cover it exactly. */
static bool
is_heap(uintptr_t heap)
{
    FILE *f = fopen("/proc/self/maps", "re");
    char line[512];
    uintptr_t at = heap;

    if (f == NULL)
        return false;
    while (at < heap + HEAP_SIZE && fgets(line, sizeof line, f) != NULL) {
        unsigned long lo, hi, ino;
        char perms[8];
        int path = -1;
        if (sscanf(line, "%lx-%lx %7s %*s %*s %lu %n", &lo, &hi, perms, &ino,
                   &path) < 4 || hi <= at)
            continue;
        if (lo != at || ino != 0 || (path > 0 && line[path] != '\n' &&
                                     line[path] != '\0') ||
            (strcmp(perms, "rw-p") != 0 && strcmp(perms, "---p") != 0))
            break;
        at = hi;
    }
    fclose(f);
    return at == heap + HEAP_SIZE;
}

static atomic_int enabled = -1; /* not yet known */
/* the heaps done, for all threads (a thread that starts anew would look
 * at its arena's heap again) */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t done_heaps[64];
static size_t ndone;
static atomic_int heaps;

bool
hugepages_on(void)
{
    int on = atomic_load_explicit(&enabled, memory_order_relaxed);

    if (on < 0) {
        const char *t = getenv("GLIBC_TUNABLES");
        on = t != NULL && strstr(t, TUNABLE) != NULL && on_request();
        atomic_store_explicit(&enabled, on, memory_order_relaxed);
    }
    return on;
}

int
hugepages_heaps(void)
{
    return atomic_load_explicit(&heaps, memory_order_relaxed);
}

void
hugepages_thread(void)
{
    static _Thread_local uintptr_t done; /* the heap done last */

    if (!hugepages_on() || sizeof(void *) != 8) /* 64 MiB heaps: 64-bit */
        return;
    void *p = malloc(1);
    size_t size;
    /* (through an integer: the word is outside the piece malloc() gave) */
    memcpy(&size, (const void *)((uintptr_t)p - sizeof size), sizeof size);
    uintptr_t heap = (uintptr_t)p & ~(HEAP_SIZE - 1);
    if ((size & NON_MAIN_ARENA) && heap != done) {
        done = heap;
        pthread_mutex_lock(&lock);
        size_t i = 0;
        while (i < ndone && done_heaps[i] != heap)
            i++;
        if (i == ndone && ndone < sizeof done_heaps / sizeof *done_heaps) {
            done_heaps[ndone++] = heap; /* tried once, whatever it gives */
            if (is_heap(heap) &&
                mprotect((void *)heap, HEAP_SIZE, PROT_READ | PROT_WRITE) ==
                    0 &&
                madvise((void *)heap, HEAP_SIZE, MADV_HUGEPAGE) == 0)
                atomic_fetch_add_explicit(&heaps, 1, memory_order_relaxed);
        }
        pthread_mutex_unlock(&lock);
    }
    free(p);
}
#endif

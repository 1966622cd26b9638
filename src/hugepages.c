/* hugepages: malloc's memory in transparent huge pages (hugepages.h). */
#include "hugepages.h"

#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__has_feature) /* clang's way of saying it */
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED 1
#endif
#endif
#if defined(BLOG_SANITIZE) || defined(__SANITIZE_ADDRESS__) || \
    defined(__SANITIZE_THREAD__) || defined(SANITIZED) || !defined(__GLIBC__)
/* the sanitizers' malloc is not glibc's */
bool
hugepages_start(void)
{
    return false;
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
/*
 * glibc's main arena takes its memory from the program's break (brk), one
 * mapping that grows by M_TOP_PAD bytes and a little more each time it
 * must.  The other arenas take theirs from heaps of HEAP_MAX_SIZE bytes
 * (64 MiB on 64-bit systems), each mapped at a multiple of its size, so
 * that a chunk finds its heap by rounding its address down; a chunk's size
 * word, just before it, has the bit NON_MAIN_ARENA set when it is from
 * one.  glibc opens a heap (mprotect()) M_TOP_PAD bytes more than it
 * needs: with hugepages_start()'s, a heap is opened whole when it is
 * made, and the kernel can give it 2 MiB pages.
 */
#define HEAP_SIZE ((uintptr_t)64 << 20)
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 /* Linux 6.1 */
#endif
#define NON_MAIN_ARENA 0x4
/* how much the break grows at a time during a build that started */
#define MAIN_PAD ((size_t)256 << 20)

static atomic_int enabled; /* hugepages_start() said yes */
/* the heaps done, for all threads (a thread that starts anew would look
 * at its arena's heap again), and how far the break was advised */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t done_heaps[64];
static size_t ndone;
static atomic_int heaps;
static _Atomic uintptr_t brk_done; /* 0: not yet found */

/* Whether the kernel gives transparent huge pages to the memory a
 * process asks them for ("[madvise]") or to all ("[always]": there the
 * advice changes nothing, the heaps grown in large steps still do). */
static bool
available(void)
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
    return strstr(buf, "[madvise]") != NULL || strstr(buf, "[always]") != NULL;
}

/* Calls fn(lo, hi, perms, anonymous, name, arg) for each mapping of the
 * process in /proc/self/maps, until it returns false. */
static void
each_mapping(bool (*fn)(uintptr_t lo, uintptr_t hi, const char *perms,
                        bool anonymous, const char *name, void *arg),
             void *arg)
{
    FILE *f = fopen("/proc/self/maps", "re");
    char line[512];

    if (f == NULL)
        return;
    while (fgets(line, sizeof line, f) != NULL) {
        unsigned long lo, hi, ino;
        char perms[8];
        int name = -1;
        if (sscanf(line, "%lx-%lx %7s %*s %*s %lu %n", &lo, &hi, perms, &ino,
                   &name) < 4)
            continue;
        const char *nm = name > 0 ? line + name : "";
        line[strcspn(line, "\n")] = '\0';
        if (!fn(lo, hi, perms, ino == 0, nm, arg))
            break;
    }
    fclose(f);
}

/* [heap, heap + HEAP_SIZE) as a heap of glibc's: anonymous private
 * mappings, readable and writable or without access, that cover it (the
 * kernel makes one mapping of two heaps side by side with the same
 * access). */
struct heap_check {
    uintptr_t heap, at;
};

static bool
heap_part(uintptr_t lo, uintptr_t hi, const char *perms, bool anonymous,
          const char *name, void *arg)
{
    struct heap_check *c = arg;

    if (hi <= c->at)
        return true;
    if (lo > c->at || !anonymous || *name != '\0' ||
        (strcmp(perms, "rw-p") != 0 && strcmp(perms, "---p") != 0))
        return false;
    c->at = hi;
    return c->at < c->heap + HEAP_SIZE;
}

static bool
is_heap(uintptr_t heap)
{
    struct heap_check c = {heap, heap};

    each_mapping(heap_part, &c);
    return c.at >= heap + HEAP_SIZE;
}

/* The start of the mapping "[heap]" (the break's), 0 if none. */
static bool
brk_part(uintptr_t lo, uintptr_t hi, const char *perms, bool anonymous,
         const char *name, void *arg)
{
    (void)hi;
    (void)perms;
    (void)anonymous;
    if (strcmp(name, "[heap]") != 0)
        return true;
    *(uintptr_t *)arg = lo;
    return false;
}

/* Advises what the break has grown by since the last time (the lock
 * held). */
static void
advise_brk(void)
{
    uintptr_t top = (uintptr_t)sbrk(0); /* glibc keeps it: no system call */
    uintptr_t from = atomic_load_explicit(&brk_done, memory_order_relaxed);
    long page = sysconf(_SC_PAGESIZE);

    if (from == 0) {
        each_mapping(brk_part, &from);
        if (from == 0) { /* no /proc, or no break: never again */
            atomic_store_explicit(&brk_done, UINTPTR_MAX,
                                  memory_order_relaxed);
            return;
        }
    }
    if (top == (uintptr_t)-1 || top <= from)
        return;
    from &= ~(uintptr_t)(page - 1);
    if (madvise((void *)from, top - from, MADV_HUGEPAGE) == 0)
        atomic_store_explicit(&brk_done, top, memory_order_relaxed);
}

bool
hugepages_start(void)
{
    const char *off = getenv("BLOG_HUGEPAGES");
    const char *tunables = getenv("GLIBC_TUNABLES");

    /* glibc's own way, chosen by the user, is left as it is (with
     * hugetlb=2 its heaps are not 64 MiB) */
    if ((off != NULL && strcmp(off, "0") == 0) || sizeof(void *) != 8 ||
        (tunables != NULL && strstr(tunables, "glibc.malloc.hugetlb") != NULL) ||
        !available())
        return false;
    /* the break grown now by MAIN_PAD at once, and kept: a build's
     * memory is then in one mapping, advised once.  It grows when a
     * piece is larger than the free room at its top (keepcost), and is
     * not one that mmap() serves: 32 MiB and more, the most glibc takes
     * (and what main() asks for too).  With a M_TOP_PAD as large as a
     * heap, glibc also opens the other arenas' heaps whole. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TOP_PAD, (int)MAIN_PAD);
#if __GLIBC_PREREQ(2, 33)
    size_t room = mallinfo2().keepcost;
#else
    size_t room = (size_t)mallinfo().keepcost;
#endif
    if (room < (31 << 20)) {
        /* (through a volatile: a malloc() freed unused may be left out) */
        void *volatile grow = malloc(room + ((size_t)1 << 20));
        free(grow);
    }
    pthread_mutex_lock(&lock);
    advise_brk();
    pthread_mutex_unlock(&lock);
    atomic_store_explicit(&enabled, 1, memory_order_relaxed);
    return true;
}

bool
hugepages_on(void)
{
    return atomic_load_explicit(&enabled, memory_order_relaxed) != 0;
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

    if (!hugepages_on())
        return;
    void *p = malloc(1);
    size_t size;

    if (p == NULL)
        return;
    /* (through an integer: the word is outside the piece malloc() gave) */
    memcpy(&size, (const void *)((uintptr_t)p - sizeof size), sizeof size);
    uintptr_t heap = (uintptr_t)p & ~(HEAP_SIZE - 1);
    if (!(size & NON_MAIN_ARENA)) {
        /* the main arena: the break may have grown again (glibc's
         * record of it read without its lock: a word, read whole) */
        if ((uintptr_t)sbrk(0) >
            atomic_load_explicit(&brk_done, memory_order_relaxed)) {
            pthread_mutex_lock(&lock);
            advise_brk();
            pthread_mutex_unlock(&lock);
        }
    } else if (heap != done) {
        done = heap;
        pthread_mutex_lock(&lock);
        size_t i = 0;
        while (i < ndone && done_heaps[i] != heap)
            i++;
        if (i == ndone && ndone < sizeof done_heaps / sizeof *done_heaps) {
            done_heaps[ndone++] = heap; /* tried once, whatever it gives */
            if (is_heap(heap) &&
                madvise((void *)heap, HEAP_SIZE, MADV_HUGEPAGE) == 0) {
                atomic_fetch_add_explicit(&heaps, 1, memory_order_relaxed);
                /* its first 2 MiB, where glibc wrote the arena's header
                 * before it was advised, made one huge page now */
                madvise((void *)heap, (size_t)2 << 20, MADV_COLLAPSE);
            }
        }
        pthread_mutex_unlock(&lock);
    }
    free(p);
}
#endif

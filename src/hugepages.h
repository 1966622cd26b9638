/*
 * hugepages: malloc's memory in 2 MiB pages, for `blog build` and
 * `blog check`.
 *
 * A cold build of 10 000 posts touches 150-170 MiB of fresh memory:
 * 41 000 page faults of 4 KiB, a quarter of its time on a virtual
 * machine, where a fault also exits to the hypervisor.  With transparent
 * huge pages the kernel gives 2 MiB at a fault instead, to the memory
 * that was advised so (madvise(MADV_HUGEPAGE)), when its setting is
 * "madvise" (Debian's), and the same build takes 1 000 faults.
 *
 * malloc's memory is in two kinds of places, which glibc grows as it
 * needs, by M_TOP_PAD bytes more than it needs (128 KiB unless told):
 * too little for a 2 MiB page.  hugepages_start() sets M_TOP_PAD to
 * 256 MiB (of address space: memory only where it is touched), and then
 * - the main thread's place, the program's break, is grown by that at
 *   once and advised;
 * - the other threads' places, heaps of 64 MiB, are opened whole when
 *   glibc makes them; hugepages_thread(), called by the threads that
 *   render, read the last build's state and order the posts, advises
 *   the heap their memory comes from, once, and makes its first 2 MiB,
 *   where glibc wrote before, one huge page (MADV_COLLAPSE, Linux 6.1).
 *
 * Small builds gain too: an edit build of 10 000 posts took 4 900 faults
 * (the last build's records read into 19 MiB), 800 with huge pages.
 * BLOG_HUGEPAGES=0 in the environment turns it off.  Sanitizer builds,
 * whose malloc is not glibc's, never do it.  `blog serve` does not: a
 * process that stays would keep 2 MiB pages for what it frees.
 */
#ifndef HUGEPAGES_H
#define HUGEPAGES_H

#include <stdbool.h>

/* Grows the main heap and advises it, and lets hugepages_thread() work,
 * when the kernel gives huge pages ("madvise" or "always") and
 * BLOG_HUGEPAGES is not "0"; returns whether it did.  Call it once,
 * before the threads start. */
bool hugepages_start(void);

/* After hugepages_start() (else it does nothing): when the calling
 * thread's memory comes from a heap of glibc's that was not advised yet,
 * advises it; on the main thread, advises what the break grew by since.  Cheap when there is
 * nothing to do (a malloc() and a free()).  A heap is known as one by
 * its place in /proc/self/maps, and left alone when it does not look as
 * glibc makes them. */
void hugepages_thread(void);

/* Whether hugepages_start() said yes, and how many threads' heaps
 * hugepages_thread() opened. */
bool hugepages_on(void);
int hugepages_heaps(void);

#endif

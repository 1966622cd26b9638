/*
 * hugepages: malloc's memory in 2 MiB pages, for the builds that read
 * every post.
 *
 * A cold build of 10 000 posts touches about 165 MiB of fresh memory:
 * 41 000 page faults of 4 KiB, a sixth of its CPU time on a virtual
 * machine, where each fault also exits to the hypervisor.  glibc's malloc
 * asks the kernel for transparent huge pages (madvise(MADV_HUGEPAGE) on
 * its heaps) when its tunable glibc.malloc.hugetlb is 1, and then the same
 * build takes 10 000 faults.  glibc reads its tunables only when a process
 * starts, so hugepages_exec() starts this program again, as the same
 * process (execve), with the tunable set.
 *
 * That covers the main thread's heap.  The other threads' memory comes
 * from glibc's other arenas, heaps of 64 MiB each, mapped without access
 * and opened a few pages at a time (mprotect()) as they grow: a 2 MiB
 * page needs 2 MiB with access in one piece, so those faults stay small.
 * hugepages_thread(), called by the threads that render, opens the whole
 * heap their memory comes from, once, and asks huge pages for it: a cold
 * build of 10 000 posts then takes 1 000 faults instead of 10 000.
 *
 * Only for builds that read and render everything: for a small build
 * (a no-op, one post edited) the second start (about a millisecond) and
 * the 2 MiB zeroed at each growth of the heap cost more than the faults
 * they save.  BLOG_HUGEPAGES=0 in the environment turns it off.
 */
#ifndef HUGEPAGES_H
#define HUGEPAGES_H

#include <stdbool.h>

/* Starts this program again with argv (main()'s, argv[0] first) and
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=1 added to the environment, when
 * the kernel gives huge pages on request (transparent_hugepage/enabled is
 * "madvise"), the process was not started so already, and BLOG_HUGEPAGES
 * is not "0".  Returns only when it did not start again (a failed execve
 * included): the caller goes on as it was.  Does nothing in sanitizer
 * builds, whose malloc is not glibc's. */
void hugepages_exec(char **argv);

/* In a process started by hugepages_exec() (else it does nothing): when
 * the calling thread's memory comes from a heap of glibc's that it has
 * not done so for yet, gives the whole heap access and asks huge pages for
 * it.  Cheap when there is nothing to do (a malloc() and a free()); a
 * heap is known as one by its place in /proc/self/maps, and left alone
 * when it does not look as glibc makes them. */
void hugepages_thread(void);

/* Whether this process was started with malloc in huge pages (by
 * hugepages_exec(), or by the user's GLIBC_TUNABLES) on a kernel that
 * gives them, and how many threads' heaps hugepages_thread() opened. */
bool hugepages_on(void);
int hugepages_heaps(void);

#endif

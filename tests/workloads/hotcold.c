// SPDX-License-Identifier: GPL-2.0
/*
 * hotcold HOT_MIB COLD_MIB [SECONDS [coldfirst] [hugepage] [node0]
 * [fill=MIB] [gap=MIB]]: a process with a known working set.
 *
 * The hot area is written at random pages without pause, so it is far
 * larger than any TLB's reach (access checks clear accessed bits without a
 * flush); the cold area is written once and then never touched.  Both are
 * 2 MiB aligned, their own mappings (a PROT_NONE guard between them, of 2
 * MiB or "gap=MIB": one wider than a DAMON region can grow keeps every
 * region to one side of it, which the scheme tests need, see there), and
 * printed as "hot START END" and "cold START END" (decimal) once ready.
 * The hot area comes first in the address space, or the cold one with
 * "coldfirst".  With "hugepage", both areas get MADV_HUGEPAGE once they
 * are populated (so under THP "madvise" their pages were faulted in small,
 * and the madvise() registers the process with khugepaged, which may then
 * collapse them: the bench's baseline for the supervisor).  With "node0",
 * its memory comes from node 0 where it can (MPOL_PREFERRED; nothing on a
 * kernel without NUMA), whichever CPU it runs on: the paddr tests move it
 * to node 1 and must know where it was.  With "fill=MIB", it first fills
 * that much memory of its own (populated, never touched again), so that
 * the small free blocks a busy guest leaves scattered between its used
 * pages go to it: the areas then come from whole free blocks, each
 * physically apart from the other (the paddr tests size it from
 * /proc/pagetypeinfo).  Runs until killed, or for SECONDS (0: until
 * killed).
 *
 * Access checks clear accessed bits without flushing the TLB (as upstream
 * DAMON does), so they only see the accesses that miss the TLB.  A real
 * TLB holds a few thousand entries and misses all the time on this area;
 * QEMU's software TLB grows to millions and, once it holds the whole area,
 * would hide it.  So the workload models a real TLB's capacity: every 32 Ki
 * accesses it writes a 64-page scratch area and drops it again
 * (MADV_DONTNEED), which makes the kernel flush this process's TLB entries
 * (more than 33 pages); under the mmap lock for reading only, so that
 * collapses, which need it for writing, are not held off.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "workload.h"
#include "xorshift.h"

static char *map_area(char **cursor, size_t size, size_t gap)
{
	char *area = *cursor;

	if (mprotect(area, size, PROT_READ | PROT_WRITE)) {
		perror("mprotect");
		exit(1);
	}
	*cursor += size + gap;		/* leave a guard */
	return area;
}

int main(int argc, char **argv)
{
	size_t hot_sz, cold_sz, total, pages, i;
	char *base, *cursor, *hot, *cold, *scratch;
	uint64_t seed = 88172645463325252ULL;
	time_t end = 0;
	int coldfirst = 0, hugepage = 0, node0 = 0, arg;
	size_t fill_sz = 0, gap = HUGE;

	if (argc < 3) {
		fprintf(stderr,
			"usage: %s HOT_MIB COLD_MIB [SECONDS [coldfirst] [hugepage] [node0] [fill=MIB] [gap=MIB]]\n",
			argv[0]);
		return 2;
	}
	for (arg = 4; arg < argc; arg++) {
		if (!strcmp(argv[arg], "coldfirst"))
			coldfirst = 1;
		else if (!strcmp(argv[arg], "hugepage"))
			hugepage = 1;
		else if (!strcmp(argv[arg], "node0"))
			node0 = 1;
		else if (!strncmp(argv[arg], "fill=", 5))
			fill_sz = strtoul(argv[arg] + 5, NULL, 0) * MIB;
		else if (!strncmp(argv[arg], "gap=", 4))
			gap = (strtoul(argv[arg] + 4, NULL, 0) + 1) / 2 * HUGE;
		else if (argv[arg][0]) {
			fprintf(stderr, "%s: unknown word %s\n", argv[0],
				argv[arg]);
			return 2;
		}
	}
	hot_sz = strtoul(argv[1], NULL, 0) * MIB;
	cold_sz = strtoul(argv[2], NULL, 0) * MIB;
	if (argc > 3 && strtol(argv[3], NULL, 0))
		end = time(NULL) + strtol(argv[3], NULL, 0);
	if (!hot_sz || !cold_sz)
		return 2;
	if (node0) {
		unsigned long mask = 1;

		/* MPOL_PREFERRED (1); ENOSYS without NUMA is no error. */
		if (syscall(SYS_set_mempolicy, 1, &mask, 8 * sizeof(mask)) &&
		    errno != ENOSYS) {
			perror("set_mempolicy");
			return 1;
		}
	}

	total = hot_sz + cold_sz + 2 * gap + HUGE;
	base = mmap(NULL, total, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	cursor = (char *)(((uintptr_t)base + HUGE - 1) & ~(HUGE - 1));
	if (coldfirst) {
		cold = map_area(&cursor, cold_sz, gap);
		hot = map_area(&cursor, hot_sz, gap);
	} else {
		hot = map_area(&cursor, hot_sz, gap);
		cold = map_area(&cursor, cold_sz, gap);
	}

	scratch = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(scratch, 1, 64 * PAGE);
	if (fill_sz) {
		char *fill = mmap(NULL, fill_sz, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (fill == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		memset(fill, 1, fill_sz);
	}
	memset(cold, 1, cold_sz);
	memset(hot, 1, hot_sz);
	/* After the faults, so that none of them made a huge page. */
	if (hugepage && (madvise(hot, hot_sz, MADV_HUGEPAGE) ||
			 madvise(cold, cold_sz, MADV_HUGEPAGE))) {
		perror("madvise");
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("hot %lu %lu\ncold %lu %lu\n", (unsigned long)hot,
	       (unsigned long)(hot + hot_sz), (unsigned long)cold,
	       (unsigned long)(cold + cold_sz));
	fflush(stdout);

	pages = hot_sz / PAGE;
	while (!stop) {
		for (i = 0; i < 32768; i++) {
			uint64_t r = xorshift64(&seed);

			hot[(r % pages) * PAGE + ((r >> 40) & 0xfc0)]++;
		}
		/* A TLB's worth of misses: see the comment at the top. */
		memset(scratch, 1, 64 * PAGE);
		madvise(scratch, 64 * PAGE, MADV_DONTNEED);
		if (end && time(NULL) >= end)
			break;
	}
	return 0;
}

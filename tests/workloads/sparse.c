// SPDX-License-Identifier: GPL-2.0
/*
 * sparse NR_VMAS VMA_KIB GAP_MIB HOT_EVERY [idle]: a large, sparse address
 * space.
 *
 * NR_VMAS read-write mappings of VMA_KIB each, GAP_MIB of PROT_NONE
 * between two of them (so every one is a VMA of its own and the whole
 * spans NR_VMAS * (VMA_KIB + GAP_MIB) of address space, reserved with
 * MAP_NORESERVE).  Every HOT_EVERY-th mapping (0: none) is hot: written in
 * full once, then at random pages without pause (with hotcold.c's
 * TLB-capacity model); the others are cold: only their first 64 KiB are
 * written, once.  Prints "span START END" and "hot START END" for each hot
 * mapping (decimal) once ready.  With "idle", it then sleeps instead.
 * Runs until killed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xorshift.h"

#define KIB 1024UL
#define MIB (1UL << 20)
#define PAGE 4096UL

int main(int argc, char **argv)
{
	size_t nr, vma_sz, gap, every, stride, n, nr_hot = 0, hot_pages, i;
	uint64_t seed = 88172645463325252ULL;
	char *base, *scratch, **hot;
	int idle;

	if (argc < 5) {
		fprintf(stderr,
			"usage: %s NR_VMAS VMA_KIB GAP_MIB HOT_EVERY [idle]\n",
			argv[0]);
		return 2;
	}
	nr = strtoul(argv[1], NULL, 0);
	vma_sz = strtoul(argv[2], NULL, 0) * KIB;
	gap = strtoul(argv[3], NULL, 0) * MIB;
	every = strtoul(argv[4], NULL, 0);
	idle = argc > 5 && !strcmp(argv[5], "idle");
	if (!nr || vma_sz < 64 * KIB || vma_sz % PAGE || !gap)
		return 2;
	stride = vma_sz + gap;
	base = mmap(NULL, nr * stride, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	scratch = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	hot = calloc(nr, sizeof(*hot));
	if (base == MAP_FAILED || scratch == MAP_FAILED || !hot) {
		perror("mmap");
		return 1;
	}
	printf("span %lu %lu\n", (unsigned long)base,
	       (unsigned long)(base + nr * stride));
	for (n = 0; n < nr; n++) {
		char *vma = base + n * stride;
		int is_hot = every && n % every == 0;

		if (mprotect(vma, vma_sz, PROT_READ | PROT_WRITE)) {
			perror("mprotect");
			return 1;
		}
		memset(vma, 1, is_hot ? vma_sz : 64 * KIB);
		if (is_hot) {
			hot[nr_hot++] = vma;
			printf("hot %lu %lu\n", (unsigned long)vma,
			       (unsigned long)(vma + vma_sz));
		}
	}
	fflush(stdout);
	if (idle || !nr_hot) {
		for (;;)
			pause();
	}

	hot_pages = vma_sz / PAGE;
	for (;;) {
		for (i = 0; i < 32768; i++) {
			uint64_t r = xorshift64(&seed);
			char *vma = hot[(r >> 32) % nr_hot];

			vma[(r % hot_pages) * PAGE + ((r >> 52) & 0xfc0)]++;
		}
		/* A TLB's worth of misses: see hotcold.c. */
		memset(scratch, 1, 64 * PAGE);
		madvise(scratch, 64 * PAGE, MADV_DONTNEED);
	}
	return 0;
}

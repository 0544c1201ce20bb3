// SPDX-License-Identifier: GPL-2.0
/*
 * lazyfree MIB: MIB of anonymous memory written once, then freed lazily
 * (madvise(MADV_FREE)): memory that reclaim may drop without swap, as a
 * test of reclaim in guests that have none.  Prints "lazyfree START END"
 * (decimal) once done, then sleeps until killed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MIB (1UL << 20)

int main(int argc, char **argv)
{
	size_t sz;
	char *p;

	if (argc < 2 || !(sz = strtoul(argv[1], NULL, 0) * MIB)) {
		fprintf(stderr, "usage: %s MIB\n", argv[0]);
		return 2;
	}
	p = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(p, 0x5a, sz);
	if (madvise(p, sz, MADV_FREE)) {
		perror("madvise");
		return 1;
	}
	printf("lazyfree %lu %lu\n", (unsigned long)p, (unsigned long)(p + sz));
	fflush(stdout);
	for (;;)
		pause();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * phases NR_AREAS AREA_MIB PERIOD_S: a working set that moves.
 *
 * NR_AREAS areas of AREA_MIB each, 2 MiB aligned, each its own mapping with
 * a PROT_NONE guard between them, are all written once; then one of them at
 * a time is the hot set, written at random pages without pause as in
 * hotcold.c (with the same TLB-capacity model), and every PERIOD_S seconds
 * the hot set moves to the next area (round robin).  Prints
 * "area I START END" (decimal) for each area once ready, then
 * "phase N I T" when phase N starts with area I hot, T being
 * CLOCK_BOOTTIME in seconds (the clock of /proc/uptime).  Runs until
 * killed.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "xorshift.h"

#define MIB (1UL << 20)
#define HUGE (2 * MIB)
#define PAGE 4096UL

static double boottime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	size_t area_sz, pages, i, n, nr;
	char *base, *cursor, *scratch, **areas;
	uint64_t seed = 88172645463325252ULL;
	double period, next;
	unsigned long phase = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: %s NR_AREAS AREA_MIB PERIOD_S\n",
			argv[0]);
		return 2;
	}
	nr = strtoul(argv[1], NULL, 0);
	area_sz = strtoul(argv[2], NULL, 0) * MIB;
	period = strtod(argv[3], NULL);
	if (nr < 2 || !area_sz || period <= 0)
		return 2;
	areas = calloc(nr, sizeof(*areas));
	base = mmap(NULL, nr * (area_sz + HUGE) + HUGE, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	scratch = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!areas || base == MAP_FAILED || scratch == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	cursor = (char *)(((uintptr_t)base + HUGE - 1) & ~(HUGE - 1));
	for (n = 0; n < nr; n++) {
		areas[n] = cursor;
		if (mprotect(cursor, area_sz, PROT_READ | PROT_WRITE)) {
			perror("mprotect");
			return 1;
		}
		memset(cursor, 1, area_sz);
		cursor += area_sz + HUGE;	/* leave a guard */
	}
	for (n = 0; n < nr; n++)
		printf("area %zu %lu %lu\n", n, (unsigned long)areas[n],
		       (unsigned long)(areas[n] + area_sz));
	fflush(stdout);

	pages = area_sz / PAGE;
	n = 0;
	next = boottime();
	for (;;) {
		char *hot;

		if (boottime() >= next) {
			n = phase % nr;
			printf("phase %lu %zu %.3f\n", phase++, n, boottime());
			fflush(stdout);
			next += period;
		}
		hot = areas[n];
		for (i = 0; i < 32768; i++) {
			uint64_t r = xorshift64(&seed);

			hot[(r % pages) * PAGE + ((r >> 40) & 0xfc0)]++;
		}
		/* A TLB's worth of misses: see hotcold.c. */
		memset(scratch, 1, 64 * PAGE);
		madvise(scratch, 64 * PAGE, MADV_DONTNEED);
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * graded SHAPE [MIB [alpha=A] [rate=KPS] [tlb=N] [seed=N]]: graded hotness
 * with a known access share per chunk.
 *
 * One mapping of MIB (256 by default) chunks of 1 MiB, 2 MiB aligned, all
 * written once; then each access picks a chunk by its share, a random page
 * in it and a random cache line in that page, and writes it.  The shares
 * are placed over the chunks in random order, so that neighbours in the
 * address space are unrelated: a monitor has to resolve each chunk, not
 * one slope.  SHAPE is
 *   power  share proportional to rank^-A (A = 1 by default), ranks 1..MIB
 *          placed at random;
 *   bands  four bands of hotness, also placed at random: 5% of the chunks
 *          get 60% of the accesses, 15% get 25%, 30% get 12%, the other
 *          50% get 3% (per chunk 12, 1.7, 0.4 and 0.06 times the mean).
 * With rate=KPS it makes at most KPS thousand accesses per second (in
 * batches, sleeping when ahead, never catching up when behind), so that
 * the chunks' rates and what a monitor can see of them do not depend on
 * how fast the emulated CPU happens to be; 0 (the default) is flat out.
 * Prints "chunk START END SHARE" (decimal; SHARE the chunk's fraction of
 * all accesses) for every chunk in address order, then "ready", and runs
 * until killed; at SIGTERM or SIGINT it prints "done ACCESSES SECONDS"
 * (the rate it ran at) and exits.  The layout depends on seed=N only.
 *
 * The TLB-capacity model of hotcold.c: every 32 Ki accesses (tlb=N:
 * every N) a 64-page scratch area is written and dropped again
 * (MADV_DONTNEED), which makes the kernel flush this process's TLB
 * entries, as a real TLB's capacity would (access checks clear accessed
 * bits without a flush, so only accesses that miss the TLB are seen;
 * QEMU's software TLB could hold the whole mapping).  (Flushing every 4
 * Ki accesses, tried, halved the rate an emulated CPU reaches, and the
 * rate is what spreads the chunks over a monitor's range.)  The mapping
 * gets MADV_NOHUGEPAGE: in a huge page, one accessed bit would stand for
 * two chunks (under THP "always" every chunk read alike).
 */
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "workload.h"
#include "xorshift.h"

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Walker's alias method (Vose's construction): a chunk in O(1) per
 * access, two loads, where a search of the shares' CDF would take
 * log2(N) unpredictable branches, slow under emulation.  Chunk i is taken
 * with probability (cut[i] + sum over j with alias[j] == i of
 * (2^32 - cut[j])) / (N * 2^32), i.e. share[i] to within 2^-32 each.
 */
static void alias_build(const double *share, size_t n, uint32_t *cut,
			uint32_t *alias)
{
	double *p = malloc(n * sizeof(*p));
	size_t *small = malloc(n * sizeof(*small));
	size_t *large = malloc(n * sizeof(*large));
	size_t ns = 0, nl = 0, i;

	if (!p || !small || !large) {
		perror("malloc");
		exit(1);
	}
	for (i = 0; i < n; i++) {
		p[i] = share[i] * n;
		if (p[i] < 1)
			small[ns++] = i;
		else
			large[nl++] = i;
	}
	while (ns && nl) {
		size_t s = small[--ns], l = large[nl - 1];

		cut[s] = (uint32_t)(p[s] * 4294967296.0);
		alias[s] = l;
		p[l] -= 1 - p[s];
		if (p[l] < 1) {
			nl--;
			small[ns++] = l;
		}
	}
	/* What is left is 1 up to rounding: always itself. */
	while (nl) {
		cut[large[--nl]] = UINT32_MAX;
		alias[large[nl]] = large[nl];
	}
	while (ns) {
		cut[small[--ns]] = UINT32_MAX;
		alias[small[ns]] = small[ns];
	}
	free(p);
	free(small);
	free(large);
}

int main(int argc, char **argv)
{
	static const double band_chunks[] = { 0.05, 0.15, 0.30, 0.50 };
	static const double band_share[] = { 0.60, 0.25, 0.12, 0.03 };
	size_t n = 256, batch = 32768, i, j, pages_per = MIB / PAGE;
	uint64_t seed = 88172645463325252ULL, done = 0;
	double alpha = 1, rate = 0, sum = 0, t0, start, *share, *weight;
	uint32_t *cut, *alias;
	size_t *place;
	char *base, *area, *scratch;
	int power, arg;

	if (argc < 2 || (strcmp(argv[1], "power") && strcmp(argv[1], "bands"))) {
		fprintf(stderr,
			"usage: %s power|bands [MIB [alpha=A] [rate=KPS] [tlb=N] [seed=N]]\n",
			argv[0]);
		return 2;
	}
	power = !strcmp(argv[1], "power");
	if (argc > 2)
		n = strtoul(argv[2], NULL, 0);
	for (arg = 3; arg < argc; arg++) {
		if (!strncmp(argv[arg], "alpha=", 6))
			alpha = strtod(argv[arg] + 6, NULL);
		else if (!strncmp(argv[arg], "rate=", 5))
			rate = strtod(argv[arg] + 5, NULL) * 1000;
		else if (!strncmp(argv[arg], "tlb=", 4))
			batch = strtoul(argv[arg] + 4, NULL, 0);
		else if (!strncmp(argv[arg], "seed=", 5))
			seed = strtoull(argv[arg] + 5, NULL, 0) | 1;
		else {
			fprintf(stderr, "%s: unknown word %s\n", argv[0],
				argv[arg]);
			return 2;
		}
	}
	if (n < 10 || n > 65536 || alpha < 0 || rate < 0 || !batch)
		return 2;

	/* weight[k]: the share of the chunk of rank k (0 the hottest). */
	weight = calloc(n, sizeof(*weight));
	share = calloc(n, sizeof(*share));
	place = calloc(n, sizeof(*place));
	cut = calloc(n, sizeof(*cut));
	alias = calloc(n, sizeof(*alias));
	if (!weight || !share || !place || !cut || !alias) {
		perror("calloc");
		return 1;
	}
	if (power) {
		for (i = 0; i < n; i++)
			weight[i] = pow(i + 1, -alpha);
	} else {
		size_t b, k = 0, m;

		for (b = 0; b < 4; b++) {
			m = b < 3 ? (size_t)(band_chunks[b] * n + 0.5) : n - k;
			for (j = 0; j < m && k < n; j++)
				weight[k++] = band_share[b] / m;
		}
	}
	for (i = 0; i < n; i++)
		sum += weight[i];
	/* Ranks to chunks at random (Fisher-Yates). */
	for (i = 0; i < n; i++)
		place[i] = i;
	for (i = n - 1; i > 0; i--) {
		size_t t;

		j = xorshift64(&seed) % (i + 1);
		t = place[i];
		place[i] = place[j];
		place[j] = t;
	}
	for (i = 0; i < n; i++)
		share[place[i]] = weight[i] / sum;
	alias_build(share, n, cut, alias);

	base = mmap(NULL, n * MIB + HUGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	scratch = mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED || scratch == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	area = (char *)(((uintptr_t)base + HUGE - 1) & ~(HUGE - 1));
	/* Before the faults, so that none of them makes a huge page. */
	if (madvise(area, n * MIB, MADV_NOHUGEPAGE)) {
		perror("madvise");
		return 1;
	}
	memset(area, 1, n * MIB);
	memset(scratch, 1, 64 * PAGE);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	for (i = 0; i < n; i++)
		printf("chunk %lu %lu %.9g\n", (unsigned long)(area + i * MIB),
		       (unsigned long)(area + (i + 1) * MIB), share[i]);
	printf("ready\n");
	fflush(stdout);

	start = t0 = mono();
	while (!stop) {
		for (i = 0; i < batch; i++) {
			uint64_t r = xorshift64(&seed);
			/*
			 * The chunk from r % n (its low bits where n is a
			 * power of two), the line from bits 14-19, the page
			 * from bits 20-27, the alias cut from bits 32-63.
			 */
			size_t c = r % n;

			if ((uint32_t)(r >> 32) >= cut[c])
				c = alias[c];
			area[c * MIB + ((r >> 20) % pages_per) * PAGE +
			     ((r >> 8) & 0xfc0)]++;
		}
		/* A TLB's capacity: see the comment at the top. */
		memset(scratch, 1, 64 * PAGE);
		madvise(scratch, 64 * PAGE, MADV_DONTNEED);
		done += batch;
		if (rate) {
			double due = t0 + done / rate, now = mono();

			if (now < due) {
				struct timespec ts;

				ts.tv_sec = (time_t)(due - now);
				ts.tv_nsec = (long)((due - now - ts.tv_sec) * 1e9);
				nanosleep(&ts, NULL);
			} else if (now > due + 0.1) {
				/* Behind: no burst to catch up. */
				t0 = now - 0.1 - done / rate;
			}
		}
	}
	printf("done %llu %.3f\n", (unsigned long long)done, mono() - start);
	return 0;
}

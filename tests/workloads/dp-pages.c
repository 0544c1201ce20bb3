// SPDX-License-Identifier: GPL-2.0
/*
 * dp-pages MODE PID START END ...: the physical side of a range of a
 * process's address space, as the kernel says it (run as root: pagemap
 * shows PFNs to CAP_SYS_ADMIN only).  The ground truth of the paddr tests.
 *
 *   dp-pages runs PID START END
 *	the physical ranges of the present pages of [START, END), sorted and
 *	merged: "START END" (bytes) a line.
 *   dp-pages flags PID START END
 *	"pages present lru active": /proc/kpageflags of each present page
 *	(KPF_LRU 5, KPF_ACTIVE 6; of the folio, on 6.12).
 *   dp-pages nodes PID START END
 *	"pages present node0 node1": the node of each page, asked of
 *	move_pages(2) with no target nodes (it moves nothing then).
 *   dp-pages migrate PID FROM TO
 *	move every page of the process on node FROM to node TO, as
 *	migratepages(8) does (migrate_pages(2)); prints the pages that did
 *	not move.
 *   dp-pages score PID HOT_START HOT_END COLD_START COLD_END
 *	reads physical ranges "START END ..." (bytes: tried regions; more
 *	fields on a line are not read) from stdin
 *	and prints "tried tried_hot tried_cold hot cold": the bytes of the
 *	ranges, of the hot and of the cold area's present pages inside them,
 *	and of each area's present pages.
 *
 * Addresses are decimal or 0x-hex.  Exit status 1 on any error (a pagemap
 * that cannot be read: the caller's check must not pass on nothing).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096UL
#define PM_PRESENT (1ULL << 63)
#define PM_PFN ((1ULL << 55) - 1)
#define KPF_LRU 5
#define KPF_ACTIVE 6

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/*
 * pfns_of PID START END N: the PFN of each page of [START, END), 0 where
 * none is present (PFN 0 is never a process's page); *n gets the count.
 */
static uint64_t *pfns_of(int pid, uint64_t start, uint64_t end, size_t *n)
{
	char path[64];
	uint64_t *pfns;
	size_t i, done = 0;
	ssize_t got;
	int fd;

	*n = (end - start) / PAGE;
	pfns = calloc(*n ? *n : 1, sizeof(*pfns));
	if (!pfns)
		die("calloc");
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	while (done < *n) {
		got = pread(fd, pfns + done, (*n - done) * sizeof(*pfns),
			    (off_t)((start / PAGE + done) * sizeof(*pfns)));
		if (got <= 0)
			die("pagemap read");
		done += got / sizeof(*pfns);
	}
	close(fd);
	for (i = 0; i < *n; i++)
		pfns[i] = pfns[i] & PM_PRESENT ? pfns[i] & PM_PFN : 0;
	return pfns;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The present PFNs of [START, END), sorted; *n gets their count. */
static uint64_t *sorted_pfns(int pid, uint64_t start, uint64_t end, size_t *n)
{
	uint64_t *pfns = pfns_of(pid, start, end, n);
	size_t i, m = 0;

	for (i = 0; i < *n; i++)
		if (pfns[i])
			pfns[m++] = pfns[i];
	*n = m;
	qsort(pfns, m, sizeof(*pfns), cmp_u64);
	return pfns;
}

/* How many of the sorted PFNs are below PFN. */
static size_t below(const uint64_t *pfns, size_t n, uint64_t pfn)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (pfns[mid] < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int runs(int pid, uint64_t start, uint64_t end)
{
	size_t n, i;
	uint64_t *pfns = sorted_pfns(pid, start, end, &n);

	for (i = 0; i < n;) {
		size_t j = i + 1;

		while (j < n && pfns[j] <= pfns[j - 1] + 1)
			j++;
		printf("%llu %llu\n", (unsigned long long)(pfns[i] * PAGE),
		       (unsigned long long)((pfns[j - 1] + 1) * PAGE));
		i = j;
	}
	return 0;
}

static int flags(int pid, uint64_t start, uint64_t end)
{
	size_t n, i, present = 0, lru = 0, active = 0;
	uint64_t *pfns = pfns_of(pid, start, end, &n), f;
	int fd = open("/proc/kpageflags", O_RDONLY);

	if (fd < 0)
		die("/proc/kpageflags");
	for (i = 0; i < n; i++) {
		if (!pfns[i])
			continue;
		if (pread(fd, &f, sizeof(f), (off_t)(pfns[i] * sizeof(f))) !=
		    sizeof(f))
			die("kpageflags read");
		present++;
		lru += (f >> KPF_LRU) & 1;
		active += ((f >> KPF_LRU) & 1) && ((f >> KPF_ACTIVE) & 1);
	}
	close(fd);
	printf("%zu %zu %zu %zu\n", n, present, lru, active);
	return 0;
}

#define CHUNK 4096

static int nodes(int pid, uint64_t start, uint64_t end)
{
	size_t n = (end - start) / PAGE, i, j, k, present = 0, on[2] = { 0 };
	void *pages[CHUNK];
	int status[CHUNK];

	for (i = 0; i < n; i += CHUNK) {
		k = n - i < CHUNK ? n - i : CHUNK;
		for (j = 0; j < k; j++)
			pages[j] = (void *)(uintptr_t)(start + (i + j) * PAGE);
		if (syscall(SYS_move_pages, pid, k, pages, NULL, status, 0))
			die("move_pages");
		for (j = 0; j < k; j++) {
			if (status[j] < 0)
				continue;	/* -ENOENT: not present */
			present++;
			if (status[j] < 2)
				on[status[j]]++;
		}
	}
	printf("%zu %zu %zu %zu\n", n, present, on[0], on[1]);
	return 0;
}

static int score(int pid, uint64_t hs, uint64_t he, uint64_t cs, uint64_t ce)
{
	size_t nh, nc;
	uint64_t *hot = sorted_pfns(pid, hs, he, &nh);
	uint64_t *cold = sorted_pfns(pid, cs, ce, &nc);
	unsigned long long s, e, tried = 0, thot = 0, tcold = 0;
	uint64_t ps, pe;

	char line[256];

	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "%llu %llu", &s, &e) != 2 || e <= s)
			continue;
		tried += e - s;
		/* The pages whose first byte is inside [s, e). */
		ps = (s + PAGE - 1) / PAGE;
		pe = (e + PAGE - 1) / PAGE;
		thot += (below(hot, nh, pe) - below(hot, nh, ps)) * PAGE;
		tcold += (below(cold, nc, pe) - below(cold, nc, ps)) * PAGE;
	}
	printf("%llu %llu %llu %llu %llu\n", tried, thot, tcold,
	       (unsigned long long)(nh * PAGE), (unsigned long long)(nc * PAGE));
	return 0;
}

static uint64_t number(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || end == s) {
		fprintf(stderr, "dp-pages: not a number: %s\n", s);
		exit(2);
	}
	return v;
}

static int migrate(int pid, int from, int to)
{
	unsigned long old_nodes = 1UL << from, new_nodes = 1UL << to;
	long left;

	if (from < 0 || from > 62 || to < 0 || to > 62)
		return 2;
	left = syscall(SYS_migrate_pages, pid, 64UL, &old_nodes, &new_nodes);
	if (left < 0) {
		fprintf(stderr, "dp-pages: migrate_pages: %s\n", strerror(errno));
		return 1;
	}
	printf("%ld\n", left);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t a[4];
	int pid, i;

	if (argc < 5)
		goto usage;
	if (!strcmp(argv[1], "migrate") && argc == 5)
		return migrate((int)number(argv[2]), (int)number(argv[3]),
			       (int)number(argv[4]));
	pid = (int)number(argv[2]);
	for (i = 3; i < argc && i < 7; i++)
		a[i - 3] = number(argv[i]) & ~(PAGE - 1);
	if (a[1] < a[0])
		goto usage;
	if (!strcmp(argv[1], "runs") && argc == 5)
		return runs(pid, a[0], a[1]);
	if (!strcmp(argv[1], "flags") && argc == 5)
		return flags(pid, a[0], a[1]);
	if (!strcmp(argv[1], "nodes") && argc == 5)
		return nodes(pid, a[0], a[1]);
	if (!strcmp(argv[1], "score") && argc == 7 && a[3] >= a[2])
		return score(pid, a[0], a[1], a[2], a[3]);
usage:
	fprintf(stderr,
		"usage: dp-pages runs|flags|nodes PID START END\n"
		"       dp-pages migrate PID FROM TO\n"
		"       dp-pages score PID HOT_START HOT_END COLD_START COLD_END < ranges\n");
	return 2;
}

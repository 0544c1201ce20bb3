// SPDX-License-Identifier: GPL-2.0
/*
 * The huge page budget: upstream's hugepage_mem_bp goal metric (the
 * memory in transparent huge pages, in basis points of the used memory,
 * total - free, as /proc/meminfo counts them), and the bound that keeps
 * collapses under a budget of it.
 *
 * A goal's tuner sees the share once per quota interval, after the fact;
 * a collapse adds a whole huge page at once, and several kdamonds may
 * collapse at the same time.  So a collapse under a budget first reserves
 * the frames it is about to make huge out of the room left, measured
 * there and then, less what the others have reserved: the share never
 * passes the budget by more than what the counters lag behind (upstream's
 * consist tuner, which only sees the share it already made, overshoots).
 */

#include <linux/atomic.h>
#include <linux/math.h>
#include <linux/mm.h>
#include <linux/vmstat.h>

#include "huge-budget.h"

/**
 * dp_huge_mem_bp_of() - the share of used memory in huge pages.
 * @c:	the counts.
 *
 * Return: @c->huge in basis points of @c->total - @c->free; 10000 where
 * free is not below total (the per-CPU counters lag: nothing is used then,
 * and a budget is met, as upstream says).
 */
static unsigned long dp_huge_mem_bp_of(const struct dp_huge_counts *c)
{
	if (c->free >= c->total)
		return 10000;
	return mult_frac(c->huge, 10000UL, c->total - c->free);
}

/**
 * dp_huge_headroom_of() - pages that may still become huge pages.
 * @c:		the counts.
 * @budget_bp:	the budget, in basis points of used memory.
 * @reserved:	pages already promised to collapses under way.
 *
 * Return: what is left of @budget_bp of the used memory once the huge
 * pages and @reserved are taken out, in pages; 0 where nothing is left.
 */
static unsigned long dp_huge_headroom_of(const struct dp_huge_counts *c,
					 unsigned long budget_bp,
					 unsigned long reserved)
{
	unsigned long limit, taken = c->huge + reserved;

	if (c->free >= c->total)
		return 0;
	limit = mult_frac(c->total - c->free, budget_bp, 10000UL);
	return limit > taken ? limit - taken : 0;
}

static void dp_huge_counts_read(struct dp_huge_counts *c)
{
	c->huge = global_node_page_state(NR_ANON_THPS) +
		global_node_page_state(NR_SHMEM_THPS) +
		global_node_page_state(NR_FILE_THPS);
	c->total = totalram_pages();
	c->free = global_zone_page_state(NR_FREE_PAGES);
}

/** dp_huge_mem_bp() - the hugepage_mem_bp goal metric, now. */
unsigned long dp_huge_mem_bp(void)
{
	struct dp_huge_counts c;

	dp_huge_counts_read(&c);
	return dp_huge_mem_bp_of(&c);
}

/* Pages reserved by collapses under a budget, not yet counted as huge. */
static atomic_long_t dp_huge_reserved = ATOMIC_LONG_INIT(0);

/**
 * dp_huge_headroom_bytes() - what may still be collapsed under @budget_bp.
 * @budget_bp:	the budget.
 *
 * Return: the room left, in bytes, whole huge pages.
 */
unsigned long dp_huge_headroom_bytes(unsigned long budget_bp)
{
	struct dp_huge_counts c;
	unsigned long room;

	dp_huge_counts_read(&c);
	room = dp_huge_headroom_of(&c, budget_bp,
				   atomic_long_read(&dp_huge_reserved));
	return ALIGN_DOWN(room, HPAGE_PMD_NR) << PAGE_SHIFT;
}

/**
 * dp_huge_reserve() - reserve room for a collapse under @budget_bp.
 * @budget_bp:	the budget.
 * @bytes:	what the collapse would make huge, whole huge pages.
 *
 * Return: the bytes reserved, whole huge pages, at most @bytes: 0 where
 * not one more huge page fits.  Give them back with dp_huge_unreserve()
 * once the collapse is over (its huge pages are counted by then).
 */
unsigned long dp_huge_reserve(unsigned long budget_bp, unsigned long bytes)
{
	unsigned long want = ALIGN_DOWN(bytes >> PAGE_SHIFT, HPAGE_PMD_NR);
	long reserved = atomic_long_read(&dp_huge_reserved);
	struct dp_huge_counts c;
	unsigned long grant;

	do {
		dp_huge_counts_read(&c);
		grant = min(want, dp_huge_headroom_of(&c, budget_bp, reserved));
		grant = ALIGN_DOWN(grant, HPAGE_PMD_NR);
		if (!grant)
			return 0;
	} while (!atomic_long_try_cmpxchg(&dp_huge_reserved, &reserved,
					  reserved + grant));
	return grant << PAGE_SHIFT;
}

/** dp_huge_unreserve() - give back what dp_huge_reserve() reserved. */
void dp_huge_unreserve(unsigned long bytes)
{
	atomic_long_sub(bytes >> PAGE_SHIFT, &dp_huge_reserved);
}

#ifdef DAMON_PAUSE_KUNIT
#include "huge-budget-kunit.h"
#endif

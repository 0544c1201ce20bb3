/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit suite for src/huge-budget.c: the hugepage_mem_bp metric's
 * arithmetic and the room a budget leaves.
 */
#ifndef _DAMON_PAUSE_HUGE_BUDGET_KUNIT_H
#define _DAMON_PAUSE_HUGE_BUDGET_KUNIT_H

#include <kunit/test.h>

static void dp_test_huge_mem_bp(struct kunit *test)
{
	struct dp_huge_counts c = { .huge = 0, .total = 1000, .free = 500 };

	KUNIT_EXPECT_EQ(test, dp_huge_mem_bp_of(&c), 0UL);
	/* Of the used memory (total - free), not of the total. */
	c.huge = 50;
	KUNIT_EXPECT_EQ(test, dp_huge_mem_bp_of(&c), 1000UL);
	c.huge = 500;
	KUNIT_EXPECT_EQ(test, dp_huge_mem_bp_of(&c), 10000UL);
	c.huge = 1;
	c.free = 999;
	KUNIT_EXPECT_EQ(test, dp_huge_mem_bp_of(&c), 10000UL);
	/* Rounded down, as upstream's division. */
	c = (struct dp_huge_counts){ .huge = 1, .total = 30001, .free = 1 };
	KUNIT_EXPECT_EQ(test, dp_huge_mem_bp_of(&c), 0UL);
	c.huge = 2;
	KUNIT_EXPECT_EQ(test, dp_huge_mem_bp_of(&c), 0UL);
	c.huge = 3;
	KUNIT_EXPECT_EQ(test, dp_huge_mem_bp_of(&c), 1UL);
}

/* Lagging per-CPU counts can show free >= total: no division by 0. */
static void dp_test_huge_mem_bp_free_ge_total(struct kunit *test)
{
	struct dp_huge_counts c = { .huge = 512, .total = 1000, .free = 1000 };

	KUNIT_EXPECT_EQ(test, dp_huge_mem_bp_of(&c), 10000UL);
	c.free = 1200;
	KUNIT_EXPECT_EQ(test, dp_huge_mem_bp_of(&c), 10000UL);
	c.huge = 0;
	KUNIT_EXPECT_EQ(test, dp_huge_mem_bp_of(&c), 10000UL);
	/* Nothing used: no room for any budget. */
	KUNIT_EXPECT_EQ(test, dp_huge_headroom_of(&c, 10000, 0), 0UL);
}

/* A terabyte machine: no overflow on 64 bits nor on 32. */
static void dp_test_huge_mem_bp_large(struct kunit *test)
{
	unsigned long tb = 1UL << (BITS_PER_LONG == 64 ? 28 : 20);
	struct dp_huge_counts c = { .huge = tb / 4, .total = tb, .free = 0 };

	KUNIT_EXPECT_EQ(test, dp_huge_mem_bp_of(&c), 2500UL);
	KUNIT_EXPECT_EQ(test, dp_huge_headroom_of(&c, 5000, 0), tb / 4);
}

static void dp_test_huge_headroom(struct kunit *test)
{
	/* 1000 pages used, 10% budget: 100 pages, 40 of them huge. */
	struct dp_huge_counts c = { .huge = 40, .total = 1500, .free = 500 };

	KUNIT_EXPECT_EQ(test, dp_huge_headroom_of(&c, 1000, 0), 60UL);
	/* What the collapses under way reserved is taken out. */
	KUNIT_EXPECT_EQ(test, dp_huge_headroom_of(&c, 1000, 50), 10UL);
	KUNIT_EXPECT_EQ(test, dp_huge_headroom_of(&c, 1000, 60), 0UL);
	/* Over the budget (a lowered one): none, not a wrapped-around lot. */
	KUNIT_EXPECT_EQ(test, dp_huge_headroom_of(&c, 300, 0), 0UL);
	KUNIT_EXPECT_EQ(test, dp_huge_headroom_of(&c, 400, 0), 0UL);
	KUNIT_EXPECT_EQ(test, dp_huge_headroom_of(&c, 410, 0), 1UL);
	/* A target above 10000 bp: more than the used memory is no limit. */
	KUNIT_EXPECT_EQ(test, dp_huge_headroom_of(&c, 20000, 0), 1960UL);
}

/* The reservation rounds to whole huge pages and never passes the room. */
static void dp_test_huge_reserve(struct kunit *test)
{
	unsigned long room = dp_huge_headroom_bytes(10000);
	unsigned long got, more;

	KUNIT_EXPECT_EQ(test, room % HPAGE_PMD_SIZE, 0UL);
	KUNIT_EXPECT_EQ(test, dp_huge_reserve(10000, HPAGE_PMD_SIZE - 1), 0UL);
	got = dp_huge_reserve(10000, 2 * HPAGE_PMD_SIZE + PAGE_SIZE);
	KUNIT_EXPECT_LE(test, got, 2 * HPAGE_PMD_SIZE);
	KUNIT_EXPECT_EQ(test, got % HPAGE_PMD_SIZE, 0UL);
	/*
	 * What is reserved is no longer room for another (the system's
	 * memory moves meanwhile: a few huge pages of slack).
	 */
	more = dp_huge_reserve(10000, ULONG_MAX / 2);
	KUNIT_EXPECT_GT(test, more, 0UL);
	KUNIT_EXPECT_LE(test, more + got, room + 4 * HPAGE_PMD_SIZE);
	KUNIT_EXPECT_LE(test, dp_huge_headroom_bytes(10000),
			4 * HPAGE_PMD_SIZE);
	dp_huge_unreserve(more);
	dp_huge_unreserve(got);
	/* A budget of 0 bp leaves no room. */
	KUNIT_EXPECT_EQ(test, dp_huge_reserve(0, HPAGE_PMD_SIZE), 0UL);
}

static struct kunit_case dp_huge_budget_test_cases[] = {
	KUNIT_CASE(dp_test_huge_mem_bp),
	KUNIT_CASE(dp_test_huge_mem_bp_free_ge_total),
	KUNIT_CASE(dp_test_huge_mem_bp_large),
	KUNIT_CASE(dp_test_huge_headroom),
	KUNIT_CASE(dp_test_huge_reserve),
	{}
};

static struct kunit_suite dp_huge_budget_test_suite = {
	.name = "damon_pause_huge_budget",
	.test_cases = dp_huge_budget_test_cases,
};

kunit_test_suite(dp_huge_budget_test_suite);

#endif /* _DAMON_PAUSE_HUGE_BUDGET_KUNIT_H */

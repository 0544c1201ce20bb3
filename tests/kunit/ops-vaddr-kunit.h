/* SPDX-License-Identifier: GPL-2.0 */
/* KUnit suite for src/ops-vaddr.c: regions from an address space layout. */
#ifndef _DAMON_PAUSE_OPS_VADDR_KUNIT_H
#define _DAMON_PAUSE_OPS_VADDR_KUNIT_H

#include <kunit/test.h>

#define PG(n)	((unsigned long)(n) * PAGE_SIZE)

/* A process: text, heap, a big gap, libraries, a bigger gap, stack. */
static const struct dp_addr_range dp_test_mappings[] = {
	{ PG(10), PG(20) },		/* text */
	{ PG(22), PG(30) },		/* heap, after a 2-page gap */
	{ PG(1000), PG(1010) },		/* libs, after a 970-page gap */
	{ PG(1012), PG(1020) },
	{ PG(90000), PG(90004) },	/* stack, after the biggest gap */
};

static void dp_test_va_layout(struct dp_va_layout *layout)
{
	int i;

	memset(layout, 0, sizeof(*layout));
	for (i = 0; i < ARRAY_SIZE(dp_test_mappings); i++)
		dp_va_layout_add(layout, dp_test_mappings[i].start,
				 dp_test_mappings[i].end);
}

static void dp_test_va_three_ranges(struct kunit *test)
{
	struct dp_addr_range ranges[3];
	struct dp_va_layout layout;

	dp_test_va_layout(&layout);
	KUNIT_EXPECT_EQ(test, layout.nr_mappings, 5U);
	KUNIT_ASSERT_EQ(test, dp_va_layout_ranges(&layout, ranges), 0);
	/* Cut at the two biggest gaps only; the small ones stay inside. */
	KUNIT_EXPECT_EQ(test, ranges[0].start, PG(10));
	KUNIT_EXPECT_EQ(test, ranges[0].end, PG(30));
	KUNIT_EXPECT_EQ(test, ranges[1].start, PG(1000));
	KUNIT_EXPECT_EQ(test, ranges[1].end, PG(1020));
	KUNIT_EXPECT_EQ(test, ranges[2].start, PG(90000));
	KUNIT_EXPECT_EQ(test, ranges[2].end, PG(90004));
}

/* Fewer than three mappings apart: nothing sensible to cut. */
static void dp_test_va_too_few_gaps(struct kunit *test)
{
	struct dp_addr_range ranges[3];
	struct dp_va_layout layout = {};

	dp_va_layout_add(&layout, PG(1), PG(2));
	KUNIT_EXPECT_EQ(test, dp_va_layout_ranges(&layout, ranges), -EINVAL);
	dp_va_layout_add(&layout, PG(5), PG(6));
	KUNIT_EXPECT_EQ(test, dp_va_layout_ranges(&layout, ranges), -EINVAL);
	dp_va_layout_add(&layout, PG(9), PG(10));
	KUNIT_EXPECT_EQ(test, dp_va_layout_ranges(&layout, ranges), 0);
}

/* At least min_nr_regions pieces, covering exactly the three ranges. */
static void dp_test_va_initial_regions(struct kunit *test)
{
	struct dp_addr_range ranges[3];
	struct dp_va_layout layout;
	struct dp_region *r;
	struct dp_target t;
	unsigned long sum = 0;
	int i = 0;

	dp_test_va_layout(&layout);
	KUNIT_ASSERT_EQ(test, dp_va_layout_ranges(&layout, ranges), 0);
	memset(&t, 0, sizeof(t));
	INIT_LIST_HEAD(&t.regions_list);
	KUNIT_ASSERT_EQ(test, dp_va_set_initial_regions(&t, ranges, 10), 0);
	KUNIT_EXPECT_GE(test, t.nr_regions, 10U);
	dp_for_each_region(r, &t) {
		KUNIT_EXPECT_LT(test, r->ar.start, r->ar.end);
		KUNIT_EXPECT_EQ(test, r->ar.start % PAGE_SIZE, 0UL);
		sum += dp_sz_region(r);
	}
	KUNIT_EXPECT_EQ(test, sum, PG(20 + 20 + 4));
	/* Each range starts a region and ends one. */
	dp_for_each_region(r, &t) {
		if (r->ar.start == ranges[i].start)
			i++;
		if (i == 3)
			break;
	}
	KUNIT_EXPECT_EQ(test, i, 3);
	KUNIT_EXPECT_EQ(test, dp_last_region(&t)->ar.end, PG(90004));
	dp_destroy_regions(&t);
}

static struct kunit_case dp_va_test_cases[] = {
	KUNIT_CASE(dp_test_va_three_ranges),
	KUNIT_CASE(dp_test_va_too_few_gaps),
	KUNIT_CASE(dp_test_va_initial_regions),
	{},
};

static struct kunit_suite dp_va_test_suite = {
	.name = "damon_pause_ops_vaddr",
	.test_cases = dp_va_test_cases,
};

kunit_test_suite(dp_va_test_suite);

#endif /* _DAMON_PAUSE_OPS_VADDR_KUNIT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* KUnit suite for src/regions.c: invariants of fitting, splitting, merging. */
#ifndef _DAMON_PAUSE_REGIONS_KUNIT_H
#define _DAMON_PAUSE_REGIONS_KUNIT_H

#include <kunit/test.h>

#define P(n)	((unsigned long)(n) * PAGE_SIZE)

static void dp_test_init_target(struct dp_target *t)
{
	memset(t, 0, sizeof(*t));
	INIT_LIST_HEAD(&t->regions_list);
}

/* Adds a region with the given history; skips the test when out of memory. */
static struct dp_region *dp_test_add(struct kunit *test, struct dp_target *t,
				     unsigned long start, unsigned long end,
				     unsigned int nr_accesses, unsigned int age)
{
	struct dp_region *r = dp_new_region(start, end);

	if (!r)
		kunit_skip(test, "out of memory");
	r->nr_accesses = nr_accesses;
	r->last_nr_accesses = nr_accesses;
	r->nr_accesses_bp = nr_accesses * DP_BP;
	r->age = age;
	dp_add_region(r, t);
	return r;
}

/*
 * Sorted, non-overlapping, page aligned, non-empty, counted right, and
 * adding up to @total bytes.
 */
static void dp_test_expect_sane(struct kunit *test, struct dp_target *t,
				unsigned long total)
{
	struct dp_region *r, *prev = NULL;
	unsigned long sum = 0;
	unsigned int nr = 0;

	dp_for_each_region(r, t) {
		KUNIT_EXPECT_LT(test, r->ar.start, r->ar.end);
		KUNIT_EXPECT_EQ(test, r->ar.start % DP_MIN_REGION, 0UL);
		KUNIT_EXPECT_EQ(test, r->ar.end % DP_MIN_REGION, 0UL);
		KUNIT_EXPECT_GE(test, r->sampling_addr, r->ar.start);
		KUNIT_EXPECT_LT(test, r->sampling_addr, r->ar.end);
		if (prev)
			KUNIT_EXPECT_LE(test, prev->ar.end, r->ar.start);
		sum += dp_sz_region(r);
		nr++;
		prev = r;
	}
	KUNIT_EXPECT_EQ(test, nr, t->nr_regions);
	KUNIT_EXPECT_EQ(test, sum, total);
}

static void dp_test_expect_region(struct kunit *test, struct dp_region *r,
				  unsigned long start, unsigned long end,
				  unsigned int nr_accesses, unsigned int age)
{
	KUNIT_EXPECT_EQ(test, r->ar.start, start);
	KUNIT_EXPECT_EQ(test, r->ar.end, end);
	KUNIT_EXPECT_EQ(test, r->nr_accesses, nr_accesses);
	KUNIT_EXPECT_EQ(test, r->age, age);
}

/* Fresh ranges become one region each, widened to page boundaries. */
static void dp_test_set_regions_empty(struct kunit *test)
{
	const struct dp_addr_range ranges[] = {
		{ P(1) + 5, P(4) }, { P(8), P(9) - 1 },
	};
	struct dp_target t;

	dp_test_init_target(&t);
	KUNIT_ASSERT_EQ(test, dp_set_regions(&t, ranges, 2, DP_MIN_REGION), 0);
	KUNIT_ASSERT_EQ(test, t.nr_regions, 2U);
	dp_test_expect_region(test, dp_first_region(&t), P(1), P(4), 0, 0);
	dp_test_expect_region(test, dp_last_region(&t), P(8), P(9), 0, 0);
	dp_test_expect_sane(test, &t, P(4));
	dp_destroy_regions(&t);
}

/* Bad ranges are refused and the regions stay exactly as they were. */
static void dp_test_set_regions_invalid(struct kunit *test)
{
	const struct dp_addr_range overlap[] = { { P(1), P(4) }, { P(3), P(5) } };
	const struct dp_addr_range unsorted[] = { { P(6), P(7) }, { P(1), P(2) } };
	const struct dp_addr_range empty[] = { { P(2), P(2) } };
	struct dp_target t;

	dp_test_init_target(&t);
	dp_test_add(test, &t, P(1), P(3), 4, 2);
	KUNIT_EXPECT_EQ(test, dp_set_regions(&t, overlap, 2, DP_MIN_REGION), -EINVAL);
	KUNIT_EXPECT_EQ(test, dp_set_regions(&t, unsorted, 2, DP_MIN_REGION), -EINVAL);
	KUNIT_EXPECT_EQ(test, dp_set_regions(&t, empty, 1, DP_MIN_REGION), -EINVAL);
	KUNIT_ASSERT_EQ(test, t.nr_regions, 1U);
	dp_test_expect_region(test, dp_first_region(&t), P(1), P(3), 4, 2);
	dp_destroy_regions(&t);
}

/*
 * Parts of old regions inside the new ranges keep their history, holes get
 * fresh regions, and regions outside every range go.
 */
static void dp_test_set_regions_keeps_history(struct kunit *test)
{
	const struct dp_addr_range ranges[] = {
		{ P(2), P(6) }, { P(8), P(12) },
	};
	struct dp_target t;
	struct dp_region *r;

	dp_test_init_target(&t);
	dp_test_add(test, &t, P(0), P(1), 9, 9);	/* outside: dropped */
	dp_test_add(test, &t, P(2), P(3), 3, 5);
	dp_test_add(test, &t, P(4), P(10), 7, 1);	/* straddles both */
	KUNIT_ASSERT_EQ(test, dp_set_regions(&t, ranges, 2, DP_MIN_REGION), 0);
	dp_test_expect_sane(test, &t, P(8));
	KUNIT_ASSERT_EQ(test, t.nr_regions, 5U);
	r = dp_first_region(&t);
	dp_test_expect_region(test, r, P(2), P(3), 3, 5);
	r = dp_next_region(r);
	dp_test_expect_region(test, r, P(3), P(4), 0, 0);	/* hole */
	r = dp_next_region(r);
	dp_test_expect_region(test, r, P(4), P(6), 7, 1);
	r = dp_next_region(r);
	dp_test_expect_region(test, r, P(8), P(10), 7, 1);
	r = dp_next_region(r);
	dp_test_expect_region(test, r, P(10), P(12), 0, 0);	/* beyond */
	dp_destroy_regions(&t);
}

static void dp_test_split_region_at(struct kunit *test)
{
	struct dp_target t;
	struct dp_region *r;

	dp_test_init_target(&t);
	r = dp_test_add(test, &t, P(10), P(20), 6, 4);
	r->last_nr_accesses = 5;
	dp_split_region_at(&t, r, P(3));
	KUNIT_ASSERT_EQ(test, t.nr_regions, 2U);
	dp_test_expect_region(test, r, P(10), P(13), 6, 4);
	r = dp_next_region(r);
	dp_test_expect_region(test, r, P(13), P(20), 6, 4);
	KUNIT_EXPECT_EQ(test, r->last_nr_accesses, 5U);
	KUNIT_EXPECT_EQ(test, r->nr_accesses_bp, 6U * DP_BP);
	dp_test_expect_sane(test, &t, P(10));
	dp_destroy_regions(&t);
}

/* Random splits, many times over: size conserved, bounds respected. */
static void dp_test_split_regions_of(struct kunit *test)
{
	struct dp_target t;
	int round;

	dp_test_init_target(&t);
	dp_test_add(test, &t, P(0), P(1000), 1, 1);
	dp_test_add(test, &t, P(2000), P(2003), 1, 1);
	dp_test_add(test, &t, P(3000), P(3002), 1, 1);	/* too small */
	for (round = 0; round < 4; round++) {
		unsigned int before = t.nr_regions;

		dp_split_regions_of(&t, 3, DP_MIN_REGION, 0);
		KUNIT_EXPECT_LE(test, t.nr_regions, before * 3);
		dp_test_expect_sane(test, &t, P(1005));
	}
	KUNIT_EXPECT_GT(test, t.nr_regions, 3U);
	/* A two-page region is never split: pieces stay above a page. */
	KUNIT_EXPECT_EQ(test, dp_last_region(&t)->ar.start, P(3000));
	dp_destroy_regions(&t);
}

/*
 * Splits 200 regions of 10 pages with @nr_accesses of 20 and @age in two;
 * returns how many split.
 */
static unsigned int dp_test_nr_split(struct kunit *test,
				     unsigned int nr_accesses, unsigned int age)
{
	struct dp_target t;
	unsigned int i, nr;

	dp_test_init_target(&t);
	for (i = 0; i < 200; i++)
		dp_test_add(test, &t, P(10 * i), P(10 * i + 10), nr_accesses,
			    age);
	dp_split_regions_of(&t, 2, DP_MIN_REGION, 20);
	nr = t.nr_regions - 200;
	dp_test_expect_sane(test, &t, P(2000));
	dp_destroy_regions(&t);
	return nr;
}

/*
 * Settled regions (a count of none or nearly all, held for DP_STABLE_AGE
 * aggregations) split at one aggregation in DP_STABLE_SPLIT_ONE_IN;
 * younger ones, or ones of a middling count, at every one.
 */
static void dp_test_split_rests_settled(struct kunit *test)
{
	unsigned int nr;

	/* Binomial(200, 1/4): 50 expected, outside [20, 90] below 1e-7. */
	nr = dp_test_nr_split(test, 0, DP_STABLE_AGE);
	KUNIT_EXPECT_GE(test, nr, 20U);
	KUNIT_EXPECT_LE(test, nr, 90U);
	nr = dp_test_nr_split(test, 18, DP_STABLE_AGE);
	KUNIT_EXPECT_GE(test, nr, 20U);
	KUNIT_EXPECT_LE(test, nr, 90U);
	KUNIT_EXPECT_EQ(test, dp_test_nr_split(test, 17, DP_STABLE_AGE), 200U);
	KUNIT_EXPECT_EQ(test, dp_test_nr_split(test, 0, DP_STABLE_AGE - 1),
			200U);
}

/*
 * With a unit of 512 pages (a huge page where pages are 4 KiB), inner
 * boundaries fall on multiples of it, also in a region that starts and ends
 * off the unit; a region within one unit is never split.
 */
static void dp_test_split_aligned(struct kunit *test)
{
	const unsigned long unit = P(512);
	struct dp_region *r, *prev = NULL;
	struct dp_target t;
	int round;

	dp_test_init_target(&t);
	r = dp_test_add(test, &t, P(3), P(512 * 40 + 7), 1, 1);
	KUNIT_EXPECT_EQ(test, dp_aligned_split(r, P(600), unit), P(509));
	KUNIT_EXPECT_EQ(test, dp_aligned_split(r, P(100), unit), 0UL);
	KUNIT_EXPECT_EQ(test, dp_aligned_split(r, P(512 * 41), unit), 0UL);
	dp_test_add(test, &t, P(512 * 50 + 1), P(512 * 51 - 1), 1, 1);
	for (round = 0; round < 6; round++) {
		dp_split_regions_of(&t, 3, unit, 0);
		dp_test_expect_sane(test, &t, P(512 * 40 + 4 + 510));
	}
	KUNIT_EXPECT_GT(test, t.nr_regions, 2U);
	dp_for_each_region(r, &t) {
		if (prev && prev->ar.end == r->ar.start)
			KUNIT_EXPECT_EQ(test, r->ar.start % unit, 0UL);
		prev = r;
	}
	KUNIT_EXPECT_EQ(test, dp_last_region(&t)->ar.start, P(512 * 50 + 1));
	dp_destroy_regions(&t);
}

/* Alike neighbours merge with size-weighted history; others do not. */
static void dp_test_merge_regions_of(struct kunit *test)
{
	struct dp_target t;
	struct dp_region *r;

	dp_test_init_target(&t);
	dp_test_add(test, &t, P(0), P(1), 10, 2);
	dp_test_add(test, &t, P(1), P(4), 12, 6);	/* alike: merges */
	dp_test_add(test, &t, P(4), P(5), 30, 1);	/* too different */
	dp_test_add(test, &t, P(6), P(7), 30, 1);	/* not adjacent */
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 3, .sz_limit = P(100)
	});
	KUNIT_ASSERT_EQ(test, t.nr_regions, 3U);
	r = dp_first_region(&t);
	/* (10 * 1 + 12 * 3) / 4 = 11, (2 * 1 + 6 * 3) / 4 = 5 */
	dp_test_expect_region(test, r, P(0), P(4), 11, 5);
	KUNIT_EXPECT_EQ(test, r->nr_accesses_bp, 11U * DP_BP);
	dp_test_expect_region(test, dp_next_region(r), P(4), P(5), 30, 1);
	dp_test_expect_sane(test, &t, P(6));

	/* The size limit stops merging, whatever the similarity. */
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 100, .sz_limit = P(4)
	});
	KUNIT_EXPECT_EQ(test, t.nr_regions, 3U);
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 100, .sz_limit = P(5)
	});
	KUNIT_EXPECT_EQ(test, t.nr_regions, 2U);
	dp_destroy_regions(&t);
}

/*
 * With span_holes, neighbours merge across a hole, which the merged region
 * then spans, once both have seen no access for DP_IDLE_AGGRS aggregations
 * in a row; the size limit counts the hole.  Neighbours with accesses stay
 * apart across a hole, however alike; a piece of a long idle region
 * inherits its idle count and merges back at once.
 */
static void dp_test_merge_spans_holes(struct kunit *test)
{
	struct dp_addr_range hole = { .start = P(13), .end = P(15) };
	struct dp_target t;
	struct dp_region *r;
	int i;

	dp_test_init_target(&t);
	dp_test_add(test, &t, P(0), P(1), 0, 2);
	dp_test_add(test, &t, P(3), P(4), 0, 2);
	dp_test_add(test, &t, P(6), P(7), 5, 2);
	dp_test_add(test, &t, P(9), P(10), 5, 2);
	for (i = 1; i < DP_IDLE_AGGRS; i++) {
		dp_merge_regions_of(&t, &(struct dp_merge_rule){
			.thres = 3, .sz_limit = P(4), .count_age = true,
			.span_holes = true
		});
		KUNIT_EXPECT_EQ(test, t.nr_regions, 4U);
	}
	KUNIT_EXPECT_EQ(test, dp_first_region(&t)->idle_aggrs,
			DP_IDLE_AGGRS - 1U);
	/* The size limit counts the hole. */
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 3, .sz_limit = P(3), .count_age = true,
		.span_holes = true
	});
	KUNIT_EXPECT_EQ(test, t.nr_regions, 4U);
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 3, .sz_limit = P(4), .span_holes = true
	});
	KUNIT_ASSERT_EQ(test, t.nr_regions, 3U);
	r = dp_first_region(&t);
	dp_test_expect_region(test, r, P(0), P(4), 0, 2 + DP_IDLE_AGGRS);
	dp_test_expect_region(test, dp_next_region(r), P(6), P(7), 5,
			      2 + DP_IDLE_AGGRS);
	KUNIT_EXPECT_EQ(test, dp_next_region(r)->idle_aggrs, 0U);
	dp_test_expect_region(test, dp_last_region(&t), P(9), P(10), 5,
			      2 + DP_IDLE_AGGRS);

	/* Without span_holes, or with a recent access, none merges. */
	dp_destroy_regions(&t);
	dp_test_init_target(&t);
	r = dp_test_add(test, &t, P(10), P(20), 0, 0);
	r->idle_aggrs = DP_IDLE_AGGRS;
	dp_cut_region(&t, r, &hole);
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 0, .sz_limit = P(20)
	});
	KUNIT_EXPECT_EQ(test, t.nr_regions, 2U);
	dp_last_region(&t)->idle_aggrs = DP_IDLE_AGGRS - 1;
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 0, .sz_limit = P(20), .span_holes = true
	});
	KUNIT_EXPECT_EQ(test, t.nr_regions, 2U);
	/* The pieces of a long idle region merge back at once. */
	dp_last_region(&t)->idle_aggrs = DP_IDLE_AGGRS;
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 0, .sz_limit = P(20), .span_holes = true
	});
	KUNIT_ASSERT_EQ(test, t.nr_regions, 1U);
	dp_test_expect_region(test, dp_first_region(&t), P(10), P(20), 0, 0);
	dp_destroy_regions(&t);
}

/* A cut leaves the hole out; both parts keep the history. */
static void dp_test_cut_region(struct kunit *test)
{
	struct dp_addr_range hole = { .start = P(3), .end = P(5) };
	struct dp_target t;
	struct dp_region *r;

	dp_test_init_target(&t);
	r = dp_test_add(test, &t, P(0), P(10), 7, 4);
	r->sampling_addr = P(9);
	dp_cut_region(&t, r, &hole);
	KUNIT_ASSERT_EQ(test, t.nr_regions, 2U);
	dp_test_expect_region(test, r, P(0), P(3), 7, 4);
	KUNIT_EXPECT_LT(test, r->sampling_addr, P(3));
	dp_test_expect_region(test, dp_last_region(&t), P(5), P(10), 7, 4);
	dp_destroy_regions(&t);
}

/*
 * A refit keeps the holes between regions inside a range, and covers the
 * range's ends, as dp_set_regions() fills all of them.
 */
static void dp_test_refit_keeps_holes(struct kunit *test)
{
	struct dp_addr_range range = { .start = P(0), .end = P(10) };
	struct dp_target t;
	struct dp_region *r;

	dp_test_init_target(&t);
	dp_test_add(test, &t, P(2), P(4), 5, 1);
	dp_test_add(test, &t, P(6), P(8), 6, 1);
	KUNIT_ASSERT_EQ(test, dp_refit_regions(&t, &range, 1, DP_MIN_REGION),
			0);
	KUNIT_ASSERT_EQ(test, t.nr_regions, 4U);
	r = dp_first_region(&t);
	dp_test_expect_region(test, r, P(0), P(2), 0, 0);
	r = dp_next_region(r);
	dp_test_expect_region(test, r, P(2), P(4), 5, 1);
	r = dp_next_region(r);
	dp_test_expect_region(test, r, P(6), P(8), 6, 1);
	dp_test_expect_region(test, dp_last_region(&t), P(8), P(10), 0, 0);

	KUNIT_ASSERT_EQ(test, dp_set_regions(&t, &range, 1, DP_MIN_REGION), 0);
	KUNIT_EXPECT_EQ(test, t.nr_regions, 5U);
	dp_test_expect_sane(test, &t, P(10));
	dp_destroy_regions(&t);
}

/*
 * Given the samples behind the counts, neighbours whose counts differ by
 * sampling noise merge beyond the threshold; a count of none and one of
 * some never do, nor counts that differ by more than one deviation, nor
 * counts below a quarter of the samples.
 */
static void dp_test_merge_within_noise(struct kunit *test)
{
	struct dp_region *r;
	struct dp_target t;

	dp_test_init_target(&t);
	dp_test_add(test, &t, P(0), P(1), 10, 1);
	dp_test_add(test, &t, P(1), P(2), 13, 1);
	dp_test_add(test, &t, P(2), P(3), 0, 1);
	dp_test_add(test, &t, P(3), P(4), 3, 1);
	dp_test_add(test, &t, P(4), P(5), 20, 1);
	/* By the threshold alone, none merge. */
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 2, .sz_limit = P(100)
	});
	KUNIT_EXPECT_EQ(test, t.nr_regions, 5U);
	/*
	 * Of 20 samples: 10 and 13 are alike (3^2 * 20 = 180 <= 10 * 10 +
	 * 13 * 7 = 191), into 11; 11 and 0 are not, nor 0 and 3, nor 3 and 20
	 * (17^2 * 20 > 3 * 17).
	 */
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 2, .sz_limit = P(100), .nr_samples = 20
	});
	KUNIT_ASSERT_EQ(test, t.nr_regions, 4U);
	r = dp_first_region(&t);
	dp_test_expect_region(test, r, P(0), P(2), 11, 1);
	r = dp_next_region(r);
	dp_test_expect_region(test, r, P(2), P(3), 0, 1);
	r = dp_next_region(r);
	dp_test_expect_region(test, r, P(3), P(4), 3, 1);
	dp_test_expect_region(test, dp_last_region(&t), P(4), P(5), 20, 1);
	dp_destroy_regions(&t);

	/*
	 * 10 and 15 differ by more than one deviation (500 > 175): a
	 * threefold rate at a few counts stays apart too (2 and 7).
	 */
	dp_test_init_target(&t);
	dp_test_add(test, &t, P(0), P(1), 10, 1);
	dp_test_add(test, &t, P(1), P(2), 15, 1);
	dp_test_add(test, &t, P(2), P(3), 2, 1);
	dp_test_add(test, &t, P(3), P(4), 7, 1);
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 2, .sz_limit = P(100), .nr_samples = 20
	});
	KUNIT_EXPECT_EQ(test, t.nr_regions, 4U);
	dp_destroy_regions(&t);

	/*
	 * 2 and 4 of 20 are within a deviation (80 <= 36 + 64), but below a
	 * quarter of the samples, where a twofold rate is within one: apart.
	 * 5 and 7 (80 <= 75 + 91), at a quarter, merge.
	 */
	dp_test_init_target(&t);
	dp_test_add(test, &t, P(0), P(1), 2, 1);
	dp_test_add(test, &t, P(1), P(2), 4, 1);
	dp_test_add(test, &t, P(2), P(3), 0, 1);
	dp_test_add(test, &t, P(3), P(4), 5, 1);
	dp_test_add(test, &t, P(4), P(5), 7, 1);
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 1, .sz_limit = P(100), .nr_samples = 20
	});
	KUNIT_ASSERT_EQ(test, t.nr_regions, 4U);
	r = dp_first_region(&t);
	dp_test_expect_region(test, r, P(0), P(1), 2, 1);
	r = dp_next_region(dp_next_region(r));
	dp_test_expect_region(test, r, P(2), P(3), 0, 1);
	dp_test_expect_region(test, dp_last_region(&t), P(3), P(5), 6, 1);
	dp_destroy_regions(&t);

	/* Alike by noise alone, into no more than a quarter of the limit. */
	dp_test_init_target(&t);
	dp_test_add(test, &t, P(0), P(1), 10, 1);
	dp_test_add(test, &t, P(1), P(2), 13, 1);
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 2, .sz_limit = P(7), .nr_samples = 20
	});
	KUNIT_EXPECT_EQ(test, t.nr_regions, 2U);
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 2, .sz_limit = P(8), .nr_samples = 20
	});
	KUNIT_EXPECT_EQ(test, t.nr_regions, 1U);
	dp_destroy_regions(&t);
}

/* Age grows while the frequency holds and restarts when it moves. */
static void dp_test_merge_counts_age(struct kunit *test)
{
	struct dp_target t;
	struct dp_region *steady, *moved;

	dp_test_init_target(&t);
	steady = dp_test_add(test, &t, P(0), P(1), 5, 7);
	steady->last_nr_accesses = 4;
	moved = dp_test_add(test, &t, P(2), P(3), 9, 7);
	moved->last_nr_accesses = 1;
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 2, .sz_limit = P(100), .count_age = true
	});
	KUNIT_EXPECT_EQ(test, steady->age, 8U);
	KUNIT_EXPECT_EQ(test, moved->age, 0U);
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 2, .sz_limit = P(100)
	});
	KUNIT_EXPECT_EQ(test, steady->age, 8U);
	dp_destroy_regions(&t);
}

static void dp_test_access_rate(struct kunit *test)
{
	struct dp_attrs attrs = { .sample_interval = 5000,
				  .aggr_interval = 100000 };
	struct dp_region r = { .last_nr_accesses = 10,
			       .nr_accesses_bp = 10 * DP_BP };
	int i;

	KUNIT_EXPECT_EQ(test, dp_max_nr_accesses(&attrs), 20U);
	/* Accessed in every one of 20 samples: the sum climbs to 20. */
	for (i = 0; i < 20; i++)
		dp_update_region_access_rate(&r, true, &attrs);
	KUNIT_EXPECT_EQ(test, r.nr_accesses, 20U);
	KUNIT_EXPECT_EQ(test, r.nr_accesses_bp, 20U * DP_BP);
	/* Never accessed: it decays without wrapping below zero. */
	r.last_nr_accesses = 20;
	r.nr_accesses = 0;
	for (i = 0; i < 40; i++)
		dp_update_region_access_rate(&r, false, &attrs);
	KUNIT_EXPECT_EQ(test, r.nr_accesses, 0U);
	KUNIT_EXPECT_EQ(test, r.nr_accesses_bp, 0U);
	/* sample_interval 0 must not divide by zero. */
	attrs.sample_interval = 0;
	KUNIT_EXPECT_EQ(test, dp_max_nr_accesses(&attrs), 100000U);
	dp_update_region_access_rate(&r, true, &attrs);
	KUNIT_EXPECT_EQ(test, r.nr_accesses, 1U);
}

/*
 * A steady region, idle for DP_IDLE_AGGRS or accessed at nine tenths of
 * the samples or more for DP_STABLE_AGE, is checked at one interval in
 * DP_STEADY_SAMPLE_EVERY, the same one for its preparation and its check,
 * and a check counts for that many samples, never beyond an aggregation's;
 * any other at every interval.
 */
static void dp_test_steady_sampling(struct kunit *test)
{
	struct dp_attrs attrs = {
		.sample_interval = 5000,
		.aggr_interval = 100000,	/* 20 samples */
	};
	struct dp_region idle = { .ar = { P(3), P(9) } };
	struct dp_region woken = { .ar = { P(3), P(9) } };
	struct dp_region hot = { .ar = { P(3), P(9) } };
	struct dp_region young = { .ar = { P(3), P(9) } };
	struct dp_region warm = { .ar = { P(3), P(9) } };
	unsigned int nr[5] = { 0 }, i;
	unsigned long sis;

	idle.idle_aggrs = DP_IDLE_AGGRS;
	woken.idle_aggrs = DP_IDLE_AGGRS - 1;
	hot.age = DP_STABLE_AGE;
	hot.last_nr_accesses = 18;
	young.age = DP_STABLE_AGE - 1;
	young.last_nr_accesses = 20;
	warm.age = 100;
	warm.last_nr_accesses = 17;
	for (sis = 100; sis < 100 + 8 * DP_STEADY_SAMPLE_EVERY; sis++) {
		nr[0] += dp_region_sampled(&idle, sis, &attrs);
		nr[1] += dp_region_sampled(&woken, sis, &attrs);
		nr[2] += dp_region_sampled(&hot, sis, &attrs);
		nr[3] += dp_region_sampled(&young, sis, &attrs);
		nr[4] += dp_region_sampled(&warm, sis, &attrs);
	}
	KUNIT_EXPECT_EQ(test, nr[0], 8U);
	KUNIT_EXPECT_EQ(test, nr[1], 8U * DP_STEADY_SAMPLE_EVERY);
	KUNIT_EXPECT_EQ(test, nr[2], 8U);
	KUNIT_EXPECT_EQ(test, nr[3], 8U * DP_STEADY_SAMPLE_EVERY);
	KUNIT_EXPECT_EQ(test, nr[4], 8U * DP_STEADY_SAMPLE_EVERY);

	/* A steady check counts for DP_STEADY_SAMPLE_EVERY, up to 20. */
	dp_account_check(&idle, true, false, &attrs);
	KUNIT_EXPECT_EQ(test, idle.nr_accesses, DP_STEADY_SAMPLE_EVERY);
	KUNIT_EXPECT_EQ(test, idle.nr_accesses_bp,
			DP_STEADY_SAMPLE_EVERY * DP_BP);
	for (i = 0; i < 20 / DP_STEADY_SAMPLE_EVERY + 1; i++)
		dp_account_check(&hot, true, false, &attrs);
	KUNIT_EXPECT_EQ(test, hot.nr_accesses, 20U);
	dp_account_check(&woken, true, false, &attrs);
	KUNIT_EXPECT_EQ(test, woken.nr_accesses, 1U);
	dp_account_check(&woken, false, false, &attrs);
	KUNIT_EXPECT_EQ(test, woken.nr_accesses, 1U);
}

/*
 * An idle region's check primes the next: that one, DP_STEADY_SAMPLE_EVERY
 * intervals later, looks at all of them and counts one access if it saw
 * one; a prime before a pause (@from_sis past it), of a kdamond before
 * (0), of another interval, or of a region that woke up is no prime; a
 * split piece keeps its prime only where its sample still lies in it.
 */
static void dp_test_primed_checks(struct kunit *test)
{
	struct dp_attrs attrs = {
		.sample_interval = 5000,
		.aggr_interval = 100000,	/* 20 samples */
	};
	struct dp_region idle = { .ar = { P(4), P(12) } };
	struct dp_target t;
	struct dp_region *l, *r;

	idle.idle_aggrs = DP_IDLE_AGGRS;
	KUNIT_EXPECT_TRUE(test, dp_region_primes(&idle));
	KUNIT_EXPECT_FALSE(test, dp_region_priming(&idle, 0));
	idle.primed_sis = 100;
	KUNIT_EXPECT_TRUE(test, dp_region_priming(&idle, 100));
	KUNIT_EXPECT_FALSE(test, dp_region_priming(&idle, 101));
	KUNIT_EXPECT_TRUE(test, dp_region_primed(&idle,
						 100 + DP_STEADY_SAMPLE_EVERY,
						 1));
	KUNIT_EXPECT_FALSE(test, dp_region_primed(&idle, 101, 1));
	KUNIT_EXPECT_FALSE(test, dp_region_primed(&idle,
						  100 + 2 * DP_STEADY_SAMPLE_EVERY,
						  1));
	KUNIT_EXPECT_FALSE(test, dp_region_primed(&idle,
						  100 + DP_STEADY_SAMPLE_EVERY,
						  101));
	idle.primed_sis = 0;
	KUNIT_EXPECT_FALSE(test, dp_region_primed(&idle, DP_STEADY_SAMPLE_EVERY,
						  0));
	idle.primed_sis = 100;
	idle.idle_aggrs = DP_IDLE_AGGRS - 1;
	KUNIT_EXPECT_FALSE(test, dp_region_primes(&idle));
	KUNIT_EXPECT_FALSE(test, dp_region_primed(&idle,
						  100 + DP_STEADY_SAMPLE_EVERY,
						  1));
	idle.idle_aggrs = DP_IDLE_AGGRS;

	/* A primed check that saw an access: one of its samples. */
	dp_account_check(&idle, true, true, &attrs);
	KUNIT_EXPECT_EQ(test, idle.nr_accesses, 1U);
	KUNIT_EXPECT_EQ(test, idle.nr_accesses_bp, DP_BP);
	dp_account_check(&idle, false, true, &attrs);
	KUNIT_EXPECT_EQ(test, idle.nr_accesses, 1U);

	dp_test_init_target(&t);
	r = dp_test_add(test, &t, P(4), P(12), 0, 0);
	r->sampling_addr = P(10);
	r->primed_sis = 100;
	dp_split_region_at(&t, r, P(4));
	KUNIT_ASSERT_EQ(test, t.nr_regions, 2U);
	l = dp_first_region(&t);
	r = list_next_entry(l, list);
	KUNIT_EXPECT_EQ(test, l->primed_sis, 0UL);
	KUNIT_EXPECT_EQ(test, r->primed_sis, 100UL);
	KUNIT_EXPECT_EQ(test, r->sampling_addr, P(10));
	dp_split_region_at(&t, r, P(3));
	r = list_next_entry(l, list);
	KUNIT_EXPECT_EQ(test, r->primed_sis, 100UL);
	KUNIT_EXPECT_EQ(test, list_next_entry(r, list)->primed_sis, 0UL);
	dp_destroy_regions(&t);
}

static struct kunit_case dp_regions_test_cases[] = {
	KUNIT_CASE(dp_test_set_regions_empty),
	KUNIT_CASE(dp_test_set_regions_invalid),
	KUNIT_CASE(dp_test_set_regions_keeps_history),
	KUNIT_CASE(dp_test_split_region_at),
	KUNIT_CASE(dp_test_split_regions_of),
	KUNIT_CASE(dp_test_split_aligned),
	KUNIT_CASE(dp_test_split_rests_settled),
	KUNIT_CASE(dp_test_merge_regions_of),
	KUNIT_CASE(dp_test_merge_counts_age),
	KUNIT_CASE(dp_test_merge_spans_holes),
	KUNIT_CASE(dp_test_merge_within_noise),
	KUNIT_CASE(dp_test_cut_region),
	KUNIT_CASE(dp_test_refit_keeps_holes),
	KUNIT_CASE(dp_test_access_rate),
	KUNIT_CASE(dp_test_steady_sampling),
	KUNIT_CASE(dp_test_primed_checks),
	{},
};

static struct kunit_suite dp_regions_test_suite = {
	.name = "damon_pause_regions",
	.test_cases = dp_regions_test_cases,
};

kunit_test_suite(dp_regions_test_suite);

#endif /* _DAMON_PAUSE_REGIONS_KUNIT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* KUnit suite for src/commit.c: what a commit keeps, changes and refuses. */
#ifndef _DAMON_PAUSE_COMMIT_KUNIT_H
#define _DAMON_PAUSE_COMMIT_KUNIT_H

#include <kunit/test.h>
#include <linux/sched.h>
#include "dp-kunit.h"

#define CP(n)	((unsigned long)(n) * PAGE_SIZE)

/* A target of @ctx with @pid and one region per range (given history). */
static struct dp_target *dp_test_commit_target(struct kunit *test,
					       struct dp_ctx *ctx,
					       struct pid *pid,
					       const struct dp_addr_range *r,
					       unsigned int nr,
					       unsigned int nr_accesses)
{
	struct dp_target *t = dp_new_target();
	struct dp_region *region;

	if (!t)
		kunit_skip(test, "out of memory");
	t->pid = get_pid(pid);
	dp_add_target(ctx, t);
	KUNIT_ASSERT_EQ(test, dp_set_regions(t, r, nr, DP_MIN_REGION), 0);
	dp_for_each_region(region, t) {
		region->nr_accesses = nr_accesses;
		region->last_nr_accesses = nr_accesses;
		region->nr_accesses_bp = nr_accesses * DP_BP;
		region->age = 6;
	}
	return t;
}

static struct dp_target *dp_test_nth_target(struct dp_ctx *ctx, int n)
{
	struct dp_target *t;

	dp_for_each_target(t, ctx)
		if (!n--)
			return t;
	return NULL;
}

static const struct dp_addr_range dp_test_r1[] = { { CP(0), CP(10) } };
static const struct dp_addr_range dp_test_r2[] = { { CP(20), CP(30) } };

/* Same pids, no ranges given: the trained regions stay as they are. */
static void dp_test_commit_keeps_state(struct kunit *test)
{
	struct dp_ctx *dst = dp_kunit_new_ctx(test);
	struct dp_ctx *src = dp_kunit_new_ctx(test);
	struct pid *me = get_task_pid(current, PIDTYPE_PID);
	struct dp_target *t;
	struct dp_region *r;

	t = dp_test_commit_target(test, dst, me, dp_test_r1, 1, 9);
	dp_split_region_at(t, dp_first_region(t), CP(4));
	dp_test_commit_target(test, src, me, NULL, 0, 0);
	src->pause = true;
	KUNIT_ASSERT_EQ(test, dp_commit_ctx(dst, src), 0);
	KUNIT_ASSERT_PTR_EQ(test, dp_test_nth_target(dst, 0), t);
	KUNIT_EXPECT_EQ(test, t->nr_regions, 2U);
	dp_for_each_region(r, t) {
		KUNIT_EXPECT_EQ(test, r->nr_accesses, 9U);
		KUNIT_EXPECT_EQ(test, r->age, 6U);
	}
	KUNIT_EXPECT_TRUE(test, dst->pause);
	put_pid(me);
}

/* Extra source targets are added, extra destination ones removed. */
static void dp_test_commit_adds_removes_targets(struct kunit *test)
{
	struct dp_ctx *dst = dp_kunit_new_ctx(test);
	struct dp_ctx *src = dp_kunit_new_ctx(test);
	struct pid *me = get_task_pid(current, PIDTYPE_PID);
	struct dp_target *t;

	dp_test_commit_target(test, dst, me, dp_test_r1, 1, 9);
	dp_test_commit_target(test, src, me, NULL, 0, 0);
	dp_test_commit_target(test, src, me, dp_test_r2, 1, 0);
	KUNIT_ASSERT_EQ(test, dp_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_EQ(test, dp_nr_targets(dst), 2U);
	t = dp_test_nth_target(dst, 1);
	KUNIT_EXPECT_PTR_EQ(test, t->pid, me);
	KUNIT_EXPECT_EQ(test, dp_first_region(t)->ar.start, CP(20));
	KUNIT_EXPECT_EQ(test, dp_first_region(t)->nr_accesses, 0U);
	/* The source keeps its own targets. */
	KUNIT_EXPECT_EQ(test, dp_nr_targets(src), 2U);

	dp_destroy_target(dp_test_nth_target(src, 1));
	KUNIT_ASSERT_EQ(test, dp_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_EQ(test, dp_nr_targets(dst), 1U);
	KUNIT_EXPECT_EQ(test, dp_first_region(dp_test_nth_target(dst, 0))->
			nr_accesses, 9U);
	put_pid(me);
}

/* New ranges refit the regions; overlapping parts keep their history. */
static void dp_test_commit_refits_ranges(struct kunit *test)
{
	const struct dp_addr_range wider[] = { { CP(5), CP(15) } };
	struct dp_ctx *dst = dp_kunit_new_ctx(test);
	struct dp_ctx *src = dp_kunit_new_ctx(test);
	struct dp_target *t;
	struct dp_region *r;

	dp_test_commit_target(test, dst, NULL, dp_test_r1, 1, 9);
	dp_test_commit_target(test, src, NULL, wider, 1, 0);
	KUNIT_ASSERT_EQ(test, dp_commit_ctx(dst, src), 0);
	t = dp_test_nth_target(dst, 0);
	KUNIT_ASSERT_EQ(test, t->nr_regions, 2U);
	r = dp_first_region(t);
	KUNIT_EXPECT_EQ(test, r->ar.start, CP(5));
	KUNIT_EXPECT_EQ(test, r->ar.end, CP(10));
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 9U);
	r = dp_next_region(r);
	KUNIT_EXPECT_EQ(test, r->ar.end, CP(15));
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 0U);
}

/* A different process in a target's place: its history is dropped. */
static void dp_test_commit_pid_change(struct kunit *test)
{
	struct dp_ctx *dst = dp_kunit_new_ctx(test);
	struct dp_ctx *src = dp_kunit_new_ctx(test);
	struct pid *me = get_task_pid(current, PIDTYPE_PID);
	struct pid *init = find_get_pid(1);
	struct dp_target *t;

	if (!init) {
		put_pid(me);
		kunit_skip(test, "no init process");
	}
	dp_test_commit_target(test, dst, me, dp_test_r1, 1, 9);
	dp_test_commit_target(test, src, init, NULL, 0, 0);
	KUNIT_ASSERT_EQ(test, dp_commit_ctx(dst, src), 0);
	t = dp_test_nth_target(dst, 0);
	KUNIT_EXPECT_PTR_EQ(test, t->pid, init);
	KUNIT_EXPECT_EQ(test, t->nr_regions, 0U);
	put_pid(init);
	put_pid(me);
}

/* Longer intervals: nr_accesses and age are converted, not kept. */
static void dp_test_commit_rescales(struct kunit *test)
{
	struct dp_ctx *dst = dp_kunit_new_ctx(test);
	struct dp_ctx *src = dp_kunit_new_ctx(test);
	struct dp_region *r;

	dp_test_commit_target(test, dst, NULL, dp_test_r1, 1, 10);
	dp_test_commit_target(test, src, NULL, NULL, 0, 0);
	dst->passed_sample_intervals = 1000;
	/* 5 ms / 100 ms: max 20. Now 5 ms / 200 ms: max 40. */
	src->attrs.aggr_interval = 200 * USEC_PER_MSEC;
	KUNIT_ASSERT_EQ(test, dp_commit_ctx(dst, src), 0);
	r = dp_first_region(dp_test_nth_target(dst, 0));
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 20U);
	KUNIT_EXPECT_EQ(test, r->last_nr_accesses, 20U);
	KUNIT_EXPECT_EQ(test, r->nr_accesses_bp, 20U * DP_BP);
	KUNIT_EXPECT_EQ(test, r->age, 3U);
	KUNIT_EXPECT_EQ(test, dst->attrs.aggr_interval, 200 * USEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, dst->next_aggregation_sis, 1040UL);

	/* Unchanged intervals: nothing is converted, no deadline moves. */
	dst->next_aggregation_sis = 1010;
	KUNIT_ASSERT_EQ(test, dp_commit_ctx(dst, src), 0);
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 20U);
	KUNIT_EXPECT_EQ(test, dst->next_aggregation_sis, 1010UL);
}

/*
 * Refused commits change nothing: bad attributes, and bad ranges in the
 * second target after the first one's refit was already prepared.
 */
static void dp_test_commit_refused_changes_nothing(struct kunit *test)
{
	const struct dp_addr_range overlap[] = {
		{ CP(40), CP(50) }, { CP(45), CP(60) },
	};
	const struct dp_addr_range moved[] = { { CP(2), CP(3) } };
	struct dp_ctx *dst = dp_kunit_new_ctx(test);
	struct dp_ctx *src = dp_kunit_new_ctx(test);
	struct dp_region *r;

	dp_test_commit_target(test, dst, NULL, dp_test_r1, 1, 9);
	dp_test_commit_target(test, dst, NULL, dp_test_r2, 1, 4);
	dp_test_commit_target(test, src, NULL, moved, 1, 0);
	dp_test_commit_target(test, src, NULL, NULL, 0, 0);
	src->pause = true;

	src->attrs.sample_interval = src->attrs.aggr_interval + 1;
	KUNIT_EXPECT_EQ(test, dp_commit_ctx(dst, src), -EINVAL);
	src->attrs = dst->attrs;
	src->attrs.min_nr_regions = 2;
	KUNIT_EXPECT_EQ(test, dp_commit_ctx(dst, src), -EINVAL);
	src->attrs = dst->attrs;

	/* Ranges given as regions that overlap: refused at fitting. */
	KUNIT_ASSERT_EQ(test, dp_set_regions(dp_test_nth_target(src, 1),
					     overlap, 1, DP_MIN_REGION), 0);
	r = dp_new_region(overlap[1].start, overlap[1].end);
	if (!r)
		kunit_skip(test, "out of memory");
	dp_add_region(r, dp_test_nth_target(src, 1));
	KUNIT_EXPECT_EQ(test, dp_commit_ctx(dst, src), -EINVAL);

	KUNIT_EXPECT_FALSE(test, dst->pause);
	KUNIT_EXPECT_EQ(test, dp_nr_targets(dst), 2U);
	r = dp_first_region(dp_test_nth_target(dst, 0));
	KUNIT_EXPECT_EQ(test, r->ar.start, CP(0));
	KUNIT_EXPECT_EQ(test, r->ar.end, CP(10));
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 9U);
	r = dp_first_region(dp_test_nth_target(dst, 1));
	KUNIT_EXPECT_EQ(test, r->ar.start, CP(20));
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 4U);
}

/*
 * An obsolete target removes the running one at its position, and the
 * targets after it keep their history; one past the running targets is
 * refused, with nothing changed.
 */
static void dp_test_commit_obsolete_target(struct kunit *test)
{
	struct dp_ctx *dst = dp_kunit_new_ctx(test);
	struct dp_ctx *src = dp_kunit_new_ctx(test);
	struct pid *me = get_task_pid(current, PIDTYPE_PID);
	struct dp_target *t0, *t2;

	t0 = dp_test_commit_target(test, dst, me, dp_test_r1, 1, 3);
	dp_test_commit_target(test, dst, me, dp_test_r1, 1, 5);
	t2 = dp_test_commit_target(test, dst, me, dp_test_r2, 1, 7);
	dp_test_commit_target(test, src, me, NULL, 0, 0);
	dp_test_commit_target(test, src, me, NULL, 0, 0)->obsolete = true;
	dp_test_commit_target(test, src, me, NULL, 0, 0);
	KUNIT_ASSERT_EQ(test, dp_commit_ctx(dst, src), 0);
	KUNIT_ASSERT_EQ(test, dp_nr_targets(dst), 2U);
	KUNIT_EXPECT_PTR_EQ(test, dp_test_nth_target(dst, 0), t0);
	KUNIT_EXPECT_PTR_EQ(test, dp_test_nth_target(dst, 1), t2);
	KUNIT_EXPECT_EQ(test, dp_first_region(t2)->nr_accesses, 7U);
	KUNIT_EXPECT_EQ(test, dp_first_region(t2)->ar.start, CP(20));

	/* Two running targets, the third of the source obsolete. */
	dp_test_nth_target(src, 1)->obsolete = false;
	dp_test_nth_target(src, 2)->obsolete = true;
	KUNIT_EXPECT_EQ(test, dp_commit_ctx(dst, src), -EINVAL);
	KUNIT_EXPECT_EQ(test, dp_nr_targets(dst), 2U);
	KUNIT_EXPECT_EQ(test, dp_first_region(t2)->nr_accesses, 7U);
	put_pid(me);
}

static struct kunit_case dp_commit_test_cases[] = {
	KUNIT_CASE(dp_test_commit_keeps_state),
	KUNIT_CASE(dp_test_commit_adds_removes_targets),
	KUNIT_CASE(dp_test_commit_refits_ranges),
	KUNIT_CASE(dp_test_commit_pid_change),
	KUNIT_CASE(dp_test_commit_rescales),
	KUNIT_CASE(dp_test_commit_refused_changes_nothing),
	KUNIT_CASE(dp_test_commit_obsolete_target),
	{},
};

static struct kunit_suite dp_commit_test_suite = {
	.name = "damon_pause_commit",
	.test_cases = dp_commit_test_cases,
};

kunit_test_suite(dp_commit_test_suite);

#endif /* _DAMON_PAUSE_COMMIT_KUNIT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* KUnit suite for src/intervals.c: the intervals auto-tuning rule. */
#ifndef _DAMON_PAUSE_INTERVALS_KUNIT_H
#define _DAMON_PAUSE_INTERVALS_KUNIT_H

#include <kunit/test.h>
#include "dp-kunit.h"

#define dp_test_intervals_target(ctx) \
	list_first_entry(&(ctx)->targets, struct dp_target, list)

/*
 * A context sampling every 5 ms and aggregating every 100 ms (20 samples),
 * with one target of two 10-page regions: the first seen accessed in
 * @hot_samples of the 20 samples, the other never; both 8 aggregations old.
 */
static struct dp_ctx *dp_test_intervals_ctx(struct kunit *test,
					    unsigned int hot_samples)
{
	const struct dp_addr_range ranges[] = {
		{ 0, 10 * PAGE_SIZE }, { 10 * PAGE_SIZE, 20 * PAGE_SIZE },
	};
	struct dp_ctx *ctx = dp_kunit_new_ctx(test);
	struct dp_target *t = dp_kunit_add_target(test, ctx, ranges, 2);
	struct dp_region *r;

	ctx->attrs.sample_interval = 5000;
	ctx->attrs.aggr_interval = 100000;
	ctx->attrs.intervals_goal = (struct dp_intervals_goal){
		.access_bp = 5000, .aggrs = 1,
		.min_sample_us = 1000, .max_sample_us = 20000,
	};
	dp_for_each_region(r, t)
		r->age = 8;
	dp_first_region(t)->nr_accesses = hot_samples;
	return ctx;
}

static void dp_test_intervals_score(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_intervals_ctx(test, 20);

	/* 200 of 400 page-samples seen, 50% wanted: the goal exactly. */
	KUNIT_EXPECT_EQ(test, dp_intervals_score(ctx), 10000UL);
	ctx->attrs.intervals_goal.access_bp = 2500;
	KUNIT_EXPECT_EQ(test, dp_intervals_score(ctx), 20000UL);
	ctx->attrs.intervals_goal.access_bp = 10000;
	KUNIT_EXPECT_EQ(test, dp_intervals_score(ctx), 5000UL);
	dp_first_region(dp_test_intervals_target(ctx))->nr_accesses = 0;
	KUNIT_EXPECT_EQ(test, dp_intervals_score(ctx), 0UL);
	/* A goal of nothing is reached by anything. */
	ctx->attrs.intervals_goal.access_bp = 0;
	KUNIT_EXPECT_EQ(test, dp_intervals_score(ctx), 0UL);
}

static void dp_test_intervals_adaptation(struct kunit *test)
{
	/* At the goal nothing changes; nothing seen doubles the interval. */
	KUNIT_EXPECT_EQ(test, dp_intervals_adaptation_bp(10000), 10000UL);
	KUNIT_EXPECT_EQ(test, dp_intervals_adaptation_bp(0), 20000UL);
	KUNIT_EXPECT_EQ(test, dp_intervals_adaptation_bp(5000), 15000UL);
	/* Shrinking is halved: never below half in one step. */
	KUNIT_EXPECT_EQ(test, dp_intervals_adaptation_bp(15000), 7500UL);
	KUNIT_EXPECT_EQ(test, dp_intervals_adaptation_bp(20000), 5000UL);
	KUNIT_EXPECT_EQ(test, dp_intervals_adaptation_bp(1000000), 5000UL);
}

static void dp_test_intervals_tune(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_intervals_ctx(test, 0);
	struct dp_region *r;

	/* Nothing seen: the intervals double, keeping 20 samples... */
	dp_tune_intervals(ctx);
	KUNIT_EXPECT_EQ(test, ctx->attrs.sample_interval, 10000UL);
	KUNIT_EXPECT_EQ(test, ctx->attrs.aggr_interval, 200000UL);
	/* ... and ages keep their time: 8 of 100 ms are 4 of 200 ms. */
	dp_for_each_region(r, dp_test_intervals_target(ctx))
		KUNIT_EXPECT_EQ(test, r->age, 4U);
	dp_tune_intervals(ctx);
	KUNIT_EXPECT_EQ(test, ctx->attrs.sample_interval, 20000UL);
	/* ... up to max_sample_us. */
	dp_tune_intervals(ctx);
	KUNIT_EXPECT_EQ(test, ctx->attrs.sample_interval, 20000UL);
	KUNIT_EXPECT_EQ(test, ctx->attrs.aggr_interval, 400000UL);

	/* Everything seen, against a 50% goal: halved, down to the minimum. */
	dp_first_region(dp_test_intervals_target(ctx))->nr_accesses = 20;
	dp_last_region(dp_test_intervals_target(ctx))->nr_accesses = 20;
	dp_tune_intervals(ctx);
	KUNIT_EXPECT_EQ(test, ctx->attrs.sample_interval, 10000UL);
	KUNIT_EXPECT_EQ(test, ctx->attrs.aggr_interval, 200000UL);
	ctx->attrs.intervals_goal.min_sample_us = 8000;
	dp_tune_intervals(ctx);
	KUNIT_EXPECT_EQ(test, ctx->attrs.sample_interval, 8000UL);
	KUNIT_EXPECT_EQ(test, ctx->attrs.aggr_interval, 160000UL);
}

/*
 * Everything seen, again and again, with a min_sample_us of 0: the
 * sampling interval shrinks, but never to nothing, where the kdamond
 * would spin (issue 25, item 11); one set shorter by the user is not
 * lengthened.
 */
static void dp_test_intervals_no_spin(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_intervals_ctx(test, 20);
	int i;

	dp_last_region(dp_test_intervals_target(ctx))->nr_accesses = 20;
	ctx->attrs.intervals_goal.min_sample_us = 0;
	for (i = 0; i < 40; i++)
		dp_tune_intervals(ctx);
	KUNIT_EXPECT_GE(test, ctx->attrs.sample_interval, 100UL);
	KUNIT_EXPECT_LT(test, ctx->attrs.sample_interval, 200UL);
	KUNIT_EXPECT_EQ(test, ctx->attrs.aggr_interval,
			20 * ctx->attrs.sample_interval);
	ctx->attrs.sample_interval = 40;
	ctx->attrs.aggr_interval = 800;
	dp_tune_intervals(ctx);
	KUNIT_EXPECT_EQ(test, ctx->attrs.sample_interval, 40UL);
}

/* What came due while a kdamond's deadlines were stepped through. */
struct dp_test_intervals_run {
	unsigned int nr_updates;	/* ops updates */
	unsigned int nr_applies;	/* applications of the scheme */
	u64 first_update_us;		/* when the first ops update came */
};

/*
 * @us of sampling, as kdamond_sample() goes through it: the scheme's
 * application, at an aggregation the tuning when due, then the ops update.
 */
static void dp_test_intervals_step(struct dp_ctx *ctx, struct dp_scheme *s,
				   u64 us, struct dp_test_intervals_run *run)
{
	const struct dp_attrs *attrs = &ctx->attrs;
	u64 now = 0;

	memset(run, 0, sizeof(*run));
	ctx->passed_sample_intervals = 0;
	dp_restart_deadlines(ctx);
	while (now < us) {
		now += attrs->sample_interval;
		ctx->passed_sample_intervals++;
		if (ctx->passed_sample_intervals >= s->next_apply_sis) {
			run->nr_applies++;
			s->next_apply_sis = ctx->passed_sample_intervals +
				s->apply_interval_us / attrs->sample_interval;
		}
		if (ctx->passed_sample_intervals >= ctx->next_aggregation_sis) {
			if (ctx->passed_sample_intervals >=
			    ctx->next_intervals_tune_sis)
				dp_tune_intervals(ctx);
			ctx->next_aggregation_sis = ctx->passed_sample_intervals +
				attrs->aggr_interval / attrs->sample_interval;
		}
		if (ctx->passed_sample_intervals >= ctx->next_ops_update_sis) {
			if (!run->nr_updates++)
				run->first_update_us = now;
			ctx->next_ops_update_sis = ctx->passed_sample_intervals +
				attrs->ops_update_interval /
				attrs->sample_interval;
		}
	}
}

/*
 * Tuning every 3 aggregations (300 ms) never puts off the ops update nor a
 * scheme's application, both due every second (issue 25, item 3): whether
 * the step changes the intervals or not, each comes about every second.
 */
static void dp_test_intervals_deadlines_kept(struct kunit *test)
{
	struct dp_test_intervals_run run;
	struct dp_scheme *s = dp_new_scheme();
	struct dp_ctx *ctx;
	int hot;

	if (!s)
		kunit_skip(test, "out of memory");
	for (hot = 20; hot >= 0; hot -= 20) {
		/* 20: at the goal, nothing changes; 0: the intervals grow. */
		ctx = dp_test_intervals_ctx(test, hot);
		if (hot)
			list_add_tail(&s->list, &ctx->schemes);
		else
			list_move_tail(&s->list, &ctx->schemes);
		s->apply_interval_us = USEC_PER_SEC;
		ctx->attrs.ops_update_interval = USEC_PER_SEC;
		ctx->attrs.intervals_goal.aggrs = 3;
		dp_test_intervals_step(ctx, s, 5 * USEC_PER_SEC, &run);
		kunit_info(test, "%d of 20 accessed: %u ops updates (the first at %llu ms) and %u applications in 5 s; sampling every %lu us",
			   hot, run.nr_updates,
			   div_u64(run.first_update_us, USEC_PER_MSEC),
			   run.nr_applies, ctx->attrs.sample_interval);
		KUNIT_EXPECT_GE(test, run.nr_updates, 4U);
		KUNIT_EXPECT_LE(test, run.first_update_us,
				(u64)USEC_PER_SEC + 20 * USEC_PER_MSEC);
		KUNIT_EXPECT_GE(test, run.nr_applies, 4U);
	}
	/* The context that holds it frees it. */
}

static void dp_test_intervals_goal_valid(struct kunit *test)
{
	struct dp_attrs attrs = {
		.sample_interval = 5000, .aggr_interval = 100000,
		.min_nr_regions = 10, .max_nr_regions = 1000,
	};

	/* aggrs 0: no tuning, the other fields do not matter. */
	attrs.intervals_goal.min_sample_us = 9000;
	KUNIT_EXPECT_EQ(test, dp_attrs_valid(&attrs), 0);
	attrs.intervals_goal.aggrs = 3;
	KUNIT_EXPECT_EQ(test, dp_attrs_valid(&attrs), -EINVAL);
	attrs.intervals_goal.min_sample_us = 5000;
	attrs.intervals_goal.max_sample_us = 4999;
	KUNIT_EXPECT_EQ(test, dp_attrs_valid(&attrs), -EINVAL);
	attrs.intervals_goal.max_sample_us = 5000;
	KUNIT_EXPECT_EQ(test, dp_attrs_valid(&attrs), 0);
}

static struct kunit_case dp_intervals_test_cases[] = {
	KUNIT_CASE(dp_test_intervals_score),
	KUNIT_CASE(dp_test_intervals_adaptation),
	KUNIT_CASE(dp_test_intervals_tune),
	KUNIT_CASE(dp_test_intervals_deadlines_kept),
	KUNIT_CASE(dp_test_intervals_no_spin),
	KUNIT_CASE(dp_test_intervals_goal_valid),
	{},
};

static struct kunit_suite dp_intervals_test_suite = {
	.name = "damon_pause_intervals",
	.test_cases = dp_intervals_test_cases,
};

kunit_test_suite(dp_intervals_test_suite);

#endif /* _DAMON_PAUSE_INTERVALS_KUNIT_H */

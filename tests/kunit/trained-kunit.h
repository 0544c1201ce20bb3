/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit suite for src/trained.c: a trained state taken from a context and
 * restored into another, and the restores refused with nothing changed.
 */
#ifndef _DAMON_PAUSE_TRAINED_KUNIT_H
#define _DAMON_PAUSE_TRAINED_KUNIT_H

#include <kunit/test.h>
#include "dp-kunit.h"
#include <linux/sched.h>

#define TP(n)	((unsigned long)(n) * PAGE_SIZE)

static void dp_test_trained_state_release(void *data)
{
	dp_trained_free(data);
}

/*
 * A stopped context with a target of @pid over pages [0, 100) in @nr
 * regions, their counts numbered after their index, and a pageout scheme.
 */
static struct dp_ctx *dp_test_trained_ctx(struct kunit *test, struct pid *pid,
					  unsigned int nr)
{
	struct dp_addr_range range = { TP(0), TP(100) };
	struct dp_ctx *ctx = dp_kunit_new_ctx(test);
	struct dp_target *t = dp_kunit_add_target(test, ctx, NULL, 0);
	struct dp_scheme *s;
	struct dp_region *r;
	unsigned int i = 0;

	t->pid = get_pid(pid);
	/* Each in the context at once, which frees it. */
	s = dp_new_scheme();
	if (!s)
		kunit_skip(test, "out of memory");
	list_add_tail(&s->list, &ctx->schemes);
	s->action = DP_ACT_PAGEOUT;
	KUNIT_ASSERT_EQ(test, dp_set_regions(t, &range, 1, DP_MIN_REGION), 0);
	for (i = 1; i < nr; i++)
		dp_split_region_at(t, dp_last_region(t), TP(100 / nr));
	i = 0;
	dp_for_each_region(r, t) {
		r->nr_accesses = i % 21;
		r->last_nr_accesses = (i + 1) % 21;
		r->nr_accesses_bp = (i % 21) * DP_BP;
		r->age = 100 + i;
		r->idle_aggrs = i % (DP_IDLE_AGGRS + 1);
		r->probe_hits[1] = i;
		i++;
	}
	s->quota.esz = 12345;
	s->quota.esz_bp = 123450000;
	s->quota.min_score = 17;
	ctx->passed_sample_intervals = 100;
	ctx->next_aggregation_sis = 107;
	return ctx;
}

static struct dp_target *dp_first_target(struct dp_ctx *ctx)
{
	return list_first_entry(&ctx->targets, struct dp_target, list);
}

static struct dp_trained *dp_test_trained_take(struct kunit *test,
					       struct dp_ctx *ctx)
{
	struct dp_trained *tr = dp_trained_take(ctx);

	if (!tr || kunit_add_action_or_reset(test,
					     dp_test_trained_state_release, tr))
		kunit_skip(test, "out of memory");
	return tr;
}

/* A fresh context of the same shape: the same target, no history. */
static struct dp_ctx *dp_test_trained_fresh(struct kunit *test,
					    struct pid *pid)
{
	struct dp_ctx *ctx = dp_test_trained_ctx(test, pid, 1);
	struct dp_scheme *s;

	dp_first_region(dp_first_target(ctx))->age = 0;
	dp_first_region(dp_first_target(ctx))->nr_accesses = 0;
	dp_for_each_scheme(s, ctx)
		s->quota.esz = 0;
	return ctx;
}

static void dp_test_trained_restores(struct kunit *test)
{
	struct pid *me = task_pid(current);
	struct dp_ctx *old = dp_test_trained_ctx(test, me, 10);
	struct dp_trained *tr = dp_test_trained_take(test, old);
	struct dp_ctx *ctx = dp_test_trained_fresh(test, me);
	struct dp_region *r, *o;
	struct dp_target *t = dp_first_target(ctx);
	struct dp_scheme *s = list_first_entry(&ctx->schemes,
					       struct dp_scheme, list);

	KUNIT_EXPECT_EQ(test, tr->aggr_left, 7UL);
	KUNIT_EXPECT_EQ(test, tr->targets[0].pid, pid_nr(me));
	KUNIT_ASSERT_EQ(test, dp_trained_restore(ctx, tr), 0);
	KUNIT_ASSERT_EQ(test, t->nr_regions, 10U);
	o = dp_first_region(dp_first_target(old));
	dp_for_each_region(r, t) {
		KUNIT_EXPECT_EQ(test, r->ar.start, o->ar.start);
		KUNIT_EXPECT_EQ(test, r->ar.end, o->ar.end);
		KUNIT_EXPECT_EQ(test, r->nr_accesses, o->nr_accesses);
		KUNIT_EXPECT_EQ(test, r->nr_accesses_bp, o->nr_accesses_bp);
		KUNIT_EXPECT_EQ(test, r->last_nr_accesses, o->last_nr_accesses);
		KUNIT_EXPECT_EQ(test, r->age, o->age);
		KUNIT_EXPECT_EQ(test, r->idle_aggrs, o->idle_aggrs);
		KUNIT_EXPECT_EQ(test, r->probe_hits[1], o->probe_hits[1]);
		o = dp_next_region(o);
	}
	KUNIT_EXPECT_EQ(test, s->quota.esz, 12345UL);
	KUNIT_EXPECT_EQ(test, s->quota.esz_bp, 123450000UL);
	KUNIT_EXPECT_EQ(test, s->quota.min_score, 17U);
	KUNIT_EXPECT_EQ(test, ctx->restored_aggr_left, 7UL);
}

/* Counts taken at 5 ms / 100 ms go on at 10 ms / 100 ms: halved. */
static void dp_test_trained_rescales(struct kunit *test)
{
	struct pid *me = task_pid(current);
	struct dp_ctx *old = dp_test_trained_ctx(test, me, 4);
	struct dp_trained *tr = dp_test_trained_take(test, old);
	struct dp_ctx *ctx = dp_test_trained_fresh(test, me);
	struct dp_region *r;

	ctx->attrs.sample_interval = 10000;
	KUNIT_ASSERT_EQ(test, dp_trained_restore(ctx, tr), 0);
	r = dp_next_region(dp_first_region(dp_first_target(ctx)));
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 0U);	/* 1 / 2 */
	KUNIT_EXPECT_EQ(test, r->last_nr_accesses, 1U);	/* 2 / 2 */
	KUNIT_EXPECT_EQ(test, r->age, 101U);		/* same aggr_us */
	/* 7 sampling intervals of 5 ms are 3 of 10 ms. */
	KUNIT_EXPECT_EQ(test, ctx->restored_aggr_left, 3UL);
}

/* With intervals tuning, the tuned intervals come back, within bounds. */
static void dp_test_trained_tuned_intervals(struct kunit *test)
{
	struct pid *me = task_pid(current);
	struct dp_ctx *old = dp_test_trained_ctx(test, me, 4);
	struct dp_ctx *ctx = dp_test_trained_fresh(test, me);
	struct dp_ctx *narrow = dp_test_trained_fresh(test, me);
	struct dp_trained *tr;

	old->attrs.sample_interval = 2000;
	old->attrs.aggr_interval = 40000;
	tr = dp_test_trained_take(test, old);
	ctx->attrs.intervals_goal = (struct dp_intervals_goal){
		.access_bp = 400, .aggrs = 3,
		.min_sample_us = 1000, .max_sample_us = 10000,
	};
	KUNIT_ASSERT_EQ(test, dp_trained_restore(ctx, tr), 0);
	KUNIT_EXPECT_EQ(test, ctx->attrs.sample_interval, 2000UL);
	KUNIT_EXPECT_EQ(test, ctx->attrs.aggr_interval, 40000UL);
	/* Counts of the same intervals: as they were. */
	KUNIT_EXPECT_EQ(test, dp_first_region(dp_first_target(ctx))->age,
			100U);

	narrow->attrs.intervals_goal = ctx->attrs.intervals_goal;
	narrow->attrs.intervals_goal.min_sample_us = 3000;
	KUNIT_EXPECT_EQ(test, dp_trained_restore(narrow, tr), -EINVAL);
	KUNIT_EXPECT_EQ(test, narrow->attrs.sample_interval, 5000UL);
}

/* Each misfit is refused, and the context keeps its one fresh region. */
static void dp_test_trained_refuses(struct kunit *test)
{
	struct pid *me = task_pid(current);
	struct dp_ctx *old = dp_test_trained_ctx(test, me, 10);
	struct dp_trained *tr = dp_test_trained_take(test, old);
	struct dp_trained_region *regions = tr->targets[0].regions;
	struct dp_ctx *ctx = dp_test_trained_fresh(test, me);
	struct dp_trained_region saved;
	int i;

	/* Another process. */
	tr->targets[0].pid++;
	KUNIT_EXPECT_EQ(test, dp_trained_restore(ctx, tr), -EINVAL);
	tr->targets[0].pid--;
	/* More regions than max_nr_regions. */
	ctx->attrs.max_nr_regions = 9;
	KUNIT_EXPECT_EQ(test, dp_trained_restore(ctx, tr), -EINVAL);
	ctx->attrs.max_nr_regions = 1000;
	/* Outside the target's ranges, overlapping, empty, unaligned. */
	for (i = 0; i < 5; i++) {
		saved = regions[5];
		switch (i) {
		case 0:
			regions[9].ar.end = TP(101);
			break;
		case 1:
			regions[5].ar.start = regions[4].ar.start;
			break;
		case 2:
			regions[5].ar.end = regions[5].ar.start;
			break;
		case 3:
			regions[5].ar.start++;
			break;
		case 4:
			regions[5].nr_accesses = 21;
			break;
		}
		KUNIT_EXPECT_EQ_MSG(test, dp_trained_restore(ctx, tr), -EINVAL,
				    "misfit %d", i);
		regions[5] = saved;
		regions[9].ar.end = TP(100);
	}
	/* Another action, another number of schemes. */
	tr->schemes[0].action = DP_ACT_COLD;
	KUNIT_EXPECT_EQ(test, dp_trained_restore(ctx, tr), -EINVAL);
	tr->schemes[0].action = DP_ACT_PAGEOUT;
	tr->nr_schemes = 0;
	KUNIT_EXPECT_EQ(test, dp_trained_restore(ctx, tr), -EINVAL);
	tr->nr_schemes = 1;

	KUNIT_EXPECT_EQ(test, dp_first_target(ctx)->nr_regions, 1U);
	KUNIT_EXPECT_EQ(test, dp_first_region(dp_first_target(ctx))->age, 0U);
	KUNIT_EXPECT_EQ(test, ctx->restored_aggr_left, 0UL);
	/* And then, fitting again, it is taken. */
	KUNIT_EXPECT_EQ(test, dp_trained_restore(ctx, tr), 0);
	KUNIT_EXPECT_EQ(test, dp_first_target(ctx)->nr_regions, 10U);
}

static void dp_test_trained_va_update(struct dp_ctx *ctx)
{
}

/*
 * vaddr with a unit of 512 pages (the supervisor's): regions meet on the
 * unit, the edges of what is monitored (the mappings' ends) lie on pages.
 */
static void dp_test_trained_va_edges(struct kunit *test)
{
	static const struct dp_addr_range fit[] = {
		{ TP(1), TP(512) }, { TP(512), TP(1024) }, { TP(1100), TP(1537) },
	};
	struct pid *me = task_pid(current);
	struct dp_ctx *ctx = dp_test_trained_fresh(test, me);
	struct dp_trained *tr = dp_trained_alloc(1, 1);
	struct dp_trained_region *r;
	int i;

	if (!tr || kunit_add_action_or_reset(test,
					     dp_test_trained_state_release, tr) ||
	    dp_trained_alloc_regions(&tr->targets[0], ARRAY_SIZE(fit)))
		kunit_skip(test, "out of memory");
	ctx->ops.update = dp_test_trained_va_update;
	ctx->min_region_sz = TP(512);
	tr->sample_us = ctx->attrs.sample_interval;
	tr->aggr_us = ctx->attrs.aggr_interval;
	tr->targets[0].pid = pid_nr(me);
	tr->schemes[0].action = DP_ACT_PAGEOUT;
	r = tr->targets[0].regions;
	for (i = 0; i < ARRAY_SIZE(fit); i++)
		r[i].ar = fit[i];
	/* Where two meet, off the unit; an edge off a page. */
	r[0].ar.end = TP(600);
	r[1].ar.start = TP(600);
	KUNIT_EXPECT_EQ(test, dp_trained_restore(ctx, tr), -EINVAL);
	r[0].ar.end = TP(512);
	r[1].ar.start = TP(512);
	r[2].ar.end++;
	KUNIT_EXPECT_EQ(test, dp_trained_restore(ctx, tr), -EINVAL);
	r[2].ar.end--;
	KUNIT_EXPECT_EQ(test, dp_first_target(ctx)->nr_regions, 1U);
	KUNIT_ASSERT_EQ(test, dp_trained_restore(ctx, tr), 0);
	KUNIT_EXPECT_EQ(test, dp_first_target(ctx)->nr_regions, 3U);
	KUNIT_EXPECT_EQ(test, dp_first_region(dp_first_target(ctx))->ar.start,
			TP(1));
	KUNIT_EXPECT_EQ(test, dp_last_region(dp_first_target(ctx))->ar.end,
			TP(1537));
}

static struct kunit_case dp_trained_test_cases[] = {
	KUNIT_CASE(dp_test_trained_restores),
	KUNIT_CASE(dp_test_trained_rescales),
	KUNIT_CASE(dp_test_trained_tuned_intervals),
	KUNIT_CASE(dp_test_trained_refuses),
	KUNIT_CASE(dp_test_trained_va_edges),
	{},
};

static struct kunit_suite dp_trained_test_suite = {
	.name = "damon_pause_trained",
	.test_cases = dp_trained_test_cases,
};

kunit_test_suite(dp_trained_test_suite);

#endif /* _DAMON_PAUSE_TRAINED_KUNIT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit suite for src/schemes.c: pattern matching, scores, the quota
 * feedback loop and charging, prioritisation, watermarks and filters,
 * driven through dp_apply_schemes() with fake operations that record what
 * they were asked to apply.
 */
#ifndef _DAMON_PAUSE_SCHEMES_KUNIT_H
#define _DAMON_PAUSE_SCHEMES_KUNIT_H

#include <kunit/test.h>
#include "dp-kunit.h"

/* What the fake apply_scheme saw. */
static struct {
	unsigned int nr;
	struct dp_addr_range applied[64];
} dp_test_applied;

static unsigned long dp_test_apply(struct dp_ctx *ctx, struct dp_target *t,
				   struct dp_region *r, struct dp_scheme *s)
{
	if (dp_test_applied.nr < ARRAY_SIZE(dp_test_applied.applied))
		dp_test_applied.applied[dp_test_applied.nr++] = r->ar;
	return dp_sz_region(r);
}

/* The operations' score of a test context: upstream's hotness. */
static int dp_test_ops_score(struct dp_ctx *ctx, struct dp_target *t,
			     struct dp_region *r, struct dp_scheme *s)
{
	return dp_hot_score(ctx, r, s);
}

/*
 * A stopped context whose one target has @nr regions of @pages pages each,
 * region i with nr_accesses @freq[i] (NULL: 0) and age i.
 */
static struct dp_ctx *dp_test_schemes_ctx(struct kunit *test, int nr,
					  unsigned long pages,
					  const unsigned int *freq)
{
	struct dp_ctx *ctx = dp_kunit_new_ctx(test);
	struct dp_target *t = dp_kunit_add_target(test, ctx, NULL, 0);
	int i;

	for (i = 0; i < nr; i++) {
		struct dp_region *r = dp_new_region(i * pages * PAGE_SIZE,
						    (i + 1) * pages * PAGE_SIZE);

		KUNIT_ASSERT_NOT_NULL(test, r);
		r->nr_accesses = freq ? freq[i] : 0;
		r->nr_accesses_bp = r->nr_accesses * DP_BP;
		r->age = i;
		dp_add_region(r, t);
	}
	ctx->ops.apply_scheme = dp_test_apply;
	ctx->ops.get_scheme_score = dp_test_ops_score;
	memset(&dp_test_applied, 0, sizeof(dp_test_applied));
	return ctx;
}

static struct dp_scheme *dp_test_add_scheme(struct kunit *test,
					    struct dp_ctx *ctx,
					    enum dp_action action)
{
	struct dp_scheme *s = dp_new_scheme();

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->action = action;
	list_add_tail(&s->list, &ctx->schemes);
	return s;
}

static void dp_test_pattern_match(struct kunit *test)
{
	struct dp_region r = { .ar = { 0, 4 * PAGE_SIZE },
			       .nr_accesses_bp = 5 * DP_BP, .age = 3 };
	struct dp_scheme *s = dp_new_scheme();

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_TRUE(test, dp_scheme_pattern_match(&r, s));
	s->pattern.min_sz = 4 * PAGE_SIZE;
	s->pattern.max_sz = 4 * PAGE_SIZE;
	s->pattern.min_nr_accesses = 5;
	s->pattern.max_nr_accesses = 5;
	s->pattern.min_age = 3;
	s->pattern.max_age = 3;
	KUNIT_EXPECT_TRUE(test, dp_scheme_pattern_match(&r, s));
	/* The frequency is the moving one, not the count so far. */
	r.nr_accesses = 20;
	KUNIT_EXPECT_TRUE(test, dp_scheme_pattern_match(&r, s));
	r.nr_accesses_bp = 6 * DP_BP;
	KUNIT_EXPECT_FALSE(test, dp_scheme_pattern_match(&r, s));
	r.nr_accesses_bp = 5 * DP_BP;
	r.age = 4;
	KUNIT_EXPECT_FALSE(test, dp_scheme_pattern_match(&r, s));
	r.age = 3;
	r.ar.end += PAGE_SIZE;
	KUNIT_EXPECT_FALSE(test, dp_scheme_pattern_match(&r, s));
	dp_destroy_scheme(s);
}

static int dp_test_refuse_scheme(const struct dp_scheme *s)
{
	return -EOPNOTSUPP;
}

static const struct dp_operations dp_test_no_ops;
static const struct dp_operations dp_test_refusing_ops = {
	.scheme_valid = dp_test_refuse_scheme,
};

static void dp_test_scheme_valid(struct kunit *test)
{
	struct dp_scheme *s = dp_new_scheme();
	struct dp_filter *f = dp_new_filter(DP_FILTER_ADDR);
	unsigned int missing;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, f);
	list_add_tail(&f->list, &s->filters);
	f->addr_range = (struct dp_addr_range){ PAGE_SIZE, 2 * PAGE_SIZE };
	KUNIT_EXPECT_EQ(test, dp_scheme_valid(s), 0);
	s->pattern.min_age = 10;
	s->pattern.max_age = 9;
	KUNIT_EXPECT_EQ(test, dp_scheme_valid(s), -EINVAL);
	s->pattern.min_age = 0;
	s->wmarks.metric = DP_WMARK_FREE_MEM_RATE;
	s->wmarks.high = 500;
	s->wmarks.mid = 600;
	KUNIT_EXPECT_EQ(test, dp_scheme_valid(s), -EINVAL);
	s->wmarks.mid = 400;
	KUNIT_EXPECT_EQ(test, dp_scheme_valid(s), 0);
	f->addr_range.end = f->addr_range.start;
	KUNIT_EXPECT_EQ(test, dp_scheme_valid(s), -EINVAL);
	/* Per-folio filters are valid; memcg ones need the memcg lookup. */
	f->type = DP_FILTER_ANON;
	KUNIT_EXPECT_EQ(test, dp_scheme_valid(s), 0);
	f->type = DP_FILTER_MEMCG;
	missing = dp_ksym_test_swap_missing(DP_FEAT_MEMCG);
	KUNIT_EXPECT_EQ(test, dp_scheme_valid(s), -EOPNOTSUPP);
	dp_ksym_test_swap_missing(missing);
	f->type = DP_FILTER_ADDR;
	f->addr_range.end = 2 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, dp_scheme_valid(s), 0);
	/* The action is the operations' to judge, after the rest. */
	s->action = DP_ACT_COLLAPSE;
	KUNIT_EXPECT_EQ(test, dp_scheme_valid(s), 0);
	KUNIT_EXPECT_EQ(test, dp_scheme_valid_for(&dp_test_no_ops, s), 0);
	KUNIT_EXPECT_EQ(test, dp_scheme_valid_for(&dp_test_refusing_ops, s),
			-EOPNOTSUPP);
	s->pattern.min_age = 10;
	s->pattern.max_age = 9;
	KUNIT_EXPECT_EQ(test, dp_scheme_valid_for(&dp_test_no_ops, s),
			-EINVAL);
	dp_destroy_scheme(s);
}

static void dp_test_hot_score(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_schemes_ctx(test, 1, 1, NULL);
	struct dp_region r = { .ar = { 0, PAGE_SIZE } };
	struct dp_scheme *s = dp_test_add_scheme(test, ctx, DP_ACT_STAT);
	int idle_young, idle_old, hot;

	s->quota.weight_nr_accesses = 1000;
	s->quota.weight_age = 1000;
	idle_young = dp_hot_score(ctx, &r, s);
	r.age = 1000;		/* 100 s at 100 ms */
	idle_old = dp_hot_score(ctx, &r, s);
	r.nr_accesses_bp = 20 * DP_BP;	/* the maximum at 5 ms / 100 ms */
	hot = dp_hot_score(ctx, &r, s);
	/* Idle and old is colder than idle and young; busy is hottest. */
	KUNIT_EXPECT_LT(test, idle_old, idle_young);
	KUNIT_EXPECT_GT(test, hot, idle_young);
	KUNIT_EXPECT_LE(test, hot, DP_MAX_SCORE);
	KUNIT_EXPECT_GE(test, idle_old, 0);
	KUNIT_EXPECT_EQ(test, dp_cold_score(ctx, &r, s), DP_MAX_SCORE - hot);
	/* Frequency only, at the maximum: the top score. */
	s->quota.weight_age = 0;
	KUNIT_EXPECT_EQ(test, dp_hot_score(ctx, &r, s), DP_MAX_SCORE);
}

static void dp_test_feed_loop(struct kunit *test)
{
	/* On the goal: unchanged; at half of it: +50%; at 1.5x: -50%. */
	KUNIT_EXPECT_EQ(test, dp_feed_loop_next_input(100000, 10000), 100000UL);
	KUNIT_EXPECT_EQ(test, dp_feed_loop_next_input(100000, 5000), 150000UL);
	KUNIT_EXPECT_EQ(test, dp_feed_loop_next_input(100000, 15000), 50000UL);
	/* Never below the minimum, which lets it grow again. */
	KUNIT_EXPECT_EQ(test, dp_feed_loop_next_input(100000, 30000), 10000UL);
	KUNIT_EXPECT_EQ(test, dp_feed_loop_next_input(12000, 19000), 10000UL);
	KUNIT_EXPECT_EQ(test, dp_feed_loop_next_input(ULONG_MAX - 1, 0),
			ULONG_MAX);
}

static void dp_test_release_scheme(void *data)
{
	dp_destroy_scheme(data);
}

/*
 * A new scheme of @test, freed with it, and a user_input goal for its
 * quota (*@g, target 100, current 0), which the caller puts in the quota's
 * list, where the scheme frees it, before any assertion can end the test.
 */
static struct dp_scheme *dp_test_goal_scheme(struct kunit *test,
					     struct dp_quota_goal **g)
{
	struct dp_scheme *s = dp_new_scheme();

	if (!s || kunit_add_action_or_reset(test, dp_test_release_scheme, s))
		kunit_skip(test, "out of memory");
	*g = dp_new_quota_goal(DP_GOAL_USER_INPUT);
	if (!*g)
		kunit_skip(test, "out of memory");
	(*g)->target_value = 100;
	return s;
}

static void dp_test_effective_quota(struct kunit *test)
{
	struct dp_quota_goal *g;
	struct dp_scheme *s = dp_test_goal_scheme(test, &g);
	struct dp_quota *q = &s->quota;

	q->sz = 1 << 20;
	dp_set_effective_quota(q);
	KUNIT_EXPECT_EQ(test, q->esz, 1UL << 20);
	/* Time quota at a measured 1 MiB/ms: 10 ms allow 10 MiB, sz wins. */
	q->ms = 10;
	q->total_charged_sz = 100 << 20;
	q->total_charged_ns = 100 * NSEC_PER_MSEC;
	dp_set_effective_quota(q);
	KUNIT_EXPECT_EQ(test, q->esz, 1UL << 20);
	q->sz = 0;
	dp_set_effective_quota(q);
	KUNIT_EXPECT_EQ(test, q->esz, 10UL << 20);
	/* A goal reached at 50% makes the loop grow its input. */
	q->ms = 0;
	g->current_value = 50;
	list_add_tail(&g->list, &q->goals);
	q->esz_bp = 1000000;
	dp_set_effective_quota(q);
	KUNIT_EXPECT_EQ(test, q->esz_bp, 1500000UL);
	KUNIT_EXPECT_EQ(test, q->esz, 150UL);
}

/* The temporal tuner: all of the quota until the goal is met, then none. */
static void dp_test_temporal_tuner(struct kunit *test)
{
	struct dp_quota_goal *g;
	struct dp_scheme *s = dp_test_goal_scheme(test, &g);
	struct dp_quota *q = &s->quota;

	list_add_tail(&g->list, &q->goals);
	q->goal_tuner = DP_GOAL_TUNER_TEMPORAL;
	q->sz = 1 << 20;
	g->current_value = 99;
	dp_set_effective_quota(q);
	KUNIT_EXPECT_EQ(test, q->esz, 1UL << 20);
	KUNIT_EXPECT_FALSE(test, q->goals_met);
	g->current_value = 100;
	dp_set_effective_quota(q);
	KUNIT_EXPECT_EQ(test, q->esz, 0UL);
	KUNIT_EXPECT_TRUE(test, q->goals_met);
	/* No size quota: no limit until met. */
	q->sz = 0;
	g->current_value = 10;
	dp_set_effective_quota(q);
	KUNIT_EXPECT_EQ(test, q->esz, ULONG_MAX / 10000);
	KUNIT_EXPECT_FALSE(test, q->goals_met);
}

/* fail_charge: the failed bytes cost num/denom of the applied ones. */
static void dp_test_fail_charge(struct kunit *test)
{
	struct dp_quota q = {};

	KUNIT_EXPECT_EQ(test, dp_quota_charge(&q, 4096 * 10, 4096), 40960UL);
	q.fail_charge_num = 1;
	q.fail_charge_denom = 4;
	KUNIT_EXPECT_EQ(test, dp_quota_charge(&q, 4096 * 10, 4096),
			4096UL + 4096 * 9 / 4);
	KUNIT_EXPECT_EQ(test, dp_quota_charge(&q, 4096, 8192), 4096UL);
	q.fail_charge_num = 0;
	KUNIT_EXPECT_EQ(test, dp_quota_charge(&q, 4096 * 10, 0), 0UL);
}

static unsigned long dp_test_eligible_bp(struct dp_ctx *ctx,
					 struct dp_scheme *s, int nid)
{
	return 10000;
}

/* Node memory in basis points: used and free add up; no node, no memory. */
static void dp_test_node_mem_bp(struct kunit *test)
{
	int nid = first_memory_node;
	unsigned long used = dp_node_mem_bp(nid, true);
	unsigned long free = dp_node_mem_bp(nid, false);

	KUNIT_EXPECT_GT(test, used, 0UL);
	KUNIT_EXPECT_LE(test, used, 10000UL);
	KUNIT_EXPECT_LE(test, used + free, 10000UL);
	/* Rounding down both loses at most one basis point each. */
	KUNIT_EXPECT_GE(test, used + free, 9998UL);
	KUNIT_EXPECT_EQ(test, dp_node_mem_bp(-1, true), 0UL);
	KUNIT_EXPECT_EQ(test, dp_node_mem_bp(MAX_NUMNODES, false), 10000UL);
	/* Active and inactive LRU memory: shares of the same whole. */
	used = dp_lru_mem_bp(true);
	free = dp_lru_mem_bp(false);
	KUNIT_EXPECT_GT(test, used + free, 9998UL);
	KUNIT_EXPECT_LE(test, used + free, 10000UL);
}

/*
 * A memory cgroup's share of a node: none used where there is no such
 * cgroup or node (all free); the root's, where the kernel has memory
 * cgroups, some but not all of the node, used and free adding up.
 */
static void dp_test_node_memcg_bp(struct kunit *test)
{
	struct dp_quota_goal g = {
		.metric = DP_GOAL_NODE_MEMCG_USED_BP,
		.nid = first_memory_node,
		.memcg_id = 0,
	};
	unsigned long used, free;

	KUNIT_EXPECT_EQ(test, dp_node_memcg_bp(&g, true), 0UL);
	KUNIT_EXPECT_EQ(test, dp_node_memcg_bp(&g, false), 10000UL);
	if (dp_memcg_id_of_path("/", &g.memcg_id) || !dp_memcg_node_stats())
		kunit_skip(test, "no memory cgroups to measure");
	used = dp_node_memcg_bp(&g, true);
	free = dp_node_memcg_bp(&g, false);
	KUNIT_EXPECT_GT(test, used, 0UL);
	KUNIT_EXPECT_LT(test, used, 10000UL);
	KUNIT_EXPECT_GE(test, used + free, 9998UL);
	KUNIT_EXPECT_LE(test, used + free, 10000UL);
	g.nid = -1;
	KUNIT_EXPECT_EQ(test, dp_node_memcg_bp(&g, true), 0UL);
}

/* node_eligible_mem_bp needs operations that measure it (paddr). */
static void dp_test_eligible_goal_ops(struct kunit *test)
{
	struct dp_operations ops = {};
	struct dp_scheme *s = dp_new_scheme();
	struct dp_quota_goal *g = dp_new_quota_goal(DP_GOAL_NODE_ELIGIBLE_MEM_BP);

	if (!s || !g) {
		kfree(g);
		if (s)
			dp_destroy_scheme(s);
		kunit_skip(test, "out of memory");
	}
	g->target_value = 5000;
	list_add_tail(&g->list, &s->quota.goals);
	KUNIT_EXPECT_EQ(test, dp_scheme_valid_for(&ops, s), -EINVAL);
	ops.node_eligible_bp = dp_test_eligible_bp;
	KUNIT_EXPECT_EQ(test, dp_scheme_valid_for(&ops, s), 0);
	dp_destroy_scheme(s);
}

static void dp_test_wmarks(struct kunit *test)
{
	struct dp_watermarks w = { .metric = DP_WMARK_FREE_MEM_RATE,
				   .high = 800, .mid = 500, .low = 100,
				   .activated = true };

	KUNIT_EXPECT_FALSE(test, dp_wmarks_check(&w, 900));	/* above high */
	KUNIT_EXPECT_FALSE(test, dp_wmarks_check(&w, 600));	/* not below mid yet */
	KUNIT_EXPECT_TRUE(test, dp_wmarks_check(&w, 400));	/* below mid */
	KUNIT_EXPECT_TRUE(test, dp_wmarks_check(&w, 700));	/* stays until high */
	KUNIT_EXPECT_FALSE(test, dp_wmarks_check(&w, 50));	/* below low */
	KUNIT_EXPECT_TRUE(test, dp_wmarks_check(&w, 300));
	w.metric = DP_WMARK_NONE;
	KUNIT_EXPECT_TRUE(test, dp_wmarks_check(&w, 900));
}

/* Every matching region is tried and applied; stats add up; age resets. */
static void dp_test_apply_stats(struct kunit *test)
{
	static const unsigned int freq[] = { 0, 5, 10, 15 };
	struct dp_ctx *ctx = dp_test_schemes_ctx(test, 4, 1, freq);
	struct dp_scheme *s = dp_test_add_scheme(test, ctx, DP_ACT_COLD);
	struct dp_target *t = list_first_entry(&ctx->targets, struct dp_target,
					       list);
	struct dp_region *r;

	s->pattern.min_nr_accesses = 5;
	dp_apply_schemes(ctx);
	KUNIT_EXPECT_EQ(test, dp_test_applied.nr, 3U);
	KUNIT_EXPECT_EQ(test, s->stat.nr_tried, 3UL);
	KUNIT_EXPECT_EQ(test, s->stat.sz_tried, 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, s->stat.nr_applied, 3UL);
	KUNIT_EXPECT_EQ(test, s->stat.sz_applied, 3 * PAGE_SIZE);
	dp_for_each_region(r, t)
		KUNIT_EXPECT_EQ(test, r->age, r->ar.start ? 0U : 0U);
	/* Not due again before its apply interval. */
	dp_apply_schemes(ctx);
	KUNIT_EXPECT_EQ(test, s->stat.nr_tried, 3UL);
	ctx->passed_sample_intervals = s->next_apply_sis;
	dp_apply_schemes(ctx);
	KUNIT_EXPECT_EQ(test, s->stat.nr_tried, 6UL);
}

/* A pass over the target is a snapshot; max_nr_snapshots ends the scheme. */
static void dp_test_snapshots(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_schemes_ctx(test, 4, 1, NULL);
	struct dp_scheme *s = dp_test_add_scheme(test, ctx, DP_ACT_COLD);
	int i;

	s->max_nr_snapshots = 2;
	for (i = 0; i < 3; i++) {
		ctx->passed_sample_intervals = s->next_apply_sis;
		dp_apply_schemes(ctx);
	}
	KUNIT_EXPECT_EQ(test, s->stat.nr_snapshots, 2UL);
	KUNIT_EXPECT_EQ(test, s->stat.nr_tried, 8UL);
	/* Not due: no snapshot. */
	s->max_nr_snapshots = 0;
	dp_apply_schemes(ctx);
	KUNIT_EXPECT_EQ(test, s->stat.nr_snapshots, 2UL);
	ctx->passed_sample_intervals = s->next_apply_sis;
	dp_apply_schemes(ctx);
	KUNIT_EXPECT_EQ(test, s->stat.nr_snapshots, 3UL);
	KUNIT_EXPECT_EQ(test, s->stat.nr_tried, 12UL);
}

/*
 * Operations that gave way in the middle of a region: the next pass goes
 * on from there, through the last region, and the one after starts over.
 */
static void dp_test_resume_at(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_schemes_ctx(test, 2, 8, NULL);
	struct dp_scheme *s = dp_test_add_scheme(test, ctx, DP_ACT_PAGEOUT);
	struct dp_target *t = list_first_entry(&ctx->targets, struct dp_target,
					       list);

	dp_scheme_resume_at(s, t, 3 * PAGE_SIZE);
	dp_apply_schemes(ctx);
	KUNIT_ASSERT_EQ(test, dp_test_applied.nr, 2U);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[0].start, 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[0].end, 8 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[1].start, 8 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, s->stat.sz_tried, 13 * PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, s->quota.charge_target_from);

	ctx->passed_sample_intervals = s->next_apply_sis;
	dp_test_applied.nr = 0;
	dp_apply_schemes(ctx);
	KUNIT_EXPECT_EQ(test, dp_test_applied.nr, 3U);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[0].start, 0UL);
}

/* Operations that give way halfway through every region they are given. */
static unsigned long dp_test_apply_half(struct dp_ctx *ctx,
					struct dp_target *t,
					struct dp_region *r,
					struct dp_scheme *s)
{
	unsigned long half = ALIGN_DOWN(dp_sz_region(r) / 2, PAGE_SIZE);

	dp_test_apply(ctx, t, r, s);
	dp_scheme_resume_at(s, t, r->ar.start + half);
	return half;
}

/*
 * A region given way in the middle of is charged and tried as far as the
 * operations went, and the next pass resumes there, even where the whole
 * region would have exhausted the quota (issue 25, item 11).
 */
static void dp_test_resume_charges_part(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_schemes_ctx(test, 1, 8, NULL);
	struct dp_scheme *s = dp_test_add_scheme(test, ctx, DP_ACT_PAGEOUT);
	struct dp_target *t = list_first_entry(&ctx->targets, struct dp_target,
					       list);

	ctx->ops.apply_scheme = dp_test_apply_half;
	s->quota.sz = 8 * PAGE_SIZE;
	s->quota.reset_interval = 60 * MSEC_PER_SEC;
	dp_apply_schemes(ctx);
	KUNIT_EXPECT_EQ(test, dp_test_applied.nr, 1U);
	KUNIT_EXPECT_EQ(test, s->quota.charged_sz, 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, s->stat.sz_tried, 4 * PAGE_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, s->quota.charge_target_from, t);
	KUNIT_EXPECT_EQ(test, s->quota.charge_addr_from, 4 * PAGE_SIZE);

	/* The rest, in the same charge interval: half of it again. */
	ctx->passed_sample_intervals = s->next_apply_sis;
	dp_test_applied.nr = 0;
	dp_apply_schemes(ctx);
	KUNIT_ASSERT_EQ(test, dp_test_applied.nr, 1U);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[0].start, 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[0].end, 8 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, s->quota.charged_sz, 6 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, s->quota.charge_addr_from, 6 * PAGE_SIZE);
}

/*
 * A 3-page quota: the hottest regions are applied first, the one at the
 * boundary is split there, and the next interval continues where this one
 * stopped.
 */
static void dp_test_quota_priority_and_split(struct kunit *test)
{
	static const unsigned int freq[] = { 1, 18, 3, 20 };
	struct dp_ctx *ctx = dp_test_schemes_ctx(test, 4, 2, freq);
	struct dp_scheme *s = dp_test_add_scheme(test, ctx, DP_ACT_COLLAPSE);
	struct dp_target *t = list_first_entry(&ctx->targets, struct dp_target,
					       list);

	s->quota.sz = 3 * PAGE_SIZE;
	s->quota.reset_interval = 60 * MSEC_PER_SEC;
	s->quota.weight_nr_accesses = 1000;
	dp_apply_schemes(ctx);
	/* Region 1 (18) whole, then 1 page of region 3 (20): 3 pages. */
	KUNIT_EXPECT_EQ(test, s->quota.charged_sz, 3 * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, dp_test_applied.nr, 2U);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[0].start, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[0].end, 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[1].start, 6 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[1].end, 7 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, t->nr_regions, 5U);
	KUNIT_EXPECT_EQ(test, s->quota.charge_addr_from, 7 * PAGE_SIZE);

	/* A new interval: it picks up after the split point. */
	s->quota.charged_from = jiffies - msecs_to_jiffies(61 * MSEC_PER_SEC);
	ctx->passed_sample_intervals = s->next_apply_sis;
	dp_test_applied.nr = 0;
	dp_apply_schemes(ctx);
	KUNIT_ASSERT_GE(test, dp_test_applied.nr, 1U);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[0].start, 7 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, s->stat.qt_exceeds, 1UL);
}

static void dp_test_watermark_inactive(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_schemes_ctx(test, 2, 1, NULL);
	struct dp_scheme *s = dp_test_add_scheme(test, ctx, DP_ACT_COLD);

	/* Free memory is never above 100% nor below 0: always inactive. */
	s->wmarks.metric = DP_WMARK_FREE_MEM_RATE;
	s->wmarks.high = 0;
	s->wmarks.mid = 0;
	s->wmarks.low = 0;
	dp_apply_schemes(ctx);
	KUNIT_EXPECT_FALSE(test, s->wmarks.activated);
	KUNIT_EXPECT_EQ(test, s->stat.nr_tried, 0UL);
	/* Back below the middle watermark: active again. */
	s->wmarks.high = 1000;
	s->wmarks.mid = 1000;
	ctx->passed_sample_intervals = s->wmarks.next_check_sis;
	dp_apply_schemes(ctx);
	KUNIT_EXPECT_TRUE(test, s->wmarks.activated);
	KUNIT_EXPECT_EQ(test, s->stat.nr_tried, 2UL);
}

/*
 * Filters: the first that applies decides.  An address filter splits a
 * region that straddles its range.
 */
static void dp_test_filters(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_schemes_ctx(test, 2, 4, NULL);
	struct dp_scheme *s = dp_test_add_scheme(test, ctx, DP_ACT_COLD);
	struct dp_filter *reject = dp_new_filter(DP_FILTER_ADDR);
	struct dp_filter *allow = dp_new_filter(DP_FILTER_ADDR);

	KUNIT_ASSERT_NOT_NULL(test, reject);
	KUNIT_ASSERT_NOT_NULL(test, allow);
	/* Allow pages [2, 3), then reject [1, 6): applied: [0, 1), [2, 3), [6, 8). */
	allow->allow = true;
	allow->addr_range = (struct dp_addr_range){ 2 * PAGE_SIZE,
						    3 * PAGE_SIZE };
	reject->addr_range = (struct dp_addr_range){ PAGE_SIZE,
						     6 * PAGE_SIZE };
	list_add_tail(&allow->list, &s->filters);
	list_add_tail(&reject->list, &s->filters);
	dp_apply_schemes(ctx);
	KUNIT_EXPECT_EQ(test, s->stat.sz_applied, 4 * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, dp_test_applied.nr, 3U);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[0].end, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[1].start, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[1].end, 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[2].start, 6 * PAGE_SIZE);

	/* A target filter for another target changes nothing. */
	list_del(&allow->list);
	list_del(&reject->list);
	kfree(allow);
	reject->type = DP_FILTER_TARGET;
	reject->target_idx = 1;
	list_add_tail(&reject->list, &s->filters);
	ctx->passed_sample_intervals = s->next_apply_sis;
	dp_test_applied.nr = 0;
	dp_apply_schemes(ctx);
	KUNIT_EXPECT_GT(test, dp_test_applied.nr, 0U);
	reject->target_idx = 0;
	ctx->passed_sample_intervals = s->next_apply_sis;
	dp_test_applied.nr = 0;
	dp_apply_schemes(ctx);
	KUNIT_EXPECT_EQ(test, dp_test_applied.nr, 0U);
}

static int dp_test_young_calls;

static bool dp_test_young(struct dp_folio_probe *probe)
{
	dp_test_young_calls++;
	return probe->arg;
}

static struct dp_filter *dp_test_add_filter(struct kunit *test,
					    struct dp_scheme *s,
					    enum dp_filter_type type,
					    bool matching, bool allow)
{
	struct dp_filter *f = dp_new_filter(type);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->matching = matching;
	f->allow = allow;
	list_add_tail(&f->list, &s->filters);
	return f;
}

/*
 * Per-folio filters: the first that applies decides, none: the opposite of
 * the last one; matching N applies to what does not match; a young filter
 * is asked only when reached; a region that a region filter allowed is
 * allowed whole.
 */
static void dp_test_folio_filters(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_schemes_ctx(test, 1, 1, NULL);
	struct dp_scheme *s = dp_test_add_scheme(test, ctx, DP_ACT_PAGEOUT);
	struct dp_folio_probe anon = { .anon = true, .memcg_id = 5,
				       .young = dp_test_young };
	struct dp_folio_probe file = { .memcg_id = 7, .young = dp_test_young,
				       .arg = (void *)1 };
	struct dp_folio_probe none = { .young = dp_test_young };
	struct dp_filter *f;

	KUNIT_EXPECT_FALSE(test, dp_scheme_has_ops_filters(s));
	KUNIT_EXPECT_FALSE(test, dp_folio_filter_out(s, &anon));

	/* Reject anon: file folios pass (the default opposes "reject"). */
	f = dp_test_add_filter(test, s, DP_FILTER_ANON, true, false);
	KUNIT_EXPECT_TRUE(test, dp_scheme_has_ops_filters(s));
	KUNIT_EXPECT_TRUE(test, dp_folio_filter_out(s, &anon));
	KUNIT_EXPECT_FALSE(test, dp_folio_filter_out(s, &file));
	/* Allow anon only: the rest is rejected by default. */
	f->allow = true;
	KUNIT_EXPECT_FALSE(test, dp_folio_filter_out(s, &anon));
	KUNIT_EXPECT_TRUE(test, dp_folio_filter_out(s, &file));
	/* Matching N: applies to what is not anon. */
	f->matching = false;
	KUNIT_EXPECT_TRUE(test, dp_folio_filter_out(s, &anon));
	KUNIT_EXPECT_FALSE(test, dp_folio_filter_out(s, &file));
	list_del(&f->list);
	kfree(f);

	/* Reject what is not in memcg 5; no memcg at all is not in it. */
	f = dp_test_add_filter(test, s, DP_FILTER_MEMCG, false, false);
	f->memcg_id = 5;
	KUNIT_EXPECT_FALSE(test, dp_folio_filter_out(s, &anon));
	KUNIT_EXPECT_TRUE(test, dp_folio_filter_out(s, &file));
	KUNIT_EXPECT_TRUE(test, dp_folio_filter_out(s, &none));
	list_del(&f->list);
	kfree(f);

	/* Allow anon, then reject young: young asked for the rest only. */
	dp_test_add_filter(test, s, DP_FILTER_ANON, true, true);
	dp_test_add_filter(test, s, DP_FILTER_YOUNG, true, false);
	dp_test_young_calls = 0;
	KUNIT_EXPECT_FALSE(test, dp_folio_filter_out(s, &anon));
	KUNIT_EXPECT_EQ(test, dp_test_young_calls, 0);
	KUNIT_EXPECT_TRUE(test, dp_folio_filter_out(s, &file));	/* young */
	KUNIT_EXPECT_FALSE(test, dp_folio_filter_out(s, &none));	/* old */
	KUNIT_EXPECT_EQ(test, dp_test_young_calls, 2);

	/* A region filter that allows lets every folio through. */
	s->core_filters_allowed = true;
	KUNIT_EXPECT_FALSE(test, dp_folio_filter_out(s, &file));
}

/*
 * Region filters decide first; with none applying, the per-folio filters
 * decide if there are any, else the opposite of the last region filter.
 */
static void dp_test_region_filters_default(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_schemes_ctx(test, 2, 4, NULL);
	struct dp_scheme *s = dp_test_add_scheme(test, ctx, DP_ACT_COLD);
	struct dp_filter *allow, *young;

	/* Allow pages [2, 3) only: nothing else is applied to. */
	allow = dp_test_add_filter(test, s, DP_FILTER_ADDR, true, true);
	allow->addr_range = (struct dp_addr_range){ 2 * PAGE_SIZE,
						    3 * PAGE_SIZE };
	dp_apply_schemes(ctx);
	KUNIT_EXPECT_EQ(test, s->stat.sz_applied, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, dp_test_applied.nr, 1U);
	KUNIT_EXPECT_EQ(test, dp_test_applied.applied[0].start, 2 * PAGE_SIZE);

	/* With a per-folio filter after it, the rest goes to the folios. */
	young = dp_test_add_filter(test, s, DP_FILTER_YOUNG, true, false);
	ctx->passed_sample_intervals = s->next_apply_sis;
	dp_test_applied.nr = 0;
	dp_apply_schemes(ctx);
	KUNIT_EXPECT_GE(test, dp_test_applied.nr, 2U);
	list_del(&young->list);
	kfree(young);
}

static struct {
	unsigned int nr;
	unsigned long bytes;
	struct dp_addr_range parts[8];
} dp_test_tried;

static void dp_test_tried_fn(void *arg, struct dp_target *t,
			     const struct dp_region *r, unsigned long start,
			     unsigned long end)
{
	if (dp_test_tried.nr < ARRAY_SIZE(dp_test_tried.parts))
		dp_test_tried.parts[dp_test_tried.nr] =
			(struct dp_addr_range){ start, end };
	dp_test_tried.nr++;
	dp_test_tried.bytes += end - start;
}

static void dp_test_tried_walk(struct dp_ctx *ctx, struct dp_scheme *s)
{
	memset(&dp_test_tried, 0, sizeof(dp_test_tried));
	dp_scheme_tried_walk(ctx, s, dp_test_tried_fn, NULL);
}

/*
 * Tried regions stop at the size quota, the last one cut there, and go on
 * from where the last exhausted charge interval stopped, as an application
 * does: the tried bytes never exceed the quota.
 */
static void dp_test_tried_quota_cut(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_schemes_ctx(test, 4, 4, NULL);
	struct dp_scheme *s = dp_test_add_scheme(test, ctx, DP_ACT_STAT);
	struct dp_target *t = list_first_entry(&ctx->targets,
					       struct dp_target, list);

	/* No quota: every region, whole. */
	dp_test_tried_walk(ctx, s);
	KUNIT_EXPECT_EQ(test, dp_test_tried.nr, 4U);
	KUNIT_EXPECT_EQ(test, dp_test_tried.bytes, PAGE_SIZE * 16);

	/* 6 pages: the first region and half the second. */
	s->quota.sz = 6 * PAGE_SIZE;
	s->quota.esz = s->quota.sz;
	dp_test_tried_walk(ctx, s);
	KUNIT_EXPECT_EQ(test, dp_test_tried.nr, 2U);
	KUNIT_EXPECT_EQ(test, dp_test_tried.bytes, 6 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dp_test_tried.parts[1].start, 4 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dp_test_tried.parts[1].end, 6 * PAGE_SIZE);

	/* The last interval stopped at page 6: from there, 6 pages again. */
	s->quota.charge_target_from = t;
	s->quota.charge_addr_from = 6 * PAGE_SIZE;
	dp_test_tried_walk(ctx, s);
	KUNIT_EXPECT_EQ(test, dp_test_tried.bytes, 6 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dp_test_tried.parts[0].start, 6 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dp_test_tried.parts[0].end, 8 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dp_test_tried.parts[1].end, 12 * PAGE_SIZE);

	/* Nothing changed: regions, charge point. */
	KUNIT_EXPECT_EQ(test, t->nr_regions, 4U);
	KUNIT_EXPECT_PTR_EQ(test, s->quota.charge_target_from, t);
}

/* The folio filters of upstream 6.15+: active, hugepage_size, unmapped. */
static void dp_test_folio_filters_newer(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_schemes_ctx(test, 1, 1, NULL);
	struct dp_scheme *s = dp_test_add_scheme(test, ctx, DP_ACT_PAGEOUT);
	struct dp_folio_probe small = { .active = true, .size = PAGE_SIZE };
	struct dp_folio_probe huge = { .unmapped = true, .size = SZ_2M };
	struct dp_filter *f;

	/* Reject the active: only the inactive pass. */
	f = dp_test_add_filter(test, s, DP_FILTER_ACTIVE, true, false);
	KUNIT_EXPECT_TRUE(test, dp_folio_filter_out(s, &small));
	KUNIT_EXPECT_FALSE(test, dp_folio_filter_out(s, &huge));
	list_del(&f->list);
	kfree(f);

	/* Allow folios of 2 MiB up: the base pages are rejected. */
	f = dp_test_add_filter(test, s, DP_FILTER_HUGEPAGE_SIZE, true, true);
	f->sz_min = SZ_2M;
	f->sz_max = SZ_1G;
	KUNIT_EXPECT_TRUE(test, dp_folio_filter_out(s, &small));
	KUNIT_EXPECT_FALSE(test, dp_folio_filter_out(s, &huge));
	f->sz_min = SZ_1G;
	f->sz_max = SZ_2M;
	KUNIT_EXPECT_EQ(test, dp_scheme_valid(s), -EINVAL);
	list_del(&f->list);
	kfree(f);

	/* Reject the unmapped. */
	dp_test_add_filter(test, s, DP_FILTER_UNMAPPED, true, false);
	KUNIT_EXPECT_FALSE(test, dp_folio_filter_out(s, &small));
	KUNIT_EXPECT_TRUE(test, dp_folio_filter_out(s, &huge));
	KUNIT_EXPECT_TRUE(test, dp_scheme_has_ops_filters(s));
}

static struct kunit_case dp_schemes_test_cases[] = {
	KUNIT_CASE(dp_test_pattern_match),
	KUNIT_CASE(dp_test_scheme_valid),
	KUNIT_CASE(dp_test_hot_score),
	KUNIT_CASE(dp_test_feed_loop),
	KUNIT_CASE(dp_test_effective_quota),
	KUNIT_CASE(dp_test_temporal_tuner),
	KUNIT_CASE(dp_test_fail_charge),
	KUNIT_CASE(dp_test_node_mem_bp),
	KUNIT_CASE(dp_test_node_memcg_bp),
	KUNIT_CASE(dp_test_eligible_goal_ops),
	KUNIT_CASE(dp_test_wmarks),
	KUNIT_CASE(dp_test_apply_stats),
	KUNIT_CASE(dp_test_snapshots),
	KUNIT_CASE(dp_test_resume_at),
	KUNIT_CASE(dp_test_resume_charges_part),
	KUNIT_CASE(dp_test_quota_priority_and_split),
	KUNIT_CASE(dp_test_watermark_inactive),
	KUNIT_CASE(dp_test_filters),
	KUNIT_CASE(dp_test_tried_quota_cut),
	KUNIT_CASE(dp_test_folio_filters),
	KUNIT_CASE(dp_test_folio_filters_newer),
	KUNIT_CASE(dp_test_region_filters_default),
	{},
};

static struct kunit_suite dp_schemes_test_suite = {
	.name = "damon_pause_schemes",
	.test_cases = dp_schemes_test_cases,
};

kunit_test_suite(dp_schemes_test_suite);

#endif /* _DAMON_PAUSE_SCHEMES_KUNIT_H */

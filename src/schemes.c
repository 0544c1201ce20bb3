// SPDX-License-Identifier: GPL-2.0
/*
 * Operation schemes (DAMOS), with upstream DAMON's semantics: access
 * pattern matching, quotas with prioritisation and goal-driven tuning,
 * watermarks, filters and statistics.  How an action is carried out is the
 * operations' business (ops->apply_scheme); everything else is here.
 *
 * All of it runs on the kdamond, at the schemes' apply intervals, which are
 * counted in sampling intervals like every other interval: a paused
 * context applies nothing and charges nothing.
 */

#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/numa.h>
#include <linux/slab.h>
#include <linux/vmstat.h>

#include <damon_pause/damon.h>

#include "compat.h"
#include "core-internal.h"
#include "huge-budget.h"
#include "trace.h"

/**
 * dp_new_scheme() - a scheme that matches every region and only counts.
 */
struct dp_scheme *dp_new_scheme(void)
{
	struct dp_scheme *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->pattern.max_sz = ULONG_MAX;
	s->pattern.max_nr_accesses = UINT_MAX;
	s->pattern.max_age = UINT_MAX;
	s->action = DP_ACT_STAT;
	s->target_nid = NUMA_NO_NODE;
	INIT_LIST_HEAD(&s->quota.goals);
	INIT_LIST_HEAD(&s->filters);
	INIT_LIST_HEAD(&s->list);
	s->wmarks.activated = true;
	return s;
}

/** dp_destroy_scheme() - unlink @s and free it with its filters and goals. */
void dp_destroy_scheme(struct dp_scheme *s)
{
	struct dp_quota_goal *g, *next_g;
	struct dp_filter *f, *next_f;

	list_for_each_entry_safe(f, next_f, &s->filters, list)
		kfree(f);
	list_for_each_entry_safe(g, next_g, &s->quota.goals, list)
		kfree(g);
	kfree(s->dests);
	list_del(&s->list);
	kfree(s);
}

/** dp_new_filter() - a filter of @type that rejects what matches. */
struct dp_filter *dp_new_filter(enum dp_filter_type type)
{
	struct dp_filter *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	f->type = type;
	f->matching = true;
	INIT_LIST_HEAD(&f->list);
	return f;
}

/** dp_new_quota_goal() - a goal measuring @metric. */
struct dp_quota_goal *dp_new_quota_goal(enum dp_goal_metric metric)
{
	struct dp_quota_goal *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	g->metric = metric;
	INIT_LIST_HEAD(&g->list);
	return g;
}

/**
 * dp_copy_scheme() - a new scheme with the parameters of @src.
 * @src:	the scheme.
 *
 * Parameters only: pattern, action, intervals, quota limits, weights and
 * goals, watermarks and filters.  What a scheme learns while it runs
 * (statistics, charges, activation) starts afresh.
 *
 * Return: the copy, or NULL without memory.
 */
struct dp_scheme *dp_copy_scheme(const struct dp_scheme *src)
{
	struct dp_scheme *s = dp_new_scheme();
	struct dp_quota_goal *g, *new_g;
	struct dp_filter *f, *new_f;

	if (!s)
		return NULL;
	s->pattern = src->pattern;
	s->action = src->action;
	s->apply_interval_us = src->apply_interval_us;
	s->target_nid = src->target_nid;
	s->quota.ms = src->quota.ms;
	s->quota.sz = src->quota.sz;
	s->quota.reset_interval = src->quota.reset_interval;
	s->quota.weight_sz = src->quota.weight_sz;
	s->quota.weight_nr_accesses = src->quota.weight_nr_accesses;
	s->quota.weight_age = src->quota.weight_age;
	s->quota.goal_tuner = src->quota.goal_tuner;
	s->quota.fail_charge_num = src->quota.fail_charge_num;
	s->quota.fail_charge_denom = src->quota.fail_charge_denom;
	s->max_nr_snapshots = src->max_nr_snapshots;
	if (src->nr_dests) {
		s->dests = kmemdup(src->dests,
				   src->nr_dests * sizeof(*src->dests),
				   GFP_KERNEL);
		if (!s->dests)
			goto fail;
		s->nr_dests = src->nr_dests;
	}
	s->wmarks.metric = src->wmarks.metric;
	s->wmarks.interval = src->wmarks.interval;
	s->wmarks.high = src->wmarks.high;
	s->wmarks.mid = src->wmarks.mid;
	s->wmarks.low = src->wmarks.low;

	list_for_each_entry(f, &src->filters, list) {
		new_f = kmemdup(f, sizeof(*f), GFP_KERNEL);
		if (!new_f)
			goto fail;
		list_add_tail(&new_f->list, &s->filters);
	}
	list_for_each_entry(g, &src->quota.goals, list) {
		new_g = kmemdup(g, sizeof(*g), GFP_KERNEL);
		if (!new_g)
			goto fail;
		new_g->last_psi_total = 0;
		list_add_tail(&new_g->list, &s->quota.goals);
	}
	return s;
fail:
	dp_destroy_scheme(s);
	return NULL;
}

/**
 * dp_scheme_valid() - check what upstream leaves to chance.
 * @s:	the scheme.
 *
 * Return: 0; -EINVAL for an unknown action, metric or filter type (the
 * probes' page idle types are theirs only), a range whose min is above its
 * max, watermarks out of order, an empty address filter or a goal with no
 * target value; -EOPNOTSUPP for what this kernel cannot do (memcg filters
 * without the memcg symbols, PSI goals without PSI).  Whether the action
 * can be had is the operations' to say (dp_scheme_valid_for()).
 */
int dp_scheme_valid(const struct dp_scheme *s)
{
	const struct dp_access_pattern *p = &s->pattern;
	const struct dp_watermarks *w = &s->wmarks;
	const struct dp_quota_goal *g;
	const struct dp_filter *f;

	if (s->action >= NR_DP_ACTIONS || p->min_sz > p->max_sz ||
	    p->min_nr_accesses > p->max_nr_accesses || p->min_age > p->max_age)
		return -EINVAL;
	if (w->metric >= NR_DP_WMARK_METRICS ||
	    (w->metric != DP_WMARK_NONE &&
	     (w->high < w->mid || w->mid < w->low)))
		return -EINVAL;
	if (s->quota.goal_tuner >= NR_DP_GOAL_TUNERS)
		return -EINVAL;
	list_for_each_entry(f, &s->filters, list) {
		if (f->type >= NR_DP_FILTER_TYPES ||
		    dp_filter_type_pgidle(f->type))
			return -EINVAL;
		if (f->type == DP_FILTER_MEMCG &&
		    !dp_has_feature(DP_FEAT_MEMCG))
			return -EOPNOTSUPP;
		if (f->type == DP_FILTER_ADDR &&
		    f->addr_range.start >= f->addr_range.end)
			return -EINVAL;
		if (f->type == DP_FILTER_HUGEPAGE_SIZE && f->sz_min > f->sz_max)
			return -EINVAL;
	}
	list_for_each_entry(g, &s->quota.goals, list) {
		int err = dp_quota_goal_valid(g);

		if (err)
			return err;
	}
	return 0;
}

static bool dp_goal_is_memcg(const struct dp_quota_goal *g)
{
	return g->metric == DP_GOAL_NODE_MEMCG_USED_BP ||
		g->metric == DP_GOAL_NODE_MEMCG_FREE_BP;
}

/**
 * dp_quota_goal_valid() - whether a goal can be tuned for.
 * @g:	the goal.
 *
 * Return: 0; -EINVAL for a target of 0; -EOPNOTSUPP for a metric this
 * kernel cannot measure (PSI; the memory cgroups of node_memcg_*).
 */
int dp_quota_goal_valid(const struct dp_quota_goal *g)
{
	if (g->metric >= NR_DP_GOAL_METRICS || !g->target_value)
		return -EINVAL;
	if ((g->metric == DP_GOAL_SOME_MEM_PSI_US &&
	     !dp_has_feature(DP_FEAT_PSI)) ||
	    (dp_goal_is_memcg(g) && (!dp_has_feature(DP_FEAT_MEMCG) ||
				     !dp_memcg_node_stats())))
		return -EOPNOTSUPP;
	return 0;
}

/**
 * dp_scheme_valid_for() - dp_scheme_valid(), and whether @ops can carry
 * out the action of @s.
 * @ops:	the operations of the context @s is for.
 * @s:		the scheme.
 *
 * An action the operations cannot do is refused rather than accepted and
 * silently never applied.
 *
 * Return: 0, or -EINVAL, -EOPNOTSUPP as dp_scheme_valid() and
 * dp_operations.scheme_valid.
 */
int dp_scheme_valid_for(const struct dp_operations *ops,
			const struct dp_scheme *s)
{
	const struct dp_quota_goal *g;
	int err = dp_scheme_valid(s);

	if (err)
		return err;
	/* As upstream: the node's share of eligible memory is paddr's. */
	dp_for_each_goal(g, &s->quota) {
		if (g->metric == DP_GOAL_NODE_ELIGIBLE_MEM_BP &&
		    !ops->node_eligible_bp) {
			pr_warn_ratelimited("quota goal node_eligible_mem_bp: needs the paddr operations\n");
			return -EINVAL;
		}
	}
	return ops->scheme_valid ? ops->scheme_valid(s) : 0;
}

/**
 * dp_scheme_pattern_match() - whether @r has the access pattern of @s.
 * @r:	the region; its frequency is the moving one (nr_accesses_bp), so
 *	that a match does not depend on where in an aggregation interval the
 *	scheme is applied.
 * @s:	the scheme.
 */
bool dp_scheme_pattern_match(const struct dp_region *r,
			     const struct dp_scheme *s)
{
	const struct dp_access_pattern *p = &s->pattern;
	unsigned int nr_accesses = r->nr_accesses_bp / DP_BP;
	unsigned long sz = dp_sz_region(r);

	return p->min_sz <= sz && sz <= p->max_sz &&
		p->min_nr_accesses <= nr_accesses &&
		nr_accesses <= p->max_nr_accesses &&
		p->min_age <= r->age && r->age <= p->max_age;
}

#define DP_MAX_SUBSCORE		100
#define DP_MAX_AGE_IN_LOG	32

/**
 * dp_hot_score() - how hot @r is, in [0, DP_MAX_SCORE].
 * @ctx:	its context (for the intervals).
 * @r:		the region.
 * @s:		the scheme, whose quota weights mix frequency and age.
 *
 * Frequency is relative to the highest possible; age counts on a log
 * scale, in seconds, and makes an accessed region hotter and an idle one
 * colder.  Upstream's formula, so that priorities compare.
 */
int dp_hot_score(const struct dp_ctx *ctx, const struct dp_region *r,
		 const struct dp_scheme *s)
{
	unsigned int freq_weight = s->quota.weight_nr_accesses;
	unsigned int age_weight = s->quota.weight_age;
	unsigned int max = dp_max_nr_accesses(&ctx->attrs);
	int freq_subscore, age_in_log, age_subscore, hotness;
	unsigned long age_in_sec;

	freq_subscore = max ? mult_frac(r->nr_accesses_bp / DP_BP,
					DP_MAX_SUBSCORE, max) : 0;
	age_in_sec = (unsigned long)r->age * ctx->attrs.aggr_interval /
		USEC_PER_SEC;
	for (age_in_log = 0; age_in_log < DP_MAX_AGE_IN_LOG && age_in_sec;
	     age_in_log++)
		age_in_sec >>= 1;
	if (!freq_subscore)
		age_in_log = -age_in_log;
	/* From [-MAX_AGE_IN_LOG, MAX_AGE_IN_LOG] to [0, MAX_SUBSCORE]. */
	age_subscore = (age_in_log + DP_MAX_AGE_IN_LOG) * DP_MAX_SUBSCORE /
		DP_MAX_AGE_IN_LOG / 2;

	hotness = freq_weight * freq_subscore + age_weight * age_subscore;
	if (freq_weight + age_weight)
		hotness /= freq_weight + age_weight;
	hotness = hotness * DP_MAX_SCORE / DP_MAX_SUBSCORE;
	return clamp(hotness, 0, DP_MAX_SCORE);
}

/** dp_cold_score() - how cold @r is: the complement of dp_hot_score(). */
int dp_cold_score(const struct dp_ctx *ctx, const struct dp_region *r,
		  const struct dp_scheme *s)
{
	return DP_MAX_SCORE - dp_hot_score(ctx, r, s);
}

static int dp_scheme_score(struct dp_ctx *ctx, struct dp_target *t,
			   struct dp_region *r, struct dp_scheme *s)
{
	return ctx->ops.get_scheme_score ?
		ctx->ops.get_scheme_score(ctx, t, r, s) : 0;
}

/**
 * dp_scheme_tried() - whether @s would be tried on @r now: its pattern
 * matches and, under a quota, it scores high enough.
 * @ctx:	the context.
 * @t:		the target of @r.
 * @r:		the region.
 * @s:		the scheme.
 */
static bool dp_scheme_tried(const struct dp_ctx *ctx, const struct dp_target *t,
			    const struct dp_region *r, const struct dp_scheme *s)
{
	if (!dp_scheme_pattern_match(r, s))
		return false;
	if (!s->quota.esz || !ctx->ops.get_scheme_score)
		return true;
	return ctx->ops.get_scheme_score((struct dp_ctx *)ctx,
					 (struct dp_target *)t,
					 (struct dp_region *)r,
					 (struct dp_scheme *)s) >=
		s->quota.min_score;
}

/**
 * dp_scheme_tried_walk() - the regions @s would be tried on, cut at its quota.
 * @ctx:	the context.
 * @s:		the scheme.
 * @fn:		called for each, in the order an application walks them, with
 *		the region and the part of it, [@start, @end), that is tried.
 * @arg:	@fn's argument.
 *
 * What one charge interval of the scheme takes, without changing anything
 * (so it can answer from a paused context): under a size quota it goes on
 * from where the last exhausted interval stopped, as dp_skip_charged_region()
 * does, and stops once the effective quota is filled, the last region cut
 * at a multiple of the region unit, as dp_apply_scheme() does.  So the tried
 * bytes never exceed the quota, as upstream's tried regions (which are the
 * regions an application was tried on) never do.
 *
 * Return: the number of regions (or parts) @fn was called for.
 */
unsigned int dp_scheme_tried_walk(const struct dp_ctx *ctx,
				  const struct dp_scheme *s,
				  void (*fn)(void *arg, struct dp_target *t,
					     const struct dp_region *r,
					     unsigned long start,
					     unsigned long end),
				  void *arg)
{
	const struct dp_quota *quota = &s->quota;
	const struct dp_target *from = quota->charge_target_from;
	unsigned long from_addr = quota->charge_addr_from;
	unsigned long unit = ctx->min_region_sz;
	unsigned long room = ULONG_MAX;
	unsigned int nr = 0;
	struct dp_target *t;
	struct dp_region *r;

	/* Not applied yet, no effective quota yet: the size quota then. */
	if (quota->esz || quota->sz)
		room = max(quota->esz ?: quota->sz, unit);
	dp_for_each_target(t, ctx) {
		dp_for_each_region(r, t) {
			struct dp_region part = *r;
			bool last = r == dp_last_region(t);

			if (from && t != from)
				continue;
			if (from && from_addr && part.ar.start < from_addr) {
				unsigned long skip = from_addr >= part.ar.end ?
					0 : dp_aligned_split(&part, from_addr -
							     part.ar.start, unit);

				if (!skip && from_addr < part.ar.end)
					skip = dp_aligned_split(&part, unit,
								unit);
				/* Skipped whole, or its first part. */
				if (last)
					from = NULL;
				if (!skip)
					continue;
				part.ar.start += skip;
			} else if (last) {
				from = NULL;
			}
			if (!dp_scheme_tried(ctx, t, &part, s))
				continue;
			if (dp_sz_region(&part) > room) {
				unsigned long sz = dp_aligned_split(&part, room,
								    unit);

				if (!sz)
					return nr;
				part.ar.end = part.ar.start + sz;
			}
			fn(arg, t, r, part.ar.start, part.ar.end);
			nr++;
			if (room != ULONG_MAX) {
				room -= dp_sz_region(&part);
				if (!room)
					return nr;
			}
		}
	}
	return nr;
}

/*
 * Quotas
 */

/**
 * dp_feed_loop_next_input() - the next input of a feedback loop.
 * @last_input:	the input that gave @score.
 * @score:	how far the goal is reached, in basis points (10000: exactly).
 *
 * Input and score are taken to be proportional: the input grows or shrinks
 * by the share the score misses or exceeds the goal by, never below 10000
 * (so that it can grow again), and to the minimum at twice the goal.
 *
 * Return: the next input.
 */
unsigned long dp_feed_loop_next_input(unsigned long last_input,
				      unsigned long score)
{
	const unsigned long goal = 10000, min_input = 10000;
	unsigned long diff, compensation;
	bool over = score > goal;

	if (score == goal)
		return last_input;
	if (score >= goal * 2)
		return min_input;
	diff = over ? score - goal : goal - score;
	if (last_input < ULONG_MAX / diff)
		compensation = last_input * diff / goal;
	else
		compensation = last_input / goal * diff;
	if (over)
		return max(last_input - compensation, min_input);
	if (last_input < ULONG_MAX - compensation)
		return last_input + compensation;
	return ULONG_MAX;
}

/*
 * The managed and free pages of node @nid, as si_meminfo_node() counts
 * them; false for a node without memory.
 */
static bool dp_node_pages(int nid, unsigned long *total, unsigned long *free)
{
	struct zone *zone;

	*total = 0;
	*free = 0;
	if (nid < 0 || nid >= MAX_NUMNODES || !node_state(nid, N_MEMORY))
		return false;
	for (zone = NODE_DATA(nid)->node_zones;
	     zone < NODE_DATA(nid)->node_zones + MAX_NR_ZONES; zone++) {
		*total += zone_managed_pages(zone);
		*free += zone_page_state(zone, NR_FREE_PAGES);
	}
	return true;
}

/*
 * Used or free memory of node @nid in basis points of its managed memory;
 * a node without memory has none used.
 */
static unsigned long dp_node_mem_bp(int nid, bool used)
{
	unsigned long total, free;

	if (!dp_node_pages(nid, &total, &free))
		return used ? 0 : 10000;
	if (!total || total < free)
		return used ? 10000 : 0;
	return mult_frac(used ? total - free : free, 10000UL, total);
}

/*
 * The LRU memory of the goal's memory cgroup on its node (upstream 7.x's
 * node_memcg_used_bp), or the rest of the node's memory (_free_bp), in
 * basis points of the node's; none used where there is no such node or
 * cgroup (any more), as upstream.
 */
static unsigned long dp_node_memcg_bp(const struct dp_quota_goal *g,
				      bool used)
{
	unsigned long total, free, pages;

	if (!dp_node_pages(g->nid, &total, &free) ||
	    !dp_memcg_node_lru_pages(g->memcg_id, g->nid, &pages))
		return used ? 0 : 10000;
	if (!total || total < pages)
		return used ? 10000 : 0;
	return mult_frac(used ? pages : total - pages, 10000UL, total);
}

/* Active (or inactive) LRU memory in basis points of all, as meminfo's. */
static unsigned long dp_lru_mem_bp(bool active)
{
	unsigned long act, inact;

	act = global_node_page_state(NR_LRU_BASE + LRU_ACTIVE_ANON) +
		global_node_page_state(NR_LRU_BASE + LRU_ACTIVE_FILE);
	inact = global_node_page_state(NR_LRU_BASE + LRU_INACTIVE_ANON) +
		global_node_page_state(NR_LRU_BASE + LRU_INACTIVE_FILE);
	return mult_frac(active ? act : inact, 10000UL, max(act + inact, 1UL));
}

static void dp_goal_measure(struct dp_quota_goal *g)
{
	bool used;
	u64 now;

	switch (g->metric) {
	case DP_GOAL_SOME_MEM_PSI_US:
		now = dp_psi_some_mem_total_us();
		g->current_value = now - g->last_psi_total;
		g->last_psi_total = now;
		break;
	case DP_GOAL_NODE_MEM_USED_BP:
	case DP_GOAL_NODE_MEM_FREE_BP:
		used = g->metric == DP_GOAL_NODE_MEM_USED_BP;
		g->current_value = dp_node_mem_bp(g->nid, used);
		break;
	case DP_GOAL_ACTIVE_MEM_BP:
	case DP_GOAL_INACTIVE_MEM_BP:
		g->current_value = dp_lru_mem_bp(g->metric ==
						 DP_GOAL_ACTIVE_MEM_BP);
		break;
	case DP_GOAL_NODE_MEMCG_USED_BP:
	case DP_GOAL_NODE_MEMCG_FREE_BP:
		g->current_value = dp_node_memcg_bp(g, g->metric ==
						    DP_GOAL_NODE_MEMCG_USED_BP);
		break;
	case DP_GOAL_HUGEPAGE_MEM_BP:
		g->current_value = dp_huge_mem_bp();
		break;
	default:
		/* user input: the user's; eligible memory: dp_adjust_quota() */
		break;
	}
}

/* The highest score of all goals: the least aggressive wins. */
static unsigned long dp_quota_goals_score(struct dp_quota *quota)
{
	unsigned long highest = 0;
	struct dp_quota_goal *g;

	dp_for_each_goal(g, quota) {
		dp_goal_measure(g);
		highest = max(highest, g->current_value * 10000 /
			      g->target_value);
	}
	return highest;
}

/*
 * The goals' share of the effective quota, in basis points of bytes: the
 * consist tuner's feedback loop, or the temporal tuner's all (the size
 * quota, or no limit) until every goal is met, then nothing.
 */
static void dp_quota_tune_esz_bp(struct dp_quota *quota)
{
	unsigned long score = dp_quota_goals_score(quota);

	quota->goals_met = false;
	if (quota->goal_tuner != DP_GOAL_TUNER_TEMPORAL) {
		quota->esz_bp = dp_feed_loop_next_input(max(quota->esz_bp,
							    10000UL), score);
		return;
	}
	if (score >= 10000) {
		quota->esz_bp = 0;
		quota->goals_met = true;
	} else if (quota->sz && quota->sz <= ULONG_MAX / 10000) {
		quota->esz_bp = quota->sz * 10000;
	} else {
		quota->esz_bp = ULONG_MAX;
	}
}

/**
 * dp_set_effective_quota() - recompute @quota->esz for a new interval.
 * @quota:	a quota with a time or size limit, or goals.
 *
 * The goals' feedback loop gives a size; the time quota, at the throughput
 * seen so far, gives another; the size quota a third: the smallest wins.
 */
static void dp_set_effective_quota(struct dp_quota *quota)
{
	bool goals = !list_empty(&quota->goals);
	unsigned long esz = ULONG_MAX;

	if (!quota->ms && !goals) {
		quota->esz = quota->sz;
		return;
	}
	if (goals) {
		dp_quota_tune_esz_bp(quota);
		esz = quota->esz_bp / 10000;
	}
	if (quota->ms) {
		unsigned long throughput = PAGE_SIZE * 1024;	/* per ms */

		if (quota->total_charged_ns)
			throughput = div64_u64((u64)quota->total_charged_sz *
					       NSEC_PER_MSEC,
					       quota->total_charged_ns);
		esz = min(esz, throughput * quota->ms);
		esz = max_t(unsigned long, esz, DP_MIN_REGION);
	}
	if (quota->sz && quota->sz < esz)
		esz = quota->sz;
	quota->esz = quota->goals_met ? 0 : esz;
}

static bool dp_quota_limited(const struct dp_quota *quota)
{
	return quota->esz || quota->ms || quota->sz ||
		!list_empty(&quota->goals);
}

/**
 * dp_scheme_huge_budget() - the huge page budget a collapse of @s keeps to.
 * @s:	the scheme.
 *
 * Return: the lowest target of its hugepage_mem_bp goals, in basis points;
 * 0 (no budget) for another action, or without such a goal.
 */
unsigned long dp_scheme_huge_budget(const struct dp_scheme *s)
{
	const struct dp_quota_goal *g;
	unsigned long budget = 0;

	if (s->action != DP_ACT_COLLAPSE)
		return 0;
	dp_for_each_goal(g, &s->quota)
		if (g->metric == DP_GOAL_HUGEPAGE_MEM_BP)
			budget = budget ? min(budget, g->target_value) :
				g->target_value;
	return budget;
}

/*
 * A collapse under a huge page budget: the quota is at most the room left,
 * so that the hottest regions, which the quota picks first, take it (the
 * collapse itself stops at the budget: dp_huge_reserve()); none left is a
 * goal met, as the temporal tuner has it, whichever the tuner.
 */
static void dp_cap_huge_budget(struct dp_scheme *s)
{
	unsigned long budget = dp_scheme_huge_budget(s);
	struct dp_quota *quota = &s->quota;
	unsigned long room;

	if (!budget || quota->goals_met)
		return;
	room = dp_huge_headroom_bytes(budget);
	if (!room) {
		quota->goals_met = true;
		quota->esz = 0;
	} else if (!quota->esz || quota->esz > room) {
		quota->esz = room;
	}
}

/*
 * The effective quota of @s for a new charge interval; first the goals
 * only the operations can measure (the node's share of the memory the
 * scheme's pattern matches, upstream 7.x's node_eligible_mem_bp).
 */
static void dp_reset_effective_quota(struct dp_ctx *ctx, struct dp_scheme *s)
{
	struct dp_quota_goal *g;

	dp_for_each_goal(g, &s->quota)
		if (g->metric == DP_GOAL_NODE_ELIGIBLE_MEM_BP)
			g->current_value = ctx->ops.node_eligible_bp ?
				ctx->ops.node_eligible_bp(ctx, s, g->nid) : 0;
	dp_set_effective_quota(&s->quota);
	dp_cap_huge_budget(s);
}

/*
 * At each application: start a new charge interval when the last one is
 * over, and set the score a region needs so that the best ones fill the
 * quota first.
 */
static void dp_adjust_quota(struct dp_ctx *ctx, struct dp_scheme *s)
{
	unsigned long *histogram = ctx->score_histogram;
	struct dp_quota *quota = &s->quota;
	unsigned long cumulated = 0;
	int score, max_score = 0;
	struct dp_target *t;
	struct dp_region *r;

	if (!dp_quota_limited(quota))
		return;
	if (!quota->total_charged_sz && !quota->charged_from) {
		quota->charged_from = jiffies;
		dp_reset_effective_quota(ctx, s);
	}
	if (!time_in_range_open(jiffies, quota->charged_from,
				quota->charged_from +
				msecs_to_jiffies(quota->reset_interval))) {
		if (quota->esz && quota->charged_sz >= quota->esz)
			s->stat.qt_exceeds++;
		quota->total_charged_sz += quota->charged_sz;
		quota->charged_from = jiffies;
		quota->charged_sz = 0;
		dp_reset_effective_quota(ctx, s);
	}
	if (!ctx->ops.get_scheme_score)
		return;

	memset(histogram, 0, sizeof(ctx->score_histogram));
	dp_for_each_target(t, ctx)
		dp_for_each_region(r, t) {
			if (!dp_scheme_pattern_match(r, s))
				continue;
			score = dp_scheme_score(ctx, t, r, s);
			histogram[score] += dp_sz_region(r);
			max_score = max(max_score, score);
		}
	for (score = max_score; score > 0; score--) {
		cumulated += histogram[score];
		if (cumulated >= quota->esz)
			break;
	}
	quota->min_score = score;
}

/*
 * A region that the last exhausted charge interval already covered is
 * skipped, so that the next interval continues where it stopped instead of
 * applying to the same regions again.  A region straddling that point is
 * split there (at a multiple of the context's region unit); the caller sees
 * the second part next.
 */
static bool dp_skip_charged_region(struct dp_ctx *ctx, struct dp_target *t,
				   struct dp_region *r, struct dp_scheme *s)
{
	unsigned long unit = ctx->min_region_sz;
	struct dp_quota *quota = &s->quota;
	unsigned long sz_to_skip;
	bool skip = false;

	if (quota->charge_target_from) {
		if (t != quota->charge_target_from)
			return true;
		if (quota->charge_addr_from &&
		    r->ar.end <= quota->charge_addr_from) {
			skip = true;
		} else if (quota->charge_addr_from &&
			   r->ar.start < quota->charge_addr_from) {
			sz_to_skip = dp_aligned_split(r, quota->charge_addr_from -
						      r->ar.start, unit);
			/* Within the first unit: that unit is skipped. */
			if (!sz_to_skip)
				sz_to_skip = dp_aligned_split(r, unit, unit);
			if (sz_to_skip)
				dp_split_region_at(t, r, sz_to_skip);
			skip = true;
		}
	}
	if (r == dp_last_region(t)) {
		quota->charge_target_from = NULL;
		quota->charge_addr_from = 0;
	}
	return skip;
}

/**
 * dp_scheme_resume_at() - make the next application of @s start at @addr
 * of @t.
 * @s:		the scheme being applied.
 * @t:		the target of the region being applied to.
 * @addr:	where in it the operations stopped, page aligned.
 *
 * For operations that give way to a waiting call in the middle of a
 * region (dp_apply_should_yield()): the next pass goes on from there, as
 * after an exhausted quota, instead of starting over at the first region.
 * Else a region larger than what one pass gets through (paddr's are
 * gigabytes) would never be done past its start while calls keep coming
 * (a tool polling the statistics).
 */
void dp_scheme_resume_at(struct dp_scheme *s, struct dp_target *t,
			 unsigned long addr)
{
	s->quota.charge_target_from = t;
	s->quota.charge_addr_from = addr;
	s->quota.stopped_in_region = true;
}

/*
 * Filters
 */

static int dp_target_idx(struct dp_ctx *ctx, struct dp_target *t)
{
	struct dp_target *ti;
	int idx = 0;

	dp_for_each_target(ti, ctx) {
		if (ti == t)
			break;
		idx++;
	}
	return idx;
}

/*
 * Whether @r matches @f, a region filter.  An address filter splits a
 * region that straddles its range, so that each part is decided on its
 * own; the part after the split point is seen next.
 */
static bool dp_filter_match(struct dp_ctx *ctx, struct dp_target *t,
			    struct dp_region *r, const struct dp_filter *f)
{
	unsigned long start, end;
	bool match = false;

	switch (f->type) {
	case DP_FILTER_TARGET:
		match = dp_target_idx(ctx, t) == f->target_idx;
		break;
	case DP_FILTER_ADDR:
		start = ALIGN_DOWN(f->addr_range.start, ctx->min_region_sz);
		end = ALIGN_DOWN(f->addr_range.end, ctx->min_region_sz);
		if (start <= r->ar.start && r->ar.end <= end) {
			match = true;
		} else if (r->ar.end <= start || end <= r->ar.start) {
			match = false;
		} else if (r->ar.start < start) {
			dp_split_region_at(t, r, start - r->ar.start);
			match = false;
		} else {
			dp_split_region_at(t, r, end - r->ar.start);
			match = true;
		}
		break;
	default:
		break;
	}
	return match == f->matching;
}

/**
 * dp_scheme_has_ops_filters() - whether @s has per-folio filters.
 * @s:	the scheme.
 */
bool dp_scheme_has_ops_filters(const struct dp_scheme *s)
{
	const struct dp_filter *f;

	dp_for_each_filter(f, s)
		if (dp_filter_type_for_ops(f->type))
			return true;
	return false;
}

/*
 * What the filters of a kind decide when none of them applies, as upstream
 * (since 6.15): the opposite of what the last of them does, so that a list
 * ending in an allow filter allows only what some filter allows, and one
 * ending in a reject filter rejects only what some filter rejects.  No
 * filter: allowed.
 */
static bool dp_filters_default_reject(const struct dp_scheme *s, bool ops)
{
	const struct dp_filter *f;
	bool reject = false;

	dp_for_each_filter(f, s)
		if (dp_filter_type_for_ops(f->type) == ops)
			reject = f->allow;
	return reject;
}

/*
 * The region filters, in order: the first that applies decides.  One that
 * allows lets the region through to the action whole, the per-folio
 * filters included (@s->core_filters_allowed); when none applies, the
 * per-folio filters decide if there are any, else the default.
 */
static bool dp_filter_out(struct dp_ctx *ctx, struct dp_target *t,
			  struct dp_region *r, struct dp_scheme *s)
{
	struct dp_filter *f;

	s->core_filters_allowed = false;
	dp_for_each_filter(f, s) {
		if (dp_filter_type_for_ops(f->type))
			continue;
		if (dp_filter_match(ctx, t, r, f)) {
			s->core_filters_allowed = f->allow;
			return !f->allow;
		}
	}
	if (dp_scheme_has_ops_filters(s))
		return false;
	return dp_filters_default_reject(s, false);
}

/**
 * dp_folio_filter_match() - whether a per-folio filter applies to a folio.
 * @f:		the filter.
 * @probe:	the folio; a young filter calls its @young.
 */
bool dp_folio_filter_match(const struct dp_filter *f,
			   struct dp_folio_probe *probe)
{
	bool match;

	switch (f->type) {
	case DP_FILTER_ANON:
		match = probe->anon;
		break;
	case DP_FILTER_MEMCG:
		match = probe->memcg_id && probe->memcg_id == f->memcg_id;
		break;
	case DP_FILTER_YOUNG:
		match = probe->young && probe->young(probe);
		break;
	case DP_FILTER_ACTIVE:
		match = probe->active;
		break;
	case DP_FILTER_HUGEPAGE_SIZE:
		match = f->sz_min <= probe->size && probe->size <= f->sz_max;
		break;
	case DP_FILTER_UNMAPPED:
		match = probe->unmapped;
		break;
	case DP_FILTER_PGIDLE_UNSET:
		match = probe->pgidle_unset && probe->pgidle_unset(probe);
		break;
	case DP_FILTER_PGIDLE_SET:
		/* No folio is neither idle nor not: no attribute at all. */
		match = probe->pgidle_unset && !probe->pgidle_unset(probe);
		break;
	default:
		return false;
	}
	return match == f->matching;
}

/**
 * dp_folio_filter_out() - whether the per-folio filters of @s reject a folio.
 * @s:		the scheme being applied.
 * @probe:	the folio.
 *
 * The first per-folio filter that applies decides; none: the opposite of
 * what the last one does (upstream's rule), unless @probe->young_last
 * rejects it first.  A region that a region filter allowed is allowed
 * whole.  A young filter is looked at (and clears the
 * folio's accessed state, as upstream's) only when reached.
 *
 * Return: true if the action must leave the folio alone.
 */
bool dp_folio_filter_out(const struct dp_scheme *s,
			 struct dp_folio_probe *probe)
{
	const struct dp_filter *f;

	if (s->core_filters_allowed)
		return false;
	dp_for_each_filter(f, s) {
		if (!dp_filter_type_for_ops(f->type))
			continue;
		if (dp_folio_filter_match(f, probe))
			return !f->allow;
	}
	if (probe->young_last && probe->young && probe->young(probe))
		return true;
	return dp_filters_default_reject(s, true);
}

/*
 * Watermarks
 */

static unsigned long dp_free_mem_rate(void)
{
	return global_zone_page_state(NR_FREE_PAGES) * 1000 /
		totalram_pages();
}

/**
 * dp_wmarks_check() - update whether a scheme is active.
 * @wmarks:	its watermarks.
 * @metric:	the metric's value now.
 *
 * Above the high or below the low watermark it goes inactive; an inactive
 * one comes back once the metric falls below the middle one.
 *
 * Return: whether it is active.
 */
static bool dp_wmarks_check(struct dp_watermarks *wmarks, unsigned long metric)
{
	if (wmarks->metric == DP_WMARK_NONE)
		return wmarks->activated = true;
	if (metric > wmarks->high || metric < wmarks->low)
		return wmarks->activated = false;
	if (!wmarks->activated && metric >= wmarks->mid)
		return false;
	return wmarks->activated = true;
}

static unsigned long dp_sis_after(const struct dp_ctx *ctx,
				  unsigned long usecs)
{
	return ctx->passed_sample_intervals +
		usecs / (ctx->attrs.sample_interval ?: 1);
}

static void dp_wmarks_update(struct dp_ctx *ctx, struct dp_scheme *s)
{
	struct dp_watermarks *wmarks = &s->wmarks;

	if (ctx->passed_sample_intervals < wmarks->next_check_sis)
		return;
	dp_wmarks_check(wmarks, wmarks->metric == DP_WMARK_FREE_MEM_RATE ?
			dp_free_mem_rate() : 0);
	wmarks->next_check_sis = dp_sis_after(ctx, wmarks->interval);
}

/*
 * Applying
 */

static void dp_update_stat(struct dp_scheme *s, unsigned long sz_tried,
			   unsigned long sz_applied)
{
	s->stat.nr_tried++;
	s->stat.sz_tried += sz_tried;
	if (sz_applied)
		s->stat.nr_applied++;
	s->stat.sz_applied += sz_applied;
}

/*
 * What an application costs the quota: the region's bytes, or with
 * fail_charge_denom set, the bytes applied to and only that share of the
 * rest (an action that fails on a page did not spend what one that worked
 * did).  An operation may apply to more than the region: then the region.
 */
static unsigned long dp_quota_charge(const struct dp_quota *quota,
				     unsigned long sz,
				     unsigned long sz_applied)
{
	if (!quota->fail_charge_denom || sz_applied > sz)
		return sz;
	return sz_applied + mult_frac(sz - sz_applied,
				      (unsigned long)quota->fail_charge_num,
				      (unsigned long)quota->fail_charge_denom);
}

static void dp_apply_scheme(struct dp_ctx *ctx, struct dp_target *t,
			    struct dp_region *r, struct dp_scheme *s)
{
	struct dp_quota *quota = &s->quota;
	unsigned long sz = dp_sz_region(r);
	unsigned long sz_applied = 0;
	u64 begin;

	if (ctx->ops.apply_scheme) {
		/*
		 * Only what fits in the quota, in whole region units; the
		 * rest waits.  A fresh interval takes at least one unit, or a
		 * quota below the unit would never let anything through.
		 */
		if (quota->esz && quota->charged_sz + sz > quota->esz) {
			unsigned long room = quota->esz - quota->charged_sz;

			if (!quota->charged_sz)
				room = max(room, ctx->min_region_sz);
			sz = dp_aligned_split(r, room, ctx->min_region_sz);
			if (sz)
				dp_split_region_at(t, r, sz);
			else if (quota->charged_sz)
				goto update_stat;
		}
		if (dp_filter_out(ctx, t, r, s))
			return;
		sz = dp_sz_region(r);
		begin = ktime_get_ns();
		s->sz_filter_passed = 0;
		quota->stopped_in_region = false;
		dp_trace_before_apply(ctx, t, r, s);
		sz_applied = ctx->ops.apply_scheme(ctx, t, r, s);
		s->stat.sz_ops_filter_passed += s->sz_filter_passed;
		quota->total_charged_ns += ktime_get_ns() - begin;
		/*
		 * Gave way in the middle: what it went through is what was
		 * tried and charged, and the next application resumes where
		 * it stopped, whether this one exhausted the quota or not.
		 */
		if (quota->stopped_in_region)
			sz = quota->charge_addr_from - r->ar.start;
		quota->charged_sz += dp_quota_charge(quota, sz, sz_applied);
		if (quota->esz && quota->charged_sz >= quota->esz &&
		    !quota->stopped_in_region) {
			quota->charge_target_from = t;
			quota->charge_addr_from = r->ar.end;
		}
	}
	/* Acted on: what it knew of the region's past no longer holds. */
	if (s->action != DP_ACT_STAT)
		r->age = 0;
update_stat:
	dp_update_stat(s, sz, sz_applied);
}

/* max_nr_snapshots reached: the scheme is done (upstream 6.17+). */
static bool dp_scheme_snapshots_done(const struct dp_scheme *s)
{
	return s->max_nr_snapshots &&
		s->stat.nr_snapshots >= s->max_nr_snapshots;
}

/* Applied in this pass: due and active. */
static bool dp_scheme_due(const struct dp_ctx *ctx, const struct dp_scheme *s)
{
	return ctx->passed_sample_intervals >= s->next_apply_sis &&
		s->wmarks.activated;
}

/* A pass went over all of a target's regions: a snapshot for each due one. */
static void dp_count_snapshots(struct dp_ctx *ctx)
{
	struct dp_scheme *s;

	dp_for_each_scheme(s, ctx)
		if (dp_scheme_due(ctx, s) && !dp_scheme_snapshots_done(s))
			s->stat.nr_snapshots++;
}

static void dp_apply_schemes_to(struct dp_ctx *ctx, struct dp_target *t,
				struct dp_region *r)
{
	struct dp_scheme *s;

	dp_for_each_scheme(s, ctx) {
		struct dp_quota *quota = &s->quota;

		if (!dp_scheme_due(ctx, s))
			continue;
		if (quota->goals_met ||
		    (quota->esz && quota->charged_sz >= quota->esz) ||
		    dp_scheme_snapshots_done(s))
			continue;
		if (dp_skip_charged_region(ctx, t, r, s))
			continue;
		if (!dp_scheme_tried(ctx, t, r, s))
			continue;
		dp_apply_scheme(ctx, t, r, s);
	}
}

/* How long a pass of actions runs before it gives way to a waiting writer. */
#define DP_APPLY_SLICE_NS	(100 * NSEC_PER_MSEC)

/**
 * dp_apply_schemes() - apply the schemes that are due, on the kdamond.
 * @ctx:	the context.
 */
void dp_apply_schemes(struct dp_ctx *ctx)
{
	unsigned long interval;
	struct dp_target *t;
	struct dp_region *r;
	struct dp_scheme *s;
	bool due = false;

	dp_for_each_scheme(s, ctx) {
		if (ctx->passed_sample_intervals < s->next_apply_sis)
			continue;
		dp_wmarks_update(ctx, s);
		if (!s->wmarks.activated)
			continue;
		due = true;
		dp_adjust_quota(ctx, s);
	}
	if (!due)
		return;

	/*
	 * Not the _safe walk: a split inserts the next part after r.  A pass
	 * that yields (dp_apply_should_yield()) counts as done: the regions
	 * it did not reach wait for the next one, where a quota resumes from
	 * its charge point.
	 */
	ctx->apply_yield_after_ns = ktime_get_ns() + DP_APPLY_SLICE_NS;
	dp_for_each_target(t, ctx) {
		dp_for_each_region(r, t) {
			if (dp_apply_should_yield(ctx))
				goto done;
			dp_apply_schemes_to(ctx, t, r);
		}
		dp_count_snapshots(ctx);
	}
done:

	dp_for_each_scheme(s, ctx) {
		if (ctx->passed_sample_intervals < s->next_apply_sis)
			continue;
		interval = s->apply_interval_us ?: ctx->attrs.aggr_interval;
		s->next_apply_sis = dp_sis_after(ctx, interval);
	}
}

/**
 * dp_schemes_restart_deadlines() - make every scheme due one apply interval
 * from now; with new intervals, or a new scheme.
 * @ctx:	the context.
 */
void dp_schemes_restart_deadlines(struct dp_ctx *ctx)
{
	struct dp_scheme *s;

	dp_for_each_scheme(s, ctx)
		dp_scheme_restart_deadline(ctx, s);
}

/**
 * dp_scheme_restart_deadline() - make @s due one apply interval from now.
 * @ctx:	its context.
 * @s:		the scheme.
 */
void dp_scheme_restart_deadline(struct dp_ctx *ctx, struct dp_scheme *s)
{
	s->next_apply_sis = dp_sis_after(ctx, s->apply_interval_us ?:
					 ctx->attrs.aggr_interval);
}

/**
 * dp_apply_should_yield() - whether a long pass of scheme actions should
 * stop here and leave the rest for the next one.
 * @ctx:	the context whose kdamond applies the schemes.
 *
 * Actions can take long (collapsing hundreds of huge pages without a quota,
 * a debug kernel): once a pass has run past @ctx->apply_yield_after_ns it
 * gives way to a pending call (a commit, an update) or a stop, which then
 * never wait for a whole pass.
 */
bool dp_apply_should_yield(struct dp_ctx *ctx)
{
	bool calls;

	if (ktime_get_ns() < ctx->apply_yield_after_ns)
		return false;
	if ((current->flags & PF_KTHREAD) && kthread_should_stop())
		return true;
	spin_lock(&ctx->call_lock);
	calls = !list_empty(&ctx->calls);
	spin_unlock(&ctx->call_lock);
	return calls;
}

#ifdef DAMON_PAUSE_KUNIT
#include "schemes-kunit.h"
#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Monitoring intervals auto-tuning, upstream's intervals_goal (6.15+).
 *
 * Every intervals_goal.aggrs aggregations the sampling interval is scaled
 * by how far the last aggregation was from observing access_bp of the
 * possible access events: too few seen, it grows (a page then has longer
 * to be touched between two checks); too many, it shrinks.  It stays in
 * [min_sample_us, max_sample_us], and at 100 us or more (the tuning never
 * spins the kdamond on a min_sample_us of 0), and the aggregation interval
 * keeps its ratio to it, so nr_accesses keeps its scale.
 *
 * It runs on the kdamond at an aggregation, before the counts are reset.
 * A paused kdamond aggregates nothing, so the tuning stops while paused,
 * and the tuned intervals are part of the state a pause keeps.
 */

#include <linux/math.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/overflow.h>

#include <damon_pause/damon.h>
#include <damon_pause/damos.h>

#include "core-internal.h"
#include "trace.h"

/**
 * dp_intervals_goal_valid() - check an intervals goal as upstream does.
 * @attrs:	the attributes holding it.
 *
 * Return: whether tuning is off (aggrs 0), or min_sample_us <= sample
 * interval <= max_sample_us.
 */
bool dp_intervals_goal_valid(const struct dp_attrs *attrs)
{
	const struct dp_intervals_goal *goal = &attrs->intervals_goal;

	if (!goal->aggrs)
		return true;
	return goal->min_sample_us <= attrs->sample_interval &&
		attrs->sample_interval <= goal->max_sample_us;
}

/**
 * dp_intervals_score() - how far the last aggregation reached the goal.
 * @ctx:	the context, at an aggregation.
 *
 * Sizes are counted in pages, so that the products fit 64 bits however
 * large the address space.
 *
 * Return: the access events seen (pages times the samples that saw them
 * accessed) per those the goal asks for, in basis points.
 */
static unsigned long dp_intervals_score(const struct dp_ctx *ctx)
{
	const struct dp_attrs *attrs = &ctx->attrs;
	u64 possible = 0, seen = 0, wanted;
	unsigned int samples = dp_max_nr_accesses(attrs);
	struct dp_target *t;
	struct dp_region *r;

	dp_for_each_target(t, ctx)
		dp_for_each_region(r, t) {
			u64 pages = dp_sz_region(r) >> PAGE_SHIFT ?: 1;

			possible += pages * samples;
			seen += pages * r->nr_accesses;
		}
	wanted = div64_u64(possible * attrs->intervals_goal.access_bp, 10000);
	if (!wanted)
		wanted = 1;
	return mul_u64_u64_div_u64(seen, 10000, wanted);
}

/**
 * dp_intervals_adaptation_bp() - the factor the sampling interval is
 * scaled by, for a score.
 * @score:	dp_intervals_score(), in basis points.
 *
 * The quota feedback loop's rule, on an input of 10000 basis points: in
 * (0, 20000].  Shrinking is halved ([1, 10000] becomes [5000, 10000]), so
 * that one busy aggregation cannot make the interval tiny.
 *
 * Return: the factor, in basis points.
 */
static unsigned long dp_intervals_adaptation_bp(unsigned long score)
{
	unsigned long bp = dp_feed_loop_next_input(100000000, score) / 10000;

	if (bp <= 10000)
		bp = 5000 + bp / 2;
	return bp;
}

/*
 * The shortest sampling interval the tuning goes down to: min_sample_us,
 * but no shorter than DP_TUNED_SAMPLE_MIN_US, unless the interval is so
 * already (the tuning never lengthens it to that).  A min_sample_us of 0
 * would let it reach 0, where the kdamond spins on sleeps of nothing.
 */
#define DP_TUNED_SAMPLE_MIN_US	100UL

static unsigned long dp_intervals_floor(const struct dp_ctx *ctx)
{
	return max(ctx->attrs.intervals_goal.min_sample_us,
		   min(DP_TUNED_SAMPLE_MIN_US, ctx->attrs.sample_interval));
}

/*
 * A deadline counted in sampling intervals of @from_us, as far away in time
 * counted in intervals of @to_us; one never reached stays so.
 */
static unsigned long dp_intervals_rescale_sis(unsigned long deadline,
					      unsigned long now,
					      unsigned long from_us,
					      unsigned long to_us)
{
	u64 left;

	if (deadline <= now || deadline == ULONG_MAX)
		return deadline;
	left = mul_u64_u64_div_u64(deadline - now, from_us, to_us);
	return now + min_t(u64, left, ULONG_MAX - now);
}

/*
 * The sampling interval went from @from_us to the context's: every
 * deadline keeps the time left to it.  Restarting them instead (a full
 * interval from now) would put off for ever an ops update or an
 * application whose interval is longer than the tuning's period.
 */
static void dp_intervals_rescale_deadlines(struct dp_ctx *ctx,
					   unsigned long from_us)
{
	unsigned long now = ctx->passed_sample_intervals;
	unsigned long to_us = ctx->attrs.sample_interval;
	struct dp_scheme *s;

	if (!from_us || !to_us)
		return;
	ctx->next_aggregation_sis =
		dp_intervals_rescale_sis(ctx->next_aggregation_sis, now,
					 from_us, to_us);
	ctx->next_ops_update_sis =
		dp_intervals_rescale_sis(ctx->next_ops_update_sis, now,
					 from_us, to_us);
	dp_for_each_scheme(s, ctx) {
		s->next_apply_sis = dp_intervals_rescale_sis(s->next_apply_sis,
							     now, from_us,
							     to_us);
		s->wmarks.next_check_sis =
			dp_intervals_rescale_sis(s->wmarks.next_check_sis, now,
						 from_us, to_us);
	}
}

/**
 * dp_tune_intervals() - one tuning step, on the kdamond at an aggregation.
 * @ctx:	the context, with a valid intervals goal whose aggrs is set.
 *
 * Results are rescaled to the new intervals as a commit does; the other
 * deadlines keep the time left to them, and the next step is due aggrs
 * aggregations from now.
 */
void dp_tune_intervals(struct dp_ctx *ctx)
{
	const struct dp_intervals_goal *goal = &ctx->attrs.intervals_goal;
	unsigned long bp = dp_intervals_adaptation_bp(dp_intervals_score(ctx));
	unsigned int samples = dp_max_nr_accesses(&ctx->attrs);
	unsigned long from_us = ctx->attrs.sample_interval, period;
	struct dp_attrs tuned = ctx->attrs;

	if (bp != 10000) {
		tuned.sample_interval = clamp(mult_frac(ctx->attrs.sample_interval,
							bp, 10000UL),
					      dp_intervals_floor(ctx),
					      goal->max_sample_us);
		tuned.aggr_interval = tuned.sample_interval * samples;
		dp_rescale_results(ctx, &ctx->attrs, &tuned);
		ctx->attrs = tuned;
	}
	if (ctx->attrs.sample_interval != from_us)
		dp_intervals_rescale_deadlines(ctx, from_us);
	dp_trace_intervals_tune(ctx->attrs.sample_interval);
	if (check_mul_overflow(ctx->attrs.aggr_interval,
			       (unsigned long)goal->aggrs, &period))
		period = ULONG_MAX;
	period /= ctx->attrs.sample_interval ?: 1;
	ctx->next_intervals_tune_sis = ctx->passed_sample_intervals +
		min(period, ULONG_MAX - ctx->passed_sample_intervals);
}

#ifdef DAMON_PAUSE_KUNIT
#include "intervals-kunit.h"
#endif

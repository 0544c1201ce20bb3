// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's events: each fires under our damon_pause system and, where
 * the module took them (src/trace-damon.c), under upstream's damon system,
 * so that a tool recording either sees the same records.
 */
#include <damon_pause/damon.h>

#include "trace.h"
#include "trace-damon.h"

#define CREATE_TRACE_POINTS
#include "dp_trace.h"

/**
 * dp_trace_aggregated() - a region's counts at the end of an aggregation.
 * @ti:		the index of its target in the context.
 * @r:		the region.
 * @nr_regions:	how many regions its target has.
 */
void dp_trace_aggregated(unsigned int ti, struct dp_region *r,
			 unsigned int nr_regions)
{
	trace_damon_aggregated(ti, r, nr_regions);
	dp_up_aggregated(ti, r, nr_regions);
}

/**
 * dp_trace_before_apply() - a scheme's action is about to act on a region.
 * @ctx:	the context.
 * @t:		the region's target.
 * @r:		the region.
 * @s:		the scheme.
 *
 * The indices cost two list walks: only while someone listens.
 */
void dp_trace_before_apply(struct dp_ctx *ctx, struct dp_target *t,
			   struct dp_region *r, struct dp_scheme *s)
{
	unsigned int sidx = 0, tidx = 0;
	struct dp_scheme *si;
	struct dp_target *ti;

	if (!trace_damos_before_apply_enabled() &&
	    !dp_up_before_apply_enabled())
		return;
	dp_for_each_scheme(si, ctx) {
		if (si == s)
			break;
		sidx++;
	}
	dp_for_each_target(ti, ctx) {
		if (ti == t)
			break;
		tidx++;
	}
	trace_damos_before_apply(0, sidx, tidx, r, t->nr_regions);
	dp_up_before_apply(sidx, tidx, r, t->nr_regions);
}

/**
 * dp_trace_intervals_tune() - an intervals auto-tuning step ended.
 * @sample_us:	the sampling interval it arrived at.
 */
void dp_trace_intervals_tune(unsigned long sample_us)
{
	trace_damon_monitor_intervals_tune(sample_us);
	dp_up_intervals_tune(sample_us);
}

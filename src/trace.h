/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DAMON_PAUSE_TRACE_FN_H
#define _DAMON_PAUSE_TRACE_FN_H

struct dp_ctx;
struct dp_region;
struct dp_scheme;
struct dp_target;

void dp_trace_aggregated(unsigned int ti, struct dp_region *r,
			 unsigned int nr_regions);
void dp_trace_before_apply(struct dp_ctx *ctx, struct dp_target *t,
			   struct dp_region *r, struct dp_scheme *s);
void dp_trace_intervals_tune(unsigned long sample_us);

#endif /* _DAMON_PAUSE_TRACE_FN_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitoring core's own: what its files (src/regions.c, schemes.c,
 * probes.c, intervals.c, core.c, commit.c; calls flow one way, in that
 * order: tests/layers.py) call of each other and no other file does.
 * What the operations, the sysfs tree and the supervisor call is in
 * include/damon_pause/.
 */
#ifndef _DAMON_PAUSE_CORE_INTERNAL_H
#define _DAMON_PAUSE_CORE_INTERNAL_H

#include <damon_pause/damon.h>
#include <damon_pause/damos.h>

/**
 * struct dp_merge_rule - when neighbouring regions merge, at an aggregation
 * (dp_merge_regions_of()).
 * @thres:	largest difference of scores that still merges.
 * @sz_limit:	no merged region grows beyond this size.
 * @count_age:	also age the regions: a region whose score moved by more
 *		than @thres since the last aggregation restarts at 0; and
 *		count its idle aggregations (&dp_region.idle_aggrs).
 * @weights:	NULL: the score is nr_accesses; else the probes' weights,
 *		and the score is the weighted sum of probe hits
 *		(dp_region_score()).
 * @span_holes:	also merge neighbours of no access with a hole between
 *		them, into a region that spans the hole
 *		(&dp_operations.adjust_regions cuts holes out).
 * @nr_samples:	the samples behind a count, by which neighbours whose counts
 *		differ by more than @thres may still merge, if the difference
 *		is sampling noise; 0: by @thres only, as for weighted scores.
 */
struct dp_merge_rule {
	unsigned int thres;
	unsigned long sz_limit;
	bool count_age;
	const unsigned int *weights;
	bool span_holes;
	unsigned int nr_samples;
};

/* src/regions.c */
int dp_fit_regions(struct dp_target *t, const struct dp_addr_range *ranges,
		   unsigned int nr_ranges, unsigned long align,
		   struct list_head *fitted, unsigned int *nr_fitted);
unsigned long dp_aligned_split(const struct dp_region *r, unsigned long sz_left,
			       unsigned long align);
void dp_split_regions_of(struct dp_target *t, int nr_subs, unsigned long align,
			 unsigned int max_nr_accesses);
void dp_merge_regions_of(struct dp_target *t, const struct dp_merge_rule *rule);
void dp_rescale_results(struct dp_ctx *ctx, const struct dp_attrs *old,
			const struct dp_attrs *new);

/* src/schemes.c */
struct dp_scheme *dp_copy_scheme(const struct dp_scheme *src);
int dp_quota_goal_valid(const struct dp_quota_goal *g);
bool dp_folio_filter_match(const struct dp_filter *f,
			   struct dp_folio_probe *probe);
unsigned long dp_feed_loop_next_input(unsigned long last_input,
				      unsigned long score);
void dp_apply_schemes(struct dp_ctx *ctx);
void dp_schemes_restart_deadlines(struct dp_ctx *ctx);
void dp_scheme_restart_deadline(struct dp_ctx *ctx, struct dp_scheme *s);

/* src/probes.c */
void dp_destroy_probe(struct dp_probe *p);
void dp_destroy_probes(struct dp_ctx *ctx);
int dp_probes_copy(struct list_head *dst, const struct dp_ctx *src);
bool dp_probe_weights(const struct dp_ctx *ctx,
		      unsigned int weights[DP_MAX_PROBES]);
unsigned long dp_probes_prep_actions(const struct dp_ctx *ctx);
unsigned int dp_probe_max_score(const struct dp_attrs *attrs,
				const unsigned int *weights);

/* src/intervals.c */
bool dp_intervals_goal_valid(const struct dp_attrs *attrs);
void dp_tune_intervals(struct dp_ctx *ctx);

/* src/core.c */
void dp_restart_deadlines(struct dp_ctx *ctx);
void dp_target_watch(struct dp_ctx *ctx, struct dp_target *t);
void dp_target_unwatch(struct dp_target *t);

#endif /* _DAMON_PAUSE_CORE_INTERNAL_H */

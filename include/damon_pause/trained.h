/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A context's trained state, apart from the context: what its kdamond
 * learnt (regions and their counts, the tuned intervals, the schemes'
 * quota tuning), taken out so that another kdamond can start from it
 * (src/trained.c); its text form is the admin tree's (src/sysfs-trained.c).
 */
#ifndef _DAMON_PAUSE_TRAINED_H
#define _DAMON_PAUSE_TRAINED_H

#include <damon_pause/damon.h>

/**
 * struct dp_trained_region - a region and its counts (&struct dp_region).
 * @ar:			the address range.
 * @nr_accesses:	as &dp_region's, and so on.
 * @nr_accesses_bp:	the moving count.
 * @last_nr_accesses:	of the last complete aggregation interval.
 * @age:		aggregation intervals of about the same count.
 * @idle_aggrs:		aggregation intervals in a row without an access.
 * @probe_hits:		per probe, this aggregation interval's hits.
 * @last_probe_hits:	the last complete interval's.
 */
struct dp_trained_region {
	struct dp_addr_range ar;
	unsigned int nr_accesses;
	unsigned int nr_accesses_bp;
	unsigned int last_nr_accesses;
	unsigned int age;
	unsigned int idle_aggrs;
	u8 probe_hits[DP_MAX_PROBES];
	u8 last_probe_hits[DP_MAX_PROBES];
};

/**
 * struct dp_trained_target - a target's regions.
 * @pid:	its process's pid number (in the taker's namespace); 0: none.
 * @nr_regions:	number of @regions.
 * @regions:	sorted by address, not overlapping.
 */
struct dp_trained_target {
	int pid;
	unsigned int nr_regions;
	struct dp_trained_region *regions;
};

/**
 * struct dp_trained_scheme - what a scheme's quota tuning learnt.
 * @action:		its action, so that a restore can tell it is the same.
 * @esz:		the effective size quota.
 * @esz_bp:		the goals' feedback loop state.
 * @min_score:		the score regions needed at the last application.
 * @goals_met:		the temporal tuner saw every goal met.
 * @total_charged_sz:	bytes charged over all past intervals, and
 * @total_charged_ns:	the time that took: the time quota's throughput.
 */
struct dp_trained_scheme {
	enum dp_action action;
	unsigned long esz;
	unsigned long esz_bp;
	unsigned int min_score;
	bool goals_met;
	unsigned long total_charged_sz;
	u64 total_charged_ns;
};

#define DP_TRAINED_OPS_LEN	16

/**
 * struct dp_trained - a context's trained state.
 * @ops:		the name of its operations (filled in by the admin
 *			tree, which names them).
 * @sample_us:		the sampling interval it ran with (tuned or not),
 * @aggr_us:		and the aggregation interval: the counts' unit.
 * @aggr_left:		sampling intervals left to the next aggregation.
 * @nr_targets:		number of @targets.
 * @targets:		the targets, in order.
 * @nr_schemes:		number of @schemes.
 * @schemes:		the schemes, in order.
 */
struct dp_trained {
	char ops[DP_TRAINED_OPS_LEN];
	unsigned long sample_us;
	unsigned long aggr_us;
	unsigned long aggr_left;
	unsigned int nr_targets;
	struct dp_trained_target *targets;
	unsigned int nr_schemes;
	struct dp_trained_scheme *schemes;
};

struct dp_trained_plan;

struct dp_trained *dp_trained_alloc(unsigned int nr_targets,
				    unsigned int nr_schemes);
int dp_trained_alloc_regions(struct dp_trained_target *t, unsigned int nr);
void dp_trained_free(struct dp_trained *tr);
struct dp_trained *dp_trained_take(struct dp_ctx *ctx);
int dp_trained_take_running(struct dp_ctx *ctx, struct dp_trained **tr);
int dp_trained_prepare(const struct dp_trained *tr, struct dp_ctx *params,
		       struct dp_trained_plan **plan);
void dp_trained_drop_plan(struct dp_trained_plan *plan);
int dp_trained_restore(struct dp_ctx *params, const struct dp_trained *tr);
int dp_trained_commit_running(struct dp_ctx *dst, struct dp_ctx *src,
			      const struct dp_trained *tr);

#endif /* _DAMON_PAUSE_TRAINED_H */

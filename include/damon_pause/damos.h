/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Operation schemes (DAMOS): actions applied to the regions whose access
 * pattern matches, under quotas, watermarks and filters, with upstream
 * DAMON's semantics (include/linux/damon.h).  Included by damon.h.
 */
#ifndef _DAMON_PAUSE_DAMOS_H
#define _DAMON_PAUSE_DAMOS_H

#include <linux/list.h>
#include <linux/types.h>

/* Scores of regions for quota prioritisation are in [0, DP_MAX_SCORE]. */
#define DP_MAX_SCORE	99

/**
 * enum dp_action - what a scheme does to the regions it matches.
 * @DP_ACT_STAT:	nothing; only the statistics count.  The default (0).
 * @DP_ACT_WILLNEED:	madvise(MADV_WILLNEED).
 * @DP_ACT_COLD:	madvise(MADV_COLD).
 * @DP_ACT_PAGEOUT:	madvise(MADV_PAGEOUT).
 * @DP_ACT_HUGEPAGE:	madvise(MADV_HUGEPAGE).
 * @DP_ACT_NOHUGEPAGE:	madvise(MADV_NOHUGEPAGE).
 * @DP_ACT_COLLAPSE:	madvise(MADV_COLLAPSE), synchronously.
 * @DP_ACT_LRU_PRIO:	mark the folios accessed (paddr).
 * @DP_ACT_LRU_DEPRIO:	deactivate the folios (paddr).
 * @DP_ACT_MIGRATE_HOT:	migrate the folios to the scheme's target_nid,
 *			hottest regions first (paddr).
 * @DP_ACT_MIGRATE_COLD: the same, coldest regions first (paddr).
 * @NR_DP_ACTIONS:	number of actions.
 *
 * The operations refuse, when a scheme is installed, the actions they do
 * not carry out (dp_operations.scheme_valid).
 */
enum dp_action {
	DP_ACT_STAT,
	DP_ACT_WILLNEED,
	DP_ACT_COLD,
	DP_ACT_PAGEOUT,
	DP_ACT_HUGEPAGE,
	DP_ACT_NOHUGEPAGE,
	DP_ACT_COLLAPSE,
	DP_ACT_LRU_PRIO,
	DP_ACT_LRU_DEPRIO,
	DP_ACT_MIGRATE_HOT,
	DP_ACT_MIGRATE_COLD,
	NR_DP_ACTIONS,
};

/**
 * struct dp_access_pattern - the regions a scheme is for; all inclusive.
 * @min_sz:		smallest region size, bytes.
 * @max_sz:		largest region size, bytes.
 * @min_nr_accesses:	lowest access frequency (nr_accesses).
 * @max_nr_accesses:	highest access frequency.
 * @min_age:		lowest age, in aggregation intervals.
 * @max_age:		highest age.
 */
struct dp_access_pattern {
	unsigned long min_sz;
	unsigned long max_sz;
	unsigned int min_nr_accesses;
	unsigned int max_nr_accesses;
	unsigned int min_age;
	unsigned int max_age;
};

/**
 * enum dp_goal_metric - what a quota goal measures.
 * @DP_GOAL_USER_INPUT:		a value the user feeds in.
 * @DP_GOAL_SOME_MEM_PSI_US:	system memory pressure stall time (µs) per
 *				reset interval.
 * @DP_GOAL_NODE_MEM_USED_BP:	used memory of node @nid, in basis points of
 *				its memory (upstream 6.16+).
 * @DP_GOAL_NODE_MEM_FREE_BP:	free memory of node @nid, the same way.
 * @DP_GOAL_ACTIVE_MEM_BP:	the system's active LRU memory, in basis
 *				points of its LRU memory (upstream 7.0+).
 * @DP_GOAL_INACTIVE_MEM_BP:	its inactive LRU memory, the same way.
 * @DP_GOAL_NODE_MEMCG_USED_BP:	upstream's memory of a cgroup on a node,
 * @DP_GOAL_NODE_MEMCG_FREE_BP:	and the rest of the node's,
 * @DP_GOAL_NODE_ELIGIBLE_MEM_BP: and the node's share of what the scheme
 *				may act on (7.x): names that the files take,
 *				refused by on and commit (EOPNOTSUPP) until
 *				this module measures them.
 * @DP_GOAL_HUGEPAGE_MEM_BP:	the system's memory in transparent huge
 *				pages, in basis points of its used memory
 *				(upstream after 7.3).
 * @NR_DP_GOAL_METRICS:		number of metrics.
 */
enum dp_goal_metric {
	DP_GOAL_USER_INPUT,
	DP_GOAL_SOME_MEM_PSI_US,
	DP_GOAL_NODE_MEM_USED_BP,
	DP_GOAL_NODE_MEM_FREE_BP,
	DP_GOAL_ACTIVE_MEM_BP,
	DP_GOAL_INACTIVE_MEM_BP,
	DP_GOAL_NODE_MEMCG_USED_BP,
	DP_GOAL_NODE_MEMCG_FREE_BP,
	DP_GOAL_NODE_ELIGIBLE_MEM_BP,
	DP_GOAL_HUGEPAGE_MEM_BP,
	NR_DP_GOAL_METRICS,
};

/**
 * struct dp_quota_goal - a value the quota is tuned to reach.
 * @metric:		what is measured.
 * @target_value:	the value to reach.
 * @current_value:	the value now.
 * @nid:		the node of the node_* metrics.
 * @memcg_id:		the memory cgroup of the node_memcg_* metrics.
 * @last_psi_total:	the PSI total at the last measurement.
 * @list:		in &dp_quota->goals.
 */
struct dp_quota_goal {
	enum dp_goal_metric metric;
	unsigned long target_value;
	unsigned long current_value;
	int nid;
	unsigned short memcg_id;
	u64 last_psi_total;
	struct list_head list;
};

/**
 * enum dp_goal_tuner - how goals set the effective quota (upstream 7.1+).
 * @DP_GOAL_TUNER_CONSIST:	a feedback loop that settles on the quota
 *				that keeps the goals just met.
 * @DP_GOAL_TUNER_TEMPORAL:	the whole quota until the goals are met,
 *				then nothing.
 * @NR_DP_GOAL_TUNERS:		number of tuners.
 */
enum dp_goal_tuner {
	DP_GOAL_TUNER_CONSIST,
	DP_GOAL_TUNER_TEMPORAL,
	NR_DP_GOAL_TUNERS,
};

/**
 * struct dp_quota - how much a scheme may do per reset interval.
 * @ms:			time quota: milliseconds of applying, per interval.
 * @sz:			size quota: bytes applied to, per interval.
 * @reset_interval:	the charge interval, ms.
 * @weight_sz:		priority weight of region size (per mille; unused
 *			by the scores, as upstream).
 * @weight_nr_accesses:	priority weight of access frequency.
 * @weight_age:		priority weight of age.
 * @goals:		&dp_quota_goal, tuning the effective quota.
 * @goal_tuner:		how, an &enum dp_goal_tuner.
 * @fail_charge_num:	the share of the bytes an action failed on that is
 * @fail_charge_denom:	charged (num / denom); denom 0: all of them.
 * @esz:		the effective size quota: @sz, the size @ms allows,
 *			and what the goals ask, combined.
 * @esz_bp:		the goals' feedback loop state, @esz in basis points.
 * @charged_sz:		bytes charged in the current interval.
 * @charged_from:	jiffies when the current interval started.
 * @charge_target_from:	where the last exhausted interval stopped (target),
 *			so that the next one continues from there.
 * @charge_addr_from:	... and address.
 * @stopped_in_region:	the operations gave way in the middle of the region
 *			being applied (dp_scheme_resume_at()).
 * @total_charged_sz:	bytes charged over all intervals.
 * @total_charged_ns:	time spent applying over all intervals.
 * @min_score:		regions scoring below this are left for later.
 * @goals_met:		the temporal tuner saw every goal met: nothing is
 *			applied until the next interval.
 */
struct dp_quota {
	unsigned long ms;
	unsigned long sz;
	unsigned long reset_interval;
	unsigned int weight_sz;
	unsigned int weight_nr_accesses;
	unsigned int weight_age;
	struct list_head goals;
	unsigned int goal_tuner;
	unsigned int fail_charge_num;
	unsigned int fail_charge_denom;

	unsigned long esz;
	unsigned long esz_bp;
	unsigned long charged_sz;
	unsigned long charged_from;
	struct dp_target *charge_target_from;
	unsigned long charge_addr_from;
	bool stopped_in_region;
	unsigned long total_charged_sz;
	u64 total_charged_ns;
	unsigned int min_score;
	bool goals_met;
};

/**
 * enum dp_wmark_metric - what watermarks measure.
 * @DP_WMARK_NONE:		nothing: the scheme is always active.
 * @DP_WMARK_FREE_MEM_RATE:	free memory, per mille of all memory.
 * @NR_DP_WMARK_METRICS:	number of metrics.
 */
enum dp_wmark_metric {
	DP_WMARK_NONE,
	DP_WMARK_FREE_MEM_RATE,
	NR_DP_WMARK_METRICS,
};

/**
 * struct dp_watermarks - when a scheme is active.
 * @metric:	what is measured.
 * @interval:	how often, µs.
 * @high:	above this, deactivate.
 * @mid:	below this (and above @low), activate.
 * @low:	below this, deactivate.
 * @activated:	the scheme is active.
 * @next_check_sis: when to measure next, in sampling intervals.
 */
struct dp_watermarks {
	enum dp_wmark_metric metric;
	unsigned long interval;
	unsigned long high;
	unsigned long mid;
	unsigned long low;

	bool activated;
	unsigned long next_check_sis;
};

/**
 * enum dp_filter_type - what a filter looks at.
 * @DP_FILTER_ANON:	anonymous folios.
 * @DP_FILTER_MEMCG:	folios of a memory cgroup.
 * @DP_FILTER_YOUNG:	folios accessed since the last look (which clears it).
 * @DP_FILTER_ADDR:	an address range.
 * @DP_FILTER_TARGET:	a target, by index.
 * @DP_FILTER_ACTIVE:	folios on an active LRU list (upstream 6.15+).
 * @DP_FILTER_HUGEPAGE_SIZE: folios of a size in [sz_min, sz_max] (6.16+).
 * @DP_FILTER_UNMAPPED:	folios no page table maps (6.16+).
 * @DP_FILTER_PGIDLE_UNSET: folios not idle: accessed since they were last
 *		marked idle (data attribute probes only, upstream after 7.3).
 * @DP_FILTER_PGIDLE_SET: folios idle: the complement (probes only; ours).
 * @NR_DP_FILTER_TYPES:	number of types.
 *
 * Address and target look at regions and are applied by the core; the
 * others look at folios: the operations apply them per folio
 * (dp_folio_filter_out()), where their action acts page by page; as
 * upstream's.
 */
enum dp_filter_type {
	DP_FILTER_ANON,
	DP_FILTER_MEMCG,
	DP_FILTER_YOUNG,
	DP_FILTER_ADDR,
	DP_FILTER_TARGET,
	DP_FILTER_ACTIVE,
	DP_FILTER_HUGEPAGE_SIZE,
	DP_FILTER_UNMAPPED,
	DP_FILTER_PGIDLE_UNSET,
	DP_FILTER_PGIDLE_SET,
	NR_DP_FILTER_TYPES,
};

static inline bool dp_filter_type_for_ops(enum dp_filter_type type)
{
	return type != DP_FILTER_ADDR && type != DP_FILTER_TARGET;
}

/* The page idle types are data attribute probes' only, as upstream's. */
static inline bool dp_filter_type_pgidle(enum dp_filter_type type)
{
	return type == DP_FILTER_PGIDLE_UNSET || type == DP_FILTER_PGIDLE_SET;
}

/**
 * struct dp_filter - a rule that allows or rejects regions for a scheme.
 * @type:	what it looks at.
 * @matching:	it applies to regions that match (else to those that don't).
 * @allow:	it allows what it applies to (else rejects it).
 * @addr_range:	the range, for DP_FILTER_ADDR.
 * @target_idx:	the target's index, for DP_FILTER_TARGET; a negative one
 *		matches no target.
 * @memcg_id:	the memory cgroup's id, for DP_FILTER_MEMCG.
 * @sz_min:	the smallest folio size, for DP_FILTER_HUGEPAGE_SIZE.
 * @sz_max:	the largest.
 * @list:	in &dp_scheme->filters; the first filter that applies decides.
 */
struct dp_filter {
	enum dp_filter_type type;
	bool matching;
	bool allow;
	struct dp_addr_range addr_range;
	int target_idx;
	unsigned short memcg_id;
	unsigned long sz_min;
	unsigned long sz_max;
	struct list_head list;
};

/**
 * struct dp_folio_probe - what the per-folio filters look at in a folio.
 * @anon:	the folio is anonymous.
 * @memcg_id:	the id of its memory cgroup; 0: none.
 * @active:	it is on an active LRU list.
 * @unmapped:	no page table maps it.
 * @size:	its size, bytes.
 * @young:	whether it was accessed since the last look, and clears that;
 *		called only when a young filter is reached.
 * @pgidle_unset: whether it was accessed since it was last marked idle
 *		(its idle flag cleared, or an accessed bit of a mapping set:
 *		what idle page tracking would read), changing nothing;
 *		called only when a page idle filter is reached; NULL: there
 *		is no folio, and neither page idle filter matches.
 * @arg:	for @young and @pgidle_unset.
 * @young_last:	a filter that rejects young folios follows the scheme's
 *		own per-folio filters (paddr's pageout looks at each folio's
 *		access again, as upstream's): a folio none of them decides
 *		on is rejected if @young says so, before the default.
 */
struct dp_folio_probe {
	bool anon;
	unsigned short memcg_id;
	bool active;
	bool unmapped;
	unsigned long size;
	bool (*young)(struct dp_folio_probe *probe);
	bool (*pgidle_unset)(struct dp_folio_probe *probe);
	void *arg;
	bool young_last;
};

/**
 * struct dp_scheme_stat - what a scheme did, since it was installed.
 * @nr_tried:	regions it was tried on (the pattern matched).
 * @sz_tried:	their bytes.
 * @nr_applied:	regions its action was applied to.
 * @sz_applied:	their bytes.
 * @qt_exceeds:	charge intervals that ended with the quota exhausted.
 * @sz_ops_filter_passed: bytes the per-folio filters let through to its
 *		action (or, for stat, would have), upstream 6.14+.
 * @nr_snapshots: passes over a target's regions it was applied in.
 */
struct dp_scheme_stat {
	unsigned long nr_tried;
	unsigned long sz_tried;
	unsigned long nr_applied;
	unsigned long sz_applied;
	unsigned long qt_exceeds;
	unsigned long sz_ops_filter_passed;
	unsigned long nr_snapshots;
};

/**
 * struct dp_migrate_dest - a node the migrate actions may move to.
 * @id:		the node.
 * @weight:	its share, against the other destinations' weights.
 */
struct dp_migrate_dest {
	unsigned int id;
	unsigned int weight;
};

/**
 * struct dp_scheme - an operation scheme.
 * @pattern:		the regions it is for.
 * @action:		what it does to them.
 * @apply_interval_us:	how often it is applied; 0: every aggregation.
 * @quota:		how much it may do.
 * @wmarks:		when it is active.
 * @filters:		&dp_filter rules, in order.
 * @stat:		what it did.
 * @target_nid:	the node the migrate actions move to; NUMA_NO_NODE (-1)
 *			by default.
 * @next_apply_sis:	when it is applied next, in sampling intervals.
 * @core_filters_allowed: a region filter allowed the region being applied
 *			to: the per-folio filters let all of it through.
 * @max_nr_snapshots:	the scheme stops once @stat.nr_snapshots reaches it;
 *			0: never.
 * @nr_dests:		number of @dests.
 * @dests:		upstream's migration destinations, which, as there,
 *			only the vaddr migrate actions use (paddr's use
 *			@target_nid): kept for the tools that write them.
 * @sz_filter_passed:	set by the operations during an application: the
 *			bytes its per-folio filters let through.
 * @list:		in &dp_ctx->schemes.
 */
struct dp_scheme {
	struct dp_access_pattern pattern;
	enum dp_action action;
	unsigned long apply_interval_us;
	struct dp_quota quota;
	struct dp_watermarks wmarks;
	struct list_head filters;
	struct dp_scheme_stat stat;
	int target_nid;
	unsigned long next_apply_sis;
	bool core_filters_allowed;
	unsigned long max_nr_snapshots;
	unsigned int nr_dests;
	struct dp_migrate_dest *dests;
	unsigned long sz_filter_passed;
	struct list_head list;
};

#define dp_for_each_filter(f, s) \
	list_for_each_entry(f, &(s)->filters, list)
#define dp_for_each_goal(g, q) \
	list_for_each_entry(g, &(q)->goals, list)

struct dp_ctx;
struct dp_operations;
struct dp_target;
struct dp_region;

/* src/schemes.c */
struct dp_scheme *dp_new_scheme(void);
void dp_destroy_scheme(struct dp_scheme *s);
struct dp_filter *dp_new_filter(enum dp_filter_type type);
struct dp_quota_goal *dp_new_quota_goal(enum dp_goal_metric metric);
int dp_scheme_valid(const struct dp_scheme *s);
int dp_scheme_valid_for(const struct dp_operations *ops,
			const struct dp_scheme *s);
bool dp_scheme_pattern_match(const struct dp_region *r,
			     const struct dp_scheme *s);
bool dp_scheme_has_ops_filters(const struct dp_scheme *s);
bool dp_folio_filter_out(const struct dp_scheme *s,
			 struct dp_folio_probe *probe);
int dp_hot_score(const struct dp_ctx *ctx, const struct dp_region *r,
		 const struct dp_scheme *s);
int dp_cold_score(const struct dp_ctx *ctx, const struct dp_region *r,
		  const struct dp_scheme *s);
unsigned int dp_scheme_tried_walk(const struct dp_ctx *ctx,
				  const struct dp_scheme *s,
				  void (*fn)(void *arg, struct dp_target *t,
					     const struct dp_region *r,
					     unsigned long start,
					     unsigned long end),
				  void *arg);
unsigned long dp_scheme_huge_budget(const struct dp_scheme *s);
bool dp_apply_should_yield(struct dp_ctx *ctx);
void dp_scheme_resume_at(struct dp_scheme *s, struct dp_target *t,
			 unsigned long addr);

#endif /* _DAMON_PAUSE_DAMOS_H */

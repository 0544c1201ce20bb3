/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitoring core's types and API: regions, targets and monitoring
 * attributes, with upstream DAMON's semantics (include/linux/damon.h).
 */
#ifndef _DAMON_PAUSE_DAMON_H
#define _DAMON_PAUSE_DAMON_H

#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/mm.h>
#include <linux/types.h>

/*
 * Regions are page aligned and never smaller than a page; a context may ask
 * for more (dp_ctx.min_region_sz).
 */
#define DP_MIN_REGION	PAGE_SIZE

/*
 * A region of a uniform access count that has held for DP_STABLE_AGE
 * aggregations is split at one aggregation in DP_STABLE_SPLIT_ONE_IN
 * (src/regions.c).
 */
#define DP_STABLE_AGE		10
#define DP_STABLE_SPLIT_ONE_IN	4

/*
 * Across a hole, regions merge only after DP_IDLE_AGGRS aggregations in a
 * row without an access, and only a region with an access in the last
 * DP_IDLE_AGGRS is cut at a hole (src/regions.c, src/ops-vaddr.c).
 */
#define DP_IDLE_AGGRS		5

/*
 * A steady region (idle for DP_IDLE_AGGRS aggregations, or accessed at
 * nearly every sample for DP_STABLE_AGE) has its access checked at one
 * sampling interval in DP_STEADY_SAMPLE_EVERY only, each check standing
 * for that many samples: a change is seen that many intervals late at most
 * (src/regions.c, dp_region_sampled()); an idle one's check looks at all
 * of those intervals (dp_region_primed()).
 */
#define DP_STEADY_SAMPLE_EVERY	4

/*
 * A new context's monitoring attributes, upstream's defaults; the
 * supervisor's too (src/hugepage-params.c, whose descriptions say them).
 * Plain numbers: the descriptions have them through __stringify().
 */
#define DP_DEFAULT_SAMPLE_US		5000
#define DP_DEFAULT_AGGR_US		100000
#define DP_DEFAULT_OPS_UPDATE_US	60000000
#define DP_DEFAULT_MIN_NR_REGIONS	10
#define DP_DEFAULT_MAX_NR_REGIONS	1000

/* nr_accesses_bp is nr_accesses in basis points (1/10000). */
#define DP_BP		10000

/**
 * struct dp_addr_range - an address range, [@start, @end).
 * @start:	first address (inclusive).
 * @end:	end address (exclusive).
 */
struct dp_addr_range {
	unsigned long start;
	unsigned long end;
};

/* Schemes (DAMOS) build on the address range. */
#include <damon_pause/damos.h>

/* Data attribute probes a context takes at most (upstream 7.3's). */
#define DP_MAX_PROBES	4

/* Preparation actions a probe takes at most (ours; upstream sets none). */
#define DP_MAX_PREPS	8

/**
 * enum dp_prep_action - what a probe's preparation does to each region's
 * sampled memory before a sampling interval starts (upstream after 7.3).
 * @DP_PREP_SET_PGIDLE:	mark the folio idle: clear its accessed bits in
 *			every mapping and set its idle flag, so that a
 *			pgidle_unset filter then sees the interval's access.
 * @NR_DP_PREP_ACTIONS:	number of actions.
 */
enum dp_prep_action {
	DP_PREP_SET_PGIDLE,
	NR_DP_PREP_ACTIONS,
};

/**
 * struct dp_probe - a data attribute probe (upstream 7.3's monitoring
 * probes): which sampled memory has an attribute of interest.
 * @weight:	its share in the regions' score when any probe has a weight
 *		("attributes-only" monitoring: the weighted sum of probe hits
 *		replaces nr_accesses in merge and age, and the access checks
 *		stop).
 * @nr_preps:	number of @preps.
 * @preps:	&enum dp_prep_action values, in order.
 * @filters:	&struct dp_filter rules of the anon, memcg and page idle
 *		types, decided as a scheme's per-folio filters: the first
 *		that applies decides; none, the opposite of what the last one
 *		does.
 * @list:	in &dp_ctx->probes.
 */
struct dp_probe {
	unsigned int weight;
	unsigned int nr_preps;
	unsigned char preps[DP_MAX_PREPS];
	struct list_head filters;
	struct list_head list;
};

/**
 * struct dp_region - a monitoring region and what was learnt about it.
 * @ar:			the address range.
 * @sampling_addr:	where the next access check looks.
 * @nr_accesses:	sampling intervals of this aggregation interval in
 *			which an access was seen.
 * @nr_accesses_bp:	a moving sum of the same over the last aggregation
 *			interval's length, in basis points; valid at any time,
 *			not only at aggregation boundaries.
 * @last_nr_accesses:	@nr_accesses of the last complete aggregation interval.
 * @age:		aggregation intervals the access frequency has stayed
 *			about the same.
 * @idle_aggrs:	aggregation intervals in a row, up to the last merge, that
 *		saw no access; counted up to DP_IDLE_AGGRS.
 * @primed_sis:	the sampling interval at whose check the page at
 *		@sampling_addr was made old for the next check of an idle
 *		region, which then covers every interval since
 *		(dp_region_primed()); 0: none.
 * @probe_hits:	per probe, the samples of this aggregation interval that
 *		had its attribute (saturating at 255).
 * @last_probe_hits: the same, of the last complete aggregation interval.
 * @list:		in &dp_target->regions_list, sorted by address.
 */
struct dp_region {
	struct dp_addr_range ar;
	unsigned long sampling_addr;
	unsigned int nr_accesses;
	unsigned int nr_accesses_bp;
	unsigned int last_nr_accesses;
	unsigned int age;
	unsigned int idle_aggrs;
	unsigned long primed_sis;
	unsigned char probe_hits[DP_MAX_PROBES];
	unsigned char last_probe_hits[DP_MAX_PROBES];
	struct list_head list;
};

/**
 * struct dp_target - one monitored address space.
 * @pid:		the process (vaddr); NULL for fvaddr-style ranges.
 * @nr_regions:		number of regions in @regions_list.
 * @regions_list:	sorted, non-overlapping regions.
 * @list:		in the context's targets list.
 * @exit_watch:		on @pid's pidfd waitqueue while the kdamond runs, so
 *			that the process's exit wakes even a paused kdamond.
 * @watching:		@exit_watch is queued.
 * @exited:		@exit_watch saw the process exit (it may still be
 *			unreaped, and then still valid).
 * @obsolete:		in the parameters of a commit only: the running
 *			target at this position goes (upstream 6.17+).
 */
struct dp_target {
	struct pid *pid;
	unsigned int nr_regions;
	struct list_head regions_list;
	struct list_head list;
	struct wait_queue_entry exit_watch;
	bool watching;
	bool exited;
	bool obsolete;
};

/**
 * struct dp_intervals_goal - what the sampling interval is tuned for.
 * @access_bp:	the share of the possible access events (every byte
 *		seen accessed in every sample of an aggregation) to observe,
 *		in basis points.
 * @aggrs:	tune every this many aggregation intervals; 0: no tuning.
 * @min_sample_us: the tuned sampling interval stays within
 * @max_sample_us: [@min_sample_us, @max_sample_us].
 *
 * As upstream's (6.15+): the aggregation interval follows the sampling
 * interval, keeping their ratio.
 */
struct dp_intervals_goal {
	unsigned long access_bp;
	unsigned long aggrs;
	unsigned long min_sample_us;
	unsigned long max_sample_us;
};

/**
 * struct dp_attrs - monitoring attributes (all intervals in microseconds).
 * @sample_interval:	between two access checks of a region.
 * @aggr_interval:	between two aggregations of the checks.
 * @ops_update_interval: between two updates of regions from the address
 *			space layout.
 * @min_nr_regions:	lower bound of the number of regions.
 * @max_nr_regions:	upper bound of the number of regions.
 * @intervals_goal:	the auto-tuning of the first two.
 */
struct dp_attrs {
	unsigned long sample_interval;
	unsigned long aggr_interval;
	unsigned long ops_update_interval;
	unsigned long min_nr_regions;
	unsigned long max_nr_regions;
	struct dp_intervals_goal intervals_goal;
};

struct dp_ctx;
struct dp_scheme;

/**
 * struct dp_operations - how a context looks at its address spaces.
 * @init:		set up the targets' first regions, on the kdamond.
 * @update:		refit regions to the address spaces, every ops update
 *			interval.
 * @prepare_access_checks: clear what the next check looks at.
 * @check_accesses:	see which regions were accessed since the prepare;
 *			returns the highest nr_accesses of any region.
 * @apply_probes:	count, per region and probe, whether the region's
 *			sample has the probe's attribute; with set_samples,
 *			pick the samples first (the access checks, which do
 *			that otherwise, are off); given the probes' weights,
 *			return the highest weighted sum of hits of any region
 *			(NULL: return 0).
 * @prep_probes:	before a sampling interval, take the probes' preparation
 *		actions (a mask of BIT(&enum dp_prep_action)) on each
 *		region's sample; with set_samples, pick the samples first
 *		(apply_probes then keeps them).
 * @target_valid:	whether a target can still be monitored.
 * @apply_scheme:	apply a scheme's action to a region; returns the bytes
 *			it was applied to.
 * @filter_passed:	the bytes of [start, end) of a target that the
 *			per-folio filters of a scheme would let through to its
 *			action (what upstream's application reports for a
 *			tried region); it changes nothing, not even an
 *			accessed bit.
 * @node_eligible_bp:	the share of node nid in the memory of the regions
 *			whose access pattern a scheme matches, in basis
 *			points (upstream's node_eligible_mem_bp goal).
 * @get_scheme_score:	how much a region of a target deserves a scheme's
 *			action, in [0, DP_MAX_SCORE], for quota
 *			prioritisation.
 * @scheme_valid:	whether these operations can carry out a scheme's
 *			action (-EOPNOTSUPP, with a line in the log, when
 *			they cannot, on this kernel or at all) with its
 *			parameters (-EINVAL); called at on and commit, not
 *			on the kdamond.
 * @adjust_regions:	after each aggregation's split, fit the regions to what
 *			can be accessed: move their ends off unmapped or
 *			inaccessible stretches (holes), and cut up to nr_cuts
 *			regions at a hole inside them.  Operations that set
 *			it leave holes between regions, and the merge then
 *			joins neighbours of no access across a hole.
 * @cleanup:		release what @init took, on the kdamond, at its end.
 *
 * Every callback but @scheme_valid runs on the kdamond; any may be NULL.
 */
struct dp_operations {
	void (*init)(struct dp_ctx *ctx);
	void (*update)(struct dp_ctx *ctx);
	void (*prepare_access_checks)(struct dp_ctx *ctx);
	unsigned int (*check_accesses)(struct dp_ctx *ctx);
	unsigned int (*apply_probes)(struct dp_ctx *ctx, bool set_samples,
				     const unsigned int *weights);
	void (*prep_probes)(struct dp_ctx *ctx, bool set_samples,
			    unsigned long actions);
	bool (*target_valid)(struct dp_target *t);
	unsigned long (*apply_scheme)(struct dp_ctx *ctx, struct dp_target *t,
				      struct dp_region *r, struct dp_scheme *s);
	unsigned long (*filter_passed)(struct dp_ctx *ctx, struct dp_target *t,
				       unsigned long start, unsigned long end,
				       struct dp_scheme *s);
	unsigned long (*node_eligible_bp)(struct dp_ctx *ctx,
					  struct dp_scheme *s, int nid);
	int (*get_scheme_score)(struct dp_ctx *ctx, struct dp_target *t,
				struct dp_region *r, struct dp_scheme *s);
	int (*scheme_valid)(const struct dp_scheme *s);
	void (*adjust_regions)(struct dp_ctx *ctx, unsigned int nr_cuts);
	void (*cleanup)(struct dp_ctx *ctx);
};

/**
 * struct dp_call_control - a function to run on a context's kdamond.
 * @fn:		the function; it may change anything of the context.
 * @data:	its argument.
 * @return_code: what @fn returned.
 * @at_aggregation: run @fn at the end of the next aggregation interval, on
 *		its complete counts (what upstream's region walks report),
 *		instead of between two sampling intervals; at once if the
 *		context is paused.
 * @canceled:	the kdamond ended before running @fn.
 * @taken:	the kdamond took it off its list, to run or cancel it; a
 *		killed caller then waits for that instead of withdrawing it.
 * @completion:	completed once @fn ran or was canceled.
 * @list:	in &dp_ctx->calls or &dp_ctx->aggr_calls while pending.
 */
struct dp_call_control {
	int (*fn)(void *data);
	void *data;
	bool at_aggregation;
	int return_code;
	bool canceled;
	bool taken;
	struct completion completion;
	struct list_head list;
};

/**
 * struct dp_ctx - a monitoring context and its kdamond.
 * @attrs:	monitoring attributes.
 * @ops:	monitoring operations.
 * @addr_unit:	bytes per address unit of the regions (upstream 6.18+);
 *		only paddr looks at it, to reach physical addresses beyond
 *		what an unsigned long holds; 1 by default.
 * @min_region_sz: a power of two, at least DP_MIN_REGION: inner region
 *		boundaries are multiples of it, so that regions are made of
 *		whole units of it (huge pages for the supervisor); only a
 *		region ending where a target's range ends may be smaller.
 * @pause:	while set, the kdamond neither monitors nor changes any
 *		monitoring result; it only serves calls and stop requests.
 * @targets:	the monitored address spaces (&dp_target->list).
 * @schemes:	the operation schemes (&dp_scheme->list), in order.
 * @probes:	the data attribute probes (&dp_probe->list), at most
 *		DP_MAX_PROBES, in order: a region's probe_hits[i] is the i-th's.
 * @kdamond:	the kdamond's task (a reference held) from its start until
 *		someone notices its end, else NULL.
 * @kdamond_lock: protects @kdamond.
 * @kdamond_started: completed once the kdamond runs its function.
 * @kdamond_done: completed by the kdamond as the last thing it does with
 *		the context (or the module's text): then it may be freed.
 * @ctxs_node:	in the list of every context (dp_stop_all()).
 * @wait:	the kdamond sleeps here when paused.
 * @call_lock:	protects @calls, @aggr_calls and @calls_closed.
 * @calls:	pending &dp_call_control requests.
 * @aggr_calls:	pending requests that wait for the next aggregation.
 * @calls_closed: no kdamond will serve a new request (not started yet, or
 *		ending): dp_call() refuses instead of queueing.
 * @passed_sample_intervals: sampling intervals done since the start; the
 *		clock of every interval, so paused time is never counted.
 * @next_aggregation_sis: when the next aggregation is due.
 * @next_ops_update_sis: when the next ops update is due.
 * @next_intervals_tune_sis: when the intervals are next tuned.
 * @nr_aggregations: aggregations done since the start.
 * @restored_aggr_left: a restored trained state (src/trained.c) was taken
 *		this many sampling intervals before its aggregation: the new
 *		kdamond's first aggregation interval is that short, so that
 *		the counts it starts with never exceed a full interval's;
 *		0: a full interval.
 * @primes_from_sis: a region primed at an earlier interval's check
 *		(&dp_region.primed_sis) has a window that a pause or a
 *		dropped sample broke: it is prepared again.
 * @last_nr_regions: total regions at the last split, to notice when
 *		splitting in two stopped helping.
 * @wake_requested: dp_wake() asked a paused kdamond to look around.
 * @resample:	a commit on the kdamond in the middle of a long sampling
 *		interval: that interval's sample is dropped, a new one starts
 *		with the new parameters.
 * @last_resume_ns: ktime_get_ns() when the first sampling interval after
 *		the last resume began; how resume latency is measured.
 * @apply_yield_after_ns: when the running pass of scheme actions starts
 *		to give way to calls (dp_apply_should_yield()).
 * @score_histogram: bytes of regions per score, scratch space of quota
 *		prioritisation.
 */
struct dp_ctx {
	struct dp_attrs attrs;
	struct dp_operations ops;
	unsigned long addr_unit;
	unsigned long min_region_sz;
	bool pause;
	struct list_head targets;
	struct list_head schemes;
	struct list_head probes;

	struct task_struct *kdamond;
	struct mutex kdamond_lock;	/* protects kdamond */
	struct completion kdamond_started;
	struct completion kdamond_done;
	struct list_head ctxs_node;
	wait_queue_head_t wait;
	spinlock_t call_lock;	/* protects calls, aggr_calls, calls_closed */
	struct list_head calls;
	struct list_head aggr_calls;
	bool calls_closed;

	unsigned long passed_sample_intervals;
	unsigned long next_aggregation_sis;
	unsigned long next_ops_update_sis;
	unsigned long next_intervals_tune_sis;
	unsigned long nr_aggregations;
	unsigned long restored_aggr_left;
	unsigned long primes_from_sis;
	unsigned int last_nr_regions;
	bool wake_requested;
	bool resample;
	u64 last_resume_ns;
	u64 apply_yield_after_ns;
	unsigned long score_histogram[DP_MAX_SCORE + 1];
};

#define dp_for_each_target(t, ctx) \
	list_for_each_entry(t, &(ctx)->targets, list)
#define dp_for_each_target_safe(t, next, ctx) \
	list_for_each_entry_safe(t, next, &(ctx)->targets, list)

static inline unsigned long dp_sz_region(const struct dp_region *r)
{
	return r->ar.end - r->ar.start;
}

#define dp_first_region(t) \
	list_first_entry(&(t)->regions_list, struct dp_region, list)
#define dp_last_region(t) \
	list_last_entry(&(t)->regions_list, struct dp_region, list)
#define dp_next_region(r) list_next_entry(r, list)
#define dp_prev_region(r) list_prev_entry(r, list)

#define dp_for_each_region(r, t) \
	list_for_each_entry(r, &(t)->regions_list, list)
#define dp_for_each_region_from(r, t) \
	list_for_each_entry_from(r, &(t)->regions_list, list)
#define dp_for_each_region_safe(r, next, t) \
	list_for_each_entry_safe(r, next, &(t)->regions_list, list)

#define dp_for_each_probe(p, ctx) \
	list_for_each_entry(p, &(ctx)->probes, list)
#define dp_for_each_probe_safe(p, next, ctx) \
	list_for_each_entry_safe(p, next, &(ctx)->probes, list)

#define dp_for_each_scheme(s, ctx) \
	list_for_each_entry(s, &(ctx)->schemes, list)
#define dp_for_each_scheme_safe(s, next, ctx) \
	list_for_each_entry_safe(s, next, &(ctx)->schemes, list)

/* src/regions.c */
struct dp_region *dp_new_region(unsigned long start, unsigned long end);
void dp_add_region(struct dp_region *r, struct dp_target *t);
void dp_insert_region(struct dp_region *r, struct dp_region *prev,
		      struct dp_region *next, struct dp_target *t);
void dp_destroy_region(struct dp_region *r, struct dp_target *t);
void dp_destroy_regions(struct dp_target *t);
void dp_region_clamp_sample(struct dp_region *r);
void dp_swap_regions(struct dp_target *t, struct list_head *fitted,
		     unsigned int nr_fitted);
void dp_free_regions(struct list_head *list);
int dp_set_regions(struct dp_target *t, const struct dp_addr_range *ranges,
		   unsigned int nr_ranges, unsigned long align);
int dp_refit_regions(struct dp_target *t, const struct dp_addr_range *ranges,
		     unsigned int nr_ranges, unsigned long align);
void dp_cut_region(struct dp_target *t, struct dp_region *r,
		   const struct dp_addr_range *hole);
void dp_split_region_at(struct dp_target *t, struct dp_region *r,
			unsigned long sz_left);
unsigned int dp_region_score(const struct dp_region *r, bool last,
			     const unsigned int *weights);
unsigned int dp_max_nr_accesses(const struct dp_attrs *attrs);
void dp_update_region_access_rate(struct dp_region *r, bool accessed,
				  const struct dp_attrs *attrs);
bool dp_region_sampled(const struct dp_region *r, unsigned long sis,
		       const struct dp_attrs *attrs);
bool dp_region_priming(const struct dp_region *r, unsigned long from_sis);
bool dp_region_primed(const struct dp_region *r, unsigned long sis,
		      unsigned long from_sis);
bool dp_region_primes(const struct dp_region *r);
void dp_account_check(struct dp_region *r, bool accessed, bool primed,
		      const struct dp_attrs *attrs);

/* src/probes.c */
struct dp_probe *dp_new_probe(void);
bool dp_probe_passes(const struct dp_probe *p, struct dp_folio_probe *fp);
int dp_probes_valid(const struct dp_ctx *ctx, const struct dp_attrs *attrs);
unsigned int dp_probe_hits_mvsum(const struct dp_ctx *ctx,
				 const struct dp_region *r, int i);

/* src/core.c */
struct dp_target *dp_new_target(void);
void dp_add_target(struct dp_ctx *ctx, struct dp_target *t);
void dp_destroy_target(struct dp_target *t);
struct dp_ctx *dp_new_ctx(void);
void dp_destroy_ctx(struct dp_ctx *ctx);
int dp_attrs_valid(const struct dp_attrs *attrs);
int dp_start(struct dp_ctx *ctx, const char *name);
int dp_stop(struct dp_ctx *ctx);
void dp_stop_all(void);
bool dp_is_running(struct dp_ctx *ctx);
int dp_kdamond_pid(struct dp_ctx *ctx);
int dp_call(struct dp_ctx *ctx, struct dp_call_control *control);

/* src/commit.c */
int dp_commit_ctx(struct dp_ctx *dst, struct dp_ctx *src);
int dp_commit_running(struct dp_ctx *dst, struct dp_ctx *src, bool goals_only);

#endif /* _DAMON_PAUSE_DAMON_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Monitoring contexts and their kdamond: the sampling and aggregation loop,
 * pause and resume, and running functions on the kdamond (dp_call()).
 *
 * Everything a context learns (its regions and their history, its interval
 * clock) is touched only by its kdamond while it runs, or by its owner while
 * it does not.  Others reach a running context through dp_call(), which is
 * how pause is set and cleared: the paused kdamond sleeps until a call, a
 * stop request or dp_wake() gives it something to do.
 */

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include <damon_pause/damon.h>

#include "compat.h"
#include "core-internal.h"
#include "trace.h"

/**
 * dp_new_target() - allocate a target with no regions and no process.
 */
struct dp_target *dp_new_target(void)
{
	struct dp_target *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	INIT_LIST_HEAD(&t->regions_list);
	INIT_LIST_HEAD(&t->list);
	return t;
}

/** dp_add_target() - append @t to the targets of @ctx. */
void dp_add_target(struct dp_ctx *ctx, struct dp_target *t)
{
	list_add_tail(&t->list, &ctx->targets);
}

/** dp_destroy_target() - unlink @t, drop its pid and free it. */
void dp_destroy_target(struct dp_target *t)
{
	dp_target_unwatch(t);
	dp_destroy_regions(t);
	list_del(&t->list);
	put_pid(t->pid);
	kfree(t);
}

/* Every context, for dp_stop_all(); taken before any kdamond_lock. */
static DEFINE_MUTEX(dp_ctxs_lock);
static LIST_HEAD(dp_ctxs);

/**
 * dp_new_ctx() - allocate a stopped context with upstream's defaults.
 */
struct dp_ctx *dp_new_ctx(void)
{
	struct dp_ctx *ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return NULL;
	ctx->attrs.sample_interval = DP_DEFAULT_SAMPLE_US;
	ctx->attrs.aggr_interval = DP_DEFAULT_AGGR_US;
	ctx->attrs.ops_update_interval = DP_DEFAULT_OPS_UPDATE_US;
	ctx->attrs.min_nr_regions = DP_DEFAULT_MIN_NR_REGIONS;
	ctx->attrs.max_nr_regions = DP_DEFAULT_MAX_NR_REGIONS;
	ctx->addr_unit = 1;
	ctx->min_region_sz = DP_MIN_REGION;
	INIT_LIST_HEAD(&ctx->targets);
	INIT_LIST_HEAD(&ctx->schemes);
	INIT_LIST_HEAD(&ctx->probes);
	mutex_init(&ctx->kdamond_lock);
	init_completion(&ctx->kdamond_started);
	init_completion(&ctx->kdamond_done);
	init_waitqueue_head(&ctx->wait);
	spin_lock_init(&ctx->call_lock);
	INIT_LIST_HEAD(&ctx->calls);
	INIT_LIST_HEAD(&ctx->aggr_calls);
	ctx->calls_closed = true;
	mutex_lock(&dp_ctxs_lock);
	list_add_tail(&ctx->ctxs_node, &dp_ctxs);
	mutex_unlock(&dp_ctxs_lock);
	return ctx;
}

/**
 * dp_destroy_ctx() - free a stopped context and its targets.
 * @ctx:	the context; its kdamond must have ended.
 */
void dp_destroy_ctx(struct dp_ctx *ctx)
{
	struct dp_target *t, *next;
	struct dp_scheme *s, *next_s;

	if (WARN_ON(dp_is_running(ctx)))
		return;
	mutex_lock(&dp_ctxs_lock);
	list_del(&ctx->ctxs_node);
	mutex_unlock(&dp_ctxs_lock);
	dp_for_each_target_safe(t, next, ctx)
		dp_destroy_target(t);
	dp_for_each_scheme_safe(s, next_s, ctx)
		dp_destroy_scheme(s);
	dp_destroy_probes(ctx);
	mutex_destroy(&ctx->kdamond_lock);
	kfree(ctx);
}

/**
 * dp_attrs_valid() - check monitoring attributes as upstream DAMON does.
 * @attrs:	the attributes.
 *
 * Return: 0, or -EINVAL when min_nr_regions < 3, min > max, the sampling
 * interval is longer than the aggregation interval, or outside the bounds
 * of its tuning.
 */
int dp_attrs_valid(const struct dp_attrs *attrs)
{
	if (attrs->min_nr_regions < 3 ||
	    attrs->min_nr_regions > attrs->max_nr_regions ||
	    attrs->sample_interval > attrs->aggr_interval ||
	    !dp_intervals_goal_valid(attrs))
		return -EINVAL;
	return 0;
}

/*
 * The deadline @usecs from now, in sampling intervals (0 µs counts as 1);
 * one too far to count is never reached.
 */
static unsigned long dp_sis_from_now(const struct dp_ctx *ctx,
				     unsigned long usecs)
{
	unsigned long sample = ctx->attrs.sample_interval ?: 1;
	unsigned long now = ctx->passed_sample_intervals;

	return now + min(usecs / sample, ULONG_MAX - now);
}

/**
 * dp_restart_deadlines() - make the next aggregation and ops update due
 * one full interval from now, with the context's current attributes.
 * @ctx:	the context.
 */
void dp_restart_deadlines(struct dp_ctx *ctx)
{
	const struct dp_attrs *attrs = &ctx->attrs;
	unsigned long tune_us;

	ctx->next_aggregation_sis = dp_sis_from_now(ctx, attrs->aggr_interval);
	ctx->next_ops_update_sis = dp_sis_from_now(ctx,
						   attrs->ops_update_interval);
	if (check_mul_overflow(attrs->aggr_interval,
			       attrs->intervals_goal.aggrs, &tune_us))
		tune_us = ULONG_MAX;
	ctx->next_intervals_tune_sis = dp_sis_from_now(ctx, tune_us);
	dp_schemes_restart_deadlines(ctx);
}

/* A merge never makes a region larger than an even share of the targets. */
static unsigned long dp_region_sz_limit(struct dp_ctx *ctx)
{
	struct dp_target *t;
	struct dp_region *r;
	unsigned long sz = 0;

	dp_for_each_target(t, ctx)
		dp_for_each_region(r, t)
			sz += dp_sz_region(r);
	if (ctx->attrs.min_nr_regions)
		sz /= ctx->attrs.min_nr_regions;
	return max(sz, ctx->min_region_sz);
}

/*
 * Merge alike neighbours; if the count is still above max_nr_regions (the
 * user lowered it), merge again with a looser threshold until it fits.
 * @weights: the probes' in attributes-only monitoring, else NULL.
 */
static void kdamond_merge_regions(struct dp_ctx *ctx, unsigned int thres,
				  unsigned long sz_limit,
				  const unsigned int *weights)
{
	unsigned int max_thres = dp_max_nr_accesses(&ctx->attrs);
	struct dp_merge_rule rule = {
		.thres = thres,
		.sz_limit = sz_limit,
		.count_age = true,
		.weights = weights,
		.span_holes = !!ctx->ops.adjust_regions,
		/* Weighted probe hits are no binomial draw: by thres alone. */
		.nr_samples = weights ? 0 : max_thres,
	};
	struct dp_target *t;
	unsigned int nr;

	if (weights)
		max_thres = dp_probe_max_score(&ctx->attrs, weights);
	for (;;) {
		nr = 0;
		dp_for_each_target(t, ctx) {
			dp_merge_regions_of(t, &rule);
			nr += t->nr_regions;
		}
		rule.count_age = false;
		if (nr <= ctx->attrs.max_nr_regions || rule.thres >= max_thres)
			break;
		rule.thres = rule.thres < max_thres / 2 ?
			max(1U, rule.thres * 2) : max_thres;
	}
}

/*
 * Close the aggregation interval: its counts go to the tracepoint and
 * become the "last" ones.  In attributes-only monitoring (@attrs_only) no
 * access is counted: the moving count too reads 0 from then on, not what
 * it was when the access checks stopped.
 */
static void kdamond_reset_aggregated(struct dp_ctx *ctx, bool attrs_only)
{
	unsigned int ti = 0;
	struct dp_target *t;
	struct dp_region *r;

	dp_for_each_target(t, ctx) {
		dp_for_each_region(r, t) {
			dp_trace_aggregated(ti, r, t->nr_regions);
			r->last_nr_accesses = r->nr_accesses;
			r->nr_accesses = 0;
			memcpy(r->last_probe_hits, r->probe_hits,
			       sizeof(r->probe_hits));
			memset(r->probe_hits, 0, sizeof(r->probe_hits));
			if (attrs_only)
				r->nr_accesses_bp = 0;
		}
		ti++;
	}
}

static unsigned int dp_nr_regions(struct dp_ctx *ctx)
{
	unsigned int nr = 0;
	struct dp_target *t;

	dp_for_each_target(t, ctx)
		nr += t->nr_regions;
	return nr;
}

/*
 * Split while there is room (at most half of max_nr_regions in use); in
 * three when splitting in two changed nothing last time.  Then let the
 * operations fit the regions to what can be accessed, cutting holes out
 * with the room the split had, below half of max_nr_regions before it,
 * and within max_nr_regions after it: a cut at a hole tells apart what a
 * split at random only may, and pieces of a split that stay apart (they
 * merge within one deviation only) left no room for cuts, so that a hot
 * mapping among many stayed in a region with its cold neighbours for
 * seconds longer.
 */
static void kdamond_split_regions(struct dp_ctx *ctx, bool attrs_only)
{
	unsigned int nr = dp_nr_regions(ctx), max_nr_accesses;
	unsigned int half = ctx->attrs.max_nr_regions / 2;
	unsigned int max_nr = ctx->attrs.max_nr_regions;
	unsigned int room = half > nr ? half - nr : 0;
	struct dp_target *t;
	int nr_subs = 2;

	/* Counts of probe hits have no "nearly all" to settle at. */
	max_nr_accesses = attrs_only ? 0 : dp_max_nr_accesses(&ctx->attrs);
	if (nr <= half) {
		if (nr == ctx->last_nr_regions &&
		    nr < ctx->attrs.max_nr_regions / 3)
			nr_subs = 3;
		dp_for_each_target(t, ctx)
			dp_split_regions_of(t, nr_subs, ctx->min_region_sz,
					    max_nr_accesses);
		ctx->last_nr_regions = nr;
	}
	if (ctx->ops.adjust_regions) {
		nr = dp_nr_regions(ctx);
		ctx->ops.adjust_regions(ctx, min(room, max_nr > nr ?
						 max_nr - nr : 0));
	}
}

/*
 * Run the requests pending on @calls, or with @close, refuse new ones from
 * now on and cancel the pending ones.
 *
 * Why no request is ever lost: a request is only ever taken off its list
 * (&ctx->calls or &ctx->aggr_calls) here, under call_lock, by the kdamond,
 * and whoever takes one off completes it.  dp_call() queues under the same
 * lock and only while calls_closed is false; the kdamond sets calls_closed
 * in the same critical section in which it takes the last requests off the
 * first list, and then takes those of the second, to which nobody can add
 * any more.  So every queued request is taken exactly once and completed
 * exactly once, and a request made after the close is refused up front
 * instead of queued.  Nothing ever clears a list "as a whole" from outside,
 * the step that let upstream's damos_walk_cancel() drop a request
 * registered after the one it completed.
 */
static void kdamond_serve(struct dp_ctx *ctx, struct list_head *calls,
			  bool close)
{
	struct dp_call_control *control, *next;
	LIST_HEAD(taken);

	spin_lock(&ctx->call_lock);
	if (close)
		ctx->calls_closed = true;
	list_for_each_entry(control, calls, list)
		control->taken = true;
	list_splice_init(calls, &taken);
	spin_unlock(&ctx->call_lock);

	list_for_each_entry_safe(control, next, &taken, list) {
		list_del(&control->list);
		if (close)
			control->canceled = true;
		else
			control->return_code = control->fn(control->data);
		/* The caller may free @control as soon as this returns. */
		complete(&control->completion);
	}
}

/*
 * Between two sampling intervals: the calls, and those waiting for an
 * aggregation too if there will be none (paused, or ending).
 */
static void kdamond_serve_calls(struct dp_ctx *ctx, bool close)
{
	kdamond_serve(ctx, &ctx->calls, close);
	if (close || ctx->pause)
		kdamond_serve(ctx, &ctx->aggr_calls, close);
}

/*
 * Lockless, as it is read in a wait condition (task state already set):
 * dp_call() queues before its wake_up(), so a request that this misses
 * wakes the sleeper right after.
 */
static bool kdamond_has_calls(struct dp_ctx *ctx)
{
	return !list_empty_careful(&ctx->calls) ||
		!list_empty_careful(&ctx->aggr_calls);
}

static bool kdamond_need_stop(struct dp_ctx *ctx)
{
	struct dp_target *t;

	if (kthread_should_stop())
		return true;
	if (!ctx->ops.target_valid)
		return false;
	dp_for_each_target(t, ctx)
		if (ctx->ops.target_valid(t))
			return false;
	return true;
}

/*
 * A target whose process has exited stays valid until it is reaped (as
 * upstream's).  The exit wakes a paused kdamond through the pid's pidfd
 * waitqueue; the reap does too from 6.9 on, but not on older kernels, so
 * while an exited target is still valid a paused kdamond looks again every
 * DP_ZOMBIE_POLL.  Zombies are short-lived; a live process costs nothing.
 */
#define DP_ZOMBIE_POLL	(HZ / 10)

static bool kdamond_zombie_targets(struct dp_ctx *ctx)
{
	struct dp_target *t;

	dp_for_each_target(t, ctx)
		if (READ_ONCE(t->exited))
			return true;
	return false;
}

/*
 * Sleep, paused, until there is something to do: a call (maybe the one that
 * resumes), a stop request, or a dp_wake() (a target may have gone).  No
 * timer: a paused kdamond costs no CPU and no wakeups, whatever
 * sample_interval is (upstream's paused loop sleeps one sampling interval
 * at a time, which spins when that is 0).
 */
static void kdamond_pause_wait(struct dp_ctx *ctx)
{
	if (kdamond_zombie_targets(ctx))
		wait_event_idle_timeout(ctx->wait, kthread_should_stop() ||
					READ_ONCE(ctx->wake_requested) ||
					kdamond_has_calls(ctx),
					DP_ZOMBIE_POLL);
	else
		wait_event_idle(ctx->wait, kthread_should_stop() ||
				READ_ONCE(ctx->wake_requested) ||
				kdamond_has_calls(ctx));
	WRITE_ONCE(ctx->wake_requested, false);
}

/* Whether a long sampling sleep has something to do before its end. */
static bool kdamond_sleep_interrupted(struct dp_ctx *ctx)
{
	return kthread_should_stop() || READ_ONCE(ctx->wake_requested) ||
		!list_empty_careful(&ctx->calls);
}

/*
 * Sleep one sampling interval.  Up to 20 ms in one go on an hrtimer, as
 * upstream; a longer one (which may be days, or forever at ULONG_MAX) on
 * ctx->wait, with a jiffies timeout: a call is then served at once and
 * the sleep goes on to the interval's end, unless the call paused the
 * context or committed new parameters; a stop or a dp_wake() ends it.
 * So no request ever waits for a sampling interval longer than 20 ms.
 *
 * Return: whether the interval was slept to its end (the sample counts).
 */
static bool kdamond_sleep_sample(struct dp_ctx *ctx)
{
	unsigned long usecs = ctx->attrs.sample_interval;
	u64 now = ktime_get_ns(), end;
	long timeout;

	if (usecs <= 20 * USEC_PER_MSEC) {
		dp_usleep_idle(usecs, usecs + 1);
		return true;
	}
	end = usecs < (U64_MAX - now) / NSEC_PER_USEC ?
		now + (u64)usecs * NSEC_PER_USEC : U64_MAX;
	ctx->resample = false;
	while (now < end) {
		timeout = min_t(u64, div_u64(end - now, NSEC_PER_SEC / HZ) + 1,
				MAX_SCHEDULE_TIMEOUT - 1);
		wait_event_idle_timeout(ctx->wait,
					kdamond_sleep_interrupted(ctx), timeout);
		if (kthread_should_stop())
			return false;
		if (READ_ONCE(ctx->wake_requested)) {
			/* A target may be gone: the loop looks first. */
			WRITE_ONCE(ctx->wake_requested, false);
			return false;
		}
		kdamond_serve(ctx, &ctx->calls, false);
		if (ctx->pause || ctx->resample)
			return false;
		now = ktime_get_ns();
	}
	return true;
}

/* Primes made so far have windows a pause or a dropped sample broke. */
static void kdamond_drop_primes(struct dp_ctx *ctx)
{
	ctx->primes_from_sis = ctx->passed_sample_intervals + 1;
}

static void kdamond_init_intervals(struct dp_ctx *ctx)
{
	struct dp_target *t;
	struct dp_region *r;

	/* The clock restarts: primes of a kdamond before are no clue. */
	dp_for_each_target(t, ctx)
		dp_for_each_region(r, t)
			r->primed_sis = 0;
	ctx->passed_sample_intervals = 0;
	kdamond_drop_primes(ctx);
	dp_restart_deadlines(ctx);
	if (ctx->restored_aggr_left)
		ctx->next_aggregation_sis = min(ctx->next_aggregation_sis,
						ctx->restored_aggr_left);
	ctx->restored_aggr_left = 0;
}

/*
 * The probes' preparations, on the samples of the interval to come: those
 * the access checks' preparation just picked, or, in attributes-only
 * monitoring, picked here (apply_probes then keeps them).
 *
 * Return: whether the samples were picked.
 */
static bool kdamond_prep_probes(struct dp_ctx *ctx, bool attrs_only)
{
	unsigned long actions;

	if (!ctx->ops.prep_probes)
		return false;
	actions = dp_probes_prep_actions(ctx);
	if (!actions)
		return false;
	ctx->ops.prep_probes(ctx, attrs_only, actions);
	return attrs_only;
}

/*
 * One sampling interval: prepare, sleep, check, probe; aggregate when due.
 * In attributes-only monitoring (a probe has a weight) there are no access
 * checks: the probes pick the samples, and their weighted hits are the
 * score regions merge on.
 */
static void kdamond_sample(struct dp_ctx *ctx, unsigned long *sz_limit)
{
	const struct dp_attrs *attrs = &ctx->attrs;
	unsigned int weights[DP_MAX_PROBES];
	unsigned int max_score = 0, max_wsum;
	bool aggregate, attrs_only, picked;

	attrs_only = dp_probe_weights(ctx, weights);
	if (!attrs_only && ctx->ops.prepare_access_checks)
		ctx->ops.prepare_access_checks(ctx);
	picked = kdamond_prep_probes(ctx, attrs_only);
	if (!kdamond_sleep_sample(ctx)) {
		kdamond_drop_primes(ctx);
		return;
	}
	ctx->passed_sample_intervals++;
	if (!attrs_only && ctx->ops.check_accesses)
		max_score = ctx->ops.check_accesses(ctx);

	aggregate = ctx->passed_sample_intervals >= ctx->next_aggregation_sis;
	if (ctx->ops.apply_probes && !list_empty(&ctx->probes)) {
		max_wsum = ctx->ops.apply_probes(ctx, attrs_only && !picked,
				aggregate && attrs_only ? weights : NULL);
		if (attrs_only)
			max_score = max_wsum;
	}
	if (aggregate)
		kdamond_merge_regions(ctx, max_score / 10, *sz_limit,
				      attrs_only ? weights : NULL);
	/* After the merge, on fewer regions; before the reset, on results. */
	if (!list_empty(&ctx->schemes))
		dp_apply_schemes(ctx);
	if (aggregate) {
		kdamond_serve(ctx, &ctx->aggr_calls, false);
		/* On this aggregation's counts, read by the calls above. */
		if (attrs->intervals_goal.aggrs &&
		    ctx->passed_sample_intervals >= ctx->next_intervals_tune_sis)
			dp_tune_intervals(ctx);
		kdamond_reset_aggregated(ctx, attrs_only);
		kdamond_split_regions(ctx, attrs_only);
		ctx->nr_aggregations++;
		ctx->next_aggregation_sis =
			dp_sis_from_now(ctx, attrs->aggr_interval);
	}
	if (ctx->passed_sample_intervals >= ctx->next_ops_update_sis) {
		if (ctx->ops.update)
			ctx->ops.update(ctx);
		*sz_limit = dp_region_sz_limit(ctx);
		ctx->next_ops_update_sis =
			dp_sis_from_now(ctx, attrs->ops_update_interval);
	}
}

/*
 * The kdamond.  Interval deadlines are kept in sampling intervals, which do
 * not pass while paused: after a resume every interval simply continues
 * where it stopped, with no burst of overdue aggregations, and the paused
 * time never counts as age.
 */
static int kdamond_fn(void *data)
{
	struct dp_ctx *ctx = data;
	struct dp_target *t;
	unsigned long sz_limit;
	bool paused = false;

	complete(&ctx->kdamond_started);
	dp_for_each_target(t, ctx)
		dp_target_watch(ctx, t);
	kdamond_init_intervals(ctx);
	if (ctx->ops.init)
		ctx->ops.init(ctx);
	sz_limit = dp_region_sz_limit(ctx);

	for (;;) {
		kdamond_serve_calls(ctx, false);
		if (kdamond_need_stop(ctx))
			break;
		if (ctx->pause) {
			paused = true;
			kdamond_pause_wait(ctx);
			continue;
		}
		if (paused) {
			WRITE_ONCE(ctx->last_resume_ns, ktime_get_ns());
			kdamond_drop_primes(ctx);
			paused = false;
		}
		kdamond_sample(ctx, &sz_limit);
	}

	kdamond_serve_calls(ctx, true);
	if (ctx->ops.cleanup)
		ctx->ops.cleanup(ctx);
	/*
	 * The regions stay, with their counts, until the context is freed:
	 * they are the trained state a stopped context still reads out
	 * (src/trained.c), for a new kdamond to start from.
	 */
	dp_for_each_target(t, ctx)
		dp_target_unwatch(t);

	/*
	 * The end: from the completion on, the context may be freed and the
	 * module unloaded, so this exits from the kernel's own code and never
	 * returns here (kdamond_reap() then forgets the task).
	 */
	kthread_complete_and_exit(&ctx->kdamond_done, 0);
}

/*
 * Forget a kdamond that ended by itself; kdamond_lock held.  A kdamond is
 * running from dp_start() until it completes kdamond_done.
 */
static void kdamond_reap(struct dp_ctx *ctx)
{
	if (ctx->kdamond && completion_done(&ctx->kdamond_done)) {
		put_task_struct(ctx->kdamond);
		ctx->kdamond = NULL;
	}
}

/**
 * dp_start() - start the kdamond of @ctx.
 * @ctx:	a stopped context with valid attributes.
 * @name:	the kdamond's thread name.
 *
 * If @ctx->pause is set, the kdamond starts paused.
 *
 * Return: 0, -EINVAL for invalid attributes, -EBUSY if it runs already, or
 * the error of creating the thread.
 */
int dp_start(struct dp_ctx *ctx, const char *name)
{
	struct task_struct *tsk;
	int err;

	err = dp_attrs_valid(&ctx->attrs);
	if (err)
		return err;

	mutex_lock(&ctx->kdamond_lock);
	kdamond_reap(ctx);
	if (ctx->kdamond) {
		err = -EBUSY;
		goto out;
	}
	ctx->wake_requested = false;
	ctx->nr_aggregations = 0;
	ctx->last_nr_regions = 0;
	spin_lock(&ctx->call_lock);
	ctx->calls_closed = false;
	spin_unlock(&ctx->call_lock);

	tsk = kthread_create(kdamond_fn, ctx, "%s", name);
	if (IS_ERR(tsk)) {
		err = PTR_ERR(tsk);
		spin_lock(&ctx->call_lock);
		ctx->calls_closed = true;
		spin_unlock(&ctx->call_lock);
		goto out;
	}
	/* Ours until reaped: kthread_stop() may come after its exit. */
	get_task_struct(tsk);
	ctx->kdamond = tsk;
	reinit_completion(&ctx->kdamond_started);
	reinit_completion(&ctx->kdamond_done);
	wake_up_process(tsk);
	/*
	 * A kthread stopped before it first runs never calls its function,
	 * and this one must, to close its calls and clear ->kdamond: so a
	 * dp_stop() may only come once it runs.
	 */
	wait_for_completion(&ctx->kdamond_started);
out:
	mutex_unlock(&ctx->kdamond_lock);
	return err;
}

/**
 * dp_stop() - stop the kdamond of @ctx and wait for its end.
 * @ctx:	the context; it may be paused.
 *
 * Return: 0, or -EPERM if it was not running (upstream's code for that).
 */
int dp_stop(struct dp_ctx *ctx)
{
	struct task_struct *tsk;

	mutex_lock(&ctx->kdamond_lock);
	kdamond_reap(ctx);
	tsk = ctx->kdamond;
	/* Pinned: another dp_stop() may reap it as soon as it is unlocked. */
	if (tsk)
		get_task_struct(tsk);
	mutex_unlock(&ctx->kdamond_lock);
	if (!tsk)
		return -EPERM;
	kthread_stop(tsk);
	put_task_struct(tsk);
	mutex_lock(&ctx->kdamond_lock);
	kdamond_reap(ctx);
	mutex_unlock(&ctx->kdamond_lock);
	return 0;
}

/**
 * dp_stop_all() - stop the kdamond of every context there is.
 *
 * For the unload: a writer that holds the admin tree's lock while it waits
 * on a kdamond (say for an aggregation interval of a day) gets its request
 * canceled and lets go, instead of making the unload wait with it.
 */
void dp_stop_all(void)
{
	struct dp_ctx *ctx;

	mutex_lock(&dp_ctxs_lock);
	list_for_each_entry(ctx, &dp_ctxs, ctxs_node)
		dp_stop(ctx);
	mutex_unlock(&dp_ctxs_lock);
}

/** dp_is_running() - whether the kdamond of @ctx runs (paused or not). */
bool dp_is_running(struct dp_ctx *ctx)
{
	bool running;

	mutex_lock(&ctx->kdamond_lock);
	kdamond_reap(ctx);
	running = ctx->kdamond;
	mutex_unlock(&ctx->kdamond_lock);
	return running;
}

/**
 * dp_kdamond_pid() - the pid of a context's kdamond.
 * @ctx:	the context.
 *
 * Return: the pid, or -1 if no kdamond runs.
 */
int dp_kdamond_pid(struct dp_ctx *ctx)
{
	int pid = -1;

	mutex_lock(&ctx->kdamond_lock);
	kdamond_reap(ctx);
	if (ctx->kdamond)
		pid = task_pid_nr(ctx->kdamond);
	mutex_unlock(&ctx->kdamond_lock);
	return pid;
}

/**
 * dp_call() - run @control->fn on the kdamond of @ctx and wait for it.
 * @ctx:	a running context, paused or not.
 * @control:	the function and its argument; the rest is filled in.
 *
 * The function runs between two sampling intervals (with
 * @control->at_aggregation, at the end of the next aggregation interval,
 * before its counts are reset), or at once on a paused kdamond, with
 * nothing else of the context running: it may read or change anything,
 * including @ctx->pause.
 *
 * The wait is killable: a killed caller withdraws a request that is still
 * pending (or waits for the one being run, which ends soon).
 *
 * Return: 0 once it ran (its result is in @control->return_code) or once
 * the kdamond ended without running it (@control->canceled set: upstream's
 * damon_call() answers 0 there too), -EINVAL if no kdamond runs, -EINTR if
 * the caller was killed first.
 */
int dp_call(struct dp_ctx *ctx, struct dp_call_control *control)
{
	init_completion(&control->completion);
	control->canceled = false;
	control->taken = false;
	control->return_code = 0;

	spin_lock(&ctx->call_lock);
	if (ctx->calls_closed) {
		spin_unlock(&ctx->call_lock);
		return -EINVAL;
	}
	list_add_tail(&control->list, control->at_aggregation ?
		      &ctx->aggr_calls : &ctx->calls);
	spin_unlock(&ctx->call_lock);

	wake_up(&ctx->wait);
	if (wait_for_completion_killable(&control->completion)) {
		spin_lock(&ctx->call_lock);
		if (!control->taken) {
			list_del(&control->list);
			spin_unlock(&ctx->call_lock);
			return -EINTR;
		}
		spin_unlock(&ctx->call_lock);
		wait_for_completion(&control->completion);
	}
	return 0;
}

/**
 * dp_wake() - make a paused kdamond re-check its stop conditions.
 * @ctx:	the context.
 *
 * For events a sleeping kdamond would otherwise not notice, such as a
 * target process exiting.  Safe from any context that may take a spinlock.
 */
static void dp_wake(struct dp_ctx *ctx)
{
	WRITE_ONCE(ctx->wake_requested, true);
	wake_up(&ctx->wait);
}

/* Called by the process's exit notification, under its waitqueue lock. */
static int dp_target_exit_wake(struct wait_queue_entry *wait,
			       unsigned int mode, int sync, void *key)
{
	struct dp_target *t = container_of(wait, struct dp_target, exit_watch);

	WRITE_ONCE(t->exited, true);
	dp_wake(wait->private);
	return 0;
}

/**
 * dp_target_watch() - wake @ctx's kdamond when @t's process exits.
 * @ctx:	the context of @t.
 * @t:		the target; nothing happens without a pid or if watched.
 *
 * Hooks into the pid's pidfd waitqueue, which the exit path wakes once the
 * process has exited (its mm already released), and again at its reap
 * from 6.9 on: a paused kdamond learns of it without polling.
 */
void dp_target_watch(struct dp_ctx *ctx, struct dp_target *t)
{
	struct task_struct *task;
	bool exited;

	if (t->watching || !t->pid)
		return;
	init_waitqueue_func_entry(&t->exit_watch, dp_target_exit_wake);
	t->exit_watch.private = ctx;
	t->exited = false;
	add_wait_queue(&t->pid->wait_pidfd, &t->exit_watch);
	t->watching = true;
	/*
	 * Exited before the watch (a zombie given as target): its exit
	 * woke nothing of ours, and before 6.9 its reap wakes nothing at
	 * all, so the paused kdamond looks every DP_ZOMBIE_POLL.  An exit
	 * after the watch is armed sets it through the watch.
	 */
	rcu_read_lock();
	task = pid_task(t->pid, PIDTYPE_PID);
	exited = !task || READ_ONCE(task->exit_state);
	rcu_read_unlock();
	if (exited)
		WRITE_ONCE(t->exited, true);
}

/**
 * dp_target_unwatch() - undo dp_target_watch(); before the pid is dropped.
 * @t:		the target.
 */
void dp_target_unwatch(struct dp_target *t)
{
	if (!t->watching)
		return;
	remove_wait_queue(&t->pid->wait_pidfd, &t->exit_watch);
	t->watching = false;
}

#ifdef DAMON_PAUSE_KUNIT
#include "core-kunit.h"
#endif

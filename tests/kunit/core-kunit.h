/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit suite for src/core.c: the kdamond's life cycle, pause and resume,
 * and dp_call(), driven by fake operations that count what they are asked.
 */
#ifndef _DAMON_PAUSE_CORE_KUNIT_H
#define _DAMON_PAUSE_CORE_KUNIT_H

#include <kunit/test.h>
#include "dp-kunit.h"
#include <linux/delay.h>
#include <linux/kthread.h>

/* What the fake operations saw; one test runs at a time. */
static struct {
	atomic_t nr_checks;
	atomic_t nr_prepares;
	bool targets_gone;
} dp_test_ops_seen;

static void dp_test_ops_prepare(struct dp_ctx *ctx)
{
	atomic_inc(&dp_test_ops_seen.nr_prepares);
}

/* "Accesses" every other region on odd samples: the regions evolve. */
static unsigned int dp_test_ops_check(struct dp_ctx *ctx)
{
	int n = atomic_inc_return(&dp_test_ops_seen.nr_checks);
	unsigned int max = 0, i = 0;
	struct dp_target *t;
	struct dp_region *r;

	dp_for_each_target(t, ctx)
		dp_for_each_region(r, t) {
			dp_update_region_access_rate(r, (n + i++) % 3 == 0,
						     &ctx->attrs);
			max = max(max, r->nr_accesses);
		}
	return max;
}

static bool dp_test_ops_target_valid(struct dp_target *t)
{
	return !READ_ONCE(dp_test_ops_seen.targets_gone);
}

static struct dp_ctx *dp_test_new_ctx(struct kunit *test,
				      unsigned long sample_us)
{
	const struct dp_addr_range range = { 0, 1024 * PAGE_SIZE };
	struct dp_ctx *ctx;

	memset(&dp_test_ops_seen, 0, sizeof(dp_test_ops_seen));
	ctx = dp_kunit_new_ctx(test);
	dp_kunit_add_target(test, ctx, &range, 1);
	ctx->attrs.sample_interval = sample_us;
	ctx->attrs.max_nr_regions = 40;
	ctx->attrs.aggr_interval = 10 * USEC_PER_MSEC;
	ctx->attrs.ops_update_interval = 50 * USEC_PER_MSEC;
	ctx->ops.prepare_access_checks = dp_test_ops_prepare;
	ctx->ops.check_accesses = dp_test_ops_check;
	ctx->ops.target_valid = dp_test_ops_target_valid;
	return ctx;
}

static int dp_test_set_pause(void *data)
{
	struct dp_ctx *ctx = data;

	ctx->pause = !ctx->pause;
	return ctx->pause;
}

static void dp_test_toggle_pause(struct kunit *test, struct dp_ctx *ctx)
{
	struct dp_call_control control = {
		.fn = dp_test_set_pause, .data = ctx,
	};

	KUNIT_ASSERT_EQ(test, dp_call(ctx, &control), 0);
}

/* Region history as one comparable blob. */
struct dp_test_snapshot {
	unsigned int nr;
	struct dp_region regions[64];
	unsigned long passed_sample_intervals;
	unsigned long nr_aggregations;
};

struct dp_test_snapshot_call {
	struct dp_ctx *ctx;
	struct dp_test_snapshot *snap;
};

static int dp_test_take_snapshot(void *data)
{
	struct dp_test_snapshot_call *call = data;
	struct dp_test_snapshot *snap = call->snap;
	struct dp_target *t;
	struct dp_region *r;

	memset(snap, 0, sizeof(*snap));
	dp_for_each_target(t, call->ctx)
		dp_for_each_region(r, t) {
			if (snap->nr == ARRAY_SIZE(snap->regions))
				return -E2BIG;
			snap->regions[snap->nr] = *r;
			/* Compare history, not list linkage. */
			snap->regions[snap->nr].list.next = NULL;
			snap->regions[snap->nr++].list.prev = NULL;
		}
	snap->passed_sample_intervals = call->ctx->passed_sample_intervals;
	snap->nr_aggregations = call->ctx->nr_aggregations;
	return 0;
}

static void dp_test_snapshot(struct kunit *test, struct dp_ctx *ctx,
			     struct dp_test_snapshot *snap)
{
	struct dp_test_snapshot_call call = { .ctx = ctx, .snap = snap };
	struct dp_call_control control = {
		.fn = dp_test_take_snapshot, .data = &call,
	};

	KUNIT_ASSERT_EQ(test, dp_call(ctx, &control), 0);
	KUNIT_ASSERT_EQ(test, control.return_code, 0);
}

static unsigned long dp_test_switches(struct dp_ctx *ctx)
{
	unsigned long n;

	mutex_lock(&ctx->kdamond_lock);
	n = ctx->kdamond ? ctx->kdamond->nvcsw + ctx->kdamond->nivcsw : 0;
	mutex_unlock(&ctx->kdamond_lock);
	return n;
}

static void dp_test_core_start_stop(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_new_ctx(test, 500);

	KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test"), 0);
	KUNIT_EXPECT_EQ(test, dp_start(ctx, "dp_test"), -EBUSY);
	msleep(100);
	KUNIT_EXPECT_GT(test, atomic_read(&dp_test_ops_seen.nr_checks), 0);
	KUNIT_EXPECT_EQ(test, dp_stop(ctx), 0);
	KUNIT_EXPECT_FALSE(test, dp_is_running(ctx));
	KUNIT_EXPECT_GT(test, ctx->nr_aggregations, 0UL);
	KUNIT_EXPECT_EQ(test, dp_stop(ctx), -EPERM);
}

/* A stop right after the start still ends the kdamond cleanly. */
static void dp_test_core_start_stop_at_once(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_new_ctx(test, 500);
	int i;

	for (i = 0; i < 50; i++) {
		KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test"), 0);
		KUNIT_ASSERT_EQ(test, dp_stop(ctx), 0);
		KUNIT_ASSERT_FALSE(test, dp_is_running(ctx));
	}
}

/*
 * While paused nothing of the trained state moves and the kdamond does not
 * run at all; after resume monitoring goes on from the same state.
 */
static void dp_test_core_pause_freezes(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_new_ctx(test, 500);
	struct dp_test_snapshot *before, *after;
	unsigned long switches;
	int checks;

	before = kunit_kzalloc(test, sizeof(*before), GFP_KERNEL);
	after = kunit_kzalloc(test, sizeof(*after), GFP_KERNEL);
	if (!before || !after)
		kunit_skip(test, "out of memory");
	KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test"), 0);
	msleep(100);
	dp_test_toggle_pause(test, ctx);
	dp_test_snapshot(test, ctx, before);
	checks = atomic_read(&dp_test_ops_seen.nr_checks);
	switches = dp_test_switches(ctx);
	msleep(200);
	dp_test_snapshot(test, ctx, after);
	/* Only the snapshot call itself woke it. */
	KUNIT_EXPECT_LE(test, dp_test_switches(ctx) - switches, 2UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&dp_test_ops_seen.nr_checks), checks);
	KUNIT_EXPECT_GT(test, before->nr, 1U);
	KUNIT_EXPECT_EQ(test, memcmp(before, after, sizeof(*before)), 0);

	dp_test_toggle_pause(test, ctx);
	msleep(100);
	KUNIT_EXPECT_GT(test, atomic_read(&dp_test_ops_seen.nr_checks), checks);
	dp_test_snapshot(test, ctx, after);
	KUNIT_EXPECT_GT(test, after->passed_sample_intervals,
			before->passed_sample_intervals);
	KUNIT_EXPECT_EQ(test, dp_stop(ctx), 0);
}

/* sample_interval 0: started paused, it must sleep, not spin. */
static void dp_test_core_pause_sample_zero(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_new_ctx(test, 0);
	unsigned long switches;

	ctx->pause = true;
	KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test"), 0);
	msleep(50);
	switches = dp_test_switches(ctx);
	msleep(200);
	KUNIT_EXPECT_LE(test, dp_test_switches(ctx) - switches, 1UL);
	KUNIT_EXPECT_EQ(test, atomic_read(&dp_test_ops_seen.nr_prepares), 0);
	/* Stop works while paused. */
	KUNIT_EXPECT_EQ(test, dp_stop(ctx), 0);
	KUNIT_EXPECT_FALSE(test, dp_is_running(ctx));
}

/* When every target is gone, a paused kdamond ends by itself. */
static void dp_test_core_targets_gone_while_paused(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_new_ctx(test, 500);
	int i;

	ctx->pause = true;
	KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test"), 0);
	msleep(20);
	KUNIT_EXPECT_TRUE(test, dp_is_running(ctx));
	WRITE_ONCE(dp_test_ops_seen.targets_gone, true);
	dp_wake(ctx);
	for (i = 0; i < 50 && dp_is_running(ctx); i++)
		msleep(20);
	KUNIT_EXPECT_FALSE(test, dp_is_running(ctx));
	KUNIT_EXPECT_EQ(test, dp_stop(ctx), -EPERM);
}

/*
 * The process's exit notification (its pidfd waitqueue) wakes a paused
 * kdamond, which then finds its targets gone; and no watch is left behind.
 */
static void dp_test_core_exit_wakes_paused(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_new_ctx(test, 500);
	struct pid *pid = get_task_pid(current, PIDTYPE_PID);
	int i;

	list_first_entry(&ctx->targets, struct dp_target, list)->pid = pid;
	ctx->pause = true;
	KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test"), 0);
	msleep(20);
	/* No wakeup to order against here: only the watch is looked at. */
	KUNIT_EXPECT_TRUE(test, waitqueue_active(&pid->wait_pidfd));
	WRITE_ONCE(dp_test_ops_seen.targets_gone, true);
	/* What the exit path does; no dp_wake() here. */
	wake_up_all(&pid->wait_pidfd);
	for (i = 0; i < 50 && dp_is_running(ctx); i++)
		msleep(20);
	KUNIT_EXPECT_FALSE(test, dp_is_running(ctx));
	/* The kdamond has ended: nothing races with this look. */
	KUNIT_EXPECT_FALSE(test, waitqueue_active(&pid->wait_pidfd));
}

static int dp_test_exit_at_once(void *data)
{
	return 0;
}

/*
 * A target whose process exited before the kdamond watched it, then goes
 * (its reap, which wakes nothing before Linux 6.9) while the kdamond is
 * paused: the kdamond finds it gone by itself, without a wakeup (issue 25,
 * item 10).  A kernel thread that ended stands in for the process.
 */
static void dp_test_core_exited_before_watch(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_new_ctx(test, 500);
	struct task_struct *task;
	struct pid *pid;
	int i;

	task = kthread_create(dp_test_exit_at_once, NULL, "dp_test_gone");
	if (IS_ERR(task))
		kunit_skip(test, "no thread");
	pid = get_task_pid(task, PIDTYPE_PID);
	wake_up_process(task);
	for (i = 0; i < 100; i++) {
		rcu_read_lock();
		task = pid_task(pid, PIDTYPE_PID);
		rcu_read_unlock();
		if (!task)
			break;
		msleep(20);
	}
	list_first_entry(&ctx->targets, struct dp_target, list)->pid = pid;
	KUNIT_ASSERT_NULL(test, task);
	ctx->pause = true;
	KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test"), 0);
	msleep(20);
	KUNIT_EXPECT_TRUE(test, dp_is_running(ctx));
	/* Gone, and nothing wakes the kdamond. */
	WRITE_ONCE(dp_test_ops_seen.targets_gone, true);
	for (i = 0; i < 50 && dp_is_running(ctx); i++)
		msleep(20);
	KUNIT_EXPECT_FALSE(test, dp_is_running(ctx));
}

static int dp_test_count_call(void *data)
{
	atomic_inc(data);
	return 0;
}

static void dp_test_core_call_when_stopped(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_new_ctx(test, 500);
	atomic_t ran = ATOMIC_INIT(0);
	struct dp_call_control control = {
		.fn = dp_test_count_call, .data = &ran,
	};

	KUNIT_EXPECT_EQ(test, dp_call(ctx, &control), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&ran), 0);
}

struct dp_test_caller {
	struct dp_ctx *ctx;
	atomic_t *ran;
	int nr_ok, nr_refused;
	struct completion done;
};

/* Calls until refused: pause toggles and counters, racing a stop. */
static int dp_test_caller_fn(void *data)
{
	struct dp_test_caller *caller = data;
	int i;

	for (i = 0; i < 100000; i++) {
		struct dp_call_control control = {
			.fn = i % 2 ? dp_test_count_call : dp_test_set_pause,
			.data = i % 2 ? (void *)caller->ran : caller->ctx,
		};
		int err = dp_call(caller->ctx, &control);

		if (err || control.canceled) {
			caller->nr_refused++;
			break;
		}
		caller->nr_ok++;
	}
	complete(&caller->done);
	return 0;
}

/*
 * Concurrent callers toggling pause and a stop in the middle: every call
 * either runs or is refused, nobody is left waiting.
 */
static void dp_test_core_calls_race_stop(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_new_ctx(test, 100);
	struct dp_test_caller callers[3];
	atomic_t ran = ATOMIC_INIT(0);
	int i, ok = 0;

	KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test"), 0);
	for (i = 0; i < ARRAY_SIZE(callers); i++) {
		callers[i] = (struct dp_test_caller){ .ctx = ctx, .ran = &ran };
		init_completion(&callers[i].done);
		if (IS_ERR(kthread_run(dp_test_caller_fn, &callers[i],
				       "dp_test_caller")))
			complete(&callers[i].done);
	}
	msleep(200);
	KUNIT_EXPECT_EQ(test, dp_stop(ctx), 0);
	for (i = 0; i < ARRAY_SIZE(callers); i++) {
		unsigned long left;

		left = wait_for_completion_timeout(&callers[i].done, 10 * HZ);
		KUNIT_EXPECT_GT(test, left, 0UL);
		ok += callers[i].nr_ok;
	}
	KUNIT_EXPECT_GT(test, ok, 0);
	/* Every counting call that returned 0 ran exactly once. */
	KUNIT_EXPECT_LE(test, atomic_read(&ran), ok);
}

/* Where in the interval clock a call ran, and the counts it found. */
struct dp_test_when {
	struct dp_ctx *ctx;
	bool at_aggregation;
	unsigned long nr_aggregations;
	unsigned int sum_nr_accesses;
};

static int dp_test_record_when(void *data)
{
	struct dp_test_when *when = data;
	struct dp_ctx *ctx = when->ctx;
	struct dp_target *t;
	struct dp_region *r;

	/* Deadlines move on only after an aggregation's calls ran. */
	when->at_aggregation = ctx->passed_sample_intervals >=
		ctx->next_aggregation_sis;
	when->nr_aggregations = ctx->nr_aggregations;
	when->sum_nr_accesses = 0;
	dp_for_each_target(t, ctx)
		dp_for_each_region(r, t)
			when->sum_nr_accesses += r->nr_accesses;
	return 0;
}

static int dp_test_call_when(struct dp_ctx *ctx, bool at_aggregation,
			     struct dp_test_when *when)
{
	struct dp_call_control control = {
		.fn = dp_test_record_when, .data = when,
		.at_aggregation = at_aggregation,
	};
	int err;

	*when = (struct dp_test_when){ .ctx = ctx };
	err = dp_call(ctx, &control);
	return err ?: control.canceled ? -ECANCELED : 0;
}

/* Runs one call that waits for an aggregation, then says so. */
static int dp_test_aggr_caller_fn(void *data)
{
	struct dp_test_caller *caller = data;
	struct dp_test_when when;

	if (dp_test_call_when(caller->ctx, true, &when))
		caller->nr_refused++;
	else
		caller->nr_ok++;
	complete(&caller->done);
	return 0;
}

/*
 * A call with at_aggregation runs at the end of an aggregation interval,
 * on its complete counts (every aggregation of the fake operations has
 * accesses), every time; a plain one between samples.  Paused, it runs at
 * once on the frozen state; a stop cancels one that is still waiting.
 */
static void dp_test_core_call_at_aggregation(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_new_ctx(test, 500);
	struct dp_test_caller caller = { .ctx = ctx };
	struct dp_test_when when;
	unsigned long frozen;
	int i;

	KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test"), 0);
	for (i = 0; i < 10; i++) {
		KUNIT_ASSERT_EQ(test, dp_test_call_when(ctx, true, &when), 0);
		KUNIT_EXPECT_TRUE(test, when.at_aggregation);
		KUNIT_EXPECT_GT(test, when.sum_nr_accesses, 0U);
		KUNIT_ASSERT_EQ(test, dp_test_call_when(ctx, false, &when), 0);
		KUNIT_EXPECT_FALSE(test, when.at_aggregation);
	}

	dp_test_toggle_pause(test, ctx);
	KUNIT_ASSERT_EQ(test, dp_test_call_when(ctx, false, &when), 0);
	frozen = when.nr_aggregations;
	KUNIT_ASSERT_EQ(test, dp_test_call_when(ctx, true, &when), 0);
	KUNIT_EXPECT_EQ(test, when.nr_aggregations, frozen);
	dp_test_toggle_pause(test, ctx);
	KUNIT_EXPECT_EQ(test, dp_stop(ctx), 0);

	/* An aggregation interval of 100 s: the call can only be canceled. */
	ctx->attrs.aggr_interval = 100 * USEC_PER_SEC;
	KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test"), 0);
	init_completion(&caller.done);
	if (IS_ERR(kthread_run(dp_test_aggr_caller_fn, &caller,
			       "dp_test_caller")))
		kunit_skip(test, "no thread");
	msleep(100);
	KUNIT_EXPECT_FALSE(test, completion_done(&caller.done));
	KUNIT_EXPECT_EQ(test, dp_stop(ctx), 0);
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&caller.done, 10 * HZ),
			0UL);
	KUNIT_EXPECT_EQ(test, caller.nr_refused, 1);
}

/* An action that takes 40 ms a region, and counts the regions it saw. */
static atomic_t dp_test_nr_slow_applied;

static unsigned long dp_test_slow_apply(struct dp_ctx *ctx,
					struct dp_target *t,
					struct dp_region *r,
					struct dp_scheme *s)
{
	atomic_inc(&dp_test_nr_slow_applied);
	msleep(40);
	return 0;
}

static int dp_test_noop(void *data)
{
	return 0;
}

/*
 * A pass of actions over 50 regions takes 2 s; a call made in the middle
 * of one is served after the pass's 100 ms slice and one region, not at
 * its end; so is a stop.
 */
static void dp_test_core_long_pass_yields(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_new_ctx(test, 1000);
	struct dp_call_control control = { .fn = dp_test_noop };
	const int nr_ranges = 50;
	struct dp_addr_range *ranges;
	struct dp_scheme *s = dp_new_scheme();
	struct dp_target *t;
	u64 begin, took;
	int i;

	if (!s)
		kunit_skip(test, "out of memory");
	list_add_tail(&s->list, &ctx->schemes);
	s->pattern.max_sz = ULONG_MAX;
	s->pattern.max_nr_accesses = UINT_MAX;
	s->pattern.max_age = UINT_MAX;
	/* On the heap: a debug kernel's stack frames are small. */
	ranges = kunit_kcalloc(test, nr_ranges, sizeof(*ranges), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ranges);
	for (i = 0; i < nr_ranges; i++)
		ranges[i] = (struct dp_addr_range){ 2 * i * PAGE_SIZE,
						    (2 * i + 1) * PAGE_SIZE };
	t = list_first_entry(&ctx->targets, struct dp_target, list);
	KUNIT_ASSERT_EQ(test, dp_set_regions(t, ranges, nr_ranges,
					     DP_MIN_REGION), 0);
	ctx->ops.apply_scheme = dp_test_slow_apply;
	atomic_set(&dp_test_nr_slow_applied, 0);
	KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test"), 0);
	msleep(300);
	KUNIT_EXPECT_GT(test, atomic_read(&dp_test_nr_slow_applied), 0);
	begin = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, dp_call(ctx, &control), 0);
	took = ktime_get_ns() - begin;
	KUNIT_EXPECT_LT(test, took, 600 * NSEC_PER_MSEC);
	msleep(300);
	begin = ktime_get_ns();
	KUNIT_EXPECT_EQ(test, dp_stop(ctx), 0);
	took = ktime_get_ns() - begin;
	KUNIT_EXPECT_LT(test, took, 600 * NSEC_PER_MSEC);
}

/* Runs one dp_test_noop call on the kdamond; how long it took, in ns. */
static u64 dp_test_timed_call(struct kunit *test, struct dp_ctx *ctx)
{
	struct dp_call_control control = { .fn = dp_test_noop };
	u64 begin = ktime_get_ns();

	KUNIT_EXPECT_EQ(test, dp_call(ctx, &control), 0);
	return ktime_get_ns() - begin;
}

/*
 * Sampling intervals of 40 s, and of ULONG_MAX µs (forever): a call, a
 * pause and a stop reach the sleeping kdamond at once.  The paused
 * kdamond dropped the interrupted sample (no sample counted), and a call
 * that changes nothing lets the sleep go on.
 */
static void dp_test_core_long_sample_calls(struct kunit *test)
{
	const unsigned long intervals[] = { 40 * USEC_PER_SEC, ULONG_MAX };
	struct dp_ctx *ctx = dp_test_new_ctx(test, 0);
	struct dp_test_when when;
	u64 begin;
	int i;

	for (i = 0; i < ARRAY_SIZE(intervals); i++) {
		ctx->attrs.sample_interval = intervals[i];
		ctx->attrs.aggr_interval = intervals[i];
		ctx->attrs.ops_update_interval = intervals[i];
		KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test"), 0);
		msleep(100);
		KUNIT_EXPECT_LT(test, dp_test_timed_call(test, ctx),
				100 * NSEC_PER_MSEC);
		KUNIT_EXPECT_LT(test, dp_test_timed_call(test, ctx),
				100 * NSEC_PER_MSEC);
		begin = ktime_get_ns();
		dp_test_toggle_pause(test, ctx);
		KUNIT_EXPECT_LT(test, ktime_get_ns() - begin,
				100 * NSEC_PER_MSEC);
		KUNIT_ASSERT_EQ(test, dp_test_call_when(ctx, false, &when), 0);
		KUNIT_EXPECT_EQ(test, ctx->passed_sample_intervals, 0UL);
		KUNIT_EXPECT_EQ(test, atomic_read(&dp_test_ops_seen.nr_checks),
				0);
		dp_test_toggle_pause(test, ctx);
		msleep(50);
		begin = ktime_get_ns();
		KUNIT_EXPECT_EQ(test, dp_stop(ctx), 0);
		KUNIT_EXPECT_LT(test, ktime_get_ns() - begin,
				100 * NSEC_PER_MSEC);
		KUNIT_EXPECT_EQ(test, atomic_read(&dp_test_ops_seen.nr_checks),
				0);
		/* Paused once, sampled twice: after the resume it sleeps. */
		KUNIT_EXPECT_EQ(test, atomic_read(&dp_test_ops_seen.nr_prepares),
				2 * (i + 1));
	}
}

/*
 * Attributes-only monitoring with one sample per aggregation: weights that
 * the commit accepts (their sum over one hit fits) merge regions whose
 * scores differ by up to all of it, when max_nr_regions asks for it; the
 * highest threshold was weights times 255, which wrapped (issue 25,
 * item 11).
 */
static void dp_test_core_merge_max_score(struct kunit *test)
{
	unsigned int weights[DP_MAX_PROBES] = { INT_MAX };
	struct dp_ctx *ctx = dp_kunit_new_ctx(test);
	struct dp_target *t = dp_kunit_add_target(test, ctx, NULL, 0);
	struct dp_region *r;
	int i;

	ctx->attrs.sample_interval = 5000;
	ctx->attrs.aggr_interval = 5000;
	ctx->attrs.max_nr_regions = 1;
	for (i = 0; i < 4; i++) {
		r = dp_new_region(i * PAGE_SIZE, (i + 1) * PAGE_SIZE);
		if (!r)
			break;
		r->probe_hits[0] = i % 2;
		dp_add_region(r, t);
	}
	KUNIT_EXPECT_EQ(test, t->nr_regions, 4U);
	kdamond_merge_regions(ctx, 0, ULONG_MAX, weights);
	KUNIT_EXPECT_EQ(test, t->nr_regions, 1U);
}

static struct kunit_case dp_core_test_cases[] = {
	KUNIT_CASE(dp_test_core_start_stop),
	KUNIT_CASE(dp_test_core_start_stop_at_once),
	KUNIT_CASE(dp_test_core_pause_freezes),
	KUNIT_CASE(dp_test_core_pause_sample_zero),
	KUNIT_CASE(dp_test_core_targets_gone_while_paused),
	KUNIT_CASE(dp_test_core_exit_wakes_paused),
	KUNIT_CASE(dp_test_core_exited_before_watch),
	KUNIT_CASE(dp_test_core_call_when_stopped),
	KUNIT_CASE(dp_test_core_calls_race_stop),
	KUNIT_CASE(dp_test_core_call_at_aggregation),
	KUNIT_CASE(dp_test_core_long_pass_yields),
	KUNIT_CASE(dp_test_core_long_sample_calls),
	KUNIT_CASE(dp_test_core_merge_max_score),
	{},
};

static struct kunit_suite dp_core_test_suite = {
	.name = "damon_pause_core",
	.test_cases = dp_core_test_cases,
};

kunit_test_suite(dp_core_test_suite);

#endif /* _DAMON_PAUSE_CORE_KUNIT_H */

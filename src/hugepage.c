// SPDX-License-Identifier: GPL-2.0
/*
 * The hot-region hugepage supervisor (DESIGN §2.2; the seed RFC with every
 * point of its review fixed): one monitoring context per monitored process,
 * each with a collapse scheme for regions of at least PMD size whose access
 * frequency reaches a threshold, under a time quota that serves the hottest
 * regions first.  A kernel thread looks after them every monitor_period:
 *
 * - the threshold starts at the highest possible frequency and steps down
 *   (a tenth of that maximum per period) while a period collapsed nothing,
 *   to a floor of one step; it steps up again while collapses exhaust the
 *   quota (deltas of the scheme's counters, not their totals), but under
 *   a huge page budget, which cuts the quota to the room left;
 * - a process that used no CPU in a period has its context paused (its
 *   trained state kept), and resumed once it runs again;
 * - a process that exits ends its context (the core notices), which is
 *   then freed with its pid reference; a pid that does not exist is
 *   reported as invalid and left alone;
 * - commit_inputs applies the new pid list: contexts of removed pids stop,
 *   new pids get one, the others are left untouched;
 * - with keep_trained, the contexts that stop with the supervisor leave
 *   their trained state (src/hugepage-trained.c), which the next context
 *   of the same process starts from.
 */

#include <linux/kthread.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include <damon_pause/damon.h>
#include <damon_pause/trained.h>

#include "compat.h"
#include "huge-budget.h"
#include "hugepage.h"
#include "ops-vaddr.h"

enum dp_hp_state {
	DP_HP_RUNNING,
	DP_HP_PAUSED,
	DP_HP_EXITED,
	DP_HP_INVALID,
};

static const char * const dp_hp_state_names[] = {
	[DP_HP_RUNNING] = "running",
	[DP_HP_PAUSED] = "paused",
	[DP_HP_EXITED] = "exited",
	[DP_HP_INVALID] = "invalid",
};

/**
 * struct dp_hp_proc - one supervised process.
 * @pid_nr:		its pid, as given.
 * @ctx:		its monitoring context; NULL once exited or if invalid.
 * @state:		what the status says.
 * @threshold:		the collapse scheme's min nr_accesses.
 * @nr_applied:		regions collapsed so far.
 * @sz_applied:		bytes collapsed so far.
 * @qt_exceeds:		quota intervals exhausted so far.
 * @cputime:		the process's CPU time at the last period, ns.
 * @start_time:		the start of the process its context monitors.
 * @list:		in dp_hp_procs.
 */
struct dp_hp_proc {
	pid_t pid_nr;
	struct dp_ctx *ctx;
	enum dp_hp_state state;
	unsigned int threshold;
	unsigned long nr_applied;
	unsigned long sz_applied;
	unsigned long qt_exceeds;
	u64 cputime;
	u64 start_time;
	struct list_head list;
};

/* Protects the list and every proc's status; the thread is its only writer. */
static DEFINE_MUTEX(dp_hp_lock);
static LIST_HEAD(dp_hp_procs);
static struct task_struct *dp_hp_thread;
static struct dp_hp_params *dp_hp_thread_params;
static DECLARE_WAIT_QUEUE_HEAD(dp_hp_wait);

/*
 * The inputs src/hugepage-params.c handed over, checked (dp_hp_start(),
 * dp_hp_commit()): the thread reads them here, never the parameters.
 * Commit requests are counted, not flagged: the thread marks done the
 * request it read before it read the inputs, so a commit made while it
 * applies an earlier one stays pending and is applied next, instead of
 * being lost.
 */
static DEFINE_MUTEX(dp_hp_inputs_lock);
static struct dp_hp_params dp_hp_inputs;	/* under dp_hp_inputs_lock */
static atomic_long_t dp_hp_commit_asked = ATOMIC_LONG_INIT(0);
static atomic_long_t dp_hp_commit_applied = ATOMIC_LONG_INIT(0);
/* The inputs the running contexts were built with. */
static struct dp_hp_params dp_hp_applied;
/* Their huge page budget, for the status (under dp_hp_lock). */
static unsigned long dp_hp_budget_bp;

/**
 * dp_hp_params_valid() - whether the supervisor's inputs make sense.
 * @p:	the inputs.
 *
 * Return: 0, or -EINVAL.
 */
int dp_hp_params_valid(const struct dp_hp_params *p)
{
	if (p->monitor_period < 100 * USEC_PER_MSEC || !p->sample_interval ||
	    p->sample_interval > p->aggr_interval ||
	    p->ops_update_interval < p->aggr_interval ||
	    p->min_nr_regions < 3 || p->min_nr_regions > p->max_nr_regions ||
	    p->max_nr_regions > 10000 || !p->quota_ms ||
	    !p->quota_reset_interval_ms || p->hugepage_mem_bp > 10000)
		return -EINVAL;
	return 0;
}

/**
 * dp_hp_next_threshold() - the collapse threshold for the next period.
 * @cur:	the threshold now.
 * @max:	the highest possible nr_accesses (aggr / sample interval).
 * @new_applied: regions collapsed during the last period.
 * @new_exceeds: quota intervals exhausted during the last period.
 *
 * Steps of a tenth of @max (at least 1): down while nothing was
 * collapsed, to a floor of one step; up while the quota ran out.
 *
 * Return: the new threshold, in [step, max].
 */
static unsigned int dp_hp_next_threshold(unsigned int cur, unsigned int max,
					 unsigned long new_applied,
					 unsigned long new_exceeds)
{
	unsigned int step = max(max / 10, 1U);

	if (new_exceeds)
		return min(cur + step, max);
	if (!new_applied)
		return cur > 2 * step ? cur - step : step;
	return clamp(cur, step, max);
}

/**
 * dp_hp_pid_diff() - which pids leave and which arrive.
 * @old:	the pids supervised.
 * @new:	the pids asked for.
 * @diff:	filled in: pids of @old not in @new, and of @new not in @old.
 */
static void dp_hp_pid_diff(const struct dp_pid_list *old, const struct dp_pid_list *new,
			   struct dp_hp_diff *diff)
{
	int i, j;

	diff->nr_gone = 0;
	diff->nr_new = 0;
	for (i = 0; i < old->nr; i++) {
		for (j = 0; j < new->nr && new->pids[j] != old->pids[i]; j++)
			;
		if (j == new->nr)
			diff->gone[diff->nr_gone++] = old->pids[i];
	}
	for (i = 0; i < new->nr; i++) {
		for (j = 0; j < old->nr && old->pids[j] != new->pids[i]; j++)
			;
		if (j == old->nr)
			diff->new[diff->nr_new++] = new->pids[i];
	}
}

static unsigned int dp_hp_max_threshold(const struct dp_hp_params *p)
{
	return max(p->aggr_interval / p->sample_interval, 1UL);
}

/*
 * The huge page budget, a hugepage_mem_bp goal: the whole quota while
 * the share is below it, nothing once met (the temporal tuner: the quota
 * alone sets the pace), and each collapse cut where the budget ends
 * (dp_scheme_huge_budget()), so that the hottest memory, which the quota
 * serves first, gets the room.
 *
 * Return: 0, or -ENOMEM.
 */
static int dp_hp_add_budget(struct dp_scheme *s, unsigned long budget_bp)
{
	struct dp_quota_goal *g = dp_new_quota_goal(DP_GOAL_HUGEPAGE_MEM_BP);

	if (!g)
		return -ENOMEM;
	g->target_value = budget_bp;
	list_add_tail(&g->list, &s->quota.goals);
	s->quota.goal_tuner = DP_GOAL_TUNER_TEMPORAL;
	return 0;
}

/*
 * The parameters of @proc's context, to start it or to commit to it.
 *
 * Return: the context, or ERR_PTR(-ESRCH) if there is no such process,
 * -ENOMEM, or the error of the vaddr operations.
 */
static struct dp_ctx *dp_hp_build_ctx(struct dp_hp_proc *proc,
				      const struct dp_hp_params *p)
{
	struct dp_ctx *ctx = dp_new_ctx();
	struct dp_target *t = dp_new_target();
	struct dp_scheme *s = dp_new_scheme();
	int err = -ENOMEM;

	if (!ctx || !t || !s)
		goto fail;
	err = dp_va_ops(&ctx->ops);
	if (err)
		goto fail;
	ctx->attrs = (struct dp_attrs){
		.sample_interval = p->sample_interval,
		.aggr_interval = p->aggr_interval,
		.ops_update_interval = p->ops_update_interval,
		.min_nr_regions = p->min_nr_regions,
		.max_nr_regions = p->max_nr_regions,
	};
	/*
	 * Regions made of whole huge page frames: a hot region is then never
	 * too small for the scheme nor cut across a frame by a boundary.
	 */
	ctx->min_region_sz = HPAGE_PMD_SIZE;
	t->pid = find_get_pid(proc->pid_nr);
	err = -ESRCH;
	if (!t->pid)
		goto fail;
	dp_add_target(ctx, t);
	t = NULL;
	s->action = DP_ACT_COLLAPSE;
	s->pattern.min_sz = HPAGE_PMD_SIZE;
	s->pattern.min_nr_accesses = proc->threshold;
	s->quota.ms = p->quota_ms;
	s->quota.reset_interval = p->quota_reset_interval_ms;
	s->quota.weight_nr_accesses = 1000;
	err = -ENOMEM;
	if (p->hugepage_mem_bp && dp_hp_add_budget(s, p->hugepage_mem_bp))
		goto fail;
	list_add_tail(&s->list, &ctx->schemes);
	return ctx;
fail:
	if (s)
		dp_destroy_scheme(s);
	if (t)
		dp_destroy_target(t);
	if (ctx)
		dp_destroy_ctx(ctx);
	return ERR_PTR(err);
}

/* The process's CPU time over all its threads, ns; 0 if it is gone. */
static u64 dp_hp_cputime(pid_t pid_nr)
{
	struct task_struct *task, *t;
	u64 sum = 0;

	rcu_read_lock();
	task = pid_task(find_vpid(pid_nr), PIDTYPE_PID);
	if (task)
		for_each_thread(task, t)
			sum += READ_ONCE(t->se.sum_exec_runtime);
	rcu_read_unlock();
	return sum;
}

/*
 * A kept state of the very process (not another one with its pid): the
 * context, not started yet, starts from it, with its threshold, and paused
 * if it was (the first period resumes it if the process ran).  A state
 * that no longer fits (other inputs since) is dropped with a warning: the
 * context starts from nothing, as without one.
 */
static void dp_hp_proc_restore(struct dp_hp_proc *proc, struct dp_ctx *ctx,
			       const struct dp_hp_kept *k,
			       const struct dp_hp_params *p)
{
	struct dp_scheme *s;
	int err;

	if (k->start_time != dp_hp_start_time(proc->pid_nr)) {
		pr_warn_ratelimited("supervisor: pid %d: the trained state is another process's; not restored\n",
				    proc->pid_nr);
		return;
	}
	err = dp_trained_restore(ctx, k->tr);
	if (err) {
		pr_warn_ratelimited("supervisor: pid %d: the trained state does not fit (%d); not restored\n",
				    proc->pid_nr, err);
		return;
	}
	proc->threshold = clamp(k->threshold, 1U, dp_hp_max_threshold(p));
	dp_for_each_scheme(s, ctx)
		s->pattern.min_nr_accesses = proc->threshold;
	ctx->pause = k->paused;
}

/*
 * Start monitoring @proc, from its kept trained state if there is one.  A
 * pid with no process is invalid for good; a context that could not be had
 * (no memory, no thread) is no verdict on the process: the caller tries
 * again later (the kept state kept for it).
 *
 * Return: 0 (running, or invalid), or the error to try again after.
 */
static int dp_hp_proc_start(struct dp_hp_proc *proc,
			    const struct dp_hp_params *p)
{
	struct dp_hp_kept *kept = dp_hp_kept_take(proc->pid_nr);
	char name[TASK_COMM_LEN];
	struct dp_ctx *ctx;
	int err;

	proc->threshold = dp_hp_max_threshold(p);
	ctx = dp_hp_build_ctx(proc, p);
	if (IS_ERR(ctx)) {
		err = PTR_ERR(ctx);
		if (err != -ESRCH)
			goto fail;
		dp_hp_kept_free(kept);
		pr_warn_ratelimited("supervisor: pid %d: no such process; skipped\n",
				    proc->pid_nr);
		proc->state = DP_HP_INVALID;
		return 0;
	}
	if (kept)
		dp_hp_proc_restore(proc, ctx, kept, p);
	/* "dp_hp." and a pid fit in a task name (15 characters). */
	snprintf(name, sizeof(name), "dp_hp.%d", proc->pid_nr);
	err = dp_start(ctx, name);
	if (err) {
		dp_destroy_ctx(ctx);
		goto fail;
	}
	dp_hp_kept_free(kept);
	proc->ctx = ctx;
	proc->state = ctx->pause ? DP_HP_PAUSED : DP_HP_RUNNING;
	proc->cputime = dp_hp_cputime(proc->pid_nr);
	proc->start_time = dp_hp_start_time(proc->pid_nr);
	return 0;
fail:
	if (kept)
		dp_hp_kept_add(kept);
	return err;
}

/* Stops and frees the context: every reference it held goes with it. */
static void dp_hp_proc_release(struct dp_hp_proc *proc)
{
	if (!proc->ctx)
		return;
	dp_stop(proc->ctx);
	dp_destroy_ctx(proc->ctx);
	proc->ctx = NULL;
}

struct dp_hp_period {
	struct dp_hp_proc *proc;
	unsigned int max;
	bool budget;
	bool pause;
};

/*
 * On the kdamond: read the scheme's counters, retune its threshold from
 * their deltas, and pause or resume.  While paused no threshold changes:
 * nothing could have been collapsed.  Under a huge page budget the quota
 * is cut to the room the budget leaves, and runs out for that: no reason
 * to raise the threshold, which would leave the room to the few regions
 * that read hottest of all (the quota serves the hottest first anyway).
 */
static int dp_hp_period_fn(void *data)
{
	struct dp_hp_period *period = data;
	struct dp_hp_proc *proc = period->proc;
	struct dp_ctx *ctx = proc->ctx;
	struct dp_scheme *s;

	dp_for_each_scheme(s, ctx) {
		unsigned long new_applied = s->stat.nr_applied -
			proc->nr_applied;
		unsigned long new_exceeds = period->budget ? 0 :
			s->stat.qt_exceeds - proc->qt_exceeds;

		if (!ctx->pause)
			proc->threshold = dp_hp_next_threshold(proc->threshold,
							       period->max,
							       new_applied,
							       new_exceeds);
		s->pattern.min_nr_accesses = proc->threshold;
		proc->nr_applied = s->stat.nr_applied;
		proc->sz_applied = s->stat.sz_applied;
		proc->qt_exceeds = s->stat.qt_exceeds;
	}
	ctx->pause = period->pause;
	return 0;
}

static void dp_hp_proc_period(struct dp_hp_proc *proc,
			      const struct dp_hp_params *p)
{
	struct dp_hp_period period = { .proc = proc,
				       .max = dp_hp_max_threshold(p),
				       .budget = p->hugepage_mem_bp != 0 };
	struct dp_call_control control = {
		.fn = dp_hp_period_fn,
		.data = &period,
	};
	u64 cputime;

	if (!proc->ctx)
		return;
	if (!dp_is_running(proc->ctx)) {
		/* Its process exited: the kdamond ended by itself. */
		dp_hp_proc_release(proc);
		proc->state = DP_HP_EXITED;
		return;
	}
	cputime = dp_hp_cputime(proc->pid_nr);
	period.pause = p->pause_idle && cputime == proc->cputime;
	proc->cputime = cputime;
	if (dp_call(proc->ctx, &control) || control.canceled)
		return;	/* ending: the next period finds it exited */
	proc->state = period.pause ? DP_HP_PAUSED : DP_HP_RUNNING;
}

static struct dp_hp_proc *dp_hp_find(pid_t pid_nr)
{
	struct dp_hp_proc *proc;

	list_for_each_entry(proc, &dp_hp_procs, list)
		if (proc->pid_nr == pid_nr)
			return proc;
	return NULL;
}

/* Intervals or quota changed: commit them, keeping trained state. */
static bool dp_hp_monitoring_changed(const struct dp_hp_params *a,
				     const struct dp_hp_params *b)
{
	return a->sample_interval != b->sample_interval ||
		a->aggr_interval != b->aggr_interval ||
		a->ops_update_interval != b->ops_update_interval ||
		a->min_nr_regions != b->min_nr_regions ||
		a->max_nr_regions != b->max_nr_regions ||
		a->quota_ms != b->quota_ms ||
		a->quota_reset_interval_ms != b->quota_reset_interval_ms ||
		a->hugepage_mem_bp != b->hugepage_mem_bp;
}

/* Return: 0, or -ENOMEM (its process gone counts as done). */
static int dp_hp_proc_recommit(struct dp_hp_proc *proc,
			       const struct dp_hp_params *p)
{
	struct dp_ctx *src;
	int err;

	if (!proc->ctx)
		return 0;
	proc->threshold = min(proc->threshold, dp_hp_max_threshold(p));
	src = dp_hp_build_ctx(proc, p);
	if (IS_ERR(src))
		return PTR_ERR(src) == -ENOMEM ? -ENOMEM : 0;
	/* Only this thread pauses and resumes it: keep it as it is. */
	src->pause = proc->state == DP_HP_PAUSED;
	err = dp_commit_running(proc->ctx, src, false);
	dp_destroy_ctx(src);
	return err == -ENOMEM ? err : 0;
}

/* The pids that have an entry (running, paused, exited or invalid). */
static void dp_hp_listed_pids(struct dp_pid_list *pids)
{
	struct dp_hp_proc *proc;

	pids->nr = 0;
	list_for_each_entry(proc, &dp_hp_procs, list)
		pids->pids[pids->nr++] = proc->pid_nr;
}

/*
 * Apply the inputs: removed pids go, new ones come, the rest stay.  What
 * is recorded as applied is what was: after a failed allocation, the pids
 * that did get an entry, and the old monitoring inputs if a running
 * context could not take the new ones, so that the next try (the request
 * stays pending) does the rest.
 *
 * Return: 0, or -ENOMEM with part of the inputs applied.
 */
static int dp_hp_apply_inputs(const struct dp_hp_params *p)
{
	struct dp_hp_diff *diff = kmalloc(sizeof(*diff), GFP_KERNEL);
	struct dp_hp_params applied = *p;
	struct dp_hp_proc *proc;
	int err = 0, i;

	if (!diff)
		return -ENOMEM;
	dp_hp_pid_diff(&dp_hp_applied.pids, &p->pids, diff);
	mutex_lock(&dp_hp_lock);
	for (i = 0; i < diff->nr_gone; i++) {
		proc = dp_hp_find(diff->gone[i]);
		if (!proc)
			continue;
		dp_hp_proc_release(proc);
		list_del(&proc->list);
		kfree(proc);
	}
	if (dp_hp_monitoring_changed(&dp_hp_applied, p)) {
		list_for_each_entry(proc, &dp_hp_procs, list)
			if (dp_hp_proc_recommit(proc, p))
				err = -ENOMEM;
		if (err) {
			/* Those that took them take them again: no change. */
			applied = dp_hp_applied;
			applied.monitor_period = p->monitor_period;
			applied.pause_idle = p->pause_idle;
		}
	}
	for (i = 0; i < diff->nr_new; i++) {
		proc = kzalloc(sizeof(*proc), GFP_KERNEL);
		if (!proc) {
			err = -ENOMEM;
			break;
		}
		proc->pid_nr = diff->new[i];
		/* Not listed: not applied, the next try starts it. */
		if (dp_hp_proc_start(proc, p)) {
			kfree(proc);
			err = -ENOMEM;
			continue;
		}
		list_add_tail(&proc->list, &dp_hp_procs);
	}
	dp_hp_listed_pids(&applied.pids);
	dp_hp_budget_bp = applied.hugepage_mem_bp;
	mutex_unlock(&dp_hp_lock);
	dp_hp_applied = applied;
	kfree(diff);
	return err;
}

/*
 * What @proc's context learnt, with its threshold and pause; NULL if out
 * of memory, or if the process is not the one it monitored any more.
 * Of a stopped context, or of one that may run (@running: read on its
 * kdamond).
 */
static struct dp_hp_kept *dp_hp_proc_keep(struct dp_hp_proc *proc, bool running)
{
	struct dp_hp_kept *k;

	if (!proc->ctx || dp_hp_start_time(proc->pid_nr) != proc->start_time)
		return NULL;
	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return NULL;
	if (running) {
		if (dp_trained_take_running(proc->ctx, &k->tr))
			k->tr = NULL;
	} else {
		k->tr = dp_trained_take(proc->ctx);
	}
	if (!k->tr) {
		kfree(k);
		return NULL;
	}
	strscpy(k->tr->ops, "vaddr", sizeof(k->tr->ops));
	k->pid = proc->pid_nr;
	k->start_time = proc->start_time;
	k->threshold = proc->threshold;
	k->paused = proc->state == DP_HP_PAUSED;
	return k;
}

/**
 * dp_hp_live_states() - the trained states of the running contexts.
 * @out:	an empty list; filled with &struct dp_hp_kept.
 *
 * Return: 0, or -ENOMEM (or -EINTR) with @out empty.
 */
int dp_hp_live_states(struct list_head *out)
{
	struct dp_hp_proc *proc;
	struct dp_hp_kept *k;
	int err = 0;

	if (mutex_lock_interruptible(&dp_hp_lock))
		return -EINTR;
	list_for_each_entry(proc, &dp_hp_procs, list) {
		if (!proc->ctx)
			continue;
		k = dp_hp_proc_keep(proc, true);
		if (!k && dp_hp_start_time(proc->pid_nr) == proc->start_time) {
			err = -ENOMEM;
			break;
		}
		if (k)
			list_add_tail(&k->list, out);
	}
	mutex_unlock(&dp_hp_lock);
	if (err)
		dp_hp_kept_free_list(out);
	return err;
}

/**
 * dp_hp_kept_fits() - whether @k would be restored into a context of its
 * process now, with the inputs @p.
 * @k:		the state.
 * @p:		the supervisor's inputs.
 *
 * Return: 0, -EINVAL (no such process, another one, a state that does not
 * fit), or -ENOMEM.
 */
int dp_hp_kept_fits(const struct dp_hp_kept *k, const struct dp_hp_params *p)
{
	struct dp_hp_proc proc = { .pid_nr = k->pid, .threshold = 1 };
	struct dp_trained_plan *plan;
	struct dp_ctx *ctx;
	int err;

	if (strcmp(k->tr->ops, "vaddr") ||
	    k->start_time != dp_hp_start_time(k->pid))
		return -EINVAL;
	ctx = dp_hp_build_ctx(&proc, p);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx) == -ESRCH ? -EINVAL : PTR_ERR(ctx);
	err = dp_trained_prepare(k->tr, ctx, &plan);
	if (!err)
		dp_trained_drop_plan(plan);
	dp_destroy_ctx(ctx);
	return err;
}

/*
 * Every context stops; with keep_trained, what they learnt is kept for
 * the next ones (in place of what was kept before).
 */
static void dp_hp_release_all(void)
{
	bool keep = dp_hp_keep_trained();
	struct dp_hp_proc *proc, *next;
	struct dp_hp_kept *k;
	LIST_HEAD(kept);

	mutex_lock(&dp_hp_lock);
	list_for_each_entry_safe(proc, next, &dp_hp_procs, list) {
		if (keep && proc->ctx) {
			dp_stop(proc->ctx);
			k = dp_hp_proc_keep(proc, false);
			if (k)
				list_add_tail(&k->list, &kept);
		}
		dp_hp_proc_release(proc);
		list_del(&proc->list);
		kfree(proc);
	}
	dp_hp_budget_bp = 0;
	mutex_unlock(&dp_hp_lock);
	dp_hp_applied.pids.nr = 0;
	if (keep)
		dp_hp_kept_set(&kept);
}

/* usecs_to_jiffies() takes 32 bits: a period of 2^32 µs must not be 0. */
static long dp_hp_period_jiffies(unsigned long usecs)
{
	return min_t(u64, div_u64(usecs, USEC_PER_SEC / HZ) + 1,
		     MAX_SCHEDULE_TIMEOUT - 1);
}

/**
 * dp_hp_commit_requested() - whether a commit (dp_hp_commit()) waits to be
 * applied.
 */
bool dp_hp_commit_requested(void)
{
	return atomic_long_read(&dp_hp_commit_asked) !=
		atomic_long_read(&dp_hp_commit_applied);
}

/* The request being applied, read before the inputs: a ticket. */
static long dp_hp_commit_begin(void)
{
	/* Ordered before the read of the inputs (a lock acquire follows). */
	return atomic_long_read_acquire(&dp_hp_commit_asked);
}

/* The requests up to @ticket (dp_hp_commit_begin()) are applied. */
static void dp_hp_commit_done(long ticket)
{
	atomic_long_set(&dp_hp_commit_applied, ticket);
}

static void dp_hp_inputs_get(struct dp_hp_params *params)
{
	mutex_lock(&dp_hp_inputs_lock);
	*params = dp_hp_inputs;
	mutex_unlock(&dp_hp_inputs_lock);
}

/**
 * dp_hp_commit() - hand the running supervisor new inputs.
 * @params:	the inputs, each checked against the others
 *		(dp_hp_params_valid()).
 *
 * The supervisor applies them in its thread; dp_hp_commit_requested()
 * reads true until it has.  The caller orders this with dp_hp_start() and
 * dp_hp_stop(), so that a commit made while the supervisor stops does not
 * stay pending for ever.
 */
void dp_hp_commit(const struct dp_hp_params *params)
{
	mutex_lock(&dp_hp_inputs_lock);
	dp_hp_inputs = *params;
	/* In the lock: a thread that sees the request reads these inputs. */
	atomic_long_inc(&dp_hp_commit_asked);
	mutex_unlock(&dp_hp_inputs_lock);
	wake_up(&dp_hp_wait);
}

/*
 * The supervisor thread.  A commit that could not be applied whole stays
 * pending and is tried again one period later, not at once.
 */
static int dp_hp_thread_fn(void *data)
{
	struct dp_hp_params *p = data;
	struct dp_hp_proc *proc;
	bool pending = true;	/* the inputs read at start */
	long ticket, tried = dp_hp_commit_begin();

	while (!kthread_should_stop()) {
		ticket = dp_hp_commit_begin();
		dp_hp_inputs_get(p);
		if (pending || dp_hp_commit_requested()) {
			tried = ticket;
			pending = dp_hp_apply_inputs(p) != 0;
			if (!pending)
				dp_hp_commit_done(ticket);
		} else {
			mutex_lock(&dp_hp_lock);
			list_for_each_entry(proc, &dp_hp_procs, list)
				dp_hp_proc_period(proc, &dp_hp_applied);
			mutex_unlock(&dp_hp_lock);
		}
		wait_event_idle_timeout(dp_hp_wait, kthread_should_stop() ||
					dp_hp_commit_begin() != tried,
					dp_hp_period_jiffies(dp_hp_applied.monitor_period));
	}
	dp_hp_release_all();
	return 0;
}

/**
 * dp_hp_start() - start the supervisor.
 * @params:	its inputs.
 *
 * Return: 0, -EOPNOTSUPP without vaddr or madvise() on another process (it
 * could never collapse), -EINVAL for invalid inputs, or the error of
 * creating its thread.
 */
int dp_hp_start(const struct dp_hp_params *params)
{
	struct dp_hp_params *p;
	struct task_struct *tsk;

	if (dp_va_ops(&(struct dp_operations){}) ||
	    !dp_has_feature(DP_FEAT_MADVISE))
		return -EOPNOTSUPP;
	/*
	 * The thread's copy of the inputs, freed by dp_hp_stop(): the thread
	 * has no allocation left to fail, and a thread stopped before its
	 * first run (which never runs its function) leaks nothing.
	 */
	p = kmalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	*p = *params;
	if (dp_hp_params_valid(p)) {
		kfree(p);
		return -EINVAL;
	}
	mutex_lock(&dp_hp_inputs_lock);
	dp_hp_inputs = *p;
	mutex_unlock(&dp_hp_inputs_lock);
	dp_hp_applied = *p;
	dp_hp_applied.pids.nr = 0;
	/* The thread reads every input at start: no request is pending. */
	dp_hp_commit_done(dp_hp_commit_begin());
	tsk = kthread_run(dp_hp_thread_fn, p, "dp_hugepaged");
	if (IS_ERR(tsk)) {
		kfree(p);
		return PTR_ERR(tsk);
	}
	dp_hp_thread = tsk;
	dp_hp_thread_params = p;
	return 0;
}

/** dp_hp_stop() - stop the supervisor and every context it runs. */
void dp_hp_stop(void)
{
	if (!dp_hp_thread)
		return;
	kthread_stop(dp_hp_thread);
	dp_hp_thread = NULL;
	kfree(dp_hp_thread_params);
	dp_hp_thread_params = NULL;
	/* Nothing runs to apply them: commit_inputs reads N. */
	dp_hp_commit_done(dp_hp_commit_begin());
}

/** dp_hp_running() - whether the supervisor runs. */
bool dp_hp_running(void)
{
	return READ_ONCE(dp_hp_thread);
}

/**
 * dp_hp_status() - under a huge page budget, the share now and the budget
 * ("hugepage_mem_bp 812 target 1000"); then a header, and one line per
 * supervised pid: pid, state, threshold, regions and bytes collapsed.
 * @buf:	where to write.
 * @size:	its size.
 *
 * Return: the length written.
 */
int dp_hp_status(char *buf, size_t size)
{
	struct dp_hp_proc *proc;
	int len = 0;

	mutex_lock(&dp_hp_lock);
	if (dp_hp_budget_bp)
		len = scnprintf(buf, size, "hugepage_mem_bp %lu target %lu\n",
				dp_huge_mem_bp(), dp_hp_budget_bp);
	/* Short columns: 100 pids must fit in the page a parameter gets. */
	if (!list_empty(&dp_hp_procs))
		len += scnprintf(buf + len, size - len,
				 "pid state threshold regions bytes\n");
	list_for_each_entry(proc, &dp_hp_procs, list)
		len += scnprintf(buf + len, size - len, "%d %s %u %lu %lu\n",
				 proc->pid_nr, dp_hp_state_names[proc->state],
				 proc->threshold, proc->nr_applied,
				 proc->sz_applied);
	mutex_unlock(&dp_hp_lock);
	return len;
}

#ifdef DAMON_PAUSE_KUNIT
#include "hugepage-kunit.h"
#endif

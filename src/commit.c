// SPDX-License-Identifier: GPL-2.0
/*
 * Online commit: apply new user parameters (attributes, targets and their
 * ranges, pause) to a context, running or not, keeping everything it has
 * learnt about what did not change.
 *
 * A commit is all or nothing.  Everything that can fail (validation,
 * allocation) happens first, into a plan kept aside; only then is the plan
 * applied, by steps that cannot fail.  So a refused commit leaves the
 * context exactly as it was (upstream DAMON stops the kdamond instead).
 */

#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include <damon_pause/damon.h>

#include "compat.h"
#include "core-internal.h"

/* Regions prepared for one kept target, or its removal. */
struct dp_commit_target {
	bool drop;
	bool refit;
	struct list_head fitted;
	unsigned int nr_fitted;
};

struct dp_commit_plan {
	unsigned int nr_kept;
	struct dp_commit_target *kept;
	struct list_head new_targets;
	struct list_head new_schemes;
	struct list_head new_probes;
};

static unsigned int dp_nr_targets(const struct dp_ctx *ctx)
{
	struct dp_target *t;
	unsigned int nr = 0;

	dp_for_each_target(t, ctx)
		nr++;
	return nr;
}

/* The address ranges of @t's regions, as given by the user; NULL if none. */
static struct dp_addr_range *dp_target_ranges(struct dp_target *t, int *err)
{
	struct dp_addr_range *ranges;
	struct dp_region *r;
	unsigned int i = 0;

	*err = 0;
	if (!t->nr_regions)
		return NULL;
	ranges = kmalloc_array(t->nr_regions, sizeof(*ranges), GFP_KERNEL);
	if (!ranges) {
		*err = -ENOMEM;
		return NULL;
	}
	dp_for_each_region(r, t)
		ranges[i++] = r->ar;
	return ranges;
}

/*
 * Fit @src's ranges into regions that take their history from @history
 * (NULL: none), aside, into @plan.
 */
static int dp_commit_fit(struct dp_target *history, struct dp_target *src,
			 unsigned long align, struct dp_commit_target *plan)
{
	struct dp_target empty = {
		.regions_list = LIST_HEAD_INIT(empty.regions_list),
	};
	struct dp_addr_range *ranges;
	int err;

	INIT_LIST_HEAD(&plan->fitted);
	plan->refit = false;
	ranges = dp_target_ranges(src, &err);
	if (!ranges)
		return err;
	err = dp_fit_regions(history ? history : &empty, ranges,
			     src->nr_regions, align, &plan->fitted,
			     &plan->nr_fitted);
	kfree(ranges);
	if (!err)
		plan->refit = true;
	return err;
}

static void dp_commit_drop_schemes(struct list_head *schemes)
{
	struct dp_scheme *s, *next;

	list_for_each_entry_safe(s, next, schemes, list)
		dp_destroy_scheme(s);
}

/* Valid copies of @src's schemes, into @schemes. */
static int dp_commit_prepare_schemes(struct dp_ctx *src,
				     struct list_head *schemes)
{
	struct dp_scheme *s, *copy;
	int err;

	dp_for_each_scheme(s, src) {
		err = dp_scheme_valid_for(&src->ops, s);
		if (err)
			return err;
		copy = dp_copy_scheme(s);
		if (!copy)
			return -ENOMEM;
		list_add_tail(&copy->list, schemes);
	}
	return 0;
}

static void dp_commit_drop_plan(struct dp_commit_plan *plan)
{
	struct dp_probe *p, *next_p;
	struct dp_target *t, *next;
	unsigned int i;

	for (i = 0; i < plan->nr_kept; i++)
		if (plan->kept[i].refit)
			dp_free_regions(&plan->kept[i].fitted);
	kfree(plan->kept);
	list_for_each_entry_safe(t, next, &plan->new_targets, list)
		dp_destroy_target(t);
	dp_commit_drop_schemes(&plan->new_schemes);
	list_for_each_entry_safe(p, next_p, &plan->new_probes, list)
		dp_destroy_probe(p);
}

/* Everything that can fail, without touching @dst. */
static int dp_commit_prepare(struct dp_ctx *dst, struct dp_ctx *src,
			     struct dp_commit_plan *plan)
{
	struct dp_target *dst_t, *src_t;
	unsigned int i = 0;
	int err;

	INIT_LIST_HEAD(&plan->new_targets);
	INIT_LIST_HEAD(&plan->new_schemes);
	INIT_LIST_HEAD(&plan->new_probes);
	plan->nr_kept = min(dp_nr_targets(dst), dp_nr_targets(src));
	plan->kept = kcalloc(max(plan->nr_kept, 1U), sizeof(*plan->kept),
			     GFP_KERNEL);
	if (!plan->kept)
		return -ENOMEM;

	dst_t = list_first_entry(&dst->targets, struct dp_target, list);
	dp_for_each_target(src_t, src) {
		if (i < plan->nr_kept && src_t->obsolete) {
			plan->kept[i].drop = true;
			INIT_LIST_HEAD(&plan->kept[i].fitted);
			dst_t = list_next_entry(dst_t, list);
			err = 0;
		} else if (i < plan->nr_kept) {
			/* Another process's history means nothing here. */
			bool same = dst_t->pid == src_t->pid;

			err = dp_commit_fit(same ? dst_t : NULL, src_t,
					    src->min_region_sz, &plan->kept[i]);
			dst_t = list_next_entry(dst_t, list);
		} else if (src_t->obsolete) {
			pr_warn_ratelimited("obsolete target %u: no running target to remove there\n",
					    i);
			err = -EINVAL;
		} else {
			struct dp_target *t = dp_new_target();
			struct dp_commit_target fresh = {};

			err = -ENOMEM;
			if (t) {
				list_add_tail(&t->list, &plan->new_targets);
				err = dp_commit_fit(NULL, src_t,
						    src->min_region_sz, &fresh);
			}
			if (!err && fresh.refit)
				dp_swap_regions(t, &fresh.fitted,
						fresh.nr_fitted);
			if (!err)
				t->pid = get_pid(src_t->pid);
		}
		if (err)
			goto fail;
		i++;
	}
	err = dp_commit_prepare_schemes(src, &plan->new_schemes);
	if (err)
		goto fail;
	/* Probes hold no state: the new ones replace the old. */
	err = dp_probes_copy(&plan->new_probes, src);
	if (err)
		goto fail;
	return 0;
fail:
	dp_commit_drop_plan(plan);
	return err;
}

static bool dp_intervals_changed(const struct dp_attrs *a,
				 const struct dp_attrs *b)
{
	return a->sample_interval != b->sample_interval ||
		a->aggr_interval != b->aggr_interval ||
		a->ops_update_interval != b->ops_update_interval ||
		memcmp(&a->intervals_goal, &b->intervals_goal,
		       sizeof(a->intervals_goal));
}

static bool dp_has_target(struct dp_ctx *ctx, struct dp_target *target)
{
	struct dp_target *t;

	dp_for_each_target(t, ctx)
		if (t == target)
			return true;
	return false;
}

/*
 * What @old learnt while it ran goes on in @s, its successor at the same
 * position: statistics, quota charges and tuning, activation, deadlines.
 */
static void dp_commit_scheme_state(struct dp_ctx *ctx, struct dp_scheme *s,
				   struct dp_scheme *old)
{
	struct dp_quota *q = &s->quota, *oq = &old->quota;
	struct dp_quota_goal *g, *og;

	s->stat = old->stat;
	s->next_apply_sis = old->next_apply_sis;
	s->wmarks.activated = old->wmarks.activated;
	s->wmarks.next_check_sis = old->wmarks.next_check_sis;
	q->esz = oq->esz;
	q->esz_bp = oq->esz_bp;
	q->goals_met = oq->goals_met;
	q->charged_sz = oq->charged_sz;
	q->charged_from = oq->charged_from;
	q->total_charged_sz = oq->total_charged_sz;
	q->total_charged_ns = oq->total_charged_ns;
	q->min_score = oq->min_score;
	/* Its target may just have been removed. */
	if (dp_has_target(ctx, oq->charge_target_from)) {
		q->charge_target_from = oq->charge_target_from;
		q->charge_addr_from = oq->charge_addr_from;
	}
	og = list_first_entry(&oq->goals, struct dp_quota_goal, list);
	dp_for_each_goal(g, q) {
		if (list_entry_is_head(og, &oq->goals, list))
			break;
		g->last_psi_total = og->last_psi_total;
		og = list_next_entry(og, list);
	}
}

/* Schemes by position, as targets: kept state, new ones added, extra go. */
static void dp_commit_apply_schemes(struct dp_ctx *dst,
				    struct list_head *schemes)
{
	struct dp_scheme *s, *old, *next;

	old = list_first_entry(&dst->schemes, struct dp_scheme, list);
	list_for_each_entry(s, schemes, list) {
		if (list_entry_is_head(old, &dst->schemes, list)) {
			dp_scheme_restart_deadline(dst, s);
			continue;
		}
		dp_commit_scheme_state(dst, s, old);
		old = list_next_entry(old, list);
	}
	dp_for_each_scheme_safe(old, next, dst)
		dp_destroy_scheme(old);
	list_splice_tail_init(schemes, &dst->schemes);
}

/* Nothing here can fail. */
static void dp_commit_apply(struct dp_ctx *dst, struct dp_ctx *src,
			    struct dp_commit_plan *plan)
{
	bool intervals_changed = dp_intervals_changed(&dst->attrs, &src->attrs);
	struct dp_target *dst_t, *next, *src_t;
	unsigned int i = 0;

	src_t = list_first_entry(&src->targets, struct dp_target, list);
	dp_for_each_target_safe(dst_t, next, dst) {
		struct dp_commit_target *kept;

		if (i >= plan->nr_kept) {
			dp_destroy_target(dst_t);
			continue;
		}
		kept = &plan->kept[i++];
		if (kept->drop) {
			dp_destroy_target(dst_t);
			src_t = list_next_entry(src_t, list);
			continue;
		}
		if (dst_t->pid != src_t->pid) {
			dp_target_unwatch(dst_t);
			put_pid(dst_t->pid);
			dst_t->pid = get_pid(src_t->pid);
			dp_destroy_regions(dst_t);
		}
		if (kept->refit)
			dp_swap_regions(dst_t, &kept->fitted, kept->nr_fitted);
		src_t = list_next_entry(src_t, list);
	}
	kfree(plan->kept);

	if (intervals_changed)
		dp_rescale_results(dst, &dst->attrs, &src->attrs);
	list_splice_tail_init(&plan->new_targets, &dst->targets);
	/* On the kdamond: new and changed processes are watched for exit. */
	if (dst->kdamond == current)
		dp_for_each_target(dst_t, dst)
			dp_target_watch(dst, dst_t);
	dst->attrs = src->attrs;
	dp_commit_apply_schemes(dst, &plan->new_schemes);
	dp_destroy_probes(dst);
	list_splice_tail_init(&plan->new_probes, &dst->probes);
	/* New deadlines, counted from now, not from the start. */
	if (intervals_changed)
		dp_restart_deadlines(dst);
	dst->ops = src->ops;
	dst->addr_unit = src->addr_unit;
	dst->min_region_sz = src->min_region_sz;
	dst->pause = src->pause;
	dst->resample = true;
}

/**
 * dp_commit_ctx() - apply the user parameters of @src to @dst.
 * @dst:	the context; call this on its kdamond (through dp_call()) if
 *		it runs.
 * @src:	a context that only carries parameters: attributes, ops,
 *		pause and targets (by position) with their pids and, where the
 *		user gave any, ranges as regions.  It is not changed.
 *
 * Targets are matched by position: a matching target with the same pid
 * keeps its regions and their history (refitted to new ranges if @src gives
 * any); one whose pid changed starts over; extra targets of @dst go, extra
 * ones of @src are added.  Schemes too are matched by position: a kept one
 * takes the new parameters and keeps its statistics and quota state.  When
 * the intervals change, nr_accesses and age are rescaled to the new ones.
 *
 * Return: 0, or an error (-EINVAL for invalid attributes, ranges or
 * schemes, -EOPNOTSUPP for schemes this kernel cannot run, -ENOMEM) with
 * @dst unchanged.
 */
int dp_commit_ctx(struct dp_ctx *dst, struct dp_ctx *src)
{
	struct dp_commit_plan plan;
	int err;

	err = dp_attrs_valid(&src->attrs);
	if (err)
		return err;
	if (!is_power_of_2(src->min_region_sz) || !src->addr_unit)
		return -EINVAL;
	err = dp_probes_valid(src, &src->attrs);
	if (err)
		return err;
	err = dp_commit_prepare(dst, src, &plan);
	if (err)
		return err;
	dp_commit_apply(dst, src, &plan);
	return 0;
}

static void dp_free_goals(struct list_head *goals)
{
	struct dp_quota_goal *g, *next;

	list_for_each_entry_safe(g, next, goals, list)
		kfree(g);
	INIT_LIST_HEAD(goals);
}

/* Copies of the goals of @src, valid ones only, into @goals. */
static int dp_copy_goals(struct dp_scheme *src, struct list_head *goals)
{
	struct dp_quota_goal *g, *copy;

	dp_for_each_goal(g, &src->quota) {
		int err = dp_quota_goal_valid(g);

		if (err)
			return err;
		copy = kmemdup(g, sizeof(*g), GFP_KERNEL);
		if (!copy)
			return -ENOMEM;
		list_add_tail(&copy->list, goals);
	}
	return 0;
}

/**
 * dp_commit_quota_goals() - give the schemes of @dst the quota goals of
 * those of @src, and change nothing else.
 * @dst:	the context; on its kdamond if it runs.
 * @src:	a parameters-only context with as many schemes.
 *
 * A goal at the same position keeps its measurement state.
 *
 * Return: 0, or -EINVAL (other number of schemes, invalid goal),
 * -EOPNOTSUPP, -ENOMEM, with @dst unchanged.
 */
static int dp_commit_quota_goals(struct dp_ctx *dst, struct dp_ctx *src)
{
	struct dp_scheme *s, *src_s;
	struct list_head *goals;
	unsigned int nr = 0, i;
	int err = 0;

	dp_for_each_scheme(s, dst)
		nr++;
	i = 0;
	dp_for_each_scheme(s, src)
		i++;
	if (i != nr)
		return -EINVAL;
	goals = kcalloc(max(nr, 1U), sizeof(*goals), GFP_KERNEL);
	if (!goals)
		return -ENOMEM;
	i = 0;
	dp_for_each_scheme(src_s, src) {
		INIT_LIST_HEAD(&goals[i]);
		if (!err)
			err = dp_copy_goals(src_s, &goals[i]);
		i++;
	}
	if (err)
		goto out;

	i = 0;
	dp_for_each_scheme(s, dst) {
		struct dp_quota_goal *g, *old;

		old = list_first_entry(&s->quota.goals, struct dp_quota_goal,
				       list);
		list_for_each_entry(g, &goals[i], list) {
			if (list_entry_is_head(old, &s->quota.goals, list))
				break;
			g->last_psi_total = old->last_psi_total;
			old = list_next_entry(old, list);
		}
		dp_free_goals(&s->quota.goals);
		list_splice_init(&goals[i], &s->quota.goals);
		i++;
	}
out:
	for (i = 0; i < nr; i++)
		dp_free_goals(&goals[i]);
	kfree(goals);
	return err;
}

struct dp_commit_call {
	struct dp_ctx *dst;
	struct dp_ctx *src;
	bool goals_only;
};

static int dp_commit_call_fn(void *data)
{
	struct dp_commit_call *commit = data;

	if (commit->goals_only)
		return dp_commit_quota_goals(commit->dst, commit->src);
	return dp_commit_ctx(commit->dst, commit->src);
}

/**
 * dp_commit_running() - dp_commit_ctx() or dp_commit_quota_goals() on the
 * kdamond of a running context, paused or not.
 * @dst:	the running context.
 * @src:	the parameters.
 * @goals_only:	only the schemes' quota goals.
 *
 * Return: the commit's result, -EINVAL if no kdamond runs, or 0 if it
 * ended before the commit (as upstream, whose writer then gets 0 too).
 */
int dp_commit_running(struct dp_ctx *dst, struct dp_ctx *src, bool goals_only)
{
	struct dp_commit_call commit = {
		.dst = dst,
		.src = src,
		.goals_only = goals_only,
	};
	struct dp_call_control control = {
		.fn = dp_commit_call_fn,
		.data = &commit,
	};
	int err;

	err = dp_call(dst, &control);
	return err ? err : control.return_code;
}

#ifdef DAMON_PAUSE_KUNIT
#include "commit-kunit.h"
#endif

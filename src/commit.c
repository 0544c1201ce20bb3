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

/* Regions prepared for one kept target. */
struct dp_commit_target {
	bool refit;
	struct list_head fitted;
	unsigned int nr_fitted;
};

struct dp_commit_plan {
	unsigned int nr_kept;
	struct dp_commit_target *kept;
	struct list_head new_targets;
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
			 struct dp_commit_target *plan)
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
			     src->nr_regions, &plan->fitted, &plan->nr_fitted);
	kfree(ranges);
	if (!err)
		plan->refit = true;
	return err;
}

static void dp_commit_drop_plan(struct dp_commit_plan *plan)
{
	struct dp_target *t, *next;
	unsigned int i;

	for (i = 0; i < plan->nr_kept; i++)
		if (plan->kept[i].refit)
			dp_free_regions(&plan->kept[i].fitted);
	kfree(plan->kept);
	list_for_each_entry_safe(t, next, &plan->new_targets, list)
		dp_destroy_target(t);
}

/* Everything that can fail, without touching @dst. */
static int dp_commit_prepare(struct dp_ctx *dst, struct dp_ctx *src,
			     struct dp_commit_plan *plan)
{
	struct dp_target *dst_t, *src_t;
	unsigned int i = 0;
	int err;

	INIT_LIST_HEAD(&plan->new_targets);
	plan->nr_kept = min(dp_nr_targets(dst), dp_nr_targets(src));
	plan->kept = kcalloc(max(plan->nr_kept, 1U), sizeof(*plan->kept),
			     GFP_KERNEL);
	if (!plan->kept)
		return -ENOMEM;

	dst_t = list_first_entry(&dst->targets, struct dp_target, list);
	dp_for_each_target(src_t, src) {
		if (i < plan->nr_kept) {
			/* Another process's history means nothing here. */
			bool same = dst_t->pid == src_t->pid;

			err = dp_commit_fit(same ? dst_t : NULL, src_t,
					    &plan->kept[i]);
			dst_t = list_next_entry(dst_t, list);
		} else {
			struct dp_target *t = dp_new_target();
			struct dp_commit_target fresh = {};

			err = -ENOMEM;
			if (t) {
				list_add_tail(&t->list, &plan->new_targets);
				err = dp_commit_fit(NULL, src_t, &fresh);
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
	return 0;
fail:
	dp_commit_drop_plan(plan);
	return err;
}

/* nr_accesses and age are counted in intervals: convert them. */
static void dp_commit_rescale(struct dp_ctx *ctx, const struct dp_attrs *old,
			      const struct dp_attrs *new)
{
	unsigned int old_max = dp_max_nr_accesses(old);
	unsigned int new_max = dp_max_nr_accesses(new);
	struct dp_target *t;
	struct dp_region *r;

	/* As upstream, an interval of 0 has no meaningful conversion. */
	if (!old->sample_interval || !old->aggr_interval ||
	    !new->sample_interval || !new->aggr_interval || !old_max)
		return;
	dp_for_each_target(t, ctx)
		dp_for_each_region(r, t) {
			r->nr_accesses = r->nr_accesses * new_max / old_max;
			r->last_nr_accesses = r->last_nr_accesses * new_max /
				old_max;
			r->nr_accesses_bp = (u64)r->nr_accesses_bp * new_max /
				old_max;
			r->age = (u64)r->age * old->aggr_interval /
				new->aggr_interval;
		}
}

static bool dp_intervals_changed(const struct dp_attrs *a,
				 const struct dp_attrs *b)
{
	return a->sample_interval != b->sample_interval ||
		a->aggr_interval != b->aggr_interval ||
		a->ops_update_interval != b->ops_update_interval;
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
		struct dp_commit_target *kept = &plan->kept[i];

		if (i++ >= plan->nr_kept) {
			dp_destroy_target(dst_t);
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
		dp_commit_rescale(dst, &dst->attrs, &src->attrs);
	list_splice_tail_init(&plan->new_targets, &dst->targets);
	/* On the kdamond: new and changed processes are watched for exit. */
	if (dst->kdamond == current)
		dp_for_each_target(dst_t, dst)
			dp_target_watch(dst, dst_t);
	dst->attrs = src->attrs;
	/* New deadlines, counted from now, not from the start. */
	if (intervals_changed)
		dp_restart_deadlines(dst);
	dst->ops = src->ops;
	dst->pause = src->pause;
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
 * ones of @src are added.  When the intervals change, nr_accesses and age
 * are rescaled to the new ones.
 *
 * Return: 0, or an error (-EINVAL for invalid attributes or ranges,
 * -ENOMEM) with @dst unchanged.
 */
int dp_commit_ctx(struct dp_ctx *dst, struct dp_ctx *src)
{
	struct dp_commit_plan plan;
	int err;

	err = dp_attrs_valid(&src->attrs);
	if (err)
		return err;
	err = dp_commit_prepare(dst, src, &plan);
	if (err)
		return err;
	dp_commit_apply(dst, src, &plan);
	return 0;
}

#ifdef DAMON_PAUSE_KUNIT
#include "commit-kunit.h"
#endif

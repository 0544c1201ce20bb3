// SPDX-License-Identifier: GPL-2.0
/*
 * A context's trained state beyond its kdamond: taken out of a context
 * (running, paused or stopped) and given to another one, which starts from
 * it instead of from nothing: after an off and on, a module upgrade or a
 * reboot.
 *
 * A restore is checked against the context it is for as every input is
 * (same targets, same processes, regions inside the ranges it monitors, no
 * more of them than it may have, counts its intervals can reach) and is
 * all or nothing, as a commit: everything is prepared aside first
 * (dp_trained_prepare()), then installed by steps that cannot fail.
 */

#include <linux/minmax.h>
#include <linux/pid.h>
#include <linux/slab.h>

#include <damon_pause/trained.h>

/**
 * dp_trained_alloc() - an empty trained state.
 * @nr_targets:	number of targets, with no regions yet.
 * @nr_schemes:	number of schemes.
 *
 * Return: the state, or NULL.
 */
struct dp_trained *dp_trained_alloc(unsigned int nr_targets,
				    unsigned int nr_schemes)
{
	struct dp_trained *tr = kzalloc(sizeof(*tr), GFP_KERNEL);

	if (!tr)
		return NULL;
	tr->targets = kvcalloc(max(nr_targets, 1U), sizeof(*tr->targets),
			       GFP_KERNEL);
	tr->schemes = kvcalloc(max(nr_schemes, 1U), sizeof(*tr->schemes),
			       GFP_KERNEL);
	if (!tr->targets || !tr->schemes) {
		dp_trained_free(tr);
		return NULL;
	}
	tr->nr_targets = nr_targets;
	tr->nr_schemes = nr_schemes;
	return tr;
}

/** dp_trained_alloc_regions() - room for @nr regions in @t; 0 or -ENOMEM. */
int dp_trained_alloc_regions(struct dp_trained_target *t, unsigned int nr)
{
	t->regions = kvcalloc(max(nr, 1U), sizeof(*t->regions), GFP_KERNEL);
	if (!t->regions)
		return -ENOMEM;
	t->nr_regions = nr;
	return 0;
}

/** dp_trained_free() - free @tr (NULL: nothing). */
void dp_trained_free(struct dp_trained *tr)
{
	unsigned int i;

	if (!tr)
		return;
	for (i = 0; tr->targets && i < tr->nr_targets; i++)
		kvfree(tr->targets[i].regions);
	kvfree(tr->targets);
	kvfree(tr->schemes);
	kfree(tr);
}

static unsigned int dp_trained_count(const struct list_head *head)
{
	const struct list_head *pos;
	unsigned int nr = 0;

	list_for_each(pos, head)
		nr++;
	return nr;
}

static void dp_trained_take_region(struct dp_trained_region *tr,
				   const struct dp_region *r)
{
	tr->ar = r->ar;
	tr->nr_accesses = r->nr_accesses;
	tr->nr_accesses_bp = r->nr_accesses_bp;
	tr->last_nr_accesses = r->last_nr_accesses;
	tr->age = r->age;
	tr->idle_aggrs = r->idle_aggrs;
	memcpy(tr->probe_hits, r->probe_hits, sizeof(tr->probe_hits));
	memcpy(tr->last_probe_hits, r->last_probe_hits,
	       sizeof(tr->last_probe_hits));
}

static void dp_trained_take_scheme(struct dp_trained_scheme *ts,
				   const struct dp_scheme *s)
{
	ts->action = s->action;
	ts->esz = s->quota.esz;
	ts->esz_bp = s->quota.esz_bp;
	ts->min_score = s->quota.min_score;
	ts->goals_met = s->quota.goals_met;
	ts->total_charged_sz = s->quota.total_charged_sz;
	ts->total_charged_ns = s->quota.total_charged_ns;
}

/**
 * dp_trained_take() - a copy of what @ctx learnt.
 * @ctx:	the context: stopped, or on its kdamond.
 *
 * Return: the state (its @ops left empty), or NULL if out of memory.
 */
struct dp_trained *dp_trained_take(struct dp_ctx *ctx)
{
	struct dp_trained *tr;
	struct dp_target *t;
	struct dp_scheme *s;
	struct dp_region *r;
	unsigned int ti = 0, si = 0, ri;

	tr = dp_trained_alloc(dp_trained_count(&ctx->targets),
			      dp_trained_count(&ctx->schemes));
	if (!tr)
		return NULL;
	tr->sample_us = ctx->attrs.sample_interval;
	tr->aggr_us = ctx->attrs.aggr_interval;
	if (ctx->next_aggregation_sis > ctx->passed_sample_intervals)
		tr->aggr_left = ctx->next_aggregation_sis -
			ctx->passed_sample_intervals;
	dp_for_each_target(t, ctx) {
		struct dp_trained_target *tt = &tr->targets[ti++];

		tt->pid = t->pid ? pid_nr(t->pid) : 0;
		if (dp_trained_alloc_regions(tt, t->nr_regions)) {
			dp_trained_free(tr);
			return NULL;
		}
		ri = 0;
		dp_for_each_region(r, t) {
			if (ri == tt->nr_regions)
				break;
			dp_trained_take_region(&tt->regions[ri++], r);
		}
		tt->nr_regions = ri;
	}
	dp_for_each_scheme(s, ctx)
		dp_trained_take_scheme(&tr->schemes[si++], s);
	return tr;
}

struct dp_trained_take_call {
	struct dp_ctx *ctx;
	struct dp_trained *tr;
};

static int dp_trained_take_fn(void *data)
{
	struct dp_trained_take_call *call = data;

	call->tr = dp_trained_take(call->ctx);
	return call->tr ? 0 : -ENOMEM;
}

/**
 * dp_trained_take_running() - dp_trained_take() of a context that may run.
 * @ctx:	the context: a running one is read on its kdamond (between two
 *		sampling intervals; a paused one at once, its frozen state),
 *		a stopped one directly (what its kdamond left at its end).
 * @out:	the state.
 *
 * Return: 0, -ENOMEM, or -EINTR if the caller was killed while waiting.
 */
int dp_trained_take_running(struct dp_ctx *ctx, struct dp_trained **out)
{
	struct dp_trained_take_call call = { .ctx = ctx };
	struct dp_call_control control = {
		.fn = dp_trained_take_fn,
		.data = &call,
	};
	int err;

	if (dp_is_running(ctx)) {
		err = dp_call(ctx, &control);
		if (err == -EINTR)
			return err;
		if (!err && !control.canceled) {
			*out = call.tr;
			return control.return_code;
		}
		/* Ending by itself: read what it leaves once it is done. */
		dp_stop(ctx);
	}
	*out = dp_trained_take(ctx);
	return *out ? 0 : -ENOMEM;
}

/* One target's regions, prepared aside. */
struct dp_trained_plan_target {
	struct list_head regions;
	unsigned int nr;
};

/**
 * struct dp_trained_plan - a restore, ready to install.
 * @nr_targets:	number of @targets (the context's, in order).
 * @targets:	each one's new regions; none: it keeps its own.
 * @nr_schemes:	number of @schemes (the first ones of the context).
 * @schemes:	their quota tuning state.
 * @aggr_left:	sampling intervals to the first aggregation; 0: a full one.
 */
struct dp_trained_plan {
	unsigned int nr_targets;
	struct dp_trained_plan_target *targets;
	unsigned int nr_schemes;
	struct dp_trained_scheme *schemes;
	unsigned long aggr_left;
};

/** dp_trained_drop_plan() - free a plan that was not installed. */
void dp_trained_drop_plan(struct dp_trained_plan *plan)
{
	unsigned int i;

	if (!plan)
		return;
	for (i = 0; plan->targets && i < plan->nr_targets; i++)
		dp_free_regions(&plan->targets[i].regions);
	kfree(plan->targets);
	kfree(plan->schemes);
	kfree(plan);
}

/*
 * How counts taken with one pair of intervals read in another, as a
 * commit that changes them rescales a running context's
 * (dp_rescale_results()): nr_accesses and the probe hits by the ratio of
 * the most each can be, the age by that of the aggregation intervals.
 * With an interval of 0 there is no meaningful conversion: none.
 */
struct dp_trained_scale {
	unsigned long max_from;
	unsigned long max_to;
	unsigned long aggr_from;
	unsigned long aggr_to;
};

static u64 dp_trained_scaled(u64 v, unsigned long num, unsigned long den)
{
	return den ? div64_u64(v * num, den) : v;
}

static void dp_trained_scale_init(struct dp_trained_scale *sc,
				  const struct dp_trained *tr,
				  const struct dp_attrs *to)
{
	struct dp_attrs from = {
		.sample_interval = tr->sample_us,
		.aggr_interval = tr->aggr_us,
	};

	*sc = (struct dp_trained_scale){ 1, 1, 1, 1 };
	if (!tr->sample_us || !tr->aggr_us || !to->sample_interval ||
	    !to->aggr_interval || !dp_max_nr_accesses(&from))
		return;
	sc->max_from = dp_max_nr_accesses(&from);
	sc->max_to = dp_max_nr_accesses(to);
	sc->aggr_from = tr->aggr_us;
	sc->aggr_to = to->aggr_interval;
}

static unsigned int dp_trained_scaled_count(u64 v,
					    const struct dp_trained_scale *sc,
					    unsigned int max)
{
	return min_t(u64, max, dp_trained_scaled(v, sc->max_to, sc->max_from));
}

/*
 * The moving count is an estimate that may lag behind a merge (and then
 * read above what an interval gives): beyond that, it is cut to the most
 * an interval gives, as an idle region's is (dp_account_check()).
 */
static struct dp_region *dp_trained_region_new(const struct dp_trained_region *src,
					       const struct dp_trained_scale *sc,
					       unsigned int max_nr)
{
	struct dp_region *r = dp_new_region(src->ar.start, src->ar.end);
	u64 bp;
	int i;

	if (!r)
		return NULL;
	r->nr_accesses = dp_trained_scaled_count(src->nr_accesses, sc,
						 UINT_MAX);
	bp = min_t(u64, src->nr_accesses_bp, (u64)max_nr * DP_BP);
	r->nr_accesses_bp = dp_trained_scaled_count(bp, sc, UINT_MAX);
	r->last_nr_accesses = dp_trained_scaled_count(src->last_nr_accesses,
						      sc, UINT_MAX);
	r->age = min_t(u64, UINT_MAX, dp_trained_scaled(src->age, sc->aggr_from,
							sc->aggr_to));
	r->idle_aggrs = src->idle_aggrs;
	for (i = 0; i < DP_MAX_PROBES; i++) {
		r->probe_hits[i] = dp_trained_scaled_count(src->probe_hits[i],
							   sc, U8_MAX);
		r->last_probe_hits[i] =
			dp_trained_scaled_count(src->last_probe_hits[i], sc,
						U8_MAX);
	}
	return r;
}

/*
 * Whether the ends of region @i of @tt are where a context of @unit puts
 * them.  Where two regions meet, on a multiple of @unit: splits and merges
 * keep to it.  At an end of a @fixed target's span, anywhere; at an edge
 * of what vaddr monitors (no region joined there), on a page: it follows
 * the mappings' ends (dp_va_ranges_of()), whatever the unit, and the
 * supervisor's contexts, of huge page units, have such edges.
 */
static bool dp_trained_ends_fit(const struct dp_trained_target *tt,
				unsigned int i, bool fixed, unsigned long unit,
				unsigned long span_end)
{
	const struct dp_trained_region *r = &tt->regions[i];
	unsigned long edge = fixed ? unit : min(unit, DP_MIN_REGION);
	bool joined_before = i && tt->regions[i - 1].ar.end == r->ar.start;
	bool joined_after = i + 1 < tt->nr_regions &&
		tt->regions[i + 1].ar.start == r->ar.end;

	if (r->ar.start % (joined_before ? unit : edge))
		return false;
	return r->ar.end == span_end || !(r->ar.end % (joined_after ? unit : edge));
}

/*
 * Whether region @i of @tt can be one of @t's: in order, not empty, its
 * ends on @unit (dp_trained_ends_fit()), with @fixed ranges (operations
 * that never update regions: paddr, fvaddr) within those @t was given
 * (vaddr's follow the process's layout, whatever it was given), and with
 * counts that @max_nr (the state's own intervals') can reach (but the
 * moving count: dp_trained_region_new()).
 */
static bool dp_trained_region_fits(const struct dp_trained_target *tt,
				   unsigned int i, const struct dp_target *t,
				   bool fixed, unsigned long unit,
				   unsigned int max_nr)
{
	const struct dp_trained_region *r = &tt->regions[i];
	unsigned long span_start = 0, span_end = ULONG_MAX;
	int p;

	if (fixed && t->nr_regions) {
		span_start = dp_first_region(t)->ar.start;
		span_end = dp_last_region(t)->ar.end;
	}
	if (r->ar.start >= r->ar.end || r->ar.start < span_start ||
	    r->ar.end > span_end ||
	    (i && r->ar.start < tt->regions[i - 1].ar.end))
		return false;
	if (!dp_trained_ends_fit(tt, i, fixed, unit, span_end))
		return false;
	if (r->nr_accesses > max_nr || r->last_nr_accesses > max_nr ||
	    r->idle_aggrs > DP_IDLE_AGGRS)
		return false;
	for (p = 0; p < DP_MAX_PROBES; p++)
		if (r->probe_hits[p] > max_nr || r->last_probe_hits[p] > max_nr)
			return false;
	return true;
}

static int dp_trained_prepare_target(const struct dp_trained_target *tt,
				     const struct dp_target *t,
				     const struct dp_ctx *params,
				     unsigned int max_nr,
				     const struct dp_trained_scale *sc,
				     struct dp_trained_plan_target *pt)
{
	unsigned int i;
	struct dp_region *r;

	if (tt->pid != (t->pid ? pid_nr(t->pid) : 0)) {
		pr_warn_ratelimited("trained state: of pid %d, not the target's %d\n",
				    tt->pid, t->pid ? pid_nr(t->pid) : 0);
		return -EINVAL;
	}
	for (i = 0; i < tt->nr_regions; i++) {
		if (!dp_trained_region_fits(tt, i, t, !params->ops.update,
					    params->min_region_sz, max_nr)) {
			pr_warn_ratelimited("trained state: region [%lu, %lu) does not fit the target\n",
					    tt->regions[i].ar.start,
					    tt->regions[i].ar.end);
			return -EINVAL;
		}
		r = dp_trained_region_new(&tt->regions[i], sc, max_nr);
		if (!r)
			return -ENOMEM;
		list_add_tail(&r->list, &pt->regions);
		pt->nr++;
	}
	return 0;
}

static int dp_trained_prepare_schemes(const struct dp_trained *tr,
				      const struct dp_ctx *params,
				      struct dp_trained_plan *plan)
{
	const struct dp_scheme *s;
	unsigned int i = 0;

	if (tr->nr_schemes != dp_trained_count(&params->schemes)) {
		pr_warn_ratelimited("trained state: %u schemes, the context has %u\n",
				    tr->nr_schemes,
				    dp_trained_count(&params->schemes));
		return -EINVAL;
	}
	dp_for_each_scheme(s, params) {
		if (s->action != tr->schemes[i].action) {
			pr_warn_ratelimited("trained state: scheme %u has another action\n",
					    i);
			return -EINVAL;
		}
		i++;
	}
	plan->schemes = kmemdup(tr->schemes, max(i, 1U) * sizeof(*tr->schemes),
				GFP_KERNEL);
	if (!plan->schemes)
		return -ENOMEM;
	plan->nr_schemes = i;
	return 0;
}

/*
 * The intervals the counts go on in: with intervals tuning, the tuned ones
 * of @tr, if the tuning's bounds allow them (into @params); else @params'
 * own, and the counts are converted.
 */
static int dp_trained_prepare_intervals(const struct dp_trained *tr,
					struct dp_ctx *params,
					struct dp_trained_scale *sc,
					unsigned long *aggr_left)
{
	struct dp_attrs attrs = params->attrs;
	unsigned long left_us;

	if (tr->sample_us > tr->aggr_us) {
		pr_warn_ratelimited("trained state: sampling interval above the aggregation interval\n");
		return -EINVAL;
	}
	if (attrs.intervals_goal.aggrs) {
		attrs.sample_interval = tr->sample_us;
		attrs.aggr_interval = tr->aggr_us;
		if (dp_attrs_valid(&attrs)) {
			pr_warn_ratelimited("trained state: tuned intervals outside the tuning's bounds\n");
			return -EINVAL;
		}
	}
	dp_trained_scale_init(sc, tr, &attrs);
	/* Where the state's aggregation interval was, in the new one. */
	left_us = min_t(u64, tr->aggr_left * (u64)tr->sample_us, tr->aggr_us);
	*aggr_left = attrs.sample_interval ? left_us / attrs.sample_interval :
		left_us;
	params->attrs = attrs;
	return 0;
}

/**
 * dp_trained_prepare() - check that @tr fits the context @params describes
 * and prepare its restore.
 * @tr:		the trained state.
 * @params:	a stopped, parameters-only context (dp_sysfs_context_build()),
 *		whose intervals become the tuned ones of @tr if it tunes them.
 * @plan:	the plan, for dp_trained_install().
 *
 * @tr fits if it has as many targets, each of the same process (pid) and
 * with regions inside the ranges the target was given (if any, and if the
 * operations keep to them), as many
 * schemes of the same actions, no more regions than max_nr_regions, and
 * counts its intervals can reach; none of @params' targets may be marked
 * obsolete.
 *
 * Return: 0, -EINVAL if it does not fit, -ENOMEM.
 */
int dp_trained_prepare(const struct dp_trained *tr, struct dp_ctx *params,
		       struct dp_trained_plan **plan)
{
	struct dp_attrs own = { .sample_interval = tr->sample_us,
				.aggr_interval = tr->aggr_us };
	unsigned int max_nr = max(dp_max_nr_accesses(&own), 1U);
	unsigned long total = 0;
	struct dp_trained_scale sc;
	struct dp_trained_plan *p;
	struct dp_target *t;
	unsigned int i;
	int err;

	if (tr->nr_targets != dp_trained_count(&params->targets)) {
		pr_warn_ratelimited("trained state: %u targets, the context has %u\n",
				    tr->nr_targets,
				    dp_trained_count(&params->targets));
		return -EINVAL;
	}
	for (i = 0; i < tr->nr_targets; i++)
		total += tr->targets[i].nr_regions;
	if (total > params->attrs.max_nr_regions) {
		pr_warn_ratelimited("trained state: %lu regions, above max_nr_regions\n",
				    total);
		return -EINVAL;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->targets = kcalloc(max(tr->nr_targets, 1U), sizeof(*p->targets),
			     GFP_KERNEL);
	if (!p->targets) {
		kfree(p);
		return -ENOMEM;
	}
	p->nr_targets = tr->nr_targets;
	for (i = 0; i < tr->nr_targets; i++)
		INIT_LIST_HEAD(&p->targets[i].regions);
	/* The intervals may change: on a copy until all of it is checked. */
	err = dp_trained_prepare_intervals(tr, params, &sc, &p->aggr_left);
	if (err)
		goto fail;
	i = 0;
	dp_for_each_target(t, params) {
		err = -EINVAL;
		if (t->obsolete)
			goto fail;
		err = dp_trained_prepare_target(&tr->targets[i], t, params,
						max_nr, &sc, &p->targets[i]);
		if (err)
			goto fail;
		i++;
	}
	err = dp_trained_prepare_schemes(tr, params, p);
	if (err)
		goto fail;
	*plan = p;
	return 0;
fail:
	dp_trained_drop_plan(p);
	return err;
}

static void dp_trained_install_scheme(struct dp_scheme *s,
				      const struct dp_trained_scheme *ts)
{
	s->quota.esz = ts->esz;
	s->quota.esz_bp = ts->esz_bp;
	s->quota.min_score = ts->min_score;
	s->quota.goals_met = ts->goals_met;
	s->quota.total_charged_sz = ts->total_charged_sz;
	s->quota.total_charged_ns = ts->total_charged_ns;
}

/**
 * dp_trained_install() - install a prepared restore; nothing can fail.
 * @ctx:	the context @plan was prepared for: stopped, or on its
 *		kdamond right after the commit of those parameters.
 * @plan:	the plan; freed.
 */
static void dp_trained_install(struct dp_ctx *ctx, struct dp_trained_plan *plan)
{
	struct dp_target *t;
	struct dp_scheme *s;
	unsigned int i = 0;

	dp_for_each_target(t, ctx) {
		if (i == plan->nr_targets)
			break;
		if (plan->targets[i].nr)
			dp_swap_regions(t, &plan->targets[i].regions,
					plan->targets[i].nr);
		i++;
	}
	i = 0;
	dp_for_each_scheme(s, ctx) {
		if (i == plan->nr_schemes)
			break;
		dp_trained_install_scheme(s, &plan->schemes[i++]);
	}
	if (ctx->kdamond == current) {
		if (plan->aggr_left)
			ctx->next_aggregation_sis =
				ctx->passed_sample_intervals + plan->aggr_left;
	} else {
		ctx->restored_aggr_left = plan->aggr_left;
	}
	dp_trained_drop_plan(plan);
}

/**
 * dp_trained_restore() - give a stopped context the trained state @tr.
 * @params:	the stopped context, as for dp_trained_prepare().
 * @tr:		the state.
 *
 * Return: 0, or -EINVAL (it does not fit) or -ENOMEM with @params' regions
 * and schemes unchanged.
 */
int dp_trained_restore(struct dp_ctx *params, const struct dp_trained *tr)
{
	struct dp_trained_plan *plan;
	int err;

	err = dp_trained_prepare(tr, params, &plan);
	if (!err)
		dp_trained_install(params, plan);
	return err;
}

struct dp_trained_commit {
	struct dp_ctx *dst;
	struct dp_ctx *src;
	struct dp_trained_plan *plan;
};

static int dp_trained_commit_fn(void *data)
{
	struct dp_trained_commit *commit = data;
	int err;

	err = dp_commit_ctx(commit->dst, commit->src);
	if (!err) {
		dp_trained_install(commit->dst, commit->plan);
		commit->plan = NULL;
	}
	return err;
}

/**
 * dp_trained_commit_running() - commit @src to the running @dst and
 * restore @tr in the same step on its kdamond.
 * @dst:	the running context, paused or not.
 * @src:	the parameters, as for dp_commit_running().
 * @tr:		the state, checked against @src.
 *
 * Return: as dp_commit_running(); a refusal of either changes nothing.
 */
int dp_trained_commit_running(struct dp_ctx *dst, struct dp_ctx *src,
			      const struct dp_trained *tr)
{
	struct dp_trained_commit commit = { .dst = dst, .src = src };
	struct dp_call_control control = {
		.fn = dp_trained_commit_fn,
		.data = &commit,
	};
	int err;

	err = dp_trained_prepare(tr, src, &commit.plan);
	if (err)
		return err;
	err = dp_call(dst, &control);
	dp_trained_drop_plan(commit.plan);
	return err ? err : control.return_code;
}

#ifdef DAMON_PAUSE_KUNIT
#include "trained-kunit.h"
#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * Data attribute probes (upstream 7.3's "data attributes monitoring"): per
 * region and per probe, how many of an aggregation interval's samples had
 * an attribute (anonymous memory, a memory cgroup's), counted where the
 * access checks look, so at no cost beyond one folio lookup per sample.
 *
 * When any probe has a weight, the weighted sum of a region's probe hits is
 * its score instead of nr_accesses ("attributes-only" monitoring): regions
 * merge and age on it, and the access checks stop.
 *
 * A probe's preparation actions (upstream after 7.3) act on each region's
 * sample before a sampling interval: set_pgidle marks its folio idle, and
 * a pgidle_unset filter then reads whether the interval accessed it, so
 * that access itself is an attribute, weighed as any other.
 *
 * The operations count the hits and take the preparations
 * (&dp_operations.apply_probes, .prep_probes: paddr, as upstream); the
 * rest is here and in the core.
 */

#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include <damon_pause/damon.h>

#include "compat.h"
#include "core-internal.h"

/** dp_new_probe() - a probe of weight 0 with no filters (every sample hits). */
struct dp_probe *dp_new_probe(void)
{
	struct dp_probe *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	INIT_LIST_HEAD(&p->filters);
	INIT_LIST_HEAD(&p->list);
	return p;
}

/** dp_destroy_probe() - unlink @p from its list, if any, and free it. */
void dp_destroy_probe(struct dp_probe *p)
{
	struct dp_filter *f, *next;

	list_for_each_entry_safe(f, next, &p->filters, list)
		kfree(f);
	list_del(&p->list);
	kfree(p);
}

/** dp_destroy_probes() - free every probe of @ctx. */
void dp_destroy_probes(struct dp_ctx *ctx)
{
	struct dp_probe *p, *next;

	dp_for_each_probe_safe(p, next, ctx)
		dp_destroy_probe(p);
}

static struct dp_probe *dp_copy_probe(const struct dp_probe *src)
{
	struct dp_probe *p = dp_new_probe();
	const struct dp_filter *f;
	struct dp_filter *copy;

	if (!p)
		return NULL;
	p->weight = src->weight;
	p->nr_preps = src->nr_preps;
	memcpy(p->preps, src->preps, sizeof(p->preps));
	list_for_each_entry(f, &src->filters, list) {
		copy = kmemdup(f, sizeof(*f), GFP_KERNEL);
		if (!copy) {
			dp_destroy_probe(p);
			return NULL;
		}
		list_add_tail(&copy->list, &p->filters);
	}
	return p;
}

/**
 * dp_probes_copy() - copies of the probes of @src, appended to @dst.
 * @dst:	an empty list.
 * @src:	the context whose probes are copied.
 *
 * Return: 0, or -ENOMEM with @dst empty again.
 */
int dp_probes_copy(struct list_head *dst, const struct dp_ctx *src)
{
	struct dp_probe *p, *copy, *next;

	dp_for_each_probe(p, src) {
		copy = dp_copy_probe(p);
		if (!copy) {
			list_for_each_entry_safe(p, next, dst, list)
				dp_destroy_probe(p);
			return -ENOMEM;
		}
		list_add_tail(&copy->list, dst);
	}
	return 0;
}

/**
 * dp_probe_weights() - the weights of @ctx's probes, by position.
 * @ctx:	the context.
 * @weights:	receives them; 0 past the last probe.
 *
 * Return: whether any is not 0: attributes-only monitoring.
 */
bool dp_probe_weights(const struct dp_ctx *ctx,
		      unsigned int weights[DP_MAX_PROBES])
{
	const struct dp_probe *p;
	bool any = false;
	int i = 0;

	memset(weights, 0, sizeof(unsigned int) * DP_MAX_PROBES);
	dp_for_each_probe(p, ctx) {
		if (i == DP_MAX_PROBES)
			break;
		weights[i++] = p->weight;
		any |= p->weight != 0;
	}
	return any;
}

/**
 * dp_probe_passes() - whether a sampled folio has @p's attribute.
 * @p:		the probe.
 * @fp:		the folio, as dp_folio_probe_fill() describes it (zeroed for
 *		a frame without a folio on an LRU list).
 *
 * As a scheme's per-folio filters decide: the first filter that applies
 * says; if none does, the opposite of what the last one says; without
 * filters, every sample has it.
 */
bool dp_probe_passes(const struct dp_probe *p, struct dp_folio_probe *fp)
{
	const struct dp_filter *f;
	bool pass = true;

	list_for_each_entry(f, &p->filters, list) {
		if (dp_folio_filter_match(f, fp))
			return f->allow;
		pass = !f->allow;
	}
	return pass;
}

/* Samples in an aggregation interval: the most hits a region can have. */
static unsigned int dp_probe_window(const struct dp_attrs *attrs)
{
	return max(dp_max_nr_accesses(attrs), 1U);
}

/*
 * Preparations: known actions, at most DP_MAX_PREPS.  @pgidle tells
 * whether the probe needs the page idle flags (a preparation, the one
 * there is, or a page idle filter).
 */
static int dp_probe_valid(const struct dp_probe *p, bool *pgidle)
{
	const struct dp_filter *f;
	bool needs = p->nr_preps;
	unsigned int i;

	if (p->nr_preps > DP_MAX_PREPS)
		return -EINVAL;
	for (i = 0; i < p->nr_preps; i++)
		if (p->preps[i] >= NR_DP_PREP_ACTIONS)
			return -EINVAL;
	list_for_each_entry(f, &p->filters, list)
		needs |= dp_filter_type_pgidle(f->type);
	if (needs)
		*pgidle = true;
	return 0;
}

/* The weights, with at most DP_MAX_PROBES probes: 0 or -EINVAL. */
static int dp_probe_weights_valid(const struct dp_ctx *ctx,
				  const struct dp_attrs *attrs)
{
	unsigned int weights[DP_MAX_PROBES], window, sum = 0;
	int i;

	if (!dp_probe_weights(ctx, weights))
		return 0;
	/*
	 * Weights stop the access checks: only operations that apply the
	 * probes (paddr) have anything left to monitor then.
	 */
	if (!ctx->ops.apply_probes)
		return -EINVAL;
	window = dp_probe_window(attrs);
	if (window > U8_MAX)
		return -EINVAL;
	for (i = 0; i < DP_MAX_PROBES; i++) {
		if (weights[i] > UINT_MAX / window ||
		    UINT_MAX - sum < weights[i] * window)
			return -EINVAL;
		sum += weights[i] * window;
	}
	return 0;
}

/**
 * dp_probes_valid() - whether @ctx's probes can run with @attrs.
 * @ctx:	the context carrying the probes.
 * @attrs:	the monitoring attributes they would run with.
 *
 * As upstream: at most DP_MAX_PROBES; known preparation actions; with
 * weights, an aggregation interval of at most 255 samples (hits are
 * counted in a byte), and weights whose sum over full hits fits in an
 * unsigned int; and operations that apply the probes (not vaddr's).
 *
 * The page idle preparations and filters need the page idle flags, which
 * a kernel without them (CONFIG_PAGE_IDLE_FLAG unset: Debian's 6.1) lacks:
 * nothing could be marked idle or read so, and a probe would count every
 * sample or none.  A bad value is EINVAL before that, on any kernel.
 *
 * Return: 0, -EINVAL, or -EOPNOTSUPP (page idle preparations or filters
 * on a kernel without the page idle flags).
 */
int dp_probes_valid(const struct dp_ctx *ctx, const struct dp_attrs *attrs)
{
	const struct dp_probe *p;
	bool pgidle = false;
	int i = 0, err;

	dp_for_each_probe(p, ctx) {
		if (++i > DP_MAX_PROBES)
			return -EINVAL;
		err = dp_probe_valid(p, &pgidle);
		if (err)
			return err;
	}
	err = dp_probe_weights_valid(ctx, attrs);
	if (err)
		return err;
	return pgidle && !dp_has_page_idle() ? -EOPNOTSUPP : 0;
}

/**
 * dp_probes_prep_actions() - the preparation actions any probe of @ctx
 * takes.
 * @ctx:	the context.
 *
 * Each is taken once per region and interval however many probes ask for
 * it: the sample is the region's, shared by every probe, and the one
 * action there is gives the same folio state taken twice.
 *
 * Return: a mask of BIT(&enum dp_prep_action); 0: none.
 */
unsigned long dp_probes_prep_actions(const struct dp_ctx *ctx)
{
	const struct dp_probe *p;
	unsigned long actions = 0;
	unsigned int i;

	dp_for_each_probe(p, ctx)
		for (i = 0; i < p->nr_preps && i < DP_MAX_PREPS; i++)
			if (p->preps[i] < NR_DP_PREP_ACTIONS)
				actions |= BIT(p->preps[i]);
	return actions;
}

/**
 * dp_probe_max_score() - the highest weighted score a region can have in
 * an aggregation interval: every sample a hit of every probe.
 * @attrs:	the monitoring attributes.
 * @weights:	the probes' weights.
 *
 * A hit count is at most the samples of the interval (dp_probe_window()),
 * not 255: with fewer samples, weights that dp_probes_valid() accepts
 * times 255 overflow.
 *
 * Return: the score, UINT_MAX at most.
 */
unsigned int dp_probe_max_score(const struct dp_attrs *attrs,
				const unsigned int *weights)
{
	unsigned int window = dp_probe_window(attrs), max = 0, w;
	int i;

	for (i = 0; i < DP_MAX_PROBES; i++) {
		if (check_mul_overflow(weights[i], window, &w) ||
		    check_add_overflow(max, w, &max))
			return UINT_MAX;
	}
	return max;
}

/**
 * dp_probe_hits_mvsum() - the hits of a region's probe over the last
 * aggregation interval's length, at any moment.
 * @ctx:	the context.
 * @r:		the region.
 * @i:		the probe's position.
 *
 * This interval's hits plus the share of the last one's that the part of
 * this interval still to come stands for (upstream's pseudo moving sum); at
 * an aggregation, this interval's hits.
 */
unsigned int dp_probe_hits_mvsum(const struct dp_ctx *ctx,
				 const struct dp_region *r, int i)
{
	unsigned int window = dp_probe_window(&ctx->attrs);
	unsigned long left = 0;

	if (ctx->next_aggregation_sis > ctx->passed_sample_intervals)
		left = min_t(unsigned long, ctx->next_aggregation_sis -
			     ctx->passed_sample_intervals, window);
	return min_t(unsigned int, r->probe_hits[i] +
		     r->last_probe_hits[i] * left / window, U8_MAX);
}

#ifdef DAMON_PAUSE_KUNIT
#include "probes-kunit.h"
#endif

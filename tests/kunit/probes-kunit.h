/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit suite for src/probes.c and the probes' part of merging and
 * committing: limits of the weights, the score regions merge on, the
 * moving sum of hits, copies, the preparations and the page idle filters.
 */
#ifndef _DAMON_PAUSE_PROBES_KUNIT_H
#define _DAMON_PAUSE_PROBES_KUNIT_H

#include <kunit/test.h>
#include "dp-kunit.h"

#define PR_PG(n)	((unsigned long)(n) * PAGE_SIZE)

static unsigned int dp_test_probes_apply(struct dp_ctx *ctx,
					 bool set_samples,
					 const unsigned int *weights)
{
	return 0;
}

/*
 * A context with @nr probes of the given weights, of operations that apply
 * them, freed when the test ends.
 */
static struct dp_ctx *dp_test_probes_ctx(struct kunit *test,
					 const unsigned int *weights, int nr)
{
	struct dp_ctx *ctx = dp_kunit_new_ctx(test);
	struct dp_probe *p;
	int i;

	ctx->ops.apply_probes = dp_test_probes_apply;
	for (i = 0; i < nr; i++) {
		p = dp_new_probe();
		if (!p)
			kunit_skip(test, "out of memory");
		p->weight = weights[i];
		list_add_tail(&p->list, &ctx->probes);
	}
	return ctx;
}

/*
 * Upstream's limits: four probes; with weights, at most 255 samples per
 * aggregation and no overflow of the weighted sum; without, anything.
 */
static void dp_test_probes_valid(struct kunit *test)
{
	const unsigned int none[5] = {}, some[4] = { 1, 0, 3, 0 };
	const unsigned int big[2] = { UINT_MAX / 20, 1 };
	struct dp_attrs attrs = { .sample_interval = 5000,
				  .aggr_interval = 100000 };
	unsigned int w[DP_MAX_PROBES];
	struct dp_ctx *ctx;

	ctx = dp_test_probes_ctx(test, none, 4);
	KUNIT_EXPECT_FALSE(test, dp_probe_weights(ctx, w));
	attrs.aggr_interval = 5000 * 1000;	/* 1000 samples: no weights */
	KUNIT_EXPECT_EQ(test, dp_probes_valid(ctx, &attrs), 0);

	ctx = dp_test_probes_ctx(test, none, 5);
	KUNIT_EXPECT_EQ(test, dp_probes_valid(ctx, &attrs), -EINVAL);

	ctx = dp_test_probes_ctx(test, some, 4);
	KUNIT_EXPECT_TRUE(test, dp_probe_weights(ctx, w));
	KUNIT_EXPECT_EQ(test, w[0], 1U);
	KUNIT_EXPECT_EQ(test, w[2], 3U);
	KUNIT_EXPECT_EQ(test, dp_probes_valid(ctx, &attrs), -EINVAL);
	attrs.aggr_interval = 5000 * 255;
	KUNIT_EXPECT_EQ(test, dp_probes_valid(ctx, &attrs), 0);

	/* 20 samples: the first weight alone fits, with the second not. */
	attrs.aggr_interval = 100000;
	ctx = dp_test_probes_ctx(test, big, 1);
	KUNIT_EXPECT_EQ(test, dp_probes_valid(ctx, &attrs), 0);
	ctx = dp_test_probes_ctx(test, big, 2);
	KUNIT_EXPECT_EQ(test, dp_probes_valid(ctx, &attrs), -EINVAL);

	/*
	 * Operations that do not apply probes (vaddr): weights, which would
	 * stop the access checks and leave nothing monitored, are refused
	 * (issue 25, item 11); probes without weights are not.
	 */
	ctx = dp_test_probes_ctx(test, big, 1);
	ctx->ops.apply_probes = NULL;
	KUNIT_EXPECT_EQ(test, dp_probes_valid(ctx, &attrs), -EINVAL);
	ctx = dp_test_probes_ctx(test, none, 4);
	ctx->ops.apply_probes = NULL;
	KUNIT_EXPECT_EQ(test, dp_probes_valid(ctx, &attrs), 0);
}

/* nr_accesses without weights, the weighted hits with them. */
static void dp_test_probes_score(struct kunit *test)
{
	const unsigned int w[DP_MAX_PROBES] = { 2, 0, 5, 0 };
	struct dp_region r = {
		.nr_accesses = 7, .last_nr_accesses = 3,
		.probe_hits = { 4, 9, 1, 0 },
		.last_probe_hits = { 1, 1, 1, 1 },
	};

	KUNIT_EXPECT_EQ(test, dp_region_score(&r, false, NULL), 7U);
	KUNIT_EXPECT_EQ(test, dp_region_score(&r, true, NULL), 3U);
	KUNIT_EXPECT_EQ(test, dp_region_score(&r, false, w), 2U * 4 + 5 * 1);
	KUNIT_EXPECT_EQ(test, dp_region_score(&r, true, w), 2U + 5);
}

/*
 * Neighbours merge on their weighted hits (their nr_accesses, all 0 in
 * attributes-only monitoring, are not looked at), and the merged region
 * has the size-weighted average of both windows' hits.
 */
static void dp_test_probes_merge(struct kunit *test)
{
	const unsigned int w[DP_MAX_PROBES] = { 1, 0, 0, 0 };
	struct dp_region *a, *b, *c;
	struct dp_target t;

	memset(&t, 0, sizeof(t));
	INIT_LIST_HEAD(&t.regions_list);
	a = dp_new_region(PR_PG(0), PR_PG(1));
	b = dp_new_region(PR_PG(1), PR_PG(4));
	c = dp_new_region(PR_PG(4), PR_PG(5));
	if (!a || !b || !c) {
		kfree(a);
		kfree(b);
		kfree(c);
		kunit_skip(test, "out of memory");
	}
	dp_add_region(a, &t);
	dp_add_region(b, &t);
	dp_add_region(c, &t);
	a->probe_hits[0] = 20;
	a->last_probe_hits[0] = 4;
	b->probe_hits[0] = 16;
	b->last_probe_hits[0] = 8;
	c->probe_hits[0] = 0;
	c->last_probe_hits[0] = 0;
	dp_merge_regions_of(&t, &(struct dp_merge_rule){
		.thres = 4, .sz_limit = PR_PG(100), .count_age = true,
		.weights = w
	});
	KUNIT_EXPECT_EQ(test, t.nr_regions, 2U);
	KUNIT_EXPECT_EQ(test, a->ar.end, PR_PG(4));
	KUNIT_EXPECT_EQ(test, a->probe_hits[0], (20 * 1 + 16 * 3) / 4);
	KUNIT_EXPECT_EQ(test, a->last_probe_hits[0], (4 * 1 + 8 * 3) / 4);
	/* Ages on the score: a and b moved by more than 4, c did not. */
	KUNIT_EXPECT_EQ(test, c->age, 1U);
	KUNIT_EXPECT_EQ(test, a->age, 0U);
	dp_destroy_regions(&t);
}

/*
 * At an aggregation, a probe's moving sum is this interval's hits; half
 * way through, those plus half of the last interval's.
 */
static void dp_test_probes_mvsum(struct kunit *test)
{
	const unsigned int none[1] = {};
	struct dp_region r = {
		.probe_hits = { 6 }, .last_probe_hits = { 10 },
	};
	struct dp_ctx *ctx = dp_test_probes_ctx(test, none, 1);

	ctx->attrs.sample_interval = 5000;
	ctx->attrs.aggr_interval = 100000;	/* 20 samples */
	ctx->passed_sample_intervals = 40;
	ctx->next_aggregation_sis = 40;
	KUNIT_EXPECT_EQ(test, dp_probe_hits_mvsum(ctx, &r, 0), 6U);
	ctx->next_aggregation_sis = 50;
	KUNIT_EXPECT_EQ(test, dp_probe_hits_mvsum(ctx, &r, 0), 6U + 5);
	r.probe_hits[0] = 250;
	r.last_probe_hits[0] = 250;
	KUNIT_EXPECT_EQ(test, dp_probe_hits_mvsum(ctx, &r, 0), 255U);
}

/* Copies carry weights, preparations and filters. */
static void dp_test_probes_copy(struct kunit *test)
{
	const unsigned int w[2] = { 3, 4 };
	struct dp_ctx *ctx = dp_test_probes_ctx(test, w, 2);
	struct dp_probe *p, *next;
	struct dp_filter *f;
	LIST_HEAD(copies);
	int i = 0;

	f = dp_new_filter(DP_FILTER_MEMCG);
	if (!f)
		kunit_skip(test, "out of memory");
	f->memcg_id = 42;
	f->allow = true;
	p = list_first_entry(&ctx->probes, struct dp_probe, list);
	list_add_tail(&f->list, &p->filters);
	list_next_entry(p, list)->nr_preps = 1;
	KUNIT_ASSERT_EQ(test, dp_probes_copy(&copies, ctx), 0);
	list_for_each_entry(p, &copies, list) {
		KUNIT_EXPECT_EQ(test, p->weight, w[i]);
		KUNIT_EXPECT_EQ(test, p->nr_preps, (unsigned int)i);
		KUNIT_EXPECT_EQ(test, p->preps[0], DP_PREP_SET_PGIDLE);
		KUNIT_EXPECT_EQ(test, list_empty(&p->filters), i != 0);
		if (!i) {
			f = list_first_entry(&p->filters, struct dp_filter, list);
			KUNIT_EXPECT_EQ(test, f->type, DP_FILTER_MEMCG);
			KUNIT_EXPECT_EQ(test, f->memcg_id, 42);
			KUNIT_EXPECT_TRUE(test, f->allow);
		}
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, 2);
	list_for_each_entry_safe(p, next, &copies, list)
		dp_destroy_probe(p);
}

/*
 * A probe's filters decide as a scheme's: the first that applies decides,
 * none the opposite of the last one's; no filter, every sample hits; a
 * frame without a folio has no attribute.
 */
static void dp_test_probe_passes(struct kunit *test)
{
	struct dp_folio_probe anon = { .anon = true, .memcg_id = 7 };
	struct dp_folio_probe file = { .memcg_id = 8 }, none = {};
	struct dp_probe *p = dp_new_probe();
	struct dp_filter *f1 = dp_new_filter(DP_FILTER_ANON);
	struct dp_filter *f2 = dp_new_filter(DP_FILTER_MEMCG);

	if (!p || !f1 || !f2) {
		kfree(f1);
		kfree(f2);
		if (p)
			dp_destroy_probe(p);
		kunit_skip(test, "out of memory");
	}
	KUNIT_EXPECT_TRUE(test, dp_probe_passes(p, &anon));
	KUNIT_EXPECT_TRUE(test, dp_probe_passes(p, &none));
	/* Anonymous memory only. */
	f1->matching = true;
	f1->allow = true;
	list_add_tail(&f1->list, &p->filters);
	KUNIT_EXPECT_TRUE(test, dp_probe_passes(p, &anon));
	KUNIT_EXPECT_FALSE(test, dp_probe_passes(p, &file));
	KUNIT_EXPECT_FALSE(test, dp_probe_passes(p, &none));
	/* Anything but anonymous memory. */
	f1->allow = false;
	KUNIT_EXPECT_FALSE(test, dp_probe_passes(p, &anon));
	KUNIT_EXPECT_TRUE(test, dp_probe_passes(p, &file));
	/* ... that is not of memcg 8 either: its reject is the last word. */
	f2->memcg_id = 8;
	f2->matching = true;
	f2->allow = false;
	list_add_tail(&f2->list, &p->filters);
	KUNIT_EXPECT_FALSE(test, dp_probe_passes(p, &file));
	file.memcg_id = 9;
	KUNIT_EXPECT_TRUE(test, dp_probe_passes(p, &file));
	dp_destroy_probe(p);
}

/* A folio whose page idle state is *arg; counts the reads in arg[1]. */
static bool dp_test_pgidle_unset(struct dp_folio_probe *fp)
{
	int *state = fp->arg;

	state[1]++;
	return state[0];
}

static struct dp_filter *dp_test_probe_filter(struct dp_probe *p,
					      enum dp_filter_type type,
					      bool matching, bool allow)
{
	struct dp_filter *f = dp_new_filter(type);

	if (!f)
		return NULL;
	f->matching = matching;
	f->allow = allow;
	list_add_tail(&f->list, &p->filters);
	return f;
}

/*
 * pgidle_unset matches a folio accessed since it was marked idle, and
 * pgidle_set one that was not; neither a frame without a folio.  The idle
 * state is read only when such a filter is reached.
 */
static void dp_test_probe_pgidle(struct kunit *test)
{
	int state[2] = {};
	struct dp_folio_probe fp = {
		.anon = true, .pgidle_unset = dp_test_pgidle_unset,
		.arg = state,
	};
	struct dp_folio_probe none = {};
	struct dp_probe *p = dp_new_probe(), *q = dp_new_probe();

	if (!p || !q)
		goto oom;
	if (!dp_test_probe_filter(p, DP_FILTER_PGIDLE_UNSET, true, true) ||
	    !dp_test_probe_filter(q, DP_FILTER_PGIDLE_SET, true, true))
		goto oom;
	state[0] = 1;		/* accessed */
	KUNIT_EXPECT_TRUE(test, dp_probe_passes(p, &fp));
	KUNIT_EXPECT_FALSE(test, dp_probe_passes(q, &fp));
	state[0] = 0;		/* idle */
	KUNIT_EXPECT_FALSE(test, dp_probe_passes(p, &fp));
	KUNIT_EXPECT_TRUE(test, dp_probe_passes(q, &fp));
	KUNIT_EXPECT_EQ(test, state[1], 4);
	KUNIT_EXPECT_FALSE(test, dp_probe_passes(p, &none));
	KUNIT_EXPECT_FALSE(test, dp_probe_passes(q, &none));
	/* pgidle_unset not matching is pgidle_set, but for a frame. */
	list_first_entry(&p->filters, struct dp_filter, list)->matching = false;
	KUNIT_EXPECT_TRUE(test, dp_probe_passes(p, &fp));
	KUNIT_EXPECT_TRUE(test, dp_probe_passes(p, &none));
	/* An anon filter before it decides alone: no read. */
	dp_destroy_probe(q);
	q = dp_new_probe();
	if (!q || !dp_test_probe_filter(q, DP_FILTER_ANON, true, false) ||
	    !dp_test_probe_filter(q, DP_FILTER_PGIDLE_UNSET, true, true))
		goto oom;
	state[1] = 0;
	KUNIT_EXPECT_FALSE(test, dp_probe_passes(q, &fp));
	KUNIT_EXPECT_EQ(test, state[1], 0);
	fp.anon = false;
	state[0] = 1;
	KUNIT_EXPECT_TRUE(test, dp_probe_passes(q, &fp));
	KUNIT_EXPECT_EQ(test, state[1], 1);
	dp_destroy_probe(p);
	dp_destroy_probe(q);
	return;
oom:
	if (p)
		dp_destroy_probe(p);
	if (q)
		dp_destroy_probe(q);
	kunit_skip(test, "out of memory");
}

/*
 * Preparations: known actions, DP_MAX_PREPS at most, EINVAL else; the
 * page idle ones (and filters) need the page idle flags (EOPNOTSUPP
 * without, as on Debian's 6.1); each action taken once however many ask.
 * Schemes refuse the probes' page idle filters.
 */
static void dp_test_probe_preps(struct kunit *test)
{
	const unsigned int none[2] = {};
	int pgidle_err = dp_has_page_idle() ? 0 : -EOPNOTSUPP;
	struct dp_attrs attrs = { .sample_interval = 5000,
				  .aggr_interval = 100000 };
	struct dp_ctx *ctx = dp_test_probes_ctx(test, none, 2);
	struct dp_probe *p = list_first_entry(&ctx->probes, struct dp_probe,
					      list);
	struct dp_probe *q = list_next_entry(p, list);
	struct dp_scheme *s;
	struct dp_filter *f;

	KUNIT_EXPECT_EQ(test, dp_probes_prep_actions(ctx), 0UL);
	KUNIT_EXPECT_EQ(test, dp_probes_valid(ctx, &attrs), 0);
	p->preps[p->nr_preps++] = DP_PREP_SET_PGIDLE;
	q->preps[q->nr_preps++] = DP_PREP_SET_PGIDLE;
	q->preps[q->nr_preps++] = DP_PREP_SET_PGIDLE;
	KUNIT_EXPECT_EQ(test, dp_probes_prep_actions(ctx),
			BIT(DP_PREP_SET_PGIDLE));
	KUNIT_EXPECT_EQ(test, dp_probes_valid(ctx, &attrs), pgidle_err);
	q->preps[1] = NR_DP_PREP_ACTIONS;
	KUNIT_EXPECT_EQ(test, dp_probes_valid(ctx, &attrs), -EINVAL);
	KUNIT_EXPECT_EQ(test, dp_probes_prep_actions(ctx),
			BIT(DP_PREP_SET_PGIDLE));
	q->preps[1] = DP_PREP_SET_PGIDLE;
	q->nr_preps = DP_MAX_PREPS + 1;
	KUNIT_EXPECT_EQ(test, dp_probes_valid(ctx, &attrs), -EINVAL);
	p->nr_preps = 0;
	q->nr_preps = 0;
	KUNIT_EXPECT_EQ(test, dp_probes_valid(ctx, &attrs), 0);
	if (!dp_test_probe_filter(q, DP_FILTER_PGIDLE_SET, false, true))
		kunit_skip(test, "out of memory");
	KUNIT_EXPECT_EQ(test, dp_probes_valid(ctx, &attrs), pgidle_err);

	s = dp_new_scheme();
	f = dp_new_filter(DP_FILTER_PGIDLE_UNSET);
	if (!s || !f) {
		kfree(f);
		if (s)
			dp_destroy_scheme(s);
		kunit_skip(test, "out of memory");
	}
	list_add_tail(&f->list, &s->filters);
	KUNIT_EXPECT_EQ(test, dp_scheme_valid(s), -EINVAL);
	f->type = DP_FILTER_ANON;
	KUNIT_EXPECT_EQ(test, dp_scheme_valid(s), 0);
	dp_destroy_scheme(s);
}

static struct kunit_case dp_probes_test_cases[] = {
	KUNIT_CASE(dp_test_probes_valid),
	KUNIT_CASE(dp_test_probes_score),
	KUNIT_CASE(dp_test_probes_merge),
	KUNIT_CASE(dp_test_probes_mvsum),
	KUNIT_CASE(dp_test_probes_copy),
	KUNIT_CASE(dp_test_probe_passes),
	KUNIT_CASE(dp_test_probe_pgidle),
	KUNIT_CASE(dp_test_probe_preps),
	{},
};

static struct kunit_suite dp_probes_test_suite = {
	.name = "damon_pause_probes",
	.test_cases = dp_probes_test_cases,
};

kunit_test_suite(dp_probes_test_suite);

#endif /* _DAMON_PAUSE_PROBES_KUNIT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit suite for src/ops-paddr.c: the sampled page frames, the default
 * range, the per-folio filter decisions and the actions it takes.
 */
#ifndef _DAMON_PAUSE_OPS_PADDR_KUNIT_H
#define _DAMON_PAUSE_OPS_PADDR_KUNIT_H

#include <kunit/test.h>
#include "dp-kunit.h"
#include <linux/delay.h>
#include <linux/kthread.h>

#define PA_PG(n)	((unsigned long)(n) * PAGE_SIZE)

/* A frame that holds a part of the region, picked in proportion to rnd. */
static void dp_test_pa_sampling_addr(struct kunit *test)
{
	unsigned long start = PA_PG(10), end = PA_PG(20), addr;
	DECLARE_BITMAP(seen, 10) = {};
	int i;

	KUNIT_EXPECT_EQ(test, dp_pa_sampling_addr(start, end, 0), PA_PG(10));
	KUNIT_EXPECT_EQ(test, dp_pa_sampling_addr(start, end, U32_MAX),
			PA_PG(19));
	KUNIT_EXPECT_EQ(test, dp_pa_sampling_addr(start, end, 1U << 31),
			PA_PG(15));
	for (i = 0; i < 1000; i++) {
		addr = dp_pa_sampling_addr(start, end, get_random_u32());
		KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(addr));
		KUNIT_EXPECT_GE(test, addr, start);
		KUNIT_EXPECT_LT(test, addr, end);
		if (addr >= start && addr < end)
			__set_bit((addr - start) >> PAGE_SHIFT, seen);
	}
	/* Each frame missed by 1000 draws: 10 * 0.9^1000, never. */
	KUNIT_EXPECT_TRUE(test, bitmap_full(seen, 10));

	/* Unaligned ends: the frames holding them count, aligned. */
	start = PA_PG(10) + 100;
	end = PA_PG(12) + 5;
	KUNIT_EXPECT_EQ(test, dp_pa_sampling_addr(start, end, 0), PA_PG(10));
	KUNIT_EXPECT_EQ(test, dp_pa_sampling_addr(start, end, U32_MAX),
			PA_PG(12));
	/* One byte: its frame. */
	KUNIT_EXPECT_EQ(test, dp_pa_sampling_addr(start, start + 1, U32_MAX),
			PA_PG(10));
	/* Far more frames than a u32 counts: 2^34 * (2^32 - 1) / 2^32. */
	end = 1UL << 46;
	KUNIT_EXPECT_EQ(test, dp_pa_sampling_addr(0, end, U32_MAX),
			PA_PG((1UL << 34) - 4));
	KUNIT_EXPECT_EQ(test, dp_pa_sampling_addr(0, end, 1U << 31), end / 2);
}

/*
 * With an addr_unit, regions count units: the sample stays inside the
 * region and is where the frame it stands for starts (units below a page),
 * or the first frame of its unit (above).
 */
static void dp_test_pa_addr_unit(struct kunit *test)
{
	struct dp_ctx *ctx = dp_kunit_new_ctx(test);
	struct dp_region r = {};
	DECLARE_BITMAP(seen, 10) = {};
	unsigned long pfn;
	int i;

	ctx->addr_unit = 2;
	r.ar.start = PA_PG(10) / 2;
	r.ar.end = PA_PG(20) / 2;
	for (i = 0; i < 1000; i++) {
		r.sampling_addr = dp_pa_sample_region(ctx, &r);
		KUNIT_EXPECT_GE(test, r.sampling_addr, r.ar.start);
		KUNIT_EXPECT_LT(test, r.sampling_addr, r.ar.end);
		pfn = dp_pa_sampling_pfn(ctx, &r);
		KUNIT_EXPECT_EQ(test, dp_pa_phys(ctx, r.sampling_addr),
				(phys_addr_t)PFN_PHYS(pfn));
		if (pfn >= 10 && pfn < 20)
			__set_bit(pfn - 10, seen);
	}
	KUNIT_EXPECT_TRUE(test, bitmap_full(seen, 10));

	ctx->addr_unit = PAGE_SIZE * 4;
	r.ar.start = 5;
	r.ar.end = 8;
	bitmap_zero(seen, 10);
	for (i = 0; i < 1000; i++) {
		r.sampling_addr = dp_pa_sample_region(ctx, &r);
		KUNIT_EXPECT_GE(test, r.sampling_addr, 5UL);
		KUNIT_EXPECT_LT(test, r.sampling_addr, 8UL);
		pfn = dp_pa_sampling_pfn(ctx, &r);
		KUNIT_EXPECT_EQ(test, pfn, r.sampling_addr * 4);
		if (r.sampling_addr >= 5 && r.sampling_addr < 8)
			__set_bit(r.sampling_addr - 5, seen);
	}
	KUNIT_EXPECT_EQ(test, bitmap_weight(seen, 10), 3U);
}

/* The biggest range's whole pages; the first of equal ones. */
static void dp_test_pa_biggest_ram(struct kunit *test)
{
	const struct dp_addr_range rams[] = {
		{ PA_PG(1), PA_PG(5) },
		{ PA_PG(10) + 1, PA_PG(30) - 1 },	/* pages 11 to 28 */
		{ PA_PG(100), PA_PG(119) - 1 },		/* as many */
		{ PA_PG(200), PA_PG(200) },		/* empty */
		{ PA_PG(300), PA_PG(250) },		/* inverted */
		{ ULONG_MAX - 10, ULONG_MAX },		/* no whole page */
	};
	struct dp_addr_range r;

	r = dp_pa_biggest_ram(rams, ARRAY_SIZE(rams));
	KUNIT_EXPECT_EQ(test, r.start, PA_PG(11));
	KUNIT_EXPECT_EQ(test, r.end, PA_PG(29));
	r = dp_pa_biggest_ram(rams + 2, ARRAY_SIZE(rams) - 2);
	KUNIT_EXPECT_EQ(test, r.start, PA_PG(100));
	KUNIT_EXPECT_EQ(test, r.end, PA_PG(118));
	r = dp_pa_biggest_ram(rams + 3, ARRAY_SIZE(rams) - 3);
	KUNIT_EXPECT_EQ(test, r.start, 0UL);
	KUNIT_EXPECT_EQ(test, r.end, 0UL);
	r = dp_pa_biggest_ram(rams, 0);
	KUNIT_EXPECT_EQ(test, r.end, 0UL);
}

/* This kernel's: a real, online stretch of memory. */
static void dp_test_pa_default_range(struct kunit *test)
{
	struct dp_addr_range r, units;

	KUNIT_ASSERT_EQ(test, dp_pa_default_range(&r, 1), 0);
	KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(r.start));
	KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(r.end));
	KUNIT_EXPECT_LT(test, r.start, r.end);
	KUNIT_EXPECT_NOT_NULL(test, pfn_to_online_page(PHYS_PFN(r.start)));
	KUNIT_EXPECT_NOT_NULL(test, pfn_to_online_page(PHYS_PFN(r.end) - 1));
	/* The biggest: at least half of a small guest's memory. */
	KUNIT_EXPECT_GE(test, (r.end - r.start) >> PAGE_SHIFT,
			totalram_pages() / 2);

	/* In units: the same range, divided. */
	KUNIT_ASSERT_EQ(test, dp_pa_default_range(&units, 1024), 0);
	KUNIT_EXPECT_EQ(test, units.start, r.start / 1024);
	KUNIT_EXPECT_EQ(test, units.end, r.end / 1024);
}

/* A folio as the filters see it, with a young state that counts looks. */
struct dp_test_pa_folio {
	bool young;
	int looks;
};

static bool dp_test_pa_young(struct dp_folio_probe *probe)
{
	struct dp_test_pa_folio *folio = probe->arg;
	bool young = folio->young;

	folio->looks++;
	folio->young = false;	/* made old by the look, as the real one */
	return young;
}

static bool dp_test_pa_filtered(struct dp_scheme *s, bool anon,
				unsigned short memcg_id,
				struct dp_test_pa_folio *folio)
{
	struct dp_folio_probe probe = {
		.anon = anon,
		.memcg_id = memcg_id,
		.young = dp_test_pa_young,
		.arg = folio,
	};

	return dp_pa_folio_filter_out(s, &probe);
}

static struct dp_filter *dp_test_pa_add_filter(struct kunit *test,
					       struct dp_scheme *s,
					       enum dp_filter_type type,
					       bool matching, bool allow)
{
	struct dp_filter *f = dp_new_filter(type);

	if (!f) {
		dp_destroy_scheme(s);
		kunit_skip(test, "out of memory");
	}
	f->matching = matching;
	f->allow = allow;
	list_add_tail(&f->list, &s->filters);
	return f;
}

/* pageout looks at each folio's access again; the other actions do not. */
static void dp_test_pa_pageout_young(struct kunit *test)
{
	struct dp_scheme *s = dp_new_scheme();
	struct dp_test_pa_folio folio = { .young = true };

	if (!s)
		kunit_skip(test, "out of memory");
	s->action = DP_ACT_LRU_PRIO;
	KUNIT_EXPECT_FALSE(test, dp_test_pa_filtered(s, true, 0, &folio));
	KUNIT_EXPECT_EQ(test, folio.looks, 0);

	s->action = DP_ACT_PAGEOUT;
	KUNIT_EXPECT_TRUE(test, dp_test_pa_filtered(s, true, 0, &folio));
	KUNIT_EXPECT_EQ(test, folio.looks, 1);
	/* The look made it old: the next pass reclaims it. */
	KUNIT_EXPECT_FALSE(test, dp_test_pa_filtered(s, true, 0, &folio));
	KUNIT_EXPECT_EQ(test, folio.looks, 2);

	/* A region filter allowed the region: every folio of it goes. */
	folio.young = true;
	s->core_filters_allowed = true;
	KUNIT_EXPECT_FALSE(test, dp_test_pa_filtered(s, true, 0, &folio));
	KUNIT_EXPECT_EQ(test, folio.looks, 2);
	dp_destroy_scheme(s);
}

/*
 * The scheme's own filters come first; the implicit young one only for
 * folios they leave undecided, and never with a young filter of its own.
 */
static void dp_test_pa_pageout_filters(struct kunit *test)
{
	struct dp_scheme *s = dp_new_scheme();
	struct dp_test_pa_folio folio = { .young = true };
	struct dp_filter *f;

	if (!s)
		kunit_skip(test, "out of memory");
	s->action = DP_ACT_PAGEOUT;
	/* Allow anon: young anon goes, unlooked at; others are rejected. */
	f = dp_test_pa_add_filter(test, s, DP_FILTER_ANON, true, true);
	KUNIT_EXPECT_FALSE(test, dp_test_pa_filtered(s, true, 0, &folio));
	KUNIT_EXPECT_EQ(test, folio.looks, 0);
	KUNIT_EXPECT_TRUE(test, dp_test_pa_filtered(s, false, 0, &folio));
	KUNIT_EXPECT_EQ(test, folio.looks, 1);

	/* Reject anon: an old file folio goes; a young one is looked at. */
	f->allow = false;
	KUNIT_EXPECT_TRUE(test, dp_test_pa_filtered(s, true, 0, &folio));
	KUNIT_EXPECT_FALSE(test, dp_test_pa_filtered(s, false, 0, &folio));
	KUNIT_EXPECT_EQ(test, folio.looks, 2);
	folio.young = true;
	KUNIT_EXPECT_TRUE(test, dp_test_pa_filtered(s, false, 0, &folio));
	KUNIT_EXPECT_EQ(test, folio.looks, 3);

	/* Its own young filter, allowing young ones: no second look. */
	f->type = DP_FILTER_YOUNG;
	f->allow = true;
	folio.young = true;
	KUNIT_EXPECT_FALSE(test, dp_test_pa_filtered(s, false, 0, &folio));
	KUNIT_EXPECT_EQ(test, folio.looks, 4);
	/* Old now: the filter does not apply; the default rejects. */
	KUNIT_EXPECT_TRUE(test, dp_test_pa_filtered(s, false, 0, &folio));
	KUNIT_EXPECT_EQ(test, folio.looks, 5);
	dp_destroy_scheme(s);
}

/* memcg filters by id; a folio of no memcg matches none. */
static void dp_test_pa_memcg_filter(struct kunit *test)
{
	struct dp_scheme *s = dp_new_scheme();
	struct dp_test_pa_folio folio = {};
	struct dp_filter *f;

	if (!s)
		kunit_skip(test, "out of memory");
	s->action = DP_ACT_LRU_DEPRIO;
	f = dp_test_pa_add_filter(test, s, DP_FILTER_MEMCG, true, false);
	f->memcg_id = 7;
	KUNIT_EXPECT_TRUE(test, dp_test_pa_filtered(s, false, 7, &folio));
	KUNIT_EXPECT_FALSE(test, dp_test_pa_filtered(s, false, 8, &folio));
	KUNIT_EXPECT_FALSE(test, dp_test_pa_filtered(s, false, 0, &folio));
	f->matching = false;
	KUNIT_EXPECT_FALSE(test, dp_test_pa_filtered(s, false, 7, &folio));
	KUNIT_EXPECT_TRUE(test, dp_test_pa_filtered(s, false, 0, &folio));
	KUNIT_EXPECT_EQ(test, folio.looks, 0);
	dp_destroy_scheme(s);
}

/* Upstream's paddr actions only, if resolved; migrations to a real node. */
static void dp_test_pa_scheme_valid(struct kunit *test)
{
	struct dp_scheme *s = dp_new_scheme();
	struct dp_operations ops;
	unsigned int missing;

	if (!s)
		kunit_skip(test, "out of memory");
	KUNIT_ASSERT_EQ(test, dp_pa_ops(&ops), 0);
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), 0);
	s->action = DP_ACT_PAGEOUT;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), 0);
	s->action = DP_ACT_LRU_PRIO;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), 0);
	s->action = DP_ACT_LRU_DEPRIO;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), 0);
	s->action = DP_ACT_COLD;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), -EOPNOTSUPP);
	s->action = DP_ACT_COLLAPSE;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), -EOPNOTSUPP);

	s->action = DP_ACT_MIGRATE_HOT;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), -EINVAL);	/* -1 */
	s->target_nid = MAX_NUMNODES;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), -EINVAL);
	s->target_nid = first_memory_node;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), 0);
	s->action = DP_ACT_MIGRATE_COLD;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), 0);

	missing = dp_ksym_test_swap_missing(DP_FEAT_PA_MIGRATE);
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), -EOPNOTSUPP);
	s->action = DP_ACT_PAGEOUT;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), 0);
	dp_ksym_test_swap_missing(DP_FEAT_PA_PAGEOUT | DP_FEAT_PA_DEPRIO);
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), -EOPNOTSUPP);
	s->action = DP_ACT_LRU_DEPRIO;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), -EOPNOTSUPP);
	s->action = DP_ACT_LRU_PRIO;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), 0);
	dp_ksym_test_swap_missing(DP_FEAT_PADDR);
	KUNIT_EXPECT_EQ(test, dp_pa_ops(&ops), -EOPNOTSUPP);
	dp_ksym_test_swap_missing(missing);
	dp_destroy_scheme(s);
}

/* Scores as upstream's paddr: reclaim and demotion want cold regions. */
static void dp_test_pa_scheme_score(struct kunit *test)
{
	struct dp_ctx *ctx = dp_kunit_new_ctx(test);
	struct dp_scheme *s = dp_new_scheme();
	struct dp_region r = { .ar = { 0, PAGE_SIZE },
			       .nr_accesses_bp = 20 * DP_BP, .age = 10 };
	int hot;

	if (!s)
		kunit_skip(test, "out of memory");
	s->quota.weight_nr_accesses = 1000;
	s->quota.weight_age = 1000;
	hot = dp_hot_score(ctx, &r, s);
	s->action = DP_ACT_MIGRATE_HOT;
	KUNIT_EXPECT_EQ(test, dp_pa_scheme_score(ctx, NULL, &r, s), hot);
	s->action = DP_ACT_LRU_PRIO;
	KUNIT_EXPECT_EQ(test, dp_pa_scheme_score(ctx, NULL, &r, s), hot);
	s->action = DP_ACT_PAGEOUT;
	KUNIT_EXPECT_EQ(test, dp_pa_scheme_score(ctx, NULL, &r, s),
			DP_MAX_SCORE - hot);
	s->action = DP_ACT_MIGRATE_COLD;
	KUNIT_EXPECT_EQ(test, dp_pa_scheme_score(ctx, NULL, &r, s),
			DP_MAX_SCORE - hot);
	s->action = DP_ACT_STAT;
	KUNIT_EXPECT_EQ(test, dp_pa_scheme_score(ctx, NULL, &r, s), DP_MAX_SCORE);
	dp_destroy_scheme(s);
}

/* Whether one region [@start, @end), in @unit, lies in the address space. */
static int dp_test_pa_region_valid(struct kunit *test, unsigned long start,
				   unsigned long end, unsigned long unit)
{
	struct dp_addr_range range = { start, end };
	struct dp_target *t = dp_new_target();
	int err;

	if (!t || dp_set_regions(t, &range, 1, 1)) {
		kfree(t);
		kunit_skip(test, "out of memory");
	}
	err = dp_pa_regions_valid(t, unit);
	dp_destroy_regions(t);
	kfree(t);
	return err;
}

/*
 * A region whose end times the unit overflows, or lies past the highest
 * physical address, is refused (issue 25, item 8); up to it, not.
 */
static void dp_test_pa_regions_in_phys(struct kunit *test)
{
	u64 limit = dp_pa_highest_phys();
	unsigned long top = limit + 1;	/* a power of two */
	int i;

	KUNIT_EXPECT_TRUE(test, is_power_of_2(top));
	KUNIT_EXPECT_EQ(test, dp_test_pa_region_valid(test, 0, PAGE_SIZE, 1), 0);
	KUNIT_EXPECT_EQ(test, dp_test_pa_region_valid(test, 0, top, 1), 0);
	KUNIT_EXPECT_EQ(test, dp_test_pa_region_valid(test, 0, top + 1, 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dp_test_pa_region_valid(test, 0, top / 4096,
						      4096), 0);
	KUNIT_EXPECT_EQ(test, dp_test_pa_region_valid(test, 0,
						      top / 4096 + 1, 4096),
			-EINVAL);
	/* 2^52 units of 4 KiB: 2^64, which wraps to 0. */
	KUNIT_EXPECT_EQ(test, dp_test_pa_region_valid(test, 1UL << 52,
						      (1UL << 52) + 1, 4096),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dp_test_pa_region_valid(test, 0, ULONG_MAX,
						      ULONG_MAX), -EINVAL);
	/* Fuzz: every power of two of unit and end. */
	for (i = 0; i < 64 * 64; i++) {
		unsigned long unit = 1UL << (i / 64), end = 1UL << (i % 64);
		bool fits = (i / 64) + (i % 64) < 64 &&
			(u64)unit * end <= (u64)top;

		KUNIT_EXPECT_EQ(test, dp_test_pa_region_valid(test, 0, end, unit),
				fits ? 0 : -EINVAL);
	}
}

/*
 * A walk of the frames of a region as large as an addr_unit can make one,
 * on a kthread of its own, as on a kdamond: the region lies past the
 * guest's memory, where every frame is looked at and found empty.
 */
struct dp_test_pa_walker {
	struct dp_ctx *ctx;
	struct dp_scheme *s;
	bool eligible;	/* node_eligible_bp's walk, else filter_passed's */
	struct completion started;
};

static void dp_test_pa_walk_once(struct dp_test_pa_walker *w)
{
	struct dp_target *t = list_first_entry(&w->ctx->targets,
					       struct dp_target, list);
	struct dp_region *r = dp_first_region(t);

	if (w->eligible)
		dp_pa_node_eligible_bp(w->ctx, w->s, first_memory_node);
	else
		dp_pa_filter_passed(w->ctx, t, r->ar.start, r->ar.end, w->s);
}

static int dp_test_pa_walker_fn(void *data)
{
	struct dp_test_pa_walker *w = data;

	complete(&w->started);
	dp_test_pa_walk_once(w);
	/* Done before the stop came: wait for it, as a kdamond would. */
	while (!kthread_should_stop())
		schedule_timeout_idle(HZ / 100);
	return 0;
}

/* Nanoseconds that a walk of @w's region takes on this thread. */
static u64 dp_test_pa_walk_ns(struct dp_test_pa_walker *w)
{
	u64 t0 = ktime_get_ns();

	dp_test_pa_walk_once(w);
	return ktime_get_ns() - t0;
}

/*
 * Every walk over frames yields and ends promptly once its thread is
 * asked to stop, however large the region (issue 25, item 4): a stop
 * (`off`, unload) waits well under a second for a walk that would take
 * about ten.  The region's size is calibrated on this machine first.
 */
static void dp_test_pa_walks_stop(struct kunit *test)
{
	const unsigned long base = 1UL << 44, calib = 1UL << 20;
	struct dp_test_pa_walker w = {};
	struct task_struct *tsk;
	struct dp_region *r;
	struct dp_target *t;
	unsigned long frames;
	u64 ns, stop_ns;
	int pass;

	w.ctx = dp_kunit_new_ctx(test);
	t = dp_kunit_add_target(test, w.ctx, NULL, 0);
	w.s = dp_new_scheme();
	r = dp_new_region(base, base + calib * PAGE_SIZE);
	if (!w.s || !r) {
		kfree(r);
		if (w.s)
			dp_destroy_scheme(w.s);
		kunit_skip(test, "out of memory");
	}
	dp_add_region(r, t);
	/* filter_passed walks for a scheme with a per-folio filter. */
	dp_test_pa_add_filter(test, w.s, DP_FILTER_ANON, true, false);
	for (pass = 0; pass < 2; pass++) {
		w.eligible = pass;
		r->ar.end = base + calib * PAGE_SIZE;
		ns = max(dp_test_pa_walk_ns(&w), 1ULL);
		/* About 10 s of frames, as this machine walks them. */
		frames = min_t(u64, div64_u64((u64)calib * 10 * NSEC_PER_SEC,
					      ns), 1UL << 36);
		r->ar.end = base + frames * PAGE_SIZE;
		init_completion(&w.started);
		tsk = kthread_run(dp_test_pa_walker_fn, &w, "dp_test_walk");
		if (IS_ERR(tsk))
			break;
		get_task_struct(tsk);
		wait_for_completion(&w.started);
		msleep(200);
		ns = ktime_get_ns();
		kthread_stop(tsk);
		stop_ns = ktime_get_ns() - ns;
		put_task_struct(tsk);
		kunit_info(test, "%s: a stop waited %llu ms for a walk of %lu frames",
			   pass ? "node_eligible_bp" : "filter_passed",
			   div_u64(stop_ns, NSEC_PER_MSEC), frames);
		KUNIT_EXPECT_LT(test, stop_ns, (u64)NSEC_PER_SEC);
	}
	dp_destroy_scheme(w.s);
}

static struct kunit_case dp_pa_test_cases[] = {
	KUNIT_CASE(dp_test_pa_sampling_addr),
	KUNIT_CASE(dp_test_pa_addr_unit),
	KUNIT_CASE(dp_test_pa_biggest_ram),
	KUNIT_CASE(dp_test_pa_default_range),
	KUNIT_CASE(dp_test_pa_pageout_young),
	KUNIT_CASE(dp_test_pa_pageout_filters),
	KUNIT_CASE(dp_test_pa_memcg_filter),
	KUNIT_CASE(dp_test_pa_scheme_valid),
	KUNIT_CASE(dp_test_pa_scheme_score),
	KUNIT_CASE(dp_test_pa_regions_in_phys),
	KUNIT_CASE(dp_test_pa_walks_stop),
	{},
};

static struct kunit_suite dp_pa_test_suite = {
	.name = "damon_pause_paddr",
	.test_cases = dp_pa_test_cases,
};

kunit_test_suite(dp_pa_test_suite);

#endif /* _DAMON_PAUSE_OPS_PADDR_KUNIT_H */

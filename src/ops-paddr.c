// SPDX-License-Identifier: GPL-2.0
/*
 * paddr operations: monitoring the physical address space, as upstream
 * DAMON's paddr operations do.
 *
 * A target is the machine's memory (no process); its regions are ranges of
 * physical addresses, by default the biggest "System RAM" resource,
 * counted in the context's addr_unit (a region address times the unit is
 * the physical address, as upstream's); what the actions report (bytes
 * applied, bytes that passed the filters) is in that unit too.  An
 * access check looks at the folio of one sampled page frame per region:
 * through the reverse map, at every page table entry that maps it, in any
 * process; a folio nothing maps (page cache) keeps its access in the
 * folio's idle flag only (CONFIG_PAGE_IDLE_FLAG: Debian's 6.12 has it, 6.1
 * does not, where such a folio always reads as not accessed).
 *
 * The actions act folio by folio on the folios of a region that are on an
 * LRU list; a large folio is acted on once, whole, and the walk goes on
 * past its end.
 */

#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/migrate.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/nodemask.h>
#include <linux/overflow.h>
#include <linux/page_idle.h>
#include <linux/random.h>
#include <linux/rmap.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/vmstat.h>

#include "compat.h"
#include "ops-common.h"
#include "ops-paddr.h"

static phys_addr_t dp_pa_phys(const struct dp_ctx *ctx, unsigned long addr)
{
	return (phys_addr_t)addr * ctx->addr_unit;
}

static unsigned long dp_pa_core_addr(const struct dp_ctx *ctx, phys_addr_t pa)
{
	return div64_ul(pa, ctx->addr_unit);
}

/**
 * dp_pa_sampling_addr() - the page frame an access check of a region
 * looks at.
 * @start:	the region's start, physical.
 * @end:	its end, above @start, physical.
 * @rnd:	a random number, uniform over all u32 values.
 *
 * Every page frame that holds a part of [@start, @end) is as likely (a
 * region's ends are page aligned unless the user wrote others).
 *
 * Return: the physical address of the frame, page aligned.
 */
static phys_addr_t dp_pa_sampling_addr(phys_addr_t start, phys_addr_t end,
				       u32 rnd)
{
	unsigned long first = PHYS_PFN(start);
	unsigned long nr = PHYS_PFN(end - 1) - first + 1;

	/* rnd / 2^32 of the way: 0 the first frame, U32_MAX the last. */
	return PFN_PHYS(first + mul_u64_u32_shr(nr, rnd, 32));
}

/* The frame the check of @r looks at: its sampled unit's first page. */
static unsigned long dp_pa_sampling_pfn(const struct dp_ctx *ctx,
					const struct dp_region *r)
{
	return PHYS_PFN(dp_pa_phys(ctx, r->sampling_addr));
}

/*
 * A sampled frame as a region address; with a unit above a page, the
 * unit's first page is what the check looks at.
 */
static unsigned long dp_pa_sample_region(const struct dp_ctx *ctx,
					 const struct dp_region *r)
{
	phys_addr_t pa = dp_pa_sampling_addr(dp_pa_phys(ctx, r->ar.start),
					     dp_pa_phys(ctx, r->ar.end),
					     get_random_u32());

	return clamp(dp_pa_core_addr(ctx, pa), r->ar.start, r->ar.end - 1);
}

/*
 * Walks over the page frames of a physical range.  Every loop over frames
 * goes through dp_pa_walk(), the one place that takes and drops a folio's
 * reference, gives the CPU away every DP_PA_BATCH frames and ends the walk
 * once the thread is asked to stop: however large a range (an addr_unit
 * makes terabytes of a region), no walk holds up an `off` or an unload,
 * or keeps the CPU for long.
 */
#define DP_PA_BATCH	512

/**
 * struct dp_pa_walk - a walk over the LRU folios of a physical range.
 * @act:	called on each folio once, with a reference that the walk
 *		drops after the call.
 * @after:	optional; called after each @act, the folio's reference
 *		dropped: where what @act queued is handed on (a folio must
 *		not be handed on while the walk holds it).
 * @yield:	optional; called every DP_PA_BATCH frames, no reference held:
 *		true ends the walk there.
 * @addr:	the frame being looked at; once the walk ended, where it
 *		stopped (the range's end if it went through).
 */
struct dp_pa_walk {
	void (*act)(struct dp_pa_walk *w, struct folio *folio);
	void (*after)(struct dp_pa_walk *w);
	bool (*yield)(struct dp_pa_walk *w);
	phys_addr_t addr;
};

/*
 * Walk the LRU folios of [@start, @end) with @w, each once: a large folio
 * that begins before @start or ends after @end is met once, whole.
 *
 * Return: true if the walk went through, false if it was stopped or
 * yielded (@w->addr says where).
 */
static bool dp_pa_walk(struct dp_pa_walk *w, phys_addr_t start,
		       phys_addr_t end)
{
	unsigned int nr_frames = 0;
	struct folio *folio;

	w->addr = start;
	while (w->addr < end) {
		if (++nr_frames == DP_PA_BATCH) {
			nr_frames = 0;
			cond_resched();
			if (dp_walk_should_stop() || (w->yield && w->yield(w)))
				return false;
		}
		folio = dp_get_lru_folio(PHYS_PFN(w->addr));
		if (!folio) {
			w->addr = PAGE_ALIGN_DOWN(w->addr) + PAGE_SIZE;
			continue;
		}
		w->act(w, folio);
		/* The reference kept it whole: its end lies past addr. */
		w->addr = PFN_PHYS(folio_pfn(folio)) + folio_size(folio);
		folio_put(folio);
		if (w->after)
			w->after(w);
	}
	return true;
}

/*
 * The reverse map.  rmap_walk() wants the folio locked when it is file
 * backed or KSM (its mapping could go, else); anonymous folios are walked
 * under their anon_vma's lock, which folio_lock_anon_vma_read() takes
 * safely for a folio that is not locked.  A folio whose lock is taken
 * already is left alone, as upstream: the kdamond never waits for one.
 */

/* Mapped by page tables, and with a mapping to find them through. */
static bool dp_pa_folio_rmappable(struct folio *folio)
{
	unsigned long mapping = (unsigned long)READ_ONCE(folio->mapping);

	return folio_mapped(folio) && (mapping & ~DP_MAPPING_FLAGS);
}

static bool dp_pa_folio_need_lock(struct folio *folio)
{
	return !folio_test_anon(folio) || folio_test_ksm(folio);
}

/*
 * Walk @folio's mappings with @rmap_one and @arg.
 *
 * Return: false if the folio's lock was busy and nothing was walked.
 */
static bool dp_pa_rmap_walk(struct folio *folio,
			    bool (*rmap_one)(struct folio *folio,
					     struct vm_area_struct *vma,
					     unsigned long addr, void *arg),
			    void *arg)
{
	bool need_lock = dp_pa_folio_need_lock(folio);

	if (need_lock && !folio_trylock(folio))
		return false;
	dp_rmap_walk(folio, rmap_one, arg);
	if (need_lock)
		folio_unlock(folio);
	return true;
}

/* Clear the accessed bits of one mapping; *arg: whether one was set. */
static bool dp_pa_mkold_one(struct folio *folio, struct vm_area_struct *vma,
			    unsigned long addr, void *arg)
{
	struct page_vma_mapped_walk pvmw = dp_lru_folio_vma_walk(folio, vma,
								  addr);
	bool *young = arg;

	while (dp_page_vma_mapped_walk(&pvmw)) {
		addr = pvmw.address;
		if (pvmw.pte) {
			if (dp_ptep_test_and_clear_young(vma, addr, pvmw.pte))
				*young = true;
			if (dp_mmu_clear_young(vma->vm_mm, addr,
					       addr + PAGE_SIZE))
				*young = true;
		} else {
			if (dp_pmdp_test_and_clear_young(vma, addr, pvmw.pmd))
				*young = true;
			if (dp_mmu_clear_young(vma->vm_mm, addr,
					       addr + HPAGE_PMD_SIZE))
				*young = true;
		}
	}
	return true;
}

/*
 * Start a new sampling interval for @folio: clear its accessed bits
 * everywhere and set its idle flag; reclaim still sees that it was young
 * (dp_folio_mkold()).
 */
static void dp_pa_folio_mkold(struct folio *folio)
{
	bool young = false;

	if (!dp_pa_folio_rmappable(folio)) {
		dp_folio_mkold(folio, false);
		return;
	}
	if (dp_pa_rmap_walk(folio, dp_pa_mkold_one, &young))
		dp_folio_mkold(folio, young);
}

/* Whether one mapping was accessed; stops the walk at the first one. */
static bool dp_pa_young_one(struct folio *folio, struct vm_area_struct *vma,
			    unsigned long addr, void *arg)
{
	struct page_vma_mapped_walk pvmw = dp_lru_folio_vma_walk(folio, vma,
								  addr);
	bool *young = arg;

	while (dp_page_vma_mapped_walk(&pvmw)) {
		addr = pvmw.address;
		if (pvmw.pte)
			*young = pte_young(ptep_get(pvmw.pte));
		else
			*young = pmd_young(READ_ONCE(*pvmw.pmd));
		if (*young || dp_mmu_test_young(vma->vm_mm, addr)) {
			*young = true;
			page_vma_mapped_walk_done(&pvmw);
			return false;
		}
	}
	return true;
}

/*
 * Whether @folio was accessed since its last dp_pa_folio_mkold(): an
 * accessed bit set again, or its idle flag cleared by whoever saw an
 * access (reclaim, idle page tracking).  A folio whose lock is busy reads
 * as not accessed, as upstream.
 */
static bool dp_pa_folio_young(struct folio *folio)
{
	bool young = false;

	if (dp_folio_accessed(folio))
		return true;
	if (!dp_pa_folio_rmappable(folio))
		return false;
	dp_pa_rmap_walk(folio, dp_pa_young_one, &young);
	return young;
}

/* Make the folio of @r's sampled frame old, where it is an LRU folio. */
static void dp_pa_mkold_sample(struct dp_ctx *ctx, struct dp_region *r)
{
	struct folio *folio = dp_get_lru_folio(dp_pa_sampling_pfn(ctx, r));

	if (!folio)
		return;
	dp_pa_folio_mkold(folio);
	folio_put(folio);
}

/* Pick the next sampled frame of @r and make its folio old. */
static void dp_pa_new_sample(struct dp_ctx *ctx, struct dp_region *r)
{
	r->sampling_addr = dp_pa_sample_region(ctx, r);
	dp_pa_mkold_sample(ctx, r);
}

/*
 * Access checks: prepare picks each region's sampled frame and makes its
 * folio old; the check reads whether it is young again.  Regions whose
 * frames share a folio (a large one) share its answer, as upstream's: the
 * folio is one unit of access, looked at once.
 */
static void dp_pa_prepare_access_checks(struct dp_ctx *ctx)
{
	/* The interval this preparation is for (dp_region_sampled()). */
	unsigned long sis = ctx->passed_sample_intervals + 1;
	struct dp_target *t;
	struct dp_region *r;

	dp_for_each_target(t, ctx) {
		dp_for_each_region(r, t) {
			if (!dp_region_sampled(r, sis, &ctx->attrs) ||
			    dp_region_primed(r, sis, ctx->primes_from_sis))
				continue;
			dp_pa_new_sample(ctx, r);
		}
	}
}

/* The answer of the last folio checked, for its other frames. */
struct dp_pa_last_check {
	unsigned long start_pfn;
	unsigned long end_pfn;	/* 0: none */
	bool young;
};

static bool dp_pa_check_frame(unsigned long pfn, struct dp_pa_last_check *last)
{
	struct folio *folio;

	if (pfn >= last->start_pfn && pfn < last->end_pfn)
		return last->young;
	folio = dp_get_lru_folio(pfn);
	if (!folio) {
		last->end_pfn = 0;
		return false;
	}
	last->young = dp_pa_folio_young(folio);
	last->start_pfn = folio_pfn(folio);
	last->end_pfn = last->start_pfn + folio_nr_pages(folio);
	folio_put(folio);
	return last->young;
}

static unsigned int dp_pa_check_accesses(struct dp_ctx *ctx)
{
	unsigned long sis = ctx->passed_sample_intervals;
	struct dp_pa_last_check last = {};
	unsigned int max_nr_accesses = 0;
	struct dp_target *t;
	struct dp_region *r;
	bool young;

	dp_for_each_target(t, ctx) {
		dp_for_each_region(r, t) {
			if (!dp_region_sampled(r, sis, &ctx->attrs))
				continue;
			young = dp_pa_check_frame(dp_pa_sampling_pfn(ctx, r),
						  &last);
			dp_account_check(r, young,
					 dp_region_primed(r, sis,
							  ctx->primes_from_sis),
					 &ctx->attrs);
			max_nr_accesses = max(max_nr_accesses, r->nr_accesses);
			if (!dp_region_primes(r))
				continue;
			/* Its next check looks at every interval up to it. */
			dp_pa_new_sample(ctx, r);
			r->primed_sis = sis;
		}
	}
	return max_nr_accesses;
}

/* A sample's page idle state, read once for all its probes' filters. */
struct dp_pa_pgidle {
	struct folio *folio;
	bool read;
	bool unset;
};

static bool dp_pa_probe_pgidle_unset(struct dp_folio_probe *fp)
{
	struct dp_pa_pgidle *idle = fp->arg;

	if (!idle->read) {
		idle->unset = dp_pa_folio_young(idle->folio);
		idle->read = true;
	}
	return idle->unset;
}

/*
 * Data attribute probes: the folio of each region's sample is looked at
 * once for all probes; a frame with no LRU folio has no attribute (every
 * filter reads as not matching it), as upstream's.  Whether it is idle is
 * read only when a page idle filter asks, as the access checks read it:
 * its idle flag cleared, or an accessed bit set since it was marked idle
 * (the rmap walk idle page tracking would make to clear the flag).
 */
static void dp_pa_probe_region(struct dp_ctx *ctx, struct dp_region *r)
{
	struct dp_folio_probe fp = {};
	struct dp_pa_pgidle idle = {};
	struct dp_probe *p;
	struct folio *folio;
	int i = 0;

	folio = dp_get_lru_folio(dp_pa_sampling_pfn(ctx, r));
	if (folio) {
		dp_folio_probe_fill(&fp, folio);
		idle.folio = folio;
		fp.pgidle_unset = dp_pa_probe_pgidle_unset;
		fp.arg = &idle;
	}
	dp_for_each_probe(p, ctx) {
		if (i == DP_MAX_PROBES)
			break;
		if (dp_probe_passes(p, &fp) && r->probe_hits[i] < U8_MAX)
			r->probe_hits[i]++;
		i++;
	}
	if (folio)
		folio_put(folio);
}

static unsigned int dp_pa_apply_probes(struct dp_ctx *ctx, bool set_samples,
				       const unsigned int *weights)
{
	unsigned int max_wsum = 0;
	struct dp_target *t;
	struct dp_region *r;

	dp_for_each_target(t, ctx) {
		dp_for_each_region(r, t) {
			if (set_samples)
				r->sampling_addr = dp_pa_sample_region(ctx, r);
			dp_pa_probe_region(ctx, r);
			if (weights)
				max_wsum = max(max_wsum,
					       dp_region_score(r, false,
							       weights));
		}
	}
	return max_wsum;
}

/*
 * The probes' preparations.  set_pgidle makes the sample's folio old, as an
 * access check's preparation does: a region whose sample that preparation
 * has just made old (the access checks on, the region sampled in the
 * interval to come) is left alone, the same done twice, and so is one
 * whose sample its last check made old for the next (dp_region_priming()),
 * whose window that would cut short.
 */
static void dp_pa_prep_probes(struct dp_ctx *ctx, bool set_samples,
			      unsigned long actions)
{
	unsigned long sis = ctx->passed_sample_intervals + 1;
	struct dp_target *t;
	struct dp_region *r;

	dp_for_each_target(t, ctx) {
		dp_for_each_region(r, t) {
			if (set_samples)
				r->sampling_addr = dp_pa_sample_region(ctx, r);
			else if (dp_region_sampled(r, sis, &ctx->attrs) ||
				 dp_region_priming(r, ctx->primes_from_sis))
				continue;
			if (actions & BIT(DP_PREP_SET_PGIDLE))
				dp_pa_mkold_sample(ctx, r);
		}
	}
}

/*
 * The default monitoring range: the biggest "System RAM" resource, as
 * upstream's damon_set_region_biggest_system_ram_default().
 */

/**
 * dp_pa_biggest_ram() - the biggest of some memory ranges, page aligned.
 * @rams:	the ranges, [start, end) each.
 * @nr:		their number.
 *
 * A range is shrunk to the whole pages it holds first; of equally big
 * ones, the first wins.
 *
 * Return: the biggest range; an empty one ({0, 0}) if none holds a page.
 */
static struct dp_addr_range dp_pa_biggest_ram(const struct dp_addr_range *rams,
					      unsigned int nr)
{
	struct dp_addr_range biggest = {}, r;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (rams[i].start >= rams[i].end ||
		    rams[i].start > ULONG_MAX - PAGE_SIZE)
			continue;
		r.start = PAGE_ALIGN(rams[i].start);
		r.end = ALIGN_DOWN(rams[i].end, PAGE_SIZE);
		if (r.start < r.end &&
		    r.end - r.start > biggest.end - biggest.start)
			biggest = r;
	}
	return biggest;
}

struct dp_pa_rams {
	struct dp_addr_range *ranges;
	unsigned int nr;
	unsigned int cap;
};

static int dp_pa_add_ram(struct resource *res, void *arg)
{
	struct dp_pa_rams *rams = arg;
	struct dp_addr_range *grown;

	if (rams->nr == rams->cap) {
		grown = krealloc_array(rams->ranges, max(rams->cap * 2, 16U),
				       sizeof(*grown), GFP_KERNEL);
		if (!grown)
			return -ENOMEM;	/* ends the walk */
		rams->ranges = grown;
		rams->cap = max(rams->cap * 2, 16U);
	}
	/* A resource's end is its last byte; ULONG_MAX makes end 0: skipped. */
	rams->ranges[rams->nr].start = res->start;
	rams->ranges[rams->nr].end = res->end + 1;
	rams->nr++;
	return 0;
}

/**
 * dp_pa_default_range() - the range a paddr target monitors when the user
 * gave none: the biggest "System RAM" resource.
 * @range:	the range, in @unit (page aligned for a unit of 1): the units
 *		wholly inside that resource.
 * @unit:	the context's addr_unit.
 *
 * walk_system_ram_res() is not exported; walk_iomem_res_desc() with its
 * flags walks the same resources.
 *
 * Return: 0, -ENOMEM, or -ENOENT if there is no System RAM at all.
 */
int dp_pa_default_range(struct dp_addr_range *range, unsigned long unit)
{
	struct dp_pa_rams rams = {};
	int err;

	err = walk_iomem_res_desc(IORES_DESC_NONE,
				  IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0,
				  U64_MAX, &rams, dp_pa_add_ram);
	if (err == -ENOMEM) {
		kfree(rams.ranges);
		return -ENOMEM;
	}
	*range = dp_pa_biggest_ram(rams.ranges, rams.nr);
	kfree(rams.ranges);
	range->start = DIV_ROUND_UP_ULL(range->start, unit);
	range->end /= unit;
	return range->start < range->end ? 0 : -ENOENT;
}

/*
 * The highest physical address this machine can have: its CPU's (x86 sets
 * the iomem resource's end to it), within what the memory model can map.
 */
static phys_addr_t dp_pa_highest_phys(void)
{
	return min_t(u64, iomem_resource.end,
		     (1ULL << MAX_PHYSMEM_BITS) - 1);
}

/**
 * dp_pa_regions_valid() - whether the regions the user gave a paddr target
 * lie in the physical address space.
 * @t:		the target, its regions sorted.
 * @unit:	the context's addr_unit.
 *
 * A region whose end times @unit overflows would act on frames of the
 * wrapped address; one past the highest physical address is a walk over
 * nothing that never ends (2^50 frames).
 *
 * Return: 0, or -EINVAL.
 */
int dp_pa_regions_valid(struct dp_target *t, unsigned long unit)
{
	phys_addr_t highest = dp_pa_highest_phys();
	unsigned long end;
	u64 phys_end;

	if (!t->nr_regions)
		return 0;
	end = dp_last_region(t)->ar.end;
	if (check_mul_overflow((u64)end, (u64)unit, &phys_end) ||
	    phys_end - 1 > highest) {
		pr_warn_ratelimited("paddr region end %lu in units of %lu: past the highest physical address, %pa\n",
				    end, unit, &highest);
		return -EINVAL;
	}
	return 0;
}

/*
 * Actions
 */

static bool dp_pa_has_young_filter(const struct dp_scheme *s)
{
	const struct dp_filter *f;

	dp_for_each_filter(f, s)
		if (f->type == DP_FILTER_YOUNG)
			return true;
	return false;
}

/*
 * The young filter: accessed since the last look, and made old, so that
 * the next look sees only new accesses (upstream's paddr young filter).
 */
static bool dp_pa_probe_young(struct dp_folio_probe *probe)
{
	struct folio *folio = probe->arg;
	bool young = dp_pa_folio_young(folio);

	if (young)
		dp_pa_folio_mkold(folio);
	return young;
}

/**
 * dp_pa_folio_filter_out() - whether the per-folio filters of @s reject a
 * folio, for the paddr actions.
 * @s:		the scheme being applied.
 * @probe:	the folio; its young_last is set here.
 *
 * As upstream's paddr pageout, which looks at each folio's access again
 * before it reclaims it: unless the scheme has a young filter of its own,
 * one that rejects young folios follows its filters.
 *
 * Return: true if the action must leave the folio alone.
 */
static bool dp_pa_folio_filter_out(struct dp_scheme *s,
				   struct dp_folio_probe *probe)
{
	probe->young_last = s->action == DP_ACT_PAGEOUT &&
		!dp_pa_has_young_filter(s);
	return dp_folio_filter_out(s, probe);
}

/*
 * Folios taken off their LRU lists are handed on in batches of
 * DP_PA_BATCH: the LRU lock is never held for long, and the isolated
 * count (which reclaim and compaction throttle on) stays small whatever
 * the region's size.  A batch is handed on between two folios of the
 * walk, none of them referenced by it: reclaim cannot free a folio that
 * someone still holds (its reference count must freeze), and migration
 * fails on one, after retries.
 */
struct dp_pa_apply {
	struct dp_pa_walk walk;
	struct dp_ctx *ctx;
	struct dp_scheme *s;
	struct list_head folios;	/* isolated, for pageout or migrate */
	unsigned int nr_folios;
	unsigned long applied;		/* bytes */
	unsigned long filter_passed;	/* bytes */
};

static void dp_pa_reclaim_batch(struct dp_pa_apply *pa)
{
	if (!pa->nr_folios)
		return;
	pa->applied += dp_reclaim_folios(&pa->folios) * PAGE_SIZE;
	INIT_LIST_HEAD(&pa->folios);
	pa->nr_folios = 0;
}

/*
 * As upstream: a folio reclaim would keep because it looks referenced is
 * not looked at again (the filters did), and an unevictable one is left.
 */
static void dp_pa_pageout_folio(struct dp_pa_apply *pa, struct folio *folio)
{
	folio_clear_referenced(folio);
	folio_test_clear_young(folio);
	if (folio_test_unevictable(folio) || !dp_folio_isolate_lru(folio))
		return;
	list_add(&folio->lru, &pa->folios);
	pa->nr_folios++;
}

static bool dp_pa_node_has_memory(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES && node_state(nid, N_MEMORY);
}

/*
 * A new folio on the target node, for a folio that migrates there; not
 * waiting for reclaim, not warning, not dipping into reserves, nowhere
 * else: if the node has no room, the folio stays where it is.
 */
static struct folio *dp_pa_alloc_on_node(struct folio *src, void *arg)
{
	int nid = *(int *)arg;
	gfp_t gfp = (GFP_HIGHUSER_MOVABLE & ~__GFP_RECLAIM) | __GFP_NOWARN |
		__GFP_NOMEMALLOC | __GFP_THISNODE;

	/* Gone since the batch began (hot-removed): nothing to allocate. */
	if (!dp_pa_node_has_memory(nid))
		return NULL;
	return __folio_alloc_node(gfp, folio_order(src), nid);
}

static void dp_pa_migrate_batch(struct dp_pa_apply *pa)
{
	int nid = pa->s->target_nid;
	struct dp_migrate_target target = {
		.alloc = dp_pa_alloc_on_node,
		.arg = &nid,
	};

	if (!pa->nr_folios)
		return;
	pa->applied += (unsigned long)dp_migrate_folios(&pa->folios,
							&target) * PAGE_SIZE;
	/* Those that did not move go back, their isolation uncounted. */
	if (!list_empty(&pa->folios))
		dp_putback_folios(&pa->folios);
	INIT_LIST_HEAD(&pa->folios);
	pa->nr_folios = 0;
}

static void dp_pa_migrate_folio(struct dp_pa_apply *pa, struct folio *folio)
{
	if (folio_nid(folio) == pa->s->target_nid ||
	    !dp_folio_isolate_lru(folio))
		return;
	/* Counted as migrate_pages() and putback_movable_pages() expect. */
	node_stat_add_folio(folio, NR_ISOLATED_ANON + folio_is_file_lru(folio));
	list_add(&folio->lru, &pa->folios);
	pa->nr_folios++;
}

/* The isolated folios, handed on; none of them referenced by the walk. */
static void dp_pa_apply_batch(struct dp_pa_apply *pa)
{
	if (pa->s->action == DP_ACT_PAGEOUT)
		dp_pa_reclaim_batch(pa);
	else
		dp_pa_migrate_batch(pa);
}

/* &dp_pa_walk.after of an application: a full batch goes. */
static void dp_pa_apply_after(struct dp_pa_walk *w)
{
	struct dp_pa_apply *pa = container_of(w, struct dp_pa_apply, walk);

	if (pa->nr_folios >= DP_PA_BATCH)
		dp_pa_apply_batch(pa);
}

/* &dp_pa_walk.yield of an application: a waiting call goes first. */
static bool dp_pa_apply_yield(struct dp_pa_walk *w)
{
	return dp_apply_should_yield(container_of(w, struct dp_pa_apply,
						  walk)->ctx);
}

/* @pa's action on @folio, if the filters allow; the walk's reference. */
static void dp_pa_apply_folio(struct dp_pa_walk *w, struct folio *folio)
{
	struct dp_pa_apply *pa = container_of(w, struct dp_pa_apply, walk);
	struct dp_folio_probe probe = {
		.young = dp_pa_probe_young,
		.arg = folio,
	};

	dp_folio_probe_fill(&probe, folio);
	if (dp_pa_folio_filter_out(pa->s, &probe))
		return;
	pa->filter_passed += folio_size(folio);
	switch (pa->s->action) {
	case DP_ACT_PAGEOUT:
		dp_pa_pageout_folio(pa, folio);
		break;
	case DP_ACT_LRU_PRIO:
		folio_mark_accessed(folio);
		pa->applied += folio_size(folio);
		break;
	case DP_ACT_LRU_DEPRIO:
		dp_folio_deactivate(folio);
		pa->applied += folio_size(folio);
		break;
	case DP_ACT_MIGRATE_HOT:
	case DP_ACT_MIGRATE_COLD:
		dp_pa_migrate_folio(pa, folio);
		break;
	default:
		break;
	}
}

/* A young filter's look that leaves the folio's accessed state as it is. */
static bool dp_pa_probe_young_peek(struct dp_folio_probe *probe)
{
	return dp_pa_folio_young(probe->arg);
}

struct dp_pa_passed {
	struct dp_pa_walk walk;
	struct dp_scheme *s;
	unsigned long passed;	/* bytes */
};

static void dp_pa_passed_folio(struct dp_pa_walk *w, struct folio *folio)
{
	struct dp_pa_passed *pp = container_of(w, struct dp_pa_passed, walk);
	struct dp_folio_probe probe = {
		.young = dp_pa_probe_young_peek,
		.arg = folio,
	};

	dp_folio_probe_fill(&probe, folio);
	if (!dp_pa_folio_filter_out(pp->s, &probe))
		pp->passed += folio_size(folio);
}

/*
 * What an application of @s to [@start, @end) would let through its
 * per-folio filters, as dp_pa_apply_folio() counts it, without acting.
 */
static unsigned long dp_pa_filter_passed(struct dp_ctx *ctx,
					 struct dp_target *t,
					 unsigned long start, unsigned long end,
					 struct dp_scheme *s)
{
	struct dp_pa_passed pp = {
		.walk.act = dp_pa_passed_folio,
		.s = s,
	};

	if (s->action == DP_ACT_STAT && !dp_scheme_has_ops_filters(s))
		return 0;
	dp_pa_walk(&pp.walk, dp_pa_phys(ctx, start), dp_pa_phys(ctx, end));
	return dp_pa_core_addr(ctx, pp.passed);
}

struct dp_pa_eligible {
	struct dp_pa_walk walk;
	phys_addr_t end;	/* of the region walked */
	int nid;
	phys_addr_t total;
	phys_addr_t on_node;
};

/* A folio counts with the part of it inside the region. */
static void dp_pa_eligible_folio(struct dp_pa_walk *w, struct folio *folio)
{
	struct dp_pa_eligible *e = container_of(w, struct dp_pa_eligible,
						walk);
	phys_addr_t fstart = PFN_PHYS(folio_pfn(folio));
	phys_addr_t part = min(fstart + folio_size(folio), e->end) -
		max(fstart, w->addr);

	e->total += part;
	if (folio_nid(folio) == e->nid)
		e->on_node += part;
}

/*
 * The share of node @nid in the LRU memory of the regions whose access
 * pattern @s matches, in basis points (upstream's node_eligible_mem_bp).
 */
static unsigned long dp_pa_node_eligible_bp(struct dp_ctx *ctx,
					    struct dp_scheme *s, int nid)
{
	struct dp_pa_eligible e = {
		.walk.act = dp_pa_eligible_folio,
		.nid = nid,
	};
	struct dp_target *t;
	struct dp_region *r;

	if (nid < 0 || nid >= MAX_NUMNODES || !node_online(nid))
		return 0;
	dp_for_each_target(t, ctx) {
		dp_for_each_region(r, t) {
			if (!dp_scheme_pattern_match(r, s))
				continue;
			e.end = dp_pa_phys(ctx, r->ar.end);
			if (!dp_pa_walk(&e.walk, dp_pa_phys(ctx, r->ar.start),
					e.end))
				return 0;	/* stopping: no answer needed */
		}
	}
	return e.total ? div64_u64(e.on_node * 10000, e.total) : 0;
}

/* The next application of @s to @r goes on from @pa, a physical address. */
static void dp_pa_resume_at(struct dp_ctx *ctx, struct dp_target *t,
			    struct dp_region *r, struct dp_scheme *s,
			    phys_addr_t pa)
{
	unsigned long at = dp_pa_core_addr(ctx, PAGE_ALIGN(pa));

	dp_scheme_resume_at(s, t, clamp(at, r->ar.start, r->ar.end));
}

/*
 * Apply @s to the LRU folios of @r, each once (a large folio that starts
 * before the region or ends after it is acted on whole, as upstream's).
 * Between batches the pass may give way to a waiting call; the next
 * application goes on from there.
 */
static unsigned long dp_pa_apply_scheme(struct dp_ctx *ctx,
					struct dp_target *t,
					struct dp_region *r,
					struct dp_scheme *s)
{
	struct dp_pa_apply pa = {
		.walk = {
			.act = dp_pa_apply_folio,
			.after = dp_pa_apply_after,
			.yield = dp_pa_apply_yield,
		},
		.ctx = ctx,
		.s = s,
	};

	/* stat only counts what its per-folio filters let through. */
	if (s->action == DP_ACT_STAT && !dp_scheme_has_ops_filters(s))
		return 0;
	/* The node went away since the commit: nothing moves, as upstream. */
	if ((s->action == DP_ACT_MIGRATE_HOT ||
	     s->action == DP_ACT_MIGRATE_COLD) &&
	    !dp_pa_node_has_memory(s->target_nid))
		return 0;
	INIT_LIST_HEAD(&pa.folios);
	if (!dp_pa_walk(&pa.walk, dp_pa_phys(ctx, r->ar.start),
			dp_pa_phys(ctx, r->ar.end)))
		dp_pa_resume_at(ctx, t, r, s, pa.walk.addr);
	dp_pa_apply_batch(&pa);
	s->sz_filter_passed += dp_pa_core_addr(ctx, pa.filter_passed);
	return dp_pa_core_addr(ctx, pa.applied);
}

/* Upstream's priorities: what frees or demotes memory wants the coldest. */
static int dp_pa_scheme_score(struct dp_ctx *ctx, struct dp_target *t,
			      struct dp_region *r, struct dp_scheme *s)
{
	switch (s->action) {
	case DP_ACT_PAGEOUT:
	case DP_ACT_LRU_DEPRIO:
	case DP_ACT_MIGRATE_COLD:
		return dp_cold_score(ctx, r, s);
	case DP_ACT_LRU_PRIO:
	case DP_ACT_MIGRATE_HOT:
		return dp_hot_score(ctx, r, s);
	default:
		return DP_MAX_SCORE;
	}
}

/*
 * The actions upstream's paddr operations carry out, if this kernel lets
 * us: the others are refused rather than silently never applied; so is a
 * migration to a node that has no memory.
 */
static int dp_pa_scheme_valid(const struct dp_scheme *s)
{
	unsigned int need;

	switch (s->action) {
	case DP_ACT_STAT:
	case DP_ACT_LRU_PRIO:
		return 0;
	case DP_ACT_PAGEOUT:
		need = DP_FEAT_PA_PAGEOUT;
		break;
	case DP_ACT_LRU_DEPRIO:
		need = DP_FEAT_PA_DEPRIO;
		break;
	case DP_ACT_MIGRATE_HOT:
	case DP_ACT_MIGRATE_COLD:
		need = DP_FEAT_PA_MIGRATE;
		break;
	default:
		pr_warn_ratelimited("scheme action %d: not one of the paddr operations' (stat, pageout, lru_prio, lru_deprio, migrate_hot, migrate_cold)\n",
				    s->action);
		return -EOPNOTSUPP;
	}
	if (!dp_has_feature(need)) {
		pr_warn_ratelimited("scheme action %d: this kernel lacks what paddr needs for it (see the features at load)\n",
				    s->action);
		return -EOPNOTSUPP;
	}
	if (need == DP_FEAT_PA_MIGRATE &&
	    !dp_pa_node_has_memory(s->target_nid)) {
		pr_warn_ratelimited("scheme target_nid %d: not an online node with memory\n",
				    s->target_nid);
		return -EINVAL;
	}
	return 0;
}

/**
 * dp_pa_ops() - the paddr operations.
 * @ops:	filled in.
 *
 * No init, update or target_valid: the regions are what the user (or the
 * default) gave, and physical memory never goes away as a process does.
 *
 * Return: 0, or -EOPNOTSUPP when the reverse map functions could not be
 * resolved at load time.
 */
int dp_pa_ops(struct dp_operations *ops)
{
	if (!dp_has_feature(DP_FEAT_PADDR))
		return -EOPNOTSUPP;
	*ops = (struct dp_operations){
		.prepare_access_checks = dp_pa_prepare_access_checks,
		.check_accesses = dp_pa_check_accesses,
		.apply_probes = dp_pa_apply_probes,
		.prep_probes = dp_pa_prep_probes,
		.apply_scheme = dp_pa_apply_scheme,
		.filter_passed = dp_pa_filter_passed,
		.node_eligible_bp = dp_pa_node_eligible_bp,
		.get_scheme_score = dp_pa_scheme_score,
		.scheme_valid = dp_pa_scheme_valid,
	};
	return 0;
}

#ifdef DAMON_PAUSE_KUNIT
#include "ops-paddr-kunit.h"
#endif

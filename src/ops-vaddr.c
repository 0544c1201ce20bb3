// SPDX-License-Identifier: GPL-2.0
/*
 * vaddr operations: monitoring a process's virtual address space.
 *
 * An address space is mostly unmapped: between the heap and the mmap area,
 * and between that and the stack, lie gaps of terabytes.  Regions that
 * spanned them would waste the adaptive split on nothing, so, as upstream
 * DAMON does, the monitored ranges are the three stretches between the two
 * biggest gaps.
 *
 * Inside those ranges, unlike upstream's, regions follow what the process
 * can access.  An unmapped gap, or a mapping without access (PROT_NONE
 * guards and reservations), is a hole: a sample is never drawn there, and
 * after each split the regions' ends are moved off holes and, while fewer
 * than half of max_nr_regions are in use, a region that saw an access
 * lately is cut at the inner hole nearest its middle.  So in a sparse
 * layout (small mappings far apart) a hot mapping becomes a region of its
 * own, instead of a region mostly made of holes, which sampling would find
 * "not accessed" and whose hot part it would miss.  Regions long without
 * access still merge across a hole (see dp_mergeable()), so that the cold
 * expanse between hot mappings costs few regions.
 */

#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pagewalk.h>
#include <linux/pid.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

#include "compat.h"
#include "huge-budget.h"
#include "ops-common.h"
#include "ops-vaddr.h"

static unsigned long dp_range_sz(const struct dp_addr_range *r)
{
	return r->end - r->start;
}

/**
 * dp_va_layout_add() - account the next mapping, in address order.
 * @layout:	zeroed before the first mapping.
 * @start:	the mapping's start.
 * @end:	its end.
 */
static void dp_va_layout_add(struct dp_va_layout *layout, unsigned long start,
			     unsigned long end)
{
	struct dp_addr_range gap = { .start = layout->end, .end = start };

	if (!layout->nr_mappings++) {
		layout->start = start;
		layout->end = end;
		return;
	}
	if (dp_range_sz(&gap) > dp_range_sz(&layout->gaps[0])) {
		layout->gaps[1] = layout->gaps[0];
		layout->gaps[0] = gap;
	} else if (dp_range_sz(&gap) > dp_range_sz(&layout->gaps[1])) {
		layout->gaps[1] = gap;
	}
	layout->end = end;
}

/**
 * dp_va_layout_ranges() - the three ranges around the two biggest gaps.
 * @layout:	the address space, all mappings added.
 * @ranges:	the result, in address order, page aligned.
 *
 * Return: 0, or -EINVAL when there are not two gaps to cut at.
 */
static int dp_va_layout_ranges(const struct dp_va_layout *layout,
			       struct dp_addr_range ranges[3])
{
	struct dp_addr_range lo = layout->gaps[0], hi = layout->gaps[1];

	if (!dp_range_sz(&lo) || !dp_range_sz(&hi))
		return -EINVAL;
	if (lo.start > hi.start)
		swap(lo, hi);
	ranges[0].start = ALIGN_DOWN(layout->start, DP_MIN_REGION);
	ranges[0].end = ALIGN(lo.start, DP_MIN_REGION);
	ranges[1].start = ALIGN_DOWN(lo.end, DP_MIN_REGION);
	ranges[1].end = ALIGN(hi.start, DP_MIN_REGION);
	ranges[2].start = ALIGN_DOWN(hi.end, DP_MIN_REGION);
	ranges[2].end = ALIGN(layout->end, DP_MIN_REGION);
	return 0;
}

/**
 * dp_va_set_initial_regions() - first regions of a target: the three
 * ranges, cut into pieces of equal size so that together they make at
 * least @min_nr_regions, cut at multiples of @unit.
 * @t:			a target without regions.
 * @ranges:		the three ranges.
 * @min_nr_regions:	the context's lower bound of regions.
 * @unit:		the context's min_region_sz.
 *
 * Return: 0, or -ENOMEM with @t left without regions.
 */
static int dp_va_set_initial_regions(struct dp_target *t,
				     const struct dp_addr_range ranges[3],
				     unsigned long min_nr_regions, unsigned long unit)
{
	unsigned long total = 0, sz_piece, start, end;
	struct dp_region *r;
	int i;

	for (i = 0; i < 3; i++)
		total += dp_range_sz(&ranges[i]);
	sz_piece = max(ALIGN_DOWN(total / max(min_nr_regions, 1UL), unit),
		       unit);

	for (i = 0; i < 3; i++) {
		start = ranges[i].start;
		while (start < ranges[i].end) {
			/* sz_piece >= unit: the cut is past start. */
			end = ALIGN_DOWN(start + sz_piece, unit);
			/* The last piece takes the rounding remainder. */
			if (end + sz_piece > ranges[i].end)
				end = ranges[i].end;
			r = dp_new_region(start, end);
			if (!r) {
				dp_destroy_regions(t);
				return -ENOMEM;
			}
			dp_add_region(r, t);
			start = end;
		}
	}
	return 0;
}

/* The target's address space, pinned; NULL once the process is gone. */
static struct mm_struct *dp_va_get_mm(struct dp_target *t)
{
	struct task_struct *task;
	struct mm_struct *mm;

	task = get_pid_task(t->pid, PIDTYPE_PID);
	if (!task)
		return NULL;
	mm = get_task_mm(task);
	put_task_struct(task);
	return mm;
}

/**
 * dp_va_ranges_of() - the three ranges to monitor in @t's address space.
 * @t:		a target with a process.
 * @ranges:	the result.
 *
 * Return: 0, -ESRCH if the process or its address space is gone, or
 * -EINVAL if it has too few mappings to cut.
 */
static int dp_va_ranges_of(struct dp_target *t, struct dp_addr_range ranges[3])
{
	struct dp_va_layout layout = {};
	struct vm_area_struct *vma;
	struct mm_struct *mm;

	mm = dp_va_get_mm(t);
	if (!mm)
		return -ESRCH;
	mmap_read_lock(mm);
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma)
			dp_va_layout_add(&layout, vma->vm_start, vma->vm_end);
	}
	mmap_read_unlock(mm);
	mmput(mm);
	return dp_va_layout_ranges(&layout, ranges);
}

/*
 * Access checks: test-and-clear of the accessed bit of the PTE, or of the
 * PMD of a transparent huge page, that maps a region's sampling address.
 * The walk holds the page table lock while the callbacks run.
 */
/*
 * The folio that a present entry maps, found under the entry's page table
 * lock, if it is on an LRU list (as dp_get_lru_folio() finds one), with no
 * reference taken: the mapping keeps it while the lock is held, as whoever
 * would unmap, split or migrate it takes that lock first.  A reference
 * taken and dropped at every access check was two atomic operations on a
 * count the process's own CPUs are busy with.  Without the page idle flags
 * there is nothing to do with it (dp_folio_mkold()): NULL.
 */
static struct folio *dp_va_mapped_folio(unsigned long pfn)
{
#ifdef CONFIG_PAGE_IDLE_FLAG
	struct page *page = pfn_to_online_page(pfn);
	struct folio *folio;

	if (!page)
		return NULL;
	folio = page_folio(page);
	return folio_test_lru(folio) ? folio : NULL;
#else
	return NULL;
#endif
}

struct dp_va_young {
	bool clear;	/* clear the bit (prepare) or only read it (check) */
	bool young;	/* the bit was set */
};

/*
 * Clear (prepare) or read (check) the access information of one mapping:
 * its accessed bit @young as found (and cleared, if @clear), the folio's
 * idle flags, and secondary MMUs' bits for [@addr, @addr + @size).  The
 * caller holds the lock of the page table whose present entry it is.
 */
static bool dp_va_young_of(struct dp_va_young *arg, struct mm_struct *mm,
			   unsigned long addr, unsigned long size,
			   unsigned long pfn, bool young)
{
	struct folio *folio;

	/*
	 * A set bit decides a check: no need to look at the folio, whose
	 * flags the process's own CPUs are busy with when hot.
	 */
	if (!arg->clear && young)
		return true;
	folio = dp_va_mapped_folio(pfn);
	if (arg->clear) {
		young |= dp_mmu_clear_young(mm, addr, addr + size);
		if (folio)
			dp_folio_mkold(folio, young);
	} else {
		young = young || (folio && dp_folio_accessed(folio)) ||
			dp_mmu_test_young(mm, addr);
	}
	return young;
}

static int dp_va_young_pmd(pmd_t *pmd, unsigned long addr,
			   unsigned long next, struct mm_walk *walk)
{
	struct dp_va_young *arg = walk->private;
	struct vm_area_struct *vma = walk->vma;
	spinlock_t *ptl = pmd_lock(walk->mm, pmd);	/* of this PMD */
	pmd_t pmde = *pmd;
	bool young;

	if (pmd_trans_huge(pmde)) {
		addr &= HPAGE_PMD_MASK;
		if (arg->clear)
			young = dp_pmdp_test_and_clear_young(vma, addr, pmd);
		else
			young = pmd_young(pmde);
		arg->young = dp_va_young_of(arg, walk->mm, addr, HPAGE_PMD_SIZE,
					    pmd_pfn(pmde), young);
		/* A huge page has no PTE level to walk into. */
		walk->action = ACTION_CONTINUE;
	}
	spin_unlock(ptl);
	return 0;
}

/* Huge page mappings only: the walk never goes down to PTEs. */
static const struct mm_walk_ops dp_va_young_huge_ops = {
	.pmd_entry = dp_va_young_pmd,
};

/* Walk [@start, @end) of @mm's page tables, under its mmap lock. */
static void dp_va_walk(struct mm_struct *mm, unsigned long start,
		       unsigned long end, const struct mm_walk_ops *ops,
		       void *private)
{
	mmap_read_lock(mm);
	dp_ksyms.walk_page_range(mm, start, end, ops, private);
	mmap_read_unlock(mm);
}

/*
 * The PMD of @addr in @mm's page tables, or NULL where a level above is
 * empty or maps a page itself (a hugetlb page of a PUD).  The caller holds
 * the mmap lock, under which the upper tables stay.
 */
static pmd_t *dp_va_pmd_of(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;

	if (pgd_none(*pgd) || pgd_bad(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (pud_none(*pud) || pud_bad(*pud))
		return NULL;
	return pmd_offset(pud, addr);
}

/*
 * The PTE table of the last access check, kept mapped and locked for the
 * next one while it falls in the same table: the regions of a pass come in
 * address order, and where hundreds share a few tables (a heap of graded
 * hotness: about seven to a table), the descent from the top and the
 * table's map and lock at every check were most of what a check cost.  Held
 * for DP_VA_PTES_USES checks at most, and never while another page table
 * lock is taken (where the kernel has no split locks, all are one).
 */
struct dp_va_ptes {
	pte_t *pte;		/* an entry of the table; NULL: none held */
	spinlock_t *ptl;
	unsigned long start;	/* the address the table's first entry maps */
	unsigned int uses;
};

#define DP_VA_PTES_USES	32

static void dp_va_ptes_release(struct dp_va_ptes *ptes)
{
	if (!ptes->pte)
		return;
	pte_unmap_unlock(ptes->pte, ptes->ptl);
	ptes->pte = NULL;
}

/* The entry of @addr in the table held, or NULL if it is in another. */
static pte_t *dp_va_ptes_entry(struct dp_va_ptes *ptes, unsigned long addr)
{
	if (!ptes->pte || (addr & PMD_MASK) != ptes->start ||
	    ptes->uses >= DP_VA_PTES_USES)
		return NULL;
	ptes->uses++;
	return ptes->pte + pte_index(addr);
}

/*
 * The entry of @addr, from the table held or else mapped and locked (and
 * then held), or NULL where @pmd maps no table.
 */
static pte_t *dp_va_ptes_map(struct dp_va_ptes *ptes, struct mm_struct *mm,
			     pmd_t *pmd, unsigned long addr)
{
	pte_t *pte = dp_pte_offset_map_lock(mm, pmd, addr, &ptes->ptl);

	if (pte) {
		/* Entries are found from the first one's address. */
		ptes->pte = pte - pte_index(addr);
		ptes->start = addr & PMD_MASK;
		ptes->uses = 1;
	}
	return pte;
}

/*
 * Whether the accessed bit of @addr in @vma was set; cleared too if
 * @clear.  A direct descent to the one entry: the generic walk looked the
 * VMA up again and called back at every level, for a single address, at
 * every sample of every region; and none where @ptes holds its table.
 * Hugetlb and raw PFN mappings are left alone, as the walk left them.  The
 * caller holds the mmap lock, and releases @ptes before it lets go of it.
 */
static bool dp_va_young(struct vm_area_struct *vma, unsigned long addr,
			bool clear, struct dp_va_ptes *ptes)
{
	struct dp_va_young arg = { .clear = clear };
	struct mm_struct *mm = vma->vm_mm;
	bool young = false;
	spinlock_t *ptl;	/* of the PMD */
	pmd_t *pmd, pmde;
	pte_t *pte, ptent;

	if (is_vm_hugetlb_page(vma) || (vma->vm_flags & VM_PFNMAP))
		return false;
	pte = dp_va_ptes_entry(ptes, addr);
	if (pte)
		goto entry;
	dp_va_ptes_release(ptes);
	pmd = dp_va_pmd_of(mm, addr);
	if (!pmd)
		return false;
	if (pmd_trans_huge(READ_ONCE(*pmd))) {
		ptl = pmd_lock(mm, pmd);
		pmde = *pmd;
		if (pmd_trans_huge(pmde)) {
			addr &= HPAGE_PMD_MASK;
			young = clear ?
				dp_pmdp_test_and_clear_young(vma, addr, pmd) :
				pmd_young(pmde);
			young = dp_va_young_of(&arg, mm, addr, HPAGE_PMD_SIZE,
					       pmd_pfn(pmde), young);
			spin_unlock(ptl);
			return young;
		}
		/* Split meanwhile: a table now, or nothing. */
		spin_unlock(ptl);
	}
	pte = dp_va_ptes_map(ptes, mm, pmd, addr);
	if (!pte)
		return false;
entry:
	ptent = ptep_get(pte);
	if (pte_present(ptent)) {
		young = clear ? dp_ptep_test_and_clear_young(vma, addr, pte) :
			pte_young(ptent);
		young = dp_va_young_of(&arg, mm, addr, PAGE_SIZE,
				       pte_pfn(ptent), young);
	}
	return young;
}

/*
 * The VMA that maps @addr, or NULL; *@hint, the last one found (or NULL),
 * is tried first, as regions and their samples come in address order.
 * The caller holds the mmap lock; *@hint is valid while it does.
 */
static struct vm_area_struct *dp_va_vma_of(struct mm_struct *mm,
					   unsigned long addr,
					   struct vm_area_struct **hint)
{
	struct vm_area_struct *vma = *hint;

	if (vma && vma->vm_start <= addr && addr < vma->vm_end)
		return vma;
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr)
		return NULL;
	*hint = vma;
	return vma;
}

/*
 * A random page of [@start, @end), both page aligned, @start < @end; over
 * 2^32 pages (a region of more than 16 TiB), by a 64-bit draw.
 */
static unsigned long dp_va_random_page(unsigned long start, unsigned long end)
{
	unsigned long nr = (end - start) / PAGE_SIZE;

	if (nr > U32_MAX)
		return start + PAGE_SIZE * mul_u64_u64_shr(get_random_u64(),
							   nr, 64);
	return start + PAGE_SIZE * get_random_u32_below(nr);
}

/*
 * The first mapping of @mm with access that intersects [@start, @end), or
 * NULL.  The caller holds the mmap lock.
 */
static struct vm_area_struct *dp_va_accessible_vma(struct mm_struct *mm,
						   unsigned long start,
						   unsigned long end)
{
	VMA_ITERATOR(vmi, mm, start);
	struct vm_area_struct *vma;

	/* Some kernels' bound is inclusive: check the intersection. */
	for_each_vma_range(vmi, vma, end)
		if (vma_is_accessible(vma) && vma->vm_start < end &&
		    vma->vm_end > start)
			return vma;
	return NULL;
}

/*
 * The next sampling address of @r: a random page of it that the process
 * can access; if there is none, any page of it, which then reads as not
 * accessed.  A random page in a hole moves into the next accessible
 * mapping of the region (or, past the last one, the first), at random.
 * *@hint: as for dp_va_vma_of().
 */
static unsigned long dp_va_sampling_addr(struct mm_struct *mm,
					 struct dp_region *r,
					 struct vm_area_struct **hint)
{
	unsigned long addr = dp_va_random_page(r->ar.start, r->ar.end);
	struct vm_area_struct *vma = dp_va_vma_of(mm, addr, hint);

	if (vma && vma_is_accessible(vma))
		return addr;
	vma = dp_va_accessible_vma(mm, addr, r->ar.end);
	if (!vma)
		vma = dp_va_accessible_vma(mm, r->ar.start, addr);
	if (!vma)
		return addr;
	*hint = vma;
	return dp_va_random_page(max(vma->vm_start, r->ar.start),
				 min(vma->vm_end, r->ar.end));
}

/*
 * What of [@start, @end) the process can access: from the start of its
 * first accessible mapping to the end of its last (@x->start == @x->end
 * when there is none), and, of the holes between two of them, the one
 * nearest the middle: a cut there halves the region, so that a hot
 * mapping among @n others is alone after log2(@n) cuts.
 */
struct dp_va_extent {
	unsigned long start;
	unsigned long end;
	struct dp_addr_range hole;
};

static void dp_va_extent_of(struct mm_struct *mm, unsigned long start,
			    unsigned long end, struct dp_va_extent *x)
{
	VMA_ITERATOR(vmi, mm, start);
	unsigned long mid = start + (end - start) / 2, best = ULONG_MAX;
	struct vm_area_struct *vma;

	*x = (struct dp_va_extent){};
	for_each_vma_range(vmi, vma, end) {
		unsigned long s = max(vma->vm_start, start);
		unsigned long e = min(vma->vm_end, end);

		if (!vma_is_accessible(vma) || s >= e)
			continue;
		if (x->start == x->end) {
			x->start = s;
		} else if (s > x->end) {
			unsigned long at = x->end + (s - x->end) / 2;
			unsigned long off = at > mid ? at - mid : mid - at;

			if (off < best) {
				best = off;
				x->hole.start = x->end;
				x->hole.end = s;
			}
		}
		x->end = e;
	}
}

/*
 * Fit @r to what can be accessed, keeping its ends and the hole's on
 * multiples of @align; cut it at its middle hole if *@nr_cuts allows and
 * it saw an access lately.  A region long idle is not cut: its parts
 * would only merge back, each costing a check per sample meanwhile.
 * A region with nothing accessible stays as it is: a range always keeps
 * its regions, and the merge joins it to a neighbour.
 */
static void dp_va_adjust_region(struct mm_struct *mm, struct dp_target *t,
				struct dp_region *r, unsigned long align,
				unsigned int *nr_cuts)
{
	struct dp_va_extent x;
	struct dp_addr_range hole;

	dp_va_extent_of(mm, r->ar.start, r->ar.end, &x);
	if (x.start == x.end)
		return;
	r->ar.start = max(r->ar.start, ALIGN_DOWN(x.start, align));
	r->ar.end = min(r->ar.end, ALIGN(x.end, align));
	dp_region_clamp_sample(r);
	hole.start = ALIGN(x.hole.start, align);
	hole.end = ALIGN_DOWN(x.hole.end, align);
	if (*nr_cuts && r->idle_aggrs < DP_IDLE_AGGRS &&
	    hole.start > r->ar.start && hole.start < hole.end &&
	    hole.end < r->ar.end) {
		dp_cut_region(t, r, &hole);
		(*nr_cuts)--;
	}
}

/* &dp_operations.adjust_regions; one mmap lock hold per target. */
static void dp_va_adjust_regions(struct dp_ctx *ctx, unsigned int nr_cuts)
{
	struct dp_region *r, *next;
	struct mm_struct *mm;
	struct dp_target *t;

	dp_for_each_target(t, ctx) {
		mm = dp_va_get_mm(t);
		if (!mm)
			continue;
		mmap_read_lock(mm);
		dp_for_each_region_safe(r, next, t)
			dp_va_adjust_region(mm, t, r, ctx->min_region_sz,
					    &nr_cuts);
		mmap_read_unlock(mm);
		mmput(mm);
	}
}

/*
 * Pick the next sample of @r and make it old: the preparation of a check,
 * or, right after the check of an idle region, the start of its next
 * check's window (dp_region_primes()).
 */
static void dp_va_new_sample(struct mm_struct *mm, struct dp_region *r,
			     struct vm_area_struct **hint,
			     struct dp_va_ptes *ptes)
{
	struct vm_area_struct *vma;

	r->sampling_addr = dp_va_sampling_addr(mm, r, hint);
	vma = dp_va_vma_of(mm, r->sampling_addr, hint);
	if (vma)
		dp_va_young(vma, r->sampling_addr, true, ptes);
}

/*
 * One pass over every region sampled in this interval (dp_region_sampled()):
 * with @prepare, pick the region's next sampling address and clear its
 * accessed bit (but where the last check did: dp_region_primed()); else
 * read the bit and account it (not accessed where the process has no
 * address space left), and prime an idle region's next check.
 *
 * The mmap lock is taken once per target for the whole pass, not once per
 * region: a pass is short (one descent of the page tables per region), and a
 * writer waiting for the lock (mmap(), munmap(), a collapse) has it
 * between two regions, not after the pass.
 *
 * Return: the highest nr_accesses seen (checks only).
 */
static unsigned int dp_va_visit_regions(struct dp_ctx *ctx, bool prepare)
{
	/* The interval that this preparation or check is of. */
	unsigned long sis = ctx->passed_sample_intervals + prepare;
	struct dp_va_ptes ptes = { .pte = NULL };
	struct vm_area_struct *hint, *vma;
	unsigned int max_nr_accesses = 0;
	struct dp_target *t;
	struct dp_region *r;
	struct mm_struct *mm;
	bool young, primed;

	dp_for_each_target(t, ctx) {
		mm = dp_va_get_mm(t);
		if (!mm) {
			/* Exited, not reaped: nothing is accessed, as upstream. */
			if (!prepare)
				dp_for_each_region(r, t)
					dp_update_region_access_rate(r, false,
								     &ctx->attrs);
			continue;
		}
		mmap_read_lock(mm);
		hint = NULL;
		dp_for_each_region(r, t) {
			if (mmap_lock_is_contended(mm)) {
				dp_va_ptes_release(&ptes);
				mmap_read_unlock(mm);
				/* The mapping may be gone meanwhile. */
				hint = NULL;
				mmap_read_lock(mm);
			}
			if (!dp_region_sampled(r, sis, &ctx->attrs))
				continue;
			primed = dp_region_primed(r, sis, ctx->primes_from_sis);
			if (prepare) {
				if (!primed)
					dp_va_new_sample(mm, r, &hint, &ptes);
				continue;
			}
			vma = dp_va_vma_of(mm, r->sampling_addr, &hint);
			young = vma && dp_va_young(vma, r->sampling_addr, false,
						   &ptes);
			dp_account_check(r, young, primed, &ctx->attrs);
			max_nr_accesses = max(max_nr_accesses, r->nr_accesses);
			if (dp_region_primes(r)) {
				dp_va_new_sample(mm, r, &hint, &ptes);
				r->primed_sis = sis;
			}
		}
		dp_va_ptes_release(&ptes);
		mmap_read_unlock(mm);
		mmput(mm);
	}
	return max_nr_accesses;
}

static void dp_va_prepare_access_checks(struct dp_ctx *ctx)
{
	dp_va_visit_regions(ctx, true);
}

static unsigned int dp_va_check_accesses(struct dp_ctx *ctx)
{
	return dp_va_visit_regions(ctx, false);
}

static void dp_va_init(struct dp_ctx *ctx)
{
	struct dp_addr_range ranges[3];
	struct dp_target *t;

	dp_for_each_target(t, ctx) {
		/* Ranges the user gave win; a vanished target just idles. */
		if (t->nr_regions || dp_va_ranges_of(t, ranges))
			continue;
		dp_va_set_initial_regions(t, ranges, ctx->attrs.min_nr_regions,
					  ctx->min_region_sz);
	}
}

/*
 * Give what became accessible in a hole between two regions of @t (a new
 * mapping, an mprotect()) a region of its own, ends on multiples of
 * @align.  The caller holds @mm's mmap lock.
 */
static void dp_va_cover_holes(struct mm_struct *mm, struct dp_target *t,
			      unsigned long align)
{
	struct dp_region *r, *next, *newr;
	struct dp_va_extent x;

	dp_for_each_region_safe(r, next, t) {
		if (list_is_last(&r->list, &t->regions_list) ||
		    r->ar.end == next->ar.start)
			continue;
		dp_va_extent_of(mm, r->ar.end, next->ar.start, &x);
		if (x.start == x.end)
			continue;
		newr = dp_new_region(max(r->ar.end, ALIGN_DOWN(x.start, align)),
				     min(next->ar.start, ALIGN(x.end, align)));
		if (!newr)
			return;
		dp_insert_region(newr, r, next, t);
	}
}

/*
 * Follow the address space's layout; regions that stay keep history, and
 * the holes cut out of a range stay out, but for what became accessible
 * in them.
 */
static void dp_va_update(struct dp_ctx *ctx)
{
	struct dp_addr_range ranges[3];
	struct mm_struct *mm;
	struct dp_target *t;

	dp_for_each_target(t, ctx) {
		if (dp_va_ranges_of(t, ranges) ||
		    dp_refit_regions(t, ranges, 3, DP_MIN_REGION))
			continue;
		mm = dp_va_get_mm(t);
		if (!mm)
			continue;
		mmap_read_lock(mm);
		dp_va_cover_holes(mm, t, ctx->min_region_sz);
		mmap_read_unlock(mm);
		mmput(mm);
	}
}

/*
 * A target stays valid while its process can be found by its pid, as
 * upstream's: an exited process that its parent has not reaped yet (a
 * zombie, its address space already released) keeps the kdamond running,
 * with its regions seen as not accessed, until the reap.
 */
static bool dp_va_target_valid(struct dp_target *t)
{
	struct task_struct *task = get_pid_task(t->pid, PIDTYPE_PID);

	if (!task)
		return false;
	put_task_struct(task);
	return true;
}

/* madvise() behaviours of the actions; 0: none (stat). */
static const int dp_va_behaviors[NR_DP_ACTIONS] = {
	[DP_ACT_WILLNEED] = MADV_WILLNEED,
	[DP_ACT_COLD] = MADV_COLD,
	[DP_ACT_PAGEOUT] = MADV_PAGEOUT,
	[DP_ACT_HUGEPAGE] = MADV_HUGEPAGE,
	[DP_ACT_NOHUGEPAGE] = MADV_NOHUGEPAGE,
	[DP_ACT_COLLAPSE] = MADV_COLLAPSE,
};

static int dp_va_huge_pmd(pmd_t *pmd, unsigned long addr, unsigned long next,
			  struct mm_walk *walk)
{
	bool *huge = walk->private;

	/* A racy look is enough: a wrong guess costs one madvise(). */
	*huge = pmd_trans_huge(READ_ONCE(*pmd));
	walk->action = ACTION_CONTINUE;
	return 0;
}

static const struct mm_walk_ops dp_va_huge_ops = {
	.pmd_entry = dp_va_huge_pmd,
};

/* Whether @addr is mapped by a huge page's PMD already. */
static bool dp_va_pmd_mapped(struct mm_struct *mm, unsigned long addr)
{
	bool huge = false;

	dp_va_walk(mm, addr, addr + 1, &dp_va_huge_ops, &huge);
	return huge;
}

/*
 * The nearest huge page frame boundary to @addr: a collapse covers the
 * frames that its range covers for the most part, as region boundaries
 * fall anywhere and a frame split between two hot regions would otherwise
 * never be collapsed.
 */
static unsigned long dp_va_frame_round(unsigned long addr)
{
	return ALIGN_DOWN(addr + HPAGE_PMD_SIZE / 2, HPAGE_PMD_SIZE);
}

/*
 * Frames per MADV_COLLAPSE call: each call drains every CPU's LRU caches
 * first (lru_add_drain_all(), costly with many CPUs or under emulation:
 * frame by frame made collapsing four times slower on 6.1), while a pass
 * may give way to a waiting writer only between calls.
 */
#define DP_VA_COLLAPSE_RUN	8

/*
 * A collapse is no access of the process: the kernel copied the memory and
 * mapped the new huge page accessed.  Left so, the next sample there would
 * count it, a cold region would read as hot because it was collapsed, and
 * the collapse would feed itself through the rest of it.  So the new huge
 * pages of [@start, @end) (all of them new: a run holds no frame that was
 * huge before) are made old, as a sample's preparation does.
 */
static void dp_va_collapsed_mkold(struct mm_struct *mm, unsigned long start,
				  unsigned long end)
{
	struct dp_va_young arg = { .clear = true };

	dp_va_walk(mm, start, end, &dp_va_young_huge_ops, &arg);
}

/*
 * One run of frames, [@start, @end), under a huge page budget of
 * @budget_bp (0: none): cut to the room the budget has left, reserved
 * until the new huge pages are counted.
 *
 * Return: where the run ended, @start if nothing fitted in the budget;
 * *@applied gets the bytes collapsed.
 */
static unsigned long dp_va_collapse_run(struct mm_struct *mm,
					unsigned long start, unsigned long end,
					unsigned long budget_bp,
					unsigned long *applied)
{
	unsigned long room = end - start;

	if (budget_bp) {
		room = dp_huge_reserve(budget_bp, room);
		if (!room)
			return start;
		end = start + room;
	}
	if (!dp_ksyms.do_madvise(mm, start, end - start, MADV_COLLAPSE))
		*applied += end - start;
	/* Also after a failure: some frames may be done. */
	dp_va_collapsed_mkold(mm, start, end);
	if (budget_bp)
		dp_huge_unreserve(room);
	return end;
}

/*
 * Collapse the huge page frames of [@start, @end) that are not huge pages
 * yet, in runs of up to DP_VA_COLLAPSE_RUN of them: collapsing memory that
 * is already collapsed would only spend the quota again and count as work
 * done.  Between runs the pass may yield (the rest is collapsed later).
 * Under a huge page budget (@budget_bp), it stops where the budget does.
 *
 * Return: the bytes newly collapsed.
 */
static unsigned long dp_va_collapse(struct dp_ctx *ctx, struct mm_struct *mm,
				    unsigned long start, unsigned long end,
				    unsigned long budget_bp)
{
	const unsigned long cap = DP_VA_COLLAPSE_RUN * HPAGE_PMD_SIZE;
	unsigned long addr, run = start, applied = 0;
	bool huge = false;

	/* One look per frame; a run ends at a huge frame, its cap or @end. */
	for (addr = start; addr <= end; addr += HPAGE_PMD_SIZE) {
		cond_resched();
		if (dp_walk_should_stop())
			break;
		if (addr < end) {
			huge = dp_va_pmd_mapped(mm, addr);
			if (!huge && addr - run < cap)
				continue;
		}
		if (run < addr) {
			if (dp_apply_should_yield(ctx))
				break;
			if (dp_va_collapse_run(mm, run, addr, budget_bp,
					       &applied) < addr)
				break;
		}
		run = huge ? addr + HPAGE_PMD_SIZE : addr;
	}
	return applied;
}

/*
 * Per-folio filters (anon, memcg, young) for the actions that act page by
 * page (cold, pageout), as upstream's paddr operations apply them: each
 * chunk of the region is walked under the mmap lock, the pages whose folio
 * the filters reject are marked, and madvise() then goes over the runs of
 * unmarked pages.  A page with no folio on an LRU list (not present, the
 * zero page, driver memory) is no folio to judge: it stays in the run,
 * where madvise() leaves it alone anyway.
 */
#define DP_VA_FILTER_CHUNK_PAGES	PTRS_PER_PTE

struct dp_va_filter_walk {
	struct dp_scheme *s;
	bool peek;			/* count only; touch no accessed bit */
	unsigned long passed;		/* bytes the filters let through */
	unsigned long start;		/* of the chunk */
	unsigned long end;		/* of the chunk */
	DECLARE_BITMAP(out, DP_VA_FILTER_CHUNK_PAGES);
	/* For the young filter: where the folio is mapped. */
	struct vm_area_struct *vma;
	struct folio *folio;
	unsigned long addr;
	pte_t *pte;
	pmd_t *pmd;
};

/*
 * Accessed since the last look at this mapping, then made old, as a
 * sample's preparation does (upstream's vaddr young filter does the same
 * through the page table it walks).
 */
static bool dp_va_filter_young(struct dp_folio_probe *probe)
{
	struct dp_va_filter_walk *w = probe->arg;
	struct mm_struct *mm = w->vma->vm_mm;
	unsigned long size = w->pte ? PAGE_SIZE : HPAGE_PMD_SIZE;
	bool young;

	if (w->pte)
		young = dp_ptep_test_and_clear_young(w->vma, w->addr,
						     w->pte);
	else
		young = dp_pmdp_test_and_clear_young(w->vma, w->addr,
						     w->pmd);
	young = young || dp_folio_accessed(w->folio) ||
		dp_mmu_test_young(mm, w->addr);
	if (young) {
		dp_mmu_clear_young(mm, w->addr, w->addr + size);
		dp_folio_mkold(w->folio, true);
	}
	return young;
}

/* The same look, for a count that must leave the accessed state alone. */
static bool dp_va_filter_young_peek(struct dp_folio_probe *probe)
{
	struct dp_va_filter_walk *w = probe->arg;
	bool young;

	if (w->pte)
		young = pte_young(ptep_get(w->pte));
	else
		young = pmd_young(READ_ONCE(*w->pmd));
	return young || dp_folio_accessed(w->folio) ||
		dp_mmu_test_young(w->vma->vm_mm, w->addr);
}

/* Mark [@addr, @addr + @size) of the chunk if the filters reject @pfn's folio. */
static void dp_va_filter_mark(struct dp_va_filter_walk *w, unsigned long addr,
			      unsigned long size, unsigned long pfn)
{
	struct folio *folio = dp_get_lru_folio(pfn);
	struct dp_folio_probe probe = {
		.young = w->peek ? dp_va_filter_young_peek : dp_va_filter_young,
		.arg = w,
	};
	unsigned long first, end;

	if (!folio)
		return;
	dp_folio_probe_fill(&probe, folio);
	w->folio = folio;
	w->addr = addr;
	/*
	 * [first, end): the part of the chunk the mapping covers; a huge
	 * page may reach past a chunk that ends with its range.
	 */
	first = max(addr, w->start);
	end = min(addr + size, w->end);
	if (dp_folio_filter_out(w->s, &probe))
		bitmap_set(w->out, (first - w->start) >> PAGE_SHIFT,
			   (end - first) >> PAGE_SHIFT);
	else
		w->passed += end - first;
	folio_put(folio);
}

static int dp_va_filter_pmd(pmd_t *pmd, unsigned long addr,
			    unsigned long next, struct mm_walk *walk)
{
	struct dp_va_filter_walk *w = walk->private;
	spinlock_t *ptl = pmd_lock(walk->mm, pmd);	/* of this PMD */
	pmd_t pmde = *pmd;

	if (pmd_trans_huge(pmde)) {
		w->vma = walk->vma;
		w->pte = NULL;
		w->pmd = pmd;
		dp_va_filter_mark(w, addr & HPAGE_PMD_MASK, HPAGE_PMD_SIZE,
				  pmd_pfn(pmde));
		walk->action = ACTION_CONTINUE;
	} else if (!pmd_present(pmde) || pmd_leaf(pmde)) {
		/*
		 * No PTE table (a huge page under migration, a DAX page):
		 * nothing to judge, and the generic walker would split the
		 * mapping to walk its PTEs (the walk has a pte_entry).
		 */
		walk->action = ACTION_CONTINUE;
	}
	spin_unlock(ptl);
	return 0;
}

static int dp_va_filter_pte(pte_t *pte, unsigned long addr,
			    unsigned long next, struct mm_walk *walk)
{
	struct dp_va_filter_walk *w = walk->private;
	pte_t ptent = ptep_get(pte);

	if (!pte_present(ptent))
		return 0;
	w->vma = walk->vma;
	w->pte = pte;
	w->pmd = NULL;
	dp_va_filter_mark(w, addr, PAGE_SIZE, pte_pfn(ptent));
	return 0;
}

static const struct mm_walk_ops dp_va_filter_ops = {
	.pmd_entry = dp_va_filter_pmd,
	.pte_entry = dp_va_filter_pte,
};

/*
 * madvise(@behavior) on the pages of [@start, @end) that the per-folio
 * filters of @s allow, chunk by chunk (a pass may yield between chunks,
 * and ends there once the kdamond is asked to stop); what they allow is
 * counted in @passed.  With @peek, only count (a tried region's
 * sz_filter_passed): no yield to a call, no accessed bit touched.
 *
 * Return: the bytes madvise() succeeded on.
 */
static unsigned long dp_va_madvise_filtered(struct dp_ctx *ctx,
					    struct mm_struct *mm,
					    struct dp_scheme *s,
					    unsigned long start,
					    unsigned long end, int behavior,
					    bool peek, unsigned long *passed)
{
	const unsigned long chunk = DP_VA_FILTER_CHUNK_PAGES * PAGE_SIZE;
	struct dp_va_filter_walk w = { .s = s, .peek = peek };
	unsigned long applied = 0, run, nr, bit;

	for (w.start = start; w.start < end; w.start = w.end) {
		if (w.start != start) {
			cond_resched();
			if (dp_walk_should_stop() ||
			    (!peek && dp_apply_should_yield(ctx)))
				break;
		}
		w.end = min(ALIGN(w.start + 1, chunk), end);
		nr = (w.end - w.start) >> PAGE_SHIFT;
		bitmap_zero(w.out, DP_VA_FILTER_CHUNK_PAGES);
		dp_va_walk(mm, w.start, w.end, &dp_va_filter_ops, &w);
		if (!behavior)	/* stat: only counted what passes */
			continue;
		for (bit = find_first_zero_bit(w.out, nr); bit < nr;
		     bit = find_next_zero_bit(w.out, nr, run)) {
			run = find_next_bit(w.out, nr, bit);
			if (!dp_ksyms.do_madvise(mm, w.start + (bit << PAGE_SHIFT),
						 (run - bit) << PAGE_SHIFT,
						 behavior))
				applied += (run - bit) << PAGE_SHIFT;
		}
	}
	*passed += w.passed;
	return applied;
}

/* The actions whose per-folio filters vaddr applies, as its madvise()s do. */
static bool dp_va_filters_apply(const struct dp_scheme *s)
{
	return (s->action == DP_ACT_STAT || s->action == DP_ACT_COLD ||
		s->action == DP_ACT_PAGEOUT) && dp_scheme_has_ops_filters(s);
}

/*
 * What an application of @s to [@start, @end) of @t would let through its
 * per-folio filters, without acting: 0 where vaddr applies none.
 */
static unsigned long dp_va_filter_passed(struct dp_ctx *ctx,
					 struct dp_target *t,
					 unsigned long start, unsigned long end,
					 struct dp_scheme *s)
{
	unsigned long passed = 0;
	struct mm_struct *mm;

	if (!dp_va_filters_apply(s))
		return 0;
	mm = dp_va_get_mm(t);
	if (!mm)
		return 0;
	dp_va_madvise_filtered(ctx, mm, s, PAGE_ALIGN(start), PAGE_ALIGN(end),
			       0, true, &passed);
	mmput(mm);
	return passed;
}

/*
 * An action is madvise() on the target's address space, as process_madvise()
 * does it for another process: do_madvise() takes that mm's lock, and the
 * reference taken here keeps it alive if the process exits meanwhile (the
 * calls then find no VMAs).  Collapsing only ever covers whole huge pages.
 * The per-folio filters act where the action acts page by page (cold,
 * pageout); the others act on the range, or on its VMAs, as upstream's
 * vaddr madvise() actions, which ignore them.
 */
static unsigned long dp_va_apply_scheme(struct dp_ctx *ctx,
					struct dp_target *t,
					struct dp_region *r,
					struct dp_scheme *s)
{
	int behavior = dp_va_behaviors[s->action];
	unsigned long start = PAGE_ALIGN(r->ar.start);
	unsigned long end = PAGE_ALIGN(r->ar.end);
	unsigned long applied;
	struct mm_struct *mm;

	if (!dp_has_feature(DP_FEAT_MADVISE))
		return 0;
	/* stat only counts what its per-folio filters let through. */
	if (!behavior && !(s->action == DP_ACT_STAT &&
			   dp_scheme_has_ops_filters(s)))
		return 0;
	if (behavior == MADV_COLLAPSE) {
		start = dp_va_frame_round(start);
		end = dp_va_frame_round(end);
		if (start >= end)
			return 0;
	}
	mm = dp_va_get_mm(t);
	if (!mm)
		return 0;
	if (behavior == MADV_COLLAPSE)
		applied = dp_va_collapse(ctx, mm, start, end,
					 dp_scheme_huge_budget(s));
	else if (dp_va_filters_apply(s))
		applied = dp_va_madvise_filtered(ctx, mm, s, start, end,
						 behavior, false,
						 &s->sz_filter_passed);
	else
		applied = dp_ksyms.do_madvise(mm, start, end - start,
					      behavior) ? 0 : end - start;
	mmput(mm);
	return applied;
}

/*
 * The actions upstream's vaddr operations carry out, and collapse, all
 * through madvise(); the others are refused rather than silently never
 * applied.
 */
static int dp_va_scheme_valid(const struct dp_scheme *s)
{
	if (s->action == DP_ACT_STAT)
		return 0;
	if (!dp_va_behaviors[s->action]) {
		pr_warn_ratelimited("scheme action %d: not one of the vaddr operations' (stat, willneed, cold, pageout, hugepage, nohugepage, collapse)\n",
				    s->action);
		return -EOPNOTSUPP;
	}
	if (!dp_has_feature(DP_FEAT_MADVISE)) {
		pr_warn_ratelimited("scheme action %d: needs madvise() on another process, which this kernel does not let us call (feature madvise)\n",
				    s->action);
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * Whether every huge page frame that a collapse of @r would cover
 * (dp_va_apply_scheme()) is mapped by a huge page already.
 */
static bool dp_va_collapsed(struct dp_target *t, const struct dp_region *r)
{
	unsigned long start = dp_va_frame_round(r->ar.start);
	unsigned long end = dp_va_frame_round(r->ar.end);
	struct mm_struct *mm = dp_va_get_mm(t);
	bool collapsed = true;
	unsigned long addr;
	pmd_t *pmd;

	if (!mm)
		return false;
	mmap_read_lock(mm);
	for (addr = start; addr < end && collapsed; addr += HPAGE_PMD_SIZE) {
		pmd = dp_va_pmd_of(mm, addr);
		/* A racy look: a wrong guess only ranks the region once. */
		collapsed = pmd && pmd_trans_huge(READ_ONCE(*pmd));
	}
	mmap_read_unlock(mm);
	mmput(mm);
	return collapsed;
}

/*
 * Reclaiming actions want the coldest regions first, others the hottest;
 * but a collapse has nothing to do where every frame is a huge page
 * already, which reads hotter than any other memory (one accessed bit for
 * a whole frame): ranked first, it would take a small quota every time,
 * and the supervisor, after its first collapse, would try that memory
 * alone for ever.  It ranks last.
 */
static int dp_va_scheme_score(struct dp_ctx *ctx, struct dp_target *t,
			      struct dp_region *r, struct dp_scheme *s)
{
	if (s->action == DP_ACT_PAGEOUT || s->action == DP_ACT_COLD)
		return dp_cold_score(ctx, r, s);
	if (s->action == DP_ACT_COLLAPSE && dp_va_collapsed(t, r))
		return 0;
	return dp_hot_score(ctx, r, s);
}

/**
 * dp_va_ops() - the vaddr operations.
 * @ops:	filled in.
 *
 * Return: 0, or -EOPNOTSUPP when the kernel functions they need could not
 * be resolved at load time.
 */
int dp_va_ops(struct dp_operations *ops)
{
	if (!dp_has_feature(DP_FEAT_VADDR))
		return -EOPNOTSUPP;
	*ops = (struct dp_operations){
		.init = dp_va_init,
		.update = dp_va_update,
		.prepare_access_checks = dp_va_prepare_access_checks,
		.check_accesses = dp_va_check_accesses,
		.target_valid = dp_va_target_valid,
		.apply_scheme = dp_va_apply_scheme,
		.filter_passed = dp_va_filter_passed,
		.get_scheme_score = dp_va_scheme_score,
		.scheme_valid = dp_va_scheme_valid,
		.adjust_regions = dp_va_adjust_regions,
	};
	return 0;
}

/**
 * dp_fva_ops() - the fvaddr operations: vaddr's access checks over fixed,
 * user-given ranges, which neither the start nor the ops update change.
 * @ops:	filled in.
 *
 * Return: 0, or -EOPNOTSUPP as dp_va_ops().
 */
int dp_fva_ops(struct dp_operations *ops)
{
	int err = dp_va_ops(ops);

	if (err)
		return err;
	ops->init = NULL;
	ops->update = NULL;
	/* The user's ranges are kept whole; samples still avoid holes. */
	ops->adjust_regions = NULL;
	return 0;
}

#ifdef DAMON_PAUSE_KUNIT
#include "ops-vaddr-kunit.h"
#endif

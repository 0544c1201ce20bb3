/* SPDX-License-Identifier: GPL-2.0 */
/* KUnit suite for src/ops-vaddr.c: regions from an address space layout. */
#ifndef _DAMON_PAUSE_OPS_VADDR_KUNIT_H
#define _DAMON_PAUSE_OPS_VADDR_KUNIT_H

#include <kunit/test.h>
#include "dp-kunit.h"
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/uaccess.h>

#define PG(n)	((unsigned long)(n) * PAGE_SIZE)

/* A process: text, heap, a big gap, libraries, a bigger gap, stack. */
static const struct dp_addr_range dp_test_mappings[] = {
	{ PG(10), PG(20) },		/* text */
	{ PG(22), PG(30) },		/* heap, after a 2-page gap */
	{ PG(1000), PG(1010) },		/* libs, after a 970-page gap */
	{ PG(1012), PG(1020) },
	{ PG(90000), PG(90004) },	/* stack, after the biggest gap */
};

static void dp_test_va_layout(struct dp_va_layout *layout)
{
	int i;

	memset(layout, 0, sizeof(*layout));
	for (i = 0; i < ARRAY_SIZE(dp_test_mappings); i++)
		dp_va_layout_add(layout, dp_test_mappings[i].start,
				 dp_test_mappings[i].end);
}

static void dp_test_va_three_ranges(struct kunit *test)
{
	struct dp_addr_range ranges[3];
	struct dp_va_layout layout;

	dp_test_va_layout(&layout);
	KUNIT_EXPECT_EQ(test, layout.nr_mappings, 5U);
	KUNIT_ASSERT_EQ(test, dp_va_layout_ranges(&layout, ranges), 0);
	/* Cut at the two biggest gaps only; the small ones stay inside. */
	KUNIT_EXPECT_EQ(test, ranges[0].start, PG(10));
	KUNIT_EXPECT_EQ(test, ranges[0].end, PG(30));
	KUNIT_EXPECT_EQ(test, ranges[1].start, PG(1000));
	KUNIT_EXPECT_EQ(test, ranges[1].end, PG(1020));
	KUNIT_EXPECT_EQ(test, ranges[2].start, PG(90000));
	KUNIT_EXPECT_EQ(test, ranges[2].end, PG(90004));
}

/* Fewer than three mappings apart: nothing sensible to cut. */
static void dp_test_va_too_few_gaps(struct kunit *test)
{
	struct dp_addr_range ranges[3];
	struct dp_va_layout layout = {};

	dp_va_layout_add(&layout, PG(1), PG(2));
	KUNIT_EXPECT_EQ(test, dp_va_layout_ranges(&layout, ranges), -EINVAL);
	dp_va_layout_add(&layout, PG(5), PG(6));
	KUNIT_EXPECT_EQ(test, dp_va_layout_ranges(&layout, ranges), -EINVAL);
	dp_va_layout_add(&layout, PG(9), PG(10));
	KUNIT_EXPECT_EQ(test, dp_va_layout_ranges(&layout, ranges), 0);
}

/* At least min_nr_regions pieces, covering exactly the three ranges. */
static void dp_test_va_initial_regions(struct kunit *test)
{
	struct dp_addr_range ranges[3];
	struct dp_va_layout layout;
	struct dp_region *r;
	struct dp_target t;
	unsigned long sum = 0;
	int i = 0;

	dp_test_va_layout(&layout);
	KUNIT_ASSERT_EQ(test, dp_va_layout_ranges(&layout, ranges), 0);
	memset(&t, 0, sizeof(t));
	INIT_LIST_HEAD(&t.regions_list);
	KUNIT_ASSERT_EQ(test, dp_va_set_initial_regions(&t, ranges, 10, PAGE_SIZE), 0);
	KUNIT_EXPECT_GE(test, t.nr_regions, 10U);
	dp_for_each_region(r, &t) {
		KUNIT_EXPECT_LT(test, r->ar.start, r->ar.end);
		KUNIT_EXPECT_EQ(test, r->ar.start % PAGE_SIZE, 0UL);
		sum += dp_sz_region(r);
	}
	KUNIT_EXPECT_EQ(test, sum, PG(20 + 20 + 4));
	/* Each range starts a region and ends one. */
	dp_for_each_region(r, &t) {
		if (r->ar.start == ranges[i].start)
			i++;
		if (i == 3)
			break;
	}
	KUNIT_EXPECT_EQ(test, i, 3);
	KUNIT_EXPECT_EQ(test, dp_last_region(&t)->ar.end, PG(90004));
	dp_destroy_regions(&t);
}

/*
 * A sample is drawn from all of a region, however large: over 2^32 pages
 * (16 TiB) too (issue 25, item 11).
 */
static void dp_test_va_random_page(struct kunit *test)
{
	unsigned long end = 1UL << 46, part = 1UL << 44, addr, past = 0;
	int i;

	/* A size known at run time only, as a region's is. */
	OPTIMIZER_HIDE_VAR(end);
	for (i = 0; i < 256; i++) {
		addr = dp_va_random_page(0, end);
		KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(addr));
		KUNIT_EXPECT_LT(test, addr, end);
		past += addr >= part;
	}
	/* 3/4 of the region lies past 16 TiB: none of 256, 2^-512. */
	KUNIT_EXPECT_GT(test, past, 0UL);
	for (i = 0; i < 64; i++) {
		addr = dp_va_random_page(PG(10), PG(12));
		KUNIT_EXPECT_TRUE(test, addr == PG(10) || addr == PG(11));
	}
}

/*
 * The process that loads the module (suite_init runs in its context, the
 * cases in kthreads): a real address space to look at, whose owner sleeps
 * in init_module() meanwhile and touches nothing.
 */
static struct pid *dp_test_va_pid;

static int dp_test_va_suite_init(struct kunit_suite *suite)
{
	dp_test_va_pid = get_task_pid(current, PIDTYPE_PID);
	return 0;
}

static void dp_test_va_suite_exit(struct kunit_suite *suite)
{
	put_pid(dp_test_va_pid);
}

static struct mm_struct *dp_test_va_mm(struct kunit *test,
				       struct dp_target *t)
{
	struct mm_struct *mm;

	memset(t, 0, sizeof(*t));
	INIT_LIST_HEAD(&t->regions_list);
	t->pid = dp_test_va_pid;
	mm = dp_va_get_mm(t);
	if (!mm)
		kunit_skip(test, "the loading process has no address space");
	if (!dp_has_feature(DP_FEAT_VADDR)) {
		mmput(mm);
		kunit_skip(test, "vaddr symbols not resolved");
	}
	return mm;
}

/* The ranges of a real process hold its code and its stack. */
static void dp_test_va_ranges_of_process(struct kunit *test)
{
	struct dp_addr_range ranges[3];
	struct dp_target t;
	struct mm_struct *mm = dp_test_va_mm(test, &t);
	unsigned long stack = mm->start_stack, code = mm->start_code;
	int i, in_range = 0;

	mmput(mm);
	KUNIT_ASSERT_EQ(test, dp_va_ranges_of(&t, ranges), 0);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_LT(test, ranges[i].start, ranges[i].end);
		if (i)
			KUNIT_EXPECT_LT(test, ranges[i - 1].end,
					ranges[i].start);
		if (ranges[i].start <= stack && stack < ranges[i].end)
			in_range++;
	}
	KUNIT_EXPECT_EQ(test, in_range, 1);
	KUNIT_EXPECT_LE(test, ranges[0].start, code);
	KUNIT_EXPECT_GT(test, ranges[0].end, code);
}

/* Reads the byte at @addr through the user mapping, setting its A bit. */
static void dp_test_va_touch(struct kunit *test, struct mm_struct *mm,
			     unsigned long addr)
{
	char c __maybe_unused;

	kthread_use_mm(mm);
	KUNIT_EXPECT_EQ(test, get_user(c, (char __user *)addr), 0);
	kthread_unuse_mm(mm);
}

/*
 * dp_va_young() of @addr's mapping, under the mmap lock that a sampling
 * pass holds; not accessed where nothing maps @addr.
 */
static bool dp_test_va_young(struct mm_struct *mm, unsigned long addr,
			     bool clear)
{
	struct dp_va_ptes ptes = { .pte = NULL };
	struct vm_area_struct *hint = NULL, *vma;
	bool young;

	mmap_read_lock(mm);
	vma = dp_va_vma_of(mm, addr, &hint);
	young = vma && dp_va_young(vma, addr, clear, &ptes);
	dp_va_ptes_release(&ptes);
	mmap_read_unlock(mm);
	return young;
}

/* Test-and-clear of the accessed bit, as a real access sets it. */
static void dp_test_va_accessed_bit(struct kunit *test)
{
	struct dp_target t;
	struct mm_struct *mm = dp_test_va_mm(test, &t);
	unsigned long addr = mm->start_stack & PAGE_MASK;

	dp_test_va_young(mm, addr, true);
	KUNIT_EXPECT_FALSE(test, dp_test_va_young(mm, addr, true));
	KUNIT_EXPECT_FALSE(test, dp_test_va_young(mm, addr, false));
	dp_test_va_touch(test, mm, addr);
	KUNIT_EXPECT_TRUE(test, dp_test_va_young(mm, addr, false));
	KUNIT_EXPECT_TRUE(test, dp_test_va_young(mm, addr, true));
	KUNIT_EXPECT_FALSE(test, dp_test_va_young(mm, addr, false));
	mmput(mm);
}

/*
 * @nr huge page frames in a new mapping of three (*@base) of the loading
 * process, whose mm the caller uses: given @advice, then written page by
 * page.
 *
 * Return: the first frame, or 0 (and nothing is left mapped).
 */
static unsigned long dp_test_va_written_frames(struct mm_struct *mm,
					       unsigned long *base,
					       unsigned int nr, int advice)
{
	unsigned long frame, addr;

	*base = vm_mmap(NULL, 0, 3 * HPAGE_PMD_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(*base))
		return 0;
	frame = ALIGN(*base, HPAGE_PMD_SIZE);
	if (dp_ksyms.do_madvise(mm, frame, nr * HPAGE_PMD_SIZE, advice))
		goto fail;
	for (addr = frame; addr < frame + nr * HPAGE_PMD_SIZE; addr += PAGE_SIZE)
		if (put_user(1, (char __user *)addr))
			goto fail;
	return frame;
fail:
	vm_munmap(*base, 3 * HPAGE_PMD_SIZE);
	return 0;
}

/*
 * A huge page frame of small pages, all written, in the loading process:
 * MADV_NOHUGEPAGE while they are written, so that neither a fault nor
 * khugepaged makes a huge page of them whatever the THP mode, then
 * MADV_HUGEPAGE, which MADV_COLLAPSE needs after that.
 *
 * Return: the frame's start, or 0 (and the mapping is gone).
 */
static unsigned long dp_test_va_small_frame(struct mm_struct *mm,
					    unsigned long *base)
{
	unsigned long frame;

	kthread_use_mm(mm);
	frame = dp_test_va_written_frames(mm, base, 1, MADV_NOHUGEPAGE);
	if (frame &&
	    dp_ksyms.do_madvise(mm, frame, HPAGE_PMD_SIZE, MADV_HUGEPAGE)) {
		vm_munmap(*base, 3 * HPAGE_PMD_SIZE);
		frame = 0;
	}
	kthread_unuse_mm(mm);
	return frame;
}

/* Unmaps dp_test_va_small_frame()'s mapping at @base; drops @mm. */
static void dp_test_va_unmap(struct mm_struct *mm, unsigned long base)
{
	kthread_use_mm(mm);
	vm_munmap(base, 3 * HPAGE_PMD_SIZE);
	kthread_unuse_mm(mm);
	mmput(mm);
}

/*
 * The checks of a pass share the PTE table they fall in: each entry read
 * through the table held keeps its own accessed bit, the table is mapped
 * again after DP_VA_PTES_USES checks, and an address in another table
 * lets it go.
 */
static void dp_test_va_ptes_held(struct kunit *test)
{
	struct dp_va_ptes ptes = { .pte = NULL };
	struct vm_area_struct *hint = NULL, *vma;
	unsigned long base, frame, addr;
	struct mm_struct *mm;
	struct dp_target t;
	int i;

	mm = dp_test_va_mm(test, &t);
	frame = dp_test_va_small_frame(mm, &base);
	if (!frame) {
		mmput(mm);
		kunit_skip(test, "no huge page frame of small pages");
	}
	kthread_use_mm(mm);
	dp_ksyms.do_madvise(mm, frame, HPAGE_PMD_SIZE, MADV_NOHUGEPAGE);
	kthread_unuse_mm(mm);
	if (dp_va_pmd_mapped(mm, frame)) {
		dp_test_va_unmap(mm, base);
		kunit_skip(test, "khugepaged collapsed the frame first");
	}

	mmap_read_lock(mm);
	vma = dp_va_vma_of(mm, frame, &hint);
	KUNIT_ASSERT_NOT_NULL(test, vma);
	for (i = 0; i < 3; i++)
		dp_va_young(vma, frame + i * PAGE_SIZE, true, &ptes);
	KUNIT_EXPECT_EQ(test, ptes.uses, 3U);
	KUNIT_EXPECT_EQ(test, ptes.start, frame);
	dp_va_ptes_release(&ptes);
	mmap_read_unlock(mm);

	dp_test_va_touch(test, mm, frame + PAGE_SIZE);
	mmap_read_lock(mm);
	KUNIT_EXPECT_FALSE(test, dp_va_young(vma, frame, false, &ptes));
	KUNIT_EXPECT_TRUE(test, dp_va_young(vma, frame + PAGE_SIZE, false,
					    &ptes));
	KUNIT_EXPECT_FALSE(test, dp_va_young(vma, frame + 2 * PAGE_SIZE,
					     false, &ptes));
	KUNIT_EXPECT_EQ(test, ptes.uses, 3U);
	for (i = 3; i < DP_VA_PTES_USES + 8; i++)
		dp_va_young(vma, frame + i * PAGE_SIZE, false, &ptes);
	KUNIT_EXPECT_EQ(test, ptes.uses, 8U);
	addr = frame + HPAGE_PMD_SIZE;
	vma = dp_va_vma_of(mm, addr, &hint);
	KUNIT_ASSERT_NOT_NULL(test, vma);
	dp_va_young(vma, addr, false, &ptes);
	KUNIT_EXPECT_TRUE(test, !ptes.pte || ptes.start == addr);
	dp_va_ptes_release(&ptes);
	KUNIT_EXPECT_NULL(test, ptes.pte);
	mmap_read_unlock(mm);
	dp_test_va_unmap(mm, base);
}

/*
 * A collapse is no access: the new huge page reads as not accessed, until
 * the process touches it.
 */
static void dp_test_va_collapse_not_access(struct kunit *test)
{
	/* On the heap: a context is too big for a debug kernel's stack. */
	struct dp_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	unsigned long base, frame, collapsed = 0;
	struct dp_scheme *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct mm_struct *mm;
	struct dp_target t;
	struct dp_region r;
	const char *why = NULL;
	bool failed = false;

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_ASSERT_NOT_NULL(test, s);
	s->action = DP_ACT_COLLAPSE;
	ctx->apply_yield_after_ns = U64_MAX;	/* never yield */
	if (!dp_has_feature(DP_FEAT_MADVISE))
		kunit_skip(test, "do_madvise() not resolved");
	mm = dp_test_va_mm(test, &t);
	frame = dp_test_va_small_frame(mm, &base);
	if (!frame) {
		mmput(mm);
		kunit_skip(test, "no huge page frame of small pages");
	}
	r = (struct dp_region){ .ar = { frame, frame + HPAGE_PMD_SIZE } };
	/* khugepaged may come first, once MADV_HUGEPAGE told it. */
	if (dp_va_pmd_mapped(mm, frame)) {
		why = "khugepaged collapsed the frame first";
	} else {
		KUNIT_EXPECT_FALSE(test, dp_va_collapsed(&t, &r));
		/* A budget of 1 bp has no room for one more huge page. */
		KUNIT_EXPECT_EQ(test, dp_va_collapse(ctx, mm, frame,
						     frame + HPAGE_PMD_SIZE,
						     1), 0UL);
		KUNIT_EXPECT_FALSE(test, dp_va_pmd_mapped(mm, frame));
		collapsed = dp_va_collapse(ctx, mm, frame,
					   frame + HPAGE_PMD_SIZE, 0);
	}
	/*
	 * No huge page: the kernel's own MADV_COLLAPSE, asked directly, tells
	 * a frame the kernel cannot collapse here (a skip) from a
	 * dp_va_collapse() that did not do what it could (a failure).
	 */
	if (!why && !(collapsed && dp_va_pmd_mapped(mm, frame))) {
		if (!dp_ksyms.do_madvise(mm, frame, HPAGE_PMD_SIZE,
					 MADV_COLLAPSE) &&
		    dp_va_pmd_mapped(mm, frame)) {
			KUNIT_FAIL(test,
				   "dp_va_collapse() made no huge page (%lu bytes), MADV_COLLAPSE alone did",
				   collapsed);
			failed = true;
		} else {
			why = "MADV_COLLAPSE makes no huge page here";
		}
	}
	if (!why && !failed) {
		KUNIT_EXPECT_EQ(test, collapsed, HPAGE_PMD_SIZE);
		/* Nothing left to collapse: last for a collapse's quota. */
		KUNIT_EXPECT_TRUE(test, dp_va_collapsed(&t, &r));
		KUNIT_EXPECT_EQ(test, dp_va_scheme_score(ctx, &t, &r, s), 0);
		KUNIT_EXPECT_FALSE(test, dp_test_va_young(mm, frame, false));
		KUNIT_EXPECT_FALSE(test,
				   dp_test_va_young(mm, frame + PAGE_SIZE,
						    false));
		dp_test_va_touch(test, mm, frame + PAGE_SIZE);
		KUNIT_EXPECT_TRUE(test, dp_test_va_young(mm, frame, false));
	}
	kthread_use_mm(mm);
	vm_munmap(base, 3 * HPAGE_PMD_SIZE);
	kthread_unuse_mm(mm);
	mmput(mm);
	if (why)
		kunit_skip(test, "%s", why);
}

/*
 * A context over the loading process, with the given operations and, if
 * @range, that one range; stopped and freed when the test ends, however.
 */
static struct dp_ctx *dp_test_va_new_ctx(struct kunit *test,
					 int (*ops)(struct dp_operations *),
					 const struct dp_addr_range *range)
{
	struct dp_target tmp, *t;
	struct dp_ctx *ctx;

	mmput(dp_test_va_mm(test, &tmp));
	ctx = dp_kunit_new_ctx(test);
	t = dp_kunit_add_target(test, ctx, range, range ? 1 : 0);
	t->pid = get_pid(dp_test_va_pid);
	KUNIT_ASSERT_EQ(test, ops(&ctx->ops), 0);
	ctx->attrs.sample_interval = 1000;
	ctx->attrs.aggr_interval = 20000;
	ctx->attrs.ops_update_interval = 20000;
	return ctx;
}

struct dp_test_va_peek {
	struct dp_ctx *ctx;
	struct dp_region first;
};

/* On the kdamond: the number of regions, and a copy of the first. */
static int dp_test_va_peek_regions(void *data)
{
	struct dp_test_va_peek *peek = data;
	struct dp_target *t = list_first_entry(&peek->ctx->targets,
					       struct dp_target, list);

	if (t->nr_regions)
		peek->first = *dp_first_region(t);
	return t->nr_regions;
}

static int dp_test_va_peek(struct kunit *test, struct dp_ctx *ctx,
			   struct dp_test_va_peek *peek)
{
	struct dp_call_control control = {
		.fn = dp_test_va_peek_regions, .data = peek,
	};

	peek->ctx = ctx;
	KUNIT_EXPECT_EQ(test, dp_call(ctx, &control), 0);
	return control.return_code;
}

/* The vaddr operations drive a kdamond over a real process. */
static void dp_test_va_monitors_process(struct kunit *test)
{
	struct dp_ctx *ctx = dp_test_va_new_ctx(test, dp_va_ops, NULL);
	struct dp_test_va_peek peek;

	KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test_va"), 0);
	msleep(300);
	KUNIT_EXPECT_GE(test, dp_test_va_peek(test, ctx, &peek), 3);
	KUNIT_EXPECT_EQ(test, dp_stop(ctx), 0);
	KUNIT_EXPECT_GT(test, ctx->nr_aggregations, 0UL);
}

/* fvaddr keeps to the ranges it is given: one stack page stays one. */
static void dp_test_fva_keeps_ranges(struct kunit *test)
{
	struct dp_target tmp;
	struct mm_struct *mm = dp_test_va_mm(test, &tmp);
	struct dp_addr_range range = {
		.start = mm->start_stack & PAGE_MASK,
		.end = (mm->start_stack & PAGE_MASK) + PAGE_SIZE,
	};
	struct dp_test_va_peek peek;
	struct dp_ctx *ctx;

	mmput(mm);
	ctx = dp_test_va_new_ctx(test, dp_fva_ops, &range);
	KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test_fva"), 0);
	msleep(200);
	KUNIT_EXPECT_EQ(test, dp_test_va_peek(test, ctx, &peek), 1);
	KUNIT_EXPECT_EQ(test, peek.first.ar.start, range.start);
	KUNIT_EXPECT_EQ(test, peek.first.ar.end, range.end);
	KUNIT_EXPECT_EQ(test, dp_stop(ctx), 0);
}

#define VA_PG(n) (base + (n) * PAGE_SIZE)

/*
 * In the loading process, 8 pages of PROT_NONE with two read-write
 * mappings in them: pages [0, 2) and [5, 7).  Return: the first page, or
 * 0 (nothing left mapped).
 */
static unsigned long dp_test_va_holey(struct mm_struct *mm)
{
	unsigned long base, a, b;

	kthread_use_mm(mm);
	base = vm_mmap(NULL, 0, 8 * PAGE_SIZE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(base)) {
		base = 0;
		goto out;
	}
	a = vm_mmap(NULL, VA_PG(0), 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
	b = vm_mmap(NULL, VA_PG(5), 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
	if (a != VA_PG(0) || b != VA_PG(5)) {
		vm_munmap(base, 8 * PAGE_SIZE);
		base = 0;
	}
out:
	kthread_unuse_mm(mm);
	return base;
}

/*
 * Samples are drawn from accessible pages only; a region's ends move off
 * holes, and with a cut allowed it loses its inner hole; a region with
 * nothing accessible stays.
 */
static void dp_test_va_follows_holes(struct kunit *test)
{
	struct dp_target t;
	struct mm_struct *mm = dp_test_va_mm(test, &t);
	unsigned long base = dp_test_va_holey(mm), addr;
	struct dp_region *r, *r2;
	unsigned int nr_cuts = 0, i, in_second = 0;

	if (!base) {
		mmput(mm);
		kunit_skip(test, "could not map");
	}
	r = dp_new_region(VA_PG(0), VA_PG(8));
	r2 = dp_new_region(VA_PG(2), VA_PG(5));
	if (!r || !r2) {
		kfree(r);
		kfree(r2);
		goto out;
	}
	mmap_read_lock(mm);
	for (i = 0; i < 64; i++) {
		struct vm_area_struct *hint = NULL;

		/* With and without the last mapping as a hint. */
		addr = dp_va_sampling_addr(mm, r, &hint);
		if (i % 2)
			addr = dp_va_sampling_addr(mm, r, &hint);
		KUNIT_EXPECT_TRUE(test, addr < VA_PG(2) ||
				  (addr >= VA_PG(5) && addr < VA_PG(7)));
		in_second += addr >= VA_PG(5);
	}
	/* Both mappings are drawn from: 64 draws all in one, 2^-63. */
	KUNIT_EXPECT_GT(test, in_second, 0U);
	KUNIT_EXPECT_LT(test, in_second, 64U);

	dp_add_region(r, &t);
	dp_va_adjust_region(mm, &t, r, PAGE_SIZE, &nr_cuts);
	KUNIT_EXPECT_EQ(test, r->ar.start, VA_PG(0));
	KUNIT_EXPECT_EQ(test, r->ar.end, VA_PG(7));
	KUNIT_EXPECT_EQ(test, t.nr_regions, 1U);
	nr_cuts = 1;
	dp_va_adjust_region(mm, &t, r, PAGE_SIZE, &nr_cuts);
	KUNIT_EXPECT_EQ(test, nr_cuts, 0U);
	KUNIT_ASSERT_EQ(test, t.nr_regions, 2U);
	KUNIT_EXPECT_EQ(test, r->ar.end, VA_PG(2));
	KUNIT_EXPECT_EQ(test, dp_last_region(&t)->ar.start, VA_PG(5));
	KUNIT_EXPECT_EQ(test, dp_last_region(&t)->ar.end, VA_PG(7));

	/* Nothing accessible in the hole between the two: nothing to cover. */
	dp_va_cover_holes(mm, &t, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, t.nr_regions, 2U);

	dp_add_region(r2, &t);
	nr_cuts = 1;
	dp_va_adjust_region(mm, &t, r2, PAGE_SIZE, &nr_cuts);
	KUNIT_EXPECT_EQ(test, r2->ar.start, VA_PG(2));
	KUNIT_EXPECT_EQ(test, r2->ar.end, VA_PG(5));
	KUNIT_EXPECT_EQ(test, nr_cuts, 1U);
	dp_destroy_region(r2, &t);
	mmap_read_unlock(mm);

	/* A mapping made in the hole gets a region at the next update. */
	kthread_use_mm(mm);
	addr = vm_mmap(NULL, VA_PG(3), PAGE_SIZE, PROT_READ,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
	kthread_unuse_mm(mm);
	KUNIT_EXPECT_EQ(test, addr, VA_PG(3));
	mmap_read_lock(mm);
	dp_va_cover_holes(mm, &t, PAGE_SIZE);
	mmap_read_unlock(mm);
	KUNIT_ASSERT_EQ(test, t.nr_regions, 3U);
	r2 = dp_next_region(dp_first_region(&t));
	KUNIT_EXPECT_EQ(test, r2->ar.start, VA_PG(3));
	KUNIT_EXPECT_EQ(test, r2->ar.end, VA_PG(4));
	dp_destroy_regions(&t);
out:
	kthread_use_mm(mm);
	vm_munmap(base, 8 * PAGE_SIZE);
	kthread_unuse_mm(mm);
	mmput(mm);
}

#undef VA_PG

/* Whether the per-folio filters of @s reject the page at @addr. */
static bool dp_test_va_filtered(struct mm_struct *mm, struct dp_scheme *s,
				unsigned long addr)
{
	struct dp_va_filter_walk w = {
		.s = s, .start = addr, .end = addr + PAGE_SIZE,
	};

	dp_va_walk(mm, addr, addr + PAGE_SIZE, &dp_va_filter_ops, &w);
	return test_bit(0, w.out);
}

/*
 * The per-folio filters on a real folio of a process: its stack page, an
 * anonymous one; a young filter clears what it saw, so the next look at
 * an untouched page finds it old.
 */
static void dp_test_va_folio_filters(struct kunit *test)
{
	struct dp_target t;
	struct mm_struct *mm = dp_test_va_mm(test, &t);
	unsigned long addr = mm->start_stack & PAGE_MASK;
	struct dp_scheme *s = dp_new_scheme();
	struct dp_filter *f = dp_new_filter(DP_FILTER_ANON);

	if (!s || !f) {
		kfree(f);
		kfree(s);
		mmput(mm);
		kunit_skip(test, "out of memory");
	}
	list_add_tail(&f->list, &s->filters);
	dp_test_va_touch(test, mm, addr);
	/* Reject anon: rejected; reject non-anon: allowed. */
	KUNIT_EXPECT_TRUE(test, dp_test_va_filtered(mm, s, addr));
	f->matching = false;
	KUNIT_EXPECT_FALSE(test, dp_test_va_filtered(mm, s, addr));

	/*
	 * Reject young: touched, then old (a second touch would not show:
	 * the bit is cleared without a TLB flush, as upstream's).
	 */
	f->type = DP_FILTER_YOUNG;
	f->matching = true;
	KUNIT_EXPECT_TRUE(test, dp_test_va_filtered(mm, s, addr));
	KUNIT_EXPECT_FALSE(test, dp_test_va_filtered(mm, s, addr));
	dp_destroy_scheme(s);
	mmput(mm);
}

static bool dp_test_va_two_huge(struct mm_struct *mm, unsigned long frame)
{
	return dp_va_pmd_mapped(mm, frame) &&
	       dp_va_pmd_mapped(mm, frame + HPAGE_PMD_SIZE);
}

/*
 * Two huge pages, [frame, frame + 4 MiB), in the loading process: written
 * page by page after MADV_HUGEPAGE, collapsed if the faults made none.
 *
 * Return: the first frame, or 0 (and nothing is left mapped).
 */
static unsigned long dp_test_va_huge_frames(struct mm_struct *mm,
					    unsigned long *base)
{
	unsigned long frame;

	kthread_use_mm(mm);
	frame = dp_test_va_written_frames(mm, base, 2, MADV_HUGEPAGE);
	if (frame && !dp_test_va_two_huge(mm, frame))
		dp_ksyms.do_madvise(mm, frame, 2 * HPAGE_PMD_SIZE,
				    MADV_COLLAPSE);
	if (frame && !dp_test_va_two_huge(mm, frame)) {
		vm_munmap(*base, 3 * HPAGE_PMD_SIZE);
		frame = 0;
	}
	kthread_unuse_mm(mm);
	return frame;
}

/*
 * What a per-folio filter lets through is what the range holds of each
 * huge page, not the whole huge page: a range that ends (or starts) inside
 * one counts only its own part of it (issue 25, item 6).
 */
static void dp_test_va_filter_passed_huge_end(struct kunit *test)
{
	struct dp_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	const unsigned long mb = 1UL << 20;
	struct dp_scheme *s = dp_new_scheme();
	struct dp_filter *f = dp_new_filter(DP_FILTER_ANON);
	unsigned long base, frame;
	struct mm_struct *mm;
	struct dp_target t;

	if (!ctx || !s || !f) {
		kfree(f);
		if (s)
			dp_destroy_scheme(s);
		kunit_skip(test, "out of memory");
	}
	/* Allow anon, stat: every byte of the anonymous area passes. */
	f->allow = true;
	list_add_tail(&f->list, &s->filters);
	s->action = DP_ACT_STAT;
	if (!dp_has_feature(DP_FEAT_MADVISE)) {
		dp_destroy_scheme(s);
		kunit_skip(test, "do_madvise() not resolved");
	}
	mm = dp_test_va_mm(test, &t);
	frame = dp_test_va_huge_frames(mm, &base);
	if (!frame) {
		mmput(mm);
		dp_destroy_scheme(s);
		kunit_skip(test, "no two huge pages to look at");
	}
	KUNIT_EXPECT_EQ(test, dp_va_filter_passed(ctx, &t, frame,
						  frame + 4 * mb, s), 4 * mb);
	KUNIT_EXPECT_EQ(test, dp_va_filter_passed(ctx, &t, frame,
						  frame + 3 * mb, s), 3 * mb);
	KUNIT_EXPECT_EQ(test, dp_va_filter_passed(ctx, &t, frame + mb,
						  frame + 3 * mb, s), 2 * mb);
	KUNIT_EXPECT_EQ(test, dp_va_filter_passed(ctx, &t, frame + 3 * mb,
						  frame + 3 * mb + PAGE_SIZE,
						  s), PAGE_SIZE);
	kthread_use_mm(mm);
	vm_munmap(base, 3 * HPAGE_PMD_SIZE);
	kthread_unuse_mm(mm);
	mmput(mm);
	dp_destroy_scheme(s);
}

/* The actions vaddr carries out: madvise() ones, if it can call it. */
static void dp_test_va_scheme_valid(struct kunit *test)
{
	struct dp_scheme *s = dp_new_scheme();
	struct dp_operations ops;
	unsigned int missing;

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, dp_va_ops(&ops), 0);
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), 0);
	s->action = DP_ACT_COLD;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), 0);
	s->action = DP_ACT_LRU_PRIO;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), -EOPNOTSUPP);
	s->action = DP_ACT_MIGRATE_COLD;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), -EOPNOTSUPP);
	/* Without madvise() on another process only stat can be had. */
	missing = dp_ksym_test_swap_missing(DP_FEAT_MADVISE);
	s->action = DP_ACT_COLLAPSE;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), -EOPNOTSUPP);
	s->action = DP_ACT_STAT;
	KUNIT_EXPECT_EQ(test, ops.scheme_valid(s), 0);
	dp_ksym_test_swap_missing(missing);
	dp_destroy_scheme(s);
}

static int dp_test_va_idle_thread(void *data)
{
	while (!kthread_should_stop())
		msleep(20);
	return 0;
}

/*
 * A target is valid as long as its task can be found by pid, address space
 * or not (upstream's rule): an exited but unreaped process keeps its
 * kdamond.  A kernel thread stands in for the zombie: a task without mm.
 */
static void dp_test_va_valid_without_mm(struct kunit *test)
{
	struct task_struct *task;
	struct dp_ctx *ctx;
	struct dp_target *t;
	int i;

	task = kthread_run(dp_test_va_idle_thread, NULL, "dp_test_nomm");
	if (IS_ERR(task))
		kunit_skip(test, "no thread");
	get_task_struct(task);
	ctx = dp_test_va_new_ctx(test, dp_va_ops, NULL);
	t = list_first_entry(&ctx->targets, struct dp_target, list);
	put_pid(t->pid);
	t->pid = get_task_pid(task, PIDTYPE_PID);

	KUNIT_EXPECT_TRUE(test, ctx->ops.target_valid(t));
	KUNIT_ASSERT_EQ(test, dp_start(ctx, "dp_test_va"), 0);
	msleep(200);
	/* Sampled (nothing accessed) and still running. */
	KUNIT_EXPECT_TRUE(test, dp_is_running(ctx));
	KUNIT_EXPECT_GT(test, ctx->nr_aggregations, 0UL);

	/* Reaped: invalid, and the kdamond ends by itself. */
	kthread_stop(task);
	put_task_struct(task);
	for (i = 0; i < 100 && dp_is_running(ctx); i++)
		msleep(20);
	KUNIT_EXPECT_FALSE(test, ctx->ops.target_valid(t));
	KUNIT_EXPECT_FALSE(test, dp_is_running(ctx));
}

static struct kunit_case dp_va_test_cases[] = {
	KUNIT_CASE(dp_test_va_three_ranges),
	KUNIT_CASE(dp_test_va_too_few_gaps),
	KUNIT_CASE(dp_test_va_initial_regions),
	KUNIT_CASE(dp_test_va_random_page),
	KUNIT_CASE(dp_test_va_ranges_of_process),
	KUNIT_CASE(dp_test_va_accessed_bit),
	KUNIT_CASE(dp_test_va_ptes_held),
	KUNIT_CASE(dp_test_va_collapse_not_access),
	KUNIT_CASE(dp_test_va_monitors_process),
	KUNIT_CASE(dp_test_fva_keeps_ranges),
	KUNIT_CASE(dp_test_va_follows_holes),
	KUNIT_CASE(dp_test_va_valid_without_mm),
	KUNIT_CASE(dp_test_va_folio_filters),
	KUNIT_CASE(dp_test_va_filter_passed_huge_end),
	KUNIT_CASE(dp_test_va_scheme_valid),
	{},
};

static struct kunit_suite dp_va_test_suite = {
	.name = "damon_pause_ops_vaddr",
	.suite_init = dp_test_va_suite_init,
	.suite_exit = dp_test_va_suite_exit,
	.test_cases = dp_va_test_cases,
};

kunit_test_suite(dp_va_test_suite);

#endif /* _DAMON_PAUSE_OPS_VADDR_KUNIT_H */

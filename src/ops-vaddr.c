// SPDX-License-Identifier: GPL-2.0
/*
 * vaddr operations: monitoring a process's virtual address space.
 *
 * An address space is mostly unmapped: between the heap and the mmap area,
 * and between that and the stack, lie gaps of terabytes.  Regions that
 * spanned them would waste the adaptive split on nothing, so, as upstream
 * DAMON does, the monitored ranges are the three stretches between the two
 * biggest gaps; smaller gaps stay inside regions, where they cost little.
 */

#include <linux/kernel.h>

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
void dp_va_layout_add(struct dp_va_layout *layout, unsigned long start,
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
int dp_va_layout_ranges(const struct dp_va_layout *layout,
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
 * least @min_nr_regions.
 * @t:			a target without regions.
 * @ranges:		the three ranges.
 * @min_nr_regions:	the context's lower bound of regions.
 *
 * Return: 0, or -ENOMEM with @t left without regions.
 */
int dp_va_set_initial_regions(struct dp_target *t,
			      const struct dp_addr_range ranges[3],
			      unsigned long min_nr_regions)
{
	unsigned long total = 0, sz_piece, start, end;
	struct dp_region *r;
	int i;

	for (i = 0; i < 3; i++)
		total += dp_range_sz(&ranges[i]);
	sz_piece = max(ALIGN_DOWN(total / max(min_nr_regions, 1UL),
				  DP_MIN_REGION), DP_MIN_REGION);

	for (i = 0; i < 3; i++) {
		start = ranges[i].start;
		while (start < ranges[i].end) {
			end = start + sz_piece;
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

#ifdef DAMON_PAUSE_KUNIT
#include "ops-vaddr-kunit.h"
#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Internals of src/ops-vaddr.c, shared with its KUnit suite. */
#ifndef _DAMON_PAUSE_OPS_VADDR_H
#define _DAMON_PAUSE_OPS_VADDR_H

#include <damon_pause/damon.h>

/**
 * struct dp_va_layout - what region setup needs of an address space.
 * @start:	start of the lowest mapping.
 * @end:	end of the highest mapping.
 * @gaps:	the two biggest unmapped gaps between mappings, biggest first.
 * @nr_mappings: mappings seen.
 */
struct dp_va_layout {
	unsigned long start;
	unsigned long end;
	struct dp_addr_range gaps[2];
	unsigned int nr_mappings;
};

void dp_va_layout_add(struct dp_va_layout *layout, unsigned long start,
		      unsigned long end);
int dp_va_layout_ranges(const struct dp_va_layout *layout,
			struct dp_addr_range ranges[3]);
int dp_va_set_initial_regions(struct dp_target *t,
			      const struct dp_addr_range ranges[3],
			      unsigned long min_nr_regions, unsigned long unit);

int dp_va_ops(struct dp_operations *ops);
int dp_fva_ops(struct dp_operations *ops);

#endif /* _DAMON_PAUSE_OPS_VADDR_H */

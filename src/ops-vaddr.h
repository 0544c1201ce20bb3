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

int dp_va_ops(struct dp_operations *ops);
int dp_fva_ops(struct dp_operations *ops);

#endif /* _DAMON_PAUSE_OPS_VADDR_H */

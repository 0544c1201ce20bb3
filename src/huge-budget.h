/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DAMON_PAUSE_HUGE_BUDGET_H
#define _DAMON_PAUSE_HUGE_BUDGET_H

#include <linux/types.h>

/**
 * struct dp_huge_counts - the system's memory, in pages, as meminfo's.
 * @huge:	in transparent huge pages: anonymous, shmem and file.
 * @total:	MemTotal.
 * @free:	MemFree.
 */
struct dp_huge_counts {
	unsigned long huge;
	unsigned long total;
	unsigned long free;
};

unsigned long dp_huge_mem_bp(void);
unsigned long dp_huge_headroom_bytes(unsigned long budget_bp);
unsigned long dp_huge_reserve(unsigned long budget_bp, unsigned long bytes);
void dp_huge_unreserve(unsigned long bytes);

#endif /* _DAMON_PAUSE_HUGE_BUDGET_H */

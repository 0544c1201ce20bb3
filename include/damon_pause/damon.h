/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The monitoring core's types and API: regions, targets and monitoring
 * attributes, with upstream DAMON's semantics (include/linux/damon.h).
 */
#ifndef _DAMON_PAUSE_DAMON_H
#define _DAMON_PAUSE_DAMON_H

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/types.h>

/* Regions are page aligned and never smaller than a page. */
#define DP_MIN_REGION	PAGE_SIZE

/* nr_accesses_bp is nr_accesses in basis points (1/10000). */
#define DP_BP		10000

/**
 * struct dp_addr_range - an address range, [@start, @end).
 * @start:	first address (inclusive).
 * @end:	end address (exclusive).
 */
struct dp_addr_range {
	unsigned long start;
	unsigned long end;
};

/**
 * struct dp_region - a monitoring region and what was learnt about it.
 * @ar:			the address range.
 * @sampling_addr:	where the next access check looks.
 * @nr_accesses:	sampling intervals of this aggregation interval in
 *			which an access was seen.
 * @nr_accesses_bp:	a moving sum of the same over the last aggregation
 *			interval's length, in basis points; valid at any time,
 *			not only at aggregation boundaries.
 * @last_nr_accesses:	@nr_accesses of the last complete aggregation interval.
 * @age:		aggregation intervals the access frequency has stayed
 *			about the same.
 * @list:		in &dp_target->regions_list, sorted by address.
 */
struct dp_region {
	struct dp_addr_range ar;
	unsigned long sampling_addr;
	unsigned int nr_accesses;
	unsigned int nr_accesses_bp;
	unsigned int last_nr_accesses;
	unsigned int age;
	struct list_head list;
};

/**
 * struct dp_target - one monitored address space.
 * @pid:		the process (vaddr); NULL for fvaddr-style ranges.
 * @nr_regions:		number of regions in @regions_list.
 * @regions_list:	sorted, non-overlapping regions.
 * @list:		in the context's targets list.
 */
struct dp_target {
	struct pid *pid;
	unsigned int nr_regions;
	struct list_head regions_list;
	struct list_head list;
};

/**
 * struct dp_attrs - monitoring attributes (all intervals in microseconds).
 * @sample_interval:	between two access checks of a region.
 * @aggr_interval:	between two aggregations of the checks.
 * @ops_update_interval: between two updates of regions from the address
 *			space layout.
 * @min_nr_regions:	lower bound of the number of regions.
 * @max_nr_regions:	upper bound of the number of regions.
 */
struct dp_attrs {
	unsigned long sample_interval;
	unsigned long aggr_interval;
	unsigned long ops_update_interval;
	unsigned long min_nr_regions;
	unsigned long max_nr_regions;
};

static inline unsigned long dp_sz_region(const struct dp_region *r)
{
	return r->ar.end - r->ar.start;
}

#define dp_first_region(t) \
	list_first_entry(&(t)->regions_list, struct dp_region, list)
#define dp_last_region(t) \
	list_last_entry(&(t)->regions_list, struct dp_region, list)
#define dp_next_region(r) list_next_entry(r, list)
#define dp_prev_region(r) list_prev_entry(r, list)

#define dp_for_each_region(r, t) \
	list_for_each_entry(r, &(t)->regions_list, list)
#define dp_for_each_region_from(r, t) \
	list_for_each_entry_from(r, &(t)->regions_list, list)
#define dp_for_each_region_safe(r, next, t) \
	list_for_each_entry_safe(r, next, &(t)->regions_list, list)

/* src/regions.c */
struct dp_region *dp_new_region(unsigned long start, unsigned long end);
void dp_add_region(struct dp_region *r, struct dp_target *t);
void dp_insert_region(struct dp_region *r, struct dp_region *prev,
		      struct dp_region *next, struct dp_target *t);
void dp_destroy_region(struct dp_region *r, struct dp_target *t);
void dp_destroy_regions(struct dp_target *t);
int dp_set_regions(struct dp_target *t, const struct dp_addr_range *ranges,
		   unsigned int nr_ranges);
void dp_split_region_at(struct dp_target *t, struct dp_region *r,
			unsigned long sz_left);
void dp_split_regions_of(struct dp_target *t, int nr_subs);
void dp_merge_regions_of(struct dp_target *t, unsigned int thres,
			 unsigned long sz_limit, bool count_age);
unsigned int dp_max_nr_accesses(const struct dp_attrs *attrs);
void dp_update_region_access_rate(struct dp_region *r, bool accessed,
				  const struct dp_attrs *attrs);

#endif /* _DAMON_PAUSE_DAMON_H */

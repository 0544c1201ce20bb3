/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DAMON_PAUSE_SYSFS_SCHEMES_H
#define _DAMON_PAUSE_SYSFS_SCHEMES_H

#include <damon_pause/damon.h>

#include "sysfs-common.h"

/* One tried region, as tried_regions/I/ shows it. */
struct dp_sysfs_tried {
	unsigned long start;
	unsigned long end;
	unsigned long nr_accesses;
	unsigned long age;
	unsigned long sz_filter_passed;
	unsigned int nr_probes;
	unsigned long probe_hits[DP_MAX_PROBES];
};

/* What a state command fetches from a running context. */
enum dp_sysfs_update {
	DP_SYSFS_UPDATE_STATS,
	DP_SYSFS_UPDATE_TRIED_BYTES,
	DP_SYSFS_UPDATE_TRIED,
	DP_SYSFS_CLEAR_TRIED,
	DP_SYSFS_UPDATE_QUOTAS,
	DP_SYSFS_UPDATE_STATS_QUOTAS,	/* both, from one look (refresh_ms) */
};

extern const struct dp_sysfs_list_ops dp_sysfs_schemes_ops;
int dp_sysfs_schemes_build(struct dp_ctx *ctx, struct dp_sysfs_list *schemes);
int dp_sysfs_schemes_update(struct dp_ctx *ctx, struct dp_sysfs_list *schemes,
			    enum dp_sysfs_update what);
const char *dp_sysfs_action_name(enum dp_action action);
int dp_sysfs_action_parse(const char *name);

#endif /* _DAMON_PAUSE_SYSFS_SCHEMES_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's events under upstream's system (src/trace-damon.c), where
 * the kernel has no DAMON of its own; nothing elsewhere.
 */
#ifndef _DAMON_PAUSE_TRACE_DAMON_FN_H
#define _DAMON_PAUSE_TRACE_DAMON_FN_H

#include <linux/kconfig.h>
#include <linux/types.h>

struct dp_region;

#if IS_ENABLED(CONFIG_DAMON)
static inline void dp_up_aggregated(unsigned int ti, struct dp_region *r,
				    unsigned int nr_regions)
{
}

static inline bool dp_up_before_apply_enabled(void)
{
	return false;
}

static inline void dp_up_before_apply(unsigned int sidx, unsigned int tidx,
				      struct dp_region *r,
				      unsigned int nr_regions)
{
}

static inline void dp_up_intervals_tune(unsigned long sample_us)
{
}

static inline bool dp_up_events_built(void)
{
	return false;
}

static inline int dp_up_events_remove(void)
{
	return 0;
}
#else
void dp_up_aggregated(unsigned int ti, struct dp_region *r,
		      unsigned int nr_regions);
bool dp_up_before_apply_enabled(void);
void dp_up_before_apply(unsigned int sidx, unsigned int tidx,
			struct dp_region *r, unsigned int nr_regions);
void dp_up_intervals_tune(unsigned long sample_us);
/* Whether this build has them: the kernel has none of its own. */
static inline bool dp_up_events_built(void)
{
	return true;
}

int dp_up_events_remove(void);
#endif

#endif /* _DAMON_PAUSE_TRACE_DAMON_FN_H */

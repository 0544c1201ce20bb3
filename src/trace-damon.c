// SPDX-License-Identifier: GPL-2.0
/*
 * Our events under upstream's names, damon:*, on kernels built without
 * the in-kernel DAMON (nothing else there could ever take these names).
 * They are the module's own, registered with it when it loads; the
 * upstream_names parameter (src/upstream-names.c) may let them go again.
 *
 * The same events are defined, under our damon_pause system, in
 * src/trace.c: the tracepoints' global symbols, named after the events,
 * get another name here, or the two would clash at link time.  The
 * events keep the names that tools look up.
 */
#include <linux/kconfig.h>

#if !IS_ENABLED(CONFIG_DAMON)

#include <linux/mutex.h>
#include <linux/trace_events.h>

#include "compat.h"
#include "trace-damon.h"

#define __tracepoint_damon_aggregated	__tracepoint_dp_up_aggregated
#define __traceiter_damon_aggregated	__traceiter_dp_up_aggregated
#define __probestub_damon_aggregated	__probestub_dp_up_aggregated
#define tp_func_damon_aggregated	tp_func_dp_up_aggregated
#define __tracepoint_damos_before_apply	__tracepoint_dp_up_before_apply
#define __traceiter_damos_before_apply	__traceiter_dp_up_before_apply
#define __probestub_damos_before_apply	__probestub_dp_up_before_apply
#define tp_func_damos_before_apply	tp_func_dp_up_before_apply
#define __tracepoint_damon_monitor_intervals_tune \
	__tracepoint_dp_up_intervals_tune
#define __traceiter_damon_monitor_intervals_tune \
	__traceiter_dp_up_intervals_tune
#define __probestub_damon_monitor_intervals_tune \
	__probestub_dp_up_intervals_tune
#define tp_func_damon_monitor_intervals_tune	tp_func_dp_up_intervals_tune

#define CREATE_TRACE_POINTS
#include "dp_trace_damon.h"

void dp_up_aggregated(unsigned int ti, struct dp_region *r,
		      unsigned int nr_regions)
{
	trace_damon_aggregated(ti, r, nr_regions);
}

bool dp_up_before_apply_enabled(void)
{
	return trace_damos_before_apply_enabled();
}

void dp_up_before_apply(unsigned int sidx, unsigned int tidx,
			struct dp_region *r, unsigned int nr_regions)
{
	trace_damos_before_apply(0, sidx, tidx, r, nr_regions);
}

void dp_up_intervals_tune(unsigned long sample_us)
{
	trace_damon_monitor_intervals_tune(sample_us);
}

/**
 * dp_up_events_remove() - let the damon:* names go, at load.
 *
 * The loader registered the events before any parameter was read.  The
 * registry's lock is not exported: without it (DP_FEAT_EVENT_NAMES), they
 * stay.
 *
 * Return: 0, or -EOPNOTSUPP when they could not be removed.
 */
int dp_up_events_remove(void)
{
	static struct trace_event_call *const calls[] = {
		&event_damon_aggregated,
		&event_damos_before_apply,
		&event_damon_monitor_intervals_tune,
	};
	int i, err = 0;

	if (!dp_has_feature(DP_FEAT_EVENT_NAMES))
		return -EOPNOTSUPP;
	mutex_lock(dp_ksyms.event_mutex);
	for (i = 0; i < ARRAY_SIZE(calls) && !err; i++)
		err = trace_remove_event_call(calls[i]);
	mutex_unlock(dp_ksyms.event_mutex);
	return err;
}

#endif /* !CONFIG_DAMON */

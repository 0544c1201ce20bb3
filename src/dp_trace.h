/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damon_pause:damon_aggregated, with the fields and format of upstream's
 * damon:damon_aggregated, so that perf and trace-cmd users record our
 * monitoring results the way they record DAMON's.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM damon_pause

#if !defined(_DAMON_PAUSE_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DAMON_PAUSE_TRACE_H

#include <linux/tracepoint.h>

#include <damon_pause/damon.h>

TRACE_EVENT(damon_aggregated,

	TP_PROTO(unsigned int target_id, struct dp_region *r,
		 unsigned int nr_regions),

	TP_ARGS(target_id, r, nr_regions),

	TP_STRUCT__entry(
		__field(unsigned long, target_id)
		__field(unsigned int, nr_regions)
		__field(unsigned long, start)
		__field(unsigned long, end)
		__field(unsigned int, nr_accesses)
		__field(unsigned int, age)
	),

	TP_fast_assign(
		__entry->target_id = target_id;
		__entry->nr_regions = nr_regions;
		__entry->start = r->ar.start;
		__entry->end = r->ar.end;
		__entry->nr_accesses = r->nr_accesses;
		__entry->age = r->age;
	),

	TP_printk("target_id=%lu nr_regions=%u %lu-%lu: %u %u",
		  __entry->target_id, __entry->nr_regions,
		  __entry->start, __entry->end,
		  __entry->nr_accesses, __entry->age)
);

#endif /* _DAMON_PAUSE_TRACE_H */

/* Out of the kernel tree: found through the module's -I$(src)/src. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE dp_trace
#include <trace/define_trace.h>

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The events of dp_trace.h (our damon_pause system) and dp_trace_damon.h
 * (upstream's damon system): written once, read by both under their own
 * TRACE_SYSTEM, so that the two never differ in a field.  No include
 * guard: the trace macros read it once per stage, through those two.
 */

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

/*
 * A region about to be acted on: ctx_idx is always 0 (one context per
 * kdamond, as upstream's), nr_accesses the moving count the scheme's
 * pattern matched.
 */
TRACE_EVENT(damos_before_apply,

	TP_PROTO(unsigned int context_idx, unsigned int scheme_idx,
		 unsigned int target_idx, struct dp_region *r,
		 unsigned int nr_regions),

	TP_ARGS(context_idx, scheme_idx, target_idx, r, nr_regions),

	TP_STRUCT__entry(
		__field(unsigned int, context_idx)
		__field(unsigned int, scheme_idx)
		__field(unsigned long, target_idx)
		__field(unsigned long, start)
		__field(unsigned long, end)
		__field(unsigned int, nr_accesses)
		__field(unsigned int, age)
		__field(unsigned int, nr_regions)
	),

	TP_fast_assign(
		__entry->context_idx = context_idx;
		__entry->scheme_idx = scheme_idx;
		__entry->target_idx = target_idx;
		__entry->start = r->ar.start;
		__entry->end = r->ar.end;
		__entry->nr_accesses = r->nr_accesses_bp / DP_BP;
		__entry->age = r->age;
		__entry->nr_regions = nr_regions;
	),

	TP_printk("ctx_idx=%u scheme_idx=%u target_idx=%lu nr_regions=%u %lu-%lu: %u %u",
		  __entry->context_idx, __entry->scheme_idx,
		  __entry->target_idx, __entry->nr_regions,
		  __entry->start, __entry->end,
		  __entry->nr_accesses, __entry->age)
);

/* The sampling interval an intervals auto-tuning step arrived at. */
TRACE_EVENT(damon_monitor_intervals_tune,

	TP_PROTO(unsigned long sample_us),

	TP_ARGS(sample_us),

	TP_STRUCT__entry(
		__field(unsigned long, sample_us)
	),

	TP_fast_assign(
		__entry->sample_us = sample_us;
	),

	TP_printk("sample_us=%lu", __entry->sample_us)
);

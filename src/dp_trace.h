/* SPDX-License-Identifier: GPL-2.0 */
/*
 * damon_pause:damon_aggregated, damon_pause:damos_before_apply and
 * damon_pause:damon_monitor_intervals_tune (dp_trace_events.h), with the
 * fields and formats of upstream's damon:* events of the same names, so
 * that perf and trace-cmd users record our monitoring results the way they
 * record DAMON's (and damo's parsers read them).  They exist on every
 * kernel; dp_trace_damon.h has the same under upstream's system, for the
 * kernels that lack it.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM damon_pause

#if !defined(_DAMON_PAUSE_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DAMON_PAUSE_TRACE_H

#include <linux/tracepoint.h>

#include <damon_pause/damon.h>

#include "dp_trace_events.h"

#endif /* _DAMON_PAUSE_TRACE_H */

/* Out of the kernel tree: found through the module's -I$(src)/src. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE dp_trace
#include <trace/define_trace.h>

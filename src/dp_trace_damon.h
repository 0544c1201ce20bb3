/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The events of dp_trace_events.h under upstream's system, damon:*, for
 * the tools that know no other (damo records damon:damon_aggregated,
 * damon:damos_before_apply and damon:damon_monitor_intervals_tune with
 * perf or trace-cmd).  Only src/trace-damon.c reads it, on kernels built
 * without the in-kernel DAMON, whose events have these names.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM damon

#if !defined(_DAMON_PAUSE_TRACE_DAMON_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DAMON_PAUSE_TRACE_DAMON_H

#include <linux/tracepoint.h>

#include <damon_pause/damon.h>

#include "dp_trace_events.h"

#endif /* _DAMON_PAUSE_TRACE_DAMON_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE dp_trace_damon
#include <trace/define_trace.h>

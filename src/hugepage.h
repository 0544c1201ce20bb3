/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DAMON_PAUSE_HUGEPAGE_H
#define _DAMON_PAUSE_HUGEPAGE_H

#include <linux/types.h>

#define DP_MAX_MONITORED_PIDS 100

/**
 * struct dp_pid_list - the processes the supervisor is asked to watch.
 * @nr:		number of valid entries in @pids.
 * @pids:	distinct, positive pids in the order given.
 */
struct dp_pid_list {
	int nr;
	pid_t pids[DP_MAX_MONITORED_PIDS];
};

int dp_pid_list_parse(const char *buf, struct dp_pid_list *list);
int dp_pid_list_format(const struct dp_pid_list *list, char *buf);

/**
 * struct dp_hp_params - the supervisor's inputs (module parameters).
 * @monitor_period:	how often the supervisor looks at its processes, µs.
 * @sample_interval:	monitoring sampling interval, µs.
 * @aggr_interval:	monitoring aggregation interval, µs.
 * @ops_update_interval: monitoring ops update interval, µs.
 * @min_nr_regions:	monitoring regions, at least.
 * @max_nr_regions:	monitoring regions, at most.
 * @quota_ms:		collapse time quota per reset interval, ms.
 * @quota_reset_interval_ms: the quota's charge interval, ms.
 * @hugepage_mem_bp:	the huge page budget: the system's memory in huge
 *			pages, in basis points of its used memory, that
 *			collapses may reach and never pass; 0, none.
 * @pause_idle:		pause the context of a process that used no CPU
 *			during a period.
 * @pids:		the processes.
 */
struct dp_hp_params {
	unsigned long monitor_period;
	unsigned long sample_interval;
	unsigned long aggr_interval;
	unsigned long ops_update_interval;
	unsigned long min_nr_regions;
	unsigned long max_nr_regions;
	unsigned long quota_ms;
	unsigned long quota_reset_interval_ms;
	unsigned long hugepage_mem_bp;
	bool pause_idle;
	struct dp_pid_list pids;
};

/* src/hugepage-params.c */
void dp_hp_params_get(struct dp_hp_params *params);
bool dp_hp_commit_requested(void);
long dp_hp_commit_begin(void);
void dp_hp_commit_done(long ticket);
int dp_hp_params_init(void);
void dp_hp_params_exit(void);

/* src/hugepage.c: the supervisor */
int dp_hp_start(void);
void dp_hp_stop(void);
bool dp_hp_running(void);
void dp_hp_kick(void);
int dp_hp_status(char *buf, size_t size);
int dp_hp_params_valid(const struct dp_hp_params *params);
unsigned int dp_hp_next_threshold(unsigned int cur, unsigned int max,
				  unsigned long new_applied,
				  unsigned long new_exceeds);

struct dp_hp_diff {
	int nr_gone;
	pid_t gone[DP_MAX_MONITORED_PIDS];
	int nr_new;
	pid_t new[DP_MAX_MONITORED_PIDS];
};

void dp_hp_pid_diff(const struct dp_pid_list *old, const struct dp_pid_list *new,
		    struct dp_hp_diff *diff);

#endif /* _DAMON_PAUSE_HUGEPAGE_H */

/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DAMON_PAUSE_HUGEPAGE_H
#define _DAMON_PAUSE_HUGEPAGE_H

#include <linux/list.h>
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
int dp_hp_params_init(void);
void dp_hp_params_exit(void);

/*
 * src/hugepage.c: the supervisor.  It takes its inputs from the caller,
 * checked, and never calls src/hugepage-params.c (tests/layers.py).
 */
int dp_hp_start(const struct dp_hp_params *params);
void dp_hp_stop(void);
bool dp_hp_running(void);
void dp_hp_commit(const struct dp_hp_params *params);
bool dp_hp_commit_requested(void);
int dp_hp_status(char *buf, size_t size);
int dp_hp_params_valid(const struct dp_hp_params *params);

struct dp_hp_diff {
	int nr_gone;
	pid_t gone[DP_MAX_MONITORED_PIDS];
	int nr_new;
	pid_t new[DP_MAX_MONITORED_PIDS];
};

struct dp_trained;

/**
 * struct dp_hp_kept - what a supervised process's context learnt, kept
 * beyond the context (src/hugepage-kept.c).
 * @pid:	the process's pid.
 * @start_time:	its start (&task_struct.start_boottime, ns): a pid used
 *		again by another process does not get its state.
 * @threshold:	the collapse threshold the supervisor had tuned.
 * @paused:	whether the context was paused (its process idle).
 * @tr:		the context's trained state.
 * @list:	in a list of them.
 */
struct dp_hp_kept {
	pid_t pid;
	u64 start_time;
	unsigned int threshold;
	bool paused;
	struct dp_trained *tr;
	struct list_head list;
};

int dp_hp_live_states(struct list_head *out);
int dp_hp_kept_fits(const struct dp_hp_kept *k, const struct dp_hp_params *p);

/* src/hugepage-kept.c: below the supervisor, which keeps them. */
bool dp_hp_keep_trained(void);
u64 dp_hp_start_time(pid_t pid_nr);
void dp_hp_kept_free(struct dp_hp_kept *k);
void dp_hp_kept_free_list(struct list_head *list);
void dp_hp_kept_replace(struct list_head *list);
void dp_hp_kept_set(struct list_head *list);
void dp_hp_kept_add(struct dp_hp_kept *k);
struct dp_hp_kept *dp_hp_kept_take(pid_t pid_nr);
int dp_hp_kept_show(int (*format)(const struct list_head *list, char **text,
				  size_t *len),
		    char **text, size_t *len);

/* src/hugepage-trained.c: the supervisor_trained_state file, above it. */
int dp_hp_trained_init(void);
void dp_hp_trained_exit(void);

#endif /* _DAMON_PAUSE_HUGEPAGE_H */

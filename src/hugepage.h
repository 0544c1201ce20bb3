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

#endif /* _DAMON_PAUSE_HUGEPAGE_H */

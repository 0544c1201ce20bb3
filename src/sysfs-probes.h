/* SPDX-License-Identifier: GPL-2.0 */
/* The admin tree's data attribute probes: monitoring_attrs/probes/. */
#ifndef _DAMON_PAUSE_SYSFS_PROBES_H
#define _DAMON_PAUSE_SYSFS_PROBES_H

struct dp_ctx;
struct dp_sysfs_list;
struct kobject;

struct dp_sysfs_list *dp_sysfs_probes_add(struct kobject *parent);
int dp_sysfs_probes_build(struct dp_ctx *ctx, struct dp_sysfs_list *probes);

#endif /* _DAMON_PAUSE_SYSFS_PROBES_H */

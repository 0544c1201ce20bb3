/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DAMON_PAUSE_SYSFS_CONTEXT_H
#define _DAMON_PAUSE_SYSFS_CONTEXT_H

#include "sysfs-common.h"

struct dp_attrs;
struct dp_ctx;
struct dp_sysfs_trained;

extern const struct dp_sysfs_list_ops dp_sysfs_contexts_ops;
struct dp_ctx *dp_sysfs_context_build(struct kobject *kobj);
struct dp_sysfs_list *dp_sysfs_context_schemes(struct kobject *kobj);
void dp_sysfs_context_set_intervals(struct kobject *kobj,
				    const struct dp_attrs *attrs);
struct dp_sysfs_trained *dp_sysfs_context_trained(struct kobject *kobj);
const char *dp_sysfs_context_ops_name(struct kobject *kobj);

#endif /* _DAMON_PAUSE_SYSFS_CONTEXT_H */

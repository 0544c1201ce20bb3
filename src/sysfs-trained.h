/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DAMON_PAUSE_SYSFS_TRAINED_H
#define _DAMON_PAUSE_SYSFS_TRAINED_H

struct dp_ctx;
struct dp_sysfs_trained;
struct kobject;

struct dp_sysfs_trained *dp_sysfs_trained_add(struct kobject *context);
void dp_sysfs_trained_rm(struct kobject *context, struct dp_sysfs_trained *st);
int dp_sysfs_trained_update(struct dp_sysfs_trained *st, struct dp_ctx *ctx,
			    const char *ops);
int dp_sysfs_trained_restore(struct dp_sysfs_trained *st, struct dp_ctx *ctx,
			     const char *ops);
void dp_sysfs_trained_consumed(struct dp_sysfs_trained *st);
int dp_sysfs_trained_commit(struct dp_sysfs_trained *st, struct dp_ctx *dst,
			    struct dp_ctx *src, const char *ops);

#endif /* _DAMON_PAUSE_SYSFS_TRAINED_H */

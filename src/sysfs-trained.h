/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DAMON_PAUSE_SYSFS_TRAINED_H
#define _DAMON_PAUSE_SYSFS_TRAINED_H

#include <linux/types.h>

struct dp_ctx;
struct dp_sysfs_trained;
struct dp_trained;
struct kobject;

/* The text of a trained state, also the supervisor's (hugepage-trained.c). */
int dp_trained_format(const struct dp_trained *tr, char **text, size_t *len);
int dp_trained_parse(const char *text, size_t len, struct dp_trained **out);

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

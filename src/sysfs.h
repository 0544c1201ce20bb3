/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DAMON_PAUSE_SYSFS_H
#define _DAMON_PAUSE_SYSFS_H

struct dp_ctx;
struct kobject;

int dp_sysfs_init(void);
void dp_sysfs_exit(void);
void dp_sysfs_close(void);
struct kobject *dp_sysfs_mm_kobj(void);
struct kobject *dp_sysfs_root_kobj(void);
/**
 * struct dp_sysfs_ctx_visitor - what to do with each kdamond's context.
 * @visit:	called with the kdamond's number and its context (NULL
 *		before the first "on").
 * @arg:	passed to @visit.
 */
struct dp_sysfs_ctx_visitor {
	int (*visit)(int idx, struct dp_ctx *ctx, void *arg);
	void *arg;
};

int dp_sysfs_visit_ctxs(const struct dp_sysfs_ctx_visitor *visitor);

#endif /* _DAMON_PAUSE_SYSFS_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The part of the admin tree that describes one monitoring context:
 * contexts/C/{operations,pause,monitoring_attrs,targets,schemes}, and the
 * translation of such a directory into a parameters-only &struct dp_ctx for
 * dp_start() or dp_commit_ctx().
 *
 * Files only stage values; nothing is checked against anything else until
 * the kdamond's state file asks for "on" or "commit".
 */

#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#include <damon_pause/damon.h>

#include "ops-paddr.h"
#include "ops-vaddr.h"
#include "sysfs-common.h"
#include "sysfs-context.h"
#include "sysfs-probes.h"
#include "sysfs-schemes.h"
#include "sysfs-trained.h"

/*
 * regions/R/{start,end}
 */

struct dp_sysfs_region {
	struct kobject kobj;
	unsigned long start;
	unsigned long end;
};

DP_SYSFS_ULONG_ATTR(dp_sysfs_region_start_attr, start,
		    struct dp_sysfs_region, start);
DP_SYSFS_ULONG_ATTR(dp_sysfs_region_end_attr, end,
		    struct dp_sysfs_region, end);

static struct attribute *dp_sysfs_region_attrs[] = {
	&dp_sysfs_region_start_attr.kattr.attr,
	&dp_sysfs_region_end_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_region);

static const struct kobj_type dp_sysfs_region_ktype = {
	.release = dp_sysfs_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = dp_sysfs_region_groups,
};

static struct kobject *dp_sysfs_region_add(struct kobject *parent, int idx)
{
	struct dp_sysfs_region *region = kzalloc(sizeof(*region), GFP_KERNEL);
	int err;

	if (!region)
		return ERR_PTR(-ENOMEM);
	err = dp_sysfs_dir_add(&region->kobj, &dp_sysfs_region_ktype, parent,
			       "%d", idx);
	return err ? ERR_PTR(err) : &region->kobj;
}

/* Far more than DAMON's regions need; bounds the work of one write. */
#define DP_SYSFS_MAX_NR_REGIONS	4096

static const struct dp_sysfs_list_ops dp_sysfs_regions_ops = {
	.add = dp_sysfs_region_add,
	.rm = dp_sysfs_dir_rm,
	.max_nr = DP_SYSFS_MAX_NR_REGIONS,
};

/*
 * targets/T/{pid_target,obsolete_target,regions/}
 */

struct dp_sysfs_target {
	struct kobject kobj;
	int pid;
	bool obsolete;
	struct dp_sysfs_list *regions;
};

static struct dp_sysfs_target *dp_sysfs_to_target(struct kobject *kobj)
{
	return container_of(kobj, struct dp_sysfs_target, kobj);
}

DP_SYSFS_INT_ATTR(dp_sysfs_target_pid_attr, pid_target,
		  struct dp_sysfs_target, pid);
/* Y: the next commit removes the running target at this position. */
DP_SYSFS_BOOL_ATTR(dp_sysfs_target_obsolete_attr, obsolete_target,
		   struct dp_sysfs_target, obsolete);

static struct attribute *dp_sysfs_target_attrs[] = {
	&dp_sysfs_target_pid_attr.kattr.attr,
	&dp_sysfs_target_obsolete_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_target);

static const struct kobj_type dp_sysfs_target_ktype = {
	.release = dp_sysfs_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = dp_sysfs_target_groups,
};

static struct kobject *dp_sysfs_target_add(struct kobject *parent, int idx)
{
	struct dp_sysfs_target *target = kzalloc(sizeof(*target), GFP_KERNEL);
	struct dp_sysfs_list *regions;
	int err;

	if (!target)
		return ERR_PTR(-ENOMEM);
	err = dp_sysfs_dir_add(&target->kobj, &dp_sysfs_target_ktype, parent,
			       "%d", idx);
	if (err)
		return ERR_PTR(err);
	regions = dp_sysfs_list_add(&target->kobj, "regions",
				    &dp_sysfs_regions_ktype,
				    &dp_sysfs_regions_ops);
	if (IS_ERR(regions)) {
		dp_sysfs_dir_rm(&target->kobj);
		return ERR_CAST(regions);
	}
	target->regions = regions;
	return &target->kobj;
}

static void dp_sysfs_target_rm(struct kobject *kobj)
{
	struct dp_sysfs_target *target = container_of(kobj,
			struct dp_sysfs_target, kobj);

	dp_sysfs_list_rm(target->regions);
	dp_sysfs_dir_rm(kobj);
}

#define DP_SYSFS_MAX_NR_TARGETS	1024

static const struct dp_sysfs_list_ops dp_sysfs_targets_ops = {
	.add = dp_sysfs_target_add,
	.rm = dp_sysfs_target_rm,
	.max_nr = DP_SYSFS_MAX_NR_TARGETS,
};

/*
 * monitoring_attrs/{intervals/{sample_us,aggr_us,update_us,
 * intervals_goal/{access_bp,aggrs,min_sample_us,max_sample_us}},
 * nr_regions/{min,max}}
 */

struct dp_sysfs_intervals_goal {
	struct kobject kobj;
	struct dp_intervals_goal goal;
};

DP_SYSFS_ULONG_ATTR(dp_sysfs_access_bp_attr, access_bp,
		    struct dp_sysfs_intervals_goal, goal.access_bp);
DP_SYSFS_ULONG_ATTR(dp_sysfs_aggrs_attr, aggrs,
		    struct dp_sysfs_intervals_goal, goal.aggrs);
DP_SYSFS_ULONG_ATTR(dp_sysfs_min_sample_us_attr, min_sample_us,
		    struct dp_sysfs_intervals_goal, goal.min_sample_us);
DP_SYSFS_ULONG_ATTR(dp_sysfs_max_sample_us_attr, max_sample_us,
		    struct dp_sysfs_intervals_goal, goal.max_sample_us);

static struct attribute *dp_sysfs_intervals_goal_attrs[] = {
	&dp_sysfs_access_bp_attr.kattr.attr,
	&dp_sysfs_aggrs_attr.kattr.attr,
	&dp_sysfs_min_sample_us_attr.kattr.attr,
	&dp_sysfs_max_sample_us_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_intervals_goal);

static const struct kobj_type dp_sysfs_intervals_goal_ktype = {
	.release = dp_sysfs_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = dp_sysfs_intervals_goal_groups,
};

struct dp_sysfs_intervals {
	struct kobject kobj;
	unsigned long sample_us;
	unsigned long aggr_us;
	unsigned long update_us;
	struct dp_sysfs_intervals_goal *goal;
};

DP_SYSFS_ULONG_ATTR(dp_sysfs_sample_us_attr, sample_us,
		    struct dp_sysfs_intervals, sample_us);
DP_SYSFS_ULONG_ATTR(dp_sysfs_aggr_us_attr, aggr_us,
		    struct dp_sysfs_intervals, aggr_us);
DP_SYSFS_ULONG_ATTR(dp_sysfs_update_us_attr, update_us,
		    struct dp_sysfs_intervals, update_us);

static struct attribute *dp_sysfs_intervals_attrs[] = {
	&dp_sysfs_sample_us_attr.kattr.attr,
	&dp_sysfs_aggr_us_attr.kattr.attr,
	&dp_sysfs_update_us_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_intervals);

static const struct kobj_type dp_sysfs_intervals_ktype = {
	.release = dp_sysfs_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = dp_sysfs_intervals_groups,
};

struct dp_sysfs_mon_attrs {
	struct kobject kobj;
	struct dp_sysfs_intervals *intervals;
	struct dp_sysfs_range *nr_regions;
	struct dp_sysfs_list *probes;
};

/* Upstream's defaults, from the core's. */
static int dp_sysfs_mon_attrs_fill(struct dp_sysfs_mon_attrs *attrs)
{
	struct dp_ctx *defaults = dp_new_ctx();
	struct dp_sysfs_intervals *intervals;
	struct dp_sysfs_range *nr_regions;
	int err;

	intervals = kzalloc(sizeof(*intervals), GFP_KERNEL);
	if (!defaults || !intervals) {
		kfree(intervals);
		err = -ENOMEM;
		goto out;
	}
	intervals->sample_us = defaults->attrs.sample_interval;
	intervals->aggr_us = defaults->attrs.aggr_interval;
	intervals->update_us = defaults->attrs.ops_update_interval;
	err = dp_sysfs_dir_add(&intervals->kobj, &dp_sysfs_intervals_ktype,
			       &attrs->kobj, "intervals");
	if (err)
		goto out;
	attrs->intervals = intervals;
	/* Upstream's default: all 0, no tuning. */
	intervals->goal = kzalloc(sizeof(*intervals->goal), GFP_KERNEL);
	if (!intervals->goal) {
		err = -ENOMEM;
		goto out;
	}
	err = dp_sysfs_dir_add(&intervals->goal->kobj,
			       &dp_sysfs_intervals_goal_ktype, &intervals->kobj,
			       "intervals_goal");
	if (err) {
		intervals->goal = NULL;
		goto out;
	}
	nr_regions = dp_sysfs_range_add(&attrs->kobj, "nr_regions",
					defaults->attrs.min_nr_regions,
					defaults->attrs.max_nr_regions);
	if (IS_ERR(nr_regions)) {
		err = PTR_ERR(nr_regions);
		goto out;
	}
	attrs->nr_regions = nr_regions;
	attrs->probes = dp_sysfs_probes_add(&attrs->kobj);
	if (IS_ERR(attrs->probes)) {
		err = PTR_ERR(attrs->probes);
		attrs->probes = NULL;
	}
out:
	if (defaults)
		dp_destroy_ctx(defaults);
	return err;
}

static struct dp_sysfs_mon_attrs *dp_sysfs_mon_attrs_add(struct kobject *parent)
{
	struct dp_sysfs_mon_attrs *attrs = kzalloc(sizeof(*attrs), GFP_KERNEL);
	int err;

	if (!attrs)
		return ERR_PTR(-ENOMEM);
	err = dp_sysfs_dir_add(&attrs->kobj, &dp_sysfs_plain_ktype, parent,
			       "monitoring_attrs");
	if (err)
		return ERR_PTR(err);
	err = dp_sysfs_mon_attrs_fill(attrs);
	if (err) {
		dp_sysfs_dir_rm(&attrs->kobj);
		return ERR_PTR(err);
	}
	return attrs;
}

static void dp_sysfs_mon_attrs_rm(struct dp_sysfs_mon_attrs *attrs)
{
	if (attrs->probes)
		dp_sysfs_list_rm(attrs->probes);
	if (attrs->nr_regions)
		dp_sysfs_dir_rm(&attrs->nr_regions->kobj);
	if (attrs->intervals && attrs->intervals->goal)
		dp_sysfs_dir_rm(&attrs->intervals->goal->kobj);
	if (attrs->intervals)
		dp_sysfs_dir_rm(&attrs->intervals->kobj);
	dp_sysfs_dir_rm(&attrs->kobj);
}

/*
 * contexts/C/{avail_operations,operations,addr_unit,pause}
 */

/*
 * In upstream's order.  @phys: the targets are physical memory, not
 * processes (their pid_target is ignored).
 */
struct dp_sysfs_ops_name {
	const char *name;
	int (*get)(struct dp_operations *ops);
	bool phys;
};

static const struct dp_sysfs_ops_name dp_sysfs_ops_names[] = {
	{ "vaddr", dp_va_ops },
	{ "fvaddr", dp_fva_ops },
	{ "paddr", dp_pa_ops, true },
};

struct dp_sysfs_context {
	struct kobject kobj;
	unsigned int ops_idx;
	unsigned long addr_unit;
	bool pause;
	struct dp_sysfs_mon_attrs *attrs;
	struct dp_sysfs_list *targets;
	struct dp_sysfs_list *schemes;
	struct dp_sysfs_trained *trained;
};

static struct dp_sysfs_context *dp_sysfs_to_context(struct kobject *kobj)
{
	return container_of(kobj, struct dp_sysfs_context, kobj);
}

static ssize_t avail_operations_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	struct dp_operations ops;
	int len = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(dp_sysfs_ops_names); i++)
		if (!dp_sysfs_ops_names[i].get(&ops))
			len += sysfs_emit_at(buf, len, "%s\n",
					     dp_sysfs_ops_names[i].name);
	return len;
}

static ssize_t operations_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	unsigned int idx = READ_ONCE(dp_sysfs_to_context(kobj)->ops_idx);

	return sysfs_emit(buf, "%s\n", dp_sysfs_ops_names[idx].name);
}

static ssize_t operations_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dp_sysfs_ops_names); i++) {
		if (sysfs_streq(buf, dp_sysfs_ops_names[i].name)) {
			WRITE_ONCE(dp_sysfs_to_context(kobj)->ops_idx, i);
			return count;
		}
	}
	return -EINVAL;
}

/* Any unit but 0; whether paddr can use it is decided at on and commit. */
static ssize_t addr_unit_store(struct kobject *kobj,
			       struct kobj_attribute *attr, const char *buf,
			       size_t count)
{
	unsigned long unit;
	int err;

	err = kstrtoul(buf, 0, &unit);
	if (err)
		return err;
	if (!unit)
		return -EINVAL;
	WRITE_ONCE(dp_sysfs_to_context(kobj)->addr_unit, unit);
	return count;
}

DP_SYSFS_FIELD_ATTR(dp_sysfs_addr_unit_attr, addr_unit, 0600,
		    struct dp_sysfs_context, addr_unit, dp_sysfs_ulong_show,
		    addr_unit_store);

static ssize_t pause_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%c\n",
			  READ_ONCE(dp_sysfs_to_context(kobj)->pause) ?
			  'Y' : 'N');
}

static ssize_t pause_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	bool pause;
	int err;

	err = kstrtobool(buf, &pause);
	if (err)
		return err;
	WRITE_ONCE(dp_sysfs_to_context(kobj)->pause, pause);
	return count;
}

static struct kobj_attribute dp_sysfs_avail_operations_attr =
		__ATTR_RO_MODE(avail_operations, 0400);
static struct kobj_attribute dp_sysfs_operations_attr =
		__ATTR_RW_MODE(operations, 0600);
static struct kobj_attribute dp_sysfs_pause_attr =
		__ATTR_RW_MODE(pause, 0600);

static struct attribute *dp_sysfs_context_attrs[] = {
	&dp_sysfs_avail_operations_attr.attr,
	&dp_sysfs_operations_attr.attr,
	&dp_sysfs_addr_unit_attr.kattr.attr,
	&dp_sysfs_pause_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_context);

static const struct kobj_type dp_sysfs_context_ktype = {
	.release = dp_sysfs_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = dp_sysfs_context_groups,
};

static void dp_sysfs_context_rm(struct kobject *kobj)
{
	struct dp_sysfs_context *context = dp_sysfs_to_context(kobj);

	if (context->trained)
		dp_sysfs_trained_rm(kobj, context->trained);
	if (context->schemes)
		dp_sysfs_list_rm(context->schemes);
	if (context->targets)
		dp_sysfs_list_rm(context->targets);
	if (context->attrs)
		dp_sysfs_mon_attrs_rm(context->attrs);
	dp_sysfs_dir_rm(kobj);
}

static struct kobject *dp_sysfs_context_add(struct kobject *parent, int idx)
{
	struct dp_sysfs_context *context = kzalloc(sizeof(*context),
						   GFP_KERNEL);
	void *child;
	int err;

	if (!context)
		return ERR_PTR(-ENOMEM);
	context->addr_unit = 1;
	err = dp_sysfs_dir_add(&context->kobj, &dp_sysfs_context_ktype, parent,
			       "%d", idx);
	if (err)
		return ERR_PTR(err);

	child = dp_sysfs_mon_attrs_add(&context->kobj);
	if (IS_ERR(child))
		goto fail;
	context->attrs = child;
	child = dp_sysfs_list_add(&context->kobj, "targets",
				  &dp_sysfs_targets_ktype,
				  &dp_sysfs_targets_ops);
	if (IS_ERR(child))
		goto fail;
	context->targets = child;
	child = dp_sysfs_list_add(&context->kobj, "schemes",
				  &dp_sysfs_schemes_ktype,
				  &dp_sysfs_schemes_ops);
	if (IS_ERR(child))
		goto fail;
	context->schemes = child;
	child = dp_sysfs_trained_add(&context->kobj);
	if (IS_ERR(child))
		goto fail;
	context->trained = child;
	return &context->kobj;
fail:
	dp_sysfs_context_rm(&context->kobj);
	return ERR_CAST(child);
}

/* Upstream allows one context per kdamond. */
const struct dp_sysfs_list_ops dp_sysfs_contexts_ops = {
	.add = dp_sysfs_context_add,
	.rm = dp_sysfs_context_rm,
	.max_nr = 1,
};

/*
 * From the directory to a parameters-only context
 */

static int dp_sysfs_build_regions(struct dp_target *t,
				  struct dp_sysfs_list *regions)
{
	unsigned long last_end = 0;
	int i;

	for (i = 0; i < regions->nr; i++) {
		struct dp_sysfs_region *sr = container_of(regions->items[i],
				struct dp_sysfs_region, kobj);
		unsigned long start = READ_ONCE(sr->start);
		unsigned long end = READ_ONCE(sr->end);
		struct dp_region *r;

		if (start >= end || (i && start < last_end)) {
			pr_warn_ratelimited("region %d [%lu, %lu) is empty, unsorted or overlapping\n",
					    i, start, end);
			return -EINVAL;
		}
		last_end = end;
		r = dp_new_region(start, end);
		if (!r)
			return -ENOMEM;
		dp_add_region(r, t);
	}
	return 0;
}

static bool dp_sysfs_pid_is_kthread(struct pid *pid)
{
	struct task_struct *task = get_pid_task(pid, PIDTYPE_PID);
	bool kthread = task && (task->flags & PF_KTHREAD);

	if (task)
		put_task_struct(task);
	return kthread;
}

/*
 * A target of physical memory: no process; the regions the user gave, or
 * else the biggest System RAM range (as upstream's DAMON modules do;
 * upstream's admin tree would monitor nothing).
 */
static int dp_sysfs_build_phys_target(struct dp_ctx *ctx,
				      struct dp_sysfs_target *st)
{
	struct dp_target *t = dp_new_target();
	struct dp_addr_range ram;
	int err;

	if (!t)
		return -ENOMEM;
	dp_add_target(ctx, t);
	if (st->regions->nr) {
		err = dp_sysfs_build_regions(t, st->regions);
		return err ?: dp_pa_regions_valid(t, ctx->addr_unit);
	}
	err = dp_pa_default_range(&ram, ctx->addr_unit);
	if (err) {
		if (err == -ENOENT)
			pr_warn_ratelimited("paddr target: no System RAM to monitor by default; give regions\n");
		return err == -ENOENT ? -EINVAL : err;
	}
	return dp_set_regions(t, &ram, 1, ctx->min_region_sz);
}

static int dp_sysfs_build_target(struct dp_ctx *ctx, struct kobject *kobj,
				 bool phys)
{
	struct dp_sysfs_target *st = container_of(kobj, struct dp_sysfs_target,
						  kobj);
	int pid_nr = READ_ONCE(st->pid);
	struct dp_target *t;
	struct pid *pid;

	if (phys)
		return dp_sysfs_build_phys_target(ctx, st);
	pid = pid_nr > 0 ? find_get_pid(pid_nr) : NULL;
	if (!pid) {
		pr_warn_ratelimited("target pid %d: no such process\n", pid_nr);
		return -EINVAL;
	}
	t = dp_new_target();
	if (!t) {
		put_pid(pid);
		return -ENOMEM;
	}
	t->pid = pid;
	dp_add_target(ctx, t);
	/*
	 * What the kdamond would find at once (a reaped process) is refused
	 * here, before anything changes, instead of ending the kdamond right
	 * after; so is a kernel thread, which has no address space ever (an
	 * exited process not reaped yet is valid, as upstream's).
	 */
	if ((ctx->ops.target_valid && !ctx->ops.target_valid(t)) ||
	    dp_sysfs_pid_is_kthread(pid)) {
		pr_warn_ratelimited("target pid %d: no process, or a kernel thread\n",
				    pid_nr);
		return -EINVAL;
	}
	return dp_sysfs_build_regions(t, st->regions);
}

/*
 * As upstream: paddr counts regions in units of @unit bytes, and a region
 * is at least a page's worth of units (or one unit), a power of two of
 * them: so a unit below a page is refused unless that comes out a power of
 * two.  The other operations keep bytes.
 */
static int dp_sysfs_set_addr_unit(struct dp_ctx *ctx, unsigned long unit,
				  bool phys)
{
	ctx->addr_unit = unit;
	if (!phys)
		return 0;
	ctx->min_region_sz = max(DP_MIN_REGION / unit, 1UL);
	if (!is_power_of_2(ctx->min_region_sz)) {
		pr_warn_ratelimited("addr_unit %lu: below a page, it must be a power of two\n",
				    unit);
		return -EINVAL;
	}
	return 0;
}

/**
 * dp_sysfs_context_build() - the context a context directory describes.
 * @kobj:	the contexts/C directory; dp_sysfs_lock held.
 *
 * Checks what the files alone cannot: that the operations work on this
 * kernel, that the attributes agree, that every target's process exists
 * (paddr: that there is one target at most, which gets the biggest System
 * RAM range if it has no regions), that its regions are sorted and do not
 * overlap, that the schemes make sense to the operations, that paddr's
 * addr_unit leaves whole regions and that the probes' weights fit.
 *
 * Return: a stopped context carrying the parameters, or an ERR_PTR
 * (-EINVAL, -EOPNOTSUPP, -ENOMEM).
 */
struct dp_ctx *dp_sysfs_context_build(struct kobject *kobj)
{
	struct dp_sysfs_context *context = dp_sysfs_to_context(kobj);
	struct dp_sysfs_intervals *intervals = context->attrs->intervals;
	struct dp_intervals_goal *goal = &intervals->goal->goal;
	struct dp_sysfs_range *nr_regions = context->attrs->nr_regions;
	struct dp_sysfs_list *targets = context->targets;
	const struct dp_sysfs_ops_name *ops;
	struct dp_ctx *ctx = dp_new_ctx();
	int i, err;

	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ops = &dp_sysfs_ops_names[READ_ONCE(context->ops_idx)];
	err = ops->get(&ctx->ops);
	if (err) {
		pr_warn_ratelimited("operations %s not available on this kernel\n",
				    ops->name);
		goto fail;
	}
	err = dp_sysfs_set_addr_unit(ctx, READ_ONCE(context->addr_unit),
				     ops->phys);
	if (err)
		goto fail;
	ctx->pause = READ_ONCE(context->pause);
	ctx->attrs = (struct dp_attrs){
		.sample_interval = READ_ONCE(intervals->sample_us),
		.aggr_interval = READ_ONCE(intervals->aggr_us),
		.ops_update_interval = READ_ONCE(intervals->update_us),
		.min_nr_regions = READ_ONCE(nr_regions->min),
		.max_nr_regions = READ_ONCE(nr_regions->max),
		.intervals_goal = {
			.access_bp = READ_ONCE(goal->access_bp),
			.aggrs = READ_ONCE(goal->aggrs),
			.min_sample_us = READ_ONCE(goal->min_sample_us),
			.max_sample_us = READ_ONCE(goal->max_sample_us),
		},
	};
	err = dp_attrs_valid(&ctx->attrs);
	if (err) {
		pr_warn_ratelimited("invalid monitoring_attrs: need 3 <= min <= max regions, sample_us <= aggr_us and, with intervals_goal/aggrs, min_sample_us <= sample_us <= max_sample_us\n");
		goto fail;
	}
	/* One physical address space: more targets make no sense (upstream). */
	if (ops->phys && targets->nr > 1) {
		pr_warn_ratelimited("operations %s: at most one target\n",
				    ops->name);
		err = -EINVAL;
		goto fail;
	}
	for (i = 0; i < targets->nr; i++) {
		err = dp_sysfs_build_target(ctx, targets->items[i], ops->phys);
		if (err)
			goto fail;
		/* As upstream, only a commit looks at it. */
		list_last_entry(&ctx->targets, struct dp_target, list)->obsolete =
			READ_ONCE(dp_sysfs_to_target(targets->items[i])->obsolete);
	}
	err = dp_sysfs_schemes_build(ctx, context->schemes);
	if (err)
		goto fail;
	err = dp_sysfs_probes_build(ctx, context->attrs->probes);
	if (err)
		goto fail;
	err = dp_probes_valid(ctx, &ctx->attrs);
	if (err == -EOPNOTSUPP)
		pr_warn_ratelimited("probes: set_pgidle and the pgidle filters need the page idle flags, which this kernel lacks (CONFIG_PAGE_IDLE_FLAG)\n");
	else if (err)
		pr_warn_ratelimited("probes with weights: need operations that apply probes (paddr), at most 255 samples per aggregation, and weights whose sum over them fits in 32 bits\n");
	if (err)
		goto fail;
	return ctx;
fail:
	dp_destroy_ctx(ctx);
	return ERR_PTR(err);
}

/**
 * dp_sysfs_context_set_intervals() - show tuned intervals in the files.
 * @kobj:	the contexts/C directory; dp_sysfs_lock held.
 * @attrs:	the attributes the kdamond runs with.
 */
void dp_sysfs_context_set_intervals(struct kobject *kobj,
				    const struct dp_attrs *attrs)
{
	struct dp_sysfs_intervals *intervals =
		dp_sysfs_to_context(kobj)->attrs->intervals;

	WRITE_ONCE(intervals->sample_us, attrs->sample_interval);
	WRITE_ONCE(intervals->aggr_us, attrs->aggr_interval);
}

/** dp_sysfs_context_schemes() - the schemes/ list of a context directory. */
struct dp_sysfs_list *dp_sysfs_context_schemes(struct kobject *kobj)
{
	return dp_sysfs_to_context(kobj)->schemes;
}

/** dp_sysfs_context_trained() - the trained_state file of a context. */
struct dp_sysfs_trained *dp_sysfs_context_trained(struct kobject *kobj)
{
	return dp_sysfs_to_context(kobj)->trained;
}

/** dp_sysfs_context_ops_name() - the operations a context directory names. */
const char *dp_sysfs_context_ops_name(struct kobject *kobj)
{
	return dp_sysfs_ops_names[READ_ONCE(dp_sysfs_to_context(kobj)->ops_idx)].name;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The admin tree's data attribute probes (upstream 7.3, with the preps/ of
 * upstream's next release):
 * contexts/C/monitoring_attrs/probes/{nr_probes,P/{weight,preps/{nr_preps,
 * R/prep_action},filters/{nr_filters,F/{type,matching,allow,path}}}}.
 */

#include <linux/kernel.h>
#include <linux/slab.h>

#include <damon_pause/damon.h>

#include "compat.h"
#include "sysfs-common.h"
#include "sysfs-probes.h"

/*
 * probes/P/filters/F/{type,matching,allow,path}
 */

/*
 * The attributes a probe can look for, as upstream's names them (upstream
 * after 7.3 added pgidle_unset); pgidle_set, the complement, is ours.
 */
static const char * const dp_sysfs_probe_filter_names[] = {
	"anon",
	"memcg",
	"pgidle_unset",
	"pgidle_set",
	NULL,
};

static const enum dp_filter_type dp_sysfs_probe_filter_types[] = {
	DP_FILTER_ANON,
	DP_FILTER_MEMCG,
	DP_FILTER_PGIDLE_UNSET,
	DP_FILTER_PGIDLE_SET,
};

struct dp_sysfs_probe_filter {
	struct kobject kobj;
	unsigned int type;
	bool matching;
	bool allow;
	char *path;
};

DP_SYSFS_ENUM_ATTR(dp_sysfs_probe_filter_type_attr, type,
		   struct dp_sysfs_probe_filter, type,
		   dp_sysfs_probe_filter_names);
DP_SYSFS_BOOL_ATTR(dp_sysfs_probe_filter_matching_attr, matching,
		   struct dp_sysfs_probe_filter, matching);
DP_SYSFS_BOOL_ATTR(dp_sysfs_probe_filter_allow_attr, allow,
		   struct dp_sysfs_probe_filter, allow);
/* The memcg's path, looked up at on/commit, as a scheme filter's. */
DP_SYSFS_STR_ATTR(dp_sysfs_probe_filter_path_attr, path,
		  struct dp_sysfs_probe_filter, path);

static struct attribute *dp_sysfs_probe_filter_attrs[] = {
	&dp_sysfs_probe_filter_type_attr.kattr.attr,
	&dp_sysfs_probe_filter_matching_attr.kattr.attr,
	&dp_sysfs_probe_filter_allow_attr.kattr.attr,
	&dp_sysfs_probe_filter_path_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_probe_filter);
DP_SYSFS_KTYPE(probe_filter);

static struct kobject *dp_sysfs_probe_filter_add(struct kobject *parent,
						 int idx)
{
	struct dp_sysfs_probe_filter *filter;

	filter = dp_sysfs_new_dir(sizeof(*filter), &dp_sysfs_probe_filter_ktype,
				  parent, "%d", idx);
	return IS_ERR(filter) ? ERR_CAST(filter) : &filter->kobj;
}

static void dp_sysfs_probe_filter_rm(struct kobject *kobj)
{
	struct dp_sysfs_probe_filter *filter = container_of(kobj,
			struct dp_sysfs_probe_filter, kobj);

	/* Out of sysfs first: no reader or writer comes after the free. */
	kobject_del(kobj);
	kfree(filter->path);
	kobject_put(kobj);
}

static const struct dp_sysfs_list_ops dp_sysfs_probe_filters_ops = {
	.add = dp_sysfs_probe_filter_add,
	.rm = dp_sysfs_probe_filter_rm,
	.max_nr = 64,
};

/*
 * probes/P/preps/R/prep_action
 */

static const char * const dp_sysfs_prep_action_names[] = {
	[DP_PREP_SET_PGIDLE] = "set_pgidle",
	[NR_DP_PREP_ACTIONS] = NULL,
};

struct dp_sysfs_prep {
	struct kobject kobj;
	unsigned int action;
};

DP_SYSFS_ENUM_ATTR(dp_sysfs_prep_action_attr, prep_action,
		   struct dp_sysfs_prep, action, dp_sysfs_prep_action_names);

static struct attribute *dp_sysfs_prep_attrs[] = {
	&dp_sysfs_prep_action_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_prep);
DP_SYSFS_KTYPE(prep);

static struct kobject *dp_sysfs_prep_add(struct kobject *parent, int idx)
{
	struct dp_sysfs_prep *prep;

	prep = dp_sysfs_new_dir(sizeof(*prep), &dp_sysfs_prep_ktype, parent,
				"%d", idx);
	return IS_ERR(prep) ? ERR_CAST(prep) : &prep->kobj;
}

/* Actions a probe takes at most: EINVAL above, nothing changed. */
static const struct dp_sysfs_list_ops dp_sysfs_preps_ops = {
	.add = dp_sysfs_prep_add,
	.rm = dp_sysfs_dir_rm,
	.max_nr = DP_MAX_PREPS,
};

/*
 * probes/P/{weight,preps/,filters/}
 */

struct dp_sysfs_probe {
	struct kobject kobj;
	unsigned int weight;
	struct dp_sysfs_list *preps;
	struct dp_sysfs_list *filters;
};

DP_SYSFS_UINT_ATTR(dp_sysfs_probe_weight_attr, weight, struct dp_sysfs_probe,
		   weight);

static struct attribute *dp_sysfs_probe_attrs[] = {
	&dp_sysfs_probe_weight_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_probe);
DP_SYSFS_KTYPE(probe);

static struct dp_sysfs_probe *dp_sysfs_to_probe(struct kobject *kobj)
{
	return container_of(kobj, struct dp_sysfs_probe, kobj);
}

static void dp_sysfs_probe_rm(struct kobject *kobj)
{
	struct dp_sysfs_probe *probe = dp_sysfs_to_probe(kobj);

	if (probe->filters)
		dp_sysfs_list_rm(probe->filters);
	if (probe->preps)
		dp_sysfs_list_rm(probe->preps);
	dp_sysfs_dir_rm(kobj);
}

static struct kobject *dp_sysfs_probe_add(struct kobject *parent, int idx)
{
	struct dp_sysfs_probe *probe;
	struct dp_sysfs_list *list;

	probe = dp_sysfs_new_dir(sizeof(*probe), &dp_sysfs_probe_ktype, parent,
				 "%d", idx);
	if (IS_ERR(probe))
		return ERR_CAST(probe);
	list = dp_sysfs_list_add(&probe->kobj, "preps", &dp_sysfs_preps_ktype,
				 &dp_sysfs_preps_ops);
	if (IS_ERR(list))
		goto fail;
	probe->preps = list;
	list = dp_sysfs_list_add(&probe->kobj, "filters",
				 &dp_sysfs_filters_ktype,
				 &dp_sysfs_probe_filters_ops);
	if (IS_ERR(list))
		goto fail;
	probe->filters = list;
	return &probe->kobj;
fail:
	dp_sysfs_probe_rm(&probe->kobj);
	return ERR_CAST(list);
}

/* As upstream: DP_MAX_PROBES at most, EINVAL above. */
static const struct dp_sysfs_list_ops dp_sysfs_probes_ops = {
	.add = dp_sysfs_probe_add,
	.rm = dp_sysfs_probe_rm,
	.max_nr = DP_MAX_PROBES,
};

/**
 * dp_sysfs_probes_add() - an empty probes/ directory under @parent.
 * @parent:	the monitoring_attrs/ directory.
 *
 * Return: the list, or an ERR_PTR.
 */
struct dp_sysfs_list *dp_sysfs_probes_add(struct kobject *parent)
{
	return dp_sysfs_list_add(parent, "probes", &dp_sysfs_probes_ktype,
				 &dp_sysfs_probes_ops);
}

/*
 * From the directories to the context's probes
 */

static int dp_sysfs_probe_filter_build(struct dp_probe *p,
				       struct dp_sysfs_probe_filter *sf)
{
	unsigned int idx = READ_ONCE(sf->type);
	struct dp_filter *f;

	f = dp_new_filter(dp_sysfs_probe_filter_types[idx]);
	if (!f)
		return -ENOMEM;
	f->matching = READ_ONCE(sf->matching);
	f->allow = READ_ONCE(sf->allow);
	list_add_tail(&f->list, &p->filters);
	if (f->type != DP_FILTER_MEMCG)
		return 0;
	return dp_sysfs_memcg_id(&sf->path, &f->memcg_id, "memcg probe filter");
}

static int dp_sysfs_probe_build(struct dp_ctx *ctx, struct dp_sysfs_probe *sp)
{
	struct dp_sysfs_list *filters = sp->filters, *preps = sp->preps;
	struct dp_probe *p = dp_new_probe();
	int i, err;

	if (!p)
		return -ENOMEM;
	p->weight = READ_ONCE(sp->weight);
	list_add_tail(&p->list, &ctx->probes);
	/* The list's max_nr is DP_MAX_PREPS: every one fits. */
	for (i = 0; i < preps->nr && i < DP_MAX_PREPS; i++) {
		struct dp_sysfs_prep *sr;

		sr = container_of(preps->items[i], struct dp_sysfs_prep, kobj);
		p->preps[p->nr_preps++] = READ_ONCE(sr->action);
	}
	for (i = 0; i < filters->nr; i++) {
		struct dp_sysfs_probe_filter *sf;

		sf = container_of(filters->items[i],
				  struct dp_sysfs_probe_filter, kobj);
		err = dp_sysfs_probe_filter_build(p, sf);
		if (err)
			return err;
	}
	return 0;
}

/**
 * dp_sysfs_probes_build() - give @ctx the probes its directory describes.
 * @ctx:	a parameters-only context, without probes yet.
 * @probes:	the probes/ directory; dp_sysfs_lock held.
 *
 * Return: 0, -EINVAL (a memcg path that names no memory cgroup), or
 * -ENOMEM; what was built stays in @ctx, for its destruction.
 */
int dp_sysfs_probes_build(struct dp_ctx *ctx, struct dp_sysfs_list *probes)
{
	int i, err;

	for (i = 0; i < probes->nr; i++) {
		err = dp_sysfs_probe_build(ctx,
					   dp_sysfs_to_probe(probes->items[i]));
		if (err)
			return err;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The schemes part of the admin tree, contexts/C/schemes/S/, as upstream's:
 * action, apply_interval_us, access_pattern/, quotas/ (weights/, goals/),
 * watermarks/, filters/, and the results the state commands fill in:
 * stats/ and tried_regions/.
 */

#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/slab.h>

#include <damon_pause/damon.h>

#include "compat.h"
#include "sysfs-common.h"
#include "sysfs-schemes.h"

/* Indexed by the core's enums, NULL-terminated. */
static const char * const dp_sysfs_action_names[] = {
	[DP_ACT_WILLNEED] = "willneed",
	[DP_ACT_COLD] = "cold",
	[DP_ACT_PAGEOUT] = "pageout",
	[DP_ACT_HUGEPAGE] = "hugepage",
	[DP_ACT_NOHUGEPAGE] = "nohugepage",
	[DP_ACT_COLLAPSE] = "collapse",
	[DP_ACT_LRU_PRIO] = "lru_prio",
	[DP_ACT_LRU_DEPRIO] = "lru_deprio",
	[DP_ACT_MIGRATE_HOT] = "migrate_hot",
	[DP_ACT_MIGRATE_COLD] = "migrate_cold",
	[DP_ACT_STAT] = "stat",
	[NR_DP_ACTIONS] = NULL,
};

/** dp_sysfs_action_name() - the name the action file gives @action. */
const char *dp_sysfs_action_name(enum dp_action action)
{
	return action < NR_DP_ACTIONS ? dp_sysfs_action_names[action] : "";
}

/** dp_sysfs_action_parse() - the action named @name; -EINVAL if none. */
int dp_sysfs_action_parse(const char *name)
{
	int i = match_string(dp_sysfs_action_names, NR_DP_ACTIONS, name);

	return i < 0 ? -EINVAL : i;
}

static const char * const dp_sysfs_goal_metric_names[] = {
	[DP_GOAL_USER_INPUT] = "user_input",
	[DP_GOAL_SOME_MEM_PSI_US] = "some_mem_psi_us",
	[DP_GOAL_NODE_MEM_USED_BP] = "node_mem_used_bp",
	[DP_GOAL_NODE_MEM_FREE_BP] = "node_mem_free_bp",
	[DP_GOAL_ACTIVE_MEM_BP] = "active_mem_bp",
	[DP_GOAL_INACTIVE_MEM_BP] = "inactive_mem_bp",
	[DP_GOAL_NODE_MEMCG_USED_BP] = "node_memcg_used_bp",
	[DP_GOAL_NODE_MEMCG_FREE_BP] = "node_memcg_free_bp",
	[DP_GOAL_NODE_ELIGIBLE_MEM_BP] = "node_eligible_mem_bp",
	[DP_GOAL_HUGEPAGE_MEM_BP] = "hugepage_mem_bp",
	[NR_DP_GOAL_METRICS] = NULL,
};

static const char * const dp_sysfs_goal_tuner_names[] = {
	[DP_GOAL_TUNER_CONSIST] = "consist",
	[DP_GOAL_TUNER_TEMPORAL] = "temporal",
	[NR_DP_GOAL_TUNERS] = NULL,
};

static const char * const dp_sysfs_wmark_metric_names[] = {
	[DP_WMARK_NONE] = "none",
	[DP_WMARK_FREE_MEM_RATE] = "free_mem_rate",
	[NR_DP_WMARK_METRICS] = NULL,
};

static const char * const dp_sysfs_filter_type_names[] = {
	[DP_FILTER_ANON] = "anon",
	[DP_FILTER_MEMCG] = "memcg",
	[DP_FILTER_YOUNG] = "young",
	[DP_FILTER_ADDR] = "addr",
	[DP_FILTER_TARGET] = "target",
	[DP_FILTER_ACTIVE] = "active",
	[DP_FILTER_HUGEPAGE_SIZE] = "hugepage_size",
	[DP_FILTER_UNMAPPED] = "unmapped",
	[NR_DP_FILTER_TYPES] = NULL,
};

/*
 * quotas/goals/G/{target_metric,target_value,current_value,nid,path}
 */

struct dp_sysfs_goal {
	struct kobject kobj;
	unsigned int metric;
	unsigned long target_value;
	unsigned long current_value;
	int nid;
	char *path;
};

DP_SYSFS_ENUM_ATTR(dp_sysfs_goal_metric_attr, target_metric,
		   struct dp_sysfs_goal, metric, dp_sysfs_goal_metric_names);
DP_SYSFS_ULONG_ATTR(dp_sysfs_goal_target_attr, target_value,
		    struct dp_sysfs_goal, target_value);
DP_SYSFS_ULONG_ATTR(dp_sysfs_goal_current_attr, current_value,
		    struct dp_sysfs_goal, current_value);
DP_SYSFS_INT_ATTR(dp_sysfs_goal_nid_attr, nid, struct dp_sysfs_goal, nid);
/* For upstream's node_memcg_* metrics, which this module lacks so far. */
DP_SYSFS_STR_ATTR(dp_sysfs_goal_path_attr, path, struct dp_sysfs_goal, path);

static struct attribute *dp_sysfs_goal_attrs[] = {
	&dp_sysfs_goal_metric_attr.kattr.attr,
	&dp_sysfs_goal_target_attr.kattr.attr,
	&dp_sysfs_goal_current_attr.kattr.attr,
	&dp_sysfs_goal_nid_attr.kattr.attr,
	&dp_sysfs_goal_path_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_goal);

static void dp_sysfs_goal_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct dp_sysfs_goal, kobj)->path);
	dp_sysfs_release(kobj);
}

static const struct kobj_type dp_sysfs_goal_ktype = {
	.release = dp_sysfs_goal_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = dp_sysfs_goal_groups,
};

static struct kobject *dp_sysfs_goal_add(struct kobject *parent, int idx)
{
	struct dp_sysfs_goal *goal;

	goal = dp_sysfs_new_dir(sizeof(*goal), &dp_sysfs_goal_ktype, parent,
				"%d", idx);

	return IS_ERR(goal) ? ERR_CAST(goal) : &goal->kobj;
}

static const struct dp_sysfs_list_ops dp_sysfs_goals_ops = {
	.add = dp_sysfs_goal_add,
	.rm = dp_sysfs_dir_rm,
	.max_nr = 16,
};

/*
 * quotas/{ms,bytes,reset_interval_ms,effective_bytes},
 * quotas/weights/{sz_permil,nr_accesses_permil,age_permil}
 */

struct dp_sysfs_weights {
	struct kobject kobj;
	unsigned long sz;
	unsigned long nr_accesses;
	unsigned long age;
};

DP_SYSFS_ULONG_ATTR(dp_sysfs_weight_sz_attr, sz_permil,
		    struct dp_sysfs_weights, sz);
DP_SYSFS_ULONG_ATTR(dp_sysfs_weight_nr_accesses_attr, nr_accesses_permil,
		    struct dp_sysfs_weights, nr_accesses);
DP_SYSFS_ULONG_ATTR(dp_sysfs_weight_age_attr, age_permil,
		    struct dp_sysfs_weights, age);

static struct attribute *dp_sysfs_weights_attrs[] = {
	&dp_sysfs_weight_sz_attr.kattr.attr,
	&dp_sysfs_weight_nr_accesses_attr.kattr.attr,
	&dp_sysfs_weight_age_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_weights);
DP_SYSFS_KTYPE(weights);

struct dp_sysfs_quotas {
	struct kobject kobj;
	unsigned long ms;
	unsigned long bytes;
	unsigned long reset_interval_ms;
	unsigned long effective_bytes;
	unsigned int goal_tuner;
	unsigned int fail_charge_num;
	unsigned int fail_charge_denom;
	struct dp_sysfs_weights *weights;
	struct dp_sysfs_list *goals;
};

DP_SYSFS_ULONG_ATTR(dp_sysfs_quota_ms_attr, ms, struct dp_sysfs_quotas, ms);
DP_SYSFS_ULONG_ATTR(dp_sysfs_quota_bytes_attr, bytes, struct dp_sysfs_quotas,
		    bytes);
DP_SYSFS_ULONG_ATTR(dp_sysfs_quota_reset_attr, reset_interval_ms,
		    struct dp_sysfs_quotas, reset_interval_ms);
DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_quota_esz_attr, effective_bytes,
		       struct dp_sysfs_quotas, effective_bytes);
DP_SYSFS_ENUM_ATTR(dp_sysfs_quota_tuner_attr, goal_tuner,
		   struct dp_sysfs_quotas, goal_tuner,
		   dp_sysfs_goal_tuner_names);
DP_SYSFS_UINT_ATTR(dp_sysfs_quota_fail_num_attr, fail_charge_num,
		   struct dp_sysfs_quotas, fail_charge_num);
DP_SYSFS_UINT_ATTR(dp_sysfs_quota_fail_denom_attr, fail_charge_denom,
		   struct dp_sysfs_quotas, fail_charge_denom);

static struct attribute *dp_sysfs_quotas_attrs[] = {
	&dp_sysfs_quota_ms_attr.kattr.attr,
	&dp_sysfs_quota_bytes_attr.kattr.attr,
	&dp_sysfs_quota_reset_attr.kattr.attr,
	&dp_sysfs_quota_esz_attr.kattr.attr,
	&dp_sysfs_quota_tuner_attr.kattr.attr,
	&dp_sysfs_quota_fail_num_attr.kattr.attr,
	&dp_sysfs_quota_fail_denom_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_quotas);
DP_SYSFS_KTYPE(quotas);

static void dp_sysfs_quotas_rm(struct dp_sysfs_quotas *quotas)
{
	if (quotas->goals)
		dp_sysfs_list_rm(quotas->goals);
	if (quotas->weights)
		dp_sysfs_dir_rm(&quotas->weights->kobj);
	dp_sysfs_dir_rm(&quotas->kobj);
}

static struct dp_sysfs_quotas *dp_sysfs_quotas_add(struct kobject *parent)
{
	struct dp_sysfs_quotas *quotas;
	void *child;

	quotas = dp_sysfs_new_dir(sizeof(*quotas), &dp_sysfs_quotas_ktype,
				  parent, "quotas");
	if (IS_ERR(quotas))
		return quotas;
	child = dp_sysfs_new_dir(sizeof(struct dp_sysfs_weights),
				 &dp_sysfs_weights_ktype, &quotas->kobj,
				 "weights");
	if (IS_ERR(child))
		goto fail;
	quotas->weights = child;
	child = dp_sysfs_list_add(&quotas->kobj, "goals", &dp_sysfs_goals_ktype,
				  &dp_sysfs_goals_ops);
	if (IS_ERR(child))
		goto fail;
	quotas->goals = child;
	return quotas;
fail:
	dp_sysfs_quotas_rm(quotas);
	return child;
}

/*
 * watermarks/{metric,interval_us,high,mid,low}
 */

struct dp_sysfs_wmarks {
	struct kobject kobj;
	unsigned int metric;
	unsigned long interval_us;
	unsigned long high;
	unsigned long mid;
	unsigned long low;
};

DP_SYSFS_ENUM_ATTR(dp_sysfs_wmarks_metric_attr, metric,
		   struct dp_sysfs_wmarks, metric, dp_sysfs_wmark_metric_names);
DP_SYSFS_ULONG_ATTR(dp_sysfs_wmarks_interval_attr, interval_us,
		    struct dp_sysfs_wmarks, interval_us);
DP_SYSFS_ULONG_ATTR(dp_sysfs_wmarks_high_attr, high, struct dp_sysfs_wmarks,
		    high);
DP_SYSFS_ULONG_ATTR(dp_sysfs_wmarks_mid_attr, mid, struct dp_sysfs_wmarks,
		    mid);
DP_SYSFS_ULONG_ATTR(dp_sysfs_wmarks_low_attr, low, struct dp_sysfs_wmarks,
		    low);

static struct attribute *dp_sysfs_wmarks_attrs[] = {
	&dp_sysfs_wmarks_metric_attr.kattr.attr,
	&dp_sysfs_wmarks_interval_attr.kattr.attr,
	&dp_sysfs_wmarks_high_attr.kattr.attr,
	&dp_sysfs_wmarks_mid_attr.kattr.attr,
	&dp_sysfs_wmarks_low_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_wmarks);
DP_SYSFS_KTYPE(wmarks);

/*
 * dests/D/{id,weight}
 */

struct dp_sysfs_dest {
	struct kobject kobj;
	struct dp_migrate_dest dest;
};

DP_SYSFS_UINT_ATTR(dp_sysfs_dest_id_attr, id, struct dp_sysfs_dest, dest.id);
DP_SYSFS_UINT_ATTR(dp_sysfs_dest_weight_attr, weight, struct dp_sysfs_dest,
		   dest.weight);

static struct attribute *dp_sysfs_dest_attrs[] = {
	&dp_sysfs_dest_id_attr.kattr.attr,
	&dp_sysfs_dest_weight_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_dest);
DP_SYSFS_KTYPE(dest);

static struct kobject *dp_sysfs_dest_add(struct kobject *parent, int idx)
{
	struct dp_sysfs_dest *dest;

	dest = dp_sysfs_new_dir(sizeof(*dest), &dp_sysfs_dest_ktype, parent,
				"%d", idx);
	return IS_ERR(dest) ? ERR_CAST(dest) : &dest->kobj;
}

/*
 * Upstream sets no bound; this one only bounds the work of one write, as
 * the other lists' do (above the largest MAX_NUMNODES of x86 and arm64).
 */
static const struct dp_sysfs_list_ops dp_sysfs_dests_ops = {
	.add = dp_sysfs_dest_add,
	.rm = dp_sysfs_dir_rm,
	.max_nr = 1024,
};

/*
 * {core_,ops_,}filters/F/{type,matching,allow,memcg_path,addr_start,
 * addr_end,damon_target_idx,min,max}
 */

/*
 * Which filters a directory takes (upstream 6.15+): core_filters/ only
 * those the core applies to regions, ops_filters/ only those the
 * operations apply to folios, filters/ both.
 */
enum dp_sysfs_filter_layer {
	DP_SYSFS_FILTER_BOTH,
	DP_SYSFS_FILTER_CORE,
	DP_SYSFS_FILTER_OPS,
};

struct dp_sysfs_filter {
	struct kobject kobj;
	enum dp_sysfs_filter_layer layer;
	unsigned int type;
	bool matching;
	bool allow;
	unsigned long sz_min;
	unsigned long sz_max;
	char *memcg_path;
	unsigned long addr_start;
	unsigned long addr_end;
	int target_idx;
};

/* Any string, as upstream: it is looked up at on/commit, not here. */
DP_SYSFS_STR_ATTR(dp_sysfs_filter_memcg_path_attr, memcg_path,
		  struct dp_sysfs_filter, memcg_path);

/* A type the directory's layer does not handle is EINVAL, as upstream. */
static ssize_t type_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	struct dp_sysfs_filter *filter = container_of(kobj,
			struct dp_sysfs_filter, kobj);
	unsigned int i;

	/* The probes' own types have no name here (NULL). */
	for (i = 0; i < NR_DP_FILTER_TYPES; i++)
		if (dp_sysfs_filter_type_names[i] &&
		    sysfs_streq(buf, dp_sysfs_filter_type_names[i]))
			break;
	if (i == NR_DP_FILTER_TYPES ||
	    (filter->layer == DP_SYSFS_FILTER_CORE &&
	     dp_filter_type_for_ops(i)) ||
	    (filter->layer == DP_SYSFS_FILTER_OPS &&
	     !dp_filter_type_for_ops(i)))
		return -EINVAL;
	return dp_sysfs_enum_store(kobj, attr, buf, count);
}

static struct dp_sysfs_enum_attr dp_sysfs_filter_type_attr = {
	.kattr = __ATTR(type, 0600, dp_sysfs_enum_show, type_store),
	.offset = offsetof(struct dp_sysfs_filter, type),
	.names = dp_sysfs_filter_type_names,
};
DP_SYSFS_BOOL_ATTR(dp_sysfs_filter_matching_attr, matching,
		   struct dp_sysfs_filter, matching);
DP_SYSFS_BOOL_ATTR(dp_sysfs_filter_allow_attr, allow, struct dp_sysfs_filter,
		   allow);
DP_SYSFS_ULONG_ATTR(dp_sysfs_filter_start_attr, addr_start,
		    struct dp_sysfs_filter, addr_start);
DP_SYSFS_ULONG_ATTR(dp_sysfs_filter_end_attr, addr_end,
		    struct dp_sysfs_filter, addr_end);
DP_SYSFS_INT_ATTR(dp_sysfs_filter_target_attr, damon_target_idx,
		  struct dp_sysfs_filter, target_idx);
DP_SYSFS_ULONG_ATTR(dp_sysfs_filter_min_attr, min, struct dp_sysfs_filter,
		    sz_min);
DP_SYSFS_ULONG_ATTR(dp_sysfs_filter_max_attr, max, struct dp_sysfs_filter,
		    sz_max);

static struct attribute *dp_sysfs_filter_attrs[] = {
	&dp_sysfs_filter_type_attr.kattr.attr,
	&dp_sysfs_filter_matching_attr.kattr.attr,
	&dp_sysfs_filter_allow_attr.kattr.attr,
	&dp_sysfs_filter_memcg_path_attr.kattr.attr,
	&dp_sysfs_filter_start_attr.kattr.attr,
	&dp_sysfs_filter_end_attr.kattr.attr,
	&dp_sysfs_filter_target_attr.kattr.attr,
	&dp_sysfs_filter_min_attr.kattr.attr,
	&dp_sysfs_filter_max_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_filter);
DP_SYSFS_KTYPE(filter);

static struct kobject *dp_sysfs_filter_add_to(struct kobject *parent,
					      int idx,
					      enum dp_sysfs_filter_layer layer)
{
	struct dp_sysfs_filter *filter;

	filter = dp_sysfs_new_dir(sizeof(*filter), &dp_sysfs_filter_ktype,
				  parent, "%d", idx);
	if (IS_ERR(filter))
		return ERR_CAST(filter);
	/* Before any write can come: the directory was empty till now. */
	filter->layer = layer;
	return &filter->kobj;
}

static struct kobject *dp_sysfs_filter_add(struct kobject *parent, int idx)
{
	return dp_sysfs_filter_add_to(parent, idx, DP_SYSFS_FILTER_BOTH);
}

static struct kobject *dp_sysfs_core_filter_add(struct kobject *parent,
						int idx)
{
	return dp_sysfs_filter_add_to(parent, idx, DP_SYSFS_FILTER_CORE);
}

static struct kobject *dp_sysfs_ops_filter_add(struct kobject *parent,
					       int idx)
{
	return dp_sysfs_filter_add_to(parent, idx, DP_SYSFS_FILTER_OPS);
}

static void dp_sysfs_filter_rm(struct kobject *kobj)
{
	struct dp_sysfs_filter *filter = container_of(kobj,
			struct dp_sysfs_filter, kobj);

	/* Out of sysfs first: no reader or writer comes after the free. */
	kobject_del(kobj);
	kfree(filter->memcg_path);
	kobject_put(kobj);
}

static const struct dp_sysfs_list_ops dp_sysfs_filters_ops = {
	.add = dp_sysfs_filter_add,
	.rm = dp_sysfs_filter_rm,
	.max_nr = 64,
};

static const struct dp_sysfs_list_ops dp_sysfs_core_filters_ops = {
	.add = dp_sysfs_core_filter_add,
	.rm = dp_sysfs_filter_rm,
	.max_nr = 64,
};

static const struct dp_sysfs_list_ops dp_sysfs_ops_filters_ops = {
	.add = dp_sysfs_ops_filter_add,
	.rm = dp_sysfs_filter_rm,
	.max_nr = 64,
};

/*
 * stats/{nr_tried,sz_tried,nr_applied,sz_applied,qt_exceeds,
 * sz_ops_filter_passed,nr_snapshots,max_nr_snapshots}
 */

struct dp_sysfs_stats {
	struct kobject kobj;
	struct dp_scheme_stat stat;
	unsigned long max_nr_snapshots;
};

DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_stat_nr_tried_attr, nr_tried,
		       struct dp_sysfs_stats, stat.nr_tried);
DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_stat_sz_tried_attr, sz_tried,
		       struct dp_sysfs_stats, stat.sz_tried);
DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_stat_nr_applied_attr, nr_applied,
		       struct dp_sysfs_stats, stat.nr_applied);
DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_stat_sz_applied_attr, sz_applied,
		       struct dp_sysfs_stats, stat.sz_applied);
DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_stat_qt_exceeds_attr, qt_exceeds,
		       struct dp_sysfs_stats, stat.qt_exceeds);
DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_stat_passed_attr, sz_ops_filter_passed,
		       struct dp_sysfs_stats, stat.sz_ops_filter_passed);
DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_stat_nr_snapshots_attr, nr_snapshots,
		       struct dp_sysfs_stats, stat.nr_snapshots);
/* A parameter, not a result: upstream keeps it here. */
DP_SYSFS_ULONG_ATTR(dp_sysfs_stat_max_nr_snapshots_attr, max_nr_snapshots,
		    struct dp_sysfs_stats, max_nr_snapshots);

static struct attribute *dp_sysfs_stats_attrs[] = {
	&dp_sysfs_stat_nr_tried_attr.kattr.attr,
	&dp_sysfs_stat_sz_tried_attr.kattr.attr,
	&dp_sysfs_stat_nr_applied_attr.kattr.attr,
	&dp_sysfs_stat_sz_applied_attr.kattr.attr,
	&dp_sysfs_stat_qt_exceeds_attr.kattr.attr,
	&dp_sysfs_stat_passed_attr.kattr.attr,
	&dp_sysfs_stat_nr_snapshots_attr.kattr.attr,
	&dp_sysfs_stat_max_nr_snapshots_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_stats);
DP_SYSFS_KTYPE(stats);

/*
 * tried_regions/{total_bytes,I/{start,end,nr_accesses,age,sz_filter_passed,
 * probes/P/hits}}
 */

struct dp_sysfs_tried_probe {
	struct kobject kobj;
	unsigned long hits;
};

DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_tried_hits_attr, hits,
		       struct dp_sysfs_tried_probe, hits);

static struct attribute *dp_sysfs_tried_probe_attrs[] = {
	&dp_sysfs_tried_hits_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_tried_probe);
DP_SYSFS_KTYPE(tried_probe);

struct dp_sysfs_tried_region {
	struct kobject kobj;
	struct dp_sysfs_tried info;
	struct kobject *probes;
	struct dp_sysfs_tried_probe *probe[DP_MAX_PROBES];
};

DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_tried_start_attr, start,
		       struct dp_sysfs_tried_region, info.start);
DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_tried_end_attr, end,
		       struct dp_sysfs_tried_region, info.end);
DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_tried_nr_accesses_attr, nr_accesses,
		       struct dp_sysfs_tried_region, info.nr_accesses);
DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_tried_age_attr, age,
		       struct dp_sysfs_tried_region, info.age);
DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_tried_passed_attr, sz_filter_passed,
		       struct dp_sysfs_tried_region, info.sz_filter_passed);

static struct attribute *dp_sysfs_tried_region_attrs[] = {
	&dp_sysfs_tried_start_attr.kattr.attr,
	&dp_sysfs_tried_end_attr.kattr.attr,
	&dp_sysfs_tried_nr_accesses_attr.kattr.attr,
	&dp_sysfs_tried_age_attr.kattr.attr,
	&dp_sysfs_tried_passed_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_tried_region);
DP_SYSFS_KTYPE(tried_region);

struct dp_sysfs_tried_regions {
	struct kobject kobj;
	unsigned long total_bytes;
	unsigned int nr;
	struct kobject **items;
};

DP_SYSFS_ULONG_RO_ATTR(dp_sysfs_tried_total_attr, total_bytes,
		       struct dp_sysfs_tried_regions, total_bytes);

static struct attribute *dp_sysfs_tried_regions_attrs[] = {
	&dp_sysfs_tried_total_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_tried_regions);
DP_SYSFS_KTYPE(tried_regions);

static void dp_sysfs_tried_region_rm(struct kobject *kobj)
{
	struct dp_sysfs_tried_region *region = container_of(kobj,
			struct dp_sysfs_tried_region, kobj);
	int i;

	for (i = 0; i < DP_MAX_PROBES; i++)
		if (region->probe[i])
			dp_sysfs_dir_rm(&region->probe[i]->kobj);
	if (region->probes)
		dp_sysfs_dir_rm(region->probes);
	dp_sysfs_dir_rm(kobj);
}

static void dp_sysfs_tried_clear(struct dp_sysfs_tried_regions *tried)
{
	while (tried->nr)
		dp_sysfs_tried_region_rm(tried->items[--tried->nr]);
	kfree(tried->items);
	tried->items = NULL;
}

/* probes/P/hits of a tried region: one per probe of the context. */
static int dp_sysfs_tried_probes_add(struct dp_sysfs_tried_region *region)
{
	struct dp_sysfs_tried_probe *probe;
	struct kobject *probes;
	unsigned int i;

	probes = dp_sysfs_plain_add(&region->kobj, "probes");
	if (IS_ERR(probes))
		return PTR_ERR(probes);
	region->probes = probes;
	for (i = 0; i < region->info.nr_probes; i++) {
		probe = dp_sysfs_new_dir(sizeof(*probe),
					 &dp_sysfs_tried_probe_ktype, probes,
					 "%u", i);
		if (IS_ERR(probe))
			return PTR_ERR(probe);
		probe->hits = region->info.probe_hits[i];
		region->probe[i] = probe;
	}
	return 0;
}

/*
 * schemes/S/{action,apply_interval_us}
 */

struct dp_sysfs_scheme {
	struct kobject kobj;
	unsigned int action;
	unsigned long apply_interval_us;
	int target_nid;
	struct kobject *access_pattern;
	struct dp_sysfs_range *sz;
	struct dp_sysfs_range *nr_accesses;
	struct dp_sysfs_range *age;
	struct dp_sysfs_quotas *quotas;
	struct dp_sysfs_wmarks *wmarks;
	struct dp_sysfs_list *core_filters;
	struct dp_sysfs_list *ops_filters;
	struct dp_sysfs_list *filters;
	struct dp_sysfs_list *dests;
	struct dp_sysfs_stats *stats;
	struct dp_sysfs_tried_regions *tried;
};

DP_SYSFS_ENUM_ATTR(dp_sysfs_scheme_action_attr, action,
		   struct dp_sysfs_scheme, action, dp_sysfs_action_names);
DP_SYSFS_ULONG_ATTR(dp_sysfs_scheme_apply_attr, apply_interval_us,
		    struct dp_sysfs_scheme, apply_interval_us);
DP_SYSFS_INT_ATTR(dp_sysfs_scheme_target_nid_attr, target_nid,
		  struct dp_sysfs_scheme, target_nid);

static struct attribute *dp_sysfs_scheme_attrs[] = {
	&dp_sysfs_scheme_action_attr.kattr.attr,
	&dp_sysfs_scheme_apply_attr.kattr.attr,
	&dp_sysfs_scheme_target_nid_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_scheme);
DP_SYSFS_KTYPE(scheme);

static struct dp_sysfs_scheme *dp_sysfs_to_scheme(struct kobject *kobj)
{
	return container_of(kobj, struct dp_sysfs_scheme, kobj);
}

static void dp_sysfs_scheme_rm(struct kobject *kobj)
{
	struct dp_sysfs_scheme *scheme = dp_sysfs_to_scheme(kobj);
	struct dp_sysfs_range *ranges[] = {
		scheme->sz, scheme->nr_accesses, scheme->age,
	};
	int i;

	if (scheme->tried) {
		dp_sysfs_tried_clear(scheme->tried);
		dp_sysfs_dir_rm(&scheme->tried->kobj);
	}
	if (scheme->stats)
		dp_sysfs_dir_rm(&scheme->stats->kobj);
	if (scheme->dests)
		dp_sysfs_list_rm(scheme->dests);
	if (scheme->filters)
		dp_sysfs_list_rm(scheme->filters);
	if (scheme->ops_filters)
		dp_sysfs_list_rm(scheme->ops_filters);
	if (scheme->core_filters)
		dp_sysfs_list_rm(scheme->core_filters);
	if (scheme->wmarks)
		dp_sysfs_dir_rm(&scheme->wmarks->kobj);
	if (scheme->quotas)
		dp_sysfs_quotas_rm(scheme->quotas);
	for (i = 0; i < ARRAY_SIZE(ranges); i++)
		if (ranges[i])
			dp_sysfs_dir_rm(&ranges[i]->kobj);
	if (scheme->access_pattern)
		dp_sysfs_dir_rm(scheme->access_pattern);
	dp_sysfs_dir_rm(kobj);
}

/* Upstream's defaults: all zero (stat, a pattern that matches nothing). */
static int dp_sysfs_scheme_fill(struct dp_sysfs_scheme *scheme)
{
	struct kobject *kobj = &scheme->kobj;
	void *child;

	child = dp_sysfs_plain_add(kobj, "access_pattern");
	if (IS_ERR(child))
		return PTR_ERR(child);
	scheme->access_pattern = child;
	child = dp_sysfs_range_add(scheme->access_pattern, "sz", 0, 0);
	if (IS_ERR(child))
		return PTR_ERR(child);
	scheme->sz = child;
	child = dp_sysfs_range_add(scheme->access_pattern, "nr_accesses", 0, 0);
	if (IS_ERR(child))
		return PTR_ERR(child);
	scheme->nr_accesses = child;
	child = dp_sysfs_range_add(scheme->access_pattern, "age", 0, 0);
	if (IS_ERR(child))
		return PTR_ERR(child);
	scheme->age = child;
	child = dp_sysfs_quotas_add(kobj);
	if (IS_ERR(child))
		return PTR_ERR(child);
	scheme->quotas = child;
	child = dp_sysfs_new_dir(sizeof(struct dp_sysfs_wmarks),
				 &dp_sysfs_wmarks_ktype, kobj, "watermarks");
	if (IS_ERR(child))
		return PTR_ERR(child);
	scheme->wmarks = child;
	child = dp_sysfs_list_add(kobj, "core_filters", &dp_sysfs_filters_ktype,
				  &dp_sysfs_core_filters_ops);
	if (IS_ERR(child))
		return PTR_ERR(child);
	scheme->core_filters = child;
	child = dp_sysfs_list_add(kobj, "ops_filters", &dp_sysfs_filters_ktype,
				  &dp_sysfs_ops_filters_ops);
	if (IS_ERR(child))
		return PTR_ERR(child);
	scheme->ops_filters = child;
	child = dp_sysfs_list_add(kobj, "filters", &dp_sysfs_filters_ktype,
				  &dp_sysfs_filters_ops);
	if (IS_ERR(child))
		return PTR_ERR(child);
	scheme->filters = child;
	child = dp_sysfs_list_add(kobj, "dests", &dp_sysfs_dests_ktype,
				  &dp_sysfs_dests_ops);
	if (IS_ERR(child))
		return PTR_ERR(child);
	scheme->dests = child;
	child = dp_sysfs_new_dir(sizeof(struct dp_sysfs_stats),
				 &dp_sysfs_stats_ktype, kobj, "stats");
	if (IS_ERR(child))
		return PTR_ERR(child);
	scheme->stats = child;
	child = dp_sysfs_new_dir(sizeof(struct dp_sysfs_tried_regions),
				 &dp_sysfs_tried_regions_ktype, kobj,
				 "tried_regions");
	if (IS_ERR(child))
		return PTR_ERR(child);
	scheme->tried = child;
	return 0;
}

static struct kobject *dp_sysfs_scheme_add(struct kobject *parent, int idx)
{
	struct dp_sysfs_scheme *scheme;
	int err;

	scheme = dp_sysfs_new_dir(sizeof(*scheme), &dp_sysfs_scheme_ktype,
				  parent, "%d", idx);
	if (IS_ERR(scheme))
		return ERR_CAST(scheme);
	scheme->target_nid = NUMA_NO_NODE;
	err = dp_sysfs_scheme_fill(scheme);
	if (err) {
		dp_sysfs_scheme_rm(&scheme->kobj);
		return ERR_PTR(err);
	}
	return &scheme->kobj;
}

const struct dp_sysfs_list_ops dp_sysfs_schemes_ops = {
	.add = dp_sysfs_scheme_add,
	.rm = dp_sysfs_scheme_rm,
	.max_nr = 64,
};

/*
 * From the directories to the core's schemes
 */

static unsigned int dp_sysfs_uint(unsigned long val)
{
	return min_t(unsigned long, val, UINT_MAX);
}

static int dp_sysfs_build_goals(struct dp_quota *quota,
				struct dp_sysfs_list *goals)
{
	int i;

	for (i = 0; i < goals->nr; i++) {
		struct dp_sysfs_goal *sg = container_of(goals->items[i],
				struct dp_sysfs_goal, kobj);
		unsigned long target = READ_ONCE(sg->target_value);
		struct dp_quota_goal *g;
		int err;

		/* As upstream's tree: a goal of target 0 is no goal. */
		if (!target)
			continue;
		g = dp_new_quota_goal(READ_ONCE(sg->metric));
		if (!g)
			return -ENOMEM;
		g->target_value = target;
		g->current_value = READ_ONCE(sg->current_value);
		g->nid = READ_ONCE(sg->nid);
		list_add_tail(&g->list, &quota->goals);
		if (g->metric != DP_GOAL_NODE_MEMCG_USED_BP &&
		    g->metric != DP_GOAL_NODE_MEMCG_FREE_BP)
			continue;
		err = dp_sysfs_memcg_id(&sg->path, &g->memcg_id, "quota goal");
		if (err)
			return err;
	}
	return 0;
}

static int dp_sysfs_build_filters(struct dp_scheme *s,
				  struct dp_sysfs_list *filters)
{
	int i;

	for (i = 0; i < filters->nr; i++) {
		struct dp_sysfs_filter *sf = container_of(filters->items[i],
				struct dp_sysfs_filter, kobj);
		struct dp_filter *f = dp_new_filter(READ_ONCE(sf->type));

		if (!f)
			return -ENOMEM;
		f->matching = READ_ONCE(sf->matching);
		f->allow = READ_ONCE(sf->allow);
		f->addr_range.start = READ_ONCE(sf->addr_start);
		f->addr_range.end = READ_ONCE(sf->addr_end);
		f->target_idx = READ_ONCE(sf->target_idx);
		f->sz_min = READ_ONCE(sf->sz_min);
		f->sz_max = READ_ONCE(sf->sz_max);
		list_add_tail(&f->list, &s->filters);
		if (f->type == DP_FILTER_MEMCG) {
			int err = dp_sysfs_memcg_id(&sf->memcg_path,
						    &f->memcg_id,
						    "memcg filter");

			if (err)
				return err;
		}
	}
	return 0;
}

static int dp_sysfs_build_dests(struct dp_scheme *s,
				struct dp_sysfs_list *dests)
{
	int i;

	if (!dests->nr)
		return 0;
	s->dests = kcalloc(dests->nr, sizeof(*s->dests), GFP_KERNEL);
	if (!s->dests)
		return -ENOMEM;
	s->nr_dests = dests->nr;
	for (i = 0; i < dests->nr; i++) {
		struct dp_sysfs_dest *sd = container_of(dests->items[i],
				struct dp_sysfs_dest, kobj);

		s->dests[i].id = READ_ONCE(sd->dest.id);
		s->dests[i].weight = READ_ONCE(sd->dest.weight);
	}
	return 0;
}

static int dp_sysfs_build_scheme(struct dp_ctx *ctx, struct kobject *kobj)
{
	struct dp_sysfs_scheme *ss = dp_sysfs_to_scheme(kobj);
	struct dp_sysfs_quotas *sq = ss->quotas;
	struct dp_sysfs_wmarks *sw = ss->wmarks;
	struct dp_scheme *s = dp_new_scheme();
	int err;

	if (!s)
		return -ENOMEM;
	list_add_tail(&s->list, &ctx->schemes);
	s->action = READ_ONCE(ss->action);
	s->apply_interval_us = READ_ONCE(ss->apply_interval_us);
	s->target_nid = READ_ONCE(ss->target_nid);
	s->pattern = (struct dp_access_pattern){
		.min_sz = READ_ONCE(ss->sz->min),
		.max_sz = READ_ONCE(ss->sz->max),
		.min_nr_accesses = dp_sysfs_uint(READ_ONCE(ss->nr_accesses->min)),
		.max_nr_accesses = dp_sysfs_uint(READ_ONCE(ss->nr_accesses->max)),
		.min_age = dp_sysfs_uint(READ_ONCE(ss->age->min)),
		.max_age = dp_sysfs_uint(READ_ONCE(ss->age->max)),
	};
	s->quota.ms = READ_ONCE(sq->ms);
	s->quota.sz = READ_ONCE(sq->bytes);
	s->quota.reset_interval = READ_ONCE(sq->reset_interval_ms);
	s->quota.weight_sz = dp_sysfs_uint(READ_ONCE(sq->weights->sz));
	s->quota.weight_nr_accesses =
		dp_sysfs_uint(READ_ONCE(sq->weights->nr_accesses));
	s->quota.weight_age = dp_sysfs_uint(READ_ONCE(sq->weights->age));
	s->quota.goal_tuner = READ_ONCE(sq->goal_tuner);
	s->quota.fail_charge_num = READ_ONCE(sq->fail_charge_num);
	s->quota.fail_charge_denom = READ_ONCE(sq->fail_charge_denom);
	s->wmarks.metric = READ_ONCE(sw->metric);
	s->wmarks.interval = READ_ONCE(sw->interval_us);
	s->wmarks.high = READ_ONCE(sw->high);
	s->wmarks.mid = READ_ONCE(sw->mid);
	s->wmarks.low = READ_ONCE(sw->low);
	err = dp_sysfs_build_goals(&s->quota, sq->goals);
	/* In upstream's order: the core's, the operations', then both. */
	if (!err)
		err = dp_sysfs_build_filters(s, ss->core_filters);
	if (!err)
		err = dp_sysfs_build_filters(s, ss->ops_filters);
	if (!err)
		err = dp_sysfs_build_filters(s, ss->filters);
	if (!err)
		err = dp_sysfs_build_dests(s, ss->dests);
	s->max_nr_snapshots = READ_ONCE(ss->stats->max_nr_snapshots);
	if (!err) {
		err = dp_scheme_valid_for(&ctx->ops, s);
		if (err)
			pr_warn_ratelimited("scheme invalid (%d): check ranges (min <= max), watermarks (high >= mid >= low), filters and goals\n",
					    err);
	}
	return err;
}

/**
 * dp_sysfs_schemes_build() - add the schemes of a schemes/ directory.
 * @ctx:	the context being built; dp_sysfs_lock held.
 * @schemes:	the schemes/ list.
 *
 * Return: 0, or -EINVAL, -EOPNOTSUPP (see dp_scheme_valid()), -ENOMEM.
 */
int dp_sysfs_schemes_build(struct dp_ctx *ctx, struct dp_sysfs_list *schemes)
{
	int i, err;

	for (i = 0; i < schemes->nr; i++) {
		err = dp_sysfs_build_scheme(ctx, schemes->items[i]);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Results: what the state commands fetch from the kdamond
 */

/**
 * struct dp_sysfs_results - what one call on the kdamond collects.
 * @ctx:	the running context.
 * @nr:		number of schemes in @schemes (the directories).
 * @want_regions: collect tried regions, else only their byte totals.
 * @schemes:	per scheme position; the context and scheme pointers of
 *		each are for the call on the kdamond only.
 */
struct dp_sysfs_results {
	struct dp_ctx *ctx;
	int nr;
	bool want_regions;
	struct dp_sysfs_scheme_result {
		struct dp_ctx *ctx;
		struct dp_scheme *s;
		bool present;
		struct dp_scheme_stat stat;
		unsigned long esz;
		unsigned long total_bytes;
		unsigned int nr_tried;
		unsigned int nr_alloc;
		struct dp_sysfs_tried *tried;
	} *schemes;
};

static void dp_sysfs_count_tried_fn(void *arg, struct dp_target *t,
				    const struct dp_region *r,
				    unsigned long start, unsigned long end)
{
	struct dp_sysfs_scheme_result *res = arg;

	res->total_bytes += end - start;
}

static void dp_sysfs_collect_tried_fn(void *arg, struct dp_target *t,
				      const struct dp_region *r,
				      unsigned long start, unsigned long end)
{
	struct dp_sysfs_scheme_result *res = arg;
	struct dp_ctx *ctx = res->ctx;
	struct dp_sysfs_tried *tried;
	struct dp_probe *p;

	if (res->nr_tried >= res->nr_alloc)
		return;
	tried = &res->tried[res->nr_tried++];
	*tried = (struct dp_sysfs_tried){
		.start = start,
		.end = end,
		.nr_accesses = r->nr_accesses_bp / DP_BP,
		.age = r->age,
	};
	if (ctx->ops.filter_passed)
		tried->sz_filter_passed = ctx->ops.filter_passed(ctx, t, start,
								 end, res->s);
	dp_for_each_probe(p, ctx) {
		if (tried->nr_probes == DP_MAX_PROBES)
			break;
		tried->probe_hits[tried->nr_probes] =
			dp_probe_hits_mvsum(ctx, r, tried->nr_probes);
		tried->nr_probes++;
	}
}

/* What the scheme would be tried on, cut at its quota as upstream's is. */
static int dp_sysfs_collect_tried(struct dp_ctx *ctx, struct dp_scheme *s,
				  struct dp_sysfs_scheme_result *res,
				  bool want_regions)
{
	unsigned int nr;

	res->total_bytes = 0;
	nr = dp_scheme_tried_walk(ctx, s, dp_sysfs_count_tried_fn, res);
	if (!want_regions || !nr)
		return 0;
	res->tried = kvcalloc(nr, sizeof(*res->tried), GFP_KERNEL);
	if (!res->tried)
		return -ENOMEM;
	res->nr_alloc = nr;
	dp_scheme_tried_walk(ctx, s, dp_sysfs_collect_tried_fn, res);
	return 0;
}

/*
 * On the kdamond: a consistent snapshot, of the frozen state if paused
 * (upstream cancels its tried-regions walks while paused; here they run).
 */
static int dp_sysfs_results_fn(void *data)
{
	struct dp_sysfs_results *results = data;
	struct dp_ctx *ctx = results->ctx;
	struct dp_scheme *s;
	int i = 0, err;

	dp_for_each_scheme(s, ctx) {
		struct dp_sysfs_scheme_result *res = &results->schemes[i];

		if (i++ >= results->nr)
			break;
		res->ctx = ctx;
		res->s = s;
		res->present = true;
		res->stat = s->stat;
		res->esz = s->quota.esz;
		err = dp_sysfs_collect_tried(ctx, s, res,
					     results->want_regions);
		if (err)
			return err;
	}
	return 0;
}

static void dp_sysfs_results_free(struct dp_sysfs_results *results)
{
	int i;

	for (i = 0; i < results->nr; i++)
		kvfree(results->schemes[i].tried);
	kfree(results->schemes);
}

/*
 * Tried regions (and bytes) are taken at the end of an aggregation
 * interval, as upstream's are, so that a region's count is the whole
 * interval's and not the moving count of some moment within it (where a
 * region accessed once or twice in the last interval may already read 0);
 * stats and quotas at once.
 */
static int dp_sysfs_results_get(struct dp_ctx *ctx, int nr,
				enum dp_sysfs_update what,
				struct dp_sysfs_results *results)
{
	struct dp_call_control control = {
		.fn = dp_sysfs_results_fn,
		.data = results,
		.at_aggregation = what == DP_SYSFS_UPDATE_TRIED ||
			what == DP_SYSFS_UPDATE_TRIED_BYTES,
	};
	int err;

	*results = (struct dp_sysfs_results){
		.ctx = ctx,
		.nr = nr,
		.want_regions = what == DP_SYSFS_UPDATE_TRIED,
	};
	results->schemes = kcalloc(max(nr, 1), sizeof(*results->schemes),
				   GFP_KERNEL);
	if (!results->schemes)
		return -ENOMEM;
	/*
	 * A kdamond that ended before it got to the request leaves every
	 * result absent: nothing is updated and the write succeeds, as
	 * upstream's does.
	 */
	err = dp_call(ctx, &control);
	if (!err)
		err = control.return_code;
	if (err)
		dp_sysfs_results_free(results);
	return err;
}

static struct dp_sysfs_scheme *dp_sysfs_nth_scheme(struct dp_sysfs_list *list,
						   int i)
{
	return dp_sysfs_to_scheme(list->items[i]);
}

static int dp_sysfs_tried_fill(struct dp_sysfs_tried_regions *tried,
			       struct dp_sysfs_scheme_result *res)
{
	unsigned int i;
	int err;

	tried->items = kcalloc(max(res->nr_tried, 1U), sizeof(*tried->items),
			       GFP_KERNEL);
	if (!tried->items)
		return -ENOMEM;
	for (i = 0; i < res->nr_tried; i++) {
		struct dp_sysfs_tried_region *region;

		region = dp_sysfs_new_dir(sizeof(*region),
					  &dp_sysfs_tried_region_ktype,
					  &tried->kobj, "%u", i);
		if (IS_ERR(region))
			return PTR_ERR(region);
		region->info = res->tried[i];
		tried->items[tried->nr++] = &region->kobj;
		err = dp_sysfs_tried_probes_add(region);
		if (err)
			return err;
	}
	return 0;
}

/**
 * dp_sysfs_schemes_update() - fetch results of a running context.
 * @ctx:	the context; dp_sysfs_lock held.
 * @schemes:	its schemes/ directories, matched by position.
 * @what:	which results.
 *
 * Tried regions and bytes come at the end of the next aggregation
 * interval, the rest at once; everything at once from the frozen state
 * when the context is paused.
 *
 * Return: 0, -EINVAL if no kdamond runs, -ENOMEM.
 */
int dp_sysfs_schemes_update(struct dp_ctx *ctx, struct dp_sysfs_list *schemes,
			    enum dp_sysfs_update what)
{
	struct dp_sysfs_results results;
	int i, err;

	if (what == DP_SYSFS_CLEAR_TRIED) {
		for (i = 0; i < schemes->nr; i++) {
			struct dp_sysfs_scheme *ss = dp_sysfs_nth_scheme(schemes, i);

			dp_sysfs_tried_clear(ss->tried);
			WRITE_ONCE(ss->tried->total_bytes, 0);
		}
		return 0;
	}
	err = dp_sysfs_results_get(ctx, schemes->nr, what, &results);
	if (err)
		return err;
	for (i = 0; i < schemes->nr && !err; i++) {
		struct dp_sysfs_scheme *ss = dp_sysfs_nth_scheme(schemes, i);
		struct dp_sysfs_scheme_result *res = &results.schemes[i];

		if (!res->present)
			break;
		switch (what) {
		case DP_SYSFS_UPDATE_STATS:
			ss->stats->stat = res->stat;
			break;
		case DP_SYSFS_UPDATE_QUOTAS:
			WRITE_ONCE(ss->quotas->effective_bytes, res->esz);
			break;
		case DP_SYSFS_UPDATE_STATS_QUOTAS:
			ss->stats->stat = res->stat;
			WRITE_ONCE(ss->quotas->effective_bytes, res->esz);
			break;
		case DP_SYSFS_UPDATE_TRIED_BYTES:
			WRITE_ONCE(ss->tried->total_bytes, res->total_bytes);
			break;
		case DP_SYSFS_UPDATE_TRIED:
			dp_sysfs_tried_clear(ss->tried);
			WRITE_ONCE(ss->tried->total_bytes, res->total_bytes);
			err = dp_sysfs_tried_fill(ss->tried, res);
			break;
		default:
			break;
		}
	}
	dp_sysfs_results_free(&results);
	return err;
}

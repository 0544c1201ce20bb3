// SPDX-License-Identifier: GPL-2.0
/*
 * The admin tree, /sys/kernel/mm/damon_pause/admin/, laid out like upstream
 * DAMON's /sys/kernel/mm/damon/admin/ so that tools only change the root:
 * kdamonds/N/{state,pid,contexts/}.  What a context directory holds is in
 * sysfs-context.c.
 */

#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <damon_pause/damon.h>

#include "compat.h"
#include "sysfs.h"
#include "sysfs-common.h"
#include "sysfs-context.h"
#include "sysfs-schemes.h"
#include "sysfs-trained.h"

static struct dp_sysfs_list *dp_sysfs_kdamonds;

/*
 * kdamonds/N
 */

/**
 * struct dp_sysfs_kdamond - a kdamond directory.
 * @kobj:	the directory.
 * @idx:	its number, also in the kdamond's thread name.
 * @contexts:	its contexts/ list.
 * @ctx_lock:	protects @ctx against readers of state and pid; changed
 *		under dp_sysfs_lock too.
 * @ctx:	the context of the last "on", kept after its kdamond ends
 *		(as upstream) until the next "on" or the directory goes.
 * @refresh_ms:	the period of @refresh; 0: none.
 * @refresh:	updates the files of tuned intervals, stats and effective
 *		quotas while the kdamond runs.
 * @refreshed_paused: @refresh read the state of a paused kdamond, which
 *		cannot change until it resumes: no need to wake it again.
 */
struct dp_sysfs_kdamond {
	struct kobject kobj;
	int idx;
	struct dp_sysfs_list *contexts;
	struct mutex ctx_lock;		/* protects ctx for readers */
	struct dp_ctx *ctx;
	unsigned int refresh_ms;
	struct delayed_work refresh;
	bool refreshed_paused;
};

static struct dp_sysfs_kdamond *dp_sysfs_to_kdamond(struct kobject *kobj)
{
	return container_of(kobj, struct dp_sysfs_kdamond, kobj);
}

static bool dp_sysfs_kdamond_running(struct dp_sysfs_kdamond *kd)
{
	bool running;

	mutex_lock(&kd->ctx_lock);
	running = kd->ctx && dp_is_running(kd->ctx);
	mutex_unlock(&kd->ctx_lock);
	return running;
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  dp_sysfs_kdamond_running(dp_sysfs_to_kdamond(kobj)) ?
			  "on" : "off");
}

static ssize_t pid_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	struct dp_sysfs_kdamond *kd = dp_sysfs_to_kdamond(kobj);
	int pid = -1;

	mutex_lock(&kd->ctx_lock);
	if (kd->ctx)
		pid = dp_kdamond_pid(kd->ctx);
	mutex_unlock(&kd->ctx_lock);
	return sysfs_emit(buf, "%d\n", pid);
}

/* A call that reads the attributes the kdamond runs with. */
struct dp_sysfs_attrs_call {
	struct dp_ctx *ctx;
	struct dp_attrs attrs;
};

/* The parameters of the kdamond's only context, as a context. */
static struct dp_ctx *dp_sysfs_kdamond_params(struct dp_sysfs_kdamond *kd)
{
	if (kd->contexts->nr != 1) {
		pr_warn_ratelimited("kdamond %d needs exactly one context\n",
				    kd->idx);
		return ERR_PTR(-EINVAL);
	}
	return dp_sysfs_context_build(kd->contexts->items[0]);
}

static void dp_sysfs_kdamond_set_ctx(struct dp_sysfs_kdamond *kd,
				     struct dp_ctx *ctx)
{
	struct dp_ctx *old;

	mutex_lock(&kd->ctx_lock);
	old = kd->ctx;
	kd->ctx = ctx;
	mutex_unlock(&kd->ctx_lock);
	if (old)
		dp_destroy_ctx(old);
}

/* The trained_state file of the only context; after a params build. */
static struct dp_sysfs_trained *dp_sysfs_kdamond_trained(struct dp_sysfs_kdamond *kd)
{
	return dp_sysfs_context_trained(kd->contexts->items[0]);
}

static const char *dp_sysfs_kdamond_ops(struct dp_sysfs_kdamond *kd)
{
	return dp_sysfs_context_ops_name(kd->contexts->items[0]);
}

static int dp_sysfs_kdamond_off(struct dp_sysfs_kdamond *kd)
{
	if (!kd->ctx)
		return -EINVAL;
	return dp_stop(kd->ctx);
}

/* Applied on the kdamond, paused or not; a refusal changes nothing. */
static int dp_sysfs_kdamond_do_commit(struct dp_sysfs_kdamond *kd,
				      bool goals_only)
{
	struct dp_ctx *src;
	int err;

	/* Not running: EINVAL before anything is checked, as upstream. */
	if (!kd->ctx || !dp_is_running(kd->ctx))
		return -EINVAL;
	src = dp_sysfs_kdamond_params(kd);
	if (IS_ERR(src))
		return PTR_ERR(src);
	if (goals_only)
		err = dp_commit_running(kd->ctx, src, true);
	else	/* and a staged trained state, in the same step */
		err = dp_sysfs_trained_commit(dp_sysfs_kdamond_trained(kd),
					      kd->ctx, src,
					      dp_sysfs_kdamond_ops(kd));
	dp_destroy_ctx(src);
	return err;
}

static int dp_sysfs_kdamond_commit(struct dp_sysfs_kdamond *kd)
{
	return dp_sysfs_kdamond_do_commit(kd, false);
}

static int dp_sysfs_kdamond_commit_goals(struct dp_sysfs_kdamond *kd)
{
	return dp_sysfs_kdamond_do_commit(kd, true);
}

/* Results of the running context into the schemes' directories. */
static int dp_sysfs_kdamond_update(struct dp_sysfs_kdamond *kd,
				   enum dp_sysfs_update what)
{
	/*
	 * Every command but on, off and (as upstream 7.x) the clearing of
	 * the tried regions needs a kdamond that ran; one that ended answers
	 * with nothing updated.
	 */
	if (kd->contexts->nr != 1 || (!kd->ctx && what != DP_SYSFS_CLEAR_TRIED))
		return -EINVAL;
	return dp_sysfs_schemes_update(kd->ctx,
			dp_sysfs_context_schemes(kd->contexts->items[0]), what);
}

static int dp_sysfs_kdamond_update_stats(struct dp_sysfs_kdamond *kd)
{
	return dp_sysfs_kdamond_update(kd, DP_SYSFS_UPDATE_STATS);
}

static int dp_sysfs_kdamond_update_tried_bytes(struct dp_sysfs_kdamond *kd)
{
	return dp_sysfs_kdamond_update(kd, DP_SYSFS_UPDATE_TRIED_BYTES);
}

static int dp_sysfs_kdamond_update_tried(struct dp_sysfs_kdamond *kd)
{
	return dp_sysfs_kdamond_update(kd, DP_SYSFS_UPDATE_TRIED);
}

static int dp_sysfs_kdamond_clear_tried(struct dp_sysfs_kdamond *kd)
{
	return dp_sysfs_kdamond_update(kd, DP_SYSFS_CLEAR_TRIED);
}

static int dp_sysfs_kdamond_update_quotas(struct dp_sysfs_kdamond *kd)
{
	return dp_sysfs_kdamond_update(kd, DP_SYSFS_UPDATE_QUOTAS);
}

static int dp_sysfs_attrs_fn(void *data)
{
	struct dp_sysfs_attrs_call *call = data;

	call->attrs = call->ctx->attrs;
	return 0;
}

/* The intervals the kdamond runs with, auto-tuned, into the files. */
static int dp_sysfs_kdamond_update_intervals(struct dp_sysfs_kdamond *kd)
{
	struct dp_sysfs_attrs_call call = { .ctx = kd->ctx };
	struct dp_call_control control = {
		.fn = dp_sysfs_attrs_fn,
		.data = &call,
	};
	int err;

	if (kd->contexts->nr != 1 || !kd->ctx)
		return -EINVAL;
	err = dp_call(kd->ctx, &control);
	if (err)
		return err;
	dp_sysfs_context_set_intervals(kd->contexts->items[0], &call.attrs);
	return 0;
}

/*
 * The trained state of the kdamond's context into its trained_state file:
 * the running one's, paused or not, or what the last one had at its end.
 */
static int dp_sysfs_kdamond_update_trained(struct dp_sysfs_kdamond *kd)
{
	if (kd->contexts->nr != 1 || !kd->ctx)
		return -EINVAL;
	return dp_sysfs_trained_update(dp_sysfs_kdamond_trained(kd), kd->ctx,
				       dp_sysfs_kdamond_ops(kd));
}

/*
 * refresh_ms: what upstream's kdamond does every refresh_ms by itself, done
 * here by a work item; it sleeps while the kdamond is off, and wakes a
 * paused kdamond only once, since nothing it reads changes until a resume.
 */
static void dp_sysfs_refresh_fn(struct work_struct *work)
{
	struct dp_sysfs_kdamond *kd = container_of(to_delayed_work(work),
			struct dp_sysfs_kdamond, refresh);
	unsigned int ms = READ_ONCE(kd->refresh_ms);
	bool paused;

	if (!ms)
		return;
	/* Never waits for the lock: whoever holds it may be cancelling us. */
	if (dp_sysfs_trylock()) {
		if (!kd->ctx || !dp_is_running(kd->ctx)) {
			mutex_unlock(&dp_sysfs_lock);
			return;
		}
		paused = READ_ONCE(kd->ctx->pause);
		if (!paused || !kd->refreshed_paused) {
			dp_sysfs_kdamond_update_intervals(kd);
			dp_sysfs_kdamond_update(kd,
						DP_SYSFS_UPDATE_STATS_QUOTAS);
		}
		kd->refreshed_paused = paused;
		mutex_unlock(&dp_sysfs_lock);
	}
	schedule_delayed_work(&kd->refresh, msecs_to_jiffies(ms));
}

/* (Re)starts the refresh of a running kdamond; dp_sysfs_lock held. */
static void dp_sysfs_refresh_start(struct dp_sysfs_kdamond *kd)
{
	unsigned int ms = READ_ONCE(kd->refresh_ms);

	kd->refreshed_paused = false;
	if (ms && kd->ctx && dp_is_running(kd->ctx))
		mod_delayed_work(system_wq, &kd->refresh, msecs_to_jiffies(ms));
}

static ssize_t refresh_ms_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(dp_sysfs_to_kdamond(kobj)->refresh_ms));
}

static ssize_t refresh_ms_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	struct dp_sysfs_kdamond *kd = dp_sysfs_to_kdamond(kobj);
	unsigned int ms;
	int err;

	err = kstrtouint(buf, 0, &ms);
	if (err)
		return err;
	/* Armed even while off: the work stops by itself if no kdamond runs. */
	WRITE_ONCE(kd->refresh_ms, ms);
	if (ms)
		mod_delayed_work(system_wq, &kd->refresh, msecs_to_jiffies(ms));
	else	/* no update after the write returns */
		cancel_delayed_work_sync(&kd->refresh);
	return count;
}

static int dp_sysfs_kdamond_on(struct dp_sysfs_kdamond *kd)
{
	struct dp_ctx *ctx;
	char name[TASK_COMM_LEN];
	int err;

	if (kd->ctx && dp_is_running(kd->ctx))
		return -EBUSY;
	ctx = dp_sysfs_kdamond_params(kd);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	/* From a staged trained state, if any: it is consumed here. */
	err = dp_sysfs_trained_restore(dp_sysfs_kdamond_trained(kd), ctx,
				       dp_sysfs_kdamond_ops(kd));
	snprintf(name, sizeof(name), "kdamond_p.%d", kd->idx);
	if (!err)
		err = dp_start(ctx, name);
	if (err) {
		dp_destroy_ctx(ctx);
		return err;
	}
	dp_sysfs_trained_consumed(dp_sysfs_kdamond_trained(kd));
	dp_sysfs_kdamond_set_ctx(kd, ctx);
	dp_sysfs_refresh_start(kd);
	return 0;
}

static const struct {
	const char *name;
	int (*handle)(struct dp_sysfs_kdamond *kd);
} dp_sysfs_cmds[] = {
	{ "on", dp_sysfs_kdamond_on },
	{ "off", dp_sysfs_kdamond_off },
	{ "commit", dp_sysfs_kdamond_commit },
	{ "commit_schemes_quota_goals", dp_sysfs_kdamond_commit_goals },
	{ "update_schemes_stats", dp_sysfs_kdamond_update_stats },
	{ "update_schemes_tried_bytes", dp_sysfs_kdamond_update_tried_bytes },
	{ "update_schemes_tried_regions", dp_sysfs_kdamond_update_tried },
	{ "clear_schemes_tried_regions", dp_sysfs_kdamond_clear_tried },
	{ "update_schemes_effective_quotas", dp_sysfs_kdamond_update_quotas },
	{ "update_tuned_intervals", dp_sysfs_kdamond_update_intervals },
	{ "update_trained_state", dp_sysfs_kdamond_update_trained },
};

static ssize_t state_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct dp_sysfs_kdamond *kd = dp_sysfs_to_kdamond(kobj);
	int err = -EINVAL;
	int i;

	if (!dp_sysfs_trylock())
		return -EBUSY;
	for (i = 0; i < ARRAY_SIZE(dp_sysfs_cmds); i++) {
		if (sysfs_streq(buf, dp_sysfs_cmds[i].name)) {
			err = dp_sysfs_cmds[i].handle(kd);
			break;
		}
	}
	mutex_unlock(&dp_sysfs_lock);
	return err ? err : count;
}

static struct kobj_attribute dp_sysfs_state_attr =
		__ATTR_RW_MODE(state, 0600);
static struct kobj_attribute dp_sysfs_pid_attr = __ATTR_RO_MODE(pid, 0400);
static struct kobj_attribute dp_sysfs_refresh_ms_attr =
		__ATTR_RW_MODE(refresh_ms, 0600);

static struct attribute *dp_sysfs_kdamond_attrs[] = {
	&dp_sysfs_state_attr.attr,
	&dp_sysfs_pid_attr.attr,
	&dp_sysfs_refresh_ms_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_kdamond);

static const struct kobj_type dp_sysfs_kdamond_ktype = {
	.release = dp_sysfs_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = dp_sysfs_kdamond_groups,
};

/* Stops its kdamond first: the directory never outlives its context. */
static void dp_sysfs_kdamond_rm(struct kobject *kobj)
{
	struct dp_sysfs_kdamond *kd = dp_sysfs_to_kdamond(kobj);

	if (kd->contexts)
		dp_sysfs_list_rm(kd->contexts);
	/* Gone from sysfs before the context, so no reader sees it freed. */
	kobject_del(kobj);
	/*
	 * No refresh_ms write can arm the refresh any more.  It never waits
	 * for dp_sysfs_lock, which we hold, so this cannot block on it, and
	 * it cannot be past the lock, in the contexts just removed.
	 */
	cancel_delayed_work_sync(&kd->refresh);
	if (kd->ctx) {
		dp_stop(kd->ctx);
		dp_destroy_ctx(kd->ctx);
	}
	mutex_destroy(&kd->ctx_lock);
	kobject_put(kobj);
}

static struct kobject *dp_sysfs_kdamond_add(struct kobject *parent, int idx)
{
	struct dp_sysfs_kdamond *kd = kzalloc(sizeof(*kd), GFP_KERNEL);
	struct dp_sysfs_list *contexts;
	int err;

	if (!kd)
		return ERR_PTR(-ENOMEM);
	kd->idx = idx;
	mutex_init(&kd->ctx_lock);
	INIT_DELAYED_WORK(&kd->refresh, dp_sysfs_refresh_fn);
	err = dp_sysfs_dir_add(&kd->kobj, &dp_sysfs_kdamond_ktype, parent,
			       "%d", idx);
	if (err)
		return ERR_PTR(err);
	contexts = dp_sysfs_list_add(&kd->kobj, "contexts",
				     &dp_sysfs_contexts_ktype,
				     &dp_sysfs_contexts_ops);
	if (IS_ERR(contexts)) {
		dp_sysfs_kdamond_rm(&kd->kobj);
		return ERR_CAST(contexts);
	}
	kd->contexts = contexts;
	return &kd->kobj;
}

/*
 * kdamonds/
 */

static int dp_sysfs_kdamonds_check_nr(struct dp_sysfs_list *list, int nr)
{
	int i;

	for (i = 0; i < list->nr; i++)
		if (dp_sysfs_kdamond_running(dp_sysfs_to_kdamond(list->items[i])))
			return -EBUSY;
	return 0;
}

/* Far more kdamonds than CPUs to run them; bounds the work of one write. */
#define DP_SYSFS_MAX_NR_KDAMONDS	1024

static const struct dp_sysfs_list_ops dp_sysfs_kdamonds_ops = {
	.add = dp_sysfs_kdamond_add,
	.rm = dp_sysfs_kdamond_rm,
	.check_nr = dp_sysfs_kdamonds_check_nr,
	.max_nr = DP_SYSFS_MAX_NR_KDAMONDS,
};

/**
 * dp_sysfs_visit_ctxs() - visit each kdamond directory's context.
 * @visitor:	what to call, under dp_sysfs_lock.
 *
 * For the debugfs dump, which is never removed under dp_sysfs_lock and so
 * may block on it.
 *
 * Return: 0, -ENODEV once the module is going (dp_sysfs_close()), -EINTR
 * if interrupted while waiting for the lock, or the first error of
 * @visitor.
 */
int dp_sysfs_visit_ctxs(const struct dp_sysfs_ctx_visitor *visitor)
{
	struct dp_sysfs_list *kdamonds = dp_sysfs_kdamonds;
	int i, err = 0;

	/* Nor does it wait for the lock once the unload waits for it. */
	if (dp_sysfs_closed())
		return -ENODEV;
	if (mutex_lock_interruptible(&dp_sysfs_lock))
		return -EINTR;
	for (i = 0; kdamonds && i < kdamonds->nr && !err; i++) {
		struct dp_sysfs_kdamond *kd =
			dp_sysfs_to_kdamond(kdamonds->items[i]);

		err = visitor->visit(kd->idx, kd->ctx, visitor->arg);
	}
	mutex_unlock(&dp_sysfs_lock);
	return err;
}

/*
 * The root: damon_pause/ and damon_pause/admin/
 */

static struct kobject *dp_sysfs_mm;	/* /sys/kernel/mm, held */
static struct kobject *dp_sysfs_root;
static struct kobject *dp_sysfs_admin;

/**
 * dp_sysfs_init() - create /sys/kernel/mm/damon_pause/admin/kdamonds/.
 *
 * Return: 0 on success, or a negative error code with nothing created.
 */
int dp_sysfs_init(void)
{
	struct dp_sysfs_list *kdamonds;
	int err;

	/* (DP_FEAT_SYSFS needs no symbol since it is found by name.) */
	dp_sysfs_mm = dp_mm_kobj_get();
	if (!dp_sysfs_mm) {
		pr_err("cannot find /sys/kernel/mm for the admin tree\n");
		return -EOPNOTSUPP;
	}

	dp_sysfs_root = kobject_create_and_add("damon_pause", dp_sysfs_mm);
	if (!dp_sysfs_root) {
		err = -ENOMEM;
		goto err_put_mm;
	}
	dp_sysfs_admin = kobject_create_and_add("admin", dp_sysfs_root);
	if (!dp_sysfs_admin) {
		err = -ENOMEM;
		goto err_put_root;
	}
	kdamonds = dp_sysfs_list_add(dp_sysfs_admin, "kdamonds",
				     &dp_sysfs_kdamonds_ktype,
				     &dp_sysfs_kdamonds_ops);
	if (IS_ERR(kdamonds)) {
		err = PTR_ERR(kdamonds);
		goto err_put_admin;
	}
	dp_sysfs_kdamonds = kdamonds;
	return 0;

err_put_admin:
	kobject_put(dp_sysfs_admin);
err_put_root:
	kobject_put(dp_sysfs_root);
err_put_mm:
	kobject_put(dp_sysfs_mm);
	return err;
}

/**
 * dp_sysfs_mm_kobj() - /sys/kernel/mm, between init and exit.
 */
struct kobject *dp_sysfs_mm_kobj(void)
{
	return dp_sysfs_mm;
}

/**
 * dp_sysfs_root_kobj() - /sys/kernel/mm/damon_pause, between init and exit.
 */
struct kobject *dp_sysfs_root_kobj(void)
{
	return dp_sysfs_root;
}

/**
 * dp_sysfs_exit() - stop every kdamond and remove the whole admin tree.
 */
void dp_sysfs_exit(void)
{
	/*
	 * A writer may hold the lock while it waits on a kdamond (a tried
	 * regions update waits for the next aggregation, however long the
	 * interval): stopping every kdamond cancels its wait.
	 */
	while (!mutex_trylock(&dp_sysfs_lock)) {
		dp_stop_all();
		msleep(20);
	}
	dp_sysfs_list_rm(dp_sysfs_kdamonds);
	dp_sysfs_kdamonds = NULL;
	mutex_unlock(&dp_sysfs_lock);
	kobject_put(dp_sysfs_admin);
	kobject_put(dp_sysfs_root);
	kobject_put(dp_sysfs_mm);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The hot-region hugepage supervisor's module parameters (DESIGN §2.2):
 * its inputs, each checked on its own and against the others so that a bad
 * write is refused whole (-EINVAL) and the previous value stays in force;
 * supervisor, which starts and stops it; commit_inputs, which hands changed
 * inputs to a running supervisor; and its read-only status (keep_trained
 * is src/hugepage-trained.c's).
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/threads.h>

#include <damon_pause/damon.h>

#include "hugepage.h"

/* Protects dp_hp_params; never held while waiting for the supervisor. */
static DEFINE_MUTEX(dp_hugepage_params_lock);
/*
 * The defaults, each written once: in the inputs below and, through
 * DP_HP_ULONG_PARAM(), in its parameter's description.
 */
#define DP_HP_DEFAULT_monitor_period		5000000
#define DP_HP_DEFAULT_sample_interval		DP_DEFAULT_SAMPLE_US
#define DP_HP_DEFAULT_aggr_interval		DP_DEFAULT_AGGR_US
#define DP_HP_DEFAULT_ops_update_interval	DP_DEFAULT_OPS_UPDATE_US
#define DP_HP_DEFAULT_min_nr_regions		DP_DEFAULT_MIN_NR_REGIONS
#define DP_HP_DEFAULT_max_nr_regions		DP_DEFAULT_MAX_NR_REGIONS
#define DP_HP_DEFAULT_quota_ms			10
#define DP_HP_DEFAULT_quota_reset_interval_ms	1000
#define DP_HP_DEFAULT_hugepage_mem_bp		0

static struct dp_hp_params dp_hp_params = {
	.monitor_period = DP_HP_DEFAULT_monitor_period,
	.sample_interval = DP_HP_DEFAULT_sample_interval,
	.aggr_interval = DP_HP_DEFAULT_aggr_interval,
	.ops_update_interval = DP_HP_DEFAULT_ops_update_interval,
	.min_nr_regions = DP_HP_DEFAULT_min_nr_regions,
	.max_nr_regions = DP_HP_DEFAULT_max_nr_regions,
	.quota_ms = DP_HP_DEFAULT_quota_ms,
	.quota_reset_interval_ms = DP_HP_DEFAULT_quota_reset_interval_ms,
	.hugepage_mem_bp = DP_HP_DEFAULT_hugepage_mem_bp,
	.pause_idle = true,
};

static bool dp_pid_list_has(const struct dp_pid_list *list, pid_t pid)
{
	int i;

	for (i = 0; i < list->nr; i++)
		if (list->pids[i] == pid)
			return true;
	return false;
}

/**
 * dp_pid_list_parse() - parse a comma separated list of process ids.
 * @buf:	the text, e.g. "1234,5678"; one trailing newline is fine.
 * @list:	where the result goes; untouched on error.
 *
 * An empty text is an empty list.  Each item must be a decimal pid in
 * 1..PID_MAX_LIMIT, given once; at most DP_MAX_MONITORED_PIDS of them.
 *
 * Return: 0, or -EINVAL with @list unchanged.
 */
static int dp_pid_list_parse(const char *buf, struct dp_pid_list *list)
{
	struct dp_pid_list parsed = { .nr = 0 };
	char item[16];
	const char *p = buf;
	size_t len = strlen(buf);

	if (len && buf[len - 1] == '\n')
		len--;
	while (len) {
		const char *comma = memchr(p, ',', len);
		size_t item_len = comma ? comma - p : len;
		int pid;

		if (!item_len || item_len >= sizeof(item))
			return -EINVAL;
		memcpy(item, p, item_len);
		item[item_len] = '\0';
		/* Digits only: kstrtoint() alone takes "+1" and "1\n". */
		if (strspn(item, "0123456789") != item_len)
			return -EINVAL;
		if (kstrtoint(item, 10, &pid) || pid <= 0 ||
		    pid > PID_MAX_LIMIT)
			return -EINVAL;
		if (parsed.nr == DP_MAX_MONITORED_PIDS ||
		    dp_pid_list_has(&parsed, pid))
			return -EINVAL;
		parsed.pids[parsed.nr++] = pid;
		if (!comma)
			break;
		/* A trailing comma leaves an empty last item: refused. */
		len -= item_len + 1;
		p = comma + 1;
		if (!len)
			return -EINVAL;
	}
	*list = parsed;
	return 0;
}

/**
 * dp_pid_list_format() - print a pid list the way it is parsed.
 * @list:	the list.
 * @buf:	a page-sized buffer.
 *
 * Return: the number of characters written, newline included.
 */
static int dp_pid_list_format(const struct dp_pid_list *list, char *buf)
{
	int i, len = 0;

	for (i = 0; i < list->nr; i++)
		len += scnprintf(buf + len, PAGE_SIZE - len, "%s%d",
				 i ? "," : "", list->pids[i]);
	len += scnprintf(buf + len, PAGE_SIZE - len, "\n");
	return len;
}

/** dp_hp_params_get() - a consistent copy of the inputs. */
void dp_hp_params_get(struct dp_hp_params *params)
{
	mutex_lock(&dp_hugepage_params_lock);
	*params = dp_hp_params;
	mutex_unlock(&dp_hugepage_params_lock);
}

/*
 * Numeric inputs: the field is set on a copy, and the copy must make sense
 * as a whole (sample <= aggr, 3 <= min <= max, ...): each write is checked
 * against the values already in place.  Not so at load time, where the
 * order of modprobe's arguments must not matter: dp_hp_params_init() then
 * checks them all at once.
 */
static bool dp_hp_params_checked;	/* under dp_hugepage_params_lock */

static int dp_hp_ulong_set(const char *val, const struct kernel_param *kp)
{
	size_t offset = (char *)kp->arg - (char *)&dp_hp_params;
	struct dp_hp_params copy;
	unsigned long v;
	int err;

	err = kstrtoul(val, 0, &v);
	if (err)
		return err;
	mutex_lock(&dp_hugepage_params_lock);
	copy = dp_hp_params;
	*(unsigned long *)((char *)&copy + offset) = v;
	if (dp_hp_params_checked)
		err = dp_hp_params_valid(&copy);
	if (!err)
		*(unsigned long *)kp->arg = v;
	mutex_unlock(&dp_hugepage_params_lock);
	if (err)
		pr_warn("%s: %lu refused; see modinfo -p damon_pause\n",
			kp->name, v);
	return err;
}

static int dp_hp_ulong_get(char *buf, const struct kernel_param *kp)
{
	unsigned long v;

	mutex_lock(&dp_hugepage_params_lock);
	v = *(unsigned long *)kp->arg;
	mutex_unlock(&dp_hugepage_params_lock);
	return sysfs_emit(buf, "%lu\n", v);
}

static const struct kernel_param_ops dp_hp_ulong_ops = {
	.set = dp_hp_ulong_set,
	.get = dp_hp_ulong_get,
};

/* One of the numeric inputs, its default said after @desc. */
#define DP_HP_ULONG_PARAM(name, desc)					\
	module_param_cb(name, &dp_hp_ulong_ops, &dp_hp_params.name, 0600); \
	MODULE_PARM_DESC(name, desc " (default: "			\
			 __stringify(DP_HP_DEFAULT_##name) ")")

DP_HP_ULONG_PARAM(monitor_period, "Supervisor period, us, at least 100000");
DP_HP_ULONG_PARAM(sample_interval,
		  "Sampling interval, us, 1 to aggr_interval");
DP_HP_ULONG_PARAM(aggr_interval,
		  "Aggregation interval, us, at least sample_interval");
DP_HP_ULONG_PARAM(ops_update_interval,
		  "Regions update interval, us, at least aggr_interval");
DP_HP_ULONG_PARAM(min_nr_regions,
		  "Monitoring regions, at least; 3 to max_nr_regions");
DP_HP_ULONG_PARAM(max_nr_regions,
		  "Monitoring regions, at most; min_nr_regions to 10000");
DP_HP_ULONG_PARAM(quota_ms,
		  "Collapse time quota per reset interval, ms, at least 1");
DP_HP_ULONG_PARAM(quota_reset_interval_ms,
		  "Collapse quota reset interval, ms, at least 1");
DP_HP_ULONG_PARAM(hugepage_mem_bp,
		  "Huge page budget: collapse until the system's memory in huge pages reaches this share of its used memory, in basis points, 0 to 10000; 0 for none");

static int dp_hp_pause_idle_set(const char *val, const struct kernel_param *kp)
{
	bool v;
	int err;

	err = kstrtobool(val, &v);
	if (err)
		return err;
	mutex_lock(&dp_hugepage_params_lock);
	dp_hp_params.pause_idle = v;
	mutex_unlock(&dp_hugepage_params_lock);
	return 0;
}

static const struct kernel_param_ops dp_hp_pause_idle_ops = {
	.set = dp_hp_pause_idle_set,
	.get = param_get_bool,
};
module_param_cb(pause_idle, &dp_hp_pause_idle_ops, &dp_hp_params.pause_idle,
		0600);
MODULE_PARM_DESC(pause_idle,
		 "Pause (keep, not stop) the monitoring of a process that used no CPU during a period (default: Y)");

static int dp_monitored_pids_set(const char *val,
				 const struct kernel_param *kp)
{
	struct dp_pid_list parsed;
	int err;

	err = dp_pid_list_parse(val, &parsed);
	if (err) {
		pr_warn("monitored_pids: want up to %d distinct pids separated by commas\n",
			DP_MAX_MONITORED_PIDS);
		return err;
	}
	mutex_lock(&dp_hugepage_params_lock);
	dp_hp_params.pids = parsed;
	mutex_unlock(&dp_hugepage_params_lock);
	return 0;
}

static int dp_monitored_pids_get(char *buf, const struct kernel_param *kp)
{
	int len;

	mutex_lock(&dp_hugepage_params_lock);
	len = dp_pid_list_format(&dp_hp_params.pids, buf);
	mutex_unlock(&dp_hugepage_params_lock);
	return len;
}

static const struct kernel_param_ops dp_monitored_pids_ops = {
	.set = dp_monitored_pids_set,
	.get = dp_monitored_pids_get,
};

/*
 * Processes whose hot memory the supervisor collapses into huge pages: up to
 * DP_MAX_MONITORED_PIDS pids separated by commas.
 */
module_param_cb(monitored_pids, &dp_monitored_pids_ops, NULL, 0600);
MODULE_PARM_DESC(monitored_pids,
		 "Comma separated pids to supervise, at most "
		 __stringify(DP_MAX_MONITORED_PIDS) " (default: empty)");

/*
 * Start the supervisor on a copy of the inputs (kept off the stack: the
 * pid list makes it half a page).
 */
static int dp_hp_params_start(void)
{
	struct dp_hp_params *params = kmalloc(sizeof(*params), GFP_KERNEL);
	int err;

	if (!params)
		return -ENOMEM;
	dp_hp_params_get(params);
	err = dp_hp_start(params);
	kfree(params);
	return err;
}

/*
 * supervisor: set at load time, the supervisor starts once the module is
 * initialised (dp_hp_params_init()); later, at once.
 */
static bool dp_hp_enabled;
static bool dp_hp_initialized;
static DEFINE_MUTEX(dp_hp_enable_lock);

static int dp_hp_enabled_set(const char *val, const struct kernel_param *kp)
{
	bool v;
	int err = 0;

	err = kstrtobool(val, &v);
	if (err)
		return err;
	mutex_lock(&dp_hp_enable_lock);
	if (dp_hp_initialized && v != dp_hp_running()) {
		if (v)
			err = dp_hp_params_start();
		else
			dp_hp_stop();
	}
	if (!err)
		dp_hp_enabled = v;
	mutex_unlock(&dp_hp_enable_lock);
	return err;
}

static int dp_hp_enabled_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", dp_hp_running() ? 'Y' : 'N');
}

static const struct kernel_param_ops dp_hp_enabled_ops = {
	.set = dp_hp_enabled_set,
	.get = dp_hp_enabled_get,
};

/*
 * Not "enabled": DAMON's user-space tools take a damon_* module whose
 * enabled (or enable) parameter reads Y for a DAMON module that owns DAMON
 * (damo start refuses to start and offers to write N to it), and the
 * supervisor takes nothing from them.
 */
module_param_cb(supervisor, &dp_hp_enabled_ops, NULL, 0600);
MODULE_PARM_DESC(supervisor, "Run the hugepage supervisor (default: N)");

/**
 * dp_hp_params_init() - check the parameters given at load time, all
 * together, and start the supervisor if asked to.
 *
 * Return: 0, -EINVAL for parameters that do not fit together, or the
 * error of starting it.
 */
int dp_hp_params_init(void)
{
	int err;

	mutex_lock(&dp_hugepage_params_lock);
	dp_hp_params_checked = true;
	err = dp_hp_params_valid(&dp_hp_params);
	mutex_unlock(&dp_hugepage_params_lock);
	if (err) {
		pr_err("parameters do not fit together; see modinfo -p damon_pause\n");
		return -EINVAL;
	}
	mutex_lock(&dp_hp_enable_lock);
	dp_hp_initialized = true;
	if (dp_hp_enabled)
		err = dp_hp_params_start();
	if (err)
		dp_hp_initialized = false;
	mutex_unlock(&dp_hp_enable_lock);
	return err;
}

/**
 * dp_hp_params_exit() - stop the supervisor for good, at unload; what its
 * contexts left goes with dp_hp_trained_exit(), after.
 */
void dp_hp_params_exit(void)
{
	mutex_lock(&dp_hp_enable_lock);
	dp_hp_stop();
	dp_hp_initialized = false;
	mutex_unlock(&dp_hp_enable_lock);
}

/*
 * commit_inputs: Y hands a running supervisor the inputs as they are now
 * (dp_hp_commit()); it reads N once the supervisor has applied them.
 */
static int dp_hp_commit_set(const char *val, const struct kernel_param *kp)
{
	struct dp_hp_params *params;
	bool v;
	int err;

	err = kstrtobool(val, &v);
	if (err)
		return err;
	if (!v)
		return 0;
	params = kmalloc(sizeof(*params), GFP_KERNEL);
	if (!params)
		return -ENOMEM;
	/*
	 * Ordered with a start or a stop under way: a Y written while the
	 * supervisor stops must not stay pending for ever, nor one written
	 * while it starts (its inputs read already) be dropped.  The
	 * kernel's own lock of the module's parameters orders this with a
	 * write of supervisor, but not with the load and the unload.
	 */
	mutex_lock(&dp_hp_enable_lock);
	if (dp_hp_running()) {
		dp_hp_params_get(params);
		dp_hp_commit(params);
	}
	/* else nothing runs: the inputs are read at its start */
	mutex_unlock(&dp_hp_enable_lock);
	kfree(params);
	return 0;
}

static int dp_hp_commit_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", dp_hp_commit_requested() ? 'Y' : 'N');
}

static const struct kernel_param_ops dp_hp_commit_ops = {
	.set = dp_hp_commit_set,
	.get = dp_hp_commit_get,
};
module_param_cb(commit_inputs, &dp_hp_commit_ops, NULL, 0600);
MODULE_PARM_DESC(commit_inputs,
		 "Write Y to apply changed inputs to the running supervisor; reads N once applied (default: N)");

static int dp_hp_status_get(char *buf, const struct kernel_param *kp)
{
	return dp_hp_status(buf, PAGE_SIZE);
}

static const struct kernel_param_ops dp_hp_status_ops = {
	.get = dp_hp_status_get,
};
module_param_cb(status, &dp_hp_status_ops, NULL, 0400);
MODULE_PARM_DESC(status,
		 "Under a budget, the huge page share now and the budget, in bp; per pid: state (running, paused, exited, invalid), threshold, regions and bytes collapsed (read only)");

#ifdef DAMON_PAUSE_KUNIT
#include "hugepage-params-kunit.h"
#endif

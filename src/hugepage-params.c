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
#include <linux/string.h>
#include <linux/threads.h>

#include "hugepage.h"

/* Protects dp_hp_params; never held while waiting for the supervisor. */
static DEFINE_MUTEX(dp_hugepage_params_lock);
static struct dp_hp_params dp_hp_params = {
	.monitor_period = 5 * USEC_PER_SEC,
	.sample_interval = 5 * USEC_PER_MSEC,
	.aggr_interval = 100 * USEC_PER_MSEC,
	.ops_update_interval = 60 * USEC_PER_SEC,
	.min_nr_regions = 10,
	.max_nr_regions = 1000,
	.quota_ms = 10,
	.quota_reset_interval_ms = 1000,
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

module_param_cb(monitor_period, &dp_hp_ulong_ops,
		&dp_hp_params.monitor_period, 0600);
MODULE_PARM_DESC(monitor_period,
		 "Supervisor period, us, at least 100000 (default: 5000000)");
module_param_cb(sample_interval, &dp_hp_ulong_ops,
		&dp_hp_params.sample_interval, 0600);
MODULE_PARM_DESC(sample_interval,
		 "Sampling interval, us, 1 to aggr_interval (default: 5000)");
module_param_cb(aggr_interval, &dp_hp_ulong_ops,
		&dp_hp_params.aggr_interval, 0600);
MODULE_PARM_DESC(aggr_interval,
		 "Aggregation interval, us, at least sample_interval (default: 100000)");
module_param_cb(ops_update_interval, &dp_hp_ulong_ops,
		&dp_hp_params.ops_update_interval, 0600);
MODULE_PARM_DESC(ops_update_interval,
		 "Regions update interval, us, at least aggr_interval (default: 60000000)");
module_param_cb(min_nr_regions, &dp_hp_ulong_ops,
		&dp_hp_params.min_nr_regions, 0600);
MODULE_PARM_DESC(min_nr_regions,
		 "Monitoring regions, at least; 3 to max_nr_regions (default: 10)");
module_param_cb(max_nr_regions, &dp_hp_ulong_ops,
		&dp_hp_params.max_nr_regions, 0600);
MODULE_PARM_DESC(max_nr_regions,
		 "Monitoring regions, at most; min_nr_regions to 10000 (default: 1000)");
module_param_cb(quota_ms, &dp_hp_ulong_ops,
		&dp_hp_params.quota_ms, 0600);
MODULE_PARM_DESC(quota_ms,
		 "Collapse time quota per reset interval, ms, at least 1 (default: 10)");
module_param_cb(quota_reset_interval_ms, &dp_hp_ulong_ops,
		&dp_hp_params.quota_reset_interval_ms, 0600);
MODULE_PARM_DESC(quota_reset_interval_ms,
		 "Collapse quota reset interval, ms, at least 1 (default: 1000)");
module_param_cb(hugepage_mem_bp, &dp_hp_ulong_ops,
		&dp_hp_params.hugepage_mem_bp, 0600);
MODULE_PARM_DESC(hugepage_mem_bp,
		 "Huge page budget: collapse until the system's memory in huge pages reaches this share of its used memory, in basis points, 0 to 10000; 0 for none (default: 0)");

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
			err = dp_hp_start();
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
	err = dp_hp_trained_init();
	if (err)
		return err;
	mutex_lock(&dp_hp_enable_lock);
	dp_hp_initialized = true;
	if (dp_hp_enabled)
		err = dp_hp_start();
	if (err)
		dp_hp_initialized = false;
	mutex_unlock(&dp_hp_enable_lock);
	if (err)
		dp_hp_trained_exit();
	return err;
}

/**
 * dp_hp_params_exit() - stop the supervisor for good, at unload, and free
 * what it kept.
 */
void dp_hp_params_exit(void)
{
	mutex_lock(&dp_hp_enable_lock);
	dp_hp_stop();
	dp_hp_initialized = false;
	mutex_unlock(&dp_hp_enable_lock);
	dp_hp_trained_exit();
}

/*
 * commit_inputs: Y asks a running supervisor; it reads N once applied.
 * Requests are counted, not flagged: the supervisor marks done the request
 * it read before it read the inputs, so a Y written while it applies an
 * earlier one stays Y, and is applied next, instead of being lost.
 */
static atomic_long_t dp_hp_commit_asked = ATOMIC_LONG_INIT(0);
static atomic_long_t dp_hp_commit_applied = ATOMIC_LONG_INIT(0);

static int dp_hp_commit_set(const char *val, const struct kernel_param *kp)
{
	bool v;
	int err;

	err = kstrtobool(val, &v);
	if (err)
		return err;
	if (!v)
		return 0;
	/*
	 * Ordered with a start or a stop under way: a Y written while the
	 * supervisor stops must not stay pending for ever, nor one written
	 * while it starts (its inputs read already) be dropped.  The
	 * kernel's own lock of the module's parameters orders this with a
	 * write of supervisor, but not with the load and the unload.
	 */
	mutex_lock(&dp_hp_enable_lock);
	if (dp_hp_running()) {
		atomic_long_inc(&dp_hp_commit_asked);
		dp_hp_kick();
	}
	/* else nothing runs: the inputs are read at its start */
	mutex_unlock(&dp_hp_enable_lock);
	return 0;
}

static int dp_hp_commit_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", dp_hp_commit_requested() ? 'Y' : 'N');
}

/**
 * dp_hp_commit_requested() - whether a commit_inputs request waits.
 */
bool dp_hp_commit_requested(void)
{
	return atomic_long_read(&dp_hp_commit_asked) !=
		atomic_long_read(&dp_hp_commit_applied);
}

/**
 * dp_hp_commit_begin() - the request being applied, read before the inputs.
 *
 * Return: a ticket for dp_hp_commit_done().
 */
long dp_hp_commit_begin(void)
{
	/* Ordered before the read of the inputs (a lock acquire follows). */
	return atomic_long_read_acquire(&dp_hp_commit_asked);
}

/**
 * dp_hp_commit_done() - the requests up to @ticket are applied.
 * @ticket:	what dp_hp_commit_begin() returned.
 */
void dp_hp_commit_done(long ticket)
{
	atomic_long_set(&dp_hp_commit_applied, ticket);
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

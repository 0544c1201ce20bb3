// SPDX-License-Identifier: GPL-2.0
/*
 * The hot-region hugepage supervisor's module parameters.
 *
 * The supervisor itself (one monitoring context per monitored process that
 * collapses its hot regions) builds on the monitoring core; what is here is
 * its input: the list of processes, parsed strictly so that a bad write is
 * refused whole and the previous list stays in force.
 */

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/threads.h>

#include "hugepage.h"

static DEFINE_MUTEX(dp_hugepage_params_lock);
static struct dp_pid_list dp_monitored_pids;

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
int dp_pid_list_parse(const char *buf, struct dp_pid_list *list)
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
int dp_pid_list_format(const struct dp_pid_list *list, char *buf)
{
	int i, len = 0;

	for (i = 0; i < list->nr; i++)
		len += scnprintf(buf + len, PAGE_SIZE - len, "%s%d",
				 i ? "," : "", list->pids[i]);
	len += scnprintf(buf + len, PAGE_SIZE - len, "\n");
	return len;
}

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
	dp_monitored_pids = parsed;
	mutex_unlock(&dp_hugepage_params_lock);
	return 0;
}

static int dp_monitored_pids_get(char *buf, const struct kernel_param *kp)
{
	int len;

	mutex_lock(&dp_hugepage_params_lock);
	len = dp_pid_list_format(&dp_monitored_pids, buf);
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

#ifdef DAMON_PAUSE_KUNIT
#include "hugepage-kunit.h"
#endif

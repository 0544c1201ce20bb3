// SPDX-License-Identifier: GPL-2.0
/*
 * The supervisor's kept trained states (issue 30): what each context that
 * stopped with the supervisor learnt, per process, while keep_trained is
 * set; the supervisor (src/hugepage.c) keeps and takes them, the
 * supervisor_trained_state file (src/hugepage-trained.c) shows and
 * replaces them. Below both: it calls neither (tests/layers.py).
 */

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include <damon_pause/trained.h>

#include "hugepage.h"

/* The kept states (of &struct dp_hp_kept), and keep_trained. */
static DEFINE_MUTEX(dp_hp_kept_lock);
static LIST_HEAD(dp_hp_kept);
static bool dp_hp_keep;

/** dp_hp_keep_trained() - whether stopped contexts leave their state. */
bool dp_hp_keep_trained(void)
{
	return READ_ONCE(dp_hp_keep);
}

/**
 * dp_hp_start_time() - when the process of pid @pid_nr started.
 * @pid_nr:	the pid.
 *
 * Return: its &task_struct.start_boottime, ns; 0 if there is none.
 */
u64 dp_hp_start_time(pid_t pid_nr)
{
	struct task_struct *task;
	u64 t = 0;

	rcu_read_lock();
	task = pid_task(find_vpid(pid_nr), PIDTYPE_PID);
	if (task)
		t = task->start_boottime;
	rcu_read_unlock();
	return t;
}

/** dp_hp_kept_free() - free @k (NULL: nothing). */
void dp_hp_kept_free(struct dp_hp_kept *k)
{
	if (!k)
		return;
	dp_trained_free(k->tr);
	kfree(k);
}

/** dp_hp_kept_free_list() - free every state of @list. */
void dp_hp_kept_free_list(struct list_head *list)
{
	struct dp_hp_kept *k, *next;

	list_for_each_entry_safe(k, next, list, list) {
		list_del(&k->list);
		dp_hp_kept_free(k);
	}
}

/** dp_hp_kept_replace() - the kept states become those of @list (emptied). */
void dp_hp_kept_replace(struct list_head *list)
{
	LIST_HEAD(old);

	mutex_lock(&dp_hp_kept_lock);
	list_splice_init(&dp_hp_kept, &old);
	list_splice_init(list, &dp_hp_kept);
	mutex_unlock(&dp_hp_kept_lock);
	dp_hp_kept_free_list(&old);
}

/**
 * dp_hp_kept_set() - the states of the contexts the supervisor stopped.
 * @list:	the states; emptied.
 *
 * They replace those kept before, unless keep_trained was set to N
 * meanwhile: then they go too.
 */
void dp_hp_kept_set(struct list_head *list)
{
	LIST_HEAD(none);

	mutex_lock(&dp_hp_kept_lock);
	if (!dp_hp_keep_trained())
		list_splice_init(list, &none);
	mutex_unlock(&dp_hp_kept_lock);
	dp_hp_kept_free_list(&none);
	dp_hp_kept_replace(list);
}

/** dp_hp_kept_add() - keep @k again (a context could not start from it). */
void dp_hp_kept_add(struct dp_hp_kept *k)
{
	mutex_lock(&dp_hp_kept_lock);
	list_add_tail(&k->list, &dp_hp_kept);
	mutex_unlock(&dp_hp_kept_lock);
}

/**
 * dp_hp_kept_take() - the kept state of @pid_nr, no longer kept.
 * @pid_nr:	the pid.
 *
 * Return: the state, for the caller to free; NULL if none.
 */
struct dp_hp_kept *dp_hp_kept_take(pid_t pid_nr)
{
	struct dp_hp_kept *k, *found = NULL;

	mutex_lock(&dp_hp_kept_lock);
	list_for_each_entry(k, &dp_hp_kept, list) {
		if (k->pid == pid_nr) {
			list_del(&k->list);
			found = k;
			break;
		}
	}
	mutex_unlock(&dp_hp_kept_lock);
	return found;
}

static int dp_hp_keep_set(const char *val, const struct kernel_param *kp)
{
	LIST_HEAD(none);
	bool v;
	int err;

	err = kstrtobool(val, &v);
	if (err)
		return err;
	mutex_lock(&dp_hp_kept_lock);
	WRITE_ONCE(dp_hp_keep, v);
	if (!v)
		list_splice_init(&dp_hp_kept, &none);
	mutex_unlock(&dp_hp_kept_lock);
	dp_hp_kept_free_list(&none);
	return 0;
}

static int dp_hp_keep_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", dp_hp_keep_trained() ? 'Y' : 'N');
}

static const struct kernel_param_ops dp_hp_keep_ops = {
	.set = dp_hp_keep_set,
	.get = dp_hp_keep_get,
};
module_param_cb(keep_trained, &dp_hp_keep_ops, NULL, 0600);
MODULE_PARM_DESC(keep_trained,
		 "Keep what the supervisor's contexts learnt when it stops, for the next contexts of the same processes; N drops what is kept (default: N)");

/**
 * dp_hp_kept_show() - a text of the kept states, as they are.
 * @format:	makes the text of a list of states.
 * @text:	where @format puts it.
 * @len:	its length.
 *
 * @format runs under the states' lock: none goes while it reads them.
 *
 * Return: what @format returns.
 */
int dp_hp_kept_show(int (*format)(const struct list_head *list, char **text,
				  size_t *len),
		    char **text, size_t *len)
{
	int err;

	mutex_lock(&dp_hp_kept_lock);
	err = format(&dp_hp_kept, text, len);
	mutex_unlock(&dp_hp_kept_lock);
	return err;
}

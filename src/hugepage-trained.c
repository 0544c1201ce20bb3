// SPDX-License-Identifier: GPL-2.0
/*
 * The supervisor's trained states beyond its contexts (issue 30).
 *
 * With keep_trained, each context that stops with the supervisor
 * (supervisor=N, or the unload) leaves what it learnt (src/trained.c), its
 * collapse threshold and whether it was paused, kept per process; the next
 * context of the same process (the same pid and start time: not another
 * process that got the pid) starts from them, when the supervisor starts
 * again (or commit_inputs gives it the pid again).  keep_trained=N drops
 * them.
 *
 * /sys/module/damon_pause/supervisor_trained_state shows them as text:
 * while the supervisor runs, those of its running contexts (each read on
 * its kdamond); while it is stopped, the kept ones.  Written while it is
 * stopped, it replaces the kept ones, so that they outlive the module: an
 * upgrade saves the file, unloads, loads, writes it back and starts the
 * supervisor.  A write is checked whole, against the inputs in force and
 * the processes there are (each state must fit the context its process
 * would get now), and is all or nothing: EINVAL with nothing changed.
 *
 * The text, version 1:
 *
 *	damon_pause_supervisor_state 1
 *	processes N
 *	process I pid PID start_time NS threshold T paused 0|1
 *	damon_pause_trained_state 1	(its context's trained state, as
 *	...				 contexts/C/trained_state's text,
 *	end				 through its own "end" line)
 *	...				(N processes)
 *	end supervisor
 *
 * It is written as trained_state is: in pieces at growing offsets, until
 * one ends with the "end supervisor" line (the nested "end" lines do not
 * end it); a piece shorter than a page that does not is the end of a
 * truncated text, refused.
 */

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/threads.h>

#include <damon_pause/trained.h>

#include "compat.h"
#include "hugepage.h"
#include "sysfs-trained.h"

#define DP_HP_STATE_MAGIC	"damon_pause_supervisor_state 1\n"
#define DP_HP_STATE_END		"end supervisor\n"
/* The longest process line, numbers at their widest. */
#define DP_HP_STATE_LINE_MAX	128
/* A bound on a write's pieces: the states of 100 processes, 1 MiB each. */
#define DP_HP_STATE_MAX_TEXT	(100UL << 20)

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

/* The kept states become those of @list (emptied). */
static void dp_hp_kept_replace(struct list_head *list)
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

/*
 * Text out
 */

static int dp_hp_process_line(char *buf, size_t size, unsigned int i,
			      const struct dp_hp_kept *k)
{
	return scnprintf(buf, size,
			 "process %u pid %d start_time %llu threshold %u paused %d\n",
			 i, k->pid, k->start_time, k->threshold, k->paused);
}

/**
 * dp_hp_states_format() - the text of the states of @list.
 * @list:	the states (&struct dp_hp_kept).
 * @text:	a kvmalloc()ed buffer with the text.
 * @len:	its length.
 *
 * Return: 0 or -ENOMEM.
 */
static int dp_hp_states_format(const struct list_head *list, char **text,
			       size_t *len)
{
	size_t size = DP_HP_STATE_LINE_MAX + sizeof(DP_HP_STATE_END), n, *lens;
	const struct dp_hp_kept *k;
	unsigned int nr = 0, i = 0;
	char **texts, *buf = NULL;
	int err = 0;

	list_for_each_entry(k, list, list)
		nr++;
	texts = kcalloc(max(nr, 1U), sizeof(*texts), GFP_KERNEL);
	lens = kcalloc(max(nr, 1U), sizeof(*lens), GFP_KERNEL);
	if (!texts || !lens) {
		err = -ENOMEM;
		goto out;
	}
	list_for_each_entry(k, list, list) {
		err = dp_trained_format(k->tr, &texts[i], &lens[i]);
		if (err)
			goto out;
		size += DP_HP_STATE_LINE_MAX + lens[i++];
	}
	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	n = scnprintf(buf, size, "%sprocesses %u\n", DP_HP_STATE_MAGIC, nr);
	i = 0;
	list_for_each_entry(k, list, list) {
		n += dp_hp_process_line(buf + n, size - n, i, k);
		memcpy(buf + n, texts[i], lens[i]);
		n += lens[i++];
	}
	n += scnprintf(buf + n, size - n, "%s", DP_HP_STATE_END);
	*text = buf;
	*len = n;
out:
	for (i = 0; texts && i < nr; i++)
		kvfree(texts[i]);
	kfree(texts);
	kfree(lens);
	return err;
}

/*
 * Text in
 */

/* The next line, without its newline, into @line (@size bytes). */
static int dp_hp_state_line(const char **pos, const char *end, char *line,
			    size_t size)
{
	const char *nl = memchr(*pos, '\n', end - *pos);
	size_t len;

	if (!nl)
		return -EINVAL;
	len = nl - *pos;
	if (len >= size || memchr(*pos, '\0', len))
		return -EINVAL;
	memcpy(line, *pos, len);
	line[len] = '\0';
	*pos = nl + 1;
	return 0;
}

/*
 * A process line, exactly as dp_hp_process_line() writes it: what sscanf()
 * lets through beyond that (signs, spaces, leading zeros) is not.
 */
static int dp_hp_state_process(const char *line, unsigned int i,
			       struct dp_hp_kept *k)
{
	char again[DP_HP_STATE_LINE_MAX];
	unsigned int index, paused;

	if (sscanf(line, "process %u pid %d start_time %llu threshold %u paused %u",
		   &index, &k->pid, &k->start_time, &k->threshold,
		   &paused) != 5 ||
	    index != i || k->pid <= 0 || k->pid > PID_MAX_LIMIT ||
	    !k->start_time || !k->threshold || paused > 1)
		return -EINVAL;
	k->paused = paused;
	dp_hp_process_line(again, sizeof(again), i, k);
	/* The line lacks the newline that @again has. */
	if (strlen(again) != strlen(line) + 1 ||
	    memcmp(again, line, strlen(line)))
		return -EINVAL;
	return 0;
}

/* The length of the nested trained state at @pos: through its "end". */
static size_t dp_hp_state_nested(const char *pos, const char *end)
{
	const char *p = pos;

	while ((p = memchr(p, '\n', end - p))) {
		p++;
		if (end - p >= 4 && !memcmp(p, "end\n", 4))
			return p + 4 - pos;
	}
	return 0;
}

static bool dp_hp_states_has(const struct list_head *list, pid_t pid)
{
	const struct dp_hp_kept *k;

	list_for_each_entry(k, list, list)
		if (k->pid == pid)
			return true;
	return false;
}

/* Process @i: its line and its state, into @out. */
static int dp_hp_state_parse_one(const char **pos, const char *end,
				 unsigned int i, struct list_head *out)
{
	char line[DP_HP_STATE_LINE_MAX];
	struct dp_hp_kept *k;
	size_t len;
	int err;

	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	err = -EINVAL;
	if (dp_hp_state_line(pos, end, line, sizeof(line)) ||
	    dp_hp_state_process(line, i, k) || dp_hp_states_has(out, k->pid))
		goto fail;
	len = dp_hp_state_nested(*pos, end);
	if (!len)
		goto fail;
	err = dp_trained_parse(*pos, len, &k->tr);
	if (err)
		goto fail;
	*pos += len;
	/* One target, the process's, and the collapse scheme. */
	err = -EINVAL;
	if (k->tr->nr_targets != 1 || k->tr->targets[0].pid != k->pid)
		goto fail;
	list_add_tail(&k->list, out);
	return 0;
fail:
	dp_hp_kept_free(k);
	return err;
}

/**
 * dp_hp_states_parse() - states from their text.
 * @text:	the text; it need not be NUL-terminated.
 * @len:	its length.
 * @out:	an empty list; the states, in the text's order.
 *
 * Only the syntax, the version and the counts are checked here, and that
 * no pid comes twice; whether a state fits is dp_hp_kept_fits()'s.
 *
 * Return: 0, -EINVAL for any deviation from the format (@out empty), or
 * -ENOMEM.
 */
static int dp_hp_states_parse(const char *text, size_t len,
			      struct list_head *out)
{
	const char *pos = text, *end = text + len;
	char line[DP_HP_STATE_LINE_MAX], again[DP_HP_STATE_LINE_MAX];
	unsigned int nr, i;
	int err = -EINVAL;

	if (len < sizeof(DP_HP_STATE_MAGIC) - 1 ||
	    memcmp(text, DP_HP_STATE_MAGIC, sizeof(DP_HP_STATE_MAGIC) - 1))
		return -EINVAL;
	pos += sizeof(DP_HP_STATE_MAGIC) - 1;
	if (dp_hp_state_line(&pos, end, line, sizeof(line)) ||
	    sscanf(line, "processes %u", &nr) != 1 ||
	    nr > DP_MAX_MONITORED_PIDS)
		return -EINVAL;
	snprintf(again, sizeof(again), "processes %u", nr);
	if (strcmp(again, line))
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		err = dp_hp_state_parse_one(&pos, end, i, out);
		if (err)
			goto fail;
	}
	err = -EINVAL;
	if (end - pos != sizeof(DP_HP_STATE_END) - 1 ||
	    memcmp(pos, DP_HP_STATE_END, sizeof(DP_HP_STATE_END) - 1))
		goto fail;
	return 0;
fail:
	dp_hp_kept_free_list(out);
	return err;
}

/*
 * The file
 */

/**
 * struct dp_hp_state_file - supervisor_trained_state.
 * @lock:	protects the rest; the outermost lock of the supervisor's.
 * @text:	what reads return: made by a read at offset 0.
 * @len:	its length.
 * @pending:	the pieces of a write in progress.
 * @pending_len: their length.
 * @pending_size: the room in @pending.
 */
struct dp_hp_state_file {
	struct mutex lock;	/* protects the rest */
	char *text;
	size_t len;
	char *pending;
	size_t pending_len;
	size_t pending_size;
};

static struct dp_hp_state_file dp_hp_file = {
	.lock = __MUTEX_INITIALIZER(dp_hp_file.lock),
};

static void dp_hp_file_drop_pending(void)
{
	kvfree(dp_hp_file.pending);
	dp_hp_file.pending = NULL;
	dp_hp_file.pending_len = 0;
	dp_hp_file.pending_size = 0;
}

/* The text of the running contexts' states, or of the kept ones. */
static int dp_hp_file_fill(void)
{
	LIST_HEAD(live);
	size_t len = 0;
	char *text;
	int err;

	if (dp_hp_running()) {
		err = dp_hp_live_states(&live);
		if (err)
			return err;
		err = dp_hp_states_format(&live, &text, &len);
		dp_hp_kept_free_list(&live);
	} else {
		mutex_lock(&dp_hp_kept_lock);
		err = dp_hp_states_format(&dp_hp_kept, &text, &len);
		mutex_unlock(&dp_hp_kept_lock);
	}
	if (err)
		return err;
	kvfree(dp_hp_file.text);
	dp_hp_file.text = text;
	dp_hp_file.len = len;
	return 0;
}

static ssize_t dp_hp_file_read(struct file *file, struct kobject *kobj,
			       DP_BIN_ATTR_CONST struct bin_attribute *attr,
			       char *buf, loff_t off, size_t count)
{
	ssize_t n = 0;
	int err;

	if (mutex_lock_interruptible(&dp_hp_file.lock))
		return -EINTR;
	/* A read from the start reads the states as they are now. */
	if (!off) {
		err = dp_hp_file_fill();
		if (err) {
			mutex_unlock(&dp_hp_file.lock);
			return err;
		}
	}
	if (off < dp_hp_file.len) {
		n = min_t(size_t, count, dp_hp_file.len - off);
		memcpy(buf, dp_hp_file.text + off, n);
	}
	mutex_unlock(&dp_hp_file.lock);
	return n;
}

/*
 * A whole text: parsed, each state checked against the context its process
 * would get now, and kept in place of what was.
 */
static int dp_hp_file_keep(void)
{
	struct dp_hp_params *params;
	struct dp_hp_kept *k;
	LIST_HEAD(states);
	int err;

	if (dp_hp_running())
		return -EBUSY;
	params = kmalloc(sizeof(*params), GFP_KERNEL);
	if (!params)
		return -ENOMEM;
	dp_hp_params_get(params);
	err = dp_hp_states_parse(dp_hp_file.pending, dp_hp_file.pending_len,
				 &states);
	list_for_each_entry(k, &states, list) {
		if (err)
			break;
		err = dp_hp_kept_fits(k, params);
		if (err)
			pr_warn_ratelimited("supervisor_trained_state: pid %d: the state does not fit its process now\n",
					    k->pid);
	}
	kfree(params);
	if (err) {
		dp_hp_kept_free_list(&states);
		return err;
	}
	dp_hp_kept_replace(&states);
	return 0;
}

/* Room for @size bytes of pieces, doubling: they come a page each. */
static int dp_hp_file_grow(size_t size)
{
	size_t room = max3(size, 2 * dp_hp_file.pending_size, PAGE_SIZE);
	char *grown;

	if (size <= dp_hp_file.pending_size)
		return 0;
	grown = kvmalloc(room, GFP_KERNEL);
	if (!grown)
		return -ENOMEM;
	if (dp_hp_file.pending_len)
		memcpy(grown, dp_hp_file.pending, dp_hp_file.pending_len);
	kvfree(dp_hp_file.pending);
	dp_hp_file.pending = grown;
	dp_hp_file.pending_size = room;
	return 0;
}

static bool dp_hp_file_complete(void)
{
	size_t n = sizeof("\n" DP_HP_STATE_END) - 1;

	return dp_hp_file.pending_len >= n &&
		!memcmp(dp_hp_file.pending + dp_hp_file.pending_len - n,
			"\n" DP_HP_STATE_END, n);
}

static ssize_t dp_hp_file_write_locked(const char *buf, loff_t off,
				       size_t count)
{
	size_t magic = min(count, sizeof(DP_HP_STATE_MAGIC) - 1);
	int err;

	/* "clear": nothing kept. */
	if (!off && (count == 5 || (count == 6 && buf[5] == '\n')) &&
	    !memcmp(buf, "clear", 5)) {
		LIST_HEAD(none);

		dp_hp_file_drop_pending();
		dp_hp_kept_replace(&none);
		return count;
	}
	/* A new text, or the next piece of the one in progress. */
	if (!off)
		dp_hp_file_drop_pending();
	else if (!dp_hp_file.pending || off != dp_hp_file.pending_len)
		goto refuse;
	if (!off && memcmp(buf, DP_HP_STATE_MAGIC, magic))
		goto refuse;
	if (count > DP_HP_STATE_MAX_TEXT - dp_hp_file.pending_len)
		goto refuse;
	err = dp_hp_file_grow(dp_hp_file.pending_len + count);
	if (err) {
		dp_hp_file_drop_pending();
		return err;
	}
	memcpy(dp_hp_file.pending + dp_hp_file.pending_len, buf, count);
	dp_hp_file.pending_len += count;
	if (!dp_hp_file_complete()) {
		if (count < PAGE_SIZE)
			goto refuse;
		return count;
	}
	err = dp_hp_file_keep();
	dp_hp_file_drop_pending();
	return err ? err : count;
refuse:
	dp_hp_file_drop_pending();
	return -EINVAL;
}

static ssize_t dp_hp_file_write(struct file *file, struct kobject *kobj,
				DP_BIN_ATTR_CONST struct bin_attribute *attr,
				char *buf, loff_t off, size_t count)
{
	ssize_t ret;

	if (mutex_lock_interruptible(&dp_hp_file.lock))
		return -EINTR;
	ret = dp_hp_file_write_locked(buf, off, count);
	mutex_unlock(&dp_hp_file.lock);
	return ret;
}

static struct bin_attribute dp_hp_file_attr = {
	.attr = { .name = "supervisor_trained_state", .mode = 0600 },
	.read = dp_hp_file_read,
	.write = dp_hp_file_write,
};

/**
 * dp_hp_trained_init() - /sys/module/damon_pause/supervisor_trained_state.
 *
 * Return: 0, or the error of creating it.
 */
int dp_hp_trained_init(void)
{
	return sysfs_create_bin_file(&THIS_MODULE->mkobj.kobj,
				     &dp_hp_file_attr);
}

/**
 * dp_hp_trained_exit() - remove the file, and free what is kept: after the
 * supervisor stopped for good.
 */
void dp_hp_trained_exit(void)
{
	LIST_HEAD(none);

	/* Waits for the file's readers and writers to leave. */
	sysfs_remove_bin_file(&THIS_MODULE->mkobj.kobj, &dp_hp_file_attr);
	dp_hp_file_drop_pending();
	kvfree(dp_hp_file.text);
	dp_hp_file.text = NULL;
	dp_hp_file.len = 0;
	dp_hp_kept_replace(&none);
}

#ifdef DAMON_PAUSE_KUNIT
#include "hugepage-trained-kunit.h"
#endif

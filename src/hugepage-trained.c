// SPDX-License-Identifier: GPL-2.0
/*
 * The supervisor's trained states beyond its contexts (issue 30): the
 * supervisor_trained_state file, over the kept states of
 * src/hugepage-kept.c.
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
		err = dp_hp_kept_show(dp_hp_states_format, &text, &len);
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

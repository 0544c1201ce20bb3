// SPDX-License-Identifier: GPL-2.0
/*
 * contexts/C/trained_state: a context's trained state (src/trained.c) as
 * text, to save and to give back.
 *
 * The state command update_trained_state takes the state of the kdamond's
 * context (running: at once between two sampling intervals; paused: its
 * frozen state; stopped: what it had at its end) into the file.  Writing
 * the file stages a state to restore: it is checked against the context
 * directory at once, and again by the next "on" (the new kdamond starts
 * from it) or "commit" (the running one goes on from it), which consume it.
 *
 * The text, version 1, one item a line, fields separated by one space:
 *
 *	damon_pause_trained_state 1
 *	operations NAME
 *	intervals_us SAMPLE AGGR
 *	aggregation_left SAMPLING_INTERVALS
 *	region_fields start end nr_accesses nr_accesses_bp ...
 *	targets N
 *	target I pid PID regions M
 *	region START END NR_ACCESSES ... H0,H1,H2,H3 L0,L1,L2,L3	(M of them)
 *	schemes N
 *	scheme I action NAME esz B esz_bp B min_score S goals_met 0|1 ...
 *	end
 *
 * A state can be far bigger than a page, so the file is a binary sysfs
 * file: it is read at any offset, and written in pieces, each appended to
 * what the writes before it at lower offsets gave, until the "end" line
 * completes it; only then is the whole checked, and a refusal (EINVAL)
 * fails the write that completed it and stages nothing.  sysfs hands a
 * write over a page at most at a time, so only a piece of a whole page
 * can be followed by more: one shorter than a page that does not
 * complete the text is the end of a text without its "end" (truncated),
 * refused as such.  (A text cut exactly at a page boundary waits for
 * more, and is dropped by the next write at offset 0.)
 */

#include <linux/kstrtox.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include <damon_pause/trained.h>

#include "compat.h"
#include "sysfs-common.h"
#include "sysfs-context.h"
#include "sysfs-schemes.h"
#include "sysfs-trained.h"

#define DP_TRAINED_MAGIC	"damon_pause_trained_state"
#define DP_TRAINED_VERSION	1
#define DP_TRAINED_REGION_FIELDS "start end nr_accesses nr_accesses_bp last_nr_accesses age idle_aggrs probe_hits last_probe_hits"

/* Room for one line of any kind, numbers at their widest. */
#define DP_TRAINED_LINE_MAX	320
/* The shortest region line ("region 0 1 0 0 0 0 0 0,0,0,0 0,0,0,0\n"). */
#define DP_TRAINED_MIN_REGION_LINE	36
/* The shortest target and scheme lines. */
#define DP_TRAINED_MIN_LINE	24
/* A bound on a write's pieces: 100 thousand regions at their widest. */
#define DP_TRAINED_MAX_TEXT	(32UL << 20)

/*
 * Text out
 */

static __printf(4, 5) int dp_trained_emit(char *buf, size_t size, size_t *len,
			   const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, args);
	va_end(args);
	if ((size_t)n >= size - *len)
		return -EOVERFLOW;
	*len += n;
	return 0;
}

static int dp_trained_emit_region(char *buf, size_t size, size_t *len,
				  const struct dp_trained_region *r)
{
	const u8 *h = r->probe_hits, *l = r->last_probe_hits;

	BUILD_BUG_ON(DP_MAX_PROBES != 4);
	return dp_trained_emit(buf, size, len,
			       "region %lu %lu %u %u %u %u %u %u,%u,%u,%u %u,%u,%u,%u\n",
			       r->ar.start, r->ar.end, r->nr_accesses,
			       r->nr_accesses_bp, r->last_nr_accesses, r->age,
			       r->idle_aggrs, h[0], h[1], h[2], h[3], l[0],
			       l[1], l[2], l[3]);
}

static int dp_trained_emit_scheme(char *buf, size_t size, size_t *len,
				  unsigned int i,
				  const struct dp_trained_scheme *s)
{
	return dp_trained_emit(buf, size, len,
			       "scheme %u action %s esz %lu esz_bp %lu min_score %u goals_met %d total_charged_sz %lu total_charged_ns %llu\n",
			       i, dp_sysfs_action_name(s->action), s->esz,
			       s->esz_bp, s->min_score, s->goals_met,
			       s->total_charged_sz, s->total_charged_ns);
}

/**
 * dp_trained_format() - the text of @tr.
 * @tr:		the state.
 * @text:	a kvmalloc()ed buffer with the text.
 * @len:	its length.
 *
 * Return: 0 or -ENOMEM.
 */
int dp_trained_format(const struct dp_trained *tr, char **text, size_t *len)
{
	size_t size = 4 * DP_TRAINED_LINE_MAX, n = 0;
	unsigned int i, j;
	char *buf;
	int err;

	for (i = 0; i < tr->nr_targets; i++)
		size += (tr->targets[i].nr_regions + 1) * DP_TRAINED_LINE_MAX;
	size += (tr->nr_schemes + 1) * DP_TRAINED_LINE_MAX;
	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	err = dp_trained_emit(buf, size, &n,
			      "%s %d\noperations %s\nintervals_us %lu %lu\naggregation_left %lu\nregion_fields %s\ntargets %u\n",
			      DP_TRAINED_MAGIC, DP_TRAINED_VERSION, tr->ops,
			      tr->sample_us, tr->aggr_us, tr->aggr_left,
			      DP_TRAINED_REGION_FIELDS, tr->nr_targets);
	for (i = 0; !err && i < tr->nr_targets; i++) {
		const struct dp_trained_target *t = &tr->targets[i];

		err = dp_trained_emit(buf, size, &n,
				      "target %u pid %d regions %u\n", i,
				      t->pid, t->nr_regions);
		for (j = 0; !err && j < t->nr_regions; j++)
			err = dp_trained_emit_region(buf, size, &n,
						     &t->regions[j]);
	}
	if (!err)
		err = dp_trained_emit(buf, size, &n, "schemes %u\n",
				      tr->nr_schemes);
	for (i = 0; !err && i < tr->nr_schemes; i++)
		err = dp_trained_emit_scheme(buf, size, &n, i, &tr->schemes[i]);
	if (!err)
		err = dp_trained_emit(buf, size, &n, "end\n");
	/* The sizes above hold any line: an overflow is a bug. */
	if (WARN_ON_ONCE(err)) {
		kvfree(buf);
		return -ENOMEM;
	}
	*text = buf;
	*len = n;
	return 0;
}

/*
 * Text in
 */

#define DP_TRAINED_MAX_TOKENS	20

/**
 * struct dp_trained_reader - a line-by-line reader of the text.
 * @pos:	the next line.
 * @end:	the end of the text.
 * @line:	the current line, its separators turned into NULs.
 * @tok:	its fields.
 * @nr_tok:	how many.
 */
struct dp_trained_reader {
	const char *pos;
	const char *end;
	char line[DP_TRAINED_LINE_MAX];
	char *tok[DP_TRAINED_MAX_TOKENS];
	int nr_tok;
};

/*
 * The next line, which must start with @key and have @nr fields in all;
 * fields are separated by exactly one space, and a line ends with a
 * newline.
 */
static int dp_trained_line(struct dp_trained_reader *rd, const char *key,
			   int nr)
{
	const char *nl;
	size_t len;
	char *p;

	if (rd->pos >= rd->end)
		return -EINVAL;
	nl = memchr(rd->pos, '\n', rd->end - rd->pos);
	if (!nl)
		return -EINVAL;
	len = nl - rd->pos;
	if (len >= sizeof(rd->line) || memchr(rd->pos, '\0', len))
		return -EINVAL;
	memcpy(rd->line, rd->pos, len);
	rd->line[len] = '\0';
	rd->pos = nl + 1;
	rd->nr_tok = 0;
	p = rd->line;
	while (p) {
		char *t = strsep(&p, " ");

		if (!*t || rd->nr_tok == DP_TRAINED_MAX_TOKENS)
			return -EINVAL;
		rd->tok[rd->nr_tok++] = t;
	}
	if (rd->nr_tok != nr || strcmp(rd->tok[0], key))
		return -EINVAL;
	return 0;
}

/* Field @i must be the word @word. */
static int dp_trained_word(struct dp_trained_reader *rd, int i,
			   const char *word)
{
	return strcmp(rd->tok[i], word) ? -EINVAL : 0;
}

static int dp_trained_ulong(struct dp_trained_reader *rd, int i,
			    unsigned long *v)
{
	return kstrtoul(rd->tok[i], 10, v);
}

static int dp_trained_uint(struct dp_trained_reader *rd, int i,
			   unsigned int *v)
{
	return kstrtouint(rd->tok[i], 10, v);
}

/* Field @i must be the number @want: lines are numbered in order. */
static int dp_trained_index(struct dp_trained_reader *rd, int i,
			    unsigned int want)
{
	unsigned int v;

	if (dp_trained_uint(rd, i, &v) || v != want)
		return -EINVAL;
	return 0;
}

/* A count whose lines, each at least @min_line long, fit what is left. */
static int dp_trained_count(struct dp_trained_reader *rd, int i,
			    size_t min_line, unsigned int *nr)
{
	if (dp_trained_uint(rd, i, nr) ||
	    *nr > (rd->end - rd->pos) / min_line)
		return -EINVAL;
	return 0;
}

/* DP_MAX_PROBES numbers of 0 to 255, separated by commas. */
static int dp_trained_hits(char *field, u8 *hits)
{
	char *h;
	int i;

	for (i = 0; i < DP_MAX_PROBES; i++) {
		h = strsep(&field, ",");
		if (!h || kstrtou8(h, 10, &hits[i]))
			return -EINVAL;
	}
	return field ? -EINVAL : 0;
}

static int dp_trained_parse_region(struct dp_trained_reader *rd,
				   struct dp_trained_region *r)
{
	if (dp_trained_line(rd, "region", 10) ||
	    dp_trained_ulong(rd, 1, &r->ar.start) ||
	    dp_trained_ulong(rd, 2, &r->ar.end) ||
	    dp_trained_uint(rd, 3, &r->nr_accesses) ||
	    dp_trained_uint(rd, 4, &r->nr_accesses_bp) ||
	    dp_trained_uint(rd, 5, &r->last_nr_accesses) ||
	    dp_trained_uint(rd, 6, &r->age) ||
	    dp_trained_uint(rd, 7, &r->idle_aggrs) ||
	    dp_trained_hits(rd->tok[8], r->probe_hits) ||
	    dp_trained_hits(rd->tok[9], r->last_probe_hits))
		return -EINVAL;
	return 0;
}

static int dp_trained_parse_target(struct dp_trained_reader *rd,
				   unsigned int i, struct dp_trained_target *t)
{
	unsigned int j, nr;
	int err;

	if (dp_trained_line(rd, "target", 6) || dp_trained_index(rd, 1, i) ||
	    dp_trained_word(rd, 2, "pid") || kstrtoint(rd->tok[3], 10, &t->pid) ||
	    t->pid < 0 || dp_trained_word(rd, 4, "regions") ||
	    dp_trained_count(rd, 5, DP_TRAINED_MIN_REGION_LINE, &nr))
		return -EINVAL;
	err = dp_trained_alloc_regions(t, nr);
	for (j = 0; !err && j < nr; j++)
		err = dp_trained_parse_region(rd, &t->regions[j]);
	return err;
}

static int dp_trained_parse_scheme(struct dp_trained_reader *rd,
				   unsigned int i, struct dp_trained_scheme *s)
{
	unsigned int goals_met;
	int action;

	if (dp_trained_line(rd, "scheme", 16) || dp_trained_index(rd, 1, i) ||
	    dp_trained_word(rd, 2, "action") ||
	    dp_trained_word(rd, 4, "esz") ||
	    dp_trained_word(rd, 6, "esz_bp") ||
	    dp_trained_word(rd, 8, "min_score") ||
	    dp_trained_word(rd, 10, "goals_met") ||
	    dp_trained_word(rd, 12, "total_charged_sz") ||
	    dp_trained_word(rd, 14, "total_charged_ns"))
		return -EINVAL;
	action = dp_sysfs_action_parse(rd->tok[3]);
	if (action < 0 || dp_trained_ulong(rd, 5, &s->esz) ||
	    dp_trained_ulong(rd, 7, &s->esz_bp) ||
	    dp_trained_uint(rd, 9, &s->min_score) ||
	    s->min_score > DP_MAX_SCORE ||
	    dp_trained_uint(rd, 11, &goals_met) || goals_met > 1 ||
	    dp_trained_ulong(rd, 13, &s->total_charged_sz) ||
	    kstrtou64(rd->tok[15], 10, &s->total_charged_ns))
		return -EINVAL;
	s->action = action;
	s->goals_met = goals_met;
	return 0;
}

/* The lines before the targets' into @tr. */
static int dp_trained_parse_head(struct dp_trained_reader *rd,
				 struct dp_trained *tr)
{
	if (dp_trained_line(rd, DP_TRAINED_MAGIC, 2) ||
	    dp_trained_index(rd, 1, DP_TRAINED_VERSION))
		return -EINVAL;
	if (dp_trained_line(rd, "operations", 2) ||
	    strscpy(tr->ops, rd->tok[1], sizeof(tr->ops)) < 0)
		return -EINVAL;
	if (dp_trained_line(rd, "intervals_us", 3) ||
	    dp_trained_ulong(rd, 1, &tr->sample_us) ||
	    dp_trained_ulong(rd, 2, &tr->aggr_us))
		return -EINVAL;
	if (dp_trained_line(rd, "aggregation_left", 2) ||
	    dp_trained_ulong(rd, 1, &tr->aggr_left))
		return -EINVAL;
	/* The fields of a region line are those of this version. */
	if (rd->end - rd->pos < sizeof("region_fields " DP_TRAINED_REGION_FIELDS) ||
	    memcmp(rd->pos, "region_fields " DP_TRAINED_REGION_FIELDS "\n",
		   sizeof("region_fields " DP_TRAINED_REGION_FIELDS)))
		return -EINVAL;
	rd->pos += sizeof("region_fields " DP_TRAINED_REGION_FIELDS);
	return 0;
}

/**
 * dp_trained_parse() - a trained state from its text.
 * @text:	the text; it need not be NUL-terminated.
 * @len:	its length.
 * @out:	the state; allocations are bounded by @len.
 *
 * Only the syntax, the version and the counts are checked here; whether
 * the state fits a context is dp_trained_prepare()'s.
 *
 * Return: 0, -EINVAL for any deviation from the format, -ENOMEM.
 */
int dp_trained_parse(const char *text, size_t len, struct dp_trained **out)
{
	struct dp_trained_reader *rd = kzalloc(sizeof(*rd), GFP_KERNEL);
	struct dp_trained head = {}, *tr = NULL;
	unsigned int nr, i;
	int err = -EINVAL;

	if (!rd)
		return -ENOMEM;
	rd->pos = text;
	rd->end = text + len;
	if (dp_trained_parse_head(rd, &head) ||
	    dp_trained_line(rd, "targets", 2) ||
	    dp_trained_count(rd, 1, DP_TRAINED_MIN_LINE, &nr))
		goto out;
	/* The schemes are counted later: room for them comes then. */
	tr = dp_trained_alloc(nr, 0);
	if (!tr) {
		err = -ENOMEM;
		goto out;
	}
	memcpy(tr->ops, head.ops, sizeof(tr->ops));
	tr->sample_us = head.sample_us;
	tr->aggr_us = head.aggr_us;
	tr->aggr_left = head.aggr_left;
	for (i = 0; i < tr->nr_targets; i++) {
		err = dp_trained_parse_target(rd, i, &tr->targets[i]);
		if (err)
			goto out;
	}
	err = -EINVAL;
	if (dp_trained_line(rd, "schemes", 2) ||
	    dp_trained_count(rd, 1, DP_TRAINED_MIN_LINE, &nr))
		goto out;
	kvfree(tr->schemes);
	tr->schemes = kvcalloc(max(nr, 1U), sizeof(*tr->schemes), GFP_KERNEL);
	if (!tr->schemes) {
		err = -ENOMEM;
		goto out;
	}
	tr->nr_schemes = nr;
	for (i = 0; i < nr; i++) {
		err = dp_trained_parse_scheme(rd, i, &tr->schemes[i]);
		if (err)
			goto out;
	}
	err = -EINVAL;
	if (dp_trained_line(rd, "end", 1) || rd->pos != rd->end)
		goto out;
	err = 0;
out:
	kfree(rd);
	if (err)
		dp_trained_free(tr);
	else
		*out = tr;
	return err;
}

/*
 * The file
 */

/**
 * struct dp_sysfs_trained - the trained_state file of a context directory.
 * @attr:	the file.
 * @lock:	protects @text and @len against readers.
 * @text:	what reads return: the last state taken or staged.
 * @len:	its length.
 * @pending:	the pieces of a write in progress (under dp_sysfs_lock).
 * @pending_len: their length.
 * @pending_size: the room in @pending.
 * @staged:	the state the next "on" or "commit" restores; NULL: none
 *		(under dp_sysfs_lock).
 */
struct dp_sysfs_trained {
	struct bin_attribute attr;
	struct mutex lock;	/* protects text and len */
	char *text;
	size_t len;
	char *pending;
	size_t pending_len;
	size_t pending_size;
	struct dp_trained *staged;
};

static void dp_sysfs_trained_set_text(struct dp_sysfs_trained *st, char *text,
				      size_t len)
{
	char *old;

	mutex_lock(&st->lock);
	old = st->text;
	st->text = text;
	st->len = len;
	mutex_unlock(&st->lock);
	kvfree(old);
}

static void dp_sysfs_trained_drop_pending(struct dp_sysfs_trained *st)
{
	kvfree(st->pending);
	st->pending = NULL;
	st->pending_len = 0;
	st->pending_size = 0;
}

static void dp_sysfs_trained_set_staged(struct dp_sysfs_trained *st,
					struct dp_trained *tr)
{
	dp_trained_free(st->staged);
	st->staged = tr;
}

static ssize_t dp_sysfs_trained_read(struct file *file, struct kobject *kobj,
				     DP_BIN_ATTR_CONST struct bin_attribute *attr,
				     char *buf, loff_t off, size_t count)
{
	struct dp_sysfs_trained *st = attr->private;
	ssize_t n = 0;

	mutex_lock(&st->lock);
	if (off < st->len) {
		n = min_t(size_t, count, st->len - off);
		memcpy(buf, st->text + off, n);
	}
	mutex_unlock(&st->lock);
	return n;
}

/* Whether @st->pending is a whole text: its last line is "end". */
static bool dp_sysfs_trained_complete(struct dp_sysfs_trained *st)
{
	static const char tail[] = "\nend\n";
	size_t n = sizeof(tail) - 1;

	return st->pending_len >= n &&
		!memcmp(st->pending + st->pending_len - n, tail, n);
}

/*
 * A whole text: parsed, and checked against what the context directory
 * describes now (which must be a context that can start); then staged and
 * shown.
 */
static int dp_sysfs_trained_stage(struct dp_sysfs_trained *st,
				  struct kobject *context)
{
	struct dp_trained_plan *plan;
	struct dp_trained *tr;
	struct dp_ctx *params;
	int err;

	err = dp_trained_parse(st->pending, st->pending_len, &tr);
	if (err)
		return err;
	err = -EINVAL;
	if (strcmp(tr->ops, dp_sysfs_context_ops_name(context)))
		goto fail;
	params = dp_sysfs_context_build(context);
	if (IS_ERR(params)) {
		err = PTR_ERR(params);
		goto fail;
	}
	err = dp_trained_prepare(tr, params, &plan);
	dp_destroy_ctx(params);
	if (err)
		goto fail;
	dp_trained_drop_plan(plan);
	dp_sysfs_trained_set_staged(st, tr);
	dp_sysfs_trained_set_text(st, st->pending, st->pending_len);
	st->pending = NULL;
	dp_sysfs_trained_drop_pending(st);
	return 0;
fail:
	dp_trained_free(tr);
	return err;
}

/* Room for @size bytes in @st->pending, doubling: pieces come a page each. */
static int dp_sysfs_trained_grow(struct dp_sysfs_trained *st, size_t size)
{
	size_t room = max3(size, 2 * st->pending_size, PAGE_SIZE);
	char *grown;

	if (size <= st->pending_size)
		return 0;
	grown = kvmalloc(room, GFP_KERNEL);
	if (!grown)
		return -ENOMEM;
	if (st->pending_len)
		memcpy(grown, st->pending, st->pending_len);
	kvfree(st->pending);
	st->pending = grown;
	st->pending_size = room;
	return 0;
}

static ssize_t dp_sysfs_trained_write_locked(struct dp_sysfs_trained *st,
					     struct kobject *kobj, char *buf,
					     loff_t off, size_t count)
{
	size_t magic = min(count, sizeof(DP_TRAINED_MAGIC) - 1);
	int err;

	/* "clear": nothing staged, nothing shown. */
	if (!off && (count == 5 || (count == 6 && buf[5] == '\n')) &&
	    !memcmp(buf, "clear", 5)) {
		dp_sysfs_trained_drop_pending(st);
		dp_sysfs_trained_set_staged(st, NULL);
		dp_sysfs_trained_set_text(st, NULL, 0);
		return count;
	}
	/* A new text, or the next piece of the one in progress. */
	if (!off)
		dp_sysfs_trained_drop_pending(st);
	else if (!st->pending || off != st->pending_len)
		goto refuse;
	if (!off && memcmp(buf, DP_TRAINED_MAGIC, magic))
		goto refuse;
	if (count > DP_TRAINED_MAX_TEXT - st->pending_len)
		goto refuse;
	err = dp_sysfs_trained_grow(st, st->pending_len + count);
	if (err) {
		dp_sysfs_trained_drop_pending(st);
		return err;
	}
	memcpy(st->pending + st->pending_len, buf, count);
	st->pending_len += count;
	if (!dp_sysfs_trained_complete(st)) {
		if (count < PAGE_SIZE)
			goto refuse;
		return count;
	}
	err = dp_sysfs_trained_stage(st, kobj);
	dp_sysfs_trained_drop_pending(st);
	return err ? err : count;
refuse:
	dp_sysfs_trained_drop_pending(st);
	return -EINVAL;
}

static ssize_t dp_sysfs_trained_write(struct file *file, struct kobject *kobj,
				      DP_BIN_ATTR_CONST struct bin_attribute *attr,
				      char *buf, loff_t off, size_t count)
{
	struct dp_sysfs_trained *st = attr->private;
	ssize_t ret;

	/* Never waits: whoever holds it may be removing this file. */
	if (!dp_sysfs_trylock())
		return -EBUSY;
	ret = dp_sysfs_trained_write_locked(st, kobj, buf, off, count);
	mutex_unlock(&dp_sysfs_lock);
	return ret;
}

/**
 * dp_sysfs_trained_add() - the trained_state file of a context directory.
 * @context:	the contexts/C directory.
 *
 * Return: its state, or an ERR_PTR.
 */
struct dp_sysfs_trained *dp_sysfs_trained_add(struct kobject *context)
{
	struct dp_sysfs_trained *st = kzalloc(sizeof(*st), GFP_KERNEL);
	int err;

	if (!st)
		return ERR_PTR(-ENOMEM);
	mutex_init(&st->lock);
	sysfs_bin_attr_init(&st->attr);
	st->attr.attr.name = "trained_state";
	st->attr.attr.mode = 0600;
	st->attr.read = dp_sysfs_trained_read;
	st->attr.write = dp_sysfs_trained_write;
	st->attr.private = st;
	err = sysfs_create_bin_file(context, &st->attr);
	if (err) {
		mutex_destroy(&st->lock);
		kfree(st);
		return ERR_PTR(err);
	}
	return st;
}

/** dp_sysfs_trained_rm() - undo dp_sysfs_trained_add(); dp_sysfs_lock held. */
void dp_sysfs_trained_rm(struct kobject *context, struct dp_sysfs_trained *st)
{
	/* Waits for the file's readers and writers to leave. */
	sysfs_remove_bin_file(context, &st->attr);
	dp_sysfs_trained_drop_pending(st);
	dp_sysfs_trained_set_staged(st, NULL);
	kvfree(st->text);
	mutex_destroy(&st->lock);
	kfree(st);
}

/**
 * dp_sysfs_trained_update() - the state of @ctx into the file.
 * @st:		the file.
 * @ctx:	the kdamond's context, running or not; dp_sysfs_lock held.
 * @ops:	the name of its operations.
 *
 * What was staged stays staged.
 *
 * Return: 0, -ENOMEM or -EINTR.
 */
int dp_sysfs_trained_update(struct dp_sysfs_trained *st, struct dp_ctx *ctx,
			    const char *ops)
{
	struct dp_trained *tr;
	size_t len;
	char *text;
	int err;

	err = dp_trained_take_running(ctx, &tr);
	if (err)
		return err;
	strscpy(tr->ops, ops, sizeof(tr->ops));
	err = dp_trained_format(tr, &text, &len);
	dp_trained_free(tr);
	if (!err)
		dp_sysfs_trained_set_text(st, text, len);
	return err;
}

static int dp_sysfs_trained_staged(struct dp_sysfs_trained *st,
				   const char *ops)
{
	if (strcmp(st->staged->ops, ops)) {
		pr_warn_ratelimited("trained state: of operations %s, not %s\n",
				    st->staged->ops, ops);
		return -EINVAL;
	}
	return 0;
}

/**
 * dp_sysfs_trained_restore() - the staged state into a context to start.
 * @st:		the file; dp_sysfs_lock held.
 * @ctx:	the stopped context "on" built.
 * @ops:	the name of its operations.
 *
 * Once @ctx started, dp_sysfs_trained_consumed() says so.
 *
 * Return: 0 (also when nothing is staged), or the refusal, with nothing
 * changed.
 */
int dp_sysfs_trained_restore(struct dp_sysfs_trained *st, struct dp_ctx *ctx,
			     const char *ops)
{
	if (!st->staged)
		return 0;
	return dp_sysfs_trained_staged(st, ops) ?:
		dp_trained_restore(ctx, st->staged);
}

/** dp_sysfs_trained_consumed() - a kdamond started from the staged state. */
void dp_sysfs_trained_consumed(struct dp_sysfs_trained *st)
{
	dp_sysfs_trained_set_staged(st, NULL);
}

/**
 * dp_sysfs_trained_commit() - commit, restoring the staged state if any.
 * @st:		the file; dp_sysfs_lock held.
 * @dst:	the running context.
 * @src:	the parameters to commit.
 * @ops:	the name of their operations.
 *
 * Return: as dp_commit_running(); a staged state is consumed once it is
 * restored.
 */
int dp_sysfs_trained_commit(struct dp_sysfs_trained *st, struct dp_ctx *dst,
			    struct dp_ctx *src, const char *ops)
{
	int err;

	if (!st->staged)
		return dp_commit_running(dst, src, false);
	err = dp_sysfs_trained_staged(st, ops) ?:
		dp_trained_commit_running(dst, src, st->staged);
	if (!err)
		dp_sysfs_trained_set_staged(st, NULL);
	return err;
}

#ifdef DAMON_PAUSE_KUNIT
#include "sysfs-trained-kunit.h"
#endif

// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/damon_pause/state: the complete monitoring state of
 * every kdamond of the admin tree, for tests and for people debugging.
 *
 * One line per kdamond ("K"), target ("T") and region ("R"), numbers in
 * decimal.  A running kdamond's state is read on the kdamond itself (by
 * dp_call()), so it is one consistent snapshot taken between two sampling
 * intervals, or of the frozen state if paused.  Not an ABI: the sysfs tree
 * and the tracepoint are.
 */

#include <linux/debugfs.h>
#include <linux/pid.h>
#include <linux/seq_file.h>

#include <damon_pause/damon.h>

#include "debugfs.h"
#include "sysfs.h"

struct dp_debugfs_dump {
	struct seq_file *m;
	struct dp_ctx *ctx;
	int idx;
};

static int dp_debugfs_dump_fn(void *data)
{
	struct dp_debugfs_dump *dump = data;
	struct dp_ctx *ctx = dump->ctx;
	struct seq_file *m = dump->m;
	struct dp_target *t;
	struct dp_region *r;
	int ti = 0;

	seq_printf(m, "K %d pid %d paused %d sample_intervals %lu aggregations %lu last_resume_ns %llu\n",
		   dump->idx, task_pid_nr(current), ctx->pause,
		   ctx->passed_sample_intervals, ctx->nr_aggregations,
		   ctx->last_resume_ns);
	dp_for_each_target(t, ctx) {
		seq_printf(m, "T %d %d pid %d nr_regions %u\n", dump->idx, ti,
			   pid_nr(t->pid), t->nr_regions);
		dp_for_each_region(r, t)
			seq_printf(m, "R %d %d %lu %lu %u %u %u %u\n",
				   dump->idx, ti, r->ar.start, r->ar.end,
				   r->nr_accesses, r->nr_accesses_bp,
				   r->last_nr_accesses, r->age);
		ti++;
	}
	return 0;
}

static int dp_debugfs_dump_ctx(int idx, struct dp_ctx *ctx, void *arg)
{
	struct dp_debugfs_dump dump = { .m = arg, .ctx = ctx, .idx = idx };
	struct dp_call_control control = {
		.fn = dp_debugfs_dump_fn,
		.data = &dump,
	};

	/* A stopped kdamond has dropped its regions: nothing to show. */
	if (!ctx || dp_call(ctx, &control) || control.canceled)
		seq_printf(arg, "K %d pid -1\n", idx);
	return 0;
}

static int dp_debugfs_state_show(struct seq_file *m, void *v)
{
	const struct dp_sysfs_ctx_visitor visitor = {
		.visit = dp_debugfs_dump_ctx,
		.arg = m,
	};

	return dp_sysfs_visit_ctxs(&visitor);
}
DEFINE_SHOW_ATTRIBUTE(dp_debugfs_state);

static struct dentry *dp_debugfs_dir;

/**
 * dp_debugfs_init() - create damon_pause/state.
 *
 * The dump is a diagnostic: as debugfs wants, its absence (no debugfs, or
 * no memory for it) fails no load, but the log says it is missing.
 */
void dp_debugfs_init(void)
{
	struct dentry *file;

	dp_debugfs_dir = debugfs_create_dir("damon_pause", NULL);
	file = debugfs_create_file("state", 0400, dp_debugfs_dir, NULL,
				   &dp_debugfs_state_fops);
	if (IS_ERR(file) && PTR_ERR(file) != -ENODEV)
		pr_warn("no debugfs dump (damon_pause/state): %pe\n", file);
}

/** dp_debugfs_exit() - remove it, waiting for readers. */
void dp_debugfs_exit(void)
{
	debugfs_remove(dp_debugfs_dir);
}

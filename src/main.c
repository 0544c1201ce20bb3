// SPDX-License-Identifier: GPL-2.0
/*
 * damon_pause: a standalone DAMON-compatible data access monitor with
 * pause/resume that keeps the monitor's self-trained state.
 *
 * Module init and exit only wire the parts together, in dependency order.
 */

#include <linux/module.h>

#include <damon_pause/damon.h>

#include "compat.h"
#include "debugfs.h"
#include "hugepage.h"
#include "sysfs.h"
#include "upstream-names.h"

static int __init damon_pause_init(void)
{
	unsigned int features;
	int err;

	err = dp_ksym_init();
	if (err)
		return err;
	features = dp_features();
	pr_info("version %s, features:%s%s%s%s%s%s%s%s%s%s\n",
		DAMON_PAUSE_VERSION,
		features & DP_FEAT_SYSFS ? " sysfs" : "",
		features & DP_FEAT_VADDR ? " vaddr" : "",
		features & DP_FEAT_MADVISE ? " madvise" : "",
		features & DP_FEAT_MMU_NOTIFY ? " mmu_notify" : "",
		features & DP_FEAT_PSI ? " psi" : "",
		features & DP_FEAT_MEMCG ? " memcg" : "",
		features & DP_FEAT_PADDR ? " paddr" : "",
		features & DP_FEAT_PA_PAGEOUT ? " pa_pageout" : "",
		features & DP_FEAT_PA_DEPRIO ? " pa_deprio" : "",
		features & DP_FEAT_PA_MIGRATE ? " pa_migrate" : "");

	err = dp_sysfs_init();
	if (err)
		return err;
	err = dp_upstream_names_init();
	if (err) {
		dp_sysfs_exit();
		return err;
	}
	dp_debugfs_init();
	/* The kept states' file first: a supervisor started here keeps. */
	err = dp_hp_trained_init();
	if (!err) {
		err = dp_hp_params_init();
		if (err)
			dp_hp_trained_exit();
	}
	if (err) {
		dp_debugfs_exit();
		dp_upstream_names_exit();
		dp_sysfs_exit();
	}
	return err;
}

/*
 * The dump reads the tree's contexts: it goes first.  Before it, every
 * kdamond stops, which cancels what a writer of the tree waits for (an
 * aggregation, however far) and so lets go of the lock that the dump's
 * readers wait on: nothing removed here waits on a wait of unbounded
 * length.  (An open dump holds the module, so none is read by now; the
 * order holds either way.)
 */
static void __exit damon_pause_exit(void)
{
	/* First: no handler turns on a kdamond the lines below stop. */
	dp_sysfs_close();
	dp_hp_params_exit();
	dp_hp_trained_exit();
	dp_stop_all();
	dp_debugfs_exit();
	dp_upstream_names_exit();
	dp_sysfs_exit();
}

module_init(damon_pause_init);
module_exit(damon_pause_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("DAMON-compatible data access monitor with pause/resume");
MODULE_VERSION(DAMON_PAUSE_VERSION);
MODULE_INFO(compat, DP_COMPAT_STRING);

// SPDX-License-Identifier: GPL-2.0
/*
 * Upstream's names for our interfaces, where the kernel has none of its
 * own: /sys/kernel/mm/damon, a link to our /sys/kernel/mm/damon_pause
 * (so that /sys/kernel/mm/damon/admin is our tree), and our events under
 * the damon system (src/trace-damon.c).  DAMON's own tools hard-code
 * those names; with them, they drive this module unmodified.
 *
 * A kernel cannot gain the in-kernel DAMON after boot (it is never a
 * module), so names found free at load stay ours to take: that is what
 * the default, auto, does.  Y insists (the load fails where the kernel
 * has them), N takes none.  Our own names stay, whatever the setting.
 */
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "sysfs.h"
#include "trace-damon.h"
#include "upstream-names.h"

enum dp_upstream_names {
	DP_UPSTREAM_NAMES_AUTO,
	DP_UPSTREAM_NAMES_YES,
	DP_UPSTREAM_NAMES_NO,
};

static enum dp_upstream_names dp_upstream_names;
static bool dp_upstream_sysfs_linked;

static int dp_upstream_names_set(const char *val,
				 const struct kernel_param *kp)
{
	bool v;

	if (sysfs_streq(val, "auto")) {
		dp_upstream_names = DP_UPSTREAM_NAMES_AUTO;
		return 0;
	}
	if (kstrtobool(val, &v)) {
		pr_warn("upstream_names: want auto, Y or N\n");
		return -EINVAL;
	}
	dp_upstream_names = v ? DP_UPSTREAM_NAMES_YES : DP_UPSTREAM_NAMES_NO;
	return 0;
}

static int dp_upstream_names_get(char *buf, const struct kernel_param *kp)
{
	static const char *const names[] = {
		[DP_UPSTREAM_NAMES_AUTO] = "auto",
		[DP_UPSTREAM_NAMES_YES] = "Y",
		[DP_UPSTREAM_NAMES_NO] = "N",
	};

	return sysfs_emit(buf, "%s\n", names[dp_upstream_names]);
}

static const struct kernel_param_ops dp_upstream_names_ops = {
	.set = dp_upstream_names_set,
	.get = dp_upstream_names_get,
};

/* Read once, at load: the names are taken then or never. */
module_param_cb(upstream_names, &dp_upstream_names_ops, NULL, 0444);
MODULE_PARM_DESC(upstream_names,
		 "Also answer at /sys/kernel/mm/damon and as damon:* events: auto (where the kernel has none), Y or N (default: auto)");

/* Whether /sys/kernel/mm has a damon entry already (the in-kernel tree). */
static bool dp_upstream_sysfs_taken(struct kobject *mm)
{
	struct kernfs_node *kn = kernfs_find_and_get(mm->sd, "damon");

	kernfs_put(kn);
	return kn;
}

static int dp_upstream_sysfs_link(void)
{
	struct kobject *mm = dp_sysfs_mm_kobj(), *root = dp_sysfs_root_kobj();
	int err;

	if (dp_upstream_sysfs_taken(mm)) {
		if (dp_upstream_names == DP_UPSTREAM_NAMES_AUTO)
			return 0;
		pr_err("upstream_names=Y: /sys/kernel/mm/damon is the kernel's\n");
		return -EEXIST;
	}
	err = sysfs_create_link(mm, root, "damon");
	if (err)
		return err;
	dp_upstream_sysfs_linked = true;
	pr_info("also at /sys/kernel/mm/damon/admin\n");
	return 0;
}

/**
 * dp_upstream_names_init() - take upstream's names, as the setting says.
 *
 * After dp_sysfs_init().
 *
 * Return: 0, or a negative error code with no name taken.
 */
int dp_upstream_names_init(void)
{
	int err;

	if (dp_upstream_names == DP_UPSTREAM_NAMES_NO) {
		err = dp_up_events_remove();
		if (err)
			pr_warn("upstream_names=N: the damon:* events stay (%d)\n",
				err);
		return 0;
	}
	if (!dp_up_events_built() &&
	    dp_upstream_names == DP_UPSTREAM_NAMES_YES) {
		pr_err("upstream_names=Y: the damon:* events are the kernel's\n");
		return -EEXIST;
	}
	err = dp_upstream_sysfs_link();
	if (err)
		return err;
	if (dp_up_events_built())
		pr_info("also as the damon:* events\n");
	return 0;
}

/**
 * dp_upstream_names_exit() - let the sysfs name go (the events go with
 * the module).
 */
void dp_upstream_names_exit(void)
{
	if (dp_upstream_sysfs_linked)
		sysfs_remove_link(dp_sysfs_mm_kobj(), "damon");
	dp_upstream_sysfs_linked = false;
}

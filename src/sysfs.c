// SPDX-License-Identifier: GPL-2.0
/*
 * The admin tree, /sys/kernel/mm/damon_pause/admin/, laid out like upstream
 * DAMON's /sys/kernel/mm/damon/admin/ so that tools only change the root.
 *
 * One struct embedding a kobject per directory; each is freed by its
 * kobj_type's release once the last reference (an open file) is gone.
 */

#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "sysfs.h"

/*
 * kdamonds directory
 */

struct dp_sysfs_kdamonds {
	struct kobject kobj;
	int nr;
};

static ssize_t nr_kdamonds_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct dp_sysfs_kdamonds *kdamonds = container_of(kobj,
			struct dp_sysfs_kdamonds, kobj);

	return sysfs_emit(buf, "%d\n", kdamonds->nr);
}

static ssize_t nr_kdamonds_store(struct kobject *kobj,
				 struct kobj_attribute *attr, const char *buf,
				 size_t count)
{
	int nr, err;

	err = kstrtoint(buf, 0, &nr);
	if (err)
		return err;
	if (nr < 0)
		return -EINVAL;
	/* kdamond directories arrive with the monitoring core. */
	if (nr)
		return -EOPNOTSUPP;
	return count;
}

static void dp_sysfs_kdamonds_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct dp_sysfs_kdamonds, kobj));
}

static struct kobj_attribute dp_sysfs_kdamonds_nr_attr =
		__ATTR_RW_MODE(nr_kdamonds, 0600);

static struct attribute *dp_sysfs_kdamonds_attrs[] = {
	&dp_sysfs_kdamonds_nr_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_kdamonds);

static const struct kobj_type dp_sysfs_kdamonds_ktype = {
	.release = dp_sysfs_kdamonds_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = dp_sysfs_kdamonds_groups,
};

/*
 * The root: damon_pause/ and damon_pause/admin/
 */

static struct kobject *dp_sysfs_root;
static struct kobject *dp_sysfs_admin;
static struct dp_sysfs_kdamonds *dp_sysfs_kdamonds;

/**
 * dp_sysfs_init() - create /sys/kernel/mm/damon_pause/admin/kdamonds/.
 *
 * Return: 0 on success, or a negative error code with nothing created.
 */
int dp_sysfs_init(void)
{
	struct dp_sysfs_kdamonds *kdamonds;
	int err;

	if (!dp_has_feature(DP_FEAT_SYSFS)) {
		pr_err("cannot find /sys/kernel/mm (mm_kobj) for the admin tree\n");
		return -EOPNOTSUPP;
	}

	dp_sysfs_root = kobject_create_and_add("damon_pause", *dp_ksyms.mm_kobj);
	if (!dp_sysfs_root)
		return -ENOMEM;
	dp_sysfs_admin = kobject_create_and_add("admin", dp_sysfs_root);
	if (!dp_sysfs_admin) {
		err = -ENOMEM;
		goto err_put_root;
	}

	kdamonds = kzalloc(sizeof(*kdamonds), GFP_KERNEL);
	if (!kdamonds) {
		err = -ENOMEM;
		goto err_put_admin;
	}
	err = kobject_init_and_add(&kdamonds->kobj, &dp_sysfs_kdamonds_ktype,
				   dp_sysfs_admin, "kdamonds");
	if (err) {
		/* kobject_init_and_add() wants a put even when it fails. */
		kobject_put(&kdamonds->kobj);
		goto err_put_admin;
	}
	dp_sysfs_kdamonds = kdamonds;
	return 0;

err_put_admin:
	kobject_put(dp_sysfs_admin);
err_put_root:
	kobject_put(dp_sysfs_root);
	return err;
}

/**
 * dp_sysfs_exit() - remove the whole admin tree.
 */
void dp_sysfs_exit(void)
{
	kobject_put(&dp_sysfs_kdamonds->kobj);
	kobject_put(dp_sysfs_admin);
	kobject_put(dp_sysfs_root);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Building blocks of the admin tree (see sysfs-common.h).
 */

#include <linux/kernel.h>
#include <linux/slab.h>

#include "compat.h"
#include "sysfs-common.h"
#include "sysfs.h"

/* See sysfs-common.h. */
DEFINE_MUTEX(dp_sysfs_lock);

/* The module is going: no handler takes dp_sysfs_lock any more. */
static bool dp_sysfs_closing;

/**
 * dp_sysfs_trylock() - take dp_sysfs_lock for a file handler.
 *
 * Return: whether it was taken; never once dp_sysfs_close() ran.  The
 * handler then answers -EBUSY.
 */
bool dp_sysfs_trylock(void)
{
	if (dp_sysfs_closed())
		return false;
	return mutex_trylock(&dp_sysfs_lock);
}

/**
 * dp_sysfs_close() - refuse every handler from now on, at the start of the
 * unload.
 *
 * Handlers kept taking the lock while the unload waited for it: writers
 * in a loop (on, commit, updates) could hold it most of the time, turn on
 * kdamonds that the unload had just stopped, and keep it waiting.  Those
 * under way finish (their waits on a kdamond end with its stop); no new
 * one starts.
 */
void dp_sysfs_close(void)
{
	/*
	 * A handler that read the flag just before runs as usual: the
	 * unload's wait for the lock stops kdamonds until it is free.
	 */
	WRITE_ONCE(dp_sysfs_closing, true);
}

/** dp_sysfs_closed() - whether dp_sysfs_close() ran. */
bool dp_sysfs_closed(void)
{
	return READ_ONCE(dp_sysfs_closing);
}

void dp_sysfs_release(struct kobject *kobj)
{
	kfree(kobj);
}

/**
 * dp_sysfs_new_dir() - a zeroed directory struct, added to the tree.
 * @size:	the struct's size; its first member is its kobject.
 * @ktype:	its type.
 * @parent:	the parent directory.
 * @fmt:	printf-style name, 15 characters at most.
 *
 * Return: the struct, or an ERR_PTR.
 */
void *dp_sysfs_new_dir(size_t size, const struct kobj_type *ktype,
		       struct kobject *parent, const char *fmt, ...)
{
	struct kobject *kobj = kzalloc(size, GFP_KERNEL);
	char name[16];
	va_list args;
	int err;

	if (!kobj)
		return ERR_PTR(-ENOMEM);
	va_start(args, fmt);
	vsnprintf(name, sizeof(name), fmt, args);
	va_end(args);
	err = dp_sysfs_dir_add(kobj, ktype, parent, "%s", name);
	return err ? ERR_PTR(err) : kobj;
}

/**
 * dp_sysfs_dir_add() - add an allocated directory struct to the tree.
 * @kobj:	its kobject, the struct's first member, zeroed.
 * @ktype:	its type.
 * @parent:	the parent directory.
 * @fmt:	printf-style name.
 *
 * Return: 0, or an error with @kobj already freed.
 */
int dp_sysfs_dir_add(struct kobject *kobj, const struct kobj_type *ktype,
		     struct kobject *parent, const char *fmt, ...)
{
	va_list args;
	char *name;
	int err;

	va_start(args, fmt);
	name = kvasprintf(GFP_KERNEL, fmt, args);
	va_end(args);
	if (!name) {
		kfree(kobj);
		return -ENOMEM;
	}
	err = kobject_init_and_add(kobj, ktype, parent, "%s", name);
	kfree(name);
	/* kobject_init_and_add() wants a put even when it fails. */
	if (err)
		kobject_put(kobj);
	return err;
}

/*
 * Gone from sysfs at once (waiting for running handlers of its files); the
 * memory goes with the last reference.
 */
void dp_sysfs_dir_rm(struct kobject *kobj)
{
	kobject_del(kobj);
	kobject_put(kobj);
}

static void dp_sysfs_list_rm_items(struct dp_sysfs_list *list)
{
	int i;

	for (i = list->nr - 1; i >= 0; i--)
		list->ops->rm(list->items[i]);
	kfree(list->items);
	list->items = NULL;
	list->nr = 0;
}

/**
 * dp_sysfs_list_set_nr() - replace the items of @list by @nr fresh ones.
 * @list:	the list; dp_sysfs_lock held.
 * @nr:		the new count, already checked.
 *
 * As upstream, the old items go even when their count stays the same, and
 * a failure to create the new ones leaves the list empty: they take the
 * old ones' names, so both cannot be there at once.  Only the array can
 * be had first, and is, so that its failure changes nothing.
 *
 * Return: 0; -ENOMEM with the list as it was, or an error with the list
 * empty.
 */
int dp_sysfs_list_set_nr(struct dp_sysfs_list *list, int nr)
{
	struct kobject **items = NULL;
	int i;

	if (nr) {
		items = kcalloc(nr, sizeof(*items), GFP_KERNEL);
		if (!items)
			return -ENOMEM;
	}
	dp_sysfs_list_rm_items(list);
	if (!nr)
		return 0;
	list->items = items;
	for (i = 0; i < nr; i++) {
		struct kobject *item = list->ops->add(&list->kobj, i);

		if (IS_ERR(item)) {
			dp_sysfs_list_rm_items(list);
			return PTR_ERR(item);
		}
		items[i] = item;
		list->nr = i + 1;
	}
	return 0;
}

static ssize_t dp_sysfs_list_nr_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(dp_sysfs_to_list(kobj)->nr));
}

static ssize_t dp_sysfs_list_nr_store(struct kobject *kobj,
				      struct kobj_attribute *attr,
				      const char *buf, size_t count)
{
	struct dp_sysfs_list *list = dp_sysfs_to_list(kobj);
	int nr, err;

	err = kstrtoint(buf, 0, &nr);
	if (err)
		return err;
	if (nr < 0 || nr > list->ops->max_nr)
		return -EINVAL;
	if (!dp_sysfs_trylock())
		return -EBUSY;
	err = list->ops->check_nr ? list->ops->check_nr(list, nr) : 0;
	if (!err)
		err = dp_sysfs_list_set_nr(list, nr);
	mutex_unlock(&dp_sysfs_lock);
	return err ? err : count;
}

/* One list type per nr_* file name; they differ in nothing else. */
#define DP_SYSFS_LIST_KTYPE(_name)					\
	static struct kobj_attribute dp_sysfs_nr_##_name##_attr =	\
		__ATTR(nr_##_name, 0600, dp_sysfs_list_nr_show,		\
		       dp_sysfs_list_nr_store);				\
	static struct attribute *dp_sysfs_##_name##_attrs[] = {		\
		&dp_sysfs_nr_##_name##_attr.attr,			\
		NULL,							\
	};								\
	ATTRIBUTE_GROUPS(dp_sysfs_##_name);				\
	const struct kobj_type dp_sysfs_##_name##_ktype = {		\
		.release = dp_sysfs_release,				\
		.sysfs_ops = &kobj_sysfs_ops,				\
		.default_groups = dp_sysfs_##_name##_groups,		\
	}

DP_SYSFS_LIST_KTYPE(kdamonds);
DP_SYSFS_LIST_KTYPE(contexts);
DP_SYSFS_LIST_KTYPE(targets);
DP_SYSFS_LIST_KTYPE(regions);
DP_SYSFS_LIST_KTYPE(schemes);
DP_SYSFS_LIST_KTYPE(goals);
DP_SYSFS_LIST_KTYPE(filters);
DP_SYSFS_LIST_KTYPE(dests);
DP_SYSFS_LIST_KTYPE(probes);
DP_SYSFS_LIST_KTYPE(preps);

/**
 * dp_sysfs_list_add() - create an empty list directory.
 * @parent:	its parent.
 * @name:	its name.
 * @ktype:	one of the dp_sysfs_*_ktype list types.
 * @ops:	what its items are.
 *
 * Return: the list, or an ERR_PTR.
 */
struct dp_sysfs_list *dp_sysfs_list_add(struct kobject *parent,
					const char *name,
					const struct kobj_type *ktype,
					const struct dp_sysfs_list_ops *ops)
{
	struct dp_sysfs_list *list = kzalloc(sizeof(*list), GFP_KERNEL);
	int err;

	if (!list)
		return ERR_PTR(-ENOMEM);
	list->ops = ops;
	err = dp_sysfs_dir_add(&list->kobj, ktype, parent, "%s", name);
	return err ? ERR_PTR(err) : list;
}

/** dp_sysfs_list_rm() - remove @list and all its items. */
void dp_sysfs_list_rm(struct dp_sysfs_list *list)
{
	dp_sysfs_list_rm_items(list);
	dp_sysfs_dir_rm(&list->kobj);
}

const struct kobj_type dp_sysfs_plain_ktype = {
	.release = dp_sysfs_release,
	.sysfs_ops = &kobj_sysfs_ops,
};

/** dp_sysfs_plain_add() - a directory for subdirectories; or an ERR_PTR. */
struct kobject *dp_sysfs_plain_add(struct kobject *parent, const char *name)
{
	struct kobject *kobj = kzalloc(sizeof(*kobj), GFP_KERNEL);
	int err;

	if (!kobj)
		return ERR_PTR(-ENOMEM);
	err = dp_sysfs_dir_add(kobj, &dp_sysfs_plain_ktype, parent, "%s",
			       name);
	return err ? ERR_PTR(err) : kobj;
}

DP_SYSFS_ULONG_ATTR(dp_sysfs_range_min_attr, min, struct dp_sysfs_range, min);
DP_SYSFS_ULONG_ATTR(dp_sysfs_range_max_attr, max, struct dp_sysfs_range, max);

static struct attribute *dp_sysfs_range_attrs[] = {
	&dp_sysfs_range_min_attr.kattr.attr,
	&dp_sysfs_range_max_attr.kattr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(dp_sysfs_range);

static const struct kobj_type dp_sysfs_range_ktype = {
	.release = dp_sysfs_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = dp_sysfs_range_groups,
};

/**
 * dp_sysfs_range_add() - a {min,max} directory with initial values.
 * @parent:	its parent.
 * @name:	its name.
 * @min:	the initial min.
 * @max:	the initial max.
 *
 * Return: the range, or an ERR_PTR.
 */
struct dp_sysfs_range *dp_sysfs_range_add(struct kobject *parent,
					  const char *name, unsigned long min,
					  unsigned long max)
{
	struct dp_sysfs_range *range = kzalloc(sizeof(*range), GFP_KERNEL);
	int err;

	if (!range)
		return ERR_PTR(-ENOMEM);
	range->min = min;
	range->max = max;
	err = dp_sysfs_dir_add(&range->kobj, &dp_sysfs_range_ktype, parent,
			       "%s", name);
	return err ? ERR_PTR(err) : range;
}

static unsigned long *dp_sysfs_ulong_of(struct kobject *kobj,
					struct kobj_attribute *attr)
{
	struct dp_sysfs_ulong_attr *uattr = container_of(attr,
			struct dp_sysfs_ulong_attr, kattr);

	return (unsigned long *)((char *)kobj + uattr->offset);
}

ssize_t dp_sysfs_ulong_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%lu\n",
			  READ_ONCE(*dp_sysfs_ulong_of(kobj, attr)));
}

ssize_t dp_sysfs_ulong_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	unsigned long val;
	int err;

	err = kstrtoul(buf, 0, &val);
	if (err)
		return err;
	WRITE_ONCE(*dp_sysfs_ulong_of(kobj, attr), val);
	return count;
}

static int *dp_sysfs_int_of(struct kobject *kobj, struct kobj_attribute *attr)
{
	struct dp_sysfs_ulong_attr *iattr = container_of(attr,
			struct dp_sysfs_ulong_attr, kattr);

	return (int *)((char *)kobj + iattr->offset);
}

ssize_t dp_sysfs_int_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(*dp_sysfs_int_of(kobj, attr)));
}

ssize_t dp_sysfs_int_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	int val, err;

	err = kstrtoint(buf, 0, &val);
	if (err)
		return err;
	WRITE_ONCE(*dp_sysfs_int_of(kobj, attr), val);
	return count;
}

static unsigned int *dp_sysfs_uint_of(struct kobject *kobj,
				      struct kobj_attribute *attr)
{
	struct dp_sysfs_ulong_attr *uattr = container_of(attr,
			struct dp_sysfs_ulong_attr, kattr);

	return (unsigned int *)((char *)kobj + uattr->offset);
}

ssize_t dp_sysfs_uint_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(*dp_sysfs_uint_of(kobj, attr)));
}

ssize_t dp_sysfs_uint_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	unsigned int val;
	int err;

	err = kstrtouint(buf, 0, &val);
	if (err)
		return err;
	WRITE_ONCE(*dp_sysfs_uint_of(kobj, attr), val);
	return count;
}

/* Strings are swapped whole under this lock, and read under it. */
DEFINE_MUTEX(dp_sysfs_str_lock);

static char **dp_sysfs_str_of(struct kobject *kobj,
			      struct kobj_attribute *attr)
{
	struct dp_sysfs_ulong_attr *sattr = container_of(attr,
			struct dp_sysfs_ulong_attr, kattr);

	return (char **)((char *)kobj + sattr->offset);
}

ssize_t dp_sysfs_str_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	ssize_t len;

	mutex_lock(&dp_sysfs_str_lock);
	len = sysfs_emit(buf, "%s\n", *dp_sysfs_str_of(kobj, attr) ?: "");
	mutex_unlock(&dp_sysfs_str_lock);
	return len;
}

ssize_t dp_sysfs_str_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	char *str = kstrndup(buf, count, GFP_KERNEL);

	if (!str)
		return -ENOMEM;
	if (count && str[count - 1] == '\n')
		str[count - 1] = '\0';
	mutex_lock(&dp_sysfs_str_lock);
	swap(*dp_sysfs_str_of(kobj, attr), str);
	mutex_unlock(&dp_sysfs_str_lock);
	kfree(str);
	return count;
}

/**
 * dp_sysfs_memcg_id() - the id of the memory cgroup a path file names.
 * @path:	the file's field (a DP_SYSFS_STR_ATTR), read under its lock.
 * @id:		receives the id.
 * @what:	what the path is for, for the log.
 *
 * Return: 0; -EINVAL (said in the log) if no memory cgroup has the path;
 * -EOPNOTSUPP without the memcg feature; -ENOMEM.
 */
int dp_sysfs_memcg_id(char *const *path, unsigned short *id, const char *what)
{
	int err;

	mutex_lock(&dp_sysfs_str_lock);
	err = dp_memcg_id_of_path(*path, id);
	if (err == -EINVAL)
		pr_warn_ratelimited("%s: no memory cgroup at path \"%s\"\n",
				    what, *path ?: "");
	mutex_unlock(&dp_sysfs_str_lock);
	return err;
}

static unsigned int *dp_sysfs_enum_of(struct kobject *kobj,
				      struct dp_sysfs_enum_attr *eattr)
{
	return (unsigned int *)((char *)kobj + eattr->offset);
}

ssize_t dp_sysfs_enum_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct dp_sysfs_enum_attr *eattr = container_of(attr,
			struct dp_sysfs_enum_attr, kattr);
	unsigned int val = READ_ONCE(*dp_sysfs_enum_of(kobj, eattr));

	return sysfs_emit(buf, "%s\n", eattr->names[val]);
}

ssize_t dp_sysfs_enum_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	struct dp_sysfs_enum_attr *eattr = container_of(attr,
			struct dp_sysfs_enum_attr, kattr);
	unsigned int i;

	for (i = 0; eattr->names[i]; i++) {
		if (sysfs_streq(buf, eattr->names[i])) {
			WRITE_ONCE(*dp_sysfs_enum_of(kobj, eattr), i);
			return count;
		}
	}
	return -EINVAL;
}

static bool *dp_sysfs_bool_of(struct kobject *kobj,
			      struct kobj_attribute *attr)
{
	struct dp_sysfs_ulong_attr *battr = container_of(attr,
			struct dp_sysfs_ulong_attr, kattr);

	return (bool *)((char *)kobj + battr->offset);
}

ssize_t dp_sysfs_bool_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%c\n",
			  READ_ONCE(*dp_sysfs_bool_of(kobj, attr)) ? 'Y' : 'N');
}

ssize_t dp_sysfs_bool_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	bool val;
	int err;

	err = kstrtobool(buf, &val);
	if (err)
		return err;
	WRITE_ONCE(*dp_sysfs_bool_of(kobj, attr), val);
	return count;
}

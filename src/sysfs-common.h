/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building blocks of the admin tree: numbered directory lists driven by an
 * nr_* file, and value files bound to a field of their directory.
 */
#ifndef _DAMON_PAUSE_SYSFS_COMMON_H
#define _DAMON_PAUSE_SYSFS_COMMON_H

#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>

/*
 * Serialises everything that changes the tree's shape or a kdamond's state.
 * Taken with mutex_trylock() by file handlers, -EBUSY when contended, as
 * upstream does: a handler blocking on it could wait for the holder, which
 * may be removing that handler's own file and waiting for it to return.
 */
extern struct mutex dp_sysfs_lock;
bool dp_sysfs_trylock(void);
bool dp_sysfs_closed(void);

/*
 * Every directory struct starts with its kobject, so that one release
 * function frees them all.
 */
void dp_sysfs_release(struct kobject *kobj);
__printf(4, 5)
int dp_sysfs_dir_add(struct kobject *kobj, const struct kobj_type *ktype,
		     struct kobject *parent, const char *fmt, ...);
void dp_sysfs_dir_rm(struct kobject *kobj);
__printf(4, 5)
void *dp_sysfs_new_dir(size_t size, const struct kobj_type *ktype,
		       struct kobject *parent, const char *fmt, ...);

/* The type of a directory of files, from its dp_sysfs_NAME_groups. */
#define DP_SYSFS_KTYPE(_name)						\
	static const struct kobj_type dp_sysfs_##_name##_ktype = {	\
		.release = dp_sysfs_release,				\
		.sysfs_ops = &kobj_sysfs_ops,				\
		.default_groups = dp_sysfs_##_name##_groups,		\
	}

struct dp_sysfs_list;

/**
 * struct dp_sysfs_list_ops - what a numbered list holds.
 * @add:	create item @idx under @parent; an ERR_PTR on failure.
 * @rm:		remove an item created by @add, with all below it.
 * @check_nr:	may refuse a new count (-EBUSY while in use, ...); optional.
 * @max_nr:	the largest count accepted (-EINVAL above it).
 */
struct dp_sysfs_list_ops {
	struct kobject *(*add)(struct kobject *parent, int idx);
	void (*rm)(struct kobject *item);
	int (*check_nr)(struct dp_sysfs_list *list, int nr);
	int max_nr;
};

/**
 * struct dp_sysfs_list - a directory of items named 0 .. nr - 1.
 * @kobj:	the directory.
 * @ops:	what the items are.
 * @nr:		number of items.
 * @items:	the items' directories.
 */
struct dp_sysfs_list {
	struct kobject kobj;
	const struct dp_sysfs_list_ops *ops;
	int nr;
	struct kobject **items;
};

/* The list types, each with its own nr_* file name. */
extern const struct kobj_type dp_sysfs_kdamonds_ktype;
extern const struct kobj_type dp_sysfs_contexts_ktype;
extern const struct kobj_type dp_sysfs_targets_ktype;
extern const struct kobj_type dp_sysfs_regions_ktype;
extern const struct kobj_type dp_sysfs_schemes_ktype;
extern const struct kobj_type dp_sysfs_goals_ktype;
extern const struct kobj_type dp_sysfs_filters_ktype;
extern const struct kobj_type dp_sysfs_dests_ktype;
extern const struct kobj_type dp_sysfs_probes_ktype;
extern const struct kobj_type dp_sysfs_preps_ktype;

struct dp_sysfs_list *dp_sysfs_list_add(struct kobject *parent,
					const char *name,
					const struct kobj_type *ktype,
					const struct dp_sysfs_list_ops *ops);
void dp_sysfs_list_rm(struct dp_sysfs_list *list);
int dp_sysfs_list_set_nr(struct dp_sysfs_list *list, int nr);

static inline struct dp_sysfs_list *dp_sysfs_to_list(struct kobject *kobj)
{
	return container_of(kobj, struct dp_sysfs_list, kobj);
}

/**
 * struct dp_sysfs_ulong_attr - a 0600 file holding an unsigned long field
 * of its directory's struct, written in any kstrtoul() base.
 * @kattr:	the file.
 * @offset:	offset of the field in the directory's struct.
 */
struct dp_sysfs_ulong_attr {
	struct kobj_attribute kattr;
	size_t offset;
};

ssize_t dp_sysfs_ulong_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf);
ssize_t dp_sysfs_ulong_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count);

/* A file of mode _mode over _field, read by _show, written by _store. */
#define DP_SYSFS_FIELD_ATTR(_var, _name, _mode, _type, _field, _show, _store) \
	static struct dp_sysfs_ulong_attr _var = {			\
		.kattr = __ATTR(_name, _mode, _show, _store),		\
		.offset = offsetof(_type, _field),			\
	}

#define DP_SYSFS_ULONG_ATTR(_var, _name, _type, _field)			\
	DP_SYSFS_FIELD_ATTR(_var, _name, 0600, _type, _field,		\
			    dp_sysfs_ulong_show, dp_sysfs_ulong_store)

/* A 0600 file holding an int field, in any kstrtoint() base, signed. */
#define DP_SYSFS_INT_ATTR(_var, _name, _type, _field)			\
	DP_SYSFS_FIELD_ATTR(_var, _name, 0600, _type, _field,		\
			    dp_sysfs_int_show, dp_sysfs_int_store)

ssize_t dp_sysfs_int_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf);
ssize_t dp_sysfs_int_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count);

/* A 0600 file holding an unsigned int field, in any kstrtouint() base. */
#define DP_SYSFS_UINT_ATTR(_var, _name, _type, _field)			\
	DP_SYSFS_FIELD_ATTR(_var, _name, 0600, _type, _field,		\
			    dp_sysfs_uint_show, dp_sysfs_uint_store)

ssize_t dp_sysfs_uint_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf);
ssize_t dp_sysfs_uint_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count);

/*
 * A 0600 file holding any string (a char * field, NULL while empty), read
 * back without the newline a write may end with; under dp_sysfs_str_lock.
 */
#define DP_SYSFS_STR_ATTR(_var, _name, _type, _field)			\
	DP_SYSFS_FIELD_ATTR(_var, _name, 0600, _type, _field,		\
			    dp_sysfs_str_show, dp_sysfs_str_store)

extern struct mutex dp_sysfs_str_lock;
int dp_sysfs_memcg_id(char *const *path, unsigned short *id, const char *what);
ssize_t dp_sysfs_str_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf);
ssize_t dp_sysfs_str_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count);

/* The same, read only (0400): results the kernel fills in. */
#define DP_SYSFS_ULONG_RO_ATTR(_var, _name, _type, _field)		\
	DP_SYSFS_FIELD_ATTR(_var, _name, 0400, _type, _field,		\
			    dp_sysfs_ulong_show, NULL)

/**
 * struct dp_sysfs_range - a {min,max} directory.
 * @kobj:	the directory.
 * @min:	its min file.
 * @max:	its max file.
 */
struct dp_sysfs_range {
	struct kobject kobj;
	unsigned long min;
	unsigned long max;
};

struct dp_sysfs_range *dp_sysfs_range_add(struct kobject *parent,
					  const char *name, unsigned long min,
					  unsigned long max);

/* A directory with nothing but subdirectories. */
extern const struct kobj_type dp_sysfs_plain_ktype;
struct kobject *dp_sysfs_plain_add(struct kobject *parent, const char *name);

/**
 * struct dp_sysfs_enum_attr - a 0600 file holding an enum field of its
 * directory's struct, written and read as one of @names.
 * @kattr:	the file.
 * @offset:	offset of the field (an unsigned int) in the struct.
 * @names:	the values' names, in the enum's order, NULL-terminated.
 */
struct dp_sysfs_enum_attr {
	struct kobj_attribute kattr;
	size_t offset;
	const char * const *names;
};

ssize_t dp_sysfs_enum_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf);
ssize_t dp_sysfs_enum_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count);

#define DP_SYSFS_ENUM_ATTR(_var, _name, _type, _field, _names)		\
	static struct dp_sysfs_enum_attr _var = {			\
		.kattr = __ATTR(_name, 0600, dp_sysfs_enum_show,	\
				dp_sysfs_enum_store),			\
		.offset = offsetof(_type, _field),			\
		.names = _names,					\
	}

/* A 0600 file holding a bool field, kstrtobool syntax, reads Y or N. */
#define DP_SYSFS_BOOL_ATTR(_var, _name, _type, _field)			\
	DP_SYSFS_FIELD_ATTR(_var, _name, 0600, _type, _field,		\
			    dp_sysfs_bool_show, dp_sysfs_bool_store)

ssize_t dp_sysfs_bool_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf);
ssize_t dp_sysfs_bool_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count);

#endif /* _DAMON_PAUSE_SYSFS_COMMON_H */

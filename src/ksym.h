/* SPDX-License-Identifier: GPL-2.0 */
/* Internals of src/ksym.c, shared with its KUnit suite only. */
#ifndef _DAMON_PAUSE_KSYM_H
#define _DAMON_PAUSE_KSYM_H

#include <linux/types.h>

typedef unsigned long (*dp_ksym_lookup_fn)(const char *name);

/**
 * struct dp_ksym_entry - one symbol to resolve.
 * @name:	its name in kallsyms.
 * @slot:	where its address goes (NULL when not found).
 * @features:	the &enum dp_feature mask that cannot work without it.
 */
struct dp_ksym_entry {
	const char *name;
	void **slot;
	unsigned int features;
};

#endif /* _DAMON_PAUSE_KSYM_H */

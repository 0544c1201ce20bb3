/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit suite for src/ksym.c, included at its end so that the static table
 * and helpers are reachable.
 */
#ifndef _DAMON_PAUSE_KSYM_KUNIT_H
#define _DAMON_PAUSE_KSYM_KUNIT_H

#include <kunit/test.h>
#include <linux/mm.h>

/* The real resolver must agree with the linker on an exported function. */
static void dp_test_ksym_matches_exported(struct kunit *test)
{
	dp_ksym_lookup_fn lookup;

	lookup = (dp_ksym_lookup_fn)dp_find_kallsyms_lookup_name();
	KUNIT_ASSERT_NE(test, (unsigned long)lookup, 0UL);
	KUNIT_EXPECT_EQ(test, lookup("find_vma"), (unsigned long)find_vma);
	KUNIT_EXPECT_EQ(test, lookup("dp_no_such_symbol_anywhere"), 0UL);
}

/* Features this kernel's configuration cannot have. */
static unsigned int dp_test_ksym_optional(void)
{
	return (IS_ENABLED(CONFIG_MMU_NOTIFIER) ? 0 : DP_FEAT_MMU_NOTIFY) |
		(IS_ENABLED(CONFIG_PSI) ? 0 : DP_FEAT_PSI) |
		(IS_ENABLED(CONFIG_MEMCG) ? 0 : DP_FEAT_MEMCG);
}

/* Each resolved slot points at the start of the symbol it is named after. */
static void dp_test_ksym_table_resolved(struct kunit *test)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dp_ksym_table); i++) {
		unsigned long addr = (unsigned long)*dp_ksym_table[i].slot;
		unsigned long start;

		/* Kernels without MMU notifiers or PSI lack those. */
		if (dp_ksym_table[i].features & dp_test_ksym_optional())
			continue;
		KUNIT_EXPECT_NE_MSG(test, addr, 0UL, "%s",
				    dp_ksym_table[i].name);
		if (!addr)
			continue;
		start = dp_ksym_symbol_start(addr, dp_ksym_table[i].name);
		KUNIT_EXPECT_EQ_MSG(test, start, addr, "%s",
				    dp_ksym_table[i].name);
	}
	KUNIT_EXPECT_EQ(test, dp_features(),
			DP_FEAT_ALL & ~dp_test_ksym_optional());
}

/* An address inside a function maps back to its start; a wrong name to 0. */
static void dp_test_ksym_symbol_start(struct kunit *test)
{
	unsigned long start = (unsigned long)find_vma;

	KUNIT_EXPECT_EQ(test, dp_ksym_symbol_start(start + 4, "find_vma"),
			start);
	KUNIT_EXPECT_EQ(test, dp_ksym_symbol_start(start, "find_vma"), start);
	/* A prefix of the real name is not the name. */
	KUNIT_EXPECT_EQ(test, dp_ksym_symbol_start(start, "find_vm"), 0UL);
	KUNIT_EXPECT_EQ(test, dp_ksym_symbol_start(start, "find_vma_prev"),
			0UL);
}

static const char *dp_test_hidden_symbol;

static unsigned long dp_test_lookup_hiding_one(const char *name)
{
	if (!strcmp(name, dp_test_hidden_symbol))
		return 0;
	return 0x1000;
}

/* A missing symbol disables exactly the features that need it. */
static void dp_test_ksym_missing_disables_feature(struct kunit *test)
{
	void *a = NULL, *b = NULL, *c = NULL;
	const struct dp_ksym_entry table[] = {
		{ "sym_a", &a, DP_FEAT_VADDR },
		{ "sym_b", &b, DP_FEAT_VADDR },
		{ "sym_c", &c, DP_FEAT_MADVISE },
	};

	dp_test_hidden_symbol = "sym_b";
	KUNIT_EXPECT_EQ(test, dp_ksym_resolve(table, 3,
					      dp_test_lookup_hiding_one),
			(unsigned int)DP_FEAT_VADDR);
	KUNIT_EXPECT_PTR_EQ(test, a, (void *)0x1000);
	KUNIT_EXPECT_NULL(test, b);
	KUNIT_EXPECT_PTR_EQ(test, c, (void *)0x1000);

	dp_test_hidden_symbol = "sym_c";
	KUNIT_EXPECT_EQ(test, dp_ksym_resolve(table, 3,
					      dp_test_lookup_hiding_one),
			(unsigned int)DP_FEAT_MADVISE);
	KUNIT_EXPECT_PTR_EQ(test, b, (void *)0x1000);
	KUNIT_EXPECT_NULL(test, c);

	/* Without kallsyms_lookup_name nothing resolves. */
	KUNIT_EXPECT_EQ(test, dp_ksym_resolve(table, 3, NULL),
			(unsigned int)(DP_FEAT_VADDR | DP_FEAT_MADVISE));
	KUNIT_EXPECT_NULL(test, a);
}

/* /sys/kernel/mm is found by name, without mm_kobj (src/compat.h). */
static void dp_test_mm_kobj_found(struct kunit *test)
{
	struct kobject *kobj = dp_mm_kobj_get();

	KUNIT_ASSERT_NOT_NULL(test, kobj);
	KUNIT_EXPECT_STREQ(test, kobject_name(kobj), "mm");
	KUNIT_EXPECT_PTR_EQ(test, kobj->parent, kernel_kobj);
	kobject_put(kobj);
}

static struct kunit_case dp_ksym_test_cases[] = {
	KUNIT_CASE(dp_test_ksym_matches_exported),
	KUNIT_CASE(dp_test_ksym_table_resolved),
	KUNIT_CASE(dp_test_ksym_symbol_start),
	KUNIT_CASE(dp_test_ksym_missing_disables_feature),
	KUNIT_CASE(dp_test_mm_kobj_found),
	{},
};

static struct kunit_suite dp_ksym_test_suite = {
	.name = "damon_pause_ksym",
	.test_cases = dp_ksym_test_cases,
};

kunit_test_suite(dp_ksym_test_suite);

#endif /* _DAMON_PAUSE_KSYM_KUNIT_H */

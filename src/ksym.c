// SPDX-License-Identifier: GPL-2.0
/*
 * Load-time resolution of the kernel symbols that modules cannot link
 * against (see the list in src/compat.h).
 *
 * kallsyms_lookup_name() itself stopped being exported in 5.7, but a kprobe
 * placed on it reports its address.  That address may lie past the function's
 * start (x86 IBT makes kprobes skip the ENDBR instruction), and calling into
 * the middle of a function through a pointer faults on IBT hardware, so the
 * reported offset is taken back off before the address is used.
 */

#include <linux/cgroup.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/pagewalk.h>
#include <linux/psi.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "ksym.h"

struct dp_ksyms dp_ksyms;

/* Features that lack at least one of their symbols. */
static unsigned int dp_missing_features;

static const struct dp_ksym_entry dp_ksym_table[] = {
	{ "walk_page_range", (void **)&dp_ksyms.walk_page_range,
	  DP_FEAT_VADDR },
#if defined(DP_HAVE_PTE_OFFSET_MAP_LOCK)
	{ "__pte_offset_map_lock", (void **)&dp_ksyms.pte_offset_map_lock,
	  DP_FEAT_VADDR },
#elif defined(DP_HAVE_PTE_OFFSET_MAP_LOCK_EXTERN)
	{ "pte_offset_map_lock", (void **)&dp_ksyms.pte_offset_map_lock,
	  DP_FEAT_VADDR },
#endif
#ifndef DP_HAVE_INLINE_TEST_AND_CLEAR_YOUNG
	{ "ptep_test_and_clear_young",
	  (void **)&dp_ksyms.ptep_test_and_clear_young,
	  DP_FEAT_VADDR | DP_FEAT_PADDR },
	{ "pmdp_test_and_clear_young",
	  (void **)&dp_ksyms.pmdp_test_and_clear_young,
	  DP_FEAT_VADDR | DP_FEAT_PADDR },
#endif
	{ "do_madvise", (void **)&dp_ksyms.do_madvise, DP_FEAT_MADVISE },
	{ "__mmu_notifier_clear_young",
	  (void **)&dp_ksyms.mmu_notifier_clear_young, DP_FEAT_MMU_NOTIFY },
	{ "__mmu_notifier_test_young",
	  (void **)&dp_ksyms.mmu_notifier_test_young, DP_FEAT_MMU_NOTIFY },
	{ "psi_system", (void **)&dp_ksyms.psi_system, DP_FEAT_PSI },
	{ "psi_disabled", (void **)&dp_ksyms.psi_disabled, DP_FEAT_PSI },
	{ "mem_cgroup_iter", (void **)&dp_ksyms.mem_cgroup_iter,
	  DP_FEAT_MEMCG },
	{ "mem_cgroup_iter_break", (void **)&dp_ksyms.mem_cgroup_iter_break,
	  DP_FEAT_MEMCG },
#ifdef DP_HAVE_LRUVEC_PAGE_STATE_EXTERN
	{ "lruvec_page_state", (void **)&dp_ksyms.lruvec_page_state,
	  DP_FEAT_MEMCG },
#endif
	{ "rmap_walk", (void **)&dp_ksyms.rmap_walk, DP_FEAT_PADDR },
	{ "page_vma_mapped_walk", (void **)&dp_ksyms.page_vma_mapped_walk,
	  DP_FEAT_PADDR },
	{ "folio_lock_anon_vma_read",
	  (void **)&dp_ksyms.folio_lock_anon_vma_read, DP_FEAT_PADDR },
	{ "folio_isolate_lru", (void **)&dp_ksyms.folio_isolate_lru,
	  DP_FEAT_PA_PAGEOUT | DP_FEAT_PA_MIGRATE },
	{ "reclaim_pages", (void **)&dp_ksyms.reclaim_pages,
	  DP_FEAT_PA_PAGEOUT },
	{ DP_DEACTIVATE_SYMBOL, (void **)&dp_ksyms.deactivate,
	  DP_FEAT_PA_DEPRIO },
	{ "migrate_pages", (void **)&dp_ksyms.migrate_pages,
	  DP_FEAT_PA_MIGRATE },
	{ "putback_movable_pages", (void **)&dp_ksyms.putback_movable_pages,
	  DP_FEAT_PA_MIGRATE },
#if !IS_ENABLED(CONFIG_DAMON)
	{ "event_mutex", (void **)&dp_ksyms.event_mutex, DP_FEAT_EVENT_NAMES },
#endif
};

/*
 * Each pointer has the type of the kernel's own declaration: a prototype
 * that changes (7.x made the accessed-bit helpers return bool) fails the
 * build instead of the calls.
 */
#define DP_KSYM_TYPED(member, sym) \
	static_assert(__same_type(dp_ksyms.member, &(sym)), #sym)
DP_KSYM_TYPED(walk_page_range, walk_page_range);
#if defined(DP_HAVE_PTE_OFFSET_MAP_LOCK)
DP_KSYM_TYPED(pte_offset_map_lock, __pte_offset_map_lock);
#elif defined(DP_HAVE_PTE_OFFSET_MAP_LOCK_EXTERN)
DP_KSYM_TYPED(pte_offset_map_lock, pte_offset_map_lock);
#endif
#ifndef DP_HAVE_INLINE_TEST_AND_CLEAR_YOUNG
DP_KSYM_TYPED(ptep_test_and_clear_young, ptep_test_and_clear_young);
DP_KSYM_TYPED(pmdp_test_and_clear_young, pmdp_test_and_clear_young);
#endif
DP_KSYM_TYPED(do_madvise, do_madvise);
#ifdef CONFIG_MMU_NOTIFIER
DP_KSYM_TYPED(mmu_notifier_clear_young, __mmu_notifier_clear_young);
DP_KSYM_TYPED(mmu_notifier_test_young, __mmu_notifier_test_young);
#endif
#ifdef CONFIG_PSI
DP_KSYM_TYPED(psi_system, psi_system);
DP_KSYM_TYPED(psi_disabled, psi_disabled);
#endif
DP_KSYM_TYPED(mem_cgroup_iter, mem_cgroup_iter);
DP_KSYM_TYPED(mem_cgroup_iter_break, mem_cgroup_iter_break);
#if defined(DP_HAVE_LRUVEC_PAGE_STATE_EXTERN) && defined(CONFIG_MEMCG)
DP_KSYM_TYPED(lruvec_page_state, lruvec_page_state);
#endif
DP_KSYM_TYPED(rmap_walk, rmap_walk);
DP_KSYM_TYPED(page_vma_mapped_walk, page_vma_mapped_walk);
DP_KSYM_TYPED(folio_lock_anon_vma_read, folio_lock_anon_vma_read);
#ifdef CONFIG_MIGRATION
DP_KSYM_TYPED(migrate_pages, migrate_pages);
DP_KSYM_TYPED(putback_movable_pages, putback_movable_pages);
#endif

/**
 * dp_ksym_symbol_start() - the start of the symbol that contains @addr.
 * @addr:	an address inside a kernel symbol.
 * @name:	the name that symbol must have.
 *
 * Return: the symbol's start address, or 0 if @addr is not inside @name.
 */
static unsigned long dp_ksym_symbol_start(unsigned long addr, const char *name)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long offset;
	size_t len = strlen(name);
	char *plus;

	sprint_symbol(buf, addr);
	/* "name+0xoff/0xsize [module]" */
	if (strncmp(buf, name, len) || buf[len] != '+')
		return 0;
	plus = buf + len + 1;
	*strchrnul(plus, '/') = '\0';
	if (kstrtoul(plus, 16, &offset) || offset > addr)
		return 0;
	return addr - offset;
}

#ifdef CONFIG_KPROBES
static unsigned long dp_find_kallsyms_lookup_name(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;
	int err;

	err = register_kprobe(&kp);
	if (err) {
		pr_warn("cannot probe kallsyms_lookup_name: %d\n", err);
		return 0;
	}
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	return dp_ksym_symbol_start(addr, "kallsyms_lookup_name");
}
#else
static unsigned long dp_find_kallsyms_lookup_name(void)
{
	pr_warn("no kprobes in this kernel: cannot find kallsyms_lookup_name\n");
	return 0;
}
#endif

/**
 * dp_ksym_resolve() - fill a symbol table through a lookup function.
 * @table:	the symbols, each with the slot to fill and its features.
 * @nr:		number of entries in @table.
 * @lookup:	kallsyms_lookup_name() or a stand-in; NULL finds nothing.
 *
 * Logs one line per symbol that is not found and clears its slot.
 *
 * Return: the features that miss at least one symbol.
 */
static unsigned int dp_ksym_resolve(const struct dp_ksym_entry *table, size_t nr,
				    dp_ksym_lookup_fn lookup)
{
	unsigned int missing = 0;
	size_t i;

	for (i = 0; i < nr; i++) {
		unsigned long addr = lookup ? lookup(table[i].name) : 0;

		*table[i].slot = (void *)addr;
		if (!addr) {
			pr_warn("symbol %s not found: disabling what needs it\n",
				table[i].name);
			missing |= table[i].features;
		}
	}
	return missing;
}

/**
 * dp_ksym_init() - resolve every symbol of dp_ksym_table once, at load.
 *
 * Return: 0; a missing symbol only disables the features that need it.
 */
int dp_ksym_init(void)
{
	dp_ksym_lookup_fn lookup;

	lookup = (dp_ksym_lookup_fn)dp_find_kallsyms_lookup_name();
	dp_missing_features = dp_ksym_resolve(dp_ksym_table,
					      ARRAY_SIZE(dp_ksym_table),
					      lookup);
	return 0;
}

/**
 * dp_has_feature() - whether every symbol the given features need resolved.
 * @features:	a mask of &enum dp_feature.
 */
bool dp_has_feature(unsigned int features)
{
	return !(dp_missing_features & features);
}

/**
 * dp_features() - the mask of &enum dp_feature that can be used.
 */
unsigned int dp_features(void)
{
	return DP_FEAT_ALL & ~dp_missing_features;
}

/**
 * dp_memcg_id_of_path() - the id of the memory cgroup at a cgroup path.
 * @path:	the path, as under the cgroup mount ("/a/b"; a trailing
 *		newline is ignored), as upstream's memcg_path file takes it.
 * @id:		the id, when found.
 *
 * Walks every memory cgroup and compares its cgroup path, as upstream's
 * sysfs does; mem_cgroup_iter() is not exported, hence the feature.
 *
 * Return: 0; -EINVAL if no memory cgroup has that path (or none given);
 * -EOPNOTSUPP without the memcg feature (or memory cgroups); -ENOMEM.
 */
int dp_memcg_id_of_path(const char *path, unsigned short *id)
{
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg;
	int err = -EINVAL;
	char *buf;

	if (!dp_has_feature(DP_FEAT_MEMCG)) {
		pr_warn_ratelimited("memcg filter: memory cgroups cannot be looked up on this kernel (feature memcg)\n");
		return -EOPNOTSUPP;
	}
	if (!path || !*path)
		return -EINVAL;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (memcg = dp_ksyms.mem_cgroup_iter(NULL, NULL, NULL); memcg;
	     memcg = dp_ksyms.mem_cgroup_iter(NULL, memcg, NULL)) {
		/* Being removed: id 0. */
		if (!mem_cgroup_id(memcg))
			continue;
		cgroup_path(memcg->css.cgroup, buf, PATH_MAX);
		if (sysfs_streq(buf, path)) {
			*id = mem_cgroup_id(memcg);
			dp_ksyms.mem_cgroup_iter_break(NULL, memcg);
			err = 0;
			break;
		}
	}
	kfree(buf);
	return err;
#else
	pr_warn_ratelimited("memcg filter: no memory cgroups in this kernel\n");
	return -EOPNOTSUPP;
#endif
}

#if defined(CONFIG_MEMCG) && defined(DP_HAVE_MEMCG_NODE_STATS)
static unsigned long dp_lruvec_page_state(struct lruvec *lruvec,
					  enum node_stat_item idx)
{
#ifdef DP_HAVE_LRUVEC_PAGE_STATE_EXTERN
	return dp_ksyms.lruvec_page_state(lruvec, idx);
#else
	/* The inline's reading (its memcg-disabled branch is unexported). */
	struct mem_cgroup_per_node *pn;
	long x;

	pn = container_of(lruvec, struct mem_cgroup_per_node, lruvec);
	x = READ_ONCE(pn->lruvec_stats.state[idx]);
	return max(x, 0L);
#endif
}
#endif

/**
 * dp_memcg_node_lru_pages() - the LRU pages of a memory cgroup on a node.
 * @id:		the memory cgroup's id (dp_memcg_id_of_path()).
 * @nid:	a node with memory.
 * @pages:	receives its anonymous and file LRU pages there.
 *
 * As upstream's node_memcg_* goals count them, from the cgroup's per-node
 * statistics; without flushing them first (the kernel's flush is not
 * exported), so they may lag by the kernel's periodic flush (2 s).
 *
 * Return: whether a memory cgroup has that id (it may be gone).
 */
bool dp_memcg_node_lru_pages(unsigned short id, int nid, unsigned long *pages)
{
#if defined(CONFIG_MEMCG) && defined(DP_HAVE_MEMCG_NODE_STATS)
	struct mem_cgroup *memcg;
	struct lruvec *lruvec;

	if (!dp_has_feature(DP_FEAT_MEMCG) || !id)
		return false;
	for (memcg = dp_ksyms.mem_cgroup_iter(NULL, NULL, NULL); memcg;
	     memcg = dp_ksyms.mem_cgroup_iter(NULL, memcg, NULL)) {
		if (mem_cgroup_id(memcg) != id)
			continue;
		lruvec = mem_cgroup_lruvec(memcg, NODE_DATA(nid));
		*pages = dp_lruvec_page_state(lruvec, NR_ACTIVE_ANON) +
			dp_lruvec_page_state(lruvec, NR_INACTIVE_ANON) +
			dp_lruvec_page_state(lruvec, NR_ACTIVE_FILE) +
			dp_lruvec_page_state(lruvec, NR_INACTIVE_FILE);
		dp_ksyms.mem_cgroup_iter_break(NULL, memcg);
		return true;
	}
#endif
	return false;
}

#ifdef DAMON_PAUSE_KUNIT
/* For the suites: pretend @missing are the missing features; the old mask. */
unsigned int dp_ksym_test_swap_missing(unsigned int missing)
{
	swap(missing, dp_missing_features);
	return missing;
}

#include "ksym-kunit.h"
#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place for what differs between the kernels we build against and for
 * the kernel functions that modules cannot link against.
 *
 * Kbuild probes the target's headers and passes DP_HAVE_* defines; nothing
 * outside this file looks at them or at LINUX_VERSION_CODE.  Symbols that
 * are not exported are resolved once at load time by src/ksym.c; each one
 * serves a feature, and a symbol that cannot be found disables exactly the
 * features that need it.
 */
#ifndef _DAMON_PAUSE_COMPAT_H
#define _DAMON_PAUSE_COMPAT_H

#include <linux/bits.h>
#include <linux/delay.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/page_idle.h>
#include <linux/psi_types.h>
#include <linux/jump_label.h>
#include <linux/math64.h>
#include <linux/types.h>

struct kobject;
struct mem_cgroup;
struct mem_cgroup_reclaim_cookie;
struct mm_walk_ops;

/**
 * enum dp_feature - parts of damon_pause that depend on resolved symbols.
 * @DP_FEAT_SYSFS:	the admin tree under /sys/kernel/mm (needs mm_kobj).
 * @DP_FEAT_VADDR:	page table walks and accessed-bit checks of a process.
 * @DP_FEAT_MADVISE:	madvise() on another process (DAMOS actions, collapse).
 * @DP_FEAT_MMU_NOTIFY:	accesses through secondary MMUs (KVM guests' memory)
 *			seen by access checks; without it, only the CPU's.
 * @DP_FEAT_PSI:	memory pressure stall information for quota goals
 *			(some_mem_psi_us).
 * @DP_FEAT_MEMCG:	memory cgroups found by path, for memcg filters.
 */
enum dp_feature {
	DP_FEAT_SYSFS = BIT(0),
	DP_FEAT_VADDR = BIT(1),
	DP_FEAT_MADVISE = BIT(2),
	DP_FEAT_MMU_NOTIFY = BIT(3),
	DP_FEAT_PSI = BIT(4),
	DP_FEAT_MEMCG = BIT(5),
};

#define DP_FEAT_ALL	(DP_FEAT_SYSFS | DP_FEAT_VADDR | DP_FEAT_MADVISE | \
			 DP_FEAT_MMU_NOTIFY | DP_FEAT_PSI | DP_FEAT_MEMCG)

/**
 * struct dp_ksyms - kernel functions and data that are not exported.
 *
 * A member is NULL when its symbol could not be resolved; callers check the
 * feature with dp_has_feature(), never the pointer.
 */
struct dp_ksyms {
	struct kobject **mm_kobj;
	int (*walk_page_range)(struct mm_struct *mm, unsigned long start,
			       unsigned long end, const struct mm_walk_ops *ops,
			       void *private);
	/*
	 * The accessed-bit helpers return int up to 6.x, bool in 7.x: called
	 * through a pointer of the other type, they would hand back garbage
	 * in the bits a bool leaves undefined (src/ksym.c asserts the types).
	 */
#ifdef DP_HAVE_BOOL_TEST_AND_CLEAR_YOUNG
	bool (*ptep_test_and_clear_young)(struct vm_area_struct *vma,
					  unsigned long addr, pte_t *ptep);
	bool (*pmdp_test_and_clear_young)(struct vm_area_struct *vma,
					  unsigned long addr, pmd_t *pmdp);
#else
	int (*ptep_test_and_clear_young)(struct vm_area_struct *vma,
					 unsigned long addr, pte_t *ptep);
	int (*pmdp_test_and_clear_young)(struct vm_area_struct *vma,
					 unsigned long addr, pmd_t *pmdp);
#endif
	int (*do_madvise)(struct mm_struct *mm, unsigned long start,
			  size_t len_in, int behavior);
#ifdef DP_HAVE_BOOL_MMU_NOTIFIER_YOUNG
	bool (*mmu_notifier_clear_young)(struct mm_struct *mm,
					 unsigned long start, unsigned long end);
	bool (*mmu_notifier_test_young)(struct mm_struct *mm,
					unsigned long address);
#else
	int (*mmu_notifier_clear_young)(struct mm_struct *mm,
					unsigned long start, unsigned long end);
	int (*mmu_notifier_test_young)(struct mm_struct *mm,
				       unsigned long address);
#endif
	struct psi_group *psi_system;
	struct static_key_false *psi_disabled;
	struct mem_cgroup *(*mem_cgroup_iter)(struct mem_cgroup *root,
					      struct mem_cgroup *prev,
					      struct mem_cgroup_reclaim_cookie *r);
	void (*mem_cgroup_iter_break)(struct mem_cgroup *root,
				      struct mem_cgroup *prev);
};

extern struct dp_ksyms dp_ksyms;

int dp_ksym_init(void);
bool dp_has_feature(unsigned int features);
unsigned int dp_features(void);
int dp_memcg_id_of_path(const char *path, unsigned short *id);
#ifdef DAMON_PAUSE_KUNIT
unsigned int dp_ksym_test_swap_missing(unsigned int missing);
#endif

/*
 * Secondary MMUs (KVM) keep their own accessed bits; the inline helpers of
 * <linux/mmu_notifier.h> call functions that are not exported.
 */
static inline bool dp_mmu_clear_young(struct mm_struct *mm,
				      unsigned long start, unsigned long end)
{
	if (!mm_has_notifiers(mm) || !dp_has_feature(DP_FEAT_MMU_NOTIFY))
		return false;
	return dp_ksyms.mmu_notifier_clear_young(mm, start, end);
}

static inline bool dp_mmu_test_young(struct mm_struct *mm, unsigned long addr)
{
	if (!mm_has_notifiers(mm) || !dp_has_feature(DP_FEAT_MMU_NOTIFY))
		return false;
	return dp_ksyms.mmu_notifier_test_young(mm, addr);
}

/*
 * The page idle flags (CONFIG_PAGE_IDLE_FLAG; the in-kernel DAMON selects
 * it: Debian's 6.12 has it, 6.1 does not) let access checks and reclaim
 * share the accessed bit, as upstream DAMON does.  A check that clears a
 * set bit marks the folio young, so reclaim still counts the access it
 * took away; it marks the folio idle, and whoever sees an access later
 * (reclaim, idle page tracking) clears that, which the next check counts.
 * Without the flags only the bit itself is used.
 */
static inline void dp_folio_mkold(struct folio *folio, bool young)
{
#ifdef CONFIG_PAGE_IDLE_FLAG
	if (young)
		folio_set_young(folio);
	folio_set_idle(folio);
#endif
}

static inline bool dp_folio_accessed(struct folio *folio)
{
#ifdef CONFIG_PAGE_IDLE_FLAG
	return !folio_test_idle(folio);
#else
	return false;
#endif
}

/* The system's memory "some" stall time, µs; 0 without PSI. */
static inline u64 dp_psi_some_mem_total_us(void)
{
#ifdef CONFIG_PSI
	if (!dp_has_feature(DP_FEAT_PSI) ||
	    static_key_enabled(dp_ksyms.psi_disabled))
		return 0;
	return div_u64(dp_ksyms.psi_system->total[PSI_AVGS][PSI_MEM * 2],
		       NSEC_PER_USEC);
#else
	return 0;
#endif
}

/*
 * The id of the memory cgroup a folio is charged to; 0: none (or no
 * memory cgroups).  6.3 added folio_memcg_check(); 6.1 has the page one.
 */
static inline unsigned short dp_folio_memcg_id(struct folio *folio)
{
#ifdef CONFIG_MEMCG
	struct mem_cgroup *memcg;
	unsigned short id;

	rcu_read_lock();
#ifdef DP_HAVE_FOLIO_MEMCG_CHECK
	memcg = folio_memcg_check(folio);
#else
	memcg = page_memcg_check(&folio->page);
#endif
	id = memcg ? mem_cgroup_id(memcg) : 0;
	rcu_read_unlock();
	return id;
#else
	return 0;
#endif
}

/*
 * A short sleep that counts as idle, not as load (TASK_IDLE): 6.13 renamed
 * usleep_idle_range() to usleep_range_idle().
 */
static inline void dp_usleep_idle(unsigned long min, unsigned long max)
{
#ifdef DP_HAVE_USLEEP_RANGE_IDLE
	usleep_range_idle(min, max);
#else
	usleep_idle_range(min, max);
#endif
}

/* 6.1 has MADV_COLLAPSE in its uapi already; keep the build safe anyway. */
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#endif /* _DAMON_PAUSE_COMPAT_H */

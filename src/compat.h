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
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/page_idle.h>
#include <linux/stringify.h>
#include <linux/psi_types.h>
#include <linux/jump_label.h>
#include <linux/math64.h>
#include <linux/migrate.h>
#include <linux/migrate_mode.h>
#include <linux/rmap.h>
#include <linux/swap.h>
#include <linux/types.h>

struct kobject;
struct mem_cgroup;
struct mem_cgroup_reclaim_cookie;
struct mm_walk_ops;

/**
 * enum dp_feature - parts of damon_pause that depend on resolved symbols.
 * @DP_FEAT_SYSFS:	the admin tree under /sys/kernel/mm (needs no symbol:
 *			dp_mm_kobj_get() finds the directory by name).
 * @DP_FEAT_VADDR:	page table walks and accessed-bit checks of a process.
 * @DP_FEAT_MADVISE:	madvise() on another process (DAMOS actions, collapse).
 * @DP_FEAT_MMU_NOTIFY:	accesses through secondary MMUs (KVM guests' memory)
 *			seen by access checks; without it, only the CPU's.
 * @DP_FEAT_PSI:	memory pressure stall information for quota goals
 *			(some_mem_psi_us).
 * @DP_FEAT_MEMCG:	memory cgroups found by path, for memcg filters, and
 *			their memory per node, for node_memcg_* quota goals.
 * @DP_FEAT_PADDR:	the paddr operations: reverse map walks and
 *			accessed-bit checks of any folio.
 * @DP_FEAT_PA_PAGEOUT:	paddr's pageout: isolating folios from their LRU
 *			list and reclaiming them.
 * @DP_FEAT_PA_DEPRIO:	paddr's lru_deprio: deactivating folios.
 * @DP_FEAT_PA_MIGRATE:	paddr's migrate_hot and migrate_cold.
 * @DP_FEAT_EVENT_NAMES: letting upstream's event names go at load
 *			(upstream_names=N, on kernels without DAMON): the
 *			lock of the registry of trace events.  Not in the
 *			features line: only that setting needs it.
 */
enum dp_feature {
	DP_FEAT_SYSFS = BIT(0),
	DP_FEAT_VADDR = BIT(1),
	DP_FEAT_MADVISE = BIT(2),
	DP_FEAT_MMU_NOTIFY = BIT(3),
	DP_FEAT_PSI = BIT(4),
	DP_FEAT_MEMCG = BIT(5),
	DP_FEAT_PADDR = BIT(6),
	DP_FEAT_PA_PAGEOUT = BIT(7),
	DP_FEAT_PA_DEPRIO = BIT(8),
	DP_FEAT_PA_MIGRATE = BIT(9),
	DP_FEAT_EVENT_NAMES = BIT(10),
};

#define DP_FEAT_ALL	(DP_FEAT_SYSFS | DP_FEAT_VADDR | DP_FEAT_MADVISE | \
			 DP_FEAT_MMU_NOTIFY | DP_FEAT_PSI | DP_FEAT_MEMCG | \
			 DP_FEAT_PADDR | DP_FEAT_PA_PAGEOUT | \
			 DP_FEAT_PA_DEPRIO | DP_FEAT_PA_MIGRATE | \
			 DP_FEAT_EVENT_NAMES)

/*
 * After 6.12 (7.2 has it so), the attribute that binary sysfs files'
 * callbacks are given became const (struct bin_attribute's read, write).
 */
#ifdef DP_HAVE_CONST_BIN_ATTR
#define DP_BIN_ATTR_CONST	const
#else
#define DP_BIN_ATTR_CONST
#endif

/*
 * The paddr actions' kernel functions whose types changed after 6.1.
 *
 * 6.3 turned deactivate_page() into folio_deactivate().
 */
#ifndef DP_HAVE_DEACTIVATE_PAGE
typedef void (*dp_deactivate_fn)(struct folio *folio);
#define DP_DEACTIVATE_SYMBOL	"folio_deactivate"
#else
typedef void (*dp_deactivate_fn)(struct page *page);
#define DP_DEACTIVATE_SYMBOL	"deactivate_page"
#endif

/*
 * 6.4 made folio_isolate_lru() return true on success (it returned 0 or
 * -EBUSY); see Kbuild for DP_HAVE_ISOLATE_LRU_BOOL.
 */
#ifdef DP_HAVE_ISOLATE_LRU_BOOL
typedef bool (*dp_isolate_lru_fn)(struct folio *folio);
#define DP_ISOLATE_LRU_OK(ret)	(ret)
#else
typedef int (*dp_isolate_lru_fn)(struct folio *folio);
#define DP_ISOLATE_LRU_OK(ret)	(!(ret))
#endif

/**
 * struct dp_ksyms - kernel functions and data that are not exported.
 *
 * A member is NULL when its symbol could not be resolved; callers check the
 * feature with dp_has_feature(), never the pointer.
 */
struct dp_ksyms {
	int (*walk_page_range)(struct mm_struct *mm, unsigned long start,
			       unsigned long end, const struct mm_walk_ops *ops,
			       void *private);
#if defined(DP_HAVE_PTE_OFFSET_MAP_LOCK) || \
	defined(DP_HAVE_PTE_OFFSET_MAP_LOCK_EXTERN)
	/* __pte_offset_map_lock() (6.5+), or pte_offset_map_lock() (7.x). */
	pte_t *(*pte_offset_map_lock)(struct mm_struct *mm, pmd_t *pmd,
				      unsigned long addr, spinlock_t **ptlp);
#endif
	/*
	 * The accessed-bit helpers return int up to 6.x, bool in 7.x: called
	 * through a pointer of the other type, they would hand back garbage
	 * in the bits a bool leaves undefined (src/ksym.c asserts the types).
	 */
#ifdef DP_HAVE_INLINE_TEST_AND_CLEAR_YOUNG
	/* The architecture's headers have them (arm64): called directly. */
#elif defined(DP_HAVE_BOOL_TEST_AND_CLEAR_YOUNG)
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
#ifdef DP_HAVE_LRUVEC_PAGE_STATE_EXTERN
	unsigned long (*lruvec_page_state)(struct lruvec *lruvec,
					   enum node_stat_item idx);
#endif
	void (*rmap_walk)(struct folio *folio, struct rmap_walk_control *rwc);
	bool (*page_vma_mapped_walk)(struct page_vma_mapped_walk *pvmw);
	/* 7.x made its folio const: typed as the field it fills. */
	typeof_member(struct rmap_walk_control, anon_lock)
		folio_lock_anon_vma_read;
	dp_isolate_lru_fn folio_isolate_lru;
	/* Takes a list of isolated folios (6.1: pages, the same list). */
	/*
	 * Some kernels return unsigned long, others unsigned int: read as
	 * the narrower, which is right for both (a batch is far below 2^32
	 * pages).
	 */
	unsigned int (*reclaim_pages)(struct list_head *folio_list);
	dp_deactivate_fn deactivate;
	/* 7.x made its reason an enum migrate_reason: as declared. */
	typeof(migrate_pages) *migrate_pages;
	void (*putback_movable_pages)(struct list_head *l);
	struct mutex *event_mutex;	/* the trace events' registry */
};

extern struct dp_ksyms dp_ksyms;

int dp_ksym_init(void);
bool dp_has_feature(unsigned int features);
unsigned int dp_features(void);
/* Where a memory cgroup's per-node statistics can be read at all. */
#if defined(DP_HAVE_LRUVEC_PAGE_STATE_EXTERN) || \
	defined(DP_HAVE_LRUVEC_STATS_EMBEDDED)
#define DP_HAVE_MEMCG_NODE_STATS
#define dp_memcg_node_stats()	true
#else
#define dp_memcg_node_stats()	false
#endif
int dp_memcg_id_of_path(const char *path, unsigned short *id);
bool dp_memcg_node_lru_pages(unsigned short id, int nid,
			     unsigned long *pages);
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
	/* A flag already set costs no atomic write (and no cache line). */
	if (young && !folio_test_young(folio))
		folio_set_young(folio);
	if (!folio_test_idle(folio))
		folio_set_idle(folio);
#endif
}

/* Whether folios can be marked idle and read so (the probes' pgidle). */
static inline bool dp_has_page_idle(void)
{
	return IS_ENABLED(CONFIG_PAGE_IDLE_FLAG);
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
 * The paddr operations' calls into resolved symbols; each caller checks
 * the feature first (dp_has_feature()).
 */

/*
 * DEFINE_FOLIO_VMA_WALK() for a folio on an LRU list (never hugetlb): 6.1's
 * folio_pgoff() calls hugetlb_basepage_index(), which is not exported, for
 * hugetlb folios; for the others it is the folio's index, as on 6.12.
 */
static inline struct page_vma_mapped_walk
dp_lru_folio_vma_walk(struct folio *folio, struct vm_area_struct *vma,
		      unsigned long addr)
{
	return (struct page_vma_mapped_walk){
		.pfn = folio_pfn(folio),
		.nr_pages = folio_nr_pages(folio),
		.pgoff = folio->index,
		.vma = vma,
		.address = addr,
	};
}

/*
 * Walk the page table entries that map @folio, through the reverse map,
 * calling @rmap_one with @arg for each VMA; anonymous folios have their
 * anon_vma locked safely even though @folio is not (the caller locks a
 * file or KSM folio, as rmap_walk() wants).
 */
static inline void dp_rmap_walk(struct folio *folio,
				bool (*rmap_one)(struct folio *folio,
						 struct vm_area_struct *vma,
						 unsigned long addr, void *arg),
				void *arg)
{
	struct rmap_walk_control rwc = {
		.arg = arg,
		.rmap_one = rmap_one,
		.anon_lock = dp_ksyms.folio_lock_anon_vma_read,
	};

	dp_ksyms.rmap_walk(folio, &rwc);
}

static inline bool dp_page_vma_mapped_walk(struct page_vma_mapped_walk *pvmw)
{
	return dp_ksyms.page_vma_mapped_walk(pvmw);
}

/*
 * Test and clear a PTE's or a huge page PMD's accessed bit.  Where the
 * architecture defines them in its headers (arm64: inlines over the PTE,
 * and the contiguous-PTE helpers it exports), they are called as the
 * kernel's own code calls them; where they are out of line and unexported
 * (x86), through the pointers src/ksym.c resolves.  Kbuild tells which.
 */
static inline bool dp_ptep_test_and_clear_young(struct vm_area_struct *vma,
						unsigned long addr,
						pte_t *ptep)
{
#ifdef DP_HAVE_INLINE_TEST_AND_CLEAR_YOUNG
	return ptep_test_and_clear_young(vma, addr, ptep);
#else
	return dp_ksyms.ptep_test_and_clear_young(vma, addr, ptep);
#endif
}

static inline bool dp_pmdp_test_and_clear_young(struct vm_area_struct *vma,
						unsigned long addr,
						pmd_t *pmdp)
{
#ifdef DP_HAVE_INLINE_TEST_AND_CLEAR_YOUNG
	return pmdp_test_and_clear_young(vma, addr, pmdp);
#else
	return dp_ksyms.pmdp_test_and_clear_young(vma, addr, pmdp);
#endif
}

/*
 * The PTE of @addr in the table @pmd points to, mapped and locked (*@ptlp;
 * pte_unmap_unlock() undoes both), or NULL where @pmd maps no table (none,
 * a huge page, a migration entry).  The caller holds the mmap lock: up to
 * 6.4, under it a PMD that maps a table keeps it, and the headers' inline
 * maps it; since, a table may go at any time (a collapse retracts it under
 * the file's rmap lock only), and the kernel's function checks the PMD
 * under RCU.
 */
static inline pte_t *dp_pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd,
					    unsigned long addr,
					    spinlock_t **ptlp)
{
#if defined(DP_HAVE_PTE_OFFSET_MAP_LOCK) || \
	defined(DP_HAVE_PTE_OFFSET_MAP_LOCK_EXTERN)
	return dp_ksyms.pte_offset_map_lock(mm, pmd, addr, ptlp);
#else
	pmd_t pmde = READ_ONCE(*pmd);

	if (pmd_none(pmde) || pmd_trans_huge(pmde) || pmd_bad(pmde))
		return NULL;
	return pte_offset_map_lock(mm, pmd, addr, ptlp);
#endif
}

/* Reclaim the isolated folios on @list; returns the pages reclaimed. */
static inline unsigned long dp_reclaim_folios(struct list_head *list)
{
	return dp_ksyms.reclaim_pages(list);
}

/* Whether the folio was taken off its LRU list (with a reference). */
static inline bool dp_folio_isolate_lru(struct folio *folio)
{
	return DP_ISOLATE_LRU_OK(dp_ksyms.folio_isolate_lru(folio));
}

/* Move a folio to the inactive list (lru_deprio). */
static inline void dp_folio_deactivate(struct folio *folio)
{
#ifndef DP_HAVE_DEACTIVATE_PAGE
	dp_ksyms.deactivate(folio);
#else
	dp_ksyms.deactivate(&folio->page);
#endif
}

/**
 * struct dp_migrate_target - where dp_migrate_folios() moves folios to.
 * @alloc:	gives the new folio for @src, or NULL.
 * @arg:	@alloc's argument.
 */
struct dp_migrate_target {
	struct folio *(*alloc)(struct folio *src, void *arg);
	void *arg;
};

#ifdef DP_HAVE_NEW_FOLIO_T
static inline struct folio *dp_migrate_new(struct folio *src,
					   unsigned long private)
{
	struct dp_migrate_target *target = (void *)private;

	return target->alloc(src, target->arg);
}
#else
static inline struct page *dp_migrate_new(struct page *src,
					  unsigned long private)
{
	struct dp_migrate_target *target = (void *)private;
	struct folio *dst = target->alloc(page_folio(src), target->arg);

	return dst ? &dst->page : NULL;
}
#endif

/*
 * Migrate the isolated folios on @from (their NR_ISOLATED_* counted) to
 * what @target allocates, without waiting for locks or writeback; those
 * that did not move stay on @from.  MR_DAMON is 6.12's reason, but 6.1
 * lacks it: MR_SYSCALL, which both have and which changes nothing of how
 * folios migrate, is what the trace events and statistics say.
 *
 * Return: the number of base pages moved.
 */
static inline unsigned int dp_migrate_folios(struct list_head *from,
					     struct dp_migrate_target *target)
{
	unsigned int nr_succeeded = 0;

	dp_ksyms.migrate_pages(from, dp_migrate_new, NULL,
			       (unsigned long)target, MIGRATE_ASYNC,
			       MR_SYSCALL, &nr_succeeded);
	return nr_succeeded;
}

/* Put isolated folios (NR_ISOLATED_* counted) back on their LRU lists. */
static inline void dp_putback_folios(struct list_head *list)
{
	dp_ksyms.putback_movable_pages(list);
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

/* The low bits of folio->mapping that say what it points to (7.x's name). */
#ifdef FOLIO_MAPPING_FLAGS
#define DP_MAPPING_FLAGS	FOLIO_MAPPING_FLAGS
#else
#define DP_MAPPING_FLAGS	PAGE_MAPPING_FLAGS
#endif

/* 6.1 has MADV_COLLAPSE in its uapi already; keep the build safe anyway. */
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

/*
 * /sys/kernel/mm's kobject, with a reference, or NULL.  mm_kobj is not
 * exported, and kallsyms finds a data symbol only with CONFIG_KALLSYMS_ALL
 * (Debian's arm64 6.1 has not): the directory is found by name under the
 * exported kernel_kobj instead, and sysfs keeps a directory's kobject in
 * its kernfs node.
 */
static inline struct kobject *dp_mm_kobj_get(void)
{
	struct kernfs_node *kn = kernfs_find_and_get(kernel_kobj->sd, "mm");
	struct kobject *kobj = NULL;

	if (kn) {
		if (kernfs_type(kn) == KERNFS_DIR)
			kobj = kobject_get(kn->priv);
		kernfs_put(kn);
	}
	return kobj;
}

/*
 * What this build took from its kernel: the probes Kbuild found (DP_COMPAT,
 * their names without DP_HAVE_) and the options of the kernel's
 * configuration that the code branches on.  `modinfo -F compat` shows it;
 * the harness boots a guest of every kernel whose string differs.
 */
#define DP_COMPAT_CONFIG						\
	"PAGE_IDLE_FLAG=" __stringify(IS_ENABLED(CONFIG_PAGE_IDLE_FLAG))	\
	",PSI=" __stringify(IS_ENABLED(CONFIG_PSI))			\
	",MEMCG=" __stringify(IS_ENABLED(CONFIG_MEMCG))			\
	",MMU_NOTIFIER=" __stringify(IS_ENABLED(CONFIG_MMU_NOTIFIER))	\
	",MIGRATION=" __stringify(IS_ENABLED(CONFIG_MIGRATION))		\
	",KPROBES=" __stringify(IS_ENABLED(CONFIG_KPROBES))
#define DP_COMPAT_STRING	DP_COMPAT ";" DP_COMPAT_CONFIG

#endif /* _DAMON_PAUSE_COMPAT_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * What the vaddr and paddr operations share.
 */

#include <linux/kthread.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>

#include <damon_pause/damon.h>

#include "compat.h"
#include "ops-common.h"

/**
 * dp_get_lru_folio() - the folio of a page frame, if it is on an LRU list.
 * @pfn:	the page frame.
 *
 * As upstream DAMON's: only memory that is online and on an LRU list is
 * looked at (no zero page, no driver or kernel memory, no hugetlb).  The
 * reference taken also keeps the folio from being split while it is held.
 *
 * Return: the folio, with a reference the caller drops (folio_put()), or
 * NULL.
 */
struct folio *dp_get_lru_folio(unsigned long pfn)
{
	struct page *page = pfn_to_online_page(pfn);
	struct folio *folio;

	if (!page)
		return NULL;
	folio = page_folio(page);
	if (!folio_test_lru(folio) || !folio_try_get(folio))
		return NULL;
	/* Split or freed and reused meanwhile: not the folio we looked at. */
	if (unlikely(page_folio(page) != folio || !folio_test_lru(folio))) {
		folio_put(folio);
		return NULL;
	}
	return folio;
}

/**
 * dp_folio_probe_fill() - what the per-folio filters look at in @folio.
 * @probe:	the probe; its young callback is the caller's.
 * @folio:	a folio the caller holds a reference to.
 *
 * Unmapped as upstream's: no page table maps it, or it belongs to nothing.
 */
void dp_folio_probe_fill(struct dp_folio_probe *probe, struct folio *folio)
{
	probe->anon = folio_test_anon(folio);
	probe->memcg_id = dp_folio_memcg_id(folio);
	probe->active = folio_test_active(folio);
	probe->unmapped = !folio_mapped(folio) || !READ_ONCE(folio->mapping);
	probe->size = folio_size(folio);
}

/**
 * dp_walk_should_stop() - whether a long walk (over frames, over the pages
 * of a range) must end now: its thread, a kdamond, is asked to stop.
 *
 * Return: true on a kthread whose stop was asked for.
 */
bool dp_walk_should_stop(void)
{
	return (current->flags & PF_KTHREAD) && kthread_should_stop();
}

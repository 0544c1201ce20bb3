// SPDX-License-Identifier: GPL-2.0
/*
 * What the vaddr and paddr operations share.
 */

#include <linux/memory_hotplug.h>
#include <linux/mm.h>

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

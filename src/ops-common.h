/* SPDX-License-Identifier: GPL-2.0 */
/* What the vaddr and paddr operations share. */
#ifndef _DAMON_PAUSE_OPS_COMMON_H
#define _DAMON_PAUSE_OPS_COMMON_H

struct folio;

struct folio *dp_get_lru_folio(unsigned long pfn);

#endif /* _DAMON_PAUSE_OPS_COMMON_H */

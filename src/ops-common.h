/* SPDX-License-Identifier: GPL-2.0 */
/* What the vaddr and paddr operations share. */
#ifndef _DAMON_PAUSE_OPS_COMMON_H
#define _DAMON_PAUSE_OPS_COMMON_H

struct dp_folio_probe;
struct folio;

struct folio *dp_get_lru_folio(unsigned long pfn);
void dp_folio_probe_fill(struct dp_folio_probe *probe, struct folio *folio);
bool dp_walk_should_stop(void);

#endif /* _DAMON_PAUSE_OPS_COMMON_H */

/* SPDX-License-Identifier: GPL-2.0 */
/* The paddr operations (src/ops-paddr.c). */
#ifndef _DAMON_PAUSE_OPS_PADDR_H
#define _DAMON_PAUSE_OPS_PADDR_H

#include <damon_pause/damon.h>

int dp_pa_default_range(struct dp_addr_range *range, unsigned long unit);
int dp_pa_regions_valid(struct dp_target *t, unsigned long unit);
int dp_pa_ops(struct dp_operations *ops);

#endif /* _DAMON_PAUSE_OPS_PADDR_H */

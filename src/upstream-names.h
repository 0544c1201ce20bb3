/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DAMON_PAUSE_UPSTREAM_NAMES_H
#define _DAMON_PAUSE_UPSTREAM_NAMES_H

int dp_upstream_names_init(void);
void dp_upstream_names_exit(void);

#endif /* _DAMON_PAUSE_UPSTREAM_NAMES_H */

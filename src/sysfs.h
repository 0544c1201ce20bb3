/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DAMON_PAUSE_SYSFS_H
#define _DAMON_PAUSE_SYSFS_H

int dp_sysfs_init(void);
void dp_sysfs_exit(void);

#endif /* _DAMON_PAUSE_SYSFS_H */

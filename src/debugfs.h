/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DAMON_PAUSE_DEBUGFS_H
#define _DAMON_PAUSE_DEBUGFS_H

void dp_debugfs_init(void);
void dp_debugfs_exit(void);

#endif /* _DAMON_PAUSE_DEBUGFS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the access workloads (hotcold, graded) share: their units, and a
 * stop on SIGTERM or SIGINT that their loops look at (so that they end
 * their lines of output whole, and the tests' kill is an orderly end).
 */
#ifndef DP_WORKLOADS_WORKLOAD_H
#define DP_WORKLOADS_WORKLOAD_H

#include <signal.h>

#define MIB (1UL << 20)
#define HUGE (2 * MIB)
#define PAGE 4096UL

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

#endif /* DP_WORKLOADS_WORKLOAD_H */

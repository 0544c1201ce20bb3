/* SPDX-License-Identifier: GPL-2.0 */
/* The workloads' random numbers: xorshift64, fast and good enough. */
#ifndef DP_WORKLOADS_XORSHIFT_H
#define DP_WORKLOADS_XORSHIFT_H

#include <stdint.h>

static inline uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

#endif

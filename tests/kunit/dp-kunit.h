/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the KUnit suites share: a context, and targets of it, that are
 * stopped and freed when the test ends, however it ends (a failed
 * assertion returns from the test at once). Static inline: a suite that
 * includes it and uses part of it builds without W=1's warnings.
 */
#ifndef _DAMON_PAUSE_DP_KUNIT_H
#define _DAMON_PAUSE_DP_KUNIT_H

#include <kunit/test.h>

/* No kdamond may outlive its test: stopped first (-EPERM if none ran). */
static inline void dp_kunit_release_ctx(void *data)
{
	dp_stop(data);
	dp_destroy_ctx(data);
}

/* A new context of @test; the test is skipped if there is no memory. */
static inline struct dp_ctx *dp_kunit_new_ctx(struct kunit *test)
{
	struct dp_ctx *ctx = dp_new_ctx();

	if (!ctx || kunit_add_action_or_reset(test, dp_kunit_release_ctx, ctx))
		kunit_skip(test, "out of memory");
	return ctx;
}

/*
 * A new target of @ctx (freed with it) with one region per range of @r
 * (@nr of them, none if 0), which must be valid.
 */
static inline struct dp_target *dp_kunit_add_target(struct kunit *test,
						    struct dp_ctx *ctx,
						    const struct dp_addr_range *r,
						    unsigned int nr)
{
	struct dp_target *t = dp_new_target();

	if (!t)
		kunit_skip(test, "out of memory");
	dp_add_target(ctx, t);
	if (nr)
		KUNIT_ASSERT_EQ(test, dp_set_regions(t, r, nr, DP_MIN_REGION), 0);
	return t;
}

#endif /* _DAMON_PAUSE_DP_KUNIT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit suite for the supervisor in src/hugepage.c: threshold tuning, the
 * pid-list diff of commit_inputs, and the validation of its inputs.
 */
#ifndef _DAMON_PAUSE_HUGEPAGE_KUNIT_H
#define _DAMON_PAUSE_HUGEPAGE_KUNIT_H

#include <kunit/test.h>

static void dp_test_hp_threshold(struct kunit *test)
{
	unsigned int t = 20;
	int i;

	/* Nothing collapsed: down by a tenth of the maximum each period. */
	t = dp_hp_next_threshold(t, 20, 0, 0);
	KUNIT_EXPECT_EQ(test, t, 18U);
	for (i = 0; i < 20; i++)
		t = dp_hp_next_threshold(t, 20, 0, 0);
	/* ... to a floor of one step, never 0 (which would take idle memory). */
	KUNIT_EXPECT_EQ(test, t, 2U);
	/* Collapses within the quota: it stays. */
	KUNIT_EXPECT_EQ(test, dp_hp_next_threshold(8, 20, 5, 0), 8U);
	/* The quota ran out: up, to the maximum at most. */
	KUNIT_EXPECT_EQ(test, dp_hp_next_threshold(8, 20, 5, 1), 10U);
	KUNIT_EXPECT_EQ(test, dp_hp_next_threshold(20, 20, 5, 3), 20U);
	/* Steps follow the maximum, not fixed numbers. */
	KUNIT_EXPECT_EQ(test, dp_hp_next_threshold(200, 200, 0, 0), 180U);
	KUNIT_EXPECT_EQ(test, dp_hp_next_threshold(5, 5, 0, 0), 4U);
	KUNIT_EXPECT_EQ(test, dp_hp_next_threshold(1, 5, 0, 0), 1U);
}

static void dp_test_hp_pid_diff(struct kunit *test)
{
	struct dp_pid_list *old = kunit_kzalloc(test, sizeof(*old), GFP_KERNEL);
	struct dp_pid_list *new = kunit_kzalloc(test, sizeof(*new), GFP_KERNEL);
	struct dp_hp_diff *diff = kunit_kzalloc(test, sizeof(*diff),
						GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, old);
	KUNIT_ASSERT_NOT_NULL(test, new);
	KUNIT_ASSERT_NOT_NULL(test, diff);
	*old = (struct dp_pid_list){ .nr = 3, .pids = { 10, 20, 30 } };
	*new = (struct dp_pid_list){ .nr = 3, .pids = { 30, 40, 10 } };
	dp_hp_pid_diff(old, new, diff);
	KUNIT_ASSERT_EQ(test, diff->nr_gone, 1);
	KUNIT_EXPECT_EQ(test, diff->gone[0], 20);
	KUNIT_ASSERT_EQ(test, diff->nr_new, 1);
	KUNIT_EXPECT_EQ(test, diff->new[0], 40);
	/* Same set, other order: nothing moves. */
	*new = (struct dp_pid_list){ .nr = 3, .pids = { 30, 10, 20 } };
	dp_hp_pid_diff(old, new, diff);
	KUNIT_EXPECT_EQ(test, diff->nr_gone, 0);
	KUNIT_EXPECT_EQ(test, diff->nr_new, 0);
	/* Everything goes. */
	new->nr = 0;
	dp_hp_pid_diff(old, new, diff);
	KUNIT_EXPECT_EQ(test, diff->nr_gone, 3);
	KUNIT_EXPECT_EQ(test, diff->nr_new, 0);
}

/* Each broken input alone, on a copy of valid ones (kept off the stack). */
static void dp_test_hp_params_valid(struct kunit *test)
{
	static const struct dp_hp_params good = {
		.monitor_period = 5000000, .sample_interval = 5000,
		.aggr_interval = 100000, .ops_update_interval = 60000000,
		.min_nr_regions = 10, .max_nr_regions = 1000,
		.quota_ms = 10, .quota_reset_interval_ms = 1000,
	};
	struct dp_hp_params *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, dp_hp_params_valid(&good), 0);
	*p = good;
	p->sample_interval = 200000;
	KUNIT_EXPECT_EQ(test, dp_hp_params_valid(p), -EINVAL);
	*p = good;
	p->sample_interval = 0;
	KUNIT_EXPECT_EQ(test, dp_hp_params_valid(p), -EINVAL);
	*p = good;
	p->min_nr_regions = 2;
	KUNIT_EXPECT_EQ(test, dp_hp_params_valid(p), -EINVAL);
	*p = good;
	p->max_nr_regions = 5;
	KUNIT_EXPECT_EQ(test, dp_hp_params_valid(p), -EINVAL);
	*p = good;
	p->monitor_period = 1000;
	KUNIT_EXPECT_EQ(test, dp_hp_params_valid(p), -EINVAL);
	*p = good;
	p->quota_ms = 0;
	KUNIT_EXPECT_EQ(test, dp_hp_params_valid(p), -EINVAL);
	*p = good;
	p->quota_reset_interval_ms = 0;
	KUNIT_EXPECT_EQ(test, dp_hp_params_valid(p), -EINVAL);
	/* A budget is a share: all of the used memory at most. */
	*p = good;
	p->hugepage_mem_bp = 10000;
	KUNIT_EXPECT_EQ(test, dp_hp_params_valid(p), 0);
	p->hugepage_mem_bp = 10001;
	KUNIT_EXPECT_EQ(test, dp_hp_params_valid(p), -EINVAL);
}

/*
 * A commit_inputs Y written while the supervisor applies an earlier one
 * stays pending once that one is done (it was lost when the request was a
 * flag cleared after the apply), and is done by the next apply.
 */
static void dp_test_commit_inputs_not_lost(struct kunit *test)
{
	long ticket;

	dp_hp_commit_done(dp_hp_commit_begin());
	KUNIT_EXPECT_FALSE(test, dp_hp_commit_requested());
	atomic_long_inc(&dp_hp_commit_asked);		/* Y */
	KUNIT_EXPECT_TRUE(test, dp_hp_commit_requested());
	ticket = dp_hp_commit_begin();			/* inputs read */
	atomic_long_inc(&dp_hp_commit_asked);		/* Y, new inputs */
	dp_hp_commit_done(ticket);			/* first applied */
	KUNIT_EXPECT_TRUE(test, dp_hp_commit_requested());
	ticket = dp_hp_commit_begin();
	dp_hp_commit_done(ticket);
	KUNIT_EXPECT_FALSE(test, dp_hp_commit_requested());
}

/*
 * The count of commits, for the test of a commit made while the supervisor
 * starts, in tests/kunit/hugepage-params-kunit.h.
 */
long dp_hp_test_commit_asked(void);
long dp_hp_test_commit_asked(void)
{
	return atomic_long_read(&dp_hp_commit_asked);
}

static struct kunit_case dp_hp_test_cases[] = {
	KUNIT_CASE(dp_test_hp_threshold),
	KUNIT_CASE(dp_test_hp_pid_diff),
	KUNIT_CASE(dp_test_hp_params_valid),
	KUNIT_CASE(dp_test_commit_inputs_not_lost),
	{},
};

static struct kunit_suite dp_hp_test_suite = {
	.name = "damon_pause_hugepage_supervisor",
	.test_cases = dp_hp_test_cases,
};

kunit_test_suite(dp_hp_test_suite);

#endif /* _DAMON_PAUSE_HUGEPAGE_KUNIT_H */

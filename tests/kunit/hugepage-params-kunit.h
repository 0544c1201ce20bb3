/* SPDX-License-Identifier: GPL-2.0 */
/* KUnit suite for the supervisor's parameters in src/hugepage.c. */
#ifndef _DAMON_PAUSE_HUGEPAGE_PARAMS_KUNIT_H
#define _DAMON_PAUSE_HUGEPAGE_PARAMS_KUNIT_H

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/slab.h>

static void dp_test_pid_list_parse_valid(struct kunit *test)
{
	struct dp_pid_list list = { .nr = 7 };

	KUNIT_ASSERT_EQ(test, dp_pid_list_parse("1234,5678\n", &list), 0);
	KUNIT_EXPECT_EQ(test, list.nr, 2);
	KUNIT_EXPECT_EQ(test, list.pids[0], 1234);
	KUNIT_EXPECT_EQ(test, list.pids[1], 5678);

	KUNIT_ASSERT_EQ(test, dp_pid_list_parse("42", &list), 0);
	KUNIT_EXPECT_EQ(test, list.nr, 1);
	KUNIT_EXPECT_EQ(test, list.pids[0], 42);

	KUNIT_ASSERT_EQ(test, dp_pid_list_parse("", &list), 0);
	KUNIT_EXPECT_EQ(test, list.nr, 0);
	KUNIT_ASSERT_EQ(test, dp_pid_list_parse("\n", &list), 0);
	KUNIT_EXPECT_EQ(test, list.nr, 0);
}

/* Every malformed list is refused and leaves the previous one intact. */
static void dp_test_pid_list_parse_invalid(struct kunit *test)
{
	static const char * const bad[] = {
		"0", "-1", "+5", " 5", "5 ", "1,,2", ",1", "1,", "1,1",
		"abc", "12a", "0x10", "99999999999", "4194305", ",", "1\n\n",
	};
	struct dp_pid_list list;
	size_t i;

	KUNIT_ASSERT_EQ(test, dp_pid_list_parse("7,8", &list), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, dp_pid_list_parse(bad[i], &list),
				    -EINVAL, "input \"%s\"", bad[i]);
		KUNIT_EXPECT_EQ(test, list.nr, 2);
		KUNIT_EXPECT_EQ(test, list.pids[0], 7);
		KUNIT_EXPECT_EQ(test, list.pids[1], 8);
	}
}

/* 100 pids are accepted, 101 are not; format prints what parse reads. */
static void dp_test_pid_list_limit_and_format(struct kunit *test)
{
	struct dp_pid_list *list;
	char *buf;
	int i, len = 0;

	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	list = kunit_kzalloc(test, sizeof(*list), GFP_KERNEL);
	if (!buf || !list)
		kunit_skip(test, "out of memory");

	for (i = 1; i <= DP_MAX_MONITORED_PIDS; i++)
		len += scnprintf(buf + len, PAGE_SIZE - len, "%s%d",
				 i > 1 ? "," : "", i * 1000);
	KUNIT_ASSERT_EQ(test, dp_pid_list_parse(buf, list), 0);
	KUNIT_EXPECT_EQ(test, list->nr, DP_MAX_MONITORED_PIDS);
	KUNIT_EXPECT_EQ(test, list->pids[99], 100000);

	scnprintf(buf + len, PAGE_SIZE - len, ",1");
	KUNIT_EXPECT_EQ(test, dp_pid_list_parse(buf, list), -EINVAL);
	KUNIT_EXPECT_EQ(test, list->nr, DP_MAX_MONITORED_PIDS);

	KUNIT_ASSERT_EQ(test, dp_pid_list_parse("3,1,2", list), 0);
	len = dp_pid_list_format(list, buf);
	KUNIT_EXPECT_EQ(test, len, 6);
	KUNIT_EXPECT_STREQ(test, buf, "3,1,2\n");
}

/* The supervisor's count of commits (tests/kunit/hugepage-kunit.h). */
long dp_hp_test_commit_asked(void);

static int dp_test_commit_inputs_fn(void *data)
{
	dp_hp_commit_set("Y", NULL);
	complete(data);
	return 0;
}

/*
 * A commit_inputs Y written while the supervisor starts (at the load, which
 * the kernel's lock of the parameters does not order with it) is counted
 * once it runs, not dropped because it did not run yet; and reads N again
 * once it stops (issue 25, item 9).
 */
static void dp_test_commit_inputs_during_start(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(written);
	struct task_struct *tsk;
	long asked;
	int err;

	mutex_lock(&dp_hp_enable_lock);
	if (dp_hp_running()) {
		mutex_unlock(&dp_hp_enable_lock);
		kunit_skip(test, "the supervisor runs already");
	}
	asked = dp_hp_test_commit_asked();
	tsk = kthread_run(dp_test_commit_inputs_fn, &written,
			  "dp_test_commit");
	if (IS_ERR(tsk)) {
		mutex_unlock(&dp_hp_enable_lock);
		kunit_skip(test, "no thread");
	}
	/* The Y comes while the start is under way. */
	msleep(100);
	err = dp_hp_params_start();
	mutex_unlock(&dp_hp_enable_lock);
	wait_for_completion(&written);
	if (err == -EOPNOTSUPP)
		kunit_skip(test, "no supervisor on this kernel");
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, dp_hp_test_commit_asked(), asked + 1);
	mutex_lock(&dp_hp_enable_lock);
	dp_hp_stop();
	mutex_unlock(&dp_hp_enable_lock);
	KUNIT_EXPECT_FALSE(test, dp_hp_commit_requested());
}

static struct kunit_case dp_hugepage_test_cases[] = {
	KUNIT_CASE(dp_test_pid_list_parse_valid),
	KUNIT_CASE(dp_test_pid_list_parse_invalid),
	KUNIT_CASE(dp_test_pid_list_limit_and_format),
	KUNIT_CASE(dp_test_commit_inputs_during_start),
	{},
};

static struct kunit_suite dp_hugepage_test_suite = {
	.name = "damon_pause_hugepage_params",
	.test_cases = dp_hugepage_test_cases,
};

kunit_test_suite(dp_hugepage_test_suite);

#endif /* _DAMON_PAUSE_HUGEPAGE_PARAMS_KUNIT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit suite for src/hugepage-trained.c: the supervisor's states as text,
 * read back as they were written, and every deviation refused.
 */
#ifndef _DAMON_PAUSE_HUGEPAGE_TRAINED_KUNIT_H
#define _DAMON_PAUSE_HUGEPAGE_TRAINED_KUNIT_H

#include <kunit/test.h>

static void dp_test_hp_states_release(void *data)
{
	dp_hp_kept_free_list(data);
	kfree(data);
}

static void dp_test_hp_text_release(void *data)
{
	kvfree(data);
}

/* A list freed with the test. */
static struct list_head *dp_test_hp_list(struct kunit *test)
{
	struct list_head *list = kmalloc(sizeof(*list), GFP_KERNEL);

	if (!list)
		kunit_skip(test, "out of memory");
	INIT_LIST_HEAD(list);
	if (kunit_add_action_or_reset(test, dp_test_hp_states_release, list))
		kunit_skip(test, "out of memory");
	return list;
}

/* Process @pid's state: @nr regions of 2 MiB with counts after @pid. */
static void dp_test_hp_add(struct kunit *test, struct list_head *list,
			   pid_t pid, unsigned int nr)
{
	struct dp_hp_kept *k = kzalloc(sizeof(*k), GFP_KERNEL);
	struct dp_trained_region *r;
	unsigned int i;

	if (!k)
		kunit_skip(test, "out of memory");
	k->tr = dp_trained_alloc(1, 1);
	if (!k->tr || dp_trained_alloc_regions(&k->tr->targets[0], nr)) {
		dp_hp_kept_free(k);
		kunit_skip(test, "out of memory");
	}
	list_add_tail(&k->list, list);
	k->pid = pid;
	k->start_time = 1000000ULL * pid;
	k->threshold = pid % 20 + 1;
	k->paused = pid & 1;
	strscpy(k->tr->ops, "vaddr", sizeof(k->tr->ops));
	k->tr->sample_us = 5000;
	k->tr->aggr_us = 100000;
	k->tr->aggr_left = 3;
	k->tr->targets[0].pid = pid;
	k->tr->schemes[0].action = DP_ACT_COLLAPSE;
	k->tr->schemes[0].esz = pid;
	for (i = 0; i < nr; i++) {
		r = &k->tr->targets[0].regions[i];
		r->ar.start = (i + 1) * (2UL << 20);
		r->ar.end = r->ar.start + (2UL << 20);
		r->nr_accesses = i % 21;
		r->last_nr_accesses = (i + pid) % 21;
		r->age = 10 * i + pid;
	}
}

static char *dp_test_hp_format(struct kunit *test, struct list_head *list,
			       size_t *len)
{
	char *text;

	KUNIT_ASSERT_EQ(test, dp_hp_states_format(list, &text, len), 0);
	if (kunit_add_action_or_reset(test, dp_test_hp_text_release, text))
		kunit_skip(test, "out of memory");
	return text;
}

/* Written, read back, written again: the same text, the same states. */
static void dp_test_hp_states_round_trip(struct kunit *test)
{
	struct list_head *in = dp_test_hp_list(test);
	struct list_head *out = dp_test_hp_list(test);
	struct dp_hp_kept *a, *b;
	size_t len, len2;
	char *text, *text2;

	dp_test_hp_add(test, in, 4321, 5);
	dp_test_hp_add(test, in, 17, 1);
	text = dp_test_hp_format(test, in, &len);
	KUNIT_ASSERT_EQ(test, dp_hp_states_parse(text, len, out), 0);
	text2 = dp_test_hp_format(test, out, &len2);
	KUNIT_ASSERT_EQ(test, len2, len);
	KUNIT_EXPECT_EQ(test, memcmp(text, text2, len), 0);
	b = list_first_entry(out, struct dp_hp_kept, list);
	list_for_each_entry(a, in, list) {
		KUNIT_EXPECT_EQ(test, b->pid, a->pid);
		KUNIT_EXPECT_EQ(test, b->start_time, a->start_time);
		KUNIT_EXPECT_EQ(test, b->threshold, a->threshold);
		KUNIT_EXPECT_EQ(test, b->paused, a->paused);
		KUNIT_EXPECT_EQ(test, b->tr->targets[0].nr_regions,
				a->tr->targets[0].nr_regions);
		KUNIT_EXPECT_EQ(test, b->tr->targets[0].regions[0].age,
				a->tr->targets[0].regions[0].age);
		b = list_next_entry(b, list);
	}
	/* None: a text of no process. */
	in = dp_test_hp_list(test);
	out = dp_test_hp_list(test);
	text = dp_test_hp_format(test, in, &len);
	KUNIT_EXPECT_EQ(test, dp_hp_states_parse(text, len, out), 0);
	KUNIT_EXPECT_TRUE(test, list_empty(out));
}

/* @text with the first @from replaced by @to, into a new buffer. */
static char *dp_test_hp_edit(struct kunit *test, const char *text, size_t len,
			     const char *from, const char *to, size_t *new_len)
{
	const char *at = strnstr(text, from, len);
	size_t head, flen = strlen(from), tlen = strlen(to);
	char *out;

	KUNIT_ASSERT_NOT_NULL(test, at);
	head = at - text;
	out = kunit_kzalloc(test, len - flen + tlen + 1, GFP_KERNEL);
	if (!out)
		kunit_skip(test, "out of memory");
	memcpy(out, text, head);
	memcpy(out + head, to, tlen);
	memcpy(out + head + tlen, at + flen, len - head - flen);
	*new_len = len - flen + tlen;
	return out;
}

/* Each deviation: EINVAL, and nothing in the list. */
static void dp_test_hp_states_refused(struct kunit *test)
{
	static const char * const edits[][2] = {
		{ "damon_pause_supervisor_state 1", "damon_pause_supervisor_state 2" },
		{ "processes 2", "processes 3" },
		{ "processes 2", "processes 1" },
		{ "processes 2", "processes +2" },
		{ "process 1 pid 17", "process 0 pid 17" },
		{ "process 1 pid 17", "process 1 pid 4321" },
		{ "pid 17 ", "pid -17 " },
		{ "pid 17 ", "pid 017 " },
		{ "pid 17 ", "pid  17 " },
		{ "start_time 17000000 ", "start_time 0 " },
		{ "threshold 18 ", "threshold 0 " },
		{ "paused 1\n", "paused 2\n" },
		{ "paused 1\n", "paused 1\t\n" },
		{ "target 0 pid 17 ", "target 0 pid 18 " },
		{ "end\nend supervisor", "end supervisor" },
		{ "end supervisor\n", "end supervisor\nx" },
		{ "end supervisor\n", "end\n" },
		{ "\nend\nprocess 1", "\nprocess 1" },
		{ "region_fields", "region_field" },
	};
	struct list_head *in = dp_test_hp_list(test);
	struct list_head *out = dp_test_hp_list(test);
	size_t len, bad_len;
	char *text, *bad;
	int i;

	dp_test_hp_add(test, in, 4321, 3);
	dp_test_hp_add(test, in, 17, 2);
	text = dp_test_hp_format(test, in, &len);
	for (i = 0; i < ARRAY_SIZE(edits); i++) {
		bad = dp_test_hp_edit(test, text, len, edits[i][0], edits[i][1],
				      &bad_len);
		KUNIT_EXPECT_EQ_MSG(test, dp_hp_states_parse(bad, bad_len, out),
				    -EINVAL, "edit %d: %s", i, edits[i][1]);
		KUNIT_EXPECT_TRUE(test, list_empty(out));
	}
	/* Cut anywhere: refused. */
	for (i = 0; i < len; i += 7) {
		KUNIT_EXPECT_EQ_MSG(test, dp_hp_states_parse(text, i, out),
				    -EINVAL, "cut at %d", i);
		KUNIT_EXPECT_TRUE(test, list_empty(out));
	}
	KUNIT_EXPECT_EQ(test, dp_hp_states_parse(text, len, out), 0);
}

/* The same pid twice is refused: whose state would it restore? */
static void dp_test_hp_states_twice(struct kunit *test)
{
	struct list_head *in = dp_test_hp_list(test);
	struct list_head *out = dp_test_hp_list(test);
	size_t len;
	char *text;

	dp_test_hp_add(test, in, 17, 1);
	dp_test_hp_add(test, in, 17, 1);
	text = dp_test_hp_format(test, in, &len);
	KUNIT_EXPECT_EQ(test, dp_hp_states_parse(text, len, out), -EINVAL);
	KUNIT_EXPECT_TRUE(test, list_empty(out));
}

static struct kunit_case dp_hp_trained_test_cases[] = {
	KUNIT_CASE(dp_test_hp_states_round_trip),
	KUNIT_CASE(dp_test_hp_states_refused),
	KUNIT_CASE(dp_test_hp_states_twice),
	{},
};

static struct kunit_suite dp_hp_trained_test_suite = {
	.name = "damon_pause_trained_supervisor",
	.test_cases = dp_hp_trained_test_cases,
};

kunit_test_suite(dp_hp_trained_test_suite);

#endif /* _DAMON_PAUSE_HUGEPAGE_TRAINED_KUNIT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit suite for src/sysfs-trained.c: the trained state's text, written
 * and read back, and every way a text can be malformed.
 */
#ifndef _DAMON_PAUSE_SYSFS_TRAINED_KUNIT_H
#define _DAMON_PAUSE_SYSFS_TRAINED_KUNIT_H

#include <kunit/test.h>

static const char dp_test_trained_text[] =
	"damon_pause_trained_state 1\n"
	"operations vaddr\n"
	"intervals_us 5000 100000\n"
	"aggregation_left 7\n"
	"region_fields " DP_TRAINED_REGION_FIELDS "\n"
	"targets 2\n"
	"target 0 pid 42 regions 2\n"
	"region 4096 8192 3 30000 2 10 0 0,0,0,0 0,0,0,0\n"
	"region 8192 1048576 0 0 0 120 5 1,2,3,255 4,5,6,7\n"
	"target 1 pid 0 regions 0\n"
	"schemes 1\n"
	"scheme 0 action pageout esz 1048576 esz_bp 10485760000 min_score 42 goals_met 1 total_charged_sz 123 total_charged_ns 18446744073709551615\n"
	"end\n";

static void dp_test_trained_free(void *data)
{
	dp_trained_free(data);
}

/* dp_trained_parse() of @text, freed with the test; NULL if refused. */
static struct dp_trained *dp_test_trained_parse(struct kunit *test,
						const char *text, size_t len,
						int *err)
{
	struct dp_trained *tr = NULL;

	*err = dp_trained_parse(text, len, &tr);
	if (*err == -ENOMEM)
		kunit_skip(test, "out of memory");
	if (!*err && kunit_add_action_or_reset(test, dp_test_trained_free, tr))
		kunit_skip(test, "out of memory");
	return *err ? NULL : tr;
}

static void dp_test_trained_parse_fields(struct kunit *test)
{
	struct dp_trained *tr;
	struct dp_trained_region *r;
	int err;

	tr = dp_test_trained_parse(test, dp_test_trained_text,
				   strlen(dp_test_trained_text), &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_STREQ(test, tr->ops, "vaddr");
	KUNIT_EXPECT_EQ(test, tr->sample_us, 5000UL);
	KUNIT_EXPECT_EQ(test, tr->aggr_us, 100000UL);
	KUNIT_EXPECT_EQ(test, tr->aggr_left, 7UL);
	KUNIT_ASSERT_EQ(test, tr->nr_targets, 2U);
	KUNIT_EXPECT_EQ(test, tr->targets[0].pid, 42);
	KUNIT_ASSERT_EQ(test, tr->targets[0].nr_regions, 2U);
	KUNIT_EXPECT_EQ(test, tr->targets[1].nr_regions, 0U);
	r = &tr->targets[0].regions[1];
	KUNIT_EXPECT_EQ(test, r->ar.start, 8192UL);
	KUNIT_EXPECT_EQ(test, r->ar.end, 1048576UL);
	KUNIT_EXPECT_EQ(test, r->age, 120U);
	KUNIT_EXPECT_EQ(test, r->idle_aggrs, 5U);
	KUNIT_EXPECT_EQ(test, r->probe_hits[3], 255);
	KUNIT_EXPECT_EQ(test, r->last_probe_hits[0], 4);
	r = &tr->targets[0].regions[0];
	KUNIT_EXPECT_EQ(test, r->nr_accesses, 3U);
	KUNIT_EXPECT_EQ(test, r->nr_accesses_bp, 30000U);
	KUNIT_EXPECT_EQ(test, r->last_nr_accesses, 2U);
	KUNIT_ASSERT_EQ(test, tr->nr_schemes, 1U);
	KUNIT_EXPECT_EQ(test, tr->schemes[0].action, DP_ACT_PAGEOUT);
	KUNIT_EXPECT_EQ(test, tr->schemes[0].esz, 1048576UL);
	KUNIT_EXPECT_EQ(test, tr->schemes[0].min_score, 42U);
	KUNIT_EXPECT_TRUE(test, tr->schemes[0].goals_met);
	KUNIT_EXPECT_EQ(test, tr->schemes[0].total_charged_ns, U64_MAX);
}

/* Written out again, a parsed text is the same text. */
static void dp_test_trained_round_trip(struct kunit *test)
{
	struct dp_trained *tr;
	size_t len;
	char *text;
	int err;

	tr = dp_test_trained_parse(test, dp_test_trained_text,
				   strlen(dp_test_trained_text), &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	if (dp_trained_format(tr, &text, &len))
		kunit_skip(test, "out of memory");
	KUNIT_EXPECT_EQ(test, len, strlen(dp_test_trained_text));
	KUNIT_EXPECT_EQ(test, memcmp(text, dp_test_trained_text,
				     min(len, strlen(dp_test_trained_text))), 0);
	kvfree(text);
}

/* The text with the first @from replaced by @to; freed with the test. */
static char *dp_test_trained_edit(struct kunit *test, const char *from,
				  const char *to, size_t *len)
{
	const char *base = dp_test_trained_text;
	const char *at = strstr(base, from);
	char *text;

	KUNIT_ASSERT_NOT_NULL(test, at);
	*len = strlen(base) - strlen(from) + strlen(to);
	text = kunit_kzalloc(test, *len + 1, GFP_KERNEL);
	if (!text)
		kunit_skip(test, "out of memory");
	memcpy(text, base, at - base);
	memcpy(text + (at - base), to, strlen(to));
	memcpy(text + (at - base) + strlen(to), at + strlen(from),
	       strlen(at + strlen(from)));
	return text;
}

static const struct {
	const char *what;
	const char *from;
	const char *to;
} dp_test_trained_bad[] = {
	{ "magic", "damon_pause_trained_state", "damon_trained_state" },
	{ "version", "state 1\n", "state 2\n" },
	{ "no end", "end\n", "" },
	{ "after end", "end\n", "end\nend\n" },
	{ "end without newline", "end\n", "end" },
	{ "crlf", "targets 2\n", "targets 2\r\n" },
	{ "two spaces", "target 0 pid", "target 0  pid" },
	{ "trailing space", "regions 0\n", "regions 0\x20\n" },
	{ "extra field", "aggregation_left 7\n", "aggregation_left 7 8\n" },
	{ "region fields", "last_probe_hits\n", "last_hits\n" },
	{ "negative pid", "pid 42", "pid -42" },
	{ "pid word", "pid 42", "tid 42" },
	{ "target order", "target 1 pid", "target 2 pid" },
	{ "more regions than lines", "regions 2\n", "regions 3\n" },
	{ "huge region count", "regions 2\n", "regions 4294967295\n" },
	{ "fewer regions than lines", "regions 2\n", "regions 1\n" },
	{ "huge target count", "targets 2\n", "targets 100000\n" },
	{ "start overflows", "region 4096 ", "region 18446744073709551616 " },
	{ "hex", "region 4096 ", "region 0x1000 " },
	{ "count overflows", "8192 3 30000", "8192 4294967296 30000" },
	{ "probe hit above 255", "1,2,3,255", "1,2,3,256" },
	{ "three probe hits", "1,2,3,255", "1,2,3" },
	{ "five probe hits", "1,2,3,255", "1,2,3,255,0" },
	{ "empty probe hit", "1,2,3,255", "1,,3,255" },
	{ "unknown action", "action pageout", "action nap" },
	{ "goals_met 2", "goals_met 1", "goals_met 2" },
	{ "min_score above 99", "min_score 42", "min_score 100" },
	{ "scheme key", "esz_bp", "esz_pb" },
	{ "scheme order", "scheme 0", "scheme 1" },
	{ "schemes count", "schemes 1\n", "schemes 2\n" },
	{ "ops name too long", "operations vaddr", "operations vaddrvaddrvaddrvaddr" },
	/* '#' stands for a NUL byte */
	{ "nul byte", "targets 2\n", "targets 2#\n" },
};

/* Every deviation is refused, each on its own. */
static void dp_test_trained_malformed(struct kunit *test)
{
	size_t len;
	char *text;
	int i, err;

	for (i = 0; i < ARRAY_SIZE(dp_test_trained_bad); i++) {
		text = dp_test_trained_edit(test, dp_test_trained_bad[i].from,
					    dp_test_trained_bad[i].to, &len);
		if (strchr(text, '#'))
			*strchr(text, '#') = '\0';
		dp_test_trained_parse(test, text, len, &err);
		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "%s",
				    dp_test_trained_bad[i].what);
	}
}

/* A line longer than any the format has is refused, not cut. */
static void dp_test_trained_long_line(struct kunit *test)
{
	char *to = kunit_kzalloc(test, DP_TRAINED_LINE_MAX + 16, GFP_KERNEL);
	size_t len;
	char *text;
	int err;

	if (!to)
		kunit_skip(test, "out of memory");
	memcpy(to, "operations ", 11);
	memset(to + 11, 'v', DP_TRAINED_LINE_MAX);
	text = dp_test_trained_edit(test, "operations vaddr", to, &len);
	dp_test_trained_parse(test, text, len, &err);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
}

/* A truncated text at any length is refused: never a partial state. */
static void dp_test_trained_truncated(struct kunit *test)
{
	size_t len = strlen(dp_test_trained_text);
	size_t n;
	int err;

	for (n = 0; n < len; n++) {
		dp_test_trained_parse(test, dp_test_trained_text, n, &err);
		KUNIT_EXPECT_EQ_MSG(test, err, -EINVAL, "length %zu", n);
	}
}

static struct kunit_case dp_sysfs_trained_test_cases[] = {
	KUNIT_CASE(dp_test_trained_parse_fields),
	KUNIT_CASE(dp_test_trained_round_trip),
	KUNIT_CASE(dp_test_trained_malformed),
	KUNIT_CASE(dp_test_trained_long_line),
	KUNIT_CASE(dp_test_trained_truncated),
	{},
};

static struct kunit_suite dp_sysfs_trained_test_suite = {
	.name = "damon_pause_trained_text",
	.test_cases = dp_sysfs_trained_test_cases,
};

kunit_test_suite(dp_sysfs_trained_test_suite);

#endif /* _DAMON_PAUSE_SYSFS_TRAINED_KUNIT_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Monitoring regions: creation, fitting to address ranges, the adaptive
 * split and merge, and the access-rate bookkeeping of one region.
 *
 * A target's regions are kept sorted by address and never overlap; every
 * boundary is aligned to the context's min_region_sz (a page, unless paddr's
 * addr_unit makes a page fewer address units) or to what the user wrote.
 * Functions here never sleep on anything but memory allocation, and callers
 * serialise them per target (the kdamond, or the committer while the
 * kdamond is not running).
 */

#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/slab.h>

#include <damon_pause/damon.h>

#include "core-internal.h"

/**
 * dp_new_region() - allocate a region with no access history.
 * @start:	first address.
 * @end:	end address (exclusive).
 *
 * Return: the region, or NULL when out of memory.
 */
struct dp_region *dp_new_region(unsigned long start, unsigned long end)
{
	struct dp_region *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	r->ar.start = start;
	r->ar.end = end;
	r->sampling_addr = start;
	INIT_LIST_HEAD(&r->list);
	return r;
}

/* A region with the same range and history as @src. */
static struct dp_region *dp_copy_region(const struct dp_region *src,
					unsigned long start, unsigned long end)
{
	struct dp_region *r = dp_new_region(start, end);

	if (!r)
		return NULL;
	r->sampling_addr = clamp(src->sampling_addr, start, end - 1);
	r->nr_accesses = src->nr_accesses;
	r->nr_accesses_bp = src->nr_accesses_bp;
	r->last_nr_accesses = src->last_nr_accesses;
	r->age = src->age;
	r->idle_aggrs = src->idle_aggrs;
	/* A clamped sampling address is a page nobody made old. */
	if (r->sampling_addr == src->sampling_addr)
		r->primed_sis = src->primed_sis;
	memcpy(r->probe_hits, src->probe_hits, sizeof(r->probe_hits));
	memcpy(r->last_probe_hits, src->last_probe_hits,
	       sizeof(r->last_probe_hits));
	return r;
}

/**
 * dp_region_clamp_sample() - keep the sampling address of @r inside it,
 * after its range shrank.
 * @r:		the region.
 *
 * A sample that moves is a page nobody made old: no prime
 * (dp_region_primed()).
 */
void dp_region_clamp_sample(struct dp_region *r)
{
	unsigned long addr = clamp(r->sampling_addr, r->ar.start,
				   r->ar.end - 1);

	if (addr == r->sampling_addr)
		return;
	r->sampling_addr = addr;
	r->primed_sis = 0;
}

/** dp_add_region() - append @r, which lies above every region of @t. */
void dp_add_region(struct dp_region *r, struct dp_target *t)
{
	list_add_tail(&r->list, &t->regions_list);
	t->nr_regions++;
}

/** dp_insert_region() - insert @r between its neighbours @prev and @next. */
void dp_insert_region(struct dp_region *r, struct dp_region *prev,
		      struct dp_region *next, struct dp_target *t)
{
	__list_add(&r->list, &prev->list, &next->list);
	t->nr_regions++;
}

/** dp_destroy_region() - unlink @r from @t and free it. */
void dp_destroy_region(struct dp_region *r, struct dp_target *t)
{
	list_del(&r->list);
	t->nr_regions--;
	kfree(r);
}

/** dp_destroy_regions() - free every region of @t. */
void dp_destroy_regions(struct dp_target *t)
{
	struct dp_region *r, *next;

	dp_for_each_region_safe(r, next, t)
		dp_destroy_region(r, t);
}

static bool dp_intersect(const struct dp_region *r,
			 const struct dp_addr_range *range)
{
	return r->ar.start < range->end && range->start < r->ar.end;
}

/** dp_free_regions() - free regions on a list of their own (not a target's). */
void dp_free_regions(struct list_head *list)
{
	struct dp_region *r, *next;

	list_for_each_entry_safe(r, next, list, list) {
		list_del(&r->list);
		kfree(r);
	}
}

/*
 * Append to @list the regions that cover @range: the parts of @t's regions
 * that intersect it, with their history, and new regions for the holes;
 * without @fill_inner, only for those before the first and after the last
 * of them.
 */
static int dp_cover_range(struct dp_target *t, struct dp_addr_range range,
			  bool fill_inner, struct list_head *list,
			  unsigned int *nr)
{
	unsigned long pos = range.start;
	struct dp_region *r, *newr;

	dp_for_each_region(r, t) {
		if (!dp_intersect(r, &range))
			continue;
		if (r->ar.start > pos && !fill_inner && pos > range.start)
			pos = r->ar.start;
		if (r->ar.start > pos) {
			newr = dp_new_region(pos, r->ar.start);
			if (!newr)
				return -ENOMEM;
			list_add_tail(&newr->list, list);
			(*nr)++;
			pos = r->ar.start;
		}
		newr = dp_copy_region(r, pos, min(r->ar.end, range.end));
		if (!newr)
			return -ENOMEM;
		list_add_tail(&newr->list, list);
		(*nr)++;
		pos = newr->ar.end;
	}
	if (pos < range.end) {
		newr = dp_new_region(pos, range.end);
		if (!newr)
			return -ENOMEM;
		list_add_tail(&newr->list, list);
		(*nr)++;
	}
	return 0;
}

/* dp_fit_regions(), filling the inner holes or not (dp_refit_regions()). */
static int dp_fit_ranges(struct dp_target *t,
			 const struct dp_addr_range *ranges,
			 unsigned int nr_ranges, unsigned long align,
			 bool fill_inner, struct list_head *fitted,
			 unsigned int *nr_fitted)
{
	unsigned long last_end = 0;
	unsigned int i;
	int err;

	for (i = 0; i < nr_ranges; i++) {
		unsigned long start = ALIGN_DOWN(ranges[i].start, align);
		unsigned long end = ALIGN(ranges[i].end, align);

		if (start >= end || (i && start < last_end))
			return -EINVAL;
		last_end = end;
	}

	*nr_fitted = 0;
	for (i = 0; i < nr_ranges; i++) {
		struct dp_addr_range range = {
			.start = ALIGN_DOWN(ranges[i].start, align),
			.end = ALIGN(ranges[i].end, align),
		};

		err = dp_cover_range(t, range, fill_inner, fitted, nr_fitted);
		if (err) {
			dp_free_regions(fitted);
			return err;
		}
	}
	return 0;
}

/**
 * dp_fit_regions() - build, aside, the regions that would cover the ranges.
 * @t:		the target whose regions lend their history.
 * @ranges:	sorted, non-overlapping ranges; widened to @align.
 * @nr_ranges:	number of @ranges.
 * @align:	a power of two: the context's min_region_sz, or a page.
 * @fitted:	an empty list that receives the new regions.
 * @nr_fitted:	receives their number.
 *
 * Where a region of @t overlaps a range, the part inside keeps its access
 * history (a region straddling two ranges lends it to both); what @t did not
 * cover starts with none.  @t itself is not changed: dp_swap_regions() puts
 * the result in place, or dp_free_regions() drops it.
 *
 * Return: 0, -EINVAL for empty, unsorted or overlapping ranges (with nothing
 * allocated), or -ENOMEM (with @fitted emptied again).
 */
int dp_fit_regions(struct dp_target *t, const struct dp_addr_range *ranges,
		   unsigned int nr_ranges, unsigned long align,
		   struct list_head *fitted, unsigned int *nr_fitted)
{
	return dp_fit_ranges(t, ranges, nr_ranges, align, true, fitted,
			     nr_fitted);
}

/**
 * dp_swap_regions() - replace the regions of @t with a fitted list.
 * @t:		the target.
 * @fitted:	regions from dp_fit_regions(); the list is left empty.
 * @nr_fitted:	their number.
 */
void dp_swap_regions(struct dp_target *t, struct list_head *fitted,
		     unsigned int nr_fitted)
{
	dp_destroy_regions(t);
	list_splice_init(fitted, &t->regions_list);
	t->nr_regions = nr_fitted;
}

/* Fit and swap in one, so that a failure leaves @t as it was. */
static int dp_place_regions(struct dp_target *t,
			    const struct dp_addr_range *ranges,
			    unsigned int nr_ranges, unsigned long align,
			    bool fill_inner)
{
	unsigned int nr;
	LIST_HEAD(fitted);
	int err;

	err = dp_fit_ranges(t, ranges, nr_ranges, align, fill_inner, &fitted,
			    &nr);
	if (!err)
		dp_swap_regions(t, &fitted, nr);
	return err;
}

/**
 * dp_set_regions() - make @t's regions cover exactly the given ranges.
 * @t:		the target.
 * @ranges:	sorted, non-overlapping ranges; widened to @align.
 * @nr_ranges:	number of @ranges.
 * @align:	a power of two: the context's min_region_sz, or a page.
 *
 * dp_fit_regions() and dp_swap_regions() in one: a failure leaves @t
 * exactly as it was.
 *
 * Return: 0, -EINVAL for empty, unsorted or overlapping ranges, or -ENOMEM.
 */
int dp_set_regions(struct dp_target *t, const struct dp_addr_range *ranges,
		   unsigned int nr_ranges, unsigned long align)
{
	return dp_place_regions(t, ranges, nr_ranges, align, true);
}

/**
 * dp_refit_regions() - dp_set_regions(), but a hole between two regions
 * inside a range stays a hole.
 * @t:		the target.
 * @ranges:	sorted, non-overlapping ranges; widened to @align.
 * @nr_ranges:	number of @ranges.
 * @align:	a power of two: the context's min_region_sz, or a page.
 *
 * For operations that cut the regions' holes out (&dp_operations
 * .adjust_regions): what the regions left out stays out, while a range that
 * grew at either end, or that is new, is covered there.
 *
 * Return: as dp_set_regions(), which a failure leaves @t as it was.
 */
int dp_refit_regions(struct dp_target *t, const struct dp_addr_range *ranges,
		     unsigned int nr_ranges, unsigned long align)
{
	return dp_place_regions(t, ranges, nr_ranges, align, false);
}

/**
 * dp_split_region_at() - split @r in two; both halves keep its history.
 * @t:		the target of @r.
 * @r:		the region; it becomes the left part.
 * @sz_left:	size of the left part, min_region_sz aligned, < size of @r.
 *
 * Out of memory, @r simply stays whole: splitting only refines accuracy.
 */
void dp_split_region_at(struct dp_target *t, struct dp_region *r,
			unsigned long sz_left)
{
	struct dp_addr_range at = {
		.start = r->ar.start + sz_left,
		.end = r->ar.start + sz_left,
	};

	dp_cut_region(t, r, &at);
}

/**
 * dp_cut_region() - cut a hole out of @r: @r becomes the part before it, a
 * new region the part after it; both keep the history of @r.
 * @t:		the target of @r.
 * @r:		the region.
 * @hole:	strictly inside @r; empty for a plain split.
 *
 * Out of memory, @r simply stays whole: a cut, as a split, only refines
 * accuracy.
 */
void dp_cut_region(struct dp_target *t, struct dp_region *r,
		   const struct dp_addr_range *hole)
{
	struct dp_region *right;

	/* The copy's sampling address is clamped into it already. */
	right = dp_copy_region(r, hole->end, r->ar.end);
	if (!right)
		return;
	r->ar.end = hole->start;
	dp_region_clamp_sample(r);
	dp_insert_region(right, r, dp_next_region(r), t);
}

/**
 * dp_aligned_split() - where to split @r near @sz_left so that the new
 * boundary is a multiple of @align.
 * @r:		the region.
 * @sz_left:	the wished size of the left part.
 * @align:	a power of two: the context's min_region_sz.
 *
 * Return: the size of the left part, or 0 if no multiple of @align lies
 * strictly inside @r at or below @r->ar.start + @sz_left.
 */
unsigned long dp_aligned_split(const struct dp_region *r, unsigned long sz_left,
			       unsigned long align)
{
	unsigned long at = ALIGN_DOWN(r->ar.start + sz_left, align);

	if (at <= r->ar.start || at >= r->ar.end)
		return 0;
	return at - r->ar.start;
}

/*
 * Whether @r sits this split out, as it does three times in four when it
 * looks uniform and settled: its last count was none or nearly all of
 * @max_nr_accesses (0: never rest), and has held for DP_STABLE_AGE
 * aggregations.  Its pieces have merged back every time for that long (a
 * piece whose count differs restarts its age at the next merge, and then
 * splits every time), and every piece costs one more access check per
 * sample: on a steady workload, most of the checks.  A region of a
 * middling count may hide a hot part, and always splits.
 */
static bool dp_split_rests(const struct dp_region *r,
			   unsigned int max_nr_accesses)
{
	unsigned int nr = r->last_nr_accesses;

	if (!max_nr_accesses || r->age < DP_STABLE_AGE)
		return false;
	if (nr && nr * 10 < max_nr_accesses * 9)
		return false;
	return get_random_u32_below(DP_STABLE_SPLIT_ONE_IN);
}

/**
 * dp_split_regions_of() - split each region of @t into up to @nr_subs
 * randomly sized pieces.
 * @t:		the target.
 * @nr_subs:	pieces per region.
 * @align:	inner boundaries are multiples of it (dp_ctx.min_region_sz).
 * @max_nr_accesses: the highest count of an aggregation, by which a
 *		settled region may rest (dp_split_rests()); 0: none rests.
 *
 * A left piece takes 10% to 90% of what remains, so that a region whose
 * middle differs from its ends gets a boundary near that difference on some
 * aggregation interval; a wrong split is undone by the next merge.  A
 * settled region splits less often (dp_split_rests()).
 */
void dp_split_regions_of(struct dp_target *t, int nr_subs, unsigned long align,
			 unsigned int max_nr_accesses)
{
	struct dp_region *r, *next;

	dp_for_each_region_safe(r, next, t) {
		unsigned long sz = dp_sz_region(r);
		int i;

		if (dp_split_rests(r, max_nr_accesses))
			continue;

		for (i = 0; i < nr_subs - 1 && sz > 2 * align; i++) {
			unsigned long sz_left;

			sz_left = dp_aligned_split(r, (get_random_u32_below(9) + 1) *
						   sz / 10, align);
			if (!sz_left)
				continue;
			dp_split_region_at(t, r, sz_left);
			sz = sz_left;
		}
	}
}

/* Merge @r into its left neighbour @l, weighting history by size. */
static void dp_merge_two_regions(struct dp_target *t, struct dp_region *l,
				 struct dp_region *r)
{
	unsigned long sz_l = dp_sz_region(l), sz_r = dp_sz_region(r);
	int i;

	l->nr_accesses = (l->nr_accesses * sz_l + r->nr_accesses * sz_r) /
		(sz_l + sz_r);
	l->nr_accesses_bp = l->nr_accesses * DP_BP;
	l->age = (l->age * sz_l + r->age * sz_r) / (sz_l + sz_r);
	l->idle_aggrs = min(l->idle_aggrs, r->idle_aggrs);
	for (i = 0; i < DP_MAX_PROBES; i++) {
		l->probe_hits[i] = (l->probe_hits[i] * sz_l +
				    r->probe_hits[i] * sz_r) / (sz_l + sz_r);
		l->last_probe_hits[i] = (l->last_probe_hits[i] * sz_l +
					 r->last_probe_hits[i] * sz_r) /
			(sz_l + sz_r);
	}
	l->ar.end = r->ar.end;
	dp_destroy_region(r, t);
}

static unsigned int dp_score_diff(unsigned int a, unsigned int b)
{
	return a > b ? a - b : b - a;
}

/**
 * dp_counts_alike() - whether two regions' access counts tell the same
 * access rate, as far as @nr_samples samples each can tell.
 * @a:		one count.
 * @b:		the other.
 * @nr_samples:	the samples behind each (0: a count is no binomial draw).
 *
 * For counts that differ by more than upstream's threshold, which the
 * caller tries first (dp_mergeable()).
 *
 * A count is a binomial draw: two regions that the process accesses at one
 * rate p differ by about sqrt(2 n p (1 - p)) counts, 3 of 20 at p = 0.5,
 * where upstream's threshold (a tenth of the highest count) is 2.  So
 * under upstream's rule a hot area stays cut into as many regions as
 * max_nr_regions allows, each costing an access check per sample, on no
 * difference at all.  Here counts are alike unless they differ by more
 * than one standard deviation of their difference, estimated from the
 * counts themselves, and only where both are at least a quarter of the
 * samples.  Below that, one aggregation's test cannot tell apart rates
 * that differ twofold (2 and 4 of 20 are within a deviation): memory of
 * graded hotness (a few hot parts, a long tail of ever colder ones) reads
 * 1 to 4 of 20 under the default intervals, and merging there flattened
 * it into a map far coarser than upstream's, which a merge by upstream's
 * threshold alone keeps (Documentation/benchmarks-graded.md).  Where the
 * counts are higher, a deviation is a smaller share of them (10 and 15
 * stay apart), and a uniformly hot area still merges into a few regions.
 * Never so for a count of none and one of some: a region of no access is
 * what "cold" means to schemes and readers.
 */
static bool dp_counts_alike(unsigned int a, unsigned int b,
			    unsigned int nr_samples)
{
	u64 d = dp_score_diff(a, b), n = nr_samples, var;

	/* Beyond 65535 samples, d * d * n could overflow. */
	if (!n || n > U16_MAX)
		return false;
	if ((u64)a * 4 < n || (u64)b * 4 < n)
		return false;
	a = min_t(u64, a, n);
	b = min_t(u64, b, n);
	var = (u64)a * (n - a) + (u64)b * (n - b);
	/* d^2 <= var / n */
	return d * d * n <= var;
}

/*
 * Whether @r (of score @score) merges into its left neighbour @l, by
 * @rule (dp_merge_regions_of()).  Two rules keep what sets regions apart
 * from being undone by the merge that follows every split:
 * - across a hole, only regions of no access in DP_IDLE_AGGRS aggregations
 *   in a row: a region cut at a hole because one side has accesses stays
 *   cut, so that the next cut halves it again, until a hot mapping is a
 *   region of its own; and a region that holds a hot mapping among many
 *   cold ones, whose few samples in it may see no access in an
 *   aggregation or two, does not merge into the cold expanse, where the
 *   next access would count the whole expanse as hot.  The pieces of a
 *   region that has long been idle inherit its idle count, and merge back
 *   at once;
 * - neighbours alike by sampling noise alone (dp_counts_alike() beyond
 *   @rule->thres) merge into no more than a quarter of @rule->sz_limit: a
 *   hot area stays in several regions, so that one whose sampled pages
 *   happened to show no access in an aggregation is a small part of it.
 */
static bool dp_mergeable(const struct dp_region *l, const struct dp_region *r,
			 unsigned int score, const struct dp_merge_rule *rule)
{
	unsigned int l_score = dp_region_score(l, false, rule->weights);
	unsigned long sz = r->ar.end - l->ar.start;

	if (l->ar.end != r->ar.start &&
	    (!rule->span_holes || l_score || score ||
	     l->idle_aggrs < DP_IDLE_AGGRS || r->idle_aggrs < DP_IDLE_AGGRS))
		return false;
	if (sz > rule->sz_limit)
		return false;
	if (dp_score_diff(l_score, score) <= rule->thres)
		return true;
	return sz <= rule->sz_limit / 4 &&
		dp_counts_alike(l_score, score, rule->nr_samples);
}

/**
 * dp_merge_regions_of() - merge neighbours of @t that are accessed alike.
 * @t:		the target.
 * @rule:	when neighbours merge (&struct dp_merge_rule).
 *
 * Otherwise only adjacent regions merge: a gap in the address space stays
 * a gap.
 */
void dp_merge_regions_of(struct dp_target *t, const struct dp_merge_rule *rule)
{
	struct dp_region *r, *next, *prev = NULL;
	unsigned int score;

	dp_for_each_region_safe(r, next, t) {
		score = dp_region_score(r, false, rule->weights);
		if (rule->count_age) {
			if (dp_score_diff(score,
					  dp_region_score(r, true,
							  rule->weights)) >
			    rule->thres)
				r->age = 0;
			else
				r->age++;
			r->idle_aggrs = score ? 0 :
				min(r->idle_aggrs + 1, DP_IDLE_AGGRS);
		}
		if (prev && dp_mergeable(prev, r, score, rule))
			dp_merge_two_regions(t, prev, r);
		else
			prev = r;
	}
}

/**
 * dp_max_nr_accesses() - the highest nr_accesses an aggregation can give.
 * @attrs:	the monitoring attributes.
 */
unsigned int dp_max_nr_accesses(const struct dp_attrs *attrs)
{
	return attrs->aggr_interval /
		(attrs->sample_interval ? attrs->sample_interval : 1);
}

/**
 * dp_update_region_access_rate() - account one access check of @r.
 * @r:		the region.
 * @accessed:	whether the check saw an access.
 * @attrs:	the monitoring attributes.
 *
 * Besides counting @nr_accesses, keeps @nr_accesses_bp a pseudo moving sum
 * over one aggregation interval's worth of samples: each sample removes the
 * average share of the last complete interval and adds its own, so the value
 * is meaningful in the middle of an interval too.
 */
void dp_update_region_access_rate(struct dp_region *r, bool accessed,
				  const struct dp_attrs *attrs)
{
	unsigned int window = 1;

	if (attrs->sample_interval)
		window = max(dp_max_nr_accesses(attrs), 1U);
	/* The estimate may lag behind a merge or a retune: never wrap. */
	r->nr_accesses_bp -= min(r->nr_accesses_bp,
				 r->last_nr_accesses * DP_BP / window);
	if (accessed)
		r->nr_accesses_bp += DP_BP;
	if (accessed)
		r->nr_accesses++;
}

/*
 * Whether one check of @r in DP_STEADY_SAMPLE_EVERY tells as much as one
 * at every sampling interval: it has seen no access for DP_IDLE_AGGRS
 * aggregations, or an access at nearly every sample (nine tenths) with its
 * count settled for DP_STABLE_AGE (the regions that rest from splits,
 * dp_split_rests()).  A count near none or near all is a binomial draw of
 * almost no variance.
 */
static bool dp_region_steady(const struct dp_region *r,
			     const struct dp_attrs *attrs)
{
	unsigned int max_nr = dp_max_nr_accesses(attrs);

	if (r->idle_aggrs >= DP_IDLE_AGGRS)
		return true;
	return max_nr > 1 && r->age >= DP_STABLE_AGE &&
		r->last_nr_accesses * 10 >= max_nr * 9;
}

/**
 * dp_region_sampled() - whether the access of @r is checked in the
 * sampling interval that ends when @sis intervals have passed.
 * @r:		the region.
 * @sis:	the context's passed_sample_intervals at the check (one more
 *		than at the preparation of the same check).
 * @attrs:	the monitoring attributes.
 *
 * Every region is, but a steady one (no access for DP_IDLE_AGGRS
 * aggregations, or an access at nearly every sample for DP_STABLE_AGE),
 * which is checked at one interval in DP_STEADY_SAMPLE_EVERY, and
 * dp_account_check() counts that check for all of them.  Cold memory is
 * most of the regions of a sparse or mostly idle address space, and
 * memory accessed all the time most of the rest of a sparse one (its hot
 * mappings, each a region of its own); checking them at every interval
 * spent most of the kdamond's time on learning nothing.  A change is seen
 * DP_STEADY_SAMPLE_EVERY intervals late at most, and from the next
 * aggregation on, the region is checked at every interval again.  The
 * intervals of the regions are staggered by their address, so that the
 * checks do not come in bursts.  A region's count stays an estimate of
 * the samples that saw an access in its aggregation, as DAMON's contract
 * has it: of fewer samples.
 *
 * Return: whether @r is prepared and checked in that interval.
 */
bool dp_region_sampled(const struct dp_region *r, unsigned long sis,
		       const struct dp_attrs *attrs)
{
	if (!dp_region_steady(r, attrs))
		return true;
	return !((sis + (r->ar.start >> PAGE_SHIFT)) % DP_STEADY_SAMPLE_EVERY);
}

/**
 * dp_region_primes() - whether the check of @r makes a new sample old at
 * once, so that its next check looks at every interval up to it.
 * @r:		the region, just checked.
 *
 * An idle region is: checked at one interval in DP_STEADY_SAMPLE_EVERY,
 * its sample made old just before, it saw the accesses of one interval
 * in that many, and a check that saw one stood for that many samples that
 * all had.  Memory of graded hotness has a long tail of regions that see
 * an access in an aggregation now and then (idle for DP_IDLE_AGGRS by
 * chance, not cold): read so, their counts came in steps of
 * DP_STEADY_SAMPLE_EVERY, four times the variance of a check at every
 * interval, and the tail of the heat map ranked by noise.  A check over
 * all the intervals sees an access in any of them, which for a region
 * accessed that rarely is about the expected count of as many checks, at
 * the cost of one check; truly cold memory reads 0 either way.
 */
bool dp_region_primes(const struct dp_region *r)
{
	return r->idle_aggrs >= DP_IDLE_AGGRS;
}

/**
 * dp_region_priming() - whether the sample of @r was made old by its last
 * check for its next one (dp_region_primes()), and nothing has broken
 * that window since.
 * @r:		the region.
 * @from_sis:	&dp_ctx.primes_from_sis, as for dp_region_primed().
 */
bool dp_region_priming(const struct dp_region *r, unsigned long from_sis)
{
	return dp_region_primes(r) && r->primed_sis &&
		r->primed_sis >= from_sis;
}

/**
 * dp_region_primed() - whether the check of @r at interval @sis looks at
 * the page its last check made old (dp_region_primes()).
 * @r:		the region, sampled at @sis (dp_region_sampled()).
 * @sis:	the interval of the check.
 * @from_sis:	&dp_ctx.primes_from_sis: a prime before it had its window
 *		broken by a pause or a dropped sample.
 *
 * Then the preparation leaves @r alone: its window runs on.  A region that
 * woke up since is prepared and checked at every interval again, and a
 * region whose start moved (a merge, a split, a cut) has its checks at
 * other intervals: prepared afresh.
 */
bool dp_region_primed(const struct dp_region *r, unsigned long sis,
		      unsigned long from_sis)
{
	return dp_region_priming(r, from_sis) &&
		r->primed_sis + DP_STEADY_SAMPLE_EVERY == sis;
}

/**
 * dp_account_check() - account the access check of @r at an interval
 * dp_region_sampled() chose.
 * @r:		the region.
 * @accessed:	whether the check saw an access.
 * @primed:	the check looked at every interval since the last one
 *		(dp_region_primed()).
 * @attrs:	the monitoring attributes.
 *
 * A steady region's check stands for DP_STEADY_SAMPLE_EVERY samples; its
 * counts then never exceed what an aggregation can give.  A primed check
 * that saw an access counts one of them as accessed: at most one access in
 * that many intervals is what kept the region idle.
 */
void dp_account_check(struct dp_region *r, bool accessed, bool primed,
		      const struct dp_attrs *attrs)
{
	unsigned int i, max_nr;

	if (!dp_region_steady(r, attrs)) {
		dp_update_region_access_rate(r, accessed, attrs);
		return;
	}
	for (i = 0; i < DP_STEADY_SAMPLE_EVERY; i++)
		dp_update_region_access_rate(r, accessed && (!primed || !i),
					     attrs);
	max_nr = max(dp_max_nr_accesses(attrs), 1U);
	r->nr_accesses = min(r->nr_accesses, max_nr);
	r->nr_accesses_bp = min(r->nr_accesses_bp, max_nr * DP_BP);
}

/**
 * dp_region_score() - what regions are merged and aged on.
 * @r:		the region.
 * @last:	of the last complete aggregation interval, else of this one.
 * @weights:	the probes' weights in attributes-only monitoring, else NULL.
 *
 * Return: nr_accesses, or the weighted sum of the probe hits.
 */
unsigned int dp_region_score(const struct dp_region *r, bool last,
			     const unsigned int *weights)
{
	const unsigned char *hits = last ? r->last_probe_hits : r->probe_hits;
	unsigned int sum = 0;
	int i;

	if (!weights)
		return last ? r->last_nr_accesses : r->nr_accesses;
	for (i = 0; i < DP_MAX_PROBES; i++)
		sum += hits[i] * weights[i];
	return sum;
}

/* Probe hits count samples, as nr_accesses do: scaled alike, saturated. */
static void dp_rescale_probe_hits(struct dp_region *r, unsigned int old_max,
				  unsigned int new_max)
{
	int i;

	for (i = 0; i < DP_MAX_PROBES; i++) {
		r->probe_hits[i] = min_t(u64, (u64)r->probe_hits[i] * new_max /
					 old_max, U8_MAX);
		r->last_probe_hits[i] = min_t(u64, (u64)r->last_probe_hits[i] *
					      new_max / old_max, U8_MAX);
	}
}

/**
 * dp_rescale_results() - convert @ctx's nr_accesses and ages, counted in
 * the intervals of @old, to those of @new.
 * @ctx:	the context.
 * @old:	the attributes the results were counted with.
 * @new:	the attributes they will be counted with.
 */
void dp_rescale_results(struct dp_ctx *ctx, const struct dp_attrs *old,
			const struct dp_attrs *new)
{
	unsigned int old_max = dp_max_nr_accesses(old);
	unsigned int new_max = dp_max_nr_accesses(new);
	struct dp_target *t;
	struct dp_region *r;

	/* As upstream, an interval of 0 has no meaningful conversion. */
	if (!old->sample_interval || !old->aggr_interval ||
	    !new->sample_interval || !new->aggr_interval || !old_max)
		return;
	dp_for_each_target(t, ctx)
		dp_for_each_region(r, t) {
			dp_rescale_probe_hits(r, old_max, new_max);
			r->nr_accesses = r->nr_accesses * new_max / old_max;
			r->last_nr_accesses = r->last_nr_accesses * new_max /
				old_max;
			r->nr_accesses_bp = (u64)r->nr_accesses_bp * new_max /
				old_max;
			r->age = (u64)r->age * old->aggr_interval /
				new->aggr_interval;
		}
}

#ifdef DAMON_PAUSE_KUNIT
#include "regions-kunit.h"
#endif

# SPDX-License-Identifier: GPL-2.0
# The SKIPs a run may have, per guest (sourced by tests/check.sh): a SKIP
# never counts as a pass, but one that nobody expected is a check that
# stopped judging (a setup that broke, a calibration that read nothing, a
# figure that a stock guest should reach), so summary fails
# host:check:skips-expected on any SKIP outside this list, naming it; a
# listed check that passed this time is said (INFO), so that the list can
# shrink.
#
# One entry a line, "GUEST:SCENARIO:CHECK  why"; GUEST and CHECK may hold
# a shell glob (arm64-*, hot-90pct-*), never a whole scenario.  The list is
# one single-quoted string: no apostrophe in a reason (`make style` runs
# bash -n on every script, and tests/check.sh stops if this file fails).
DP_EXPECTED_SKIPS='
debug:monitor:resume-median-within-1000us	a figure of speed, judged on the stock guests (dp_check_timed)
debug:race:race-no-op-over-5000ms	a figure of speed (dp_check_timed)
debug:race:race-rmmod-within-5000ms	a figure of speed (dp_check_timed)
debug:race:race-did-*	an operation a second there: each kind under the race may meet only refusals; the quiet round after it is judged
debug:kunit:damon_pause_ops_vaddr.dp_test_va_collapse_not_access	khugepaged came first, or the kernel makes no huge page of the frame
debug:kunit:damon_pause_schemes.dp_test_node_memcg_bp	the debug kernel has no memory cgroups
arm64-*:monitor:resume-median-within-1000us	figures reported, not judged, on emulated arm64 (dp_figures=report)
arm64-*:schemes:tried-precision-0.9	figures reported on arm64
arm64-*:schemes:tried-recall-0.9	figures reported on arm64
arm64-*:schemes:wss-within-20pct	figures reported on arm64
arm64-*:schemes:trace-hot-accessed	figures reported on arm64
arm64-*:schemes:paused-updates-answer-at-once	figures reported on arm64
arm64-*:schemes:quota-hottest-first	figures reported on arm64
arm64-*:schemes:collapse-hot-90pct	figures reported on arm64
arm64-*:schemes:quota-within-10pct	figures reported on arm64
stock-6.12-numa:paddr:kernel-*	the in-kernel DAMON as calibration, run where ours failed: its misses are reported, not judged
stock-6.12:selftests:sysfs_update_schemes_tried_regions_wss_estimation.py	the estimate of upstream (the test) misses its percentile under emulation, on both trees at the same check
stock-7.3:selftests:sysfs.py	needs drgn, which the guest has not: fails on both trees at the same check
stock-7.3:selftests:sysfs_no_op_commit_break.py	needs drgn: fails on both trees at the same check
stock-7.3:selftests:sysfs_update_schemes_tried_regions_wss_estimation.py	the estimate of upstream (the test) misses its percentile under emulation, on both trees at the same check
stock-7.3:selftests:damos_apply_interval.py	no scheme tried in its time under emulation, on both trees at the same check
host:package:setup	not run as root
stock-*:graded:graded-ours-spearman-at-least-0.1	only where the in-kernel DAMON ranked nothing either (a loaded host)
stock-*:damo:kern-*	the in-kernel DAMON as the calibration of damo: its misses are reported, not judged (damo 3.4.1 on the tree of 6.12, which has no collapse)
'

# skips_expected: the check above, over the tally (tests/check.sh); an
# entry none of whose checks skipped and some passed is said, once.
skips_expected() {
	local name glob new="" gone="" ns np

	for name in $(sed -n 's/^skip //p' "$tally"); do
		skip_listed "$name" || new+=" $name"
	done
	while read -r glob _; do
		[ -n "$glob" ] || continue
		ns=0 np=0
		for name in $(sed -n 's/^skip //p' "$tally"); do
			# shellcheck disable=SC2053
			[[ $name == $glob ]] && ns=$((ns + 1))
		done
		for name in $(sed -n 's/^pass //p' "$tally"); do
			# shellcheck disable=SC2053
			[[ $name == $glob ]] && np=$((np + 1))
		done
		[ $ns -gt 0 ] || [ $np -eq 0 ] || gone+=" $glob ($np passed)"
	done <<< "$DP_EXPECTED_SKIPS"
	[ -z "$gone" ] ||
		echo "INFO expected to skip, passed this time:$gone"
	if [ -z "$new" ]; then
		pass host:check:skips-expected
	else
		fail host:check:skips-expected "not in tests/expected-skips.sh:$new"
	fi
}

# skip_listed NAME: whether NAME is an expected SKIP.
skip_listed() {
	local glob
	while read -r glob _; do
		[ -n "$glob" ] || continue
		# shellcheck disable=SC2053
		[[ $1 == $glob ]] && return 0
	done <<< "$DP_EXPECTED_SKIPS"
	return 1
}

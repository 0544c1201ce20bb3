# SPDX-License-Identifier: GPL-2.0
# guests: debug
# order: 10
# quick: debug
# Where: our debug kernel (KUnit built in), where KASAN, lockdep
# and kmemleak watch the suites too.
#
# Load the KUnit build of the module; its suites run at load (those that
# kunit.filter_glob= on the kernel command line lets through: make check's
# DP_KUNIT; KUnit filters a module's suites too since 6.6). Each suite's
# KTAP report is copied from debugfs to the results port for the host to
# parse and count (a filter that matched nothing fails there).

glob=$(cat /sys/module/kunit/parameters/filter_glob 2>/dev/null)
[ "$glob" = "*" ] || dp_info "kunit: filter_glob $glob"
if ! insmod "$DP_MODULE"; then
	dp_fail load "insmod failed"
	return 0
fi
for dir in /sys/kernel/debug/kunit/damon_pause*; do
	[ -f "$dir/results" ] || continue
	echo "KTAP-BEGIN ${dir##*/}" > "$DP_RESULTS"
	cat "$dir/results" > "$DP_RESULTS"
	echo "KTAP-END ${dir##*/}" > "$DP_RESULTS"
done
rmmod damon_pause || dp_fail unload "rmmod failed"

# SPDX-License-Identifier: GPL-2.0
# Load the KUnit build of the module; its suites run at load. Each suite's
# KTAP report is copied from debugfs to the results port for the host to
# parse and count.

if ! insmod "$DP_MODULE"; then
	dp_fail kunit-load "insmod failed"
	return 0
fi
for dir in /sys/kernel/debug/kunit/damon_pause*; do
	[ -f "$dir/results" ] || continue
	echo "KTAP-BEGIN ${dir##*/}" > "$DP_RESULTS"
	cat "$dir/results" > "$DP_RESULTS"
	echo "KTAP-END ${dir##*/}" > "$DP_RESULTS"
done
rmmod damon_pause || dp_fail kunit-unload "rmmod failed"

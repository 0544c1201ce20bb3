# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.1 stock-6.12 stock-7.3 arm64-6.1
# order: 90
# quick: stock-6.12
# Where: each family: 6.1, which has no DAMON tree of its own
# (x86_64 and arm64), takes upstream's names; 6.12 and 7.3 refuse them.
#
# Upstream's names (the upstream_names parameter, src/upstream-names.c):
# - our three events (damon_aggregated, damos_before_apply,
#   damon_monitor_intervals_tune) exist under damon_pause on every kernel,
#   with upstream's fields, and fire with what the monitor sees: the
#   aggregated regions rank a workload's hot area above its cold one, a stat scheme's
#   regions before it applies, the tuned sampling interval;
# - where the kernel has no DAMON sysfs tree (its build configuration says,
#   dp_kconfig DAMON_SYSFS): by default, /sys/kernel/mm/damon/admin is our
#   tree and the same events exist under damon, with the same formats,
#   firing with ours; both go with the module; upstream_names=N takes
#   neither, Y the same as auto;
# - where the kernel has one: by default its tree and its events stay as
#   they are, and Y fails the load, saying why;
# - any other value fails the load.

T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
[ -d $T/events ] || dp_abort "no tracefs"
EVENTS="damon_aggregated damos_before_apply damon_monitor_intervals_tune"
MM=/sys/kernel/mm

# fields SYSTEM EVENT: the event's own fields, "type name" each, one line.
fields() {
	sed -n 's/^[[:space:]]*field:\([^;]*\);.*/\1/p' "$T/events/$1/$2/format" |
		grep -v ' common_' | paste -sd, -
}
# format SYSTEM EVENT: its format less its name and id.
format() { grep -v -e '^name:' -e '^ID:' "$T/events/$1/$2/format"; }

want_fields_damon_aggregated='unsigned long target_id,unsigned int nr_regions,unsigned long start,unsigned long end,unsigned int nr_accesses,unsigned int age'
want_fields_damos_before_apply='unsigned int context_idx,unsigned int scheme_idx,unsigned long target_idx,unsigned long start,unsigned long end,unsigned int nr_accesses,unsigned int age,unsigned int nr_regions'
want_fields_damon_monitor_intervals_tune='unsigned long sample_us'

# record SYSTEM EVENT SECONDS: the trace of that event alone for SECONDS.
record() {
	echo 0 > $T/tracing_on
	echo > $T/trace
	echo 1 > "$T/events/$1/$2/enable"
	echo 1 > $T/tracing_on
	dp_sleep "$3"
	echo 0 > "$T/events/$1/$2/enable"
	grep -F " $2: " $T/trace
}

# hot_seen: the damon_aggregated records (on stdin) rank the workload's
# hot area above its cold one: the highest count of a region inside the
# hot area is above the highest inside the cold area.
hot_seen() {
	awk -v hs="$hot_start" -v he="$hot_end" -v cs="$cold_start" \
		-v ce="$cold_end" '
	{
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+-[0-9]+:$/) break
		split(substr($i, 1, length($i) - 1), r, "-")
		n = $(i + 1) + 0
		if (r[1] + 0 >= hs && r[2] + 0 <= he && n > hot) hot = n
		if (r[1] + 0 >= cs && r[2] + 0 <= ce && n > cold) cold = n
		seen++
	}
	END { exit !(seen && hot > cold) }'
}

# events_fire SYSTEM: each event of SYSTEM fires with what the monitor sees
# (a kdamond on the workload, with a stat scheme and intervals tuning).
events_fire() {
	local out
	out=$(record "$1" damon_aggregated 2)
	echo "$out" | hot_seen
	dp_check "$1-aggregated-hot" test $? = 0 ||
		dp_info "$1 damon_aggregated: $(echo "$out" | head -n 3)"
	out=$(record "$1" damos_before_apply 2)
	echo "$out" | grep -q 'damos_before_apply: ctx_idx=0 scheme_idx=0 target_idx=0 nr_regions=[1-9][0-9]* [0-9]*-[0-9]*: [0-9]* [0-9]*$'
	dp_check "$1-before_apply" test $? = 0 ||
		dp_info "$1 damos_before_apply: $(echo "$out" | head -n 3)"
	out=$(record "$1" damon_monitor_intervals_tune 2)
	echo "$out" | grep -q 'damon_monitor_intervals_tune: sample_us=[1-9][0-9]*$'
	dp_check "$1-intervals_tune" test $? = 0 ||
		dp_info "$1 intervals_tune: $(echo "$out" | head -n 3)"
}

# start_kdamond: kdamond 0 on the workload, its stat scheme on every
# region, the intervals tuned after every aggregation (sampling between
# 1 ms and 10 ms: the workload's accesses, few of which an emulated TLB
# lets the accessed bits see, are below the goal, and the tuning grows the
# intervals to the most it may; at 100 ms, an aggregation of 2 s, the
# events of one aggregation came now and then after the 2 s a record
# lasts, and a CI run read none).
start_kdamond() {
	local C=$DP_ADMIN/kdamonds/0/contexts/0 f
	dp_set $DP_ADMIN/kdamonds/nr_kdamonds 1
	dp_kdamond_setup $DP_ADMIN/kdamonds/0 $hc_pid
	dp_set $C/monitoring_attrs/intervals/sample_us 5000
	dp_set $C/monitoring_attrs/intervals/aggr_us 100000
	dp_set $C/schemes/nr_schemes 1
	dp_set $C/schemes/0/action stat
	for f in sz nr_accesses age; do
		dp_set $C/schemes/0/access_pattern/$f/max 18446744073709551615
	done
	G=$C/monitoring_attrs/intervals/intervals_goal
	dp_set $G/access_bp 400
	dp_set $G/aggrs 1
	dp_set $G/min_sample_us 1000
	dp_set $G/max_sample_us 10000
	dp_set $DP_ADMIN/kdamonds/0/state on
}

upstream_before=$(ls $T/events/damon 2>/dev/null | paste -sd, -)
kernel_tree=N
dp_kconfig DAMON_SYSFS && kernel_tree=Y

dmesg -c > /dev/null
dp_must insmod "$DP_MODULE"
for e in $EVENTS; do
	eval want=\$want_fields_$e
	dp_expect_eq "damon_pause-$e-fields" "$(fields damon_pause $e)" "$want"
done
if [ $kernel_tree = N ]; then
	dp_check link test "$(readlink $MM/damon)" = damon_pause
	dp_expect_eq link-is-our-tree \
		"$(stat -L -c %i $MM/damon/admin/kdamonds)" \
		"$(stat -c %i $DP_ADMIN/kdamonds)"
	for e in $EVENTS; do
		dp_expect_eq "damon-$e-format" "$(format damon $e)" \
			"$(format damon_pause $e)"
		eval want=\$want_fields_$e
		dp_expect_eq "damon-$e-fields" "$(fields damon $e)" "$want"
	done
	dp_check banner sh -c "dmesg | grep -q 'damon_pause: also at /sys/kernel/mm/damon/admin'"
else
	dp_check kernel-tree-stays test -d $MM/damon -a ! -L $MM/damon
	dp_expect_eq kernel-events-stay \
		"$(ls $T/events/damon | paste -sd, -)" "$upstream_before"
fi

dp_hotcold 16 64
start_kdamond
events_fire damon_pause
[ $kernel_tree = N ] && events_fire damon
dp_set $DP_ADMIN/kdamonds/0/state off
kill $hc_pid
wait $hc_pid 2>/dev/null

dp_check unload rmmod damon_pause
if [ $kernel_tree = N ]; then
	dp_check link-gone test ! -e $MM/damon -a ! -L $MM/damon
	dp_check events-gone test ! -e $T/events/damon
	dmesg -c > /dev/null
	dp_check N-load insmod "$DP_MODULE" upstream_names=N
	dp_expect_eq N-reads "$(cat $DP_PARAMS/upstream_names)" N
	dp_check N-no-link test ! -e $MM/damon -a ! -L $MM/damon
	# The events go through the registry's lock, a data symbol: where
	# kallsyms lists none (arm64's 6.1), they stay, and the log says so.
	if dp_kconfig KALLSYMS_ALL; then
		dp_check N-no-events test ! -e $T/events/damon
	else
		dp_check N-events-stay-said sh -c \
			"dmesg | grep -q 'upstream_names=N: the damon:\* events stay'"
	fi
	dp_check N-own-events test -e $T/events/damon_pause/damon_aggregated
	rmmod damon_pause
	dp_check Y-load insmod "$DP_MODULE" upstream_names=Y
	dp_expect_eq Y-reads "$(cat $DP_PARAMS/upstream_names)" Y
	dp_check Y-link test -d $MM/damon/admin/kdamonds
	dp_check Y-events test -e $T/events/damon/damos_before_apply
	rmmod damon_pause
else
	dmesg -c > /dev/null
	dp_check Y-refused sh -c "! insmod $DP_MODULE upstream_names=Y 2>/dev/null"
	dp_check Y-says-why sh -c "dmesg | grep -q 'upstream_names=Y: .* the kernel'"
	dp_check Y-refused-unloaded test ! -e /sys/module/damon_pause
	dp_check kernel-tree-after test -d $MM/damon/admin -a ! -L $MM/damon
fi
dp_check bad-value-refused sh -c "! insmod $DP_MODULE upstream_names=maybe 2>/dev/null"
dp_check bad-value-unloaded test ! -e /sys/module/damon_pause

# SPDX-License-Identifier: GPL-2.0
# guests: stock-7.3 arm64-6.12
# order: 180
# Where: beside an in-kernel DAMON with a pause of its own (7.3)
# and the arm64 one (6.12).
#
# Ours beside the in-kernel DAMON of the same guest, both monitoring the
# same workload, both paused at once with their own `pause` (Linux 7.2 and
# later have one: contexts/N/pause, applied by `commit`), then resumed; our
# unload while the in-kernel kdamond runs. Where the in-kernel tree has no
# pause (6.x), the in-kernel context runs on beside ours, and that is all
# it is asked. damon_stat (Debian's 7.x starts it at boot) runs its
# kdamond as an exclusive context, which makes the in-kernel tree's `on`
# EBUSY: ours starts beside it, it is stopped for the in-kernel tree's
# part, and started again beside ours before our unload.
#
# The figures: each kdamond's CPU (us/s, from
# /proc/PID/schedstat's run time) and timeslices (its wakeups, the third
# field) over the same windows, running and paused at sample_us 5000 and
# 0; and the state each keeps across the pause, read the same way from
# both trees: the oldest tried region's age (a stat scheme's tried
# regions) before the pause and after the resume, which a kept state
# continues and a restart sets back to 0.
# Checks: both run at once; ours finds the hot set as well as the
# in-kernel DAMON (precision and recall from the tried regions, read the
# same way from both trees at the same moment, neither more than 0.05
# below the in-kernel one's, which must have read the hot set; and at
# least 0.5 whatever the in-kernel one read); ours paused takes no CPU
# tick and at most one wakeup a second (DESIGN §3), the in-kernel one only
# reads its pause back and stays alive (its figures are reported, not
# judged: it polls by design); both resume with their thread and ours with
# its regions' ages (at least 10 aggregations before the pause); neither
# unload nor off of one touches the other (nor damon_stat, where it runs).

UP=/sys/kernel/mm/damon/admin
OURS=$DP_ADMIN
# No in-kernel tree: nothing to coexist with, where the kernel has none;
# a failure where it was built with one (its configuration says so).
if [ ! -d $UP/kdamonds ]; then
	if dp_kconfig DAMON_SYSFS; then
		dp_fail coexist-in-kernel-tree "the kernel has DAMON_SYSFS, and no $UP/kdamonds"
	else
		dp_skip coexist "no in-kernel DAMON sysfs tree (a kernel without DAMON_SYSFS)"
	fi
	return 0
fi
[ -e /proc/self/schedstat ] || { dp_skip coexist "no schedstat to measure"; return 0; }
[ "$(cat $UP/kdamonds/nr_kdamonds)" = 0 ] ||
	dp_abort "the in-kernel tree already has kdamonds"
insmod "$DP_MODULE" || dp_abort "insmod failed"
dp_hotcold 32 32

STAT=$DP_DAMON_STAT
# stat_kdamond: damon_stat's kdamond (comm kdamond.N: the in-kernel tree's
# has none while it is empty), or nothing.
stat_kdamond() {
	local f p
	for f in /proc/[0-9]*/comm; do
		case "$(cat $f 2>/dev/null)" in
		kdamond.*) p=${f#/proc/}; echo ${p%/comm}; return ;;
		esac
	done
}
stat_running() { [ -n "$(stat_kdamond)" ]; }
stat_on=0
[ "$(cat $STAT 2>/dev/null)" = Y ] && stat_on=1

dp_stat_context $UP $hc_pid
dp_stat_context $OURS $hc_pid
KU=$UP/kdamonds/0
KO=$OURS/kdamonds/0
has_pause=0
[ -e $KU/contexts/0/pause ] && has_pause=1

dp_expect_write coexist-ours-on $KO/state on OK || dp_abort "our on refused"
ko=$(cat $KO/pid)
if [ $stat_on = 1 ]; then
	sk=$(stat_kdamond)
	dp_info "coexist: damon_stat runs, kdamond ${sk:-not found}"
	dp_check coexist-ours-beside-damon_stat test -n "$sk" -a -d "/proc/$ko"
	dp_set $STAT N
	dp_check coexist-damon_stat-stops dp_wait_for 5 test ! -d "/proc/$sk"
fi
dp_expect_write coexist-kern-on $KU/state on OK || dp_abort "in-kernel on refused"
ku=$(cat $KU/pid)
dp_check coexist-both-running test -d /proc/$ku -a -d /proc/$ko -a "$ku" != "$ko"

# usage SECONDS: the in-kernel then our kdamond's "CPU_us/s timeslices"
# over the same window (the timeslices in all, not per second).
usage() {
	local a0 b0 a1 b1 secs=$1
	a0=$(dp_schedstat $ku) b0=$(dp_schedstat $ko)
	sleep $secs
	a1=$(dp_schedstat $ku) b1=$(dp_schedstat $ko)
	set -- $a0 $b0 $a1 $b1
	echo "$((($7 - $1) / 1000 / secs)) $(($9 - $3))" \
		"$(((${10} - $4) / 1000 / secs)) $((${12} - $6))"
}
# tried ROOT: from one update of the stat scheme's tried regions, "AGE N P
# R": the oldest region's age, the number of regions, and the byte-weighted
# precision and recall of the regions read as accessed (nr_accesses of at
# least 1) against the workload's hot area (accessed bytes anywhere else
# count against precision; 0 for no region).
tried() {
	echo update_schemes_tried_regions > $1/kdamonds/0/state || { echo "- - - -"; return; }
	dp_tried $1/kdamonds/0/contexts/0/schemes/0 > /tmp/coexist.tried
	echo "$(awk '$4 > m { m = $4 } END { print m + 0 }' /tmp/coexist.tried)" \
		"$(dp_hot_figures "$hot_start $hot_end" < /tmp/coexist.tried |
		awk '{ print $3, $1 == "-" ? 0 : $1, $2 == "-" ? 0 : $2 }')"
}
# Trained a little (ages grow with each aggregation without change).
dp_sleep 3
set -- $(usage 5)
dp_info "coexist running (sample_us 5000): in-kernel $1 us CPU/s, $2 timeslices in 5 s; ours $3 us CPU/s, $4 timeslices in 5 s"
dp_check coexist-both-use-cpu test "$1" -gt 0 -a "$3" -gt 0
set -- $(tried $UP) $(tried $OURS)
age_k0=$1 age_o0=$5
dp_info "coexist before the pause: in-kernel: precision $3, recall $4, oldest tried region $1 aggregations ($2 regions);" \
	"ours: precision $7, recall $8, oldest $5 ($6 regions)"
# Ours finds the hot set as well as the in-kernel DAMON does, on the same
# workload at the same moment: neither figure more than 0.05 below. The
# comparison stands on the calibration: an in-kernel read of no region,
# or of no hot byte, would let ours read anything (0.05 below 0 is any
# figure); the in-kernel DAMON, running here, must have read the hot
# set (a failure: the calibration is broken, and the comparison is then
# a skip, said so). Ours also has a floor of its own, whatever the
# calibration: half of the hot set found, half of what it reads hot.
if [ "$2" != - ] && [ "$2" -gt 0 ] && awk -v kr=$4 'BEGIN { exit !(kr > 0) }'; then
	dp_pass coexist-kern-calibration-reads-hot
	dp_check coexist-ours-precision-recall-within-0.05 awk -v kp=$3 -v kr=$4 -v op=$7 -v or_=$8 \
		'BEGIN { exit !(op >= kp - 0.05 && or_ >= kr - 0.05) }'
else
	dp_fail coexist-kern-calibration-reads-hot "in-kernel tried regions: $2, recall $4"
	dp_skip coexist-ours-precision-recall-within-0.05 "no calibration: the in-kernel DAMON read nothing hot"
fi
dp_check coexist-ours-precision-recall-at-least-0.5 awk -v op=$7 -v or_=$8 \
	'BEGIN { exit !(op != "-" && op >= 0.5 && or_ >= 0.5) }'

set_pause() { # set_pause ROOT Y|N NAME
	dp_set $1/kdamonds/0/contexts/0/pause $2
	dp_expect_write "coexist-$3-pause-$2" $1/kdamonds/0/state commit OK
}
set_sample() { # set_sample ROOT US NAME
	dp_set $1/kdamonds/0/contexts/0/monitoring_attrs/intervals/sample_us $2
	dp_expect_write "coexist-$3-sample-$2" $1/kdamonds/0/state commit OK
}
[ $has_pause = 1 ] && set_pause $UP Y kern
set_pause $OURS Y ours
dp_expect_eq coexist-ours-paused-flag "$(awk '$1 == "K" { for (i = 2; i < NF; i++) if ($i == "paused") print $(i + 1) }' $DP_DUMP)" 1
[ $has_pause = 1 ] && dp_expect_eq coexist-kern-reads-pause "$(cat $KU/contexts/0/pause)" Y
for us in 5000 0; do
	if [ $us = 0 ]; then
		[ $has_pause = 1 ] && set_sample $UP 0 kern
		set_sample $OURS 0 ours
	fi
	t0=$(dp_cpu_ticks $ko)
	set -- $(usage 5)
	t1=$(dp_cpu_ticks $ko)
	dp_info "coexist paused (sample_us $us): in-kernel $1 us CPU/s, $2 timeslices in 5 s$([ $has_pause = 1 ] ||
		echo ' (no pause: running)'); ours $3 us CPU/s, $4 timeslices, $((t1 - t0)) ticks in 5 s"
	dp_check coexist-ours-paused-$us-no-cpu-ticks test $((t1 - t0)) -le 1
	dp_check coexist-ours-paused-$us-at-most-1-wakeup-per-s test "$4" -le 5
	dp_check coexist-kern-alive-while-paused-$us test -d /proc/$ku
done
[ $has_pause = 1 ] && set_sample $UP 5000 kern
set_sample $OURS 5000 ours
[ $has_pause = 1 ] && set_pause $UP N kern
set_pause $OURS N ours
dp_expect_eq coexist-both-resumed-same-threads "$(cat $KU/state) $(cat $KU/pid) $(cat $KO/state) $(cat $KO/pid)" \
	"on $ku on $ko"
set -- $(tried $UP) $(tried $OURS)
dp_info "coexist after the resume: oldest tried region in-kernel $1 aggregations ($2 regions), ours $5 ($6 regions)"
# Kept: as old after as before, and old enough before to prove a
# training (10 aggregations, 1 s unchanged; 0 after 0 proves nothing).
dp_check coexist-ours-kept-ages test "$age_o0" -ge 10 -a "$5" -ge "$age_o0"
[ $has_pause = 1 ] && dp_info "coexist: in-kernel ages $age_k0 before, $1 after (its pause keeps them: $([ "$1" -ge "$age_k0" ] && echo yes || echo no))"

# The in-kernel kdamond goes, damon_stat comes back beside ours; then ours
# goes (off, unload) with damon_stat running.
dp_expect_write coexist-kern-off $KU/state off OK
dp_expect_eq coexist-ours-after-kern-off "$(cat $KO/state) $(cat $KO/pid)" "on $ko"
echo 0 > $UP/kdamonds/nr_kdamonds
if [ $stat_on = 1 ]; then
	dp_set $STAT Y
	# Read at every try (an argument "$(...)" would be read once).
	dp_check coexist-damon_stat-back dp_wait_for 5 stat_running
	sk=$(stat_kdamond)
fi
dp_expect_write coexist-ours-off $KO/state off OK
kill $hc_pid
wait $hc_pid 2>/dev/null
dp_check coexist-unload rmmod damon_pause
[ $stat_on = 0 ] || dp_expect_eq coexist-damon_stat-after-unload "$(cat $STAT) $(stat_kdamond)" "Y $sk"

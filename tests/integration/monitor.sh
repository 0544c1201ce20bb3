# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.1 stock-6.12 stock-7.3 arm64-6.1 arm64-6.12 debug
# order: 40
# quick: stock-6.12
# Where: every kernel: the probes' and page walks' code differs
# between kernels (on arm64 the accessed-bit helpers are the headers'
# inlines); its figures of speed and quality are judged on the stock ones.
#
# Monitoring a process with a known working set (tests/workloads/hotcold.c:
# 256 MiB written at random, 512 MiB written once) through the admin tree,
# reading results from the debugfs dump (src/debugfs.c):
# - the regions converge: the hot area is told from the cold one;
# - pause freezes the complete trained state (every region's range,
#   nr_accesses, last_nr_accesses, age, and the interval clock) while the
#   workload runs on, and the paused kdamond uses no CPU, also at
#   sample_us 0;
# - resume restarts monitoring at once; off, unload and the process's exit
#   stop a paused kdamond.

K=$DP_ADMIN/kdamonds
KD=$K/0
C=$KD/contexts/0

dp_must insmod "$DP_MODULE"
dp_hotcold 256 512
dp_set $K/nr_kdamonds 1
dp_kdamond_setup $KD $hc_pid

# classify: byte-weighted precision and recall of "hot" (last_nr_accesses
# of at least 1) against the workload's hot area, and the mean
# last_nr_accesses of each area, from the dump.
classify() {
	dp_dump_regions | dp_hot_figures "$hot_start $hot_end" \
		"$cold_start $cold_end" | cut -d' ' -f1,2,4,5
}

converged() {
	set -- $(classify)
	dp_good $1 $2 0.9 0.9
}

field() { # field NAME: a value of the dump's K line
	awk -v k="$1" '$1 == "K" { for (i = 2; i < NF; i++) if ($i == k) print $(i + 1) }' $DP_DUMP
}

# Kernels without CONFIG_SCHED_INFO (our small KUnit and debug kernels)
# have no schedstat: there only the clock ticks are measured.
schedstat=1
[ -e /proc/self/schedstat ] || schedstat=0

# The windows of CPU use, seconds: 3 (5 before) tell a kdamond that
# sleeps from one that works on every guest, at 750 clock ticks each.
MW=3
window() { # window SECONDS: "ticks run_ns timeslices" used by the kdamond
	local t0 s0 t1 s1
	t0=$(dp_cpu_ticks $kpid); s0=$(dp_schedstat $kpid)
	sleep "$1"
	t1=$(dp_cpu_ticks $kpid); s1=$(dp_schedstat $kpid)
	set -- ${s0:-0 0 0} ${s1:-0 0 0}
	echo "$((t1 - t0)) $(($4 - $1)) $(($6 - $3))"
}

# schedstat_check NAME CMD...: dp_check where schedstat exists.
schedstat_check() {
	[ $schedstat = 1 ] || { dp_info "$1: no schedstat here, not checked"; return; }
	dp_check "$@"
}

dp_expect_write monitor-on "$KD/state" on OK || dp_abort "on refused"
dp_kdamond_pid $KD
start=$(cut -d' ' -f1 /proc/uptime)
if dp_wait_for 60 converged; then
	dp_pass converges
else
	dp_fail converges "precision recall hot_mean cold_mean: $(classify)"
fi
end=$(cut -d' ' -f1 /proc/uptime)
dp_info "converged in $(awk -v a=$start -v b=$end 'BEGIN { print b - a }') s;" \
	"precision recall hot_mean cold_mean: $(classify);" \
	"$(grep -c '^R' $DP_DUMP) regions"

set -- $(window $MW)
run_ticks=$1 run_ns=$2 run_slices=$3
dp_info "running: $run_ticks ticks, $((run_ns / MW / 1000)) us CPU/s," \
	"$((run_slices / MW)) timeslices/s; then precision recall hot_mean" \
	"cold_mean: $(classify), $(grep -c '^R' $DP_DUMP) regions"

# Trained, the idle cold area is merged into a few regions (each split in
# two or three since the last merge), not hundreds.  When the workload
# stops, the hot area's regions see their counts drop and restart their
# age: none of them is older than the aggregations since the stop.
set -- $(awk -v cs=$cold_start -v ce=$cold_end '$1 == "R" && $2 == 0 &&
	$4 >= cs && $5 <= ce { n++ } END { print n + 0 }' $DP_DUMP)
dp_info "trained: $1 regions inside the cold area"
dp_check trained-cold-merged test "$1" -le 100
kill -STOP $hc_pid
a0=$(field aggregations)
dp_sleep 2
set -- $(awk -v hs=$hot_start -v he=$hot_end '$1 == "K" && $2 == 0 { a = $10 }
	$1 == "R" && $2 == 0 && $4 < he && $5 > hs && (min == "" || $9 < min) { min = $9 }
	END { print a + 0, min + 0 }' $DP_DUMP)
kill -CONT $hc_pid
dp_info "workload stopped for $(($1 - a0)) aggregations (of $1): the youngest hot region is $2 old"
dp_check stopped-hot-age-restarts test "$(($1 - a0))" -ge 3 -a "$2" -le "$(($1 - a0))"

# Pause while the workload runs on: nothing of the state may change.
dp_set $C/pause Y
dp_expect_write pause-commit "$KD/state" commit OK || dp_abort "pause refused"
before=$(cat $DP_DUMP)
set -- $(window $MW)
after=$(cat $DP_DUMP)
dp_expect_eq paused-flag "$(field paused)" 1
# (Equal and holding regions: two failed reads would be equal too.)
if [ "$before" = "$after" ] && echo "$before" | grep -q '^R '; then
	dp_pass frozen-state
else
	dp_fail frozen-state "the dump changed while paused"
	echo "$before" > /tmp/before; echo "$after" > /tmp/after
	diff /tmp/before /tmp/after | head -n 20 > /dev/console
fi
dp_info "frozen over $MW s ($((MW * 10)) aggregation intervals): $(echo "$before" |
	grep -c '^R') regions, $(field aggregations) aggregations"
dp_info "paused (sample_us 5000): $1 ticks, $(($2 / MW / 1000)) us CPU/s, $3 timeslices in $MW s"
dp_check paused-no-cpu-ticks test "$1" -le 1
schedstat_check paused-cpu-below-1pct-of-running test $(($2 * 100)) -le $run_ns
schedstat_check paused-at-most-1-wakeup-per-s test "$3" -le $MW
dp_check kdamond-alive-while-paused test -d /proc/$kpid

# The same at sample_us 0, where upstream's paused loop spins.
dp_set $C/monitoring_attrs/intervals/sample_us 0
dp_expect_write commit-sample-0 "$KD/state" commit OK
set -- $(window $MW)
dp_info "paused (sample_us 0): $1 ticks, $(($2 / MW / 1000)) us CPU/s, $3 timeslices in $MW s"
dp_check paused-sample0-no-cpu-ticks test "$1" -le 1
schedstat_check paused-sample0-at-most-1-wakeup-per-s test "$3" -le $MW
dp_set $C/monitoring_attrs/intervals/sample_us 5000
dp_expect_write commit-sample-5000 "$KD/state" commit OK

# Resume: the first sampling interval starts right after the commit, and
# an aggregation follows within one aggregation interval.
sis=$(field sample_intervals)
aggrs=$(field aggregations)
dp_set $C/pause N
set -- $(dp-write -t $KD/state commit)
dp_expect_eq resume-commit "$1" OK
t0=$2
t1=$(cut -d' ' -f1 /proc/uptime)
aggregated() { [ "$(field aggregations)" -gt "$aggrs" ]; }
dp_wait_for 5 aggregated
t2=$(cut -d' ' -f1 /proc/uptime)
resumed=$(field last_resume_ns)
lat_us=$(((resumed - t0) / 1000))
dp_info "resume latency (write of commit to first sample): $lat_us us;" \
	"commit write took $((($3 - t0) / 1000)) us; next aggregation after" \
	"$(awk -v a=$t1 -v b=$t2 'BEGIN { print b - a }') s"
dp_check resume-first-sample-after-commit test "$resumed" -gt "$t0"
dp_check resume-sampling-continues test "$(field sample_intervals)" -gt "$sis"
dp_check resume-aggregates-within-an-interval test "$(field aggregations)" -gt "$aggrs"
dp_expect_eq resumed-flag "$(field paused)" 0
# The resumed kdamond goes on from the trained state, not from scratch:
# the oldest region is still about as old as before the pause (a merge
# may average it with a younger neighbour), not one aggregation.
max_age() { awk '$1 == "R" && $2 == 0 && $9 > m { m = $9 } END { print m + 0 }'; }
age0=$(echo "$after" | max_age)
age1=$(max_age < $DP_DUMP)
dp_info "oldest region: $age0 aggregations when paused, $age1 after the resume"
dp_check resume-keeps-trained-ages test "$age0" -ge 10 -a "$age1" -ge $((age0 / 2))

# The resume latency over seven resumes, the median judged: the woken
# kdamond may wait for a CPU that the scheduler leaves to the workload
# until its slice ends (EEVDF, 7.x: milliseconds under emulation), which
# no code of ours can shorten; a kdamond that polled would miss in most
# resumes, not in one.  (On the debug kernel the sysfs write alone takes
# milliseconds.)
resumed_after() { [ "$(field last_resume_ns)" -gt "$1" ]; }
lats=$lat_us
for i in 1 2 3 4 5 6; do
	dp_set $C/pause Y
	dp_set $KD/state commit
	sleep 0.2
	dp_set $C/pause N
	set -- $(dp-write -t $KD/state commit)
	[ "$1" = OK ] && dp_wait_for 2 resumed_after "$2" || break
	lats="$lats $((($(field last_resume_ns) - $2) / 1000))"
done
lat_us=$(printf '%s\n' $lats | sort -n | sed -n 4p)
dp_info "resume latencies (us): $lats; median ${lat_us:-none}"
dp_check_timed resume-median-within-1000us test "${lat_us:-1000000}" -le 1000

# off while paused.
dp_set $C/pause Y
dp_set $KD/state commit
dp_expect_eq paused-before-off "$(field paused)" 1
dp_expect_write off-while-paused "$KD/state" off OK
dp_expect_eq off-while-paused-state "$(cat $KD/state) $(cat $KD/pid)" "off -1"
dp_check off-while-paused-thread-gone dp_wait_for 5 test ! -e /proc/$kpid

# The process exits while its kdamond is paused (started paused).
dp_expect_write on-paused "$KD/state" on OK || dp_abort "on refused"
dp_kdamond_pid $KD
dp_expect_eq started-paused "$(field paused) $(field sample_intervals)" "1 0"
kill $hc_pid
wait $hc_pid 2>/dev/null
dp_check exit-while-paused-ends dp_wait_for 5 \
	sh -c "[ \"\$(cat $KD/state)\" = off ]"
dp_check exit-while-paused-thread-gone dp_wait_for 5 test ! -e /proc/$kpid

# A process that had exited before its kdamond started (a zombie given as
# target), reaped while the kdamond is paused: the kdamond ends too, as
# upstream's, though a reap wakes nothing before Linux 6.9 (issue 25,
# item 10).
dp-io zombie > /tmp/monitor.zombie &
zparent=$!
dp_wait_for 10 test -s /tmp/monitor.zombie
zpid=$(cat /tmp/monitor.zombie)
dp_kdamond_setup $KD $zpid
dp_set $C/pause Y
dp_expect_write on-zombie-paused "$KD/state" on OK || dp_abort "on refused for a zombie"
dp_kdamond_pid $KD
dp_sleep 1
dp_expect_eq zombie-paused-runs "$(cat $KD/state) $(field paused)" "on 1"
kill -USR1 $zparent
dp_check zombie-reaped-gone dp_wait_for 5 test ! -e /proc/$zpid
dp_check zombie-reaped-while-paused-ends dp_wait_for 5 \
	sh -c "[ \"\$(cat $KD/state)\" = off ]" ||
	dp_set $KD/state off
kill $zparent
wait $zparent 2>/dev/null

# Unload while running, then while paused: a live kdamond, in the mode
# asked, before the module goes; no thread after.
dp_hotcold 64 64
for mode in N Y; do
	dp_kdamond_setup $KD $hc_pid
	dp_set $C/pause $mode
	dp_set $KD/state on
	dp_kdamond_pid $KD
	sleep 1
	dp_expect_eq "unload-pause-$mode-before" "$(field paused)" \
		"$([ $mode = Y ] && echo 1 || echo 0)"
	dp_check "unload-pause-$mode" rmmod damon_pause
	dp_check "unload-pause-$mode-thread-gone" test ! -e /proc/$kpid
	[ $mode = Y ] || { dp_must insmod "$DP_MODULE"; dp_set $K/nr_kdamonds 1; }
done
kill $hc_pid
wait $hc_pid 2>/dev/null

# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.1 stock-6.12 stock-7.3
# order: 80
# Where: the stock x86_64 kernels, as schemes.sh; not on arm64, where
# what is the architecture's (collapsing, the huge pages' accessed bits)
# is schemes.sh's collapse, and its figures are only reported.
#
# The hugepage supervisor, driven by module parameters (DESIGN §2.2), on
# two hot/cold workloads with THP "never" (only our collapses make huge
# pages): the hot areas go to huge pages, the cold ones do not; then
# commit_inputs (keep, remove, add, a nonexistent pid, 100 pids), a process
# that exits, an idle (stopped) process paused and resumed, supervisor=N
# while collapsing, unload while it runs, and modprobe from /lib/modules.

P=$DP_PARAMS
THP=/sys/kernel/mm/transparent_hugepage/enabled
thp_before=$(sed 's/.*\[\(.*\)\].*/\1/' $THP)
dp_set $THP never

kdamond_of() { # kdamond_of PID: the pid of its supervisor kdamond, or empty
	local d
	for d in /proc/[0-9]*; do
		[ "$(cat $d/comm 2>/dev/null)" = "dp_hp.$1" ] && echo ${d#/proc/}
	done
}
# The status: "pid state threshold regions bytes" lines after a header.
status_of() { grep "^$1 " $P/status; }
field_of() { # field_of PID COLUMN
	status_of $1 | awk -v c=$2 '{ n = split("pid state threshold regions bytes", h, " ")
		for (i = 1; i <= n; i++) if (h[i] == c) print $i }'
}
committed() { [ "$(cat $P/commit_inputs)" = N ]; }

dp_must insmod "$DP_MODULE"
dp_expect_eq supervisor-default "$(cat $P/supervisor)" N
for f in monitor_period:5000000 sample_interval:5000 aggr_interval:100000 \
	ops_update_interval:60000000 min_nr_regions:10 max_nr_regions:1000 \
	quota_ms:10 quota_reset_interval_ms:1000 pause_idle:Y commit_inputs:N; do
	dp_expect_eq "default-${f%%:*}" "$(cat $P/${f%%:*})" "${f#*:}"
done
dp_expect_eq status-mode "$(stat -c %a $P/status)" 400
dp_expect_eq supervisor-mode "$(stat -c %a $P/supervisor)" 600
dp_refuses sample_interval "$P/sample_interval" EINVAL 0 200000 abc -1
dp_refuses min_nr_regions "$P/min_nr_regions" EINVAL 2 2000 abc
dp_refuses monitor_period "$P/monitor_period" EINVAL 1000 abc
dp_refuses quota_ms "$P/quota_ms" EINVAL 0 abc
dp_refuses supervisor "$P/supervisor" EINVAL maybe 2
dp_refuses status "$P/status" EACCES x
dp_refuses quota_reset_interval_ms "$P/quota_reset_interval_ms" EINVAL 0
dp_refuses max_nr_regions "$P/max_nr_regions" EINVAL 10001 5
dp_refuses ops_update_interval "$P/ops_update_interval" EINVAL 99999

# The areas, MiB: a quarter of the size on a slowed kernel.
HOT=128
COLD=256
[ "$DP_SLOW" -eq 1 ] || { HOT=32; COLD=64; }
dp_hotcold $HOT $COLD
pid1=$hc_pid; h1s=$hot_start; h1e=$hot_end; c1s=$cold_start; c1e=$cold_end
dp_hotcold $HOT $COLD
pid2=$hc_pid; h2s=$hot_start; h2e=$hot_end; c2s=$cold_start; c2e=$cold_end

# Faster than the defaults, for a test: a period of 1 s, and a quota that
# collapses the hot areas in seconds under emulation (two kdamonds and two busy
# workloads share the guest's two CPUs).  Three quarters of the hot set are
# huge pages within about 10 s.  Emulated, a workload touches only a small
# share of its hot pages in one 5 ms sample, so hot regions' counts are noisy
# and some stay split below the scheme's 2 MiB minimum until a merge joins
# them: 20 to 40 s on a loaded host, hence 60 s of patience.
dp_set $P/monitor_period 1000000
dp_set $P/quota_ms 1000
dp_set $P/monitored_pids $pid1,$pid2
dp_expect_write enable "$P/supervisor" Y OK
t0=$(cut -d' ' -f1 /proc/uptime)
# damo's test for a DAMON module that owns DAMON (any damon_* module's
# enabled, or enable, reading Y) must not take the running supervisor
# for one.
owners=$(for f in /sys/module/damon_*/parameters/enabled /sys/module/damon_*/parameters/enable; do
	[ -f "$f" ] && [ "$(cat "$f")" = Y ] && echo "${f#/sys/module/}"
done | grep '^damon_pause/')
dp_expect_eq not-a-damon-module-owner "$owners$(cat $P/supervisor)" Y
hot_done() {
	[ "$(dp_smaps_kb $pid1 $h1s $h1e AnonHugePages)" -ge $((HOT * 1024 * 9 / 10)) ] &&
	[ "$(dp_smaps_kb $pid2 $h2s $h2e AnonHugePages)" -ge $((HOT * 1024 * 9 / 10)) ]
}
dp_wait_secs 60 hot_done
t1=$(cut -d' ' -f1 /proc/uptime)
# The design card's figure: both hot areas within 30 s (about 10 s here).
dp_check_timed hot-90pct-within-30s awk -v a=$t0 -v b=$t1 -v k=$DP_SLOW \
	'BEGIN { exit !(b - a <= 30 * k) }'
for i in 1 2; do
	eval "p=\$pid$i hs=\$h${i}s he=\$h${i}e cs=\$c${i}s ce=\$c${i}e"
	hot=$(dp_smaps_kb $p $hs $he AnonHugePages)
	cold=$(dp_smaps_kb $p $cs $ce AnonHugePages)
	dp_info "process $i after $(awk -v a=$t0 -v b=$t1 'BEGIN { print b - a }') s: hot $hot of $((HOT * 1024)) kB, cold $cold of $((COLD * 1024)) kB in huge pages; $(status_of $p)"
	dp_check_timed "hot-90pct-$i" test "$hot" -ge $((HOT * 1024 * 9 / 10))
	dp_check "cold-10pct-$i" test "$cold" -le $((COLD * 1024 / 10))
	dp_expect_eq "status-running-$i" "$(field_of $p state)" running
	dp_check "status-collapsed-$i" test "$(field_of $p bytes)" -gt 0
done

# commit_inputs: keep pid1, remove pid2, add a sleeper and a nonexistent pid.
k1=$(kdamond_of $pid1)
k2=$(kdamond_of $pid2)
c1=$(field_of $pid1 bytes)
sleep 1000 &
pid3=$!
dp_set $P/monitored_pids $pid1,$pid3,999999
dp_expect_write commit "$P/commit_inputs" Y OK
dp_check commit-reads-N dp_wait_for 10 committed
dp_expect_eq kept-same-kdamond "$(kdamond_of $pid1)" "$k1"
# The status is what the last period copied from the scheme's counters:
# read it after two more periods, so that it is the kept context's own
# count now, which a context started afresh by the commit would have
# restarted from 0 (its hot area collapsed already, little to add).
dp_sleep 2.5
dp_check kept-state test "$(field_of $pid1 bytes)" -ge "$c1"
dp_check removed-kdamond-gone dp_wait_for 5 test ! -e /proc/$k2
dp_expect_eq removed-status "$(status_of $pid2)" ""
dp_check added-kdamond test -n "$(kdamond_of $pid3)"
dp_expect_eq nonexistent-invalid "$(field_of 999999 state)" invalid
dp_check supervisor-alive test -n "$(pgrep dp_hugepaged 2>/dev/null || grep -l dp_hugepaged /proc/[0-9]*/comm)"

# The sleeper never runs: paused (kept), not stopped.  pid1 stopped, too.
kill -STOP $pid1
paused() { [ "$(field_of $1 state)" = paused ]; }
dp_check idle-paused dp_wait_for 10 paused $pid3
dp_check stopped-paused dp_wait_for 10 paused $pid1
dp_expect_eq paused-kept-kdamond "$(kdamond_of $pid1)" "$k1"
# Paused in fact, not only in the status: the sleeper's kdamond sleeps
# (a call each monitor_period, 1 s, wakes it; sampling would be 200/s).
if [ -e /proc/self/schedstat ]; then
	k3p=$(kdamond_of $pid3)
	w0=$(dp_schedstat $k3p | cut -d' ' -f3)
	sleep 3
	w1=$(dp_schedstat $k3p | cut -d' ' -f3)
	dp_info "paused sleeper's kdamond: $((w1 - w0)) timeslices in 3 s"
	dp_check idle-paused-kdamond-sleeps test "$((w1 - w0))" -le 10
else
	dp_info "no schedstat here: idle-paused-kdamond-sleeps not checked"
fi
kill -CONT $pid1
running() { [ "$(field_of $1 state)" = running ]; }
dp_check resumed dp_wait_for 10 running $pid1

# A process that exits releases its context.
k3=$(kdamond_of $pid3)
kill $pid3
wait $pid3 2>/dev/null
exited() { [ "$(field_of $1 state)" = exited ]; }
dp_check exit-status dp_wait_for 10 exited $pid3
dp_check exit-kdamond-gone test ! -e /proc/$k3

# 100 pids, nearly all nonexistent: each reported, the commit completes.
list=$pid1
for i in $(seq 1 99); do list="$list,$((3000000 + i))"; done
dp_set $P/monitored_pids $list
dp_set $P/commit_inputs Y
dp_check commit-100-reads-N dp_wait_for 20 committed
dp_expect_eq status-100-lines "$(grep -c '^[0-9]' $P/status)" 100
dp_expect_eq status-100-invalid "$(grep -c ' invalid ' $P/status)" 99
dp_expect_eq kept-through-100 "$(kdamond_of $pid1)" "$k1"

# supervisor=N while collapsing: a new workload's hot area is being collapsed.
dp_hotcold $HOT 64
pid4=$hc_pid
dp_set $P/monitored_pids $pid4
dp_set $P/commit_inputs Y
dp_must dp_wait_for 10 committed
dp_sleep 3
# (Its kdamond runs: else nothing below would show that N stopped it.)
dp_check collapsing-before-disable test -n "$(kdamond_of $pid4)"
dp_expect_write disable "$P/supervisor" N OK
dp_expect_eq disabled-reads-N "$(cat $P/supervisor)" N
dp_expect_eq disabled-no-kdamonds "$(kdamond_of $pid4)$(kdamond_of $pid1)" ""
dp_expect_eq disabled-status-empty "$(cat $P/status || echo missing)" ""

# Unload while it runs.
dp_set $P/monitored_pids $pid1,$pid4
dp_set $P/supervisor Y
both_running() { [ -n "$(kdamond_of $pid1)" ] && [ -n "$(kdamond_of $pid4)" ]; }
dp_check running-before-unload dp_wait_for 10 both_running
dp_check unload-running rmmod damon_pause
dp_expect_eq unload-no-kdamonds "$(kdamond_of $pid1)$(kdamond_of $pid4)" ""

# modprobe from /lib/modules, with parameters, as users do.
if [ -x /dp/kmod/modprobe ]; then
	dir=/lib/modules/$(uname -r)/extra
	mkdir -p $dir
	cp "$DP_MODULE" $dir/
	/dp/kmod/depmod -a > /dev/null 2>&1
	dp_check modprobe /dp/kmod/modprobe damon_pause \
		monitored_pids=$pid1,$pid4 supervisor=Y monitor_period=1000000
	dp_expect_eq modprobe-supervisor "$(cat $P/supervisor)" Y
	dp_expect_eq modprobe-pids "$(cat $P/monitored_pids)" "$pid1,$pid4"
	dp_check modprobe-kdamonds dp_wait_for 10 sh -c \
		"grep -qx dp_hp.$pid4 /proc/[0-9]*/comm"
	dp_check modprobe-remove /dp/kmod/modprobe -r damon_pause
	# Load-time parameters are checked together, whatever their order
	# (sample_interval 200 ms is above the default aggr_interval).
	dp_check modprobe-any-order /dp/kmod/modprobe damon_pause \
		sample_interval=200000 aggr_interval=1000000
	dp_expect_eq modprobe-any-order-value "$(cat $P/sample_interval)" 200000
	dp_check modprobe-any-order-remove /dp/kmod/modprobe -r damon_pause
	dp_check modprobe-misfit-refused sh -c "! /dp/kmod/modprobe damon_pause \
		min_nr_regions=50 max_nr_regions=20 2> /dev/null"
	dp_check modprobe-misfit-not-loaded test ! -d /sys/module/damon_pause
	dp_check modprobe-misfit-says-why sh -c \
		"dmesg | grep -q 'parameters do not fit together'"
	dp_check modinfo-desc sh -c \
		"/dp/kmod/modinfo -p $dir/damon_pause.ko | grep -q 'quota_ms:.*default: 10'"
	rm -rf /lib/modules
elif [ "$(uname -m)" = aarch64 ]; then
	# (The host's kmod is amd64: the arm64 guest has busybox's only.)
	dp_skip modprobe "no kmod in the arm64 guest; modprobe and its parameters are checked on the x86 guests"
else
	dp_fail modprobe "no kmod in the guest"
fi
kill $pid1 $pid2 $pid4
echo $thp_before > $THP

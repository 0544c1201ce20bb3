# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.12
# order: 170
# Where: stock-6.12: its code does not depend on the kernel's version.
# Under lockdep and KASAN (the debug kernel, 87 s here), race's unload
# behind a writer waiting a minute-long aggregation takes the same wait
# paths, and the KUnit suites the intervals' rules.
#
# Long and maximal intervals, and targets that cannot be monitored
# (issue 11):
# - a kernel thread's pid (decimal, 0x-hex, "N\0junk"), a zombie's and a
#   pid with no process, written to pid_target of a running kdamond, are
#   refused by `commit` (EINVAL; or already by the write) and the kdamond
#   keeps running, same pid, still monitoring its target;
# - with sample_us = aggr_us = 40 s, then = 2^64-1, on a running kdamond
#   that monitors a live process: `commit`, `pause` Y + `commit` (the
#   kdamond is then paused at once: the dump says so, and with short
#   intervals committed while paused, its counters still stand still and
#   it takes no CPU), `off` and `rmmod` each return within a second (5 on
#   the debug kernel).  Each runs in the background under a watchdog, so
#   that a hang is reported and the rest still runs.  An unload that hangs
#   cannot be undone: the scenario then says so and powers the guest off
#   (no later scenario can run on a hung module).

K=$DP_ADMIN/kdamonds
KD=$K/0
C=$KD/contexts/0
T=$C/targets/0
IV=$C/monitoring_attrs/intervals
LIMIT_MS=$((1000 * DP_SLOW))

# iv_bg NAME HANG CMD...: run CMD in the background, wait for it up to
# HANG seconds (of a stock kernel); sets iv_res (its first word: OK, an
# errno's name, or HUNG) and iv_ms (how long it took, by dp-io's clock if
# it printed one, else by /proc/uptime).
iv_bg() {
	local name=$1 hang=$2 out=/tmp/iv.$1 t0 t1
	shift 2
	rm -f $out $out.tmp
	read -r t0 _ < /proc/uptime
	# Its own output only: a hung child must not hold a caller's pipe.
	( "$@" > $out.tmp 2>&1; mv $out.tmp $out ) > /dev/null 2>&1 &
	iv_pid=$!
	if dp_wait_for $hang test -e $out; then
		read -r iv_res iv_ns _ < $out
		case "$iv_ns" in
		''|*[!0-9]*)
			read -r t1 _ < /proc/uptime
			iv_ms=$(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%d", (b - a) * 1000 }') ;;
		*) iv_ms=$((iv_ns / 1000000)) ;;
		esac
	else
		iv_res=HUNG
		read -r t1 _ < /proc/uptime
		iv_ms=$(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%d", (b - a) * 1000 }')
	fi
	dp_info "intervals: $name: $iv_res after $iv_ms ms"
}

# iv_op NAME WANT HANG CMD...: iv_bg, then three checks: it returned
# (within HANG s), with WANT, and within a second.
iv_op() {
	local name=$1 want=$2 hang=$3
	shift 3
	iv_bg $name $hang "$@"
	dp_check $name-returns test "$iv_res" != HUNG
	dp_expect_eq $name-outcome "$iv_res" "$want"
	dp_check $name-within-${LIMIT_MS}ms test "$iv_ms" -le $LIMIT_MS
}

# iv_ended PID: PID exited (a zombie until its parent waits counts).
iv_ended() {
	[ ! -d /proc/$1 ] || [ "$(awk '{ print $3 }' /proc/$1/stat 2>/dev/null)" = Z ]
}

# iv_capture CMD...: what CMD prints, or HUNG if it takes over 5 s; a hung
# CMD is killed (the dump waits for the tree's lock interruptibly), so
# that it holds no reference on the module.
iv_capture() {
	local p
	"$@" > /tmp/iv.capture 2>&1 < /dev/null &
	p=$!
	if dp_wait_for 5 iv_ended $p; then
		cat /tmp/iv.capture
	else
		kill -9 $p 2>/dev/null
		echo HUNG
	fi
}

# iv_read FILE: FILE's first line, or HUNG.
iv_read() { iv_capture head -n 1 "$1"; }

# The kdamond line of the dump ("K 0 pid P paused X sample_intervals N ..."),
# or HUNG.
iv_dump() { iv_capture grep '^K 0 ' $DP_DUMP; }

# The guest cannot go on once the unload hung: say so and stop it.
iv_give_up() {
	dp_fail "$1" "the module cannot be unloaded: powering the guest off"
	echo "intervals: $1: unload hung, powering off" > /dev/kmsg
	sync
	poweroff -f
}

insmod "$DP_MODULE" || { dp_fail iv-load insmod; return 0; }
dp_hotcold 16 16 || { dp_fail iv-workload "hotcold did not start"; return 0; }
echo 1 > $K/nr_kdamonds
dp_kdamond_setup $KD $hc_pid || { dp_fail iv-setup "tree setup"; return 0; }
dp_expect_write iv-on $KD/state on OK
kpid=$(cat $KD/pid)
dp_check iv-kdamond-runs test -d /proc/$kpid -a "$kpid" != -1 || return 0

# ---- targets that cannot be monitored -------------------------------------

# A kernel thread other than kthreadd, for the hex spelling.
kthread=$(for f in /proc/[0-9]*/stat; do cat $f 2>/dev/null; done |
	awk 'and($9, 2097152) && $1 > 2 { print $1; exit }')
dp_check iv-found-kthread test -n "$kthread"
dp_expect_eq iv-kthreadd-is-kthread \
	"$(awk '{ print and($9, 2097152) ? "kthread" : "user" }' /proc/2/stat)" kthread
zombie_out=/tmp/iv.zombie
dp-io zombie > $zombie_out &
zparent=$!
dp_wait_for 10 test -s $zombie_out
zpid=$(cat $zombie_out)
dp_expect_eq iv-zombie-is-zombie "$(awk '{ print $3 }' /proc/$zpid/stat 2>/dev/null)" Z
sleep 0 &
gone=$!
wait $gone
dp_check iv-gone-pid-has-no-process test ! -e /proc/$gone

# bad_target NAME VALUE: VALUE (escapes decoded) in pid_target, then
# commit: refused with EINVAL by one of the two, and the kdamond
# untouched.
bad_target() {
	local name=$1 w c
	w=$(dp-io w $T/pid_target "$2\n" | cut -d' ' -f1)
	c=$(dp-write $KD/state commit)
	dp_info "intervals: pid_target '$2': write $w, commit $c"
	if [ "$w" = OK ]; then
		dp_expect_eq $name-commit-refused "$c" EINVAL
	else
		dp_expect_eq $name-write-refused "$w" EINVAL
	fi
	# The defect ends the kdamond on its next loop: give it the time.
	dp_sleep 1
	dp_expect_eq $name-kdamond-untouched "$(cat $KD/state) $(cat $KD/pid)" "on $kpid"
	dp_expect_eq $name-still-monitors "$(grep '^T 0 0 ' $DP_DUMP 2>/dev/null | awk '{ print $5 }')" \
		"$hc_pid"
	# Back to the good target, whatever happened, for the next case.
	echo $hc_pid > $T/pid_target
	if [ "$(cat $KD/state)" != on ]; then
		echo on > $KD/state
		kpid=$(cat $KD/pid)
	fi
}
bad_target iv-pid-kthreadd 2
[ -n "$kthread" ] && bad_target iv-pid-kthread-hex "$(printf '0x%x' $kthread)"
[ -n "$kthread" ] && bad_target iv-pid-kthread-nul-junk "$kthread\\x00junk"
# An exited process not reaped yet (a zombie) is a valid target, as
# upstream's: taken by the commit, the kdamond runs on, and its commands
# still answer; then back to the workload.
if [ -n "$zpid" ]; then
	echo $zpid > $T/pid_target
	dp_expect_write iv-pid-zombie-commit $KD/state commit OK
	dp_sleep 1
	dp_expect_eq iv-pid-zombie-kdamond-runs "$(cat $KD/state) $(cat $KD/pid)" "on $kpid"
	dp_expect_write iv-pid-zombie-update $KD/state update_schemes_stats OK
	echo $hc_pid > $T/pid_target
	dp_expect_write iv-pid-zombie-back $KD/state commit OK
fi
bad_target iv-pid-gone $gone
kill $zparent
wait $zparent 2>/dev/null

dp_check iv-kdamond-runs-before-intervals test "$(cat $KD/state)" = on || {
	kill $hc_pid
	rmmod damon_pause
	return 0
}

# ---- long intervals ------------------------------------------------------

# intervals_case NAME US HANG: both intervals at US on the running
# kdamond, then each operation timed; HANG is how long one may take
# before it counts as hung. Its pauses are not stretched on a slow
# kernel (sleep, not dp_sleep): they wait for no work of the kdamond's
# but for it to be asleep, or for a writer that must still be waiting.
intervals_case() {
	local name=$1 us=$2 hang=$3 d0 d1 t0 t1

	echo $us > $IV/aggr_us
	echo $us > $IV/sample_us
	# Installing them is a commit to a kdamond with the short intervals.
	iv_op $name-install OK $hang dp-io w $KD/state 'commit\n'
	# Let the kdamond start its long sleep.
	sleep 2
	iv_op $name-commit OK $hang dp-io w $KD/state 'commit\n'
	dp_expect_eq $name-commit-kdamond-same "$(iv_read $KD/pid)" "$kpid"

	echo Y > $C/pause
	iv_op $name-pause-commit OK $hang dp-io w $KD/state 'commit\n'
	d0=$(iv_dump)
	dp_expect_eq $name-paused-in-dump "$(echo "$d0" | awk '{ print $5 " " $6 }')" "paused 1"
	# Paused at once, not at the end of the long interval: with intervals
	# this long a kdamond that never paused is as frozen and as idle for
	# 2 s, and the dump's flag is the module's own word. So, still
	# paused, the intervals go short (5 ms, 100 ms), committed: a
	# kdamond that sleeps them out would sample and aggregate 20 times a
	# second now, a paused one stays frozen.
	echo 5000 > $IV/sample_us
	echo 100000 > $IV/aggr_us
	iv_op $name-paused-short-commit OK $hang dp-io w $KD/state 'commit\n'
	d0=$(iv_dump)
	t0=$(dp_cpu_ticks $kpid 2>/dev/null)
	sleep 2
	# The kdamond serves the dump itself: read its ticks first.
	t1=$(dp_cpu_ticks $kpid 2>/dev/null)
	d1=$(iv_dump)
	dp_info "intervals: $name: paused at 5 ms sampling for 2 s: '$d0' then '$d1', ticks $t0 then $t1"
	dp_check $name-paused-frozen test "$d0" = "$d1" -a "$d0" != HUNG
	dp_check $name-paused-no-cpu test -n "$t0" -a "$t0" = "$t1"
	echo N > $C/pause
	# The long intervals again, for the kdamond started below.
	echo $us > $IV/aggr_us
	echo $us > $IV/sample_us

	iv_op $name-off OK $hang dp-io w $KD/state 'off\n'
	dp_expect_eq $name-off-state "$(iv_read $KD/state)" off

	# A fresh kdamond with the long intervals, for the unload.
	iv_op $name-on OK $hang dp-io w $KD/state 'on\n'
	kpid=$(iv_read $KD/pid)
	sleep 2

	# A tried-regions update waits for the next aggregation, as upstream:
	# here 40 s or forever away.  Its writer holds the tree; it can be
	# killed, and an unload ends its wait instead of waiting: the write
	# succeeds with nothing updated, as upstream's (damon_call() answers 0).
	dp-io w $KD/state 'update_schemes_tried_regions\n' > /tmp/iv.tried 2>&1 &
	t0=$!
	sleep 1
	dp_check $name-tried-waits test -d /proc/$t0 -a ! -s /tmp/iv.tried
	kill -9 $t0
	dp_check $name-tried-writer-killable dp_wait_for 2 iv_ended $t0
	wait $t0 2>/dev/null
	dp_expect_eq $name-tried-killed-kdamond-same "$(iv_read $KD/state) $(iv_read $KD/pid)" "on $kpid"
	dp-io w $KD/state 'update_schemes_tried_regions\n' > /tmp/iv.tried 2>&1 &
	t1=$!
	sleep 1
	dp_check $name-tried-waits-again test -d /proc/$t1 -a ! -s /tmp/iv.tried
	iv_op $name-rmmod OK $hang dp-io rmmod damon_pause
	dp_check $name-tried-writer-ended dp_wait_for 2 iv_ended $t1
	wait $t1 2>/dev/null
	dp_expect_eq $name-tried-canceled "$(cut -d' ' -f1 /tmp/iv.tried)" OK
	[ "$iv_res" = HUNG ] && { kill $hc_pid; iv_give_up $name-rmmod-hung; }
	dp_check $name-unloaded test ! -d /sys/module/damon_pause
	dp_check $name-kdamond-gone test ! -d /proc/$kpid
	[ -d /sys/module/damon_pause ] && rmmod damon_pause
}

# 40 s: the defect makes each wait up to 40 s, so wait up to 60 for it.
intervals_case iv-40s 40000000 $((60 / DP_SLOW + 10))

insmod "$DP_MODULE" || { dp_fail iv-reload insmod; kill $hc_pid; return 0; }
echo 1 > $K/nr_kdamonds
dp_kdamond_setup $KD $hc_pid
dp_expect_write iv-max-on $KD/state on OK
kpid=$(cat $KD/pid)
# 2^64-1: a wait that never ends is called hung after 10 s.
intervals_case iv-max 18446744073709551615 10

kill $hc_pid
wait $hc_pid 2>/dev/null
[ -d /sys/module/damon_pause ] && rmmod damon_pause
return 0

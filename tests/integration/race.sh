# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.12 debug
# order: 130
# Where: as pause_stress.sh: our locking, where lockdep and KASAN
# watch too.
#
# A bounded race (45 s; 60 on the debug kernel) of nine loops on one
# kdamond (and a control loop that reads /proc/uptime, so that the
# machine's own delays show beside ours): state on/off/commit; pause Y/N + commit; nr_* resizes while on
# (schemes, goals, filters, regions, targets); update_schemes_tried_regions
# and update_schemes_stats; reads of every file of the tree; the debugfs
# dump; the target killed and a new one started; module parameter reads.
# Every operation is one dp-io call, which times it.  Then:
# - INFO: ops per kind, p99 and max latency;
# - each op ends with OK or an errno its kind explains (EBUSY from the
#   tree's try-lock; EINVAL, EPERM and ECANCELED while the target is being
#   replaced or the tree is being resized; ENOENT and ENODEV for a file
#   removed by a resize under a reader or a writer: nr_contexts, refused
#   while the kdamond runs, replaces the context between an off and an
#   on, pause file included; EINVAL for clear_schemes_tried_regions
#   while the contexts are being resized); anything else fails;
# - each kind of operation succeeded at least once (on the debug kernel,
#   where each kind gets a few dozen tries at most, a miss is a skip);
#   then each alone on the tree made whole again succeeds, on every
#   kernel (on, commit, pause and resume commits, an update of the tried
#   regions, the dump, off);
# - no op took over a second (5 on the debug kernel, where a miss is a
#   skip, as for every figure of speed there);
# - every loop ends by itself once told to stop (no hang);
# then rmmod under the same load (timed, within a second; 5 on the debug
# kernel), a reload and one on/off cycle.  The splat scan and kmemleak
# judge the rest.

K=$DP_ADMIN/kdamonds
KD=$K/0
C=$KD/contexts/0
T=$C/targets/0
S=$C/schemes/0
# 45 s on a stock kernel; 60 on the debug kernel, where each kind of
# operation must still get through once (a new target there: 3 in 60 s).
DURATION=45
[ "$DP_SLOW" = 1 ] || DURATION=60
LIMIT_MS=$((1000 * DP_SLOW))
R=/tmp/race
rm -rf $R
mkdir -p $R

insmod "$DP_MODULE" || { dp_fail race-load insmod; return 0; }
dp_hotcold 16 16 || { dp_fail race-workload "hotcold did not start"; return 0; }
echo $hc_pid > $R/pid

scheme() {
	echo stat > $S/action
	echo 4096 > $S/access_pattern/sz/min
	echo $((1 << 40)) > $S/access_pattern/sz/max
	echo 1000 > $S/access_pattern/nr_accesses/max
	echo 1000 > $S/access_pattern/age/max
}
echo 1 > $K/nr_kdamonds
dp_kdamond_setup $KD $hc_pid &&
echo 1 > $C/schemes/nr_schemes && scheme || {
	dp_fail race-setup "tree setup"; kill $hc_pid; rmmod damon_pause; return 0; }
dp_expect_write race-on $KD/state on OK
dp_check race-kdamond-runs test "$(cat $KD/pid)" != -1 || {
	kill $hc_pid; rmmod damon_pause; return 0; }

# op KIND FILE VALUE / rop KIND FILE: one timed write / read, logged as
# "KIND OUTCOME NS" in the loop's log ($log).
op() { echo "$1 $(dp-io w $2 "$3")" >> $log; }
rop() { echo "$1 $(dp-io r $2)" >> $log; }
going() { [ ! -e $R/stop ]; }

loop_state() {
	log=$R/state.log
	while going; do
		op on $KD/state 'on\n'
		op commit $KD/state 'commit\n'
		op off $KD/state 'off\n'
		op on $KD/state 'on\n'
	done
}
# A pause commit is refused while the state loop has the kdamond off (EINVAL)
# or the resize loop has the tree half-made (EINVAL) or locked (EBUSY):
# each is tried up to three times, every try logged, so that on the debug
# kernel (an operation a second there) some land.  A full run there once
# had 30 tries and all refused.
pause_commit() {
	local try
	for try in 1 2 3; do
		op pause-commit $KD/state 'commit\n'
		tail -n 1 $log | grep -q '^pause-commit OK' && return
	done
}
loop_pause() {
	log=$R/pause.log
	while going; do
		op pause-Y $C/pause 'Y\n'
		pause_commit
		op pause-N $C/pause 'N\n'
		pause_commit
	done
}
loop_resize() {
	log=$R/resize.log
	while going; do
		op nr_schemes $C/schemes/nr_schemes '1\n'
		scheme 2> /dev/null
		op nr_goals $S/quotas/goals/nr_goals '0\n'
		op nr_filters $S/filters/nr_filters '0\n'
		op nr_regions $T/regions/nr_regions '0\n'
		op nr_targets $C/targets/nr_targets '1\n'
		op pid_target $T/pid_target "$(cat $R/pid)\n"
		op nr_contexts-busy $KD/contexts/nr_contexts '1\n'
		op resize-commit $KD/state 'commit\n'
		# Whole for a while, on the debug kernel, for the others'
		# commits to land.
		[ "$DP_SLOW" = 1 ] || sleep 1
	done
}
loop_update() {
	log=$R/update.log
	while going; do
		op update_tried $KD/state 'update_schemes_tried_regions\n'
		op update_stats $KD/state 'update_schemes_stats\n'
		op update_bytes $KD/state 'update_schemes_tried_bytes\n'
		op clear_tried $KD/state 'clear_schemes_tried_regions\n'
	done
}
loop_read() {
	log=$R/read.log
	while going; do
		for f in $(find $K -type f 2>/dev/null); do
			rop read $f
		done
	done
}
loop_dump() {
	log=$R/dump.log
	while going; do
		rop dump $DP_DUMP
	done
}
loop_params() {
	log=$R/params.log
	while going; do
		for f in $DP_PARAMS/*; do
			rop param-read $f
		done
		sleep 0.2
	done
}
# The control: a read that never touches the module, to tell the
# machine's own delays (emulation on a shared host) from ours.
loop_control() {
	log=$R/control.log
	while going; do
		rop control /proc/uptime
		sleep 0.1
	done
}
loop_target() {
	log=$R/target.log
	local old new
	while going; do
		dp_sleep 3
		old=$(cat $R/pid)
		dp_hotcold 8 8 > /dev/null 2>&1 || { echo "target-start FAIL 0" >> $log; continue; }
		new=$hc_pid
		op new-target $T/pid_target "$new\n"
		# Whole or not at all for the resize loop, which reads it for
		# its pid_target writes (a truncated file read as "" once:
		# EINVAL, the harness's race, not the module's).
		echo $new > $R/pid.new
		mv $R/pid.new $R/pid
		op target-commit $KD/state 'commit\n'
		kill $old
		wait $old 2>/dev/null
		echo "target-kill OK 0" >> $log
	done
	echo $(cat $R/pid) > $R/last
}

start_loops() {
	loop_pids=
	for l in $*; do
		loop_$l > /dev/null 2>&1 &
		loop_pids="$loop_pids $!"
	done
}
loops_ended() {
	local p
	for p in $loop_pids; do
		[ -d /proc/$p ] && return 1
	done
	return 0
}

start_loops state pause resize update read dump params target control
sleep $DURATION
touch $R/stop
dp_check race-loops-end dp_wait_for 30 loops_ended

# Which outcomes each kind of op may have, beside OK.
cat > $R/explained <<'EOT'
on EBUSY EINVAL
off EBUSY EPERM EINVAL
commit EBUSY EINVAL ECANCELED
pause-commit EBUSY EINVAL ECANCELED
resize-commit EBUSY EINVAL ECANCELED
target-commit EBUSY EINVAL ECANCELED
update_tried EBUSY EINVAL ECANCELED
update_stats EBUSY EINVAL ECANCELED
update_bytes EBUSY EINVAL ECANCELED
clear_tried EBUSY EINVAL
nr_schemes EBUSY ENOENT ENODEV
nr_goals EBUSY ENOENT ENODEV
nr_filters EBUSY ENOENT ENODEV
nr_regions EBUSY ENOENT ENODEV
nr_targets EBUSY
nr_contexts-busy EBUSY
pid_target ENOENT ENODEV
new-target ENOENT ENODEV
pause-Y ENOENT ENODEV
pause-N ENOENT ENODEV
read ENOENT ENODEV
dump
param-read
target-kill
control
EOT
cat $R/*.log > $R/all
awk 'NR == FNR { for (i = 2; i <= NF; i++) ok[$1 " " $i] = 1; ok[$1 " OK"] = 1; next }
	!ok[$1 " " $2] { print }' $R/explained $R/all > $R/unexpected
sort $R/unexpected | cut -d' ' -f1,2 | uniq -c | head -n 20 |
	while read -r line; do dp_info "race: unexpected outcome: $line"; done
dp_expect_eq race-no-unexpected-errno "$(wc -l < $R/unexpected)" 0

# Figures per kind: count, p99, max (ms), and the errors seen.
awk '{ print $1, $3 }' $R/all | sort -k1,1 -k2,2n | awk '
	function flush() {
		if (k == "") return
		i = int(n * 0.99); if (i < 1) i = 1
		printf "%s %d %.1f %.1f\n", k, n, v[i] / 1e6, v[n] / 1e6
	}
	$1 != k { flush(); k = $1; n = 0 }
	{ v[++n] = $2 }
	END { flush() }' > $R/figures
total=$(wc -l < $R/all)
dp_info "race: $total operations in ${DURATION} s"
while read -r kind n p99 max; do
	errs=$(awk -v k=$kind '$1 == k && $2 != "OK" { print $2 }' $R/all | sort | uniq -c |
		awk '{ printf "%s%s x%d", s, $2, $1; s = ", " }')
	dp_info "race: $kind: $n ops, p99 $p99 ms, max $max ms${errs:+; $errs}"
done < $R/figures
awk -v l=$LIMIT_MS '$1 != "control" && $3 / 1e6 > l' $R/all > $R/slow
sort -k3,3n $R/slow | tail -n 10 | while read -r line; do dp_info "race: slow: $line"; done
# A figure of speed: a miss on the debug kernel is a skip (dp_check_timed).
nslow=$(wc -l < $R/slow)
dp_check_timed race-no-op-over-${LIMIT_MS}ms test "$nslow" -eq 0
for kind in on off commit pause-commit update_tried read dump nr_schemes; do
	# That each kind got through at least once in the race: whether
	# the operation works under the others at all.  On the debug
	# kernel an operation takes up to a second and each kind gets 8 to
	# 50 tries, which can all meet the kdamond stopped by the state
	# loop or the tree half-made by the resize loop (0 OK of 26 commits,
	# and of 30 pause commits, in two full runs): a miss there is a
	# skip, and the quiet round below is judged on every kernel.
	dp_check_timed race-did-$kind grep -q "^$kind OK" $R/all
done

# Then each alone, on the tree made whole again: what the race left
# works, on every kernel.
echo off > $KD/state 2> /dev/null
echo 1 > $C/targets/nr_targets
echo 1 > $C/schemes/nr_schemes && scheme 2> /dev/null
dp_expect_write race-quiet-target $T/pid_target "$(cat $R/pid)" OK
dp_expect_write race-quiet-on $KD/state on OK
dp_expect_write race-quiet-commit $KD/state commit OK
dp_set $C/pause Y
dp_expect_write race-quiet-pause-commit $KD/state commit OK
dp_set $C/pause N
dp_expect_write race-quiet-resume-commit $KD/state commit OK
dp_expect_write race-quiet-update_tried $KD/state update_schemes_tried_regions OK
dp_check race-quiet-tried-regions test -d $S/tried_regions/0
dp_check race-quiet-dump grep -q . $DP_DUMP
dp_expect_write race-quiet-off $KD/state off OK

# rmmod under load: the same loops but the target's, then the unload,
# retried while an open file holds the module (EAGAIN, as rmmod's
# O_NONBLOCK says), timed as a whole.
rm -f $R/stop
echo on > $KD/state 2> /dev/null
start_loops state pause resize update read dump params
# Under way (2 s, 10 on the debug kernel: dozens of operations each).
dp_sleep 2
rm -f $R/rmmod.out
(
	n=0
	read -r t0 _ < /proc/uptime
	while :; do
		r=$(dp-io rmmod damon_pause | cut -d' ' -f1)
		n=$((n + 1))
		[ "$r" = EAGAIN ] && [ $n -lt 1000 ] || break
	done
	read -r t1 _ < /proc/uptime
	echo "$r $n $(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%d", (b - a) * 1000 }')" > $R/rmmod.tmp
	mv $R/rmmod.tmp $R/rmmod.out
) > /dev/null 2>&1 &
if dp_wait_for 30 test -e $R/rmmod.out; then
	read -r res tries ms < $R/rmmod.out
else
	res=HUNG tries=? ms=?
	# Where the unload waits: every blocked task's stack, and rmmod's.
	echo w > /proc/sysrq-trigger 2> /dev/null
	for p in /proc/[0-9]*; do
		[ "$(cat $p/comm 2> /dev/null)" = dp-io ] &&
			dp_info "race: ${p#/proc/} $(tr '\0' ' ' < $p/cmdline) at $(tr '\n' ' ' < $p/stack 2> /dev/null)"
	done
fi
dp_info "race: rmmod under load: $res after $ms ms, $tries tries"
touch $R/stop
dp_expect_eq race-rmmod-under-load "$res" OK
dp_check_timed race-rmmod-within-${LIMIT_MS}ms test "$ms" -le $LIMIT_MS 2> /dev/null
dp_check race-loops-end-after-rmmod dp_wait_for 30 loops_ended
[ "$res" = HUNG ] && { kill $(cat $R/pid); return 0; }

dp_check race-reload insmod "$DP_MODULE"
echo 1 > $K/nr_kdamonds
dp_kdamond_setup $KD $(cat $R/pid)
dp_expect_write race-reload-on $KD/state on OK
dp_expect_write race-reload-off $KD/state off OK

# A debugfs reader waiting for the tree's lock, which a writer holds while
# it waits for an aggregation a minute away (issue 25, item 5): the unload
# is refused at once (the open file holds the module), never blocked
# behind them; once both are killed it goes through.  (No reader of a
# sysfs file waits for that lock: its writers only try it.)
echo 1 > $C/schemes/nr_schemes && scheme
dp_set $C/monitoring_attrs/intervals/sample_us 1000000
dp_set $C/monitoring_attrs/intervals/aggr_us 60000000
dp_expect_write race-slow-on $KD/state on OK
echo update_schemes_tried_regions > $KD/state &
writer=$!
dp_sleep 1
cat $DP_DUMP > /dev/null &
reader=$!
dp_sleep 1
dp_check race-slow-writer-waits test -d /proc/$writer
dp_check race-dump-reader-waits test -d /proc/$reader
set -- $(dp-io rmmod damon_pause)
dp_info "race: rmmod with a dump reader behind a slow writer: $1 after $(($2 / 1000000)) ms"
dp_expect_eq race-rmmod-reader-refused "$1" EAGAIN
dp_check race-rmmod-reader-refused-at-once test "$2" -le $((1000000000 * DP_SLOW))
kill $reader $writer
wait $reader $writer 2> /dev/null
kill $(cat $R/pid) $hc_pid 2> /dev/null
killall hotcold 2> /dev/null
dp_check race-unload rmmod damon_pause

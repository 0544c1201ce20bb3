# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.12
# order: 230
# quick: stock-6.12
# Where: its code is the same on every kernel (src/trained.c,
# src/sysfs-trained.c, the supervisor's kept states): stock-6.12; the
# debug kernel's KUnit suites (trained, sysfs_trained, hugepage_trained)
# watch it under KASAN.
#
# A context's trained state beyond its kdamond (contexts/C/trained_state,
# issue 30), on the hot/cold workload (256 MiB written at random, 512 MiB
# written once), monitored with fvaddr over one range that spans both
# areas (vaddr's regions start at the mappings' ends, which tells the
# areas apart at once; one range leaves the regions to learn it):
# - from nothing, how long the regions take to tell the hot area from the
#   cold one (precision and recall of 0.9: N s, an INFO line);
# - update_trained_state while paused gives the frozen state exactly (every
#   region of the debugfs dump), twice the same, and after off the same
#   again;
# - snapshots that do not fit (malformed, truncated, of another process,
#   operations or version, more regions than max_nr_regions, regions
#   outside the ranges an fvaddr target keeps to, a target whose process
#   is gone) are refused with EINVAL, the file as it
#   was, and the kdamond that starts next starts from nothing;
# - written back, a snapshot is where the next kdamond starts: "on" with it
#   (paused) reads back the very text saved; resumed, the first
#   aggregation already reads precision and recall of 0.9, and the ages go
#   on from the saved ones;
# - "commit" with one takes a running kdamond back to it, the same way;
# - across rmmod and insmod: saved, unloaded, loaded, written back, "on":
#   the same text, and precision and recall of 0.9 at the first read;
# - with vaddr too, "on" with a saved state reads back the same text.

K=$DP_ADMIN/kdamonds
KD=$K/0
C=$KD/contexts/0
TS=$C/trained_state
W=/tmp/trained
rm -rf $W
mkdir -p $W

# The context directory; a restore needs it as it was (PAUSE: Y or N):
# fvaddr over [the hot area's start, the cold area's end).
tr_setup() {
	dp_set $K/nr_kdamonds 1
	dp_kdamond_setup $KD $hc_pid
	dp_set $C/operations fvaddr
	tr_range $hot_start $cold_end
	dp_set $C/pause "$1"
}

tr_range() { # tr_range START END: the target's one range
	dp_set $C/targets/0/regions/nr_regions 1
	dp_set $C/targets/0/regions/0/start $1
	dp_set $C/targets/0/regions/0/end $2
}

# tr_classify: byte-weighted precision and recall of "hot" (a
# last_nr_accesses of at least 1) against the hot area, from the dump.
tr_classify() {
	dp_dump_regions 0 | dp_hot_figures "$hot_start $hot_end" \
		"$cold_start $cold_end" | cut -d' ' -f1,2
}

tr_converged() {
	set -- $(tr_classify)
	dp_good $1 $2 0.9 0.9
}

# A field of the dump's K line of kdamond 0.
tr_field() {
	awk -v k="$1" '$1 == "K" && $2 == 0 {
		for (i = 3; i < NF; i++) if ($i == k) print $(i + 1) }' $DP_DUMP
}

tr_aggregated() { [ "$(tr_field aggregations)" -ge 1 ] 2>/dev/null; }

tr_now() { cut -d' ' -f1 /proc/uptime; }

# tr_save FILE: the state into the file, and a copy of it to FILE.
tr_save() {
	dp-write $KD/state update_trained_state > $W/update.out
	cat $TS > "$1"
	[ "$(cat $W/update.out)" = OK ] && grep -q '^region ' "$1"
}

# tr_oldest FILE: the highest age of a snapshot's regions.
tr_oldest() { awk '$1 == "region" && $7 > a { a = $7 } END { print a + 0 }' "$1"; }

# tr_write FILE: the outcome of writing FILE to trained_state.
tr_write() { dp-io wf $TS "$1" | cut -d' ' -f1; }

dp_must insmod "$DP_MODULE"
dp_hotcold 256 512
tr_setup N

# From nothing: the time the hot area takes to stand out.
t0=$(tr_now)
dp_expect_write on-fresh $KD/state on OK || dp_abort "on refused"
dp_kdamond_pid $KD
if dp_wait_for 60 tr_converged; then
	dp_pass fresh-converges
else
	dp_fail fresh-converges "precision recall: $(tr_classify)"
fi
fresh_s=$(awk -v a=$t0 -v b=$(tr_now) 'BEGIN { print b - a }')
dp_info "trained: without a trained state, precision and recall of 0.9" \
	"after $fresh_s s ($(tr_field aggregations) aggregations):" \
	"$(tr_classify)"
dp_sleep 2

# Paused: the snapshot is the frozen state, every region of it.
dp_set $C/pause Y
dp_expect_write pause $KD/state commit OK || dp_abort "pause refused"
tr_save $W/s1 || dp_abort "update_trained_state: $(cat $W/update.out)"
awk '$1 == "R" && $2 == 0 { print $4, $5, $6, $7, $8, $9 }' $DP_DUMP > $W/dump
awk '$1 == "region" { print $2, $3, $4, $5, $6, $7 }' $W/s1 > $W/regions
dp_info "trained: a snapshot of $(wc -l < $W/regions) regions," \
	"$(wc -c < $W/s1) bytes; oldest $(tr_oldest $W/s1)"
dp_check paused-snapshot-is-frozen-state cmp -s $W/regions $W/dump
dp_check snapshot-names-target grep -q "^target 0 pid $hc_pid regions " $W/s1
dp_sleep 1
tr_save $W/s1b
dp_check paused-snapshot-stable cmp -s $W/s1 $W/s1b
dp_expect_write off $KD/state off OK
tr_save $W/s1c
dp_check off-snapshot-same cmp -s $W/s1 $W/s1c

# Snapshots that do not fit: EINVAL each, the file as it was.
nr=$(wc -l < $W/regions)
tr_bad() { # tr_bad NAME: $W/bad is refused, nothing changes
	dp_expect_eq "refuses-$1" "$(tr_write $W/bad)" EINVAL
	cmp -s $TS $W/s1 || dp_fail "refuses-$1-unchanged" "the file changed"
}
head -c $(($(wc -c < $W/s1) / 2)) $W/s1 > $W/bad
tr_bad truncated
sed '$d' $W/s1 > $W/bad
tr_bad no-end
sed '6s/$/ x/' $W/s1 > $W/bad
tr_bad malformed-line
sed 's/^damon_pause_trained_state 1$/damon_pause_trained_state 2/' $W/s1 > $W/bad
tr_bad version
sed 's/^operations fvaddr$/operations vaddr/' $W/s1 > $W/bad
tr_bad other-operations
sed "s/^target 0 pid $hc_pid /target 0 pid 1 /" $W/s1 > $W/bad
tr_bad other-process
awk '$1 == "region" && ++n == 2 { $2 = p } $1 == "region" { p = $2 } { print }' \
	$W/s1 > $W/bad
tr_bad overlapping
cp $W/s1 $W/bad
dp_set $C/monitoring_attrs/nr_regions/min 3
dp_set $C/monitoring_attrs/nr_regions/max $((nr - 1))
tr_bad more-than-max-regions
dp_set $C/monitoring_attrs/nr_regions/max 1000
dp_set $C/monitoring_attrs/nr_regions/min 10
# (fvaddr keeps to the ranges it is given; vaddr follows the layout.)
tr_range $hot_start $hot_end
cp $W/s1 $W/bad
tr_bad outside-target-ranges
tr_range $hot_start $cold_end
sleep 1000 &
dead=$!
kill $dead
wait $dead 2>/dev/null
dp_set $C/targets/0/pid_target $dead
tr_bad dead-process
dp_set $C/targets/0/pid_target $hc_pid
dp_check refused-left-file cmp -s $TS $W/s1
# Nothing was staged: this start is from nothing.
dp_expect_write on-after-refused $KD/state on OK
tr_save $W/fresh
dp_check refused-stages-nothing test "$(tr_oldest $W/fresh)" -lt \
	"$(tr_oldest $W/s1)"
dp_expect_write off-after-refused $KD/state off OK

# Written back: "on" starts from it; paused, the same text.
dp_expect_eq restore-write "$(tr_write $W/s1)" OK
dp_check restore-write-reads-back cmp -s $TS $W/s1
dp_expect_write on-restored $KD/state on OK || dp_abort "on with a restore refused"
dp_kdamond_pid $KD
tr_save $W/r1
dp_check restored-equals-saved cmp -s $W/r1 $W/s1
# Resumed: the first aggregation on the restored regions already tells.
dp_set $C/pause N
t0=$(tr_now)
dp_expect_write resume $KD/state commit OK
dp_wait_for 10 tr_aggregated
set -- $(tr_classify)
first_s=$(awk -v a=$t0 -v b=$(tr_now) 'BEGIN { print b - a }')
dp_info "trained: restored, precision and recall $1 $2 at the first read," \
	"$first_s s after the resume, aggregation $(tr_field aggregations)" \
	"(from nothing: 0.9 after $fresh_s s)"
dp_check restored-first-read-recall dp_good $1 $2 0.9 0.9
dp_sleep 1
dp_set $C/pause Y
dp_expect_write pause-again $KD/state commit OK
tr_save $W/r2
dp_check restored-ages-go-on test "$(tr_oldest $W/r2)" -gt "$(tr_oldest $W/s1)"

# A commit with one: the running kdamond goes back to it.
dp_set $C/pause N
dp_expect_write resume-again $KD/state commit OK
dp_sleep 1
dp_set $C/pause Y
dp_expect_eq commit-restore-write "$(tr_write $W/s1)" OK
dp_expect_write commit-restore $KD/state commit OK
tr_save $W/c1
dp_check commit-restore-equals-saved cmp -s $W/c1 $W/s1
# Consumed: the next commit restores nothing.
dp_set $C/pause N
dp_expect_write commit-after $KD/state commit OK
dp_sleep 1
dp_set $C/pause Y
dp_expect_write commit-after-pause $KD/state commit OK
tr_save $W/c2
dp_check commit-restore-consumed test "$(tr_oldest $W/c2)" -gt \
	"$(tr_oldest $W/s1)"

# vaddr: its regions follow the layout (the next operations update
# refits restored ones); a restore is the same round trip.
dp_expect_write off-fvaddr $KD/state off OK
dp_set $C/operations vaddr
dp_set $C/targets/0/regions/nr_regions 0
dp_set $C/pause N
dp_expect_write vaddr-on $KD/state on OK
dp_sleep 1
dp_set $C/pause Y
dp_expect_write vaddr-pause $KD/state commit OK
tr_save $W/v1 || dp_fail vaddr-save "$(cat $W/update.out)"
dp_expect_write vaddr-off $KD/state off OK
dp_expect_eq vaddr-restore-write "$(tr_write $W/v1)" OK
dp_expect_write vaddr-on-restored $KD/state on OK
tr_save $W/v2
dp_check vaddr-restored-equals-saved cmp -s $W/v1 $W/v2
dp_check vaddr-snapshot-is-vaddr grep -q '^operations vaddr$' $W/v2

# Across an unload: the state of $W/c2 outlives the module.
dp_expect_write off-before-unload $KD/state off OK
dp_check unload rmmod damon_pause
dp_must insmod "$DP_MODULE"
tr_setup Y
dp_expect_eq reload-restore-write "$(tr_write $W/c2)" OK
dp_expect_write reload-on $KD/state on OK || dp_abort "on after reload refused"
dp_kdamond_pid $KD
tr_save $W/l1
dp_check reload-restored-equals-saved cmp -s $W/l1 $W/c2
dp_set $C/pause N
t0=$(tr_now)
dp_expect_write reload-resume $KD/state commit OK
dp_wait_for 10 tr_aggregated
set -- $(tr_classify)
dp_info "trained: after rmmod and insmod, precision and recall $1 $2 at" \
	"the first read, $(awk -v a=$t0 -v b=$(tr_now) 'BEGIN { print b - a }') s" \
	"after the start"
dp_check reload-first-read-recall dp_good $1 $2 0.9 0.9

dp_expect_write off-end $KD/state off OK
kill $hc_pid
wait $hc_pid 2>/dev/null
dp_check unload-end rmmod damon_pause

# The supervisor's contexts (keep_trained, supervisor_trained_state): one
# process supervised, trained for 3 s, then stopped (SIGSTOP): its context
# pauses (no CPU in a period), and its state reads the same from then on.
# - supervisor=N keeps that state: the file reads the very text the paused
#   context gave; supervisor=Y starts the process's new context from it,
#   paused: the live state reads that text again (same regions, counts,
#   ages, threshold);
# - across rmmod and insmod: the text saved, written back (after hostile
#   ones refused with EINVAL and nothing kept), supervisor=Y: the same
#   text; resumed (SIGCONT), the ages go on from the saved ones.
P=$DP_PARAMS
ST=/sys/module/damon_pause/supervisor_trained_state
sv_status() { awk -v p=$sv_pid '$1 == p { print $2 }' $P/status; }
sv_is() { [ "$(sv_status)" = "$1" ]; }
sv_write() { dp-io wf $ST "$1" | cut -d' ' -f1; }
sv_kept() { grep '^processes ' $ST; }
sv_setup() {
	dp_set $P/monitor_period 500000
	dp_set $P/monitored_pids $sv_pid
}

dp_must insmod "$DP_MODULE"
dp_expect_eq sv-keep-default "$(cat $P/keep_trained)" N
dp_expect_eq sv-file-mode "$(stat -c %a $ST)" 600
dp_expect_eq sv-nothing-kept "$(sv_kept)" "processes 0"
dp_hotcold 32 64
sv_pid=$hc_pid
sv_setup
dp_set $P/keep_trained Y
dp_expect_write sv-on $P/supervisor Y OK || dp_abort "supervisor refused"
dp_sleep 3
kill -STOP $sv_pid
dp_wait_for 10 sv_is paused || dp_fail sv-paused "status: $(cat $P/status)"
cat $ST > $W/sv1
dp_info "trained: the supervisor's context of $sv_pid: $(grep -c '^region ' $W/sv1)" \
	"regions, oldest $(tr_oldest $W/sv1), $(wc -c < $W/sv1) bytes"
dp_check sv-live-state grep -q "^process 0 pid $sv_pid start_time [1-9][0-9]* threshold [1-9][0-9]* paused 1$" $W/sv1
dp_check sv-live-state-trained awk '$1 == "region" && $7 > 0 { n++ } END { exit !n }' $W/sv1
dp_expect_eq sv-busy-while-running "$(sv_write $W/sv1)" EBUSY
dp_expect_write sv-off $P/supervisor N OK
cat $ST > $W/sv2
dp_check sv-kept-is-paused-state cmp -s $W/sv1 $W/sv2
dp_expect_write sv-on-again $P/supervisor Y OK
dp_wait_for 10 sv_is paused
cat $ST > $W/sv3
dp_check sv-restarted-from-kept cmp -s $W/sv1 $W/sv3

# Across rmmod and insmod.
dp_expect_write sv-off-before-unload $P/supervisor N OK
cat $ST > $W/sv4
dp_check sv-kept-again cmp -s $W/sv1 $W/sv4
dp_check sv-unload rmmod damon_pause
dp_must insmod "$DP_MODULE"
dp_expect_eq sv-reload-nothing-kept "$(sv_kept)" "processes 0"
sv_setup
sv_bad() { # sv_bad NAME: $W/bad is refused, nothing kept
	dp_expect_eq "sv-refuses-$1" "$(sv_write $W/bad)" EINVAL
	[ "$(sv_kept)" = "processes 0" ] || dp_fail "sv-refuses-$1-kept" "$(head -c 300 $ST)"
}
head -c $(($(wc -c < $W/sv4) / 2)) $W/sv4 > $W/bad
sv_bad truncated
awk '!done && $1 == "region" { $2 = "x"; done = 1 } 1' $W/sv4 > $W/bad
sv_bad malformed-region
sed "s/^\(process 0 pid $sv_pid start_time [0-9]*\)/\11/" $W/sv4 > $W/bad
sv_bad another-start
true &
dead=$!
wait $dead
sed "s/ pid $sv_pid / pid $dead /" $W/sv4 > $W/bad
sv_bad dead-pid
dp_set $P/min_nr_regions 3
dp_set $P/max_nr_regions $(($(grep -c '^region ' $W/sv4) - 1))
cp $W/sv4 $W/bad
sv_bad too-many-regions
dp_set $P/max_nr_regions 1000
dp_set $P/min_nr_regions 10
# Each line of the saved text dropped, doubled, given a field more, or its
# last field made 2^64 or a letter: every one refused.
n=$(wc -l < $W/sv4)
tried=0 refused=0 i=1
while [ $i -le $n ]; do
	for m in "${i}d" "${i}p" "${i}s/\$/ 1/" "${i}s/[^ ]*\$/18446744073709551616/" \
			"${i}s/[^ ]*\$/x/"; do
		sed "$m" $W/sv4 > $W/bad
		line=$(sv_write $W/bad)
		tried=$((tried + 1))
		if [ "$line" = EINVAL ]; then
			refused=$((refused + 1))
		else
			dp_info "trained: supervisor_trained_state $i $m: $line"
		fi
	done
	i=$((i + 1))
done
dp_info "trained: supervisor_trained_state fuzzed: $n lines, $tried mutations," \
	"$refused refused with EINVAL"
dp_expect_eq sv-fuzz-refused "$refused" "$tried"
dp_expect_eq sv-fuzz-nothing-kept "$(sv_kept)" "processes 0"
dp_expect_eq sv-reload-write "$(sv_write $W/sv4)" OK
dp_set $P/keep_trained Y
dp_expect_write sv-reload-on $P/supervisor Y OK
dp_wait_for 10 sv_is paused
cat $ST > $W/sv5
dp_check sv-reload-restored cmp -s $W/sv4 $W/sv5
kill -CONT $sv_pid
dp_wait_for 10 sv_is running
dp_sleep 1
cat $ST > $W/sv6
dp_check sv-resumed-ages-go-on awk -v a=$(tr_oldest $W/sv4) -v b=$(tr_oldest $W/sv6) \
	'BEGIN { exit !(b > a) }'
dp_info "trained: the supervisor's context resumed: oldest age $(tr_oldest $W/sv6)" \
	"(saved $(tr_oldest $W/sv4))"
dp_set $P/keep_trained N
dp_expect_write sv-off-end $P/supervisor N OK
dp_expect_eq sv-keep-n-keeps-nothing "$(sv_kept)" "processes 0"
kill $sv_pid
wait $sv_pid 2>/dev/null
dp_check sv-unload-end rmmod damon_pause

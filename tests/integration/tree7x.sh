# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.12 stock-7.3 debug
# order: 190
# Where: its code is the same on every kernel: a kernel without
# those files upstream (6.12), one with them (7.3), and the debug kernel's
# KASAN and lockdep.
#
# What upstream's admin tree gained after 6.12, on every kernel (the tree
# is ours, not the kernel's), each read back from the kdamond:
# - the files, with upstream's modes and defaults;
# - intervals auto-tuning: with a goal above what the workload shows, the
#   sampling interval grows up to max_sample_us; below it, it shrinks; the
#   aggregation interval keeps its ratio (update_tuned_intervals shows
#   them); paused, the tuning stands still and resumes after; a goal that
#   excludes sample_us is refused by on and by commit;
# - refresh_ms: the tuned intervals and the stats reach their files by
#   themselves, and stay as written with refresh_ms 0;
# - the quota's goal_tuner: a met goal stops a temporal scheme until it is
#   unmet, not a consist one; the goals' nid and path, fail_charge_*:
#   files (their rules are KUnit cases);
# - {core_,ops_}filters/ take their layer's types only; the min and max
#   of hugepage_size; dests/; stats: sz_ops_filter_passed counts what an
#   ops filter lets through, max_nr_snapshots stops the scheme after that
#   many passes (nr_snapshots);
# - obsolete_target: a commit removes the running target at its position,
#   the others going on; one past the running targets is refused, with
#   nothing changed;
# - data attribute probes (7.3), on paddr: the files and their limits; a
#   probe without filters hits every sample of an aggregation, an anon one
#   some and never more, as each tried region's probes/P/hits shows; with
#   a weight (attributes-only monitoring) the access checks stop: every
#   nr_accesses (current, moving, last) reads 0 while the probe's hits go
#   on; a window of more than
#   255 samples is refused with weights; the tried regions'
#   sz_filter_passed: what the stat scheme's anon ops filter lets through
#   (whole folios), 0 without the filter;
# - the goal metrics node_memcg_used_bp (any operations) and
#   node_eligible_mem_bp (paddr): met, the temporal tuner's scheme stops;
#   unmet, it applies.

K=$DP_ADMIN/kdamonds
KD=$K/0
C=$KD/contexts/0
IV=$C/monitoring_attrs/intervals
G=$IV/intervals_goal
S=$C/schemes/0

dp_must insmod "$DP_MODULE"
dp_set $K/nr_kdamonds 1
dp_hotcold 16 64
dp_kdamond_setup $KD $hc_pid
dp_set $C/schemes/nr_schemes 1
dp_set $S/action stat
for f in sz nr_accesses age; do
	dp_set $S/access_pattern/$f/max 18446744073709551615
done
dp_set $S/quotas/goals/nr_goals 1
Q=$S/quotas
QG=$Q/goals/0

modes() { for f in "$@"; do stat -c %a "$f"; done | tr '\n' ' '; }
values() { for f in "$@"; do cat "$f"; done | tr '\n' ' '; }
files="$KD/refresh_ms $G/access_bp $G/aggrs $G/min_sample_us $G/max_sample_us $C/targets/0/obsolete_target $Q/goal_tuner $Q/fail_charge_num $Q/fail_charge_denom $QG/nid $QG/path"
dp_expect_eq files-modes "$(modes $files)" "600 600 600 600 600 600 600 600 600 600 600 "
dp_expect_eq files-defaults "$(values $files)" "0 0 0 0 0 N consist 0 0 0  "
dp_refuses refresh_ms $KD/refresh_ms EINVAL -1 x
dp_refuses obsolete_target $C/targets/0/obsolete_target EINVAL maybe 2
dp_refuses goal_tuner $Q/goal_tuner EINVAL none Consist
dp_refuses fail_charge $Q/fail_charge_num ERANGE 4294967296
dp_refuses nid $QG/nid EINVAL x
dp_expect_write goal-path "$QG/path" /sys/fs/cgroup OK
dp_expect_eq goal-path-read "$(cat $QG/path)" /sys/fs/cgroup
dp_expect_write goal-node_mem_free_bp "$QG/target_metric" node_mem_free_bp OK
dp_expect_eq goal-metric-read "$(cat $QG/target_metric)" node_mem_free_bp
dp_set $Q/goals/nr_goals 0
dp_set $S/dests/nr_dests 2
dp_set $S/core_filters/nr_filters 1
dp_set $S/ops_filters/nr_filters 1
files="$S/dests/nr_dests $S/dests/1/id $S/dests/1/weight $S/stats/max_nr_snapshots $S/core_filters/nr_filters $S/ops_filters/nr_filters $S/ops_filters/0/min $S/ops_filters/0/max $S/filters/nr_filters"
dp_expect_eq files-600 "$(modes $files)" "600 600 600 600 600 600 600 600 600 "
dp_expect_eq files-600-defaults "$(values $files)" "2 0 0 0 1 1 0 0 0 "
dp_expect_eq files-400 "$(modes $S/stats/nr_snapshots $S/stats/sz_ops_filter_passed)" "400 400 "
dp_refuses core-filter-type $S/core_filters/0/type EINVAL anon young hugepage_size
dp_refuses ops-filter-type $S/ops_filters/0/type EINVAL addr target
dp_expect_write core-filter-addr $S/core_filters/0/type addr OK
dp_expect_write ops-filter-unmapped $S/ops_filters/0/type unmapped OK
dp_expect_write filter-hugepage_size $S/ops_filters/0/type hugepage_size OK
dp_set $S/ops_filters/0/min 4096
dp_set $S/ops_filters/0/max 2097152
dp_expect_eq filter-min-max "$(values $S/ops_filters/0/min $S/ops_filters/0/max)" "4096 2097152 "
dp_set $S/dests/nr_dests 0
dp_set $S/core_filters/nr_filters 0
dp_set $S/ops_filters/nr_filters 0

# tuned: the intervals the kdamond runs with, "sample_us aggr_us". The
# files first get values no tuning gives and no check below takes (7 and
# 7: below min_sample_us, not the ratio of 20), so that what is read is
# what update_tuned_intervals wrote, never what they held before (after a
# first read, the very values a later one expects).
tuned() {
	dp_set $IV/sample_us 7
	dp_set $IV/aggr_us 7
	dp_set $KD/state update_tuned_intervals
	echo "$(cat $IV/sample_us) $(cat $IV/aggr_us)"
}

# A goal whose bounds exclude sample_us (5000) is refused.
dp_set $G/aggrs 1
dp_set $G/min_sample_us 6000
dp_set $G/max_sample_us 40000
dp_expect_write on-goal-excludes-sample "$KD/state" on EINVAL
dp_set $G/min_sample_us 1000

# The hot area is about a fifth of the monitored bytes, accessed in
# every sample: a goal of half of all possible accesses is far above it.
dp_set $G/access_bp 5000
dp_expect_write on-with-goal "$KD/state" on OK || dp_abort "on refused"
dp_kdamond_pid $KD
at_max() { [ "$(tuned)" = "40000 800000" ]; }
dp_check tuned-grows-to-max dp_wait_for 15 at_max
dp_info "tuned up: $(tuned) (from 5000 100000)"

# Paused with a goal far below what it sees (1%): nothing moves.
dp_set $G/access_bp 100
dp_set $C/pause Y
dp_expect_write commit-paused-goal "$KD/state" commit OK
sleep 2
dp_expect_eq paused-tuning-stands "$(tuned)" "40000 800000"
dp_set $C/pause N
dp_expect_write commit-resume "$KD/state" commit OK
shrunk() { set -- $(tuned); [ "$1" -lt 40000 ] && [ "$2" = $(($1 * 20)) ]; }
dp_check resumed-tuned-shrinks dp_wait_for 15 shrunk
# Down toward min_sample_us, as far as the accesses the workload makes
# in one sample allow (where an emulated kernel is slow, not all the way).
sleep 2
set -- $(tuned)
dp_info "tuned down: $1 $2"
dp_check tuned-within-bounds test "$1" -ge 1000 -a "$1" -lt 40000 -a "$2" = $(($1 * 20))
dp_set $G/min_sample_us $(($1 + 1))
dp_expect_write commit-goal-excludes-sample "$KD/state" commit EINVAL
dp_expect_eq refused-goal-keeps-running "$(cat $KD/pid)" "$kpid"
dp_set $G/min_sample_us 1000

# refresh_ms: files written by hand stay so until it is set.
dp_set $IV/sample_us 7
nr_tried() { cat $S/stats/nr_tried; }
tried0=$(nr_tried)
sleep 1
dp_expect_eq no-refresh-keeps-file "$(cat $IV/sample_us) $(nr_tried)" "7 $tried0"
dp_set $KD/refresh_ms 100
refreshed() { [ "$(cat $IV/sample_us)" -ge 1000 ] && [ "$(nr_tried)" -gt "$tried0" ]; }
dp_check refresh-updates-files dp_wait_for 5 refreshed
dp_set $KD/refresh_ms 0
dp_set $IV/sample_us 7
sleep 1
dp_expect_eq refresh-0-stops "$(cat $IV/sample_us)" 7
# No more tuning: the intervals of the default.
dp_set $G/aggrs 0
dp_set $IV/sample_us 5000
dp_set $IV/aggr_us 100000

# goal_tuner: a met goal stops the temporal tuner's scheme until it is no
# longer met; the consist tuner's goes on, at its smallest quota.
dp_set $Q/reset_interval_ms 100
dp_set $Q/goals/nr_goals 1
dp_set $QG/target_metric user_input
dp_set $QG/target_value 100
dp_set $QG/current_value 100
dp_set $Q/goal_tuner temporal
dp_expect_write commit-temporal "$KD/state" commit OK
tried() { dp_set $KD/state update_schemes_stats; nr_tried; }
sleep 0.5
n0=$(tried)
sleep 1
dp_expect_eq temporal-met-stops "$(tried)" "$n0"
dp_set $QG/current_value 10
dp_expect_write commit-goals "$KD/state" commit_schemes_quota_goals OK
more_tried() { [ "$(tried)" -gt "$1" ]; }
dp_check temporal-unmet-applies dp_wait_for 5 more_tried "$n0"
dp_set $QG/current_value 100
dp_set $Q/goal_tuner consist
dp_expect_write commit-consist "$KD/state" commit OK
sleep 0.5
n0=$(tried)
dp_check consist-met-goes-on dp_wait_for 5 more_tried "$n0"
# node_memcg_used_bp: the LRU memory of the memory cgroup at path (here
# the root: all of it) on node nid, measured: a goal far below it is met
# (the temporal tuner's scheme stops), one of the whole node is not (it
# applies); a path that names no memory cgroup is refused. Without memory
# cgroups (our debug kernel), EOPNOTSUPP. node_eligible_mem_bp is
# paddr's: EINVAL here (it is checked on paddr below).
dp_set $Q/goal_tuner temporal
dp_set $QG/target_metric node_memcg_used_bp
dp_set $QG/path /
dp_set $QG/nid 0
dp_set $QG/target_value 1
want=EOPNOTSUPP
dp_has_memcg && want=OK
dp_expect_write commit-memcg-goal "$KD/state" commit $want
if [ $want = OK ]; then
	sleep 0.5
	n0=$(tried)
	sleep 1
	dp_expect_eq memcg-goal-met-stops "$(tried)" "$n0"
	dp_set $QG/target_value 10000
	dp_expect_write commit-memcg-goal-whole-node "$KD/state" commit OK
	dp_check memcg-goal-unmet-applies dp_wait_for 5 more_tried "$n0"
	dp_set $QG/path /no/such/cgroup
	dp_expect_write commit-memcg-goal-bad-path "$KD/state" commit EINVAL
fi
dp_set $QG/target_metric node_eligible_mem_bp
dp_expect_write commit-eligible-vaddr "$KD/state" commit EINVAL
dp_set $QG/target_metric user_input
dp_set $Q/goal_tuner consist
dp_set $Q/goals/nr_goals 0

# sz_ops_filter_passed: an ops filter that allows anonymous memory (all of
# the workload's) lets bytes through; max_nr_snapshots: the scheme stops
# after that many passes over the target.
sstat() { dp_set $KD/state update_schemes_stats; cat $S/stats/$1; }
dp_set $S/ops_filters/nr_filters 1
dp_set $S/ops_filters/0/type anon
dp_set $S/ops_filters/0/matching Y
dp_set $S/ops_filters/0/allow Y
dp_expect_write commit-ops-filter "$KD/state" commit OK
passed() { [ "$(sstat sz_ops_filter_passed)" -gt $((hot_end - hot_start)) ]; }
dp_check ops-filter-passed-counts dp_wait_for 5 passed
dp_set $S/stats/max_nr_snapshots $(($(sstat nr_snapshots) + 3))
dp_expect_write commit-max-snapshots "$KD/state" commit OK
snapshots_done() { [ "$(sstat nr_snapshots)" = "$(cat $S/stats/max_nr_snapshots)" ]; }
dp_check max-snapshots-reached dp_wait_for 5 snapshots_done
n0=$(sstat nr_tried)
sleep 1
dp_expect_eq max-snapshots-stops "$(sstat nr_snapshots) $(sstat nr_tried)" "$(cat $S/stats/max_nr_snapshots) $n0"
dp_expect_write off "$KD/state" off OK
kill $hc_pid
wait $hc_pid 2>/dev/null

# obsolete_target: three processes monitored, the middle one removed.
dp_set $C/schemes/nr_schemes 0
dp_set $G/aggrs 0
pids=
for i in 0 1 2; do
	dp_hotcold 4 4
	pids="$pids $hc_pid"
done
dp_set $C/targets/nr_targets 3
i=0
for p in $pids; do
	dp_set $C/targets/$i/pid_target $p
	i=$((i + 1))
done
set -- $pids
dump_pids() { awk '$1 == "T" { printf "%s ", $5 }' $DP_DUMP; }
dp_expect_write on-three-targets "$KD/state" on OK || dp_abort "on refused"
dp_kdamond_pid $KD
dp_expect_eq three-targets "$(dump_pids)" "$1 $2 $3 "
dp_set $C/targets/1/obsolete_target Y
dp_expect_write commit-obsolete "$KD/state" commit OK
dp_expect_eq obsolete-removed "$(dump_pids)" "$1 $3 "
dp_expect_eq obsolete-same-kdamond "$(cat $KD/pid)" "$kpid"
# The directories as the running targets now are, then one too many.
dp_set $C/targets/1/obsolete_target N
dp_set $C/targets/1/pid_target $3
dp_set $C/targets/2/pid_target $2
dp_set $C/targets/2/obsolete_target Y
dp_expect_write commit-obsolete-past-end "$KD/state" commit EINVAL
dp_expect_eq obsolete-past-end-unchanged "$(dump_pids)" "$1 $3 "
dp_set $C/targets/nr_targets 2
dp_set $C/targets/0/pid_target $1
dp_set $C/targets/1/pid_target $3
sis() { awk '$1 == "K" { print $8 }' $DP_DUMP; }
dp_expect_write commit-two "$KD/state" commit OK
sis0=$(sis)
sampled() { [ "$(sis)" -gt "$sis0" ]; }
dp_check two-targets-monitored dp_wait_for 5 sampled
dp_expect_eq two-targets "$(dump_pids)" "$1 $3 "
dp_expect_write off-two "$KD/state" off OK
kill $pids
wait 2>/dev/null

# Data attribute probes.
P=$C/monitoring_attrs/probes
dp_expect_eq probes-files "$(modes $P/nr_probes) $(cat $P/nr_probes)" "600  0"
dp_refuses nr_probes $P/nr_probes EINVAL 5 -1
dp_set $P/nr_probes 2
dp_set $P/0/filters/nr_filters 1
PF=$P/0/filters/0
dp_expect_eq probe-files "$(modes $P/0/weight $P/0/filters/nr_filters $PF/type $PF/matching $PF/allow $PF/path)" "600 600 600 600 600 600 "
dp_expect_eq probe-defaults "$(values $P/0/weight $PF/type $PF/matching $PF/allow $PF/path)" "0 anon N N  "
dp_refuses probe-filter-type $PF/type EINVAL young foo addr
dp_expect_write probe-filter-memcg $PF/type memcg OK
dp_set $PF/type anon
dp_set $PF/matching Y
dp_set $PF/allow Y
dp_hotcold 64 64
dp_set $C/targets/nr_targets 1
dp_set $C/operations paddr
dp_set $C/schemes/nr_schemes 1
for f in sz nr_accesses age; do
	dp_set $S/access_pattern/$f/max 18446744073709551615
done
dp_expect_write on-probes "$KD/state" on OK || dp_abort "paddr on with probes refused"
TR=$S/tried_regions
# Every tried region: "hits of probe 0 (anon), of probe 1 (no filter),
# sz_filter_passed, size" per line.
tried_probes() {
	dp_set $KD/state update_schemes_tried_regions
	for d in $TR/[0-9]*; do
		echo "$(cat $d/probes/0/hits) $(cat $d/probes/1/hits) $(cat $d/sz_filter_passed) $(($(cat $d/end) - $(cat $d/start)))"
	done
}
# Anonymous memory is a few percent of the guest's: the first
# aggregations' few regions may sample none of it; the regions split.
anon_hit() {
	tried_probes > /tmp/probes.1
	awk '$1 > 0 { f = 1 } END { exit !f }' /tmp/probes.1
}
dp_check probe-anon-hits dp_wait_for 20 anon_hit
dp_info "tried regions with probes: $(wc -l < /tmp/probes.1), anon hits: $(awk '{ s += $1 } END { print s + 0 }' /tmp/probes.1)"
dp_check probes-regions test -s /tmp/probes.1
dp_check probe-no-filter-hits-every-sample awk '$2 != 20 { exit 1 }' /tmp/probes.1
dp_check probe-anon-within awk '$1 > $2 { exit 1 }' /tmp/probes.1
dp_check tried-no-ops-filter-passes-0 awk '$3 != 0 { exit 1 }' /tmp/probes.1
dp_set $S/ops_filters/nr_filters 1
dp_set $S/ops_filters/0/type anon
dp_set $S/ops_filters/0/matching Y
dp_set $S/ops_filters/0/allow Y
dp_expect_write commit-tried-anon "$KD/state" commit OK
tried_probes > /tmp/probes.2
dp_check tried-anon-passed awk '$3 > 0 { f = 1 } END { exit !f }' /tmp/probes.2
dp_check tried-passed-folios awk '$3 % 4096 { exit 1 }' /tmp/probes.2
# Attributes-only: a weight on the anon probe.
dp_set $P/0/weight 1
dp_set $IV/aggr_us $((5000 * 256))
dp_expect_write commit-weights-window "$KD/state" commit EINVAL
dp_set $IV/aggr_us 100000
dp_expect_write commit-weights "$KD/state" commit OK
accesses() { awk '$1 == "R" { s += $6 + $7 + $8 } END { print s + 0 }' $DP_DUMP; }
sleep 1
dp_expect_eq attrs-only-no-accesses "$(accesses)" 0
anon_hit_only() {
	tried_probes > /tmp/probes.3
	awk '$1 > 0 { f = 1 } END { exit !f }' /tmp/probes.3
}
dp_check attrs-only-probes-go-on dp_wait_for 20 anon_hit_only
dp_set $P/0/weight 0
dp_expect_write commit-no-weights "$KD/state" commit OK
sees_accesses() { [ "$(accesses)" -gt 0 ]; }
dp_check accesses-again dp_wait_for 10 sees_accesses
# node_eligible_mem_bp: node 0 holds all the memory the stat scheme's
# pattern matches (a guest of one node): a goal of half of it is met (the
# temporal tuner's scheme stops); on a node that does not exist, none of
# it: unmet, the scheme applies.
dp_set $P/nr_probes 0
dp_set $S/ops_filters/nr_filters 0
dp_set $S/quotas/goal_tuner temporal
dp_set $S/quotas/goals/nr_goals 1
dp_set $S/quotas/goals/0/target_metric node_eligible_mem_bp
dp_set $S/quotas/goals/0/nid 0
dp_set $S/quotas/goals/0/target_value 5000
dp_expect_write commit-eligible "$KD/state" commit OK
sleep 0.5
n0=$(tried)
sleep 1
dp_expect_eq eligible-met-stops "$(tried)" "$n0"
dp_set $S/quotas/goals/0/nid 7
dp_expect_write commit-eligible-no-node "$KD/state" commit OK
dp_check eligible-unmet-applies dp_wait_for 5 more_tried "$n0"
dp_expect_write off-probes "$KD/state" off OK
kill $hc_pid
wait $hc_pid 2>/dev/null
dp_must rmmod damon_pause

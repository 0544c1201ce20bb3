# SPDX-License-Identifier: GPL-2.0
# guests: debug
# order: 140
# Where: the debug kernel alone: only it has fault injection.
#
# Fault injection (debug kernel only: failslab, fail_page_alloc, fail-nth):
# each allocation on the module's paths made to fail in turn, by a walk
# over /proc/<task>/fail-nth (N: the Nth allocation of that task fails)
# with both injectors' stack trace filter set to the module's text (to
# do_init_module for the load), so that only allocations reached from our
# code count and fail.  Paths: the load (insmod), `on`, `commit`, the
# nr_kdamonds/nr_contexts/nr_targets/nr_regions/nr_schemes/nr_goals/
# nr_filters resizes, update_schemes_tried_regions (all in the writing
# task), the supervisor's commit_inputs (in its thread, dp_hugepaged) and
# a kdamond applying a collapse scheme (in the kdamond).  The walk ends
# when the Nth allocation is not reached: the operation then ran whole.
# For each injected failure:
# - the write returns an error, or it did all it should (the allocator and
#   the debug kernel absorb some failures: a slab's high-order page
#   falls back to a smaller one, kmemleak's metadata to its pool, KASAN's
#   stack depot goes without; those count as "absorbed");
# - what the tree reads back (state, pid, every nr_*, a value in each
#   directory level) is as before: a running kdamond keeps running, same
#   pid;
# - the supervisor: a failed commit_inputs is not recorded as applied (a
#   second commit_inputs applies the whole list, and a live pid whose
#   context could not be had is running then, not "invalid");
# - no new splat in dmesg (and the guest's scan; kmemleak at the end).
# INFO lines give the injection points hit per path.

FI=/sys/kernel/debug
K=$DP_ADMIN/kdamonds
KD=$K/0
C=$KD/contexts/0
T=$C/targets/0
S=$C/schemes/0
FI_MAX=${DP_FI_MAX:-400}
# dp_fi_paths=a,b on the kernel command line walks only those paths (by
# their names in the INFO lines): the whole walk takes long on the debug
# kernel under emulation.
FI_PATHS=${dp_fi_paths:-all}
fi_want() { [ "$FI_PATHS" = all ] || case ",$FI_PATHS," in *,$1,*) ;; *) false ;; esac; }
FI_SPLATS='BUG:|WARNING:|Oops|general protection fault|UBSAN:|unreferenced object|'
FI_SPLATS="${FI_SPLATS}list_(add|del) corruption|ODEBUG:|kernel BUG at|KASAN"

for f in $FI/failslab $FI/fail_page_alloc /proc/thread-self/fail-nth; do
	dp_check faults-have-${f##*/} test -e $f || return 0
done

# fi_range START END: both injectors fail only allocations whose stack
# passes through [START, END), and only through fail-nth.
fi_range() {
	local a
	for a in $FI/failslab $FI/fail_page_alloc; do
		echo 0 > $a/probability
		echo 0 > $a/verbose
		echo N > $a/task-filter
		echo N > $a/ignore-gfp-wait
		echo 32 > $a/stacktrace-depth
		echo $1 > $a/require-start
		echo $2 > $a/require-end
	done
	echo 0 > $FI/fail_page_alloc/min-order
}
# The module's text, once loaded: .text and the size /proc/modules gives.
fi_range_module() {
	local start size
	start=$(cat /sys/module/damon_pause/sections/.text)
	size=$(awk '$1 == "damon_pause" { print $2 }' /proc/modules)
	fi_range $start $(dp-io add $start $size)
}
# New splats in the kernel log since the last fi_splats_reset (the console
# keeps them all for the guest's scan).
fi_splats_reset() { dmesg -c > /dev/null; }
# fi_try DP-IO-ARGS...: dp-io with its $n-th allocation made to fail; res
# its outcome (OK, or the errno's name), nth what fail-nth read after (0:
# the failure was injected; else the call made fewer allocations).
fi_try() {
	local out
	out=$(DP_FAILNTH=$n dp-io "$@")
	res=${out%% *}
	nth=${out##*nth=}
}
fi_splats() { dmesg | grep -cE "$FI_SPLATS"; }

# fi_report NAME HITS ABSORBED PARTIAL CHANGED LAST: the figures and
# checks of one walk: HITS failures injected, ABSORBED of them ended OK
# with the operation whole, PARTIAL ended OK without it, CHANGED were
# refused but changed something; LAST is the outcome once nothing failed.
fi_report() {
	dp_info "faults: $1: $2 injection points hit in $(($(date +%s) - fi_t0)) s: $(($2 - $3 - $4)) refused," \
		"$3 absorbed (OK and whole), $4 OK but not whole, $5 changed what" \
		"they refused; without a failure: $6"
	echo "$1 $2" >> /tmp/fi.hits
	dp_check faults-$1-hit test "$2" -gt 0
	dp_expect_eq faults-$1-whole-once-nothing-fails "$6" OK
	dp_expect_eq faults-$1-ok-means-whole "$4" 0
	dp_expect_eq faults-$1-refused-unchanged "$5" 0
	dp_expect_eq faults-$1-no-splat "$(fi_splats)" 0
}

# A module built with its KUnit suites runs them at every load, inside
# do_init_module: a filter that matches no suite keeps them out of the
# walk (and its time).
KG=/sys/module/kunit/parameters/filter_glob
kunit_glob=
if [ -w $KG ]; then
	kunit_glob=$(cat $KG)
	echo dp_faults_no_suite > $KG
fi
# (A glob never set reads "(null)"; "*.*" is what KUnit then uses.)
kunit_restore() {
	case "$kunit_glob" in
	''|'(null)') kunit_glob='*.*' ;;
	esac
	[ -w $KG ] && echo "$kunit_glob" > $KG
}

# ---- the load --------------------------------------------------------------

set -- $(sort /proc/kallsyms | grep -A1 ' [tT] do_init_module$' | cut -d' ' -f1)
dp_check faults-found-do_init_module test -n "${2:-}" || return 0
fi_range 0x$1 0x$2
fi_splats_reset
n=1 hits=0 absorbed=0 partial=0 changed=0 last= dump_warned=0
fi_t0=$(date +%s)
fi_want load || n=$((FI_MAX + 1))
while [ $n -le $FI_MAX ]; do
	fi_try insmod "$DP_MODULE"
	if [ "$nth" != 0 ]; then
		last=$res
		break
	fi
	hits=$((hits + 1))
	if [ "$res" = OK ]; then
		# Whole, or it is a failure hidden as a success.  The debugfs
		# dump is a diagnostic that, as debugfs wants, fails no load:
		# missing, the log must say so.
		warned=$(dmesg | grep -c 'no debugfs dump')
		if [ -d $K ] && [ -e $DP_PARAMS/supervisor ] &&
			{ [ -e $DP_DUMP ] || [ "$warned" -gt "$dump_warned" ]; }; then
			absorbed=$((absorbed + 1))
		else
			partial=$((partial + 1))
			echo "load $n: OK without:$([ -d $K ] || echo ' admin tree')$([ -e $DP_DUMP ] ||
				echo ' debugfs dump')$([ -e $DP_PARAMS/supervisor ] || echo ' parameters')" >> /tmp/fi.log
		fi
		rmmod damon_pause
		dump_warned=$warned
	elif [ -d /sys/module/damon_pause ] || [ -d $DP_ADMIN ]; then
		changed=$((changed + 1))
		rmmod damon_pause 2> /dev/null
	fi
	n=$((n + 1))
done
fi_want load && fi_report load $hits $absorbed $partial $changed "$last"
[ -d /sys/module/damon_pause ] || insmod "$DP_MODULE" ||
	{ dp_fail faults-load insmod; return 0; }
fi_range_module

# ---- the admin tree --------------------------------------------------------

THP=/sys/kernel/mm/transparent_hugepage/enabled
thp_before=$(sed 's/.*\[\(.*\)\].*/\1/' $THP)
echo never > $THP
dp_hotcold 16 16 || { dp_fail faults-workload "hotcold did not start"; rmmod damon_pause; return 0; }

# setup_tree: kdamond 0 with the fullest tree (every level, values that
# are not the defaults), valid for `on`.
setup_tree() {
	dp_tree $KD $hc_pid $hot_start $cold_end &&
	echo 200000 > $C/monitoring_attrs/intervals/aggr_us &&
	echo 1000 > $S/quotas/reset_interval_ms &&
	echo target > $S/filters/0/type &&
	echo Y > $S/filters/0/allow
}
# What a refused write must leave as it was (the shell's read: no fork,
# this runs twice per try).
snap() {
	local f v
	for f in $KD/state $KD/pid $K/nr_kdamonds $KD/contexts/nr_contexts $C/monitoring_attrs/intervals/aggr_us \
		$C/targets/nr_targets $T/pid_target $T/regions/nr_regions \
		$T/regions/0/end $C/schemes/nr_schemes $S/access_pattern/sz/min \
		$S/quotas/goals/nr_goals $S/quotas/goals/0/target_value \
		$S/filters/nr_filters $S/filters/0/type; do
		v=
		read -r v 2> /dev/null < $f || v=missing
		echo "$f $v"
	done
	echo $S/tried_regions/*
	v=; read -r v 2> /dev/null < $S/tried_regions/total_bytes
	echo "total_bytes $v"
}
ensure_on() {
	local v
	read -r v 2> /dev/null < $KD/state
	[ "$v" = on ] || echo on > $KD/state 2> /dev/null
}
ensure_off() {
	local v
	read -r v 2> /dev/null < $KD/state
	[ "$v" = off ] || echo off > $KD/state 2> /dev/null
}
# What a write that went through must have done.
whole_on() { [ "$(cat $KD/state)" = on ] && [ "$(cat $KD/pid)" != -1 ]; }
# whole_nr FILE N: FILE reads N and N numbered directories are beside it.
whole_nr() {
	local d=${1%/*}
	[ "$(cat $1)" = $2 ] && [ "$(ls -d $d/[0-9]* 2> /dev/null | wc -l)" = $2 ]
}
whole_tried() {
	[ -d $S/tried_regions/0 ] && [ "$(cat $S/tried_regions/total_bytes)" != 0 ]
}

# emptied FILE: a refused nr_* write left its list empty, as upstream's
# does (the new directories take the old ones' names: the old go first),
# and nothing above the list changed: a kdamond that ran runs, same pid.
emptied() {
	whole_nr $1 0 && { [ $1 = $K/nr_kdamonds ] ||
		[ "$(echo "$after" | head -n 2)" = "$(echo "$before" | head -n 2)" ]; }
}

# fi_walk NAME FILE VALUE PREP UNDO WHOLE [EMPTIED]: walk the allocations
# of writing VALUE (escapes decoded) to FILE; PREP sets up before each
# try, UNDO takes back a write that went through, WHOLE (a command) says
# whether one that went through did all it should; EMPTIED (a command),
# whether a refusal that changed the tree left it as upstream's would.
fi_walk() {
	local name=$1 file=$2 value=$3 prep=$4 undo=$5 whole=$6 empty=${7:-false}
	local n=1 hits=0 absorbed=0 partial=0 changed=0 nempty=0 last= out res
	local nth before after
	fi_want $name || return 0
	fi_splats_reset
	fi_t0=$(date +%s)
	while [ $n -le $FI_MAX ]; do
		$prep
		before=$(snap)
		fi_try w $file "$value"
		if [ "$nth" != 0 ]; then
			last=$res
			break
		fi
		hits=$((hits + 1))
		if [ "$res" = OK ]; then
			if $whole; then
				absorbed=$((absorbed + 1))
			else
				partial=$((partial + 1))
				echo "$name $n: OK but not whole" >> /tmp/fi.log
			fi
		else
			after=$(snap)
			if [ "$after" != "$before" ] && $empty; then
				nempty=$((nempty + 1))
			elif [ "$after" != "$before" ]; then
				changed=$((changed + 1))
				echo "$name $n: $res, changed:" >> /tmp/fi.log
				echo "$before" > /tmp/fi.before
				echo "$after" | diff /tmp/fi.before - >> /tmp/fi.log
			fi
		fi
		[ "$res" = OK ] && $undo
		n=$((n + 1))
	done
	[ "$last" = OK ] && $undo
	[ $nempty = 0 ] || dp_info "faults: $name: $nempty refusals left the list empty, as upstream"
	fi_report $name $hits $absorbed $partial $changed "$last"
}

echo 1 > $K/nr_kdamonds
setup_tree || { dp_fail faults-setup "tree setup"; kill $hc_pid; rmmod damon_pause; return 0; }
prep_off() { ensure_off; }
fi_walk on $KD/state 'on\n' prep_off ensure_off whole_on
aggr=200000
prep_commit() {
	ensure_on
	# A real change each time: intervals, the region, the goal.
	aggr=$((300000 - aggr))
	echo $aggr > $C/monitoring_attrs/intervals/aggr_us
}
# whole_commit: on, running with the values the commit was to apply
# (state and pid alone pass a commit that swallowed an ENOMEM, kept the
# old values and said OK): the aggregation interval, read back
# from the kdamond (update_tuned_intervals, no intervals goal: its own
# values into the files) over a sentinel, so that what is read is the
# kdamond's, never what prep_commit wrote.
whole_commit() {
	whole_on &&
		echo 1 > $C/monitoring_attrs/intervals/aggr_us &&
		echo update_tuned_intervals > $KD/state &&
		[ "$(cat $C/monitoring_attrs/intervals/aggr_us)" = $aggr ]
}
fi_walk commit $KD/state 'commit\n' prep_commit true whole_commit
ensure_on
kpid=$(cat $KD/pid)

# The resizes, on a running kdamond but nr_kdamonds (refused while one
# runs); each try from one directory of the level it resizes, which the
# write then recreates (a setup of the whole tree per try takes seconds
# on the debug kernel).
prep_kd() { ensure_off; echo 1 > $K/nr_kdamonds; }
prep_ctx() { ensure_on; echo 1 > $KD/contexts/nr_contexts; }
prep_targets() { echo 1 > $C/targets/nr_targets; }
prep_regions() { echo 1 > $T/regions/nr_regions; }
prep_schemes() { echo 1 > $C/schemes/nr_schemes; }
prep_goals() { echo 1 > $S/quotas/goals/nr_goals; }
prep_filters() { echo 1 > $S/filters/nr_filters; }
prep_tree() { echo 1 > $K/nr_kdamonds 2> /dev/null; setup_tree; }
fi_walk nr_kdamonds $K/nr_kdamonds '2\n' prep_kd true "whole_nr $K/nr_kdamonds 2" \
	"emptied $K/nr_kdamonds"
prep_tree
fi_walk nr_contexts $KD/contexts/nr_contexts '1\n' prep_ctx true \
	"whole_nr $KD/contexts/nr_contexts 1" "emptied $KD/contexts/nr_contexts"
prep_tree
ensure_on
fi_walk nr_targets $C/targets/nr_targets '2\n' prep_targets true "whole_nr $C/targets/nr_targets 2" \
	"emptied $C/targets/nr_targets"
prep_tree
fi_walk nr_regions $T/regions/nr_regions '2\n' prep_regions true "whole_nr $T/regions/nr_regions 2" \
	"emptied $T/regions/nr_regions"
prep_tree
fi_walk nr_schemes $C/schemes/nr_schemes '2\n' prep_schemes true "whole_nr $C/schemes/nr_schemes 2" \
	"emptied $C/schemes/nr_schemes"
prep_tree
fi_walk nr_goals $S/quotas/goals/nr_goals '2\n' prep_goals true \
	"whole_nr $S/quotas/goals/nr_goals 2" "emptied $S/quotas/goals/nr_goals"
prep_tree
fi_walk nr_filters $S/filters/nr_filters '2\n' prep_filters true "whole_nr $S/filters/nr_filters 2" \
	"emptied $S/filters/nr_filters"
prep_tree
# Few regions, so few tried_regions directories: each is a dozen
# allocations, and each try costs seconds on the debug kernel.
echo 3 > $C/monitoring_attrs/nr_regions/min
echo 3 > $C/monitoring_attrs/nr_regions/max
ensure_on
echo commit > $KD/state
dp_sleep 1
prep_tried() { ensure_on; echo clear_schemes_tried_regions > $KD/state; }
fi_walk update_tried $KD/state 'update_schemes_tried_regions\n' prep_tried true whole_tried
dp_expect_write faults-tree-off $KD/state off OK

# ---- the kdamond applying a collapse scheme --------------------------------

# Each N is armed in the kdamond's fail-nth, which reads 0 once the Nth
# allocation failed: a collapse pass reaches it within an aggregation or
# two, so the walk waits for that, and only the last N, never reached,
# costs the whole wait.  A kdamond that an injected failure made quit
# might take a moment to go: a second look after the walk.
setup_tree
echo collapse > $S/action
echo 2097152 > $S/access_pattern/sz/min
echo 0 > $S/quotas/goals/nr_goals
echo 0 > $S/filters/nr_filters
dp_expect_write faults-collapse-on $KD/state on OK
kpid=$(cat $KD/pid)
fi_splats_reset
n=1 hits=0 changed=0
fi_want collapse || n=31
while [ $n -le 30 ]; do
	echo $n > /proc/$kpid/task/$kpid/fail-nth || break
	dp_wait_for 1 grep -qx 0 /proc/$kpid/task/$kpid/fail-nth
	nth=$(cat /proc/$kpid/task/$kpid/fail-nth 2>/dev/null)
	echo 0 > /proc/$kpid/task/$kpid/fail-nth 2>/dev/null
	[ "$nth" = 0 ] || break
	hits=$((hits + 1))
	[ "$(cat $KD/state) $(cat $KD/pid)" = "on $kpid" ] || { changed=$((changed + 1)); break; }
	n=$((n + 1))
done
dp_sleep 1
[ "$(cat $KD/state) $(cat $KD/pid)" = "on $kpid" ] || changed=$((changed + 1))
collapsed=$(dp_smaps_kb $hc_pid $hot_start $hot_end AnonHugePages)
if fi_want collapse; then
dp_info "faults: collapse: $hits injection points hit in the kdamond, $collapsed kB of the hot area in huge pages"
echo "collapse $hits" >> /tmp/fi.hits
dp_check faults-collapse-hit test $hits -gt 0
dp_expect_eq faults-collapse-kdamond-survives "$changed" 0
dp_check faults-collapse-still-collapses test "$collapsed" -gt 0
dp_expect_eq faults-collapse-no-splat "$(fi_splats)" 0
fi
dp_expect_write faults-collapse-off $KD/state off OK
echo $thp_before > $THP

# ---- the supervisor's commit_inputs ----------------------------------------

hc1=$hc_pid
dp_hotcold 8 8 || { dp_fail faults-workload2 "hotcold did not start"; kill $hc1; rmmod damon_pause; return 0; }
hc2=$hc_pid
P=$DP_PARAMS
commit_inputs() {
	echo Y > $P/commit_inputs &&
	dp_wait_for 20 grep -qx N $P/commit_inputs
}
supervised() { awk -v p=$1 '$1 == p { print $2 }' $P/status; }
echo $hc1 > $P/monitored_pids
# Every commit_inputs is taken at the next period: the shortest.
echo 100000 > $P/monitor_period
dp_expect_write faults-supervisor-on $P/supervisor Y OK
hp=$(for f in /proc/[0-9]*/comm; do
	[ "$(cat $f 2>/dev/null)" = dp_hugepaged ] && { f=${f#/proc/}; echo ${f%/comm}; }
done | head -n 1)
dp_check faults-supervisor-thread test -n "$hp" || { kill $hc1 $hc2; rmmod damon_pause; return 0; }
fi_splats_reset
n=1 hits=0 lost=0 dead=0
fi_want commit_inputs || n=101
while [ $n -le 100 ]; do
	echo $hc1 > $P/monitored_pids
	commit_inputs
	echo $hc1,$hc2 > $P/monitored_pids
	echo $n > /proc/$hp/task/$hp/fail-nth
	commit_inputs
	nth=$(cat /proc/$hp/task/$hp/fail-nth)
	echo 0 > /proc/$hp/task/$hp/fail-nth
	[ "$nth" = 0 ] || break
	hits=$((hits + 1))
	[ -d /proc/$hp ] && grep -qx Y $P/supervisor || { dead=$((dead + 1)); break; }
	# A failed apply must not count as applied: the next one applies all,
	# and a live pid whose context could not be had then is monitored,
	# not marked invalid for good (issue 25, item 7).
	commit_inputs
	case $(supervised $hc2) in
	running|paused) ;;
	*)
		lost=$((lost + 1))
		echo "supervisor $n: pid $hc2 '$(supervised $hc2)' after a failed apply" >> /tmp/fi.log
		;;
	esac
	n=$((n + 1))
done
if fi_want commit_inputs; then
dp_info "faults: commit_inputs: $hits injection points hit in dp_hugepaged, $lost lost updates"
echo "commit_inputs $hits" >> /tmp/fi.hits
dp_check faults-commit_inputs-hit test $hits -gt 0
dp_expect_eq faults-commit_inputs-not-lost "$lost" 0
dp_expect_eq faults-commit_inputs-supervisor-survives "$dead" 0
both_live() {
	local p
	for p in $hc1 $hc2; do
		case $(supervised $p) in running|paused) ;; *) return 1 ;; esac
	done
}
dp_check faults-commit_inputs-both-supervised both_live
dp_expect_eq faults-commit_inputs-no-splat "$(fi_splats)" 0
fi
dp_expect_write faults-supervisor-off $P/supervisor N OK

head -n 20 /tmp/fi.log 2>/dev/null | while read -r line; do dp_info "faults: $line"; done
dp_info "faults: injection points per path: $(tr '\n' ' ' < /tmp/fi.hits)"
kill $hc1 $hc2
wait $hc1 $hc2 2>/dev/null
dp_check faults-unload rmmod damon_pause
kunit_restore

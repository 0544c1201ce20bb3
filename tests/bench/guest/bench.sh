# SPDX-License-Identifier: GPL-2.0
# Guest side of `make bench` (tests/bench/bench.sh; DESIGN §6): our
# monitor and the in-kernel DAMON of Debian's 6.12 kernel, driven the same
# way (the same sysfs layout under two roots, the same intervals and region
# limits, the same workloads), one after the other and interleaved.  Every
# figure goes to the results port as one line
#   BENCH sec=SECTION mon=kern|ours [key=value ...]
# which the host turns into tables.  Nothing here passes or fails: it
# measures.  The kernel command line's bench_quick=1 shortens it.
#
# Regions of both monitors are read the same way: a `stat` scheme (which
# matches every region) and update_schemes_tried_regions.  A region counts
# as hot when it saw an access in the aggregation (nr_accesses >= 1);
# precision and recall are byte-weighted against the workload's known hot
# set, and every byte classified hot outside the hot set (cold memory,
# guards, gaps) counts against precision.

QUICK=${bench_quick:-0}
SAMPLE_US=5000
AGGR_US=100000
UPDATE_US=60000000
THP=/sys/kernel/mm/transparent_hugepage/enabled
T=/tmp/bench
mkdir -p $T

out() { echo "BENCH $*" > "$DP_RESULTS"; }
now() { cut -d' ' -f1 /proc/uptime; }
calc() { awk "BEGIN { printf \"%.3f\", $* }"; }

root_of() { # root_of MON: the admin tree of a monitor
	case $1 in
	kern) echo /sys/kernel/mm/damon/admin ;;
	ours) echo "$DP_ADMIN" ;;
	esac
}
kd_of() { echo "$(root_of $1)/kdamonds/${2:-0}"; }

# sleep_until T: sleep until /proc/uptime reads T.
sleep_until() {
	local d
	d=$(awk -v t=$1 -v n=$(now) 'BEGIN { d = t - n; printf "%.2f", (d > 0 ? d : 0) }')
	sleep "$d"
}

# mon_setup MON KD MIN MAX PID...: kdamond KD of MON gets one vaddr context
# with the bench's intervals, MIN/MAX regions, the PIDs as targets and one
# stat scheme (for the tried regions).  With "paddr START END" for the
# PIDs: a paddr context of one target, that physical range its region.
mon_setup() {
	local mon=$1 kd c i=0 p f ops=vaddr
	kd=$(kd_of $1 $2)
	c=$kd/contexts
	echo 1 > $c/nr_contexts
	c=$c/0
	[ "$5" != paddr ] || ops=paddr
	echo $ops > $c/operations
	echo $SAMPLE_US > $c/monitoring_attrs/intervals/sample_us
	echo $AGGR_US > $c/monitoring_attrs/intervals/aggr_us
	echo $UPDATE_US > $c/monitoring_attrs/intervals/update_us
	echo $4 > $c/monitoring_attrs/nr_regions/max
	echo $3 > $c/monitoring_attrs/nr_regions/min
	echo $4 > $c/monitoring_attrs/nr_regions/max
	shift 4
	if [ $ops = paddr ]; then
		echo 1 > $c/targets/nr_targets
		echo 1 > $c/targets/0/regions/nr_regions
		echo $2 > $c/targets/0/regions/0/start
		echo $3 > $c/targets/0/regions/0/end
	else
		echo $# > $c/targets/nr_targets
		for p; do
			echo $p > $c/targets/$i/pid_target
			i=$((i + 1))
		done
	fi
	echo 1 > $c/schemes/nr_schemes
	echo stat > $c/schemes/0/action
	# The access pattern's ranges are all 0..0 by default: every region.
	for f in sz nr_accesses age; do
		echo 18446744073709551615 > $c/schemes/0/access_pattern/$f/max
	done
}

# mon_init MON MIN MAX PID...: one kdamond, set up as above.
mon_init() {
	local mon=$1 min=$2 max=$3
	shift 3
	echo 0 > $(root_of $mon)/kdamonds/nr_kdamonds
	echo 1 > $(root_of $mon)/kdamonds/nr_kdamonds
	mon_setup $mon 0 $min $max "$@"
}

# mon_on MON: start kdamond 0; sets kpid and t_on.
mon_on() {
	local r
	r=$(dp-write $(kd_of $1)/state on)
	[ "$r" = OK ] || out "sec=error mon=$1 what=on err=$r"
	t_on=$(now)
	kpid=$(cat $(kd_of $1)/pid)
}
mon_off() {
	echo off > $(kd_of $1)/state
	echo 0 > $(root_of $1)/kdamonds/nr_kdamonds
}
commit() { echo commit > $(kd_of $1)/state; }

# snap MON [KD]: "start end nr_accesses" of every region, from the tried
# regions of the stat scheme (the regions at the next scheme application).
snap() {
	local kd r try
	kd=$(kd_of $1 ${2:-0})
	# Debian 6.12's in-kernel monitor now and then answers with no
	# regions at all: up to three tries.
	for try in 1 2 3; do
		r=$(dp-write $kd/state update_schemes_tried_regions)
		[ "$r" = OK ] || out "sec=error mon=$1 what=update_schemes_tried_regions err=$r"
		[ -d $kd/contexts/0/schemes/0/tried_regions/0 ] && break
		out "sec=retry mon=$1 what=empty-tried-regions try=$try"
	done
	dp_tried $kd/contexts/0/schemes/0
}

# dump: "start end last_nr_accesses" of every region of our monitor, from
# the debugfs dump: the count of the last complete aggregation, read
# between two samples (so after that aggregation's split: up to twice as
# many regions as at the aggregation). Tried regions report
# nr_accesses_bp / 10000, a moving sum over the last aggregation
# interval, taken right after an aggregation's merge (where it is about
# that aggregation's count): upstream's at the scheme application, ours
# at the end of the next aggregation interval.
dump() { awk '$1 == "R" { print $4, $5, $8 }' $DP_DUMP; }

# classify HOTFILE < SNAPSHOT: "precision recall nr_regions" of "hot"
# (nr_accesses >= 1), byte-weighted, against the "START END" ranges of
# HOTFILE ("- - 0" for no region).
classify() { dp_hot_figures "$(cat "$1")" | cut -d' ' -f1-3; }

# wss < SNAPSHOT: the working set estimate, MiB: the bytes of the regions
# that count as hot (nr_accesses >= 1), as classify counts them.
wss() { awk '$3 >= 1 { b += $2 - $1 } END { printf "%.1f\n", b / 1048576 }'; }

# kstat PID: "run_ns timeslices ticks voluntary_switches" of a task so far.
kstat() {
	echo "$(cut -d' ' -f1,3 /proc/$1/schedstat) $(awk '{ print $14 + $15 }' /proc/$1/stat)" \
		"$(awk '/^voluntary_ctxt_switches/ { print $2 }' /proc/$1/status)"
}

# cpuwin PID SECONDS: the task's use over a window, per second:
# "cpu_us=.. tick_ms=.. slices=.. wakeups=.. secs=.." (cpu_us from
# schedstat's run time, tick_ms from utime + stime in USER_HZ ticks,
# slices: times it got a CPU, wakeups: voluntary context switches, each
# of which ends in a wakeup).
cpuwin() {
	local a b t0 t1
	t0=$(now); a=$(kstat $1)
	sleep "$2"
	t1=$(now); b=$(kstat $1)
	echo $a $b | awk -v t=$(calc "$t1 - $t0") '{
		printf "cpu_us=%.1f tick_ms=%.1f slices=%.2f wakeups=%.2f secs=%.2f",
			($5 - $1) / 1000 / t, ($7 - $3) * 10 / t, ($6 - $2) / t,
			($8 - $4) / t, t }'
}

# slab: "slab_kb sunreclaim_kb kstack_kb" from /proc/meminfo.
slab() {
	awk '$1 == "Slab:" { s = $2 } $1 == "SUnreclaim:" { u = $2 }
	$1 == "KernelStack:" { k = $2 } END { print s, u, k }' /proc/meminfo
}

# The order of the runs of each comparison: all of one monitor, then all
# of the other ("seq"), then alternating ("inter").
if [ "$QUICK" = 1 ]; then
	RUNS="seq:kern:1 seq:ours:1"
else
	RUNS="seq:kern:1 seq:kern:2 seq:kern:3 seq:ours:1 seq:ours:2 seq:ours:3"
	RUNS="$RUNS inter:ours:4 inter:kern:4 inter:kern:5 inter:ours:5 inter:ours:6 inter:kern:6"
fi

# accuracy_run SEC MON MODE REP HOTFILE PID: P/R at 5 s and 10 s, then the
# kdamond's CPU over a 5 s window without reads (and, ours, 3 s paused).
# PID may be "paddr START END" (mon_setup).
accuracy_run() {
	local sec=$1 mon=$2 tag="mode=$3 rep=$4" hot=$5 pid=$6 pr5 pr10 pd5 pd10 cpu
	local paused= w5 w10
	mon_init $mon 10 1000 $pid
	mon_on $mon
	sleep_until $(calc "$t_on + 5")
	# The dump first: it is cheap, while a tried-regions read of
	# hundreds of regions keeps a vCPU busy for a while.
	pd5="- - -"
	[ $mon = ours ] && pd5=$(dump | classify $hot)
	snap $mon > $T/snap.acc
	pr5=$(classify $hot < $T/snap.acc)
	w5=$(wss < $T/snap.acc)
	sleep_until $(calc "$t_on + 10")
	pd10="- - -"
	[ $mon = ours ] && pd10=$(dump | classify $hot)
	snap $mon > $T/snap.acc
	pr10=$(classify $hot < $T/snap.acc)
	w10=$(wss < $T/snap.acc)
	echo clear_schemes_tried_regions > $(kd_of $mon)/state
	cpu=$(cpuwin $kpid 5)
	if [ $mon = ours ] && [ $sec = paddr ]; then
		echo Y > $(kd_of ours)/contexts/0/pause
		commit ours
		set -- $(cpuwin $kpid 3)
		paused="paused_cpu_${1#cpu_}"
	fi
	set -- $pr5 $pr10 $pd5 $pd10
	out "sec=$sec mon=$mon $tag p5=$1 r5=$2 n5=$3 p10=$4 r10=$5 n10=$6" \
		"dp5=$7 dr5=$8 dp10=${10} dr10=${11} wss5=$w5 wss10=$w10 $cpu $paused"
	mon_off $mon
}

# --- hot/cold: 256 MiB written at random, 512 MiB written once ---------
# accuracy_runs WORKLOAD PID: accuracy_run of each of $RUNS
# (MODE:MON:REP) on WORKLOAD, whose hot ranges are $T/hot.WORKLOAD.
accuracy_runs() {
	local r mode mon rep
	for r in $RUNS; do
		IFS=: read -r mode mon rep <<-EOT
		$r
		EOT
		accuracy_run $1 $mon $mode $rep $T/hot.$1 $2
	done
}

bench_hotcold() {
	need_hotcold || return
	accuracy_runs hotcold $hc_pid
}

# --- paddr: the hot/cold workload's physical pages ---------------------
# Both monitors over the physical span of the workload's pages (its lowest
# page to its highest: as the paddr scenario, tests/integration/paddr.sh,
# says, over all of RAM regions straddle the free blocks a guest hands
# out in no physical order), the hot set the hot area's page frames
# (/proc/PID/pagemap through dp-pages), 128 MiB hot and 128 MiB cold as
# there.  The kdamond's CPU, and ours paused.
bench_paddr() {
	local r span
	[ -n "${hc_pid:-}" ] && kill $hc_pid 2>/dev/null && wait $hc_pid 2>/dev/null
	hc_pid=
	sync
	echo 3 > /proc/sys/vm/drop_caches
	[ ! -f /proc/sys/vm/compact_memory ] || echo 1 > /proc/sys/vm/compact_memory
	dp_hotcold 128 128 || { out "sec=error what=hotcold"; return; }
	dp-pages runs $hc_pid $hot_start $hot_end > $T/hot.paddr
	dp-pages runs $hc_pid $cold_start $cold_end > $T/cold.paddr
	span=$(sort -n $T/hot.paddr $T/cold.paddr | awk 'NR == 1 { s = $1 }
		{ if ($2 > e) e = $2 } END { print s, e }')
	out "sec=paddr-layout hot_runs=$(wc -l < $T/hot.paddr) cold_runs=$(wc -l < $T/cold.paddr) span_mib=$(echo $span | awk '{ printf "%d", ($2 - $1) / 1048576 }')"
	for r in $RUNS; do
		IFS=: read -r mode mon rep <<-EOT
		$r
		EOT
		accuracy_run paddr $mon $mode $rep $T/hot.paddr "paddr $span"
	done
	paddr_prep_cost $span
	kill $hc_pid
	wait $hc_pid 2>/dev/null
	hc_pid=
}

# paddr_prep_cost START END: the probe preparations' cost (issue 29): ours
# over the same span with access as an attribute, a pgidle_unset probe of
# weight 1 whose set_pgidle prep marks each sample idle before its
# interval (attributes-only: the probe's samples, no access checks), the
# kdamond's CPU as in the runs above.  Where the kernel has no page idle
# flags, `on` refuses the prep: said, not measured.
paddr_prep_cost() {
	local rep p r
	for rep in 1 2 3; do
		mon_init ours 10 1000 paddr $1 $2
		p=$(kd_of ours)/contexts/0/monitoring_attrs/probes
		echo 1 > $p/nr_probes
		echo 1 > $p/0/preps/nr_preps
		echo set_pgidle > $p/0/preps/0/prep_action
		echo 1 > $p/0/filters/nr_filters
		echo pgidle_unset > $p/0/filters/0/type
		echo Y > $p/0/filters/0/matching
		echo Y > $p/0/filters/0/allow
		echo 1 > $p/0/weight
		r=$(dp-write $(kd_of ours)/state on)
		if [ "$r" != OK ]; then
			out "sec=paddr-prep mon=ours rep=$rep err=$r"
			mon_off ours
			return
		fi
		t_on=$(now)
		kpid=$(cat $(kd_of ours)/pid)
		sleep_until $(calc "$t_on + 10")
		out "sec=paddr-prep mon=ours rep=$rep $(cpuwin $kpid 5)"
		mon_off ours
	done
}

resume_ns() { awk '$1 == "K" { print $12 }' $DP_DUMP; }
resumed_since() { [ "$(resume_ns)" != "$1" ]; }

# need_hotcold: the hot/cold workload runs (hc_pid), its hot set in
# $T/hot.hotcold.
need_hotcold() {
	[ -n "${hc_pid:-}" ] && [ -d /proc/$hc_pid ] && return 0
	dp_hotcold 256 512 || { out "sec=error what=hotcold"; return 1; }
	echo "$hot_start $hot_end" > $T/hot.hotcold
}

# paused_windows MON: MON's kdamond (kpid) paused, measured at sample_us
# 5000 and 0; left paused, at the bench's sample_us.
paused_windows() {
	local c=$(kd_of $1)/contexts/0
	echo Y > $c/pause
	commit $1
	out "sec=pause mon=$1 state=paused sample_us=5000 $(cpuwin $kpid 5)"
	echo 0 > $c/monitoring_attrs/intervals/sample_us
	commit $1
	out "sec=pause mon=$1 state=paused sample_us=0 $(cpuwin $kpid 5)"
	echo $SAMPLE_US > $c/monitoring_attrs/intervals/sample_us
	commit $1
}

# --- pause (ours) and the in-kernel monitor of a stopped target -------
bench_pause() {
	local C=$(kd_of ours)/contexts/0 i t0 res d
	need_hotcold || return
	mon_init ours 10 1000 $hc_pid
	mon_on ours
	sleep 5
	out "sec=pause mon=ours state=running sample_us=5000 $(cpuwin $kpid 5)"
	paused_windows ours
	# Resume latency: the write of commit (CLOCK_MONOTONIC before it) to
	# the kdamond's first sample after it (last_resume_ns).
	for i in 1 2 3 4 5 6 7; do
		d=$(resume_ns)
		echo N > $C/pause
		set -- $(dp-write -t $(kd_of ours)/state commit)
		t0=$2
		dp_wait_for 2 resumed_since $d
		res=$(resume_ns)
		out "sec=resume mon=ours rep=$i lat_us=$(((res - t0) / 1000)) write_us=$((($3 - t0) / 1000))"
		sleep 0.5
		echo Y > $C/pause
		commit ours
		sleep 0.3
	done
	# Not paused, the target stopped (SIGSTOP): the same for both.
	echo N > $C/pause
	commit ours
	kill -STOP $hc_pid
	sleep 1
	out "sec=pause mon=ours state=stopped-target sample_us=5000 $(cpuwin $kpid 5)"
	kill -CONT $hc_pid
	mon_off ours

	# The in-kernel DAMON of 7.2 and later has a pause of its own (its
	# context's pause file, applied by commit): measured as ours. 6.12's
	# has none: what is closest is a running context whose target does
	# nothing (below, for both kernels).
	mon_init kern 10 1000 $hc_pid
	mon_on kern
	sleep 5
	out "sec=pause mon=kern state=running sample_us=5000 $(cpuwin $kpid 5)"
	C=$(kd_of kern)/contexts/0
	if [ -e $C/pause ]; then
		paused_windows kern
		echo N > $C/pause
		commit kern
	fi
	kill -STOP $hc_pid
	sleep 1
	out "sec=pause mon=kern state=stopped-target sample_us=5000 $(cpuwin $kpid 5)"
	echo 0 > $(kd_of kern)/contexts/0/monitoring_attrs/intervals/sample_us
	commit kern
	sleep 0.5
	out "sec=pause mon=kern state=stopped-target sample_us=0 $(cpuwin $kpid 3)"
	kill -CONT $hc_pid
	mon_off kern
}

# --- the first aggregation after resume versus after off/on -----------
# Ours is read from the debugfs dump once its aggregation counter has
# passed the value it had at the commit (or 0, after on): the counts of
# the first complete aggregation; `aggr` says which one was read (1: the
# first), without the time a tried-regions read of hundreds of regions
# takes under emulation. The in-kernel monitor's tried_regions answer
# after the next aggregation: the first one after on.
aggrs() { awk '$1 == "K" { print $10 }' $DP_DUMP; }
# first_aggr A0: wait (busy) for an aggregation after the A0th, then
# "P R N aggr" of the dump.
first_aggr() {
	local a i=0
	a=$(aggrs)
	while [ "${a:-0}" -le "$1" ] && [ $i -lt 2000 ]; do
		a=$(aggrs)
		i=$((i + 1))
	done
	echo "$(dump | classify $T/hot.hotcold) $((a - $1))"
}

# time_to_recall: seconds from the last mon_on until the dump reads
# precision and recall of at least 0.9 (60 at most).
time_to_recall() {
	local i=0
	while [ $i -lt 600 ]; do
		set -- $(dump | classify $T/hot.hotcold)
		awk -v p=$1 -v r=$2 'BEGIN { exit !(p >= 0.9 && r >= 0.9) }' && break
		sleep 0.1
		i=$((i + 1))
	done
	calc "$(now) - $t_on"
}

bench_restart() {
	local C=$(kd_of ours)/contexts/0 i n=3 a0 pr
	[ "$QUICK" = 1 ] && n=1
	need_hotcold || return
	for i in $(seq 1 $n); do
		mon_init ours 10 1000 $hc_pid
		mon_on ours
		sleep 10
		set -- $(first_aggr $(aggrs))
		out "sec=restart mon=ours rep=$i how=trained p=$1 r=$2 n=$3 aggr=$4"
		echo Y > $C/pause
		commit ours
		sleep 2
		echo N > $C/pause
		a0=$(aggrs)
		commit ours
		set -- $(first_aggr $a0)
		out "sec=restart mon=ours rep=$i how=resume p=$1 r=$2 n=$3 aggr=$4"
		echo off > $(kd_of ours)/state
		sleep 2
		mon_on ours
		set -- $(first_aggr 0)
		out "sec=restart mon=ours rep=$i how=restart p=$1 r=$2 n=$3 aggr=$4"
		out "sec=restart mon=ours rep=$i how=restart-recall s=$(time_to_recall)"
		# Its trained state saved, off, given back, on (issue 30).
		echo update_trained_state > $(kd_of ours)/state
		cat $C/trained_state > $T/trained
		echo off > $(kd_of ours)/state
		sleep 2
		cat $T/trained > $C/trained_state ||
			out "sec=error mon=ours what=restore"
		mon_on ours
		set -- $(first_aggr 0)
		out "sec=restart mon=ours rep=$i how=restored p=$1 r=$2 n=$3 aggr=$4"
		out "sec=restart mon=ours rep=$i how=restored-recall s=$(time_to_recall)"
		mon_off ours

		mon_init kern 10 1000 $hc_pid
		mon_on kern
		sleep 10
		set -- $(snap kern | classify $T/hot.hotcold)
		out "sec=restart mon=kern rep=$i how=trained p=$1 r=$2 n=$3"
		echo off > $(kd_of kern)/state
		sleep 2
		mon_on kern
		set -- $(snap kern | classify $T/hot.hotcold)
		out "sec=restart mon=kern rep=$i how=restart p=$1 r=$2 n=$3"
		mon_off kern
	done
}

# --- phases: 4 areas of 128 MiB, the hot one moves every 6 s -----------
PERIOD=6
bench_phases() {
	local f=$T/phases.out r ph area t_ph t tr tpr limit i lp lr ln polls read_how
	phases 4 128 $PERIOD > $f &
	ph_pid=$!
	dp_wait_for 60 grep -q '^phase' $f || { out "sec=error what=phases"; return; }
	for r in $RUNS; do
		IFS=: read -r mode mon rep <<-EOT
		$r
		EOT
		mon_init $mon 10 1000 $ph_pid
		mon_on $mon
		# A phase change after at least 4 s of monitoring (the monitor
		# learnt the previous phase).
		limit=$(calc "$t_on + 4")
		i=0
		while [ $i -lt 200 ]; do
			set -- $(tail -n 1 $f)
			ph=$2 area=$3 t_ph=$4
			awk -v a=$t_ph -v b=$limit 'BEGIN { exit !(a >= b) }' && break
			sleep 0.2
			i=$((i + 1))
		done
		grep "^area $area " $f | cut -d' ' -f3,4 > $T/hot.phases
		# Each read is stamped with the time its answer was in hand:
		# ours answers with the state at the request (the last complete
		# aggregation), so it is stamped with the request's time, and
		# read every 20 ms; upstream's answers with the first
		# aggregation after the request, so it is stamped when the
		# answer came (stamped at the request, it would be credited
		# with up to an aggregation interval of what it did not know
		# yet). Ours is read from the debugfs dump (last_nr_accesses,
		# see dump()): a tried-regions read of its hundreds of regions
		# takes seconds under emulation, which would make the reads,
		# not the monitor, set the time.
		tr=none tpr=none lp=none lr=none ln=none polls=0
		while :; do
			if [ $mon = ours ]; then
				t=$(now)
				dump > $T/snap.phases
				sleep 0.02
			else
				snap $mon > $T/snap.phases
				t=$(now)
			fi
			set -- $(tail -n 1 $f)
			[ "$2" = "$ph" ] || break
			polls=$((polls + 1))
			set -- $(classify $T/hot.phases < $T/snap.phases)
			lp=$1 lr=$2 ln=$3
			if [ $tr = none ] && awk -v r=$2 'BEGIN { exit !(r >= 0.9) }'; then
				tr=$(calc "$t - $t_ph")
			fi
			if [ $tpr = none ] && awk -v p=$1 -v r=$2 'BEGIN { exit !(p >= 0.9 && r >= 0.9) }'; then
				tpr=$(calc "$t - $t_ph")
			fi
			[ $tr != none ] && [ $tpr != none ] && break
		done
		read_how=tried_regions
		[ $mon = ours ] && read_how=debugfs
		out "sec=phases mon=$mon mode=$mode rep=$rep t_recall=$tr t_both=$tpr" \
			"read=$read_how period=$PERIOD polls=$polls last_p=$lp last_r=$lr last_n=$ln"
		mon_off $mon
	done
	kill $ph_pid
	wait $ph_pid 2>/dev/null
}

# need_sparse: the sparse workload runs (sp_pid), its hot set in
# $T/hot.sparse.
need_sparse() {
	local f=$T/sparse.out
	[ -n "${sp_pid:-}" ] && [ -d /proc/$sp_pid ] && return 0
	sparse 2048 1024 3 16 > $f &
	sp_pid=$!
	dp_wait_for 120 grep -q '^hot' $f || { out "sec=error what=sparse"; return 1; }
	sleep 1
	grep '^hot' $f | cut -d' ' -f2,3 > $T/hot.sparse
}

# --- sparse: 2048 VMAs of 1 MiB, 3 MiB apart (8 GiB), 1 in 16 hot ------
bench_sparse() {
	need_sparse || return
	accuracy_runs sparse $sp_pid
}

# --- graded: 128 chunks of 1 MiB in random order, a known share each --
# tests/workloads/graded.c, at a fixed access rate (GRADED_RATE thousand
# per second, which the emulated CPU reaches on a busy host, so that what
# the monitors can see does not depend on the host's speed): "power"
# (share by rank^-1) and "bands" (5%, 15%, 30% and 50% of the chunks with
# 60%, 25%, 12% and 3% of the accesses). The rate and the number of
# chunks set how many chunks lie within a monitor's range (an access per
# aggregation or more): tried on 6.12 under TCG, the in-kernel DAMON's
# Spearman was 0.51 to 0.83 with 128 chunks at 0.5 to 1.2 million
# accesses per second, 0.19 and 0.33 with 256 at about a million, 0.10
# and 0.19 with 128 at 400 thousand while the workload flushed its TLB
# 8 times as often (most chunks then below one access per aggregation,
# for every monitor alike). Each run: a warm-up of GRADED_WARM s, then
# GRADED_READS reads of the tried regions 1 s apart, ranked against the
# chunks' shares (dp_fidelity: Spearman's rank correlation, the hottest
# tenth's capture, regions per read), then the kdamond's CPU over 5 s
# without reads.
GRADED_MIB=128
GRADED_RATE=500
GRADED_WARM=5
GRADED_READS=6
bench_graded() {
	local shape r
	for shape in power bands; do
		dp_graded $shape $GRADED_MIB rate=$GRADED_RATE
		cp /tmp/graded.chunks $T/graded.chunks
		for r in $RUNS; do
			IFS=: read -r mode mon rep <<-EOT
			$r
			EOT
			graded_run graded-$shape $mon $mode $rep
		done
		dp_graded_stop
		set -- $gr_done
		out "sec=graded-rate shape=$shape chunks=$GRADED_MIB accesses=$1 secs=$2" \
			"kps=$(calc "${1:-0} / ${2:-1} / 1000") asked_kps=$GRADED_RATE"
	done
}

# graded_run SEC MON MODE REP: one run of MON on the graded workload
# (gr_pid, its chunks in $T/graded.chunks).
graded_run() {
	local sec=$1 mon=$2 tag="mode=$3 rep=$4" i fid cpu
	rm -f $T/graded.snap.*
	mon_init $mon 10 1000 $gr_pid
	mon_on $mon
	for i in $(seq 1 $GRADED_READS); do
		sleep_until $(calc "$t_on + $GRADED_WARM + $i - 1")
		snap $mon > $T/graded.snap.$i
	done
	fid=$(dp_fidelity $T/graded.chunks $T/graded.snap.*)
	echo clear_schemes_tried_regions > $(kd_of $mon)/state
	cpu=$(cpuwin $kpid 5)
	set -- $fid
	out "sec=$sec mon=$mon $tag spearman=$1 capture=$2 nregions=$3 reads=$4" \
		"max_est=$5 $cpu"
	mon_off $mon
}

# --- intervals auto-tuning, on the hot/cold and sparse workloads -------
# Each monitor as in the accuracy parts, without a goal and with upstream's
# documented example (access_bp 400, aggrs 3, min_sample_us 5000,
# max_sample_us 10000000): after 20 s, the tuned intervals
# (update_tuned_intervals), precision and recall at that moment, and the
# kdamond's CPU over 5 s.  A monitor whose tree has no intervals_goal
# (the in-kernel DAMON before 6.15) is said so and skipped.
bench_tune() {
	local wl pid
	need_hotcold || return
	need_sparse || return
	for wl in hotcold sparse; do
		pid=$hc_pid
		[ $wl = sparse ] && pid=$sp_pid
		bench_tune_on $wl $pid
	done
}

# bench_tune_on WORKLOAD PID
bench_tune_on() {
	local wl=$1 pid=$2 mon goal rep c g tuned pr cpu
	for goal in none example; do
		for mon in kern ours; do
			for rep in 1 2 3; do
				mon_init $mon 10 1000 $pid
				c=$(kd_of $mon)/contexts/0/monitoring_attrs/intervals
				g=$c/intervals_goal
				if [ ! -d $g ]; then
					out "sec=tune wl=$wl mon=$mon goal=$goal what=no-intervals_goal"
					mon_off $mon
					break
				fi
				if [ $goal = example ]; then
					echo 400 > $g/access_bp
					echo 3 > $g/aggrs
					echo 5000 > $g/min_sample_us
					echo 10000000 > $g/max_sample_us
				fi
				mon_on $mon
				sleep_until $(calc "$t_on + 20")
				echo update_tuned_intervals > $(kd_of $mon)/state
				tuned="sample_us=$(cat $c/sample_us) aggr_us=$(cat $c/aggr_us)"
				snap $mon > $T/snap.tune
				pr=$(classify $T/hot.$wl < $T/snap.tune)
				cpu=$(cpuwin $kpid 5)
				set -- $pr
				out "sec=tune wl=$wl mon=$mon goal=$goal rep=$rep p=$1 r=$2 n=$3 $tuned $cpu"
				mon_off $mon
			done
		done
	done
}

# --- scaling with max_nr_regions, on the sparse workload ---------------
bench_scale_regions() {
	local max mon n s0 s1 cpu
	need_sparse || return
	for max in 100 1000 10000; do
		for mon in kern ours; do
			mon_init $mon $((max / 2)) $max $sp_pid
			sleep 2
			s0=$(slab)
			mon_on $mon
			sleep 5
			s1=$(slab)
			cpu=$(cpuwin $kpid 5)
			n=$(snap $mon | wc -l)
			# Seen once: the in-kernel monitor, saturated at 10000
			# regions, answered a read with no regions; once more.
			[ "$n" -gt 0 ] || n=$(snap $mon | wc -l)
			out "sec=scale_regions mon=$mon max=$max regions=$n $cpu slab0='$s0' slab1='$s1'"
			echo clear_schemes_tried_regions > $(kd_of $mon)/state
			mon_off $mon
		done
	done
	kill $sp_pid
	wait $sp_pid 2>/dev/null
}

# --- scaling with the number of monitored processes (idle, 4 MiB) ------
bench_scale_procs() {
	local n pids mon i p
	for n in 1 10 100; do
		pids=
		for i in $(seq 1 $n); do
			sparse 8 512 1 0 idle > /dev/null &
			pids="$pids $!"
		done
		sleep 2
		for mon in kern ours; do
			mon_init $mon 10 1000 $pids
			mon_on $mon
			sleep 3
			out "sec=scale_procs mon=$mon procs=$n $(cpuwin $kpid 5)"
			mon_off $mon
		done
		kill $pids
		for p in $pids; do wait $p 2>/dev/null; done
	done
}

# --- memory per context: 40 kdamonds of one context each ---------------
bench_memory() {
	local mon n=40 i s0 s1 s2 p
	sparse 8 512 1 0 idle > /dev/null &
	p=$!
	sleep 1
	for mon in kern ours; do
		echo 0 > $(root_of $mon)/kdamonds/nr_kdamonds
		sleep 1
		s0=$(slab)
		echo $n > $(root_of $mon)/kdamonds/nr_kdamonds
		for i in $(seq 0 $((n - 1))); do
			mon_setup $mon $i 10 1000 $p
		done
		sleep 1
		s1=$(slab)
		for i in $(seq 0 $((n - 1))); do
			echo on > $(kd_of $mon $i)/state
		done
		sleep 3
		s2=$(slab)
		out "sec=memory mon=$mon contexts=$n slab0='$s0' slab1='$s1' slab2='$s2'"
		for i in $(seq 0 $((n - 1))); do
			echo off > $(kd_of $mon $i)/state
		done
		echo 0 > $(root_of $mon)/kdamonds/nr_kdamonds
	done
	kill $p
	wait $p 2>/dev/null
	out "sec=module mon=ours core_bytes=$(awk '$1 == "damon_pause" { print $2 }' /proc/modules)"
}

# --- the supervisor versus khugepaged ----------------------------------
# thp_sample HOW T0 AT: the share of the hot and of the cold area in huge
# pages now; AT is the time (s after T0) the sample was due, the same for
# every HOW, so that the report can set them side by side.
thp_sample() {
	local hot cold
	hot=$(dp_smaps_kb $hc_pid $hot_start $hot_end AnonHugePages)
	cold=$(dp_smaps_kb $hc_pid $cold_start $cold_end AnonHugePages)
	out "sec=thp how=$1 at=$3 t=$(calc "$(now) - $2") hot_kb=$hot hot_total_kb=$((($hot_end - $hot_start) / 1024))" \
		"cold_kb=$cold cold_total_kb=$((($cold_end - $cold_start) / 1024))"
}

KHP=/sys/kernel/mm/transparent_hugepage/khugepaged
# khugepaged's scan settings for its run, and why.  Its defaults (4096
# pages, i.e. 8 huge page frames or 16 MiB, scanned every 10 s) take 240 s
# for one pass over the workload's 384 MiB and 80 s for the hot area
# alone, more than the 60 s the bench watches; with a pass of 16 MiB every
# second it can go through all of it in about 24 s, the hot area (first in
# the address space) in the first 8.  alloc_sleep_millisecs, the pause
# after a failed huge page allocation, goes from 60 s to 1 s so that one
# failure cannot use up the window.  max_ptes_none and defrag stay at
# their defaults (511 and 1): the areas are fully populated, so
# max_ptes_none does not matter here.
KHP_SCAN_SLEEP_MS=1000
KHP_ALLOC_SLEEP_MS=1000
KHP_PAGES_TO_SCAN=4096

khp_get() {
	echo "$(cat $KHP/scan_sleep_millisecs) $(cat $KHP/alloc_sleep_millisecs)" \
		"$(cat $KHP/pages_to_scan)"
}
khp_set() { # khp_set SCAN_SLEEP_MS ALLOC_SLEEP_MS PAGES_TO_SCAN
	echo $1 > $KHP/scan_sleep_millisecs
	echo $2 > $KHP/alloc_sleep_millisecs
	echo $3 > $KHP/pages_to_scan
}

# thp_run HOW: one workload (128 MiB hot, 256 MiB cold) under HOW.
#   supervisor, supervisor-fast: THP never (only our collapses make huge
#	pages), the process in monitored_pids;
#   khugepaged-madvise: THP madvise, the workload populated with small
#	pages and then MADV_HUGEPAGE on both areas, which registers it with
#	khugepaged (as a fault in a THP-enabled area would), with the scan
#	settings above;
#   always-at-fault: THP always from the start: huge pages at fault time.
thp_run() {
	local how=$1 t0 i kp comm cpu0 cpu1 times="0 5 10 20 30 40 50 60" khp0= flag=
	[ "$QUICK" = 1 ] && times="0 5 10 20"
	case $how in
	always-at-fault) echo always > $THP ;;
	khugepaged-madvise)
		echo madvise > $THP
		khp0=$(khp_get)
		khp_set $KHP_SCAN_SLEEP_MS $KHP_ALLOC_SLEEP_MS $KHP_PAGES_TO_SCAN
		out "sec=thp_khugepaged how=$how thp=$(sed 's/.*\[\(.*\)\].*/\1/' $THP)" \
			"scan_sleep_ms=$(cat $KHP/scan_sleep_millisecs)" \
			"alloc_sleep_ms=$(cat $KHP/alloc_sleep_millisecs)" \
			"pages_to_scan=$(cat $KHP/pages_to_scan)" \
			"max_ptes_none=$(cat $KHP/max_ptes_none) defrag=$(cat $KHP/defrag)"
		flag=hugepage
		;;
	*) echo never > $THP ;;
	esac
	dp_hotcold 128 256 $flag || { out "sec=error what=thp-$how"; return; }
	t0=$(now)
	case $how in
	supervisor*)
		if [ $how = supervisor-fast ]; then
			echo 1000000 > $DP_PARAMS/monitor_period
			echo 100 > $DP_PARAMS/quota_ms
		fi
		echo $hc_pid > $DP_PARAMS/monitored_pids
		echo Y > $DP_PARAMS/supervisor
		;;
	esac
	sleep 1
	# The thread doing the work: the supervisor's kdamond of this
	# process, or khugepaged (a new one each time THP leaves `never`).
	# One grep rather than a cat per process: under emulation on a busy
	# host that loop took seconds and delayed the first sample.
	case $how in
	supervisor*) comm=dp_hp.$hc_pid ;;
	*) comm=khugepaged ;;
	esac
	kp=$(grep -lx "$comm" /proc/[0-9]*/comm 2>/dev/null | head -n 1 | cut -d/ -f3)
	cpu0=$(kstat ${kp:-1})
	for i in $times; do
		sleep_until $(calc "$t0 + $i")
		thp_sample $how $t0 $i
	done
	cpu1=$(kstat ${kp:-1})
	echo $cpu0 $cpu1 | awk -v h=$how -v t=$(calc "$(now) - $t0") -v k="$kp" '{
		printf "sec=thp_cpu how=%s task=%s cpu_us=%.1f\n", h, k, ($5 - $1) / 1000 / t }' |
		sed 's/^/BENCH /' > "$DP_RESULTS"
	[ "${how#supervisor}" != "$how" ] &&
		out "sec=thp_status how=$how status=$(grep "^$hc_pid " $DP_PARAMS/status | tr ' ' _)"
	echo N > $DP_PARAMS/supervisor
	echo 5000000 > $DP_PARAMS/monitor_period
	echo 10 > $DP_PARAMS/quota_ms
	kill $hc_pid
	wait $hc_pid 2>/dev/null
	[ -n "$khp0" ] && khp_set $khp0
	echo never > $THP
}

bench_thp() {
	killall hotcold 2>/dev/null
	sleep 1
	thp_run supervisor
	thp_run supervisor-fast
	thp_run khugepaged-madvise
	thp_run always-at-fault
}

# --- the huge page budget (issue 29) -----------------------------------
# hugepage_mem_bp, upstream's goal metric: the memory in THPs over the used
# memory (MemTotal - MemFree), in bp, read from /proc/meminfo every second.
# THP "never": only the collapses under test make huge pages.  Each run a
# fresh hot/cold workload of HB_HOT MiB hot and as much cold, whose hot
# area alone is above either budget, and one of:
#   supervisor: the supervisor's hugepage_mem_bp (period 1 s, quota 1 s);
#   scheme-temporal, scheme-consist: a collapse scheme of ours' tree with
#	a hugepage_mem_bp goal and that goal tuner, a space quota of
#	HB_QUOTA_MIB per second by frequency and age;
#   kern-collapse: the in-kernel DAMON's collapse scheme with the same
#	space quota and no budget (what a 7.3 user has), where it has one.
# Per run: seconds to within 100 bp of the budget, the highest and the
# last share, the huge pages in the hot and in the cold area.  Then, with
# the supervisor at 10%, a hot set that moves (phases.c, 4 areas of 128
# MiB, 20 s each) and a workload that grows (a second process added at
# 20 s) and shrinks (the first one killed at 40 s).
HB_HOT=256
HB_QUOTA_MIB=32
HB_SECS=60
# hb_watch TARGET SECS HOLD: dp_huge_watch (tests/qemu/guest/lib.sh), its
# reads comma-separated for the results line.
hb_watch() {
	dp_huge_watch "$@"
	hb_reads=$(echo $hw_reads | tr ' ' ,)
}

# hb_supervise BUDGET PIDS: the supervisor on PIDS under BUDGET, with a
# period of 1 s and a quota of 1 s.
hb_supervise() {
	echo 1000000 > $DP_PARAMS/monitor_period
	echo 1000 > $DP_PARAMS/quota_ms
	echo $1 > $DP_PARAMS/hugepage_mem_bp
	echo $2 > $DP_PARAMS/monitored_pids
	echo Y > $DP_PARAMS/supervisor
}

# hb_scheme MON TUNER BUDGET: kdamond 0 of MON collapses the hot/cold
# workload's hottest regions, under the space quota; with a budget goal
# unless MON is kern.  Returns non-zero where MON's tree refuses it.
hb_scheme() {
	local kd c s
	echo 1 > $(root_of $1)/kdamonds/nr_kdamonds
	kd=$(kd_of $1)
	c=$kd/contexts/0
	s=$c/schemes/0
	echo 1 > $kd/contexts/nr_contexts
	echo vaddr > $c/operations
	echo 1 > $c/targets/nr_targets
	echo $hc_pid > $c/targets/0/pid_target
	echo 1 > $c/schemes/nr_schemes
	echo collapse > $s/action 2> /dev/null || return 1
	echo $((1 << 40)) > $s/access_pattern/sz/max
	echo 4096 > $s/access_pattern/sz/min
	echo 1 > $s/access_pattern/nr_accesses/min
	echo 1000 > $s/access_pattern/nr_accesses/max
	echo 1000000 > $s/access_pattern/age/max
	echo $((HB_QUOTA_MIB << 20)) > $s/quotas/bytes
	echo 1000 > $s/quotas/reset_interval_ms
	echo 1000 > $s/quotas/weights/nr_accesses_permil
	echo 1000 > $s/quotas/weights/age_permil
	if [ $1 = ours ]; then
		echo $2 > $s/quotas/goal_tuner
		echo 1 > $s/quotas/goals/nr_goals
		echo hugepage_mem_bp > $s/quotas/goals/0/target_metric
		echo $3 > $s/quotas/goals/0/target_value
	fi
	[ "$(dp-write $kd/state on)" = OK ]
}

hb_off() {
	echo N > $DP_PARAMS/supervisor
	echo 0 > $DP_PARAMS/hugepage_mem_bp
	for mon in ours kern; do
		echo off > $(kd_of $mon)/state 2> /dev/null
		echo 0 > $(root_of $mon)/kdamonds/nr_kdamonds 2> /dev/null
	done
	kill $hc_pid 2> /dev/null
	wait $hc_pid 2> /dev/null
	# The freed huge pages leave the counters before the next run reads.
	dp_wait_for 10 hb_none
}
hb_none() { [ "$(dp_huge_share_bp)" -lt 100 ]; }

# hb_run MODE BUDGET REP
hb_run() {
	local mode=$1 b=$2 hold=10 hot cold
	dp_hotcold $HB_HOT $HB_HOT
	case $mode in
	supervisor) hb_supervise $b $hc_pid ;;
	scheme-*)
		hb_scheme ours ${mode#scheme-} $b ||
			{ out "sec=hugebudget-error mode=$mode"; hb_off; return; }
		;;
	kern-collapse)
		hold=0
		hb_scheme kern - $b || {
			out "sec=hugebudget-note mode=$mode what=no-collapse-action"
			hb_off
			return 1
		}
		;;
	esac
	hb_watch $b $HB_SECS $hold
	hot=$(dp_smaps_kb $hc_pid $hot_start $hot_end AnonHugePages)
	cold=$(dp_smaps_kb $hc_pid $cold_start $cold_end AnonHugePages)
	out "sec=hugebudget mode=$mode budget=$b rep=$3 reached_s=$hw_at" \
		"max_bp=$hw_max last_bp=$hw_last hot_kb=$hot cold_kb=$cold" \
		"hot_total_kb=$((HB_HOT * 1024)) reads=$hb_reads"
	hb_off
	return 0
}

# hb_phases: the supervisor at 10% on a hot set that moves.
hb_phases() {
	local f=$T/hb.phases p i hot
	phases 4 128 20 > $f &
	p=$!
	dp_wait_for 120 grep -q '^phase' $f || { out "sec=error what=hb-phases"; kill $p; return; }
	hb_supervise 1000 $p
	hb_watch 1000 80 0
	hot=
	for i in 0 1 2 3; do
		set -- $(grep "^area $i " $f)
		hot="$hot,$(dp_smaps_kb $p $3 $4 AnonHugePages)"
	done
	out "sec=hugebudget-phases budget=1000 reached_s=$hw_at max_bp=$hw_max" \
		"last_bp=$hw_last areas_kb=${hot#,} phases=$(grep -c '^phase' $f)" \
		"reads=$hb_reads"
	hc_pid=$p
	hb_off
}

# hb_grow: the supervisor at 10% on one process, a second one added at
# 20 s (commit_inputs), the first killed at 40 s.
hb_grow() {
	local a b r1 r2 r3 m1 m2
	dp_hotcold 128 128
	a=$hc_pid
	hb_supervise 1000 $a
	hb_watch 1000 20 0
	r1=$hb_reads m1=$hw_max
	dp_hotcold 128 128
	b=$hc_pid
	echo "$a,$b" > $DP_PARAMS/monitored_pids
	echo Y > $DP_PARAMS/commit_inputs
	hb_watch 1000 20 0
	r2=$hb_reads m2=$hw_max
	kill $a
	wait $a 2> /dev/null
	hb_watch 1000 20 0
	r3=$hb_reads
	out "sec=hugebudget-grow budget=1000 max_one_bp=$m1 max_two_bp=$m2" \
		"max_after_shrink_bp=$hw_max last_bp=$hw_last" \
		"reads=$r1|$r2|$r3"
	hc_pid=$b
	hb_off
}

bench_hugebudget() {
	local b rep mode reps="1 2 3"
	hb_no_kern=0
	[ "$QUICK" = 1 ] && reps=1
	killall hotcold phases 2> /dev/null
	echo never > $THP
	for b in 1000 2500; do
		for rep in $reps; do
			for mode in supervisor scheme-temporal scheme-consist kern-collapse; do
				[ "$hb_no_kern" = 1 ] && [ $mode = kern-collapse ] && continue
				hb_run $mode $b $rep || hb_no_kern=1
			done
		done
	done
	hb_phases
	hb_grow
}

# ---------------------------------------------------------------------
insmod "$DP_MODULE" || { out "sec=error what=insmod"; return 0; }
if [ ! -d /sys/kernel/mm/damon/admin ]; then
	out "sec=error what=no-in-kernel-damon"
	rmmod damon_pause
	return 0
fi
out "sec=guest kernel=$(uname -r) cpus=$(nproc) mem_kb=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)" \
	"thp_default=$(sed 's/.*\[\(.*\)\].*/\1/' $THP) quick=$QUICK"
thp_before=$(sed 's/.*\[\(.*\)\].*/\1/' $THP)
echo never > $THP
# damon_stat (Debian's 7.x starts it at boot) runs an exclusive kdamond:
# while it runs, the in-kernel tree cannot start one, and its CPU would
# weigh on both monitors' figures. Stopped for the bench.
STAT=/sys/module/damon_stat/parameters/enabled
if [ "$(cat $STAT 2>/dev/null)" = Y ]; then
	echo N > $STAT
	out "sec=note what=damon_stat-stopped"
fi

parts=hotcold,pause,restart,graded,phases,sparse,tune,paddr,scale_regions,scale_procs,memory,thp,hugebudget
for part in $(echo ${bench_parts:-$parts} | tr , ' '); do
	t_part=$(now)
	case $part in
	hotcold) bench_hotcold ;;
	graded) bench_graded ;;
	pause) bench_pause ;;
	restart) bench_restart; kill $hc_pid; wait $hc_pid 2>/dev/null ;;
	phases) bench_phases ;;
	sparse) bench_sparse ;;
	tune) bench_tune ;;
	paddr) bench_paddr ;;
	scale_regions) bench_scale_regions ;;
	scale_procs) bench_scale_procs ;;
	memory) bench_memory ;;
	thp) bench_thp ;;
	hugebudget) bench_hugebudget ;;
	esac
	out "sec=time part=$part secs=$(calc "$(now) - $t_part")"
done
killall hotcold sparse phases graded 2>/dev/null
echo $thp_before > $THP
rmmod damon_pause

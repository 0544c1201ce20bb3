# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.1 stock-6.12
# order: 160
# Where: both stock x86_64 kernels, in a boot of their own with two
# NUMA nodes (DP_NUMA_SCENARIOS in tests/check.sh); where ours fails,
# calibrated on the in-kernel DAMON of stock-6.12.
#
# The paddr operations (issue 13), proven on physical memory as the kernel
# reports it, never on what the monitor says of itself: the hot/cold
# workload's pages, their PFNs from /proc/PID/pagemap (tests/workloads/
# dp-pages.c), their LRU flags from /proc/kpageflags and their nodes from
# move_pages(2). The guest has two NUMA nodes (a boot of its own,
# GUEST-numa: tests/check.sh; tests/qemu/run-guest.sh).
#
# One battery, parameterised by the tree's root, runs against ours (the
# in-kernel tree idle), then, where any of ours failed, against the
# in-kernel DAMON (the calibration: Debian's 6.12 has paddr built in; our
# module unloaded, so that two monitors never clear each other's accessed
# bits; DP_PADDR_CALIBRATE=all runs it always), on a fresh workload each.
# Its checks are named ours-... and kernel-...:
# - stat: a paddr context over an explicit region, the workload's
#   physical span on node 0 (below, part a, why not all of RAM), with a
#   stat scheme for accessed regions; byte-weighted precision and recall
#   of its tried regions against the hot area's PFNs;
# - the same context, trained, then gets the actions, one at a time:
#   lru_prio on the hot regions puts the hot pages on the active LRU and
#   not the cold ones; lru_prio on everything, then lru_deprio on the
#   unaccessed regions, takes the cold pages off it and leaves the hot
#   ones;
# - migrate_hot, then migrate_cold, with target_nid 1 move the hot, then
#   the cold area from node 0 to node 1; a target_nid of no node at commit
#   and at on: both trees' answers said, ours must refuse (DESIGN 2.1: an
#   invalid setup is refused at on/commit; 6.12 takes any number and
#   migrates nothing);
# - pageout of the unaccessed regions empties the cold area and spares the
#   hot one, where the guest can swap (built-in zram: the debug kernel;
#   Debian's brd module, a RAM disk: the stock ones);
# - where the tree has pause (ours; upstream 7.2's): no CPU while paused,
#   tried regions frozen, monitoring again once resumed;
# - ours only: unload while a paddr context runs, is paused, and while a
#   migrate (and a pageout, with swap) scheme acts.
# Until our module lists paddr in avail_operations, its part is one FAIL,
# ours-avail-paddr, and nothing more.
#
# THP is "never" (the areas are small pages, so that a page's flags are
# its own), the multi-generational LRU is off (with it the kernel keeps no
# active list: PG_active is clear on every LRU page, and lru_prio only
# counts references), and NUMA balancing is off (it would move the
# workload's pages behind the monitor's back). All three are put back.
#
# Time: about a minute per tree on stock-6.12 (each battery says its parts').

THP=/sys/kernel/mm/transparent_hugepage/enabled
LRU_GEN=/sys/kernel/mm/lru_gen/enabled
NUMAB=/proc/sys/kernel/numa_balancing
UP=/sys/kernel/mm/damon/admin
W=/tmp/paddr
rm -rf $W
mkdir -p $W

thp_before=$(sed 's/.*\[\(.*\)\].*/\1/' $THP)
dp_set $THP never
lru_gen_before=""
if [ -f $LRU_GEN ]; then
	lru_gen_before=$(cat $LRU_GEN)
	dp_set $LRU_GEN n
fi
numab_before=""
if [ -f $NUMAB ]; then
	numab_before=$(cat $NUMAB)
	dp_set $NUMAB 0
fi

# Two nodes: the migrate checks need node 1 (the kernel has no node
# directory at all without CONFIG_NUMA: our debug kernel).
numa=0
if [ -d /sys/devices/system/node ]; then
	dp_check node1-exists test -d /sys/devices/system/node/node1 && numa=1
else
	dp_skip node1-exists "a kernel without CONFIG_NUMA: no migrate checks"
fi
dp_info "nodes: $(ls -d /sys/devices/system/node/node* 2>/dev/null | sed 's|.*/||' | tr '\n' ' ')"

# Swap for pageout: zram where the kernel has it built in (our debug
# kernel), as in schemes.sh; else a RAM disk of Debian's brd module, which
# the harness brings along for the stock kernels (tests/qemu/kernel.sh).
# (Swap on RAM gives no memory back, but the cold area's Rss goes all the
# same, which is what pageout is judged by.)
# A guest that has either must have swap: a setup that fails there is a
# failure of its own, not a pageout left out (swap_can says which).
swap="" swap_can=""
swap_on() {
	if [ -e /sys/block/zram0 ]; then
		swap_can=zram
		swapoff /dev/zram0 2>/dev/null
		echo 1 > /sys/block/zram0/reset
		echo 1G > /sys/block/zram0/disksize && mkswap /dev/zram0 > /dev/null &&
			swapon /dev/zram0 && swap=/dev/zram0
	elif [ -f /dp/kmods/brd.ko ]; then
		swap_can=brd
		insmod /dp/kmods/brd.ko rd_nr=1 rd_size=$((1 << 20)) &&
			mkswap /dev/ram0 > /dev/null && swapon /dev/ram0 && swap=/dev/ram0
	fi
}
swap_on
dp_info "swap: ${swap:-none}${swap_can:+ (the guest has $swap_can)}"
[ -z "$swap_can" ] || dp_check swap-set-up test -n "$swap"

# The areas, MiB: both on node 0 (1 GiB) at the start; the hot one as
# small as a TLB's reach allows (DESIGN 4: 128 MiB), so that a sample
# finds a hot page accessed as often as emulation allows (with 256 MiB, on
# a host loaded by other guests, the hot area read unaccessed for 13 s and
# its regions' counts jumped too much to age). The cold one as large:
# 256 MiB took ten seconds more to fill, migrate and page out. Half the
# size on a slowed kernel.
HOT=128
COLD=128
[ "$DP_SLOW" -eq 1 ] || { HOT=64; COLD=64; }


# tried S: "start end nr_accesses age" of each tried region of scheme S.
tried() { dp_tried "$1"; }

# cold_tried: the tried regions ($W/tried) that overlap the cold area's
# physical runs ($W/cold.runs), as INFO lines: where a cold share comes
# from (the areas' runs, then up to 12 regions).
cold_tried() {
	dp_info "  runs (MiB) hot: $(awk '{ printf "%d-%d ", $1 / 1048576, $2 / 1048576 }' $W/hot.runs)"
	dp_info "  runs (MiB) cold: $(awk '{ printf "%d-%d ", $1 / 1048576, $2 / 1048576 }' $W/cold.runs)"
	awk 'NR == FNR { s[NR] = $1; e[NR] = $2; n = NR; next }
	{ for (i = 1; i <= n; i++) if ($1 < e[i] && $2 > s[i]) {
		printf "INFO   tried region %.1f-%.1f MiB: nr_accesses %d age %d\n",
			$1 / 1048576, $2 / 1048576, $3, $4
		break } }' $W/cold.runs $W/tried | head -n 12 > $DP_RESULTS
}

# share A B: A / B, three decimals (0 when B is 0).
share() { awk -v a=$1 -v b=$2 'BEGIN { printf "%.3f\n", b ? a / b : 0 }'; }
# vmstat_of NAME...: each counter of /proc/vmstat, in that order.
vmstat_of() {
	local n
	for n; do
		awk -v n=$n '$1 == n { print $2 }' /proc/vmstat
	done
}

# at_least V MIN / at_most V MAX: for dp_check.
at_least() { awk -v v=$1 -v m=$2 'BEGIN { exit !(v >= m) }'; }
at_most() { awk -v v=$1 -v m=$2 'BEGIN { exit !(v <= m) }'; }

# waited SECONDS CMD...: dp_wait_for, and took= the seconds it waited (the
# margin of a figure that a wait ends on as soon as it is reached).
waited() {
	local t0 t1 rc
	read -r t0 _ < /proc/uptime
	dp_wait_for "$@"
	rc=$?
	read -r t1 _ < /proc/uptime
	took=$(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.1f", b - a }')
	return $rc
}

# part NAME: the end of the battery's part NAME; its seconds join those
# said at the end of the battery (where the scenario's time goes).
part() {
	local u
	read -r u _ < /proc/uptime
	parts="$parts $1 $(awk -v a=$part_t0 -v b=$u 'BEGIN { printf "%d", b - a + 0.5 }')"
	part_t0=$u
}

# active_share START END: the share of the area's present pages on the
# active LRU.
active_share() {
	set -- $(dp-pages flags $hc_pid $1 $2)
	share ${4:-0} ${2:-0}
}
# node1_share START END: the share of the area's present pages on node 1.
node1_share() {
	set -- $(dp-pages nodes $hc_pid $1 $2)
	share ${4:-0} ${2:-0}
}

# scheme ACTION NR_MIN NR_MAX: scheme 0 for regions of any size and
# age whose nr_accesses lie in NR_MIN..NR_MAX.
scheme() { dp_scheme $C/schemes "$@"; }

# applied: scheme 0's sz_applied now. (A scheme committed in place
# keeps its stats: the actions before it count too; read at once
# after the commit, what grows after is the new action's.)
applied() {
	dp_set $KD/state update_schemes_stats
	cat $S/stats/sz_applied
}

# respan: span_start and span_end, the physical span of the
# workload's present pages now (from its lowest to its highest).
respan() {
	dp-pages runs $hc_pid $hot_start $hot_end > $W/now.runs
	dp-pages runs $hc_pid $cold_start $cold_end >> $W/now.runs
	span_start=$(sort -n $W/now.runs | head -n 1 | cut -d' ' -f1)
	span_end=$(sort -n -k2 $W/now.runs | tail -n 1 | cut -d' ' -f2)
}
# span_region: the target's one region, the span (below).
span_region() {
	dp_set $C/targets/0/regions/nr_regions 1
	dp_set $C/targets/0/regions/0/start $span_start
	dp_set $C/targets/0/regions/0/end $span_end
}

# pa_workload: the hot/cold workload, its areas from whole free blocks,
# physically apart: after the other scenarios of a guest, the small free
# blocks they left lie scattered among used pages, and an area allocated
# into them interleaves with whatever comes next (tried: after monitor,
# schemes and supervisor, the cold area in 150 physical runs, the hot one
# in 8, and 7% of the tried regions, 34% of lru_prio's and 29% of
# migrate_hot's work in the cold area). So: caches dropped, memory
# compacted, and a filler as large as node 0's small movable free blocks
# (orders below the largest, from /proc/pagetypeinfo) taken first (hotcold
# fill=).
pa_workload() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	[ ! -f /proc/sys/vm/compact_memory ] || echo 1 > /proc/sys/vm/compact_memory
	fill=$(awk '$1 == "Node" && $2 == "0," && $4 != "DMA," && $6 == "Movable" {
		m = 1
		for (i = 7; i < NF; i++) { p += $i * m; m *= 2 }
	} END { printf "%d\n", p * 4 / 1024 + 4 }' /proc/pagetypeinfo)
	dp_hotcold $HOT $COLD "node0 fill=$fill"
	dp-pages runs $hc_pid $hot_start $hot_end > $W/hot.runs ||
		dp_abort "dp-pages cannot read the workload's pagemap"
	dp-pages runs $hc_pid $cold_start $cold_end > $W/cold.runs
	set -- $(dp-pages flags $hc_pid $hot_start $hot_end) \
		$(dp-pages flags $hc_pid $cold_start $cold_end)
	# Every page present, the hot area and the cold one apart: else the
	# figures below would be of something else.
	[ "$2" = "$1" ] && [ "$6" = "$5" ] ||
		dp_abort "$t: the workload's areas are not all present: hot $2 of $1 pages, cold $6 of $5"
	dp_info "$t: after a filler of $fill MiB, hot area in $(wc -l < $W/hot.runs) physical runs, cold area in $(wc -l < $W/cold.runs)"
}

# pa_stat: a. stat for the accessed regions, over the workload's physical
# span (its lowest page to its highest, on node 0), where its areas lie
# interleaved with each other and with other pages. Not the biggest System
# RAM (DAMON_RECLAIM's default; 6.12's sysfs leaves a paddr target without
# a region nothing to monitor): tried first, there the regions, 2 MiB on
# average at most, straddle the 4 MiB free blocks a busy guest hands out
# in no physical order, hot and cold in turn (the second battery's layout,
# after the first's workload), and an action (lru_prio) took 54% of the
# cold area with the hot one within a second; and the hot pages that
# migrate_hot put on node 1 made regions that reached over the node
# boundary, back to the cold area on node 0, read accessed (the in-kernel
# migrate_hot moved 81% of the cold area). Over the span, with node 1
# outside it, both went.
pa_stat() {
	respan
	dp_set $C/operations paddr
	dp_set $C/targets/nr_targets 1
	span_region
	scheme stat 1 1000
	dp_info "$t: stat over the workload's physical span, $span_start-$span_end ($(((span_end - span_start) >> 20)) MiB)"
	dp_expect_write $t-stat-on $KD/state on OK ||
		dp_abort "$t: on refused for a paddr context"
	kpid=$(cat $KD/pid)
	dp_check $t-kdamond-runs test -d /proc/$kpid
	# figures: precision and recall of the tried regions against the hot
	# area's pages, the cold area's share of them, their total in MiB.
	figures() {
		tried $S > $W/tried
		dp-pages score $hc_pid $hot_start $hot_end $cold_start $cold_end < $W/tried |
			awk '{ printf "%.3f %.3f %.3f %d\n", $1 ? $2 / $1 : 0,
				$4 ? $2 / $4 : 0, $1 ? $3 / $1 : 0, $1 / 1048576 }'
	}
	good() { at_least $1 $PREC && at_least $2 $RECALL; }
	dp_sleep 10
	for try in 1 2 3 4; do
		dp_set $KD/state update_schemes_tried_regions
		set -- $(figures)
		dp_info "$t: stat tried regions after $((10 + (try - 1) * 3)) s: precision $1, recall $2, cold share $3, $4 MiB tried ($HOT MiB hot) in $(wc -l < $W/tried) regions"
		at_most $3 0.05 || cold_tried
		good "$@" || [ $try = 4 ] || { dp_sleep 3; continue; }
		break
	done
	dp_check_timed $t-stat-precision-$PREC at_least $1 $PREC
	dp_check_timed $t-stat-recall-$RECALL at_least $2 $RECALL
	dp_check $t-stat-cold-below-0.05 at_most $3 0.05
	dp_expect_eq $t-stat-total-bytes "$(cat $S/tried_regions/total_bytes)" \
		"$(awk '{ s += $2 - $1 } END { print s + 0 }' $W/tried)"
}

# pa_lru: b. the LRU actions, committed to the same context, trained by
# now: a fresh one would apply them to its first, coarse regions, each
# with hot and cold pages in it (tried: 24% of the cold area active at
# once).
pa_lru() {
	ha0=$(active_share $hot_start $hot_end)
	ca0=$(active_share $cold_start $cold_end)
	scheme lru_prio 1 1000
	dp_expect_write $t-lru_prio-commit $KD/state commit OK
	hot_active() { at_least $(active_share $hot_start $hot_end) 0.8; }
	waited 20 hot_active
	t_hot=$took
	ha1=$(active_share $hot_start $hot_end)
	ca1=$(active_share $cold_start $cold_end)
	dp_info "$t: lru_prio on the accessed regions: active share hot $ha0 -> $ha1, cold $ca0 -> $ca1, after $t_hot s"
	dp_check_timed $t-lru_prio-hot-active-0.8 at_least $ha1 0.8
	dp_check $t-lru_prio-cold-stays-below-0.1 at_most $ca1 0.1
	# Everything active, the cold area too, for lru_deprio to undo.
	scheme lru_prio 0 1000
	dp_expect_write $t-lru_prio-all-commit $KD/state commit OK
	cold_active() { at_least $(active_share $cold_start $cold_end) 0.8; }
	waited 20 cold_active
	t_all=$took
	ca2=$(active_share $cold_start $cold_end)
	dp_check_timed $t-lru_prio-all-cold-active-0.8 at_least $ca2 0.8
	# Unaccessed for a second (ten aggregations), not for one: the hot
	# area's regions read 0 for an aggregation now and then (a recall of
	# 0.85 in the stat check), and lru_deprio there stays until something
	# activates them again (tried: age 0 took 27% of the hot area off).
	scheme lru_deprio 0 0
	dp_set $S/access_pattern/age/min 10
	dp_expect_write $t-lru_deprio-commit $KD/state commit OK
	a0=$(applied)
	cold_inactive() { at_most $(active_share $cold_start $cold_end) 0.2; }
	waited 20 cold_inactive
	ha3=$(active_share $hot_start $hot_end)
	ca3=$(active_share $cold_start $cold_end)
	dp_info "$t: lru_prio on everything: cold active share $ca1 -> $ca2 after $t_all s; then lru_deprio on the unaccessed regions: cold $ca2 -> $ca3, hot $ha1 -> $ha3 after $took s"
	dp_check_timed $t-lru_deprio-cold-inactive-0.2 at_most $ca3 0.2
	dp_check $t-lru_deprio-hot-stays-0.8 at_least $ha3 0.8
	dp_check $t-lru_deprio-applied test "$(applied)" -gt "$a0"
}

# pa_pageout: c. pageout of the regions unaccessed for half a second,
# where the guest can swap, in the same context (before migrate: that
# moves the areas out of the span).
pa_pageout() {
	if [ -n "$swap" ]; then
		rss_cold0=$(dp_smaps_kb $hc_pid $cold_start $cold_end Rss)
		scheme pageout 0 0
		dp_set $S/access_pattern/age/min 5
		dp_expect_write $t-pageout-commit $KD/state commit OK
		cold_out() { [ "$(dp_smaps_kb $hc_pid $cold_start $cold_end Rss)" -lt $((rss_cold0 / 2)) ]; }
		dp_check $t-pageout-cold-rss-halves waited 30 cold_out
		rss_cold1=$(dp_smaps_kb $hc_pid $cold_start $cold_end Rss)
		rss_hot=$(dp_smaps_kb $hc_pid $hot_start $hot_end Rss)
		dp_info "$t: pageout: cold Rss $rss_cold0 -> $rss_cold1 kB after $took s; hot Rss $rss_hot kB"
		dp_check_timed $t-pageout-spares-hot test "$rss_hot" -ge $((HOT * 1024 * 9 / 10))
	elif [ -z "$swap_can" ]; then
		dp_skip $t-pageout "no swap in this guest (no built-in zram, no brd module)"
	else
		dp_fail $t-pageout "no swap: its setup on $swap_can failed (swap-set-up)"
	fi
}

# pa_migrate: d. migrate_hot, then migrate_cold, to node 1, in the same
# context: out of its span (the share of the present pages: pageout took
# some of the cold ones).
pa_migrate() {
	if [ $numa = 1 ]; then
		hn0=$(node1_share $hot_start $hot_end)
		cn0=$(node1_share $cold_start $cold_end)
		on_node0() { at_most $hn0 0.05 && at_most $cn0 0.05; }
		dp_check $t-migrate-starts-on-node0 on_node0 ||
			dp_info "$t: node 1 share before: hot $hn0, cold $cn0"
		# Pages that could not move: a folio handed to migration
		# while the walk still held it fails every retry (issue 25,
		# item 2: once per batch of 512).
		mig0=$(vmstat_of pgmigrate_fail pgmigrate_success)
		scheme migrate_hot 1 1000
		dp_set $S/target_nid 1
		dp_expect_write $t-migrate_hot-commit $KD/state commit OK
		a0=$(applied)
		hot_moved() { at_least $(node1_share $hot_start $hot_end) 0.8; }
		waited 30 hot_moved
		t_hot=$took
		hn1=$(node1_share $hot_start $hot_end)
		cn1=$(node1_share $cold_start $cold_end)
		a1=$(applied)
		dp_info "$t: migrate_hot to node 1: node 1 share hot $hn0 -> $hn1, cold $cn0 -> $cn1 after $t_hot s; $((a1 - a0)) bytes applied"
		dp_check_timed $t-migrate_hot-hot-on-node1-0.8 at_least $hn1 0.8
		dp_check $t-migrate_hot-cold-stays-below-0.1 at_most $cn1 0.1
		dp_check $t-migrate_hot-applied test "$a1" -gt "$a0"
		# (Unaccessed for a second, as for lru_deprio.)
		scheme migrate_cold 0 0
		dp_set $S/access_pattern/age/min 10
		dp_set $S/target_nid 1
		dp_expect_write $t-migrate_cold-commit $KD/state commit OK
		cold_moved() { at_least $(node1_share $cold_start $cold_end) 0.8; }
		waited 30 cold_moved
		cn2=$(node1_share $cold_start $cold_end)
		hn2=$(node1_share $hot_start $hot_end)
		dp_info "$t: migrate_cold to node 1: node 1 share cold $cn1 -> $cn2, hot $hn1 -> $hn2 after $took s"
		dp_check_timed $t-migrate_cold-cold-on-node1-0.8 at_least $cn2 0.8
		set -- $mig0 $(vmstat_of pgmigrate_fail pgmigrate_success)
		dp_info "$t: migrate_hot and migrate_cold: $(($3 - $1)) pages failed to migrate, $(($4 - $2)) migrated"
		dp_check $t-migrate-no-failed-pages test $(($3 - $1)) -le 16
	else
		dp_info "$t: one node: migrate not checked"
	fi
}

# pa_bad_nid: a target_nid of no node: at commit of the running context,
# then at on.
pa_bad_nid() {
	if [ $numa = 1 ]; then
		scheme migrate_cold 0 0
		dp_set $S/target_nid 7
		answer=$(dp-write $KD/state commit)
		dp_check $t-bad-nid-commit-leaves-running test "$(cat $KD/state)" = on
		dp_set $KD/state off
		a_on=$(dp-write $KD/state on)
		dp_info "$t: target_nid 7 (no such node): commit $answer, on $a_on"
		[ "$(cat $KD/state)" = off ] || dp_set $KD/state off
		# Refused as an invalid setup is (DESIGN 2.1): EINVAL, not
		# any answer but OK (an empty one included).
		if [ $t = ours ]; then
			dp_expect_eq ours-bad-nid-commit-refused "$answer" EINVAL
			dp_expect_eq ours-bad-nid-on-refused "$a_on" EINVAL
		fi
		dp_set $S/target_nid 1
	fi
	[ "$(cat $KD/state)" = off ] || dp_set $KD/state off
}

# pa_pause: e. pause, where the tree has it.
pa_pause() {
	if [ -f $C/pause ]; then
		# Where the workload's pages are now (node 1, after migrate).
		respan
		span_region
		scheme stat 1 1000
		dp_set $C/pause N
		dp_expect_write $t-pause-on $KD/state on OK
		kpid=$(cat $KD/pid)
		dp_sleep 3
		dp_set $C/pause Y
		dp_expect_write $t-pause-commit $KD/state commit OK
		sleep 0.5
		# (The ticks between the updates: a paused kdamond may wake to
		# serve one.) Each read is of an update of its own: the tried
		# regions cleared before it, so that the second cannot be the
		# first's leftovers (an update that wrote nothing), and each
		# must have regions (two empty reads are identical too).
		fresh_tried() {
			dp_set $KD/state clear_schemes_tried_regions
			if [ -d $S/tried_regions/0 ]; then
				echo "not cleared"
				return
			fi
			dp_set $KD/state update_schemes_tried_regions
			tried $S
			cat $S/tried_regions/total_bytes
		}
		nr_tried() { echo "$1" | awk 'NF == 4 { n++ } END { print n + 0 }'; }
		first=$(fresh_tried)
		k0=$(dp_cpu_ticks $kpid)
		sleep 3
		k1=$(dp_cpu_ticks $kpid)
		second=$(fresh_tried)
		dp_info "$t: paused for 3 s: $((k1 - k0)) ticks; $(nr_tried "$first") then $(nr_tried "$second") tried regions"
		dp_check $t-paused-no-cpu-ticks test $((k1 - k0)) -le 1
		dp_check $t-paused-tried-present test "$(nr_tried "$first")" -gt 0 -a "$(nr_tried "$second")" -gt 0
		dp_expect_eq $t-paused-tried-identical "$second" "$first"
		dp_set $C/pause N
		dp_expect_write $t-resume-commit $KD/state commit OK
		k0=$(dp_cpu_ticks $kpid)
		dp_set $KD/state update_schemes_stats
		n0=$(cat $S/stats/nr_tried)
		dp_sleep 2
		dp_set $KD/state update_schemes_stats
		n1=$(cat $S/stats/nr_tried)
		k1=$(dp_cpu_ticks $kpid)
		dp_check $t-resumed-uses-cpu test $((k1 - k0)) -gt 0
		dp_check $t-resumed-stats-grow test "$n1" -gt "$n0"
		dp_set $KD/state off
	else
		dp_info "$t: no pause file in this tree: pause not checked"
	fi
}

# pa_unload: f. unload, ours only: while a paddr context runs, is paused,
# and acts (migrate; pageout with swap). Each time a live kdamond before,
# no thread after.
pa_unload() {
	if [ $t = ours ]; then
		respan
		for what in running paused migrate pageout; do
			case $what in
			migrate) [ $numa = 1 ] || continue ;;
			pageout) [ -n "$swap" ] || continue ;;
			esac
			[ -d /sys/module/damon_pause ] || {
				dp_must insmod "$DP_MODULE"
				dp_set $K/nr_kdamonds 1
				dp_set $KD/contexts/nr_contexts 1
				dp_set $C/operations paddr
				dp_set $C/targets/nr_targets 1
			}
			span_region
			dp_set $C/pause N
			case $what in
			running) scheme stat 1 1000 ;;
			paused) scheme stat 1 1000; dp_set $C/pause Y ;;
			# Back to node 0, what was moved to node 1 above.
			migrate) scheme migrate_cold 0 0; dp_set $S/target_nid 0 ;;
			pageout) scheme pageout 0 0 ;;
			esac
			dp_set $KD/state on
			dp_kdamond_pid $KD
			case $what in
			migrate|pageout)
				acting() {
					dp_set $KD/state update_schemes_stats
					[ "$(cat $S/stats/sz_applied)" -gt 0 ]
				}
				dp_check ours-unload-$what-acts dp_wait_for 20 acting
				;;
			*) dp_sleep 1 ;;
			esac
			dp_check ours-unload-$what rmmod damon_pause
			dp_check ours-unload-$what-thread-gone dp_wait_for 5 test ! -e /proc/$kpid
		done
		dp_must insmod "$DP_MODULE"
	fi
}

# battery ROOT T: everything above against the tree at ROOT, checks named
# T-...; the tree left empty (nr_kdamonds 0) and the workload stopped.
# Its parts, in order (pa_PART), each timed (part).
battery() {
	local root=$1 t=$2 K KD C S kpid answer

	K=$root/kdamonds
	KD=$K/0
	C=$KD/contexts/0
	S=$C/schemes/0
	dp_set $K/nr_kdamonds 1
	dp_set $KD/contexts/nr_contexts 1
	if ! grep -qw paddr $C/avail_operations; then
		dp_fail $t-avail-paddr "avail_operations: $(cat $C/avail_operations | tr '\n' ' ')"
		dp_set $K/nr_kdamonds 0
		return
	fi
	dp_pass $t-avail-paddr
	parts=""
	read -r part_t0 _ < /proc/uptime

	for pa in workload stat lru pageout migrate bad-nid pause unload; do
		pa_$(echo $pa | tr - _)
		part $pa
	done
	dp_info "$t: seconds per part:$parts"
	kill $hc_pid
	wait $hc_pid 2>/dev/null
	dp_set $K/nr_kdamonds 0
}

# The thresholds, calibrated on the in-kernel DAMON of stock-6.12: with a
# 128 MiB hot area, precision 1.000 and 0.982, recall 0.998 and 0.965 (on
# a host loaded by two other guests); with 256 MiB, down to 0.779.
PREC=0.9
RECALL=0.8

dp_must insmod "$DP_MODULE"
battery "$DP_ADMIN" ours
rmmod damon_pause || dp_fail unload "rmmod damon_pause"

if [ ! -d $UP ]; then
	dp_info "no in-kernel DAMON sysfs tree: ours only"
elif [ "${DP_PADDR_CALIBRATE:-}" = all ] ||
	grep -q "^$DP_SCENARIO:ours-" /tmp/dp-failed 2>/dev/null; then
	# The calibration: what the in-kernel DAMON does with the same
	# battery, beside ours' failures. A figure it misses (seen once: its
	# migrate_cold moved nothing in 30 s) is said as a skip, not held
	# against our module.
	DP_CALIBRATION="the in-kernel DAMON (calibration)"
	battery $UP kernel
	DP_CALIBRATION=
else
	dp_info "the in-kernel DAMON not run: every check passed on ours (DP_PADDR_CALIBRATE=all runs it)"
fi

# g. Ours, vaddr: per-folio filters over huge pages that migrate between
# the nodes (issue 25, item 1).  Under migration a huge page's PMD holds a
# migration entry, which has no PTE table: a page walk with a PTE callback
# that reached it would have the generic walker split the mapping, and the
# page comes back mapped by PTEs.  A stat scheme with an anon filter walks
# the workload's huge pages at every aggregation while migrate_pages(2)
# moves them from node to node and back: thp_split_pmd must not grow, and
# the workload's memory stays in huge pages.
if [ $numa = 1 ]; then
	[ -d /sys/module/damon_pause ] || dp_must insmod "$DP_MODULE"
	K=$DP_ADMIN/kdamonds
	KD=$K/0
	C=$KD/contexts/0
	S=$C/schemes/0
	dp_set $THP always
	dp_hotcold 64 64 node0
	dp_set $K/nr_kdamonds 1
	dp_kdamond_setup $KD $hc_pid
	dp_set $C/schemes/nr_schemes 1
	dp_set $S/action stat
	echo $((1 << 40)) > $S/access_pattern/sz/max
	dp_set $S/access_pattern/nr_accesses/max 1000
	dp_set $S/access_pattern/age/max 1000000
	dp_set $S/filters/nr_filters 1
	dp_set $S/filters/0/type anon
	dp_set $S/filters/0/matching Y
	dp_set $S/filters/0/allow Y
	dp_expect_write ours-thp-filter-on $KD/state on OK
	huge0=$(dp_smaps_kb $hc_pid $hot_start $cold_end AnonHugePages)
	set -- $(vmstat_of thp_split_pmd pgmigrate_success thp_migration_split)
	trips=0
	for i in 1 2 3 4 5 6; do
		dp-pages migrate $hc_pid 0 1 > /dev/null &&
			dp-pages migrate $hc_pid 1 0 > /dev/null || break
		trips=$i
	done
	set -- "$@" $(vmstat_of thp_split_pmd pgmigrate_success thp_migration_split)
	huge1=$(dp_smaps_kb $hc_pid $hot_start $cold_end AnonHugePages)
	dp_set $KD/state update_schemes_stats
	dp_info "ours: thp under migration: $huge0 kB in huge pages, $trips round trips" \
		"between the nodes ($(($5 - $2)) pages moved, $(($6 - $3)) huge pages" \
		"split by the migration), $(cat $S/stats/nr_tried) applications;" \
		"thp_split_pmd +$(($4 - $1)); $huge1 kB in huge pages after"
	dp_check ours-thp-workload-huge test "$huge0" -gt 0
	dp_check ours-thp-migrated test "$trips" -gt 0 -a $(($5 - $2)) -gt 0
	dp_check ours-thp-filter-walked test "$(cat $S/stats/nr_tried)" -gt 0
	# (A huge page that the walk left mapped by PTEs is split by its next
	# migration too: thp_migration_split follows thp_split_pmd.)
	dp_check ours-thp-filter-walk-splits-nothing test $(($4 - $1)) -eq 0
	dp_check ours-thp-stays-huge test "$huge1" -ge "$huge0"
	dp_set $KD/state off
	kill $hc_pid
	wait $hc_pid 2>/dev/null
	dp_set $K/nr_kdamonds 0
	rmmod damon_pause || dp_fail ours-thp-unload "rmmod damon_pause"
fi

[ -z "$swap" ] || swapoff $swap
[ "$swap_can" != brd ] || rmmod brd
[ -z "$numab_before" ] || echo "$numab_before" > $NUMAB
[ -z "$lru_gen_before" ] || echo "$lru_gen_before" > $LRU_GEN
dp_set $THP $thp_before

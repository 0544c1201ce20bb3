# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.1 stock-6.12 stock-7.3 arm64-6.12 debug
# order: 50
# quick: stock-6.12
# Where: every kernel whose reverse map walks differ, and the
# debug kernel in place of paddr (no NUMA there; paddr took 466 s): the
# walks, pageout, refusals and unloads under KASAN, lockdep and kmemleak.
#
# A quick look at the paddr operations (the thorough scenario is paddr.sh):
# listed, a target without regions gets the biggest System RAM range,
# accesses of a workload are seen through the reverse map (where its
# pages are: hot ones accessed, cold ones mostly not), each paddr
# action is applied (or refused where it must be; pageout reclaims lazily
# freed memory, tests/workloads/lazyfree.c), pause freezes the regions,
# addr_unit scales the regions, the probes' set_pgidle prep and pgidle
# filters read access as an attribute (or are refused without the page
# idle flags), and off and the unload stop a kdamond whose schemes act.

K=$DP_ADMIN/kdamonds
KD=$K/0
C=$KD/contexts/0
S=$C/schemes/0

dp_must insmod "$DP_MODULE"
dp_set $K/nr_kdamonds 1
dp_set $KD/contexts/nr_contexts 1
dp_expect_eq avail_operations "$(tr '\n' ' ' < $C/avail_operations)" \
	"vaddr fvaddr paddr "
dp_set $C/operations paddr
dp_set $C/targets/nr_targets 1
dp_set $C/targets/0/pid_target 999999	# ignored

# The biggest System RAM range of /proc/iomem, "start end" (end exclusive;
# %.0f: busybox awk's %d stops at 2^31 - 1 on arm64, where RAM starts at
# 1 GiB).
biggest_ram() {
	awk '
	function hex(x,  i, v) {
		x = tolower(x); v = 0
		for (i = 1; i <= length(x); i++)
			v = v * 16 + index("0123456789abcdef", substr(x, i, 1)) - 1
		return v
	}
	/: System RAM$/ && $0 !~ /^ / {
		split($1, r, "-"); s = hex(r[1]); e = hex(r[2]) + 1
		if (e - s > be - bs) { bs = s; be = e }
	}
	END { printf "%.0f %.0f\n", bs, be }' /proc/iomem
}

dp_hotcold 128 256
dp_expect_write on "$KD/state" on OK || dp_abort "paddr on refused"
dp_kdamond_pid $KD
read -r ram_start ram_end <<-EOT
$(biggest_ram)
EOT
span=$(awk '$1 == "R" { if (s == "") s = $4; e = $5 } END { print s, e }' $DP_DUMP)
dp_expect_eq default-range "$span" "$ram_start $ram_end"

# The workload's accesses are seen where its memory is: its hot and cold
# areas' physical pages, as pagemap says (tests/workloads/dp-pages.c, as
# in paddr.sh), against the regions read accessed (nr_accesses of at
# least 1) at one read of the dump: at least half of the hot area's pages
# inside accessed regions, at most half of the cold area's (seen: 0.11 to
# 0.24 on stock-6.12 and stock-7.3, the regions over all RAM). (Any
# accessed region anywhere in RAM is no evidence: the test's own shell
# makes some.)
# phys_score UNIT: "HOT COLD", those two shares (the dump's addresses are
# in units of UNIT: addr_unit); "- -" where pagemap cannot be read.
phys_score() {
	awk -v u=$1 '$1 == "R" && $8 >= 1 { printf "%.0f %.0f\n", $4 * u, $5 * u }' $DP_DUMP |
		dp-pages score $hc_pid $hot_start $hot_end $cold_start $cold_end |
		awk '{ printf "%.3f %.3f\n", $4 ? $2 / $4 : 0, $5 ? $3 / $5 : 0; f = 1 }
		END { if (!f) print "- -" }'
}
# accessed UNIT: the hot area found, the cold one mostly not (last_score:
# the last read's shares).
accessed() {
	last_score=$(phys_score $1)
	awk -v h=${last_score% *} -v c=${last_score#* } \
		'BEGIN { exit !(h != "-" && h >= 0.5 && c <= 0.5) }'
}
dp_check sees-accesses dp_wait_for 30 accessed 1
dp_info "paddr regions: $(grep -c '^R' $DP_DUMP), accessed: $(awk '$1 == "R" && $8 >= 1' $DP_DUMP | wc -l);" \
	"shares of the hot and the cold area in accessed regions: $last_score"

# One physical address space: a second target is refused, nothing changes.
dp_set $C/targets/nr_targets 2
dp_expect_write two-targets "$KD/state" commit EINVAL
dp_set $C/targets/nr_targets 1

# scheme ACTION: one scheme for every region.
scheme() { dp_scheme $C/schemes $1; }

applied() { # applied: sz_applied of scheme 0, fresh
	echo update_schemes_stats > $KD/state && cat $S/stats/sz_applied
}

# Every LRU folio can be moved on its lists.  The guest has no swap: what
# pageout can reclaim is memory freed lazily (MADV_FREE), 64 MiB of it.
lazyfree 64 > /tmp/lazyfree.out &
lf_pid=$!
dp_wait_for 30 grep -q '^lazyfree' /tmp/lazyfree.out ||
	dp_abort "lazyfree did not start: $(cat /tmp/lazyfree.out)"
rss_kb() { awk '$1 == "VmRSS:" { print $2 }' /proc/$lf_pid/status; }
lf_rss=$(rss_kb)
lf_reclaimed() { [ "$(rss_kb)" -lt $((lf_rss / 2)) ]; }
for action in lru_prio lru_deprio pageout; do
	scheme $action
	dp_expect_write "$action-commit" "$KD/state" commit OK
	dp_check "$action-sz_applied" dp_wait_for 30 sh -c \
		"echo update_schemes_stats > $KD/state && [ \$(cat $S/stats/sz_applied) -gt 0 ]"
	if [ $action = pageout ]; then
		dp_check pageout-reclaims dp_wait_for 30 lf_reclaimed
		dp_info "lazyfree: VmRSS $lf_rss kB before pageout, $(rss_kb) kB after"
	fi
	dp_info "$action: tried $(cat $S/stats/sz_tried) applied $(applied)"
	dp_set $C/schemes/nr_schemes 0
	dp_expect_write "$action-removed" "$KD/state" commit OK
done
kill $lf_pid
wait $lf_pid 2>/dev/null

# Migrations: to a node with memory (here the only one: nothing moves),
# not to one without.
scheme migrate_cold
dp_set $S/target_nid 0
dp_expect_write migrate-commit "$KD/state" commit OK
dp_sleep 1
dp_info "migrate_cold to node 0: tried $(cat $S/stats/sz_tried) applied $(applied)"
dp_set $S/target_nid 7
dp_expect_write migrate-bad-nid "$KD/state" commit EINVAL
dp_set $S/target_nid -1
dp_expect_write migrate-no-nid "$KD/state" commit EINVAL
dp_set $S/action willneed
dp_expect_write paddr-willneed "$KD/state" commit EOPNOTSUPP
dp_set $C/schemes/nr_schemes 0
dp_expect_write schemes-removed "$KD/state" commit OK
dp_check still-running test "$(cat $KD/state)" = on

# Paused: the regions do not change while the workload runs on.
dp_set $C/pause Y
dp_expect_write pause "$KD/state" commit OK
grep '^R' $DP_DUMP > /tmp/paddr.before
dp_sleep 2
grep '^R' $DP_DUMP > /tmp/paddr.after
# (Two empty dumps are equal too: the first must have regions.)
frozen() { [ -s /tmp/paddr.before ] && cmp -s /tmp/paddr.before /tmp/paddr.after; }
dp_check paused-frozen frozen
dp_set $C/pause N
dp_expect_write resume "$KD/state" commit OK

# addr_unit (upstream 6.18+): paddr counts in units of it.  The default
# range is the same RAM, in whole units, and accesses are still seen; a
# unit below a page must leave a page a power of two of units (3 does not),
# and 0 is no unit.
dp_expect_write addr_unit-off "$KD/state" off OK
dp_expect_eq addr_unit-default "$(cat $C/addr_unit)" 1
dp_refuses addr_unit $C/addr_unit EINVAL 0 x
dp_set $C/addr_unit 3
dp_expect_write addr_unit-3-on "$KD/state" on EINVAL
for unit in 1024 16384; do
	dp_set $C/addr_unit $unit
	dp_expect_write addr_unit-$unit-on "$KD/state" on OK
	span=$(awk '$1 == "R" { if (s == "") s = $4; e = $5 } END { print s, e }' $DP_DUMP)
	dp_expect_eq addr_unit-$unit-range "$span" \
		"$(awk -v s=$ram_start -v e=$ram_end -v u=$unit \
			'BEGIN { printf "%.0f %.0f\n", int((s + u - 1) / u), int(e / u) }')"
	dp_check addr_unit-$unit-accesses dp_wait_for 30 accessed $unit
	dp_info "addr_unit $unit: shares of the hot and the cold area in accessed regions: $last_score"
	dp_expect_write addr_unit-$unit-off "$KD/state" off OK
done
# Regions past the physical address space (issue 25, item 8): an end
# times the unit that wraps 64 bits, or that lies past the highest
# physical address, is refused at on and at commit, and the running
# kdamond stays as it was.
R=$C/targets/0/regions
# region UNIT START END: the target's one region, in units of UNIT.
region() {
	dp_set $C/addr_unit $1
	dp_set $R/nr_regions 1
	dp_set $R/0/start $2
	dp_set $R/0/end $3
}
# refused_on NAME: on must fail with EINVAL (and is undone if it did not).
refused_on() {
	dp_expect_write $1 "$KD/state" on EINVAL
	[ "$(cat $KD/state)" = off ] || dp_set $KD/state off
}
region 4096 $((1 << 52)) $(((1 << 52) + 1))
refused_on addr_unit-wraps-on
region 1 $((1 << 61)) $((1 << 62))
refused_on past-phys-on
region 4096 $((1 << 40)) $(((1 << 40) + 1))
refused_on addr_unit-past-phys-on
region 4096 $((ram_start / 4096)) $((ram_start / 4096 + 512))
dp_expect_write in-phys-on "$KD/state" on OK
kpid=$(cat $KD/pid)
region 4096 $((1 << 52)) $(((1 << 52) + 1))
dp_expect_write addr_unit-wraps-commit "$KD/state" commit EINVAL
region 1 $((1 << 61)) $((1 << 62))
dp_expect_write past-phys-commit "$KD/state" commit EINVAL
dp_expect_eq past-phys-refused-unchanged "$(cat $KD/state) $(cat $KD/pid)" "on $kpid"
dp_expect_write past-phys-off "$KD/state" off OK

# A region as large as the physical address space (issue 25, item 4): the
# quota goal node_eligible_mem_bp walks every frame of it when the scheme
# is first applied (and at each quota reset); an off in the middle of that
# walk takes well under a second, and nothing reports a soft lockup or an
# RCU stall (the splat scan).
# (The CPU's physical address bits, at most the 46 a 4-level memory map
# has; 36 where /proc/cpuinfo does not say: arm64.)
phys_bits=$(awk '/^address sizes/ { print $4 < 46 ? $4 : 46; exit }' /proc/cpuinfo)
phys_bits=${phys_bits:-36}
region 1 0 $((1 << phys_bits))
scheme stat
dp_set $S/quotas/goals/nr_goals 1
dp_set $S/quotas/goals/0/target_metric node_eligible_mem_bp
dp_set $S/quotas/goals/0/nid 0
dp_set $S/quotas/goals/0/target_value 5000
dp_expect_write huge-region-on "$KD/state" on OK
dp_kdamond_pid $KD
dp_sleep 2
set -- $(dp-io w $KD/state 'off\n')
dp_info "off during a walk of $((1 << (phys_bits - 30))) GiB of frames: $1 after $(($2 / 1000000)) ms"
dp_expect_eq huge-region-off "$1" OK
dp_check_timed huge-region-off-within-1s test "$2" -le 1000000000
dp_check huge-region-thread-gone dp_wait_for 5 test ! -e /proc/$kpid
dp_set $S/quotas/goals/nr_goals 0
dp_set $C/schemes/nr_schemes 0
dp_set $R/nr_regions 0

dp_set $C/addr_unit 1
dp_expect_write on-again "$KD/state" on OK

# Probe preparations and page idle filters (upstream after 7.3): the
# files, their defaults and refusals.  With the page idle flags, access as
# an attribute: a pgidle_unset probe of weight 1 (attributes-only: no
# access checks) on a fresh workload, as the tried regions' probes/P/hits
# read it against pagemap: without a prep it reads the cold area accessed
# as well (written once, its pages were never marked idle); a set_pgidle
# prep, committed, marks each sample idle before its interval, and then
# only the hot area reads accessed; a pgidle_set probe reads the cold area
# idle, and no sample is both.  Without the flags (6.1, debug), on and
# commit refuse them, and the running kdamond stays.
P=$C/monitoring_attrs/probes
dp_expect_write preps-off "$KD/state" off OK
dp_set $P/nr_probes 2
dp_expect_eq preps-files "$(stat -c %a $P/0/preps/nr_preps) $(cat $P/0/preps/nr_preps)" "600 0"
dp_refuses nr_preps $P/0/preps/nr_preps EINVAL 9 -1 x
dp_set $P/0/preps/nr_preps 1
PR=$P/0/preps/0/prep_action
dp_expect_eq prep-action-file "$(stat -c %a $PR) $(cat $PR)" "600 set_pgidle"
dp_refuses prep_action $PR EINVAL foo set_pgidle_ pgidle_unset
dp_set $P/0/filters/nr_filters 1
dp_set $P/1/filters/nr_filters 1
PF0=$P/0/filters/0
PF1=$P/1/filters/0
dp_expect_write probe-pgidle_unset $PF0/type pgidle_unset OK
dp_expect_write probe-pgidle_set $PF1/type pgidle_set OK
dp_expect_eq probe-pgidle-types "$(cat $PF0/type) $(cat $PF1/type)" "pgidle_unset pgidle_set"
for f in $PF0 $PF1; do
	dp_set $f/matching Y
	dp_set $f/allow Y
done
dp_set $P/0/weight 1
scheme stat
# tried_hits: "START END HITS0 HITS1" of every tried region, one grep.
tried_hits() {
	dp_set $KD/state update_schemes_tried_regions
	grep -r '' $S/tried_regions/ 2>/dev/null | awk '
	{
		i = index($0, ":"); path = substr($0, 1, i - 1); v = substr($0, i + 1)
		n = split(path, p, "/")
		if (p[n] == "start") s[p[n - 1]] = v
		else if (p[n] == "end") e[p[n - 1]] = v
		else if (p[n] == "hits") h[p[n - 3], p[n - 1]] = v
	}
	END { for (k in s) print s[k], e[k], h[k, 0] + 0, h[k, 1] + 0 }'
}
# hit_shares COL MIN COND: the shares h and c of the hot and the cold
# area's pages in the tried regions whose hits in column COL (3:
# pgidle_unset, 4: pgidle_set) are at least MIN (of 20 samples) satisfy
# awk's COND (hit_last: them).
hit_shares() {
	tried_hits > /tmp/preps.hits
	hit_last=$(awk -v c=$1 -v m=$2 '$c >= m' /tmp/preps.hits |
		dp-pages score $hc_pid $hot_start $hot_end $cold_start $cold_end |
		awk '{ printf "%.3f %.3f\n", $4 ? $2 / $4 : 0, $5 ? $3 / $5 : 0 }')
	awk -v h=${hit_last% *} -v c=${hit_last#* } "BEGIN { exit !(h != \"\" && $3) }"
}
if dp_has_page_idle; then
	kill $hc_pid
	wait $hc_pid 2>/dev/null
	dp_damon_stat_stop	# its own samples would mark the workload idle
	dp_hotcold 64 128
	dp_set $P/0/preps/nr_preps 0
	dp_expect_write pgidle-on "$KD/state" on OK
	dp_kdamond_pid $KD
	dp_check no-prep-reads-cold-accessed dp_wait_for 30 hit_shares 3 10 'c >= 0.5'
	dp_info "pgidle_unset without a prep: shares of the hot and the cold area in regions hit at half the samples or more: $hit_last"
	dp_set $P/0/preps/nr_preps 1
	dp_expect_write prep-commit "$KD/state" commit OK
	dp_check prep-reads-hot-only dp_wait_for 30 hit_shares 3 1 'h >= 0.5 && c <= 0.5'
	dp_info "pgidle_unset after set_pgidle: $hit_last in regions hit at all, regions: $(wc -l < /tmp/preps.hits)"
	dp_check pgidle_set-reads-cold dp_wait_for 30 hit_shares 4 1 'c >= 0.5'
	dp_info "pgidle_set after set_pgidle: $hit_last"
	dp_check pgidle-never-both awk '$3 + $4 > 20 { exit 1 }' /tmp/preps.hits
	dp_check attrs-only-no-accesses awk '$1 == "R" && $6 + $7 + $8 > 0 { exit 1 }' $DP_DUMP
	dp_expect_eq prep-same-kdamond "$(cat $KD/pid)" "$kpid"
	dp_damon_stat_restore
else
	dp_expect_write pgidle-prep-on "$KD/state" on EOPNOTSUPP
	dp_set $P/0/preps/nr_preps 0
	dp_expect_write pgidle-filters-on "$KD/state" on EOPNOTSUPP
	dp_expect_eq pgidle-refused-off "$(cat $KD/state)" off
	dp_set $PF0/type anon
	dp_set $PF1/type anon
	dp_expect_write anon-probes-on "$KD/state" on OK
	dp_kdamond_pid $KD
	dp_set $P/0/preps/nr_preps 1
	dp_expect_write pgidle-prep-commit "$KD/state" commit EOPNOTSUPP
	dp_expect_eq pgidle-refused-unchanged "$(cat $KD/state) $(cat $KD/pid)" "on $kpid"
fi
dp_set $P/nr_probes 0
dp_set $C/schemes/nr_schemes 0
dp_expect_write preps-removed "$KD/state" commit OK

# vaddr refuses paddr's actions.
dp_expect_write off "$KD/state" off OK
dp_set $C/operations vaddr
dp_set $C/targets/0/pid_target $hc_pid
scheme lru_prio
dp_expect_write vaddr-lru_prio "$KD/state" on EOPNOTSUPP

# The unload stops a paddr kdamond in the middle of its pageouts.
dp_set $C/operations paddr
scheme pageout
dp_expect_write pageout-on "$KD/state" on OK
dp_sleep 1
dp_check unload-running rmmod damon_pause
kill $hc_pid 2>/dev/null
wait $hc_pid 2>/dev/null

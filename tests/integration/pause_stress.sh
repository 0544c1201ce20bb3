# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.12 debug
# order: 60
# Where: it exercises our locking, not the kernel's version:
# stock-6.12, and the debug kernel, where lockdep and KASAN watch (200
# cycles there, DP_DEBUG_STRESS_CYCLES: each takes five times as long).
#
# 1000 pause/resume cycles through "commit", while a second writer commits
# interval changes and a reader takes dumps (each a call on the kdamond),
# all at once: every commit either applies or is refused with -EBUSY (the
# tree's lock is taken with trylock, as upstream), the kdamond survives,
# its regions stay sorted and disjoint, and the end state is what was last
# committed.  The guest's splat scan and kmemleak catch the rest.

K=$DP_ADMIN/kdamonds
KD=$K/0
C=$KD/contexts/0
CYCLES=${DP_STRESS_CYCLES:-1000}

dp_must insmod "$DP_MODULE"
dp_hotcold 64 128
dp_set $K/nr_kdamonds 1
dp_kdamond_setup $KD $hc_pid
dp_set $KD/state on
dp_kdamond_pid $KD

# commit_until_done: retry on -EBUSY; prints the outcome that ended it.
# The shell's own echo is the fast path; dp-write tells why one failed.
commit_until_done() {
	local r
	while :; do
		if { echo commit > $KD/state; } 2>/dev/null; then
			echo OK
			return
		fi
		r=$(dp-write $KD/state commit)
		[ "$r" = EBUSY ] || break
		echo EBUSY >> /tmp/stress.busy
	done
	echo "$r"
}

stop=/tmp/stress.stop
rm -f $stop /tmp/stress.*
(	# interval changes
	aggr=100000
	while [ ! -e $stop ]; do
		aggr=$((300000 - aggr))
		echo $aggr > $C/monitoring_attrs/intervals/aggr_us
		commit_until_done >> /tmp/stress.attrs
	done
) &
attrs_pid=$!
(	# dumps, each served on the kdamond
	while [ ! -e $stop ]; do
		cat $DP_DUMP > /dev/null || echo fail >> /tmp/stress.dumps
		echo ok >> /tmp/stress.dumps
	done
) &
dumps_pid=$!

i=0
while [ $i -lt $CYCLES ]; do
	for p in Y N; do
		echo $p > $C/pause
		commit_until_done >> /tmp/stress.pause
	done
	i=$((i + 1))
done
touch $stop
wait $attrs_pid $dumps_pid

count() { cat "$2" 2>/dev/null | grep -c "^$1\$"; }
# (The other writers did their part at all: no line has no failure.)
dp_check stress-attr-commits-done test "$(count OK /tmp/stress.attrs)" -gt 0
dp_check stress-dumps-done test "$(count ok /tmp/stress.dumps)" -gt 0
dp_expect_eq stress-pause-commits-applied "$(count OK /tmp/stress.pause)" \
	$((CYCLES * 2))
dp_expect_eq stress-attr-commits-all-applied \
	"$(grep -vc '^OK$' /tmp/stress.attrs)" 0
dp_expect_eq stress-dumps-all-read "$(count fail /tmp/stress.dumps)" 0
dp_info "stress: $((CYCLES * 2)) pause/resume commits, $(count OK /tmp/stress.attrs)" \
	"interval commits, $(count ok /tmp/stress.dumps) dumps," \
	"$(count EBUSY /tmp/stress.busy) -EBUSY retries"

dp_expect_eq stress-kdamond-survives "$(cat $KD/state) $(cat $KD/pid)" "on $kpid"
dp_expect_eq stress-ends-resumed \
	"$(awk '$1 == "K" { print $6 }' $DP_DUMP)" 0
regions_sane() {
	awk '$1 == "R" {
		if ($4 >= $5 || ($3 == t && $4 < end)) bad++
		t = $3; end = $5; n++
	} END { exit bad || !n }' $DP_DUMP
}
dp_check stress-regions-sorted-disjoint regions_sane
dp_expect_write stress-off "$KD/state" off OK
kill $hc_pid
wait $hc_pid 2>/dev/null
dp_check stress-unload rmmod damon_pause

# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.12 stock-7.3
# order: 200
# Where: beside the in-kernel DAMON's figures (6.12, 7.3); the debug
# kernel's KASAN watches the layout code it drives through the vaddr
# KUnit suite (dp_va_layout_*: holes, guards, PROT_NONE), not again here
# (53 s there, for figures it only reports).
#
# Monitoring a sparse address space (tests/workloads/sparse.c: 512
# mappings of 1 MiB, 3 MiB of PROT_NONE between two of them, every 16th
# written at random, the others 64 KiB written once), from the debugfs
# dump:
# - the hot mappings are found: regions follow what the process can
#   access (src/ops-vaddr.c), so a hot mapping becomes a region of its
#   own instead of a sliver of a region made mostly of holes, where
#   upstream's regions find about 1% of the hot memory (Documentation/
#   benchmarks.md, the sparse workload);
# - the regions stay within max_nr_regions, and at least
#   min_nr_regions;
# - no region with accesses starts or ends in a hole, in a read that has
#   hot regions to judge.

K=$DP_ADMIN/kdamonds
KD=$K/0
C=$KD/contexts/0

dp_must insmod "$DP_MODULE"
out=/tmp/sparse.out
sparse 512 1024 3 16 > $out &
sp_pid=$!
dp_wait_for 60 grep -q '^hot' $out ||
	dp_abort "sparse did not start: $(head -c 200 $out)"
sleep 1
grep '^hot' $out | cut -d' ' -f2,3 > /tmp/sparse.hot
nr_hot=$(wc -l < /tmp/sparse.hot)
[ "$nr_hot" = 32 ] || dp_abort "sparse has $nr_hot hot mappings, not 32"
dp_set $K/nr_kdamonds 1
dp_kdamond_setup $KD $sp_pid

# classify: byte-weighted precision and recall of "hot" (last_nr_accesses
# of at least 1) against the hot mappings, then the number of regions.
classify() {
	dp_dump_regions | dp_hot_figures "$(cat /tmp/sparse.hot)" | cut -d' ' -f1-3
}

found() {
	set -- $(classify)
	dp_good $1 $2 0.9 0.8
}

# stays_found: found at 5 reads of the next 2.5 s, one miss allowed (a
# split may show a region of a hot mapping and a cold one for one read).
stays_found() {
	local i n=0
	for i in 1 2 3 4 5; do
		sleep 0.5
		found && n=$((n + 1))
	done
	dp_info "found at $n of 5 reads; the last: $(classify)"
	[ $n -ge 4 ]
}

dp_expect_write monitor-on "$KD/state" on OK || dp_abort "on refused"
dp_kdamond_pid $KD
start=$(cut -d' ' -f1 /proc/uptime)
dp_wait_for 30 found
end=$(cut -d' ' -f1 /proc/uptime)
dp_info "after $(awk -v a=$start -v b=$end 'BEGIN { print b - a }') s:" \
	"precision recall regions: $(classify)"
dp_check_timed hot-mappings-found stays_found

# Regions within the bounds (default 10 and 1000), read at 5 aggregations.
lo=1000000 hi=0
for i in 1 2 3 4 5; do
	n=$(grep -c '^R' $DP_DUMP)
	[ "$n" -lt $lo ] && lo=$n
	[ "$n" -gt $hi ] && hi=$n
	sleep 0.1
done
dp_info "regions: $lo to $hi"
dp_check nr-regions-within-bounds test $lo -ge 10 -a $hi -le 1000

# The hot regions' ends are in accessible mappings: a hot region that
# started or ended in a PROT_NONE stretch counted a hole as hot memory.
# The stretches are [hot end, next start) for each mapping: every mapping
# is 1 MiB at a 4 MiB stride from the span's start. Judged on one read of
# the dump, a copy, that has hot regions to judge: a read where nothing
# reads hot has no ends at all, and would pass on a monitor that sees no
# access (the debug kernel's hot-mappings-found is a figure, a skip when
# missed). So the read must find at least a quarter of the hot mappings
# (8 of 32, each half covered by hot regions), tried up to 10 times
# 0.5 s apart.
read -r _ span_start span_end < $out
# mappings_found: hot mappings half covered by hot regions in the copy.
mappings_found() {
	awk 'NR == FNR { hs[++nh] = $1; he[nh] = $2; next }
	$1 == "R" && $8 >= 1 {
		for (i = 1; i <= nh; i++) {
			s = $4 > hs[i] ? $4 : hs[i]; e = $5 < he[i] ? $5 : he[i]
			if (e > s)
				cov[i] += e - s
		}
	}
	END {
		for (i = 1; i <= nh; i++)
			if (cov[i] * 2 >= he[i] - hs[i])
				n++
		print n + 0
	}' /tmp/sparse.hot /tmp/sparse.dump
}
hot_read() {
	cat $DP_DUMP > /tmp/sparse.dump
	[ "$(mappings_found)" -ge 8 ] && return
	sleep 0.5
	false
}
i=0
while [ $i -lt 10 ] && ! hot_read; do
	i=$((i + 1))
done
nfound=$(mappings_found)
bad=$(awk -v b=$span_start -v e=$span_end '$1 == "R" && $8 >= 1 &&
	$4 >= b && $5 <= e {
	if (($4 - b) % 4194304 >= 1048576 || ($5 - 1 - b) % 4194304 >= 1048576)
		n++
} END { print n + 0 }' /tmp/sparse.dump)
dp_info "the read judged: $nfound of $nr_hot hot mappings found," \
	"$(awk '$1 == "R" && $8 >= 1' /tmp/sparse.dump | wc -l) hot regions, $bad ending in a hole"
dp_check hot-regions-read-finds-8-mappings test "$nfound" -ge 8
dp_check hot-regions-end-in-mappings test "$bad" -eq 0 -a "$nfound" -ge 8

dp_expect_write monitor-off "$KD/state" off OK
kill $sp_pid
wait $sp_pid 2>/dev/null
dp_must rmmod damon_pause

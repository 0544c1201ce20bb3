# SPDX-License-Identifier: GPL-2.0
# Guest side of `make demo`: narrates each step on the results port.
# It grows with the product: load, monitor a workload with a known hot and
# cold area, pause (the trained state freezes, the kdamond sleeps), resume,
# a restart from the saved trained state, stop; the hot physical memory
# found by a paddr context, paused, resumed; damo, unmodified, records
# ours and the kernel's own DAMON at once (a heatmap of each); then the
# hugepage supervisor collapses the hot area; unload.

say() { echo "$*" > "$DP_RESULTS"; }
show() { say "\$ $*"; eval "$*" 2>&1 | sed 's/^/  /' > "$DP_RESULTS"; }

K=$DP_ADMIN/kdamonds
C=$K/0/contexts/0

# What the monitor learnt about each of the workload's areas: its regions,
# their byte-weighted mean nr_accesses (samples of 20 that saw an access)
# and age (aggregation intervals), from the debugfs dump.
regions() {
	awk -v hs=$hot_start -v he=$hot_end -v cs=$cold_start -v ce=$cold_end '
	function ov(s, e, a, b) {
		s = s > a ? s : a; e = e < b ? e : b
		return e > s ? e - s : 0
	}
	$1 == "K" { printf "sampling intervals %s, aggregations %s, paused %s\n", $8, $10, $6 }
	$1 == "R" {
		h = ov($4, $5, hs, he); c = ov($4, $5, cs, ce)
		if (h) { hn++; hacc += h * $8; hage += h * $9 }
		if (c) { cn++; cacc += c * $8; cage += c * $9 }
	}
	END {
		printf "hot  %4.0f MiB: %3d regions, nr_accesses %5.2f, age %6.1f\n",
			(he - hs) / 1048576, hn, hacc / (he - hs), hage / (he - hs)
		printf "cold %4.0f MiB: %3d regions, nr_accesses %5.2f, age %6.1f\n",
			(ce - cs) / 1048576, cn, cacc / (ce - cs), cage / (ce - cs)
	}' $DP_DUMP
}

say "# kernel $(uname -r)"
show "insmod $DP_MODULE"
show "dmesg | grep damon_pause: | tail -n 1"

say "# a workload: 256 MiB written at random (hot), 512 MiB written once (cold),"
say "# in small pages (THP off: the supervisor below makes the huge pages)"
echo never > /sys/kernel/mm/transparent_hugepage/enabled
dp_hotcold 256 512
say "  pid $hc_pid: hot at 0 .. 256 MiB, cold at 258 .. 770 MiB (offsets from the hot start)"

say "# monitor it, as with upstream DAMON's sysfs tree"
show "echo 1 > $K/nr_kdamonds"
show "echo 1 > $K/0/contexts/nr_contexts"
show "echo 1 > $C/targets/nr_targets"
show "echo $hc_pid > $C/targets/0/pid_target"
show "echo on > $K/0/state; cat $K/0/pid"
sleep 3
say "# after 3 s: the hot area is found (a random 4 KiB page is not touched"
say "# in every 5 ms sample: its nr_accesses is below the maximum of 20)"
show regions

say "# pause: the trained state freezes while the workload runs on"
show "echo Y > $C/pause; echo commit > $K/0/state"
before=$(md5sum < $DP_DUMP)
kpid=$(cat $K/0/pid)
s0=$(cut -d' ' -f1 /proc/$kpid/schedstat)
sleep 3
s1=$(cut -d' ' -f1 /proc/$kpid/schedstat)
after=$(md5sum < $DP_DUMP)
show regions
say "  complete state (every region, every counter) identical after 3 s paused: $([ "$before" = "$after" ] && echo yes || echo NO)"
say "  kdamond CPU time while paused: $(((s1 - s0) / 1000)) us in 3 s"

say "# resume: monitoring continues from the trained state"
show "echo N > $C/pause; echo commit > $K/0/state"
sleep 1
show regions

say "# a restart that remembers: the trained state saved as text (regions,"
say "# counts, ages, tuned intervals), the kdamond off, the state given back,"
say "# on again: the new kdamond starts where the old one was (its ages go on)"
show "echo update_trained_state > $K/0/state; cat $C/trained_state > /tmp/state; head -n 8 /tmp/state"
show "echo off > $K/0/state"
show "cat /tmp/state > $C/trained_state; echo on > $K/0/state"
show regions
sleep 1
say "# one second later"
show regions

show "echo off > $K/0/state; cat $K/0/state"

say "# paddr: the same context on the machine's physical memory (no pid; by"
say "# default the biggest System RAM range), a stat scheme for what is hot"
S=$C/schemes/0
show "echo paddr > $C/operations; echo 1 > $C/schemes/nr_schemes"
# (As upstream's, a new scheme's ranges are all 0 to 0.)
show "cd $S/access_pattern; echo 1 > nr_accesses/min; echo 20 > nr_accesses/max; echo 4096 > sz/min; echo $((1 << 40)) > sz/max; echo 4294967295 > age/max; cd /"
show "echo on > $K/0/state"
sleep 5
hot_phys() {
	echo update_schemes_tried_regions > $K/0/state
	echo "hot physical memory: $(($(cat $S/tried_regions/total_bytes) / 1048576)) MiB" \
		"in $(ls -d $S/tried_regions/[0-9]* 2>/dev/null | wc -l) regions" \
		"(the workload's hot area is 256 MiB)"
}
say "# after 5 s"
show hot_phys
show "echo Y > $C/pause; echo commit > $K/0/state"
sleep 2
say "# paused: the regions as the pause left them (the aggregation interval"
say "# under way partly counted)"
show hot_phys
sleep 2
say "# paused 2 s more: the same answer"
show hot_phys
show "echo N > $C/pause; echo commit > $K/0/state"
sleep 2
say "# resumed"
show hot_phys
show "echo off > $K/0/state; echo 0 > $C/schemes/nr_schemes; echo vaddr > $C/operations"

# damo: Debian's, as it is (tests/qemu/damo.sh), on ours through
# damon-pause-exec and on the kernel's own DAMON, at once.
if [ -f /dp/damo/versions ]; then
	v=$(sort -t. -k1,1n -k2,2n -k3,3n /dp/damo/versions | tail -n 1)
	export PATH=/usr/bin:$PATH
	T=/sys/kernel/tracing
	[ -d $T/events ] || mount -t tracefs nodev $T
	mkdir -p /tmp/damo-ours /tmp/damo-kern
	# dm ours|kern ARGS: damo on ours (through damon-pause-exec) or on
	# the kernel's DAMON, each with a HOME of its own (damo keeps what it
	# found of the kernel there).
	dm() {
		local m=$1 w=""
		shift
		[ $m = ours ] && w=damon-pause-exec
		env HOME=/tmp/damo-$m PYTHONPATH=/dp/damo/$v/lib $w \
			python3 /dp/damo/$v/bin/damo "$@"
	}
	say "# DAMON's own tool, damo $v as Debian ships it: through damon-pause-exec"
	say "# it drives our module; the same damo drives the kernel's DAMON beside it,"
	say "# on the same workload at the same time (10 s records)"
	say "\$ damon-pause-exec damo record --timeout 10 -o ours.data $hc_pid &"
	say "\$ damo record --timeout 10 -o kern.data $hc_pid"
	dm ours record --timeout 10 -o /tmp/ours.data $hc_pid > /tmp/ours.rec 2>&1 &
	rec=$!
	dm kern record --timeout 10 -o /tmp/kern.data $hc_pid > /tmp/kern.rec 2>&1
	wait $rec
	for m in ours kern; do
		[ -s /tmp/$m.data ] || say "  no $m record: $(tail -n 3 /tmp/$m.rec | tr '\n' ' ')"
	done
	say "\$ damon-pause-exec damo report heatmap --input ours.data --resol 10 60"
	say "# (time goes down, the hot area's addresses across; each digit an access"
	say "# frequency, 0 to 9: damo draws the hottest range of the record)"
	dm ours report heatmap --input /tmp/ours.data --resol 10 60 \
		--stdout_colorset gray 2>&1 |
		sed 's/^/  /' > "$DP_RESULTS"
	# The heatmaps as numbers, for the picture (tests/demo.sh draws it).
	for m in ours kern; do
		dm $m report heatmap --input /tmp/$m.data --output raw \
			--resol 100 200 2>/dev/null |
			awk -v m=$m 'NF == 3 { print "HEATMAP", m, $0 }' > "$DP_RESULTS"
	done
fi

say "# the hugepage supervisor: module parameters; THP is off, so only it"
say "# makes huge pages (AnonHugePages of each area, from /proc/PID/smaps)"
thp() {
	echo "hot $(dp_smaps_kb $hc_pid $hot_start $hot_end AnonHugePages) of 262144 kB," \
		"cold $(dp_smaps_kb $hc_pid $cold_start $cold_end AnonHugePages) of 524288 kB in huge pages"
}
show thp
show "echo 1000000 > $DP_PARAMS/monitor_period; echo 500 > $DP_PARAMS/quota_ms"
show "echo $hc_pid > $DP_PARAMS/monitored_pids; echo Y > $DP_PARAMS/supervisor"
for i in 1 2 3 4 5; do
	sleep 5
	say "# after $((i * 5)) s"
	show thp
	show "cat $DP_PARAMS/status"
done
show "echo N > $DP_PARAMS/supervisor"
kill $hc_pid
show "rmmod damon_pause"
show "ls /sys/kernel/mm/damon_pause 2>&1 || true"

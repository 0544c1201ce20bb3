# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.1 stock-6.12 stock-7.3
# order: 100
# Where: the three x86_64 kernels: directly on 6.1, through
# damon-pause-exec on the others (the bundle's python3 and perf are the
# host's, x86_64).
#
# DAMON's own user-space tool, damo, unmodified (Debian's, from two suites:
# tests/qemu/damo.sh), drives the module: on a kernel without the
# in-kernel DAMON, through upstream's names that the module takes there
# (upstream_names, src/upstream-names.c); on a kernel with its own,
# through damon-pause-exec (scripts/), whose namespace gives them to ours
# (and the in-kernel DAMON's state, its kdamonds and damon_stat, is the
# same after the sessions as before; the kernel's DAMON modules'
# parameters are hidden there, or damo would refuse to start beside
# damon_stat). Each damo, with a fresh HOME
# (damo caches what it found of the kernel there), runs one session on a
# hot/cold workload of its own (16 MiB hot, THP "never"), each step's exit
# status checked, and what it did read back from our tree or checked in
# its output:
# - version: the package's;
# - report sysinfo (3.x; 2.x: features supported): it names paddr;
# - start with a stat scheme: our kdamond runs on the workload with it;
# - report damon (the status): the kdamond and its target;
# - report access (a snapshot of the regions, as JSON): at least 0.9 of
#   its accesses (bytes times the access count) in the workload's hot area;
# - tune to a collapse scheme (regions of 5% access rate or more; 3.x:
#   2.x has no collapse action): huge pages appear in the hot area (said:
#   how many, and in the cold one);
# - tune --pause_ctx 0 (3.x): our context paused, its kdamond idle;
#   tune again without it: resumed;
# - stop: our kdamond off;
# - record 10 s (through perf on damon:damon_aggregated), then report
#   heatmap of the record, raw: at least 0.9 of the heat lies in the
#   workload's hot area (the hot band where the hot area is); and report
#   wss of it: its 50th percentile between 8 and 32 MiB (the hot area: 16);
# - record in the snapshot mode (3 snapshots a second apart), then report
#   access of that record: at least 0.9 of its accesses in the hot area.
# Where the kernel has its own DAMON, the newest damo's session runs on it
# too, directly (damon_stat stopped meanwhile), with the same checks
# (kern-...), the calibration: what it misses is said (a skip), not judged
# (damo 3.4 fails its report access on 6.12's tree, which lacks files it
# reads; 6.12 has no collapse action); the two hot bands are said side by
# side. About 60 s a version on ours, as much on the kernel's.

[ -f /dp/damo/versions ] || dp_abort "no damo bundle (tests/qemu/damo.sh)"
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
# procps' ps, perf and python3 (the bundle's, at /usr/bin) for damo.
export PATH=/usr/bin:$PATH
KD=$DP_ADMIN/kdamonds/0
C=$KD/contexts/0

KT=/sys/kernel/mm/damon/admin
wrap=""
# kernel_state: what the in-kernel DAMON runs, "kdamond state pid" each,
# its threads (ours are kdamond_p.N), and whether damon_stat runs.
kernel_state() {
	local k
	for k in $KT/kdamonds/[0-9]*; do
		[ -d "$k" ] && echo "${k##*/} $(cat $k/state) $(cat $k/pid)"
	done
	for k in /proc/[0-9]*/comm; do
		case "$(cat $k 2>/dev/null)" in
		kdamond.*) echo "thread ${k%/comm}" ;;
		esac
	done
	echo "damon_stat $(cat $DP_DAMON_STAT 2>/dev/null)"
}
if dp_kconfig DAMON_SYSFS; then
	wrap=damon-pause-exec
	before=$(kernel_state)
	dp_info "the in-kernel DAMON before: $(echo "$before" | paste -sd' ' -)"
	dp_check exec-refuses-unloaded sh -c "! damon-pause-exec true 2>/dev/null"
	out=$(damon-pause-exec true 2>&1)
	dp_check exec-says-why sh -c "echo '$out' | grep -q 'damon_pause module is not loaded'"
	dp_check exec-help sh -c "damon-pause-exec --help | grep -q '^Usage: damon-pause-exec'"
fi
dp_must insmod "$DP_MODULE"
if [ -n "$wrap" ]; then
	mkdir -p /etc
	grep -q '^nobody:' /etc/passwd 2>/dev/null ||
		echo 'nobody:x:65534:65534:nobody:/tmp:/bin/sh' >> /etc/passwd
	out=$(su nobody -s /bin/sh -c "/dp/bin/damon-pause-exec true" 2>&1)
	dp_expect_eq exec-refuses-non-root "$?" 1
	echo "$out" | grep -q 'must run as root'
	dp_check exec-says-root test $? = 0 || said exec-non-root "$out"
	dp_check exec-tree sh -c \
		"[ \"\$(damon-pause-exec stat -c %i $KT/kdamonds)\" = \"\$(stat -c %i $DP_ADMIN/kdamonds)\" ]"
	dp_check exec-outside-unchanged sh -c \
		"[ \"\$(stat -c %i $KT/kdamonds)\" != \"\$(stat -c %i $DP_ADMIN/kdamonds)\" ]"
	# What the kernel's DAMON modules' parameters show inside: nothing.
	hidden='for m in /sys/module/damon_*/parameters; do
		case $m in */damon_pause/*) continue ;; esac
		ls -A $m
	done'
	dp_expect_eq exec-hides-kernel-modules \
		"$(damon-pause-exec sh -c "$hidden" 2>&1)" ""
	dp_check exec-events sh -c \
		"[ \"\$(damon-pause-exec cat $T/events/damon/damon_aggregated/id)\" = \"\$(cat $T/events/damon_pause/damon_aggregated/id)\" ]"
else
	[ -d $KT ] || dp_abort "no $KT"
fi
thp_before=$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled)

# said NAME TEXT: TEXT (its last 12 lines) on one INFO line.
said() { dp_info "$1: $(echo "$2" | tail -n 12 | paste -sd'|' -)"; }

# step NAME CMD...: run a damo step; its output in $out, its exit status
# checked (the output said when it fails) and returned; one that hangs is ended after
# step_limit s (times the slowdown): 120 on ours, 30 on the calibration,
# whose misses are only said (6.12's own DAMON never ends damo 3.4.1's
# snapshot record).
step_limit=120
step() {
	local name=$1 rc t0 t1
	shift
	read -r t0 _ < /proc/uptime
	# Into a file, not a pipe: a step ended by the limit leaves its perf
	# behind, which would hold a pipe open; killed then.
	timeout $((step_limit * DP_SLOW)) "$@" > /tmp/damo-step.out 2>&1 < /dev/null
	rc=$?
	[ $rc != 124 ] || killall perf 2>/dev/null
	out=$(cat /tmp/damo-step.out)
	read -r t1 _ < /proc/uptime
	steps_took="$steps_took ${name##*[0-9]-} $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
	dp_expect_eq "$name" "$rc" 0 || { said "$name" "$out"; return 1; }
}

# tree: our context as it stands, for the log of a failure.
tree() { said "$1 tree" "$(grep -r . $C/operations $C/targets 2>&1 | head -n 12)"; }

# heat_share FILE: the share of a raw heatmap's heat (time, address, heat
# per line) at addresses inside the hot area, in thousandths.
heat_share() {
	awk -v hs="$hot_start" -v he="$hot_end" '
	$3 > 0 { all += $3; if ($2 >= hs && $2 < he) hot += $3 }
	END { printf "%d", all ? 1000 * hot / all : 0 }' "$1"
}

# access_share: the share, in thousandths, of the accesses (bytes times
# the access count) of the regions in damo's JSON (on stdin) that lie in
# the hot area; whatever the version calls the count (a number, or an
# object of numbers: the first), numbers with or without thousands
# separators.
access_share() {
	python3 -c '
import json, sys
hs, he = int(sys.argv[1]), int(sys.argv[2])
def num(v):
    if isinstance(v, dict):
        v = next(iter(v.values()), 0)
    try:
        return float(str(v).replace(",", ""))
    except ValueError:
        return 0.0
hot = all_ = 0.0
def walk(o):
    global hot, all_
    if isinstance(o, dict):
        if "start" in o and "end" in o and "nr_accesses" in o:
            s, e = num(o["start"]), num(o["end"])
            w = (e - s) * num(o["nr_accesses"])
            all_ += w
            hot += max(0, min(e, he) - max(s, hs)) * num(o["nr_accesses"])
            return
        for v in o.values():
            walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
try:
    walk(json.load(sys.stdin))
except ValueError:
    pass
print(int(1000 * hot / all_) if all_ else 0)' "$hot_start" "$hot_end"
}

# hot_huge: whether the workload's hot area has huge pages.
hot_huge() { [ "$(dp_smaps_kb $hc_pid $hot_start $hot_end AnonHugePages)" -gt 0 ]; }

# wss_mib: damo's working set size report (on stdin) as one figure, MiB:
# its 50th percentile, whatever unit each version prints it in ("16.000
# MiB", "16 MiB", bytes). Empty where it says none.
wss_mib() {
	awk '$1 == "50" || $1 == "50%" || $1 == "50th" {
		v = $2; u = $3; gsub(",", "", v)
		if (u ~ /^K/) v /= 1024
		else if (u ~ /^G/) v *= 1024
		else if (u !~ /^M/) v /= 1048576
		printf "%.1f\n", v; exit
	}'
}

# session MON V: damo V's session on MON (ours: through $wrap where the
# kernel has its own DAMON; kern: the kernel's own DAMON, beside it, the
# calibration that the same session reads the same there), on a fresh
# hot/cold workload (16 MiB hot); checks named V-STEP for ours,
# kern-V-STEP for the kernel's. D is the tree damo drives.
session() {
	local mon=$1 v=$2 p= w=$wrap D=$DP_ADMIN home share mib
	[ $mon = kern ] && p=kern- w="" D=$KT
	home=/tmp/damo-home-$mon-$v
	steps_took=""
	mkdir -p $home
	damo="env HOME=$home PYTHONPATH=/dp/damo/$v/lib $w python3 /dp/damo/$v/bin/damo"
	local KD=$D/kdamonds/0 C=$D/kdamonds/0/contexts/0
	dp_hotcold 16 64
	if [ $mon = ours ]; then
		step "$v-version" $damo version
		dp_expect_eq "$v-version-is" "$out" "$v"
	fi

	# What damo found of the kernel (a fresh HOME: nothing cached): 3.x's
	# report sysinfo, 2.x's features; both name paddr, which ours offers.
	if $damo report sysinfo --help > /dev/null 2>&1; then
		step "$p$v-sysinfo" $damo report sysinfo --print all
	else
		step "$p$v-sysinfo" $damo features supported
	fi
	echo "$out" | grep -q paddr
	dp_check "$p$v-sysinfo-names-paddr" test $? = 0 || said "$p$v sysinfo" "$out"

	step "$p$v-start" $damo start $hc_pid --damos_action stat
	dp_expect_eq "$p$v-start-state" "$(cat $KD/state)" on
	dp_expect_eq "$p$v-start-target" "$(cat $C/targets/0/pid_target)" $hc_pid ||
		tree "$v"
	dp_expect_eq "$p$v-start-scheme" "$(cat $C/schemes/0/action)" stat

	step "$p$v-status" $damo report damon
	echo "$out" | grep -q "pid: *$hc_pid\|pid_target: *$hc_pid\|target_pid: *$hc_pid"
	dp_check "$p$v-status-target" test $? = 0 || said "$p$v status" "$out"

	sleep 2
	step "$p$v-access" $damo report access --json --raw_number
	share=$(echo "$out" | access_share)
	dp_info "$p$v report access: ${share}/1000 of the accesses in the hot area"
	dp_check "$p$v-access-hot" test "${share:-0}" -ge 900 ||
		said "$p$v access" "$(echo "$out" | head -c 1500)"

	# tune to a collapse scheme for the accessed regions: THP is "never",
	# so the hot area's huge pages are the scheme's. (2.x has no collapse
	# action: said.)
	if $damo tune --help 2>/dev/null | grep -q collapse; then
		step "$p$v-tune-collapse" $damo tune $hc_pid --damos_action collapse \
			--damos_access_rate 5% max &&
		dp_expect_eq "$p$v-tuned-action" "$(cat $C/schemes/0/action)" collapse &&
		dp_check "$p$v-collapse-hot-huge" dp_wait_for $((20 * DP_SLOW)) hot_huge
		dp_info "$p$v collapse: $(dp_smaps_kb $hc_pid $hot_start $hot_end AnonHugePages) kB of the hot area," \
			"$(dp_smaps_kb $hc_pid $cold_start $cold_end AnonHugePages) kB of the cold one in huge pages"
	else
		dp_info "$p$v: no collapse action in this damo (tune --help)"
	fi

	if [ -f $C/pause ] && $damo tune --help 2>/dev/null | grep -q -- --pause_ctx; then
		step "$p$v-pause" $damo tune $hc_pid --damos_action stat --pause_ctx 0
		dp_expect_eq "$p$v-paused" "$(cat $C/pause 2>/dev/null)" Y
		kpid=$(cat $KD/pid)
		t0=$(dp_cpu_ticks $kpid)
		sleep 2
		dp_expect_eq "$p$v-paused-idle" "$(dp_cpu_ticks $kpid)" "$t0"
		step "$p$v-resume" $damo tune $hc_pid --damos_action stat
		dp_expect_eq "$p$v-resumed" "$(cat $C/pause 2>/dev/null)" N
		dp_expect_eq "$p$v-resumed-state" "$(cat $KD/state)" on
	fi

	step "$p$v-stop" $damo stop
	dp_expect_eq "$p$v-stop-state" "$(cat $KD/state)" off

	# (Accesses only: damo's default adds a CPU profile, the footprints
	# and the maps, 10 s more of perf under emulation.)
	step "$p$v-record" $damo record --timeout 10 --do_record access \
		-o /tmp/damo-$mon-$v.data $hc_pid
	dp_check "$p$v-record-file" test -s /tmp/damo-$mon-$v.data
	dp_expect_eq "$p$v-record-stopped" "$(cat $KD/state 2>/dev/null || echo off)" off
	# 50 times by 200 addresses: the default of 500 by 500 took 2.x 36 s
	# of python under emulation, for a band that 200 addresses show.
	step "$p$v-heatmap" $damo report heatmap --input /tmp/damo-$mon-$v.data \
		--output raw --abs_addr --abs_time --resol 50 200
	echo "$out" > /tmp/damo-heatmap-$mon-$v
	share=$(heat_share /tmp/damo-heatmap-$mon-$v)
	dp_info "$p$v heatmap: $(wc -l < /tmp/damo-heatmap-$mon-$v) cells, ${share}/1000 of the heat in the hot area"
	dp_check "$p$v-heatmap-hot-band" test "$share" -ge 900
	echo "$share" > /tmp/damo-share-$mon-$v
	# The working set of the record (its first 20 snapshots left out, as
	# damo does): about the hot area (16 MiB; half to twice).
	step "$p$v-wss" $damo report wss --input /tmp/damo-$mon-$v.data --raw_number
	mib=$(echo "$out" | wss_mib)
	dp_info "$p$v report wss: 50th percentile ${mib:-none} MiB (the hot area: 16)"
	dp_check "$p$v-wss-about-hot" awk -v m="${mib:-0}" 'BEGIN { exit !(m >= 8 && m <= 32) }' ||
		said "$p$v wss" "$out"

	# The snapshot mode (damo starts DAMON, takes its snapshots of the
	# regions, stops it), then the record's access report: the hot area
	# read hot, as in the live one.
	step "$p$v-record-snapshot" $damo record --snapshot 1 3 --do_record access \
		-o /tmp/damo-snap-$mon-$v.data $hc_pid
	dp_expect_eq "$p$v-snapshot-stopped" "$(cat $KD/state 2>/dev/null || echo off)" off
	step "$p$v-snapshot-access" $damo report access --input /tmp/damo-snap-$mon-$v.data \
		--json --raw_number
	share=$(echo "$out" | access_share)
	dp_info "$p$v snapshot record: ${share}/1000 of the accesses in the hot area"
	dp_check "$p$v-snapshot-hot" test "${share:-0}" -ge 900 ||
		said "$p$v snapshot" "$(echo "$out" | head -c 1500)"
	dp_info "damo $p$v: seconds per step:$steps_took"
	kill $hc_pid
	wait $hc_pid 2>/dev/null
}

echo never > /sys/kernel/mm/transparent_hugepage/enabled
for v in $(cat /dp/damo/versions); do
	session ours $v
done
if [ -n "$wrap" ]; then
	dp_expect_eq kernel-damon-undisturbed "$(kernel_state)" "$before"
	# The same session on the kernel's own DAMON, with the newest damo
	# (damon_stat stopped meanwhile: damo refuses to start beside it):
	# the two by shape (each step passes on both; the hot band's share
	# of the heat, side by side).
	v=$(sort -t. -k1,1n -k2,2n -k3,3n /dp/damo/versions | tail -n 1)
	dp_damon_stat_stop
	# The calibration: its misses are said, not judged (skips): damo 3.4
	# reads files that 6.12's tree lacks, and 6.12 has no collapse.
	DP_CALIBRATION="the kernel's own DAMON" step_limit=30
	session kern $v
	DP_CALIBRATION="" step_limit=120
	[ "$(cat $KT/kdamonds/0/state 2>/dev/null)" != on ] ||
		echo off > $KT/kdamonds/0/state
	echo 0 > $KT/kdamonds/nr_kdamonds
	dp_damon_stat_restore
	dp_info "damo $v heatmap hot band: ours $(cat /tmp/damo-share-ours-$v)/1000," \
		"the kernel's DAMON $(cat /tmp/damo-share-kern-$v)/1000"
fi
echo $thp_before > /sys/kernel/mm/transparent_hugepage/enabled
dp_check unload rmmod damon_pause

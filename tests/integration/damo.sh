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
# (damo caches what it found of the kernel there), runs one session on the
# hotcold workload, each step's exit status checked, and what it did read
# back from our tree or checked in its output:
# - version: the package's;
# - start with a stat scheme: our kdamond runs on the workload with it;
# - report damon (the status): the kdamond and its target;
# - report access (a snapshot of the regions, as JSON): at least 0.9 of
#   its accesses (bytes times the access count) in the workload's hot area;
# - tune --pause_ctx 0 (3.x): our context paused, its kdamond idle;
#   tune again without it: resumed;
# - stop: our kdamond off;
# - record 10 s (through perf on damon:damon_aggregated), then report
#   heatmap of the record, raw: at least 0.9 of the heat lies in the
#   workload's hot area (the hot band where the hot area is).

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
dp_hotcold 16 64

# said NAME TEXT: TEXT (its last 12 lines) on one INFO line.
said() { dp_info "$1: $(echo "$2" | tail -n 12 | paste -sd'|' -)"; }

# step NAME CMD...: run a damo step; its output in $out, its exit status
# checked (the output said when it fails); one that hangs is ended after
# 120 s (times the slowdown).
step() {
	local name=$1 rc t0 t1
	shift
	read -r t0 _ < /proc/uptime
	out=$(timeout $((120 * DP_SLOW)) "$@" 2>&1 < /dev/null)
	rc=$?
	read -r t1 _ < /proc/uptime
	steps_took="$steps_took ${name#*-} $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
	dp_expect_eq "$name" "$rc" 0 || said "$name" "$out"
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

for v in $(cat /dp/damo/versions); do
	steps_took=""
	home=/tmp/damo-home-$v
	mkdir -p $home
	damo="env HOME=$home PYTHONPATH=/dp/damo/$v/lib $wrap python3 /dp/damo/$v/bin/damo"
	step "$v-version" $damo version
	dp_expect_eq "$v-version-is" "$out" "$v"

	step "$v-start" $damo start $hc_pid --damos_action stat
	dp_expect_eq "$v-start-state" "$(cat $KD/state)" on
	dp_expect_eq "$v-start-target" "$(cat $C/targets/0/pid_target)" $hc_pid ||
		tree "$v"
	dp_expect_eq "$v-start-scheme" "$(cat $C/schemes/0/action)" stat

	step "$v-status" $damo report damon
	echo "$out" | grep -q "pid: *$hc_pid\|pid_target: *$hc_pid\|target_pid: *$hc_pid"
	dp_check "$v-status-target" test $? = 0 || said "$v status" "$out"

	sleep 2
	step "$v-access" $damo report access --json --raw_number
	share=$(echo "$out" | access_share)
	dp_info "$v report access: ${share}/1000 of the accesses in the hot area"
	dp_check "$v-access-hot" test "${share:-0}" -ge 900 ||
		said "$v access" "$(echo "$out" | head -c 1500)"

	if [ -f $C/pause ] && $damo tune --help 2>/dev/null | grep -q -- --pause_ctx; then
		step "$v-pause" $damo tune $hc_pid --damos_action stat --pause_ctx 0
		dp_expect_eq "$v-paused" "$(cat $C/pause 2>/dev/null)" Y
		kpid=$(cat $KD/pid)
		t0=$(dp_cpu_ticks $kpid)
		sleep 2
		dp_expect_eq "$v-paused-idle" "$(dp_cpu_ticks $kpid)" "$t0"
		step "$v-resume" $damo tune $hc_pid --damos_action stat
		dp_expect_eq "$v-resumed" "$(cat $C/pause 2>/dev/null)" N
		dp_expect_eq "$v-resumed-state" "$(cat $KD/state)" on
	fi

	step "$v-stop" $damo stop
	dp_expect_eq "$v-stop-state" "$(cat $KD/state)" off

	step "$v-record" $damo record --timeout 10 -o /tmp/damo-$v.data $hc_pid
	dp_check "$v-record-file" test -s /tmp/damo-$v.data
	dp_expect_eq "$v-record-stopped" "$(cat $KD/state 2>/dev/null || echo off)" off
	# 50 times by 200 addresses: the default of 500 by 500 took 2.x 36 s
	# of python under emulation, for a band that 200 addresses show.
	step "$v-heatmap" $damo report heatmap --input /tmp/damo-$v.data \
		--output raw --abs_addr --abs_time --resol 50 200
	echo "$out" > /tmp/damo-heatmap-$v
	share=$(heat_share /tmp/damo-heatmap-$v)
	dp_info "$v heatmap: $(wc -l < /tmp/damo-heatmap-$v) cells, ${share}/1000 of the heat in the hot area"
	dp_check "$v-heatmap-hot-band" test "$share" -ge 900
	dp_info "damo $v: seconds per step:$steps_took"
done
kill $hc_pid
wait $hc_pid 2>/dev/null
dp_check unload rmmod damon_pause
if [ -n "$wrap" ]; then
	dp_expect_eq kernel-damon-undisturbed "$(kernel_state)" "$before"
fi

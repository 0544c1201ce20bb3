# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest scenarios (busybox sh). Results go to the second
# serial port, one line each: "RESULT PASS|FAIL|SKIP <scenario>:<name>[: why]"
# (the init sets DP_SCENARIO to the scenario that runs; the host adds the
# guest, so that every name of a run is unique).

# (An arm64 guest has one UART, its console: the results go to a PCI
# serial port there, its ttyS0; tests/qemu/run-guest.sh.)
DP_RESULTS=/dev/ttyS1
[ "$(uname -m)" = aarch64 ] && DP_RESULTS=/dev/ttyS0
DP_MODULE=/dp/damon_pause.ko
DP_ADMIN=/sys/kernel/mm/damon_pause/admin
DP_PARAMS=/sys/module/damon_pause/parameters

# How many times slower than a stock kernel this one runs (dp_slow= on the
# kernel command line; the debug kernel's KASAN, lockdep and kmemleak):
# waits for the module to do something are stretched by it.
DP_SLOW=${dp_slow:-1}

dp_pass() { echo "RESULT PASS ${DP_SCENARIO:-guest}:$1" > "$DP_RESULTS"; }
# (Each failure's name also goes to /tmp/dp-failed, which a scenario reads
# to decide on work that only a failure needs: dp_fail may run in a
# subshell, where a counter would be lost.)
dp_fail() {
	echo "RESULT FAIL ${DP_SCENARIO:-guest}:$1: $2" > "$DP_RESULTS"
	echo "${DP_SCENARIO:-guest}:$1" >> /tmp/dp-failed
}
dp_skip() { echo "RESULT SKIP ${DP_SCENARIO:-guest}:$1: $2" > "$DP_RESULTS"; }

# dp_abort WHY: a step that the scenario's later checks stand on failed (a
# write that sets it up, a workload that must run, a kdamond that must
# exist): fail the scenario here and end it, rather than let later checks
# pass on nothing (a kdamond pid of -1 is never in /proc, a workload that
# never started frees no memory). The scenarios run in a subshell of the
# init, which goes on with the next one.
dp_abort() {
	dp_fail setup "$1"
	exit 1
}

# dp_set FILE VALUE: a write the scenario needs to go through; any refusal
# aborts the scenario.
dp_set() {
	echo "$2" > "$1" || dp_abort "write of '$2' to $1 refused"
}

# dp_must CMD...: a setup command that must succeed, else abort.
dp_must() {
	"$@" || dp_abort "$*"
}

# dp_check NAME CMD...: pass if CMD succeeds, fail otherwise; returns
# the outcome. While DP_CALIBRATION names a reference that is not ours
# (the in-kernel DAMON), a miss is a skip that says so: that reference's
# figures are reported, not judged.
dp_check() {
	local name=$1
	shift
	if "$@"; then
		dp_pass "$name"
	elif [ -n "${DP_CALIBRATION:-}" ]; then
		dp_skip "$name" "$DP_CALIBRATION missed: $*"
		return 1
	else
		dp_fail "$name" "$*"
		return 1
	fi
}

# dp_check_timed NAME CMD...: dp_check for a figure of speed or of
# monitoring quality that a slowed kernel cannot reach (a rate, a latency,
# what the monitor learnt in a given time): there, a miss is a skip, said
# so, and the stock guests' verdict stands.
# The same where the harness says the guest's figures are reported, not
# judged (dp_figures=report: the emulated arm64 guests, whose workloads run
# two to three times slower than the x86 guests' under TCG).
DP_FIGURES=${dp_figures:-judge}
# CMD runs once: a figure read twice may be met the first time and missed
# the second (or the reverse), and the verdict must be of one reading.
# A functional check (did something ever happen at all) is no figure and
# is never wrapped in this: it uses dp_check.
dp_check_timed() {
	local name=$1 why=""
	shift
	if [ "$DP_SLOW" -gt 1 ]; then
		why="missed on a kernel ${DP_SLOW}x slower"
	elif [ "$DP_FIGURES" = report ]; then
		why="missed on a guest whose figures are reported, not judged"
	fi
	[ -n "$why" ] || { dp_check "$name" "$@"; return; }
	if "$@"; then
		dp_pass "$name"
	else
		dp_skip "$name" "$why: $*"
		return 1
	fi
}

# dp_sleep SECONDS: give the module SECONDS of a stock kernel's time.
dp_sleep() { sleep "$(awk -v s="$1" -v k="$DP_SLOW" 'BEGIN { print s * k }')"; }

# dp_expect_eq NAME ACTUAL EXPECTED: returns the outcome, so that a step
# that later ones need can abort: dp_expect_eq ... || dp_abort ...
dp_expect_eq() {
	if [ "$2" = "$3" ]; then
		dp_pass "$1"
	elif [ -n "${DP_CALIBRATION:-}" ]; then
		dp_skip "$1" "$DP_CALIBRATION: got '$2', want '$3'"
		return 1
	else
		dp_fail "$1" "got '$2', want '$3'"
		return 1
	fi
}

# dp_write_fails FILE VALUE: the write must be refused (any error).
dp_write_fails() {
	! (echo "$2" > "$1") 2>/dev/null
}

# dp_kconfig OPTION: whether the guest kernel was built with CONFIG_OPTION=y
# (DAMON_SYSFS, KALLSYMS_ALL, PSI, MEMCG or PAGE_IDLE_FLAG: dp_kconfig= on the
# command line, from the kernel's own configuration, tests/qemu/run-guest.sh):
# what a scenario may expect of the kernel, known without asking the
# kernel or the module under test. Aborts the scenario where the
# configuration is unknown: no expectation can be had then.
dp_kconfig() {
	[ "${dp_kconfig:-none}" != none ] ||
		dp_abort "the guest kernel's configuration is unknown (dp_kconfig=): $1?"
	case ",$dp_kconfig," in
	*,"$1",*) ;;
	*) false ;;
	esac
}

# What the kernel under test has, read from its own interfaces and its
# build configuration, never from /proc/kallsyms: that is the table the
# module resolves its symbols from, and an expectation read there agrees
# with the module by construction.
# dp_has_memcg: memory cgroups, enabled: among the controllers of a
# cgroup2 hierarchy mounted for the look (/proc/cgroups lists only the
# controllers cgroup v1 can have: no memory where the kernel is built
# without MEMCG_V1, as Debian's 7.3 is).
dp_has_memcg() {
	local d=/tmp/dp-cgroup2 r
	mkdir -p $d
	mount -t cgroup2 none $d 2>/dev/null || return 1
	grep -qw memory $d/cgroup.controllers
	r=$?
	umount $d
	return $r
}
# dp_has_psi: PSI, on (/proc/pressure), with its data within a module's
# reach (KALLSYMS_ALL: data symbols in kallsyms; Debian's arm64 6.1 has
# PSI, not that, so no module finds psi_system there).
dp_has_psi() { [ -d /proc/pressure ] && dp_kconfig KALLSYMS_ALL; }
# dp_has_page_idle: the page idle flags (Debian's 6.1 and our debug kernel
# lack them), which the probes' set_pgidle and pgidle filters need.
dp_has_page_idle() { dp_kconfig PAGE_IDLE_FLAG; }

dp_kmemleak_on() { [ -w /sys/kernel/debug/kmemleak ]; }

# Forget leak suspects from boot, so only ours are reported at the end.
# The scans are ours alone (scan=off): kmemleak's own thread runs at nice
# 10 and, starved by a scenario's busy loops on the emulated CPUs, once
# sat preempted in its RCU read-side section past the stall timeout (an
# RCU stall report, in no code of ours). The end's scans find the same.
dp_kmemleak_reset() {
	dp_kmemleak_on || return 0
	echo scan=off > /sys/kernel/debug/kmemleak
	echo scan > /sys/kernel/debug/kmemleak
	echo clear > /sys/kernel/debug/kmemleak
}

# Objects younger than 5 s are never reported, hence the wait. A report
# goes to the console too, where the host's splat scan sees it.
dp_kmemleak_check() {
	dp_kmemleak_on || return 0
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	echo scan > /sys/kernel/debug/kmemleak
	# debugfs files have no size: look at what they say.
	leaks=$(cat /sys/kernel/debug/kmemleak)
	if [ -n "$leaks" ]; then
		echo "$leaks" > /dev/console
		dp_fail kmemleak "suspected leaks (see console)"
	else
		dp_pass kmemleak
	fi
}

# dp_expect_write NAME FILE VALUE OUTCOME: the write of VALUE to FILE ends
# in OUTCOME: OK, or the errno's name (EINVAL, EBUSY, ...).
dp_expect_write() {
	dp_expect_eq "$1" "$(dp-write "$2" "$3")" "$4"
}

# dp_refuses NAME FILE ERRNO VALUE...: each write fails with ERRNO and the
# file reads as before.
dp_refuses() {
	local name=$1 file=$2 err=$3 before v i=0
	shift 3
	before=$(cat "$file")
	for v in "$@"; do
		dp_expect_write "$name-refuses-$i" "$file" "$v" "$err"
		i=$((i + 1))
	done
	dp_expect_eq "$name-unchanged" "$(cat "$file")" "$before"
}

# dp_wait_for SECONDS CMD...: poll CMD every 0.1 s until it succeeds or
# SECONDS (of a stock kernel's time) have passed by the clock, however long
# CMD takes (reading smaps of a big process takes seconds on a debug kernel).
dp_wait_for() {
	local u end
	read -r u _ < /proc/uptime
	end=$(awk -v u="$u" -v s="$1" -v k="$DP_SLOW" 'BEGIN { printf "%d", (u + s * k) * 100 }')
	shift
	while ! "$@"; do
		read -r u _ < /proc/uptime
		u=${u%.*}${u#*.}
		[ "$u" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# dp_wait_secs SECONDS CMD...: run CMD every second until it succeeds or
# SECONDS (of a stock kernel's time) have passed by the clock, however long
# CMD takes.
dp_wait_secs() {
	local u end
	read -r u _ < /proc/uptime
	end=$((${u%.*} + $1 * DP_SLOW))
	shift
	while ! "$@"; do
		read -r u _ < /proc/uptime
		[ "${u%.*}" -lt "$end" ] || return 1
		sleep 1
	done
}

DP_DUMP=/sys/kernel/debug/damon_pause/state

# dp_info TEXT: a figure for the log and the notes; not a test.
dp_info() { echo "INFO $*" > "$DP_RESULTS"; }

# damon_stat (Debian's 7.x starts it at boot) runs its kdamond as an
# exclusive context: while it runs, the in-kernel tree's `on` is EBUSY.
# dp_damon_stat_stop stops it for a scenario that starts the in-kernel
# tree's kdamonds (said in an INFO line), dp_damon_stat_restore starts it
# again if it ran.
DP_DAMON_STAT=/sys/module/damon_stat/parameters/enabled
dp_damon_stat_was=N
dp_damon_stat_stop() {
	[ "$(cat $DP_DAMON_STAT 2>/dev/null)" = Y ] || return 0
	dp_damon_stat_was=Y
	echo N > $DP_DAMON_STAT
	dp_info "damon_stat stopped for the in-kernel tree (its kdamond is exclusive)"
}
dp_damon_stat_restore() {
	[ $dp_damon_stat_was = Y ] || return 0
	dp_damon_stat_was=N
	echo Y > $DP_DAMON_STAT || dp_fail damon_stat-restart "damon_stat did not start again"
}

# dp_kdamond_setup KD PID: kdamond directory KD gets one context with one
# vaddr target, PID, and default attributes.
dp_kdamond_setup() {
	dp_set "$1/contexts/nr_contexts" 1
	dp_set "$1/contexts/0/targets/nr_targets" 1
	dp_set "$1/contexts/0/targets/0/pid_target" "$2"
}

# dp_tried SCHEME: "START END NR_ACCESSES AGE" of every tried region of
# the scheme directory SCHEME, by address, from one grep (a cat per file
# forks hundreds of times on the in-kernel tree, and fork is slow on the
# debug kernel).
dp_tried() {
	grep -r '' "$1"/tried_regions/ 2>/dev/null | awk '
	{
		i = index($0, ":"); path = substr($0, 1, i - 1); v = substr($0, i + 1)
		n = split(path, p, "/"); k = p[n - 1]
		if (p[n] == "start") s[k] = v
		else if (p[n] == "end") e[k] = v
		else if (p[n] == "nr_accesses") a[k] = v
		else if (p[n] == "age") g[k] = v
	}
	END { for (k in s) print s[k], e[k], a[k], g[k] }' | sort -n
}

# dp_dump_regions [KDAMOND]: "START END LAST_NR_ACCESSES" of every region
# in the debugfs dump (of kdamond KDAMOND's contexts only, if given): the
# count of the last complete aggregation.
dp_dump_regions() {
	awk -v k="${1:-}" '$1 == "R" && (k == "" || $2 == k) { print $4, $5, $8 }' $DP_DUMP
}

# dp_hot_figures HOT [COLD] < REGIONS: how regions ("START END
# NR_ACCESSES" a line) tell the hot ranges HOT ("START END ..." in one
# word) from the rest, byte-weighted, a region read "hot" where its
# NR_ACCESSES is at least 1. Prints "PRECISION RECALL REGIONS HOT_MEAN
# COLD_MEAN" ("- - 0 - -" for no region): the hot bytes read hot over
# all bytes read hot (only those in the ranges COLD count against it,
# where COLD is given: the workload's own cold area, not its stack and
# libraries), over the hot bytes; the number of regions; the mean
# NR_ACCESSES over HOT and over COLD ("-" without COLD).
dp_hot_figures() {
	awk -v hot="$1" -v cold="${2:-}" '
	function ov(s, e, a, b) {
		s = s > a ? s : a; e = e < b ? e : b
		return e > s ? e - s : 0
	}
	BEGIN {
		n = split(hot, w)
		for (i = 1; i < n; i += 2) {
			hs[++nh] = w[i]; he[nh] = w[i + 1]; htot += w[i + 1] - w[i]
		}
		n = split(cold, w)
		for (i = 1; i < n; i += 2) {
			cs[++nc] = w[i]; ce[nc] = w[i + 1]; ctot += w[i + 1] - w[i]
		}
	}
	{
		r++; h = 0; c = 0
		for (i = 1; i <= nh; i++)
			h += ov($1, $2, hs[i], he[i])
		for (i = 1; i <= nc; i++)
			c += ov($1, $2, cs[i], ce[i])
		hacc += h * $3; cacc += c * $3
		if ($3 < 1)
			next
		tp += h
		fp += nc ? c : $2 - $1 - h
	}
	END {
		if (!r) {
			print "- - 0 - -"
			exit
		}
		printf "%.4f %.4f %d %.2f %s\n", tp + fp ? tp / (tp + fp) : 0,
			htot ? tp / htot : 0, r, htot ? hacc / htot : 0,
			nc ? sprintf("%.2f", ctot ? cacc / ctot : 0) : "-"
	}'
}

# dp_good P R MIN_P MIN_R: whether precision P and recall R are at least
# MIN_P and MIN_R ("-", no figure, is not).
dp_good() {
	awk -v p="$1" -v r="$2" -v mp="$3" -v mr="$4" \
		'BEGIN { exit !(p != "-" && r != "-" && p >= mp && r >= mr) }'
}

# dp_scheme SCHEMES ACTION [NR_MIN NR_MAX]: one scheme in the schemes
# directory SCHEMES, ACTION on every region of a page to 1 TiB whose
# nr_accesses lie in NR_MIN..NR_MAX (0..1000 by default), of any age.
dp_scheme() {
	local s=$1/0
	dp_set $1/nr_schemes 1
	dp_set $s/action $2
	dp_set $s/access_pattern/sz/min 4096
	dp_set $s/access_pattern/sz/max $((1 << 40))
	dp_set $s/access_pattern/nr_accesses/min ${3:-0}
	dp_set $s/access_pattern/nr_accesses/max ${4:-1000}
	dp_set $s/access_pattern/age/min 0
	dp_set $s/access_pattern/age/max 1000000
}

# dp_tree KD PID START END: below kdamond directory KD, every level once,
# valid for `on`: a context, a target PID with the one region START-END,
# a stat scheme on every region of a page or more, with a quota goal
# (target 100) and a filter. Returns the first refusal, without aborting:
# faults and fuzz build it again where a write may be refused, and add
# their own values on top.
dp_tree() {
	local c=$1/contexts/0 s=$1/contexts/0/schemes/0
	echo 1 > $1/contexts/nr_contexts &&
	echo 1 > $c/targets/nr_targets &&
	echo $2 > $c/targets/0/pid_target &&
	echo 1 > $c/targets/0/regions/nr_regions &&
	echo $3 > $c/targets/0/regions/0/start &&
	echo $4 > $c/targets/0/regions/0/end &&
	echo 1 > $c/schemes/nr_schemes &&
	echo stat > $s/action &&
	echo 4096 > $s/access_pattern/sz/min &&
	echo $((1 << 40)) > $s/access_pattern/sz/max &&
	echo 1000 > $s/access_pattern/nr_accesses/max &&
	echo 1000000 > $s/access_pattern/age/max &&
	echo 1 > $s/quotas/goals/nr_goals &&
	echo 100 > $s/quotas/goals/0/target_value &&
	echo 1 > $s/filters/nr_filters
}

# dp_stat_context ROOT PID: one kdamond of the tree at ROOT with one vaddr
# context on PID, sampling 5 ms and aggregating 100 ms, and a stat scheme
# on every region (for the tried regions): the same setup on both trees
# where ours is compared with the in-kernel DAMON.
dp_stat_context() {
	local c=$1/kdamonds/0/contexts/0 f
	dp_set $1/kdamonds/nr_kdamonds 1
	dp_set $1/kdamonds/0/contexts/nr_contexts 1
	dp_set $c/operations vaddr
	dp_set $c/monitoring_attrs/intervals/sample_us 5000
	dp_set $c/monitoring_attrs/intervals/aggr_us 100000
	dp_set $c/targets/nr_targets 1
	dp_set $c/targets/0/pid_target $2
	dp_set $c/schemes/nr_schemes 1
	dp_set $c/schemes/0/action stat
	for f in sz nr_accesses age; do
		dp_set $c/schemes/0/access_pattern/$f/max 18446744073709551615
	done
}

# dp_kdamond_pid KD: sets kpid to the pid of kdamond directory KD's thread,
# which must be a live kdamond (its comm kdamond_p.N), else the scenario
# aborts: a check that the kdamond is gone afterwards means something only
# then. (Not in $(...): that subshell could not end the scenario.)
dp_kdamond_pid() {
	kpid=$(cat "$1/pid")
	[ "$(cat /proc/$kpid/comm 2>/dev/null)" = "kdamond_p.${1##*/}" ] ||
		dp_abort "no kdamond for $1 (pid '$kpid', state $(cat "$1/state"))"
}

# dp_hotcold HOT_MIB COLD_MIB [WORD]: start the workload (with one of its
# words: coldfirst, gap=MIB...) in the background; sets hc_pid and
# hot_start, hot_end, cold_start, cold_end
# once it is ready, and aborts the scenario if it is not (every check on it
# would look at nothing).
dp_hotcold_n=0
dp_hotcold() {
	# A file of its own: a stale one would be read before it is rewritten.
	dp_hotcold_n=$((dp_hotcold_n + 1))
	local out=/tmp/hotcold.$(cut -d' ' -f1 /proc/uptime).$dp_hotcold_n
	rm -f "$out"
	hotcold "$1" "$2" 0 ${3:-} > "$out" &
	hc_pid=$!
	dp_wait_for 60 grep -q '^cold' "$out" ||
		dp_abort "hotcold $* did not start: $(head -c 200 "$out")"
	read -r _ hot_start hot_end < "$out"
	read -r _ cold_start cold_end <<-EOT
	$(grep '^cold' "$out")
	EOT
	kill -0 $hc_pid 2>/dev/null && [ "$hot_end" -gt "$hot_start" ] &&
		[ "$cold_end" -gt "$cold_start" ] ||
		dp_abort "hotcold $* is not running with its areas: $(cat "$out")"
}

# dp_cpu_ticks PID: utime + stime, in clock ticks.
dp_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# dp_schedstat PID: "run_ns wait_ns timeslices".
dp_schedstat() { cat "/proc/$1/schedstat"; }

# dp_smaps PID START END FIELD: FIELD's value in /proc/PID/smaps, one line
# per mapping inside [START, END) (madvise() of flags splits mappings).
dp_smaps() {
	awk -v s=$2 -v e=$3 -v field="$4:" '
	function hex(x,  i, v) {
		v = 0
		for (i = 1; i <= length(x); i++)
			v = v * 16 + index("0123456789abcdef", substr(x, i, 1)) - 1
		return v
	}
	/^[0-9a-f]+-[0-9a-f]+ / { split($1, r, "-"); cur = hex(r[1]) >= s && hex(r[2]) <= e }
	cur && $1 == field { $1 = ""; print }' /proc/$1/smaps
}

# dp_smaps_kb PID START END FIELD: the sum of a kB field over those mappings.
dp_smaps_kb() { dp_smaps "$@" | awk '{ sum += $1 } END { print sum + 0 }'; }

# dp_huge_share_bp: the memory in huge pages over the used memory now, in
# bp, from /proc/meminfo as upstream's hugepage_mem_bp defines it (10000
# where free is not below total).
dp_huge_share_bp() {
	awk '/^MemTotal:/ { t = $2 } /^MemFree:/ { f = $2 }
	/^(Anon|Shmem|File)HugePages:/ { h += $2 }
	END { if (f >= t) print 10000; else printf "%d\n", h * 10000 / (t - f) }' /proc/meminfo
}

# dp_huge_watch TARGET SECS HOLD: dp_huge_share_bp every second for up to
# SECS s (times DP_SLOW), or HOLD s after it first came within 100 bp of
# TARGET (HOLD 0: all SECS); sets hw_max (the highest read), hw_at (s to
# the first read within 100 bp; -1: never), hw_last and hw_reads (every
# read, space-separated).
dp_huge_watch() {
	local t0 now s
	hw_max=0 hw_at=-1 hw_reads=""
	t0=$(cut -d. -f1 /proc/uptime)
	while :; do
		s=$(dp_huge_share_bp)
		now=$(($(cut -d. -f1 /proc/uptime) - t0))
		hw_reads="$hw_reads $s"
		hw_last=$s
		[ "$s" -gt "$hw_max" ] && hw_max=$s
		[ "$hw_at" -lt 0 ] && [ "$s" -ge $(($1 - 100)) ] && hw_at=$now
		[ "$3" -gt 0 ] && [ "$hw_at" -ge 0 ] && [ $((now - hw_at)) -ge "$3" ] && break
		[ "$now" -ge $(($2 * DP_SLOW)) ] && break
		sleep 1
	done
	hw_reads=${hw_reads# }
}

# dp_graded SHAPE [MIB [WORD...]]: start the graded workload
# (tests/workloads/graded.c: chunks of 1 MiB, each with a known share of
# the accesses, in random order) in the background; sets gr_pid and
# gr_out (its output), and writes its chunks, "START END SHARE" in address
# order, to /tmp/graded.chunks; aborts the scenario if it is not running.
dp_graded() {
	gr_out=/tmp/graded.out
	rm -f $gr_out
	graded "$@" > $gr_out &
	gr_pid=$!
	dp_wait_for 120 grep -q '^ready' $gr_out ||
		dp_abort "graded $* did not start: $(head -c 200 $gr_out)"
	grep '^chunk' $gr_out | cut -d' ' -f2- > /tmp/graded.chunks
	kill -0 $gr_pid 2>/dev/null && [ -s /tmp/graded.chunks ] ||
		dp_abort "graded $* is not running with its chunks"
}

# dp_graded_stop: end the graded workload; sets gr_done to its "ACCESSES
# SECONDS". (Not in $(...): only this shell can wait for it.)
dp_graded_stop() {
	kill $gr_pid 2>/dev/null
	wait $gr_pid 2>/dev/null
	gr_done=$(awk '$1 == "done" { print $2, $3 }' $gr_out)
}

# dp_fidelity CHUNKS SNAPSHOT...: how well regions read at several
# moments ("START END NR_ACCESSES" per region, one file per read) rank
# the chunks of CHUNKS ("START END SHARE", contiguous, in address order).
# A chunk's estimate is the byte-weighted nr_accesses of the regions over
# it, averaged over the reads that had any region. Prints
#   "SPEARMAN CAPTURE REGIONS READS MAX_ESTIMATE"
# SPEARMAN: the rank correlation of share and estimate (average ranks for
# ties; 0 where either has no spread); CAPTURE: the shares of the top
# tenth of the chunks by estimate over those of the true top tenth (a tie
# across the cut counts as its average share per place left, the
# expectation of a random pick); REGIONS: regions per read (the whole
# target); READS: reads that had regions. With DP_FIDELITY_CHUNKS=1, a
# line "chunk SHARE ESTIMATE" per chunk before.
dp_fidelity() {
	awk -v verbose=${DP_FIDELITY_CHUNKS:-0} '
	# sortidx(V, IX, N): IX[0..N) the indices of V by V descending (an
	# insertion sort: a few hundred chunks).
	function sortidx(v, ix, n,  i, j, t) {
		for (i = 0; i < n; i++)
			ix[i] = i
		for (i = 1; i < n; i++) {
			t = ix[i]
			for (j = i - 1; j >= 0 && v[ix[j]] < v[t]; j--)
				ix[j + 1] = ix[j]
			ix[j + 1] = t
		}
	}
	# root(X): the square root of X > 0 by Newton iterations (busybox
	# awk in the guests has no math: no sqrt(), no ^).
	function root(x,  g, i) {
		g = x > 1 ? x : 1
		for (i = 0; i < 100; i++)
			g = (g + x / g) / 2
		return g
	}
	# ranks(V, R, N): R the ranks of V (1 the highest), ties averaged.
	function ranks(v, r, n,  ix, i, j, k) {
		sortidx(v, ix, n)
		for (i = 0; i < n; i = j + 1) {
			for (j = i; j + 1 < n && v[ix[j + 1]] == v[ix[i]]; j++)
				;
			for (k = i; k <= j; k++)
				r[ix[k]] = (i + j) / 2 + 1
		}
	}
	FNR == 1 { f++ }
	f == 1 {
		if (!n) { base = $1; sz = $2 - $1 }
		sh[n++] = $3
		next
	}
	FNR == 1 { reads++ }
	{
		nreg++
		s = $1 < base ? base : $1; e = $2 > base + n * sz ? base + n * sz : $2
		for (i = int((s - base) / sz); i < n && base + i * sz < e; i++) {
			cs = base + i * sz; ce = cs + sz
			o = (e < ce ? e : ce) - (s > cs ? s : cs)
			if (o > 0)
				est[i] += o * $3 / sz
		}
	}
	END {
		if (!n) { print "- - - - -"; exit }
		for (i = 0; i < n; i++) {
			est[i] = reads ? est[i] / reads : 0
			if (est[i] > mx) mx = est[i]
			if (verbose) printf "chunk %.9g %.3f\n", sh[i], est[i]
		}
		ranks(sh, rs, n); ranks(est, re, n)
		m = (n + 1) / 2
		for (i = 0; i < n; i++) {
			sxy += (rs[i] - m) * (re[i] - m)
			sxx += (rs[i] - m) * (rs[i] - m)
			syy += (re[i] - m) * (re[i] - m)
		}
		rho = sxx && syy ? sxy / root(sxx * syy) : 0
		k = int(n / 10 + 0.5)
		sortidx(sh, ix, n)
		for (i = 0; i < k; i++)
			ideal += sh[ix[i]]
		sortidx(est, ix, n)
		left = k
		for (i = 0; i < n && left > 0; i = j + 1) {
			g = 0
			for (j = i; j < n && est[ix[j]] == est[ix[i]]; j++)
				g += sh[ix[j]]
			j--
			t = j - i + 1
			got += (t <= left ? g : g * left / t)
			left -= t
		}
		printf "%.4f %.4f %.1f %d %.3f\n", rho, ideal ? got / ideal : 0,
			reads ? nreg / reads : 0, reads, mx
	}' "$@"
}

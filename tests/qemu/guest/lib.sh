# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest scenarios (busybox sh). Results go to the second
# serial port, one line each: "RESULT PASS|FAIL <name>[: why]".

DP_RESULTS=/dev/ttyS1
DP_MODULE=/dp/damon_pause.ko
DP_ADMIN=/sys/kernel/mm/damon_pause/admin
DP_PARAMS=/sys/module/damon_pause/parameters

# How many times slower than a stock kernel this one runs (dp_slow= on the
# kernel command line; the debug kernel's KASAN, lockdep and kmemleak):
# waits for the module to do something are stretched by it.
DP_SLOW=${dp_slow:-1}

dp_pass() { echo "RESULT PASS $1" > "$DP_RESULTS"; }
dp_fail() { echo "RESULT FAIL $1: $2" > "$DP_RESULTS"; }
dp_skip() { echo "RESULT SKIP $1: $2" > "$DP_RESULTS"; }

# dp_check NAME CMD...: pass if CMD succeeds, fail otherwise; returns
# the outcome.
dp_check() {
	local name=$1
	shift
	if "$@"; then
		dp_pass "$name"
	else
		dp_fail "$name" "$*"
		return 1
	fi
}

# dp_check_timed NAME CMD...: dp_check for a figure of speed or of
# monitoring quality that a slowed kernel cannot reach (a rate, a latency,
# what the monitor learnt in a given time): there, a miss is a skip, said
# so, and the stock guests' verdict stands.
dp_check_timed() {
	local name=$1
	shift
	if [ "$DP_SLOW" -gt 1 ] && ! "$@"; then
		dp_skip "$name" "missed on a kernel ${DP_SLOW}x slower: $*"
		return 1
	fi
	dp_check "$name" "$@"
}

# dp_sleep SECONDS: give the module SECONDS of a stock kernel's time.
dp_sleep() { sleep "$(awk -v s="$1" -v k="$DP_SLOW" 'BEGIN { print s * k }')"; }

# dp_expect_eq NAME ACTUAL EXPECTED
dp_expect_eq() {
	if [ "$2" = "$3" ]; then
		dp_pass "$1"
	else
		dp_fail "$1" "got '$2', want '$3'"
	fi
}

# dp_write_fails FILE VALUE: the write must be refused (any error).
dp_write_fails() {
	! (echo "$2" > "$1") 2>/dev/null
}

dp_kmemleak_on() { [ -w /sys/kernel/debug/kmemleak ]; }

# Forget leak suspects from boot, so only ours are reported at the end.
dp_kmemleak_reset() {
	dp_kmemleak_on || return 0
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

# dp_kdamond_setup KD PID: kdamond directory KD gets one context with one
# vaddr target, PID, and default attributes.
dp_kdamond_setup() {
	echo 1 > "$1/contexts/nr_contexts"
	echo 1 > "$1/contexts/0/targets/nr_targets"
	echo "$2" > "$1/contexts/0/targets/0/pid_target"
}

# dp_hotcold HOT_MIB COLD_MIB [coldfirst|hugepage]: start the workload in
# the background; sets hc_pid and hot_start, hot_end, cold_start, cold_end
# once it is ready.
dp_hotcold_n=0
dp_hotcold() {
	# A file of its own: a stale one would be read before it is rewritten.
	dp_hotcold_n=$((dp_hotcold_n + 1))
	local out=/tmp/hotcold.$(cut -d' ' -f1 /proc/uptime).$dp_hotcold_n
	rm -f "$out"
	hotcold "$1" "$2" 0 ${3:-} > "$out" &
	hc_pid=$!
	dp_wait_for 60 grep -q '^cold' "$out" || return 1
	read -r _ hot_start hot_end < "$out"
	read -r _ cold_start cold_end <<-EOT
	$(grep '^cold' "$out")
	EOT
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

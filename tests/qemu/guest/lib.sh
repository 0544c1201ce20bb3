# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest scenarios (busybox sh). Results go to the second
# serial port, one line each: "RESULT PASS|FAIL <name>[: why]".

DP_RESULTS=/dev/ttyS1
DP_MODULE=/dp/damon_pause.ko
DP_ADMIN=/sys/kernel/mm/damon_pause/admin
DP_PARAMS=/sys/module/damon_pause/parameters

dp_pass() { echo "RESULT PASS $1" > "$DP_RESULTS"; }
dp_fail() { echo "RESULT FAIL $1: $2" > "$DP_RESULTS"; }

# dp_check NAME CMD...: pass if CMD succeeds, fail otherwise.
dp_check() {
	local name=$1
	shift
	if "$@"; then
		dp_pass "$name"
	else
		dp_fail "$name" "$*"
	fi
}

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

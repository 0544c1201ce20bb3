#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: the whole test suite. Installs what it needs (Debian 12, as
# root), builds the module against every installed header set, checks style
# and versions, then boots QEMU guests (software emulation; nothing is ever
# loaded into this machine's kernel) of Debian's stock 6.1 and 6.12 kernels
# and of our KUnit and debug kernels, runs the KUnit suites and the
# integration scenarios there, and scans every guest's log for kernel splats.
# Builds and checks the Debian and RPM packages through this machine's DKMS
# (tests/package/check.sh).
#
# Prints one line per test and ends with "N passed, N failed"; exits
# non-zero if anything failed.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/qemu/lib.sh"

export DP_BUILD=${DP_BUILD:-$DP_ROOT/build}
tally=$DP_BUILD/tally
mkdir -p "$DP_BUILD"
: > "$tally"

pass() { echo "PASS $1"; echo pass >> "$tally"; }
fail() { echo "FAIL $1${2:+: $2}"; echo fail >> "$tally"; }
skip() { echo "SKIP $1${2:+: $2}"; echo skip >> "$tally"; }

summary() {
	local p f s
	p=$(grep -c '^pass$' "$tally")
	f=$(grep -c '^fail$' "$tally")
	s=$(grep -c '^skip$' "$tally")
	# Skips are said, and not counted: the last line is the verdict.
	[ "$s" -eq 0 ] || echo "$s skipped (see the SKIP lines)"
	echo "$p passed, $f failed"
	[ "$f" -eq 0 ]
}

# build_module NAME KDIR [y]: build the module in build/mod/NAME (a copy of
# the sources, so builds for different kernels never share objects) with
# W=1; any warning fails. The third argument adds the KUnit suites.
build_module() {
	local name=$1 kdir=$2 kunit=${3:-} dir=$DP_BUILD/mod/$1
	rm -rf "$dir"
	dp_copy_sources "$dir"
	if ! make -C "$dir" KDIR="$kdir" W=1 ${kunit:+DAMON_PAUSE_KUNIT=y} \
		> "$dir/build.log" 2>&1; then
		fail "build:$name" "see $dir/build.log"
		tail -n 20 "$dir/build.log" | sed 's/^/    /'
		return 1
	fi
	if grep -E 'warning:|error:' "$dir/build.log"; then
		fail "build:$name" "warnings with W=1"
		return 1
	fi
	pass "build:$name"
}

# package_check: the Debian and RPM packages, through DKMS, in guests.
. "$DP_ROOT/tests/package/check.sh"

# The integration scenarios every guest runs (tests/integration/NAME.sh).
DP_SCENARIOS=load_unload,sysfs_tree,monitor,pause_stress,schemes,supervisor
# The stock guests also hold Documentation/ against the module (its examples
# use modprobe and tracefs, as on a distribution kernel).
DP_STOCK_SCENARIOS=$DP_SCENARIOS,docs
# issue 11's stress: fuzz, race, and the long intervals last (a hung unload
# there powers the guest off).
DP_STOCK_SCENARIOS+=,fuzz,race,intervals
# The debug kernel (KASAN, lockdep, kmemleak) runs several times slower
# under emulation: it runs every scenario with dp_slow=5, which stretches
# the scenarios' waits for the module, and turns a miss of a figure of
# speed or monitoring quality (dp_check_timed) into a skip; everything
# else is checked as on the stock kernels, and any splat or leak fails.
DP_DEBUG_SCENARIOS=$DP_SCENARIOS
# Fault injection needs the debug kernel; intervals last, as above.
DP_DEBUG_SCENARIOS+=,race,faults,intervals
DP_DEBUG_SLOW=5
# The guests to boot, for a partial run (DP_GUESTS=stock-6.12 make check):
# stock-6.1, stock-6.12, package, kunit, debug; all by default.
DP_GUESTS=${DP_GUESTS:-stock-6.1,stock-6.12,package,kunit,debug}
want_guest() { [[ ,$DP_GUESTS, == *,$1,* ]]; }

SPLATS='BUG:|WARNING:|Oops|general protection fault|Kernel panic|UBSAN:|'
SPLATS+='unreferenced object|suspected memory leaks|blocked for more than|detected stalls|'
SPLATS+='self-detected stall|soft lockup|hard LOCKUP|Call Trace:|'
SPLATS+='kernel BUG at|list_(add|del) corruption|ODEBUG:'

# run_guest NAME KERNEL MODULE SCENARIOS TIMEOUT [CMDLINE]
run_guest() {
	local name=$1 kernel=$2 module=$3 scenarios=$4 limit=$5 extra=${6:-}
	local dir=$DP_BUILD/guests/$name rc line
	mkdir -p "$dir"
	"$DP_ROOT/tests/qemu/initramfs.sh" "$dir/initrd.cpio" "$module" ||
		{ fail "$name:initramfs"; return; }
	dp_log "guest $name: $scenarios"
	"$DP_ROOT/tests/qemu/run-guest.sh" "$kernel" "$dir/initrd.cpio" \
		"$dir" "$limit" "$scenarios" "$extra"
	rc=$?
	# A kernel that dies while booting, before the first scenario (so
	# before our module is ever loaded), is an emulation flake (seen once:
	# an int3 Oops patching sched_clock under TCG): one more boot, said so.
	if ! grep -q '== scenario' "$dir/console.log" 2>/dev/null; then
		echo "INFO $name: the guest died while booting; booting it again"
		sed 's/^/    /' "$dir/console.log" 2>/dev/null | tail -n 5
		mv "$dir/console.log" "$dir/console-boot-failure.log" 2>/dev/null
		"$DP_ROOT/tests/qemu/run-guest.sh" "$kernel" "$dir/initrd.cpio" \
			"$dir" "$limit" "$scenarios" "$extra"
		rc=$?
	fi

	tr -d '\r' < "$dir/results.log" > "$dir/results.txt"
	while read -r line; do
		case "$line" in
		"RESULT PASS "*) pass "$name:${line#RESULT PASS }" ;;
		"RESULT FAIL "*) fail "$name:${line#RESULT FAIL }" ;;
		"RESULT SKIP "*) skip "$name:${line#RESULT SKIP }" ;;
		"INFO "*) echo "INFO $name: ${line#INFO }" ;;
		esac
	done < "$dir/results.txt"
	if grep -q '^KTAP-BEGIN ' "$dir/results.txt"; then
		while read -r line; do
			case "$line" in
			"PASS "*) pass "$name:kunit:${line#PASS }" ;;
			"SKIP "*) skip "$name:kunit:${line#SKIP }" ;;
			*) fail "$name:kunit:${line#FAIL }" ;;
			esac
		done < <(python3 "$DP_ROOT/tests/qemu/ktap.py" < "$dir/results.txt")
	elif [[ ,$scenarios, == *,kunit,* ]]; then
		fail "$name:kunit" "no KTAP report"
	fi

	if grep -q '^DP-DONE' "$dir/results.txt"; then
		pass "$name:completed"
	elif [ $rc -eq 124 ]; then
		fail "$name:completed" "killed after ${limit}s (hung guest)"
	else
		fail "$name:completed" "guest died (qemu status $rc)"
	fi
	if grep -E -q "$SPLATS" "$dir/console.log"; then
		fail "$name:no-splat" "kernel splat in $dir/console.log"
		grep -E -A 3 "$SPLATS" "$dir/console.log" | head -n 24 |
			sed "s/^/    /"
	else
		pass "$name:no-splat"
	fi
}

main() {
	local hdr abi kunit_k debug_k k61 k612 mod61 mod612

	if ! "$DP_ROOT/tests/qemu/deps.sh"; then
		fail deps "could not install the packages"
		summary
		return 1
	fi

	# Kernels first: fetching a stock image may move the headers to a
	# newer ABI, and the modules must be built against those.
	k61=$("$DP_ROOT/tests/qemu/kernel.sh" stock 6.1) && pass kernel:stock-6.1 ||
		fail kernel:stock-6.1
	k612=$("$DP_ROOT/tests/qemu/kernel.sh" stock 6.12) &&
		pass kernel:stock-6.12 || fail kernel:stock-6.12
	kunit_k=$("$DP_ROOT/tests/qemu/kernel.sh" custom kunit) &&
		pass kernel:kunit || fail kernel:kunit
	debug_k=$("$DP_ROOT/tests/qemu/kernel.sh" custom debug) &&
		pass kernel:debug || fail kernel:debug

	for hdr in $(dp_all_headers); do
		build_module "${hdr#/usr/src/linux-headers-}" "$hdr"
	done
	if bash "$DP_ROOT/tests/style.sh" > "$DP_BUILD/style.log" 2>&1; then
		pass style
	else
		fail style "checkpatch: see $DP_BUILD/style.log"
		sed 's/^/    /' "$DP_BUILD/style.log" | head -n 40
	fi
	bash "$DP_ROOT/tests/version.sh" && pass version || fail version
	dp_build_workloads && pass workloads || fail workloads

	hdr=$(dp_headers_of_series 6.1)
	mod61=$DP_BUILD/mod/${hdr#/usr/src/linux-headers-}/damon_pause.ko
	hdr=$(dp_headers_of_series 6.12)
	mod612=$DP_BUILD/mod/${hdr#/usr/src/linux-headers-}/damon_pause.ko

	if want_guest stock-6.1 && [ -n "$k61" ] && [ -f "$mod61" ]; then
		run_guest stock-6.1 "$k61/vmlinuz" "$mod61" "$DP_STOCK_SCENARIOS" 600
	fi
	if want_guest stock-6.12 && [ -n "$k612" ] && [ -f "$mod612" ]; then
		run_guest stock-6.12 "$k612/vmlinuz" "$mod612" "$DP_STOCK_SCENARIOS" \
			600
	fi
	if want_guest package; then
		package_check "$k61" "$k612"
	fi
	if want_guest kunit && [ -n "$kunit_k" ] &&
		build_module kunit "$kunit_k" y; then
		run_guest kunit "$kunit_k/arch/x86/boot/bzImage" \
			"$DP_BUILD/mod/kunit/damon_pause.ko" "kunit,$DP_SCENARIOS" 600
	fi
	if want_guest debug && [ -n "$debug_k" ] &&
		build_module debug "$debug_k" y; then
		run_guest debug "$debug_k/arch/x86/boot/bzImage" \
			"$DP_BUILD/mod/debug/damon_pause.ko" "kunit,$DP_DEBUG_SCENARIOS" 3000 \
			"panic_on_warn=1 dp_slow=$DP_DEBUG_SLOW"
	fi
	summary
}

# Sourcing this file (for one guest at a time) defines the helpers only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: the whole test suite. Installs what it needs (Debian 12, as
# root), builds the module against every installed header set, checks style
# and versions, then boots QEMU guests (software emulation; nothing is ever
# loaded into this machine's kernel) of Debian's stock 6.1 and 6.12 kernels
# and of our debug kernel (KUnit and the debug options in one), runs the
# KUnit suites and the integration scenarios there, and scans every guest's
# log for kernel splats. Builds and checks the Debian and RPM packages
# through this machine's DKMS (tests/package/check.sh). DP_GUESTS,
# DP_SCENARIOS and DP_KUNIT run a part of it (below, and
# Documentation/testing.md).
#
# Prints one line per test, "PASS|FAIL|SKIP guest:scenario:check", and ends
# with the skipped checks and "N passed, N failed"; exits non-zero if
# anything failed.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/qemu/lib.sh"

export DP_BUILD=${DP_BUILD:-$DP_ROOT/build}
tally=$DP_BUILD/tally
mkdir -p "$DP_BUILD"
: > "$tally"

# Every result is one line, "PASS|FAIL|SKIP guest:scenario:check", and
# every name is unique in a run: the tally keeps "verdict name" lines, and
# the summary fails a name seen twice.
pass() { echo "PASS $1"; echo "pass $1" >> "$tally"; }
fail() { echo "FAIL $1${2:+: $2}"; echo "fail $1" >> "$tally"; }
skip() { echo "SKIP $1${2:+: $2}"; echo "skip $1" >> "$tally"; }

# The wall time of a part of the run, said as "INFO time PART: N s".
declare -A dp_time_start
time_start() { dp_time_start[$1]=$SECONDS; }
time_end() { echo "INFO time $1: $((SECONDS - ${dp_time_start[$1]})) s"; }

# plan_guests NAME SCENARIOS: the guests run_guests NAME will boot for
# SCENARIOS (NAME, NAME-numa or both), each of which must end with a
# NAME:guest:completed result; summary fails a planned guest that never
# reported one (its kernel or module missing, a job that died), so that
# no guest and its scenarios can vanish from a run that then reads green.
declare -a dp_planned=()
plan_guests() {
	local s one="" two=""
	for s in ${2//,/ }; do
		if [[ ,$DP_NUMA_SCENARIOS, == *,$s,* ]]; then
			two=1
		else
			one=1
		fi
	done
	[ -z "$one" ] || dp_planned+=("$1")
	[ -z "$two" ] || dp_planned+=("$1-numa")
}

# planned_guests_ran: a FAIL NAME:guest:completed for each planned guest
# without that result.
planned_guests_ran() {
	local g
	for g in "${dp_planned[@]}"; do
		grep -q "^[a-z]* $g:guest:completed\$" "$tally" ||
			fail "$g:guest:completed" "planned, never ran"
	done
}

summary() {
	local p f s dups
	planned_guests_ran
	skips_expected
	dups=$(sed 's/^[a-z]* //' "$tally" | sort | uniq -d)
	if [ -n "$dups" ]; then
		fail host:check:unique-names "$(echo "$dups" | wc -l) names reported more than once"
		sed 's/^/    /' <<< "$dups" | head -n 20
	else
		pass host:check:unique-names
	fi
	[ -z "${dp_time_start[total]:-}" ] || time_end total
	p=$(grep -c '^pass ' "$tally")
	f=$(grep -c '^fail ' "$tally")
	s=$(grep -c '^skip ' "$tally")
	# Skips and failures are listed again, so that a log's tail (all CI
	# shows) names them; the last line is the verdict.
	if [ "$s" -gt 0 ]; then
		echo "$s skipped:"
		sed -n 's/^skip /    /p' "$tally"
	fi
	if [ "$f" -gt 0 ]; then
		echo "$f failed:"
		sed -n 's/^fail /    /p' "$tally"
	fi
	echo "$p passed, $f failed"
	[ "$f" -eq 0 ]
}

# build_module NAME KDIR [y] [SUITE]: build the module in build/mod/NAME (a
# copy of the sources, so builds for different kernels never share objects)
# with W=1; any warning fails. The third argument adds the KUnit suites.
# With SUITE, KDIR is a header set inside that suite's chroot
# (tests/qemu/chroot.sh), and the build runs there, with the suite's
# compiler. A build of the same sources, kernel tree, options and compiler
# that passed is kept (like the kernels, cached by what goes into it).
build_module() {
	local name=$1 kdir=$2 kunit=${3:-} suite=${4:-} dir=$DP_BUILD/mod/$1
	local key root="" cross=() cc=gcc
	# An arm64 kernel's headers (kernel.sh arm64): Debian 12's cross
	# compiler, the gcc 12 that built that kernel.
	case "$name" in
	*-arm64) cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-) cc=aarch64-linux-gnu-gcc ;;
	esac
	if [ -n "$suite" ] && ! root=$("$DP_ROOT/tests/qemu/chroot.sh" dir "$suite"); then
		fail "host:build:$name" "no $suite chroot (tests/qemu/chroot.sh)"
		return 1
	fi
	key=$( (cd "$DP_ROOT" && find Kbuild Makefile VERSION src include \
		tests/kunit -type f -print0 | sort -z | xargs -0 sha256sum
		echo "$kdir $kunit $root"
		if [ -n "$root" ]; then
			cat "$root/.dp-packages"
		else
			$cc --version | head -n 1
		fi
		cat "$root$kdir/Module.symvers" 2>/dev/null | sha256sum) |
		sha256sum | cut -c1-16)
	if [ -f "$dir/damon_pause.ko" ] &&
		[ "$(cat "$dir/.dp-key" 2>/dev/null)" = "$key" ]; then
		pass "host:build:$name"
		dp_built[$name]=1
		return 0
	fi
	rm -rf "$dir"
	dp_copy_sources "$dir"
	if [ -n "$suite" ]; then
		"$DP_ROOT/tests/qemu/chroot.sh" build "$suite" \
			"${kdir#/usr/src/linux-headers-}" "$dir" "$dir/build.log" \
			W=1 ${kunit:+DAMON_PAUSE_KUNIT=y}
	else
		make -j"$(nproc)" -C "$dir" KDIR="$kdir" W=1 "${cross[@]}" \
			${kunit:+DAMON_PAUSE_KUNIT=y} > "$dir/build.log" 2>&1
	fi
	# shellcheck disable=SC2181
	if [ $? -ne 0 ] || [ ! -f "$dir/damon_pause.ko" ]; then
		fail "host:build:$name" "see $dir/build.log"
		tail -n 20 "$dir/build.log" | sed 's/^/    /'
		return 1
	fi
	if grep -E 'warning:|error:' "$dir/build.log"; then
		fail "host:build:$name" "warnings with W=1"
		return 1
	fi
	echo "$key" > "$dir/.dp-key"
	pass "host:build:$name"
	dp_built[$name]=1
}
declare -A dp_built

# package_check: the Debian and RPM packages, through DKMS, in guests.
. "$DP_ROOT/tests/package/check.sh"
# skips_expected: every SKIP of the run is an expected one.  A list that
# does not parse would silently drop the check: stop.
. "$DP_ROOT/tests/expected-skips.sh" && declare -F skips_expected > /dev/null ||
	dp_die "tests/expected-skips.sh did not load"

# The guests:
#   stock-6.1, stock-6.12  Debian's kernels: the figures of speed and of
#                          monitoring quality are judged here;
#   stock-7.3              trixie-backports' 7.3 (its module built in the
#                          trixie chroot, tests/qemu/chroot.sh), whose own
#                          DAMON has a pause and runs damon_stat from boot;
#   arm64-6.1, arm64-6.12  Debian 12's arm64 kernels (kernel.sh arm64),
#                          emulated: the module cross-built with Debian's
#                          aarch64 gcc 12, where the accessed-bit helpers
#                          are the headers' inlines, not resolved symbols
#                          (6.1 has no KALLSYMS_ALL either);
#   debug                  our 6.12 build with KUnit, KASAN, lockdep,
#                          kmemleak and fault injection (below).
# The other kernels built (Debian 13's 6.12, the 7.2s) are built as one
# of these is (host:build:a-guest-per-compat-set says so, or fails).
#
# The scenarios (tests/integration/NAME.sh) say where they run, in their
# header: "# guests: GUEST...", "# order: N" (they run in that order in
# each guest), "# quick: GUEST" (make check-quick runs them there) and
# "# Where:" why. What the kernel version does not change runs once per
# version; what only a debug kernel can show runs there alone. A new
# scenario is its file. dp_table KEY: "NAME GUEST..." lines of the
# scenarios, in their order, from the KEY lines of their headers.
dp_table() {
	local f
	for f in "$DP_ROOT"/tests/integration/*.sh; do
		awk -v key="# $1:" -v name="$(basename "$f" .sh)" '
		index($0, "# order:") == 1 { order = $3 }
		index($0, key) == 1 { guests = substr($0, length(key) + 2) }
		!/^#/ { exit }
		END { if (guests != "") print order + 0, name, guests }' "$f"
	done | sort -n -k1,1 | cut -d' ' -f2-
}
DP_SCENARIO_TABLE=$(dp_table guests)
# The debug kernel (KASAN, lockdep, kmemleak) runs several times slower
# under emulation: it runs its scenarios with dp_slow=5, which stretches
# the scenarios' waits for the module, and turns a miss of a figure of
# speed or monitoring quality (dp_check_timed) into a skip; everything
# else is checked as on the stock kernels, and any splat or leak fails.
DP_DEBUG_SLOW=5
# There the stress runs 200 pause/resume cycles, not 1000: each takes five
# times as long (300 took 43 to 78 s there; lockdep learns each lock
# order the first time it is taken).
DP_DEBUG_STRESS_CYCLES=200
# The fault injection's paths there (faults.sh names them): a full walk
# of every path takes over 40 minutes; by default the load, the state
# commands, one resize under a running kdamond (of the goals: every level
# resizes through the same list code, and a goal's directory has the
# fewest injection points of the lowest levels: 46, against 58 for a
# target's and 78 for a filter's, 83 s against 121 and 135-244 s), the
# kdamond's collapse and the supervisor's commit. All: DP_FI_PATHS=all.
DP_FI_PATHS=${DP_FI_PATHS:-load,on,commit,nr_goals,collapse,commit_inputs}

# A partial run names what it wants (Documentation/testing.md):
#   DP_GUESTS=stock-6.1,stock-6.12,stock-7.3,arm64-6.1,arm64-6.12,package,debug
#                                  (kunit: the debug guest)
#   DP_SCENARIOS=monitor,schemes   only those scenarios (kunit is one; so is
#                                  package, the package guests)
#   DP_KUNIT='damon_pause_core*'   a KUnit filter (kunit.filter_glob: suite
#                                  glob, or suite.case); runs the kunit
#                                  scenario, alone if DP_SCENARIOS is unset
#   DP_STATIC=1                    the header matrix, style and version
#                                  checks too (a full run always has them)
#   DP_PARALLEL=1                  the debug guest alongside the others,
#                                  not after them (its results are printed
#                                  last either way): the default with 4
#                                  CPUs or more. With 2, the guests only
#                                  slow each other down (measured: the
#                                  stock scenarios twice as long, the debug
#                                  kernel's pause_stress three times) and
#                                  the stock guests' timed figures suffer.
# Named guests and named scenarios together run as asked, also where the
# table above does not put them (DP_GUESTS=debug DP_SCENARIOS=docs).
DP_ALL_GUESTS=stock-6.1,stock-6.12,stock-7.3,arm64-6.1,arm64-6.12,package,debug
DP_PARALLEL=${DP_PARALLEL:-$([ "$(nproc)" -ge 4 ] && echo 1 || echo 0)}

# The scenarios that need two NUMA nodes (paddr migrates between them) run
# in a second boot of their guest's kernel and module, GUEST-numa, with two
# nodes (tests/qemu/run-guest.sh: 1 GiB, a socket and one vCPU each); the
# others keep the one-node guest they were calibrated on, to the byte of
# its QEMU command line. Tried first: every guest with two nodes, so that
# a scenario sees the same machine alone and in a full run; there
# schemes' vaddr stat check missed its recall (0.73 to 0.86 in two runs
# of stock-6.12), but so did a one-node run (0.81) on the same host,
# loaded by other guests: the nodes were not shown to cost anything, nor
# was any other scenario calibrated on them. So the machine is a
# scenario's own, by this list (a boot more: 10 s on a stock kernel; the
# debug kernel, which has no NUMA, runs them in its one boot).
DP_NUMA_SCENARIOS=paddr

# `make check-quick` (DP_QUICK=1): the inner loop, within ten minutes on a
# warm machine: the static checks, KUnit in the debug guest, and in
# stock-6.12 one scenario of each concern (the load and the module
# parameters, the sysfs tree, the monitor and pause, paddr, schemes,
# upstream's names and events, trained state): the scenarios' "# quick:"
# lines; this table stands for the one above.
DP_QUICK_TABLE=$(dp_table quick)
if [ "${DP_QUICK:-0}" = 1 ]; then
	DP_SCENARIO_TABLE=$DP_QUICK_TABLE
	DP_GUESTS=stock-6.12,debug
	DP_SCENARIOS=
	DP_STATIC=1
fi
dp_partial=0
[ -n "${DP_GUESTS:-}${DP_SCENARIOS:-}${DP_KUNIT:-}" ] && dp_partial=1
dp_guests_named=${DP_GUESTS:+1}
DP_GUESTS=${DP_GUESTS:-$DP_ALL_GUESTS}
DP_GUESTS=$(sed 's/\bkunit\b/debug/g' <<< "$DP_GUESTS")
if [ -n "${DP_KUNIT:-}" ]; then
	DP_SCENARIOS=${DP_SCENARIOS:-kunit}
	[[ ,$DP_SCENARIOS, == *,kunit,* ]] || DP_SCENARIOS=kunit,$DP_SCENARIOS
fi
DP_SCENARIOS=${DP_SCENARIOS:-}
want_guest() { [[ ,$DP_GUESTS, == *,$1,* ]]; }
want_scenario() { [ -z "$DP_SCENARIOS" ] || [[ ,$DP_SCENARIOS, == *,$1,* ]]; }

# scenarios_of GUEST: its comma-separated scenarios in this run; empty for
# none.
scenarios_of() {
	if [ -n "$dp_guests_named" ] && [ -n "$DP_SCENARIOS" ]; then
		echo "$DP_SCENARIOS"
		return
	fi
	awk -v g="$1" -v want=",$DP_SCENARIOS," '
	NF > 1 && (want == ",," || index(want, "," $1 ",")) {
		for (i = 2; i <= NF; i++)
			if ($i == g)
				list = list (list == "" ? "" : ",") $1
	}
	END { print list }' <<< "$DP_SCENARIO_TABLE"
}

# Names of the scenarios asked for that no guest of this run has.
check_selection() {
	local sc known
	known=$(awk 'NF > 1 { print $1 }' <<< "$DP_SCENARIO_TABLE")
	for sc in ${DP_SCENARIOS//,/ }; do
		[ "$sc" = package ] && continue
		if ! grep -qx "$sc" <<< "$known" &&
			[ ! -f "$DP_ROOT/tests/integration/$sc.sh" ]; then
			fail "host:selection:$sc" "no tests/integration/$sc.sh"
		fi
	done
}

SPLATS='BUG:|WARNING:|Oops|general protection fault|Kernel panic|UBSAN:|'
SPLATS+='unreferenced object|suspected memory leaks|blocked for more than|detected stalls|'
SPLATS+='self-detected stall|soft lockup|hard LOCKUP|Call Trace:|'
SPLATS+='kernel BUG at|list_(add|del) corruption|ODEBUG:|'
# arm64's own words for an oops.
SPLATS+='Unable to handle kernel|Internal error:|Call trace:'

# guest_result PREFIX "PASS|FAIL|SKIP name[: why]": a guest's result, its
# name after PREFIX (the reason, after the first ": ", is not part of it).
guest_result() {
	local verdict=${2%% *} rest=${2#* } why=""
	case "$rest" in
	*": "*) why=${rest#*: } rest=${rest%%: *} ;;
	esac
	case "$verdict" in
	PASS) pass "$1$rest" ;;
	SKIP) skip "$1$rest" "$why" ;;
	*) fail "$1$rest" "$why" ;;
	esac
}

# run_guest NAME KERNEL MODULE SCENARIOS TIMEOUT [CMDLINE]
run_guest() {
	local name=$1 kernel=$2 module=$3 scenarios=$4 limit=$5 extra=${6:-}
	local dir=$DP_BUILD/guests/$name rc line
	time_start "$name"
	mkdir -p "$dir"
	# Nothing of an earlier run may pass for this one's: a guest that does
	# not start must leave no results and no log behind.
	rm -f "$dir/results.log" "$dir/results.txt" "$dir/console.log"
	# The RAM disk driver kernel.sh keeps beside a stock kernel: swap for
	# the paddr scenario's pageout there.
	DP_GUEST_KMODS=$(ls "$(dirname "$kernel")/brd.ko" 2>/dev/null) \
	"$DP_ROOT/tests/qemu/initramfs.sh" "$dir/initrd.cpio" "$module" \
		"$scenarios" ||
		{ fail "$name:guest:initramfs"; return; }
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

	tr -d '\r' < "$dir/results.log" > "$dir/results.txt" 2>/dev/null ||
		: > "$dir/results.txt"
	while read -r line; do
		case "$line" in
		"RESULT "*) guest_result "$name:" "${line#RESULT }" ;;
		"INFO "*) echo "INFO $name: ${line#INFO }" ;;
		esac
	done < "$dir/results.txt"
	if grep -q '^KTAP-BEGIN ' "$dir/results.txt"; then
		while read -r line; do
			guest_result "$name:kunit:" "$line"
		done < <(python3 "$DP_ROOT/tests/qemu/ktap.py" < "$dir/results.txt")
	elif [[ ,$scenarios, == *,kunit,* ]]; then
		fail "$name:kunit:report" "no KTAP report${DP_KUNIT:+ (does '$DP_KUNIT' match a suite?)}"
	fi

	if grep -q '^DP-DONE' "$dir/results.txt"; then
		pass "$name:guest:completed"
	elif [ $rc -eq 124 ]; then
		fail "$name:guest:completed" "killed after ${limit}s (hung guest)"
	else
		fail "$name:guest:completed" "guest died (qemu status $rc)"
	fi
	if [ ! -s "$dir/console.log" ]; then
		fail "$name:guest:no-splat" "no console log: nothing to scan"
	elif grep -E -q "$SPLATS" "$dir/console.log"; then
		fail "$name:guest:no-splat" "kernel splat in $dir/console.log"
		grep -E -A 3 "$SPLATS" "$dir/console.log" | head -n 24 |
			sed "s/^/    /"
	else
		pass "$name:guest:no-splat"
	fi
	time_end "$name"
}

# selftests_bundle SCENARIOS SERIES: when SCENARIOS (a guest's, comma
# separated) has the selftests scenario, the bundle of upstream's DAMON
# selftests it runs (tests/qemu/selftests.sh: those of linux-source of the
# guest's kernel SERIES, 6.12 or 7.3, cached), given to initramfs.sh as
# $DP_SELFTESTS; else none. A guest without it still boots: its scenario
# then fails its setup, said so.
selftests_bundle() {
	DP_SELFTESTS=""
	export DP_SELFTESTS
	[[ ,$1, == *,selftests,* ]] || return 0
	if DP_SELFTESTS=$("$DP_ROOT/tests/qemu/selftests.sh" "$2"); then
		pass "host:build:selftests-$2"
	else
		fail "host:build:selftests-$2" "tests/qemu/selftests.sh $2"
		DP_SELFTESTS=""
	fi
}

# damo_bundle SCENARIOS: when SCENARIOS (a guest's, comma separated) has
# the damo scenario, the bundle it runs (tests/qemu/damo.sh: Debian's
# damo of two suites, python3, perf, cached), given to initramfs.sh as
# $DP_DAMO; else none. Without it, the scenario fails its setup, said so.
damo_bundle() {
	DP_DAMO=""
	export DP_DAMO
	[[ ,$1, == *,damo,* ]] || return 0
	# Made (and reported) once a run, for every guest that runs it.
	if [ -z "${dp_damo_tried:-}" ]; then
		dp_damo_tried=1
		if dp_damo_dir=$("$DP_ROOT/tests/qemu/damo.sh"); then
			pass "host:build:damo"
		else
			fail "host:build:damo" "tests/qemu/damo.sh"
			dp_damo_dir=""
		fi
	fi
	DP_DAMO=$dp_damo_dir
}

# guest_limit SECONDS SCENARIOS [SLOW]: a guest's time limit, SECONDS,
# plus, where the selftests scenario runs, DP_SELFTESTS_S times SLOW: it
# runs upstream's tests on ours and, where they fail, on the in-kernel
# DAMON: 70 s in a full run of stock-6.12
# (whose other scenarios take ~540 s of its 600).
DP_SELFTESTS_S=360
# The damo scenario: two damo versions' sessions on ours (and one on the
# kernel's own DAMON), each with two recordings.
DP_DAMO_S=420
# DP_SELFTESTS_CALIBRATE=all: the selftests scenario runs every test on
# the in-kernel DAMON too, not only those that fail on ours;
# DP_PADDR_CALIBRATE=all: paddr runs its battery on the in-kernel DAMON
# too, not only when a check failed on ours.
dp_guest_env=${DP_SELFTESTS_CALIBRATE:+DP_SELFTESTS_CALIBRATE=$DP_SELFTESTS_CALIBRATE}
dp_guest_env+=${DP_PADDR_CALIBRATE:+ DP_PADDR_CALIBRATE=$DP_PADDR_CALIBRATE}
# DP_GRADED_FAKE=flat: graded reads ours' regions as all equally hot, a
# test of that scenario's checks (they must fail).
dp_guest_env+=${DP_GRADED_FAKE:+ DP_GRADED_FAKE=$DP_GRADED_FAKE}
guest_limit() {
	local extra=0
	[[ ,$2, == *,selftests,* ]] && extra=$((DP_SELFTESTS_S * ${3:-1}))
	[[ ,$2, == *,damo,* ]] && extra=$((extra + DP_DAMO_S * ${3:-1}))
	echo $(($1 + extra))
}

# run_guests NAME KERNEL MODULE SCENARIOS LIMIT SLOW [CMDLINE]: run_guest
# of SCENARIOS less DP_NUMA_SCENARIOS (time limit: guest_limit LIMIT),
# then, where SCENARIOS has any of those, run_guest NAME-numa of them on
# two nodes (time limit: DP_NUMA_S times SLOW; paddr takes about two
# minutes on stock-6.12 once both trees have paddr, and the waits of a
# paddr that does nothing add three minutes).
DP_NUMA_S=480
run_guests() {
	local name=$1 kernel=$2 module=$3 sc=$4 limit=$5 slow=$6 extra=${7:-}
	local one="" two="" s
	for s in ${sc//,/ }; do
		if [[ ,$DP_NUMA_SCENARIOS, == *,$s,* ]]; then
			two=${two:+$two,}$s
		else
			one=${one:+$one,}$s
		fi
	done
	[ -z "$one" ] || run_guest "$name" "$kernel" "$module" "$one" \
		"$(guest_limit "$limit" "$one" "$slow")" "$extra"
	[ -z "$two" ] || DP_GUEST_NODES=2 run_guest "$name-numa" "$kernel" \
		"$module" "$two" $((DP_NUMA_S * slow)) "$extra"
}

# static_checks: the module against every installed header set and every
# chroot kernel (Debian 13's 6.12, trixie-backports' and unstable's 7.x,
# each built with its suite's compiler; tests/qemu/chroot.sh) with W=1,
# checkpatch, the versions. A full run, or DP_STATIC=1.
static_checks() {
	local hdr kernels suite abi k
	time_start static
	for hdr in $(dp_all_headers); do
		build_module "${hdr#/usr/src/linux-headers-}" "$hdr"
	done
	# The newer suites' kernels, each in its suite's chroot, whatever this
	# machine has installed: the newest of each series in the archive.
	if kernels=$("$DP_ROOT/tests/qemu/chroot.sh" kernels); then
		while read -r suite abi <&3; do
			build_module "$abi" "/usr/src/linux-headers-$abi" "" "$suite"
		done 3<<< "$kernels"
	else
		fail host:build:chroot-kernels "tests/qemu/chroot.sh kernels"
	fi
	# Debian 12's arm64 kernels, cross-built (kernel.sh arm64 fetched them).
	for k in "${karm[@]}"; do
		build_module "$(basename "$k")" \
			"$k/root/usr/src/linux-headers-$(basename "$k")"
	done
	compat_coverage
	if bash "$DP_ROOT/tests/style.sh" > "$DP_BUILD/style.log" 2>&1; then
		pass host:static:style
	else
		fail host:static:style "checkpatch: see $DP_BUILD/style.log"
		sed 's/^/    /' "$DP_BUILD/style.log" | head -n 40
	fi
	bash "$DP_ROOT/tests/version.sh" && pass host:static:version ||
		fail host:static:version
	time_end static
}

# compat_coverage: what each build took from its kernel (modinfo's
# "compat": the probes that matched and the configuration options the code
# branches on; src/compat.h), said per kernel; and a check that a full
# run's stock guests boot a kernel of every distinct set, so that a kernel
# left to "build only" differs in nothing the build sees from one that
# runs the scenarios.
compat_coverage() {
	local name s g abi covered="" missing=""
	for g in ${DP_ALL_GUESTS//,/ }; do
		case "$g" in
		arm64-*) abi=$(basename "${karm[${g#arm64-}]:-none}") ;;
		stock-6.1 | stock-6.12)
			abi=$(dp_headers_of_series "${g#stock-}")
			abi=${abi#/usr/src/linux-headers-} ;;
		stock-*) read -r _ abi < <(dp_chroot_kernel_of "${g#stock-}") ;;
		*) continue ;;
		esac
		s=$(modinfo -F compat "$DP_BUILD/mod/$abi/damon_pause.ko" 2>/dev/null) &&
			covered+="$s"$'\n'
	done
	for name in $(printf '%s\n' "${!dp_built[@]}" | sort -V); do
		[ "$name" = debug ] && continue
		s=$(modinfo -F compat "$DP_BUILD/mod/$name/damon_pause.ko")
		echo "INFO host:build:$name: compat $s"
		grep -qxF -- "$s" <<< "$covered" || missing+=" $name"
	done
	if [ -z "$missing" ]; then
		pass host:build:a-guest-per-compat-set
	else
		fail host:build:a-guest-per-compat-set "no guest boots a kernel built as:$missing"
	fi
}

# stock_module SERIES: sets mod to the module for that series' headers,
# built here unless the header matrix built it already.
stock_module() {
	local hdr name suite abi
	case "$1" in
	6.1 | 6.12) ;;
	*)
		# A newer suite's kernel: built in its chroot.
		read -r suite abi < <(dp_chroot_kernel_of "$1")
		[ -n "$abi" ] || return 1
		mod=$DP_BUILD/mod/$abi/damon_pause.ko
		[ -n "${dp_built[$abi]:-}" ] ||
			build_module "$abi" "/usr/src/linux-headers-$abi" "" "$suite"
		return
		;;
	esac
	hdr=$(dp_headers_of_series "$1")
	[ -n "$hdr" ] || return 1
	name=${hdr#/usr/src/linux-headers-}
	mod=$DP_BUILD/mod/$name/damon_pause.ko
	[ -n "${dp_built[$name]:-}" ] || build_module "$name" "$hdr"
}

main() {
	local k61="" k612="" k73="" debug_k="" debug_job="" sc mod k kdir a arm_workloads=""
	local -A karm=()

	time_start total
	if ! "$DP_ROOT/tests/qemu/deps.sh"; then
		fail host:setup:deps "could not install the packages"
		summary
		return 1
	fi
	check_selection

	# Kernels first: fetching a stock image may move the headers to a
	# newer ABI, and the modules must be built against those. Only those
	# a guest of this run boots: a changed debug config costs a kernel
	# build.
	if want_guest stock-6.1 || want_guest package; then
		k61=$("$DP_ROOT/tests/qemu/kernel.sh" stock 6.1) &&
			pass host:kernel:stock-6.1 || fail host:kernel:stock-6.1
	fi
	if want_guest stock-6.12 || want_guest package; then
		k612=$("$DP_ROOT/tests/qemu/kernel.sh" stock 6.12) &&
			pass host:kernel:stock-6.12 || fail host:kernel:stock-6.12
	fi
	if want_guest stock-7.3 || want_guest package; then
		k73=$("$DP_ROOT/tests/qemu/kernel.sh" stock 7.3) &&
			pass host:kernel:stock-7.3 || fail host:kernel:stock-7.3
	fi
	# Debian 12's arm64 kernels (image, headers, busybox): their guests,
	# and the cross builds of a full run's static checks.
	for a in 6.1 6.12; do
		want_guest arm64-$a || [ $dp_partial = 0 ] ||
			[ "${DP_STATIC:-0}" = 1 ] || continue
		karm[$a]=$("$DP_ROOT/tests/qemu/kernel.sh" arm64 $a) &&
			pass host:kernel:arm64-$a || { fail host:kernel:arm64-$a; unset "karm[$a]"; }
	done
	if want_guest debug && [ -n "$(scenarios_of debug)" ]; then
		debug_k=$("$DP_ROOT/tests/qemu/kernel.sh" custom debug) &&
			pass host:kernel:debug || fail host:kernel:debug
	fi

	want_guest debug && [ -n "$(scenarios_of debug)" ] &&
		plan_guests debug "$(scenarios_of debug)"
	dp_build_workloads && pass host:build:workloads ||
		fail host:build:workloads
	# The debug guest, the longest part, runs alongside the rest: its
	# results wait in a file and are printed after the others'.
	if [ "$DP_PARALLEL" = 1 ]; then
		debug_guest "$debug_k" > "$DP_BUILD/debug-guest.out" 2>&1 &
		debug_job=$!
		trap 'kill_tree $debug_job; exit 130' INT TERM
	fi
	if [ $dp_partial = 0 ] || [ "${DP_STATIC:-0}" = 1 ]; then
		static_checks
	fi

	for k in 6.1 6.12 7.3; do
		want_guest stock-$k || continue
		sc=$(scenarios_of stock-$k)
		[ -n "$sc" ] || continue
		case $k in
		6.1) kdir=$k61 ;;
		6.12) kdir=$k612 ;;
		7.3) kdir=$k73 ;;
		esac
		plan_guests stock-$k "$sc"
		if [ -z "$kdir" ] || ! stock_module $k; then
			fail "host:build:stock-$k" "no kernel or module for the stock-$k guest"
			continue
		fi
		selftests_bundle "$sc" $k
		damo_bundle "$sc"
		run_guests stock-$k "$kdir/vmlinuz" "$mod" "$sc" 600 1 \
			"$dp_guest_env"
	done
	# The arm64 guests: emulated arm64 (qemu's virt machine), the module
	# cross-built, the workloads with the cross compiler, Debian's arm64
	# busybox (tests/qemu/run-guest.sh, initramfs.sh).
	for a in 6.1 6.12; do
		sc=$(scenarios_of arm64-$a)
		want_guest arm64-$a && [ -n "$sc" ] || continue
		plan_guests arm64-$a "$sc"
		[ -n "${karm[$a]:-}" ] || continue
		k=$(basename "${karm[$a]}")
		[ -n "${dp_built[$k]:-}" ] ||
			build_module "$k" "${karm[$a]}/root/usr/src/linux-headers-$k" ||
			continue
		if [ -z "$arm_workloads" ]; then
			dp_build_workloads arm64 && pass host:build:workloads-arm64 ||
				{ fail host:build:workloads-arm64; continue; }
			arm_workloads=1
		fi
		# Emulated arm64 runs the workloads two to three times slower
		# than the x86 guests: its figures of speed and monitoring
		# quality are reported (a miss is a skip, as on the debug
		# kernel); coexist judges its monitoring against the in-kernel
		# DAMON of the same guest.
		DP_GUEST_ARCH=arm64 DP_BUSYBOX=${karm[$a]}/busybox \
			run_guests arm64-$a "${karm[$a]}/vmlinuz" \
			"$DP_BUILD/mod/$k/damon_pause.ko" "$sc" 600 1 \
			"$dp_guest_env dp_figures=report"
	done
	if want_guest package && want_scenario package; then
		time_start package
		package_check "$k61" "$k612" "$k73"
		time_end package
	fi
	if [ -n "$debug_job" ]; then
		wait "$debug_job" ||
			echo "INFO the debug guest's job ended with status $?"
		cat "$DP_BUILD/debug-guest.out"
	else
		debug_guest "$debug_k"
	fi
	summary
}

# kill_tree PID: a process and everything it started (a guest's QEMU).
kill_tree() {
	local child

	for child in $(pgrep -P "$1"); do
		kill_tree "$child"
	done
	kill "$1" 2>/dev/null
}

# debug_guest KERNEL_TREE: the debug guest's module and scenarios, if this
# run has any.
debug_guest() {
	local sc

	sc=$(scenarios_of debug)
	if want_guest debug && [ -n "$sc" ] && [ -n "$1" ] &&
		build_module debug "$1" y; then
		selftests_bundle "$sc"
		run_guest debug "$1/arch/x86/boot/bzImage" \
			"$DP_BUILD/mod/debug/damon_pause.ko" "$sc" \
			"$(guest_limit 3000 "$sc" $DP_DEBUG_SLOW)" \
			"$dp_guest_env panic_on_warn=1 dp_slow=$DP_DEBUG_SLOW DP_STRESS_CYCLES=$DP_DEBUG_STRESS_CYCLES dp_fi_paths=$DP_FI_PATHS${DP_KUNIT:+ kunit.filter_glob=$DP_KUNIT}"
	fi
}

# Sourcing this file (for one guest at a time) defines the helpers only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi

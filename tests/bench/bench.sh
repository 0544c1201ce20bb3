#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: our monitor against the in-kernel DAMON (DESIGN §6), in one
# QEMU guest of Debian's stock 6.12 kernel (which has DAMON built in), or
# of another stock kernel (BENCH_KERNEL).
# Builds the module and the workloads, boots the guest, which runs
# tests/bench/guest/bench.sh, then turns the figures of its log into
# tables: printed, and written to Documentation/benchmarks.md.
#
#   BENCH_QUICK=1   a short run for development; its report goes to
#                   $DP_BUILD/bench/benchmarks.md, not to Documentation/
#   BENCH_PARTS=a,b only these parts of the guest script (implies a report
#                   in $DP_BUILD/bench, like BENCH_QUICK)
#   BENCH_KVM=1     KVM instead of software emulation, where /dev/kvm is
#                   usable (the figures of a TCG run are ratios only)
#   BENCH_NICE=N    the guest's nice level (15)
#   BENCH_KERNEL=7.3  the stock kernel of that series (kernel.sh stock;
#                   6.12 by default): on 7.2 and later the in-kernel DAMON
#                   has a pause of its own, which the pause part measures
#                   beside ours; the report goes to $DP_BUILD/bench
#   BENCH_REPORT_ONLY=1  write the report again from the last run's log
#   DP_GUEST_MEM    the guest's memory (3G)
#
# No figure passes or fails: the targets are reported, met or not.
set -euo pipefail
. "$(dirname "$0")/../qemu/lib.sh"

export DP_BUILD=${DP_BUILD:-$DP_ROOT/build}
export DP_GUEST_MEM=${DP_GUEST_MEM:-3G}
quick=${BENCH_QUICK:-0}
parts=${BENCH_PARTS:-}
dir=$DP_BUILD/bench
out=$DP_ROOT/Documentation/benchmarks.md
series=${BENCH_KERNEL:-6.12}
if [ "$quick" = 1 ] || [ -n "$parts" ] || [ "$series" != 6.12 ]; then
	out=$dir/benchmarks.md
fi

splats='BUG:|WARNING:|Oops|Call Trace:|soft lockup|blocked for more than'

# report: the tables, from the guest's log and the run's facts.
report() {
	local -a meta
	mapfile -t meta < "$dir/meta.txt"
	python3 "$DP_ROOT/tests/bench/report.py" "$dir/results.txt" "$out" \
		"${meta[@]}"
	# The guest's log beside the report, for whoever wants to check it.
	cp "$dir/results.txt" "${out%.md}.log"
	dp_log "report: $out, the guest's log: ${out%.md}.log"
}

if [ "${BENCH_REPORT_ONLY:-0}" = 1 ]; then
	[ -f "$dir/results.txt" ] && [ -f "$dir/meta.txt" ] ||
		dp_die "no earlier run in $dir"
	grep -qx 'quick=0' "$dir/meta.txt" && grep -qx 'parts=all' "$dir/meta.txt" ||
		out=$dir/benchmarks.md
	report
	exit 0
fi

"$DP_ROOT/tests/qemu/deps.sh"
suite=
case "$series" in
6.1 | 6.12)
	hdr=$(dp_headers_of_series "$series")
	[ -n "$hdr" ] || dp_die "no Debian $series headers installed"
	;;
*)
	# A newer suite's kernel: its headers and compiler in its chroot.
	read -r suite abi < <(dp_chroot_kernel_of "$series")
	[ -n "$abi" ] || dp_die "no chroot kernel of series $series"
	hdr=/usr/src/linux-headers-$abi
	;;
esac
abi=${hdr#/usr/src/linux-headers-}
kernel=$("$DP_ROOT/tests/qemu/kernel.sh" stock "$series")

rm -rf "$dir"
mkdir -p "$dir"
dp_build_module_in "$dir/mod" "$hdr" $suite || exit 1
dp_build_workloads
"$DP_ROOT/tests/qemu/initramfs.sh" "$dir/initrd.cpio" "$dir/mod/damon_pause.ko"

accel=tcg
if [ "${BENCH_KVM:-0}" = 1 ]; then
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || dp_die "BENCH_KVM=1 but /dev/kvm is not usable"
	export DP_KVM=1
	accel=kvm
fi
extra="bench_quick=$quick${parts:+ bench_parts=$parts}"
limit=2400
[ "$quick" = 1 ] && limit=1200
dp_log "booting Debian's $abi kernel ($accel, ${DP_GUEST_MEM}, 2 vCPUs); quick=$quick"
start=$(date +%s)
rc=0
nice -n "${BENCH_NICE:-15}" "$DP_ROOT/tests/qemu/run-guest.sh" "$kernel/vmlinuz" \
	"$dir/initrd.cpio" "$dir" "$limit" bench "$extra" || rc=$?
wall=$(($(date +%s) - start))
tr -d '\r' < "$dir/results.log" > "$dir/results.txt"
grep -q '^DP-DONE' "$dir/results.txt" ||
	dp_log "the guest did not finish (status $rc): the report has what it measured; see $dir/console.log"

# The run's facts, kept beside its log, so that BENCH_REPORT_ONLY=1 can
# write the report again (after a change of report.py or of the
# discussion) from the same measurements.
{
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "accel=$accel"
	echo "guest_mem=$DP_GUEST_MEM"
	echo "wall_s=$wall"
	echo "host_cpus=$(nproc)"
	echo "host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	echo "qemu=$(qemu-system-x86_64 --version | head -n 1)"
	echo "commit=$(git -C "$DP_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo "version=$(cat "$DP_ROOT/VERSION")"
	echo "quick=$quick"
	echo "parts=${parts:-all}"
	echo "splat=$(grep -E -c "$splats" "$dir/console.log" || true)"
} > "$dir/meta.txt"
report

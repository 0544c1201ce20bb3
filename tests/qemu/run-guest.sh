#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-guest.sh KERNEL INITRAMFS OUTDIR TIMEOUT SCENARIOS [EXTRA_CMDLINE]
#
# Boots one QEMU guest (software emulation, never the host kernel), which
# runs SCENARIOS and powers off. DP_KVM=1 asks for KVM instead (`make bench`
# on a machine where it may be used; the tests never do), DP_GUEST_MEM and
# DP_GUEST_CPUS size the guest (2G, 2). Leaves OUTDIR/console.log
# (everything the kernel printed) and OUTDIR/results.log (the scenarios'
# results). Exit status: 0 if the guest powered off by itself, 124 if it had
# to be killed at TIMEOUT seconds, else QEMU's.
set -uo pipefail

kernel=$1 initrd=$2 outdir=$3 limit=$4 scenarios=$5 extra=${6:-}
mkdir -p "$outdir"
rm -f "$outdir/console.log" "$outdir/results.log"

# panic=-1 with -no-reboot: a panic or a WARN under panic_on_warn ends the
# guest at once instead of leaving it to the timeout.
# la57=off: with five-level paging under TCG, the debug kernel's KASAN
# once reported a wild access in rcu_is_watching at boot, before any code
# of ours ran: a flake of the emulation that would fail a run.
accel=(-cpu max,la57=off)
[ "${DP_KVM:-0}" = 1 ] && accel=(-enable-kvm -cpu host)
cmdline="console=ttyS0 panic=-1 oops=panic loglevel=7 dp_run=$scenarios $extra"
timeout -k 10 "$limit" qemu-system-x86_64 \
	-nodefaults -nographic -no-reboot \
	-machine pc "${accel[@]}" -smp "${DP_GUEST_CPUS:-2}" -m "${DP_GUEST_MEM:-2G}" \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
	-serial "file:$outdir/console.log" \
	-serial "file:$outdir/results.log" \
	-monitor none < /dev/null

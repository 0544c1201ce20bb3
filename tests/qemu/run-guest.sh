#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-guest.sh KERNEL INITRAMFS OUTDIR TIMEOUT SCENARIOS [EXTRA_CMDLINE]
#
# Boots one QEMU guest (software emulation, never the host kernel), which
# runs SCENARIOS and powers off. DP_KVM=1 asks for KVM instead (`make bench`
# on a machine where it may be used; the tests never do), DP_GUEST_MEM and
# DP_GUEST_CPUS size the guest (2G, 2), DP_GUEST_NODES gives it that many
# NUMA nodes (1: none declared; see below). Leaves OUTDIR/console.log
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
# DP_GUEST_ARCH=arm64: an arm64 guest (qemu's virt machine, emulated),
# whose console is its PL011 UART; the results go to a PCI 16550 (ttyS0:
# virt has one UART; Debian's arm64 kernels build 8250_PCI in, and 6.1
# has virtio's console as a module), which the guest's lib.sh writes to.
qemu=qemu-system-x86_64 machine=(-machine pc) console=ttyS0
results=(-serial "file:$outdir/results.log")
if [ "${DP_GUEST_ARCH:-x86_64}" = arm64 ]; then
	qemu=qemu-system-aarch64 machine=(-machine virt) console=ttyAMA0
	accel=(-cpu max,pauth-impdef=on)
	results=(-chardev "file,id=dpres,path=$outdir/results.log"
		-device pci-serial,chardev=dpres)
fi
cmdline="console=$console panic=-1 oops=panic loglevel=7 dp_run=$scenarios $extra"
# The kernel's own build configuration (the config beside a stock image,
# the .config of a built tree), as dp_kconfig=: which options of a short
# list it has built in ("-": none of them; "none": no configuration
# found), for what a scenario may expect of the kernel without asking the
# kernel or the module under test (tests/qemu/guest/lib.sh, dp_kconfig).
kconfig=$(dirname "$kernel")/config
[ -f "$kconfig" ] || kconfig=$(dirname "$kernel")/../../../.config
kopts=none
if [ -f "$kconfig" ]; then
	kopts=$(grep -oE '^CONFIG_(DAMON_SYSFS|KALLSYMS_ALL|PSI|MEMCG|PAGE_IDLE_FLAG)=y$' "$kconfig" |
		sed 's/^CONFIG_//; s/=y$//' | paste -sd, -)
	kopts=${kopts:--}
fi
cmdline+=" dp_kconfig=$kopts"
# NUMA nodes: DP_GUEST_NODES equal shares of the memory and of the vCPUs
# (the CPUs in order, a socket each node; nodes=2 with -smp 2 -m 2G: 1 GiB
# and one vCPU each).
# The paddr scenario migrates between two nodes; `make check` boots it in
# a guest of its own with two (tests/check.sh says why). With more than
# one node, automatic NUMA balancing is off (numa_balancing=disable): it
# would move the workloads' pages behind the monitor's back. A kernel
# without CONFIG_NUMA (our debug kernel) ignores the nodes, and hands the
# word it does not know to the init as an environment variable.
mem=${DP_GUEST_MEM:-2G} cpus=${DP_GUEST_CPUS:-2} nodes=${DP_GUEST_NODES:-1}
numa=()
if [ "$nodes" -gt 1 ]; then
	case "$mem" in
	*G) mib=$((${mem%G} * 1024)) ;;
	*M) mib=${mem%M} ;;
	*) echo "run-guest.sh: DP_GUEST_MEM in G or M with nodes: $mem" >&2; exit 2 ;;
	esac
	[ $((mib % nodes)) = 0 ] && [ $((cpus % nodes)) = 0 ] ||
		{ echo "run-guest.sh: $mem and $cpus CPUs do not split in $nodes nodes" >&2; exit 2; }
	for ((n = 0; n < nodes; n++)); do
		c0=$((n * cpus / nodes)) c1=$(((n + 1) * cpus / nodes - 1))
		[ $c1 = $c0 ] || c0=$c0-$c1
		numa+=(-object "memory-backend-ram,id=mem$n,size=$((mib / nodes))M"
			-numa "node,nodeid=$n,cpus=$c0,memdev=mem$n")
	done
	cmdline+=" numa_balancing=disable"
	# A socket per node: CPUs of one socket share its last-level cache,
	# which across nodes the kernel WARNs about at boot (topology_sane).
	cpus="$cpus,sockets=$nodes"
fi
timeout -k 10 "$limit" $qemu \
	-nodefaults -nographic -no-reboot \
	"${machine[@]}" "${accel[@]}" -smp "$cpus" -m "$mem" "${numa[@]}" \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
	-serial "file:$outdir/console.log" \
	"${results[@]}" \
	-monitor none < /dev/null

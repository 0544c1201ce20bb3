#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh OUT.cpio MODULE.ko[.xz] [SCENARIOS]: a busybox initramfs
# carrying the module, the guest init and helpers, the scenarios and the
# static test programs; with the selftests scenario among SCENARIOS (comma
# separated), also upstream's DAMON selftests and python3 and bash to run
# them (the bundle that tests/qemu/selftests.sh made, $DP_SELFTESTS), which
# the other guests do without. DP_GUEST_ARCH=arm64 makes it for an arm64
# guest: $DP_BUSYBOX (kernel.sh arm64's busybox) and the workloads of
# $DP_BUILD/workloads-arm64; no kmod (the host's is amd64).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$1
module=$2
scenarios=${3:-}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,dev,proc,sys,tmp,dp/scenarios,dp/bin}
arch=${DP_GUEST_ARCH:-x86_64}
cp "${DP_BUSYBOX:-/bin/busybox}" "$root/bin/busybox"
cp "$DP_ROOT/tests/qemu/guest/init" "$root/init"
cp "$DP_ROOT/tests/qemu/guest/lib.sh" "$root/dp/lib.sh"
cp "$DP_ROOT"/tests/integration/*.sh "$DP_ROOT"/tests/demo/*.sh \
	"$DP_ROOT"/tests/bench/guest/*.sh "$root/dp/scenarios/"
cp "$DP_ROOT/VERSION" "$root/dp/VERSION"
# The documentation, which the docs scenario holds against the module.
cp -r "$DP_ROOT/Documentation" "$root/dp/doc"
# A compressed module (DKMS's for 6.12: damon_pause.ko.xz) keeps its suffix.
cp "$module" "$root/dp/damon_pause.ko${module##*.ko}"
# Modules of the guest's kernel that scenarios may load ($DP_GUEST_KMODS,
# space separated: brd.ko for swap on the stock kernels), in /dp/kmods.
mkdir -p "$root/dp/kmods"
for f in ${DP_GUEST_KMODS:-}; do
	[ -f "$f" ] && cp "$f" "$root/dp/kmods/"
done
workloads=${DP_BUILD:-}/workloads
[ "$arch" = arm64 ] && workloads=$workloads-arm64
# damon-pause-exec, as the packages install it, for the damo scenario.
cp "$DP_ROOT/scripts/damon-pause-exec" "$root/dp/bin/"
if [ -d "$workloads" ]; then
	cp "$workloads"/* "$root/dp/bin/" 2>/dev/null || true
fi
# kmod (modprobe, depmod, modinfo) with its libraries, for the scenarios
# that install the module the way users do; busybox's applets differ.
kmod=$(command -v kmod || true)
if [ -n "$kmod" ] && [ "$arch" != arm64 ]; then
	mkdir -p "$root/dp/kmod"
	for f in "$kmod" $(ldd "$kmod" | grep -o '/[^ ]*'); do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
	done
	for tool in modprobe depmod modinfo; do
		ln -s "$kmod" "$root/dp/kmod/$tool"
	done
fi
if [[ ,$scenarios, == *,selftests,* ]] && [ -d "${DP_SELFTESTS:-}/root" ]; then
	cp -a "$DP_SELFTESTS/root/." "$root/"
	mkdir -p "$root/dp/selftests"
	cp -a "$DP_SELFTESTS"/upstream "$DP_SELFTESTS"/ours \
		"$DP_SELFTESTS"/tests "$DP_SELFTESTS"/not-run "$DP_SELFTESTS"/helpers \
		"$DP_SELFTESTS"/keywords "$DP_SELFTESTS"/ours-removed \
		"$root/dp/selftests/"
fi
# The damo scenario's (and the demo's) bundle (tests/qemu/damo.sh,
# $DP_DAMO): damo, and
# python3, perf and ps at the host's paths.
if [[ ,$scenarios, == *,damo,* || ,$scenarios, == *,demo,* ]] &&
	[ -d "${DP_DAMO:-}/root" ]; then
	cp -a "$DP_DAMO/root/." "$root/"
	mkdir -p "$root/dp/damo"
	cp -a "$DP_DAMO/damo/." "$DP_DAMO/versions" "$root/dp/damo/"
fi
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) > "$out"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: build the module for Debian's 6.12 kernel and show it at work
# in a QEMU guest of that kernel (software emulation; nothing is loaded into
# this machine's kernel). Installs what it needs first.
set -euo pipefail
. "$(dirname "$0")/qemu/lib.sh"

export DP_BUILD=${DP_BUILD:-$DP_ROOT/build}
"$DP_ROOT/tests/qemu/deps.sh"
hdr=$(dp_headers_of_series 6.12)
abi=${hdr#/usr/src/linux-headers-}
kernel=$("$DP_ROOT/tests/qemu/kernel.sh" stock 6.12)

dir=$DP_BUILD/demo
rm -rf "$dir"
dp_build_module_in "$dir/mod" "$hdr" || exit 1

dp_build_workloads
# Debian's damo, as it is, for the demo's recordings (tests/qemu/damo.sh:
# downloaded once, cached); the demo goes on without them if it cannot.
DP_DAMO=$("$DP_ROOT/tests/qemu/damo.sh") || DP_DAMO=""
export DP_DAMO
"$DP_ROOT/tests/qemu/initramfs.sh" "$dir/initrd.cpio" "$dir/mod/damon_pause.ko" demo
dp_log "booting Debian's $abi kernel in QEMU"
"$DP_ROOT/tests/qemu/run-guest.sh" "$kernel/vmlinuz" "$dir/initrd.cpio" \
	"$dir" 300 demo || true
tr -d '\r' < "$dir/results.log" | grep -v '^DP-DONE' |
	grep -v "^RESULT PASS .*kmemleak$" | grep -v '^HEATMAP '
grep -q '^DP-DONE' "$dir/results.log" || dp_die "the guest did not finish: $dir/console.log"
"$DP_ROOT/tests/heatmap.sh" "$dir/results.log" "$dir/heatmap.png" &&
	dp_log "the two heatmaps, ours beside the kernel's DAMON's: $dir/heatmap.png"

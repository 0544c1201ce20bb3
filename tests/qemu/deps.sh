#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the build, the tests and the demo need on Debian 12 (as root).
# Quick when everything is there already: apt runs only for what is missing.
set -euo pipefail

packages=(
	make gcc libc6-dev bc bison flex libelf-dev libssl-dev dwarves
	cpio xz-utils kmod rsync python3 perl
	busybox-static qemu-system-x86
	# The arm64 guest: its emulator, and Debian's cross compiler (the
	# gcc 12 of Debian 12's arm64 kernels) for the module and workloads.
	qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	linux-source-6.12
	# The packages and their test (tests/package/): DKMS, dh-dkms,
	# lintian, the RPM tools.
	dkms dh-dkms debhelper dpkg-dev fakeroot build-essential lintian
	rpm rpm2cpio
	# Header sets we build against: Debian 12's 6.1 and its 6.12 backport.
	linux-headers-amd64 linux-headers-6.12-amd64
	# The chroots of the newer suites' kernels (tests/qemu/chroot.sh).
	mmdebstrap
	# What damo runs on in the guests (tests/qemu/damo.sh bundles this
	# machine's): perf, its default tracer; procps' ps, file, less.
	linux-perf procps file less
	# The demo's picture of damo's heatmaps (tests/heatmap.sh).
	gnuplot-nox
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "error: missing packages (${missing[*]}); run as root to install them" >&2
	exit 1
fi
echo ">> installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2

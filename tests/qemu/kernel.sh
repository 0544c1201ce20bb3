#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Provide guest kernels, cached under $DP_CACHE; prints the kernel's directory.
#
#   kernel.sh stock 6.1|6.12   Debian's stock kernel matching the installed
#                              headers of that series, extracted (not installed)
#                              from its linux-image package; dir has vmlinuz,
#                              and brd.ko (below) where it could be had.
#   kernel.sh stock 7.3        the same of a newer suite's kernel (the newest
#                              ABI of that series of tests/qemu/chroot.sh's
#                              kernels, whose headers are in its chroot).
#   kernel.sh arm64 6.12       Debian 12's arm64 kernel of that series, with
#                              its headers (to cross-build against) and
#                              Debian's arm64 busybox, for the arm64 guest
#   kernel.sh custom kunit|debug
#                              a small kernel built from Debian's linux-source
#                              with tests/qemu/config/<fragments>; dir is the
#                              O= build tree (bzImage, Module.symvers, Makefile).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Debian's archive keeps only the newest ABI of a kernel series: when the
# installed headers' image is gone, move the headers to the newest ABI too
# (the guest kernel must match the headers the module is built against).
upgrade_headers() {
	local meta
	case "$1" in
	6.1) meta=linux-headers-amd64 ;;
	6.12) meta=linux-headers-6.12-amd64 ;;
	esac
	dp_log "linux-image for the installed $1 headers is gone; upgrading $meta"
	apt-get update -q >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "$meta" >&2
}

download_image() {
	(cd "$2" && apt-get download -q "linux-image-$1" >&2)
}

# stock_brd ABI DIR X: the RAM disk driver of that kernel from its package
# extracted in X, uncompressed as DIR/brd.ko: swap for the guests that
# page out (Debian builds zram and brd as modules; brd needs no other).
stock_brd() {
	local ko
	ko=$(find "$3" -name 'brd.ko*' | head -n 1)
	[ -n "$ko" ] || return 0
	case "$ko" in
	*.xz) xz -dc "$ko" > "$2/brd.ko.new" ;;
	*.zst) zstd -qdc "$ko" > "$2/brd.ko.new" ;;
	*) cp "$ko" "$2/brd.ko.new" ;;
	esac && mv "$2/brd.ko.new" "$2/brd.ko"
}

# chroot_kernel SERIES: a kernel of a newer suite, whose headers live in
# that suite's chroot (tests/qemu/chroot.sh), not on this machine: the
# image of the newest ABI of SERIES in the archive, to match the module
# built there.
chroot_kernel() {
	local suite abi dir tmp deb
	read -r suite abi < <(dp_chroot_kernel_of "$1")
	[ -n "$abi" ] || dp_die "no chroot kernel of series $1"
	dir=$DP_CACHE/stock/$abi
	if [ ! -f "$dir/vmlinuz" ]; then
		dp_log "fetching linux-image-$abi from $suite"
		mkdir -p "$DP_CACHE"
		tmp=$(mktemp -d "$DP_CACHE/tmp.XXXXXX")
		# 7.x's linux-image-ABI is a metapackage: the image is in
		# linux-binary-ABI (/usr/lib/modules/ABI/vmlinuz), its config
		# in linux-base-ABI; 6.12's linux-image-ABI has both in /boot.
		"$DP_ROOT/tests/qemu/chroot.sh" download "$suite" "$tmp" \
			"linux-binary-$abi" "linux-base-$abi" ||
			"$DP_ROOT/tests/qemu/chroot.sh" download "$suite" "$tmp" \
				"linux-image-$abi" ||
			{ rm -rf "$tmp"; dp_die "no linux-image-$abi in $suite"; }
		for deb in "$tmp"/*.deb; do
			dpkg-deb -x "$deb" "$tmp/x"
		done
		mkdir -p "$dir"
		cp "$tmp/x/usr/lib/modules/$abi/vmlinuz" "$dir/vmlinuz.new" 2>/dev/null ||
			cp "$tmp/x/boot/vmlinuz-$abi" "$dir/vmlinuz.new"
		cp "$tmp/x/usr/lib/modules/$abi/config" "$dir/config" 2>/dev/null ||
			cp "$tmp/x/boot/config-$abi" "$dir/config"
		rm -rf "$tmp"
		mv "$dir/vmlinuz.new" "$dir/vmlinuz"
	fi
	echo "$dir"
}

stock_kernel() {
	local hdr abi dir tmp deb
	case "$1" in
	6.1 | 6.12) ;;
	*) chroot_kernel "$1"; return ;;
	esac
	hdr=$(dp_headers_of_series "$1")
	[ -n "$hdr" ] || dp_die "no linux-headers for $1 installed"
	abi=${hdr#/usr/src/linux-headers-}
	dir=$DP_CACHE/stock/$abi
	if [ ! -f "$dir/vmlinuz" ]; then
		dp_log "fetching linux-image-$abi"
		mkdir -p "$DP_CACHE"
		tmp=$(mktemp -d "$DP_CACHE/tmp.XXXXXX")
		# apt downloads as the unprivileged _apt user when it can.
		chmod 777 "$tmp"
		if ! download_image "$abi" "$tmp"; then
			rm -rf "$tmp"
			upgrade_headers "$1"
			hdr=$(dp_headers_of_series "$1")
			[ "${hdr#/usr/src/linux-headers-}" != "$abi" ] ||
				dp_die "no linux-image-$abi to download"
			stock_kernel "$1"
			return
		fi
		deb=$(ls "$tmp"/*.deb)
		dpkg-deb -x "$deb" "$tmp/x"
		mkdir -p "$dir"
		cp "$tmp/x/boot/vmlinuz-$abi" "$dir/vmlinuz.new"
		cp "$tmp/x/boot/config-$abi" "$dir/config"
		stock_brd "$abi" "$dir" "$tmp/x" || rm -f "$dir/brd.ko.new"
		rm -rf "$tmp"
		mv "$dir/vmlinuz.new" "$dir/vmlinuz"
	fi
	# A cache from before brd.ko was kept: from the package apt keeps,
	# where it has it (nothing is downloaded for it alone).
	deb=$(ls /var/cache/apt/archives/linux-image-"$abi"_*.deb 2>/dev/null | head -n 1 || true)
	if [ ! -f "$dir/brd.ko" ] && [ ! -f "$dir/.no-brd" ] && [ -n "$deb" ]; then
		tmp=$(mktemp -d "$DP_CACHE/tmp.XXXXXX")
		dpkg-deb --fsys-tarfile "$deb" |
			tar -x -C "$tmp" --wildcards '*/brd.ko*' 2>/dev/null
		stock_brd "$abi" "$dir" "$tmp" || rm -f "$dir/brd.ko.new"
		[ -f "$dir/brd.ko" ] || touch "$dir/.no-brd"
		rm -rf "$tmp"
	fi
	echo "$dir"
}

# arm64_kernel SERIES: Debian 12's arm64 kernel of SERIES (the ABI of the
# installed amd64 headers of that series), for the arm64 guests: dir has
# vmlinuz, busybox (Debian's arm64 busybox-static, the guest's shell) and
# root/usr/src/linux-headers-ABI-arm64, the headers to cross-build against,
# whose scripts are the host's own linux-kbuild of that version (the arm64
# package's are arm64 binaries).
arm64_kernel() {
	local hdr abi dir tmp deb kbuild
	hdr=$(dp_headers_of_series "$1")
	[ -n "$hdr" ] || dp_die "no linux-headers for $1 installed"
	abi=${hdr#/usr/src/linux-headers-}
	abi=${abi%-amd64}-arm64
	dir=$DP_CACHE/arm64/$abi
	if [ ! -f "$dir/.dp-done" ]; then
		dp_log "fetching Debian's arm64 kernel, headers and busybox ($abi)"
		rm -rf "$dir"
		mkdir -p "$DP_CACHE/arm64"
		tmp=$(mktemp -d "$DP_CACHE/tmp.XXXXXX")
		"$DP_ROOT/tests/qemu/chroot.sh" download bookworm-arm64 "$tmp" \
			"linux-image-$abi-unsigned" "linux-headers-$abi" busybox-static ||
			{ rm -rf "$tmp"; dp_die "could not download the arm64 packages of $abi"; }
		mkdir -p "$dir/root"
		for deb in "$tmp"/linux-headers-*.deb; do
			dpkg-deb -x "$deb" "$dir/root"
		done
		mkdir -p "$tmp/x"
		for deb in "$tmp"/linux-image-*.deb "$tmp"/busybox-static_*.deb; do
			dpkg-deb -x "$deb" "$tmp/x"
		done
		cp "$tmp/x/boot/vmlinuz-$abi" "$dir/vmlinuz"
		cp "$tmp/x/boot/config-$abi" "$dir/config"
		cp "$tmp/x/bin/busybox" "$dir/busybox"
		rm -rf "$tmp"
		# The headers' scripts and tools link to ../../lib/linux-kbuild-V:
		# the host's (amd64) kbuild of the same version.
		kbuild=$(readlink "$dir/root/usr/src/linux-headers-$abi/scripts")
		kbuild=${kbuild#../../lib/}
		kbuild=${kbuild%/scripts}
		[ -d "/usr/lib/$kbuild" ] || dp_die "no /usr/lib/$kbuild (the host's linux-kbuild)"
		mkdir -p "$dir/root/usr/lib"
		ln -sfn "/usr/lib/$kbuild" "$dir/root/usr/lib/$kbuild"
		touch "$dir/.dp-done"
	fi
	echo "$dir"
}

# source_tree [SERIES]: the extracted linux-source of SERIES (6.12, the
# installed package, whole; 7.3, trixie-backports', downloaded and only
# the DAMON parts extracted: its selftests, mm/damon, its docs).
source_tree() {
	local ver dir
	case "${1:-6.12}" in
	6.12) ;;
	7.3) source_tree_backports 7.3; return ;;
	*) dp_die "no linux-source of series $1" ;;
	esac
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
		dp_die "linux-source-6.12 is not installed"
	dir=$DP_CACHE/src/linux-source-6.12
	if [ "$(cat "$dir/.dp-version" 2>/dev/null)" != "$ver" ]; then
		dp_log "extracting linux-source-6.12 $ver"
		rm -rf "$dir"
		mkdir -p "$DP_CACHE/src"
		tar -C "$DP_CACHE/src" -xf /usr/src/linux-source-6.12.tar.xz
		echo "$ver" > "$dir/.dp-version"
	fi
	echo "$dir"
}

source_tree_backports() {
	local pkg=linux-source-$1 dir tmp ver
	dir=$DP_CACHE/src/$pkg
	ver=$("$DP_ROOT/tests/qemu/chroot.sh" version trixie "$pkg")
	[ -n "$ver" ] || dp_die "no $pkg in trixie-backports"
	if [ "$(cat "$dir/.dp-version" 2>/dev/null)" != "$ver" ]; then
		dp_log "extracting the DAMON parts of $pkg $ver"
		mkdir -p "$DP_CACHE/src"
		tmp=$(mktemp -d "$DP_CACHE/tmp.XXXXXX")
		"$DP_ROOT/tests/qemu/chroot.sh" download trixie "$tmp" "$pkg" >&2 ||
			{ rm -rf "$tmp"; dp_die "could not fetch $pkg"; }
		rm -rf "$dir"
		dpkg-deb --fsys-tarfile "$tmp"/*.deb |
			tar -xO "./usr/src/$pkg.tar.xz" |
			tar -C "$DP_CACHE/src" -xJ "$pkg/tools/testing/selftests/damon" \
				"$pkg/mm/damon" "$pkg/include/linux/damon.h" \
				"$pkg/Documentation/admin-guide/mm/damon"
		rm -rf "$tmp"
		echo "$ver" > "$dir/.dp-version"
	fi
	echo "$dir"
}

fragments_of() {
	local cfg=$DP_ROOT/tests/qemu/config
	case "$1" in
	kunit) echo "$cfg/kunit.config" ;;
	debug) echo "$cfg/kunit.config $cfg/debug.config" ;;
	*) dp_die "unknown kernel flavour $1" ;;
	esac
}

# Every CONFIG_ line of the fragments must have survived olddefconfig: a
# dependency that silently dropped an option would otherwise test less
# than we think.
check_config() {
	local out=$1 line bad=0
	shift
	for line in $(grep -h '^CONFIG_' "$@"); do
		if ! grep -qx "$line" "$out/.config"; then
			echo "config option did not stick: $line" >&2
			bad=1
		fi
	done
	return $bad
}

custom_kernel() {
	local flavour=$1 src frags key out
	src=$(source_tree)
	frags=$(fragments_of "$flavour")
	# shellcheck disable=SC2086
	key=$( (cat $frags; cat "$src/.dp-version"; gcc --version | head -n 1) |
		sha256sum | cut -c1-12)
	out=$DP_CACHE/kernels/$flavour-$key
	if [ ! -f "$out/.dp-done" ]; then
		dp_log "building the $flavour kernel in $out (cached by config)"
		rm -rf "$out"
		mkdir -p "$out"
		make -s -C "$src" O="$out" allnoconfig >&2
		# shellcheck disable=SC2086
		(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" \
			"$out/.config" $frags >/dev/null)
		make -s -C "$src" O="$out" olddefconfig >&2
		# shellcheck disable=SC2086
		check_config "$out" $frags
		make -s -C "$src" O="$out" -j"$DP_JOBS" bzImage modules >&2
		touch "$out/.dp-done"
	fi
	echo "$out"
}

case "${1:-}" in
stock) stock_kernel "$2" ;;
arm64) arm64_kernel "$2" ;;
source) source_tree "${2:-}" ;;
custom) custom_kernel "$2" ;;
*) dp_die "usage: $0 stock 6.1|6.12|7.3 | arm64 6.12 | source [6.12|7.3] | custom kunit|debug" ;;
esac

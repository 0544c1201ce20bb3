# SPDX-License-Identifier: GPL-2.0
# Shared settings of the QEMU test harness; sourced, never run.

# Everything downloaded or built for the guests lives outside the repository,
# so that a fresh clone reuses it and `git clean` never throws it away.
DP_CACHE=${DAMON_PAUSE_CACHE:-/var/cache/damon-pause}
DP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DP_JOBS=${DP_JOBS:-$(($(nproc) + 1))}

dp_log() { printf '>> %s\n' "$*" >&2; }
dp_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The newest installed Debian header set of a kernel series ("6.1" or "6.12"),
# as its directory under /usr/src; empty if none is installed.
dp_headers_of_series() {
	local pat
	case "$1" in
	6.1) pat='/usr/src/linux-headers-6.1.0-*-amd64' ;;
	6.12) pat='/usr/src/linux-headers-6.12.*+deb12-amd64' ;;
	*) dp_die "unknown kernel series $1" ;;
	esac
	# shellcheck disable=SC2086
	ls -d $pat 2>/dev/null | sort -V | tail -n 1
}

# dp_chroot_kernel_of SERIES: "SUITE ABI" of the newest chroot kernel of
# SERIES ("7.3"; tests/qemu/chroot.sh), whose headers are in SUITE's
# chroot; empty if none.
dp_chroot_kernel_of() {
	"$DP_ROOT/tests/qemu/chroot.sh" kernels |
		awk -v s="$1" 'index($2, s ".") == 1' | sort -V -k2 | tail -n 1
}

# Every installed amd64 header set that can build modules.
dp_all_headers() {
	local d
	for d in /usr/src/linux-headers-*-amd64; do
		[ -f "$d/Module.symvers" ] && echo "$d"
	done
}

# Copy the module's sources to DEST, so that builds for different kernels
# never share objects.
dp_copy_sources() {
	local dest=$1 f
	mkdir -p "$dest/tests"
	for f in Kbuild Makefile VERSION src include; do
		[ -e "$DP_ROOT/$f" ] && cp -r "$DP_ROOT/$f" "$dest/"
	done
	cp -r "$DP_ROOT/tests/kunit" "$dest/tests/"
}

# dp_build_module_in DIR KDIR [SUITE]: a copy of the sources in DIR, built
# quietly against KDIR (the demo's and the benchmark's module), in SUITE's
# chroot if given (tests/qemu/chroot.sh); the log on failure.
dp_build_module_in() {
	dp_copy_sources "$1"
	dp_log "building damon_pause.ko for ${2#/usr/src/linux-headers-}${3:+ in the $3 chroot}"
	if [ -n "${3:-}" ]; then
		"$DP_ROOT/tests/qemu/chroot.sh" build "$3" \
			"${2#/usr/src/linux-headers-}" "$1" "$1/build.log"
	else
		make -s -C "$1" KDIR="$2" > "$1/build.log" 2>&1
	fi || { cat "$1/build.log"; return 1; }
}

# Build the guest's static test programs (tests/workloads/*.c) into
# $DP_BUILD/workloads, from where initramfs.sh puts them in /dp/bin; with
# arm64, for the arm64 guests, into $DP_BUILD/workloads-arm64 with Debian's
# cross compiler.
dp_build_workloads() {
	local out=$DP_BUILD/workloads src cc=gcc
	if [ "${1:-}" = arm64 ]; then
		out=$DP_BUILD/workloads-arm64 cc=aarch64-linux-gnu-gcc
	fi
	mkdir -p "$out"
	for src in "$DP_ROOT"/tests/workloads/*.c; do
		$cc -O2 -static -Wall -Wextra -Werror -o "$out/$(basename "$src" .c)" \
			"$src" -lm || return 1
	done
}

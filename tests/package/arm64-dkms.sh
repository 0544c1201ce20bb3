#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make package-check-arm64`: the .deb on an arm64 Debian 12 system, as an
# arm64 user installs it: a chroot of bookworm for arm64 (mmdebstrap; its
# programs run under qemu-user through binfmt_misc, so this changes the
# host: qemu-user-static and binfmt-support installed, binfmt_misc mounted
# and the aarch64 handler enabled), with dkms, gcc, make and the arm64
# headers of Debian 12's 6.12 and 6.1. The .deb (Architecture: all) is
# installed there with dpkg; its DKMS builds the module for each kernel
# with the arm64 gcc the kernel was built with, natively under emulation.
# Each module is checked (an aarch64 ELF, our version, the kernel's
# vermagic); the purge leaves nothing. Not part of `make check`: the
# emulated build takes minutes, and the chroot 10 or more to make (it is
# cached under $DP_CACHE/chroots/, keyed by the packages' versions).
# No initramfs is ever made in the chroot (update-initramfs is diverted to
# a no-op before the packages are installed): under qemu-user one takes
# over 20 minutes, and nothing here boots.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../check.sh"

[ "$(id -u)" = 0 ] || dp_die "needs root (binfmt_misc, chroot, dpkg)"
ver=$(cat "$DP_ROOT/VERSION")

# binfmt_misc with the aarch64 handler: the chroot's programs are arm64
# (and mmdebstrap's arch-test, which checks that they run).
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || ! command -v arch-test > /dev/null; then
	flock /tmp/dp-apt.lock apt-get install -y -q qemu-user-static arch-test \
		binfmt-support > /dev/null || dp_die "cannot install qemu-user-static"
	mountpoint -q /proc/sys/fs/binfmt_misc ||
		mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
	update-binfmts --enable qemu-aarch64 2> /dev/null || true
fi
if [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
	pass host:package-arm64:binfmt
else
	fail host:package-arm64:binfmt "no aarch64 handler in binfmt_misc"
	summary
	exit 1
fi

# The kernels: Debian 12's arm64 ABIs of the 6.1 and 6.12 installed here.
abis=()
for s in 6.1 6.12; do
	h=$(dp_headers_of_series $s)
	[ -n "$h" ] && abis+=("$(basename "$h" | sed 's/^linux-headers-//; s/-amd64$/-arm64/')")
done
[ ${#abis[@]} -gt 0 ] || dp_die "no Debian 12 headers installed to name the arm64 ABIs"
pkgs=(dkms gcc make libc6-dev perl)
for a in "${abis[@]}"; do
	pkgs+=("linux-headers-$a")
done
key=$(echo "${pkgs[*]}" | sha256sum | cut -c1-12)
root=$DP_CACHE/chroots/bookworm-arm64-$key
if [ ! -f "$root/.dp-done" ]; then
	dp_log "making the arm64 bookworm chroot $root: ${pkgs[*]}"
	rm -rf "$root.tmp"
	t0=$SECONDS
	mmdebstrap --mode=root --variant=minbase --architectures=arm64 \
		--include="$(IFS=,; echo "${pkgs[*]}")" \
		--aptopt='APT::Install-Recommends "false"' \
		--dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/man/*' \
		--essential-hook='dpkg-divert --root="$1" --add --rename --divert /usr/sbin/update-initramfs.dp /usr/sbin/update-initramfs && printf "#!/bin/sh\nexit 0\n" > "$1/usr/sbin/update-initramfs" && chmod 755 "$1/usr/sbin/update-initramfs"' \
		bookworm "$root.tmp" \
		"deb http://deb.debian.org/debian bookworm main" \
		"deb http://deb.debian.org/debian bookworm-updates main" \
		"deb http://deb.debian.org/debian-security bookworm-security main" >&2 ||
		dp_die "mmdebstrap of the arm64 chroot failed"
	echo "made in $((SECONDS - t0)) s, $(du -sh "$root.tmp" | cut -f1)" > "$root.tmp/.dp-made"
	touch "$root.tmp/.dp-done"
	mv "$root.tmp" "$root"
fi
dp_log "arm64 chroot: $(cat "$root/.dp-made")"
in_root() {
	unshare --mount --pid --fork --mount-proc="$root/proc" \
		chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive "$@"
}
[ "$(in_root dpkg --print-architecture)" = arm64 ] &&
	pass host:package-arm64:chroot-is-arm64 ||
	fail host:package-arm64:chroot-is-arm64 "$(in_root dpkg --print-architecture 2>&1)"

# The .deb, as the package check builds it.
pdir=$DP_BUILD/package-arm64
rm -rf "$pdir"
mkdir -p "$pdir/damon-pause-$ver"
cp -r "$DP_ROOT"/{debian,dkms.conf,Kbuild,Makefile,VERSION,src,include,README.md} \
	"$pdir/damon-pause-$ver/"
(cd "$pdir/damon-pause-$ver" && dpkg-buildpackage -b -us -uc) > "$pdir/build.log" 2>&1 ||
	dp_die "dpkg-buildpackage failed, see $pdir/build.log"
deb=$pdir/damon-pause-dkms_${ver}_all.deb
[ -f "$deb" ] || dp_die "no $deb"
cp "$deb" "$root/tmp/"
t0=$SECONDS
if in_root dpkg -i "/tmp/${deb##*/}" > "$pdir/dpkg-i.log" 2>&1; then
	pass host:package-arm64:deb-install
else
	fail host:package-arm64:deb-install "see $pdir/dpkg-i.log"
	tail -n 20 "$pdir/dpkg-i.log" | sed 's/^/    /'
fi
dp_log "dpkg -i with DKMS builds for ${#abis[@]} kernels: $((SECONDS - t0)) s"
for a in "${abis[@]}"; do
	ko=$(ls "$root/lib/modules/$a/updates/dkms/"damon_pause.ko* 2>/dev/null | head -n 1)
	# DKMS compresses the module as the kernel does its own (6.12: xz).
	case "$ko" in
	*.xz) xz -dc "$ko" > "$pdir/$a.ko" && ko=$pdir/$a.ko ;;
	*.zst) zstd -qdc "$ko" > "$pdir/$a.ko" && ko=$pdir/$a.ko ;;
	*.gz) gzip -dc "$ko" > "$pdir/$a.ko" && ko=$pdir/$a.ko ;;
	esac
	what=$(file -b "$ko" 2>/dev/null)
	if [ -n "$ko" ] && [[ $what == *"ARM aarch64"* ]] &&
		[ "$(modinfo -F version "$ko")" = "$ver" ] &&
		[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$a" ]; then
		pass "host:package-arm64:installed-$a"
		dp_log "$a: $what; compat $(modinfo -F compat "$ko")"
	else
		fail "host:package-arm64:installed-$a" "${ko:-no module}: $what"
	fi
done
in_root dpkg --purge damon-pause-dkms > "$pdir/dpkg-purge.log" 2>&1 ||
	fail host:package-arm64:deb-purge "see $pdir/dpkg-purge.log"
rm -f "$root/tmp/${deb##*/}"
left=$(ls -d "$root"/var/lib/dkms/damon-pause "$root"/usr/src/damon-pause-* \
	"$root"/lib/modules/*/updates/dkms/damon_pause.ko* 2>/dev/null)
[ -z "$left" ] && pass host:package-arm64:deb-purged ||
	fail host:package-arm64:deb-purged "left: ${left//$'\n'/ }"
summary

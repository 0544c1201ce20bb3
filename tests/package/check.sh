#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The packages, end to end (part of `make check`; alone: `make
# package-check`, as root). Builds the Debian package (dpkg-buildpackage,
# lintian) and the RPM (rpmbuild) in $DP_BUILD/package, never in the tree;
# adds the source tree to this machine's DKMS and checks its refusal of
# kernels older than 6.1; installs the .deb into DKMS (which builds and
# installs the module for every installed header set; headers only, nothing
# is loaded here), checks the installed modules, purges it and checks the
# modules are gone; runs the RPM's %post and %preun against DKMS the same
# way. Installs the .deb in the trixie chroot (Debian 13's dpkg and DKMS,
# for its 6.12 and trixie-backports' 7.x) and purges it. Then boots
# Debian's stock kernels (6.1, 6.12, 7.3) in QEMU with the modules DKMS
# built, installed as the packages install them, and runs
# tests/integration/package.sh there (depmod, modinfo, modprobe with
# parameters and from /etc/modprobe.d, modprobe -r).
#
# Leaves DKMS as it found it (no damon-pause in it); a run interrupted
# half-way is cleaned up by the next one.

# pkg_cleanup: no damon-pause package, DKMS entry, source or module left.
pkg_cleanup() {
	local v
	if dpkg-query -W -f='${Status}' damon-pause-dkms 2>/dev/null |
		grep -q -v 'not-installed'; then
		flock /tmp/dp-apt.lock dpkg --purge damon-pause-dkms > /dev/null
	fi
	for v in /var/lib/dkms/damon-pause/*/; do
		[ -d "$v" ] || continue
		v=$(basename "$v")
		dkms remove "damon-pause/$v" --all > /dev/null 2>&1 ||
			rm -rf "/var/lib/dkms/damon-pause/$v"
	done
	rm -rf /var/lib/dkms/damon-pause /usr/src/damon-pause-*
	# DKMS's depmod leaves an empty module index in /lib/modules/<ver> of
	# kernels with headers but no image (6.1 here): it indexes nothing.
	for v in /lib/modules/*/; do
		[ -f "$v/modules.dep" ] && [ ! -s "$v/modules.dep" ] &&
			[ ! -e "$v/kernel" ] && [ ! -e "$v/updates" ] &&
			[ ! -e "$v/extra" ] && rm -f "$v"/modules.*
	done
}

# pkg_dkms_state: what DKMS and the module trees hold of damon-pause now.
pkg_dkms_state() {
	dkms status damon-pause 2>/dev/null
	ls -d /var/lib/dkms/damon-pause /usr/src/damon-pause-* \
		/lib/modules/*/updates/dkms/damon_pause.ko* 2>/dev/null
}

# pkg_check_installed HOW KVER...: DKMS has the module installed for each
# kernel, its file is in updates/dkms, built for that kernel with VERSION.
pkg_check_installed() {
	local how=$1 k ko ok
	shift
	for k in "$@"; do
		ok=1
		dkms status -m damon-pause -v "$ver" -k "$k" 2> /dev/null |
			grep -q ': installed' ||
			{ ok=0; echo "    dkms status: $(dkms status damon-pause 2>&1)"; }
		ko=$(ls /lib/modules/"$k"/updates/dkms/damon_pause.ko* 2>/dev/null)
		if [ -z "$ko" ]; then
			ok=0
			echo "    no /lib/modules/$k/updates/dkms/damon_pause.ko*"
		elif [ "$(modinfo -F version "$ko")" != "$ver" ] ||
			[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" != "$k" ]; then
			ok=0
			echo "    $ko: version $(modinfo -F version "$ko"), vermagic $(modinfo -F vermagic "$ko")"
		fi
		[ $ok -eq 1 ] && pass "host:package:$how-installed-$k" ||
			fail "host:package:$how-installed-$k"
	done
}

# pkg_check_clean WHAT: nothing of damon-pause is left.
pkg_check_clean() {
	local left
	left=$(pkg_dkms_state)
	if [ -z "$left" ]; then
		pass "host:package:$1"
	else
		fail "host:package:$1" "left: ${left//$'\n'/ }"
	fi
}

# pkg_scriptlet RPM TAG: run the RPM's scriptlet (POSTIN, PREUN) as rpm
# would, each from a process of its own (DKMS's --rpm_safe_upgrade tells an
# upgrade from its caller's parent).
pkg_scriptlet() {
	local body
	body=$(rpm -qp --qf "%{$2}" "$1")
	TMPDIR=$pdir/tmp bash -c 'sh -e -c "$1"; rc=$?; exit $rc' _ "$body"
}

# package_check KDIR61 KDIR612 [KDIR73]: the kernel directories of
# kernel.sh (empty: no guest of that series).
package_check() {
	local k61dir=$1 k612dir=$2 k73dir=${3:-} pdir=$DP_BUILD/package ver kernels=() k h
	local src deb rpmf out ko lock name

	if [ "$(id -u)" -ne 0 ]; then
		skip host:package:setup "needs root (dpkg -i, dkms)"
		return 0
	fi
	for k in dpkg-buildpackage dh_dkms dkms lintian rpmbuild rpm2cpio; do
		command -v $k > /dev/null ||
			{ fail host:package:setup "no $k (tests/qemu/deps.sh)"; return 1; }
	done
	ver=$(cat "$DP_ROOT/VERSION")
	for k in 6.1 6.12; do
		h=$(dp_headers_of_series $k)
		[ -n "$h" ] && kernels+=("${h#/usr/src/linux-headers-}")
	done

	# One user of the machine's DKMS at a time.
	exec {lock}> /tmp/dp-dkms.lock
	flock "$lock"
	pkg_cleanup
	rm -rf "$pdir"
	mkdir -p "$pdir/tmp"

	# The Debian package, from a copy of the tree.
	src=$pdir/deb/damon-pause-$ver
	mkdir -p "$src"
	cp -r "$DP_ROOT"/{debian,dkms.conf,Kbuild,Makefile,VERSION,src,include,README.md} \
		"$src/"
	mkdir -p "$src/scripts" "$src/Documentation"
	cp "$DP_ROOT/scripts/damon-pause-exec" "$src/scripts/"
	cp "$DP_ROOT/Documentation/damon-pause-exec.8" "$src/Documentation/"
	deb=$pdir/deb/damon-pause-dkms_${ver}_all.deb
	if (cd "$src" && dpkg-buildpackage -b -us -uc) > "$pdir/deb.log" 2>&1 &&
		[ -f "$deb" ]; then
		pass host:package:deb-build
	else
		fail host:package:deb-build "see $pdir/deb.log"
		tail -n 20 "$pdir/deb.log" | sed 's/^/    /'
	fi
	if [ -f "$deb" ]; then
		out=$(dpkg-deb -c "$deb")
		if grep -q " ./usr/src/damon-pause-$ver/dkms.conf$" <<< "$out" &&
			grep -q " ./usr/src/damon-pause-$ver/src/main.c$" <<< "$out" &&
			grep -q " ./usr/src/damon-pause-$ver/include/damon_pause/damon.h$" <<< "$out" &&
			grep -q -E " ./usr/share/doc/damon-pause-dkms/README.md(.gz)?$" <<< "$out" &&
			grep -q -E "^-rwxr-xr-x .* ./usr/sbin/damon-pause-exec$" <<< "$out" &&
			grep -q -E " ./usr/share/man/man8/damon-pause-exec.8.gz$" <<< "$out" &&
			! grep -q '\.o$\|\.ko$\|\.cmd$' <<< "$out" &&
			dpkg-deb -f "$deb" Depends | grep -q '^dkms'; then
			pass host:package:deb-contents
		else
			fail host:package:deb-contents "$(dpkg-deb -f "$deb" Depends)"
			sed 's/^/    /' <<< "$out" | head -n 20
		fi
		# Errors and warnings fail; those we keep are overridden, with
		# the reason, in debian/*lintian-overrides.
		if lintian --fail-on error,warning --display-info \
			"$pdir"/deb/*.changes > "$pdir/lintian.log" 2>&1; then
			pass host:package:lintian
		else
			fail host:package:lintian "see $pdir/lintian.log"
		fi
		sed '/running with root privileges/d; s/^/    lintian: /' \
			"$pdir/lintian.log"
	fi

	# The RPM, from a tarball of the same files.
	mkdir -p "$pdir/rpm/src"
	cp -r "$src" "$pdir/rpm/src/damon-pause-$ver"
	rm -rf "$pdir/rpm/src/damon-pause-$ver/debian"
	tar -C "$pdir/rpm/src" -czf "$pdir/rpm/src/damon-pause-$ver.tar.gz" \
		"damon-pause-$ver"
	rpmf=$pdir/rpm/top/RPMS/noarch/damon-pause-dkms-$ver-1.noarch.rpm
	if rpmbuild -bb --define "_topdir $pdir/rpm/top" \
		--define "_sourcedir $pdir/rpm/src" \
		"$DP_ROOT/rpm/damon-pause-dkms.spec" > "$pdir/rpm.log" 2>&1 &&
		[ -f "$rpmf" ]; then
		pass host:package:rpm-build
	else
		fail host:package:rpm-build "see $pdir/rpm.log"
		tail -n 20 "$pdir/rpm.log" | sed 's/^/    /'
	fi
	if [ -f "$rpmf" ]; then
		out=$(rpm -qlp "$rpmf")
		if grep -qx "/usr/src/damon-pause-$ver/dkms.conf" <<< "$out" &&
			grep -qx "/usr/src/damon-pause-$ver/src/main.c" <<< "$out" &&
			grep -qx "/usr/src/damon-pause-$ver/include/damon_pause/damon.h" <<< "$out" &&
			grep -q "^/usr/share/doc/damon-pause-dkms.*/README.md$" <<< "$out" &&
			grep -qx /usr/sbin/damon-pause-exec <<< "$out" &&
			grep -q "^/usr/share/man/man8/damon-pause-exec.8" <<< "$out" &&
			! grep -v "^/usr/src/damon-pause-$ver\|^/usr/share/doc/\|^/usr/sbin/damon-pause-exec$\|^/usr/share/man/man8/damon-pause-exec.8" <<< "$out" &&
			rpm -qp --requires "$rpmf" | grep -qx dkms &&
			[ "$(rpm -qp --qf '%{ARCH}' "$rpmf")" = noarch ]; then
			pass host:package:rpm-contents
		else
			fail host:package:rpm-contents
			sed 's/^/    /' <<< "$out" | head -n 20
		fi
	fi

	# A hand build against a kernel older than 6.1 stops in Kbuild, with
	# why (a stand-in kernel tree: we have no old headers); 6.1 goes on.
	for k in 5.15 6.0 6.1; do
		mkdir -p "$pdir/oldkernel"
		printf '%s\n' "VERSION = ${k%.*}" "PATCHLEVEL = ${k#*.}" \
			'export VERSION PATCHLEVEL' 'src := $(M)' 'srctree := $(CURDIR)' \
			'include $(M)/Kbuild' 'modules: ; @echo "Kbuild read: $(obj-m)"' \
			> "$pdir/oldkernel/Makefile"
		out=$(make -C "$src" KDIR="$pdir/oldkernel" 2>&1)
		if [ $k = 6.1 ]; then
			grep -q 'Kbuild read: damon_pause.o' <<< "$out"
		else
			grep -q "damon_pause needs Linux 6.1 or newer; .* is Linux $k" <<< "$out"
		fi && pass "host:package:kbuild-$k" || {
			fail "host:package:kbuild-$k"
			sed 's/^/    /' <<< "$out" | tail -n 5
		}
	done

	# DKMS by hand, from a source tree (`dkms add .`: the source lands in
	# /usr/src/damon-pause-<version>). `dkms build -k` and `dkms install
	# -k` for each kernel are the RPM's %post, below.
	out=$pdir/rpm/src/damon-pause-$ver
	if dkms add "$out" > "$pdir/dkms-tree.log" 2>&1 &&
		[ -f "/usr/src/damon-pause-$ver/src/main.c" ] &&
		dkms status -m damon-pause -v "$ver" 2> /dev/null | grep -q ': added'; then
		pass host:package:dkms-add-tree
	else
		fail host:package:dkms-add-tree "see $pdir/dkms-tree.log"
	fi
	# DKMS refuses a kernel older than 6.1, saying why (no headers needed:
	# BUILD_EXCLUSIVE_KERNEL is checked first).
	out=$(dkms build "damon-pause/$ver" -k 5.10.0-30-amd64 2>&1)
	h=$?
	if [ $h -eq 77 ] && grep -q 'needs Linux 6.1 or newer' <<< "$out" &&
		[ ! -e /lib/modules/5.10.0-30-amd64 ]; then
		pass host:package:dkms-refuses-5.10
	else
		fail host:package:dkms-refuses-5.10 "status $h"
		sed 's/^/    /' <<< "$out" | tail -n 5
	fi
	dkms remove "damon-pause/$ver" --all >> "$pdir/dkms-tree.log" 2>&1
	rm -rf "/usr/src/damon-pause-$ver"
	pkg_check_clean dkms-removed

	# Install the .deb: its postinst (dh_dkms) has DKMS build and install
	# the module for every kernel with headers.
	if [ -f "$deb" ] && flock /tmp/dp-apt.lock dpkg -i "$deb" \
		> "$pdir/dpkg-i.log" 2>&1; then
		pass host:package:deb-install
	else
		fail host:package:deb-install "see $pdir/dpkg-i.log"
		tail -n 20 "$pdir/dpkg-i.log" | sed 's/^/    /'
	fi
	pkg_check_installed deb "${kernels[@]}"
	for k in "${kernels[@]}"; do
		ko=$(ls /lib/modules/"$k"/updates/dkms/damon_pause.ko* 2>/dev/null)
		[ -n "$ko" ] || continue
		mkdir -p "$pdir/ko/$k"
		cp "$ko" "$pdir/ko/$k/"
		# DKMS signs with its MOK key (the README's Secure Boot notes).
		out=$(modinfo -F signer "$ko")
		[ -n "$out" ] && [ -f /var/lib/dkms/mok.pub ] &&
			pass "host:package:signed-$k" || fail "host:package:signed-$k" "signer '$out'"
	done
	flock /tmp/dp-apt.lock dpkg --purge damon-pause-dkms > "$pdir/dpkg-purge.log" 2>&1 ||
		fail host:package:deb-purge "see $pdir/dpkg-purge.log"
	pkg_check_clean deb-purged

	# The RPM's scriptlets against DKMS, as rpm -i and rpm -e run them
	# (its files unpacked by hand: this is no RPM system).
	if [ -f "$rpmf" ]; then
		(cd / && rpm2cpio "$rpmf" | cpio -idm --quiet)
		pkg_scriptlet "$rpmf" POSTIN > "$pdir/rpm-post.log" 2>&1 ||
			fail host:package:rpm-post "see $pdir/rpm-post.log"
		pkg_check_installed rpm "${kernels[@]}"
		pkg_scriptlet "$rpmf" PREUN > "$pdir/rpm-preun.log" 2>&1 ||
			fail host:package:rpm-preun "see $pdir/rpm-preun.log"
		rm -rf "/usr/src/damon-pause-$ver"
		pkg_check_clean rpm-removed
	fi
	pkg_cleanup
	flock -u "$lock"
	exec {lock}>&-

	[ -f "$deb" ] && pkg_trixie "$deb"

	# The modules DKMS built, in guests of their kernels.
	for k in "${kernels[@]}"; do
		ko=$(ls "$pdir/ko/$k"/damon_pause.ko* 2>/dev/null)
		case $k in
		6.1.*) h=$k61dir name=package-6.1 ;;
		*) h=$k612dir name=package-6.12 ;;
		esac
		[ -n "$ko" ] && [ -n "$h" ] || continue
		run_guest $name "$h/vmlinuz" "$ko" package 300
	done
	ko=$(ls "$pdir"/ko/7.3.*/damon_pause.ko* 2>/dev/null | head -n 1)
	[ -z "$ko" ] || [ -z "$k73dir" ] ||
		run_guest package-7.3 "$k73dir/vmlinuz" "$ko" package 300
}

# pkg_trixie DEB: the .deb on Debian 13, in the trixie chroot (its dpkg and
# DKMS; tests/qemu/chroot.sh): installed, DKMS builds and installs the
# module for every kernel whose headers the chroot has (Debian 13's 6.12,
# trixie-backports' 7.x), each checked; purged, nothing left. The 7.3
# module is kept for a guest of that kernel.
pkg_trixie() {
	local deb=$1 run="$DP_ROOT/tests/qemu/chroot.sh" root k ko n=0 left
	if ! root=$("$run" dir trixie); then
		fail host:package:trixie-chroot
		return
	fi
	cp "$deb" "$root/tmp/"
	if "$run" run trixie dpkg -i "/tmp/${deb##*/}" > "$pdir/trixie-dpkg-i.log" 2>&1; then
		pass host:package:trixie-deb-install
	else
		fail host:package:trixie-deb-install "see $pdir/trixie-dpkg-i.log"
		tail -n 20 "$pdir/trixie-dpkg-i.log" | sed 's/^/    /'
	fi
	for k in $("$run" kernels | awk '$1 == "trixie" { print $2 }'); do
		n=$((n + 1))
		ko=$(ls "$root/lib/modules/$k/updates/dkms/"damon_pause.ko* 2>/dev/null | head -n 1)
		if [ -n "$ko" ] && [ "$(modinfo -F version "$ko")" = "$ver" ] &&
			[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$k" ]; then
			pass "host:package:trixie-installed-$k"
			case $k in
			7.3.*) mkdir -p "$pdir/ko/$k"; cp "$ko" "$pdir/ko/$k/" ;;
			esac
		else
			fail "host:package:trixie-installed-$k" "${ko:-no module} ($("$run" run trixie dkms status 2>&1 | tr '\n' ' '))"
		fi
	done
	"$run" run trixie dpkg --purge damon-pause-dkms > "$pdir/trixie-dpkg-purge.log" 2>&1 ||
		fail host:package:trixie-deb-purge "see $pdir/trixie-dpkg-purge.log"
	rm -f "$root/tmp/${deb##*/}"
	left=$(ls -d "$root"/var/lib/dkms/damon-pause "$root"/usr/src/damon-pause-* \
		"$root"/lib/modules/*/updates/dkms/damon_pause.ko* 2>/dev/null)
	if [ -z "$left" ] && [ $n -gt 0 ]; then
		pass host:package:trixie-deb-purged
	else
		fail host:package:trixie-deb-purged "left: ${left//$'\n'/ } (kernels: $n)"
	fi
}

# Alone: the harness's helpers, then this test.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -uo pipefail
	. "$(dirname "${BASH_SOURCE[0]}")/../check.sh"
	dp_build_workloads || fail host:build:workloads
	package_check "$("$DP_ROOT/tests/qemu/kernel.sh" stock 6.1)" \
		"$("$DP_ROOT/tests/qemu/kernel.sh" stock 6.12)" \
		"$("$DP_ROOT/tests/qemu/kernel.sh" stock 7.3)"
	summary
fi

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Chroots of newer Debian suites, for the kernels built with that suite's
# compiler: a module must be built with its kernel's compiler (as DKMS does
# on those systems). Made with mmdebstrap, cached under $DP_CACHE/chroots,
# keyed by the suite and the versions of the packages they hold. The
# suites' package indexes live in $DP_CACHE/apt/SUITE, never in this
# machine's apt sources.
#
#   chroot.sh kernels         the chroot kernels, one "SUITE ABI" a line:
#                             the newest of each series in the table below
#   chroot.sh dir SUITE       SUITE's chroot (made if needed); prints its dir
#   chroot.sh version SUITE PACKAGE
#                             PACKAGE's newest version in SUITE
#   chroot.sh download SUITE DIR PACKAGE...
#                             the packages' .debs from SUITE into DIR
#   chroot.sh run SUITE COMMAND...
#                             COMMAND as root in SUITE's chroot
#   chroot.sh build SUITE ABI SRC LOG [MAKE ARGS...]
#                             build the module sources in SRC (a copy, see
#                             dp_copy_sources) in SUITE's chroot against
#                             /usr/src/linux-headers-ABI; the .ko lands in
#                             SRC, make's output in LOG
#
# A suite's chroot holds gcc, make, libc6-dev (and perl and dkms for trixie) and the
# headers of all its kernels below. Made once in 6 to 10 minutes here (400
# to 800 MB); builds in it are as quick as here.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# The kernels: suite, and the ABI (what follows linux-headers-, without
# -amd64) as an extended regexp; the newest match in the suite is taken.
#   trixie   Debian 13's own 6.12 (trixie-security carries the newest),
#            trixie-backports' 7.3 and 7.2;
#   sid      unstable's kernel, whatever its version (7.2 today).
DP_CHROOT_TABLE='
trixie	6\.12\.[0-9]+\+deb13(\.[0-9]+)?
trixie	7\.3\.[0-9]+\+deb13(\.[0-9]+)?
trixie	7\.2\.[0-9]+\+deb13(\.[0-9]+)?
sid	[0-9]+\.[0-9]+\.[0-9]+\+deb14(\.[0-9]+)?
'
DP_MIRROR=http://deb.debian.org/debian
DP_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# The archive this machine reaches may be a snapshot, whose Release files
# are past their Valid-Until: apt is told not to mind (the signatures are
# still checked).

# Indexes older than this are fetched again (seconds).
DP_APT_MAX_AGE=$((12 * 3600))

sources_of() {
	case "$1" in
	trixie)
		echo "deb [signed-by=$DP_KEYRING] $DP_MIRROR trixie main"
		echo "deb [signed-by=$DP_KEYRING] $DP_MIRROR trixie-updates main"
		echo "deb [signed-by=$DP_KEYRING] ${DP_MIRROR}-security trixie-security main"
		echo "deb [signed-by=$DP_KEYRING] $DP_MIRROR trixie-backports main"
		;;
	sid) echo "deb [signed-by=$DP_KEYRING] $DP_MIRROR sid main" ;;
	bookworm-arm64)
		# Debian 12's arm64 packages (kernel, headers, busybox) for
		# the arm64 guests: downloaded only, never a chroot.
		echo "deb [arch=arm64 signed-by=$DP_KEYRING] $DP_MIRROR bookworm main"
		echo "deb [arch=arm64 signed-by=$DP_KEYRING] $DP_MIRROR bookworm-updates main"
		echo "deb [arch=arm64 signed-by=$DP_KEYRING] ${DP_MIRROR}-security bookworm-security main"
		;;
	*) dp_die "unknown suite $1 (trixie, sid or bookworm-arm64)" ;;
	esac
}

# apt_in SUITE COMMAND ARGS...: apt-get or apt-cache on SUITE's own indexes.
apt_in() {
	local d=$DP_CACHE/apt/$1 cmd=$2 arch=()
	shift 2
	case "$d" in
	*-arm64) arch=(-o APT::Architecture=arm64 -o APT::Architectures::=arm64) ;;
	esac
	"$cmd" -q "${arch[@]}" -o Dir::Etc::sourcelist="$d/sources.list" \
		-o Dir::Etc::sourceparts=- -o Dir::State::Lists="$d/lists" \
		-o Dir::Cache="$d/cache" -o Dir::State::status=/dev/null \
		-o Debug::NoLocking=1 -o Acquire::Check-Valid-Until=false "$@"
}

# refresh SUITE: its indexes, fetched when missing or old; old ones are
# kept (said so) when the archive cannot be reached.
refresh() {
	local d=$DP_CACHE/apt/$1 stamp age
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
	sources_of "$1" > "$d/sources.list.new"
	if ! cmp -s "$d/sources.list.new" "$d/sources.list"; then
		mv "$d/sources.list.new" "$d/sources.list"
		rm -f "$d/.dp-updated"
	fi
	rm -f "$d/sources.list.new"
	stamp=$(stat -c %Y "$d/.dp-updated" 2>/dev/null || echo 0)
	age=$(($(date +%s) - stamp))
	[ "$age" -gt "$DP_APT_MAX_AGE" ] || return 0
	dp_log "fetching the package indexes of $1"
	if apt_in "$1" apt-get update >&2; then
		touch "$d/.dp-updated"
	elif [ "$stamp" != 0 ]; then
		dp_log "could not update $1's indexes; using those of $(date -u -d "@$stamp")"
	else
		dp_die "could not fetch $1's package indexes"
	fi
}

version_in() {
	apt_in "$1" apt-cache policy "$2" | sed -n 's/^ *Candidate: //p'
}

# memo SUITE COMMAND...: COMMAND's output, kept until SUITE's indexes are
# fetched again (apt-cache takes seconds on a whole suite's indexes).
memo() {
	local suite=$1 f stamp out
	shift
	f=$DP_CACHE/apt/$suite/memo-$(echo "$*" | sha256sum | cut -c1-16)
	stamp=$(stat -c %Y "$DP_CACHE/apt/$suite/.dp-updated" 2>/dev/null || echo 0)
	if [ "$(head -n 1 "$f" 2>/dev/null)" != "$stamp" ]; then
		out=$("$@") || exit 1
		printf '%s\n%s\n' "$stamp" "$out" > "$f.$$"
		mv "$f.$$" "$f"
	fi
	tail -n +2 "$f"
}

# newest_headers SUITE REGEXP: the ABI of SUITE's newest linux-headers-ABI
# that REGEXP matches.
newest_headers() {
	local name
	name=$(apt_in "$1" apt-cache pkgnames linux-headers- |
		grep -E "^linux-headers-$2-amd64\$" | sort -V | tail -n 1)
	[ -n "$name" ] || dp_die "no linux-headers-$2-amd64 in $1"
	echo "${name#linux-headers-}"
}

kernels() {
	local suite re abi
	while read -r suite re; do
		[ -n "$suite" ] || continue
		refresh "$suite"
		abi=$(memo "$suite" newest_headers "$suite" "$re")
		echo "$suite $abi"
	done <<< "$DP_CHROOT_TABLE"
}

# versions SUITE PACKAGE...: "PACKAGE=VERSION" lines, the versions that
# SUITE's chroot would get.
versions() {
	local suite=$1 p v
	shift
	for p in "$@"; do
		v=$(version_in "$suite" "$p")
		[ -n "$v" ] || dp_die "$p: not in $suite"
		echo "$p=$v"
	done
}

# chroot_dir SUITE
chroot_dir() {
	local suite=$1 pkgs=(gcc make libc6-dev) abi p key dir tmp t0 mirrors old
	# 6.12's W=1 runs the Perl kernel-doc over our sources (7.x does not
	# for external modules): the full Perl, not minbase's perl-base. And
	# trixie's DKMS, which installs our .deb there (tests/package/check.sh).
	[ "$suite" = trixie ] && pkgs+=(perl dkms)
	for abi in $(kernels | awk -v s="$suite" '$1 == s { print $2 }'); do
		pkgs+=("linux-headers-$abi")
	done
	[[ ${pkgs[*]} == *linux-headers-* ]] || dp_die "no kernels of suite $suite"
	key=$(memo "$suite" versions "$suite" "${pkgs[@]}" | sha256sum | cut -c1-12)
	key=$( (echo "$suite"; echo "$key") | sha256sum | cut -c1-12)
	dir=$DP_CACHE/chroots/$suite-$key
	mkdir -p "$DP_CACHE/chroots"
	# One maker at a time (a second waits, then finds it made).
	exec 9> "$DP_CACHE/chroots/.$suite.lock"
	flock 9
	if [ ! -f "$dir/.dp-done" ]; then
		command -v mmdebstrap > /dev/null ||
			dp_die "mmdebstrap is not installed (tests/qemu/deps.sh)"
		dp_log "making the $suite chroot $dir: ${pkgs[*]}"
		mkdir -p "$DP_CACHE/chroots"
		tmp=$(mktemp -d "$DP_CACHE/chroots/tmp.XXXXXX")
		t0=$SECONDS
		mapfile -t mirrors < <(sources_of "$suite")
		if ! mmdebstrap --mode=root --variant=minbase \
			--include="$(IFS=,; echo "${pkgs[*]}")" \
			--aptopt='APT::Install-Recommends "false"' \
			--aptopt='Acquire::Check-Valid-Until "false"' \
			--dpkgopt='path-exclude=/usr/share/doc/*' \
			--dpkgopt='path-exclude=/usr/share/man/*' \
			--dpkgopt='path-exclude=/usr/share/locale/*' \
			"$suite" "$tmp/root" "${mirrors[@]}" >&2; then
			rm -rf "$tmp"
			dp_die "mmdebstrap $suite failed"
		fi
		for p in "${pkgs[@]}"; do
			# shellcheck disable=SC2016
			chroot "$tmp/root" dpkg-query -W -f='${Package}=${Version}\n' "$p"
		done > "$tmp/root/.dp-packages"
		echo "made in $((SECONDS - t0)) s, $(du -sh "$tmp/root" | cut -f1)" \
			> "$tmp/root/.dp-made"
		touch "$tmp/root/.dp-done"
		rm -rf "$dir"
		mv "$tmp/root" "$dir"
		rmdir "$tmp"
		dp_log "$suite chroot: $(cat "$dir/.dp-made")"
		# Older chroots of the suite (other package versions) go.
		for old in "$DP_CACHE/chroots/$suite"-*; do
			[ "$old" = "$dir" ] || rm -rf "$old"
		done
	fi
	exec 9>&-
	echo "$dir"
}

# build SUITE ABI SRC LOG [MAKE ARGS...]
build() {
	local suite=$1 abi=$2 src=$3 log=$4 root work rc=0
	shift 4
	root=$(chroot_dir "$suite")
	[ -d "$root/usr/src/linux-headers-$abi" ] ||
		dp_die "$suite chroot has no linux-headers-$abi"
	mkdir -p "$root/build"
	work=$(mktemp -d "$root/build/dp.XXXXXX")
	cp -r "$src/." "$work/"
	# The compiler's temporary files in the build's own directory: the
	# chroot is shared by every build that uses it.
	mkdir "$work/.tmp"
	# objtool reads /proc: a /proc of the build's own, in a mount (and
	# PID) namespace that ends with it, so nothing stays mounted.
	unshare --mount --pid --fork --mount-proc="$root/proc" \
		chroot "$root" /usr/bin/env TMPDIR="/build/${work##*/}/.tmp" \
		make -j"$(nproc)" -C "/build/${work##*/}" \
		KDIR="/usr/src/linux-headers-$abi" "$@" > "$log" 2>&1 || rc=$?
	cp "$work"/*.ko "$src/" 2>/dev/null || true
	rm -rf "$work"
	return $rc
}

# run SUITE COMMAND...: COMMAND as root in SUITE's chroot, with a /proc of
# its own (in a mount and PID namespace that ends with it).
run() {
	local root
	root=$(chroot_dir "$1")
	shift
	unshare --mount --pid --fork --mount-proc="$root/proc" \
		chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive "$@"
}

# download SUITE DIR PACKAGE...: the packages' .debs from SUITE, into DIR.
download() {
	local suite=$1 dir=$2
	shift 2
	refresh "$suite"
	# apt downloads as the unprivileged _apt user when it can.
	chmod 777 "$dir"
	(cd "$dir" && apt_in "$suite" apt-get download "$@" >&2)
}

case "${1:-}" in
kernels) kernels ;;
version) refresh "$2"; memo "$2" version_in "$2" "$3" ;;
download) shift; download "$@" ;;
dir) chroot_dir "$2" ;;
build) shift; build "$@" ;;
run) shift; run "$@" ;;
*) dp_die "usage: $0 kernels | dir trixie|sid | version SUITE PKG | download SUITE DIR PKG... | build SUITE ABI SRC LOG [ARGS] | run SUITE CMD..." ;;
esac

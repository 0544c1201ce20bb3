#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# damo.sh: the bundle that the damo scenario (tests/integration/damo.sh)
# runs in an x86_64 guest; prints its directory. DAMON's own user-space
# tool, damo, as Debian ships it (an Architecture: all package), from two
# suites' archives the way the harness downloads other suites' packages
# (tests/qemu/chroot.sh download: never this machine's apt sources):
# unstable's (3.x) and trixie's (2.x). Nothing of damo is committed here,
# nor changed: its files are unpacked as they are.
#
# The bundle, cached under $DP_CACHE/damo/, keyed by what it is made of:
#   damo/VERSION/      each damo: bin/damo (Debian's entry script) and
#                      lib/ (its dist-packages: the damo package and its
#                      metadata, which the entry script reads);
#   versions           the damo versions, one a line;
#   root/              what the guest needs to run them, at the host's
#                      paths: Debian's python3 and its stdlib (less what
#                      no program of damo's can import: tests, tkinter,
#                      idle, the build configuration), perf (damo's
#                      default tracer; Debian 12's linux-perf), procps'
#                      ps (damo asks it whether its targets run, with
#                      options busybox's lacks), file (with its magic:
#                      damo tells a record's format by it) and less
#                      (damo pages long reports through it, with options
#                      busybox's lacks; GNU less copies to a pipe), with
#                      their shared libraries.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

suites="sid trixie"
py=$(readlink -f /usr/bin/python3)
perf=$(readlink -f /usr/bin/perf)
ps_bin=$(readlink -f /usr/bin/ps)
file_bin=$(readlink -f /usr/bin/file)
less_bin=$(readlink -f /usr/bin/less)
magic=$(readlink -f /usr/share/misc/magic.mgc)
for f in "$py" "$perf" "$ps_bin" "$file_bin" "$less_bin"; do
	[ -x "$f" ] || dp_die "no $f (python3, linux-perf, procps, file, less)"
done

vers=""
for s in $suites; do
	v=$("$DP_ROOT/tests/qemu/chroot.sh" version "$s" damo)
	[ -n "$v" ] || dp_die "no damo in $s"
	vers+="$s=$v "
done
key=$( (echo "$vers"; cat "$0"; sha256sum "$py" "$perf" "$ps_bin" "$file_bin" "$less_bin" "$magic") |
	sha256sum | cut -c1-16)
out=$DP_CACHE/damo/$key
if [ -f "$out/.dp-done" ]; then
	echo "$out"
	exit 0
fi
dp_log "preparing damo ($vers) for the guests"
rm -rf "$DP_CACHE"/damo/*
mkdir -p "$out/root" "$out/debs"

for s in $suites; do
	"$DP_ROOT/tests/qemu/chroot.sh" download "$s" "$out/debs" damo
done
: > "$out/versions"
for deb in "$out"/debs/damo_*_all.deb; do
	x=$(mktemp -d)
	dpkg-deb -x "$deb" "$x"
	v=$(dpkg-deb -f "$deb" Version)
	v=${v%-*}
	mkdir -p "$out/damo/$v/bin"
	cp "$x/usr/bin/damo" "$out/damo/$v/bin/damo"
	cp -r "$x/usr/lib/python3/dist-packages" "$out/damo/$v/lib"
	rm -rf "$x"
	# Its bytecode, made here by the same python3: the emulated guest
	# would spend seconds compiling it at each run.
	"$py" -m compileall -q "$out/damo/$v/lib" > /dev/null
	echo "$v" >> "$out/versions"
done
rm -rf "$out/debs"

# copy_with_libs FILE: FILE and its shared libraries into root/.
copy_with_libs() {
	local f
	for f in "$1" $(ldd "$1" | grep -o '/[^ ]*'); do
		[ -e "$out/root$f" ] && continue
		mkdir -p "$out/root$(dirname "$f")"
		cp -L "$f" "$out/root$f"
	done
}
copy_with_libs "$py"
copy_with_libs "$perf"
copy_with_libs "$ps_bin"
copy_with_libs "$file_bin"
copy_with_libs "$less_bin"
mkdir -p "$out/root$(dirname "$magic")" "$out/root/usr/share/misc"
cp "$magic" "$out/root$magic"
ln -sf "$magic" "$out/root/usr/share/misc/magic.mgc"
ln -sf "$(basename "$py")" "$out/root/usr/bin/python3"
# The whole stdlib but what no part of damo imports: a run on the host
# cannot show every import of every path (record, report, tune), and
# the .pyc files go too, so that the emulated guest does not compile.
pyver=$("$py" -c 'import sys; print("python%d.%d" % sys.version_info[:2])')
stdlib=/usr/lib/$pyver
mkdir -p "$out/root$stdlib"
tar -C "$stdlib" --exclude='./test' --exclude='./idlelib' \
	--exclude='./tkinter' --exclude='./turtledemo' --exclude='./lib2to3' \
	--exclude='./ensurepip' --exclude='./distutils' \
	--exclude='./config-*' --exclude='./site-packages' \
	--exclude='./dist-packages' -cf - . | tar -C "$out/root$stdlib" -xf -
for f in "$stdlib"/lib-dynload/*.so; do
	copy_with_libs "$f"
done
touch "$out/.dp-done"
echo "$out"

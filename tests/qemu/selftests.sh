#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# selftests.sh [SERIES]: the bundle of upstream's DAMON selftests that the
# selftests scenario (tests/integration/selftests.sh) runs in a guest;
# prints its directory. Nothing of upstream is ever committed to this
# repository: the tests come, at run time, from linux-source of SERIES
# (6.12, the default: the installed package; 7.3: trixie-backports'; the
# trees kernel.sh extracts into the cache), and the bundle is cached under
# $DP_CACHE/selftests/SERIES/, keyed by what it is made of (the source's
# version, the host's python3, bash and gcc, this script).
#
# The bundle:
#   upstream/   the tests that drive the sysfs tree, as upstream wrote them,
#               with their helpers (access_memory*.c) built statically: run
#               against the in-kernel DAMON, as the calibration;
#   ours/       the same, pointed at /sys/kernel/mm/damon_pause/admin by a
#               sed of the root path (sysfs.sh's argument, the scripts'
#               damon_sysfs=, _damon_sysfs.py's sysfs_root), less the
#               checks of what ours lacks of 7.x's tree (ours-removed);
#   tests       the tests to run, one a line: the Makefile's TEST_PROGS that
#               use the sysfs tree (they name kernel/mm/damon/admin or
#               import _damon_sysfs);
#   helpers     the helpers built, one a line;
#   not-run     the other TEST_PROGS (debugfs_*, reclaim.sh, lru_sort.sh:
#               other interfaces), "NAME why" a line;
#   keywords    "FILE KEYWORD..." a line: what each enum-like file of the
#               tree accepts, from the arrays of mm/damon/sysfs*.c (6.12's
#               strings, 7.x's structs with a .name);
#   root/       what the guest needs to run them, at the host's paths:
#               Debian's python3 with the part of its stdlib the tests
#               import (found by running what they do, below), and bash,
#               with their shared libraries.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=${1:-6.12}
src=$("$DP_ROOT/tests/qemu/kernel.sh" source "$series")
st=$src/tools/testing/selftests/damon
[ -f "$st/Makefile" ] || dp_die "no DAMON selftests in $src"
py=$(readlink -f /usr/bin/python3)
bash_bin=$(readlink -f /bin/bash)
[ -x "$py" ] || dp_die "no /usr/bin/python3 (Debian's python3 package)"

key=$( (cat "$src/.dp-version" "$0"; sha256sum "$py" "$bash_bin"
	gcc --version | head -n 1) | sha256sum | cut -c1-16)
out=$DP_CACHE/selftests/$series/$key
if [ -f "$out/.dp-done" ]; then
	echo "$out"
	exit 0
fi
dp_log "preparing the DAMON selftests of linux-source $(cat "$src/.dp-version")"
# Older bundles of the series (another source, python3, or version of this
# script) go.
rm -rf "$DP_CACHE/selftests/$series"/* "$DP_CACHE"/selftests/[0-9a-f]*[0-9a-f]
mkdir -p "$out/upstream" "$out/ours" "$out/root"

# The tests: TEST_PROGS of the Makefile that use the sysfs tree.
progs=$(awk '/^TEST_PROGS[ \t]*\+?=/ { sub(/^TEST_PROGS[ \t]*\+?=/, ""); print }' \
	"$st/Makefile" | tr -s ' \t' '\n' | sed '/^$/d')
: > "$out/tests"
: > "$out/not-run"
for t in $progs; do
	if grep -q -e 'kernel/mm/damon/admin' -e '^import _damon_sysfs' "$st/$t"; then
		echo "$t" >> "$out/tests"
	else
		echo "$t other interface (not the sysfs tree)" >> "$out/not-run"
	fi
done
[ -s "$out/tests" ] || dp_die "no sysfs test in $st/Makefile's TEST_PROGS"

# The tests, their libraries (the Makefile's TEST_FILES), and the helpers
# they start (./NAME), built static as our own workloads are.
files=$(awk '/^TEST_FILES[ \t]*\+?=/ { sub(/^TEST_FILES[ \t]*\+?=/, ""); print }' \
	"$st/Makefile" | tr -s ' \t' '\n' | sed '/^$/d')
for t in $(cat "$out/tests") $files; do
	cp "$st/$t" "$out/upstream/"
done
: > "$out/helpers"
for c in "$st"/*.c; do
	n=$(basename "$c" .c)
	# shellcheck disable=SC2046
	grep -q -E "\./$n([^A-Za-z0-9_]|\$)" $(sed "s|^|$st/|" "$out/tests") ||
		continue
	gcc -O2 -static -o "$out/upstream/$n" "$c" ||
		dp_die "could not build $n"
	echo "$n" >> "$out/helpers"
done
cp "$out/upstream/"* "$out/ours/"
# Ours: the same tests on our root. What still names upstream's root after
# the sed is a path we missed: refuse the bundle rather than test the
# in-kernel DAMON twice.
sed -i 's|/kernel/mm/damon/admin|/kernel/mm/damon_pause/admin|g' \
	"$out"/ours/*.py "$out"/ours/*.sh
if grep -n -E 'mm/damon\b' "$out"/ours/*.py "$out"/ours/*.sh >&2; then
	dp_die "the sed left upstream's root in ours/ (above)"
fi
# Ours only: the checks of the parts of a newer tree that ours lacks so
# far (ST_GAPS in the scenario; none since addr_unit and the probes came)
# are taken out, so that the rest of each test still runs on ours; every
# line taken out is in ours-removed ("FILE: LINE"), which the scenario
# says.  Each gap is an extended regexp of a line of the tests.
gaps=()
: > "$out/ours-removed"
for gap in "${gaps[@]}"; do
	for f in "$out"/ours/*.sh; do
		grep -E "$gap" "$f" | sed "s|^[[:space:]]*|$(basename "$f"): |" \
			>> "$out/ours-removed" || true
		sed -i -E "\|$gap|d" "$f"
	done
done

# The keywords of each enum-like file, from the sources' arrays: 6.12's
# are "static const char * const NAME[] = {" of strings, 7.x's arrays of
# structs ("[static ]struct TYPE[ NAME[] = {]", the name maybe on the next
# line) whose .name is the keyword.
awk '
FNR == 1 { arr = "" }
arr == "" && /^(static )?(const )?(char \* const|struct [a-z_]+)$/ { pending = 1; next }
arr == "" && (pending || /^(static )?(const )?(char \* const|struct [a-z_]+) [a-z_]+\[\] = \{$/) &&
    match($0, /[a-z_]+\[\] = \{/) {
	arr = substr($0, RSTART, RLENGTH)
	sub(/\[\].*/, "", arr)
	words = ""
	pending = 0
	next
}
{ pending = 0 }
arr != "" && /^\};/ {
	file = ""
	if (arr ~ /^damon_sysfs_ops_(strs|names)$/) file = "operations"
	if (arr == "damon_sysfs_cmd_strs") file = "state"
	if (arr ~ /^damo[ns]_sysfs(_damos)?_action_(strs|names)$/) file = "action"
	if (arr ~ /^(damon_sysfs_scheme_filter_type_strs|damos_sysfs_filter_type_names)$/) file = "type"
	if (arr ~ /^damos_sysfs_(quota_goal|qgoal)_metric_(strs|names)$/) file = "target_metric"
	if (arr ~ /^damo[ns]_sysfs_wmark_metric_(strs|names)$/) file = "metric"
	if (file != "") print file words
	arr = ""
	next
}
arr != "" && match($0, /"[a-z_0-9]+"/) { words = words " " substr($0, RSTART + 1, RLENGTH - 2) }
' "$src"/mm/damon/sysfs*.c > "$out/keywords"
[ "$(wc -l < "$out/keywords")" -eq 6 ] ||
	dp_die "expected 6 keyword arrays in mm/damon/sysfs*.c, found: $(cut -d' ' -f1 "$out/keywords" | tr '\n' ' ')"

# copy_with_libs FILE: FILE and its shared libraries into root/, at their
# paths on this machine.
copy_with_libs() {
	local f
	for f in "$1" $(ldd "$1" | grep -o '/[^ ]*'); do
		mkdir -p "$out/root$(dirname "$f")"
		cp -L "$f" "$out/root$f"
	done
}
copy_with_libs "$py"
ln -s "$(basename "$py")" "$out/root/usr/bin/python3"
copy_with_libs "$bash_bin"

# The stdlib the tests import: what a run of python3 as the guest runs it
# (no environment, the tests' directory, site on) has loaded once it has
# imported every test and done what they do at run time (start a child,
# poll, terminate and wait for it, sleep, fail a write and format the
# error, format a figure). Each module with its compiled form, mtimes kept
# so that the .pyc stay valid; lib-dynload must exist, or python3 warns.
pyver=$("$py" -c 'import sys; print("python%d.%d" % sys.version_info[:2])')
tag=$("$py" -c 'import sys; print(sys.implementation.cache_tag)')
stdlib=/usr/lib/$pyver
mods=$(cd "$out/upstream" && env -i PYTHONDONTWRITEBYTECODE=1 "$py" - <<-'EOF'
	import glob, os, subprocess, sys, time
	for f in glob.glob('*.py'):
	    try:
	        __import__(f[:-3])
	    except ImportError:
	        pass  # drgn's scripts: the guest has no drgn either
	    except SystemExit:
	        pass
	p = subprocess.Popen(['sleep', '1'])
	time.sleep(0.1)
	p.poll()
	p.terminate()
	p.wait()
	try:
	    open('/nonexistent/dp', 'w').write('1')
	except Exception as e:
	    s = '%s %d %.3f' % (e, 1, 0.5)
	print('\n'.join(sorted(set(getattr(m, '__file__', None) or ''
	                           for m in sys.modules.values()))))
	EOF
)
mkdir -p "$out/root$stdlib/lib-dynload"
for f in $mods; do
	case "$f" in
	"$stdlib"/*) ;;
	*) continue ;;
	esac
	[ "$(basename "$f")" = sitecustomize.py ] && continue
	d=$(dirname "$f")
	b=$(basename "$f" .py)
	mkdir -p "$out/root$d/__pycache__"
	cp -L -p "$f" "$out/root$f"
	pyc=$d/__pycache__/$b.$tag.pyc
	[ -f "$pyc" ] && cp -p "$pyc" "$out/root$pyc"
done
[ -f "$out/root$stdlib/os.py" ] || dp_die "the stdlib walk found no os.py"
touch "$out/.dp-done"
echo "$out"

# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.12 stock-7.3
# order: 150
# Where: the kernels whose linux-source we bundle the selftests
# of and whose in-kernel DAMON calibrates them: 6.12's on stock-6.12,
# 7.3's on stock-7.3.
#
# Upstream's own DAMON selftests against our tree, with the in-kernel DAMON
# of the same guest as the calibration; then a file-by-file diff of the two
# trees. The tests are tools/testing/selftests/damon of the linux-source
# of the guest's kernel (6.12's; 7.3's on stock-7.3, where those written
# for drgn skip), bundled at run time by tests/qemu/selftests.sh (nothing
# of upstream is in this repository): every test of its Makefile's
# TEST_PROGS that drives the
# sysfs tree (sysfs.sh, sysfs_update_removed_scheme_dir.sh and the Python
# ones built on _damon_sysfs.py), with their helpers built static, as
# upstream wrote them (upstream/) and pointed at our root by a sed of the
# root path (ours/). Not run: debugfs_* (the debugfs interface, which
# Debian's 6.12 does not build), reclaim.sh and lru_sort.sh (the parameters
# of DAMON_RECLAIM and DAMON_LRU_SORT): other interfaces than the sysfs
# tree; said in an INFO line.
#
# Each test runs against ours, with the in-kernel tree idle; then, with
# our module unloaded, against the in-kernel DAMON where it matters: the
# tests that failed on ours (the calibration that tells a difference of
# ours from a test or an emulation that fails anywhere), or every test
# with DP_SELFTESTS_CALIBRATE=all on the kernel command line (the harness
# passes it through). The two never run kdamonds at once. A test gets
# ST_LIMIT seconds, one try on each tree, and on ours a second one where
# the in-kernel DAMON does not fail it too (emulation misses some of
# upstream's figures now and then, on both trees: a pass on the second
# try is said). Per test, the outcomes are said (INFO), and the verdict
# is ours':
#   PASS  it passes on ours;
#   FAIL  it fails on ours (an error, or the time limit) and passes on the
#         in-kernel DAMON, or the in-kernel DAMON cannot say (absent,
#         skipped): a difference of ours;
#   SKIP  it fails on both at the same check (the test, the harness or
#         the emulation: said, not hidden; st_sig), or skips on ours
#         (kselftest's exit 4); failing on both at different checks is a
#         FAIL.
#
# The tree diff (INFO lines, "tree ..."): both trees set to the same shape
# (one kdamond, context, target, region, scheme, quota goal, filter), then
# every path's kind, mode and default value; the keywords upstream's
# enum-like files accept (operations, action, filter type, goal metric,
# watermark metric: the arrays of mm/damon/sysfs*.c), each written to both
# trees, the answers compared; the state commands, each written in both
# states (off, then on with a sleeping target); the tried regions' files.
# Checks: tree-no-missing-path, every path of the in-kernel tree is in
# ours, but the parts of 7.x's listed in ST_GAPS (said);
# tree-gaps-still-missing, that ours still lacks what that list says
# (none while the list is empty); tree-differences-known, that every
# difference in kinds, modes, defaults, keyword and state command
# answers and tried regions' files is a known one (ST_KNOWN, per kernel
# series).
#
# Time: 63 s in a full run of stock-6.12, 177 s on stock-7.3 (before a
# test failing on both ran once on each: 44 s less there), of which the
# tree diff 6 to 20 s;
# the in-kernel sysfs.sh alone takes 20 to 50 s (300 stat and write
# forks under emulation), ours as long once it no longer stops at its
# first refused write.

ST=/dp/selftests
UP=/sys/kernel/mm/damon/admin
W=/tmp/selftests
ST_LIMIT=$((120 * DP_SLOW))
read -r st_t0 _ < /proc/uptime
rm -rf $W
mkdir -p $W
[ -d $ST/ours ] && [ -x /usr/bin/python3 ] && [ -x /usr/bin/bash ] ||
	dp_abort "no selftests bundle in the initramfs (see host:build:selftests)"
[ -d $UP ] || dp_info "selftests: no in-kernel DAMON sysfs tree; no calibration"
dp_damon_stat_stop
dp_info "selftests: not run (other interfaces than the sysfs tree): $(cut -d' ' -f1 $ST/not-run | tr '\n' ' ')"
while read -r line; do
	dp_info "selftests: taken out of ours (a part of 7.x's tree ours lacks, ST_GAPS): $line"
done < $ST/ours-removed
# The helpers a timed-out test may leave running.
helpers=$(cat $ST/helpers)

# st_idle ROOT: every kdamond of the tree off, none left; the helpers gone.
st_idle() {
	local kd
	# shellcheck disable=SC2086
	killall $helpers 2>/dev/null
	[ -d "$1" ] || return 0
	for kd in "$1"/kdamonds/[0-9]*; do
		[ -d "$kd" ] || continue
		[ "$(cat "$kd/state")" = off ] || echo off > "$kd/state"
	done
	echo 0 > "$1/kdamonds/nr_kdamonds"
}

# st_run1 TREE TEST: one test from $ST/TREE (upstream, ours) as kselftest
# runs it (its directory the working one, root, bash or python3); prints
# its outcome, "pass", "skip (...)", "FAIL (...)" or "TIMEOUT (...)", then
# the seconds it took; its output in $W/TREE.TEST.log.
st_run1() {
	local tree=$1 t=$2 sh=/usr/bin/bash log=$W/$1.$2.log t0 t1 rc what
	case "$t" in
	*.py) sh=/usr/bin/python3 ;;
	esac
	read -r t0 _ < /proc/uptime
	(cd $ST/$tree && PYTHONUNBUFFERED=1 timeout -k 5 $ST_LIMIT $sh "./$t") \
		> "$log" 2>&1 < /dev/null
	rc=$?
	read -r t1 _ < /proc/uptime
	t0=${t0%.*} t1=${t1%.*}
	# Its output on one line: the first 160 and the last 120 characters.
	what=$(tr '\n' '|' < "$log" | sed 's/|$//; s/|/ | /g' |
		awk '{ if (length($0) > 300) $0 = substr($0, 1, 160) " ... " substr($0, length($0) - 119); print }')
	if [ $rc -eq 0 ]; then
		echo pass
	elif [ $((t1 - t0)) -ge $ST_LIMIT ]; then
		echo "TIMEOUT (${ST_LIMIT} s: $what)"
	elif [ $rc -eq 4 ]; then
		echo "skip (exit 4: $what)"
	else
		echo "FAIL (exit $rc: $what)"
	fi
	echo $((t1 - t0))
}

# st_run TREE TEST ROOT: one try of the test; $W/TREE.TEST.outcome gets
# its outcome, $W/TREE.TEST.said how it went ("pass (4 s)", "FAIL (5 s)").
st_run() {
	local o s
	{ read -r o; read -r s; } <<-EOF
	$(st_run1 "$1" "$2")
	EOF
	st_idle "$3" || dp_fail "$2-idle-$1" "the tree could not be emptied"
	echo "$o" > "$W/$1.$2.outcome"
	echo "$s" > "$W/$1.$2.secs"
	echo "${o%% *} ($s s)" > "$W/$1.$2.said"
}

# st_again TREE TEST ROOT: a second try of a test that failed (or timed
# out) on TREE: under emulation some of upstream's figures miss now and
# then, on both trees. The second outcome is the verdict's; the said
# becomes "FAIL, FAIL (5 s, 5 s)" or "pass on the second try (FAIL, pass:
# 5 s, 4 s)".
st_again() {
	local o1 s1 o2 s2
	o1=$(cat "$W/$1.$2.outcome") s1=$(cat "$W/$1.$2.secs")
	{ read -r o2; read -r s2; } <<-EOF
	$(st_run1 "$1" "$2")
	EOF
	st_idle "$3" || dp_fail "$2-idle-$1-again" "the tree could not be emptied"
	if [ "$o2" = pass ]; then
		echo "pass on the second try (${o1%% *}, pass: $s1 s, $s2 s)" > "$W/$1.$2.said"
		dp_info "selftests $2: $1, first try: $o1"
	else
		echo "${o1%% *}, ${o2%% *} ($s1 s, $s2 s)" > "$W/$1.$2.said"
	fi
	echo "$o2" > "$W/$1.$2.outcome"
}

# st_failed TREE TEST: whether TEST's last try failed or timed out.
st_failed() {
	case "$(cat "$W/$1.$2.outcome")" in
	FAIL*|TIMEOUT*) return 0 ;;
	esac
	return 1
}

# st_sig TREE TEST: where the last try of TEST failed on TREE, to hold
# against the other tree's: TIMEOUT, or the exit status with the first
# line of its output that is no pass (the failed check: sysfs.sh's
# "writing X to F failed", a Python test's "quota is not kept: ...", a
# traceback's start) and its last line (the reason, the exception), the
# trees' roots and all numbers made alike. A test failing on both trees
# is a skip only where both fail at that same check: a harness or
# emulation fault breaks both alike, a difference of ours breaks ours
# elsewhere.
st_sig() {
	case "$(cat "$W/$1.$2.outcome")" in
	TIMEOUT*) echo TIMEOUT; return ;;
	esac
	sed -n 's/^FAIL (exit \([0-9]*\):.*/exit \1|/p' "$W/$1.$2.outcome" | tr -d '\n'
	{
		grep -v -i -E '^[[:space:]]*(pass|ok)([[:space:]]|$)' "$W/$1.$2.log" | grep -v '^[[:space:]]*$' | head -n 1
		grep -v '^[[:space:]]*$' "$W/$1.$2.log" | tail -n 1
	} | sed -e "s|$DP_ADMIN|ROOT|g; s|$UP|ROOT|g" -e 's/[0-9][0-9]*/N/g' | tr '\n' '|' | sed 's/|$//'
}

# Ours, the in-kernel tree idle; one try each.
st_idle $UP
insmod "$DP_MODULE" || dp_abort "insmod $DP_MODULE"
for t in $(cat $ST/tests); do
	st_run ours "$t" "$DP_ADMIN"
done
st_idle "$DP_ADMIN"
rmmod damon_pause || dp_fail unload-before-calibration "rmmod damon_pause"

# The calibration: the in-kernel DAMON, our module not loaded, one try of
# each test that failed on ours. A test failing on both at the same check
# is decided by then (a skip: the test's, the harness's or the
# emulation's); a second try of each would cost as much again (44 s for
# 7.3's wss_estimation alone) to say the same.
for t in $(cat $ST/tests); do
	if [ ! -d $UP ]; then
		echo "skip (no in-kernel DAMON sysfs tree)" > "$W/upstream.$t.outcome"
		echo "skip" > "$W/upstream.$t.said"
	elif [ "${DP_SELFTESTS_CALIBRATE:-}" = all ] || st_failed ours "$t"; then
		st_run upstream "$t" $UP
	else
		echo "not run" > "$W/upstream.$t.outcome"
		echo "not run (passes on ours)" > "$W/upstream.$t.said"
	fi
done
insmod "$DP_MODULE" || dp_abort "insmod $DP_MODULE (after the calibration)"

# Ours' second try where the in-kernel DAMON does not fail the test too:
# where it would be a difference of ours, one miss of the emulation is not
# enough to say so.
for t in $(cat $ST/tests); do
	st_failed ours "$t" && ! st_failed upstream "$t" &&
		st_again ours "$t" "$DP_ADMIN"
done
st_idle "$DP_ADMIN"

for t in $(cat $ST/tests); do
	ours=$(cat "$W/ours.$t.outcome")
	up=$(cat "$W/upstream.$t.outcome")
	dp_info "selftests $t: ours $(cat "$W/ours.$t.said"), in-kernel $(cat "$W/upstream.$t.said")"
	[ "$ours" = pass ] || dp_info "selftests $t: ours: $ours"
	case "$up" in
	pass|"not run") ;;
	*) dp_info "selftests $t: in-kernel: $up" ;;
	esac
	case "$ours" in
	pass) dp_pass "$t" ;;
	skip*) dp_skip "$t" "skipped on ours: $ours" ;;
	*)
		case "$up" in
		FAIL*|TIMEOUT*)
			so=$(st_sig ours "$t") su=$(st_sig upstream "$t")
			if [ "$so" = "$su" ]; then
				dp_skip "$t" "fails on both, at the same check: $so"
			else
				dp_fail "$t" "fails on both, at different checks: ours '$so', in-kernel '$su'"
			fi
			;;
		*) dp_fail "$t" "fails on ours, in-kernel ${up%% *}: $ours" ;;
		esac
		;;
	esac
done

read -r st_t1 _ < /proc/uptime
dp_info "selftests: the tests took $((${st_t1%.*} - ${st_t0%.*})) s"

# The tree diff: both trees in the same shape; neither runs a kdamond
# while the other does.
st_shape() {
	local c=$1/kdamonds/0/contexts/0
	echo 1 > "$1/kdamonds/nr_kdamonds" &&
		echo 1 > "$1/kdamonds/0/contexts/nr_contexts" &&
		echo 1 > "$c/targets/nr_targets" &&
		echo 1 > "$c/targets/0/regions/nr_regions" &&
		echo 1 > "$c/schemes/nr_schemes" &&
		echo 1 > "$c/schemes/0/quotas/goals/nr_goals" &&
		echo 1 > "$c/schemes/0/filters/nr_filters"
}

# st_walk ROOT: "PATH KIND MODE VALUE" a line, sorted, PATH below ROOT;
# VALUE is a file's content, lines joined by ",", "-" for a directory.
st_walk() {
	local p v
	find "$1" -mindepth 1 | sort | while read -r p; do
		if [ -d "$p" ]; then
			v=-
		else
			v=$(cat "$p" 2>&1 | tr '\n' ',' | sed 's/,$//; s/ /_/g')
		fi
		echo "${p#"$1"/} $(stat -c '%F %a' "$p" | sed 's/regular file/file/') ${v:-''}"
	done
}

[ -d $UP ] || { dp_skip tree-no-missing-path "no in-kernel DAMON sysfs tree"; st_idle "$DP_ADMIN"; rmmod damon_pause; dp_damon_stat_restore; return 0; }
st_shape $UP || dp_fail tree-shape-in-kernel "could not set up the in-kernel tree"
st_shape "$DP_ADMIN" || dp_info "selftests tree: our tree refused a write of the shape"
st_walk $UP > $W/walk.up
st_walk "$DP_ADMIN" > $W/walk.ours
dp_info "selftests tree: $(wc -l < $W/walk.up) paths in-kernel, $(wc -l < $W/walk.ours) ours"

# A line per difference; the missing paths also in $W/missing.
awk -v missing=$W/missing '
NR == FNR { up[$1] = $0; next }
{ ours[$1] = $0 }
END {
	printf "" > missing
	for (p in up) {
		split(up[p], u, " ")
		if (!(p in ours)) {
			print "missing in ours: " p " (" u[2] " " u[3] ", in-kernel " u[4] ")"
			print p > missing
			continue
		}
		split(ours[p], o, " ")
		if (u[2] != o[2])
			print "kind differs: " p ": in-kernel " u[2] ", ours " o[2]
		if (u[3] != o[3])
			print "mode differs: " p ": in-kernel " u[3] ", ours " o[3]
		if (u[4] != o[4])
			print "default differs: " p ": in-kernel " u[4] ", ours " o[4]
	}
	for (p in ours)
		if (!(p in up))
			print "only in ours: " p
}' $W/walk.up $W/walk.ours | sort > $W/tree.diff
while read -r line; do
	dp_info "selftests tree: $line"
done < $W/tree.diff
# The differences held against the known ones (below, ST_KNOWN): kinds,
# modes and defaults here (a missing path has its own check; a path only
# in ours is one of 7.x's that this kernel's tree lacks).
grep -E '^(kind|mode|default) differs: ' $W/tree.diff > $W/diffs
[ -s $W/tree.diff ] || dp_info "selftests tree: same paths, kinds, modes and defaults"
# The parts of newer trees (7.x's) that ours lacks so far, as extended
# regexps of paths: said, not failed; a listed part that the in-kernel tree
# has and ours has too fails, so that the list stays true.
# None since addr_unit and the probes came (one regexp a line when some).
ST_GAPS=
if [ -n "$ST_GAPS" ]; then echo "$ST_GAPS"; fi > $W/gaps
# st_match WANT HOW PATTERNS FILE: the lines of FILE that match (WANT 1)
# or do not match (WANT 0) a line of PATTERNS, as extended regexps (HOW
# re) or whole (eq). Not grep -f: busybox's -x -F matches every line with
# an empty pattern file (an empty list of known differences would have
# passed them all).
st_match() {
	awk -v want=$1 -v how=$2 -v f=$3 '
	BEGIN { while ((getline l < f) > 0) if (l != "") p[++n] = l }
	{
		m = 0
		for (i = 1; i <= n && !m; i++)
			m = how == "re" ? $0 ~ p[i] : $0 == p[i]
		if (m == want)
			print
	}' $4
}
st_match 1 re $W/gaps $W/missing > $W/missing.gaps
st_match 0 re $W/gaps $W/missing > $W/missing.new
[ -s $W/missing.gaps ] &&
	dp_info "selftests tree: missing in ours, known: $(tr '\n' ' ' < $W/missing.gaps)"
missing=$(sort $W/missing.new | tr '\n' ' ')
if [ -z "$missing" ]; then
	dp_pass tree-no-missing-path
else
	dp_fail tree-no-missing-path "$(wc -l < $W/missing.new) paths of the in-kernel tree missing in ours: $missing"
fi
# (With no gap listed there is nothing to hold true: no result.)
if [ -n "$ST_GAPS" ]; then
	stale=
	while read -r gap; do
		cut -d' ' -f1 $W/walk.up | grep -q -E "$gap" || continue
		grep -q -E "$gap" $W/missing || stale="$stale $gap"
	done < $W/gaps
	if [ -z "$stale" ]; then
		dp_pass tree-gaps-still-missing
	else
		dp_fail tree-gaps-still-missing "listed as missing, but ours has them:$stale"
	fi
fi

# The keywords of the enum-like files: each written to both trees, the
# answers (OK, or the errno's name; a read back that differs is said)
# compared; the file's value put back after each.
st_file() {
	local c=kdamonds/0/contexts/0
	case "$1" in
	operations) echo $c/operations ;;
	action) echo $c/schemes/0/action ;;
	type) echo $c/schemes/0/filters/0/type ;;
	target_metric) echo $c/schemes/0/quotas/goals/0/target_metric ;;
	metric) echo $c/schemes/0/watermarks/metric ;;
	esac
}
st_answer() {
	local a
	a=$(dp-write "$1" "$2")
	[ "$a" != OK ] || [ "$(cat "$1")" = "$2" ] || a="OK-reads-$(cat "$1")"
	echo "$a"
}
# st_compare WHAT WORD UP OURS: the two trees' answers to WORD, added to
# $same where alike, else to $diff and to the known differences' file.
st_compare() {
	if [ "$3" = "$4" ]; then
		same="$same $2"
	else
		diff="$diff $2 (in-kernel $3, ours $4);"
		echo "$1 $2: in-kernel $3, ours $4" >> $W/diffs
	fi
}
# st_said WHAT: the INFO lines of what st_compare gathered.
st_said() {
	dp_info "selftests keywords $1: same answers:${same:- none}"
	[ -z "$diff" ] || dp_info "selftests keywords $1: differ:${diff%;}"
}
while read -r f words; do
	[ "$f" != state ] || continue
	rel=$(st_file "$f")
	if [ ! -f "$UP/$rel" ] || [ ! -f "$DP_ADMIN/$rel" ]; then
		dp_info "selftests keywords $f: no $rel in both trees"
		continue
	fi
	was_up=$(cat "$UP/$rel") was_ours=$(cat "$DP_ADMIN/$rel")
	same="" diff=""
	for w in $words; do
		a_up=$(st_answer "$UP/$rel" "$w")
		a_ours=$(st_answer "$DP_ADMIN/$rel" "$w")
		echo "$was_up" > "$UP/$rel"
		echo "$was_ours" > "$DP_ADMIN/$rel" 2>/dev/null
		st_compare "keyword $f" "$w" "$a_up" "$a_ours"
	done
	st_said "$f"
done < $ST/keywords

# The state commands, in both states, one tree at a time: a target that
# sleeps, no regions, filter or goal (their defaults are not what this
# compares), a stat scheme for every region; then the tried regions'
# files (region 0's and total_bytes: the number of regions is the
# monitor's). The answers, "COMMAND=ANSWER" per state, in $W/state.TREE.
sleep 1000 &
sleeper=$!
st_states() {
	local kd=$1/kdamonds/0 c=$1/kdamonds/0/contexts/0 s w cmds
	local ap=$1/kdamonds/0/contexts/0/schemes/0/access_pattern
	echo $sleeper > $c/targets/0/pid_target
	echo 0 > $c/targets/0/regions/nr_regions
	echo 0 > $c/schemes/0/filters/nr_filters
	echo 0 > $c/schemes/0/quotas/goals/nr_goals
	echo stat > $c/schemes/0/action
	for s in sz nr_accesses age; do
		echo 0 > $ap/$s/min
		echo 4294967295 > $ap/$s/max
	done
	cmds=$(sed -n 's/^state //p' $ST/keywords)
	{
		for w in $cmds; do
			[ $w = on ] || echo "off: $w=$(dp-write $kd/state $w)"
		done
		echo "off: on=$(dp-write $kd/state on)"
		for w in $cmds; do
			[ $w = off ] || echo "on: $w=$(dp-write $kd/state $w)"
		done
		dp-write $kd/state update_schemes_tried_regions > /dev/null
		find $c/schemes/0/tried_regions | sed "s|^$c/schemes/0/||" |
			grep -E '^tried_regions(/total_bytes|/0(/.*)?)?$' |
			while read -r p; do
				echo "tried: $p $(stat -c '%F %a' $c/schemes/0/$p | sed 's/regular file/file/')"
			done
		echo "on: off=$(dp-write $kd/state off)"
	} > $W/state.$2
	st_idle "$1"
}
st_states $UP upstream
st_states "$DP_ADMIN" ours
kill $sleeper
for s in off on; do
	same="" diff=""
	for w in $(sed -n 's/^state //p' $ST/keywords); do
		a_up=$(sed -n "s/^$s: $w=//p" $W/state.upstream)
		a_ours=$(sed -n "s/^$s: $w=//p" $W/state.ours)
		st_compare "state ($s)" "$w" "${a_up:-none}" "${a_ours:-none}"
	done
	st_said "state ($s)"
done
grep '^tried: ' $W/state.upstream | sort > $W/tried.up
grep '^tried: ' $W/state.ours | sort > $W/tried.ours
if diff $W/tried.up $W/tried.ours > /dev/null; then
	dp_info "selftests tree: tried regions: same files and modes ($(wc -l < $W/tried.up))"
else
	diff $W/tried.up $W/tried.ours | grep '^[-+]tried' | sed 's/^-tried:/in-kernel only:/; s/^+tried:/ours only:/' |
		while read -r line; do
			dp_info "selftests tree: tried regions: $line"
			echo "tried regions: $line" >> $W/diffs
		done
fi

# Every difference of the trees above (kinds, modes, defaults, the
# keywords' and the state commands' answers, the tried regions' files)
# must be a known one, said: a new one fails, so that none comes in
# unseen. ST_KNOWN: "SERIES: DIFFERENCE" a line, the kernel series as
# uname says it (6.12, 7.3), the difference as the lines above say it.
# A known one no longer seen is said (the list may shrink).
ST_KNOWN='
6.12: state (off) clear_schemes_tried_regions: in-kernel EINVAL, ours OK
6.12: tried regions: ours only: tried_regions/0/probes directory 755
6.12: tried regions: ours only: tried_regions/0/sz_filter_passed file 400
'
series=$(uname -r | cut -d. -f1,2)
echo "$ST_KNOWN" | sed -n "s/^$series: //p" > $W/known
sort -u $W/diffs > $W/diffs.sorted
st_match 0 eq $W/known $W/diffs.sorted > $W/diffs.new
st_match 1 eq $W/known $W/diffs.sorted > $W/diffs.old
dp_info "selftests tree: $(wc -l < $W/diffs.old) known differences of the trees ($series)"
st_match 0 eq $W/diffs.sorted $W/known | while read -r line; do
	dp_info "selftests tree: a known difference no longer seen: $line"
done
if [ -s $W/diffs.new ]; then
	while read -r line; do
		dp_info "selftests tree: new difference: $series: $line"
	done < $W/diffs.new
	dp_fail tree-differences-known "$(wc -l < $W/diffs.new) differences of the trees not known (ST_KNOWN), said above"
else
	dp_pass tree-differences-known
fi

st_idle $UP
st_idle "$DP_ADMIN"
rmmod damon_pause || dp_fail unload "rmmod damon_pause"
dp_damon_stat_restore
read -r st_t0 _ < /proc/uptime
dp_info "selftests: the tree diff took $((${st_t0%.*} - ${st_t1%.*})) s"

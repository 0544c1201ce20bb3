# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.12
# order: 110
# Where: once: the documentation does not change with the kernel.
#
# The documentation against the module (Documentation/, carried to /dp/doc):
# every file of the admin tree and every module parameter is in the ABI
# files, every ABI entry exists, with the documented mode and default; the
# admin guide's marked examples (".. dp-example: NAME") run as written and
# print what the guide says; each write of its error reference
# (".. dp-errors:") ends as the guide says.

DOC=/dp/doc
W=/tmp/docs
TREE=/sys/kernel/mm/damon_pause
K=$DP_ADMIN/kdamonds
rm -rf $W
mkdir -p $W/ex
if [ ! -f $DOC/admin-guide.rst ]; then
	dp_fail docs-present "no Documentation in the initramfs"
	return 0
fi

# The ABI entries as "NAME REGEX MODE DEFAULT" ("-": none given; NAME is
# the path below kdamonds/ or parameters/; <X> placeholders match numbers).
awk '
function flush() {
	if (what != "" && what !~ /\/$/) {
		re = what
		gsub(/<[A-Z]>/, "[0-9]+", re)
		# {a,b,}: any of them, as upstream writes {core_,ops_,}filters
		while (match(re, /\{[^}]*\}/)) {
			alt = substr(re, RSTART + 1, RLENGTH - 2)
			gsub(/,/, "|", alt)
			re = substr(re, 1, RSTART - 1) "(" alt ")" \
				substr(re, RSTART + RLENGTH)
		}
		name = what
		sub(/.*\/(kdamonds|parameters)\//, "", name)
		print name, "^" re "$", (mode == "" ? "-" : mode), \
			(def == "" ? "-" : def)
	}
	what = ""; mode = ""; def = ""
}
/^What:/ { flush(); what = $2; next }
{
	if (match($0, /Mode: 0[0-7][0-7][0-7]/))
		mode = substr($0, RSTART + 7, 3)
	if (match($0, /Default: [^ ]+\.$/))
		def = substr($0, RSTART + 9, RLENGTH - 10)
}
END { flush() }' $DOC/ABI/testing/sysfs-kernel-mm-damon_pause \
	$DOC/ABI/testing/sysfs-module-damon_pause > $W/abi
dp_check docs-abi-parsed test "$(wc -l < $W/abi)" -gt 60

# Files of the tree and the parameters, "PATH MODE", added to $W/seen.
docs_walk() {
	# shellcheck disable=SC2046
	stat -c '%n %a' $(find $TREE $DP_PARAMS -type f) \
		/sys/module/damon_pause/supervisor_trained_state | sort > $W/walk
	sort -u $W/walk $W/seen 2>/dev/null > $W/seen.new
	mv $W/seen.new $W/seen
}

# Check the documented default of every file not looked at before.
# (never empty: busybox grep takes an empty pattern file as matching all)
echo /none > $W/checked
docs_defaults() {
	local f
	docs_walk
	cut -d' ' -f1 $W/walk | grep -v -x -F -f $W/checked > $W/new
	cat $W/new >> $W/checked
	while read -r f; do
		printf '%s\t%s\n' "$f" "$(tr '\n' ' ' < "$f" | sed 's/ $//')"
	done < $W/new > $W/values
	awk -F '\t' '
	NR == FNR { split($0, e, " "); n++; name[n] = e[1]; re[n] = e[2]
		def[n] = e[4]; next }
	{
		for (i = 1; i <= n && $1 !~ re[i]; i++)
			;
		if (i > n || def[i] == "-")
			next
		want = def[i] == "empty" ? "" : def[i]
		if ($2 == want)
			print "PASS default:" name[i]
		else
			print "FAIL default:" name[i] " got \"" $2 "\", documented \"" want "\""
	}' $W/abi $W/values >> $W/defaults
}

# Results of an awk check: "PASS NAME" or "FAIL NAME WHY" lines.
docs_report() {
	local verdict name why
	while read -r verdict name why; do
		if [ "$verdict" = PASS ]; then
			dp_pass "docs-$name"
		else
			dp_fail "docs-$name" "${why:-failed}"
		fi
	done < "$1"
}

# The whole tree, one of each directory, defaults checked as it grows.
insmod "$DP_MODULE" || { dp_fail docs-load insmod; return 0; }
sleep 1000 &
PID=$!
: > $W/defaults
docs_defaults
S=$K/0/contexts/0/schemes/0
for nr in $K/nr_kdamonds $K/0/contexts/nr_contexts \
	$K/0/contexts/0/targets/nr_targets \
	$K/0/contexts/0/targets/0/regions/nr_regions \
	$K/0/contexts/0/schemes/nr_schemes $S/quotas/goals/nr_goals \
	$S/filters/nr_filters $S/core_filters/nr_filters \
	$S/ops_filters/nr_filters $S/dests/nr_dests \
	$K/0/contexts/0/monitoring_attrs/probes/nr_probes \
	$K/0/contexts/0/monitoring_attrs/probes/0/preps/nr_preps \
	$K/0/contexts/0/monitoring_attrs/probes/0/filters/nr_filters; do
	echo 1 > $nr || dp_fail docs-grow "$nr"
	docs_defaults
done
# A documented default never read belongs to a file that never existed.
awk 'FILENAME == ARGV[1] { seen[$2] = 1; next }
	$4 != "-" && !(("default:" $1) in seen) { print "FAIL default:" $1 " never read" }' \
	$W/defaults $W/abi > $W/never
cat $W/never >> $W/defaults
# One verdict per entry, though an entry may match several files (the
# same filter files under filters/, core_filters/ and ops_filters/): its
# first failure, else a pass.
awk '{ n = $2; if (!(n in seen)) { seen[n] = 1; ord[++k] = n }
	if ($1 == "FAIL" && !(n in bad)) bad[n] = $0 }
END { for (i = 1; i <= k; i++) print (ord[i] in bad) ? bad[ord[i]] : "PASS " ord[i] }' \
	$W/defaults > $W/defaults.one
docs_report $W/defaults.one

# Running, with a scheme that matches every region: the result files.
dp_set $K/0/contexts/0/targets/0/pid_target $PID
dp_set $K/0/contexts/0/targets/0/regions/nr_regions 0
dp_set $S/quotas/goals/nr_goals 0
dp_set $S/filters/0/type target
dp_set $S/filters/0/matching Y
dp_set $S/filters/0/allow Y
dp_set $S/access_pattern/sz/max 0xffffffffffffffff
dp_set $S/access_pattern/nr_accesses/max 4294967295
dp_set $S/access_pattern/age/max 4294967295
dp_expect_write docs-tree-on $K/0/state on OK
dp_check docs-tried-regions dp_wait_for 10 sh -c \
	"echo update_schemes_tried_regions > $K/0/state && test -d $S/tried_regions/0"
docs_walk
dp_set $K/0/state off
dp_set $K/nr_kdamonds 0
dp_must rmmod damon_pause

# Every file documented with its mode, every entry present.
awk 'NR == FNR { n++; name[n] = $1; re[n] = $2; mode[n] = $3; next }
	{
		for (i = 1; i <= n && $1 !~ re[i]; i++)
			;
		if (i > n) {
			print "FAIL undocumented:" $1 " not in the ABI files"
			bad++
			next
		}
		found[i]++
		if ($2 != mode[i]) {
			print "FAIL abi:" name[i] " mode " $2 ", documented " mode[i]
			wrong[i] = 1
		}
	}
	END {
		for (i = 1; i <= n; i++)
			if (!found[i])
				print "FAIL abi:" name[i] " documented, absent"
			else if (!wrong[i])
				print "PASS abi:" name[i]
		if (!bad)
			print "PASS nothing-undocumented"
	}' $W/abi $W/seen > $W/coverage
docs_report $W/coverage

# The guide's examples: "# CMD" lines, each followed by its output.
awk -v dir=$W/ex '
inblock && $0 != "" && $0 !~ /^    / { inblock = 0; want = 0 }
inblock {
	if ($0 == "")
		next
	line = substr($0, 5)
	if (line ~ /^# /) {
		if (cur != "")
			close(cur ".out")
		cur = sprintf("%s/%s/%03d", dir, name, ++n)
		print substr(line, 3) > (cur ".cmd")
		close(cur ".cmd")
		printf "" > (cur ".out")
	} else if (cur != "") {
		print line > (cur ".out")
	}
	next
}
/^\.\. dp-example: / {
	name = $3; want = 1; n = 0; cur = ""
	system("mkdir -p " dir "/" name)
	next
}
want && /::$/ { inblock = 1; next }' $DOC/admin-guide.rst

# docs_example NAME: run its commands in this shell (cd stays), compare
# each one's output with the guide's ($PID stands for the process).
docs_example() {
	local c cmd rc
	if [ ! -d $W/ex/$1 ] || [ -z "$(ls $W/ex/$1)" ]; then
		dp_fail "docs-example-$1" "not in the guide"
		return 1
	fi
	for c in $W/ex/$1/*.cmd; do
		cmd=$(cat $c)
		eval "$cmd" > $W/out 2>&1
		rc=$?
		sed "s/\\\$PID/$PID/g" ${c%.cmd}.out > $W/want
		if [ $rc -ne 0 ]; then
			dp_fail "docs-example-$1" "'$cmd' exited with $rc: $(head -c 200 $W/out)"
			return 1
		fi
		if ! cmp -s $W/out $W/want; then
			dp_fail "docs-example-$1" "'$cmd' printed '$(cat $W/out)', the guide says '$(cat $W/want)'"
			return 1
		fi
	done
	dp_pass "docs-example-$1"
}

# The K line of kdamond 0 and its regions, from the state dump.
docs_dump() { grep -E '^(K|R) 0 ' $DP_DUMP; }
docs_field() { grep "^K 0 " $DP_DUMP | sed "s/.* $1 \([0-9-]*\).*/\1/"; }
docs_resumed() { [ "$(docs_field sample_intervals)" -gt "$intervals" ]; }

# Installed as DKMS would, for the guide's modprobe; tracefs as on a
# distribution.
dir=/lib/modules/$(uname -r)/extra
mkdir -p $dir
cp "$DP_MODULE" $dir/
/dp/kmod/depmod -a > /dev/null 2>&1
grep -q ' /sys/kernel/tracing ' /proc/mounts ||
	mount -t tracefs nodev /sys/kernel/tracing
(
	PATH=/dp/kmod:$PATH
	if docs_example load && docs_example monitor; then
		kpid=$(cat $K/0/pid)
		# (A live kdamond: a pid of -1 has no CPU time to compare.)
		dp_expect_eq docs-monitor-kdamond "$(cat /proc/$kpid/comm 2>&1)" kdamond_p.0
		dp_check docs-monitor-target grep -q "^T 0 0 pid $PID " $DP_DUMP
		if docs_example pause; then
			before=$(docs_dump)
			ticks=$(dp_cpu_ticks $kpid)
			sleep 1
			dp_expect_eq docs-pause-no-cpu "$(dp_cpu_ticks $kpid)" "$ticks"
			dp_expect_eq docs-pause-frozen "$(docs_dump)" "$before"
			dp_check docs-pause-has-regions grep -q '^R 0 ' $DP_DUMP
		fi
		intervals=$(docs_field sample_intervals)
		if docs_example resume; then
			dp_check docs-resume-samples dp_wait_for 5 docs_resumed
			dp_check docs-resume-time test "$(docs_field last_resume_ns)" -gt 0
		fi
		if docs_example schemes; then
			dp_check docs-schemes-tried test "$(cat $S/stats/nr_tried)" -gt 0
			dp_check docs-schemes-bytes test "$(cat $S/tried_regions/total_bytes)" -gt 0
		fi
		docs_example trace
		echo off > $K/0/state
	fi
	rmmod damon_pause 2>/dev/null
	docs_example supervisor
	dp_check docs-supervisor-unloaded test ! -d /sys/module/damon_pause
)
rmmod damon_pause 2>/dev/null
rm -rf /lib/modules
known=" load monitor pause resume schemes trace supervisor "
for ex in $W/ex/*; do
	ex=${ex##*/}
	case "$known" in
	*" $ex "*) ;;
	*) dp_fail "docs-example-$ex" "in the guide, but the test does not run it" ;;
	esac
done

# The error reference: each write ends as documented.
awk '/^\.\. dp-errors:/ { want = 1; next }
	want && /::$/ { inblock = 1; next }
	inblock && $0 != "" && $0 !~ /^    / { exit }
	inblock && NF == 3 { print }' $DOC/admin-guide.rst > $W/errors
dp_check docs-errors-parsed test "$(wc -l < $W/errors)" -gt 40
if insmod "$DP_MODULE"; then
	n=0
	while read -r file value outcome; do
		n=$((n + 1))
		case "$value" in
		'""') value="" ;;
		'$PID') value=$PID ;;
		esac
		dp_expect_eq "docs-error-$n:$file=$value" \
			"$(dp-write $K/$file "$value")" "$outcome"
	done < $W/errors
	dp_check docs-errors-unload rmmod damon_pause
else
	dp_fail docs-errors-load insmod
fi
kill $PID

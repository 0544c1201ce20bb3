# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.12
# order: 120
# Where: once: the parsers do not change with the kernel.
#
# A fuzz of every writable file of a full admin tree (1 kdamond, 1 context,
# 1 target with 1 region, 1 scheme with quotas, 1 goal, watermarks and 1
# filter) and of every writable module parameter, with the values issue 11
# lists (empty, -1, 2^64, 10^23, abc, "1 2", 5000 bytes, binary bytes,
# 0x10, " 5", "5\n\n", and a write of no bytes at all), in three states:
# kdamond off, on, and paused.  While on or paused, each write is followed
# by a `commit`.  For each write:
# - a refused write leaves the file reading as before (dp-io fuzz reads it
#   before and after), and the commit after it succeeds (nothing staged
#   changed, and the tree is valid);
# - an accepted write reads back the value as the kernel parses it (a
#   number in decimal, Y/N, the name); it is then written back (the whole
#   tree set up again after an accepted nr_* write) and committed;
# - the kdamond keeps running with the same pid.
# INFO lines give the figures: files x values tried, refused, accepted
# (and which), changed-when-refused.  The guest's splat scan catches the
# rest.

K=$DP_ADMIN/kdamonds
KD=$K/0
C=$KD/contexts/0
T=$C/targets/0
S=$C/schemes/0
LOG=/tmp/fuzz.log

insmod "$DP_MODULE" || { dp_fail fuzz-load insmod; return 0; }
dp_hotcold 16 16 || { dp_fail fuzz-workload "hotcold did not start"; return 0; }

# setup_tree PAUSE: everything below kdamonds/0, valid for `on`: dp_tree's
# levels, and every other file a value that is not its default.
setup_tree() {
	dp_tree $KD $hc_pid $hot_start $hot_end &&
	echo vaddr > $C/operations &&
	echo $1 > $C/pause &&
	echo 5000 > $C/monitoring_attrs/intervals/sample_us &&
	echo 100000 > $C/monitoring_attrs/intervals/aggr_us &&
	echo 1000000 > $C/monitoring_attrs/intervals/update_us &&
	echo 10 > $C/monitoring_attrs/nr_regions/min &&
	echo 1000 > $C/monitoring_attrs/nr_regions/max &&
	echo 1 > $C/addr_unit &&
	echo 1 > $C/monitoring_attrs/probes/nr_probes &&
	echo 0 > $C/monitoring_attrs/probes/0/weight &&
	echo 1 > $C/monitoring_attrs/probes/0/preps/nr_preps &&
	echo set_pgidle > $C/monitoring_attrs/probes/0/preps/0/prep_action &&
	echo 1 > $C/monitoring_attrs/probes/0/filters/nr_filters &&
	echo anon > $C/monitoring_attrs/probes/0/filters/0/type &&
	echo Y > $C/monitoring_attrs/probes/0/filters/0/matching &&
	echo Y > $C/monitoring_attrs/probes/0/filters/0/allow &&
	echo 0 > $S/apply_interval_us &&
	echo 0 > $S/access_pattern/nr_accesses/min &&
	echo 100 > $S/access_pattern/nr_accesses/max &&
	echo 0 > $S/access_pattern/age/min &&
	echo 1000 > $S/access_pattern/age/max &&
	echo 10 > $S/quotas/ms &&
	echo 1048576 > $S/quotas/bytes &&
	echo 1000 > $S/quotas/reset_interval_ms &&
	echo 0 > $S/quotas/weights/sz_permil &&
	echo 500 > $S/quotas/weights/nr_accesses_permil &&
	echo 500 > $S/quotas/weights/age_permil &&
	echo user_input > $S/quotas/goals/0/target_metric &&
	echo 50 > $S/quotas/goals/0/current_value &&
	echo free_mem_rate > $S/watermarks/metric &&
	echo 1000000 > $S/watermarks/interval_us &&
	echo 1000 > $S/watermarks/high &&
	echo 500 > $S/watermarks/mid &&
	echo 0 > $S/watermarks/low &&
	echo addr > $S/filters/0/type &&
	echo Y > $S/filters/0/matching &&
	echo Y > $S/filters/0/allow &&
	echo $hot_start > $S/filters/0/addr_start &&
	echo $hot_end > $S/filters/0/addr_end &&
	echo 0 > $S/filters/0/damon_target_idx
}

echo 1 > $K/nr_kdamonds
setup_tree N || { dp_fail fuzz-setup "the full tree"; kill $hc_pid; rmmod damon_pause; return 0; }
dp_expect_write fuzz-tree-valid $KD/state on OK
dp_expect_write fuzz-tree-off $KD/state off OK

# The values, as dp-io decodes them (\n, \xHH), with a name each.
long=$(printf '%5000s' '' | tr ' ' 1)
set -- \
	none '' \
	empty '\n' \
	minus1 '-1\n' \
	two64 '18446744073709551616\n' \
	ten23 '100000000000000000000000\n' \
	abc 'abc\n' \
	one-two '1 2\n' \
	5000bytes "$long" \
	binary '\xff\xfe\x00\x01\x7f\x80' \
	hex '0x10\n' \
	space5 ' 5\n' \
	5nn '5\n\n'
nvalues=$(($# / 2))

files() {
	find $K -type f -perm -0200 | sort
	find $DP_PARAMS -type f -perm -0200 | sort
}
dp_info "fuzz: $(files | wc -l) writable files and parameters, $nvalues values"

# fuzz_state STATE: every file with every value; STATE off, on or paused.
fuzz_state() {
	local state=$1 f line kind before commit kp i n v
	shift
	for f in $(files); do
		i=0
		for v in "$@"; do
			i=$((i + 1))
			[ $((i % 2)) -eq 1 ] && { n=$v; continue; }
			commit=
			[ $state = off ] || commit=$KD/state
			line=$(dp-io fuzz $f "$v" $commit)
			echo "$state $f $n $line" >> $LOG
			case "$line" in
			*" accepted "*) kind=accepted ;;
			*) kind=refused ;;
			esac
			if [ "$kind" = accepted ]; then
				# (The shell's own expansions: a fork per write
				# costs seconds over the whole fuzz.)
				before=${line#* before=\'}
				before=${before%\' after=*}
				# Back as it was: the value, or the whole tree.
				case $f in
				*/nr_kdamonds)
					echo 1 > $K/nr_kdamonds
					setup_tree $([ $state = paused ] && echo Y || echo N) ;;
				*/nr_*)
					setup_tree $([ $state = paused ] && echo Y || echo N) ;;
				*)
					dp-io w $f "$before" > /dev/null ;;
				esac
				[ $state = off ] || dp-write $KD/state commit > /dev/null
			fi
			if [ $state != off ]; then
				read -r kp < $KD/pid
				if [ "$kp" != "$kpid" ]; then
					echo "$state $f $n" >> /tmp/fuzz.dead
					echo $hc_pid > $T/pid_target
					echo on > $KD/state
					read -r kpid < $KD/pid
				fi
			fi
		done
	done
}

rm -f $LOG /tmp/fuzz.dead /tmp/fuzz.trained
kpid=-1
fuzz_state off "$@"
setup_tree N
dp_expect_write fuzz-on $KD/state on OK
read -r kpid < $KD/pid
fuzz_state on "$@"
echo Y > $C/pause
dp_expect_write fuzz-pause $KD/state commit OK
fuzz_state paused "$@"
dp_expect_eq fuzz-still-paused "$(grep -o 'paused [01]' $DP_DUMP)" "paused 1"

# trained_state beyond the values above: a real snapshot of the paused
# kdamond (of the target's regions and the scheme's quota tuning), each
# line of it dropped, doubled, given a field more, or its last field made
# 2^64 or a letter: every one refused with EINVAL, the file as it was,
# the paused kdamond's state (the dump) unchanged; the snapshot itself is
# taken back.
TS=$C/trained_state
echo update_trained_state > $KD/state
cat $TS > /tmp/ts
dump0=$(grep -E '^(K|T|R) 0 ' $DP_DUMP)
n=$(wc -l < /tmp/ts)
tried=0 refused=0 changed=0 i=1
while [ $i -le $n ]; do
	for m in "${i}d" "${i}p" "${i}s/\$/ 1/" "${i}s/[^ ]*\$/18446744073709551616/" \
			"${i}s/[^ ]*\$/x/"; do
		sed "$m" /tmp/ts > /tmp/ts.bad
		line=$(dp-io wf $TS /tmp/ts.bad)
		tried=$((tried + 1))
		case "$line" in
		"EINVAL "*) refused=$((refused + 1)) ;;
		*) echo "trained_state $i $m: $line" >> /tmp/fuzz.trained ;;
		esac
		cmp -s $TS /tmp/ts || { changed=$((changed + 1)); cat /tmp/ts > $TS; }
	done
	i=$((i + 1))
done
dp_info "fuzz trained_state: a snapshot of $n lines, $tried mutations," \
	"$refused refused with EINVAL, $changed changed the file"
head -n 10 /tmp/fuzz.trained 2>/dev/null | while read -r line; do dp_info "fuzz: $line"; done
dp_expect_eq fuzz-trained-state-refused "$refused" "$tried"
dp_expect_eq fuzz-trained-state-unchanged "$changed" 0
dp_expect_eq fuzz-trained-state-kdamond-unchanged \
	"$(grep -E '^(K|T|R) 0 ' $DP_DUMP)" "$dump0"
dp_expect_eq fuzz-trained-state-taken-back "$(dp-io wf $TS /tmp/ts | cut -d' ' -f1)" OK
echo clear > $TS

for st in off on paused; do
	awk -v st=$st -v q="'" '$1 == st {
		n++
		if ($6 == "refused") { r++; if ($7 != "same") ch++; if ($8 ~ /^commit=/ && $8 != "commit=OK") cf++ }
		else if ($6 == "accepted") {
			a++
			# commit_inputs reads N again once done (at once while
			# the supervisor does not run); "ok-partial": sysfs took
			# the first page of the 5000 bytes as the whole value.
			if ($7 !~ /^ok/ && !($2 ~ /commit_inputs$/ && $NF == "after=" q "N\\n" q)) mm++
		}
		else other++
	} END {
		printf "%d %d %d %d %d %d %d\n", n, r, a, ch, mm, cf, other
	}' $LOG > /tmp/fuzz.fig
	read -r n r a ch mm cf other < /tmp/fuzz.fig
	dp_info "fuzz $st: $n writes (files x values), $r refused, $a accepted," \
		"$ch changed when refused, $mm read back other than parsed," \
		"$cf commits refused after a refused write, $other unreadable"
	dp_expect_eq fuzz-$st-all-tried "$n" $(($(files | wc -l) * nvalues))
	dp_expect_eq fuzz-$st-refused-unchanged "$ch" 0
	dp_expect_eq fuzz-$st-accepted-read-back-parsed "$mm" 0
	dp_expect_eq fuzz-$st-files-readable "$other" 0
	if [ $st != off ]; then
		dp_expect_eq fuzz-$st-commit-after-refused "$cf" 0
		# Marking the only target obsolete ends the kdamond, as
		# upstream's: the commit leaves it nothing to monitor.
		dp_expect_eq fuzz-$st-kdamond-alive \
			"$(grep "^$st " /tmp/fuzz.dead 2>/dev/null |
				grep -c -v '/obsolete_target ')" 0
	fi
done
# What was accepted, and what went wrong, for the notes and the log.
awk '$6 == "accepted" { sub(".*/admin/kdamonds/", "", $2); sub(".*/parameters/", "param:", $2); a[$2 " " $3 ":" $7]++ }
	END { for (k in a) print k }' $LOG | sort | sed 's/^/fuzz accepted: /' |
	while read -r line; do dp_info "$line"; done
grep -E ' refused [A-Za-z0-9]+ changed|accepted mismatch| commit=E' $LOG | head -n 20 |
	while read -r line; do dp_info "fuzz: $line"; done
sed 's/^/fuzz: kdamond ended after /' /tmp/fuzz.dead 2>/dev/null | head -n 10 |
	while read -r line; do dp_info "$line"; done

dp_expect_eq fuzz-kdamond-alive-at-end "$(cat $KD/state) $(cat $KD/pid)" "on $kpid"
dp_expect_write fuzz-off $KD/state off OK
kill $hc_pid
wait $hc_pid 2>/dev/null
dp_check fuzz-unload rmmod damon_pause

# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.1 stock-6.12 stock-7.3
# order: 30
# quick: stock-6.12
# Where: the stock x86_64 kernels; not again on the debug one,
# a 6.12 too, where it took 3.5 minutes.
#
# The admin tree below kdamonds/: every file's default, mode and value
# syntax, the exact error of every kind of bad input (with nothing changed),
# and the kdamond state machine: on, off, commit, -EBUSY while running,
# a kdamond that ends by itself when its process exits, several kdamonds.

K=$DP_ADMIN/kdamonds
insmod "$DP_MODULE" || { dp_fail sysfs-load insmod; return 0; }

dp_expect_write nr_kdamonds-set "$K/nr_kdamonds" 2 OK
dp_expect_eq nr_kdamonds-dirs "$(ls $K | tr '\n' ' ')" "0 1 nr_kdamonds "
KD=$K/0
dp_expect_eq state-default "$(cat $KD/state)" off
dp_expect_eq pid-default "$(cat $KD/pid)" -1
dp_expect_eq nr_contexts-default "$(cat $KD/contexts/nr_contexts)" 0
dp_expect_write nr_contexts-set "$KD/contexts/nr_contexts" 1 OK
C=$KD/contexts/0
A=$C/monitoring_attrs
dp_expect_eq avail_operations "$(cat $C/avail_operations | tr '\n' ' ')" \
	"vaddr fvaddr paddr "
dp_expect_eq operations-default "$(cat $C/operations)" vaddr
dp_expect_eq pause-default "$(cat $C/pause)" N
dp_expect_eq sample_us-default "$(cat $A/intervals/sample_us)" 5000
dp_expect_eq aggr_us-default "$(cat $A/intervals/aggr_us)" 100000
dp_expect_eq update_us-default "$(cat $A/intervals/update_us)" 60000000
dp_expect_eq nr_regions-min-default "$(cat $A/nr_regions/min)" 10
dp_expect_eq nr_regions-max-default "$(cat $A/nr_regions/max)" 1000
dp_expect_eq nr_targets-default "$(cat $C/targets/nr_targets)" 0
dp_expect_eq nr_schemes-default "$(cat $C/schemes/nr_schemes)" 0
dp_expect_write nr_targets-set "$C/targets/nr_targets" 1 OK
T=$C/targets/0
dp_expect_eq pid_target-default "$(cat $T/pid_target)" 0
dp_expect_eq nr_regions-default "$(cat $T/regions/nr_regions)" 0
dp_expect_write nr_regions-set "$T/regions/nr_regions" 1 OK
dp_expect_eq region-start-default "$(cat $T/regions/0/start)" 0
dp_expect_eq region-end-default "$(cat $T/regions/0/end)" 0

# Modes, as upstream: root only, read-only files 0400.
modes=""
for f in $K/nr_kdamonds $KD/state $KD/pid $KD/contexts/nr_contexts \
	$C/avail_operations $C/operations $C/pause \
	$A/intervals/aggr_us $A/intervals/sample_us $A/intervals/update_us \
	$A/nr_regions/* $C/targets/nr_targets $T/pid_target \
	$T/regions/nr_regions $T/regions/0/start $T/regions/0/end \
	$C/schemes/nr_schemes; do
	modes="$modes$(stat -c %a "$f") "
done
dp_expect_eq modes "$modes" \
	"600 600 400 600 400 600 600 600 600 600 600 600 600 600 600 600 600 600 "

# Value syntax: any kstrtoul base, kstrtobool spellings.
dp_expect_write sample_us-hex "$A/intervals/sample_us" 0x1388 OK
dp_expect_eq sample_us-hex-read "$(cat $A/intervals/sample_us)" 5000
for v in y 1 on Y; do
	dp_set $C/pause N
	dp_expect_write "pause-accepts-$v" "$C/pause" "$v" OK
	dp_expect_eq "pause-reads-$v" "$(cat $C/pause)" Y
done
dp_set $C/pause n
dp_expect_eq pause-reads-n "$(cat $C/pause)" N
dp_expect_write operations-fvaddr "$C/operations" fvaddr OK
dp_expect_eq operations-read "$(cat $C/operations)" fvaddr
dp_set $C/operations vaddr

# Bad input: the upstream error code, and nothing changes.
ulong_max_plus1=18446744073709551616
dp_refuses nr_kdamonds "$K/nr_kdamonds" EINVAL abc -1 "" 1.5 1025
dp_refuses nr_kdamonds-overflow "$K/nr_kdamonds" ERANGE 99999999999
dp_expect_eq nr_kdamonds-dirs-kept "$(ls $K/0/contexts/0/targets/0/regions)" \
	"0
nr_regions"
dp_refuses nr_contexts "$KD/contexts/nr_contexts" EINVAL abc -1 2 ""
dp_refuses nr_targets "$C/targets/nr_targets" EINVAL abc -1 1025 ""
dp_refuses nr_regions "$T/regions/nr_regions" EINVAL abc -1 4097 ""
dp_refuses nr_schemes "$C/schemes/nr_schemes" EINVAL -1 abc 65 ""
dp_refuses operations "$C/operations" EINVAL paddrx vaddrx "" VADDR
dp_refuses pause "$C/pause" EINVAL maybe 2 ""
for f in intervals/sample_us intervals/aggr_us intervals/update_us \
	nr_regions/min nr_regions/max; do
	dp_refuses "${f#*/}" "$A/$f" EINVAL abc -1 "" 10x
	dp_refuses "${f#*/}-overflow" "$A/$f" ERANGE $ulong_max_plus1
done
dp_refuses pid_target "$T/pid_target" EINVAL abc ""
dp_refuses pid_target-overflow "$T/pid_target" ERANGE 99999999999
dp_refuses region-start "$T/regions/0/start" EINVAL abc -1 ""
dp_refuses region-end-overflow "$T/regions/0/end" ERANGE $ulong_max_plus1
dp_refuses state "$KD/state" EINVAL bogus "" ON update_schemes_stats
dp_refuses pid "$KD/pid" EACCES 5
dp_refuses avail_operations "$C/avail_operations" EACCES vaddr

# State machine before any `on`: nothing to stop or commit to.
dp_expect_write off-never-on "$KD/state" off EINVAL
dp_expect_write commit-never-on "$KD/state" commit EINVAL
dp_expect_write on-no-context "$K/1/state" on EINVAL

# Semantic errors at `on`: -EINVAL, and no kdamond.
sleep 1000 &
sleeper=$!
dp_set $T/regions/nr_regions 0
dp_expect_write on-pid-0 "$KD/state" on EINVAL
dp_set $T/pid_target 999999
dp_expect_write on-no-such-pid "$KD/state" on EINVAL
dp_set $T/pid_target $sleeper
dp_set $A/nr_regions/min 2
dp_expect_write on-min-below-3 "$KD/state" on EINVAL
dp_set $A/nr_regions/min 2000
dp_expect_write on-min-above-max "$KD/state" on EINVAL
dp_set $A/nr_regions/min 10
dp_set $A/intervals/sample_us 200000
dp_expect_write on-sample-above-aggr "$KD/state" on EINVAL
dp_set $A/intervals/sample_us 5000
dp_set $T/regions/nr_regions 2
dp_set $T/regions/0/start 8192; dp_set $T/regions/0/end 16384
dp_set $T/regions/1/start 12288; dp_set $T/regions/1/end 20480
dp_expect_write on-overlapping-regions "$KD/state" on EINVAL
dp_set $T/regions/0/start 4096; dp_set $T/regions/0/end 4096
dp_expect_write on-empty-region "$KD/state" on EINVAL
dp_expect_eq still-off "$(cat $KD/state) $(cat $KD/pid)" "off -1"
dp_set $T/regions/nr_regions 0

# A running kdamond.
dp_expect_write on "$KD/state" on OK
dp_expect_eq state-on "$(cat $KD/state)" on
kpid=$(cat $KD/pid)
dp_check pid-is-kdamond test "$kpid" -gt 0
dp_expect_eq kdamond-comm "$(cat /proc/$kpid/comm)" kdamond_p.0
dp_expect_write on-twice "$KD/state" on EBUSY
dp_expect_write nr_kdamonds-busy "$K/nr_kdamonds" 3 EBUSY
dp_expect_eq nr_kdamonds-busy-kept "$(cat $K/nr_kdamonds)" 2
dp_expect_write commit-running "$KD/state" commit OK
dp_set $A/intervals/sample_us 200000
dp_expect_write commit-refused "$KD/state" commit EINVAL
dp_expect_eq commit-refused-still-running "$(cat $KD/state) $(cat $KD/pid)" \
	"on $kpid"
dp_set $A/intervals/sample_us 5000

# What a commit changes reaches the running kdamond (read back from the
# debugfs dump): a new process, new intervals; and a refused commit
# applies nothing of it, not even pause.
kd0() { awk -v k=$1 '$1 == "K" && $2 == 0 { for (i = 3; i < NF; i++) if ($i == k) print $(i + 1) }' $DP_DUMP; }
sleep 1000 &
sleeper2=$!
echo $sleeper2 > $T/pid_target
dp_expect_write commit-new-pid "$KD/state" commit OK
dp_check commit-new-pid-monitored grep -q "^T 0 0 pid $sleeper2 " $DP_DUMP
echo $sleeper > $T/pid_target
echo commit > $KD/state
kill $sleeper2
echo 10000000 > $A/intervals/aggr_us
dp_expect_write commit-aggr-10s "$KD/state" commit OK
a0=$(kd0 aggregations) s0=$(kd0 sample_intervals)
sleep 1
dp_check commit-aggr-10s-applied test $(($(kd0 aggregations) - a0)) -le 1 \
	-a $(($(kd0 sample_intervals) - s0)) -gt 0
echo 100000 > $A/intervals/aggr_us
echo commit > $KD/state
echo 1 > $C/schemes/nr_schemes
echo 10 > $C/schemes/0/access_pattern/age/min
echo 9 > $C/schemes/0/access_pattern/age/max
echo Y > $C/pause
dp_expect_write commit-refused-pause "$KD/state" commit EINVAL
dp_expect_eq commit-refused-pause-not-applied "$(kd0 paused)" 0
echo N > $C/pause
echo 0 > $C/schemes/nr_schemes

# A second kdamond on the same process, independent of the first.
dp_set $K/1/contexts/nr_contexts 1
dp_set $K/1/contexts/0/targets/nr_targets 1
dp_set $K/1/contexts/0/targets/0/pid_target $sleeper
dp_expect_write second-on "$K/1/state" on OK
kpid1=$(cat $K/1/pid)
dp_expect_eq second-comm "$(cat /proc/$kpid1/comm)" kdamond_p.1
dp_expect_write first-off "$KD/state" off OK
dp_expect_eq first-off-state "$(cat $KD/state) $(cat $KD/pid)" "off -1"
dp_expect_eq second-still-on "$(cat $K/1/state) $(cat $K/1/pid)" "on $kpid1"
dp_expect_write off-twice "$KD/state" off EPERM
dp_check first-thread-gone dp_wait_for 5 test ! -e /proc/$kpid

# The process exits: its kdamond ends by itself.
kill $sleeper
wait $sleeper 2>/dev/null
dp_check ends-when-target-exits dp_wait_for 10 \
	sh -c "[ \"\$(cat $K/1/state)\" = off ]"
dp_expect_eq ended-pid "$(cat $K/1/pid)" -1
dp_expect_write commit-after-end "$K/1/state" commit EINVAL
dp_expect_write nr_kdamonds-after "$K/nr_kdamonds" 0 OK
dp_check unload rmmod damon_pause

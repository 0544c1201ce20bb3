# SPDX-License-Identifier: GPL-2.0
# guests: stock-6.1 stock-6.12 stock-7.3 arm64-6.1 arm64-6.12
# order: 20
# quick: stock-6.12
# Where: every stock kernel, x86_64 and arm64 (the module's
# parameters and tree do not depend on the debug options; every scenario
# of the debug guest loads and unloads it anyway).
#
# Module load/unload: the admin tree and the parameters appear with the
# module and disappear with it, with the right modes and values.

dp_check tree-absent-before-load test ! -e /sys/kernel/mm/damon_pause
dmesg -c > /dev/null
if ! insmod "$DP_MODULE"; then
	dp_fail load "insmod failed"
	return 0
fi
dp_pass load

line=$(dmesg | grep 'damon_pause: version')
# Kernels without MMU notifiers, PSI or memory cgroups (our small KUnit
# kernel) lack those.
opt=""
grep -q ' __mmu_notifier_clear_young$' /proc/kallsyms && opt=" mmu_notify"
dp_has_psi && opt="$opt psi"
dp_has_memcg && opt="$opt memcg"
dp_expect_eq load-banner "${line#*damon_pause: }" \
	"version $(cat /dp/VERSION), features: sysfs vaddr madvise$opt paddr pa_pageout pa_deprio pa_migrate"
dp_expect_eq module-version "$(cat /sys/module/damon_pause/version)" \
	"$(cat /dp/VERSION)"

dp_check tree-present test -d "$DP_ADMIN/kdamonds"
dp_expect_eq nr_kdamonds-default "$(cat $DP_ADMIN/kdamonds/nr_kdamonds)" 0
dp_expect_eq nr_kdamonds-mode "$(stat -c %a $DP_ADMIN/kdamonds/nr_kdamonds)" 600
dp_check nr_kdamonds-garbage dp_write_fails "$DP_ADMIN/kdamonds/nr_kdamonds" abc
dp_check nr_kdamonds-negative dp_write_fails "$DP_ADMIN/kdamonds/nr_kdamonds" -1
dp_check nr_kdamonds-overflow dp_write_fails "$DP_ADMIN/kdamonds/nr_kdamonds" 99999999999
dp_check nr_kdamonds-zero sh -c "echo 0 > $DP_ADMIN/kdamonds/nr_kdamonds"
dp_expect_eq nr_kdamonds-unchanged "$(cat $DP_ADMIN/kdamonds/nr_kdamonds)" 0

dp_check params-present test -d "$DP_PARAMS"
pids=$DP_PARAMS/monitored_pids
dp_expect_eq monitored_pids-default "$(cat $pids || echo missing)" ""
dp_expect_eq monitored_pids-mode "$(stat -c %a $pids)" 600
dp_check monitored_pids-set sh -c "echo 1,2,300 > $pids"
dp_expect_eq monitored_pids-read "$(cat $pids)" "1,2,300"
for bad in abc 0 -5 1,,2 1,1 1, 4194305; do
	dp_check "monitored_pids-refuses-$bad" dp_write_fails "$pids" "$bad"
done
list=$(seq -s, 1 101)
dp_check monitored_pids-refuses-101 dp_write_fails "$pids" "$list"
dp_expect_eq monitored_pids-unchanged "$(cat $pids)" "1,2,300"
list=$(seq -s, 1 100)
echo "$list" > "$pids"
dp_expect_eq monitored_pids-100 "$(cat $pids)" "$list"

# Keep a file open across the unload: its kobject must outlive the module
# safely (the read after rmmod fails, nothing crashes).
exec 5< "$DP_ADMIN/kdamonds/nr_kdamonds"
dp_check unload rmmod damon_pause
exec 5<&-
dp_check tree-absent-after-unload test ! -e /sys/kernel/mm/damon_pause
dp_check params-absent-after-unload test ! -e /sys/module/damon_pause

# 20 times; 5 on a slowed kernel (seconds each there; kmemleak sees
# what a reload would leak after one).
n=20
[ "$DP_SLOW" -eq 1 ] || n=5
ok=1
for i in $(seq 1 $n); do
	insmod "$DP_MODULE" && rmmod damon_pause || { ok=0; break; }
done
dp_expect_eq load-unload-repeated "$ok" 1
dp_check tree-absent-at-end test ! -e /sys/kernel/mm/damon_pause

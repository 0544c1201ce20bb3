# SPDX-License-Identifier: GPL-2.0
# The module as the packages install it (tests/package/check.sh boots this
# guest with the module DKMS built for its kernel, maybe xz-compressed): in
# /lib/modules/$(uname -r)/updates/dkms, found by depmod, loaded by modprobe
# with parameters and with options from /etc/modprobe.d, removed by
# modprobe -r.

K=/dp/kmod
if [ ! -x $K/modprobe ]; then
	dp_fail package "no kmod in the guest"
	return 0
fi
want=$(cat /dp/VERSION)
dir=/lib/modules/$(uname -r)/updates/dkms
mkdir -p $dir /etc/modprobe.d
cp /dp/damon_pause.ko* $dir/
ko=$(ls $dir/damon_pause.ko*)
dp_info "package: $ko"

# depmod warns of the stock kernel's index files, absent here.
dp_check depmod sh -c "$K/depmod -a 2> /tmp/depmod.err"
dp_expect_eq modinfo-file "$($K/modinfo -n damon_pause)" "$ko"
dp_expect_eq modinfo-version "$($K/modinfo -F version damon_pause)" "$want"
dp_check tree-absent-before test ! -e /sys/kernel/mm/damon_pause

# Parameters on the command line: the supervisor starts for pid 1.
dp_check modprobe $K/modprobe damon_pause monitored_pids=1 quota_ms=20 \
	supervisor=Y
dp_check sysfs-root test -d $DP_ADMIN/kdamonds
dp_expect_eq module-version "$(cat /sys/module/damon_pause/version)" "$want"
dp_expect_eq param-pids "$(cat $DP_PARAMS/monitored_pids)" 1
dp_expect_eq param-quota "$(cat $DP_PARAMS/quota_ms)" 20
dp_expect_eq param-supervisor "$(cat $DP_PARAMS/supervisor)" Y
dp_check supervisor-runs dp_wait_for 10 sh -c \
	"grep -qx dp_hp.1 /proc/[0-9]*/comm"
dp_check modprobe-r $K/modprobe -r damon_pause
dp_check tree-absent-after test ! -e /sys/kernel/mm/damon_pause

# The README's /etc/modprobe.d/damon_pause.conf.
echo "options damon_pause monitored_pids=1 quota_ms=30" \
	> /etc/modprobe.d/damon_pause.conf
dp_check modprobe-conf $K/modprobe damon_pause
dp_expect_eq conf-pids "$(cat $DP_PARAMS/monitored_pids)" 1
dp_expect_eq conf-quota "$(cat $DP_PARAMS/quota_ms)" 30
dp_expect_eq conf-supervisor "$(cat $DP_PARAMS/supervisor)" N
dp_check modprobe-conf-r $K/modprobe -r damon_pause
dp_check tree-absent-at-end test ! -e /sys/kernel/mm/damon_pause
rm -rf /lib/modules /etc/modprobe.d

# SPDX-License-Identifier: GPL-2.0
# Guest side of `make demo`: narrates each step on the results port.
# It grows with the product; for now it shows the module's life cycle.

say() { echo "$*" > "$DP_RESULTS"; }
show() { say "\$ $*"; eval "$*" 2>&1 | sed 's/^/  /' > "$DP_RESULTS"; }

say "# kernel $(uname -r)"
show "insmod $DP_MODULE"
show "dmesg | grep damon_pause: | tail -n 1"
show "find /sys/kernel/mm/damon_pause | sort"
show "cat $DP_ADMIN/kdamonds/nr_kdamonds"
show "ls $DP_PARAMS"
show "echo 1234,5678 > $DP_PARAMS/monitored_pids; cat $DP_PARAMS/monitored_pids"
show "echo 1,,2 > $DP_PARAMS/monitored_pids || echo refused: \$?"
show "rmmod damon_pause"
show "ls /sys/kernel/mm/damon_pause 2>&1 || true"

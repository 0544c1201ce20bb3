#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every place that states the version must state VERSION's.
set -uo pipefail
. "$(dirname "$0")/qemu/lib.sh"

want=$(cat "$DP_ROOT/VERSION")
bad=0
check() {
	if [ "$2" != "$want" ]; then
		echo "version mismatch: $1 says '$2', VERSION says '$want'" >&2
		bad=1
	fi
}
check dkms.conf "$(cd "$DP_ROOT" && bash -c '. ./dkms.conf && echo "$PACKAGE_VERSION"')"
for ko in "$DP_BUILD"/mod/*/damon_pause.ko; do
	[ -f "$ko" ] && check "$ko" "$(modinfo -F version "$ko")"
done
exit $bad

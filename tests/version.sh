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
# scripts/set-version.sh writes them all; DKMS sources dkms.conf, dh_dkms
# greps it: both must read VERSION's.
check dkms.conf "$(cd "$DP_ROOT" && bash -c '. ./dkms.conf && echo "$PACKAGE_VERSION"')"
check "dkms.conf (as dh_dkms reads it)" \
	"$(sed -n -E 's/^PACKAGE_VERSION=(["'\'']?)(.*)\1$/\2/p' "$DP_ROOT/dkms.conf")"
check debian/changelog "$(dpkg-parsechangelog -l "$DP_ROOT/debian/changelog" -S Version)"
if command -v rpmspec > /dev/null; then
	spec=$(rpmspec -q --srpm --qf '%{VERSION}\n' "$DP_ROOT/rpm/damon-pause-dkms.spec")
else
	spec=$(sed -n -E 's/^Version:[[:space:]]+//p' "$DP_ROOT/rpm/damon-pause-dkms.spec")
fi
check rpm/damon-pause-dkms.spec "$spec"
# MODULE_VERSION of every module built here (tests/package/ checks DKMS's).
for ko in "${DP_BUILD:-$DP_ROOT/build}"/mod/*/damon_pause.ko; do
	[ -f "$ko" ] && check "$ko" "$(modinfo -F version "$ko")"
done
exit $bad

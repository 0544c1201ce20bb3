#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# set-version.sh NEW_VERSION: make NEW_VERSION the one version everywhere:
# VERSION (which Kbuild turns into MODULE_VERSION), dkms.conf's
# PACKAGE_VERSION, the RPM spec's Version and a new debian/changelog entry.
# tests/version.sh checks that they agree.
set -euo pipefail

new=${1:?usage: set-version.sh NEW_VERSION}
[[ $new =~ ^[0-9]+(\.[0-9]+)*$ ]] || {
	echo "error: '$new' is not a version (digits and dots)" >&2
	exit 1
}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

echo "$new" > VERSION
sed -i -E "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$new\"/" dkms.conf
sed -i -E "s/^(Version:[[:space:]]+).*/\1$new/" rpm/damon-pause-dkms.spec
if [ "$(dpkg-parsechangelog -S Version)" != "$new" ]; then
	who=$(sed -n 's/^Maintainer: //p' debian/control)
	{
		printf 'damon-pause (%s) unstable; urgency=medium\n\n' "$new"
		printf '  * New upstream version %s.\n\n' "$new"
		printf ' -- %s  %s\n\n' "$who" "$(date -R)"
		cat debian/changelog
	} > debian/changelog.new
	mv debian/changelog.new debian/changelog
fi
echo "version $new: VERSION, dkms.conf, debian/changelog, rpm/damon-pause-dkms.spec"

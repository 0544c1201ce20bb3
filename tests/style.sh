#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make style`: the kernel's checkpatch.pl over our C sources, from Debian's
# linux-source (extracted into the cache by the test harness); the layers
# of the monitoring core and of the supervisor; every shell script parses.
set -euo pipefail
. "$(dirname "$0")/qemu/lib.sh"

src=$("$DP_ROOT/tests/qemu/kernel.sh" source)
cd "$DP_ROOT"
# Kernel code only: tests/workloads/ are user-space programs.
files=$(git ls-files -- 'src/*.[ch]' 'include/*.h' 'tests/kunit/*.h' 2>/dev/null ||
	find src include tests/kunit -name '*.[ch]')
# The tracepoint headers are written in the TRACE_EVENT() idiom, which
# --strict's layout checks do not know: they get the default checks.
trace="src/dp_trace.h src/dp_trace_damon.h src/dp_trace_events.h"
files=$(echo "$files" | grep -v -e '^src/dp_trace\.h$' \
	-e '^src/dp_trace_damon\.h$' -e '^src/dp_trace_events\.h$')
# The supervisor's parameter macro names its parameter, an identifier and
# never an expression, in the parameter, its field and its default: the
# one file without --strict's MACRO_ARG_REUSE.
params=src/hugepage-params.c
files=$(echo "$files" | grep -v -x "$params")
rc=0
# shellcheck disable=SC2086
perl "$src/scripts/checkpatch.pl" --no-tree --quiet --strict \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $files || rc=1
perl "$src/scripts/checkpatch.pl" --no-tree --quiet --strict \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,MACRO_ARG_REUSE \
	-f $params || rc=1
perl "$src/scripts/checkpatch.pl" --no-tree --quiet \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f $trace || rc=1
# The monitoring core calls one way: regions at the bottom, then schemes
# and probes (which match folios with the schemes' filters), the
# intervals' tuner, the kdamond loop, and commit on top.
python3 tests/layers.py src/regions.c src/schemes.c src/probes.c \
	src/intervals.c src/core.c src/commit.c || rc=1
# The supervisor: the kept trained states at the bottom, the engine, which
# takes its inputs from its parameters' file, checked, and never reaches
# back into it, then the parameters, then the supervisor_trained_state
# file, which reads them all.
python3 tests/layers.py src/hugepage-kept.c src/hugepage.c \
	src/hugepage-params.c src/hugepage-trained.c || rc=1
# Every shell script parses: a sourced file that does not (an apostrophe
# in a single-quoted list) silently drops what it defines.
for f in $(git ls-files -- '*.sh' .ci/run tests/qemu/guest/init 2>/dev/null); do
	bash -n "$f" || { echo "style: $f does not parse" >&2; rc=1; }
done
exit $rc

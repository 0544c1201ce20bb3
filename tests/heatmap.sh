#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# heatmap.sh RESULTS PNG: the picture of a run's damo heatmaps. RESULTS (a
# guest's results.log) has damo's raw heatmaps ("report heatmap --output
# raw": time, address, heat, relative to the record's start) as lines
# "HEATMAP MONITOR TIME ADDRESS HEAT", MONITOR ours or kern; PNG gets them
# side by side, drawn by gnuplot, as damo draws its own images: the
# numbers are damo's, recorded by it, unmodified, in the guest.
set -euo pipefail
. "$(dirname "$0")/qemu/lib.sh"

results=$1 png=$2
command -v gnuplot > /dev/null || dp_die "no gnuplot (gnuplot-nox) for $png"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for m in ours kern; do
	tr -d '\r' < "$results" |
		awk -v m=$m '$1 == "HEATMAP" && $2 == m {
			# (NaN: no snapshot covers the cell yet.)
			printf "%.3f %.1f %s\n", $3 / 1e9, $4 / 1048576,
				$5 == "NaN" ? 0 : $5 }' > "$tmp/$m"
	[ -s "$tmp/$m" ] || dp_die "no $m heatmap in $results"
done
# One scale for both: the same axes and colours.
read -r tmax amax hmax <<< "$(cat "$tmp/ours" "$tmp/kern" | awk '
	$1 > t { t = $1 } $2 > a { a = $2 } $3 > h { h = $3 }
	END { print t, a, h }')"
# The guest's kernel, as the demo says it ("# kernel VERSION").
kernel=$(tr -d '\r' < "$results" | sed -n 's/^# kernel //p' | head -n 1)
gnuplot <<-EOT
	set terminal pngcairo size 1200,520 font ",10" noenhanced
	set output "$png"
	set multiplot layout 1,2 title "damo report heatmap of the demo workload (256 MiB hot at offset 0, 512 MiB cold after it), recorded at the same time"
	set xlabel "time (s)"
	set ylabel "address (MiB from the start of the record)"
	set cblabel "access frequency"
	set palette defined (0 "white", 1 "#fee08b", 2 "#f46d43", 3 "#a50026")
	unset key
	set xrange [0:$tmax]
	set yrange [0:$amax]
	set cbrange [0:$hmax]
	set title "damon_pause, through damon-pause-exec (Linux $kernel)"
	plot "$tmp/ours" using 1:2:3 with image
	set title "the kernel's own DAMON (Linux $kernel)"
	plot "$tmp/kern" using 1:2:3 with image
	unset multiplot
EOT

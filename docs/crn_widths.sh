#!/bin/sh
# The runs behind docs/ODD.md 4.9's common-random-numbers figures (see docs/crn_widths.py).
# Usage: docs/crn_widths.sh DIR SEEDS TAG BIN [TAG BIN ...]
#   e.g. docs/crn_widths.sh /tmp/crn 10 main /tmp/towngov-main keyed target/release/towngov
# Three comparisons, each 20 replications of 1,095 days per master seed 1..SEEDS:
#   main:     the main job (status quo against full reform);
#   grid:     status quo against the same town with two grid workers per grid (more draws in
#             the grid workers' search);
#   misroute: status quo against a misrouting probability of 0.15 instead of 0.2 (fewer
#             wrong-department draws in dispatch).
set -eu
dir=$1
seeds=$2
shift 2
mkdir -p "$dir/scen"
sq=scenarios/status_quo.ron
sed 's/grid: (workers_per_grid: 1)/grid: (workers_per_grid: 2)/; s/name: "development-zone status quo"/name: "two grid workers"/' \
    $sq >"$dir/scen/grid2.ron"
sed 's/platform: (integration: 0.1)/platform: (integration: 0.1, misroute_prob: 0.15)/; s/name: "development-zone status quo"/name: "fewer misroutes"/' \
    $sq >"$dir/scen/misroute.ron"
# Seed by seed, every build in turn, so that the first k seeds are complete at any time.
for k in $(seq 1 "$seeds"); do
    set -- "$@"
    tags=
    n=$#
    i=0
    while [ $i -lt $n ]; do
        tag=$1
        bin=$2
        shift 2
        set -- "$@" "$tag" "$bin"
        i=$((i + 2))
        tags="$tags $tag"
        "$bin" compare $sq scenarios/full_reform.ron --reps 20 --seed "$k" --out "$dir/$tag-main-s$k" --force -q
        "$bin" compare $sq "$dir/scen/grid2.ron" --reps 20 --seed "$k" --out "$dir/$tag-grid-s$k" --force -q
        "$bin" compare $sq "$dir/scen/misroute.ron" --reps 20 --seed "$k" --out "$dir/$tag-misroute-s$k" --force -q
    done
done
for name in main grid misroute; do
    python3 docs/crn_widths.py "$dir" "$seeds" "$name" $tags
done

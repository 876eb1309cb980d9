#!/usr/bin/env bash
# Compares two release builds of Benchmarks/'s EDIBenchmarks on the 856 mapping figure (h/c, one core) by
# alternating runs, since single runs on the build machine vary by 3-4 %:
#
#   Scripts/compare-builds.sh BASE_BINARY NEW_BINARY [ROUNDS]
#
# Each round runs `EDIBenchmarks 10 --only map` with the base build, then the new one; each line prints h/c and
# i/c, and the last two the mean h/c of each. Build the base from a worktree (`git worktree add /tmp/base REF`,
# then `swift build -c release` in /tmp/base/Benchmarks) and copy both binaries aside first.
set -euo pipefail
[ $# -ge 2 ] || { sed -n 2,9p "$0"; exit 64; }
base=$1
new=$2
rounds=${3:-4}
for _ in $(seq 1 "$rounds"); do
    for label in base new; do
        binary=$base
        [ "$label" = new ] && binary=$new
        "$binary" 10 --only map | grep "856 map" | sed -E "s/.*ratios ([0-9.]+) and ([0-9.]+)/$label \1 \2/"
    done
done | sort | awk '{ sum[$1] += $2; count[$1]++; print } END { for (k in sum) printf "%s mean h/c %.5f\n", k, sum[k] / count[k] }'

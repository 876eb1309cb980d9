#!/usr/bin/env bash
# Compares two release builds of Benchmarks/'s EDIBenchmarks on the 856 mapping figure (h/c, one core) by
# alternating runs, since single runs on the build machine vary by 3-4 %:
#
#   Scripts/compare-builds.sh BASE_BINARY NEW_BINARY [ROUNDS]
#
# Each round runs `EDIBenchmarks 10 --only map` with the base build, then the new one, and prints each run's h/c
# and i/c in that order; the last two lines give the mean h/c of each. Build the base in a worktree
# (`git worktree add /tmp/base REF`, then `swift build -c release` in /tmp/base/Benchmarks) and keep the worktree
# until the comparison is done: a build reads the grammars and maps of the checkout it was built in.
set -euo pipefail
[ $# -ge 2 ] || { sed -n 2,10p "$0"; exit 64; }
base=$1
new=$2
rounds=${3:-4}
declare -A sum=([base]=0 [new]=0)
for _ in $(seq 1 "$rounds"); do
    for label in base new; do
        binary=$base
        [ "$label" = new ] && binary=$new
        line=$("$binary" 10 --only map | grep "856 map" || true)
        [ -n "$line" ] || { echo "$binary printed no 856 map figure" >&2; exit 1; }
        ratios=$(sed -E 's/.*ratios ([0-9.]+) and ([0-9.]+)/\1 \2/' <<<"$line")
        echo "$label $ratios"
        sum[$label]=$(python3 -c "print(${sum[$label]} + ${ratios%% *})")
    done
done
for label in base new; do
    python3 -c "print('$label mean h/c %.5f' % (${sum[$label]} / $rounds))"
done

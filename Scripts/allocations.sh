#!/usr/bin/env bash
# Allocation thresholds (STYLE.md §6.4): runs Benchmarks/ReaderAllocations with package-benchmark's malloc counter
# and compares each count with Benchmarks/Thresholds/. Exit 0 when equal or better, non-zero on a regression.
# After an intended change: (cd Benchmarks && swift package --allow-writing-to-package-directory benchmark \
#     thresholds update --target ReaderAllocations)
set -uo pipefail
cd "$(dirname "$0")/../Benchmarks"
mkdir -p .build
swift package benchmark thresholds check --target ReaderAllocations --no-progress > .build/allocations.txt 2>&1
status=$?
grep -aE "EQUAL|BETTER|WORSE|Could not|error:" .build/allocations.txt || true
# Fewer allocations than the thresholds is a gain, not a failure (the plugin reports it as an error,
# benchmarkThresholdImprovement, with exit status 4 or 1 by version): passed, with a reminder to keep it.
if [ "$status" -ne 0 ] && grep -q "BETTER than the defined thresholds" .build/allocations.txt \
    && ! grep -q "WORSE" .build/allocations.txt && ! grep -q "benchmarkThresholdRegression" .build/allocations.txt; then
    echo "allocations: fewer than the thresholds; update Benchmarks/Thresholds to keep the gain"
    exit 0
fi
case $status in
    0) exit 0 ;;
    *) tail -40 .build/allocations.txt; exit "$status" ;;
esac

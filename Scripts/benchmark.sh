#!/usr/bin/env bash
# Reader benchmark (release build): MB/s for tokenizing, full parse and a baseline byte scan, in one run; then
# `edigate parse`, `edigate ack` and `edigate translate` on the generated 100 MB 856 as a whole process, and peak RSS on a 1 GB file.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
(cd Benchmarks && swift build -c release >/dev/null && .build/release/EDIBenchmarks "${@:-10 100}" --write "$work")
swift build -c release --product edigate >/dev/null
file="$work/X12-856-100MB.edi"
if [ -f "$file" ]; then
    size=$(stat -c %s "$file")
    best=""
    for _ in 1 2 3; do
        start=$(date +%s.%N)
        .build/release/edigate parse "$file" >/dev/null
        end=$(date +%s.%N)
        best=$(python3 -c "b='$best'; t=$end-$start; print(t if not b else min(float(b), t))")
    done
    python3 -c "print('edigate parse, whole process, X12 856 100 MB (best of 3): %.0f MB/s' % ($size / 1e6 / $best))"
    # The acknowledgment of the same file: parse, validation on every core, the 997 written.
    best=""
    for _ in 1 2 3; do
        start=$(date +%s.%N)
        .build/release/edigate ack "$file" --type 997 >/dev/null
        end=$(date +%s.%N)
        best=$(python3 -c "b='$best'; t=$end-$start; print(t if not b else min(float(b), t))")
    done
    python3 -c "print('edigate ack --type 997, whole process, X12 856 100 MB (best of 3): %.0f MB/s' % ($size / 1e6 / $best))"
    # Translation of the same file into event JSON lines, once (about ten seconds a run).
    start=$(date +%s.%N)
    .build/release/edigate translate "$file" >/dev/null
    end=$(date +%s.%N)
    python3 -c "print('edigate translate, whole process, X12 856 100 MB (one run): %.1f MB/s' % ($size / 1e6 / ($end - $start)))"
    big="$work/big.edi"
    for _ in $(seq 10); do cat "$file"; done > "$big"
    /usr/bin/time -f "edigate parse, 1 GB file: peak RSS %M KiB, %e s" .build/release/edigate parse "$big" >/dev/null
fi

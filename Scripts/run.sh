#!/usr/bin/env bash
# Builds edigate (release) and runs its main job on embedded defaults: for now, summarizing every interchange in
# Samples/, validating each transaction against its grammar in Maps/Grammars, and translating every sample of a
# mapped document into its canonical events (one JSON line each, into .build/events.jsonl, counted here). Extra
# arguments replace the default and run one edigate command instead (for example `validate FILE` or
# `translate FILE --partner acme-parcel`).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product edigate
if [ $# -gt 0 ]; then exec .build/release/edigate "$@"; fi
.build/release/edigate inspect Samples
.build/release/edigate validate Samples
mkdir -p .build
mapped=()
for map in Maps/X12/*/*.map Maps/EDIFACT/*/*.map; do
    version=$(basename "$(dirname "$map")")
    document=$(basename "$map" .map)
    while IFS= read -r file; do mapped+=("$file"); done < <(ls Samples/*/"$version"/* | grep -i -- "/$document[.-]" || true)
done
.build/release/edigate translate "${mapped[@]}" > .build/events.jsonl
echo "translate: $(wc -l < .build/events.jsonl) events from ${#mapped[@]} sample files in .build/events.jsonl"

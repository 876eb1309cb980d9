#!/usr/bin/env bash
# Builds edigate (release) and runs its main job on embedded defaults: for now, reading and summarizing every
# interchange in Samples/. Extra arguments replace the default `inspect Samples`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product edigate
if [ $# -eq 0 ]; then set -- inspect Samples; fi
exec .build/release/edigate "$@"

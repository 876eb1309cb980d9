#!/usr/bin/env bash
# Builds edigate (release) and runs its main job on embedded defaults: for now, summarizing every interchange in
# Samples/ and validating each transaction against its grammar in Maps/Grammars. Extra arguments replace the
# default and run one edigate command instead (for example `validate FILE` or `ack FILE --type 997`).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product edigate
if [ $# -gt 0 ]; then exec .build/release/edigate "$@"; fi
.build/release/edigate inspect Samples
exec .build/release/edigate validate Samples

#!/usr/bin/env bash
# Runs edigate's whole test suite on a fresh Debian 12 machine with Swift 6.3: installs what it needs, checks the
# formatting (`swift format lint --strict`, the toolchain's own swift-format, settings in .swift-format), builds
# with warnings as errors, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi

swift format lint --strict -r Sources Tests Benchmarks/Sources Benchmarks/Benchmarks Package.swift Benchmarks/Package.swift
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build

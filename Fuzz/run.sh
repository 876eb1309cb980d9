#!/usr/bin/env bash
# Builds one fuzz target with libFuzzer and AddressSanitizer (optimized, scratch path .build-fuzz) and runs it.
#
#   Fuzz/run.sh TARGET [SECONDS]        fuzz for SECONDS (default 60)
#   Fuzz/run.sh TARGET --runs N         the seeds, then N generated inputs (what .ci/run does)
#   Fuzz/run.sh all --runs N            every target in turn, built once
#
# TARGET: reader, writer, validation, acknowledgments, loaders, translation, content (FuzzChecks in
# Sources/FuzzChecks says what each checks). Seeds: Samples/, the acknowledgment fixtures, Fuzz/Regressions/TARGET;
# the loaders target gets grammars, profiles, maps and event examples behind a selector byte, the content target
# each sample as base64 and as a zlib stream. The corpus grows in .build-fuzz/corpus/TARGET.
# A failing input is written to Fuzz/Crashes/TARGET-crash-…: fix it, then move it to Fuzz/Regressions/TARGET/,
# where FuzzRegressionTests runs it with every `swift test`.
# Extra libFuzzer flags: FUZZ_FLAGS="-jobs=2 -workers=2". FUZZ_SKIP_BUILD=1 uses the binaries already built.
set -euo pipefail
fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
scratch=${FUZZ_SCRATCH:-$root/.build-fuzz}
targets=(reader writer validation acknowledgments loaders translation content)

[ $# -ge 1 ] || { sed -n 2,14p "$0"; exit 64; }
target=$1
shift
seconds=60
runs=""
if [ "${1:-}" = "--runs" ]; then runs=${2:?--runs needs a number}; elif [ -n "${1:-}" ]; then seconds=$1; fi

product() { echo "Fuzz$(tr '[:lower:]' '[:upper:]' <<<"${1:0:1}")${1:1}"; }

build() {
    [ "${FUZZ_SKIP_BUILD:-0}" = 1 ] && return 0
    # SwiftPM passes -sanitize=fuzzer to the Swift driver but not to its compile jobs, and gold drops the Swift
    # objects' coverage counters when linking: without the coverage flags and lld, libFuzzer sees no Swift edges.
    # A release build (whole-module) leaves the coverage out as well, so this is a debug build optimized with -O.
    local args=(--package-path "$fuzz" --scratch-path "$scratch" --sanitize=fuzzer --sanitize=address -Xswiftc -O
        -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table -Xswiftc -use-ld=lld)
    # One product at a time: without --product SwiftPM also links edigate's own command, whose main clashes with
    # libFuzzer's. A failed build fails the script (pipefail).
    swift build "${args[@]}" --product "$1" 2>&1 | { grep -v "ld.gold: warning: Cannot export local symbol" || true; }
}

seed() {
    local target=$1 directory=$2 file
    rm -rf "$directory"
    mkdir -p "$directory"
    if [ "$target" = loaders ]; then
        local selector=0 pattern
        for pattern in "Maps/Grammars:*.grammar" "PartnerProfiles:*.yaml" "Maps:*.map" "Maps/Schemas/examples:*.json"; do
            while IFS= read -r file; do
                { printf "\\x0$selector"; cat "$file"; } >"$directory/$selector-$(basename "$file")"
            done < <(find "$root/${pattern%%:*}" -name "${pattern#*:}" -type f | sort)
            selector=$((selector + 1))
        done
    elif [ "$target" = content ]; then
        # As FuzzChecks.seeds makes them: base64 in lines of 76 with CR LF behind 0x00, zlib (level 6) behind 0x01.
        find "$root/Samples" -type f ! -name '*.md' | sort | python3 -c '
import base64, os, sys, zlib
directory = sys.argv[1]
for path in sys.stdin.read().split("\n"):
    if not path: continue
    data = open(path, "rb").read()
    text = base64.b64encode(data)
    lines = b"".join(text[i:i + 76] + b"\r\n" for i in range(0, len(text), 76))
    name = os.path.basename(os.path.dirname(path)) + "-" + os.path.basename(path)
    open(os.path.join(directory, "0-" + name), "wb").write(b"\x00" + lines)
    open(os.path.join(directory, "1-" + name), "wb").write(b"\x01" + zlib.compress(data, 6))
' "$directory"
    else
        while IFS= read -r file; do
            cp "$file" "$directory/$(basename "$(dirname "$file")")-$(basename "$file")"
        done < <(find "$root/Samples" "$root/Tests/EDISchemaTests/Fixtures" -type f ! -name '*.md' | sort)
    fi
    if [ -d "$fuzz/Regressions/$target" ]; then
        find "$fuzz/Regressions/$target" -type f -exec cp {} "$directory/" \;
    fi
}

run() {
    local target=$1 binary
    binary="$scratch/debug/$(product "$target")"
    local seeds="$scratch/seeds/$target" corpus="$scratch/corpus/$target"
    seed "$target" "$seeds"
    mkdir -p "$corpus" "$fuzz/Crashes"
    local dictionary="$fuzz/Dictionaries/edi.dict"
    [ "$target" = loaders ] && dictionary="$fuzz/Dictionaries/loaders.dict"
    [ "$target" = content ] && dictionary="$fuzz/Dictionaries/content.dict"
    local limit=(-max_total_time="$seconds")
    if [ -n "$runs" ]; then
        # libFuzzer counts the seed executions in -runs; add them so N inputs are generated beyond the seeds.
        limit=(-runs=$(($(find "$seeds" -type f | wc -l) + runs)))
    fi
    local seed=${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
    echo "fuzz $target: ${limit[*]} -seed=$seed"
    # Without SWIFT_BACKTRACE=enable=no a trap starts swift-backtrace, which can hang under libFuzzer. A smaller
    # quarantine than ASan's 256 MB keeps the targets that allocate per input (zlib's window, decoding buffers) well
    # under -rss_limit_mb.
    # shellcheck disable=SC2086
    ASAN_OPTIONS="quarantine_size_mb=64${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
    SWIFT_BACKTRACE=enable=no LSAN_OPTIONS="suppressions=$fuzz/lsan.supp:print_suppressions=0" EDIGATE_ROOT="$root" "$binary" \
        -rss_limit_mb=512 -timeout=5 -seed="$seed" -dict="$dictionary" -print_final_stats=1 \
        -artifact_prefix="$fuzz/Crashes/$target-" "${limit[@]}" ${FUZZ_FLAGS:-} "$corpus" "$seeds"
}

if [ "$target" = all ]; then
    for each in "${targets[@]}"; do build "$(product "$each")"; done
    for each in "${targets[@]}"; do run "$each"; done
else
    [[ " ${targets[*]} " == *" $target "* ]] || { echo "unknown target '$target' (${targets[*]})" >&2; exit 64; }
    build "$(product "$target")"
    run "$target"
fi

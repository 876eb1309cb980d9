// swift-tools-version:6.2
import Foundation
import PackageDescription

// A path dependency is known by its folder's name, so read it rather than assume where the repository was cloned.
let edigate = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// One libFuzzer target: a main over a FuzzChecks check, with FuzzSupport's trap.
func fuzzTarget(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", .product(name: "FuzzChecks", package: edigate)],
        swiftSettings: settings
    )
}

// libFuzzer targets, one `LLVMFuzzerTestOneInput` each over a check of FuzzChecks (Sources/FuzzChecks). A package of its own, so `swift build` and `swift test` of
// edigate never build them; `Fuzz/run.sh TARGET` builds one with `--sanitize=fuzzer --sanitize=address`.
let package = Package(
    name: "edigate-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        // Where the repository is, and how a failed check traps.
        .target(name: "FuzzSupport", swiftSettings: settings),
        // 1. Reader, differential: whole input against seeded random chunks, default and tight limits.
        fuzzTarget("FuzzReader"),
        // 2. Writer round trip: what reads clean is written and read again into an equal structure.
        fuzzTarget("FuzzWriter"),
        // 3. Validation against every grammar; the TA1, 997, 999 or CONTRL of each interchange reads back clean.
        fuzzTarget("FuzzValidation"),
        // 4. Inbound acknowledgments (TA1, 997, 999, CONTRL, APERAK).
        fuzzTarget("FuzzAcknowledgments"),
        // 5. Loaders of the files people edit: grammars, partner profiles, maps, canonical event JSON.
        fuzzTarget("FuzzLoaders"),
        // 6. Translation of every transaction that validates into its canonical event.
        fuzzTarget("FuzzTranslation"),
        // 7. Content decoding (AS2): base64 bodies and compressed data, differential and within their limits.
        fuzzTarget("FuzzContent"),
    ]
)

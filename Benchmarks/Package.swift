// swift-tools-version:6.2
import Foundation
import PackageDescription

// A path dependency is known by its folder's name, so read it rather than assume where the repository was cloned.
let edigatePackage = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// A separate package, so benchmark code never becomes a dependency of edigate (as swift-nio keeps its own).
let package = Package(
    name: "edigate-benchmarks",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Deterministic 856 and DESADV files, written by edigate's own writer.
        .target(
            name: "BenchmarkFiles",
            dependencies: [.product(name: "EDICore", package: edigatePackage)],
            swiftSettings: settings
        ),
        // Throughput: MB/s for tokenizing, parsing and a baseline byte scan in one run (`swift run -c release`).
        .executableTarget(
            name: "EDIBenchmarks",
            dependencies: [
                "BenchmarkFiles",
                .product(name: "EDICore", package: edigatePackage),
                .product(name: "EDISchema", package: edigatePackage),
                .product(name: "GatewayEngine", package: edigatePackage),
                .product(name: "GatewayMaps", package: edigatePackage),
                .product(name: "GatewayEvents", package: edigatePackage),
                // SHA-256 for the mapping floor (MappingFloor.swift), as the idempotency key hashes.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings
        ),
        // Allocation counts with thresholds (`swift package benchmark thresholds check`).
        .executableTarget(
            name: "ReaderAllocations",
            dependencies: [
                "BenchmarkFiles",
                .product(name: "EDICore", package: edigatePackage),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/ReaderAllocations",
            swiftSettings: settings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)

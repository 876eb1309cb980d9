// swift-tools-version:6.2
import PackageDescription

// A separate package, so benchmark code never becomes a dependency of edigate (as swift-nio keeps its own).
let package = Package(
    name: "edigate-benchmarks",
    dependencies: [
        .package(path: "..")
    ],
    targets: [
        .executableTarget(
            name: "EDIBenchmarks",
            dependencies: [.product(name: "EDICore", package: "main")],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        )
    ]
)

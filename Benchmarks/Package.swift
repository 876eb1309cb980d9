// swift-tools-version:6.2
import Foundation
import PackageDescription

// A path dependency is known by its folder's name, so read it rather than assume where the repository was cloned.
let edigatePackage = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent

// A separate package, so benchmark code never becomes a dependency of edigate (as swift-nio keeps its own).
let package = Package(
    name: "edigate-benchmarks",
    dependencies: [
        .package(path: "..")
    ],
    targets: [
        .executableTarget(
            name: "EDIBenchmarks",
            dependencies: [.product(name: "EDICore", package: edigatePackage)],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
                .enableUpcomingFeature("InternalImportsByDefault"),
            ]
        )
    ]
)

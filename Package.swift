// swift-tools-version:6.2
import PackageDescription

/// Settings every target shares (STYLE.md §1).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
    name: "edigate",
    products: [
        .library(name: "EDICore", targets: ["EDICore"]),
        .library(name: "EDISchema", targets: ["EDISchema"]),
        .library(name: "GatewayEvents", targets: ["GatewayEvents"]),
        .library(name: "GatewayPartners", targets: ["GatewayPartners"]),
        .library(name: "GatewayMaps", targets: ["GatewayMaps"]),
        .library(name: "GatewayAS2", targets: ["GatewayAS2"]),
        .library(name: "GatewayEngine", targets: ["GatewayEngine"]),
        // Test support (chunked feeding, builders, random documents), also used by the Fuzz/ package.
        .library(name: "EDITesting", targets: ["EDITesting"]),
        // The invariants of the fuzz targets under Fuzz/, shared with FuzzRegressionTests.
        .library(name: "FuzzChecks", targets: ["FuzzChecks"]),
        .executable(name: "edigate", targets: ["gateway"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // bytes ⇄ interchanges: delimiters, tokenizer, segment/element views, envelopes, writer.
        .target(name: "EDICore", swiftSettings: swiftSettings),
        // Grammars loaded from Maps/Grammars, validation into findings, acknowledgments.
        .target(name: "EDISchema", dependencies: ["EDICore"], swiftSettings: swiftSettings),
        // Canonical events (ShipNotice, ShipmentStatus, Invoice, AcknowledgmentReceived) with provenance.
        .target(name: "GatewayEvents", swiftSettings: swiftSettings),
        // Partner profiles from PartnerProfiles/*.yaml: identities, documents, syntax, acknowledgments, endpoints.
        .target(
            name: "GatewayPartners",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Declarative maps from Maps/, compiled once into plans: transaction ⇄ canonical event. SHA-256 (swift-crypto)
        // makes idempotency keys that survive a resend.
        .target(
            name: "GatewayMaps",
            dependencies: ["EDICore", "EDISchema", "GatewayEvents", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // zlib (Debian's zlib1g-dev), through a module map and two wrappers for its init macros.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // AS2: for now the decoding of message content (base64 bodies, compressed data) within ContentLimits.
        .target(name: "GatewayAS2", dependencies: ["CZlib"], swiftSettings: swiftSettings),
        // The gateway's services (receive, store, parse, validate, ack, map, deliver); for now the partner's profile
        // applied to validation and acknowledgments.
        .target(
            name: "GatewayEngine",
            dependencies: ["EDICore", "EDISchema", "GatewayPartners"],
            swiftSettings: swiftSettings
        ),
        // Test support: chunked feeding, interchange builders, random documents, the test grammar.
        .target(name: "EDITesting", dependencies: ["EDICore", "EDISchema"], swiftSettings: swiftSettings),
        // The invariants the fuzz targets (Fuzz/) check, each returning what broke; the regression tests run them too.
        .target(
            name: "FuzzChecks",
            dependencies: [
                "EDICore", "EDISchema", "EDITesting", "GatewayAS2", "GatewayEvents", "GatewayMaps", "GatewayPartners",
            ],
            swiftSettings: swiftSettings
        ),
        // The `edigate` command: ArgumentParser CLI and composition root.
        .executableTarget(
            name: "gateway",
            dependencies: [
                "EDICore",
                "EDISchema",
                "GatewayEvents",
                "GatewayPartners",
                "GatewayMaps",
                "GatewayEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EDICoreTests",
            dependencies: [
                "EDICore",
                "EDITesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EDISchemaTests",
            dependencies: ["EDISchema", "EDICore", "EDITesting"],
            // Inputs for the acknowledgment check against Bots (Scripts/check_acks.py), read through #filePath.
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayEventsTests",
            dependencies: ["GatewayEvents"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayPartnersTests",
            dependencies: ["GatewayPartners"],
            // Profile files with errors, read through #filePath.
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayMapsTests",
            dependencies: [
                "GatewayMaps", "GatewayEvents", "EDISchema", "EDICore", "EDITesting",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayEngineTests",
            dependencies: ["GatewayEngine", "GatewayPartners", "EDISchema", "EDICore", "EDITesting"],
            // Profiles, read through #filePath (gatewayTests reads them too).
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayAS2Tests",
            dependencies: ["GatewayAS2"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FuzzRegressionTests",
            dependencies: ["FuzzChecks"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "gatewayTests",
            dependencies: ["gateway", "EDICore", "EDISchema", "EDITesting", "GatewayMaps"],
            // Golden texts, read through #filePath.
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)

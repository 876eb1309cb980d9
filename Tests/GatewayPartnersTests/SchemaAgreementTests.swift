import Foundation
import GatewayPartners
import Testing

/// The published JSON Schema and the loader accept the same profiles, checked with an independent validator
/// (Python's jsonschema and PyYAML, `Fixtures/schema_check.py`) when one is installed.
@Suite("Schema agreement", .enabled(if: SchemaCheck.isAvailable))
struct SchemaAgreementTests {
    /// What the loader checks and a schema cannot express: a delimiter another delimiter uses, a start wider than
    /// its width, an expected acknowledgment for a document not sent (or of the other standard).
    static let loaderOnly: Set<String> = ["invalidDelimiter", "outOfRange", "inconsistentValue"]

    @Test
    func examplesAndTheirWrittenJSONAreValid() throws {
        let loaded = PartnerProfileLoader.load(directory: ProfileFiles.examplesPath)
        #expect(loaded.profiles.count == 3)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("edigate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files = loaded.profiles.map { ProfileFiles.example($0.id) }
        for profile in loaded.profiles {
            let file = folder.appendingPathComponent(profile.id + ".json")
            try Data(profile.json().utf8).write(to: file)
            files.append(file.path)
        }
        let results = try SchemaCheck.run(["check"] + files)
        #expect(results.count == 6)
        for result in results {
            #expect(result["valid"] as? Bool == true, "\(result["file"] ?? "") \(result["errors"] ?? "")")
        }
    }

    @Test
    func everyInvalidFixtureIsInvalidToTheSchemaToo() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: ProfileFiles.fixture("invalid")).sorted()
        let results = try SchemaCheck.run(["check"] + names.map { ProfileFiles.fixture("invalid/" + $0) })
        #expect(results.count == names.count && names.count >= 8)
        for result in results {
            #expect(result["valid"] as? Bool == false, "\(result["file"] ?? "")")
        }
    }

    /// About three thousand variants of the examples: a key removed or added, a list emptied, a value replaced by
    /// values of every type and near misses of its format or range.
    @Test
    func variantsOfTheExamplesGetTheSameVerdict() async throws {
        let examples = ["acme-parcel", "northwind-retail", "rhein-logistik"].map(ProfileFiles.example)
        let variants = try SchemaCheck.run(["mutate", "1"] + examples).map { variant in
            Variant(
                name: variant["name"] as? String ?? "",
                yaml: variant["yaml"] as? String ?? "",
                schemaAccepts: variant["valid"] as? Bool == true,
                schemaErrors: "\(variant["errors"] ?? "")",
                loaderOnly: variant["loaderOnly"] as? [String] ?? []
            )
        }
        #expect(variants.count > 2000)
        // Two halves at once: the loader is the slow part in a debug build.
        let verdicts = await withTaskGroup(of: [(Variant, Set<String>)].self) { group in
            for half in [variants[..<(variants.count / 2)], variants[(variants.count / 2)...]] {
                group.addTask {
                    half.map {
                        ($0, Set(PartnerProfileLoader.parse($0.yaml, source: $0.name).errors.map(\.code.description)))
                    }
                }
            }
            var verdicts: [(Variant, Set<String>)] = []
            for await part in group { verdicts += part }
            return verdicts
        }
        var rejectedByLoaderOnly = 0
        for (variant, codes) in verdicts {
            if !variant.schemaAccepts {
                #expect(!codes.isEmpty, "schema refuses, loader accepts: \(variant.name) \(variant.schemaErrors)")
            } else if variant.loaderOnly.isEmpty {
                #expect(codes.isEmpty, "schema accepts, loader refuses (\(codes)): \(variant.name)")
            } else {
                rejectedByLoaderOnly += 1
                #expect(
                    !codes.isEmpty && codes.isSubset(of: Self.loaderOnly),
                    "\(variant.loaderOnly), loader says \(codes): \(variant.name)"
                )
            }
        }
        #expect(rejectedByLoaderOnly > 0)
    }

    struct Variant: Sendable {
        let name: String
        let yaml: String
        let schemaAccepts: Bool
        let schemaErrors: String
        /// What the loader refuses besides the schema, as `schema_check.py` finds it.
        let loaderOnly: [String]
    }
}

/// Runs `Fixtures/schema_check.py` with the schema, one JSON object per output line.
enum SchemaCheck {
    static let script = ProfileFiles.fixture("schema_check.py")

    static let isAvailable: Bool = (try? Self.python(["-c", "import yaml, jsonschema"]).status) == 0

    static func run(_ arguments: [String]) throws -> [[String: Any]] {
        let (status, output) = try Self.python([Self.script, ProfileFiles.schema] + arguments)
        guard status == 0 else { throw CheckFailed(status: status) }
        return try output.split(separator: UInt8(ascii: "\n")).map {
            try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
        }
    }

    struct CheckFailed: Error {
        let status: Int32
    }

    private static func python(_ arguments: [String]) throws -> (status: Int32, output: [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, Array(output))
    }
}

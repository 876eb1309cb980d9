import Foundation
import Testing

@testable import gateway

/// `edigate ack` as the process runs it (grammar checks on every core) writes exactly what it writes on one thread:
/// same acknowledgments, same messages, same exit status.
struct AckOnEveryCoreTests {
    static let root = PartnerCommandTests.root

    /// Both ways of running `arguments`: status, standard output and standard error.
    static func both(_ arguments: [String]) async -> (
        one: (Int32, String, String), every: (Int32, String, String)
    ) {
        var output = Output(.memory)
        let status = await Gateway.runOnEveryCore(arguments, into: &output)
        output.flush()
        let one = CommandTests.run(arguments)
        return ((one.status, one.output, one.errors), (status, output.text, output.errorText))
    }

    /// Every sample and finding fixture, and a file of 200 interchanges with findings, for every kind.
    @Test func sameAcknowledgments() async throws {
        var files: [String] = []
        for folder in ["Samples", "Tests/EDISchemaTests/Fixtures"] {
            let enumerator = FileManager.default.enumerator(atPath: Self.root + "/" + folder)
            while let path = enumerator?.nextObject() as? String {
                if path.hasSuffix(".edi") { files.append(Self.root + "/" + folder + "/" + path) }
            }
        }
        files.sort()
        #expect(files.count >= 30)
        var many: [UInt8] = []
        for file in files where file.contains("Fixtures") {
            for _ in 0..<20 { many += try Array(Data(contentsOf: URL(fileURLWithPath: file))) }
        }
        let folder = try CommandTests.folder([("many.edi", many), ("broken.edi", Array("ISA*00*  ~".utf8))])
        defer { try? FileManager.default.removeItem(at: folder) }
        files += [folder.appendingPathComponent("many.edi").path, folder.appendingPathComponent("broken.edi").path]
        var written = 0
        for file in files {
            for kind in ["997", "999", "ta1", "contrl"] {
                let arguments = [
                    "ack", file, "--type", kind, "--grammars", Self.root + "/Maps/Grammars", "--date", "20260101",
                    "--time", "1200",
                ]
                let (one, every) = await Self.both(arguments)
                #expect(one == every, "\(arguments)")
                if one.0 == 0 { written += 1 }
            }
        }
        #expect(written >= 40, "acknowledgments written: \(written)")
    }

    /// A partner's rules, a missing file and a grammar folder that is not one give the same results both ways.
    @Test func samePartnerRulesAndErrors() async throws {
        let sample = try String(contentsOfFile: Self.root + "/Samples/x12/004010/856-ship-notice.edi", encoding: .utf8)
        let lenient = sample.replacing("BSN*00*HVG0304001*20260304*", with: "BSN*00*HVG0304001*20261340*")
        let folder = try CommandTests.folder([
            ("harborview.yaml", Array(try PartnerCommandTests.profile.utf8)), ("lenient.edi", Array(lenient.utf8)),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lenient.edi").path
        let grammars = Self.root + "/Maps/Grammars"
        for arguments in [
            [
                "ack", path, "--type", "999", "--partner", "harborview", "--profiles", folder.path, "--grammars",
                grammars,
            ],
            ["ack", path, "--type", "997", "--partner", "nobody", "--profiles", folder.path],
            ["ack", folder.appendingPathComponent("missing.edi").path, "--type", "997"],
            ["ack", path, "--type", "997", "--grammars", folder.path],
            ["ack", folder.path, "--type", "997"],
        ] {
            let (one, every) = await Self.both(arguments + ["--date", "20260101", "--time", "1200"])
            #expect(one == every, "\(arguments)")
        }
    }
}

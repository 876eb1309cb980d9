import EDITesting
import Foundation
import Testing

@testable import gateway

/// The `edigate` command run in process: exit statuses, finding lines, JSON, summaries and help text.
struct CommandTests {
    /// Runs `edigate` with `arguments`; returns the status, standard output and standard error.
    static func run(_ arguments: [String]) -> (status: Int32, output: String, errors: String) {
        var output = Output(.memory)
        let status = Gateway.run(arguments, into: &output)
        output.flush()
        return (status, output.text, output.errorText)
    }

    /// A temporary folder holding `files` (name and bytes), removed by the caller.
    static func folder(_ files: [(String, [UInt8])]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("edigate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: folder.appendingPathComponent(name)) }
        return folder
    }

    static let clean = X12.interchange(["BEG*00*SA*PO1**20260101", "REF*ZZ*A"], lineBreak: "\n")
    static let wrongCount = Array(
        String(decoding: X12.interchange(["BEG*00*SA*PO1"], lineBreak: "\n"), as: UTF8.self)
            .replacingOccurrences(of: "SE*3*", with: "SE*9*").utf8
    )

    @Test
    func soundFilesExitZero() throws {
        let folder = try Self.folder([("a.edi", Self.clean)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("a.edi").path
        let result = Self.run(["parse", path])
        #expect(result.status == 0)
        #expect(result.output == "\(path): ok: 1 interchanges, 1 transactions\n")
        #expect(result.errors.isEmpty)
    }

    @Test
    func findingsExitTwoWithOneLocatedLineEach() throws {
        let folder = try Self.folder([("bad.edi", Self.wrongCount)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bad.edi").path
        let result = Self.run(["parse", path])
        #expect(result.status == 2)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("\(path): error: ") == true)
        #expect(lines.first?.contains("SE01") == true)
        #expect(lines.first?.contains("at byte ") == true)
    }

    @Test
    func folderArgumentsReadEveryFile() throws {
        let folder = try Self.folder([("a.edi", Self.clean), ("b.edi", Self.wrongCount)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = Self.run(["parse", folder.path])
        #expect(result.status == 2)
        #expect(result.output.contains("a.edi: ok:"))
        #expect(result.output.contains("b.edi: error:"))
    }

    @Test
    func usageAndInputErrorsExitOne() {
        let missing = Self.run(["parse", "/nonexistent/edigate-test.edi"])
        #expect(missing.status == 1)
        #expect(missing.errors.contains("cannot read /nonexistent/edigate-test.edi"))
        let noFiles = Self.run(["parse"])
        #expect(noFiles.status == 1)
        #expect(noFiles.errors.contains("Missing expected argument"))
        let unknown = Self.run(["parse", "--bogus", "x"])
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("Unknown option '--bogus'"))
    }

    @Test
    func jsonIsOneDocumentPerFileWithTheDocumentedShape() throws {
        let folder = try Self.folder([("a.edi", Self.clean)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = Self.run(["parse", "--json", folder.appendingPathComponent("a.edi").path])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n")
        try #require(lines.count == 1)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        )
        let interchanges = try #require(document["interchanges"] as? [[String: Any]])
        #expect(interchanges.count == 1)
        #expect(interchanges[0]["standard"] as? String == "X12")
        let items = try #require(interchanges[0]["items"] as? [[String: Any]])
        let group = try #require(items.first?["group"] as? [String: Any])
        let transactions = try #require(group["transactions"] as? [[String: Any]])
        #expect(transactions.first?["type"] as? String == "850")
        let segments = try #require(transactions.first?["segments"] as? [[String: Any]])
        #expect(segments.map { $0["tag"] as? String } == ["ST", "BEG", "REF", "SE"])
        #expect(segments[1]["elements"] as? [String] == ["00", "SA", "PO1", "", "20260101"])
        #expect((document["findings"] as? [Any])?.isEmpty == true)
        #expect(document["error"] is NSNull)
    }

    @Test
    func inspectSummarizesTheInterchange() throws {
        let folder = try Self.folder([("a.edi", Self.clean)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = Self.run(["inspect", folder.appendingPathComponent("a.edi").path])
        #expect(result.status == 0)
        #expect(result.output.contains("interchange 1: X12 00501"))
        #expect(
            result.output.contains("delimiters: element '*', component ':', repetition '^', segment terminator '~'")
        )
        #expect(result.output.contains("documents: 850 ×1"))
        #expect(result.output.contains("sound: 1 interchanges, 1 groups, 1 transactions, 0 errors, 0 warnings"))
    }

    @Test(arguments: [
        ["--help"], ["parse", "--help"], ["inspect", "--help"], ["validate", "--help"], ["ack", "--help"],
        ["translate", "--help"], ["render", "--help"],
    ])
    func helpMatchesItsGoldenText(arguments: [String]) throws {
        // Help wraps to the terminal's width; the goldens are 80 columns wide, as in CI.
        setenv("COLUMNS", "80", 1)
        let result = Self.run(arguments)
        #expect(result.status == 0)
        let name = (arguments.count == 1 ? "edigate" : arguments[0]) + "-help.txt"
        let golden = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Fixtures/\(name)"),
            encoding: .utf8
        )
        #expect(result.output == golden, "\(name) changed; update Tests/gatewayTests/Fixtures/\(name) if intended")
    }
}

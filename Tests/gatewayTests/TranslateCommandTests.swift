import Foundation
import Testing

@testable import gateway

/// `edigate translate` and `edigate render` end to end: a sample becomes events, an event becomes the partner's
/// document, which translates back.
@Suite("Translate and render commands")
struct TranslateCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func run(_ arguments: [String]) -> (status: Int32, output: String) {
        var output = Output(.memory)
        let status = Gateway.run(arguments, into: &output)
        return (status, output.text)
    }

    @Test func translatePrintsOneEventPerTransaction() throws {
        let root = Self.root.path
        let result = Self.run([
            "translate", root + "/Samples/edifact/D96A/invoic.edi", "--maps", root + "/Maps", "--grammars",
            root + "/Maps/Grammars",
        ])
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.contains("\"schema\":\"edigate.Invoice.v1\"") })
    }

    /// A file of many interchanges is translated a batch at a time on every core: its events and errors come out
    /// in the order of its transactions, as when each interchange is translated alone.
    @Test func batchesKeepTheOrderOfTransactions() throws {
        let root = Self.root.path
        let samples = [
            "/Samples/x12/004010/856-ship-notice.edi", "/Samples/x12/004010/997-functional-ack.edi",
            "/Samples/x12/004010/214-shipment-status.edi", "/Samples/x12/005010/810-invoice.edi",
            "/Samples/edifact/D96A/desadv.edi", "/Samples/edifact/D01B/contrl.edi",
        ]
        let options = ["--maps", root + "/Maps", "--grammars", root + "/Maps/Grammars"]
        // Event ids are fresh and byte offsets differ from copy to copy: the rest must be equal.
        func withoutEventIDs(_ text: String) -> String {
            text.replacing(#/"eventId":"[^"]*"/#, with: "").replacing(#/"byte(Start|End)":[0-9]+/#, with: "byte")
        }
        var one = (output: "", errors: "")
        for sample in samples {
            var output = Output(.memory)
            _ = Gateway.run(["translate", root + sample] + options, into: &output)
            one.output += output.text
            one.errors += output.errorText.replacing(root + sample, with: "FILE")
        }
        var bytes = Data()
        for sample in samples { bytes += try Data(contentsOf: URL(fileURLWithPath: root + sample)) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("edigate-batches-\(UUID()).edi")
        // 150 copies: some 600 transactions, more than two batches.
        try Data(repeating: 0, count: 0).write(to: file)
        let handle = try FileHandle(forWritingTo: file)
        for _ in 0..<150 { handle.write(bytes) }
        try handle.close()
        defer { try? FileManager.default.removeItem(at: file) }
        var output = Output(.memory)
        let status = Gateway.run(["translate", file.path] + options, into: &output)
        #expect(status == 2)
        #expect(output.text.split(separator: "\n").count > 2 * 256)
        #expect(withoutEventIDs(output.text) == String(repeating: withoutEventIDs(one.output), count: 150))
        // Error lines name byte offsets: the same errors, in the same order, at the offsets of the copies.
        let errors = output.errorText.split(separator: "\n").map { $0.replacing(#/byte [0-9]+/#, with: "byte N") }
        let expected = one.errors.split(separator: "\n").map { $0.replacing(#/byte [0-9]+/#, with: "byte N") }
        #expect(!expected.isEmpty)
        #expect(
            errors.map { $0.replacing(file.path, with: "FILE") }
                == Array(repeating: expected, count: 150).flatMap { $0 }
        )
    }

    @Test func renderWritesThePartnersDocument() throws {
        let root = Self.root.path
        let events = Self.run([
            "translate", root + "/Samples/x12/005010/856-ship-notice.edi", "--maps", root + "/Maps", "--grammars",
            root + "/Maps/Grammars",
        ])
        #expect(events.status == 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("edigate-render-\(UUID()).jsonl")
        try events.output.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let rendered = Self.run([
            "render", file.path, "--partner", "northwind-retail", "--profiles", root + "/PartnerProfiles", "--maps",
            root + "/Maps", "--grammars", root + "/Maps/Grammars", "--date", "20261124", "--time", "0130",
        ])
        #expect(rendered.status == 0)
        #expect(
            rendered.output.hasPrefix(
                "ISA*00*          *00*          *ZZ*EDIGATE        *01*123456789      *261124*0130"
            )
        )
        #expect(rendered.output.contains("ST*856*0001~BSN*00*PKA26031601"))
        #expect(rendered.output.contains("HL*1**S*1~"))
    }

    /// Events an ERP sends back broken in every way the event reader knows, each carrying a canary: `render` says
    /// what and where for each line, and never repeats the canary.
    @Test func renderNamesBrokenEventsWithoutTheirValues() throws {
        let root = Self.root.path
        let events = CommandTests.run([
            "translate", root + "/Samples/edifact/D96A/invoic.edi", "--maps", root + "/Maps", "--grammars",
            root + "/Maps/Grammars",
        ])
        let line = try #require(events.output.split(separator: "\n").first.map(String.init))
        let c = "CANARY7Q"
        let broken: [(String, String)] = [
            (
                line.replacingOccurrences(of: "\"documentType\":\"", with: "\"documentType\":\"\(c)"),
                "an invalid value for documentType"
            ),
            (
                line.replacingOccurrences(of: "\"kind\":\"", with: "\"kind\":7,\"\(c)\":\""),
                "expected a string, found a number for kind"
            ),
            ("{\"\(c)\":1,\"\(c)\":2}", "expected each member name once, found a name given twice at byte 14"),
            (
                String(line.dropLast()) + ",\"\(c)\u{1}\":1}",
                "expected a control character in a string only as an escape"
            ),
            (
                line.replacingOccurrences(of: "\"schema\":\"edigate.Invoice.v1", with: "\"schema\":\"\(c)"),
                "expected a schema of"
            ),
            (
                line.replacingOccurrences(of: "\"reference\":\"", with: "\"reference\":[\"\(c)\"],\"x\":\""),
                "found an array for metadata.provenance[0].reference"
            ),
        ]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("edigate-render-\(UUID()).jsonl")
        try (broken.map(\.0).joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let rendered = CommandTests.run([
            "render", file.path, "--partner", "northwind-retail", "--profiles", root + "/PartnerProfiles", "--maps",
            root + "/Maps", "--grammars", root + "/Maps/Grammars",
        ])
        #expect(rendered.status == 2)
        #expect(!rendered.errors.contains(c), "\(rendered.errors)")
        let messages = rendered.errors.split(separator: "\n")
        #expect(messages.count == broken.count, "\(rendered.errors)")
        for (index, (_, expected)) in broken.enumerated() {
            #expect(
                messages.contains {
                    $0.contains(":\(index + 1): expected a canonical event: ") && $0.contains(expected)
                },
                "\(expected)\n\(rendered.errors)"
            )
        }
    }
}

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
}

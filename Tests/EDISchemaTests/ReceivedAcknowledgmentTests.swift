import EDICore
import EDISchema
import Foundation
import Testing

/// Partners' acknowledgments read into results per control number: the samples of every kind, and our own
/// acknowledgments read back.
@Suite("Received acknowledgments")
struct ReceivedAcknowledgmentTests {
    static func read(_ sample: String) throws -> [ReceivedAcknowledgment] {
        let bytes = try [UInt8](
            Data(contentsOf: PublishedGrammarTests.root.appendingPathComponent("Samples/\(sample)"))
        )
        return try EDIParser.parse(bytes).flatMap { ReceivedAcknowledgment.read($0) }
    }

    @Test func functionalAcknowledgment() throws {
        let acknowledgments = try Self.read("x12/004010/997-functional-ack.edi")
        let ack = try #require(acknowledgments.first)
        #expect(ack.kind == .functional997)
        #expect(ack.results.count == 3)
        let accepted = ack.results[0]
        #expect(accepted.level == .transaction && accepted.controlNumber == "0001" && accepted.outcome == .accepted)
        #expect(accepted.groupControlNumber == "9120" && accepted.documentType == "850")
        let rejected = ack.results[1]
        #expect(rejected.controlNumber == "0002" && rejected.outcome == .rejected && rejected.codes == ["5"])
        #expect(
            rejected.errors == [
                .init(code: "8", segmentTag: "DTM", segmentPosition: 6),
                .init(code: "8", segmentTag: "DTM", segmentPosition: 6, elementPosition: 2, elementReference: "373"),
            ]
        )
        let group = ack.results[2]
        #expect(group.level == .group && group.controlNumber == "9120" && group.outcome == .partiallyAccepted)
        #expect(group.counts.map { [$0.included, $0.received, $0.accepted] } == [2, 2, 1])
    }

    @Test func implementationAcknowledgment() throws {
        let ack = try #require(try Self.read("x12/005010/999-implementation-ack.edi").first)
        #expect(ack.kind == .implementation999)
        #expect(ack.results.map(\.controlNumber) == ["731801", "731802", "7318"])
        #expect(ack.results.map(\.outcome) == [.accepted, .rejected, .partiallyAccepted])
        let rejected = ack.results[1]
        #expect(rejected.codes == ["I5"])
        #expect(
            rejected.errors == [
                .init(code: "I6", segmentTag: "REF", segmentPosition: 8),
                .init(code: "8", segmentTag: "DTM", segmentPosition: 10),
                .init(code: "8", segmentTag: "DTM", segmentPosition: 10, elementPosition: 2, elementReference: "373"),
            ]
        )
    }

    @Test func interchangeAcknowledgments() throws {
        let accepted = try #require(try Self.read("x12/004010/ta1-interchange-ack.edi").first)
        #expect(accepted.kind == .ta1)
        #expect(accepted.results.map(\.controlNumber) == ["000004711"])
        #expect(accepted.results.first?.outcome == .accepted && accepted.results.first?.codes == ["000"])
        let rejected = try #require(try Self.read("x12/005010/ta1-interchange-ack.edi").first)
        #expect(rejected.results.first?.outcome == .rejected && rejected.results.first?.codes == ["001"])
        #expect(rejected.results.first?.controlNumber == "000007288")
    }

    @Test func syntaxAndServiceReport() throws {
        let ack = try #require(try Self.read("edifact/D96A/contrl.edi").first)
        #expect(ack.kind == .contrl)
        #expect(ack.results.map(\.level) == [.interchange, .group, .transaction, .transaction, .transaction])
        #expect(ack.results.map(\.controlNumber) == ["RWI260305004", "RWI2603050", "1", "2", "3"])
        #expect(ack.results.map(\.outcome) == [.accepted, .accepted, .accepted, .rejected, .accepted])
        #expect(ack.results[3].documentType == "INVOIC" && ack.results[3].groupControlNumber == "RWI2603050")
        #expect(
            ack.results[3].errors == [
                .init(code: "37", segmentPosition: 27, elementPosition: 1, componentPosition: 2)
            ]
        )
        let syntax4 = try #require(try Self.read("edifact/D01B/contrl.edi").first)
        #expect(syntax4.results[2].errors.map(\.code) == ["13", "12"])
        #expect(syntax4.results[2].errors.map(\.segmentPosition) == [19, 24])
    }

    @Test func applicationErrorAndAcknowledgment() throws {
        let ack = try #require(try Self.read("edifact/D96A/aperak.edi").first)
        #expect(ack.kind == .aperak)
        let result = try #require(ack.results.first)
        #expect(result.controlNumber == "RWD260310001" && result.outcome == .rejected)
        #expect(result.codes == ["DES014", "DES022"])
        #expect(result.references["AAK"] == "DA-2026-031017")
        let invoice = try #require(try Self.read("edifact/D01B/aperak.edi").first?.results.first)
        #expect(invoice.documentType == "380" && invoice.references["DOC"] == "FA-2026-000412")
        #expect(invoice.codes == ["INV031", "INV007"])
    }

    /// What we write, a partner's system reads: our 997 and 999 read back give the report's decisions.
    @Test(arguments: [AcknowledgmentKind.functional997, .implementation999])
    func ourAcknowledgmentsReadBack(_ kind: AcknowledgmentKind) throws {
        let bytes = try [UInt8](
            Data(
                contentsOf: AcknowledgmentGoldenTests.folder.appendingPathComponent(
                    "856-conditional-element-missing.\(kind.rawValue)"
                )
            )
        )
        let ack = try #require(try EDIParser.parse(bytes).flatMap { ReceivedAcknowledgment.read($0) }.first)
        #expect(ack.results.map(\.outcome) == [.rejected, .rejected])
        #expect(ack.results[0].controlNumber == "730201" && ack.results[0].codes == ["5"])
        #expect(
            ack.results[0].errors.last
                == .init(
                    code: "2",
                    segmentTag: "DTM",
                    segmentPosition: 8,
                    loop: "HL",
                    elementPosition: 3,
                    elementReference: "337"
                )
        )
        #expect(ack.results[1].level == .group && ack.results[1].controlNumber == "7302")
    }
}

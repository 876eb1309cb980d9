import EDICore
import EDISchema
import Foundation
import GatewayEvents
import GatewayMaps
import Testing

/// Canonical to EDI to canonical is the identity: every sample's event, rendered by its map into a document that
/// validates against its grammar, reads back as the same event (metadata aside: a new interchange has new numbers).
///
/// Every mapped document: 856, DESADV, 810, INVOIC, 214, IFTSTA and the 210 (whose B304 method of payment and
/// B311 SCAC, mandatory, a freight Invoice carries as `paymentMethod` and `carrierScac`).
@Suite("Rendering events and reading them back")
struct RoundTripTests {
    static let documents: [(sample: String, map: String, grammar: String)] = [
        ("x12/004010/214-shipment-status.edi", "X12/004010/214.map", "X12/004010/214.grammar"),
        ("x12/005010/214-shipment-status.edi", "X12/005010/214.map", "X12/005010/214.grammar"),
        ("x12/004010/856-ship-notice.edi", "X12/004010/856.map", "X12/004010/856.grammar"),
        ("x12/005010/856-ship-notice.edi", "X12/005010/856.map", "X12/005010/856.grammar"),
        ("x12/004010/810-invoice.edi", "X12/004010/810.map", "X12/004010/810.grammar"),
        ("edifact/D96A/iftsta.edi", "EDIFACT/D96A/IFTSTA.map", "EDIFACT/D96A/IFTSTA.grammar"),
        ("edifact/D01B/iftsta.edi", "EDIFACT/D01B/IFTSTA.map", "EDIFACT/D01B/IFTSTA.grammar"),
        ("edifact/D96A/invoic.edi", "EDIFACT/D96A/INVOIC.map", "EDIFACT/D96A/INVOIC.grammar"),
        ("edifact/D01B/invoic.edi", "EDIFACT/D01B/INVOIC.map", "EDIFACT/D01B/INVOIC.grammar"),
        ("edifact/D96A/desadv.edi", "EDIFACT/D96A/DESADV.map", "EDIFACT/D96A/DESADV.grammar"),
        ("edifact/D01B/desadv.edi", "EDIFACT/D01B/DESADV.map", "EDIFACT/D01B/DESADV.grammar"),
        ("x12/005010/810-invoice.edi", "X12/005010/810.map", "X12/005010/810.grammar"),
        ("x12/004010/210-freight-invoice.edi", "X12/004010/210.map", "X12/004010/210.grammar"),
        ("x12/005010/210-freight-invoice.edi", "X12/005010/210.map", "X12/005010/210.grammar"),
    ]

    /// The event's JSON without metadata: what must survive the round trip.
    static func content(_ event: CanonicalEvent) throws -> String {
        var text = String(decoding: try EventJSON.encode(event), as: UTF8.self)
        if let start = text.range(of: "\"metadata\":{") {
            // Metadata is one object; cut it by counting braces.
            var depth = 0
            var end = start.upperBound
            depth = 1
            while depth > 0 && end < text.endIndex {
                if text[end] == "{" { depth += 1 }
                if text[end] == "}" { depth -= 1 }
                end = text.index(after: end)
            }
            text.removeSubrange(start.lowerBound..<end)
        }
        return text
    }

    /// `event` rendered as an interchange by `map`, and everything validating it against `grammar` finds.
    static func render(_ event: CanonicalEvent, map: MapDefinition, grammar: Grammar) throws -> (
        bytes: [UInt8], findings: [Finding]
    ) {
        let bytes = try Renderer(map: map, grammar: grammar).interchange(
            event,
            envelope: OutboundEnvelope(
                sender: "EDIGATE",
                senderQualifier: "ZZ",
                receiver: "PARTNER",
                receiverQualifier: "ZZ",
                date: "20261124",
                time: "0100"
            )
        )
        var validation = InterchangeValidation(
            catalog: GrammarCatalog(directory: TranslatorTests.maps + "/Grammars"),
            guide: grammar
        )
        return (bytes, try validation.reports(bytes).flatMap(\.allFindings))
    }

    /// Document `index`'s map, grammar and its sample's event.
    static func sampleEvent(_ index: Int) throws -> (MapDefinition, Grammar, CanonicalEvent) {
        let document = Self.documents[index]
        return (
            try MapLoader.load(path: TranslatorTests.maps + "/" + document.map),
            try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/" + document.grammar),
            try TranslatorTests.translate(
                try TranslatorTests.sample(document.sample),
                map: document.map,
                grammar: document.grammar
            )
        )
    }

    @Test(arguments: 0..<documents.count)
    func sampleEventSurvives(_ index: Int) throws {
        let document = Self.documents[index]
        let (map, grammar, original) = try Self.sampleEvent(index)
        // The rendered document is sound and valid against its grammar.
        let (bytes, findings) = try Self.render(original, map: map, grammar: grammar)
        #expect(
            findings.isEmpty,
            "\(document.sample): \(findings.map(\.description))\n\(String(decoding: bytes, as: UTF8.self))"
        )
        let again = try TranslatorTests.translate(bytes, map: document.map, grammar: document.grammar)
        let (before, after) = (try Self.content(original), try Self.content(again))
        #expect(after == before, "\(document.sample)\n\(before)\n\(after)")
    }

    /// More statuses (and parties) than one LX loop may hold go into as many LX loops as they need (004010: at
    /// most 10 AT7 loops in an LX; 005010: 10 per 1100 and 5 parties per 1200), and read back as one event.
    @Test(arguments: [0, 1])
    func manyStatusesSpreadOverLoops(_ index: Int) throws {
        let document = Self.documents[index]
        let (map, grammar, original) = try Self.sampleEvent(index)
        guard case .shipmentStatus(var status) = original else {
            Issue.record("expected a ShipmentStatus")
            return
        }
        status.events = (0..<25).map { status.events[$0 % status.events.count] }
        if index == 1, let party = status.shipment.parties.first {
            status.shipment.parties = Array(repeating: party, count: 12)
        }
        let (bytes, findings) = try Self.render(.shipmentStatus(status), map: map, grammar: grammar)
        #expect(findings.isEmpty, "\(findings.map(\.description))\n\(String(decoding: bytes, as: UTF8.self))")
        #expect(String(decoding: bytes, as: UTF8.self).components(separatedBy: "LX*").count - 1 == 3)
        let again = try TranslatorTests.translate(bytes, map: document.map, grammar: document.grammar)
        #expect(try Self.content(again) == Self.content(.shipmentStatus(status)))
    }
}

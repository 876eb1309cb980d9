import EDICore
import EDISchema
import Foundation
import GatewayEvents
import GatewayMaps
import Testing

@Suite("Translating transactions into events")
struct TranslatorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let maps = root.appendingPathComponent("Maps").path

    /// The first transaction of `bytes` with its interchange control number.
    static func transaction(_ bytes: [UInt8]) throws -> (Transaction, String) {
        let interchange = try #require(try EDIParser.parse(bytes).first)
        return (try #require(interchange.transactions.first), interchange.header.controlNumber ?? "")
    }

    static func translate(_ bytes: [UInt8], map: String, grammar: String) throws -> CanonicalEvent {
        let (transaction, control) = try Self.transaction(bytes)
        let translator = Translator(
            map: try MapLoader.load(path: Self.maps + "/" + map),
            grammar: try GrammarLoader.load(path: Self.maps + "/Grammars/" + grammar)
        )
        return try translator.translate(
            transaction,
            context: TranslationContext(
                partner: "cpfs",
                interchangeControlNumber: control,
                eventID: { "event-1" },
                vocabulary: MilestoneVocabulary(path: Self.maps + "/Vocabulary/milestones.tsv")
            )
        )
    }

    static func sample(_ path: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: Self.root.appendingPathComponent("Samples/" + path)))
    }

    @Test func carrierStatusBecomesAnEventWithProvenance() throws {
        let bytes = try Self.sample("x12/004010/214-shipment-status.edi")
        guard
            case .shipmentStatus(let status) = try Self.translate(
                bytes,
                map: "X12/004010/214.map",
                grammar: "X12/004010/214.grammar"
            )
        else {
            Issue.record("expected a ShipmentStatus")
            return
        }
        #expect(status.shipment.identifier == "55312080")
        #expect(status.shipment.scac == "CPFS")
        #expect(status.shipment.billOfLading == "55312080")
        #expect(status.shipment.parties.map(\.role) == ["SH", "CN", "BT"])
        #expect(status.events.count == 5)
        // Canonical milestones from Maps/Vocabulary/milestones.tsv, the codes kept as sent.
        #expect(status.events.map(\.milestone) == [.arrived, .pickedUp, .inTransit, .arrived, .delivered])
        let first = try #require(status.events.first)
        #expect(first.code == "X3")
        #expect(first.codeList == "X12 1650")
        // 4 March 2026 is before US daylight saving time: Eastern time is UTC-5.
        #expect(first.at?.text == "2026-03-04T15:40:00-05:00")
        #expect(first.location == .init(city: "COLUMBUS", region: "OH", country: "US"))
        #expect(status.metadata.businessKey == "55312080")
        #expect(status.metadata.transactionControlNumber == "0001")
        // Provenance points at the bytes the value came from.
        let provenance = try #require(status.metadata.provenance["events[0].code"])
        #expect(provenance.reference == "AT701")
        #expect(provenance.segment == 15)
        #expect(String(decoding: bytes[provenance.byteStart..<provenance.byteEnd], as: UTF8.self) == "X3")
        let identifier = try #require(status.metadata.provenance["shipment.identifier"])
        #expect(identifier.reference == "B1002")
        #expect(String(decoding: bytes[identifier.byteStart..<identifier.byteEnd], as: UTF8.self) == "55312080")
    }

    @Test func edifactStatusReadsDateTimeFormats() throws {
        let bytes = try Self.sample("edifact/D96A/iftsta.edi")
        guard
            case .shipmentStatus(let status) = try Self.translate(
                bytes,
                map: "EDIFACT/D96A/IFTSTA.map",
                grammar: "EDIFACT/D96A/IFTSTA.grammar"
            )
        else {
            Issue.record("expected a ShipmentStatus")
            return
        }
        #expect(status.shipment.identifier == "WS-BL-26-004417")
        #expect(status.events.first?.code == "13")
        #expect(status.events.first?.milestone == .pickedUp)
        #expect(status.events.first?.codeList == "EDIFACT 9011")
        // DTM+334 format 203 (CCYYMMDDHHMM) gives no zone: none is invented.
        #expect(status.events.first?.at?.text == "2026-03-10T14:15:00")
        #expect(status.events.first?.location?.code == Reference(qualifier: "6", value: "DEDUI"))
    }

    /// The same transaction resent in another interchange keeps its idempotency key; any change makes a new one.
    @Test func idempotencyKeySurvivesAResend() throws {
        let original = try Self.sample("x12/004010/214-shipment-status.edi")
        let text = String(decoding: original, as: UTF8.self)
        let resent = Array(text.replacingOccurrences(of: "000061502", with: "000061999").utf8)
        let changed = Array(text.replacingOccurrences(of: "AT7*X3*NS", with: "AT7*X1*NS").utf8)
        func key(_ bytes: [UInt8]) throws -> String {
            try Self.translate(bytes, map: "X12/004010/214.map", grammar: "X12/004010/214.grammar").metadata
                .idempotencyKey
        }
        #expect(try key(original) == key(resent))
        #expect(try key(original) != key(changed))
        #expect(try key(original).count == 64)
    }

    @Test func missingMandatoryValueIsAnErrorNamingFieldAndReference() throws {
        let text = String(decoding: try Self.sample("x12/004010/214-shipment-status.edi"), as: UTF8.self)
        let bytes = Array(
            text.replacingOccurrences(of: "B10*0417729053*55312080*CPFS", with: "B10*0417729053**CPFS").utf8
        )
        #expect {
            _ = try Self.translate(bytes, map: "X12/004010/214.map", grammar: "X12/004010/214.grammar")
        } throws: { error in
            guard let error = error as? MappingError else { return false }
            return error.code == .missingValue && error.field == "shipment.identifier" && error.reference == "B1002"
                && error.line == 9 && error.location?.segmentNumber == 4
        }
    }

    @Test func invalidDateIsAnErrorWithoutTheValue() throws {
        let text = String(decoding: try Self.sample("x12/004010/214-shipment-status.edi"), as: UTF8.self)
        let bytes = Array(text.replacingOccurrences(of: "*20260304*1540*ET", with: "*20261340*1540*ET").utf8)
        #expect {
            _ = try Self.translate(bytes, map: "X12/004010/214.map", grammar: "X12/004010/214.grammar")
        } throws: { error in
            guard let error = error as? MappingError else { return false }
            return error.code == .invalidValue && error.reference == "AT705" && !error.description.contains("20261340")
        }
    }
}

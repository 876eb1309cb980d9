import EDISchema
import Foundation
import GatewayEvents
import GatewayMaps
import Testing

/// The event JSON edigate writes with its own encoder agrees with Foundation's JSON encoder and decoder, an
/// independent implementation of the same Codable conformances, on random events translated from rendered
/// documents (so every event carries real field provenance): each side reads what the other writes into the same
/// event. Provenance is compared as a set there, since Foundation keeps no member order; edigate's own round trip
/// keeps the reading order exactly.
struct EventJSONAgreementTests {
    static let cases: [(String, String, @Sendable (UInt64) -> CanonicalEvent)] = [
        ("X12/004010/856.map", "X12/004010/856.grammar", { .shipNotice(DocumentPropertyTests.shipNotice(seed: $0)) }),
        ("X12/004010/810.map", "X12/004010/810.grammar", { .invoice(DocumentPropertyTests.invoice(seed: $0)) }),
        (
            "EDIFACT/D96A/DESADV.map", "EDIFACT/D96A/DESADV.grammar",
            { .shipNotice(DocumentPropertyTests.despatchAdvice(seed: $0)) }
        ),
        (
            "EDIFACT/D96A/INVOIC.map", "EDIFACT/D96A/INVOIC.grammar",
            { .invoice(DocumentPropertyTests.edifactInvoice(seed: $0)) }
        ),
        (
            "X12/004010/214.map", "X12/004010/214.grammar",
            { .shipmentStatus(EventPropertyTests.status(seed: $0, edifact: false)) }
        ),
    ]

    /// `event` with its provenance ordered by path, as a decoder that keeps no order may give it.
    static func unordered(_ event: CanonicalEvent) -> CanonicalEvent {
        var event = event
        var table = ProvenanceTable()
        for entry in event.metadata.provenance.sorted(by: { $0.path < $1.path }) {
            table[entry.path] = entry.provenance
        }
        event.metadata.provenance = table
        return event
    }

    /// Every object's member names in byte order, the provenance table's in reading order.
    static func checkOrder(_ value: JSONValue, provenance: [String], inProvenance: Bool = false) {
        switch value {
        case .object(let members):
            let names = members.map(\.0)
            if inProvenance {
                #expect(names == provenance)
            } else {
                #expect(zip(names, names.dropFirst()).allSatisfy { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            }
            for (name, member) in members where !inProvenance {
                Self.checkOrder(member, provenance: provenance, inProvenance: name == "provenance")
            }
        case .array(let elements):
            for element in elements { Self.checkOrder(element, provenance: provenance) }
        default: break
        }
    }

    @Test(arguments: 0..<5)
    func foundationAndEdigateAgree(_ index: Int) throws {
        let (mapPath, grammarPath, make) = Self.cases[index]
        let map = try MapLoader.load(path: TranslatorTests.maps + "/" + mapPath)
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/" + grammarPath)
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for seed in UInt64(1)...40 {
            let (bytes, _) = try RoundTripTests.render(make(seed), map: map, grammar: grammar)
            let event = try TranslatorTests.translate(bytes, map: mapPath, grammar: grammarPath)
            #expect(event.metadata.provenance.count > 3, "seed \(seed)")

            let ours = try EventJSON.encode(event)
            #expect(try EventJSON.decode(ours) == event, "seed \(seed)")
            #expect(!ours.contains(UInt8(ascii: "\n")))
            Self.checkOrder(try JSONReader.read(ours), provenance: event.metadata.provenance.map { $0.path })

            let readByFoundation = try JSONDecoder().decode(CanonicalEvent.self, from: Data(ours))
            #expect(Self.unordered(readByFoundation) == Self.unordered(event), "seed \(seed)")
            let theirs = try foundation.encode(event)
            #expect(Self.unordered(try EventJSON.decode(Array(theirs))) == Self.unordered(event), "seed \(seed)")
        }
    }

    /// A field of the wrong type or a missing one is named by its path; text that is not JSON by its byte.
    @Test func decodingErrorsNameThePlace() throws {
        let (mapPath, grammarPath, make) = Self.cases[4]
        let map = try MapLoader.load(path: TranslatorTests.maps + "/" + mapPath)
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/" + grammarPath)
        let (bytes, _) = try RoundTripTests.render(make(7), map: map, grammar: grammar)
        let text = String(
            decoding: try EventJSON.encode(try TranslatorTests.translate(bytes, map: mapPath, grammar: grammarPath)),
            as: UTF8.self
        )

        /// How decoding `broken` fails, or nil when it decodes.
        func failure(_ broken: String) -> String? {
            do {
                _ = try EventJSON.decode(Array(broken.utf8))
                return nil
            } catch {
                return EventJSON.describe(error)
            }
        }
        let wrongType = text.replacingOccurrences(of: "\"milestone\":\"", with: "\"milestone\":7,\"x\":\"")
        #expect(failure(wrongType) == "expected a string, found a number for events[0].milestone")
        let missing = text.replacingOccurrences(of: "\"identifier\":", with: "\"identifierX\":")
        #expect(failure(missing) == "no value for shipment.identifier")
        #expect(
            failure(String(text.dropLast()))
                == "expected ',' or '}', found the end of the text at byte \(text.utf8.count - 1)"
        )
        // An unknown milestone: the standard library's message quotes the value, so only its place is told.
        let unknown = text.replacingOccurrences(of: "\"milestone\":\"", with: "\"milestone\":\"CANARY7Q")
        #expect(failure(unknown) == "an invalid value for events[0].milestone")
        // A provenance entry that is not one is named by its position, not by its path (input).
        let provenance = text.replacingOccurrences(of: "\"reference\":\"", with: "\"reference\":7,\"x\":\"")
        #expect(failure(provenance) == "expected a string, found a number for metadata.provenance[0].reference")
    }
}

import EDICore
import EDISchema
import EDITesting
import Foundation
import GatewayEvents
import GatewayMaps
import PropertyBased
import Testing

/// Canonical to EDI to canonical is the identity for random events within what a map expresses: ShipmentStatus
/// through the X12 004010 214 and the EDIFACT D96A IFTSTA maps. Each rendered document validates against its
/// grammar. (The generator keeps to what the documents require: a 214 needs the carrier's SCAC and a PRO number or another B10 reference,
/// and every status code its reason code.)
struct EventPropertyTests {
    static let vocabulary = MilestoneVocabulary(path: TranslatorTests.maps + "/Vocabulary/milestones.tsv")

    static func text(_ generator: inout SeededGenerator, _ length: ClosedRange<Int>, letters: Bool = false) -> String {
        let pool = Array(letters ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -")
        let count = Int.random(in: length, using: &generator)
        var characters = (0..<count).map { _ in pool.randomElement(using: &generator)! }
        // Elements keep no blanks at their ends: a blank there becomes an X, so the length stays in `length` (trimming
        // them made a one-character BSN02 of two blanks, below the grammar's minimum).
        if characters.first == " " { characters[0] = "X" }
        if characters.last == " " { characters[characters.count - 1] = "X" }
        return String(characters)
    }

    static func optional<T>(_ generator: inout SeededGenerator, _ make: (inout SeededGenerator) -> T) -> T? {
        Bool.random(using: &generator) ? make(&generator) : nil
    }

    /// A random status event the 214 map expresses: X12 1650 codes, fixed-zone offsets, whole minutes.
    static func status(seed: UInt64, edifact: Bool) -> ShipmentStatus {
        var generator = SeededGenerator(seed: seed)
        let codes = edifact ? ["1", "13", "21", "24", "3"] : ["X3", "AF", "X6", "X1", "D1", "AG", "X4", "P1"]
        let codeList = edifact ? "EDIFACT 9011" : "X12 1650"
        let events = (0..<Int.random(in: 1...4, using: &generator)).map { _ -> ShipmentStatus.StatusEvent in
            let code = codes.randomElement(using: &generator)!
            let offset = edifact ? nil : [-300, -360, -420, -480, 0].randomElement(using: &generator)
            let day = Int.random(in: 1...28, using: &generator)
            let hour = Int.random(in: 0...23, using: &generator)
            let minute = Int.random(in: 0...59, using: &generator)
            let date = "202603" + (day < 10 ? "0" : "") + String(day)
            let time = (hour < 10 ? "0" : "") + String(hour) + (minute < 10 ? "0" : "") + String(minute)
            return ShipmentStatus.StatusEvent(
                milestone: Milestone(rawValue: Self.vocabulary.milestone(for: code, in: codeList)) ?? .other,
                code: code,
                codeList: codeList,
                // AT701 and AT702 are paired (P0102): a status code always comes with a reason code.
                reason: edifact ? nil : ["NS", "A1", "A2", "AA"].randomElement(using: &generator),
                at: Timestamp(date: date, time: time, utcOffsetMinutes: offset),
                location: edifact
                    ? ShipmentStatus.Location(
                        city: Self.text(&generator, 3...12, letters: true),
                        code: Reference(qualifier: "6", value: "DE" + Self.text(&generator, 3...3, letters: true))
                    )
                    : ShipmentStatus.Location(
                        city: Self.text(&generator, 3...12, letters: true),
                        region: Self.text(&generator, 2...2, letters: true),
                        country: "US"
                    ),
                equipment: edifact
                    ? nil
                    : Self.optional(&generator) {
                        ShipmentStatus.Equipment(
                            identifier: Self.text(&$0, 1...10),
                            type: "TL",
                            owner: Self.text(&$0, 2...4, letters: true)
                        )
                    }
            )
        }
        let shipment = ShipmentStatus.Shipment(
            identifier: Self.text(&generator, 1...20),
            scac: edifact ? nil : Self.text(&generator, 2...4, letters: true),  // B1003 is mandatory
            billOfLading: Self.optional(&generator) { Self.text(&$0, 1...20) },
            // B1001 or B1006 must be present (R0106): the 214 map writes the PRO number in B1001.
            proNumber: edifact ? nil : Self.text(&generator, 1...20)
        )
        let metadata = EventMetadata(
            eventId: "e",
            idempotencyKey: "k",
            correlationId: "c",
            partner: "p",
            standard: edifact ? "EDIFACT" : "X12",
            version: edifact ? "D96A" : "004010",
            document: edifact ? "IFTSTA" : "214",
            interchangeControlNumber: "1",
            transactionControlNumber: "1"
        )
        return ShipmentStatus(metadata: metadata, shipment: shipment, events: events)
    }

    @Test(arguments: [false, true])
    func statusSurvivesRenderingAndReading(edifact: Bool) async throws {
        let mapPath = edifact ? "EDIFACT/D96A/IFTSTA.map" : "X12/004010/214.map"
        let grammarPath = edifact ? "EDIFACT/D96A/IFTSTA.grammar" : "X12/004010/214.grammar"
        let map = try MapLoader.load(path: TranslatorTests.maps + "/" + mapPath)
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/" + grammarPath)
        await propertyCheck(count: 150, input: Gen.uint64(in: 0 ... .max)) { seed in
            let event = CanonicalEvent.shipmentStatus(Self.status(seed: seed, edifact: edifact))
            do {
                let (bytes, findings) = try RoundTripTests.render(event, map: map, grammar: grammar)
                #expect(findings.isEmpty, "seed \(seed): \(findings.map(\.description))")
                let again = try TranslatorTests.translate(bytes, map: mapPath, grammar: grammarPath)
                #expect(try RoundTripTests.content(again) == RoundTripTests.content(event), "seed \(seed)")
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }
}

import EDICore
import EDISchema
import EDITesting
import Foundation
import GatewayEvents
import Testing

@testable import GatewayMaps

/// Linked rules read an 856's levels from the hierarchy laid out once per transaction where it can be, and explore it
/// otherwise; both must give the same event, or the same error, for any hierarchy: numbers repeated, out of order,
/// with leading zeros or not numbers at all, parents missing, named ahead or by themselves, and levels no rule reads.
struct HierarchyLayoutTests {
    /// A ship notice of `count` levels (after a first shipment level) from `generator`: mostly a well-formed
    /// hierarchy, orders under the shipment, packs under an order, items under a pack or an order, each numbered in
    /// turn; now and then a number repeated, written with a leading zero or as a letter, a parent missing, named ahead
    /// or by the level itself, a level put under any other, or a tare, subpack or unknown level.
    static func shipNotice(_ count: Int, _ generator: inout SeededGenerator) -> [UInt8] {
        var segments = ["ST*856*0001", "BSN*00*SHP1*20261123*1200", "HL*1**S", "TD5*B*2*ACME*M*ACME GROUND"]
        // Each level's number and code so far.
        var written: [(number: String, level: String)] = [("1", "S")]
        func odd() -> Bool { Int.random(in: 0..<100, using: &generator) == 0 }
        for index in 0..<count {
            var number = String(index + 2)
            if odd() { number = [written.randomElement(using: &generator)!.number, "0" + number, "A"][index % 3] }
            var level = index == 0 ? "O" : ["O", "P", "I", "I"].randomElement(using: &generator)!
            if odd() { level = ["T", "Q", "X"].randomElement(using: &generator)! }
            // The parent: the last level that may hold this one, or any level, or none of them.
            let holders = ["O": ["S"], "P": ["O", "T"], "I": ["P", "O", "Q"]][level] ?? ["O", "P"]
            var parent = written.last { holders.contains($0.level) }?.number ?? "1"
            if odd() {
                parent =
                    ["", "99", number, String(index + 3), "A", written.randomElement(using: &generator)!.number][
                        Int.random(in: 0..<6, using: &generator)
                    ]
            }
            written.append((number, level))
            segments.append("HL*\(number)*\(parent)*\(level)")
            switch level {
            case "O": segments.append("PRF*PO\(index)")
            case "P": segments.append("MAN*GM*\(index)")
            case "I": segments += ["LIN**UP*\(index)", "SN1**\(index + 1)*EA"]
            default: break
            }
        }
        segments.append("CTT*\(count + 1)")
        segments.append("SE*\(segments.count + 1)*0001")
        let body = segments.map { $0 + "~" }.joined(separator: "\n")
        let envelope =
            "ISA*00*          *00*          *ZZ*ACMEPARCEL     *ZZ*EDIGATE        *261123*1200*U*00401*000000001*0*P*>~\n"
            + "GS*SH*ACMEPARCEL*EDIGATE*20261123*1200*1*X*004010~\n" + body + "\nGE*1*1~\nIEA*1*000000001~\n"
        return Array(envelope.utf8)
    }

    /// The event JSON, or the error's description, for the first transaction of `bytes`.
    static func outcome(_ translator: Translator, _ bytes: [UInt8]) throws -> String {
        let transaction = try #require(try EDIParser.parse(bytes).first?.transactions.first)
        var written: [UInt8] = []
        do {
            try translator.translateJSON(transaction, context: EventWriterTests.context(), into: &written)
        } catch {
            return "error: \(error)"
        }
        return String(decoding: written, as: UTF8.self)
    }

    @Test func theLaidOutHierarchyReadsWhatTheExplorationReads() throws {
        let map = try MapLoader.load(path: TranslatorTests.maps + "/X12/004010/856.map")
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/X12/004010/856.grammar")
        let laidOut = Translator(map: map, grammar: grammar)
        let explored = Translator(map: map, grammar: grammar, laysOutHierarchy: false)
        #expect(laidOut.program.sharedLink != nil)
        #expect(explored.program.sharedLink == nil)
        var generator = SeededGenerator(seed: 856)
        var events = 0
        var errors = 0
        for round in 0..<400 {
            let bytes = Self.shipNotice(Int.random(in: 1...24, using: &generator), &generator)
            let expected = try Self.outcome(explored, bytes)
            #expect(try Self.outcome(laidOut, bytes) == expected, "round \(round)")
            if expected.hasPrefix("error: ") { errors += 1 } else { events += 1 }
        }
        // Both ways are exercised: hierarchies read into events, and ones refused (a level nothing reads).
        #expect(events > 100)
        #expect(errors > 20)
    }

    /// The laid-out hierarchy is what reads well-formed ship notices: every linked rule found its occurrences
    /// without a single exploration; a hierarchy with a level to pass through (a tare) is explored.
    @Test func aWellFormedHierarchyIsLaidOut() throws {
        let map = try MapLoader.load(path: TranslatorTests.maps + "/X12/004010/856.map")
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/X12/004010/856.grammar")
        let translator = Translator(map: map, grammar: grammar)
        func explorations(_ bytes: [UInt8]) throws -> (laidOut: Int8, explorations: UInt32, values: Int) {
            let transaction = try #require(try EDIParser.parse(bytes).first?.transactions.first)
            return try translator.map(transaction, context: EventWriterTests.context()) { event in
                (
                    event.workspace.state.hierarchyLaidOut, event.workspace.state.explorations,
                    event.workspace.state.tape.valuesRead
                )
            }
        }
        let sample = try explorations(try TranslatorTests.sample("x12/004010/856-ship-notice.edi"))
        #expect(sample.laidOut == 1 && sample.explorations == 0 && sample.values > 0)
        let tare = try explorations(
            try ShipNoticeTranslationTests.edited(
                ["HL*3*2*P*1~": "HL*3*16*P*1~", "HL*6*2*P*1~": "HL*6*16*P*1~"],
                inserting: ["HL*3*2*P*1~": ["HL*16*2*T*1~"]]
            )
        )
        #expect(tare.laidOut == 1 && tare.explorations > 0)
    }
}

import EDICore
import EDISchema
import EDITesting
import Foundation
import Testing

@testable import GatewayMaps

/// Reading values straight from a transaction's tables gives what the segment views give, or says it cannot.
@Suite("Values read from the tables")
struct PlainValueTests {
    /// Every element and component position (and a few past the end) of every segment of the samples, the finding
    /// fixtures and random documents (escapes, repetitions, odd delimiters, line breaks): the tables' value equals
    /// the views' value, and an element the views call composite is left to the views.
    @Test func tablesAgreeWithViews() throws {
        var inputs: [[UInt8]] = []
        let root = URL(fileURLWithPath: TranslatorTests.maps).deletingLastPathComponent()
        for folder in ["Samples", "Tests/EDISchemaTests/Fixtures"] {
            let enumerator = FileManager.default.enumerator(
                at: root.appendingPathComponent(folder),
                includingPropertiesForKeys: nil
            )
            while let url = enumerator?.nextObject() as? URL {
                if url.pathExtension == "edi" { inputs.append(try Array(Data(contentsOf: url))) }
            }
        }
        for seed in UInt64(1)...60 { inputs.append(try RandomDocument(seed: seed).write()) }
        let map = try MapLoader.load(path: TranslatorTests.maps + "/X12/004010/856.map")
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/X12/004010/856.grammar")
        let layout = TransactionTree.Layout(grammar.structure)
        let program = ReadProgram(map)
        var compared = 0
        var plain = 0
        for bytes in inputs {
            guard let interchanges = try? EDIParser.parse(bytes) else { continue }
            for transaction in interchanges.flatMap(\.transactions) {
                let tree = TransactionTree(transaction, layout: layout)
                transaction.withTables { tables in
                    let reading = Reading(
                        program: program,
                        transaction: transaction,
                        tables: tables,
                        tree: tree,
                        loopNumbers: [],
                        vocabulary: MilestoneVocabulary()
                    )
                    for position in 1...transaction.segmentCount {
                        guard let segment = transaction.segment(at: position) else { continue }
                        for element in 1...(segment.elementCount + 1) {
                            for component in [-1, 1, 2, 3, 5] {
                                compared += 1
                                let views = segment[element].flatMap {
                                    Reading.value(of: $0, component < 0 ? nil : component)
                                }
                                switch reading.plainRange(at: position, element: element, component: component) {
                                case .bytes(let start, let end):
                                    // As binding reads it: the bytes decoded, their range as offsets in the input.
                                    plain += 1
                                    #expect(
                                        views?.text == tables.text(start, end)
                                            && views?.start == tables.baseOffset + start
                                            && views?.end == tables.baseOffset + end
                                    )
                                case .absent:
                                    #expect(views == nil, "segment \(position) element \(element) \(component)")
                                case .views:
                                    let composite = component < 0 && segment[element]?.isComposite == true
                                    let tables = tables.segment(position)
                                    #expect(composite || tables.needsViews)
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(compared > 10_000 && plain > 1_000, "\(compared) values compared, \(plain) read from the tables")
    }
}

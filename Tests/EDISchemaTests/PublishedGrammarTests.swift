import EDICore
import EDISchema
import Foundation
import Testing

/// The grammars under `Maps/Grammars`: each loads, and every sample in `Samples/` validates clean against its own.
@Suite("Published grammars and samples")
struct PublishedGrammarTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let grammars = root.appendingPathComponent("Maps/Grammars").path

    /// The documents and versions the gateway covers (issue 3).
    static let required: [String] = {
        var paths: [String] = []
        for version in ["004010", "005010"] {
            for document in ["856", "214", "210", "810", "997", "TA1"] { paths.append("X12/\(version)/\(document)") }
        }
        paths.append("X12/005010/999")
        for version in ["D96A", "D01B"] {
            for document in ["DESADV", "IFTSTA", "INVOIC", "APERAK"] { paths.append("EDIFACT/\(version)/\(document)") }
        }
        paths += ["EDIFACT/S3/CONTRL", "EDIFACT/S4/CONTRL"]
        return paths
    }()

    @Test(arguments: required)
    func grammarLoads(_ name: String) throws {
        let path = "\(Self.grammars)/\(name).grammar"
        let grammar = try GrammarLoader.load(path: path)
        #expect(path.hasSuffix("/\(grammar.standard.rawValue)/\(grammar.version)/\(grammar.document).grammar"))
        #expect(grammar.segments.count >= 1)
    }

    static var samples: [String] {
        let base = root.appendingPathComponent("Samples")
        let files = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".edi") }.sorted()
    }

    @Test(arguments: samples)
    func sampleValidatesClean(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent("Samples/\(name)")))
        var catalog = GrammarCatalog(directory: Self.grammars)
        var reader = EDIReader()
        reader.append(bytes)
        reader.finish()
        var groupVersion: String?
        var syntaxVersion: String?
        var findings: [Finding] = []
        var validated = 0
        while let event = try reader.next() {
            switch event {
            case .interchangeStart(let header): syntaxVersion = header.version
            case .groupStart(let header): groupVersion = header.hasTag("GS") ? header[8]?.text : nil
            case .finding(let finding): findings.append(finding)
            case .segment(let segment) where segment.hasTag("TA1"):
                let grammar = try #require(
                    try catalog.grammar(forInterchangeSegment: segment, interchangeVersion: syntaxVersion)
                )
                validated += 1
                findings += Validator(grammar: grammar).validate(segment: segment)
            case .transaction(let transaction):
                let grammar = try catalog.grammar(
                    for: transaction,
                    groupVersion: groupVersion,
                    syntaxVersion: syntaxVersion
                )
                guard let grammar else {
                    findings.append(Validator.notSupported(transaction))
                    continue
                }
                validated += 1
                findings += Validator(grammar: grammar).validate(transaction)
            default: break
            }
        }
        #expect(findings.isEmpty, "\(findings.map(\.description))")
        // Every sample has a transaction or a TA1 to validate.
        #expect(validated > 0)
    }
}

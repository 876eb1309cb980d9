import EDICore
import EDISchema
import EDITesting
import Testing

/// A catalog keeps its last lookup; whatever the order of documents, versions and odd group versions, it must find
/// what a fresh catalog finds.
@Suite("Grammar catalog lookups")
struct GrammarCatalogTests {
    /// The first transaction of `bytes`.
    static func transaction(_ bytes: [UInt8]) throws -> Transaction {
        var reader = EDIReader()
        reader.append(bytes)
        reader.finish()
        while let event = try reader.next() {
            if case .transaction(let transaction) = event { return transaction }
        }
        throw CatalogTestError.noTransaction
    }

    enum CatalogTestError: Error { case noTransaction }

    @Test func keptLookupFindsWhatAFreshCatalogFinds() throws {
        let x12 = { (type: String) in try Self.transaction(X12.interchange(["BSN*00*1*20260101*1200"], type: type)) }
        let edifact = { (message: String) in
            try Self.transaction(EDIFACT.interchange(["BGM+351+1+9"], message: message))
        }
        // (transaction, group version, syntax version), in an order that repeats and changes every part.
        let cases: [(Transaction, String?, String?)] = [
            (try x12("856"), "004010", nil),
            (try x12("856"), "004010", nil),
            (try x12("856"), "004010X", nil),
            (try x12("856"), "004010\u{301}", nil),
            (try x12("856"), "004010", nil),
            (try x12("856"), "005010", nil),
            (try x12("810"), "005010", nil),
            (try x12("810"), "00501", nil),
            (try x12("810"), nil, nil),
            (try x12("999"), "005010", nil),
            (try x12("856"), "004010", nil),
            (try edifact("DESADV:D:96A:UN"), nil, "3"),
            (try edifact("DESADV:D:96A:UN"), nil, "3"),
            (try edifact("DESADV:D:01B:UN"), nil, "3"),
            (try edifact("INVOIC:D:01B:UN"), nil, "3"),
            (try edifact("CONTRL:D:3:UN"), nil, "3"),
            (try edifact("CONTRL:D:3:UN"), nil, "4"),
            (try edifact("DESADV:D:96A:UN"), nil, "3"),
            (try x12("856"), "004010", nil),
        ]
        var kept = GrammarCatalog(directory: PublishedGrammarTests.grammars)
        var found = 0
        for (index, (transaction, groupVersion, syntaxVersion)) in cases.enumerated() {
            var fresh = GrammarCatalog(directory: PublishedGrammarTests.grammars)
            let expected = try fresh.grammar(for: transaction, groupVersion: groupVersion, syntaxVersion: syntaxVersion)
            let actual = try kept.grammar(for: transaction, groupVersion: groupVersion, syntaxVersion: syntaxVersion)
            #expect(actual?.source == expected?.source, "case \(index)")
            if expected != nil { found += 1 }
        }
        // Most cases have a grammar, so the comparison is not of nils.
        #expect(found >= 14)
    }
}

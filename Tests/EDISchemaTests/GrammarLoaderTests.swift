import EDICore
import EDISchema
import EDITesting
import Testing

/// A change to the test grammar and the load error it must produce: code and line.
struct LoaderCase: CustomTestStringConvertible, Sendable {
    var name: String
    var replace: String
    var with: String
    var code: GrammarError.Code
    /// The line of the error in the changed text, found by a marker the replacement contains.
    var marker: String?
    var line: Int?
    var testDescription: String { self.name }
}

@Suite("Loading grammar files")
struct GrammarLoaderTests {
    @Test func testGrammarLoads() throws {
        let grammar = try TestGrammar.grammar
        #expect(grammar.standard == .x12)
        #expect(grammar.version == "005010")
        #expect(grammar.document == "856")
        #expect(grammar.functionalGroup == "SH")
        #expect(grammar.structure.children.count == 6)
        #expect(grammar.segments["DTM"]?.syntaxNotes.map(\.text) == ["R0203", "C0302"])
        #expect(grammar.hierarchy == [["S", "O", "I"], ["S", "O", "P", "I"]])
        guard case .composite(let composite) = grammar.segments["REF"]?.elements[3].content else {
            Issue.record("REF04 is not a composite")
            return
        }
        #expect(composite.components.count == 2)
        guard case .simple(let dtm01) = grammar.segments["DTM"]?.elements[0].content else { return }
        #expect(dtm01.codes == ["011", "017"])
    }

    static let cases: [LoaderCase] = [
        .init(
            name: "unknown statement",
            replace: "functional-group SH",
            with: "functional-groups SH",
            code: .unknownStatement,
            marker: "functional-groups"
        ),
        .init(
            name: "header not first",
            replace: "grammar X12 005010 856 \"Test ship notice\"",
            with: "",
            code: .missingHeader,
            marker: "functional-group"
        ),
        .init(
            name: "unknown standard",
            replace: "grammar X12",
            with: "grammar X13",
            code: .invalidValue,
            marker: "X13"
        ),
        .init(
            name: "bad usage in structure",
            replace: "  BSN  M 1",
            with: "  BSN  Q 1",
            code: .invalidValue,
            marker: "BSN  Q"
        ),
        .init(name: "bad repeat", replace: "  DTM  O 2", with: "  DTM  O 0", code: .invalidValue, marker: "DTM  O 0"),
        .init(
            name: "loop trigger optional",
            replace: "      N1  M 1",
            with: "      N1  O 1",
            code: .invalidStructure,
            marker: "N1  O 1"
        ),
        .init(
            name: "undefined segment in structure",
            replace: "  CTT  O 1",
            with: "  CTX  O 1",
            code: .undefinedReference,
            marker: "CTX  O 1"
        ),
        .init(
            name: "positions with a gap",
            replace: "  03 373 DT 8/8  M",
            with: "  04 373 DT 8/8  M",
            code: .invalidPosition,
            marker: "04 373"
        ),
        .init(
            name: "bad X12 type",
            replace: "  02 396 AN 2/30 M",
            with: "  02 396 XX 2/30 M",
            code: .invalidValue,
            marker: "396 XX"
        ),
        .init(
            name: "bad length",
            replace: "  02 396 AN 2/30 M",
            with: "  02 396 AN 30/2 M",
            code: .invalidValue,
            marker: "30/2"
        ),
        .init(
            name: "EDIFACT usage in X12",
            replace: "  02 396 AN 2/30 M",
            with: "  02 396 AN 2/30 C",
            code: .invalidValue,
            marker: "2/30 C"
        ),
        .init(
            name: "code longer than the element",
            replace: "codes 00 05",
            with: "codes 00 005",
            code: .invalidValue,
            marker: "codes 00 005"
        ),
        .init(
            name: "syntax note naming a missing position",
            replace: "syntax R0203 C0302",
            with: "syntax R0209",
            code: .undefinedReference,
            marker: "R0209"
        ),
        .init(
            name: "malformed syntax note",
            replace: "syntax R0203 C0302",
            with: "syntax Q0203",
            code: .invalidValue,
            marker: "Q0203"
        ),
        .init(
            name: "undefined composite",
            replace: "  04 C040 O",
            with: "  04 C041 O",
            code: .undefinedReference,
            marker: "C041"
        ),
        .init(
            name: "segment defined twice",
            replace: "segment N3",
            with: "segment N1",
            code: .duplicateDefinition,
            marker: nil,
            line: nil
        ),
        .init(
            name: "block without end",
            replace: "segment CTT\n  01 354 N0 1/6 M\nend",
            with: "segment CTT\n  01 354 N0 1/6 M",
            code: .unbalancedBlock,
            marker: "segment SE"
        ),
        .init(
            name: "end with nothing open",
            replace: "total CTT01 count HL",
            with: "end",
            code: .unbalancedBlock,
            marker: nil,
            line: nil
        ),
        .init(
            name: "unclosed quote",
            replace: "segment ST \"Transaction Set Header\"",
            with: "segment ST \"Transaction Set Header",
            code: .syntax,
            marker: "segment ST"
        ),
        .init(
            name: "total naming a missing element",
            replace: "total CTT01 count HL",
            with: "total CTT02 count HL",
            code: .undefinedReference,
            marker: "CTT02"
        ),
        .init(
            name: "total counting an undefined segment",
            replace: "total CTT01 count HL",
            with: "total CTT01 count LIN",
            code: .undefinedReference,
            marker: "count LIN"
        ),
        .init(
            name: "sum total summing a missing element",
            replace: "total CTT01 count HL",
            with: "total CTT01 sum HL09",
            code: .undefinedReference,
            marker: "HL09"
        ),
        .init(
            name: "sum total whose where-qualifier is in another segment",
            replace: "total CTT01 count HL",
            with: "total CTT01 sum HL01 where CTT01 1",
            code: .invalidValue,
            marker: "where CTT01"
        ),
        .init(
            name: "count total with a where clause",
            replace: "total CTT01 count HL",
            with: "total CTT01 count HL where HL03 O",
            code: .syntax,
            marker: "count HL where"
        ),
        .init(
            name: "bad hierarchy path",
            replace: "hierarchy S-O-I S-O-P-I",
            with: "hierarchy S--I",
            code: .invalidValue,
            marker: "S--I"
        ),
    ]

    @Test(arguments: cases)
    func loadError(_ testCase: LoaderCase) throws {
        #expect(TestGrammar.text.contains(testCase.replace), "the test grammar changed")
        let text = TestGrammar.text.replacingFirst(testCase.replace, with: testCase.with)
        let error = try #require(throws: GrammarError.self) { try GrammarLoader.parse(text, source: "test.grammar") }
        #expect(error.code == testCase.code, "\(error)")
        #expect(error.file == "test.grammar")
        if let marker = testCase.marker {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let expected = (lines.firstIndex { $0.contains(marker) } ?? -1) + 1
            #expect(error.line == expected, "\(error)")
        }
        #expect(error.description.hasPrefix("test.grammar:"))
    }

    @Test func errorsReadFileLineMessage() throws {
        let text = TestGrammar.text.replacingFirst("  BSN  M 1", with: "  BSN  Q 1")
        let error = try #require(throws: GrammarError.self) { try GrammarLoader.parse(text, source: "Maps/x.grammar") }
        #expect(error.description == "Maps/x.grammar:7: expected usage C, M, O, found 'Q'")
    }

    @Test func missingFileIsAnError() throws {
        let error = try #require(throws: GrammarError.self) { try GrammarLoader.load(path: "/nonexistent/856.grammar") }
        #expect(error.code == .unreadableFile)
    }

    @Test func oversizedFileIsAnError() throws {
        let limits = GrammarLoader.Limits(maximumFileSize: 100)
        let error = try #require(throws: GrammarError.self) {
            try GrammarLoader.parse(TestGrammar.text, source: "t", limits: limits)
        }
        #expect(error.code == .tooLarge)
    }

    @Test func deepLoopsAreAnError() throws {
        var text = "grammar X12 005010 856\nstructure\n  ST M 1\n"
        for depth in 0..<20 { text += "loop L\(depth) O 1\nN1 M 1\n" }
        text += String(repeating: "end\n", count: 20) + "SE M 1\nend\n"
        text += "segment ST\n01 143 ID 3/3 M\nend\nsegment N1\n01 98 ID 2/3 M\nend\nsegment SE\n01 96 N0 1/10 M\nend\n"
        let error = try #require(throws: GrammarError.self) { try GrammarLoader.parse(text, source: "t") }
        #expect(error.code == .tooLarge)
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        self.replacing(target, with: replacement, maxReplacements: 1)
    }
}

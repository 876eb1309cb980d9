import EDICore
import EDISchema
import EDITesting
import Testing

/// One finding as tests pin it: code, position in the transaction (ST = 1) and reference (`BSN01`, `REF04-2`).
struct Pinned: Hashable, CustomStringConvertible {
    var code: String
    var position: Int
    var reference: String

    init(_ code: Finding.Code, _ position: Int, _ reference: String) {
        self.code = code.rawValue
        self.position = position
        self.reference = reference
    }

    init(_ finding: Finding) {
        self.code = finding.code.rawValue
        self.position = finding.location.transactionSegmentNumber ?? 0
        self.reference = finding.location.reference ?? ""
    }

    var description: String { "\(self.code) \(self.position) \(self.reference)" }

    static func order(_ a: Pinned, _ b: Pinned) -> Bool {
        (a.position, a.reference, a.code) < (b.position, b.reference, b.code)
    }
}

/// A change to the valid body and the findings it must produce, exactly.
struct ValidationCase: CustomTestStringConvertible, Sendable {
    var name: String
    var body: [String]
    var expected: [Pinned]
    var testDescription: String { self.name }

    /// The valid body with segment `index` (0-based in the body) replaced; `nil` removes it.
    static func replacing(_ index: Int, with segment: String?) -> [String] {
        var body = TestGrammar.body
        if let segment { body[index] = segment } else { body.remove(at: index) }
        return body
    }

    static func inserting(_ segment: String, at index: Int) -> [String] {
        var body = TestGrammar.body
        body.insert(segment, at: index)
        return body
    }
}

extension Pinned: @unchecked Sendable {}

@Suite("Validation against a grammar")
struct ValidatorTests {
    static let cases: [ValidationCase] = [
        .init(name: "valid", body: TestGrammar.body, expected: []),
        .init(
            name: "segment not in the grammar",
            body: ValidationCase.inserting("ZZZ*1", at: 1),
            expected: [Pinned(.segmentNotInTransaction, 3, "ZZZ")]
        ),
        .init(
            name: "segment out of sequence",
            body: ValidationCase.inserting("BSN*00*SHIP1*20260101*1200", at: 2),
            expected: [Pinned(.segmentOutOfSequence, 4, "BSN")]
        ),
        .init(
            name: "mandatory segment missing",
            body: ValidationCase.replacing(0, with: nil),
            expected: [Pinned(.mandatorySegmentMissing, 2, "BSN")]
        ),
        .init(
            name: "mandatory loop missing",
            body: Array(TestGrammar.body[0...1]),
            expected: [Pinned(.mandatorySegmentMissing, 4, "HL")]
        ),
        .init(
            name: "segment over its maximum use",
            body: ValidationCase.inserting("DTM*017*20260102", at: 1).inserting2("DTM*017*20260103", at: 1),
            expected: [Pinned(.segmentRepeatExceeded, 5, "DTM")]
        ),
        .init(
            name: "loop over its maximum use",
            body: ValidationCase.inserting("N1*ST*SHOP", at: 6).inserting2("N1*ST*STORE", at: 6),
            expected: [Pinned(.loopRepeatExceeded, 9, "N1")]
        ),
        .init(
            name: "mandatory element missing",
            body: ValidationCase.replacing(0, with: "BSN**SHIP1*20260101*1200"),
            expected: [Pinned(.mandatoryElementMissing, 2, "BSN01")]
        ),
        .init(
            name: "mandatory trailing element missing",
            body: ValidationCase.replacing(0, with: "BSN*00*SHIP1*20260101"),
            expected: [Pinned(.mandatoryElementMissing, 2, "BSN04")]
        ),
        .init(
            name: "invalid code value",
            body: ValidationCase.replacing(0, with: "BSN*99*SHIP1*20260101*1200"),
            expected: [Pinned(.invalidCodeValue, 2, "BSN01")]
        ),
        .init(
            name: "code list continued on a second line",
            body: ValidationCase.replacing(1, with: "DTM*017*20260101"),
            expected: []
        ),
        .init(
            name: "element too short",
            body: ValidationCase.replacing(0, with: "BSN*00*S*20260101*1200"),
            expected: [Pinned(.elementTooShort, 2, "BSN02")]
        ),
        .init(
            name: "element too long",
            body: ValidationCase.replacing(0, with: "BSN*00*\(String(repeating: "S", count: 31))*20260101*1200"),
            expected: [Pinned(.elementTooLong, 2, "BSN02")]
        ),
        .init(
            name: "invalid date",
            body: ValidationCase.replacing(0, with: "BSN*00*SHIP1*20260230*1200"),
            expected: [Pinned(.invalidDate, 2, "BSN03")]
        ),
        .init(
            name: "invalid time",
            body: ValidationCase.replacing(0, with: "BSN*00*SHIP1*20260101*2561"),
            expected: [Pinned(.invalidTime, 2, "BSN04")]
        ),
        .init(
            name: "invalid character in a numeric element",
            body: ValidationCase.replacing(3, with: "TD1*CTN*2A"),
            expected: [Pinned(.invalidCharacter, 5, "TD102")]
        ),
        .init(
            name: "too many elements",
            body: ValidationCase.replacing(0, with: "BSN*00*SHIP1*20260101*1200*X"),
            expected: [Pinned(.tooManyElements, 2, "BSN05")]
        ),
        .init(
            name: "required note: none of DTM02, DTM03",
            body: ValidationCase.replacing(1, with: "DTM*011"),
            expected: [Pinned(.conditionalElementMissing, 3, "DTM02")]
        ),
        .init(
            name: "conditional note: DTM03 without DTM02",
            body: ValidationCase.replacing(1, with: "DTM*011**1200"),
            expected: [Pinned(.conditionalElementMissing, 3, "DTM02")]
        ),
        .init(
            name: "paired note: N103 without N104",
            body: ValidationCase.replacing(5, with: "N1*SF*ACME*92"),
            expected: [Pinned(.conditionalElementMissing, 7, "N104")]
        ),
        .init(
            name: "exclusion note: TD103 with TD104",
            body: ValidationCase.replacing(3, with: "TD1*CTN*2*G*10.5"),
            expected: [Pinned(.exclusionViolated, 5, "TD104")]
        ),
        .init(
            name: "too many repetitions",
            body: ValidationCase.replacing(5, with: "N1*SF*ACME*92*AB^CD^EF"),
            expected: [Pinned(.tooManyRepetitions, 7, "N104")]
        ),
        .init(
            name: "components in a simple element",
            body: ValidationCase.replacing(0, with: "BSN*00*SH:IP1*20260101*1200"),
            expected: [Pinned(.tooManyComponents, 2, "BSN02")]
        ),
        .init(
            name: "too many components in a composite",
            body: ValidationCase.replacing(4, with: "REF*BM*BOL1**BM:X:Y"),
            expected: [Pinned(.tooManyComponents, 6, "REF04-3")]
        ),
        .init(
            name: "mandatory component missing",
            body: ValidationCase.replacing(4, with: "REF*BM*BOL1**BM"),
            expected: [Pinned(.mandatoryElementMissing, 6, "REF04-2")]
        ),
        .init(
            name: "trailer total wrong",
            body: ValidationCase.replacing(9, with: "CTT*4"),
            expected: [Pinned(.totalMismatch, 11, "CTT01")]
        ),
        .init(
            name: "HL01 out of order",
            body: ValidationCase.replacing(8, with: "HL*4*2*I*0"),
            expected: [Pinned(.hierarchyNumbering, 10, "HL01")]
        ),
        .init(
            name: "HL02 names no earlier HL",
            body: ValidationCase.replacing(8, with: "HL*3*7*I*0").replacing2(7, with: "HL*2*1*O*0"),
            expected: [Pinned(.hierarchyParent, 10, "HL02")]
        ),
        .init(
            name: "HL03 level not allowed under its parent",
            body: ValidationCase.replacing(8, with: "HL*3*1*I*0"),
            expected: [Pinned(.hierarchyLevel, 10, "HL03"), Pinned(.hierarchyChildCode, 9, "HL04")]
        ),
        .init(
            name: "HL04 says no children but children follow",
            body: ValidationCase.replacing(2, with: "HL*1**S*0"),
            expected: [Pinned(.hierarchyChildCode, 4, "HL04")]
        ),
        .init(
            name: "several problems in one transaction are all reported",
            body: ValidationCase.replacing(0, with: "BSN*99*S*20261340*1200").replacing2(9, with: "CTT*9"),
            expected: [
                Pinned(.invalidCodeValue, 2, "BSN01"), Pinned(.elementTooShort, 2, "BSN02"),
                Pinned(.invalidDate, 2, "BSN03"), Pinned(.totalMismatch, 11, "CTT01"),
            ]
        ),
    ]

    @Test(arguments: cases)
    func findings(_ testCase: ValidationCase) throws {
        let grammar = try TestGrammar.grammar
        let bytes = X12.interchange(testCase.body, type: "856")
        let interchanges = try EDIParser.parse(bytes)
        #expect(interchanges.flatMap(\.findings).isEmpty, "the reader found envelope problems")
        let transaction = try #require(interchanges.first?.transactions.first)
        let findings = Validator(grammar: grammar).validate(transaction)
        let found = findings.map(Pinned.init).sorted(by: Pinned.order)
        #expect(found == testCase.expected.sorted(by: Pinned.order), "\(findings)")
        // Messages say where and what, never a value of the transaction.
        for finding in findings {
            for value in ["SHIP1", "ACME", "BOL1", "ADDR", "SH:IP1"] {
                #expect(!finding.description.contains(value), "\(finding)")
            }
        }
    }

    /// A TA1 stands outside any transaction and is checked against TA1.grammar on its own; its findings have no
    /// transaction position.
    @Test func interchangeAcknowledgmentSegment() throws {
        let grammar = try GrammarLoader.load(path: PublishedGrammarTests.grammars + "/X12/005010/TA1.grammar")
        for (ta1, expected) in [
            ("TA1*000000050*260101*1200*A*000", [String]()),
            ("TA1*000000050*260101*1200*Q*000", ["invalidCodeValue TA104"]),
            ("TA1*000000050*260231*1200*R", ["invalidDate TA102", "mandatoryElementMissing TA105"]),
        ] {
            let bytes = Array((X12.isa() + ta1 + "~IEA*0*000000001~").utf8)
            var segments: [Segment] = []
            var reader = EDIReader()
            reader.append(bytes)
            reader.finish()
            while let event = try reader.next() {
                if case .segment(let segment) = event { segments.append(segment) }
            }
            let segment = try #require(segments.first)
            let findings = Validator(grammar: grammar).validate(segment: segment)
            #expect(findings.map { "\($0.code) \($0.location.reference ?? "")" } == expected, "\(ta1)")
            #expect(findings.allSatisfy { $0.location.transactionSegmentNumber == nil })
        }
    }

    @Test func aOneAndOnlyOneNoteWithNeitherPresentIsAFinding() throws {
        // CONTRL syntax 4: UCM holds D1(010,070), one and only one of UCM01 and UCM07. A UCM with neither trapped.
        let grammar = try GrammarLoader.load(path: PublishedGrammarTests.grammars + "/EDIFACT/S4/CONTRL.grammar")
        let bytes = EDIFACT.interchange(
            ["UCI+7+SENDER:14+RECEIVER:14+7", "UCM++DESADV:D:96A:UN+7"],
            message: "CONTRL:4:1:UN",
            syntax: "UNOC:4"
        )
        let transaction = try #require(try EDIParser.parse(bytes).first?.transactions.first)
        let findings = Validator(grammar: grammar).validate(transaction)
        // D1(010,070) one of UCM01 and UCM07, and D2(010,020) UCM01 with UCM02: each names UCM01.
        #expect(findings.map(\.code) == [.conditionalElementMissing, .conditionalElementMissing])
        #expect(findings.map(\.location.reference) == ["UCM01", "UCM01"])
        #expect(findings.map { $0.message.contains("D1(010,070)") } == [true, false])
    }

    @Test func findingsAreCapped() throws {
        let grammar = try TestGrammar.grammar
        let body = TestGrammar.body + Array(repeating: "ZZZ*1", count: 20)
        let bytes = X12.interchange(body, type: "856")
        let transaction = try #require(try EDIParser.parse(bytes).first?.transactions.first)
        let findings = Validator(
            grammar: grammar,
            configuration: ValidationConfiguration(maximumFindingsPerTransaction: 5)
        )
        .validate(transaction)
        #expect(findings.count == 6)
        #expect(findings.last?.code == .findingLimitReached)
    }

    @Test func profileHierarchyReplacesTheGrammars() throws {
        let grammar = try TestGrammar.grammar
        let bytes = X12.interchange(TestGrammar.body, type: "856")
        let transaction = try #require(try EDIParser.parse(bytes).first?.transactions.first)
        let findings = Validator(
            grammar: grammar,
            configuration: ValidationConfiguration(hierarchy: [["S", "O", "P", "I"]])
        )
        .validate(transaction)
        #expect(findings.map(Pinned.init) == [Pinned(.hierarchyLevel, 10, "HL03")])
    }

    @Test func sameFindingsWhateverTheChunking() throws {
        let grammar = try TestGrammar.grammar
        let body = ValidationCase.replacing(0, with: "BSN*99*S*20261340*1200")
        let bytes = X12.interchange(body + ["ZZZ*1"], type: "856")
        var transcripts: Set<[Pinned]> = []
        for chunking in Chunking.all {
            var reader = EDIReader()
            var pinned: [Pinned] = []
            for chunk in chunking.chunks(of: bytes) {
                reader.append(chunk)
                while let event = try reader.next() {
                    if case .transaction(let transaction) = event {
                        pinned += Validator(grammar: grammar).validate(transaction).map(Pinned.init)
                    }
                }
            }
            reader.finish()
            while let event = try reader.next() {
                if case .transaction(let transaction) = event {
                    pinned += Validator(grammar: grammar).validate(transaction).map(Pinned.init)
                }
            }
            transcripts.insert(pinned)
        }
        #expect(transcripts.count == 1)
        #expect(transcripts.first?.count == 4)
    }
}

extension Array where Element == String {
    func inserting2(_ segment: String, at index: Int) -> [String] {
        var copy = self
        copy.insert(segment, at: index)
        return copy
    }

    func replacing2(_ index: Int, with segment: String) -> [String] {
        var copy = self
        copy[index] = segment
        return copy
    }
}

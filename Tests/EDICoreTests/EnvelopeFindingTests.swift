import EDICore
import EDITesting
import Testing

/// Count and control-number mismatches are findings with exact locations, and reading goes on.
struct EnvelopeFindingTests {
    static func findings(_ text: String, chunking: Chunking = .whole) throws -> [Finding] {
        try ReadTranscript.parse(Array(text.utf8), chunking: chunking).flatMap(\.findings)
    }

    static let group = "GS*PO*S*R*20260101*1200*7*X*005010~"

    @Test(arguments: Chunking.all)
    func x12CountsAndControlNumbersAreChecked(chunking: Chunking) throws {
        let isa = X12.isa()
        let text = isa + Self.group + "ST*850*0001~BEG*00~SE*9*0002~GE*2*8~IEA*3*000000002~"
        let found = try Self.findings(text, chunking: chunking)
        let se = isa.utf8.count + Self.group.utf8.count + "ST*850*0001~BEG*00~".utf8.count
        let ge = se + "SE*9*0002~".utf8.count
        let iea = ge + "GE*2*8~".utf8.count
        let expected: [(Finding.Code, Int, Int, String, Int)] = [
            (.countMismatch, se + 3, 5, "SE", 1),
            (.controlNumberMismatch, se + 5, 5, "SE", 2),
            (.countMismatch, ge + 3, 6, "GE", 1),
            (.controlNumberMismatch, ge + 5, 6, "GE", 2),
            (.countMismatch, iea + 4, 7, "IEA", 1),
            (.controlNumberMismatch, iea + 6, 7, "IEA", 2),
        ]
        #expect(found.count == expected.count)
        for (finding, (code, offset, segment, tag, element)) in zip(found, expected) {
            #expect(finding.code == code)
            #expect(finding.location.byteOffset == offset)
            #expect(finding.location.segmentNumber == segment)
            #expect(finding.location.segmentTag == tag)
            #expect(finding.location.elementPosition == element)
        }
        #expect(found[0].location.transactionSegmentNumber == 3)
        #expect(
            found[0].description
                == "expected SE01 3 (segments from ST to SE), found 9 at byte \(se + 3), segment 5, SE01"
        )
    }

    @Test
    func edifactCountsAndControlNumbersAreChecked() throws {
        let text =
            "UNB+UNOA:3+S+R+260101:1200+9'UNG+DESADV+S+R+260101:1200+5+UN+D:96A'UNH+1+DESADV:D:96A:UN'UNT+3+2'UNE+2+6'UNZ+2+8'"
        let codes = try Self.findings(text).map { "\($0.code) \($0.location.reference ?? "")" }
        #expect(
            codes == [
                "countMismatch UNT01", "controlNumberMismatch UNT02", "countMismatch UNE01",
                "controlNumberMismatch UNE02", "countMismatch UNZ01", "controlNumberMismatch UNZ02",
            ]
        )
    }

    @Test
    func leadingZerosDoNotMakeANumericControlNumberDiffer() throws {
        let text = X12.isa(control: "000003438") + Self.group + "ST*850*0001~SE*2*0001~GE*1*0007~IEA*1*3438~"
        #expect(try Self.findings(text).isEmpty)
    }

    @Test
    func missingTrailersAreFoundAndReadingGoesOn() throws {
        let text = X12.isa() + Self.group + "ST*850*0001~BEG*00~ST*850*0002~SE*2*0002~GE*2*7~IEA*1*000000001~"
        let interchanges = try ReadTranscript.parse(Array(text.utf8), chunking: .whole)
        let transactions = interchanges[0].transactions
        #expect(transactions.map(\.controlNumber) == ["0001", "0002"])
        #expect(transactions.map(\.hasTrailer) == [false, true])
        let finding = try #require(interchanges[0].findings.first)
        #expect(finding.code == .missingTrailer)
        #expect(finding.location.segmentTag == "ST" && finding.location.segmentNumber == 5)
    }

    @Test
    func segmentsOutsideTransactionsAreFound() throws {
        let text =
            X12.isa() + "ZZ*1~TA1*000000050*260101*1200*A*000~" + Self.group
            + "N1*ST~ST*850*0001~SE*2*0001~GE*1*7~IEA*1*000000001~"
        let found = try Self.findings(text)
        #expect(found.map(\.code) == [.unexpectedSegment, .unexpectedSegment])
        #expect(found.map(\.location.segmentTag) == ["ZZ", "N1"])
    }

    @Test
    func emptySegmentsAndBadTagsAreFound() throws {
        let text = X12.isa() + Self.group + "ST*850*0001~~B?G*1~SE*3*0001~GE*1*7~IEA*1*000000001~"
        let found = try Self.findings(text)
        #expect(found.map(\.code).contains(.emptySegment))
    }

    @Test
    func unoaRepertoireIsCheckedAsWarningOrError() throws {
        let bytes = EDIFACT.interchange(["FTX+AAI+++lower"], syntax: "UNOA:3")
        let lenient = try ReadTranscript.parse(bytes, chunking: .whole)[0].findings
        #expect(lenient.map(\.code) == [.characterOutsideRepertoire])
        #expect(lenient.first?.severity == .warning)
        #expect(lenient.first?.location.reference == "FTX04")
        let strict = try ReadTranscript.parse(
            bytes,
            chunking: .whole,
            configuration: ReaderConfiguration(repertoire: .strict)
        )[0].findings
        #expect(strict.first?.severity == .error)
        #expect(
            try ReadTranscript.parse(EDIFACT.interchange(["FTX+AAI+++lower"], syntax: "UNOB:3"), chunking: .whole)[0]
                .findings.isEmpty
        )
    }

    @Test
    func invalidUTF8InUNOYIsFound() throws {
        let bytes = EDIFACT.interchange(["FTX+AAI+++AB"], syntax: "UNOY:4")
        var broken = bytes
        broken[try #require(bytes.offset(of: "AB"))] = 0xFF
        let findings = try ReadTranscript.parse(broken, chunking: .whole)[0].findings
        #expect(findings.map(\.code) == [.characterOutsideRepertoire])
    }

    @Test(
        arguments: [
            (40, 0x01, "ISA06"),  // a control character in the sender
            (40, UInt8(ascii: "~"), "ISA06"),  // the terminator in the sender
            (82, 0xF8, "ISA11"),  // a repetition separator beyond ASCII
            (104, 0xF8, "ISA16"),  // a component separator beyond ASCII
        ] as [(Int, UInt8, String)]
    )
    func isaValuesAndSeparatorsOutsideASCIIAreFound(offset: Int, byte: UInt8, reference: String) throws {
        var bytes = Array((X12.isa() + Self.group + "GE*0*7~IEA*1*000000001~").utf8)
        bytes[offset] = byte
        let findings = try ReadTranscript.parse(bytes, chunking: .whole)[0].findings
        #expect(findings.map(\.code) == [.characterOutsideRepertoire])
        #expect(findings.first?.location.byteOffset == offset)
        #expect(findings.first?.location.reference == reference)
    }

    @Test
    func theWriterRefusesX12SeparatorsOutsideASCII() throws {
        var delimiters = Delimiters.x12
        delimiters.component = 0xF8
        var writer = EnvelopeWriter(standard: .x12, delimiters: delimiters)
        let envelope = InterchangeEnvelope(
            sender: "S",
            senderQualifier: "ZZ",
            receiver: "R",
            receiverQualifier: "ZZ",
            date: "20260101",
            time: "1200",
            version: "00501"
        )
        let error = try #require(throws: EDISyntaxError.self) { try writer.beginInterchange(envelope) }
        #expect(error.code == .unencodableCharacter)
        #expect(error.location.reference == "ISA16")
    }
}

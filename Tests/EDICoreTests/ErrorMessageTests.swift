import EDICore
import EDITesting
import Testing

/// One golden message per error factory; every case also pins code and location.
struct ErrorMessageTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let input: [UInt8]
        let limits: ReaderLimits
        let code: EDISyntaxError.Code
        let message: String
        var description: String { self.name }

        init(
            _ name: String,
            _ input: [UInt8],
            limits: ReaderLimits = ReaderLimits(),
            _ code: EDISyntaxError.Code,
            _ message: String
        ) {
            self.name = name
            self.input = input
            self.limits = limits
            self.code = code
            self.message = message
        }
    }

    static let isa = X12.isa()
    static let group = "GS*PO*S*R*20260101*1200*1*X*005010~"

    static let cases: [Case] = [
        Case(
            "terminator that is a letter",
            Array((String(isa.dropLast()) + "XGS*").utf8),
            .unexpectedByte,
            "expected segment terminator, found 'X' at byte 105, segment 1, ISA16"
        ),
        Case(
            "empty input",
            [],
            .noInterchange,
            "expected interchange header 'ISA', 'UNA', 'UNB' or 'UNH', found nothing at byte 0"
        ),
        Case(
            "no header",
            Array("GS*PO*S~".utf8),
            .noInterchange,
            "expected interchange header 'ISA', 'UNA', 'UNB' or 'UNH', found 'GS*' at byte 0"
        ),
        Case(
            "truncated segment",
            Array((isa + group + "ST*850*0001~BEG*00").utf8),
            .truncatedInput,
            "expected segment terminator '~', found end of input at byte 159, segment 4, BEG"
        ),
        Case(
            "missing trailer at end",
            Array((isa + group + "ST*850*0001~SE*2*0001~GE*1*1~").utf8),
            .truncatedInput,
            "expected IEA, found end of input at byte 170"
        ),
        Case(
            "delimiters equal",
            Array(X12.isa(component: "*").utf8),
            .invalidDelimiters,
            "expected distinct delimiters that are not letters or digits, found '*' '*' '^' '~' at byte 104, segment 1, ISA16"
        ),
        Case(
            "segment too long",
            Array((isa + group + "ST*850*0001~BEG*" + String(repeating: "A", count: 60) + "~").utf8),
            limits: ReaderLimits(maximumSegmentLength: 40),
            .segmentTooLong,
            "expected a segment of at most 40 bytes, found a longer one at byte 153, segment 4, BEG"
        ),
        Case(
            "indentation past the length limit",
            Array((isa + group + "ST*850*0001~" + String(repeating: " ", count: 41) + "BEG*00~").utf8),
            limits: ReaderLimits(maximumSegmentLength: 40),
            .segmentTooLong,
            "expected a segment of at most 40 bytes, found a longer one at byte 153, segment 4"
        ),
        Case(
            "header-like tag past the length limit",
            Array((isa + group + "ST*850*0001~UNA" + String(repeating: "x", count: 40) + "*A~").utf8),
            limits: ReaderLimits(maximumSegmentLength: 40),
            .segmentTooLong,
            "expected a segment of at most 40 bytes, found a longer one at byte 153, segment 4"
        ),
        Case(
            "a longer tag where the UNA announces UNB",
            Array("UNA:+.? 'UNBX+UNOC:3+S+R+260101:1200+1'UNZ+0+1'".utf8),
            .unexpectedByte,
            "expected element separator '+', found 'X' at byte 12, segment 1, UNB"
        ),
        Case(
            "too many elements",
            Array((isa + group + "ST*850*0001~N1*A*B*C*D*E*F*G*H*I~").utf8),
            limits: ReaderLimits(maximumElementsPerSegment: 8),
            .tooManyElements,
            "expected at most 8 elements in the segment, found 9 at byte 153, segment 4, N1"
        ),
        Case(
            "too many components",
            Array((isa + group + "ST*850*0001~N1*A:B:C~").utf8),
            limits: ReaderLimits(maximumComponentsPerElement: 2),
            .tooManyComponents,
            "expected at most 2 components in the element, found 3 at byte 156, segment 4, N101"
        ),
        Case(
            "too many repetitions",
            Array((isa + group + "ST*850*0001~N1*A^B^C~").utf8),
            limits: ReaderLimits(maximumRepetitionsPerElement: 2),
            .tooManyRepetitions,
            "expected at most 2 repetitions of the element, found 3 at byte 156, segment 4, N101"
        ),
        Case(
            "binary length",
            Array((isa + group + "ST*000*0001~BIN*1x*A~").utf8),
            .invalidBinaryLength,
            "expected a binary length from 0 to 1048576, found a value that is not a number at byte 157, segment 4, BIN01"
        ),
        Case(
            "binary length of many digits",
            Array((isa + group + "ST*000*0001~BIN*" + String(repeating: "9", count: 40) + "*A~").utf8),
            .invalidBinaryLength,
            "expected a binary length from 0 to 1048576, found a value that is not a number at byte 157, segment 4, BIN01"
        ),
        Case(
            "binary not terminated",
            Array((isa + group + "ST*000*0001~BIN*1*AB~").utf8),
            .unexpectedByte,
            "expected segment terminator '~' after the binary data, found 'B' at byte 160, segment 4, BIN02"
        ),
    ]

    @Test(arguments: cases)
    func errorsSayWhatWhereAndNoPayload(testCase: Case) throws {
        for chunking in [Chunking.whole, .byteByByte] {
            let error = try #require(throws: EDISyntaxError.self) {
                try ReadTranscript.parse(
                    testCase.input,
                    chunking: chunking,
                    configuration: ReaderConfiguration(limits: testCase.limits)
                )
            }
            #expect(error.code == testCase.code, "\(chunking)")
            #expect(error.description == testCase.message, "\(chunking)")
        }
    }

    @Test
    func findingMessagesNameReferencesNotValues() throws {
        let text = Self.isa + Self.group + "ST*850*SECRET~SE*2*OTHER~GE*1*1~IEA*1*000000001~"
        let findings = try EDIParser.parse(Array(text.utf8)).flatMap(\.findings)
        #expect(
            findings.map(\.description) == [
                "expected SE02 equal to ST02, found another control number at byte 160, segment 4, SE02"
            ]
        )
        #expect(!findings.contains { $0.description.contains("SECRET") || $0.description.contains("OTHER") })
    }
}

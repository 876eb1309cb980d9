import EDICore
import EDISchema
import EDITesting
import Foundation
import Testing

/// A small EDIFACT message grammar with one rule of each kind, so each CONTRL syntax error code (0085) has a case.
enum TestMessageGrammar {
    static let text = """
        # A test grammar: not a published directory.
        grammar EDIFACT D96A TESTMS "Test message"
        agency UN

        structure
          UNH M 1
          BGM M 1
          DTM C 2
          loop SG1 C 2
            RFF M 1
            QTY C 1
          end
          CNT C 1
          UNT M 1
        end

        total CNT01-02 count RFF when CNT01-01 2

        segment UNH "Message header"
          01 0062 an..14 M
          02 S009 M
        end

        composite S009 "Message identifier"
          01 0065 an..6 M codes TESTMS
          02 0052 an..3 M
          03 0054 an..3 M
          04 0051 an..3 M
        end

        segment UNT "Message trailer"
          01 0074 n..6 M
          02 0062 an..14 M
        end

        segment BGM "Beginning of message"
          01 1001 an..3 M codes 351 380
          02 1004 an4 C
          03 1225 an..3 C
          syntax D3(02,03)
        end

        segment DTM "Date/time/period"
          01 C507 M
        end

        composite C507 "Date/time/period"
          01 2005 an..3 M
          02 2380 an..35 C
          03 2379 an..3 C
        end

        segment RFF "Reference"
          01 C506 M
        end

        composite C506 "Reference"
          01 1153 an..3 M
          02 1154 a..10 C
        end

        segment QTY "Quantity"
          01 C186 M
        end

        composite C186 "Quantity details"
          01 6063 an..3 M
          02 6060 n..15 M
        end

        segment CNT "Control total"
          01 C270 M
        end

        composite C270 "Control"
          01 6069 an..3 M
          02 6066 n..18 M
        end
        """

    static var grammar: Grammar {
        get throws { try GrammarLoader.parse(Self.text, source: "TESTMS.grammar") }
    }

    static let body = ["BGM+351+DOC1+9", "DTM+137:20261123:102", "RFF+ON:PO", "QTY+12:6", "CNT+2:1"]
}

/// One change to the valid test message and the CONTRL lines it must produce: every 0085 code the table in
/// ``AcknowledgmentCodes`` gives, at its segment position (UNH = 1) and element:component.
struct ContrlCase: CustomTestStringConvertible, Sendable {
    var name: String
    var body: [String]
    var trailer: String?
    var syntax = "UNOC:3"
    /// Whether the reader reports bytes outside the repertoire as errors (the default warns).
    var strictRepertoire = false
    /// Whether the test grammar is the guide; without it no grammar covers the message.
    var guide = true
    var expected: [String]
    var testDescription: String { self.name }

    static func replacing(_ index: Int, with segment: String) -> [String] {
        var body = TestMessageGrammar.body
        body[index] = segment
        return body
    }
}

@Suite("CONTRL syntax error codes")
struct ContrlCodeTests {
    static let cases: [ContrlCase] = [
        .init(name: "clean: 7 accepted", body: TestMessageGrammar.body, expected: ["UCM+1+TESTMS:D:96A:UN+7'"]),
        .init(
            name: "12 invalid value: code not in the list",
            body: ContrlCase.replacing(0, with: "BGM+999+DOC1+9"),
            expected: ["UCM+1+TESTMS:D:96A:UN+4'", "UCS+2'", "UCD+12+1'"]
        ),
        .init(
            name: "12 invalid value: total wrong",
            body: ContrlCase.replacing(4, with: "CNT+2:5"),
            expected: ["UCS+6'", "UCD+12+1:2'"]
        ),
        .init(
            name: "13 missing: mandatory segment",
            body: Array(TestMessageGrammar.body.dropFirst()),
            expected: ["UCS+2+13'"]
        ),
        .init(
            name: "13 missing: mandatory element",
            body: ContrlCase.replacing(3, with: "QTY+12"),
            expected: ["UCS+5'", "UCD+13+1:2'"]
        ),
        .init(
            name: "13 missing: mandatory component",
            body: ContrlCase.replacing(1, with: "DTM+:20261123:102"),
            expected: ["UCS+3'", "UCD+13+1:1'"]
        ),
        .init(
            name: "13 missing: dependency note D3 (one or more of BGM02, BGM03)",
            body: ContrlCase.replacing(0, with: "BGM+351"),
            expected: ["UCS+2'", "UCD+13+2'"]
        ),
        .init(
            name: "15 not in the message",
            body: ["BGM+351+DOC1+9", "ZZZ+1"] + TestMessageGrammar.body.dropFirst(),
            expected: ["UCS+3+15'"]
        ),
        .init(
            name: "15 out of sequence",
            body: ["BGM+351+DOC1+9", "RFF+ON:PO", "DTM+137:20261123:102", "CNT+2:1"],
            expected: ["UCS+4+15'"]
        ),
        .init(
            name: "16 too many data elements",
            body: ContrlCase.replacing(3, with: "QTY+12:6+9"),
            expected: ["UCS+5'", "UCD+16+2'"]
        ),
        .init(
            name: "16 too many components",
            body: ContrlCase.replacing(1, with: "DTM+137:20261123:102:9"),
            expected: ["UCS+3'", "UCD+16+1:4'"]
        ),
        .init(
            name: "35 segment repeated too often",
            body: ["BGM+351+DOC1+9", "DTM+137:1", "DTM+137:2", "DTM+137:3", "CNT+2:0"],
            expected: ["UCS+5+35'"]
        ),
        .init(
            name: "36 segment group repeated too often",
            body: ["BGM+351+DOC1+9", "RFF+ON:A", "RFF+ON:B", "RFF+ON:C", "CNT+2:3"],
            expected: ["UCS+5+36'"]
        ),
        .init(
            name: "37 invalid character: letters in a numeric element",
            body: ContrlCase.replacing(3, with: "QTY+12:SIX"),
            expected: ["UCS+5'", "UCD+37+1:2'"]
        ),
        .init(
            name: "37 invalid character: digits in an alphabetic element",
            body: ContrlCase.replacing(2, with: "RFF+ON:PO1"),
            expected: ["UCS+4'", "UCD+37+1:2'"]
        ),
        .init(
            name: "39 too long",
            body: ContrlCase.replacing(0, with: "BGM+3510+DOC1+9"),
            expected: ["UCS+2'", "UCD+39+1'"]
        ),
        .init(
            name: "40 too short",
            body: ContrlCase.replacing(0, with: "BGM+351+D1+9"),
            expected: ["UCS+2'", "UCD+40+2'"]
        ),
        .init(
            name: "21 character outside the syntax level's repertoire",
            body: ContrlCase.replacing(0, with: "BGM+351+doc1+9"),
            syntax: "UNOA:3",
            strictRepertoire: true,
            expected: ["UCS+2'", "UCD+21+2'"]
        ),
        .init(
            name: "14 message type not supported (UCM)",
            body: TestMessageGrammar.body,
            guide: false,
            expected: ["UCM+1+TESTMS:D:96A:UN+4+14+UNH'"]
        ),
        .init(
            name: "2 syntax identifier not supported (UCI)",
            body: TestMessageGrammar.body,
            syntax: "UNXX:3",
            expected: ["UCI+42+SENDER:14+RECEIVER:14+4+2+UNB'"]
        ),
        .init(
            name: "29 segment count wrong (UCM, UNT)",
            body: TestMessageGrammar.body,
            trailer: "UNT+99+1",
            expected: ["UCM+1+TESTMS:D:96A:UN+4+29+UNT'"]
        ),
        .init(
            name: "28 control references differ (UCM, UNT)",
            body: TestMessageGrammar.body,
            trailer: "UNT+7+2",
            expected: ["UCM+1+TESTMS:D:96A:UN+4+28+UNT'"]
        ),
    ]

    static func contrl(_ testCase: ContrlCase) throws -> [String] {
        var bytes = EDIFACT.interchange(testCase.body, message: "TESTMS:D:96A:UN", syntax: testCase.syntax)
        if let trailer = testCase.trailer {
            let text = String(decoding: bytes, as: UTF8.self)
            let count = testCase.body.count + 2
            bytes = Array(text.replacingOccurrences(of: "UNT+\(count)+1'", with: trailer + "'").utf8)
        }
        var validation = InterchangeValidation(
            catalog: GrammarCatalog(directory: "/nonexistent"),
            guide: testCase.guide ? try TestMessageGrammar.grammar : nil
        )
        let configuration = ReaderConfiguration(repertoire: testCase.strictRepertoire ? .strict : .lenient)
        let report = try #require(try validation.reports(bytes, configuration: configuration).first)
        var writer = AcknowledgmentWriter(options: AcknowledgmentTests.options)
        return String(decoding: try writer.write(.contrl, for: report), as: UTF8.self).split(separator: "\n").map(
            String.init
        )
    }

    @Test(arguments: cases)
    func code(_ testCase: ContrlCase) throws {
        let lines = try Self.contrl(testCase)
        for line in testCase.expected {
            #expect(lines.contains(line), "\(line) not in \(lines)")
        }
        // Exactly the expected UCS and UCD lines: nothing else is reported.
        let reported = lines.filter { $0.hasPrefix("UCS") || $0.hasPrefix("UCD") }
        #expect(reported == testCase.expected.filter { $0.hasPrefix("UCS") || $0.hasPrefix("UCD") }, "\(lines)")
    }
}

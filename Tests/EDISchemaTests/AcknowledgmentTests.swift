import EDICore
import EDISchema
import EDITesting
import Foundation
import Testing

/// Acknowledgments as projections of findings: each finding kind gives its exact AK3/AK4 (IK3/IK4) codes and
/// positions, statuses add up, and envelopes go back to the sender.
@Suite("Acknowledgments")
struct AcknowledgmentTests {
    static let options = AcknowledgmentOptions(
        controlNumbers: ControlNumbers(interchange: 500, group: 70, transaction: 1),
        date: "20261123",
        time: "1200",
        lineBreak: .lf
    )

    static func report(_ bytes: [UInt8]) throws -> InterchangeReport {
        var validation = InterchangeValidation(
            catalog: GrammarCatalog(directory: "/nonexistent"),
            guide: try TestGrammar.grammar,
            businessUnitReferences: ["856": "BSN02"]
        )
        return try #require(try validation.reports(bytes).first)
    }

    /// The segments of an acknowledgment between the group header and trailer, as text lines.
    static func lines(_ kind: AcknowledgmentKind, _ body: [String], options: AcknowledgmentOptions = options) throws
        -> [String]
    {
        var writer = AcknowledgmentWriter(options: options)
        let bytes = try writer.write(kind, for: try report(X12.interchange(body, type: "856")))
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map { String($0.dropLast()) }
    }

    static func inner(_ lines: [String]) -> [String] {
        lines.filter { line in
            ["AK3", "AK4", "AK5", "IK3", "IK4", "IK5", "CTX", "AK9"].contains { line.hasPrefix($0 + "*") }
        }
    }

    /// Finding kind → the exact 997 lines (AK3, AK4, AK5, AK9) it produces.
    static let cases: [(String, [String], [String])] = [
        (
            "segment not in the grammar", ValidationCase.inserting("ZZZ*1", at: 1),
            ["AK3*ZZZ*3**6", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "segment out of sequence", ValidationCase.inserting("BSN*00*SHIP1*20260101*1200", at: 2),
            ["AK3*BSN*4**7", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "mandatory segment missing", ValidationCase.replacing(0, with: nil),
            ["AK3*BSN*2**3", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "segment over its maximum use",
            ValidationCase.inserting("DTM*017*20260102", at: 1).inserting2("DTM*017*20260103", at: 1),
            ["AK3*DTM*5**5", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "loop over its maximum use", ValidationCase.inserting("N1*ST*SHOP", at: 6).inserting2("N1*ST*STORE", at: 6),
            ["AK3*N1*9*HL*4", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "mandatory element missing", ValidationCase.replacing(0, with: "BSN**SHIP1*20260101*1200"),
            ["AK3*BSN*2**8", "AK4*1*353*1", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "conditional element missing", ValidationCase.replacing(1, with: "DTM*011**1200"),
            ["AK3*DTM*3**8", "AK4*2*373*2", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "too many elements", ValidationCase.replacing(0, with: "BSN*00*SHIP1*20260101*1200*X"),
            ["AK3*BSN*2**8", "AK4*5**3", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "element too short", ValidationCase.replacing(0, with: "BSN*00*S*20260101*1200"),
            ["AK3*BSN*2**8", "AK4*2*396*4", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "element too long",
            ValidationCase.replacing(0, with: "BSN*00*\(String(repeating: "S", count: 31))*20260101*1200"),
            ["AK3*BSN*2**8", "AK4*2*396*5", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "invalid character", ValidationCase.replacing(3, with: "TD1*CTN*2A"),
            ["AK3*TD1*5*HL*8", "AK4*2*80*6", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "invalid code value", ValidationCase.replacing(0, with: "BSN*99*SHIP1*20260101*1200"),
            ["AK3*BSN*2**8", "AK4*1*353*7", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "invalid date", ValidationCase.replacing(0, with: "BSN*00*SHIP1*20260230*1200"),
            ["AK3*BSN*2**8", "AK4*3*373*8", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "invalid time", ValidationCase.replacing(0, with: "BSN*00*SHIP1*20260101*2561"),
            ["AK3*BSN*2**8", "AK4*4*337*9", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "exclusion violated", ValidationCase.replacing(3, with: "TD1*CTN*2*G*10.5"),
            ["AK3*TD1*5*HL*8", "AK4*4*81*10", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "too many repetitions", ValidationCase.replacing(5, with: "N1*SF*ACME*92*AB^CD^EF"),
            ["AK3*N1*7*N1*8", "AK4*4*67*12", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "too many components", ValidationCase.replacing(4, with: "REF*BM*BOL1**BM:X:Y"),
            ["AK3*REF*6*HL*8", "AK4*4:3**13", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "total mismatch", ValidationCase.replacing(9, with: "CTT*4"),
            ["AK3*CTT*11**8", "AK4*1*354*7", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        (
            "hierarchy level", ValidationCase.replacing(8, with: "HL*3*1*I*0"),
            ["AK3*HL*9*HL*8", "AK4*4*736*7", "AK3*HL*10*HL*8", "AK4*3*735*7", "AK5*R*5", "AK9*R*1*1*0"]
        ),
        ("valid", TestGrammar.body, ["AK5*A", "AK9*A*1*1*1"]),
    ]

    @Test(arguments: cases.map { $0.0 })
    func functionalAcknowledgment(_ name: String) throws {
        let (_, body, expected) = try #require(Self.cases.first { $0.0 == name })
        #expect(Self.inner(try Self.lines(.functional997, body)) == expected)
    }

    @Test func implementationAcknowledgmentUsesIKSegmentsAndImplementationCodes() throws {
        let lines = Self.inner(try Self.lines(.implementation999, ValidationCase.replacing(8, with: "HL*3*1*I*0")))
        #expect(
            lines == [
                "IK3*HL*9*HL*8", "CTX*BSN02:SHIP1", "IK4*4*736*I12", "IK3*HL*10*HL*8", "CTX*BSN02:SHIP1",
                "IK4*3*735*I6", "IK5*R*5", "AK9*R*1*1*0",
            ]
        )
    }

    @Test func situationalTriggerContext() throws {
        let lines = Self.inner(try Self.lines(.implementation999, ValidationCase.replacing(1, with: "DTM*011**1200")))
        #expect(
            lines == [
                "IK3*DTM*3**8", "CTX*SITUATIONAL TRIGGER*DTM*3**3", "CTX*BSN02:SHIP1", "IK4*2*373*2", "IK5*R*5",
                "AK9*R*1*1*0",
            ]
        )
    }

    @Test func envelopesGoBackToTheSender() throws {
        let lines = try Self.lines(.functional997, TestGrammar.body)
        #expect(
            lines[0].hasPrefix(
                "ISA*00*          *00*          *ZZ*RECEIVER       *ZZ*SENDER         *261123*1200*^*00501*000000500*0*P*:"
            )
        )
        #expect(lines[1] == "GS*FA*RECEIVER*SENDER*20261123*1200*70*X*005010")
        #expect(lines[2] == "ST*997*0001")
        #expect(lines[3] == "AK1*PO*1*005010")
        #expect(lines[4] == "AK2*856*0001")
        #expect(lines.suffix(3) == ["SE*6*0001", "GE*1*70", "IEA*1*000000500"])
        let implementation = try Self.lines(.implementation999, TestGrammar.body)
        #expect(implementation[1] == "GS*FA*RECEIVER*SENDER*20261123*1200*70*X*005010X231A1")
        #expect(implementation[2] == "ST*999*0001*005010X231A1")
    }

    @Test func separatorsAnISACannotCarryAreReplacedInTheReply() throws {
        // ISA16 0xF8 reads with a finding; the reply uses a component separator an ISA can hold. So with a space,
        // which the reply's ISA pads its fields with (letters and digits the reader refuses outright).
        for separator in [0xF8, UInt8(ascii: " ")] {
            var bytes = X12.interchange(TestGrammar.body, type: "856")
            bytes[104] = separator
            let report = try Self.report(bytes)
            for kind in [AcknowledgmentKind.ta1, .functional997, .implementation999] {
                var writer = AcknowledgmentWriter(options: Self.options)
                let reply = try writer.write(kind, for: report)
                #expect(reply[104] == UInt8(ascii: ">"), "ISA16 \(separator)")
                let interchanges = try EDIParser.parse(reply)
                #expect(interchanges.count == 1)
                #expect(interchanges.first?.findings.isEmpty == true, "ISA16 \(separator) \(kind)")
            }
        }
    }

    @Test func aVersionAnISACannotCarryGivesWayInTheReply() throws {
        // ISA12 with a byte beyond ASCII reads with a finding; the TA1 goes back as 00401.
        var bytes = X12.interchange(TestGrammar.body, type: "856")
        bytes[86] = 0xC3
        let report = try Self.report(bytes)
        var writer = AcknowledgmentWriter(options: Self.options)
        let reply = try writer.write(.ta1, for: report)
        #expect(String(decoding: reply[84..<89], as: UTF8.self) == "00401")
        #expect(try EDIParser.parse(reply).first?.findings.isEmpty == true)
    }

    @Test func aTA1EchoesOnlyARealDateAndTime() throws {
        // ISA09 269901 (month 99) and ISA10 2575 give way to the reply's date and 0000, so the TA1 validates.
        var bytes = X12.interchange(TestGrammar.body, type: "856")
        bytes.replaceSubrange(70..<80, with: Array("269901*2575".utf8).prefix(10))
        bytes[80] = UInt8(ascii: "5")
        let report = try Self.report(bytes)
        #expect(report.date == "269901")
        #expect(report.time == "2575")
        let ta1 = AcknowledgmentWriter.ta1(for: report, replyDate: "20261123")
        #expect(ta1.elements.map(\.text).prefix(3) == ["000000001", "261123", "0000"])
    }

    @Test func envelopeFindingsReachTheirLevel() throws {
        // SE01 wrong (AK5 4), GE01 wrong (AK905 5), IEA02 wrong (TA1 001).
        var text = String(decoding: X12.interchange(TestGrammar.body, type: "856"), as: UTF8.self)
        text = text.replacing("SE*12*0001~", with: "SE*13*0001~").replacing("GE*1*1~", with: "GE*2*1~")
            .replacing("IEA*1*000000001~", with: "IEA*1*000000002~")
        let report = try Self.report(Array(text.utf8))
        var writer = AcknowledgmentWriter(options: Self.options)
        let ack = String(decoding: try writer.write(.functional997, for: report), as: UTF8.self)
        #expect(ack.contains("AK5*R*4~\n"))
        #expect(ack.contains("AK9*R*2*1*0*5~\n"))
        #expect(AcknowledgmentWriter.ta1(for: report) == SegmentValue("TA1", "000000001", "260101", "1200", "R", "001"))
    }

    @Test func aGroupCountAK902CannotCarryGivesWayToTheCountReceived() throws {
        // AK902 is N0 of 1 to 6 digits: a GE01 it cannot carry is not echoed; the count received stands in, and AK905
        // says what was wrong with the trailer (5 the count; 6 its syntax: a count is never negative).
        for (count, code) in [("1234567890", "5"), ("1234567", "5"), ("-3", "6")] {
            var text = String(decoding: X12.interchange(TestGrammar.body, type: "856"), as: UTF8.self)
            text = text.replacing("GE*1*1~", with: "GE*\(count)*1~")
            var writer = AcknowledgmentWriter(options: Self.options)
            let ack = String(
                decoding: try writer.write(.functional997, for: try Self.report(Array(text.utf8))),
                as: UTF8.self
            )
            #expect(ack.contains("AK9*R*1*1*1*\(code)~\n"), "GE01 \(count)")
        }
    }

    @Test func acceptedTA1() throws {
        let report = try Self.report(X12.interchange(TestGrammar.body, type: "856"))
        #expect(AcknowledgmentWriter.ta1(for: report) == SegmentValue("TA1", "000000001", "260101", "1200", "A", "000"))
        var writer = AcknowledgmentWriter(options: Self.options)
        let lines = String(decoding: try writer.write(.ta1, for: report), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.last == "IEA*0*000000500~")
    }

    @Test func partiallyAcceptedGroup() throws {
        // Two transactions, one bad: AK9 P with 2 included, 2 received, 1 accepted.
        let one = String(decoding: X12.interchange(TestGrammar.body, type: "856"), as: UTF8.self)
        let bad = ValidationCase.replacing(0, with: "BSN*99*SHIP1*20260101*1200")
        var segments = one.split(separator: "~").map(String.init)
        let se = try #require(segments.firstIndex { $0.hasPrefix("SE*") })
        segments.insert(contentsOf: ["ST*856*0002"] + bad + ["SE*\(bad.count + 2)*0002"], at: se + 1)
        let text = segments.joined(separator: "~").replacing("GE*1*1", with: "GE*2*1") + "~"
        var writer = AcknowledgmentWriter(options: Self.options)
        let ack = String(
            decoding: try writer.write(.functional997, for: try Self.report(Array(text.utf8))),
            as: UTF8.self
        )
        #expect(
            ack.contains("AK2*856*0001~\nAK5*A~\nAK2*856*0002~\nAK3*BSN*2**8~\nAK4*1*353*7~\nAK5*R*5~\nAK9*P*2*2*1~")
        )
    }

    /// Type, control number and version are read from the header's bytes; the version's components are joined
    /// with ':' whatever the separator (level B uses 0x1F).
    @Test func reportsIdentifyTransactionsWithAnySeparators() throws {
        let levelA = EDIFACT.interchange(["BGM+351+DES1+9"])
        let levelB = Array(
            String(decoding: levelA, as: UTF8.self).map { character -> Character in
                switch character {
                case "+": "\u{1D}"
                case ":": "\u{1F}"
                case "'": "\u{1C}"
                default: character
                }
            }.map(String.init).joined().utf8
        )
        for bytes in [levelA, levelB] {
            var validation = InterchangeValidation(catalog: GrammarCatalog(directory: "/nonexistent"))
            let transaction = try #require(try validation.reports(bytes).first?.groups.first?.transactions.first)
            #expect(transaction.type == "DESADV")
            #expect(transaction.controlNumber == "1")
            #expect(transaction.version == "D:96A:UN")
        }
    }

    @Test func contrlEchoesWhatItsElementsCanHold() throws {
        // No UNB05 and a message type too long for UCM02-1: the CONTRL still goes back, with 0 in their place, and
        // validates clean against edigate's CONTRL grammar.
        let text = "UNB+UNOC:3+S:14+R:14+260101:1200'UNH+1+DESADVXX:D:96A:UN'BGM+351+A+9'UNT+3+1'UNZ+1+7'"
        var validation = InterchangeValidation(catalog: GrammarCatalog(directory: "/nonexistent"))
        let report = try #require(try validation.reports(Array(text.utf8)).first)
        var writer = AcknowledgmentWriter(options: Self.options)
        let contrl = try writer.write(.contrl, for: report)
        let lines = String(decoding: contrl, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("UCI+0+S:14+R:14+4+") })
        #expect(lines.contains { $0.hasPrefix("UCM+1+0:D:96A:UN+") })
        var check = InterchangeValidation(catalog: GrammarCatalog(directory: PublishedGrammarTests.grammars))
        let reports = try check.reports(contrl)
        #expect(reports.flatMap(\.allFindings).isEmpty, "\(reports.flatMap(\.allFindings))")
    }

    /// Two messages of one type and different directory versions in one interchange are each checked against
    /// their own version's grammar: the grammar kept for the last lookup is not the next message's when its
    /// version differs (here, D01B has no grammar in the folder).
    @Test func eachMessageIsLookedUpByItsOwnVersion() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("edigate-versions-\(getpid())")
        let grammars = folder.appendingPathComponent("EDIFACT/D96A")
        try FileManager.default.createDirectory(at: grammars, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(
            atPath: PublishedGrammarTests.grammars + "/EDIFACT/D96A/DESADV.grammar",
            toPath: grammars.appendingPathComponent("DESADV.grammar").path
        )
        let text =
            "UNB+UNOC:3+S:14+R:14+260101:1200+7'UNH+1+DESADV:D:96A:UN'BGM+351+A+9'UNT+3+1'"
            + "UNH+2+DESADV:D:01B:UN'BGM+351+B+9'UNT+3+2'UNZ+2+7'"
        var validation = InterchangeValidation(catalog: GrammarCatalog(directory: folder.path))
        let report = try #require(try validation.reports(Array(text.utf8)).first)
        let transactions = report.groups.flatMap(\.transactions)
        #expect(transactions.map(\.version) == ["D:96A:UN", "D:01B:UN"])
        #expect(transactions.map(\.isSupported) == [true, false])
    }

    @Test func contrlIsWrittenInItsOwnCharacterSet() throws {
        // A UNOC sender with 'Ð' (0xD0) goes back as that one byte, not as UTF-8.
        let text = "UNB+UNOC:3+S\u{D0}:14+R:14+260101:1200+7'UNH+1+DESADV:D:96A:UN'BGM+351+A+9'UNT+3+1'UNZ+1+7'"
        let bytes = text.unicodeScalars.map { UInt8($0.value) }
        var validation = InterchangeValidation(catalog: GrammarCatalog(directory: "/nonexistent"))
        let report = try #require(try validation.reports(bytes).first)
        var writer = AcknowledgmentWriter(options: Self.options)
        let contrl = try writer.write(.contrl, for: report)
        #expect(contrl.firstRange(of: [UInt8(ascii: "+"), UInt8(ascii: "S"), 0xD0, UInt8(ascii: ":")]) != nil)
        #expect(!contrl.contains(0xC3))
        #expect(try EDIParser.parse(contrl).first?.findings.isEmpty == true)
    }

    @Test func contrlReportsMessagesSegmentsAndElements() throws {
        let grammar = try GrammarLoader.load(path: PublishedGrammarTests.grammars + "/EDIFACT/D96A/DESADV.grammar")
        var validation = InterchangeValidation(catalog: GrammarCatalog(directory: "/nonexistent"), guide: grammar)
        let bytes = EDIFACT.interchange(["BGM+351+DES1+9", "DTM+137:20260101:102:9", "CPS+1"])
        let report = try #require(try validation.reports(bytes).first)
        var writer = AcknowledgmentWriter(options: Self.options)
        let text = String(decoding: try writer.write(.contrl, for: report), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "UNB+UNOC:3+RECEIVER:14+SENDER:14+261123:1200+500'")
        #expect(lines[1] == "UNH+1+CONTRL:D:3:UN'")
        #expect(lines[2] == "UCI+42+SENDER:14+RECEIVER:14+7'")
        #expect(lines[3] == "UCM+1+DESADV:D:96A:UN+4'")
        // DTM+137 has 9 as a fourth component of C507, which defines three: UCD 16 at DTM01-4.
        #expect(lines.contains("UCS+3'"))
        #expect(lines.contains("UCD+16+1:4'"))
        #expect(lines.last == "UNZ+1+500'")
    }
}

/// Real documents with one problem each (`Fixtures/x12/005010/*.edi`): their 997 and 999 match the goldens beside
/// them, which Scripts/check_acks.py also validates against Bots' grammars.
@Suite("Acknowledgment goldens")
struct AcknowledgmentGoldenTests {
    static let folder = PublishedGrammarTests.root.appendingPathComponent("Tests/EDISchemaTests/Fixtures/x12/005010")

    static var fixtures: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".edi") }
            .sorted()
    }

    @Test(arguments: fixtures)
    func matchesGoldens(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent(name)))
        var validation = InterchangeValidation(catalog: GrammarCatalog(directory: PublishedGrammarTests.grammars))
        let report = try #require(try validation.reports(bytes).first)
        #expect(report.groups.flatMap(\.transactions).contains { $0.hasErrors }, "the fixture has no error")
        for kind in [AcknowledgmentKind.functional997, .implementation999] {
            var writer = AcknowledgmentWriter(
                options: AcknowledgmentOptions(date: "20261123", time: "1200", lineBreak: .lf)
            )
            let written = String(decoding: try writer.write(kind, for: report), as: UTF8.self)
            let golden = Self.folder.appendingPathComponent(name.replacing(".edi", with: ".\(kind.rawValue)"))
            #expect(written == (try String(contentsOf: golden, encoding: .utf8)), "\(name) \(kind.rawValue)")
        }
    }
}

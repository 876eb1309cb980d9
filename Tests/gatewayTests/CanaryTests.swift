import EDICore
import EDISchema
import EDITesting
import Foundation
import GatewayMaps
import Testing

@testable import gateway

/// No payload value in any message. Interchanges whose every free-text element value holds a canary are broken in
/// one way per error and finding code (the breaking value holds the canary too); the canary must appear in no
/// error, no finding, no line the `edigate` commands print (parse, inspect, validate, ack, translate) and no
/// acknowledgment (TA1, 997, 999, CONTRL).
///
/// Out of scope, on purpose: envelope identifications and control numbers, which acknowledgments must echo to be
/// routed and matched (the canary is kept out of them), and `parse --json` and `translate` standard output, which
/// are the payload by request.
struct CanaryTests {
    static let canary = "QZCANARYQZ"

    struct Case: Sendable, CustomTestStringConvertible {
        var code: String
        var input: [UInt8]
        var limits = ReaderLimits()
        var testDescription: String { self.code }
    }

    // MARK: Documents

    /// The test grammar with BSN02 at least 12 long, so a value holding the canary can be too short.
    static let grammarText = TestGrammar.text.replacingOccurrences(of: "02 396 AN 2/30 M", with: "02 396 AN 12/30 M")

    /// A valid body whose every free-text value holds the canary.
    static let body: [String] = {
        let c = canary
        return [
            "BSN*00*SHIP\(c)*20260101*1200", "DTM*011*20260101", "HL*1**S*1", "TD1*CTN*2", "REF*BM*BOL\(c)",
            "N1*SF*ACME\(c)", "N3*ADDR\(c)", "HL*2*1*O*1", "HL*3*2*I*0", "CTT*3",
        ]
    }()

    static func x12(_ body: [String], type: String = "856") -> [UInt8] { X12.interchange(body, type: type) }

    static func replacing(_ index: Int, with segment: String?) -> [String] {
        var copy = Self.body
        if let segment { copy[index] = segment } else { copy.remove(at: index) }
        return copy
    }

    static func inserting(_ segments: [String], at index: Int) -> [String] {
        var copy = Self.body
        copy.insert(contentsOf: segments, at: index)
        return copy
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// A chain of `count` HLs, each under the one before.
    static func deepHierarchy(_ count: Int) -> [String] {
        ["BSN*00*SHIP\(canary)*20260101*1200"]
            + (1...count).map { "HL*\($0)*\($0 == 1 ? "" : String($0 - 1))*\($0 == 1 ? "S" : "O")*1" }
    }

    // MARK: Cases

    static let readerErrorCases: [Case] = {
        let c = canary
        let valid = x12(body)
        let validText = text(valid)
        let twoTransactions = validText.replacingOccurrences(
            of: "GE*1*1~",
            with: "ST*856*0002~BSN*00*SHIP\(c)*20260101*1200~SE*3*0002~GE*2*1~"
        )
        return [
            Case(code: "truncatedInput", input: Array(valid[..<(valid.offset(of: "BOL")! + 6)])),
            Case(code: "noInterchange", input: bytes("\(c)*\(c)~")),
            Case(code: "unexpectedByte", input: bytes(String(X12.isa().dropLast()) + "Q\(c)~")),
            Case(code: "invalidDelimiters", input: bytes(X12.isa(component: "*") + "GS*\(c)~")),
            Case(code: "segmentTooLong", input: valid, limits: ReaderLimits(maximumSegmentLength: 20)),
            Case(code: "tooManyElements", input: valid, limits: ReaderLimits(maximumElementsPerSegment: 3)),
            Case(
                code: "tooManyComponents",
                input: x12(replacing(0, with: "BSN*00*\(c):\(c):\(c)*20260101*1200")),
                limits: ReaderLimits(maximumComponentsPerElement: 2)
            ),
            Case(
                code: "tooManyRepetitions",
                input: x12(replacing(5, with: "N1*SF*ACME\(c)*92*\(c)^\(c)^\(c)")),
                limits: ReaderLimits(maximumRepetitionsPerElement: 2)
            ),
            Case(code: "invalidBinaryLength", input: x12(["BIN*\(c)*\(c)"] + body)),
            Case(code: "inputTooLarge", input: valid, limits: ReaderLimits(maximumInputSize: 300)),
            Case(
                code: "tooManyTransactions",
                input: bytes(twoTransactions),
                limits: ReaderLimits(maximumTransactionsPerInterchange: 1)
            ),
            Case(code: "tooManySegments", input: valid, limits: ReaderLimits(maximumSegmentsPerTransaction: 5)),
        ]
    }()

    static let readerFindingCases: [Case] = {
        let c = canary
        let valid = text(x12(body))
        let edifactBody = ["BGM+351+\(c)+9", "FTX+AAI+++\(c)"]
        return [
            Case(
                code: "controlNumberMismatch",
                input: bytes(valid.replacingOccurrences(of: "*0001~G", with: "*\(c)~G"))
            ),
            Case(code: "countMismatch", input: bytes(valid.replacingOccurrences(of: "SE*12*", with: "SE*99*"))),
            Case(code: "invalidControlValue", input: bytes(valid.replacingOccurrences(of: "SE*12*", with: "SE*\(c)*"))),
            Case(code: "missingTrailer", input: bytes(valid.replacingOccurrences(of: "SE*12*0001~", with: ""))),
            Case(
                code: "unexpectedTrailer",
                input: bytes(valid.replacingOccurrences(of: "~ST*", with: "~SE*1*\(c)~ST*"))
            ),
            Case(
                code: "unexpectedSegment",
                input: bytes(valid.replacingOccurrences(of: "~ST*", with: "~REF*BM*\(c)~ST*"))
            ),
            Case(
                code: "invalidSegmentTag",
                input: bytes(valid.replacingOccurrences(of: "~ST*", with: "~\(c)*\(c)~ST*"))
            ),
            Case(code: "emptySegment", input: bytes(valid.replacingOccurrences(of: "~ST*", with: "~~ST*"))),
            Case(
                code: "interchangeHeaderNotFixedWidth",
                input: bytes(valid.replacingOccurrences(of: "SENDER         ", with: "SENDER"))
            ),
            Case(code: "unknownSyntaxIdentifier", input: EDIFACT.interchange(edifactBody, syntax: "\(c):3")),
            Case(
                code: "characterOutsideRepertoire",
                input: EDIFACT.interchange(edifactBody + ["FTX+AAI+++\(c.lowercased())"], syntax: "UNOA:3")
            ),
        ]
    }()

    static let validationCases: [Case] = {
        let c = canary
        return [
            Case(code: "segmentNotInTransaction", input: x12(inserting(["ZZZ*\(c)"], at: 1))),
            Case(code: "segmentOutOfSequence", input: x12(inserting(["BSN*00*SHIP\(c)*20260101*1200"], at: 2))),
            Case(code: "mandatorySegmentMissing", input: x12(replacing(0, with: nil))),
            Case(
                code: "segmentRepeatExceeded",
                input: x12(inserting(["DTM*017*20260102", "DTM*017*20260103"], at: 1))
            ),
            Case(code: "loopRepeatExceeded", input: x12(inserting(["N1*ST*SHOP\(c)", "N1*ST*STORE\(c)"], at: 6))),
            Case(code: "mandatoryElementMissing", input: x12(replacing(0, with: "BSN**SHIP\(c)*20260101*1200"))),
            Case(code: "conditionalElementMissing", input: x12(replacing(5, with: "N1*SF*ACME\(c)*92"))),
            Case(code: "tooManyElements", input: x12(replacing(0, with: "BSN*00*SHIP\(c)*20260101*1200*\(c)"))),
            Case(code: "elementTooShort", input: x12(replacing(0, with: "BSN*00*\(c)*20260101*1200"))),
            Case(code: "elementTooLong", input: x12(replacing(0, with: "BSN*00*\(c)\(c)\(c)\(c)*20260101*1200"))),
            Case(code: "invalidCharacter", input: x12(replacing(3, with: "TD1*CTN*\(c)"))),
            Case(code: "invalidCodeValue", input: x12(replacing(4, with: "REF*\(c.prefix(3))*BOL\(c)"))),
            Case(code: "invalidDate", input: x12(replacing(0, with: "BSN*00*SHIP\(c)*\(c.prefix(8))*1200"))),
            Case(code: "invalidTime", input: x12(replacing(0, with: "BSN*00*SHIP\(c)*20260101*\(c.prefix(4))"))),
            Case(code: "exclusionViolated", input: x12(replacing(3, with: "TD1*CTN*2*G*10.5"))),
            Case(code: "tooManyRepetitions", input: x12(replacing(5, with: "N1*SF*ACME\(c)*92*\(c)^\(c)^\(c)"))),
            Case(code: "tooManyComponents", input: x12(replacing(0, with: "BSN*00*SHIP\(c):\(c)*20260101*1200"))),
            Case(code: "totalMismatch", input: x12(replacing(9, with: "CTT*4"))),
            Case(code: "hierarchyNumbering", input: x12(replacing(8, with: "HL*4*2*I*0"))),
            Case(code: "hierarchyParent", input: x12(replacing(8, with: "HL*3*7*I*0"))),
            Case(code: "hierarchyLevel", input: x12(replacing(8, with: "HL*3*1*I*0"))),
            Case(code: "hierarchyChildCode", input: x12(replacing(2, with: "HL*1**S*0"))),
            Case(code: "hierarchyDepth", input: x12(deepHierarchy(40))),
            Case(code: "transactionNotSupported", input: x12(body, type: "123")),
            Case(code: "findingLimitReached", input: x12(inserting(Array(repeating: "ZZZ*\(c)", count: 120), at: 1))),
        ]
    }()

    // MARK: Checks

    /// The grammar folder for the runs: the canary grammar as X12 005010 856, nothing else.
    static let grammars: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "edigate-canary-\(UUID().uuidString)"
        )
        let directory = folder.appendingPathComponent("X12/005010")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? Self.grammarText.write(
            to: directory.appendingPathComponent("856.grammar"),
            atomically: true,
            encoding: .utf8
        )
        return folder.path
    }()

    /// Reads, validates and acknowledges `testCase` through the library and the commands; returns every text a
    /// user may see and every code reported.
    static func run(_ testCase: Case) throws -> (texts: [String], codes: Set<String>) {
        var texts: [String] = []
        var codes: Set<String> = []
        // The library: reader events, validation, acknowledgments.
        var reader = EDIReader(configuration: ReaderConfiguration(limits: testCase.limits))
        reader.append(testCase.input)
        reader.finish()
        var validation = InterchangeValidation(catalog: GrammarCatalog(directory: Self.grammars))
        var reports: [InterchangeReport] = []
        do {
            while let event = try reader.next() {
                if case .finding(let finding) = event {
                    texts.append(finding.description)
                    codes.insert(finding.code.rawValue)
                }
                if let report = try validation.add(event) { reports.append(report) }
            }
        } catch let error as EDISyntaxError {
            texts.append(error.description)
            codes.insert(error.code.description)
        }
        if let report = validation.finish() { reports.append(report) }
        var writer = AcknowledgmentWriter(options: AcknowledgmentOptions(date: "20261124", time: "1200"))
        for report in reports {
            for finding in report.allFindings {
                texts.append(finding.description)
                codes.insert(finding.code.rawValue)
            }
            let kinds: [AcknowledgmentKind] =
                report.standard == .x12 ? [.ta1, .functional997, .implementation999] : [.contrl]
            for kind in kinds {
                if let acknowledgment = try? writer.write(kind, for: report) { texts.append(Self.text(acknowledgment)) }
            }
        }
        // The commands, on a file holding the input.
        let folder = try CommandTests.folder([("input.edi", testCase.input)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("input.edi").path
        let root = Self.root
        for arguments in [
            ["parse", path], ["inspect", path], ["validate", path, "--grammars", Self.grammars],
            ["ack", path, "--type", "997", "--grammars", Self.grammars],
            ["ack", path, "--type", "999", "--grammars", Self.grammars],
            ["ack", path, "--type", "ta1", "--grammars", Self.grammars],
            ["ack", path, "--type", "contrl", "--grammars", Self.grammars],
        ] {
            let result = CommandTests.run(arguments)
            texts += [result.output, result.errors]
        }
        let translate = CommandTests.run([
            "translate", path, "--maps", root + "/Maps", "--grammars", root + "/Maps/Grammars",
        ])
        texts.append(translate.errors)
        return (texts, codes)
    }

    static let root = TranslateCommandTests.root.path

    @Test(arguments: readerErrorCases + readerFindingCases + validationCases)
    func noMessageCarriesTheCanary(_ testCase: Case) throws {
        let (texts, codes) = try Self.run(testCase)
        #expect(codes.contains(testCase.code), "\(testCase.code) not reported; got \(codes.sorted())")
        for text in texts where text.contains(Self.canary) {
            let line = text.split(separator: "\n").first { $0.contains(Self.canary) } ?? ""
            Issue.record("the canary is in: \(line.prefix(300))")
        }
    }

    @Test
    func writerErrorsCarryNoValue() {
        var x12 = EDIWriter(standard: .x12, delimiters: .x12)
        let unwritable = #expect(throws: EDISyntaxError.self) {
            try x12.write(SegmentValue("N1", "SF", "\(Self.canary)*\(Self.canary)"))
        }
        var edifact = EDIWriter(
            standard: .edifact,
            delimiters: .edifactLevelA,
            characterSet: CharacterSet.edifact(syntaxIdentifier: "UNOC".utf8)
        )
        let unencodable = #expect(throws: EDISyntaxError.self) {
            try edifact.write(SegmentValue("NAD", "BY", "\(Self.canary)\u{3A9}"))
        }
        #expect(unwritable?.code == .unwritableValue)
        #expect(unencodable?.code == .unencodableCharacter)
        for error in [unwritable, unencodable] {
            #expect(error?.description.contains(Self.canary) == false)
        }
    }

    @Test
    func mappingErrorsCarryNoValue() throws {
        let c = Self.canary
        let sample = try String(
            contentsOfFile: Self.root + "/Samples/x12/004010/214-shipment-status.edi",
            encoding: .utf8
        )
        let notice = try String(
            contentsOfFile: Self.root + "/Samples/x12/004010/856-ship-notice.edi",
            encoding: .utf8
        )
        // B10 gone: the shipment identifier the map requires is missing. AT7 with a canary date: not a date. An 856
        // whose first order level is a pack (canary purchase orders): a level nothing reads.
        let inputs: [(String, String, String)] = [
            ("missingValue", "214", sample.replacingOccurrences(of: "B10*0417729053*55312080*CPFS~\n", with: "")),
            (
                "invalidValue", "214",
                sample.replacingOccurrences(of: "*20260304*1540*ET~", with: "*\(c.prefix(8))*1540*ET~")
            ),
            (
                "unreadLevel", "856",
                notice.replacingOccurrences(of: "HL*2*1*O*1~", with: "HL*2*1*P*1~")
                    .replacingOccurrences(of: "4500018822", with: c).replacingOccurrences(of: "4500018907", with: c)
            ),
        ]
        var grammars = GrammarCatalog(directory: Self.root + "/Maps/Grammars")
        var maps = MapCatalog(directory: Self.root + "/Maps")
        for (code, document, text) in inputs {
            let interchange = try #require(try EDIParser.parse(Array(text.utf8)).first)
            let transaction = try #require(interchange.transactions.first)
            let grammar = try #require(try grammars.grammar(for: transaction, groupVersion: "004010"))
            let map = try #require(try maps.map(standard: "X12", version: "004010", document: document))
            let context = TranslationContext(partner: "P", interchangeControlNumber: "1", eventID: { "e" })
            let error = #expect(throws: MappingError.self) {
                _ = try Translator(map: map, grammar: grammar).translate(transaction, context: context)
            }
            #expect(error?.code.description == code, "\(error.map { "\($0)" } ?? "")")
            #expect(error?.description.contains(c) == false, "\(error.map { "\($0)" } ?? "")")
            let folder = try CommandTests.folder([("input.edi", Array(text.utf8))])
            defer { try? FileManager.default.removeItem(at: folder) }
            let result = CommandTests.run([
                "translate", folder.appendingPathComponent("input.edi").path, "--maps", Self.root + "/Maps",
                "--grammars", Self.root + "/Maps/Grammars",
            ])
            #expect(result.status == 2)
            #expect(!result.errors.contains(c), "\(result.errors)")
        }
    }

    /// Every code has a case above; `invalidMap` is about map files, which people edit, not partners' data.
    @Test
    func everyCodeHasACase() {
        let covered = Set((Self.readerErrorCases + Self.readerFindingCases + Self.validationCases).map(\.code))
            .union([
                "unwritableValue", "unencodableCharacter", "missingValue", "invalidValue", "unreadLevel", "invalidMap",
            ])
        let all = Set(EDISyntaxError.Code.all.map(\.description))
            .union(Finding.Code.readerCodes.map(\.rawValue))
            .union(Finding.Code.validationCodes.map(\.rawValue))
            .union(MappingError.Code.all.map(\.description))
        #expect(all.subtracting(covered).isEmpty, "codes without a case: \(all.subtracting(covered).sorted())")
    }
}

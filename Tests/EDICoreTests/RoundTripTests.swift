import EDICore
import EDITesting
import PropertyBased
import Testing

/// parse(write(x)) == x over random documents and delimiter sets, and write(parse(bytes)) == bytes.
struct RoundTripTests {
    @Test
    func parseOfWriteIsIdentity() async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0 ... .max)) { seed in
            let document = RandomDocument(seed: seed)
            let bytes: [UInt8]
            do { bytes = try document.write() } catch {
                Issue.record("seed \(seed): write failed: \(error)")
                return
            }
            for chunking in [Chunking.whole, .random(seed: seed)] {
                let interchanges: [Interchange]
                do { interchanges = try ReadTranscript.parse(bytes, chunking: chunking) } catch {
                    Issue.record("seed \(seed): \(error)")
                    return
                }
                #expect(interchanges.count == 1, "seed \(seed)")
                guard let interchange = interchanges.first else { return }
                #expect(interchange.findings.isEmpty, "seed \(seed): \(interchange.findings)")
                #expect(interchange.delimiters == document.delimiters, "seed \(seed)")
                let bodies = interchange.transactions.map { $0.segments.dropFirst().dropLast().map(\.value) }
                #expect(bodies == document.transactions.map(\.body), "seed \(seed) \(chunking)")
                let rewritten = try? interchange.write(lineBreak: document.lineBreak)
                #expect(rewritten == bytes, "seed \(seed): write(parse(bytes)) differs")
            }
        }
    }

    @Test
    func writerEscapesEDIFACTAndRefusesX12Delimiters() throws {
        var edifact = EDIWriter(standard: .edifact, delimiters: .edifactLevelA)
        try edifact.write(SegmentValue("FTX", "A+B:C?D'E"))
        #expect(String(decoding: edifact.bytes, as: UTF8.self) == "FTX+A?+B?:C??D?'E'")
        // A line break in a value is released as well; readers drop a bare one inside a segment as formatting.
        var lines = EDIWriter(standard: .edifact, delimiters: .edifactLevelA)
        try lines.write(SegmentValue("FTX", "A\nB"))
        #expect(String(decoding: lines.bytes, as: UTF8.self) == "FTX+A?\nB'")
        let read = try #require(try ReadTranscript.parse(EDIFACT.interchange(["FTX+A?\nB"]), chunking: .whole).first)
        #expect(read.transactions.first?.segment(at: 2)?[1]?.text == "A\nB")
        var x12 = EDIWriter(standard: .x12, delimiters: .x12)
        #expect(throws: EDISyntaxError.self) { try x12.write(SegmentValue("MSG", "A\nB")) }
        #expect(x12.bytes.isEmpty, "a segment that does not write leaves nothing behind")
        let error = try #require(throws: EDISyntaxError.self) { try x12.write(SegmentValue("N1", "ST", "A*B")) }
        #expect(error.code == .unwritableValue)
        #expect(error.location.reference == "N102")
        #expect(
            error.description == "expected a value without delimiters, found '*' in a value of 3 bytes at byte 0, N102"
        )
    }

    @Test
    func aBrokenTagWithReleasedDelimitersWritesBackAsRead() throws {
        // Inside a message the reader leaves tags to validation, so a tag holding released delimiters reads clean
        // and must write back byte for byte.
        let text = "UNB+UNOC:3+S+R+260101:1200+7'UNH+1+INVOIC:D:96A:UN'Due in 10 days?: 3?'5:x'UNT+3+1'UNZ+1+7'"
        let interchange = try #require(try ReadTranscript.parse(Array(text.utf8), chunking: .whole).first)
        #expect(interchange.findings.isEmpty)
        #expect(try interchange.write() == Array(text.utf8))
        // Wrapped across lines, the same tag reads without the line break and keeps its release characters.
        let wrapped = "UNB+UNOC:3+S+R+260101:1200+7'UNH+1+INVOIC:D:96A:UN'U?'\nU?S+24'UNT+3+1'UNZ+1+7'"
        let read = try #require(try ReadTranscript.parse(Array(wrapped.utf8), chunking: .whole).first)
        let tag = try #require(read.transactions.first?.segment(at: 2)?.tag)
        #expect(tag == "U?'U?S")
        let again = try #require(try ReadTranscript.parse(try read.write(), chunking: .whole).first)
        #expect(again.transactions.first?.segment(at: 2)?.tag == tag)
        // A release character ending a tag would release the separator after it.
        var writer = EDIWriter(standard: .edifact, delimiters: .edifactLevelA)
        let error = try #require(throws: EDISyntaxError.self) { try writer.write(SegmentValue("AB?", "1")) }
        #expect(error.code == .unwritableValue)
    }

    /// An X12 004010 interchange around one segment of a 210 (ST, the segment, SE): what goes before the segment
    /// and what follows its terminator.
    static func binaryEnvelope(componentSeparator: Character) -> (head: String, tail: String) {
        (
            "ISA*00*          *00*          *ZZ*S              *ZZ*R              *260101*1200*U*00401*000000001*0*P*"
                + String(componentSeparator) + "~GS*IM*S*R*20260101*1200*1*X*004010~ST*210*0001~",
            "SE*3*0001~GE*1*1~IEA*1*000000001~"
        )
    }

    @Test
    func aLineBreakBeforeTheBinaryElementIsFormattingLikeAnyOther() throws {
        // BDS01 wrapped across lines reads without the line break (as validation reads it); only BDS03, the binary
        // element, keeps every byte. Before, the whole segment kept its line breaks and could not be written back.
        let (head, tail) = Self.binaryEnvelope(componentSeparator: ":")
        let text = head + "BDS*A\nSC*3*a\nb~" + tail
        let interchange = try #require(try ReadTranscript.parse(Array(text.utf8), chunking: .whole).first)
        #expect(interchange.findings.isEmpty)
        let segment = try #require(interchange.transactions.first?.segment(at: 2))
        #expect(segment.tag == "BDS")
        #expect(segment[1]?.text == "ASC")
        #expect(segment[3]?.text == "a\nb")
        let again = try #require(try ReadTranscript.parse(try interchange.write(), chunking: .whole).first)
        #expect(again.transactions.first?.segment(at: 2)?[1]?.text == "ASC")
        #expect(again.transactions.first?.segment(at: 2)?[3]?.text == "a\nb")
        // Binary data is written byte for byte: delimiters, a terminator and bytes that are not UTF-8.
        let bytes = Array((head + "BIN*5*a*~").utf8) + [0xFF, 0x7E] + Array(("~" + tail).utf8)
        let read = try #require(try ReadTranscript.parse(bytes, chunking: .whole).first)
        #expect(read.findings.isEmpty)
        #expect(read.transactions.first?.segment(at: 2)?[2]?.value.binary == [0x61, 0x2A, 0x7E, 0xFF, 0x7E])
        #expect(try read.write() == bytes)
        // A line break in the length element is formatting too: the data is read after it, and written without it.
        let wrapped = Array((head + "BIN*\n5*a*~").utf8) + [0xFF, 0x7E] + Array(("~" + tail).utf8)
        let unwrapped = try #require(try ReadTranscript.parse(wrapped, chunking: .whole).first)
        #expect(unwrapped.findings.isEmpty)
        #expect(unwrapped.transactions.first?.segment(at: 2)?[1]?.text == "5")
        #expect(unwrapped.transactions.first?.segment(at: 2)?[2]?.value.binary == [0x61, 0x2A, 0x7E, 0xFF, 0x7E])
        #expect(try unwrapped.write() == bytes)
        // A length element that does not give the data's length would make readers take other bytes.
        var writer = EDIWriter(standard: .x12, delimiters: .x12)
        let error = try #require(throws: EDISyntaxError.self) { try writer.write(SegmentValue("BIN", "3", "ab")) }
        #expect(error.code == .invalidBinaryLength)
        #expect(
            error.description
                == "expected the binary length element to give the data's 2 bytes, found another number at byte 0, BIN01"
        )
        #expect(writer.bytes.isEmpty)
    }

    @Test
    func elementsBeforeTheBinaryDataSplitIntoComponents() throws {
        // BDS01 holding the component separator: before, the segment's every element was one value, so the
        // separator stayed inside it and the writer refused to write what had read clean (found by fuzzing).
        let (head, tail) = Self.binaryEnvelope(componentSeparator: ">")
        let text = head + "BDS*A>S\nC*3*a>b~" + tail
        let interchange = try #require(try ReadTranscript.parse(Array(text.utf8), chunking: .whole).first)
        #expect(interchange.findings.isEmpty)
        let segment = try #require(interchange.transactions.first?.segment(at: 2))
        #expect(segment[1]?.components.map(\.text) == ["A", "SC"])
        #expect(segment[1]?.component(2)?.text == "SC")
        #expect(segment[1]?.value == ElementValue(repetitions: [["A", "SC"]]))
        // The binary data stays one value, the separator in it included.
        #expect(segment[3]?.components.map(\.text) == ["a>b"])
        #expect(segment[3]?.value.binary == Array("a>b".utf8))
        // What validation reads is what the elements give.
        var values: [String] = []
        segment.forEachValue { _, bytes in values.append(String(decoding: bytes, as: UTF8.self)) }
        #expect(values == ["A", "SC", "3", "a>b"])
        let written = try interchange.write()
        let again = try #require(try ReadTranscript.parse(written, chunking: .whole).first)
        #expect(again.findings.isEmpty)
        #expect(again.transactions.first?.segment(at: 2)?.value == segment.value)
        #expect(try again.write() == written)
    }

    @Test
    func writerEncodesInTheInterchangeCharacterSet() throws {
        // UNOC is ISO 8859-1: 'ò' is the one byte 0xF2 when read and must be again when written.
        let text = "UNB+UNOC:3+S+R+260101:1200+7'UNH+1+INVOIC:D:96A:UN'NAD+BY+++Distr\u{F2}'UNT+3+1'UNZ+1+7'"
        let bytes = [UInt8](text.unicodeScalars.map { UInt8($0.value) })
        let interchange = try #require(try ReadTranscript.parse(bytes, chunking: .whole).first)
        #expect(try interchange.write() == bytes)
        // A character UNOC has no byte for is refused, never written as UTF-8.
        var writer = EDIWriter(
            standard: .edifact,
            delimiters: .edifactLevelA,
            characterSet: interchange.header.characterSet
        )
        let error = try #require(throws: EDISyntaxError.self) { try writer.write(SegmentValue("NAD", "BY", "\u{3A9}")) }
        #expect(error.code == .unencodableCharacter)
        #expect(
            error.description
                == "expected characters of UNOC, found one outside it in a value of 2 bytes at byte 0, NAD02"
        )
    }

    @Test
    func envelopesGetCountsAndControlNumbers() throws {
        var writer = EnvelopeWriter(
            standard: .x12,
            delimiters: .x12,
            lineBreak: .lf,
            controlNumbers: ControlNumbers(interchange: 41, group: 7, transaction: 12)
        )
        try writer.beginInterchange(
            InterchangeEnvelope(
                sender: "ACME",
                senderQualifier: "ZZ",
                receiver: "RETAIL",
                receiverQualifier: "01",
                date: "20260101",
                time: "0930",
                version: "00401"
            )
        )
        try writer.beginGroup(
            GroupEnvelope(
                functionalIdentifier: "SH",
                applicationSender: "ACME",
                applicationReceiver: "RETAIL",
                version: "004010"
            )
        )
        try writer.writeTransaction(type: "856", body: [SegmentValue("BSN", "00", "SHIP1", "20260101", "0930")])
        try writer.writeTransaction(type: "856", body: [])
        try writer.endGroup()
        try writer.endInterchange()
        let text = String(decoding: writer.bytes, as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first?.utf8.count == 106)
        #expect(lines.first?.hasSuffix("*U*00401*000000041*0*P*:~") == true)
        #expect(lines.dropFirst().first == "GS*SH*ACME*RETAIL*20260101*0930*7*X*004010~")
        #expect(
            Array(lines[2...7]) == [
                "ST*856*0012~", "BSN*00*SHIP1*20260101*0930~", "SE*3*0012~", "ST*856*0013~", "SE*2*0013~", "GE*2*7~",
            ]
        )
        #expect(lines.last == "IEA*1*000000041~")
        #expect(writer.controlNumbers == ControlNumbers(interchange: 42, group: 8, transaction: 14))
        let parsed = try EDIParser.parse(writer.bytes)
        #expect(parsed.first?.findings.isEmpty == true)
    }
}

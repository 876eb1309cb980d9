import EDICore
import EDITesting
import Testing

/// Delimiters come from ISA, UNA or the syntax level's defaults.
struct DelimiterTests {
    static func header(_ bytes: [UInt8]) throws -> InterchangeHeader {
        try #require(EDIParser.parse(bytes).first).header
    }

    @Test(
        arguments: [
            ("00401", "U", nil), ("00501", "^", "^"), ("00501", "U", nil), ("00501", "A", nil), ("00402", "!", "!"),
        ] as [(String, String, String?)]
    )
    func isa11IsTheRepetitionSeparatorFrom00402On(version: String, isa11: String, expected: String?) throws {
        let text = X12.isa(version: version, repetition: Character(isa11)) + "IEA*0*000000001~"
        let delimiters = try Self.header(Array(text.utf8)).delimiters
        #expect(delimiters.repetition == expected.map { UInt8(ascii: Unicode.Scalar($0)!) })
    }

    @Test
    func isaGivesElementComponentAndTerminator() throws {
        let text = X12.isa(element: "|", component: ">", terminator: "\r\n") + "IEA|0|000000001\r\n"
        let delimiters = try Self.header(Array(text.utf8)).delimiters
        #expect(delimiters.element == UInt8(ascii: "|"))
        #expect(delimiters.component == UInt8(ascii: ">"))
        #expect(delimiters.segmentTerminator == [0x0D])
    }

    @Test(arguments: ["\n", "\r\n"])
    func linesEndEDIFACTSegmentsWhenTheUNBLineHasNoTerminator(lineBreak: String) throws {
        let text = ["UNB+UNOA:3+S+R+260101:1200+7", "UNH+1+DESADV:D:96A:UN", "BGM+351+A?+B+9", "UNT+3+1", "UNZ+1+7"]
            .joined(separator: lineBreak)
        let interchange = try #require(EDIParser.parse(Array(text.utf8)).first)
        #expect(interchange.header.delimiters.segmentTerminator == [0x0A])
        #expect(interchange.findings.isEmpty, "\(interchange.findings)")
        let bgm = try #require(interchange.transactions.first?.segments.dropFirst().first)
        #expect(bgm[2]?.text == "A+B")
        // A wrapped interchange keeps its terminator: the UNB's ' comes later.
        let wrapped = "UNB+UNOA:3+S+R+2\n60101:1200+7'\nUNH+1+DESADV:D:96A:UN'UNT+2+1'UNZ+1+7'"
        #expect(try Self.header(Array(wrapped.utf8)).delimiters.segmentTerminator == [UInt8(ascii: "'")])
    }

    @Test
    func unaAndTheSyntaxLevelGiveEDIFACTDelimiters() throws {
        let custom = Array("UNA|=,! #UNB=UNOC|3=S=R=260101|1200=1#UNZ=0=1#".utf8)
        let delimiters = try Self.header(custom).delimiters
        #expect(delimiters.component == UInt8(ascii: "|"))
        #expect(delimiters.element == UInt8(ascii: "="))
        #expect(delimiters.decimalMark == UInt8(ascii: ","))
        #expect(delimiters.release == UInt8(ascii: "!"))
        #expect(delimiters.repetition == nil)
        #expect(delimiters.segmentTerminator == [UInt8(ascii: "#")])
        let syntax4 = try Self.header(EDIFACT.interchange([], syntax: "UNOA:4"))
        #expect(syntax4.delimiters.repetition == UInt8(ascii: "*"))
        let syntax3 = try Self.header(EDIFACT.interchange([], syntax: "UNOA:3"))
        #expect(syntax3.delimiters.repetition == nil)
    }

    @Test
    func aUNAAppliesToTheOneInterchangeItPrecedes() throws {
        // After a UNZ or without one, a UNB with no UNA of its own takes the defaults: release '?', not '/'.
        for between in ["UNZ+0+1'", ""] {
            let text = "UNA:+./ 'UNB+UNOC:3+S+R+260101:1200+1'" + between + "UNB+UNOC:3+S+R+260101:1200+2'UNZ+0+2'"
            let interchanges = try EDIParser.parse(Array(text.utf8))
            #expect(interchanges.map(\.header.delimiters.release) == [UInt8(ascii: "/"), UInt8(ascii: "?")])
        }
    }

    @Test
    func theSyntaxIdentifierIsReadAsAValue() throws {
        // A released byte in UNB01 is data, as in every value: UN?OC is UNOC, and ?:4 is not a version.
        let header = try Self.header(Array("UNA:+.? 'UNB+UN?OC:4+S+R+20260101:1200+1'UNZ+0+1'".utf8))
        #expect(header.characterSet.name == "UNOC")
        #expect(header.delimiters.repetition == nil)
        let released = try Self.header(Array("UNB+UNOC?:4+S+R+260101:1200+1'UNZ+0+1'".utf8))
        #expect(released.delimiters.repetition == nil)
    }

    @Test
    func aSyntax3InterchangeAfterASyntax4OneHasNoRepetitionSeparator() throws {
        // The second UNB comes without the first's UNZ: it starts its own interchange, which must not inherit '*'.
        let text = "UNB+UNOA:4+S+R+20260101:1200+1'UNB+UNOA:3+S+R+260101:1200+2'UNZ+0+2'"
        let interchanges = try EDIParser.parse(Array(text.utf8))
        #expect(interchanges.map(\.header.delimiters.repetition) == [UInt8(ascii: "*"), nil])
    }

    @Test
    func characterSetsDecodeText() throws {
        let latin1 = EDIFACT.interchange(["NAD+SU+++M\u{00FC}ller"], syntax: "UNOC:3").latin1()
        let nad = try #require(EDIParser.parse(latin1).first?.transactions.first?.segment(at: 2))
        #expect(nad[4]?.text == "M\u{00FC}ller")
        let utf8 = EDIFACT.interchange(["NAD+SU+++\u{5317}\u{4EAC}"], syntax: "UNOY:4")
        #expect(try EDIParser.parse(utf8).first?.transactions.first?.segment(at: 2)?[4]?.text == "\u{5317}\u{4EAC}")
        let cyrillic: [UInt8] =
            Array("UNB+UNOE:3+S+R+260101:1200+1'UNH+1+X:D:96A:UN'FTX+++".utf8) + [0xB0, 0xD1]
            + Array("'UNT+3+1'UNZ+1+1'".utf8)
        #expect(try EDIParser.parse(cyrillic).first?.transactions.first?.segment(at: 2)?[3]?.text == "\u{0410}\u{0431}")
    }

    @Test
    func releaseCharacterEscapesAndComponentsSplit() throws {
        let bytes = EDIFACT.interchange(
            ["FTX+AAI+++A?+B?:C??D?'E:F", "QTY+12:5*6:7"],
            syntax: "UNOC:4",
            serviceStringAdvice: "UNA:+.?*'"
        )
        let message = try #require(EDIParser.parse(bytes).first?.transactions.first)
        let ftx = try #require(message.segment(at: 2)?[4])
        #expect(ftx.components.map(\.text) == ["A+B:C?D'E", "F"])
        let qty = try #require(message.segment(at: 3)?[1])
        #expect(qty.repetitions.map { $0.components.map(\.text) } == [["12", "5"], ["6", "7"]])
    }
}

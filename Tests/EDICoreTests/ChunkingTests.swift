import EDICore
import EDITesting
import Testing

/// Every input below is read whole, byte by byte and in seeded random chunks; all must read the same.
struct ChunkingTests {
    static let inputs: [(String, [UInt8])] = [
        ("x12 basic", X12.interchange(["BEG*00*SA*PO1**20260101", "PO1*1*10*EA*9.5**VP*A1^A2*BP*B:C"])),
        ("x12 lines", X12.interchange(["BEG*00*SA*PO1"], lineBreak: "\r\n")),
        ("x12 utf-8 terminator", X12.interchange(["BEG*00*SA*PO1"], terminator: "…", lineBreak: "\n")),
        ("x12 pipe", X12.interchange(["BEG|00|SA|PO1"], element: "|", lineBreak: "\n")),
        ("x12 bom and padding", [0xEF, 0xBB, 0xBF, 0x20, 0x0A] + X12.interchange(["BEG*00*SA*PO1"])),
        ("x12 two interchanges", X12.interchange(["BEG*00*SA*PO1"], lineBreak: "\n") + X12.interchange(["REF*ZZ*1"])),
        (
            "x12 second interchange with another terminator",
            X12.interchange(["BEG*00*SA*PO1"], lineBreak: "\n") + X12.interchange(["BEG*00*SA*PO2"], terminator: "\n")
        ),
        (
            "x12 space, line break and tabs before tags",
            X12.interchange(["BEG*00*SA*PO1", "REF*ZZ*1"], lineBreak: " \n\t\t  ")
        ),
        ("x12 ta1", Array((X12.isa() + "TA1*000000050*260101*1200*A*000~IEA*0*000000001~").utf8)),
        (
            "x12 binary",
            Array(
                (X12.isa()
                    + "GS*PO*S*R*20260101*1200*1*X*005010~ST*000*0001~BIN*7*a~b*c\nd~SE*3*0001~GE*1*1~IEA*1*000000001~")
                    .utf8
            )
        ),
        (
            "x12 count mismatch",
            Array(String(decoding: X12.interchange(["BEG*00*SA*PO1"]), as: UTF8.self).replacingSE())
        ),
        (
            "edifact una release",
            EDIFACT.interchange(
                ["FTX+AAI+++A?+B?:C??D?'E", "NAD+BY+1::9"],
                serviceStringAdvice: "UNA:+.? '",
                lineBreak: "\n"
            )
        ),
        ("edifact defaults", EDIFACT.interchange(["BGM+351+X+9", "DTM+137:20260101:102"])),
        (
            "edifact syntax 4 repetition",
            EDIFACT.interchange(["FTX+AAI+++A*B*C"], syntax: "UNOC:4", serviceStringAdvice: "UNA:+.?*'")
        ),
        ("edifact latin-1", EDIFACT.interchange(["NAD+SU+++M\u{00FC}ller"], syntax: "UNOC:3").latin1()),
        ("edifact utf-8", EDIFACT.interchange(["NAD+SU+++\u{5317}\u{4EAC}"], syntax: "UNOY:4")),
        (
            "edifact wrapped",
            wrapped(EDIFACT.interchange(["BGM+380+INVOICE0001+9", "DTM+137:20260101:102"]), width: 17)
        ),
        (
            "edifact lines end segments",
            Array("UNB+UNOA:3+S+R+260101:1200+7\r\nUNH+1+DESADV:D:96A:UN\r\nBGM+351+A?+B+9\r\nUNT+3+1\r\nUNZ+1+7".utf8)
        ),
        (
            "edifact level b",
            Array(
                "UNB\u{1D}UNOB\u{1F}3\u{1D}S\u{1D}R\u{1D}260101\u{1F}1200\u{1D}7\u{1C}UNH\u{1D}1\u{1D}DESADV\u{1F}D\u{1F}96A\u{1F}UN\u{1C}UNT\u{1D}2\u{1D}1\u{1C}UNZ\u{1D}1\u{1D}7\u{1C}"
                    .utf8
            )
        ),
        (
            "edifact no unb",
            Array("UNA:+.? 'UNH+1+INVOIC:D:96A:UN'BGM+380+1'UNT+3+1'UNH+2+INVOIC:D:96A:UN'UNT+2+2'".utf8)
        ),
        (
            "edifact groups",
            Array(
                "UNB+UNOA:3+S+R+260101:1200+9'UNG+DESADV+S+R+260101:1200+5+UN+D:96A'UNH+1+DESADV:D:96A:UN'UNT+2+1'UNE+1+5'UNZ+1+9'"
                    .utf8
            )
        ),
        (
            "missing trailers",
            Array(
                (X12.isa()
                    + "GS*PO*S*R*20260101*1200*1*X*005010~ST*850*0001~BEG*00~GS*PO*S*R*20260101*1200*2*X*005010~ST*850*0002~SE*2*0002~GE*1*2~IEA*2*000000001~")
                    .utf8
            )
        ),
        (
            "stray segments",
            Array(
                (X12.isa()
                    + "ZZZ*1~GS*PO*S*R*20260101*1200*1*X*005010~N1*X~ST*850*0001~SE*2*0001~GE*1*1~IEA*1*000000001~")
                    .utf8
            )
        ),
    ]

    @Test(arguments: Chunking.all)
    func everyChunkingReadsTheSame(chunking: Chunking) throws {
        for (name, bytes) in Self.inputs {
            let whole = ReadTranscript.lines(of: bytes, chunking: .whole)
            let chunked = ReadTranscript.lines(of: bytes, chunking: chunking)
            #expect(chunked == whole, "\(name) read differently \(chunking)")
            #expect(!whole.contains { $0.hasPrefix("error") }, "\(name): \(whole.last ?? "")")
        }
    }

    /// Regression (found on a real 810): a space after the terminator, a line break, then tabs and spaces before the
    /// next tag; all of it is formatting, whatever the chunking.
    @Test(arguments: Chunking.all)
    func paddingBeforeTagsIsNotPartOfTheTag(chunking: Chunking) throws {
        let bytes = X12.interchange(["BEG*00*SA*PO1", "REF*ZZ*1"], lineBreak: " \n\t\t  ")
        var reader = EDIReader()
        var tags: [String] = []
        for chunk in chunking.chunks(of: bytes) {
            reader.append(chunk)
            while let event = try reader.next() {
                if case .transaction(let transaction) = event { tags += transaction.segments.map(\.tag) }
            }
        }
        reader.finish()
        while let event = try reader.next() {
            if case .transaction(let transaction) = event { tags += transaction.segments.map(\.tag) }
        }
        #expect(tags == ["ST", "BEG", "REF", "SE"], "\(chunking)")
    }

    static func wrapped(_ bytes: [UInt8], width: Int) -> [UInt8] {
        var result: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if index > 0 && index % width == 0 { result.append(0x0A) }
            result.append(byte)
        }
        return result
    }
}

extension String {
    /// The text with SE01 off by one, for a count finding.
    func replacingSE() -> [UInt8] {
        var bytes = Array(self.utf8)
        if let offset = bytes.offset(of: "SE*4*") { bytes[offset + 3] = UInt8(ascii: "9") }
        return bytes
    }
}

extension Array where Element == UInt8 {
    /// UTF-8 text re-encoded as ISO 8859-1 (characters up to U+00FF only).
    func latin1() -> [UInt8] {
        String(decoding: self, as: UTF8.self).unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
    }
}

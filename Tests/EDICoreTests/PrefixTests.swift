import EDICore
import EDITesting
import Testing

/// Every proper prefix of a valid interchange is rejected with a located error, however it is fed.
struct PrefixTests {
    static let valid: [(String, [UInt8])] = [
        ("x12", X12.interchange(["BEG*00*SA*PO1", "PO1*1*10*EA"])),
        ("x12 utf-8 terminator", X12.interchange(["BEG*00*SA*PO1"], terminator: "…")),
        ("edifact una", EDIFACT.interchange(["FTX+AAI+++A?+B", "NAD+BY+1::9"], serviceStringAdvice: "UNA:+.? '")),
        ("edifact", EDIFACT.interchange(["BGM+351+X+9"])),
    ]

    @Test(arguments: [Chunking.whole, .byteByByte, .random(seed: 3)])
    func everyProperPrefixIsRejected(chunking: Chunking) throws {
        for (name, bytes) in Self.valid {
            #expect(throws: Never.self) { try ReadTranscript.parse(bytes, chunking: chunking) }
            for length in 0..<bytes.count {
                let prefix = Array(bytes[..<length])
                let error = try #require(throws: EDISyntaxError.self, "\(name) prefix \(length)") {
                    try ReadTranscript.parse(prefix, chunking: chunking)
                }
                #expect(error.code == .truncatedInput || error.code == .noInterchange, "\(name) prefix \(length)")
                #expect(error.location.byteOffset <= length, "\(name) prefix \(length): \(error)")
            }
        }
    }

    @Test(arguments: Chunking.all)
    func truncationInsideBEGIsLocated(chunking: Chunking) throws {
        let input = X12.interchange(["BEG*00*SA*PO1"]).cut(before: "*PO1")
        let error = try #require(throws: EDISyntaxError.self) { try ReadTranscript.parse(input, chunking: chunking) }
        #expect(error.code == .truncatedInput)  // ISA=1, GS=2, ST=3, BEG=4
        #expect(error.location.segmentTag == "BEG" && error.location.segmentNumber == 4)
        #expect(error.location.byteOffset == input.count)
    }
}

import EDITesting
import PropertyBased
import Testing

@testable import EDICore

/// The reader has a fast path for plain segments (whole 32-byte blocks) and a general loop for everything else;
/// fed whole, a document goes mostly through the fast path, fed one byte at a time only through the general
/// loop. These properties take random documents, disturb them where the two paths split (line breaks, blank
/// lines, indentation, long segments, envelope tags, release characters, stray bytes) and require the same
/// events, findings and errors however the input is cut.
struct FastPathTests {
    @Test
    func disturbedDocumentsReadTheSameWholeAndInPieces() async {
        await propertyCheck(count: 200, input: Gen.uint64(in: 0 ... .max)) { seed in
            guard let bytes = Self.disturbedDocument(seed) else { return }
            let whole = ReadTranscript.lines(of: bytes, chunking: .whole)
            for chunking in [Chunking.byteByByte, .random(seed: seed)] {
                let pieces = ReadTranscript.lines(of: bytes, chunking: chunking)
                #expect(pieces == whole, "seed \(seed): \(chunking) differs from whole")
            }
        }
    }

    @Test
    func longPlainDocumentsReadTheSameWholeAndInPieces() {
        // Many short segments, so most of the input goes through whole blocks.
        var segments: [String] = []
        for index in 0..<400 {
            segments.append("HL*\(index + 1)*\(index)*I")
            segments.append("LIN**UP*0123456789\(index % 10)*VP*SKU-\(index)")
            if index % 7 == 0 { segments.append("REF*ZZ*" + String(repeating: "X", count: 120)) }
        }
        for lineBreak in ["", "\n", "\r\n"] {
            let bytes = X12.interchange(segments, lineBreak: lineBreak)
            let whole = ReadTranscript.lines(of: bytes, chunking: .whole)
            #expect(!whole.contains { $0.hasPrefix("error") || $0.hasPrefix("finding") }, "\(whole.suffix(2))")
            #expect(ReadTranscript.lines(of: bytes, chunking: .byteByByte) == whole)
            #expect(ReadTranscript.lines(of: bytes, chunking: .random(seed: 7)) == whole)
        }
    }

    /// A segment the reader calls plain holds no component or repetition separator and no byte above 0x7F, so its
    /// elements' bounds are their values; and every segment without one that is not read through its views (a
    /// release character or a line break inside) is called plain. Whole and in pieces (the fast path and the general
    /// loop) agree by the transcripts above, which mark plain segments.
    @Test
    func plainSegmentsAreExactlyThoseWithoutSeparatorsInside() async {
        await propertyCheck(count: 200, input: Gen.uint64(in: 0 ... .max)) { seed in
            guard let bytes = Self.disturbedDocument(seed) else { return }
            for chunking in [Chunking.whole, .byteByByte] {
                guard let interchanges = try? ReadTranscript.parse(bytes, chunking: chunking) else { continue }
                for transaction in interchanges.flatMap({ $0.groups.flatMap(\.transactions) + $0.transactions }) {
                    for segment in transaction.segments {
                        let delimiters = segment.delimiters
                        let raw = segment.rawBytes
                        let mixed = raw.contains {
                            $0 == delimiters.component || $0 == delimiters.repetition || $0 >= 0x80
                        }
                        // Read through its views: released or line-broken, fixed (ISA, UNA) or binary.
                        let formatted = segment.record.flags & SegmentFlags.views != 0
                        if segment.isPlain {
                            #expect(
                                !mixed,
                                "seed \(seed) \(chunking): segment \(segment.number) is called plain: \(Array(raw)) \(delimiters)"
                            )
                        } else if !formatted {
                            #expect(
                                mixed,
                                "seed \(seed) \(chunking): segment \(segment.number) is not called plain: \(Array(raw)) \(delimiters)"
                            )
                        }
                    }
                }
            }
        }
    }

    /// The random document of `seed`, disturbed (``disturb(_:terminator:using:)``); `nil`, with an issue recorded,
    /// when it does not write.
    static func disturbedDocument(_ seed: UInt64) -> [UInt8]? {
        let document = RandomDocument(seed: seed)
        guard let written = try? document.write() else {
            Issue.record("seed \(seed): write failed")
            return nil
        }
        var generator = SeededGenerator(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        return Self.disturb(written, terminator: document.delimiters.segmentTerminator, using: &generator)
    }

    /// Inserts, after some terminators, line breaks, blank lines, indentation or a long segment, and flips a few
    /// bytes into delimiters, envelope tags or control bytes.
    static func disturb(
        _ bytes: [UInt8],
        terminator: [UInt8],
        using generator: inout SeededGenerator
    ) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count * 2)
        var index = 0
        let insertions: [[UInt8]] = [
            [0x0A], [0x0D, 0x0A], [0x0A, 0x0A], [0x0D], [0x20, 0x20], [0x09], [0x0A, 0x20],
        ]
        while index < bytes.count {
            result.append(bytes[index])
            let endsTerminator =
                index + 1 >= terminator.count
                && Array(bytes[(index + 1 - terminator.count)...index]) == terminator
            if endsTerminator && Int.random(in: 0..<5, using: &generator) == 0 {
                result += insertions.randomElement(using: &generator)!
            }
            index += 1
        }
        // A few point mutations, away from the ISA so most documents stay readable.
        let flips = Int.random(in: 0...3, using: &generator)
        let replacements: [[UInt8]] = [
            [0x0A], [0x0D], [0x09], Array("IEA".utf8), Array("UNZ".utf8), Array("ISA".utf8), [0x3F], [0x1F],
            Array(repeating: UInt8(ascii: "Z"), count: 150),
        ]
        for _ in 0..<flips where result.count > 140 {
            let at = Int.random(in: 120..<result.count, using: &generator)
            let replacement = replacements.randomElement(using: &generator)!
            result.replaceSubrange(at..<min(result.count, at + 1), with: replacement)
        }
        // Sometimes what follows the interchange: junk, or the same document again.
        switch Int.random(in: 0..<6, using: &generator) {
        case 0: result += Array("XYZ*1~".utf8)
        case 1: result += bytes
        default: break
        }
        return result
    }
}

/// A segment as the tokenizer records it: 24 bytes of positions into one buffer.
@usableFromInline
struct SegmentRecord: Sendable {
    /// Buffer position of the tag's first byte.
    var start: UInt32
    /// Buffer position of the segment terminator (or the end of the segment for UNA).
    var end: UInt32
    /// Index into the element ranges of the tag; the data elements follow it.
    var firstElement: UInt32
    /// The number of ranges, tag included.
    var rangeCount: UInt16
    /// ``SegmentFlags``.
    var flags: UInt16
    /// The 1-based number of the segment within its interchange (0 for UNA).
    var number: UInt32
    /// The tag packed by ``Tag/pack(_:)``.
    var tag: UInt32
}

/// Bits describing a segment's bytes.
enum SegmentFlags {
    /// Contains the EDIFACT release character: text needs unescaping.
    static let release: UInt16 = 1 << 0
    /// Contains CR or LF bytes that are not delimiters (hard-wrapped lines): text drops them.
    static let lineBreaks: UInt16 = 1 << 1
    /// The ISA or UNA: elements are fixed, never split into components or repetitions.
    static let raw: UInt16 = 1 << 2
    /// An X12 BIN or BDS segment whose last element is binary data.
    static let binary: UInt16 = 1 << 3
    /// The ISA was not 106 bytes.
    static let notFixedWidth: UInt16 = 1 << 4
    /// A terminator with nothing before it.
    static let empty: UInt16 = 1 << 5
    /// The UNA service string advice.
    static let serviceStringAdvice: UInt16 = 1 << 6
}

/// Segment tags packed into 32 bits for fast comparison: up to three bytes and the length.
enum Tag {
    @inline(__always)
    static func pack(_ a: UInt8, _ b: UInt8, _ c: UInt8, length: Int) -> UInt32 {
        UInt32(a) | UInt32(b) << 8 | UInt32(c) << 16 | UInt32(min(length, 255)) << 24
    }

    static func pack(_ text: StaticString) -> UInt32 {
        let bytes = text.withUTF8Buffer { Array($0) }
        return pack(bytes[0], bytes[1], bytes.count > 2 ? bytes[2] : 0, length: bytes.count)
    }

    static let isa = pack("ISA")
    static let iea = pack("IEA")
    static let gs = pack("GS")
    static let ge = pack("GE")
    static let st = pack("ST")
    static let se = pack("SE")
    static let ta1 = pack("TA1")
    static let isb = pack("ISB")
    static let ise = pack("ISE")
    static let bin = pack("BIN")
    static let bds = pack("BDS")
    static let una = pack("UNA")
    static let unb = pack("UNB")
    static let unz = pack("UNZ")
    static let ung = pack("UNG")
    static let une = pack("UNE")
    static let unh = pack("UNH")
    static let unt = pack("UNT")
}

/// The reading context of a run of segments: standard, delimiters and character set.
@usableFromInline
struct SegmentContext: Sendable, Hashable {
    var standard: Standard
    var delimiters: Delimiters
    var characterSet: CharacterSet
}

/// One buffer of input and the flat tables that describe its segments; shared by every view into it.
///
/// Segments, elements and transactions are views holding this object and an index, so reading allocates per
/// buffer, not per element (swift-asn1 `ParserNode`). It is immutable once a reader hands it out.
@usableFromInline
final class SegmentStorage: Sendable {
    /// The input bytes.
    let bytes: [UInt8]
    /// The offset of `bytes[0]` from the start of the input.
    let baseOffset: Int
    /// One record per segment.
    let segments: [SegmentRecord]
    /// Element ranges: for each segment, its tag and then its elements.
    let elements: [ByteRange]
    /// Context changes, ordered by the first segment they apply to.
    let contexts: [(firstSegment: Int, context: SegmentContext)]

    init(
        bytes: [UInt8],
        baseOffset: Int,
        segments: [SegmentRecord],
        elements: [ByteRange],
        contexts: [(firstSegment: Int, context: SegmentContext)]
    ) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        self.segments = segments
        self.elements = elements
        self.contexts = contexts
    }

    /// The context of segment `index`.
    func context(ofSegment index: Int) -> SegmentContext {
        var low = 0
        var high = self.contexts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if self.contexts[middle].firstSegment <= index { low = middle } else { high = middle - 1 }
        }
        return self.contexts[low].context
    }
}

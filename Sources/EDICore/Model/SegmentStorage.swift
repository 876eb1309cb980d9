/// A segment as the tokenizer records it: 24 bytes of positions into one buffer.
@usableFromInline
struct SegmentRecord: Sendable, BitwiseCopyable {
    /// Buffer position of the tag's first byte.
    @usableFromInline var start: UInt32
    /// Buffer position of the segment terminator (or the end of the segment for UNA).
    @usableFromInline var end: UInt32
    /// Index into the element ranges of the tag; the data elements follow it.
    @usableFromInline var firstElement: UInt32
    /// The number of ranges, tag included.
    @usableFromInline var rangeCount: UInt16
    /// ``SegmentFlags``.
    @usableFromInline var flags: UInt16
    /// The 1-based number of the segment within its interchange (0 for UNA).
    @usableFromInline var number: UInt32
    /// The tag packed by ``Tag/pack(_:)``.
    @usableFromInline var tag: UInt32
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
    /// The flags of a segment read through its views (``TableSegment/needsViews``, which writes this mask out as
    /// `0b1111`): its released or line-broken bytes were not classed, so it is never ``plain``.
    static let views: UInt16 = release | lineBreaks | raw | binary
    /// No component or repetition separator and no byte above 0x7F: each element's bytes are its one value, in
    /// ASCII. Set only by the tokenizer, for segments whose every byte it classed (never with a flag above).
    static let plain: UInt16 = 1 << 7
}

/// Segment tags packed into 32 bits for fast comparison: up to three bytes and the length.
enum Tag {
    @inline(__always)
    static func pack(_ a: UInt8, _ b: UInt8, _ c: UInt8, length: Int) -> UInt32 {
        UInt32(a) | UInt32(b) << 8 | UInt32(c) << 16 | UInt32(min(length, 255)) << 24
    }

    // Literal values, so reading them costs nothing (a computed static would run an initializer once per use).
    static let isa: UInt32 = 0x03415349  // ISA
    static let iea: UInt32 = 0x03414549  // IEA
    static let gs: UInt32 = 0x02005347  // GS
    static let ge: UInt32 = 0x02004547  // GE
    static let st: UInt32 = 0x02005453  // ST
    static let se: UInt32 = 0x02004553  // SE
    static let ta1: UInt32 = 0x03314154  // TA1
    static let isb: UInt32 = 0x03425349  // ISB
    static let ise: UInt32 = 0x03455349  // ISE
    static let bin: UInt32 = 0x034E4942  // BIN
    static let bds: UInt32 = 0x03534442  // BDS
    static let una: UInt32 = 0x03414E55  // UNA
    static let unb: UInt32 = 0x03424E55  // UNB
    static let unz: UInt32 = 0x035A4E55  // UNZ
    static let ung: UInt32 = 0x03474E55  // UNG
    static let une: UInt32 = 0x03454E55  // UNE
    static let unh: UInt32 = 0x03484E55  // UNH
    static let unt: UInt32 = 0x03544E55  // UNT
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
    let segments: FlatTableSnapshot<SegmentRecord>
    /// Element ranges: for each segment, its tag and then its elements.
    let elements: FlatTableSnapshot<ByteRange>
    /// Context changes, ordered by the first segment they apply to.
    let contexts: [(firstSegment: Int, context: SegmentContext)]

    init(
        bytes: [UInt8],
        baseOffset: Int,
        segments: FlatTableSnapshot<SegmentRecord>,
        elements: FlatTableSnapshot<ByteRange>,
        contexts: [(firstSegment: Int, context: SegmentContext)]
    ) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        self.segments = segments
        self.elements = elements
        self.contexts = contexts
    }

    /// A storage of its own holding only segment `index`, so a long-lived envelope segment (an interchange or
    /// group header kept while its interchange is read) does not keep a whole chunk of input alive.
    func detached(_ index: Int) -> SegmentStorage {
        var record = self.segments[index]
        let start = Int(record.start)
        let firstElement = Int(record.firstElement)
        let elements = FlatTable<ByteRange>(capacity: Int(record.rangeCount))
        for offset in 0..<Int(record.rangeCount) {
            let range = self.elements[firstElement + offset]
            elements.appendUnchecked(ByteRange(start: range.lower - start, end: range.upper - start))
        }
        record.start = 0
        record.end -= UInt32(start)
        record.firstElement = 0
        let segments = FlatTable<SegmentRecord>(capacity: 1)
        segments.appendUnchecked(record)
        return SegmentStorage(
            bytes: Array(self.bytes[start..<Int(self.segments[index].end)]),
            baseOffset: self.baseOffset + start,
            segments: FlatTableSnapshot(segments, count: 1),
            elements: FlatTableSnapshot(elements, count: elements.count),
            contexts: [(0, self.context(ofSegment: index))]
        )
    }

    /// The context of segment `index`.
    func context(ofSegment index: Int) -> SegmentContext {
        self.contexts[self.contextIndex(ofSegment: index)].context
    }

    /// The index in `contexts` of the context segment `index` was read in (read fields from it without copying
    /// the whole context).
    func contextIndex(ofSegment index: Int) -> Int {
        var low = 0
        var high = self.contexts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if self.contexts[middle].firstSegment <= index { low = middle } else { high = middle - 1 }
        }
        return low
    }
}

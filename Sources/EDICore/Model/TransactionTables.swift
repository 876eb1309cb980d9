/// A transaction's segments and element ranges as the reader stores them, for code that must read every value
/// at memory speed (validation): no view, closure or allocation per segment or value.
///
/// Valid only inside ``Transaction/withTables(_:)``. Byte positions index ``bytes``; add ``baseOffset`` for the
/// offset in the input.
///
/// ```swift
/// transaction.withTables { tables in
///     for position in 1...tables.segmentCount {
///         let segment = tables.segment(position)
///         for element in 1...segment.elementCount { let range = segment.element(element) … }
///     }
/// }
/// ```
public struct TransactionTables {
    /// The input bytes the ranges point into.
    public let bytes: UnsafeRawBufferPointer
    /// The offset of `bytes[0]` in the input.
    public let baseOffset: Int
    /// The delimiters the transaction was read with.
    public let delimiters: Delimiters
    /// How its text's bytes map to Unicode scalars.
    public let encoding: CharacterSet.Encoding
    /// The number of segments, header and trailer included.
    public let segmentCount: Int
    @usableFromInline let records: UnsafePointer<SegmentRecord>
    @usableFromInline let ranges: UnsafePointer<ByteRange>

    @usableFromInline
    init(
        bytes: UnsafeRawBufferPointer,
        baseOffset: Int,
        delimiters: Delimiters,
        encoding: CharacterSet.Encoding,
        segmentCount: Int,
        records: UnsafePointer<SegmentRecord>,
        ranges: UnsafePointer<ByteRange>
    ) {
        self.bytes = bytes
        self.baseOffset = baseOffset
        self.delimiters = delimiters
        self.encoding = encoding
        self.segmentCount = segmentCount
        self.records = records
        self.ranges = ranges
    }

    /// The text of `bytes[start..<end]` in the transaction's character set: for a segment that does not need views
    /// (no release characters or line breaks to remove), what ``Element/text`` gives for the same bytes.
    public func text(_ start: Int, _ end: Int) -> String {
        CharacterSet.decode(UnsafeRawBufferPointer(rebasing: self.bytes[start..<end]), encoding: self.encoding)
    }

    /// The segment at 1-based `position` (ST or UNH = 1).
    @inlinable
    public func segment(_ position: Int) -> TableSegment {
        precondition(position >= 1 && position <= self.segmentCount, "segment position out of range")
        let record = self.records[position - 1]
        return TableSegment(record: record, ranges: self.ranges + Int(record.firstElement))
    }
}

/// One segment of ``TransactionTables``.
public struct TableSegment {
    @usableFromInline let record: SegmentRecord
    @usableFromInline let ranges: UnsafePointer<ByteRange>

    @usableFromInline
    init(record: SegmentRecord, ranges: UnsafePointer<ByteRange>) {
        self.record = record
        self.ranges = ranges
    }

    /// The packed tag.
    @inlinable public var tag: SegmentTag { SegmentTag(rawValue: self.record.tag) }

    /// The byte positions (in ``TransactionTables/bytes``) of the whole segment, tag to last element without the
    /// terminator: the bytes ``Segment/rawBytes`` holds.
    @inlinable public var span: (start: Int, end: Int) { (Int(self.record.start), Int(self.record.end)) }

    /// The number of data elements, trailing empty ones included.
    @inlinable public var elementCount: Int { Int(self.record.rangeCount) - 1 }

    /// Whether values must be read through ``Segment/forEachValue(_:)`` rather than as plain byte ranges:
    /// release characters, line breaks inside, fixed elements (ISA, UNA) or binary data.
    @inlinable public var needsViews: Bool {
        // SegmentFlags.release | .lineBreaks | .raw | .binary, written out: an inlinable body sees no internal names.
        self.record.flags & 0b1111 != 0
    }

    /// Whether each element's bytes are its one value, in ASCII: no component or repetition separator and no byte
    /// above 0x7F anywhere in the segment (``needsViews`` aside). A reader of values can then take an element's
    /// bounds as they are, without scanning them.
    @inlinable public var isPlain: Bool {
        // SegmentFlags.plain, written out.
        self.record.flags & (1 << 7) != 0
    }

    /// The byte positions (in ``TransactionTables/bytes``) of the element at 1-based `position`, separators of
    /// components and repetitions included.
    @inlinable
    public func element(_ position: Int) -> Range<Int> {
        let range = self.ranges[position]
        return Int(range.start)..<Int(range.end)
    }

    /// ``element(_:)`` as a start and an end, for loops that read every element (no range is built).
    @inlinable
    public func bounds(_ position: Int) -> (start: Int, end: Int) {
        let range = self.ranges[position]
        return (Int(range.start), Int(range.end))
    }
}

extension Transaction {
    /// Calls `body` with the transaction's flat tables; pointers in them are valid only during the call.
    public func withTables<Result>(_ body: (TransactionTables) throws -> Result) rethrows -> Result {
        let storage = self.storage
        let context = storage.contextIndex(ofSegment: self.first)
        return try storage.bytes.withUnsafeBytes { buffer in
            try body(
                TransactionTables(
                    bytes: buffer,
                    baseOffset: storage.baseOffset,
                    delimiters: storage.contexts[context].context.delimiters,
                    encoding: storage.contexts[context].context.characterSet.encoding,
                    segmentCount: self.segmentCount,
                    records: UnsafePointer(storage.segments.table.base + self.first),
                    ranges: UnsafePointer(storage.elements.table.base)
                )
            )
        }
    }
}

/// A segment of an interchange: a view into the input, decoded only when asked.
///
/// Holds the shared storage and an index, so it costs two words. Elements are numbered from 1, as guides number
/// them (`BEG03` is `segment[3]`); the tag is not an element.
///
/// ```swift
/// for segment in transaction.segments where segment.tag == "REF" {
///     print(segment[1]?.text ?? "", segment.location)   // BM  byte 412, segment 7
/// }
/// ```
public struct Segment: Sendable {
    @usableFromInline let storage: SegmentStorage
    @usableFromInline let index: Int

    @usableFromInline
    init(storage: SegmentStorage, index: Int) {
        self.storage = storage
        self.index = index
    }

    /// The same segment in a storage of its own (see ``SegmentStorage/detached(_:)``).
    var detached: Segment {
        if self.storage.segments.count == 1 { return self }
        return Segment(storage: self.storage.detached(self.index), index: 0)
    }

    @usableFromInline var record: SegmentRecord { self.storage.segments[self.index] }

    /// The segment tag (`BEG`, `NAD`).
    public var tag: String {
        let range = self.storage.elements[Int(self.record.firstElement)]
        let bytes = self.storage.bytes[range.lower..<range.upper]
        // A tag that is not plain ASCII (only a broken one) is decoded in the character set, as values are.
        if self.record.flags & SegmentFlags.lineBreaks != 0 || bytes.contains(where: { $0 >= 0x80 }) {
            return self.decode(range, keepingReleases: true)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the tag is `tag`, compared without decoding.
    public func hasTag(_ tag: String) -> Bool {
        if self.record.flags & SegmentFlags.lineBreaks != 0 { return self.tag == tag }
        let range = self.storage.elements[Int(self.record.firstElement)]
        return self.storage.bytes[range.lower..<range.upper].elementsEqual(tag.utf8)
    }

    /// The number of data elements, trailing empty ones included.
    public var elementCount: Int { Int(self.record.rangeCount) - 1 }

    /// The data elements, in order.
    public var elements: [Element] {
        (1...max(1, self.elementCount)).prefix(self.elementCount).map { self.element($0)! }
    }

    /// The element at 1-based `position`, or `nil` when the segment has fewer elements.
    public subscript(position: Int) -> Element? { self.element(position) }

    /// The element at 1-based `position`, or `nil` when the segment has fewer elements.
    public func element(_ position: Int) -> Element? {
        guard position >= 1 && position <= self.elementCount else { return nil }
        let range = self.storage.elements[Int(self.record.firstElement) + position]
        return Element(segment: self, position: position, range: range, repetition: nil)
    }

    /// The 0-based offset of the segment's first byte in the input.
    public var byteOffset: Int { self.storage.baseOffset + Int(self.record.start) }

    /// The 1-based number of the segment within its interchange (ISA or UNB = 1; UNA = 0).
    public var number: Int { Int(self.record.number) }

    /// The segment's location (byte offset, number and tag).
    public var location: Location {
        Location(byteOffset: self.byteOffset, segmentNumber: self.number, segmentTag: self.tag)
    }

    /// The standard, delimiters and character set this segment was read with.
    var context: SegmentContext { self.storage.context(ofSegment: self.index) }

    /// The delimiters this segment was read with.
    public var delimiters: Delimiters {
        // Read in place: copying the whole context would count references to its character set's tables.
        self.storage.contexts[self.storage.contextIndex(ofSegment: self.index)].context.delimiters
    }

    /// The character set its text is decoded with.
    public var characterSet: CharacterSet { self.context.characterSet }

    /// The standard it belongs to.
    public var standard: Standard { self.context.standard }

    /// Whether the elements are fixed and never split (ISA, UNA).
    var isRaw: Bool { self.record.flags & SegmentFlags.raw != 0 }

    /// Whether the last element is binary data (X12 BIN, BDS).
    public var isBinary: Bool { self.record.flags & SegmentFlags.binary != 0 }

    /// Whether this is a UNA service string advice.
    public var isServiceStringAdvice: Bool { self.record.flags & SegmentFlags.serviceStringAdvice != 0 }

    /// Whether the reader found no component or repetition separator and no byte above 0x7F in the segment
    /// (``TableSegment/isPlain``).
    public var isPlain: Bool { self.record.flags & SegmentFlags.plain != 0 }

    /// The segment's bytes as read, from the tag up to (not including) the terminator.
    public var rawBytes: ArraySlice<UInt8> { self.storage.bytes[Int(self.record.start)..<Int(self.record.end)] }

    /// The segment as a value: tag and decoded elements.
    public var value: SegmentValue {
        SegmentValue(tag: self.tag, elements: self.elements.map(\.value))
    }
}

/// An element, or one repetition of an element: a range of the input, decoded on demand.
public struct Element: Sendable {
    let segment: Segment
    /// The element's 1-based position in its segment.
    public let position: Int
    let range: ByteRange
    /// The 1-based repetition index, when this is one repetition of a repeating element.
    public let repetition: Int?

    /// Whether the element has no bytes.
    public var isEmpty: Bool { self.range.isEmpty }

    /// The number of bytes as read (release characters included).
    public var byteCount: Int { self.range.count }

    /// The 0-based offset of the element's first byte in the input.
    public var byteOffset: Int { self.segment.storage.baseOffset + self.range.lower }

    /// The element's location.
    public var location: Location {
        var location = self.segment.location
        location.elementPosition = self.position
        location.repetitionIndex = self.repetition
        location.byteOffset = self.byteOffset
        return location
    }

    /// The whole element's text: release characters removed, line breaks dropped, separators kept.
    public var text: String { self.segment.decode(self.range) }

    /// Whether the element's bytes equal `text`'s UTF-8 bytes.
    public func hasValue(_ text: String) -> Bool {
        if self.segment.record.flags & (SegmentFlags.release | SegmentFlags.lineBreaks) == 0 {
            return self.segment.storage.bytes[self.range.lower..<self.range.upper].elementsEqual(text.utf8)
        }
        return self.text == text
    }

    /// The bytes of the value: release characters and stray line breaks removed, not decoded.
    public var valueBytes: [UInt8] { self.segment.cleanBytes(self.range) ?? Array(self.rawBytes) }

    /// Calls `body` with the value's bytes (as ``valueBytes``), without copying when there is nothing to remove.
    public func withValueBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        if let cleaned = self.segment.cleanBytes(self.range) {
            return cleaned.withUnsafeBytes(body)
        }
        let range = self.range
        return self.segment.storage.bytes.withUnsafeBytes { buffer in
            body(UnsafeRawBufferPointer(rebasing: buffer[range.lower..<range.upper]))
        }
    }

    /// The bytes as read.
    public var rawBytes: ArraySlice<UInt8> { self.segment.storage.bytes[self.range.lower..<self.range.upper] }

    /// The repetitions of the element (itself alone when it does not repeat).
    public var repetitions: [Element] {
        guard self.repetition == nil, !self.segment.isRaw, !self.isBinaryData,
            let separator = self.segment.delimiters.repetition
        else { return [self] }
        return self.segment.split(self.range, on: separator).enumerated().map { index, range in
            Element(segment: self.segment, position: self.position, range: range, repetition: index + 1)
        }
    }

    /// The components of the element (of this repetition); one component when it is not composite.
    public var components: [Component] {
        let ranges: [ByteRange]
        if self.segment.isRaw || self.isBinaryData {
            ranges = [self.range]
        } else {
            var range = self.range
            if self.repetition == nil, let separator = self.segment.delimiters.repetition,
                let first = self.segment.split(self.range, on: separator).first
            {
                range = first
            }
            ranges = self.segment.split(range, on: self.segment.delimiters.component)
        }
        return ranges.enumerated().map { Component(element: self, position: $0.offset + 1, range: $0.element) }
    }

    /// The component at 1-based `position`, or `nil`: the one ``components`` holds there, found without making
    /// the others.
    public func component(_ position: Int) -> Component? {
        guard position >= 1 else { return nil }
        if self.segment.isRaw || self.isBinaryData {
            return position == 1 ? Component(element: self, position: 1, range: self.range) : nil
        }
        var range = self.range
        if self.repetition == nil, let separator = self.segment.delimiters.repetition {
            range = self.segment.part(self.range, on: separator, at: 1) ?? range
        }
        return self.segment.part(range, on: self.segment.delimiters.component, at: position).map {
            Component(element: self, position: position, range: $0)
        }
    }

    /// Whether the element (this repetition, or its first) has more than one component: ``components`` holds
    /// more than one, found without making them.
    public var isComposite: Bool { self.component(2) != nil }

    /// Whether this is a BIN/BDS segment's binary data (its last element), which is one value as read. The elements
    /// before it (BDS01, the length) are text, split into repetitions and components as in any segment and as
    /// ``Segment/forEachValue(_:)`` reads them.
    var isBinaryData: Bool { self.segment.isBinary && self.position == self.segment.elementCount }

    /// The element as a value: repetitions of components, decoded.
    public var value: ElementValue {
        if self.isBinaryData {
            return ElementValue(binary: Array(self.rawBytes), text: self.text)
        }
        return ElementValue(repetitions: self.repetitions.map { $0.components.map(\.text) })
    }
}

/// A component of a composite element.
public struct Component: Sendable {
    /// The element it belongs to.
    public let element: Element
    /// Its 1-based position within the element.
    public let position: Int
    let range: ByteRange

    /// Whether the component has no bytes.
    public var isEmpty: Bool { self.range.isEmpty }

    /// The component's text: release characters removed.
    public var text: String { self.element.segment.decode(self.range) }

    /// The number of bytes as read (release characters included).
    public var byteCount: Int { self.range.count }

    /// The 0-based offset of the component's first byte in the input.
    public var byteOffset: Int { self.element.segment.storage.baseOffset + self.range.lower }

    /// Whether the component's bytes equal `text`'s UTF-8 bytes.
    public func hasValue(_ text: String) -> Bool {
        let segment = self.element.segment
        if segment.record.flags & (SegmentFlags.release | SegmentFlags.lineBreaks) == 0 {
            return segment.storage.bytes[self.range.lower..<self.range.upper].elementsEqual(text.utf8)
        }
        return self.text == text
    }

    /// Calls `body` with the value's bytes (release characters and stray line breaks removed, not decoded),
    /// without copying when there is nothing to remove.
    public func withValueBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        let segment = self.element.segment
        if let cleaned = segment.cleanBytes(self.range) {
            return cleaned.withUnsafeBytes(body)
        }
        let range = self.range
        return segment.storage.bytes.withUnsafeBytes { buffer in
            body(UnsafeRawBufferPointer(rebasing: buffer[range.lower..<range.upper]))
        }
    }

    /// The component's location.
    public var location: Location {
        var location = self.element.location
        location.componentPosition = self.position
        location.byteOffset = self.element.segment.storage.baseOffset + self.range.lower
        return location
    }
}

extension Segment {
    /// Calls `body` with each part of `range` split on `separator` (a separator after the release character is
    /// data), in order, until it returns `false`.
    @inline(__always)
    func forEachPart(_ range: ByteRange, on separator: UInt8, _ body: (ByteRange) -> Bool) {
        let release = self.delimiters.release
        self.storage.bytes.withUnsafeBufferPointer { bytes in
            var start = range.lower
            var position = range.lower
            while position < range.upper {
                let byte = bytes[position]
                if byte == release {
                    position += 2
                    continue
                }
                if byte == separator {
                    guard body(ByteRange(start: start, end: position)) else { return }
                    start = position + 1
                }
                position += 1
            }
            _ = body(ByteRange(start: start, end: min(position, range.upper)))
        }
    }

    /// Part `index` (1-based) of `range` split on `separator` as ``split(_:on:)`` splits it, or `nil` when there
    /// are fewer parts; nothing allocated.
    func part(_ range: ByteRange, on separator: UInt8, at index: Int) -> ByteRange? {
        var found: ByteRange?
        var count = 0
        self.forEachPart(range, on: separator) { part in
            count += 1
            if count == index { found = part }
            return count < index
        }
        return found
    }

    /// Splits `range` on `separator`, honouring the release character.
    func split(_ range: ByteRange, on separator: UInt8) -> [ByteRange] {
        var parts: [ByteRange] = []
        self.forEachPart(range, on: separator) { part in
            parts.append(part)
            return true
        }
        return parts
    }

    /// The bytes of `range` with release characters and stray line breaks removed, or `nil` when the segment has
    /// neither (or `range` is in a binary element), so the bytes as read are the value.
    func cleanBytes(_ range: ByteRange, keepingReleases: Bool = false) -> [UInt8]? {
        let flags = self.record.flags
        if flags & (SegmentFlags.release | SegmentFlags.lineBreaks) == 0 { return nil }
        // Only a BIN/BDS segment's last element is binary; the ones before it (BDS01, the length) are text, read
        // as ``forEachValue`` reads them.
        if flags & SegmentFlags.binary != 0,
            range.upper > self.storage.elements[Int(self.record.firstElement) + Int(self.record.rangeCount) - 2].upper
        {
            return nil
        }
        let bytes = self.storage.bytes
        let release = self.delimiters.release
        var cleaned: [UInt8] = []
        cleaned.reserveCapacity(range.count)
        var index = range.lower
        while index < range.upper {
            let byte = bytes[index]
            if byte == release && index + 1 < range.upper {
                if keepingReleases { cleaned.append(byte) }
                cleaned.append(bytes[index + 1])
                index += 2
                continue
            }
            if !ASCII.isLineBreak(byte) { cleaned.append(byte) }
            index += 1
        }
        return cleaned
    }

    /// Decodes `range` as text: release characters removed (kept, with `keepingReleases`, for a tag, which is
    /// written back as read), stray line breaks dropped.
    func decode(_ range: ByteRange, keepingReleases: Bool = false) -> String {
        // The encoding alone, read in place: decoding needs nothing else of the character set.
        let encoding = self.storage.contexts[self.storage.contextIndex(ofSegment: self.index)].context.characterSet
            .encoding
        if let cleaned = self.cleanBytes(range, keepingReleases: keepingReleases) {
            return cleaned.withUnsafeBytes { CharacterSet.decode($0, encoding: encoding) }
        }
        return self.storage.bytes.withUnsafeBytes { buffer in
            CharacterSet.decode(UnsafeRawBufferPointer(rebasing: buffer[range.lower..<range.upper]), encoding: encoding)
        }
    }
}

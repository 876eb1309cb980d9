/// Splits bytes into segments and elements, incrementally, recording flat ranges.
///
/// The tokenizer finds interchange headers (ISA, UNA, UNB, UNH), takes their delimiters, and then scans 16 bytes
/// at a time for the few bytes that matter (element separator, segment terminator, release character, CR and LF),
/// so the cost per byte stays far below a byte-at-a-time loop. Components and repetitions are not split here:
/// views find them on demand inside one element. It keeps its place between calls, so input may arrive in chunks
/// of any size and the result does not depend on where the chunks end (STYLE.md §6.6).
struct Tokenizer {
    // MARK: Output

    /// One record per complete segment.
    var segments = FlatTableWriter<SegmentRecord>(capacity: 16_384)
    /// Element ranges of complete segments and of the segment in progress.
    var elements = FlatTableWriter<ByteRange>(capacity: 65_536)
    /// Context changes, by first segment index.
    var contexts: [(firstSegment: Int, context: SegmentContext)] = []

    // MARK: Configuration and interchange state

    let limits: ReaderLimits
    var context: SegmentContext
    private var classes: [UInt8] = Array(repeating: 0, count: 256)
    private var special0 = SIMD16<UInt8>(repeating: 0)
    private var special1 = SIMD16<UInt8>(repeating: 0)
    private var special2 = SIMD16<UInt8>(repeating: 0)
    private var special3 = SIMD16<UInt8>(repeating: 0)
    private var special4 = SIMD16<UInt8>(repeating: 0)
    /// The component and repetition separators (the component twice where there is no repetition separator): with
    /// bytes above 0x7F, hits that only mark the segment as not plain (``SegmentFlags/plain``).
    private var special5 = SIMD16<UInt8>(repeating: 0)
    private var special6 = SIMD16<UInt8>(repeating: 0)
    /// The delimiters allow ``scanFast(_:count:position:baseOffset:)``: a one-byte terminator, and no delimiter
    /// that is a line break.
    private var fastPath = false

    /// Between interchanges: the next bytes must be a header.
    private(set) var expectingHeader = true
    /// A UNA was read and its UNB (or UNH) has not come yet; holds UNA5, the syntax 4 repetition separator.
    private var pendingServiceString: UInt8?? = nil
    /// The level B defaults are in use (no UNA, 0x1D after UNB).
    private var levelB = false
    /// Some interchange has started in this input.
    private(set) var sawInterchange = false
    /// The number of the last segment in the current interchange.
    private var segmentNumber: UInt32 = 0
    /// The first buffer position not yet looked at.
    private(set) var position = 0

    // MARK: The segment in progress

    /// Buffer position where the segment in progress starts.
    private(set) var segmentStart = 0
    private var elementStart = 0
    private var firstElement = 0
    private var flags: UInt16 = 0
    /// The segment in progress holds a component or repetition separator or a byte above 0x7F (so it is not
    /// ``SegmentFlags/plain``).
    private var mixed = false
    private var tag: UInt32 = 0
    private var tagDone = false
    private var lineBreakCount = 0
    private var lastLineBreak = 0
    /// For X12 BIN/BDS: the element position holding the binary length, while it has not been read.
    private var binaryLengthPosition = 0
    /// For X12 BIN/BDS: where the binary data ends, once the length is known.
    private var binaryEnd = -1

    // Byte classes.
    private static let data: UInt8 = 0
    private static let elementClass: UInt8 = 1
    private static let terminatorClass: UInt8 = 2
    private static let releaseClass: UInt8 = 3
    private static let lineBreakClass: UInt8 = 4
    /// A component or repetition separator, or a byte above 0x7F.
    private static let mixedClass: UInt8 = 5

    init(limits: ReaderLimits) {
        self.limits = limits
        self.context = SegmentContext(standard: .x12, delimiters: .x12, characterSet: .x12)
    }

    // MARK: Rebasing

    /// Moves every buffer position down by `delta` after the buffer dropped that many leading bytes, and drops
    /// the first `segmentCount` segment records (and their element ranges).
    mutating func rebase(droppingBytes delta: Int, segments segmentCount: Int) {
        let elementDrop: Int
        if segmentCount < self.segments.count {
            elementDrop = Int(self.segments[segmentCount].firstElement)
        } else {
            elementDrop = self.firstElement
        }
        if segmentCount > 0 {
            let lastContext = self.contexts.lastIndex { $0.firstSegment <= segmentCount } ?? 0
            self.contexts.removeFirst(lastContext)
            for index in self.contexts.indices {
                self.contexts[index].firstSegment = max(0, self.contexts[index].firstSegment - segmentCount)
            }
        }
        // Always new tables: storages handed out still read the old ones (see `FlatTable`).
        let shift = UInt32(delta)
        let elementShift = UInt32(elementDrop)
        self.segments.rebuild(droppingFirst: segmentCount) { record in
            var record = record
            record.start -= shift
            record.end -= shift
            record.firstElement -= elementShift
            return record
        }
        self.elements.rebuild(droppingFirst: elementDrop) { range in
            ByteRange(start: Int(range.start - shift), end: Int(range.end - shift))
        }
        self.position -= delta
        self.segmentStart -= delta
        self.elementStart -= delta
        self.firstElement -= elementDrop
        self.lastLineBreak -= delta
        if self.binaryEnd >= 0 { self.binaryEnd -= delta }
    }

    /// The number of element ranges that belong to complete segments.
    var completeElementCount: Int {
        guard self.segments.count > 0 else { return 0 }
        let last = self.segments[self.segments.count - 1]
        return Int(last.firstElement) + Int(last.rangeCount)
    }

    // MARK: Delimiters

    /// Reads with `context` from now on; it applies from segment `first` (default: the next one recorded).
    private mutating func use(_ context: SegmentContext, from first: Int? = nil) {
        self.context = context
        let delimiters = context.delimiters
        self.classes = Array(repeating: Self.data, count: 256)
        for byte in 0x80...0xFF { self.classes[byte] = Self.mixedClass }
        self.classes[Int(delimiters.component)] = Self.mixedClass
        if let repetition = delimiters.repetition { self.classes[Int(repetition)] = Self.mixedClass }
        self.classes[Int(ASCII.cr)] = Self.lineBreakClass
        self.classes[Int(ASCII.lf)] = Self.lineBreakClass
        if let release = delimiters.release { self.classes[Int(release)] = Self.releaseClass }
        self.classes[Int(delimiters.element)] = Self.elementClass
        self.classes[Int(delimiters.segmentTerminator[0])] = Self.terminatorClass
        self.special0 = SIMD16(repeating: delimiters.element)
        self.special1 = SIMD16(repeating: delimiters.segmentTerminator[0])
        self.special2 = SIMD16(repeating: delimiters.release ?? delimiters.element)
        self.special3 = SIMD16(repeating: ASCII.cr)
        self.special4 = SIMD16(repeating: ASCII.lf)
        self.special5 = SIMD16(repeating: delimiters.component)
        self.special6 = SIMD16(repeating: delimiters.repetition ?? delimiters.component)
        let used = [
            delimiters.element, delimiters.segmentTerminator[0], delimiters.release ?? delimiters.element,
            delimiters.component, delimiters.repetition ?? delimiters.component,
        ]
        self.fastPath = delimiters.segmentTerminator.count == 1 && !used.contains(where: ASCII.isLineBreak)
        let next = first ?? self.segments.count
        if let last = self.contexts.last, last.context == context { return }
        if let last = self.contexts.last, last.firstSegment == next {
            self.contexts[self.contexts.count - 1].context = context
        } else {
            self.contexts.append((next, context))
        }
    }

    // MARK: Scanning

    /// Tokenizes `buffer` from the current position as far as complete segments go.
    ///
    /// With `isFinal`, the buffer is the rest of the input: anything left incomplete is an error.
    mutating func tokenize(_ buffer: UnsafeRawBufferPointer, baseOffset: Int, isFinal: Bool) throws(EDISyntaxError) {
        let count = buffer.count
        guard count > 0, let base = buffer.baseAddress else {
            if isFinal { try self.finish(buffer, baseOffset: baseOffset) }
            return
        }
        var position = self.position
        defer { self.position = position }
        var classes = self.classes
        scanning: while true {
            if self.expectingHeader {
                guard try self.readHeader(buffer, at: &position, baseOffset: baseOffset, isFinal: isFinal) else {
                    break scanning
                }
                // A header may bring new delimiters (only headers change the byte classes).
                classes = self.classes
                continue scanning
            }
            if self.binaryEnd >= 0 || self.binaryLengthPosition > 0 {
                guard try self.readBinary(buffer, at: &position, baseOffset: baseOffset, isFinal: isFinal) else {
                    break scanning
                }
                continue scanning
            }
            if self.fastPath && position &+ 32 <= count && self.flags == 0
                && !(self.tagDone && (self.tag == Tag.iea || self.tag == Tag.unz || self.tag == Tag.unb))
            {
                // The fast path checks tags when they end; one the general loop completed must not need it.
                self.scanFast(base, count: count, position: &position)
            }
            if position >= count { break scanning }
            let blockStart = position
            var mask: UInt32
            if position &+ 16 <= count {
                mask = self.blockMask(base + position)
            } else {
                mask = 0
                var bit: UInt32 = 1
                for index in position..<count {
                    if classes[Int(buffer[index])] != Self.data { mask |= bit }
                    bit &<<= 1
                }
            }
            let next = min(position &+ 16, count)
            while mask != 0 {
                let hit = blockStart &+ mask.trailingZeroBitCount
                mask &= mask &- 1
                switch classes[Int(buffer[hit])] {
                case Self.elementClass:
                    self.elements.append(ByteRange(start: self.elementStart, end: hit))
                    self.elementStart = hit &+ 1
                    if !self.tagDone {
                        self.tagDone = true
                        if try self.tagCompleted(buffer, end: hit, baseOffset: baseOffset) {
                            position = self.segmentStart
                            continue scanning
                        }
                        if self.binaryLengthPosition > 0 {
                            position = hit &+ 1
                            continue scanning
                        }
                    }
                case Self.terminatorClass:
                    let terminator = self.context.delimiters.segmentTerminator
                    if terminator.count > 1 {
                        if hit &+ terminator.count > count {
                            if isFinal { break }
                            position = hit
                            break scanning
                        }
                        var matches = true
                        for offset in 1..<terminator.count where buffer[hit &+ offset] != terminator[offset] {
                            matches = false
                        }
                        guard matches else { break }
                    }
                    if hit == self.segmentStart && terminator.count == 1 && ASCII.isLineBreak(terminator[0]) {
                        // A blank line where lines end segments.
                        self.segmentStart = hit &+ 1
                        self.elementStart = hit &+ 1
                        break
                    }
                    try self.endSegment(buffer, terminatorAt: hit, baseOffset: baseOffset)
                    // A UNB naming syntax version 4 brings the repetition separator into the classes.
                    classes = self.classes
                    if self.expectingHeader || hit &+ terminator.count > next {
                        position = hit &+ terminator.count
                        continue scanning
                    }
                case Self.releaseClass:
                    if hit &+ 1 >= count {
                        if isFinal {
                            try self.checkLengthAtEnd(count, buffer, baseOffset: baseOffset)
                            throw .truncatedInput(
                                expected: "a character after release character",
                                at: self.location(at: hit &+ 1, baseOffset: baseOffset)
                            )
                        }
                        position = hit
                        break scanning
                    }
                    self.flags |= SegmentFlags.release
                    position = hit &+ 2
                    continue scanning
                case Self.mixedClass:
                    // Not the rest of a terminator of several bytes, which belongs to the segment before.
                    if hit >= self.segmentStart { self.mixed = true }
                case Self.lineBreakClass:
                    if hit == self.segmentStart {
                        self.segmentStart = hit &+ 1
                        self.elementStart = hit &+ 1
                    } else {
                        self.flags |= SegmentFlags.lineBreaks
                        self.lineBreakCount &+= 1
                        self.lastLineBreak = hit
                    }
                default:
                    break
                }
            }
            position = next
            if position &- self.segmentStart > self.limits.maximumSegmentLength {
                throw self.lengthError(buffer, baseOffset: baseOffset)
            }
        }
        if isFinal {
            try self.finish(buffer, baseOffset: baseOffset, position: position)
        } else if !self.expectingHeader && self.binaryEnd < 0 && self.binaryLengthPosition == 0
            && position &- self.segmentStart > self.limits.maximumSegmentLength
        {
            // Out of input inside a segment already past the limit: it fails here, wherever the input stopped (the
            // fast path can reach the end of the buffer without the block-end check of the general loop).
            throw self.lengthError(buffer, baseOffset: baseOffset)
        }
    }

    /// Scans whole 32-byte blocks from `position` while every hit is the common case: an element separator, or
    /// the terminator of a short, plain segment (no release character, no line break inside, an ordinary tag),
    /// with line breaks after it. Hot state lives in locals and ranges and records go straight into the tables.
    ///
    /// Returns, with the state written back, at the first hit it leaves to the general loop (`position` is that
    /// hit) or when fewer than 32 bytes remain. The general loop handles everything this path declines, so both
    /// give the same result; the chunking tests compare them (whole input here, one byte at a time there).
    private mutating func scanFast(_ base: UnsafeRawPointer, count: Int, position: inout Int) {
        let delimiters = self.context.delimiters
        let element = delimiters.element
        let terminator = delimiters.segmentTerminator[0]
        let release = delimiters.release ?? delimiters.element
        let component = delimiters.component
        let repetition = delimiters.repetition ?? delimiters.component
        var mixed = self.mixed
        let maximumElements = self.limits.maximumElementsPerSegment
        let maximumLength = self.limits.maximumSegmentLength
        // Longer segments go to the general loop, which counts their components and repetitions.
        let maximumPlainLength = min(self.limits.maximumComponentsPerElement, self.limits.maximumRepetitionsPerElement)
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var elementStart = self.elementStart
        var segmentStart = self.segmentStart
        var firstElement = self.firstElement
        var tagDone = self.tagDone
        var tag = self.tag
        var segmentNumber = self.segmentNumber
        var endedSegment = false
        var table = self.elements.table
        var ranges = table.base
        var rangeCount = table.count
        var capacity = table.capacity
        var recordTable = self.segments.table
        var records = recordTable.base
        var recordCount = recordTable.count
        var recordCapacity = recordTable.capacity
        defer {
            table.count = rangeCount
            recordTable.count = recordCount
            self.elementStart = elementStart
            self.segmentStart = segmentStart
            self.firstElement = firstElement
            self.tagDone = tagDone
            self.tag = tag
            self.segmentNumber = segmentNumber
            self.mixed = mixed
            if endedSegment {
                self.lineBreakCount = 0
                self.flags = 0
            }
        }
        blocks: while position &+ 32 <= count {
            if rangeCount &+ 32 > capacity {
                table = self.elements.commit(rangeCount, reserving: 4096)
                ranges = table.base
                capacity = table.capacity
            }
            if recordCount &+ 32 > recordCapacity {
                recordTable = self.segments.commit(recordCount, reserving: 1024)
                records = recordTable.base
                recordCapacity = recordTable.capacity
            }
            if position &- segmentStart > maximumLength { break blocks }
            let blockStart = position
            var mask = self.blockMask(base + blockStart) | self.blockMask(base + (blockStart &+ 16)) << 16
            position &+= 32
            while mask != 0 {
                let hit = blockStart &+ mask.trailingZeroBitCount
                let byte = bytes[hit]
                if byte == element {
                    if !tagDone {
                        let length = hit &- segmentStart
                        guard UInt(bitPattern: length &- 2) <= 1 else {
                            position = hit
                            break blocks
                        }
                        let a = bytes[segmentStart]
                        let c = length == 3 ? bytes[segmentStart &+ 2] : 0
                        tag = Tag.pack(a, bytes[segmentStart &+ 1], c, length: length)
                        // Tags the general loop must see begin with 'B', 'I' or 'U' (or are indented, or odd).
                        let offset = a &- 0x20
                        if offset >= 64 || (Self.specialTagStarts >> UInt64(offset)) & 1 != 0 {
                            if a == ASCII.space || tag == Tag.isa || tag == Tag.una || tag == Tag.bin || tag == Tag.bds
                                || tag == Tag.iea || tag == Tag.unz || tag == Tag.unb || offset >= 64
                            {
                                position = hit
                                break blocks
                            }
                        }
                        tagDone = true
                    }
                    ranges[rangeCount] = ByteRange(start: elementStart, end: hit)
                    rangeCount &+= 1
                    elementStart = hit &+ 1
                    mask &= mask &- 1
                    continue
                }
                if byte != terminator && byte != release && (byte == component || byte == repetition || byte >= 0x80) {
                    mixed = true
                    mask &= mask &- 1
                    continue
                }
                guard
                    byte == terminator && tagDone && rangeCount &- firstElement <= maximumElements
                        && hit &- segmentStart <= maximumPlainLength
                else {
                    position = hit
                    break blocks
                }
                ranges[rangeCount] = ByteRange(start: elementStart, end: hit)
                rangeCount &+= 1
                segmentNumber &+= 1
                records[recordCount] = SegmentRecord(
                    start: UInt32(truncatingIfNeeded: segmentStart),
                    end: UInt32(truncatingIfNeeded: hit),
                    firstElement: UInt32(truncatingIfNeeded: firstElement),
                    rangeCount: UInt16(truncatingIfNeeded: rangeCount &- firstElement),
                    flags: mixed ? 0 : SegmentFlags.plain,
                    number: segmentNumber,
                    tag: tag
                )
                recordCount &+= 1
                endedSegment = true
                mixed = false
                // A line break (LF, CR or CR LF) after the terminator is formatting; more go to the general loop.
                var next = hit &+ 1
                if next < count {
                    let after = bytes[next]
                    if after == ASCII.lf {
                        next &+= 1
                    } else if after == ASCII.cr {
                        next &+= 1
                        if next < count && bytes[next] == ASCII.lf { next &+= 1 }
                    }
                }
                segmentStart = next
                elementStart = next
                firstElement = rangeCount
                tagDone = false
                let done = next &- blockStart
                if done >= 32 {
                    position = next
                    mask = 0
                } else {
                    mask &= ~((1 << UInt32(done)) &- 1)
                }
            }
        }
    }

    /// Bits for the first bytes, from 0x20, of tags the general loop handles: space (indentation), 'B' (BIN,
    /// BDS), 'I' (ISA, IEA) and 'U' (UNA, UNB, UNZ).
    private static var specialTagStarts: UInt64 { 0x0020_0204_0000_0001 }

    /// The high bit of each of 16 bytes.
    private static var highBits: SIMD16<UInt8> { SIMD16(repeating: 0x80) }

    /// The positions of special bytes among the 16 at `pointer`, as bits.
    @inline(__always)
    private func blockMask(_ pointer: UnsafeRawPointer) -> UInt32 {
        let vector = pointer.loadUnaligned(as: SIMD16<UInt8>.self)
        let matches =
            (vector .== self.special0) .| (vector .== self.special1) .| (vector .== self.special2)
            .| (vector .== self.special3) .| (vector .== self.special4) .| (vector .== self.special5)
            .| (vector .== self.special6) .| (vector & Self.highBits .== Self.highBits)
        let ones = SIMD16<UInt8>(repeating: 0).replacing(with: 1, where: matches)
        let words = unsafeBitCast(ones, to: SIMD2<UInt64>.self)
        // Gathers the low bit of each byte into the top byte (each byte is 0 or 1, so nothing carries).
        let low = (words[0] &* 0x0102_0408_1020_4080) >> 56
        let high = (words[1] &* 0x0102_0408_1020_4080) >> 56
        return UInt32(truncatingIfNeeded: low) | UInt32(truncatingIfNeeded: high) << 8
    }

    /// Ends the input: an unfinished segment or an empty input is an error.
    private mutating func finish(
        _ buffer: UnsafeRawBufferPointer,
        baseOffset: Int,
        position: Int? = nil
    ) throws(EDISyntaxError) {
        let end = position ?? self.position
        if self.expectingHeader {
            if !self.sawInterchange {
                throw .noInterchange(found: [], at: Location(byteOffset: baseOffset + end))
            }
            return
        }
        var start = self.segmentStart
        while start < end && ASCII.isPadding(buffer[start]) { start += 1 }
        let terminator = self.context.delimiters.segmentTerminator
        if start < end && self.binaryEnd < 0 && self.binaryLengthPosition == 0 && terminator.count == 1
            && ASCII.isLineBreak(terminator[0])
        {
            // Where line breaks end segments, the last line may lack its own: the end of input ends it.
            try self.endSegment(buffer, terminatorAt: end, baseOffset: baseOffset)
            if self.expectingHeader { return }
            start = end
        }
        if start < end || self.binaryEnd >= 0 || self.binaryLengthPosition > 0 {
            try self.checkLengthAtEnd(end, buffer, baseOffset: baseOffset)
            var location = self.location(at: end, baseOffset: baseOffset)
            location.segmentNumber = Int(self.segmentNumber) + 1
            location.segmentTag = self.tagText(buffer, end: self.tagDone ? nil : end)
            throw .truncatedInput(expected: "segment terminator \(Quote.bytes(terminator))", at: location)
        }
    }

    // MARK: Segments

    /// Called when the tag of the segment in progress ends at `end`; returns `true` when the segment turned out
    /// to be an interchange header and scanning must restart at `segmentStart`.
    private mutating func tagCompleted(
        _ buffer: UnsafeRawBufferPointer,
        end: Int,
        baseOffset: Int
    ) throws(EDISyntaxError) -> Bool {
        // Until its tag ends, a segment is measured from where it started, indentation included; fed in chunks, it
        // may already have failed on length at any chunk's end before `end`, so read whole it fails the same way
        // before the tag is looked at (a UNA tag 67 bytes long is not read as a header when the limit is 64).
        if end &- self.segmentStart > self.limits.maximumSegmentLength {
            throw self.lengthError(buffer, baseOffset: baseOffset)
        }
        var start = self.segmentStart
        if start < end
            && (buffer[start] == ASCII.space || buffer[start] == ASCII.tab || ASCII.isLineBreak(buffer[start]))
        {
            // Indentation before a tag is formatting, as line breaks between segments are, in any mix (a space
            // after the terminator, then a line break, then tabs).
            while start < end
                && (buffer[start] == ASCII.space || buffer[start] == ASCII.tab || ASCII.isLineBreak(buffer[start]))
            {
                start &+= 1
            }
            self.segmentStart = start
            self.elements.set(self.firstElement, ByteRange(start: start, end: self.elements[self.firstElement].upper))
        }
        var length = end &- start
        var a: UInt8 = length > 0 ? buffer[start] : 0
        var b: UInt8 = length > 1 ? buffer[start &+ 1] : 0
        var c: UInt8 = length > 2 ? buffer[start &+ 2] : 0
        if self.flags & SegmentFlags.lineBreaks != 0 {
            // A hard-wrapped line may split the tag itself.
            var tagBytes: [UInt8] = []
            for index in start..<end where !ASCII.isLineBreak(buffer[index]) { tagBytes.append(buffer[index]) }
            length = tagBytes.count
            a = length > 0 ? tagBytes[0] : 0
            b = length > 1 ? tagBytes[1] : 0
            c = length > 2 ? tagBytes[2] : 0
        }
        self.tag = Tag.pack(a, b, c, length: length)
        if (a == UInt8(ascii: "I") && self.tag == Tag.isa)
            || (a == UInt8(ascii: "U") && b == UInt8(ascii: "N") && c == UInt8(ascii: "A") && length >= 3)
            || (self.tag == Tag.unb && self.context.standard == .edifact && self.segmentNumber > 0)
        {
            // A new interchange begins without the previous trailer; its header may change the delimiters. A UNB
            // without a UNA of its own takes the defaults of its syntax level, as it does after a UNZ: a UNA applies
            // to the one interchange it precedes.
            self.elements.truncate(to: self.firstElement)
            self.expectingHeader = true
            self.tagDone = false
            return true
        }
        if self.context.standard == .x12 && (self.tag == Tag.bin || self.tag == Tag.bds) {
            self.binaryLengthPosition = self.tag == Tag.bin ? 1 : 2
        }
        return false
    }

    /// The error for the segment in progress being longer than ``ReaderLimits/maximumSegmentLength``.
    private func lengthError(_ buffer: UnsafeRawBufferPointer, baseOffset: Int) -> EDISyntaxError {
        .segmentTooLong(
            limit: self.limits.maximumSegmentLength,
            at: self.location(at: self.segmentStart, baseOffset: baseOffset, tagged: true, buffer: buffer)
        )
    }

    /// At the end of input, inside a segment: fails on length when the segment already runs past the limit, as it
    /// does when fed in chunks (the length check fires at a chunk's end, before the end of input is known); the
    /// caller reports the truncation otherwise.
    private func checkLengthAtEnd(_ end: Int, _ buffer: UnsafeRawBufferPointer, baseOffset: Int) throws(EDISyntaxError)
    {
        if end &- self.segmentStart > self.limits.maximumSegmentLength {
            throw self.lengthError(buffer, baseOffset: baseOffset)
        }
    }

    /// Records the segment in progress, which ends with the terminator at `terminator`.
    private mutating func endSegment(
        _ buffer: UnsafeRawBufferPointer,
        terminatorAt terminator: Int,
        baseOffset: Int
    ) throws(EDISyntaxError) {
        // Length first, measured before indentation is dropped from the start: fed in chunks, a segment longer than
        // the limit fails on length before its end is seen, so read whole it must fail the same way whatever else is
        // wrong with it.
        if terminator &- self.segmentStart > self.limits.maximumSegmentLength {
            throw self.lengthError(buffer, baseOffset: baseOffset)
        }
        var elementEnd = terminator
        if self.lineBreakCount == 1 && self.lastLineBreak == terminator &- 1
            && buffer[self.lastLineBreak] == ASCII.cr
        {
            // CR LF where LF ends segments: the CR belongs to the line ending, not to the data.
            elementEnd = terminator &- 1
            self.flags &= ~SegmentFlags.lineBreaks
        }
        self.elements.append(ByteRange(start: self.elementStart, end: elementEnd))
        if !self.tagDone {
            self.tagDone = true
            if try self.tagCompleted(buffer, end: elementEnd, baseOffset: baseOffset) {
                // Unreachable for a header, which always has elements; kept for safety.
                return
            }
        }
        let rangeCount = self.elements.count &- self.firstElement
        if rangeCount == 1 && elementEnd == self.segmentStart { self.flags |= SegmentFlags.empty }
        if rangeCount &- 1 > self.limits.maximumElementsPerSegment {
            throw .tooManyElements(
                count: rangeCount - 1,
                limit: self.limits.maximumElementsPerSegment,
                at: self.location(at: self.segmentStart, baseOffset: baseOffset, tagged: true, buffer: buffer)
            )
        }
        if terminator &- self.segmentStart
            > min(self.limits.maximumComponentsPerElement, self.limits.maximumRepetitionsPerElement)
        {
            try self.checkComponentLimits(buffer, baseOffset: baseOffset)
        }
        self.segmentNumber &+= 1
        if self.flags & SegmentFlags.empty != 0 { self.segmentNumber &-= 1 }
        self.segments.append(
            SegmentRecord(
                start: UInt32(truncatingIfNeeded: self.segmentStart),
                end: UInt32(truncatingIfNeeded: terminator),
                firstElement: UInt32(truncatingIfNeeded: self.firstElement),
                rangeCount: UInt16(truncatingIfNeeded: rangeCount),
                flags: self.flags | (self.mixed || self.flags & SegmentFlags.views != 0 ? 0 : SegmentFlags.plain),
                number: self.segmentNumber,
                tag: self.tag
            )
        )
        let tag = self.tag
        let next = terminator &+ self.context.delimiters.segmentTerminator.count
        self.startSegment(at: next)
        if tag == Tag.iea || tag == Tag.unz {
            self.expectingHeader = true
        } else if tag == Tag.unb {
            self.readSyntaxIdentifier(buffer)
        }
    }

    private mutating func startSegment(at position: Int) {
        self.segmentStart = position
        self.elementStart = position
        self.firstElement = self.elements.count
        self.flags = 0
        self.mixed = false
        self.tagDone = false
        self.lineBreakCount = 0
        self.binaryLengthPosition = 0
        self.binaryEnd = -1
    }

    /// Counts components and repetitions of each element of a long segment against the limits.
    private func checkComponentLimits(_ buffer: UnsafeRawBufferPointer, baseOffset: Int) throws(EDISyntaxError) {
        let delimiters = self.context.delimiters
        for index in (self.firstElement + 1)..<self.elements.count {
            let range = self.elements[index]
            var components = 1
            var repetitions = 1
            var position = range.lower
            while position < range.upper {
                let byte = buffer[position]
                if byte == delimiters.release {
                    position += 2
                    continue
                }
                if byte == delimiters.component {
                    components += 1
                } else if byte == delimiters.repetition {
                    repetitions += 1
                    components = 1
                }
                position += 1
                if components > self.limits.maximumComponentsPerElement {
                    var location = self.location(at: range.lower, baseOffset: baseOffset, tagged: true, buffer: buffer)
                    location.elementPosition = index - self.firstElement
                    throw .tooManyComponents(
                        count: components,
                        limit: self.limits.maximumComponentsPerElement,
                        at: location
                    )
                }
                if repetitions > self.limits.maximumRepetitionsPerElement {
                    var location = self.location(at: range.lower, baseOffset: baseOffset, tagged: true, buffer: buffer)
                    location.elementPosition = index - self.firstElement
                    throw .tooManyRepetitions(
                        count: repetitions,
                        limit: self.limits.maximumRepetitionsPerElement,
                        at: location
                    )
                }
            }
        }
    }

    /// Takes the character set and, for syntax 4, the repetition separator from the UNB just recorded.
    private mutating func readSyntaxIdentifier(_ buffer: UnsafeRawBufferPointer) {
        let record = self.segments[self.segments.count - 1]
        var context = self.context
        var version: UInt8 = 0
        if record.rangeCount > 1 {
            // UNB01-1 and the first byte of UNB01-2, read as the segment's values are: a released byte is data, and
            // a line break that is not released is formatting.
            let range = self.elements[Int(record.firstElement) + 1]
            let release = context.delimiters.release
            var identifier: [UInt8] = []
            var position = range.lower
            while position < range.upper {
                var byte = buffer[position]
                if ASCII.isLineBreak(byte) {
                    position += 1
                    continue
                }
                if byte == release && position + 1 < range.upper {
                    position += 1
                    byte = buffer[position]
                } else if byte == context.delimiters.component {
                    var next = position + 1
                    if next + 1 < range.upper && buffer[next] == release { next += 1 }
                    if next < range.upper { version = buffer[next] }
                    break
                }
                identifier.append(byte)
                position += 1
            }
            context.characterSet =
                CharacterSet.edifact(syntaxIdentifier: identifier) ?? .unknownEDIFACT
        }
        if version >= UInt8(ascii: "4") && version <= UInt8(ascii: "9") {
            switch self.pendingServiceString {
            case .some(.some(let separator)) where separator != ASCII.space:
                context.delimiters.repetition = separator
            case .some:
                context.delimiters.repetition = nil
            case .none:
                context.delimiters.repetition = self.levelB ? 0x1E : UInt8(ascii: "*")
            }
            if let repetition = context.delimiters.repetition {
                context.delimiters.repetition = nil
                if context.delimiters.isUsableAdding(repetition) { context.delimiters.repetition = repetition }
            }
        } else {
            // Syntax 1 to 3 have no repetition separator, whatever an earlier UNB in the same input had.
            context.delimiters.repetition = nil
        }
        self.pendingServiceString = nil
        // From the UNB itself: its header is read in the context it sets, and a UNA or ISA right after it starts its
        // own context without overwriting this one.
        self.use(context, from: self.segments.count - 1)
    }

    // MARK: Binary segments

    /// Reads the length element and the data of an X12 BIN or BDS segment; `false` when more input is needed.
    private mutating func readBinary(
        _ buffer: UnsafeRawBufferPointer,
        at position: inout Int,
        baseOffset: Int,
        isFinal: Bool
    ) throws(EDISyntaxError) -> Bool {
        let count = buffer.count
        if self.binaryLengthPosition > 0 {
            let elementCount = self.elements.count - self.firstElement - 1
            if elementCount < self.binaryLengthPosition {
                // Still before the length element: scan normally to the next separator. Its bytes are not classed,
                // so the segment is not called plain.
                self.mixed = true
                var index = max(position, self.elementStart)
                while index < count {
                    let byte = buffer[index]
                    if byte == self.context.delimiters.element {
                        self.elements.append(ByteRange(start: self.elementStart, end: index))
                        self.elementStart = index + 1
                        position = index + 1
                        return true
                    }
                    // A line break before the data is formatting, as in any segment (the binary data keeps its own).
                    if ASCII.isLineBreak(byte) { self.flags |= SegmentFlags.lineBreaks }
                    if byte == self.context.delimiters.segmentTerminator[0] {
                        // No data element: an ordinary (if short) segment.
                        self.binaryLengthPosition = 0
                        try self.endSegment(buffer, terminatorAt: index, baseOffset: baseOffset)
                        position = index + self.context.delimiters.segmentTerminator.count
                        return true
                    }
                    index += 1
                }
                position = count
                return false
            }
            // The length element has been read: it is the last range.
            let range = self.elements[self.elements.count - 1]
            // A line break in it is formatting, as in the elements before it (the writer leaves it out).
            let parsed = ASCII.binaryLength(buffer[range.lower..<range.upper].lazy.filter { !ASCII.isLineBreak($0) })
            guard let length = parsed, length <= self.limits.maximumSegmentLength else {
                var location = self.location(at: range.lower, baseOffset: baseOffset, tagged: true, buffer: buffer)
                location.elementPosition = self.binaryLengthPosition
                throw .invalidBinaryLength(
                    length: parsed ?? -1,
                    limit: self.limits.maximumSegmentLength,
                    at: location
                )
            }
            self.binaryLengthPosition = 0
            self.binaryEnd = self.elementStart + length
            self.flags |= SegmentFlags.binary
        }
        let terminator = self.context.delimiters.segmentTerminator
        guard self.binaryEnd + terminator.count <= count else {
            position = count
            return false
        }
        for offset in 0..<terminator.count where buffer[self.binaryEnd + offset] != terminator[offset] {
            var location = self.location(
                at: self.binaryEnd + offset,
                baseOffset: baseOffset,
                tagged: true,
                buffer: buffer
            )
            location.elementPosition = self.elements.count - self.firstElement
            throw .unexpectedByte(
                buffer[self.binaryEnd + offset],
                expected: "segment terminator \(Quote.bytes(terminator)) after the binary data",
                at: location
            )
        }
        let end = self.binaryEnd
        self.binaryEnd = -1
        self.elementStart = min(self.elementStart, end)
        try self.endSegment(buffer, terminatorAt: end, baseOffset: baseOffset)
        position = end + terminator.count
        return true
    }

    // MARK: Headers

    /// Reads an interchange header (ISA, UNA, UNB, UNH) at `position`, skipping padding and a byte order mark.
    /// Returns `false` when more input is needed or the input ended cleanly.
    private mutating func readHeader(
        _ buffer: UnsafeRawBufferPointer,
        at position: inout Int,
        baseOffset: Int,
        isFinal: Bool
    ) throws(EDISyntaxError) -> Bool {
        let count = buffer.count
        while position < count {
            let byte = buffer[position]
            if ASCII.isPadding(byte) {
                position += 1
            } else if byte == 0xEF && position + 2 < count && buffer[position + 1] == 0xBB
                && buffer[position + 2] == 0xBF
            {
                position += 3
            } else {
                break
            }
        }
        self.segmentStart = position
        if position >= count {
            if isFinal {
                if self.pendingServiceString != nil {
                    throw .truncatedInput(
                        expected: "'UNB' or 'UNH' after UNA",
                        at: Location(byteOffset: baseOffset + count)
                    )
                }
                if !self.sawInterchange {
                    throw .noInterchange(found: [], at: Location(byteOffset: baseOffset + count))
                }
            }
            return false
        }
        if count - position < 4 {
            guard isFinal else { return false }
            let rest = Array(UnsafeRawBufferPointer(rebasing: buffer[position..<count]))
            let headers: [[UInt8]] = [Array("ISA".utf8), Array("UNA".utf8), Array("UNB".utf8), Array("UNH".utf8)]
            if headers.contains(where: { $0.starts(with: rest.prefix(3)) }) {
                throw .truncatedInput(expected: "interchange header", at: Location(byteOffset: baseOffset + count))
            }
            throw .noInterchange(found: rest, at: Location(byteOffset: baseOffset + position))
        }
        let a = buffer[position]
        let b = buffer[position + 1]
        let c = buffer[position + 2]
        let tag = Tag.pack(a, b, c, length: 3)
        switch tag {
        case Tag.isa:
            return try self.readISA(buffer, at: &position, baseOffset: baseOffset, isFinal: isFinal)
        case Tag.una:
            guard position + 9 <= count else {
                if isFinal {
                    throw .truncatedInput(
                        expected: "6 service characters after UNA",
                        at: Location(byteOffset: baseOffset + count, segmentTag: "UNA")
                    )
                }
                return false
            }
            let release = buffer[position + 6]
            let delimiters = Delimiters(
                element: buffer[position + 4],
                component: buffer[position + 3],
                repetition: nil,
                segmentTerminator: [buffer[position + 8]],
                release: release == ASCII.space ? nil : release,
                decimalMark: buffer[position + 5]
            )
            guard delimiters.isUsable else {
                throw .invalidDelimiters(delimiters, at: Location(byteOffset: baseOffset + position, segmentTag: "UNA"))
            }
            self.pendingServiceString = .some(buffer[position + 7])
            self.levelB = false
            self.use(SegmentContext(standard: .edifact, delimiters: delimiters, characterSet: .unknownEDIFACT))
            // UNA is recorded as a segment of one raw element (the six characters) so writers can reproduce it.
            self.firstElement = self.elements.count
            self.elements.append(ByteRange(start: position, end: position + 3))
            self.elements.append(ByteRange(start: position + 3, end: position + 9))
            self.segments.append(
                SegmentRecord(
                    start: UInt32(position),
                    end: UInt32(position + 9),
                    firstElement: UInt32(self.firstElement),
                    rangeCount: 2,
                    flags: SegmentFlags.raw | SegmentFlags.serviceStringAdvice,
                    number: 0,
                    tag: Tag.una
                )
            )
            self.sawInterchange = true
            position += 9
            self.startSegment(at: position)
            return true
        case Tag.unb, Tag.unh:
            if self.pendingServiceString != nil && buffer[position + 3] != self.context.delimiters.element {
                // After a UNA, its own element separator; a longer tag ('UNBX') is not the header it announces.
                throw .unexpectedByte(
                    buffer[position + 3],
                    expected: "element separator \(Quote.byte(self.context.delimiters.element))",
                    at: Location(
                        byteOffset: baseOffset + position + 3,
                        segmentNumber: 1,
                        segmentTag: tag == Tag.unb ? "UNB" : "UNH"
                    )
                )
            }
            if self.pendingServiceString == nil {
                let separator = buffer[position + 3]
                if separator == UInt8(ascii: "+") {
                    self.levelB = false
                    var delimiters = Delimiters.edifactLevelA
                    if tag == Tag.unb {
                        switch Self.linesEndSegments(buffer, unbAt: position, isFinal: isFinal) {
                        case nil: return false
                        case true?: delimiters.segmentTerminator = [ASCII.lf]
                        case false?: break
                        }
                    }
                    self.use(SegmentContext(standard: .edifact, delimiters: delimiters, characterSet: .unknownEDIFACT))
                } else if separator == 0x1D {
                    self.levelB = true
                    self.use(
                        SegmentContext(standard: .edifact, delimiters: .edifactLevelB, characterSet: .unknownEDIFACT)
                    )
                } else {
                    throw .unexpectedByte(
                        separator,
                        expected: "element separator '+' or 0x1D",
                        at: Location(
                            byteOffset: baseOffset + position + 3,
                            segmentNumber: 1,
                            segmentTag: tag == Tag.unb ? "UNB" : "UNH"
                        )
                    )
                }
            }
            if tag == Tag.unh { self.pendingServiceString = nil }
            self.segmentNumber = 0
            self.sawInterchange = true
            self.expectingHeader = false
            self.startSegment(at: position)
            return true
        default:
            let end = min(count, position + 3)
            throw .noInterchange(found: buffer[position..<end], at: Location(byteOffset: baseOffset + position))
        }
    }

    /// Whether an EDIFACT interchange without UNA ends its segments with line breaks instead of `'`, as some
    /// partners' systems write them: the UNB's line ends before any `'`, and the next line begins with `UNG+` or
    /// `UNH+`. A hard-wrapped file still has its `'` later in the UNB, so it does not qualify. `nil` when the
    /// bytes so far cannot tell; the answer never depends on where chunks end.
    static func linesEndSegments(_ buffer: UnsafeRawBufferPointer, unbAt start: Int, isFinal: Bool) -> Bool? {
        let limit = min(buffer.count, start + 1024)
        var index = start + 4
        while index < limit {
            let byte = buffer[index]
            if byte == UInt8(ascii: "'") { return false }
            if byte == UInt8(ascii: "?") {
                index += 2
                continue
            }
            if ASCII.isLineBreak(byte) {
                var next = index
                while next < buffer.count && ASCII.isLineBreak(buffer[next]) { next += 1 }
                guard next + 4 <= buffer.count else { return isFinal ? false : nil }
                let tag = Tag.pack(buffer[next], buffer[next + 1], buffer[next + 2], length: 3)
                return (tag == Tag.unh || tag == Tag.ung) && buffer[next + 3] == UInt8(ascii: "+")
            }
            index += 1
        }
        return limit == buffer.count && !isFinal && limit < start + 1024 ? nil : false
    }

    /// Reads the fixed-width ISA: the element separator at byte 3, sixteen elements, ISA16 the component
    /// separator, then the segment terminator (one byte, or a UTF-8 character).
    private mutating func readISA(
        _ buffer: UnsafeRawBufferPointer,
        at position: inout Int,
        baseOffset: Int,
        isFinal: Bool
    ) throws(EDISyntaxError) -> Bool {
        let count = buffer.count
        let start = position
        let separator = buffer[start + 3]
        let maximumLength = 200
        var separators: [Int] = []
        separators.reserveCapacity(16)
        var index = start + 3
        while index < count && separators.count < 16 && index - start < maximumLength {
            if buffer[index] == separator { separators.append(index) }
            index += 1
        }
        func here(_ offset: Int, element: Int?) -> Location {
            Location(byteOffset: baseOffset + offset, segmentNumber: 1, segmentTag: "ISA", elementPosition: element)
        }
        if ASCII.isAlphanumeric(separator) || ASCII.isPadding(separator) {
            throw .unexpectedByte(separator, expected: "element separator after ISA", at: here(start + 3, element: 1))
        }
        if separators.count < 16 {
            if index - start >= maximumLength {
                throw .unexpectedByte(
                    buffer[index - 1],
                    expected: "16 element separators \(Quote.byte(separator)) within \(maximumLength) bytes of ISA",
                    at: here(index - 1, element: separators.count)
                )
            }
            if isFinal {
                throw .truncatedInput(
                    expected: "ISA\(separators.count < 9 ? "0" : "")\(separators.count + 1)",
                    at: here(count, element: separators.count)
                )
            }
            return false
        }
        let componentAt = separators[15] + 1
        let terminatorAt = componentAt + 1
        guard terminatorAt < count else {
            if isFinal {
                throw .truncatedInput(expected: "segment terminator", at: here(count, element: 16))
            }
            return false
        }
        let lead = buffer[terminatorAt]
        var terminatorLength = 1
        switch lead {
        case 0xC2...0xDF: terminatorLength = 2
        case 0xE0...0xEF: terminatorLength = 3
        case 0xF0...0xF4: terminatorLength = 4
        default: break
        }
        guard terminatorAt + terminatorLength <= count else {
            if isFinal {
                throw .truncatedInput(expected: "segment terminator", at: here(count, element: 16))
            }
            return false
        }
        if ASCII.isAlphanumeric(lead) || lead == ASCII.space || lead == separator {
            throw .unexpectedByte(lead, expected: "segment terminator", at: here(terminatorAt, element: 16))
        }
        let terminator = Array(
            UnsafeRawBufferPointer(rebasing: buffer[terminatorAt..<(terminatorAt + terminatorLength)])
        )
        let component = buffer[componentAt]
        // ISA11 is the repetition separator from version 00402 on; 'U' or a letter or digit there means none.
        var repetition: UInt8? = nil
        let versionStart = separators[11] + 1
        if separators[12] - versionStart == 5 {
            var version = 0
            for offset in 0..<5 { version = version * 10 + Int(buffer[versionStart + offset] &- 0x30) }
            let isa11 = buffer[separators[10] + 1]
            if version >= 402 && separators[11] - separators[10] == 2 && !ASCII.isAlphanumeric(isa11)
                && isa11 != ASCII.space
            {
                repetition = isa11
            }
        }
        let delimiters = Delimiters(
            element: separator,
            component: component,
            repetition: repetition,
            segmentTerminator: terminator
        )
        guard delimiters.isUsable else {
            throw .invalidDelimiters(delimiters, at: here(componentAt, element: 16))
        }
        self.use(SegmentContext(standard: .x12, delimiters: delimiters, characterSet: .x12))
        self.firstElement = self.elements.count
        self.elements.append(ByteRange(start: start, end: start + 3))
        for element in 0..<15 {
            self.elements.append(ByteRange(start: separators[element] + 1, end: separators[element + 1]))
        }
        self.elements.append(ByteRange(start: componentAt, end: terminatorAt))
        var flags = SegmentFlags.raw
        if terminatorAt - start != 105 { flags |= SegmentFlags.notFixedWidth }
        self.segmentNumber = 1
        self.segments.append(
            SegmentRecord(
                start: UInt32(start),
                end: UInt32(terminatorAt),
                firstElement: UInt32(self.firstElement),
                rangeCount: 17,
                flags: flags,
                number: 1,
                tag: Tag.isa
            )
        )
        self.sawInterchange = true
        self.expectingHeader = false
        self.pendingServiceString = nil
        position = terminatorAt + terminatorLength
        self.startSegment(at: position)
        return true
    }

    // MARK: Locations

    /// A location at buffer position `position`, in the segment in progress.
    func location(
        at position: Int,
        baseOffset: Int,
        tagged: Bool = false,
        buffer: UnsafeRawBufferPointer? = nil
    ) -> Location {
        var location = Location(byteOffset: baseOffset + position, segmentNumber: Int(self.segmentNumber) + 1)
        if tagged, let buffer { location.segmentTag = self.tagText(buffer, end: nil) }
        return location
    }

    /// The tag of the segment in progress as text, if it is a plausible tag.
    private func tagText(_ buffer: UnsafeRawBufferPointer, end: Int?) -> String? {
        let start = self.segmentStart
        let tagEnd: Int
        if let end {
            var index = start
            while index < min(end, buffer.count) && ASCII.isAlphanumeric(buffer[index]) && index - start < 3 {
                index += 1
            }
            tagEnd = index
        } else if self.firstElement < self.elements.count {
            tagEnd = self.elements[self.firstElement].upper
        } else {
            return nil
        }
        guard tagEnd > start, tagEnd - start <= 3 else { return nil }
        var text = ""
        for index in start..<tagEnd {
            let byte = buffer[index]
            guard ASCII.isAlphanumeric(byte) else { return nil }
            text.unicodeScalars.append(UnicodeScalar(byte))
        }
        return text
    }
}

extension Delimiters {
    /// Whether adding `byte` as a separator keeps the set usable.
    func isUsableAdding(_ byte: UInt8) -> Bool {
        !self.separators.contains(byte) && !ASCII.isAlphanumeric(byte)
    }
}

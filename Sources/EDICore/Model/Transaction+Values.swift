extension Transaction {
    /// Reads every segment of the transaction in order, for validation: `segment` is called with each segment's
    /// position (ST or UNH = 1) and packed tag and answers whether to read its values; `value` is then called for
    /// each component of each repetition of each element (empty ones included, so the last call names the last
    /// element), with the value's bytes (release characters and stray line breaks removed).
    ///
    /// The delimiters are looked up once for the whole transaction and no view is made per segment, so this costs
    /// a few nanoseconds per value; nothing is allocated unless a segment holds release characters or line breaks.
    public func readValues(
        segment: (_ position: Int, _ tag: SegmentTag) -> Bool,
        value: (ValueCoordinates, UnsafeRawBufferPointer) -> Void
    ) {
        let storage = self.storage
        guard self.segmentCount > 0 else { return }
        let delimiters = storage.context(ofSegment: self.first).delimiters
        let component = delimiters.component
        // Without a repetition separator or release character, the component separator stands in (it is matched
        // first); `hasRelease` guards the release test.
        let repetition = delimiters.repetition ?? component
        let release = delimiters.release ?? component
        let hasRelease = delimiters.release != nil
        let base = storage.baseOffset
        let segments = storage.segments
        let elements = storage.elements
        var scratch: [UInt8] = []
        storage.bytes.withUnsafeBytes { buffer in
            for index in self.first..<(self.first + self.segmentCount) {
                let record = segments[index]
                guard segment(index - self.first + 1, SegmentTag(rawValue: record.tag)) else { continue }
                let count = Int(record.rangeCount) - 1
                guard count > 0 else { continue }
                let flags = record.flags
                let raw = flags & SegmentFlags.raw != 0
                let binary = flags & SegmentFlags.binary != 0
                let needsCleaning = flags & (SegmentFlags.release | SegmentFlags.lineBreaks) != 0
                let first = Int(record.firstElement) + 1
                for position in 1...count {
                    let range = elements[first + position - 1]
                    var coordinates = ValueCoordinates(
                        element: position,
                        repetition: 1,
                        component: 1,
                        byteOffset: base + range.lower
                    )
                    var start = range.lower
                    if !(raw || (binary && position == count)) {
                        var cursor = range.lower
                        while cursor < range.upper {
                            let byte = buffer[cursor]
                            if byte == component || byte == repetition {
                                if hasRelease && byte == release {
                                    cursor += 2
                                    continue
                                }
                                Self.emit(
                                    buffer,
                                    start,
                                    cursor,
                                    coordinates,
                                    needsCleaning,
                                    delimiters.release,
                                    &scratch,
                                    value
                                )
                                if byte == component {
                                    coordinates.component += 1
                                } else {
                                    coordinates.repetition += 1
                                    coordinates.component = 1
                                }
                                start = cursor + 1
                                coordinates.byteOffset = base + start
                            } else if hasRelease && byte == release {
                                cursor += 2
                                continue
                            }
                            cursor += 1
                        }
                    }
                    Self.emit(
                        buffer,
                        start,
                        range.upper,
                        coordinates,
                        needsCleaning,
                        delimiters.release,
                        &scratch,
                        value
                    )
                }
            }
        }
    }

    @inline(__always)
    private static func emit(
        _ buffer: UnsafeRawBufferPointer,
        _ lower: Int,
        _ upper: Int,
        _ coordinates: ValueCoordinates,
        _ needsCleaning: Bool,
        _ release: UInt8?,
        _ scratch: inout [UInt8],
        _ value: (ValueCoordinates, UnsafeRawBufferPointer) -> Void
    ) {
        let slice = UnsafeRawBufferPointer(rebasing: buffer[lower..<max(lower, upper)])
        guard needsCleaning else { return value(coordinates, slice) }
        scratch.removeAll(keepingCapacity: true)
        var index = lower
        while index < upper {
            let byte = buffer[index]
            if byte == release && index + 1 < upper {
                scratch.append(buffer[index + 1])
                index += 2
                continue
            }
            if !ASCII.isLineBreak(byte) { scratch.append(byte) }
            index += 1
        }
        scratch.withUnsafeBytes { value(coordinates, $0) }
    }
}

/// Where one value of a segment is: element, repetition and component positions (1-based) and its byte offset.
public struct ValueCoordinates: Sendable, Hashable {
    /// The element's position in the segment (`BEG03` → 3).
    public var element: Int
    /// The repetition's 1-based index within the element (1 when the element does not repeat).
    public var repetition: Int
    /// The component's position within the repetition (1 for a simple element).
    public var component: Int
    /// The 0-based offset of the value's first byte in the input.
    public var byteOffset: Int

    /// Creates coordinates.
    public init(element: Int, repetition: Int = 1, component: Int = 1, byteOffset: Int) {
        self.element = element
        self.repetition = repetition
        self.component = component
        self.byteOffset = byteOffset
    }
}

/// A segment tag packed into 32 bits (up to three bytes and the length), for comparing tags without decoding.
///
/// Equal tags of two or three characters always pack equally, and different ones differently.
public struct SegmentTag: Sendable, Hashable, CustomStringConvertible {
    /// The packed tag.
    public let rawValue: UInt32

    /// Packs `tag`.
    public init(_ tag: String) {
        var bytes: (UInt8, UInt8, UInt8) = (0, 0, 0)
        var count = 0
        for byte in tag.utf8 {
            switch count {
            case 0: bytes.0 = byte
            case 1: bytes.1 = byte
            case 2: bytes.2 = byte
            default: break
            }
            count += 1
        }
        self.rawValue = Tag.pack(bytes.0, bytes.1, bytes.2, length: count)
    }

    @usableFromInline
    init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The tag as text (its first three characters).
    public var description: String {
        let length = Int(self.rawValue >> 24)
        let bytes = (0..<min(length, 3)).map { UInt8(truncatingIfNeeded: self.rawValue >> (8 * UInt32($0))) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Segment {
    /// The tag, packed for comparison without decoding.
    public var packedTag: SegmentTag { SegmentTag(rawValue: self.record.tag) }

    /// Calls `body` for every value of the segment in order: each component of each repetition of each element,
    /// empty ones included, with the value's bytes (release characters and stray line breaks removed).
    ///
    /// This is how validation reads a segment: nothing is allocated unless the segment holds release characters
    /// or line breaks. The ISA and UNA give one value per element; a binary element (BIN, BDS) is one value.
    public func forEachValue(_ body: (ValueCoordinates, UnsafeRawBufferPointer) -> Void) {
        let record = self.record
        let count = Int(record.rangeCount) - 1
        guard count > 0 else { return }
        let storage = self.storage
        let first = Int(record.firstElement) + 1
        let delimiters = self.delimiters
        let component = delimiters.component
        // Without a repetition separator, the component separator stands in (it is matched first).
        let repetition = delimiters.repetition ?? component
        let hasRelease = delimiters.release != nil
        let release = delimiters.release ?? 0
        let raw = record.flags & SegmentFlags.raw != 0
        let binary = record.flags & SegmentFlags.binary != 0
        let needsCleaning = record.flags & (SegmentFlags.release | SegmentFlags.lineBreaks) != 0
        let base = storage.baseOffset
        var scratch: [UInt8] = []
        storage.bytes.withUnsafeBytes { buffer in
            func emit(_ coordinates: ValueCoordinates, _ lower: Int, _ upper: Int) {
                let slice = UnsafeRawBufferPointer(rebasing: buffer[lower..<upper])
                guard needsCleaning else { return body(coordinates, slice) }
                scratch.removeAll(keepingCapacity: true)
                var index = lower
                while index < upper {
                    let byte = buffer[index]
                    if byte == delimiters.release && index + 1 < upper {
                        scratch.append(buffer[index + 1])
                        index += 2
                        continue
                    }
                    if !ASCII.isLineBreak(byte) { scratch.append(byte) }
                    index += 1
                }
                scratch.withUnsafeBytes { body(coordinates, $0) }
            }
            for position in 1...count {
                let range = storage.elements[first + position - 1]
                var coordinates = ValueCoordinates(
                    element: position,
                    repetition: 1,
                    component: 1,
                    byteOffset: base + range.lower
                )
                if binary && position == count {
                    // Binary data is every byte as sent, line breaks included.
                    body(coordinates, UnsafeRawBufferPointer(rebasing: buffer[range.lower..<range.upper]))
                    continue
                }
                if raw {
                    emit(coordinates, range.lower, range.upper)
                    continue
                }
                var start = range.lower
                var index = range.lower
                while index < range.upper {
                    let byte = buffer[index]
                    if hasRelease && byte == release {
                        index += 2
                        continue
                    }
                    if byte == component || byte == repetition {
                        emit(coordinates, start, index)
                        if byte == component {
                            coordinates.component += 1
                        } else {
                            coordinates.repetition += 1
                            coordinates.component = 1
                        }
                        start = index + 1
                        coordinates.byteOffset = base + start
                    }
                    index += 1
                }
                emit(coordinates, start, min(index, range.upper))
            }
        }
    }
}

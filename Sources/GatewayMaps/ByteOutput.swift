import GatewayEvents

/// The bytes of one event's JSON as they are written: a buffer of its own, grown by doubling, that takes a byte, a
/// run of bytes, a number or an escaped string without the per-call checks of appending to an array (uniqueness,
/// capacity, a generic copy), which cost as much as the copying when the pieces are a few bytes long.
///
/// ```swift
/// var output = ByteOutput()
/// output.append("{\"count\":")
/// output.appendInteger(12)
/// output.append(UInt8(ascii: "}"))
/// bytes += output.bytes   // {"count":12}
/// ```
struct ByteOutput: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    /// The bytes the buffer holds room for.
    private(set) var capacity: Int
    /// The number of bytes written.
    private(set) var count = 0

    init(capacity: Int = 16_384) {
        self.capacity = max(capacity, 64)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit { self.base.deallocate() }

    /// The bytes written, in place: valid until the next write.
    var contents: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: self.base, count: self.count) }

    /// The bytes written, copied out.
    var bytes: [UInt8] { Array(self.contents) }

    /// Appends what was written to `array`.
    func copy(into array: inout [UInt8]) { array.append(contentsOf: self.contents) }

    /// Forgets what was written, keeping the storage.
    mutating func removeAll() { self.count = 0 }

    /// Room for `capacity` bytes in all.
    mutating func reserveCapacity(_ capacity: Int) {
        if capacity > self.capacity { self.grow(to: capacity) }
    }

    /// Room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if self.count + extra > self.capacity { self.grow(to: self.count + extra) }
    }

    private mutating func grow(to needed: Int) {
        (self.base, self.capacity) = grownByDoubling(self.base, count: self.count, capacity: self.capacity, to: needed)
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        self.reserve(1)
        self.base[self.count] = byte
        self.count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress else { return }
        self.reserve(bytes.count)
        Self.copy(start, to: self.base + self.count, count: bytes.count)
        self.count += bytes.count
    }

    /// Copies `count` bytes that do not overlap. Values and segments are mostly shorter than 32 bytes, where a call to
    /// `memmove` costs more than the copy: those are copied as two loads and two stores that overlap in the middle
    /// (16, 8 or 4 bytes each), never touching a byte outside either range.
    @inline(__always)
    static func copy(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, count: Int) {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(target)
        switch count {
        case 16...32:
            let head = from.loadUnaligned(as: SIMD16<UInt8>.self)
            let tail = from.loadUnaligned(fromByteOffset: count &- 16, as: SIMD16<UInt8>.self)
            to.storeBytes(of: head, as: SIMD16<UInt8>.self)
            to.storeBytes(of: tail, toByteOffset: count &- 16, as: SIMD16<UInt8>.self)
        case 8..<16:
            let head = from.loadUnaligned(as: UInt64.self)
            let tail = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            to.storeBytes(of: head, as: UInt64.self)
            to.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
        case 4..<8:
            let head = from.loadUnaligned(as: UInt32.self)
            let tail = from.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
        case 1..<4:
            // One, two or three bytes: the first, the middle and the last (some of them the same byte).
            target[0] = source[0]
            target[count >> 1] = source[count >> 1]
            target[count &- 1] = source[count &- 1]
        case 0: break
        default:
            target.update(from: source, count: count)
        }
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        self.append(bytes.assumingMemoryBound(to: UInt8.self))
    }

    /// Appends `text`'s UTF-8 as it is (no quotes, no escapes).
    mutating func appendUTF8(of text: String) {
        var text = text
        text.withUTF8 { self.append($0) }
    }

    /// Appends a copy of the bytes written at `range` (a field path written before, whose fields share it).
    mutating func appendWritten(_ range: Range<Int>) {
        self.reserve(range.count)
        // The range lies before `count`, so source and target do not overlap.
        Self.copy(self.base + range.lowerBound, to: self.base + self.count, count: range.count)
        self.count += range.count
    }

    /// Inlined, so a literal's length is known where it is written and its copy needs no call.
    @inline(__always)
    mutating func append(_ text: StaticString) {
        self.append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `value` in decimal digits.
    mutating func appendInteger(_ value: Int) {
        self.reserve(20)
        var magnitude = value.magnitude
        if value < 0 {
            self.base[self.count] = UInt8(ascii: "-")
            self.count += 1
        }
        // The digits counted four at a time, then written two at a time from the last back, in place: half the
        // divisions one after another that a digit at a time takes (byte offsets have up to nine digits).
        var length = 1
        var rest = magnitude
        while rest >= 10_000 {
            rest /= 10_000
            length += 4
        }
        if rest >= 100 {
            length += rest >= 1_000 ? 3 : 2
        } else if rest >= 10 {
            length += 1
        }
        var index = self.count + length
        while magnitude >= 100 {
            let pair = magnitude % 100
            magnitude /= 100
            let tens = pair / 10
            index -= 2
            self.base[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: tens)
            self.base[index + 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: pair &- tens &* 10)
        }
        if magnitude >= 10 {
            let tens = magnitude / 10
            self.base[index - 2] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: tens)
            self.base[index - 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude &- tens &* 10)
        } else {
            self.base[index - 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude)
        }
        self.count += length
    }

    /// `text` as a JSON string: quoted, with `"`, `\` and control characters escaped as `JSONValue` writes them
    /// (``JSONValue/escape(_:_:)``).
    mutating func appendString(_ text: String) {
        var text = text
        text.withUTF8 { self.appendString(utf8: $0) }
    }

    /// The UTF-8 `utf8` as a JSON string, as ``appendString(_:)`` writes it.
    mutating func appendString(utf8: UnsafeBufferPointer<UInt8>) {
        self.reserve(utf8.count + 2)
        self.base[self.count] = UInt8(ascii: "\"")
        self.count += 1
        var clean = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard JSONValue.needsEscape(byte) else { continue }
            self.append(UnsafeBufferPointer(rebasing: utf8[clean..<index]))
            clean = index + 1
            JSONValue.escape(byte) { self.append($0) }
        }
        self.append(UnsafeBufferPointer(rebasing: utf8[clean...]))
        self.append(UInt8(ascii: "\""))
    }
}

/// A half-open range of byte positions in one buffer, stored in 8 bytes.
///
/// The reader keeps one flat array of these per buffer instead of a `String` or `ArraySlice` per element, so a
/// segment costs a few integers, not an allocation (STYLE.md §6.3).
@usableFromInline
struct ByteRange: Sendable, Hashable, BitwiseCopyable {
    /// The position of the first byte.
    @usableFromInline var start: UInt32
    /// The position just past the last byte.
    @usableFromInline var end: UInt32

    @inlinable
    init(start: Int, end: Int) {
        self.start = UInt32(truncatingIfNeeded: start)
        self.end = UInt32(truncatingIfNeeded: end)
    }

    @inlinable var count: Int { Int(self.end &- self.start) }
    @inlinable var isEmpty: Bool { self.start == self.end }
    @inlinable var lower: Int { Int(self.start) }
    @inlinable var upper: Int { Int(self.end) }
}

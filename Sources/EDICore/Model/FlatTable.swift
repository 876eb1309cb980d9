/// A growable, append-only run of plain values that the tokenizer writes and the storages it hands out read.
///
/// The tokenizer appends element ranges and segment records through a raw pointer held in locals, so its inner
/// loop does no uniqueness or capacity check per value (a Swift `Array` append does both). A storage takes a
/// ``FlatTableSnapshot``: the table and the count at that moment.
///
/// Invariant that makes sharing safe: once a snapshot of the first `n` values exists, those `n` values are never
/// written again. The tokenizer only writes past every snapshot's count; anything else (growing, dropping the
/// front, shifting positions) builds a new table, and the old one lives on as long as a snapshot holds it.
@usableFromInline
final class FlatTable<Value: BitwiseCopyable>: @unchecked Sendable {
    /// The first value.
    @usableFromInline let base: UnsafeMutablePointer<Value>
    /// The number of values the table can hold.
    let capacity: Int
    /// The number of values written; read and written only by the owning tokenizer.
    var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        self.base = .allocate(capacity: self.capacity)
    }

    deinit {
        self.base.deallocate()
    }

    /// Appends `value`; the caller ensured there is room.
    @inline(__always)
    func appendUnchecked(_ value: Value) {
        self.base[self.count] = value
        self.count &+= 1
    }

    /// Drops the first `start` values and passes the rest through `transform`, in place.
    func shiftDown(from start: Int, transform: (Value) -> Value) {
        let kept = self.count - start
        for index in 0..<kept { self.base[index] = transform(self.base[start + index]) }
        self.count = kept
    }

    /// A new table holding values `from..<count` of this one, each passed through `transform` (without one, in
    /// one block copy: the values are bitwise copyable), with room for at least `minimumCapacity` values.
    func copy(from start: Int = 0, minimumCapacity: Int, transform: ((Value) -> Value)? = nil) -> FlatTable {
        let kept = self.count - start
        let table = FlatTable(capacity: Swift.max(minimumCapacity, kept))
        if let transform {
            for index in 0..<kept { table.base[index] = transform(self.base[start + index]) }
        } else {
            table.base.update(from: self.base + start, count: kept)
        }
        table.count = kept
        return table
    }
}

/// The first `count` values of a ``FlatTable``, which never change.
@usableFromInline
struct FlatTableSnapshot<Value: BitwiseCopyable>: Sendable {
    @usableFromInline let table: FlatTable<Value>
    /// The number of values.
    @usableFromInline let count: Int

    init(_ table: FlatTable<Value>, count: Int) {
        precondition(count <= table.count, "snapshot past the written values")
        self.table = table
        self.count = count
    }

    /// The value at `index`.
    @inlinable
    subscript(index: Int) -> Value {
        precondition(index >= 0 && index < self.count, "table index out of range")
        return self.table.base[index]
    }
}

/// A ``FlatTable`` owned by one tokenizer: appends, growth and rebuilding.
struct FlatTableWriter<Value: BitwiseCopyable> {
    private(set) var table: FlatTable<Value>

    init(capacity: Int = 1024) {
        self.table = FlatTable(capacity: capacity)
    }

    var count: Int { self.table.count }

    subscript(index: Int) -> Value {
        get {
            precondition(index >= 0 && index < self.table.count, "table index out of range")
            return self.table.base[index]
        }
    }

    /// Makes room for `extra` more values, moving to a larger table when needed.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if self.table.count &+ extra > self.table.capacity { self.grow(extra) }
    }

    private mutating func grow(_ extra: Int) {
        let needed = self.table.count + extra
        self.table = self.table.copy(minimumCapacity: Swift.max(needed, self.table.capacity * 2))
    }

    /// For a caller that wrote values through the table's pointer: records that `count` values are written, makes
    /// room for `extra` more, and returns the table to go on writing into (a new one when it had to grow).
    mutating func commit(_ count: Int, reserving extra: Int) -> FlatTable<Value> {
        self.table.count = count
        self.reserve(extra)
        return self.table
    }

    /// Appends `value`.
    @inline(__always)
    mutating func append(_ value: Value) {
        self.reserve(1)
        self.table.appendUnchecked(value)
    }

    /// Drops the values from `count` on; only values no snapshot covers may be dropped.
    mutating func truncate(to count: Int) {
        precondition(count <= self.table.count)
        self.table.count = count
    }

    /// Replaces the value at `index`; only values no snapshot covers may be replaced.
    mutating func set(_ index: Int, _ value: Value) {
        precondition(index >= 0 && index < self.table.count)
        self.table.base[index] = value
    }

    /// Drops the first `count` values and passes the rest through `transform`: in place when no snapshot holds
    /// the table any more (the steady state of streaming, so it allocates nothing), else in a new table.
    mutating func rebuild(droppingFirst count: Int, transform: (Value) -> Value) {
        if isKnownUniquelyReferenced(&self.table) {
            self.table.shiftDown(from: count, transform: transform)
        } else {
            let capacity = self.table.capacity
            self.table = withoutActuallyEscaping(transform) { transform in
                self.table.copy(from: count, minimumCapacity: capacity, transform: transform)
            }
        }
    }

    /// The values written so far, as a snapshot of the first `count`.
    func snapshot(count: Int) -> FlatTableSnapshot<Value> {
        FlatTableSnapshot(self.table, count: count)
    }
}

/// A table of plain values grown by doubling, owned by the one structure that holds it (``EventRecord``,
/// ``TransactionTree``): appending and updating in place check no uniqueness, as an array held in a mutable
/// structure does on every write (a call each, which made filling an event record a twentieth slower).
struct RecordTable<Element: BitwiseCopyable>: ~Copyable {
    private var base = UnsafeMutablePointer<Element>.allocate(capacity: 16)
    private(set) var capacity = 16
    private(set) var count = 0

    deinit { self.base.deallocate() }

    var contents: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: self.base, count: self.count) }

    subscript(index: Int) -> Element {
        get {
            precondition(index >= 0 && index < self.count, "record table index out of range")
            return self.base[index]
        }
        set {
            precondition(index >= 0 && index < self.count, "record table index out of range")
            self.base[index] = newValue
        }
    }

    mutating func removeAll() { self.count = 0 }

    /// The last value, or `nil` when the table is empty.
    var last: Element? { self.count > 0 ? self.base[self.count - 1] : nil }

    /// Drops the last `count` values.
    mutating func removeLast(_ count: Int) {
        precondition(count >= 0 && count <= self.count, "record table index out of range")
        self.count -= count
    }

    /// Room for `capacity` values in all.
    mutating func reserve(_ capacity: Int) {
        if capacity > self.capacity { self.grow(to: capacity) }
    }

    @inline(__always)
    mutating func append(_ value: Element) {
        if self.count == self.capacity { self.grow(to: self.count + 1) }
        self.base[self.count] = value
        self.count += 1
    }

    mutating func append(repeating value: Element, count: Int) {
        self.reserve(self.count + count)
        (self.base + self.count).initialize(repeating: value, count: count)
        self.count += count
    }

    mutating func append(contentsOf values: UnsafeBufferPointer<Element>) {
        self.reserve(self.count + values.count)
        for value in values {
            self.base[self.count] = value
            self.count += 1
        }
    }

    private mutating func grow(to needed: Int) {
        var capacity = self.capacity * 2
        while capacity < needed { capacity *= 2 }
        let base = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        base.initialize(from: self.base, count: self.count)
        self.base.deallocate()
        self.base = base
        self.capacity = capacity
    }
}

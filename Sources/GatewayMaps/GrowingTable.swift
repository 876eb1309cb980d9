/// A table of plain values grown by doubling, owned by the one value that holds it (``EventRecord``,
/// ``TransactionTree``, ``Reading/State``): appending and updating in place check no uniqueness, as an array held in
/// a structure mutated in place does on every element written (a call each, which made filling an event record a
/// twentieth slower). Every index is checked, as an array's is.
struct GrowingTable<Element: BitwiseCopyable>: ~Copyable {
    private var base = UnsafeMutablePointer<Element>.allocate(capacity: 16)
    private(set) var capacity = 16
    private(set) var count = 0

    deinit { self.base.deallocate() }

    /// The values, for reading: valid until the table next grows (an append may move them).
    var view: TableView<Element> { TableView(base: self.base, count: self.count) }

    /// The values as a buffer, unchecked, for copying them in one run: valid until the table next grows.
    var contents: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: self.base, count: self.count) }

    subscript(index: Int) -> Element {
        @inline(__always) get {
            precondition(UInt(bitPattern: index) < UInt(bitPattern: self.count), "table index out of range")
            return self.base[index]
        }
        @inline(__always) set {
            precondition(UInt(bitPattern: index) < UInt(bitPattern: self.count), "table index out of range")
            self.base[index] = newValue
        }
    }

    mutating func removeAll() { self.count = 0 }

    /// Makes the table `count` copies of `value`, in the storage it has.
    mutating func reset(to value: Element, count: Int) {
        self.count = 0
        self.append(repeating: value, count: count)
    }

    /// The last value, or `nil` when the table is empty.
    var last: Element? { self.count > 0 ? self.base[self.count - 1] : nil }

    /// Drops the last `count` values.
    mutating func removeLast(_ count: Int) {
        precondition(count >= 0 && count <= self.count, "table index out of range")
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
        precondition(count >= 0, "a negative count of values")
        self.reserve(self.count + count)
        (self.base + self.count).initialize(repeating: value, count: count)
        self.count += count
    }

    /// Appends `values`, which must not be this table's own (growing would free them before they are copied).
    mutating func append(contentsOf values: UnsafeBufferPointer<Element>) {
        self.reserve(self.count + values.count)
        for value in values {
            self.base[self.count] = value
            self.count += 1
        }
    }

    private mutating func grow(to needed: Int) {
        (self.base, self.capacity) = grownByDoubling(self.base, count: self.count, capacity: self.capacity, to: needed)
    }
}

/// New storage for `needed` values or more, `capacity` doubled until it is enough, holding the first `count` values
/// of `base`, which is freed: how ``GrowingTable`` and ``ByteOutput`` grow.
func grownByDoubling<Element: BitwiseCopyable>(
    _ base: UnsafeMutablePointer<Element>,
    count: Int,
    capacity: Int,
    to needed: Int
) -> (base: UnsafeMutablePointer<Element>, capacity: Int) {
    var capacity = capacity * 2
    while capacity < needed { capacity *= 2 }
    let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
    grown.initialize(from: base, count: count)
    base.deallocate()
    return (grown, capacity)
}

/// A ``GrowingTable``'s values for reading, each index checked: valid until the table next grows.
struct TableView<Element>: RandomAccessCollection {
    private let base: UnsafePointer<Element>
    let count: Int

    init(base: UnsafeMutablePointer<Element>, count: Int) {
        self.base = UnsafePointer(base)
        self.count = count
    }

    var startIndex: Int { 0 }
    var endIndex: Int { self.count }

    @inline(__always)
    subscript(index: Int) -> Element {
        // One unsigned comparison covers both bounds.
        precondition(UInt(bitPattern: index) < UInt(bitPattern: self.count), "table index out of range")
        return self.base[index]
    }
}

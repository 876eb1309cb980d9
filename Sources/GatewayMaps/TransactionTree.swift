import EDICore
import EDISchema

/// A transaction's segments placed into the occurrences of its grammar's loops, as X12 and EDIFACT place them:
/// forward in the current loop, then in each enclosing loop; a loop's trigger segment starts an occurrence.
/// Built once per transaction for mapping; segments the grammar cannot place stay in the innermost occurrence.
///
/// Flat, so reading it counts no references and building it allocates nothing once its tables have grown: each
/// occurrence's segments and nested occurrences are ranges of ``segments`` and ``children``, and every segment's
/// packed tag is kept for matching rules without making the segment. A translation workspace's tree is refilled
/// per transaction: a class because it has its workspace's identity, whose tables sit behind a pointer it owns, as
/// ``EventRecord``'s do, so filling them checks no uniqueness and a reading holds the tree by reference. The views
/// below are valid until the tree is placed again.
final class TransactionTree {
    /// One occurrence of a loop (node 0 is the whole transaction).
    struct Node: Sendable {
        /// The loop's index in the ``Layout`` (0 for the transaction).
        let loop: Int32
        /// The enclosing occurrence; -1 for the transaction.
        let parent: Int32
        /// The occurrence's segments, `segments[segmentStart..<segmentEnd]`, and nested occurrences.
        var segmentStart: Int32 = 0
        var segmentEnd: Int32 = 0
        var childStart: Int32 = 0
        var childEnd: Int32 = 0
    }

    /// The occurrences, in document order of their triggers.
    var nodes: TableView<Node> { self.storage.pointee.nodes.view }
    /// Segment positions (ST or UNH = 1) grouped by occurrence, each group in document order.
    var segments: TableView<Int32> { self.storage.pointee.segments.view }
    /// Occurrences grouped by their enclosing occurrence, each group in document order.
    var children: TableView<Int32> { self.storage.pointee.children.view }
    /// Per segment position - 1: its packed tag (``SegmentTag``), and whether it must be compared through its
    /// views (a tag with a line break in it).
    var tags: TableView<UInt32> { self.storage.pointee.tags.view }
    var needsViews: TableView<Bool> { self.storage.pointee.needsViews.view }

    /// How many occurrences the tree has room for, for a workspace deciding whether it grew too large to keep.
    var nodeCapacity: Int { self.storage.pointee.nodes.capacity }

    private let storage: UnsafeMutablePointer<Storage>

    private struct Storage: ~Copyable {
        var nodes = GrowingTable<Node>()
        var segments = GrowingTable<Int32>()
        var children = GrowingTable<Int32>()
        var tags = GrowingTable<UInt32>()
        var needsViews = GrowingTable<Bool>()
        /// Working storage of ``place(_:layout:)``: the occurrence each position is placed in, and counts per
        /// occurrence.
        var owner = GrowingTable<Int32>()
        var counts = GrowingTable<Int32>()
        /// The loops open while placing: the loop's index in the layout, its current child index, and the
        /// occurrence.
        var stack = GrowingTable<Frame>()

        /// ``TransactionTree/place(_:layout:)``.
        mutating func place(_ transaction: Transaction, layout: Layout) {
            let count = transaction.segmentCount
            self.nodes.removeAll()
            self.nodes.append(Node(loop: 0, parent: -1))
            self.owner.reset(to: 0, count: count)
            self.tags.reset(to: 0, count: count)
            self.needsViews.reset(to: false, count: count)
            if count > 0 {
                transaction.withTables { tables in
                    for position in 1...min(count, tables.segmentCount) {
                        let segment = tables.segment(position)
                        self.tags[position - 1] = segment.tag.rawValue
                        self.needsViews[position - 1] = segment.needsViews
                    }
                }
            }
            // Open loops: the loop's index in the layout, its current child index, and the occurrence node.
            self.stack.removeAll()
            self.stack.append(Frame(loop: 0, index: 0, node: 0))
            for position in stride(from: 1, through: count, by: 1) {
                let tag = self.tags[position - 1]
                var placed = false
                var depth = self.stack.count - 1
                search: while depth >= 0 {
                    let frame = self.stack[depth]
                    // The loop's first child with this tag at or after the current one (after the trigger, inside a
                    // nested loop).
                    if let offset = layout.child(
                        of: frame.loop,
                        tag: tag,
                        from: depth > 0 ? max(frame.index, 1) : frame.index
                    ) {
                        let child = layout.children[layout.loops[frame.loop].lowerBound + offset]
                        self.stack.removeLast(self.stack.count - 1 - depth)
                        self.stack[depth].index = offset
                        if child.loop < 0 {
                            self.owner[position - 1] = frame.node
                        } else {
                            let node = Int32(self.nodes.count)
                            self.nodes.append(Node(loop: Int32(child.loop), parent: frame.node))
                            self.owner[position - 1] = node
                            self.stack.append(Frame(loop: child.loop, index: 0, node: node))
                        }
                        placed = true
                        break search
                    }
                    depth -= 1
                }
                if !placed {
                    self.owner[position - 1] = self.stack[self.stack.count - 1].node
                }
            }
            // Grouped by counting: each occurrence's segments and children stay in document order.
            let nodeCount = self.nodes.count
            self.counts.reset(to: 0, count: 2 * (nodeCount + 1))
            for offset in 0..<count { self.counts[Int(self.owner[offset]) + 1] += 1 }
            for index in 1..<nodeCount {
                self.counts[nodeCount + 1 + Int(self.nodes[index].parent) + 1] += 1
            }
            for index in 0..<nodeCount {
                self.counts[index + 1] += self.counts[index]
                self.counts[nodeCount + 1 + index + 1] += self.counts[nodeCount + 1 + index]
                self.nodes[index].segmentStart = self.counts[index]
                self.nodes[index].segmentEnd = self.counts[index]
                self.nodes[index].childStart = self.counts[nodeCount + 1 + index]
                self.nodes[index].childEnd = self.counts[nodeCount + 1 + index]
            }
            self.segments.reset(to: 0, count: count)
            for offset in 0..<count {
                let node = Int(self.owner[offset])
                self.segments[Int(self.nodes[node].segmentEnd)] = Int32(offset + 1)
                self.nodes[node].segmentEnd += 1
            }
            self.children.reset(to: 0, count: nodeCount - 1)
            for index in 1..<nodeCount {
                let parent = Int(self.nodes[index].parent)
                self.children[Int(self.nodes[parent].childEnd)] = Int32(index)
                self.nodes[parent].childEnd += 1
            }
        }
    }

    private struct Frame {
        var loop: Int
        var index: Int
        var node: Int32
    }

    /// An empty tree, for ``place(_:layout:)`` to fill.
    init() {
        self.storage = .allocate(capacity: 1)
        self.storage.initialize(to: Storage())
    }

    /// Places the segments of `transaction` by a grammar's `layout` (made once per grammar by a translator).
    convenience init(_ transaction: Transaction, layout: Layout) {
        self.init()
        self.place(transaction, layout: layout)
    }

    deinit {
        self.storage.deinitialize(count: 1)
        self.storage.deallocate()
    }

    /// Places the segments of `transaction` by `layout`, reusing the storage of the tree placed before.
    func place(_ transaction: Transaction, layout: Layout) {
        self.storage.pointee.place(transaction, layout: layout)
    }

    /// The position of occurrence `node`'s first segment (its trigger), or `nil` for an empty transaction.
    func trigger(of node: Int) -> Int? {
        let start = self.nodes[node].segmentStart
        return start < self.nodes[node].segmentEnd ? Int(self.segments[Int(start)]) : nil
    }

    /// Whether the segment at `position` has `tag` (packed: `packed`, or `nil` for a tag longer than three).
    func hasTag(_ position: Int, _ tag: String, packed: UInt32?, in transaction: Transaction) -> Bool {
        if let packed, !self.needsViews[position - 1] { return self.tags[position - 1] == packed }
        return transaction.segment(at: position)?.hasTag(tag) ?? false
    }

    /// A grammar's structure laid out flat for placing: each loop's children are a range of `children`, each
    /// child a packed tag (compared as one integer) and the loop it opens, or -1 for a segment. A packed tag is its
    /// length and first three bytes, exact for the two- and three-character tags grammar files may hold (the loader
    /// refuses others), and how the validator compares tags too.
    struct Layout: Sendable {
        /// Per loop, its identifier, and its children's range of ``children`` (apart, so placing copies no
        /// string).
        var identifiers: [String] = []
        var loops: [Range<Int>] = []
        var children: [(tag: UInt32, loop: Int)] = []
        /// Per loop and tag, the loop's children with that tag (their offsets in the loop's range, increasing) as
        /// `offsets[start..<end]`, found by an open-addressed table keyed by loop and tag (empty slots hold
        /// `UInt64.max`): placing a segment probes once per open loop instead of comparing its tag with every child
        /// after the current one, and an X12 HL loop has a score of children. Not a `Dictionary`: hashing its key
        /// per probe made the 856's mapping slower than the scan (69 MB/s against 72-74 on one core).
        private var slots: [(key: UInt64, start: Int32, end: Int32)] = []
        private var offsets: [Int32] = []

        init(_ root: LoopDefinition) {
            _ = self.add(root)
            var lists: [UInt64: [Int32]] = [:]
            var keys: [UInt64] = []
            for (loop, range) in self.loops.enumerated() {
                for index in range {
                    let key = Self.key(loop, self.children[index].tag)
                    if lists[key] == nil { keys.append(key) }
                    lists[key, default: []].append(Int32(index - range.lowerBound))
                }
            }
            var capacity = 16
            while capacity < 2 * keys.count { capacity *= 2 }
            self.slots = Array(repeating: (UInt64.max, 0, 0), count: capacity)
            for key in keys {
                let start = Int32(self.offsets.count)
                self.offsets += lists[key] ?? []
                var slot = Self.slot(of: key, capacity - 1)
                while self.slots[slot].key != UInt64.max { slot = (slot + 1) & (capacity - 1) }
                self.slots[slot] = (key, start, Int32(self.offsets.count))
            }
        }

        private static func key(_ loop: Int, _ tag: UInt32) -> UInt64 { UInt64(loop) << 32 | UInt64(tag) }

        private static func slot(of key: UInt64, _ mask: Int) -> Int {
            Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        }

        /// The offset among loop `loop`'s children of its first child with packed tag `tag` at offset `minimum` or
        /// after; `nil` when there is none.
        func child(of loop: Int, tag: UInt32, from minimum: Int) -> Int? {
            let key = Self.key(loop, tag)
            let mask = self.slots.count - 1
            var slot = Self.slot(of: key, mask)
            while true {
                let entry = self.slots[slot]
                if entry.key == key {
                    for index in Int(entry.start)..<Int(entry.end) where self.offsets[index] >= minimum {
                        return Int(self.offsets[index])
                    }
                    return nil
                }
                if entry.key == UInt64.max { return nil }
                slot = (slot + 1) & mask
            }
        }

        /// Adds `loop` and the loops under it; returns its index.
        private mutating func add(_ loop: LoopDefinition) -> Int {
            let index = self.loops.count
            self.identifiers.append(loop.identifier)
            self.loops.append(0..<0)
            let start = self.children.count
            for child in loop.children {
                self.children.append((SegmentTag(child.tag).rawValue, -1))
            }
            self.loops[index] = start..<self.children.count
            for (offset, child) in loop.children.enumerated() {
                if case .loop(let nested) = child { self.children[start + offset].loop = self.add(nested) }
            }
            return index
        }
    }
}

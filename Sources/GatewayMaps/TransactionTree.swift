public import EDICore
public import EDISchema

/// A transaction's segments placed into the occurrences of its grammar's loops, as X12 and EDIFACT place them:
/// forward in the current loop, then in each enclosing loop; a loop's trigger segment starts an occurrence.
/// Built once per transaction for mapping; segments the grammar cannot place stay in the innermost occurrence.
public struct TransactionTree: Sendable {
    /// One occurrence of a loop (node 0 is the whole transaction).
    public struct Node: Sendable {
        /// The grammar's loop identifier; empty for the transaction.
        public let loop: String
        /// The enclosing occurrence; -1 for the transaction.
        public let parent: Int
        /// Positions of the segments directly in this occurrence (ST or UNH = 1).
        public internal(set) var segments: [Int]
        /// Nested occurrences, in order.
        public internal(set) var children: [Int]
    }

    public private(set) var nodes: [Node]

    /// Places the segments of `transaction` by `grammar`'s structure.
    public init(_ transaction: Transaction, grammar: Grammar) {
        self.init(transaction, layout: Layout(grammar.structure))
    }

    /// Places the segments of `transaction` by a grammar's `layout` (made once per grammar by a translator).
    init(_ transaction: Transaction, layout: Layout) {
        self.nodes = [Node(loop: "", parent: -1, segments: [], children: [])]
        // Open loops: the loop's index in the layout, its current child index, and the occurrence node.
        var stack: [(loop: Int, index: Int, node: Int)] = [(0, 0, 0)]
        for position in stride(from: 1, through: transaction.segmentCount, by: 1) {
            guard let segment = transaction.segment(at: position) else { continue }
            let tag = segment.packedTag.rawValue
            var placed = false
            var depth = stack.count - 1
            search: while depth >= 0 {
                let frame = stack[depth]
                let children = layout.loops[frame.loop].children
                var index = children.lowerBound + (depth > 0 ? max(frame.index, 1) : frame.index)
                while index < children.upperBound {
                    let child = layout.children[index]
                    if child.tag == tag {
                        stack.removeLast(stack.count - 1 - depth)
                        stack[depth].index = index - children.lowerBound
                        if child.loop < 0 {
                            self.nodes[frame.node].segments.append(position)
                        } else {
                            let node = self.nodes.count
                            self.nodes.append(
                                Node(
                                    loop: layout.loops[child.loop].identifier,
                                    parent: frame.node,
                                    segments: [position],
                                    children: []
                                )
                            )
                            self.nodes[frame.node].children.append(node)
                            stack.append((child.loop, 0, node))
                        }
                        placed = true
                        break search
                    }
                    index += 1
                }
                depth -= 1
            }
            if !placed { self.nodes[stack[stack.count - 1].node].segments.append(position) }
        }
    }

    /// A grammar's structure laid out flat for placing: each loop's children are a range of `children`, each
    /// child a packed tag (compared as one integer) and the loop it opens, or -1 for a segment. A packed tag is its
    /// length and first three bytes, exact for the two- and three-character tags grammar files may hold (the loader
    /// refuses others), and how the validator compares tags too.
    struct Layout: Sendable {
        var loops: [(identifier: String, children: Range<Int>)] = []
        var children: [(tag: UInt32, loop: Int)] = []

        init(_ root: LoopDefinition) {
            _ = self.add(root)
        }

        /// Adds `loop` and the loops under it; returns its index.
        private mutating func add(_ loop: LoopDefinition) -> Int {
            let index = self.loops.count
            self.loops.append((loop.identifier, 0..<0))
            let start = self.children.count
            for child in loop.children {
                self.children.append((SegmentTag(child.tag).rawValue, -1))
            }
            self.loops[index].children = start..<self.children.count
            for (offset, child) in loop.children.enumerated() {
                if case .loop(let nested) = child { self.children[start + offset].loop = self.add(nested) }
            }
            return index
        }
    }
}

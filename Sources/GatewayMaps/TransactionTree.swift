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
        self.nodes = [Node(loop: "", parent: -1, segments: [], children: [])]
        // Open loops: definition, current child index, and the occurrence node.
        var stack: [(definition: LoopDefinition, index: Int, node: Int)] = [(grammar.structure, 0, 0)]
        for position in stride(from: 1, through: transaction.segmentCount, by: 1) {
            guard let segment = transaction.segment(at: position) else { continue }
            let tag = segment.tag
            var placed = false
            var depth = stack.count - 1
            search: while depth >= 0 {
                let frame = stack[depth]
                var index = depth > 0 ? max(frame.index, 1) : frame.index
                while index < frame.definition.children.count {
                    let child = frame.definition.children[index]
                    if child.tag == tag {
                        stack.removeLast(stack.count - 1 - depth)
                        stack[depth].index = index
                        switch child {
                        case .segment:
                            self.nodes[frame.node].segments.append(position)
                        case .loop(let nested):
                            let node = self.nodes.count
                            self.nodes.append(
                                Node(loop: nested.identifier, parent: frame.node, segments: [position], children: [])
                            )
                            self.nodes[frame.node].children.append(node)
                            stack.append((nested, 0, node))
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
}

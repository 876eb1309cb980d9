import GatewayEvents

/// One step of a field path compiled against a map's key table: a member by its key number, a fixed array index,
/// or the element an `each` appends.
enum PathStep: Sendable, Hashable {
    case key(Int32)
    case index(Int32)
    case append
}

/// The member names a map's paths use, each numbered once, so reading compares integers and only writing the
/// event spells a name.
struct KeyTable: Sendable {
    private(set) var names: [String] = []
    private var numbers: [String: Int32] = [:]

    /// `path` with its member names numbered (new names added).
    mutating func compile(_ path: FieldPath) -> [PathStep] {
        path.steps.map { step in
            switch step {
            case .key(let name):
                if let number = self.numbers[name] { return .key(number) }
                let number = Int32(self.names.count)
                self.names.append(name)
                self.numbers[name] = number
                return .key(number)
            case .index(let index): return .index(Int32(clamping: index))
            case .append: return .append
            }
        }
    }
}

/// The event a translation read, as a flat tree of numbered nodes: objects whose members are found by key number,
/// arrays, and text or number values, replayed from the translation's ``EventTape`` for what needs the tree (the
/// typed event, a map whose sites conflict, an error naming a field). A field is set by walking compiled steps from
/// a base node (the transaction's root or an array element), so no path is spelled; provenance is kept per node in
/// the order fields were first set, and becomes field paths only when the event is written.
///
/// A record is a translation workspace's storage, emptied and refilled per transaction, or a typed event's own: a
/// class because it has an identity (never copied as a value), whose tables are ``GrowingTable``s, so setting a field
/// checks no uniqueness and copies nothing on write. The views below (``nodes``, ``textBytes``, ``provenance``) are
/// valid until the record next changes.
final class EventRecord {
    enum Kind: UInt8 {
        /// Made but not (yet) given a value: a timestamp's field before its parts are joined, an index skipped.
        case null
        case object
        case array
        case string
        case number
    }

    struct Node {
        var kind: Kind
        /// The member's key number; -1 for an array element and the root.
        var key: Int32
        var parent: Int32
        var first: Int32 = -1
        var last: Int32 = -1
        var next: Int32 = -1
        /// The number of children (array elements including skipped indices).
        var count: Int32 = 0
        /// The value's UTF-8, `textBytes[textStart..<textEnd]`, for strings and numbers.
        var textStart: Int32 = 0
        var textEnd: Int32 = 0
        /// The node's entry in `provenance`, or -1.
        var provenance: Int32 = -1

        /// Makes the node a `kind` with no children and the text `textStart..<textEnd`: what setting a value and
        /// turning a node into an object or array share.
        mutating func reset(_ kind: Kind, textStart: Int32, textEnd: Int32) {
            self.kind = kind
            self.first = -1
            self.last = -1
            self.count = 0
            self.textStart = textStart
            self.textEnd = textEnd
        }
    }

    /// Where a field's value was read: the segment's position, the reference, and the value's bytes.
    struct Provenance {
        var node: Int32
        var segment: Int32
        /// The binding read (its index in the map's ``ReadProgram``), whose reference text (`SN102`, `DTM01-2`)
        /// provenance names.
        var reference: Int32
        var byteStart: Int
        var byteEnd: Int
    }

    /// The nodes; the root is node 0.
    var nodes: TableView<Node> { self.storage.pointee.nodes.view }
    /// Every value's UTF-8, one after another (unchecked, for the event writer's copies; ``text(_:)`` checks).
    var textBytes: UnsafeBufferPointer<UInt8> { self.storage.pointee.text.contents }
    /// In the order fields were first given a provenance.
    var provenance: TableView<Provenance> { self.storage.pointee.provenance.view }

    /// The tables, behind a pointer the record owns: a class's stored `var`s are checked for exclusive access at
    /// run time on every write (that made mapping a third slower), memory behind a `let` pointer is not.
    private let storage: UnsafeMutablePointer<Storage>

    private struct Storage: ~Copyable {
        var nodes = GrowingTable<Node>()
        var text = ByteOutput(capacity: 1_024)
        var provenance = GrowingTable<Provenance>()
    }

    static let root: Int32 = 0

    /// An empty record.
    init() {
        self.storage = .allocate(capacity: 1)
        self.storage.initialize(to: Storage())
        self.storage.pointee.nodes.append(Node(kind: .object, key: -1, parent: -1))
    }

    deinit {
        self.storage.deinitialize(count: 1)
        self.storage.deallocate()
    }

    /// Whether the record has grown past what ordinary transactions need, for a workspace deciding whether to keep it.
    var isLarge: Bool { self.storage.pointee.nodes.capacity > 1 << 18 || self.storage.pointee.text.capacity > 4 << 20 }

    /// Empties the record, keeping its storage, with room for a transaction of `segments` segments.
    func reset(segments: Int) {
        self.storage.pointee.nodes.removeAll()
        self.storage.pointee.nodes.append(Node(kind: .object, key: -1, parent: -1))
        self.storage.pointee.text.removeAll()
        self.storage.pointee.provenance.removeAll()
        self.storage.pointee.nodes.reserve(4 * segments + 8)
        self.storage.pointee.text.reserveCapacity(20 * segments + 64)
        self.storage.pointee.provenance.reserve(2 * segments + 8)
    }

    /// The node at `steps` from `base`, made (and its containers made or turned into objects and arrays) on the way.
    func resolve<Steps: Sequence<PathStep>>(_ steps: Steps, from base: Int32) -> Int32 {
        var node = base
        for step in steps {
            switch step {
            case .key(let key):
                self.become(node, .object)
                node = self.member(of: node, key: key)
            case .index(let index):
                self.become(node, .array)
                node = self.element(of: node, at: index)
            case .append:
                self.become(node, .array)
                node = self.add(under: node, key: -1, kind: .null)
            }
        }
        return node
    }

    /// The node at `steps` from `base` if it exists; `.append` finds nothing.
    func find(_ steps: ArraySlice<PathStep>, from base: Int32) -> Int32? {
        var node = base
        for step in steps {
            switch step {
            case .key(let key):
                guard self.nodes[Int(node)].kind == .object else { return nil }
                var child = self.nodes[Int(node)].first
                while child >= 0 && self.nodes[Int(child)].key != key { child = self.nodes[Int(child)].next }
                guard child >= 0 else { return nil }
                node = child
            case .index(let index):
                guard self.nodes[Int(node)].kind == .array, index < self.nodes[Int(node)].count else { return nil }
                var child = self.nodes[Int(node)].first
                for _ in 0..<index { child = self.nodes[Int(child)].next }
                node = child
            case .append: return nil
            }
        }
        return node
    }

    /// A new element at the end of array `node` (made an array if it is not), of `kind`.
    func append(to node: Int32, kind: Kind) -> Int32 {
        self.become(node, .array)
        return self.add(under: node, key: -1, kind: kind)
    }

    /// The array at `steps` from `base`, made (empty) where missing: what an `each` rule leaves when the element
    /// it made was dropped (``EventTape/dropIfEmpty(at:)``).
    @discardableResult
    func array<Steps: Sequence<PathStep>>(_ steps: Steps, from base: Int32) -> Int32 {
        let node = self.resolve(steps, from: base)
        self.become(node, .array)
        return node
    }

    /// Records where `node`'s value was read, replacing its entry where it stands when it had one.
    @inline(__always)
    func setProvenance(_ node: Int32, _ entry: Provenance) {
        let existing = self.nodes[Int(node)].provenance
        if existing >= 0 {
            self.storage.pointee.provenance[Int(existing)] = entry
        } else {
            self.storage.pointee.nodes[Int(node)].provenance = Int32(self.storage.pointee.provenance.count)
            self.storage.pointee.provenance.append(entry)
        }
    }

    /// Takes the place of a field in the provenance order before the field exists (a timestamp's date, read before
    /// its time joins it); ``attach(_:to:)`` gives it the field, and an entry never attached is not written.
    func pendingProvenance(_ entry: Provenance) -> Int32 {
        var entry = entry
        entry.node = -1
        self.storage.pointee.provenance.append(entry)
        return Int32(self.storage.pointee.provenance.count - 1)
    }

    /// Gives the pending entry `index` to `node`, unless `node` already has one (which it keeps).
    func attach(_ index: Int32, to node: Int32) {
        guard self.nodes[Int(node)].provenance < 0 else { return }
        self.storage.pointee.provenance[Int(index)].node = node
        self.storage.pointee.nodes[Int(node)].provenance = index
    }

    /// Gives `node` a string or number value that `write` appends to the record's text, dropping what it held;
    /// `false`, and `node` unchanged, when `write` appends nothing and declines.
    @discardableResult
    func set(_ node: Int32, _ kind: Kind, writing write: (inout ByteOutput) -> Bool) -> Bool {
        let start = Int32(self.storage.pointee.text.count)
        guard write(&self.storage.pointee.text) else { return false }
        self.storage.pointee.nodes[Int(node)].reset(
            kind,
            textStart: start,
            textEnd: Int32(self.storage.pointee.text.count)
        )
        return true
    }

    /// The text of a string or number node.
    func text(_ value: Node) -> String {
        let (start, end) = (Int(value.textStart), Int(value.textEnd))
        precondition(start >= 0 && start <= end && end <= self.textBytes.count, "text range out of the record")
        return String(decoding: self.textBytes[start..<end], as: UTF8.self)
    }

    /// The string value of `node`, if it is one.
    func string(_ node: Int32) -> String? {
        let value = self.nodes[Int(node)]
        return value.kind == .string ? self.text(value) : nil
    }

    /// Each array element's index among the elements the event keeps (skipped indices are not elements), -1 for
    /// other nodes: one pass, so naming every field's path costs what the event holds.
    func elementIndices() -> [Int32] {
        var indices = [Int32](repeating: -1, count: self.nodes.count)
        for value in self.nodes where value.kind == .array {
            var index: Int32 = 0
            var child = value.first
            while child >= 0 {
                if self.nodes[Int(child)].kind != .null {
                    indices[Int(child)] = index
                    index += 1
                }
                child = self.nodes[Int(child)].next
            }
        }
        return indices
    }

    /// The field path of `node` as provenance names it (`orders[0].packs[1].items[0].quantity.value`), by
    /// `indices` from ``elementIndices()``, or (for a message, once) by counting the elements before each.
    func path(of node: Int32, names: KeyNames, indices: [Int32]? = nil) -> String {
        var text = ByteOutput(capacity: 128)
        names.bytes.withUnsafeBufferPointer { bytes in
            names.ends.withUnsafeBufferPointer { ends in
                self.writePath(of: node, names: (bytes, ends), indices: indices, into: &text)
            }
        }
        return String(decoding: text.bytes, as: UTF8.self)
    }

    /// Appends the field path of `node` to `output`, member names from `names` (``KeyNames``' bytes and ends).
    func writePath(
        of node: Int32,
        names: (bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int32>),
        indices: [Int32]?,
        into output: inout ByteOutput
    ) {
        guard node > 0 else { return }
        self.writePath(of: self.nodes[Int(node)].parent, names: names, indices: indices, into: &output)
        self.writeStep(of: node, names: names, indices: indices, into: &output)
    }

    /// Appends the last step of `node`'s path: `.name` (no dot under the root) or `[index]`.
    private func writeStep(
        of node: Int32,
        names: (bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int32>),
        indices: [Int32]?,
        into output: inout ByteOutput
    ) {
        let value = self.nodes[Int(node)]
        if value.key >= 0 {
            if value.parent > 0 { output.append(UInt8(ascii: ".")) }
            let key = Int(value.key)
            let start = key == 0 ? 0 : Int(names.ends[key - 1])
            output.append(UnsafeBufferPointer(rebasing: names.bytes[start..<Int(names.ends[key])]))
            return
        }
        var index = 0
        if let indices {
            index = Int(indices[Int(node)])
        } else {
            var sibling = self.nodes[Int(value.parent)].first
            while sibling != node {
                if self.nodes[Int(sibling)].kind != .null { index += 1 }
                sibling = self.nodes[Int(sibling)].next
            }
        }
        output.append(UInt8(ascii: "["))
        output.appendInteger(index)
        output.append(UInt8(ascii: "]"))
    }

    /// Where each node's field path was written into one output, so a path is written from the nodes once and
    /// copied after that: the fields of `orders[0].packs[1].items[0]` copy that prefix instead of walking to it.
    struct WrittenPaths {
        /// Per node, the range of the output holding its path; `start` -1 while none was written.
        var start: [Int32]
        var end: [Int32]

        init(nodes: Int) {
            self.start = Array(repeating: -1, count: nodes)
            self.end = Array(repeating: -1, count: nodes)
        }
    }

    /// ``writePath(of:names:indices:into:)``, copying the path of `node` or of its closest ancestor from where
    /// `written` says `output` already holds it, and noting where each path it writes lies. `output` must be the
    /// output of every earlier call with `written`, never cut back.
    func writePath(
        of node: Int32,
        names: (bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int32>),
        indices: [Int32],
        written: inout WrittenPaths,
        into output: inout ByteOutput
    ) {
        guard node > 0 else { return }
        let start = written.start[Int(node)]
        if start >= 0 {
            output.appendWritten(Int(start)..<Int(written.end[Int(node)]))
            return
        }
        let begin = output.count
        let parent = self.nodes[Int(node)].parent
        self.writePath(of: parent, names: names, indices: indices, written: &written, into: &output)
        self.writeStep(of: node, names: names, indices: indices, into: &output)
        written.start[Int(node)] = Int32(begin)
        written.end[Int(node)] = Int32(output.count)
    }

    /// The event as a JSON value: members in the order first set, arrays without the nulls of skipped indices,
    /// members that never got a value left out.
    func jsonValue(names: [String]) -> JSONValue {
        self.jsonValue(of: Self.root, names: names)
    }

    private func jsonValue(of node: Int32, names: [String]) -> JSONValue {
        let value = self.nodes[Int(node)]
        switch value.kind {
        case .null: return .null
        case .string: return .string(self.text(value))
        case .number: return .number(self.text(value))
        case .object:
            var members: [(String, JSONValue)] = []
            var child = value.first
            while child >= 0 {
                if self.nodes[Int(child)].kind != .null {
                    members.append((names[Int(self.nodes[Int(child)].key)], self.jsonValue(of: child, names: names)))
                }
                child = self.nodes[Int(child)].next
            }
            return .object(members)
        case .array:
            var elements: [JSONValue] = []
            var child = value.first
            while child >= 0 {
                if self.nodes[Int(child)].kind != .null { elements.append(self.jsonValue(of: child, names: names)) }
                child = self.nodes[Int(child)].next
            }
            return .array(elements)
        }
    }

    /// Turns `node` into an object or array, dropping its value or children when it was something else.
    @inline(__always)
    private func become(_ node: Int32, _ kind: Kind) {
        guard self.nodes[Int(node)].kind != kind else { return }
        self.storage.pointee.nodes[Int(node)].reset(kind, textStart: 0, textEnd: 0)
    }

    /// The member `key` of object `node`, made (as null) when missing.
    @inline(__always)
    private func member(of node: Int32, key: Int32) -> Int32 {
        // The member set last first: a field's containers are usually the ones the field before it filled.
        let last = self.nodes[Int(node)].last
        if last >= 0 && self.nodes[Int(last)].key == key { return last }
        var child = self.nodes[Int(node)].first
        while child >= 0 {
            if self.nodes[Int(child)].key == key { return child }
            child = self.nodes[Int(child)].next
        }
        return self.add(under: node, key: key, kind: .null)
    }

    /// Element `index` of array `node`, with nulls added up to it.
    private func element(of node: Int32, at index: Int32) -> Int32 {
        while self.nodes[Int(node)].count <= index { _ = self.add(under: node, key: -1, kind: .null) }
        var child = self.nodes[Int(node)].first
        for _ in 0..<index { child = self.nodes[Int(child)].next }
        return child
    }

    @inline(__always)
    private func add(under parent: Int32, key: Int32, kind: Kind) -> Int32 {
        let node = Int32(self.storage.pointee.nodes.count)
        self.storage.pointee.nodes.append(Node(kind: kind, key: key, parent: parent))
        let last = self.nodes[Int(parent)].last
        if last >= 0 {
            self.storage.pointee.nodes[Int(last)].next = node
        } else {
            self.storage.pointee.nodes[Int(parent)].first = node
        }
        self.storage.pointee.nodes[Int(parent)].last = node
        self.storage.pointee.nodes[Int(parent)].count += 1
        return node
    }
}

/// The event a translation reads, as the log of what the map wrote, in order: each value with the field it fills
/// (a path of the map's program from an instance, the root or an array element), its text and where it was read;
/// each array element made; each timestamp's place held in the provenance order. Reading appends one entry per
/// value and resolves no path, so it costs a store, not a walk of the event's objects; what needs the event's
/// tree (the typed event, the JSON writer, an error naming a field) replays the tape into an ``EventRecord``, which
/// gives the tree that writing the same values into the record directly gave.
///
/// A tape is one translation workspace's storage, emptied and refilled per transaction.
struct EventTape: ~Copyable {
    enum Operation: UInt8 {
        /// A value set at `steps` from `base`: the text `text[textStart..<textEnd]` as `kind`.
        case value
        /// An element appended to the array at `steps` from `base`, of `kind` (`.null` for one a segment fills,
        /// `.object` for one a loop occurrence fills); it is the next instance.
        case element
        /// An element that got no value, dropped: the array at `steps` from `base` is still made, and the
        /// instance number stays taken.
        case container
        /// A timestamp's place in the provenance order, taken before its field exists (its first part read).
        case pending
    }

    struct Entry {
        var operation: Operation
        var kind: EventRecord.Kind
        /// Whether the value carries provenance (`segment`, `reference`, `byteStart`, `byteEnd`).
        var hasProvenance: Bool
        /// The instance the path starts from: 0 for the root, else the number of an `.element` entry plus one.
        var base: Int32
        /// The path, `program.steps[stepsStart..<stepsEnd]`.
        var stepsStart: Int32
        var stepsEnd: Int32
        /// The path's site (``EventSites``): the value's, or the array's an element is made in.
        var site: Int32
        var textStart: Int32
        var textEnd: Int32
        /// For a timestamp's value, the `.pending` entry (its number among them) whose place its provenance takes;
        /// -1 otherwise.
        var pending: Int32
        var segment: Int32
        var reference: Int32
        var byteStart: Int
        var byteEnd: Int
    }

    private(set) var entries = GrowingTable<Entry>()
    /// Every value's UTF-8, one after another.
    var text = ByteOutput(capacity: 1_024)
    /// The instances made so far, the root included.
    private(set) var instances: Int32 = 1
    private(set) var pendingCount: Int32 = 0

    /// Whether the storage has grown past what ordinary transactions need.
    var isLarge: Bool { self.entries.capacity > 1 << 18 || self.text.capacity > 4 << 20 }

    /// Empties the tape, keeping its storage, with room for a transaction of `segments` segments.
    mutating func reset(segments: Int) {
        self.entries.removeAll()
        self.text.removeAll()
        self.instances = 1
        self.pendingCount = 0
        self.entries.reserve(2 * segments + 8)
        self.text.reserveCapacity(20 * segments + 64)
    }

    /// Appends an element to the array at `steps` from `base`; returns the element's instance.
    @inline(__always)
    mutating func element(_ steps: Range<Int32>, site: Int32, from base: Int32, kind: EventRecord.Kind) -> Int32 {
        self.entries.append(
            Entry(
                operation: .element,
                kind: kind,
                hasProvenance: false,
                base: base,
                stepsStart: steps.lowerBound,
                stepsEnd: steps.upperBound,
                site: site,
                textStart: 0,
                textEnd: 0,
                pending: -1,
                segment: 0,
                reference: 0,
                byteStart: 0,
                byteEnd: 0
            )
        )
        self.instances += 1
        return self.instances - 1
    }

    /// Where the next entry goes: what ``dropIfEmpty(at:)`` is given for an element just made.
    var count: Int { self.entries.count }

    /// Drops the element made by entry `index` when nothing was written after it but held places: a segment read
    /// into an array that gave no value adds no element (its array is still made).
    mutating func dropIfEmpty(at index: Int) {
        for later in (index + 1)..<self.entries.count where self.entries[later].operation != .pending { return }
        self.entries[index].operation = .container
    }

    /// Sets the field at `steps` from `base` to `kind` with the text `write` appends, with provenance when
    /// `segment` is not negative; `false`, and nothing recorded, when `write` appends nothing and declines.
    @inline(__always)
    @discardableResult
    mutating func value(
        _ steps: Range<Int32>,
        site: Int32,
        from base: Int32,
        kind: EventRecord.Kind,
        provenance: EventRecord.Provenance?,
        pending: Int32 = -1,
        writing write: (inout ByteOutput) -> Bool
    ) -> Bool {
        let start = Int32(self.text.count)
        guard write(&self.text) else { return false }
        self.entries.append(
            Entry(
                operation: .value,
                kind: kind,
                hasProvenance: provenance != nil,
                base: base,
                stepsStart: steps.lowerBound,
                stepsEnd: steps.upperBound,
                site: site,
                textStart: start,
                textEnd: Int32(self.text.count),
                pending: pending,
                segment: provenance?.segment ?? 0,
                reference: provenance?.reference ?? 0,
                byteStart: provenance?.byteStart ?? 0,
                byteEnd: provenance?.byteEnd ?? 0
            )
        )
        return true
    }

    /// How many values were read from the transaction, each with its provenance (a field read again counts again).
    var valuesRead: Int {
        var count = 0
        for entry in self.entries.view where entry.operation == .value && (entry.hasProvenance || entry.pending >= 0) {
            count += 1
        }
        return count
    }

    /// The text of the last value set at `path` from the root when it is a string (`nil` when there is none or it
    /// is a number), paths from `steps`: the field's value when nothing written later went through or above it
    /// (``ReadProgram/businessKeyIsPlain``).
    func lastString(at path: Range<Int32>, steps: UnsafeMutableBufferPointer<PathStep>) -> String? {
        let target = UnsafeBufferPointer(rebasing: steps[Int(path.lowerBound)..<Int(path.upperBound)])
        let entries = self.entries.view
        var index = entries.count - 1
        while index >= 0 {
            let entry = entries[index]
            index -= 1
            guard entry.operation == .value, entry.base == 0,
                entry.stepsEnd - entry.stepsStart == path.upperBound - path.lowerBound,
                UnsafeBufferPointer(rebasing: steps[Int(entry.stepsStart)..<Int(entry.stepsEnd)]).elementsEqual(target)
            else { continue }
            guard entry.kind == .string else { return nil }
            return String(decoding: self.text.contents[Int(entry.textStart)..<Int(entry.textEnd)], as: UTF8.self)
        }
        return nil
    }

    /// Holds a place in the provenance order for a timestamp whose field does not exist yet; returns its number,
    /// which the timestamp's ``value(_:site:from:kind:provenance:pending:writing:)`` names.
    mutating func pending(_ provenance: EventRecord.Provenance) -> Int32 {
        self.entries.append(
            Entry(
                operation: .pending,
                kind: .null,
                hasProvenance: true,
                base: 0,
                stepsStart: 0,
                stepsEnd: 0,
                site: -1,
                textStart: 0,
                textEnd: 0,
                pending: -1,
                segment: provenance.segment,
                reference: provenance.reference,
                byteStart: provenance.byteStart,
                byteEnd: provenance.byteEnd
            )
        )
        self.pendingCount += 1
        return self.pendingCount - 1
    }

    /// Writes what the tape holds into `record` (emptied first), paths from `steps` (the program's pool), and
    /// returns each instance's node (-1 for a dropped element).
    func replay(into record: EventRecord, steps: UnsafeMutableBufferPointer<PathStep>) -> [Int32] {
        record.reset(segments: self.entries.count / 2)
        var nodes: [Int32] = [EventRecord.root]
        nodes.reserveCapacity(Int(self.instances))
        var pendings: [Int32] = []
        let text = self.text.contents
        for entry in self.entries.view {
            let path = UnsafeBufferPointer(rebasing: steps[Int(entry.stepsStart)..<Int(entry.stepsEnd)])
            switch entry.operation {
            case .element:
                let container = record.resolve(path, from: nodes[Int(entry.base)])
                nodes.append(record.append(to: container, kind: entry.kind))
            case .container:
                record.array(path, from: nodes[Int(entry.base)])
                nodes.append(-1)
            case .pending:
                pendings.append(record.pendingProvenance(Self.provenance(of: entry, node: -1)))
            case .value:
                let node = record.resolve(path, from: nodes[Int(entry.base)])
                record.set(node, entry.kind) {
                    $0.append(UnsafeBufferPointer(rebasing: text[Int(entry.textStart)..<Int(entry.textEnd)]))
                    return true
                }
                if entry.hasProvenance { record.setProvenance(node, Self.provenance(of: entry, node: node)) }
                if entry.pending >= 0 { record.attach(pendings[Int(entry.pending)], to: node) }
            }
        }
        return nodes
    }

    private static func provenance(of entry: Entry, node: Int32) -> EventRecord.Provenance {
        EventRecord.Provenance(
            node: node,
            segment: entry.segment,
            reference: entry.reference,
            byteStart: entry.byteStart,
            byteEnd: entry.byteEnd
        )
    }
}

import GatewayEvents

/// An event type's ``EventShape`` laid out for one map, made once per ``Translator``: every object's members as
/// plain numbers in flat tables (member names' bytes in one run, kinds as tags and table indices, and for each
/// object the member each of the map's keys fills), so writing an event copies no shape and counts no references.
/// Two cores writing events of the same shape would otherwise fight over the reference counts of its tables.
struct WritePlan: Sendable {
    enum Tag: UInt8, Sendable {
        case string, decimal, integer, timestamp, choice, object, array, metadata, schema
    }

    /// A kind: `argument` is the object's index for `.object`, the element kind's index in `kinds` for `.array`,
    /// the list's index in `choices` for `.choice`.
    struct Kind: Sendable {
        var tag: Tag
        var argument: Int32
    }

    struct Member: Sendable {
        /// `"name":` in `bytes`.
        var prefixStart: Int32
        var prefixEnd: Int32
        var kind: Kind
        var presence: EventShape.Presence
    }

    struct Object: Sendable {
        /// The object's members in `members`, in the shape's order.
        var membersStart: Int32
        var membersEnd: Int32
    }

    private(set) var bytes: [UInt8] = []
    private(set) var members: [Member] = []
    private(set) var objects: [Object] = []
    private(set) var kinds: [Kind] = []
    private(set) var choices: [[String]] = []
    /// Per object, per map key: the index of the member (within the object) the key names, or -1.
    private(set) var slots: [Int32] = []
    let keyCount: Int

    /// The plan of `shape` (object 0) for a map with `keys`.
    init(_ shape: EventShape, keys: [String]) {
        self.keyCount = keys.count
        _ = self.add(shape, keys: keys)
    }

    /// Adds `shape` and the shapes inside it; returns its object index.
    private mutating func add(_ shape: EventShape, keys: [String]) -> Int32 {
        let index = Int32(self.objects.count)
        self.objects.append(Object(membersStart: 0, membersEnd: 0))
        let slotStart = self.slots.count
        self.slots += [Int32](repeating: -1, count: self.keyCount)
        for (position, member) in shape.members.enumerated() {
            if let key = keys.firstIndex(of: member.name) { self.slots[slotStart + key] = Int32(position) }
        }
        // Nested shapes first, so this object's members stay together.
        let memberKinds = shape.members.map { self.kind($0.kind, keys: keys) }
        let start = Int32(self.members.count)
        for (member, kind) in zip(shape.members, memberKinds) {
            let prefixStart = Int32(self.bytes.count)
            self.bytes += member.prefix
            self.members.append(
                Member(
                    prefixStart: prefixStart,
                    prefixEnd: Int32(self.bytes.count),
                    kind: kind,
                    presence: member.presence
                )
            )
        }
        self.objects[Int(index)] = Object(membersStart: start, membersEnd: Int32(self.members.count))
        return index
    }

    private mutating func kind(_ kind: EventShape.Kind, keys: [String]) -> Kind {
        switch kind {
        case .string: Kind(tag: .string, argument: -1)
        case .decimal: Kind(tag: .decimal, argument: -1)
        case .integer: Kind(tag: .integer, argument: -1)
        case .timestamp: Kind(tag: .timestamp, argument: -1)
        case .metadata: Kind(tag: .metadata, argument: -1)
        case .schema: Kind(tag: .schema, argument: -1)
        case .choice(let names):
            self.appendChoice(names)
        case .object(let shape): Kind(tag: .object, argument: self.add(shape, keys: keys))
        case .array(let element):
            self.appendElement(self.kind(element, keys: keys))
        }
    }

    private mutating func appendChoice(_ names: [String]) -> Kind {
        self.choices.append(names)
        return Kind(tag: .choice, argument: Int32(self.choices.count - 1))
    }

    private mutating func appendElement(_ element: Kind) -> Kind {
        self.kinds.append(element)
        return Kind(tag: .array, argument: Int32(self.kinds.count - 1))
    }
}

/// Writes an event's JSON straight from the fields a map read (``EventRecord``), by the event type's
/// ``WritePlan``: members in the shape's order, `.empty` members written when the map gave none, decimals in the
/// form the typed event writes them. The result is the bytes `EventJSON.encode` writes for the typed event;
/// ``write(into:)`` answers `false` whenever it cannot be sure of that (a value of another kind than the shape's,
/// a required member missing, a code outside a choice), and the caller goes through the typed event instead.
struct EventWriter {
    let record: EventRecord
    let plan: WritePlan
    /// The map's key names as bytes.
    let names: KeyNames
    /// The reference texts of the map's bindings in the middle of a provenance entry (``ReadProgram/referenceJSON``).
    let references: KeyNames
    /// The metadata (its provenance is the record's).
    let metadata: EventMetadata
    let schema: String

    /// Appends the event's JSON to `output`; `false` (with `output` partly written) when the typed event must
    /// write it.
    func write(into output: inout [UInt8]) -> Bool {
        var buffer = ByteOutput()
        return self.write(into: &output, buffer: &buffer)
    }

    /// ``write(into:)`` through `buffer`, emptied first (a translation's workspace keeps one).
    func write(into output: inout [UInt8], buffer: inout ByteOutput) -> Bool {
        buffer.removeAll()
        let written = self.plan.members.withUnsafeBufferPointer { members in
            self.plan.slots.withUnsafeBufferPointer { slots in
                self.plan.bytes.withUnsafeBufferPointer { bytes in
                    let tables = Tables(members: members, slots: slots, bytes: bytes, texts: self.record.textBytes)
                    return self.object(EventRecord.root, 0, tables, into: &buffer)
                }
            }
        }
        guard written else { return false }
        buffer.copy(into: &output)
        return true
    }

    /// The plan's tables, borrowed for one write.
    private struct Tables {
        let members: UnsafeBufferPointer<WritePlan.Member>
        let slots: UnsafeBufferPointer<Int32>
        let bytes: UnsafeBufferPointer<UInt8>
        /// The record's values (``EventRecord/textBytes``).
        let texts: UnsafeBufferPointer<UInt8>
    }

    /// Object `node` (or an absent object, -1, written as its empty form) by the plan's object `object`.
    private func object(_ node: Int32, _ object: Int32, _ tables: Tables, into output: inout ByteOutput) -> Bool {
        let layout = self.plan.objects[Int(object)]
        let start = Int(layout.membersStart)
        let count = Int(layout.membersEnd) - start
        let slotBase = Int(object) * self.plan.keyCount
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: count) { found in
            found.initialize(repeating: -1)
            if node >= 0 {
                var child = self.record.nodes[Int(node)].first
                while child >= 0 {
                    let value = self.record.nodes[Int(child)]
                    // A member the type does not name is not decoded, so not written; a null one is absent.
                    if value.kind != .null, value.key >= 0 {
                        let slot = tables.slots[slotBase + Int(value.key)]
                        if slot >= 0 { found[Int(slot)] = child }
                    }
                    child = value.next
                }
            }
            output.append(UInt8(ascii: "{"))
            var first = true
            for index in 0..<count {
                let member = tables.members[start + index]
                let child = found[index]
                let tag = member.kind.tag
                if child < 0 && tag != .metadata && tag != .schema {
                    switch member.presence {
                    case .required: return false
                    case .optional: continue
                    case .empty: break
                    }
                }
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                output.append(
                    UnsafeBufferPointer(rebasing: tables.bytes[Int(member.prefixStart)..<Int(member.prefixEnd)])
                )
                switch tag {
                case .metadata: self.writeMetadata(into: &output)
                case .schema: output.appendString(self.schema)
                case .array where child < 0: output.append("[]")
                case .object where child < 0:
                    guard self.object(-1, member.kind.argument, tables, into: &output) else { return false }
                default:
                    guard self.value(child, member.kind, tables, into: &output) else { return false }
                }
            }
            output.append(UInt8(ascii: "}"))
            return true
        }
    }

    /// The value of `node` as `kind`.
    private func value(_ node: Int32, _ kind: WritePlan.Kind, _ tables: Tables, into output: inout ByteOutput) -> Bool {
        let value = self.record.nodes[Int(node)]
        switch kind.tag {
        case .string, .timestamp, .choice:
            guard value.kind == .string else { return false }
            if kind.tag != .string {
                let text = self.record.text(value)
                if kind.tag == .timestamp, Timestamp(text) == nil { return false }
                if kind.tag == .choice, !self.plan.choices[Int(kind.argument)].contains(text) { return false }
            }
            output.appendString(
                utf8: UnsafeBufferPointer(rebasing: tables.texts[Int(value.textStart)..<Int(value.textEnd)])
            )
        case .decimal:
            guard value.kind == .number, Self.writeDecimal(self.record.text(value), into: &output) else {
                return false
            }
        case .integer:
            guard value.kind == .number, let number = Int(self.record.text(value)) else { return false }
            output.appendInteger(number)
        case .object:
            guard value.kind == .object else { return false }
            return self.object(node, kind.argument, tables, into: &output)
        case .array:
            guard value.kind == .array else { return false }
            let element = self.plan.kinds[Int(kind.argument)]
            output.append(UInt8(ascii: "["))
            var first = true
            var child = value.first
            while child >= 0 {
                if self.record.nodes[Int(child)].kind != .null {
                    if !first { output.append(UInt8(ascii: ",")) }
                    first = false
                    guard self.value(child, element, tables, into: &output) else { return false }
                }
                child = self.record.nodes[Int(child)].next
            }
            output.append(UInt8(ascii: "]"))
        case .metadata, .schema: return false
        }
        return true
    }

    /// A decimal as the typed event writes it (`Decimal.description`), from the plain form maps make
    /// (`-?digits[.digits]`, no leading zeros): trailing zeros of the fraction dropped, zero as `0`. `false` for
    /// any other form or more significant digits than a decimal holds.
    static func writeDecimal(_ text: String, into output: inout ByteOutput) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var start = 0
            let negative = bytes.first == UInt8(ascii: "-")
            if negative { start = 1 }
            var point = -1
            var firstSignificant = -1
            var lastSignificant = -1
            for index in start..<bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ".") {
                    guard point < 0 else { return false }
                    point = index
                } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                    if byte != UInt8(ascii: "0") {
                        if firstSignificant < 0 { firstSignificant = index }
                        lastSignificant = index
                    }
                } else {
                    return false
                }
            }
            let integerEnd = point < 0 ? bytes.count : point
            // Plain digits only: one integer digit at least, and no leading zero before another digit.
            guard integerEnd > start, point != bytes.count - 1,
                bytes[start] != UInt8(ascii: "0") || integerEnd == start + 1
            else { return false }
            if firstSignificant < 0 {
                output.append(UInt8(ascii: "0"))
                return true
            }
            var digits = lastSignificant - firstSignificant + 1
            if point > firstSignificant && point < lastSignificant { digits -= 1 }
            guard digits <= 38 else { return false }
            // Integer digits stay whole (trailing zeros of an integer are significant to its value).
            let end = point < 0 || lastSignificant < point ? integerEnd : lastSignificant + 1
            if negative { output.append(UInt8(ascii: "-")) }
            output.append(UnsafeBufferPointer(rebasing: bytes[start..<end]))
            return true
        }
    }

    /// The metadata's members in byte order, the provenance entries in the order their fields were read.
    private func writeMetadata(into output: inout ByteOutput) {
        let provenance = self.record.provenance
        let indices = self.record.elementIndices()
        var written = EventRecord.WrittenPaths(nodes: self.record.nodes.count)
        Self.writeMetadata(
            self.metadata,
            provenance: provenance.count,
            names: self.names,
            references: self.references,
            into: &output,
            entry: { provenance[$0].node >= 0 ? provenance[$0] : nil },
            path: { index, names, output in
                self.record.writePath(
                    of: provenance[index].node,
                    names: names,
                    indices: indices,
                    written: &written,
                    into: &output
                )
            }
        )
    }

    /// A map's key names (or its references' JSON middles) as runs of bytes, borrowed for one write.
    typealias NameRuns = (bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int32>)

    /// `metadata` as an object, its members in byte order, with the provenance entries `0..<provenance` in order:
    /// `entry` gives an entry's numbers (`nil` for one that names no field, which is left out) and `path` writes
    /// its field's path (map keys and indices: nothing to escape), key names from `names`.
    // Inlined into both writers, so the two closures are not calls per entry (4 % of the JSON figure).
    @inline(__always)
    static func writeMetadata(
        _ metadata: EventMetadata,
        provenance count: Int,
        names: KeyNames,
        references: KeyNames,
        into output: inout ByteOutput,
        entry: (Int) -> EventRecord.Provenance?,
        path: (Int, NameRuns, inout ByteOutput) -> Void
    ) {
        func member(_ name: StaticString, _ text: String?, first: Bool = false) {
            guard let text else { return }
            if !first { output.append(UInt8(ascii: ",")) }
            output.append(UInt8(ascii: "\""))
            output.append(name)
            output.append("\":")
            output.appendString(text)
        }
        output.append(UInt8(ascii: "{"))
        var first = true
        if let key = metadata.businessKey {
            member("businessKey", key, first: true)
            first = false
        }
        member("correlationId", metadata.correlationId, first: first)
        member("document", metadata.document)
        member("eventId", metadata.eventId)
        member("groupControlNumber", metadata.groupControlNumber)
        member("idempotencyKey", metadata.idempotencyKey)
        member("interchangeControlNumber", metadata.interchangeControlNumber)
        member("partner", metadata.partner)
        output.append(",\"provenance\":{")
        names.bytes.withUnsafeBufferPointer { bytes in
            names.ends.withUnsafeBufferPointer { ends in
                references.bytes.withUnsafeBufferPointer { referenceBytes in
                    references.ends.withUnsafeBufferPointer { referenceEnds in
                        var firstEntry = true
                        for index in 0..<count {
                            guard let numbers = entry(index) else { continue }
                            if !firstEntry { output.append(UInt8(ascii: ",")) }
                            firstEntry = false
                            output.append(UInt8(ascii: "\""))
                            path(index, (bytes, ends), &output)
                            output.append("\":{\"byteEnd\":")
                            output.appendInteger(numbers.byteEnd)
                            output.append(",\"byteStart\":")
                            output.appendInteger(numbers.byteStart)
                            // `,"reference":"SN102","segment":` in one run.
                            let reference = Int(numbers.reference)
                            let start = reference == 0 ? 0 : Int(referenceEnds[reference - 1])
                            output.append(
                                UnsafeBufferPointer(rebasing: referenceBytes[start..<Int(referenceEnds[reference])])
                            )
                            output.appendInteger(Int(numbers.segment))
                            output.append(UInt8(ascii: "}"))
                        }
                    }
                }
            }
        }
        output.append(UInt8(ascii: "}"))
        member("standard", metadata.standard)
        member("transactionControlNumber", metadata.transactionControlNumber)
        member("version", metadata.version)
        output.append(UInt8(ascii: "}"))
    }
}

import GatewayEvents

/// Writes an event's JSON straight from the fields a map read (``EventRecord``), by the event type's
/// ``EventShape``: members in the shape's order, `.empty` members written when the map gave none, decimals in the
/// form the typed event writes them. The result is the bytes `EventJSON.encode` writes for the typed event;
/// ``write(_:into:)`` answers `false` whenever it cannot be sure of that (a value of another kind than the shape's,
/// a required member missing, a code outside a choice), and the caller goes through the typed event instead.
struct EventWriter {
    let record: EventRecord
    /// The map's key names (``MapDefinition/keys``) and their bytes.
    let names: [String]
    let nameBytes: [[UInt8]]
    /// The metadata (its provenance is the record's).
    let metadata: EventMetadata
    let schema: String

    /// Appends the event's JSON to `output`; `false` (with `output` partly written) when the typed event must
    /// write it.
    func write(_ shape: EventShape, into output: inout [UInt8]) -> Bool {
        self.object(EventRecord.root, shape, into: &output)
    }

    /// Object `node` (or an absent object, -1, written as its empty form) by `shape`.
    private func object(_ node: Int32, _ shape: EventShape, into output: inout [UInt8]) -> Bool {
        let members = shape.members
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: members.count) { slots in
            slots.initialize(repeating: -1)
            if node >= 0 {
                var child = self.record.nodes[Int(node)].first
                while child >= 0 {
                    let value = self.record.nodes[Int(child)]
                    // A member the type does not name is not decoded, so not written; a null one is absent.
                    if value.kind != .null {
                        let name = self.names[Int(value.key)]
                        if let index = members.firstIndex(where: { $0.name == name }) { slots[index] = child }
                    }
                    child = value.next
                }
            }
            output.append(UInt8(ascii: "{"))
            var first = true
            for (index, member) in members.enumerated() {
                let child = slots[index]
                switch member.kind {
                case .metadata, .schema: break
                default:
                    if child < 0 {
                        switch member.presence {
                        case .required: return false
                        case .optional: continue
                        case .empty: break
                        }
                    }
                }
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                output.append(contentsOf: member.prefix)
                switch member.kind {
                case .metadata: self.writeMetadata(into: &output)
                case .schema: JSONValue.write(string: self.schema, into: &output)
                case .array where child < 0: output += [UInt8(ascii: "["), UInt8(ascii: "]")]
                case .object(let nested) where child < 0:
                    guard self.object(-1, nested, into: &output) else { return false }
                default:
                    guard self.value(child, member.kind, into: &output) else { return false }
                }
            }
            output.append(UInt8(ascii: "}"))
            return true
        }
    }

    /// The value of `node` as `kind`.
    private func value(_ node: Int32, _ kind: EventShape.Kind, into output: inout [UInt8]) -> Bool {
        let value = self.record.nodes[Int(node)]
        switch kind {
        case .string, .timestamp, .choice:
            guard value.kind == .string else { return false }
            let text = self.record.texts[Int(value.text)]
            if case .timestamp = kind, Timestamp(text) == nil { return false }
            if case .choice(let names) = kind, !names.contains(text) { return false }
            JSONValue.write(string: text, into: &output)
        case .decimal:
            guard value.kind == .number, Self.writeDecimal(self.record.texts[Int(value.text)], into: &output) else {
                return false
            }
        case .integer:
            guard value.kind == .number, let number = Int(self.record.texts[Int(value.text)]) else { return false }
            output.append(contentsOf: String(number).utf8)
        case .object(let shape):
            guard value.kind == .object else { return false }
            return self.object(node, shape, into: &output)
        case .array(let element):
            guard value.kind == .array else { return false }
            output.append(UInt8(ascii: "["))
            var first = true
            var child = value.first
            while child >= 0 {
                if self.record.nodes[Int(child)].kind != .null {
                    if !first { output.append(UInt8(ascii: ",")) }
                    first = false
                    guard self.value(child, element, into: &output) else { return false }
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
    static func writeDecimal(_ text: String, into output: inout [UInt8]) -> Bool {
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
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
            return true
        }
    }

    private static func append(_ text: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// The metadata's members in byte order, the provenance entries in the order their fields were read.
    private func writeMetadata(into output: inout [UInt8]) {
        let metadata = self.metadata
        func member(_ name: StaticString, _ text: String?, first: Bool = false) {
            guard let text else { return }
            if !first { output.append(UInt8(ascii: ",")) }
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            output.append(contentsOf: "\":".utf8)
            JSONValue.write(string: text, into: &output)
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
        output.append(contentsOf: ",\"provenance\":{".utf8)
        let indices = self.record.elementIndices()
        var firstEntry = true
        for entry in self.record.provenance where entry.node >= 0 {
            if !firstEntry { output.append(UInt8(ascii: ",")) }
            firstEntry = false
            // Paths are map keys (letters and digits) and indices: nothing to escape.
            output.append(UInt8(ascii: "\""))
            self.record.writePath(of: entry.node, names: self.nameBytes, indices: indices, into: &output)
            Self.append("\":{\"byteEnd\":", to: &output)
            EventRecord.writeInteger(entry.byteEnd, into: &output)
            Self.append(",\"byteStart\":", to: &output)
            EventRecord.writeInteger(entry.byteStart, into: &output)
            Self.append(",\"reference\":", to: &output)
            JSONValue.write(string: entry.reference, into: &output)
            Self.append(",\"segment\":", to: &output)
            EventRecord.writeInteger(Int(entry.segment), into: &output)
            output.append(UInt8(ascii: "}"))
        }
        output.append(UInt8(ascii: "}"))
        member("standard", metadata.standard)
        member("transactionControlNumber", metadata.transactionControlNumber)
        member("version", metadata.version)
        output.append(UInt8(ascii: "}"))
    }
}

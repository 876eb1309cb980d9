/// A JSON value built by a map while it reads a transaction, then decoded into the event type; and the event
/// encoded back, read by the map when it renders.
indirect enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number's exact text (`48.50`, `-3`).
    case number(String)
    case bool(Bool)
    case null

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.array(let a), .array(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null): return true
        default: return false
        }
    }

    /// `self` without the nulls that fixed indices leave in arrays (`productIdentifiers[2]` bound while `[1]` was
    /// absent): an absent value is not an element.
    var compacted: JSONValue {
        switch self {
        case .object(let members): .object(members.map { ($0.0, $0.1.compacted) })
        case .array(let elements): .array(elements.filter { $0 != .null }.map(\.compacted))
        default: self
        }
    }

    /// The value at `key` of an object.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// Sets the value at `path`, creating objects and arrays on the way; `.append` adds an element.
    ///
    /// Each level's storage is taken out of `self` before it changes (`self` holds `.null` meanwhile), so it is
    /// uniquely referenced and changes in place: setting the n-th element of an array costs O(depth), not O(n).
    mutating func set(_ path: ArraySlice<FieldPath.Step>, to value: JSONValue) {
        guard let step = path.first else {
            self = value
            return
        }
        let rest = path.dropFirst()
        switch step {
        case .key(let name):
            var members: [(String, JSONValue)] = []
            if case .object(let existing) = self {
                members = existing
                self = .null
            }
            if let index = members.firstIndex(where: { $0.0 == name }) {
                members[index].1.set(rest, to: value)
            } else {
                var child = JSONValue.null
                child.set(rest, to: value)
                members.append((name, child))
            }
            self = .object(members)
        case .index(let index):
            var elements: [JSONValue] = []
            if case .array(let existing) = self {
                elements = existing
                self = .null
            }
            while elements.count <= index { elements.append(.null) }
            elements[index].set(rest, to: value)
            self = .array(elements)
        case .append:
            var elements: [JSONValue] = []
            if case .array(let existing) = self {
                elements = existing
                self = .null
            }
            var child = JSONValue.null
            child.set(rest, to: value)
            elements.append(child)
            self = .array(elements)
        }
    }

    /// The value at `path` (indices resolved), or `nil`.
    func value(at path: ArraySlice<FieldPath.Step>) -> JSONValue? {
        guard let step = path.first else { return self }
        switch step {
        case .key(let name): return self[name]?.value(at: path.dropFirst())
        case .index(let index):
            guard case .array(let elements) = self, index < elements.count else { return nil }
            return elements[index].value(at: path.dropFirst())
        case .append: return nil
        }
    }

    /// The JSON text.
    func write(into bytes: inout [UInt8]) {
        switch self {
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONValue.string(member.0).write(into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                member.1.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                element.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .string(let text):
            bytes.append(UInt8(ascii: "\""))
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case "\\": bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case "\n": bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case "\r": bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case "\t": bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                default:
                    if scalar.value < 0x20 {
                        let hex = Array("0123456789abcdef".utf8)
                        bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")]
                        bytes += [hex[Int(scalar.value >> 4)], hex[Int(scalar.value & 0xF)]]
                    } else {
                        bytes += Array(String(scalar).utf8)
                    }
                }
            }
            bytes.append(UInt8(ascii: "\""))
        case .number(let text): bytes += Array(text.utf8)
        case .bool(let flag): bytes += Array((flag ? "true" : "false").utf8)
        case .null: bytes += Array("null".utf8)
        }
    }
}

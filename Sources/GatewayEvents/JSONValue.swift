/// A JSON value: what a map builds while it reads a transaction, what ``EventEncoder`` makes of an event and
/// ``EventDecoder`` reads one from, and what ``JSONReader`` reads from text. Objects keep their members in order;
/// numbers keep their exact text, so decimals never pass through binary floating point.
package enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    /// A number's exact text (`48.50`, `-3`).
    case number(String)
    case bool(Bool)
    case null

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
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

    /// Removes the nulls that fixed indices leave in arrays (`productIdentifiers[2]` bound while `[1]` was absent):
    /// an absent value is not an element. In place: each level's storage is taken out of `self` while it changes,
    /// so it stays uniquely referenced and nothing is copied.
    package mutating func compact() {
        switch self {
        case .object(var members):
            self = .null
            for index in members.indices { members[index].1.compact() }
            self = .object(members)
        case .array(var elements):
            self = .null
            elements.removeAll { if case .null = $0 { true } else { false } }
            for index in elements.indices { elements[index].compact() }
            self = .array(elements)
        default: break
        }
    }

    /// The value at `key` of an object.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// The JSON text, members in their order, with no blank outside strings.
    package func write(into bytes: inout [UInt8]) {
        switch self {
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in members {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                Self.write(string: key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                value.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                element.write(into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .string(let text): Self.write(string: text, into: &bytes)
        case .number(let text): bytes.append(contentsOf: text.utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null: bytes.append(contentsOf: "null".utf8)
        }
    }

    /// `text` quoted: `"` and `\` escaped, control characters as `\n`, `\r`, `\t` or `\u00XX`, everything else
    /// (slashes and non-ASCII too) as its UTF-8 bytes.
    package static func write(string text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var clean = 0
            for (index, byte) in utf8.enumerated() where Self.needsEscape(byte) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean..<index]))
                clean = index + 1
                Self.escape(byte) { bytes.append($0) }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[clean...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether `byte` is escaped in a JSON string as ``write(string:into:)`` writes it: `"`, `\` and control
    /// characters.
    @inlinable
    package static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C
    }

    /// The escape of `byte` (one ``needsEscape(_:)`` names), each of its bytes given to `emit`: `\"`, `\\`,
    /// `\n`, `\r`, `\t` or `\u00XX`.
    package static func escape(_ byte: UInt8, _ emit: (UInt8) -> Void) {
        emit(0x5C)
        switch byte {
        case 0x22, 0x5C: emit(byte)
        case 0x0A: emit(UInt8(ascii: "n"))
        case 0x0D: emit(UInt8(ascii: "r"))
        case 0x09: emit(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            emit(UInt8(ascii: "u"))
            emit(UInt8(ascii: "0"))
            emit(UInt8(ascii: "0"))
            emit(hex.utf8Start[Int(byte >> 4)])
            emit(hex.utf8Start[Int(byte & 0xF)])
        }
    }
}

/// Reads JSON text (RFC 8259) into a ``JSONValue``: numbers kept as their exact text, strings checked as UTF-8
/// with their escapes and surrogate pairs resolved, a member name given twice in one object refused, nesting
/// bounded. Errors say what was expected, what was found (a kind of byte, never the text) and at which byte.
package struct JSONReader {
    /// Objects and arrays inside each other at most this deep.
    package static let maximumDepth = 64

    /// Why JSON text could not be read, and where.
    package struct ReadError: Error, CustomStringConvertible, Equatable {
        /// The 0-based offset of the byte that broke the rule.
        package var offset: Int
        package var expected: String
        package var found: String

        package init(offset: Int, expected: String, found: String) {
            self.offset = offset
            self.expected = expected
            self.found = found
        }

        package var description: String { "expected \(self.expected), found \(self.found) at byte \(self.offset)" }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    /// The one value `bytes` hold, blanks around it allowed.
    package static func read(_ bytes: some Collection<UInt8>) throws(ReadError) -> JSONValue {
        let result: Result<JSONValue, ReadError> = Array(bytes).withUnsafeBufferPointer { buffer in
            var reader = JSONReader(bytes: buffer)
            do throws(ReadError) {
                let value = try reader.value()
                reader.skipBlanks()
                guard reader.index == buffer.count else { throw reader.error("the end of the text") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private func error(_ expected: String) -> ReadError {
        ReadError(offset: self.index, expected: expected, found: self.foundHere)
    }

    /// The byte at the reading position by kind: structure characters as themselves, anything else by class.
    private var foundHere: String {
        guard self.index < self.bytes.count else { return "the end of the text" }
        let byte = self.bytes[self.index]
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ":"),
            UInt8(ascii: ","), UInt8(ascii: "\""):
            return "'\(Character(Unicode.Scalar(byte)))'"
        case 0..<0x20, 0x7F: return "a control character"
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): return "a number"
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return "a letter"
        case 0x80...: return "a non-ASCII byte"
        default: return "another character"
        }
    }

    private mutating func skipBlanks() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x0A, 0x0D, 0x09: self.index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ name: String) throws(ReadError) {
        guard self.index < self.bytes.count, self.bytes[self.index] == byte else { throw self.error(name) }
        self.index += 1
    }

    private mutating func value() throws(ReadError) -> JSONValue {
        self.skipBlanks()
        guard self.index < self.bytes.count else { throw self.error("a value") }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"): return try self.object()
        case UInt8(ascii: "["): return try self.array()
        case UInt8(ascii: "\""): return .string(try self.string())
        case UInt8(ascii: "t"): return try self.literal("true", .bool(true))
        case UInt8(ascii: "f"): return try self.literal("false", .bool(false))
        case UInt8(ascii: "n"): return try self.literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try self.number())
        default: throw self.error("a value")
        }
    }

    private mutating func nest() throws(ReadError) {
        guard self.depth < Self.maximumDepth else {
            throw self.error("objects and arrays nested at most \(Self.maximumDepth) deep")
        }
        self.depth += 1
        self.index += 1
    }

    private mutating func object() throws(ReadError) -> JSONValue {
        try self.nest()
        defer { self.depth -= 1 }
        var members: [(String, JSONValue)] = []
        var names: Set<String> = []
        if self.closes(UInt8(ascii: "}")) { return .object(members) }
        while true {
            self.skipBlanks()
            let nameStart = self.index
            guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\"") else {
                throw self.error("a member name")
            }
            let name = try self.string()
            // Small objects are searched; large ones (a provenance table) keep a set of the names seen.
            let repeated: Bool
            if members.count < 16 {
                repeated = members.contains { $0.0 == name }
            } else {
                if names.isEmpty { names = Set(members.map(\.0)) }
                repeated = !names.insert(name).inserted
            }
            if repeated {
                throw ReadError(offset: nameStart, expected: "each member name once", found: "a name given twice")
            }
            self.skipBlanks()
            try self.expect(UInt8(ascii: ":"), "':' after a member name")
            members.append((name, try self.value()))
            if try self.endsAfterItem(UInt8(ascii: "}"), "',' or '}'") { return .object(members) }
        }
    }

    private mutating func array() throws(ReadError) -> JSONValue {
        try self.nest()
        defer { self.depth -= 1 }
        var elements: [JSONValue] = []
        if self.closes(UInt8(ascii: "]")) { return .array(elements) }
        while true {
            elements.append(try self.value())
            if try self.endsAfterItem(UInt8(ascii: "]"), "',' or ']'") { return .array(elements) }
        }
    }

    /// Whether `closing` comes next (an empty object or array), reading it if so.
    private mutating func closes(_ closing: UInt8) -> Bool {
        self.skipBlanks()
        guard self.index < self.bytes.count, self.bytes[self.index] == closing else { return false }
        self.index += 1
        return true
    }

    /// After a member or an element: a `,` (another follows, `false`) or `closing` (the end, `true`).
    private mutating func endsAfterItem(_ closing: UInt8, _ expected: String) throws(ReadError) -> Bool {
        self.skipBlanks()
        guard self.index < self.bytes.count else { throw self.error(expected) }
        let byte = self.bytes[self.index]
        guard byte == UInt8(ascii: ",") || byte == closing else { throw self.error(expected) }
        self.index += 1
        return byte == closing
    }

    /// A string from its opening quote: escapes resolved, UTF-8 checked where it stands (a run of plain bytes ends
    /// only at an ASCII `\` or `"`, which no multi-byte sequence contains), control characters refused.
    private mutating func string() throws(ReadError) -> String {
        self.index += 1
        var text: [UInt8] = []
        var clean = self.index
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                try self.appendChecked(from: clean, into: &text)
                self.index += 1
                return String(decoding: text, as: UTF8.self)
            }
            if byte < 0x20 { throw self.error("a control character in a string only as an escape") }
            guard byte == UInt8(ascii: "\\") else {
                self.index += 1
                continue
            }
            try self.appendChecked(from: clean, into: &text)
            self.index += 1
            guard self.index < self.bytes.count else { throw self.error("an escape") }
            let escaped = self.bytes[self.index]
            self.index += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
            case UInt8(ascii: "b"): text.append(0x08)
            case UInt8(ascii: "f"): text.append(0x0C)
            case UInt8(ascii: "n"): text.append(0x0A)
            case UInt8(ascii: "r"): text.append(0x0D)
            case UInt8(ascii: "t"): text.append(0x09)
            case UInt8(ascii: "u"):
                var code = try self.hexQuad()
                if (0xD800..<0xDC00).contains(code) {
                    guard self.index + 1 < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\\"),
                        self.bytes[self.index + 1] == UInt8(ascii: "u")
                    else { throw self.error("a low surrogate escape after a high surrogate") }
                    self.index += 2
                    let low = try self.hexQuad()
                    guard (0xDC00..<0xE000).contains(low) else {
                        self.index -= 6
                        throw self.error("a low surrogate escape after a high surrogate")
                    }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else {
                    self.index -= 6
                    throw self.error("a Unicode scalar (a lone low surrogate is none)")
                }
                text.append(contentsOf: String(scalar).utf8)
            default:
                self.index -= 1
                throw self.error("an escape of \", \\, /, b, f, n, r, t or u")
            }
            clean = self.index
        }
        throw self.error("'\"' closing the string")
    }

    /// Appends the plain bytes from `start` to the reading position, refusing the first byte that breaks UTF-8.
    private func appendChecked(from start: Int, into text: inout [UInt8]) throws(ReadError) {
        let run = UnsafeBufferPointer(rebasing: self.bytes[start..<self.index])
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = run.makeIterator()
        var offset = start
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput:
                text.append(contentsOf: run)
                return
            case .error:
                throw ReadError(offset: offset, expected: "a string of UTF-8", found: "a byte that breaks it")
            }
        }
    }

    private mutating func hexQuad() throws(ReadError) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard self.index < self.bytes.count else { throw self.error("four hexadecimal digits") }
            let byte = self.bytes[self.index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw self.error("four hexadecimal digits")
            }
            code = code << 4 | UInt32(digit)
            self.index += 1
        }
        return code
    }

    /// A number's text by RFC 8259's grammar: `-`, an integer without leading zeros, a fraction, an exponent.
    private mutating func number() throws(ReadError) -> String {
        let start = self.index
        func isDigit(_ index: Int) -> Bool {
            index < self.bytes.count && self.bytes[index] >= 0x30 && self.bytes[index] <= 0x39
        }
        if self.bytes[self.index] == UInt8(ascii: "-") { self.index += 1 }
        guard isDigit(self.index) else { throw self.error("a digit") }
        if self.bytes[self.index] == UInt8(ascii: "0") {
            self.index += 1
            if isDigit(self.index) { throw self.error("'.', an exponent or the number's end after a leading 0") }
        } else {
            while isDigit(self.index) { self.index += 1 }
        }
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: ".") {
            self.index += 1
            guard isDigit(self.index) else { throw self.error("a digit after '.'") }
            while isDigit(self.index) { self.index += 1 }
        }
        if self.index < self.bytes.count, self.bytes[self.index] | 0x20 == UInt8(ascii: "e") {
            self.index += 1
            if self.index < self.bytes.count,
                self.bytes[self.index] == UInt8(ascii: "+") || self.bytes[self.index] == UInt8(ascii: "-")
            {
                self.index += 1
            }
            guard isDigit(self.index) else { throw self.error("a digit in the exponent") }
            while isDigit(self.index) { self.index += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(ReadError) -> JSONValue {
        let utf8 = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        guard self.index + utf8.count <= self.bytes.count,
            UnsafeBufferPointer(rebasing: self.bytes[self.index..<(self.index + utf8.count)]).elementsEqual(utf8)
        else { throw self.error("a value") }
        self.index += utf8.count
        return value
    }
}

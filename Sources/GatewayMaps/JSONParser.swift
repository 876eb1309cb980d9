/// Reads JSON text into a ``JSONValue``, numbers kept as their text (so decimals stay exact). Only what the event
/// encoder writes needs reading; anything malformed is `nil`.
struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        var parser = JSONParser(bytes: bytes)
        guard let value = parser.value() else { return nil }
        parser.skipBlanks()
        return parser.index == bytes.count ? value : nil
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipBlanks() {
        while self.index < self.bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(self.bytes[self.index]) {
            self.index += 1
        }
    }

    private mutating func value() -> JSONValue? {
        self.skipBlanks()
        guard self.index < self.bytes.count, self.depth < 64 else { return nil }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"):
            self.index += 1
            self.depth += 1
            defer { self.depth -= 1 }
            var members: [(String, JSONValue)] = []
            self.skipBlanks()
            if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "}") {
                self.index += 1
                return .object(members)
            }
            while true {
                self.skipBlanks()
                guard case .string(let key)? = self.value() else { return nil }
                self.skipBlanks()
                guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: ":") else { return nil }
                self.index += 1
                guard let member = self.value() else { return nil }
                members.append((key, member))
                self.skipBlanks()
                guard self.index < self.bytes.count else { return nil }
                if self.bytes[self.index] == UInt8(ascii: ",") {
                    self.index += 1
                } else if self.bytes[self.index] == UInt8(ascii: "}") {
                    self.index += 1
                    return .object(members)
                } else {
                    return nil
                }
            }
        case UInt8(ascii: "["):
            self.index += 1
            self.depth += 1
            defer { self.depth -= 1 }
            var elements: [JSONValue] = []
            self.skipBlanks()
            if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "]") {
                self.index += 1
                return .array(elements)
            }
            while true {
                guard let element = self.value() else { return nil }
                elements.append(element)
                self.skipBlanks()
                guard self.index < self.bytes.count else { return nil }
                if self.bytes[self.index] == UInt8(ascii: ",") {
                    self.index += 1
                } else if self.bytes[self.index] == UInt8(ascii: "]") {
                    self.index += 1
                    return .array(elements)
                } else {
                    return nil
                }
            }
        case UInt8(ascii: "\""):
            self.index += 1
            var text: [UInt8] = []
            while self.index < self.bytes.count {
                let byte = self.bytes[self.index]
                self.index += 1
                if byte == UInt8(ascii: "\"") { return .string(String(decoding: text, as: UTF8.self)) }
                guard byte == UInt8(ascii: "\\") else {
                    text.append(byte)
                    continue
                }
                guard self.index < self.bytes.count else { return nil }
                let escaped = self.bytes[self.index]
                self.index += 1
                switch escaped {
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "u"):
                    guard self.index + 4 <= self.bytes.count,
                        let code = UInt32(
                            String(decoding: self.bytes[self.index..<(self.index + 4)], as: UTF8.self),
                            radix: 16
                        ),
                        let scalar = Unicode.Scalar(code)
                    else { return nil }
                    self.index += 4
                    text += Array(String(scalar).utf8)
                default: text.append(escaped)
                }
            }
            return nil
        case UInt8(ascii: "t"):
            return self.literal("true", .bool(true))
        case UInt8(ascii: "f"):
            return self.literal("false", .bool(false))
        case UInt8(ascii: "n"):
            return self.literal("null", .null)
        default:
            let start = self.index
            while self.index < self.bytes.count,
                Array("+-0123456789.eE".utf8).contains(self.bytes[self.index])
            {
                self.index += 1
            }
            guard self.index > start else { return nil }
            return .number(String(decoding: self.bytes[start..<self.index], as: UTF8.self))
        }
    }

    private mutating func literal(_ word: String, _ value: JSONValue) -> JSONValue? {
        let utf8 = Array(word.utf8)
        guard self.index + utf8.count <= self.bytes.count,
            Array(self.bytes[self.index..<(self.index + utf8.count)]) == utf8
        else { return nil }
        self.index += utf8.count
        return value
    }
}

import FoundationEssentials

/// Decodes a value from a ``JSONValue`` through its `Decodable` conformance: decimals from a number's exact text,
/// integers only from integral numbers, errors as `DecodingError` with the field's coding path and what was
/// expected, never the value found.
package enum EventDecoder {
    package static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try Self.decode(type, from: value, parent: nil, key: nil)
    }

    /// `type` from `value`, found at `key` under `parent`; the coding path is made only when a nested decoder or an
    /// error needs it.
    static func decode<T: Decodable>(
        _ type: T.Type,
        from value: JSONValue,
        parent: CodingPathNode?,
        key: (any CodingKey)?
    ) throws -> T {
        var path: CodingPathNode? { CodingPathNode.at(key, under: parent) }
        if type == String.self {
            guard case .string(let text) = value else { throw Self.mismatch(type, "a string", value, path) }
            return text as! T
        }
        if type == Decimal.self { return try Self.decimal(value, at: path) as! T }
        if type == Int.self { return try Self.integer(value, at: path) as! T }
        // Other number types (events use none today): from the number's text, in range. Without this a type that
        // decodes itself through a single value container would come back here for ever.
        if let numeric = type as? any (Numeric & LosslessStringConvertible).Type {
            guard case .number(let text) = value else { throw Self.mismatch(type, "a number", value, path) }
            guard let number = numeric.init(text), !((number as? any BinaryFloatingPoint)?.isFinite == false) else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(
                        codingPath: path?.path ?? [],
                        debugDescription: "expected a number \(type) holds"
                    )
                )
            }
            return number as! T
        }
        if type == Bool.self {
            guard case .bool(let flag) = value else { throw Self.mismatch(type, "true or false", value, path) }
            return flag as! T
        }
        if type == ProvenanceTable.self {
            guard case .object(let members) = value else { throw Self.mismatch(type, "an object", value, path) }
            var table = ProvenanceTable()
            // An entry's path is named by its position: the name is input, and no message repeats input.
            for (position, (name, member)) in members.enumerated() {
                table[name] = try Self.decode(FieldProvenance.self, from: member, parent: path, key: IndexKey(position))
            }
            return table as! T
        }
        return try T(from: ValueDecoder(value: value, node: path))
    }

    static func decimal(_ value: JSONValue, at path: @autoclosure () -> CodingPathNode?) throws -> Decimal {
        guard case .number(let text) = value else { throw Self.mismatch(Decimal.self, "a number", value, path()) }
        let digits = Self.significantDigits(text)
        // Zero is zero whatever its exponent (`0e300`).
        if digits == 0 { return Decimal.zero }
        guard digits <= 38, let decimal = Decimal(string: text), decimal.isFinite, !decimal.isZero else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: path()?.path ?? [],
                    debugDescription: "expected a number of at most 38 significant digits a decimal holds exactly"
                )
            )
        }
        return decimal
    }

    /// The digits of a number's mantissa from its first non-zero digit to its last: what a decimal must hold for
    /// the value to stay exact (it holds 38; more would be rounded in silence).
    static func significantDigits(_ text: String) -> Int {
        var first = -1
        var last = -1
        var index = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { break }
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if byte != UInt8(ascii: "0") {
                    if first < 0 { first = index }
                    last = index
                }
                index += 1
            }
        }
        return first < 0 ? 0 : last - first + 1
    }

    static func integer(_ value: JSONValue, at path: @autoclosure () -> CodingPathNode?) throws -> Int {
        guard case .number(let text) = value else { throw Self.mismatch(Int.self, "a number", value, path()) }
        guard let number = Int(text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: path()?.path ?? [],
                    debugDescription: "expected a whole number in range"
                )
            )
        }
        return number
    }

    static func mismatch(_ type: Any.Type, _ expected: String, _ value: JSONValue, _ path: CodingPathNode?)
        -> DecodingError
    {
        if case .null = value {
            return .valueNotFound(
                type,
                DecodingError.Context(
                    codingPath: path?.path ?? [],
                    debugDescription: "expected \(expected), found null"
                )
            )
        }
        return .typeMismatch(
            type,
            DecodingError.Context(
                codingPath: path?.path ?? [],
                debugDescription: "expected \(expected), found \(Self.kind(of: value))"
            )
        )
    }

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "true or false"
        case .null: "null"
        }
    }
}

struct ValueDecoder: Decoder {
    let value: JSONValue
    let node: CodingPathNode?
    var codingPath: [any CodingKey] { self.node?.path ?? [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = self.value else {
            throw EventDecoder.mismatch([String: Any].self, "an object", self.value, self.node)
        }
        return KeyedDecodingContainer(ObjectDecoder<Key>(members: members, node: self.node))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = self.value else {
            throw EventDecoder.mismatch([Any].self, "an array", self.value, self.node)
        }
        return ArrayDecoder(elements: elements, node: self.node)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleDecoder(value: self.value, node: self.node)
    }
}

struct ObjectDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [(String, JSONValue)]
    let node: CodingPathNode?
    /// Positions by name, for objects too large to search (a hostile event with thousands of members).
    let positions: [String: Int]?
    var codingPath: [any CodingKey] { self.node?.path ?? [] }

    init(members: [(String, JSONValue)], node: CodingPathNode?) {
        self.members = members
        self.node = node
        self.positions =
            members.count > 24
            ? Dictionary(members.enumerated().map { ($1.0, $0) }, uniquingKeysWith: { first, _ in first }) : nil
    }

    var allKeys: [Key] { self.members.compactMap { Key(stringValue: $0.0) } }

    private func member(_ key: Key) -> JSONValue? { self.member(named: key.stringValue) }

    private func member(named name: String) -> JSONValue? {
        if let positions = self.positions { return positions[name].map { self.members[$0].1 } }
        for member in self.members where member.0 == name { return member.1 }
        return nil
    }

    private func required(_ key: Key) throws -> JSONValue {
        guard let value = self.member(key) else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(
                    codingPath: self.codingPath,
                    debugDescription: "expected a member \(key.stringValue)"
                )
            )
        }
        return value
    }

    func contains(_ key: Key) -> Bool { self.member(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try self.required(key) { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try EventDecoder.decode(type, from: try self.required(key), parent: self.node, key: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try ValueDecoder(value: try self.required(key), node: CodingPathNode(parent: self.node, key: key))
            .container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try ValueDecoder(value: try self.required(key), node: CodingPathNode(parent: self.node, key: key))
            .unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ValueDecoder(
            value: self.member(named: "super") ?? .null,
            node: CodingPathNode(parent: self.node, key: NameKey("super"))
        )
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ValueDecoder(value: self.member(key) ?? .null, node: CodingPathNode(parent: self.node, key: key))
    }
}

struct ArrayDecoder: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let node: CodingPathNode?
    var currentIndex = 0
    var codingPath: [any CodingKey] { self.node?.path ?? [] }
    var count: Int? { self.elements.count }
    var isAtEnd: Bool { self.currentIndex >= self.elements.count }

    /// The next element, and its index for a coding path made only when needed.
    private mutating func next<T>(_ type: T.Type) throws -> (JSONValue, IndexKey) {
        let key = IndexKey(self.currentIndex)
        guard !self.isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(
                    codingPath: CodingPathNode(parent: self.node, key: key).path,
                    debugDescription: "expected another element, found the end"
                )
            )
        }
        defer { self.currentIndex += 1 }
        return (self.elements[self.currentIndex], key)
    }

    mutating func decodeNil() throws -> Bool {
        guard !self.isAtEnd, case .null = self.elements[self.currentIndex] else { return false }
        self.currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, key) = try self.next(type)
        return try EventDecoder.decode(type, from: value, parent: self.node, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let (value, key) = try self.next([String: Any].self)
        return try ValueDecoder(value: value, node: CodingPathNode(parent: self.node, key: key)).container(
            keyedBy: type
        )
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, key) = try self.next([Any].self)
        return try ValueDecoder(value: value, node: CodingPathNode(parent: self.node, key: key)).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, key) = try self.next(Any.self)
        return ValueDecoder(value: value, node: CodingPathNode(parent: self.node, key: key))
    }
}

struct SingleDecoder: SingleValueDecodingContainer {
    let value: JSONValue
    let node: CodingPathNode?
    var codingPath: [any CodingKey] { self.node?.path ?? [] }

    func decodeNil() -> Bool {
        if case .null = self.value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try EventDecoder.decode(type, from: self.value, parent: self.node, key: nil)
    }
}

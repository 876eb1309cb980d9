import FoundationEssentials

/// Encodes a value into a ``JSONValue`` through its `Encodable` conformance: each object's members sorted by the
/// bytes of their names (equal events give equal JSON), decimals as their exact text, a ``ProvenanceTable`` in its
/// own order (the order its fields were read, so no sort grows with the event).
package enum EventEncoder {
    package static func encode(_ value: some Encodable) throws -> JSONValue {
        try Self.value(of: value, parent: nil, key: nil)
    }

    /// `value` as JSON, the values events are made of without going through a container. Its coding path (`key`
    /// under `parent`) is made only when a nested encoder or an error needs it.
    static func value<T: Encodable>(of value: T, parent: CodingPathNode?, key: (any CodingKey)?) throws -> JSONValue {
        switch value {
        case let text as String: return .string(text)
        case let decimal as Decimal:
            guard decimal.isFinite else { throw Self.notFinite(value, at: CodingPathNode.at(key, under: parent)) }
            return .number(decimal.description)
        case let number as Int: return .number(String(number))
        case let flag as Bool: return .bool(flag)
        // Other number types, which events do not use today, written by their own text (a value that encodes itself
        // through a single value container would otherwise come back here for ever).
        case let floating as any BinaryFloatingPoint:
            guard floating.isFinite else { throw Self.notFinite(value, at: CodingPathNode.at(key, under: parent)) }
            return .number(String(describing: floating))
        case let integer as any BinaryInteger: return .number(String(describing: integer))
        case let table as ProvenanceTable:
            // In the table's order and without an encoder per entry (provenance is most of an event's JSON); each
            // entry's members as FieldProvenance's conformance names them, in byte order (EventJSONAgreementTests
            // read them back through that conformance).
            return .object(
                table.map { entry in
                    let provenance = entry.provenance
                    return (
                        entry.path,
                        .object([
                            ("byteEnd", .number(String(provenance.byteEnd))),
                            ("byteStart", .number(String(provenance.byteStart))),
                            ("reference", .string(provenance.reference)),
                            ("segment", .number(String(provenance.segment))),
                        ])
                    )
                }
            )
        default:
            let encoder = ValueEncoder(path: CodingPathNode.at(key, under: parent))
            try value.encode(to: encoder)
            return encoder.result.value
        }
    }

    /// A NaN or an infinity, which JSON has no number for.
    static func notFinite(_ value: Any, at path: CodingPathNode?) -> EncodingError {
        EncodingError.invalidValue(
            value,
            EncodingError.Context(codingPath: path?.path ?? [], debugDescription: "expected a finite number")
        )
    }
}

/// The coding path as a chain from the leaf up, made into an array only when an error needs it.
final class CodingPathNode {
    let parent: CodingPathNode?
    let key: any CodingKey

    init(parent: CodingPathNode?, key: any CodingKey) {
        self.parent = parent
        self.key = key
    }

    /// The node of `key` under `parent`, or `parent` itself when there is no key (a single value container).
    static func at(_ key: (any CodingKey)?, under parent: CodingPathNode?) -> CodingPathNode? {
        key.map { CodingPathNode(parent: parent, key: $0) } ?? parent
    }

    var path: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node: CodingPathNode? = self
        while let current = node {
            keys.append(current.key)
            node = current.parent
        }
        return keys.reversed()
    }
}

/// A member named at run time: a field path of a provenance table, `super`.
struct NameKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { self.stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// An array element's position.
struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { String(self.intValue ?? 0) }
    init(_ index: Int) { self.intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

/// What a container writes into: a value, or an object or array still being filled (nested containers may be
/// filled after their parent moved on, so they are shared by reference; values already encoded are kept as they
/// are, without a box each).
final class PendingValue {
    enum Member {
        case done(JSONValue)
        case pending(PendingValue)

        var value: JSONValue {
            switch self {
            case .done(let value): value
            case .pending(let pending): pending.value
            }
        }
    }

    enum State {
        case empty
        case value(JSONValue)
        case object([(String, Member)])
        case array([Member])
    }

    var state = State.empty

    init() {}

    init(_ state: State) { self.state = state }

    var value: JSONValue {
        switch self.state {
        case .empty: return .object([])
        case .value(let value): return value
        case .object(let members):
            var sorted = true
            var previous: String?
            for (key, _) in members {
                if let previous, !previous.utf8.lexicographicallyPrecedes(key.utf8) {
                    sorted = false
                    break
                }
                previous = key
            }
            let ordered = sorted ? members : members.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            return .object(ordered.map { ($0.0, $0.1.value) })
        case .array(let elements): return .array(elements.map(\.value))
        }
    }

    func setMember(_ key: String, _ value: Member) {
        guard case .object(var members) = self.state else {
            self.state = .object([(key, value)])
            return
        }
        self.state = .empty
        if let index = members.firstIndex(where: { $0.0 == key }) {
            members[index].1 = value
        } else {
            members.append((key, value))
        }
        self.state = .object(members)
    }

    func append(_ value: Member) {
        guard case .array(var elements) = self.state else {
            self.state = .array([value])
            return
        }
        self.state = .empty
        elements.append(value)
        self.state = .array(elements)
    }

    var count: Int {
        if case .array(let elements) = self.state { return elements.count }
        return 0
    }
}

final class ValueEncoder: Encoder {
    let node: CodingPathNode?
    let result: PendingValue
    var codingPath: [any CodingKey] { self.node?.path ?? [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(path: CodingPathNode?, result: PendingValue = PendingValue()) {
        self.node = path
        self.result = result
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = self.result.state {} else { self.result.state = .object([]) }
        return KeyedEncodingContainer(ObjectEncoder<Key>(node: self.node, object: self.result))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = self.result.state {} else { self.result.state = .array([]) }
        return ArrayEncoder(node: self.node, array: self.result)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleEncoder(node: self.node, result: self.result)
    }
}

struct ObjectEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: CodingPathNode?
    let object: PendingValue
    var codingPath: [any CodingKey] { self.node?.path ?? [] }

    mutating func encodeNil(forKey key: Key) throws { self.object.setMember(key.stringValue, .done(.null)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let value = try EventEncoder.value(of: value, parent: self.node, key: key)
        self.object.setMember(key.stringValue, .done(value))
    }

    // Absent optionals are left out, as synthesized conformances expect of `encodeIfPresent`.
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = PendingValue(.object([]))
        self.object.setMember(key.stringValue, .pending(child))
        return KeyedEncodingContainer(
            ObjectEncoder<NestedKey>(node: CodingPathNode(parent: self.node, key: key), object: child)
        )
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = PendingValue(.array([]))
        self.object.setMember(key.stringValue, .pending(child))
        return ArrayEncoder(node: CodingPathNode(parent: self.node, key: key), array: child)
    }

    mutating func superEncoder() -> any Encoder {
        let child = PendingValue()
        self.object.setMember("super", .pending(child))
        return ValueEncoder(path: CodingPathNode(parent: self.node, key: NameKey("super")), result: child)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = PendingValue()
        self.object.setMember(key.stringValue, .pending(child))
        return ValueEncoder(path: CodingPathNode(parent: self.node, key: key), result: child)
    }
}

struct ArrayEncoder: UnkeyedEncodingContainer {
    let node: CodingPathNode?
    let array: PendingValue
    var codingPath: [any CodingKey] { self.node?.path ?? [] }
    var count: Int { self.array.count }

    private var nextPath: CodingPathNode { CodingPathNode(parent: self.node, key: IndexKey(self.count)) }

    mutating func encodeNil() throws { self.array.append(.done(.null)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        self.array.append(.done(try EventEncoder.value(of: value, parent: self.node, key: IndexKey(self.count))))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let path = self.nextPath
        let child = PendingValue(.object([]))
        self.array.append(.pending(child))
        return KeyedEncodingContainer(ObjectEncoder<NestedKey>(node: path, object: child))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = self.nextPath
        let child = PendingValue(.array([]))
        self.array.append(.pending(child))
        return ArrayEncoder(node: path, array: child)
    }

    mutating func superEncoder() -> any Encoder {
        let path = self.nextPath
        let child = PendingValue()
        self.array.append(.pending(child))
        return ValueEncoder(path: path, result: child)
    }
}

struct SingleEncoder: SingleValueEncodingContainer {
    let node: CodingPathNode?
    let result: PendingValue
    var codingPath: [any CodingKey] { self.node?.path ?? [] }

    mutating func encodeNil() throws { self.result.state = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        self.result.state = .value(try EventEncoder.value(of: value, parent: self.node, key: nil))
    }
}

import FoundationEssentials

/// Any canonical event, told apart by its `schema` name when decoded.
public enum CanonicalEvent: Sendable, Hashable {
    case shipNotice(ShipNotice)
    case shipmentStatus(ShipmentStatus)
    case invoice(Invoice)
    case acknowledgmentReceived(AcknowledgmentReceived)

    /// The schema names this version reads and writes.
    public static let schemas = [
        ShipNotice.schema, ShipmentStatus.schema, Invoice.schema, AcknowledgmentReceived.schema,
    ]

    /// The event's metadata.
    public var metadata: EventMetadata {
        get {
            switch self {
            case .shipNotice(let event): event.metadata
            case .shipmentStatus(let event): event.metadata
            case .invoice(let event): event.metadata
            case .acknowledgmentReceived(let event): event.metadata
            }
        }
        set {
            switch self {
            case .shipNotice(var event):
                event.metadata = newValue
                self = .shipNotice(event)
            case .shipmentStatus(var event):
                event.metadata = newValue
                self = .shipmentStatus(event)
            case .invoice(var event):
                event.metadata = newValue
                self = .invoice(event)
            case .acknowledgmentReceived(var event):
                event.metadata = newValue
                self = .acknowledgmentReceived(event)
            }
        }
    }

    /// The event's schema name with its version.
    public var schema: String {
        switch self {
        case .shipNotice(let event): event.schema
        case .shipmentStatus(let event): event.schema
        case .invoice(let event): event.schema
        case .acknowledgmentReceived(let event): event.schema
        }
    }
}

extension CanonicalEvent: Codable {
    private enum Keys: String, CodingKey {
        case schema
    }

    public init(from decoder: any Decoder) throws {
        let schema = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .schema)
        switch schema {
        case ShipNotice.schema: self = .shipNotice(try ShipNotice(from: decoder))
        case ShipmentStatus.schema: self = .shipmentStatus(try ShipmentStatus(from: decoder))
        case Invoice.schema: self = .invoice(try Invoice(from: decoder))
        case AcknowledgmentReceived.schema: self = .acknowledgmentReceived(try AcknowledgmentReceived(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .schema,
                in: try decoder.container(keyedBy: Keys.self),
                debugDescription: "expected a schema of \(Self.schemas.joined(separator: ", ")), found another name"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .shipNotice(let event): try event.encode(to: encoder)
        case .shipmentStatus(let event): try event.encode(to: encoder)
        case .invoice(let event): try event.encode(to: encoder)
        case .acknowledgmentReceived(let event): try event.encode(to: encoder)
        }
    }
}

/// Events as JSON: one line per event, written by ``EventEncoder`` (each object's members sorted by name, so equal
/// events give equal bytes; decimals exact; field provenance in the order the fields were read) and read by
/// ``JSONReader`` and ``EventDecoder``.
public enum EventJSON {
    /// `event` as one line of JSON (no line break inside).
    public static func encode(_ event: CanonicalEvent) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4096)
        try EventEncoder.encode(event).write(into: &bytes)
        return bytes
    }

    /// An event from JSON: a `DecodingError` whose description says what was expected and where (a byte offset
    /// for text that is not JSON, a field path for JSON that is not an event), never a value.
    public static func decode(_ bytes: some Collection<UInt8>) throws -> CanonicalEvent {
        let value: JSONValue
        do {
            value = try JSONReader.read(bytes)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: [], debugDescription: error.description)
            )
        }
        return try EventDecoder.decode(CanonicalEvent.self, from: value)
    }

    /// What went wrong in a `DecodingError`, as the field's path and what was expected, without values. Only the
    /// messages edigate writes (each begins with `expected` and names no value) are repeated; any other, such as the
    /// standard library's for an enumeration's unknown raw value, which quotes it, becomes "an invalid value".
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "a value it cannot read" }
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        func detail(_ context: DecodingError.Context, otherwise: String) -> String {
            let what = context.debugDescription.hasPrefix("expected ") ? context.debugDescription : otherwise
            return context.codingPath.isEmpty ? what : "\(what) for \(path(context.codingPath))"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let prefix = path(context.codingPath)
            return "no value for \(prefix.isEmpty ? "" : prefix + ".")\(key.stringValue)"
        case .valueNotFound(_, let context):
            return context.codingPath.isEmpty ? "no value" : "no value for \(path(context.codingPath))"
        case .typeMismatch(_, let context): return detail(context, otherwise: "a value of the wrong type")
        case .dataCorrupted(let context): return detail(context, otherwise: "an invalid value")
        @unknown default: return "a value it cannot read"
        }
    }
}

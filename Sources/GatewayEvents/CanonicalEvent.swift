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
        switch self {
        case .shipNotice(let event): event.metadata
        case .shipmentStatus(let event): event.metadata
        case .invoice(let event): event.metadata
        case .acknowledgmentReceived(let event): event.metadata
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

/// Events as JSON: one line per event, keys sorted so equal events give equal bytes, decimals written exactly.
public enum EventJSON {
    /// `event` as one line of JSON (no line break inside).
    public static func encode(_ event: CanonicalEvent) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(event))
    }

    /// An event from JSON.
    public static func decode(_ bytes: [UInt8]) throws -> CanonicalEvent {
        try JSONDecoder().decode(CanonicalEvent.self, from: Data(bytes))
    }
}

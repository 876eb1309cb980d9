/// A shipment status update, from an X12 214 or an EDIFACT IFTSTA: the shipment, and its status events with a
/// canonical milestone, the code as sent, time, place and equipment.
public struct ShipmentStatus: Codable, Sendable, Hashable {
    /// `edigate.ShipmentStatus.v1`.
    public static let schema = "edigate.ShipmentStatus.v1"

    public var schema: String = Self.schema
    public var metadata: EventMetadata
    public var shipment: Shipment
    /// The status events in document order (a 214 may carry several).
    public var events: [StatusEvent]

    /// The shipment the statuses are about.
    public struct Shipment: Codable, Sendable, Hashable {
        /// The carrier's shipment identification (B1002, CNI01 consignment number).
        public var identifier: String
        /// SCAC (B1003) when given.
        public var scac: String?
        public var billOfLading: String?
        public var proNumber: String?
        public var references: [Reference]
        public var parties: [Party]

        public init(
            identifier: String,
            scac: String? = nil,
            billOfLading: String? = nil,
            proNumber: String? = nil,
            references: [Reference] = [],
            parties: [Party] = []
        ) {
            self.identifier = identifier
            self.scac = scac
            self.billOfLading = billOfLading
            self.proNumber = proNumber
            self.references = references
            self.parties = parties
        }
    }

    /// One status: what happened (canonical milestone and the code as sent), why, when, where, on what equipment.
    public struct StatusEvent: Codable, Sendable, Hashable {
        public var milestone: Milestone
        /// The code as the partner sent it (AT701, STS02-1) and its code list (`X12 1650`, `EDIFACT 4405`).
        public var code: String
        public var codeList: String
        /// The reason code (AT702, STS03) and its code list, when given.
        public var reason: String?
        /// When it happened: ISO 8601, with the time zone when the document gives one (AT707, DTM).
        public var at: Timestamp?
        public var location: Location?
        public var equipment: Equipment?

        public init(
            milestone: Milestone,
            code: String,
            codeList: String,
            reason: String? = nil,
            at: Timestamp? = nil,
            location: Location? = nil,
            equipment: Equipment? = nil
        ) {
            self.milestone = milestone
            self.code = code
            self.codeList = codeList
            self.reason = reason
            self.at = at
            self.location = location
            self.equipment = equipment
        }
    }

    /// Where a status happened (MS1, LOC).
    public struct Location: Codable, Sendable, Hashable {
        public var city: String?
        public var region: String?
        public var country: String?
        public var postalCode: String?
        /// A location code and its code list (UN/LOCODE, SPLC), when given.
        public var code: Reference?

        public init(
            city: String? = nil,
            region: String? = nil,
            country: String? = nil,
            postalCode: String? = nil,
            code: Reference? = nil
        ) {
            self.city = city
            self.region = region
            self.country = country
            self.postalCode = postalCode
            self.code = code
        }
    }

    /// The equipment (MS2, EQD): trailer or container number and type.
    public struct Equipment: Codable, Sendable, Hashable {
        public var identifier: String?
        public var type: String?
        /// The owner's code (MS201 SCAC), when given.
        public var owner: String?

        public init(identifier: String? = nil, type: String? = nil, owner: String? = nil) {
            self.identifier = identifier
            self.type = type
            self.owner = owner
        }
    }

    /// Creates a shipment status.
    public init(metadata: EventMetadata, shipment: Shipment, events: [StatusEvent] = []) {
        self.metadata = metadata
        self.shipment = shipment
        self.events = events
    }
}

/// The canonical milestone vocabulary: the same milestone whatever code list the carrier used (X12 AT701 status
/// codes, EDIFACT 4405 status codes). The mapping tables live in `Maps/Vocabulary/`; the original code is always
/// kept beside the milestone.
public enum Milestone: String, Codable, Sendable, Hashable, CaseIterable {
    /// Shipment information received or tendered; not yet moving.
    case tendered = "tendered"
    /// Picked up from the shipper.
    case pickedUp = "picked-up"
    /// Departed a terminal or stop.
    case departed = "departed"
    /// Arrived at a terminal or stop.
    case arrived = "arrived"
    /// Moving between stops.
    case inTransit = "in-transit"
    /// Out for delivery.
    case outForDelivery = "out-for-delivery"
    /// An appointment set or changed.
    case appointment = "appointment"
    /// Delivered.
    case delivered = "delivered"
    /// Delivery attempted, not completed.
    case deliveryAttempted = "delivery-attempted"
    /// Delayed, with a reason code.
    case delayed = "delayed"
    /// Held (customs, damage, refused…).
    case exception = "exception"
    /// Returned to the shipper.
    case returned = "returned"
    /// Cancelled.
    case cancelled = "cancelled"
    /// A code the vocabulary does not place; the original code says what it was.
    case other = "other"
}

extension ShipmentStatus {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            metadata: try container.decode(EventMetadata.self, forKey: .metadata),
            shipment: try container.decode(Shipment.self, forKey: .shipment),
            events: try container.array(.events)
        )
        self.schema = try container.decode(String.self, forKey: .schema)
    }
}

extension ShipmentStatus.Shipment {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            identifier: try container.decode(String.self, forKey: .identifier),
            scac: try container.decodeIfPresent(String.self, forKey: .scac),
            billOfLading: try container.decodeIfPresent(String.self, forKey: .billOfLading),
            proNumber: try container.decodeIfPresent(String.self, forKey: .proNumber),
            references: try container.array(.references),
            parties: try container.array(.parties)
        )
    }
}

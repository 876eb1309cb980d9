public import FoundationEssentials

/// An advance ship notice, from an X12 856 or an EDIFACT DESADV: one shipment, its orders, their packs and items.
public struct ShipNotice: Codable, Sendable, Hashable {
    /// `edigate.ShipNotice.v1`.
    public static let schema = "edigate.ShipNotice.v1"

    public var schema: String = Self.schema
    public var metadata: EventMetadata
    public var shipment: Shipment
    /// The orders shipped, in document order.
    public var orders: [Order]

    /// The shipment: who carries it, its numbers, weight and parties.
    public struct Shipment: Codable, Sendable, Hashable {
        /// BSN02 or BGM02.
        public var identifier: String
        /// BSN01 or BGM03: `00` original, `9` original (EDIFACT), replacements and cancellations as coded.
        public var purpose: String?
        /// When the notice was issued (BSN03/BSN04, DTM+137).
        public var issuedAt: Timestamp?
        /// When the goods left (DTM 011, DTM+11).
        public var shippedAt: Timestamp?
        /// When they are expected (DTM 017, DTM+17 or +132).
        public var expectedAt: Timestamp?
        public var carrier: Carrier?
        public var billOfLading: String?
        public var proNumber: String?
        public var trackingNumbers: [String]
        /// Gross weight (TD106 `G`, TD107, TD108; MEA+AAE).
        public var grossWeight: Measure?
        /// Number of packages (TD102, CPS/PAC count).
        public var packageCount: Decimal?
        /// Other references the document gives, with their qualifiers.
        public var references: [Reference]
        public var shipFrom: Party?
        public var shipTo: Party?
        /// Further parties (buyer, supplier, carrier…) in document order.
        public var parties: [Party]

        public init(
            identifier: String,
            purpose: String? = nil,
            issuedAt: Timestamp? = nil,
            shippedAt: Timestamp? = nil,
            expectedAt: Timestamp? = nil,
            carrier: Carrier? = nil,
            billOfLading: String? = nil,
            proNumber: String? = nil,
            trackingNumbers: [String] = [],
            grossWeight: Measure? = nil,
            packageCount: Decimal? = nil,
            references: [Reference] = [],
            shipFrom: Party? = nil,
            shipTo: Party? = nil,
            parties: [Party] = []
        ) {
            self.identifier = identifier
            self.purpose = purpose
            self.issuedAt = issuedAt
            self.shippedAt = shippedAt
            self.expectedAt = expectedAt
            self.carrier = carrier
            self.billOfLading = billOfLading
            self.proNumber = proNumber
            self.trackingNumbers = trackingNumbers
            self.grossWeight = grossWeight
            self.packageCount = packageCount
            self.references = references
            self.shipFrom = shipFrom
            self.shipTo = shipTo
            self.parties = parties
        }
    }

    /// The carrier: SCAC (X12 TD503 with TD502 `2`) or another code, name and transport method.
    public struct Carrier: Codable, Sendable, Hashable {
        /// Standard Carrier Alpha Code, when the code given is one.
        public var scac: String?
        public var name: String?
        /// TD504 or TDT03 as coded (`M` motor, `30` road).
        public var transportMethod: String?

        public init(scac: String? = nil, name: String? = nil, transportMethod: String? = nil) {
            self.scac = scac
            self.name = name
            self.transportMethod = transportMethod
        }
    }

    /// One order in the shipment: its number and date, and its packs (pick and pack) or items (standard pack).
    public struct Order: Codable, Sendable, Hashable {
        /// PRF01 or RFF+ON.
        public var purchaseOrder: String?
        public var orderDate: Timestamp?
        public var packs: [Pack]
        /// Items directly under the order (no pack level).
        public var items: [Item]

        public init(purchaseOrder: String? = nil, orderDate: Timestamp? = nil, packs: [Pack] = [], items: [Item] = []) {
            self.purchaseOrder = purchaseOrder
            self.orderDate = orderDate
            self.packs = packs
            self.items = items
        }
    }

    /// A package: its marks (an SSCC-18 in MAN `GM` or GIN `BJ`) and its items.
    public struct Pack: Codable, Sendable, Hashable {
        public var marks: Reference?
        public var items: [Item]

        public init(marks: Reference? = nil, items: [Item] = []) {
            self.marks = marks
            self.items = items
        }
    }

    /// A shipped item: its identifiers and quantity.
    public struct Item: Codable, Sendable, Hashable {
        /// LIN01 or LIN01 (EDIFACT line number), when given.
        public var lineNumber: String?
        public var productIdentifiers: [ProductIdentifier]
        /// SN102/SN103 or QTY+12.
        public var quantity: Measure
        public var description: String?

        public init(
            lineNumber: String? = nil,
            productIdentifiers: [ProductIdentifier] = [],
            quantity: Measure,
            description: String? = nil
        ) {
            self.lineNumber = lineNumber
            self.productIdentifiers = productIdentifiers
            self.quantity = quantity
            self.description = description
        }
    }

    /// Creates a ship notice.
    public init(metadata: EventMetadata, shipment: Shipment, orders: [Order] = []) {
        self.metadata = metadata
        self.shipment = shipment
        self.orders = orders
    }
}

extension ShipNotice {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            metadata: try container.decode(EventMetadata.self, forKey: .metadata),
            shipment: try container.decode(Shipment.self, forKey: .shipment),
            orders: try container.array(.orders)
        )
        self.schema = try container.decode(String.self, forKey: .schema)
    }
}

extension ShipNotice.Shipment {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            identifier: try container.decode(String.self, forKey: .identifier),
            purpose: try container.decodeIfPresent(String.self, forKey: .purpose),
            issuedAt: try container.decodeIfPresent(Timestamp.self, forKey: .issuedAt),
            shippedAt: try container.decodeIfPresent(Timestamp.self, forKey: .shippedAt),
            expectedAt: try container.decodeIfPresent(Timestamp.self, forKey: .expectedAt),
            carrier: try container.decodeIfPresent(ShipNotice.Carrier.self, forKey: .carrier),
            billOfLading: try container.decodeIfPresent(String.self, forKey: .billOfLading),
            proNumber: try container.decodeIfPresent(String.self, forKey: .proNumber),
            trackingNumbers: try container.array(.trackingNumbers),
            grossWeight: try container.decodeIfPresent(Measure.self, forKey: .grossWeight),
            packageCount: try container.decodeIfPresent(Decimal.self, forKey: .packageCount),
            references: try container.array(.references),
            shipFrom: try container.decodeIfPresent(Party.self, forKey: .shipFrom),
            shipTo: try container.decodeIfPresent(Party.self, forKey: .shipTo),
            parties: try container.array(.parties)
        )
    }
}

extension ShipNotice.Order {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            purchaseOrder: try container.decodeIfPresent(String.self, forKey: .purchaseOrder),
            orderDate: try container.decodeIfPresent(Timestamp.self, forKey: .orderDate),
            packs: try container.array(.packs),
            items: try container.array(.items)
        )
    }
}

extension ShipNotice.Pack {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            marks: try container.decodeIfPresent(Reference.self, forKey: .marks),
            items: try container.array(.items)
        )
    }
}

extension ShipNotice.Item {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            lineNumber: try container.decodeIfPresent(String.self, forKey: .lineNumber),
            productIdentifiers: try container.array(.productIdentifiers),
            quantity: try container.decode(Measure.self, forKey: .quantity),
            description: try container.decodeIfPresent(String.self, forKey: .description)
        )
    }
}

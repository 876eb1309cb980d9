/// The JSON shape of an event type: each member's name, what kind of value it holds and whether it may be left
/// out, exactly as the types' `Codable` conformances write and read them through ``EventEncoder`` and
/// ``EventDecoder`` (and so ``EventJSON``).
///
/// A writer that makes an event's JSON without building the typed value walks this table: it writes the members
/// in ``members`` order (the order ``EventEncoder`` sorts them into), writes a `.required` member always, an
/// `.empty` member always (`[]` or `{}` when it has nothing), an `.optional` member only when it has a value, and
/// fails where the typed decoding would (a `.required` member missing, a `.choice` value not in its list, a
/// `.timestamp` that `Timestamp(_:)` rejects). The table is written by hand; `EventShapeTests` hold it to the
/// conformances.
///
/// ```swift
/// let shape = EventShape.event("ShipNotice")!
/// for member in shape.members where member.presence == .required {
///     // "metadata", "schema", "shipment": a ship notice without one of them does not decode.
/// }
/// ```
///
/// Beyond presence, the decoding the writer must match: `null` reads as absent for an `.optional` or `.empty`
/// member and fails for a `.required` one; members the type does not name are ignored; a decimal holds at most 38
/// significant digits and is written as its `description` (`48.50` becomes `48.5`), an integer must be whole and
/// in range, and a NaN decimal fails to encode.
package struct EventShape: Sendable {
    /// What kind of value a member holds.
    package indirect enum Kind: Sendable {
        /// A String.
        case string
        /// A Foundation Decimal (written as its `description`).
        case decimal
        /// An Int.
        case integer
        /// A `Timestamp`: ISO 8601 text that `Timestamp(_:)` accepts (it checks `Timestamp.isValid`), written as
        /// a string.
        case timestamp
        /// A String-raw-valued enumeration: one of these raw values, in the enum's declaration order.
        case choice([String])
        /// A nested object.
        case object(EventShape)
        /// An array of elements of this kind.
        case array(Kind)
        /// The event's `metadata` member (EventMetadata), written by the translator itself.
        case metadata
        /// The event's `schema` member: the schema name (e.g. "edigate.ShipNotice.v1").
        case schema
    }

    /// Whether a member may be left out, and what its absence means.
    package enum Presence: Sendable {
        /// Decoding fails when the member is absent (a non-optional member decoded with `decode`).
        case required
        /// Absent means nil; encoding omits it when nil.
        case optional
        /// Absent decodes as empty (arrays decoded through `container.array(...)`, `[]`; Invoice.totals, `{}` of an
        /// all-nil Totals); encoding always writes it (`[]`, or the object).
        case empty
    }

    /// One member of an object: its name as the coding key spells it, its kind and its presence.
    package struct Member: Sendable {
        /// The member's name in the JSON (the property's name: no type renames its coding keys).
        package let name: String
        /// What the member holds.
        package let kind: Kind
        /// Whether it may be left out.
        package let presence: Presence
        /// `"name":`, as a writer puts it before the value (names hold nothing JSON escapes).
        package let prefix: [UInt8]

        init(name: String, kind: Kind, presence: Presence) {
            self.name = name
            self.kind = kind
            self.presence = presence
            self.prefix = [UInt8(ascii: "\"")] + Array(name.utf8) + [UInt8(ascii: "\""), UInt8(ascii: ":")]
        }

        /// A member decoded with `decode`.
        static func required(_ name: String, _ kind: Kind) -> Member {
            Member(name: name, kind: kind, presence: .required)
        }

        /// A member decoded with `decodeIfPresent` and no default, encoded only when it has a value.
        static func optional(_ name: String, _ kind: Kind) -> Member {
            Member(name: name, kind: kind, presence: .optional)
        }

        /// A member that is empty when absent and always encoded.
        static func empty(_ name: String, _ kind: Kind) -> Member {
            Member(name: name, kind: kind, presence: .empty)
        }
    }

    /// The members, sorted by the UTF-8 bytes of their names, which is the order EventEncoder writes them.
    package let members: [Member]

    /// A shape of `members` given in any order (the tables below follow the types' declarations); sorted here as
    /// `PendingValue.value` in EventEncoder.swift sorts an object's members.
    init(_ members: [Member]) {
        self.members = members.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// The shape of `ShipNotice`.
    package static let shipNotice = EventShape([
        .required("schema", .schema),
        .required("metadata", .metadata),
        .required("shipment", .object(Self.shipNoticeShipment)),
        .empty("orders", .array(.object(Self.order))),
    ])

    /// The shape of `ShipmentStatus`.
    package static let shipmentStatus = EventShape([
        .required("schema", .schema),
        .required("metadata", .metadata),
        .required("shipment", .object(Self.shipmentStatusShipment)),
        .empty("events", .array(.object(Self.statusEvent))),
    ])

    /// The shape of `Invoice`.
    package static let invoice = EventShape([
        .required("schema", .schema),
        .required("metadata", .metadata),
        .required("kind", .choice(["commercial", "freight"])),
        .optional(
            "documentType",
            .choice(["invoice", "credit-note", "debit-note", "corrected-invoice", "other"])
        ),
        .optional("documentCode", .string),
        .required("number", .string),
        .optional("date", .timestamp),
        .optional("currency", .string),
        .optional("terms", .object(Self.terms)),
        .optional("purchaseOrder", .string),
        .optional("billOfLading", .string),
        .optional("shipment", .string),
        .optional("paymentMethod", .string),
        .optional("carrierScac", .string),
        .empty("references", .array(.object(Self.reference))),
        .empty("parties", .array(.object(Self.party))),
        .empty("lines", .array(.object(Self.line))),
        .empty("charges", .array(.object(Self.charge))),
        .empty("allowances", .array(.object(Self.charge))),
        .empty("taxes", .array(.object(Self.tax))),
        // `decodeIfPresent(Totals.self) ?? Totals()`, and a non-optional property, so always written.
        .empty("totals", .object(Self.totals)),
    ])

    /// The shape of `AcknowledgmentReceived`.
    package static let acknowledgmentReceived = EventShape([
        .required("schema", .schema),
        .required("metadata", .metadata),
        .required("acknowledgment", .string),
        .empty("results", .array(.object(Self.result))),
    ])

    /// The shape of the event type a map names ("ShipNotice", "ShipmentStatus", "Invoice", "AcknowledgmentReceived").
    package static func event(_ name: String) -> EventShape? {
        switch name {
        case "ShipNotice": Self.shipNotice
        case "ShipmentStatus": Self.shipmentStatus
        case "Invoice": Self.invoice
        case "AcknowledgmentReceived": Self.acknowledgmentReceived
        default: nil
        }
    }
}

// The objects events are made of. Types with a hand-written `init(from:)` are marked; the others are synthesized
// (`decode` for a non-optional property, `decodeIfPresent` for an optional one). Every `encode(to:)` is
// synthesized (`encodeIfPresent` for optionals) except Timestamp's, which writes its text as a single string.
extension EventShape {
    // MARK: Values.swift

    /// `Measure` (synthesized).
    static let measure = EventShape([
        .required("value", .decimal),
        .optional("unit", .string),
    ])

    /// `Reference` (synthesized).
    static let reference = EventShape([
        .required("qualifier", .string),
        .required("value", .string),
    ])

    /// `ProductIdentifier` (synthesized).
    static let productIdentifier = EventShape([
        .required("qualifier", .string),
        .required("value", .string),
    ])

    /// `Address` (hand-written `init(from:)`: `lines` through `container.array`).
    static let address = EventShape([
        .empty("lines", .array(.string)),
        .optional("city", .string),
        .optional("region", .string),
        .optional("postalCode", .string),
        .optional("country", .string),
    ])

    /// `Party` (synthesized).
    static let party = EventShape([
        .required("role", .string),
        .optional("name", .string),
        .optional("identifier", .object(Self.reference)),
        .optional("address", .object(Self.address)),
    ])

    // MARK: ShipNotice.swift

    /// `ShipNotice.Shipment` (hand-written `init(from:)`).
    static let shipNoticeShipment = EventShape([
        .required("identifier", .string),
        .optional("purpose", .string),
        .optional("issuedAt", .timestamp),
        .optional("shippedAt", .timestamp),
        .optional("expectedAt", .timestamp),
        .optional("carrier", .object(Self.carrier)),
        .optional("billOfLading", .string),
        .optional("proNumber", .string),
        .empty("trackingNumbers", .array(.string)),
        .optional("grossWeight", .object(Self.measure)),
        .optional("packageCount", .decimal),
        .empty("references", .array(.object(Self.reference))),
        .optional("shipFrom", .object(Self.party)),
        .optional("shipTo", .object(Self.party)),
        .empty("parties", .array(.object(Self.party))),
    ])

    /// `ShipNotice.Carrier` (synthesized).
    static let carrier = EventShape([
        .optional("scac", .string),
        .optional("name", .string),
        .optional("transportMethod", .string),
    ])

    /// `ShipNotice.Order` (hand-written `init(from:)`).
    static let order = EventShape([
        .optional("purchaseOrder", .string),
        .optional("orderDate", .timestamp),
        .empty("packs", .array(.object(Self.pack))),
        .empty("items", .array(.object(Self.item))),
    ])

    /// `ShipNotice.Pack` (hand-written `init(from:)`).
    static let pack = EventShape([
        .optional("marks", .object(Self.reference)),
        .empty("items", .array(.object(Self.item))),
    ])

    /// `ShipNotice.Item` (hand-written `init(from:)`).
    static let item = EventShape([
        .optional("lineNumber", .string),
        .empty("productIdentifiers", .array(.object(Self.productIdentifier))),
        .required("quantity", .object(Self.measure)),
        .optional("description", .string),
    ])

    // MARK: ShipmentStatus.swift

    /// `ShipmentStatus.Shipment` (hand-written `init(from:)`).
    static let shipmentStatusShipment = EventShape([
        .required("identifier", .string),
        .optional("scac", .string),
        .optional("billOfLading", .string),
        .optional("proNumber", .string),
        .empty("references", .array(.object(Self.reference))),
        .empty("parties", .array(.object(Self.party))),
    ])

    /// `ShipmentStatus.StatusEvent` (synthesized).
    static let statusEvent = EventShape([
        .required(
            "milestone",
            .choice([
                "tendered", "picked-up", "departed", "arrived", "in-transit", "out-for-delivery", "appointment",
                "delivered", "delivery-attempted", "delayed", "exception", "returned", "cancelled", "other",
            ])
        ),
        .required("code", .string),
        .required("codeList", .string),
        .optional("reason", .string),
        .optional("at", .timestamp),
        .optional("location", .object(Self.location)),
        .optional("equipment", .object(Self.equipment)),
    ])

    /// `ShipmentStatus.Location` (synthesized).
    static let location = EventShape([
        .optional("city", .string),
        .optional("region", .string),
        .optional("country", .string),
        .optional("postalCode", .string),
        .optional("code", .object(Self.reference)),
    ])

    /// `ShipmentStatus.Equipment` (synthesized).
    static let equipment = EventShape([
        .optional("identifier", .string),
        .optional("type", .string),
        .optional("owner", .string),
    ])

    // MARK: Invoice.swift

    /// `Invoice.Terms` (synthesized).
    static let terms = EventShape([
        .optional("code", .string),
        .optional("discountPercent", .decimal),
        .optional("discountDays", .integer),
        .optional("netDays", .integer),
        .optional("dueDate", .timestamp),
    ])

    /// `Invoice.Line` (hand-written `init(from:)`).
    static let line = EventShape([
        .optional("lineNumber", .string),
        .empty("productIdentifiers", .array(.object(Self.productIdentifier))),
        .optional("description", .string),
        .optional("quantity", .object(Self.measure)),
        .optional("unitPrice", .decimal),
        .optional("amount", .decimal),
        .optional("weight", .object(Self.measure)),
        .optional("rateBasis", .string),
    ])

    /// `Invoice.Charge`, for charges and allowances (synthesized).
    static let charge = EventShape([
        .optional("code", .string),
        .optional("description", .string),
        .required("amount", .decimal),
        .optional("lineNumber", .string),
    ])

    /// `Invoice.Tax` (synthesized).
    static let tax = EventShape([
        .required("type", .string),
        .optional("ratePercent", .decimal),
        .optional("amount", .decimal),
    ])

    /// `Invoice.Totals` (synthesized): every member optional, so `Totals()` is `{}`.
    static let totals = EventShape([
        .optional("lineItems", .decimal),
        .optional("charges", .decimal),
        .optional("allowances", .decimal),
        .optional("tax", .decimal),
        .optional("invoice", .decimal),
    ])

    // MARK: AcknowledgmentReceived.swift

    /// `AcknowledgmentReceived.Result` (hand-written `init(from:)`).
    static let result = EventShape([
        .required("level", .choice(["interchange", "group", "transaction"])),
        .required("controlNumber", .string),
        .optional("document", .string),
        .required(
            "outcome",
            .choice(["accepted", "accepted-with-errors", "partially-accepted", "rejected", "received"])
        ),
        .empty("errors", .array(.object(Self.errorDetail))),
    ])

    /// `AcknowledgmentReceived.ErrorDetail` (synthesized).
    static let errorDetail = EventShape([
        .required("code", .string),
        .optional("segmentPosition", .integer),
        .optional("segmentTag", .string),
        .optional("elementPosition", .integer),
        .optional("componentPosition", .integer),
    ])
}

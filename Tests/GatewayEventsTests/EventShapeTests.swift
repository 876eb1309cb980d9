import Foundation
import GatewayEvents
import Testing

/// `EventShape` held to the `Codable` conformances, for every object type reachable from the four events and at
/// every place the tables put its shape: what encoding writes with nothing optional set and with everything set,
/// what decoding does when a member is missing or null, which values of each kind it reads back and which it rejects,
/// and the enumerations' raw values.
@Suite("Event shapes")
struct EventShapeTests {
    /// One object type: where the tables place it (`Parent.member`, `[]` for an array's elements; none for an
    /// event), an instance with every optional nil and every array empty, one with every optional set and every
    /// array holding one element, and a JSON round trip through the type.
    struct Subject: Sendable, CustomTestStringConvertible {
        let name: String
        let placements: [String]
        let minimal: any Encodable & Sendable
        let full: any Encodable & Sendable
        let roundTrip: @Sendable (JSONValue) throws -> JSONValue

        init<T: Codable & Sendable>(_ name: String, at placements: [String] = [], minimal: T, full: T) {
            self.name = name
            self.placements = placements
            self.minimal = minimal
            self.full = full
            self.roundTrip = { try EventEncoder.encode(EventDecoder.decode(T.self, from: $0)) }
        }

        var testDescription: String { self.name }
    }

    static let metadata = EventMetadata(
        eventId: "e1",
        idempotencyKey: "k1",
        correlationId: "c1",
        partner: "acme",
        standard: "X12",
        version: "004010",
        document: "856",
        interchangeControlNumber: "000000001",
        transactionControlNumber: "0001"
    )
    static let date = Timestamp("2026-11-23")
    static let measure = Measure(value: 12, unit: "LB")
    static let reference = Reference(qualifier: "BM", value: "B1")
    static let product = ProductIdentifier(qualifier: "UP", value: "012345678905")
    static let address = Address(
        lines: ["1 Main St"],
        city: "Springfield",
        region: "IL",
        postalCode: "62701",
        country: "US"
    )
    static let party = Party(role: "ST", name: "Acme", identifier: Self.reference, address: Self.address)
    static let carrier = ShipNotice.Carrier(scac: "ABCD", name: "Carrier", transportMethod: "M")
    static let item = ShipNotice.Item(
        lineNumber: "1",
        productIdentifiers: [Self.product],
        quantity: Self.measure,
        description: "Widget"
    )
    static let pack = ShipNotice.Pack(marks: Self.reference, items: [Self.item])
    static let order = ShipNotice.Order(
        purchaseOrder: "PO1",
        orderDate: Self.date,
        packs: [Self.pack],
        items: [Self.item]
    )
    static let noticeShipment = ShipNotice.Shipment(
        identifier: "SHP1",
        purpose: "00",
        issuedAt: Self.date,
        shippedAt: Self.date,
        expectedAt: Self.date,
        carrier: Self.carrier,
        billOfLading: "BOL1",
        proNumber: "PRO1",
        trackingNumbers: ["1Z1"],
        grossWeight: Self.measure,
        packageCount: 3,
        references: [Self.reference],
        shipFrom: Self.party,
        shipTo: Self.party,
        parties: [Self.party]
    )
    static let location = ShipmentStatus.Location(
        city: "Springfield",
        region: "IL",
        country: "US",
        postalCode: "62701",
        code: Self.reference
    )
    static let equipment = ShipmentStatus.Equipment(identifier: "TRL1", type: "TL", owner: "ABCD")
    static let statusEvent = ShipmentStatus.StatusEvent(
        milestone: .delivered,
        code: "D1",
        codeList: "X12 1650",
        reason: "NS",
        at: Self.date,
        location: Self.location,
        equipment: Self.equipment
    )
    static let statusShipment = ShipmentStatus.Shipment(
        identifier: "PRO1",
        scac: "ABCD",
        billOfLading: "BOL1",
        proNumber: "PRO1",
        references: [Self.reference],
        parties: [Self.party]
    )
    static let terms = Invoice.Terms(code: "01", discountPercent: 2, discountDays: 10, netDays: 30, dueDate: Self.date)
    static let line = Invoice.Line(
        lineNumber: "1",
        productIdentifiers: [Self.product],
        description: "Widget",
        quantity: Self.measure,
        unitPrice: 4,
        amount: 48,
        weight: Self.measure,
        rateBasis: "CW"
    )
    static let charge = Invoice.Charge(code: "D240", description: "Freight", amount: 5, lineNumber: "1")
    static let tax = Invoice.Tax(type: "VAT", ratePercent: 20, amount: 10)
    static let totals = Invoice.Totals(lineItems: 48, charges: 5, allowances: 1, tax: 10, invoice: 62)
    static let errorDetail = AcknowledgmentReceived.ErrorDetail(
        code: "8",
        segmentPosition: 3,
        segmentTag: "BSN",
        elementPosition: 2,
        componentPosition: 1
    )
    static let result = AcknowledgmentReceived.Result(
        level: .transaction,
        controlNumber: "0001",
        document: "856",
        outcome: .rejected,
        errors: [Self.errorDetail]
    )

    static let subjects: [Subject] = [
        Subject(
            "ShipNotice",
            minimal: ShipNotice(metadata: Self.metadata, shipment: .init(identifier: "SHP1")),
            full: ShipNotice(metadata: Self.metadata, shipment: Self.noticeShipment, orders: [Self.order])
        ),
        Subject(
            "ShipNotice.Shipment",
            at: ["ShipNotice.shipment"],
            minimal: ShipNotice.Shipment(identifier: "SHP1"),
            full: Self.noticeShipment
        ),
        Subject(
            "ShipNotice.Carrier",
            at: ["ShipNotice.Shipment.carrier"],
            minimal: ShipNotice.Carrier(),
            full: Self.carrier
        ),
        Subject("ShipNotice.Order", at: ["ShipNotice.orders[]"], minimal: ShipNotice.Order(), full: Self.order),
        Subject("ShipNotice.Pack", at: ["ShipNotice.Order.packs[]"], minimal: ShipNotice.Pack(), full: Self.pack),
        Subject(
            "ShipNotice.Item",
            at: ["ShipNotice.Order.items[]", "ShipNotice.Pack.items[]"],
            minimal: ShipNotice.Item(quantity: Measure(value: 1)),
            full: Self.item
        ),
        Subject(
            "Measure",
            at: [
                "ShipNotice.Shipment.grossWeight", "ShipNotice.Item.quantity", "Invoice.Line.quantity",
                "Invoice.Line.weight",
            ],
            minimal: Measure(value: 1),
            full: Self.measure
        ),
        Subject(
            "Reference",
            at: [
                "ShipNotice.Shipment.references[]", "ShipNotice.Pack.marks", "Party.identifier",
                "ShipmentStatus.Shipment.references[]", "ShipmentStatus.Location.code", "Invoice.references[]",
            ],
            minimal: Self.reference,
            full: Self.reference
        ),
        Subject(
            "ProductIdentifier",
            at: ["ShipNotice.Item.productIdentifiers[]", "Invoice.Line.productIdentifiers[]"],
            minimal: Self.product,
            full: Self.product
        ),
        Subject(
            "Party",
            at: [
                "ShipNotice.Shipment.shipFrom", "ShipNotice.Shipment.shipTo", "ShipNotice.Shipment.parties[]",
                "ShipmentStatus.Shipment.parties[]", "Invoice.parties[]",
            ],
            minimal: Party(role: "ST"),
            full: Self.party
        ),
        Subject("Address", at: ["Party.address"], minimal: Address(), full: Self.address),
        Subject(
            "ShipmentStatus",
            minimal: ShipmentStatus(metadata: Self.metadata, shipment: .init(identifier: "PRO1")),
            full: ShipmentStatus(metadata: Self.metadata, shipment: Self.statusShipment, events: [Self.statusEvent])
        ),
        Subject(
            "ShipmentStatus.Shipment",
            at: ["ShipmentStatus.shipment"],
            minimal: ShipmentStatus.Shipment(identifier: "PRO1"),
            full: Self.statusShipment
        ),
        Subject(
            "ShipmentStatus.StatusEvent",
            at: ["ShipmentStatus.events[]"],
            minimal: ShipmentStatus.StatusEvent(milestone: .arrived, code: "X1", codeList: "X12 1650"),
            full: Self.statusEvent
        ),
        Subject(
            "ShipmentStatus.Location",
            at: ["ShipmentStatus.StatusEvent.location"],
            minimal: ShipmentStatus.Location(),
            full: Self.location
        ),
        Subject(
            "ShipmentStatus.Equipment",
            at: ["ShipmentStatus.StatusEvent.equipment"],
            minimal: ShipmentStatus.Equipment(),
            full: Self.equipment
        ),
        Subject(
            "Invoice",
            minimal: Invoice(metadata: Self.metadata, kind: .commercial, number: "INV1"),
            full: Invoice(
                metadata: Self.metadata,
                kind: .freight,
                documentType: .creditNote,
                documentCode: "CR",
                number: "INV1",
                date: Self.date,
                currency: "USD",
                terms: Self.terms,
                purchaseOrder: "PO1",
                billOfLading: "BOL1",
                shipment: "SHP1",
                paymentMethod: "PP",
                carrierScac: "ABCD",
                references: [Self.reference],
                parties: [Self.party],
                lines: [Self.line],
                charges: [Self.charge],
                allowances: [Self.charge],
                taxes: [Self.tax],
                totals: Self.totals
            )
        ),
        Subject("Invoice.Terms", at: ["Invoice.terms"], minimal: Invoice.Terms(), full: Self.terms),
        Subject("Invoice.Line", at: ["Invoice.lines[]"], minimal: Invoice.Line(), full: Self.line),
        Subject(
            "Invoice.Charge",
            at: ["Invoice.charges[]", "Invoice.allowances[]"],
            minimal: Invoice.Charge(amount: 5),
            full: Self.charge
        ),
        Subject("Invoice.Tax", at: ["Invoice.taxes[]"], minimal: Invoice.Tax(type: "VAT"), full: Self.tax),
        Subject("Invoice.Totals", at: ["Invoice.totals"], minimal: Invoice.Totals(), full: Self.totals),
        Subject(
            "AcknowledgmentReceived",
            minimal: AcknowledgmentReceived(metadata: Self.metadata, acknowledgment: "997", results: []),
            full: AcknowledgmentReceived(metadata: Self.metadata, acknowledgment: "997", results: [Self.result])
        ),
        Subject(
            "AcknowledgmentReceived.Result",
            at: ["AcknowledgmentReceived.results[]"],
            minimal: AcknowledgmentReceived.Result(level: .group, controlNumber: "1", outcome: .accepted),
            full: Self.result
        ),
        Subject(
            "AcknowledgmentReceived.ErrorDetail",
            at: ["AcknowledgmentReceived.Result.errors[]"],
            minimal: AcknowledgmentReceived.ErrorDetail(code: "8"),
            full: Self.errorDetail
        ),
    ]

    /// The shapes the tables give `name`: the event's own, or the one at each of its placements.
    static func shapes(of name: String) throws -> [EventShape] {
        if let event = EventShape.event(name) { return [event] }
        let subject = try #require(Self.subjects.first { $0.name == name }, "no subject \(name)")
        var shapes: [EventShape] = []
        for placement in subject.placements {
            let dot = try #require(placement.lastIndex(of: "."))
            var member = String(placement[placement.index(after: dot)...])
            let isElement = member.hasSuffix("[]")
            if isElement { member.removeLast(2) }
            // At every placement of the parent too, so a shape reached only through one of them is checked.
            for parent in try Self.shapes(of: String(placement[..<dot])) {
                var kind = try #require(parent.members.first { $0.name == member }?.kind, "no member \(placement)")
                if isElement {
                    guard case .array(let element) = kind else { throw ShapeMismatch(placement) }
                    kind = element
                }
                guard case .object(let shape) = kind else { throw ShapeMismatch(placement) }
                shapes.append(shape)
            }
        }
        return shapes
    }

    /// A placement that names a member which is not an object, or an array of them.
    struct ShapeMismatch: Error {
        let placement: String
        init(_ placement: String) { self.placement = placement }
    }

    /// The members of an object, or nil for anything else.
    static func members(_ value: JSONValue) -> [(String, JSONValue)]? {
        guard case .object(let members) = value else { return nil }
        return members
    }

    /// Whether `value` is of `kind`, nested objects and array elements included: an object's members in the
    /// shape's order, none it does not name, every member that is not `.optional` present.
    static func matches(_ value: JSONValue, _ kind: EventShape.Kind) -> Bool {
        switch (kind, value) {
        case (.string, .string): return true
        case (.schema, .string(let name)): return CanonicalEvent.schemas.contains(name)
        case (.timestamp, .string(let text)): return Timestamp(text) != nil
        case (.choice(let names), .string(let name)): return names.contains(name)
        case (.decimal, .number(let text)): return Decimal(string: text) != nil
        case (.integer, .number(let text)): return Int(text) != nil
        case (.metadata, _): return (try? EventDecoder.decode(EventMetadata.self, from: value)) != nil
        case (.array(let element), .array(let elements)): return elements.allSatisfy { Self.matches($0, element) }
        case (.object(let shape), .object(let members)):
            var remaining = shape.members[...]
            for (name, member) in members {
                // Members left out before this one must be optional; this one must follow them.
                while let next = remaining.first, next.name != name {
                    guard next.presence == .optional else { return false }
                    remaining.removeFirst()
                }
                guard let next = remaining.popFirst(), Self.matches(member, next.kind) else { return false }
            }
            return remaining.allSatisfy { $0.presence == .optional }
        default: return false
        }
    }

    /// `members` with `name` left out, or its value replaced.
    static func replacing(_ name: String, with value: JSONValue?, in members: [(String, JSONValue)]) -> JSONValue {
        .object(members.compactMap { $0.0 == name ? value.map { (name, $0) } : $0 })
    }

    /// What an `.empty` member decodes to when absent, as encoding writes it.
    static func emptyValue(_ kind: EventShape.Kind) -> JSONValue? {
        switch kind {
        case .array: .array([])
        case .object(let shape) where shape.members.allSatisfy({ $0.presence == .optional }): .object([])
        default: nil
        }
    }

    /// Values a member of `kind` decodes and is written back as given, and values its decoding rejects.
    static func probes(_ kind: EventShape.Kind) -> (accepted: [JSONValue], rejected: [JSONValue]) {
        switch kind {
        case .string: return ([.string("\u{1}é\"/")], [.number("1"), .bool(true)])
        case .decimal:
            let digits39 = String(repeating: "123456789", count: 4) + "123"
            return ([.number("-0.5"), .number("12345678901234567.891")], [.string("1"), .number(digits39)])
        case .integer: return ([.number("-7")], [.number("0.5"), .number("1e2"), .string("7")])
        case .timestamp: return ([.string("2026-11-23T12:00:00-05:00")], [.string("2026-13-01"), .number("1")])
        case .choice(let names): return (names.map { .string($0) }, [.string("unknown"), .number("1")])
        // Any string reads as a typed event's schema; `CanonicalEvent` tells them apart (eventsAreNamedAsMapsNameThem).
        case .schema: return ([], [.number("1")])
        case .metadata, .object: return ([], [.string("x"), .array([])])
        case .array(let element):
            let (accepted, rejected) = Self.probes(element)
            return (accepted.map { .array([$0]) }, rejected.map { .array([$0]) } + [.object([]), .string("x")])
        }
    }

    @Test(arguments: Self.subjects)
    func minimalInstanceWritesRequiredAndEmptyMembers(subject: Subject) throws {
        let value = try EventEncoder.encode(subject.minimal)
        let members = try #require(Self.members(value))
        for shape in try Self.shapes(of: subject.name) {
            #expect(members.map(\.0) == shape.members.filter { $0.presence != .optional }.map(\.name))
            #expect(Self.matches(value, .object(shape)))
            for member in shape.members where member.presence == .empty {
                #expect(value[member.name] == Self.emptyValue(member.kind), "\(member.name)")
            }
        }
    }

    @Test(arguments: Self.subjects)
    func fullInstanceWritesEveryMemberOfItsKind(subject: Subject) throws {
        let value = try EventEncoder.encode(subject.full)
        let members = try #require(Self.members(value))
        for shape in try Self.shapes(of: subject.name) {
            #expect(members.map(\.0) == shape.members.map(\.name))
            for (member, (_, written)) in zip(shape.members, members) {
                #expect(Self.matches(written, member.kind), "\(member.name)")
                if case .array(let elements) = written {
                    #expect(!elements.isEmpty, "\(member.name) has an element whose kind is checked")
                }
            }
        }
    }

    @Test(arguments: Self.subjects)
    func missingOrNullMembersDecodeAsThePresenceSays(subject: Subject) throws {
        let full = try EventEncoder.encode(subject.full)
        let members = try #require(Self.members(full))
        #expect(try subject.roundTrip(full) == full)
        for shape in try Self.shapes(of: subject.name) {
            for member in shape.members {
                let missing = Self.replacing(member.name, with: nil, in: members)
                let null = Self.replacing(member.name, with: .null, in: members)
                switch member.presence {
                case .required:
                    let error = try #require(throws: DecodingError.self) { try subject.roundTrip(missing) }
                    guard case .keyNotFound(let key, _) = error else {
                        Issue.record("expected keyNotFound for \(member.name), found \(error)")
                        continue
                    }
                    #expect(key.stringValue == member.name)
                    #expect(throws: DecodingError.self, "\(member.name)") { try subject.roundTrip(null) }
                case .optional:
                    // Encoding leaves out only nil, so a member written back absent was decoded as nil.
                    #expect(try subject.roundTrip(missing) == missing, "\(member.name)")
                    #expect(try subject.roundTrip(null) == missing, "\(member.name)")
                case .empty:
                    let empty = Self.replacing(member.name, with: Self.emptyValue(member.kind), in: members)
                    #expect(Self.emptyValue(member.kind) != nil, "\(member.name)")
                    #expect(try subject.roundTrip(missing) == empty, "\(member.name)")
                    #expect(try subject.roundTrip(null) == empty, "\(member.name)")
                }
            }
        }
    }

    @Test(arguments: Self.subjects)
    func valuesOfTheMembersKindDecodeAndOthersFail(subject: Subject) throws {
        let members = try #require(Self.members(try EventEncoder.encode(subject.full)))
        for shape in try Self.shapes(of: subject.name) {
            for member in shape.members {
                let (accepted, rejected) = Self.probes(member.kind)
                for value in accepted {
                    let changed = Self.replacing(member.name, with: value, in: members)
                    #expect(try subject.roundTrip(changed) == changed, "\(member.name)")
                }
                for value in rejected {
                    let changed = Self.replacing(member.name, with: value, in: members)
                    #expect(throws: DecodingError.self, "\(member.name)") { try subject.roundTrip(changed) }
                }
            }
        }
    }

    /// Every object member of every subject's shape is a placement of exactly one subject, so no object type goes
    /// untested.
    @Test func everyObjectTypeIsASubject() throws {
        var objects: [String] = []
        for subject in Self.subjects {
            let shape = try #require(try Self.shapes(of: subject.name).first)
            for member in shape.members {
                switch member.kind {
                case .object: objects.append("\(subject.name).\(member.name)")
                case .array(.object): objects.append("\(subject.name).\(member.name)[]")
                default: break
                }
            }
        }
        let placements = Self.subjects.flatMap(\.placements)
        #expect(objects.sorted() == placements.sorted())
        #expect(Set(placements).count == placements.count)
    }

    @Test func eventsAreNamedAsMapsNameThem() throws {
        let events: [(String, EventShape, String)] = [
            ("ShipNotice", .shipNotice, ShipNotice.schema),
            ("ShipmentStatus", .shipmentStatus, ShipmentStatus.schema),
            ("Invoice", .invoice, Invoice.schema),
            ("AcknowledgmentReceived", .acknowledgmentReceived, AcknowledgmentReceived.schema),
        ]
        for (name, shape, schema) in events {
            let named = try #require(EventShape.event(name))
            #expect(named.members.map(\.name) == shape.members.map(\.name))
            let subject = try #require(Self.subjects.first { $0.name == name })
            let value = try EventEncoder.encode(subject.minimal)
            #expect(value["schema"] == .string(schema))
            #expect(try EventEncoder.encode(EventDecoder.decode(CanonicalEvent.self, from: value)) == value)
            let members = try #require(Self.members(value))
            let renamed = Self.replacing("schema", with: .string("edigate.Other.v1"), in: members)
            #expect(throws: DecodingError.self) { try EventDecoder.decode(CanonicalEvent.self, from: renamed) }
        }
        #expect(EventShape.event("PurchaseOrder") == nil)
        #expect(EventShape.event("shipNotice") == nil)
    }

    @Test func choicesAreTheEnumsRawValues() throws {
        func choices(_ shape: EventShape, _ name: String) throws -> [String] {
            let kind = try #require(shape.members.first { $0.name == name }?.kind)
            guard case .choice(let names) = kind else { throw ShapeMismatch(name) }
            return names
        }
        let event = try #require(try Self.shapes(of: "ShipmentStatus.StatusEvent").first)
        let result = try #require(try Self.shapes(of: "AcknowledgmentReceived.Result").first)
        #expect(try choices(event, "milestone") == Milestone.allCases.map(\.rawValue))
        #expect(try choices(.invoice, "documentType") == Invoice.DocumentType.allCases.map(\.rawValue))
        // Not CaseIterable: the cases in declaration order.
        let kinds: [Invoice.Kind] = [.commercial, .freight]
        let levels: [AcknowledgmentReceived.Level] = [.interchange, .group, .transaction]
        let outcomes: [AcknowledgmentReceived.Outcome] = [
            .accepted, .acceptedWithErrors, .partiallyAccepted, .rejected, .received,
        ]
        #expect(try choices(.invoice, "kind") == kinds.map(\.rawValue))
        #expect(try choices(result, "level") == levels.map(\.rawValue))
        #expect(try choices(result, "outcome") == outcomes.map(\.rawValue))
    }
}

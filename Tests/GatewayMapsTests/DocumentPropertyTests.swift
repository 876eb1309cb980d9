import EDICore
import EDISchema
import EDITesting
import Foundation
import GatewayEvents
import GatewayMaps
import PropertyBased
import Testing

/// Canonical to EDI to canonical is the identity for random ship notices (X12 004010 856, EDIFACT D96A DESADV) and
/// invoices (X12 004010 810, EDIFACT D96A INVOIC) within what their maps express, and every rendered document
/// validates against its grammar. The generators keep to what the documents require (BSN dates and times, N1
/// names, IT1 quantity, unit and price together, SAC codes, an INVOIC total, MOA+79 the sum of the lines) and to
/// values the maps write back exactly (fixed-zone offsets, whole minutes, two decimals for N2).
struct DocumentPropertyTests {
    typealias G = SeededGenerator

    static func text(_ g: inout G, _ length: ClosedRange<Int>, letters: Bool = false) -> String {
        EventPropertyTests.text(&g, length, letters: letters)
    }

    static func digits(_ g: inout G, _ count: Int) -> String {
        String((0..<count).map { _ in "0123456789".randomElement(using: &g)! })
    }

    static func pick<T>(_ g: inout G, _ values: [T]) -> T { values.randomElement(using: &g)! }

    static func optional<T>(_ g: inout G, _ make: (inout G) -> T) -> T? { EventPropertyTests.optional(&g, make) }

    /// A day of 2026 and a time of whole minutes.
    static func date(_ g: inout G) -> String {
        "2026" + String(format: "%02d%02d", Int.random(in: 1...12, using: &g), Int.random(in: 1...28, using: &g))
    }

    static func time(_ g: inout G) -> String {
        String(format: "%02d%02d", Int.random(in: 0...23, using: &g), Int.random(in: 0...59, using: &g))
    }

    /// A decimal with at most `places` decimal places, never negative.
    static func decimal(_ g: inout G, places: Int, upTo: Int = 99_999) -> Decimal {
        let whole = Int.random(in: 0...upTo, using: &g)
        guard places > 0, Bool.random(using: &g) else { return Decimal(whole) }
        let fraction = Int.random(in: 1...(places == 1 ? 9 : 99), using: &g)
        return Decimal(string: "\(whole).\(places == 1 ? String(fraction) : String(format: "%02d", fraction))")!
    }

    static func party(_ g: inout G, role: String) -> Party {
        Party(
            role: role,
            name: Self.text(&g, 1...30),
            identifier: Self.optional(&g) {
                Reference(qualifier: Self.pick(&$0, ["92", "1", "UL"]), value: Self.text(&$0, 2...15))
            },
            address: Self.optional(&g) { g in
                Address(
                    lines: (0..<Int.random(in: 0...2, using: &g)).map { _ in Self.text(&g, 1...30) },
                    city: Self.text(&g, 2...20, letters: true),
                    region: Self.text(&g, 2...2, letters: true),
                    postalCode: Self.digits(&g, 5),
                    country: "US"
                )
            }
        )
    }

    static func metadata(_ document: String) -> EventMetadata {
        EventMetadata(
            eventId: "e",
            idempotencyKey: "k",
            correlationId: "c",
            partner: "p",
            standard: "X12",
            version: "004010",
            document: document,
            interchangeControlNumber: "1",
            transactionControlNumber: "1"
        )
    }

    static func productIdentifiers(_ g: inout G) -> [ProductIdentifier] {
        Array(["UP", "VP", "BP", "IN"].shuffled(using: &g).prefix(Int.random(in: 1...3, using: &g))).map {
            ProductIdentifier(qualifier: $0, value: Self.text(&g, 1...20))
        }
    }

    /// A random ship notice: orders with packs of items or items alone (S-O-P-I, S-O-I).
    static func shipNotice(seed: UInt64) -> ShipNotice {
        var g = G(seed: seed)
        func item(_ g: inout G) -> ShipNotice.Item {
            ShipNotice.Item(
                lineNumber: Self.optional(&g) { Self.digits(&$0, Int.random(in: 1...4, using: &$0)) },
                productIdentifiers: Self.productIdentifiers(&g),
                quantity: Measure(
                    value: Self.decimal(&g, places: 1, upTo: 9_999),
                    unit: Self.pick(&g, ["EA", "CA", "PK"])
                ),
                description: Self.optional(&g) { Self.text(&$0, 1...40) }
            )
        }
        func items(_ g: inout G) -> [ShipNotice.Item] { (0..<Int.random(in: 1...3, using: &g)).map { _ in item(&g) } }
        let orders = (0..<Int.random(in: 1...3, using: &g)).map { _ -> ShipNotice.Order in
            let purchaseOrder = Self.optional(&g) { Self.text(&$0, 1...22) }
            let orderDate = purchaseOrder == nil ? nil : Self.optional(&g) { Timestamp(date: Self.date(&$0)) }
            if Bool.random(using: &g) {
                return ShipNotice.Order(purchaseOrder: purchaseOrder, orderDate: orderDate ?? nil, items: items(&g))
            }
            let packs = (0..<Int.random(in: 1...3, using: &g)).map { _ in
                ShipNotice.Pack(
                    marks: Self.optional(&g) { Reference(qualifier: "GM", value: Self.digits(&$0, 18)) },
                    items: items(&g)
                )
            }
            return ShipNotice.Order(purchaseOrder: purchaseOrder, orderDate: orderDate ?? nil, packs: packs)
        }
        func moment(_ g: inout G) -> Timestamp? {
            let date = Self.date(&g)
            guard Bool.random(using: &g) else { return Timestamp(date: date) }
            return Timestamp(
                date: date,
                time: Self.time(&g),
                utcOffsetMinutes: Self.pick(&g, [nil, -300, -360, -240, 0])
            )
        }
        let shipment = ShipNotice.Shipment(
            identifier: Self.text(&g, 2...30),
            purpose: Self.pick(&g, ["00", "06"]),
            issuedAt: Timestamp(date: Self.date(&g), time: Self.time(&g)),
            shippedAt: Self.optional(&g) { moment(&$0) } ?? nil,
            expectedAt: Self.optional(&g) { moment(&$0) } ?? nil,
            carrier: Self.optional(&g) {
                ShipNotice.Carrier(
                    scac: Self.text(&$0, 2...4, letters: true),
                    name: Self.optional(&$0) { Self.text(&$0, 1...35) },
                    transportMethod: Self.optional(&$0) { Self.pick(&$0, ["M", "A", "LT"]) }
                )
            },
            billOfLading: Self.optional(&g) { Self.text(&$0, 1...30) },
            proNumber: Self.optional(&g) { Self.text(&$0, 1...30) },
            trackingNumbers: (0..<Int.random(in: 0...2, using: &g)).map { _ in Self.text(&g, 1...30) },
            grossWeight: Self.optional(&g) {
                Measure(value: Self.decimal(&$0, places: 1), unit: Self.pick(&$0, ["LB", "KG"]))
            },
            packageCount: Self.optional(&g) { Decimal(Int.random(in: 1...9_999, using: &$0)) },
            shipFrom: Self.optional(&g) { Self.party(&$0, role: "SF") },
            shipTo: Self.optional(&g) { Self.party(&$0, role: "ST") }
        )
        return ShipNotice(metadata: Self.metadata("856"), shipment: shipment, orders: orders)
    }

    /// A random commercial invoice of the kind an 810 carries.
    static func invoice(seed: UInt64) -> Invoice {
        var g = G(seed: seed)
        let (type, code): (Invoice.DocumentType?, String?) = Self.pick(
            &g,
            [
                (nil, nil), (.invoice, "DI"), (.creditNote, "CR"), (.creditNote, "CN"), (.debitNote, "DR"),
                (.other, "DC"),
            ]
        )
        let lines = (0..<Int.random(in: 1...4, using: &g)).map { _ in
            Invoice.Line(
                lineNumber: Self.optional(&g) { Self.digits(&$0, Int.random(in: 1...3, using: &$0)) },
                productIdentifiers: Self.productIdentifiers(&g),
                description: Self.optional(&g) { Self.text(&$0, 1...40) },
                // IT102, IT103 and IT104 come together (P020304).
                quantity: Measure(value: Self.decimal(&g, places: 1, upTo: 9_999), unit: Self.pick(&g, ["EA", "CA"])),
                unitPrice: Self.decimal(&g, places: 2, upTo: 9_999)
            )
        }
        func charge(_ g: inout G, codes: [String]) -> Invoice.Charge {
            Invoice.Charge(
                code: Self.pick(&g, codes),
                description: Self.optional(&g) { Self.text(&$0, 1...40) },
                amount: Self.decimal(&g, places: 2)
            )
        }
        return Invoice(
            metadata: Self.metadata("810"),
            kind: .commercial,
            documentType: type,
            documentCode: code,
            number: Self.text(&g, 1...22),
            date: Timestamp(date: Self.date(&g)),
            currency: Self.optional(&g) { Self.pick(&$0, ["USD", "CAD", "EUR"]) },
            terms: Self.optional(&g) {
                Invoice.Terms(
                    code: Self.pick(&$0, ["01", "05", "08"]),
                    discountPercent: Decimal(Int.random(in: 1...5, using: &$0)),
                    discountDays: Int.random(in: 1...30, using: &$0),
                    netDays: Int.random(in: 30...90, using: &$0)
                )
            },
            purchaseOrder: Self.optional(&g) { Self.text(&$0, 1...22) },
            billOfLading: Self.optional(&g) { Self.text(&$0, 1...30) },
            references: (0..<Int.random(in: 0...2, using: &g)).map { _ in
                Reference(qualifier: Self.pick(&g, ["IA", "DP", "VN"]), value: Self.text(&g, 1...30))
            },
            parties: (0..<Int.random(in: 0...3, using: &g)).map { _ in
                Self.party(&g, role: Self.pick(&g, ["RI", "BT", "ST", "SF"]))
            },
            lines: lines,
            charges: (0..<Int.random(in: 0...2, using: &g)).map { _ in charge(&g, codes: ["D240", "G830"]) },
            allowances: (0..<Int.random(in: 0...2, using: &g)).map { _ in charge(&g, codes: ["C310", "A260"]) },
            taxes: (0..<Int.random(in: 0...2, using: &g)).map { _ in
                Invoice.Tax(
                    type: Self.pick(&g, ["ST", "CA"]),
                    ratePercent: Self.optional(&g) { Decimal(Int.random(in: 1...20, using: &$0)) },
                    amount: Self.decimal(&g, places: 2)
                )
            },
            totals: Invoice.Totals(invoice: Self.decimal(&g, places: 2, upTo: 999_999))
        )
    }

    /// An EDIFACT party: one street line, no region (NAD holds neither more nor a region the maps read).
    static func edifactParty(_ g: inout G, role: String) -> Party {
        Party(
            role: role,
            name: Self.optional(&g) { Self.text(&$0, 1...35) },
            identifier: Reference(qualifier: Self.pick(&g, ["9", "92"]), value: Self.digits(&g, 13)),
            address: Self.optional(&g) { g in
                Address(
                    lines: Bool.random(using: &g) ? [Self.text(&g, 1...35)] : [],
                    city: Self.text(&g, 2...20, letters: true),
                    postalCode: Self.digits(&g, 5),
                    country: Self.pick(&g, ["DE", "NL", "FR"])
                )
            }
        )
    }

    /// A timestamp as an EDIFACT DTM writes it: a date, or a date and time of whole minutes with or without an
    /// offset of whole hours.
    static func edifactMoment(_ g: inout G) -> Timestamp? {
        let date = Self.date(&g)
        guard Bool.random(using: &g) else { return Timestamp(date: date) }
        return Timestamp(date: date, time: Self.time(&g), utcOffsetMinutes: Self.pick(&g, [nil, 60, 120]))
    }

    static func edifactMetadata(_ document: String) -> EventMetadata {
        var metadata = Self.metadata(document)
        metadata.standard = "EDIFACT"
        metadata.version = "D96A"
        return metadata
    }

    /// A random despatch advice: one order whose packs (CPS levels under the consignment) hold the items.
    static func despatchAdvice(seed: UInt64) -> ShipNotice {
        var g = G(seed: seed)
        let packs = (0..<Int.random(in: 1...4, using: &g)).map { _ in
            ShipNotice.Pack(
                marks: Self.optional(&g) { Reference(qualifier: "BJ", value: Self.digits(&$0, 18)) },
                items: (0..<Int.random(in: 1...3, using: &g)).map { _ in
                    ShipNotice.Item(
                        lineNumber: Self.digits(&g, Int.random(in: 1...4, using: &g)),
                        productIdentifiers: [ProductIdentifier(qualifier: "EN", value: Self.digits(&g, 13))]
                            + (Bool.random(using: &g)
                                ? [ProductIdentifier(qualifier: "SA", value: Self.text(&g, 1...20))] : []),
                        quantity: Measure(value: Self.decimal(&g, places: 1, upTo: 9_999), unit: "PCE")
                    )
                }
            )
        }
        let shipment = ShipNotice.Shipment(
            identifier: Self.text(&g, 1...35),
            purpose: "9",
            issuedAt: Self.edifactMoment(&g),
            shippedAt: Self.optional(&g) { Self.edifactMoment(&$0) } ?? nil,
            expectedAt: Self.optional(&g) { Self.edifactMoment(&$0) } ?? nil,
            carrier: Self.optional(&g) {
                ShipNotice.Carrier(name: Self.text(&$0, 1...35), transportMethod: Self.pick(&$0, ["30", "10", "40"]))
            },
            billOfLading: Self.optional(&g) { Self.text(&$0, 1...35) },
            packageCount: Self.optional(&g) { Decimal(Int.random(in: 1...999, using: &$0)) },
            shipFrom: Self.optional(&g) { Self.edifactParty(&$0, role: "SU") },
            shipTo: Self.optional(&g) { Self.edifactParty(&$0, role: "DP") },
            parties: (0..<Int.random(in: 0...2, using: &g)).map { _ in
                Self.edifactParty(&g, role: Self.pick(&g, ["BY", "CA", "ST"]))
            }
        )
        let purchaseOrder = Self.optional(&g) { Self.text(&$0, 1...35) }
        let order = ShipNotice.Order(
            purchaseOrder: purchaseOrder,
            orderDate: purchaseOrder == nil ? nil : Self.optional(&g) { Timestamp(date: Self.date(&$0)) } ?? nil,
            packs: packs
        )
        return ShipNotice(metadata: Self.edifactMetadata("DESADV"), shipment: shipment, orders: [order])
    }

    /// A random EDIFACT invoice; MOA+79 is the sum of the lines' MOA+203, as the grammar checks.
    static func edifactInvoice(seed: UInt64) -> Invoice {
        var g = G(seed: seed)
        let (type, code): (Invoice.DocumentType?, String?) = Self.pick(
            &g,
            [(.invoice, "380"), (.creditNote, "381"), (.debitNote, "383"), (.correctedInvoice, "384"), (.other, "393")]
        )
        let priced = Bool.random(using: &g)
        let lines = (0..<Int.random(in: 1...4, using: &g)).map { _ in
            Invoice.Line(
                lineNumber: Self.digits(&g, Int.random(in: 1...4, using: &g)),
                productIdentifiers: [ProductIdentifier(qualifier: "EN", value: Self.digits(&g, 13))]
                    + (Bool.random(using: &g)
                        ? [ProductIdentifier(qualifier: "SA", value: Self.text(&g, 1...20))] : []),
                description: Self.optional(&g) { Self.text(&$0, 1...35) },
                quantity: Self.optional(&g) { Measure(value: Self.decimal(&$0, places: 1, upTo: 9_999), unit: "PCE") },
                unitPrice: Self.optional(&g) { Self.decimal(&$0, places: 2, upTo: 9_999) },
                amount: priced ? Self.decimal(&g, places: 2) : nil
            )
        }
        let lineItems = priced ? lines.compactMap(\.amount).reduce(0, +) : nil
        func charge(_ g: inout G, codes: [String]) -> Invoice.Charge {
            Invoice.Charge(code: Self.pick(&g, codes), amount: Self.decimal(&g, places: 2))
        }
        return Invoice(
            metadata: Self.edifactMetadata("INVOIC"),
            kind: .commercial,
            documentType: type,
            documentCode: code,
            number: Self.text(&g, 1...35),
            date: Self.edifactMoment(&g),
            currency: Self.optional(&g) { Self.pick(&$0, ["EUR", "USD", "GBP"]) },
            terms: Self.optional(&g) {
                Invoice.Terms(code: Self.pick(&$0, ["1", "3"]), netDays: Int.random(in: 10...90, using: &$0))
            },
            purchaseOrder: Self.optional(&g) { Self.text(&$0, 1...35) },
            billOfLading: Self.optional(&g) { Self.text(&$0, 1...35) },
            parties: (0..<Int.random(in: 0...3, using: &g)).map { _ in
                Self.edifactParty(&g, role: Self.pick(&g, ["BY", "SU", "IV", "DP"]))
            },
            lines: lines,
            charges: (0..<Int.random(in: 0...2, using: &g)).map { _ in charge(&g, codes: ["FC", "PC"]) },
            allowances: (0..<Int.random(in: 0...2, using: &g)).map { _ in charge(&g, codes: ["DI", "TD"]) },
            taxes: (0..<Int.random(in: 0...2, using: &g)).map { _ in
                Invoice.Tax(
                    type: "VAT",
                    ratePercent: Decimal(Self.pick(&g, [7, 19, 21])),
                    amount: Self.optional(&g) { Self.decimal(&$0, places: 2) }
                )
            },
            totals: Invoice.Totals(
                lineItems: lineItems,
                tax: Self.optional(&g) { Self.decimal(&$0, places: 2) },
                // SG48 is mandatory: the invoice total is always there.
                invoice: Self.decimal(&g, places: 2, upTo: 999_999)
            )
        )
    }

    static func survives(_ make: @escaping @Sendable (UInt64) -> CanonicalEvent, map mapPath: String) async throws {
        let grammarPath = mapPath.replacing(".map", with: ".grammar")
        let map = try MapLoader.load(path: TranslatorTests.maps + "/" + mapPath)
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/" + grammarPath)
        await propertyCheck(count: 150, input: Gen.uint64(in: 0 ... .max)) { seed in
            let event = make(seed)
            do {
                let (bytes, findings) = try RoundTripTests.render(event, map: map, grammar: grammar)
                #expect(
                    findings.isEmpty,
                    "seed \(seed): \(findings.map(\.description))\n\(String(decoding: bytes, as: UTF8.self))"
                )
                let again = try TranslatorTests.translate(bytes, map: mapPath, grammar: grammarPath)
                #expect(try RoundTripTests.content(again) == RoundTripTests.content(event), "seed \(seed)")
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    @Test func shipNoticeSurvivesRenderingAndReading() async throws {
        try await Self.survives({ .shipNotice(Self.shipNotice(seed: $0)) }, map: "X12/004010/856.map")
    }

    @Test func invoiceSurvivesRenderingAndReading() async throws {
        try await Self.survives({ .invoice(Self.invoice(seed: $0)) }, map: "X12/004010/810.map")
    }

    @Test func despatchAdviceSurvivesRenderingAndReading() async throws {
        try await Self.survives({ .shipNotice(Self.despatchAdvice(seed: $0)) }, map: "EDIFACT/D96A/DESADV.map")
    }

    @Test func edifactInvoiceSurvivesRenderingAndReading() async throws {
        try await Self.survives({ .invoice(Self.edifactInvoice(seed: $0)) }, map: "EDIFACT/D96A/INVOIC.map")
    }
}

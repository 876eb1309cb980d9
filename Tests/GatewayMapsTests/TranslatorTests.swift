import EDICore
import EDISchema
import Foundation
import GatewayEvents
import GatewayMaps
import Testing

@Suite("Translating transactions into events")
struct TranslatorTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let maps = root.appendingPathComponent("Maps").path

    /// The first transaction of `bytes` with its interchange control number.
    static func transaction(_ bytes: [UInt8]) throws -> (Transaction, String) {
        let interchange = try #require(try EDIParser.parse(bytes).first)
        return (try #require(interchange.transactions.first), interchange.header.controlNumber ?? "")
    }

    static func translate(_ bytes: [UInt8], map: String, grammar: String) throws -> CanonicalEvent {
        let (transaction, control) = try Self.transaction(bytes)
        let translator = Translator(
            map: try MapLoader.load(path: Self.maps + "/" + map),
            grammar: try GrammarLoader.load(path: Self.maps + "/Grammars/" + grammar)
        )
        return try translator.translate(
            transaction,
            context: TranslationContext(
                partner: "cpfs",
                interchangeControlNumber: control,
                eventID: { "event-1" },
                vocabulary: MilestoneVocabulary(path: Self.maps + "/Vocabulary/milestones.tsv")
            )
        )
    }

    static func sample(_ path: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: Self.root.appendingPathComponent("Samples/" + path)))
    }

    @Test func carrierStatusBecomesAnEventWithProvenance() throws {
        let bytes = try Self.sample("x12/004010/214-shipment-status.edi")
        guard
            case .shipmentStatus(let status) = try Self.translate(
                bytes,
                map: "X12/004010/214.map",
                grammar: "X12/004010/214.grammar"
            )
        else {
            Issue.record("expected a ShipmentStatus")
            return
        }
        #expect(status.shipment.identifier == "55312080")
        #expect(status.shipment.scac == "CPFS")
        #expect(status.shipment.billOfLading == "55312080")
        #expect(status.shipment.parties.map(\.role) == ["SH", "CN", "BT"])
        #expect(status.events.count == 5)
        // Canonical milestones from Maps/Vocabulary/milestones.tsv, the codes kept as sent.
        #expect(status.events.map(\.milestone) == [.arrived, .pickedUp, .inTransit, .arrived, .delivered])
        let first = try #require(status.events.first)
        #expect(first.code == "X3")
        #expect(first.codeList == "X12 1650")
        // 4 March 2026 is before US daylight saving time: Eastern time is UTC-5.
        #expect(first.at?.text == "2026-03-04T15:40:00-05:00")
        #expect(first.location == .init(city: "COLUMBUS", region: "OH", country: "US"))
        #expect(status.metadata.businessKey == "55312080")
        #expect(status.metadata.transactionControlNumber == "0001")
        // Provenance points at the bytes the value came from.
        let provenance = try #require(status.metadata.provenance["events[0].code"])
        #expect(provenance.reference == "AT701")
        #expect(provenance.segment == 15)
        #expect(String(decoding: bytes[provenance.byteStart..<provenance.byteEnd], as: UTF8.self) == "X3")
        let identifier = try #require(status.metadata.provenance["shipment.identifier"])
        #expect(identifier.reference == "B1002")
        #expect(String(decoding: bytes[identifier.byteStart..<identifier.byteEnd], as: UTF8.self) == "55312080")
    }

    @Test func edifactStatusReadsDateTimeFormats() throws {
        let bytes = try Self.sample("edifact/D96A/iftsta.edi")
        guard
            case .shipmentStatus(let status) = try Self.translate(
                bytes,
                map: "EDIFACT/D96A/IFTSTA.map",
                grammar: "EDIFACT/D96A/IFTSTA.grammar"
            )
        else {
            Issue.record("expected a ShipmentStatus")
            return
        }
        #expect(status.shipment.identifier == "WS-BL-26-004417")
        #expect(status.events.first?.code == "13")
        #expect(status.events.first?.milestone == .pickedUp)
        #expect(status.events.first?.codeList == "EDIFACT 9011")
        // DTM+334 format 203 (CCYYMMDDHHMM) gives no zone: none is invented.
        #expect(status.events.first?.at?.text == "2026-03-10T14:15:00")
        #expect(status.events.first?.location?.code == Reference(qualifier: "6", value: "DEDUI"))
    }

    /// The same transaction resent in another interchange keeps its idempotency key; any change makes a new one.
    @Test func idempotencyKeySurvivesAResend() throws {
        let original = try Self.sample("x12/004010/214-shipment-status.edi")
        let text = String(decoding: original, as: UTF8.self)
        let resent = Array(text.replacingOccurrences(of: "000061502", with: "000061999").utf8)
        let changed = Array(text.replacingOccurrences(of: "AT7*X3*NS", with: "AT7*X1*NS").utf8)
        func key(_ bytes: [UInt8]) throws -> String {
            try Self.translate(bytes, map: "X12/004010/214.map", grammar: "X12/004010/214.grammar").metadata
                .idempotencyKey
        }
        #expect(try key(original) == key(resent))
        #expect(try key(original) != key(changed))
        #expect(try key(original).count == 64)
    }

    @Test func missingMandatoryValueIsAnErrorNamingFieldAndReference() throws {
        let text = String(decoding: try Self.sample("x12/004010/214-shipment-status.edi"), as: UTF8.self)
        let bytes = Array(
            text.replacingOccurrences(of: "B10*0417729053*55312080*CPFS", with: "B10*0417729053**CPFS").utf8
        )
        #expect {
            _ = try Self.translate(bytes, map: "X12/004010/214.map", grammar: "X12/004010/214.grammar")
        } throws: { error in
            guard let error = error as? MappingError else { return false }
            return error.code == .missingValue && error.field == "shipment.identifier" && error.reference == "B1002"
                && error.line == 10 && error.location?.segmentNumber == 4
        }
    }

    @Test func invalidDateIsAnErrorWithoutTheValue() throws {
        let text = String(decoding: try Self.sample("x12/004010/214-shipment-status.edi"), as: UTF8.self)
        let bytes = Array(text.replacingOccurrences(of: "*20260304*1540*ET", with: "*20261340*1540*ET").utf8)
        #expect {
            _ = try Self.translate(bytes, map: "X12/004010/214.map", grammar: "X12/004010/214.grammar")
        } throws: { error in
            guard let error = error as? MappingError else { return false }
            return error.code == .invalidValue && error.reference == "AT705" && !error.description.contains("20261340")
        }
    }
}

@Suite("Translating ship notices")
struct ShipNoticeTranslationTests {
    /// The HL hierarchy gives orders, packs and items through HL02 naming the parent's HL01.
    /// The 004010 856 `bytes` translated by the standard map, which must give a ShipNotice.
    static func shipNotice(_ bytes: [UInt8]) throws -> ShipNotice {
        let event = try TranslatorTests.translate(bytes, map: "X12/004010/856.map", grammar: "X12/004010/856.grammar")
        var notice: ShipNotice?
        if case .shipNotice(let value) = event { notice = value }
        return try #require(notice, "expected a ShipNotice")
    }

    @Test func hierarchyOfTheX12ShipNotice() throws {
        let bytes = try TranslatorTests.sample("x12/004010/856-ship-notice.edi")
        let notice = try Self.shipNotice(bytes)
        #expect(notice.shipment.identifier == "HVG0304001")
        #expect(
            notice.shipment.carrier == .init(scac: "CPFS", name: "COPPERLINE FREIGHT SYSTEMS", transportMethod: "M")
        )
        #expect(notice.shipment.grossWeight == Measure(value: Decimal(string: "186.4")!, unit: "LB"))
        #expect(notice.shipment.packageCount == 5)
        #expect(notice.shipment.shippedAt?.text == "2026-03-04T17:12:00-05:00")
        #expect(notice.shipment.shipTo?.identifier == Reference(qualifier: "UL", value: "0751123004573"))
        #expect(notice.orders.map(\.purchaseOrder) == ["4500018822", "4500018907"])
        #expect(notice.orders.map { $0.packs.count } == [2, 3])
        let item = try #require(notice.orders.first?.packs.first?.items.first)
        #expect(item.quantity == Measure(value: 12, unit: "EA"))
        #expect(item.productIdentifiers.map(\.qualifier) == ["UP", "VP", "BP"])
        #expect(item.description == "CERAMIC BAKING DISH 3QT WHITE")
        let provenance = try #require(notice.metadata.provenance["orders[0].packs[0].items[0].quantity.value"])
        #expect(provenance.reference == "SN102")
        #expect(String(decoding: bytes[provenance.byteStart..<provenance.byteEnd], as: UTF8.self) == "12")
    }

    /// Duplicate HL numbers (the first order's block sent twice) still read each HL once: before, every copy of
    /// a parent took every child, and a repeated range of a few hundred kilobytes grew the event to gigabytes.
    @Test func duplicateHierarchyNumbersReadEachLevelOnce() throws {
        let text = String(decoding: try TranslatorTests.sample("x12/004010/856-ship-notice.edi"), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let first = try #require(lines.firstIndex { $0.hasPrefix("HL*2*1*O") })
        let second = try #require(lines.firstIndex { $0.hasPrefix("HL*8*1*O") })
        let doubled = lines[..<second] + lines[first..<second] + lines[second...]
        let notice = try Self.shipNotice(Array(doubled.joined(separator: "\n").utf8))
        let packs = doubled.filter { $0.hasPrefix("HL*") && $0.contains("*P*") }.count
        let items = doubled.filter { $0.hasPrefix("HL*") && $0.contains("*I*") }.count
        #expect(notice.orders.count == 3)
        #expect(notice.orders.map(\.packs.count).reduce(0, +) == packs)
        #expect(notice.orders.flatMap(\.packs).map(\.items.count).reduce(0, +) == items)
    }

    /// The sample 856 with its lines edited: `edits` replaces whole lines, `inserts` puts lines before a line.
    static func edited(_ edits: [String: String] = [:], inserting inserts: [String: [String]] = [:]) throws -> [UInt8] {
        let text = String(decoding: try TranslatorTests.sample("x12/004010/856-ship-notice.edi"), as: UTF8.self)
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            lines += inserts[line] ?? []
            lines.append(edits[line] ?? line)
        }
        return Array(lines.joined(separator: "\n").utf8)
    }

    /// Levels the map does not read pass their children through: packs on a tare (S-O-T-P-I) are the order's,
    /// items in a subpack (S-O-P-Q-I) the pack's.
    @Test func tareAndSubpackLevelsPassTheirChildrenThrough() throws {
        let plain = try Self.shipNotice(try Self.edited())
        let tare = try Self.shipNotice(
            try Self.edited(
                ["HL*3*2*P*1~": "HL*3*16*P*1~", "HL*6*2*P*1~": "HL*6*16*P*1~"],
                inserting: ["HL*3*2*P*1~": ["HL*16*2*T*1~"]]
            )
        )
        #expect(tare.orders == plain.orders)
        let subpack = try Self.shipNotice(
            try Self.edited(
                ["HL*4*3*I*0~": "HL*4*17*I*0~", "HL*5*3*I*0~": "HL*5*17*I*0~"],
                inserting: ["HL*4*3*I*0~": ["HL*17*3*Q*1~"]]
            )
        )
        #expect(subpack.orders == plain.orders)
        #expect(subpack.orders[0].packs[0].items.count == 2)
    }

    /// A level nothing reads is an error naming where it is, never lost in silence: a pack under an item
    /// (S-O-I-P), packs and items without an order (S-P-I), an HL naming a parent that is not there, a pack in a
    /// pack.
    @Test func aLevelNothingReadsIsAnError() throws {
        for (name, bytes) in [
            ("S-O-I-P", try Self.edited(inserting: ["HL*5*3*I*0~": ["HL*16*4*P*0~"]])),
            ("S-P-I", try Self.edited(["HL*2*1*O*1~": "HL*2*1*P*1~"])),
            ("missing parent", try Self.edited(["HL*7*6*I*0~": "HL*7*99*I*0~"])),
            // A pack in a pack: the inner one is a level the map reads (as a pack), so it is not passed through.
            (
                "S-O-P-P-I",
                try Self.edited(["HL*4*3*I*0~": "HL*4*16*I*0~"], inserting: ["HL*4*3*I*0~": ["HL*16*3*P*1~"]])
            ),
        ] {
            let error = #expect(throws: MappingError.self, "\(name)") { try Self.shipNotice(bytes) }
            #expect(error?.code == .unreadLevel, "\(name)")
            #expect(error?.description.contains("hierarchy loop HL") == true, "\(name)")
            #expect(error?.location != nil, "\(name)")
        }
    }

    /// `deep`: a DESADV's cartons on pallets are packs as well as the cartons directly under the consignment.
    @Test func packsOnPalletsOfTheDespatchAdvice() throws {
        let text = String(decoding: try TranslatorTests.sample("edifact/D96A/desadv.edi"), as: UTF8.self)
        let nested = text.replacing("CPS+3+1'", with: "CPS+3+2'").replacing("CPS+4+1'", with: "CPS+4+3'")
        guard
            case .shipNotice(let notice) = try TranslatorTests.translate(
                Array(nested.utf8),
                map: "EDIFACT/D96A/DESADV.map",
                grammar: "EDIFACT/D96A/DESADV.grammar"
            )
        else {
            Issue.record("expected a ShipNotice")
            return
        }
        let packs = try #require(notice.orders.first?.packs)
        #expect(packs.map { $0.marks?.value } == ["340683120000012019", "340683120000012026", "340683120000012033"])
        #expect(packs.map { $0.items.count } == [2, 1, 2])
    }

    /// The CPS hierarchy gives the packs, each with its SSCC and line items.
    @Test func packsOfTheDespatchAdvice() throws {
        let bytes = try TranslatorTests.sample("edifact/D96A/desadv.edi")
        guard
            case .shipNotice(let notice) = try TranslatorTests.translate(
                bytes,
                map: "EDIFACT/D96A/DESADV.map",
                grammar: "EDIFACT/D96A/DESADV.grammar"
            )
        else {
            Issue.record("expected a ShipNotice")
            return
        }
        #expect(notice.shipment.identifier == "DA-2026-031017")
        #expect(notice.shipment.packageCount == 3)
        #expect(notice.shipment.expectedAt?.text == "2026-03-11")
        #expect(notice.orders.first?.purchaseOrder == "HK-PO-889102")
        let packs = try #require(notice.orders.first?.packs)
        #expect(packs.map { $0.marks?.value } == ["340683120000012019", "340683120000012026", "340683120000012033"])
        #expect(packs.map { $0.items.count } == [2, 1, 2])
        #expect(
            packs[0].items[0].productIdentifiers == [
                ProductIdentifier(qualifier: "EN", value: "4068312100012"),
                ProductIdentifier(qualifier: "SA", value: "RW-TOPF-20"),
            ]
        )
    }
}

@Suite("Translating invoices")
struct InvoiceTranslationTests {
    static func invoice(_ sample: String, map: String, grammar: String) throws -> Invoice? {
        let bytes = try TranslatorTests.sample(sample)
        guard case .invoice(let invoice) = try TranslatorTests.translate(bytes, map: map, grammar: grammar) else {
            return nil
        }
        return invoice
    }

    /// X12 amounts with implied decimals (TDS01, SAC05 are N2) come out exact.
    @Test func commercialInvoiceWithImpliedDecimals() throws {
        let invoice = try #require(
            try Self.invoice("x12/004010/810-invoice.edi", map: "X12/004010/810.map", grammar: "X12/004010/810.grammar")
        )
        #expect(invoice.kind == .commercial)
        #expect(invoice.number == "HV260305118")
        #expect(invoice.totals.invoice == Decimal(string: "698.30"))
        #expect(invoice.charges == [.init(code: "D240", description: "FREIGHT", amount: 45)])
        #expect(invoice.allowances.first?.amount == 25)
        #expect(
            invoice.lines.map(\.unitPrice) == [
                Decimal(string: "18.75"), Decimal(string: "18.75"), Decimal(string: "14.20"),
            ]
        )
        #expect(invoice.terms == .init(code: "08", discountPercent: 2, discountDays: 10, netDays: 30))
    }

    @Test func freightInvoice() throws {
        let invoice = try #require(
            try Self.invoice(
                "x12/004010/210-freight-invoice.edi",
                map: "X12/004010/210.map",
                grammar: "X12/004010/210.grammar"
            )
        )
        #expect(invoice.kind == .freight)
        #expect(invoice.billOfLading == "55312080")
        #expect(invoice.currency == "USD")
        #expect(invoice.totals.invoice == Decimal(string: "149.74"))
        #expect(invoice.lines.map(\.amount) == [97, Decimal(string: "27.74"), 25])
    }

    /// Credit notes are told from invoices (BGM01 381, BIG07 CR), the code kept; rendering writes the code back,
    /// or the table's code for a type alone; a code the table does not name is `other`.
    @Test func creditNotesAreNotInvoices() throws {
        func invoice(_ sample: String, _ old: String, _ new: String, map: String) throws -> Invoice {
            let text = String(decoding: try TranslatorTests.sample(sample), as: UTF8.self).replacing(old, with: new)
            guard
                case .invoice(let invoice) = try TranslatorTests.translate(
                    Array(text.utf8),
                    map: map,
                    grammar: map.replacing(".map", with: ".grammar")
                )
            else {
                Issue.record("expected an Invoice")
                return try #require(nil as Invoice?)
            }
            return invoice
        }
        let edifact = ("edifact/D96A/invoic.edi", "EDIFACT/D96A/INVOIC.map")
        let plain = try invoice(edifact.0, "", "", map: edifact.1)
        #expect(plain.documentType == .invoice)
        #expect(plain.documentCode == "380")
        let credit = try invoice(edifact.0, "BGM+380+RW-INV-2026-00871", "BGM+381+RW-INV-2026-00871", map: edifact.1)
        #expect(credit.documentType == .creditNote)
        #expect(credit.documentCode == "381")
        let factored = try invoice(edifact.0, "BGM+380+RW-INV-2026-00871", "BGM+393+RW-INV-2026-00871", map: edifact.1)
        #expect(factored.documentType == .other)
        #expect(factored.documentCode == "393")
        let x12 = ("x12/004010/810-invoice.edi", "X12/004010/810.map")
        #expect(try invoice(x12.0, "", "", map: x12.1).documentType == nil)
        let memo = try invoice(x12.0, "*4500018822~", "*4500018822***CR~", map: x12.1)
        #expect(memo.documentType == .creditNote)
        #expect(memo.documentCode == "CR")

        let map = try MapLoader.load(path: TranslatorTests.maps + "/" + edifact.1)
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/EDIFACT/D96A/INVOIC.grammar")
        func bgm(_ invoice: Invoice) throws -> SegmentValue? {
            try Renderer(map: map, grammar: grammar).render(.invoice(invoice)).first { $0.tag == "BGM" }
        }
        #expect(try bgm(factored)?.elements.first?.text == "393")
        // A code the table gives another type, or a code of another standard, gives way to the table's code.
        var contradictory = credit
        contradictory.documentCode = "380"
        #expect(try bgm(contradictory)?.elements.first?.text == "381")
        let x12Map = try MapLoader.load(path: TranslatorTests.maps + "/" + x12.1)
        let x12Grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/X12/004010/810.grammar")
        let big = try Renderer(map: x12Map, grammar: x12Grammar).render(.invoice(credit)).first { $0.tag == "BIG" }
        #expect(big?.elements.count ?? 0 >= 7)
        #expect(big?.elements.dropFirst(6).first?.text == "CR")
        var typed = credit
        typed.documentCode = nil
        #expect(try bgm(typed)?.elements.first?.text == "381")
        typed.documentType = .other
        #expect(try bgm(typed)?.elements.first?.text == "")
        // A type the 810's table has no code for cannot be written as an 810.
        var corrected = memo
        corrected.documentType = .correctedInvoice
        corrected.documentCode = nil
        let renderer = Renderer(
            map: try MapLoader.load(path: TranslatorTests.maps + "/" + x12.1),
            grammar: try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/X12/004010/810.grammar")
        )
        let error = #expect(throws: MappingError.self) { try renderer.render(.invoice(corrected)) }
        #expect(error?.code == .invalidValue)
        #expect(error?.reference == "BIG07")
    }

    /// EDIFACT decimals as sent (`358.80`), sums as sent in MOA+79, taxes from the summary.
    @Test func edifactInvoice() throws {
        let invoice = try #require(
            try Self.invoice(
                "edifact/D96A/invoic.edi",
                map: "EDIFACT/D96A/INVOIC.map",
                grammar: "EDIFACT/D96A/INVOIC.grammar"
            )
        )
        #expect(invoice.currency == "EUR")
        #expect(invoice.totals.lineItems == 1994)
        #expect(invoice.lines.compactMap(\.amount).reduce(0, +) == invoice.totals.lineItems)
        #expect(invoice.taxes == [.init(type: "VAT", ratePercent: 19, amount: Decimal(string: "377.93"))])
        #expect(invoice.allowances == [.init(code: "TD", amount: Decimal(string: "39.88")!)])
    }
}

@Suite("Partner overrides of map rules")
struct MapOverrideTests {
    /// A carrier that puts the PRO number in L11 qualified CN instead of B1001: one rule redirected, the rest kept.
    @Test func overrideRedirectsOneField() throws {
        let map = try MapLoader.load(path: TranslatorTests.maps + "/X12/004010/214.map")
        let overridden = try map.overriding(
            field: "shipment.proNumber",
            reference: "L1101 where L1102 CN",
            source: "acme.yaml"
        )
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/X12/004010/214.grammar")
        let text = String(decoding: try TranslatorTests.sample("x12/004010/214-shipment-status.edi"), as: UTF8.self)
        let bytes = Array(text.replacingOccurrences(of: "L11*4500018822*PO", with: "L11*PRO-77*CN").utf8)
        let (transaction, control) = try TranslatorTests.transaction(bytes)
        let context = TranslationContext(partner: "acme", interchangeControlNumber: control, eventID: { "e" })
        guard
            case .shipmentStatus(let standard) = try Translator(map: map, grammar: grammar).translate(
                transaction,
                context: context
            ),
            case .shipmentStatus(let partner) = try Translator(map: overridden, grammar: grammar).translate(
                transaction,
                context: context
            )
        else {
            Issue.record("expected shipment statuses")
            return
        }
        #expect(standard.shipment.proNumber == "0417729053")
        #expect(partner.shipment.proNumber == "PRO-77")
        #expect(partner.metadata.provenance["shipment.proNumber"]?.reference == "L1101")
        // Everything else reads as before.
        #expect(partner.shipment.identifier == standard.shipment.identifier)
        #expect(partner.events == standard.events)
    }

    @Test func overrideOfAnUnknownFieldOrBadReferenceIsAnError() throws {
        let map = try MapLoader.load(path: TranslatorTests.maps + "/X12/004010/214.map")
        #expect(throws: MappingError.self) {
            try map.overriding(field: "shipment.nothing", reference: "L1101 where L1102 CN", source: "acme.yaml")
        }
        #expect(throws: MappingError.self) {
            try map.overriding(field: "shipment.proNumber", reference: "L11 where", source: "acme.yaml")
        }
        #expect(throws: MappingError.self) {
            try map.overriding(field: "events[].nothing", reference: "AT704", source: "acme.yaml")
        }
    }

    /// A field of every element of an array: a carrier that sends its status reasons in AT704.
    @Test func overrideOfAFieldInsideAnArray() throws {
        let map = try MapLoader.load(path: TranslatorTests.maps + "/X12/004010/214.map")
            .overriding(field: "events[].reason", reference: "AT704", source: "acme.yaml")
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/X12/004010/214.grammar")
        let text = String(decoding: try TranslatorTests.sample("x12/004010/214-shipment-status.edi"), as: UTF8.self)
            .replacingOccurrences(of: "AT7*X3*NS***", with: "AT7*X3*NS**B1*")
        let (transaction, control) = try TranslatorTests.transaction(Array(text.utf8))
        let context = TranslationContext(partner: "acme", interchangeControlNumber: control, eventID: { "e" })
        guard
            case .shipmentStatus(let status) = try Translator(map: map, grammar: grammar).translate(
                transaction,
                context: context
            )
        else {
            Issue.record("expected a ShipmentStatus")
            return
        }
        #expect(status.events.map(\.reason) == ["B1", nil, nil, nil, nil])
        #expect(status.metadata.provenance["events[0].reason"]?.reference == "AT704")
        #expect(status.events.map(\.code) == ["X3", "AF", "X6", "X1", "D1"])
        // The binding moved within each AT7 rule: rendering writes one AT7 per status, the reason in AT704.
        let statuses = try Renderer(map: map, grammar: grammar).render(.shipmentStatus(status)).filter {
            $0.tag == "AT7"
        }
        #expect(statuses.count == status.events.count)
        #expect(statuses.first?.elements.prefix(4) == ["X3", "", "", "B1"])
    }

    /// A status whose code list the map does not read (an IFTSTA's through the 214 map) is an error naming the
    /// lists the map takes, not an empty AT7.
    @Test func aCodeListTheMapDoesNotTakeIsAnError() throws {
        let event = try TranslatorTests.translate(
            try TranslatorTests.sample("edifact/D96A/iftsta.edi"),
            map: "EDIFACT/D96A/IFTSTA.map",
            grammar: "EDIFACT/D96A/IFTSTA.grammar"
        )
        let renderer = Renderer(
            map: try MapLoader.load(path: TranslatorTests.maps + "/X12/004010/214.map"),
            grammar: try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/X12/004010/214.grammar")
        )
        let error = #expect(throws: MappingError.self) { try renderer.render(event) }
        #expect(error?.code == .invalidValue)
        #expect(
            error?.description.contains("expected one of X12 1650, X12 1652") == true,
            "\(error.map { "\($0)" } ?? "")"
        )
    }
}

/// Findings of a review, each pinned: hostile zones, X12 time codes, zones no code names, leading zeros, a
/// composite where the map reads a simple value.
@Suite("Translation edge cases")
struct TranslationEdgeCaseTests {
    static func status(_ text: String) throws -> ShipmentStatus? {
        guard
            case .shipmentStatus(let status) = try TranslatorTests.translate(
                Array(text.utf8),
                map: "X12/004010/214.map",
                grammar: "X12/004010/214.grammar"
            )
        else { return nil }
        return status
    }

    static func sample(replacing old: String, with new: String) throws -> String {
        String(decoding: try TranslatorTests.sample("x12/004010/214-shipment-status.edi"), as: UTF8.self)
            .replacingOccurrences(of: old, with: new)
    }

    /// Element 623: AS is Alaska standard time (UTC-9), TD Atlantic daylight time (UTC-3).
    @Test func x12TimeCodesAreTheStandardsZones() throws {
        let alaska = try Self.status(try Self.sample(replacing: "*20260304*1540*ET", with: "*20260304*1540*AS"))
        #expect(alaska?.events.first?.at?.text == "2026-03-04T15:40:00-09:00")
        let atlantic = try Self.status(try Self.sample(replacing: "*20260304*1540*ET", with: "*20260304*1540*TD"))
        #expect(atlantic?.events.first?.at?.text == "2026-03-04T15:40:00-03:00")
    }

    /// AT703 appointment statuses (AT701 empty; the two exclude each other) read from list 1652 and render back
    /// into AT703, statuses into AT701.
    @Test func appointmentStatusesReadFromAT703() throws {
        let text = try Self.sample(replacing: "AT7*AF*NS***20260304*1712*ET~", with: "AT7***AB*NA*20260304*1712*ET~")
        let status = try #require(try Self.status(text))
        let event = try #require(status.events.dropFirst().first)
        #expect(event.code == "AB")
        #expect(event.codeList == "X12 1652")
        #expect(event.milestone == .appointment)
        #expect(event.reason == "NA")
        #expect(status.metadata.provenance["events[1].code"]?.reference == "AT703")
        #expect(status.events.first?.codeList == "X12 1650")
        let map = try MapLoader.load(path: TranslatorTests.maps + "/X12/004010/214.map")
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/X12/004010/214.grammar")
        let body = try Renderer(map: map, grammar: grammar).render(.shipmentStatus(status))
        let statuses = body.filter { $0.tag == "AT7" }
        #expect(statuses.count == status.events.count)
        #expect(statuses.dropFirst().first?.elements.prefix(6) == ["", "", "AB", "NA", "20260304", "1712"])
        #expect(statuses.first?.elements.first?.text == "X3")
    }

    /// US zones (ET, CT…) follow the daylight saving rule of the status's year, from 02:00 local time on the day
    /// of the change.
    @Test func usDaylightTimeByTheRuleOfTheYear() throws {
        func at(_ date: String, _ time: String, _ zone: String = "ET") throws -> String? {
            let status = try Self.status(
                try Self.sample(replacing: "*20260304*1540*ET", with: "*\(date)*\(time)*\(zone)")
            )
            return status?.events.first?.at?.text
        }
        // 2026: from March 8 to November 1.
        #expect(try at("20260308", "0159") == "2026-03-08T01:59:00-05:00")
        #expect(try at("20260308", "0300") == "2026-03-08T03:00:00-04:00")
        #expect(try at("20261101", "0130") == "2026-11-01T01:30:00-04:00")
        #expect(try at("20261101", "0230") == "2026-11-01T02:30:00-05:00")
        // 2006: from April 2 to October 29; March 20 was standard time, November 1 too.
        #expect(try at("20060320", "1200") == "2006-03-20T12:00:00-05:00")
        #expect(try at("20060402", "1200", "CT") == "2006-04-02T12:00:00-05:00")
        #expect(try at("20061101", "1200") == "2006-11-01T12:00:00-05:00")
        #expect(try at("20061028", "1200", "PT") == "2006-10-28T12:00:00-07:00")
        // 1980: from April 27 to October 26.
        #expect(try at("19800426", "1200") == "1980-04-26T12:00:00-05:00")
        #expect(try at("19800427", "1200") == "1980-04-27T12:00:00-04:00")
    }

    /// A zone no X12 time code names is refused when rendering, never dropped.
    @Test func inexpressibleZoneIsRefused() throws {
        let map = try MapLoader.load(path: TranslatorTests.maps + "/X12/004010/214.map")
        let grammar = try GrammarLoader.load(path: TranslatorTests.maps + "/Grammars/X12/004010/214.grammar")
        var status = try #require(try Self.status(try Self.sample(replacing: "", with: "")))
        status.events[0].at = Timestamp("2026-03-01T12:00:00+01:00")
        #expect(throws: MappingError.self) { try Renderer(map: map, grammar: grammar).render(.shipmentStatus(status)) }
    }

    /// An EDIFACT zone offset is at most 14 hours: anything else is an invalid value, not a trap.
    @Test func hostileZoneIsAnInvalidValue() throws {
        let text = String(decoding: try TranslatorTests.sample("edifact/D96A/iftsta.edi"), as: UTF8.self)
            .replacingOccurrences(of: "DTM+334:202603101415:203", with: "DTM+334:202603011200-153722867280912931:303")
        #expect(throws: MappingError.self) {
            try TranslatorTests.translate(
                Array(text.utf8),
                map: "EDIFACT/D96A/IFTSTA.map",
                grammar: "EDIFACT/D96A/IFTSTA.grammar"
            )
        }
    }

    /// JSON numbers have no leading zeros: ITD07 `030` is 30 net days.
    @Test func integersLoseLeadingZeros() throws {
        let text = String(decoding: try TranslatorTests.sample("x12/004010/810-invoice.edi"), as: UTF8.self)
            .replacingOccurrences(of: "ITD*08*3*2**10**30*", with: "ITD*08*3*2**10**030*")
        guard
            case .invoice(let invoice) = try TranslatorTests.translate(
                Array(text.utf8),
                map: "X12/004010/810.map",
                grammar: "X12/004010/810.grammar"
            )
        else {
            Issue.record("expected an invoice")
            return
        }
        #expect(invoice.terms?.netDays == 30)
    }

    /// A composite where the map reads a simple value is refused, not read with its separators.
    @Test func compositeWhereASimpleValueIsReadIsAnError() throws {
        let text = String(decoding: try TranslatorTests.sample("edifact/D96A/iftsta.edi"), as: UTF8.self)
            .replacingOccurrences(of: "NAD+CZ+4068312000008::9", with: "NAD+CZ:X+4068312000008::9")
        #expect(throws: MappingError.self) {
            try TranslatorTests.translate(
                Array(text.utf8),
                map: "EDIFACT/D96A/IFTSTA.map",
                grammar: "EDIFACT/D96A/IFTSTA.grammar"
            )
        }
    }
}

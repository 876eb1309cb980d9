import Foundation
import GatewayEvents
import Testing

@Suite("Canonical events as JSON")
struct EventJSONTests {
    static let metadata = EventMetadata(
        eventId: "e1",
        idempotencyKey: "k1",
        correlationId: "c1",
        businessKey: "SHP1",
        partner: "acme",
        standard: "X12",
        version: "004010",
        document: "856",
        interchangeControlNumber: "000000001",
        groupControlNumber: "1",
        transactionControlNumber: "0001",
        provenance: [
            "shipment.identifier": FieldProvenance(segment: 2, reference: "BSN02", byteStart: 120, byteEnd: 124)
        ]
    )

    /// Decimals keep every digit as sent, through JSON and back: no binary floating point anywhere.
    @Test func decimalsAreExact() throws {
        let weight = try #require(Decimal(string: "48.50"))
        let large = try #require(Decimal(string: "12345678901234567.891"))
        let event = CanonicalEvent.shipNotice(
            ShipNotice(
                metadata: Self.metadata,
                shipment: .init(
                    identifier: "SHP1",
                    grossWeight: Measure(value: weight, unit: "LB"),
                    packageCount: large
                )
            )
        )
        let text = String(decoding: try EventJSON.encode(event), as: UTF8.self)
        #expect(text.contains("\"value\":48.5"))
        #expect(text.contains("\"packageCount\":12345678901234567.891"))
        #expect(!text.contains("\n"))
        #expect(try EventJSON.decode(Array(text.utf8)) == event)
    }

    @Test func schemaNamesTellEventsApart() throws {
        let status = CanonicalEvent.shipmentStatus(
            ShipmentStatus(
                metadata: Self.metadata,
                shipment: .init(identifier: "PRO1"),
                events: [
                    .init(
                        milestone: .delivered,
                        code: "D1",
                        codeList: "X12 1650",
                        at: Timestamp(date: "20261123", time: "1405", utcOffsetMinutes: -300)
                    )
                ]
            )
        )
        let text = String(decoding: try EventJSON.encode(status), as: UTF8.self)
        #expect(text.contains("\"schema\":\"edigate.ShipmentStatus.v1\""))
        #expect(text.contains("\"at\":\"2026-11-23T14:05:00-05:00\""))
        #expect(text.contains("\"milestone\":\"delivered\""))
        #expect(try EventJSON.decode(Array(text.utf8)) == status)
        #expect(throws: (any Error).self) {
            try EventJSON.decode(Array(text.replacingOccurrences(of: "ShipmentStatus.v1", with: "Unknown.v1").utf8))
        }
    }

    @Test func timestampsAreCheckedISO8601() {
        #expect(Timestamp("2026-11-23")?.text == "2026-11-23")
        #expect(Timestamp("2026-11-23T12:00:00Z") != nil)
        #expect(Timestamp("2026-11-23T12:00:00+05:30") != nil)
        #expect(Timestamp("2026-13-23") == nil)
        #expect(Timestamp("2026-11-23T24:00:00") == nil)
        #expect(Timestamp("20261123") == nil)
        #expect(Timestamp(date: "20261123", time: "120059")?.text == "2026-11-23T12:00:59")
        #expect(Timestamp(date: "2026112", time: nil) == nil)
    }
}

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

    /// Timestamps made from parts are the text the parts spell, checked as ISO 8601: every combination of dates,
    /// times and offsets, good and bad, against the text built step by step and checked by `Timestamp(_:)`.
    @Test func timestampsFromPartsAreTheTextTheyName() {
        let dates = ["20261123", "20261323", "20260100", "20260132", "20261131", "00000101", "2026112", "2026112a", ""]
        let times: [String?] = [
            nil, "", "12", "123", "1200", "12005", "120059", "1200591", "2400", "2360", "120060", "12a0", "235959",
        ]
        let offsets: [Int?] = [nil, 0, -300, 330, 59, -59, 840, 841, -840, -841, 6_000, -60_000]
        for date in dates {
            for time in times {
                for offset in offsets {
                    let made = Timestamp(date: date, time: time, utcOffsetMinutes: offset)
                    let expected = Self.spelled(date: date, time: time, offset: offset).flatMap(Timestamp.init)
                    #expect(made == expected, "\(date) \(time ?? "-") \(offset.map(String.init) ?? "-")")
                }
            }
        }
    }

    /// The text of a date, time and offset, spelled out; `nil` where a part is not made of digits.
    static func spelled(date: String, time: String?, offset: Int?) -> String? {
        let digits = Array(date.utf8)
        guard digits.count == 8, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        var text = "\(date.prefix(4))-\(date.dropFirst(4).prefix(2))-\(date.suffix(2))"
        guard let time else { return text }
        guard time.utf8.count >= 4, time.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let seconds = time.utf8.count >= 6 ? String(time.dropFirst(4).prefix(2)) : "00"
        text += "T\(time.prefix(2)):\(time.dropFirst(2).prefix(2)):\(seconds)"
        guard let offset else { return text }
        guard offset != 0 else { return text + "Z" }
        let hours = abs(offset) / 60
        let minutes = abs(offset) % 60
        return text + (offset < 0 ? "-" : "+") + (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "")
            + "\(minutes)"
    }
}

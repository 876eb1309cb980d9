public import FoundationEssentials

/// An amount or a quantity with its unit: the number is an exact decimal, never binary floating point.
public struct Measure: Codable, Sendable, Hashable {
    /// The value, exact (`48.5` stays `48.5`).
    public var value: Decimal
    /// The unit as the document gives it (`LB`, `KGM`, `EA`, `PCE`), when it gives one.
    public var unit: String?

    /// Creates a measure.
    public init(value: Decimal, unit: String? = nil) {
        self.value = value
        self.unit = unit
    }
}

/// A reference number with its qualifier as the document gives it (`BM` bill of lading, `CN` PRO number, `ON`
/// order number).
public struct Reference: Codable, Sendable, Hashable {
    public var qualifier: String
    public var value: String

    /// Creates a reference.
    public init(qualifier: String, value: String) {
        self.qualifier = qualifier
        self.value = value
    }
}

/// A product identifier with its qualifier (`UP` UPC, `VP` vendor part, `EN` EAN/GTIN, `SA` supplier article).
public struct ProductIdentifier: Codable, Sendable, Hashable {
    public var qualifier: String
    public var value: String

    /// Creates a product identifier.
    public init(qualifier: String, value: String) {
        self.qualifier = qualifier
        self.value = value
    }
}

/// A postal address.
public struct Address: Codable, Sendable, Hashable {
    /// Street lines in order.
    public var lines: [String]
    public var city: String?
    /// State or province code.
    public var region: String?
    public var postalCode: String?
    /// ISO 3166 country code as given.
    public var country: String?

    /// Creates an address.
    public init(
        lines: [String] = [],
        city: String? = nil,
        region: String? = nil,
        postalCode: String? = nil,
        country: String? = nil
    ) {
        self.lines = lines
        self.city = city
        self.region = region
        self.postalCode = postalCode
        self.country = country
    }
}

/// A party: ship-from, ship-to, buyer, seller, bill-to, carrier…
public struct Party: Codable, Sendable, Hashable {
    /// The party's role as the document codes it (`SF`, `ST`, `BY`, `SU`, `DP`).
    public var role: String
    public var name: String?
    /// The party's identification and the code list it comes from (`92` assigned by buyer, `9` GLN).
    public var identifier: Reference?
    public var address: Address?

    /// Creates a party.
    public init(role: String, name: String? = nil, identifier: Reference? = nil, address: Address? = nil) {
        self.role = role
        self.name = name
        self.identifier = identifier
        self.address = address
    }
}

/// A calendar date (`2026-11-23`) or a date and time (`2026-11-23T12:00:00`, with `-05:00` or `Z` when the
/// document gives the time zone), ISO 8601 as text so nothing is invented that the document did not say.
public struct Timestamp: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The ISO 8601 text.
    public let text: String

    /// A timestamp from ISO 8601 text: `YYYY-MM-DD`, optionally `Thh:mm:ss`, optionally `Z` or `±hh:mm`.
    public init?(_ text: String) {
        guard Self.isValid(text) else { return nil }
        self.text = text
    }

    /// A timestamp from parts: `date` as `YYYYMMDD`, `time` as `hhmm`, `hhmmss` (longer fractions are cut), and an
    /// offset in minutes from UTC.
    public init?(date: String, time: String? = nil, utcOffsetMinutes: Int? = nil) {
        let digits = Array(date.utf8)
        guard digits.count == 8, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var text =
            String(decoding: digits[0..<4], as: UTF8.self) + "-" + String(decoding: digits[4..<6], as: UTF8.self)
            + "-" + String(decoding: digits[6..<8], as: UTF8.self)
        if let time {
            let clock = Array(time.utf8)
            guard clock.count >= 4, clock.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            text +=
                "T" + String(decoding: clock[0..<2], as: UTF8.self) + ":"
                + String(decoding: clock[2..<4], as: UTF8.self)
            text += ":" + (clock.count >= 6 ? String(decoding: clock[4..<6], as: UTF8.self) : "00")
            if let offset = utcOffsetMinutes {
                if offset == 0 {
                    text += "Z"
                } else {
                    let magnitude = abs(offset)
                    let hours = magnitude / 60
                    let minutes = magnitude % 60
                    text +=
                        (offset < 0 ? "-" : "+") + (hours < 10 ? "0" : "") + String(hours) + ":"
                        + (minutes < 10 ? "0" : "") + String(minutes)
                }
            }
        }
        guard Self.isValid(text) else { return nil }
        self.text = text
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard Self.isValid(text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "expected an ISO 8601 date or date-time"
                )
            )
        }
        self.text = text
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.text)
    }

    public var description: String { self.text }

    /// `YYYY-MM-DD`, then optionally `Thh:mm:ss` with an optional `Z` or `±hh:mm`; month, day, hour, minute and
    /// second in range.
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            number(0, 4) != nil, let month = number(5, 2), let day = number(8, 2), (1...12).contains(month),
            (1...31).contains(day)
        else { return false }
        if bytes.count == 10 { return true }
        guard bytes.count >= 19, bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":"), let hour = number(11, 2), let minute = number(14, 2),
            let second = number(17, 2), hour <= 23, minute <= 59, second <= 59
        else { return false }
        let zone = bytes[19...]
        if zone.isEmpty || (zone.count == 1 && zone.first == UInt8(ascii: "Z")) { return true }
        guard zone.count == 6, zone.first == UInt8(ascii: "+") || zone.first == UInt8(ascii: "-"),
            bytes[22] == UInt8(ascii: ":"), let hours = number(20, 2), let minutes = number(23, 2), hours <= 14,
            minutes <= 59
        else { return false }
        return true
    }
}

extension Address {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            lines: try container.array(.lines),
            city: try container.decodeIfPresent(String.self, forKey: .city),
            region: try container.decodeIfPresent(String.self, forKey: .region),
            postalCode: try container.decodeIfPresent(String.self, forKey: .postalCode),
            country: try container.decodeIfPresent(String.self, forKey: .country)
        )
    }
}

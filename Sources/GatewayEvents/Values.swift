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
        // Written once into the text's own storage and checked as written: maps make a timestamp for most
        // documents' every date.
        var written = 0
        let text = String(unsafeUninitializedCapacity: 25) { text in
            written = Self.write(date: date, time: time, utcOffsetMinutes: utcOffsetMinutes, into: text)
            return written
        }
        guard written > 0 else { return nil }
        self.text = text
    }

    /// Writes the timestamp of `date`, `time` and `utcOffsetMinutes` into `text` (25 bytes) and returns how many
    /// bytes it wrote; 0 when they make no valid timestamp (as ``isValid(_:)`` judges the text). Maps write a
    /// timestamp's text straight into an event's storage with it, making no string.
    package static func write(
        date: String,
        time: String?,
        utcOffsetMinutes: Int?,
        into text: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        // `YYYYMMDD` to `YYYY-MM-DD`.
        guard date.utf8.count == 8 else { return 0 }
        var index = 0
        for byte in date.utf8 {
            guard byte >= 0x30 && byte <= 0x39 else { return 0 }
            text[index + (index >= 6 ? 2 : index >= 4 ? 1 : 0)] = byte
            index += 1
        }
        text[4] = UInt8(ascii: "-")
        text[7] = UInt8(ascii: "-")
        func number(_ start: Int) -> Int { Int(text[start] - 0x30) * 10 + Int(text[start + 1] - 0x30) }
        guard (1...12).contains(number(5)), (1...31).contains(number(8)) else { return 0 }
        guard let time else { return 10 }
        // `hhmm` or `hhmmss` (digits past the seconds cut) to `Thh:mm:ss`.
        guard time.utf8.count >= 4 else { return 0 }
        text[10] = UInt8(ascii: "T")
        text[13] = UInt8(ascii: ":")
        text[16] = UInt8(ascii: ":")
        text[17] = UInt8(ascii: "0")
        text[18] = UInt8(ascii: "0")
        // Seconds only from six digits or more; five digits have none.
        let digits = time.utf8.count >= 6 ? 6 : 4
        index = 0
        for byte in time.utf8 {
            guard byte >= 0x30 && byte <= 0x39 else { return 0 }
            if index < digits { text[11 + index + index / 2] = byte }
            index += 1
        }
        guard number(11) <= 23, number(14) <= 59, number(17) <= 59 else { return 0 }
        guard let offset = utcOffsetMinutes else { return 19 }
        if offset == 0 {
            text[19] = UInt8(ascii: "Z")
            return 20
        }
        // `±hh:mm`, up to 14 hours either way.
        let magnitude = offset.magnitude
        guard magnitude / 60 <= 14 else { return 0 }
        let hours = UInt8(magnitude / 60)
        let minutes = UInt8(magnitude % 60)
        text[19] = offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
        text[20] = 0x30 + hours / 10
        text[21] = 0x30 + hours % 10
        text[22] = UInt8(ascii: ":")
        text[23] = 0x30 + minutes / 10
        text[24] = 0x30 + minutes % 10
        return 25
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

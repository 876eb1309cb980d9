import Foundation
import GatewayEvents
import Testing

/// The event encoder and decoder beyond what events use today: other number types, nested and super containers.
@Suite("Event encoder and decoder")
struct EventCodingTests {
    struct Numbers: Codable, Equatable {
        var small: Int8
        var large: UInt64
        var ratio: Double
        var share: Float
        var amount: Decimal
        var count: Int?
    }

    @Test func otherNumberTypesRoundTrip() throws {
        let numbers = Numbers(
            small: -12,
            large: .max,
            ratio: 0.125,
            share: 2.5,
            amount: try #require(Decimal(string: "-48.50")),
            count: nil
        )
        let value = try EventEncoder.encode(numbers)
        #expect(
            value
                == .object([
                    ("amount", .number("-48.5")), ("large", .number("18446744073709551615")),
                    ("ratio", .number("0.125")),
                    ("share", .number("2.5")), ("small", .number("-12")),
                ])
        )
        #expect(try EventDecoder.decode(Numbers.self, from: value) == numbers)
    }

    @Test func numbersOutOfRangeOrNotFiniteAreErrors() throws {
        var value = try EventEncoder.encode(
            Numbers(small: 1, large: 1, ratio: 1, share: 1, amount: 1, count: 1)
        )
        guard case .object(var members) = value else {
            throw EncodingError.invalidValue(0, .init(codingPath: [], debugDescription: ""))
        }
        // amount, count, large, ratio, share, small
        members[5].1 = .number("300")
        value = .object(members)
        #expect(throws: DecodingError.self) { try EventDecoder.decode(Numbers.self, from: value) }
        members[5].1 = .number("1")
        members[3].1 = .number("1e400")
        #expect(throws: DecodingError.self) { try EventDecoder.decode(Numbers.self, from: .object(members)) }
        members[3].1 = .string("1")
        #expect(throws: DecodingError.self) { try EventDecoder.decode(Numbers.self, from: .object(members)) }
        #expect(throws: EncodingError.self) {
            try EventEncoder.encode(Numbers(small: 1, large: 1, ratio: .nan, share: 1, amount: 1, count: nil))
        }
    }

    /// A conformance written by hand with nested containers, filled after their parent moved on.
    struct Nested: Codable, Equatable {
        var name: String
        var tags: [String]

        enum Keys: String, CodingKey { case outer, name, tags, zeta }

        init(name: String, tags: [String]) {
            self.name = name
            self.tags = tags
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var outer = container.nestedContainer(keyedBy: Keys.self, forKey: .outer)
            var list = outer.nestedUnkeyedContainer(forKey: .tags)
            try container.encode(true, forKey: .zeta)
            try outer.encode(self.name, forKey: .name)
            for tag in self.tags { try list.encode(tag) }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Keys.self)
            let outer = try container.nestedContainer(keyedBy: Keys.self, forKey: .outer)
            self.name = try outer.decode(String.self, forKey: .name)
            var list = try outer.nestedUnkeyedContainer(forKey: .tags)
            var tags: [String] = []
            while !list.isAtEnd { tags.append(try list.decode(String.self)) }
            self.tags = tags
        }
    }

    @Test func nestedContainersFilledLater() throws {
        let nested = Nested(name: "n", tags: ["a", "b"])
        let value = try EventEncoder.encode(nested)
        #expect(
            value
                == .object([
                    ("outer", .object([("name", .string("n")), ("tags", .array([.string("a"), .string("b")]))])),
                    ("zeta", .bool(true)),
                ])
        )
        #expect(try EventDecoder.decode(Nested.self, from: value) == nested)
    }

    @Test func errorsCarryTheCodingPath() {
        let value = JSONValue.object([
            ("outer", .object([("name", .string("n")), ("tags", .array([.string("a"), .number("2")]))]))
        ])
        do {
            _ = try EventDecoder.decode(Nested.self, from: value)
            Issue.record("decoded a number as a tag")
        } catch {
            #expect(EventJSON.describe(error) == "expected a string, found a number for outer.tags[1]")
        }
    }

    /// A decimal holds 38 significant digits: a number with more, or an exponent it cannot hold, is refused rather
    /// than rounded.
    @Test(arguments: [
        ("12345678901234567890123456789012345678", true), ("1234567890123456789012345678901234567.8", true),
        ("0.00000000000000000000000000000000000000000012", true),
        ("120000000000000000000000000000000000000000000", true),
        ("1.500000000000000000000000000000000000000000000", true), ("123456789012345678901234567890123456789", false),
        ("1.23456789012345678901234567890123456789", false), ("1e300", false), ("1e-300", false), ("0e5", true),
        ("0.0", true),
    ])
    func decimalsAreExactOrRefused(text: String, accepted: Bool) throws {
        let value = JSONValue.object([("value", .number(text))])
        if accepted {
            let measure = try EventDecoder.decode(Measure.self, from: value)
            #expect(measure.value == Decimal(string: text))
        } else {
            #expect(throws: DecodingError.self) { try EventDecoder.decode(Measure.self, from: value) }
        }
    }
}

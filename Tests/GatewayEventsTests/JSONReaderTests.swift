import Foundation
import GatewayEvents
import Testing

@Suite("Reading JSON text")
struct JSONReaderTests {
    @Test func valuesKeepTheirExactText() throws {
        let value = try JSONReader.read(
            Array(
                #" { "a" : [1, -0.50, 2E+3, 0, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude9a"], "b": {} } "#
                    .utf8
            )
        )
        #expect(
            value
                == .object([
                    (
                        "a",
                        .array([
                            .number("1"), .number("-0.50"), .number("2E+3"), .number("0"), .bool(true), .bool(false),
                            .null, .string("x\"\\/\u{08}\u{0C}\n\r\té🚚"),
                        ])
                    ),
                    ("b", .object([])),
                ])
        )
    }

    /// Every rule of RFC 8259 the reader holds, with the byte it stops at and what it expected there.
    @Test(arguments: [
        ("", 0, "a value"),
        ("{", 1, "a member name"),
        ("{\"a\" 1}", 5, "':' after a member name"),
        ("{\"a\":1 \"b\":2}", 7, "',' or '}'"),
        ("[1 2]", 3, "',' or ']'"),
        ("[1,]", 3, "a value"),
        ("{\"a\":1,}", 7, "a member name"),
        ("01", 1, "'.', an exponent or the number's end after a leading 0"),
        ("-", 1, "a digit"),
        ("1.", 2, "a digit after '.'"),
        ("1e+", 3, "a digit in the exponent"),
        (".5", 0, "a value"),
        ("+1", 0, "a value"),
        ("tru", 0, "a value"),
        ("\"abc", 4, "'\"' closing the string"),
        ("\"a\tb\"", 2, "a control character in a string only as an escape"),
        ("\"\\x\"", 2, "an escape of \", \\, /, b, f, n, r, t or u"),
        ("\"\\u12g4\"", 5, "four hexadecimal digits"),
        ("\"\\ud83d\"", 7, "a low surrogate escape after a high surrogate"),
        ("\"\\ud83d\\u0041\"", 7, "a low surrogate escape after a high surrogate"),
        ("\"\\ude9a\"", 1, "a Unicode scalar (a lone low surrogate is none)"),
        ("{\"a\":1,\"a\":2}", 7, "each member name once"),
        ("1 2", 2, "the end of the text"),
        ("NaN", 0, "a value"),
    ])
    func malformedTextIsLocated(text: String, offset: Int, expected: String) {
        #expect(throws: JSONReader.ReadError.self) { try JSONReader.read(Array(text.utf8)) }
        do {
            _ = try JSONReader.read(Array(text.utf8))
        } catch {
            #expect(error.offset == offset)
            #expect(error.expected == expected)
        }
    }

    @Test func invalidUTF8InAStringIsRefused() {
        let broken: [UInt8] = [0x22, 0x61, 0xFF, 0x22]
        #expect(throws: JSONReader.ReadError(offset: 2, expected: "a string of UTF-8", found: "a byte that breaks it"))
        {
            try JSONReader.read(broken)
        }
        // After an escape, a two-byte character and a cut three-byte one: the offset is the cut sequence's first byte.
        let later: [UInt8] = [0x22, 0x5C, 0x6E, 0xC3, 0xA9, 0xE2, 0x82, 0x22]
        #expect(throws: JSONReader.ReadError(offset: 5, expected: "a string of UTF-8", found: "a byte that breaks it"))
        {
            try JSONReader.read(later)
        }
        // UTF-8 that encodes a surrogate is not UTF-8.
        #expect(throws: JSONReader.ReadError.self) { try JSONReader.read([0x22, 0xED, 0xA0, 0x80, 0x22]) }
    }

    @Test func nestingIsBounded() throws {
        let deepest =
            String(repeating: "[", count: JSONReader.maximumDepth)
            + String(repeating: "]", count: JSONReader.maximumDepth)
        _ = try JSONReader.read(Array(deepest.utf8))
        let deeper = "[" + deepest + "]"
        #expect(throws: JSONReader.ReadError.self) { try JSONReader.read(Array(deeper.utf8)) }
    }

    /// A large object (a provenance table) still finds a repeated name, and in linear time.
    @Test func repeatedNameInALargeObject() {
        var text = "{" + (0..<5_000).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        text += ",\"k17\":1}"
        #expect(throws: JSONReader.ReadError.self) { try JSONReader.read(Array(text.utf8)) }
    }

    /// No message quotes the text it read.
    @Test func messagesNeverQuoteTheText() {
        let canary = "CANARY7Q"
        let broken = [
            "{\"\(canary)\":\"\(canary)\" \"\(canary)\":1}", "[\"\(canary)\", \(canary)]", "\"\(canary)\\q\"",
            "{\"\(canary)\":1,\"\(canary)\":2}", "\"\(canary)", "[\"\(canary)\"]\(canary)",
        ]
        for text in broken {
            do {
                _ = try JSONReader.read(Array(text.utf8))
                Issue.record("read broken JSON")
            } catch {
                #expect(!error.description.contains(canary))
                #expect(!error.description.contains("CANARY"))
            }
        }
    }

    @Test func writingEscapesWhatJSONRequires() throws {
        var bytes: [UInt8] = []
        JSONValue.string("a\"b\\c/d\u{01}\n\té").write(into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #""a\"b\\c/d\u0001\n\té""#)
        #expect(try JSONReader.read(bytes) == .string("a\"b\\c/d\u{01}\n\té"))
    }

    /// Every proper prefix of an object is refused: nothing reads as complete before its end.
    @Test func everyProperPrefixIsRefused() throws {
        let text = Array(#"{"a":[1,-2.5e3,"x\u00e9\ud83d\ude9a",true,false,null],"b":{"c":"é"}}"#.utf8)
        _ = try JSONReader.read(text)
        for end in 0..<text.count {
            #expect(throws: JSONReader.ReadError.self, "prefix of \(end) bytes") { try JSONReader.read(text[..<end]) }
        }
    }
}

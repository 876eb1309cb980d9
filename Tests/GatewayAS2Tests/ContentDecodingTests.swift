import GatewayAS2
import Testing

/// Base64 bodies and compressed data decode the same in any chunking, refuse what is not theirs with a located
/// error, and never grow past their limits.
struct ContentDecodingTests {
    /// `bytes` fed to `feed` in pieces of `size`.
    static func pieces(_ bytes: [UInt8], _ size: Int) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: max(1, size)).map {
            Array(bytes[$0..<min($0 + max(1, size), bytes.count)])
        }
    }

    static func decodeBase64(_ bytes: [UInt8], size: Int, limits: ContentLimits = ContentLimits()) -> Result<
        [UInt8], AS2Error
    > {
        var decoder = Base64Decoder(limits: limits)
        var output: [UInt8] = []
        do {
            for piece in Self.pieces(bytes, size) { try decoder.decode(piece, into: &output) }
            try decoder.finish(into: &output)
            return .success(output)
        } catch {
            return .failure(error)
        }
    }

    static func decompress(_ bytes: [UInt8], size: Int, limits: ContentLimits = ContentLimits()) -> Result<
        [UInt8], AS2Error
    > {
        let decompressor = Decompressor(limits: limits)
        var output: [UInt8] = []
        do {
            for piece in Self.pieces(bytes, size) { try decompressor.decompress(piece, into: &output) }
            try decompressor.finish()
            return .success(output)
        } catch {
            return .failure(error)
        }
    }

    static let text = Array(String(repeating: "ISA*00*          *00*~GS*SH*SENDER*RECEIVER~", count: 40).utf8)

    @Test(arguments: [1, 3, 4, 7, 76, 1 << 20])
    func base64RoundTripsInAnyChunking(size: Int) throws {
        for length in [0, 1, 2, 3, 4, 5, 57, 58, Self.text.count] {
            let bytes = Array(Self.text.prefix(length))
            let encoded = Base64.encode(bytes)
            #expect(try Self.decodeBase64(encoded, size: size).get() == bytes)
            // Without line breaks, and unpadded, it reads the same.
            let flat = Base64.encode(bytes, lineLength: 0)
            #expect(try Self.decodeBase64(flat, size: size).get() == bytes)
            let unpadded = Array(flat.prefix { $0 != UInt8(ascii: "=") })
            #expect(try Self.decodeBase64(unpadded, size: size).get() == bytes)
        }
        #expect(Base64.encode(Array("edigate".utf8), lineLength: 0) == Array("ZWRpZ2F0ZQ==".utf8))
    }

    @Test(
        arguments: [
            (
                "ZW*p", 2,
                "expected a base64 character, found a byte outside the alphabet at byte 2 of the base64 content"
            ),
            ("ZW=p", 3, "expected nothing after the padding, found a base64 character at byte 3 of the base64 content"),
            (
                "Z===", 1,
                "expected padding only after the second or third character of a group, found '=' at byte 1 of the base64 content"
            ),
            (
                "ZWRpZ", 5,
                "expected at least two characters in the last group, found one at byte 5 of the base64 content"
            ),
            (
                "ZW=", 3,
                "expected '=' to end the padding of the last group, found the end of the content at byte 3 of the base64 content"
            ),
        ] as [(String, Int, String)]
    )
    func invalidBase64IsLocated(input: String, offset: Int, message: String) throws {
        for size in [1, 2, 100] {
            let error = try #require(throws: AS2Error.self) {
                try Self.decodeBase64(Array(input.utf8), size: size).get()
            }
            #expect(error.code == .invalidBase64)
            #expect(error.byteOffset == offset)
            #expect(error.description == message)
        }
    }

    @Test
    func base64StopsAtTheDecodedLimit() throws {
        let encoded = Base64.encode(Self.text)
        let limits = ContentLimits(maximumDecodedSize: 100)
        for size in [1, 5, 1 << 20] {
            let error = try #require(throws: AS2Error.self) {
                try Self.decodeBase64(encoded, size: size, limits: limits).get()
            }
            #expect(error.code == .decodedTooLarge)
            // The group holding decoded bytes 99 to 101 is characters 132 to 135, bytes 134 to 137 after the line
            // break that ends the first 76; its last character passes the limit.
            #expect(error.byteOffset == 137)
            #expect(
                error.description
                    == "expected at most 100 bytes once decoded, found more at byte 137 of the base64 content"
            )
        }
        #expect(
            try Self.decodeBase64(Base64.encode(Array(Self.text.prefix(100))), size: 7, limits: limits).get().count
                == 100
        )
    }

    @Test(arguments: [1, 2, 13, 1 << 20])
    func compressedDataRoundTripsInAnyChunking(size: Int) throws {
        for format in [Compression.Format.zlib, .gzip] {
            for bytes in [Array(Self.text.prefix(1)), Self.text, [UInt8](repeating: 0x41, count: 300_000)] {
                let compressed = Compression.compress(bytes, format: format)
                let decompressor = Decompressor(format: format)
                var output: [UInt8] = []
                for piece in Self.pieces(compressed, size) { try decompressor.decompress(piece, into: &output) }
                try decompressor.finish()
                #expect(output == bytes)
            }
        }
    }

    @Test
    func aDecompressionBombStopsAtTheLimit() throws {
        // 100 MB of one byte compresses to about 100 KB; the limit of 1 MB stops it without producing more.
        let bomb = Compression.compress([UInt8](repeating: 0, count: 100_000_000))
        #expect(bomb.count < 200_000)
        let limits = ContentLimits(maximumDecompressedSize: 1 << 20)
        for size in [4096, 1 << 20] {
            let decompressor = Decompressor(limits: limits)
            var output: [UInt8] = []
            let error = try #require(throws: AS2Error.self) {
                for piece in Self.pieces(bomb, size) { try decompressor.decompress(piece, into: &output) }
            }
            #expect(error.code == .decompressedTooLarge)
            #expect(output.count <= 1 << 20)
            #expect(
                error.description.hasPrefix("expected at most 1048576 bytes once decompressed, found more at byte ")
            )
            #expect(error.description.hasSuffix(" of the compressed data"))
        }
    }

    @Test
    func damagedAndTruncatedStreamsAreErrors() throws {
        let compressed = Compression.compress(Self.text)
        var damaged = compressed
        damaged[0] = 0x00  // not a zlib header
        let first = try #require(throws: AS2Error.self) { try Decompressor.decompress(damaged) }
        #expect(first.code == .invalidCompressedData)
        // zlib reads the two-byte header before it judges it.
        #expect(
            first.description
                == "expected compressed data zlib can read, found a damaged stream at byte 2 of the compressed data"
        )
        let truncated = Array(compressed.dropLast(4))
        let second = try #require(throws: AS2Error.self) { try Decompressor.decompress(truncated) }
        #expect(second.code == .invalidCompressedData)
        #expect(second.byteOffset == truncated.count)
        let trailing = compressed + [0x00]
        let third = try #require(throws: AS2Error.self) { try Decompressor.decompress(trailing) }
        #expect(
            third.description
                == "expected the end of the compressed data, found more bytes at byte \(compressed.count) of the compressed data"
        )
        #expect(throws: AS2Error.self) { try Decompressor.decompress([]) }
    }

    @Test
    func noErrorHoldsTheContent() throws {
        // Content around a canary, broken in each way the decoders know; no message holds the canary or its base64.
        let canary = Array("CANARY-7f3a".utf8)
        let encoded = Base64.encode(canary + canary, lineLength: 0)
        let compressed = Compression.compress(canary + [UInt8](repeating: 0x20, count: 5000))
        var damaged = compressed
        damaged[damaged.count / 2] ^= 0xFF
        let failures: [AS2Error?] = [
            Self.decodeBase64(encoded + Array("*".utf8), size: 3).failure,
            Self.decodeBase64(encoded + Array("A".utf8), size: 3).failure,
            Self.decodeBase64(encoded, size: 3, limits: ContentLimits(maximumDecodedSize: 8)).failure,
            Self.decompress(damaged, size: 64).failure,
            Self.decompress(Array(compressed.dropLast(3)), size: 64).failure,
            Self.decompress(compressed, size: 64, limits: ContentLimits(maximumDecompressedSize: 100)).failure,
        ]
        #expect(Set(failures.compactMap { $0?.code.description }) == Set(AS2Error.Code.all.map(\.description)))
        for failure in failures {
            let text = try #require(failure).description
            #expect(!text.contains("CANARY") && !text.contains(String(decoding: encoded.prefix(8), as: UTF8.self)))
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// Why an AS2 message's content could not be decoded: what was expected, what was found, and the byte offset in
/// the content being decoded (the body of the MIME part, or the compressed data). Never a byte of the payload.
///
/// ```swift
/// do { try decoder.decode(chunk, into: &content) } catch {
///     print(error)   // expected at most 268435456 bytes once decoded, found more at byte 358000012 of the base64 content
/// }
/// ```
public struct AS2Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, extensible without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// Base64 content that is not base64: a byte outside the alphabet, misplaced padding, or a partial group.
        public static let invalidBase64 = Code("invalidBase64")
        /// More decoded bytes than ``ContentLimits/maximumDecodedSize``.
        public static let decodedTooLarge = Code("decodedTooLarge")
        /// Compressed data that zlib rejects, or that ends before its stream does.
        public static let invalidCompressedData = Code("invalidCompressedData")
        /// More decompressed bytes than ``ContentLimits/maximumDecompressedSize``.
        public static let decompressedTooLarge = Code("decompressedTooLarge")

        /// Every code, for tests that must cover each one.
        public static let all: [Code] = [
            .invalidBase64, .decodedTooLarge, .invalidCompressedData, .decompressedTooLarge,
        ]

        public var description: String { self.rawValue }
    }

    public let code: Code
    /// The byte offset, from 0, in the content being decoded.
    public let byteOffset: Int
    /// What the content is (`base64 content`, `compressed data`), for the message.
    public let content: String
    /// `expected …, found …`.
    public let detail: String

    init(code: Code, byteOffset: Int, content: String, detail: String) {
        self.code = code
        self.byteOffset = byteOffset
        self.content = content
        self.detail = detail
    }

    /// `expected …, found … at byte N of the …`.
    public var description: String { "\(self.detail) at byte \(self.byteOffset) of the \(self.content)" }

    /// `==` compares what went wrong and where, never the wording.
    public static func == (lhs: AS2Error, rhs: AS2Error) -> Bool {
        lhs.code == rhs.code && lhs.byteOffset == rhs.byteOffset && lhs.content == rhs.content
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
        hasher.combine(self.byteOffset)
        hasher.combine(self.content)
    }
}

/// Base64 as MIME bodies carry it (RFC 2045): decoded in chunks of any size with ``Base64Decoder``, encoded in
/// lines of 76 characters.
public enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The value of each byte of the alphabet; 0xFF for padding ('=') and 0xFE for the line breaks and blanks a
    /// body may hold between characters; 0xFD for anything else.
    static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFD, count: 256)
        for (value, byte) in Self.alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        table[Int(UInt8(ascii: "="))] = 0xFF
        for blank in [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")] {
            table[Int(blank)] = 0xFE
        }
        return table
    }()

    /// `bytes` in base64, padded, in lines of at most `lineLength` characters ended by CR LF (none when 0).
    public static func encode(_ bytes: [UInt8], lineLength: Int = 76) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4 + (bytes.count / 38 + 1) * 2)
        var column = 0
        func emit(_ byte: UInt8) {
            if lineLength > 0 && column == lineLength {
                output.append(contentsOf: [0x0D, 0x0A])
                column = 0
            }
            output.append(byte)
            column += 1
        }
        var index = 0
        while index < bytes.count {
            let count = min(3, bytes.count - index)
            var group = UInt32(bytes[index]) << 16
            if count > 1 { group |= UInt32(bytes[index + 1]) << 8 }
            if count > 2 { group |= UInt32(bytes[index + 2]) }
            for position in 0..<4 {
                if position <= count {
                    emit(Self.alphabet[Int((group >> UInt32(18 - 6 * position)) & 0x3F)])
                } else {
                    emit(UInt8(ascii: "="))
                }
            }
            index += count
        }
        if lineLength > 0 && column > 0 { output.append(contentsOf: [0x0D, 0x0A]) }
        return output
    }
}

/// Decodes a base64 body fed in chunks of any size; the result and any error do not depend on where chunks end.
///
/// Line breaks and blanks between characters are skipped; any other byte outside the alphabet, data after the
/// padding, and a last group of one character are errors, as is decoding past ``ContentLimits/maximumDecodedSize``.
/// A last group of two or three characters without its padding is accepted.
///
/// ```swift
/// var decoder = Base64Decoder()
/// var content: [UInt8] = []
/// for chunk in body { try decoder.decode(chunk, into: &content) }
/// try decoder.finish(into: &content)
/// ```
public struct Base64Decoder: Sendable {
    private let limit: Int
    /// Sextets of the group in progress, and how many.
    private var group: UInt32 = 0
    private var sextets = 0
    /// Padding characters seen; once the padding has begun only blanks may follow.
    private var padding = 0
    /// Bytes of the encoded body consumed so far.
    private var offset = 0
    /// Bytes decoded so far.
    public private(set) var decodedCount = 0

    public init(limits: ContentLimits = ContentLimits()) {
        self.limit = limits.maximumDecodedSize
    }

    /// Decodes `chunk`, appending the bytes it completes to `output`.
    public mutating func decode(_ chunk: some Collection<UInt8>, into output: inout [UInt8]) throws(AS2Error) {
        let values = Base64.values
        for byte in chunk {
            let value = values[Int(byte)]
            defer { self.offset += 1 }
            if value == 0xFE { continue }
            if value == 0xFD {
                throw self.invalid("a base64 character, found a byte outside the alphabet")
            }
            if value == 0xFF {
                guard self.sextets + self.padding >= 2 && self.sextets + self.padding < 4 else {
                    throw self.invalid("padding only after the second or third character of a group, found '='")
                }
                self.padding += 1
                if self.sextets + self.padding == 4 { try self.complete(into: &output) }
                continue
            }
            guard self.padding == 0 else {
                throw self.invalid("nothing after the padding, found a base64 character")
            }
            self.group = self.group << 6 | UInt32(value)
            self.sextets += 1
            if self.sextets == 4 { try self.complete(into: &output) }
        }
    }

    /// Ends the body: a group in progress is completed (two or three characters) or an error.
    public mutating func finish(into output: inout [UInt8]) throws(AS2Error) {
        if self.padding > 0 && self.sextets + self.padding < 4 {
            throw self.invalid("'=' to end the padding of the last group, found the end of the content")
        }
        if self.sextets == 1 {
            throw self.invalid("at least two characters in the last group, found one")
        }
        if self.sextets > 1 { try self.complete(into: &output) }
    }

    /// Appends the bytes of the group in progress (three, or fewer when it is padded or the last one).
    private mutating func complete(into output: inout [UInt8]) throws(AS2Error) {
        let count = self.sextets - 1
        if self.decodedCount + count > self.limit {
            throw AS2Error(
                code: .decodedTooLarge,
                byteOffset: self.offset,
                content: "base64 content",
                detail: "expected at most \(self.limit) bytes once decoded, found more"
            )
        }
        let group = self.group << UInt32(6 * (4 - self.sextets))
        for index in 0..<count { output.append(UInt8(truncatingIfNeeded: group >> UInt32(16 - 8 * index))) }
        self.decodedCount += count
        self.group = 0
        self.sextets = 0
        if self.padding > 0 { self.padding = 4 }
    }

    private func invalid(_ detail: String) -> AS2Error {
        AS2Error(code: .invalidBase64, byteOffset: self.offset, content: "base64 content", detail: "expected " + detail)
    }
}

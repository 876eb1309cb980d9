/// Byte classification for ASCII text; a namespace.
enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    static func isUpper(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }

    @inline(__always)
    static func isLower(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isUpper(byte) || isLower(byte) }

    @inline(__always)
    static func isPrintable(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7F }

    @inline(__always)
    static func isLineBreak(_ byte: UInt8) -> Bool { byte == cr || byte == lf }

    /// The number an X12 binary length element (BIN01, BDS02) gives: one to ten digits, else `nil`. Ten digits cannot
    /// overflow. The reader and the writer take lengths by this one rule.
    static func binaryLength(_ bytes: some Collection<UInt8>) -> Int? {
        guard (1...10).contains(bytes.count) else { return nil }
        var length = 0
        for byte in bytes {
            guard isDigit(byte) else { return nil }
            length = length * 10 + Int(byte &- 0x30)
        }
        return length
    }

    /// Space, tab, CR, LF, NUL and SUB (0x1A, the old end-of-file mark): what may stand between interchanges.
    @inline(__always)
    static func isPadding(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == cr || byte == lf || byte == 0 || byte == 0x1A
    }
}

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

    /// Space, tab, CR, LF, NUL and SUB (0x1A, the old end-of-file mark): what may stand between interchanges.
    @inline(__always)
    static func isPadding(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == cr || byte == lf || byte == 0 || byte == 0x1A
    }
}

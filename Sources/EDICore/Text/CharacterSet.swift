/// How an interchange's bytes become text, and which bytes its syntax identifier allows.
///
/// Decided once per interchange: from UNB01-1 for EDIFACT (ISO 9735 syntax service code list 0001), and as
/// UTF-8 with a Latin-1 fallback for X12, whose basic and extended character sets are subsets of both.
public struct CharacterSet: Sendable, Hashable, CustomStringConvertible {
    /// How bytes map to Unicode scalars.
    public enum Encoding: Sendable, Hashable {
        /// 7-bit ASCII (EDIFACT levels A and B).
        case ascii
        /// UTF-8 (EDIFACT UNOW, UNOY).
        case utf8
        /// An ISO/IEC 8859 part (UNOC = 1, UNOD = 2, …).
        case iso8859(part: Int)
    }

    /// The syntax identifier (`UNOC`), or `X12`.
    public let name: String
    /// How bytes map to text.
    public let encoding: Encoding
    /// Bytes allowed in data; `nil` when every byte decodes (X12, 8859 parts other than control bytes).
    let allowed: AllowedBytes

    enum AllowedBytes: Sendable, Hashable {
        /// No check (X12).
        case any
        /// A table of allowed single bytes (UNOA, UNOB, ISO 8859).
        case table(ByteTable)
        /// Well-formed UTF-8.
        case utf8
    }

    public var description: String { self.name }

    /// X12: UTF-8 when the bytes are well-formed, ISO 8859-1 otherwise; no repertoire check.
    public static let x12 = CharacterSet(name: "X12", encoding: .utf8, allowed: .any)

    /// The character set an EDIFACT syntax identifier names, or `nil` when edigate does not know it.
    ///
    /// Repertoires (ISO 9735, code list 0001): UNOA is 0x20–0x22, 0x25–0x3F and 0x41–0x5A; UNOB adds the
    /// lowercase letters 0x61–0x7A and the level B separators 0x1C–0x1F. The ISO 8859 sets allow every graphic
    /// byte (0x20–0x7E, 0xA0–0xFF). CR and LF are allowed everywhere as line formatting.
    public static func edifact(syntaxIdentifier: some Collection<UInt8>) -> CharacterSet? {
        let id = Array(syntaxIdentifier)
        if id.elementsEqual("IATA".utf8) || id.elementsEqual("IATB".utf8) {
            // IATA's PADIS syntax identifiers, levels A and B.
            let table = id[3] == UInt8(ascii: "A") ? ByteTable.unoa : ByteTable.unob
            return CharacterSet(name: String(decoding: id, as: UTF8.self), encoding: .ascii, allowed: .table(table))
        }
        guard id.count == 4, id[0] == UInt8(ascii: "U"), id[1] == UInt8(ascii: "N"), id[2] == UInt8(ascii: "O")
        else { return nil }
        let name = String(decoding: id, as: UTF8.self)
        switch id[3] {
        case UInt8(ascii: "A"): return CharacterSet(name: name, encoding: .ascii, allowed: .table(.unoa))
        case UInt8(ascii: "B"): return CharacterSet(name: name, encoding: .ascii, allowed: .table(.unob))
        case UInt8(ascii: "W"), UInt8(ascii: "Y"): return CharacterSet(name: name, encoding: .utf8, allowed: .utf8)
        case UInt8(ascii: "X"):
            // ISO 2022 code extension: escape sequences switch tables; decoded as Latin-1, not checked.
            return CharacterSet(name: name, encoding: .iso8859(part: 1), allowed: .any)
        default:
            let parts: [UInt8: Int] = [
                UInt8(ascii: "C"): 1, UInt8(ascii: "D"): 2, UInt8(ascii: "E"): 5, UInt8(ascii: "F"): 7,
                UInt8(ascii: "G"): 3, UInt8(ascii: "H"): 4, UInt8(ascii: "I"): 6, UInt8(ascii: "J"): 8,
                UInt8(ascii: "K"): 9, UInt8(ascii: "L"): 15,
            ]
            guard let part = parts[id[3]] else { return nil }
            return CharacterSet(name: name, encoding: .iso8859(part: part), allowed: .table(.graphic8859))
        }
    }

    /// The fallback for an unknown syntax identifier: decode as UTF-8 or Latin-1, check nothing.
    static let unknownEDIFACT = CharacterSet(name: "unknown", encoding: .utf8, allowed: .any)

    /// The position of the first byte in `bytes` that the repertoire does not allow, ignoring `delimiters`, line
    /// breaks and the decimal mark.
    ///
    /// Screens 16 bytes at a time (see ``ByteTable/Screen``) and looks at single bytes only in a block the screen
    /// does not clear, so clean text costs a few vector operations per block.
    func firstViolation(in bytes: UnsafeRawBufferPointer, delimiters: Delimiters) -> Int? {
        switch self.allowed {
        case .any:
            return nil
        case .table(let table):
            let count = bytes.count
            var index = 0
            if let base = bytes.baseAddress {
                let screen = table.screen
                // 64 bytes at a time while they are clean, then 16.
                while index &+ 64 <= count {
                    let clean = screen.passes(
                        base.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self),
                        base.loadUnaligned(fromByteOffset: index &+ 16, as: SIMD16<UInt8>.self),
                        base.loadUnaligned(fromByteOffset: index &+ 32, as: SIMD16<UInt8>.self),
                        base.loadUnaligned(fromByteOffset: index &+ 48, as: SIMD16<UInt8>.self)
                    )
                    if !clean { break }
                    index &+= 64
                }
                while index &+ 16 <= count {
                    if screen.mayReject(base.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)) {
                        if let found = Self.firstViolation(table, bytes, index..<(index &+ 16), delimiters) {
                            return found
                        }
                    }
                    index &+= 16
                }
            }
            return Self.firstViolation(table, bytes, index..<count, delimiters)
        case .utf8:
            return UTF8Validation.firstInvalidByte(in: bytes)
        }
    }

    private static func firstViolation(
        _ table: ByteTable,
        _ bytes: UnsafeRawBufferPointer,
        _ range: Range<Int>,
        _ delimiters: Delimiters
    ) -> Int? {
        for index in range {
            let byte = bytes[index]
            if !table.contains(byte) && !delimiters.isService(byte) && !ASCII.isLineBreak(byte)
                && byte != delimiters.decimalMark
            {
                return index
            }
        }
        return nil
    }

    /// Decodes `bytes` as text in this character set.
    func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        Self.decode(bytes, encoding: self.encoding)
    }

    /// ``decode(_:)`` by `encoding` alone.
    static func decode(_ bytes: UnsafeRawBufferPointer, encoding: Encoding) -> String {
        switch encoding {
        case .ascii, .utf8:
            // Plain ASCII, the usual value, is valid UTF-8 without a closer look.
            var isASCII = true
            for byte in bytes where byte >= 0x80 {
                isASCII = false
                break
            }
            if isASCII || UTF8Validation.firstInvalidByte(in: bytes) == nil {
                return String(decoding: bytes, as: UTF8.self)
            }
            return Self.decodeLatin1(bytes, upperHalf: nil)
        case .iso8859(let part):
            var isASCII = true
            for byte in bytes where byte >= 0x80 {
                isASCII = false
                break
            }
            if isASCII { return String(decoding: bytes, as: UTF8.self) }
            return Self.decodeLatin1(bytes, upperHalf: part == 1 ? nil : ISO8859.upperHalf(part: part))
        }
    }

    /// Whether `scalar` can be written in this character set and belongs to its repertoire.
    public func holds(_ scalar: Unicode.Scalar) -> Bool {
        guard let bytes = self.encode(String(scalar)) else { return false }
        switch self.allowed {
        case .any, .utf8: return true
        case .table(let table): return bytes.count == 1 && table.contains(bytes[0])
        }
    }

    /// Encodes `text` in this character set, the inverse of ``decode(_:)``; `nil` when a character has no byte in
    /// it. ASCII and UTF-8 sets write UTF-8 (values read from invalid UTF-8 were decoded byte by byte and so come
    /// back the same); ISO 8859 parts write one byte per character.
    func encode(_ text: String) -> [UInt8]? {
        guard case .iso8859(let part) = self.encoding else { return Array(text.utf8) }
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return Array(text.utf8) }
        let table = part == 1 ? nil : ISO8859.upperHalf(part: part)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0xA0 || (table == nil && value <= 0xFF) {
                bytes.append(UInt8(value))
            } else if let table, let index = table.firstIndex(of: UInt16(truncatingIfNeeded: value)), value <= 0xFFFF {
                bytes.append(UInt8(0xA0 + index))
            } else {
                return nil
            }
        }
        return bytes
    }

    private static func decodeLatin1(_ bytes: UnsafeRawBufferPointer, upperHalf: [UInt16]?) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            var value = UInt32(byte)
            if byte >= 0xA0, let table = upperHalf { value = UInt32(table[Int(byte) - 0xA0]) }
            scalars.append(UnicodeScalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }
}

/// A set of bytes as four 64-bit words.
struct ByteTable: Sendable, Hashable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// A vector test that clears most blocks of allowed bytes at once.
    private(set) var screen = Screen()

    /// A test of 16 bytes at once that passes only allowed bytes (and line breaks): the allowed bytes as one
    /// span from its lowest to its highest byte, minus one run of holes and up to three single holes. A table
    /// that does not fit gets a screen that passes nothing, so its blocks are checked byte by byte: the screen
    /// is never wrong, only sometimes unhelpful.
    ///
    /// Written with wrapping subtraction, `.==` and signed `.>` only, which compile to SSE2 instructions; the
    /// unsigned ordering comparisons fall back to a loop per lane in larger expressions.
    struct Screen: Sendable {
        private var low = SIMD16<UInt8>(repeating: 1)
        /// The span's width with its top bit flipped, for a signed comparison (SSE2 has no unsigned one).
        private var span = SIMD16<Int8>(repeating: 0)
        private var holeLow = SIMD16<UInt8>(repeating: 0)
        private var holeSpan = SIMD16<Int8>(repeating: 0)
        private var hole0 = SIMD16<UInt8>(repeating: 0)
        private var hole1 = SIMD16<UInt8>(repeating: 0)
        private var hole2 = SIMD16<UInt8>(repeating: 0)
        private var passesNothing = true

        init() {}

        init(_ table: ByteTable) {
            guard let low = (0...255).first(where: { table.contains(UInt8($0)) }),
                let high = (0...255).last(where: { table.contains(UInt8($0)) }),
                let rejected = (0...255).first(where: { !table.contains(UInt8($0)) })
            else { return }
            var runs: [ClosedRange<Int>] = []
            var byte = low
            while byte <= high {
                if table.contains(UInt8(byte)) {
                    byte += 1
                    continue
                }
                var end = byte
                while end + 1 <= high && !table.contains(UInt8(end + 1)) { end += 1 }
                runs.append(byte...end)
                byte = end + 1
            }
            let widest = runs.indices.max { runs[$0].count < runs[$1].count }
            var singles: [Int] = []
            for (index, run) in runs.enumerated() where index != widest { singles.append(contentsOf: run) }
            guard singles.count <= 3 else { return }
            // Unused holes repeat a byte the table rejects anyway.
            while singles.count < 3 { singles.append(rejected) }
            let hole = widest.map { runs[$0] } ?? rejected...rejected
            self.low = SIMD16(repeating: UInt8(low))
            self.span = SIMD16(repeating: Int8(bitPattern: UInt8(high - low) ^ 0x80))
            self.holeLow = SIMD16(repeating: UInt8(hole.lowerBound))
            self.holeSpan = SIMD16(repeating: Int8(bitPattern: UInt8(hole.upperBound - hole.lowerBound) ^ 0x80))
            self.hole0 = SIMD16(repeating: UInt8(singles[0]))
            self.hole1 = SIMD16(repeating: UInt8(singles[1]))
            self.hole2 = SIMD16(repeating: UInt8(singles[2]))
            self.passesNothing = false
        }

        /// Whether the screen clears all four blocks.
        @inline(__always)
        func passes(_ a: SIMD16<UInt8>, _ b: SIMD16<UInt8>, _ c: SIMD16<UInt8>, _ d: SIMD16<UInt8>) -> Bool {
            if self.passesNothing { return false }
            let outside = self.outside(a) | self.outside(b) | self.outside(c) | self.outside(d)
            let words = unsafeBitCast(outside, to: SIMD2<UInt64>.self)
            return words[0] | words[1] == 0
        }

        /// Whether any byte of `block` may be outside the table (then check the block byte by byte).
        @inline(__always)
        func mayReject(_ block: SIMD16<UInt8>) -> Bool {
            if self.passesNothing { return true }
            let words = unsafeBitCast(self.outside(block), to: SIMD2<UInt64>.self)
            return words[0] | words[1] != 0
        }

        /// 0xFF for each byte the screen does not clear.
        @inline(__always)
        private func outside(_ block: SIMD16<UInt8>) -> SIMD16<UInt8> {
            // x ≤ width, unsigned, is (x ^ 0x80) ≤ (width ^ 0x80), signed.
            let fromLow = unsafeBitCast((block &- self.low) ^ SIMD16(repeating: 0x80), to: SIMD16<Int8>.self)
            let outsideSpan = Self.bytes(fromLow .> self.span)
            let fromHole = unsafeBitCast((block &- self.holeLow) ^ SIMD16(repeating: 0x80), to: SIMD16<Int8>.self)
            let inHole = ~Self.bytes(fromHole .> self.holeSpan)
            let single =
                Self.bytes(block .== self.hole0) | Self.bytes(block .== self.hole1)
                | Self.bytes(block .== self.hole2)
            let lineBreak =
                Self.bytes(block .== SIMD16(repeating: ASCII.cr)) | Self.bytes(block .== SIMD16(repeating: ASCII.lf))
            return (outsideSpan | inHole | single) & ~lineBreak
        }

        @inline(__always)
        private static func bytes(_ mask: SIMDMask<SIMD16<Int8>>) -> SIMD16<UInt8> {
            SIMD16(repeating: 0).replacing(with: 0xFF, where: mask)
        }
    }

    init(_ ranges: [ClosedRange<UInt8>]) {
        for range in ranges { for byte in range { self.insert(byte) } }
        self.screen = Screen(self)
    }

    private mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: self.words.0 |= bit
        case 1: self.words.1 |= bit
        case 2: self.words.2 |= bit
        default: self.words.3 |= bit
        }
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return self.words.0 & bit != 0
        case 1: return self.words.1 & bit != 0
        case 2: return self.words.2 & bit != 0
        default: return self.words.3 & bit != 0
        }
    }

    static func == (lhs: ByteTable, rhs: ByteTable) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(self.words.0)
        hasher.combine(self.words.1)
        hasher.combine(self.words.2)
        hasher.combine(self.words.3)
    }

    /// UNOA, syntax versions 3 and 4.
    static let unoa = ByteTable([0x20...0x22, 0x25...0x3F, 0x41...0x5A])
    /// UNOB: UNOA, lowercase letters and the level B separators.
    static let unob = ByteTable([0x1C...0x1F, 0x20...0x22, 0x25...0x3F, 0x41...0x5A, 0x61...0x7A])
    /// The graphic characters of an ISO 8859 part.
    static let graphic8859 = ByteTable([0x20...0x7E, 0xA0...0xFF])
}

/// UTF-8 well-formedness (Unicode 15, table 3-7); a namespace.
enum UTF8Validation {
    /// The offset of the first byte that starts an ill-formed sequence, or `nil` when all is well-formed.
    static func firstInvalidByte(in bytes: UnsafeRawBufferPointer) -> Int? {
        var index = 0
        let count = bytes.count
        while index < count {
            if index &+ 16 <= count, let base = bytes.baseAddress {
                // Skip 16 ASCII bytes at once.
                let block = base.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                let words = unsafeBitCast(block, to: SIMD2<UInt64>.self)
                if (words[0] | words[1]) & 0x8080_8080_8080_8080 == 0 {
                    index &+= 16
                    continue
                }
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return index
            }
            guard index + length <= count else { return index }
            let second = bytes[index + 1]
            guard second >= low && second <= high else { return index }
            for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 { return index }
            index += length
        }
        return nil
    }
}

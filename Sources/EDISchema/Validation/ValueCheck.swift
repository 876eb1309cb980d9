public import EDICore

/// An element or component whose value bytes validation reads.
protocol ValueView {
    func withValueBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result
}

/// A value with a location and a size.
protocol Located {
    var location: Location { get }
    var byteCount: Int { get }
}

extension Element: ValueView, Located {}
extension Component: ValueView, Located {}

/// Checks of one value against its element definition, on bytes, allocating nothing.
enum ValueCheck {
    /// The first problem with `bytes` as a value of `element`, and the value's length; `nil` when it is valid.
    @inline(__always)
    static func check(
        _ bytes: UnsafeRawBufferPointer,
        element: CompiledGrammar.Element,
        codes: CodeSet?,
        decimalMark: UInt8,
        countsScalars: Bool
    ) -> (Finding.Code, Int)? {
        var length = 0
        switch element.type {
        case .numeric, .decimal:
            let isDecimal = element.type == .decimal
            var index = 0
            if index < bytes.count && bytes[index] == UInt8(ascii: "-") { index += 1 }
            var sawMark = false
            var digits = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte &- 0x30 < 10 {
                    digits += 1
                } else if isDecimal && !sawMark && (byte == decimalMark || byte == UInt8(ascii: ".")) {
                    sawMark = true
                } else {
                    return (.invalidCharacter, digits)
                }
                index += 1
            }
            if digits == 0 { return (.invalidCharacter, 0) }
            length = digits
        case .binary, .composite:
            return nil
        default:
            // One test per byte for the common case (printable ASCII); control bytes, DEL and bytes >= 0x80 (UTF-8
            // continuation bytes do not count toward the length) take the slower branch.
            let alphabetic = element.type == .alphabetic
            length = bytes.count
            for byte in bytes {
                if byte &- 0x20 >= 0x5F {
                    if byte < 0x20 || byte == 0x7F { return (.invalidCharacter, length) }
                    if countsScalars && byte & 0xC0 == 0x80 { length -= 1 }
                } else if alphabetic && byte &- 0x30 < 10 {
                    return (.invalidCharacter, length)
                }
            }
        }
        if length < Int(element.minimum) { return (.elementTooShort, length) }
        if length > Int(element.maximum) { return (.elementTooLong, length) }
        switch element.type {
        case .date:
            if !self.isDate(bytes) { return (.invalidDate, length) }
        case .time:
            if !self.isTime(bytes) { return (.invalidTime, length) }
        default:
            break
        }
        if let codes, !codes.contains(bytes) { return (.invalidCodeValue, length) }
        return nil
    }

    /// CCYYMMDD or YYMMDD, a real calendar date.
    static func isDate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count == 8 || bytes.count == 6, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return false
        }
        func number(_ start: Int, _ count: Int) -> Int {
            (start..<(start + count)).reduce(0) { $0 * 10 + Int(bytes[$1] - 0x30) }
        }
        let year = bytes.count == 8 ? number(0, 4) : 2000 + number(0, 2)
        let month = number(bytes.count - 4, 2)
        let day = number(bytes.count - 2, 2)
        guard month >= 1 && month <= 12 && day >= 1 else { return false }
        let days: Int
        switch month {
        case 2: days = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: days = 30
        default: days = 31
        }
        return day <= days
    }

    /// HHMM, HHMMSS or HHMMSSd..d.
    static func isTime(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 4, bytes.count != 5, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return false
        }
        let hours = Int(bytes[0] - 0x30) * 10 + Int(bytes[1] - 0x30)
        let minutes = Int(bytes[2] - 0x30) * 10 + Int(bytes[3] - 0x30)
        let seconds = bytes.count >= 6 ? Int(bytes[4] - 0x30) * 10 + Int(bytes[5] - 0x30) : 0
        return hours <= 23 && minutes <= 59 && seconds <= 59
    }

    /// A decimal number as an exact scaled integer (`-12.50` → (-1250, 2)); `nil` when it is not one or has more
    /// than 18 digits. A decimal mark of `mark` or `.` is accepted, as for type R.
    static func decimal(_ bytes: UnsafeRawBufferPointer, mark: UInt8) -> (mantissa: Int, scale: Int)? {
        var index = 0
        var negative = false
        if index < bytes.count && bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var mantissa = 0
        var digits = 0
        var scale = 0
        var sawMark = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte &- 0x30 < 10 {
                digits += 1
                guard digits <= 18 else { return nil }
                mantissa = mantissa * 10 + Int(byte - 0x30)
                if sawMark { scale += 1 }
            } else if !sawMark && (byte == mark || byte == UInt8(ascii: ".")) {
                sawMark = true
            } else {
                return nil
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        return (negative ? -mantissa : mantissa, scale)
    }

    /// `a + b` exactly, at the larger scale; `nil` on overflow.
    static func add(_ a: (mantissa: Int, scale: Int), _ b: (mantissa: Int, scale: Int)) -> (mantissa: Int, scale: Int)?
    {
        guard let left = self.rescale(a, to: max(a.scale, b.scale)),
            let right = self.rescale(b, to: max(a.scale, b.scale))
        else { return nil }
        let (sum, overflow) = left.addingReportingOverflow(right)
        return overflow ? nil : (sum, max(a.scale, b.scale))
    }

    /// Whether two exact decimals are equal (`1.5` and `1.50` are).
    static func equal(_ a: (mantissa: Int, scale: Int), _ b: (mantissa: Int, scale: Int)) -> Bool? {
        let scale = max(a.scale, b.scale)
        guard let left = self.rescale(a, to: scale), let right = self.rescale(b, to: scale) else { return nil }
        return left == right
    }

    private static func rescale(_ value: (mantissa: Int, scale: Int), to scale: Int) -> Int? {
        var mantissa = value.mantissa
        for _ in value.scale..<scale {
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            mantissa = product
        }
        return mantissa
    }

    /// A non-negative integer, or `nil`.
    static func integer(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// What a type allows, for messages.
    static func typeDescription(_ type: CompiledGrammar.Kind) -> String {
        switch type {
        case .numeric: "digits with an optional leading minus sign"
        case .decimal: "a decimal number"
        case .alphabetic: "letters"
        case .date: "a date"
        case .time: "a time"
        default: "printable characters"
        }
    }
}

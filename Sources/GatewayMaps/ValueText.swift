import GatewayEvents

/// Conversions between element text and field values, on ASCII digits; each returns `nil` when the text is not of
/// the form.
enum ValueText {
    /// `-12.50`, `12,5` (EDIFACT decimal comma) or digits with `implied` decimal places (X12 `N2`: `1250` is
    /// `12.50`), as JSON number text.
    static func decimal(_ text: String, implied: Int) -> String? {
        var output = ByteOutput(capacity: text.utf8.count + implied + 4)
        var text = text
        let isDecimal = text.withUTF8 { Self.decimal(UnsafeRawBufferPointer($0), implied: implied, into: &output) }
        return isDecimal ? String(decoding: output.contents, as: UTF8.self) : nil
    }

    /// ``decimal(_:implied:)`` of the UTF-8 `bytes`, its JSON number text appended to `output`; `false` (and
    /// nothing appended) when the bytes are not a decimal number. Makes no string and allocates nothing beyond what
    /// `output` grows by: maps read decimals in every line of a document.
    static func decimal(_ bytes: UnsafeRawBufferPointer, implied: Int, into output: inout ByteOutput) -> Bool {
        let count = bytes.count
        let negative = bytes.first == UInt8(ascii: "-")
        let first = negative ? 1 : 0
        var mark = -1
        for offset in first..<count {
            let byte = bytes[offset]
            if byte >= 0x30 && byte <= 0x39 { continue }
            guard mark < 0 && (byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",")) else { return false }
            mark = offset
        }
        guard count - first > (mark < 0 ? 0 : 1) else { return false }
        // The integer's digits are bytes[first..<integerEnd], the fraction's `zeros` zeros then
        // bytes[fractionStart..<count].
        var integerEnd = mark < 0 ? count : mark
        var fractionStart = mark < 0 ? count : mark + 1
        var zeros = 0
        if implied > 0 && mark < 0 {
            // An implied decimal point: the last `implied` digits are the fraction, padded with zeros in front.
            let digits = count - first
            integerEnd = max(first, count - implied)
            fractionStart = integerEnd
            zeros = max(0, implied - digits)
        }
        if negative { output.append(UInt8(ascii: "-")) }
        var start = first
        while integerEnd - start > 1 && bytes[start] == UInt8(ascii: "0") { start += 1 }
        if start == integerEnd {
            output.append(UInt8(ascii: "0"))
        } else {
            output.append(UnsafeRawBufferPointer(rebasing: bytes[start..<integerEnd]))
        }
        if zeros > 0 || fractionStart < count {
            output.append(UInt8(ascii: "."))
            for _ in 0..<zeros { output.append(UInt8(ascii: "0")) }
            output.append(UnsafeRawBufferPointer(rebasing: bytes[fractionStart..<count]))
        }
        return true
    }

    /// Digits, optionally signed, as JSON number text.
    static func integer(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        let digits = bytes.first == UInt8(ascii: "-") ? bytes.dropFirst() : bytes[...]
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        // JSON numbers have no leading zeros: `030` is 30, `-0` is 0.
        var trimmed = Array(digits.drop { $0 == UInt8(ascii: "0") })
        if trimmed.isEmpty { trimmed = [UInt8(ascii: "0")] }
        let negative = bytes.first == UInt8(ascii: "-") && trimmed != [UInt8(ascii: "0")]
        return (negative ? "-" : "") + String(decoding: trimmed, as: UTF8.self)
    }

    /// `CCYYMMDD` or `YYMMDD` (20YY) as `CCYYMMDD`, a real calendar date.
    static func date(_ text: String) -> String? {
        // Read digit by digit, with no copy: every dated segment passes here.
        let count = text.utf8.count
        guard count == 8 || count == 6 else { return nil }
        var index = count == 6 ? 2 : 0
        var year = count == 6 ? 20 : 0
        var month = 0
        var day = 0
        for byte in text.utf8 {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            let digit = Int(byte - 0x30)
            if index < 4 {
                year = year * 10 + digit
            } else if index < 6 {
                month = month * 10 + digit
            } else {
                day = day * 10 + digit
            }
            index += 1
        }
        guard (1...12).contains(month), day >= 1, day <= Self.days(in: month, of: year) else { return nil }
        return count == 8 ? text : "20" + text
    }

    /// `HHMM` or `HHMMSS` (longer fractions allowed and cut).
    static func time(_ text: String) -> String? {
        let count = text.utf8.count
        guard count >= 4, count != 5 else { return nil }
        var parts = (hours: 0, minutes: 0, seconds: 0)
        var index = 0
        for byte in text.utf8 {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            let digit = Int(byte - 0x30)
            switch index {
            case 0, 1: parts.hours = parts.hours * 10 + digit
            case 2, 3: parts.minutes = parts.minutes * 10 + digit
            case 4, 5: parts.seconds = parts.seconds * 10 + digit
            default: break
            }
            index += 1
        }
        return parts.hours <= 23 && parts.minutes <= 59 && parts.seconds <= 59 ? text : nil
    }

    static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Element 623's codes of fixed offsets: standard (S) and daylight (D) time of each zone, and UTC.
    private static let fixedZones: [String: Int] = [
        "UT": 0, "GM": 0, "TS": -240, "TD": -180, "ES": -300, "ED": -240, "CS": -360, "CD": -300, "MS": -420,
        "MD": -360, "PS": -480, "PD": -420, "AS": -540, "AD": -480, "HS": -600, "HD": -540, "NS": -210, "ND": -150,
    ]

    /// Element 623's plain zone names, by their standard offset: they follow US daylight time.
    private static let usZones: [String: Int] = [
        "TT": -240, "ET": -300, "CT": -360, "MT": -420, "PT": -480, "AT": -540, "NT": -210,
    ]

    /// The UTC offset in minutes of an X12 time code (element 623): fixed zones (`ES`, `CD`, `UT`…), and `ET`,
    /// `CT`, `MT`, `PT` as US local time at `date` and `time` (``isUSDaylightTime(_:time:)``). `nil` for `LT`
    /// (local time, zone unknown), unknown codes, and a US zone on a date no uniform US rule covers.
    static func utcOffset(x12Code code: String, date: String?, time: String? = nil) -> Int? {
        // Element 623: standard (S) and daylight (D) codes are fixed; the plain zone names follow US daylight time.
        if let offset = Self.fixedZones[code] { return offset }
        guard let base = Self.usZones[code], let date, let daylight = Self.isUSDaylightTime(date, time: time) else {
            return nil
        }
        return base + (daylight ? 60 : 0)
    }

    /// Whether `CCYYMMDD` at `HHMM` (local time) falls in US daylight saving time, by the rule of its year: from
    /// 2007 the second Sunday of March to the first Sunday of November; 1987-2006 the first Sunday of April to the
    /// last Sunday of October; 1967-1986 the last Sunday of April to the last Sunday of October (1974 from January 6,
    /// 1975 from February 23). The change is at 02:00 local time: from 02:00 on the first day, until 02:00
    /// daylight time on the last (the repeated hour 01:00-01:59 is read as daylight time, its first passing).
    /// `nil` before 1967, when no uniform rule held.
    static func isUSDaylightTime(_ date: String, time: String? = nil) -> Bool? {
        let digits = Array(date.utf8).map { Int($0 &- 0x30) }
        guard digits.count == 8 else { return nil }
        let year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
        let month = digits[4] * 10 + digits[5]
        let day = digits[6] * 10 + digits[7]
        let hour = time.flatMap { text -> Int? in
            let clock = Array(text.utf8).prefix(2).map { Int($0 &- 0x30) }
            return clock.count == 2 ? clock[0] * 10 + clock[1] : nil
        }
        guard year >= 1967 else { return nil }
        // The day of the week (0 = Sunday) of `day` in `month`, by Zeller's congruence.
        func weekday(_ month: Int, _ day: Int) -> Int {
            var y = year
            var m = month
            if m < 3 {
                m += 12
                y -= 1
            }
            let k = y % 100
            let j = y / 100
            let h = (day + (13 * (m + 1)) / 5 + k + k / 4 + j / 4 + 5 * j) % 7
            return (h + 6) % 7
        }
        func sunday(_ month: Int, _ nth: Int) -> Int { 1 + (7 - weekday(month, 1)) % 7 + 7 * (nth - 1) }
        func lastSunday(_ month: Int, days: Int) -> Int { days - weekday(month, days) }
        let start: (month: Int, day: Int)
        let end: (month: Int, day: Int)
        switch year {
        case 2007...: (start, end) = ((3, sunday(3, 2)), (11, sunday(11, 1)))
        case 1987...2006: (start, end) = ((4, sunday(4, 1)), (10, lastSunday(10, days: 31)))
        case 1974: (start, end) = ((1, 6), (10, lastSunday(10, days: 31)))
        case 1975: (start, end) = ((2, 23), (10, lastSunday(10, days: 31)))
        default: (start, end) = ((4, lastSunday(4, days: 30)), (10, lastSunday(10, days: 31)))
        }
        let today = month * 100 + day
        let first = start.month * 100 + start.day
        let last = end.month * 100 + end.day
        if today == first { return (hour ?? 12) >= 2 }
        if today == last { return (hour ?? 0) < 2 }
        return today > first && today < last
    }

    /// An EDIFACT date/time (C507 2380) in format `format` (2379): `102` CCYYMMDD, `203` CCYYMMDDHHMM, `204`
    /// CCYYMMDDHHMMSS, `303`/`304` with a zone (`+01`, `Z`) after the time. Other formats are not timestamps.
    static func edifactTimestamp(_ text: String, format: String) -> String? {
        let bytes = Array(text.utf8)
        switch format {
        case "102":
            guard let date = Self.date(text), bytes.count == 8 else { return nil }
            return Timestamp(date: date)?.text
        case "203", "204", "303", "304":
            let timeLength = format.hasSuffix("3") ? 4 : 6
            guard bytes.count >= 8 + timeLength, let date = Self.date(String(decoding: bytes[0..<8], as: UTF8.self))
            else { return nil }
            let time = String(decoding: bytes[8..<(8 + timeLength)], as: UTF8.self)
            guard Self.time(time) != nil else { return nil }
            var offset: Int?
            if format.hasPrefix("3") {
                // A zone is `Z`, `UTC`, or a sign and two digits of hours (at most 14).
                let zone = Array(bytes[(8 + timeLength)...])
                let text = String(decoding: zone, as: UTF8.self)
                if text == "Z" || text == "UTC" {
                    offset = 0
                } else if zone.count == 3, zone[0] == UInt8(ascii: "+") || zone[0] == UInt8(ascii: "-"),
                    let hours = Int(String(decoding: zone[1...], as: UTF8.self)), hours <= 14
                {
                    offset = (zone[0] == UInt8(ascii: "-") ? -hours : hours) * 60
                } else {
                    return nil
                }
            } else if bytes.count != 8 + timeLength {
                return nil
            }
            return Timestamp(date: date, time: time, utcOffsetMinutes: offset)?.text
        default:
            return nil
        }
    }
}

extension ValueText {
    /// JSON number text as element text: `12.50` with 2 implied places is `1250`; otherwise as is.
    static func render(decimal text: String, implied: Int) -> String? {
        var bytes = Array(text.utf8)
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes.removeFirst()
        }
        guard !bytes.isEmpty, bytes.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") }) else {
            return nil
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        var integer = Array(parts[0])
        var fraction = parts.count == 2 ? Array(parts[1]) : []
        if implied > 0 {
            // Exact trailing zeros may go; more places than implied cannot be sent.
            while fraction.count > implied && fraction.last == UInt8(ascii: "0") { fraction.removeLast() }
            guard fraction.count <= implied else { return nil }
            while fraction.count < implied { fraction.append(UInt8(ascii: "0")) }
            integer += fraction
            fraction = []
            while integer.count > 1 && integer.first == UInt8(ascii: "0") { integer.removeFirst() }
        }
        if integer.isEmpty { integer = [UInt8(ascii: "0")] }
        var result = (negative ? "-" : "") + String(decoding: integer, as: UTF8.self)
        if !fraction.isEmpty { result += "." + String(decoding: fraction, as: UTF8.self) }
        return result
    }

    /// The offset in minutes of an ISO 8601 date-time's zone (`Z`, `-05:00`), or `nil` without one.
    static func offset(of text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count > 19 else { return nil }
        if bytes[19] == UInt8(ascii: "Z") { return 0 }
        guard bytes.count == 25, let hours = Int(String(decoding: bytes[20..<22], as: UTF8.self)),
            let minutes = Int(String(decoding: bytes[23..<25], as: UTF8.self))
        else { return nil }
        let magnitude = hours * 60 + minutes
        return bytes[19] == UInt8(ascii: "-") ? -magnitude : magnitude
    }

    /// An X12 time code that reads back as `offset` (fixed zones only), or `nil` when none does.
    static func x12TimeCode(_ offset: Int) -> String? {
        let codes: [Int: String] = [
            0: "UT", -150: "ND", -180: "TD", -210: "NS", -240: "ED", -300: "ES", -360: "CS", -420: "MS", -480: "PS",
            -540: "AS", -600: "HS",
        ]
        return codes[offset]
    }

    /// An ISO 8601 timestamp as EDIFACT DTM text and its format code: `102` for a date, `203` for minutes, `204`
    /// with seconds, `303`/`304` with a whole-hour zone.
    static func edifactDateTime(_ text: String) -> (String, String)? {
        let bytes = Array(text.utf8)
        let date = String(decoding: bytes.prefix(10).filter { $0 != UInt8(ascii: "-") }, as: UTF8.self)
        guard date.count == 8 else { return nil }
        if bytes.count == 10 { return (date, "102") }
        guard bytes.count >= 19 else { return nil }
        let clock = Array(bytes[11..<19]).filter { $0 != UInt8(ascii: ":") }
        let seconds = String(decoding: clock.suffix(2), as: UTF8.self)
        let withSeconds = seconds != "00"
        let time = String(decoding: withSeconds ? clock : Array(clock.prefix(4)), as: UTF8.self)
        guard let offset = Self.offset(of: text) else { return (date + time, withSeconds ? "204" : "203") }
        guard offset % 60 == 0 else { return nil }
        let hours = offset / 60
        let zone = offset == 0 ? "Z" : (hours < 0 ? "-" : "+") + (abs(hours) < 10 ? "0" : "") + String(abs(hours))
        return (date + time + zone, withSeconds ? "304" : "303")
    }
}

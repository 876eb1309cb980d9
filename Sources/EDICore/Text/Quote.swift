/// Renders bytes for messages: printable ASCII in quotes, anything else in hex, cut at 16 bytes.
///
/// Only tags, qualifiers, delimiters and control numbers go through here. Element values are described by their
/// length and position instead (STYLE.md §4), because an 837 or 834 carries personal data.
public enum Quote {
    /// A tag, transaction type or syntax identifier as messages may show it: itself when it is 1 to `maximumLength`
    /// ASCII letters and digits (`N1`, `856`, `DESADV`, `UNOC`), else only its length. A name that is not one is
    /// where a broken delimiter ran payload into structure, so it is never echoed.
    public static func name(_ text: some StringProtocol, maximumLength: Int = 6) -> String {
        let utf8 = text.utf8
        if !utf8.isEmpty && utf8.count <= maximumLength && utf8.allSatisfy(ASCII.isAlphanumeric) { return String(text) }
        return "a name of \(utf8.count) bytes"
    }

    /// `'~'` for printable ASCII, `0x0A` otherwise.
    public static func byte(_ byte: UInt8) -> String {
        if ASCII.isPrintable(byte) { return "'" + String(UnicodeScalar(byte)) + "'" }
        return "0x" + hex(byte)
    }

    /// `'ISA'` when every byte is printable ASCII, `0xE280A6` otherwise; at most 16 bytes, then `…`.
    public static func bytes(_ bytes: some Collection<UInt8>) -> String {
        let shown = bytes.prefix(16)
        let suffix = bytes.count > 16 ? "…" : ""
        if !shown.isEmpty && shown.allSatisfy(ASCII.isPrintable) {
            return "'" + String(decoding: shown, as: UTF8.self) + suffix + "'"
        }
        if shown.isEmpty { return "nothing" }
        return "0x" + shown.map(hex).joined() + suffix
    }

    static func hex(_ byte: UInt8) -> String {
        let digits: [Character] = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}

/// Builds small X12 interchanges for tests; a namespace.
public enum X12 {
    /// An ISA of 106 bytes with the given delimiters and version.
    public static func isa(
        control: String = "000000001",
        version: String = "00501",
        element: Character = "*",
        component: Character = ":",
        repetition: Character = "^",
        terminator: String = "~"
    ) -> String {
        let e = String(element)
        let fields = [
            "ISA", "00", "          ", "00", "          ", "ZZ", "SENDER         ", "ZZ", "RECEIVER       ", "260101",
            "1200", String(repetition), version, control, "0", "P", String(component),
        ]
        return fields.joined(separator: e) + terminator
    }

    /// An interchange of one group of one transaction whose body is `body` (ST and SE added with right counts).
    public static func interchange(
        _ body: [String],
        type: String = "850",
        element: Character = "*",
        terminator: String = "~",
        lineBreak: String = ""
    ) -> [UInt8] {
        let e = String(element)
        var segments = ["ST\(e)\(type)\(e)0001"] + body
        segments.append("SE\(e)\(segments.count + 1)\(e)0001")
        let text =
            isa(element: element, terminator: terminator) + lineBreak
            + (["GS\(e)PO\(e)SENDER\(e)RECEIVER\(e)20260101\(e)1200\(e)1\(e)X\(e)005010"] + segments + [
                "GE\(e)1\(e)1", "IEA\(e)1\(e)000000001",
            ]).map { $0 + terminator + lineBreak }.joined()
        return Array(text.utf8)
    }
}

/// Builds small EDIFACT interchanges for tests; a namespace.
public enum EDIFACT {
    /// An interchange of one message (UNH and UNT added with right counts) with optional UNA.
    public static func interchange(
        _ body: [String],
        message: String = "DESADV:D:96A:UN",
        syntax: String = "UNOC:3",
        serviceStringAdvice: String? = nil,
        lineBreak: String = ""
    ) -> [UInt8] {
        var segments = ["UNH+1+\(message)"] + body
        segments.append("UNT+\(segments.count + 1)+1")
        let all = ["UNB+\(syntax)+SENDER:14+RECEIVER:14+260101:1200+42"] + segments + ["UNZ+1+42"]
        let text = (serviceStringAdvice.map { $0 + lineBreak } ?? "") + all.map { $0 + "'" + lineBreak }.joined()
        return Array(text.utf8)
    }
}

extension Array where Element == UInt8 {
    /// The bytes before the first occurrence of `marker` (all of them when it does not occur).
    public func cut(before marker: String) -> [UInt8] {
        let needle = Array(marker.utf8)
        guard needle.count <= self.count else { return self }
        for start in 0...(self.count - needle.count) where self[start..<(start + needle.count)].elementsEqual(needle) {
            return Array(self[..<start])
        }
        return self
    }

    /// The offset of the first occurrence of `marker`.
    public func offset(of marker: String) -> Int? {
        let needle = Array(marker.utf8)
        guard needle.count <= self.count else { return nil }
        for start in 0...(self.count - needle.count) where self[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}

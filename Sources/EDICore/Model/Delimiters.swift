/// The service characters that separate the parts of an interchange.
///
/// X12 takes them from the fixed-width ISA segment (the element separator at byte 3, the repetition separator
/// in ISA11 from version 00402 on, the component separator in ISA16 and the segment terminator right after it).
/// EDIFACT takes them from the UNA service string advice, or uses the defaults of the syntax level named in UNB.
///
/// ```swift
/// let delimiters = Delimiters.x12   // * : ^ ~
/// let custom = Delimiters(element: UInt8(ascii: "|"), component: UInt8(ascii: ">"), segmentTerminator: [0x0A])
/// ```
public struct Delimiters: Sendable, Hashable {
    /// The data element separator.
    public var element: UInt8
    /// The component (sub-element) separator.
    public var component: UInt8
    /// The repetition separator, or `nil` when the interchange has none.
    public var repetition: UInt8?
    /// The segment terminator: usually one byte, but some partners use a UTF-8 character such as '…'.
    public var segmentTerminator: [UInt8]
    /// The EDIFACT release (escape) character, or `nil` when there is none (always `nil` for X12).
    public var release: UInt8?
    /// The EDIFACT decimal mark, '.' or ','.
    public var decimalMark: UInt8

    /// Creates a delimiter set.
    public init(
        element: UInt8,
        component: UInt8,
        repetition: UInt8? = nil,
        segmentTerminator: [UInt8],
        release: UInt8? = nil,
        decimalMark: UInt8 = UInt8(ascii: ".")
    ) {
        self.element = element
        self.component = component
        self.repetition = repetition
        self.segmentTerminator = segmentTerminator
        self.release = release
        self.decimalMark = decimalMark
    }

    /// The usual X12 set: `*`, `:`, `^` and `~`.
    public static let x12 = Delimiters(
        element: UInt8(ascii: "*"),
        component: UInt8(ascii: ":"),
        repetition: UInt8(ascii: "^"),
        segmentTerminator: [UInt8(ascii: "~")]
    )

    /// EDIFACT level A defaults (ISO 9735 UNOA/UNOB without UNA): `:` `+` `.` `?` and `'`.
    ///
    /// The repetition separator `*` applies from syntax version 4 on; readers add it once UNB names the version.
    public static let edifactLevelA = Delimiters(
        element: UInt8(ascii: "+"),
        component: UInt8(ascii: ":"),
        repetition: nil,
        segmentTerminator: [UInt8(ascii: "'")],
        release: UInt8(ascii: "?")
    )

    /// EDIFACT level B defaults (ISO 9735, UNOB): IS3 0x1D, IS1 0x1F, IS4 0x1C, no release character.
    public static let edifactLevelB = Delimiters(
        element: 0x1D,
        component: 0x1F,
        repetition: nil,
        segmentTerminator: [0x1C],
        release: nil
    )

    /// The separators, release character and terminator's first byte, for checks that they are distinct.
    public var separators: [UInt8] {
        var bytes = [self.element, self.component]
        if let repetition = self.repetition { bytes.append(repetition) }
        if let release = self.release { bytes.append(release) }
        if let first = self.segmentTerminator.first { bytes.append(first) }
        return bytes
    }

    /// Whether `byte` is any of the separators or the release character.
    @inlinable
    public func isService(_ byte: UInt8) -> Bool {
        byte == self.element || byte == self.component || byte == self.repetition || byte == self.release
            || byte == self.segmentTerminator.first
    }

    /// Whether the set can be used: separators distinct, non-empty terminator, none a letter or digit.
    public var isUsable: Bool {
        let bytes = self.separators
        guard !self.segmentTerminator.isEmpty, Set(bytes).count == bytes.count else { return false }
        for byte in bytes where ASCII.isAlphanumeric(byte) { return false }
        if self.segmentTerminator.count > 1, self.segmentTerminator.dropFirst().contains(where: { bytes.contains($0) })
        {
            return false
        }
        return true
    }
}

/// How we write interchanges for a partner: delimiters, envelope versions, character set, line breaks and the
/// test/production indicator. Every value is optional; `nil` means the standard's default for the document's
/// standard (X12 `*` `>` `^` `~`, EDIFACT `+` `:` `*` `'` with `?` as release character).
///
/// ```yaml
/// outboundSyntax:
///   delimiters: { element: "*", component: ">", repetition: "^", segmentTerminator: "~" }
///   x12Version: "00401"
///   lineBreak: crlf
///   usage: production
/// ```
public struct OutboundSyntax: Sendable, Hashable {
    /// The delimiters to write; `nil` for the standard's defaults.
    public let delimiters: Delimiters?
    /// The ISA12 interchange control version (`00401`, `00501`); `nil` leaves it to the writer's default.
    public let x12Version: String?
    /// The UNB syntax identifier and version (`UNOC`, `3`); `nil` leaves it to the writer's default.
    public let edifactSyntax: EDIFACTSyntax?
    /// The character set values are written in; `nil` for the syntax's own.
    public let characterSet: CharacterEncoding?
    /// What follows each segment terminator.
    public let lineBreak: LineBreak
    /// Whether interchanges are marked as test or production data (ISA15, UNB 0035).
    public let usage: Usage

    /// Creates an outbound syntax; the defaults are no line breaks and production data.
    public init(
        delimiters: Delimiters? = nil,
        x12Version: String? = nil,
        edifactSyntax: EDIFACTSyntax? = nil,
        characterSet: CharacterEncoding? = nil,
        lineBreak: LineBreak = .none,
        usage: Usage = .production
    ) {
        self.delimiters = delimiters
        self.x12Version = x12Version
        self.edifactSyntax = edifactSyntax
        self.characterSet = characterSet
        self.lineBreak = lineBreak
        self.usage = usage
    }
}

extension OutboundSyntax {
    /// The delimiters of an interchange, one printable ASCII character each, no letter, digit or space, all
    /// different.
    public struct Delimiters: Sendable, Hashable {
        /// Separates elements (X12 `*`, EDIFACT `+`).
        public let element: Character
        /// Separates components of a composite (X12 ISA16, EDIFACT `:`).
        public let component: Character
        /// Separates repetitions (X12 ISA11 from 00402 on, EDIFACT syntax 4 `*`); `nil` when none is used.
        public let repetition: Character?
        /// Ends each segment (X12 `~`, EDIFACT `'`).
        public let segmentTerminator: Character
        /// The EDIFACT release character (`?`); `nil` for X12, which has none.
        public let release: Character?

        /// Creates delimiters.
        public init(
            element: Character,
            component: Character,
            repetition: Character? = nil,
            segmentTerminator: Character,
            release: Character? = nil
        ) {
            self.element = element
            self.component = component
            self.repetition = repetition
            self.segmentTerminator = segmentTerminator
            self.release = release
        }
    }
}

/// An EDIFACT syntax identifier and version (UNB S001 0001 and 0002), such as `UNOC` version `3`.
public struct EDIFACTSyntax: Sendable, Hashable {
    /// The syntax identifier: `UNO` and a letter (`UNOA`, `UNOB`, `UNOC`, `UNOY`).
    public let identifier: String
    /// The syntax version number, `1` to `4`.
    public let version: String

    /// Creates a syntax identifier.
    public init(identifier: String, version: String) {
        self.identifier = identifier
        self.version = version
    }
}

/// The character set values are written in.
public enum CharacterEncoding: String, Sendable, Hashable, CaseIterable {
    /// 7-bit ASCII (X12 basic and extended character sets, EDIFACT UNOA/UNOB).
    case ascii
    /// ISO 8859-1 (EDIFACT UNOC).
    case latin1 = "iso-8859-1"
    /// UTF-8 (X12 from 006020 by agreement, EDIFACT UNOW/UNOY).
    case utf8 = "utf-8"
}

/// What is written after each segment terminator.
public enum LineBreak: String, Sendable, Hashable, CaseIterable {
    /// Nothing: one long line, as most partners expect.
    case none
    /// A line feed.
    case lf
    /// A carriage return and a line feed.
    case crlf
}

extension OutboundSyntax {
    /// Whether an interchange carries test or production data (X12 ISA15 `T`/`P`, EDIFACT UNB 0035 `1` for test).
    public enum Usage: String, Sendable, Hashable, CaseIterable {
        /// Production data.
        case production
        /// Test data: the partner must not act on it.
        case test
    }
}

/// A problem found in input that could still be read: a count that does not add up, a trailer that does not
/// match its header, a segment where none may stand.
///
/// Findings are collected, never thrown, so one bad transaction does not hide the rest of the file, and the
/// acknowledgments (TA1, 997, 999, CONTRL) are projections of them. `==` compares ``code`` and ``location``.
public struct Finding: Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem; open for extension, so validation modules add their own codes.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { self.rawValue }

        /// A trailer's control number differs from its header's (IEA02, GE02, SE02, UNZ02, UNE02, UNT02).
        public static let controlNumberMismatch = Code(rawValue: "controlNumberMismatch")
        /// A trailer's count differs from what it counts (IEA01, GE01, SE01, UNZ01, UNE01, UNT01).
        public static let countMismatch = Code(rawValue: "countMismatch")
        /// A count or control number that is missing or not a number.
        public static let invalidControlValue = Code(rawValue: "invalidControlValue")
        /// An envelope was not closed before the next one began or the input ended (no SE, GE, IEA, UNT, UNE, UNZ).
        public static let missingTrailer = Code(rawValue: "missingTrailer")
        /// A trailer with no open header (SE without ST).
        public static let unexpectedTrailer = Code(rawValue: "unexpectedTrailer")
        /// A segment outside the envelope level where it may stand (a segment between GS and ST).
        public static let unexpectedSegment = Code(rawValue: "unexpectedSegment")
        /// A segment whose tag is not 2 or 3 letters and digits.
        public static let invalidSegmentTag = Code(rawValue: "invalidSegmentTag")
        /// A segment terminator with nothing before it.
        public static let emptySegment = Code(rawValue: "emptySegment")
        /// An ISA that is not 106 bytes of fixed-width elements.
        public static let interchangeHeaderNotFixedWidth = Code(rawValue: "interchangeHeaderNotFixedWidth")
        /// A UNB syntax identifier (UNB01-1) that edigate does not know.
        public static let unknownSyntaxIdentifier = Code(rawValue: "unknownSyntaxIdentifier")
        /// A byte outside the repertoire of the interchange's syntax identifier (UNOA, UNOB) or invalid UTF-8.
        public static let characterOutsideRepertoire = Code(rawValue: "characterOutsideRepertoire")

        /// Every code the reader reports, for tests that must cover each one.
        public static let readerCodes: [Code] = [
            .controlNumberMismatch, .countMismatch, .invalidControlValue, .missingTrailer, .unexpectedTrailer,
            .unexpectedSegment, .invalidSegmentTag, .emptySegment, .interchangeHeaderNotFixedWidth,
            .unknownSyntaxIdentifier, .characterOutsideRepertoire,
        ]
    }

    /// How much a finding matters.
    public enum Severity: String, Sendable, Hashable {
        /// The input breaks the standard; acknowledgments report it.
        case error
        /// The input bends a rule that partners commonly bend (lowercase letters in UNOA); reported, not rejected.
        case warning
    }

    /// What kind of problem.
    public let code: Code
    /// How much it matters.
    public let severity: Severity
    /// Where it is.
    public let location: Location
    /// `expected <X>, found <Y>`, without payload values.
    public let message: String
    /// The loops that enclose the segment, outermost first (`["HL", "N1"]`, `["SG10", "SG11"]`); 997 AK303 and 999
    /// IK303 report the innermost. Empty for envelope findings.
    public var loopPath: [String]
    /// The data element's reference number in the dictionary (`353`, `1004`), which 997 AK402 and 999 IK402 report.
    public var elementReference: String?
    /// What made this finding's element matter: the element whose presence a syntax note makes this one required
    /// or excluded by, which 999 CTX reports as the situational trigger.
    public var trigger: Location?

    /// Creates a finding; validation modules build theirs through their own factories.
    public init(
        code: Code,
        severity: Severity = .error,
        location: Location,
        message: String,
        loopPath: [String] = [],
        elementReference: String? = nil,
        trigger: Location? = nil
    ) {
        self.code = code
        self.severity = severity
        self.location = location
        self.message = message
        self.loopPath = loopPath
        self.elementReference = elementReference
        self.trigger = trigger
    }

    /// `expected <X>, found <Y> at <where>`.
    public var description: String { self.message + " at " + self.location.description }

    public static func == (lhs: Finding, rhs: Finding) -> Bool {
        lhs.code == rhs.code && lhs.location == rhs.location
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
        hasher.combine(self.location)
    }
}

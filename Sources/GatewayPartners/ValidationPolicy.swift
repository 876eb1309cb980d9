/// How strictly a partner's inbound documents are validated: a strictness per finding code, a default for the
/// rest, and limits on size and counts.
///
/// ```yaml
/// validation:
///   default: strict
///   rules:
///     invalidCodeValue: lenient
///     elementTooLong: off
///   limits:
///     maximumFileSize: 50MiB
/// ```
public struct ValidationPolicy: Sendable, Hashable {
    /// The strictness of every finding code not named in ``rules``.
    public let defaultStrictness: Strictness
    /// The strictness of single finding codes, by code name (`invalidCodeValue`); each one of ``findingCodes``.
    public let rules: [String: Strictness]
    /// Size and count limits.
    public let limits: ValidationLimits

    /// Creates a policy; by default every rule is strict.
    public init(
        defaultStrictness: Strictness = .strict,
        rules: [String: Strictness] = [:],
        limits: ValidationLimits = ValidationLimits()
    ) {
        self.defaultStrictness = defaultStrictness
        self.rules = rules
        self.limits = limits
    }

    /// The strictness of the finding code named `code`.
    public func strictness(of code: String) -> Strictness {
        self.rules[code] ?? self.defaultStrictness
    }

    /// The finding codes a profile may name: EDICore's syntax and envelope findings and EDISchema's validation
    /// findings (`Finding.Code`), kept here because GatewayPartners depends on neither.
    public static let findingCodes: [String] = [
        // EDICore: envelopes and syntax.
        "controlNumberMismatch", "countMismatch", "invalidControlValue", "missingTrailer", "unexpectedTrailer",
        "unexpectedSegment", "invalidSegmentTag", "emptySegment", "interchangeHeaderNotFixedWidth",
        "unknownSyntaxIdentifier", "characterOutsideRepertoire",
        // EDISchema: segments, elements and document rules.
        "segmentNotInTransaction", "segmentOutOfSequence", "mandatorySegmentMissing", "segmentRepeatExceeded",
        "loopRepeatExceeded", "mandatoryElementMissing", "conditionalElementMissing", "tooManyElements",
        "elementTooShort", "elementTooLong", "invalidCharacter", "invalidCodeValue", "invalidDate", "invalidTime",
        "exclusionViolated", "tooManyRepetitions", "tooManyComponents", "totalMismatch", "hierarchyNumbering",
        "hierarchyParent", "hierarchyLevel", "hierarchyChildCode", "hierarchyDepth", "transactionNotSupported",
        "findingLimitReached",
    ]
}

/// What a finding of one rule does.
public enum Strictness: String, Sendable, Hashable, CaseIterable {
    /// The finding is an error: the transaction is rejected in the acknowledgment.
    case strict
    /// The finding is reported as a warning; the transaction is accepted.
    case lenient
    /// The rule is not checked.
    case off
}

/// Limits that protect the gateway from oversized input; going over one is an error with a location.
public struct ValidationLimits: Sendable, Hashable {
    /// The largest inbound file, in bytes; by default 100 MiB.
    public let maximumFileSize: Int
    /// The most segments in one transaction; by default 1,000,000.
    public let maximumSegmentsPerTransaction: Int
    /// The most findings reported for one transaction; by default 100, as `edigate validate`.
    public let maximumFindingsPerTransaction: Int

    /// Creates limits.
    public init(
        maximumFileSize: Int = 100 << 20,
        maximumSegmentsPerTransaction: Int = 1_000_000,
        maximumFindingsPerTransaction: Int = 100
    ) {
        self.maximumFileSize = maximumFileSize
        self.maximumSegmentsPerTransaction = maximumSegmentsPerTransaction
        self.maximumFindingsPerTransaction = maximumFindingsPerTransaction
    }
}

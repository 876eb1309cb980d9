/// Which acknowledgments we send a partner for their documents, and which we expect back for ours, within how
/// long.
///
/// The defaults answer a TA1 request (ISA14 `1`), send no functional acknowledgment, no CONTRL, and expect
/// nothing back.
///
/// ```yaml
/// acknowledgments:
///   ta1: on-request
///   functional: "997"
///   expect:
///     - { document: "856", acknowledgment: "997", within: 24h }
/// ```
public struct AcknowledgmentPolicy: Sendable, Hashable {
    /// When we send a TA1 interchange acknowledgment for an X12 interchange.
    public let ta1: TA1Policy
    /// The X12 functional acknowledgment we send for each group: 997, 999, or none.
    public let functional: FunctionalAcknowledgment
    /// Whether we send a CONTRL for each EDIFACT interchange.
    public let contrl: Bool
    /// The acknowledgments we expect for our outbound documents.
    public let expected: [ExpectedAcknowledgment]

    /// Creates a policy.
    public init(
        ta1: TA1Policy = .onRequest,
        functional: FunctionalAcknowledgment = .none,
        contrl: Bool = false,
        expected: [ExpectedAcknowledgment] = []
    ) {
        self.ta1 = ta1
        self.functional = functional
        self.contrl = contrl
        self.expected = expected
    }
}

/// When a TA1 interchange acknowledgment is sent.
public enum TA1Policy: String, Sendable, Hashable, CaseIterable {
    /// Never, even when ISA14 requests one.
    case never
    /// When the interchange requests one (ISA14 `1`), or when the envelope has errors and one was requested.
    case onRequest = "on-request"
    /// For every interchange.
    case always
}

/// The X12 functional acknowledgment sent for each group.
public enum FunctionalAcknowledgment: String, Sendable, Hashable, CaseIterable {
    /// The 997 functional acknowledgment.
    case x997 = "997"
    /// The 999 implementation acknowledgment (005010 and later).
    case x999 = "999"
    /// None.
    case none
}

/// An acknowledgment a partner returns for one of our outbound document types, and how long we wait for it before
/// the document is reported overdue.
public struct ExpectedAcknowledgment: Sendable, Hashable {
    /// The outbound document type it acknowledges (`856`, `INVOIC`); one of the profile's outbound documents.
    public let document: String
    /// The acknowledgment expected.
    public let acknowledgment: Kind
    /// How long after sending it must arrive, written `30m`, `24h`, `2d`.
    public let within: Duration

    /// Creates an expectation.
    public init(document: String, acknowledgment: Kind, within: Duration) {
        self.document = document
        self.acknowledgment = acknowledgment
        self.within = within
    }
}

extension ExpectedAcknowledgment {
    /// The kinds of acknowledgment a partner can return.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// An X12 TA1 interchange acknowledgment.
        case ta1 = "TA1"
        /// An X12 997 functional acknowledgment.
        case x997 = "997"
        /// An X12 999 implementation acknowledgment.
        case x999 = "999"
        /// An EDIFACT CONTRL syntax and service report.
        case contrl = "CONTRL"
    }
}

public import EDICore

/// What was received in one interchange and what was wrong with it, level by level: the input of every
/// acknowledgment (TA1, 997, 999, CONTRL), which are projections of these findings.
///
/// Built by ``InterchangeValidation`` from the reader's events; it keeps the envelope values the
/// acknowledgments echo (control numbers, identifiers, versions), never the transactions' content.
public struct InterchangeReport: Sendable {
    /// X12 or EDIFACT.
    public var standard: Standard
    /// The delimiters the interchange used; acknowledgments are written back with them.
    public var delimiters: Delimiters
    /// ISA13 or UNB05.
    public var controlNumber: String
    /// ISA06/ISA05 or UNB02-1/UNB02-2.
    public var sender: String
    public var senderQualifier: String
    /// ISA08/ISA07 or UNB03-1/UNB03-2.
    public var receiver: String
    public var receiverQualifier: String
    /// ISA09 and ISA10, or UNB04-1 and UNB04-2.
    public var date: String
    public var time: String
    /// ISA12 (`00401`) or UNB01-2 (`3`).
    public var syntaxVersion: String
    /// UNB01-1 (`UNOC`); empty for X12.
    public var syntaxIdentifier: String
    /// ISA15 `T` or UNB11 `1`.
    public var isTest: Bool
    /// Findings about the interchange envelope itself (ISA, IEA, UNB, UNZ, segments outside any group).
    public var findings: [Finding]
    /// The groups in order; EDIFACT messages sent without UNG form one group without a header.
    public var groups: [GroupReport]
    /// Whether the trailer (IEA, UNZ) was present.
    public var hasTrailer: Bool

    /// Creates a report; ``InterchangeValidation`` builds them from reader events.
    public init(
        standard: Standard,
        delimiters: Delimiters,
        controlNumber: String,
        sender: String,
        senderQualifier: String,
        receiver: String,
        receiverQualifier: String,
        date: String,
        time: String,
        syntaxVersion: String,
        syntaxIdentifier: String = "",
        isTest: Bool = false,
        findings: [Finding] = [],
        groups: [GroupReport] = [],
        hasTrailer: Bool = true
    ) {
        self.standard = standard
        self.delimiters = delimiters
        self.controlNumber = controlNumber
        self.sender = sender
        self.senderQualifier = senderQualifier
        self.receiver = receiver
        self.receiverQualifier = receiverQualifier
        self.date = date
        self.time = time
        self.syntaxVersion = syntaxVersion
        self.syntaxIdentifier = syntaxIdentifier
        self.isTest = isTest
        self.findings = findings
        self.groups = groups
        self.hasTrailer = hasTrailer
    }

    /// Whether the interchange envelope has an error (not a warning).
    public var hasErrors: Bool { self.findings.contains { $0.severity == .error } }

    /// Everything found at every level: the envelope, then each group and its transactions in order.
    public var allFindings: [Finding] {
        self.findings + self.groups.flatMap { $0.findings + $0.transactions.flatMap(\.findings) }
    }
}

/// One functional group (GS…GE, UNG…UNE) or the implicit group of EDIFACT messages without UNG.
public struct GroupReport: Sendable {
    /// GS01 or UNG01; empty without a header.
    public var functionalIdentifier: String
    /// GS06 or UNG05.
    public var controlNumber: String
    /// GS02/GS03 or UNG02-1/UNG03-1.
    public var applicationSender: String
    public var applicationReceiver: String
    /// GS08 (`004010`, `005010X231A1`) or UNG06 joined.
    public var version: String
    /// Whether there was a header (GS, UNG).
    public var hasHeader: Bool
    /// Whether the trailer (GE, UNE) was present.
    public var hasTrailer: Bool
    /// GE01 or UNE01 as received, when a number.
    public var declaredTransactionCount: Int?
    /// Findings about the group envelope.
    public var findings: [Finding]
    /// The transactions in order.
    public var transactions: [TransactionReport]

    /// Creates a group report.
    public init(
        functionalIdentifier: String = "",
        controlNumber: String = "",
        applicationSender: String = "",
        applicationReceiver: String = "",
        version: String = "",
        hasHeader: Bool = true,
        hasTrailer: Bool = true,
        declaredTransactionCount: Int? = nil,
        findings: [Finding] = [],
        transactions: [TransactionReport] = []
    ) {
        self.functionalIdentifier = functionalIdentifier
        self.controlNumber = controlNumber
        self.applicationSender = applicationSender
        self.applicationReceiver = applicationReceiver
        self.version = version
        self.hasHeader = hasHeader
        self.hasTrailer = hasTrailer
        self.declaredTransactionCount = declaredTransactionCount
        self.findings = findings
        self.transactions = transactions
    }
}

/// One transaction (ST…SE, UNH…UNT) and its findings, envelope and validation together.
public struct TransactionReport: Sendable {
    /// ST01 or UNH02-1.
    public var type: String
    /// ST02 or UNH01.
    public var controlNumber: String
    /// ST03 (X12) or UNH02-2…4 joined with ':' (EDIFACT).
    public var version: String
    /// Whether the trailer (SE, UNT) was present.
    public var hasTrailer: Bool
    /// Whether a grammar covered it; `false` makes it "not supported".
    public var isSupported: Bool
    /// Everything found, in segment order.
    public var findings: [Finding]
    /// The reference (`BSN02`) and value a 999 CTX reports as business unit identifier, when one was asked for
    /// (``InterchangeValidation/businessUnitReferences``).
    public var businessUnitIdentifier: (reference: String, value: String)?

    /// Creates a transaction report.
    public init(
        type: String,
        controlNumber: String,
        version: String = "",
        hasTrailer: Bool = true,
        isSupported: Bool = true,
        findings: [Finding] = []
    ) {
        self.type = type
        self.controlNumber = controlNumber
        self.version = version
        self.hasTrailer = hasTrailer
        self.isSupported = isSupported
        self.findings = findings
    }

    /// Whether anything found is an error.
    public var hasErrors: Bool { self.findings.contains { $0.severity == .error } }
}

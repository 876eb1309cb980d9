/// What opens an interchange: its standard, delimiters, character set and header segments.
public struct InterchangeHeader: Sendable {
    /// X12 or EDIFACT.
    public let standard: Standard
    /// The delimiters the interchange is written with.
    public let delimiters: Delimiters
    /// How its text is decoded.
    public let characterSet: CharacterSet
    /// The ISA or UNB; `nil` for EDIFACT messages sent without UNB.
    public let segment: Segment?
    /// The UNA service string advice, when present.
    public let serviceStringAdvice: Segment?

    /// The interchange control number (ISA13, UNB05).
    public var controlNumber: String? {
        switch self.standard {
        case .x12: self.segment?[13]?.text
        case .edifact: self.segment?[5]?.text
        }
    }

    /// The sender identification (ISA06 trimmed, UNB02-1).
    public var sender: String? {
        switch self.standard {
        case .x12: self.segment?[6]?.text.trimmingSpaces
        case .edifact: self.segment?[2]?.component(1)?.text
        }
    }

    /// The sender identification qualifier (ISA05, UNB02-2).
    public var senderQualifier: String? {
        switch self.standard {
        case .x12: self.segment?[5]?.text.trimmingSpaces
        case .edifact: self.segment?[2]?.component(2)?.text
        }
    }

    /// The receiver identification (ISA08 trimmed, UNB03-1).
    public var receiver: String? {
        switch self.standard {
        case .x12: self.segment?[8]?.text.trimmingSpaces
        case .edifact: self.segment?[3]?.component(1)?.text
        }
    }

    /// The receiver identification qualifier (ISA07, UNB03-2).
    public var receiverQualifier: String? {
        switch self.standard {
        case .x12: self.segment?[7]?.text.trimmingSpaces
        case .edifact: self.segment?[3]?.component(2)?.text
        }
    }

    /// The syntax version: ISA12 (`00401`) or UNB01-2 (`3`).
    public var version: String? {
        switch self.standard {
        case .x12: self.segment?[12]?.text
        case .edifact: self.segment?[1]?.component(2)?.text
        }
    }
}

/// A functional group (GS/GE, UNG/UNE), or the implicit group of EDIFACT messages sent directly in UNB.
public struct Group: Sendable {
    /// The GS or UNG; `nil` for the implicit group.
    public var header: Segment?
    /// The transactions in order.
    public var transactions: [Transaction]
    /// The GE or UNE, when present.
    public var trailer: Segment?

    /// Creates a group.
    public init(header: Segment?, transactions: [Transaction] = [], trailer: Segment? = nil) {
        self.header = header
        self.transactions = transactions
        self.trailer = trailer
    }

    /// The group control number (GS06, UNG05).
    public var controlNumber: String? {
        guard let header else { return nil }
        return header.hasTag("GS") ? header[6]?.text : header[5]?.text
    }

    /// The functional identifier code (GS01) or message group identification (UNG01).
    public var functionalIdentifier: String? { self.header?[1]?.component(1)?.text }

    /// The version (GS08, UNG06-1…).
    public var version: String? {
        guard let header else { return nil }
        return header.hasTag("GS") ? header[8]?.text : header[6]?.components.map(\.text).joined(separator: ":")
    }
}

/// A transaction: an X12 transaction set (ST…SE) or an EDIFACT message (UNH…UNT).
///
/// A view into shared storage; its segments include the header and, when present, the trailer.
public struct Transaction: Sendable {
    let storage: SegmentStorage
    let first: Int
    /// The number of segments, header and trailer included.
    public let segmentCount: Int
    /// Whether the last segment is the trailer (SE, UNT).
    public let hasTrailer: Bool

    init(storage: SegmentStorage, first: Int, segmentCount: Int, hasTrailer: Bool) {
        self.storage = storage
        self.first = first
        self.segmentCount = segmentCount
        self.hasTrailer = hasTrailer
    }

    /// The segments, ST or UNH first.
    public var segments: [Segment] {
        (self.first..<(self.first + self.segmentCount)).map { Segment(storage: self.storage, index: $0) }
    }

    /// The segment at 1-based position within the transaction (ST or UNH = 1).
    public func segment(at position: Int) -> Segment? {
        guard position >= 1 && position <= self.segmentCount else { return nil }
        return Segment(storage: self.storage, index: self.first + position - 1)
    }

    /// The ST or UNH.
    public var header: Segment { Segment(storage: self.storage, index: self.first) }

    /// The SE or UNT, when present.
    public var trailer: Segment? {
        self.hasTrailer ? Segment(storage: self.storage, index: self.first + self.segmentCount - 1) : nil
    }

    /// The transaction set identifier (ST01, `856`) or message type (UNH02-1, `DESADV`).
    public var type: String {
        let header = self.header
        return header.hasTag("ST") ? header[1]?.text ?? "" : header[2]?.component(1)?.text ?? ""
    }

    /// The control number (ST02, UNH01).
    public var controlNumber: String {
        let header = self.header
        return header.hasTag("ST") ? header[2]?.text ?? "" : header[1]?.text ?? ""
    }

    /// The message version for EDIFACT (`D:96A:UN`), or ST03 (the implementation convention) for X12.
    public var version: String? {
        let header = self.header
        if header.hasTag("ST") { return header[3]?.text }
        guard let identifier = header[2] else { return nil }
        return identifier.components.dropFirst().prefix(3).map(\.text).joined(separator: ":")
    }

    /// The byte offset of the header.
    public var byteOffset: Int { self.header.byteOffset }
}

/// A whole interchange as read: header, groups of transactions, trailer and findings.
public struct Interchange: Sendable {
    /// What opened it.
    public var header: InterchangeHeader
    /// Segments at interchange level that are neither groups nor transactions (TA1).
    public var segments: [Segment]
    /// The functional groups in order.
    public var groups: [Group]
    /// The IEA or UNZ, when present.
    public var trailer: Segment?
    /// Everything found wrong while reading it.
    public var findings: [Finding]

    /// Creates an interchange.
    public init(
        header: InterchangeHeader,
        segments: [Segment] = [],
        groups: [Group] = [],
        trailer: Segment? = nil,
        findings: [Finding] = []
    ) {
        self.header = header
        self.segments = segments
        self.groups = groups
        self.trailer = trailer
        self.findings = findings
    }

    /// The standard.
    public var standard: Standard { self.header.standard }

    /// The delimiters.
    public var delimiters: Delimiters { self.header.delimiters }

    /// Every transaction of every group, in order.
    public var transactions: [Transaction] { self.groups.flatMap(\.transactions) }
}

extension String {
    /// The string without leading and trailing spaces (the padding of ISA's fixed-width elements).
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

/// Control numbers for the envelopes a writer opens: interchange, group and transaction, each counting up.
///
/// Partners expect them gapless per partner and level; a store persists them (a later issue). Here they are
/// plain counters the caller seeds.
public struct ControlNumbers: Sendable, Hashable {
    /// The next interchange control number (ISA13, UNB05).
    public var interchange: Int
    /// The next group control number (GS06, UNG05).
    public var group: Int
    /// The next transaction control number (ST02, UNH01).
    public var transaction: Int

    /// Creates counters starting at the given numbers.
    public init(interchange: Int = 1, group: Int = 1, transaction: Int = 1) {
        self.interchange = interchange
        self.group = group
        self.transaction = transaction
    }
}

/// An interchange's identities and dates, as the header segments need them.
public struct InterchangeEnvelope: Sendable, Hashable {
    /// Sender identification and qualifier (ISA06/ISA05, UNB02).
    public var sender: String
    public var senderQualifier: String
    /// Receiver identification and qualifier (ISA08/ISA07, UNB03).
    public var receiver: String
    public var receiverQualifier: String
    /// Preparation date as `CCYYMMDD` and time as `HHMM`.
    public var date: String
    public var time: String
    /// X12: ISA12 (`00401`, `00501`). EDIFACT: the syntax identifier and version (`UNOC`, `3`).
    public var version: String
    public var syntaxIdentifier: String
    /// X12 ISA15 `P` or `T`; EDIFACT UNB11 test indicator `1` when testing.
    public var isTest: Bool
    /// X12 ISA14: whether a TA1 is requested.
    public var acknowledgmentRequested: Bool

    /// Creates an envelope.
    public init(
        sender: String,
        senderQualifier: String,
        receiver: String,
        receiverQualifier: String,
        date: String,
        time: String,
        version: String,
        syntaxIdentifier: String = "UNOC",
        isTest: Bool = false,
        acknowledgmentRequested: Bool = false
    ) {
        self.sender = sender
        self.senderQualifier = senderQualifier
        self.receiver = receiver
        self.receiverQualifier = receiverQualifier
        self.date = date
        self.time = time
        self.version = version
        self.syntaxIdentifier = syntaxIdentifier
        self.isTest = isTest
        self.acknowledgmentRequested = acknowledgmentRequested
    }
}

/// A functional group's identities (GS, UNG).
public struct GroupEnvelope: Sendable, Hashable {
    /// GS01 functional identifier code (`SH`) or UNG01 message group identification (`DESADV`).
    public var functionalIdentifier: String
    /// GS02/UNG02 application sender and GS03/UNG03 application receiver.
    public var applicationSender: String
    public var applicationReceiver: String
    /// GS08 version (`004010`) or UNG06 message version (`D:96A:UN`, components split on ':').
    public var version: String

    /// Creates a group envelope.
    public init(functionalIdentifier: String, applicationSender: String, applicationReceiver: String, version: String) {
        self.functionalIdentifier = functionalIdentifier
        self.applicationSender = applicationSender
        self.applicationReceiver = applicationReceiver
        self.version = version
    }
}

/// Writes whole interchanges: headers, transactions wrapped in ST/SE or UNH/UNT, and trailers whose counts and
/// control numbers it computes itself.
///
/// ```swift
/// var writer = EnvelopeWriter(standard: .x12, delimiters: .x12, lineBreak: .lf)
/// try writer.beginInterchange(envelope)
/// try writer.beginGroup(GroupEnvelope(functionalIdentifier: "SH", …, version: "004010"))
/// try writer.writeTransaction(type: "856", body: segments)
/// try writer.endGroup()
/// try writer.endInterchange()
/// let bytes = writer.bytes
/// ```
public struct EnvelopeWriter: Sendable {
    private var writer: EDIWriter
    /// The counters, advanced as envelopes are written.
    public private(set) var controlNumbers: ControlNumbers
    private var interchangeControl = ""
    private var groupControl = ""
    private var groupsInInterchange = 0
    private var transactionsInGroup = 0
    private var transactionsInInterchange = 0
    private var envelope: InterchangeEnvelope?
    private var inGroup = false

    /// Creates a writer; values are written in `characterSet` (UTF-8 when nil), which for EDIFACT should be the one
    /// the UNB's syntax identifier names.
    public init(
        standard: Standard,
        delimiters: Delimiters,
        lineBreak: EDIWriter.LineBreak = .none,
        controlNumbers: ControlNumbers = ControlNumbers(),
        characterSet: CharacterSet? = nil
    ) {
        self.writer = EDIWriter(
            standard: standard,
            delimiters: delimiters,
            lineBreak: lineBreak,
            characterSet: characterSet
        )
        self.controlNumbers = controlNumbers
    }

    /// The bytes written so far.
    public var bytes: [UInt8] { self.writer.bytes }

    private var isX12: Bool { self.writer.standard == .x12 }

    /// Writes the interchange header: the fixed-width ISA, or UNA (when the delimiters differ from the defaults)
    /// and UNB.
    public mutating func beginInterchange(_ envelope: InterchangeEnvelope, serviceStringAdvice: Bool? = nil)
        throws(EDISyntaxError)
    {
        let number = self.controlNumbers.interchange
        self.controlNumbers.interchange += 1
        self.envelope = envelope
        self.groupsInInterchange = 0
        self.transactionsInInterchange = 0
        let delimiters = self.writer.delimiters
        if self.isX12 {
            // The ISA is fixed width in bytes: its values must be printable ASCII.
            for (value, position) in [
                (envelope.senderQualifier, 5), (envelope.sender, 6), (envelope.receiverQualifier, 7),
                (envelope.receiver, 8), (envelope.version, 12),
            ] where !value.utf8.allSatisfy(ASCII.isPrintable) {
                throw .unencodableCharacter(
                    characterSet: "ISA (printable ASCII)",
                    length: value.utf8.count,
                    at: Location(byteOffset: self.writer.bytes.count, segmentTag: "ISA", elementPosition: position)
                )
            }
            // So are ISA11 and ISA16, whose values are separators (the element separator and the terminator are
            // not elements, and a terminator of several bytes is written as it is).
            for (separator, position) in [(delimiters.repetition, 11), (delimiters.component, 16)]
            where (separator ?? 0) >= 0x80 {
                throw .unencodableCharacter(
                    characterSet: "ISA (printable ASCII)",
                    length: 1,
                    at: Location(byteOffset: self.writer.bytes.count, segmentTag: "ISA", elementPosition: position)
                )
            }
            self.interchangeControl = Self.padded(number, width: 9)
            let version = envelope.version
            let repetition: String
            if let separator = delimiters.repetition, version >= "00402" {
                repetition = String(UnicodeScalar(separator))
            } else {
                repetition = "U"
            }
            try self.writer.write(
                SegmentValue(
                    "ISA",
                    "00",
                    Self.fixed("", 10),
                    "00",
                    Self.fixed("", 10),
                    Self.fixed(envelope.senderQualifier, 2),
                    Self.fixed(envelope.sender, 15),
                    Self.fixed(envelope.receiverQualifier, 2),
                    Self.fixed(envelope.receiver, 15),
                    String(envelope.date.suffix(6)),
                    envelope.time,
                    repetition,
                    version,
                    self.interchangeControl,
                    envelope.acknowledgmentRequested ? "1" : "0",
                    envelope.isTest ? "T" : "P",
                    String(UnicodeScalar(delimiters.component))
                )
            )
        } else {
            self.interchangeControl = String(number)
            // What a reader takes when no UNA comes: level A, with the repetition separator '*' from syntax 4 on.
            let isDefault =
                envelope.version >= "4" ? delimiters == Self.levelAWithRepetition : delimiters == .edifactLevelA
            if serviceStringAdvice ?? !isDefault { self.writer.writeServiceStringAdvice() }
            var elements: [ElementValue] = [
                ElementValue(components: [envelope.syntaxIdentifier, envelope.version]),
                ElementValue(components: [envelope.sender, envelope.senderQualifier]),
                ElementValue(components: [envelope.receiver, envelope.receiverQualifier]),
                ElementValue(components: [String(envelope.date.suffix(6)), envelope.time]),
                ElementValue(stringLiteral: self.interchangeControl),
            ]
            if envelope.isTest {
                elements += ["", "", "", "", "", "1"]
            }
            try self.writer.write(SegmentValue(tag: "UNB", elements: elements))
        }
    }

    private static let levelAWithRepetition: Delimiters = {
        var delimiters = Delimiters.edifactLevelA
        delimiters.repetition = UInt8(ascii: "*")
        return delimiters
    }()

    /// Writes GS or UNG.
    public mutating func beginGroup(_ group: GroupEnvelope) throws(EDISyntaxError) {
        let number = self.controlNumbers.group
        self.controlNumbers.group += 1
        self.groupControl = String(number)
        self.transactionsInGroup = 0
        self.inGroup = true
        let envelope = self.envelope
        if self.isX12 {
            try self.writer.write(
                SegmentValue(
                    "GS",
                    group.functionalIdentifier,
                    group.applicationSender,
                    group.applicationReceiver,
                    envelope?.date ?? "",
                    envelope?.time ?? "",
                    self.groupControl,
                    "X",
                    group.version
                )
            )
        } else {
            let version = group.version.split(separator: ":").map(String.init)
            try self.writer.write(
                SegmentValue(
                    tag: "UNG",
                    elements: [
                        ElementValue(stringLiteral: group.functionalIdentifier),
                        ElementValue(stringLiteral: group.applicationSender),
                        ElementValue(stringLiteral: group.applicationReceiver),
                        ElementValue(components: [String((envelope?.date ?? "").suffix(6)), envelope?.time ?? ""]),
                        ElementValue(stringLiteral: self.groupControl),
                        ElementValue(stringLiteral: version.count > 3 ? version[3] : "UN"),
                        ElementValue(components: Array(version.prefix(3))),
                    ]
                )
            )
        }
    }

    /// Writes one transaction: the header (ST or UNH), `body`, and the trailer with the segment count.
    ///
    /// - Parameters:
    ///   - type: ST01 (`856`) or the UNH02 message identifier (`DESADV:D:96A:UN`, components split on ':').
    ///   - implementationConvention: X12 ST03 (`005010X231A1`), when the version requires it.
    public mutating func writeTransaction(
        type: String,
        implementationConvention: String? = nil,
        body: [SegmentValue]
    ) throws(EDISyntaxError) {
        let number = self.controlNumbers.transaction
        self.controlNumbers.transaction += 1
        let control = self.isX12 ? Self.padded(number, width: 4) : String(number)
        self.writer.resetSegmentCount()
        if self.isX12 {
            var header = SegmentValue("ST", type, control)
            if let implementationConvention {
                header.elements.append(ElementValue(stringLiteral: implementationConvention))
            }
            try self.writer.write(header)
        } else {
            let identifier = type.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            try self.writer.write(
                SegmentValue(
                    tag: "UNH",
                    elements: [ElementValue(stringLiteral: control), ElementValue(components: identifier)]
                )
            )
        }
        for segment in body { try self.writer.write(segment) }
        let count = String(self.writer.segmentCount + 1)
        try self.writer.write(SegmentValue(self.isX12 ? "SE" : "UNT", count, control))
        self.transactionsInGroup += 1
        self.transactionsInInterchange += 1
    }

    /// Writes a segment at interchange level (a TA1).
    public mutating func writeInterchangeSegment(_ segment: SegmentValue) throws(EDISyntaxError) {
        try self.writer.write(segment)
    }

    /// Writes GE or UNE with the transaction count.
    public mutating func endGroup() throws(EDISyntaxError) {
        try self.writer.write(
            SegmentValue(self.isX12 ? "GE" : "UNE", String(self.transactionsInGroup), self.groupControl)
        )
        self.groupsInInterchange += 1
        self.inGroup = false
    }

    /// Writes IEA or UNZ with the group count (or, for EDIFACT without groups, the message count).
    public mutating func endInterchange() throws(EDISyntaxError) {
        let count =
            self.isX12 || self.groupsInInterchange > 0 ? self.groupsInInterchange : self.transactionsInInterchange
        try self.writer.write(SegmentValue(self.isX12 ? "IEA" : "UNZ", String(count), self.interchangeControl))
    }

    static func padded(_ number: Int, width: Int) -> String {
        let digits = String(number)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    static func fixed(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
    }
}

extension Interchange {
    /// Writes the interchange back as bytes with its own delimiters and character set, segment by segment as read.
    ///
    /// For input already in the writer's form (no padding, one optional line break after each terminator),
    /// `write(parse(bytes)) == bytes`.
    public func write(lineBreak: EDIWriter.LineBreak = .none) throws(EDISyntaxError) -> [UInt8] {
        var writer = EDIWriter(
            standard: self.standard,
            delimiters: self.delimiters,
            lineBreak: lineBreak,
            characterSet: self.header.characterSet
        )
        if let una = self.header.serviceStringAdvice, una.isServiceStringAdvice {
            writer.writeServiceStringAdvice()
        }
        if let header = self.header.segment { try writer.write(header.value) }
        for segment in self.segments { try writer.write(segment.value) }
        for group in self.groups {
            if let header = group.header { try writer.write(header.value) }
            for transaction in group.transactions {
                for segment in transaction.segments { try writer.write(segment.value) }
            }
            if let trailer = group.trailer { try writer.write(trailer.value) }
        }
        if let trailer = self.trailer { try writer.write(trailer.value) }
        return writer.bytes
    }
}

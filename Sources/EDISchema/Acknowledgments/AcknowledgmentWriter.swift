public import EDICore

/// The acknowledgments edigate writes.
public enum AcknowledgmentKind: String, Sendable, Hashable, CaseIterable {
    /// X12 TA1 interchange acknowledgment.
    case ta1
    /// X12 997 functional acknowledgment.
    case functional997 = "997"
    /// X12 999 implementation acknowledgment (005010X231A1).
    case implementation999 = "999"
    /// EDIFACT CONTRL syntax and service report.
    case contrl
}

/// Settings of the acknowledgments written: control numbers, date and time (EDISchema reads no clock).
public struct AcknowledgmentOptions: Sendable {
    /// The next control numbers to use; the writer advances them.
    public var controlNumbers: ControlNumbers
    /// The date written in the envelopes, CCYYMMDD.
    public var date: String
    /// The time written in the envelopes, HHMM.
    public var time: String
    /// A line break after each segment terminator.
    public var lineBreak: EDIWriter.LineBreak

    /// Creates options.
    public init(
        controlNumbers: ControlNumbers = ControlNumbers(),
        date: String,
        time: String,
        lineBreak: EDIWriter.LineBreak = .none
    ) {
        self.controlNumbers = controlNumbers
        self.date = date
        self.time = time
        self.lineBreak = lineBreak
    }
}

/// Writes TA1, 997, 999 and CONTRL for an ``InterchangeReport``, addressed back to its sender with the received
/// delimiters and fresh control numbers. Acknowledgments are projections of findings (``AcknowledgmentCodes``).
///
/// ```swift
/// var writer = AcknowledgmentWriter(options: AcknowledgmentOptions(date: "20261123", time: "1200"))
/// let bytes = try writer.write(.functional997, for: report)
/// ```
public struct AcknowledgmentWriter: Sendable {
    /// Settings; `options.controlNumbers` advances with every acknowledgment written.
    public private(set) var options: AcknowledgmentOptions

    /// Creates a writer.
    public init(options: AcknowledgmentOptions) {
        self.options = options
    }

    /// The acknowledgment of `kind` for `report`, as bytes of a whole interchange.
    public mutating func write(_ kind: AcknowledgmentKind, for report: InterchangeReport) throws(EDISyntaxError)
        -> [UInt8]
    {
        switch kind {
        case .ta1:
            let date = self.options.date
            return try self.writeInterchange(report) { (writer: inout EnvelopeWriter) throws(EDISyntaxError) in
                try writer.writeInterchangeSegment(Self.ta1(for: report, replyDate: date))
            }
        case .functional997, .implementation999:
            let implementation = kind == .implementation999
            let options = self.options
            return try self.writeInterchange(report) { (writer: inout EnvelopeWriter) throws(EDISyntaxError) in
                for group in report.groups where group.hasHeader {
                    try writer.beginGroup(
                        GroupEnvelope(
                            functionalIdentifier: "FA",
                            applicationSender: Self.fitted(group.applicationReceiver, 2...15, report),
                            applicationReceiver: Self.fitted(group.applicationSender, 2...15, report),
                            version: implementation ? "005010X231A1" : Self.acknowledgmentVersion(group.version)
                        )
                    )
                    try writer.writeTransaction(
                        type: implementation ? "999" : "997",
                        implementationConvention: implementation ? "005010X231A1" : nil,
                        body: Self.functionalBody(
                            group,
                            report: report,
                            implementation: implementation,
                            options: options
                        )
                    )
                    try writer.endGroup()
                }
            }
        case .contrl:
            return try self.writeCONTRL(report)
        }
    }

    // MARK: X12

    /// One interchange back to the report's sender, in its standard, delimiters and syntax version, around what
    /// `body` writes.
    private mutating func writeInterchange(
        _ report: InterchangeReport,
        body: (inout EnvelopeWriter) throws(EDISyntaxError) -> Void
    ) throws(EDISyntaxError) -> [UInt8] {
        let isX12 = report.standard == .x12
        // An identifier edigate does not know was reported; the CONTRL itself is then written in UNOC.
        let syntaxIdentifier =
            CharacterSet.edifact(syntaxIdentifier: report.syntaxIdentifier.utf8) == nil
            ? "UNOC" : report.syntaxIdentifier
        var writer = EnvelopeWriter(
            standard: report.standard,
            delimiters: isX12 ? Self.writableInISA(report.delimiters) : report.delimiters,
            lineBreak: self.options.lineBreak,
            controlNumbers: self.options.controlNumbers,
            characterSet: isX12 ? nil : CharacterSet.edifact(syntaxIdentifier: syntaxIdentifier.utf8)
        )
        // UNB04 is YYMMDD before syntax 4 and CCYYMMDD from 4 on.
        let longDate = isX12 || report.syntaxVersion == "4"
        try writer.beginInterchange(
            InterchangeEnvelope(
                sender: Self.addressable(report.receiver, report),
                senderQualifier: Self.addressable(report.receiverQualifier, report),
                receiver: Self.addressable(report.sender, report),
                receiverQualifier: Self.addressable(report.senderQualifier, report),
                date: longDate ? self.options.date : String(self.options.date.suffix(6)),
                time: self.options.time,
                version: Self.replyVersion(report),
                syntaxIdentifier: syntaxIdentifier,
                isTest: report.isTest
            )
        )
        try body(&writer)
        try writer.endInterchange()
        self.options.controlNumbers = writer.controlNumbers
        return writer.bytes
    }

    /// The syntax version of the reply: for X12 the received ISA12 when it is five digits, else 00401; for EDIFACT
    /// 4 when the interchange was syntax 4, else 3 (the CONTRL of syntax 1 to 3 is syntax 3's). The reply to a broken
    /// header still goes back.
    static func replyVersion(_ report: InterchangeReport) -> String {
        let version = report.syntaxVersion
        guard report.standard == .x12 else { return version == "4" ? "4" : "3" }
        return version.utf8.count == 5 && Self.isDigits(version.utf8) ? version : "00401"
    }

    /// The received X12 delimiters as an ISA can carry them: ISA11 and ISA16 hold one byte of the basic character
    /// set each, and no delimiter may be a byte the reply's own ISA holds in its fields (the space padding, letters,
    /// digits). A separator that breaks this (read with a finding) gives way: the repetition separator to none, the
    /// others to the first usual one the other delimiters leave free. The reply still reads by its own ISA.
    static func writableInISA(_ received: Delimiters) -> Delimiters {
        func unusable(_ byte: UInt8) -> Bool {
            byte >= 0x80 || byte == 0x20 || (byte >= 0x30 && byte <= 0x39)
                || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
        }
        var delimiters = received
        if let repetition = delimiters.repetition, unusable(repetition) { delimiters.repetition = nil }
        func free(_ preferred: String) -> UInt8? {
            Array(preferred.utf8).first { !delimiters.isService($0) }
        }
        if unusable(delimiters.element), let free = free("*|!^") { delimiters.element = free }
        if let terminator = delimiters.segmentTerminator.first, unusable(terminator), let free = free("~'!|") {
            delimiters.segmentTerminator = [free]
        }
        if unusable(delimiters.component), let free = free(">:<|\\!") { delimiters.component = free }
        return delimiters
    }

    /// An identification of the received interchange as it can be written back: a character the acknowledgment's
    /// character set does not hold (X12: outside printable ASCII, as the ISA is fixed width in bytes), or a delimiter
    /// that cannot be escaped, becomes a space; a lowercase letter becomes uppercase where only uppercase is held.
    /// The reader reported a finding for each such identification, so the acknowledgment says why.
    static func addressable(_ text: String, _ report: InterchangeReport) -> String {
        // The delimiters the reply is written with (an X12 one an ISA cannot carry was replaced).
        let delimiters = report.standard == .x12 ? Self.writableInISA(report.delimiters) : report.delimiters
        let characterSet =
            report.standard == .x12 ? nil : CharacterSet.edifact(syntaxIdentifier: report.syntaxIdentifier.utf8)
        func holds(_ scalar: Unicode.Scalar) -> Bool {
            // Control characters are held by no repertoire an identification may use (UNOY's included).
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { return false }
            if scalar.isASCII, delimiters.isService(UInt8(scalar.value)) {
                return report.standard == .edifact && delimiters.release != nil
            }
            guard let characterSet else { return scalar.value >= 0x20 && scalar.value <= 0x7E }
            return characterSet.holds(scalar)
        }
        guard !text.unicodeScalars.allSatisfy(holds) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if holds(scalar) {
                scalars.append(scalar)
            } else if let upper = scalar.properties.uppercaseMapping.unicodeScalars.first,
                scalar.properties.uppercaseMapping.unicodeScalars.count == 1, holds(upper)
            {
                scalars.append(upper)
            } else {
                scalars.append(" ")
            }
        }
        return String(scalars)
    }

    /// `TA1*ISA13*ISA09*ISA10*A|E|R*TA105`.
    ///
    /// TA102 and TA103 echo ISA09 and ISA10; one that is not a real date (time) gives way to `replyDate` (0000), so
    /// the TA1 that reports it still validates.
    public static func ta1(for report: InterchangeReport, replyDate: String = "20000101") -> SegmentValue {
        let errors = report.findings.filter { $0.severity == .error }
        let status: String
        let note: String
        if let first = errors.first {
            status = "R"
            note = AcknowledgmentCodes.interchange(first)
        } else if !report.hasTrailer {
            status = "R"
            note = "023"
        } else {
            status = report.findings.isEmpty ? "A" : "E"
            note = report.findings.first.map(AcknowledgmentCodes.interchange) ?? "000"
        }
        return SegmentValue(
            "TA1",
            Self.number(report.controlNumber, 9...9),
            Self.echoed(date: report.date, replyDate: replyDate),
            Self.echoed(time: report.time),
            status,
            note
        )
    }

    /// A received identifier (AK101, AK201, AK202, AK103, GS02/GS03) as its acknowledgment element can hold it: cut to the
    /// longest length and padded with spaces to the shortest. The reader and validation reported the received
    /// value's problem; the acknowledgment must still be one that reads clean, so characters it cannot hold are
    /// replaced as in the envelope (``addressable(_:_:)``).
    static func fitted(_ text: String, _ lengths: ClosedRange<Int>, _ report: InterchangeReport) -> String {
        let cut = String(Self.addressable(text, report).prefix(lengths.upperBound))
        let count = cut.count
        return count >= lengths.lowerBound ? cut : cut + String(repeating: " ", count: lengths.lowerBound - count)
    }

    /// A received number (AK102, TA101, TA102, TA103) as its acknowledgment element can hold it: the digits as
    /// received when they fit, zero-padded to the shortest length; else zeros (the received one is unusable and
    /// was reported).
    static func number(_ text: String, _ lengths: ClosedRange<Int>) -> String {
        guard Self.isDigits(text.utf8), text.utf8.count <= lengths.upperBound, !text.isEmpty
        else { return String(repeating: "0", count: lengths.lowerBound) }
        return String(repeating: "0", count: max(0, lengths.lowerBound - text.utf8.count)) + text
    }

    /// A received YYMMDD date as TA102 can hold it, else the reply's own.
    static func echoed(date: String, replyDate: String) -> String {
        date.utf8.count == 6 && Array(date.utf8).withUnsafeBytes(ValueCheck.isDate) ? date : String(replyDate.suffix(6))
    }

    /// A received HHMM time as TA103 can hold it, else 0000.
    static func echoed(time: String) -> String {
        time.utf8.count == 4 && Array(time.utf8).withUnsafeBytes(ValueCheck.isTime) ? time : "0000"
    }

    /// GS08 of a 997: the acknowledged group's version without an implementation suffix past 6 characters, when
    /// those are six digits; else 004010.
    static func acknowledgmentVersion(_ version: String) -> String {
        let prefix = version.utf8.prefix(6)
        return prefix.count == 6 && Self.isDigits(prefix) ? String(version.prefix(6)) : "004010"
    }

    /// Whether every byte is an ASCII digit (true for none).
    static func isDigits(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// AK1, then per transaction AK2, AK3/AK4 (IK3/IK4 with CTX), AK5/IK5, then AK9.
    static func functionalBody(
        _ group: GroupReport,
        report: InterchangeReport,
        implementation: Bool,
        options: AcknowledgmentOptions
    ) -> [SegmentValue] {
        // AK103 and AK203 exist from 005010 on: by the version of the acknowledgment itself, not of what it answers.
        let isVersion5 = implementation || Self.acknowledgmentVersion(group.version) >= "005010"
        var body: [SegmentValue] = []
        body.append(
            isVersion5
                ? SegmentValue(
                    "AK1",
                    Self.fitted(group.functionalIdentifier, 2...2, report),
                    Self.number(group.controlNumber, 1...9),
                    Self.fitted(group.version, 1...12, report)
                )
                : SegmentValue(
                    "AK1",
                    Self.fitted(group.functionalIdentifier, 2...2, report),
                    Self.number(group.controlNumber, 1...9)
                )
        )
        var accepted = 0
        var withErrors = false
        for transaction in group.transactions {
            var header = SegmentValue(
                "AK2",
                Self.fitted(transaction.type, 3...3, report),
                Self.fitted(transaction.controlNumber, 4...9, report)
            )
            // AK203 echoes ST03 when AK203 can hold it (1 to 35 characters); it is optional.
            if isVersion5 && !transaction.version.isEmpty && transaction.version.unicodeScalars.count <= 35 {
                header.elements.append(ElementValue(stringLiteral: Self.addressable(transaction.version, report)))
            }
            body.append(header)
            var transactionCodes: [String] = []
            var segmentErrors = false
            // One AK3/IK3 per segment in error, in segment order, with its element errors after it.
            var bySegment: [(key: SegmentKey, findings: [(Finding, AcknowledgmentCodes.Placement)])] = []
            for finding in transaction.findings {
                let placement = AcknowledgmentCodes.x12(finding, implementation: implementation, version5: isVersion5)
                if case .transaction(let code) = placement {
                    if finding.severity == .error, !transactionCodes.contains(code) { transactionCodes.append(code) }
                    continue
                }
                if finding.severity == .error { segmentErrors = true }
                let key = SegmentKey(
                    tag: Self.segmentID(finding.location.segmentTag),
                    position: finding.location.transactionSegmentNumber ?? 0,
                    loop: finding.loopPath.last ?? ""
                )
                if let index = bySegment.firstIndex(where: { $0.key == key }) {
                    bySegment[index].findings.append((finding, placement))
                } else {
                    bySegment.append((key, [(finding, placement)]))
                }
            }
            for (key, findings) in bySegment {
                var segmentCode = "8"
                for (_, placement) in findings {
                    if case .segment(let code) = placement {
                        segmentCode = code
                        break
                    }
                }
                let loop = key.loop.utf8.count <= 4 ? key.loop : ""
                body.append(
                    SegmentValue(implementation ? "IK3" : "AK3", key.tag, String(key.position), loop, segmentCode)
                )
                if implementation, let context = findings.lazy.compactMap({ $0.0.trigger }).first {
                    body.append(Self.situationalTrigger(context))
                }
                if implementation, let identifier = transaction.businessUnitIdentifier {
                    body.append(
                        SegmentValue(
                            tag: "CTX",
                            elements: [ElementValue(components: [identifier.reference, identifier.value])]
                        )
                    )
                }
                for (finding, placement) in findings {
                    guard case .element(let code) = placement, let position = finding.location.elementPosition else {
                        continue
                    }
                    var where_: [String] = [String(position)]
                    if let component = finding.location.componentPosition {
                        where_.append(String(component))
                    }
                    if let repetition = finding.location.repetitionIndex, isVersion5 {
                        if where_.count == 1 { where_.append("") }
                        where_.append(String(repetition))
                    }
                    let reference = finding.elementReference.flatMap { Int($0) != nil && $0.utf8.count <= 4 ? $0 : nil }
                    body.append(
                        SegmentValue(
                            tag: implementation ? "IK4" : "AK4",
                            elements: [
                                ElementValue(components: where_), ElementValue(stringLiteral: reference ?? ""),
                                ElementValue(stringLiteral: code),
                            ]
                        )
                    )
                }
            }
            if segmentErrors && !transactionCodes.contains("5") { transactionCodes.append("5") }
            let hasError = transaction.findings.contains { $0.severity == .error }
            let status = hasError ? "R" : (transaction.findings.isEmpty ? "A" : "E")
            if status != "R" { accepted += 1 }
            if status == "E" { withErrors = true }
            body.append(
                SegmentValue(
                    tag: implementation ? "IK5" : "AK5",
                    elements: [ElementValue(stringLiteral: status)]
                        + transactionCodes.prefix(5).map { ElementValue(stringLiteral: $0) }
                )
            )
        }
        var groupCodes: [String] = []
        for finding in group.findings where finding.severity == .error {
            if let code = AcknowledgmentCodes.group(finding), !groupCodes.contains(code) { groupCodes.append(code) }
        }
        if !group.hasTrailer && !groupCodes.contains("3") { groupCodes.append("3") }
        let received = group.transactions.count
        let status: String
        if accepted == received && groupCodes.isEmpty {
            status = withErrors ? "E" : "A"
        } else if accepted == 0 || !groupCodes.isEmpty {
            status = "R"
        } else {
            status = "P"
        }
        // AK902-AK904 are N0 of 1 to 6 digits: a GE01 that cannot be carried (negative, longer) is replaced by the
        // count received (the group finding already says GE01 disagrees), and counts past 999,999 are capped.
        let carried = 0...999_999
        let included = group.declaredTransactionCount.flatMap { carried.contains($0) ? $0 : nil } ?? received
        let counts = [included, received, accepted].map { String(min($0, carried.upperBound)) }
        body.append(
            SegmentValue(
                tag: "AK9",
                elements: ([status] + counts).map {
                    ElementValue(stringLiteral: $0)
                }
                    + groupCodes.prefix(5).map { ElementValue(stringLiteral: $0) }
            )
        )
        return body
    }

    /// A segment ID as AK301, IK301 and CTX01-2 can hold it (2 or 3 uppercase letters and digits): the received tag
    /// when it is one, else its leading letters and digits (at most 3, uppercased), else `ZZ`. The segment's
    /// position (AK302) still says which segment it was; the reader reported the unreadable tag.
    static func segmentID(_ tag: String?) -> String {
        let scalars = (tag ?? "").unicodeScalars
        func plain(_ scalar: Unicode.Scalar) -> Bool {
            (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
        }
        if (2...3).contains(scalars.count) && scalars.allSatisfy(plain) { return tag ?? "" }
        let prefix = scalars.lazy.map { $0.properties.uppercaseMapping.unicodeScalars.first ?? $0 }
            .prefix { plain($0) }.prefix(3)
        return prefix.count >= 2 ? String(String.UnicodeScalarView(prefix)) : "ZZ"
    }

    /// `CTX*SITUATIONAL TRIGGER*TAG*POSITION**ELEMENT:COMPONENT`.
    static func situationalTrigger(_ trigger: Location) -> SegmentValue {
        var position: [String] = [String(trigger.elementPosition ?? 0)]
        if let component = trigger.componentPosition { position.append(String(component)) }
        return SegmentValue(
            tag: "CTX",
            elements: [
                "SITUATIONAL TRIGGER", ElementValue(stringLiteral: Self.segmentID(trigger.segmentTag)),
                ElementValue(stringLiteral: String(trigger.transactionSegmentNumber ?? 0)), "",
                ElementValue(components: position),
            ]
        )
    }

    private struct SegmentKey: Hashable {
        var tag: String
        var position: Int
        var loop: String
    }

    // MARK: EDIFACT

    private mutating func writeCONTRL(_ report: InterchangeReport) throws(EDISyntaxError) -> [UInt8] {
        let type = report.syntaxVersion == "4" ? "CONTRL:4:1:UN" : "CONTRL:D:3:UN"
        return try self.writeInterchange(report) { (writer: inout EnvelopeWriter) throws(EDISyntaxError) in
            try writer.writeTransaction(type: type, body: Self.contrlBody(report))
        }
    }

    /// A received reference or identification echoed in a CONTRL element of at most `maximum` characters: as
    /// received when it fits; else `0` for a mandatory element (the reply still goes back, and the finding that the
    /// received one is missing or too long is in it) and nothing for an optional one.
    /// Characters the CONTRL's character set does not hold are replaced as in its UNB (``addressable(_:_:)``).
    static func echo(_ text: String, _ maximum: Int, mandatory: Bool = true, _ report: InterchangeReport) -> String {
        let count = text.unicodeScalars.count
        if count >= 1 && count <= maximum { return Self.addressable(text, report) }
        return mandatory ? "0" : ""
    }

    /// A composite of echoed components (text, maximum, mandatory), without trailing empty ones.
    static func echoed(_ components: [(String, Int, Bool)], _ report: InterchangeReport) -> ElementValue {
        var values = components.map { Self.echo($0.0, $0.1, mandatory: $0.2, report) }
        while values.count > 1 && values.last?.isEmpty == true { values.removeLast() }
        return ElementValue(components: values)
    }

    /// UCI, then per group UCF (when the interchange had UNG) and per message UCM with UCS and UCD.
    static func contrlBody(_ report: InterchangeReport) -> [SegmentValue] {
        var body: [SegmentValue] = []
        let interchangeErrors = report.findings.filter { $0.severity == .error }
        var uci: [ElementValue] = [
            ElementValue(stringLiteral: Self.echo(report.controlNumber, 14, report)),
            Self.echoed([(report.sender, 35, true), (report.senderQualifier, 4, false)], report),
            Self.echoed([(report.receiver, 35, true), (report.receiverQualifier, 4, false)], report),
        ]
        if let first = interchangeErrors.first {
            uci += ["4", ElementValue(stringLiteral: AcknowledgmentCodes.edifact(first))]
            // UCI06 is three letters (a3), and service segment tags are upper case: any other tag is left out.
            if let tag = first.location.segmentTag, tag.utf8.count == 3,
                tag.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") })
            {
                uci.append(ElementValue(stringLiteral: tag))
            }
        } else if !report.hasTrailer {
            uci += ["4", "13", "UNZ"]
        } else {
            uci.append("7")
        }
        body.append(SegmentValue(tag: "UCI", elements: uci))
        for group in report.groups {
            if group.hasHeader {
                let groupErrors = group.findings.filter { $0.severity == .error }
                var ucf: [ElementValue] = [
                    ElementValue(stringLiteral: Self.echo(group.controlNumber, 14, report)),
                    Self.echoed([(group.applicationSender, 35, true)], report),
                    Self.echoed([(group.applicationReceiver, 35, true)], report),
                ]
                if let first = groupErrors.first {
                    ucf += ["4", ElementValue(stringLiteral: AcknowledgmentCodes.edifact(first))]
                } else {
                    ucf.append(group.hasTrailer ? "7" : "4")
                    if !group.hasTrailer { ucf += ["13", "UNE"] }
                }
                body.append(SegmentValue(tag: "UCF", elements: ucf))
            }
            for message in group.transactions {
                let identifier = message.version.split(separator: ":", omittingEmptySubsequences: false).map(
                    String.init
                )
                // S009: type, version, release and agency mandatory, the association code optional, nothing more.
                let parts = [message.type] + identifier + Array(repeating: "", count: 4)
                let limits = [(6, true), (3, true), (3, true), (2, true), (6, false)]
                let identification = zip(parts.prefix(5), limits).map { ($0, $1.0, $1.1) }
                var ucm: [ElementValue] = [
                    ElementValue(stringLiteral: Self.echo(message.controlNumber, 14, report)),
                    Self.echoed(identification, report),
                ]
                let errors = message.findings.filter { $0.severity == .error }
                // Errors of the message envelope itself (UNH, UNT) go on the UCM; the rest on UCS and UCD.
                let envelope = errors.first { finding in
                    finding.location.segmentTag == "UNH" || finding.location.segmentTag == "UNT"
                        || finding.code == .transactionNotSupported || finding.code == .missingTrailer
                }
                if errors.isEmpty {
                    ucm.append("7")
                } else {
                    ucm.append("4")
                    if let envelope {
                        ucm.append(ElementValue(stringLiteral: AcknowledgmentCodes.edifact(envelope)))
                        if let tag = envelope.location.segmentTag, tag == "UNH" || tag == "UNT" {
                            ucm.append(ElementValue(stringLiteral: tag))
                        }
                    }
                }
                body.append(SegmentValue(tag: "UCM", elements: ucm))
                var positions: [Int] = []
                var byPosition: [Int: [Finding]] = [:]
                for finding in errors where finding.code != .transactionNotSupported {
                    guard let tag = finding.location.segmentTag, tag != "UNH" && tag != "UNT",
                        let position = finding.location.transactionSegmentNumber
                    else { continue }
                    if byPosition[position] == nil { positions.append(position) }
                    byPosition[position, default: []].append(finding)
                }
                for position in positions {
                    let findings = byPosition[position] ?? []
                    let segmentLevel = findings.first { AcknowledgmentCodes.isSegmentLevel($0) }
                    var ucs: [ElementValue] = [ElementValue(stringLiteral: String(position))]
                    if let segmentLevel {
                        ucs.append(ElementValue(stringLiteral: AcknowledgmentCodes.edifact(segmentLevel)))
                    }
                    body.append(SegmentValue(tag: "UCS", elements: ucs))
                    for finding in findings.prefix(99) where !AcknowledgmentCodes.isSegmentLevel(finding) {
                        var where_: [String] = [String(finding.location.elementPosition ?? 0)]
                        if let component = finding.location.componentPosition { where_.append(String(component)) }
                        body.append(
                            SegmentValue(
                                tag: "UCD",
                                elements: [
                                    ElementValue(stringLiteral: AcknowledgmentCodes.edifact(finding)),
                                    ElementValue(components: where_),
                                ]
                            )
                        )
                    }
                }
            }
        }
        return body
    }
}

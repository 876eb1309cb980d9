/// Walks tokenized segments through the envelopes (ISA/GS/ST, UNB/UNG/UNH), checking every count and control
/// number pair and turning the segments into ``ReadEvent`` values.
///
/// A mismatch is a ``Finding``: it is reported with its location and reading goes on, so acknowledgments can
/// name it and the rest of the file still arrives.
struct EnvelopeWalker {
    struct OpenInterchange {
        var header: Segment?
        var standard: Standard
        var controlNumber: [UInt8]
        var groups = 0
        var transactionsOutsideGroups = 0
        /// Transactions opened in it, for ``ReaderLimits/maximumTransactionsPerInterchange``.
        var transactions = 0
    }

    struct OpenGroup {
        var header: Segment
        var controlNumber: [UInt8]
        var transactions = 0
    }

    let repertoire: RepertoirePolicy
    let limits: ReaderLimits
    /// A limit exceeded: walking stops there and the reader throws it after the events before it.
    private(set) var error: EDISyntaxError?
    var interchange: OpenInterchange?
    var group: OpenGroup?
    /// Index (in the tokenizer's arrays) of the open transaction's header.
    var transactionStart: Int?
    var transactionControlNumber: [UInt8] = []
    var serviceStringAdvice: Segment?
    /// Index of the next segment to walk.
    var walkIndex = 0

    init(repertoire: RepertoirePolicy, limits: ReaderLimits = ReaderLimits()) {
        self.repertoire = repertoire
        self.limits = limits
    }

    /// The first segment index that must stay in the buffers: the open transaction's header, or the next one.
    var firstIndexToKeep: Int { self.transactionStart ?? self.walkIndex }

    /// Moves indices down after the buffers dropped `count` segments.
    mutating func rebase(droppingSegments count: Int) {
        self.walkIndex -= count
        if let start = self.transactionStart { self.transactionStart = start - count }
    }

    // MARK: Walking

    mutating func walk(_ storage: SegmentStorage, into events: inout [ReadEvent]) {
        let end = storage.segments.count
        guard self.walkIndex < end, self.error == nil else { return }
        self.findRepertoireViolations(storage, from: self.walkIndex, to: end)
        let segments = storage.segments
        let maximumSegments = self.limits.maximumSegmentsPerTransaction
        while self.walkIndex < end {
            let index = self.walkIndex
            self.walkIndex = index &+ 1
            // The common case, decided here without a call: an ordinary segment inside a transaction.
            let record = segments[index]
            // Segments of the open transaction so far, this one included; 0 outside transactions.
            let inTransaction = self.transactionStart.map { index &- $0 &+ 1 } ?? 0
            if inTransaction > 0 && inTransaction <= maximumSegments
                && record.flags & SegmentFlags.empty == 0
                && !Self.isEnvelope(record.tag)
                && (self.violationCursor == self.violations.count
                    || self.violations[self.violationCursor].segment != index)
            {
                continue
            }
            if inTransaction > maximumSegments
                && (!Self.isEnvelope(record.tag) || record.tag == Tag.se || record.tag == Tag.unt)
            {
                self.error = .tooManySegments(
                    limit: maximumSegments,
                    at: Segment(storage: storage, index: index).location
                )
                return
            }
            self.step(storage, index, into: &events)
            if self.error != nil { return }
        }
    }

    /// Segments (by index, ascending) with a byte outside their repertoire, and the first such byte's position.
    private var violations: [(segment: Int, position: Int)] = []
    private var violationCursor = 0

    /// Finds the bytes outside the repertoire in segments `first..<end`: one pass over each run of segments that
    /// share a context (a vector screen clears clean blocks), then the segment of each hit.
    private mutating func findRepertoireViolations(_ storage: SegmentStorage, from first: Int, to end: Int) {
        self.violations.removeAll(keepingCapacity: true)
        self.violationCursor = 0
        guard self.repertoire != .off else { return }
        var contextIndex = 0
        while contextIndex + 1 < storage.contexts.count && storage.contexts[contextIndex + 1].firstSegment <= first {
            contextIndex += 1
        }
        var runStart = first
        while runStart < end && contextIndex < storage.contexts.count {
            let runEnd =
                contextIndex + 1 < storage.contexts.count
                ? min(end, storage.contexts[contextIndex + 1].firstSegment) : end
            let context = storage.contexts[contextIndex].context
            contextIndex += 1
            guard runStart < runEnd else { continue }
            defer { runStart = runEnd }
            if context.standard != .edifact { continue }
            if case .any = context.characterSet.allowed { continue }
            let endByte = Int(storage.segments[runEnd - 1].end)
            var position = Int(storage.segments[runStart].start)
            storage.bytes.withUnsafeBytes { buffer in
                while position < endByte {
                    let window = UnsafeRawBufferPointer(rebasing: buffer[position..<endByte])
                    guard let offset = context.characterSet.firstViolation(in: window, delimiters: context.delimiters)
                    else { break }
                    let found = position + offset
                    // The segment holding `found`: the last one in the run that starts at or before it.
                    var low = runStart
                    var high = runEnd - 1
                    while low < high {
                        let middle = (low + high + 1) / 2
                        if Int(storage.segments[middle].start) <= found { low = middle } else { high = middle - 1 }
                    }
                    let record = storage.segments[low]
                    if found >= Int(record.end) || record.flags & (SegmentFlags.raw | SegmentFlags.binary) != 0 {
                        // Between segments (indentation) or inside the UNA: not data.
                        position = found >= Int(record.end) ? found + 1 : Int(record.end)
                        continue
                    }
                    self.violations.append((low, found))
                    position = Int(record.end)
                }
            }
        }
    }

    /// Bits, from 0x40, for 'G', 'I', 'S' and 'U' (a literal: a computed constant would be a lazy global).
    private static var envelopeStarts: UInt64 { 0x0028_0280 }

    /// Whether `tag` opens or closes an envelope.
    @inline(__always)
    static func isEnvelope(_ tag: UInt32) -> Bool {
        // Every envelope tag begins with 'G', 'I', 'S' or 'U': one bit test clears most segments.
        let first = UInt8(truncatingIfNeeded: tag) &- 0x40
        guard first < 64, (Self.envelopeStarts >> UInt64(first)) & 1 != 0 else { return false }
        switch tag {
        case Tag.isa, Tag.iea, Tag.gs, Tag.ge, Tag.st, Tag.se, Tag.unb, Tag.unz, Tag.ung, Tag.une, Tag.unh, Tag.unt,
            Tag.una:
            return true
        default:
            return false
        }
    }

    private mutating func step(_ storage: SegmentStorage, _ index: Int, into events: inout [ReadEvent]) {
        let record = storage.segments[index]
        if record.flags & SegmentFlags.empty != 0 {
            let context = storage.context(ofSegment: index)
            events.append(
                .finding(
                    .emptySegment(
                        terminator: context.delimiters.segmentTerminator,
                        at: Location(
                            byteOffset: storage.baseOffset + Int(record.end),
                            segmentNumber: Int(record.number) + 1
                        )
                    )
                )
            )
            return
        }
        if self.violationCursor < self.violations.count && self.violations[self.violationCursor].segment == index {
            self.reportRepertoire(storage, index, at: self.violations[self.violationCursor].position, into: &events)
            self.violationCursor += 1
        }
        if self.transactionStart != nil && !Self.isEnvelope(record.tag) { return }
        let segment = Segment(storage: storage, index: index)
        switch record.tag {
        case Tag.isa, Tag.unb:
            self.openInterchange(segment, into: &events)
        case Tag.una where record.flags & SegmentFlags.serviceStringAdvice != 0:
            self.closeInterchange(found: "UNA", at: segment.location, storage: storage, into: &events)
            self.serviceStringAdvice = segment.detached
        case Tag.gs, Tag.ung:
            self.openGroup(segment, into: &events)
        case Tag.st, Tag.unh:
            self.openTransaction(segment, index, into: &events)
        case Tag.se, Tag.unt:
            self.closeTransaction(trailer: segment, index, into: &events)
        case Tag.ge, Tag.une:
            self.closeGroup(trailer: segment, index, into: &events)
        case Tag.iea, Tag.unz:
            self.closeInterchange(trailer: segment, index, into: &events)
        default:
            if self.transactionStart != nil { return }
            self.checkTag(storage, index, record, into: &events)
            if self.group != nil {
                let expected = self.interchange?.standard == .edifact ? "UNH or UNE" : "ST or GE"
                events.append(.finding(.unexpectedSegment(segment.tag, expected: expected, at: segment.location)))
            } else {
                if record.tag != Tag.ta1 && record.tag != Tag.isb && record.tag != Tag.ise {
                    let expected =
                        self.interchange?.standard == .edifact ? "UNG, UNH or UNZ" : "GS, TA1, ISB, ISE or IEA"
                    events.append(.finding(.unexpectedSegment(segment.tag, expected: expected, at: segment.location)))
                }
                events.append(.segment(segment.detached))
            }
        }
    }

    private func checkTag(
        _ storage: SegmentStorage,
        _ index: Int,
        _ record: SegmentRecord,
        into events: inout [ReadEvent]
    ) {
        let length = Int(record.tag >> 24)
        var valid = length >= 2 && length <= 3
        if valid {
            for shift in stride(from: 0, to: length * 8, by: 8)
            where !ASCII.isAlphanumeric(UInt8(truncatingIfNeeded: record.tag >> UInt32(shift))) {
                valid = false
            }
        }
        if !valid {
            let range = storage.elements[Int(record.firstElement)]
            events.append(
                .finding(
                    .invalidSegmentTag(
                        storage.bytes[range.lower..<range.upper],
                        at: Location(
                            byteOffset: storage.baseOffset + Int(record.start),
                            segmentNumber: Int(record.number)
                        )
                    )
                )
            )
        }
    }

    private func reportRepertoire(
        _ storage: SegmentStorage,
        _ index: Int,
        at position: Int,
        into events: inout [ReadEvent]
    ) {
        let context = storage.context(ofSegment: index)
        let record = storage.segments[index]
        let segment = Segment(storage: storage, index: index)
        var location = segment.location
        location.byteOffset = storage.baseOffset + position
        for element in 1...max(1, segment.elementCount) where element <= segment.elementCount {
            let range = storage.elements[Int(record.firstElement) + element]
            if position >= range.lower && position < range.upper { location.elementPosition = element }
        }
        location.transactionSegmentNumber = self.transactionStart.map { index - $0 + 1 }
        events.append(
            .finding(
                .characterOutsideRepertoire(
                    storage.bytes[position],
                    repertoire: context.characterSet.name,
                    strict: self.repertoire == .strict,
                    at: location
                )
            )
        )
    }

    // MARK: Envelopes

    private mutating func openInterchange(_ header: Segment, into events: inout [ReadEvent]) {
        let standard = header.record.tag == Tag.isa ? Standard.x12 : Standard.edifact
        self.closeInterchange(found: header.tag, at: header.location, storage: header.storage, into: &events)
        let controlPosition = standard == .x12 ? 13 : 5
        let storage = header.storage
        // The header's own context: for a UNB, the one its syntax identifier set (never the next segment's, which
        // may already belong to another interchange).
        let context = storage.context(ofSegment: header.index)
        let detachedHeader = header.detached
        events.append(
            .interchangeStart(
                InterchangeHeader(
                    standard: standard,
                    delimiters: context.delimiters,
                    characterSet: context.characterSet,
                    segment: detachedHeader,
                    serviceStringAdvice: self.serviceStringAdvice
                )
            )
        )
        self.serviceStringAdvice = nil
        if header.record.flags & SegmentFlags.notFixedWidth != 0 {
            events.append(
                .finding(
                    .interchangeHeaderNotFixedWidth(
                        length: Int(header.record.end - header.record.start) + 1,
                        at: header.location
                    )
                )
            )
        }
        if standard == .x12 {
            // The ISA is fixed width in bytes of the basic character set: a byte outside printable ASCII, or a
            // delimiter, in ISA01 to ISA15 cannot be written back in its place. ISA11 (from 00402) and ISA16 are
            // separators themselves, which may be control characters but not bytes beyond ASCII.
            let delimiters = header.delimiters
            let repetition = delimiters.repetition
            var found = false
            scan: for position in 1...min(15, header.elementCount) {
                guard let element = header[position] else { continue }
                if position == 11, let repetition, repetition < 0x80, element.rawBytes.elementsEqual([repetition]) {
                    continue
                }
                for (offset, byte) in element.rawBytes.enumerated()
                where !ASCII.isPrintable(byte) || delimiters.isService(byte) {
                    var location = element.location
                    location.byteOffset += offset
                    events.append(
                        .finding(.characterOutsideRepertoire(byte, repertoire: "ISA", strict: true, at: location))
                    )
                    found = true
                    break scan
                }
            }
            if !found, let component = header[16], let first = component.rawBytes.first, first >= 0x80 {
                events.append(
                    .finding(
                        .characterOutsideRepertoire(first, repertoire: "ISA", strict: true, at: component.location)
                    )
                )
            }
        }
        if standard == .edifact, let syntax = header[1]?.component(1),
            syntax.isEmpty || CharacterSet.edifact(syntaxIdentifier: syntax.text.utf8) == nil
        {
            events.append(.finding(.unknownSyntaxIdentifier(Array(syntax.text.utf8), at: syntax.location)))
        } else if standard == .edifact && header.elementCount == 0 {
            events.append(.finding(.unknownSyntaxIdentifier([], at: header.location.at(element: 1))))
        }
        var control: [UInt8] = []
        Self.readControlNumber(
            header,
            controlPosition,
            reference: standard == .x12 ? "ISA13" : "UNB05",
            storingIn: &control,
            into: &events
        )
        self.interchange = OpenInterchange(header: detachedHeader, standard: standard, controlNumber: control)
    }

    private mutating func openGroup(_ header: Segment, into events: inout [ReadEvent]) {
        if self.interchange == nil { self.openImplicitInterchange(header, into: &events) }
        if let start = self.transactionStart {
            self.emitOpenTransaction(
                header.storage,
                start: start,
                end: header.index,
                found: header.tag,
                at: header.location,
                into: &events
            )
        }
        if self.group != nil {
            let trailer = self.interchange?.standard == .edifact ? "UNE" : "GE"
            events.append(.finding(.missingTrailer(trailer, found: header.tag, at: header.location)))
            self.interchange?.groups += 1
            events.append(.groupEnd(nil))
        }
        let isGS = header.record.tag == Tag.gs
        var control: [UInt8] = []
        Self.readControlNumber(
            header,
            isGS ? 6 : 5,
            reference: isGS ? "GS06" : "UNG05",
            storingIn: &control,
            into: &events
        )
        let detached = header.detached
        self.group = OpenGroup(header: detached, controlNumber: control)
        events.append(.groupStart(detached))
    }

    private mutating func openTransaction(_ header: Segment, _ index: Int, into events: inout [ReadEvent]) {
        if self.interchange == nil { self.openImplicitInterchange(header, into: &events) }
        self.interchange?.transactions += 1
        if let count = self.interchange?.transactions, count > self.limits.maximumTransactionsPerInterchange {
            self.error = .tooManyTransactions(limit: self.limits.maximumTransactionsPerInterchange, at: header.location)
            return
        }
        if let start = self.transactionStart {
            let trailer = header.record.tag == Tag.st ? "SE" : "UNT"
            self.emitOpenTransaction(
                header.storage,
                start: start,
                end: index,
                found: header.tag,
                at: header.location,
                trailer: trailer,
                into: &events
            )
        }
        let isST = header.record.tag == Tag.st
        if isST && self.group == nil {
            events.append(.finding(.unexpectedSegment("ST", expected: "GS", at: header.location)))
        }
        var location: Location {
            var location = header.location
            location.transactionSegmentNumber = 1
            return location
        }
        // Kept in one reused buffer: this runs once per transaction.
        Self.readControlNumber(
            header,
            isST ? 2 : 1,
            reference: isST ? "ST02" : "UNH01",
            location: location,
            storingIn: &self.transactionControlNumber,
            into: &events
        )
        self.transactionStart = index
    }

    /// EDIFACT messages may come without UNB: they form an interchange with no header.
    private mutating func openImplicitInterchange(_ first: Segment, into events: inout [ReadEvent]) {
        let context = first.context
        events.append(
            .interchangeStart(
                InterchangeHeader(
                    standard: context.standard,
                    delimiters: context.delimiters,
                    characterSet: context.characterSet,
                    segment: nil,
                    serviceStringAdvice: self.serviceStringAdvice
                )
            )
        )
        self.serviceStringAdvice = nil
        self.interchange = OpenInterchange(header: nil, standard: context.standard, controlNumber: [])
    }

    private mutating func closeTransaction(trailer: Segment, _ index: Int, into events: inout [ReadEvent]) {
        let isSE = trailer.record.tag == Tag.se
        guard let start = self.transactionStart else {
            events.append(
                .finding(.unexpectedTrailer(trailer.tag, expected: isSE ? "ST" : "UNH", at: trailer.location))
            )
            return
        }
        let count = index - start + 1
        var location: Location {
            var location = trailer.location
            location.transactionSegmentNumber = count
            return location
        }
        self.checkTrailer(
            trailer,
            countReference: isSE ? "SE01" : "UNT01",
            counted: count,
            what: "segments from \(isSE ? "ST" : "UNH") to \(trailer.tag)",
            controlReference: isSE ? "SE02" : "UNT02",
            header: isSE ? "ST02" : "UNH01",
            expected: self.transactionControlNumber,
            numeric: false,
            location: location,
            into: &events
        )
        self.countTransaction()
        self.transactionStart = nil
        events.append(
            .transaction(Transaction(storage: trailer.storage, first: start, segmentCount: count, hasTrailer: true))
        )
    }

    private mutating func countTransaction() {
        if self.group != nil { self.group?.transactions += 1 } else { self.interchange?.transactionsOutsideGroups += 1 }
    }

    /// Emits the open transaction, which ends before segment `end` without its trailer.
    private mutating func emitOpenTransaction(
        _ storage: SegmentStorage,
        start: Int,
        end: Int,
        found: String,
        at location: Location,
        trailer: String? = nil,
        into events: inout [ReadEvent]
    ) {
        let name = trailer ?? (self.interchange?.standard == .edifact ? "UNT" : "SE")
        events.append(.finding(.missingTrailer(name, found: found, at: location)))
        self.countTransaction()
        self.transactionStart = nil
        events.append(
            .transaction(Transaction(storage: storage, first: start, segmentCount: end - start, hasTrailer: false))
        )
    }

    private mutating func closeGroup(trailer: Segment, _ index: Int, into events: inout [ReadEvent]) {
        let isGE = trailer.record.tag == Tag.ge
        if let start = self.transactionStart {
            self.emitOpenTransaction(
                trailer.storage,
                start: start,
                end: index,
                found: trailer.tag,
                at: trailer.location,
                into: &events
            )
        }
        guard let group = self.group else {
            events.append(
                .finding(.unexpectedTrailer(trailer.tag, expected: isGE ? "GS" : "UNG", at: trailer.location))
            )
            return
        }
        self.checkTrailer(
            trailer,
            countReference: isGE ? "GE01" : "UNE01",
            counted: group.transactions,
            what: isGE ? "transaction sets" : "messages",
            controlReference: isGE ? "GE02" : "UNE02",
            header: isGE ? "GS06" : "UNG05",
            expected: group.controlNumber,
            numeric: isGE,
            location: trailer.location,
            into: &events
        )
        self.group = nil
        self.interchange?.groups += 1
        events.append(.groupEnd(trailer.detached))
    }

    private mutating func closeInterchange(trailer: Segment, _ index: Int, into events: inout [ReadEvent]) {
        let isIEA = trailer.record.tag == Tag.iea
        if let start = self.transactionStart {
            self.emitOpenTransaction(
                trailer.storage,
                start: start,
                end: index,
                found: trailer.tag,
                at: trailer.location,
                into: &events
            )
        }
        if self.group != nil {
            events.append(.finding(.missingTrailer(isIEA ? "GE" : "UNE", found: trailer.tag, at: trailer.location)))
            self.group = nil
            self.interchange?.groups += 1
            events.append(.groupEnd(nil))
        }
        guard let interchange = self.interchange, interchange.header != nil else {
            events.append(
                .finding(.unexpectedTrailer(trailer.tag, expected: isIEA ? "ISA" : "UNB", at: trailer.location))
            )
            if self.interchange != nil {
                self.interchange = nil
                events.append(.interchangeEnd(nil))
            }
            return
        }
        let counted: Int
        let what: String
        if isIEA {
            counted = interchange.groups
            what = "functional groups"
        } else if interchange.groups > 0 {
            counted = interchange.groups
            what = "functional groups"
        } else {
            counted = interchange.transactionsOutsideGroups
            what = "messages"
        }
        self.checkTrailer(
            trailer,
            countReference: isIEA ? "IEA01" : "UNZ01",
            counted: counted,
            what: what,
            controlReference: isIEA ? "IEA02" : "UNZ02",
            header: isIEA ? "ISA13" : "UNB05",
            expected: interchange.controlNumber,
            numeric: isIEA,
            location: trailer.location,
            into: &events
        )
        self.interchange = nil
        events.append(.interchangeEnd(trailer.detached))
    }

    /// Closes whatever is open because `found` begins a new interchange.
    private mutating func closeInterchange(
        found: String,
        at location: Location,
        storage: SegmentStorage,
        into events: inout [ReadEvent]
    ) {
        guard let interchange = self.interchange else { return }
        let isX12 = interchange.standard == .x12
        if let start = self.transactionStart {
            self.emitOpenTransaction(
                storage,
                start: start,
                end: self.walkIndex - 1,
                found: found,
                at: location,
                into: &events
            )
        }
        if self.group != nil {
            events.append(.finding(.missingTrailer(isX12 ? "GE" : "UNE", found: found, at: location)))
            self.group = nil
            events.append(.groupEnd(nil))
        }
        if interchange.header != nil {
            events.append(.finding(.missingTrailer(isX12 ? "IEA" : "UNZ", found: found, at: location)))
        }
        self.interchange = nil
        events.append(.interchangeEnd(nil))
    }

    /// Ends the input: an open envelope is an error, except the header-less EDIFACT interchange.
    mutating func finish(_ storage: SegmentStorage, endOffset: Int, into events: inout [ReadEvent])
        throws(EDISyntaxError)
    {
        guard let interchange = self.interchange else { return }
        let end = Location(byteOffset: endOffset)
        if self.transactionStart != nil {
            throw .truncatedInput(expected: interchange.standard == .x12 ? "SE" : "UNT", at: end)
        }
        if self.group != nil {
            throw .truncatedInput(expected: interchange.standard == .x12 ? "GE" : "UNE", at: end)
        }
        if interchange.header != nil {
            throw .truncatedInput(expected: interchange.standard == .x12 ? "IEA" : "UNZ", at: end)
        }
        self.interchange = nil
        events.append(.interchangeEnd(nil))
    }

    // MARK: Counts and control numbers

    /// Replaces `value` with the control number in `segment[position]` (reusing its storage, as this runs once
    /// per transaction), or empties it and reports the missing value.
    private static func readControlNumber(
        _ segment: Segment,
        _ position: Int,
        reference: String,
        location: @autoclosure () -> Location? = nil,
        storingIn value: inout [UInt8],
        into events: inout [ReadEvent]
    ) {
        value.removeAll(keepingCapacity: true)
        guard let element = segment[position], !element.isEmpty else {
            var where_ = location() ?? segment.location
            where_.elementPosition = position
            events.append(
                .finding(
                    .invalidControlValue(reference: reference, expected: "a control number", length: 0, at: where_)
                )
            )
            return
        }
        element.withValueBytes { value.append(contentsOf: $0) }
    }

    /// Checks a trailer: its count (element 1) against `counted`, its control number (element 2) against the
    /// header's `expected`.
    private func checkTrailer(
        _ trailer: Segment,
        countReference: String,
        counted: Int,
        what: @autoclosure () -> String,
        controlReference: String,
        header: String,
        expected: [UInt8],
        numeric: Bool,
        location: @autoclosure () -> Location,
        into events: inout [ReadEvent]
    ) {
        self.checkCount(
            trailer,
            1,
            reference: countReference,
            counted: counted,
            what: what(),
            location: location(),
            into: &events
        )
        self.checkControl(
            trailer,
            2,
            reference: controlReference,
            header: header,
            expected: expected,
            numeric: numeric,
            location: location(),
            into: &events
        )
    }

    /// Checks the count in `trailer[position]` against `counted`. Messages and locations are built only for a
    /// finding: this runs once per transaction.
    private func checkCount(
        _ trailer: Segment,
        _ position: Int,
        reference: String,
        counted: Int,
        what: @autoclosure () -> String,
        location: @autoclosure () -> Location,
        into events: inout [ReadEvent]
    ) {
        func here(_ element: Element?) -> Location {
            var here = location()
            here.elementPosition = position
            if let element { here.byteOffset = element.byteOffset }
            return here
        }
        guard let element = trailer[position] else {
            events.append(
                .finding(.invalidControlValue(reference: reference, expected: "a count", length: 0, at: here(nil)))
            )
            return
        }
        let value = element.withValueBytes { bytes -> Int? in
            guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
            var value = 0
            for byte in bytes {
                guard ASCII.isDigit(byte) else { return nil }
                value = value &* 10 &+ Int(byte &- 0x30)
            }
            return value
        }
        guard let value else {
            let length = element.withValueBytes { $0.count }
            events.append(
                .finding(
                    .invalidControlValue(reference: reference, expected: "a count", length: length, at: here(element))
                )
            )
            return
        }
        if value != counted {
            events.append(
                .finding(
                    .countMismatch(
                        reference: reference,
                        counted: counted,
                        what: what(),
                        found: value,
                        at: here(element)
                    )
                )
            )
        }
    }

    /// Whether two digit strings name the same number: ISA13 and GS06 are numeric (N0), so leading zeros do
    /// not make a different control number; their length is a matter for validation.
    static func sameNumber(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard !a.isEmpty, !b.isEmpty, a.allSatisfy(ASCII.isDigit), b.allSatisfy(ASCII.isDigit) else { return false }
        return a.drop { $0 == UInt8(ascii: "0") }.elementsEqual(b.drop { $0 == UInt8(ascii: "0") })
    }

    private func checkControl(
        _ trailer: Segment,
        _ position: Int,
        reference: String,
        header: String,
        expected: [UInt8],
        numeric: Bool,
        location: @autoclosure () -> Location,
        into events: inout [ReadEvent]
    ) {
        var here: Location {
            var here = location()
            here.elementPosition = position
            return here
        }
        guard let element = trailer[position], !element.isEmpty else {
            events.append(
                .finding(.invalidControlValue(reference: reference, expected: "a control number", length: 0, at: here))
            )
            return
        }
        let same = element.withValueBytes { $0.elementsEqual(expected) }
        if same { return }
        let found = element.valueBytes
        if !(numeric && Self.sameNumber(found, expected)) {
            var at = here
            at.byteOffset = element.byteOffset
            events.append(
                .finding(
                    .controlNumberMismatch(
                        trailer: reference,
                        header: header,
                        headerValue: expected,
                        found: found,
                        at: at
                    )
                )
            )
        }
    }
}

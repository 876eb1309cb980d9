/// Reads X12 and EDIFACT incrementally: feed bytes in chunks of any size, take events as they become complete.
///
/// The result does not depend on where chunks end. Memory stays bounded by the largest segment or transaction
/// in flight, not by the input: each transaction is handed out as a view into the buffer of its chunk, and the
/// reader keeps only what is still incomplete.
///
/// ```swift
/// var reader = EDIReader()
/// for chunk in chunks {
///     reader.append(chunk)
///     while let event = try reader.next() { use(event) }
/// }
/// reader.finish()
/// while let event = try reader.next() { use(event) }
/// ```
public struct EDIReader: Sendable {
    private var bytes: [UInt8] = []
    /// The input offset of `bytes[0]`.
    private var baseOffset = 0
    private var tokenizer: Tokenizer
    private var walker: EnvelopeWalker
    private var events: [ReadEvent] = []
    private var eventIndex = 0
    private var pendingError: EDISyntaxError?
    private var isFinished = false
    private var isDone = false
    private var hasNewInput = false
    /// Set when input went past ``ReaderLimits/maximumInputSize``: the bytes up to the limit are read, then fail.
    private var isOverLimit = false
    private let maximumInputSize: Int

    /// Creates a reader.
    public init(configuration: ReaderConfiguration = ReaderConfiguration()) {
        self.tokenizer = Tokenizer(limits: configuration.limits)
        self.walker = EnvelopeWalker(repertoire: configuration.repertoire, limits: configuration.limits)
        self.maximumInputSize = configuration.limits.maximumInputSize
    }

    /// The number of input bytes appended so far.
    public var bytesAppended: Int { self.baseOffset + self.bytes.count }

    /// Adds the next chunk of input.
    public mutating func append(_ chunk: [UInt8]) {
        precondition(!self.isFinished, "append after finish")
        guard !self.isOverLimit else { return }
        self.compact()
        let room = self.maximumInputSize - self.bytesAppended
        if chunk.count > room {
            // Read what fits, the same whatever the chunking, then fail at the limit.
            self.isOverLimit = true
            self.bytes.append(contentsOf: chunk.prefix(room))
        } else if self.bytes.isEmpty && self.bytes.capacity < chunk.count {
            self.bytes = chunk
        } else {
            let needed = self.bytes.count + chunk.count
            if needed > self.bytes.capacity && !self.bytes.isEmpty {
                // What stays is a transaction spanning chunks, and it keeps growing: four times the room at a time
                // moves its bytes a third as often in all as doubling does (a tenth of a long transaction's read).
                self.bytes.reserveCapacity(Swift.max(needed, self.bytes.capacity * 4))
            }
            self.bytes.append(contentsOf: chunk)
        }
        self.hasNewInput = true
    }

    /// Adds the next chunk of input.
    public mutating func append(contentsOf chunk: some Sequence<UInt8>) {
        self.append(Array(chunk))
    }

    /// Marks the end of input; the events that remain then become available.
    public mutating func finish() {
        self.isFinished = true
        self.hasNewInput = true
    }

    /// The next event, or `nil` when more input is needed (or, after ``finish()``, when reading is done).
    ///
    /// Throws when the bytes cannot be read any further; events before the error are returned first.
    public mutating func next() throws(EDISyntaxError) -> ReadEvent? {
        if self.eventIndex < self.events.count {
            let event = self.events[self.eventIndex]
            self.eventIndex += 1
            return event
        }
        if let error = self.pendingError {
            self.isDone = true
            throw error
        }
        self.events.removeAll(keepingCapacity: true)
        self.eventIndex = 0
        guard self.hasNewInput, !self.isDone else { return nil }
        self.hasNewInput = false
        self.read()
        return try self.next()
    }

    /// The next event, appending the chunk `more` returns whenever the reader needs input and finishing it when
    /// `more` returns `nil`; `nil` only when reading is done. For a caller that pulls events (a fold on another
    /// task) rather than pushing chunks:
    ///
    /// ```swift
    /// while let event = try reader.next(appending: { chunks.next() }) { use(event) }
    /// ```
    public mutating func next(appending more: () -> [UInt8]?) throws(EDISyntaxError) -> ReadEvent? {
        while true {
            if let event = try self.next() { return event }
            if self.isFinished { return nil }
            if let chunk = more() { self.append(chunk) } else { self.finish() }
        }
    }

    /// Tokenizes what is buffered and walks the new segments into events.
    private mutating func read() {
        let isFinal = self.isFinished && !self.isOverLimit
        let baseOffset = self.baseOffset
        let bytes = self.bytes
        self.pendingError = bytes.withUnsafeBytes { buffer -> EDISyntaxError? in
            do throws(EDISyntaxError) {
                try self.tokenizer.tokenize(buffer, baseOffset: baseOffset, isFinal: isFinal)
                return nil
            } catch {
                return error
            }
        }
        let storage = SegmentStorage(
            bytes: self.bytes,
            baseOffset: self.baseOffset,
            segments: self.tokenizer.segments.snapshot(count: self.tokenizer.segments.count),
            elements: self.tokenizer.elements.snapshot(count: self.tokenizer.completeElementCount),
            contexts: self.tokenizer.contexts
        )
        self.walker.walk(storage, into: &self.events)
        if let error = self.walker.error {
            self.pendingError = error
            return
        }
        if self.isOverLimit && self.pendingError == nil {
            self.pendingError = .inputTooLarge(
                limit: self.maximumInputSize,
                at: Location(byteOffset: self.maximumInputSize)
            )
            return
        }
        if isFinal && self.pendingError == nil {
            do throws(EDISyntaxError) {
                try self.walker.finish(storage, endOffset: self.baseOffset + self.bytes.count, into: &self.events)
            } catch {
                self.pendingError = error
            }
            self.isDone = self.pendingError == nil
        }
    }

    /// Drops the bytes and segments that no event needs any more, before new input arrives.
    private mutating func compact() {
        if self.eventIndex == self.events.count {
            // Events already taken: holding them would keep the old buffers shared and force copies.
            self.events.removeAll(keepingCapacity: true)
            self.eventIndex = 0
        }
        let keepSegment = self.walker.firstIndexToKeep
        let keepByte: Int
        if keepSegment < self.tokenizer.segments.count {
            keepByte = Int(self.tokenizer.segments[keepSegment].start)
        } else {
            keepByte = min(self.tokenizer.segmentStart, self.tokenizer.position, self.bytes.count)
        }
        // Moving what is kept costs its size, so only when at least as much is dropped: each byte and segment then
        // moves a bounded number of times, and one transaction spanning many chunks stays linear to read.
        guard keepByte > 0 || keepSegment > 0, keepByte * 2 >= self.bytes.count,
            keepSegment * 2 >= self.tokenizer.segments.count
        else { return }
        if keepByte > 0 {
            // In place once the events of the previous chunk are gone (the array is then unique again).
            self.bytes.removeSubrange(0..<keepByte)
            self.baseOffset += keepByte
        }
        self.tokenizer.rebase(droppingBytes: keepByte, segments: keepSegment)
        self.walker.rebase(droppingSegments: keepSegment)
    }
}

/// Reads whole inputs; a namespace.
public enum EDIParser {
    /// Reads every interchange in `bytes`.
    ///
    /// Throws only when the bytes cannot be read; envelope problems are in each interchange's `findings`.
    public static func parse(
        _ bytes: [UInt8],
        configuration: ReaderConfiguration = ReaderConfiguration()
    ) throws(EDISyntaxError) -> [Interchange] {
        var reader = EDIReader(configuration: configuration)
        reader.append(bytes)
        reader.finish()
        var collector = InterchangeCollector()
        while let event = try reader.next() { collector.add(event) }
        return collector.interchanges
    }
}

extension EDIParser {
    /// Tokenizes `bytes` into segments and elements without walking envelopes, and returns the segment count
    /// (the UNA included). This is the reader's lowest layer; the benchmark measures it on its own.
    public static func countSegments(
        _ bytes: [UInt8],
        configuration: ReaderConfiguration = ReaderConfiguration()
    ) throws(EDISyntaxError) -> Int {
        var tokenizer = Tokenizer(limits: configuration.limits)
        // As a streaming reader does: windows of the input, dropping what is done after each, so the tables
        // stay small and are reused.
        let window = 1 << 20
        var total = 0
        let error = bytes.withUnsafeBytes { buffer -> EDISyntaxError? in
            var start = 0
            var end = 0
            do throws(EDISyntaxError) {
                while true {
                    end = min(end + window, buffer.count)
                    let isFinal = end == buffer.count
                    try tokenizer.tokenize(
                        UnsafeRawBufferPointer(rebasing: buffer[start..<end]),
                        baseOffset: start,
                        isFinal: isFinal
                    )
                    total += tokenizer.segments.count
                    if isFinal { return nil }
                    let keep = min(tokenizer.segmentStart, tokenizer.position)
                    tokenizer.rebase(droppingBytes: keep, segments: tokenizer.segments.count)
                    start += keep
                }
            } catch {
                return error
            }
        }
        if let error { throw error }
        return total
    }
}

/// Folds ``ReadEvent`` values into ``Interchange`` values.
public struct InterchangeCollector: Sendable {
    /// The interchanges completed so far, and the one in progress last.
    public private(set) var interchanges: [Interchange] = []
    private var groupOpen = false

    /// Creates an empty collector.
    public init() {}

    /// Adds the next event.
    public mutating func add(_ event: ReadEvent) {
        switch event {
        case .interchangeStart(let header):
            self.interchanges.append(Interchange(header: header))
            self.groupOpen = false
        case .segment(let segment):
            self.modifyLast { $0.segments.append(segment) }
        case .groupStart(let header):
            self.modifyLast { $0.groups.append(Group(header: header)) }
            self.groupOpen = true
        case .transaction(let transaction):
            let groupOpen = self.groupOpen
            self.modifyLast { interchange in
                if !groupOpen {
                    if interchange.groups.last?.header == nil && !interchange.groups.isEmpty {
                        interchange.groups[interchange.groups.count - 1].transactions.append(transaction)
                    } else {
                        interchange.groups.append(Group(header: nil, transactions: [transaction]))
                    }
                } else {
                    interchange.groups[interchange.groups.count - 1].transactions.append(transaction)
                }
            }
        case .groupEnd(let trailer):
            self.modifyLast { $0.groups[$0.groups.count - 1].trailer = trailer }
            self.groupOpen = false
        case .interchangeEnd(let trailer):
            self.modifyLast { $0.trailer = trailer }
        case .finding(let finding):
            self.modifyLast { $0.findings.append(finding) }
        }
    }

    private mutating func modifyLast(_ body: (inout Interchange) -> Void) {
        guard !self.interchanges.isEmpty else { return }
        body(&self.interchanges[self.interchanges.count - 1])
    }
}

public import EDICore

/// Random documents and delimiter sets for round-trip properties, all derived from one seed.
public struct RandomDocument: Sendable {
    /// The standard.
    public let standard: Standard
    /// The delimiters chosen.
    public let delimiters: Delimiters
    /// What follows each terminator.
    public let lineBreak: EDIWriter.LineBreak
    /// Transactions: type and body segments (without ST/SE or UNH/UNT).
    public let transactions: [(type: String, body: [SegmentValue])]
    /// The seed it was made from.
    public let seed: UInt64

    /// Makes a random document from `seed`.
    public init(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        self.seed = seed
        self.standard = Bool.random(using: &generator) ? .x12 : .edifact
        // Separators come from punctuation and the information separators, never letters, digits or space.
        var pool = Array("*|^~:>!\"#$%&'()+,-./;<=?@[\\]_`{}".utf8) + [0x1C, 0x1D, 0x1E, 0x1F]
        pool.shuffle(using: &generator)
        let terminatorChoice = Int.random(in: 0..<6, using: &generator)
        var terminator = [pool[3]]
        if self.standard == .x12 && terminatorChoice == 0 { terminator = [0x0A] }
        if self.standard == .x12 && terminatorChoice == 1 { terminator = Array("…".utf8) }
        self.delimiters = Delimiters(
            element: pool[0],
            component: pool[1],
            repetition: Int.random(in: 0..<4, using: &generator) == 0 ? nil : pool[2],
            segmentTerminator: terminator,
            release: self.standard == .edifact ? pool[4] : nil,
            decimalMark: UInt8(ascii: ".")
        )
        let breaks: [EDIWriter.LineBreak] = [.none, .lf, .crlf]
        self.lineBreak = terminator == [0x0A] ? .none : breaks[Int.random(in: 0..<3, using: &generator)]
        // Value characters: for X12 anything printable but the delimiters; EDIFACT escapes, so everything.
        let delimiterBytes = Set(self.delimiters.separators + terminator)
        let standard = self.standard
        let alphabet: [UInt8] = (0x20...0x7E).filter {
            standard == .edifact || !delimiterBytes.contains(UInt8($0))
        }.map { UInt8($0) }
        let repetition = self.delimiters.repetition
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        let reserved: Set<String> = [
            "ISA", "IEA", "GS", "GE", "ST", "SE", "TA1", "ISB", "ISE", "BIN", "BDS", "UNA", "UNB", "UNZ", "UNG", "UNE",
            "UNH", "UNT",
        ]
        func text(_ maximum: Int) -> String {
            let count = Int.random(in: 0...maximum, using: &generator)
            return String(decoding: (0..<count).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self)
        }
        var transactions: [(String, [SegmentValue])] = []
        for _ in 0..<Int.random(in: 1...3, using: &generator) {
            var body: [SegmentValue] = []
            for _ in 0..<Int.random(in: 0...6, using: &generator) {
                var tag = ""
                repeat {
                    let length = Int.random(in: 2...3, using: &generator)
                    tag = String(
                        decoding: (0..<length).map { _ in letters.randomElement(using: &generator)! },
                        as: UTF8.self
                    )
                } while reserved.contains(tag) || (standard == .edifact && tag.count != 3)
                var elements: [ElementValue] = []
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let repetitionCount = repetition == nil ? 1 : Int.random(in: 1...2, using: &generator)
                    var repetitions: [[String]] = []
                    for _ in 0..<repetitionCount {
                        let components = Int.random(in: 1...3, using: &generator)
                        repetitions.append((0..<components).map { _ in text(8) })
                    }
                    elements.append(ElementValue(repetitions: repetitions))
                }
                body.append(SegmentValue(tag: tag, elements: elements))
            }
            transactions.append((standard == .x12 ? "856" : "DESADV:D:96A:UN", body))
        }
        self.transactions = transactions
    }

    /// The document written with envelopes.
    public func write() throws(EDISyntaxError) -> [UInt8] {
        var writer = EnvelopeWriter(standard: self.standard, delimiters: self.delimiters, lineBreak: self.lineBreak)
        let envelope = InterchangeEnvelope(
            sender: "SENDER",
            senderQualifier: "ZZ",
            receiver: "RECEIVER",
            receiverQualifier: "ZZ",
            date: "20260101",
            time: "1200",
            version: self.standard == .x12 ? "00501" : "4",
            syntaxIdentifier: "UNOY"
        )
        try writer.beginInterchange(envelope, serviceStringAdvice: self.standard == .edifact ? true : nil)
        try writer.beginGroup(
            GroupEnvelope(
                functionalIdentifier: self.standard == .x12 ? "SH" : "DESADV",
                applicationSender: "S",
                applicationReceiver: "R",
                version: self.standard == .x12 ? "005010" : "D:96A:UN"
            )
        )
        for transaction in self.transactions {
            try writer.writeTransaction(type: transaction.type, body: transaction.body)
        }
        try writer.endGroup()
        try writer.endInterchange()
        return writer.bytes
    }
}

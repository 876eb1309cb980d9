public import EDICore

/// A partner's acknowledgment of documents we sent, read into results per control number: what was accepted,
/// accepted with errors or rejected, and why. A later stage matches the results to our outbound documents.
///
/// ```swift
/// for interchange in try EDIParser.parse(bytes) {
///     for acknowledgment in ReceivedAcknowledgment.read(interchange) {
///         for result in acknowledgment.results where result.outcome == .rejected { … }
///     }
/// }
/// ```
public struct ReceivedAcknowledgment: Sendable {
    /// The kind of acknowledgment.
    public enum Kind: String, Sendable, Hashable {
        case ta1 = "TA1"
        case functional997 = "997"
        case implementation999 = "999"
        case contrl = "CONTRL"
        case aperak = "APERAK"
    }

    /// What the partner decided.
    public enum Outcome: String, Sendable, Hashable {
        /// Accepted (TA104/AK501/IK501/AK901 `A`, CONTRL action 7, APERAK without errors).
        case accepted
        /// Accepted, with errors noted (`E`).
        case acceptedWithErrors
        /// Some transactions of the group accepted (AK901 `P`).
        case partiallyAccepted
        /// Rejected (`R`, and 999's `M`, `W`, `X`; CONTRL action 4; APERAK with errors).
        case rejected
        /// Received, not yet checked (CONTRL action 8).
        case received
    }

    /// Which level of our outbound document a result is about.
    public enum Level: String, Sendable, Hashable {
        case interchange, group, transaction
    }

    /// One error the partner reported: where and which code.
    public struct ReportedError: Sendable, Hashable {
        /// The code as the acknowledgment gives it (AK304, AK403, IK304, IK403, CONTRL 0085, APERAK ERC).
        public var code: String
        /// The segment's tag (AK301, IK301).
        public var segmentTag: String?
        /// The segment's position in the transaction (AK302, IK302, UCS01).
        public var segmentPosition: Int?
        /// The loop (AK303, IK303).
        public var loop: String?
        /// The element's position (AK401-1, IK401-1, UCD02-1).
        public var elementPosition: Int?
        /// The component's position (AK401-2, IK401-2, UCD02-2).
        public var componentPosition: Int?
        /// The repetition (AK401-3, IK401-3).
        public var repetition: Int?
        /// The data element's reference number (AK402, IK402).
        public var elementReference: String?

        /// Creates an error.
        public init(
            code: String,
            segmentTag: String? = nil,
            segmentPosition: Int? = nil,
            loop: String? = nil,
            elementPosition: Int? = nil,
            componentPosition: Int? = nil,
            repetition: Int? = nil,
            elementReference: String? = nil
        ) {
            self.code = code
            self.segmentTag = segmentTag
            self.segmentPosition = segmentPosition
            self.loop = loop
            self.elementPosition = elementPosition
            self.componentPosition = componentPosition
            self.repetition = repetition
            self.elementReference = elementReference
        }
    }

    /// The decision about one of our interchanges, groups or transactions.
    public struct Result: Sendable {
        /// What the result is about.
        public var level: Level
        /// Our control number at that level (ISA13/UNB05, GS06/UNG05, ST02/UNH01), or for APERAK the
        /// reference it gives (RFF+ACW, else the DOC number).
        public var controlNumber: String
        /// For a transaction, the control number of its group (AK102), when the acknowledgment says.
        public var groupControlNumber: String?
        /// The functional identifier (AK101) or transaction type (AK201, UCM02-1, DOC01).
        public var documentType: String?
        /// The decision.
        public var outcome: Outcome
        /// Codes given for the level itself (TA105, AK502…, AK905…, UCI05, UCM04, ERC).
        public var codes: [String]
        /// Errors located in segments and elements.
        public var errors: [ReportedError]
        /// For a group: transactions included, received and accepted (AK902–AK904).
        public var counts: (included: Int, received: Int, accepted: Int)?
        /// For APERAK: the references it gives (`ACW`, `ON`, `AAK`… to values), to match our documents.
        public var references: [String: String]

        /// Creates a result.
        public init(
            level: Level,
            controlNumber: String,
            groupControlNumber: String? = nil,
            documentType: String? = nil,
            outcome: Outcome,
            codes: [String] = [],
            errors: [ReportedError] = [],
            counts: (included: Int, received: Int, accepted: Int)? = nil,
            references: [String: String] = [:]
        ) {
            self.level = level
            self.controlNumber = controlNumber
            self.groupControlNumber = groupControlNumber
            self.documentType = documentType
            self.outcome = outcome
            self.codes = codes
            self.errors = errors
            self.counts = counts
            self.references = references
        }
    }

    /// The kind.
    public var kind: Kind
    /// The control number of the acknowledgment itself (ST02, UNH01, or ISA13 for TA1).
    public var controlNumber: String
    /// The results, in the order the acknowledgment gives them.
    public var results: [Result]

    /// Creates an acknowledgment.
    public init(kind: Kind, controlNumber: String, results: [Result]) {
        self.kind = kind
        self.controlNumber = controlNumber
        self.results = results
    }

    /// Every acknowledgment in `interchange`: its TA1 segments, 997, 999, CONTRL and APERAK transactions. Other
    /// transactions are not acknowledgments and are skipped.
    public static func read(_ interchange: Interchange) -> [ReceivedAcknowledgment] {
        var found: [ReceivedAcknowledgment] = []
        for segment in interchange.segments where segment.hasTag("TA1") {
            found.append(
                ReceivedAcknowledgment(
                    kind: .ta1,
                    controlNumber: interchange.header.controlNumber ?? "",
                    results: [
                        Result(
                            level: .interchange,
                            controlNumber: Self.text(segment, 1),
                            outcome: Self.outcome(Self.text(segment, 4)),
                            codes: Self.nonEmpty([Self.text(segment, 5)])
                        )
                    ]
                )
            )
        }
        for transaction in interchange.transactions {
            switch transaction.type {
            case "997": found.append(Self.functional(transaction, kind: .functional997))
            case "999": found.append(Self.functional(transaction, kind: .implementation999))
            case "CONTRL": found.append(Self.contrl(transaction))
            case "APERAK": found.append(Self.aperak(transaction))
            default: break
            }
        }
        return found
    }

    // MARK: X12

    /// AK1 (group), AK2 with AK3/AK4 or IK3/IK4 and AK5/IK5 (transactions), AK9 (group's decision).
    static func functional(_ transaction: Transaction, kind: Kind) -> ReceivedAcknowledgment {
        var results: [Result] = []
        var groupType: String?
        var groupControl: String?
        var current: Result?
        var segmentContext = ReportedError(code: "")
        for segment in transaction.segments {
            switch segment.tag {
            case "AK1":
                groupType = Self.text(segment, 1)
                groupControl = Self.text(segment, 2)
            case "AK2":
                if let done = current { results.append(done) }
                current = Result(
                    level: .transaction,
                    controlNumber: Self.text(segment, 2),
                    groupControlNumber: groupControl,
                    documentType: Self.text(segment, 1),
                    outcome: .accepted
                )
            case "AK3", "IK3":
                segmentContext = ReportedError(
                    code: Self.text(segment, 4),
                    segmentTag: Self.text(segment, 1),
                    segmentPosition: Int(Self.text(segment, 2)),
                    loop: Self.optional(segment, 3)
                )
                if !segmentContext.code.isEmpty { current?.errors.append(segmentContext) }
            case "AK4", "IK4":
                var error = segmentContext
                let position = segment[1]
                error.elementPosition = position?.component(1).flatMap { Int($0.text) }
                error.componentPosition = position?.component(2).flatMap { Int($0.text) }
                error.repetition = position?.component(3).flatMap { Int($0.text) }
                error.elementReference = Self.optional(segment, 2)
                error.code = Self.text(segment, 3)
                current?.errors.append(error)
            case "AK5", "IK5":
                current?.outcome = Self.outcome(Self.text(segment, 1))
                current?.codes = Self.nonEmpty((2...6).map { Self.text(segment, $0) })
            case "AK9":
                if let done = current { results.append(done) }
                current = nil
                results.append(
                    Result(
                        level: .group,
                        controlNumber: groupControl ?? "",
                        documentType: groupType,
                        outcome: Self.outcome(Self.text(segment, 1)),
                        codes: Self.nonEmpty((5...9).map { Self.text(segment, $0) }),
                        counts: (
                            Int(Self.text(segment, 2)) ?? 0, Int(Self.text(segment, 3)) ?? 0,
                            Int(Self.text(segment, 4)) ?? 0
                        )
                    )
                )
            default:
                break
            }
        }
        if let done = current { results.append(done) }
        return ReceivedAcknowledgment(kind: kind, controlNumber: transaction.controlNumber, results: results)
    }

    // MARK: EDIFACT

    /// UCI (interchange), UCF (group), UCM with UCS and UCD (messages).
    static func contrl(_ transaction: Transaction) -> ReceivedAcknowledgment {
        var results: [Result] = []
        var group: String?
        var segmentContext = ReportedError(code: "")
        var current: Result?
        func flush() {
            if let done = current { results.append(done) }
            current = nil
        }
        for segment in transaction.segments {
            switch segment.tag {
            case "UCI":
                results.append(
                    Result(
                        level: .interchange,
                        controlNumber: Self.text(segment, 1),
                        outcome: Self.action(Self.text(segment, 4)),
                        codes: Self.nonEmpty([Self.text(segment, 5)])
                    )
                )
            case "UCF":
                flush()
                group = Self.text(segment, 1)
                results.append(
                    Result(
                        level: .group,
                        controlNumber: Self.text(segment, 1),
                        outcome: Self.action(Self.text(segment, 4)),
                        codes: Self.nonEmpty([Self.text(segment, 5)])
                    )
                )
            case "UCM":
                flush()
                current = Result(
                    level: .transaction,
                    controlNumber: Self.text(segment, 1),
                    groupControlNumber: group,
                    documentType: segment[2]?.component(1)?.text,
                    outcome: Self.action(Self.text(segment, 3)),
                    codes: Self.nonEmpty([Self.text(segment, 4)])
                )
            case "UCS":
                segmentContext = ReportedError(code: Self.text(segment, 2), segmentPosition: Int(Self.text(segment, 1)))
                if !segmentContext.code.isEmpty { current?.errors.append(segmentContext) }
            case "UCD":
                var error = segmentContext
                error.code = Self.text(segment, 1)
                error.elementPosition = segment[2]?.component(1).flatMap { Int($0.text) }
                error.componentPosition = segment[2]?.component(2).flatMap { Int($0.text) }
                current?.errors.append(error)
            default:
                break
            }
        }
        flush()
        return ReceivedAcknowledgment(kind: .contrl, controlNumber: transaction.controlNumber, results: results)
    }

    /// One result for the document an APERAK answers: its references (RFF, DOC) and error codes (ERC).
    static func aperak(_ transaction: Transaction) -> ReceivedAcknowledgment {
        var references: [String: String] = [:]
        var documentType: String?
        var codes: [String] = []
        for segment in transaction.segments {
            switch segment.tag {
            case "RFF":
                if let qualifier = segment[1]?.component(1)?.text, let value = segment[1]?.component(2)?.text,
                    references[qualifier] == nil
                {
                    references[qualifier] = value
                }
            case "DOC":
                documentType = segment[1]?.component(1)?.text
                if let number = segment[2]?.component(1)?.text { references["DOC"] = number }
            case "ERC":
                if let code = segment[1]?.component(1)?.text, !code.isEmpty { codes.append(code) }
            default:
                break
            }
        }
        let result = Result(
            level: .transaction,
            controlNumber: references["ACW"] ?? references["DOC"] ?? "",
            documentType: documentType,
            outcome: codes.isEmpty ? .accepted : .rejected,
            codes: codes,
            errors: codes.map { ReportedError(code: $0) },
            references: references
        )
        return ReceivedAcknowledgment(kind: .aperak, controlNumber: transaction.controlNumber, results: [result])
    }

    // MARK: Values

    static func text(_ segment: Segment, _ position: Int) -> String {
        segment[position]?.text ?? ""
    }

    static func optional(_ segment: Segment, _ position: Int) -> String? {
        let text = Self.text(segment, position)
        return text.isEmpty ? nil : text
    }

    static func nonEmpty(_ codes: [String]) -> [String] {
        codes.filter { !$0.isEmpty }
    }

    /// TA104, AK501, IK501, AK901.
    static func outcome(_ code: String) -> Outcome {
        switch code {
        case "A": .accepted
        case "E": .acceptedWithErrors
        case "P": .partiallyAccepted
        default: .rejected
        }
    }

    /// CONTRL action coded (0083): 7 acknowledged, 8 received, 4 (and anything else) rejected.
    static func action(_ code: String) -> Outcome {
        switch code {
        case "7": .accepted
        case "8": .received
        default: .rejected
        }
    }
}

/// A partner's acknowledgment of one of our outbound documents (TA1, 997, 999, CONTRL, APERAK), per control
/// number: accepted, accepted with errors, or rejected, with the reasons.
public struct AcknowledgmentReceived: Codable, Sendable, Hashable {
    /// `edigate.AcknowledgmentReceived.v1`.
    public static let schema = "edigate.AcknowledgmentReceived.v1"

    public var schema: String = Self.schema
    public var metadata: EventMetadata
    /// `TA1`, `997`, `999`, `CONTRL`, `APERAK`.
    public var acknowledgment: String
    /// One result per interchange, group or transaction of ours the acknowledgment names.
    public var results: [Result]

    public enum Level: String, Codable, Sendable, Hashable {
        case interchange
        case group
        case transaction
    }

    public enum Outcome: String, Codable, Sendable, Hashable {
        case accepted
        case acceptedWithErrors = "accepted-with-errors"
        case partiallyAccepted = "partially-accepted"
        case rejected
        /// Received, nothing said about acceptance (CONTRL action 8, APERAK information).
        case received
    }

    /// The outcome for one of our control numbers.
    public struct Result: Codable, Sendable, Hashable {
        public var level: Level
        /// Our control number (ISA13, GS06, ST02; UNB05, UNH01).
        public var controlNumber: String
        /// The document type, for transactions (`856`, `INVOIC`).
        public var document: String?
        public var outcome: Outcome
        /// The acknowledgment's codes and where they point, as sent.
        public var errors: [ErrorDetail]

        public init(
            level: Level,
            controlNumber: String,
            document: String? = nil,
            outcome: Outcome,
            errors: [ErrorDetail] = []
        ) {
            self.level = level
            self.controlNumber = controlNumber
            self.document = document
            self.outcome = outcome
            self.errors = errors
        }
    }

    /// One error an acknowledgment reports: its code, and the segment position and element it names.
    public struct ErrorDetail: Codable, Sendable, Hashable {
        public var code: String
        public var segmentPosition: Int?
        public var segmentTag: String?
        public var elementPosition: Int?
        public var componentPosition: Int?

        public init(
            code: String,
            segmentPosition: Int? = nil,
            segmentTag: String? = nil,
            elementPosition: Int? = nil,
            componentPosition: Int? = nil
        ) {
            self.code = code
            self.segmentPosition = segmentPosition
            self.segmentTag = segmentTag
            self.elementPosition = elementPosition
            self.componentPosition = componentPosition
        }
    }

    /// Creates an acknowledgment event.
    public init(metadata: EventMetadata, acknowledgment: String, results: [Result]) {
        self.metadata = metadata
        self.acknowledgment = acknowledgment
        self.results = results
    }
}

extension AcknowledgmentReceived {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            metadata: try container.decode(EventMetadata.self, forKey: .metadata),
            acknowledgment: try container.decode(String.self, forKey: .acknowledgment),
            results: try container.array(.results)
        )
        self.schema = try container.decode(String.self, forKey: .schema)
    }
}

extension AcknowledgmentReceived.Result {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            level: try container.decode(AcknowledgmentReceived.Level.self, forKey: .level),
            controlNumber: try container.decode(String.self, forKey: .controlNumber),
            document: try container.decodeIfPresent(String.self, forKey: .document),
            outcome: try container.decode(AcknowledgmentReceived.Outcome.self, forKey: .outcome),
            errors: try container.array(.errors)
        )
    }
}

public import EDICore

/// Why a transaction could not be mapped to an event, or an event rendered as a document: the map file, the rule
/// and the EDI reference it names, and where in the input. A mandatory value that is missing is this error, never
/// an empty field.
public struct MappingError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, extensible without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// A map file that does not parse or check (`file:line: message`).
        public static let invalidMap = Code("invalidMap")
        /// A mandatory value absent from the transaction (or the event, when rendering).
        public static let missingValue = Code("missingValue")
        /// A value that does not convert to its field's type (a date, a decimal, a code).
        public static let invalidValue = Code("invalidValue")

        /// A hierarchy level (HL, CPS) that no rule of the map reads, directly or by passing through it: an 856
        /// level the map does not know, a level whose parent is missing.
        public static let unreadLevel = Code("unreadLevel")

        /// Every code, for tests that must cover each one.
        public static let all: [Code] = [.invalidMap, .missingValue, .invalidValue, .unreadLevel]

        public var description: String { self.rawValue }
    }

    public let code: Code
    /// The map file, and the line of the rule.
    public let map: String
    public let line: Int?
    /// The rule's field path (`shipment.billOfLading`) and EDI reference (`REF02 where REF01 BM`).
    public let field: String?
    public let reference: String?
    /// Where in the input, when the error is about a value read.
    public let location: Location?
    public let message: String

    /// Creates an error; use the factories.
    init(
        code: Code,
        map: String,
        line: Int? = nil,
        field: String? = nil,
        reference: String? = nil,
        location: Location? = nil,
        message: String
    ) {
        self.code = code
        self.map = map
        self.line = line
        self.field = field
        self.reference = reference
        self.location = location
        self.message = message
    }

    /// `file:line: message`, then the field and reference, then where in the input.
    public var description: String {
        var text = self.map + (self.line.map { ":\($0)" } ?? "") + ": " + self.message
        if let field = self.field { text += " (field \(field)" + (self.reference.map { ", \($0)" } ?? "") + ")" }
        if let location = self.location { text += " at \(location)" }
        return text
    }
}

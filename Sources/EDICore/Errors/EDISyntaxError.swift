/// An error that stops reading: the bytes cannot be tokenized any further.
///
/// Problems that leave the bytes readable (a wrong count, a mismatched control number) are ``Finding`` values
/// instead, so the rest of the input is still read. `==` compares only ``code`` and ``location``, so tests pin what
/// went wrong and where, never the wording.
///
/// ```swift
/// do { _ = try EDIParser.parse(bytes) } catch {
///     print(error)   // expected segment terminator, found 'X' at byte 105, segment 1, ISA16
/// }
/// ```
public struct EDISyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong; a struct over a private enum so codes can be added without breaking clients.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case truncatedInput
            case noInterchange
            case unexpectedByte
            case invalidDelimiters
            case segmentTooLong
            case tooManyElements
            case tooManyComponents
            case tooManyRepetitions
            case invalidBinaryLength
            case inputTooLarge
            case unwritableValue
            case unencodableCharacter
            case tooManyTransactions
            case tooManySegments
        }

        let base: Base

        /// The input ended inside a segment or an envelope.
        public static let truncatedInput = Code(base: .truncatedInput)
        /// The input holds no interchange header (ISA, UNA, UNB or UNH) where one must start.
        public static let noInterchange = Code(base: .noInterchange)
        /// A byte that the syntax does not allow at this place.
        public static let unexpectedByte = Code(base: .unexpectedByte)
        /// The header declares delimiters that cannot be used (equal to each other, or letters or digits).
        public static let invalidDelimiters = Code(base: .invalidDelimiters)
        /// A segment longer than ``ReaderLimits/maximumSegmentLength``.
        public static let segmentTooLong = Code(base: .segmentTooLong)
        /// A segment with more elements than ``ReaderLimits/maximumElementsPerSegment``.
        public static let tooManyElements = Code(base: .tooManyElements)
        /// An element with more components than ``ReaderLimits/maximumComponentsPerElement``.
        public static let tooManyComponents = Code(base: .tooManyComponents)
        /// An element with more repetitions than ``ReaderLimits/maximumRepetitionsPerElement``.
        public static let tooManyRepetitions = Code(base: .tooManyRepetitions)
        /// A binary segment (X12 BIN, BDS) whose length element is not a number within limits.
        public static let invalidBinaryLength = Code(base: .invalidBinaryLength)
        /// More input than ``ReaderLimits/maximumInputSize``.
        public static let inputTooLarge = Code(base: .inputTooLarge)
        /// An interchange with more transactions than ``ReaderLimits/maximumTransactionsPerInterchange``.
        public static let tooManyTransactions = Code(base: .tooManyTransactions)
        /// A transaction with more segments than ``ReaderLimits/maximumSegmentsPerTransaction``.
        public static let tooManySegments = Code(base: .tooManySegments)

        /// A value the writer cannot represent with the delimiters in use (an X12 value holding a delimiter).
        public static let unwritableValue = Code(base: .unwritableValue)
        /// A value with a character the interchange's character set has no byte for (a Greek letter in UNOC).
        public static let unencodableCharacter = Code(base: .unencodableCharacter)

        /// Every code, for tests that must cover each one.
        public static let all: [Code] = [
            .truncatedInput, .noInterchange, .unexpectedByte, .invalidDelimiters, .segmentTooLong, .tooManyElements,
            .tooManyComponents, .tooManyRepetitions, .invalidBinaryLength, .inputTooLarge, .tooManyTransactions,
            .tooManySegments, .unwritableValue, .unencodableCharacter,
        ]

        /// The code's stable name, for JSON and logs.
        public var description: String { self.base.rawValue }
    }

    /// What went wrong.
    public let code: Code
    /// Where it went wrong.
    public let location: Location
    /// `expected <X>, found <Y>`: lowercase, one line, no payload values.
    public let message: String

    init(code: Code, location: Location, message: String) {
        self.code = code
        self.location = location
        self.message = message
    }

    /// `expected <X>, found <Y> at <where>`.
    public var description: String { self.message + " at " + self.location.description }

    public static func == (lhs: EDISyntaxError, rhs: EDISyntaxError) -> Bool {
        lhs.code == rhs.code && lhs.location == rhs.location
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
        hasher.combine(self.location)
    }
}

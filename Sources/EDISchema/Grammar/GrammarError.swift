/// A grammar file that cannot be loaded: what was expected, what was found, and the file and line.
///
/// `description` reads `Maps/Grammars/X12/004010/856.grammar:42: expected usage M, O or C, found 'Q'`. `==`
/// compares code, file and line, so tests pin what and where, never wording.
public struct GrammarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem; a struct over a private enum so codes can be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case unreadableFile, syntax, unknownStatement, missingHeader, duplicateDefinition, undefinedReference
            case invalidPosition, invalidValue, unbalancedBlock, invalidStructure, tooLarge
        }

        let base: Base

        /// The file could not be read.
        public static let unreadableFile = Code(base: .unreadableFile)
        /// A line does not have the shape its statement needs (tokens missing, an unclosed quote).
        public static let syntax = Code(base: .syntax)
        /// A line starts with a word that is not a statement here.
        public static let unknownStatement = Code(base: .unknownStatement)
        /// The file does not start with a `grammar` line, or lacks one it needs.
        public static let missingHeader = Code(base: .missingHeader)
        /// A segment or composite defined twice.
        public static let duplicateDefinition = Code(base: .duplicateDefinition)
        /// A tag or composite used but not defined, or a position a note names that the segment lacks.
        public static let undefinedReference = Code(base: .undefinedReference)
        /// Element positions out of order or with gaps.
        public static let invalidPosition = Code(base: .invalidPosition)
        /// A usage, repeat, type, length or note that is not valid.
        public static let invalidValue = Code(base: .invalidValue)
        /// A `loop`, `segment` or `composite` without its `end`, or an `end` with nothing open.
        public static let unbalancedBlock = Code(base: .unbalancedBlock)
        /// A loop whose first segment is not mandatory with repeat 1, or an empty loop or structure.
        public static let invalidStructure = Code(base: .invalidStructure)
        /// The file or a count in it exceeds a loader limit (``GrammarLoader/Limits``).
        public static let tooLarge = Code(base: .tooLarge)

        public var description: String { self.base.rawValue }
    }

    /// What kind of problem.
    public let code: Code
    /// The grammar file, as given to the loader.
    public let file: String
    /// The 1-based line, or 0 for the whole file.
    public let line: Int
    /// `expected <X>, found <Y>` or a statement of the rule broken.
    public let message: String

    /// `file:line: message`.
    public var description: String {
        self.line > 0 ? "\(self.file):\(self.line): \(self.message)" : "\(self.file): \(self.message)"
    }

    public static func == (lhs: GrammarError, rhs: GrammarError) -> Bool {
        lhs.code == rhs.code && lhs.file == rhs.file && lhs.line == rhs.line
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
        hasher.combine(self.file)
        hasher.combine(self.line)
    }
}

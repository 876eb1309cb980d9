/// A problem in a partner profile: what was expected, what was found, and the file, line and column.
///
/// `description` reads `PartnerProfiles/acme-parcel.yaml:12:15: expected 'never', 'on-request' or 'always', found
/// 'sometimes'`. `==` compares only ``code`` and ``location``, so tests pin what went wrong and where, never the
/// wording. A profile problem is collected, not thrown: ``PartnerProfileLoader`` reports every problem of every file
/// in one pass, so one run of `edigate partners check` shows everything to fix.
///
/// Messages never hold a secret: a value written where a ``SecretReference`` belongs is described by its length.
///
/// ```swift
/// let loaded = PartnerProfileLoader.load(directory: "PartnerProfiles")
/// for error in loaded.errors { print(error) }   // file:line:column: expected …, found …
/// ```
public struct ProfileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem; a struct over a private enum so codes can be added without breaking clients.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case unreadableFile, malformedYAML, duplicateKey, missingKey, unknownKey, wrongType, invalidValue
            case outOfRange, emptyList, inlineSecret, invalidDelimiter, conflictingKeys, inconsistentValue
            case duplicatePartnerID
        }

        let base: Base

        /// The file or folder could not be read, or is larger than ``PartnerProfileLoader/maximumFileSize``.
        public static let unreadableFile = Code(base: .unreadableFile)
        /// The text is not YAML (a bad indent, an unclosed quote, two documents in one file), or holds no profile.
        public static let malformedYAML = Code(base: .malformedYAML)
        /// A key written twice in one mapping.
        public static let duplicateKey = Code(base: .duplicateKey)
        /// A required key is absent.
        public static let missingKey = Code(base: .missingKey)
        /// A key the format does not define (often a misspelling).
        public static let unknownKey = Code(base: .unknownKey)
        /// A value of the wrong YAML type: a list for a mapping, a number where a quoted code belongs.
        public static let wrongType = Code(base: .wrongType)
        /// A value outside its allowed values, or not of its format (a qualifier, a version, a duration).
        public static let invalidValue = Code(base: .invalidValue)
        /// A number outside its range (a port, a control number width).
        public static let outOfRange = Code(base: .outOfRange)
        /// A list that must hold at least one entry is empty.
        public static let emptyList = Code(base: .emptyList)
        /// A secret written in the profile instead of a `file:` or `env:` reference.
        public static let inlineSecret = Code(base: .inlineSecret)
        /// A delimiter that is not one printable character, is a letter, digit or space, or repeats another.
        public static let invalidDelimiter = Code(base: .invalidDelimiter)
        /// Keys that exclude or require each other (both `password` and `privateKey`, `mdn: async` without a URL).
        public static let conflictingKeys = Code(base: .conflictingKeys)
        /// A value that contradicts another part of the profile (a `type` not of its `standard`).
        public static let inconsistentValue = Code(base: .inconsistentValue)
        /// Two profiles with the same `id`.
        public static let duplicatePartnerID = Code(base: .duplicatePartnerID)

        /// The code's stable name, for JSON and logs.
        public var description: String { self.base.rawValue }
    }

    /// Where in a profile file: 1-based line and column (columns count Unicode scalars, as libyaml does).
    public struct Location: Sendable, Hashable, CustomStringConvertible {
        /// The file, as given to the loader.
        public let file: String
        /// The 1-based line.
        public let line: Int
        /// The 1-based column.
        public let column: Int

        /// Creates a location.
        public init(file: String, line: Int, column: Int) {
            self.file = file
            self.line = line
            self.column = column
        }

        /// `file:line:column`.
        public var description: String { "\(self.file):\(self.line):\(self.column)" }
    }

    /// What kind of problem.
    public let code: Code
    /// Where it is.
    public let location: Location
    /// `expected <X>, found <Y>`: lowercase, one line, no secret values.
    public let message: String

    init(code: Code, location: Location, message: String) {
        self.code = code
        self.location = location
        self.message = message
    }

    /// `file:line:column: message`, as compilers write it, so editors jump to the place.
    public var description: String { "\(self.location): \(self.message)" }

    public static func == (lhs: ProfileError, rhs: ProfileError) -> Bool {
        lhs.code == rhs.code && lhs.location == rhs.location
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
        hasher.combine(self.location)
    }
}

extension ProfileError.Location {
    /// Earlier in the file.
    static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

// Every ProfileError is built here, one factory per code.

extension ProfileError {
    @inline(never)
    static func unreadableFile(_ file: String, reason: String) -> ProfileError {
        ProfileError(
            code: .unreadableFile,
            location: Location(file: file, line: 1, column: 1),
            message: "expected a readable partner profile, found \(reason)"
        )
    }

    @inline(never)
    static func malformedYAML(problem: String, at location: Location) -> ProfileError {
        ProfileError(code: .malformedYAML, location: location, message: "expected well-formed YAML, found \(problem)")
    }

    @inline(never)
    static func duplicateKey(_ key: String, at location: Location) -> ProfileError {
        ProfileError(
            code: .duplicateKey,
            location: location,
            message: "expected each key once in a mapping, found \(Self.quoted(key)) more than once"
        )
    }

    @inline(never)
    static func missingKey(_ key: String, in context: String, at location: Location) -> ProfileError {
        ProfileError(
            code: .missingKey,
            location: location,
            message: "expected key '\(key)' in \(context), found none"
        )
    }

    @inline(never)
    static func missingOneOf(_ keys: [String], in context: String, at location: Location) -> ProfileError {
        ProfileError(
            code: .missingKey,
            location: location,
            message: "expected \(Self.alternatives(keys.map { "'\($0)'" })) in \(context), found none of them"
        )
    }

    @inline(never)
    static func unknownKey(_ key: String, in context: String, allowed: [String], at location: Location)
        -> ProfileError
    {
        ProfileError(
            code: .unknownKey,
            location: location,
            message: "expected a key of \(context) (\(allowed.joined(separator: ", "))), found \(Self.quoted(key))"
        )
    }

    @inline(never)
    static func unknownFindingCode(_ name: String, at location: Location) -> ProfileError {
        ProfileError(
            code: .unknownKey,
            location: location,
            message: "expected a finding code such as 'invalidCodeValue', found \(Self.quoted(name))"
        )
    }

    @inline(never)
    static func wrongType(expected: String, found: String, at location: Location) -> ProfileError {
        ProfileError(code: .wrongType, location: location, message: "expected \(expected), found \(found)")
    }

    @inline(never)
    static func invalidValue(_ value: String, expected: String, at location: Location) -> ProfileError {
        ProfileError(
            code: .invalidValue,
            location: location,
            message: "expected \(expected), found \(Self.quoted(value))"
        )
    }

    @inline(never)
    static func notOneOf(_ value: String, allowed: [String], at location: Location) -> ProfileError {
        ProfileError(
            code: .invalidValue,
            location: location,
            message: "expected \(Self.alternatives(allowed.map { "'\($0)'" })), found \(Self.quoted(value))"
        )
    }

    @inline(never)
    static func outOfRange(_ value: Int, expected: String, at location: Location) -> ProfileError {
        ProfileError(code: .outOfRange, location: location, message: "expected \(expected), found \(value)")
    }

    @inline(never)
    static func emptyList(expected: String, at location: Location) -> ProfileError {
        ProfileError(code: .emptyList, location: location, message: "expected \(expected), found an empty list")
    }

    /// The value is described by its length only: it may be a password or a key.
    @inline(never)
    static func inlineSecret(length: Int, at location: Location) -> ProfileError {
        ProfileError(
            code: .inlineSecret,
            location: location,
            message: "expected a secret reference 'file:PATH' or 'env:NAME', found an inline value of \(length) "
                + (length == 1 ? "character" : "characters")
        )
    }

    @inline(never)
    static func invalidDelimiter(_ role: String, expected: String, found: String, at location: Location)
        -> ProfileError
    {
        ProfileError(
            code: .invalidDelimiter,
            location: location,
            message: "expected \(expected) as the \(role), found \(found)"
        )
    }

    @inline(never)
    static func conflictingKeys(expected: String, found: String, at location: Location) -> ProfileError {
        ProfileError(code: .conflictingKeys, location: location, message: "expected \(expected), found \(found)")
    }

    @inline(never)
    static func inconsistentValue(_ value: String, expected: String, at location: Location) -> ProfileError {
        ProfileError(
            code: .inconsistentValue,
            location: location,
            message: "expected \(expected), found \(Self.quoted(value))"
        )
    }

    @inline(never)
    static func duplicatePartnerID(_ id: String, first: Location, at location: Location) -> ProfileError {
        ProfileError(
            code: .duplicatePartnerID,
            location: location,
            message: "expected partner id \(Self.quoted(id)) in one profile only, found it again (first at \(first))"
        )
    }

    /// `'ZZ'` for printable ASCII, cut at 16 characters; `0x…` in hex otherwise (STYLE §4).
    static func quoted(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let shown = bytes.prefix(16)
        let suffix = bytes.count > 16 ? "…" : ""
        if shown.isEmpty { return "''" }
        if shown.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return "'" + String(decoding: shown, as: UTF8.self) + suffix + "'"
        }
        let digits = Array("0123456789ABCDEF")
        return "0x" + shown.map { String([digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]]) }.joined() + suffix
    }

    /// `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`.
    static func alternatives(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        if items.count == 1 { return last }
        return items.dropLast().joined(separator: ", ") + " or " + last
    }
}

public import EDICore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The grammars of a folder laid out as `Maps/Grammars` is (`X12/004010/856.grammar`,
/// `EDIFACT/D96A/DESADV.grammar`, `EDIFACT/S4/CONTRL.grammar`), loaded on first use and kept.
///
/// ```swift
/// var catalog = GrammarCatalog(directory: "Maps/Grammars")
/// if let grammar = try catalog.grammar(for: transaction, groupVersion: "004010") { … }
/// ```
public struct GrammarCatalog: Sendable {
    /// The folder holding `X12/` and `EDIFACT/`.
    public let directory: String
    /// Limits for every file loaded.
    public let limits: GrammarLoader.Limits
    private var loaded: [String: Grammar?] = [:]
    /// The last grammar asked for: consecutive transactions are mostly of one document, and this spares them
    /// spelling the path and hashing it.
    private var last: (standard: Standard, version: String, document: String, grammar: Grammar?)?

    /// Creates a catalog over `directory`; nothing is read until a grammar is asked for.
    public init(directory: String, limits: GrammarLoader.Limits = GrammarLoader.Limits()) {
        self.directory = directory
        self.limits = limits
    }

    /// The grammar for a document, or `nil` when the folder has no file for it; a file that exists but does not
    /// load is an error.
    public mutating func grammar(standard: Standard, version: String, document: String) throws(GrammarError) -> Grammar?
    {
        if let last = self.last, last.standard == standard, last.version == version, last.document == document {
            return last.grammar
        }
        let path = self.path(standard: standard, version: version, document: document)
        let grammar: Grammar?
        if let loaded = self.loaded[path] {
            grammar = loaded
        } else if access(path, F_OK) == 0 {
            grammar = try GrammarLoader.load(path: path, limits: self.limits)
            self.loaded[path] = grammar
        } else {
            grammar = nil
            self.loaded[path] = .some(nil)
        }
        self.last = (standard, version, document, grammar)
        return grammar
    }

    /// The grammar for `transaction`: X12 by GS08's first six characters (`004010`, `005010`) and ST01; EDIFACT by
    /// UNH02's version and release (`D96A`), or by syntax version (`S3`, `S4`) for CONTRL.
    public mutating func grammar(
        for transaction: Transaction,
        groupVersion: String?,
        syntaxVersion: String? = nil
    ) throws(GrammarError) -> Grammar? {
        guard
            let (standard, version, document) = Self.key(
                for: transaction,
                groupVersion: groupVersion,
                syntaxVersion: syntaxVersion
            )
        else {
            return nil
        }
        return try self.grammar(standard: standard, version: version, document: document)
    }

    /// The grammar for an X12 segment that stands at interchange level (TA1), filed by the interchange's version:
    /// ISA12 `00401` → `X12/004010/TA1.grammar`.
    public mutating func grammar(
        forInterchangeSegment segment: Segment,
        interchangeVersion: String?
    ) throws(GrammarError) -> Grammar? {
        let tag = segment.tag
        guard segment.standard == .x12, Self.isPlainName(tag), let interchangeVersion,
            interchangeVersion.utf8.count == 5, Self.isPlainName(interchangeVersion)
        else { return nil }
        return try self.grammar(standard: .x12, version: interchangeVersion + "0", document: tag)
    }

    /// Where the grammar for a document would be.
    public func path(standard: Standard, version: String, document: String) -> String {
        "\(self.directory)/\(standard.rawValue)/\(version)/\(document).grammar"
    }

    /// The standard, version and document a transaction's grammar is filed under.
    public static func key(
        for transaction: Transaction,
        groupVersion: String?,
        syntaxVersion: String?
    ) -> (Standard, String, String)? {
        let document = transaction.type
        guard !document.isEmpty, Self.isPlainName(document) else { return nil }
        if transaction.header.hasTag("ST") {
            guard let groupVersion, groupVersion.utf8.count >= 6 else { return nil }
            let version = String(groupVersion.prefix(6))
            return Self.isPlainName(version) ? (.x12, version, document) : nil
        }
        if document == "CONTRL" {
            // CONTRL belongs to the syntax (ISO 9735), not to a directory.
            guard let syntaxVersion, Self.isPlainName(syntaxVersion) else { return nil }
            return (.edifact, "S" + syntaxVersion, document)
        }
        guard let identifier = transaction.header[2] else { return nil }
        let version = (identifier.component(2)?.text ?? "") + (identifier.component(3)?.text ?? "")
        return Self.isPlainName(version) && !version.isEmpty ? (.edifact, version, document) : nil
    }

    /// Letters and digits only, so a value read from a partner's file can never name another path.
    static func isPlainName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 16
            && text.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
            }
    }
}

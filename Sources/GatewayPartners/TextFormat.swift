import Synchronization

/// The format of a text value in a profile: a regular expression, written exactly as in
/// `PartnerProfiles/partner-profile.schema.json` so the schema and the loader accept the same values, and the words
/// an error uses for it.
struct TextFormat: Sendable {
    /// An anchored pattern in the common subset of ECMA-262, Python `re` and Swift `Regex` syntax.
    let pattern: String
    /// What a matching value is, for `expected …` (`a partner id of lowercase letters, digits and '-'`).
    let expected: String

    /// Compiled patterns by pattern text, compiled on first use; matching happens under the lock because a `Regex`
    /// is not `Sendable`. Profiles are loaded at startup and by `edigate partners check`, never on a hot path.
    private static let compiled = Mutex<[String: Regex<AnyRegexOutput>]>([:])

    /// Whether `text` matches the whole pattern. Line breaks never match: every format is one line, and ECMA-262
    /// `$` (the schema's) does not match before a final line break.
    func matches(_ text: String) -> Bool {
        if text.contains(where: \.isNewline) { return false }
        return Self.compiled.withLock { compiled in
            guard let regex = compiled[self.pattern] ?? (try? Regex(self.pattern)) else { return false }
            compiled[self.pattern] = regex
            return (try? regex.wholeMatch(in: text)) != nil
        }
    }

    static let partnerID = TextFormat(
        pattern: "^[a-z0-9]+(-[a-z0-9]+)*$",
        expected: "a partner id of lowercase letters, digits and single '-'"
    )
    static let name = TextFormat(pattern: "^[^\\s].*$", expected: "a name that does not start with a space")
    static let x12Qualifier = TextFormat(
        pattern: "^[0-9A-Z]{2}$",
        expected: "an interchange ID qualifier of 2 uppercase letters or digits"
    )
    static let x12ID = TextFormat(
        pattern: "^[!-~]([ -~]{0,13}[!-~])?$",
        expected: "an interchange ID of 1 to 15 printable ASCII characters"
    )
    static let x12ApplicationCode = TextFormat(
        pattern: "^[!-~][ -~]{0,13}[!-~]$",
        expected: "an application code of 2 to 15 printable ASCII characters"
    )
    static let edifactID = TextFormat(
        pattern: "^[!-~]([ -~]{0,33}[!-~])?$",
        expected: "an identification of 1 to 35 printable ASCII characters"
    )
    static let edifactQualifier = TextFormat(
        pattern: "^[0-9A-Z]{1,4}$",
        expected: "a code qualifier of 1 to 4 uppercase letters or digits"
    )
    static let as2Identifier = TextFormat(
        pattern: "^[!-~]{1,128}$",
        expected: "an AS2 identifier of 1 to 128 printable ASCII characters without spaces"
    )
    static let documentType = TextFormat(
        pattern: "^([0-9]{3}|[A-Z]{6})$",
        expected: "a document type of 3 digits (X12) or 6 uppercase letters (EDIFACT)"
    )
    static let x12DocumentType = TextFormat(pattern: "^[0-9]{3}$", expected: "a transaction set of 3 digits")
    static let edifactDocumentType = TextFormat(
        pattern: "^[A-Z]{6}$",
        expected: "a message type of 6 uppercase letters"
    )
    static let documentVersion = TextFormat(
        pattern: "^([0-9]{6}|D[0-9]{2}[A-Z])$",
        expected: "a version of 6 digits (X12) or a directory such as D96A (EDIFACT)"
    )
    static let x12DocumentVersion = TextFormat(pattern: "^[0-9]{6}$", expected: "a version of 6 digits")
    static let edifactDocumentVersion = TextFormat(
        pattern: "^D[0-9]{2}[A-Z]$",
        expected: "a directory such as D96A"
    )
    static let grammarPath = TextFormat(pattern: "^[^\\s].*\\.grammar$", expected: "a path to a .grammar file")
    static let mapPath = TextFormat(pattern: "^[^\\s].*\\.map$", expected: "a path to a .map file")
    static let fieldPath = TextFormat(
        pattern: "^[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)*$",
        expected: "a field path such as shipment.proNumber"
    )
    static let elementReference = TextFormat(
        pattern: "^[A-Z][A-Z0-9]{1,2}[0-9]{2}(-[0-9]{1,2})?"
            + "( where [A-Z][A-Z0-9]{1,2}[0-9]{2}(-[0-9]{1,2})? [!-~]{1,35})?$",
        expected: "a reference such as REF02 or REF02 where REF01 CN"
    )
    static let hierarchyPath = TextFormat(
        pattern: "^[0-9A-Z]{1,2}(-[0-9A-Z]{1,2})*$",
        expected: "an HL03 level path such as S-O-P-I"
    )
    static let x12InterchangeVersion = TextFormat(
        pattern: "^[0-9]{5}$",
        expected: "an interchange control version of 5 digits such as 00401"
    )
    static let edifactSyntaxIdentifier = TextFormat(
        pattern: "^UNO[A-Z]$",
        expected: "a syntax identifier such as UNOC"
    )
    static let edifactSyntaxVersion = TextFormat(pattern: "^[1-4]$", expected: "a syntax version from 1 to 4")
    static let delimiter = TextFormat(
        pattern: "^[!-/:-@\\[-`{-~]$",
        expected: "one printable ASCII character other than a letter, digit or space"
    )
    static let duration = TextFormat(
        pattern: "^[1-9][0-9]{0,5}[smhd]$",
        expected: "a duration such as 30s, 5m, 24h or 2d"
    )
    static let fileSize = TextFormat(
        pattern: "^[1-9][0-9]{0,5}(B|KiB|MiB|GiB)$",
        expected: "a size such as 512KiB, 50MiB or 1GiB"
    )
    static let host = TextFormat(
        pattern: "^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$",
        expected: "a host name or IPv4 address"
    )
    static let username = TextFormat(pattern: "^[!-~]{1,64}$", expected: "a user name without spaces")
    static let remotePath = TextFormat(pattern: "^/[ -~]*$", expected: "an absolute remote path")
    static let hostKeyFingerprint = TextFormat(
        pattern: "^SHA256:[A-Za-z0-9+/]{43}$",
        expected: "a host key fingerprint 'SHA256:' and 43 base64 characters"
    )
    static let url = TextFormat(pattern: "^https?://[!-~]+$", expected: "an http or https URL")
    static let certificatePath = TextFormat(
        pattern: "^[^\\s].*\\.(pem|crt|cer)$",
        expected: "a path to a .pem, .crt or .cer certificate"
    )
    /// The secret reference forms ``SecretReference`` parses; the environment variable name as POSIX shells take.
    static let secretReference = TextFormat(
        pattern: "^(file:.+|env:[A-Za-z_][A-Za-z0-9_]*)$",
        expected: "a secret reference 'file:PATH' or 'env:NAME'"
    )
}

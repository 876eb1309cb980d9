/// The documents exchanged with a partner: those they send us and those we send them.
///
/// ```yaml
/// documents:
///   inbound:
///     - { type: "214", standard: X12, version: "004010" }
///   outbound:
///     - { type: "997", standard: X12, version: "004010" }
/// ```
public struct Documents: Sendable, Hashable {
    /// Documents the partner sends us.
    public let inbound: [DocumentAgreement]
    /// Documents we send the partner.
    public let outbound: [DocumentAgreement]

    /// Creates the document lists.
    public init(inbound: [DocumentAgreement] = [], outbound: [DocumentAgreement] = []) {
        self.inbound = inbound
        self.outbound = outbound
    }
}

/// The two EDI standards edigate reads and writes.
public enum DocumentStandard: String, Sendable, Hashable, CaseIterable {
    /// ASC X12 (ISA/GS/ST envelopes).
    case x12 = "X12"
    /// UN/EDIFACT (UNA/UNB/UNG/UNH envelopes).
    case edifact = "EDIFACT"
}

/// One document type agreed with a partner in one direction: its standard and version, and which grammar and map
/// apply, with the partner's overrides.
///
/// ```yaml
/// - type: "214"
///   standard: X12
///   version: "004010"
///   map: Maps/X12/004010/214-acme.map
///   overrides:
///     rules:
///       - { field: shipment.proNumber, reference: REF02 where REF01 CN }
/// ```
public struct DocumentAgreement: Sendable, Hashable {
    /// The transaction set or message type: three digits for X12 (`856`, `214`, `997`), six letters for EDIFACT
    /// (`DESADV`, `INVOIC`, `CONTRL`).
    public let type: String
    /// The standard the document is written in.
    public let standard: DocumentStandard
    /// The version: six digits for X12 (`004010`, `005010`), a directory for EDIFACT (`D96A`, `D01B`).
    public let version: String
    /// A grammar file to validate against instead of the standard one under `Maps/Grammars`.
    public let grammar: String?
    /// A map file to use instead of the standard map for the type and version.
    public let map: String?
    /// Changes to single map rules and to validation for this partner.
    public let overrides: DocumentOverrides

    /// Creates a document agreement.
    public init(
        type: String,
        standard: DocumentStandard,
        version: String,
        grammar: String? = nil,
        map: String? = nil,
        overrides: DocumentOverrides = DocumentOverrides()
    ) {
        self.type = type
        self.standard = standard
        self.version = version
        self.grammar = grammar
        self.map = map
        self.overrides = overrides
    }
}

/// What a partner changes in a standard map and grammar: single map rules, and the HL hierarchy it allows.
public struct DocumentOverrides: Sendable, Hashable {
    /// Map rules that read a field from another reference than the map does.
    public let rules: [MapRuleOverride]
    /// HL03 level paths the partner uses (`S-O-P-I` as `["S", "O", "P", "I"]`), replacing the grammar's; `nil`
    /// keeps the grammar's.
    public let hierarchy: [[String]]?

    /// Creates overrides.
    public init(rules: [MapRuleOverride] = [], hierarchy: [[String]]? = nil) {
        self.rules = rules
        self.hierarchy = hierarchy
    }
}

/// One map rule redirected for a partner: the canonical field, and the EDI reference to read it from (or write it
/// to), as implementation guides write references.
///
/// A carrier that puts the PRO number in REF*CN instead of REF*PN: field `shipment.proNumber`, reference
/// `REF02 where REF01 CN`.
public struct MapRuleOverride: Sendable, Hashable {
    /// The canonical event field, a dotted path of lower camel case names (`shipment.proNumber`).
    public let field: String
    /// The EDI reference: an element (`REF02`, `SV101-2`), optionally `where` another element holds a code.
    public let reference: String

    /// Creates a rule override.
    public init(field: String, reference: String) {
        self.field = field
        self.reference = reference
    }
}

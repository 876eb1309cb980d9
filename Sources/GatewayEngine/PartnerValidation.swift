public import EDICore
public import EDISchema
public import GatewayPartners

/// A partner's profile applied to validation: the grammars and HL hierarchy its inbound agreements name, its cap
/// on findings, and the strictness of each rule (a finding of a rule set `off` is dropped, of a `lenient` one kept
/// as a warning, which no acknowledgment rejects for).
///
/// ```swift
/// let partner = try PartnerValidation(profile: profile)
/// var validation = partner.interchangeValidation(catalog: catalog)
/// let reports = try validation.reports(bytes).map(partner.apply)
/// ```
public struct PartnerValidation: Sendable {
    public let policy: ValidationPolicy
    /// Per inbound transaction type (`856`), the hierarchy paths the partner's agreement gives.
    public let hierarchies: [String: [[String]]]
    /// The grammars the partner's inbound agreements name (`grammar:`), loaded; each replaces the standard grammar
    /// of its standard, version and document.
    public let guides: [Grammar]

    /// The partner's settings; a grammar file its agreements name that does not load is thrown.
    public init(profile: PartnerProfile) throws(GrammarError) {
        self.policy = profile.validation
        var hierarchies: [String: [[String]]] = [:]
        var guides: [Grammar] = []
        for agreement in profile.documents.inbound {
            if let hierarchy = agreement.overrides.hierarchy { hierarchies[agreement.type] = hierarchy }
            if let path = agreement.grammar { guides.append(try GrammarLoader.load(path: path)) }
        }
        self.hierarchies = hierarchies
        self.guides = guides
    }

    /// The partner's own grammar for `grammar`'s standard, version and document, else `grammar`.
    public func grammar(replacing grammar: Grammar) -> Grammar {
        grammar.replaced(byOneOf: self.guides)
    }

    /// How the partner's files are read: its file size and segments-per-transaction limits (never above the
    /// reader's defaults), and the repertoire check as strict as its `characterOutsideRepertoire` rule (or its
    /// default) says.
    public var readerConfiguration: ReaderConfiguration {
        let defaults = ReaderLimits()
        let limits = ReaderLimits(
            maximumInputSize: min(self.policy.limits.maximumFileSize, defaults.maximumInputSize),
            maximumSegmentsPerTransaction: min(
                self.policy.limits.maximumSegmentsPerTransaction,
                defaults.maximumSegmentsPerTransaction
            )
        )
        let repertoire: RepertoirePolicy =
            switch self.policy.strictness(of: "characterOutsideRepertoire") {
            case .strict: .strict
            case .lenient: .lenient
            case .off: .off
            }
        return ReaderConfiguration(limits: limits, repertoire: repertoire)
    }

    /// The settings every transaction is validated with.
    public var configuration: ValidationConfiguration {
        // Rules set off are not even counted toward the cap, so they cannot crowd out the findings that matter.
        ValidationConfiguration(
            maximumFindingsPerTransaction: self.policy.limits.maximumFindingsPerTransaction,
            ignoredCodes: Set(
                ValidationPolicy.findingCodes.filter { self.policy.strictness(of: $0) == .off }.map {
                    Finding.Code(rawValue: $0)
                }
            )
        )
    }

    /// Per transaction type, the settings with the partner's hierarchy.
    public var documentConfigurations: [String: ValidationConfiguration] {
        let configuration = self.configuration
        return Dictionary(
            uniqueKeysWithValues: self.hierarchies.keys.map { ($0, self.settings(configuration, for: $0)) }
        )
    }

    /// `configuration` with the hierarchy the partner's agreement gives for `document` (`856`), if it gives one.
    public func settings(_ configuration: ValidationConfiguration, for document: String) -> ValidationConfiguration {
        guard let hierarchy = self.hierarchies[document] else { return configuration }
        var settings = configuration
        settings.hierarchy = hierarchy
        return settings
    }

    /// An interchange validation with the partner's settings (deferring its checks for ``ConcurrentValidation``).
    public func interchangeValidation(
        catalog: GrammarCatalog,
        guide: Grammar? = nil,
        businessUnitReferences: [String: String] = [:],
        defersChecks: Bool = false
    ) -> InterchangeValidation {
        InterchangeValidation(
            catalog: catalog,
            guide: guide,
            configuration: self.configuration,
            businessUnitReferences: businessUnitReferences,
            documentConfigurations: self.documentConfigurations,
            documentGuides: self.guides,
            defersChecks: defersChecks
        )
    }

    /// `finding` as the partner's strictness has it: `nil` when its rule is off, a warning when lenient.
    public func apply(_ finding: Finding) -> Finding? {
        switch self.policy.strictness(of: finding.code.rawValue) {
        case .strict:
            return finding
        case .off:
            return nil
        case .lenient:
            guard finding.severity == .error else { return finding }
            return Finding(
                code: finding.code,
                severity: .warning,
                location: finding.location,
                message: finding.message,
                loopPath: finding.loopPath,
                elementReference: finding.elementReference,
                trigger: finding.trigger
            )
        }
    }

    /// `report` with every finding at every level as the partner's strictness has it, so its acknowledgments
    /// accept what the partner's rules let pass.
    public func apply(_ report: InterchangeReport) -> InterchangeReport {
        var report = report
        report.findings = report.findings.compactMap(self.apply)
        for group in report.groups.indices {
            report.groups[group].findings = report.groups[group].findings.compactMap(self.apply)
            for transaction in report.groups[group].transactions.indices {
                report.groups[group].transactions[transaction].findings =
                    report.groups[group].transactions[transaction].findings.compactMap(self.apply)
            }
        }
        return report
    }
}

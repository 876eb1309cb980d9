public import EDICore

/// Settings of a validation run.
public struct ValidationConfiguration: Sendable {
    /// The most findings reported for one transaction; one more finding says the cap was reached.
    public var maximumFindingsPerTransaction: Int
    /// HL03 level paths that replace the grammar's (a partner's profile may require S-O-P-I only).
    public var hierarchy: [[String]]?
    /// The most levels an HL may stand below its top-level HL (a ship notice needs 3 to 5; whoever rebuilds the
    /// tree downstream recurses this deep). Default 32.
    public var maximumHierarchyDepth: Int
    /// Finding codes neither reported nor counted toward the cap (the rules a partner's profile sets off).
    public var ignoredCodes: Set<Finding.Code>

    /// Creates a configuration.
    public init(
        maximumFindingsPerTransaction: Int = 100,
        hierarchy: [[String]]? = nil,
        maximumHierarchyDepth: Int = 32,
        ignoredCodes: Set<Finding.Code> = []
    ) {
        self.maximumFindingsPerTransaction = maximumFindingsPerTransaction
        self.hierarchy = hierarchy
        self.maximumHierarchyDepth = maximumHierarchyDepth
        self.ignoredCodes = ignoredCodes
    }
}

/// Validates transactions against a ``Grammar``: structure (order, loops, usage, repeats), elements (presence,
/// type, length, codes, repetitions, components), syntax notes, trailer totals and the X12 HL hierarchy.
///
/// Validation never stops at the first problem: it reports everything up to the configured cap, and one
/// transaction's findings never depend on its neighbours.
///
/// ```swift
/// let validator = Validator(grammar: grammar)
/// for transaction in interchange.transactions {
///     let findings = validator.validate(transaction)
/// }
/// ```
public struct Validator: Sendable {
    /// The grammar transactions are checked against.
    public let grammar: Grammar
    /// Settings.
    public let configuration: ValidationConfiguration

    /// Creates a validator.
    public init(grammar: Grammar, configuration: ValidationConfiguration = ValidationConfiguration()) {
        self.grammar = grammar
        self.configuration = configuration
    }

    /// The finding for a transaction that no grammar covers (997 AK502 1, transaction set not supported).
    public static func notSupported(_ transaction: Transaction) -> Finding {
        var location = transaction.header.location
        location.transactionSegmentNumber = 1
        let type = GrammarCatalog.isPlainName(transaction.type) ? transaction.type : ""
        return ValidationFindings.transactionNotSupported(type, at: location)
    }

    /// Every finding in a segment that stands outside any transaction, such as an interchange-level TA1, against
    /// the grammar's definition of its tag (`X12/005010/TA1.grammar`).
    public func validate(segment: Segment) -> [Finding] {
        var run = ValidationRun(
            compiled: self.grammar.compiled,
            configuration: self.configuration,
            memory: ValidationMemory()
        )
        run.validate(segment: segment)
        return run.finish()
    }

    /// Every finding in `transaction`, in the order of the segments, up to the configured cap.
    public func validate(_ transaction: Transaction) -> [Finding] {
        Self.validate(transaction, grammar: self.grammar.compiled, configuration: self.configuration, memory: nil)
    }

    /// Validates with `memory` borrowed for the run (a fresh one when `nil`).
    static func validate(
        _ transaction: Transaction,
        grammar: CompiledGrammar,
        configuration: ValidationConfiguration,
        memory: ValidationMemory?
    ) -> [Finding] {
        var run = ValidationRun(compiled: grammar, configuration: configuration, memory: memory ?? ValidationMemory())
        run.validate(transaction)
        return run.finish()
    }
}

extension Location {
    /// This element or component location, with the transaction position of `segment`'s location.
    func with(segment: Location) -> Location {
        var copy = self
        copy.transactionSegmentNumber = segment.transactionSegmentNumber
        return copy
    }
}

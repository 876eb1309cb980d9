public import EDICore

/// The grammar check of one transaction, taken out of an ``InterchangeValidation`` that defers its checks, to be
/// run anywhere (on another core) and its findings put back into the report it belongs to.
///
/// ```swift
/// var validation = InterchangeValidation(catalog: catalog, defersChecks: true)
/// …
/// let checks = validation.takeChecks()
/// let findings = TransactionCheck.run(checks)          // on any thread
/// for (check, found) in zip(checks, findings) {
///     check.position.complete(&reports[check.position.report - first], with: found)   // first: nextReportNumber
/// }
/// ```
public struct TransactionCheck: Sendable {
    /// Where a check's findings go: a report, counted from 0 in the order its validation opened interchanges
    /// (``InterchangeValidation/nextReportNumber``), a group within it and a transaction within that group.
    public struct Position: Sendable, Hashable {
        public let report: Int
        public let group: Int
        public let index: Int

        /// Puts `findings` (the check's result) into `report` ahead of the transaction's envelope findings, where
        /// an ``InterchangeValidation`` that does not defer would have put them.
        public func complete(_ report: inout InterchangeReport, with findings: [Finding]) {
            guard !findings.isEmpty else { return }
            report.groups[self.group].transactions[self.index].findings.insert(contentsOf: findings, at: 0)
        }
    }

    /// Where its findings go.
    public let position: Position
    let transaction: Transaction
    let grammar: CompiledGrammar
    let configuration: ValidationConfiguration

    /// The findings of each check in `checks`, in their order. Runs share one scratch memory, so a batch costs one
    /// allocation of it; the result does not depend on which checks share a batch.
    public static func run(_ checks: some Collection<TransactionCheck>) -> [[Finding]] {
        let memory = ValidationMemory()
        return checks.map { check in
            Validator.validate(
                check.transaction,
                grammar: check.grammar,
                configuration: check.configuration,
                memory: memory
            )
        }
    }
}

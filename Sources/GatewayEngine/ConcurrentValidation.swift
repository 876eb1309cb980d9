public import EDICore
public import EDISchema
import Synchronization

/// Validates a stream of read events with the grammar checks of its transactions spread over the cores: the
/// calling task reads and folds events into reports (``InterchangeValidation`` with `defersChecks`), child tasks
/// run the checks in batches, and each report is handed on, complete and in order, once all its checks are back.
///
/// The reports equal those of the same ``InterchangeValidation`` without deferred checks: a transaction's findings
/// never depend on its neighbours, and each check's findings go back where the fold would have put them. At most
/// ``batchesInFlight`` batches of ``batchBytes`` of transactions are out at once, so memory stays bounded whatever the
/// input's size; while that many are out, the reading task checks the next batch itself instead of waiting, so the
/// reading core does its share of checking (reading costs about a third of checking).
///
/// ```swift
/// var validation = InterchangeValidation(catalog: catalog, defersChecks: true)
/// try await ConcurrentValidation().run(&validation, next: { try reader.next() }) { report in reports.append(report) }
/// ```
public struct ConcurrentValidation: Sendable {
    /// The transaction bytes at which a batch closes (it closes on the transaction that reaches them).
    public var batchBytes: Int
    /// The most batches out at once.
    public var batchesInFlight: Int

    /// Creates a runner. The defaults, 64 KB batches (about 64 ship notices, a few hundred microseconds of work,
    /// long beside the cost of a task) and 64 of them out, hold about 4 MB of transactions. That distance is
    /// measured, not arbitrary: a core that checks transactions another core has just read, still in that core's
    /// 1 MB L2 cache, fetches every line from it and checks a third slower; 4 MB back, they have left it.
    public init(batchBytes: Int = 65_536, batchesInFlight: Int = 64) {
        precondition(batchBytes >= 1 && batchesInFlight >= 1, "batches need at least one byte and one slot")
        self.batchBytes = batchBytes
        self.batchesInFlight = batchesInFlight
    }

    /// Feeds `validation` every event `next` returns until it returns `nil`, then finishes it; calls `deliver`
    /// with each report in order. `validation` must defer its checks. What `next`, the fold or `deliver` throws
    /// ends the run (batches still out are cancelled and dropped), and so does cancelling the calling task: it
    /// throws `CancellationError` at the next batch.
    public func run(
        _ validation: inout InterchangeValidation,
        next: () throws -> ReadEvent?,
        deliver: (InterchangeReport) throws -> Void
    ) async throws {
        precondition(validation.defersChecks, "ConcurrentValidation needs an InterchangeValidation that defers checks")
        var ledger = Ledger()
        let inbox = Inbox()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var ended = false
            while !ended {
                var returned: InterchangeReport?
                if let event = try next() {
                    returned = try validation.add(event)
                } else {
                    ended = true
                    returned = validation.finish()
                }
                if let returned { ledger.reports.append(returned) }
                // A report waits only for checks already out: whatever its transactions left behind goes now.
                if validation.deferredCheckBytes >= self.batchBytes
                    || (ended || returned != nil) && validation.deferredCheckCount > 0
                {
                    // Between batches, a cancelled task stops reading (a shutdown does not wait for a large file).
                    try Task.checkCancellation()
                    let checks = validation.takeChecks()
                    ledger.sent(checks)
                    for batch in inbox.take() { ledger.received(batch) }
                    if ledger.batchesOut >= self.batchesInFlight {
                        // The other cores are behind: this one checks the batch rather than wait.
                        ledger.received(Batch(checks: checks, findings: TransactionCheck.run(checks)), inline: true)
                    } else {
                        ledger.batchesOut += 1
                        group.addTask { inbox.put(Batch(checks: checks, findings: TransactionCheck.run(checks))) }
                    }
                }
                if ended { try await group.waitForAll() }
                guard !ledger.reports.isEmpty else { continue }
                for batch in inbox.take() { ledger.received(batch) }
                while let report = ledger.nextComplete() { try deliver(report) }
            }
        }
    }

    /// Batches checked by child tasks, waiting for the reading task to take them.
    final class Inbox: Sendable {
        private let batches = Mutex<[Batch]>([])

        func put(_ batch: Batch) { self.batches.withLock { $0.append(batch) } }

        func take() -> [Batch] {
            self.batches.withLock { batches in
                var taken: [Batch] = []
                swap(&taken, &batches)
                return taken
            }
        }
    }

    /// One batch's checks and their findings, in order.
    struct Batch: Sendable {
        let checks: [TransactionCheck]
        let findings: [[Finding]]
    }

    /// Which reports wait for which checks.
    struct Ledger {
        /// Reports returned by the fold, from report number `delivered` on.
        var reports: [InterchangeReport] = []
        /// Reports delivered so far; the first of `reports` has this number.
        var delivered = 0
        /// Per report number, checks sent and not yet back.
        var outstanding: [Int: Int] = [:]
        /// Per report number, the checks back with findings (most come back with none).
        var results: [Int: [(TransactionCheck, [Finding])]] = [:]

        mutating func sent(_ checks: [TransactionCheck]) {
            for check in checks { self.outstanding[check.report, default: 0] += 1 }
        }

        /// Batches handed to child tasks and not yet taken back.
        var batchesOut = 0

        mutating func received(_ batch: Batch, inline: Bool = false) {
            if !inline { self.batchesOut -= 1 }
            for (check, findings) in zip(batch.checks, batch.findings) {
                self.outstanding[check.report, default: 0] -= 1
                if !findings.isEmpty { self.results[check.report, default: []].append((check, findings)) }
            }
        }

        /// The oldest report when no check of it is out, with its checks' findings in place.
        mutating func nextComplete() -> InterchangeReport? {
            let number = self.delivered
            guard !self.reports.isEmpty, self.outstanding[number, default: 0] == 0 else { return nil }
            var report = self.reports.removeFirst()
            for (check, findings) in self.results.removeValue(forKey: number) ?? [] {
                check.complete(&report, with: findings)
            }
            self.outstanding.removeValue(forKey: number)
            self.delivered += 1
            return report
        }
    }
}

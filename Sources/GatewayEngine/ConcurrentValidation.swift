public import EDICore
public import EDISchema
// Public: the run below is inlinable, and its inbox is a Mutex.
public import Synchronization

/// Validates a stream of read events with the grammar checks of its transactions spread over the cores: the
/// calling task reads and folds events into reports (``InterchangeValidation`` with `defersChecks`), child tasks
/// run the checks in batches, and each report is handed on, complete and in order, once all its checks are back.
///
/// The reports equal those of the same ``InterchangeValidation`` without deferred checks: a transaction's findings
/// never depend on its neighbours, and each check's findings go back where the fold would have put them. At most
/// ``batchesInFlight`` batches of about ``batchBytes`` of transactions are out at once (with the reader chunks they
/// sit in); while that many are out, the reading task checks the next batch itself instead of waiting, so the
/// reading core does its share of checking (reading costs about a third of checking). What stays behind for a
/// report until it is delivered is its findings, never its transactions, as in the fold.
///
/// ```swift
/// var validation = InterchangeValidation(catalog: catalog, defersChecks: true)
/// reader.append(bytes)
/// reader.finish()   // or a `next` that appends the next chunk when the reader needs more input
/// try await ConcurrentValidation().run(&validation, next: { try reader.next() }) { report in reports.append(report) }
/// ```
public struct ConcurrentValidation: Sendable {
    /// The transaction bytes at which a batch closes (it closes on the transaction that reaches them).
    public let batchBytes: Int
    /// The most batches out at once.
    public let batchesInFlight: Int

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
    /// with each report in order. `validation` must defer its checks; it may have been used before (its next
    /// report is the first delivered). What `next`, the fold or `deliver` throws ends the run once the batches
    /// already out are done (their results are dropped), and so does cancelling the calling task: the run throws
    /// `CancellationError` at the next batch or report.
    public func run(
        _ validation: inout InterchangeValidation,
        next: () throws -> ReadEvent?,
        deliver: (InterchangeReport) throws -> Void
    ) async throws {
        try await self.run(
            &validation,
            next: next,
            job: { (_: Transaction) -> Void? in nil },
            perform: { _, _ in () },
            deliver: deliver,
            produce: { _ in }
        )
    }

    /// ``run(_:next:deliver:)`` with work that follows each transaction's check in the same batch, on whichever
    /// core checks it: for each transaction the fold makes a check of, `job` (called on the calling task, in
    /// transaction order, right after `next` read it) says what to do with it, and `perform` does it given the
    /// check's findings (translating it into its canonical event, say, or skipping a rejected one). `produce` gets
    /// what each `perform` returned, in transaction order, as batches come back; reports and products are two
    /// streams, each in its own order. A transaction the fold makes no check of (no grammar) gets no job, nor do
    /// checks `validation` deferred before the run.
    ///
    /// Inlinable, so it is specialized for the caller's job and product: left generic, it looked up its types'
    /// metadata at run time for every product and batch (three to four percent of translating on two cores).
    @inlinable
    public func run<Job: Sendable, Product: Sendable>(
        _ validation: inout InterchangeValidation,
        next: () throws -> ReadEvent?,
        job: (Transaction) -> Job?,
        perform: @escaping @Sendable (Job, [Finding]) -> Product,
        deliver: (InterchangeReport) throws -> Void,
        produce: (Product) throws -> Void
    ) async throws {
        precondition(validation.defersChecks, "ConcurrentValidation needs an InterchangeValidation that defers checks")
        var ledger = Ledger<Product>(firstReport: validation.nextReportNumber)
        let inbox = Inbox<Product>()
        // The job of each deferred check not yet taken, in the same order; checks deferred before the run have none.
        var jobs = [Job?](repeating: nil, count: validation.deferredCheckCount)
        // Not a discarding group: with one, the same input ran at anywhere from 210 to 390 MB/s from one process to
        // the next; with this one, 360 to 385. Finished children are reaped as their batches come back instead.
        try await withThrowingTaskGroup(of: Void.self) { group in
            var ended = false
            // Children whose batch came back, not yet reaped from the group.
            var finished = 0
            // Batches checked here in a row while every slot was taken and none came back.
            var unanswered = 0
            while !ended {
                var returned: InterchangeReport?
                if let event = try next() {
                    let checks = validation.deferredCheckCount
                    returned = try validation.add(event)
                    if validation.deferredCheckCount > checks, case .transaction(let transaction) = event {
                        jobs.append(job(transaction))
                    }
                } else {
                    ended = true
                    returned = validation.finish()
                }
                if let returned {
                    try Task.checkCancellation()
                    ledger.append(returned)
                }
                // A report waits only for checks already out: whatever its transactions left behind goes now.
                if validation.deferredCheckBytes >= self.batchBytes
                    || (ended || returned != nil) && validation.deferredCheckCount > 0
                {
                    // Between batches, a cancelled task stops reading (a shutdown does not wait for a large file).
                    try Task.checkCancellation()
                    let checks = validation.takeChecks()
                    precondition(checks.count == jobs.count, "a deferred check without its job")
                    let batchJobs = jobs
                    jobs.removeAll(keepingCapacity: true)
                    let sequence = ledger.sent(checks)
                    let back = ledger.collect(inbox)
                    finished += back
                    if finished >= 16 {
                        // Each of these children has put its batch and returns at once: the group holds no more
                        // finished children than this, whatever the input's size.
                        for _ in 0..<finished { try await group.next() }
                        finished = 0
                    }
                    if ledger.batchesOut >= self.batchesInFlight {
                        // The other cores are behind: this one checks the batch rather than wait.
                        ledger.received(Batch(sequence, checks, jobs: batchJobs, perform: perform), inline: true)
                        unanswered = back == 0 ? unanswered + 1 : 0
                        if unanswered >= 4 {
                            // No batch came back while this task checked four: no other thread is running them
                            // (a pool of one, or one busy elsewhere); let them run here.
                            await Task.yield()
                            unanswered = 0
                        }
                    } else {
                        ledger.batchesOut += 1
                        group.addTask { inbox.put(Batch(sequence, checks, jobs: batchJobs, perform: perform)) }
                    }
                }
                while let product = ledger.nextProduct() { try produce(product) }
                guard ledger.isWaiting else { continue }
                finished += ledger.collect(inbox)
                while let product = ledger.nextProduct() { try produce(product) }
                while let report = ledger.nextComplete() { try deliver(report) }
            }
        }
        // Every child has finished: what they put in the inbox completes the last reports and products.
        _ = ledger.collect(inbox)
        while let product = ledger.nextProduct() { try produce(product) }
        while let report = ledger.nextComplete() { try deliver(report) }
        precondition(!ledger.isWaiting, "a report still waits for checks after every batch came back")
    }

    /// Batches checked by child tasks, waiting for the reading task to take them.
    @usableFromInline
    final class Inbox<Product: Sendable>: Sendable {
        @usableFromInline let batches = Mutex<[Batch<Product>]>([])

        @inlinable init() {}

        @inlinable func put(_ batch: Batch<Product>) { self.batches.withLock { $0.append(batch) } }

        @inlinable func take() -> [Batch<Product>] {
            self.batches.withLock { batches in
                var taken: [Batch<Product>] = []
                swap(&taken, &batches)
                return taken
            }
        }
    }

    /// One batch's findings by where they go, and what its jobs produced; the transactions stay out of it, so a
    /// report waiting for other batches keeps no input alive.
    @usableFromInline
    struct Batch<Product: Sendable>: Sendable {
        /// The batch's place among those sent, for its products' order.
        @usableFromInline let sequence: Int
        @usableFromInline let results: [(position: TransactionCheck.Position, findings: [Finding])]
        @usableFromInline let products: [Product]

        /// Checks the batch, then performs each check's job with its findings.
        @inlinable init<Job>(
            _ sequence: Int,
            _ checks: [TransactionCheck],
            jobs: [Job?],
            perform: (Job, [Finding]) -> Product
        ) {
            let findings = TransactionCheck.run(checks)
            self.sequence = sequence
            self.results = zip(checks, findings).map { ($0.position, $1) }
            var products: [Product] = []
            for (job, findings) in zip(jobs, findings) {
                if let job { products.append(perform(job, findings)) }
            }
            self.products = products
        }
    }

    /// Which reports wait for which checks.
    @usableFromInline
    struct Ledger<Product: Sendable> {
        /// Reports returned by the fold and not yet delivered, from `reports[head]` on; the first has number
        /// `delivered`.
        @usableFromInline var reports: [InterchangeReport?] = []
        @usableFromInline var head = 0
        /// The number of the next report to deliver.
        @usableFromInline var delivered: Int
        /// Per report number, checks sent and not yet back.
        @usableFromInline var outstanding: [Int: Int] = [:]
        /// Per report number, the checks back with findings (most come back with none).
        @usableFromInline var results: [Int: [(TransactionCheck.Position, [Finding])]] = [:]
        /// Batches handed to child tasks and not yet taken back.
        @usableFromInline var batchesOut = 0
        /// Batches made so far; the next one's sequence number.
        @usableFromInline var batchesSent = 0
        /// Products of batches back, by sequence, and the next batch's products to hand on.
        @usableFromInline var products: [Int: [Product]] = [:]
        @usableFromInline var nextBatch = 0
        @usableFromInline var pending: [Product] = []
        @usableFromInline var pendingHead = 0

        @inlinable init(firstReport: Int) {
            self.delivered = firstReport
        }

        /// Whether a report has come back from the fold and waits to be delivered.
        @inlinable var isWaiting: Bool { self.head < self.reports.count }

        @inlinable mutating func append(_ report: InterchangeReport) {
            self.reports.append(report)
        }

        /// Counts `checks` as out; returns their batch's sequence number.
        @inlinable mutating func sent(_ checks: [TransactionCheck]) -> Int {
            for check in checks { self.outstanding[check.position.report, default: 0] += 1 }
            self.batchesSent += 1
            return self.batchesSent - 1
        }

        @inlinable mutating func received(_ batch: Batch<Product>, inline: Bool = false) {
            if !inline { self.batchesOut -= 1 }
            self.products[batch.sequence] = batch.products
            for (position, findings) in batch.results {
                self.outstanding[position.report, default: 0] -= 1
                if !findings.isEmpty { self.results[position.report, default: []].append((position, findings)) }
            }
        }

        /// Takes in what child tasks have put in `inbox`; returns how many batches that was.
        @inlinable mutating func collect(_ inbox: Inbox<Product>) -> Int {
            let batches = inbox.take()
            for batch in batches { self.received(batch) }
            return batches.count
        }

        /// The next product in transaction order, once every batch before its own has come back.
        @inlinable mutating func nextProduct() -> Product? {
            while self.pendingHead == self.pending.count {
                // A batch still out holds up the ones after it.
                guard let products = self.products.removeValue(forKey: self.nextBatch) else { return nil }
                self.nextBatch += 1
                self.pending = products
                self.pendingHead = 0
            }
            self.pendingHead += 1
            return self.pending[self.pendingHead - 1]
        }

        /// The oldest report when no check of it is out, with its checks' findings in place.
        @inlinable mutating func nextComplete() -> InterchangeReport? {
            let number = self.delivered
            guard self.isWaiting, self.outstanding[number, default: 0] == 0 else { return nil }
            // Taken out, so the ledger holds no copy of a delivered report.
            guard var report = self.reports[self.head].take() else { return nil }
            self.head += 1
            if self.head == self.reports.count || self.head >= 64 && self.head * 2 >= self.reports.count {
                self.reports.removeFirst(self.head)
                self.head = 0
            }
            for (position, findings) in self.results.removeValue(forKey: number) ?? [] {
                position.complete(&report, with: findings)
            }
            self.outstanding.removeValue(forKey: number)
            self.delivered += 1
            return report
        }
    }
}

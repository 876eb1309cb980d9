import EDICore
import EDISchema
import EDITesting
import Foundation
import GatewayEngine
import Testing

/// Validation with the grammar checks spread over the cores gives the very reports the plain fold gives, in
/// order, whatever the batch size, the number of batches out and how the input is cut.
@Suite("Concurrent validation")
struct ConcurrentValidationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let catalog = GrammarCatalog(directory: Self.root.appendingPathComponent("Maps/Grammars").path)

    /// Every sample, every fixture with a finding, and random documents (unknown segments, escapes, odd
    /// delimiters), one interchange after another.
    static func input() throws -> [UInt8] {
        var files: [URL] = []
        for folder in ["Samples", "Tests/EDISchemaTests/Fixtures"] {
            let enumerator = FileManager.default.enumerator(
                at: Self.root.appendingPathComponent(folder),
                includingPropertiesForKeys: nil
            )
            while let url = enumerator?.nextObject() as? URL {
                if url.pathExtension == "edi" { files.append(url) }
            }
        }
        files.sort { $0.path < $1.path }
        #expect(files.count >= 30, "samples and fixtures found: \(files.count)")
        var bytes: [UInt8] = []
        for file in files { bytes += try Array(Data(contentsOf: file)) + Array("\n".utf8) }
        for seed in UInt64(1)...20 { bytes += try RandomDocument(seed: seed).write() }
        return bytes
    }

    /// Everything a report holds, level by level, as comparable text.
    static func describe(_ report: InterchangeReport) -> [String] {
        var lines = [
            "\(report.standard) \(report.controlNumber) \(report.sender) \(report.receiver) \(report.syntaxVersion) "
                + "trailer \(report.hasTrailer)"
        ]
        lines += report.findings.map { "  \($0.code.rawValue) \($0.location) \($0)" }
        for group in report.groups {
            lines.append(" group \(group.functionalIdentifier) \(group.controlNumber) \(group.version)")
            lines += group.findings.map { "  \($0.code.rawValue) \($0.location) \($0)" }
            for transaction in group.transactions {
                lines.append(
                    "  transaction \(transaction.type) \(transaction.controlNumber) \(transaction.version) "
                        + "supported \(transaction.isSupported)"
                )
                lines += transaction.findings.map { "   \($0.severity) \($0.code.rawValue) \($0.location) \($0)" }
            }
        }
        return lines
    }

    /// Every finding, level by level, compared whole (reference, loop path, severity and all).
    static func findings(_ report: InterchangeReport) -> [[Finding]] {
        [report.findings]
            + report.groups.flatMap { group in [group.findings] + group.transactions.map(\.findings) }
    }

    /// Reads `bytes` in pieces of `chunk` bytes into the fold, sequentially or through `runner`.
    static func reports(
        _ bytes: [UInt8],
        chunk: Int,
        runner: ConcurrentValidation?
    ) async throws -> [InterchangeReport] {
        var reader = EDIReader()
        var chunks = stride(from: 0, to: bytes.count, by: chunk).lazy
            .map { Array(bytes[$0..<min($0 + chunk, bytes.count)]) }.makeIterator()
        let next = { () throws -> ReadEvent? in try reader.next(appending: { chunks.next() }) }
        var reports: [InterchangeReport] = []
        guard let runner else {
            var validation = InterchangeValidation(catalog: Self.catalog)
            while let event = try next() {
                if let report = try validation.add(event) { reports.append(report) }
            }
            if let report = validation.finish() { reports.append(report) }
            return reports
        }
        var validation = InterchangeValidation(catalog: Self.catalog, defersChecks: true)
        try await runner.run(&validation, next: next) { reports.append($0) }
        #expect(validation.deferredCheckCount == 0)
        return reports
    }

    @Test(arguments: [(1, 1), (1, 3), (700, 2), (4_096, 1), (65_536, 64)])
    func sameReportsAsTheFold(batchBytes: Int, batchesInFlight: Int) async throws {
        let bytes = try Self.input()
        let expected = try await Self.reports(bytes, chunk: 1 << 20, runner: nil)
        let findings = expected.reduce(0) { $0 + $1.allFindings.count }
        #expect(expected.count >= 50 && findings >= 100, "\(expected.count) interchanges, \(findings) findings")
        let runner = ConcurrentValidation(batchBytes: batchBytes, batchesInFlight: batchesInFlight)
        for chunk in [1 << 20, 61] {
            let reports = try await Self.reports(bytes, chunk: chunk, runner: runner)
            #expect(reports.count == expected.count)
            for (report, wanted) in zip(reports, expected) {
                #expect(Self.describe(report) == Self.describe(wanted))
                #expect(Self.findings(report) == Self.findings(wanted))
            }
        }
    }

    /// Work that follows each check (a translation, in the gateway) gets that check's findings, runs once per job,
    /// and comes back in transaction order, whatever the batch size; transactions given no job produce nothing.
    @Test(arguments: [(1, 1), (700, 2), (4_096, 64)])
    func jobsFollowTheirChecks(batchBytes: Int, batchesInFlight: Int) async throws {
        let bytes = try Self.input()
        let expected = try await Self.reports(bytes, chunk: 1 << 20, runner: nil)
        // The fold's checked transactions (every supported one), in order: a job's findings start theirs.
        let checked = expected.flatMap { $0.groups.flatMap(\.transactions) }.filter(\.isSupported)
        var reader = EDIReader()
        var chunks = stride(from: 0, to: bytes.count, by: 997).lazy
            .map { Array(bytes[$0..<min($0 + 997, bytes.count)]) }.makeIterator()
        var validation = InterchangeValidation(catalog: Self.catalog, defersChecks: true)
        var ordinal = 0
        var jobs: [Int] = []
        var products: [(ordinal: Int, controlNumber: String, findings: [Finding])] = []
        var reports = 0
        try await ConcurrentValidation(batchBytes: batchBytes, batchesInFlight: batchesInFlight).run(
            &validation,
            next: { try reader.next(appending: { chunks.next() }) },
            job: { transaction -> (Int, String)? in
                defer { ordinal += 1 }
                // Every third checked transaction is given no job.
                guard ordinal % 3 != 2 else { return nil }
                jobs.append(ordinal)
                return (ordinal, transaction.controlNumber)
            },
            perform: { job, findings in (job.0, job.1, findings) },
            deliver: { _ in reports += 1 },
            produce: { products.append($0) }
        )
        #expect(reports == expected.count)
        #expect(ordinal == checked.count && checked.count >= 50, "\(ordinal) jobs asked for")
        #expect(products.map(\.ordinal) == jobs)
        for product in products {
            let transaction = checked[product.ordinal]
            #expect(product.controlNumber == transaction.controlNumber)
            #expect(Array(transaction.findings.prefix(product.findings.count)) == product.findings)
        }
        #expect(products.contains { !$0.findings.isEmpty })
    }

    /// A large stream: many batches out at once, the reading task checking some itself.
    @Test func manyTransactions() async throws {
        var bytes: [UInt8] = []
        let sample = try Array(
            Data(
                contentsOf: Self.root.appendingPathComponent("Tests/EDISchemaTests/Fixtures/x12/005010")
                    .appendingPathComponent(
                        try #require(
                            FileManager.default.contentsOfDirectory(
                                atPath: Self.root.appendingPathComponent("Tests/EDISchemaTests/Fixtures/x12/005010")
                                    .path
                            ).sorted().first { $0.hasSuffix(".edi") }
                        )
                    )
            )
        )
        for _ in 0..<300 { bytes += sample }
        let expected = try await Self.reports(bytes, chunk: 1 << 16, runner: nil)
        let reports = try await Self.reports(
            bytes,
            chunk: 1 << 16,
            runner: ConcurrentValidation(batchBytes: 2_048, batchesInFlight: 4)
        )
        #expect(reports.count == 300 && expected.count == 300)
        let differing = zip(reports, expected).indices(where: { Self.describe($0) != Self.describe($1) })
        #expect(differing.isEmpty, "reports that differ from the fold's: \(differing.prefix(5))")
        #expect(reports.allSatisfy { !$0.allFindings.isEmpty })
    }

    /// No event, no report; what the reader throws is what the run throws (an empty input among it: the reader
    /// finds no interchange header).
    @Test func emptyInputAndSyntaxErrors() async throws {
        var validation = InterchangeValidation(catalog: Self.catalog, defersChecks: true)
        var reports: [InterchangeReport] = []
        try await ConcurrentValidation().run(&validation, next: { nil }, deliver: { reports.append($0) })
        #expect(reports.isEmpty)
        await #expect(throws: EDISyntaxError.self) {
            try await Self.reports([], chunk: 16, runner: ConcurrentValidation())
        }
        await #expect(throws: EDISyntaxError.self) {
            try await Self.reports(Array("  \n".utf8), chunk: 16, runner: ConcurrentValidation())
        }
    }

    /// Reports are handed on while the input is still being read, not all at the end.
    @Test func reportsFlowBeforeTheEnd() async throws {
        let sample = try Array(
            Data(contentsOf: Self.root.appendingPathComponent("Samples/x12/004010/856-ship-notice.edi"))
        )
        var reader = EDIReader()
        var validation = InterchangeValidation(catalog: Self.catalog, defersChecks: true)
        var appended = 0
        var deliveredWhileReading = 0
        var delivered = 0
        try await ConcurrentValidation(batchBytes: 4_096, batchesInFlight: 4).run(
            &validation,
            next: {
                try reader.next(appending: {
                    guard appended < 2_000 else { return nil }
                    appended += 1
                    return sample
                })
            },
            deliver: { _ in
                delivered += 1
                if appended < 1_000 { deliveredWhileReading += 1 }
            }
        )
        #expect(delivered == 2_000)
        #expect(deliveredWhileReading > 0)
    }

    /// One validation through two runs, and one fed events before its run: checks name the report they belong
    /// to by the validation's own count, so each run delivers its reports with their own findings.
    @Test func aValidationUsedBefore() async throws {
        let bytes = try Self.input()
        let expected = try await Self.reports(bytes, chunk: 1 << 20, runner: nil)
        var validation = InterchangeValidation(catalog: Self.catalog, defersChecks: true)
        var reader = EDIReader()
        reader.append(bytes)
        reader.finish()
        // The first interchange goes through by hand up to its end: its checks stay deferred for the run to take.
        var events: [ReadEvent] = []
        while let event = try reader.next() {
            if case .interchangeEnd = event {
                events.append(event)
                break
            }
            #expect(try validation.add(event) == nil)
        }
        #expect(validation.nextReportNumber == 0 && validation.deferredCheckCount > 0)
        var reports: [InterchangeReport] = []
        try await ConcurrentValidation(batchBytes: 512, batchesInFlight: 2).run(
            &validation,
            next: { events.isEmpty ? try reader.next() : events.removeFirst() },
            deliver: { reports.append($0) }
        )
        #expect(validation.nextReportNumber == expected.count)
        // A second run on the same validation: its numbers go on from where the first left them.
        var again = EDIReader()
        again.append(bytes)
        again.finish()
        try await ConcurrentValidation(batchBytes: 512, batchesInFlight: 2).run(
            &validation,
            next: { try again.next() },
            deliver: { reports.append($0) }
        )
        #expect(reports.count == 2 * expected.count)
        for (report, wanted) in zip(reports, expected + expected) {
            #expect(Self.findings(report) == Self.findings(wanted))
        }
    }

    /// Checks completed in any order put their findings where the fold does, ahead of the envelope's (a count
    /// mismatch on SE) in the same transaction.
    @Test func checksCompletedInAnyOrder() throws {
        let bytes = try Self.input()
        var plain = InterchangeValidation(catalog: Self.catalog)
        let expected = try plain.reports(bytes)
        var validation = InterchangeValidation(catalog: Self.catalog, defersChecks: true)
        var reader = EDIReader()
        reader.append(bytes)
        reader.finish()
        var reports: [InterchangeReport] = []
        var checks: [TransactionCheck] = []
        while let event = try reader.next() {
            if let report = try validation.add(event) { reports.append(report) }
            checks += validation.takeChecks()
        }
        if let report = validation.finish() { reports.append(report) }
        checks += validation.takeChecks()
        var generator = SeededGenerator(seed: 7)
        checks.shuffle(using: &generator)
        for (check, findings) in zip(checks, TransactionCheck.run(checks)) {
            check.position.complete(&reports[check.position.report], with: findings)
        }
        #expect(reports.count == expected.count)
        var bothKinds = 0
        for (report, wanted) in zip(reports, expected) {
            #expect(Self.findings(report) == Self.findings(wanted))
            for group in wanted.groups {
                for transaction in group.transactions
                where transaction.findings.contains(where: { $0.code == .countMismatch })
                    && transaction.findings.contains(where: { $0.code != .countMismatch })
                {
                    bothKinds += 1
                }
            }
        }
        #expect(bothKinds > 0, "no transaction with both a grammar finding and an envelope finding")
    }

    struct Stop: Error {}

    /// What `deliver` throws ends the run, with batches still out, and is what the run throws.
    @Test func deliverEndsTheRun() async throws {
        let bytes = try Self.input()
        var reader = EDIReader()
        reader.append(bytes)
        reader.finish()
        var validation = InterchangeValidation(catalog: Self.catalog, defersChecks: true)
        var delivered = 0
        await #expect(throws: Stop.self) {
            try await ConcurrentValidation(batchBytes: 1, batchesInFlight: 8).run(
                &validation,
                next: { try reader.next() },
                deliver: { _ in
                    delivered += 1
                    if delivered == 3 { throw Stop() }
                }
            )
        }
        #expect(delivered == 3)
    }

    /// Cancelling the task ends an endless stream between batches with CancellationError.
    @Test(.timeLimit(.minutes(1))) func cancellingStopsAnEndlessStream() async throws {
        let sample = try Array(
            Data(contentsOf: Self.root.appendingPathComponent("Samples/x12/004010/856-ship-notice.edi"))
        )
        let catalog = Self.catalog
        let task = Task {
            var reader = EDIReader()
            var validation = InterchangeValidation(catalog: catalog, defersChecks: true)
            var delivered = 0
            try await ConcurrentValidation(batchBytes: 1_024, batchesInFlight: 2).run(
                &validation,
                next: { try reader.next(appending: { sample }) },
                deliver: { _ in delivered += 1 }
            )
            return delivered
        }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}

extension Zip2Sequence {
    /// The positions where `differ` holds for the pair.
    fileprivate func indices(where differ: (Sequence1.Element, Sequence2.Element) -> Bool) -> [Int] {
        self.enumerated().filter { differ($0.element.0, $0.element.1) }.map(\.offset)
    }
}

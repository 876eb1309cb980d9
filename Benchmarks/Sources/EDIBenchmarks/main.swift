import BenchmarkFiles
import EDICore
import EDISchema
import Foundation
import GatewayEngine
import GatewayEvents
import GatewayMaps

#if canImport(Glibc)
import Glibc
#endif

// Prints MB/s for (a) tokenizing, (b) a full parse with envelope checks, (c) a plain byte scan counting segment
// terminators, (d) the parse plus validation of every transaction against its grammar, (e) the same validation
// spread over every core, (f) parse, validation and translation into event JSON, (g) the same on every core, (h)
// parse, validation and mapping into the event held in memory (no JSON written) and (i) the same on every core, in the
// same run, with each figure's ratio to c. Run with `swift run -c release` from Benchmarks/.
// Arguments: sizes in MB (default 10 100); `--write DIR` also writes the generated files there; `--only NAME` runs
// one measurement many times for profiling (scan, tokenize, parse, validate, validate-cores, translate with g, map
// with i, floor: the least work mapping must add, MappingFloor.swift); `--linear [--case
// PREFIX]` runs the linear cost check (LinearCost.swift) instead, or only its cases whose name starts with PREFIX.

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Runs `body` `repeats` times and returns the best time in seconds.
func best(_ repeats: Int, _ body: () throws -> Int) rethrows -> (seconds: Double, result: Int) {
    var fastest = Double.infinity
    var result = 0
    for _ in 0..<repeats {
        let start = now()
        result = try body()
        fastest = min(fastest, now() - start)
    }
    return (fastest, result)
}

/// Baseline: a byte scan counting terminators, the simplest loop over the same bytes.
@inline(never)
func countTerminators(_ bytes: [UInt8], _ terminator: UInt8) -> Int {
    bytes.withUnsafeBufferPointer { buffer in
        var count = 0
        for byte in buffer where byte == terminator { count &+= 1 }
        return count
    }
}

/// (a) Tokenizing: every segment and element found, nothing more.
@inline(never)
func tokenize(_ bytes: [UInt8]) throws -> Int {
    try EDIParser.countSegments(bytes)
}

/// `bytes` in chunks of 1 MB, as `edigate parse` reads a file.
func megabyteChunks(_ bytes: [UInt8]) -> some IteratorProtocol<[UInt8]> {
    stride(from: 0, to: bytes.count, by: 1 << 20).lazy.map { Array(bytes[$0..<min($0 + (1 << 20), bytes.count)]) }
        .makeIterator()
}

/// Reads `bytes` in 1 MB chunks, handing every event to `body`.
func read(_ bytes: [UInt8], _ body: (ReadEvent) throws -> Void) throws {
    var reader = EDIReader()
    var chunks = megabyteChunks(bytes)
    while let event = try reader.next(appending: { chunks.next() }) { try body(event) }
}

/// Adds the findings at every level of `report`, and its transactions, to the counts.
func count(_ report: InterchangeReport, findings: inout Int, transactions: inout Int) {
    findings += report.findings.count
    for group in report.groups {
        findings += group.findings.count
        transactions += group.transactions.count
        for transaction in group.transactions { findings += transaction.findings.count }
    }
}

/// (b) Full parse: tokenizing plus envelope walk with every count and control-number check.
@inline(never)
func parse(_ bytes: [UInt8]) throws -> Int {
    var transactions = 0
    var findings = 0
    try read(bytes) { event in
        switch event {
        case .transaction: transactions += 1
        case .finding: findings += 1
        default: break
        }
    }
    precondition(findings == 0, "generated file has findings")
    return transactions
}

/// (d) Full validation: the parse above plus every transaction validated against its grammar from Maps/Grammars.
@inline(never)
func validate(_ bytes: [UInt8], catalog: GrammarCatalog) throws -> Int {
    var validation = InterchangeValidation(catalog: catalog)
    var reports: [InterchangeReport] = []
    try read(bytes) { event in
        if let report = try validation.add(event) { reports.append(report) }
    }
    if let report = validation.finish() { reports.append(report) }
    // Counted in place: copying the reports into flat arrays would be the harness's cost, not validation's.
    var findings = 0
    var transactions = 0
    for report in reports { count(report, findings: &findings, transactions: &transactions) }
    precondition(findings == 0, "generated file has \(findings) validation findings")
    return transactions
}

/// (e) The validation of (d) with the grammar checks spread over every core (`ConcurrentValidation`): the reading
/// task reads and folds, child tasks check batches of transactions, and the reading task checks a batch itself
/// when 64 are out.
@inline(never)
func validateOnAllCores(_ bytes: [UInt8], catalog: GrammarCatalog) async throws -> Int {
    var validation = InterchangeValidation(catalog: catalog, defersChecks: true)
    var reader = EDIReader()
    var chunks = megabyteChunks(bytes)
    var findings = 0
    var transactions = 0
    try await ConcurrentValidation().run(
        &validation,
        next: { try reader.next(appending: { chunks.next() }) },
        deliver: { count($0, findings: &findings, transactions: &transactions) }
    )
    precondition(findings == 0, "generated file has \(findings) validation findings")
    return transactions
}

/// Runs `body` `repeats` times and returns the best time in seconds.
func bestAsync(_ repeats: Int, _ body: () async throws -> Int) async rethrows -> (seconds: Double, result: Int) {
    var fastest = Double.infinity
    var result = 0
    for _ in 0..<repeats {
        let start = now()
        result = try await body()
        fastest = min(fastest, now() - start)
    }
    return (fastest, result)
}

/// A translator by the standard map under Maps/ for transactions of `grammar`, or `nil` when there is none: what
/// (f) to (i) keep one of per document, as `edigate translate` does for a sender with no profile.
func standardTranslator(for grammar: Grammar, maps: inout MapCatalog) throws(MappingError) -> Translator? {
    try maps.map(standard: grammar.standard.rawValue, version: grammar.version, document: grammar.document)
        .map { Translator(map: $0, grammar: grammar) }
}

/// (f) Parse, validate and translate every transaction into its canonical event by the map under Maps/, the JSON
/// of each event written (the work of `edigate translate`). With `json` false, (h): the event is read into memory
/// (every field with its provenance, the metadata with its idempotency key) and its JSON is not written.
@inline(never)
func translate(_ bytes: [UInt8], catalog: GrammarCatalog, maps: MapCatalog, json: Bool = true) throws -> Int {
    var catalog = catalog
    var maps = maps
    var validation = InterchangeValidation(catalog: catalog)
    var control = ""
    var events = 0
    var written = 0
    var output: [UInt8] = []
    var translators = Translators()
    try read(bytes) { event in
        _ = try validation.add(event)
        switch event {
        case .interchangeStart(let header): control = header.controlNumber ?? ""
        case .transaction(let transaction):
            guard let grammar = try catalog.grammar(for: transaction, groupVersion: "004010", syntaxVersion: nil)
            else { return }
            // One translator per document, as `edigate translate` keeps them.
            guard
                let translator = try translators.translator(
                    for: grammar,
                    make: { try standardTranslator(for: $0, maps: &maps) }
                )
            else { return }
            let context = TranslationContext(partner: "acme", interchangeControlNumber: control, eventID: { "e" })
            if json {
                try translator.translateJSON(transaction, context: context, into: &output)
                written += output.count
                output.removeAll(keepingCapacity: true)
            } else {
                written += try translator.map(transaction, context: context) { $0.valuesRead }
            }
            events += 1
        default: break
        }
    }
    precondition(written > 0)
    return events
}

/// One transaction's translation, as the reading task hands it to a batch.
struct TranslationJob: Sendable {
    let translator: Translator
    let transaction: Transaction
    let context: TranslationContext
}

/// (g) The work of (f) on every core: the reading task reads and folds as in (e), and each batch's child task checks
/// its transactions, then translates each into its event's JSON (`ConcurrentValidation`'s jobs); the JSON comes
/// back in transaction order. With `json` false, (i): the work of (h) on every core.
@inline(never)
func translateOnAllCores(
    _ bytes: [UInt8],
    catalog: GrammarCatalog,
    maps: MapCatalog,
    json: Bool = true
) async throws -> Int {
    var catalog = catalog
    var maps = maps
    var validation = InterchangeValidation(catalog: catalog, defersChecks: true)
    var reader = EDIReader()
    var chunks = megabyteChunks(bytes)
    var control = ""
    var translators = Translators()
    var findings = 0
    var transactions = 0
    var events = 0
    var written = 0
    try await ConcurrentValidation().run(
        &validation,
        next: {
            let event = try reader.next(appending: { chunks.next() })
            if case .interchangeStart(let header) = event { control = header.controlNumber ?? "" }
            return event
        },
        job: { transaction -> TranslationJob? in
            guard let grammar = try? catalog.grammar(for: transaction, groupVersion: "004010", syntaxVersion: nil)
            else { return nil }
            guard
                let translator = try? translators.translator(
                    for: grammar,
                    make: { try standardTranslator(for: $0, maps: &maps) }
                )
            else { return nil }
            let context = TranslationContext(partner: "acme", interchangeControlNumber: control, eventID: { "e" })
            return TranslationJob(translator: translator, transaction: transaction, context: context)
        },
        perform: { job, _ -> Int in
            var output: [UInt8] = []
            do {
                guard json else {
                    return try job.translator.map(job.transaction, context: job.context) { $0.valuesRead }
                }
                try job.translator.translateJSON(job.transaction, context: job.context, into: &output)
            } catch {
                return -1
            }
            return output.count
        },
        deliver: { count($0, findings: &findings, transactions: &transactions) },
        produce: { size in
            precondition(size > 0, "a transaction did not translate")
            written += size
            events += 1
        }
    )
    precondition(findings == 0, "generated file has \(findings) validation findings")
    precondition(events == transactions && written > 0)
    return events
}

/// Keeps freed memory in the process, as the edigate command does (MemoryPolicy.swift), for every measurement: glibc
/// would otherwise give the top of each thread's heap back to the kernel and fault it in again, which cost the
/// validation on every core a tenth of its time in system calls and page faults, and varied from run to run.
func keepFreedMemory() {
    _ = mallopt(-3, 32 << 20)  // M_MMAP_THRESHOLD
    _ = mallopt(-1, Int32.max)  // M_TRIM_THRESHOLD
    _ = mallopt(-4, 0)  // M_MMAP_MAX: large blocks from the heap too, kept and reused once freed
}

keepFreedMemory()
var sizes: [Int] = []
var writeDirectory: String?
var only: String?
var linearOnly = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--write" {
        writeDirectory = arguments.popFirst()
    } else if argument == "--only" {
        // For profiling: run one measurement (scan, tokenize, parse or validate) many times and print nothing else.
        only = arguments.popFirst()
    } else if argument == "--linear" {
        linearOnly = true
    } else if argument == "--case" {
        // With --linear: only the cases whose name starts with this (`HL`, `segments`), for profiling one.
        only = arguments.popFirst()
    } else if let size = Int(argument) {
        sizes.append(size)
    }
}
if sizes.isEmpty { sizes = [10, 100] }

// The grammars under Maps/Grammars of the edigate checkout this package sits in.
let grammars = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Maps/Grammars").path
// Loaded before timing: the figure is validation, not reading grammar files.
var catalog = GrammarCatalog(directory: grammars)
_ = try catalog.grammar(standard: .x12, version: "004010", document: "856")
_ = try catalog.grammar(standard: .edifact, version: "D96A", document: "DESADV")
var maps = MapCatalog(directory: URL(fileURLWithPath: grammars).deletingLastPathComponent().path)
_ = try maps.map(standard: "X12", version: "004010", document: "856")

if linearOnly {
    exit(try LinearCost.run(catalog: catalog, maps: maps, only: only) ? 0 : 1)
}

print("edigate reader benchmark (release build; best of 5 runs; MB = 10^6 bytes)")
print(
    "file                         size MB   scan MB/s  tokenize MB/s  parse MB/s  validate MB/s   a/c    b/c    d/c"
        + "   validate, \(ProcessInfo.processInfo.activeProcessorCount) cores MB/s   e/c   translate MB/s     f/c"
        + "   translate, \(ProcessInfo.processInfo.activeProcessorCount) cores MB/s     g/c"
        + "   map MB/s     h/c   map, \(ProcessInfo.processInfo.activeProcessorCount) cores MB/s     i/c"
)
for size in sizes {
    for (name, make, terminator) in [
        ("X12 856", BenchmarkFiles.x12ShipNotices, UInt8(ascii: "~")),
        ("EDIFACT DESADV", BenchmarkFiles.edifactDespatchAdvices, UInt8(ascii: "'")),
    ] as [(String, (Int) throws -> [UInt8], UInt8)] {
        let bytes = try make(size * 1_000_000)
        if let directory = writeDirectory {
            let path = "\(directory)/\(name.replacingOccurrences(of: " ", with: "-"))-\(size)MB.edi"
            if let file = fopen(path, "wb") {
                _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
                fclose(file)
            }
        }
        let megabytes = Double(bytes.count) / 1e6
        if only == "floor" {
            // With the scan, as every figure, and (h) itself beside it.
            let scan = best(5) { countTerminators(bytes, terminator) }
            let mapped = try best(5) { try translate(bytes, catalog: catalog, maps: maps, json: false) }
            var line = "\(name) scan \(String(format: "%.0f", megabytes / scan.seconds)) MB/s"
            for (label, hash, copy) in [("validated", false, false), ("+ hash", true, false), ("+ values", true, true)]
            {
                let timing = try best(10) { try mappingFloor(bytes, catalog: catalog, hash: hash, copy: copy) }
                line += String(
                    format: ", %@ %.1f MB/s (%.4f)",
                    label,
                    megabytes / timing.seconds,
                    scan.seconds / timing.seconds
                )
            }
            print(
                line
                    + String(
                        format: ", map (h) %.1f MB/s (%.4f)",
                        megabytes / mapped.seconds,
                        scan.seconds / mapped.seconds
                    )
            )
            continue
        }
        if only == "validate-cores" {
            let timing = try await bestAsync(20) { try await validateOnAllCores(bytes, catalog: catalog) }
            print(name, "validate on all cores", String(format: "%.1f MB/s", megabytes / timing.seconds))
            continue
        }
        if let only {
            let run: () throws -> Int =
                only == "scan"
                ? { countTerminators(bytes, terminator) }
                : only == "tokenize"
                    ? { try tokenize(bytes) }
                    : only == "validate"
                        ? { try validate(bytes, catalog: catalog) }
                        : only == "translate" || only == "map"
                            ? { try translate(bytes, catalog: catalog, maps: maps, json: only == "translate") }
                            : { try parse(bytes) }
            let timing = try best(only == "translate" || only == "map" ? 5 : 20, run)
            if only == "translate" || only == "map" {
                // With the baseline in the same run, as in the table.
                let scan = best(5) { countTerminators(bytes, terminator) }
                let spread = try await bestAsync(5) {
                    try await translateOnAllCores(bytes, catalog: catalog, maps: maps, json: only == "translate")
                }
                precondition(spread.result == timing.result, "translation on all cores saw other transactions")
                print(
                    name,
                    only,
                    String(
                        format: "%.1f MB/s, on all cores %.1f MB/s, scan %.0f MB/s, ratios %.4f and %.4f",
                        megabytes / timing.seconds,
                        megabytes / spread.seconds,
                        megabytes / scan.seconds,
                        scan.seconds / timing.seconds,
                        scan.seconds / spread.seconds
                    )
                )
            } else {
                print(name, only, String(format: "%.1f MB/s", megabytes / timing.seconds))
            }
            continue
        }
        let scan = best(5) { countTerminators(bytes, terminator) }
        let tokens = try best(5) { try tokenize(bytes) }
        let full = try best(5) { try parse(bytes) }
        let checked = try best(5) { try validate(bytes, catalog: catalog) }
        let spread = try await bestAsync(5) { try await validateOnAllCores(bytes, catalog: catalog) }
        precondition(spread.result == checked.result, "validation on all cores saw other transactions")
        // Slow enough (seconds per 100 MB) that two runs are the best of what the table can afford.
        let translated = try best(2) { try translate(bytes, catalog: catalog, maps: maps) }
        precondition(translated.result == checked.result, "translation saw other transactions")
        let translatedOnAllCores = try await bestAsync(3) {
            try await translateOnAllCores(bytes, catalog: catalog, maps: maps)
        }
        precondition(translatedOnAllCores.result == checked.result, "translation on all cores saw other transactions")
        let mapped = try best(2) { try translate(bytes, catalog: catalog, maps: maps, json: false) }
        precondition(mapped.result == checked.result, "mapping saw other transactions")
        let mappedOnAllCores = try await bestAsync(3) {
            try await translateOnAllCores(bytes, catalog: catalog, maps: maps, json: false)
        }
        precondition(mappedOnAllCores.result == checked.result, "mapping on all cores saw other transactions")
        precondition(tokens.result == scan.result, "tokenizer found \(tokens.result) segments, scan \(scan.result)")
        let c = megabytes / scan.seconds
        let a = megabytes / tokens.seconds
        let b = megabytes / full.seconds
        let d = megabytes / checked.seconds
        let e = megabytes / spread.seconds
        let f = megabytes / translated.seconds
        let g = megabytes / translatedOnAllCores.seconds
        let h = megabytes / mapped.seconds
        let i = megabytes / mappedOnAllCores.seconds
        print(
            name.padding(toLength: 26, withPad: " ", startingAt: 0)
                + String(
                    format:
                        "%9.1f %11.0f %14.0f %11.0f %14.0f %6.2f %6.2f %6.2f %25.0f %6.2f %15.1f %7.4f %26.1f %7.4f"
                        + " %9.1f %7.4f %20.1f %7.4f",
                    megabytes,
                    c,
                    a,
                    b,
                    d,
                    a / c,
                    b / c,
                    d / c,
                    e,
                    e / c,
                    f,
                    f / c,
                    g,
                    g / c,
                    h,
                    h / c,
                    i,
                    i / c
                )
        )
    }
}

public import EDICore
import EDISchema
import EDITesting
import GatewayAS2
import GatewayEvents
import GatewayMaps
import GatewayPartners

/// The invariants the fuzz targets under Fuzz/ check, one function per target, each returning what broke (nil when
/// nothing did). The fuzz targets trap on a failure so libFuzzer saves the input; FuzzRegressionTests runs the same
/// checks over every saved input and the seeds, in the ordinary test suite.
///
/// ```swift
/// var checks = FuzzChecks(root: "/path/to/edigate")
/// if let failure = checks.run(.reader, bytes) { fatalError(failure) }
/// ```
public struct FuzzChecks {
    /// The fuzz targets, by the name of their folder under Fuzz/Regressions.
    public enum Target: String, Sendable, CaseIterable {
        case reader, writer, validation, acknowledgments, loaders, translation, content
    }

    /// The repository root (Maps/ below it).
    public let root: String
    private var grammars: GrammarCatalog
    private var maps: MapCatalog
    private let vocabulary: MilestoneVocabulary
    private lazy var validators: [Validator] = {
        FileBytes.files(under: self.root + "/Maps/Grammars", suffix: ".grammar").compactMap { path in
            (try? GrammarLoader.load(path: path)).map { Validator(grammar: $0) }
        }
    }()

    /// Limits small enough that fuzz inputs reach every limit error of the reader.
    public static let tightReading = ReaderConfiguration(
        limits: ReaderLimits(
            maximumSegmentLength: 64,
            maximumElementsPerSegment: 8,
            maximumComponentsPerElement: 4,
            maximumRepetitionsPerElement: 4,
            maximumInputSize: 2000,
            maximumTransactionsPerInterchange: 2,
            maximumSegmentsPerTransaction: 12
        ),
        repertoire: .strict
    )

    /// Checks against the grammars, maps and vocabulary under `root`/Maps.
    public init(root: String) {
        self.root = root
        self.grammars = GrammarCatalog(directory: root + "/Maps/Grammars")
        self.maps = MapCatalog(directory: root + "/Maps")
        self.vocabulary = MilestoneVocabulary(path: root + "/Maps/Vocabulary/milestones.tsv")
    }

    /// Runs one target's check.
    public mutating func run(_ target: Target, _ bytes: [UInt8]) -> String? {
        switch target {
        case .reader: Self.reader(bytes)
        case .writer: Self.writer(bytes)
        case .validation: self.validation(bytes)
        case .acknowledgments: Self.acknowledgments(bytes)
        case .loaders: Self.loaders(bytes)
        case .translation: self.translation(bytes)
        case .content: Self.content(bytes)
        }
    }

    // MARK: 1. Reader

    /// The input read whole and fed in seeded random chunks must give the same events, findings and error, under
    /// the default limits and under tight ones.
    public static func reader(_ bytes: [UInt8]) -> String? {
        let seed = self.seed(of: bytes)
        for configuration in [ReaderConfiguration(), self.tightReading] {
            let whole = ReadTranscript.lines(of: bytes, chunking: .whole, configuration: configuration)
            let chunked = ReadTranscript.lines(of: bytes, chunking: .random(seed: seed), configuration: configuration)
            guard whole != chunked else { continue }
            let index =
                zip(whole, chunked).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(whole.count, chunked.count)
            return "random chunks (seed \(seed)) read differently at event \(index):\n  whole:   "
                + (index < whole.count ? whole[index] : "(end)") + "\n  chunked: "
                + (index < chunked.count ? chunked[index] : "(end)")
        }
        return nil
    }

    // MARK: 2. Writer

    /// An interchange as values: what must survive writing and reading again.
    struct Shape: Equatable {
        var delimiters: Delimiters
        var header: SegmentValue?
        var segments: [SegmentValue]
        var groups: [[SegmentValue]]
        var trailer: SegmentValue?

        init(_ interchange: Interchange) {
            self.delimiters = interchange.delimiters
            self.header = interchange.header.segment?.value
            self.segments = interchange.segments.map(\.value)
            self.groups = interchange.groups.map { group in
                (group.header.map { [$0.value] } ?? []) + group.transactions.flatMap { $0.segments.map(\.value) }
                    + (group.trailer.map { [$0.value] } ?? [])
            }
            self.trailer = interchange.trailer?.value
        }

        /// The first difference, for the failure message (fuzz inputs are no one's payload).
        func difference(_ other: Shape) -> String {
            if self.delimiters != other.delimiters { return "delimiters \(self.delimiters) became \(other.delimiters)" }
            if self.header != other.header {
                return
                    "header \(self.header.map(\.description) ?? "none") became \(other.header.map(\.description) ?? "none")"
            }
            let mine = self.segments + self.groups.flatMap { $0 } + (self.trailer.map { [$0] } ?? [])
            let theirs = other.segments + other.groups.flatMap { $0 } + (other.trailer.map { [$0] } ?? [])
            for (index, (a, b)) in zip(mine, theirs).enumerated() where a != b {
                return "segment \(index + 2): \(a) became \(b)"
            }
            return "\(mine.count) segments became \(theirs.count) (groups \(self.groups.count) → \(other.groups.count))"
        }
    }

    /// Whatever reads clean (no error, no finding) is written back and read again into the same structure, and
    /// writing that gives the same bytes again.
    public static func writer(_ bytes: [UInt8]) -> String? {
        let read = self.read(bytes)
        guard read.error == nil else { return nil }
        for interchange in read.interchanges where interchange.findings.isEmpty {
            let written: [UInt8]
            do { written = try interchange.write() } catch {
                return "an interchange that read clean does not write: \(error)"
            }
            let again = self.read(written)
            if let error = again.error { return "the written interchange does not read: \(error)" }
            guard again.interchanges.count == 1, let second = again.interchanges.first else {
                return "the written interchange reads as \(again.interchanges.count) interchanges"
            }
            if !second.findings.isEmpty {
                return "the written interchange reads with findings: \(second.findings.map(\.description))"
            }
            let before = Shape(interchange)
            let after = Shape(second)
            if before != after {
                return "the written interchange reads into another structure: " + before.difference(after)
            }
            if (try? second.write()) != written { return "writing the re-read interchange gives other bytes" }
        }
        return nil
    }

    // MARK: 3. Validation and acknowledgments

    /// Every transaction that reads is validated against every grammar under Maps/; each interchange's TA1, 997
    /// and 999 (X12) or CONTRL (EDIFACT) must read clean with edigate's reader and validate clean against
    /// edigate's grammars.
    public mutating func validation(_ bytes: [UInt8]) -> String? {
        let read = Self.read(bytes)
        let validators = self.validators
        for interchange in read.interchanges {
            for transaction in interchange.transactions {
                for validator in validators { _ = validator.validate(transaction) }
            }
        }
        let reports: [InterchangeReport]
        switch self.reports(read.events) {
        case .success(let value): reports = value
        case .failure(let failure): return failure.message
        }
        var writer = AcknowledgmentWriter(options: AcknowledgmentOptions(date: "20261124", time: "1200"))
        for report in reports {
            let kinds: [AcknowledgmentKind] =
                report.standard == .x12 ? [.ta1, .functional997, .implementation999] : [.contrl]
            for kind in kinds {
                let acknowledgment: [UInt8]
                do { acknowledgment = try writer.write(kind, for: report) } catch {
                    return "the \(kind.rawValue) does not write: \(error)"
                }
                let again = Self.read(acknowledgment)
                if let error = again.error { return "the \(kind.rawValue) does not read: \(error)" }
                let findings = again.interchanges.flatMap(\.findings)
                if again.interchanges.count != 1 || !findings.isEmpty {
                    return "the \(kind.rawValue) reads as \(again.interchanges.count) interchanges with findings "
                        + "\(findings.map(\.description))"
                }
                switch self.reports(again.events) {
                case .success(let acknowledgmentReports):
                    // A 997 goes back in the version of the group it acknowledges, which may be one edigate has no
                    // 997 grammar for (only 004010 and 005010): that one finding says so, and is not a fault.
                    let findings = acknowledgmentReports.flatMap(\.allFindings).filter { finding in
                        kind != .functional997 || finding.code != .transactionNotSupported
                    }
                    if !findings.isEmpty {
                        return "the \(kind.rawValue) breaks its grammar: \(findings.map(\.description))"
                    }
                case .failure(let failure):
                    return failure.message
                }
            }
        }
        return nil
    }

    struct Failure: Error { var message: String }

    private mutating func reports(_ events: [ReadEvent]) -> Result<[InterchangeReport], Failure> {
        var validation = InterchangeValidation(catalog: self.grammars)
        defer { self.grammars = validation.catalog }
        var reports: [InterchangeReport] = []
        do {
            for event in events {
                if let report = try validation.add(event) { reports.append(report) }
            }
        } catch {
            return .failure(Failure(message: "a published grammar does not load: \(error)"))
        }
        if let report = validation.finish() { reports.append(report) }
        return .success(reports)
    }

    // MARK: 4. Inbound acknowledgments

    /// The inbound acknowledgment reader over every interchange that reads, also those before a syntax error.
    public static func acknowledgments(_ bytes: [UInt8]) -> String? {
        for interchange in self.read(bytes).interchanges {
            for acknowledgment in ReceivedAcknowledgment.read(interchange) {
                for result in acknowledgment.results { _ = String(describing: result) }
            }
        }
        return nil
    }

    // MARK: 5. Loaders

    /// The first byte picks the loader (0 grammar, 1 partner profile, 2 map, 3 canonical event JSON); the rest is
    /// the file. Errors are expected. A grammar that loads is compiled; an event that decodes must encode and decode
    /// again to an equal event.
    public static func loaders(_ bytes: [UInt8]) -> String? {
        guard let selector = bytes.first else { return nil }
        let file = Array(bytes.dropFirst())
        switch selector % 4 {
        case 0:
            if let grammar = try? GrammarLoader.parse(file, source: "fuzz.grammar") { _ = Validator(grammar: grammar) }
        case 1:
            _ = String(describing: PartnerProfileLoader.parse(String(decoding: file, as: UTF8.self), source: "f.yaml"))
        case 2:
            _ = try? MapLoader.parse(String(decoding: file, as: UTF8.self), source: "fuzz.map")
        default:
            guard let event = try? EventJSON.decode(file) else { return nil }
            let encoded: [UInt8]
            do { encoded = try EventJSON.encode(event) } catch { return "a decoded event does not encode: \(error)" }
            if (try? EventJSON.decode(encoded)) != event { return "an event does not decode to itself once encoded" }
        }
        return nil
    }

    // MARK: 6. Translation

    /// Every transaction that validates with no error finding is translated by its map; a mapping error is fine,
    /// an event translated must encode as JSON, and the JSON written straight by the event's shape
    /// (`translateJSON`) is those bytes, or fails with the typed event's error.
    public mutating func translation(_ bytes: [UInt8]) -> String? {
        let read = Self.read(bytes)
        for interchange in read.interchanges {
            for group in interchange.groups {
                for transaction in group.transactions {
                    let grammar: Grammar?
                    do {
                        grammar = try self.grammars.grammar(
                            for: transaction,
                            groupVersion: group.header?.hasTag("GS") == true ? group.header?[8]?.text : nil,
                            syntaxVersion: interchange.header.version
                        )
                    } catch {
                        return "a published grammar does not load: \(error)"
                    }
                    guard let grammar else { continue }
                    let findings = Validator(grammar: grammar).validate(transaction)
                    guard !findings.contains(where: { $0.severity == .error }) else { continue }
                    let map: MapDefinition?
                    do {
                        map = try self.maps.map(
                            standard: grammar.standard.rawValue,
                            version: grammar.version,
                            document: grammar.document
                        )
                    } catch {
                        return "a published map does not load: \(error)"
                    }
                    guard let map else { continue }
                    let context = TranslationContext(
                        partner: "FUZZ",
                        interchangeControlNumber: interchange.header.controlNumber ?? "",
                        groupControlNumber: group.controlNumber,
                        eventID: { "event" },
                        vocabulary: self.vocabulary
                    )
                    let translator = Translator(map: map, grammar: grammar)
                    var written: [UInt8] = []
                    let writtenError: String?
                    do {
                        try translator.translateJSON(transaction, context: context, into: &written)
                        writtenError = nil
                    } catch {
                        writtenError = error.description
                    }
                    let event: CanonicalEvent
                    do {
                        event = try translator.translate(transaction, context: context)
                    } catch {
                        // The JSON written straight fails as the typed event does, with the same message.
                        if writtenError != error.description {
                            return "the event JSON written by shape and the typed event disagree on failing"
                        }
                        continue
                    }
                    do {
                        let encoded = try EventJSON.encode(event)
                        if writtenError != nil || written != encoded {
                            return "the event JSON written by shape differs from the typed event's"
                        }
                    } catch {
                        return "a translated event does not encode: \(error)"
                    }
                }
            }
        }
        return nil
    }

    // MARK: Support

    /// Reads `bytes` whole: the interchanges collected before the first syntax error, the error, and every event.
    public static func read(
        _ bytes: [UInt8],
        configuration: ReaderConfiguration = ReaderConfiguration()
    ) -> (interchanges: [Interchange], events: [ReadEvent], error: EDISyntaxError?) {
        var reader = EDIReader(configuration: configuration)
        var collector = InterchangeCollector()
        var events: [ReadEvent] = []
        reader.append(bytes)
        reader.finish()
        do throws(EDISyntaxError) {
            while let event = try reader.next() {
                events.append(event)
                collector.add(event)
            }
        } catch {
            return (collector.interchanges, events, error)
        }
        return (collector.interchanges, events, nil)
    }

    /// A seed derived from the input (FNV-1a), so a saved input replays exactly.
    public static func seed(of bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}

extension FuzzChecks {
    // MARK: 7. Content decoding

    /// Limits small enough that fuzz inputs pass them.
    static let tightContent = ContentLimits(maximumDecodedSize: 256, maximumDecompressedSize: 4096)

    /// The first byte picks base64 (even) or compressed data (odd; zlib, or gzip when bit 1 is set too); the rest is
    /// the content. Decoded whole and in
    /// seeded random chunks, under the default and tight limits, it gives the same bytes or an error of the same
    /// code (base64: at the same byte), never more bytes than the limit; base64 of what decodes decodes back to it,
    /// and any content compressed decompresses back to itself.
    public static func content(_ bytes: [UInt8]) -> String? {
        guard let selector = bytes.first else { return nil }
        let content = Array(bytes.dropFirst())
        let seed = Self.seed(of: bytes)
        let format: Compression.Format = selector & 2 == 0 ? .zlib : .gzip
        for limits in [ContentLimits(), Self.tightContent] {
            let base64 = selector % 2 == 0
            let limit = base64 ? limits.maximumDecodedSize : limits.maximumDecompressedSize
            let whole = Self.decode(content, base64: base64, format: format, limits: limits, pieces: [content])
            let chunked = Self.decode(
                content,
                base64: base64,
                format: format,
                limits: limits,
                pieces: Chunking.random(seed: seed).chunks(of: content)
            )
            for outcome in [whole, chunked] where outcome.output.count > limit {
                return "decoding produced \(outcome.output.count) bytes past its limit of \(limit)"
            }
            switch (whole.error, chunked.error) {
            case (nil, nil):
                if whole.output != chunked.output { return "random chunks (seed \(seed)) decode to other bytes" }
                if base64 {
                    let again = Self.decode(Base64.encode(whole.output), base64: true, limits: ContentLimits())
                    if again.error != nil || again.output != whole.output {
                        return "base64 of the decoded bytes does not decode back to them"
                    }
                }
            case (let a?, let b?):
                if a.code != b.code || (base64 && a != b) {
                    return "random chunks (seed \(seed)) fail otherwise: \(a) / \(b)"
                }
            default:
                return "random chunks (seed \(seed)) decode where whole input fails, or the reverse: "
                    + "\(whole.error.map(String.init(describing:)) ?? "decoded") / "
                    + "\(chunked.error.map(String.init(describing:)) ?? "decoded")"
            }
        }
        let compressed = Compression.compress(content, format: format)
        do {
            let back = try Decompressor.decompress(compressed, format: format)
            if back != content { return "compressed content decompresses to other bytes" }
        } catch {
            return "compressed content does not decompress: \(error)"
        }
        return nil
    }

    /// Base64 or compressed content decoded from `pieces` (all of `content` by default).
    static func decode(
        _ content: [UInt8],
        base64: Bool,
        format: Compression.Format = .zlib,
        limits: ContentLimits,
        pieces: [[UInt8]]? = nil
    ) -> (output: [UInt8], error: AS2Error?) {
        var output: [UInt8] = []
        do {
            if base64 {
                var decoder = Base64Decoder(limits: limits)
                for piece in pieces ?? [content] { try decoder.decode(piece, into: &output) }
                try decoder.finish(into: &output)
            } else {
                let decompressor = Decompressor(format: format, limits: limits)
                for piece in pieces ?? [content] { try decompressor.decompress(piece, into: &output) }
                try decompressor.finish()
            }
            return (output, nil)
        } catch {
            return (output, error)
        }
    }

    /// The seed inputs of `target`: the samples and acknowledgment fixtures for the EDI targets; grammars, profiles,
    /// maps and event examples behind their selector byte for the loaders. Fuzz/run.sh writes the same set.
    public static func seeds(for target: Target, root: String) -> [(name: String, bytes: [UInt8])] {
        func load(_ paths: [String], prefix: [UInt8] = []) -> [(name: String, bytes: [UInt8])] {
            paths.compactMap { path in FileBytes.read(path, limit: Self.maximumInputSize).map { (path, prefix + $0) } }
        }
        if target == .content {
            // Each sample as base64 (selector 0) and as a zlib stream (selector 1).
            return load(FileBytes.files(under: root + "/Samples", suffix: "").filter { !$0.hasSuffix(".md") })
                .flatMap { path, bytes in
                    [
                        (path + " (base64)", [0] + Base64.encode(bytes)),
                        (path + " (zlib)", [1] + Compression.compress(bytes)),
                    ]
                }
        }
        guard target == .loaders else {
            return load(
                FileBytes.files(under: root + "/Samples", suffix: "")
                    .filter { !$0.hasSuffix(".md") }
                    + FileBytes.files(under: root + "/Tests/EDISchemaTests/Fixtures", suffix: "")
            )
        }
        return load(FileBytes.files(under: root + "/Maps/Grammars", suffix: ".grammar"), prefix: [0])
            + load(FileBytes.files(under: root + "/PartnerProfiles", suffix: ".yaml"), prefix: [1])
            + load(FileBytes.files(under: root + "/Maps", suffix: ".map"), prefix: [2])
            + load(FileBytes.files(under: root + "/Maps/Schemas/examples", suffix: ".json"), prefix: [3])
    }

    /// The inputs a fuzz target once failed on, kept in Fuzz/Regressions/TARGET/ once fixed.
    public static func regressions(for target: Target, root: String) -> [(name: String, bytes: [UInt8]?)] {
        FileBytes.files(under: root + "/Fuzz/Regressions/" + target.rawValue, suffix: "").map { path in
            (path, FileBytes.read(path, limit: Self.maximumInputSize))
        }
    }

    /// The largest seed or saved input read (libFuzzer's inputs here stay under a few kilobytes).
    static let maximumInputSize = 16 << 20
}

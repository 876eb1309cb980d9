public import EDICore

/// Folds the reader's events into one ``InterchangeReport`` per interchange, validating each transaction against
/// its grammar on the way, so acknowledgments can be built without keeping the transactions.
///
/// ```swift
/// var validation = InterchangeValidation(catalog: GrammarCatalog(directory: "Maps/Grammars"))
/// while let event = try reader.next() {
///     if let report = try validation.add(event) { reports.append(report) }
/// }
/// if let report = validation.finish() { reports.append(report) }
/// ```
public struct InterchangeValidation: Sendable {
    /// Where grammars come from.
    public private(set) var catalog: GrammarCatalog
    /// One grammar for every transaction instead of the catalog's (`edigate validate --guide`).
    public let guide: Grammar?
    /// Validation settings.
    public let configuration: ValidationConfiguration
    /// Per transaction type, the element whose value is kept as business unit identifier (`["856": "BSN02"]`).
    public let businessUnitReferences: [String: String]
    /// Per transaction type, validation settings that replace ``configuration`` (a partner's HL hierarchy for its
    /// `856`).
    public let documentConfigurations: [String: ValidationConfiguration]
    /// Grammars that replace the catalog's grammar of the same standard, version and document (a partner's own
    /// guide for its INVOIC).
    public let documentGuides: [Grammar]
    /// Whether grammar checks are left for the caller to run (``takeChecks()``, ``TransactionCheck``) instead of
    /// run in ``add(_:)``: the reports come back without the checks' findings until each check completes them.
    public let defersChecks: Bool

    private var report: InterchangeReport?
    /// Reader findings of the open interchange, placed into levels when it ends.
    private var envelopeFindings: [Finding] = []
    /// Segment-number ranges of the open interchange's groups and transactions, to place those findings.
    private var groupRanges: [ClosedRange<Int>] = []
    private var transactionRanges: [[ClosedRange<Int>]] = []
    private var groupStart: Int?
    /// The last grammar looked up and what it was looked up by.
    /// The last grammar looked up, by what names it: the type, the group's or syntax version, and an EDIFACT
    /// message's own version (UNH02 after the type), which can differ between messages of one interchange.
    private var lastLookup:
        (
            type: String, groupVersion: String?, syntaxVersion: String?, messageVersion: String?,
            grammar: CompiledGrammar?
        )?
    /// The last transaction's type and version, whose strings the next one reuses when its bytes are equal.
    private var lastIdentity: (type: String, version: String)?
    /// The last transaction type found to be a plain name (letters and digits), to skip checking it again.
    private var lastPlainType: String?
    /// Memory the validation of each transaction borrows; replaced when a copy of this value shares it.
    private var memory = ValidationMemory()
    /// The interchanges opened so far: the number of the open one's report is one less.
    private var openedReports = 0
    /// Checks deferred and not yet taken.
    private var checks: [TransactionCheck] = []
    /// The bytes of the transactions whose checks wait for ``takeChecks()``, header to trailer.
    public private(set) var deferredCheckBytes = 0

    /// Creates a fold over `catalog`.
    public init(
        catalog: GrammarCatalog,
        guide: Grammar? = nil,
        configuration: ValidationConfiguration = ValidationConfiguration(),
        businessUnitReferences: [String: String] = [:],
        documentConfigurations: [String: ValidationConfiguration] = [:],
        documentGuides: [Grammar] = [],
        defersChecks: Bool = false
    ) {
        self.catalog = catalog
        self.guide = guide
        self.configuration = configuration
        self.businessUnitReferences = businessUnitReferences
        self.documentConfigurations = documentConfigurations
        self.documentGuides = documentGuides
        self.defersChecks = defersChecks
    }

    /// The checks deferred since the last call, in transaction order (always empty unless ``defersChecks``).
    public mutating func takeChecks() -> [TransactionCheck] {
        var taken: [TransactionCheck] = []
        swap(&taken, &self.checks)
        self.deferredCheckBytes = 0
        return taken
    }

    /// The number of deferred checks waiting for ``takeChecks()``.
    public var deferredCheckCount: Int { self.checks.count }

    /// The number of the next report this validation returns, counting from 0 (checks name their report by it):
    /// the open interchange's, or the next one's when none is open.
    public var nextReportNumber: Int { self.report == nil ? self.openedReports : self.openedReports - 1 }

    /// Takes one event; returns the report of an interchange that just ended. A grammar file that does not load
    /// is thrown: it is the gateway's problem, not the partner's.
    public mutating func add(_ event: ReadEvent) throws(GrammarError) -> InterchangeReport? {
        switch event {
        case .interchangeStart(let header):
            let previous = self.finish()
            self.start(header)
            return previous
        case .groupStart(let header):
            if self.report == nil { return nil }
            self.groupStart = header.number
            self.report?.groups.append(Self.group(header))
        case .transaction(let transaction):
            guard self.report != nil else { return nil }
            if self.report?.groups.isEmpty ?? true
                || self.groupStart == nil && self.report?.groups.last?.hasHeader == true
            {
                // EDIFACT messages directly in UNB form one group without a header.
                self.report?.groups.append(GroupReport(hasHeader: false, hasTrailer: false))
                self.groupRanges.append(transaction.header.number...transaction.header.number)
            }
            try self.add(transaction)
        case .groupEnd(let trailer):
            guard self.report != nil, !(self.report?.groups.isEmpty ?? true) else { return nil }
            let last = (self.report?.groups.count ?? 1) - 1
            self.report?.groups[last].hasTrailer = trailer != nil
            if let trailer {
                self.report?.groups[last].declaredTransactionCount = trailer[1].flatMap { Int($0.text) }
            }
            let start = self.groupStart ?? trailer?.number ?? 0
            self.groupRanges.append(start...max(start, trailer?.number ?? start))
            self.groupStart = nil
        case .interchangeEnd(let trailer):
            self.report?.hasTrailer = trailer != nil
            return self.finish()
        case .finding(let finding):
            if self.report != nil {
                self.envelopeFindings.append(finding)
            }
        case .segment(let segment):
            // A TA1 at interchange level is checked against its own grammar; its findings are the interchange's.
            guard self.report != nil, segment.hasTag("TA1") else { break }
            var grammar = self.guide
            if grammar == nil {
                grammar = try self.catalog.grammar(
                    forInterchangeSegment: segment,
                    interchangeVersion: self.report?.syntaxVersion
                )
            }
            if let grammar, grammar.segments["TA1"] != nil {
                self.report?.findings += Validator(grammar: grammar, configuration: self.configuration)
                    .validate(segment: segment)
            }
        }
        return nil
    }

    /// Ends the open interchange, if any (the input ended without IEA or UNZ), and returns its report.
    public mutating func finish() -> InterchangeReport? {
        guard var report = self.report else { return nil }
        if let start = self.groupStart {
            // A group still open: it had no trailer.
            self.groupRanges.append(start...Int.max)
            if !report.groups.isEmpty { report.groups[report.groups.count - 1].hasTrailer = false }
        }
        self.place(&report)
        self.report = nil
        self.envelopeFindings = []
        self.groupRanges = []
        self.transactionRanges = []
        self.groupStart = nil
        return report
    }

    private mutating func start(_ header: InterchangeHeader) {
        let segment = header.segment
        func text(_ position: Int, _ component: Int? = nil) -> String {
            guard let element = segment?[position] else { return "" }
            if let component { return element.component(component)?.text ?? "" }
            return element.text
        }
        switch header.standard {
        case .x12:
            self.report = InterchangeReport(
                standard: .x12,
                delimiters: header.delimiters,
                controlNumber: text(13),
                sender: Self.trimmed(text(6)),
                senderQualifier: text(5),
                receiver: Self.trimmed(text(8)),
                receiverQualifier: text(7),
                date: text(9),
                time: text(10),
                syntaxVersion: text(12),
                isTest: text(15) == "T"
            )
        case .edifact:
            self.report = InterchangeReport(
                standard: .edifact,
                delimiters: header.delimiters,
                controlNumber: text(5),
                sender: text(2, 1),
                senderQualifier: text(2, 2),
                receiver: text(3, 1),
                receiverQualifier: text(3, 2),
                date: text(4, 1),
                time: text(4, 2),
                syntaxVersion: text(1, 2),
                syntaxIdentifier: text(1, 1),
                isTest: text(11) == "1"
            )
        }
        self.envelopeFindings = []
        self.groupRanges = []
        self.transactionRanges = []
        self.groupStart = nil
        self.openedReports += 1
    }

    private static func group(_ header: Segment) -> GroupReport {
        if header.hasTag("GS") {
            return GroupReport(
                functionalIdentifier: header[1]?.text ?? "",
                controlNumber: header[6]?.text ?? "",
                applicationSender: header[2]?.text ?? "",
                applicationReceiver: header[3]?.text ?? "",
                version: header[8]?.text ?? ""
            )
        }
        return GroupReport(
            functionalIdentifier: header[1]?.text ?? "",
            controlNumber: header[5]?.text ?? "",
            applicationSender: header[2]?.component(1)?.text ?? "",
            applicationReceiver: header[3]?.component(1)?.text ?? "",
            version: header[6]?.components.map(\.text).joined(separator: ":") ?? ""
        )
    }

    private mutating func add(_ transaction: Transaction) throws(GrammarError) {
        guard let groupCount = self.report?.groups.count, groupCount > 0 else { return }
        let groupIndex = groupCount - 1
        let identification: (type: String, controlNumber: String, version: String, isX12: Bool)
        if let fast = Self.identification(of: transaction, reusing: self.lastIdentity) {
            identification = fast
            self.lastIdentity = (fast.type, fast.version)
        } else {
            let header = transaction.header
            let isX12 = header.hasTag("ST")
            identification = (
                transaction.type, transaction.controlNumber,
                isX12
                    ? (header[3]?.text ?? "")
                    : (header[2]?.components.dropFirst().map(\.text).joined(separator: ":") ?? ""),
                isX12
            )
        }
        let isX12 = identification.isX12
        let type = identification.type
        // Consecutive transactions are mostly of one kind: the last type's check is kept.
        let isPlain = self.lastPlainType == type || GrammarCatalog.isPlainName(type)
        if isPlain { self.lastPlainType = type }
        var entry = TransactionReport(
            type: isPlain ? type : "",
            controlNumber: identification.controlNumber,
            version: identification.version,
            hasTrailer: transaction.hasTrailer
        )
        let grammar: CompiledGrammar?
        if let guide = self.guide {
            grammar = guide.compiled
        } else {
            let group = self.report?.groups[groupIndex]
            let groupVersion = group?.hasHeader == true && isX12 ? group?.version : nil
            let syntaxVersion = self.report?.syntaxVersion
            // Consecutive transactions are mostly of one kind: the last lookup is kept.
            let messageVersion = isX12 ? nil : identification.version
            if let last = self.lastLookup, last.type == type, last.groupVersion == groupVersion,
                last.syntaxVersion == syntaxVersion, last.messageVersion == messageVersion
            {
                grammar = last.grammar
            } else {
                let found = try self.catalog.grammar(
                    for: transaction,
                    groupVersion: groupVersion,
                    syntaxVersion: syntaxVersion
                )
                grammar = found?.replaced(byOneOf: self.documentGuides).compiled
                self.lastLookup = (type, groupVersion, syntaxVersion, messageVersion, grammar)
            }
        }
        if let grammar {
            let configuration =
                self.documentConfigurations.isEmpty
                ? self.configuration : self.documentConfigurations[entry.type] ?? self.configuration
            if self.defersChecks {
                let last = transaction.segment(at: transaction.segmentCount) ?? transaction.header
                self.deferredCheckBytes += last.byteOffset + last.rawBytes.count - transaction.header.byteOffset
                self.checks.append(
                    TransactionCheck(
                        position: TransactionCheck.Position(
                            report: self.openedReports - 1,
                            group: groupIndex,
                            index: self.report?.groups[groupIndex].transactions.count ?? 0
                        ),
                        transaction: transaction,
                        grammar: grammar,
                        configuration: configuration
                    )
                )
            } else {
                if !isKnownUniquelyReferenced(&self.memory) { self.memory = ValidationMemory() }
                entry.findings = Validator.validate(
                    transaction,
                    grammar: grammar,
                    configuration: configuration,
                    memory: self.memory
                )
            }
        } else {
            entry.isSupported = false
            entry.findings = [Validator.notSupported(transaction)]
        }
        if let reference = self.businessUnitReferences[entry.type] {
            entry.businessUnitIdentifier = Self.value(of: reference, in: transaction).map { (reference, $0) }
        }
        // In place: a copy of the report here would copy every transaction of the interchange again.
        self.report?.groups[groupIndex].transactions.append(entry)
        while self.transactionRanges.count <= groupIndex { self.transactionRanges.append([]) }
        let first = transaction.header.number
        self.transactionRanges[groupIndex].append(first...(first + transaction.segmentCount - 1))
    }

    /// Puts each reader finding at the level whose segments it falls in: a transaction, a group, or the
    /// interchange envelope.
    private func place(_ report: inout InterchangeReport) {
        for finding in self.envelopeFindings {
            let number = finding.location.segmentNumber
            var placed = false
            for (groupIndex, ranges) in self.transactionRanges.enumerated() where groupIndex < report.groups.count {
                if let index = ranges.firstIndex(where: { $0.contains(number) }),
                    index < report.groups[groupIndex].transactions.count
                {
                    report.groups[groupIndex].transactions[index].findings.append(finding)
                    placed = true
                    break
                }
            }
            if placed { continue }
            if let groupIndex = self.groupRanges.firstIndex(where: { $0.contains(number) }),
                groupIndex < report.groups.count
            {
                report.groups[groupIndex].findings.append(finding)
                continue
            }
            report.findings.append(finding)
        }
    }

    /// The type, control number and version (ST01, ST02, ST03; UNH02-1, UNH01, UNH02-2…) read straight from the
    /// header's bytes, or `nil` when they need decoding (escaped or non-ASCII bytes): then the views are used.
    /// `reusing` is the previous transaction's type and version: equal bytes give the same strings back, so a
    /// stream of one kind of transaction decodes only control numbers.
    static func identification(
        of transaction: Transaction,
        reusing last: (type: String, version: String)? = nil
    ) -> (type: String, controlNumber: String, version: String, isX12: Bool)? {
        transaction.withTables { tables in
            guard tables.segmentCount > 0 else { return nil }
            let header = tables.segment(1)
            guard !header.needsViews, header.elementCount >= 2 else { return nil }
            func text(_ range: Range<Int>, reusing known: String? = nil) -> String? {
                let bytes = UnsafeRawBufferPointer(rebasing: tables.bytes[range])
                if let known, Self.equal(known, bytes) { return known }
                guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
                return String(decoding: bytes, as: UTF8.self)
            }
            if header.tag == Self.transactionHeaderTag {
                guard let type = text(header.element(1), reusing: last?.type), let control = text(header.element(2))
                else { return nil }
                let version = header.elementCount >= 3 ? text(header.element(3), reusing: last?.version) : ""
                return version.map { (type, control, $0, true) }
            }
            // UNH01 is the control number; UNH02 is type:version:release:agency[:association].
            let identifier = header.element(2)
            let separator = tables.delimiters.component
            var split = identifier.upperBound
            for index in identifier where tables.bytes[index] == separator {
                split = index
                break
            }
            let reusedVersion = separator == UInt8(ascii: ":") ? last?.version : nil
            guard let control = text(header.element(1)),
                let type = text(identifier.lowerBound..<split, reusing: last?.type),
                let rest = split < identifier.upperBound
                    ? text((split + 1)..<identifier.upperBound, reusing: reusedVersion) : ""
            else { return nil }
            // Components joined with ':' whatever the interchange's component separator.
            let version =
                separator == UInt8(ascii: ":")
                ? rest : String(decoding: rest.utf8.map { $0 == separator ? UInt8(ascii: ":") : $0 }, as: UTF8.self)
            return (type, control, version, false)
        }
    }

    private static let transactionHeaderTag = SegmentTag("ST")

    /// Whether `text`'s UTF-8 bytes are `bytes`, compared in place (a native string's bytes are contiguous).
    private static func equal(_ text: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            guard utf8.count == bytes.count else { return false }
            var index = 0
            while index < utf8.count {
                if utf8[index] != bytes[index] { return false }
                index &+= 1
            }
            return true
        }
    }

    /// The first value of `reference` (`BSN02`, `BGM02-1`) in the transaction, up to 35 characters (CTX01-2).
    static func value(of reference: String, in transaction: Transaction) -> String? {
        let parts = reference.split(separator: "-")
        guard let first = parts.first, first.count >= 4, let position = Int(first.suffix(2)) else { return nil }
        let tag = String(first.dropLast(2))
        let component = parts.count > 1 ? Int(parts[1]) : nil
        for index in 1...transaction.segmentCount {
            guard let segment = transaction.segment(at: index), segment.hasTag(tag), let element = segment[position]
            else {
                continue
            }
            let text = component.flatMap { element.component($0)?.text } ?? element.text
            if text.isEmpty { continue }
            return String(text.prefix(35))
        }
        return nil
    }

    /// `text` without trailing spaces (ISA06 and ISA08 are padded to 15), trimmed on bytes: spaces are ASCII.
    private static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: " ") {
            end = utf8.index(before: end)
        }
        return end == utf8.endIndex ? text : String(text[..<end])
    }
}

extension InterchangeValidation {
    /// Reads `bytes` whole and returns the report of every interchange in them; a syntax error ends reading and
    /// is thrown, as is a grammar file that does not load.
    public mutating func reports(
        _ bytes: [UInt8],
        configuration: ReaderConfiguration = ReaderConfiguration()
    ) throws -> [InterchangeReport] {
        precondition(!self.defersChecks, "reports(_:) checks in place; a validation that defers needs a runner")
        var reader = EDIReader(configuration: configuration)
        reader.append(bytes)
        reader.finish()
        var reports: [InterchangeReport] = []
        while let event = try reader.next() {
            if let report = try self.add(event) { reports.append(report) }
        }
        if let report = self.finish() { reports.append(report) }
        return reports
    }
}

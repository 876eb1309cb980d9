public import EDICore

/// Settings of a validation run.
public struct ValidationConfiguration: Sendable {
    /// The most findings reported for one transaction; one more finding says the cap was reached.
    public var maximumFindingsPerTransaction: Int
    /// HL03 level paths that replace the grammar's (a partner's profile may require S-O-P-I only).
    public var hierarchy: [[String]]?

    /// Creates a configuration.
    public init(maximumFindingsPerTransaction: Int = 100, hierarchy: [[String]]? = nil) {
        self.maximumFindingsPerTransaction = maximumFindingsPerTransaction
        self.hierarchy = hierarchy
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

    /// Every finding in `transaction`, in the order of the segments, up to the configured cap.
    public func validate(_ transaction: Transaction) -> [Finding] {
        var run = ValidationRun(grammar: self.grammar, configuration: self.configuration)
        run.validate(transaction)
        return run.findings
    }
}

/// One transaction's validation: the structure cursor and the findings so far.
struct ValidationRun {
    let grammar: Grammar
    let configuration: ValidationConfiguration
    private(set) var findings: [Finding] = []
    private var full = false

    /// A loop being walked: which child is current and how often it occurred.
    private struct Frame {
        var loop: LoopDefinition
        var index: Int
        var count: Int
    }
    private var stack: [Frame]
    /// The decimal mark and whether lengths count Unicode scalars (UTF-8) rather than bytes, per segment.
    private var valueContext: (decimalMark: UInt8, countsScalars: Bool) = (UInt8(ascii: "."), false)

    init(grammar: Grammar, configuration: ValidationConfiguration) {
        self.grammar = grammar
        self.configuration = configuration
        self.stack = [Frame(loop: grammar.structure, index: 0, count: 0)]
    }

    private mutating func report(_ finding: Finding) {
        guard !self.full else { return }
        if self.findings.count >= self.configuration.maximumFindingsPerTransaction {
            self.full = true
            self.findings.append(
                ValidationFindings.findingLimitReached(
                    self.configuration.maximumFindingsPerTransaction,
                    at: finding.location
                )
            )
            return
        }
        self.findings.append(finding)
    }

    private var loopPath: [String] {
        self.stack.dropFirst().map(\.loop.identifier)
    }

    mutating func validate(_ transaction: Transaction) {
        var lastLocation = transaction.header.location
        for position in 1...transaction.segmentCount {
            guard let segment = transaction.segment(at: position) else { break }
            var location = segment.location
            location.transactionSegmentNumber = position
            lastLocation = location
            let tag = segment.tag
            if let definition = self.place(tag, at: location) {
                self.checkElements(segment, definition: definition, location: location)
            }
        }
        // The end of the transaction closes every open loop; a missing trailer is the reader's finding.
        var end = lastLocation
        end.transactionSegmentNumber = (lastLocation.transactionSegmentNumber ?? 0) + 1
        while !self.stack.isEmpty {
            self.close(self.stack.count - 1, before: nil, at: end)
            self.stack.removeLast()
        }
        self.checkTotals(transaction)
        if !self.grammar.hierarchy.isEmpty || self.configuration.hierarchy != nil {
            self.checkHierarchy(transaction)
        }
    }

    // MARK: Structure

    /// Finds the position of `tag` from the cursor on, as X12 and EDIFACT define: forward in the current loop,
    /// then in each enclosing loop (which ends the inner ones). Returns the segment's definition when placed.
    private mutating func place(_ tag: String, at location: Location) -> SegmentDefinition? {
        var depth = self.stack.count - 1
        while depth >= 0 {
            let frame = self.stack[depth]
            let children = frame.loop.children
            // Inside a loop, its trigger segment again starts the next occurrence, which the enclosing level
            // places; so the search there starts after the trigger.
            var index = depth > 0 ? max(frame.index, 1) : frame.index
            while index < children.count {
                if children[index].tag == tag {
                    self.advance(depth: depth, to: index, tag: tag, at: location)
                    return self.grammar.segments[tag]
                }
                index += 1
            }
            depth -= 1
        }
        if self.grammar.segments[tag] == nil {
            self.report(
                ValidationFindings.segmentNotInTransaction(
                    tag,
                    document: self.grammar.document,
                    at: location,
                    loops: self.loopPath
                )
            )
        } else {
            self.report(ValidationFindings.segmentOutOfSequence(tag, at: location, loops: self.loopPath))
        }
        return nil
    }

    /// Moves the cursor to child `index` of the loop at `depth`, closing deeper loops and reporting mandatory
    /// positions skipped and repeats exceeded.
    private mutating func advance(depth: Int, to index: Int, tag: String, at location: Location) {
        while self.stack.count - 1 > depth {
            self.close(self.stack.count - 1, before: tag, at: location)
            self.stack.removeLast()
        }
        let frame = self.stack[depth]
        let children = frame.loop.children
        if index == frame.index && frame.count > 0 {
            self.stack[depth].count += 1
        } else {
            let firstSkipped = frame.count > 0 ? frame.index + 1 : frame.index
            if firstSkipped < index {
                for skipped in firstSkipped..<index {
                    self.reportMissing(children[skipped], before: tag, at: location)
                }
            }
            self.stack[depth].index = index
            self.stack[depth].count = 1
        }
        let count = self.stack[depth].count
        switch children[index] {
        case .segment(let use):
            if let maximum = use.maximumRepeat, count == maximum + 1 {
                self.report(
                    ValidationFindings.segmentRepeatExceeded(tag, maximum: maximum, at: location, loops: self.loopPath)
                )
            }
        case .loop(let loop):
            if let maximum = loop.maximumRepeat, count == maximum + 1 {
                self.report(
                    ValidationFindings.loopRepeatExceeded(
                        loop.identifier,
                        maximum: maximum,
                        at: location,
                        loops: self.loopPath
                    )
                )
            }
            // The trigger segment is the loop's first child, now used once.
            self.stack.append(Frame(loop: loop, index: 0, count: 1))
        }
    }

    /// Reports the mandatory children after the cursor of the loop at `depth`, which is ending.
    private mutating func close(_ depth: Int, before tag: String?, at location: Location) {
        let frame = self.stack[depth]
        let children = frame.loop.children
        let firstSkipped = frame.count > 0 ? frame.index + 1 : frame.index
        guard firstSkipped < children.count else { return }
        for skipped in firstSkipped..<children.count {
            // Trailers are the reader's to report (missingTrailer), not validation's.
            if depth == 0 && (children[skipped].tag == "SE" || children[skipped].tag == "UNT") { continue }
            self.reportMissing(children[skipped], before: tag, at: location)
        }
    }

    private mutating func reportMissing(_ node: StructureNode, before tag: String?, at location: Location) {
        guard node.usage == .mandatory else { return }
        var missing = location
        missing.segmentTag = node.tag
        missing.elementPosition = nil
        var loop: String?
        if case .loop(let definition) = node { loop = definition.identifier }
        self.report(
            ValidationFindings.mandatorySegmentMissing(
                node.tag,
                loop: loop,
                before: tag,
                at: missing,
                loops: self.loopPath
            )
        )
    }

    // MARK: Elements

    private mutating func checkElements(_ segment: Segment, definition: SegmentDefinition, location: Location) {
        self.valueContext = (segment.delimiters.decimalMark, segment.characterSet.encoding == .utf8)
        let loops = self.loopPath
        let elementCount = segment.elementCount
        let slots = definition.elements
        if elementCount > slots.count {
            // Trailing empty elements are padding some writers leave; only a value beyond the last slot counts.
            var last = elementCount
            while last > slots.count, segment[last]?.isEmpty ?? true { last -= 1 }
            if last > slots.count, let element = segment[slots.count + 1] {
                self.report(
                    ValidationFindings.tooManyElements(
                        definition.tag,
                        defined: slots.count,
                        found: last,
                        at: element.location.with(segment: location),
                        loops: loops
                    )
                )
            }
        }
        var present = [Bool](repeating: false, count: slots.count)
        for (index, slot) in slots.enumerated() {
            let position = index + 1
            guard let element = segment[position] else {
                if slot.usage == .mandatory {
                    let at = location.at(element: position)
                    self.report(
                        ValidationFindings.mandatoryElementMissing(at: at, loops: loops, reference: slot.reference)
                    )
                }
                continue
            }
            // Repetition indexes are reported only where the element repeats (or repeats when it may not).
            let split = segment.delimiters.repetition != nil ? element.repetitions : [element]
            let repetitions = split.count > 1 ? split : [element]
            let nonEmpty = repetitions.filter { !$0.isEmpty }
            if nonEmpty.isEmpty {
                if slot.usage == .mandatory {
                    self.report(
                        ValidationFindings.mandatoryElementMissing(
                            at: element.location.with(segment: location),
                            loops: loops,
                            reference: slot.reference
                        )
                    )
                }
                continue
            }
            present[index] = true
            if repetitions.count > slot.maximumRepeat {
                self.report(
                    ValidationFindings.tooManyRepetitions(
                        maximum: slot.maximumRepeat,
                        found: repetitions.count,
                        at: element.location.with(segment: location),
                        loops: loops,
                        reference: slot.reference
                    )
                )
            }
            for repetition in nonEmpty.prefix(slot.maximumRepeat) {
                switch slot.content {
                case .simple(let definition):
                    let components = repetition.components
                    if components.count > 1 && components.dropFirst().contains(where: { !$0.isEmpty }) {
                        self.report(
                            ValidationFindings.tooManyComponents(
                                maximum: 1,
                                found: components.count,
                                at: repetition.location.with(segment: location),
                                loops: loops,
                                reference: definition.identifier
                            )
                        )
                    }
                    self.checkValue(
                        of: repetition,
                        definition: definition,
                        at: repetition.location.with(segment: location),
                        loops: loops
                    )
                case .composite(let composite):
                    self.checkComposite(repetition, composite: composite, segmentLocation: location, loops: loops)
                }
            }
        }
        self.checkNotes(definition.syntaxNotes, present: present, references: slots.map(\.reference)) { position in
            location.at(element: position)
        }
    }

    private mutating func checkComposite(
        _ element: Element,
        composite: CompositeDefinition,
        segmentLocation: Location,
        loops: [String]
    ) {
        let components = element.components
        let slots = composite.components
        if components.count > slots.count {
            var last = components.count
            while last > slots.count, components[last - 1].isEmpty { last -= 1 }
            if last > slots.count {
                self.report(
                    ValidationFindings.tooManyComponents(
                        maximum: slots.count,
                        found: last,
                        at: components[slots.count].location.with(segment: segmentLocation),
                        loops: loops,
                        reference: composite.identifier
                    )
                )
            }
        }
        var present = [Bool](repeating: false, count: slots.count)
        for (index, slot) in slots.enumerated() {
            let component = index < components.count ? components[index] : nil
            guard let component, !component.isEmpty else {
                if slot.usage == .mandatory {
                    var at = element.location.with(segment: segmentLocation)
                    at.componentPosition = index + 1
                    self.report(
                        ValidationFindings.mandatoryElementMissing(
                            at: at,
                            loops: loops,
                            reference: slot.element.identifier
                        )
                    )
                }
                continue
            }
            present[index] = true
            self.checkValue(
                of: component,
                definition: slot.element,
                at: component.location.with(segment: segmentLocation),
                loops: loops
            )
        }
        let base = element.location.with(segment: segmentLocation)
        self.checkNotes(composite.syntaxNotes, present: present, references: slots.map(\.element.identifier)) {
            position in
            var at = base
            at.componentPosition = position
            return at
        }
    }

    private mutating func checkNotes(
        _ notes: [SyntaxNote],
        present: [Bool],
        references: [String],
        location: (Int) -> Location
    ) {
        let loops = self.loopPath
        for note in notes {
            let flags = note.positions.map { $0 <= present.count && present[$0 - 1] }
            let count = flags.filter { $0 }.count
            let first = flags[0]
            // The note's first element, when present, is what makes the others matter (999 CTX).
            // For exclusions, the first element present is the one the others may not join.
            let firstPresent = note.positions.first { $0 <= present.count && present[$0 - 1] }
            let trigger: Location? =
                switch note.kind {
                case .exclusive, .exactlyOne: firstPresent.map(location)
                default: first ? location(note.positions[0]) : nil
                }
            func missing(_ positions: some Sequence<Int>) {
                for position in positions where !(position <= present.count && present[position - 1]) {
                    self.report(
                        ValidationFindings.conditionalElementMissing(
                            note: note.text,
                            at: location(position),
                            loops: loops,
                            reference: references[position - 1],
                            trigger: trigger
                        )
                    )
                }
            }
            func excluded(_ positions: some Sequence<Int>) {
                for position in positions where position <= present.count && present[position - 1] {
                    self.report(
                        ValidationFindings.exclusionViolated(
                            note: note.text,
                            at: location(position),
                            loops: loops,
                            reference: references[position - 1],
                            trigger: trigger
                        )
                    )
                }
            }
            switch note.kind {
            case .paired:
                if count > 0 && count < flags.count { missing(note.positions) }
            case .required:
                if count == 0 { missing(note.positions.prefix(1)) }
            case .exclusive:
                if count > 1 { excluded(note.positions.filter { $0 <= present.count && present[$0 - 1] }.dropFirst()) }
            case .exactlyOne:
                if count == 0 { missing(note.positions.prefix(1)) }
                if count > 1 { excluded(note.positions.filter { $0 <= present.count && present[$0 - 1] }.dropFirst()) }
            case .conditional:
                if first { missing(note.positions.dropFirst()) }
            case .listConditional:
                if first && count == 1 { missing(note.positions.dropFirst().prefix(1)) }
            case .firstExcludesOthers:
                if first { excluded(note.positions.dropFirst()) }
            }
        }
    }

    /// Type, length, code list, date and time of one value.
    private mutating func checkValue(
        of value: some ValueView,
        definition: ElementDefinition,
        at location: Location,
        loops: [String]
    ) {
        let (decimalMark, countsScalars) = self.valueContext
        let result = value.withValueBytes { bytes in
            ValueCheck.check(bytes, definition: definition, decimalMark: decimalMark, countsScalars: countsScalars)
        }
        guard let (code, length) = result else { return }
        let reference = definition.identifier
        switch code {
        case .elementTooShort, .elementTooLong:
            self.report(
                ValidationFindings.length(
                    code,
                    minimum: definition.minimumLength,
                    maximum: definition.maximumLength,
                    found: length,
                    at: location,
                    loops: loops,
                    reference: reference
                )
            )
        case .invalidCodeValue:
            self.report(
                ValidationFindings.invalidCodeValue(
                    allowed: definition.codes ?? [],
                    length: length,
                    at: location,
                    loops: loops,
                    reference: reference
                )
            )
        case .invalidDate:
            self.report(ValidationFindings.invalidDate(at: location, loops: loops, reference: reference))
        case .invalidTime:
            self.report(ValidationFindings.invalidTime(at: location, loops: loops, reference: reference))
        default:
            self.report(
                ValidationFindings.invalidCharacter(
                    type: ValueCheck.typeDescription(definition.type),
                    at: location,
                    loops: loops,
                    reference: reference
                )
            )
        }
    }

    // MARK: Document rules

    private mutating func checkTotals(_ transaction: Transaction) {
        guard !self.grammar.totals.isEmpty else { return }
        let segments = transaction.segments
        for rule in self.grammar.totals {
            let counted = segments.count { $0.hasTag(rule.countedTag) }
            for (offset, segment) in segments.enumerated() where segment.hasTag(rule.tag) {
                if let qualifier = rule.qualifierPosition, let value = rule.qualifierValue {
                    guard let element = segment[qualifier] else { continue }
                    if let component = rule.qualifierComponent {
                        guard element.component(component)?.text == value else { continue }
                    } else {
                        guard element.hasValue(value) else { continue }
                    }
                }
                guard let whole = segment[rule.position] else { continue }
                let element: any ValueView & Located
                if let position = rule.component {
                    guard let component = whole.component(position) else { continue }
                    element = component
                } else {
                    element = whole
                }
                guard element.byteCount > 0 else { continue }
                let found = element.withValueBytes { ValueCheck.integer($0) }
                if found != counted {
                    var location = element.location
                    location.transactionSegmentNumber = offset + 1
                    self.report(
                        ValidationFindings.totalMismatch(
                            counted: rule.countedTag,
                            expected: counted,
                            at: location,
                            loops: [],
                            reference: self.reference(of: rule)
                        )
                    )
                }
            }
        }
    }

    /// The dictionary reference of a total's element or component.
    private func reference(of rule: TotalRule) -> String {
        guard let slot = self.grammar.segments[rule.tag]?.elements[rule.position - 1] else { return "" }
        if let component = rule.component, case .composite(let composite) = slot.content {
            return composite.components[component - 1].element.identifier
        }
        return slot.reference
    }

    /// HL01 numbered 1, 2, 3…; HL02 an earlier HL01; HL03 under its parent as a hierarchy path allows; HL04 1
    /// exactly when children follow.
    private mutating func checkHierarchy(_ transaction: Transaction) {
        let paths = self.configuration.hierarchy ?? self.grammar.hierarchy
        struct Level {
            var id: String
            var parent: String?
            var level: String
            var childCode: String?
            var segment: Segment
            var position: Int
        }
        var levels: [Level] = []
        for position in 1...transaction.segmentCount {
            guard let segment = transaction.segment(at: position), segment.hasTag("HL") else { continue }
            let parent = segment[2].flatMap { $0.isEmpty ? nil : $0.text }
            levels.append(
                Level(
                    id: segment[1]?.text ?? "",
                    parent: parent,
                    level: segment[3]?.text ?? "",
                    childCode: segment[4].flatMap { $0.isEmpty ? nil : $0.text },
                    segment: segment,
                    position: position
                )
            )
        }
        var levelByID: [String: String] = [:]
        var hasChildren: Set<String> = []
        for level in levels { if let parent = level.parent { hasChildren.insert(parent) } }
        let loops = ["HL"]
        func location(_ level: Level, _ element: Int) -> Location {
            var location = level.segment[element]?.location ?? level.segment.location.at(element: element)
            location.transactionSegmentNumber = level.position
            return location
        }
        for (index, level) in levels.enumerated() {
            if level.id != String(index + 1) {
                self.report(
                    ValidationFindings.hierarchy(
                        .hierarchyNumbering,
                        "expected HL01 \(index + 1), numbering HLs in order from 1, found another number",
                        at: location(level, 1),
                        loops: loops,
                        reference: "628"
                    )
                )
            }
            if let parent = level.parent {
                if let parentLevel = levelByID[parent] {
                    let allowed = paths.contains { path in
                        zip(path, path.dropFirst()).contains { $0 == parentLevel && $1 == level.level }
                    }
                    if !paths.isEmpty && !allowed {
                        self.report(
                            ValidationFindings.hierarchy(
                                .hierarchyLevel,
                                "expected an HL03 level allowed under level \(parentLevel) (\(Self.describe(paths))), found \(level.level)",
                                at: location(level, 3),
                                loops: loops,
                                reference: "735"
                            )
                        )
                    }
                } else {
                    self.report(
                        ValidationFindings.hierarchy(
                            .hierarchyParent,
                            "expected HL02 to name an earlier HL, found none with that number",
                            at: location(level, 2),
                            loops: loops,
                            reference: "734"
                        )
                    )
                }
            } else if !paths.isEmpty && !paths.contains(where: { $0.first == level.level }) {
                self.report(
                    ValidationFindings.hierarchy(
                        .hierarchyLevel,
                        "expected a top-level HL03 of \(Set(paths.compactMap(\.first)).sorted().joined(separator: " or ")), found \(level.level)",
                        at: location(level, 3),
                        loops: loops,
                        reference: "735"
                    )
                )
            }
            if let childCode = level.childCode {
                let expected = hasChildren.contains(level.id) ? "1" : "0"
                if childCode != expected {
                    self.report(
                        ValidationFindings.hierarchy(
                            .hierarchyChildCode,
                            "expected HL04 \(expected) as \(expected == "1" ? "children follow" : "no children follow"), found \(childCode == "1" || childCode == "0" ? childCode : "another code")",
                            at: location(level, 4),
                            loops: loops,
                            reference: "736"
                        )
                    )
                }
            }
            if levelByID[level.id] == nil { levelByID[level.id] = level.level }
        }
    }

    private static func describe(_ paths: [[String]]) -> String {
        paths.map { $0.joined(separator: "-") }.joined(separator: ", ")
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

import EDICore

/// One transaction's validation: the structure cursor, the element checks of the segment at hand, and the
/// findings so far.
///
/// Written for speed: tags are compared packed, values are read in place (``Segment/forEachValue(_:)``), and
/// locations, loop paths and messages are built only when something is reported.
struct ValidationRun {
    let grammar: Grammar
    let compiled: CompiledGrammar
    let configuration: ValidationConfiguration
    private(set) var findings: [Finding] = []
    private var full = false

    /// A loop being walked: which child is current and how often it occurred.
    private struct Frame {
        var loop: CompiledLoop
        var index: Int
        var count: Int
    }
    private var stack: [Frame]

    /// The segment at hand and its position in the transaction (ST = 1).
    private var segment: Segment?
    private var position = 0
    /// The decimal mark and whether lengths count Unicode scalars (UTF-8) rather than bytes.
    private var decimalMark = UInt8(ascii: ".")
    private var countsScalars = false

    /// Segments that totals count, and segments that hold totals (with their positions).
    private var counted: [Int]
    private var totalSegments: [(Segment, Int)] = []
    /// HL segments with their positions, for the hierarchy rule.
    private var hierarchySegments: [(Segment, Int)] = []
    private let checksHierarchy: Bool

    init(grammar: Grammar, configuration: ValidationConfiguration) {
        self.grammar = grammar
        self.compiled = grammar.compiled
        self.configuration = configuration
        self.stack = [Frame(loop: grammar.compiled.root, index: 0, count: 0)]
        self.counted = [Int](repeating: 0, count: grammar.compiled.countedTags.count)
        self.checksHierarchy = !grammar.hierarchy.isEmpty || configuration.hierarchy != nil
    }

    // MARK: Reporting

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

    /// The location of the segment at hand, or of one of its values.
    private func location(
        element: Int? = nil,
        component: Int? = nil,
        repetition: Int? = nil,
        byteOffset: Int? = nil
    ) -> Location {
        guard let segment = self.segment else { return Location(byteOffset: 0) }
        var location = segment.location
        location.transactionSegmentNumber = self.position
        location.elementPosition = element
        location.componentPosition = component
        location.repetitionIndex = repetition
        if let byteOffset { location.byteOffset = byteOffset }
        return location
    }

    // MARK: Walk

    mutating func validate(_ transaction: Transaction) {
        let countedTags = self.compiled.countedTags
        let totalTags = self.compiled.totalTags
        let hierarchyTag = SegmentTag("HL")
        for position in 1...max(1, transaction.segmentCount) {
            guard let segment = transaction.segment(at: position) else { break }
            self.segment = segment
            self.position = position
            let tag = segment.packedTag
            if !countedTags.isEmpty {
                for (index, counted) in countedTags.enumerated() where counted == tag { self.counted[index] += 1 }
                if totalTags.contains(tag) { self.totalSegments.append((segment, position)) }
            }
            if self.checksHierarchy && tag == hierarchyTag { self.hierarchySegments.append((segment, position)) }
            if let definition = self.place(tag) {
                self.checkElements(segment, definition: definition)
            }
        }
        // The end of the transaction closes every open loop; a missing trailer is the reader's finding.
        self.position += 1
        while !self.stack.isEmpty {
            self.close(self.stack.count - 1, before: nil)
            self.stack.removeLast()
        }
        self.checkTotals()
        if self.checksHierarchy { self.checkHierarchy() }
    }

    /// Finds the position of `tag` from the cursor on, as X12 and EDIFACT define: forward in the current loop,
    /// then in each enclosing loop (which ends the inner ones). Returns the segment's definition when placed.
    private mutating func place(_ tag: SegmentTag) -> SegmentDefinition? {
        var depth = self.stack.count - 1
        while depth >= 0 {
            let frame = self.stack[depth]
            let tags = frame.loop.tags
            // Inside a loop, its trigger segment again starts the next occurrence, which the enclosing level
            // places; so the search there starts after the trigger.
            var index = depth > 0 ? max(frame.index, 1) : frame.index
            while index < tags.count {
                if tags[index] == tag {
                    self.advance(depth: depth, to: index)
                    return self.compiled.segments[tag]
                }
                index += 1
            }
            depth -= 1
        }
        let name = self.segment?.tag ?? ""
        if self.compiled.segments[tag] == nil {
            self.report(
                ValidationFindings.segmentNotInTransaction(
                    name,
                    document: self.grammar.document,
                    at: self.location(),
                    loops: self.loopPath
                )
            )
        } else {
            self.report(ValidationFindings.segmentOutOfSequence(name, at: self.location(), loops: self.loopPath))
        }
        return nil
    }

    /// Moves the cursor to child `index` of the loop at `depth`, closing deeper loops and reporting mandatory
    /// positions skipped and repeats exceeded.
    private mutating func advance(depth: Int, to index: Int) {
        while self.stack.count - 1 > depth {
            self.close(self.stack.count - 1, before: self.segment)
            self.stack.removeLast()
        }
        let frame = self.stack[depth]
        let loop = frame.loop
        if index == frame.index && frame.count > 0 {
            self.stack[depth].count += 1
        } else {
            let firstSkipped = frame.count > 0 ? frame.index + 1 : frame.index
            if firstSkipped < index {
                for skipped in firstSkipped..<index {
                    self.reportMissing(loop, skipped, before: self.segment)
                }
            }
            self.stack[depth].index = index
            self.stack[depth].count = 1
        }
        let count = self.stack[depth].count
        if let nested = loop.loops[index] {
            if let maximum = nested.maximumRepeat, count == maximum + 1 {
                self.report(
                    ValidationFindings.loopRepeatExceeded(
                        nested.identifier,
                        maximum: maximum,
                        at: self.location(),
                        loops: self.loopPath
                    )
                )
            }
            // The trigger segment is the loop's first child, now used once.
            self.stack.append(Frame(loop: nested, index: 0, count: 1))
        } else if let maximum = loop.repeats[index], count == maximum + 1 {
            self.report(
                ValidationFindings.segmentRepeatExceeded(
                    loop.names[index],
                    maximum: maximum,
                    at: self.location(),
                    loops: self.loopPath
                )
            )
        }
    }

    /// Reports the mandatory children after the cursor of the loop at `depth`, which is ending.
    private mutating func close(_ depth: Int, before next: Segment?) {
        let frame = self.stack[depth]
        let loop = frame.loop
        let firstSkipped = frame.count > 0 ? frame.index + 1 : frame.index
        guard firstSkipped < loop.tags.count else { return }
        for skipped in firstSkipped..<loop.tags.count {
            // Trailers are the reader's to report (missingTrailer), not validation's.
            if depth == 0 && (loop.names[skipped] == "SE" || loop.names[skipped] == "UNT") { continue }
            self.reportMissing(loop, skipped, before: next)
        }
    }

    private mutating func reportMissing(_ loop: CompiledLoop, _ index: Int, before next: Segment?) {
        guard loop.usages[index] == .mandatory else { return }
        var missing = next.map { _ in self.location() } ?? self.location()
        if next == nil {
            // At the end of the transaction: the position after the last segment.
            missing.transactionSegmentNumber = self.position
        }
        missing.segmentTag = loop.names[index]
        missing.elementPosition = nil
        self.report(
            ValidationFindings.mandatorySegmentMissing(
                loop.names[index],
                loop: loop.loops[index]?.identifier,
                before: next?.tag,
                at: missing,
                loops: self.loopPath
            )
        )
    }

    // MARK: Elements

    /// What is known of the element being read, filled value by value.
    private struct ElementState {
        var position = 0
        var slot: ElementSlot?
        var present = false
        var repetitions = 0
        var firstByteOffset = 0
        // The repetition being read.
        var repetition = 0
        var repetitionPresent = false
        var repetitionOffset = 0
        var componentsPresent: UInt64 = 0
        var extraComponent = 0
        var extraComponentOffset = 0
    }

    private mutating func checkElements(_ segment: Segment, definition: SegmentDefinition) {
        let delimiters = segment.delimiters
        self.decimalMark = delimiters.decimalMark
        self.countsScalars = segment.characterSet.encoding == .utf8
        let slots = definition.elements
        var present = SlotSet()
        var state = ElementState()
        var beyond = 0
        var beyondOffset = 0
        segment.forEachValue { coordinates, bytes in
            if coordinates.element != state.position {
                self.finishElement(&state, present: &present)
                state = ElementState()
                state.position = coordinates.element
                state.slot = coordinates.element <= slots.count ? slots[coordinates.element - 1] : nil
                state.firstByteOffset = coordinates.byteOffset
            }
            guard let slot = state.slot else {
                // Beyond the defined elements: only a value counts (trailing empty elements are padding).
                if !bytes.isEmpty && coordinates.element > beyond {
                    if beyond == 0 { beyondOffset = coordinates.byteOffset }
                    beyond = coordinates.element
                }
                return
            }
            if coordinates.repetition != state.repetition {
                self.finishRepetition(&state)
                state.repetition = coordinates.repetition
                state.repetitions = coordinates.repetition
                state.repetitionPresent = false
                state.repetitionOffset = coordinates.byteOffset
                state.componentsPresent = 0
                state.extraComponent = 0
            }
            guard !bytes.isEmpty else { return }
            state.present = true
            state.repetitionPresent = true
            // Repetitions past the maximum are reported once, for the element, and not checked further.
            guard coordinates.repetition <= slot.maximumRepeat else { return }
            let repetition = slot.maximumRepeat > 1 || coordinates.repetition > 1 ? coordinates.repetition : nil
            switch slot.content {
            case .simple(let element):
                if coordinates.component > 1 {
                    if coordinates.component > state.extraComponent {
                        if state.extraComponent == 0 { state.extraComponentOffset = coordinates.byteOffset }
                        state.extraComponent = coordinates.component
                    }
                    return
                }
                self.checkValue(
                    bytes,
                    definition: element,
                    element: coordinates.element,
                    component: nil,
                    repetition: repetition,
                    byteOffset: coordinates.byteOffset
                )
            case .composite(let composite):
                guard coordinates.component <= composite.components.count else {
                    if coordinates.component > state.extraComponent {
                        if state.extraComponent == 0 { state.extraComponentOffset = coordinates.byteOffset }
                        state.extraComponent = coordinates.component
                    }
                    return
                }
                if coordinates.component <= 64 { state.componentsPresent |= 1 << UInt64(coordinates.component - 1) }
                self.checkValue(
                    bytes,
                    definition: composite.components[coordinates.component - 1].element,
                    element: coordinates.element,
                    component: coordinates.component,
                    repetition: repetition,
                    byteOffset: coordinates.byteOffset
                )
            }
        }
        self.finishElement(&state, present: &present)
        if beyond > 0 {
            self.report(
                ValidationFindings.tooManyElements(
                    definition.tag,
                    defined: slots.count,
                    found: beyond,
                    at: self.location(element: slots.count + 1, byteOffset: beyondOffset),
                    loops: self.loopPath
                )
            )
        }
        let elementCount = segment.elementCount
        if elementCount < slots.count {
            for position in (elementCount + 1)...slots.count where slots[position - 1].usage == .mandatory {
                self.report(
                    ValidationFindings.mandatoryElementMissing(
                        at: self.location(element: position),
                        loops: self.loopPath,
                        reference: slots[position - 1].reference
                    )
                )
            }
        }
        if !definition.syntaxNotes.isEmpty {
            self.checkNotes(definition.syntaxNotes, present: present, count: slots.count) { position in
                NotePosition(element: position, reference: slots[position - 1].reference)
            }
        }
    }

    /// Ends the element in `state`: repetitions, presence, and its last repetition's components.
    private mutating func finishElement(_ state: inout ElementState, present: inout SlotSet) {
        guard state.position > 0, let slot = state.slot else { return }
        self.finishRepetition(&state)
        if state.present {
            present.insert(state.position)
            if state.repetitions > slot.maximumRepeat {
                self.report(
                    ValidationFindings.tooManyRepetitions(
                        maximum: slot.maximumRepeat,
                        found: state.repetitions,
                        at: self.location(element: state.position, byteOffset: state.firstByteOffset),
                        loops: self.loopPath,
                        reference: slot.reference
                    )
                )
            }
        } else if slot.usage == .mandatory {
            self.report(
                ValidationFindings.mandatoryElementMissing(
                    at: self.location(element: state.position, byteOffset: state.firstByteOffset),
                    loops: self.loopPath,
                    reference: slot.reference
                )
            )
        }
    }

    /// Ends the repetition in `state`: extra components, and a composite's mandatory components and notes.
    private mutating func finishRepetition(_ state: inout ElementState) {
        guard state.repetition > 0, state.repetitionPresent, let slot = state.slot,
            state.repetition <= slot.maximumRepeat
        else { return }
        let repetition = slot.maximumRepeat > 1 || state.repetition > 1 ? state.repetition : nil
        switch slot.content {
        case .simple(let element):
            if state.extraComponent > 0 {
                self.report(
                    ValidationFindings.tooManyComponents(
                        maximum: 1,
                        found: state.extraComponent,
                        at: self.location(
                            element: state.position,
                            repetition: repetition,
                            byteOffset: state.repetitionOffset
                        ),
                        loops: self.loopPath,
                        reference: element.identifier
                    )
                )
            }
        case .composite(let composite):
            if state.extraComponent > 0 {
                self.report(
                    ValidationFindings.tooManyComponents(
                        maximum: composite.components.count,
                        found: state.extraComponent,
                        at: self.location(
                            element: state.position,
                            component: composite.components.count + 1,
                            repetition: repetition,
                            byteOffset: state.extraComponentOffset
                        ),
                        loops: self.loopPath,
                        reference: composite.identifier
                    )
                )
            }
            var present = SlotSet()
            for (index, component) in composite.components.enumerated() {
                let isPresent = index < 64 && state.componentsPresent & (1 << UInt64(index)) != 0
                if isPresent {
                    present.insert(index + 1)
                } else if component.usage == .mandatory {
                    self.report(
                        ValidationFindings.mandatoryElementMissing(
                            at: self.location(
                                element: state.position,
                                component: index + 1,
                                repetition: repetition,
                                byteOffset: state.repetitionOffset
                            ),
                            loops: self.loopPath,
                            reference: component.element.identifier
                        )
                    )
                }
            }
            if !composite.syntaxNotes.isEmpty {
                let position = state.position
                let offset = state.repetitionOffset
                self.checkNotes(composite.syntaxNotes, present: present, count: composite.components.count) {
                    component in
                    NotePosition(
                        element: position,
                        component: component,
                        repetition: repetition,
                        byteOffset: offset,
                        reference: composite.components[component - 1].element.identifier
                    )
                }
            }
        }
    }

    /// Where a position a syntax note names is, and its dictionary reference.
    private struct NotePosition {
        var element: Int
        var component: Int? = nil
        var repetition: Int? = nil
        var byteOffset: Int? = nil
        var reference: String
    }

    /// Checks syntax notes over the positions in `present`; `position` says where a note's position is.
    private mutating func checkNotes(
        _ notes: [SyntaxNote],
        present: SlotSet,
        count: Int,
        position: (Int) -> NotePosition
    ) {
        func describe(_ index: Int) -> (Location, String) {
            let where_ = position(index)
            return (
                self.location(
                    element: where_.element,
                    component: where_.component,
                    repetition: where_.repetition,
                    byteOffset: where_.byteOffset
                ),
                where_.reference
            )
        }
        for note in notes {
            let flags = note.positions.map { present.contains($0) }
            let presentCount = flags.count { $0 }
            let first = flags[0]
            // What makes the others matter (999 CTX): the first element of the note, or for exclusions the first
            // one present.
            let firstPresent = note.positions.first { present.contains($0) }
            let trigger: Location? =
                switch note.kind {
                case .exclusive, .exactlyOne: firstPresent.map { describe($0).0 }
                default: first ? describe(note.positions[0]).0 : nil
                }
            var missing: [Int] = []
            var excluded: [Int] = []
            switch note.kind {
            case .paired:
                if presentCount > 0 && presentCount < flags.count { missing = note.positions }
            case .required:
                if presentCount == 0 { missing = [note.positions[0]] }
            case .exclusive:
                if presentCount > 1 { excluded = Array(note.positions.filter { present.contains($0) }.dropFirst()) }
            case .exactlyOne:
                if presentCount == 0 { missing = [note.positions[0]] }
                if presentCount > 1 { excluded = Array(note.positions.filter { present.contains($0) }.dropFirst()) }
            case .conditional:
                if first { missing = Array(note.positions.dropFirst()) }
            case .listConditional:
                if first && presentCount == 1 { missing = Array(note.positions.dropFirst().prefix(1)) }
            case .firstExcludesOthers:
                if first { excluded = Array(note.positions.dropFirst()) }
            }
            for position in missing where !present.contains(position) {
                let (location, reference) = describe(position)
                self.report(
                    ValidationFindings.conditionalElementMissing(
                        note: note.text,
                        at: location,
                        loops: self.loopPath,
                        reference: reference,
                        trigger: trigger
                    )
                )
            }
            for position in excluded where present.contains(position) {
                let (location, reference) = describe(position)
                self.report(
                    ValidationFindings.exclusionViolated(
                        note: note.text,
                        at: location,
                        loops: self.loopPath,
                        reference: reference,
                        trigger: trigger
                    )
                )
            }
        }
    }

    /// Type, length, code list, date and time of one value.
    private mutating func checkValue(
        _ bytes: UnsafeRawBufferPointer,
        definition: ElementDefinition,
        element: Int,
        component: Int?,
        repetition: Int?,
        byteOffset: Int
    ) {
        guard
            let (code, length) = ValueCheck.check(
                bytes,
                definition: definition,
                decimalMark: self.decimalMark,
                countsScalars: self.countsScalars
            )
        else { return }
        let location = self.location(
            element: element,
            component: component,
            repetition: repetition,
            byteOffset: byteOffset
        )
        let loops = self.loopPath
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

    private mutating func checkTotals() {
        for (ruleIndex, rule) in self.grammar.totals.enumerated() {
            let tag = SegmentTag(rule.tag)
            for (segment, position) in self.totalSegments where segment.packedTag == tag {
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
                if let component = rule.component {
                    guard let part = whole.component(component) else { continue }
                    element = part
                } else {
                    element = whole
                }
                guard element.byteCount > 0 else { continue }
                let found = element.withValueBytes { ValueCheck.integer($0) }
                let expected = self.counted[ruleIndex]
                if found != expected {
                    var location = element.location
                    location.transactionSegmentNumber = position
                    self.report(
                        ValidationFindings.totalMismatch(
                            counted: rule.countedTag,
                            expected: expected,
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
    private mutating func checkHierarchy() {
        let paths = self.configuration.hierarchy ?? self.grammar.hierarchy
        struct Level {
            var id: String
            var parent: String?
            var level: String
            var childCode: String?
            var segment: Segment
            var position: Int
        }
        let levels = self.hierarchySegments.map { segment, position in
            Level(
                id: segment[1]?.text ?? "",
                parent: segment[2].flatMap { $0.isEmpty ? nil : $0.text },
                level: segment[3]?.text ?? "",
                childCode: segment[4].flatMap { $0.isEmpty ? nil : $0.text },
                segment: segment,
                position: position
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
        let described = paths.map { $0.joined(separator: "-") }.joined(separator: ", ")
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
                                "expected an HL03 level allowed under level \(parentLevel) (\(described)), found \(level.level)",
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
                let tops = Set(paths.compactMap(\.first)).sorted().joined(separator: " or ")
                self.report(
                    ValidationFindings.hierarchy(
                        .hierarchyLevel,
                        "expected a top-level HL03 of \(tops), found \(level.level)",
                        at: location(level, 3),
                        loops: loops,
                        reference: "735"
                    )
                )
            }
            if let childCode = level.childCode {
                let expected = hasChildren.contains(level.id) ? "1" : "0"
                if childCode != expected {
                    let found = childCode == "1" || childCode == "0" ? childCode : "another code"
                    let reason = expected == "1" ? "children follow" : "no children follow"
                    self.report(
                        ValidationFindings.hierarchy(
                            .hierarchyChildCode,
                            "expected HL04 \(expected) as \(reason), found \(found)",
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
}

/// A set of 1-based positions, without allocating for the first 128.
struct SlotSet {
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    private var rest: Set<Int> = []

    mutating func insert(_ position: Int) {
        switch position {
        case 1...64: self.low |= 1 << UInt64(position - 1)
        case 65...128: self.high |= 1 << UInt64(position - 65)
        default: self.rest.insert(position)
        }
    }

    func contains(_ position: Int) -> Bool {
        switch position {
        case 1...64: self.low & (1 << UInt64(position - 1)) != 0
        case 65...128: self.high & (1 << UInt64(position - 65)) != 0
        default: self.rest.contains(position)
        }
    }
}

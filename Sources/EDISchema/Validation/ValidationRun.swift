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
        var loop: Int
        var index: Int
        var count: Int
    }
    private var stack: [Frame]

    /// The transaction and the position of the segment at hand (ST = 1); views are made only to report.
    private var transaction: Transaction?
    private var position = 0
    private var segment: Segment? { self.standalone ?? self.transaction?.segment(at: self.position) }
    /// A segment validated on its own (an interchange-level TA1), outside any transaction.
    private var standalone: Segment?
    /// The decimal mark and whether lengths count Unicode scalars (UTF-8) rather than bytes.
    private var decimalMark = UInt8(ascii: ".")
    private var countsScalars = false

    /// Segments that totals count, and the positions of segments that hold totals.
    private var counted: [Int]
    private var totalPositions: [Int] = []
    /// HL segments as read, for the hierarchy rule.
    private var hierarchy: [HierarchyLevel] = []
    private let checksHierarchy: Bool

    init(grammar: Grammar, configuration: ValidationConfiguration) {
        self.grammar = grammar
        self.compiled = grammar.compiled
        self.configuration = configuration
        self.stack = [Frame(loop: grammar.compiled.rootLoop, index: 0, count: 0)]
        self.stack.reserveCapacity(8)
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
        self.stack.dropFirst().map { self.compiled.loopIdentifiers[$0.loop] }
    }

    /// The location of the segment at hand, or of one of its values.
    private func location(
        element: Int? = nil,
        component: Int? = nil,
        repetition: Int? = nil,
        byteOffset: Int? = nil
    ) -> Location {
        // Past the last segment (something missing at the end), the last segment's location stands in.
        guard
            let segment = self.standalone
                ?? self.transaction.flatMap({ $0.segment(at: min(self.position, $0.segmentCount)) })
        else { return Location(byteOffset: 0) }
        var location = segment.location
        location.transactionSegmentNumber = self.standalone == nil ? self.position : nil
        location.elementPosition = element
        location.componentPosition = component
        location.repetitionIndex = repetition
        if let byteOffset { location.byteOffset = byteOffset }
        return location
    }

    // MARK: Walk

    mutating func validate(_ transaction: Transaction) {
        self.transaction = transaction
        let header = transaction.header
        self.decimalMark = header.delimiters.decimalMark
        self.countsScalars = header.characterSet.encoding == .utf8
        let compiled = self.compiled
        let countedTags = compiled.countedTags
        let totalTags = compiled.totalTags
        let hierarchyTag = SegmentTag("HL")
        let checksHierarchy = self.checksHierarchy
        transaction.withTables { tables in
            let component = tables.delimiters.component
            let repetition = tables.delimiters.repetition ?? component
            for position in stride(from: 1, through: tables.segmentCount, by: 1) {
                let segment = tables.segment(position)
                let tag = segment.tag
                self.position = position
                if !countedTags.isEmpty {
                    for (index, counted) in countedTags.enumerated() where counted == tag { self.counted[index] += 1 }
                    if totalTags.contains(tag) { self.totalPositions.append(position) }
                }
                if checksHierarchy && tag == hierarchyTag { self.collectHierarchy(segment, position, tables.bytes) }
                let definition = self.place(tag)
                guard definition >= 0 else { continue }
                if segment.needsViews {
                    self.checkValues(definition: definition)
                } else {
                    self.checkTable(segment, definition: definition, tables: tables, component, repetition)
                }
            }
        }
        // The end of the transaction closes every open loop; a missing trailer is the reader's finding.
        self.position = transaction.segmentCount + 1
        while !self.stack.isEmpty {
            self.close(self.stack.count - 1, atEnd: true)
            self.stack.removeLast()
        }
        self.checkTotals()
        if self.checksHierarchy { self.checkHierarchy() }
    }

    /// Whether `range` of `bytes` holds either separator.
    @inline(__always)
    private static func holds(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ a: UInt8, _ b: UInt8) -> Bool {
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == a || byte == b { return true }
            index &+= 1
        }
        return false
    }

    /// Takes HL01 to HL04 of an HL segment for the hierarchy rule.
    private mutating func collectHierarchy(_ segment: TableSegment, _ position: Int, _ bytes: UnsafeRawBufferPointer) {
        var level = HierarchyLevel(position: position)
        if segment.needsViews, let view = self.transaction?.segment(at: position) {
            view.forEachValue { coordinates, value in
                if coordinates.element <= 4 && coordinates.repetition == 1 && coordinates.component == 1 {
                    level.set(coordinates.element, value)
                }
            }
        } else {
            for element in stride(from: 1, through: min(4, segment.elementCount), by: 1) {
                level.set(element, UnsafeRawBufferPointer(rebasing: bytes[segment.element(element)]))
            }
        }
        self.hierarchy.append(level)
    }

    /// The elements of a segment read straight from the reader's tables: a simple element without separators is
    /// one value checked in place; other elements are split here and go through the element state machine.
    private mutating func checkTable(
        _ segment: TableSegment,
        definition index: Int,
        tables: TransactionTables,
        _ component: UInt8,
        _ repetition: UInt8
    ) {
        let compiled = self.compiled
        let definition = compiled.segments[index]
        let elementStart = Int(definition.elementStart)
        let defined = Int(definition.elementCount)
        let count = segment.elementCount
        let bytes = tables.bytes
        let base = tables.baseOffset
        var present = SlotSet()
        var state = ElementState()
        var beyond = 0
        var beyondOffset = 0
        var position = 1
        while position <= count {
            let range = segment.element(position)
            if position <= defined {
                let element = compiled.elements[elementStart + position - 1]
                // A simple element without separators, or a composite without repetitions: checked in place.
                let simple = element.componentCount == 0 && !Self.holds(bytes, range, component, repetition)
                let composite =
                    element.componentCount > 0
                    && (repetition == component || !Self.holds(bytes, range, repetition, repetition))
                if element.maximumRepeat == 1 && (simple || composite) {
                    if state.position > 0 {
                        self.finishElement(&state, present: &present, segment: index)
                        state = ElementState()
                    }
                    if simple {
                        self.checkValue(
                            range,
                            element,
                            position: position,
                            definition: index,
                            tables: tables,
                            present: &present
                        )
                    } else {
                        self.checkComposite(
                            range,
                            element,
                            position: position,
                            definition: index,
                            tables: tables,
                            component,
                            present: &present
                        )
                    }
                    position += 1
                    continue
                }
            }
            var coordinates = ValueCoordinates(element: position, byteOffset: base + range.lowerBound)
            var start = range.lowerBound
            var cursor = range.lowerBound
            while cursor < range.upperBound {
                let byte = bytes[cursor]
                if byte == component || byte == repetition {
                    self.visit(
                        coordinates,
                        UnsafeRawBufferPointer(rebasing: bytes[start..<cursor]),
                        definition: index,
                        state: &state,
                        present: &present,
                        beyond: &beyond,
                        beyondOffset: &beyondOffset
                    )
                    if byte == component {
                        coordinates.component += 1
                    } else {
                        coordinates.repetition += 1
                        coordinates.component = 1
                    }
                    start = cursor + 1
                    coordinates.byteOffset = base + start
                }
                cursor += 1
            }
            self.visit(
                coordinates,
                UnsafeRawBufferPointer(rebasing: bytes[start..<range.upperBound]),
                definition: index,
                state: &state,
                present: &present,
                beyond: &beyond,
                beyondOffset: &beyondOffset
            )
            position += 1
        }
        self.finishSegment(
            index,
            state: &state,
            present: &present,
            beyond: beyond,
            beyondOffset: beyondOffset,
            lastElement: count
        )
    }

    /// One composite element (not repeating) read in place: its components checked as they are split.
    private mutating func checkComposite(
        _ range: Range<Int>,
        _ element: CompiledGrammar.Element,
        position: Int,
        definition index: Int,
        tables: TransactionTables,
        _ separator: UInt8,
        present: inout SlotSet
    ) {
        let bytes = tables.bytes
        let componentCount = Int(element.componentCount)
        var componentsPresent: UInt64 = 0
        var extra = 0
        var extraOffset = 0
        var component = 1
        var start = range.lowerBound
        var cursor = range.lowerBound
        while cursor <= range.upperBound {
            if cursor < range.upperBound && bytes[cursor] != separator {
                cursor += 1
                continue
            }
            if start < cursor {
                if component <= componentCount {
                    if component <= 64 { componentsPresent |= 1 << UInt64(component - 1) }
                    let definition = self.compiled.components[Int(element.componentStart) + component - 1]
                    let value = UnsafeRawBufferPointer(rebasing: bytes[start..<cursor])
                    if let problem = Self.check(value, definition, self.compiled, self.decimalMark, self.countsScalars)
                    {
                        self.reportValue(
                            problem,
                            definition,
                            segment: index,
                            coordinates: ValueCoordinates(
                                element: position,
                                component: component,
                                byteOffset: tables.baseOffset + start
                            ),
                            component: component
                        )
                    }
                } else if component > extra {
                    if extra == 0 { extraOffset = tables.baseOffset + start }
                    extra = component
                }
            }
            component += 1
            start = cursor + 1
            cursor += 1
        }
        guard componentsPresent != 0 || extra > 0 else {
            // Nothing in any component: the element is absent.
            self.checkValue(
                range.lowerBound..<range.lowerBound,
                element,
                position: position,
                definition: index,
                tables: tables,
                present: &present
            )
            return
        }
        present.insert(position)
        self.finishComposite(
            element,
            segment: index,
            position: position,
            repetition: nil,
            componentsPresent: componentsPresent,
            extraComponent: extra,
            extraComponentOffset: extraOffset,
            repetitionOffset: tables.baseOffset + range.lowerBound
        )
    }

    /// One simple element read in place: presence, then type, length, code, date and time.
    @inline(__always)
    private mutating func checkValue(
        _ range: Range<Int>,
        _ element: CompiledGrammar.Element,
        position: Int,
        definition index: Int,
        tables: TransactionTables,
        present: inout SlotSet
    ) {
        if range.isEmpty {
            if element.mandatory {
                self.report(
                    ValidationFindings.mandatoryElementMissing(
                        at: self.location(element: position, byteOffset: tables.baseOffset + range.lowerBound),
                        loops: self.loopPath,
                        reference: self.compiled.definitions[index].elements[position - 1].reference
                    )
                )
            }
            return
        }
        present.insert(position)
        let value = UnsafeRawBufferPointer(rebasing: tables.bytes[range])
        if let problem = Self.check(value, element, self.compiled, self.decimalMark, self.countsScalars) {
            self.reportValue(
                problem,
                element,
                segment: index,
                coordinates: ValueCoordinates(element: position, byteOffset: tables.baseOffset + range.lowerBound),
                component: nil
            )
        }
    }

    /// The values of a segment with composites, repetitions, separators or escaped bytes, through its view.
    private mutating func checkValues(definition: Int) {
        guard let segment = self.segment else { return }
        var state = ElementState()
        var present = SlotSet()
        var beyond = 0
        var beyondOffset = 0
        var lastElement = 0
        segment.forEachValue { coordinates, bytes in
            lastElement = coordinates.element
            self.visit(
                coordinates,
                bytes,
                definition: definition,
                state: &state,
                present: &present,
                beyond: &beyond,
                beyondOffset: &beyondOffset
            )
        }
        self.finishSegment(
            definition,
            state: &state,
            present: &present,
            beyond: beyond,
            beyondOffset: beyondOffset,
            lastElement: lastElement
        )
    }

    /// Validates one segment that stands outside any transaction (an interchange-level TA1) against the
    /// grammar's definition of its tag.
    mutating func validate(segment: Segment) {
        self.standalone = segment
        guard let index = self.compiled.segmentIndex[segment.packedTag] else {
            self.report(
                ValidationFindings.segmentNotInTransaction(
                    segment.tag,
                    document: self.grammar.document,
                    at: self.location(),
                    loops: []
                )
            )
            return
        }
        self.checkValues(definition: Int(index))
    }

    /// Finds the position of `tag` from the cursor on, as X12 and EDIFACT define: forward in the current loop,
    /// then in each enclosing loop (which ends the inner ones). Returns the segment definition's index when placed,
    /// or -1.
    private mutating func place(_ tag: SegmentTag) -> Int {
        let raw = tag.rawValue
        var depth = self.stack.count - 1
        while depth >= 0 {
            let frame = self.stack[depth]
            let loop = self.compiled.loops[frame.loop]
            // Inside a loop, its trigger segment again starts the next occurrence, which the enclosing level
            // places; so the search there starts after the trigger.
            var index = depth > 0 ? max(frame.index, 1) : frame.index
            let count = Int(loop.count)
            let start = Int(loop.start)
            let found: Int? = self.compiled.childTags.withUnsafeBufferPointer { tags in
                while index < count {
                    if tags[start + index] == raw { return index }
                    index += 1
                }
                return nil
            }
            if let found {
                self.advance(depth: depth, to: found)
                return Int(self.compiled.children[start + found].segment)
            }
            depth -= 1
        }
        let name = self.segment?.tag ?? ""
        if self.compiled.segmentIndex[tag] == nil {
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
        return -1
    }

    /// Moves the cursor to child `index` of the loop at `depth`, closing deeper loops and reporting mandatory
    /// positions skipped and repeats exceeded.
    private mutating func advance(depth: Int, to index: Int) {
        while self.stack.count - 1 > depth {
            self.close(self.stack.count - 1, atEnd: false)
            self.stack.removeLast()
        }
        let frame = self.stack[depth]
        let loop = self.compiled.loops[frame.loop]
        if index == frame.index && frame.count > 0 {
            self.stack[depth].count += 1
        } else {
            let firstSkipped = frame.count > 0 ? frame.index + 1 : frame.index
            if firstSkipped < index && Self.hasMandatory(loop, from: firstSkipped, to: index) {
                for skipped in firstSkipped..<index {
                    self.reportMissing(Int(loop.start) + skipped, atEnd: false)
                }
            }
            self.stack[depth].index = index
            self.stack[depth].count = 1
        }
        let count = self.stack[depth].count
        let child = self.compiled.children[Int(loop.start) + index]
        if child.loop >= 0 {
            let nested = self.compiled.loops[Int(child.loop)]
            if nested.maximumRepeat > 0 && count == Int(nested.maximumRepeat) + 1 {
                self.report(
                    ValidationFindings.loopRepeatExceeded(
                        self.compiled.loopIdentifiers[Int(child.loop)],
                        maximum: Int(nested.maximumRepeat),
                        at: self.location(),
                        loops: self.loopPath
                    )
                )
            }
            // The trigger segment is the loop's first child, now used once.
            self.stack.append(Frame(loop: Int(child.loop), index: 0, count: 1))
        } else if child.maximumRepeat > 0 && count == Int(child.maximumRepeat) + 1 {
            self.report(
                ValidationFindings.segmentRepeatExceeded(
                    self.compiled.childNames[Int(loop.start) + index],
                    maximum: Int(child.maximumRepeat),
                    at: self.location(),
                    loops: self.loopPath
                )
            )
        }
    }

    /// Reports the mandatory children after the cursor of the loop at `depth`, which is ending.
    private mutating func close(_ depth: Int, atEnd: Bool) {
        let frame = self.stack[depth]
        let loop = self.compiled.loops[frame.loop]
        let firstSkipped = frame.count > 0 ? frame.index + 1 : frame.index
        guard firstSkipped < Int(loop.count), Self.hasMandatory(loop, from: firstSkipped, to: Int(loop.count)) else {
            return
        }
        for skipped in firstSkipped..<Int(loop.count) {
            let child = Int(loop.start) + skipped
            // Trailers are the reader's to report (missingTrailer), not validation's.
            let name = self.compiled.childNames[child]
            if depth == 0 && (name == "SE" || name == "UNT") { continue }
            self.reportMissing(child, atEnd: atEnd)
        }
    }

    /// Whether any child of `loop` in `from..<to` is mandatory, from the loop's mask.
    @inline(__always)
    private static func hasMandatory(_ loop: CompiledGrammar.Loop, from: Int, to: Int) -> Bool {
        guard from < 64 else { return loop.mandatory == ~0 }
        let upper: UInt64 = to >= 64 ? ~0 : (1 << UInt64(to)) &- 1
        let lower: UInt64 = (1 << UInt64(from)) &- 1
        return loop.mandatory & upper & ~lower != 0
    }

    private mutating func reportMissing(_ child: Int, atEnd: Bool) {
        let entry = self.compiled.children[child]
        guard entry.mandatory else { return }
        let name = self.compiled.childNames[child]
        var missing = self.location()
        missing.segmentTag = name
        missing.elementPosition = nil
        self.report(
            ValidationFindings.mandatorySegmentMissing(
                name,
                loop: entry.loop >= 0 ? self.compiled.loopIdentifiers[Int(entry.loop)] : nil,
                before: atEnd ? nil : self.segment?.tag,
                at: missing,
                loops: self.loopPath
            )
        )
    }

    // MARK: Elements

    /// What is known of the element being read, filled value by value.
    private struct ElementState {
        var position = 0
        /// Index of the element in `compiled.elements`, or -1 beyond the defined ones.
        var element = -1
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

    /// One value of the segment at hand: the element state machine and the value's checks.
    private mutating func visit(
        _ coordinates: ValueCoordinates,
        _ bytes: UnsafeRawBufferPointer,
        definition index: Int,
        state: inout ElementState,
        present: inout SlotSet,
        beyond: inout Int,
        beyondOffset: inout Int
    ) {
        let compiled = self.compiled
        let definition = compiled.segments[index]
        if coordinates.element != state.position {
            self.finishElement(&state, present: &present, segment: index)
            state = ElementState()
            state.position = coordinates.element
            state.element =
                coordinates.element <= Int(definition.elementCount)
                ? Int(definition.elementStart) + coordinates.element - 1 : -1
            state.firstByteOffset = coordinates.byteOffset
        }
        guard state.element >= 0 else {
            // Beyond the defined elements: only a value counts (trailing empty elements are padding).
            if !bytes.isEmpty && coordinates.element > beyond {
                if beyond == 0 { beyondOffset = coordinates.byteOffset }
                beyond = coordinates.element
            }
            return
        }
        if coordinates.repetition != state.repetition {
            self.finishRepetition(&state, segment: index)
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
        let element = compiled.elements[state.element]
        // Repetitions past the maximum are reported once, for the element, and not checked further.
        guard coordinates.repetition <= Int(element.maximumRepeat) else { return }
        if element.componentCount == 0 {
            if coordinates.component > 1 {
                if coordinates.component > state.extraComponent {
                    if state.extraComponent == 0 { state.extraComponentOffset = coordinates.byteOffset }
                    state.extraComponent = coordinates.component
                }
                return
            }
            if let problem = Self.check(bytes, element, compiled, self.decimalMark, self.countsScalars) {
                self.reportValue(problem, element, segment: index, coordinates: coordinates, component: nil)
            }
            return
        }
        guard coordinates.component <= Int(element.componentCount) else {
            if coordinates.component > state.extraComponent {
                if state.extraComponent == 0 { state.extraComponentOffset = coordinates.byteOffset }
                state.extraComponent = coordinates.component
            }
            return
        }
        if coordinates.component <= 64 { state.componentsPresent |= 1 << UInt64(coordinates.component - 1) }
        let component = compiled.components[Int(element.componentStart) + coordinates.component - 1]
        if let problem = Self.check(bytes, component, compiled, self.decimalMark, self.countsScalars) {
            self.reportValue(
                problem,
                component,
                segment: index,
                coordinates: coordinates,
                component: coordinates.component
            )
        }
    }

    /// Ends the segment at hand: its last element, elements beyond the defined ones, mandatory elements after the
    /// last one present, and syntax notes.
    private mutating func finishSegment(
        _ index: Int,
        state: inout ElementState,
        present: inout SlotSet,
        beyond: Int,
        beyondOffset: Int,
        lastElement: Int
    ) {
        let compiled = self.compiled
        let definition = compiled.segments[index]
        self.finishElement(&state, present: &present, segment: index)
        let elementStart = Int(definition.elementStart)
        let elementCount = Int(definition.elementCount)
        if beyond > 0 {
            self.report(
                ValidationFindings.tooManyElements(
                    compiled.definitions[index].tag,
                    defined: elementCount,
                    found: beyond,
                    at: self.location(element: elementCount + 1, byteOffset: beyondOffset),
                    loops: self.loopPath
                )
            )
        }
        // Mandatory elements after the last one present: the mask answers for the first 64 without a loop.
        let trailing: UInt64 = lastElement >= 64 ? 0 : ~((1 << UInt64(lastElement)) &- 1)
        if lastElement < elementCount && (definition.mandatoryElements & trailing != 0 || elementCount > 64) {
            for position in (lastElement + 1)...elementCount
            where compiled.elements[elementStart + position - 1].mandatory {
                self.report(
                    ValidationFindings.mandatoryElementMissing(
                        at: self.location(element: position),
                        loops: self.loopPath,
                        reference: compiled.definitions[index].elements[position - 1].reference
                    )
                )
            }
        }
        if definition.noteCount > 0 {
            // The readable definition is fetched only when a note is broken.
            self.checkNotes(start: Int(definition.noteStart), count: Int(definition.noteCount), present: present) {
                position in
                NotePosition(element: position, reference: compiled.definitions[index].elements[position - 1].reference)
            }
        }
    }

    /// Ends the element in `state`: repetitions, presence, and its last repetition's components.
    private mutating func finishElement(_ state: inout ElementState, present: inout SlotSet, segment: Int) {
        guard state.position > 0, state.element >= 0 else { return }
        self.finishRepetition(&state, segment: segment)
        let element = self.compiled.elements[state.element]
        if state.present {
            present.insert(state.position)
            if state.repetitions > Int(element.maximumRepeat) {
                self.report(
                    ValidationFindings.tooManyRepetitions(
                        maximum: Int(element.maximumRepeat),
                        found: state.repetitions,
                        at: self.location(element: state.position, byteOffset: state.firstByteOffset),
                        loops: self.loopPath,
                        reference: self.reference(segment: segment, element: state.position)
                    )
                )
            }
        } else if element.mandatory {
            self.report(
                ValidationFindings.mandatoryElementMissing(
                    at: self.location(element: state.position, byteOffset: state.firstByteOffset),
                    loops: self.loopPath,
                    reference: self.reference(segment: segment, element: state.position)
                )
            )
        }
    }

    /// Ends the repetition in `state`: extra components, and a composite's mandatory components and notes.
    private mutating func finishRepetition(_ state: inout ElementState, segment: Int) {
        guard state.repetition > 0, state.repetitionPresent else { return }
        let element = self.compiled.elements[state.element]
        guard state.repetition <= Int(element.maximumRepeat) else { return }
        self.finishComposite(
            element,
            segment: segment,
            position: state.position,
            repetition: element.maximumRepeat > 1 || state.repetition > 1 ? state.repetition : nil,
            componentsPresent: state.componentsPresent,
            extraComponent: state.extraComponent,
            extraComponentOffset: state.extraComponentOffset,
            repetitionOffset: state.repetitionOffset
        )
    }

    /// Ends one present repetition of an element: extra components, and a composite's mandatory components and
    /// syntax notes.
    private mutating func finishComposite(
        _ element: CompiledGrammar.Element,
        segment: Int,
        position: Int,
        repetition: Int?,
        componentsPresent: UInt64,
        extraComponent: Int,
        extraComponentOffset: Int,
        repetitionOffset: Int
    ) {
        let componentCount = Int(element.componentCount)
        if extraComponent > 0 {
            self.report(
                ValidationFindings.tooManyComponents(
                    maximum: max(1, componentCount),
                    found: extraComponent,
                    at: self.location(
                        element: position,
                        component: componentCount > 0 ? componentCount + 1 : nil,
                        repetition: repetition,
                        byteOffset: componentCount > 0 ? extraComponentOffset : repetitionOffset
                    ),
                    loops: self.loopPath,
                    reference: self.reference(segment: segment, element: position)
                )
            )
        }
        guard componentCount > 0 else { return }
        if element.mandatoryComponents & ~componentsPresent != 0 || componentCount > 64 {
            for index in 0..<componentCount
            where !(index < 64 && componentsPresent & (1 << UInt64(index)) != 0)
                && self.compiled.components[Int(element.componentStart) + index].mandatory
            {
                self.report(
                    ValidationFindings.mandatoryElementMissing(
                        at: self.location(
                            element: position,
                            component: index + 1,
                            repetition: repetition,
                            byteOffset: repetitionOffset
                        ),
                        loops: self.loopPath,
                        reference: self.reference(segment: segment, element: position, component: index + 1)
                    )
                )
            }
        }
        if element.noteCount > 0 {
            var present = SlotSet()
            for index in 0..<min(componentCount, 64) where componentsPresent & (1 << UInt64(index)) != 0 {
                present.insert(index + 1)
            }
            let compiled = self.compiled
            self.checkNotes(start: Int(element.noteStart), count: Int(element.noteCount), present: present) {
                component in
                var reference = ""
                if case .composite(let composite) = compiled.definitions[segment].elements[position - 1].content {
                    reference = composite.components[component - 1].element.identifier
                }
                return NotePosition(
                    element: position,
                    component: component,
                    repetition: repetition,
                    byteOffset: repetitionOffset,
                    reference: reference
                )
            }
        }
    }

    /// The dictionary reference of an element (its number, or the composite's identifier) or of a component.
    private func reference(segment: Int, element: Int, component: Int? = nil) -> String {
        let slot = self.compiled.definitions[segment].elements[element - 1]
        if let component, case .composite(let composite) = slot.content, component <= composite.components.count {
            return composite.components[component - 1].element.identifier
        }
        return slot.reference
    }

    /// Where a position a syntax note names is, and its dictionary reference.
    private struct NotePosition {
        var element: Int
        var component: Int? = nil
        var repetition: Int? = nil
        var byteOffset: Int? = nil
        var reference: String
    }

    /// Checks the syntax notes `notes[start..<(start + count)]` against the positions in `present`, with bit
    /// masks; `position` says where a note's position is, and is asked only when a note is broken.
    private mutating func checkNotes(
        start: Int,
        count: Int,
        present: SlotSet,
        position: (Int) -> NotePosition
    ) {
        let bits = present.low
        for noteIndex in start..<(start + count) {
            let note = self.compiled.notes[noteIndex]
            let here = bits & note.mask
            let firstPresent = here & note.first != 0
            var missing: UInt64 = 0
            var excluded: UInt64 = 0
            switch note.kind {
            case .paired:
                if here != 0 && here != note.mask { missing = note.mask & ~bits }
            case .required:
                if here == 0 { missing = note.first }
            case .exclusive:
                if here.nonzeroBitCount > 1 { excluded = here & (here - 1) }
            case .exactlyOne:
                if here == 0 { missing = note.first }
                if here.nonzeroBitCount > 1 { excluded = here & (here - 1) }
            case .conditional:
                if firstPresent { missing = note.mask & ~note.first & ~bits }
            case .listConditional:
                if firstPresent && here == note.first {
                    let others = note.mask & ~note.first
                    missing = others & (~others + 1)
                }
            case .firstExcludesOthers:
                if firstPresent { excluded = here & ~note.first }
            }
            guard missing != 0 || excluded != 0 else { continue }
            self.reportNote(noteIndex, present: bits, missing: missing, excluded: excluded, position: position)
        }
    }

    private mutating func reportNote(
        _ noteIndex: Int,
        present: UInt64,
        missing: UInt64,
        excluded: UInt64,
        position: (Int) -> NotePosition
    ) {
        let note = self.compiled.notes[noteIndex]
        let text = self.compiled.sourceNotes[noteIndex].text
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
        // What makes the others matter (999 CTX): the note's first position, or for exclusions the first present.
        let triggerBit: UInt64 =
            switch note.kind {
            case .exclusive, .exactlyOne: (present & note.mask) & (~(present & note.mask) + 1)
            default: present & note.first
            }
        let trigger = triggerBit != 0 ? describe(triggerBit.trailingZeroBitCount + 1).0 : nil
        for (found, isExclusion) in [(missing, false), (excluded, true)] {
            var bits = found
            while bits != 0 {
                let (location, reference) = describe(bits.trailingZeroBitCount + 1)
                self.report(
                    isExclusion
                        ? ValidationFindings.exclusionViolated(
                            note: text,
                            at: location,
                            loops: self.loopPath,
                            reference: reference,
                            trigger: trigger
                        )
                        : ValidationFindings.conditionalElementMissing(
                            note: text,
                            at: location,
                            loops: self.loopPath,
                            reference: reference,
                            trigger: trigger
                        )
                )
                bits &= bits - 1
            }
        }
    }

    /// The first problem with one value, and its length.
    @inline(__always)
    private static func check(
        _ bytes: UnsafeRawBufferPointer,
        _ element: CompiledGrammar.Element,
        _ compiled: CompiledGrammar,
        _ decimalMark: UInt8,
        _ countsScalars: Bool
    ) -> (Finding.Code, Int)? {
        ValueCheck.check(
            bytes,
            element: element,
            codes: element.codes >= 0 ? compiled.codeSets[Int(element.codes)] : nil,
            decimalMark: decimalMark,
            countsScalars: countsScalars
        )
    }

    private mutating func reportValue(
        _ problem: (Finding.Code, Int),
        _ element: CompiledGrammar.Element,
        segment: Int,
        coordinates: ValueCoordinates,
        component: Int?
    ) {
        let (code, length) = problem
        let repetition = element.maximumRepeat > 1 || coordinates.repetition > 1 ? coordinates.repetition : nil
        let location = self.location(
            element: coordinates.element,
            component: component,
            repetition: repetition,
            byteOffset: coordinates.byteOffset
        )
        let loops = self.loopPath
        let reference = self.reference(segment: segment, element: coordinates.element, component: component)
        switch code {
        case .elementTooShort, .elementTooLong:
            self.report(
                ValidationFindings.length(
                    code,
                    minimum: Int(element.minimum),
                    maximum: Int(element.maximum),
                    found: length,
                    at: location,
                    loops: loops,
                    reference: reference
                )
            )
        case .invalidCodeValue:
            self.report(
                ValidationFindings.invalidCodeValue(
                    allowed: element.codes >= 0 ? self.compiled.codeSets[Int(element.codes)].all : [],
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
                    type: ValueCheck.typeDescription(element.type),
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
            for position in self.totalPositions {
                guard let segment = self.transaction?.segment(at: position), segment.packedTag == tag else { continue }
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
    /// exactly when children follow. Works on the values packed as read; text is decoded only to report.
    private mutating func checkHierarchy() {
        let paths = self.configuration.hierarchy ?? self.grammar.hierarchy
        let packedPaths =
            self.configuration.hierarchy.map { $0.map { $0.map { CodeSet.pack(Array($0.utf8)) } } }
            ?? self.compiled.hierarchy
        let levels = self.hierarchy
        var hasChildren = [Bool](repeating: false, count: levels.count)
        var parents = [Int](repeating: -1, count: levels.count)
        // HL01 is almost always 1, 2, 3…: a parent is found by its number; other identifiers by a table.
        var indexByID: [UInt64: Int]?
        for (index, level) in levels.enumerated() {
            guard let parent = level.parent else { continue }
            var parentIndex = -1
            if let candidate = Self.hierarchyNumber(parent), candidate >= 1, candidate <= index,
                levels[candidate - 1].id == parent
            {
                parentIndex = candidate - 1
            } else {
                if indexByID == nil {
                    var table: [UInt64: Int] = [:]
                    for (other, entry) in levels.enumerated() where table[entry.id] == nil { table[entry.id] = other }
                    indexByID = table
                }
                if let found = indexByID?[parent], found < index { parentIndex = found }
            }
            if parentIndex >= 0 {
                hasChildren[parentIndex] = true
                parents[index] = parentIndex
            }
        }
        let loops = ["HL"]
        var described: String { paths.map { $0.joined(separator: "-") }.joined(separator: ", ") }
        for (index, level) in levels.enumerated() {
            if level.number != index + 1 {
                self.report(
                    ValidationFindings.hierarchy(
                        .hierarchyNumbering,
                        "expected HL01 \(index + 1), numbering HLs in order from 1, found another number",
                        at: self.hierarchyLocation(level, 1),
                        loops: loops,
                        reference: "628"
                    )
                )
            }
            if level.parent != nil {
                if parents[index] >= 0 {
                    let parentIndex = parents[index]
                    let parentLevel = levels[parentIndex].level
                    let allowed = packedPaths.contains { path in
                        zip(path, path.dropFirst()).contains { $0 == parentLevel && $1 == level.level }
                    }
                    if !paths.isEmpty && !allowed {
                        let parentText = self.hierarchyText(levels[parentIndex], 3)
                        self.report(
                            ValidationFindings.hierarchy(
                                .hierarchyLevel,
                                "expected an HL03 level allowed under level \(parentText) (\(described)), found "
                                    + self.hierarchyText(level, 3),
                                at: self.hierarchyLocation(level, 3),
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
                            at: self.hierarchyLocation(level, 2),
                            loops: loops,
                            reference: "734"
                        )
                    )
                }
            } else if !paths.isEmpty && !packedPaths.contains(where: { $0.first == level.level }) {
                let tops = Set(paths.compactMap(\.first)).sorted().joined(separator: " or ")
                self.report(
                    ValidationFindings.hierarchy(
                        .hierarchyLevel,
                        "expected a top-level HL03 of \(tops), found " + self.hierarchyText(level, 3),
                        at: self.hierarchyLocation(level, 3),
                        loops: loops,
                        reference: "735"
                    )
                )
            }
            if level.hasChildCode {
                let expected: UInt8 = hasChildren[index] ? UInt8(ascii: "1") : UInt8(ascii: "0")
                if level.childCode != expected {
                    let found =
                        level.childCode == UInt8(ascii: "1") || level.childCode == UInt8(ascii: "0")
                        ? String(UnicodeScalar(level.childCode)) : "another code"
                    let reason = hasChildren[index] ? "children follow" : "no children follow"
                    self.report(
                        ValidationFindings.hierarchy(
                            .hierarchyChildCode,
                            "expected HL04 \(UnicodeScalar(expected)) as \(reason), found \(found)",
                            at: self.hierarchyLocation(level, 4),
                            loops: loops,
                            reference: "736"
                        )
                    )
                }
            }
        }
    }

    /// The number a packed HL01 or HL02 of digits stands for, or `nil`.
    private static func hierarchyNumber(_ packed: UInt64) -> Int? {
        let length = Int(packed >> 60)
        guard length >= 1 && length <= 7 else { return nil }
        var value = 0
        for shift in stride(from: (length - 1) * 8, through: 0, by: -8) {
            let digit = Int((packed >> UInt64(shift)) & 0xFF) - 0x30
            guard digit >= 0 && digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// An HL element's location.
    private func hierarchyLocation(_ level: HierarchyLevel, _ element: Int) -> Location {
        guard let segment = self.transaction?.segment(at: level.position) else { return Location(byteOffset: 0) }
        var location = segment[element]?.location ?? segment.location.at(element: element)
        location.transactionSegmentNumber = level.position
        return location
    }

    /// An HL element's text (a level code), for messages.
    private func hierarchyText(_ level: HierarchyLevel, _ element: Int) -> String {
        self.transaction?.segment(at: level.position)?[element]?.text ?? ""
    }
}

/// One HL segment as read: HL01 and HL02 as packed codes (and HL01 as a number), HL03 packed, HL04's byte.
struct HierarchyLevel {
    var position: Int
    var id: UInt64 = 0
    var number = -1
    var parent: UInt64?
    var level: UInt64 = 0
    var childCode: UInt8 = 0
    var hasChildCode = false

    init(position: Int) {
        self.position = position
    }

    /// Takes HL01 to HL04 from the values as read.
    mutating func set(_ element: Int, _ bytes: UnsafeRawBufferPointer) {
        switch element {
        case 1:
            self.id = Self.key(bytes)
            self.number = ValueCheck.integer(bytes) ?? -1
        case 2:
            self.parent = bytes.isEmpty ? nil : Self.key(bytes)
        case 3:
            self.level = Self.key(bytes)
        default:
            self.hasChildCode = !bytes.isEmpty
            self.childCode = bytes.count == 1 ? bytes[0] : 0
        }
    }

    /// Up to 7 bytes packed exactly; longer identifiers hashed into the top range (HL01 is AN 1/12).
    static func key(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        if bytes.count <= 7 { return CodeSet.pack(bytes) }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01B3 }
        return hash | 0xF000_0000_0000_0000
    }
}

/// A set of 1-based positions 1…128, in two words: grammars hold at most 99 elements or components
/// (`GrammarLoader.Limits.maximumElements`), and a plain value costs no reference counting in the inner loop.
struct SlotSet {
    private(set) var low: UInt64 = 0
    private var high: UInt64 = 0

    mutating func insert(_ position: Int) {
        switch position {
        case 1...64: self.low |= 1 << UInt64(position - 1)
        case 65...128: self.high |= 1 << UInt64(position - 65)
        default: break
        }
    }

    func contains(_ position: Int) -> Bool {
        switch position {
        case 1...64: self.low & (1 << UInt64(position - 1)) != 0
        case 65...128: self.high & (1 << UInt64(position - 65)) != 0
        default: false
        }
    }
}

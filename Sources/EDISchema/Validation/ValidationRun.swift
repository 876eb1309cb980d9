import EDICore

/// One transaction's validation: the structure cursor, the element checks of the segment at hand, and the
/// findings so far.
///
/// Written for speed: tags are compared packed, values are read in place from the reader's tables, the grammar's
/// arrays are read through pointers (``CompiledGrammar/Tables``), and a value is accepted by one table lookup and
/// an OR per byte (``CompiledGrammar/ByteClass``) unless it needs a closer look. Locations, loop paths and
/// messages are built only when something is reported.
struct ValidationRun {
    let compiled: CompiledGrammar
    private let tables: CompiledGrammar.Tables
    let configuration: ValidationConfiguration
    private(set) var findings: [Finding] = []
    private var full = false

    private typealias Frame = LoopFrame
    /// Memory borrowed for the run: the open loops (root first) and the byte classes of the transaction at hand.
    private let memory: ValidationMemory
    private let frames: UnsafeMutablePointer<Frame>
    private let classes: UnsafeMutablePointer<UInt8>
    private let notesPassed: UnsafeMutablePointer<UInt64>
    /// The index of the innermost open loop in `frames`.
    private var top = 0

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
    private var totalPositions: [Int]
    /// HL segments as read, for the hierarchy rule.
    private var hierarchy: [HierarchyLevel]
    private let checksHierarchy: Bool

    /// A run over `compiled`, borrowing `memory` (one memory serves one run at a time; ``finish()`` gives it back).
    init(compiled: CompiledGrammar, configuration: ValidationConfiguration, memory: ValidationMemory) {
        self.compiled = compiled
        self.tables = compiled.tables
        self.configuration = configuration
        self.memory = memory
        self.frames = memory.frames(capacity: compiled.depth + 1)
        self.classes = memory.classes
        self.notesPassed = memory.notesPassed(for: compiled)
        self.frames[0] = Frame(loop: Int32(compiled.rootLoop), index: 0, count: 0)
        (self.counted, self.totalPositions, self.hierarchy) = memory.takeArrays()
        for _ in 0..<compiled.tables.countedTagCount { self.counted.append(0) }
        self.checksHierarchy = !compiled.hierarchyPaths.isEmpty || configuration.hierarchy != nil
    }

    private static let hierarchyTag = SegmentTag("HL")

    /// Gives the borrowed arrays back to the memory and returns the findings.
    mutating func finish() -> [Finding] {
        self.memory.giveBack(&self.counted, &self.totalPositions, &self.hierarchy)
        return self.findings
    }

    // MARK: Reporting

    private mutating func report(_ finding: Finding) {
        guard !self.full else { return }
        if !self.configuration.ignoredCodes.isEmpty && self.configuration.ignoredCodes.contains(finding.code) { return }
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
        (0..<max(0, self.top)).map { self.compiled.loopIdentifiers[Int(self.frames[$0 + 1].loop)] }
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
        transaction.withTables { tables in self.walk(tables) }
        // The end of the transaction closes every open loop; a missing trailer is the reader's finding.
        self.position = transaction.segmentCount + 1
        while self.top >= 0 {
            self.close(self.top, atEnd: true)
            self.top -= 1
        }
        self.top = 0
        self.checkTotals()
        if self.checksHierarchy { self.checkHierarchy() }
    }

    private mutating func walk(_ tables: TransactionTables) {
        let component = tables.delimiters.component
        let repetition = tables.delimiters.repetition ?? component
        self.decimalMark = tables.delimiters.decimalMark
        self.countsScalars = tables.encoding == .utf8
        self.classes[Int(component)] |= CompiledGrammar.ByteClass.componentSeparator
        if repetition != component {
            self.classes[Int(repetition)] |= CompiledGrammar.ByteClass.repetitionSeparator
        }
        defer {
            self.classes[Int(component)] &= ~CompiledGrammar.ByteClass.anySeparator
            self.classes[Int(repetition)] &= ~CompiledGrammar.ByteClass.anySeparator
        }
        let grammar = self.tables
        let hierarchyTag = Self.hierarchyTag
        let checksHierarchy = self.checksHierarchy
        for position in stride(from: 1, through: tables.segmentCount, by: 1) {
            let segment = tables.segment(position)
            let tag = segment.tag
            self.position = position
            for index in 0..<grammar.countedTagCount where grammar.countedTags[index] == tag.rawValue {
                self.counted[index] += 1
            }
            for index in 0..<grammar.totalTagCount where grammar.totalTags[index] == tag.rawValue {
                self.totalPositions.append(position)
                break
            }
            if checksHierarchy && tag == hierarchyTag { self.collectHierarchy(segment, position, tables.bytes) }
            let definition = self.place(tag)
            guard definition >= 0 else { continue }
            if segment.needsViews {
                self.checkValues(definition: definition)
            } else {
                self.checkTable(segment, definition: definition, tables: tables)
            }
        }
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
            guard let base = bytes.baseAddress else { return }
            for element in stride(from: 1, through: min(4, segment.elementCount), by: 1) {
                let range = segment.element(element)
                level.set(element, UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
            }
        }
        self.hierarchy.append(level)
    }

    /// The elements of a segment read straight from the reader's tables. The common case, a simple element without
    /// separators or a composite without repetitions, is checked in place: one table lookup and an OR per byte,
    /// then the lengths (``CompiledGrammar/Quick``). From the first element that needs more (repetitions,
    /// separators in a simple element, elements beyond the defined ones), the element state machine takes over.
    private mutating func checkTable(_ segment: TableSegment, definition index: Int, tables: TransactionTables) {
        let grammar = self.tables
        let classes = UnsafePointer(self.classes)
        let definition = grammar.segments[index]
        let elementStart = Int(definition.elementStart)
        let quick = grammar.quickElements + elementStart
        let defined = Int(definition.elementCount)
        let count = segment.elementCount
        guard let bytes = tables.bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var present = SlotSet()
        var position = 1
        let last = min(count, defined)
        // Wrapping arithmetic: positions and offsets are bounded by the reader's limits, far from overflowing.
        while position <= last {
            let (start, end) = segment.bounds(position)
            let check = quick[position &- 1]
            if start == end {
                if check.flags & CompiledGrammar.Quick.mandatory != 0 {
                    self.reportMissingElement(position, definition: index, byteOffset: tables.baseOffset &+ start)
                }
                position &+= 1
                continue
            }
            // Non-empty here: one test per byte, no set-up for an unrolled loop (values are mostly short).
            var found: UInt8 = 0
            var cursor = bytes + start
            let stop = bytes + end
            repeat {
                found |= classes[Int(cursor.pointee)]
                cursor += 1
            } while cursor != stop
            if check.flags & (CompiledGrammar.Quick.composite | CompiledGrammar.Quick.repeats) == 0 {
                guard found & CompiledGrammar.ByteClass.anySeparator == 0 else { break }
                present.insert(position)
                let length = end &- start
                if !check.accepts(found, length: length) {
                    self.checkValue(
                        UnsafeRawBufferPointer(start: bytes + start, count: length),
                        grammar.elements + elementStart + position - 1,
                        classes: found,
                        definition: index,
                        coordinates: ValueCoordinates(element: position, byteOffset: tables.baseOffset + start),
                        component: nil
                    )
                }
            } else if check.flags & CompiledGrammar.Quick.repeats == 0
                && found & CompiledGrammar.ByteClass.repetitionSeparator == 0
            {
                self.checkComposite(
                    bytes,
                    start..<end,
                    elementStart &+ position &- 1,
                    position: position,
                    definition: index,
                    baseOffset: tables.baseOffset,
                    present: &present
                )
            } else {
                break
            }
            position &+= 1
        }
        if position <= count {
            self.checkGeneral(segment, from: position, definition: index, tables: tables, present: present)
            return
        }
        // Mandatory elements after the last one present: the mask answers for the first 64 without a loop.
        let trailing: UInt64 = count >= 64 ? 0 : ~((1 << UInt64(count)) &- 1)
        if (count < defined && (definition.mandatoryElements & trailing != 0 || defined > 64))
            || (definition.noteCount > 0 && self.notesPassed[Int(definition.noteStart)] != present.low)
        {
            var state = ElementState()
            self.finishSegment(index, state: &state, present: &present, beyond: 0, beyondOffset: 0, lastElement: count)
        }
    }

    /// The elements of a segment from `first` on through the element state machine: repetitions, separators in
    /// simple elements, elements beyond the defined ones.
    @inline(never)
    private mutating func checkGeneral(
        _ segment: TableSegment,
        from first: Int,
        definition index: Int,
        tables: TransactionTables,
        present: SlotSet
    ) {
        guard let bytes = tables.bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let base = tables.baseOffset
        var present = present
        var state = ElementState()
        var beyond = 0
        var beyondOffset = 0
        let count = segment.elementCount
        for position in stride(from: first, through: count, by: 1) {
            let range = segment.element(position)
            var coordinates = ValueCoordinates(element: position, byteOffset: base + range.lowerBound)
            var valueStart = range.lowerBound
            var cursor = range.lowerBound
            while cursor < range.upperBound {
                let kind = self.classes[Int(bytes[cursor])] & CompiledGrammar.ByteClass.anySeparator
                if kind != 0 {
                    self.visit(
                        coordinates,
                        UnsafeRawBufferPointer(start: bytes + valueStart, count: cursor - valueStart),
                        definition: index,
                        state: &state,
                        present: &present,
                        beyond: &beyond,
                        beyondOffset: &beyondOffset
                    )
                    if kind == CompiledGrammar.ByteClass.componentSeparator {
                        coordinates.component += 1
                    } else {
                        coordinates.repetition += 1
                        coordinates.component = 1
                    }
                    valueStart = cursor + 1
                    coordinates.byteOffset = base + valueStart
                }
                cursor += 1
            }
            self.visit(
                coordinates,
                UnsafeRawBufferPointer(start: bytes + valueStart, count: range.upperBound - valueStart),
                definition: index,
                state: &state,
                present: &present,
                beyond: &beyond,
                beyondOffset: &beyondOffset
            )
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
        _ bytes: UnsafePointer<UInt8>,
        _ range: Range<Int>,
        _ elementIndex: Int,
        position: Int,
        definition index: Int,
        baseOffset: Int,
        present: inout SlotSet
    ) {
        let grammar = self.tables
        let classes = UnsafePointer(self.classes)
        let element = grammar.elements + elementIndex
        let componentStart = Int(element.pointee.componentStart)
        let quick = grammar.quickComponents + componentStart
        let componentCount = Int(element.pointee.componentCount)
        var componentsPresent: UInt64 = 0
        var extra = 0
        var extraOffset = 0
        var component = 1
        var start = range.lowerBound
        var cursor = range.lowerBound
        var found: UInt8 = 0
        while true {
            if cursor < range.upperBound {
                let kind = classes[Int(bytes[cursor])]
                if kind & CompiledGrammar.ByteClass.componentSeparator == 0 {
                    found |= kind
                    cursor &+= 1
                    continue
                }
            }
            if start < cursor {
                if component <= componentCount {
                    if component <= 64 { componentsPresent |= 1 << UInt64(component - 1) }
                    let check = quick[component - 1]
                    let length = cursor - start
                    if !check.accepts(found, length: length) {
                        self.checkValue(
                            UnsafeRawBufferPointer(start: bytes + start, count: length),
                            grammar.components + componentStart + component - 1,
                            classes: found,
                            definition: index,
                            coordinates: ValueCoordinates(
                                element: position,
                                component: component,
                                byteOffset: baseOffset + start
                            ),
                            component: component
                        )
                    }
                } else if component > extra {
                    if extra == 0 { extraOffset = baseOffset + start }
                    extra = component
                }
            }
            if cursor >= range.upperBound { break }
            found = 0
            component += 1
            start = cursor + 1
            cursor += 1
        }
        guard componentsPresent != 0 || extra > 0 else {
            // Nothing in any component: the element is absent.
            if element.pointee.mandatory {
                self.reportMissingElement(position, definition: index, byteOffset: baseOffset + range.lowerBound)
            }
            return
        }
        present.insert(position)
        // Nothing more to check unless a component is missing, one too many, or the composite has notes.
        if extra > 0 || element.pointee.mandatoryComponents & ~componentsPresent != 0 || componentCount > 64
            || (element.pointee.noteCount > 0
                && self.notesPassed[Int(element.pointee.noteStart)] != componentsPresent)
        {
            self.finishComposite(
                element.pointee,
                segment: index,
                position: position,
                repetition: nil,
                componentsPresent: componentsPresent,
                extraComponent: extra,
                extraComponentOffset: extraOffset,
                repetitionOffset: baseOffset + range.lowerBound
            )
        }
    }

    @inline(never)
    private mutating func reportMissingElement(_ position: Int, definition index: Int, byteOffset: Int) {
        self.report(
            ValidationFindings.mandatoryElementMissing(
                at: self.location(element: position, byteOffset: byteOffset),
                loops: self.loopPath,
                reference: self.compiled.definitions[index].elements[position - 1].reference
            )
        )
    }

    /// The closer look at a value the quick check did not accept outright: codes, dates and times, and the exact
    /// check when its classes or length fail the quick test.
    @inline(never)
    private mutating func checkValue(
        _ value: UnsafeRawBufferPointer,
        _ definition: UnsafePointer<CompiledGrammar.Element>,
        classes: UInt8,
        definition index: Int,
        coordinates: ValueCoordinates,
        component: Int?
    ) {
        let element = definition.pointee
        let problem: (Finding.Code, Int)?
        let length = value.count
        if classes & element.reject != 0 || length < Int(element.minimum) || length > Int(element.maximum) {
            problem = Self.check(value, element, self.compiled, self.decimalMark, self.countsScalars)
        } else if element.type == .date {
            problem = ValueCheck.isDate(value) ? nil : (.invalidDate, length)
        } else if element.type == .time {
            problem = ValueCheck.isTime(value) ? nil : (.invalidTime, length)
        } else if element.codes >= 0 && !self.contains(value, codes: Int(element.codes)) {
            problem = (.invalidCodeValue, length)
        } else {
            problem = nil
        }
        if let problem {
            self.reportValue(problem, element, segment: index, coordinates: coordinates, component: component)
        }
    }

    /// Whether code set `index` holds `value`: packed codes searched in place, longer ones through ``CodeSet``.
    private func contains(_ value: UnsafeRawBufferPointer, codes index: Int) -> Bool {
        guard value.count <= 7 else { return self.compiled.codeSets[index].contains(value) }
        let range = self.tables.codeRanges[index]
        let codes = self.tables.codes + Int(range.start)
        let key = CodeSet.pack(value)
        var low = 0
        var high = Int(range.count)
        while low < high {
            let middle = (low + high) >> 1
            let code = codes[middle]
            if code == key { return true }
            if code < key { low = middle + 1 } else { high = middle }
        }
        return false
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
        self.top = -1
        defer { self.top = 0 }
        guard let index = self.compiled.segmentIndex[segment.packedTag] else {
            self.report(
                ValidationFindings.segmentNotInTransaction(
                    segment.tag,
                    document: self.compiled.document,
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
    @inline(__always)
    private mutating func place(_ segmentTag: SegmentTag) -> Int {
        let tag = segmentTag.rawValue
        let grammar = self.tables
        var depth = self.top
        while depth >= 0 {
            let frame = self.frames[depth]
            let loop = grammar.loops[Int(frame.loop)]
            // Inside a loop, its trigger segment again starts the next occurrence, which the enclosing level
            // places; so the search there starts after the trigger.
            let from = depth > 0 ? max(Int(frame.index), 1) : Int(frame.index)
            // The loop's tag table gives the first child with the tag; its chain, the later ones.
            let slots = grammar.tagSlots + Int(loop.slotStart)
            var slot = CompiledGrammar.slot(tag, loop.slotMask)
            var entry = slots[slot]
            while entry != 0 && UInt32(truncatingIfNeeded: entry >> 32) != tag {
                slot = (slot + 1) & Int(loop.slotMask)
                entry = slots[slot]
            }
            if entry != 0 {
                var child = Int(UInt32(truncatingIfNeeded: entry))
                while child >= 0 && child < from { child = Int(grammar.nextSameTag[Int(loop.start) + child]) }
                if child >= 0 {
                    self.advance(depth: depth, to: child)
                    return Int(grammar.children[Int(loop.start) + child].segment)
                }
            }
            depth -= 1
        }
        self.reportNotPlaced(segmentTag)
        return -1
    }

    /// Reports a segment the structure has no place for here: unknown to the document, or out of order.
    @inline(never)
    private mutating func reportNotPlaced(_ segmentTag: SegmentTag) {
        let name = self.segment?.tag ?? ""
        if self.compiled.segmentIndex[segmentTag] == nil {
            self.report(
                ValidationFindings.segmentNotInTransaction(
                    name,
                    document: self.compiled.document,
                    at: self.location(),
                    loops: self.loopPath
                )
            )
        } else {
            self.report(ValidationFindings.segmentOutOfSequence(name, at: self.location(), loops: self.loopPath))
        }
    }

    /// Moves the cursor to child `index` of the loop at `depth`, closing deeper loops and reporting mandatory
    /// positions skipped and repeats exceeded (out of line, so this stays small).
    @inline(__always)
    private mutating func advance(depth: Int, to index: Int) {
        if self.top > depth { self.closeLoops(deeperThan: depth) }
        let grammar = self.tables
        let frame = self.frames[depth]
        let loop = grammar.loops[Int(frame.loop)]
        let count: Int
        if index == Int(frame.index) && frame.count > 0 {
            count = Int(frame.count) + 1
            self.frames[depth].count = Int32(truncatingIfNeeded: count)
        } else {
            let firstSkipped = frame.count > 0 ? Int(frame.index) + 1 : Int(frame.index)
            if firstSkipped < index && Self.hasMandatory(loop, from: firstSkipped, to: index) {
                self.reportSkipped(loop, from: firstSkipped, to: index)
            }
            count = 1
            self.frames[depth] = Frame(loop: frame.loop, index: Int32(index), count: 1)
        }
        let child = grammar.children[Int(loop.start) + index]
        if child.loop >= 0 {
            let maximum = Int(grammar.loops[Int(child.loop)].maximumRepeat)
            if maximum > 0 && count == maximum + 1 { self.reportRepeatExceeded(Int(loop.start) + index) }
            // The trigger segment is the loop's first child, now used once.
            self.top += 1
            self.frames[self.top] = Frame(loop: child.loop, index: 0, count: 1)
        } else if child.maximumRepeat > 0 && count == Int(child.maximumRepeat) + 1 {
            self.reportRepeatExceeded(Int(loop.start) + index)
        }
    }

    @inline(never)
    private mutating func closeLoops(deeperThan depth: Int) {
        while self.top > depth {
            self.close(self.top, atEnd: false)
            self.top -= 1
        }
    }

    @inline(never)
    private mutating func reportSkipped(_ loop: CompiledGrammar.Loop, from first: Int, to end: Int) {
        for skipped in first..<end {
            self.reportMissing(Int(loop.start) + skipped, atEnd: false)
        }
    }

    /// Reports that child `child` (a segment or a loop) occurred once more than its maximum.
    @inline(never)
    private mutating func reportRepeatExceeded(_ child: Int) {
        let entry = self.tables.children[child]
        if entry.loop >= 0 {
            self.report(
                ValidationFindings.loopRepeatExceeded(
                    self.compiled.loopIdentifiers[Int(entry.loop)],
                    maximum: Int(self.tables.loops[Int(entry.loop)].maximumRepeat),
                    at: self.location(),
                    loops: self.loopPath
                )
            )
        } else {
            self.report(
                ValidationFindings.segmentRepeatExceeded(
                    self.compiled.childNames[child],
                    maximum: Int(entry.maximumRepeat),
                    at: self.location(),
                    loops: self.loopPath
                )
            )
        }
    }

    /// Reports the mandatory children after the cursor of the loop at `depth`, which is ending.
    private mutating func close(_ depth: Int, atEnd: Bool) {
        let frame = self.frames[depth]
        let loop = self.tables.loops[Int(frame.loop)]
        let firstSkipped = frame.count > 0 ? Int(frame.index) + 1 : Int(frame.index)
        guard firstSkipped < Int(loop.count), Self.hasMandatory(loop, from: firstSkipped, to: Int(loop.count)) else {
            return
        }
        self.reportClosed(loop, from: firstSkipped, atRoot: depth == 0, atEnd: atEnd)
    }

    @inline(never)
    private mutating func reportClosed(_ loop: CompiledGrammar.Loop, from first: Int, atRoot: Bool, atEnd: Bool) {
        for skipped in first..<Int(loop.count) {
            let child = Int(loop.start) + skipped
            // Trailers are the reader's to report (missingTrailer), not validation's.
            let name = self.compiled.childNames[child]
            if atRoot && (name == "SE" || name == "UNT") { continue }
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
        let entry = self.tables.children[child]
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
        let definition = self.tables.segments[index]
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
        let element = self.tables.elements[state.element]
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
        let component = self.tables.components[Int(element.componentStart) + coordinates.component - 1]
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
        let definition = self.tables.segments[index]
        self.finishElement(&state, present: &present, segment: index)
        let elementStart = Int(definition.elementStart)
        let elementCount = Int(definition.elementCount)
        if beyond > 0 {
            self.report(
                ValidationFindings.tooManyElements(
                    self.compiled.definitions[index].tag,
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
            where self.tables.elements[elementStart + position - 1].mandatory {
                self.report(
                    ValidationFindings.mandatoryElementMissing(
                        at: self.location(element: position),
                        loops: self.loopPath,
                        reference: self.compiled.definitions[index].elements[position - 1].reference
                    )
                )
            }
        }
        if definition.noteCount > 0 {
            self.checkNotes(
                start: Int(definition.noteStart),
                count: Int(definition.noteCount),
                present: present,
                scope: NoteScope(segment: index)
            )
        }
    }

    /// Ends the element in `state`: repetitions, presence, and its last repetition's components.
    private mutating func finishElement(_ state: inout ElementState, present: inout SlotSet, segment: Int) {
        guard state.position > 0, state.element >= 0 else { return }
        self.finishRepetition(&state, segment: segment)
        let element = self.tables.elements[state.element]
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
        let element = self.tables.elements[state.element]
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
                && self.tables.components[Int(element.componentStart) + index].mandatory
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
            self.checkNotes(
                start: Int(element.noteStart),
                count: Int(element.noteCount),
                present: present,
                scope: NoteScope(
                    segment: segment,
                    composite: position,
                    repetition: repetition,
                    byteOffset: repetitionOffset
                )
            )
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

    /// What the positions of a syntax note are: elements of a segment, or components of one repetition of a
    /// composite element.
    private struct NoteScope {
        var segment: Int
        var composite: Int? = nil
        var repetition: Int? = nil
        var byteOffset: Int? = nil
    }

    /// The location and dictionary reference of position `index` of a note in `scope`, built only to report.
    private func notePosition(_ scope: NoteScope, _ index: Int) -> (Location, String) {
        guard let composite = scope.composite else {
            return (
                self.location(element: index),
                self.compiled.definitions[scope.segment].elements[index - 1].reference
            )
        }
        return (
            self.location(
                element: composite,
                component: index,
                repetition: scope.repetition,
                byteOffset: scope.byteOffset
            ),
            self.reference(segment: scope.segment, element: composite, component: index)
        )
    }

    /// Checks the syntax notes `notes[start..<(start + count)]` against the positions in `present`, with bit
    /// masks; `scope` says where a note's positions are, and is read only when a note is broken.
    private mutating func checkNotes(
        start: Int,
        count: Int,
        present: SlotSet,
        scope: NoteScope
    ) {
        let bits = present.low
        if self.notesPassed[start] == bits { return }
        var broken = false
        defer { if !broken && bits != ~0 { self.notesPassed[start] = bits } }
        for noteIndex in start..<(start + count) {
            let note = self.tables.notes[noteIndex]
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
                    missing = others & (~others &+ 1)
                }
            case .firstExcludesOthers:
                if firstPresent { excluded = here & ~note.first }
            }
            guard missing != 0 || excluded != 0 else { continue }
            broken = true
            self.reportNote(noteIndex, present: bits, missing: missing, excluded: excluded, scope: scope)
        }
    }

    private mutating func reportNote(
        _ noteIndex: Int,
        present: UInt64,
        missing: UInt64,
        excluded: UInt64,
        scope: NoteScope
    ) {
        let note = self.tables.notes[noteIndex]
        let text = self.compiled.sourceNotes[noteIndex].text
        func describe(_ index: Int) -> (Location, String) { self.notePosition(scope, index) }
        // What makes the others matter (999 CTX): the note's first position, or for exclusions the first present.
        let triggerBit: UInt64 =
            switch note.kind {
            case .exclusive, .exactlyOne: (present & note.mask) & (~(present & note.mask) &+ 1)
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
        guard !self.totalPositions.isEmpty, let transaction = self.transaction else { return }
        // Counts are plain numbers in plain segments: read from the tables; anything else through views.
        let settled = transaction.withTables { tables in self.settledTotals(tables) }
        if !settled { self.checkTotalsThroughViews() }
        if self.compiled.hasSums { self.checkSums() }
    }

    /// The value of element `position` (and `component`) of `segment` as bytes, through views.
    private static func value(
        of segment: Segment,
        _ position: Int,
        _ component: Int?,
        _ body: (UnsafeRawBufferPointer) -> Void
    ) {
        guard let element = segment[position] else { return }
        if let component {
            element.component(component)?.withValueBytes(body)
        } else {
            element.withValueBytes(body)
        }
    }

    /// Whether `segment`'s qualifier at `position` (and `component`) has the value `code`; true without a qualifier.
    private static func qualifies(_ segment: Segment, _ position: Int?, _ component: Int?, _ code: String?) -> Bool {
        guard let position, let code else { return true }
        var equal = false
        Self.value(of: segment, position, component) { equal = $0.elementsEqual(code.utf8) }
        return equal
    }

    /// Sum totals (`total MOA01-02 sum MOA01-02 where MOA01-01 203 when MOA01-01 79`): the total's value against
    /// the exact decimal sum of the values it adds up. Amounts never appear in the message.
    private mutating func checkSums() {
        guard let transaction = self.transaction else { return }
        let mark = self.decimalMark
        for rule in self.compiled.totals {
            guard let source = rule.sum else { continue }
            let tag = SegmentTag(rule.tag)
            // The sum of the whole transaction's sources, the same for every total: made once, when the first total
            // is read (a message repeating its summary section must not sum its lines once per repetition).
            var summed: (sum: (mantissa: Int, scale: Int)?, count: Int)?
            for position in self.totalPositions {
                guard let segment = transaction.segment(at: position), segment.packedTag == tag,
                    Self.qualifies(segment, rule.qualifierPosition, rule.qualifierComponent, rule.qualifierValue)
                else { continue }
                var total: (mantissa: Int, scale: Int)?
                Self.value(of: segment, rule.position, rule.component) { total = ValueCheck.decimal($0, mark: mark) }
                // An absent or malformed total is the element checks' finding, not this rule's.
                guard let total else { continue }
                if summed == nil { summed = Self.sum(of: source, in: transaction, mark: mark) }
                guard let (sum, count) = summed else { continue }
                // A document that gives its line amounts another way (no summed value at all) is not checked.
                guard count > 0, let sum, ValueCheck.equal(sum, total) == false else { continue }
                var location = segment.location
                if let element = segment[rule.position] {
                    location = rule.component.flatMap { element.component($0)?.location } ?? element.location
                }
                location.transactionSegmentNumber = position
                self.report(
                    ValidationFindings.sumMismatch(
                        summed: Self.sumDescription(source),
                        at: location,
                        loops: [],
                        reference: self.reference(of: rule)
                    )
                )
            }
        }
    }

    /// The sum of `source`'s values over `transaction` and how many were summed; a sum of `nil` when a value is not a
    /// number or the sum goes beyond 18 digits (the total is then left unchecked).
    private static func sum(
        of source: TotalRule.SumSource,
        in transaction: Transaction,
        mark: UInt8
    ) -> (sum: (mantissa: Int, scale: Int)?, count: Int) {
        let sourceTag = SegmentTag(source.tag)
        var sum: (mantissa: Int, scale: Int)? = (0, 0)
        var summed = 0
        for index in stride(from: 1, through: transaction.segmentCount, by: 1) {
            guard let candidate = transaction.segment(at: index), candidate.packedTag == sourceTag,
                Self.qualifies(candidate, source.qualifierPosition, source.qualifierComponent, source.qualifierValue)
            else { continue }
            var value: (mantissa: Int, scale: Int)?
            var present = false
            Self.value(of: candidate, source.position, source.component) {
                present = !$0.isEmpty
                value = ValueCheck.decimal($0, mark: mark)
            }
            guard present else { continue }
            guard let value, let current = sum else { return (nil, summed) }
            sum = ValueCheck.add(current, value)
            summed += 1
        }
        return (sum, summed)
    }

    /// `MOA01-02 of MOA segments whose MOA01-01 is 203`, for messages.
    private static func sumDescription(_ source: TotalRule.SumSource) -> String {
        func reference(_ position: Int, _ component: Int?) -> String {
            let base = source.tag + (position < 10 ? "0" : "") + String(position)
            return component.map { base + "-" + String($0) } ?? base
        }
        var text = reference(source.position, source.component) + " of \(source.tag) segments"
        if let position = source.qualifierPosition, let code = source.qualifierValue {
            text += " whose \(reference(position, source.qualifierComponent)) is \(code)"
        }
        return text
    }

    /// Checks the totals straight from the tables; returns `false` when a total segment needs views or a total
    /// does not match (then the view path checks and reports them all).
    private mutating func settledTotals(_ tables: TransactionTables) -> Bool {
        guard let base = tables.bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return false }
        let component = tables.delimiters.component
        let repetition = tables.delimiters.repetition ?? component
        // The bytes of element `position` (or one of its components) when no separator other than the component
        // separator splits it; `nil` when the value needs views.
        func value(_ segment: TableSegment, _ position: Int, _ part: Int?) -> UnsafeRawBufferPointer?? {
            guard position <= segment.elementCount else { return .some(nil) }
            let range = segment.element(position)
            var start = range.lowerBound
            var index = 1
            for cursor in range {
                let byte = base[cursor]
                if byte == repetition && repetition != component { return nil }
                if byte == component {
                    guard part != nil else { return nil }
                    if index == part { return UnsafeRawBufferPointer(start: base + start, count: cursor - start) }
                    index += 1
                    start = cursor + 1
                }
            }
            guard part == nil || index == part else { return .some(nil) }
            return UnsafeRawBufferPointer(start: base + start, count: range.upperBound - start)
        }
        for (ruleIndex, rule) in self.compiled.totals.enumerated() where rule.sum == nil {
            let tag = self.compiled.totalTags[ruleIndex]
            for position in self.totalPositions {
                let segment = tables.segment(position)
                guard segment.tag == tag else { continue }
                if segment.needsViews { return false }
                if let qualifier = rule.qualifierPosition, let wanted = rule.qualifierValue {
                    guard let bytes = value(segment, qualifier, rule.qualifierComponent) else { return false }
                    guard let bytes, bytes.elementsEqual(wanted.utf8) else { continue }
                }
                guard let bytes = value(segment, rule.position, rule.component) else { return false }
                guard let bytes, !bytes.isEmpty else { continue }
                // A mismatch is reported by the view path, which builds locations.
                if ValueCheck.integer(bytes) != self.counted[ruleIndex] { return false }
            }
        }
        return true
    }

    /// The totals read through segment views; reports mismatches.
    private mutating func checkTotalsThroughViews() {
        for (ruleIndex, rule) in self.compiled.totals.enumerated() where rule.sum == nil {
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
        guard let slot = self.compiled.definitionsByTag[rule.tag]?.elements[rule.position - 1] else { return "" }
        if let component = rule.component, case .composite(let composite) = slot.content {
            return composite.components[component - 1].element.identifier
        }
        return slot.reference
    }

    /// HL01 numbered 1, 2, 3…; HL02 an earlier HL01; HL03 under its parent as a hierarchy path allows; HL04 1
    /// exactly when children follow. Works on the values packed as read; text is decoded only to report.
    private mutating func checkHierarchy() {
        let paths = self.configuration.hierarchy ?? self.compiled.hierarchyPaths
        let packedPaths =
            self.configuration.hierarchy.map { $0.map { $0.map { CodeSet.pack(Array($0.utf8)) } } }
            ?? self.compiled.hierarchy
        // Parents by index, -1 for none; levels that have children are marked in place.
        var parents = self.memory.takeParents()
        defer { self.memory.parents = parents }
        let loops = ["HL"]
        // HL01 is almost always 1, 2, 3…: a parent is found by its number; other identifiers by a table.
        var indexByID: [UInt64: Int]?
        for index in self.hierarchy.indices {
            let level = self.hierarchy[index]
            var parentIndex = -1
            if let parent = level.parent {
                if let candidate = Self.hierarchyNumber(parent), candidate >= 1, candidate <= index,
                    self.hierarchy[candidate - 1].id == parent
                {
                    parentIndex = candidate - 1
                } else {
                    if indexByID == nil {
                        var table: [UInt64: Int] = [:]
                        for (other, entry) in self.hierarchy.enumerated() where table[entry.id] == nil {
                            table[entry.id] = other
                        }
                        indexByID = table
                    }
                    if let found = indexByID?[parent], found < index { parentIndex = found }
                }
            }
            parents.append(parentIndex)
            if parentIndex >= 0 {
                self.hierarchy[parentIndex].hasChildren = true
                // Levels below the top-level ancestor: parents come earlier, so one pass.
                self.hierarchy[index].depth = self.hierarchy[parentIndex].depth + 1
                if self.hierarchy[index].depth == self.configuration.maximumHierarchyDepth + 1 {
                    self.report(
                        ValidationFindings.hierarchy(
                            .hierarchyDepth,
                            "expected an HL at most \(self.configuration.maximumHierarchyDepth) levels below its "
                                + "top-level HL, found one deeper",
                            at: self.hierarchyLocation(level, 2),
                            loops: loops,
                            reference: "734"
                        )
                    )
                }
            }
        }
        let levels = self.hierarchy
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
                    let allowed = Self.allows(packedPaths, parent: levels[parentIndex].level, child: level.level)
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
                let expected: UInt8 = level.hasChildren ? UInt8(ascii: "1") : UInt8(ascii: "0")
                if level.childCode != expected {
                    let found =
                        level.childCode == UInt8(ascii: "1") || level.childCode == UInt8(ascii: "0")
                        ? String(UnicodeScalar(level.childCode)) : "another code"
                    let reason = level.hasChildren ? "children follow" : "no children follow"
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

    /// Whether a path in `paths` has level `child` right under level `parent`.
    private static func allows(_ paths: [[UInt64]], parent: UInt64, child: UInt64) -> Bool {
        for path in paths {
            var index = 1
            while index < path.count {
                if path[index - 1] == parent && path[index] == child { return true }
                index += 1
            }
        }
        return false
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
    /// Whether a later HL names this one as parent (found by the hierarchy rule).
    var hasChildren = false
    /// Levels between this one and its top-level ancestor (found by the hierarchy rule).
    var depth = 0

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

    @inline(__always)
    mutating func insert(_ position: Int) {
        if position &- 1 < 64 && position >= 1 {
            self.low |= 1 &<< UInt64(truncatingIfNeeded: position &- 1)
        } else if position >= 65 && position <= 128 {
            self.high |= 1 &<< UInt64(truncatingIfNeeded: position &- 65)
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

/// A loop being walked: which child is current and how often it occurred.
struct LoopFrame {
    var loop: Int32
    var index: Int32
    var count: Int32
}

/// Memory validation runs borrow one at a time, so validating a stream of transactions allocates once rather than
/// per transaction. Owned by one ``InterchangeValidation`` (which replaces it when a copy shares it) or by one call.
final class ValidationMemory: @unchecked Sendable {
    private var frameMemory: UnsafeMutablePointer<LoopFrame>
    private var frameCapacity: Int
    /// ``CompiledGrammar/ByteClass/table``, with the separators of the transaction at hand marked during a walk.
    let classes: UnsafeMutablePointer<UInt8>
    var counted: [Int] = []
    var totalPositions: [Int] = []
    var hierarchy: [HierarchyLevel] = []
    var parents: [Int] = []
    /// Per syntax-note range of the grammar in use (by its first note), the last presence mask that broke none
    /// of its notes: segments of one kind mostly repeat one pattern, which then costs one comparison.
    private var notesPassedMemory: UnsafeMutablePointer<UInt64>?
    private var notesPassedCapacity = 0
    private var notesPassedGrammar: ObjectIdentifier?

    init() {
        self.frameCapacity = 8
        self.frameMemory = .allocate(capacity: 8)
        self.classes = .allocate(capacity: 256)
        CompiledGrammar.ByteClass.table.withUnsafeBufferPointer {
            self.classes.initialize(from: $0.baseAddress!, count: 256)
        }
    }

    deinit {
        self.frameMemory.deallocate()
        self.classes.deallocate()
        self.notesPassedMemory?.deallocate()
    }

    /// The notes cache for `grammar`, emptied when the grammar changes.
    func notesPassed(for grammar: CompiledGrammar) -> UnsafeMutablePointer<UInt64> {
        let identifier = ObjectIdentifier(grammar)
        let count = max(1, grammar.notes.count)
        if let memory = self.notesPassedMemory, self.notesPassedGrammar == identifier { return memory }
        if count > self.notesPassedCapacity {
            self.notesPassedMemory?.deallocate()
            self.notesPassedMemory = .allocate(capacity: count)
            self.notesPassedCapacity = count
        }
        let memory = self.notesPassedMemory!
        memory.update(repeating: ~0, count: count)
        self.notesPassedGrammar = identifier
        return memory
    }

    /// Room for `capacity` loop frames.
    func frames(capacity: Int) -> UnsafeMutablePointer<LoopFrame> {
        if capacity > self.frameCapacity {
            self.frameMemory.deallocate()
            self.frameMemory = .allocate(capacity: capacity)
            self.frameCapacity = capacity
        }
        return self.frameMemory
    }

    /// The arrays of a run, emptied with their capacity kept, and left empty here until given back.
    func takeArrays() -> (counted: [Int], totalPositions: [Int], hierarchy: [HierarchyLevel]) {
        var taken = ([Int](), [Int](), [HierarchyLevel]())
        swap(&taken.0, &self.counted)
        swap(&taken.1, &self.totalPositions)
        swap(&taken.2, &self.hierarchy)
        taken.0.removeAll(keepingCapacity: true)
        taken.1.removeAll(keepingCapacity: true)
        taken.2.removeAll(keepingCapacity: true)
        return taken
    }

    /// Takes back the arrays of a run, leaving them empty there.
    func giveBack(_ counted: inout [Int], _ totalPositions: inout [Int], _ hierarchy: inout [HierarchyLevel]) {
        swap(&counted, &self.counted)
        swap(&totalPositions, &self.totalPositions)
        swap(&hierarchy, &self.hierarchy)
    }

    func takeParents() -> [Int] {
        var taken = [Int]()
        swap(&taken, &self.parents)
        taken.removeAll(keepingCapacity: true)
        return taken
    }
}

import EDICore

/// A grammar flattened for validation: loops, segments, elements, components and syntax notes as arrays of plain
/// values indexed by number, so the validator's inner loop compares integers and copies no reference.
///
/// The public model (``Grammar``, ``SegmentDefinition``…) stays the readable form; this one is derived from it once.
/// The arrays the inner loop reads are also copied once into memory this object owns (``tables``), so the loop
/// reads them through plain pointers, with no reference counting or uniqueness check per access.
final class CompiledGrammar: @unchecked Sendable {
    /// One position of a loop: a segment or a nested loop.
    struct Child: BitwiseCopyable {
        var mandatory: Bool
        /// 0 for unbounded.
        var maximumRepeat: Int32
        /// The segment definition (for a segment, or a loop's trigger).
        var segment: Int32
        /// The nested loop, or -1.
        var loop: Int32
    }

    /// A loop: its children are `children[start..<(start + count)]`.
    struct Loop: BitwiseCopyable {
        var start: Int32
        var count: Int32
        var maximumRepeat: Int32
        /// Bit `i` set when child `i` is mandatory (children 0…63; wider loops are scanned child by child).
        var mandatory: UInt64
        /// The loop's tag table: `tagSlots[slotStart...(slotStart + slotMask)]` (see ``Tables/tagSlots``).
        var slotStart: Int32 = 0
        var slotMask: Int32 = 0
    }

    /// What the quick check of a simple value needs, in 8 bytes: the ``ByteClass`` bits its type rejects, the
    /// lengths, and flags. A value that passes is valid; one that does not gets the exact check.
    struct Quick: BitwiseCopyable {
        var reject: UInt8
        var flags: UInt8
        var minimum: UInt16
        var maximum: UInt32

        static let mandatory: UInt8 = 1
        /// Codes, a date or a time to check, or a minimum length beyond 16 bits.
        static let needsMore: UInt8 = 2
        static let composite: UInt8 = 4
        /// More than one repetition allowed: the element takes the general path.
        static let repeats: UInt8 = 8

        /// Whether a value with these byte classes and length is valid without a closer look.
        @inline(__always)
        func accepts(_ found: UInt8, length: Int) -> Bool {
            found & self.reject == 0 && length >= Int(self.minimum) && length <= Int(self.maximum)
                && self.flags & Self.needsMore == 0
        }

        init(_ element: Element) {
            self.reject = element.reject
            self.minimum = UInt16(clamping: element.minimum)
            self.maximum = UInt32(clamping: element.maximum)
            var flags: UInt8 = 0
            if element.mandatory { flags |= Self.mandatory }
            if element.needsMore || element.minimum > Int32(UInt16.max) { flags |= Self.needsMore }
            if element.componentCount > 0 { flags |= Self.composite }
            if element.maximumRepeat != 1 { flags |= Self.repeats }
            self.flags = flags
        }
    }

    /// The hash of a packed tag in a loop's tag table.
    @inline(__always)
    static func slot(_ tag: UInt32, _ mask: Int32) -> Int {
        Int(truncatingIfNeeded: (tag &* 0x9E37_79B1) >> 15) & Int(mask)
    }

    /// A segment definition: elements `elements[start..<(start + count)]`, notes `notes[noteStart...]`.
    struct Segment: BitwiseCopyable {
        var elementStart: Int32
        var elementCount: Int32
        var noteStart: Int32
        var noteCount: Int32
        /// Bit `i` set when element `i + 1` is mandatory (elements 1…64).
        var mandatoryElements: UInt64
    }

    /// A simple element or component, or a composite (`componentCount > 0`).
    struct Element: BitwiseCopyable {
        var type: Kind
        var mandatory: Bool
        var minimum: Int32
        var maximum: Int32
        var maximumRepeat: Int32
        /// Index into `codeSets`, or -1.
        var codes: Int32
        var componentStart: Int32
        var componentCount: Int32
        var noteStart: Int32
        var noteCount: Int32
        /// Bit `i` set when component `i + 1` is mandatory (components 1…64).
        var mandatoryComponents: UInt64 = 0
        /// The ``ByteClass`` bits a value of this type may not hold for the quick check to accept it: a value with
        /// any of them goes through ``ValueCheck/check(_:element:codes:decimalMark:countsScalars:)``.
        var reject: UInt8 = ByteClass.anySeparator
        /// Whether a value needs more than its bytes' classes and length: codes, a date or a time.
        var needsMore = false
    }

    /// Byte classes for the quick check of values: one table lookup and an OR per byte tell whether a value holds
    /// separators, control bytes, bytes above ASCII, digits or other characters.
    enum ByteClass {
        static let componentSeparator: UInt8 = 1
        static let repetitionSeparator: UInt8 = 2
        static let control: UInt8 = 4
        static let nonASCII: UInt8 = 8
        static let digit: UInt8 = 16
        static let nonDigit: UInt8 = 32
        static let anySeparator: UInt8 = componentSeparator | repetitionSeparator
        /// The classes of every byte, separators not yet marked (they differ by interchange).
        static let table: [UInt8] = (0...255).map { byte in
            if byte < 0x20 || byte == 0x7F { return Self.control | Self.nonDigit }
            if byte >= 0x80 { return Self.nonASCII | Self.nonDigit }
            return byte >= 0x30 && byte <= 0x39 ? Self.digit : Self.nonDigit
        }

        /// What a type's quick check rejects.
        static func reject(_ type: Kind) -> UInt8 {
            switch type {
            case .identifier, .alphanumeric: anySeparator | control | nonASCII
            case .alphabetic: anySeparator | control | nonASCII | digit
            case .numeric, .decimal, .date, .time: anySeparator | control | nonASCII | nonDigit
            case .binary, .composite: 0xFF
            }
        }
    }

    /// Where one code set's packed codes are in ``Tables/codes``.
    struct CodeRange: BitwiseCopyable {
        var start: Int32
        var count: Int32
        /// Whether the set has codes longer than 7 bytes (checked through ``CodeSet``).
        var hasLong: Bool
    }

    /// The arrays of the inner loop as pointers into memory this grammar owns; valid as long as it lives.
    struct Tables: BitwiseCopyable {
        let loops: UnsafePointer<Loop>
        let children: UnsafePointer<Child>
        let childTags: UnsafePointer<UInt32>
        /// Per loop, an open-addressing table of its children's tags: `tag << 32 | first child index`, 0 for empty.
        let tagSlots: UnsafePointer<UInt64>
        /// Per child, the next child of the same loop with the same tag, or -1.
        let nextSameTag: UnsafePointer<Int32>
        /// ``Quick`` forms of `elements` and `components`, by the same index.
        let quickElements: UnsafePointer<Quick>
        let quickComponents: UnsafePointer<Quick>
        let segments: UnsafePointer<Segment>
        let elements: UnsafePointer<Element>
        let components: UnsafePointer<Element>
        let notes: UnsafePointer<Note>
        let codeRanges: UnsafePointer<CodeRange>
        let codes: UnsafePointer<UInt64>
        let countedTags: UnsafePointer<UInt32>
        let countedTagCount: Int
        let totalTags: UnsafePointer<UInt32>
        let totalTagCount: Int
    }

    enum Kind: UInt8, BitwiseCopyable {
        case identifier, alphanumeric, alphabetic, numeric, decimal, date, time, binary, composite
    }

    /// A syntax note over positions 1…64 as bit masks.
    struct Note: BitwiseCopyable {
        var kind: SyntaxNote.Kind
        /// All positions the note names.
        var mask: UInt64
        /// The first position's bit.
        var first: UInt64
    }

    let loops: [Loop]
    let children: [Child]
    /// The children's tags alone, contiguous, for the scan that places each segment.
    let childTags: [UInt32]
    let segments: [Segment]
    let elements: [Element]
    let components: [Element]
    let notes: [Note]
    let codeSets: [CodeSet]
    /// The readable definitions, by the same index as `segments`, for building findings.
    let definitions: [SegmentDefinition]
    /// Loop identifiers by loop index, for loop paths.
    let loopIdentifiers: [String]
    /// Child tags as text, by the same index as `children`.
    let childNames: [String]
    /// The source notes by the same index as `notes`, for messages.
    let sourceNotes: [SyntaxNote]
    /// Segment definition index by tag, for segments the structure does not place.
    let segmentIndex: [SegmentTag: Int32]
    /// The packed tags of segments a total counts, and of segments that hold totals.
    let countedTags: [SegmentTag]
    let totalTags: [SegmentTag]
    /// The HL03 level paths, packed as codes (``CodeSet/pack(_:)``).
    let hierarchy: [[UInt64]]
    /// The deepest nesting of loops, the root counting 1.
    let depth: Int
    /// The hot arrays as pointers (see the type's documentation).
    let tables: Tables
    /// The transaction set identifier or message type, for messages.
    let document: String
    /// The grammar's totals and HL03 level paths as written, and its segment definitions by tag.
    let totals: [TotalRule]
    /// Whether a total is a sum (checked through views after the walk).
    let hasSums: Bool
    let hierarchyPaths: [[String]]
    let definitionsByTag: [String: SegmentDefinition]

    init(
        document: String,
        structure: LoopDefinition,
        segments definitions: [String: SegmentDefinition],
        totals: [TotalRule],
        hierarchy: [[String]]
    ) {
        self.document = document
        self.totals = totals
        self.hasSums = totals.contains { $0.sum != nil }
        self.hierarchyPaths = hierarchy
        self.definitionsByTag = definitions
        self.hierarchy = hierarchy.map { $0.map { CodeSet.pack(Array($0.utf8)) } }
        var builder = Builder()
        for tag in definitions.keys.sorted() {
            if let definition = definitions[tag] { builder.add(definition) }
        }
        _ = builder.add(structure)
        self.loops = builder.loops
        self.children = builder.children
        self.childTags = builder.childTags
        self.segments = builder.segments
        self.elements = builder.elements
        self.components = builder.components
        self.notes = builder.notes
        self.codeSets = builder.codeSets
        self.definitions = builder.definitions
        self.loopIdentifiers = builder.loopIdentifiers
        self.childNames = builder.childNames
        self.sourceNotes = builder.sourceNotes
        self.segmentIndex = builder.segmentIndex
        self.countedTags = totals.map { SegmentTag($0.countedTag) }
        self.totalTags = totals.map { SegmentTag($0.tag) }
        self.depth = Self.depth(of: structure)
        var codeRanges: [CodeRange] = []
        var codes: [UInt64] = []
        for set in builder.codeSets {
            codeRanges.append(
                CodeRange(start: Int32(codes.count), count: Int32(set.packed.count), hasLong: !set.long.isEmpty)
            )
            codes += set.packed
        }
        // Each loop's tag table, at most half full, and the chains of children sharing a tag.
        var loops = builder.loops
        var tagSlots: [UInt64] = []
        var nextSameTag = [Int32](repeating: -1, count: builder.children.count)
        for index in loops.indices {
            let start = Int(loops[index].start)
            let count = Int(loops[index].count)
            var size = 4
            while size < count * 2 { size *= 2 }
            var table = [UInt64](repeating: 0, count: size)
            for child in stride(from: count - 1, through: 0, by: -1) {
                let tag = builder.childTags[start + child]
                var slot = Self.slot(tag, Int32(size - 1))
                while table[slot] != 0 && UInt32(truncatingIfNeeded: table[slot] >> 32) != tag {
                    slot = (slot + 1) & (size - 1)
                }
                if table[slot] != 0 { nextSameTag[start + child] = Int32(truncatingIfNeeded: table[slot]) }
                table[slot] = UInt64(tag) << 32 | UInt64(child)
            }
            loops[index].slotStart = Int32(tagSlots.count)
            loops[index].slotMask = Int32(size - 1)
            tagSlots += table
        }
        self.tables = Tables(
            loops: Self.copy(loops),
            children: Self.copy(builder.children),
            childTags: Self.copy(builder.childTags),
            tagSlots: Self.copy(tagSlots),
            nextSameTag: Self.copy(nextSameTag),
            quickElements: Self.copy(builder.elements.map(Quick.init)),
            quickComponents: Self.copy(builder.components.map(Quick.init)),
            segments: Self.copy(builder.segments),
            elements: Self.copy(builder.elements),
            components: Self.copy(builder.components),
            notes: Self.copy(builder.notes),
            codeRanges: Self.copy(codeRanges),
            codes: Self.copy(codes),
            countedTags: Self.copy(self.countedTags.map(\.rawValue)),
            countedTagCount: self.countedTags.count,
            totalTags: Self.copy(self.totalTags.map(\.rawValue)),
            totalTagCount: self.totalTags.count
        )
    }

    deinit {
        let tables = self.tables
        tables.loops.deallocate()
        tables.children.deallocate()
        tables.childTags.deallocate()
        tables.tagSlots.deallocate()
        tables.nextSameTag.deallocate()
        tables.quickElements.deallocate()
        tables.quickComponents.deallocate()
        tables.segments.deallocate()
        tables.elements.deallocate()
        tables.components.deallocate()
        tables.notes.deallocate()
        tables.codeRanges.deallocate()
        tables.codes.deallocate()
        tables.countedTags.deallocate()
        tables.totalTags.deallocate()
    }

    /// A copy of `array` in memory this grammar frees.
    private static func copy<Value: BitwiseCopyable>(_ array: [Value]) -> UnsafePointer<Value> {
        let memory = UnsafeMutablePointer<Value>.allocate(capacity: max(1, array.count))
        _ = UnsafeMutableBufferPointer(start: memory, count: array.count).initialize(from: array)
        return UnsafePointer(memory)
    }

    private static func depth(of loop: LoopDefinition) -> Int {
        var deepest = 0
        for child in loop.children {
            if case .loop(let nested) = child { deepest = max(deepest, Self.depth(of: nested)) }
        }
        return deepest + 1
    }

    /// The index of the root loop (the whole transaction).
    var rootLoop: Int { self.loops.count - 1 }

    private struct Builder {
        var loops: [Loop] = []
        var children: [Child] = []
        var segments: [Segment] = []
        var elements: [Element] = []
        var components: [Element] = []
        var notes: [Note] = []
        var sourceNotes: [SyntaxNote] = []
        var codeSets: [CodeSet] = []
        var definitions: [SegmentDefinition] = []
        var loopIdentifiers: [String] = []
        var childNames: [String] = []
        var childTags: [UInt32] = []
        var segmentIndex: [SegmentTag: Int32] = [:]

        mutating func add(_ definition: SegmentDefinition) {
            let elementStart = Int32(self.elements.count)
            for slot in definition.elements {
                self.elements.append(self.element(slot))
            }
            let (noteStart, noteCount) = self.add(definition.syntaxNotes)
            self.segmentIndex[SegmentTag(definition.tag)] = Int32(self.segments.count)
            var mandatoryElements: UInt64 = 0
            for (index, slot) in definition.elements.enumerated() where slot.usage == .mandatory && index < 64 {
                mandatoryElements |= 1 << UInt64(index)
            }
            self.segments.append(
                Segment(
                    elementStart: elementStart,
                    elementCount: Int32(definition.elements.count),
                    noteStart: noteStart,
                    noteCount: noteCount,
                    mandatoryElements: mandatoryElements
                )
            )
            self.definitions.append(definition)
        }

        mutating func add(_ notes: [SyntaxNote]) -> (Int32, Int32) {
            let start = Int32(self.notes.count)
            for note in notes where note.positions.allSatisfy({ $0 >= 1 && $0 <= 64 }) {
                var mask: UInt64 = 0
                for position in note.positions { mask |= 1 << UInt64(position - 1) }
                self.notes.append(Note(kind: note.kind, mask: mask, first: 1 << UInt64(note.positions[0] - 1)))
                self.sourceNotes.append(note)
            }
            return (start, Int32(self.notes.count) - start)
        }

        mutating func element(_ slot: ElementSlot) -> Element {
            switch slot.content {
            case .simple(let definition):
                var element = self.simple(definition, mandatory: slot.usage == .mandatory)
                element.maximumRepeat = Int32(clamping: slot.maximumRepeat)
                return element
            case .composite(let composite):
                let start = Int32(self.components.count)
                for component in composite.components {
                    self.components.append(self.simple(component.element, mandatory: component.usage == .mandatory))
                }
                let (noteStart, noteCount) = self.add(composite.syntaxNotes)
                var mandatoryComponents: UInt64 = 0
                for (index, component) in composite.components.enumerated()
                where component.usage == .mandatory && index < 64 {
                    mandatoryComponents |= 1 << UInt64(index)
                }
                return Element(
                    type: .composite,
                    mandatory: slot.usage == .mandatory,
                    minimum: 0,
                    maximum: 0,
                    maximumRepeat: Int32(clamping: slot.maximumRepeat),
                    codes: -1,
                    componentStart: start,
                    componentCount: Int32(composite.components.count),
                    noteStart: noteStart,
                    noteCount: noteCount,
                    mandatoryComponents: mandatoryComponents,
                    reject: 0xFF
                )
            }
        }

        mutating func simple(_ definition: ElementDefinition, mandatory: Bool) -> Element {
            var codes: Int32 = -1
            if let list = definition.codes {
                codes = Int32(self.codeSets.count)
                self.codeSets.append(CodeSet(list))
            }
            let type: Kind =
                switch definition.type {
                case .identifier: .identifier
                case .alphanumeric: .alphanumeric
                case .alphabetic: .alphabetic
                case .numeric: .numeric
                case .decimal: .decimal
                case .date: .date
                case .time: .time
                case .binary: .binary
                }
            return Element(
                type: type,
                mandatory: mandatory,
                minimum: Int32(clamping: definition.minimumLength),
                maximum: Int32(clamping: definition.maximumLength),
                maximumRepeat: 1,
                codes: codes,
                componentStart: 0,
                componentCount: 0,
                noteStart: 0,
                noteCount: 0,
                reject: ByteClass.reject(type),
                needsMore: codes >= 0 || type == .date || type == .time
            )
        }

        /// Adds `loop` and its nested loops (nested first); returns its index.
        mutating func add(_ loop: LoopDefinition) -> Int32 {
            var entries: [Child] = []
            var names: [String] = []
            var tags: [UInt32] = []
            for child in loop.children {
                let tag = SegmentTag(child.tag)
                let segment = self.segmentIndex[tag] ?? -1
                var nested: Int32 = -1
                if case .loop(let definition) = child { nested = self.add(definition) }
                entries.append(
                    Child(
                        mandatory: child.usage == .mandatory,
                        maximumRepeat: Int32(clamping: child.maximumRepeat ?? 0),
                        segment: segment,
                        loop: nested
                    )
                )
                names.append(child.tag)
                tags.append(tag.rawValue)
            }
            let start = Int32(self.children.count)
            self.children += entries
            self.childNames += names
            self.childTags += tags
            var mandatory: UInt64 = 0
            for (index, entry) in entries.enumerated() where entry.mandatory && index < 64 {
                mandatory |= 1 << UInt64(index)
            }
            if entries.count > 64 { mandatory = ~0 }
            self.loops.append(
                Loop(
                    start: start,
                    count: Int32(entries.count),
                    maximumRepeat: Int32(clamping: loop.maximumRepeat ?? 0),
                    mandatory: mandatory
                )
            )
            self.loopIdentifiers.append(loop.identifier)
            return Int32(self.loops.count - 1)
        }
    }
}

/// Allowed codes, compared as bytes: codes of up to 7 bytes packed into sorted integers, longer ones as text.
struct CodeSet: Sendable {
    let packed: [UInt64]
    let long: Set<String>
    /// The codes as written, for messages.
    let all: Set<String>

    init(_ codes: Set<String>) {
        var packed: [UInt64] = []
        var long: Set<String> = []
        for code in codes {
            let bytes = Array(code.utf8)
            if bytes.count <= 7 {
                packed.append(Self.pack(bytes))
            } else {
                long.insert(code)
            }
        }
        self.packed = packed.sorted()
        self.long = long
        self.all = codes
    }

    /// Up to 7 bytes as an integer, the length in the top 4 bits, so different byte strings never pack equally.
    static func pack(_ bytes: some Collection<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for byte in bytes { value = value << 8 | UInt64(byte) }
        return value | UInt64(bytes.count) << 60
    }

    /// ``pack(_:)`` for bytes in memory, the form validation reads.
    @inline(__always)
    static func pack(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var value: UInt64 = 0
        var index = 0
        while index < bytes.count {
            value = value << 8 | UInt64(bytes[index])
            index &+= 1
        }
        return value | UInt64(bytes.count) << 60
    }

    func contains(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if bytes.count <= 7 {
            let key = Self.pack(bytes)
            var low = 0
            var high = self.packed.count
            while low < high {
                let middle = (low + high) / 2
                let value = self.packed[middle]
                if value == key { return true }
                if value < key { low = middle + 1 } else { high = middle }
            }
            return false
        }
        return self.long.contains(String(decoding: bytes, as: UTF8.self))
    }
}

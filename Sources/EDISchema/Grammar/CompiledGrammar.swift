import EDICore

/// A grammar flattened for validation: loops, segments, elements, components and syntax notes as arrays of plain
/// values indexed by number, so the validator's inner loop compares integers and copies no reference.
///
/// The public model (``Grammar``, ``SegmentDefinition``…) stays the readable form; this one is derived from it once.
final class CompiledGrammar: Sendable {
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
    }

    enum Kind: UInt8, BitwiseCopyable {
        case identifier, alphanumeric, alphabetic, numeric, decimal, date, time, binary, composite
    }

    /// A syntax note over positions 1…64 as bit masks.
    struct Note {
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

    init(
        structure: LoopDefinition,
        segments definitions: [String: SegmentDefinition],
        totals: [TotalRule],
        hierarchy: [[String]]
    ) {
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
                    mandatoryComponents: mandatoryComponents
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
                noteCount: 0
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

public import EDICore

/// The grammar of one document of one version: structure, segments, composites, syntax notes and trailer totals.
///
/// Grammars are data: ``GrammarLoader`` reads them from `.grammar` files under `Maps/Grammars/` (the format is
/// described in that folder's README), so a partner's variant of a guide is a copied and edited file.
///
/// ```swift
/// let grammar = try GrammarLoader.load(path: "Maps/Grammars/X12/004010/856.grammar")
/// let findings = Validator(grammar: grammar).validate(transaction)
/// ```
public struct Grammar: Sendable {
    /// The grammar's parts, held in one shared object (``Storage``): a grammar is copied for every transaction
    /// looked up (out of a catalog, into a validation and a translation), and copying it counts one reference rather
    /// than one per part.
    private struct Parts: Sendable {
        let standard: Standard
        let version: String
        let document: String
        let name: String
        let functionalGroup: String?
        let structure: LoopDefinition
        let segments: [String: SegmentDefinition]
        let totals: [TotalRule]
        let hierarchy: [[String]]
        let source: String
        let compiled: CompiledGrammar
    }

    private final class Storage: Sendable {
        let parts: Parts

        init(_ parts: Parts) { self.parts = parts }
    }

    private let storage: Storage

    /// X12 or EDIFACT.
    public var standard: Standard { self.storage.parts.standard }
    /// `004010`, `005010`, `D96A`, `D01B`, `S3`.
    public var version: String { self.storage.parts.version }
    /// The transaction set identifier or message type: `856`, `DESADV`, `TA1`.
    public var document: String { self.storage.parts.document }
    /// The document's name, for messages and documentation.
    public var name: String { self.storage.parts.name }
    /// The X12 functional identifier code (GS01) of the group that carries this document.
    public var functionalGroup: String? { self.storage.parts.functionalGroup }
    /// The segments and loops in order, header and trailer included.
    public var structure: LoopDefinition { self.storage.parts.structure }
    /// Segment definitions by tag.
    public var segments: [String: SegmentDefinition] { self.storage.parts.segments }
    /// The counts that trailer elements carry (CTT01, CNT02).
    public var totals: [TotalRule] { self.storage.parts.totals }
    /// The HL03 level paths allowed (X12 856), top level first; empty when the document has no HL hierarchy rule.
    public var hierarchy: [[String]] { self.storage.parts.hierarchy }
    /// Where the grammar came from, for messages.
    public var source: String { self.storage.parts.source }
    /// The same grammar indexed for validation: packed tags, loops as arrays.
    var compiled: CompiledGrammar { self.storage.parts.compiled }

    /// Creates a grammar; ``GrammarLoader`` checks what it builds, so prefer loading a file.
    public init(
        standard: Standard,
        version: String,
        document: String,
        name: String,
        functionalGroup: String?,
        structure: LoopDefinition,
        segments: [String: SegmentDefinition],
        totals: [TotalRule] = [],
        hierarchy: [[String]] = [],
        source: String
    ) {
        self.storage = Storage(
            Parts(
                standard: standard,
                version: version,
                document: document,
                name: name,
                functionalGroup: functionalGroup,
                structure: structure,
                segments: segments,
                totals: totals,
                hierarchy: hierarchy,
                source: source,
                compiled: CompiledGrammar(
                    document: document,
                    structure: structure,
                    segments: segments,
                    totals: totals,
                    hierarchy: hierarchy
                )
            )
        )
    }

    /// The first of `guides` for this grammar's standard, version and document (a partner's own guide for its
    /// INVOIC in place of the standard one), else this grammar.
    public func replaced(byOneOf guides: [Grammar]) -> Grammar {
        guides.first {
            $0.standard == self.standard && $0.version == self.version && $0.document == self.document
        } ?? self
    }
}

/// How a segment, loop or element is required.
public enum Usage: String, Sendable, Hashable {
    /// Must be present.
    case mandatory = "M"
    /// May be present.
    case optional = "O"
    /// Present depending on a condition (X12 `X`, EDIFACT `C`, a guide's situational): optional for presence.
    case conditional = "C"
}

/// A loop or segment group: a trigger segment and what follows it, repeated; the whole transaction is the root loop.
public struct LoopDefinition: Sendable {
    /// The loop identifier (`HL`, `N1`, `2000`, `SG10`); empty for the root.
    public let identifier: String
    /// Whether it must occur.
    public let usage: Usage
    /// How often it may occur; `nil` for unbounded.
    public let maximumRepeat: Int?
    /// Its segments and nested loops, in order; the first is the trigger segment.
    public let children: [StructureNode]

    /// Creates a loop.
    public init(identifier: String, usage: Usage, maximumRepeat: Int?, children: [StructureNode]) {
        self.identifier = identifier
        self.usage = usage
        self.maximumRepeat = maximumRepeat
        self.children = children
    }

    /// The tag of the segment that starts each occurrence.
    public var triggerTag: String {
        switch self.children.first {
        case .segment(let use): use.tag
        case .loop(let loop): loop.triggerTag
        case nil: ""
        }
    }
}

/// One position in a structure: a segment or a nested loop.
public indirect enum StructureNode: Sendable {
    /// A segment at this position.
    case segment(SegmentUse)
    /// A loop at this position.
    case loop(LoopDefinition)

    /// The tag that starts this node: the segment's tag or the loop's trigger.
    public var tag: String {
        switch self {
        case .segment(let use): use.tag
        case .loop(let loop): loop.triggerTag
        }
    }

    /// Whether the node must occur.
    public var usage: Usage {
        switch self {
        case .segment(let use): use.usage
        case .loop(let loop): loop.usage
        }
    }

    /// How often it may occur; `nil` for unbounded.
    public var maximumRepeat: Int? {
        switch self {
        case .segment(let use): use.maximumRepeat
        case .loop(let loop): loop.maximumRepeat
        }
    }
}

/// A segment at one position of a structure.
public struct SegmentUse: Sendable {
    /// Its tag.
    public let tag: String
    /// Whether it must occur.
    public let usage: Usage
    /// How often it may repeat at this position; `nil` for unbounded.
    public let maximumRepeat: Int?

    /// Creates a segment position.
    public init(tag: String, usage: Usage, maximumRepeat: Int?) {
        self.tag = tag
        self.usage = usage
        self.maximumRepeat = maximumRepeat
    }
}

/// A segment: its elements in order and its syntax notes.
public struct SegmentDefinition: Sendable {
    /// Its tag.
    public let tag: String
    /// Its name.
    public let name: String
    /// Its elements; `elements[0]` is position 1.
    public let elements: [ElementSlot]
    /// Its syntax notes (X12) or dependency notes (EDIFACT).
    public let syntaxNotes: [SyntaxNote]

    /// Creates a segment definition.
    public init(tag: String, name: String, elements: [ElementSlot], syntaxNotes: [SyntaxNote]) {
        self.tag = tag
        self.name = name
        self.elements = elements
        self.syntaxNotes = syntaxNotes
    }
}

/// An element position of a segment: a simple element or a composite, possibly repeating.
public struct ElementSlot: Sendable {
    /// What the position holds.
    public enum Content: Sendable {
        /// A simple data element.
        case simple(ElementDefinition)
        /// A composite and its components.
        case composite(CompositeDefinition)
    }

    /// The simple element or composite.
    public let content: Content
    /// Whether it must be present.
    public let usage: Usage
    /// How many repetitions are allowed (1 when it does not repeat).
    public let maximumRepeat: Int

    /// Creates an element position.
    public init(content: Content, usage: Usage, maximumRepeat: Int = 1) {
        self.content = content
        self.usage = usage
        self.maximumRepeat = maximumRepeat
    }

    /// The dictionary reference: the data element number (`353`) or the composite's identifier (`C040`).
    public var reference: String {
        switch self.content {
        case .simple(let element): element.identifier
        case .composite(let composite): composite.identifier
        }
    }
}

/// A composite data element: components in order and their syntax notes.
public struct CompositeDefinition: Sendable {
    /// `C040`, `C002`.
    public let identifier: String
    /// Its name.
    public let name: String
    /// Its components; `components[0]` is position 1.
    public let components: [ComponentSlot]
    /// Notes over the components.
    public let syntaxNotes: [SyntaxNote]

    /// Creates a composite.
    public init(identifier: String, name: String, components: [ComponentSlot], syntaxNotes: [SyntaxNote]) {
        self.identifier = identifier
        self.name = name
        self.components = components
        self.syntaxNotes = syntaxNotes
    }
}

/// A component position of a composite.
public struct ComponentSlot: Sendable {
    /// The component's data element.
    public let element: ElementDefinition
    /// Whether it must be present when the composite is.
    public let usage: Usage

    /// Creates a component position.
    public init(element: ElementDefinition, usage: Usage) {
        self.element = element
        self.usage = usage
    }
}

/// A simple data element: reference number, type, length and allowed codes.
public struct ElementDefinition: Sendable {
    /// The data element reference number (`353`, `1004`).
    public let identifier: String
    /// Its name, when the grammar gives one.
    public let name: String
    /// Its data type.
    public let type: DataType
    /// The minimum length of a present value.
    public let minimumLength: Int
    /// The maximum length.
    public let maximumLength: Int
    /// The allowed values, when the guide restricts them.
    public let codes: Set<String>?

    /// Creates an element definition.
    public init(
        identifier: String,
        name: String = "",
        type: DataType,
        minimumLength: Int,
        maximumLength: Int,
        codes: Set<String>? = nil
    ) {
        self.identifier = identifier
        self.name = name
        self.type = type
        self.minimumLength = minimumLength
        self.maximumLength = maximumLength
        self.codes = codes
    }
}

/// Data types of X12 and EDIFACT elements.
public enum DataType: Sendable, Hashable {
    /// X12 ID: a code (checked against the code list when there is one).
    case identifier
    /// X12 AN, EDIFACT an: any character of the repertoire.
    case alphanumeric
    /// EDIFACT a: letters (and spaces) only.
    case alphabetic
    /// X12 Nn: an integer with `n` implied decimal places; the length counts digits only.
    case numeric(impliedDecimals: Int)
    /// X12 R, EDIFACT n: a decimal number with an explicit decimal mark; the length counts digits only.
    case decimal
    /// X12 DT: CCYYMMDD or YYMMDD.
    case date
    /// X12 TM: HHMM, HHMMSS or HHMMSSd..d.
    case time
    /// X12 B: binary, not checked.
    case binary
}

/// A relation between element (or component) positions of one segment (or composite).
///
/// X12 writes `P0102`; EDIFACT directories write `D2(010,020)`. Both become one of these.
public struct SyntaxNote: Sendable, Hashable {
    /// The kind of relation.
    public enum Kind: String, Sendable, Hashable, BitwiseCopyable {
        /// X12 P, EDIFACT D2: all or none.
        case paired = "P"
        /// X12 R, EDIFACT D3: at least one.
        case required = "R"
        /// X12 E, EDIFACT D4: not more than one.
        case exclusive = "E"
        /// X12 C, EDIFACT D5: if the first, then all the others.
        case conditional = "C"
        /// X12 L, EDIFACT D6: if the first, then at least one of the others.
        case listConditional = "L"
        /// EDIFACT D1: exactly one.
        case exactlyOne = "D1"
        /// EDIFACT D7: if the first, then none of the others.
        case firstExcludesOthers = "D7"
    }

    /// The relation.
    public let kind: Kind
    /// The 1-based positions it relates, in the order written.
    public let positions: [Int]
    /// The note as written (`P0102`), for messages.
    public let text: String

    /// Creates a note.
    public init(kind: Kind, positions: [Int], text: String) {
        self.kind = kind
        self.positions = positions
        self.text = text
    }
}

/// `total CTT01 count HL`: an element that holds the number of some segments of the transaction; or
/// `total MOA01-02 sum MOA01-02 where MOA01-01 203 when MOA01-01 79`: one that holds the sum of some values.
public struct TotalRule: Sendable {
    /// The values a sum total adds up: an element or component of every segment with `tag` in the transaction,
    /// optionally only where a qualifier of that segment has a value.
    public struct SumSource: Sendable {
        /// The segment whose values are summed (`IT1`, `MOA`).
        public let tag: String
        /// The summed element's position, and component when in a composite (`MOA01-02` → 1, 2).
        public let position: Int
        public let component: Int?
        /// Only segments whose element (and component) at this position has `qualifierValue` count.
        public let qualifierPosition: Int?
        public let qualifierComponent: Int?
        public let qualifierValue: String?

        /// Creates a sum source.
        public init(
            tag: String,
            position: Int,
            component: Int? = nil,
            qualifierPosition: Int? = nil,
            qualifierComponent: Int? = nil,
            qualifierValue: String? = nil
        ) {
            self.tag = tag
            self.position = position
            self.component = component
            self.qualifierPosition = qualifierPosition
            self.qualifierComponent = qualifierComponent
            self.qualifierValue = qualifierValue
        }
    }

    /// The segment holding the total (`CTT`).
    public let tag: String
    /// The total's element position (`CTT01` → 1).
    public let position: Int
    /// The total's component position, when it is in a composite (`CNT01-02` → 2).
    public let component: Int?
    /// The tag of the segments counted (`HL`).
    public let countedTag: String
    /// The rule applies only to the total segment whose element at this position…
    public let qualifierPosition: Int?
    /// …and component (when in a composite)…
    public let qualifierComponent: Int?
    /// …has this value (`CNT01-01` = `2`: the CNT that counts line items).
    public let qualifierValue: String?
    /// For a sum total, what is summed; `nil` for a count (of `countedTag` segments).
    public let sum: SumSource?

    /// Creates a total rule.
    public init(
        tag: String,
        position: Int,
        component: Int? = nil,
        countedTag: String,
        qualifierPosition: Int? = nil,
        qualifierComponent: Int? = nil,
        qualifierValue: String? = nil,
        sum: SumSource? = nil
    ) {
        self.tag = tag
        self.position = position
        self.component = component
        self.countedTag = countedTag
        self.qualifierPosition = qualifierPosition
        self.qualifierComponent = qualifierComponent
        self.qualifierValue = qualifierValue
        self.sum = sum
    }
}

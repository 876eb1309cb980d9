import EDICore

/// A declarative map between one document (standard, version, transaction type) and one canonical event, as read
/// from a `.map` file under `Maps/` (format in `Maps/README.md`). The same rules serve both directions: reading a
/// transaction into an event and rendering an event as a transaction.
public struct MapDefinition: Sendable {
    /// `X12` or `EDIFACT`, `004010` or `D96A`, `856` or `DESADV`.
    public let standard: String
    public let version: String
    public let document: String
    /// The event type the map produces (`ShipNotice`, `ShipmentStatus`, `Invoice`).
    public let event: String
    public let title: String
    /// The field path whose value is the event's business key (`shipment.identifier`).
    public let businessKey: String?
    /// Fixed values of the event written by the map itself (`kind = freight`).
    public let constants: [(path: FieldPath, value: String, line: Int)]
    /// The transaction's rules: segments and loops in document order.
    public let root: MapScope
    /// Where the map came from, for messages.
    public let source: String
    /// Every loop rule at any depth, in map order: translation tells a hierarchy level no rule reads (passed
    /// through) from one some rule reads, and finds the loops a `linked` rule reads.
    let loopRules: [LoopRule]
    /// The member names of every path the map reads into, numbered for ``EventRecord``.
    let keys: [String]
    /// `keys` as bytes, for writing field paths.
    let keyBytes: KeyNames
    /// The loop identifiers the map's loop rules name, numbered (``LoopRule/loopNumber``).
    let loopNames: [String]
    /// Every binding's compiled path, one after another (``ReadBinding/stepsStart``).
    let stepPool: [PathStep]
    /// `constants` and `businessKey` compiled against `keys`.
    let constantSteps: [[PathStep]]
    let businessKeySteps: [PathStep]?

    init(
        standard: String,
        version: String,
        document: String,
        event: String,
        title: String,
        businessKey: String?,
        constants: [(path: FieldPath, value: String, line: Int)],
        root: MapScope,
        source: String
    ) {
        self.standard = standard
        self.version = version
        self.document = document
        self.event = event
        self.title = title
        self.businessKey = businessKey
        self.constants = constants
        self.source = source
        var keys = KeyTable()
        var tables = CompileTables()
        self.root = Self.compile(root, keys: &keys, tables: &tables)
        self.loopNames = tables.loopNames
        self.stepPool = tables.steps
        self.constantSteps = constants.map { keys.compile($0.path) }
        self.businessKeySteps = businessKey.flatMap { FieldPath($0) }.map { keys.compile($0) }
        self.keys = keys.names
        self.keyBytes = KeyNames(keys.names)
        var rules: [LoopRule] = []
        func collect(_ scope: MapScope) {
            for case .loop(let rule) in scope.rules {
                rules.append(rule)
                collect(rule.scope)
            }
        }
        collect(self.root)
        self.loopRules = rules
    }

    /// What compiling the rules gathers besides them.
    private struct CompileTables {
        var loopNames: [String] = []
        var steps: [PathStep] = []
        /// Each distinct compiled path's number, for ``ReadBinding/field``.
        var fields: [[PathStep]: Int32] = [:]
    }

    /// `scope` with every path compiled against `keys`, every binding's reference text made and laid out as a
    /// ``ReadBinding``, tags packed and loop identifiers numbered.
    private static func compile(_ scope: MapScope, keys: inout KeyTable, tables: inout CompileTables) -> MapScope {
        MapScope(
            rules: scope.rules.map { rule in
                switch rule {
                case .segment(var rule):
                    rule.packedTag = Self.packed(rule.tag)
                    rule.arraySteps = rule.array.map { keys.compile($0) }
                    rule.bindings = rule.bindings.map { binding in
                        var binding = binding
                        binding.steps = keys.compile(binding.path)
                        binding.referenceText = rule.tag + binding.reference.description
                        return binding
                    }
                    rule.readBindings = rule.bindings.map { binding in
                        let start = Int32(tables.steps.count)
                        tables.steps += binding.steps
                        let field = tables.fields[binding.steps] ?? Int32(tables.fields.count)
                        tables.fields[binding.steps] = field
                        return ReadBinding(
                            binding,
                            stepsStart: start,
                            stepsEnd: Int32(tables.steps.count),
                            field: field
                        )
                    }
                    return .segment(rule)
                case .loop(var rule):
                    rule.arraySteps = rule.array.map { keys.compile($0) }
                    if let number = tables.loopNames.firstIndex(of: rule.loop) {
                        rule.loopNumber = Int32(number)
                    } else {
                        rule.loopNumber = Int32(tables.loopNames.count)
                        tables.loopNames.append(rule.loop)
                    }
                    rule.conditionTags = rule.conditions.map { Self.packed($0.tag) }
                    rule.scope = Self.compile(rule.scope, keys: &keys, tables: &tables)
                    return .loop(rule)
                }
            }
        )
    }

    /// `tag` packed (``SegmentTag``), or `nil` for a tag that packing would not tell apart (longer than three).
    private static func packed(_ tag: String) -> UInt32? {
        tag.utf8.count <= 3 ? SegmentTag(tag).rawValue : nil
    }
}

/// A map's key names as one run of bytes, so writing a path copies bytes without counting references to a buffer
/// per name (which two cores writing at once would fight over).
struct KeyNames: Sendable {
    /// Every name's bytes, one after another.
    let bytes: [UInt8]
    /// Where each name ends in `bytes` (it starts where the one before ends).
    let ends: [Int32]

    init(_ names: [String]) {
        var bytes: [UInt8] = []
        var ends: [Int32] = []
        for name in names {
            bytes += name.utf8
            ends.append(Int32(bytes.count))
        }
        self.bytes = bytes
        self.ends = ends
    }
}

/// Rules that apply within one part of a transaction: the transaction itself or an occurrence of a loop.
public struct MapScope: Sendable {
    public enum Rule: Sendable {
        case segment(SegmentRule)
        case loop(LoopRule)
    }

    public var rules: [Rule]
}

/// `segment TAG [where NN CODE]... [each PATH[]]`: the segment (or each one, into an array) that the scope holds
/// with those qualifier values, and its element bindings.
public struct SegmentRule: Sendable {
    public let tag: String
    /// Qualifier elements and the values they must have; written as constants when rendering.
    public let conditions: [ElementCondition]
    /// With `each`, every matching segment adds an element to this array (bindings relative to it).
    public let array: FieldPath?
    public internal(set) var bindings: [Binding]
    /// The map file's line, for errors.
    public let line: Int
    /// `array` compiled against the map's key table.
    var arraySteps: [PathStep]? = nil
    /// `tag` packed, or `nil` when it is longer than three characters.
    var packedTag: UInt32? = nil
    /// `bindings` as reading uses them, at the same indices.
    var readBindings: [ReadBinding] = []
}

/// A binding laid out for reading: plain numbers, so reading a segment copies no text or array per binding (the
/// ``Binding`` at the same index is read only for what is rare: an error's wording, a code table, a fixed value).
struct ReadBinding: Sendable {
    enum Kind: UInt8, Sendable {
        /// Written when rendering only (`constant`, `count`).
        case skip
        case fixed, text, decimal, integer, milestone, codes, date, time, timeZone, dateTime
    }

    var kind: Kind
    var element: Int
    /// The component, or -1 for the whole element.
    var component: Int
    /// Implied decimal places of a decimal.
    var implied: Int
    var required: Bool
    /// The compiled path, `MapDefinition.stepPool[stepsStart..<stepsEnd]`.
    var stepsStart: Int32
    var stepsEnd: Int32
    /// The path's number among the map's distinct paths: a timestamp's date, time and zone share one.
    var field: Int32
    /// The site the value is written at (``EventSites``), set when a ``ReadProgram`` lays the binding out.
    var site: Int32 = -1

    init(_ binding: Binding, stepsStart: Int32, stepsEnd: Int32, field: Int32) {
        switch binding.type {
        case .constant, .count: self.kind = .skip
        case .fixed: self.kind = .fixed
        case .text: self.kind = .text
        case .decimal: self.kind = .decimal
        case .integer: self.kind = .integer
        case .milestone: self.kind = .milestone
        case .codes: self.kind = .codes
        case .date: self.kind = .date
        case .time: self.kind = .time
        case .timeZone: self.kind = .timeZone
        case .dateTime: self.kind = .dateTime
        }
        if case .decimal(let implied) = binding.type { self.implied = implied } else { self.implied = 0 }
        self.element = binding.reference.element
        self.component = binding.reference.component ?? -1
        self.required = binding.required
        self.stepsStart = stepsStart
        self.stepsEnd = stepsEnd
        self.field = field
    }
}

/// `loop ID [where TAG NN CODE]... [each PATH[]] [linked NN to NN [deep]]`: occurrences of a grammar loop in the
/// scope, the first (or each, into an array) whose segments meet the conditions.
public struct LoopRule: Sendable {
    /// The grammar's loop identifier (`HL`, `0205`, `SG10`).
    public let loop: String
    /// Conditions on segments of the occurrence (usually its trigger: `where HL 03 O`).
    public let conditions: [(tag: String, condition: ElementCondition)]
    public let array: FieldPath?
    /// X12 HL and EDIFACT CPS hierarchies: an occurrence belongs to the enclosing occurrence of the same loop whose
    /// `parentOf` element (HL01) equals its `childOf` element (HL02). `nil` for plain nesting.
    public let link: HierarchyLink?
    public internal(set) var scope: MapScope
    public let line: Int
    /// `array` compiled against the map's key table.
    var arraySteps: [PathStep]? = nil
    /// `loop`'s number in ``MapDefinition/loopNames``.
    var loopNumber: Int32 = -1
    /// Each condition's tag packed, or `nil` when it is longer than three characters.
    var conditionTags: [UInt32?] = []
}

/// `linked NN to NN [deep]`: how a hierarchy level finds the levels below it.
///
/// An occurrence is read under the enclosing one when its `childOf` element names the enclosing trigger's `parentOf`
/// element. Levels that no loop rule of the map selects (an 856's tare level T between order and pack, a subpack Q
/// between pack and item) are passed through: what is linked to them is read as if linked to the enclosing level. With `deep`, the rule also reads what is linked below the occurrences it selects (every CPS
/// level under a consignment, pallets and the cartons on them, as packs).
public struct HierarchyLink: Sendable {
    /// The child's element naming its parent (HL02, CPS02).
    public let childOf: ElementReference
    /// The parent's own number (HL01, CPS01).
    public let parentOf: ElementReference
    public let deep: Bool

    public init(childOf: ElementReference, parentOf: ElementReference, deep: Bool = false) {
        self.childOf = childOf
        self.parentOf = parentOf
        self.deep = deep
    }
}

/// An element, or a component of one: `03` or `01-2`.
public struct ElementReference: Sendable, Hashable, CustomStringConvertible {
    public let element: Int
    public let component: Int?

    public init(element: Int, component: Int? = nil) {
        self.element = element
        self.component = component
    }

    public var description: String {
        (self.element < 10 ? "0" : "") + String(self.element) + (self.component.map { "-\($0)" } ?? "")
    }
}

/// `where NN CODE`: an element that must hold a value.
public struct ElementCondition: Sendable, Hashable {
    public let reference: ElementReference
    /// The code the element must hold; `!CODE` any value but that one; `*` any value at all (AT701 or AT703,
    /// which exclude each other, choose between two readings of an AT7).
    public let value: String

    /// Whether rendering writes the condition's value as the element's qualifier (`!CODE` and `*` write nothing).
    var isQualifier: Bool { !self.value.hasPrefix("!") && self.value != "*" }
}

/// `NN PATH [TYPE] [required]`: an element's value is a field of the event.
public struct Binding: Sendable {
    public let reference: ElementReference
    public let path: FieldPath
    public let type: ValueType
    public let required: Bool
    public let line: Int
    /// `path` compiled against the map's key table.
    var steps: [PathStep] = []
    /// The segment tag and reference (`SN102`), as provenance and errors name it.
    var referenceText = ""
}

/// How an element's text becomes a field's JSON value, and back.
public enum ValueType: Sendable, Hashable {
    /// Text as is.
    case text
    /// A decimal number; `implied` decimal places for X12 `N1`…`N9` elements.
    case decimal(implied: Int)
    /// A whole number.
    case integer
    /// The date part of a timestamp (`CCYYMMDD`, `YYMMDD`, EDIFACT 102) into `YYYY-MM-DD`.
    case date
    /// The time part of a timestamp (`HHMM`, `HHMMSS`), joined to the date of the same field.
    case time
    /// An X12 time code (`ET`, `CT`, `UT`…) giving the timestamp's offset from UTC.
    case timeZone
    /// An EDIFACT date/time/period (DTM C507 02) whose format the element `format` of the same composite names
    /// (`102` CCYYMMDD, `203` CCYYMMDDHHMM, `204` with seconds).
    case dateTime(format: ElementReference)
    /// `NN = VALUE`: written when rendering (a qualifier the map fixes), not read.
    case constant(String)
    /// `NN = count TAG`: written when rendering as the number of `TAG` segments rendered before it (CNT, CTT).
    case count(String)
    /// `set PATH VALUE`: the field gets this value whenever the segment is read (`-` in the map stands for a
    /// blank); nothing is written when rendering.
    case fixed(String)
    /// A status code turned into a canonical milestone through `Maps/Vocabulary/milestones.tsv` with this code
    /// list; the code itself is also bound where the map says.
    case milestone(codeList: String)
    /// `codes CODE=NAME... [*=NAME]`: a code turned into the event's name for it (`381=credit-note`), `*` naming
    /// every other code; rendering writes the first code of the name.
    case codes([CodeName])
}

/// One entry of a `codes` table: the code as documents send it (`*` for any other) and the event's name for it.
public struct CodeName: Sendable, Hashable {
    public let code: String
    public let name: String
}

/// A path into the event's JSON: `shipment.carrier.scac`, `orders[].packs[]`, `productIdentifiers[0].value`.
public struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    public enum Step: Sendable, Hashable {
        case key(String)
        /// A fixed array index.
        case index(Int)
        /// The array the enclosing `each` appends to.
        case append
    }

    public let steps: [Step]

    public init(steps: [Step]) { self.steps = steps }

    /// Parses `a.b[].c[0]`, or `.` for the enclosing array element itself; `nil` when malformed.
    public init?(_ text: String) {
        if text == "." {
            self.steps = []
            return
        }
        var steps: [Step] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var name = Substring(part)
            var indices: [Step] = []
            while name.hasSuffix("]") {
                guard let open = name.lastIndex(of: "[") else { return nil }
                let inside = name[name.index(after: open)..<name.index(before: name.endIndex)]
                if inside.isEmpty {
                    indices.insert(.append, at: 0)
                } else if let index = Int(inside), index >= 0 {
                    indices.insert(.index(index), at: 0)
                } else {
                    return nil
                }
                name = name[..<open]
            }
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
            steps.append(.key(String(name)))
            steps += indices
        }
        guard !steps.isEmpty else { return nil }
        self.steps = steps
    }

    public var description: String {
        var text = ""
        text.reserveCapacity(self.steps.count * 12)
        for step in self.steps {
            switch step {
            case .key(let name):
                if !text.isEmpty { text.append(".") }
                text.append(name)
            case .index(let index):
                text.append("[")
                text.append(String(index))
                text.append("]")
            case .append: text.append("[]")
            }
        }
        return text
    }

    /// `self` after `base`.
    func appended(to base: FieldPath) -> FieldPath { FieldPath(steps: base.steps + self.steps) }
}

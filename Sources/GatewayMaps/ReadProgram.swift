import GatewayEvents

/// A map's reading rules laid out once per map as flat tables of plain numbers: scopes as ranges of entries, each
/// entry a segment or loop rule by index, conditions with their codes' bytes in one pool, bindings and paths as
/// ``ReadBinding`` and ``PathStep`` runs. Reading a transaction walks these tables through unsafe buffers, so it
/// copies no rule and counts no reference per rule, condition or binding it applies; the rules themselves
/// (``SegmentRule``, ``LoopRule``) are kept beside them, at the same indices, for what is rare: an error's wording,
/// a code table, a fixed value.
///
/// The tables are allocated once and never change; the program is shared by every reading of its translator,
/// on every core.
final class ReadProgram: @unchecked Sendable {
    /// One rule of a scope.
    struct Entry {
        /// A loop rule (``loops``) or a segment rule (``segments``).
        var isLoop: Bool
        var index: Int32
    }

    /// What a rule fills: the first match into the enclosing fields, every match into the same fields (`all`,
    /// loops only), or each match into a new element of an array (`each`).
    enum Fill: UInt8 {
        case first, all, each
    }

    struct SegmentEntry {
        /// The tag packed (``SegmentTag``); `packed` is false for a tag longer than three characters.
        var tag: UInt32
        var packed: Bool
        var fill: Fill
        /// `conditions[conditionStart..<conditionEnd]`.
        var conditionStart: Int32
        var conditionEnd: Int32
        /// `bindings[bindingStart..<bindingEnd]`, in the rule's order.
        var bindingStart: Int32
        var bindingEnd: Int32
        /// The array an `each` fills, `steps[arrayStart..<arrayEnd]`, and its site (``EventSites``).
        var arrayStart: Int32
        var arrayEnd: Int32
        var arraySite: Int32
        /// The rule's first required binding, as an index into its bindings, or -1.
        var firstRequired: Int32
        /// Whether every binding reads text or a decimal, or is written only when rendering: no timestamp to join,
        /// no code to look up, so the values are read in one run over the segment's elements.
        var plain: Bool
    }

    struct LoopEntry {
        /// ``LoopRule/loopNumber``.
        var loopNumber: Int32
        var fill: Fill
        /// `conditions[conditionStart..<conditionEnd]`, each with its segment's tag.
        var conditionStart: Int32
        var conditionEnd: Int32
        var arrayStart: Int32
        var arrayEnd: Int32
        var arraySite: Int32
        /// The rules read in each occurrence: `entries[scopeStart..<scopeEnd]`.
        var scopeStart: Int32
        var scopeEnd: Int32
        /// `linked`: the parent's number (HL01) and the child's reference to it (HL02), components -1 for none.
        var linked: Bool
        var deep: Bool
        var parentOfElement: Int32
        var parentOfComponent: Int32
        var childOfElement: Int32
        var childOfComponent: Int32
    }

    /// `where NN CODE`, `!CODE` or `*`.
    struct Condition {
        enum Test: UInt8 {
            /// The value's bytes are the code's.
            case equals
            /// The value is present and is not the code.
            case differs
            /// The value is present.
            case present
        }

        var test: Test
        var element: Int32
        /// The component, or -1 for the whole element.
        var component: Int32
        /// The code's bytes, `codes[codeStart..<codeEnd]` (without `!`).
        var codeStart: Int32
        var codeEnd: Int32
        /// Whether the code is ASCII, so comparing bytes is comparing decoded text.
        var asciiCode: Bool
        /// For a loop's condition, the packed tag of the segment that must hold the value.
        var tag: UInt32
        var packed: Bool
    }

    let entries: UnsafeMutableBufferPointer<Entry>
    let segments: UnsafeMutableBufferPointer<SegmentEntry>
    let loops: UnsafeMutableBufferPointer<LoopEntry>
    let conditions: UnsafeMutableBufferPointer<Condition>
    let codes: UnsafeMutableBufferPointer<UInt8>
    let bindings: UnsafeMutableBufferPointer<ReadBinding>
    let steps: UnsafeMutableBufferPointer<PathStep>
    /// The transaction's own rules: `entries[0..<rootEnd]`.
    let rootEnd: Int32
    /// The map's file, key names and loop identifiers, for messages.
    let source: String
    let keyBytes: KeyNames
    let loopNames: [String]

    /// The rules as written, at the indices of ``segments`` and ``loops`` (``MapDefinition/loopRules``' order).
    let segmentRules: [SegmentRule]
    let loopRules: [LoopRule]
    /// Each condition as written, at the indices of ``conditions``, for segments read through their views, and
    /// for a loop's condition the tag of its segment (empty for a segment rule's).
    let conditionRules: [ElementCondition]
    let conditionTagNames: [String]
    /// Each binding's reference text (`SN102`), at the indices of ``bindings``.
    let referenceTexts: [String]
    /// The same texts as the middle of a provenance entry, `,"reference":"SN102","segment":`, for writing it.
    let referenceJSON: KeyNames
    /// The loops `linked` rules read (hierarchy levels), by number: every occurrence of them must be read.
    let hierarchyLoops: [Int32]
    /// The link every `linked` rule follows, when they all follow one (an 856's HL, HL02 naming HL01): its loop,
    /// `parentOf` and `childOf` as in ``LoopEntry``. Reading then lays the hierarchy out once per transaction
    /// (``Reading/prepareHierarchy(_:)``). `nil` for a map with no linked rule or with rules following different
    /// links.
    let sharedLink: LoopEntry?
    /// Where every loop rule of one loop selects its occurrences by one code in the same element of the same segment
    /// (an 856's HL rules by HL03): that loop, the segment's packed tag, the element and component, and the rules
    /// (at most 63) in bit order. Reading then reads each occurrence's code once per transaction
    /// (``Reading/readLevels(_:_:)``) and answers whether a rule selects it with a bit. `nil` otherwise.
    let levels: Levels?

    struct Levels {
        var loop: Int32
        var tag: UInt32
        var element: Int32
        var component: Int32
        /// Loop rules of `loop` by index (``loops``), each selecting by ``Condition/Test/equals``.
        var rules: [Int32]
        /// Per loop rule: its bit among `rules`, or -1 for a rule of another loop.
        var bits: [Int8]
    }
    /// The map's constants' paths from the root, in ``steps``, in the map's order, and their sites.
    let constantSteps: [Range<Int32>]
    let constantSites: [Int32]
    /// Every place the rules write, numbered.
    let sites: EventSites
    /// The business key's path from the root, in ``steps``, or `nil` for a map without one.
    let businessKey: Range<Int32>?
    /// Whether the business key is the last value written at its path from the root
    /// (``EventSites/isPlainValue(_:)``); when it is not, the key is read from the event's tree.
    let businessKeyIsPlain: Bool

    /// The program of `map`; `laysOutHierarchy` false leaves ``sharedLink`` `nil`, so linked rules always explore
    /// (for tests holding the laid-out hierarchy to the exploration).
    init(_ map: MapDefinition, laysOutHierarchy: Bool = true) {
        var builder = Builder(stepPool: map.stepPool)
        let root = builder.add(map.root, kind: 0)
        self.rootEnd = Int32(root.upperBound)
        self.source = map.source
        self.keyBytes = map.keyBytes
        self.loopNames = map.loopNames
        self.entries = Self.copy(builder.entries)
        self.segments = Self.copy(builder.segments)
        self.loops = Self.copy(builder.loops)
        self.conditions = Self.copy(builder.conditions)
        self.codes = Self.copy(builder.codes)
        self.bindings = Self.copy(builder.bindings)
        self.segmentRules = builder.segmentRules
        self.loopRules = builder.loopRules
        self.conditionRules = builder.conditionRules
        self.conditionTagNames = builder.conditionTagNames
        self.referenceTexts = builder.referenceTexts
        self.referenceJSON = KeyNames(
            builder.referenceTexts.map { text in
                var bytes = Array(#","reference":"#.utf8)
                JSONValue.write(string: text, into: &bytes)
                bytes += #","segment":"#.utf8
                return String(decoding: bytes, as: UTF8.self)
            }
        )
        var hierarchy: [Int32] = []
        for loop in builder.loops where loop.linked && !hierarchy.contains(loop.loopNumber) {
            hierarchy.append(loop.loopNumber)
        }
        self.hierarchyLoops = hierarchy
        let linked = builder.loops.filter(\.linked)
        self.sharedLink = linked.first.flatMap { first in
            let shared = linked.allSatisfy {
                $0.loopNumber == first.loopNumber && $0.parentOfElement == first.parentOfElement
                    && $0.parentOfComponent == first.parentOfComponent && $0.childOfElement == first.childOfElement
                    && $0.childOfComponent == first.childOfComponent
            }
            return shared && laysOutHierarchy ? first : nil
        }
        self.levels = Self.levels(builder.loops, builder.conditions, of: self.sharedLink?.loopNumber)
        var steps = builder.steps
        func pooled(_ path: [PathStep]) -> Range<Int32> {
            let start = Int32(steps.count)
            steps += path
            return start..<Int32(steps.count)
        }
        self.constantSteps = map.constantSteps.map(pooled)
        self.businessKey = map.businessKeySteps.map(pooled)
        self.steps = Self.copy(steps)
        self.constantSites = map.constantSteps.map { builder.sites.value($0, from: 0) }
        self.sites = builder.sites
        self.businessKeyIsPlain = builder.sites.isPlainValue(map.businessKeySteps ?? [])
    }

    deinit {
        self.entries.deallocate()
        self.segments.deallocate()
        self.loops.deallocate()
        self.conditions.deallocate()
        self.codes.deallocate()
        self.bindings.deallocate()
        self.steps.deallocate()
    }

    /// ``levels`` of `loop`'s rules among `loops`, when they all select alike.
    private static func levels(_ loops: [LoopEntry], _ conditions: [Condition], of loop: Int32?) -> Levels? {
        guard let loop else { return nil }
        var levels: Levels?
        var bits = [Int8](repeating: -1, count: loops.count)
        for (index, entry) in loops.enumerated() where entry.loopNumber == loop {
            guard entry.conditionEnd - entry.conditionStart == 1 else { return nil }
            let condition = conditions[Int(entry.conditionStart)]
            guard condition.test == .equals, condition.packed, condition.asciiCode else { return nil }
            if let levels {
                guard
                    levels.tag == condition.tag && levels.element == condition.element
                        && levels.component == condition.component && levels.rules.count < 63
                else { return nil }
            } else {
                levels = Levels(
                    loop: loop,
                    tag: condition.tag,
                    element: condition.element,
                    component: condition.component,
                    rules: [],
                    bits: []
                )
            }
            bits[index] = Int8(levels?.rules.count ?? 0)
            levels?.rules.append(Int32(index))
        }
        levels?.bits = bits
        return levels
    }

    private static func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
        _ = buffer.initialize(from: array)
        return buffer
    }

    /// The tables as they are filled, scope by scope.
    private struct Builder {
        let stepPool: [PathStep]
        var entries: [Entry] = []
        var segments: [SegmentEntry] = []
        var loops: [LoopEntry] = []
        var conditions: [Condition] = []
        var codes: [UInt8] = []
        var bindings: [ReadBinding] = []
        var steps: [PathStep] = []
        var segmentRules: [SegmentRule] = []
        var loopRules: [LoopRule] = []
        var conditionRules: [ElementCondition] = []
        var conditionTagNames: [String] = []
        var referenceTexts: [String] = []
        var sites = EventSites()

        /// Lays out `scope`'s entries as one range, then the scopes of its loop rules after it; loop rules are
        /// numbered before the rules inside them, as ``MapDefinition/loopRules`` lists them.
        /// `kind` is the kind of instance (``EventSites``) the scope's rules write into.
        mutating func add(_ scope: MapScope, kind: Int32) -> Range<Int> {
            let start = self.entries.count
            self.entries += Array(repeating: Entry(isLoop: false, index: -1), count: scope.rules.count)
            for (offset, rule) in scope.rules.enumerated() {
                switch rule {
                case .segment(let rule):
                    self.entries[start + offset] = Entry(isLoop: false, index: Int32(self.segments.count))
                    let conditionStart = Int32(self.conditions.count)
                    for condition in rule.conditions { self.add(condition, tag: nil, name: "") }
                    let bindingStart = Int32(self.bindings.count)
                    // Every binding's steps, copied into this program's own pool.
                    var bindingKind = kind
                    var arraySite: Int32 = -1
                    if let array = rule.arraySteps {
                        (arraySite, bindingKind) = self.sites.array(array, from: kind, object: false)
                    }
                    for (binding, written) in zip(rule.readBindings, rule.bindings) {
                        self.referenceTexts.append(written.referenceText)
                        var laid = binding
                        laid.stepsStart = Int32(self.steps.count)
                        let path = self.stepPool[Int(binding.stepsStart)..<Int(binding.stepsEnd)]
                        // A binding written only when rendering (`constant`, `count`) writes nothing here.
                        if binding.kind != .skip { laid.site = self.sites.value(path, from: bindingKind) }
                        self.steps += path
                        laid.stepsEnd = Int32(self.steps.count)
                        self.bindings.append(laid)
                    }
                    let bindingEnd = Int32(self.bindings.count)
                    let array = self.add(rule.arraySteps)
                    self.segments.append(
                        SegmentEntry(
                            tag: rule.packedTag ?? 0,
                            packed: rule.packedTag != nil,
                            fill: rule.arraySteps == nil ? .first : .each,
                            conditionStart: conditionStart,
                            conditionEnd: Int32(self.conditions.count),
                            bindingStart: bindingStart,
                            bindingEnd: bindingEnd,
                            arrayStart: array.lowerBound,
                            arrayEnd: array.upperBound,
                            arraySite: arraySite,
                            firstRequired: rule.bindings.firstIndex { $0.required }.map { Int32($0) } ?? -1,
                            plain: rule.readBindings.allSatisfy { [.skip, .text, .decimal].contains($0.kind) }
                        )
                    )
                    self.segmentRules.append(rule)
                case .loop(let rule):
                    let index = self.loops.count
                    self.entries[start + offset] = Entry(isLoop: true, index: Int32(index))
                    let conditionStart = Int32(self.conditions.count)
                    for (condition, packed) in zip(rule.conditions, rule.conditionTags) {
                        self.add(condition.condition, tag: packed, name: condition.tag)
                    }
                    let array = self.add(rule.arraySteps)
                    let fill: Fill = rule.arraySteps.map { $0.isEmpty ? .all : .each } ?? .first
                    self.loops.append(
                        LoopEntry(
                            loopNumber: rule.loopNumber,
                            fill: fill,
                            conditionStart: conditionStart,
                            conditionEnd: Int32(self.conditions.count),
                            arrayStart: array.lowerBound,
                            arrayEnd: array.upperBound,
                            arraySite: -1,
                            scopeStart: 0,
                            scopeEnd: 0,
                            linked: rule.link != nil,
                            deep: rule.link?.deep ?? false,
                            parentOfElement: Int32(rule.link?.parentOf.element ?? 0),
                            parentOfComponent: Int32(rule.link?.parentOf.component ?? -1),
                            childOfElement: Int32(rule.link?.childOf.element ?? 0),
                            childOfComponent: Int32(rule.link?.childOf.component ?? -1)
                        )
                    )
                    self.loopRules.append(rule)
                    var innerKind = kind
                    if let array = rule.arraySteps, !array.isEmpty {
                        let (site, elements) = self.sites.array(array, from: kind, object: true)
                        self.loops[index].arraySite = site
                        innerKind = elements
                    }
                    let scope = self.add(rule.scope, kind: innerKind)
                    self.loops[index].scopeStart = Int32(scope.lowerBound)
                    self.loops[index].scopeEnd = Int32(scope.upperBound)
                }
            }
            return start..<(start + scope.rules.count)
        }

        /// `steps` copied into the pool; an empty range for none.
        private mutating func add(_ steps: [PathStep]?) -> Range<Int32> {
            let start = Int32(self.steps.count)
            self.steps += steps ?? []
            return start..<Int32(self.steps.count)
        }

        /// A condition with its code's bytes; for a loop's condition, its segment's tag `name`, packed as `tag`
        /// (`nil` for a tag longer than three characters, and for a segment rule's condition).
        private mutating func add(_ condition: ElementCondition, tag: UInt32?, name: String) {
            let test: Condition.Test
            var code = Substring(condition.value)
            if condition.value == "*" {
                test = .present
                code = ""
            } else if condition.value.hasPrefix("!") {
                test = .differs
                code = code.dropFirst()
            } else {
                test = .equals
            }
            let codeStart = Int32(self.codes.count)
            self.codes += code.utf8
            self.conditions.append(
                Condition(
                    test: test,
                    element: Int32(condition.reference.element),
                    component: Int32(condition.reference.component ?? -1),
                    codeStart: codeStart,
                    codeEnd: Int32(self.codes.count),
                    asciiCode: code.utf8.allSatisfy { $0 < 0x80 },
                    tag: tag ?? 0,
                    packed: tag != nil
                )
            )
            self.conditionRules.append(condition)
            self.conditionTagNames.append(name)
        }
    }
}

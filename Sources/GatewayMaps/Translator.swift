import Crypto
public import EDICore
public import EDISchema
import FoundationEssentials
public import GatewayEvents

/// What a translation needs besides the transaction: who sent it, its envelopes, and how to name events.
public struct TranslationContext: Sendable {
    /// The partner profile's identifier, or the sender's identification.
    public var partner: String
    public var interchangeControlNumber: String
    public var groupControlNumber: String?
    /// Makes a fresh event identifier per emission (a UUID in the gateway; a counter in tests).
    public var eventID: @Sendable () -> String
    public var vocabulary: MilestoneVocabulary

    public init(
        partner: String,
        interchangeControlNumber: String,
        groupControlNumber: String? = nil,
        eventID: @escaping @Sendable () -> String,
        vocabulary: MilestoneVocabulary = MilestoneVocabulary()
    ) {
        self.partner = partner
        self.interchangeControlNumber = interchangeControlNumber
        self.groupControlNumber = groupControlNumber
        self.eventID = eventID
        self.vocabulary = vocabulary
    }
}

/// Reads a transaction into its canonical event by a map: every bound value with its provenance (segment
/// position, element reference, bytes), mandatory values checked, the result decoded into the event type.
public struct Translator: Sendable {
    public let map: MapDefinition
    public let grammar: Grammar

    public init(map: MapDefinition, grammar: Grammar) {
        self.map = map
        self.grammar = grammar
    }

    /// The event for `transaction`.
    public func translate(_ transaction: Transaction, context: TranslationContext) throws(MappingError)
        -> CanonicalEvent
    {
        var reading = Reading(
            map: self.map,
            transaction: transaction,
            tree: TransactionTree(transaction, grammar: self.grammar),
            vocabulary: context.vocabulary
        )
        var document = JSONValue.object([])
        try reading.read(self.map.root, node: 0, base: FieldPath(steps: []), into: &document)
        try reading.checkHierarchyRead()
        for constant in self.map.constants {
            document.set(constant.path.steps[...], to: .string(constant.value))
        }
        let businessKey = self.map.businessKey.flatMap { FieldPath($0) }.flatMap { path -> String? in
            if case .string(let text) = document.value(at: path.steps[...]) { return text }
            return nil
        }
        let metadata = EventMetadata(
            eventId: context.eventID(),
            idempotencyKey: Self.idempotencyKey(transaction, partner: context.partner),
            correlationId: context.partner + "/" + context.interchangeControlNumber,
            businessKey: businessKey,
            partner: context.partner,
            standard: self.map.standard,
            version: self.map.version,
            document: self.map.document,
            interchangeControlNumber: context.interchangeControlNumber,
            groupControlNumber: context.groupControlNumber,
            transactionControlNumber: transaction.controlNumber,
            provenance: reading.provenance
        )
        document.compact()
        var event = consume document
        event.set([.key("schema")], to: .string("edigate.\(self.map.event).v1"))
        // The document is decoded with a placeholder metadata object, then given the real one: the provenance
        // table is built as it is, not converted to JSON and back.
        event.set(
            [.key("metadata")],
            to: .object(
                [
                    "eventId", "idempotencyKey", "correlationId", "partner", "standard", "version", "document",
                    "interchangeControlNumber", "transactionControlNumber",
                ].map { ($0, JSONValue.string("")) }
            )
        )
        do {
            var decoded = try EventDecoder.decode(CanonicalEvent.self, from: event)
            decoded.metadata = metadata
            return decoded
        } catch {
            throw MappingErrors.eventShape(
                map: self.map.source,
                event: self.map.event,
                detail: EventJSON.describe(error)
            )
        }
    }

    /// SHA-256 over the partner, the standard's transaction type and the transaction's bytes (ST to SE): the same
    /// transaction resent in another interchange gets the same key.
    static func idempotencyKey(_ transaction: Transaction, partner: String) -> String {
        var hash = SHA256()
        hash.update(data: Array(partner.utf8) + [0])
        for position in stride(from: 1, through: transaction.segmentCount, by: 1) {
            guard let segment = transaction.segment(at: position) else { continue }
            hash.update(data: Array(segment.rawBytes) + [0])
        }
        return hash.finalize().map { byte in
            let hex = Array("0123456789abcdef".utf8)
            return String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
        }.joined()
    }
}

/// One translation's state: the transaction, its tree, and the provenance gathered.
struct Reading {
    let map: MapDefinition
    let transaction: Transaction
    let tree: TransactionTree
    let vocabulary: MilestoneVocabulary
    var provenance = ProvenanceTable()
    /// Per hierarchy loop and container occurrence: the loop's occurrences in it by their link value.
    private var linkIndex: [HierarchyKey: [String: [Int]]] = [:]
    /// Occurrences read by a rule or passed through as a level no rule selects, for ``checkHierarchyRead()``.
    private var visited: [Bool]
    /// Per linked loop rule, the occurrences already read under a parent: with duplicate link values (two HLs
    /// numbered alike) each occurrence is still read once, so the event stays as large as the transaction.
    private var claimed: Set<LinkKey> = []
    /// Per linked loop rule, container and link number, explorations that read everything they can: another
    /// occurrence with the same number (a hierarchy whose numbers repeat) would find only claimed occurrences there,
    /// so it skips them instead of walking them again (a repeated range of 449 copies took a second to translate).
    private var exhausted: Set<ExhaustedKey> = []

    struct ExhaustedKey: Hashable {
        var line: Int
        var container: Int
        var number: String
    }

    struct LinkKey: Hashable {
        var line: Int
        var container: Int
    }

    struct HierarchyKey: Hashable {
        var loop: String
        var container: Int
        var childOf: ElementReference
    }

    init(map: MapDefinition, transaction: Transaction, tree: TransactionTree, vocabulary: MilestoneVocabulary) {
        self.map = map
        self.transaction = transaction
        self.tree = tree
        self.vocabulary = vocabulary
        self.visited = Array(repeating: false, count: tree.nodes.count)
    }

    /// Applies `scope`'s rules to occurrence `node`, writing fields under `base`.
    mutating func read(_ scope: MapScope, node: Int, base: FieldPath, into document: inout JSONValue)
        throws(MappingError)
    {
        self.visited[node] = true
        for rule in scope.rules {
            switch rule {
            case .segment(let rule):
                let matches = self.tree.nodes[node].segments.compactMap { position -> Segment? in
                    guard let segment = self.transaction.segment(at: position), segment.hasTag(rule.tag),
                        Self.meets(segment, rule.conditions)
                    else { return nil }
                    return segment
                }
                if let array = rule.array {
                    for segment in matches {
                        let index = Self.count(document, at: array.appended(to: base))
                        let element = FieldPath(steps: array.appended(to: base).steps + [.index(index)])
                        try self.bind(rule, segment, base: element, into: &document)
                    }
                } else if let segment = matches.first {
                    try self.bind(rule, segment, base: base, into: &document)
                } else if let required = rule.bindings.first(where: { $0.required }) {
                    throw MappingErrors.missingValue(
                        map: self.map.source,
                        line: required.line,
                        field: required.path.appended(to: base).description,
                        reference: rule.tag + required.reference.description,
                        at: self.transaction.header.location
                    )
                }
            case .loop(let rule):
                let occurrences = self.occurrences(rule, within: node)
                if let array = rule.array {
                    if array.steps.isEmpty {
                        // `all`: every occurrence, into the same fields.
                        for occurrence in occurrences {
                            try self.read(rule.scope, node: occurrence, base: base, into: &document)
                        }
                    } else {
                        for occurrence in occurrences {
                            let index = Self.count(document, at: array.appended(to: base))
                            let element = FieldPath(steps: array.appended(to: base).steps + [.index(index)])
                            // An empty object first, so an occurrence with no values still makes its element.
                            document.set(element.steps[...], to: .object([]))
                            try self.read(rule.scope, node: occurrence, base: element, into: &document)
                        }
                    }
                } else if let first = occurrences.first {
                    try self.read(rule.scope, node: first, base: base, into: &document)
                }
            }
        }
    }

    /// The occurrences of `rule.loop` that `rule` selects from occurrence `node`: its nested occurrences, or with
    /// `linked`, the occurrences (nested or sibling) whose link names this one, through the levels no loop rule of
    /// the map selects (and with `deep`, through the ones `rule` selects).
    private mutating func occurrences(_ rule: LoopRule, within node: Int) -> [Int] {
        guard let link = rule.link else {
            return self.tree.nodes[node].children.filter { self.selects(rule, self.tree.nodes[$0]) }
        }
        guard let parentID = self.number(of: node, link) else { return [] }
        // Siblings first, then nested occurrences, each in document order, a passed-through level's children in its
        // place; every container's occurrences are indexed by link once, so a flat hierarchy of n HLs costs O(n).
        var result: [Int] = []
        var entered: Set<Int> = [node]
        let parent = self.tree.nodes[node].parent
        for container in parent >= 0 ? [parent, node] : [node] {
            let exhaustedKey = ExhaustedKey(line: rule.line, container: container, number: parentID)
            if self.exhausted.contains(exhaustedKey) { continue }
            // Whether the exploration met the occurrence it is made for: then another occurrence's would differ.
            var metItself = false
            let index = self.linked(rule.loop, in: container, link)
            // Each frame lists the occurrences linked to `through` (-1: to `node`); a passed-through level counts as
            // read once something below it is selected (an 856 with S-P-I has no order level: its P and I are not
            // passed off as read). Each number is expanded once and each frame marked once, so duplicate numbers or
            // a long chain of passed-through levels cost what the hierarchy holds, not its square.
            var expanded: Set<String> = [parentID]
            var pending: [(candidates: [Int], next: Int, through: Int)] = [(index[parentID] ?? [], 0, -1)]
            var marked = 0
            while let (candidates, next, _) = pending.last {
                guard next < candidates.count else {
                    pending.removeLast()
                    marked = min(marked, pending.count)
                    continue
                }
                pending[pending.count - 1].next += 1
                let candidate = candidates[next]
                // A hierarchy whose numbers loop back on themselves is read once around.
                guard entered.insert(candidate).inserted else {
                    if candidate == node { metItself = true }
                    continue
                }
                let selected = self.selects(rule, self.tree.nodes[candidate])
                if selected {
                    result.append(candidate)
                    while marked < pending.count {
                        if pending[marked].through >= 0 { self.visited[pending[marked].through] = true }
                        marked += 1
                    }
                } else if !self.isPassable(candidate) {
                    // Another rule reads its kind of level, in this scope or elsewhere in the map (an order or pack
                    // where this scope has none): not passed through, so never lost in silence.
                    continue
                }
                if !selected || link.deep, let number = self.number(of: candidate, link),
                    expanded.insert(number).inserted, let below = index[number]
                {
                    pending.append((below, 0, selected ? -1 : candidate))
                }
            }
            if !metItself { self.exhausted.insert(exhaustedKey) }
        }
        return result.filter { self.claimed.insert(LinkKey(line: rule.line, container: $0)).inserted }
    }

    /// The occurrences of `loop` directly in `container`, by the value of their `childOf` element.
    private mutating func linked(_ loop: String, in container: Int, _ link: HierarchyLink) -> [String: [Int]] {
        let key = HierarchyKey(loop: loop, container: container, childOf: link.childOf)
        if let index = self.linkIndex[key] { return index }
        var index: [String: [Int]] = [:]
        for candidate in self.tree.nodes[container].children where self.tree.nodes[candidate].loop == loop {
            guard let trigger = self.tree.nodes[candidate].segments.first,
                let segment = self.transaction.segment(at: trigger),
                let childOf = Self.text(segment, link.childOf)
            else { continue }
            index[childOf, default: []].append(candidate)
        }
        self.linkIndex[key] = index
        return index
    }

    /// The hierarchy number (`parentOf`, HL01) of occurrence `node`.
    private func number(of node: Int, _ link: HierarchyLink) -> String? {
        guard let first = self.tree.nodes[node].segments.first, let segment = self.transaction.segment(at: first)
        else { return nil }
        return Self.text(segment, link.parentOf)
    }

    /// Whether `occurrence` is a level no rule of the map reads anywhere (an 856's tare or subpack level), which a
    /// linked rule may pass through to the levels below it.
    private func isPassable(_ occurrence: Int) -> Bool {
        let node = self.tree.nodes[occurrence]
        return !self.map.loopRules.contains { self.selects($0, node) }
    }

    /// Every occurrence of a hierarchy loop (one a `linked` rule reads) has been read or passed through; one that
    /// has not would lose its values (an 856 level the map does not know, a CPS without its parent).
    func checkHierarchyRead() throws(MappingError) {
        let loops = Set(self.map.loopRules.filter { $0.link != nil }.map(\.loop))
        guard !loops.isEmpty else { return }
        for (node, occurrence) in self.tree.nodes.enumerated()
        where !self.visited[node] && loops.contains(occurrence.loop) {
            let segment = occurrence.segments.first.flatMap { self.transaction.segment(at: $0) }
            throw MappingErrors.unreadLevel(
                map: self.map.source,
                loop: occurrence.loop,
                position: occurrence.segments.first ?? 0,
                at: segment?.location
            )
        }
    }

    /// Whether `occurrence` is of `rule.loop` and holds a segment meeting each of the rule's conditions.
    private func selects(_ rule: LoopRule, _ occurrence: TransactionTree.Node) -> Bool {
        guard occurrence.loop == rule.loop else { return false }
        return rule.conditions.allSatisfy { condition in
            occurrence.segments.contains { position in
                guard let segment = self.transaction.segment(at: position) else { return false }
                return segment.hasTag(condition.tag) && Self.meets(segment, [condition.condition])
            }
        }
    }

    private static func count(_ document: JSONValue, at path: FieldPath) -> Int {
        if case .array(let elements) = document.value(at: path.steps[...]) { return elements.count }
        return 0
    }

    /// Whether `segment` holds every condition's value (`!CODE`: anything but that code; `*`: any value).
    static func meets(_ segment: Segment, _ conditions: [ElementCondition]) -> Bool {
        conditions.allSatisfy { condition in
            if condition.value == "*" { return Self.text(segment, condition.reference) != nil }
            if condition.value.hasPrefix("!") {
                return Self.text(segment, condition.reference) != String(condition.value.dropFirst())
            }
            return Self.text(segment, condition.reference) == condition.value
        }
    }

    /// The text of an element or component, `nil` when absent or empty.
    static func text(_ segment: Segment, _ reference: ElementReference) -> String? {
        guard let element = segment[reference.element] else { return nil }
        let text =
            reference.component.flatMap { element.component($0)?.text }
            ?? (reference.component == nil ? element.text : nil)
        return text?.isEmpty == false ? text : nil
    }

    /// The element or component's location and byte range.
    static func place(_ segment: Segment, _ reference: ElementReference) -> (Location, Int, Int)? {
        guard let element = segment[reference.element] else { return nil }
        if let component = reference.component {
            guard let part = element.component(component) else { return nil }
            let start = part.location.byteOffset
            return (part.location, start, start + part.byteCount)
        }
        return (element.location, element.byteOffset, element.byteOffset + element.byteCount)
    }

    /// Binds one segment's elements under `base`; timestamp parts of one field are joined.
    private mutating func bind(_ rule: SegmentRule, _ segment: Segment, base: FieldPath, into document: inout JSONValue)
        throws(MappingError)
    {
        var parts: [String: (path: FieldPath, date: String?, time: String?, zone: Int?, text: String?)] = [:]
        var order: [String] = []
        let position = self.position(of: segment)
        for binding in rule.bindings {
            if case .constant = binding.type { continue }
            if case .count = binding.type { continue }
            if case .fixed(let value) = binding.type {
                document.set(binding.path.appended(to: base).steps[...], to: .string(value))
                continue
            }
            let reference = rule.tag + binding.reference.description
            let path = binding.path.appended(to: base)
            if binding.reference.component == nil, let element = segment[binding.reference.element],
                element.components.count > 1
            {
                throw MappingErrors.invalidValue(
                    map: self.map.source,
                    line: binding.line,
                    field: binding.path.appended(to: base).description,
                    reference: rule.tag + binding.reference.description,
                    expected: "a single value (the map names no component)",
                    length: element.byteCount,
                    at: element.location
                )
            }
            guard let text = Self.text(segment, binding.reference) else {
                if binding.required {
                    throw MappingErrors.missingValue(
                        map: self.map.source,
                        line: binding.line,
                        field: path.description,
                        reference: reference,
                        at: segment.location
                    )
                }
                continue
            }
            let where_ = Self.place(segment, binding.reference)
            func invalid(_ expected: String) -> MappingError {
                MappingErrors.invalidValue(
                    map: self.map.source,
                    line: binding.line,
                    field: path.description,
                    reference: reference,
                    expected: expected,
                    length: text.utf8.count,
                    at: where_?.0
                )
            }
            var value: JSONValue?
            switch binding.type {
            case .text: value = .string(text)
            case .decimal(let implied):
                guard let number = ValueText.decimal(text, implied: implied) else { throw invalid("a decimal number") }
                value = .number(number)
            case .integer:
                guard let number = ValueText.integer(text) else { throw invalid("a whole number") }
                value = .number(number)
            case .milestone(let codeList):
                value = .string(self.vocabulary.milestone(for: text, in: codeList))
            case .codes(let table):
                // The map's own codes may be named in the message; the value read is not.
                guard let entry = table.first(where: { $0.code == text }) ?? table.first(where: { $0.code == "*" })
                else { throw invalid("one of the codes " + table.map(\.code).joined(separator: ", ")) }
                value = .string(entry.name)
            case .date, .time, .timeZone, .dateTime:
                let key = path.description
                if parts[key] == nil {
                    parts[key] = (path, nil, nil, nil, nil)
                    order.append(key)
                }
                switch binding.type {
                case .date:
                    guard let date = ValueText.date(text) else { throw invalid("a date (CCYYMMDD or YYMMDD)") }
                    parts[key]?.date = date
                case .time:
                    guard ValueText.time(text) != nil else { throw invalid("a time (HHMM or HHMMSS)") }
                    parts[key]?.time = text
                case .timeZone:
                    let (date, time) = (parts[key]?.date, parts[key]?.time)
                    parts[key]?.zone = ValueText.utcOffset(x12Code: text, date: date, time: time)
                case .dateTime(let format):
                    let code = Self.text(segment, format) ?? "102"
                    guard let timestamp = ValueText.edifactTimestamp(text, format: code) else {
                        // The format code is named only when it is one of those read; anything else is payload.
                        let known = ["102", "203", "204", "303", "304"].contains(code)
                        throw invalid(
                            known ? "a date/time in format \(code)" : "a date/time in format 102, 203, 204, 303 or 304"
                        )
                    }
                    parts[key]?.text = timestamp
                default: break
                }
            case .constant, .fixed, .count: break
            }
            if let value {
                document.set(path.steps[...], to: value)
            }
            // A timestamp read from several elements keeps its first one's provenance (the date).
            if let (_, start, end) = where_, case let key = self.resolved(path, in: document),
                value != nil || self.provenance[key] == nil
            {
                self.provenance[key] = FieldProvenance(
                    segment: position,
                    reference: reference,
                    byteStart: start,
                    byteEnd: end
                )
            }
        }
        for key in order {
            guard let part = parts[key] else { continue }
            var text = part.text
            if text == nil, let date = part.date {
                text =
                    Timestamp(date: date, time: part.time, utcOffsetMinutes: part.time == nil ? nil : part.zone)?.text
            }
            if let text { document.set(part.path.steps[...], to: .string(text)) }
        }
    }

    /// `path` with its appended array steps replaced by the index just written, for provenance keys.
    private func resolved(_ path: FieldPath, in document: JSONValue) -> String {
        guard path.steps.contains(.append) else { return path.description }
        var steps: [FieldPath.Step] = []
        for step in path.steps {
            if step == .append {
                let count = Self.count(document, at: FieldPath(steps: steps))
                steps.append(.index(max(0, count - 1)))
            } else {
                steps.append(step)
            }
        }
        return FieldPath(steps: steps).description
    }

    private func position(of segment: Segment) -> Int {
        segment.number - self.transaction.header.number + 1
    }
}

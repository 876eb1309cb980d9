public import EDICore
public import EDISchema
public import GatewayEvents

/// Renders a canonical event as the body of a transaction (the segments between the header and the trailer) by the
/// same map that reads it: segments and loops in the map's order, qualifiers from `where` and `NN = VALUE`, HL (or
/// other linked) hierarchies numbered, loop trigger segments the map does not fill numbered, and trailer totals
/// the grammar defines counted. Reading the result gives the event back.
public struct Renderer: Sendable {
    public let map: MapDefinition
    public let grammar: Grammar

    public init(map: MapDefinition, grammar: Grammar) {
        self.map = map
        self.grammar = grammar
    }

    /// The transaction body for `event` (without ST/SE or UNH/UNT, which the envelope writer adds).
    public func render(_ event: CanonicalEvent) throws(MappingError) -> [SegmentValue] {
        // The map reads the event's fields, never its provenance: the table is left out of the JSON it reads.
        var event = event
        event.metadata.provenance = [:]
        let document: JSONValue
        do {
            document = try EventEncoder.encode(event)
        } catch {
            throw MappingErrors.eventShape(
                map: self.map.source,
                event: self.map.event,
                detail: "an event that does not encode"
            )
        }
        var writing = Writing(map: self.map, grammar: self.grammar, document: document)
        var body: [SegmentValue] = []
        try writing.write(
            self.map.root,
            loop: self.grammar.structure,
            base: FieldPath(steps: []),
            parentID: nil,
            into: &body
        )
        // Totals the trailer area carries (CTT01 count HL, CNT01-02 count LIN when CNT01-01 2), before SE or UNT.
        for rule in self.grammar.totals where rule.sum == nil && !body.contains(where: { $0.tag == rule.tag }) {
            let count = body.filter { $0.tag == rule.countedTag }.count
            var elements = [ElementValue](repeating: "", count: rule.position)
            if let component = rule.component {
                var components = [String](repeating: "", count: max(component, rule.qualifierComponent ?? 0))
                components[component - 1] = String(count)
                if let qualifier = rule.qualifierComponent, let value = rule.qualifierValue {
                    components[qualifier - 1] = value
                }
                elements[rule.position - 1] = ElementValue(components: components)
            } else {
                elements[rule.position - 1] = ElementValue(stringLiteral: String(count))
            }
            body.append(SegmentValue(tag: rule.tag, elements: elements))
        }
        return body
    }
}

/// One rendering's state.
struct Writing {
    let map: MapDefinition
    let grammar: Grammar
    let document: JSONValue
    /// The number of each loop's last numbered occurrence (HL01, LX01).
    var counters: [String: Int] = [:]
    /// Arrays (by path) an `all` loop split across occurrences: the elements the current occurrence writes.
    var windows: [String: Range<Int>] = [:]

    init(map: MapDefinition, grammar: Grammar, document: JSONValue) {
        self.map = map
        self.grammar = grammar
        self.document = document
    }

    /// Writes `scope`'s rules for the loop `loop` (the grammar's definition, to find triggers) under `base`.
    mutating func write(
        _ scope: MapScope,
        loop: LoopDefinition,
        base: FieldPath,
        parentID: String?,
        into body: inout [SegmentValue]
    ) throws(MappingError) {
        for rule in scope.rules {
            switch rule {
            case .segment(let rule):
                if let array = rule.array {
                    let count = self.count(at: array.appended(to: base))
                    for index in 0..<count {
                        let element = FieldPath(steps: array.appended(to: base).steps + [.index(index)])
                        if let segment = try self.segment(rule, base: element, always: true, body: body) {
                            body.append(segment)
                        }
                    }
                } else if let segment = try self.segment(rule, base: base, always: false, body: body) {
                    body.append(segment)
                }
            case .loop(let rule):
                // A hierarchy's levels are siblings in the grammar (HL in HL): look from the transaction down.
                guard
                    let definition = Self.loop(rule.loop, in: loop) ?? Self.loop(rule.loop, in: self.grammar.structure)
                else {
                    throw MappingErrors.invalid(
                        self.map.source,
                        rule.line,
                        "expected loop \(rule.loop) in the grammar, found none"
                    )
                }
                if let array = rule.array, array.steps.isEmpty {
                    try self.everyOccurrence(rule, definition, base: base, parentID: parentID, into: &body)
                } else if let array = rule.array {
                    let key = array.appended(to: base).description
                    for index in self.windows[key] ?? 0..<self.count(at: array.appended(to: base)) {
                        let element = FieldPath(steps: array.appended(to: base).steps + [.index(index)])
                        try self.occurrence(
                            rule,
                            definition,
                            base: element,
                            parentID: parentID,
                            into: &body,
                            always: true
                        )
                    }
                } else {
                    try self.occurrence(rule, definition, base: base, parentID: parentID, into: &body, always: false)
                }
            }
        }
    }

    /// An `all` loop: one occurrence, or as many as its `each` loops need to stay within the grammar's repeats
    /// (a 214 with 25 statuses is three LX loops of at most 10 AT7 loops each). The first occurrence holds
    /// everything else the loop's rules write; reading gathers the occurrences back into the same fields.
    private mutating func everyOccurrence(
        _ rule: LoopRule,
        _ definition: LoopDefinition,
        base: FieldPath,
        parentID: String?,
        into body: inout [SegmentValue]
    ) throws(MappingError) {
        var split: [(key: String, count: Int, maximum: Int)] = []
        for case .loop(let nested) in rule.scope.rules {
            guard let array = nested.array, !array.steps.isEmpty, nested.link == nil,
                let maximum = Self.loop(nested.loop, in: definition)?.maximumRepeat, maximum > 0
            else { continue }
            let count = self.count(at: array.appended(to: base))
            if count > maximum { split.append((array.appended(to: base).description, count, maximum)) }
        }
        let occurrences = split.map { ($0.count + $0.maximum - 1) / $0.maximum }.max() ?? 1
        guard occurrences > 1 else {
            try self.occurrence(rule, definition, base: base, parentID: parentID, into: &body, always: false)
            return
        }
        for index in 0..<occurrences {
            for part in split {
                self.windows[part.key] =
                    min(part.count, index * part.maximum)..<min(part.count, (index + 1) * part.maximum)
            }
            var occurrence = rule
            if index > 0 {
                // Later occurrences carry only the split arrays' elements.
                let keys = Set(split.map(\.key))
                occurrence = LoopRule(
                    loop: rule.loop,
                    conditions: rule.conditions,
                    array: rule.array,
                    link: rule.link,
                    scope: MapScope(
                        rules: rule.scope.rules.filter { nested in
                            guard case .loop(let loop) = nested, let array = loop.array else { return false }
                            return keys.contains(array.appended(to: base).description)
                        }
                    ),
                    line: rule.line
                )
            }
            try self.occurrence(occurrence, definition, base: base, parentID: parentID, into: &body, always: false)
        }
        for part in split { self.windows[part.key] = nil }
    }

    /// One occurrence of a loop: its trigger first (numbered for a hierarchy or a line counter when the map does not
    /// fill it), then its rules.
    private mutating func occurrence(
        _ rule: LoopRule,
        _ definition: LoopDefinition,
        base: FieldPath,
        parentID: String?,
        into body: inout [SegmentValue],
        always: Bool
    ) throws(MappingError) {
        var segments: [SegmentValue] = []
        let trigger = definition.triggerTag
        var identifier: String?
        // A hierarchy level (linked to its parent, or the top level its children link to): numbered, with its
        // parent's number, and its level code from the loop's condition.
        if let numbered = rule.link?.parentOf ?? self.hierarchyIdentifier(rule) {
            let number = self.nextNumber(rule.loop)
            identifier = String(number)
            var elements: [ElementValue] = []
            Self.put(String(number), at: numbered, in: &elements)
            if let link = rule.link, let parentID { Self.put(parentID, at: link.childOf, in: &elements) }
            Self.putQualifiers(rule, trigger: trigger, in: &elements)
            segments.append(SegmentValue(tag: trigger, elements: elements))
        }
        var inner: [SegmentValue] = []
        // Conditions on segments of the occurrence become their qualifiers.
        var scope = rule.scope
        scope.rules = scope.rules.map { nested in
            guard case .segment(let segment) = nested else { return nested }
            let extra = rule.conditions.filter { $0.tag == segment.tag }.map(\.condition)
                .filter { condition in !segment.conditions.contains(condition) }
            guard !extra.isEmpty else { return nested }
            return .segment(
                SegmentRule(
                    tag: segment.tag,
                    conditions: segment.conditions + extra,
                    array: segment.array,
                    bindings: segment.bindings,
                    line: segment.line
                )
            )
        }
        try self.write(scope, loop: definition, base: base, parentID: identifier, into: &inner)
        if inner.first?.tag != trigger { try self.checkTrigger(trigger, in: scope, base: base) }
        // Children of a hierarchy level are rendered after it: split them off to set the child code (HL04).
        if segments.isEmpty {
            guard !inner.isEmpty || always else { return }
            if inner.first?.tag != trigger {
                // The map fills nothing of the trigger: its qualifiers from the loop's conditions, and a sequence
                // number only for a trigger that is one (X12 LX01, assigned number).
                var elements: [ElementValue] = []
                if trigger == "LX" { elements = [ElementValue(stringLiteral: String(self.nextNumber(rule.loop)))] }
                Self.putQualifiers(rule, trigger: trigger, in: &elements)
                segments.append(SegmentValue(tag: trigger, elements: elements))
            }
            body += segments + inner
            return
        }
        // A hierarchy level: merge the map's values for the trigger into the numbered one, then children follow.
        var own = inner.prefix { $0.tag != trigger }
        let children = inner.dropFirst(own.count)
        if let index = own.firstIndex(where: { $0.tag == trigger }) {
            segments[0] = Self.merge(segments[0], own[index])
            own.remove(at: index)
        }
        if trigger == "HL" {
            // HL04: 1 when children follow.
            var elements = segments[0].elements
            while elements.count < 4 { elements.append("") }
            elements[3] = children.isEmpty ? "0" : "1"
            segments[0] = SegmentValue(tag: trigger, elements: elements)
        }
        body += segments + own + children
    }

    /// For a loop rule without `linked` whose nested rules link to it (the top of an HL hierarchy): the identifier
    /// element the children name.
    private func hierarchyIdentifier(_ rule: LoopRule) -> ElementReference? {
        for nested in rule.scope.rules {
            if case .loop(let child) = nested, child.loop == rule.loop, let link = child.link { return link.parentOf }
        }
        return nil
    }

    /// The next number of loop `loop`'s occurrences (HL01, LX01), from 1.
    private mutating func nextNumber(_ loop: String) -> Int {
        let number = (self.counters[loop] ?? 0) + 1
        self.counters[loop] = number
        return number
    }

    /// The loop's conditions on its trigger segment, written as its qualifiers (exclusions write nothing).
    private static func putQualifiers(_ rule: LoopRule, trigger: String, in elements: inout [ElementValue]) {
        for condition in rule.conditions where condition.tag == trigger && condition.condition.isQualifier {
            Self.put(condition.condition.value, at: condition.condition.reference, in: &elements)
        }
    }

    private static func merge(_ a: SegmentValue, _ b: SegmentValue) -> SegmentValue {
        var elements = a.elements
        for (index, element) in b.elements.enumerated() where element != "" {
            while elements.count <= index { elements.append("") }
            if elements[index] == "" { elements[index] = element }
        }
        return SegmentValue(tag: a.tag, elements: elements)
    }

    /// The loop `identifier` nested (at any depth) in `loop`.
    static func loop(_ identifier: String, in loop: LoopDefinition) -> LoopDefinition? {
        for child in loop.children {
            if case .loop(let nested) = child {
                if nested.identifier == identifier { return nested }
                if let found = Self.loop(identifier, in: nested) { return found }
            }
        }
        return nil
    }

    private func count(at path: FieldPath) -> Int {
        if case .array(let elements) = self.document.value(at: path.steps[...]) { return elements.count }
        return 0
    }

    /// The segment for `rule` under `base`, or `nil` when no bound field has a value (and the segment holds only
    /// qualifiers) unless `always`.
    private func segment(_ rule: SegmentRule, base: FieldPath, always: Bool, body: [SegmentValue]) throws(MappingError)
        -> SegmentValue?
    {
        // A rule whose `set` value the event contradicts did not make it (an AT7 read from AT703 has the code list
        // X12-1652): it is another rule's segment.
        if self.contradiction(rule, base: base) != nil { return nil }
        var elements: [ElementValue] = []
        var valued = false
        var appended: [String: Int] = [:]
        for binding in rule.bindings {
            var path = binding.path.appended(to: base)
            switch binding.type {
            case .constant(let value):
                Self.put(value, at: binding.reference, in: &elements)
                continue
            case .count(let tag):
                Self.put(String(body.filter { $0.tag == tag }.count), at: binding.reference, in: &elements)
                continue
            case .fixed, .milestone:
                continue
            default:
                break
            }
            // `x[]` bindings take the array's elements in turn.
            if path.steps.last == .append {
                let key = path.description
                let index = appended[key] ?? 0
                appended[key] = index + 1
                path = FieldPath(steps: Array(path.steps.dropLast()) + [.index(index)])
            }
            guard let value = self.document.value(at: path.steps[...]), value != .null else { continue }
            guard let text = try self.text(value, binding, rule: rule, path: path, elements: &elements) else {
                continue
            }
            if case .text = binding.type, self.contradictsTable(text, binding, rule: rule, base: base) { continue }
            Self.put(text, at: binding.reference, in: &elements)
            valued = true
        }
        // Qualifiers the segment must hold are written last, over any field bound to the same element (a role read
        // from another document); an exclusion (`!CODE`) leaves the value to the fields.
        for condition in rule.conditions where condition.isQualifier {
            Self.put(condition.value, at: condition.reference, in: &elements)
        }
        // A segment of qualifiers alone (`UNS` with `01 = S`) is written; one whose fields are all absent is not.
        let readsFields = rule.bindings.contains { binding in
            switch binding.type {
            case .constant, .fixed, .milestone, .count: false
            default: true
            }
        }
        if !valued && !always && (readsFields || rule.bindings.isEmpty) { return nil }
        return SegmentValue(tag: rule.tag, elements: elements)
    }

    /// Whether a code kept as sent (`documentCode`) disagrees with the `codes` table bound to the same element:
    /// the table names it for another type than the event's (a `380` of an INVOIC with a credit note), or does not
    /// know it while the event's type has a code of its own (an INVOIC's `380` written into an 810's BIG07). The
    /// table's code is written instead.
    private func contradictsTable(_ code: String, _ binding: Binding, rule: SegmentRule, base: FieldPath) -> Bool {
        for other in rule.bindings where other.reference == binding.reference {
            guard case .codes(let table) = other.type else { continue }
            guard case .string(let name)? = self.document.value(at: other.path.appended(to: base).steps[...]) else {
                return false
            }
            if let entry = table.first(where: { $0.code == code }) { return entry.name != name }
            return !table.contains { $0.code == "*" && $0.name == name }
        }
        return false
    }

    /// The first `set` binding of `rule` whose value the event contradicts at `base`: its field and the value held.
    private func contradiction(_ rule: SegmentRule, base: FieldPath) -> (binding: Binding, held: String)? {
        for binding in rule.bindings {
            guard case .fixed(let value) = binding.type,
                case .string(let held)? = self.document.value(at: binding.path.appended(to: base).steps[...]),
                held != value
            else { continue }
            return (binding, held)
        }
        return nil
    }

    /// When every rule for a loop's trigger segment is another reading's (the event's code list is none the map
    /// names: an IFTSTA status through the 214 map), an error naming the values the map takes; an empty trigger
    /// would lose the status.
    private func checkTrigger(_ trigger: String, in scope: MapScope, base: FieldPath) throws(MappingError) {
        var rules: [SegmentRule] = []
        for case .segment(let rule) in scope.rules where rule.tag == trigger && rule.array == nil { rules.append(rule) }
        let contradictions = rules.compactMap { self.contradiction($0, base: base) }
        guard !rules.isEmpty, contradictions.count == rules.count, let (binding, held) = contradictions.first else {
            return
        }
        let taken = rules.flatMap { rule in
            rule.bindings.compactMap { binding -> String? in
                if case .fixed(let value) = binding.type { return value }
                return nil
            }
        }
        throw MappingErrors.invalidValue(
            map: self.map.source,
            line: binding.line,
            field: binding.path.appended(to: base).description,
            reference: trigger,
            expected: "one of " + taken.joined(separator: ", "),
            length: held.utf8.count,
            at: nil
        )
    }

    /// The element text for `value` by the binding's type.
    private func text(
        _ value: JSONValue,
        _ binding: Binding,
        rule: SegmentRule,
        path: FieldPath,
        elements: inout [ElementValue]
    ) throws(MappingError) -> String? {
        func invalid(_ expected: String) -> MappingError {
            MappingErrors.invalidValue(
                map: self.map.source,
                line: binding.line,
                field: path.description,
                reference: rule.tag + binding.reference.description,
                expected: expected,
                length: 0,
                at: nil
            )
        }
        switch (binding.type, value) {
        case (.text, .string(let text)): return text
        case (.text, .number(let text)): return text
        case (.integer, .number(let text)): return text
        case (.decimal(let implied), .number(let text)):
            guard let rendered = ValueText.render(decimal: text, implied: implied) else {
                throw invalid("a decimal number")
            }
            return rendered
        case (.date, .string(let text)):
            let digits = text.prefix(10).filter { $0 != "-" }
            return digits.count == 8 ? String(digits) : nil
        case (.time, .string(let text)):
            guard text.count >= 19 else { return nil }
            let clock = Array(text.utf8)[11..<19].filter { $0 != UInt8(ascii: ":") }
            let seconds = String(decoding: clock.suffix(2), as: UTF8.self)
            return String(decoding: seconds == "00" ? Array(clock.prefix(4)) : Array(clock), as: UTF8.self)
        case (.timeZone, .string(let text)):
            guard let offset = ValueText.offset(of: text) else { return nil }
            // An offset no time code names would be dropped and the moment changed: refuse it.
            guard let code = ValueText.x12TimeCode(offset) else { throw invalid("a time zone X12 time codes name") }
            return code
        case (.codes(let table), .string(let name)):
            if let entry = table.first(where: { $0.name == name && $0.code != "*" }) { return entry.code }
            // The name for every other code has none of its own: the code as sent, bound after it, says which.
            if table.contains(where: { $0.name == name && $0.code == "*" }) { return nil }
            throw invalid("a name the map's code table gives a code for")
        case (.dateTime(let format), .string(let text)):
            guard let (rendered, code) = ValueText.edifactDateTime(text) else { throw invalid("a timestamp") }
            Self.put(code, at: format, in: &elements)
            return rendered
        default:
            throw invalid("a value of the field's type")
        }
    }

    /// Writes `text` at an element or component, growing the element list.
    static func put(_ text: String, at reference: ElementReference, in elements: inout [ElementValue]) {
        while elements.count < reference.element { elements.append("") }
        let index = reference.element - 1
        guard let component = reference.component else {
            elements[index] = ElementValue(stringLiteral: text)
            return
        }
        var components = elements[index].repetitions.first ?? []
        while components.count < component { components.append("") }
        components[component - 1] = text
        elements[index] = ElementValue(components: components)
    }
}

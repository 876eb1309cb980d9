extension MapDefinition {
    /// The map with single rules replaced, as a partner profile asks: the field `field` (a path from the event's
    /// root, `shipment.proNumber`; `events[].reason` for a field of every element of an array) is read from
    /// `reference` (`L1101 where L1102 CN`) instead, in the same loop as before. Other rules stay. An override naming
    /// a field the map does not bind, or a malformed reference, is an error naming `source` (the profile).
    public func overriding(field: String, reference: String, source: String) throws(MappingError) -> MapDefinition {
        let (tag, element, conditions) = try Self.parse(reference, source: source, field: field)
        var replaced = false
        let root = Self.override(
            self.root,
            base: "",
            field: field,
            tag: tag,
            element: element,
            conditions: conditions,
            replaced: &replaced
        )
        guard replaced else {
            throw MappingError(
                code: .invalidMap,
                map: source,
                field: field,
                reference: reference,
                message: "expected a field the map \(self.source) reads, found one it does not"
            )
        }
        return MapDefinition(
            standard: self.standard,
            version: self.version,
            document: self.document,
            event: self.event,
            title: self.title,
            businessKey: self.businessKey,
            constants: self.constants,
            root: root,
            source: self.source + " with overrides from " + source
        )
    }

    /// `TAGnn[-c] [where TAGnn[-c] CODE]...`.
    private static func parse(_ reference: String, source: String, field: String) throws(MappingError) -> (
        String, ElementReference, [ElementCondition]
    ) {
        func invalid() -> MappingError {
            MappingError(
                code: .invalidMap,
                map: source,
                field: field,
                reference: reference,
                message: "expected a reference such as REF02 where REF01 CN, found another form"
            )
        }
        func split(_ word: Substring) -> (String, ElementReference)? {
            let parts = word.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count <= 2, parts[0].count >= 4, let position = Int(parts[0].suffix(2)), position >= 1 else {
                return nil
            }
            let tag = String(parts[0].dropLast(2))
            guard MapParser.isTag(tag) else { return nil }
            var component: Int?
            if parts.count == 2 {
                guard let value = Int(parts[1]), value >= 1 else { return nil }
                component = value
            }
            return (tag, ElementReference(element: position, component: component))
        }
        let words = reference.split(separator: " ")
        guard let first = words.first, let (tag, element) = split(first), (words.count - 1) % 3 == 0 else {
            throw invalid()
        }
        var conditions: [ElementCondition] = []
        var index = 1
        while index < words.count {
            guard words[index] == "where", let (conditionTag, conditionElement) = split(words[index + 1]),
                conditionTag == tag
            else { throw invalid() }
            conditions.append(ElementCondition(reference: conditionElement, value: String(words[index + 2])))
            index += 3
        }
        return (tag, element, conditions)
    }

    private static func override(
        _ scope: MapScope,
        base: String,
        field: String,
        tag: String,
        element: ElementReference,
        conditions: [ElementCondition],
        replaced: inout Bool
    ) -> MapScope {
        var rules: [MapScope.Rule] = []
        for rule in scope.rules {
            switch rule {
            case .segment(let segment) where segment.array == nil:
                guard let binding = segment.bindings.first(where: { Self.join(base, $0.path.description) == field })
                else {
                    rules.append(rule)
                    continue
                }
                replaced = true
                let moved = { (binding: Binding) in
                    Binding(
                        reference: element,
                        path: binding.path,
                        type: binding.type,
                        required: binding.required,
                        line: binding.line
                    )
                }
                let overridden = { (other: Binding) in Self.join(base, other.path.description) == field }
                // Another element of the same segment: the binding moves within the rule, which keeps its conditions
                // and `set` values (an AT7 read from AT701 or AT703 stays two rules, not four).
                let inPlace = tag == segment.tag && conditions.isEmpty
                let rest =
                    inPlace
                    ? segment.bindings.map { overridden($0) ? moved($0) : $0 }
                    : segment.bindings.filter { !overridden($0) }
                if inPlace || rest.contains(where: { if case .constant = $0.type { false } else { true } }) {
                    rules.append(
                        .segment(
                            SegmentRule(
                                tag: segment.tag,
                                conditions: segment.conditions,
                                array: nil,
                                bindings: rest,
                                line: segment.line
                            )
                        )
                    )
                }
                if !inPlace {
                    rules.append(
                        .segment(
                            SegmentRule(
                                tag: tag,
                                conditions: conditions,
                                array: nil,
                                bindings: [moved(binding)],
                                line: segment.line
                            )
                        )
                    )
                }
            case .loop(let loop):
                // Fields under an array are relative to its elements: `events[].reason` names the reason of every
                // element of `events`.
                let nestedBase = loop.array.map { $0.steps.isEmpty ? base : Self.join(base, $0.description + "[]") }
                let scope = Self.override(
                    loop.scope,
                    base: nestedBase ?? base,
                    field: field,
                    tag: tag,
                    element: element,
                    conditions: conditions,
                    replaced: &replaced
                )
                rules.append(
                    .loop(
                        LoopRule(
                            loop: loop.loop,
                            conditions: loop.conditions,
                            array: loop.array,
                            link: loop.link,
                            scope: scope,
                            line: loop.line
                        )
                    )
                )
            default:
                rules.append(rule)
            }
        }
        return MapScope(rules: rules)
    }

    private static func join(_ base: String, _ path: String) -> String {
        base.isEmpty ? path : base + "." + path
    }
}

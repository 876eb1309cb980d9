import Yams

/// Reads values out of a composed YAML tree, checking each against the profile format and collecting every
/// problem with the line and column of the node it is about. Readers return `nil` for a value that is absent or
/// wrong; the caller builds a profile only when no problem was collected.
struct ProfileReader {
    let file: String
    private(set) var errors: [ProfileError] = []

    init(file: String) {
        self.file = file
    }

    mutating func report(_ error: ProfileError) {
        self.errors.append(error)
    }

    func location(_ node: Node) -> ProfileError.Location {
        let mark = node.mark
        return ProfileError.Location(file: self.file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    // MARK: Mappings and lists

    /// A mapping whose keys were checked: every key is a string the format defines, every required key present.
    struct Mapping {
        let node: Node
        /// Where the mapping sits in the profile (`endpoints.sftp`), for messages.
        let context: String
        let values: [String: Node]
        /// The key nodes, for errors about a key itself.
        let keys: [String: Node]

        subscript(key: String) -> Node? { self.values[key] }

        func path(_ key: String) -> String {
            self.context == "the partner profile" ? key : self.context + "." + key
        }
    }

    /// Checks that `node` is a mapping with string keys among `required` and `optional`, every required one present.
    mutating func mapping(_ node: Node, _ context: String, required: [String], optional: [String] = []) -> Mapping? {
        guard case .mapping(let mapping) = node else {
            self.report(
                .wrongType(expected: "a mapping for \(context)", found: Self.describe(node), at: self.location(node))
            )
            return nil
        }
        let allowed = required + optional
        var values: [String: Node] = [:]
        var keys: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = Self.stringScalar(key), allowed.contains(name) else {
                self.report(
                    .unknownKey(key.string ?? Self.describe(key), in: context, allowed: allowed, at: self.location(key))
                )
                continue
            }
            values[name] = value
            keys[name] = key
        }
        for key in required where values[key] == nil {
            self.report(.missingKey(key, in: context, at: self.location(node)))
        }
        return Mapping(node: node, context: context, values: values, keys: keys)
    }

    /// Checks that `node` is a mapping with string keys; for open-ended mappings such as validation rules.
    mutating func entries(_ node: Node, _ context: String) -> [(key: Node, name: String, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            self.report(
                .wrongType(expected: "a mapping for \(context)", found: Self.describe(node), at: self.location(node))
            )
            return nil
        }
        var entries: [(key: Node, name: String, value: Node)] = []
        for (key, value) in mapping {
            guard let name = Self.stringScalar(key) else {
                self.report(
                    .wrongType(
                        expected: "a string key in \(context)",
                        found: Self.describe(key),
                        at: self.location(key)
                    )
                )
                continue
            }
            entries.append((key, name, value))
        }
        return entries
    }

    /// The items of a list, which must hold at least one.
    mutating func list(_ node: Node, _ context: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            self.report(
                .wrongType(expected: "a list for \(context)", found: Self.describe(node), at: self.location(node))
            )
            return nil
        }
        let items = Array(sequence)
        if items.isEmpty {
            self.report(.emptyList(expected: "at least one entry in \(context)", at: self.location(node)))
            return nil
        }
        return items
    }

    /// Reads each item of the list at `key`, skipping those that fail; `nil` when the key is absent.
    mutating func list<T>(_ mapping: Mapping, _ key: String, _ read: (inout ProfileReader, Node, String) -> T?) -> [T]?
    {
        guard let node = mapping[key] else { return nil }
        guard let items = self.list(node, mapping.path(key)) else { return [] }
        var values: [T] = []
        for (index, item) in items.enumerated() {
            if let value = read(&self, item, mapping.path(key) + "[\(index + 1)]") { values.append(value) }
        }
        return values
    }

    // MARK: Scalars

    /// The text of the string at `key`, checked against `format`.
    mutating func string(_ mapping: Mapping, _ key: String, _ format: TextFormat) -> String? {
        guard let node = mapping[key] else { return nil }
        return self.string(node, format)
    }

    mutating func string(_ node: Node, _ format: TextFormat) -> String? {
        guard let text = Self.stringScalar(node) else {
            self.reportNotString(node, expected: format.expected, valid: format.matches)
            return nil
        }
        guard format.matches(text) else {
            self.report(.invalidValue(text, expected: format.expected, at: self.location(node)))
            return nil
        }
        return text
    }

    /// One of an enumeration's raw values.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(_ mapping: Mapping, _ key: String, _: Choice.Type)
        -> Choice? where Choice.RawValue == String
    {
        guard let node = mapping[key] else { return nil }
        return self.choice(node, Choice.self)
    }

    mutating func choice<Choice: RawRepresentable & CaseIterable>(_ node: Node, _: Choice.Type) -> Choice?
    where Choice.RawValue == String {
        let allowed = Choice.allCases.map(\.rawValue)
        guard let text = Self.stringScalar(node) else {
            self.reportNotString(
                node,
                expected: ProfileError.alternatives(allowed.map { "'\($0)'" }),
                valid: allowed.contains
            )
            return nil
        }
        guard let value = Choice(rawValue: text) else {
            self.report(.notOneOf(text, allowed: allowed, at: self.location(node)))
            return nil
        }
        return value
    }

    /// An integer within `range`.
    mutating func integer(_ mapping: Mapping, _ key: String, _ range: ClosedRange<Int>, _ what: String) -> Int? {
        guard let node = mapping[key] else { return nil }
        // JSON Schema counts 22.0 as an integer, and the schema must accept what the loader does.
        let integral = Self.kind(node) == .float ? node.float.flatMap { Int(exactly: $0) } : nil
        guard let value = Self.kind(node) == .int ? node.int : integral else {
            self.report(
                .wrongType(expected: "an integer for \(what)", found: Self.describe(node), at: self.location(node))
            )
            return nil
        }
        guard range.contains(value) else {
            self.report(
                .outOfRange(
                    value,
                    expected: "\(what) from \(range.lowerBound) to \(range.upperBound)",
                    at: self.location(node)
                )
            )
            return nil
        }
        return value
    }

    /// `true` or `false` (YAML 1.1 also reads `yes`, `no`, `on` and `off` so).
    mutating func boolean(_ mapping: Mapping, _ key: String) -> Bool? {
        guard let node = mapping[key] else { return nil }
        guard Self.kind(node) == .bool, let value = node.bool else {
            self.report(.wrongType(expected: "true or false", found: Self.describe(node), at: self.location(node)))
            return nil
        }
        return value
    }

    /// A `file:PATH` or `env:NAME` reference. Anything else is treated as a secret: described by its length only.
    mutating func secret(_ mapping: Mapping, _ key: String) -> SecretReference? {
        guard let node = mapping[key] else { return nil }
        guard case .scalar(let scalar) = node, Self.kind(node) != .null else {
            self.report(
                .wrongType(
                    expected: TextFormat.secretReference.expected,
                    found: Self.describe(node),
                    at: self.location(node)
                )
            )
            return nil
        }
        let text = scalar.string
        guard Self.kind(node) == .str, TextFormat.secretReference.matches(text), let reference = SecretReference(text)
        else {
            if Self.kind(node) == .str, text.hasPrefix("env:") || text.hasPrefix("file:") {
                // A reference with an unusable name or no path: the reference itself is no secret.
                self.report(.invalidValue(text, expected: TextFormat.secretReference.expected, at: self.location(node)))
            } else {
                self.report(.inlineSecret(length: text.count, at: self.location(node)))
            }
            return nil
        }
        return reference
    }

    /// A duration such as `5m` or `24h`.
    mutating func duration(_ mapping: Mapping, _ key: String) -> Duration? {
        guard let text = self.string(mapping, key, .duration) else { return nil }
        return DurationText.parse(text)
    }

    // MARK: Describing what was found

    /// The resolved YAML type of a node: `str` for quoted and plain text, `int` for `004010`, `bool` for `off`.
    static func kind(_ node: Node) -> Tag.Name {
        Tag.Name(rawValue: node.tag.rawValue)
    }

    /// The text of a scalar that YAML reads as a string (plain text, or any quoted value).
    static func stringScalar(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node, Self.kind(node) == .str else { return nil }
        return scalar.string
    }

    /// A value that is not a string where one belongs: a number or boolean whose text would be valid gets the
    /// advice to quote it (`version: 004010` is the number 4010 to YAML).
    private mutating func reportNotString(_ node: Node, expected: String, valid: (String) -> Bool) {
        if case .scalar(let scalar) = node, Self.kind(node) != .null, valid(scalar.string) {
            self.report(
                .wrongType(
                    expected: "\"\(scalar.string)\" in quotes",
                    found: Self.describe(node),
                    at: self.location(node)
                )
            )
        } else {
            self.report(.wrongType(expected: expected, found: Self.describe(node), at: self.location(node)))
        }
    }

    /// `a mapping`, `a list`, `no value`, `the number 4010`, `the boolean yes`, `a string`.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch Self.kind(node) {
            case .null: return "no value"
            case .bool: return "the boolean \(ProfileError.quoted(scalar.string))"
            case .int, .float:
                let text = scalar.string
                return "the number " + (text.count <= 16 ? text : ProfileError.quoted(text))
            case .timestamp: return "a date"
            case .str: return "a string"
            default: return "a value tagged \(ProfileError.quoted(node.tag.rawValue))"
            }
        }
    }
}

/// Reads `.map` files (format in `Maps/README.md`) and checks them: every error names the file, the line and what
/// was expected. Maps are data: a partner's variant is a copied and edited file, never a recompile.
public enum MapLoader {
    /// The largest map file read, in bytes.
    public static let maximumFileSize = 1 << 20
    /// The deepest nesting of `loop` blocks (translation and rendering recurse through them).
    public static let maximumLoopDepth = 16

    /// Loads and checks the map at `path`.
    public static func load(path: String) throws(MappingError) -> MapDefinition {
        guard let bytes = FileBytes.read(path, limit: Self.maximumFileSize) else {
            throw MappingErrors.unreadable(path, limit: Self.maximumFileSize)
        }
        return try Self.parse(String(decoding: bytes, as: UTF8.self), source: path)
    }

    /// Parses and checks map text; `source` names it in errors.
    public static func parse(_ text: String, source: String) throws(MappingError) -> MapDefinition {
        var parser = MapParser(source: source)
        return try parser.parse(text)
    }
}

/// One pass over the lines of a map file, keeping the open blocks on a stack.
struct MapParser {
    let source: String
    private var header: (standard: String, version: String, document: String, event: String, title: String)?
    private var businessKey: String?
    private var constants: [(path: FieldPath, value: String, line: Int)] = []

    /// An open `segment` or `loop` block.
    private enum Block {
        case scope(rules: [MapScope.Rule])
        case segment(tag: String, conditions: [ElementCondition], array: FieldPath?, bindings: [Binding], line: Int)
        case loop(
            loop: String,
            conditions: [(tag: String, condition: ElementCondition)],
            array: FieldPath?,
            link: HierarchyLink?,
            rules: [MapScope.Rule],
            line: Int
        )
    }

    private var stack: [Block] = [.scope(rules: [])]

    init(source: String) {
        self.source = source
    }

    mutating func parse(_ text: String) throws(MappingError) -> MapDefinition {
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let words = Self.words(rawLine)
            guard let keyword = words.first else { continue }
            try self.statement(keyword, words, line: number)
        }
        guard let header = self.header else {
            throw MappingErrors.invalid(
                self.source,
                1,
                "expected a 'map STANDARD VERSION DOCUMENT EVENT' line, found none"
            )
        }
        guard self.stack.count == 1, case .scope(let rules) = self.stack[0] else {
            // The innermost open block's line: that is where the missing `end` belongs.
            var line = number
            switch self.stack.last {
            case .segment(_, _, _, _, let start), .loop(_, _, _, _, _, let start): line = start
            default: break
            }
            throw MappingErrors.invalid(self.source, line, "expected 'end' for this block, found the end of the file")
        }
        return MapDefinition(
            standard: header.standard,
            version: header.version,
            document: header.document,
            event: header.event,
            title: header.title,
            businessKey: self.businessKey,
            constants: self.constants,
            root: MapScope(rules: rules),
            source: self.source
        )
    }

    /// The line's words: blanks separate them, `"…"` keeps one, `#` starts a comment.
    static func words(_ line: Substring) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for character in line {
            if quoted {
                if character == "\"" {
                    quoted = false
                    words.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "#" {
                break
            } else if character == " " || character == "\t" || character == "\r" {
                if !current.isEmpty {
                    words.append(current)
                    current = ""
                }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    private mutating func statement(_ keyword: String, _ words: [String], line: Int) throws(MappingError) {
        switch keyword {
        case "map":
            guard self.header == nil, words.count == 5 || words.count == 6 else {
                throw MappingErrors.invalid(
                    self.source,
                    line,
                    "expected one 'map STANDARD VERSION DOCUMENT EVENT \"title\"' line"
                )
            }
            guard words[1] == "X12" || words[1] == "EDIFACT" else {
                throw MappingErrors.invalid(
                    self.source,
                    line,
                    "expected the standard X12 or EDIFACT, found '\(words[1])'"
                )
            }
            guard MapCatalog.events.contains(words[4]) else {
                throw MappingErrors.invalid(
                    self.source,
                    line,
                    "expected an event of \(MapCatalog.events.joined(separator: ", ")), found '\(words[4])'"
                )
            }
            self.header = (words[1], words[2], words[3], words[4], words.count == 6 ? words[5] : "")
        case "business-key":
            guard words.count == 2, FieldPath(words[1]) != nil else {
                throw MappingErrors.invalid(self.source, line, "expected 'business-key FIELD.PATH'")
            }
            self.businessKey = words[1]
        case "constant":
            guard words.count == 3, let path = FieldPath(words[1]) else {
                throw MappingErrors.invalid(self.source, line, "expected 'constant FIELD.PATH VALUE'")
            }
            self.constants.append((path, words[2], line))
        case "segment":
            try self.requireHeader(line)
            if case .segment = self.top {
                throw MappingErrors.invalid(
                    self.source,
                    line,
                    "expected 'segment' in the map or a loop, found it in a segment"
                )
            }
            guard words.count >= 2, Self.isTag(words[1]) else {
                throw MappingErrors.invalid(
                    self.source,
                    line,
                    "expected 'segment TAG [where NN CODE]... [each PATH[]]'"
                )
            }
            var conditions: [ElementCondition] = []
            var array: FieldPath?
            var index = 2
            while index < words.count {
                switch words[index] {
                case "where" where index + 2 < words.count:
                    conditions.append(
                        ElementCondition(
                            reference: try self.reference(words[index + 1], line: line),
                            value: words[index + 2]
                        )
                    )
                    index += 3
                case "each" where index + 1 < words.count:
                    array = try self.arrayPath(words[index + 1], line: line)
                    index += 2
                default:
                    throw MappingErrors.invalid(
                        self.source,
                        line,
                        "expected 'where NN CODE' or 'each PATH[]', found '\(words[index])'"
                    )
                }
            }
            self.stack.append(.segment(tag: words[1], conditions: conditions, array: array, bindings: [], line: line))
        case "loop":
            try self.requireHeader(line)
            if self.stack.count > MapLoader.maximumLoopDepth {
                throw MappingErrors.invalid(
                    self.source,
                    line,
                    "expected loops nested at most \(MapLoader.maximumLoopDepth) deep, found deeper"
                )
            }
            if case .segment = self.top {
                throw MappingErrors.invalid(
                    self.source,
                    line,
                    "expected 'loop' in the map or a loop, found it in a segment"
                )
            }
            guard words.count >= 2 else {
                throw MappingErrors.invalid(
                    self.source,
                    line,
                    "expected 'loop ID [where TAG NN CODE]... [each PATH[] | all] [linked NN to NN [deep]]'"
                )
            }
            var conditions: [(tag: String, condition: ElementCondition)] = []
            var array: FieldPath?
            var all = false
            var link: HierarchyLink?
            var index = 2
            while index < words.count {
                switch words[index] {
                case "where" where index + 3 < words.count && Self.isTag(words[index + 1]):
                    conditions.append(
                        (
                            words[index + 1],
                            ElementCondition(
                                reference: try self.reference(words[index + 2], line: line),
                                value: words[index + 3]
                            )
                        )
                    )
                    index += 4
                case "each" where index + 1 < words.count:
                    array = try self.arrayPath(words[index + 1], line: line)
                    index += 2
                case "all":
                    all = true
                    index += 1
                case "linked" where index + 3 < words.count && words[index + 2] == "to":
                    let deep = index + 4 < words.count && words[index + 4] == "deep"
                    link = HierarchyLink(
                        childOf: try self.reference(words[index + 1], line: line),
                        parentOf: try self.reference(words[index + 3], line: line),
                        deep: deep
                    )
                    index += deep ? 5 : 4
                default:
                    throw MappingErrors.invalid(
                        self.source,
                        line,
                        "expected 'where TAG NN CODE', 'each PATH[]', 'all' or 'linked NN to NN [deep]', found '\(words[index])'"
                    )
                }
            }
            if all && array != nil {
                throw MappingErrors.invalid(self.source, line, "expected 'each PATH[]' or 'all', found both")
            }
            // `all` visits every occurrence without an array: the empty array path marks it.
            self.stack.append(
                .loop(
                    loop: words[1],
                    conditions: conditions,
                    array: all ? FieldPath(steps: []) : array,
                    link: link,
                    rules: [],
                    line: line
                )
            )
        case "end":
            guard self.stack.count > 1 else {
                throw MappingErrors.invalid(
                    self.source,
                    line,
                    "expected 'end' to close a segment or loop, found none open"
                )
            }
            let block = self.stack.removeLast()
            let rule: MapScope.Rule
            switch block {
            case .segment(let tag, let conditions, let array, let bindings, let start):
                rule = .segment(
                    SegmentRule(tag: tag, conditions: conditions, array: array, bindings: bindings, line: start)
                )
            case .loop(let loop, let conditions, let array, let link, let rules, let start):
                rule = .loop(
                    LoopRule(
                        loop: loop,
                        conditions: conditions,
                        array: array,
                        link: link,
                        scope: MapScope(rules: rules),
                        line: start
                    )
                )
            case .scope:
                throw MappingErrors.invalid(
                    self.source,
                    line,
                    "expected 'end' to close a segment or loop, found none open"
                )
            }
            self.append(rule)
        default:
            // A binding line inside a segment: `NN PATH [TYPE...] [required]`.
            guard case .segment(let tag, let conditions, let array, var bindings, let start) = self.top else {
                throw MappingErrors.invalid(
                    self.source,
                    line,
                    "expected a statement (map, business-key, constant, segment, loop, end), found '\(keyword)'"
                )
            }
            bindings.append(try self.binding(words, line: line))
            self.stack[self.stack.count - 1] = .segment(
                tag: tag,
                conditions: conditions,
                array: array,
                bindings: bindings,
                line: start
            )
        }
    }

    private var top: Block? { self.stack.last }

    private mutating func append(_ rule: MapScope.Rule) {
        switch self.stack[self.stack.count - 1] {
        case .scope(var rules):
            rules.append(rule)
            self.stack[self.stack.count - 1] = .scope(rules: rules)
        case .loop(let loop, let conditions, let array, let link, var rules, let line):
            rules.append(rule)
            self.stack[self.stack.count - 1] = .loop(
                loop: loop,
                conditions: conditions,
                array: array,
                link: link,
                rules: rules,
                line: line
            )
        case .segment:
            break
        }
    }

    private func requireHeader(_ line: Int) throws(MappingError) {
        if self.header == nil {
            throw MappingErrors.invalid(self.source, line, "expected the 'map' line before any rule")
        }
    }

    static func isTag(_ word: String) -> Bool {
        (2...3).contains(word.count) && word.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber) }
    }

    /// `03` or `01-2`.
    private func reference(_ word: String, line: Int) throws(MappingError) -> ElementReference {
        let parts = word.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts[0].count == 2, let element = Int(parts[0]), element >= 1,
            parts.count == 1 || (Int(parts[1]).map { $0 >= 1 } ?? false)
        else {
            throw MappingErrors.invalid(self.source, line, "expected an element such as 03 or 01-2, found '\(word)'")
        }
        return ElementReference(element: element, component: parts.count == 2 ? Int(parts[1]) : nil)
    }

    private func arrayPath(_ word: String, line: Int) throws(MappingError) -> FieldPath {
        guard let path = FieldPath(word), path.steps.last == .append else {
            throw MappingErrors.invalid(self.source, line, "expected an array path ending in [], found '\(word)'")
        }
        return FieldPath(steps: Array(path.steps.dropLast()))
    }

    private func binding(_ words: [String], line: Int) throws(MappingError) -> Binding {
        let form = "expected 'NN FIELD.PATH [TYPE] [required]', 'NN = VALUE' or 'set FIELD.PATH VALUE'"
        guard words.count >= 2 else { throw MappingErrors.invalid(self.source, line, form) }
        if words[0] == "set" {
            guard words.count == 3, let path = FieldPath(words[1]) else {
                throw MappingErrors.invalid(self.source, line, form)
            }
            return Binding(
                reference: ElementReference(element: 1),
                path: path,
                type: .fixed(words[2].replacingASCII("-", with: " ")),
                required: false,
                line: line
            )
        }
        let reference = try self.reference(words[0], line: line)
        if words[1] == "=" && words.count == 4 && words[2] == "count" && Self.isTag(words[3]) {
            return Binding(
                reference: reference,
                path: FieldPath(steps: []),
                type: .count(words[3]),
                required: false,
                line: line
            )
        }
        if words[1] == "=" {
            guard words.count == 3 else { throw MappingErrors.invalid(self.source, line, form) }
            return Binding(
                reference: reference,
                path: FieldPath(steps: []),
                type: .constant(words[2]),
                required: false,
                line: line
            )
        }
        guard let path = FieldPath(words[1]) else {
            throw MappingErrors.invalid(
                self.source,
                line,
                "expected a field path such as shipment.carrier.scac, found '\(words[1])'"
            )
        }
        var type = ValueType.text
        var required = false
        var index = 2
        while index < words.count {
            switch words[index] {
            case "required": required = true
            case "text": type = .text
            case "decimal": type = .decimal(implied: 0)
            case "integer": type = .integer
            case "date": type = .date
            case "time": type = .time
            case "timezone": type = .timeZone
            case "datetime" where index + 1 < words.count:
                type = .dateTime(format: try self.reference(words[index + 1], line: line))
                index += 1
            case "milestone" where index + 1 < words.count:
                type = .milestone(codeList: words[index + 1].replacingASCII("-", with: " "))
                index += 1
            case "codes":
                var table: [CodeName] = []
                while index + 1 < words.count, let equals = words[index + 1].firstIndex(of: "=") {
                    let code = String(words[index + 1][..<equals])
                    let name = String(words[index + 1][words[index + 1].index(after: equals)...])
                    guard !code.isEmpty, !name.isEmpty, !table.contains(where: { $0.code == code }) else {
                        throw MappingErrors.invalid(
                            self.source,
                            line,
                            "expected distinct CODE=NAME entries after 'codes', found '\(words[index + 1])'"
                        )
                    }
                    table.append(CodeName(code: code, name: name))
                    index += 1
                }
                guard !table.isEmpty else {
                    throw MappingErrors.invalid(
                        self.source,
                        line,
                        "expected CODE=NAME entries after 'codes', found none"
                    )
                }
                type = .codes(table)
            default:
                if words[index].count == 2, words[index].first == "N", let places = Int(words[index].dropFirst()) {
                    type = .decimal(implied: places)
                } else {
                    throw MappingErrors.invalid(
                        self.source,
                        line,
                        "expected a type (text, decimal, N2, integer, date, time, timezone, datetime NN, milestone LIST, codes CODE=NAME...) or required, found '\(words[index])'"
                    )
                }
            }
            index += 1
        }
        return Binding(reference: reference, path: path, type: type, required: required, line: line)
    }
}

extension String {
    /// `self` with every `target` character replaced, on ASCII (maps are ASCII).
    func replacingASCII(_ target: Character, with replacement: String) -> String {
        var text = ""
        for character in self { text += character == target ? replacement : String(character) }
        return text
    }
}

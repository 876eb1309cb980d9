import EDICore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads `.grammar` files (the format is in `Maps/Grammars/README.md`) and checks them, so a grammar that loads
/// is one the validator can trust: every tag defined, positions in order, loops closed, notes naming real
/// positions.
///
/// ```swift
/// let grammar = try GrammarLoader.load(path: "Maps/Grammars/X12/004010/856.grammar")
/// ```
public enum GrammarLoader {
    /// Bounds on what a grammar file may hold; grammar files are edited by people and read at startup.
    public struct Limits: Sendable, Hashable {
        /// The largest file, in bytes.
        public var maximumFileSize: Int
        /// The deepest nesting of loops.
        public var maximumLoopDepth: Int
        /// The most elements in a segment or components in a composite.
        public var maximumElements: Int

        /// Creates limits; the defaults are far above any published guide.
        public init(maximumFileSize: Int = 4 << 20, maximumLoopDepth: Int = 16, maximumElements: Int = 99) {
            self.maximumFileSize = maximumFileSize
            self.maximumLoopDepth = maximumLoopDepth
            // Positions are two digits in the file, and validation keeps presence in 128 bits.
            self.maximumElements = min(maximumElements, 99)
        }
    }

    /// Loads and checks the grammar file at `path`.
    public static func load(path: String, limits: Limits = Limits()) throws(GrammarError) -> Grammar {
        let bytes = try self.readFile(path, limits: limits)
        return try self.parse(bytes, source: path, limits: limits)
    }

    /// Parses and checks grammar text; `source` names it in errors.
    public static func parse(_ text: String, source: String, limits: Limits = Limits()) throws(GrammarError) -> Grammar
    {
        try self.parse(Array(text.utf8), source: source, limits: limits)
    }

    /// Parses and checks grammar bytes (UTF-8); `source` names them in errors.
    public static func parse(_ bytes: [UInt8], source: String, limits: Limits = Limits()) throws(GrammarError)
        -> Grammar
    {
        guard bytes.count <= limits.maximumFileSize else {
            throw GrammarError(
                code: .tooLarge,
                file: source,
                line: 0,
                message: "expected at most \(limits.maximumFileSize) bytes, found \(bytes.count)"
            )
        }
        var parser = GrammarParser(source: source, limits: limits)
        return try parser.parse(bytes)
    }

    private static func readFile(_ path: String, limits: Limits) throws(GrammarError) -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw GrammarError(code: .unreadableFile, file: path, line: 0, message: "cannot open the file")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
            if bytes.count > limits.maximumFileSize {
                throw GrammarError(
                    code: .tooLarge,
                    file: path,
                    line: 0,
                    message: "expected at most \(limits.maximumFileSize) bytes, found more"
                )
            }
        }
        if ferror(file) != 0 {
            throw GrammarError(code: .unreadableFile, file: path, line: 0, message: "cannot read the file")
        }
        return bytes
    }
}

/// One line's tokens: words, and names that were in quotes.
struct GrammarLine {
    var number: Int
    var words: [String]
    var name: String?
}

/// The loader's state: blocks open, definitions seen, and what must be resolved once the whole file is read.
struct GrammarParser {
    let source: String
    let limits: GrammarLoader.Limits

    private var standard: Standard?
    private var version = ""
    private var document = ""
    private var name = ""
    private var functionalGroup: String?
    private var totals: [(line: Int, words: [String])] = []
    private var hierarchy: [[String]] = []

    /// Raw element lines of a segment or composite block, resolved after the file is read.
    private struct RawBlock {
        var identifier: String
        var name: String
        var line: Int
        var elements: [(line: GrammarLine, codes: [String])] = []
        var notes: [(line: Int, text: String)] = []
    }
    private var segments: [String: RawBlock] = [:]
    private var composites: [String: RawBlock] = [:]

    /// A structure loop being read.
    private struct OpenLoop {
        var identifier: String
        var usage: Usage
        var maximumRepeat: Int?
        var line: Int
        var children: [StructureNode] = []
        var childLines: [Int] = []
    }
    private var structure: LoopDefinition?
    private var structureTags: [(tag: String, line: Int)] = []

    private enum Block {
        case none
        case structure([OpenLoop])
        case segment(RawBlock)
        case composite(RawBlock)
    }
    private var block = Block.none

    init(source: String, limits: GrammarLoader.Limits) {
        self.source = source
        self.limits = limits
    }

    private func error(_ code: GrammarError.Code, _ line: Int, _ message: String) -> GrammarError {
        GrammarError(code: code, file: self.source, line: line, message: message)
    }

    /// A word as messages quote it: in quotes, cut at 16 characters.
    static func quote(_ word: String) -> String {
        let cut = word.count > 16 ? String(word.prefix(16)) + "…" : word
        return "'" + cut + "'"
    }

    mutating func parse(_ bytes: [UInt8]) throws(GrammarError) -> Grammar {
        var number = 0
        var start = 0
        while start < bytes.count || (start == bytes.count && number == 0) {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
            number += 1
            let line = try self.tokenize(bytes[start..<end], number: number)
            if !line.words.isEmpty { try self.statement(line) }
            start = end + 1
        }
        switch self.block {
        case .none: break
        case .structure(let loops):
            throw self.error(
                .unbalancedBlock,
                loops.last?.line ?? number,
                "expected 'end' for this block, found the end of the file"
            )
        case .segment(let raw), .composite(let raw):
            throw self.error(.unbalancedBlock, raw.line, "expected 'end' for this block, found the end of the file")
        }
        return try self.resolve(lineCount: number)
    }

    /// Splits a line into words, a quoted name, and nothing after `#`.
    private func tokenize(_ bytes: ArraySlice<UInt8>, number: Int) throws(GrammarError) -> GrammarLine {
        var line = GrammarLine(number: number, words: [])
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "#") { break }
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                var end = index + 1
                while end < bytes.endIndex && bytes[end] != UInt8(ascii: "\"") { end += 1 }
                guard end < bytes.endIndex else {
                    throw self.error(.syntax, number, "expected a closing '\"', found the end of the line")
                }
                guard line.name == nil else {
                    throw self.error(.syntax, number, "expected one quoted name, found a second")
                }
                line.name = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                index = end + 1
                continue
            }
            var end = index
            while end < bytes.endIndex && bytes[end] != UInt8(ascii: " ") && bytes[end] != UInt8(ascii: "\t")
                && bytes[end] != UInt8(ascii: "\r") && bytes[end] != UInt8(ascii: "#")
            {
                end += 1
            }
            line.words.append(String(decoding: bytes[index..<end], as: UTF8.self))
            index = end
        }
        return line
    }

    // MARK: Statements

    private mutating func statement(_ line: GrammarLine) throws(GrammarError) {
        let keyword = line.words[0]
        switch self.block {
        case .structure(var loops):
            try self.structureLine(line, loops: &loops)
            return
        case .segment(var raw):
            if try self.elementLine(line, block: &raw) {
                self.block = .none
                self.segments[raw.identifier] = raw
            } else {
                self.block = .segment(raw)
            }
            return
        case .composite(var raw):
            if try self.elementLine(line, block: &raw) {
                self.block = .none
                self.composites[raw.identifier] = raw
            } else {
                self.block = .composite(raw)
            }
            return
        case .none:
            break
        }
        if self.standard == nil && keyword != "grammar" {
            throw self.error(.missingHeader, line.number, "expected 'grammar' first, found \(Self.quote(keyword))")
        }
        switch keyword {
        case "grammar":
            guard self.standard == nil else {
                throw self.error(.duplicateDefinition, line.number, "expected one 'grammar' line, found a second")
            }
            guard line.words.count == 4 else {
                throw self.error(.syntax, line.number, "expected 'grammar STANDARD VERSION DOCUMENT \"NAME\"'")
            }
            guard let standard = Standard(rawValue: line.words[1]) else {
                throw self.error(
                    .invalidValue,
                    line.number,
                    "expected standard X12 or EDIFACT, found \(Self.quote(line.words[1]))"
                )
            }
            self.standard = standard
            self.version = line.words[2]
            self.document = line.words[3]
            self.name = line.name ?? line.words[3]
        case "functional-group":
            guard line.words.count == 2 else {
                throw self.error(.syntax, line.number, "expected 'functional-group CODE'")
            }
            self.functionalGroup = line.words[1]
        case "agency", "association":
            guard line.words.count == 2 else {
                throw self.error(.syntax, line.number, "expected '\(keyword) CODE'")
            }
        case "structure":
            guard self.structure == nil else {
                throw self.error(.duplicateDefinition, line.number, "expected one 'structure' block, found a second")
            }
            self.block = .structure([OpenLoop(identifier: "", usage: .mandatory, maximumRepeat: 1, line: line.number)])
        case "segment", "composite":
            guard line.words.count == 2 else {
                throw self.error(.syntax, line.number, "expected '\(keyword) IDENTIFIER \"NAME\"'")
            }
            let identifier = line.words[1]
            let raw = RawBlock(identifier: identifier, name: line.name ?? "", line: line.number)
            if keyword == "segment" {
                guard Self.isTag(identifier) else {
                    throw self.error(
                        .invalidValue,
                        line.number,
                        "expected a segment tag of 2 or 3 letters and digits, found \(Self.quote(identifier))"
                    )
                }
                guard self.segments[identifier] == nil else {
                    throw self.error(.duplicateDefinition, line.number, "segment \(identifier) is defined twice")
                }
                self.block = .segment(raw)
            } else {
                guard self.composites[identifier] == nil else {
                    throw self.error(.duplicateDefinition, line.number, "composite \(identifier) is defined twice")
                }
                self.block = .composite(raw)
            }
        case "total":
            self.totals.append((line.number, line.words))
        case "hierarchy":
            guard line.words.count >= 2 else {
                throw self.error(.syntax, line.number, "expected 'hierarchy PATH...' such as S-O-P-I")
            }
            for word in line.words.dropFirst() {
                let levels = word.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                guard !levels.isEmpty, levels.allSatisfy({ !$0.isEmpty }) else {
                    throw self.error(
                        .invalidValue,
                        line.number,
                        "expected levels joined by '-', found \(Self.quote(word))"
                    )
                }
                self.hierarchy.append(levels)
            }
        case "end":
            throw self.error(.unbalancedBlock, line.number, "expected a block to close, found 'end' with none open")
        default:
            throw self.error(
                .unknownStatement,
                line.number,
                "expected a statement (grammar, functional-group, structure, segment, composite, total, hierarchy), found \(Self.quote(keyword))"
            )
        }
    }

    private mutating func structureLine(_ line: GrammarLine, loops: inout [OpenLoop]) throws(GrammarError) {
        let words = line.words
        switch words[0] {
        case "end":
            guard words.count == 1 else { throw self.error(.syntax, line.number, "expected 'end' alone") }
            let loop = loops.removeLast()
            guard !loop.children.isEmpty else {
                throw self.error(.invalidStructure, loop.line, "expected segments in this block, found none")
            }
            let definition = LoopDefinition(
                identifier: loop.identifier,
                usage: loop.usage,
                maximumRepeat: loop.maximumRepeat,
                children: loop.children
            )
            if loops.isEmpty {
                self.structure = definition
                self.block = .none
                return
            }
            // The trigger segment of a loop is mandatory and occurs once per occurrence of the loop.
            if case .segment(let trigger) = loop.children[0], trigger.usage != .mandatory || trigger.maximumRepeat != 1
            {
                throw self.error(
                    .invalidStructure,
                    loop.childLines[0],
                    "expected the first segment of loop \(loop.identifier) to be 'M 1'"
                )
            }
            guard case .segment = loop.children[0] else {
                throw self.error(
                    .invalidStructure,
                    loop.childLines[0],
                    "expected loop \(loop.identifier) to start with a segment, found a loop"
                )
            }
            loops[loops.count - 1].children.append(.loop(definition))
            loops[loops.count - 1].childLines.append(loop.line)
        case "loop":
            guard words.count == 4 else {
                throw self.error(.syntax, line.number, "expected 'loop LOOP-ID USAGE MAX-REPEAT'")
            }
            guard loops.count <= self.limits.maximumLoopDepth else {
                throw self.error(
                    .tooLarge,
                    line.number,
                    "expected loops nested at most \(self.limits.maximumLoopDepth) deep"
                )
            }
            let usage = try self.usage(words[2], line: line.number, allowed: ["M", "O", "C"])
            let repeatCount = try self.repeatCount(words[3], line: line.number)
            loops.append(OpenLoop(identifier: words[1], usage: usage, maximumRepeat: repeatCount, line: line.number))
        default:
            guard words.count == 3 else {
                throw self.error(
                    .syntax,
                    line.number,
                    "expected 'TAG USAGE MAX-REPEAT' or 'loop LOOP-ID USAGE MAX-REPEAT'"
                )
            }
            guard Self.isTag(words[0]) else {
                throw self.error(
                    .invalidValue,
                    line.number,
                    "expected a segment tag of 2 or 3 letters and digits, found \(Self.quote(words[0]))"
                )
            }
            let usage = try self.usage(words[1], line: line.number, allowed: ["M", "O", "C"])
            let repeatCount = try self.repeatCount(words[2], line: line.number)
            loops[loops.count - 1].children.append(
                .segment(SegmentUse(tag: words[0], usage: usage, maximumRepeat: repeatCount))
            )
            loops[loops.count - 1].childLines.append(line.number)
            self.structureTags.append((words[0], line.number))
        }
        if !loops.isEmpty { self.block = .structure(loops) }
    }

    /// Reads a line inside a segment or composite block; returns `true` at its `end`.
    private func elementLine(_ line: GrammarLine, block: inout RawBlock) throws(GrammarError) -> Bool {
        let words = line.words
        switch words[0] {
        case "segment", "composite", "structure", "total", "hierarchy", "grammar":
            throw self.error(
                .unbalancedBlock,
                line.number,
                "expected 'end' of \(block.identifier) (opened at line \(block.line)), found '\(words[0])'"
            )
        case "end":
            guard words.count == 1 else { throw self.error(.syntax, line.number, "expected 'end' alone") }
            guard !block.elements.isEmpty else {
                throw self.error(.invalidStructure, block.line, "expected elements in \(block.identifier), found none")
            }
            return true
        case "syntax":
            guard words.count >= 2 else { throw self.error(.syntax, line.number, "expected 'syntax NOTE...'") }
            for note in words.dropFirst() { block.notes.append((line.number, note)) }
        case "codes":
            guard !block.elements.isEmpty else {
                throw self.error(.syntax, line.number, "expected an element line before 'codes'")
            }
            block.elements[block.elements.count - 1].codes += words.dropFirst()
        default:
            guard let position = Int(words[0]), words[0].count == 2 else {
                throw self.error(
                    .syntax,
                    line.number,
                    "expected a two-digit position, 'syntax', 'codes' or 'end', found \(Self.quote(words[0]))"
                )
            }
            guard position == block.elements.count + 1 else {
                throw self.error(
                    .invalidPosition,
                    line.number,
                    "expected position \(block.elements.count + 1), found \(position)"
                )
            }
            guard position <= self.limits.maximumElements else {
                throw self.error(.tooLarge, line.number, "expected at most \(self.limits.maximumElements) positions")
            }
            var codes: [String] = []
            var elementWords = words
            if let index = words.firstIndex(of: "codes") {
                codes = Array(words[(index + 1)...])
                elementWords = Array(words[..<index])
            }
            block.elements.append((GrammarLine(number: line.number, words: elementWords, name: line.name), codes))
        }
        return false
    }

    private func usage(_ word: String, line: Int, allowed: Set<String>) throws(GrammarError) -> Usage {
        guard allowed.contains(word) else {
            let list = allowed.sorted().joined(separator: ", ")
            throw self.error(.invalidValue, line, "expected usage \(list), found \(Self.quote(word))")
        }
        switch word {
        case "M": return .mandatory
        case "O": return .optional
        default: return .conditional
        }
    }

    private func repeatCount(_ word: String, line: Int) throws(GrammarError) -> Int? {
        if word == ">1" { return nil }
        guard let count = Int(word), count >= 1, count <= 99_999_999 else {
            throw self.error(.invalidValue, line, "expected a repeat of 1 or more, or '>1', found \(Self.quote(word))")
        }
        return count
    }

    static func isTag(_ word: String) -> Bool {
        let bytes = Array(word.utf8)
        guard bytes.count == 2 || bytes.count == 3 else { return false }
        return bytes.allSatisfy { ASCIIClass.isUpperOrDigit($0) } && ASCIIClass.isUpper(bytes[0])
    }

    // MARK: Resolution

    private func resolve(lineCount: Int) throws(GrammarError) -> Grammar {
        guard let standard = self.standard else {
            throw self.error(.missingHeader, 0, "expected a 'grammar' line, found none")
        }
        guard let structure = self.structure else {
            throw self.error(.missingHeader, 0, "expected a 'structure' block, found none")
        }
        var composites: [String: CompositeDefinition] = [:]
        for (identifier, raw) in self.composites {
            var components: [ComponentSlot] = []
            for (line, codes) in raw.elements {
                let (slot, repeatCount) = try self.simpleElement(line, codes: codes, standard: standard)
                guard repeatCount == 1 else {
                    throw self.error(.invalidValue, line.number, "expected no 'repeat' on a component")
                }
                components.append(ComponentSlot(element: slot.element, usage: slot.usage))
            }
            let notes = try self.notes(raw, count: components.count)
            composites[identifier] = CompositeDefinition(
                identifier: identifier,
                name: raw.name,
                components: components,
                syntaxNotes: notes
            )
        }
        var segments: [String: SegmentDefinition] = [:]
        for (tag, raw) in self.segments {
            var elements: [ElementSlot] = []
            for (line, codes) in raw.elements {
                let words = line.words
                // `POS COMPOSITE-ID USAGE [repeat N]`: a composite has no type.
                if words.count >= 3, let composite = composites[words[1]] {
                    guard codes.isEmpty else {
                        throw self.error(
                            .invalidValue,
                            line.number,
                            "expected codes on the components of \(words[1]), not on the composite"
                        )
                    }
                    let usage = try self.elementUsage(words[2], line: line.number, standard: standard)
                    let repeatCount = try self.elementRepeat(Array(words[3...]), line: line.number)
                    elements.append(
                        ElementSlot(content: .composite(composite), usage: usage, maximumRepeat: repeatCount)
                    )
                    continue
                }
                // Element numbers are digits; composites are a letter and three digits (C040, S009).
                if words.count >= 2, Self.isCompositeIdentifier(words[1]) {
                    throw self.error(.undefinedReference, line.number, "composite \(words[1]) is used but not defined")
                }
                let (component, repeatCount) = try self.simpleElement(line, codes: codes, standard: standard)
                elements.append(
                    ElementSlot(content: .simple(component.element), usage: component.usage, maximumRepeat: repeatCount)
                )
            }
            let notes = try self.notes(raw, count: elements.count)
            segments[tag] = SegmentDefinition(tag: tag, name: raw.name, elements: elements, syntaxNotes: notes)
        }
        for (tag, line) in self.structureTags where segments[tag] == nil {
            throw self.error(.undefinedReference, line, "segment \(tag) is used in the structure but not defined")
        }
        var totals: [TotalRule] = []
        for (line, words) in self.totals {
            totals.append(try self.total(words, line: line, segments: segments))
        }
        return Grammar(
            standard: standard,
            version: self.version,
            document: self.document,
            name: self.name,
            functionalGroup: self.functionalGroup,
            structure: structure,
            segments: segments,
            totals: totals,
            hierarchy: self.hierarchy,
            source: self.source
        )
    }

    private static func isCompositeIdentifier(_ word: String) -> Bool {
        let bytes = Array(word.utf8)
        return bytes.count == 4 && (bytes[0] == UInt8(ascii: "C") || bytes[0] == UInt8(ascii: "S"))
            && bytes.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `POS ID TYPE LENGTH USAGE [repeat N]` (X12) or `POS ID REPR USAGE [repeat N]` (EDIFACT).
    private func simpleElement(
        _ line: GrammarLine,
        codes: [String],
        standard: Standard
    ) throws(GrammarError) -> (ComponentSlot, Int) {
        let words = line.words
        let type: DataType
        let minimum: Int
        let maximum: Int
        let rest: ArraySlice<String>
        switch standard {
        case .x12:
            guard words.count >= 5 else {
                throw self.error(
                    .syntax,
                    line.number,
                    "expected 'POS ID TYPE MIN/MAX USAGE', or 'POS COMPOSITE-ID USAGE' for a defined composite"
                )
            }
            type = try self.x12Type(words[2], line: line.number)
            (minimum, maximum) = try self.x12Length(words[3], line: line.number)
            rest = words[4...]
        case .edifact:
            guard words.count >= 4 else {
                throw self.error(
                    .syntax,
                    line.number,
                    "expected 'POS ID REPRESENTATION USAGE', or 'POS COMPOSITE-ID USAGE' for a defined composite"
                )
            }
            (type, minimum, maximum) = try self.edifactRepresentation(words[2], line: line.number)
            rest = words[3...]
        }
        let usage = try self.elementUsage(rest.first!, line: line.number, standard: standard)
        let repeatCount = try self.elementRepeat(Array(rest.dropFirst()), line: line.number)
        for code in codes where code.utf8.count > maximum {
            throw self.error(
                .invalidValue,
                line.number,
                "expected codes of at most \(maximum) characters, found \(Self.quote(code))"
            )
        }
        let element = ElementDefinition(
            identifier: words[1],
            name: line.name ?? "",
            type: type,
            minimumLength: minimum,
            maximumLength: maximum,
            codes: codes.isEmpty ? nil : Set(codes)
        )
        return (ComponentSlot(element: element, usage: usage), repeatCount)
    }

    private func elementUsage(_ word: String, line: Int, standard: Standard) throws(GrammarError) -> Usage {
        try self.usage(word, line: line, allowed: standard == .x12 ? ["M", "O", "X"] : ["M", "C"])
    }

    private func elementRepeat(_ words: [String], line: Int) throws(GrammarError) -> Int {
        if words.isEmpty { return 1 }
        guard words.count == 2, words[0] == "repeat", let count = Int(words[1]), count >= 1, count <= 9_999 else {
            throw self.error(
                .syntax,
                line,
                "expected nothing or 'repeat N' after the usage, found \(Self.quote(words.joined(separator: " ")))"
            )
        }
        return count
    }

    private func x12Type(_ word: String, line: Int) throws(GrammarError) -> DataType {
        switch word {
        case "ID": return .identifier
        case "AN": return .alphanumeric
        case "R": return .decimal
        case "DT": return .date
        case "TM": return .time
        case "B": return .binary
        default:
            if word.count == 2, word.first == "N", let places = Int(word.dropFirst()) {
                return .numeric(impliedDecimals: places)
            }
            throw self.error(
                .invalidValue,
                line,
                "expected type ID, AN, N0-N9, R, DT, TM or B, found \(Self.quote(word))"
            )
        }
    }

    private func x12Length(_ word: String, line: Int) throws(GrammarError) -> (Int, Int) {
        let parts = word.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let minimum = Int(parts[0]), let maximum = Int(parts[1]), minimum >= 1,
            minimum <= maximum, maximum <= 99_999
        else {
            throw self.error(
                .invalidValue,
                line,
                "expected a length MIN/MAX with 1 <= MIN <= MAX, found \(Self.quote(word))"
            )
        }
        return (minimum, maximum)
    }

    /// `an..35`, `n3`, `a..3`.
    private func edifactRepresentation(_ word: String, line: Int) throws(GrammarError) -> (DataType, Int, Int) {
        var rest = Substring(word)
        let type: DataType
        if rest.hasPrefix("an") {
            type = .alphanumeric
            rest = rest.dropFirst(2)
        } else if rest.hasPrefix("a") {
            type = .alphabetic
            rest = rest.dropFirst()
        } else if rest.hasPrefix("n") {
            type = .decimal
            rest = rest.dropFirst()
        } else {
            throw self.error(
                .invalidValue,
                line,
                "expected a representation such as an..35 or n3, found \(Self.quote(word))"
            )
        }
        let upTo = rest.hasPrefix("..")
        if upTo { rest = rest.dropFirst(2) }
        guard let length = Int(rest), length >= 1, length <= 99_999 else {
            throw self.error(
                .invalidValue,
                line,
                "expected a representation such as an..35 or n3, found \(Self.quote(word))"
            )
        }
        return (type, upTo ? 1 : length, length)
    }

    private func notes(_ raw: RawBlock, count: Int) throws(GrammarError) -> [SyntaxNote] {
        var notes: [SyntaxNote] = []
        for (line, text) in raw.notes {
            guard let note = Self.syntaxNote(text) else {
                throw self.error(
                    .invalidValue,
                    line,
                    "expected a syntax note such as P0102, C0302 or D5(01,02), found \(Self.quote(text))"
                )
            }
            for position in note.positions where position < 1 || position > count {
                throw self.error(
                    .undefinedReference,
                    line,
                    "syntax note \(text) names position \(position), which \(raw.identifier) does not have"
                )
            }
            notes.append(note)
        }
        return notes
    }

    /// `P0102`, `L010203`, `D5(01,02)`.
    static func syntaxNote(_ text: String) -> SyntaxNote? {
        let bytes = Array(text.utf8)
        guard let first = bytes.first else { return nil }
        if first == UInt8(ascii: "D") {
            guard bytes.count >= 4, bytes[2] == UInt8(ascii: "("), bytes.last == UInt8(ascii: ")") else { return nil }
            let kind: SyntaxNote.Kind
            switch bytes[1] {
            case UInt8(ascii: "1"): kind = .exactlyOne
            case UInt8(ascii: "2"): kind = .paired
            case UInt8(ascii: "3"): kind = .required
            case UInt8(ascii: "4"): kind = .exclusive
            case UInt8(ascii: "5"): kind = .conditional
            case UInt8(ascii: "6"): kind = .listConditional
            case UInt8(ascii: "7"): kind = .firstExcludesOthers
            default: return nil
            }
            let inner = String(decoding: bytes[3..<(bytes.count - 1)], as: UTF8.self)
            var positions: [Int] = []
            for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
                // Directories number positions 010, 020…; grammars may write 01, 02 or the directory's form.
                guard let value = Int(part), !part.isEmpty else { return nil }
                positions.append(part.count == 3 && value % 10 == 0 ? value / 10 : value)
            }
            guard positions.count >= 2 else { return nil }
            return SyntaxNote(kind: kind, positions: positions, text: text)
        }
        guard let kind = SyntaxNote.Kind(rawValue: String(UnicodeScalar(first))), kind.rawValue.count == 1 else {
            return nil
        }
        let digits = bytes.dropFirst()
        guard digits.count >= 4, digits.count % 2 == 0, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }
        var positions: [Int] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            positions.append(Int(digits[index] - 0x30) * 10 + Int(digits[index + 1] - 0x30))
            index += 2
        }
        return SyntaxNote(kind: kind, positions: positions, text: text)
    }

    /// `total REF count TAG [when QUALIFIER CODE]` or `total REF sum REF [where QUALIFIER CODE] [when QUALIFIER
    /// CODE]`.
    private func total(
        _ words: [String],
        line: Int,
        segments: [String: SegmentDefinition]
    ) throws(GrammarError) -> TotalRule {
        let form =
            "expected 'total REF count TAG [when QUALIFIER CODE]' or 'total REF sum REF [where QUALIFIER CODE] "
            + "[when QUALIFIER CODE]'"
        guard words.count >= 4, words[2] == "count" || words[2] == "sum" else {
            throw self.error(.syntax, line, form)
        }
        let total = try self.reference(words[1], line: line, segments: segments)
        // The clauses after the source, each a keyword, a reference and a code.
        var clauses: [String: (reference: (tag: String, position: Int, component: Int?), code: String)] = [:]
        var index = 4
        while index < words.count {
            guard index + 2 < words.count, words[index] == "when" || (words[2] == "sum" && words[index] == "where"),
                clauses[words[index]] == nil
            else { throw self.error(.syntax, line, form) }
            clauses[words[index]] = (
                try self.reference(words[index + 1], line: line, segments: segments), words[index + 2]
            )
            index += 3
        }
        if let when = clauses["when"], when.reference.tag != total.tag {
            throw self.error(
                .invalidValue,
                line,
                "expected the qualifier in segment \(total.tag), found \(Self.quote(words[words.firstIndex(of: "when")! + 1]))"
            )
        }
        var sum: TotalRule.SumSource?
        let countedTag: String
        if words[2] == "count" {
            guard segments[words[3]] != nil else {
                throw self.error(.undefinedReference, line, "segment \(words[3]) is counted but not defined")
            }
            countedTag = words[3]
        } else {
            let source = try self.reference(words[3], line: line, segments: segments)
            if let where_ = clauses["where"], where_.reference.tag != source.tag {
                throw self.error(
                    .invalidValue,
                    line,
                    "expected the qualifier in segment \(source.tag), found \(Self.quote(words[words.firstIndex(of: "where")! + 1]))"
                )
            }
            sum = TotalRule.SumSource(
                tag: source.tag,
                position: source.position,
                component: source.component,
                qualifierPosition: clauses["where"]?.reference.position,
                qualifierComponent: clauses["where"]?.reference.component,
                qualifierValue: clauses["where"]?.code
            )
            countedTag = source.tag
        }
        return TotalRule(
            tag: total.tag,
            position: total.position,
            component: total.component,
            countedTag: countedTag,
            qualifierPosition: clauses["when"]?.reference.position,
            qualifierComponent: clauses["when"]?.reference.component,
            qualifierValue: clauses["when"]?.code,
            sum: sum
        )
    }

    /// `CTT01` → (`CTT`, 1, nil); `CNT01-02` → (`CNT`, 1, 2); checked against the segment's definition.
    private func reference(
        _ word: String,
        line: Int,
        segments: [String: SegmentDefinition]
    ) throws(GrammarError) -> (tag: String, position: Int, component: Int?) {
        let parts = word.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts[0].count >= 4, let position = Int(parts[0].suffix(2)),
            parts.count == 1 || Int(parts[1]) != nil
        else {
            throw self.error(
                .invalidValue,
                line,
                "expected a reference such as CTT01 or CNT01-02, found \(Self.quote(word))"
            )
        }
        let tag = String(parts[0].dropLast(2))
        guard let segment = segments[tag], position >= 1, position <= segment.elements.count else {
            throw self.error(.undefinedReference, line, "\(word) names an element that is not defined")
        }
        let component = parts.count == 2 ? Int(parts[1]) : nil
        switch segment.elements[position - 1].content {
        case .simple:
            if component != nil {
                throw self.error(.undefinedReference, line, "\(word) names a component of a simple element")
            }
        case .composite(let composite):
            guard let component, component >= 1, component <= composite.components.count else {
                throw self.error(.undefinedReference, line, "\(word) must name a component of \(composite.identifier)")
            }
        }
        return (tag, position, component)
    }
}

/// ASCII classes the loader needs.
enum ASCIIClass {
    static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    static func isUpperOrDigit(_ byte: UInt8) -> Bool { self.isUpper(byte) || (byte >= 0x30 && byte <= 0x39) }
}

import EDICore

/// A grammar indexed for validation: segment definitions by packed tag, and each loop's children as parallel
/// arrays of packed tags, usages and repeats, so placing a segment compares integers.
final class CompiledGrammar: Sendable {
    let root: CompiledLoop
    let segments: [SegmentTag: SegmentDefinition]
    /// The packed tags of segments a total counts, and of segments that hold totals.
    let countedTags: [SegmentTag]
    let totalTags: [SegmentTag]

    init(structure: LoopDefinition, segments: [String: SegmentDefinition], totals: [TotalRule]) {
        self.root = CompiledLoop(structure)
        var packed: [SegmentTag: SegmentDefinition] = [:]
        for (tag, definition) in segments { packed[SegmentTag(tag)] = definition }
        self.segments = packed
        self.countedTags = totals.map { SegmentTag($0.countedTag) }
        self.totalTags = totals.map { SegmentTag($0.tag) }
    }
}

/// One loop of a compiled structure.
final class CompiledLoop: Sendable {
    let identifier: String
    let usage: Usage
    let maximumRepeat: Int?
    /// Per child: the packed tag that starts it (the segment's, or the loop's trigger).
    let tags: [SegmentTag]
    /// Per child: its tag as text, for messages.
    let names: [String]
    let usages: [Usage]
    let repeats: [Int?]
    /// Per child: the loop, when the child is one.
    let loops: [CompiledLoop?]

    init(_ loop: LoopDefinition) {
        self.identifier = loop.identifier
        self.usage = loop.usage
        self.maximumRepeat = loop.maximumRepeat
        self.tags = loop.children.map { SegmentTag($0.tag) }
        self.names = loop.children.map(\.tag)
        self.usages = loop.children.map(\.usage)
        self.repeats = loop.children.map(\.maximumRepeat)
        self.loops = loop.children.map { child in
            if case .loop(let nested) = child { return CompiledLoop(nested) }
            return nil
        }
    }
}

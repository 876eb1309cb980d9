/// A segment as plain values: what the writer takes and what round trips compare.
public struct SegmentValue: Sendable, Hashable, CustomStringConvertible {
    /// The tag.
    public var tag: String
    /// The data elements.
    public var elements: [ElementValue]

    /// Creates a segment value.
    public init(tag: String, elements: [ElementValue]) {
        self.tag = tag
        self.elements = elements
    }

    /// Creates a segment of simple elements: `SegmentValue("BEG", "00", "SA", "PO1")`.
    public init(_ tag: String, _ elements: String...) {
        self.init(tag: tag, elements: elements.map(ElementValue.init(stringLiteral:)))
    }

    public var description: String {
        ([self.tag] + self.elements.map(\.description)).joined(separator: "|")
    }
}

/// An element as plain values: repetitions, each a list of components.
public struct ElementValue: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The repetitions; an element that does not repeat has one.
    public var repetitions: [[String]]
    /// Binary data as read (X12 BIN02, BDS03): written byte for byte, whatever its text; `nil` for text.
    public var binary: [UInt8]?

    /// Creates an element from its repetitions.
    public init(repetitions: [[String]]) {
        self.repetitions = repetitions
    }

    /// Creates a binary data element (X12 BIN02, BDS03) from its bytes; `text` is how they read.
    public init(binary bytes: [UInt8], text: String) {
        self.repetitions = [[text]]
        self.binary = bytes
    }

    /// Creates a composite element that does not repeat.
    public init(components: [String]) {
        self.repetitions = [components]
    }

    /// Creates a simple element.
    public init(stringLiteral value: String) {
        self.repetitions = [[value]]
    }

    /// The first component of the first repetition.
    public var text: String { self.repetitions.first?.first ?? "" }

    public var description: String {
        self.repetitions.map { $0.joined(separator: ":") }.joined(separator: "^")
    }
}

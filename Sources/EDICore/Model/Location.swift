/// Where something is in the input: byte offset, segment, element and component.
///
/// Byte offsets are 0-based and count from the start of the input (across interchanges); segment numbers are
/// 1-based and count from the start of the interchange (ISA or UNB = 1); element, component and repetition
/// positions are 1-based, as implementation guides write them. `description` renders the coordinates the way
/// every message in edigate does: `byte 105, segment 1, ISA16`.
public struct Location: Sendable, Hashable, CustomStringConvertible {
    /// The 0-based offset of the byte in question from the start of the input.
    public var byteOffset: Int
    /// The 1-based number of the segment within its interchange, or 0 when outside any segment.
    public var segmentNumber: Int
    /// The segment's tag, when known.
    public var segmentTag: String?
    /// The 1-based position of the element within the segment (`BEG03` → 3).
    public var elementPosition: Int?
    /// The 1-based position of the component within the element (`SV101-2` → 2).
    public var componentPosition: Int?
    /// The 1-based index of the repetition within the element, when the element repeats.
    public var repetitionIndex: Int?
    /// The 1-based position of the segment within its transaction (ST or UNH = 1), which 999 IK3 and CONTRL report.
    public var transactionSegmentNumber: Int?

    /// Creates a location.
    public init(
        byteOffset: Int,
        segmentNumber: Int = 0,
        segmentTag: String? = nil,
        elementPosition: Int? = nil,
        componentPosition: Int? = nil,
        repetitionIndex: Int? = nil,
        transactionSegmentNumber: Int? = nil
    ) {
        self.byteOffset = byteOffset
        self.segmentNumber = segmentNumber
        self.segmentTag = segmentTag
        self.elementPosition = elementPosition
        self.componentPosition = componentPosition
        self.repetitionIndex = repetitionIndex
        self.transactionSegmentNumber = transactionSegmentNumber
    }

    /// The reference as guides write it: `ISA16`, `BEG03`, `SV101-2`, or the bare tag.
    public var reference: String? {
        // A tag that is not 2 or 3 letters and digits is no reference, and may be payload: it is left out.
        guard let tag = self.segmentTag, (2...3).contains(tag.utf8.count), tag.utf8.allSatisfy(ASCII.isAlphanumeric)
        else { return nil }
        guard let element = self.elementPosition else { return tag }
        var text = tag + (element < 10 ? "0" : "") + String(element)
        if let component = self.componentPosition { text += "-" + String(component) }
        return text
    }

    /// `byte 105, segment 1, ISA16`.
    public var description: String {
        var text = "byte " + String(self.byteOffset)
        if self.segmentNumber > 0 { text += ", segment " + String(self.segmentNumber) }
        if let reference = self.reference { text += ", " + reference }
        return text
    }

    /// The same location, pointing at an element (and component) of its segment.
    public func at(element: Int?, component: Int? = nil, byteOffset: Int? = nil) -> Location {
        var copy = self
        copy.elementPosition = element
        copy.componentPosition = component
        if let byteOffset { copy.byteOffset = byteOffset }
        return copy
    }
}

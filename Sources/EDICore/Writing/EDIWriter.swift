/// Writes segments as bytes with any valid delimiter set.
///
/// EDIFACT values are escaped with the release character; X12 has none, so an X12 value that holds a delimiter is
/// an error, never silently changed. Values are written exactly as given: trailing empty elements stay.
///
/// ```swift
/// var writer = EDIWriter(standard: .x12, delimiters: .x12, lineBreak: .lf)
/// try writer.write(SegmentValue("BEG", "00", "SA", "PO1"))
/// let bytes = writer.bytes   // BEG*00*SA*PO1~\n
/// ```
public struct EDIWriter: Sendable {
    /// What follows each segment terminator.
    public enum LineBreak: String, Sendable, Hashable {
        /// Nothing: one long line.
        case none
        /// LF.
        case lf
        /// CR LF.
        case crlf

        var bytes: [UInt8] {
            switch self {
            case .none: []
            case .lf: [ASCII.lf]
            case .crlf: [ASCII.cr, ASCII.lf]
            }
        }
    }

    /// X12 or EDIFACT.
    public let standard: Standard
    /// The delimiters written.
    public let delimiters: Delimiters
    /// What follows each terminator.
    public let lineBreak: LineBreak
    /// The character set values are encoded in: UTF-8 unless it is an ISO 8859 part (EDIFACT UNOC…UNOL).
    public let characterSet: CharacterSet?
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []
    /// Segments written since the last ``resetSegmentCount()``.
    public private(set) var segmentCount = 0

    /// Creates a writer; values are written in `characterSet` (UTF-8 when nil).
    public init(
        standard: Standard,
        delimiters: Delimiters,
        lineBreak: LineBreak = .none,
        characterSet: CharacterSet? = nil
    ) {
        self.standard = standard
        self.delimiters = delimiters
        self.lineBreak = lineBreak
        self.characterSet = characterSet
    }

    /// Takes the bytes written so far, leaving the writer empty.
    public mutating func takeBytes() -> [UInt8] {
        defer { self.bytes = [] }
        return self.bytes
    }

    /// Starts counting segments anew (at a transaction header).
    public mutating func resetSegmentCount() { self.segmentCount = 0 }

    /// Writes one segment, or nothing when it throws.
    public mutating func write(_ segment: SegmentValue) throws(EDISyntaxError) {
        if segment.tag == "UNA" {
            self.writeServiceStringAdvice()
            return
        }
        let start = self.bytes.count
        do {
            try self.writeSegment(segment, start: start)
        } catch {
            self.bytes.removeSubrange(start...)
            throw error
        }
    }

    private mutating func writeSegment(_ segment: SegmentValue, start: Int) throws(EDISyntaxError) {
        let raw = segment.tag == "ISA"
        // X12 BIN and BDS: the last element is binary data whose length the element before it gives; it is written
        // byte for byte, delimiters and all, as readers take exactly that many bytes.
        let lengthPosition = segment.tag == "BIN" ? 1 : segment.tag == "BDS" ? 2 : 0
        let binaryData =
            self.standard == .x12 && lengthPosition > 0 && segment.elements.count == lengthPosition + 1
            ? try self.binaryData(segment, lengthPosition: lengthPosition, start: start) : nil
        try self.append(segment.tag, segment: segment, element: nil, start: start, raw: true, released: true)
        for (index, element) in segment.elements.enumerated() {
            self.bytes.append(self.delimiters.element)
            if let binaryData, index == lengthPosition {
                self.bytes.append(contentsOf: binaryData)
                continue
            }
            if raw {
                try self.append(element.text, segment: segment, element: index + 1, start: start, raw: true)
                continue
            }
            for (repetitionIndex, repetition) in element.repetitions.enumerated() {
                if repetitionIndex > 0 {
                    guard let separator = self.delimiters.repetition else {
                        throw .unwritableValue(
                            UInt8(ascii: "^"),
                            length: element.repetitions.count,
                            at: Location(
                                byteOffset: self.bytes.count,
                                segmentTag: segment.tag,
                                elementPosition: index + 1
                            )
                        )
                    }
                    self.bytes.append(separator)
                }
                for (componentIndex, component) in repetition.enumerated() {
                    if componentIndex > 0 { self.bytes.append(self.delimiters.component) }
                    try self.append(component, segment: segment, element: index + 1, start: start, raw: false)
                }
            }
        }
        self.bytes.append(contentsOf: self.delimiters.segmentTerminator)
        self.bytes.append(contentsOf: self.lineBreak.bytes)
        self.segmentCount += 1
    }

    /// The bytes of a BIN/BDS segment's data element, checked against its length element.
    private func binaryData(_ segment: SegmentValue, lengthPosition: Int, start: Int) throws(EDISyntaxError)
        -> [UInt8]
    {
        let element = segment.elements[lengthPosition]
        let bytes: [UInt8]
        if let binary = element.binary {
            bytes = binary
        } else if let encoded = self.characterSet.map({ $0.encode(element.text) }) ?? Array(element.text.utf8) {
            bytes = encoded
        } else {
            throw .unencodableCharacter(
                characterSet: self.characterSet?.name ?? "UTF-8",
                length: element.text.utf8.count,
                at: Location(byteOffset: start, segmentTag: segment.tag, elementPosition: lengthPosition + 1)
            )
        }
        guard ASCII.binaryLength(segment.elements[lengthPosition - 1].text.utf8) == bytes.count else {
            throw .binaryLengthMismatch(
                data: bytes.count,
                at: Location(byteOffset: start, segmentTag: segment.tag, elementPosition: lengthPosition)
            )
        }
        return bytes
    }

    /// Writes `UNA` and the six service characters.
    public mutating func writeServiceStringAdvice() {
        self.bytes.append(contentsOf: "UNA".utf8)
        self.bytes.append(self.delimiters.component)
        self.bytes.append(self.delimiters.element)
        self.bytes.append(self.delimiters.decimalMark)
        self.bytes.append(self.delimiters.release ?? ASCII.space)
        self.bytes.append(self.delimiters.repetition ?? ASCII.space)
        self.bytes.append(contentsOf: self.delimiters.segmentTerminator)
        self.bytes.append(contentsOf: self.lineBreak.bytes)
    }

    private mutating func append(
        _ text: String,
        segment: SegmentValue,
        element: Int?,
        start: Int,
        raw: Bool,
        released: Bool = false
    ) throws(EDISyntaxError) {
        let encoded: [UInt8]
        if let characterSet = self.characterSet {
            guard let bytes = characterSet.encode(text) else {
                throw .unencodableCharacter(
                    characterSet: characterSet.name,
                    length: text.utf8.count,
                    at: Location(byteOffset: start, segmentTag: segment.tag, elementPosition: element)
                )
            }
            encoded = bytes
        } else {
            encoded = Array(text.utf8)
        }
        let terminator = self.delimiters.segmentTerminator
        // A tag is written as it was read: a release character in it keeps the byte after it (a broken tag such as
        // `A?'B` reads clean inside a message, where validation reports it, and must write back the same).
        let release = released ? self.delimiters.release : nil
        var afterRelease = false
        for (index, byte) in encoded.enumerated() {
            if afterRelease {
                afterRelease = false
                self.bytes.append(byte)
                continue
            }
            if byte == release {
                // At the end it would release the separator after the tag.
                guard index + 1 < encoded.count else {
                    throw .unwritableValue(
                        byte,
                        length: encoded.count,
                        at: Location(byteOffset: start, segmentTag: segment.tag, elementPosition: element)
                    )
                }
                afterRelease = true
                self.bytes.append(byte)
                continue
            }
            // A line break in a value is released too: readers take a bare one inside a segment for formatting.
            let isDelimiter =
                raw
                ? (byte == self.delimiters.element || byte == terminator[0])
                : self.delimiters.isService(byte) || ASCII.isLineBreak(byte)
            if isDelimiter || (terminator.count > 1 && byte == terminator[0]) {
                if !raw, let release = self.delimiters.release {
                    self.bytes.append(release)
                    self.bytes.append(byte)
                    continue
                }
                throw .unwritableValue(
                    byte,
                    length: encoded.count,
                    at: Location(byteOffset: start, segmentTag: segment.tag, elementPosition: element)
                )
            }
            self.bytes.append(byte)
        }
    }
}

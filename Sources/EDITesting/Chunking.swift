public import EDICore

/// A deterministic random number generator (SplitMix64), so every failing case names a seed that replays it.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) {
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var value = self.state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// How input is fed to a reader: whole, byte by byte, or in seeded random chunks (swift-nio's
/// `ByteToMessageDecoderVerifier` feeds decoders the same ways).
public enum Chunking: Sendable, Hashable, CustomStringConvertible {
    case whole
    case byteByByte
    case random(seed: UInt64)

    /// Whole, byte by byte, and random chunks with seeds 1 through 8.
    public static let all: [Chunking] = [.whole, .byteByByte] + (1...8).map { .random(seed: $0) }

    public var description: String {
        switch self {
        case .whole: "whole"
        case .byteByByte: "byte by byte"
        case .random(let seed): "random chunks (seed \(seed))"
        }
    }

    /// Splits `bytes` into chunks.
    public func chunks(of bytes: [UInt8]) -> [[UInt8]] {
        switch self {
        case .whole:
            return [bytes]
        case .byteByByte:
            return bytes.map { [$0] }
        case .random(let seed):
            var generator = SeededGenerator(seed: seed)
            var chunks: [[UInt8]] = []
            var start = 0
            while start < bytes.count {
                let size = Int.random(in: 1...max(1, min(64, bytes.count)), using: &generator)
                let end = min(bytes.count, start + size)
                chunks.append(Array(bytes[start..<end]))
                start = end
            }
            return chunks
        }
    }
}

/// Reads input fed in chunks and records what the reader reported, as comparable text.
public enum ReadTranscript {
    /// Every event as one line, and the error (if any) last.
    public static func lines(
        of bytes: [UInt8],
        chunking: Chunking,
        configuration: ReaderConfiguration = ReaderConfiguration()
    ) -> [String] {
        var reader = EDIReader(configuration: configuration)
        var lines: [String] = []
        var chunks = chunking.chunks(of: bytes).makeIterator()
        do throws(EDISyntaxError) {
            while let event = try reader.next(appending: { chunks.next() }) { lines.append(self.line(event)) }
        } catch {
            lines.append("error \(error.code) at \(error.location) [\(error.message)]")
        }
        return lines
    }

    /// Parses `bytes` fed in chunks into interchanges; throws the first syntax error.
    public static func parse(
        _ bytes: [UInt8],
        chunking: Chunking,
        configuration: ReaderConfiguration = ReaderConfiguration()
    ) throws(EDISyntaxError) -> [Interchange] {
        var reader = EDIReader(configuration: configuration)
        var collector = InterchangeCollector()
        var chunks = chunking.chunks(of: bytes).makeIterator()
        while let event = try reader.next(appending: { chunks.next() }) { collector.add(event) }
        return collector.interchanges
    }

    static func line(_ event: ReadEvent) -> String {
        switch event {
        case .interchangeStart(let header):
            return "interchange \(header.standard) \(header.delimiters) \(header.characterSet) "
                + (header.segment.map(self.segment) ?? "no header")
                + (header.serviceStringAdvice.map { " " + self.segment($0) } ?? "")
        case .segment(let segment):
            return "segment " + self.segment(segment)
        case .groupStart(let segment):
            return "group " + self.segment(segment)
        case .transaction(let transaction):
            return "transaction \(transaction.type) \(transaction.controlNumber) complete=\(transaction.hasTrailer) "
                + transaction.segments.map(self.segment).joined(separator: " ")
        case .groupEnd(let segment):
            return "group end " + (segment.map(self.segment) ?? "none")
        case .interchangeEnd(let segment):
            return "interchange end " + (segment.map(self.segment) ?? "none")
        case .finding(let finding):
            return "finding \(finding.code) \(finding.severity) at \(finding.location) [\(finding.message)]"
        }
    }

    /// A segment's number, offset, whether the reader found it plain (`p`) and its value.
    static func segment(_ segment: Segment) -> String {
        "\(segment.number)@\(segment.byteOffset)\(segment.isPlain ? "p" : ""):\(segment.value)"
    }
}

/// The limits a reader enforces, each with a located error when input exceeds it.
///
/// Defaults are generous for real traffic and still bound the memory one hostile file can take.
public struct ReaderLimits: Sendable, Hashable {
    /// The longest segment in bytes, terminator excluded (binary BIN/BDS data included). Default 1 MiB.
    public var maximumSegmentLength: Int
    /// The most elements in one segment, tag excluded. Default 1,000.
    public var maximumElementsPerSegment: Int
    /// The most components in one element. Default 100.
    public var maximumComponentsPerElement: Int
    /// The most repetitions of one element. Default 10,000.
    public var maximumRepetitionsPerElement: Int
    /// The most bytes one reader takes (a file, or one stream). Default 1 GiB; at most 4 GiB.
    public var maximumInputSize: Int
    /// The most transactions (X12 ST, EDIFACT UNH) in one interchange. Default 1,000,000.
    public var maximumTransactionsPerInterchange: Int
    /// The most segments in one transaction, header and trailer included; the reader holds a transaction's
    /// segments until its trailer. Default 1,000,000.
    public var maximumSegmentsPerTransaction: Int

    /// Creates limits; every argument has the documented default.
    public init(
        maximumSegmentLength: Int = 1 << 20,
        maximumElementsPerSegment: Int = 1000,
        maximumComponentsPerElement: Int = 100,
        maximumRepetitionsPerElement: Int = 10_000,
        maximumInputSize: Int = 1 << 30,
        maximumTransactionsPerInterchange: Int = 1_000_000,
        maximumSegmentsPerTransaction: Int = 1_000_000
    ) {
        self.maximumSegmentLength = maximumSegmentLength
        self.maximumElementsPerSegment = min(maximumElementsPerSegment, Int(UInt16.max) - 1)
        self.maximumComponentsPerElement = maximumComponentsPerElement
        self.maximumRepetitionsPerElement = maximumRepetitionsPerElement
        self.maximumInputSize = max(0, min(maximumInputSize, Int(UInt32.max) - 1))
        self.maximumTransactionsPerInterchange = max(1, maximumTransactionsPerInterchange)
        self.maximumSegmentsPerTransaction = max(2, maximumSegmentsPerTransaction)
    }
}

/// How a reader treats bytes outside the repertoire of an EDIFACT syntax identifier.
public enum RepertoirePolicy: String, Sendable, Hashable {
    /// Report each segment's first stray byte as an error finding.
    case strict
    /// Report it as a warning: many partners send lowercase letters in UNOA.
    case lenient
    /// Do not check.
    case off
}

/// How an ``EDIReader`` reads.
public struct ReaderConfiguration: Sendable, Hashable {
    /// The limits enforced while reading.
    public var limits: ReaderLimits
    /// Whether and how strictly the character repertoire is checked.
    public var repertoire: RepertoirePolicy

    /// Creates a configuration with the documented defaults.
    public init(limits: ReaderLimits = ReaderLimits(), repertoire: RepertoirePolicy = .lenient) {
        self.limits = limits
        self.repertoire = repertoire
    }
}

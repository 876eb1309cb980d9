/// The family of EDI syntax an interchange is written in.
public enum Standard: String, Sendable, Hashable, CaseIterable {
    /// ASC X12: ISA/IEA, GS/GE, ST/SE envelopes.
    case x12 = "X12"
    /// UN/EDIFACT (ISO 9735): UNA, UNB/UNZ, UNG/UNE, UNH/UNT.
    case edifact = "EDIFACT"
}

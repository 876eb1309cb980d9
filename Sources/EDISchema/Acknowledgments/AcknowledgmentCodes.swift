public import EDICore

/// The codes each acknowledgment reports for a finding: one table, so TA1, 997, 999 and CONTRL agree.
///
/// | finding | AK304/IK304 | AK403/IK403 | CONTRL 0085 |
/// | --- | --- | --- | --- |
/// | segmentNotInTransaction | 6 | | 15 |
/// | segmentOutOfSequence | 7 | | 15 |
/// | mandatorySegmentMissing | 3 | | 13 |
/// | loopRepeatExceeded | 4 | | 36 |
/// | segmentRepeatExceeded | 5 | | 35 |
/// | invalidSegmentTag | 1 | | 14 |
/// | mandatoryElementMissing | 8 | 1 | 13 |
/// | conditionalElementMissing | 8 | 2 | 13 |
/// | tooManyElements | 8 | 3 | 16 |
/// | elementTooShort | 8 | 4 | 40 |
/// | elementTooLong | 8 | 5 | 39 |
/// | invalidCharacter | 8 | 6 | 37 (21 outside the repertoire) |
/// | invalidCodeValue | 8 | 7 (999: 7) | 12 |
/// | invalidDate | 8 | 8 | 12 |
/// | invalidTime | 8 | 9 | 12 |
/// | exclusionViolated | 8 | 10 | 15 |
/// | tooManyRepetitions | 8 | 12 | 35 |
/// | tooManyComponents | 8 | 13 | 16 |
/// | totalMismatch, hierarchyNumbering, hierarchyParent, hierarchyChildCode, hierarchyDepth | 8 | 7 (999: I12) | 12 |
/// | hierarchyLevel | 8 | 7 (999: I6) | 12 |
///
/// Transaction level (AK502/IK502): 1 not supported, 2 trailer missing, 3 control numbers differ, 4 segment count
/// wrong, 5 segments in error, 7 invalid control number. Group level (AK905): 3 trailer missing, 4 control numbers
/// differ, 5 transaction count wrong, 6 invalid control number. Interchange (TA105): 001 control numbers differ,
/// 021 group count wrong, 022 invalid control structure, 023 end of file before the trailer, 018 invalid control
/// number, 024 other invalid content.
public enum AcknowledgmentCodes {
    /// Where a finding is reported within a transaction.
    public enum Placement: Sendable, Hashable {
        /// An AK3/IK3 with this segment code and no element.
        case segment(String)
        /// An AK3/IK3 with code 8 and an AK4/IK4 with this element code.
        case element(String)
        /// Only the transaction's AK5/IK5 carries it, with this code.
        case transaction(String)
    }

    /// How `finding` is reported in a 997 (`implementation` false) or a 999 (`implementation` true). Before 005010
    /// (`version5` false) AK403 has no code for too many repetitions (12) or components (13): they are reported as
    /// too many data elements (3).
    public static func x12(_ finding: Finding, implementation: Bool = false, version5: Bool = true) -> Placement {
        switch finding.code {
        case .segmentNotInTransaction: return .segment("6")
        case .segmentOutOfSequence, .unexpectedSegment: return .segment("7")
        case .mandatorySegmentMissing: return .segment("3")
        case .loopRepeatExceeded: return .segment("4")
        case .segmentRepeatExceeded: return .segment("5")
        case .invalidSegmentTag, .emptySegment: return .segment("1")
        case .mandatoryElementMissing: return .element("1")
        case .conditionalElementMissing: return .element("2")
        case .tooManyElements: return .element("3")
        case .elementTooShort: return .element("4")
        case .elementTooLong: return .element("5")
        case .invalidCharacter, .characterOutsideRepertoire: return .element("6")
        case .invalidCodeValue: return .element("7")
        case .invalidDate: return .element("8")
        case .invalidTime: return .element("9")
        case .exclusionViolated: return .element("10")
        case .tooManyRepetitions: return .element(version5 || implementation ? "12" : "3")
        case .tooManyComponents: return .element(version5 || implementation ? "13" : "3")
        case .hierarchyLevel: return .element(implementation ? "I6" : "7")
        case .totalMismatch, .hierarchyNumbering, .hierarchyParent, .hierarchyChildCode, .hierarchyDepth:
            return .element(implementation ? "I12" : "7")
        case .transactionNotSupported: return .transaction("1")
        case .missingTrailer: return .transaction("2")
        case .controlNumberMismatch: return .transaction("3")
        case .countMismatch: return .transaction("4")
        case .invalidControlValue: return .transaction("7")
        default: return .transaction("5")
        }
    }

    /// AK905 for a group-level finding.
    public static func group(_ finding: Finding) -> String? {
        switch finding.code {
        case .missingTrailer: "3"
        case .controlNumberMismatch: "4"
        case .countMismatch: "5"
        case .invalidControlValue: "6"
        default: nil
        }
    }

    /// TA105 for an interchange-level finding.
    public static func interchange(_ finding: Finding) -> String {
        switch finding.code {
        case .controlNumberMismatch: "001"
        case .countMismatch: "021"
        case .interchangeHeaderNotFixedWidth: "022"
        case .missingTrailer: "023"
        case .invalidControlValue: "018"
        default: "024"
        }
    }

    /// CONTRL syntax error code (0085) for a finding.
    public static func edifact(_ finding: Finding) -> String {
        switch finding.code {
        case .segmentNotInTransaction, .segmentOutOfSequence, .unexpectedSegment, .exclusionViolated: "15"
        case .mandatorySegmentMissing, .mandatoryElementMissing, .conditionalElementMissing, .missingTrailer: "13"
        case .loopRepeatExceeded: "36"
        case .segmentRepeatExceeded, .tooManyRepetitions: "35"
        case .invalidSegmentTag, .emptySegment: "14"
        case .tooManyElements, .tooManyComponents: "16"
        case .elementTooShort: "40"
        case .elementTooLong: "39"
        case .invalidCharacter: "37"
        case .characterOutsideRepertoire: "21"
        case .controlNumberMismatch: "28"
        case .countMismatch: "29"
        case .transactionNotSupported: "14"
        case .unknownSyntaxIdentifier: "2"
        default: "12"
        }
    }

    /// Whether a CONTRL reports `finding` with UCS (segment) only, without a UCD.
    static func isSegmentLevel(_ finding: Finding) -> Bool {
        finding.location.elementPosition == nil
    }
}

public import EDICore

extension Finding.Code {
    // Segment level: 997 AK304, 999 IK304, CONTRL UCS.

    /// A segment tag the grammar does not define (AK304 6: segment not in defined transaction set).
    public static let segmentNotInTransaction = Finding.Code(rawValue: "segmentNotInTransaction")
    /// A segment the grammar defines, where it may not stand (AK304 7: segment not in proper sequence).
    public static let segmentOutOfSequence = Finding.Code(rawValue: "segmentOutOfSequence")
    /// A mandatory segment or loop that is absent (AK304 3: mandatory segment missing).
    public static let mandatorySegmentMissing = Finding.Code(rawValue: "mandatorySegmentMissing")
    /// A segment repeated more often than its position allows (AK304 5: segment exceeds maximum use).
    public static let segmentRepeatExceeded = Finding.Code(rawValue: "segmentRepeatExceeded")
    /// A loop repeated more often than allowed (AK304 4: loop occurs over maximum times).
    public static let loopRepeatExceeded = Finding.Code(rawValue: "loopRepeatExceeded")

    // Element level: 997 AK403, 999 IK403, CONTRL UCD.

    /// A mandatory element or component that is absent (AK403 1).
    public static let mandatoryElementMissing = Finding.Code(rawValue: "mandatoryElementMissing")
    /// An element a syntax note requires that is absent (AK403 2: conditional required data element missing).
    public static let conditionalElementMissing = Finding.Code(rawValue: "conditionalElementMissing")
    /// More elements than the segment defines (AK403 3).
    public static let tooManyElements = Finding.Code(rawValue: "tooManyElements")
    /// A value shorter than its minimum length (AK403 4).
    public static let elementTooShort = Finding.Code(rawValue: "elementTooShort")
    /// A value longer than its maximum length (AK403 5).
    public static let elementTooLong = Finding.Code(rawValue: "elementTooLong")
    /// A character the element's type does not allow (AK403 6).
    public static let invalidCharacter = Finding.Code(rawValue: "invalidCharacter")
    /// A value outside the element's code list (AK403 7).
    public static let invalidCodeValue = Finding.Code(rawValue: "invalidCodeValue")
    /// A DT value that is not a calendar date (AK403 8).
    public static let invalidDate = Finding.Code(rawValue: "invalidDate")
    /// A TM value that is not a time of day (AK403 9).
    public static let invalidTime = Finding.Code(rawValue: "invalidTime")
    /// Elements present together that a syntax note excludes (AK403 10: exclusion condition violated).
    public static let exclusionViolated = Finding.Code(rawValue: "exclusionViolated")
    /// More repetitions than the element allows (AK403 12).
    public static let tooManyRepetitions = Finding.Code(rawValue: "tooManyRepetitions")
    /// More components than the composite defines, or components in a simple element (AK403 13).
    public static let tooManyComponents = Finding.Code(rawValue: "tooManyComponents")

    // Document rules.

    /// A trailer total (CTT01, CNT02) that differs from the count of what it counts.
    public static let totalMismatch = Finding.Code(rawValue: "totalMismatch")
    /// HL01 not numbered 1, 2, 3… in order.
    public static let hierarchyNumbering = Finding.Code(rawValue: "hierarchyNumbering")
    /// HL02 naming no earlier HL.
    public static let hierarchyParent = Finding.Code(rawValue: "hierarchyParent")
    /// HL03 at a level the hierarchy does not allow under its parent.
    public static let hierarchyLevel = Finding.Code(rawValue: "hierarchyLevel")
    /// HL04 disagreeing with whether children follow.
    public static let hierarchyChildCode = Finding.Code(rawValue: "hierarchyChildCode")
    /// An HL more levels below its top-level ancestor than ``ValidationConfiguration/maximumHierarchyDepth``.
    public static let hierarchyDepth = Finding.Code(rawValue: "hierarchyDepth")
    /// A transaction for which no grammar is known (997 AK502 1: transaction set not supported).
    public static let transactionNotSupported = Finding.Code(rawValue: "transactionNotSupported")
    /// Findings stopped at the transaction's cap; the rest were not reported.
    public static let findingLimitReached = Finding.Code(rawValue: "findingLimitReached")

    /// Every code validation reports, for tests that must cover each one.
    public static let validationCodes: [Finding.Code] = [
        .segmentNotInTransaction, .segmentOutOfSequence, .mandatorySegmentMissing, .segmentRepeatExceeded,
        .loopRepeatExceeded, .mandatoryElementMissing, .conditionalElementMissing, .tooManyElements, .elementTooShort,
        .elementTooLong, .invalidCharacter, .invalidCodeValue, .invalidDate, .invalidTime, .exclusionViolated,
        .tooManyRepetitions, .tooManyComponents, .totalMismatch, .hierarchyNumbering, .hierarchyParent,
        .hierarchyLevel, .hierarchyChildCode, .hierarchyDepth, .transactionNotSupported, .findingLimitReached,
    ]
}

/// Factories for validation findings, one per code, kept together so messages stay uniform. Messages name tags,
/// positions, lengths, codes allowed and counts, never an element's value.
enum ValidationFindings {
    @inline(never)
    static func segmentNotInTransaction(_ tag: String, document: String, at location: Location, loops: [String])
        -> Finding
    {
        Finding(
            code: .segmentNotInTransaction,
            location: location,
            message: "expected a segment of \(document), found \(Quote.name(tag, maximumLength: 3))",
            loopPath: loops
        )
    }

    @inline(never)
    static func segmentOutOfSequence(_ tag: String, at location: Location, loops: [String]) -> Finding {
        Finding(
            code: .segmentOutOfSequence,
            location: location,
            message:
                "expected a segment that may follow here, found \(Quote.name(tag, maximumLength: 3)) out of sequence",
            loopPath: loops
        )
    }

    @inline(never)
    static func mandatorySegmentMissing(
        _ tag: String,
        loop: String?,
        before found: String?,
        at location: Location,
        loops: [String]
    ) -> Finding {
        let what = loop.map { "mandatory loop \($0) (segment \(tag))" } ?? "mandatory segment \(tag)"
        return Finding(
            code: .mandatorySegmentMissing,
            location: location,
            message: "expected \(what), found "
                + (found.map { Quote.name($0, maximumLength: 3) } ?? "the end of the transaction"),
            loopPath: loops
        )
    }

    @inline(never)
    static func segmentRepeatExceeded(_ tag: String, maximum: Int, at location: Location, loops: [String]) -> Finding {
        Finding(
            code: .segmentRepeatExceeded,
            location: location,
            message: "expected \(tag) at most \(maximum) times here, found more",
            loopPath: loops
        )
    }

    @inline(never)
    static func loopRepeatExceeded(_ loop: String, maximum: Int, at location: Location, loops: [String]) -> Finding {
        Finding(
            code: .loopRepeatExceeded,
            location: location,
            message: "expected loop \(loop) at most \(maximum) times, found more",
            loopPath: loops
        )
    }

    @inline(never)
    static func mandatoryElementMissing(at location: Location, loops: [String], reference: String) -> Finding {
        Finding(
            code: .mandatoryElementMissing,
            location: location,
            message: "expected mandatory \(location.reference ?? "element") (\(reference)), found none",
            loopPath: loops,
            elementReference: reference
        )
    }

    @inline(never)
    static func conditionalElementMissing(
        note: String,
        at location: Location,
        loops: [String],
        reference: String,
        trigger: Location?
    ) -> Finding {
        Finding(
            code: .conditionalElementMissing,
            location: location,
            message: "expected \(location.reference ?? "element") as syntax note \(note) requires, found none",
            loopPath: loops,
            elementReference: reference,
            trigger: trigger
        )
    }

    @inline(never)
    static func exclusionViolated(
        note: String,
        at location: Location,
        loops: [String],
        reference: String,
        trigger: Location?
    ) -> Finding {
        Finding(
            code: .exclusionViolated,
            location: location,
            message: "expected no \(location.reference ?? "element") as syntax note \(note) excludes it, found one",
            loopPath: loops,
            elementReference: reference,
            trigger: trigger
        )
    }

    @inline(never)
    static func tooManyElements(_ tag: String, defined: Int, found: Int, at location: Location, loops: [String])
        -> Finding
    {
        Finding(
            code: .tooManyElements,
            location: location,
            message: "expected at most \(defined) elements in \(Quote.name(tag, maximumLength: 3)), found \(found)",
            loopPath: loops
        )
    }

    @inline(never)
    static func length(
        _ code: Finding.Code,
        minimum: Int,
        maximum: Int,
        found: Int,
        at location: Location,
        loops: [String],
        reference: String
    ) -> Finding {
        let expected = minimum == maximum ? "exactly \(minimum)" : "\(minimum) to \(maximum)"
        return Finding(
            code: code,
            location: location,
            message: "expected a length of \(expected), found \(found)",
            loopPath: loops,
            elementReference: reference
        )
    }

    @inline(never)
    static func invalidCharacter(type: String, at location: Location, loops: [String], reference: String) -> Finding {
        Finding(
            code: .invalidCharacter,
            location: location,
            message: "expected \(type), found other characters",
            loopPath: loops,
            elementReference: reference
        )
    }

    @inline(never)
    static func invalidCodeValue(
        allowed: Set<String>,
        length: Int,
        at location: Location,
        loops: [String],
        reference: String
    ) -> Finding {
        // Code lists are the guide's, not the partner's data, so a few may be named.
        let sorted = allowed.sorted()
        let list = sorted.prefix(6).joined(separator: ", ") + (sorted.count > 6 ? ", …" : "")
        return Finding(
            code: .invalidCodeValue,
            location: location,
            message: "expected one of \(list), found a value of length \(length) outside the code list",
            loopPath: loops,
            elementReference: reference
        )
    }

    @inline(never)
    static func invalidDate(at location: Location, loops: [String], reference: String) -> Finding {
        Finding(
            code: .invalidDate,
            location: location,
            message: "expected a date CCYYMMDD or YYMMDD, found an invalid date",
            loopPath: loops,
            elementReference: reference
        )
    }

    @inline(never)
    static func invalidTime(at location: Location, loops: [String], reference: String) -> Finding {
        Finding(
            code: .invalidTime,
            location: location,
            message: "expected a time HHMM, HHMMSS or HHMMSSd..d, found an invalid time",
            loopPath: loops,
            elementReference: reference
        )
    }

    @inline(never)
    static func tooManyRepetitions(maximum: Int, found: Int, at location: Location, loops: [String], reference: String)
        -> Finding
    {
        Finding(
            code: .tooManyRepetitions,
            location: location,
            message: "expected at most \(maximum) repetitions, found \(found)",
            loopPath: loops,
            elementReference: reference
        )
    }

    @inline(never)
    static func tooManyComponents(maximum: Int, found: Int, at location: Location, loops: [String], reference: String)
        -> Finding
    {
        Finding(
            code: .tooManyComponents,
            location: location,
            message: "expected at most \(maximum) components, found \(found)",
            loopPath: loops,
            elementReference: reference
        )
    }

    @inline(never)
    static func sumMismatch(summed: String, at location: Location, loops: [String], reference: String) -> Finding {
        Finding(
            code: .totalMismatch,
            location: location,
            message:
                "expected \(location.reference ?? "the total") to equal the sum of \(summed), found a different amount",
            loopPath: loops,
            elementReference: reference
        )
    }

    @inline(never)
    static func totalMismatch(
        counted tag: String,
        expected: Int,
        at location: Location,
        loops: [String],
        reference: String
    ) -> Finding {
        Finding(
            code: .totalMismatch,
            location: location,
            message:
                "expected \(location.reference ?? "the total") to count \(expected) \(tag) segments, found a different number",
            loopPath: loops,
            elementReference: reference
        )
    }

    @inline(never)
    static func hierarchy(
        _ code: Finding.Code,
        _ message: String,
        at location: Location,
        loops: [String],
        reference: String
    ) -> Finding {
        Finding(code: code, location: location, message: message, loopPath: loops, elementReference: reference)
    }

    @inline(never)
    static func transactionNotSupported(_ type: String, at location: Location) -> Finding {
        Finding(
            code: .transactionNotSupported,
            location: location,
            message:
                "expected a transaction with a known grammar, found "
                + (type.isEmpty ? "one without a type" : Quote.name(type) + " without one")
        )
    }

    @inline(never)
    static func findingLimitReached(_ limit: Int, at location: Location) -> Finding {
        Finding(
            code: .findingLimitReached,
            location: location,
            message: "expected at most \(limit) findings in a transaction, found more; the rest are not reported"
        )
    }
}

/// One step of reading, in input order.
public enum ReadEvent: Sendable {
    /// An interchange begins (ISA, UNB, or the first UNH of messages sent without UNB).
    ///
    /// Boxed, as ``finding(_:)`` is: both are large and rare, and unboxed they would make every event as large.
    indirect case interchangeStart(InterchangeHeader)
    /// A segment at interchange level that is neither group nor transaction (TA1, or a stray one).
    case segment(Segment)
    /// A functional group begins (GS, UNG).
    case groupStart(Segment)
    /// A complete transaction (ST…SE, UNH…UNT), or one cut short by the next envelope.
    case transaction(Transaction)
    /// A functional group ends, with its trailer when it has one.
    case groupEnd(Segment?)
    /// An interchange ends, with its trailer when it has one.
    case interchangeEnd(Segment?)
    /// A problem found in readable input.
    indirect case finding(Finding)
}

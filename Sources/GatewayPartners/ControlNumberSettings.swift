/// The envelope levels that carry control numbers.
public enum ControlNumberLevel: String, Sendable, Hashable, CaseIterable {
    /// The interchange (X12 ISA13/IEA02, EDIFACT UNB 0020/UNZ 0020).
    case interchange
    /// The functional group (X12 GS06/GE02, EDIFACT UNG 0048/UNE 0048).
    case group
    /// The transaction (X12 ST02/SE02, EDIFACT UNH 0062/UNT 0062).
    case transaction
}

/// How a partner's outbound control numbers start and how wide they are written. The numbers themselves come from
/// a ``ControlNumberSource``, gapless per partner and level.
///
/// ```yaml
/// controlNumbers:
///   interchange: { start: 1, width: 9 }
///   transaction: { start: 1001, width: 4 }
/// ```
public struct ControlNumberSettings: Sendable, Hashable {
    /// Interchange control numbers; by default from 1, 9 digits (ISA13 is exactly 9).
    public let interchange: ControlNumberFormat
    /// Group control numbers; by default from 1, 9 digits.
    public let group: ControlNumberFormat
    /// Transaction control numbers; by default from 1, 4 digits (ST02 is 4 to 9).
    public let transaction: ControlNumberFormat

    /// Creates settings.
    public init(
        interchange: ControlNumberFormat = ControlNumberFormat(start: 1, width: 9),
        group: ControlNumberFormat = ControlNumberFormat(start: 1, width: 9),
        transaction: ControlNumberFormat = ControlNumberFormat(start: 1, width: 4)
    ) {
        self.interchange = interchange
        self.group = group
        self.transaction = transaction
    }

    /// The format of one level.
    public subscript(level: ControlNumberLevel) -> ControlNumberFormat {
        switch level {
        case .interchange: self.interchange
        case .group: self.group
        case .transaction: self.transaction
        }
    }
}

/// The first control number of a level and the number of digits it is written with (zero-padded).
public struct ControlNumberFormat: Sendable, Hashable {
    /// The first number issued, 1 or more, at most ``maximum``.
    public let start: Int
    /// Digits written, 1 to 14 (EDIFACT 0020 is up to 14 characters).
    public let width: Int

    /// Creates a format.
    public init(start: Int, width: Int) {
        self.start = start
        self.width = width
    }

    /// The largest number that fits the width; the next number after it is 1.
    public var maximum: Int {
        var maximum = 1
        for _ in 0..<self.width { maximum *= 10 }
        return maximum - 1
    }

    /// `number` zero-padded to the width: `000000042`.
    public func text(_ number: Int) -> String {
        let digits = String(number)
        return digits.count >= self.width ? digits : String(repeating: "0", count: self.width - digits.count) + digits
    }
}

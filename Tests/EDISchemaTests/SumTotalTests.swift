import EDICore
import EDISchema
import EDITesting
import Foundation
import Testing

/// Sum totals: INVOIC's MOA+79 (total line items amount) against the exact sum of its MOA+203 line amounts.
@Suite("Sum totals")
struct SumTotalTests {
    static let catalog = GrammarCatalog(directory: PublishedGrammarTests.grammars)

    /// An INVOIC D96A with two lines of `first` and `second` and a total of `total`, with `mark` as decimal mark.
    static func invoice(_ first: String, _ second: String, total: String, mark: String = ".") -> [UInt8] {
        EDIFACT.interchange(
            [
                "BGM+380+INV1+9", "DTM+137:20261123:102",
                "LIN+1++4000000000001:EN", "QTY+47:2", "MOA+203:\(first)",
                "LIN+2++4000000000002:EN", "QTY+47:1", "MOA+203:\(second)",
                "UNS+S", "CNT+2:2", "MOA+79:\(total)",
            ],
            message: "INVOIC:D:96A:UN",
            serviceStringAdvice: "UNA:+\(mark)? '"
        )
    }

    static func findings(_ bytes: [UInt8]) throws -> [Finding] {
        var validation = InterchangeValidation(catalog: Self.catalog)
        let reports = try validation.reports(bytes)
        return reports.flatMap(\.groups).flatMap(\.transactions).flatMap(\.findings)
    }

    @Test func matchingSumIsClean() throws {
        #expect(try Self.findings(Self.invoice("10.50", "4.25", total: "14.75")) == [])
        // Equal at different scales, negative amounts, and a comma as decimal mark.
        #expect(try Self.findings(Self.invoice("10.5", "-0.25", total: "10.250")) == [])
        #expect(try Self.findings(Self.invoice("10,50", "4,25", total: "14,75", mark: ",")) == [])
    }

    @Test func wrongSumIsReportedAtTheTotalWithoutAmounts() throws {
        let findings = try Self.findings(Self.invoice("10.50", "4.25", total: "14.70"))
        #expect(findings.map(\.code) == [.totalMismatch])
        let finding = try #require(findings.first)
        // UNH = 1: the MOA+79 is the 12th segment of the message.
        #expect(finding.location.transactionSegmentNumber == 12)
        #expect(finding.location.reference == "MOA01-2")
        #expect(finding.elementReference == "5004")
        #expect(!finding.message.contains("14.70") && !finding.message.contains("14.75"))
        #expect(finding.description.contains("sum of MOA01-2 of MOA segments whose MOA01-1 is 203"))
    }

    @Test func documentWithoutSummedValuesIsNotChecked() throws {
        // Line amounts given as MOA+66 instead: the MOA+203 rule has nothing to add up.
        let bytes = EDIFACT.interchange(
            [
                "BGM+380+INV1+9", "DTM+137:20261123:102", "LIN+1++4000000000001:EN", "MOA+66:10.50", "UNS+S",
                "MOA+79:99.00",
            ],
            message: "INVOIC:D:96A:UN"
        )
        #expect(try Self.findings(bytes) == [])
    }

    /// A summary section repeated (a broken or hostile message): each total is checked against the one sum of all
    /// line amounts, and only the wrong one is reported.
    @Test func everyTotalAgainstTheOneSum() throws {
        let bytes = EDIFACT.interchange(
            [
                "BGM+380+INV1+9", "DTM+137:20261123:102",
                "LIN+1++4000000000001:EN", "QTY+47:2", "MOA+203:10.50", "UNS+S", "MOA+79:14.75",
                "LIN+2++4000000000002:EN", "QTY+47:1", "MOA+203:4.25", "UNS+S", "MOA+79:10.50",
            ],
            message: "INVOIC:D:96A:UN"
        )
        let totals = try Self.findings(bytes).filter { $0.code == .totalMismatch }
        #expect(totals.map(\.location.transactionSegmentNumber) == [13])
    }
}

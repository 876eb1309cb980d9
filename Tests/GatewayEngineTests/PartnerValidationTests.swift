import EDICore
import EDISchema
import Foundation
import GatewayEngine
import GatewayPartners
import Testing

/// A partner's profile applied to validation: rules off or lenient, its HL hierarchy, and acknowledgments that
/// accept what its rules let pass.
@Suite("Partner validation")
struct PartnerValidationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The test partner's profile, shared with gatewayTests' PartnerCommandTests.
    static var profileText: String {
        get throws {
            try String(
                contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                    .appendingPathComponent("Fixtures/harborview.yaml"),
                encoding: .utf8
            )
        }
    }

    static func partner() throws -> PartnerValidation {
        let set = PartnerProfileLoader.parse(try Self.profileText, source: "harborview.yaml")
        #expect(set.errors.isEmpty, "\(set.errors)")
        return try PartnerValidation(profile: try #require(set["harborview"]))
    }

    /// The sample 856 with `edits` applied, validated with the standard grammars and with the partner's profile.
    static func reports(_ edits: [(String, String)]) throws -> (standard: InterchangeReport, partner: InterchangeReport)
    {
        var text = String(
            decoding: try Data(contentsOf: Self.root.appendingPathComponent("Samples/x12/004010/856-ship-notice.edi")),
            as: UTF8.self
        )
        for (old, new) in edits {
            #expect(text.contains(old))
            text = text.replacing(old, with: new)
        }
        let catalog = GrammarCatalog(directory: Self.root.appendingPathComponent("Maps/Grammars").path)
        var standard = InterchangeValidation(catalog: catalog)
        let partner = try Self.partner()
        var validation = partner.interchangeValidation(catalog: catalog)
        return (
            try #require(try standard.reports(Array(text.utf8)).first),
            partner.apply(try #require(try validation.reports(Array(text.utf8)).first))
        )
    }

    static func codes(_ report: InterchangeReport) -> [String] {
        report.allFindings.map { "\($0.severity.rawValue) \($0.code.rawValue)" }
    }

    @Test func rulesOffAndLenient() throws {
        // BSN03 not a date (off for this partner), PRF01 longer than 22 (lenient: a warning).
        let (standard, partner) = try Self.reports([
            ("BSN*00*HVG0304001*20260304*", "BSN*00*HVG0304001*20261340*"),
            ("PRF*4500018822***", "PRF*45000188224500018822450***"),
        ])
        #expect(Self.codes(standard).sorted() == ["error elementTooLong", "error invalidDate"])
        #expect(Self.codes(partner) == ["warning elementTooLong"])
        // The 997 accepts the transaction the partner's rules let pass (with errors noted, AK5 E), not rejects it.
        var writer = AcknowledgmentWriter(
            options: AcknowledgmentOptions(
                controlNumbers: ControlNumbers(interchange: 1, group: 1, transaction: 1),
                date: "20261124",
                time: "1200"
            )
        )
        let ack = String(decoding: try writer.write(.functional997, for: partner), as: UTF8.self)
        #expect(!ack.contains("AK5*R"))
        #expect(ack.contains("AK9*A*1*1*1") || ack.contains("AK9*E*1*1*1"))
        let rejected = String(decoding: try writer.write(.functional997, for: standard), as: UTF8.self)
        #expect(rejected.contains("AK5*R"))
    }

    /// An agreement's own grammar replaces the standard one for its document and version: this partner's 856
    /// guide allows shipment identifications of at most 8 characters.
    @Test func theGrammarOfThePartnersAgreement() throws {
        let standard = Self.root.appendingPathComponent("Maps/Grammars/X12/004010/856.grammar")
        let guide = FileManager.default.temporaryDirectory.appendingPathComponent("edigate-guide-\(UUID()).grammar")
        defer { try? FileManager.default.removeItem(at: guide) }
        let text = try String(contentsOf: standard, encoding: .utf8)
        #expect(text.contains("  02 396   AN 2/30"))
        try text.replacing("  02 396   AN 2/30", with: "  02 396   AN 2/8 ").write(
            to: guide,
            atomically: true,
            encoding: .utf8
        )
        let profile = try Self.profileText.replacing(
            "version: \"004010\"\n",
            with: "version: \"004010\"\n      grammar: \(guide.path)\n"
        )
        let set = PartnerProfileLoader.parse(profile, source: "harborview.yaml")
        let partner = try PartnerValidation(profile: try #require(set["harborview"]))
        #expect(partner.guides.count == 1)
        let bytes = try Data(contentsOf: Self.root.appendingPathComponent("Samples/x12/004010/856-ship-notice.edi"))
        var validation = partner.interchangeValidation(
            catalog: GrammarCatalog(directory: Self.root.appendingPathComponent("Maps/Grammars").path)
        )
        let report = try #require(try validation.reports(Array(bytes)).first)
        #expect(Self.codes(report) == ["error elementTooLong"])
        #expect(report.allFindings.first?.location.reference == "BSN02")
    }

    /// A rule set off is not counted toward the finding cap: its findings cannot crowd out the ones that matter.
    @Test func rulesOffDoNotCountTowardTheCap() throws {
        let text = try Self.profileText.replacing(
            "validation:\n",
            with: "validation:\n  limits:\n    maximumFindingsPerTransaction: 1\n"
        ).replacing("invalidDate: off", with: "elementTooLong: off")
        let set = PartnerProfileLoader.parse(
            text.replacing("    elementTooLong: lenient\n", with: ""),
            source: "h.yaml"
        )
        #expect(set.errors.isEmpty, "\(set.errors)")
        let partner = try PartnerValidation(profile: try #require(set["harborview"]))
        var sample = String(
            decoding: try Data(contentsOf: Self.root.appendingPathComponent("Samples/x12/004010/856-ship-notice.edi")),
            as: UTF8.self
        )
        // Two PRF01 too long (off), then a bad PRF04 date (strict), all in the transaction's one cap of 1.
        sample = sample.replacing("PRF*4500018822***", with: "PRF*45000188224500018822450***")
            .replacing("PRF*4500018907***20260225", with: "PRF*45000189074500018907450***20261399")
        var validation = partner.interchangeValidation(
            catalog: GrammarCatalog(directory: Self.root.appendingPathComponent("Maps/Grammars").path)
        )
        let report = partner.apply(try #require(try validation.reports(Array(sample.utf8)).first))
        #expect(Self.codes(report) == ["error invalidDate"])
    }

    @Test func theHierarchyOfThePartnersAgreement() throws {
        // An item directly under its order (S-O-I): the standard grammar allows it, this partner's S-O-P-I does not.
        let (standard, partner) = try Self.reports([("HL*7*6*I*0~", "HL*7*2*I*0~"), ("HL*6*2*P*1~", "HL*6*2*P*0~")])
        #expect(Self.codes(standard).isEmpty)
        #expect(Self.codes(partner) == ["error hierarchyLevel"])
    }
}

/// A profile can name every finding code the reader and validation report.
@Test func profilesCanNameEveryFindingCode() {
    let codes = Set(Finding.Code.readerCodes.map(\.rawValue)).union(Finding.Code.validationCodes.map(\.rawValue))
    #expect(codes.subtracting(ValidationPolicy.findingCodes).sorted() == [])
    #expect(Set(ValidationPolicy.findingCodes).subtracting(codes).sorted() == [])
}

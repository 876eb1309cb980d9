import Foundation
import Testing

/// `validate` and `ack` with `--partner`: the profile's strictness and HL hierarchy apply.
struct PartnerCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The test partner of GatewayEngineTests (its 856 agreement allows only S-O-P-I, over-long elements are
    /// warnings, dates are not checked).
    static var profile: String {
        get throws {
            try String(
                contentsOfFile: Self.root + "/Tests/GatewayEngineTests/Fixtures/harborview.yaml",
                encoding: .utf8
            )
        }
    }

    @Test func validateAndAckWithThePartnersRules() throws {
        let sample = try String(contentsOfFile: Self.root + "/Samples/x12/004010/856-ship-notice.edi", encoding: .utf8)
        // BSN03 not a date (off), PRF01 too long (lenient).
        let lenient = sample.replacing("BSN*00*HVG0304001*20260304*", with: "BSN*00*HVG0304001*20261340*")
            .replacing("PRF*4500018822***", with: "PRF*45000188224500018822450***")
        // An item under its order: S-O-I, which this partner's S-O-P-I does not allow.
        let flat = sample.replacing("HL*7*6*I*0~", with: "HL*7*2*I*0~").replacing("HL*6*2*P*1~", with: "HL*6*2*P*0~")
        let folder = try CommandTests.folder([
            ("harborview.yaml", Array(try Self.profile.utf8)), ("lenient.edi", Array(lenient.utf8)),
            ("flat.edi", Array(flat.utf8)),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let grammars = Self.root + "/Maps/Grammars"
        let partner = ["--partner", "harborview", "--profiles", folder.path, "--grammars", grammars]
        let lenientPath = folder.appendingPathComponent("lenient.edi").path
        let flatPath = folder.appendingPathComponent("flat.edi").path

        let standard = CommandTests.run(["validate", lenientPath, "--grammars", grammars])
        #expect(standard.status == 2)
        #expect(standard.output.contains("error: expected a date"))
        let withPartner = CommandTests.run(["validate", lenientPath] + partner)
        #expect(withPartner.status == 0, "\(withPartner.output)")
        #expect(withPartner.output.contains("warning: expected a length of 1 to 22"))
        #expect(!withPartner.output.contains("expected a date"))

        #expect(CommandTests.run(["validate", flatPath, "--grammars", grammars]).status == 0)
        let hierarchy = CommandTests.run(["validate", flatPath] + partner)
        #expect(hierarchy.status == 2)
        #expect(hierarchy.output.contains("HL03"))

        let ack = CommandTests.run(["ack", lenientPath, "--type", "997"] + partner)
        #expect(ack.status == 0)
        #expect(!ack.output.contains("AK5*R"))
        #expect(
            CommandTests.run(["ack", lenientPath, "--type", "997", "--grammars", grammars]).output.contains("AK5*R")
        )
        // The profile's file size limit: a located error, nothing read past it.
        let small = try Self.profile.replacing("id: harborview", with: "id: small").replacing(
            "validation:\n",
            with: "validation:\n  limits:\n    maximumFileSize: 1KiB\n"
        )
        try Data(small.utf8).write(to: folder.appendingPathComponent("small.yaml"))
        let limited = CommandTests.run(
            ["validate", lenientPath, "--partner", "small", "--profiles", folder.path, "--grammars", grammars]
        )
        #expect(limited.status == 2, "\(limited.output)\(limited.errors)")
        #expect(limited.output.contains("expected at most 1024 bytes of input"))
        let unknown = CommandTests.run(["validate", lenientPath, "--partner", "nobody", "--profiles", folder.path])
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("no partner profile 'nobody'"))
    }
}

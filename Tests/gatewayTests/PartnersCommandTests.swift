import Foundation
import Testing

@testable import gateway

/// `edigate partners check` and `edigate partners show`, run in process on temporary profile folders.
struct PartnersCommandTests {
    static let sound = """
        id: good-partner
        identity:
          x12: { qualifier: ZZ, id: GOODPARTNER }
        ourIdentities:
          receiver:
            - x12: { qualifier: ZZ, id: EDIGATE }
          sender:
            - x12: { qualifier: ZZ, id: EDIGATE }
        documents:
          inbound:
            - { type: "214", standard: X12, version: "004010" }
        endpoints:
          sftp:
            host: sftp.good-partner.example
            username: edigate
            inbox: /out
            hostKeyFingerprint: SHA256:p9Xq2wzVb7Lk4mN0aR1sT3uV5xY6zA8bC9dE0fG1hIj
            password: env:GOOD_PARTNER_SFTP_PASSWORD

        """

    /// A profile whose document lacks its version, and whose acknowledgment policy has a bad value.
    static let bad = """
        id: bad-partner
        identity:
          x12: { qualifier: ZZ, id: BADPARTNER }
        ourIdentities:
          receiver:
            - x12: { qualifier: ZZ, id: EDIGATE }
          sender:
            - x12: { qualifier: ZZ, id: EDIGATE }
        documents:
          inbound:
            - { type: "214", standard: X12 }
        acknowledgments:
          ta1: sometimes

        """

    @Test
    func checkReportsEachProblemOfTheBadProfileAndExitsTwo() throws {
        let folder = try CommandTests.folder([
            ("bad-partner.yaml", Array(Self.bad.utf8)), ("good-partner.yaml", Array(Self.sound.utf8)),
            ("notes.md", Array("not a profile".utf8)),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = CommandTests.run(["partners", "check", "--directory", folder.path])
        #expect(result.status == 2)
        let bad = folder.appendingPathComponent("bad-partner.yaml").path
        #expect(
            result.output.split(separator: "\n") == [
                "\(bad):11:7: expected key 'version' in documents.inbound[1], found none",
                "\(bad):13:8: expected 'never', 'on-request' or 'always', found 'sometimes'",
                "failed: 2 errors in 1 file, 1 profile ok",
            ]
        )
        #expect(result.errors.isEmpty)
    }

    @Test
    func checkOfSoundProfilesExitsZero() throws {
        let folder = try CommandTests.folder([("good-partner.yaml", Array(Self.sound.utf8))])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = CommandTests.run(["partners", "check", "--directory", folder.path])
        #expect(result.status == 0)
        #expect(result.output == "1 profile ok\n")
    }

    @Test
    func checkOfAMissingFolderExitsOne() {
        let result = CommandTests.run(["partners", "check", "--directory", "/nonexistent/edigate-profiles"])
        #expect(result.status == 1)
        #expect(
            result.errors == "edigate: cannot read /nonexistent/edigate-profiles: not a folder that can be listed\n"
        )
    }

    @Test
    func showPrintsTheProfileWithDefaultsAndSecretsAsReferences() throws {
        let folder = try CommandTests.folder([("good-partner.yaml", Array(Self.sound.utf8))])
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = CommandTests.run(["partners", "show", "good-partner", "--directory", folder.path])
        #expect(yaml.status == 0)
        #expect(yaml.output.hasPrefix("# good-partner from \(folder.path)/good-partner.yaml"))
        #expect(yaml.output.contains("  ta1: on-request\n"))
        #expect(yaml.output.contains("    pollInterval: 5m\n"))
        #expect(yaml.output.contains("    password: env:GOOD_PARTNER_SFTP_PASSWORD\n"))
        let json = CommandTests.run(["partners", "show", "good-partner", "--json", "--directory", folder.path])
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["id"] as? String == "good-partner")
        let sftp = try #require((object["endpoints"] as? [String: Any])?["sftp"] as? [String: Any])
        #expect(sftp["port"] as? Int == 22)
        #expect(sftp["password"] as? String == "env:GOOD_PARTNER_SFTP_PASSWORD")
    }

    @Test
    func showOfAnUnknownPartnerExitsOne() throws {
        let folder = try CommandTests.folder([("good-partner.yaml", Array(Self.sound.utf8))])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = CommandTests.run(["partners", "show", "nobody", "--directory", folder.path])
        #expect(result.status == 1)
        #expect(result.errors == "edigate: no partner 'nobody' in \(folder.path) (known: good-partner)\n")
    }

    @Test
    func showOfAPartnerWithProblemsPrintsThemAndExitsTwo() throws {
        let folder = try CommandTests.folder([("bad-partner.yaml", Array(Self.bad.utf8))])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = CommandTests.run(["partners", "show", "bad-partner", "--directory", folder.path])
        #expect(result.status == 2)
        #expect(result.output.split(separator: "\n").count == 2)
        #expect(result.errors.contains("no sound profile 'bad-partner'"))
    }
}

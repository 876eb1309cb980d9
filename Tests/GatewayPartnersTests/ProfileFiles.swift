import Foundation

/// Paths of the example profiles and the fixtures, found from this file.
enum ProfileFiles {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = Self.testsFolder.appendingPathComponent("Fixtures")
    static let examples = Self.testsFolder.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("PartnerProfiles")
    static let schema = Self.examples.appendingPathComponent("partner-profile.schema.json").path
    static let examplesPath = Self.examples.path

    static func fixture(_ name: String) -> String {
        Self.fixtures.appendingPathComponent(name).path
    }

    static func example(_ id: String) -> String {
        Self.examples.appendingPathComponent(id + ".yaml").path
    }

    /// A profile sound in every way, 11 lines long: cases append a section from line 12 on.
    static let base = """
        id: test-partner
        identity:
          x12: { qualifier: ZZ, id: TESTPARTNER }
        ourIdentities:
          receiver:
            - x12: { qualifier: ZZ, id: EDIGATE }
          sender:
            - x12: { qualifier: ZZ, id: EDIGATE }
        documents:
          outbound:
            - { type: "856", standard: X12, version: "004010" }

        """

    /// An SFTP endpoint section (lines 12 to 18 after ``base``) with `credential` as its last line.
    static func sftp(_ credential: String) -> String {
        """
        endpoints:
          sftp:
            host: sftp.partner.example
            username: edigate
            inbox: /out
            hostKeyFingerprint: SHA256:p9Xq2wzVb7Lk4mN0aR1sT3uV5xY6zA8bC9dE0fG1hIj
        \(credential)

        """
    }
}

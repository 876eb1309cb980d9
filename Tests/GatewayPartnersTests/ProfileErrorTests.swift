import GatewayPartners
import Testing

/// Every kind of problem is reported with its code, line and column, all problems of a file at once.
@Suite("Profile errors")
struct ProfileErrorTests {
    struct Expected: CustomStringConvertible, Sendable {
        let code: ProfileError.Code
        let line: Int
        let column: Int

        init(_ code: ProfileError.Code, _ line: Int, _ column: Int) {
            self.code = code
            self.line = line
            self.column = column
        }

        var description: String { "\(self.code) at \(self.line):\(self.column)" }
    }

    /// What `==` on errors compares: the code and the location.
    struct Pin: Equatable, CustomStringConvertible {
        let code: ProfileError.Code
        let location: ProfileError.Location

        init(_ error: ProfileError) {
            self.code = error.code
            self.location = error.location
        }

        init(_ code: ProfileError.Code, _ file: String, _ line: Int, _ column: Int) {
            self.code = code
            self.location = ProfileError.Location(file: file, line: line, column: column)
        }

        var description: String { "\(self.code) at \(self.location)" }
    }

    static func pins(_ errors: [ProfileError]) -> [Pin] { errors.map(Pin.init) }

    // MARK: One fixture per kind

    static let fixtures: [(file: String, expected: [Expected])] = [
        // documents.inbound[1] lacks `version`: reported where the mapping starts.
        ("invalid/missing-key.yaml", [Expected(.missingKey, 12, 7)]),
        // `version: 004010` is a number to YAML; `port: "22"` is text.
        ("invalid/wrong-type.yaml", [Expected(.wrongType, 14, 16), Expected(.wrongType, 18, 11)]),
        ("invalid/unknown-key.yaml", [Expected(.unknownKey, 4, 42)]),
        ("invalid/bad-enum-value.yaml", [Expected(.invalidValue, 14, 8)]),
        ("invalid/inline-secret.yaml", [Expected(.inlineSecret, 19, 15)]),
        ("invalid/bad-delimiter.yaml", [Expected(.invalidDelimiter, 17, 24)]),
        ("invalid/malformed-yaml.yaml", [Expected(.malformedYAML, 14, 6)]),
        (
            "invalid/many-problems.yaml",
            [
                Expected(.invalidValue, 2, 5),  // id 'Many_Problems'
                Expected(.missingKey, 3, 11),  // identity: {}
                Expected(.emptyList, 5, 13),  // receiver: []
                Expected(.invalidValue, 7, 25),  // qualifier Z
                Expected(.inconsistentValue, 10, 15),  // DESADV as X12
                Expected(.wrongType, 12, 15),  // functional: 997 unquoted
                Expected(.wrongType, 13, 11),  // contrl: maybe
                Expected(.unknownKey, 16, 5),  // finding code invalidCode
                Expected(.invalidValue, 17, 21),  // strictness sloppy
            ]
        ),
    ]

    @Test(arguments: Self.fixtures.indices)
    func fixtureReportsEachProblemAtItsPlace(index: Int) {
        let (file, expected) = Self.fixtures[index]
        let loaded = PartnerProfileLoader.load(path: ProfileFiles.fixture(file))
        #expect(loaded.profiles.isEmpty)
        let path = ProfileFiles.fixture(file)
        #expect(Self.pins(loaded.errors) == expected.map { Pin($0.code, path, $0.line, $0.column) })
    }

    @Test
    func aPartnerIDInTwoFilesIsReportedAtTheSecond() {
        let loaded = PartnerProfileLoader.load(directory: ProfileFiles.fixture("duplicate-id"))
        #expect(loaded.profiles.map(\.identity.x12?.id) == ["PARTNERA"])
        #expect(
            Self.pins(loaded.errors) == [Pin(.duplicatePartnerID, ProfileFiles.fixture("duplicate-id/b.yaml"), 1, 5)]
        )
    }

    @Test
    func aDirectoryReportsEveryFile() {
        let loaded = PartnerProfileLoader.load(directory: ProfileFiles.fixture("invalid"))
        #expect(loaded.profiles.isEmpty)
        #expect(loaded.errors.count == Self.fixtures.reduce(0) { $0 + $1.expected.count })
        #expect(Set(loaded.errors.map(\.location.file)).count == Self.fixtures.count)
    }

    // MARK: Inline cases for the other codes

    static let inline: [(name: String, yaml: String, expected: Expected)] = [
        ("duplicate key", "name: A\nname: B\n", Expected(.duplicateKey, 12, 1)),
        (
            "start wider than width", "controlNumbers:\n  transaction: { start: 10000, width: 4 }\n",
            Expected(.outOfRange, 13, 25)
        ),
        (
            "port out of range", ProfileFiles.sftp("    privateKey: file:/k\n    port: 70000"),
            Expected(.outOfRange, 19, 11)
        ),
        ("empty expectation list", "acknowledgments:\n  expect: []\n", Expected(.emptyList, 13, 11)),
        (
            "password and private key",
            ProfileFiles.sftp("    password: env:P\n    privateKey: file:/k"),
            Expected(.conflictingKeys, 19, 5)
        ),
        ("no credential", ProfileFiles.sftp(""), Expected(.missingKey, 14, 5)),
        (
            "acknowledgment for a document not sent",
            "acknowledgments:\n  expect:\n    - { document: \"810\", acknowledgment: \"997\", within: 24h }\n",
            Expected(.inconsistentValue, 14, 19)
        ),
        (
            "CONTRL for an X12 document",
            "acknowledgments:\n  expect:\n    - { document: \"856\", acknowledgment: CONTRL, within: 24h }\n",
            Expected(.inconsistentValue, 14, 42)
        ),
        (
            "a delimiter used twice",
            "outboundSyntax:\n  delimiters: { element: \"*\", component: \"*\", segmentTerminator: \"~\" }\n",
            Expected(.invalidDelimiter, 13, 42)
        ),
        (
            "a bare ~ is null, not a terminator",
            "outboundSyntax:\n  delimiters: { element: \"*\", component: \":\", segmentTerminator: ~ }\n",
            Expected(.invalidDelimiter, 13, 66)
        ),
        (
            "a reference with a bad variable name", ProfileFiles.sftp("    password: env:1PASS"),
            Expected(.invalidValue, 18, 15)
        ),
        ("a number as a password", ProfileFiles.sftp("    password: 123456"), Expected(.inlineSecret, 18, 15)),
        (
            "async MDN without a URL",
            """
            endpoints:
              as2:
                url: https://as2.partner.example/receive
                as2From: US
                as2To: THEM
                signing: sha256
                encryption: aes128-gcm
                mdn: async
                partnerCertificate: them.pem
                ourCertificate: us.pem
                privateKey: env:AS2_KEY

            """,
            Expected(.conflictingKeys, 19, 10)
        ),
    ]

    @Test(arguments: Self.inline.indices)
    func inlineCaseReportsItsProblem(index: Int) {
        let (name, yaml, expected) = Self.inline[index]
        let loaded = PartnerProfileLoader.parse(ProfileFiles.base + yaml, source: name)
        #expect(loaded.profiles.isEmpty)
        #expect(Self.pins(loaded.errors) == [Pin(expected.code, name, expected.line, expected.column)])
    }

    @Test
    func theRootMustBeAMapping() {
        #expect(Self.pins(PartnerProfileLoader.parse("- a\n- b\n", source: "p").errors) == [Pin(.wrongType, "p", 1, 1)])
        #expect(Self.pins(PartnerProfileLoader.parse("", source: "p").errors) == [Pin(.malformedYAML, "p", 1, 1)])
        #expect(
            PartnerProfileLoader.parse("id: a\n---\nid: b\n", source: "p").errors.map(\.code) == [.malformedYAML]
        )
    }

    @Test
    func anUnreadableFileOrFolderIsAnError() {
        let file = PartnerProfileLoader.load(path: "/nonexistent/edigate/partner.yaml")
        #expect(Self.pins(file.errors) == [Pin(.unreadableFile, "/nonexistent/edigate/partner.yaml", 1, 1)])
        let folder = PartnerProfileLoader.load(directory: "/nonexistent/edigate")
        #expect(folder.errors.map(\.code) == [.unreadableFile])
    }

    // MARK: Messages

    @Test
    func messagesSayWhatWasExpectedAndFound() {
        let messages = PartnerProfileLoader.load(directory: ProfileFiles.fixture("invalid")).errors.map(\.message)
        #expect(
            messages == [
                "expected one printable ASCII character other than a letter, digit or space in quotes as the "
                    + "segment terminator, found 3 characters 0x7E0D0A",
                "expected 'never', 'on-request' or 'always', found 'sometimes'",
                "expected a secret reference 'file:PATH' or 'env:NAME', found an inline value of 11 characters",
                "expected well-formed YAML, found a parser error: did not find expected '-' indicator",
                "expected a partner id of lowercase letters, digits and single '-', found 'Many_Problems'",
                "expected 'x12', 'edifact' or 'as2' in identity, found none of them",
                "expected at least one entry in ourIdentities.receiver, found an empty list",
                "expected an interchange ID qualifier of 2 uppercase letters or digits, found 'Z'",
                "expected a transaction set of 3 digits for X12, found 'DESADV'",
                "expected \"997\" in quotes, found the number 997",
                "expected true or false, found a string",
                "expected a finding code such as 'invalidCodeValue', found 'invalidCode'",
                "expected 'strict', 'lenient' or 'off', found 'sloppy'",
                "expected key 'version' in documents.inbound[1], found none",
                "expected a key of identity.x12 (qualifier, id, applicationCodes), found 'aplicationCodes'",
                "expected \"004010\" in quotes, found the number 004010",
                "expected an integer for a port, found a string",
            ]
        )
        let duplicate = PartnerProfileLoader.load(directory: ProfileFiles.fixture("duplicate-id")).errors
        #expect(
            duplicate.map(\.description) == [
                ProfileFiles.fixture("duplicate-id/b.yaml")
                    + ":1:5: expected partner id 'same-partner' in one profile only, found it again (first at "
                    + ProfileFiles.fixture("duplicate-id/a.yaml") + ":1:5)"
            ]
        )
        let inline = Self.inline.map { PartnerProfileLoader.parse(ProfileFiles.base + $0.yaml, source: $0.name) }
            .flatMap(\.errors).map(\.description)
        #expect(
            inline == [
                "duplicate key:12:1: expected each key once in a mapping, found 'name' more than once",
                "start wider than width:13:25: expected a start of at most 4 digits, found 10000",
                "port out of range:19:11: expected a port from 1 to 65535, found 70000",
                "empty expectation list:13:11: expected at least one entry in acknowledgments.expect, found an empty list",
                "password and private key:19:5: expected one of 'password' and 'privateKey', found both",
                "no credential:14:5: expected 'password' or 'privateKey' in endpoints.sftp, found none of them",
                "acknowledgment for a document not sent:14:19: expected an outbound document type ('856'), found '810'",
                "CONTRL for an X12 document:14:42: expected 'TA1', '997' or '999' for an X12 document, found 'CONTRL'",
                "a delimiter used twice:13:42: expected a character no other delimiter uses as the component "
                    + "separator, found '*', the element separator too",
                "a bare ~ is null, not a terminator:13:66: expected one printable ASCII character other than a letter, "
                    + "digit or space in quotes as the segment terminator, found no value",
                "a reference with a bad variable name:18:15: expected a secret reference 'file:PATH' or 'env:NAME', "
                    + "found 'env:1PASS'",
                "a number as a password:18:15: expected a secret reference 'file:PATH' or 'env:NAME', found an "
                    + "inline value of 6 characters",
                "async MDN without a URL:19:10: expected 'asyncMDNURL' with mdn 'async', found no 'asyncMDNURL' in "
                    + "endpoints.as2",
            ]
        )
    }

    @Test
    func noMessageHoldsTheSecret() {
        let loaded = PartnerProfileLoader.load(path: ProfileFiles.fixture("invalid/inline-secret.yaml"))
        #expect(loaded.errors.count == 1)
        #expect(loaded.errors.allSatisfy { !$0.description.contains("Tr0ub4dor") })
        let number = PartnerProfileLoader.parse(
            ProfileFiles.base + ProfileFiles.sftp("    password: 123456"),
            source: "p"
        )
        #expect(number.errors.allSatisfy { !$0.description.contains("123456") })
    }

    @Test
    func equalityComparesCodeAndLocationOnly() throws {
        // Two inline secrets at the same place, described differently: equal. Another place: not.
        let long = PartnerProfileLoader.parse(
            ProfileFiles.base + ProfileFiles.sftp("    password: hunter2"),
            source: "p"
        )
        let short = PartnerProfileLoader.parse(ProfileFiles.base + ProfileFiles.sftp("    password: 1234"), source: "p")
        let moved = PartnerProfileLoader.parse(
            ProfileFiles.base + ProfileFiles.sftp("    password:  1234"),
            source: "p"
        )
        let first = try #require(long.errors.first)
        #expect(first.message != short.errors.first?.message)
        #expect(long.errors == short.errors)
        #expect(long.errors != moved.errors)
        #expect(Set(long.errors + short.errors).count == 1)
    }
}

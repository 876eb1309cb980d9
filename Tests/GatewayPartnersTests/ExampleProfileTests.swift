import Foundation
import GatewayPartners
import Testing

/// The example partners in PartnerProfiles/ load without a problem and say what their comments say.
@Suite("Example profiles")
struct ExampleProfileTests {
    static let loaded = PartnerProfileLoader.load(directory: ProfileFiles.examplesPath)

    @Test
    func everyExampleLoads() {
        #expect(Self.loaded.errors.map(\.description) == [])
        #expect(Self.loaded.profiles.map(\.id) == ["acme-parcel", "northwind-retail", "rhein-logistik"])
        #expect(Self.loaded.sources["acme-parcel"] == ProfileFiles.example("acme-parcel"))
    }

    @Test
    func parcelCarrierSends214OverSFTP() throws {
        let acme = try #require(Self.loaded["acme-parcel"])
        #expect(acme.identity.x12 == X12Identity(qualifier: "02", id: "ACMP", applicationCodes: ["ACMPEDI"]))
        #expect(acme.ourIdentities.receiver.count == 2)
        #expect(acme.documents.inbound.map(\.type) == ["214"])
        #expect(acme.documents.outbound.isEmpty)
        let status = try #require(acme.documents.inbound.first)
        #expect(status.standard == .x12 && status.version == "004010")
        #expect(
            status.overrides.rules == [MapRuleOverride(field: "shipment.proNumber", reference: "L1101 where L1102 CN")]
        )
        #expect(acme.acknowledgments.functional == .x997)
        #expect(acme.acknowledgments.ta1 == .onRequest)
        #expect(acme.outboundSyntax.delimiters?.segmentTerminator == "~")
        #expect(acme.outboundSyntax.delimiters?.repetition == nil)
        #expect(acme.validation.strictness(of: "invalidCodeValue") == .lenient)
        #expect(acme.validation.strictness(of: "elementTooLong") == .strict)
        #expect(acme.validation.limits.maximumFileSize == 20 << 20)
        let sftp = try #require(acme.endpoints.sftp)
        #expect(sftp.inbox == "/outgoing/214" && sftp.outbox == nil)
        #expect(sftp.pollInterval == .seconds(300))
        #expect(sftp.credential == .privateKey(.file("/etc/edigate/keys/acme-parcel_ed25519")))
        #expect(acme.endpoints.as2 == nil)
    }

    @Test
    func retailerReceives856And810OverAS2AndSends997() throws {
        let northwind = try #require(Self.loaded["northwind-retail"])
        #expect(northwind.identity.x12?.qualifier == "01")
        #expect(northwind.identity.as2Identifiers == ["NORTHWIND-AS2"])
        #expect(northwind.documents.outbound.map(\.type) == ["856", "810"])
        #expect(northwind.documents.outbound.first?.overrides.hierarchy == [["S", "O", "P", "I"]])
        #expect(
            northwind.acknowledgments.expected == [
                ExpectedAcknowledgment(document: "856", acknowledgment: .x997, within: .seconds(24 * 3600)),
                ExpectedAcknowledgment(document: "810", acknowledgment: .x997, within: .seconds(48 * 3600)),
            ]
        )
        #expect(northwind.controlNumbers.interchange == ControlNumberFormat(start: 1001, width: 9))
        let as2 = try #require(northwind.endpoints.as2)
        #expect(as2.as2To == "NORTHWIND-AS2" && as2.as2From == "EDIGATE-AS2")
        #expect(as2.signing == .sha256 && as2.encryption == .aes256CBC)
        #expect(as2.mdn == .asynchronous(url: "https://edi.edigate.example/as2/mdn"))
        #expect(as2.privateKey == .environment("EDIGATE_AS2_PRIVATE_KEY"))
        #expect(northwind.endpoints.sftp == nil)
    }

    @Test
    func logisticsProviderSendsEDIFACTOverSFTPAndExpectsCONTRL() throws {
        let rhein = try #require(Self.loaded["rhein-logistik"])
        #expect(rhein.identity.edifact == EDIFACTIdentity(id: "4098765000002", qualifier: "14"))
        #expect(rhein.documents.inbound.map(\.type) == ["DESADV", "IFTSTA", "INVOIC"])
        #expect(rhein.documents.inbound.allSatisfy { $0.standard == .edifact && $0.version == "D96A" })
        #expect(rhein.documents.inbound.last?.grammar == "Maps/Grammars/EDIFACT/D96A/INVOIC.grammar")
        #expect(rhein.acknowledgments.contrl)
        #expect(rhein.acknowledgments.functional == FunctionalAcknowledgment.none)
        #expect(rhein.outboundSyntax.edifactSyntax == EDIFACTSyntax(identifier: "UNOC", version: "3"))
        #expect(rhein.outboundSyntax.delimiters?.release == "?")
        #expect(rhein.outboundSyntax.characterSet == .latin1)
        #expect(rhein.outboundSyntax.lineBreak == .crlf)
        // A bare `off` is the boolean false to YAML; it still means off.
        #expect(rhein.validation.rules == ["elementTooLong": .lenient, "invalidTime": .off])
        let sftp = try #require(rhein.endpoints.sftp)
        #expect(sftp.port == 2222 && sftp.pollInterval == .seconds(600))
        #expect(sftp.credential == .password(.environment("RHEIN_SFTP_PASSWORD")))
    }

    @Test(arguments: ["acme-parcel", "northwind-retail", "rhein-logistik"])
    func writtenYAMLLoadsAsTheSameProfile(id: String) throws {
        let profile = try #require(Self.loaded[id])
        let again = PartnerProfileLoader.parse(try profile.yaml(), source: "\(id) written")
        #expect(again.errors.map(\.description) == [])
        #expect(again[id] == profile)
    }

    @Test
    func theReadmeExampleLoads() throws {
        let readme = try String(contentsOf: ProfileFiles.examples.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "```yaml\n"))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let loaded = PartnerProfileLoader.parse(String(readme[start.upperBound..<end.lowerBound]), source: "README.md")
        #expect(loaded.errors.map(\.description) == [])
        #expect(loaded["example-carrier"]?.acknowledgments.functional == .x997)
    }

    @Test
    func secretsAreShownOnlyAsReferences() throws {
        let rhein = try #require(Self.loaded["rhein-logistik"])
        #expect(try rhein.yaml().contains("password: env:RHEIN_SFTP_PASSWORD"))
        #expect(rhein.json().contains(#""password": "env:RHEIN_SFTP_PASSWORD""#))
    }
}

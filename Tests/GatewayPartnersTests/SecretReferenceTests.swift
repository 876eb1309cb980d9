import GatewayPartners
import Testing

@Suite("Secret references")
struct SecretReferenceTests {
    @Test func onlyFilesAndEnvironmentVariables() {
        #expect(SecretReference("file:/etc/edigate/acme.key") == .file("/etc/edigate/acme.key"))
        #expect(SecretReference("env:ACME_SFTP_PASSWORD") == .environment("ACME_SFTP_PASSWORD"))
        #expect(SecretReference("hunter2") == nil)
        #expect(SecretReference("file:") == nil)
    }
}

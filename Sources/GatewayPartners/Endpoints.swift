/// Where a partner's files come from and where ours go: an SFTP server we poll and upload to, an AS2 station, or
/// both. Credentials are ``SecretReference`` values only.
///
/// ```swift
/// if case .privateKey(let key)? = profile.endpoints.sftp?.credential {
///     print(key)   // file:/etc/edigate/keys/acme-parcel_ed25519, never the key itself
/// }
/// ```
public struct Endpoints: Sendable, Hashable {
    /// The partner's SFTP server, when files travel over SFTP.
    public let sftp: SFTPEndpoint?
    /// The partner's AS2 station, when messages travel over AS2.
    public let as2: AS2Endpoint?

    /// Creates endpoints.
    public init(sftp: SFTPEndpoint? = nil, as2: AS2Endpoint? = nil) {
        self.sftp = sftp
        self.as2 = as2
    }
}

/// An SFTP server: we poll the inbox for the partner's files and upload ours to the outbox.
///
/// ```yaml
/// sftp:
///   host: sftp.acme-parcel.example
///   username: edigate
///   inbox: /outgoing/214
///   pollInterval: 5m
///   hostKeyFingerprint: SHA256:…
///   privateKey: file:/etc/edigate/keys/acme-parcel_ed25519
/// ```
public struct SFTPEndpoint: Sendable, Hashable {
    /// The server's host name or address.
    public let host: String
    /// The port; 22 by default.
    public let port: Int
    /// The user we log in as.
    public let username: String
    /// The remote folder we poll for the partner's files; `nil` when they send us nothing over SFTP.
    public let inbox: String?
    /// The remote folder we upload our files to; `nil` when we send them nothing over SFTP.
    public let outbox: String?
    /// How often the inbox is polled; 5 minutes by default.
    public let pollInterval: Duration
    /// The server's host key fingerprint, `SHA256:` and the unpadded base64 digest as `ssh-keygen -l` prints it;
    /// the connection is refused when the server presents another key.
    public let hostKeyFingerprint: String
    /// How we authenticate.
    public let credential: SFTPCredential

    /// Creates an SFTP endpoint.
    public init(
        host: String,
        port: Int = 22,
        username: String,
        inbox: String? = nil,
        outbox: String? = nil,
        pollInterval: Duration = .seconds(300),
        hostKeyFingerprint: String,
        credential: SFTPCredential
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.inbox = inbox
        self.outbox = outbox
        self.pollInterval = pollInterval
        self.hostKeyFingerprint = hostKeyFingerprint
        self.credential = credential
    }
}

/// How we log in to an SFTP server: a password or a private key, each kept outside the profile.
public enum SFTPCredential: Sendable, Hashable {
    /// Password authentication.
    case password(SecretReference)
    /// Public key authentication with this private key (OpenSSH or PEM format).
    case privateKey(SecretReference)
}

/// A partner's AS2 station (RFC 4130): where we post messages, the identifiers on both sides, the algorithms, how
/// the MDN returns, and the certificates and key.
///
/// ```yaml
/// as2:
///   url: https://as2.northwind-retail.example/as2/receive
///   as2From: EDIGATE-AS2
///   as2To: NORTHWIND-AS2
///   signing: sha256
///   encryption: aes256-cbc
///   mdn: sync
///   partnerCertificate: Certificates/northwind-retail.pem
///   ourCertificate: Certificates/edigate-as2.pem
///   privateKey: file:/etc/edigate/keys/edigate-as2.key
/// ```
public struct AS2Endpoint: Sendable, Hashable {
    /// The partner's receiving URL (`https://…`).
    public let url: String
    /// Our AS2 identifier, sent as `AS2-From`.
    public let as2From: String
    /// The partner's AS2 identifier, sent as `AS2-To`.
    public let as2To: String
    /// The digest we sign with, and ask the partner to sign the MDN with.
    public let signing: SigningAlgorithm
    /// The content encryption algorithm.
    public let encryption: EncryptionAlgorithm
    /// How the MDN comes back.
    public let mdn: MDNDelivery
    /// The partner's certificate (PEM): we encrypt to it and verify their signatures with it.
    public let partnerCertificate: String
    /// Our certificate (PEM), given to the partner and sent in signatures.
    public let ourCertificate: String
    /// Our private key for signing and decrypting.
    public let privateKey: SecretReference

    /// Creates an AS2 endpoint.
    public init(
        url: String,
        as2From: String,
        as2To: String,
        signing: SigningAlgorithm,
        encryption: EncryptionAlgorithm,
        mdn: MDNDelivery,
        partnerCertificate: String,
        ourCertificate: String,
        privateKey: SecretReference
    ) {
        self.url = url
        self.as2From = as2From
        self.as2To = as2To
        self.signing = signing
        self.encryption = encryption
        self.mdn = mdn
        self.partnerCertificate = partnerCertificate
        self.ourCertificate = ourCertificate
        self.privateKey = privateKey
    }
}

/// The digest of an AS2 signature (RFC 5751 micalg names).
public enum SigningAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Unsigned messages.
    case none
    /// SHA-1, for old stations only.
    case sha1
    /// SHA-256.
    case sha256
    /// SHA-384.
    case sha384
    /// SHA-512.
    case sha512
}

/// The content encryption of an AS2 message.
public enum EncryptionAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Unencrypted (over HTTPS only).
    case none
    /// Triple DES, for old stations only.
    case tripleDES = "3des"
    /// AES-128 in CBC mode.
    case aes128CBC = "aes128-cbc"
    /// AES-192 in CBC mode.
    case aes192CBC = "aes192-cbc"
    /// AES-256 in CBC mode.
    case aes256CBC = "aes256-cbc"
    /// AES-128 in GCM mode.
    case aes128GCM = "aes128-gcm"
    /// AES-256 in GCM mode.
    case aes256GCM = "aes256-gcm"
}

/// How the partner returns the MDN (message disposition notification) for our messages.
public enum MDNDelivery: Sendable, Hashable {
    /// In the HTTP response to our post.
    case synchronous
    /// Posted later to this URL of ours (`Receipt-Delivery-Option`).
    case asynchronous(url: String)
}

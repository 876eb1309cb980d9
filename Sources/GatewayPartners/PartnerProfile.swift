/// Everything edigate knows about one trading partner: who they are on the wire, who we are to them, which
/// documents go each way, how we write for them, which acknowledgments flow, how strictly we validate, and where
/// their files come and go.
///
/// Profiles are data (`PartnerProfiles/*.yaml`, format in `PartnerProfiles/README.md`), loaded by
/// ``PartnerProfileLoader``: onboarding a partner is writing a file and running `edigate partners check`, never a
/// recompile. Optional sections take the defaults documented on each type, so a profile states only what differs
/// (as Bots' partner syntax does). Secrets are never part of a profile, only ``SecretReference`` values.
///
/// ```swift
/// let loaded = PartnerProfileLoader.load(directory: "PartnerProfiles")
/// let acme = loaded["acme-parcel"]
/// acme?.identity.x12?.id            // "ACMP"
/// acme?.documents.inbound.map(\.type) // ["214"]
/// ```
public struct PartnerProfile: Sendable, Hashable {
    /// The partner's id: lowercase letters, digits and `-` (`acme-parcel`), unique across profiles.
    public let id: String
    /// A display name, for people.
    public let name: String?
    /// How the partner names itself in envelopes and AS2 headers.
    public let identity: Identity
    /// How we name ourselves to this partner.
    public let ourIdentities: OurIdentities
    /// The documents exchanged in each direction.
    public let documents: Documents
    /// How we write outbound interchanges for this partner.
    public let outboundSyntax: OutboundSyntax
    /// Which acknowledgments we send and which we expect back.
    public let acknowledgments: AcknowledgmentPolicy
    /// Starting numbers and widths of our outbound control numbers.
    public let controlNumbers: ControlNumberSettings
    /// How strictly inbound documents are validated, and the size and count limits.
    public let validation: ValidationPolicy
    /// Where the partner's files come from and ours go.
    public let endpoints: Endpoints

    /// Creates a profile.
    public init(
        id: String,
        name: String? = nil,
        identity: Identity,
        ourIdentities: OurIdentities,
        documents: Documents,
        outboundSyntax: OutboundSyntax = OutboundSyntax(),
        acknowledgments: AcknowledgmentPolicy = AcknowledgmentPolicy(),
        controlNumbers: ControlNumberSettings = ControlNumberSettings(),
        validation: ValidationPolicy = ValidationPolicy(),
        endpoints: Endpoints = Endpoints()
    ) {
        self.id = id
        self.name = name
        self.identity = identity
        self.ourIdentities = ourIdentities
        self.documents = documents
        self.outboundSyntax = outboundSyntax
        self.acknowledgments = acknowledgments
        self.controlNumbers = controlNumbers
        self.validation = validation
        self.endpoints = endpoints
    }
}

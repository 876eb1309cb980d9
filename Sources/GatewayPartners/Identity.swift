/// How one party names itself on the wire: its X12 and EDIFACT envelope identities and its AS2 identifiers.
///
/// A partner's ``PartnerProfile/identity`` is matched against inbound envelopes; an entry of
/// ``PartnerProfile/ourIdentities`` is what we accept as receiver or write as sender. At least one of the three is
/// given.
///
/// ```yaml
/// identity:
///   x12: { qualifier: "02", id: ACMP, applicationCodes: [ACMPEDI] }
///   as2: [ACMP-AS2]
/// ```
public struct Identity: Sendable, Hashable {
    /// The ISA and GS identity, when the party exchanges X12.
    public let x12: X12Identity?
    /// The UNB and UNG identity, when the party exchanges EDIFACT.
    public let edifact: EDIFACTIdentity?
    /// AS2 identifiers (the `AS2-From` or `AS2-To` header values) the party uses; empty when not over AS2.
    public let as2Identifiers: [String]

    /// Creates an identity.
    public init(x12: X12Identity? = nil, edifact: EDIFACTIdentity? = nil, as2Identifiers: [String] = []) {
        self.x12 = x12
        self.edifact = edifact
        self.as2Identifiers = as2Identifiers
    }
}

/// An X12 identity: the interchange ID qualifier and ID (ISA05/ISA06 as sender, ISA07/ISA08 as receiver) and the
/// application codes of functional groups (GS02 as sender, GS03 as receiver).
public struct X12Identity: Sendable, Hashable {
    /// The interchange ID qualifier, two letters or digits (`ZZ` mutually defined, `01` DUNS, `02` SCAC, `12` phone).
    public let qualifier: String
    /// The interchange ID, 1 to 15 characters (ISA pads it to 15 with spaces).
    public let id: String
    /// Application sender or receiver codes, 2 to 15 characters each; the first is written in outbound GS
    /// segments, any of them is accepted inbound. Empty means the interchange ID is used.
    public let applicationCodes: [String]

    /// Creates an X12 identity.
    public init(qualifier: String, id: String, applicationCodes: [String] = []) {
        self.qualifier = qualifier
        self.id = id
        self.applicationCodes = applicationCodes
    }
}

/// An EDIFACT identity: the interchange identification and its code qualifier (UNB S002 0004/0007 as sender,
/// S003 0010/0007 as receiver) and the application codes of functional groups (UNG S006 0040, S007 0044).
public struct EDIFACTIdentity: Sendable, Hashable {
    /// The identification, 1 to 35 characters (a GLN such as `4012345000009`, or a mutually agreed code).
    public let id: String
    /// The identification code qualifier (0007), 1 to 4 letters or digits (`14` GLN, `ZZZ` mutually defined);
    /// `nil` when none is written.
    public let qualifier: String?
    /// UNG application sender or receiver identifications, 1 to 35 characters each; the first is written, any of
    /// them is accepted. Empty when the partner uses no UNG groups.
    public let groupCodes: [String]

    /// Creates an EDIFACT identity.
    public init(id: String, qualifier: String? = nil, groupCodes: [String] = []) {
        self.id = id
        self.qualifier = qualifier
        self.groupCodes = groupCodes
    }
}

/// Our own identities towards one partner: those we answer to as receiver, and those we write as sender. We may
/// have several (a division, a test identity); every list holds at least one.
public struct OurIdentities: Sendable, Hashable {
    /// Identities under which inbound interchanges are addressed to us; any of them is accepted.
    public let receiver: [Identity]
    /// Identities we write in outbound envelopes and acknowledgments; the first one is used unless a document
    /// names another (later work).
    public let sender: [Identity]

    /// Creates our identities.
    public init(receiver: [Identity], sender: [Identity]) {
        self.receiver = receiver
        self.sender = sender
    }
}

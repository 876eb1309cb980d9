/// What every canonical event carries besides its document: identity, where it came from, and for each field
/// the bytes it was read from.
///
/// `idempotencyKey` is the same whenever the same transaction arrives again (a resend in a new interchange keeps
/// it), so the ERP can drop duplicates; `eventId` names this one emission. `correlationId` groups the events of
/// one interchange; `businessKey` (a shipment or invoice number) orders deliveries that concern the same thing.
public struct EventMetadata: Codable, Sendable, Hashable {
    /// This event, unique per emission.
    public var eventId: String
    /// Stable for the same transaction sent again (a digest of the partner and the transaction's bytes).
    public var idempotencyKey: String
    /// Shared by every event read from one interchange.
    public var correlationId: String
    /// The business key deliveries are ordered by (shipment identifier, invoice number), when the document has one.
    public var businessKey: String?
    /// The partner profile's identifier, or the sender's identification when no profile is known.
    public var partner: String
    /// `X12` or `EDIFACT`.
    public var standard: String
    /// `004010`, `005010`, `D96A`, `D01B`.
    public var version: String
    /// `856`, `214`, `210`, `810`, `DESADV`, `IFTSTA`, `INVOIC`.
    public var document: String
    /// ISA13 or UNB05.
    public var interchangeControlNumber: String
    /// GS06 or UNG05, when the interchange had groups.
    public var groupControlNumber: String?
    /// ST02 or UNH01.
    public var transactionControlNumber: String
    /// For each field path (`shipment.billOfLading`, `orders[0].packs[1].items[0].quantity.value`), where its value
    /// was read, in the order the fields were read.
    public var provenance: ProvenanceTable

    /// Creates metadata.
    public init(
        eventId: String,
        idempotencyKey: String,
        correlationId: String,
        businessKey: String? = nil,
        partner: String,
        standard: String,
        version: String,
        document: String,
        interchangeControlNumber: String,
        groupControlNumber: String? = nil,
        transactionControlNumber: String,
        provenance: ProvenanceTable = [:]
    ) {
        self.eventId = eventId
        self.idempotencyKey = idempotencyKey
        self.correlationId = correlationId
        self.businessKey = businessKey
        self.partner = partner
        self.standard = standard
        self.version = version
        self.document = document
        self.interchangeControlNumber = interchangeControlNumber
        self.groupControlNumber = groupControlNumber
        self.transactionControlNumber = transactionControlNumber
        self.provenance = provenance
    }
}

/// Where one field's value was read: the segment's position in the transaction, the element reference as
/// guides write it, and the value's bytes in the input.
public struct FieldProvenance: Codable, Sendable, Hashable {
    /// The segment's position in the transaction (ST or UNH = 1).
    public var segment: Int
    /// `BSN02`, `DTM01-2`, `NAD+BY` segments give `NAD04` and so on.
    public var reference: String
    /// The 0-based offset of the value's first byte in the input, and one past its last.
    public var byteStart: Int
    public var byteEnd: Int

    /// Creates a provenance entry.
    public init(segment: Int, reference: String, byteStart: Int, byteEnd: Int) {
        self.segment = segment
        self.reference = reference
        self.byteStart = byteStart
        self.byteEnd = byteEnd
    }
}

extension EventMetadata {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            eventId: try container.decode(String.self, forKey: .eventId),
            idempotencyKey: try container.decode(String.self, forKey: .idempotencyKey),
            correlationId: try container.decode(String.self, forKey: .correlationId),
            businessKey: try container.decodeIfPresent(String.self, forKey: .businessKey),
            partner: try container.decode(String.self, forKey: .partner),
            standard: try container.decode(String.self, forKey: .standard),
            version: try container.decode(String.self, forKey: .version),
            document: try container.decode(String.self, forKey: .document),
            interchangeControlNumber: try container.decode(String.self, forKey: .interchangeControlNumber),
            groupControlNumber: try container.decodeIfPresent(String.self, forKey: .groupControlNumber),
            transactionControlNumber: try container.decode(String.self, forKey: .transactionControlNumber),
            provenance: try container.decodeIfPresent(ProvenanceTable.self, forKey: .provenance) ?? [:]
        )
    }
}

public import FoundationEssentials

/// An invoice: commercial (X12 810, EDIFACT INVOIC) or freight (X12 210): lines, charges, allowances, taxes,
/// totals, currency, terms, and references to the order, bill of lading and shipment.
public struct Invoice: Codable, Sendable, Hashable {
    /// `edigate.Invoice.v1`.
    public static let schema = "edigate.Invoice.v1"

    public var schema: String = Self.schema
    public var metadata: EventMetadata
    /// `commercial` (810, INVOIC) or `freight` (210).
    public var kind: Kind
    /// What the document is: an invoice, a credit note (the amounts are owed back), a debit note; absent when the
    /// document does not say (an 810 without BIG07 is an invoice).
    public var documentType: DocumentType?
    /// The document type code as sent (BGM01 `381`, BIG07 `CR`).
    public var documentCode: String?
    /// BIG02, B302, BGM02.
    public var number: String
    /// BIG01, B306, DTM+137.
    public var date: Timestamp?
    /// ISO 4217 (CUR02, CUX01-2); absent when the document does not say.
    public var currency: String?
    public var terms: Terms?
    public var purchaseOrder: String?
    public var billOfLading: String?
    /// The shipment identification the invoice is for (B303, RFF+…).
    public var shipment: String?
    /// A freight invoice's method of payment as sent (B304: `PP` prepaid, `CC` collect, `TP` third party).
    public var paymentMethod: String?
    /// A freight invoice's carrier, by its SCAC (B311).
    public var carrierScac: String?
    public var references: [Reference]
    public var parties: [Party]
    public var lines: [Line]
    public var charges: [Charge]
    public var allowances: [Charge]
    public var taxes: [Tax]
    public var totals: Totals

    public enum Kind: String, Codable, Sendable, Hashable {
        case commercial
        case freight
    }

    /// The document types a map names (EDIFACT 1001: 380 invoice, 381 credit note, 383 debit note, 384 corrected
    /// invoice; X12 640: DI debit invoice, CR credit memo, CN credit invoice, DR debit memo); `other` for any other code,
    /// kept in ``documentCode``.
    public enum DocumentType: String, Codable, Sendable, Hashable, CaseIterable {
        case invoice
        case creditNote = "credit-note"
        case debitNote = "debit-note"
        case correctedInvoice = "corrected-invoice"
        case other
    }

    /// Payment terms (ITD, PAT).
    public struct Terms: Codable, Sendable, Hashable {
        /// The terms type code as sent.
        public var code: String?
        public var discountPercent: Decimal?
        public var discountDays: Int?
        public var netDays: Int?
        public var dueDate: Timestamp?

        public init(
            code: String? = nil,
            discountPercent: Decimal? = nil,
            discountDays: Int? = nil,
            netDays: Int? = nil,
            dueDate: Timestamp? = nil
        ) {
            self.code = code
            self.discountPercent = discountPercent
            self.discountDays = discountDays
            self.netDays = netDays
            self.dueDate = dueDate
        }
    }

    /// An invoice line (IT1, LIN; a 210 LX/L0/L1 group).
    public struct Line: Codable, Sendable, Hashable {
        public var lineNumber: String?
        public var productIdentifiers: [ProductIdentifier]
        public var description: String?
        public var quantity: Measure?
        public var unitPrice: Decimal?
        /// The line's amount (MOA+203, L104), when the document gives it.
        public var amount: Decimal?
        /// For freight lines: the gross weight as given.
        public var weight: Measure?
        /// For freight lines: what ``unitPrice`` is a rate per, as sent (L103: `CW` per hundredweight, `FR` flat
        /// rate, `PM` per mile).
        public var rateBasis: String?

        public init(
            lineNumber: String? = nil,
            productIdentifiers: [ProductIdentifier] = [],
            description: String? = nil,
            quantity: Measure? = nil,
            unitPrice: Decimal? = nil,
            amount: Decimal? = nil,
            weight: Measure? = nil,
            rateBasis: String? = nil
        ) {
            self.lineNumber = lineNumber
            self.productIdentifiers = productIdentifiers
            self.description = description
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.amount = amount
            self.weight = weight
            self.rateBasis = rateBasis
        }
    }

    /// A charge or an allowance (SAC, ALC/MOA): the code as sent and the amount.
    public struct Charge: Codable, Sendable, Hashable {
        public var code: String?
        public var description: String?
        public var amount: Decimal
        /// The line it belongs to, when it is a line-level charge.
        public var lineNumber: String?

        public init(code: String? = nil, description: String? = nil, amount: Decimal, lineNumber: String? = nil) {
            self.code = code
            self.description = description
            self.amount = amount
            self.lineNumber = lineNumber
        }
    }

    /// A tax (TXI, TAX/MOA).
    public struct Tax: Codable, Sendable, Hashable {
        /// The tax type code as sent (`VAT`, `ST` state sales tax).
        public var type: String
        public var ratePercent: Decimal?
        public var amount: Decimal?

        public init(type: String, ratePercent: Decimal? = nil, amount: Decimal? = nil) {
            self.type = type
            self.ratePercent = ratePercent
            self.amount = amount
        }
    }

    /// The document's totals as sent (never recomputed): line items (MOA+79), charges, allowances, tax, and the
    /// invoice total (TDS01, L303, MOA+77 or +86).
    public struct Totals: Codable, Sendable, Hashable {
        public var lineItems: Decimal?
        public var charges: Decimal?
        public var allowances: Decimal?
        public var tax: Decimal?
        public var invoice: Decimal?

        public init(
            lineItems: Decimal? = nil,
            charges: Decimal? = nil,
            allowances: Decimal? = nil,
            tax: Decimal? = nil,
            invoice: Decimal? = nil
        ) {
            self.lineItems = lineItems
            self.charges = charges
            self.allowances = allowances
            self.tax = tax
            self.invoice = invoice
        }
    }

    /// Creates an invoice.
    public init(
        metadata: EventMetadata,
        kind: Kind,
        documentType: DocumentType? = nil,
        documentCode: String? = nil,
        number: String,
        date: Timestamp? = nil,
        currency: String? = nil,
        terms: Terms? = nil,
        purchaseOrder: String? = nil,
        billOfLading: String? = nil,
        shipment: String? = nil,
        paymentMethod: String? = nil,
        carrierScac: String? = nil,
        references: [Reference] = [],
        parties: [Party] = [],
        lines: [Line] = [],
        charges: [Charge] = [],
        allowances: [Charge] = [],
        taxes: [Tax] = [],
        totals: Totals = Totals()
    ) {
        self.metadata = metadata
        self.kind = kind
        self.documentType = documentType
        self.documentCode = documentCode
        self.number = number
        self.date = date
        self.currency = currency
        self.terms = terms
        self.purchaseOrder = purchaseOrder
        self.billOfLading = billOfLading
        self.shipment = shipment
        self.paymentMethod = paymentMethod
        self.carrierScac = carrierScac
        self.references = references
        self.parties = parties
        self.lines = lines
        self.charges = charges
        self.allowances = allowances
        self.taxes = taxes
        self.totals = totals
    }
}

extension Invoice {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            metadata: try container.decode(EventMetadata.self, forKey: .metadata),
            kind: try container.decode(Kind.self, forKey: .kind),
            documentType: try container.decodeIfPresent(DocumentType.self, forKey: .documentType),
            documentCode: try container.decodeIfPresent(String.self, forKey: .documentCode),
            number: try container.decode(String.self, forKey: .number),
            date: try container.decodeIfPresent(Timestamp.self, forKey: .date),
            currency: try container.decodeIfPresent(String.self, forKey: .currency),
            terms: try container.decodeIfPresent(Terms.self, forKey: .terms),
            purchaseOrder: try container.decodeIfPresent(String.self, forKey: .purchaseOrder),
            billOfLading: try container.decodeIfPresent(String.self, forKey: .billOfLading),
            shipment: try container.decodeIfPresent(String.self, forKey: .shipment),
            paymentMethod: try container.decodeIfPresent(String.self, forKey: .paymentMethod),
            carrierScac: try container.decodeIfPresent(String.self, forKey: .carrierScac),
            references: try container.array(.references),
            parties: try container.array(.parties),
            lines: try container.array(.lines),
            charges: try container.array(.charges),
            allowances: try container.array(.allowances),
            taxes: try container.array(.taxes),
            totals: try container.decodeIfPresent(Totals.self, forKey: .totals) ?? Totals()
        )
        self.schema = try container.decode(String.self, forKey: .schema)
    }
}

extension Invoice.Line {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            lineNumber: try container.decodeIfPresent(String.self, forKey: .lineNumber),
            productIdentifiers: try container.array(.productIdentifiers),
            description: try container.decodeIfPresent(String.self, forKey: .description),
            quantity: try container.decodeIfPresent(Measure.self, forKey: .quantity),
            unitPrice: try container.decodeIfPresent(Decimal.self, forKey: .unitPrice),
            amount: try container.decodeIfPresent(Decimal.self, forKey: .amount),
            weight: try container.decodeIfPresent(Measure.self, forKey: .weight),
            rateBasis: try container.decodeIfPresent(String.self, forKey: .rateBasis)
        )
    }
}

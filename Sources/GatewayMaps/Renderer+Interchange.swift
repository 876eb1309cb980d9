public import EDICore
import EDISchema
public import GatewayEvents

/// Who an outbound interchange goes from and to, and how it is written: a partner profile gives these.
public struct OutboundEnvelope: Sendable {
    public var sender: String
    public var senderQualifier: String
    public var receiver: String
    public var receiverQualifier: String
    /// GS02/GS03 application codes (X12); the sender and receiver by default.
    public var applicationSender: String?
    public var applicationReceiver: String?
    public var date: String
    public var time: String
    public var delimiters: Delimiters?
    public var lineBreak: EDIWriter.LineBreak
    public var isTest: Bool
    public var controlNumbers: ControlNumbers

    public init(
        sender: String,
        senderQualifier: String,
        receiver: String,
        receiverQualifier: String,
        applicationSender: String? = nil,
        applicationReceiver: String? = nil,
        date: String,
        time: String,
        delimiters: Delimiters? = nil,
        lineBreak: EDIWriter.LineBreak = .none,
        isTest: Bool = false,
        controlNumbers: ControlNumbers = ControlNumbers()
    ) {
        self.sender = sender
        self.senderQualifier = senderQualifier
        self.receiver = receiver
        self.receiverQualifier = receiverQualifier
        self.applicationSender = applicationSender
        self.applicationReceiver = applicationReceiver
        self.date = date
        self.time = time
        self.delimiters = delimiters
        self.lineBreak = lineBreak
        self.isTest = isTest
        self.controlNumbers = controlNumbers
    }
}

extension Renderer {
    /// `event` as a whole interchange: ISA, GS, ST…SE, GE, IEA (X12) or UNB, UNH…UNT, UNZ (EDIFACT), with the
    /// envelope's identities and control numbers.
    public func interchange(_ event: CanonicalEvent, envelope: OutboundEnvelope) throws(MappingError) -> [UInt8] {
        let body = try self.render(event)
        let isX12 = self.map.standard == "X12"
        var writer = EnvelopeWriter(
            standard: isX12 ? .x12 : .edifact,
            delimiters: envelope.delimiters ?? (isX12 ? .x12 : .edifactLevelA),
            lineBreak: envelope.lineBreak,
            controlNumbers: envelope.controlNumbers
        )
        let version: String
        if isX12 {
            version = String(self.map.version.prefix(5))
        } else {
            version = self.map.version == "D96A" ? "3" : "4"
        }
        do throws(EDISyntaxError) {
            try writer.beginInterchange(
                InterchangeEnvelope(
                    sender: envelope.sender,
                    senderQualifier: envelope.senderQualifier,
                    receiver: envelope.receiver,
                    receiverQualifier: envelope.receiverQualifier,
                    date: envelope.date,
                    time: envelope.time,
                    version: version,
                    isTest: envelope.isTest
                )
            )
            if isX12 {
                try writer.beginGroup(
                    GroupEnvelope(
                        functionalIdentifier: self.grammar.functionalGroup ?? "",
                        applicationSender: envelope.applicationSender ?? envelope.sender,
                        applicationReceiver: envelope.applicationReceiver ?? envelope.receiver,
                        version: self.map.version
                    )
                )
                try writer.writeTransaction(type: self.map.document, body: body)
                try writer.endGroup()
            } else {
                let directory = Array(self.map.version)
                let type =
                    "\(self.map.document):\(directory.first.map(String.init) ?? ""):\(String(directory.dropFirst())):UN"
                try writer.writeTransaction(type: type, body: body)
            }
            try writer.endInterchange()
        } catch {
            throw MappingErrors.eventShape(
                map: self.map.source,
                event: self.map.event,
                detail: "segments that do not write: \(error)"
            )
        }
        return writer.bytes
    }
}

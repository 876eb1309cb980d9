import ArgumentParser
import EDICore
import EDISchema
import FoundationEssentials
import GatewayEvents
import GatewayMaps
import GatewayPartners

/// `edigate render EVENT.json --partner ID`: canonical events as EDI documents in a partner's dialect.
struct RenderCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render canonical events (JSON) as the partner's EDI documents.",
        discussion: """
            Reads each file as JSON lines (or one JSON object) of events, picks the outbound document the partner's
            profile agrees for the event (ShipNotice: 856 or DESADV; Invoice: 810 or INVOIC; ShipmentStatus: 214
            or IFTSTA), and writes one interchange per event with the profile's identities, delimiters and line
            breaks. Each document is validated against its grammar first: one that would break it (an event lacking
            what the document requires) is reported, not written.
            Exit status: 0 when every event was rendered, 2 when any was not, 1 on usage or I/O errors.
            """
    )

    @Argument(help: "Event files (JSON lines or one JSON object); '-' reads standard input.")
    var files: [String]

    @Option(help: "The partner profile's identifier.")
    var partner: String

    @Option(help: "The folder of partner profiles.")
    var profiles = "PartnerProfiles"

    @Option(help: "The folder of maps, laid out as Maps/ is.")
    var maps = "Maps"

    @Option(help: "The folder of grammars, laid out as Maps/Grammars is.")
    var grammars = "Maps/Grammars"

    @Option(help: "The preparation date (CCYYMMDD) and time (HHMM); now by default.")
    var date: String?
    @Option(help: "The preparation time (HHMM).")
    var time: String?

    /// The documents that carry each event type.
    static let documents: [String: Set<String>] = [
        ShipNotice.schema: ["856", "DESADV"], Invoice.schema: ["810", "INVOIC"],
        ShipmentStatus.schema: ["214", "IFTSTA"],
    ]

    func validate() throws {
        if self.files.isEmpty { throw ValidationError("Give at least one event file or '-'.") }
    }

    func execute(into output: inout Output) -> Int32 {
        let set = PartnerProfileLoader.load(directory: self.profiles)
        guard let profile = set[self.partner] else {
            output.errorLine("\(self.profiles): no partner profile '\(self.partner)'")
            return 1
        }
        var grammars = GrammarCatalog(directory: self.grammars)
        var maps = MapCatalog(directory: self.maps)
        let (today, now) = Self.clock()
        var controlNumbers = ControlNumbers(
            interchange: profile.controlNumbers.interchange.start,
            group: profile.controlNumbers.group.start,
            transaction: 1
        )
        var status: Int32 = 0
        for path in InputPaths.expand(self.files) {
            let bytes: [UInt8]
            do throws(InputFile.OpenError) {
                let file = try InputFile(path: path)
                defer { file.close() }
                bytes = try file.read(upTo: 64 << 20)
            } catch {
                output.errorLine(error.description)
                status = 1
                continue
            }
            for (number, line) in Self.events(bytes).enumerated() {
                let event: CanonicalEvent
                do {
                    event = try EventJSON.decode(line)
                } catch {
                    output.errorLine("\(path):\(number + 1): expected a canonical event: \(EventJSON.describe(error))")
                    status = max(status, 2)
                    continue
                }
                guard
                    let agreement = profile.documents.outbound.first(where: {
                        Self.documents[event.schema]?.contains($0.type) ?? false
                    })
                else {
                    output.errorLine(
                        "\(path):\(number + 1): partner \(profile.id) has no outbound document for \(event.schema)"
                    )
                    status = max(status, 2)
                    continue
                }
                do {
                    let standard: EDICore.Standard =
                        agreement.standard == .x12 ? .x12 : .edifact
                    // The agreement's own grammar and map when it names them, with its rule overrides.
                    var grammar: Grammar?
                    if let path = agreement.grammar {
                        grammar = try GrammarLoader.load(path: path)
                    } else {
                        grammar = try grammars.grammar(
                            standard: standard,
                            version: agreement.version,
                            document: agreement.type
                        )
                    }
                    guard let grammar,
                        let map = try TranslateCommand.map(
                            for: grammar,
                            profile: profile,
                            profiles: self.profiles,
                            catalog: &maps,
                            outbound: true
                        )
                    else {
                        output.errorLine(
                            "\(path):\(number + 1): no grammar or map for \(agreement.standard.rawValue) "
                                + "\(agreement.version) \(agreement.type)"
                        )
                        status = max(status, 2)
                        continue
                    }
                    let envelope = Self.envelope(
                        profile,
                        standard: standard,
                        date: self.date ?? today,
                        time: self.time ?? now,
                        controlNumbers: controlNumbers
                    )
                    let rendered = try Renderer(map: map, grammar: grammar).interchange(event, envelope: envelope)
                    // Nothing invalid leaves: the document is validated against its grammar before it is written.
                    var validation = InterchangeValidation(catalog: grammars, guide: grammar)
                    let reports = try validation.reports(rendered)
                    let findings = reports.flatMap(\.allFindings).filter { $0.severity == .error }
                    if !findings.isEmpty {
                        for finding in findings {
                            output.errorLine(
                                "\(path):\(number + 1): the rendered \(agreement.type) would break its grammar: \(finding)"
                            )
                        }
                        status = max(status, 2)
                        continue
                    }
                    controlNumbers.interchange += 1
                    controlNumbers.group += 1
                    output.write(String(decoding: rendered, as: UTF8.self))
                    if profile.outboundSyntax.lineBreak == .none { output.line("") }
                } catch {
                    output.errorLine("\(path):\(number + 1): \(error)")
                    status = max(status, 2)
                }
            }
        }
        return status
    }

    /// The events in a file: one per line, or one object spread over lines.
    static func events(_ bytes: [UInt8]) -> [[UInt8]] {
        let lines = bytes.split(separator: 0x0A).map(Array.init).filter { !$0.allSatisfy { $0 == 0x20 || $0 == 0x0D } }
        if lines.count > 1,
            lines.allSatisfy({ $0.first == UInt8(ascii: "{") && $0.last(where: { $0 != 0x0D }) == UInt8(ascii: "}") })
        {
            return lines
        }
        return [bytes]
    }

    /// Our identity toward the partner and theirs, in the profile's syntax.
    static func envelope(
        _ profile: PartnerProfile,
        standard: EDICore.Standard,
        date: String,
        time: String,
        controlNumbers: ControlNumbers
    ) -> OutboundEnvelope {
        let us = profile.ourIdentities.sender.first
        let syntax = profile.outboundSyntax
        var delimiters: EDICore.Delimiters?
        if let given = syntax.delimiters, let element = given.element.asciiValue,
            let component = given.component.asciiValue,
            let terminator = given.segmentTerminator.asciiValue
        {
            delimiters = EDICore.Delimiters(
                element: element,
                component: component,
                repetition: given.repetition?.asciiValue,
                segmentTerminator: [terminator],
                release: given.release?.asciiValue,
                decimalMark: UInt8(ascii: ".")
            )
        }
        let lineBreak: EDIWriter.LineBreak =
            switch syntax.lineBreak {
            case .none: .none
            case .lf: .lf
            case .crlf: .crlf
            }
        if standard == .x12 {
            return OutboundEnvelope(
                sender: us?.x12?.id ?? "EDIGATE",
                senderQualifier: us?.x12?.qualifier ?? "ZZ",
                receiver: profile.identity.x12?.id ?? profile.id,
                receiverQualifier: profile.identity.x12?.qualifier ?? "ZZ",
                applicationSender: us?.x12?.applicationCodes.first,
                applicationReceiver: profile.identity.x12?.applicationCodes.first,
                date: date,
                time: time,
                delimiters: delimiters,
                lineBreak: lineBreak,
                isTest: syntax.usage == .test,
                controlNumbers: controlNumbers
            )
        }
        return OutboundEnvelope(
            sender: us?.edifact?.id ?? "EDIGATE",
            senderQualifier: us?.edifact?.qualifier ?? "",
            receiver: profile.identity.edifact?.id ?? profile.id,
            receiverQualifier: profile.identity.edifact?.qualifier ?? "",
            date: date,
            time: time,
            delimiters: delimiters,
            lineBreak: lineBreak,
            isTest: syntax.usage == .test,
            controlNumbers: controlNumbers
        )
    }

    /// Today as CCYYMMDD and now as HHMM (UTC).
    static func clock() -> (String, String) {
        let seconds = Int(Date().timeIntervalSince1970)
        let days = seconds / 86_400
        let minutes = (seconds % 86_400) / 60
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPart = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPart + 2) / 5 + 1
        let month = monthPart < 10 ? monthPart + 3 : monthPart - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return ("\(year)" + two(month) + two(day), two(minutes / 60) + two(minutes % 60))
    }
}

import ArgumentParser
import EDICore
import EDISchema
import FoundationEssentials
import GatewayEngine
import GatewayEvents
import GatewayMaps
import GatewayPartners

/// `edigate translate FILE...`: every transaction as its canonical event, one JSON line each.
struct TranslateCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "translate",
        abstract: "Translate X12 and EDIFACT transactions into canonical events (JSON lines).",
        discussion: """
            Each transaction is read by the map for its standard, version and document under --maps and printed as
            one line of JSON with its metadata and the provenance of every field. A transaction without a map, or
            whose map cannot read it, is reported on standard error as file:line: message.
            Exit status: 0 when every transaction was translated, 2 when any was not, 1 on usage or I/O errors.
            """
    )

    @Argument(help: "Files or folders to read; '-' reads standard input.")
    var files: [String]

    @Option(
        help: """
            The partner the files come from: its profile's map and rule overrides apply to its inbound documents. \
            Without it, the standard maps and the sender's identification.
            """
    )
    var partner: String?

    @Option(help: "The folder of partner profiles.")
    var profiles = "PartnerProfiles"

    @Option(help: "The folder of maps, laid out as Maps/ is.")
    var maps = "Maps"

    @Option(help: "The folder of grammars, laid out as Maps/Grammars is.")
    var grammars = "Maps/Grammars"

    func validate() throws {
        if self.files.isEmpty { throw ValidationError("Give at least one file, folder or '-'.") }
    }

    func execute(into output: inout Output) -> Int32 {
        var grammars = GrammarCatalog(directory: self.grammars)
        var maps = MapCatalog(directory: self.maps)
        // The partner's profile, its own grammars (which place segments into loops for the map) and reading limits.
        var profile: PartnerProfile?
        var partnerValidation: PartnerValidation?
        if let partner = self.partner {
            guard let loaded = PartnerLoading.load(partner, from: self.profiles, into: &output) else { return 1 }
            (profile, partnerValidation) = (loaded.profile, loaded.validation)
        }
        // One translator per document and version: the partner's map (its rule overrides applied) and the
        // grammar's layout are made once.
        var translators: [String: Translator] = [:]
        let vocabulary = MilestoneVocabulary(path: self.maps + "/Vocabulary/milestones.tsv")
        var status: Int32 = 0
        let reading = FileReading(configuration: partnerValidation?.readerConfiguration ?? ReaderConfiguration())
        for path in InputPaths.expand(self.files) {
            var syntaxVersion: String?
            var groupVersion: String?
            var groupControl: String?
            var interchangeControl = ""
            var sender = ""
            var failed = 0
            var translated = 0
            var fatal: String?
            do throws(InputFile.OpenError) {
                let outcome = try reading.read(path) { event in
                    switch event {
                    case .interchangeStart(let header):
                        // A new interchange: nothing of the previous one's groups carries over.
                        groupVersion = nil
                        groupControl = nil
                        syntaxVersion = header.version
                        interchangeControl = header.controlNumber ?? ""
                        sender = (header.sender ?? "").trimmingSpaces
                    case .groupStart(let header):
                        groupVersion = header.hasTag("GS") ? header[8]?.text : nil
                        groupControl = header.hasTag("GS") ? header[6]?.text : header[5]?.text
                    case .transaction(let transaction):
                        let found: Grammar?
                        do throws(GrammarError) {
                            found = try grammars.grammar(
                                for: transaction,
                                groupVersion: groupVersion,
                                syntaxVersion: syntaxVersion
                            )
                        } catch {
                            fatal = error.description
                            return
                        }
                        guard let standard = found else {
                            failed += 1
                            output.errorLine(
                                "\(path): no grammar for the transaction at byte \(transaction.byteOffset)"
                            )
                            return
                        }
                        let grammar = partnerValidation?.grammar(replacing: standard) ?? standard
                        do throws(MappingError) {
                            let key = "\(grammar.standard.rawValue) \(grammar.version) \(grammar.document)"
                            var translator = translators[key]
                            if translator == nil {
                                translator = try Self.map(
                                    for: grammar,
                                    profile: profile,
                                    profiles: self.profiles,
                                    catalog: &maps
                                ).map { Translator(map: $0, grammar: grammar) }
                                translators[key] = translator
                            }
                            guard let translator else {
                                failed += 1
                                output.errorLine(
                                    "\(path): no map for \(grammar.standard.rawValue) \(grammar.version) "
                                        + "\(grammar.document) (the transaction at byte \(transaction.byteOffset))"
                                )
                                return
                            }
                            let context = TranslationContext(
                                partner: self.partner ?? sender,
                                interchangeControlNumber: interchangeControl,
                                groupControlNumber: groupControl,
                                eventID: { UUID().uuidString.lowercased() },
                                vocabulary: vocabulary
                            )
                            var bytes: [UInt8] = []
                            try translator.translateJSON(
                                transaction,
                                context: context,
                                into: &bytes
                            )
                            output.line(String(decoding: bytes, as: UTF8.self))
                            translated += 1
                        } catch {
                            failed += 1
                            output.errorLine(
                                "\(path): the transaction at byte \(transaction.byteOffset): \(error.description)"
                            )
                        }
                    default:
                        break
                    }
                }
                if let error = outcome.syntaxError { output.errorLine("\(path): \(error)") }
                if let fatal {
                    output.errorLine(fatal)
                    status = 1
                } else if failed > 0 || outcome.syntaxError != nil {
                    status = max(status, 2)
                }
            } catch {
                output.errorLine(error.description)
                status = 1
            }
        }
        return status
    }
}

extension TranslateCommand {
    /// The map for `grammar`'s document: the profile's own map when its inbound agreement names one, else the
    /// standard one; then the agreement's rule overrides.
    static func map(
        for grammar: Grammar,
        profile: PartnerProfile?,
        profiles: String,
        catalog: inout MapCatalog,
        outbound: Bool = false
    ) throws(MappingError) -> MapDefinition? {
        let agreements = outbound ? profile?.documents.outbound : profile?.documents.inbound
        let agreement = agreements?.first {
            $0.type == grammar.document && $0.version == grammar.version
                && $0.standard.rawValue == grammar.standard.rawValue
        }
        var map: MapDefinition?
        if let path = agreement?.map {
            map = try MapLoader.load(path: path)
        } else {
            map = try catalog.map(
                standard: grammar.standard.rawValue,
                version: grammar.version,
                document: grammar.document
            )
        }
        guard var result = map, let agreement, let profile else { return map }
        for rule in agreement.overrides.rules {
            result = try result.overriding(
                field: rule.field,
                reference: rule.reference,
                source: "\(profiles)/\(profile.id).yaml"
            )
        }
        return result
    }
}

extension String {
    /// Without trailing spaces (ISA06 is padded to 15).
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}

import ArgumentParser
import Dispatch
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
        var translators = Translators()
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
            var fatal: String?
            // Transactions read and not yet printed, translated a batch at a time on every core and printed in
            // order with the errors found while reading.
            var pending: [TranslationBatch.Item] = []
            var waiting = 0
            func flush() {
                for line in TranslationBatch.run(pending) {
                    switch line {
                    case .event(let bytes): output.line(String(decoding: bytes, as: UTF8.self))
                    case .error(let text):
                        output.errorLine(text)
                        failed += 1
                    }
                }
                pending.removeAll(keepingCapacity: true)
                waiting = 0
            }
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
                            pending.append(
                                .error("\(path): no grammar for the transaction at byte \(transaction.byteOffset)")
                            )
                            return
                        }
                        let grammar = partnerValidation?.grammar(replacing: standard) ?? standard
                        do throws(MappingError) {
                            let translator = try translators.translator(for: grammar) {
                                (grammar) throws(MappingError) in
                                try Self.map(for: grammar, profile: profile, profiles: self.profiles, catalog: &maps)
                                    .map { Translator(map: $0, grammar: grammar) }
                            }
                            guard let translator else {
                                pending.append(
                                    .error(
                                        "\(path): no map for \(grammar.standard.rawValue) \(grammar.version) "
                                            + "\(grammar.document) (the transaction at byte \(transaction.byteOffset))"
                                    )
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
                            pending.append(
                                .translate(
                                    translator,
                                    transaction,
                                    context,
                                    file: path
                                )
                            )
                            waiting += 1
                            if waiting >= TranslationBatch.size { flush() }
                        } catch {
                            pending.append(.error(TranslationBatch.failure(error, of: transaction, in: path)))
                        }
                    default:
                        break
                    }
                }
                flush()
                if let error = outcome.syntaxError { output.errorLine("\(path): \(error)") }
                if let fatal {
                    output.errorLine(fatal)
                    status = 1
                } else if failed > 0 || outcome.syntaxError != nil {
                    status = max(status, 2)
                }
            } catch {
                flush()
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

/// Translations of transactions read in order, run a batch at a time on every core, their lines given back in the
/// order read. Reading stays on one thread; while a batch is translated both cores translate (a batch is a few
/// hundred transactions, so the pauses for reading and printing between batches are a few percent).
enum TranslationBatch {
    /// Transactions per batch.
    static let size = 256

    /// A transaction to translate (with the file it is in, for its error line: that line is written only when the
    /// translation fails), or an error found while reading it.
    enum Item: Sendable {
        case translate(Translator, Transaction, TranslationContext, file: String)
        case error(String)
    }

    /// What an item prints: an event's JSON, or an error line.
    enum Line: Sendable {
        case event([UInt8])
        case error(String)
    }

    /// The error line of a transaction that could not be translated.
    static func failure(_ error: MappingError, of transaction: Transaction, in file: String) -> String {
        "\(file): the transaction at byte \(transaction.byteOffset): \(error.description)"
    }

    /// The lines of `items`, in their order.
    static func run(_ items: [Item]) -> [Line] {
        guard !items.isEmpty else { return [] }
        var lines = [Line](repeating: .error(""), count: items.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, items.count / 16))
        lines.withUnsafeMutableBufferPointer { buffer in
            // Each worker writes only its own indices.
            nonisolated(unsafe) let buffer = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in stride(from: worker, to: items.count, by: workers) {
                    buffer[index] = Self.line(items[index])
                }
            }
        }
        return lines
    }

    private static func line(_ item: Item) -> Line {
        switch item {
        case .error(let text): return .error(text)
        case .translate(let translator, let transaction, let context, let file):
            var bytes: [UInt8] = []
            do throws(MappingError) {
                try translator.translateJSON(transaction, context: context, into: &bytes)
                return .event(bytes)
            } catch {
                return .error(Self.failure(error, of: transaction, in: file))
            }
        }
    }
}

import ArgumentParser
import EDICore
import EDISchema
import GatewayEngine
import GatewayPartners

/// `edigate validate FILE...`: reads each file and validates every transaction against its grammar.
struct ValidateCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate X12 and EDIFACT files against their document grammars.",
        discussion: """
            Checks every transaction against the grammar for its standard, version and document under --grammars.
            With --guide, checks every transaction against that one grammar file instead.
            Prints one line per finding: FILE: SEVERITY: expected X, found Y at byte N, segment N, REF.
            Exit status: 0 when every file is sound, 2 on any finding, 1 on usage, I/O or grammar errors.
            """
    )

    @Argument(help: "Files or folders to read; '-' reads standard input.")
    var files: [String]

    @Option(help: "A grammar file to validate every transaction against, instead of looking one up.")
    var guide: String?

    @Option(help: "The folder of grammars, laid out as Maps/Grammars is.")
    var grammars = "Maps/Grammars"

    @Option(help: "The most findings reported for one transaction (default 100, or the partner's limit).")
    var maximumFindings: Int?

    @Option(
        help: """
            The partner the files come from: its profile's rule strictness (off, lenient: a warning), finding limit \
            and HL hierarchy apply.
            """
    )
    var partner: String?

    @Option(help: "The folder of partner profiles.")
    var profiles = "PartnerProfiles"

    func validate() throws {
        if self.files.isEmpty { throw ValidationError("Give at least one file, folder or '-'.") }
        if let maximumFindings, maximumFindings < 1 { throw ValidationError("--maximum-findings must be 1 or more.") }
    }

    /// Runs the command, writing to `output`; returns the exit status.
    func execute(into output: inout Output) -> Int32 {
        var partner: PartnerValidation?
        if let id = self.partner {
            guard let loaded = PartnerLoading.load(id, from: self.profiles, into: &output) else { return 1 }
            partner = loaded.validation
        }
        var configuration = partner?.configuration ?? ValidationConfiguration()
        if let maximumFindings { configuration.maximumFindingsPerTransaction = maximumFindings }
        /// The partner's settings for a transaction of `grammar`'s document (its hierarchy), else the command's.
        func settings(_ grammar: Grammar) -> ValidationConfiguration {
            partner?.settings(configuration, for: grammar.document) ?? configuration
        }
        /// A finding as the partner's strictness has it (`nil`: its rule is off), counted when it is an error.
        func report(_ finding: Finding, _ path: String, _ errors: inout Int) {
            guard let finding = partner.map({ $0.apply(finding) }) ?? finding else { return }
            if finding.severity == .error { errors += 1 }
            output.line("\(path): \(finding.severity.rawValue): \(finding)")
        }
        var guide: Grammar?
        if let path = self.guide {
            do throws(GrammarError) {
                guide = try GrammarLoader.load(path: path)
            } catch {
                output.errorLine(error.description)
                return 1
            }
        }
        var catalog = GrammarCatalog(directory: self.grammars)
        var status: Int32 = 0
        let reading = FileReading(configuration: partner?.readerConfiguration ?? ReaderConfiguration())
        for path in InputPaths.expand(self.files) {
            var syntaxVersion: String?
            var groupVersion: String?
            var findings = 0
            var readerErrors = 0
            var validated = 0
            var grammarError: GrammarError?
            do throws(InputFile.OpenError) {
                let outcome = try reading.read(path) { event in
                    switch event {
                    case .interchangeStart(let header):
                        syntaxVersion = header.version
                    case .groupStart(let header):
                        groupVersion = header.hasTag("GS") ? header[8]?.text : nil
                    case .finding(let finding):
                        report(finding, path, &readerErrors)
                    case .segment(let segment) where segment.hasTag("TA1"):
                        // An interchange acknowledgment stands outside any transaction: its own grammar.
                        let grammar: Grammar?
                        do throws(GrammarError) {
                            grammar = try catalog.grammar(
                                forInterchangeSegment: segment,
                                interchangeVersion: syntaxVersion
                            )
                        } catch {
                            if grammarError == nil { grammarError = error }
                            return
                        }
                        guard let grammar else { return }
                        validated += 1
                        for finding in Validator(grammar: grammar, configuration: settings(grammar)).validate(
                            segment: segment
                        ) {
                            report(finding, path, &findings)
                        }
                    case .transaction(let transaction):
                        let grammar: Grammar?
                        if let guide {
                            grammar = guide
                        } else {
                            do throws(GrammarError) {
                                grammar = try catalog.grammar(
                                    for: transaction,
                                    groupVersion: groupVersion,
                                    syntaxVersion: syntaxVersion
                                )
                            } catch {
                                if grammarError == nil { grammarError = error }
                                return
                            }
                        }
                        guard let found = grammar else {
                            report(Validator.notSupported(transaction), path, &findings)
                            return
                        }
                        let chosen = self.guide == nil ? partner?.grammar(replacing: found) ?? found : found
                        validated += 1
                        for finding in Validator(grammar: chosen, configuration: settings(chosen)).validate(
                            transaction
                        ) {
                            report(finding, path, &findings)
                        }
                    default:
                        break
                    }
                }
                if let error = outcome.syntaxError { output.line("\(path): error: \(error)") }
                if let grammarError {
                    output.errorLine(grammarError.description)
                    status = 1
                } else if readerErrors > 0 || outcome.syntaxError != nil || findings > 0 {
                    status = max(status, 2)
                    output.line(
                        "\(path): failed: \(outcome.transactions) transactions, \(validated) validated, "
                            + "\(findings) validation findings"
                    )
                } else {
                    output.line("\(path): ok: \(outcome.transactions) transactions, \(validated) validated")
                }
            } catch {
                output.errorLine(error.description)
                status = 1
            }
        }
        return status
    }
}

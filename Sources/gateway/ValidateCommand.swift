import ArgumentParser
import EDICore
import EDISchema

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

    @Option(help: "The most findings reported for one transaction.")
    var maximumFindings = 100

    func validate() throws {
        if self.files.isEmpty { throw ValidationError("Give at least one file, folder or '-'.") }
        if self.maximumFindings < 1 { throw ValidationError("--maximum-findings must be 1 or more.") }
    }

    /// Runs the command, writing to `output`; returns the exit status.
    func execute(into output: inout Output) -> Int32 {
        let configuration = ValidationConfiguration(maximumFindingsPerTransaction: self.maximumFindings)
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
        let reading = FileReading(configuration: ReaderConfiguration())
        for path in InputPaths.expand(self.files) {
            var syntaxVersion: String?
            var groupVersion: String?
            var findings = 0
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
                        output.line("\(path): \(finding.severity.rawValue): \(finding)")
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
                        for finding in Validator(grammar: grammar, configuration: configuration).validate(
                            segment: segment
                        ) {
                            if finding.severity == .error { findings += 1 }
                            output.line("\(path): \(finding.severity.rawValue): \(finding)")
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
                        guard let grammar else {
                            findings += 1
                            output.line("\(path): error: \(Validator.notSupported(transaction))")
                            return
                        }
                        validated += 1
                        for finding in Validator(grammar: grammar, configuration: configuration).validate(transaction) {
                            if finding.severity == .error { findings += 1 }
                            output.line("\(path): \(finding.severity.rawValue): \(finding)")
                        }
                    default:
                        break
                    }
                }
                if let error = outcome.syntaxError { output.line("\(path): error: \(error)") }
                if let grammarError {
                    output.errorLine(grammarError.description)
                    status = 1
                } else if outcome.errors > 0 || outcome.syntaxError != nil || findings > 0 {
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

import ArgumentParser
import EDICore

#if canImport(Glibc)
import Glibc
#endif

/// `edigate parse FILE...`: reads each file and reports every finding, or prints it as JSON.
struct ParseCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Read X12 and EDIFACT files and report every syntax and envelope finding.",
        discussion: """
            Prints one line per finding: FILE: SEVERITY: expected X, found Y at byte N, segment N, REF.
            With --json, prints one JSON document per file (its shape is in README.md).
            Exit status: 0 when every file is sound, 2 on any finding, 1 on usage or I/O errors.
            """
    )

    @Argument(help: "Files or folders to read; '-' reads standard input.")
    var files: [String]

    @Flag(help: "Print each file as JSON: envelopes, groups, transactions, segments, elements, components.")
    var json = false

    @Flag(help: "Count warnings (such as lowercase letters in UNOA) as findings for the exit status.")
    var strict = false

    func validate() throws {
        if self.files.isEmpty { throw ValidationError("Give at least one file, folder or '-'.") }
    }

    /// Runs the command, writing to `output`; returns the exit status.
    func execute(into output: inout Output) -> Int32 {
        var status: Int32 = 0
        let reading = FileReading(configuration: ReaderConfiguration(repertoire: self.strict ? .strict : .lenient))
        for path in InputPaths.expand(self.files) {
            do throws(InputFile.OpenError) {
                if self.json {
                    var writer = JSONEventWriter(path: path)
                    let outcome = try reading.read(path) { event in writer.write(event, into: &output) }
                    writer.finish(error: outcome.syntaxError, into: &output)
                    if outcome.errors > 0 || outcome.syntaxError != nil { status = max(status, 2) }
                    continue
                }
                let outcome = try reading.read(path) { event in
                    if case .finding(let finding) = event {
                        output.line("\(path): \(finding.severity.rawValue): \(finding)")
                    }
                }
                if let error = outcome.syntaxError { output.line("\(path): error: \(error)") }
                if outcome.errors > 0 || outcome.syntaxError != nil {
                    status = max(status, 2)
                } else {
                    let warnings = outcome.warnings > 0 ? ", \(outcome.warnings) warnings" : ""
                    output.line(
                        "\(path): ok: \(outcome.interchanges) interchanges, \(outcome.transactions) transactions\(warnings)"
                    )
                }
            } catch {
                output.errorLine(error.description)
                status = 1
            }
        }
        return status
    }
}

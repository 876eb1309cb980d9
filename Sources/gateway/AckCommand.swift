import ArgumentParser
import EDICore
import EDISchema
import GatewayEngine
import GatewayPartners

#if canImport(Glibc)
import Glibc
#endif

/// `edigate ack FILE --type ta1|997|999|contrl`: writes the acknowledgment of each interchange in FILE.
struct AckCommand: ConcurrentOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Write the acknowledgment (TA1, 997, 999 or CONTRL) of an X12 or EDIFACT file.",
        discussion: """
            Reads and validates FILE as 'validate' does.
            Writes one acknowledgment per interchange received, addressed back to its sender, to standard output.
            Exit status: 0 when written, 1 on usage, I/O or grammar errors, or when FILE holds no interchange.
            """
    )

    /// The acknowledgment kinds by the names users type.
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case ta1, functional997 = "997", implementation999 = "999", contrl
    }

    @Argument(help: "The file to acknowledge; '-' reads standard input.")
    var file: String

    @Option(help: "The acknowledgment to write.")
    var type: Kind

    @Option(help: "The folder of grammars, laid out as Maps/Grammars is.")
    var grammars = "Maps/Grammars"

    @Option(help: "The first interchange control number to use.")
    var controlNumber = 1

    @Option(help: "The date to write, CCYYMMDD (default: today, UTC).")
    var date: String?

    @Option(help: "The time to write, HHMM (default: now, UTC).")
    var time: String?

    @Flag(help: "Write a line break after each segment.")
    var lineBreaks = false

    @Option(
        help: """
            The partner the file comes from: its profile's rule strictness (a rule off or lenient rejects nothing), \
            finding limit and HL hierarchy apply.
            """
    )
    var partner: String?

    @Option(help: "The folder of partner profiles.")
    var profiles = "PartnerProfiles"

    func validate() throws {
        if self.controlNumber < 1 || self.controlNumber > 999_999_999 {
            throw ValidationError("--control-number must be between 1 and 999999999.")
        }
        if let date, date.utf8.count != 8 || !date.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            throw ValidationError("--date must be CCYYMMDD.")
        }
        if let time, time.utf8.count != 4 || !time.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            throw ValidationError("--time must be HHMM.")
        }
    }

    /// What reading and writing share: the writer, the kind asked for and the partner's settings.
    struct Setup {
        var writer: AcknowledgmentWriter
        let kind: AcknowledgmentKind
        let partner: PartnerValidation?
        let catalog: GrammarCatalog
    }

    /// Runs the command on the calling thread, writing to `output`; returns the exit status.
    func execute(into output: inout Output) -> Int32 {
        guard var setup = self.setup(into: &output) else { return 1 }
        var validation =
            setup.partner?.interchangeValidation(catalog: setup.catalog)
            ?? InterchangeValidation(catalog: setup.catalog)
        var reports: [InterchangeReport] = []
        var grammarError: GrammarError?
        let reading = FileReading(configuration: setup.partner?.readerConfiguration ?? ReaderConfiguration())
        do throws(InputFile.OpenError) {
            let outcome = try reading.read(self.file) { event in
                guard grammarError == nil else { return }
                do throws(GrammarError) {
                    if let report = try validation.add(event) { reports.append(report) }
                } catch {
                    grammarError = error
                }
            }
            if let report = validation.finish() { reports.append(report) }
            if let grammarError {
                output.errorLine(grammarError.description)
                return 1
            }
            if let error = outcome.syntaxError, reports.isEmpty {
                output.errorLine("\(self.file): \(error)")
                return 1
            }
        } catch {
            output.errorLine(error.description)
            return 1
        }
        return self.write(reports, &setup, into: &output)
    }

    /// Runs the command with the grammar checks spread over every core (``ConcurrentValidation``): the same
    /// acknowledgments as ``execute(into:)``, which the process's entry point runs this instead of.
    func executeOnEveryCore(into output: inout Output) async -> Int32 {
        guard var setup = self.setup(into: &output) else { return 1 }
        var validation =
            setup.partner?.interchangeValidation(catalog: setup.catalog, defersChecks: true)
            ?? InterchangeValidation(catalog: setup.catalog, defersChecks: true)
        var reports: [InterchangeReport] = []
        let file: InputFile
        do throws(InputFile.OpenError) {
            file = try InputFile(path: self.file)
        } catch {
            output.errorLine(error.description)
            return 1
        }
        defer { file.close() }
        var reader = EDIReader(configuration: setup.partner?.readerConfiguration ?? ReaderConfiguration())
        // As in `execute(into:)`, a syntax error ends reading and the interchanges read so far are acknowledged; a
        // file that cannot be read to its end is the command's error.
        var syntaxError: EDISyntaxError?
        var readError: InputFile.OpenError?
        do {
            try await ConcurrentValidation().run(
                &validation,
                next: {
                    guard syntaxError == nil else { return nil }
                    do throws(EDISyntaxError) {
                        return try reader.next(appending: {
                            do throws(InputFile.OpenError) {
                                let chunk = try file.read()
                                return chunk.isEmpty ? nil : chunk
                            } catch {
                                readError = error
                                return nil
                            }
                        })
                    } catch {
                        syntaxError = error
                        return nil
                    }
                },
                deliver: { reports.append($0) }
            )
        } catch {
            output.errorLine("\(error)")
            return 1
        }
        if let readError {
            output.errorLine(readError.description)
            return 1
        }
        if let syntaxError, reports.isEmpty {
            output.errorLine("\(self.file): \(syntaxError)")
            return 1
        }
        return self.write(reports, &setup, into: &output)
    }

    /// The writer, kind and partner; `nil` when the partner's profile does not load (said in `output`).
    func setup(into output: inout Output) -> Setup? {
        let (today, now) = Self.utcNow()
        let writer = AcknowledgmentWriter(
            options: AcknowledgmentOptions(
                controlNumbers: ControlNumbers(
                    interchange: self.controlNumber,
                    group: self.controlNumber,
                    transaction: 1
                ),
                date: self.date ?? today,
                time: self.time ?? now,
                lineBreak: self.lineBreaks ? .lf : .none
            )
        )
        let kind: AcknowledgmentKind =
            switch self.type {
            case .ta1: .ta1
            case .functional997: .functional997
            case .implementation999: .implementation999
            case .contrl: .contrl
            }
        var partner: PartnerValidation?
        if let id = self.partner {
            guard let loaded = PartnerLoading.load(id, from: self.profiles, into: &output) else { return nil }
            partner = loaded.validation
        }
        return Setup(writer: writer, kind: kind, partner: partner, catalog: GrammarCatalog(directory: self.grammars))
    }

    /// Writes the acknowledgment of each report; returns the exit status.
    func write(_ reports: [InterchangeReport], _ setup: inout Setup, into output: inout Output) -> Int32 {
        for received in reports {
            let report = setup.partner?.apply(received) ?? received
            let matches = (setup.kind == .contrl) == (report.standard == .edifact)
            guard matches else {
                let expected = setup.kind == .contrl ? "an EDIFACT interchange" : "an X12 interchange"
                output.errorLine(
                    "\(self.file): expected \(expected) for \(self.type.rawValue), found \(report.standard.rawValue)"
                )
                return 1
            }
            do throws(EDISyntaxError) {
                output.write(String(decoding: try setup.writer.write(setup.kind, for: report), as: UTF8.self))
                if !self.lineBreaks { output.write("\n") }
            } catch {
                output.errorLine("\(self.file): \(error)")
                return 1
            }
        }
        return 0
    }

    /// Today as CCYYMMDD and now as HHMM, in UTC.
    static func utcNow() -> (String, String) {
        var seconds = time_t(0)
        _ = Glibc.time(&seconds)
        var parts = tm()
        _ = gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return (
            "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))",
            two(parts.tm_hour) + two(parts.tm_min)
        )
    }
}

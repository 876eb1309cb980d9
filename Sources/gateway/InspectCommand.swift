import ArgumentParser
import EDICore

/// `edigate inspect FILE...`: a human summary of each interchange.
struct InspectCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract:
            "Summarize interchanges: standard, version, parties, control numbers, documents, delimiters, findings."
    )

    @Argument(help: "Files or folders to read; '-' reads standard input.")
    var files: [String]

    @Flag(help: "Count warnings as findings for the exit status.")
    var strict = false

    func validate() throws {
        if self.files.isEmpty { throw ValidationError("Give at least one file, folder or '-'.") }
    }

    func execute(into output: inout Output) -> Int32 {
        var status: Int32 = 0
        let reading = FileReading(configuration: ReaderConfiguration(repertoire: self.strict ? .strict : .lenient))
        for path in InputPaths.expand(self.files) {
            output.line(path)
            var summary = Summary()
            do throws(InputFile.OpenError) {
                let outcome = try reading.read(path) { event in summary.add(event, into: &output) }
                summary.close(into: &output)
                if let error = outcome.syntaxError {
                    output.line("  error: \(error)")
                }
                if outcome.errors > 0 || outcome.syntaxError != nil || (self.strict && outcome.warnings > 0) {
                    status = max(status, 2)
                }
                let verdict = outcome.syntaxError != nil ? "unreadable" : outcome.errors > 0 ? "findings" : "sound"
                output.line(
                    "  \(verdict): \(outcome.interchanges) interchanges, \(outcome.groups) groups, "
                        + "\(outcome.transactions) transactions, \(outcome.errors) errors, \(outcome.warnings) warnings"
                )
            } catch {
                output.errorLine(error.description)
                status = 1
            }
        }
        return status
    }
}

/// Accumulates what `inspect` prints per interchange.
private struct Summary {
    var interchange = 0
    var open = false
    var groups = 0
    var groupLine = ""
    var documents: [(String, Int)] = []
    var interchangeSegments: [String: Int] = [:]

    mutating func add(_ event: ReadEvent, into output: inout Output) {
        switch event {
        case .interchangeStart(let header):
            self.close(into: &output)
            self.interchange += 1
            self.open = true
            let version = header.version.map { " \($0)" } ?? ""
            output.line(
                "  interchange \(self.interchange): \(header.standard.rawValue)\(version), character set \(header.characterSet.name)"
            )
            if header.segment != nil {
                let sender = [header.senderQualifier, header.sender].compactMap { $0 }.joined(separator: ":")
                let receiver = [header.receiverQualifier, header.receiver].compactMap { $0 }.joined(separator: ":")
                output.line("    control number \(header.controlNumber ?? "-"), sender \(sender), receiver \(receiver)")
            } else {
                output.line("    messages without UNB")
            }
            output.line("    delimiters: \(Self.describe(header.delimiters))")
        case .segment(let segment):
            self.interchangeSegments[segment.tag, default: 0] += 1
        case .groupStart(let header):
            self.groups += 1
            let group = Group(header: header)
            self.groupLine =
                "    group \(self.groups): \(group.functionalIdentifier ?? "-"), control number \(group.controlNumber ?? "-"), version \(group.version ?? "-")"
            self.documents = []
        case .transaction(let transaction):
            if self.groupLine.isEmpty {
                self.groupLine = "    messages without a functional group"
                self.documents = []
            }
            let type = transaction.type + (transaction.version.map { " \($0)" } ?? "")
            if let index = self.documents.firstIndex(where: { $0.0 == type }) {
                self.documents[index].1 += 1
            } else {
                self.documents.append((type, 1))
            }
        case .groupEnd:
            self.flushGroup(into: &output)
        case .interchangeEnd:
            self.close(into: &output)
        case .finding(let finding):
            output.line("    \(finding.severity.rawValue): \(finding)")
        }
    }

    mutating func flushGroup(into output: inout Output) {
        guard !self.groupLine.isEmpty else { return }
        output.line(self.groupLine)
        let list = self.documents.map { "\($0.0) ×\($0.1)" }.joined(separator: ", ")
        output.line("      documents: \(list.isEmpty ? "none" : list)")
        self.groupLine = ""
    }

    mutating func close(into output: inout Output) {
        self.flushGroup(into: &output)
        guard self.open else { return }
        if !self.interchangeSegments.isEmpty {
            let list = self.interchangeSegments.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
            output.line("    interchange-level segments: \(list.joined(separator: ", "))")
            self.interchangeSegments = [:]
        }
        self.open = false
        self.groups = 0
    }

    static func describe(_ delimiters: Delimiters) -> String {
        var parts = [
            "element \(Quote.byte(delimiters.element))",
            "component \(Quote.byte(delimiters.component))",
            "repetition \(delimiters.repetition.map(Quote.byte) ?? "none")",
            "segment terminator \(Quote.bytes(delimiters.segmentTerminator))",
        ]
        if let release = delimiters.release { parts.append("release \(Quote.byte(release))") }
        if delimiters.decimalMark != UInt8(ascii: ".") {
            parts.append("decimal mark \(Quote.byte(delimiters.decimalMark))")
        }
        return parts.joined(separator: ", ")
    }
}

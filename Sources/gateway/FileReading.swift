import EDICore

/// Reads one input file through an ``EDIReader`` and hands each event to a closure.
struct FileReading {
    /// What reading one file came to.
    struct Outcome {
        var interchanges = 0
        var groups = 0
        var transactions = 0
        var errors = 0
        var warnings = 0
        var syntaxError: EDISyntaxError?
    }

    let configuration: ReaderConfiguration

    /// Reads `path`, calling `body` for every event; a syntax error ends reading and is returned in the outcome.
    func read(_ path: String, _ body: (ReadEvent) -> Void) throws(InputFile.OpenError) -> Outcome {
        let file = try InputFile(path: path)
        defer { file.close() }
        var reader = EDIReader(configuration: self.configuration)
        var outcome = Outcome()
        func drain(_ reader: inout EDIReader) -> Bool {
            do throws(EDISyntaxError) {
                while let event = try reader.next() {
                    switch event {
                    case .interchangeStart: outcome.interchanges += 1
                    case .groupStart: outcome.groups += 1
                    case .transaction: outcome.transactions += 1
                    case .finding(let finding):
                        if finding.severity == .error { outcome.errors += 1 } else { outcome.warnings += 1 }
                    default: break
                    }
                    body(event)
                }
                return true
            } catch {
                outcome.syntaxError = error
                return false
            }
        }
        while true {
            let chunk = try file.read()
            if chunk.isEmpty { break }
            reader.append(chunk)
            if !drain(&reader) { return outcome }
        }
        reader.finish()
        _ = drain(&reader)
        return outcome
    }
}

import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// The `edigate` command: reads, inspects and (in later work) validates, translates and exchanges EDI.
@main
struct Gateway: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edigate",
        abstract: "An EDI and B2B partner gateway for X12 and EDIFACT.",
        discussion: """
            Exit status: 0 when every input is sound, 2 when any finding was reported, 1 on usage or I/O errors.
            """,
        subcommands: [
            ParseCommand.self, InspectCommand.self, ValidateCommand.self, AckCommand.self, TranslateCommand.self,
            RenderCommand.self, PartnersCommand.self,
        ]
    )

    static func main() async {
        MemoryPolicy.apply()
        var output = Output.standardOutput
        let status = await Self.runOnEveryCore(Array(CommandLine.arguments.dropFirst()), into: &output)
        output.flush()
        Glibc.exit(status)
    }

    /// ``run(_:into:)`` for the process: a command that can spread its work over every core does so.
    static func runOnEveryCore(_ arguments: [String], into output: inout Output) async -> Int32 {
        if let command = try? Self.parseAsRoot(arguments) as? any ConcurrentOutputCommand {
            return await command.executeOnEveryCore(into: &output)
        }
        return Self.run(arguments, into: &output)
    }

    /// Parses `arguments` and runs the command, writing to `output`; returns the exit status. Tests call this in
    /// process, with output in memory.
    ///
    /// Usage errors exit with 1, as the README promises, not argument-parser's 64 (`EX_USAGE`).
    static func run(_ arguments: [String], into output: inout Output) -> Int32 {
        do {
            var command = try Self.parseAsRoot(arguments)
            if let command = command as? any OutputCommand { return command.execute(into: &output) }
            try command.run()
            return 0
        } catch {
            let code = Self.exitCode(for: error)
            let message = Self.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { output.line(message) }
                return 0
            }
            if !message.isEmpty { output.errorLine(message, prefixed: false) }
            return code == .validationFailure ? 1 : code.rawValue
        }
    }
}

/// A subcommand that writes its results to an ``Output`` and returns its exit status.
protocol OutputCommand: ParsableCommand {
    func execute(into output: inout Output) -> Int32
}

/// An ``OutputCommand`` that can also run with its work spread over every core, giving the same output; the
/// process runs that one, tests in process either.
protocol ConcurrentOutputCommand: OutputCommand {
    func executeOnEveryCore(into output: inout Output) async -> Int32
}

extension OutputCommand {
    /// Runs on standard output; a status other than 0 leaves as `ExitCode`.
    func run() throws {
        var output = Output.standardOutput
        let status = self.execute(into: &output)
        output.flush()
        if status != 0 { throw ExitCode(status) }
    }
}

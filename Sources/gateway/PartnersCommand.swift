import ArgumentParser
import GatewayPartners

/// `edigate partners check` and `edigate partners show ID`: partner profiles from `PartnerProfiles/*.yaml`.
struct PartnersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partners",
        abstract: "Check partner profiles, or show one.",
        subcommands: [PartnersCheckCommand.self, PartnersShowCommand.self]
    )
}

/// `edigate partners check [--directory DIR]`: loads every profile and reports every problem.
struct PartnersCheckCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every partner profile (*.yaml) in a folder.",
        discussion: """
            Checks required keys, types, allowed values, unknown keys, inline secrets and partner ids used twice.
            Prints one line per problem: FILE:LINE:COLUMN: expected X, found Y; then a summary.
            Exit status: 0 when every profile is sound, 2 on any problem, 1 when the folder cannot be read.
            """
    )

    @Option(help: "The folder of partner profiles.")
    var directory = "PartnerProfiles"

    /// Runs the command, writing to `output`; returns the exit status.
    func execute(into output: inout Output) -> Int32 {
        let loaded = PartnerProfileLoader.load(directory: self.directory)
        if let problem = PartnersShowCommand.unreadableFolder(loaded, self.directory) {
            output.errorLine(problem)
            return 1
        }
        for error in loaded.errors { output.line(error.description) }
        let sound = Self.count(loaded.profiles.count, "profile") + " ok"
        guard loaded.errors.isEmpty else {
            let files = Set(loaded.errors.map(\.location.file)).count
            output.line(
                "failed: " + Self.count(loaded.errors.count, "error") + " in " + Self.count(files, "file") + ", "
                    + sound
            )
            return 2
        }
        output.line(sound)
        return 0
    }

    /// `1 profile`, `3 profiles`.
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)" + (number == 1 ? "" : "s")
    }
}

/// `edigate partners show ID [--directory DIR] [--json]`: one profile with every default written out.
struct PartnersShowCommand: OutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print one partner profile with every default written out.",
        discussion: """
            Prints the profile as YAML, or with --json as JSON valid against PartnerProfiles/partner-profile.schema.json.
            Secrets appear only as their references (file:PATH or env:NAME).
            Exit status: 0 when shown, 2 when the partner's profile has problems, 1 for an unknown partner or folder.
            """
    )

    @Argument(help: "The partner id, such as acme-parcel.")
    var id: String

    @Option(help: "The folder of partner profiles.")
    var directory = "PartnerProfiles"

    @Flag(help: "Print JSON instead of YAML.")
    var json = false

    /// Runs the command, writing to `output`; returns the exit status.
    func execute(into output: inout Output) -> Int32 {
        let loaded = PartnerProfileLoader.load(directory: self.directory)
        if let problem = Self.unreadableFolder(loaded, self.directory) {
            output.errorLine(problem)
            return 1
        }
        guard let profile = loaded[self.id] else {
            if !loaded.errors.isEmpty {
                // The partner's own file may be among those with problems: show them all.
                for error in loaded.errors { output.line(error.description) }
                output.errorLine("no sound profile '\(self.id)' in \(self.directory); fix the problems above")
                return 2
            }
            let known = loaded.profiles.map(\.id).joined(separator: ", ")
            output.errorLine("no partner '\(self.id)' in \(self.directory) (known: \(known.isEmpty ? "none" : known))")
            return 1
        }
        if self.json {
            output.write(profile.json())
            return 0
        }
        do {
            let source = loaded.sources[profile.id] ?? self.directory
            output.line("# \(profile.id) from \(source), with every default written out")
            output.write(try profile.yaml())
        } catch {
            output.errorLine("cannot write \(profile.id) as YAML: \(error)")
            return 1
        }
        return 0
    }

    /// The message for a folder that could not be listed, which is an I/O error rather than a profile problem.
    static func unreadableFolder(_ loaded: PartnerProfileSet, _ directory: String) -> String? {
        guard loaded.errors.count == 1, let error = loaded.errors.first, error.code == .unreadableFile,
            error.location.file == directory
        else { return nil }
        return "cannot read \(directory): not a folder that can be listed"
    }
}

import ArgumentParser

/// The `edigate` command: reads, inspects and (in later work) validates, translates and exchanges EDI.
@main
struct Gateway: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edigate",
        abstract: "An EDI and B2B partner gateway for X12 and EDIFACT.",
        discussion: """
            Exit status: 0 when every input is sound, 2 when any finding was reported, 1 on usage or I/O errors.
            """,
        subcommands: [ParseCommand.self, InspectCommand.self]
    )
}

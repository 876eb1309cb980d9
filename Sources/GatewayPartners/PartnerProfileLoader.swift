import FoundationEssentials
import Yams

/// Loads partner profiles (`PartnerProfiles/*.yaml`, format in `PartnerProfiles/README.md`) and checks them: every
/// required key, every type, every allowed value, no unknown keys, no inline secrets, no partner id twice. Every
/// problem of every file is reported, as `file:line:column: expected …, found …`.
///
/// The YAML is composed into nodes (`Yams.compose`), not decoded into types, so each value keeps the line and
/// column it was written at. `PartnerProfiles/partner-profile.schema.json` describes the same format for editors.
///
/// ```swift
/// let loaded = PartnerProfileLoader.load(directory: "PartnerProfiles")
/// guard loaded.errors.isEmpty else {
///     for error in loaded.errors { print(error) }
///     return
/// }
/// ```
public enum PartnerProfileLoader {
    /// The largest profile file read, in bytes; a profile is a page of settings.
    public static let maximumFileSize = 1 << 20

    /// Loads every `*.yaml` file directly in `directory`, in name order; a partner id used twice is an error at
    /// the second file.
    public static func load(directory: String) -> PartnerProfileSet {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            return PartnerProfileSet(
                profiles: [],
                errors: [.unreadableFile(directory, reason: "no folder that can be listed")],
                sources: [:]
            )
        }
        let paths = names.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.sorted().map {
            directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0
        }
        return self.combine(paths.map { self.read(path: $0) })
    }

    /// Loads the profile file at `path`.
    public static func load(path: String) -> PartnerProfileSet {
        self.combine([self.read(path: path)])
    }

    /// Parses and checks profile text; `source` names it in errors.
    public static func parse(_ text: String, source: String) -> PartnerProfileSet {
        self.combine([self.read(text: text, source: source)])
    }

    /// Plain scalars resolved as YAML 1.1 resolves them, the way PyYAML and most editors do: `0123456789` and `1e5`
    /// are text, `004010` is an integer, `off` a boolean. Yams' defaults read a number without a decimal point as a
    /// float, so a GLN written with a leading zero would differ between the loader and a JSON Schema validator.
    static let resolver: Resolver = {
        let integer =
            "^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
            + "|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"
        let float =
            "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
            + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"
        do {
            return try Resolver.default.replacing(.int, with: integer).replacing(.float, with: float)
        } catch {
            preconditionFailure("the YAML 1.1 patterns compile: \(error)")
        }
    }()

    /// One file's outcome, before profiles are compared with each other.
    struct FileOutcome {
        let source: String
        let profile: (profile: PartnerProfile, idLocation: ProfileError.Location)?
        let errors: [ProfileError]
    }

    static func read(path: String) -> FileOutcome {
        guard let data = FileManager.default.contents(atPath: path) else {
            return FileOutcome(source: path, profile: nil, errors: [.unreadableFile(path, reason: "no file")])
        }
        guard data.count <= self.maximumFileSize else {
            let reason = "\(data.count) bytes, more than the \(self.maximumFileSize) allowed"
            return FileOutcome(source: path, profile: nil, errors: [.unreadableFile(path, reason: reason)])
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            let error = ProfileError.malformedYAML(
                problem: "bytes that are not UTF-8",
                at: ProfileError.Location(file: path, line: 1, column: 1)
            )
            return FileOutcome(source: path, profile: nil, errors: [error])
        }
        return self.read(text: text, source: path)
    }

    static func read(text: String, source: String) -> FileOutcome {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, Self.resolver)
        } catch {
            return FileOutcome(
                source: source,
                profile: nil,
                errors: [self.yamlError(error, text: text, source: source)]
            )
        }
        guard let root else {
            let error = ProfileError.malformedYAML(
                problem: "an empty file",
                at: ProfileError.Location(file: source, line: 1, column: 1)
            )
            return FileOutcome(source: source, profile: nil, errors: [error])
        }
        var reader = ProfileReader(file: source)
        let profile = reader.profile(root)
        let errors = reader.errors.enumerated().sorted {
            ($0.element.location.line, $0.element.location.column, $0.offset)
                < ($1.element.location.line, $1.element.location.column, $1.offset)
        }.map(\.element)
        return FileOutcome(source: source, profile: profile, errors: errors)
    }

    /// Joins the files' outcomes and reports each partner id used again.
    static func combine(_ outcomes: [FileOutcome]) -> PartnerProfileSet {
        var profiles: [PartnerProfile] = []
        var errors: [ProfileError] = []
        var sources: [String: String] = [:]
        var firstLocation: [String: ProfileError.Location] = [:]
        for outcome in outcomes {
            errors.append(contentsOf: outcome.errors)
            guard let (profile, idLocation) = outcome.profile else { continue }
            if let first = firstLocation[profile.id] {
                errors.append(.duplicatePartnerID(profile.id, first: first, at: idLocation))
                continue
            }
            firstLocation[profile.id] = idLocation
            sources[profile.id] = outcome.source
            profiles.append(profile)
        }
        return PartnerProfileSet(profiles: profiles, errors: errors, sources: sources)
    }

    /// A YAML error at its place: libyaml's problem text names no values, only what broke.
    static func yamlError(_ error: any Error, text: String, source: String) -> ProfileError {
        func at(_ mark: Mark) -> ProfileError.Location {
            ProfileError.Location(file: source, line: mark.line, column: mark.column)
        }
        guard let error = error as? YamlError else {
            return .malformedYAML(
                problem: "an error: \(error)",
                at: ProfileError.Location(file: source, line: 1, column: 1)
            )
        }
        switch error {
        case .scanner(_, let problem, let mark, _):
            return .malformedYAML(problem: "a scanner error: \(problem)", at: at(mark))
        case .parser(_, let problem, let mark, _):
            return .malformedYAML(problem: "a parser error: \(problem)", at: at(mark))
        case .composer(_, let problem, let mark, _):
            return .malformedYAML(problem: "a composer error: \(problem)", at: at(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .duplicateKey(duplicates.first ?? "", at: at(context.mark))
        case .reader(let problem, let offset, _, _):
            var line = 1
            var column = 1
            for character in text.prefix(offset ?? 0) {
                if character.isNewline {
                    line += 1
                    column = 1
                } else {
                    column += character.unicodeScalars.count
                }
            }
            return .malformedYAML(
                problem: "a reader error: \(problem)",
                at: ProfileError.Location(file: source, line: line, column: column)
            )
        default:
            return .malformedYAML(
                problem: "an error: \(error)",
                at: ProfileError.Location(file: source, line: 1, column: 1)
            )
        }
    }
}

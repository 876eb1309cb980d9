/// Where a secret is kept, never the secret itself: a file path or an environment variable, resolved when the
/// transport needs it. Profiles are committed and reviewed; secrets are not.
public enum SecretReference: Sendable, Hashable, CustomStringConvertible {
    /// The secret is the content of this file (a key, a password file), read at use.
    case file(String)
    /// The secret is the value of this environment variable, read at use.
    case environment(String)

    /// `file:PATH` or `env:NAME`, as profiles write it; never the value.
    public var description: String {
        switch self {
        case .file(let path): "file:\(path)"
        case .environment(let name): "env:\(name)"
        }
    }

    /// Parses `file:PATH` or `env:NAME`; `nil` for anything else (a secret written inline is refused).
    public init?(_ text: String) {
        if text.hasPrefix("file:"), text.count > 5 {
            self = .file(String(text.dropFirst(5)))
        } else if text.hasPrefix("env:"), text.count > 4 {
            self = .environment(String(text.dropFirst(4)))
        } else {
            return nil
        }
    }
}

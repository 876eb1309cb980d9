#if canImport(Glibc)
import Glibc
#endif

/// What every fuzz target shares: where the repository is, and how a failed check ends the run.
public enum Fuzz {
    /// The repository root: `EDIGATE_ROOT` when set, else the folder this package was built from.
    public static let root: String = {
        if let value = getenv("EDIGATE_ROOT") { return String(cString: value) }
        // …/Fuzz/Sources/FuzzSupport/FuzzSupport.swift → …
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/")
    }()

    /// The input as an array.
    public static func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Traps with the failure of a check, so libFuzzer saves the input as a crash.
    public static func trap(on failure: String?) {
        if let failure { fatalError("invariant broken: " + failure) }
    }
}

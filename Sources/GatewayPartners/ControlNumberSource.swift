/// Issues outbound control numbers: per partner and level, in order, with no gaps.
///
/// Partners reconcile control numbers: a gap in ISA13 or ST02 looks like a lost interchange, and a repeat looks
/// like a duplicate. The store persists the counters (later work); profiles give only the starting number and
/// width (``ControlNumberSettings``).
///
/// ```swift
/// let source: any ControlNumberSource = InMemoryControlNumberSource(profiles: loaded.profiles)
/// let isa13 = try await source.next(for: "northwind-retail", level: .interchange)   // 1, then 2, 3…
/// ```
///
/// Implementation requirements: for one partner and level, each call returns the previous number plus one
/// (after the width's maximum, 1), starting at the profile's `start`, also under concurrent calls; a number is
/// returned once, and it survives a restart in a persistent conformer. Levels and partners count independently.
public protocol ControlNumberSource: Sendable {
    /// The next control number for `partner` (a profile id) at `level`.
    func next(for partner: String, level: ControlNumberLevel) async throws -> Int
}

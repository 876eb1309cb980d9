import Synchronization

/// A ``ControlNumberSource`` in memory, for tests and single runs: gapless per partner and level while the process
/// lives, lost when it ends.
///
/// ```swift
/// let source = InMemoryControlNumberSource(profiles: loaded.profiles)
/// source.next(for: "acme-parcel", level: .group)   // the profile's group start, then one more each call
/// ```
public final class InMemoryControlNumberSource: ControlNumberSource {
    private struct Key: Hashable {
        let partner: String
        let level: ControlNumberLevel
    }

    private let settings: [String: ControlNumberSettings]
    /// The last number issued per partner and level.
    private let issued = Mutex<[Key: Int]>([:])

    /// Creates a source; partners absent from `settings` use ``ControlNumberSettings``' defaults.
    public init(settings: [String: ControlNumberSettings] = [:]) {
        self.settings = settings
    }

    /// Creates a source that starts each partner at its profile's numbers.
    public convenience init(profiles: [PartnerProfile]) {
        var settings: [String: ControlNumberSettings] = [:]
        for profile in profiles { settings[profile.id] = profile.controlNumbers }
        self.init(settings: settings)
    }

    /// The next number for `partner` at `level`: the start first, then one more each call, 1 after the maximum.
    public func next(for partner: String, level: ControlNumberLevel) -> Int {
        let format = (self.settings[partner] ?? ControlNumberSettings())[level]
        let key = Key(partner: partner, level: level)
        return self.issued.withLock { issued in
            let number: Int
            if let last = issued[key] {
                number = last >= format.maximum ? 1 : last + 1
            } else {
                number = format.start
            }
            issued[key] = number
            return number
        }
    }
}

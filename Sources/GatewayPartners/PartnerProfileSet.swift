/// What loading profiles came to: the profiles that passed every check, and every problem found.
///
/// A profile with any problem is left out of ``profiles``; the others stay usable, so one bad file does not stop
/// the gateway from knowing the rest. `edigate partners check` fails when ``errors`` is not empty.
///
/// ```swift
/// let loaded = PartnerProfileLoader.load(directory: "PartnerProfiles")
/// loaded.errors.isEmpty            // every profile sound
/// loaded["rhein-logistik"]?.acknowledgments.contrl   // true
/// loaded.sources["rhein-logistik"] // "PartnerProfiles/rhein-logistik.yaml"
/// ```
public struct PartnerProfileSet: Sendable {
    /// The sound profiles, in file name order.
    public let profiles: [PartnerProfile]
    /// Every problem, by file and then by line and column.
    public let errors: [ProfileError]
    /// The file each profile came from, by partner id.
    public let sources: [String: String]

    init(profiles: [PartnerProfile], errors: [ProfileError], sources: [String: String]) {
        self.profiles = profiles
        self.errors = errors
        self.sources = sources
    }

    /// The profile with `id`, if it loaded.
    public subscript(id: String) -> PartnerProfile? {
        self.profiles.first { $0.id == id }
    }
}

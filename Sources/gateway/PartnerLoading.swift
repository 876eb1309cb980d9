import EDISchema
import GatewayEngine
import GatewayPartners

/// The `--partner ID` the commands share: the profile from `--profiles` and its validation settings.
enum PartnerLoading {
    /// The profile `id` under `directory` with its settings; `nil` after an error line when there is no such profile
    /// or a grammar its agreements name does not load.
    static func load(_ id: String, from directory: String, into output: inout Output) -> (
        profile: PartnerProfile, validation: PartnerValidation
    )? {
        guard let profile = PartnerProfileLoader.load(directory: directory)[id] else {
            output.errorLine("\(directory): no partner profile '\(id)'")
            return nil
        }
        do throws(GrammarError) {
            return (profile, try PartnerValidation(profile: profile))
        } catch {
            output.errorLine(error.description)
            return nil
        }
    }
}

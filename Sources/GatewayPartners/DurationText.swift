/// Durations as profiles write them: a number and `s`, `m`, `h` or `d`.
enum DurationText {
    static func parse(_ text: String) -> Duration? {
        guard let unit = text.last, let count = Int(text.dropLast()) else { return nil }
        switch unit {
        case "s": return .seconds(count)
        case "m": return .seconds(count * 60)
        case "h": return .seconds(count * 3600)
        case "d": return .seconds(count * 86400)
        default: return nil
        }
    }

    /// The largest whole unit, hours up to three days: `24h`, `90m`, `5d`.
    static func text(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        // Up to three days, hours read better ("24h", "48h"), as acknowledgment windows are written.
        if seconds > 0 && seconds % 3600 == 0 && seconds <= 72 * 3600 { return "\(seconds / 3600)h" }
        if seconds > 0 && seconds % 86400 == 0 { return "\(seconds / 86400)d" }
        if seconds > 0 && seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds > 0 && seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}

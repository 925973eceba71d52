import ArgumentParser

/// Ranges of numeric options, checked in `validate()` so that an out-of-range value names the
/// range (docs/scenario-format.md, "Ranges"). Numeric options are declared with
/// `parsing: .unconditional`, so that `--iterations -5` reaches this check instead of being
/// read as an unknown flag ("Missing value").
enum OptionRange {
    static let iterations = 0...1_000_000_000
    /// Seconds: above 0, at most a day.
    static let seconds = 0.0...86_400.0

    static func check(_ flag: String, _ value: Int?, in range: ClosedRange<Int>) throws {
        if let value, !range.contains(value) {
            throw ValidationError("\(flag): must be in \(range.lowerBound)…\(range.upperBound), got \(value)")
        }
    }

    /// Seconds must be above 0 (a zero budget plans nothing).
    static func checkSeconds(_ flag: String, _ value: Double?) throws {
        if let value, !(value > seconds.lowerBound && value <= seconds.upperBound) {
            throw ValidationError("\(flag): must be in 0…86400 (exclusive of 0), got \(value)")
        }
    }
}

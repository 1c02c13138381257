/// Order statistics over timed samples.
enum Statistics {
    /// The median: the middle sample, or the mean of the two middle ones.
    static func median(_ samples: [Duration]) -> Duration {
        percentile(samples, 0.5)
    }

    /// The `fraction` quantile by linear interpolation between the closest ranks; `.zero` with no samples.
    static func percentile(_ samples: [Duration], _ fraction: Double) -> Duration {
        guard !samples.isEmpty else { return .zero }
        let sorted = samples.sorted()
        let rank = fraction * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let weight = rank - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * weight
    }
}

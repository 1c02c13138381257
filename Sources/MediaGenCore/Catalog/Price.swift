import Foundation

/// What one unit of a model's work costs.
///
/// ```swift
/// let beatFusion = Price(.usd(0.75), per: .task)
/// print(beatFusion.cost(duration: .seconds(30)))  // $0.75
/// let metered = Price(.usd(0.05), per: .outputSecond)
/// print(metered.cost(duration: .seconds(10)))     // $0.50
/// ```
public struct Price: Hashable, Sendable, Codable, CustomStringConvertible {
    /// What the price is counted per.
    public enum Unit: String, Hashable, Sendable, Codable {
        /// Each task (Skytells predictions, Beatra tasks, BeatAPI workflows).
        case task
        /// Each second of generated media.
        case outputSecond
        /// Each file produced.
        case output
    }

    public var amount: Money
    public var unit: Unit

    public init(_ amount: Money, per unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    /// The cost of one task producing `outputs` files of `duration` each; `nil` when the duration
    /// is needed and not given.
    public func cost(duration: Duration? = nil, outputs: Int = 1) -> Money? {
        switch unit {
        case .task:
            return amount
        case .output:
            return amount * Decimal(max(outputs, 0))
        case .outputSecond:
            guard let duration else { return nil }
            let seconds =
                Decimal(duration.components.seconds)
                + Decimal(duration.components.attoseconds) / Decimal(1_000_000_000_000_000_000)
            return amount * seconds * Decimal(max(outputs, 0))
        }
    }

    public var description: String {
        switch unit {
        case .task: "\(amount) per task"
        case .outputSecond: "\(amount) per second"
        case .output: "\(amount) per output"
        }
    }
}

/// A tiny, fast, seeded random number generator (Steele, Lea and Flood's SplitMix64): the same seed
/// gives the same numbers on every platform and Swift version, so a failure found by a fuzz run
/// reproduces from its seed alone.
///
/// ```swift
/// var random = SplitMix64(seed: 42)
/// let first = random.next()                  // always 0xBDD732262FEB6E95 for seed 42
/// let die = random.next(below: 6) + 1        // 1...6
/// let coin = Bool.random(using: &random)     // works with any API taking a generator
/// ```
///
/// Not for cryptography. ``next(below:)`` is its own bounded draw, not the standard library's
/// `random(in:using:)`, whose algorithm may change between Swift releases.
public struct SplitMix64: RandomNumberGenerator, Hashable, Sendable {
    /// The internal state: the seed, advanced by a fixed odd constant at each draw.
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A number in `0..<upperBound` (0 when `upperBound` is not positive), by Lemire's
    /// multiply-shift: stable across releases, with a bias below 2⁻³² for the small bounds fuzzing uses.
    public mutating func next(below upperBound: Int) -> Int {
        guard upperBound > 0 else { return 0 }
        return Int(next().multipliedFullWidth(by: UInt64(upperBound)).high)
    }

    /// SplitMix64's output function: scrambles `value` so that nearby inputs give unrelated outputs.
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

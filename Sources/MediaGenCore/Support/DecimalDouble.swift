import Foundation

extension Decimal {
    /// The `Double` nearest this value, the one reading its decimal text gives (`0.42` → `0.42`;
    /// `NSDecimalNumber.doubleValue` gives `0.42000000000000004`). `nan` for NaN.
    ///
    /// ```swift
    /// Decimal(string: "0.42")?.nearestDouble  // 0.42
    /// ```
    ///
    /// A value whose digits fit in 53 bits with at most 22 decimal places either way is computed
    /// with one division or multiplication by an exact power of ten, which IEEE 754 rounds
    /// correctly: the same `Double` as parsing the text, without printing it. Anything longer is
    /// parsed from its text.
    package var nearestDouble: Double {
        guard !isNaN else { return .nan }
        let places = abs(exponent)
        if places < Self.exactPowersOfTen.count {
            let digits = NSDecimalNumber(decimal: significand).uint64Value
            if digits <= 1 << 53, Decimal(digits) == significand {
                let power = Self.exactPowersOfTen[places]
                let magnitude = exponent < 0 ? Double(digits) / power : Double(digits) * power
                return sign == .minus ? -magnitude : magnitude
            }
        }
        return Double("\(self)") ?? .nan
    }

    /// 10⁰ … 10²², every one exactly representable in a `Double`.
    private static let exactPowersOfTen: [Double] = (1...22).reduce(into: [1]) { powers, _ in
        powers.append((powers.last ?? 1) * 10)
    }
}

import Foundation
import MediaGenCore
import Testing

/// `Decimal.nearestDouble` computes short values without printing them; it must give exactly
/// the `Double` that parsing the decimal text gives, short or long.
struct DecimalDoubleTests {
    private static let posix = Locale(identifier: "en_US_POSIX")

    @Test(arguments: [
        "0", "0.42", "-0.42", "1", "100", "0.1", "0.3", "2.5", "1e22", "1e-22", "9007199254740992", "9007199254740993",
        "123456789.123456789", "1e23", "1e-30", "0.000000000000000000000001", "-1234.5678", "99.99",
    ])
    func matchesReadingTheText(text: String) throws {
        let decimal = try #require(Decimal(string: text, locale: Self.posix))
        #expect(decimal.nearestDouble == Double("\(decimal)"), "\(text)")
    }

    @Test func matchesReadingTheTextForRandomValues() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let digits =
                UInt64.random(in: 0...(1 << 54), using: &generator) >> UInt64.random(in: 0...50, using: &generator)
            let exponent = Int.random(in: -26...26, using: &generator)
            let sign = Bool.random(using: &generator) ? "-" : ""
            let decimal = try #require(Decimal(string: "\(sign)\(digits)e\(exponent)", locale: Self.posix))
            #expect(decimal.nearestDouble == Double("\(decimal)"), "\(decimal)")
        }
    }

    @Test func nanStaysNaN() {
        #expect(Decimal.nan.nearestDouble.isNaN)
    }
}

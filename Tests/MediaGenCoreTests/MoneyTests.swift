import Foundation
import MediaGenCore
import Testing

/// An exact decimal from its text (a float literal would go through `Double`).
private func decimal(_ text: String) -> Decimal {
    Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
}

struct MoneyDescriptionCase: Sendable, CustomTestStringConvertible {
    let amount: String
    let expected: String
    var testDescription: String { "\(amount) → \(expected)" }
}

struct MoneyTests {
    static let beatra = Currency.credits("Beatra credits", perUSD: 1000)
    static let beatAPI = Currency.credits("BeatAPI credits", perUSD: nil)
    static let cents = Currency.credits("cents", perUSD: 100)

    // MARK: Conversions

    @Test func creditsConvertToDollarsAtTheirRate() {
        #expect(Money(80, Self.beatra).converted(to: .usd) == .usd(decimal("0.08")))
        #expect(Money(1500, Self.beatra).converted(to: .usd) == .usd(decimal("1.5")))
    }

    @Test func dollarsConvertToCreditsAtTheirRate() {
        #expect(Money.usd(decimal("1.5")).converted(to: Self.beatra) == Money(1500, Self.beatra))
        #expect(Money.usd(decimal("0.08")).converted(to: Self.beatra) == Money(80, Self.beatra))
    }

    @Test func creditsConvertToOtherCreditsThroughTheDollar() {
        #expect(Money(80, Self.beatra).converted(to: Self.cents) == Money(8, Self.cents))
    }

    @Test func conversionWithAnUnknownRateIsNil() {
        #expect(Money(120, Self.beatAPI).converted(to: .usd) == nil)
        #expect(Money.usd(1).converted(to: Self.beatAPI) == nil)
        #expect(Money(120, Self.beatAPI).converted(to: Self.beatra) == nil)
    }

    @Test func conversionToTheSameCurrencyIsTheIdentity() {
        #expect(Money(120, Self.beatAPI).converted(to: Self.beatAPI) == Money(120, Self.beatAPI))
        #expect(Money.usd(decimal("0.75")).converted(to: .usd) == .usd(decimal("0.75")))
    }

    @Test func aZeroRateNeverDividesByZero() {
        let broken = Currency.credits("free credits", perUSD: 0)
        #expect(Money(5, broken).converted(to: .usd) == nil)
    }

    // MARK: Arithmetic

    @Test func sumConvertsEveryAmount() {
        let total = Money.sum([.usd(decimal("1.5")), Money(80, Self.beatra)], in: .usd)
        #expect(total == .usd(decimal("1.58")))
        #expect(Money.sum([.usd(decimal("1.5")), Money(80, Self.beatra)], in: Self.beatra) == Money(1580, Self.beatra))
    }

    @Test func sumIsNilWhenAnyAmountCannotBeConverted() {
        #expect(Money.sum([.usd(1), Money(120, Self.beatAPI)], in: .usd) == nil)
    }

    @Test func sumOfNothingIsZero() {
        #expect(Money.sum([], in: .usd) == .zero(.usd))
        #expect(Money.sum([], in: Self.beatAPI) == Money(0, Self.beatAPI))
    }

    @Test func sumsOfDecimalsAreExact() {
        #expect(Money.sum([.usd(decimal("0.1")), .usd(decimal("0.2"))], in: .usd) == .usd(decimal("0.3")))
        let tenDimes = Array(repeating: Money.usd(decimal("0.1")), count: 10)
        #expect(Money.sum(tenDimes, in: .usd) == .usd(1))
    }

    @Test func multiplyingKeepsTheCurrency() {
        #expect(Money.usd(decimal("0.05")) * 10 == .usd(decimal("0.5")))
        #expect(Money(80, Self.beatra) * 3 == Money(240, Self.beatra))
        #expect(Money.usd(decimal("0.75")) * 0 == .zero(.usd))
    }

    @Test func equalAmountsWrittenDifferentlyAreEqualAndHashTheSame() {
        let a = Money.usd(decimal("1.50"))
        let b = Money.usd(decimal("1.5"))
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
    }

    @Test func sameAmountInAnotherCurrencyIsNotEqual() {
        #expect(Money(1, .usd) != Money(1, Self.cents))
    }

    // MARK: Descriptions

    static let dollarDescriptions: [MoneyDescriptionCase] = [
        ("1.5", "$1.50"), ("1.50", "$1.50"), ("0.75", "$0.75"), ("0.08", "$0.08"),
        // At least two decimals, more only when the amount needs them; trailing zeros add nothing.
        ("0.0800", "$0.08"), ("0.0825", "$0.0825"), ("0.001", "$0.001"),
        ("2", "$2.00"), ("0", "$0.00"), ("1234.5", "$1234.50"),
        ("-1.5", "-$1.50"), ("-0.08", "-$0.08"),
        // Rounded to six decimals.
        ("0.1234567", "$0.123457"),
    ].map(MoneyDescriptionCase.init)

    @Test(arguments: dollarDescriptions)
    func dollarsPrintWithAtLeastTwoDecimals(_ testCase: MoneyDescriptionCase) {
        #expect(Money.usd(decimal(testCase.amount)).description == testCase.expected)
    }

    @Test func creditsPrintWithTheirDollarValue() {
        #expect(Money(80, Self.beatra).description == "80 Beatra credits (≈ $0.08)")
        #expect(Money(1500, Self.beatra).description == "1500 Beatra credits (≈ $1.50)")
        #expect(Money(-80, Self.beatra).description == "-80 Beatra credits (≈ -$0.08)")
    }

    @Test func creditsWithoutARatePrintAlone() {
        #expect(Money(120, Self.beatAPI).description == "120 BeatAPI credits")
        #expect(Money(decimal("2.5"), Self.beatAPI).description == "2.5 BeatAPI credits")
    }

    @Test func currencyPrintsItsCode() {
        #expect(Currency.usd.description == "USD")
        #expect(Self.beatra.description == "Beatra credits")
    }

    // MARK: Codable

    @Test(arguments: [
        Money.usd(decimal("0.75")), Money.usd(decimal("0.1")), Money.usd(decimal("-1.25")),
        Money(80, MoneyTests.beatra), Money(120, MoneyTests.beatAPI),
    ])
    func moneyRoundTripsThroughJSON(_ money: Money) throws {
        let data = try JSONEncoder().encode(money)
        #expect(try JSONDecoder().decode(Money.self, from: data) == money)
    }

    @Test func moneyEncodesItsAmountAsAnExactNumber() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(Money.usd(decimal("0.75"))), as: UTF8.self)
        #expect(json == #"{"amount":0.75,"currency":{"code":"USD","unitsPerUSD":1}}"#)
    }

    @Test func currencyWithoutARateRoundTripsWithoutOne() throws {
        let data = try JSONEncoder().encode(Self.beatAPI)
        let decoded = try JSONDecoder().decode(Currency.self, from: data)
        #expect(decoded == Self.beatAPI)
        #expect(decoded.unitsPerUSD == nil)
    }
}

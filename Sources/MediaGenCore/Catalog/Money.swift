import Foundation

/// A unit money is counted in: US dollars, or a provider's credits with their dollar rate.
///
/// ```swift
/// let beatraCredits = Currency.credits("Beatra credits", perUSD: 1000)
/// let beatAPICredits = Currency.credits("BeatAPI credits", perUSD: nil)  // rate not published
/// ```
public struct Currency: Hashable, Sendable, Codable, CustomStringConvertible {
    /// `"USD"`, or the credits' name.
    public var code: String
    /// How many of this unit make one US dollar; `nil` when nobody has published the rate.
    public var unitsPerUSD: Decimal?

    public init(code: String, unitsPerUSD: Decimal?) {
        self.code = code
        self.unitsPerUSD = unitsPerUSD
    }

    public static let usd = Currency(code: "USD", unitsPerUSD: 1)

    /// A provider's credits, worth `1 / perUSD` dollars each when the rate is known.
    public static func credits(_ name: String, perUSD: Decimal?) -> Currency {
        Currency(code: name, unitsPerUSD: perUSD)
    }

    public var description: String { code }
}

/// An amount of money: `Decimal`, never `Double`, so $0.75 stays exactly $0.75.
///
/// ```swift
/// let video = Money.usd(1.50)
/// let music = Money(80, .credits("Beatra credits", perUSD: 1000))
/// print(music)                            // 80 Beatra credits (≈ $0.08)
/// print(Money.sum([video, music], in: .usd)!)  // $1.58
/// ```
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    public var amount: Decimal
    public var currency: Currency

    public init(_ amount: Decimal, _ currency: Currency) {
        self.amount = amount
        self.currency = currency
    }

    /// An amount in US dollars. Pass a string literal's value through `Decimal(string:)` when the
    /// exact digits matter more than the convenience of a float literal.
    public static func usd(_ amount: Decimal) -> Money {
        Money(amount, .usd)
    }

    /// An exact amount in US dollars from whole cents (`usd(cents: 75)` is $0.75). Prefer it to a
    /// float literal, which older Apple Foundation converts to `Decimal` through `Double`.
    public static func usd(cents: Int) -> Money {
        Money(Decimal(cents) / 100, .usd)
    }

    public static func zero(_ currency: Currency) -> Money {
        Money(0, currency)
    }

    /// This amount in `currency`, through the dollar rates; `nil` when a rate is unknown.
    public func converted(to currency: Currency) -> Money? {
        if currency == self.currency { return self }
        guard let from = self.currency.unitsPerUSD, let to = currency.unitsPerUSD, from != 0 else { return nil }
        return Money(amount / from * to, currency)
    }

    /// The total of `amounts` in `currency`; `nil` when any of them cannot be converted.
    public static func sum(_ amounts: [Money], in currency: Currency) -> Money? {
        var total = Money.zero(currency)
        for amount in amounts {
            guard let converted = amount.converted(to: currency) else { return nil }
            total.amount += converted.amount
        }
        return total
    }

    public static func * (lhs: Money, rhs: Decimal) -> Money {
        Money(lhs.amount * rhs, lhs.currency)
    }

    public var description: String {
        if currency == .usd { return Self.dollars(amount) }
        var text = "\(Self.plain(amount)) \(currency.code)"
        if let usd = converted(to: .usd) { text += " (≈ \(Self.dollars(usd.amount)))" }
        return text
    }

    /// `$1.5` → `$1.50`, `$0.0800` stays precise: at least two decimals, more only when needed.
    private static func dollars(_ amount: Decimal) -> String {
        var text = plain(amount)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < 2 { text += String(repeating: "0", count: 2 - decimals) }
        } else {
            text += ".00"
        }
        return text.hasPrefix("-") ? "-$" + text.dropFirst() : "$" + text
    }

    private static func plain(_ amount: Decimal) -> String {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 6, .plain)
        return NSDecimalNumber(decimal: rounded).stringValue
    }
}

import Foundation

/// Conversions of a JSON number's text, shared by the decoder and ``JSONNode/jsonValue(path:)``.
enum JSONNumber {
    /// JSON's decimal point, whatever the user's locale; made once, not per number.
    private static let posix = Locale(identifier: "en_US_POSIX")

    /// The exact value, or `nil` when `Decimal` cannot hold it.
    static func decimal(_ text: String) -> Decimal? {
        // Most numbers are small integers or short fractions: skip the general parser for them.
        if let decimal = shortDecimal(text) { return decimal }
        guard let decimal = Decimal(string: text, locale: posix), !decimal.isNaN else {
            return nil
        }
        return decimal
    }

    /// `-?digits(.digits)?` with at most 18 digits, read exactly (the same value `Decimal(string:)`
    /// gives); `nil` for anything else, which goes to the general parser.
    static func shortDecimal(_ text: String) -> Decimal? {
        var significand: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var negative = false
        var seenPoint = false
        for (offset, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                guard digits <= 18 else { return nil }
                significand = significand * 10 + UInt64(byte - UInt8(ascii: "0"))
                if seenPoint { fractionDigits += 1 }
            case UInt8(ascii: "-") where offset == 0:
                negative = true
            case UInt8(ascii: ".") where !seenPoint && digits > 0:
                seenPoint = true
            default:
                return nil
            }
        }
        guard digits > 0, !seenPoint || fractionDigits > 0 else { return nil }
        return Decimal(
            sign: negative && significand != 0 ? .minus : .plus, exponent: -fractionDigits,
            significand: Decimal(significand))
    }
}

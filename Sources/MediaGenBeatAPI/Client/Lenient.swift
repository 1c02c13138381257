import Foundation
import MediaGenCore

/// Reads values whose JSON type BeatAPI's documents leave open: numbers that may come as text,
/// times as Unix seconds or ISO 8601.
enum Lenient {
    /// A number, or text holding one (`450`, `"450"`, `12.5`).
    static func decimal(_ value: JSONValue?) -> Decimal? {
        switch value {
        case .number(let number)?: number
        case .string(let text)?:
            // Whole text only: `Decimal(string:)` alone reads "2026-06-23T…" as 2026.
            text.trimmingCharacters(in: .whitespaces).range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression)
                .flatMap { Decimal(string: String(text.trimmingCharacters(in: .whitespaces)[$0])) }
        default: nil
        }
    }

    static func int(_ value: JSONValue?) -> Int? {
        guard let number = decimal(value) else { return nil }
        return JSONValue.number(number).intValue
    }

    /// Unix seconds (the seed's `1782210000`), as a number or text, or an ISO 8601 date-time.
    static func date(_ value: JSONValue?) -> Date? {
        if let interval = decimal(value)?.nearestDouble, !interval.isNaN {
            return Date(timeIntervalSince1970: interval)
        }
        return Timestamp.date(fromISO8601: value?.stringValue)
    }

    static func string(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text
        case .number(let number)?: "\(number)"
        default: nil
        }
    }

    /// A URL from text; `nil` for anything else.
    static func url(_ value: JSONValue?) -> URL? {
        value?.stringValue.flatMap { URL(string: $0.trimmingCharacters(in: .whitespaces)) }
    }
}

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

extension KeyedDecodingContainer {
    /// The value at `key` as JSON, whatever its type; `nil` when it is absent, `null` or unreadable.
    /// The lenient decoders read every optional field through it, so one field of an unexpected
    /// type costs that field, not the whole answer.
    func lenientValue(_ key: Key) -> JSONValue? {
        (try? decodeIfPresent(JSONValue.self, forKey: key)) ?? nil
    }

    /// The identifier at `key`, as text or a number, present and not empty; `keyNotFound`, saying
    /// `expectation`, otherwise: an object without its id cannot be used again.
    func lenientID(_ key: Key, expectation: String) throws -> String {
        guard let id = Lenient.string(lenientValue(key)), !id.isEmpty else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: expectation))
        }
        return id
    }
}

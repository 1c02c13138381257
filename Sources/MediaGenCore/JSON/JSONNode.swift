import Foundation

/// One parsed JSON value. Numbers keep their text, so each is converted once, to the type asked
/// for, exactly as `JSONDecoder` would.
package enum JSONNode: Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    /// A string whose contents are not valid (invalid UTF-8, a raw control character, a bad
    /// escape): an error for whoever reads it, nothing for a decoder that skips it.
    case unreadableString(JSONSyntaxError)
    case array([JSONNode])
    case object(JSONObject)

    /// The member named `key` when this is an object (the first one, if the key repeats).
    package subscript(key: String) -> JSONNode? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    /// What kind of value this is, for error messages.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string, .unreadableString: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// This value as a ``JSONValue``; throws only for a number `Decimal` cannot hold.
    package func jsonValue() throws -> JSONValue { try jsonValue(path: .root) }

    /// This value as a ``JSONValue``; throws only for a number `Decimal` cannot hold.
    func jsonValue(path: CodingPath) throws -> JSONValue {
        switch self {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .string(let value): return .string(value)
        case .unreadableString(let error): throw error.decodingError(at: path)
        case .number(let text):
            guard let decimal = JSONNumber.decimal(text) else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: path.keys, debugDescription: "Parsed JSON number <\(text)> does not fit in Decimal."
                    ))
            }
            return .number(decimal)
        case .array(let elements):
            var values: [JSONValue] = []
            values.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                values.append(try element.jsonValue(path: path.appending(IndexKey(index))))
            }
            return .array(values)
        case .object(let object):
            if let error = object.unreadableName { throw error.decodingError(at: path) }
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(object.keys.count)
            for (key, value) in zip(object.keys, object.values) where members[key] == nil {
                members[key] = try value.jsonValue(path: path.appending(NameKey(key)))
            }
            return .object(members)
        }
    }
}

/// A JSON object's members in document order. The first of a repeated key wins, as in
/// `JSONDecoder`; objects are small, and a scan beats hashing there.
package struct JSONObject: Sendable {
    package var keys: [String]
    package var values: [JSONNode]
    /// Set when a member name could not be read (that member is left out): decoding the object
    /// fails with it, as `JSONDecoder` fails an object it reads; skipping the object does not.
    var unreadableName: JSONSyntaxError?

    package subscript(key: String) -> JSONNode? {
        guard let index = keys.firstIndex(of: key) else { return nil }
        return values[index]
    }
}

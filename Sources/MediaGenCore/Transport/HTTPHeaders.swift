/// An ordered list of HTTP header fields with case-insensitive lookup.
///
/// ```swift
/// var headers: HTTPHeaders = ["Content-Type": "application/json"]
/// headers["Authorization"] = "Bearer sk-live-123"
/// print(headers["content-type"] ?? "")  // "application/json"
/// print(headers)  // Content-Type: application/json, Authorization: <redacted>
/// ```
///
/// Credential fields (``sensitiveNames``) print as `<redacted>` in every description, so a header
/// list can be logged safely.
public struct HTTPHeaders: Hashable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field.
    public struct Field: Hashable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Lowercased names whose values are credentials and never printed.
    public static let sensitiveNames: Set<String> = [
        "authorization", "proxy-authorization", "x-api-key", "api-key", "cookie", "set-cookie", "x-fal-key",
    ]

    public private(set) var fields: [Field]

    public init(_ fields: [Field] = []) {
        self.fields = fields
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// The first value for `name`, compared case-insensitively. Setting replaces every field of
    /// that name (or removes them all when `nil`).
    public subscript(name: String) -> String? {
        get {
            fields.first { Self.sameName($0.name, name) }?.value
        }
        set {
            let position = fields.firstIndex { Self.sameName($0.name, name) }
            fields.removeAll { Self.sameName($0.name, name) }
            guard let newValue else { return }
            // Keep the field where it was, so replacing a value does not reorder the list.
            fields.insert(Field(name: name, value: newValue), at: position ?? fields.endIndex)
        }
    }

    /// Adds a field without touching existing ones of the same name.
    public mutating func append(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Adds the fields of `other` that this list does not already have.
    public mutating func merge(defaults other: HTTPHeaders) {
        let present = fields
        for field in other.fields where !present.contains(where: { Self.sameName($0.name, field.name) }) {
            fields.append(field)
        }
    }

    /// Whether two field names are equal ignoring case. Names are ASCII tokens, compared byte by
    /// byte without building lowercased copies; any other text falls back to `lowercased()`.
    static func sameName(_ first: String, _ second: String) -> Bool {
        guard first.utf8.count == second.utf8.count else { return false }
        for (a, b) in zip(first.utf8, second.utf8) where a != b {
            guard a < 0x80, b < 0x80 else { return first.lowercased() == second.lowercased() }
            guard a | 0x20 == b | 0x20, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(a | 0x20) else {
                return false
            }
        }
        return true
    }

    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    /// Whether a field's value is a credential that must never be printed.
    public static func isSensitive(_ name: String) -> Bool {
        sensitiveNames.contains(name.lowercased())
    }
}

extension HTTPHeaders: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        fields.map { "\($0.name): \(HTTPHeaders.isSensitive($0.name) ? "<redacted>" : $0.value)" }
            .joined(separator: ", ")
    }

    public var debugDescription: String { "HTTPHeaders(\(description))" }

    // `dump(headers)` would otherwise print raw credential values.
    public var customMirror: Mirror {
        Mirror(self, unlabeledChildren: description.isEmpty ? [] : [description], displayStyle: .collection)
    }
}

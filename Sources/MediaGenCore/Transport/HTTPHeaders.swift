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
            let key = name.lowercased()
            return fields.first { $0.name.lowercased() == key }?.value
        }
        set {
            let key = name.lowercased()
            let position = fields.firstIndex { $0.name.lowercased() == key }
            fields.removeAll { $0.name.lowercased() == key }
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
        let present = Set(fields.map { $0.name.lowercased() })
        fields.append(contentsOf: other.fields.filter { !present.contains($0.name.lowercased()) })
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

import Foundation

/// Decodes `Decodable` values from a ``JSONNode`` with `JSONDecoder`'s default rules.
struct JSONTreeDecoder: Decoder, SingleValueDecodingContainer {
    let node: JSONNode
    let path: CodingPath

    var codingPath: [any CodingKey] { path.keys }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Decodes one value. The types `JSONDecoder` treats specially are handled here the same way;
    /// a ``JSONValue`` is copied straight out of the tree.
    static func decode<T: Decodable>(_ type: T.Type, from node: JSONNode, path: CodingPath) throws -> T {
        if T.self == JSONValue.self, let value = try node.jsonValue(path: path) as? T { return value }
        if T.self == [String: JSONValue].self {
            // A free-form object: copied out like a `JSONValue`, not member by member through a container.
            guard case .object = node, case .object(let members) = try node.jsonValue(path: path) else {
                throw mismatch([String: Any].self, node, path)
            }
            if let value = members as? T { return value }
        }
        if T.self == String.self, let value = try string(node, path: path) as? T { return value }
        if T.self == URL.self {
            let text = try string(node, path: path)
            guard let url = URL(string: text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path.keys, debugDescription: "Invalid URL string."))
            }
            if let value = url as? T { return value }
        }
        if T.self == Decimal.self {
            guard case .number(let text) = node else { throw mismatch(Decimal.self, node, path) }
            guard let decimal = JSONNumber.decimal(text) else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: path.keys, debugDescription: "Parsed JSON number <\(text)> does not fit in Decimal."
                    ))
            }
            if let value = decimal as? T { return value }
        }
        if T.self == Data.self {
            guard let data = Data(base64Encoded: try string(node, path: path)) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: path.keys, debugDescription: "Encountered Data is not valid Base64."))
            }
            if let value = data as? T { return value }
        }
        return try T(from: JSONTreeDecoder(node: node, path: path))
    }

    // MARK: Decoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = node else { throw Self.mismatch([String: Any].self, node, path) }
        if let error = object.unreadableName { throw error.decodingError(at: path) }
        return KeyedDecodingContainer(KeyedContainer<Key>(object: object, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = node else { throw Self.mismatch([Any].self, node, path) }
        return UnkeyedContainer(elements: elements, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool {
        if case .null = node { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool { try Self.bool(node, path: path) }
    func decode(_ type: String.Type) throws -> String { try Self.string(node, path: path) }
    func decode(_ type: Double.Type) throws -> Double { try Self.floatingPoint(node, path: path) }
    func decode(_ type: Float.Type) throws -> Float { try Self.floatingPoint(node, path: path) }
    func decode(_ type: Int.Type) throws -> Int { try Self.integer(node, path: path) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Self.integer(node, path: path) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Self.integer(node, path: path) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Self.integer(node, path: path) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Self.integer(node, path: path) }
    func decode(_ type: UInt.Type) throws -> UInt { try Self.integer(node, path: path) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Self.integer(node, path: path) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Self.integer(node, path: path) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Self.integer(node, path: path) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Self.integer(node, path: path) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try Self.decode(T.self, from: node, path: path) }

    // MARK: Scalars

    static func bool(_ node: JSONNode, path: CodingPath) throws -> Bool {
        guard case .bool(let value) = node else { throw mismatch(Bool.self, node, path) }
        return value
    }

    static func string(_ node: JSONNode, path: CodingPath) throws -> String {
        if case .unreadableString(let error) = node { throw error.decodingError(at: path) }
        guard case .string(let value) = node else { throw mismatch(String.self, node, path) }
        return value
    }

    static func integer<T: FixedWidthInteger>(_ node: JSONNode, path: CodingPath) throws -> T {
        guard case .number(let text) = node else { throw mismatch(T.self, node, path) }
        if let value = T(text) { return value }
        // `1e3` and `2.0` are integers written another way; `JSONDecoder` takes them too.
        if let double = Double(text), let value = T(exactly: double) { return value }
        throw DecodingError.dataCorrupted(
            .init(codingPath: path.keys, debugDescription: "Parsed JSON number <\(text)> does not fit in \(T.self)."))
    }

    static func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(_ node: JSONNode, path: CodingPath)
        throws -> T
    {
        guard case .number(let text) = node else { throw mismatch(T.self, node, path) }
        guard let value = T(text), value.isFinite else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: path.keys, debugDescription: "Parsed JSON number <\(text)> does not fit in \(T.self)."))
        }
        return value
    }

    static func mismatch(_ type: Any.Type, _ node: JSONNode, _ path: CodingPath) -> DecodingError {
        if case .null = node {
            return .valueNotFound(
                type, .init(codingPath: path.keys, debugDescription: "Expected \(type) value but found null instead."))
        }
        return .typeMismatch(
            type,
            .init(codingPath: path.keys, debugDescription: "Expected to decode \(type) but found \(node.kind) instead.")
        )
    }
}

// MARK: - Keyed

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: JSONObject
    let path: CodingPath

    var codingPath: [any CodingKey] { path.keys }

    var allKeys: [Key] {
        var seen = Set<String>()
        return object.keys.compactMap { name in seen.insert(name).inserted ? Key(stringValue: name) : nil }
    }

    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    private func node(_ key: Key) throws -> JSONNode {
        guard let node = object[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key,
                .init(
                    codingPath: path.keys,
                    debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return node
    }

    private func path(_ key: Key) -> CodingPath { path.appending(NameKey(key.stringValue)) }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try node(key) { return true }
        return false
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try JSONTreeDecoder.bool(node(key), path: path(key))
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try JSONTreeDecoder.string(node(key), path: path(key))
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try floatingPoint(key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try floatingPoint(key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try JSONTreeDecoder.decode(T.self, from: node(key), path: path(key))
    }

    private func integer<T: FixedWidthInteger>(_ key: Key) throws -> T {
        try JSONTreeDecoder.integer(node(key), path: path(key))
    }

    private func floatingPoint<T: BinaryFloatingPoint & LosslessStringConvertible>(_ key: Key) throws -> T {
        try JSONTreeDecoder.floatingPoint(node(key), path: path(key))
    }

    // A missing member and a null one both read as `nil`, with one lookup; scalars are read
    // directly, without the generic path's type checks.
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        try present(key).map { try JSONTreeDecoder.string($0, path: path(key)) }
    }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        try present(key).map { try JSONTreeDecoder.bool($0, path: path(key)) }
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        try present(key).map { try JSONTreeDecoder.integer($0, path: path(key)) }
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        try present(key).map { try JSONTreeDecoder.floatingPoint($0, path: path(key)) }
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try present(key).map { try JSONTreeDecoder.decode(T.self, from: $0, path: path(key)) }
    }

    /// The member's value unless it is missing or `null`.
    private func present(_ key: Key) -> JSONNode? {
        guard let node = object[key.stringValue] else { return nil }
        if case .null = node { return nil }
        return node
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try JSONTreeDecoder(node: node(key), path: path(key)).container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try JSONTreeDecoder(node: node(key), path: path(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        JSONTreeDecoder(node: object["super"] ?? .null, path: path.appending(NameKey("super")))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONTreeDecoder(node: object[key.stringValue] ?? .null, path: path(key))
    }
}

// MARK: - Unkeyed

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONNode]
    let path: CodingPath
    private(set) var currentIndex = 0

    init(elements: [JSONNode], path: CodingPath) {
        self.elements = elements
        self.path = path
    }

    var codingPath: [any CodingKey] { path.keys }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    /// The next element, and the path to it.
    private func next<T>(_ type: T.Type) throws -> (JSONNode, CodingPath) {
        let elementPath = path.appending(IndexKey(currentIndex))
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: elementPath.keys, debugDescription: "Unkeyed container is at end."))
        }
        return (elements[currentIndex], elementPath)
    }

    mutating func decodeNil() throws -> Bool {
        let (node, _) = try next(Any?.self)
        guard case .null = node else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decode { try JSONTreeDecoder.bool($0, path: $1) } }
    mutating func decode(_ type: String.Type) throws -> String {
        try decode { try JSONTreeDecoder.string($0, path: $1) }
    }
    mutating func decode(_ type: Double.Type) throws -> Double { try decode(JSONTreeDecoder.floatingPoint) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decode(JSONTreeDecoder.floatingPoint) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decode(JSONTreeDecoder.integer) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decode(JSONTreeDecoder.integer) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decode(JSONTreeDecoder.integer) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decode(JSONTreeDecoder.integer) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decode(JSONTreeDecoder.integer) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decode(JSONTreeDecoder.integer) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(JSONTreeDecoder.integer) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(JSONTreeDecoder.integer) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(JSONTreeDecoder.integer) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(JSONTreeDecoder.integer) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decode { try JSONTreeDecoder.decode(T.self, from: $0, path: $1) }
    }

    /// Reads the next element with `read`, moving on only when it succeeds.
    private mutating func decode<T>(_ read: (JSONNode, CodingPath) throws -> T) throws -> T {
        let (node, elementPath) = try next(T.self)
        let value = try read(node, elementPath)
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try decode { try JSONTreeDecoder(node: $0, path: $1).container(keyedBy: NestedKey.self) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try decode { try JSONTreeDecoder(node: $0, path: $1).unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        try decode { JSONTreeDecoder(node: $0, path: $1) }
    }
}

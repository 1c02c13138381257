/// Where a value sits in the document, kept as a chain so that nothing is built unless an error
/// needs the full path.
indirect enum CodingPath: Sendable {
    case root
    case key(any CodingKey & Sendable, parent: CodingPath)

    func appending(_ key: some CodingKey & Sendable) -> CodingPath { .key(key, parent: self) }

    var keys: [any CodingKey] {
        var keys: [any CodingKey] = []
        var node = self
        while case .key(let key, let parent) = node {
            keys.append(key)
            node = parent
        }
        return keys.reversed()
    }
}

/// An object member's name in a coding path.
struct NameKey: CodingKey, Sendable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// An array element's position in a coding path, spelled as `JSONDecoder` spells it.
struct IndexKey: CodingKey, Sendable {
    var intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init(intValue: Int) { self.intValue = intValue }
}

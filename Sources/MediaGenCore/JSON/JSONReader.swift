import Foundation

/// The SDK's JSON reader: every provider answer and webhook body is read through it.
///
/// It parses a document into a ``JSONNode`` tree with one pass over the bytes, then decodes
/// `Decodable` types from the tree with the same rules as `JSONDecoder`'s defaults (keys as
/// written, `Date` as `JSONDecoder`'s `.deferredToDate`, `Data` as Base64, `URL` and `Decimal`
/// from their JSON text) and throws the same `DecodingError` cases with the same coding paths.
///
/// Why not `JSONDecoder`: on Linux's Foundation, decoding a free-form member (``JSONValue``)
/// means trying one type after another, and every wrong try throws inside `JSONDecoder`; a
/// Skytells prediction took about 0.14 ms that way, against 0.03 ms for `JSONSerialization`.
/// Here a ``JSONValue`` member is copied out of the tree without a single throw.
package struct JSONReader: Sendable {
    package init() {}

    /// Decodes `type` from a JSON document.
    package func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONTreeDecoder.decode(T.self, from: Self.node(from: data), path: .root)
    }

    /// Decodes `type` from a document already parsed by ``node(from:)``.
    package func decode<T: Decodable>(_ type: T.Type, from node: JSONNode) throws -> T {
        try JSONTreeDecoder.decode(T.self, from: node, path: .root)
    }

    /// The document as a ``JSONValue``.
    package func value(from data: Data) throws -> JSONValue {
        try Self.node(from: data).jsonValue(path: .root)
    }

    /// The document as a tree, or `DecodingError.dataCorrupted` saying where it stops being JSON.
    package static func node(from data: Data) throws -> JSONNode {
        let result: Result<JSONNode, JSONSyntaxError> = data.withUnsafeBytes { raw in
            var parser = JSONParser(bytes: raw.bindMemory(to: UInt8.self))
            return Result { () throws(JSONSyntaxError) in try parser.parseDocument() }
        }
        switch result {
        case .success(let node):
            return node
        case .failure(let error):
            throw error.decodingError(at: .root)
        }
    }
}

import Foundation
import MediaGenCore

/// A recorded HTTP conversation: requests and the answers they got, as a readable JSON file.
///
/// ```json
/// {
///   "interactions": [
///     {
///       "request": { "method": "POST", "url": "https://api.skytells.ai/v1/predictions",
///                    "json": { "model": "beatfusion-2.0", "input": { "prompt": "Lo-fi" } } },
///       "response": { "status": 201, "headers": { "Content-Type": "application/json" },
///                     "json": { "id": "pred_1", "status": "queued", "output": null } }
///     },
///     {
///       "request": { "method": "GET", "url": "https://cdn.skytells.ai/pred_1.mp3" },
///       "response": { "status": 200, "file": "media/pred_1.mp3" }
///     }
///   ]
/// }
/// ```
///
/// A body is written as `json` (any JSON value), `text`, `base64`, or `file` (a path relative to
/// the cassette, for media). Credentials never appear: ``RecordingTransport`` strips them.
public struct Cassette: Codable, Hashable, Sendable {
    public var interactions: [Interaction]

    public init(interactions: [Interaction] = []) {
        self.interactions = interactions
    }

    /// Reads a cassette file.
    public init(contentsOf url: URL) throws {
        self = try JSONDecoder().decode(Cassette.self, from: Data(contentsOf: url))
    }

    /// Writes the cassette as pretty, key-sorted JSON (stable diffs).
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    public struct Interaction: Codable, Hashable, Sendable {
        public var request: Request
        public var response: Response

        public init(request: Request, response: Response) {
            self.request = request
            self.response = response
        }
    }

    /// A recorded request: what a replayed request is matched against.
    public struct Request: Codable, Hashable, Sendable {
        public var method: String
        public var url: String
        public var headers: [String: String]?
        public var json: JSONValue?
        public var text: String?
        /// A binary body (an upload), base64-encoded.
        public var base64: String?

        public init(
            method: String,
            url: String,
            headers: [String: String]? = nil,
            json: JSONValue? = nil,
            text: String? = nil,
            base64: String? = nil
        ) {
            self.method = method
            self.url = url
            self.headers = headers
            self.json = json
            self.text = text
            self.base64 = base64
        }
    }

    /// A recorded answer.
    public struct Response: Codable, Hashable, Sendable {
        public var status: Int
        public var headers: [String: String]?
        public var json: JSONValue?
        public var text: String?
        public var base64: String?
        /// A file holding the body, relative to the cassette's folder.
        public var file: String?

        public init(
            status: Int,
            headers: [String: String]? = nil,
            json: JSONValue? = nil,
            text: String? = nil,
            base64: String? = nil,
            file: String? = nil
        ) {
            self.status = status
            self.headers = headers
            self.json = json
            self.text = text
            self.base64 = base64
            self.file = file
        }
    }
}

extension Cassette.Response {
    /// The answer as an ``HTTPResponse``, reading a `file` body relative to `directory`.
    func httpResponse(relativeTo directory: URL?) throws -> HTTPResponse {
        var headers = HTTPHeaders()
        for (name, value) in (self.headers ?? [:]).sorted(by: { $0.key < $1.key }) {
            headers.append(name: name, value: value)
        }
        let body: Data
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            body = try encoder.encode(json)
            headers.merge(defaults: ["Content-Type": "application/json"])
        } else if let text {
            body = Data(text.utf8)
        } else if let base64 {
            guard let decoded = Data(base64Encoded: base64) else {
                throw TransportError(.invalidRequest, "cassette: invalid base64 body")
            }
            body = decoded
        } else if let file {
            let url = directory.map { $0.appendingPathComponent(file) } ?? URL(fileURLWithPath: file)
            do {
                body = try Data(contentsOf: url, options: .mappedIfSafe)
            } catch {
                throw TransportError(.invalidRequest, "cassette: cannot read body file \(url.path)")
            }
        } else {
            body = Data()
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }
}

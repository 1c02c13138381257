import Foundation
import MediaGenCore

/// A transport that answers with a closure of yours and remembers every request.
///
/// ```swift
/// let stub = StubTransport { request in
///     #expect(request.headers["x-api-key"] == "test-key")
///     return .json(#"{"id": "pred_1", "status": "queued"}"#, status: 201)
/// }
/// let client = SkytellsClient(apiKey: "test-key", configuration: .init(transport: stub))
/// _ = try await client.prediction(id: "pred_1")
/// #expect(stub.requests.map(\.url.path) == ["/v1/predictions/pred_1"])
/// ```
///
/// Throw a `TransportError` from the closure to simulate the network failing
/// (`.cannotConnect` proves nothing was sent; `.connectionLost` and `.timedOut` do not).
public final class StubTransport: HTTPTransport {
    private let handler: @Sendable (HTTPRequest) async throws -> HTTPResponse
    private let recorded = Locked<[HTTPRequest]>([])

    public init(_ handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        self.handler = handler
    }

    /// Answers with `responses` in order, then fails every further request.
    public convenience init(responses: [HTTPResponse]) {
        let queue = Locked(responses)
        self.init { request in
            guard let next = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
                throw TransportError(.invalidRequest, "StubTransport: no response left for \(request)")
            }
            return next
        }
    }

    /// Every request received, in order.
    public var requests: [HTTPRequest] { recorded.current }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        recorded.withLock { $0.append(request) }
        return try await handler(request)
    }

    /// Answers with the closure, writing a 2xx body to `file` and reporting progress once.
    public func download(
        _ request: HTTPRequest,
        to file: URL,
        progress: (@Sendable (TransferProgress) -> Void)?
    ) async throws -> HTTPResponse {
        let response = try await send(request)
        return try ResponseFile.write(response, to: file, progress: progress)
    }
}

/// Writes a whole-body response into a download file, as a real transport would have streamed it.
enum ResponseFile {
    static func write(
        _ response: HTTPResponse,
        to file: URL,
        progress: (@Sendable (TransferProgress) -> Void)?
    ) throws -> HTTPResponse {
        guard response.isSuccess else { return response }
        do {
            try response.body.write(to: file)
        } catch {
            throw TransportError(.other, "cannot write \(file.path): \(error.localizedDescription)")
        }
        let size = Int64(response.body.count)
        progress?(TransferProgress(bytesTransferred: size, totalBytes: size))
        var head = response
        head.body = Data()
        return head
    }
}

extension HTTPResponse {
    /// A JSON answer from its text, with `Content-Type: application/json`.
    public static func json(_ text: String, status: Int = 200, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var headers = headers
        headers.merge(defaults: ["Content-Type": "application/json"])
        return HTTPResponse(status: status, headers: headers, body: Data(text.utf8))
    }

    /// A JSON answer encoding `value`.
    public static func json(_ value: JSONValue, status: Int = 200, headers: HTTPHeaders = [:]) throws -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return json(String(decoding: try encoder.encode(value), as: UTF8.self), status: status, headers: headers)
    }
}

extension HTTPRequest {
    /// The body as JSON, for assertions (`nil` when there is none or it is not JSON); a file body
    /// is read from disk, as ``bodyData`` does.
    public var jsonBody: JSONValue? {
        guard let data = bodyData else { return nil }
        return try? JSONReader().value(from: data)
    }

    /// The body's bytes, read from disk for file bodies.
    public var bodyData: Data? {
        switch body {
        case .data(let data): data
        case .file(let url): try? Data(contentsOf: url)
        case nil: nil
        }
    }

    /// The decoded query items, in order.
    public var queryItems: [URLQueryItem] {
        URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
    }
}

import Foundation
import MediaGenCore

/// Wraps a real transport and records every exchange into a ``Cassette`` with credentials removed,
/// so a session against the live API can be replayed offline by ``ReplayTransport``.
///
/// ```swift
/// let recorder = RecordingTransport(wrapping: URLSessionTransport(), secrets: [apiKey])
/// let client = SkytellsClient(apiKey: apiKey, configuration: .init(transport: recorder))
/// _ = try await client.wait(for: try await client.generateMusic(.init(prompt: "Lo-fi")))
/// try recorder.cassette.write(to: URL(fileURLWithPath: "Fixtures/music.json"))
/// ```
///
/// Credential headers (`Authorization`, `x-api-key`, cookies…) are dropped, and every occurrence
/// of the `secrets` you pass is replaced by `<redacted>` in URLs, headers and bodies. Downloaded
/// bodies up to `maxInlineBodyBytes` are kept as base64; larger ones are left out of the cassette.
public final class RecordingTransport: HTTPTransport {
    private let base: any HTTPTransport
    private let secrets: [String]
    private let maxInlineBodyBytes: Int
    private let recorded = Locked<[Cassette.Interaction]>([])

    public init(wrapping base: any HTTPTransport, secrets: [String] = [], maxInlineBodyBytes: Int = 5 << 20) {
        self.base = base
        self.secrets = secrets.flatMap { [$0] + $0.split(separator: ":").map(String.init) }
        self.maxInlineBodyBytes = maxInlineBodyBytes
    }

    /// What has been recorded so far.
    public var cassette: Cassette { Cassette(interactions: recorded.current) }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await base.send(request)
        record(request, response, body: response.body)
        return response
    }

    public func download(
        _ request: HTTPRequest,
        to file: URL,
        progress: (@Sendable (DownloadProgress) -> Void)?
    ) async throws -> HTTPResponse {
        let response = try await base.download(request, to: file, progress: progress)
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
        let body = response.isSuccess ? (size <= maxInlineBodyBytes ? (try? Data(contentsOf: file)) : nil) : response.body
        record(request, response, body: body)
        return response
    }

    private func record(_ request: HTTPRequest, _ response: HTTPResponse, body: Data?) {
        var recordedRequest = Cassette.Request(
            method: request.method.rawValue,
            url: scrub(request.url.absoluteString),
            headers: headers(request.headers)
        )
        if let data = request.bodyData, !data.isEmpty {
            (recordedRequest.json, recordedRequest.text) = (json(data), json(data) == nil ? scrub(String(decoding: data, as: UTF8.self)) : nil)
        }
        var recordedResponse = Cassette.Response(status: response.status, headers: headers(response.headers))
        if let body, !body.isEmpty {
            if let value = json(body) {
                recordedResponse.json = value
            } else if let text = String(data: body, encoding: .utf8), !text.contains("\0") {
                recordedResponse.text = scrub(text)
            } else {
                recordedResponse.base64 = body.base64EncodedString()
            }
        }
        recorded.withLock { $0.append(Cassette.Interaction(request: recordedRequest, response: recordedResponse)) }
    }

    private func headers(_ headers: HTTPHeaders) -> [String: String]? {
        var kept: [String: String] = [:]
        for field in headers where !HTTPHeaders.isSensitive(field.name) {
            kept[field.name] = scrub(field.value)
        }
        return kept.isEmpty ? nil : kept
    }

    /// The body as JSON with secrets scrubbed from every string, when it is JSON.
    private func json(_ data: Data) -> JSONValue? {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: data) else { return nil }
        return scrub(value)
    }

    private func scrub(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(scrub(text))
        case .array(let items): .array(items.map(scrub))
        case .object(let members): .object(Dictionary(uniqueKeysWithValues: members.map { (scrub($0.key), scrub($0.value)) }))
        default: value
        }
    }

    private func scrub(_ text: String) -> String {
        Redaction.scrub(text, secrets: secrets)
    }
}

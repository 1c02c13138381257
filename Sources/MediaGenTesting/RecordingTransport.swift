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
/// of the `secrets` you pass is replaced by `<redacted>` in URLs, headers and bodies. Bodies are kept
/// as `json`, `text` or (binary) `base64`; a body (an upload or a download) larger than `maxInlineBodyBytes` is left
/// out of the cassette.
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

    /// The wrapped transport's: recording adds no time limit of its own.
    public var enforcesTimeouts: Bool { base.enforcesTimeouts }

    /// What has been recorded so far.
    public var cassette: Cassette { Cassette(interactions: recorded.current) }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await base.send(request)
        record(request, response, body: response.body)
        return response
    }

    /// The wrapped transport's upload, so its progress reaches the caller as it would without the
    /// recorder; recorded as a send.
    public func upload(
        _ request: HTTPRequest,
        progress: (@Sendable (TransferProgress) -> Void)?
    ) async throws -> HTTPResponse {
        let response = try await base.upload(request, progress: progress)
        record(request, response, body: response.body)
        return response
    }

    public func download(
        _ request: HTTPRequest,
        to file: URL,
        progress: (@Sendable (TransferProgress) -> Void)?
    ) async throws -> HTTPResponse {
        let response = try await base.download(request, to: file, progress: progress)
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
        // Large media stays out of the cassette; `recordable` drops what is over the limit anyway,
        // so the file is read only when it fits.
        let body =
            response.isSuccess ? (size <= maxInlineBodyBytes ? (try? Data(contentsOf: file)) : nil) : response.body
        record(request, response, body: body)
        return response
    }

    private func record(_ request: HTTPRequest, _ response: HTTPResponse, body: Data?) {
        let scrubber = Scrubber(secrets: secrets + Self.credentials(in: request.headers))
        var recordedRequest = Cassette.Request(
            method: request.method.rawValue,
            url: scrubber.scrub(request.url.absoluteString),
            headers: scrubber.headers(request.headers)
        )
        let sent = request.bodyData.map { recordable($0, limited: true, scrubber) }
        (recordedRequest.json, recordedRequest.text, recordedRequest.base64) = (sent?.json, sent?.text, sent?.base64)
        var recordedResponse = Cassette.Response(status: response.status, headers: scrubber.headers(response.headers))
        // Error answers are small and worth keeping whole; only successful bodies obey the limit.
        let received = body.map { recordable($0, limited: response.isSuccess, scrubber) }
        (recordedResponse.json, recordedResponse.text, recordedResponse.base64) = (
            received?.json, received?.text, received?.base64
        )
        recorded.withLock { $0.append(Cassette.Interaction(request: recordedRequest, response: recordedResponse)) }
    }

    /// The secrets a request carries in its credential headers, whether or not they were passed
    /// to `init`: `x-api-key: K`, `Authorization: Bearer K` or `Key id:secret`. A server that
    /// echoes one back has it scrubbed from the recording too.
    static func credentials(in headers: HTTPHeaders) -> [String] {
        headers.filter { HTTPHeaders.isSensitive($0.name) }.flatMap { field -> [String] in
            let value = field.value.trimmingCharacters(in: .whitespaces)
            let token = value.split(separator: " ", maxSplits: 1).last.map(String.init) ?? value
            return [value, token] + token.split(separator: ":").map(String.init)
        }
    }

    /// A body in its most readable recorded form: JSON, else text, else base64; left out when empty
    /// or larger than `maxInlineBodyBytes`. Secrets are scrubbed from all three: from JSON strings
    /// and text, and from the bytes before they are encoded as base64.
    private func recordable(_ data: Data, limited: Bool, _ scrubber: Scrubber) -> (
        json: JSONValue?, text: String?, base64: String?
    ) {
        guard !data.isEmpty, !limited || data.count <= maxInlineBodyBytes else { return (nil, nil, nil) }
        if let value = try? JSONReader().value(from: data) { return (scrubber.scrub(value), nil, nil) }
        if let text = String(data: data, encoding: .utf8), !text.contains("\0") {
            return (nil, scrubber.scrub(text), nil)
        }
        return (nil, nil, scrubber.scrub(data).base64EncodedString())
    }
}

/// Scrubs one interaction's secrets from every form the cassette stores.
private struct Scrubber {
    let secrets: [String]
    let secretBytes: [Data]

    init(secrets: [String]) {
        let worth = Set(secrets.filter { $0.count >= 4 })
        // Longest first, so that a whole key goes before its parts.
        self.secrets = worth.sorted { $0.count > $1.count }
        self.secretBytes = self.secrets.map { Data($0.utf8) }
    }

    func scrub(_ text: String) -> String {
        Redaction.scrub(text, secrets: secrets)
    }

    func scrub(_ data: Data) -> Data {
        Redaction.scrub(data, secrets: secretBytes)
    }

    func scrub(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .string(scrub(text))
        case .array(let items): .array(items.map(scrub))
        // Two keys can scrub to the same `<redacted>`: keep the first in key order, so a recording is stable.
        case .object(let members):
            .object(
                Dictionary(
                    members.sorted { $0.key < $1.key }.map { (scrub($0.key), scrub($0.value)) },
                    uniquingKeysWith: { first, _ in first }
                )
            )
        default: value
        }
    }

    func headers(_ headers: HTTPHeaders) -> [String: String]? {
        var kept: [String: String] = [:]
        for field in headers where !HTTPHeaders.isSensitive(field.name) {
            kept[field.name] = scrub(field.value)
        }
        return kept.isEmpty ? nil : kept
    }
}

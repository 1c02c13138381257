import Foundation
import MediaGenCore

/// A transport that answers from a ``Cassette`` and remembers the requests it was asked, so your
/// tests run offline and can assert on exactly what your app sent.
///
/// ```swift
/// let replay = try ReplayTransport(contentsOf: Bundle.module.url(forResource: "music", withExtension: "json")!)
/// let client = SkytellsClient(apiKey: "unused", configuration: .init(transport: replay, clock: ImmediateClock()))
/// let prediction = try await client.wait(for: try await client.generateMusic(.init(prompt: "Lo-fi")))
/// #expect(replay.requests.count == 4)
/// #expect(replay.unusedInteractions.isEmpty)
/// ```
///
/// Matching: a request takes the first unused interaction with the same method, path and query
/// (host and scheme are ignored, so a base-URL override still matches; query order is ignored).
/// With ``Matching/body`` JSON bodies must be equal too. Each interaction answers once, so a
/// recorded poll sequence replays in order; with `repeatsLastMatch`, the last matching answer
/// is served again when the others are used (handy for "still running" polls).
public final class ReplayTransport: HTTPTransport {
    /// What must agree for a request to take an interaction.
    public struct Matching: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let body = Matching(rawValue: 1 << 0)
        public static let host = Matching(rawValue: 1 << 1)
    }

    private struct State: Sendable {
        var used: [Bool]
        var requests: [HTTPRequest] = []
    }

    public let cassette: Cassette
    private let directory: URL?
    private let matching: Matching
    private let repeatsLastMatch: Bool
    private let state: Locked<State>

    /// Replays `cassette`; `file` bodies are read relative to `directory`.
    public init(cassette: Cassette, directory: URL? = nil, matching: Matching = [], repeatsLastMatch: Bool = false) {
        self.cassette = cassette
        self.directory = directory
        self.matching = matching
        self.repeatsLastMatch = repeatsLastMatch
        self.state = Locked(State(used: Array(repeating: false, count: cassette.interactions.count)))
    }

    /// Replays the cassette file at `url`.
    public convenience init(contentsOf url: URL, matching: Matching = [], repeatsLastMatch: Bool = false) throws {
        self.init(
            cassette: try Cassette(contentsOf: url),
            directory: url.deletingLastPathComponent(),
            matching: matching,
            repeatsLastMatch: repeatsLastMatch
        )
    }

    /// Every request received, in order.
    public var requests: [HTTPRequest] { state.withLock { $0.requests } }

    /// Interactions no request has taken yet.
    public var unusedInteractions: [Cassette.Interaction] {
        state.withLock { state in
            zip(cassette.interactions, state.used).filter { !$0.1 }.map(\.0)
        }
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try answer(request).httpResponse(relativeTo: directory)
    }

    public func download(
        _ request: HTTPRequest,
        to file: URL,
        progress: (@Sendable (TransferProgress) -> Void)?
    ) async throws -> HTTPResponse {
        try ResponseFile.write(try await send(request), to: file, progress: progress)
    }

    private func answer(_ request: HTTPRequest) throws -> Cassette.Response {
        let found: Int? = state.withLock { state in
            state.requests.append(request)
            let candidates = cassette.interactions.indices.filter {
                matches(cassette.interactions[$0].request, request)
            }
            if let index = candidates.first(where: { !state.used[$0] }) {
                state.used[index] = true
                return index
            }
            return repeatsLastMatch ? candidates.last : nil
        }
        guard let found else {
            // Not retried by the executor (`.invalidRequest`), so a test fails at once and says why.
            throw TransportError(.invalidRequest, "ReplayTransport: no unused recorded answer for \(request)")
        }
        return cassette.interactions[found].response
    }

    private func matches(_ recorded: Cassette.Request, _ request: HTTPRequest) -> Bool {
        guard recorded.method.uppercased() == request.method.rawValue,
            let recordedURL = URLComponents(string: recorded.url),
            let actualURL = URLComponents(url: request.url.absoluteURL, resolvingAgainstBaseURL: false)
        else { return false }
        guard Self.normalizedPath(recordedURL.percentEncodedPath) == Self.normalizedPath(actualURL.percentEncodedPath),
            Self.query(recordedURL) == Self.query(actualURL)
        else { return false }
        if matching.contains(.host), recordedURL.host != actualURL.host || recordedURL.port != actualURL.port {
            return false
        }
        if matching.contains(.body), let expected = recorded.json, request.jsonBody != expected {
            return false
        }
        return true
    }

    /// The path without its trailing slash (the root becomes empty, as in `https://host`).
    private static func normalizedPath(_ path: String) -> String {
        path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    private static func query(_ components: URLComponents) -> [String] {
        (components.percentEncodedQueryItems ?? []).map { "\($0.name)=\($0.value ?? "")" }.sorted()
    }
}

import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport

let testKey = "test-BEATAPI-key-4242"

/// A fixture's bytes, from `Fixtures/` (see `Fixtures/SOURCES.md` for each shape's origin).
func fixture(_ name: String) throws -> Data {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
    }
    return try Data(contentsOf: url)
}

func fixtureJSON(_ name: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: try fixture(name))
}

func fixtureResponse(_ name: String, status: Int = 200, headers: HTTPHeaders = [:]) throws -> HTTPResponse {
    var headers = headers
    headers.merge(defaults: ["Content-Type": "application/json"])
    return HTTPResponse(status: status, headers: headers, body: try fixture(name))
}

/// A request as a test saw it inside the transport: multipart bodies are files deleted once the
/// call returns, so their bytes are captured as they are sent.
struct SentRequest: Sendable {
    let request: HTTPRequest
    let body: Data?

    var method: HTTPMethod { request.method }
    var url: URL { request.url }
    var headers: HTTPHeaders { request.headers }
    var route: String { "\(request.method) \(request.url.path)" }
    var json: JSONValue? { body.flatMap { try? JSONDecoder().decode(JSONValue.self, from: $0) } }
}

/// A BeatAPI client over a stub transport and an instant clock.
final class BeatAPIHarness: Sendable {
    let client: BeatAPIClient
    let transport: StubTransport
    let clock = ImmediateClock()
    private let sent = Locked<[SentRequest]>([])

    init(
        budget: Budget? = nil,
        allowedTestHosts: Set<String> = [],
        baseURL: URL? = nil,
        apiKey: String? = testKey,
        retry: RetryPolicy = .default,
        answer: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse
    ) {
        let sent = self.sent
        let transport = StubTransport { request in
            sent.withLock { $0.append(SentRequest(request: request, body: request.bodyData)) }
            return try answer(request)
        }
        self.transport = transport
        self.client = BeatAPIClient(
            apiKey: apiKey,
            configuration: ClientConfiguration(
                baseURL: baseURL, retry: retry, budget: budget, transport: transport, clock: clock),
            environment: [:],
            allowedTestHosts: allowedTestHosts
        )
    }

    /// Answers each request with the next fixture, in order.
    convenience init(fixtures: [(String, Int)], budget: Budget? = nil, allowedTestHosts: Set<String> = []) {
        let queue = Locked(fixtures)
        self.init(budget: budget, allowedTestHosts: allowedTestHosts) { request in
            guard let (name, status) = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
                throw TransportError(.invalidRequest, "no fixture left for \(request)")
            }
            return try fixtureResponse(name, status: status)
        }
    }

    /// Answers with `responses` in order (each a fixture response or a transport error).
    convenience init(
        sequence: [Result<HTTPResponse, TransportError>], budget: Budget? = nil, retry: RetryPolicy = .default
    ) {
        let queue = Locked(sequence)
        self.init(budget: budget, retry: retry) { request in
            guard let next = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
                throw TransportError(.invalidRequest, "no answer left for \(request)")
            }
            return try next.get()
        }
    }

    var requests: [SentRequest] { sent.current }
    var routes: [String] { requests.map(\.route) }
}

enum Sample {
    static let image = URL(string: "https://cdn.example.com/singer-reference.png")!
    static let audio = URL(string: "https://cdn.example.com/song-preview.mp3")!
    static let prompt = "Neon rooftop performance with metro cutaways and cinematic light trails."

    /// The seed's request, as an input.
    static var seedInput: MusicVideoInput {
        MusicVideoInput(imageURLs: [image], audioURL: audio, prompt: prompt, language: .english, resolution: .p720)
    }

    static var ecommerce: EcommerceVideoInput {
        EcommerceVideoInput(
            imageURLs: [URL(string: "https://cdn.example.com/bottle.png")!], prompt: "Launch ad", language: .english,
            duration: .seconds(15), aspectRatio: "9:16")
    }

    /// A small PNG-named file on disk, removed by the caller.
    static func temporaryFile(named name: String, bytes: Int = 2048) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("beatapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0) }).write(to: url)
        return url
    }
}

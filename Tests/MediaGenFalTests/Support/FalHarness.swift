import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport

let testKey = "test-KEYID-4242:test-SECRET-9999"
let requestID = "764cabcf-b745-4b3e-ae38-1200304cf45b"
let queueBase = "https://queue.fal.run/beatoven/music-generation/requests/\(requestID)"

/// A fixture's bytes, from `Fixtures/` (see `Fixtures/SOURCES.md` for each shape's origin).
func fixture(_ name: String) throws -> Data {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
    }
    return try Data(contentsOf: url)
}

func fixtureResponse(_ name: String, status: Int = 200, headers: HTTPHeaders = [:]) throws -> HTTPResponse {
    var headers = headers
    headers.merge(defaults: ["Content-Type": "application/json", "x-fal-request-id": requestID])
    return HTTPResponse(status: status, headers: headers, body: try fixture(name))
}

/// A fal client over a stub transport and an instant clock.
struct FalHarness {
    let client: FalClient
    let transport: StubTransport
    let clock = ImmediateClock()

    init(
        budget: Budget? = nil,
        retry: RetryPolicy = .default,
        answer: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) {
        let transport = StubTransport { try await answer($0) }
        self.transport = transport
        self.client = FalClient(
            apiKey: testKey,
            configuration: ClientConfiguration(retry: retry, budget: budget, transport: transport, clock: clock)
        )
    }

    /// Answers each request with the next fixture, in order.
    init(fixtures: [(String, Int)], budget: Budget? = nil) {
        let queue = Locked(fixtures)
        self.init(budget: budget) { request in
            guard let (name, status) = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
                throw TransportError(.invalidRequest, "no fixture left for \(request)")
            }
            return try fixtureResponse(name, status: status)
        }
    }

    var requests: [HTTPRequest] { transport.requests }

    /// `METHOD URL` of every request, in order.
    var routes: [String] { requests.map { "\($0.method) \($0.url.absoluteString)" } }
}

/// The handle a submit of the seed's request returns.
let seedHandle = TaskHandle(
    provider: .fal,
    id: requestID,
    model: "beatoven/music-generation",
    statusURL: URL(string: "\(queueBase)/status"),
    resultURL: URL(string: queueBase),
    cancelURL: URL(string: "\(queueBase)/cancel")
)

/// Headers as a delivery fixture lists them.
func headers(fromFixture name: String) throws -> HTTPHeaders {
    let object = try JSONDecoder().decode([String: String].self, from: fixture(name))
    var headers = HTTPHeaders()
    for (name, value) in object.sorted(by: { $0.key < $1.key }) { headers.append(name: name, value: value) }
    return headers
}

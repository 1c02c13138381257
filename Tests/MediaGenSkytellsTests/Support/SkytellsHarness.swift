import Foundation
import MediaGenCore
import MediaGenSkytells
import MediaGenTesting
import TestSupport

let testKey = "sk-test-SKYTELLS-4242"

/// A fixture's bytes, from `Fixtures/` (see `Fixtures/SOURCES.md` for each shape's origin).
func fixture(_ name: String) throws -> Data {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
    }
    return try Data(contentsOf: url)
}

func fixtureResponse(_ name: String, status: Int = 200, headers: HTTPHeaders = [:]) throws -> HTTPResponse {
    var headers = headers
    headers.merge(defaults: ["Content-Type": "application/json"])
    return HTTPResponse(status: status, headers: headers, body: try fixture(name))
}

/// A Skytells client over a stub transport and an instant clock.
struct SkytellsHarness {
    let client: SkytellsClient
    let transport: StubTransport
    let clock = ImmediateClock()

    init(budget: Budget? = nil, answer: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        let transport = StubTransport { try await answer($0) }
        self.transport = transport
        self.client = SkytellsClient(
            apiKey: testKey,
            configuration: ClientConfiguration(budget: budget, transport: transport, clock: clock)
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
}

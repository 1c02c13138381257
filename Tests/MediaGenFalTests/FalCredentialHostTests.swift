import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

/// fal's key goes only to fal's configured hosts: a status, result or cancel URL on another origin
/// — in a hostile answer or a tampered `TaskHandle` — is refused before anything is sent.
@Suite("fal credentials stay on fal's hosts")
struct FalCredentialHostTests {
    enum Call: String, CaseIterable, Sendable {
        case status, result, cancel
    }

    static let foreignURLs = [
        "https://evil.example/fal-ai/x/requests/r1/status",
        "http://queue.fal.run/fal-ai/x/requests/r1/status",  // https downgraded to http
        "https://queue.fal.run:8443/fal-ai/x/requests/r1/status",  // another port
        "https://queue.fal.run.evil.example/fal-ai/x/requests/r1/status",
    ]

    @Test(arguments: Call.allCases, foreignURLs)
    func aURLOnAnotherOriginNeverReceivesTheKey(call: Call, text: String) async throws {
        let stub = StubTransport { _ in HTTPResponse(status: 200, body: Data(#"{"status": "COMPLETED"}"#.utf8)) }
        let fal = FalClient(apiKey: "key-id:key-secret", configuration: ClientConfiguration(transport: stub))
        let foreign = try #require(URL(string: text))
        let handle = TaskHandle(
            provider: .fal, id: "r1", model: "fal-ai/x", statusURL: foreign, resultURL: foreign, cancelURL: foreign)
        let error = await mediaError {
            switch call {
            case .status: _ = try await fal.request(handle)
            case .result: _ = try await fal.result(of: handle)
            case .cancel: _ = try await fal.cancelRequest(handle)
            }
        }
        #expect(error?.kind == .invalidRequest(field: "url", reason: "not on fal's configured hosts"))
        #expect(error?.message.contains(foreign.host ?? "?") == true)
        #expect(stub.requests.isEmpty)
    }

    @Test func falsOwnQueueHostReceivesTheKey() async throws {
        let stub = StubTransport { _ in HTTPResponse(status: 200, body: Data(#"{"status": "COMPLETED"}"#.utf8)) }
        let fal = FalClient(apiKey: "key-id:key-secret", configuration: ClientConfiguration(transport: stub))
        let url = try #require(URL(string: "https://queue.fal.run/fal-ai/x/requests/r1/status"))
        _ = try await fal.request(TaskHandle(provider: .fal, id: "r1", model: "fal-ai/x", statusURL: url))
        #expect(stub.requests.first?.headers["Authorization"] == "Key key-id:key-secret")
    }
}

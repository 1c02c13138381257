import EmulatorSupport
import Foundation
import MediaGenCore
import Testing

/// A 401 that asks for HTTP authentication (`WWW-Authenticate`, as a gateway in front of a
/// provider may send) over the real `URLSessionTransport`. FoundationNetworking turns a `Basic`
/// one into a challenge and, answered by default with no stored credential, never completed the
/// task: the call waited for its whole timeout and ended `.timedOut`. Now every call returns the
/// 401, which the executor reads as `.authentication` (the Skytells integration tests check that).
@Suite(
    "Authentication challenges over real HTTP",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(2))
)
struct AuthenticationChallengeTests {
    enum Call: String, CaseIterable, Sendable {
        case send, upload, download, downloadWithProgress
    }

    @Test(arguments: ["Basic", "Bearer", "Digest"], Call.allCases)
    func aChallengeEndsTheCallWithItsAnswer(scheme: String, call: Call) async throws {
        try await Emulator.run { emulator in
            var request = HTTPRequest(method: .get, url: emulator.skytellsBaseURL.appendingPathComponent("models"))
            request.headers["x-api-key"] = Emulator.skytellsKey
            request.headers["X-Emulator-Fault"] = "challenge;scheme=\(scheme)"
            // Long enough that a call left waiting for it fails the test's time limit first.
            request.timeout = .seconds(100)
            let transport = URLSessionTransport()
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("challenge-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: file) }
            let response: HTTPResponse
            switch call {
            case .send: response = try await transport.send(request)
            case .upload: response = try await transport.upload(request) { _ in }
            case .download: response = try await transport.download(request, to: file, progress: nil)
            case .downloadWithProgress: response = try await transport.download(request, to: file) { _ in }
            }
            #expect(response.status == 401)
            // The answer's headers come through (the body, for a refused challenge, does not).
            #expect(response.headers["WWW-Authenticate"]?.hasPrefix(scheme) == true)
        }
    }
}

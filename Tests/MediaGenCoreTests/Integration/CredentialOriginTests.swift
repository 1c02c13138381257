import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// Credentials stay on their origin over the real `URLSessionTransport`: a redirect to another
/// origin (the emulator's capture route reached as `localhost`, while the call went to
/// `127.0.0.1`) arrives without `Authorization` or `x-api-key`; a redirect within the origin keeps
/// them.
@Suite(
    "Credentials and redirects over real HTTP",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct CredentialOriginTests {
    enum Call: String, CaseIterable, Sendable {
        case send, download, downloadWithProgress
    }

    /// A GET with both credential headers, faulted to redirect to `target`, through `call`.
    func redirectedRequest(_ emulator: Emulator, to target: URL, through call: Call) async throws {
        var request = HTTPRequest(method: .get, url: emulator.skytellsBaseURL.appendingPathComponent("models"))
        request.headers["x-api-key"] = Emulator.skytellsKey
        request.headers["Authorization"] = "Bearer \(Emulator.skytellsKey)"
        request.headers["X-Emulator-Fault"] = "redirect;to=\(target.absoluteString);status=307"
        request.timeout = .seconds(20)
        let transport = URLSessionTransport()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("redirect-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let response: HTTPResponse
        switch call {
        case .send: response = try await transport.send(request)
        case .download: response = try await transport.download(request, to: file, progress: nil)
        case .downloadWithProgress: response = try await transport.download(request, to: file) { _ in }
        }
        #expect(response.status == 200)
    }

    @Test(arguments: Call.allCases)
    func aRedirectToAnotherOriginCarriesNoCredential(call: Call) async throws {
        try await Emulator.run { emulator in
            try await redirectedRequest(emulator, to: emulator.foreignCaptureURL("foreign"), through: call)
            let captured = try #require(try await emulator.captures("foreign").first)
            let headers = captured["headers"]?.objectValue ?? [:]
            let names = Set(headers.keys.map { $0.lowercased() })
            #expect(!names.contains("authorization"))
            #expect(!names.contains("x-api-key"))
            #expect(captured["method"]?.stringValue == "GET")
            let values = headers.values.compactMap(\.stringValue).joined(separator: " ")
            #expect(!values.contains(Emulator.skytellsKey))
        }
    }

    @Test(arguments: Call.allCases)
    func aRedirectWithinTheOriginKeepsTheCredential(call: Call) async throws {
        try await Emulator.run { emulator in
            let sameOrigin = emulator.origin.appendingPathComponent("_emulator/capture/same")
            try await redirectedRequest(emulator, to: sameOrigin, through: call)
            let captured = try #require(try await emulator.captures("same").first)
            let headers = captured["headers"]?.objectValue ?? [:]
            let key = headers.first { $0.key.lowercased() == "x-api-key" }?.value.stringValue
            #expect(key == Emulator.skytellsKey)
        }
    }
}

import Foundation
import MediaGenCore

/// Skytells' create and get-prediction answered in memory, with the emulator's timeline header:
/// figure 4's `in-memory` probe, the SDK's side of following a task without the network.
/// Stateless: a prediction's id carries when it succeeds.
struct InMemorySkytells: HTTPTransport {
    private static let origin = ContinuousClock.now

    /// It answers at once, so it keeps every deadline: the executor calls it directly, as it
    /// calls `URLSessionTransport`, without racing each request against its timeout.
    var enforcesTimeouts: Bool { true }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let now = Int(Self.origin.duration(to: .now).seconds * 1000)
        let id: String
        let status: String
        if request.method == .post {
            let timeline = request.headers["X-Emulator-Timeline"] ?? ""
            let finish = timeline.split(separator: "@").last.flatMap { Int($0) } ?? 0
            id = "mem-\(now + finish)"
            status = "queued"
        } else {
            id = request.url.lastPathComponent
            let finish = Int(id.dropFirst(4)) ?? 0
            status = now >= finish ? "succeeded" : "processing"
        }
        let output = status == "succeeded" ? #"["https://cdn.example/\#(id).wav"]"# : "null"
        let body = #"""
            {"id":"\#(id)","status":"\#(status)","model":"beatfusion-2.0","input":{"prompt":"benchmark","duration_seconds":30},"output":\#(output),"error":null,"metrics":{},"created_at":"2026-12-03T23:59:04.673Z","started_at":null,"completed_at":null,"updated_at":"2026-12-03T23:59:04.673Z","webhook":null,"urls":{"get":"https://api.example/v1/predictions/\#(id)"}}
            """#
        return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Data(body.utf8))
    }

    func download(
        _ request: HTTPRequest, to file: URL, progress: (@Sendable (TransferProgress) -> Void)?
    ) async throws -> HTTPResponse {
        throw TransportError(.unsupported, "in-memory Skytells does not download")
    }
}

import EmulatorSupport
import MediaGenCore

/// Adds the emulator's `X-Emulator-Fault` header to exactly one request of a run — its first
/// create attempt or its first poll — and counts the attempts that pass.
///
/// It sits inside the client's retry loop (middleware runs once per attempt), so a retried
/// request is sent again *without* the fault, as it would be after a one-off failure.
final class FaultInjector: HTTPMiddleware {
    struct Counts: Sendable {
        var creates = 0
        var reads = 0
        var faulted = 0
    }

    private let fault: String
    private let faultedTimeout: Duration?
    private let placement: Placement
    private let state = Locked(Counts())

    /// `faultedTimeout`, when given, replaces the faulted request's timeout (the transport keeps
    /// `HTTPRequest.timeout` as its deadline).
    init(fault: String, faultedTimeout: Duration? = nil, placement: Placement) {
        self.fault = fault
        self.faultedTimeout = faultedTimeout
        self.placement = placement
    }

    var counts: Counts { state.current }

    func intercept(
        _ request: HTTPRequest,
        next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let inject = state.withLock { counts in
            let isCreate = request.method == .post
            if isCreate { counts.creates += 1 } else { counts.reads += 1 }
            let first = isCreate ? counts.creates == 1 : counts.reads == 1
            let hit = first && (placement == .create) == isCreate
            if hit { counts.faulted += 1 }
            return hit
        }
        var request = request
        if inject {
            request.headers["X-Emulator-Fault"] = fault
            if let faultedTimeout { request.timeout = faultedTimeout }
        }
        return try await next(request)
    }
}

/// Everything a run printed or threw, checked for credentials.
struct SecretScan: Sendable {
    /// The emulator's keys, and each half of fal's `id:secret`.
    static let secrets: [String] = {
        let keys = [Emulator.skytellsKey, Emulator.falKey, Emulator.beatAPIKey, Emulator.beatraKey]
        return keys + Emulator.falKey.split(separator: ":").map(String.init)
    }()

    /// Every way an error is commonly turned into text.
    static func texts(of error: any Error) -> [String] {
        var texts = [
            String(describing: error), String(reflecting: error), error.localizedDescription, "\(error)",
        ]
        if let debug = (error as Any) as? any CustomDebugStringConvertible { texts.append(debug.debugDescription) }
        return texts
    }

    /// The texts that contain a secret.
    static func leaks(in texts: [String]) -> [String] {
        texts.filter { text in secrets.contains { text.contains($0) } }
    }
}

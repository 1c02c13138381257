import Foundation
import MediaGenCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The provider emulator (`Tests/Emulator/emulator.py`) running on a free loopback port, for tests
/// and benchmarks that need real HTTP.
///
/// ```swift
/// @Test(.enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)))
/// func retryAfterIsHonoured() async throws {
///     try await Emulator.run { emulator in
///         let client = SkytellsClient(apiKey: Emulator.skytellsKey,
///                                     configuration: .init(baseURL: emulator.skytellsBaseURL))
///         …
///         #expect(try await emulator.stats().tasksCreated(.skytells) == 1)
///     }
/// }
/// ```
///
/// Each emulator is its own process with its own state, so tests never see each other's tasks or
/// counters. It stops when ``stop()`` is called (or the value is released), and also by itself
/// within half a second when this process ends for any reason: it watches for its parent to go.
public final class Emulator: Sendable {
    public let port: Int
    /// `http://127.0.0.1:<port>`
    public let origin: URL
    private let child: ChildProcess

    public static let skytellsKey = "test-skytells-key"
    public static let falKey = "test-fal-id:test-fal-secret"
    public static let beatAPIKey = "test-beatapi-key"
    public static let beatraKey = "test-beatra-key"

    public var skytellsBaseURL: URL { origin.appendingPathComponent("skytells/v1") }
    public var falQueueURL: URL { origin.appendingPathComponent("fal/queue") }
    public var falRestURL: URL { origin.appendingPathComponent("fal/rest") }
    public var beatAPIBaseURL: URL { origin.appendingPathComponent("beatapi/v1") }
    public var beatraBaseURL: URL { origin.appendingPathComponent("beatra/v1") }

    /// The emulator script, found from this file's place in the repository.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Emulator/emulator.py")

    /// The Python 3 interpreter itself. `python3` on the `PATH` may be a wrapper that forks (pyenv's
    /// shims do), and a signal sent to a wrapper never reaches the emulator: ask Python where it is.
    static let python: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        guard
            let onPath = path.split(separator: ":")
                .map({ URL(fileURLWithPath: String($0)).appendingPathComponent("python3") })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0.path) })
        else { return nil }
        let probe = Process()
        let output = Pipe()
        probe.executableURL = onPath
        probe.arguments = ["-c", "import sys; print(sys.executable)"]
        probe.standardOutput = output
        guard (try? probe.run()) != nil else { return nil }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        probe.waitUntilExit()
        let executable = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return executable.isEmpty ? onPath : URL(fileURLWithPath: executable)
    }()

    /// Whether integration tests can run here.
    public static var isAvailable: Bool { python != nil && FileManager.default.fileExists(atPath: script.path) }

    /// Why integration tests are skipped when ``isAvailable`` is `false`.
    public static let skipReason =
        "python3 is not installed: integration tests against the provider emulator are skipped"

    private init(port: Int, child: ChildProcess) {
        self.port = port
        self.origin = URL(string: "http://127.0.0.1:\(port)") ?? URL(fileURLWithPath: "/")
        self.child = child
    }

    /// Starts an emulator and waits until it answers. Extra `arguments` go to `emulator.py`
    /// (`["--beatra-credits", "100"]`).
    public static func start(arguments: [String] = []) async throws -> Emulator {
        guard let python else { throw EmulatorError.unavailable(skipReason) }
        let child = try ChildProcess(python, [script.path, "--port", "0"] + arguments)
        do {
            let line = try await child.firstLine(within: .seconds(20))
            guard let port = Int(line.trimmingCharacters(in: .whitespaces)) else {
                throw EmulatorError.startFailed("expected a port on the first line, got \(line)")
            }
            let emulator = Emulator(port: port, child: child)
            try await emulator.waitUntilHealthy()
            return emulator
        } catch {
            child.terminate()
            throw error
        }
    }

    /// Runs `body` with a fresh emulator and always stops it afterwards; at most 24 at once in a
    /// process (``EmulatorSlots``).
    public static func run<T: Sendable>(
        arguments: [String] = [],
        _ body: (Emulator) async throws -> T
    ) async throws -> T {
        try await EmulatorSlots.shared.run {
            let emulator = try await start(arguments: arguments)
            defer { emulator.stop() }
            return try await body(emulator)
        }
    }

    /// The processor time (user + system) the emulator process has used so far; `nil` where the
    /// system does not say (it is read from `/proc`, so on Linux only). The benchmarks use it to
    /// show how much of the machine serving a download took.
    public var processorTime: Duration? { child.processorTime }

    /// Stops the emulator and waits for it to exit.
    public func stop() {
        child.terminate()
    }

    deinit {
        child.terminate()
    }

    /// Thirty seconds: the port line came, so the server is up, but with dozens of emulators
    /// starting at once on a loaded two-core machine its first answer has taken over ten.
    private func waitUntilHealthy() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let response = try? await control(.get, "health"), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw EmulatorError.startFailed("the emulator did not answer /_emulator/health within 30 s")
    }

    // MARK: - Control

    /// Counters per provider: requests by route, tasks created, credits, webhooks, faults.
    public func stats() async throws -> EmulatorStats {
        let response = try await control(.get, "stats")
        return EmulatorStats(json: try JSONDecoder().decode(JSONValue.self, from: response.body))
    }

    /// Scripts faults for the next matching requests (see `Tests/Emulator/README.md`).
    public func injectFaults(_ rules: [FaultRule]) async throws {
        let body = try JSONEncoder().encode(["rules": rules])
        let response = try await control(.post, "faults", body: body)
        guard (200..<300).contains(response.status) else {
            throw EmulatorError.control(
                "POST /_emulator/faults answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
    }

    /// The emulator's record of one task: its polls and status history.
    public func task(_ provider: String, _ id: String) async throws -> JSONValue {
        let response = try await control(.get, "tasks/\(provider)/\(id)")
        return try JSONDecoder().decode(JSONValue.self, from: response.body)
    }

    /// A URL to give as a webhook: deliveries to it are kept by the emulator, raw, under `name`.
    public func inboxURL(_ name: String) -> URL {
        origin.appendingPathComponent("_emulator/inbox/\(name)")
    }

    /// The deliveries received at ``inboxURL(_:)`` so far, waiting up to `timeout` for at least
    /// `count` of them (webhooks are sent from the emulator's background workers).
    public func inbox(_ name: String, count: Int = 1, timeout: Duration = .seconds(10)) async throws
        -> [WebhookDelivery]
    {
        try await deliveries(at: "inbox/\(name)", count: count, timeout: timeout).map(WebhookDelivery.init(json:))
    }

    /// A URL on another origin (`localhost` rather than `127.0.0.1`, same port) whose requests the
    /// emulator keeps under `name`, whatever their method: a foreign host, to check what a client
    /// sent where it should not have.
    public func foreignCaptureURL(_ name: String) -> URL {
        URL(string: "http://localhost:\(port)/_emulator/capture/\(name)")!
    }

    /// The requests received at ``foreignCaptureURL(_:)`` so far, as `{"method", "path", "headers"}`.
    public func captures(_ name: String) async throws -> [JSONValue] {
        try await deliveries(at: "captures/\(name)", count: 0, timeout: .zero)
    }

    /// The emulator's log of the webhooks it sent (`GET /_emulator/webhooks`), waiting up to
    /// `timeout` for at least `count` entries: a delivery is logged only once its sender has read
    /// the receiver's answer, which can be after the inbox has it.
    public func webhookLog(count: Int = 1, timeout: Duration = .seconds(10)) async throws -> [JSONValue] {
        try await deliveries(at: "webhooks", count: count, timeout: timeout)
    }

    /// The `deliveries` list of the control route `path`, read every 25 ms until it has `count`
    /// entries or `timeout` has passed.
    private func deliveries(at path: String, count: Int, timeout: Duration) async throws -> [JSONValue] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let response = try await control(.get, path)
            let list = try JSONDecoder().decode(JSONValue.self, from: response.body)["deliveries"]?.arrayValue ?? []
            if list.count >= count || ContinuousClock.now >= deadline { return list }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    /// Forgets every task, counter, fault and idempotency key.
    public func reset() async throws {
        _ = try await control(.post, "reset")
    }

    private func control(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws -> HTTPResponse {
        var request = HTTPRequest(
            method: method, url: origin.appendingPathComponent("_emulator/\(path)"), timeout: .seconds(10))
        if let body {
            request.body = .data(body)
            request.headers["Content-Type"] = "application/json"
        }
        return try await URLSessionTransport.shared.send(request)
    }
}

/// A fault for the next `count` requests matching the filters.
public struct FaultRule: Encodable, Sendable {
    public var fault: String
    public var count: Int
    public var provider: String?
    public var method: String?
    /// A prefix of the provider-relative path, such as `/v1/predictions`.
    public var path: String?

    public init(_ fault: String, count: Int = 1, provider: String? = nil, method: String? = nil, path: String? = nil) {
        self.fault = fault
        self.count = count
        self.provider = provider
        self.method = method
        self.path = path
    }
}

/// What `GET /_emulator/stats` reported.
public struct EmulatorStats: Sendable {
    public let json: JSONValue

    public func tasksCreated(_ provider: String) -> Int { counter(provider, "tasks_created") }
    public func creditsCharged(_ provider: String) -> Int { counter(provider, "credits_charged") }
    public func creditsRefunded(_ provider: String) -> Int { counter(provider, "credits_refunded") }
    public func webhooksDelivered(_ provider: String) -> Int { counter(provider, "webhooks_delivered") }
    public func faultsInjected(_ provider: String) -> Int { counter(provider, "faults_injected") }

    /// Requests received for a route template such as `"POST /v1/predictions"`.
    public func requests(_ provider: String, _ route: String) -> Int {
        json[provider]?["requests"]?[route]?.intValue ?? 0
    }

    public func counter(_ provider: String, _ name: String) -> Int {
        json[provider]?[name]?.intValue ?? 0
    }
}

/// A webhook the emulator delivered to one of its inboxes, exactly as it was sent.
public struct WebhookDelivery: Sendable {
    public let headers: HTTPHeaders
    public let body: Data

    init(json: JSONValue) {
        var headers = HTTPHeaders()
        for (name, value) in (json["headers"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            headers.append(name: name, value: value.stringValue ?? "")
        }
        self.headers = headers
        self.body = json["body_base64"]?.stringValue.flatMap { Data(base64Encoded: $0) } ?? Data()
    }
}

public enum EmulatorError: Error, CustomStringConvertible {
    case unavailable(String)
    case startFailed(String)
    case control(String)

    public var description: String {
        switch self {
        case .unavailable(let reason): "emulator unavailable: \(reason)"
        case .startFailed(let reason): "emulator failed to start: \(reason)"
        case .control(let reason): "emulator control failed: \(reason)"
        }
    }
}

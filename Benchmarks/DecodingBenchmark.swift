import Foundation
import MediaGenBeatAPI
import MediaGenBeatra
import MediaGenCore
import MediaGenFal
import MediaGenSkytells

/// Figure 5: how many task answers per second each provider's client turns into its task value.
///
/// Each client polls once per call (`prediction(id:)`, `status(_:logs:)`, `task(id:)`) over an
/// in-memory transport that answers with a test fixture's bytes, so the figure covers the SDK's
/// whole reading path (error sniffing, JSON decoding, mapping to the task type, the executor
/// around it) and no network. Beside it, `JSONSerialization` parsing the same bytes, the least an
/// app reading that JSON could do. Both sides alternate in timed batches.
struct DecodingBenchmark {
    var rounds = 3
    var batchTime: Duration = .milliseconds(300)

    struct Subject: Sendable {
        var name: String
        var fixture: String
        var poll: @Sendable (any HTTPTransport) -> @Sendable () async throws -> Void
    }

    static let subjects: [Subject] = [
        Subject(name: "Skytells prediction", fixture: "MediaGenSkytellsTests/Fixtures/prediction-official-client.json")
        {
            transport in
            let client = SkytellsClient(apiKey: "key", configuration: ClientConfiguration(transport: transport))
            return { _ = try await client.prediction(id: "pred_lip_42") }
        },
        Subject(name: "fal status", fixture: "MediaGenFalTests/Fixtures/status-completed.json") { transport in
            let client = FalClient(apiKey: "id:secret", configuration: ClientConfiguration(transport: transport))
            let handle = try? client.handle(
                app: .beatovenMusicGeneration, requestID: "764cabcf-b745-4b3e-ae38-1200304cf45b")
            return {
                guard let handle else { throw BenchmarkError("no fal handle") }
                _ = try await client.request(handle, logs: true)
            }
        },
        Subject(name: "BeatAPI task", fixture: "MediaGenBeatAPITests/Fixtures/task-succeeded.json") { transport in
            let client = BeatAPIClient(apiKey: "key", configuration: ClientConfiguration(transport: transport))
            return { _ = try await client.task(id: "task_8K2qA") }
        },
        Subject(name: "Beatra task", fixture: "MediaGenBeatraTests/Fixtures/task-succeeded-suno.json") { transport in
            let client = BeatraClient(apiKey: "key", configuration: ClientConfiguration(transport: transport))
            return { _ = try await client.task(id: "task_01JBEATRA0000000000000001") }
        },
    ]

    /// The test fixtures, found from this file's place in the repository.
    static let testsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Tests")

    func run() async throws -> [Report] {
        var reports: [Report] = []
        for subject in Self.subjects {
            let body = try Data(contentsOf: Self.testsFolder.appendingPathComponent(subject.fixture))
            let transport = FixtureTransport(
                response: HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: body))
            let sdk = subject.poll(transport)
            let parse: @Sendable () async throws -> Void = {
                guard try JSONSerialization.jsonObject(with: body) is [String: Any] else {
                    throw BenchmarkError("\(subject.fixture) is not a JSON object")
                }
            }
            var sdkRate = Rate()
            var parseRate = Rate()
            for _ in 0..<rounds {
                sdkRate.add(try await Self.batch(for: batchTime, sdk))
                parseRate.add(try await Self.batch(for: batchTime, parse))
            }
            let name = (subject.fixture as NSString).lastPathComponent
            reports.append(
                Report(
                    figure: "5 decoding, \(subject.name)",
                    measured:
                        "\(Format.count(Int(sdkRate.perSecond))) objects/s through the client over an in-memory transport vs \(Format.count(Int(parseRate.perSecond))) /s for JSONSerialization alone (\(name), \(body.count) bytes); ratio \(Format.fixed(sdkRate.perSecond / parseRate.perSecond, 2))",
                    target: "",
                    verdict: .info
                ))
        }
        return reports
    }

    struct Rate {
        var calls = 0
        var time = Duration.zero

        var perSecond: Double { Double(calls) / time.seconds }

        mutating func add(_ batch: (calls: Int, time: Duration)) {
            calls += batch.calls
            time += batch.time
        }
    }

    /// Calls `call` in runs of 100 until `duration` has passed.
    static func batch(for duration: Duration, _ call: @Sendable () async throws -> Void) async throws
        -> (calls: Int, time: Duration)
    {
        let clock = ContinuousClock()
        let start = clock.now
        var calls = 0
        while start.duration(to: clock.now) < duration {
            for _ in 0..<100 { try await call() }
            calls += 100
        }
        return (calls, start.duration(to: clock.now))
    }
}

/// Answers every request with the same response, at once.
struct FixtureTransport: HTTPTransport {
    let response: HTTPResponse

    func send(_ request: HTTPRequest) async throws -> HTTPResponse { response }

    /// It answers at once, so no deadline can pass: the executor need not race one.
    var enforcesTimeouts: Bool { true }

    func download(_ request: HTTPRequest, to file: URL, progress: (@Sendable (TransferProgress) -> Void)?)
        async throws -> HTTPResponse
    {
        throw TransportError(.invalidRequest, "the decoding benchmark downloads nothing")
    }
}

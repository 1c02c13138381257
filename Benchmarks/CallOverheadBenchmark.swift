import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenSkytells

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Figure 1: what the SDK adds to one call. A Skytells get-prediction through `SkytellsClient`
/// against the same HTTP request made with `URLSession` and read with `JSONSerialization`.
///
/// Both sides send the same headers over their own `URLSession` built from the same
/// configuration, one call at a time, in alternating batches (which side goes first alternates
/// too) so that drift in the machine's load hits both. The figure is the ratio of the medians.
struct CallOverheadBenchmark {
    var rounds = 25
    var batch = 100
    var warmUp = 100
    static let target = 1.05

    func run(_ emulator: Emulator) async throws -> [Report] {
        let client = SkytellsClient(
            apiKey: Emulator.skytellsKey,
            configuration: ClientConfiguration(baseURL: emulator.skytellsBaseURL, transport: URLSessionTransport())
        )
        let created = try await client.createPrediction(
            .beatFusion2, input: BeatFusionInput(prompt: "benchmark", duration: .seconds(5)))
        // The default plan moves one step per poll: two polls and it is `succeeded` for good, so
        // every measured call reads the same body.
        for _ in 0..<2 { _ = try await client.prediction(id: created.id) }

        let raw = RawPredictionReader(baseURL: emulator.skytellsBaseURL, apiKey: Emulator.skytellsKey, id: created.id)
        let sdk: @Sendable () async throws -> Void = {
            let prediction = try await client.prediction(id: created.id)
            guard prediction.status == .succeeded else { throw BenchmarkError("SDK read \(prediction.rawStatus)") }
        }

        _ = try await Self.time(warmUp, sdk)
        _ = try await Self.time(warmUp, raw.read)
        var sdkTimes: [Duration] = []
        var rawTimes: [Duration] = []
        for round in 0..<rounds {
            if round.isMultiple(of: 2) {
                sdkTimes += try await Self.time(batch, sdk)
                rawTimes += try await Self.time(batch, raw.read)
            } else {
                rawTimes += try await Self.time(batch, raw.read)
                sdkTimes += try await Self.time(batch, sdk)
            }
        }
        let sdkMedian = Statistics.median(sdkTimes)
        let rawMedian = Statistics.median(rawTimes)
        let ratio = sdkMedian / rawMedian
        return [
            Report(
                figure: "1 per-call overhead, Skytells get-prediction",
                measured:
                    "SkytellsClient median \(Format.duration(sdkMedian)) (p90 \(Format.duration(Statistics.percentile(sdkTimes, 0.9)))) vs URLSession+JSONSerialization \(Format.duration(rawMedian)) (p90 \(Format.duration(Statistics.percentile(rawTimes, 0.9)))), \(Format.count(sdkTimes.count)) calls each; ratio \(Format.fixed(ratio, 3))",
                target: "≤ \(Self.target)",
                verdict: .init(ratio <= Self.target)
            )
        ]
    }

    /// The duration of each of `count` calls made one after another.
    static func time(_ count: Int, _ call: @Sendable () async throws -> Void) async throws -> [Duration] {
        var times: [Duration] = []
        times.reserveCapacity(count)
        let clock = ContinuousClock()
        for _ in 0..<count {
            let start = clock.now
            try await call()
            times.append(start.duration(to: clock.now))
        }
        return times
    }
}

/// The other side of figure 1: the same GET with nothing but Foundation, as an app without the
/// SDK would write it: each call builds its request for the prediction's id, sends it with
/// `URLSession.data(for:)` and reads the answer with `JSONSerialization`.
struct RawPredictionReader: Sendable {
    let baseURL: URL
    let apiKey: String
    let id: String
    let session: URLSession

    init(baseURL: URL, apiKey: String, id: String) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.id = id
        self.session = URLSession(configuration: URLSessionTransport.defaultConfiguration())
    }

    /// The request for `id`, with the headers the SDK sends, so the server does the same work for both sides.
    func request(id: String) -> URLRequest {
        var request = URLRequest(url: baseURL.appendingPathComponent("predictions").appendingPathComponent(id))
        request.httpMethod = "GET"
        request.setValue(apiKey, forHTTPHeaderField: "x-api-key")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue(MediaGenKitVersion.userAgent(for: .skytells), forHTTPHeaderField: "User-Agent")
        request.timeoutInterval = 60
        return request
    }

    func read() async throws {
        let (data, response) = try await session.data(for: request(id: id))
        guard (response as? HTTPURLResponse)?.statusCode == 200,
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            object["status"] as? String == "succeeded", object["id"] is String, object["output"] is [Any]
        else { throw BenchmarkError("raw read of prediction \(id) failed") }
    }
}

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
/// configuration, one call at a time, alternating call by call (which side goes first alternates
/// too), so that drift in the machine's load hits both alike. The figure is the ratio of the
/// medians.
///
/// A control runs the same way with two identical raw readers: its ratio is how far the method
/// alone strays from 1. Alternating in batches of 100, as earlier runs did, let that control
/// read 0.98–1.04 on this machine, almost the target's whole margin; call by call it reads
/// 0.99–1.01.
struct CallOverheadBenchmark {
    var pairs = 2_500
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
        let figure = try await Self.compare(sdk, raw.read, pairs: pairs, warmUp: warmUp)

        let twin = RawPredictionReader(baseURL: emulator.skytellsBaseURL, apiKey: Emulator.skytellsKey, id: created.id)
        let control = try await Self.compare(twin.read, raw.read, pairs: pairs, warmUp: warmUp)

        return [
            Report(
                figure: "1 per-call overhead, Skytells get-prediction",
                measured:
                    "SkytellsClient median \(Format.duration(figure.first.median)) (p90 \(Format.duration(figure.first.p90)), processor \(Format.duration(figure.first.processor))) vs URLSession+JSONSerialization \(Format.duration(figure.second.median)) (p90 \(Format.duration(figure.second.p90)), processor \(Format.duration(figure.second.processor))), \(Format.count(pairs)) calls each; ratio \(Format.fixed(figure.ratio, 3))",
                target: "≤ \(Self.target)",
                verdict: .init(figure.ratio <= Self.target)
            ),
            Report(
                figure: "1 control, two identical URLSession+JSONSerialization readers measured the same way",
                measured:
                    "medians \(Format.duration(control.first.median)) and \(Format.duration(control.second.median)); ratio \(Format.fixed(control.ratio, 3)), how far the method alone strays from 1",
                target: "",
                verdict: .info
            ),
        ]
    }

    /// One side of a comparison: its calls' median and 90th percentile, and the processor time
    /// (every thread of the process) a call took on average.
    struct Side {
        var median: Duration
        var p90: Duration
        var processor: Duration
    }

    /// `first` and `second` called `pairs` times each, alternating call by call, after `warmUp`
    /// calls of each; `ratio` is the first's median over the second's.
    static func compare(
        _ first: @Sendable () async throws -> Void,
        _ second: @Sendable () async throws -> Void,
        pairs: Int,
        warmUp: Int
    ) async throws -> (first: Side, second: Side, ratio: Double) {
        _ = try await time(warmUp, first)
        _ = try await time(warmUp, second)
        let clock = ContinuousClock()
        var times: [[Duration]] = [[], []]
        var processor: [Duration] = [.zero, .zero]
        for side in 0..<2 { times[side].reserveCapacity(pairs) }
        func measure(_ side: Int) async throws {
            let processorBefore = ProcessorTime.ofThisProcess()
            let start = clock.now
            try await (side == 0 ? first : second)()
            times[side].append(start.duration(to: clock.now))
            processor[side] += ProcessorTime.ofThisProcess() - processorBefore
        }
        for pair in 0..<pairs {
            let firstSide = pair % 2
            try await measure(firstSide)
            try await measure(1 - firstSide)
        }
        let sides = (0..<2).map { side in
            Side(
                median: Statistics.median(times[side]),
                p90: Statistics.percentile(times[side], 0.9),
                processor: processor[side] / max(1, pairs))
        }
        return (sides[0], sides[1], sides[0].median / sides[1].median)
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

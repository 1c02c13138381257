import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenSkytells

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `Benchmarks _breakdown [rounds] [batch]`: where figure 1's difference goes. The same
/// get-prediction measured at each layer of the SDK beside the raw side's layers, interleaved in
/// batches of `batch` calls (100 by default; 1 alternates call by call), printed as medians.
///
/// Not a figure: a diagnostic for whoever works on per-call overhead. Run it on a quiet machine,
/// and more than once: the layers differ by tens of microseconds, about the run-to-run noise.
enum CallBreakdown {
    static let command = "_breakdown"

    static func main(_ arguments: [String]) async throws {
        let rounds = arguments.first.flatMap(Int.init) ?? 20
        let batch = arguments.dropFirst().first.flatMap(Int.init) ?? 100
        try await Emulator.run { emulator in
            let transport = URLSessionTransport()
            let client = SkytellsClient(
                apiKey: Emulator.skytellsKey,
                configuration: ClientConfiguration(baseURL: emulator.skytellsBaseURL, transport: transport))
            let created = try await client.createPrediction(
                .beatFusion2, input: BeatFusionInput(prompt: "benchmark", duration: .seconds(5)))
            for _ in 0..<2 { _ = try await client.prediction(id: created.id) }

            let raw = RawPredictionReader(
                baseURL: emulator.skytellsBaseURL, apiKey: Emulator.skytellsKey, id: created.id)
            let prebuilt = raw.request(id: created.id)
            guard let url = prebuilt.url else { throw BenchmarkError("no URL for prediction \(created.id)") }
            var http = HTTPRequest(method: .get, url: url, timeout: .seconds(60))
            for (name, value) in prebuilt.allHTTPHeaderFields ?? [:] { http.headers[name] = value }
            let sdkRequest = http
            let recorded = try await transport.send(sdkRequest)
            let body = recorded.body
            // The SDK's whole call with the network taken out: a transport that hands back the
            // answer recorded above at once.
            let answered = SkytellsClient(
                apiKey: Emulator.skytellsKey,
                configuration: ClientConfiguration(
                    baseURL: emulator.skytellsBaseURL, transport: RecordedAnswer(response: recorded)))

            // The same transport with no admission queue (a connection limit of 0 turns it off):
            // what the queue's bookkeeping costs a call that never waits.
            let unqueuedConfiguration = URLSessionTransport.defaultConfiguration()
            unqueuedConfiguration.httpMaximumConnectionsPerHost = 0
            let unqueued = URLSessionTransport(configuration: unqueuedConfiguration)
            let layers: [(name: String, call: @Sendable () async throws -> Void)] = [
                ("raw: data(for:), one prebuilt request", { _ = try await raw.session.data(for: prebuilt) }),
                ("raw: figure 1 (request, data, JSONSerialization)", { try await raw.read() }),
                (
                    "bare: data(for:) on the transport's session",
                    { _ = try await transport.session.data(for: prebuilt) }
                ),
                (
                    "bare: completion-handler task on the transport's session",
                    {
                        _ = try await withCheckedThrowingContinuation { (done: CheckedContinuation<Data, any Error>) in
                            transport.session.dataTask(with: prebuilt) { data, _, error in
                                if let error {
                                    done.resume(throwing: error)
                                } else {
                                    done.resume(returning: data ?? Data())
                                }
                            }.resume()
                        }
                    }
                ),
                ("SDK: URLSessionTransport.send", { _ = try await transport.send(sdkRequest) }),
                ("SDK: URLSessionTransport.send, no admission queue", { _ = try await unqueued.send(sdkRequest) }),
                (
                    "SDK: transport.send + JSONReader decode",
                    {
                        let response = try await transport.send(sdkRequest)
                        _ = try JSONReader().decode(Prediction.self, from: response.body)
                    }
                ),
                ("SDK: figure 1 (client.prediction(id:))", { _ = try await client.prediction(id: created.id) }),
                (
                    "in memory: client.prediction(id:), answered at once",
                    { _ = try await answered.prediction(id: created.id) }
                ),
                ("in memory: JSONReader decode", { _ = try JSONReader().decode(Prediction.self, from: body) }),
                ("in memory: JSONSerialization", { _ = try JSONSerialization.jsonObject(with: body) }),
            ]
            var times = Array(repeating: [Duration](), count: layers.count)
            // The whole process's processor time over each layer's batches: FoundationNetworking's
            // threads and the SDK's alike, so less noisy than the wall time a call waits.
            var processorTimes = Array(repeating: Duration.zero, count: layers.count)
            for layer in layers { _ = try await CallOverheadBenchmark.time(100, layer.call) }
            for round in 0..<max(1, rounds * 100 / max(1, batch)) {
                let order = round.isMultiple(of: 2) ? Array(layers.indices) : layers.indices.reversed()
                for index in order {
                    let before = ProcessorTime.ofThisProcess()
                    times[index] += try await CallOverheadBenchmark.time(batch, layers[index].call)
                    processorTimes[index] += ProcessorTime.ofThisProcess() - before
                }
            }
            for (index, layer) in layers.enumerated() {
                let name = layer.name.padding(toLength: 52, withPad: " ", startingAt: 0)
                let processor = processorTimes[index] / times[index].count
                print(
                    "\(name) median \(Format.duration(Statistics.median(times[index])))  p25 \(Format.duration(Statistics.percentile(times[index], 0.25)))  processor \(Format.duration(processor))"
                )
            }
        }
    }
}

/// A transport that answers every request with one recorded response, at once. Not
/// `StubTransport`, which keeps every request it is sent and leaves deadlines to the executor:
/// both would be measured as the SDK's cost.
private struct RecordedAnswer: HTTPTransport {
    let response: HTTPResponse
    var enforcesTimeouts: Bool { true }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse { response }

    func download(
        _ request: HTTPRequest, to file: URL, progress: (@Sendable (TransferProgress) -> Void)?
    ) async throws -> HTTPResponse {
        throw TransportError(.unsupported, "a recorded answer does not download")
    }
}

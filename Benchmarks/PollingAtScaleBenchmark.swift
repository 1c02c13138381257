import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenSkytells

/// Figure 4: a thousand tasks awaited at once. Skytells predictions on the emulator, each
/// finishing at its own known time (`X-Emulator-Timeline`), all followed concurrently by one
/// process through one `URLSessionTransport`, under the policy derived from the jobs' typical
/// latency. Real time, not scaled.
///
/// Polls made are the emulator's count. The minimum is what the policy's schedule needs for each
/// task's completion time with zero latency: the number of scheduled polls up to the first at or
/// after the completion. The followers run in a separate process (`Benchmarks _scale <origin>`),
/// whose `VmHWM` is the peak memory reported.
struct PollingAtScaleBenchmark {
    static let ratioTarget = 1.1

    func run(_ emulator: Emulator) async throws -> [Report] {
        try await emulator.reset()
        let outcome = try await Subprocess.run(
            Subprocess.currentExecutable, [ScaleChild.command, emulator.origin.absoluteString])
        guard outcome.status == 0, let result = ScaleChild.Result(outcome.output) else {
            throw BenchmarkError("the scale child failed (\(outcome.status)): \(outcome.output)")
        }
        let stats = try await emulator.stats()
        let polls = stats.counter("skytells", "polls")
        let created = stats.tasksCreated("skytells")
        guard created == result.tasks else {
            throw BenchmarkError("the emulator counts \(created) predictions created, expected \(result.tasks)")
        }
        let ratio = Double(polls) / Double(result.minimumPolls)
        let scenario = ScaleScenario()
        return [
            Report(
                figure: "4 polling at scale, \(Format.count(result.tasks)) concurrent tasks",
                measured:
                    "\(Format.count(polls)) polls vs \(Format.count(result.minimumPolls)) the policy's schedule needs, ratio \(Format.fixed(ratio, 3)); jobs of \(Format.duration(scenario.shortest))–\(Format.duration(scenario.longest)), all done in \(Format.fixed(result.wallSeconds)) s wall; noticed on average \(Format.fixed(result.meanDelaySeconds * 1000, 0)) ms after the end (max \(Format.fixed(result.maxDelaySeconds * 1000, 0)) ms); peak memory (VmHWM of the follower process) \(Format.mebibytes(result.peakBytes)), \(Format.mebibytes(result.startBytes)) of it resident before the first task",
                target: "≤ \(Self.ratioTarget)×",
                verdict: .init(ratio <= Self.ratioTarget)
            )
        ]
    }
}

/// The tasks of figure 4: when each finishes and how they are followed.
struct ScaleScenario: Sendable {
    var count = 1000
    /// Completion times spread evenly over 4–12 s, ten tasks for each 80 ms step.
    var shortest: Duration = .seconds(4)
    var step: Duration = .milliseconds(80)
    var steps = 100

    var longest: Duration { shortest + step * (steps - 1) }

    /// What the app would choose for a model that usually takes 4–12 s.
    var policy: PollingPolicy { PollingPolicy(typicalLatency: shortest...(.seconds(12))) }

    func length(ofTask index: Int) -> Duration {
        shortest + step * (index % steps)
    }

    /// The polls the policy's schedule makes, after the create, until the first one at or after
    /// `length`: the fewest any follower on this schedule can make.
    func minimumPolls(for length: Duration) -> Int {
        // `TaskUpdates` counts the create's answer as the first look; poll n then comes after the
        // waits `delay(afterPolls: 1…n)`.
        var elapsed = Duration.zero
        var polls = 0
        while elapsed < length {
            polls += 1
            elapsed += policy.delay(afterPolls: polls)
        }
        return polls
    }
}

/// The follower process of figure 4.
enum ScaleChild {
    static let command = "_scale"

    struct Result: Codable {
        var tasks: Int
        var minimumPolls: Int
        var wallSeconds: Double
        var meanDelaySeconds: Double
        var maxDelaySeconds: Double
        var startBytes: Int64
        var peakBytes: Int64

        init(
            tasks: Int, minimumPolls: Int, wallSeconds: Double, meanDelaySeconds: Double, maxDelaySeconds: Double,
            startBytes: Int64, peakBytes: Int64
        ) {
            self.tasks = tasks
            self.minimumPolls = minimumPolls
            self.wallSeconds = wallSeconds
            self.meanDelaySeconds = meanDelaySeconds
            self.maxDelaySeconds = maxDelaySeconds
            self.startBytes = startBytes
            self.peakBytes = peakBytes
        }

        init?(_ output: String) {
            guard let line = output.split(separator: "\n").last,
                let result = try? JSONDecoder().decode(Result.self, from: Data(line.utf8))
            else { return nil }
            self = result
        }
    }

    static func main(_ arguments: [String]) async throws {
        guard arguments.count == 1, let origin = URL(string: arguments[0]) else {
            throw BenchmarkError("usage: Benchmarks \(command) <emulator origin>")
        }
        let startBytes = ResidentMemory.currentBytes()
        let scenario = ScaleScenario()
        let baseURL = origin.appendingPathComponent("skytells/v1")
        let transport = URLSessionTransport()
        let clock = ContinuousClock()
        let start = clock.now
        let delays = try await withThrowingTaskGroup(of: Duration.self) { group in
            for index in 0..<scenario.count {
                let length = scenario.length(ofTask: index)
                group.addTask {
                    try await follow(length: length, policy: scenario.policy, baseURL: baseURL, transport: transport)
                }
            }
            var delays: [Duration] = []
            for try await delay in group { delays.append(delay) }
            return delays
        }
        let wall = start.duration(to: clock.now)
        let minimum = (0..<scenario.count).reduce(0) { $0 + scenario.minimumPolls(for: scenario.length(ofTask: $1)) }
        let mean = delays.reduce(Duration.zero, +) / delays.count
        let result = Result(
            tasks: delays.count, minimumPolls: minimum, wallSeconds: wall.seconds, meanDelaySeconds: mean.seconds,
            maxDelaySeconds: (delays.max() ?? .zero).seconds, startBytes: startBytes,
            peakBytes: ResidentMemory.peakBytes())
        print(String(decoding: try JSONEncoder().encode(result), as: UTF8.self))
    }

    /// Creates one prediction that finishes after `length`, follows it to its end, and returns how
    /// late the end was noticed (from when the create was sent, so never an underestimate).
    private static func follow(
        length: Duration, policy: PollingPolicy, baseURL: URL, transport: URLSessionTransport
    ) async throws -> Duration {
        let finish = Int((length.seconds * 1000).rounded())
        let client = SkytellsClient(
            apiKey: Emulator.skytellsKey,
            configuration: ClientConfiguration(
                baseURL: baseURL,
                transport: transport,
                additionalHeaders: ["X-Emulator-Timeline": "queued@0,processing@\(finish / 2),succeeded@\(finish)"]
            )
        )
        let clock = ContinuousClock()
        let sent = clock.now
        let created = try await client.createPrediction(
            .beatFusion2, input: BeatFusionInput(prompt: "benchmark", duration: .seconds(30)))
        let done = try await client.wait(for: created, policy: policy)
        guard done.status == .succeeded else { throw BenchmarkError("\(created.id) ended \(done.rawStatus)") }
        return (sent + length).duration(to: clock.now)
    }
}

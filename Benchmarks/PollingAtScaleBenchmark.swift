import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenSkytells

/// Figure 4: ten thousand tasks awaited at once. Skytells predictions on the emulator, each
/// finishing at its own known time (`X-Emulator-Timeline`), all followed concurrently by one
/// process through one `URLSessionTransport`, under the policy derived from the jobs' typical
/// latency. Real time, not scaled. Two shapes, each in a run of its own: a Swift task per
/// followed task, each creating its prediction and waiting with `wait(for:)`; and a Swift task
/// per client (100), each creating its 100 predictions one after another and following them
/// together with `completions(of:)`.
///
/// Polls made are the emulator's count. The minimum is what the policy's schedule needs for each
/// task's completion time with zero latency: the number of scheduled polls up to the first at or
/// after the completion. The followers run in a separate process (`Benchmarks _scale <origin>`),
/// whose `VmHWM` is the peak memory reported.
struct PollingAtScaleBenchmark {
    static let ratioTarget = 1.1
    /// The target for 10,000 followed tasks; reported against whatever count was run.
    static let memoryTarget: Int64 = 256 << 20
    /// How many tasks are followed at once (`--scale-tasks N`).
    var tasks = 10_000

    func run(_ emulator: Emulator) async throws -> [Report] {
        try await measure(.follow, "a Swift task each, `wait(for:)`", on: emulator)
            + measure(.together, "a Swift task per client, `completions(of:)`", on: emulator)
    }

    /// Both lines of one shape: polls and memory.
    private func measure(_ shape: ScaleChild.Probe, _ label: String, on emulator: Emulator) async throws -> [Report] {
        try await emulator.reset()
        let outcome = try await Subprocess.run(
            Subprocess.currentExecutable,
            [ScaleChild.command, emulator.origin.absoluteString, String(tasks), shape.rawValue])
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
        let scenario = ScaleScenario(count: tasks)
        let perTask = Double(result.peakBytes - result.startBytes) / Double(result.tasks)
        let tasks = "\(Format.count(result.tasks)) concurrent tasks, \(label)"
        return [
            Report(
                figure: "4 polling at scale, \(tasks)",
                measured:
                    "\(Format.count(polls)) polls vs \(Format.count(result.minimumPolls)) the policy's schedule needs, ratio \(Format.fixed(ratio, 3)); jobs of \(Format.duration(scenario.shortest))–\(Format.duration(scenario.longest)), all done in \(Format.fixed(result.wallSeconds)) s wall (creates all answered after \(Format.fixed(result.createdSeconds)) s); noticed on average \(Format.fixed(result.meanDelaySeconds, 2)) s after the end (max \(Format.fixed(result.maxDelaySeconds, 2)) s); the emulator saw \(Format.count(stats.counter("skytells", "connections"))) connections, at most \(stats.counter("skytells", "peak_connections")) open at once",
                target: "≤ \(Self.ratioTarget)×",
                verdict: .init(ratio <= Self.ratioTarget)
            ),
            Report(
                figure: "4 memory at scale, \(tasks)",
                measured:
                    "peak (VmHWM of the follower process) \(Format.mebibytes(result.peakBytes)), \(Format.mebibytes(result.startBytes)) of it resident before the first task: \(Format.fixed(perTask / 1024, 1)) KiB per followed task; resident when every create was answered \(Format.mebibytes(result.createdBytes)), at the end \(Format.mebibytes(result.endBytes))",
                target: "< \(Format.mebibytes(Self.memoryTarget)) for 10,000",
                verdict: .init(result.peakBytes < Self.memoryTarget)
            ),
        ]
    }
}

/// The tasks of figure 4: when each finishes and how they are followed.
struct ScaleScenario: Sendable {
    var count: Int
    /// Completion times spread evenly over 4–12 s for up to 1,000 tasks, `count / 100` tasks for
    /// each step of 1 % of the range. Beyond 1,000 the range is stretched in proportion
    /// (40–120 s for 10,000), so that the emulator, one Python process, is asked for about as
    /// many requests a second as at 1,000 — at the same pace it would fall behind by tens of
    /// seconds, and the figure would measure its queue instead of the policy.
    var shortest: Duration
    var step: Duration
    var steps = 100

    init(count: Int) {
        self.count = count
        let stretch = max(1, Double(count) / 1000)
        self.shortest = .seconds(4) * stretch
        self.step = .milliseconds(80) * stretch
    }

    /// The typical latency the app gives the policy: 4–12 s for 1,000 tasks, whose longest job
    /// takes 11.92 s.
    var typicalLatency: ClosedRange<Duration> { shortest...(shortest * 3) }

    var longest: Duration { shortest + step * (steps - 1) }

    /// What the app would choose for a model that usually takes that long.
    var policy: PollingPolicy { PollingPolicy(typicalLatency: typicalLatency) }

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

/// The follower process of figure 4: `Benchmarks _scale <origin> <tasks> [follow|together|probe]`.
///
/// `follow` (the default) and `together` are the figure's two shapes. A probe replaces the
/// followers for finding where a followed task's memory goes; it prints the same result:
/// `sleep`, a Swift task per job sleeping the job's length and nothing else;
/// `in-memory`, the same `SkytellsClient` calls and schedule over a transport that answers in
/// memory (the SDK without the network); `client-per-task`, the figure with a client per task
/// (as until issue 22) instead of one per completion time.
enum ScaleChild {
    static let command = "_scale"

    enum Probe: String {
        case follow
        case sleep
        case inMemory = "in-memory"
        case clientPerTask = "client-per-task"
        /// Not a probe: the figure's second shape, every client's tasks followed together
        /// through `completions(of:)`.
        case together
    }

    struct Result: Codable {
        var tasks: Int
        var minimumPolls: Int
        var wallSeconds: Double
        /// When the last create was answered.
        var createdSeconds: Double
        var meanDelaySeconds: Double
        var maxDelaySeconds: Double
        var startBytes: Int64
        var peakBytes: Int64
        /// Resident when the last create was answered, and at the end (every task done).
        var createdBytes: Int64
        var endBytes: Int64
    }

    static func main(_ arguments: [String]) async throws {
        guard (2...3).contains(arguments.count), let origin = URL(string: arguments[0]), let count = Int(arguments[1]),
            let probe = Probe(rawValue: arguments.count == 3 ? arguments[2] : "follow")
        else {
            let probes = "follow|together|sleep|in-memory|client-per-task"
            throw BenchmarkError("usage: Benchmarks \(command) <emulator origin> <tasks> [\(probes)]")
        }
        let startBytes = ResidentMemory.currentBytes()
        let scenario = ScaleScenario(count: count)
        let baseURL = origin.appendingPathComponent("skytells/v1")
        let transport: any HTTPTransport = probe == .inMemory ? InMemorySkytells() : URLSessionTransport()
        // One client per completion time: the timeline header is the client's, and an app
        // follows its tasks through one client, not one each.
        let clients = (0..<scenario.steps).map { step in
            makeClient(length: scenario.length(ofTask: step), baseURL: baseURL, transport: transport)
        }
        let creates = CreateTally(remaining: count)
        let clock = ContinuousClock()
        let start = clock.now
        let delays = try await withThrowingTaskGroup(of: [Duration].self) { group in
            if probe == .together {
                for step in 0..<scenario.steps {
                    let tasks = Array(stride(from: step, to: scenario.count, by: scenario.steps))
                    group.addTask {
                        try await followTogether(tasks, scenario: scenario, client: clients[step], creates: creates)
                    }
                }
            }
            for index in 0..<scenario.count where probe != .together {
                let length = scenario.length(ofTask: index)
                let client =
                    probe == .clientPerTask
                    ? makeClient(length: length, baseURL: baseURL, transport: transport)
                    : clients[index % scenario.steps]
                group.addTask {
                    guard probe != .sleep else { return [try await sleep(for: length, creates: creates)] }
                    return [try await follow(length: length, policy: scenario.policy, client: client, creates: creates)]
                }
            }
            var delays: [Duration] = []
            for try await some in group { delays += some }
            return delays
        }
        let wall = start.duration(to: clock.now)
        let (createdAt, createdBytes) = await creates.lastAnswer
        let minimum = (0..<scenario.count).reduce(0) { $0 + scenario.minimumPolls(for: scenario.length(ofTask: $1)) }
        let mean = delays.reduce(Duration.zero, +) / delays.count
        let result = Result(
            tasks: delays.count, minimumPolls: minimum, wallSeconds: wall.seconds,
            createdSeconds: start.duration(to: createdAt ?? start).seconds, meanDelaySeconds: mean.seconds,
            maxDelaySeconds: (delays.max() ?? .zero).seconds, startBytes: startBytes,
            peakBytes: ResidentMemory.peakBytes(), createdBytes: createdBytes, endBytes: ResidentMemory.currentBytes())
        print(String(decoding: try JSONEncoder().encode(result), as: UTF8.self))
    }

    /// A client whose creates finish after `length` on the emulator.
    private static func makeClient(length: Duration, baseURL: URL, transport: any HTTPTransport) -> SkytellsClient {
        let finish = Int((length.seconds * 1000).rounded())
        return SkytellsClient(
            apiKey: Emulator.skytellsKey,
            configuration: ClientConfiguration(
                baseURL: baseURL,
                transport: transport,
                additionalHeaders: ["X-Emulator-Timeline": "queued@0,processing@\(finish / 2),succeeded@\(finish)"]
            )
        )
    }

    /// The `sleep` probe's task: a Swift task that does nothing but wait as long as a job.
    @inline(never)
    private static func sleep(for length: Duration, creates: CreateTally) async throws -> Duration {
        await creates.answered()
        try await Task.sleep(for: length)
        return .zero
    }

    /// Creates one prediction that finishes after `length`, follows it to its end, and returns how
    /// late the end was noticed (from when the create was sent, so never an underestimate). Out of
    /// line, as an app's own function would be: inlined into the task's closure, the benchmark's
    /// bookkeeping made that closure's frame 6 KiB, kept for the task's life.
    @inline(never)
    private static func follow(
        length: Duration, policy: PollingPolicy, client: SkytellsClient, creates: CreateTally
    ) async throws -> Duration {
        let clock = ContinuousClock()
        let sent = clock.now
        let created = try await client.createPrediction(
            .beatFusion2, input: BeatFusionInput(prompt: "benchmark", duration: .seconds(30)))
        await creates.answered()
        let done = try await client.wait(for: created, policy: policy)
        guard done.status == .succeeded else { throw BenchmarkError("\(created.id) ended \(done.rawStatus)") }
        return (sent + length).duration(to: clock.now)
    }
}

extension ScaleChild {
    /// Creates one client's tasks, one after another, then follows them all from this one Swift
    /// task with `completions(of:)`, one poll at a time (the figure's 100 clients make 100 at
    /// most). Returns how late each end was noticed, from when its create was sent.
    @inline(never)
    fileprivate static func followTogether(
        _ tasks: [Int], scenario: ScaleScenario, client: SkytellsClient, creates: CreateTally
    ) async throws -> [Duration] {
        let clock = ContinuousClock()
        var created: [Prediction] = []
        var ends: [String: ContinuousClock.Instant] = [:]
        for index in tasks {
            let sent = clock.now
            let prediction = try await client.createPrediction(
                .beatFusion2, input: BeatFusionInput(prompt: "benchmark", duration: .seconds(30)))
            await creates.answered()
            ends[prediction.id] = sent + scenario.length(ofTask: index)
            created.append(prediction)
        }
        var delays: [Duration] = []
        for await completion in try client.completions(of: created, policy: scenario.policy, maxConcurrentPolls: 1) {
            let done = try completion.get()
            guard done.status == .succeeded, let end = ends[done.id] else {
                throw BenchmarkError("\(done.id) ended \(done.rawStatus)")
            }
            delays.append(end.duration(to: clock.now))
        }
        return delays
    }
}

extension ScaleChild.Result {
    init?(_ output: String) {
        guard let line = output.split(separator: "\n").last,
            let result = try? JSONDecoder().decode(Self.self, from: Data(line.utf8))
        else { return nil }
        self = result
    }
}

/// Counts the creates answered, and notes the time and resident memory when the last one is.
private actor CreateTally {
    private var remaining: Int
    private(set) var lastAnswer: (at: ContinuousClock.Instant?, bytes: Int64) = (nil, 0)

    init(remaining: Int) { self.remaining = remaining }

    func answered() {
        remaining -= 1
        if remaining == 0 { lastAnswer = (ContinuousClock.now, ResidentMemory.currentBytes()) }
    }
}

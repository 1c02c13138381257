import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenFal

/// Figure 7: what following a fal request costs over its status stream, against polling. A batch
/// of fal requests that the emulator completes at known times (`X-Emulator-Timeline`), each
/// followed to its end with `wait(for:)` from its submit answer, three ways, one batch after the
/// other: the status stream (`ClientConfiguration.statusStreaming`, the default), polling under
/// the policy `wait(for:)` picks when streaming is off (`PollingPolicy.default`: Beatoven has no
/// typical latency in the catalog), and polling every 0.1 s, as fal's own clients do.
///
/// Requests are counted per job by the transport the job's client sends through, by route: the
/// *following* requests are the status polls and the stream opens; the submit and the result
/// fetch (one each, whatever the mode) are counted apart. The emulator's own counts for the batch
/// must agree, or the figure fails. The notice delay runs from the moment the emulator's timeline
/// completes the request (its `created_at` plus the planned length: from then on any status read
/// says `COMPLETED`) to the moment `wait(for:)` returned it, output fetched.
///
/// Real time, not scaled as figure 3 scales its long job: a stream is not paced by the client's
/// clock, and a scaled clock would multiply every real millisecond of latency by the factor.
/// Each batch shares one `URLSessionTransport`, as an app's clients share
/// `URLSessionTransport.shared`; 12 jobs by default, within its 16 connections to a host (a
/// stream holds one for its job's whole length). `--fal-jobs 64` shows what happens beyond.
struct StatusStreamBenchmark {
    static let followingTarget = 1
    static let delayTarget: Duration = .milliseconds(50)

    /// How many requests each mode follows at once (`--fal-jobs`).
    var jobs = 12

    /// Spread evenly over 1.5–12.5 s: 1.5 s, 2.5 s, … 12.5 s for 12 jobs.
    var lengths: [Duration] {
        (0..<jobs).map { index in
            .milliseconds(1500 + (jobs > 1 ? 11_000 * index / (jobs - 1) : 0))
        }
    }

    enum Mode: CaseIterable {
        case streaming, defaultPolling, fixedPolling

        var name: String {
            switch self {
            case .streaming: "status stream (statusStreaming on, the default)"
            case .defaultPolling: "polling, streaming off, PollingPolicy.default"
            case .fixedPolling: "polling every 0.1 s, streaming off (fal's clients)"
            }
        }

        var streaming: Bool { self == .streaming }

        /// `nil`: what `wait(for:)` picks.
        var policy: PollingPolicy? { self == .fixedPolling ? PollingCostBenchmark.fixedTenthOfASecond : nil }
    }

    struct Outcome: Sendable {
        var requests: RequestCounts
        /// From the emulator's completion of the job to `wait(for:)` returning it.
        var delay: Duration
        /// The part of `delay` spent fetching the output.
        var resultFetch: Duration
    }

    func run(_ emulator: Emulator) async throws -> [Report] {
        var reports: [Report] = []
        for mode in Mode.allCases {
            try await emulator.reset()
            let transport = URLSessionTransport()
            let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
                for length in lengths {
                    group.addTask { try await Self.follow(length, mode: mode, transport: transport, on: emulator) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            try await Self.check(outcomes, against: emulator.stats())
            reports.append(report(mode, outcomes))
        }
        return reports
    }

    func report(_ mode: Mode, _ outcomes: [Outcome]) -> Report {
        let total = outcomes.reduce(RequestCounts()) { $0 + $1.requests }
        let following = outcomes.map(\.requests.following)
        let perJob = Double(total.following) / Double(outcomes.count)
        let delays = outcomes.map(\.delay)
        let p50 = Statistics.median(delays)
        let p95 = Statistics.percentile(delays, 0.95)
        let fetch = Statistics.median(outcomes.map(\.resultFetch))
        let span = "\(Format.duration(lengths.min() ?? .zero))–\(Format.duration(lengths.max() ?? .zero))"
        let measured =
            "\(Format.fixed(perJob, 2)) following requests per job (max \(following.max() ?? 0); in all \(total.streamOpens) stream opens + \(Format.count(total.statusPolls)) status polls), completion noticed p50 \(Format.duration(p50)), p95 \(Format.duration(p95)), max \(Format.duration(delays.max() ?? .zero)) after the emulator completed it (the output's fetch included, p50 \(Format.duration(fetch))); besides, \(total.submits) submits and \(total.results) result fetches"
        let figure = "7 following \(outcomes.count) fal requests of \(span), \(mode.name)"
        guard mode.streaming else {
            return Report(figure: figure, measured: measured, target: "", verdict: .info)
        }
        let met =
            following.allSatisfy { $0 <= Self.followingTarget } && p50 <= Self.delayTarget && p95 <= Self.delayTarget
        return Report(
            figure: figure, measured: measured,
            target:
                "≤ \(Self.followingTarget) following request (stream open or status poll) per job, p50 and p95 ≤ \(Format.duration(Self.delayTarget))",
            verdict: .init(met))
    }

    /// Submits one request that the emulator completes `length` after it is created, follows it
    /// with `wait(for:)` and times its notice against the emulator's record of the request.
    static func follow(_ length: Duration, mode: Mode, transport: URLSessionTransport, on emulator: Emulator)
        async throws -> Outcome
    {
        let finish = Int((length.seconds * 1000).rounded())
        let counting = CountingTransport(transport)
        let fal = FalClient(
            apiKey: Emulator.falKey,
            queueURL: emulator.falQueueURL,
            restURL: emulator.falRestURL,
            configuration: ClientConfiguration(
                transport: counting,
                additionalHeaders: ["X-Emulator-Timeline": "IN_QUEUE@0,IN_PROGRESS@\(finish / 2),COMPLETED@\(finish)"],
                statusStreaming: mode.streaming
            ),
            environment: [:]
        )
        let created = try await fal.createRequest(
            .beatovenMusicGeneration, input: BeatovenInput(prompt: "benchmark", duration: .seconds(30)))
        let done = try await fal.wait(for: created, policy: mode.policy)
        let noticed = Date()
        guard done.status == .succeeded, !done.outputs.isEmpty else {
            throw BenchmarkError("\(created.requestID) ended \(done.rawStatus) with \(done.outputs.count) outputs")
        }
        let record = try await emulator.task("fal", created.requestID)
        guard let createdAt = record["created_at"]?.decimalValue else {
            throw BenchmarkError("no creation time for \(created.requestID)")
        }
        let completed = Date(timeIntervalSince1970: NSDecimalNumber(decimal: createdAt).doubleValue + length.seconds)
        let delay = noticed.timeIntervalSince(completed)
        return Outcome(
            requests: counting.counts, delay: .nanoseconds(Int64((delay * 1e9).rounded())),
            resultFetch: counting.resultFetch)
    }

    /// Fails the figure unless the emulator saw the requests the transports counted.
    static func check(_ outcomes: [Outcome], against stats: EmulatorStats) throws {
        let total = outcomes.reduce(RequestCounts()) { $0 + $1.requests }
        let requests = "/queue/{owner}/{alias}/requests/{id}"
        let seen = RequestCounts(
            submits: stats.requests("fal", "POST /queue/{owner}/{alias}"),
            statusPolls: stats.requests("fal", "GET \(requests)/status"),
            streamOpens: stats.requests("fal", "GET \(requests)/status/stream"),
            results: stats.requests("fal", "GET \(requests)")
        )
        guard seen == total, total.other == 0, stats.counter("fal", "status_streams") == total.streamOpens else {
            throw BenchmarkError("the transports counted \(total), the emulator \(seen)")
        }
    }
}

/// The HTTP requests one client sent, by fal queue route.
struct RequestCounts: Equatable, Sendable, CustomStringConvertible {
    var submits = 0
    var statusPolls = 0
    var streamOpens = 0
    var results = 0
    var other = 0

    /// The requests made to follow the job: status polls and stream opens.
    var following: Int { statusPolls + streamOpens }

    static func + (lhs: RequestCounts, rhs: RequestCounts) -> RequestCounts {
        RequestCounts(
            submits: lhs.submits + rhs.submits, statusPolls: lhs.statusPolls + rhs.statusPolls,
            streamOpens: lhs.streamOpens + rhs.streamOpens, results: lhs.results + rhs.results,
            other: lhs.other + rhs.other)
    }

    /// Counts `request` under its fal queue route.
    mutating func count(_ request: HTTPRequest, streamed: Bool) {
        let path = request.url.path
        switch request.method {
        case .post: submits += 1
        case .get where streamed && path.hasSuffix("/status/stream"): streamOpens += 1
        case .get where path.hasSuffix("/status"): statusPolls += 1
        case .get where path.contains("/requests/"): results += 1
        default: other += 1
        }
    }

    var description: String {
        "\(submits) submits, \(statusPolls) status polls, \(streamOpens) stream opens, \(results) results, \(other) other"
    }
}

/// A transport that counts the requests it passes on, every attempt and every stream opened
/// (a middleware sees no streams).
struct CountingTransport: HTTPTransport {
    private let base: URLSessionTransport
    private let tally = Locked(RequestCounts())
    private let fetching = Locked(Duration.zero)

    init(_ base: URLSessionTransport) {
        self.base = base
    }

    var counts: RequestCounts { tally.current }
    /// How long the result fetches took, in all.
    var resultFetch: Duration { fetching.current }
    var enforcesTimeouts: Bool { base.enforcesTimeouts }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let results = tally.withLock { counts in
            let before = counts.results
            counts.count(request, streamed: false)
            return counts.results > before
        }
        guard results else { return try await base.send(request) }
        let clock = ContinuousClock()
        let start = clock.now
        defer { fetching.withLock { $0 += start.duration(to: clock.now) } }
        return try await base.send(request)
    }

    func download(_ request: HTTPRequest, to file: URL, progress: (@Sendable (TransferProgress) -> Void)?)
        async throws -> HTTPResponse
    {
        tally.withLock { $0.count(request, streamed: false) }
        return try await base.download(request, to: file, progress: progress)
    }

    func stream(_ request: HTTPRequest) async throws -> HTTPStreamedResponse {
        tally.withLock { $0.count(request, streamed: true) }
        return try await base.stream(request)
    }
}

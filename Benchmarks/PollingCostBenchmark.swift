import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenSkytells

/// Figure 3: the price of following one job. A Skytells prediction that the emulator finishes at
/// a known time (`X-Emulator-Timeline`), followed with `TaskUpdates` under the policy derived
/// from the job's typical length, and, at the same time, a twin job followed every 0.1 s (what
/// fal's official client does).
///
/// The 120 s job is played `speedUp` times faster: the emulator's timeline is divided by it and
/// the client gets a ``ScaledClock`` with the same factor, so the SDK computes in job time.
/// Polls are the emulator's own count; the delay runs from the moment the job was due to finish
/// (counted from when its create was sent, so the figure errs on the high side) to the moment the
/// SDK yielded the finished prediction, in job time.
struct PollingCostBenchmark {
    var speedUp = 10
    static let pollTarget = 8
    static let delayTarget = 0.10

    struct Job: Sendable {
        var name: String
        /// The job's length in job time.
        var length: Duration
        var speedUp: Int
        var policy: PollingPolicy

        var realLength: Duration { length / speedUp }
    }

    struct Outcome: Sendable {
        var job: Job
        var polls: Int
        /// From the job's end to the SDK noticing, in job time.
        var delay: Duration

        var delayFraction: Double { delay / job.length }
    }

    /// Every 0.1 s from the start, as fal's official client polls.
    static let fixedTenthOfASecond = PollingPolicy(firstDelay: .milliseconds(100), interval: .milliseconds(100))

    func run(_ emulator: Emulator) async throws -> [Report] {
        let lengths: [(String, Duration, Int)] = [
            ("5 s job", .seconds(5), 1), ("120 s job (scaled \(speedUp)×)", .seconds(120), speedUp),
        ]
        var jobs: [Job] = []
        for (name, length, factor) in lengths {
            let derived = PollingPolicy(typicalLatency: length...length)
            jobs.append(Job(name: name, length: length, speedUp: factor, policy: derived))
            jobs.append(Job(name: name, length: length, speedUp: factor, policy: Self.fixedTenthOfASecond))
        }
        // All four at once: each pair runs under the same load.
        let outcomes = try await withThrowingTaskGroup(of: (Int, Outcome).self) { group in
            for (index, job) in jobs.enumerated() {
                group.addTask { (index, try await Self.follow(job, on: emulator)) }
            }
            var outcomes: [Int: Outcome] = [:]
            for try await (index, outcome) in group { outcomes[index] = outcome }
            return jobs.indices.compactMap { outcomes[$0] }
        }
        return stride(from: 0, to: outcomes.count, by: 2).map { index in
            let sdk = outcomes[index]
            let fixed = outcomes[index + 1]
            let met = sdk.polls <= Self.pollTarget && sdk.delayFraction <= Self.delayTarget
            let policy = sdk.job.policy
            return Report(
                figure: "3 polling cost, \(sdk.job.name)",
                measured:
                    "PollingPolicy(typicalLatency:) [first \(Format.duration(policy.firstDelay)), then \(Format.duration(policy.interval)) ×\(policy.growth) ≤ \(Format.duration(policy.maxInterval))] \(sdk.polls) polls, noticed \(Format.duration(sdk.delay)) late (\(Format.fixed(sdk.delayFraction * 100, 1)) % of the job) vs fixed 0.1 s \(fixed.polls) polls, \(Format.duration(fixed.delay)) late (\(Format.fixed(fixed.delayFraction * 100, 1)) %)",
                target: "≤ \(Self.pollTarget) polls and ≤ \(Int(Self.delayTarget * 100)) %",
                verdict: .init(met)
            )
        }
    }

    /// Creates the job, follows it to its end as `wait(for:)` does, and reads the emulator's poll count.
    static func follow(_ job: Job, on emulator: Emulator) async throws -> Outcome {
        let finish = Int((job.realLength.seconds * 1000).rounded())
        let client = SkytellsClient(
            apiKey: Emulator.skytellsKey,
            configuration: ClientConfiguration(
                baseURL: emulator.skytellsBaseURL,
                transport: URLSessionTransport(),
                clock: ScaledClock(factor: job.speedUp),
                additionalHeaders: ["X-Emulator-Timeline": "queued@0,processing@\(finish / 2),succeeded@\(finish)"]
            )
        )
        let clock = ContinuousClock()
        let sent = clock.now
        let created = try await client.createPrediction(
            .beatFusion2, input: BeatFusionInput(prompt: "benchmark", duration: .seconds(30)))
        var noticed: ContinuousClock.Instant?
        for try await prediction in client.updates(of: created, policy: job.policy) where prediction.status.isTerminal {
            guard prediction.status == .succeeded else {
                throw BenchmarkError("\(created.id) ended \(prediction.rawStatus)")
            }
            noticed = clock.now
        }
        guard let noticed else { throw BenchmarkError("\(created.id) never finished") }
        let record = try await emulator.task("skytells", created.id)
        guard let polls = record["polls"]?.intValue else { throw BenchmarkError("no poll count for \(created.id)") }
        let late = (sent + job.realLength).duration(to: noticed)
        return Outcome(job: job, polls: polls, delay: late * job.speedUp)
    }
}

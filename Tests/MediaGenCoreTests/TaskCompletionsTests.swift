import Foundation
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// Jobs that end at set times on a virtual clock, each with its own id.
private struct JobsClient: MediaClient {
    typealias RemoteTask = FakeTask

    let provider = Provider.acme
    let configuration: ClientConfiguration
    let catalog: [ModelDescriptor] = []
    private let clock: ImmediateClock
    private let ends: [String: (at: Duration, as: TaskStatus)]
    private let log = Locked<(polls: [String: [Duration]], inFlight: Int, mostInFlight: Int)>(([:], 0, 0))

    init(_ ends: [String: (at: Duration, as: TaskStatus)]) {
        let clock = ImmediateClock()
        self.clock = clock
        self.ends = ends
        self.configuration = ClientConfiguration(
            transport: StubTransport { _ in HTTPResponse(status: 500) }, clock: clock)
    }

    func handle(_ id: String) -> TaskHandle { TaskHandle(provider: .acme, id: id, model: "acme-music") }
    func polls(of id: String) -> [Duration] { log.current.polls[id] ?? [] }
    var totalPolls: Int { log.current.polls.values.reduce(0) { $0 + $1.count } }
    var mostInFlight: Int { log.current.mostInFlight }

    func task(_ handle: TaskHandle) async throws -> FakeTask {
        let now = clock.elapsed
        log.withLock { log in
            log.polls[handle.id, default: []].append(now)
            log.inFlight += 1
            log.mostInFlight = max(log.mostInFlight, log.inFlight)
        }
        // Stay in flight for a moment, so that polls overlap.
        for _ in 0..<5 { await Task.yield() }
        log.withLock { $0.inFlight -= 1 }
        guard let end = ends[handle.id] else { throw MediaGenError(.notFound, message: "no task \(handle.id)") }
        var task = FakeTask(now >= end.at ? end.as : .running(progress: nil))
        task.handle = handle
        return task
    }

    func cancel(_ handle: TaskHandle) async throws {}
}

private let steady = PollingPolicy(firstDelay: .seconds(1), interval: .seconds(1))

@Suite("Task completions")
struct TaskCompletionsTests {
    @Test func eachTaskEndsAsItsOwnWaitWouldEndOnTheSamePolls() async throws {
        let policy = PollingPolicy(typicalLatency: .seconds(40)...(.seconds(120)))
        let ends: [String: (at: Duration, as: TaskStatus)] = [
            "short": (.seconds(41), .succeeded), "long": (.seconds(118), .succeeded),
            "middle": (.seconds(75), .succeeded),
        ]
        let together = JobsClient(ends)
        var order: [String] = []
        for await completion in try together.completions(
            of: ["short", "long", "middle"].map(together.handle), policy: policy)
        {
            #expect(try completion.get().status == .succeeded)
            order.append(completion.handle.id)
        }
        #expect(order == ["short", "middle", "long"])
        for id in ends.keys {
            let alone = JobsClient(ends)
            _ = try await alone.wait(for: alone.handle(id), policy: policy)
            #expect(together.polls(of: id) == alone.polls(of: id), "\(id)")
        }
    }

    @Test func aCreatedTaskIsTheFirstReadingAndAFinishedOneNeedsNoPoll() async throws {
        let client = JobsClient(["running": (.seconds(3), .succeeded), "done": (.zero, .succeeded)])
        var running = FakeTask(.queued(position: 1))
        running.handle = client.handle("running")
        var done = FakeTask(.succeeded)
        done.handle = client.handle("done")
        var ended: [String] = []
        for await completion in try client.completions(of: [running, done], policy: steady) {
            ended.append(completion.handle.id)
        }
        #expect(ended == ["done", "running"])
        #expect(client.polls(of: "done").isEmpty)
        // As `wait(for:)` from a created task: the first poll waits the policy's first delay.
        #expect(client.polls(of: "running") == [.seconds(1), .seconds(2), .seconds(3)])
    }

    @Test func eachTaskEndsWithTheErrorItsWaitWouldThrowAndTheOthersGoOn() async throws {
        let client = JobsClient([
            "ok": (.seconds(5), .succeeded),
            "failed": (.seconds(2), .failed(TaskFailure(code: "NSFW", message: "content rejected"))),
            "canceled": (.seconds(3), .canceled),
            "storyboard": (.seconds(4), .awaitingAction("storyboard_ready")),
        ])
        var results: [String: Result<FakeTask, any Error>] = [:]
        let ids = ["ok", "failed", "canceled", "storyboard", "missing"]
        for await completion in try client.completions(of: ids.map(client.handle), policy: steady) {
            results[completion.handle.id] = completion.result
        }
        #expect(results.count == 5)
        #expect(try results["ok"]?.get().status == .succeeded)
        #expect(try results["storyboard"]?.get().status == .awaitingAction("storyboard_ready"))
        func kind(_ id: String) -> MediaGenError? {
            guard case .failure(let error)? = results[id] else { return nil }
            return error as? MediaGenError
        }
        #expect(kind("failed")?.kind.failure?.code == "NSFW")
        #expect(kind("failed")?.taskID == "failed")
        #expect(kind("canceled")?.kind.case == .canceled)
        #expect(kind("missing")?.kind.case == .notFound)
        #expect(client.polls(of: "missing").count == 1)
    }

    @Test func aTaskPastItsPolicysTimeoutEndsWithTimeoutNamingIt() async throws {
        let client = JobsClient(["slow": (.seconds(600), .succeeded), "quick": (.seconds(2), .succeeded)])
        var policy = steady
        policy.timeout = .seconds(10)
        var results: [String: Result<FakeTask, any Error>] = [:]
        for await completion in try client.completions(of: ["slow", "quick"].map(client.handle), policy: policy) {
            results[completion.handle.id] = completion.result
        }
        guard case .failure(let error as MediaGenError)? = results["slow"] else {
            Issue.record("expected a timeout, got \(String(describing: results["slow"]))")
            return
        }
        #expect(error.kind.case == .timeout)
        #expect(error.taskID == "slow")
        #expect(client.polls(of: "slow").last == .seconds(10))
        #expect(try results["quick"]?.get().status == .succeeded)
    }

    @Test func neverMoreThanTheGivenPollsAreInFlight() async throws {
        let ids = (0..<40).map { "task_\($0)" }
        let client = JobsClient(
            Dictionary(uniqueKeysWithValues: ids.map { ($0, (Duration.seconds(3), TaskStatus.succeeded)) }))
        var count = 0
        for await completion in try client.completions(
            of: ids.map(client.handle), policy: steady, maxConcurrentPolls: 4)
        {
            #expect(try completion.get().status == .succeeded)
            count += 1
        }
        #expect(count == 40)
        // The bound holds, and polls did overlap: each poll yields, so the children queued
        // beside it start before it ends (4 in every run seen).
        #expect(client.mostInFlight <= 4)
        #expect(client.mostInFlight >= 2)
        #expect(client.totalPolls == 40 * 4)
    }

    @Test(arguments: [0, -1])
    func aBoundBelowOneIsRefusedBeforeAnyPoll(bound: Int) {
        let client = JobsClient(["a": (.seconds(1), .succeeded)])
        #expect(throws: MediaGenError.self) {
            _ = try client.completions(of: [client.handle("a")], maxConcurrentPolls: bound)
        }
        do {
            _ = try client.completions(of: [client.handle("a")], maxConcurrentPolls: bound)
        } catch {
            #expect(error.kind.field == "maxConcurrentPolls")
        }
        #expect(client.totalPolls == 0)
    }

    @Test func cancellingTheConsumingTaskStopsPolling() async throws {
        let client = JobsClient(["forever": (.seconds(1_000_000), .succeeded)])
        let completions = try client.completions(of: [client.handle("forever")], policy: steady)
        let consumer = Task {
            for await _ in completions {}
        }
        while client.totalPolls < 5 { try await Task.sleep(for: .milliseconds(1)) }
        consumer.cancel()
        await consumer.value
        try await Task.sleep(for: .milliseconds(20))
        let after = client.totalPolls
        try await Task.sleep(for: .milliseconds(20))
        #expect(client.totalPolls == after)
    }

    @Test func leavingTheLoopEarlyStopsPolling() async throws {
        let client = JobsClient(["quick": (.seconds(1), .succeeded), "forever": (.seconds(1_000_000), .succeeded)])
        for await completion in try client.completions(of: ["quick", "forever"].map(client.handle), policy: steady) {
            #expect(completion.handle.id == "quick")
            break
        }
        try await Task.sleep(for: .milliseconds(20))
        let after = client.totalPolls
        try await Task.sleep(for: .milliseconds(20))
        #expect(client.totalPolls == after)
    }

    @Test func anEmptyListEndsAtOnce() async throws {
        let client = JobsClient([:])
        var count = 0
        for await _ in try client.completions(of: [TaskHandle]()) { count += 1 }
        #expect(count == 0)
    }
}

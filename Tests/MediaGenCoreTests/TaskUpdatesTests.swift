import Foundation
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

private let handle = TaskHandle(provider: .acme, id: "task_1", model: "acme-music")
private let steady = PollingPolicy(firstDelay: .seconds(1), interval: .seconds(1))
private let rejected = TaskFailure(code: "NSFW", message: "content rejected", retryable: false)

@Suite("Task updates")
struct TaskUpdatesTests {
    @Test func yieldsOnlyWhenTheStatusOrTheLogsChange() async throws {
        let client = ScriptedClient([
            FakeTask(.queued(position: 2)),
            FakeTask(.queued(position: 2)),
            FakeTask(.queued(position: 1)),
            FakeTask(.running(progress: 0.5)),
            FakeTask(.running(progress: 0.5)),
            FakeTask(.running(progress: 0.5), logs: ["rendering"]),
            FakeTask(.succeeded, logs: ["rendering"]),
        ])
        var seen: [TaskStatus] = []
        for try await task in client.updates(of: handle, policy: steady) {
            seen.append(task.status)
        }
        #expect(
            seen == [
                .queued(position: 2), .queued(position: 1), .running(progress: 0.5), .running(progress: 0.5),
                .succeeded,
            ])
        #expect(client.polls.count == 7)
    }

    @Test func aChangedRawStatusIsAChangeEvenWhenItMapsTheSame() async throws {
        let client = ScriptedClient([
            FakeTask(.running(progress: nil), raw: "starting"),
            FakeTask(.running(progress: nil), raw: "processing"),
            FakeTask(.succeeded),
        ])
        var raw: [String] = []
        for try await task in client.updates(of: handle, policy: steady) { raw.append(task.rawStatus) }
        #expect(raw == ["starting", "processing", "succeeded"])
    }

    @Test(arguments: [
        TaskStatus.succeeded, .failed(TaskFailure(message: "boom")), .canceled, .awaitingAction("storyboard_ready"),
    ])
    func finishesAfterATerminalStatusWithoutPollingAgain(terminal: TaskStatus) async throws {
        let client = ScriptedClient([
            FakeTask(.running(progress: nil)), FakeTask(terminal), FakeTask(.running(progress: nil)),
        ])
        var iterator = client.updates(of: handle, policy: steady).makeAsyncIterator()
        #expect(try await iterator.next()?.status == .running(progress: nil))
        #expect(try await iterator.next()?.status == terminal)
        #expect(try await iterator.next() == nil)
        #expect(try await iterator.next() == nil)
        #expect(client.polls.count == 2)
    }

    @Test func startingFromACreatedTaskYieldsItFirstAndWaitsBeforePolling() async throws {
        let client = ScriptedClient([FakeTask(.succeeded)])
        var statuses: [TaskStatus] = []
        for try await task in client.updates(of: FakeTask(.queued(position: nil)), policy: steady) {
            statuses.append(task.status)
        }
        #expect(statuses == [.queued(position: nil), .succeeded])
        #expect(client.polls == [.seconds(1)])
    }

    @Test func aCreatedTaskThatIsAlreadyTerminalNeedsNoPoll() async throws {
        let client = ScriptedClient([FakeTask(.running(progress: nil))])
        var count = 0
        for try await _ in client.updates(of: FakeTask(.succeeded), policy: steady) { count += 1 }
        #expect(count == 1)
        #expect(client.polls.isEmpty)
    }

    @Test func breakingOutOfTheLoopStopsPolling() async throws {
        let client = ScriptedClient([FakeTask(.queued(position: 3)), FakeTask(.queued(position: 2))])
        for try await _ in client.updates(of: handle, policy: steady) { break }
        #expect(client.polls.count == 1)
    }

    @Test func cancellingTheConsumingTaskStopsPollingAtOnce() async throws {
        let (polled, signal) = AsyncStream<Int>.makeStream()
        let client = ScriptedClient { poll, _ in
            signal.yield(poll)
            return FakeTask(.running(progress: nil))
        }
        let consumer = Task {
            for try await _ in client.updates(of: handle, policy: steady) {}
        }
        for await poll in polled where poll >= 3 { break }
        consumer.cancel()
        // Read at once: on a busy machine the poller may have run far ahead of this task before
        // the cancel. After it, at most the poll that was just starting may still be made.
        let pollsAtCancel = client.polls.count
        await #expect(throws: CancellationError.self) { try await consumer.value }
        // Give a stray poller every chance to show itself.
        for _ in 0..<50 { await Task.yield() }
        #expect(client.polls.count <= pollsAtCancel + 1, "\(client.polls.count) polls, \(pollsAtCancel) at the cancel")
    }

    @Test func theOverallDeadlineEndsPollingWithATimeoutNamingTheTask() async {
        let client = ScriptedClient([FakeTask(.running(progress: nil), raw: "processing")])
        let policy = PollingPolicy(firstDelay: .seconds(10), interval: .seconds(10), timeout: .seconds(60))
        let error = await mediaError {
            for try await _ in client.updates(of: handle, policy: policy) {}
        }
        #expect(error?.kind == .timeout)
        #expect(error?.taskID == "task_1")
        #expect(error?.message.contains("still processing after 60 s") == true)
        #expect(client.polls == [0, 10, 20, 30, 40, 50, 60].map { Duration.seconds($0) })
    }

    @Test func theLastWaitIsCutShortSoTheFinalPollLandsOnTheDeadline() async {
        let client = ScriptedClient([FakeTask(.running(progress: nil))])
        let policy = PollingPolicy(firstDelay: .seconds(50), interval: .seconds(50), timeout: .seconds(60))
        _ = await mediaError {
            for try await _ in client.updates(of: handle, policy: policy) {}
        }
        #expect(client.clock.sleeps == [.seconds(50), .seconds(10)])
    }

    @Test func errorsFromAPollEndTheSequence() async {
        let client = ScriptedClient { poll, _ in
            guard poll == 0 else { throw MediaGenError(.notFound, provider: .acme, message: "gone", taskID: "task_1") }
            return FakeTask(.queued(position: nil))
        }
        var count = 0
        let error = await mediaError {
            for try await _ in client.updates(of: handle, policy: steady) { count += 1 }
        }
        #expect(error?.kind == .notFound)
        #expect(count == 1)
    }

    @Test func theDefaultPaceComesFromTheModelsTypicalLatency() async throws {
        let model = ModelDescriptor.acmeMusic(latency: .seconds(60)...(.seconds(60)))
        let client = ScriptedClient([FakeTask(.running(progress: nil)), FakeTask(.succeeded)], catalog: [model])
        for try await _ in client.updates(of: handle) {}
        #expect(client.clock.sleeps == [.seconds(36)])
        #expect(client.pollingPolicy(for: handle) == model.pollingPolicy)
    }

    @Test func aModelTheCatalogDoesNotKnowUsesTheDefaultPace() async throws {
        let client = ScriptedClient([FakeTask(.running(progress: nil)), FakeTask(.succeeded)])
        let unknown = TaskHandle(provider: .acme, id: "task_1", model: "not-listed")
        for try await _ in client.updates(of: unknown) {}
        #expect(client.clock.sleeps == [PollingPolicy.default.firstDelay])
    }

    /// A job that takes exactly its model's typical time: few polls, and completion noticed
    /// within 10 % of the job's length (fal's client would poll every 0.1 s: 50 polls for 5 s).
    @Test(arguments: [5, 45, 120, 300])
    func aJobOfTypicalLengthIsNoticedPromptlyWithFewPolls(seconds: Int) async throws {
        let length = Duration.seconds(seconds)
        let model = ModelDescriptor.acmeMusic(latency: length...length)
        let client = ScriptedClient(catalog: [model]) { _, elapsed in
            FakeTask(elapsed >= length ? .succeeded : .running(progress: nil))
        }
        for try await _ in client.updates(of: handle) {}
        let noticed = try #require(client.polls.last)
        #expect(client.polls.count <= 8)
        #expect(noticed - length <= length / 10)
    }
}

@Suite("Waiting for a task")
struct WaitTests {
    @Test func waitReturnsTheSucceededTaskAndReportsEachUpdate() async throws {
        let client = ScriptedClient([
            FakeTask(.queued(position: 1)), FakeTask(.running(progress: 0.2)), FakeTask(.succeeded),
        ])
        let updates = Locked<[TaskStatus]>([])
        let done = try await client.wait(for: handle, policy: steady) { task in
            updates.withLock { $0.append(task.status) }
        }
        #expect(done.status == .succeeded)
        #expect(updates.current == [.queued(position: 1), .running(progress: 0.2), .succeeded])
    }

    @Test func waitThrowsTaskFailedWithTheFailureAndTheTaskID() async {
        let failure = TaskFailure(code: "NSFW", message: "content rejected", retryable: false)
        let client = ScriptedClient([FakeTask(.running(progress: nil)), FakeTask(.failed(failure))])
        let error = await mediaError { try await client.wait(for: handle, policy: steady) }
        #expect(error?.kind == .taskFailed(failure))
        #expect(error?.taskID == "task_1")
        #expect(error?.providerCode == "NSFW")
        #expect(error?.description.contains("task failed (NSFW)") == true)
    }

    @Test func waitThrowsCanceledForACanceledTask() async {
        let client = ScriptedClient([FakeTask(.canceled)])
        let error = await mediaError { try await client.wait(for: handle, policy: steady) }
        #expect(error?.kind == .canceled)
        #expect(error?.taskID == "task_1")
    }

    @Test func waitReturnsATaskThatStoppedForTheUsersAction() async throws {
        let client = ScriptedClient([FakeTask(.awaitingAction("storyboard_ready"))])
        let task = try await client.wait(for: handle, policy: steady)
        #expect(task.status == .awaitingAction("storyboard_ready"))
    }

    /// How a wait ends, for each final state, when it follows the task a create returned; the
    /// decision is made out of line (`MediaClient.finish`), so that many followed tasks hold
    /// small frames while they sleep.
    @Test(
        arguments: [
            (TaskStatus.succeeded, nil),
            (.awaitingAction("storyboard_ready"), nil),
            (.failed(rejected), .taskFailed(rejected)),
            (.canceled, .canceled),
        ] as [(TaskStatus, MediaGenError.Kind?)])
    func aWaitFromACreatedTaskEndsAsTheFinalStateSays(final: TaskStatus, error: MediaGenError.Kind?) async throws {
        let client = ScriptedClient([FakeTask(.running(progress: nil)), FakeTask(final)])
        let created = FakeTask(.queued(position: nil))
        if let error {
            let thrown = await mediaError { try await client.wait(for: created, policy: steady) }
            #expect(thrown?.kind == error)
            #expect(thrown?.taskID == "task_1")
        } else {
            let done = try await client.wait(for: created, policy: steady)
            #expect(done.status == final)
        }
        #expect(client.polls.count == 2)
    }

    @Test func waitForACreatedTaskStartsFromIt() async throws {
        let client = ScriptedClient([FakeTask(.succeeded)])
        let done = try await client.wait(for: FakeTask(.queued(position: nil)), policy: steady)
        #expect(done.status == .succeeded)
        #expect(client.polls.count == 1)
    }

    /// Queued until 30 s, then running with a progress rising linearly to 1 at `end`, then done.
    private static func job(end: Duration, reportsProgress: Bool = true) -> ScriptedClient {
        ScriptedClient { _, now in
            if now < .seconds(30) { return FakeTask(.queued(position: nil)) }
            if now >= end { return FakeTask(.succeeded) }
            let fraction = (now - .seconds(30)) / (end - .seconds(30))
            return FakeTask(.running(progress: reportsProgress ? fraction : nil))
        }
    }

    @Test func aRisingProgressBringsThePollForwardToTheEnd() async throws {
        let policy = PollingPolicy(typicalLatency: .seconds(60)...(.seconds(60)))
        // Without progress the policy's schedule (0, 36, 40.8, 46.56, 53.47, 61.77 s) notices the
        // 60 s end 1.77 s late, at the sixth poll.
        let blind = Self.job(end: .seconds(60), reportsProgress: false)
        _ = try await blind.wait(for: handle, policy: policy)
        #expect(blind.polls.count == 6)
        #expect(blind.polls.last! > .milliseconds(61_700))
        // With it: two readings (36 s, 0.2 done; 40.8 s, 0.36) give the rate, and once the end
        // comes before the policy's next poll (at 53.47 s: 6.53 s left, the policy says 8.29 s),
        // the poll goes at the end, with a 2 % margin of what was left.
        let informed = Self.job(end: .seconds(60))
        _ = try await informed.wait(for: handle, policy: policy)
        #expect(informed.polls.count == 6)
        #expect(informed.polls[0..<5] == blind.polls[0..<5])
        #expect(informed.polls[5] >= .seconds(60))
        #expect(informed.polls[5] < .milliseconds(60_200))
    }

    @Test func aSlowProgressNeverDelaysAPoll() async throws {
        // A rise that would end long after the policy's next poll leaves the schedule as it is.
        let policy = PollingPolicy(typicalLatency: .seconds(60)...(.seconds(60)))
        let blind = Self.job(end: .seconds(600), reportsProgress: false)
        let informed = Self.job(end: .seconds(600))
        _ = try await blind.wait(for: handle, policy: policy)
        _ = try await informed.wait(for: handle, policy: policy)
        #expect(informed.polls.dropLast() == blind.polls.dropLast())
        #expect(informed.polls.last! <= blind.polls.last!)
    }

    @Test func aMisleadingProgressCostsAtMostThreeEarlyPolls() async throws {
        // Rising fast to 99 % by 40 s, then stuck there until 100 s: each estimate says "now", so
        // each early poll misses.
        let policy = PollingPolicy(typicalLatency: .seconds(60)...(.seconds(60)))
        func stalling(reportsProgress: Bool) -> ScriptedClient {
            ScriptedClient { _, now in
                if now >= .seconds(100) { return FakeTask(.succeeded) }
                if now < .seconds(30) { return FakeTask(.queued(position: nil)) }
                let fraction = min(0.99, (now - .seconds(30)) / .seconds(10))
                return FakeTask(.running(progress: reportsProgress ? fraction : nil))
            }
        }
        let stuck = stalling(reportsProgress: true)
        let blind = stalling(reportsProgress: false)
        _ = try await stuck.wait(for: handle, policy: policy)
        _ = try await blind.wait(for: handle, policy: policy)
        #expect(stuck.polls.count == blind.polls.count + 3)
        // Readings at 36 s (60 %) and 40.8 s (99 %); the early polls come an eighth of the
        // policy's interval apart; then the policy's schedule resumes where it was, as if they
        // had not been made.
        let gaps = zip(stuck.polls.dropFirst(), stuck.polls).map { $0 - $1 }
        #expect(gaps[2...4].allSatisfy { $0 == policy.interval / 8 })
        #expect(gaps[5] == policy.delay(afterPolls: 3))
        #expect(gaps[6] == policy.delay(afterPolls: 4))
    }

    @Test func aProgressThatDoesNotRiseLeavesThePolicyAsItIs() async throws {
        // Stages rather than time (Beatra's "percent"): the same value at every poll gives no rate.
        let policy = PollingPolicy(typicalLatency: .seconds(60)...(.seconds(60)))
        let staged = ScriptedClient { _, now in
            FakeTask(now >= .seconds(70) ? .succeeded : .running(progress: 0.5))
        }
        let blind = ScriptedClient { _, now in
            FakeTask(now >= .seconds(70) ? .succeeded : .running(progress: nil))
        }
        _ = try await staged.wait(for: handle, policy: policy)
        _ = try await blind.wait(for: handle, policy: policy)
        #expect(staged.polls == blind.polls)
    }
}

@Suite("Polling policy")
struct PollingPolicyTests {
    @Test func delaysStartWithTheFirstThenGrowToTheCeiling() {
        let policy = PollingPolicy(firstDelay: .seconds(10), interval: .seconds(2), growth: 2, maxInterval: .seconds(7))
        let delays = (1...5).map { policy.delay(afterPolls: $0) }
        #expect(delays == [.seconds(10), .seconds(2), .seconds(4), .seconds(7), .seconds(7)])
    }

    @Test func aPolicyFromTypicalLatencyLooksFirstAt60PercentOfTheShortestTime() {
        let policy = PollingPolicy(typicalLatency: .seconds(120)...(.seconds(300)))
        #expect(policy.firstDelay == .seconds(72))
        #expect(policy.interval == .milliseconds(16_800))
        #expect(policy.maxInterval == .seconds(75))
        #expect(policy.timeout == .seconds(3000))
    }

    @Test func shortJobsKeepASensibleFloor() {
        let policy = PollingPolicy(typicalLatency: .seconds(1)...(.seconds(2)))
        #expect(policy.interval == .milliseconds(250))
        #expect(policy.maxInterval == .seconds(1))
        #expect(policy.timeout == .seconds(600))
    }

    @Test func theDefaultPolicyBacksOffToThirtySeconds() {
        let policy = PollingPolicy.default
        #expect(policy.delay(afterPolls: 1) == .seconds(2))
        #expect(policy.delay(afterPolls: 20) == .seconds(30))
        #expect(policy.timeout == .seconds(3600))
    }
}

import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

@Suite("fal polling and subscribe")
struct FalPollingTests {
    @Test func subscribeSubmitsFollowsTheQueueAndFetchesTheTypedResult() async throws {
        let harness = FalHarness(fixtures: [
            ("submit-response-with-status", 200), ("status-in-queue", 202), ("status-in-queue", 202),
            ("status-in-progress", 202), ("status-completed", 200), ("beatoven-output", 200),
        ])
        let updates = Locked<[String]>([])
        let result = try await harness.client.run(
            .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz", duration: .seconds(30))
        ) { update in
            updates.withLock { $0.append("\(update.rawStatus) \(update.queuePosition ?? -1) \(update.logs.count)") }
        }
        #expect(result.data.audio.contentType == "audio/wav")
        #expect(result.requestID == requestID)
        // The submit, then each change: the repeated position-3 answer is not reported twice.
        #expect(updates.current == ["IN_QUEUE 2 0", "IN_QUEUE 3 0", "IN_PROGRESS -1 2", "COMPLETED -1 3"])
        #expect(
            harness.routes == [
                "POST https://queue.fal.run/beatoven/music-generation",
                "GET \(queueBase)/status?logs=true",
                "GET \(queueBase)/status?logs=true",
                "GET \(queueBase)/status?logs=true",
                "GET \(queueBase)/status?logs=true",
                "GET \(queueBase)",
            ])
        // Paced by the default policy (no published latency), never fal's own 0.1 s.
        #expect(harness.clock.sleeps == [.seconds(2), .seconds(2), .seconds(3), .milliseconds(4500)])
    }

    @Test func subscribeWithoutLogsAsksForNone() async throws {
        let harness = FalHarness(fixtures: [
            ("submit-response", 200), ("status-completed", 200), ("beatoven-output", 200),
        ])
        _ = try await harness.client.run(
            .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"), logs: false)
        #expect(harness.routes[1] == "GET \(queueBase)/status?logs=false")
    }

    @Test func aCompletedStatusWithAnErrorFailsTheSubscriptionWithoutFetchingAResult() async {
        let harness = FalHarness(fixtures: [("submit-response", 200), ("status-completed-error", 200)])
        let error = await mediaError {
            try await harness.client.run(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
        }
        #expect(
            error?.kind
                == .taskFailed(
                    TaskFailure(code: "runner_server_error", message: "Runner encountered an internal server error.")))
        #expect(error?.taskID == requestID)
        #expect(harness.requests.count == 2)
    }

    @Test func aCancelledRequestEndsTheSubscriptionAsCanceled() async {
        let harness = FalHarness(fixtures: [("submit-response", 200), ("status-completed-cancelled", 200)])
        let error = await mediaError {
            try await harness.client.run(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
        }
        #expect(error?.kind == .canceled)
    }

    @Test func waitFetchesTheOutputOnceTheRequestCompletes() async throws {
        let harness = FalHarness(fixtures: [
            ("submit-response", 200), ("status-in-progress", 202), ("status-completed", 200), ("beatoven-output", 200),
        ])
        let submitted = try await harness.client.generateMusic(MusicRequest(prompt: "jazz"))
        let done = try await harness.client.wait(for: submitted)
        #expect(done.status == .succeeded)
        #expect(done.output?["prompt"] == "Jazz music for a late-night restaurant setting")
        #expect(done.outputs.map(\.contentType) == ["audio/wav"])
        #expect(done.outputs.first?.byteCount == 5_292_044)
        #expect(harness.routes.last == "GET \(queueBase)")
        #expect(harness.requests.filter { $0.url.absoluteString == queueBase }.count == 1)
    }

    @Test func updatesYieldEachNewLogLine() async throws {
        let harness = FalHarness(fixtures: [
            ("status-in-progress", 202), ("status-in-progress", 202), ("status-completed", 200),
            ("beatoven-output", 200),
        ])
        var logCounts: [Int] = []
        for try await request in harness.client.updates(of: seedHandle) { logCounts.append(request.logs.count) }
        #expect(logCounts == [2, 3])
    }

    @Test func aPersistedHandleResumes() async throws {
        let harness = FalHarness(fixtures: [("status-completed", 200), ("beatoven-output", 200)])
        let saved = try JSONEncoder().encode(seedHandle)
        let restored = try JSONDecoder().decode(TaskHandle.self, from: saved)
        let done = try await harness.client.wait(for: restored)
        #expect(done.outputs.count == 1)
    }

    @Test func abandoningASubscriptionCancelsTheRequestOnFal() async throws {
        let harness = FalHarness { request in
            switch (request.method, request.url.path.hasSuffix("/cancel")) {
            case (.post, _): return try fixtureResponse("submit-response")
            case (.put, true): return try fixtureResponse("cancel-requested", status: 202)
            default: return try fixtureResponse("status-in-queue", status: 202)
            }
        }
        let polled = AsyncStream<Void>.makeStream()
        let subscription = Task {
            try await harness.client.run(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz")) { _ in
                polled.continuation.yield()
            }
        }
        var updates = polled.stream.makeAsyncIterator()
        _ = await updates.next()  // submitted
        _ = await updates.next()  // first status answer
        subscription.cancel()
        let outcome = await subscription.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(harness.routes.last == "PUT \(queueBase)/cancel")
        #expect(harness.requests.last?.headers["Authorization"] == "Key \(testKey)")
    }

    @Test func aCallerCanOptOutOfCancellingOnAbandon() async throws {
        let harness = FalHarness { request in
            request.method == .post
                ? try fixtureResponse("submit-response") : try fixtureResponse("status-in-queue", status: 202)
        }
        let polled = AsyncStream<Void>.makeStream()
        let subscription = Task {
            try await harness.client.run(
                .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"), cancelsOnAbandon: false
            ) { _ in polled.continuation.yield() }
        }
        var updates = polled.stream.makeAsyncIterator()
        _ = await updates.next()
        _ = await updates.next()
        subscription.cancel()
        _ = await subscription.result
        #expect(!harness.routes.contains { $0.hasPrefix("PUT") })
    }
}

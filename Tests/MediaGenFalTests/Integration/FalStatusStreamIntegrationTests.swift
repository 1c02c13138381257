import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

/// Following a request over fal's status stream (server-sent events) through the real transport,
/// and the fall back to polling when the stream fails.
@Suite(
    "fal status stream over real HTTP",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct FalStatusStreamIntegrationTests {
    static let streamRoute = "GET /queue/{owner}/{alias}/requests/{id}/status/stream"
    static let statusRoute = "GET /queue/{owner}/{alias}/requests/{id}/status"

    func client(_ emulator: Emulator, streaming: Bool = true, script: String) -> FalClient {
        FalClient(
            apiKey: Emulator.falKey,
            queueURL: emulator.falQueueURL,
            restURL: emulator.falRestURL,
            configuration: ClientConfiguration(
                timeout: .seconds(30), transport: URLSessionTransport(), clock: ImmediateClock(),
                additionalHeaders: ["X-Emulator-Script": script], statusStreaming: streaming)
        )
    }

    static let input = BeatovenInput(prompt: "Jazz for a late-night restaurant", duration: .seconds(5))

    @Test func aRequestIsFollowedToItsEndOverOneStreamWithoutPolling() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator, script: "IN_QUEUE,IN_QUEUE,IN_PROGRESS,IN_PROGRESS,COMPLETED")
            let created = try await fal.createRequest(.beatovenMusicGeneration, input: Self.input)
            let seen = Locked<[String]>([])
            let done = try await fal.wait(for: created) { update in seen.withLock { $0.append(update.rawStatus) } }
            #expect(done.status == .succeeded)
            #expect(done.outputs.count == 1)
            #expect(done.logs.count == 2)  // the lines of both IN_PROGRESS events, collected
            #expect(seen.withLock { $0 }.last == "COMPLETED")
            let stats = try await emulator.stats()
            #expect(stats.requests("fal", Self.streamRoute) == 1)
            #expect(stats.requests("fal", Self.statusRoute) == 0)
            #expect(stats.counter("fal", "status_streams") == 1)
        }
    }

    /// The stream ends after its first event, before the request completes: polling takes over
    /// and follows it to the end.
    @Test func aStreamThatBreaksMidwayHandsOverToPolling() async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([FaultRule("stream-break;after=1", provider: "fal", method: "GET")])
            let fal = client(emulator, script: "IN_QUEUE,IN_PROGRESS,IN_PROGRESS,COMPLETED")
            let created = try await fal.createRequest(.beatovenMusicGeneration, input: Self.input)
            let done = try await fal.wait(for: created)
            #expect(done.status == .succeeded)
            #expect(done.outputs.count == 1)
            let stats = try await emulator.stats()
            #expect(stats.requests("fal", Self.streamRoute) == 1)
            #expect(stats.requests("fal", Self.statusRoute) >= 1)
        }
    }

    @Test(arguments: ["drop-before", "503", "non-json;status=502"])
    func aStreamThatCannotBeOpenedHandsOverToPolling(fault: String) async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([
                FaultRule(fault, provider: "fal", method: "GET", path: "/queue/beatoven/music-generation/requests/")
            ])
            let fal = client(emulator, script: "IN_QUEUE,IN_PROGRESS,COMPLETED")
            let created = try await fal.createRequest(.beatovenMusicGeneration, input: Self.input)
            let done = try await fal.wait(for: created)
            #expect(done.status == .succeeded)
            let stats = try await emulator.stats()
            #expect(stats.requests("fal", Self.streamRoute) == 1)
            #expect(stats.requests("fal", Self.statusRoute) >= 1)
            #expect(stats.tasksCreated("fal") == 1)
        }
    }

    @Test func withStreamingOffTheRequestIsPolled() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator, streaming: false, script: "IN_QUEUE,IN_PROGRESS,COMPLETED")
            let created = try await fal.createRequest(.beatovenMusicGeneration, input: Self.input)
            _ = try await fal.wait(for: created)
            let stats = try await emulator.stats()
            #expect(stats.requests("fal", Self.streamRoute) == 0)
            #expect(stats.requests("fal", Self.statusRoute) == 2)
        }
    }
}

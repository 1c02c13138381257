import EmulatorSupport
import Foundation
import MediaGenCore
import Testing

/// Cancelling a request at the moment its answer (or its failure) arrives must never freeze the
/// process. Before the transport sent `URLSessionTask.cancel()` from another thread, this race
/// deadlocked Foundation's work queue against the Swift task's status lock on Linux
/// (swift-corelibs-foundation issue 5412): the reliability suite hung in about one run of four,
/// when a per-request timeout fired as a dropped connection was reported.
@Suite(
    "URLSessionTransport cancellation",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct URLSessionTransportCancellationTests {
    /// A call made by a task already cancelled ends with `CancellationError` and never reaches
    /// the server: a paid create is not sent (nor uploaded with progress), a download leaves no file.
    @Test func aCallCancelledBeforeItStartsSendsNothing() async throws {
        try await Emulator.run { emulator in
            let transport = URLSessionTransport()
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cancelled-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let create = HTTPRequest(
                method: .post, url: emulator.origin.appendingPathComponent("skytells/v1/predictions"),
                headers: ["x-api-key": Emulator.skytellsKey, "Content-Type": "application/json"],
                body: .data(Data(#"{"model":"beatfusion-2.0","input":{"prompt":"jazz"}}"#.utf8)), timeout: .seconds(30))
            let blob = HTTPRequest(method: .get, url: emulator.origin.appendingPathComponent("media/blob.bin"))
            let progressed = Locked(0)
            let calls: [@Sendable () async throws -> HTTPResponse] = [
                { try await transport.send(create) },
                { try await transport.download(blob, to: folder.appendingPathComponent("plain.bin"), progress: nil) },
                {
                    try await transport.download(blob, to: folder.appendingPathComponent("progress.bin")) { _ in
                        progressed.withLock { $0 += 1 }
                    }
                },
                { try await transport.upload(create) { _ in progressed.withLock { $0 += 1 } } },
            ]
            for (index, call) in calls.enumerated() {
                let result = await Task {
                    withUnsafeCurrentTask { $0?.cancel() }
                    return try await call()
                }.result
                #expect(throws: CancellationError.self, "call \(index)") { try result.get() }
            }

            let stats = try await emulator.stats()
            #expect(stats.requests("skytells", "POST /v1/predictions") == 0)
            #expect(stats.requests("media", "GET /blob.bin") == 0)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
            #expect(progressed.current == 0)
        }
    }

    @Test func cancellingWhileAnswersAndDroppedConnectionsArriveAlwaysFinishes() async throws {
        try await Emulator.run { emulator in
            let transport = URLSessionTransport()
            let rounds = 20
            let perRound = 40
            var finished = 0
            var cancelled = 0
            for _ in 0..<rounds {
                let outcomes = await withTaskGroup(of: Bool.self) { group in
                    for index in 0..<perRound {
                        var request = HTTPRequest(
                            method: .get, url: emulator.origin.appendingPathComponent("media/blob.bin"),
                            timeout: .seconds(30))
                        // Half the answers arrive, half the connections drop: both race the cancel.
                        if index.isMultiple(of: 2) { request.headers["X-Emulator-Fault"] = "drop-before" }
                        let call = Task { try await transport.send(request) }
                        // One call in four is cancelled at once, so the race is run however slow the
                        // machine (ThreadSanitizer, load); the others at a random moment of their flight.
                        let delay = index % 4 == 1 ? 0 : Int.random(in: 1...4000)
                        group.addTask {
                            if delay > 0 { try? await Task.sleep(for: .microseconds(delay)) }
                            call.cancel()
                            if case .failure(let error) = await call.result { return error is CancellationError }
                            return false
                        }
                    }
                    var outcomes: [Bool] = []
                    for await wasCancelled in group { outcomes.append(wasCancelled) }
                    return outcomes
                }
                finished += outcomes.count
                cancelled += outcomes.filter { $0 }.count
            }
            #expect(finished == rounds * perRound)
            // The race was run: some calls were still in flight when cancelled.
            #expect(cancelled > 0)
        }
    }
}

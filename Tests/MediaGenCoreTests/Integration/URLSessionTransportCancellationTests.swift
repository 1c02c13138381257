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
    .timeLimit(.minutes(2))
)
struct URLSessionTransportCancellationTests {
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

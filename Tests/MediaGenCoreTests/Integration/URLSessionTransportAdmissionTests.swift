import EmulatorSupport
import Foundation
import MediaGenCore
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `URLSessionTransport` hands URLSession no more `send`s per host than it has connections, and
/// holds the others itself (``HostAdmission``): on Linux, where each connection carries one
/// request at a time.
@Suite(
    "URLSessionTransport admission",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct URLSessionTransportAdmissionTests {
    #if canImport(FoundationNetworking)
        /// A transport of `connections` per host, and its queue.
        static func transport(connections: Int) throws -> (URLSessionTransport, HostAdmission) {
            let configuration = URLSessionTransport.defaultConfiguration()
            configuration.httpMaximumConnectionsPerHost = connections
            let transport = URLSessionTransport(configuration: configuration)
            return (transport, try #require(transport.admission))
        }

        /// Forty sends at once through four connections: all answered, never more than four handed
        /// to URLSession at a time. Each answer is held back 20 ms so that the sends overlap.
        @Test func sendsBeyondTheConnectionsWaitInTheTransport() async throws {
            try await Emulator.run { emulator in
                let (transport, admission) = try Self.transport(connections: 4)
                #expect(admission.limit == 4)
                let request = HTTPRequest(
                    method: .get, url: emulator.origin.appendingPathComponent("media/blob.bin"),
                    headers: ["X-Emulator-Fault": "slow-first-byte;ms=20"], timeout: .seconds(60))
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<40 {
                        group.addTask { try await transport.send(request).status }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses == Array(repeating: 200, count: 40))
                #expect(admission.peak == 4)
                #expect(admission.waiting == 0)
                let stats = try await emulator.stats()
                #expect(stats.counter("media", "peak_connections") <= 5)
            }
        }

        /// A send cancelled while it waits for a connection ends with `CancellationError` and is
        /// never sent.
        @Test func aSendCancelledWhileQueuedIsNeverSent() async throws {
            try await Emulator.run { emulator in
                let (transport, admission) = try Self.transport(connections: 1)
                let slow = HTTPRequest(
                    method: .get, url: emulator.origin.appendingPathComponent("media/blob.bin"),
                    headers: ["X-Emulator-Fault": "slow-first-byte;ms=300"], timeout: .seconds(60))
                let create = HTTPRequest(
                    method: .post, url: emulator.origin.appendingPathComponent("skytells/v1/predictions"),
                    headers: ["x-api-key": Emulator.skytellsKey, "Content-Type": "application/json"],
                    body: .data(Data(#"{"model":"beatfusion-2.0","input":{"prompt":"jazz"}}"#.utf8)),
                    timeout: .seconds(60))
                let first = Task { try await transport.send(slow) }
                try await waitUntil { admission.peak == 1 }
                let queued = Task { try await transport.send(create) }
                try await waitUntil { admission.waiting == 1 }
                queued.cancel()
                await #expect(throws: CancellationError.self) { try await queued.value }
                #expect(try await first.value.status == 200)
                let stats = try await emulator.stats()
                #expect(stats.requests("skytells", "POST /v1/predictions") == 0)
            }
        }
    #endif
}

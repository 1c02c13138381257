import Foundation
import MediaGenCore

/// At most `limit` emulator runs at once in this process; the others wait their turn, first come
/// first served.
///
/// The test run starts every test at once, and each one running against an emulator holds a
/// child process, its pipes, a transport's sessions and their connections: about two thousand
/// descriptors at the peak. Past about 1,350 open descriptors, `Foundation.Process.run()` on Linux
/// can crash (an over-read of `/proc/self/fd` entries; swift-corelibs-foundation pull request
/// 5472, fixed after Swift 6.3.1), and the tests start processes — emulators, Python for Ed25519 —
/// all the time. A run nested in another (in the same task or its children) does not wait, so it
/// cannot deadlock.
actor EmulatorSlots {
    static let shared = EmulatorSlots(limit: 24)
    @TaskLocal static var holding = false

    private let limit: Int
    private var inUse = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = limit
    }

    /// Runs `body` in a slot.
    nonisolated func run<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        guard !Self.holding else { return try await body() }
        await acquire()
        do {
            let result = try await Self.$holding.withValue(true) { try await body() }
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async {
        guard inUse >= limit else {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            inUse -= 1
        } else {
            waiting.removeFirst().resume()  // the slot passes to the next in line
        }
    }
}

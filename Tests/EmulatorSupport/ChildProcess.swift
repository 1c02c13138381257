import Foundation
import MediaGenCore

/// A child process whose first output line can be awaited, and that is stopped and reaped once.
final class ChildProcess: @unchecked Sendable {
    // Safe: `process` and the pipe are created in `init` and never reassigned; after launch the
    // process and `terminating` are touched only under `lock` (terminate) — then only by the reaping
    // thread, which just waits — and the pipe's read end only by one reading thread. Other reads
    // (`processIdentifier`) see a value set once, before `run()` returned.
    private let process = Process()
    private let output = Pipe()
    private let lock = NSLock()
    private var terminating = false

    init(_ executable: URL, _ arguments: [String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
    }

    /// The first line the child writes to its standard output, or an error after `limit`.
    ///
    /// Pipe reads block, so they run on a thread of their own: blocking a thread of Swift's
    /// cooperative pool (two on a two-core machine) would stall every task in the test run.
    func firstLine(within limit: Duration) async throws -> String {
        let reader = output.fileHandleForReading
        let lineRead = Locked(false)
        let watchdog = Task {
            try await Task.sleep(for: limit)
            // On a starved machine this may wake after the line arrived: then the child is fine.
            if !lineRead.current { self.terminate() }
        }
        defer { watchdog.cancel() }
        let text = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let thread = Thread {
                var bytes = Data()
                while true {
                    let chunk = reader.readData(ofLength: 1)
                    if chunk.isEmpty || chunk == Data("\n".utf8) { break }
                    bytes.append(chunk)
                }
                lineRead.withLock { $0 = true }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
                // Keep reading (and dropping) whatever else the child prints, so that a full pipe
                // never blocks it; this ends when the child exits.
                while !reader.availableData.isEmpty {}
            }
            thread.name = "emulator-stdout"
            thread.start()
        }
        guard !text.isEmpty else {
            throw EmulatorError.startFailed("the emulator exited before printing its port")
        }
        return text
    }

    /// The processor time (user + system) the child has used so far, from `/proc/<pid>/stat`;
    /// `nil` where there is no such file (not Linux) or the child has gone.
    var processorTime: Duration? {
        let path = "/proc/\(process.processIdentifier)/stat"
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8),
            let nameEnd = stat.lastIndex(of: ")")
        else { return nil }
        // After the parenthesized command name: state (field 3), …, utime (14), stime (15).
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        let ticksPerSecond = Int64(sysconf(Int32(_SC_CLK_TCK)))
        guard fields.count > 12, ticksPerSecond > 0, let user = Int64(fields[11]), let system = Int64(fields[12])
        else { return nil }
        return .milliseconds((user + system) * 1000 / ticksPerSecond)
    }

    /// Stops the child (SIGTERM) and reaps it on a thread of its own, so that no cooperative
    /// thread waits for it to exit. Safe to call more than once.
    func terminate() {
        lock.lock()
        defer { lock.unlock() }
        guard process.isRunning, !terminating else { return }
        terminating = true
        process.terminate()
        let process = self.process
        Thread { process.waitUntilExit() }.start()
    }
}

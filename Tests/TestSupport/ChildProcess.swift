import Foundation

/// A program run to its end by a test, for what only a process of its own can show (its peak
/// memory, apart from the tests running beside it).
public enum ChildProcess {
    /// Runs `executable` with `arguments` and returns its exit status and standard output. The
    /// output is read on a thread of its own: a blocking read must not hold a cooperative thread.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil
    ) async throws -> (status: Int32, output: String) {
        let process = Process()
        let output = Pipe()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = output
        try process.run()
        let text = await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(
                    returning: String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
            }.start()
        }
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}

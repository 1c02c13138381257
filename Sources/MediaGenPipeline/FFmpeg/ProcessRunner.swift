import Foundation
import MediaGenCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a command-line tool to completion, off Swift's cooperative threads.
enum ProcessRunner {
    struct Outcome: Sendable {
        var status: Int32
        var standardOutput: Data
        /// The last few kilobytes the tool wrote to standard error.
        var errorTail: String
    }

    private struct Progress: Sendable {
        var output: Data?
        var errorTail: Data?
        var status: Int32?
        var continuation: CheckedContinuation<Outcome, Never>?
        var processID: Int32?
        var cancelled = false
    }

    /// Runs `executable` and waits for it. Cancelling the calling task kills it (SIGKILL: a
    /// process started from a thread of the Swift runtime may inherit SIGTERM blocked).
    static func run(_ executable: URL, _ arguments: [String], errorTailLimit: Int = 4096) async throws -> Outcome {
        let process = Process()
        let output = Pipe()
        let errors = Pipe()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        let state = Locked(Progress())
        @Sendable func finish(_ update: (inout Progress) -> Void) {
            let ready: (CheckedContinuation<Outcome, Never>, Outcome)? = state.withLock { progress in
                update(&progress)
                guard let out = progress.output, let tail = progress.errorTail, let status = progress.status,
                    let continuation = progress.continuation
                else { return nil }
                progress.continuation = nil
                return (
                    continuation,
                    Outcome(status: status, standardOutput: out, errorTail: String(decoding: tail, as: UTF8.self))
                )
            }
            if let (continuation, outcome) = ready { continuation.resume(returning: outcome) }
        }
        process.terminationHandler = { finished in finish { $0.status = finished.terminationStatus } }

        let outcome: Outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                state.withLock { $0.continuation = continuation }
                do {
                    try process.run()
                } catch {
                    finish {
                        $0.output = Data()
                        $0.errorTail = Data("cannot start \(executable.path): \(error.localizedDescription)".utf8)
                        $0.status = 127
                    }
                    return
                }
                let cancelledEarly = state.withLock { progress in
                    progress.processID = process.processIdentifier
                    return progress.cancelled
                }
                if cancelledEarly { kill(process.processIdentifier, SIGKILL) }
                // Pipes are read to their end on threads of their own, so a chatty tool never
                // blocks on a full pipe and no cooperative thread ever waits on a read.
                let outputReader = output.fileHandleForReading
                Thread { finish { $0.output = outputReader.readDataToEndOfFile() } }.start()
                let errorReader = errors.fileHandleForReading
                Thread {
                    var tail = Data()
                    while case let chunk = errorReader.availableData, !chunk.isEmpty {
                        tail.append(chunk)
                        if tail.count > errorTailLimit * 2 { tail = tail.suffix(errorTailLimit) }
                    }
                    finish { $0.errorTail = tail.suffix(errorTailLimit) }
                }.start()
            }
        } onCancel: {
            let processID = state.withLock { progress in
                progress.cancelled = true
                return progress.status == nil ? progress.processID : nil
            }
            if let processID { kill(processID, SIGKILL) }
        }
        try Task.checkCancellation()
        return outcome
    }
}

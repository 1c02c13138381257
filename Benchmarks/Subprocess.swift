import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs another program to completion and returns its standard output.
///
/// The pipe read and the wait block, so they happen on a thread of their own: never on one of
/// Swift's cooperative threads, which are as few as the cores.
enum Subprocess {
    struct Outcome: Sendable {
        var status: Int32
        var output: String
        /// The processor time (user + system) of the child and anything it waited for, from the
        /// kernel's accounts of reaped children. Only the child's own when no other child of this
        /// process ends while it runs; the benchmark runs its children one at a time.
        var processorTime: Duration
    }

    static func run(_ executable: URL, _ arguments: [String]) async throws -> Outcome {
        let accountedBefore = ProcessorTime.ofReapedChildren()
        let process = Process()
        let pipe = Pipe()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = pipe
        process.standardError = FileHandle.standardError
        try process.run()
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(
                    returning: Outcome(
                        status: process.terminationStatus,
                        output: String(decoding: data, as: UTF8.self),
                        processorTime: ProcessorTime.ofReapedChildren() - accountedBefore
                    )
                )
            }
            thread.name = "benchmark-subprocess"
            thread.start()
        }
    }

    /// This very program, to re-run it with a hidden subcommand in a process of its own.
    static var currentExecutable: URL {
        #if os(Linux)
            URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        #else
            Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        #endif
    }

    /// The first executable named `name` on the `PATH`.
    static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

/// What went wrong in the benchmark itself (not in a measured call).
struct BenchmarkError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// What a measuring child process prints on its one line, `<seconds> <peak bytes>`, and how the
/// parent reads it back (figures 2 and 6).
struct ChildMeasurement {
    var seconds: Double
    var peakBytes: Int64

    var line: String { "\(seconds) \(peakBytes)" }

    init(seconds: Double, peakBytes: Int64) {
        self.seconds = seconds
        self.peakBytes = peakBytes
    }

    init?(_ output: String) {
        let fields = output.split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let seconds = Double(fields[0]), let peak = Int64(fields[1]) else { return nil }
        self.init(seconds: seconds, peakBytes: peak)
    }
}

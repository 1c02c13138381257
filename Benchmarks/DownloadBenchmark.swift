import EmulatorSupport
import Foundation
import MediaGenCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Figure 2: a 1 GiB output through `RemoteFile.download` against a bare `URLSession` download
/// task (what the SDK's transport is built on: the target, in throughput and in processor time
/// per GiB), with `curl -o` of the same URL as the reference line; and the same download with a
/// progress handler (2e), which takes another path in the transport.
///
/// Each side runs in a process of its own, in the order curl, SDK, SDK with a progress handler,
/// URLSession, URLSession, SDK with progress, SDK, curl, so that a change of load during the run
/// weighs on all equally. Each process times its own transfer (curl's
/// `time_total`; the SDK child from the call to the file in place). The SDK child reports its
/// own `VmHWM` at the end. Figure 2d is each side's processor time (user + system, from the
/// kernel's accounts of the finished child), which on a machine with few cores bounds how fast
/// a side can go once the emulator has taken its share. Files are deleted after each run.
struct DownloadBenchmark {
    var bytes: Int64 = 1 << 30
    /// Against a bare `URLSession` download task in the same run (issue 22 restated figure 2a: on
    /// Linux a download's cost is FoundationNetworking's processor time, which the SDK cannot reach).
    static let throughputTarget = 0.95
    /// Processor time per GiB, SDK over bare `URLSession`, in the same run.
    static let processorTimeTarget = 1.1
    static let memoryTarget: Int64 = 64 << 20

    func run(_ emulator: Emulator) async throws -> [Report] {
        guard let curlExecutable = Subprocess.find("curl") else {
            return [Report(figure: "2 download", measured: "curl is not installed", target: "", verdict: .miss)]
        }
        let url = "\(emulator.origin.absoluteString)/media/blob.bin?bytes=\(bytes)"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mediagen-benchmark-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var bySide: [String: [Transfer]] = [:]
        for side in ["curl", "sdk", "progress", "raw", "raw", "progress", "sdk", "curl"] {
            let served = emulator.processorTime
            var transfer =
                switch side {
                case "curl": try await curlDownload(curlExecutable, url: url, into: directory)
                case "raw": try await childDownload(RawDownloadChild.command, url: url, into: directory)
                case "progress":
                    try await childDownload(DownloadChild.command, url: url, into: directory, extra: ["progress"])
                default: try await childDownload(DownloadChild.command, url: url, into: directory)
                }
            if let served, let now = emulator.processorTime { transfer.serverTime = now - served }
            bySide[side, default: []].append(transfer)
        }
        let curl = bySide["curl"] ?? []
        let sdk = bySide["sdk"] ?? []
        let withProgress = bySide["progress"] ?? []
        let raw = bySide["raw"] ?? []
        let total = Double(bytes) * 2
        let curlRate = total / curl.map(\.seconds).reduce(0, +)
        let sdkRate = total / sdk.map(\.seconds).reduce(0, +)
        let rawRate = total / raw.map(\.seconds).reduce(0, +)
        let progressRate = total / withProgress.map(\.seconds).reduce(0, +)
        let progressPeak = withProgress.map(\.peakBytes).max() ?? 0
        let ratio = sdkRate / curlRate
        let sdkPeak = sdk.map(\.peakBytes).max() ?? 0
        let times = { (runs: [Transfer]) in runs.map { Format.fixed($0.seconds) + " s" }.joined(separator: ", ") }
        // Processor seconds per GiB, the two runs of a side together.
        let gibibytes = Double(bytes) / Double(1 << 30)
        let perGiB = { (runs: [Transfer], time: KeyPath<Transfer, Duration>) -> Double in
            runs.map { $0[keyPath: time].seconds }.reduce(0, +) / (gibibytes * Double(runs.count))
        }
        // Client and emulator processor time over the transfers' wall time: how many cores the
        // download kept busy. Near the machine's count, a side is as fast as its processor time lets it be.
        let busy = { (runs: [Transfer]) -> String in
            let wall = runs.map(\.seconds).reduce(0, +)
            let used = runs.map { ($0.processorTime + $0.serverTime).seconds }.reduce(0, +)
            return Format.fixed(used / wall, 2)
        }
        let mib = { (rate: Double) in Format.fixed(rate / 1_048_576, 0) + " MiB/s" }
        let cpuRatio = perGiB(sdk, \.processorTime) / perGiB(raw, \.processorTime)
        let cpu = { (runs: [Transfer]) in
            "\(Format.fixed(perGiB(runs, \.processorTime))) s + emulator \(Format.fixed(perGiB(runs, \.serverTime))) s"
        }
        return [
            Report(
                figure: "2a download throughput, 1 GiB, against a bare URLSession download task",
                measured:
                    "RemoteFile.download \(mib(sdkRate)) (\(times(sdk))) vs URLSession \(mib(rawRate)) (\(times(raw))); ratio \(Format.fixed(sdkRate / rawRate, 3))",
                target: "≥ \(Self.throughputTarget)",
                verdict: .init(sdkRate / rawRate >= Self.throughputTarget)
            ),
            Report(
                figure: "2c download throughput, 1 GiB, against curl -o (reference)",
                measured:
                    "RemoteFile.download \(mib(sdkRate)) vs curl -o \(mib(curlRate)) (\(times(curl))); ratio \(Format.fixed(ratio, 3))",
                target: "",
                verdict: .info
            ),
            Report(
                figure: "2d download processor time per GiB (user + system)",
                measured:
                    "RemoteFile.download \(cpu(sdk)), bare URLSession \(cpu(raw)), curl -o \(cpu(curl)); SDK / URLSession \(Format.fixed(cpuRatio, 3))×, SDK / curl \(Format.fixed(perGiB(sdk, \.processorTime) / perGiB(curl, \.processorTime), 2))×; cores busy: SDK \(busy(sdk)), URLSession \(busy(raw)), curl \(busy(curl)) of \(ProcessInfo.processInfo.activeProcessorCount)",
                target: "SDK / URLSession ≤ \(Self.processorTimeTarget)×",
                verdict: .init(cpuRatio <= Self.processorTimeTarget)
            ),
            Report(
                figure: "2e download with a progress handler, 1 GiB",
                measured:
                    "RemoteFile.download(progress:) \(mib(progressRate)) (\(times(withProgress))), \(Format.fixed(progressRate / sdkRate, 3)) of the speed without; VmHWM \(Format.mebibytes(progressPeak))",
                target: "",
                verdict: .info
            ),
            Report(
                figure: "2b download peak memory, 1 GiB",
                measured: "RemoteFile.download process VmHWM \(Format.mebibytes(sdkPeak)) (highest of 2 runs)",
                target: "< \(Self.memoryTarget >> 20) MiB",
                verdict: .init(sdkPeak < Self.memoryTarget)
            ),
        ]
    }

    /// One side's transfer: the time it took (as the side measured it), the processor time of its
    /// whole process and of the emulator meanwhile, and, for the SDK and URLSession children,
    /// their peak resident memory.
    private struct Transfer {
        var seconds: Double
        var processorTime: Duration
        var peakBytes: Int64 = 0
        /// Zero where the emulator's processor time cannot be read (not Linux).
        var serverTime: Duration = .zero
    }

    private func curlDownload(_ curl: URL, url: String, into directory: URL) async throws -> Transfer {
        let file = directory.appendingPathComponent("curl.bin")
        defer { try? FileManager.default.removeItem(at: file) }
        let outcome = try await Subprocess.run(
            curl, ["--silent", "--show-error", "--fail", "-o", file.path, "-w", "%{time_total} %{size_download}", url])
        let fields = outcome.output.split(separator: " ")
        guard outcome.status == 0, fields.count == 2, let seconds = Double(fields[0]), Int64(fields[1]) == bytes
        else { throw BenchmarkError("curl failed (\(outcome.status)): \(outcome.output)") }
        return Transfer(seconds: seconds, processorTime: outcome.processorTime)
    }

    private func childDownload(_ command: String, url: String, into directory: URL, extra: [String] = []) async throws
        -> Transfer
    {
        let outcome = try await Subprocess.run(
            Subprocess.currentExecutable, [command, url, String(bytes), directory.path] + extra)
        guard outcome.status == 0, let result = ChildMeasurement(outcome.output) else {
            throw BenchmarkError("the \(command) child failed (\(outcome.status)): \(outcome.output)")
        }
        return Transfer(seconds: result.seconds, processorTime: outcome.processorTime, peakBytes: result.peakBytes)
    }
}

/// The SDK side of figure 2, in a process of its own (`Benchmarks _download <url> <bytes> <dir>`),
/// so that its peak memory is the download's and nothing else's.
enum DownloadChild {
    static let command = "_download"

    /// Downloads as an app would save an output (without a progress handler, the transport's
    /// leanest path, unless `progress` follows the directory), checks the size, deletes the file
    /// and prints `<seconds> <VmHWM bytes>`.
    static func main(_ arguments: [String]) async throws {
        guard (3...4).contains(arguments.count), let url = URL(string: arguments[0]), let bytes = Int64(arguments[1])
        else {
            throw BenchmarkError("usage: Benchmarks \(command) <url> <bytes> <directory> [progress]")
        }
        // With a progress handler (what an app showing a progress bar passes), or without.
        let reported = Locked<Int64>(0)
        let record: @Sendable (TransferProgress) -> Void = { update in
            reported.withLock { $0 = update.bytesTransferred }
        }
        let progress = arguments.count == 4 ? record : nil
        let destination = URL(fileURLWithPath: arguments[2], isDirectory: true)
            .appendingPathComponent("sdk-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: destination) }
        // A gigabyte on a loaded machine can take longer than the default 60 s per attempt.
        let configuration = ClientConfiguration(timeout: .seconds(900))
        let clock = ContinuousClock()
        let start = clock.now
        let saved = try await RemoteFile(url: url, byteCount: bytes).download(
            to: destination, configuration: configuration, progress: progress)
        let elapsed = start.duration(to: clock.now)
        let size = (try FileManager.default.attributesOfItem(atPath: saved.path)[.size] as? NSNumber)?.int64Value
        guard size == bytes else { throw BenchmarkError("downloaded \(size ?? -1) bytes, expected \(bytes)") }
        print(ChildMeasurement(seconds: elapsed.seconds, peakBytes: ResidentMemory.peakBytes()).line)
    }
}

/// The bare-Foundation side of figure 2 (`Benchmarks _download-raw <url> <bytes> <dir>`): a
/// `URLSession` download task with a completion handler, its file moved into place — the least an
/// app using `URLSession` directly would do.
enum RawDownloadChild {
    static let command = "_download-raw"

    static func main(_ arguments: [String]) async throws {
        guard arguments.count == 3, let url = URL(string: arguments[0]), let bytes = Int64(arguments[1]) else {
            throw BenchmarkError("usage: Benchmarks \(command) <url> <bytes> <directory>")
        }
        let destination = URL(fileURLWithPath: arguments[2], isDirectory: true)
            .appendingPathComponent("raw-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: destination) }
        let session = URLSession(configuration: .ephemeral)
        let clock = ContinuousClock()
        let start = clock.now
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            session.downloadTask(with: url) { location, _, error in
                guard let location else {
                    continuation.resume(throwing: error ?? BenchmarkError("no file"))
                    return
                }
                continuation.resume(with: Result { try FileManager.default.moveItem(at: location, to: destination) })
            }.resume()
        }
        let elapsed = start.duration(to: clock.now)
        let size = (try FileManager.default.attributesOfItem(atPath: destination.path)[.size] as? NSNumber)?.int64Value
        guard size == bytes else { throw BenchmarkError("downloaded \(size ?? -1) bytes, expected \(bytes)") }
        print(ChildMeasurement(seconds: elapsed.seconds, peakBytes: ResidentMemory.peakBytes()).line)
    }
}

import EmulatorSupport
import Foundation
import MediaGenCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Figure 2: a 1 GiB output through `RemoteFile.download` against `curl -o` of the same URL, and
/// against a bare `URLSession` download task (what the SDK's transport is built on).
///
/// Each side runs in a process of its own, in the order curl, SDK, URLSession, URLSession, SDK,
/// curl, so that a change of load during the run weighs on all equally. Each process times its own transfer (curl's
/// `time_total`; the SDK child from the call to the file in place). The SDK child reports its
/// own `VmHWM` at the end. Files are deleted after each run.
struct DownloadBenchmark {
    var bytes: Int64 = 1 << 30
    static let throughputTarget = 0.9
    static let memoryTarget: Int64 = 64 << 20

    func run(_ emulator: Emulator) async throws -> [Report] {
        guard let curl = Subprocess.find("curl") else {
            return [Report(figure: "2 download", measured: "curl is not installed", target: "", verdict: .miss)]
        }
        let url = "\(emulator.origin.absoluteString)/media/blob.bin?bytes=\(bytes)"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mediagen-benchmark-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var curlSeconds: [Double] = []
        var sdkSeconds: [Double] = []
        var rawSeconds: [Double] = []
        var sdkPeak: Int64 = 0
        for side in ["curl", "sdk", "raw", "raw", "sdk", "curl"] {
            switch side {
            case "curl":
                curlSeconds.append(try await curlDownload(curl, url: url, into: directory))
            case "raw":
                rawSeconds.append(try await childDownload(RawDownloadChild.command, url: url, into: directory).seconds)
            default:
                let child = try await childDownload(DownloadChild.command, url: url, into: directory)
                sdkSeconds.append(child.seconds)
                sdkPeak = max(sdkPeak, child.peakBytes)
            }
        }
        let total = Double(bytes) * 2
        let curlRate = total / curlSeconds.reduce(0, +)
        let sdkRate = total / sdkSeconds.reduce(0, +)
        let rawRate = total / rawSeconds.reduce(0, +)
        let ratio = sdkRate / curlRate
        let times = { (seconds: [Double]) in seconds.map { Format.fixed($0) + " s" }.joined(separator: ", ") }
        return [
            Report(
                figure: "2a download throughput, 1 GiB",
                measured:
                    "RemoteFile.download \(Format.fixed(sdkRate / 1_048_576, 0)) MiB/s (\(times(sdkSeconds))) vs curl -o \(Format.fixed(curlRate / 1_048_576, 0)) MiB/s (\(times(curlSeconds))); ratio \(Format.fixed(ratio, 3))",
                target: "≥ \(Self.throughputTarget)",
                verdict: .init(ratio >= Self.throughputTarget)
            ),
            Report(
                figure: "2c download throughput, 1 GiB, against URLSession",
                measured:
                    "RemoteFile.download \(Format.fixed(sdkRate / 1_048_576, 0)) MiB/s vs a bare URLSession download task \(Format.fixed(rawRate / 1_048_576, 0)) MiB/s (\(times(rawSeconds))); ratio \(Format.fixed(sdkRate / rawRate, 3))",
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

    private func curlDownload(_ curl: URL, url: String, into directory: URL) async throws -> Double {
        let file = directory.appendingPathComponent("curl.bin")
        defer { try? FileManager.default.removeItem(at: file) }
        let outcome = try await Subprocess.run(
            curl, ["--silent", "--show-error", "--fail", "-o", file.path, "-w", "%{time_total} %{size_download}", url])
        let fields = outcome.output.split(separator: " ")
        guard outcome.status == 0, fields.count == 2, let seconds = Double(fields[0]), Int64(fields[1]) == bytes
        else { throw BenchmarkError("curl failed (\(outcome.status)): \(outcome.output)") }
        return seconds
    }

    private func childDownload(_ command: String, url: String, into directory: URL) async throws
        -> DownloadChild.Result
    {
        let outcome = try await Subprocess.run(
            Subprocess.currentExecutable, [command, url, String(bytes), directory.path])
        guard outcome.status == 0, let result = DownloadChild.Result(outcome.output) else {
            throw BenchmarkError("the \(command) child failed (\(outcome.status)): \(outcome.output)")
        }
        return result
    }
}

/// The SDK side of figure 2, in a process of its own (`Benchmarks _download <url> <bytes> <dir>`),
/// so that its peak memory is the download's and nothing else's.
enum DownloadChild {
    static let command = "_download"

    struct Result {
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

    /// Downloads as an app would save an output (no progress handler: the transport's leanest
    /// path), checks the size, deletes the file and prints `<seconds> <VmHWM bytes>`.
    static func main(_ arguments: [String]) async throws {
        guard arguments.count == 3, let url = URL(string: arguments[0]), let bytes = Int64(arguments[1]) else {
            throw BenchmarkError("usage: Benchmarks \(command) <url> <bytes> <directory>")
        }
        let destination = URL(fileURLWithPath: arguments[2], isDirectory: true)
            .appendingPathComponent("sdk-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: destination) }
        // A gigabyte on a loaded machine can take longer than the default 60 s per attempt.
        let configuration = ClientConfiguration(timeout: .seconds(900))
        let clock = ContinuousClock()
        let start = clock.now
        let saved = try await RemoteFile(url: url, byteCount: bytes).download(
            to: destination, configuration: configuration)
        let elapsed = start.duration(to: clock.now)
        let size = (try FileManager.default.attributesOfItem(atPath: saved.path)[.size] as? NSNumber)?.int64Value
        guard size == bytes else { throw BenchmarkError("downloaded \(size ?? -1) bytes, expected \(bytes)") }
        print(Result(seconds: elapsed.seconds, peakBytes: ResidentMemory.peakBytes()).line)
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
        print(DownloadChild.Result(seconds: elapsed.seconds, peakBytes: ResidentMemory.peakBytes()).line)
    }
}

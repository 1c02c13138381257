import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenFal

/// Figure 8: a 1 GiB file uploaded to fal's storage through `FalClient.upload` with a progress
/// handler, as an app would: the CDN token, then multipart (10 MiB parts, two at a time), each
/// part read from disk as it is sent. Against `curl` sending the same file to the CDN in one
/// request (`-X POST --upload-file`, streamed from disk, with a token fetched beforehand), the reference for the wire.
///
/// The SDK side runs in a process of its own and reports its `VmHWM`: the target is that the
/// upload keeps resident memory under 64 MiB, whatever the file's size. Runs go curl, SDK, SDK,
/// curl; the file is made once and deleted at the end.
struct FalUploadBenchmark {
    var bytes: Int64 = 1 << 30
    static let memoryTarget: Int64 = 64 << 20

    func run(_ emulator: Emulator) async throws -> [Report] {
        guard let curl = Subprocess.find("curl") else {
            return [Report(figure: "8 fal upload", measured: "curl is not installed", target: "", verdict: .miss)]
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mediagen-upload-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("upload.bin")
        try Self.makeFile(file, bytes: bytes)

        var curlSeconds: [Double] = []
        var sdk: [ChildMeasurement] = []
        for side in ["curl", "sdk", "sdk", "curl"] {
            if side == "curl" {
                curlSeconds.append(try await curlUpload(curl, file: file, emulator: emulator))
            } else {
                sdk.append(try await childUpload(file: file, emulator: emulator))
            }
            try await emulator.reset()  // the stored copies go, so the disk does not fill
        }
        let total = Double(bytes) * 2
        let curlRate = total / curlSeconds.reduce(0, +)
        let sdkRate = total / sdk.map(\.seconds).reduce(0, +)
        let peak = sdk.map(\.peakBytes).max() ?? 0
        let mib = { (rate: Double) in Format.fixed(rate / 1_048_576, 0) + " MiB/s" }
        return [
            Report(
                figure: "8a fal upload, 1 GiB, multipart with progress",
                measured:
                    "SDK \(mib(sdkRate)), curl (one POST) \(mib(curlRate)): \(Format.fixed(sdkRate / curlRate, 2))× curl",
                target: "reference: curl sends it whole, the SDK in parts with their ETags",
                verdict: .info),
            Report(
                figure: "8b fal upload peak memory",
                measured: "VmHWM \(Format.mebibytes(peak)) for a \(Format.mebibytes(bytes)) file",
                target: "< \(Format.mebibytes(Self.memoryTarget))",
                verdict: peak < Self.memoryTarget ? .pass : .miss),
        ]
    }

    /// A file of `bytes` written 1 MiB at a time (not sparse: every byte is read back from disk).
    static func makeFile(_ file: URL, bytes: Int64) throws {
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw BenchmarkError("cannot create \(file.path)")
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        let block = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var written: Int64 = 0
        while written < bytes {
            let count = Int(min(Int64(block.count), bytes - written))
            try handle.write(contentsOf: block.prefix(count))
            written += Int64(count)
        }
    }

    /// A CDN token from the emulator, then one `curl` POST of the whole file to the CDN.
    private func curlUpload(_ curl: URL, file: URL, emulator: Emulator) async throws -> Double {
        guard
            let tokenURL = URL(
                string: "\(emulator.falRestURL.absoluteString)/storage/auth/token?storage_type=fal-cdn-v3")
        else { throw BenchmarkError("no token URL") }
        let answer = try await URLSessionTransport().send(
            HTTPRequest(
                method: .post, url: tokenURL,
                headers: ["Authorization": "Key \(Emulator.falKey)", "Content-Type": "application/json"],
                body: .data(Data("{}".utf8))))
        let token = try JSONReader().decode(JSONValue.self, from: answer.body)
        guard let value = token["token"]?.stringValue, let base = token["base_url"]?.stringValue else {
            throw BenchmarkError("no CDN token: \(String(decoding: answer.body, as: UTF8.self))")
        }
        let outcome = try await Subprocess.run(
            curl,
            [
                "--silent", "--show-error", "--fail", "-o", "/dev/null", "-w", "%{time_total} %{size_upload}",
                "-H", "Authorization: Bearer \(value)", "-H", "Content-Type: application/octet-stream",
                "-H", "X-Fal-File-Name: upload.bin", "-X", "POST", "--upload-file", file.path, "\(base)/files/upload",
            ])
        let fields = outcome.output.split(separator: " ")
        guard outcome.status == 0, fields.count == 2, let seconds = Double(fields[0]),
            Double(fields[1]).map(Int64.init) == bytes
        else { throw BenchmarkError("curl failed (\(outcome.status)): \(outcome.output)") }
        return seconds
    }

    private func childUpload(file: URL, emulator: Emulator) async throws -> ChildMeasurement {
        let outcome = try await Subprocess.run(
            Subprocess.currentExecutable,
            [FalUploadChild.command, emulator.falRestURL.absoluteString, file.path, String(bytes)])
        guard outcome.status == 0, let result = ChildMeasurement(outcome.output) else {
            throw BenchmarkError("the \(FalUploadChild.command) child failed (\(outcome.status)): \(outcome.output)")
        }
        return result
    }
}

/// The SDK side of figure 8 (`Benchmarks _upload-fal <rest URL> <file> <bytes>`), in a process
/// of its own so that its peak memory is the upload's: uploads with the default options and a
/// progress handler, checks the last report, prints `<seconds> <VmHWM bytes>`.
enum FalUploadChild {
    static let command = "_upload-fal"

    static func main(_ arguments: [String]) async throws {
        guard arguments.count == 3, let rest = URL(string: arguments[0]), let bytes = Int64(arguments[2]) else {
            throw BenchmarkError("usage: Benchmarks \(command) <rest URL> <file> <bytes>")
        }
        let fal = FalClient(
            apiKey: Emulator.falKey, restURL: rest, configuration: ClientConfiguration(timeout: .seconds(900)),
            environment: [:])
        let sent = Locked<Int64>(0)
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await fal.upload(.file(URL(fileURLWithPath: arguments[1]))) { progress in
            sent.withLock { $0 = max($0, progress.bytesTransferred) }
        }
        let elapsed = start.duration(to: clock.now)
        guard sent.current == bytes else { throw BenchmarkError("progress reached \(sent.current) of \(bytes) bytes") }
        print(ChildMeasurement(seconds: elapsed.seconds, peakBytes: ResidentMemory.peakBytes()).line)
    }
}

import EmulatorSupport
import Foundation
import MediaGenBeatAPI
import MediaGenBeatra
import MediaGenCore
import MediaGenFal

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Figure 9: each upload path — BeatAPI `/files`, Beatra `/uploads`, fal's CDN — a file from disk
/// through the SDK with a progress handler, against a bare `URLSession` upload task sending the
/// same request (the target) and `curl` sending it (the reference line).
///
/// The sizes are each provider's limit where it has one: BeatAPI takes files of at most 50 MiB
/// (its published description), the emulator's Beatra at most 100 MiB; fal's CDN gets 1 GiB in
/// one request (`multipartThreshold: .max`, the path a file under 100 MiB takes; figure 8 is the
/// multipart one). BeatAPI and Beatra take `multipart/form-data`: the SDK writes the form to a
/// temporary file and streams it, so the URLSession side does the same, inside its timing, as an
/// app using an upload task must; curl streams the form itself (`-F`). For fal, the token fetch
/// is timed on both sides. Each side runs in its own process, in the order curl, SDK, URLSession,
/// URLSession, SDK, curl; the SDK's `VmHWM` is reported (target < 64 MiB).
struct UploadBenchmark {
    static let throughputTarget = 0.95
    static let memoryTarget: Int64 = 64 << 20

    enum Path: String, CaseIterable {
        case beatAPI = "beatapi"
        case beatra
        case fal

        var bytes: Int64 {
            switch self {
            case .beatAPI: 48 << 20
            case .beatra: 96 << 20
            case .fal: 1 << 30
            }
        }

        var fileName: String {
            switch self {
            case .beatAPI: "upload.png"
            case .beatra: "upload.mp3"
            case .fal: "upload.bin"
            }
        }

        var title: String {
            switch self {
            case .beatAPI: "BeatAPI /files"
            case .beatra: "Beatra /uploads"
            case .fal: "fal CDN"
            }
        }
    }

    func run(_ emulator: Emulator) async throws -> [Report] {
        guard let curl = Subprocess.find("curl") else {
            return [Report(figure: "9 uploads", measured: "curl is not installed", target: "", verdict: .miss)]
        }
        var reports: [Report] = []
        for path in Path.allCases {
            reports += try await measure(path, curl: curl, emulator: emulator)
        }
        return reports
    }

    private func measure(_ path: Path, curl: URL, emulator: Emulator) async throws -> [Report] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mediagen-upload-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(path.fileName)
        try FalUploadBenchmark.makeFile(file, bytes: path.bytes)

        var seconds: [String: [Double]] = [:]
        var sdkPeak: Int64 = 0
        for side in ["curl", "sdk", "rawp", "raw", "raw", "rawp", "sdk", "curl"] {
            switch side {
            case "curl":
                seconds[side, default: []].append(
                    try await curlUpload(path, curl: curl, file: file, emulator: emulator))
            default:
                let command = side == "sdk" ? UploadChild.command : UploadChild.rawCommand
                let outcome = try await Subprocess.run(
                    Subprocess.currentExecutable,
                    [command, path.rawValue, emulator.origin.absoluteString, file.path, directory.path]
                        + (side == "rawp" ? ["progress"] : []))
                guard outcome.status == 0, let result = ChildMeasurement(outcome.output) else {
                    throw BenchmarkError("the \(command) child failed (\(outcome.status)): \(outcome.output)")
                }
                seconds[side, default: []].append(result.seconds)
                if side == "sdk" { sdkPeak = max(sdkPeak, result.peakBytes) }
            }
            try await emulator.reset()  // the stored copies go, so the disk does not fill
        }
        let rate = { (side: String) in Double(path.bytes) * 2 / (seconds[side] ?? []).reduce(0, +) }
        let mib = { (rate: Double) in Format.fixed(rate / 1_048_576, 0) + " MiB/s" }
        let (sdk, withProgress, raw, reference) = (rate("sdk"), rate("rawp"), rate("raw"), rate("curl"))
        let size = Format.mebibytes(path.bytes)
        return [
            Report(
                figure:
                    "9 upload \(path.title), \(size), with progress, against a bare URLSession upload task with progress",
                measured:
                    "SDK \(mib(sdk)) vs URLSession with a progress delegate \(mib(withProgress)): ratio \(Format.fixed(sdk / withProgress, 3)); without progress: URLSession \(mib(raw)) (SDK / it \(Format.fixed(sdk / raw, 3))); curl \(mib(reference)) (SDK / curl \(Format.fixed(sdk / reference, 3)))",
                target: "≥ \(Self.throughputTarget)",
                verdict: .init(sdk / withProgress >= Self.throughputTarget)),
            Report(
                figure: "9 upload \(path.title) peak memory",
                measured: "VmHWM \(Format.mebibytes(sdkPeak)) for \(size)",
                target: "< \(Format.mebibytes(Self.memoryTarget))",
                verdict: .init(sdkPeak < Self.memoryTarget)),
        ]
    }

    private func curlUpload(_ path: Path, curl: URL, file: URL, emulator: Emulator) async throws -> Double {
        let common = ["--silent", "--show-error", "--fail", "-o", "/dev/null", "-w", "%{time_total}"]
        let arguments: [String]
        switch path {
        case .beatAPI:
            arguments = [
                "-H", "Authorization: Bearer \(Emulator.beatAPIKey)", "-F", "file=@\(file.path);type=image/png",
                "-F", "purpose=input", "\(emulator.beatAPIBaseURL.absoluteString)/files",
            ]
        case .beatra:
            arguments = [
                "-H", "Authorization: Bearer \(Emulator.beatraKey)", "-F", "purpose=reference_audio",
                "-F", "file=@\(file.path);type=audio/mpeg", "\(emulator.beatraBaseURL.absoluteString)/uploads",
            ]
        case .fal:
            // The token is fetched before the clock starts: curl's side is the transfer alone.
            let token = try await UploadChild.falToken(rest: emulator.falRestURL, session: URLSession.shared)
            arguments = [
                "-H", "Authorization: \(token.authorization)", "-H", "Content-Type: application/octet-stream",
                "-H", "X-Fal-File-Name: upload.bin", "-X", "POST", "--upload-file", file.path,
                "\(token.base)/files/upload",
            ]
        }
        let outcome = try await Subprocess.run(curl, common + arguments)
        guard outcome.status == 0, let seconds = Double(outcome.output.trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw BenchmarkError("curl failed (\(outcome.status)): \(outcome.output)") }
        return seconds
    }
}

/// The two client sides of figure 9, each in a process of its own:
/// `Benchmarks _upload <path> <origin> <file> <scratch directory>` (the SDK, with progress) and
/// `Benchmarks _upload-raw …` (a bare `URLSession` upload task with a completion handler). Each
/// prints `<seconds> <VmHWM bytes>`.
enum UploadChild {
    static let command = "_upload"
    static let rawCommand = "_upload-raw"

    static func main(_ arguments: [String], raw: Bool) async throws {
        guard (4...5).contains(arguments.count), let path = UploadBenchmark.Path(rawValue: arguments[0]),
            let origin = URL(string: arguments[1])
        else {
            throw BenchmarkError("usage: Benchmarks \(raw ? rawCommand : command) <path> <origin> <file> <directory>")
        }
        let file = URL(fileURLWithPath: arguments[2])
        let scratch = URL(fileURLWithPath: arguments[3], isDirectory: true)
        let clock = ContinuousClock()
        let start = clock.now
        if raw {
            try await rawUpload(path, origin: origin, file: file, scratch: scratch, progress: arguments.count == 5)
        } else {
            try await sdkUpload(path, origin: origin, file: file)
        }
        let elapsed = start.duration(to: clock.now)
        print(ChildMeasurement(seconds: elapsed.seconds, peakBytes: ResidentMemory.peakBytes()).line)
    }

    private static func sdkUpload(_ path: UploadBenchmark.Path, origin: URL, file: URL) async throws {
        let configuration = ClientConfiguration(timeout: .seconds(900))
        let sent = Locked<Int64>(0)
        let progress: @Sendable (TransferProgress) -> Void = { update in
            sent.withLock { $0 = max($0, update.bytesTransferred) }
        }
        switch path {
        case .beatAPI:
            let client = BeatAPIClient(
                apiKey: Emulator.beatAPIKey, baseURL: origin.appendingPathComponent("beatapi/v1"),
                configuration: configuration, environment: [:])
            _ = try await client.upload(.file(file), progress: progress)
        case .beatra:
            let client = BeatraClient(
                apiKey: Emulator.beatraKey, baseURL: origin.appendingPathComponent("beatra/v1"),
                configuration: configuration, environment: [:])
            _ = try await client.upload(.file(file), progress: progress)
        case .fal:
            let client = FalClient(
                apiKey: Emulator.falKey, restURL: origin.appendingPathComponent("fal/rest"),
                configuration: configuration, environment: [:])
            _ = try await client.upload(
                .file(file), options: FalUploadOptions(repositories: [.cdn], multipartThreshold: .max),
                progress: progress)
        }
        guard sent.current >= path.bytes else {
            throw BenchmarkError("progress reached \(sent.current) of \(path.bytes) bytes")
        }
    }

    /// What an app without the SDK does: for a form, write it to a file (the boundary, the part
    /// headers, the file's bytes in 1 MiB blocks) and send it with an upload task; for fal, ask
    /// for a token and send the file with an upload task.
    private static func rawUpload(
        _ path: UploadBenchmark.Path, origin: URL, file: URL, scratch: URL, progress: Bool
    ) async throws {
        let session = URLSession(configuration: .ephemeral)
        var request: URLRequest
        var body = file
        switch path {
        case .beatAPI, .beatra:
            let boundary = "raw-\(UUID().uuidString)"
            let (route, key, fields, type) =
                path == .beatAPI
                ? ("beatapi/v1/files", Emulator.beatAPIKey, [("purpose", "input")], "image/png")
                : ("beatra/v1/uploads", Emulator.beatraKey, [("purpose", "reference_audio")], "audio/mpeg")
            body = scratch.appendingPathComponent("raw-\(UUID().uuidString).form")
            try writeForm(to: body, boundary: boundary, fields: fields, file: file, type: type)
            request = URLRequest(url: origin.appendingPathComponent(route))
            request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
            request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
        case .fal:
            let token = try await falToken(rest: origin.appendingPathComponent("fal/rest"), session: session)
            guard let url = URL(string: "\(token.base)/files/upload") else { throw BenchmarkError("bad CDN URL") }
            request = URLRequest(url: url)
            request.setValue(token.authorization, forHTTPHeaderField: "Authorization")
            request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
            request.setValue(file.lastPathComponent, forHTTPHeaderField: "X-Fal-File-Name")
        }
        request.httpMethod = "POST"
        request.timeoutInterval = 900
        defer { if body != file { try? FileManager.default.removeItem(at: body) } }
        let upload = request
        let source = body
        let status: Int
        if progress {
            // A delegate hears the bytes sent, as an app showing progress must use one.
            let delegate = ProgressDelegate()
            let watched = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
            status = try await withCheckedThrowingContinuation { continuation in
                delegate.continuation.withLock { $0 = continuation }
                watched.uploadTask(with: upload, fromFile: source).resume()
            }
            guard delegate.sent.current >= path.bytes else { throw BenchmarkError("progress fell short") }
        } else {
            status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                session.uploadTask(with: upload, fromFile: source) { _, response, error in
                    if let error { return continuation.resume(throwing: error) }
                    continuation.resume(returning: (response as? HTTPURLResponse)?.statusCode ?? 0)
                }.resume()
            }
        }
        guard (200..<300).contains(status) else { throw BenchmarkError("the upload answered \(status)") }
    }

    private static func writeForm(
        to body: URL, boundary: String, fields: [(String, String)], file: URL, type: String
    ) throws {
        guard FileManager.default.createFile(atPath: body.path, contents: nil) else {
            throw BenchmarkError("cannot create \(body.path)")
        }
        let output = try FileHandle(forWritingTo: body)
        defer { try? output.close() }
        var head = ""
        for (name, value) in fields {
            head += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        head +=
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.lastPathComponent)\"\r\nContent-Type: \(type)\r\n\r\n"
        try output.write(contentsOf: Data(head.utf8))
        let input = try FileHandle(forReadingFrom: file)
        defer { try? input.close() }
        while let block = try input.read(upToCount: 1 << 20), !block.isEmpty {
            try output.write(contentsOf: block)
        }
        try output.write(contentsOf: Data("\r\n--\(boundary)--\r\n".utf8))
    }

    /// A CDN token from the emulator's fal REST host: the `Authorization` value and the CDN's base.
    static func falToken(rest: URL, session: URLSession) async throws -> (authorization: String, base: String) {
        guard let url = URL(string: "\(rest.absoluteString)/storage/auth/token?storage_type=fal-cdn-v3") else {
            throw BenchmarkError("bad token URL")
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("Key \(Emulator.falKey)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data("{}".utf8)
        let (data, _) = try await session.data(for: request)
        let token = try JSONReader().decode(JSONValue.self, from: data)
        guard let value = token["token"]?.stringValue, let type = token["token_type"]?.stringValue,
            let base = token["base_url"]?.stringValue
        else { throw BenchmarkError("no CDN token: \(String(decoding: data, as: UTF8.self))") }
        return ("\(type) \(value)", base)
    }
}

/// The bare side's progress delegate: the bytes sent, and the task's end.
private final class ProgressDelegate: NSObject, URLSessionDataDelegate, Sendable {
    let sent = Locked<Int64>(0)
    let continuation = Locked<CheckedContinuation<Int, any Error>?>(nil)
    private let status = Locked(0)

    func urlSession(
        _ session: URLSession, task: URLSessionTask, didSendBodyData bytesSent: Int64, totalBytesSent: Int64,
        totalBytesExpectedToSend: Int64
    ) {
        sent.withLock { $0 = totalBytesSent }
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        status.withLock { $0 = (response as? HTTPURLResponse)?.statusCode ?? 0 }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let waiting = continuation.withLock { value in
            defer { value = nil }
            return value
        }
        if let error {
            waiting?.resume(throwing: error)
        } else {
            waiting?.resume(returning: status.current)
        }
    }
}

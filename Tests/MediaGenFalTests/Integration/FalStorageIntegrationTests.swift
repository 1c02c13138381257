import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

/// fal's storage flows over the real `URLSession` transport against the emulator: the CDN token
/// flow, multipart with progress, a part's retry, and the fallback to GCS.
@Suite(
    "fal storage over real HTTP",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct FalStorageIntegrationTests {
    static let tokenRoute = "POST /rest/storage/auth/token"
    static let partRoute = "PUT /cdn/files/{file_id}/{name}/multipart/{upload_id}/{part}"
    /// Parts of 1 MiB above 2 MiB, so that a few MiB go in several parts.
    static let smallParts = FalUploadOptions(multipartThreshold: 2 << 20, partSize: 1 << 20)

    func client(_ emulator: Emulator, middleware: [any HTTPMiddleware] = []) -> FalClient {
        FalClient(
            apiKey: Emulator.falKey, queueURL: emulator.falQueueURL, restURL: emulator.falRestURL,
            configuration: ClientConfiguration(
                middleware: middleware, transport: URLSessionTransport(), clock: ImmediateClock()))
    }

    /// A file of `bytes` whose parts all differ, in a directory of its own.
    func file(bytes: Int, name: String = "take.mov") throws -> URL {
        let directory = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
            .appendingPathComponent("fal-storage-\(UUID().uuidString)/")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        let pattern = Data((0..<253).map { UInt8($0) })
        var content = Data(capacity: bytes)
        while content.count < bytes { content.append(pattern.prefix(bytes - content.count)) }
        try content.write(to: file)
        return file
    }

    func downloaded(_ url: URL, _ fal: FalClient, next to: URL) async throws -> Data {
        let back = try await RemoteFile(url: url).download(
            to: to.deletingLastPathComponent().appendingPathComponent("back"), configuration: fal.configuration)
        return try Data(contentsOf: back)
    }

    @Test func aLargeFileGoesInPartsWithProgressAndComesBackByteForByte() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator)
            let size = (9 << 20) / 2  // 4.5 MiB: five parts, the last half full
            let source = try file(bytes: size)
            defer { try? FileManager.default.removeItem(at: source.deletingLastPathComponent()) }
            let reports = Locked<[TransferProgress]>([])
            let url = try await fal.upload(.file(source), options: Self.smallParts) { progress in
                reports.withLock { $0.append(progress) }
            }
            #expect(url.path.hasSuffix("/take.mov"))
            #expect(try await downloaded(url, fal, next: source) == Data(contentsOf: source))

            let stats = try await emulator.stats()
            #expect(stats.counter("fal", "cdn_parts_received") == 5)
            #expect(stats.requests("fal", Self.tokenRoute) == 1)
            // The socket's progress: several reports, never past the total, ending at it.
            let sent = reports.current.map(\.bytesTransferred)
            #expect(sent.count > 5)
            #expect(sent.allSatisfy { $0 <= Int64(size) })
            #expect(reports.current.allSatisfy { $0.totalBytes == Int64(size) })
            #expect(sent.last == Int64(size))
        }
    }

    @Test func aPartRefusedOnceIsSentAgainAloneAndTheUploadCompletes() async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([FaultRule("503", count: 1, provider: "fal", method: "PUT", path: "/cdn/")])
            let fal = client(emulator)
            let source = try file(bytes: 3 << 20)
            defer { try? FileManager.default.removeItem(at: source.deletingLastPathComponent()) }
            let url = try await fal.upload(.file(source), options: Self.smallParts)
            #expect(try await downloaded(url, fal, next: source) == Data(contentsOf: source))
            let stats = try await emulator.stats()
            #expect(stats.requests("fal", Self.partRoute) == 4)
            #expect(stats.counter("fal", "cdn_parts_received") == 3)
            #expect(stats.requests("fal", "POST /cdn/files/upload/multipart") == 1)
        }
    }

    /// A single upload whose connection drops with no answer is sent again, whole: each attempt
    /// reads the file from its start (a body stream cannot be rewound, so each gets its own), and
    /// its progress counts from the start again.
    @Test func aSingleUploadDroppedOnceIsSentAgainWholeWithProgressFromTheStart() async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([
                FaultRule("drop-before", count: 1, provider: "fal", method: "POST", path: "/cdn/files/upload")
            ])
            let fal = client(emulator)
            let size = (3 << 20) + 7
            let source = try file(bytes: size)
            defer { try? FileManager.default.removeItem(at: source.deletingLastPathComponent()) }
            let reports = Locked<[Int64]>([])
            let url = try await fal.upload(.file(source), options: FalUploadOptions(repositories: [.cdn])) {
                progress in reports.withLock { $0.append(progress.bytesTransferred) }
            }
            #expect(try await downloaded(url, fal, next: source) == Data(contentsOf: source))
            #expect(try await emulator.stats().requests("fal", "POST /cdn/files/upload") == 2)

            // Two climbs to the size: the dropped attempt's (the emulator read its whole body) and
            // the second's.
            let sent = reports.current
            let restarts = zip(sent, sent.dropFirst()).filter { $0 > $1 }
            #expect(restarts.count == 1)
            #expect(restarts.first?.0 == Int64(size))
            #expect(sent.filter { $0 == Int64(size) }.count == 2)
            #expect(sent.last == Int64(size))
        }
    }

    /// An upload on a kept-alive connection that the server closes with no answer: libcurl sends
    /// it again at once on a new connection, with the body made anew from its start (without a
    /// task delegate to make it, the second sending went out with no body and waited for the
    /// timeout). With and without progress; a 20 s timeout turns such a wait into a failure.
    @Test(arguments: [true, false])
    func anUploadOnAReusedConnectionDroppedOnceIsSentAgainWholeAtOnce(withProgress: Bool) async throws {
        try await Emulator.run { emulator in
            let fal = FalClient(
                apiKey: Emulator.falKey, queueURL: emulator.falQueueURL, restURL: emulator.falRestURL,
                configuration: ClientConfiguration(
                    timeout: .seconds(20), retry: RetryPolicy.none, transport: URLSessionTransport(),
                    clock: ImmediateClock()))
            let size = (2 << 20) + 11
            let source = try file(bytes: size)
            defer { try? FileManager.default.removeItem(at: source.deletingLastPathComponent()) }
            let cdnOnly = FalUploadOptions(repositories: [.cdn])
            _ = try await fal.upload(.file(source), options: cdnOnly) { _ in }
            try await emulator.injectFaults([
                FaultRule("drop-before", count: 1, provider: "fal", method: "POST", path: "/cdn/files/upload")
            ])
            let last = Locked<TransferProgress?>(nil)
            var progress: (@Sendable (TransferProgress) -> Void)?
            if withProgress { progress = { update in last.withLock { $0 = update } } }
            let url = try await fal.upload(.file(source), options: cdnOnly, progress: progress)
            #expect(try await downloaded(url, fal, next: source) == Data(contentsOf: source))
            if withProgress {
                #expect(last.current == TransferProgress(bytesTransferred: Int64(size), totalBytes: Int64(size)))
            }
            let stats = try await emulator.stats()
            #expect(stats.requests("fal", "POST /cdn/files/upload") == 3)
            // Not saved by the fallback after a timeout: the CDN took it.
            #expect(stats.requests("fal", "POST /rest/storage/upload/initiate") == 0)
        }
    }

    @Test(arguments: ["/rest/storage/auth/token", "/cdn/files/upload"])
    func whenTheCDNIsDownTheFileGoesToGCSWithoutTheKey(faultedPath: String) async throws {
        try await Emulator.run { emulator in
            try await emulator.injectFaults([FaultRule("503", count: 100, provider: "fal", path: faultedPath)])
            let recorder = RecordingMiddleware()
            let fal = client(emulator, middleware: [recorder])
            let source = try file(bytes: 2 << 20, name: "voice.wav")
            defer { try? FileManager.default.removeItem(at: source.deletingLastPathComponent()) }
            let url = try await fal.upload(.file(source))
            let put = try #require(recorder.requests.current.last)
            #expect(put.method == .put)
            #expect(put.headers["Authorization"] == nil)
            #expect(try await downloaded(url, fal, next: source) == Data(contentsOf: source))
            let stats = try await emulator.stats()
            #expect(stats.requests("fal", "POST /rest/storage/upload/initiate") == 1)
        }
    }

    @Test func aGCSUploadReportsProgressToo() async throws {
        try await Emulator.run { emulator in
            let fal = client(emulator)
            let source = try file(bytes: 3 << 20, name: "voice.wav")
            defer { try? FileManager.default.removeItem(at: source.deletingLastPathComponent()) }
            let last = Locked<TransferProgress?>(nil)
            let url = try await fal.upload(.file(source), options: FalUploadOptions(repositories: [.gcs])) {
                progress in last.withLock { $0 = progress }
            }
            #expect(try await downloaded(url, fal, next: source) == Data(contentsOf: source))
            #expect(last.current == TransferProgress(bytesTransferred: 3 << 20, totalBytes: 3 << 20))
        }
    }

    // MARK: - Memory

    /// The `Upload` example, built beside this test bundle (the test target depends on it).
    static let uploadExample = URL(fileURLWithPath: CommandLine.arguments[0])
        .deletingLastPathComponent().appendingPathComponent("Upload")

    /// A separate process, so that the figure is the upload's alone and not the parallel tests'.
    /// In parts (the default above 100 MiB) and in one request, both with progress on.
    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: uploadExample.path), "the Upload example is not built"),
        arguments: [false, true]
    )
    func a200MegabyteUploadStreamsFromDiskWithFlatMemory(inOneRequest: Bool) async throws {
        try await Emulator.run { emulator in
            let size = 200 << 20
            let directory = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
                .appendingPathComponent("fal-upload-\(UUID().uuidString)/")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            // Written a MiB at a time, each MiB different, so that a misplaced part would show.
            let source = directory.appendingPathComponent("take.mov")
            try Data().write(to: source)
            let writer = try FileHandle(forWritingTo: source)
            for mebibyte in 0..<(size >> 20) {
                try writer.write(contentsOf: Data(repeating: UInt8(mebibyte & 0xFF), count: 1 << 20))
            }
            try writer.close()

            let (status, text) = try await ChildProcess.run(
                Self.uploadExample,
                ["--rest-url", emulator.falRestURL.absoluteString] + (inOneRequest ? ["--single"] : []) + [source.path],
                environment: ["FAL_KEY": Emulator.falKey])
            #expect(status == 0, "\(text)")

            let lines = text.split(separator: "\n")
            #expect(lines.contains("100 %  \(size) bytes"), "progress reached the whole size: \(text)")
            let report = try #require(lines.last { $0.hasPrefix("uploaded ") })
            #expect(report.contains(": \(size) bytes,"))
            let peak = try #require(report.split(separator: " ").dropLast().last.flatMap { Int($0) })
            // ThreadSanitizer's shadow memory inflates every process's footprint: the bound is for real builds.
            if !ThreadSanitizer.isActive {
                #expect(
                    peak < 64, "peak resident memory \(peak) MiB for a 200 MiB upload (one request: \(inOneRequest))")
            }
            let parts = try await emulator.stats().counter("fal", "cdn_parts_received")
            #expect(parts == (inOneRequest ? 0 : 20))

            // What the CDN keeps is the file, byte for byte.
            let address = try #require(report.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
            let stored = try await RemoteFile(url: try #require(URL(string: address))).download(
                to: directory.appendingPathComponent("back"),
                configuration: ClientConfiguration(transport: URLSessionTransport(), clock: ImmediateClock()))
            #expect(try Data(contentsOf: stored) == Data(contentsOf: source))
        }
    }
}

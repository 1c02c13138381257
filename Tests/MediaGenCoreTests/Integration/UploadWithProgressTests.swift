import EmulatorSupport
import Foundation
import MediaGenCore
import Testing

/// `URLSessionTransport.upload(_:progress:)` over real HTTP: what reaches the server, and what the
/// progress handler is told. On Linux the body is an `UploadBodyStream` (counted as URLSession reads
/// it); on Apple platforms the stream session's delegate counts what was sent.
@Suite(
    "URLSessionTransport uploads with progress",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct UploadWithProgressTests {
    /// The shapes of body an upload takes: a file on disk (forms, fal's single POST), and bytes in
    /// memory (a `FileSource.data`).
    enum BodyShape: String, CaseIterable, Sendable {
        case file
        case data
    }

    /// 3 MiB and an odd tail, every 64 KiB piece different, so a piece sent twice, dropped or out of
    /// order changes the bytes.
    static let content: Data = {
        var bytes = [UInt8](repeating: 0, count: (3 << 20) + 12_345)
        var state: UInt32 = 0x9E37_79B9
        for index in bytes.indices {
            state = state &* 1_664_525 &+ 1_013_904_223
            bytes[index] = UInt8(truncatingIfNeeded: state >> 24)
        }
        return Data(bytes)
    }()

    /// A directory of its own, removed by the caller.
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func body(_ shape: BodyShape, in folder: URL) throws -> HTTPBody {
        switch shape {
        case .data:
            return .data(content)
        case .file:
            let file = folder.appendingPathComponent("upload.bin")
            try content.write(to: file)
            return .file(file)
        }
    }

    @Test(arguments: BodyShape.allCases)
    func theBodyArrivesByteForByteWithAContentLengthAndNotChunked(shape: BodyShape) async throws {
        try await Emulator.run { emulator in
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let request = HTTPRequest(
                method: .post, url: emulator.inboxURL("upload"),
                headers: ["Content-Type": "application/octet-stream"], body: try Self.body(shape, in: folder),
                timeout: .seconds(60))
            let response = try await URLSessionTransport().upload(request) { _ in }
            #expect(response.status == 200)

            let delivery = try #require(try await emulator.inbox("upload").first)
            #expect(delivery.body == Self.content)
            #expect(delivery.headers["Content-Length"] == String(Self.content.count))
            #expect(delivery.headers["Transfer-Encoding"] == nil)
            #expect(delivery.headers["Content-Type"] == "application/octet-stream")
        }
    }

    @Test(arguments: BodyShape.allCases)
    func progressOnlyGrowsAndEndsAtTheTotal(shape: BodyShape) async throws {
        try await Emulator.run { emulator in
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let request = HTTPRequest(
                method: .post, url: emulator.inboxURL("progress"), body: try Self.body(shape, in: folder),
                timeout: .seconds(60))
            let reports = Locked<[TransferProgress]>([])
            _ = try await URLSessionTransport().upload(request) { progress in reports.withLock { $0.append(progress) } }

            let total = Int64(Self.content.count)
            let sent = reports.current.map(\.bytesTransferred)
            #expect(sent.count > 3)
            #expect(zip(sent, sent.dropFirst()).allSatisfy { $0 < $1 })
            #expect(sent.first.map { $0 > 0 } == true)
            #expect(sent.last == total)
            #expect(reports.current.allSatisfy { $0.totalBytes == total })
        }
    }

    /// Cancelled from its own progress handler, mid-body: the call ends with `CancellationError`
    /// and the body stops short of its end. The file is sparse (256 MiB of holes, nothing on disk),
    /// sent to fal's emulated CDN, which streams what arrives to disk.
    @Test func cancellingAnUploadMidBodyEndsItBeforeTheEnd() async throws {
        try await Emulator.run { emulator in
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("sparse.bin")
            let total: Int64 = 256 << 20
            #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
            let handle = try FileHandle(forWritingTo: file)
            try handle.truncate(atOffset: UInt64(total))
            try handle.close()

            let transport = URLSessionTransport()
            let request = try await Self.cdnUpload(of: file, emulator: emulator, transport: transport)
            // Whoever comes second, the first report or the task's handle, cancels: under one lock,
            // so the cancellation is never lost.
            let state = Locked<(task: Task<HTTPResponse, any Error>?, reported: Bool)>((nil, false))
            let last = Locked<Int64>(0)
            let task = Task {
                try await transport.upload(request) { progress in
                    last.withLock { $0 = progress.bytesTransferred }
                    let upload = state.withLock { state in
                        defer { state.reported = true }
                        return state.reported ? nil : state.task
                    }
                    upload?.cancel()
                }
            }
            let reportedAlready = state.withLock { state in
                state.task = task
                return state.reported
            }
            if reportedAlready { task.cancel() }

            let result = await task.result
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(last.current < total)
        }
    }

    /// A request that uploads `file` to the emulator's fal CDN, with a token fetched first.
    static func cdnUpload(of file: URL, emulator: Emulator, transport: URLSessionTransport) async throws
        -> HTTPRequest
    {
        let answer = try await transport.send(
            HTTPRequest(
                method: .post,
                url: emulator.falRestURL.appendingPathComponent("storage/auth/token")
                    .appending(queryItems: [URLQueryItem(name: "storage_type", value: "fal-cdn-v3")]),
                headers: ["Authorization": "Key \(Emulator.falKey)", "Content-Type": "application/json"],
                body: .data(Data("{}".utf8)), timeout: .seconds(30)))
        let token = try JSONDecoder().decode(JSONValue.self, from: answer.body)
        let base = try #require(token["base_url"]?.stringValue.flatMap(URL.init(string:)))
        let value = try #require(token["token"]?.stringValue)
        return HTTPRequest(
            method: .post, url: base.appendingPathComponent("files/upload"),
            headers: [
                "Authorization": "Bearer \(value)", "Content-Type": "application/octet-stream",
                "X-Fal-File-Name": file.lastPathComponent,
            ],
            body: .file(file), timeout: .seconds(120))
    }

    /// Each attempt reads its body from the start: the same request uploaded twice (as the executor
    /// sends an attempt again) arrives whole both times, and the progress of each starts afresh.
    @Test(arguments: BodyShape.allCases)
    func eachCallSendsTheWholeBodyAgain(shape: BodyShape) async throws {
        try await Emulator.run { emulator in
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let request = HTTPRequest(
                method: .post, url: emulator.inboxURL("twice"), body: try Self.body(shape, in: folder),
                timeout: .seconds(60))
            let transport = URLSessionTransport()
            for _ in 0..<2 {
                let first = Locked<Int64?>(nil)
                _ = try await transport.upload(request) { progress in
                    first.withLock { $0 = $0 ?? progress.bytesTransferred }
                }
                #expect(try #require(first.current) <= 1 << 20)
            }
            let deliveries = try await emulator.inbox("twice", count: 2)
            #expect(deliveries.map(\.body) == [Self.content, Self.content])
        }
    }

    @Test func aMissingFileFailsAsALocalFileErrorAndSendsNothing() async throws {
        try await Emulator.run { emulator in
            let missing = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID().uuidString)")
            let request = HTTPRequest(
                method: .post, url: emulator.inboxURL("missing"), body: .file(missing), timeout: .seconds(30))
            let failure = await #expect(throws: TransportError.self) {
                try await URLSessionTransport().upload(request) { _ in }
            }
            #expect(failure?.reason == .localFile)
            let received = try await emulator.inbox("missing", count: 0, timeout: .zero)
            #expect(received.isEmpty)
        }
    }
}

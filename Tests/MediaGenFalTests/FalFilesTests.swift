import Foundation
import MediaGenCore
import MediaGenFal
import MediaGenTesting
import TestSupport
import Testing

@Suite("fal files: URLs, data URIs and storage uploads")
struct FalFilesTests {
    static let uploadURL =
        "https://storage.googleapis.com/fal-uploads/abc123/voice.wav?X-Goog-Signature=5f2e%2B9a&X-Goog-Expires=3600"
    static let fileURL = "https://v3.fal.media/files/koala/abc123_voice.wav"
    static let cdnFileURL = "https://v3.fal.media/files/rabbit/Xp2cK9_voice.wav"
    static let cdnToken = "eyJhbGciOiJIUzI1NiJ9.eyJ1cGxvYWQiOiJjZG4ifQ.c2lnbmF0dXJl"
    static let gcsOnly = FalUploadOptions(repositories: [.gcs])

    /// Answers fal's storage routes with the storage fixtures: the CDN token, the CDN upload,
    /// the GCS initiate, and an empty 200 to the signed URL's `PUT`.
    static func storageHarness(token: String = "storage-cdn-token") -> FalHarness {
        FalHarness { request in try storageAnswer(request, token: token) }
    }

    static func storageAnswer(_ request: HTTPRequest, token: String = "storage-cdn-token") throws -> HTTPResponse {
        let path = request.url.path
        if path.hasSuffix("/storage/auth/token") { return try fixtureResponse(token) }
        if path.hasSuffix("/files/upload") { return try fixtureResponse("storage-cdn-upload") }
        if path.hasSuffix("/storage/upload/initiate") { return try fixtureResponse("storage-initiate") }
        return HTTPResponse(status: 200)
    }

    func temporaryFile(bytes: Int, name: String = "voice.wav") throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        let pattern = Data((0..<251).map { UInt8($0) })  // no part repeats another
        var content = Data(capacity: bytes)
        while content.count < bytes { content.append(pattern.prefix(bytes - content.count)) }
        try content.write(to: file)
        return file
    }

    @Test func aPublicURLIsUsedAsIs() async throws {
        let harness = Self.storageHarness()
        let url = try #require(URL(string: "https://cdn.example.com/song.mp3"))
        #expect(try await harness.client.fileURL(for: .url(url)) == url)
        #expect(try await harness.client.upload(.url(url)) == url)
        #expect(harness.requests.isEmpty)
    }

    @Test func smallDataBecomesADataURIWithoutAnyRequest() async throws {
        let harness = Self.storageHarness()
        let url = try await harness.client.fileURL(for: .data(Data("RIFF".utf8), fileName: "clip.wav"))
        #expect(url.absoluteString == "data:audio/wav;base64,UklGRg==")
        #expect(harness.requests.isEmpty)
    }

    @Test func aFileAtTheLimitIsInlinedAndOneByteMoreIsUploaded() async throws {
        let harness = Self.storageHarness()
        let small = try temporaryFile(bytes: 1 << 20)
        let large = try temporaryFile(bytes: (1 << 20) + 1)
        defer {
            try? FileManager.default.removeItem(at: small.deletingLastPathComponent())
            try? FileManager.default.removeItem(at: large.deletingLastPathComponent())
        }
        let inline = try await harness.client.fileURL(for: .file(small))
        #expect(inline.absoluteString.hasPrefix("data:audio/wav;base64,AAECAwQF"))
        #expect(harness.requests.isEmpty)
        let uploaded = try await harness.client.fileURL(for: .file(large))
        #expect(uploaded.absoluteString == Self.cdnFileURL)
        #expect(harness.requests.count == 2)
    }

    @Test func theThresholdCanBeOverriddenEitherWay() async throws {
        let harness = Self.storageHarness()
        let source = FileSource.data(Data("hello".utf8), fileName: "a.txt")
        #expect(try await harness.client.fileURL(for: source, dataURILimit: 0).absoluteString == Self.cdnFileURL)
        #expect(harness.requests.count == 2)
        let big = FileSource.data(Data(repeating: 1, count: 3 << 20), fileName: "b.bin")
        #expect(try await harness.client.fileURL(for: big, dataURILimit: .max).absoluteString.hasPrefix("data:"))
        #expect(harness.requests.count == 2)
    }

    // MARK: - The CDN (the default)

    @Test func anUploadGetsACDNTokenWithTheKeyThenPostsTheFileToTheCDNWithTheTokenOnly() async throws {
        let harness = Self.storageHarness()
        let file = try temporaryFile(bytes: 2 << 20)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let url = try await harness.client.upload(.file(file))
        #expect(url.absoluteString == Self.cdnFileURL)

        let token = harness.requests[0]
        #expect(token.method == .post)
        #expect(token.url.absoluteString == "https://rest.fal.ai/storage/auth/token?storage_type=fal-cdn-v3")
        #expect(token.headers["Authorization"] == "Key \(testKey)")
        #expect(token.jsonBody == [:])

        let upload = harness.requests[1]
        #expect(upload.method == .post)
        #expect(upload.url.absoluteString == "https://v3.fal.media/files/upload")
        #expect(upload.headers["Authorization"] == "Bearer \(Self.cdnToken)")
        #expect(upload.headers["Content-Type"] == "audio/wav")
        #expect(upload.headers["X-Fal-File-Name"] == "voice.wav")
        #expect(upload.headers["X-Fal-Object-Lifecycle"] == nil)
        // Streamed from the caller's file, not read into memory.
        #expect(upload.body == .file(file))
    }

    @Test func theTokenIsKeptAcrossUploadsAndCopiesOfTheClient() async throws {
        let harness = Self.storageHarness()
        let copy = harness.client
        _ = try await harness.client.upload(.data(Data("a".utf8), fileName: "a.txt"))
        _ = try await copy.upload(.data(Data("b".utf8), fileName: "b.txt"))
        #expect(harness.requests.map(\.url.path) == ["/storage/auth/token", "/files/upload", "/files/upload"])
    }

    @Test func anExpiredTokenIsFetchedAgainAndItsBaseURLsSlashIsDropped() async throws {
        let harness = Self.storageHarness(token: "storage-cdn-token-expired")
        _ = try await harness.client.upload(.data(Data("a".utf8), fileName: "a.txt"))
        _ = try await harness.client.upload(.data(Data("b".utf8), fileName: "b.txt"))
        #expect(harness.requests.filter { $0.url.path == "/storage/auth/token" }.count == 2)
        #expect(harness.requests[1].url.absoluteString == "https://v3.fal.media/files/upload")
        #expect(harness.requests[1].headers["Authorization"] == "Bearer ZXhwaXJlZC10b2tlbg")
    }

    @Test func concurrentFirstUploadsShareOneTokenFetch() async throws {
        let harness = Self.storageHarness()
        try await withThrowingTaskGroup(of: URL.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await harness.client.upload(.data(Data("\(index)".utf8), fileName: "\(index).txt"))
                }
            }
            for try await url in group { #expect(url.absoluteString == Self.cdnFileURL) }
        }
        #expect(harness.requests.filter { $0.url.path == "/storage/auth/token" }.count == 1)
        #expect(harness.requests.filter { $0.url.path == "/files/upload" }.count == 8)
    }

    /// Each way the CDN can fail; the upload then goes to GCS, and the signed URL gets no credential.
    enum CDNFailure: String, CaseIterable, Sendable {
        case tokenRefused, tokenWithForeignPlainHTTPBase, tokenTypeWithASpace, uploadRefused, uploadUnreadable
    }

    @Test(arguments: CDNFailure.allCases)
    func whenTheCDNFailsTheUploadFallsBackToGCS(failure: CDNFailure) async throws {
        let harness = FalHarness { request in
            let path = request.url.path
            switch (failure, path) {
            case (.tokenRefused, "/storage/auth/token"):
                return HTTPResponse(status: 403, body: Data(#"{"detail": "Forbidden"}"#.utf8))
            case (.tokenWithForeignPlainHTTPBase, "/storage/auth/token"):
                return HTTPResponse(
                    status: 200,
                    body: Data(
                        #"{"token": "t", "token_type": "Bearer", "base_url": "http://cdn.example.com", "expires_at": "2099-01-01T00:00:00Z"}"#
                            .utf8))
            case (.tokenTypeWithASpace, "/storage/auth/token"):
                return HTTPResponse(
                    status: 200,
                    body: Data(
                        #"{"token": "t", "token_type": "Bearer x", "base_url": "https://v3.fal.media", "expires_at": "2099-01-01T00:00:00Z"}"#
                            .utf8))
            case (.uploadRefused, "/files/upload"):
                return HTTPResponse(status: 401, body: Data(#"{"detail": "Unauthorized"}"#.utf8))
            case (.uploadUnreadable, "/files/upload"):
                return HTTPResponse(status: 200, body: Data(#"{"access_url": "ftp://v3.fal.media/x"}"#.utf8))
            default:
                return try Self.storageAnswer(request)
            }
        }
        let url = try await harness.client.upload(.data(Data("RIFF".utf8), fileName: "voice.wav"))
        #expect(url.absoluteString == Self.fileURL)
        let put = try #require(harness.requests.last)
        #expect(put.method == .put)
        #expect(put.url.absoluteString == Self.uploadURL)
        #expect(put.headers["Authorization"] == nil)
        // The token never went anywhere but its CDN.
        #expect(!harness.requests.contains { $0.url.host == "cdn.example.com" })
    }

    @Test func anUnreadableTokenAnswerIsADecodingErrorThatDoesNotShowTheToken() async {
        let token = "cdn-token-that-must-not-leak-42"
        let harness = FalHarness { _ in
            HTTPResponse(
                status: 200,
                body: Data(
                    #"{"token": "\#(token)", "token_type": "Bearer", "base_url": "ftp://v3.fal.media", "expires_at": "2099-01-01T00:00:00Z"}"#
                        .utf8))
        }
        let error = await mediaError {
            try await harness.client.upload(
                .data(Data("a".utf8), fileName: "a.txt"), options: FalUploadOptions(repositories: [.cdn]))
        }
        #expect(error?.kind.case == .decoding)
        #expect(error?.message.contains("base_url") == true)
        for text in [String(describing: error), String(reflecting: error), error?.message ?? ""] {
            #expect(!text.contains(token))
        }
        #expect(harness.requests.count == 1)
    }

    @Test func aTokenTheCDNRefusedIsNotUsedAgain() async throws {
        let refusals = Locked(0)
        let harness = FalHarness { request in
            if request.url.path == "/files/upload",
                refusals.withLock({ count in
                    count += 1
                    return count == 1
                })
            {
                return HTTPResponse(status: 401, body: Data(#"{"detail": "expired"}"#.utf8))
            }
            return try Self.storageAnswer(request)
        }
        _ = try await harness.client.upload(.data(Data("a".utf8), fileName: "a.txt"))
        let url = try await harness.client.upload(.data(Data("b".utf8), fileName: "b.txt"))
        #expect(url.absoluteString == Self.cdnFileURL)
        #expect(harness.requests.filter { $0.url.path == "/storage/auth/token" }.count == 2)
    }

    @Test func whenEveryRepositoryFailsTheLastErrorIsThrown() async {
        let harness = FalHarness { _ in HTTPResponse(status: 404, body: Data(#"{"detail": "Not Found"}"#.utf8)) }
        let error = await mediaError { try await harness.client.upload(.data(Data("a".utf8), fileName: "a.txt")) }
        #expect(error?.kind.case == .notFound)
        #expect(harness.requests.last?.url.path == "/storage/upload/initiate")
    }

    @Test func aLifecycleIsSentToTheCDNAndToGCSInBothHeaders() async throws {
        let harness = Self.storageHarness()
        let lifecycle = #"{"expiration_duration_seconds":3600}"#
        _ = try await harness.client.upload(
            .data(Data("a".utf8), fileName: "a.txt"), options: FalUploadOptions(expiresAfter: .seconds(3600)))
        _ = try await harness.client.upload(
            .data(Data("a".utf8), fileName: "a.txt"),
            options: FalUploadOptions(repositories: [.gcs], expiresAfter: .seconds(3600)))
        for request in [harness.requests[1], harness.requests[2]] {
            #expect(request.headers["X-Fal-Object-Lifecycle"] == lifecycle)
            #expect(request.headers["X-Fal-Object-Lifecycle-Preference"] == lifecycle)
        }
        #expect(harness.requests[2].url.path == "/storage/upload/initiate")
    }

    @Test func aNameAHeaderCannotCarryIsPercentEncoded() async throws {
        let harness = Self.storageHarness()
        _ = try await harness.client.upload(.data(Data("a".utf8), fileName: "café.wav"))
        #expect(harness.requests[1].headers["X-Fal-File-Name"] == "caf%C3%A9.wav")
    }

    static let badOptions: [(FalUploadOptions, String)] = [
        (FalUploadOptions(repositories: []), "repositories"),
        (FalUploadOptions(partSize: (1 << 20) - 1), "partSize"),
        (FalUploadOptions(partSize: (512 << 20) + 1), "partSize"),
        (FalUploadOptions(concurrentParts: 0), "concurrentParts"),
        (FalUploadOptions(concurrentParts: 17), "concurrentParts"),
        (FalUploadOptions(multipartThreshold: -1), "multipartThreshold"),
        (FalUploadOptions(expiresAfter: .zero), "expiresAfter"),
        (FalUploadOptions(expiresAfter: .milliseconds(1500)), "expiresAfter"),
        (FalUploadOptions(expiresAfter: .seconds(-60)), "expiresAfter"),
    ]

    @Test(arguments: badOptions)
    func badOptionsAreRefusedBeforeAnythingIsSent(options: FalUploadOptions, field: String) async {
        let harness = Self.storageHarness()
        let error = await mediaError {
            try await harness.client.upload(.data(Data("a".utf8), fileName: "a.txt"), options: options)
        }
        #expect(error?.kind.field == field)
        #expect(harness.requests.isEmpty)
    }

    // MARK: - Multipart

    /// Parts of 1 MiB above 2 MiB: a 2.5 MiB file goes in three.
    static let smallParts = FalUploadOptions(repositories: [.cdn], multipartThreshold: 2 << 20, partSize: 1 << 20)
    static let partBase = "https://v3.fal.media/files/panda/Qm4tR7_take.mov/multipart/2~Zk9aU1dtYnE0cXJ4"

    static func multipartHarness(
        opened: String = "storage-cdn-multipart",
        part: @escaping @Sendable (HTTPRequest) -> HTTPResponse? = { _ in nil }
    ) -> FalHarness {
        FalHarness { request in
            let path = request.url.path
            if path.hasSuffix("/files/upload/multipart") { return try fixtureResponse(opened) }
            if request.method == .put, let number = Int(request.url.lastPathComponent) {
                return part(request) ?? HTTPResponse(status: 200, headers: ["ETag": "\"etag-\(number)\""])
            }
            if path.hasSuffix("/complete") {
                return HTTPResponse(status: 200, body: try fixture("storage-cdn-multipart"))
            }
            return try storageAnswer(request)
        }
    }

    @Test func aLargeFileGoesInPartsCopiedFromDiskAndIsCompletedWithTheirETags() async throws {
        // What each part's body held when it was sent: a temporary copy, deleted once answered.
        let sent = Locked<[String: (URL, Data)]>([:])
        let harness = Self.multipartHarness { request in
            if case .file(let copy) = request.body, let bytes = try? Data(contentsOf: copy) {
                sent.withLock { $0[request.url.lastPathComponent] = (copy, bytes) }
            }
            return nil
        }
        let size = (5 << 20) / 2
        let file = try temporaryFile(bytes: size, name: "take.mov")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let reports = Locked<[TransferProgress]>([])
        let url = try await harness.client.upload(.file(file), options: Self.smallParts) { progress in
            reports.withLock { $0.append(progress) }
        }
        #expect(url.absoluteString == "https://v3.fal.media/files/panda/Qm4tR7_take.mov")

        let open = harness.requests[1]
        #expect(open.url.absoluteString == "https://v3.fal.media/files/upload/multipart")
        #expect(open.headers["Authorization"] == "Bearer \(Self.cdnToken)")
        #expect(open.headers["Content-Type"] == "video/quicktime")
        #expect(open.headers["X-Fal-File-Name"] == "take.mov")
        #expect(open.body == nil)

        let content = try Data(contentsOf: file)
        let parts = harness.requests.filter { $0.method == .put }.sorted { $0.url.path < $1.url.path }
        #expect(parts.map(\.url.absoluteString) == (1...3).map { "\(Self.partBase)/\($0)" })
        for (index, part) in parts.enumerated() {
            let start = index << 20
            let (copy, bytes) = try #require(sent.current["\(index + 1)"])
            #expect(bytes == content.subdata(in: start..<min(start + (1 << 20), size)))
            #expect(!FileManager.default.fileExists(atPath: copy.path))
            #expect(part.headers["Authorization"] == "Bearer \(Self.cdnToken)")
            #expect(part.headers["Accept-Encoding"] == "identity")
            #expect(part.headers["Content-Type"] == "video/quicktime")
        }

        let complete = try #require(harness.requests.last)
        #expect(complete.url.absoluteString == "\(Self.partBase)/complete")
        #expect(complete.headers["Authorization"] == "Bearer \(Self.cdnToken)")
        #expect(
            complete.jsonBody
                == [
                    "parts": .array(
                        (1...3).map { ["partNumber": .number(Decimal($0)), "etag": .string("\"etag-\($0)\"")] })
                ])
        #expect(reports.current.last == TransferProgress(bytesTransferred: Int64(size), totalBytes: Int64(size)))
    }

    @Test func aFailedPartIsSentAgainAloneAndTheUploadCompletes() async throws {
        let failures = Locked(0)
        let harness = Self.multipartHarness { request in
            guard request.url.lastPathComponent == "2" else { return nil }
            return failures.withLock { count in
                count += 1
                return count == 1 ? HTTPResponse(status: 503) : nil
            }
        }
        _ = try await harness.client.upload(
            .data(Data(repeating: 7, count: 3 << 20), fileName: "take.mov"), options: Self.smallParts)
        let puts = harness.requests.filter { $0.method == .put }.map(\.url.lastPathComponent).sorted()
        #expect(puts == ["1", "2", "2", "3"])
        #expect(harness.requests.filter { $0.url.path.hasSuffix("/files/upload/multipart") }.count == 1)
        #expect(harness.requests.filter { $0.url.path.hasSuffix("/complete") }.count == 1)
    }

    @Test func aPartAnsweredWithoutAnETagFailsTheUpload() async {
        let harness = Self.multipartHarness { _ in HTTPResponse(status: 200) }
        let error = await mediaError {
            try await harness.client.upload(
                .data(Data(repeating: 7, count: 3 << 20), fileName: "take.mov"), options: Self.smallParts)
        }
        #expect(error?.kind.case == .decoding)
        #expect(error?.message.contains("ETag") == true)
        #expect(!harness.requests.contains { $0.url.path.hasSuffix("/complete") })
    }

    @Test func anAccessURLOffTheCDNGetsNoPartAndNoToken() async throws {
        let harness = FalHarness { request in
            if request.url.path.hasSuffix("/files/upload/multipart") {
                return HTTPResponse(
                    status: 200, body: Data(#"{"access_url": "https://collector.example/x", "uploadId": "u1"}"#.utf8))
            }
            return try Self.storageAnswer(request)
        }
        let error = await mediaError {
            try await harness.client.upload(
                .data(Data(repeating: 7, count: 3 << 20), fileName: "take.mov"), options: Self.smallParts)
        }
        #expect(error?.kind.case == .decoding)
        #expect(!harness.requests.contains { $0.url.host == "collector.example" })
    }

    @Test func anUploadIDIsCarriedAsOneEncodedSegment() async throws {
        let harness = FalHarness { request in
            let path = request.url.path
            if path.hasSuffix("/files/upload/multipart") {
                return HTTPResponse(
                    status: 200,
                    body: Data(#"{"access_url": "https://v3.fal.media/files/a/b.mov", "uploadId": "x/../y?z"}"#.utf8))
            }
            if request.method == .put { return HTTPResponse(status: 200, headers: ["ETag": "\"e\""]) }
            if path.hasSuffix("/complete") { return HTTPResponse(status: 200) }
            return try Self.storageAnswer(request)
        }
        _ = try await harness.client.upload(
            .data(Data(repeating: 7, count: 3 << 20), fileName: "take.mov"), options: Self.smallParts)
        let put = try #require(harness.requests.first { $0.method == .put })
        #expect(put.url.absoluteString.hasPrefix("https://v3.fal.media/files/a/b.mov/multipart/x%2F..%2Fy%3Fz/"))
    }

    @Test func aMultipartFailureFallsBackToGCSWhenAllowed() async throws {
        let harness = Self.multipartHarness(opened: "storage-initiate")  // not an open answer
        var options = Self.smallParts
        options.repositories = [.cdn, .gcs]
        let url = try await harness.client.upload(
            .data(Data(repeating: 7, count: 3 << 20), fileName: "take.mov"), options: options)
        #expect(url.absoluteString == Self.fileURL)
    }

    // MARK: - GCS

    @Test func aGCSUploadInitiatesThenStreamsTheFileToTheSignedURLWithNoCredential() async throws {
        let harness = Self.storageHarness()
        let file = try temporaryFile(bytes: 2 << 20)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let url = try await harness.client.upload(.file(file), options: Self.gcsOnly)
        #expect(url.absoluteString == Self.fileURL)

        let initiate = harness.requests[0]
        #expect(initiate.method == .post)
        #expect(initiate.url.absoluteString == "https://rest.fal.ai/storage/upload/initiate?storage_type=gcs")
        #expect(initiate.headers["Authorization"] == "Key \(testKey)")
        #expect(initiate.jsonBody == ["file_name": "voice.wav", "content_type": "audio/wav"])

        let put = harness.requests[1]
        #expect(put.method == .put)
        // The signed URL exactly as fal gave it: its own encoding untouched.
        #expect(put.url.absoluteString == Self.uploadURL)
        #expect(put.headers["Authorization"] == nil)
        #expect(put.headers["Content-Type"] == "audio/wav")
        // Streamed from the caller's file, not read into memory.
        #expect(put.body == .file(file))
    }

    @Test func inMemoryBytesAreUploadedAsTheBody() async throws {
        let harness = Self.storageHarness()
        _ = try await harness.client.upload(.data(Data("{}".utf8), fileName: "input.json"), options: Self.gcsOnly)
        #expect(harness.requests[0].jsonBody == ["file_name": "input.json", "content_type": "application/json"])
        #expect(harness.requests[1].body == .data(Data("{}".utf8)))
        #expect(harness.requests[1].headers["Content-Type"] == "application/json")
    }

    @Test func aFailedPutIsRetriedAndNeverCarriesTheKey() async throws {
        let puts = Locked(0)
        let harness = FalHarness { request in
            if request.method == .post { return try fixtureResponse("storage-initiate") }
            let attempt = puts.withLock { count in
                count += 1
                return count
            }
            return attempt == 1 ? HTTPResponse(status: 503) : HTTPResponse(status: 200)
        }
        _ = try await harness.client.upload(.data(Data("abc".utf8), fileName: "a.txt"), options: Self.gcsOnly)
        #expect(puts.current == 2)
        #expect(harness.requests.dropFirst().allSatisfy { $0.headers["Authorization"] == nil })
    }

    @Test func aMissingFileIsAnInputError() async {
        let harness = Self.storageHarness()
        let error = await mediaError {
            try await harness.client.fileURL(for: .file(URL(fileURLWithPath: "/nonexistent/\(UUID().uuidString).wav")))
        }
        #expect(error?.kind.field == "file")
        #expect(harness.requests.isEmpty)
    }
}

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

    /// Answers the initiate with the storage fixture and the PUT with an empty 200.
    static func storageHarness() -> FalHarness {
        FalHarness { request in
            request.method == .post ? try fixtureResponse("storage-initiate") : HTTPResponse(status: 200)
        }
    }

    func temporaryFile(bytes: Int, name: String = "voice.wav") throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try Data(repeating: 0x61, count: bytes).write(to: file)
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
        #expect(inline.absoluteString.hasPrefix("data:audio/wav;base64,YWFh"))
        #expect(harness.requests.isEmpty)
        let uploaded = try await harness.client.fileURL(for: .file(large))
        #expect(uploaded.absoluteString == Self.fileURL)
        #expect(harness.requests.count == 2)
    }

    @Test func theThresholdCanBeOverriddenEitherWay() async throws {
        let harness = Self.storageHarness()
        let source = FileSource.data(Data("hello".utf8), fileName: "a.txt")
        #expect(try await harness.client.fileURL(for: source, dataURILimit: 0).absoluteString == Self.fileURL)
        #expect(harness.requests.count == 2)
        let big = FileSource.data(Data(repeating: 1, count: 3 << 20), fileName: "b.bin")
        #expect(try await harness.client.fileURL(for: big, dataURILimit: .max).absoluteString.hasPrefix("data:"))
        #expect(harness.requests.count == 2)
    }

    @Test func anUploadInitiatesThenStreamsTheFileToTheSignedURLWithNoCredential() async throws {
        let harness = Self.storageHarness()
        let file = try temporaryFile(bytes: 2 << 20)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let url = try await harness.client.upload(.file(file))
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
        _ = try await harness.client.upload(.data(Data("{}".utf8), fileName: "input.json"))
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
        _ = try await harness.client.upload(.data(Data("abc".utf8), fileName: "a.txt"))
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

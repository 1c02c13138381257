import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

@Suite("BeatAPI file uploads")
struct BeatAPIFileTests {
    @Test func anUploadIsMultipartWithFileAndPurposeStreamedFromDisk() async throws {
        let file = try Sample.temporaryFile(named: "cover.png", bytes: 70_000)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let harness = BeatAPIHarness(fixtures: [("file", 201)])

        let uploaded = try await harness.client.upload(.file(file))

        #expect(uploaded.id == "file_Q7wLk2")
        #expect(uploaded.url.absoluteString == "https://files.beatapi.io/inputs/file_Q7wLk2.png")
        let request = try #require(harness.requests.first)
        #expect(request.route == "POST /v1/files")
        // BeatAPI documents no Idempotency-Key for uploads: none is sent.
        #expect(request.headers["Idempotency-Key"] == nil)
        #expect(request.headers["Authorization"] == "Bearer \(testKey)")
        // Streamed: the transport was handed a file, not bytes in memory.
        guard case .file = request.request.body else {
            Issue.record("the upload body should be a file streamed from disk")
            return
        }
        let contentType = try #require(request.headers["Content-Type"])
        #expect(contentType.hasPrefix("multipart/form-data; boundary="))
        let boundary = String(contentType.dropFirst("multipart/form-data; boundary=".count))
        let body = try #require(request.body)
        let expected =
            Data(
                ("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cover.png\"\r\n"
                    + "Content-Type: image/png\r\n\r\n").utf8) + (try Data(contentsOf: file))
            + Data(
                "\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\ninput\r\n--\(boundary)--\r\n"
                    .utf8)
        #expect(body == expected)
    }

    @Test func bytesInMemoryUploadToo() async throws {
        let harness = BeatAPIHarness(fixtures: [("file-audio", 201)])
        let file = try await harness.client.upload(.data(Data("RIFF....WAVE".utf8), fileName: "take.wav"))
        #expect(file.audioDurationSeconds == 10)
        let body = try #require(harness.requests.first?.body)
        #expect(String(decoding: body, as: UTF8.self).contains("filename=\"take.wav\"\r\nContent-Type: audio/wav"))
    }

    @Test(arguments: [
        FileSource.url(URL(string: "https://cdn.example.com/a.png")!),
        FileSource.file(URL(fileURLWithPath: "/no/such/file.png")),
        FileSource.data(Data(), fileName: "empty.png"),
    ])
    func anUploadThatCannotBeMadeIsRefusedBeforeSending(source: FileSource) async {
        let harness = BeatAPIHarness(fixtures: [("file", 201)])
        let error = await mediaError { try await harness.client.upload(source) }
        #expect(error?.kind.field == "file")
        #expect(harness.requests.isEmpty)
    }

    @Test func localInputsAreUploadedFirstAndTheirURLsSent() async throws {
        let cover = try Sample.temporaryFile(named: "cover.png")
        defer { try? FileManager.default.removeItem(at: cover.deletingLastPathComponent()) }
        let harness = BeatAPIHarness(fixtures: [("file", 201), ("file-audio", 201), ("task-queued", 201)])
        let input = MusicVideoInput(
            images: [.url(Sample.image), .file(cover)],
            audio: .data(Data("RIFF....WAVE".utf8), fileName: "song.wav"),
            prompt: Sample.prompt,
            language: .english)

        _ = try await harness.client.createTask(input, idempotencyKey: "mv-42")

        #expect(harness.routes == ["POST /v1/files", "POST /v1/files", "POST /v1/music-video/tasks"])
        // Only the create BeatAPI de-duplicates carries the key; the uploads carry none.
        #expect(harness.requests.map { $0.headers["Idempotency-Key"] } == [nil, nil, "mv-42"])
        #expect(
            harness.requests.last?.json == [
                "images": [
                    "https://cdn.example.com/singer-reference.png", "https://files.beatapi.io/inputs/file_Q7wLk2.png",
                ],
                "audio_url": "https://files.beatapi.io/inputs/file_Au9dX1.wav",
                "prompt": .string(Sample.prompt),
                "language": "en",
            ])
    }

    @Test func aFailedUploadStopsTheCreate() async throws {
        let harness = BeatAPIHarness(fixtures: [("error-400", 400)])
        let input = MusicVideoInput(
            images: [.data(Data([1, 2, 3]), fileName: "a.png")], audio: .url(Sample.audio), prompt: "x",
            language: .english)
        let error = await mediaError { try await harness.client.createTask(input) }
        #expect(error?.httpStatus == 400)
        #expect(harness.routes == ["POST /v1/files"])
    }
}

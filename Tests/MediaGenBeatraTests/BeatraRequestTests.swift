import Foundation
import MediaGenBeatra
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

@Suite("Beatra requests")
struct BeatraRequestTests {
    @Test func textToMusicSendsTheSeedsRequestExactly() async throws {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        let task = try await harness.client.createTask(seedRequest)

        #expect(task.id == "task_01JBEATRA0000000000000001")
        #expect(task.status == .queued(position: nil))
        #expect(task.model == "suno-5.5")
        #expect(task.requestID == "req_create-accepted")
        let request = try #require(harness.requests.first)
        #expect(request.method == .post)
        #expect(request.url.absoluteString == "https://api.beatra.ai/v1/music/text-to-music")
        #expect(request.headers["Authorization"] == "Bearer \(testKey)")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.headers["Accept"] == "application/json")
        #expect(request.headers["User-Agent"] == "MediaGenKit/\(MediaGenKitVersion.current) (beatra)")
        #expect(request.headers["Idempotency-Key"]?.isUUID == true)
        #expect(request.headers.fields.count == 5)
        // Seed 003's body, field for field.
        #expect(harness.json(0) == seedBody)
    }

    @Test func referenceAudioByArtifactSendsTheSeedsSecondBody() async throws {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        let request = BeatraMusicRequest(model: .suno55, prompt: "turn this into polished synth pop")
        _ = try await harness.client.createTask(request, referenceAudio: .artifact(id: "artifact_01J"))

        let sent = try #require(harness.requests.first)
        #expect(sent.method == .post)
        #expect(sent.url.absoluteString == "https://api.beatra.ai/v1/music/reference-audio-to-music")
        #expect(sent.headers["Idempotency-Key"]?.isUUID == true)
        #expect(
            harness.json(0) == [
                "model": "suno-5.5",
                "prompt": "turn this into polished synth pop",
                "reference_audio": ["type": "artifact", "artifact_id": "artifact_01J"],
            ]
        )
    }

    static let external = URL(string: "https://cdn.example.com/reference.mp3")

    @Test(arguments: [
        // The documented form is a bare HTTPS URL; the object form is the one the emulator's README shows.
        (ReferenceAudio.url(external!), JSONValue.string("https://cdn.example.com/reference.mp3")),
        (.url(external!, form: .string), "https://cdn.example.com/reference.mp3"),
        (.url(external!, form: .object), ["type": "url", "url": "https://cdn.example.com/reference.mp3"] as JSONValue),
        (.file(.url(external!)), "https://cdn.example.com/reference.mp3"),
    ])
    func anExternalURLIsSentInTheChosenForm(reference: ReferenceAudio, expected: JSONValue) async throws {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        _ = try await harness.client.createTask(
            BeatraMusicRequest(model: .minimaxMusic26, prompt: "lo-fi"), referenceAudio: reference)
        #expect(harness.routes == ["POST /v1/music/reference-audio-to-music"])
        #expect(harness.json(0) == ["model": "minimax-music-2.6", "prompt": "lo-fi", "reference_audio": expected])
    }

    @Test(arguments: [
        (ReferenceAudio.url(URL(string: "http://cdn.example.com/a.mp3")!), "reference_audio"),
        (.url(URL(fileURLWithPath: "/tmp/a.mp3")), "reference_audio"),
        (.file(.url(URL(string: "ftp://example.com/a.mp3")!)), "reference_audio"),
        (.artifact(id: " "), "reference_audio.artifact_id"),
        (.file(.data(Data("x".utf8), fileName: "notes.txt")), "file"),
        (.file(.file(URL(fileURLWithPath: "/nonexistent/reference.mp3"))), "file"),
    ])
    func aBadReferenceIsRefusedBeforeSending(reference: ReferenceAudio, field: String) async {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        let error = await mediaError {
            try await harness.client.createTask(
                BeatraMusicRequest(model: .suno55, prompt: "x"), referenceAudio: reference)
        }
        guard case .invalidRequest = error?.kind else {
            Issue.record("expected an invalid request, got \(String(describing: error))")
            return
        }
        #expect(error?.kind.field == field)
        #expect(harness.requests.isEmpty)
    }

    @Test func aLocalReferenceIsUploadedFirstThenSentByArtifact() async throws {
        let harness = BeatraHarness(fixtures: [("upload-artifact", 201), ("create-accepted", 202)])
        let audio = Data([0xFF, 0xFB, 0x90, 0x44, 0x00])
        let request = BeatraMusicRequest(model: .suno55, prompt: "turn this into polished synth pop")
        _ = try await harness.client.createTask(
            request, referenceAudio: .file(.data(audio, fileName: "reference.mp3")))

        #expect(harness.routes == ["POST /v1/uploads", "POST /v1/music/reference-audio-to-music"])
        let upload = harness.requests[0]
        let boundary = try #require(upload.headers["Content-Type"]?.split(separator: "=").last.map(String.init))
        #expect(upload.headers["Content-Type"] == "multipart/form-data; boundary=\(boundary)")
        #expect(upload.headers["Authorization"] == "Bearer \(testKey)")
        #expect(upload.headers["Idempotency-Key"]?.isUUID == true)
        var expected = Data(
            ("--\(boundary)\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nreference_audio\r\n"
                + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"reference.mp3\"\r\n"
                + "Content-Type: audio/mpeg\r\n\r\n").utf8)
        expected.append(audio)
        expected.append(Data("\r\n--\(boundary)--\r\n".utf8))
        #expect(harness.sentBodies[0] == expected)
        // Two creates, two keys: the upload's and the task's.
        #expect(harness.requests[1].headers["Idempotency-Key"] != upload.headers["Idempotency-Key"])
        #expect(
            harness.json(1) == [
                "model": "suno-5.5",
                "prompt": "turn this into polished synth pop",
                "reference_audio": ["type": "artifact", "artifact_id": "artifact_01JREFERENCE"],
            ]
        )
    }

    @Test func anUploadStreamsTheFileFromDisk() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("beatra-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("take 1.wav")
        let audio = Data((0..<200_000).map { UInt8($0 % 251) })
        try audio.write(to: file)

        let harness = BeatraHarness(fixtures: [("upload-artifact", 201)])
        let artifact = try await harness.client.upload(.file(file))

        #expect(artifact.id == "artifact_01JREFERENCE")
        #expect(artifact.byteCount == 4096)
        #expect(artifact.referenceAudio == .artifact(id: "artifact_01JREFERENCE"))
        let upload = try #require(harness.requests.first)
        #expect("\(upload.method) \(upload.url.absoluteString)" == "POST https://api.beatra.ai/v1/uploads")
        // The body is a file on disk, handed to the transport to stream: never the whole upload in memory.
        guard case .file = upload.body else {
            Issue.record("the multipart body should be streamed from a file, got \(String(describing: upload.body))")
            return
        }
        let body = try #require(harness.sentBodies.first ?? nil)
        let head = Data(
            "Content-Disposition: form-data; name=\"file\"; filename=\"take 1.wav\"\r\nContent-Type: audio/wav\r\n\r\n"
                .utf8)
        let start = try #require(body.range(of: head)).upperBound
        #expect(body[start..<(start + audio.count)] == audio)
    }

    @Test func anUploadTakesTheContentTypeYouGive() async throws {
        let harness = BeatraHarness(fixtures: [("upload-artifact-id", 201)])
        let artifact = try await harness.client.upload(
            .data(Data([1, 2, 3]), fileName: "clip.bin", contentType: "audio/mpeg"), idempotencyKey: "upload-1")
        #expect(artifact.id == "artifact_01JREFERENCE")
        #expect(artifact.fileName == nil)
        #expect(harness.requests.first?.headers["Idempotency-Key"] == "upload-1")
        let body = String(decoding: try #require(harness.sentBodies.first ?? nil), as: UTF8.self)
        #expect(body.contains("filename=\"clip.bin\"\r\nContent-Type: audio/mpeg\r\n"))
    }

    @Test func aRemoteSourceIsNotUploaded() async {
        let harness = BeatraHarness(fixtures: [])
        let error = await mediaError {
            try await harness.client.upload(.url(URL(string: "https://cdn.example.com/a.mp3")!))
        }
        #expect(error?.kind.field == "file")
        #expect(harness.requests.isEmpty)
    }

    @Test func getCancelAndListUseTheirDocumentedRoutes() async throws {
        let harness = BeatraHarness(fixtures: [
            ("task-running", 200), ("task-canceled-top-level-refund", 200), ("tasks-page-1", 200),
        ])
        let running = try await harness.client.task(id: "task_01JBEATRA0000000000000001")
        let canceled = try await harness.client.cancelTask(id: "task_01JBEATRA0000000000000004")
        let page = try await harness.client.taskPage(limit: 2, after: "task_9")

        #expect(running.status == .running(progress: 0.5))
        #expect(running.requestID == "req_task-running")
        #expect(canceled.status == .canceled)
        #expect(page.data.map(\.id) == ["task_3", "task_2"])
        #expect(
            harness.routes == [
                "GET /v1/tasks/task_01JBEATRA0000000000000001",
                "POST /v1/tasks/task_01JBEATRA0000000000000004/cancel",
                "GET /v1/tasks?limit=2&after=task_9",
            ]
        )
        for request in harness.requests {
            #expect(request.headers["Authorization"] == "Bearer \(testKey)")
            #expect(request.headers["Idempotency-Key"] == nil)
            #expect(request.body == nil)
        }
    }

    @Test func aCancelAnswerThatIsNotATaskIsFollowedByALookUp() async throws {
        let answers = Locked([
            HTTPResponse.json(#"{"ok": true}"#), try fixtureResponse("task-canceled-top-level-refund"),
        ])
        let harness = BeatraHarness { _ in answers.withLock { $0.removeFirst() } }
        let task = try await harness.client.cancelTask(id: "task_01JBEATRA0000000000000004")
        #expect(task.status == .canceled)
        #expect(
            harness.routes == [
                "POST /v1/tasks/task_01JBEATRA0000000000000004/cancel", "GET /v1/tasks/task_01JBEATRA0000000000000004",
            ])
    }

    @Test func pagesFollowTheAfterCursorUntilHasMoreIsFalse() async throws {
        let harness = BeatraHarness(fixtures: [("tasks-page-1", 200), ("tasks-page-2", 200)])
        var pages: [[String]] = []
        for try await page in harness.client.taskPages(limit: 2) { pages.append(page.data.map(\.id)) }
        #expect(pages == [["task_3", "task_2"], ["task_1"]])
        #expect(harness.routes == ["GET /v1/tasks?limit=2", "GET /v1/tasks?limit=2&after=task_2"])
    }

    @Test func theTaskSequenceFlattensEveryPage() async throws {
        let harness = BeatraHarness(fixtures: [("tasks-page-1", 200), ("tasks-page-2", 200)])
        var ids: [String] = []
        for try await task in harness.client.tasks() { ids.append(task.id) }
        #expect(ids == ["task_3", "task_2", "task_1"])
        #expect(harness.routes == ["GET /v1/tasks", "GET /v1/tasks?after=task_2"])
    }

    @Test func anEmptyPageEndsTheListingEvenIfItSaysHasMore() async throws {
        let harness = BeatraHarness { _ in .json(#"{"object": "list", "data": [], "has_more": true}"#) }
        var count = 0
        for try await _ in harness.client.taskPages() { count += 1 }
        #expect(count == 1)
        #expect(harness.requests.count == 1)
    }

    @Test(arguments: [0, -3])
    func aLimitBelowOneIsRefusedBeforeSending(limit: Int) async {
        let harness = BeatraHarness(fixtures: [])
        let error = await mediaError { try await harness.client.taskPage(limit: limit) }
        #expect(error?.kind.field == "limit")
        #expect(harness.requests.isEmpty)
    }

    @Test func anEmptyTaskIDIsRefusedBeforeSending() async {
        let harness = BeatraHarness(fixtures: [])
        let error = await mediaError { try await harness.client.task(id: "") }
        #expect(error?.kind.field == "task_id")
        #expect(harness.requests.isEmpty)
    }

    // MARK: - Base URL and key

    static let baseURLCases: [(explicit: String?, configured: String?, variable: String?, expected: String)] = [
        (nil, nil, nil, "https://api.beatra.ai/v1/tasks/t1"),
        (nil, nil, "http://127.0.0.1:8089/beatra/v1", "http://127.0.0.1:8089/beatra/v1/tasks/t1"),
        (nil, "https://proxy.test/v1/", "http://127.0.0.1:8089/beatra/v1", "https://proxy.test/v1/tasks/t1"),
        (
            "https://explicit.test/v1", "https://proxy.test/v1", "http://127.0.0.1:8089/beatra/v1",
            "https://explicit.test/v1/tasks/t1"
        ),
        (nil, nil, "", "https://api.beatra.ai/v1/tasks/t1"),
    ]

    @Test(arguments: baseURLCases)
    func theBaseURLIsExplicitThenConfiguredThenTheVariableThenTheDefault(
        explicit: String?, configured: String?, variable: String?, expected: String
    ) async throws {
        let stub = StubTransport { _ in try fixtureResponse("task-running") }
        let client = BeatraClient(
            apiKey: testKey,
            baseURL: explicit.flatMap(URL.init(string:)),
            configuration: ClientConfiguration(baseURL: configured.flatMap(URL.init(string:)), transport: stub),
            environment: variable.map { ["BEATRA_BASE_URL": $0] } ?? [:]
        )
        _ = try await client.task(id: "t1")
        #expect(stub.requests.first?.url.absoluteString == expected)
    }

    @Test func anUnreadableBaseURLVariableFailsEveryCallNamingIt() async {
        let stub = StubTransport { _ in try fixtureResponse("task-running") }
        let client = BeatraClient(
            apiKey: testKey, configuration: ClientConfiguration(transport: stub),
            environment: ["BEATRA_BASE_URL": "api.beatra.ai/v1"])
        let error = await mediaError { try await client.task(id: "t1") }
        #expect(error?.kind.field == "BEATRA_BASE_URL")
        #expect(stub.requests.isEmpty)
    }

    @Test func theKeyComesFromTheEnvironmentUnlessGiven() async throws {
        let stub = StubTransport { _ in try fixtureResponse("task-running") }
        let fromEnvironment = BeatraClient(
            configuration: ClientConfiguration(transport: stub), environment: ["BEATRA_API_KEY": "bk-env"])
        let explicit = BeatraClient(
            apiKey: "bk-explicit", configuration: ClientConfiguration(transport: stub),
            environment: ["BEATRA_API_KEY": "bk-env"])
        _ = try await fromEnvironment.task(id: "t1")
        _ = try await explicit.task(id: "t1")
        #expect(stub.requests.map { $0.headers["Authorization"] } == ["Bearer bk-env", "Bearer bk-explicit"])
    }

    @Test func withoutAKeyNothingIsSent() async {
        let stub = StubTransport { _ in try fixtureResponse("create-accepted") }
        let client = BeatraClient(configuration: ClientConfiguration(transport: stub), environment: [:])
        let error = await mediaError { try await client.createTask(seedRequest) }
        #expect(error?.kind == .authentication)
        #expect(error?.description.contains("BEATRA_API_KEY") == true)
        #expect(stub.requests.isEmpty)
    }
}

import Foundation
import MediaGenCore
import MediaGenTesting
import Testing

struct RecordingTransportTests {
    /// A Skytells-style API key.
    private static let apiKey = "sk-live-4f9a2c7e1b"
    /// A fal-style `id:secret` key; each part is a secret on its own too.
    private static let falKey = "fal-id-7d3e:fal-secret-9c2b"
    private static let falID = "fal-id-7d3e"
    private static let falSecret = "fal-secret-9c2b"
    private static let secrets = [apiKey, falKey]

    /// Sends `request` through a recorder around a stub answering `response`; returns the one interaction.
    private static func record(
        _ request: HTTPRequest,
        answer response: HTTPResponse = HTTPResponse(status: 204)
    ) async throws -> Cassette.Interaction {
        let recorder = RecordingTransport(wrapping: StubTransport { _ in response }, secrets: secrets)
        _ = try await recorder.send(request)
        return try #require(recorder.cassette.interactions.first)
    }

    /// A transport that reports its own upload progress, half then all of the body.
    private struct HalfwayTransport: HTTPTransport {
        func send(_ request: HTTPRequest) async throws -> HTTPResponse { HTTPResponse(status: 201) }
        func download(
            _ request: HTTPRequest, to file: URL, progress: (@Sendable (TransferProgress) -> Void)?
        ) async throws -> HTTPResponse { HTTPResponse(status: 200) }
        func upload(
            _ request: HTTPRequest, progress: (@Sendable (TransferProgress) -> Void)?
        ) async throws -> HTTPResponse {
            progress?(TransferProgress(bytesTransferred: 2, totalBytes: 4))
            progress?(TransferProgress(bytesTransferred: 4, totalBytes: 4))
            return HTTPResponse(status: 201)
        }
    }

    @Test func anUploadGoesThroughTheWrappedTransportWithItsProgressAndIsRecorded() async throws {
        let recorder = RecordingTransport(wrapping: HalfwayTransport(), secrets: Self.secrets)
        let reports = Locked<[Int64]>([])
        let request = makeRequest(.post, "https://api.example.test/v1/files")
        let response = try await recorder.upload(request) { progress in
            reports.withLock { $0.append(progress.bytesTransferred) }
        }
        #expect(response.status == 201)
        #expect(reports.current == [2, 4])
        #expect(recorder.cassette.interactions.first?.response.status == 201)
    }

    // MARK: Credentials

    @Test(arguments: [
        "Authorization", "authorization", "x-api-key", "X-API-Key", "Cookie", "Proxy-Authorization", "x-fal-key",
    ])
    func credentialHeadersAreDropped(name: String) async throws {
        let request = makeRequest(
            .get,
            "https://api.example.test/v1/models",
            headers: [name: "any credential", "Accept": "application/json"]
        )
        let answer = HTTPResponse(
            status: 200, headers: [name: "any credential", "Set-Cookie": "s=1", "X-Request-Id": "r1"])

        let interaction = try await Self.record(request, answer: answer)

        #expect(interaction.request.headers == ["Accept": "application/json"])
        #expect(interaction.response.headers == ["X-Request-Id": "r1"])
    }

    @Test func onlyCredentialHeadersLeaveNoHeadersAtAll() async throws {
        let request = makeRequest(.get, "https://api.example.test/v1/models", headers: ["x-api-key": Self.apiKey])

        let interaction = try await Self.record(request)

        #expect(interaction.request.headers == nil)
        #expect(interaction.response.headers == nil)
    }

    @Test func secretsInTheURLAreRedacted() async throws {
        let request = makeRequest(
            .get, "https://api.example.test/v1/keys/\(Self.apiKey)?token=\(Self.falSecret)&page=2")

        let interaction = try await Self.record(request)

        #expect(interaction.request.url == "https://api.example.test/v1/keys/<redacted>?token=<redacted>&page=2")
    }

    @Test func secretsInHeaderValuesAreRedacted() async throws {
        let request = makeRequest(
            .get, "https://api.example.test/v1/models", headers: ["X-Debug": "key=\(Self.apiKey);"])
        let answer = HTTPResponse(status: 200, headers: ["X-Echo": "Key \(Self.falKey)"])

        let interaction = try await Self.record(request, answer: answer)

        #expect(interaction.request.headers == ["X-Debug": "key=<redacted>;"])
        #expect(interaction.response.headers == ["X-Echo": "Key <redacted>"])
    }

    @Test func secretsInRequestJSONAreRedactedAtEveryDepth() async throws {
        let body: JSONValue = [
            "prompt": .string("use \(Self.apiKey) please"),
            "input": ["keys": [.string(Self.apiKey), "keep me", 3], "deep": ["deeper": .string("x\(Self.falID)y")]],
            .init(stringLiteral: Self.falSecret): true,
            "count": 3,
        ]
        let request = try makeRequest(.post, "https://api.example.test/v1/predictions", json: body)

        let interaction = try await Self.record(request)

        #expect(
            interaction.request.json == [
                "prompt": "use <redacted> please",
                "input": ["keys": ["<redacted>", "keep me", 3], "deep": ["deeper": "x<redacted>y"]],
                "<redacted>": true,
                "count": 3,
            ]
        )
        #expect(interaction.request.text == nil)
    }

    @Test func jsonKeysThatRedactToTheSameNameDoNotCrash() async throws {
        let body: JSONValue = .object([Self.apiKey: 1, Self.falSecret: 2, "<redacted>": 3, "kept": 4])
        let request = try makeRequest(.post, "https://api.example.test/v1/predictions", json: body)

        let interaction = try await Self.record(request)

        #expect(interaction.request.json?.objectValue?.keys.sorted() == ["<redacted>", "kept"])
        #expect(interaction.request.json?["<redacted>"] == 3, "the first colliding key in key order wins")
        #expect(interaction.request.json?["kept"] == 4)
    }

    @Test func secretsInARequestTextBodyAreRedacted() async throws {
        let request = makeRequest(
            .post,
            "https://api.example.test/oauth/token",
            body: .data(Data("grant=client&secret=\(Self.apiKey)".utf8))
        )

        let interaction = try await Self.record(request)

        #expect(interaction.request.text == "grant=client&secret=<redacted>")
        #expect(interaction.request.json == nil)
    }

    @Test func secretsInResponseJSONAndTextAreRedacted() async throws {
        let json = try await Self.record(
            makeRequest(.get, "https://api.example.test/v1/me"),
            answer: .json(#"{"key": "\#(Self.apiKey)", "owner": {"ids": ["\#(Self.falID)"]}}"#)
        )
        let text = try await Self.record(
            makeRequest(.get, "https://api.example.test/v1/me.txt"),
            answer: HTTPResponse(status: 401, body: Data("invalid key \(Self.falKey)".utf8))
        )

        #expect(json.response.json == ["key": "<redacted>", "owner": ["ids": ["<redacted>"]]])
        #expect(text.response.text == "invalid key <redacted>")
    }

    @Test(arguments: [
        (falKey, "<redacted>"),
        ("id=\(falID)", "id=<redacted>"),
        ("secret=\(falSecret)", "secret=<redacted>"),
        ("\(falSecret) then \(falID)", "<redacted> then <redacted>"),
        ("Key \(falKey) again \(falKey)", "Key <redacted> again <redacted>"),
        ("nothing secret here", "nothing secret here"),
    ])
    func anIDColonSecretKeyIsRedactedWholeAndByParts(text: String, expected: String) async throws {
        let interaction = try await Self.record(
            makeRequest(.get, "https://api.example.test/v1/me"),
            answer: HTTPResponse(status: 200, body: Data(text.utf8))
        )

        #expect(interaction.response.text == expected)
    }

    // MARK: Body forms

    @Test(arguments: RecordedBodyCase.table)
    func aResponseBodyIsRecordedInTheFormThatFitsIt(_ body: RecordedBodyCase) async throws {
        let interaction = try await Self.record(
            makeRequest(.get, "https://api.example.test/v1/body"),
            answer: HTTPResponse(status: 200, body: body.bytes)
        )

        #expect(RecordedBodyCase.Form(of: interaction.response) == body.form)
        if body.form == .base64 {
            #expect(interaction.response.base64.flatMap { Data(base64Encoded: $0) } == body.bytes)
        }
    }

    /// A binary body is kept as base64: the key is scrubbed from its bytes before encoding, so it
    /// is in the cassette in no encoding at all.
    @Test func aKeyInABinaryBodyIsScrubbedBeforeItIsEncodedAsBase64() async throws {
        var bytes = Data([0, 1, 2, 0xFF])
        bytes.append(contentsOf: Self.apiKey.utf8)
        bytes.append(contentsOf: [0, 9])
        bytes.append(contentsOf: Self.falSecret.utf8)
        let interaction = try await Self.record(
            makeRequest(.get, "https://api.example.test/v1/blob"), answer: HTTPResponse(status: 200, body: bytes))
        let encoded = try #require(interaction.response.base64)
        let recorded = try #require(Data(base64Encoded: encoded))
        #expect(recorded.range(of: Data(Self.apiKey.utf8)) == nil)
        #expect(recorded.range(of: Data(Self.falSecret.utf8)) == nil)
        #expect(recorded.range(of: Data("<redacted>".utf8)) != nil)
    }

    /// Keys the request carries in its credential headers are scrubbed even when the recorder was
    /// given no `secrets:` — a server that echoes them has them removed from every body form.
    @Test(arguments: [
        ("x-api-key", "sk-live-unlisted-77aa", "sk-live-unlisted-77aa"),
        ("Authorization", "Bearer bt-unlisted-88bb", "bt-unlisted-88bb"),
        ("Authorization", "Key kid-unlisted-1:ksecret-unlisted-2", "ksecret-unlisted-2"),
    ])
    func keysInTheRequestsCredentialHeadersAreScrubbedWithoutBeingListed(
        header: String, value: String, echoed: String
    ) async throws {
        let recorder = RecordingTransport(
            wrapping: StubTransport { _ in
                HTTPResponse(
                    status: 401, headers: ["X-Request-Id": "req-\(echoed)"],
                    body: Data(#"{"error": {"message": "bad key \#(echoed)"}}"#.utf8))
            })
        _ = try await recorder.send(makeRequest(.get, "https://api.example.test/v1/models", headers: [header: value]))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cassette-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try recorder.cassette.write(to: file)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(!text.contains(echoed))
        #expect(text.contains("<redacted>"))
    }

    @Test func aBinaryResponseIsRecordedAsBase64() async throws {
        let tone = try Fixture.tone()

        let interaction = try await Self.record(
            makeRequest(.get, "https://cdn.example.test/tone.wav"),
            answer: HTTPResponse(status: 200, body: tone)
        )

        #expect(interaction.response.base64 == tone.base64EncodedString())
        #expect(interaction.response.text == nil)
        #expect(interaction.response.json == nil)
    }

    @Test func requestBodiesAreRecordedAsJSONOrText() async throws {
        let json = try await Self.record(
            try makeRequest(.post, "https://api.example.test/v1/predictions", json: ["prompt": "Lo-fi"])
        )
        let text = try await Self.record(
            makeRequest(.post, "https://api.example.test/v1/notes", body: .data(Data("plain words".utf8)))
        )
        let none = try await Self.record(makeRequest(.get, "https://api.example.test/v1/models"))

        #expect(json.request.json == ["prompt": "Lo-fi"])
        #expect(json.request.text == nil)
        #expect(text.request.text == "plain words")
        #expect(text.request.json == nil)
        #expect(none.request.json == nil && none.request.text == nil)
    }

    @Test func aFileRequestBodyIsRecordedFromItsContents() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("body.json")
        try Data(#"{"prompt": "\#(Self.apiKey)"}"#.utf8).write(to: file)

        let interaction = try await Self.record(makeRequest(.post, "https://api.example.test/v1/p", body: .file(file)))

        #expect(interaction.request.json == ["prompt": "<redacted>"])
    }

    @Test func interactionsAreRecordedInOrderWithMethodAndStatus() async throws {
        let stub = StubTransport(responses: [
            HTTPResponse(status: 201), HTTPResponse(status: 200), HTTPResponse(status: 404),
        ])
        let recorder = RecordingTransport(wrapping: stub)

        _ = try await recorder.send(makeRequest(.post, "https://api.example.test/a"))
        _ = try await recorder.send(makeRequest(.get, "https://api.example.test/b"))
        let missing = try await recorder.send(makeRequest(.delete, "https://api.example.test/c"))

        #expect(missing.status == 404)
        #expect(recorder.cassette.interactions.map(\.request.method) == ["POST", "GET", "DELETE"])
        #expect(
            recorder.cassette.interactions.map(\.request.url)
                == ["a", "b", "c"].map { "https://api.example.test/\($0)" })
        #expect(recorder.cassette.interactions.map(\.response.status) == [201, 200, 404])
    }

    @Test func theWrappedAnswerIsReturnedUnchanged() async throws {
        let answer = HTTPResponse.json(#"{"key": "\#(Self.apiKey)"}"#, headers: ["Set-Cookie": "s=\(Self.apiKey)"])
        let recorder = RecordingTransport(wrapping: StubTransport { _ in answer }, secrets: Self.secrets)

        let response = try await recorder.send(makeRequest(.get, "https://api.example.test/v1/me"))

        #expect(response == answer)
    }

    // MARK: Downloads

    @Test(arguments: RecordedBodyCase.downloads)
    func aSmallDownloadIsInlinedInTheFormThatFitsIt(_ body: RecordedBodyCase) async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("download")
        let bytes = try body.resolvedBytes()
        let recorder = RecordingTransport(wrapping: StubTransport { _ in HTTPResponse(status: 200, body: bytes) })

        let head = try await recorder.download(makeRequest(.get, "https://cdn.example.test/f"), to: file, progress: nil)

        let response = try #require(recorder.cassette.interactions.first?.response)
        #expect(RecordedBodyCase.Form(of: response) == body.form)
        #expect(head.body.isEmpty)
        #expect(try Data(contentsOf: file) == bytes)
        if body.form == .base64 {
            #expect(response.base64 == bytes.base64EncodedString())
        }
    }

    @Test(arguments: [(1023, false), (1024, true), (5 << 20, true)])
    func aDownloadAboveTheInlineLimitIsLeftOut(limit: Int, inlined: Bool) async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tone.wav")
        let tone = try Fixture.tone()
        let stub = StubTransport { _ in HTTPResponse(status: 200, headers: ["Content-Type": "audio/wav"], body: tone) }
        let recorder = RecordingTransport(wrapping: stub, maxInlineBodyBytes: limit)
        let reports = Locked(0)

        _ = try await recorder.download(makeRequest(.get, "https://cdn.example.test/tone.wav"), to: file) { _ in
            reports.withLock { $0 += 1 }
        }

        let response = try #require(recorder.cassette.interactions.first?.response)
        #expect(response.status == 200)
        #expect(response.headers == ["Content-Type": "audio/wav"])
        #expect(response.base64 == (inlined ? tone.base64EncodedString() : nil))
        #expect(response.json == nil && response.text == nil && response.file == nil)
        #expect(try Data(contentsOf: file) == tone)
        #expect(reports.current == 1)
    }

    @Test func aFailedDownloadRecordsItsErrorBody() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let stub = StubTransport { _ in .json(#"{"error": "expired"}"#, status: 410) }
        let recorder = RecordingTransport(wrapping: stub, maxInlineBodyBytes: 4)

        let response = try await recorder.download(
            makeRequest(.get, "https://cdn.example.test/old.wav"),
            to: directory.appendingPathComponent("old.wav"),
            progress: nil
        )

        #expect(response.status == 410)
        #expect(recorder.cassette.interactions.first?.response.json == ["error": "expired"])
    }

    // MARK: Failures

    @Test(arguments: [
        TransportError(.cannotConnect, "refused"),
        TransportError(.connectionLost, "reset"),
        TransportError(.timedOut, "slow"),
    ])
    func aFailureOfTheWrappedTransportPropagatesAndIsNotRecorded(failure: TransportError) async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let recorder = RecordingTransport(wrapping: StubTransport { _ in throw failure })

        await #expect(throws: failure) {
            try await recorder.send(makeRequest(.get, "https://api.example.test/v1/models"))
        }
        await #expect(throws: failure) {
            try await recorder.download(
                makeRequest(.get, "https://cdn.example.test/a.wav"),
                to: directory.appendingPathComponent("a.wav"),
                progress: nil
            )
        }
        #expect(recorder.cassette.interactions.isEmpty)
    }

    @Test func concurrentExchangesAreEachRecordedOnce() async throws {
        let recorder = RecordingTransport(
            wrapping: StubTransport { request in .json(#"{"path": "\#(request.url.path)"}"#) })

        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<30 {
                group.addTask {
                    _ = try await recorder.send(makeRequest(.get, "https://api.example.test/items/\(index)"))
                }
            }
            try await group.waitForAll()
        }

        let interactions = recorder.cassette.interactions
        #expect(interactions.count == 30)
        #expect(Set(interactions.map(\.request.url)).count == 30)
        #expect(
            interactions.allSatisfy { $0.response.json?["path"]?.stringValue.map($0.request.url.hasSuffix) == true })
    }

    // MARK: Record, write, replay

    @Test func aRecordedSessionReplaysByteForByteAndItsFileHoldsNoSecret() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tone = try Fixture.tone()
        // JSON answers are in canonical form (sorted keys, compact, unescaped slashes): a cassette stores
        // JSON as a value and replays it in that form, so other spellings replay equal but not byte-identical.
        let answers = [
            HTTPResponse.json(#"{"id":"pred_1","status":"queued"}"#, status: 201, headers: ["X-Request-Id": "r1"]),
            HTTPResponse.json(#"{"id":"pred_1","status":"running"}"#),
            HTTPResponse.json(#"{"id":"pred_1","output":"https://cdn.example.test/pred_1.wav","status":"succeeded"}"#),
            HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Data("step 1/2\nstep 2/2\n".utf8)),
            HTTPResponse(status: 200, headers: ["Content-Type": "audio/wav"], body: tone),
        ]
        let credentials: HTTPHeaders = [
            "x-api-key": Self.apiKey, "Authorization": "Key \(Self.falKey)", "Cookie": "session=\(Self.falSecret)",
        ]
        let create = try makeRequest(
            .post,
            "https://api.example.test/v1/predictions",
            headers: credentials,
            json: ["model": "beatfusion-2.0", "input": ["prompt": "Lo-fi"], "webhook_token": .string(Self.falID)]
        )
        let poll = makeRequest(.get, "https://api.example.test/v1/predictions/pred_1", headers: credentials)
        let logs = makeRequest(.get, "https://api.example.test/v1/predictions/pred_1/logs", headers: credentials)
        let media = makeRequest(.get, "https://cdn.example.test/pred_1.wav")

        let recorder = RecordingTransport(wrapping: StubTransport(responses: answers), secrets: Self.secrets)
        let live = try await Self.session(
            on: recorder, create: create, poll: poll, logs: logs, media: media, in: directory)
        let cassetteFile = directory.appendingPathComponent("session.json")
        try recorder.cassette.write(to: cassetteFile)

        let written = try String(contentsOf: cassetteFile, encoding: .utf8)
        for secret in [Self.apiKey, Self.falKey, Self.falID, Self.falSecret] {
            #expect(!written.contains(secret), "\(secret) leaked into the cassette")
        }

        let replay = try ReplayTransport(contentsOf: cassetteFile)
        let replayed = try await Self.session(
            on: replay, create: create, poll: poll, logs: logs, media: media, in: directory)
        #expect(replayed.map(\.status) == live.map(\.status))
        #expect(replayed.map(\.body) == live.map(\.body))
        #expect(replayed.map { $0.headers["Content-Type"] } == live.map { $0.headers["Content-Type"] })
        #expect(replayed.last?.body == tone)
        #expect(replay.unusedInteractions.isEmpty)
    }

    /// Creates, polls three times, reads the logs and downloads the media; the download's bytes stand in
    /// for its body in the returned answers.
    private static func session(
        on transport: any HTTPTransport,
        create: HTTPRequest,
        poll: HTTPRequest,
        logs: HTTPRequest,
        media: HTTPRequest,
        in directory: URL
    ) async throws -> [HTTPResponse] {
        var answers = [try await transport.send(create)]
        for _ in 0..<2 {
            answers.append(try await transport.send(poll))
        }
        answers.append(try await transport.send(logs))
        let file = directory.appendingPathComponent("media-\(UUID().uuidString).wav")
        var download = try await transport.download(media, to: file, progress: nil)
        download.body = try Data(contentsOf: file)
        answers.append(download)
        return answers
    }
}

/// A response body and the cassette field it must be recorded in.
struct RecordedBodyCase: Sendable, CustomTestStringConvertible {
    enum Form: Sendable, Equatable {
        case json, text, base64, none

        init(of response: Cassette.Response) {
            switch (response.json, response.text, response.base64, response.file) {
            case (.some, nil, nil, nil): self = .json
            case (nil, .some, nil, nil): self = .text
            case (nil, nil, .some, nil): self = .base64
            default: self = .none
            }
        }
    }

    let testDescription: String
    let bytes: Data
    let form: Form
    /// Read `media/tone.wav` instead of `bytes`.
    var usesTone = false

    func resolvedBytes() throws -> Data {
        usesTone ? try Fixture.tone() : bytes
    }

    static let table: [RecordedBodyCase] = [
        RecordedBodyCase(testDescription: "JSON object", bytes: Data(#"{"id": "pred_1"}"#.utf8), form: .json),
        RecordedBodyCase(testDescription: "JSON array", bytes: Data("[1, 2]".utf8), form: .json),
        RecordedBodyCase(testDescription: "plain text", bytes: Data("queued ✓".utf8), form: .text),
        RecordedBodyCase(testDescription: "HTML", bytes: Data("<html><body>502</body></html>".utf8), form: .text),
        RecordedBodyCase(testDescription: "invalid UTF-8", bytes: Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00]), form: .base64),
        RecordedBodyCase(testDescription: "UTF-8 with a NUL", bytes: Data("RIFF\0WAVE".utf8), form: .base64),
        RecordedBodyCase(testDescription: "empty", bytes: Data(), form: .none),
    ]

    static let downloads: [RecordedBodyCase] = [
        RecordedBodyCase(testDescription: "WAV", bytes: Data(), form: .base64, usesTone: true),
        RecordedBodyCase(testDescription: "JSON", bytes: Data(#"{"frames": [1, 2]}"#.utf8), form: .json),
        RecordedBodyCase(
            testDescription: "subtitles", bytes: Data("1\n00:00:01,000 --> 00:00:02,000\nHi\n".utf8), form: .text),
    ]
}

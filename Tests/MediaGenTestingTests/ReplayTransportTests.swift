import Foundation
import MediaGenCore
import MediaGenTesting
import Testing

// Fixtures: poll-sequence.json (a create, three polls, a media download) and documented.json
// (the `Cassette` doc comment's example); see CassetteTests.swift for what each stands for.

struct ReplayTransportTests {
    private static let poll = "https://api.example.test/v1/predictions/pred_1"

    // MARK: Matching

    @Test(arguments: MatchCase.matching)
    func aRequestTakesAnInteractionWithTheSameMethodPathAndQuery(_ match: MatchCase) async throws {
        let replay = ReplayTransport(cassette: match.cassette)

        let response = try await replay.send(makeRequest(match.sentMethod, match.sentURL))

        #expect(response.body == Data("matched".utf8))
        #expect(replay.unusedInteractions.isEmpty)
    }

    @Test(arguments: MatchCase.notMatching)
    func aRequestThatDiffersInMethodPathOrQueryFindsNoAnswer(_ match: MatchCase) async throws {
        let replay = ReplayTransport(cassette: match.cassette)

        let error = await #expect(throws: TransportError.self) {
            try await replay.send(makeRequest(match.sentMethod, match.sentURL))
        }

        #expect(error?.reason == .invalidRequest)
        #expect(replay.unusedInteractions.count == 1)
    }

    @Test func aRelativeURLMatchesByTheWholeURL() async throws {
        let replay = ReplayTransport(cassette: MatchCase.cassette(.get, "https://api.example.test/v1/models?page=2"))
        let base = try #require(URL(string: "http://localhost:8080/v1/"))
        let url = try #require(URL(string: "models?page=2", relativeTo: base))

        let response = try await replay.send(HTTPRequest(method: .get, url: url))

        #expect(response.body == Data("matched".utf8))
    }

    // MARK: Order and exhaustion

    @Test func identicalRequestsTakeRecordedAnswersInOrder() async throws {
        let replay = try ReplayTransport(contentsOf: Fixture.url("poll-sequence.json"))

        let created = try await replay.send(
            makeRequest(.post, "https://api.example.test/v1/predictions", json: ["prompt": "anything"])
        )
        var statuses: [String?] = []
        for _ in 0..<3 {
            statuses.append(try jsonStatus(of: try await replay.send(makeRequest(.get, Self.poll))))
        }

        #expect(created.status == 201)
        #expect(try jsonStatus(of: created) == "queued")
        #expect(statuses == ["queued", "running", "succeeded"])
    }

    @Test func anExhaustedRequestFailsAndNamesTheRequest() async throws {
        let replay = try ReplayTransport(contentsOf: Fixture.url("poll-sequence.json"))
        for _ in 0..<3 {
            _ = try await replay.send(makeRequest(.get, Self.poll))
        }

        let error = await #expect(throws: TransportError.self) {
            try await replay.send(makeRequest(.get, Self.poll))
        }

        #expect(error?.reason == .invalidRequest)
        #expect(error?.mayHaveReachedServer == false)
        #expect(error?.detail.contains("GET \(Self.poll)") == true)
    }

    @Test func repeatsLastMatchServesTheLastMatchingAnswerAgain() async throws {
        let replay = try ReplayTransport(contentsOf: Fixture.url("poll-sequence.json"), repeatsLastMatch: true)

        var statuses: [String?] = []
        for _ in 0..<5 {
            statuses.append(try jsonStatus(of: try await replay.send(makeRequest(.get, Self.poll))))
        }

        #expect(statuses == ["queued", "running", "succeeded", "succeeded", "succeeded"])
        #expect(replay.unusedInteractions.map(\.request.method) == ["POST", "GET"])
    }

    @Test func repeatsLastMatchStillFailsARequestThatMatchesNothing() async throws {
        let replay = try ReplayTransport(contentsOf: Fixture.url("poll-sequence.json"), repeatsLastMatch: true)

        let error = await #expect(throws: TransportError.self) {
            try await replay.send(makeRequest(.get, "https://api.example.test/v1/predictions/pred_2"))
        }

        #expect(error?.reason == .invalidRequest)
    }

    @Test func concurrentIdenticalRequestsEachTakeADifferentAnswer() async throws {
        let cassette = Cassette(
            interactions: (0..<20).map { index in
                .init(request: .init(method: "GET", url: Self.poll), response: .init(status: 200, text: "\(index)"))
            }
        )
        let replay = ReplayTransport(cassette: cassette)

        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    String(decoding: try await replay.send(makeRequest(.get, Self.poll)).body, as: UTF8.self)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(answers.sorted() == (0..<20).map(String.init).sorted())
        #expect(replay.unusedInteractions.isEmpty)
        #expect(replay.requests.count == 20)
    }

    // MARK: Stricter matching

    @Test func bodyMatchingPicksTheInteractionWithTheSameJSON() async throws {
        let replay = ReplayTransport(cassette: Self.twoPrompts, matching: .body)

        let second = try await replay.send(
            makeRequest(
                .post, "https://api.example.test/v1/predictions", json: ["input": ["prompt": "b"], "model": "m"])
        )
        let first = try await replay.send(
            makeRequest(
                .post, "https://api.example.test/v1/predictions", json: ["model": "m", "input": ["prompt": "a"]])
        )

        #expect(second.body == Data("for b".utf8))
        #expect(first.body == Data("for a".utf8))
    }

    @Test func bodyMatchingRejectsADifferentJSONBody() async throws {
        let replay = ReplayTransport(cassette: Self.twoPrompts, matching: .body)

        let error = await #expect(throws: TransportError.self) {
            try await replay.send(
                makeRequest(
                    .post, "https://api.example.test/v1/predictions", json: ["model": "m", "input": ["prompt": "c"]])
            )
        }

        #expect(error?.reason == .invalidRequest)
        #expect(replay.unusedInteractions.count == 2)
    }

    @Test func withoutBodyMatchingTheFirstUnusedInteractionAnswers() async throws {
        let replay = ReplayTransport(cassette: Self.twoPrompts)

        let response = try await replay.send(
            makeRequest(
                .post, "https://api.example.test/v1/predictions", json: ["model": "m", "input": ["prompt": "b"]])
        )

        #expect(response.body == Data("for a".utf8))
    }

    @Test(arguments: [
        ("https://api.example.test/v1/models", true),
        ("http://api.example.test/v1/models", true),
        ("https://api.other.test/v1/models", false),
        ("https://api.example.test:8443/v1/models", false),
    ])
    func hostMatchingRequiresTheRecordedHostAndPort(sentURL: String, matches: Bool) async throws {
        let cassette = MatchCase.cassette(.get, "https://api.example.test/v1/models")
        let strict = ReplayTransport(cassette: cassette, matching: .host)
        let lenient = ReplayTransport(cassette: cassette)

        let strictAnswer = try? await strict.send(makeRequest(.get, sentURL))
        let lenientAnswer = try? await lenient.send(makeRequest(.get, sentURL))

        #expect((strictAnswer != nil) == matches)
        #expect(lenientAnswer != nil)
    }

    // MARK: What the test can assert on

    @Test func requestsAndUnusedInteractionsFollowTheSession() async throws {
        let replay = try ReplayTransport(contentsOf: Fixture.url("poll-sequence.json"))
        let create = try makeRequest(
            .post,
            "https://api.example.test/v1/predictions",
            headers: ["x-api-key": "test-key"],
            json: ["prompt": "Lo-fi"]
        )
        let poll = makeRequest(.get, Self.poll)
        let stray = makeRequest(.get, "https://api.example.test/v1/models")
        #expect(replay.requests.isEmpty)
        #expect(replay.unusedInteractions == replay.cassette.interactions)

        _ = try await replay.send(create)
        _ = try await replay.send(poll)
        _ = try? await replay.send(stray)

        #expect(replay.requests == [create, poll, stray])
        #expect(replay.unusedInteractions == Array(replay.cassette.interactions.dropFirst(2)))
    }

    // MARK: Downloads and files

    @Test func downloadWritesTheExactBytesOfAFileBody() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("pred_1.wav")
        let replay = try ReplayTransport(contentsOf: Fixture.url("documented.json"))
        let reports = Locked<[TransferProgress]>([])

        let head = try await replay.download(makeRequest(.get, "https://cdn.skytells.ai/pred_1.wav"), to: file) {
            progress in reports.withLock { $0.append(progress) }
        }

        #expect(try Data(contentsOf: file) == Fixture.tone())
        #expect(head == HTTPResponse(status: 200, headers: ["Content-Type": "audio/wav"]))
        #expect(reports.current == [TransferProgress(bytesTransferred: 1024, totalBytes: 1024)])
        #expect(replay.unusedInteractions.map(\.request.method) == ["POST"])
    }

    @Test func downloadOfARecordedErrorReturnsItsBodyAndWritesNothing() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("gone.wav")
        let replay = ReplayTransport(
            cassette: Cassette(interactions: [
                .init(
                    request: .init(method: "GET", url: "https://cdn.example.test/gone.wav"),
                    response: .init(status: 404, text: "expired")
                )
            ])
        )

        let response = try await replay.download(
            makeRequest(.get, "https://cdn.example.test/gone.wav"), to: file, progress: nil)

        #expect(response.status == 404)
        #expect(response.body == Data("expired".utf8))
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test func fileBodiesAreReadRelativeToTheCassetteFile() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = directory.appendingPathComponent("recorded", isDirectory: true)
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("media"), withIntermediateDirectories: true)
        let tone = try Fixture.tone()
        try tone.write(to: folder.appendingPathComponent("media/take.wav"))
        let cassetteFile = folder.appendingPathComponent("take.json")
        try Cassette(interactions: [
            .init(
                request: .init(method: "GET", url: "https://cdn.example.test/take.wav"),
                response: .init(status: 200, file: "media/take.wav")
            )
        ]).write(to: cassetteFile)
        let target = directory.appendingPathComponent("downloaded.wav")

        let replay = try ReplayTransport(contentsOf: cassetteFile)
        _ = try await replay.download(makeRequest(.get, "https://cdn.example.test/take.wav"), to: target, progress: nil)

        #expect(try Data(contentsOf: target) == tone)
    }

    @Test func aGivenDirectoryIsWhereFileBodiesAreRead() async throws {
        let cassette = try Cassette(contentsOf: Fixture.url("documented.json"))
        let fixtures = try Fixture.url("documented.json").deletingLastPathComponent()
        let replay = ReplayTransport(cassette: cassette, directory: fixtures)

        let response = try await replay.send(makeRequest(.get, "https://cdn.skytells.ai/pred_1.wav"))

        #expect(response.body == (try Fixture.tone()))
    }

    @Test func anUnparseableCassetteFailsToLoad() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("broken.json")
        try Data(#"{"interactions": [{"request": {}}]}"#.utf8).write(to: file)

        #expect(throws: DecodingError.self) { try ReplayTransport(contentsOf: file) }
        #expect(throws: (any Error).self) {
            try ReplayTransport(contentsOf: directory.appendingPathComponent("none.json"))
        }
    }

    /// Two creates on the same path that differ only in their JSON body.
    private static let twoPrompts = Cassette(interactions: [
        .init(
            request: .init(
                method: "POST",
                url: "https://api.example.test/v1/predictions",
                json: ["model": "m", "input": ["prompt": "a"]]
            ),
            response: .init(status: 201, text: "for a")
        ),
        .init(
            request: .init(
                method: "POST",
                url: "https://api.example.test/v1/predictions",
                json: ["model": "m", "input": ["prompt": "b"]]
            ),
            response: .init(status: 201, text: "for b")
        ),
    ])
}

/// A one-interaction cassette and a request that must (or must not) take it.
struct MatchCase: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let recordedMethod: String
    let recordedURL: String
    let sentMethod: HTTPMethod
    let sentURL: String

    init(_ name: String, recorded: (String, String), sent: (HTTPMethod, String)) {
        self.testDescription = name
        (recordedMethod, recordedURL) = recorded
        (sentMethod, sentURL) = sent
    }

    var cassette: Cassette {
        Self.cassette(recordedMethod, recordedURL)
    }

    static func cassette(_ method: HTTPMethod, _ url: String) -> Cassette {
        cassette(method.rawValue, url)
    }

    static func cassette(_ method: String, _ url: String) -> Cassette {
        Cassette(interactions: [
            .init(request: .init(method: method, url: url), response: .init(status: 200, text: "matched"))
        ])
    }

    static let matching: [MatchCase] = [
        MatchCase(
            "the same request",
            recorded: ("POST", "https://api.example.test/v1/predictions"),
            sent: (.post, "https://api.example.test/v1/predictions")
        ),
        MatchCase(
            "another host, scheme and port (a base-URL override)",
            recorded: ("GET", "https://api.example.test/v1/models?page=2"),
            sent: (.get, "http://localhost:8080/v1/models?page=2")
        ),
        MatchCase(
            "query items in another order",
            recorded: ("GET", "https://api.example.test/v1/models?page=2&size=10&q=lo%20fi"),
            sent: (.get, "https://api.example.test/v1/models?q=lo%20fi&page=2&size=10")
        ),
        MatchCase(
            "a trailing slash sent",
            recorded: ("GET", "https://api.example.test/v1/models"),
            sent: (.get, "https://api.example.test/v1/models/")
        ),
        MatchCase(
            "a trailing slash recorded",
            recorded: ("GET", "https://api.example.test/v1/models/?page=2"),
            sent: (.get, "https://api.example.test/v1/models?page=2")
        ),
        MatchCase(
            "the root with and without its slash",
            recorded: ("GET", "https://api.example.test/"),
            sent: (.get, "https://api.example.test")
        ),
        MatchCase(
            "a recorded method in lowercase",
            recorded: ("get", "https://api.example.test/v1/models"),
            sent: (.get, "https://api.example.test/v1/models")
        ),
    ]

    static let notMatching: [MatchCase] = [
        MatchCase(
            "another method",
            recorded: ("GET", "https://api.example.test/v1/predictions"),
            sent: (.post, "https://api.example.test/v1/predictions")
        ),
        MatchCase(
            "another path",
            recorded: ("GET", "https://api.example.test/v1/models"),
            sent: (.get, "https://api.example.test/v1/model")
        ),
        MatchCase(
            "a longer path",
            recorded: ("GET", "https://api.example.test/v1/predictions"),
            sent: (.get, "https://api.example.test/v1/predictions/pred_1")
        ),
        MatchCase(
            "another query value",
            recorded: ("GET", "https://api.example.test/v1/models?page=1"),
            sent: (.get, "https://api.example.test/v1/models?page=2")
        ),
        MatchCase(
            "an extra query item",
            recorded: ("GET", "https://api.example.test/v1/models?page=1"),
            sent: (.get, "https://api.example.test/v1/models?page=1&size=10")
        ),
        MatchCase(
            "a missing query",
            recorded: ("GET", "https://api.example.test/v1/models?page=1"),
            sent: (.get, "https://api.example.test/v1/models")
        ),
        MatchCase(
            "a path that differs in case",
            recorded: ("GET", "https://api.example.test/v1/Models"),
            sent: (.get, "https://api.example.test/v1/models")
        ),
    ]
}

import Foundation
import MediaGenCore
import MediaGenTesting
import Testing

struct StubTransportTests {
    // MARK: Answering

    @Test func theClosureAnswersEachRequest() async throws {
        let stub = StubTransport { request in
            HTTPResponse(status: 200, body: Data("\(request.method) \(request.url.path)".utf8))
        }

        let models = try await stub.send(makeRequest(.get, "https://api.example.test/v1/models"))
        let deleted = try await stub.send(makeRequest(.delete, "https://api.example.test/v1/files/f_1"))

        #expect(models.status == 200)
        #expect(models.body == Data("GET /v1/models".utf8))
        #expect(deleted.body == Data("DELETE /v1/files/f_1".utf8))
    }

    @Test func anErrorThrownByTheClosureReachesTheCaller() async {
        let stub = StubTransport { _ in throw TransportError(.cannotConnect, "connection refused") }

        await #expect(throws: TransportError(.cannotConnect, "connection refused")) {
            try await stub.send(makeRequest(.get, "https://api.example.test/v1/models"))
        }
        #expect(stub.requests.count == 1)
    }

    // MARK: Recording

    @Test func requestsAreRecordedInTheOrderSent() async throws {
        let stub = StubTransport { _ in HTTPResponse(status: 204) }
        let sent = [
            try makeRequest(.post, "https://api.example.test/v1/predictions", json: ["prompt": "Lo-fi"]),
            makeRequest(.get, "https://api.example.test/v1/predictions/pred_1", headers: ["x-api-key": "k"]),
            makeRequest(.delete, "https://api.example.test/v1/predictions/pred_1"),
        ]

        for request in sent {
            _ = try await stub.send(request)
        }

        #expect(stub.requests == sent)
    }

    @Test func nothingIsRecordedBeforeTheFirstRequest() {
        let stub = StubTransport { _ in HTTPResponse(status: 204) }

        #expect(stub.requests.isEmpty)
    }

    @Test func concurrentSendsAreEachRecordedOnce() async throws {
        let stub = StubTransport { request in HTTPResponse(status: 200, body: Data(request.url.path.utf8)) }

        let answers = try await withThrowingTaskGroup(of: (String, Data).self) { group in
            for index in 0..<50 {
                group.addTask {
                    let path = "/v1/items/\(index)"
                    return (path, try await stub.send(makeRequest(.get, "https://api.example.test\(path)")).body)
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }

        let expected = (0..<50).map { "/v1/items/\($0)" }
        let recorded = stub.requests.map(\.url.path)
        #expect(recorded.count == 50)
        #expect(recorded.sorted() == expected.sorted())
        #expect(answers == Dictionary(uniqueKeysWithValues: expected.map { ($0, Data($0.utf8)) }))
    }

    // MARK: A list of responses

    @Test func listedResponsesAreServedInOrderThenEveryRequestFails() async throws {
        let stub = StubTransport(responses: [
            HTTPResponse(status: 201, body: Data("first".utf8)),
            HTTPResponse(status: 200, body: Data("second".utf8)),
        ])

        let first = try await stub.send(makeRequest(.post, "https://api.example.test/v1/predictions"))
        let second = try await stub.send(makeRequest(.get, "https://api.example.test/v1/predictions/pred_1"))

        #expect(first == HTTPResponse(status: 201, body: Data("first".utf8)))
        #expect(second == HTTPResponse(status: 200, body: Data("second".utf8)))
        for _ in 0..<2 {
            let error = await #expect(throws: TransportError.self) {
                try await stub.send(makeRequest(.get, "https://api.example.test/v1/predictions/pred_1?poll=3"))
            }
            #expect(error?.reason == .invalidRequest)
            #expect(error?.mayHaveReachedServer == false)
            #expect(error?.detail.contains("GET https://api.example.test/v1/predictions/pred_1?poll=3") == true)
        }
        #expect(stub.requests.count == 4)
    }

    @Test func anEmptyListFailsTheFirstRequest() async {
        let stub = StubTransport(responses: [])

        let error = await #expect(throws: TransportError.self) {
            try await stub.send(makeRequest(.get, "https://api.example.test/v1/models"))
        }

        #expect(error?.reason == .invalidRequest)
    }

    // MARK: Downloads

    @Test func downloadWritesASuccessfulBodyAndReportsProgressOnce() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tone.wav")
        let tone = try Fixture.tone()
        let stub = StubTransport { _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "audio/wav"], body: tone)
        }
        let reports = Locked<[TransferProgress]>([])

        let head = try await stub.download(makeRequest(.get, "https://cdn.example.test/tone.wav"), to: file) {
            progress in reports.withLock { $0.append(progress) }
        }

        #expect(try Data(contentsOf: file) == tone)
        #expect(reports.current == [TransferProgress(bytesTransferred: 1024, totalBytes: 1024)])
        #expect(head == HTTPResponse(status: 200, headers: ["Content-Type": "audio/wav"]))
        #expect(stub.requests.map(\.url.path) == ["/tone.wav"])
    }

    @Test func downloadReplacesWhatTheFileHeld() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("clip.bin")
        try Data(repeating: 0xAA, count: 4096).write(to: file)
        let stub = StubTransport { _ in HTTPResponse(status: 206, body: Data([1, 2, 3])) }

        _ = try await stub.download(makeRequest(.get, "https://cdn.example.test/clip.bin"), to: file, progress: nil)

        #expect(try Data(contentsOf: file) == Data([1, 2, 3]))
    }

    @Test(arguments: [301, 404, 429, 503])
    func downloadOfAnErrorReturnsItsBodyAndWritesNothing(status: Int) async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("never.wav")
        let errorBody = Data(#"{"error":"nope"}"#.utf8)
        let stub = StubTransport { _ in HTTPResponse(status: status, body: errorBody) }
        let reports = Locked(0)

        let response = try await stub.download(makeRequest(.get, "https://cdn.example.test/never.wav"), to: file) {
            _ in reports.withLock { $0 += 1 }
        }

        #expect(response == HTTPResponse(status: status, body: errorBody))
        #expect(!FileManager.default.fileExists(atPath: file.path))
        #expect(reports.current == 0)
    }

    @Test func downloadIntoAMissingFolderFailsAsATransportError() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("no-such-folder/clip.bin")
        let stub = StubTransport { _ in HTTPResponse(status: 200, body: Data([1])) }

        let error = await #expect(throws: TransportError.self) {
            try await stub.download(makeRequest(.get, "https://cdn.example.test/clip.bin"), to: file, progress: nil)
        }

        #expect(error?.reason == .other)
    }

    // MARK: JSON answers

    @Test(arguments: JSONAnswerForm.allCases)
    func aJSONAnswerIsLabelledAsJSON(_ form: JSONAnswerForm) throws {
        let response = try form.make(status: 201, headers: ["X-Request-Id": "req_1"])

        #expect(response.status == 201)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.headers["X-Request-Id"] == "req_1")
        #expect(try JSONDecoder().decode(JSONValue.self, from: response.body) == JSONAnswerForm.expected)
    }

    @Test(arguments: JSONAnswerForm.allCases)
    func aJSONAnswerKeepsAContentTypeYouPass(_ form: JSONAnswerForm) throws {
        let response = try form.make(status: 422, headers: ["Content-Type": "application/problem+json"])

        #expect(response.headers.fields == [.init(name: "Content-Type", value: "application/problem+json")])
    }

    @Test func aJSONAnswerDefaultsToStatus200() throws {
        #expect(HTTPResponse.json("{}").status == 200)
        #expect(try HTTPResponse.json(JSONValue.object([:])).status == 200)
    }

    @Test func aJSONTextAnswerKeepsTheTextAsGiven() {
        let text = #"{ "status": "queued",  "id": "pred_1" }"#

        #expect(HTTPResponse.json(text).body == Data(text.utf8))
    }

    @Test func aJSONValueAnswerIsEncodedWithSortedKeys() throws {
        let response = try HTTPResponse.json(["status": "queued", "id": "pred_1", "output": nil])

        #expect(response.body == Data(#"{"id":"pred_1","output":null,"status":"queued"}"#.utf8))
    }

    // MARK: Reading requests

    @Test(arguments: JSONBodyCase.table)
    func jsonBodyDecodesJSONAndNothingElse(_ body: JSONBodyCase) {
        let request = makeRequest(.post, "https://api.example.test/v1/predictions", body: body.body)

        #expect(request.jsonBody == body.expected)
    }

    @Test func jsonBodyReadsAFileBody() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("body.json")
        try Data(#"{"prompt": "Lo-fi"}"#.utf8).write(to: file)

        let request = makeRequest(.post, "https://api.example.test/v1/predictions", body: .file(file))

        #expect(request.jsonBody == ["prompt": "Lo-fi"])
    }

    @Test func bodyDataIsTheBytesOfADataBody() {
        let bytes = Data([0, 1, 2, 255])

        #expect(makeRequest(.put, "https://up.example.test/f", body: .data(bytes)).bodyData == bytes)
        #expect(makeRequest(.get, "https://api.example.test/v1/models").bodyData == nil)
    }

    @Test func bodyDataReadsAFileBodyFromDisk() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("upload.wav")
        let tone = try Fixture.tone()
        try tone.write(to: file)
        let missing = directory.appendingPathComponent("missing.wav")

        #expect(makeRequest(.put, "https://up.example.test/f", body: .file(file)).bodyData == tone)
        #expect(makeRequest(.put, "https://up.example.test/f", body: .file(missing)).bodyData == nil)
    }

    @Test func queryItemsAreDecodedAndInOrder() {
        let request = makeRequest(.get, "https://api.example.test/v1/models?page=2&q=lo%20fi%26jazz&flag&page=3")

        #expect(
            request.queryItems == [
                URLQueryItem(name: "page", value: "2"),
                URLQueryItem(name: "q", value: "lo fi&jazz"),
                URLQueryItem(name: "flag", value: nil),
                URLQueryItem(name: "page", value: "3"),
            ]
        )
        #expect(makeRequest(.get, "https://api.example.test/v1/models").queryItems.isEmpty)
    }

    @Test func queryItemsOfARelativeURLComeFromTheWholeURL() throws {
        let base = try #require(URL(string: "https://api.example.test/v1/"))
        let url = try #require(URL(string: "models?page=2", relativeTo: base))

        #expect(HTTPRequest(method: .get, url: url).queryItems == [URLQueryItem(name: "page", value: "2")])
    }
}

/// The two ways to make a JSON answer, for tests that must hold for both.
enum JSONAnswerForm: String, CaseIterable, Sendable {
    case text
    case value

    static let expected: JSONValue = ["id": "pred_1", "status": "queued"]

    func make(status: Int, headers: HTTPHeaders) throws -> HTTPResponse {
        switch self {
        case .text: HTTPResponse.json(#"{"id": "pred_1", "status": "queued"}"#, status: status, headers: headers)
        case .value: try HTTPResponse.json(Self.expected, status: status, headers: headers)
        }
    }
}

struct JSONBodyCase: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let body: HTTPBody?
    let expected: JSONValue?

    static let table: [JSONBodyCase] = [
        JSONBodyCase(
            testDescription: "object",
            body: .data(Data(#"{"input": {"prompt": "Lo-fi", "seconds": 30}, "stems": false}"#.utf8)),
            expected: ["input": ["prompt": "Lo-fi", "seconds": 30], "stems": false]
        ),
        JSONBodyCase(testDescription: "array", body: .data(Data("[1, 2.5, null]".utf8)), expected: [1, 2.5, nil]),
        JSONBodyCase(testDescription: "not JSON", body: .data(Data("prompt=Lo-fi".utf8)), expected: nil),
        JSONBodyCase(testDescription: "binary", body: .data(Data([0xFF, 0xD8, 0xFF, 0xE0])), expected: nil),
        JSONBodyCase(testDescription: "empty", body: .data(Data()), expected: nil),
        JSONBodyCase(testDescription: "no body", body: nil, expected: nil),
    ]
}

import Foundation
import MediaGenCore
import MediaGenTesting
import Testing

// Fixtures (JSON carries no comments, so the shape each file stands for is noted here):
// - documented.json: the example in `Cassette`'s doc comment, with its media file swapped for
//   `media/tone.wav` (a 1,024-byte mono 16-bit 8 kHz WAV made once with Python's `wave` module).
// - bodies.json: one interaction per documented body form (`json`, `text`, `base64`, `file`, none).
// - broken-bodies.json: a `file` body naming a missing file and a `base64` body that is not base64.
// - poll-sequence.json: a recorded session: create, three polls (queued → running → succeeded),
//   then the media download as a `file` body.

struct CassetteTests {
    // MARK: Reading the documented shape

    @Test func documentedShapeDecodes() throws {
        let cassette = try Cassette(contentsOf: Fixture.url("documented.json"))

        try #require(cassette.interactions.count == 2)
        let create = cassette.interactions[0]
        #expect(create.request.method == "POST")
        #expect(create.request.url == "https://api.skytells.ai/v1/predictions")
        #expect(create.request.json == ["model": "beatfusion-2.0", "input": ["prompt": "Lo-fi"]])
        #expect(create.request.headers == nil)
        #expect(create.response.status == 201)
        #expect(create.response.headers == ["Content-Type": "application/json"])
        #expect(create.response.json == ["id": "pred_1", "status": "queued", "output": nil])

        let media = cassette.interactions[1]
        #expect(media.request.method == "GET")
        #expect(media.request.url == "https://cdn.skytells.ai/pred_1.wav")
        #expect(media.request.json == nil)
        #expect(media.response.status == 200)
        #expect(media.response.file == "media/tone.wav")
        #expect(media.response.json == nil)
    }

    @Test func unknownKeysAreIgnoredAndMissingOnesAreNil() throws {
        let text =
            #"{"interactions": [{"request": {"method": "GET", "url": "https://x.test/a", "note": "hi"},"#
            + #" "response": {"status": 204}}], "version": 2}"#
        let cassette = try JSONDecoder().decode(Cassette.self, from: Data(text.utf8))

        #expect(
            cassette
                == Cassette(interactions: [
                    .init(request: .init(method: "GET", url: "https://x.test/a"), response: .init(status: 204))
                ])
        )
    }

    // MARK: Bodies

    @Test(arguments: BodyCase.table)
    func everyBodyFormBecomesTheRightBytes(_ body: BodyCase) async throws {
        let replay = try ReplayTransport(contentsOf: Fixture.url("bodies.json"))

        let response = try await replay.send(makeRequest(body.method, "https://api.example.test/bodies/\(body.name)"))

        #expect(response.body == (try body.expectedBytes()))
        #expect(response.headers["Content-Type"] == body.contentType)
    }

    @Test func aJSONBodyKeepsTheContentTypeItWasRecordedWith() async throws {
        let cassette = Cassette(interactions: [
            .init(
                request: .init(method: "GET", url: "https://api.example.test/problem"),
                response: .init(
                    status: 422,
                    headers: ["content-type": "application/problem+json"],
                    json: ["title": "Unprocessable"]
                )
            )
        ])

        let response = try await ReplayTransport(cassette: cassette).send(
            makeRequest(.get, "https://api.example.test/problem")
        )

        #expect(response.headers.fields == [.init(name: "content-type", value: "application/problem+json")])
        #expect(response.body == Data(#"{"title":"Unprocessable"}"#.utf8))
    }

    @Test func fileBodiesAreReadRelativeToTheCassettesFolder() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = directory.appendingPathComponent("cassettes/session", isDirectory: true)
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("media"),
            withIntermediateDirectories: true
        )
        let bytes = Data((0...255).map { UInt8($0) })
        try bytes.write(to: folder.appendingPathComponent("media/clip.bin"))
        let cassette = Cassette(interactions: [
            .init(
                request: .init(method: "GET", url: "https://cdn.example.test/clip.bin"),
                response: .init(status: 200, file: "media/clip.bin")
            )
        ])
        let cassetteFile = folder.appendingPathComponent("session.json")
        try cassette.write(to: cassetteFile)

        let response = try await ReplayTransport(contentsOf: cassetteFile).send(
            makeRequest(.get, "https://cdn.example.test/clip.bin")
        )

        #expect(response.body == bytes)
    }

    @Test(arguments: ["missing-file", "bad-base64"])
    func anUnreadableBodyFailsAsAnInvalidRequest(_ name: String) async throws {
        let replay = try ReplayTransport(contentsOf: Fixture.url("broken-bodies.json"))

        let error = await #expect(throws: TransportError.self) {
            try await replay.send(makeRequest(.get, "https://api.example.test/broken/\(name)"))
        }

        #expect(error?.reason == .invalidRequest)
        #expect(error?.detail.hasPrefix("cassette:") == true)
    }

    @Test func aMissingFileIsNamedInTheError() async throws {
        let replay = try ReplayTransport(contentsOf: Fixture.url("broken-bodies.json"))

        let error = await #expect(throws: TransportError.self) {
            try await replay.send(makeRequest(.get, "https://api.example.test/broken/missing-file"))
        }

        #expect(error?.detail.contains("media/does-not-exist.wav") == true)
    }

    // MARK: Writing

    @Test func writtenCassetteReadsBackEqual() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("session.json")

        try Self.everyField.write(to: file)

        #expect(try Cassette(contentsOf: file) == Self.everyField)
    }

    @Test func writtenJSONIsPrettyAndKeySorted() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("session.json")

        try Self.everyField.write(to: file)
        let text = try String(contentsOf: file, encoding: .utf8)

        // Pretty: one member per line, nested members indented.
        let lines = text.split(separator: "\n")
        #expect(lines.count > 20)
        #expect(lines.contains { $0.hasPrefix("    ") && $0.contains(#""status""#) })
        // Sorted: members of every object appear in key order, whatever order they were declared in.
        let request = try Self.members(of: "request", in: text)
        let response = try Self.members(of: "response", in: text)
        try Self.expectKeys(["request", "response"], inOrderIn: text[...])
        try Self.expectKeys(["headers", "json", "method", "text", "url"], inOrderIn: request)
        try Self.expectKeys(["Accept", "Content-Length", "X-Request-Id"], inOrderIn: request)
        try Self.expectKeys(["alpha", "middle", "zulu"], inOrderIn: request)
        try Self.expectKeys(["flag", "nested"], inOrderIn: request)
        try Self.expectKeys(["base64", "file", "headers", "json", "status", "text"], inOrderIn: response)
        // Slashes are not escaped, so URLs and paths stay readable.
        #expect(text.contains("https://api.example.test/v1/predictions?page=2"))
        #expect(!text.contains(#"\/"#))
    }

    @Test func writingIsStable() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("first.json")
        let second = directory.appendingPathComponent("second.json")

        try Self.everyField.write(to: first)
        try Cassette(contentsOf: first).write(to: second)

        #expect(try Data(contentsOf: first) == Data(contentsOf: second))
    }

    @Test func writingReplacesAnExistingFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("session.json")
        try Data(repeating: 0x20, count: 100_000).write(to: file)

        try Cassette().write(to: file)

        #expect(try Cassette(contentsOf: file) == Cassette())
    }

    /// The text of the first interaction's `request` or `response` object.
    private static func members(of name: String, in text: String) throws -> Substring {
        let start = try #require(text.range(of: "\"\(name)\""))
        let end = text[start.upperBound...].range(of: name == "request" ? #""response""# : #""request""#)
        return text[start.upperBound..<(end?.lowerBound ?? text.endIndex)]
    }

    private static func expectKeys(
        _ keys: [String],
        inOrderIn text: Substring,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let positions = try keys.map { key in
            try #require(text.range(of: "\"\(key)\"")?.lowerBound, "\(key) missing", sourceLocation: sourceLocation)
        }
        #expect(positions == positions.sorted(), "\(keys) out of order in \(text)", sourceLocation: sourceLocation)
    }

    /// A cassette using every field, with members declared out of key order.
    static let everyField = Cassette(interactions: [
        .init(
            request: .init(
                method: "POST",
                url: "https://api.example.test/v1/predictions?page=2",
                headers: ["X-Request-Id": "req_1", "Content-Length": "52", "Accept": "application/json"],
                json: ["zulu": [1, 2.5, -3], "alpha": "✓ unicode", "middle": ["nested": nil, "flag": true]],
                text: "also text"
            ),
            response: .init(
                status: 201,
                headers: ["Content-Type": "application/json"],
                json: ["id": "pred_1", "price": 0.75],
                text: "a text body",
                base64: "AAEC/f7/",
                file: "media/tone.wav"
            )
        ),
        .init(request: .init(method: "GET", url: "https://cdn.example.test/a.wav"), response: .init(status: 404)),
    ])
}

/// One of the interactions in `bodies.json`, and the bytes its answer must carry.
struct BodyCase: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable {
        case bytes(Data)
        case fixture(String)
    }

    let name: String
    let method: HTTPMethod
    let expected: Expected
    let contentType: String?

    var testDescription: String { "\(name) body" }

    func expectedBytes() throws -> Data {
        switch expected {
        case .bytes(let data): data
        case .fixture(let path): try Data(contentsOf: Fixture.url(path))
        }
    }

    static let table: [BodyCase] = [
        // Re-encoded compact with sorted keys and unescaped slashes, labelled as JSON.
        BodyCase(
            name: "json",
            method: .get,
            expected: .bytes(Data(#"{"a":null,"m":{"k":true},"z":[1,2.5,"a/b"]}"#.utf8)),
            contentType: "application/json"
        ),
        BodyCase(
            name: "text",
            method: .get,
            expected: .bytes(Data("plain text ✓\nline 2".utf8)),
            contentType: "text/plain"
        ),
        BodyCase(name: "base64", method: .get, expected: .bytes(Data([0, 1, 2, 253, 254, 255])), contentType: nil),
        BodyCase(name: "file", method: .get, expected: .fixture("media/tone.wav"), contentType: nil),
        BodyCase(name: "none", method: .delete, expected: .bytes(Data()), contentType: nil),
    ]
}

// MARK: - Support shared by the MediaGenTesting tests

enum Fixture {
    /// A file under `Fixtures/` in the test bundle, such as `"poll-sequence.json"` or `"media/tone.wav"`.
    static func url(_ path: String) throws -> URL {
        let relative = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: "/"))
        let folder = (["Fixtures"] + relative.deletingLastPathComponent().pathComponents.dropFirst())
            .joined(separator: "/")
        return try #require(
            Bundle.module.url(
                forResource: relative.deletingPathExtension().lastPathComponent,
                withExtension: relative.pathExtension,
                subdirectory: folder
            ),
            "no fixture \(path)"
        )
    }

    /// The bytes of `media/tone.wav`, the 1,024-byte WAV that cassettes reference as a `file` body.
    static func tone() throws -> Data {
        try Data(contentsOf: url("media/tone.wav"))
    }
}

/// A new, empty directory under the system's temporary folder; the caller removes it.
func makeTemporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("MediaGenTestingTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

func makeRequest(
    _ method: HTTPMethod,
    _ url: String,
    headers: HTTPHeaders = [:],
    body: HTTPBody? = nil
) -> HTTPRequest {
    guard let parsed = URL(string: url) else { preconditionFailure("not a URL: \(url)") }
    return HTTPRequest(method: method, url: parsed, headers: headers, body: body)
}

func makeRequest(
    _ method: HTTPMethod,
    _ url: String,
    headers: HTTPHeaders = [:],
    json: JSONValue
) throws -> HTTPRequest {
    makeRequest(method, url, headers: headers, body: .data(try JSONEncoder().encode(json)))
}

/// The status field of a JSON answer, for following a poll sequence.
func jsonStatus(of response: HTTPResponse) throws -> String? {
    try JSONDecoder().decode(JSONValue.self, from: response.body)["status"]?.stringValue
}

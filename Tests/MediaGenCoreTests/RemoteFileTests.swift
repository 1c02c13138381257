import Foundation
import MediaGenTesting
import Testing

@testable import MediaGenCore

struct SanitizedNameCase: Sendable, CustomTestStringConvertible {
    let input: String
    let expected: String
    var testDescription: String { input.debugDescription }
}

/// A fresh folder under the system's temporary directory, removed by the test that made it.
private struct TemporaryFolder {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("RemoteFileTests-\(UUID().uuidString)", isDirectory: true)

    init() throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// Every entry, hidden ones included, at `path` inside the folder (the folder itself when empty).
    func entries(_ path: String = "") -> [String] {
        let folder = path.isEmpty ? url : url.appendingPathComponent(path)
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }
}

/// Writes `body` into the file the download is streamed to, and notes where that file was and what
/// the destination held at that moment.
private final class SpyTransport: HTTPTransport {
    struct Observation: Sendable {
        var file: URL
        var destinationContent: Data?
    }

    let body: Data
    let destination: URL
    private let observed = Locked<[Observation]>([])

    init(body: Data, destination: URL) {
        self.body = body
        self.destination = destination
    }

    var observations: [Observation] { observed.current }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        HTTPResponse(status: 500)
    }

    func download(
        _ request: HTTPRequest,
        to file: URL,
        progress: (@Sendable (TransferProgress) -> Void)?
    ) async throws -> HTTPResponse {
        try body.prefix(body.count / 2).write(to: file)
        observed.withLock {
            $0.append(Observation(file: file, destinationContent: try? Data(contentsOf: destination)))
        }
        try body.write(to: file)
        return HTTPResponse(status: 200)
    }
}

struct RemoteFileTests {
    static let videoURL = URL(string: "https://cdn.example.com/outputs/pred_1/video.mp4?token=abc")!
    static let content = Data("not really an mp4, but bytes all the same".utf8)

    private static func configuration(_ transport: any HTTPTransport) -> ClientConfiguration {
        ClientConfiguration(transport: transport, clock: ImmediateClock())
    }

    private static func serving(_ body: Data = content) -> StubTransport {
        StubTransport { _ in HTTPResponse(status: 200, body: body) }
    }

    // MARK: sanitizedFileName

    static let sanitizedNames: [SanitizedNameCase] = [
        SanitizedNameCase(input: "video.mp4", expected: "video.mp4"),
        SanitizedNameCase(input: "../../etc/passwd", expected: "passwd"),
        SanitizedNameCase(input: "/absolute/path/song.mp3", expected: "song.mp3"),
        SanitizedNameCase(input: "..\\..\\x.mp4", expected: "x.mp4"),
        SanitizedNameCase(input: "C:\\Users\\me\\clip.mov", expected: "clip.mov"),
        SanitizedNameCase(input: "folder/", expected: "folder"),
        SanitizedNameCase(input: ".hidden", expected: "hidden"),
        SanitizedNameCase(input: "...mp3", expected: "mp3"),
        SanitizedNameCase(input: "", expected: "download"),
        SanitizedNameCase(input: ".", expected: "download"),
        SanitizedNameCase(input: "..", expected: "download"),
        SanitizedNameCase(input: "/", expected: "download"),
        SanitizedNameCase(input: "../..", expected: "download"),
        SanitizedNameCase(input: " ..", expected: "download"),
        SanitizedNameCase(input: ". .", expected: "download"),
        SanitizedNameCase(input: " . .hidden", expected: "hidden"),
        SanitizedNameCase(input: "   ", expected: "download"),
        SanitizedNameCase(input: "a\u{0}b\nc\rd\te\u{7F}.mp4", expected: "abcde.mp4"),
        SanitizedNameCase(input: "..\t", expected: "download"),
        SanitizedNameCase(input: "C:video.mp4", expected: "Cvideo.mp4"),
        SanitizedNameCase(input: "clip:zone.identifier", expected: "clipzone.identifier"),
        SanitizedNameCase(input: "  spaced name.wav  ", expected: "spaced name.wav"),
        SanitizedNameCase(input: "música – 東京 🎵.mp3", expected: "música – 東京 🎵.mp3"),
        SanitizedNameCase(input: "e\u{301}te\u{301}.wav", expected: "e\u{301}te\u{301}.wav"),
    ]

    @Test(arguments: sanitizedNames)
    func sanitizedFileNameIsAPlainSafeName(_ testCase: SanitizedNameCase) {
        #expect(RemoteFile.sanitizedFileName(testCase.input) == testCase.expected)
    }

    @Test(arguments: ["/", "\\"])
    func sanitizedFileNameNeverContainsASeparator(_ separator: String) {
        let name = RemoteFile.sanitizedFileName("a\(separator)b\(separator)\(separator)c.mp4")
        #expect(name == "c.mp4")
    }

    @Test func longNamesAreCutTo200BytesKeepingTheExtension() {
        let name = RemoteFile.sanitizedFileName(String(repeating: "a", count: 300) + ".mp4")
        #expect(name.utf8.count == 200)
        #expect(name == String(repeating: "a", count: 196) + ".mp4")
    }

    @Test func longNamesWithoutExtensionAreCutTo200Bytes() {
        #expect(RemoteFile.sanitizedFileName(String(repeating: "b", count: 300)) == String(repeating: "b", count: 200))
    }

    @Test func longUnicodeNamesFitAFileSystemNameAndKeepTheExtension() {
        // 3 bytes per character: 200 characters would be 600 bytes, beyond the 255 file systems allow.
        let name = RemoteFile.sanitizedFileName(String(repeating: "東", count: 300) + ".mp4")
        #expect(name.utf8.count <= 200)
        #expect(name == String(repeating: "東", count: 65) + ".mp4")
    }

    @Test func anOverlongExtensionIsCutLikeTheRestOfTheName() {
        let name = RemoteFile.sanitizedFileName("x." + String(repeating: "b", count: 250))
        #expect(name == "x." + String(repeating: "b", count: 198))
    }

    @Test func namesOfExactly200BytesAreKept() {
        let name = String(repeating: "c", count: 196) + ".wav"
        #expect(RemoteFile.sanitizedFileName(name) == name)
    }

    @Test func suggestedFileNamePrefersTheProviderNameOverTheURL() {
        #expect(RemoteFile(url: Self.videoURL).suggestedFileName == "video.mp4")
        #expect(RemoteFile(url: Self.videoURL, fileName: "../../final cut.mp4").suggestedFileName == "final cut.mp4")
    }

    // MARK: download(to:)

    @Test func downloadIntoAnExistingFolderUsesTheSuggestedName() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let stub = Self.serving()

        let saved = try await RemoteFile(url: Self.videoURL)
            .download(to: folder.url, configuration: Self.configuration(stub))

        #expect(saved.lastPathComponent == "video.mp4")
        #expect(saved.deletingLastPathComponent().standardizedFileURL.path == folder.url.standardizedFileURL.path)
        #expect(try Data(contentsOf: saved) == Self.content)
        #expect(folder.entries() == ["video.mp4"])
    }

    @Test func downloadNeverUsesTheServerNameAsAPath() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let inner = folder.url.appendingPathComponent("inner", isDirectory: true)
        try FileManager.default.createDirectory(at: inner, withIntermediateDirectories: true)

        let saved = try await RemoteFile(url: Self.videoURL, fileName: "../escaped.mp4")
            .download(to: inner, configuration: Self.configuration(Self.serving()))

        #expect(saved.lastPathComponent == "escaped.mp4")
        #expect(folder.entries() == ["inner"])
        #expect(folder.entries("inner") == ["escaped.mp4"])
    }

    @Test func downloadToAFilePathWritesThatFile() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let destination = folder.url.appendingPathComponent("final.mp4")

        let saved = try await RemoteFile(url: Self.videoURL)
            .download(to: destination, configuration: Self.configuration(Self.serving()))

        #expect(saved == destination)
        #expect(try Data(contentsOf: destination) == Self.content)
        #expect(folder.entries() == ["final.mp4"])
    }

    @Test func downloadToAFilePathCreatesMissingFolders() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let destination = folder.url.appendingPathComponent("a/b/final.mp4")

        try await RemoteFile(url: Self.videoURL)
            .download(to: destination, configuration: Self.configuration(Self.serving()))

        #expect(try Data(contentsOf: destination) == Self.content)
        #expect(folder.entries("a/b") == ["final.mp4"])
    }

    @Test func downloadReplacesAnExistingFileInOneStep() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let destination = folder.url.appendingPathComponent("final.mp4")
        let previous = Data("the previous take, which is longer than the new one".utf8)
        try previous.write(to: destination)
        let spy = SpyTransport(body: Self.content, destination: destination)

        try await RemoteFile(url: Self.videoURL).download(to: destination, configuration: Self.configuration(spy))

        let observation = try #require(spy.observations.first)
        // While the body was being written, the destination still held the complete previous file,
        // and the body went to a hidden file beside it (so the final move is a rename).
        #expect(observation.destinationContent == previous)
        #expect(observation.file != destination)
        #expect(observation.file.lastPathComponent.hasPrefix("."))
        #expect(observation.file.deletingLastPathComponent().path == destination.deletingLastPathComponent().path)
        #expect(try Data(contentsOf: destination) == Self.content)
        #expect(folder.entries() == ["final.mp4"])
    }

    @Test func downloadOverAFolderOfTheSameNameFailsAndLeavesItAlone() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let blocking = folder.url.appendingPathComponent("video.mp4/keep.txt")
        try FileManager.default.createDirectory(
            at: blocking.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: blocking)

        let error = await #expect(throws: MediaGenError.self) {
            try await RemoteFile(url: Self.videoURL)
                .download(to: folder.url, configuration: Self.configuration(Self.serving()))
        }

        #expect(error?.kind == .file(path: folder.url.appendingPathComponent("video.mp4").path))
        #expect(folder.entries() == ["video.mp4"])
        #expect(try Data(contentsOf: blocking) == Data("keep".utf8))
    }

    @Test func downloadToAMissingPathEndingInSlashCreatesThatFolder() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let destination = try #require(URL(string: folder.url.absoluteString + "new/outputs/"))
        #expect(!FileManager.default.fileExists(atPath: destination.path))

        let saved = try await RemoteFile(url: Self.videoURL)
            .download(to: destination, configuration: Self.configuration(Self.serving()))

        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
        #expect(saved.lastPathComponent == "video.mp4")
        #expect(folder.entries("new/outputs") == ["video.mp4"])
        #expect(try Data(contentsOf: saved) == Self.content)
    }

    @Test func downloadReportsTheBytesReceived() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let reports = Locked<[TransferProgress]>([])

        try await RemoteFile(url: Self.videoURL).download(
            to: folder.url,
            configuration: Self.configuration(Self.serving())
        ) { progress in
            reports.withLock { $0.append(progress) }
        }

        let last = try #require(reports.current.last)
        #expect(last.bytesTransferred == Int64(Self.content.count))
        #expect(last.fraction == 1)
    }

    @Test func downloadAcceptsAMatchingAnnouncedSize() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = RemoteFile(url: Self.videoURL, byteCount: Int64(Self.content.count))

        let saved = try await file.download(to: folder.url, configuration: Self.configuration(Self.serving()))

        #expect(try Data(contentsOf: saved) == Self.content)
    }

    @Test(arguments: [Int64(0), 10, 1_000_000])
    func downloadNeverLeavesAPartialFileWhenSizeMismatches(_ announced: Int64) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = RemoteFile(url: Self.videoURL, byteCount: announced)

        let error = await #expect(throws: MediaGenError.self) {
            try await file.download(to: folder.url, configuration: Self.configuration(Self.serving()))
        }

        #expect(error?.kind == .network)
        #expect(error?.message.contains("\(announced)") == true)
        #expect(folder.entries() == [])
    }

    @Test func sizeMismatchKeepsThePreviousFileIntact() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let destination = folder.url.appendingPathComponent("final.mp4")
        let previous = Data("previous".utf8)
        try previous.write(to: destination)
        let file = RemoteFile(url: Self.videoURL, byteCount: 3)

        await #expect(throws: MediaGenError.self) {
            try await file.download(to: destination, configuration: Self.configuration(Self.serving()))
        }

        #expect(try Data(contentsOf: destination) == previous)
        #expect(folder.entries() == ["final.mp4"])
    }

    @Test func notFoundThrowsAndLeavesNothing() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let stub = StubTransport { _ in HTTPResponse(status: 404, body: Data("expired".utf8)) }

        let error = await #expect(throws: MediaGenError.self) {
            try await RemoteFile(url: Self.videoURL).download(to: folder.url, configuration: Self.configuration(stub))
        }

        #expect(error?.kind == .notFound)
        #expect(error?.httpStatus == 404)
        #expect(stub.requests.count == 1)
        #expect(folder.entries() == [])
    }

    @Test func transientFailureIsRetriedAndThenSucceeds() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let stub = StubTransport(responses: [
            HTTPResponse(status: 503, body: Data("busy".utf8)),
            HTTPResponse(status: 200, body: Self.content),
        ])

        let saved = try await RemoteFile(url: Self.videoURL)
            .download(to: folder.url, configuration: Self.configuration(stub))

        #expect(stub.requests.count == 2)
        #expect(try Data(contentsOf: saved) == Self.content)
        #expect(folder.entries() == ["video.mp4"])
    }

    @Test func lostConnectionIsRetriedAndThenSucceeds() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let attempts = Locked(0)
        let stub = StubTransport { _ in
            let attempt = attempts.withLock { count in
                count += 1
                return count
            }
            if attempt == 1 { throw TransportError(.connectionLost, "reset by peer") }
            return HTTPResponse(status: 200, body: Self.content)
        }

        let saved = try await RemoteFile(url: Self.videoURL)
            .download(to: folder.url, configuration: Self.configuration(stub))

        #expect(stub.requests.count == 2)
        #expect(try Data(contentsOf: saved) == Self.content)
    }

    @Test func downloadSendsAPlainGetWithoutCredentials() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let stub = Self.serving()

        try await RemoteFile(url: Self.videoURL).download(to: folder.url, configuration: Self.configuration(stub))

        let request = try #require(stub.requests.first)
        #expect(request.method == .get)
        #expect(request.url == Self.videoURL)
        #expect(request.body == nil)
        #expect(request.headers["Authorization"] == nil)
        #expect(request.headers["x-api-key"] == nil)
        #expect(request.headers["x-fal-key"] == nil)
        #expect(request.headers.allSatisfy { !HTTPHeaders.isSensitive($0.name) })
        #expect(request.headers["User-Agent"]?.hasPrefix("MediaGenKit/") == true)
    }
}

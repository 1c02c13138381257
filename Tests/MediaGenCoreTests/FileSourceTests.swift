import Foundation
import MediaGenCore
import Testing

struct ContentTypeCase: Sendable, CustomTestStringConvertible {
    let fileName: String
    let contentType: String
    var testDescription: String { "\(fileName) → \(contentType)" }
}

struct FileSourceTests {
    /// `Fixtures/Files/greeting.txt`: the 20 bytes "Hello, MediaGenKit!\n".
    static func greetingURL() throws -> URL {
        try #require(Bundle.module.url(forResource: "greeting", withExtension: "txt", subdirectory: "Fixtures/Files"))
    }

    static let greeting = Data("Hello, MediaGenKit!\n".utf8)
    static let missingFile = FileManager.default.temporaryDirectory
        .appendingPathComponent("FileSourceTests-missing-\(UUID().uuidString).mp3")
    static let remote = URL(string: "https://cdn.example.com/inputs/voice.mp3?sig=abc#frag")!

    // MARK: Names and types

    static let contentTypes: [ContentTypeCase] = [
        ("song.mp3", "audio/mpeg"), ("take.wav", "audio/wav"), ("memo.m4a", "audio/mp4"),
        ("loop.aac", "audio/aac"), ("loop.ogg", "audio/ogg"), ("master.flac", "audio/flac"),
        ("voice.opus", "audio/opus"), ("clip.mp4", "video/mp4"), ("clip.mov", "video/quicktime"),
        ("clip.webm", "video/webm"), ("face.png", "image/png"), ("face.jpg", "image/jpeg"),
        ("face.jpeg", "image/jpeg"), ("face.webp", "image/webp"), ("anim.gif", "image/gif"),
        ("input.json", "application/json"), ("lyrics.txt", "text/plain"),
        ("SHOUT.MP3", "audio/mpeg"), ("Mixed.Jpeg", "image/jpeg"), ("two.dots.wav", "audio/wav"),
        ("archive.tar.gz", "application/octet-stream"), ("model.safetensors", "application/octet-stream"),
        ("no-extension", "application/octet-stream"), ("trailing-dot.", "application/octet-stream"),
    ].map(ContentTypeCase.init)

    @Test(arguments: contentTypes)
    func contentTypeIsGuessedFromTheExtension(_ testCase: ContentTypeCase) {
        #expect(FileSource.data(Data(), fileName: testCase.fileName).contentType == testCase.contentType)
        let file = FileSource.file(URL(fileURLWithPath: "/inputs/\(testCase.fileName)"))
        #expect(file.contentType == testCase.contentType)
    }

    @Test func contentTypeOfAURLIsGuessedFromItsPathOnly() {
        let source = FileSource.url(Self.remote)
        #expect(source.fileName == "voice.mp3")
        #expect(source.contentType == "audio/mpeg")
    }

    @Test func givenContentTypeWinsOverTheGuess() {
        let data = FileSource.data(Data(), fileName: "a.mp3", contentType: "audio/x-custom")
        #expect(data.contentType == "audio/x-custom")
        let file = FileSource.file(URL(fileURLWithPath: "/inputs/a.bin"), contentType: "video/mp4")
        #expect(file.contentType == "video/mp4")
    }

    @Test func fileNameIsTheSanitizedLastComponent() {
        #expect(FileSource.data(Data(), fileName: "../../secret/take.wav").fileName == "take.wav")
        #expect(FileSource.data(Data(), fileName: ".env").fileName == "env")
        #expect(FileSource.data(Data(), fileName: "").fileName == "download")
        #expect(FileSource.file(URL(fileURLWithPath: "/inputs/Face Photo.PNG")).fileName == "Face Photo.PNG")
    }

    // MARK: Sizes

    @Test func byteCountOfDataIsItsLength() throws {
        #expect(try FileSource.data(Self.greeting, fileName: "g.txt").byteCount() == 20)
        #expect(try FileSource.data(Data(), fileName: "empty.txt").byteCount() == 0)
    }

    @Test func byteCountOfAFileIsItsSizeOnDisk() throws {
        #expect(try FileSource.file(Self.greetingURL()).byteCount() == 20)
    }

    @Test func byteCountOfAURLIsUnknown() throws {
        #expect(try FileSource.url(Self.remote).byteCount() == nil)
    }

    @Test func byteCountOfAMissingFileIsAnInvalidFileInput() {
        let error = #expect(throws: MediaGenError.self) {
            try FileSource.file(Self.missingFile).byteCount()
        }
        #expect(error?.kind.field == "file")
        #expect(error?.message.contains(Self.missingFile.path) == true)
    }

    // MARK: Reading

    @Test func readDataReturnsTheBytes() throws {
        #expect(try FileSource.data(Self.greeting, fileName: "g.txt").readData() == Self.greeting)
        #expect(try FileSource.file(Self.greetingURL()).readData() == Self.greeting)
    }

    @Test func readDataOfAURLIsAnInvalidFileInput() {
        let error = #expect(throws: MediaGenError.self) {
            try FileSource.url(Self.remote).readData()
        }
        #expect(error?.kind.field == "file")
        #expect(error?.message.contains("remote") == true)
    }

    @Test func readDataOfAMissingFileIsAnInvalidFileInput() {
        let error = #expect(throws: MediaGenError.self) {
            try FileSource.file(Self.missingFile).readData()
        }
        #expect(error?.kind.field == "file")
        #expect(error?.message.contains(Self.missingFile.path) == true)
    }

    // MARK: Data URIs

    @Test func dataURIOfBytesIsTypeAndBase64() throws {
        let source = FileSource.data(Data("hello".utf8), fileName: "greeting.txt")
        #expect(try source.dataURI() == "data:text/plain;base64,aGVsbG8=")
    }

    @Test func dataURIOfAFileReadsItFromDisk() throws {
        let uri = try FileSource.file(Self.greetingURL()).dataURI()
        #expect(uri == "data:text/plain;base64,SGVsbG8sIE1lZGlhR2VuS2l0IQo=")
    }

    @Test func dataURIUsesTheGivenContentType() throws {
        let source = FileSource.data(Data([0xff, 0xfb, 0x90]), fileName: "x", contentType: "audio/mpeg")
        #expect(try source.dataURI() == "data:audio/mpeg;base64,//uQ")
    }

    @Test func dataURIOfAURLIsAnInvalidFileInput() {
        let error = #expect(throws: MediaGenError.self) {
            try FileSource.url(Self.remote).dataURI()
        }
        #expect(error?.kind.field == "file")
    }
}

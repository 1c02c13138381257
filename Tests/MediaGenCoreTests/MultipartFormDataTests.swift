import Foundation
import Testing

@testable import MediaGenCore

struct MultipartFormDataTests {
    private static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("MultipartFormDataTests-\(UUID().uuidString)-\(name)")
    }

    private static func text(_ form: MultipartFormData) throws -> String {
        String(decoding: try form.encodedData(), as: UTF8.self)
    }

    // MARK: Layout

    @Test func contentTypeCarriesTheBoundary() {
        #expect(MultipartFormData(boundary: "XyZ-42").contentType == "multipart/form-data; boundary=XyZ-42")
    }

    @Test func defaultBoundariesAreUniqueAndNamedAfterTheSDK() {
        let first = MultipartFormData()
        let second = MultipartFormData()
        #expect(first.boundary.hasPrefix("MediaGenKit-"))
        #expect(first.boundary != second.boundary)
        // RFC 2046 §5.1.1: at most 70 characters.
        #expect(first.boundary.count <= 70)
    }

    @Test func partsAreKeptInOrder() {
        var form = MultipartFormData(boundary: "b")
        form.append(field: "purpose", value: "reference_audio")
        form.append(file: "file", source: .data(Data(), fileName: "a.mp3"))
        form.append(field: "note", value: "last")
        #expect(
            form.parts == [
                .field(name: "purpose", value: "reference_audio"),
                .file(name: "file", source: .data(Data(), fileName: "a.mp3")),
                .field(name: "note", value: "last"),
            ])
    }

    @Test func smallFormHasTheExactRFC7578Layout() throws {
        var form = MultipartFormData(boundary: "XyZ")
        form.append(field: "purpose", value: "reference_audio")
        form.append(file: "file", source: .data(Data("ID3abc".utf8), fileName: "ref.mp3"))

        let expected =
            "--XyZ\r\n"
            + "Content-Disposition: form-data; name=\"purpose\"\r\n"
            + "\r\n"
            + "reference_audio\r\n"
            + "--XyZ\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"ref.mp3\"\r\n"
            + "Content-Type: audio/mpeg\r\n"
            + "\r\n"
            + "ID3abc\r\n"
            + "--XyZ--\r\n"
        #expect(try form.encodedData() == Data(expected.utf8))
    }

    @Test func filePartUsesTheGivenContentType() throws {
        var form = MultipartFormData(boundary: "b")
        form.append(file: "f", source: .data(Data("x".utf8), fileName: "clip", contentType: "video/mp4"))
        #expect(try Self.text(form).contains("filename=\"clip\"\r\nContent-Type: video/mp4\r\n\r\nx\r\n"))
    }

    @Test func fieldValuesAreSentVerbatim() throws {
        var form = MultipartFormData(boundary: "b")
        form.append(field: "prompt", value: "line one\r\nline \"two\" — ünïcode")
        let expected =
            "--b\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\n"
            + "line one\r\nline \"two\" — ünïcode\r\n--b--\r\n"
        #expect(try Self.text(form) == expected)
    }

    @Test func quotesInNamesAreEscaped() throws {
        var form = MultipartFormData(boundary: "b")
        form.append(field: "a\"b", value: "v")
        form.append(file: "x\"", source: .data(Data("1".utf8), fileName: "my \"best\" take.mp3"))
        let text = try Self.text(form)
        #expect(text.contains("Content-Disposition: form-data; name=\"a%22b\"\r\n\r\nv\r\n"))
        #expect(text.contains("name=\"x%22\"; filename=\"my %22best%22 take.mp3\"\r\n"))
    }

    // Line breaks and other control characters in names, file names and content types used to
    // be escaped or dropped silently; they are now refused (see MultipartInjectionTests).
    @Test func lineBreaksInFileNamesNeverReachTheHeader() throws {
        var form = MultipartFormData(boundary: "b")
        form.append(file: "f", source: .data(Data("1".utf8), fileName: "a\r\nX-Injected: 1.mp3"))
        #expect(throws: MediaGenError.self) { try form.encodedData() }
        #expect((try? form.encodedData()) == nil)
    }

    @Test func filePartNamesAreSanitized() throws {
        var form = MultipartFormData(boundary: "b")
        form.append(file: "f", source: .data(Data("1".utf8), fileName: "../../etc/take.wav"))
        #expect(try Self.text(form).contains("filename=\"take.wav\""))
    }

    @Test func emptyFormIsTheClosingDelimiterOnly() throws {
        #expect(try Self.text(MultipartFormData(boundary: "b")) == "--b--\r\n")
    }

    // MARK: Writing to disk

    @Test func writeBodyEqualsEncodedData() throws {
        let input = Self.temporaryFile("input.wav")
        let output = Self.temporaryFile("body")
        defer {
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: output)
        }
        try Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: input)
        var form = MultipartFormData(boundary: "MediaGenKit-fixed")
        form.append(field: "purpose", value: "reference_audio")
        form.append(file: "file", source: .file(input))
        form.append(file: "cover", source: .data(Data([0x89, 0x50, 0x4e, 0x47]), fileName: "cover.png"))

        try form.writeBody(to: output)

        #expect(try Data(contentsOf: output) == form.encodedData())
    }

    @Test func writeBodyReplacesWhateverTheFileHeld() throws {
        let output = Self.temporaryFile("body")
        defer { try? FileManager.default.removeItem(at: output) }
        try Data(repeating: 0x41, count: 10_000).write(to: output)
        var form = MultipartFormData(boundary: "b")
        form.append(field: "k", value: "v")

        try form.writeBody(to: output)

        #expect(try Data(contentsOf: output) == form.encodedData())
    }

    @Test func largeFilePartStreamsFromDiskWithTheRightSizeAndContent() throws {
        let input = Self.temporaryFile("big.bin")
        let output = Self.temporaryFile("body")
        defer {
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: output)
        }
        // 20 MiB and a bit, so the last 64 KiB chunk is a partial one; period 251 so chunks differ.
        let size = 20 * 1024 * 1024 + 12_345
        let block = Data((0..<251 * 1024).map { UInt8(truncatingIfNeeded: $0 % 251) })
        var content = Data(capacity: size + block.count)
        while content.count < size { content.append(block) }
        content.removeLast(content.count - size)
        try content.write(to: input)
        var form = MultipartFormData(boundary: "big")
        form.append(file: "file", source: .file(input))

        try form.writeBody(to: output)

        let head = Data(
            ("--big\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(input.lastPathComponent)\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").utf8
        )
        let tail = Data("\r\n--big--\r\n".utf8)
        let body = try Data(contentsOf: output, options: .mappedIfSafe)
        try #require(body.count == head.count + size + tail.count)
        #expect(body.prefix(head.count) == head)
        #expect(body.suffix(tail.count) == tail)
        let filePart = body.dropFirst(head.count).dropLast(tail.count)
        #expect(SecureHash.sha256(filePart) == SecureHash.sha256(content))
    }

    // MARK: Errors

    @Test func urlPartCannotBeEncoded() {
        var form = MultipartFormData(boundary: "b")
        form.append(file: "file", source: .url(URL(string: "https://cdn.example.com/a.mp3")!))
        let error = #expect(throws: MediaGenError.self) {
            try form.encodedData()
        }
        #expect(error?.kind.field == "file")
        #expect(error?.message.contains("https://cdn.example.com/a.mp3") == true)
    }

    @Test func urlPartCannotBeWritten() {
        let output = Self.temporaryFile("body")
        defer { try? FileManager.default.removeItem(at: output) }
        var form = MultipartFormData(boundary: "b")
        form.append(file: "file", source: .url(URL(string: "https://cdn.example.com/a.mp3")!))
        let error = #expect(throws: MediaGenError.self) {
            try form.writeBody(to: output)
        }
        #expect(error?.kind.field == "file")
    }

    @Test func missingFilePartIsAnInvalidFileInput() {
        let missing = Self.temporaryFile("missing.mp3")
        var form = MultipartFormData(boundary: "b")
        form.append(file: "file", source: .file(missing))
        let error = #expect(throws: MediaGenError.self) {
            try form.encodedData()
        }
        #expect(error?.kind.field == "file")
        #expect(error?.message.contains(missing.path) == true)
    }

    /// Where the body cannot be written is a local file failure, not a bad input or the network's.
    @Test func anUnwritableDestinationIsAFileError() {
        let output = Self.temporaryFile("no-such-folder").appendingPathComponent("body")
        var form = MultipartFormData(boundary: "b")
        form.append(field: "k", value: "v")
        let error = #expect(throws: MediaGenError.self) {
            try form.writeBody(to: output)
        }
        #expect(error?.kind == .file(path: output.path))
        #expect(error?.isTransient == false)
    }
}

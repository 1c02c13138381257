import Foundation

/// A `multipart/form-data` body (RFC 7578) whose file parts stream from disk when written.
///
/// ```swift
/// var form = MultipartFormData()
/// form.append(field: "purpose", value: "reference_audio")
/// form.append(file: "file", source: .file(URL(fileURLWithPath: "reference.mp3")))
/// try form.writeBody(to: bodyFile)       // 64 KiB at a time, whatever the file's size
/// request.headers["Content-Type"] = form.contentType
/// ```
public struct MultipartFormData: Hashable, Sendable {
    public enum Part: Hashable, Sendable {
        case field(name: String, value: String)
        /// A local file or bytes; a `.url` source cannot be sent as a part.
        case file(name: String, source: FileSource)
    }

    public let boundary: String
    public private(set) var parts: [Part] = []

    public init(boundary: String = "MediaGenKit-\(UUID().uuidString)") {
        self.boundary = boundary
    }

    public mutating func append(field name: String, value: String) {
        parts.append(.field(name: name, value: value))
    }

    public mutating func append(file name: String, source: FileSource) {
        parts.append(.file(name: name, source: source))
    }

    /// The `Content-Type` header value, boundary included.
    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    private static let chunkSize = 64 * 1024

    /// Writes the whole body to `file`, copying file parts in fixed-size chunks. The form is
    /// checked first (``validate()``): a refused form creates no file.
    public func writeBody(to file: URL) throws(MediaGenError) {
        try validate()
        guard FileManager.default.createFile(atPath: file.path, contents: nil),
            let output = try? FileHandle(forWritingTo: file)
        else {
            throw MediaGenError(.file(path: file.path), message: "cannot create the request body at \(file.path)")
        }
        defer { try? output.close() }
        try write { data throws(MediaGenError) in
            do {
                try output.write(contentsOf: data)
            } catch {
                // Disk full, most likely: a local failure, not a bad input.
                throw MediaGenError(
                    .file(path: file.path), message: "cannot write the request body: \(error.localizedDescription)")
            }
        }
    }

    /// The whole body in memory (for small forms and tests).
    public func encodedData() throws(MediaGenError) -> Data {
        try validate()
        var body = Data()
        try write { body.append($0) }
        return body
    }

    /// Refuses a form whose boundary, part names, file names or content types could break out
    /// of a part's headers: control characters (CR, LF, NUL…) anywhere, and a boundary that is
    /// not 1–70 letters, digits or `' + _ - .`. ``writeBody(to:)`` runs it before a byte is written.
    ///
    /// ```swift
    /// var form = MultipartFormData()
    /// form.append(file: "file", source: .data(bytes, fileName: "a.mp3\r\nX-Injected: 1"))
    /// try form.validate()  // throws: invalid value for `fileName`
    /// ```
    ///
    /// A `"` in a name or file name is allowed: it is escaped as `%22` when written.
    public func validate() throws(MediaGenError) {
        try Self.checkBoundary(boundary)
        for part in parts {
            switch part {
            case .field(let name, _):
                try RequestValidation.checkPartText(name, field: "name")
            case .file(let name, let source):
                try RequestValidation.checkPartText(name, field: "name")
                try RequestValidation.checkFileSource(source)
            }
        }
    }

    private static func checkBoundary(_ boundary: String) throws(MediaGenError) {
        // RFC 2046's characters that also need no quoting in the `Content-Type` header.
        let allowed = Set("'+_-.".utf8)
        let valid =
            (1...70).contains(boundary.utf8.count)
            && boundary.utf8.allSatisfy { byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || allowed.contains(byte)
            }
        guard valid else {
            throw .invalidInput(
                "boundary",
                "a multipart boundary is 1–70 letters, digits or ' + _ - . characters; leave it out for a fresh UUID-based one"
            )
        }
    }

    /// Emits the body of a validated form.
    private func write(_ emit: (Data) throws(MediaGenError) -> Void) throws(MediaGenError) {
        for part in parts {
            try emit(Data("--\(boundary)\r\n".utf8))
            switch part {
            case .field(let name, let value):
                try emit(Data("Content-Disposition: form-data; name=\"\(Self.quoted(name))\"\r\n\r\n".utf8))
                try emit(Data(value.utf8))
            case .file(let name, let source):
                try emit(
                    Data(
                        ("Content-Disposition: form-data; name=\"\(Self.quoted(name))\"; filename=\"\(Self.quoted(source.fileName))\"\r\n"
                            + "Content-Type: \(source.contentType)\r\n\r\n").utf8
                    )
                )
                try copy(source, to: emit)
            }
            try emit(Data("\r\n".utf8))
        }
        try emit(Data("--\(boundary)--\r\n".utf8))
    }

    private func copy(_ source: FileSource, to emit: (Data) throws(MediaGenError) -> Void) throws(MediaGenError) {
        switch source {
        case .url(let url):
            throw .invalidInput(
                "file", "\(url.absoluteString) is remote; download it or pass the URL itself instead of uploading")
        case .data(let data, _, _):
            try emit(data)
        case .file(let url, _):
            guard let input = try? FileHandle(forReadingFrom: url) else {
                throw .invalidInput("file", "cannot read \(url.path)")
            }
            defer { try? input.close() }
            while true {
                let chunk: Data
                do {
                    guard let read = try input.read(upToCount: Self.chunkSize), !read.isEmpty else { return }
                    chunk = read
                } catch {
                    throw .invalidInput("file", "cannot read \(url.path): \(error.localizedDescription)")
                }
                try emit(chunk)
            }
        }
    }

    /// Escapes a name for a quoted header parameter, as browsers do (WHATWG HTML multipart rules):
    /// a quote or a line break must not end the parameter or the header.
    private static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "%22")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }
}

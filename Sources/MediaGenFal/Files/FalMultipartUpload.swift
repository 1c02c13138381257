import Foundation
import MediaGenCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A large file sent to fal's CDN in parts, as fal's Python client does it (`MultipartUpload`):
/// open the upload, `PUT` each part, complete it with the parts' ETags.
///
/// - `POST {cdn}/files/upload/multipart` (the file's type and name as headers) answers
///   `{"access_url", "uploadId"}`;
/// - `PUT {access_url}/multipart/{uploadId}/{n}` for n = 1, 2, …, each answering its `ETag`;
/// - `POST {access_url}/multipart/{uploadId}/complete` with `{"parts": [{"partNumber", "etag"}]}`;
///   the file is then at `access_url`.
///
/// Each part of a file is copied to a temporary file when its turn comes and streamed from there,
/// at most ``FalUploadOptions/concurrentParts`` at once, and the copy is deleted when its answer
/// is in; a part that fails is retried alone, under the client's retry policy, since sending a
/// part again replaces it.
struct FalMultipartUpload: Sendable {
    let upload: StorageUpload
    let cdn: RequestExecutor

    struct Part: Encodable, Sendable {
        let partNumber: Int
        let etag: String
    }

    private struct Opened: Decodable {
        let accessURL: String
        let uploadID: String

        enum CodingKeys: String, CodingKey {
            case accessURL = "access_url"
            case uploadID = "uploadId"
        }
    }

    private struct Completion: Encodable {
        let parts: [Part]
    }

    var partCount: Int {
        let size = upload.options.partSize
        return Int(max(1, (upload.size + size - 1) / size))
    }

    func run(timeout: Duration) async throws -> URL {
        var open = APIRequest(.post, .path(["files", "upload", "multipart"]), intent: .idempotent)
        open.headers = try upload.cdnHeaders()
        let answer = try await cdn.send(open)
        let opened = try cdn.decode(Opened.self, from: answer)
        let accessURL = try CDNFile(accessURL: opened.accessURL).url(from: cdn)
        // The token goes only to its CDN: an access URL elsewhere is refused before any part is sent.
        guard Origin(accessURL) == Origin(cdn.baseURL) else {
            throw MediaGenError(
                .decoding(snippet: cdn.snippet(of: answer.body)), provider: .fal,
                message:
                    "the CDN answered an access_url on another host than its own; no part was sent, so the upload token stays with the CDN"
            )
        }
        var base = accessURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }

        let sent = Locked([Int: Int64]())
        let total = upload.size
        let report = upload.progress
        let parts = try await withThrowingTaskGroup(of: Part.self) { group in
            var next = 1
            var parts: [Part] = []
            func start() throws {
                let number = next
                next += 1
                let url = try partURL(base, opened.uploadID, "\(number)")
                group.addTask {
                    try await send(part: number, to: url, timeout: timeout) { bytes in
                        guard let report else { return }
                        let done = sent.withLock { sent in
                            sent[number] = bytes
                            return sent.values.reduce(0, +)
                        }
                        report(TransferProgress(bytesTransferred: done, totalBytes: total))
                    }
                }
            }
            while next <= min(partCount, upload.options.concurrentParts) { try start() }
            while let part = try await group.next() {
                parts.append(part)
                if next <= partCount { try start() }
            }
            return parts.sorted { $0.partNumber < $1.partNumber }
        }

        let complete = APIRequest(
            .post, .url(try partURL(base, opened.uploadID, "complete")),
            body: try cdn.jsonBody(Completion(parts: parts)), intent: .idempotent)
        _ = try await cdn.send(complete)
        return accessURL
    }

    /// `{access_url}/multipart/{uploadId}/{last}`, the id checked and percent-encoded as a segment.
    /// An id that cannot be one (empty, `..`, a control character) is the CDN's answer at fault.
    private func partURL(_ base: String, _ uploadID: String, _ last: String) throws(MediaGenError) -> URL {
        let text = try? RequestValidation.path(
            base, appending: ["multipart", uploadID, last], field: "uploadId", provider: .fal)
        guard let text, let url = URL(string: text) else {
            throw MediaGenError(
                .decoding(snippet: cdn.scrub(String(uploadID.prefix(200)))), provider: .fal,
                message:
                    "the CDN's uploadId cannot address a part: it is empty, a dot segment, or holds a control character"
            )
        }
        return url
    }

    private func send(
        part number: Int, to url: URL, timeout: Duration,
        progress: @escaping @Sendable (Int64) -> Void
    ) async throws -> Part {
        let offset = Int64(number - 1) * upload.options.partSize
        let length = min(upload.options.partSize, upload.size - offset)
        let body = try partBody(offset: offset, length: length)
        defer { body.removeCopy() }
        var put = APIRequest(
            .put, .url(url),
            // `identity`: an encoded answer may lose the ETag (fal's Python client asks the same).
            headers: ["Content-Type": upload.source.contentType, "Accept-Encoding": "identity"],
            body: body.body,
            intent: .idempotent,
            timeout: max(timeout, .seconds(length / 1_000_000)))
        put.progress = { progress($0.bytesTransferred) }
        let answer = try await cdn.send(put)
        guard let etag = answer.headers["ETag"], !etag.isEmpty else {
            throw MediaGenError(
                .decoding(snippet: cdn.snippet(of: answer.body)), provider: .fal,
                message: "the CDN answered part \(number) without an ETag, which completing the upload needs")
        }
        return Part(partNumber: number, etag: etag)
    }

    /// A part's body, and the temporary file holding it when it came from a file.
    private struct PartBody {
        let body: APIRequest.Body
        let copy: URL?

        func removeCopy() {
            if let copy { try? FileManager.default.removeItem(at: copy) }
        }
    }

    /// A part of in-memory data is a slice of it. A part of a file is copied, 1 MiB at a time, to
    /// a temporary file the transport streams from, as it does whole files: held in memory, ten
    /// 10 MiB parts (and Foundation's copy of each as it sends it) took a 1 GiB upload to
    /// 130 MiB resident on Linux; copied, it stays flat (Benchmarks, figure 8).
    private func partBody(offset: Int64, length: Int64) throws(MediaGenError) -> PartBody {
        switch upload.source {
        case .data(let data, _, _):
            let start = data.startIndex + Int(offset)
            return PartBody(
                body: .data(data.subdata(in: start..<(start + Int(length))), contentType: upload.source.contentType),
                copy: nil)
        case .file(let file, _):
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
                "mediagen-fal-part-\(UUID().uuidString)")
            do {
                try Self.copy(file, from: offset, length: length, to: copy)
            } catch {
                try? FileManager.default.removeItem(at: copy)
                throw MediaGenError(
                    .file(path: file.path), provider: .fal,
                    message:
                        "could not read bytes \(offset)–\(offset + length) of \(file.lastPathComponent) for the upload: was it changed or removed while uploading? (\(error.localizedDescription))"
                )
            }
            return PartBody(body: .file(copy, contentType: upload.source.contentType), copy: copy)
        case .url:
            return PartBody(body: .none, copy: nil)
        }
    }

    /// Copies `length` bytes from `offset` with `pread` and `write` through one 256 KiB buffer:
    /// no allocation per chunk, so nothing is left behind for the allocator to keep.
    private static func copy(_ file: URL, from offset: Int64, length: Int64, to copy: URL) throws {
        let source = open(file.path, O_RDONLY)
        guard source >= 0 else { throw CocoaError(.fileReadNoSuchFile) }
        defer { close(source) }
        let sink = open(copy.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard sink >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(sink) }
        try withUnsafeTemporaryAllocation(byteCount: 256 << 10, alignment: 16) { buffer in
            var done: Int64 = 0
            while done < length {
                let read = pread(
                    source, buffer.baseAddress, min(buffer.count, Int(length - done)), off_t(offset + done))
                guard read > 0 else { throw CocoaError(read == 0 ? .fileReadCorruptFile : .fileReadUnknown) }
                var written = 0
                while written < read {
                    let count = write(sink, buffer.baseAddress! + written, read - written)
                    guard count > 0 else { throw CocoaError(.fileWriteUnknown) }
                    written += count
                }
                done += Int64(read)
            }
        }
    }
}

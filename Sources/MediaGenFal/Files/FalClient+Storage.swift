import Foundation
import MediaGenCore

extension FalClient {
    /// A URL to put in an app input's file field: a public URL as is, a small local file as a
    /// `data:` URI, a larger one uploaded to fal's storage.
    ///
    /// ```swift
    /// let voice = try await fal.fileURL(for: .file(URL(fileURLWithPath: "voice.wav")))
    /// let input: JSONValue = ["audio_url": .string(voice.absoluteString)]
    ///
    /// // Always upload, or always inline:
    /// _ = try await fal.fileURL(for: source, dataURILimit: 0)
    /// _ = try await fal.fileURL(for: source, dataURILimit: .max)
    /// ```
    ///
    /// Files of at most `dataURILimit` bytes (1 MiB by default) go inline, as fal suggests for
    /// small files: no upload, but a bigger request body. Anything larger goes through
    /// ``upload(_:)``, streamed from disk.
    public func fileURL(for source: FileSource, dataURILimit: Int64 = FalClient.defaultDataURILimit)
        async throws -> URL
    {
        if case .url(let url) = source { return url }
        let size = try source.byteCount() ?? 0
        guard size > dataURILimit else {
            let text = try source.dataURI()
            guard let url = URL(string: text) else {
                throw MediaGenError.invalidInput(
                    "file", "cannot form a data URI for \(source.fileName)", provider: .fal)
            }
            return url
        }
        return try await upload(source)
    }

    /// Uploads a local file or bytes to fal's storage and returns the file's public URL.
    ///
    /// ```swift
    /// let url = try await fal.upload(.file(URL(fileURLWithPath: "reference.wav")))
    /// ```
    ///
    /// Two steps, as fal's clients do: `POST {rest}/storage/upload/initiate?storage_type=gcs` with
    /// the file's name and type answers an upload URL and the file's URL; then the bytes are
    /// `PUT` to the upload URL — streamed from disk for a file, and with no `Authorization`: the
    /// upload URL is a credential of its own, and fal's key must not travel to the storage host.
    /// A URL source is returned as is.
    public func upload(_ source: FileSource) async throws -> URL {
        let body: APIRequest.Body
        switch source {
        case .url(let url):
            return url
        case .data(let data, _, _):
            body = .data(data, contentType: source.contentType)
        case .file(let file, _):
            body = .file(file, contentType: source.contentType)
        }
        try RequestValidation.checkFileSource(source)  // its name and type are sent in headers and JSON
        let size = try source.byteCount() ?? 0
        let initiate = APIRequest(
            .post,
            .path(["storage", "upload", "initiate"]),
            query: [("storage_type", "gcs")],
            body: try rest.jsonBody(UploadInitiation(fileName: source.fileName, contentType: source.contentType)),
            // Starting an upload creates nothing billable: a repeated one only leaves an unused URL.
            intent: .idempotent
        )
        let answer = try await rest.send(initiate)
        let slot = try rest.decode(UploadSlot.self, from: answer)
        guard let uploadURL = URL(string: slot.uploadURL), let fileURL = URL(string: slot.fileURL) else {
            // The snippet is the answer's start, as for every decoding error: the bad value may be
            // empty, and the other field may be the bad one.
            throw MediaGenError(
                .decoding(snippet: rest.snippet(of: answer.body)), provider: .fal,
                message: "the storage answer's upload_url or file_url is not a URL")
        }
        var put = APIRequest(
            .put, .url(uploadURL), body: body, intent: .idempotent, timeout: uploadTimeout(bytes: size))
        put.sendsCredential = false
        _ = try await rest.send(put)
        return fileURL
    }

    /// The client's timeout, stretched for large files so that at least 1 MB/s gets them through.
    private func uploadTimeout(bytes: Int64) -> Duration {
        max(configuration.timeout, .seconds(bytes / 1_000_000))
    }
}

/// `{"file_name", "content_type"}`.
private struct UploadInitiation: Encodable {
    let fileName: String
    let contentType: String

    enum CodingKeys: String, CodingKey {
        case fileName = "file_name"
        case contentType = "content_type"
    }
}

/// `{"upload_url", "file_url"}`.
private struct UploadSlot: Decodable {
    let uploadURL: String
    let fileURL: String

    enum CodingKeys: String, CodingKey {
        case uploadURL = "upload_url"
        case fileURL = "file_url"
    }
}

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
    /// ``upload(_:options:progress:)``, streamed from disk.
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
    ///
    /// // A large file, with progress:
    /// let video = try await fal.upload(.file(URL(fileURLWithPath: "take.mov"))) { progress in
    ///     print("\(Int((progress.fraction ?? 0) * 100)) %")
    /// }
    /// ```
    ///
    /// As fal's official clients do, by default:
    /// - **The CDN** first. `POST {rest}/storage/auth/token?storage_type=fal-cdn-v3` answers a
    ///   short-lived token and the CDN's address (kept, and shared by every copy of the client,
    ///   until a minute before it lapses); the file is then `POST`ed to `{cdn}/files/upload`.
    ///   Above ``FalUploadOptions/multipartThreshold`` (100 MiB) it goes in parts: the upload is
    ///   opened at `{cdn}/files/upload/multipart`, each 10 MiB part is `PUT` and retried on its
    ///   own, and the parts' ETags complete it.
    /// - **GCS** if the CDN fails: `POST {rest}/storage/upload/initiate?storage_type=gcs` answers
    ///   a signed URL the file is `PUT` to.
    ///
    /// A file is streamed from disk (a part is read when it is sent), so memory stays flat
    /// whatever its size. The fal key goes only to the REST host; the CDN gets its token, and
    /// the signed URL nothing. `progress` hears the bytes sent (each retried attempt counts from
    /// zero again). Options are checked, and a missing file refused, before anything is sent. A
    /// URL source is returned as is.
    public func upload(
        _ source: FileSource,
        options: FalUploadOptions = FalUploadOptions(),
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) async throws -> URL {
        if case .url(let url) = source { return url }
        try RequestValidation.checkFileSource(source)  // its name and type are sent in headers and JSON
        let repositories = try options.checked()
        let upload = StorageUpload(
            source: source, size: try source.byteCount() ?? 0, options: options, progress: progress)
        var lastError: (any Error)?
        for repository in repositories {
            do {
                switch repository {
                case .cdn: return try await uploadToCDN(upload)
                case .gcs: return try await uploadToGCS(upload)
                }
            } catch {
                guard Self.mayFallBack(after: error) else { throw error }
                lastError = error
            }
        }
        throw lastError ?? MediaGenError.invalidInput("repositories", "no repository was tried", provider: .fal)
    }

    /// `false` when the next repository would fail the same way: the call was cancelled, or the
    /// local file could not be read.
    private static func mayFallBack(after error: any Error) -> Bool {
        if error is CancellationError { return false }
        guard let error = error as? MediaGenError else { return true }
        switch error.kind {
        case .canceled, .file: return false
        default: return true
        }
    }

    // MARK: - GCS

    private func uploadToGCS(_ upload: StorageUpload) async throws -> URL {
        let initiate = APIRequest(
            .post,
            .path(["storage", "upload", "initiate"]),
            query: [("storage_type", "gcs")],
            headers: try upload.lifecycleHeaders(),
            body: try rest.jsonBody(
                UploadInitiation(fileName: upload.source.fileName, contentType: upload.source.contentType)),
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
            .put, .url(uploadURL), body: upload.body, intent: .idempotent, timeout: upload.timeout(configuration))
        put.sendsCredential = false
        put.progress = upload.progress
        _ = try await rest.send(put)
        return fileURL
    }

    // MARK: - CDN

    private func uploadToCDN(_ upload: StorageUpload) async throws -> URL {
        let cdn = try await cdnExecutor()
        do {
            if upload.size > upload.options.multipartThreshold {
                return try await FalMultipartUpload(upload: upload, cdn: cdn).run(timeout: configuration.timeout)
            }
            var post = APIRequest(
                .post, .path(["files", "upload"]),
                headers: try upload.cdnHeaders(),
                body: upload.body,
                // Stores a file and charges nothing; fal's clients send it again on failure.
                intent: .idempotent,
                timeout: upload.timeout(configuration))
            post.progress = upload.progress
            return try await cdn.send(post, decoding: CDNFile.self).url(from: cdn)
        } catch let error as MediaGenError where error.kind.case == .authentication {
            cdnTokens.discard()
            throw error
        }
    }

    /// An executor for the token's CDN: the token as its credential (sent to that origin only,
    /// scrubbed from its answers), the client's settings without headers that carry credentials.
    private func cdnExecutor() async throws -> RequestExecutor {
        let token = try await cdnTokens.token(now: Date()) {
            let answer = try await rest.send(
                APIRequest(
                    .post, .path(["storage", "auth", "token"]),
                    query: [("storage_type", "fal-cdn-v3")],
                    body: .json(Data("{}".utf8)),
                    // A token is a read of a credential: asking twice costs nothing.
                    intent: .idempotent))
            do {
                return try JSONReader().decode(FalCDNToken.self, from: answer.body)
            } catch {
                // The answer holds a credential: the snippet shows it without the token's value.
                let token = (try? JSONReader().decode(JSONValue.self, from: answer.body))?["token"]?.stringValue
                let body = Data(
                    Redaction.scrub(String(decoding: answer.body, as: UTF8.self), secrets: token.map { [$0] } ?? [])
                        .utf8)
                throw MediaGenError(
                    .decoding(snippet: rest.snippet(of: body)), provider: .fal,
                    message: "fal's CDN token answer could not be read: \(Redaction.describe(error))",
                    httpStatus: answer.status)
            }
        }
        var configuration = rest.configuration
        configuration.baseURL = token.baseURL
        configuration.additionalHeaders = HTTPHeaders(
            configuration.additionalHeaders.fields.filter { !HTTPHeaders.isSensitive($0.name) })
        let scheme = token.tokenType
        let dialect = ProviderDialect.fal(baseURL: token.baseURL, authorization: { "\(scheme) \($0)" })
        return RequestExecutor(dialect: dialect, configuration: configuration, apiKey: token.token.value)
    }
}

/// One upload's source and settings, as every repository's flow needs them.
struct StorageUpload: Sendable {
    let source: FileSource
    let size: Int64
    let options: FalUploadOptions
    let progress: (@Sendable (TransferProgress) -> Void)?

    var body: APIRequest.Body {
        switch source {
        case .data(let data, _, _): .data(data, contentType: source.contentType)
        case .file(let file, _): .file(file, contentType: source.contentType)
        case .url: .none
        }
    }

    /// The client's timeout, stretched for large bodies so that at least 1 MB/s gets them through.
    func timeout(_ configuration: ClientConfiguration, bytes: Int64? = nil) -> Duration {
        max(configuration.timeout, .seconds((bytes ?? size) / 1_000_000))
    }

    /// Both lifecycle headers, as fal's Python client sends them: the CDN reads
    /// `X-Fal-Object-Lifecycle`, storage initiation `X-Fal-Object-Lifecycle-Preference`.
    func lifecycleHeaders() throws(MediaGenError) -> HTTPHeaders {
        guard let lifecycle = try options.lifecycleHeader() else { return [:] }
        return ["X-Fal-Object-Lifecycle": lifecycle, "X-Fal-Object-Lifecycle-Preference": lifecycle]
    }

    /// The CDN's file headers: type, name and lifecycle.
    func cdnHeaders() throws(MediaGenError) -> HTTPHeaders {
        var headers = try lifecycleHeaders()
        headers["Content-Type"] = source.contentType
        headers["X-Fal-File-Name"] = Self.headerFileName(source.fileName)
        return headers
    }

    /// The name as a header can carry it: printable ASCII as is, anything else percent-encoded.
    static func headerFileName(_ name: String) -> String {
        guard name.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) else {
            return PercentEncoding.encode(name)
        }
        return name
    }
}

/// `{"access_url"}`: where an uploaded file is served.
struct CDNFile: Decodable {
    let accessURL: String

    enum CodingKeys: String, CodingKey {
        case accessURL = "access_url"
    }

    /// The access URL, which must be http(s) with a host.
    func url(from cdn: RequestExecutor) throws(MediaGenError) -> URL {
        guard let url = URL(string: accessURL), let host = url.host, !host.isEmpty,
            ["http", "https"].contains(url.scheme?.lowercased() ?? "")
        else {
            throw MediaGenError(
                .decoding(snippet: cdn.scrub(String(accessURL.prefix(200)))), provider: .fal,
                message: "the CDN's access_url is not an http(s) URL")
        }
        return url
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

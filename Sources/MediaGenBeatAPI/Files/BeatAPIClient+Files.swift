import Foundation
import MediaGenCore

extension BeatAPIClient {
    /// Uploads a local file for use as a workflow input (`POST /v1/files`, multipart `file` and
    /// `purpose=input`), streamed from disk, and returns it with the URL to pass as an input.
    ///
    /// ```swift
    /// let song = try await beatAPI.upload(.file(URL(fileURLWithPath: "song.mp3")))
    /// let input = MusicVideoInput(imageURLs: [cover], audioURL: song.url, prompt: "…", language: .english)
    /// ```
    ///
    /// Workflow creates upload local sources themselves; call this to upload once and reuse the
    /// URL. The upload carries an `Idempotency-Key` (yours, or one made for this call) so that a
    /// retried upload does not store the file twice where BeatAPI de-duplicates.
    public func upload(_ source: FileSource, idempotencyKey: String? = nil) async throws -> BeatAPIFile {
        let key = try RequestValidation.idempotencyKey(idempotencyKey, provider: .beatAPI)
        switch source {
        case .url(let url):
            throw MediaGenError.invalidInput(
                "file", "\(url.absoluteString) is already a URL: pass it as the input instead", provider: .beatAPI)
        case .file, .data:
            try inputRule.check(source, for: .init(field: "file", family: nil))
        }
        return try await store(source, idempotencyKey: key)
    }

    /// Uploads a file; renamed ``upload(_:idempotencyKey:)``.
    @available(*, deprecated, renamed: "upload(_:idempotencyKey:)")
    public func uploadFile(_ source: FileSource, idempotencyKey: String? = nil) async throws -> BeatAPIFile {
        try await upload(source, idempotencyKey: idempotencyKey)
    }

    private func store(_ source: FileSource, idempotencyKey: String) async throws -> BeatAPIFile {
        var form = MultipartFormData()
        form.append(file: "file", source: source)
        form.append(field: "purpose", value: "input")
        let request = APIRequest(
            .post, .path(["files"]), body: .multipart(form),
            intent: .create(idempotencyKey: idempotencyKey, charge: nil))
        return try await send(request, as: BeatAPIFile.self)
    }

    /// Each source as the URL string to send: URLs as given, local files uploaded in order. Upload
    /// keys derive from the create's key (`{key}-file-{index}`, or the key's SHA-256 in hex when
    /// that would pass 255 characters), so resending a create with the same key re-uploads under
    /// the same keys.
    func inputURLs(for sources: [FileSource], idempotencyKey: String) async throws -> [String] {
        // Every file checked before the first upload: a bad third file must not leave two uploaded.
        for source in sources { try RequestValidation.checkFileSource(source) }
        var urls: [String] = []
        for (index, source) in sources.enumerated() {
            if case .url(let url) = source {
                urls.append(url.absoluteString)
            } else {
                let file = try await store(
                    source,
                    idempotencyKey: RequestValidation.derivedIdempotencyKey(
                        from: idempotencyKey, suffix: "-file-\(index)")
                )
                urls.append(file.url.absoluteString)
            }
        }
        return urls
    }

    /// A create that uploads first asks the budget before uploading, so that a create the budget
    /// refuses uploads nothing. It only asks: the executor counts the create itself when it is
    /// sent, and a charge taken and given back here could refuse a concurrent create meanwhile.
    func refuseEarlyIfOverBudget(_ sources: [FileSource], workflow: BeatAPIWorkflowID, estimate: Money?) async throws {
        guard let budget = configuration.budget,
            sources.contains(where: { if case .url = $0 { false } else { true } })
        else { return }
        try await budget.ensureAffordable(estimate, for: workflow.rawValue, provider: .beatAPI)
    }
}

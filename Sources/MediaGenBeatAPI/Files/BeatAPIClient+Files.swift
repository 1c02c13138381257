import Foundation
import MediaGenCore

extension BeatAPIClient {
    /// Uploads a local file for use as a workflow input (`POST /v1/files`, multipart `file` and
    /// `purpose=input`), streamed from disk, and returns it with the URL to pass as an input.
    ///
    /// ```swift
    /// let song = try await beatAPI.upload(.file(URL(fileURLWithPath: "song.mp3")))
    /// print(song.audioDurationSeconds ?? "not measured")   // BeatAPI measures uploaded audio
    /// let input = MusicVideoInput(imageURLs: [cover], audioURL: song.url, prompt: "…", language: .english)
    /// ```
    ///
    /// Workflow creates upload local sources themselves; call this to upload once and reuse the
    /// URL. BeatAPI's published description documents no `Idempotency-Key` for uploads, so none is
    /// sent, and an upload that may have reached BeatAPI is not sent again: a failure after that
    /// point is reported as `.outcomeUnknown` rather than risk storing the file twice.
    ///
    /// `progress` hears the bytes of the multipart body sent so far, out of its whole size (the
    /// file plus a few hundred bytes of part headers):
    ///
    /// ```swift
    /// let clip = try await beatAPI.upload(.file(URL(fileURLWithPath: "cover.png"))) { progress in
    ///     print("\(Int((progress.fraction ?? 0) * 100)) %")
    /// }
    /// ```
    public func upload(
        _ source: FileSource,
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) async throws -> BeatAPIFile {
        switch source {
        case .url(let url):
            throw MediaGenError.invalidInput(
                "file", "\(url.absoluteString) is already a URL: pass it as the input instead", provider: .beatAPI)
        case .file, .data:
            try inputRule.check(source, for: .init(field: "file", family: nil))
        }
        return try await store(source, progress: progress)
    }

    /// Uploads a file. BeatAPI does not de-duplicate uploads, so the key is checked and then not
    /// sent; use ``upload(_:progress:)``.
    @available(*, deprecated, renamed: "upload(_:)", message: "BeatAPI documents no Idempotency-Key for uploads")
    public func upload(_ source: FileSource, idempotencyKey: String?) async throws -> BeatAPIFile {
        _ = try RequestValidation.idempotencyKey(idempotencyKey, provider: .beatAPI)
        return try await upload(source)
    }

    /// Uploads a file; renamed ``upload(_:progress:)``.
    @available(*, deprecated, renamed: "upload(_:)")
    public func uploadFile(_ source: FileSource, idempotencyKey: String? = nil) async throws -> BeatAPIFile {
        _ = try RequestValidation.idempotencyKey(idempotencyKey, provider: .beatAPI)
        return try await upload(source)
    }

    /// `POST /v1/files`: a create BeatAPI does not de-duplicate, so it carries no key and the
    /// executor never re-sends it once it may have arrived.
    private func store(
        _ source: FileSource,
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) async throws -> BeatAPIFile {
        var form = MultipartFormData()
        form.append(file: "file", source: source)
        form.append(field: "purpose", value: "input")
        var request = APIRequest(
            .post, .path(["files"]), body: .multipart(form),
            intent: .create(idempotencyKey: nil, charge: nil))
        request.progress = progress
        return try await send(request, as: BeatAPIFile.self)
    }

    /// Each source as the URL string to send: URLs as given, local files uploaded in order.
    func inputURLs(for sources: [FileSource]) async throws -> [String] {
        try await uploadedInputs(for: sources).map(\.url)
    }

    /// Each source as the URL string to send, with the file BeatAPI stored for a local one (which
    /// says how long an uploaded song is).
    func uploadedInputs(for sources: [FileSource]) async throws -> [(url: String, file: BeatAPIFile?)] {
        // Every file checked before the first upload: a bad third file must not leave two uploaded.
        for source in sources { try RequestValidation.checkFileSource(source) }
        var inputs: [(url: String, file: BeatAPIFile?)] = []
        for source in sources {
            if case .url(let url) = source {
                inputs.append((url.absoluteString, nil))
            } else {
                let file = try await store(source)
                inputs.append((file.url.absoluteString, file))
            }
        }
        return inputs
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

import Foundation
import MediaGenCore

/// A client of Beatra's music API (Preview): text to music, reference audio to music, uploads,
/// tasks, and credit billing.
///
/// ```swift
/// import MediaGenBeatra
///
/// let beatra = BeatraClient()   // BEATRA_API_KEY, and BEATRA_BASE_URL when set
/// let request = BeatraMusicRequest(
///     model: .suno55, prompt: "dream pop, warm analog drums, bright chorus",
///     lyrics: "[Verse]\nCity lights are waking", instrumental: false,
///     modelOptions: SunoOptions(customMode: true, styleWeight: 0.6))
/// print(beatra.estimateCost(of: request)!)   // 80 Beatra credits (≈ $0.08)
/// let task = try await beatra.run(request) { print($0.status, $0.progress?.message ?? "") }
/// for clip in task.outputs {
///     try await clip.download(to: URL(fileURLWithPath: "outputs/"), configuration: beatra.configuration)
/// }
/// ```
///
/// Every create carries an `Idempotency-Key`, generated once per call (or yours) and sent
/// unchanged on every retry, so a create whose answer was lost is retried and Beatra returns the
/// first task instead of debiting a second one. Beatra's `retryable` verdict on an error decides
/// whether anything is retried. Music is prepaid: the catalog's credit price is counted against
/// the client's `Budget` before sending. Beatra has no callbacks yet, so tasks are followed by
/// polling (see ``BeatraCatalog/pollingPolicy``).
public struct BeatraClient: MediaClient, MusicGenerating {
    public typealias RemoteTask = BeatraTask

    /// The documented base URL.
    public static let defaultBaseURL = URL.constant("https://api.beatra.ai/v1")
    /// The environment variable holding the API key.
    public static let apiKeyVariable = "BEATRA_API_KEY"
    /// The environment variable that overrides the base URL.
    public static let baseURLVariable = "BEATRA_BASE_URL"

    public let provider = Provider.beatra
    private let executor: RequestExecutor
    /// A setting that cannot work (an unreadable `BEATRA_BASE_URL`): every call throws it before sending.
    private let setupError: MediaGenError?

    /// Creates a client.
    ///
    /// ```swift
    /// let beatra = BeatraClient()   // BEATRA_API_KEY; BEATRA_BASE_URL when set
    /// let local = BeatraClient(apiKey: "test-beatra-key", baseURL: URL(string: "http://127.0.0.1:8089/beatra/v1")!)
    /// ```
    ///
    /// - `apiKey`: defaults to `BEATRA_API_KEY`; without a key, calls fail with `.authentication`
    ///   before sending anything.
    /// - `baseURL`: the explicit base URL wins; then `configuration.baseURL`; then `BEATRA_BASE_URL`;
    ///   then `https://api.beatra.ai/v1`. An unreadable `BEATRA_BASE_URL` makes every call fail
    ///   with an error naming it, rather than sending the key elsewhere.
    /// - `environment`: where the variables are read (the process environment by default).
    public init(
        apiKey: String? = nil,
        baseURL: URL? = nil,
        configuration: ClientConfiguration = ClientConfiguration(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        var configuration = configuration
        var setupError: MediaGenError?
        if let baseURL {
            configuration.baseURL = baseURL
        } else if configuration.baseURL == nil, let text = environment[Self.baseURLVariable], !text.isEmpty {
            if let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
            {
                configuration.baseURL = url
            } else {
                setupError = .invalidInput(
                    Self.baseURLVariable, "is not an http(s) URL: \(text.prefix(100))", provider: .beatra)
            }
        }
        self.executor = RequestExecutor(
            dialect: .beatra, configuration: configuration, apiKey: apiKey ?? environment[Self.apiKeyVariable])
        self.setupError = setupError
    }

    /// Timeouts, retries, budget, transport and clock; pass it on to downloads.
    ///
    /// ```swift
    /// try await clip.file.download(to: folder, configuration: beatra.configuration)
    /// ```
    public var configuration: ClientConfiguration { executor.configuration }
    /// The two documented models (``BeatraCatalog/models``).
    ///
    /// ```swift
    /// print(beatra.model("suno-5.5")?.price ?? "unknown")   // 80 Beatra credits (≈ $0.08) per task
    /// ```
    public var catalog: [ModelDescriptor] { BeatraCatalog.models }
    /// Where requests go.
    ///
    /// ```swift
    /// print(BeatraClient(environment: [:]).baseURL)   // https://api.beatra.ai/v1
    /// ```
    public var baseURL: URL { executor.baseURL }

    // MARK: - Music

    /// Creates a music task and returns it at once, `queued`: `POST /v1/music/text-to-music`, or
    /// with `referenceAudio`, `POST /v1/music/reference-audio-to-music`.
    ///
    /// ```swift
    /// let request = BeatraMusicRequest(model: .suno55, prompt: "an upbeat synth-pop song about late trains")
    /// let task = try await beatra.createTask(request, idempotencyKey: "campaign-7-track-1")
    /// let done = try await beatra.wait(for: task)
    /// ```
    ///
    /// The request is checked first and its price counted against the budget. The
    /// `Idempotency-Key` is `idempotencyKey` or a new UUID, the same on every retry; pass your own
    /// to resend a call whose outcome was unknown without creating a second task. A key reused
    /// with a different body fails with `.conflict`.
    ///
    /// A local ``ReferenceAudio/file(_:)`` is uploaded first (``upload(_:idempotencyKey:progress:)``) and
    /// sent by artifact id. To resend after an unknown outcome with the same `idempotencyKey`,
    /// upload once yourself and pass ``ReferenceAudio/artifact(id:)``: a second upload is a new
    /// artifact, hence a different body, which Beatra refuses for a reused key.
    public func createTask<Model>(
        _ request: BeatraMusicRequest<Model>,
        referenceAudio: ReferenceAudio? = nil,
        idempotencyKey: String? = nil
    ) async throws -> BeatraTask {
        try request.validate()
        let key = try RequestValidation.idempotencyKey(idempotencyKey, provider: .beatra)
        guard let referenceAudio else {
            return try await create(request, route: "text-to-music", reference: nil, key: key)
        }
        let wire = try await resolve(referenceAudio, before: request)
        return try await create(request, route: "reference-audio-to-music", reference: wire, key: key)
    }

    /// `POST /v1/music/text-to-music`: the name before ``createTask(_:referenceAudio:idempotencyKey:)``.
    @available(*, deprecated, renamed: "createTask(_:idempotencyKey:)")
    public func textToMusic<Model>(_ request: BeatraMusicRequest<Model>, idempotencyKey: String? = nil)
        async throws -> BeatraTask
    {
        try await createTask(request, idempotencyKey: idempotencyKey)
    }

    /// `POST /v1/music/reference-audio-to-music`: the name before ``createTask(_:referenceAudio:idempotencyKey:)``.
    @available(*, deprecated, renamed: "createTask(_:referenceAudio:idempotencyKey:)")
    public func referenceAudioToMusic<Model>(
        _ request: BeatraMusicRequest<Model>,
        referenceAudio: ReferenceAudio,
        idempotencyKey: String? = nil
    ) async throws -> BeatraTask {
        try await createTask(request, referenceAudio: referenceAudio, idempotencyKey: idempotencyKey)
    }

    /// Creates the task (from reference audio when given) and follows it to its end, reporting each
    /// change; returns the succeeded task.
    ///
    /// ```swift
    /// let task = try await beatra.run(request, rerunsOfRetryableFailures: 1) { update in
    ///     print(update.rawStatus, update.progress?.message ?? "")
    /// }
    /// print(task.clips.map(\.artifactID))
    /// ```
    ///
    /// When the task fails and Beatra marks the failure `retryable` (the failed task is refunded),
    /// it is created again, with a new idempotency key, up to `rerunsOfRetryableFailures` times.
    /// Otherwise throws `.taskFailed` or `.canceled` with the task id.
    public func run<Model>(
        _ request: BeatraMusicRequest<Model>,
        referenceAudio: ReferenceAudio? = nil,
        policy: PollingPolicy? = nil,
        rerunsOfRetryableFailures: Int = 0,
        onUpdate: (@Sendable (BeatraTask) -> Void)? = nil
    ) async throws -> BeatraTask {
        try request.validate()
        let wire = try await referenceAudio.asyncMap { try await resolve($0, before: request) }
        var reruns = 0
        while true {
            let created = try await create(
                request,
                route: wire == nil ? "text-to-music" : "reference-audio-to-music",
                reference: wire,
                key: try RequestValidation.idempotencyKey(nil, provider: .beatra)
            )
            do {
                return try await wait(for: created, policy: policy, onUpdate: onUpdate)
            } catch let error as MediaGenError {
                guard error.kind.failure?.retryable == true, reruns < rerunsOfRetryableFailures
                else { throw error }
                reruns += 1
            }
        }
    }

    /// What one task of `request` costs (the catalog's flat price in credits), or `nil` for a
    /// model the catalog does not list.
    ///
    /// ```swift
    /// let cost = beatra.estimateCost(of: request)        // 80 Beatra credits (≈ $0.08)
    /// print(cost?.converted(to: .usd) ?? "unknown")      // $0.08
    /// ```
    public func estimateCost<Model>(of request: BeatraMusicRequest<Model>) -> Money? {
        request.estimatedCost
    }

    // MARK: - Uploads

    /// `POST /v1/uploads` with `purpose=reference_audio`: stores an audio file and returns its
    /// artifact, to use as reference audio (as many times as you like).
    ///
    /// ```swift
    /// let artifact = try await beatra.upload(.file(URL(fileURLWithPath: "reference.mp3")))
    /// let task = try await beatra.createTask(request, referenceAudio: artifact.referenceAudio)
    /// ```
    ///
    /// The multipart body streams from disk. The file must be audio (`audio/*`, from its extension
    /// or the content type you give); a `.url` source needs no upload and is refused here.
    /// `progress` hears the bytes of the multipart body sent so far, out of its whole size.
    public func upload(
        _ source: FileSource,
        idempotencyKey: String? = nil,
        progress: (@Sendable (TransferProgress) -> Void)? = nil
    ) async throws -> BeatraArtifact {
        if case .url(let url) = source {
            throw MediaGenError.invalidInput(
                "file", "\(url.absoluteString) is remote: pass it as ReferenceAudio.url instead of uploading",
                provider: .beatra)
        }
        guard source.contentType.lowercased().hasPrefix("audio/") else {
            throw MediaGenError.invalidInput(
                "file",
                "reference audio must be audio/*, got \(source.contentType) for \(source.fileName); give the content type if the extension does not tell it",
                provider: .beatra
            )
        }
        _ = try source.byteCount()  // a missing file fails here, before anything is sent
        let key = try RequestValidation.idempotencyKey(idempotencyKey, provider: .beatra)
        var form = MultipartFormData()
        form.append(field: "purpose", value: "reference_audio")
        form.append(file: "file", source: source)
        var request = APIRequest(
            .post, .path(["uploads"]), body: .multipart(form), intent: .create(idempotencyKey: key, charge: nil))
        request.progress = progress
        return try executor.decode(BeatraArtifact.self, from: try await send(request))
    }

    /// Uploads reference audio; renamed ``upload(_:idempotencyKey:progress:)``.
    @available(*, deprecated, renamed: "upload(_:idempotencyKey:progress:)")
    public func uploadReferenceAudio(_ source: FileSource, idempotencyKey: String? = nil) async throws
        -> BeatraArtifact
    {
        try await upload(source, idempotencyKey: idempotencyKey)
    }

    // MARK: - Tasks

    /// `GET /v1/tasks/{task_id}`: the task's current state (one poll).
    ///
    /// ```swift
    /// let task = try await beatra.task(id: "task_01J…")
    /// print(task.status, task.billing?.charged ?? "")
    /// ```
    public func task(id: String) async throws -> BeatraTask {
        try await sendTask(.get("tasks", id, taskID: id, idField: "task_id"))
    }

    /// `POST /v1/tasks/{task_id}/cancel`: asks Beatra to cancel the task (its credits are
    /// refunded) and returns the task as it then stands. A finished task answers `.conflict`.
    ///
    /// ```swift
    /// let canceled = try await beatra.cancelTask(id: task.id)
    /// print(canceled.billing?.refunded ?? "")   // 80 Beatra credits (≈ $0.08)
    /// ```
    @discardableResult
    public func cancelTask(id: String) async throws -> BeatraTask {
        let response = try await send(
            APIRequest(.post, .path(["tasks", id, "cancel"]), intent: .idempotent, taskID: id, idField: "task_id"))
        // What the cancel answers is not documented: the task when it is one, else a fresh look.
        if var task = try? executor.decode(BeatraTask.self, from: response, taskID: id), task.id == id {
            task.requestID = Self.requestID(in: response)
            return task
        }
        return try await task(id: id)
    }

    /// `GET /v1/tasks?limit=&after=`: one page of your tasks, newest first. `after` is the last
    /// task id of the previous page (``BeatraTaskPage/nextCursor``).
    ///
    /// ```swift
    /// let first = try await beatra.taskPage(limit: 20)
    /// let second = try await beatra.taskPage(limit: 20, after: first.nextCursor)
    /// ```
    public func taskPage(limit: Int? = nil, after: String? = nil) async throws -> BeatraTaskPage {
        if let limit, limit < 1 {
            throw MediaGenError.invalidInput("limit", "must be at least 1, got \(limit)", provider: .beatra)
        }
        var query: [(name: String, value: String)] = []
        if let limit { query.append(("limit", String(limit))) }
        if let after { query.append(("after", after)) }
        let response = try await send(.get("tasks", query: query))
        return try executor.decode(BeatraTaskPage.self, from: response)
    }

    /// One page of your tasks: the name before ``taskPage(limit:after:)``.
    @available(*, deprecated, renamed: "taskPage(limit:after:)")
    public func listTasks(limit: Int? = nil, after: String? = nil) async throws -> BeatraTaskPage {
        try await taskPage(limit: limit, after: after)
    }

    /// All your tasks, newest first, page by page, each fetched as you iterate.
    ///
    /// ```swift
    /// for try await page in beatra.taskPages(limit: 50) { print(page.items.count) }
    /// ```
    public func taskPages(limit: Int? = nil) -> Pages<BeatraTaskPage> {
        Pages { after in try await taskPage(limit: limit, after: after) }
    }

    /// All your tasks, newest first, one at a time, fetched page by page as you iterate.
    ///
    /// ```swift
    /// for try await task in beatra.tasks(limit: 50) where task.status == .succeeded {
    ///     print(task.id, task.clips.count)
    /// }
    /// ```
    public func tasks(limit: Int? = nil) -> PagedItems<BeatraTaskPage> {
        taskPages(limit: limit).items
    }

    // MARK: - MediaClient

    /// One poll of a (possibly persisted) handle; the handle's model fills in a task that omits it.
    ///
    /// ```swift
    /// let task = try await beatra.task(TaskHandle(provider: .beatra, id: "task_01J…", model: "suno-5.5"))
    /// ```
    public func task(_ handle: TaskHandle) async throws -> BeatraTask {
        var task = try await task(id: handle.id)
        task.model = task.model ?? handle.model
        return task
    }

    /// Cancels the task behind `handle` (see ``cancelTask(id:)``).
    ///
    /// ```swift
    /// try await beatra.cancel(task.handle)
    /// ```
    public func cancel(_ handle: TaskHandle) async throws {
        try await cancelTask(id: handle.id)
    }

    // MARK: - Music from any provider

    /// Text to music from a provider-agnostic request.
    ///
    /// ```swift
    /// let task = try await beatra.generateMusic(MusicRequest(prompt: "lo-fi piano", instrumental: true))
    /// ```
    ///
    /// `request.model` defaults to
    /// ``BeatraModelID/suno55``. Beatra has no top-level duration, tempo, key, seed or negative
    /// prompt: those fields are refused, naming the field (describe them in the prompt instead).
    public func generateMusic(_ request: MusicRequest) async throws -> BeatraTask {
        try await createTask(try Self.beatraRequest(for: request))
    }

    /// What ``generateMusic(_:)`` would cost; throws for a field Beatra has no place for.
    ///
    /// ```swift
    /// let cost = try beatra.estimateCost(of: MusicRequest(prompt: "jazz", model: "minimax-music-2.6"))  // 50 credits
    /// ```
    public func estimateCost(of request: MusicRequest) throws -> Money? {
        try Self.beatraRequest(for: request).estimatedCost
    }

    static func beatraRequest(for request: MusicRequest) throws(MediaGenError) -> BeatraMusicRequest<BeatraModelID> {
        let unsupported: [(String, Bool)] = [
            ("duration", request.duration != nil),
            ("bpm", request.bpm != nil),
            ("key", request.key != nil),
            ("seed", request.seed != nil),
            ("negativePrompt", request.negativePrompt != nil),
        ]
        if let field = unsupported.first(where: \.1)?.0 {
            throw .invalidInput(
                field,
                "Beatra has no top-level \(field); describe it in the prompt, or use BeatraMusicRequest with model options",
                provider: .beatra
            )
        }
        let converted = BeatraMusicRequest(
            model: request.model.map(BeatraModelID.init(rawValue:)) ?? .suno55,
            prompt: request.prompt,
            lyrics: request.lyrics,
            instrumental: request.instrumental,
            title: request.title
        )
        try converted.validate()
        return converted
    }

    // MARK: - Sending

    private func create<Model>(
        _ request: BeatraMusicRequest<Model>,
        route: String,
        reference: ReferenceAudio.Wire?,
        key: String
    ) async throws -> BeatraTask {
        let model = request.model.id.rawValue
        let api = APIRequest(
            .post,
            .path(["music", route]),
            body: try executor.jsonBody(request.body(referenceAudio: reference)),
            intent: .create(idempotencyKey: key, charge: .init(model: model, estimate: request.estimatedCost))
        )
        do {
            var task = try await sendTask(api)
            task.model = task.model ?? model
            return task
        } catch var error as MediaGenError where error.kind == .conflict {
            // The one documented 409 of a create: the key was used before with another body.
            error.message +=
                " — the Idempotency-Key \(key) was already used, within Beatra's 24-hour window, for a create with a different body; resend the original body with this key, or use a new key for this request"
            throw error
        }
    }

    /// Turns a reference into what the body carries, uploading a local file first. The budget is
    /// checked before the upload, so a create the budget refuses sends nothing at all.
    private func resolve<Model>(_ reference: ReferenceAudio, before request: BeatraMusicRequest<Model>)
        async throws -> ReferenceAudio.Wire
    {
        switch reference {
        case .artifact(let id):
            try ReferenceAudio.checkArtifact(id)
            return .artifact(id)
        case .url(let url, let form):
            try ReferenceAudio.checkExternal(url)
            return .url(url, form)
        case .file(.url(let url)):
            try ReferenceAudio.checkExternal(url)
            return .url(url, .string)
        case .file(let source):
            // Checked, not counted: the create counts it. Counting and giving back here would
            // make a concurrent create see a budget fuller than it is.
            try await configuration.budget?.ensureAffordable(
                request.estimatedCost, for: request.model.id.rawValue, provider: .beatra)
            return .artifact(try await upload(source).id)
        }
    }

    private func send(_ request: APIRequest) async throws -> HTTPResponse {
        if let setupError { throw setupError }
        return try await executor.send(request)
    }

    private func sendTask(_ request: APIRequest) async throws -> BeatraTask {
        let response = try await send(request)
        var task = try executor.decode(BeatraTask.self, from: response, taskID: request.taskID)
        task.requestID = Self.requestID(in: response)
        return task
    }

    private static func requestID(in response: HTTPResponse) -> String? {
        response.headers["X-Request-Id"]
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async throws -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

import Foundation
import MediaGenCore

/// A client of BeatAPI: music-video and ecommerce-video workflows, account usage, file uploads
/// and webhook endpoints.
///
/// ```swift
/// import MediaGenBeatAPI
///
/// let beatAPI = BeatAPIClient()   // the key comes from BEATAPI_API_KEY
/// let input = MusicVideoInput(
///     imageURLs: [URL(string: "https://cdn.example.com/singer-reference.png")!],
///     audioURL: URL(string: "https://cdn.example.com/song-preview.mp3")!,
///     prompt: "Neon rooftop performance with metro cutaways and cinematic light trails.",
///     language: .english, resolution: .p720)
/// let video = try await beatAPI.run(input) { task in print(task.rawStatus) }
/// try await video.outputs[0].download(to: URL(fileURLWithPath: "outputs/"))
/// ```
///
/// Every call shares MediaGenKit's guarantees: inputs are checked before anything is sent or
/// uploaded; the task creates BeatAPI de-duplicates (music video, ecommerce video: its published
/// description documents `Idempotency-Key` there) carry a key made once per call and resent
/// unchanged on every retry, so a retried create never makes a second task or a second charge;
/// the creates it does not de-duplicate (file uploads, webhook endpoints) carry no key and are
/// never sent again once they may have arrived; reads retry transient failures, honouring
/// `retry_after_seconds`; the account's concurrency limit (`user_concurrency_exceeded`) is
/// reported, not retried. Amounts are US dollars, as BeatAPI bills them.
///
/// Inputs must be public HTTPS URLs, since BeatAPI fetches them itself. To test against a local
/// server, name its host explicitly: `BeatAPIClient(configuration: …, allowedTestHosts: ["127.0.0.1"])`.
public struct BeatAPIClient: MediaClient {
    public typealias RemoteTask = BeatAPITask

    public let provider = Provider.beatAPI
    let executor: RequestExecutor
    let inputRule: InputSourceRule

    /// BeatAPI's documented cadence: poll every 5–10 s (its published description allows 120 polls
    /// a minute per key; the seed said 60), for up to an hour. Pass it to
    /// ``run(_:policy:onUpdate:)-(MusicVideoInput,_,_)`` or `wait(for:policy:)`.
    public static let documentedPolling = PollingPolicy(
        firstDelay: .seconds(5), interval: .seconds(5), growth: 1.25, maxInterval: .seconds(10),
        timeout: .seconds(3600))

    /// Creates a client.
    ///
    /// ```swift
    /// let beatAPI = BeatAPIClient()   // BEATAPI_API_KEY
    /// let local = BeatAPIClient(
    ///     apiKey: "test-beatapi-key", baseURL: URL(string: "http://127.0.0.1:8089/beatapi/v1")!,
    ///     allowedTestHosts: ["127.0.0.1"])
    /// ```
    ///
    /// - `apiKey`: defaults to `BEATAPI_API_KEY` in `environment`; without a key, calls fail with
    ///   `.authentication` before anything is sent.
    /// - `baseURL`: the explicit base URL wins; then `configuration.baseURL`; then BeatAPI's own.
    /// - `environment`: where the key is read (the process environment by default; `[:]` reads
    ///   nothing, as tests want).
    /// - `allowedTestHosts`: hosts (such as `"127.0.0.1"`) whose `http:` and non-public input URLs
    ///   are accepted: a local test server. It is empty unless you set it.
    public init(
        apiKey: String? = nil,
        baseURL: URL? = nil,
        configuration: ClientConfiguration = ClientConfiguration(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        allowedTestHosts: Set<String> = []
    ) {
        var configuration = configuration
        if let baseURL { configuration.baseURL = baseURL }
        let apiKey = apiKey ?? Provider.beatAPI.apiKeyEnvironmentVariable.flatMap { environment[$0] }
        self.executor = RequestExecutor(dialect: .beatAPI, configuration: configuration, apiKey: apiKey)
        self.inputRule = InputSourceRule(allowedTestHosts: allowedTestHosts)
    }

    public var configuration: ClientConfiguration { executor.configuration }
    public var catalog: [ModelDescriptor] { BeatAPICatalog.models }
    /// The hosts whose non-public input URLs this client accepts (normally none).
    public var allowedTestHosts: Set<String> { inputRule.allowedTestHosts }

    // MARK: - Workflows

    /// The launch workflows (`GET /v1/workflows`).
    public func listWorkflows() async throws -> BeatAPIWorkflowList {
        try await send(.get("workflows"), as: BeatAPIWorkflowList.self)
    }

    // MARK: - Music Video

    /// Creates a music-video task and returns it at once (`queued`).
    ///
    /// ```swift
    /// let input = MusicVideoInput(
    ///     imageURLs: [URL(string: "https://cdn.example.com/singer-reference.png")!],
    ///     audioURL: URL(string: "https://cdn.example.com/song-preview.mp3")!,
    ///     prompt: "Neon rooftop performance with metro cutaways.",
    ///     language: .english)
    /// let task = try await beatAPI.createTask(input, idempotencyKey: "release-42-video")
    /// ```
    ///
    /// The input is checked first (see ``MusicVideoInput`` for the tier rules); local files are
    /// then uploaded and their URLs sent; when BeatAPI measured an uploaded song outside the tier's
    /// limits (10–180 s standard, 10–300 s premium), the create is refused with
    /// `.invalidRequest(field: "audio_url")` and not sent. BeatAPI bills a music video by the song's measured length
    /// at a rate it does not publish, so the catalog has no estimate: a client with a `Budget`
    /// refuses it unless the budget allows unknown prices, and the task's ``BeatAPITask/usage``
    /// reports the dollars reserved. The `Idempotency-Key` is `idempotencyKey` when given (to resend
    /// a call you are unsure of: 1–255 visible ASCII characters), else a new one, reused on every
    /// retry of this call; BeatAPI answers the same task for the same key and body.
    public func createTask(_ input: MusicVideoInput, idempotencyKey: String? = nil) async throws -> BeatAPITask {
        try input.validate(inputRule)
        let key = try RequestValidation.idempotencyKey(idempotencyKey, provider: .beatAPI)
        let workflow = BeatAPIWorkflowID.musicVideo
        let estimate = estimateCost(of: input)
        let sources = input.sources
        try await refuseEarlyIfOverBudget(sources, workflow: workflow, estimate: estimate)
        let inputs = try await uploadedInputs(for: sources)
        // BeatAPI measures an uploaded song: one outside the tier's limits is refused here, before
        // the paid create is sent.
        if let seconds = inputs[input.images.count].file?.audioDurationSeconds {
            try input.checkSongLength(seconds)
        }
        return try await sendCreate(
            workflow, body: input.body(urls: inputs.map(\.url)), idempotencyKey: key, estimate: estimate)
    }

    /// Creates a music-video task and follows it to a stop state, reporting each change.
    ///
    /// Returns the task once it succeeded, or stopped awaiting your action (`storyboard_ready`,
    /// `requires_action`); throws `.taskFailed` with its id otherwise.
    public func run(
        _ input: MusicVideoInput,
        policy: PollingPolicy? = nil,
        onUpdate: (@Sendable (BeatAPITask) -> Void)? = nil
    ) async throws -> BeatAPITask {
        try await wait(for: try await createTask(input), policy: policy, onUpdate: onUpdate)
    }

    // MARK: - Ecommerce Video

    /// Creates an ecommerce-video task and returns it at once. It costs its `duration` (required,
    /// 10–60 s) at the catalog's $0.30 a second, counted against the client's budget.
    ///
    /// ```swift
    /// var input = EcommerceVideoInput(imageURLs: [URL(string: "https://cdn.example.com/bottle.png")!])
    /// input.duration = .seconds(15)
    /// print(beatAPI.estimateCost(of: input) ?? "unknown")   // $4.50
    /// let task = try await beatAPI.createTask(input)
    /// ```
    ///
    /// The input is checked first, as ``EcommerceVideoInput`` lists (1–7 images, 10–60 s, a
    /// prompt of at most 2000 characters, `16:9`, `9:16` or `1:1`, `en` or `zh`): a refusal names
    /// its field and nothing is uploaded or sent.
    public func createTask(_ input: EcommerceVideoInput, idempotencyKey: String? = nil) async throws -> BeatAPITask {
        try input.validate(inputRule)
        let key = try RequestValidation.idempotencyKey(idempotencyKey, provider: .beatAPI)
        let workflow = BeatAPIWorkflowID.ecommerceVideo
        let estimate = estimateCost(of: input)
        try await refuseEarlyIfOverBudget(input.images, workflow: workflow, estimate: estimate)
        let urls = try await inputURLs(for: input.images)
        return try await sendCreate(workflow, body: input.body(images: urls), idempotencyKey: key, estimate: estimate)
    }

    /// Creates an ecommerce-video task and follows it to a stop state, reporting each change.
    public func run(
        _ input: EcommerceVideoInput,
        policy: PollingPolicy? = nil,
        onUpdate: (@Sendable (BeatAPITask) -> Void)? = nil
    ) async throws -> BeatAPITask {
        try await wait(for: try await createTask(input), policy: policy, onUpdate: onUpdate)
    }

    private func sendCreate(
        _ workflow: BeatAPIWorkflowID,
        body: JSONValue,
        idempotencyKey: String,
        estimate: Money?
    ) async throws -> BeatAPITask {
        let request = APIRequest(
            .post,
            .path([workflow.rawValue, "tasks"]),
            body: try executor.jsonBody(body),
            intent: .create(
                idempotencyKey: idempotencyKey, charge: .init(model: workflow.rawValue, estimate: estimate))
        )
        return try await send(request, as: BeatAPITask.self)
    }

    // MARK: - Cost

    /// What a music-video task of `input` costs by the catalog, in US dollars, or `nil` when the
    /// price is unknown — which it is: BeatAPI bills the song's measured length at a per-tier
    /// rate its published description does not state.
    ///
    /// ```swift
    /// let input = MusicVideoInput(
    ///     imageURLs: [URL(string: "https://cdn.example.com/singer-reference.png")!],
    ///     audioURL: URL(string: "https://cdn.example.com/song-preview.mp3")!,
    ///     prompt: "Neon rooftop performance", language: .english)
    /// print(beatAPI.estimateCost(of: input) ?? "unknown")   // unknown
    /// ```
    public func estimateCost(of input: MusicVideoInput) -> Money? {
        BeatAPIWorkflowID.musicVideo.descriptor?.estimateCost(duration: input.billingDuration)
    }

    /// What an ecommerce-video task costs by the catalog, in US dollars: its `duration` at $0.30
    /// a second; `nil` without a duration (an input the create refuses).
    ///
    /// ```swift
    /// let input = EcommerceVideoInput(imageURLs: [URL(string: "https://cdn.example.com/bottle.png")!],
    ///                                 duration: .seconds(15))
    /// print(beatAPI.estimateCost(of: input) ?? "unknown")   // $4.50
    /// ```
    public func estimateCost(of input: EcommerceVideoInput) -> Money? {
        BeatAPIWorkflowID.ecommerceVideo.descriptor?.estimateCost(duration: input.duration)
    }

    /// Creates a music-video task: the name before ``createTask(_:idempotencyKey:)-(MusicVideoInput,_)``.
    @available(*, deprecated, renamed: "createTask(_:idempotencyKey:)")
    public func createMusicVideo(_ input: MusicVideoInput, idempotencyKey: String? = nil) async throws -> BeatAPITask {
        try await createTask(input, idempotencyKey: idempotencyKey)
    }

    /// Creates an ecommerce-video task: the name before ``createTask(_:idempotencyKey:)-(EcommerceVideoInput,_)``.
    @available(*, deprecated, renamed: "createTask(_:idempotencyKey:)")
    public func createEcommerceVideo(_ input: EcommerceVideoInput, idempotencyKey: String? = nil) async throws
        -> BeatAPITask
    {
        try await createTask(input, idempotencyKey: idempotencyKey)
    }

    // MARK: - Tasks

    /// The task's current state (`GET /v1/tasks/{id}`, one poll).
    public func task(id: String) async throws -> BeatAPITask {
        try await send(.get("tasks", id, taskID: id), as: BeatAPITask.self)
    }

    // MARK: - Usage

    /// The account's balance in US dollars, and its concurrency (`GET /v1/usage`).
    public func usage() async throws -> BeatAPIUsage {
        try await send(.get("usage"), as: BeatAPIUsage.self)
    }

    // MARK: - MediaClient

    public func task(_ handle: TaskHandle) async throws -> BeatAPITask {
        try await task(id: handle.id)
    }

    /// BeatAPI documents no way to cancel a task: throws `.unsupported` without sending anything.
    public func cancel(_ handle: TaskHandle) async throws {
        throw MediaGenError(
            .unsupported, provider: .beatAPI,
            message: "BeatAPI has no cancel endpoint; a task runs to a stop state (failed tasks are refunded)",
            taskID: handle.id)
    }

    // MARK: - Sending

    /// Sends `request` and unwraps BeatAPI's `{"data": …}` envelope: the one place it is read.
    func send<Payload: Decodable & Sendable>(_ request: APIRequest, as type: Payload.Type) async throws -> Payload {
        do {
            return try await executor.send(request, decoding: BeatAPIResponse<Payload>.self).data
        } catch let error as MediaGenError where error.providerCode == BeatAPIError.idempotencyConflict {
            throw BeatAPIError.explainingIdempotencyConflict(error)
        }
    }

}

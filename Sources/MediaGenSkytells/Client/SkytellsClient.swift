import Foundation
import MediaGenCore

/// A client of the Skytells API: BeatFusion music, the seven video models, and any other model by id.
///
/// ```swift
/// import MediaGenSkytells
///
/// let skytells = SkytellsClient()   // the key comes from SKYTELLS_API_KEY
/// let prediction = try await skytells.run(
///     .beatFusion2,
///     input: BeatFusionInput(prompt: "Upbeat corporate background music, light piano, 120 BPM",
///                            duration: .seconds(30))
/// ) { update in print(update.status) }
/// let track = try await prediction.outputs[0].download(to: URL(fileURLWithPath: "outputs/"))
/// ```
///
/// Every call shares MediaGenKit's guarantees: inputs are checked before sending, a create is never
/// retried into a second paid prediction (Skytells has no idempotency key, so an ambiguous failure
/// ends in `.outcomeUnknown`), reads retry transient failures, and polling is paced by the model's
/// typical time — video is not polled every two seconds.
public struct SkytellsClient: MediaClient, MusicGenerating, VideoGenerating {
    public typealias RemoteTask = Prediction

    public let provider = Provider.skytells
    private let executor: RequestExecutor
    private let apiKey: Secret?

    /// Creates a client.
    ///
    /// ```swift
    /// let skytells = SkytellsClient()   // SKYTELLS_API_KEY
    /// let local = SkytellsClient(apiKey: "sk-test", baseURL: URL(string: "http://127.0.0.1:8089/skytells/v1")!)
    /// ```
    ///
    /// - `apiKey`: defaults to `SKYTELLS_API_KEY` in `environment`; without a key, calls fail with
    ///   `.authentication` before sending anything.
    /// - `baseURL`: the explicit base URL wins; then `configuration.baseURL`; then Skytells' own.
    /// - `environment`: where the key is read (the process environment by default; `[:]` reads
    ///   nothing, as tests want).
    public init(
        apiKey: String? = nil,
        baseURL: URL? = nil,
        configuration: ClientConfiguration = ClientConfiguration(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        var configuration = configuration
        if let baseURL { configuration.baseURL = baseURL }
        let apiKey = apiKey ?? Provider.skytells.apiKeyEnvironmentVariable.flatMap { environment[$0] }
        self.executor = RequestExecutor(dialect: .skytells, configuration: configuration, apiKey: apiKey)
        self.apiKey = apiKey.map(Secret.init)
    }

    public var configuration: ClientConfiguration { executor.configuration }
    public var catalog: [ModelDescriptor] { SkytellsCatalog.models }

    // MARK: - Predictions

    /// Creates a prediction and returns it at once (usually `queued`).
    ///
    /// The input is checked against the model first, and the webhook URL, if any, must be https
    /// (http only to a loopback host while developing; see `URLPolicy`); the cost is counted against the client's
    /// budget. A failure after the request may have reached Skytells is `.outcomeUnknown`: look the
    /// prediction up (``predictions(_:)``) rather than creating it again.
    public func createPrediction(
        _ model: SkytellsModelID,
        input: some SkytellsInput,
        webhook: PredictionWebhook? = nil,
        endpoint: PredictionEndpoint = .predictions
    ) async throws -> Prediction {
        let request = try createRequest(model, input: input, webhook: webhook, endpoint: endpoint)
        return try await executor.send(request, decoding: Prediction.self)
    }

    /// The create, checked. Out of line on purpose: inlined, the checks and the encoding made
    /// `createPrediction`'s async frame 3 KiB, which the task allocator keeps for as long as the
    /// task that created the prediction lives — usually while it follows the prediction.
    @inline(never)
    private func createRequest(
        _ model: SkytellsModelID,
        input: some SkytellsInput,
        webhook: PredictionWebhook?,
        endpoint: PredictionEndpoint
    ) throws -> APIRequest {
        try input.validate(for: model)
        if let webhook { try URLPolicy.checkWebhookURL(webhook.url, field: "webhook.url", provider: .skytells) }
        let estimate = model.descriptor?.estimateCost(duration: input.requestedDuration)
        let body = PredictionCreateBody(model: model.rawValue, input: input, webhook: webhook, endpoint: endpoint)
        var request = APIRequest(
            .post,
            .path(endpoint == .predictions ? ["predictions"] : ["predict"]),
            body: try executor.jsonBody(body),
            intent: .create(idempotencyKey: nil, charge: .init(model: model.rawValue, estimate: estimate))
        )
        if case .predict(waitForCompletion: true) = endpoint {
            request.timeout = Self.awaitTimeout(for: model, base: configuration.timeout)
        }
        return request
    }

    /// Creates a prediction and follows it to its end, reporting each change.
    ///
    /// Returns the succeeded prediction; throws `.taskFailed` or `.canceled` with its id otherwise.
    public func run(
        _ model: SkytellsModelID,
        input: some SkytellsInput,
        policy: PollingPolicy? = nil,
        onUpdate: (@Sendable (Prediction) -> Void)? = nil
    ) async throws -> Prediction {
        try await wait(for: try await createPrediction(model, input: input), policy: policy, onUpdate: onUpdate)
    }

    /// The prediction's current state (one poll).
    public func prediction(id: String) async throws -> Prediction {
        try await executor.send(.get("predictions", id, taskID: id), decoding: Prediction.self)
    }

    /// Asks Skytells to cancel the prediction; returns it as Skytells answered.
    @discardableResult
    public func cancelPrediction(id: String) async throws -> Prediction {
        let request = APIRequest(.post, .path(["predictions", id, "cancel"]), intent: .idempotent, taskID: id)
        return try await executor.send(request, decoding: Prediction.self)
    }

    /// Deletes the prediction and its stored outputs.
    public func deletePrediction(id: String) async throws {
        _ = try await executor.send(APIRequest(.delete, .path(["predictions", id, "delete"]), taskID: id))
    }

    /// The URL to stream the prediction's output from, when Skytells offers one.
    public func streamURL(id: String) async throws -> URL? {
        let response = try await executor.send(.get("predictions", id, "stream", taskID: id))
        let body = try executor.decode(JSONValue.self, from: response, taskID: id)
        let link = body["urls"]?["stream"]?.stringValue ?? body["data"]?["urls"]?["stream"]?.stringValue
        return link.flatMap(URL.init(string:))
    }

    /// One page of your predictions (`GET /v1/predictions?page=`), numbered from 1.
    ///
    /// ```swift
    /// let first = try await skytells.predictionPage()
    /// print(first.items.count, first.pagination?.total ?? 0)
    /// ```
    public func predictionPage(_ filter: PredictionFilter = PredictionFilter(), page: Int = 1) async throws
        -> PredictionPage
    {
        let query = try filter.queryItems(page: max(page, 1))
        return try await executor.send(.get("predictions", query: query), decoding: PredictionPage.self)
    }

    /// One page of your predictions: the name before ``predictionPage(_:page:)``.
    @available(*, deprecated, renamed: "predictionPage(_:page:)")
    public func listPredictions(_ filter: PredictionFilter = PredictionFilter(), page: Int = 1) async throws
        -> PredictionPage
    {
        try await predictionPage(filter, page: page)
    }

    /// Your predictions matching `filter`, page by page, each fetched as you iterate.
    ///
    /// ```swift
    /// for try await page in skytells.predictionPages() { print(page.pagination?.currentPage ?? 1) }
    /// ```
    public func predictionPages(_ filter: PredictionFilter = PredictionFilter()) -> Pages<PredictionPage> {
        Pages { page in try await predictionPage(filter, page: page ?? 1) }
    }

    /// All your predictions matching `filter`, one at a time, fetched page by page as you iterate.
    ///
    /// ```swift
    /// for try await prediction in skytells.predictions(PredictionFilter(model: .beatFusion2)) {
    ///     print(prediction.id, prediction.rawStatus)
    /// }
    /// ```
    public func predictions(_ filter: PredictionFilter = PredictionFilter()) -> PagedItems<PredictionPage> {
        predictionPages(filter).items
    }

    // MARK: - Models API

    /// The models Skytells offers, with pricing; with `includeSchemas`, their input and output schemas.
    ///
    /// ```swift
    /// for model in try await skytells.models() where model.type == "music" {
    ///     print(model.id, model.price.map(String.init(describing:)) ?? "priced after running")
    /// }
    /// ```
    public func models(includeSchemas: Bool = false) async throws -> [SkytellsModel] {
        try await executor.send(.get("models", query: Self.fields(includeSchemas)), decoding: SkytellsModelList.self)
            .models
    }

    /// One model's details and pricing; with `includeSchemas`, its input and output schemas.
    ///
    /// ```swift
    /// let beatFusion = try await skytells.model(named: .beatFusion2, includeSchemas: true)
    /// print(beatFusion.inputSchema?["required"] ?? [])
    /// ```
    ///
    /// Skytells' TypeScript SDK reads a model at `GET /v1/model/{slug}`; the API reference names
    /// `GET /v1/models/{slug}`. The SDK's route is asked first; when Skytells says that route does
    /// not exist (a 404 that is not `MODEL_NOT_FOUND`), the reference's is asked — both are reads.
    public func model(named slug: SkytellsModelID, includeSchemas: Bool = false) async throws -> SkytellsModel {
        let query = Self.fields(includeSchemas)
        do {
            return try await executor.send(
                .get("model", slug.rawValue, query: query, idField: "model"), decoding: SkytellsModelEnvelope.self
            ).model
        } catch let error as MediaGenError where error.kind == .notFound && error.providerCode != "MODEL_NOT_FOUND" {
            return try await executor.send(
                .get("models", slug.rawValue, query: query, idField: "model"), decoding: SkytellsModelEnvelope.self
            ).model
        }
    }

    private static func fields(_ includeSchemas: Bool) -> [(name: String, value: String)] {
        includeSchemas ? [("fields", "input_schema,output_schema")] : []
    }

    // MARK: - MediaClient

    public func task(_ handle: TaskHandle) async throws -> Prediction {
        try await prediction(id: handle.id)
    }

    public func cancel(_ handle: TaskHandle) async throws {
        try await cancelPrediction(id: handle.id)
    }

    // MARK: - Music and video from any provider

    /// BeatFusion music; `request.model` defaults to ``SkytellsModelID/beatFusion2``.
    /// Negative prompts, `instrumental` and titles are not BeatFusion inputs and are refused.
    public func generateMusic(_ request: MusicRequest) async throws -> Prediction {
        let (model, input) = try Self.beatFusion(for: request)
        return try await createPrediction(model, input: input)
    }

    public func estimateCost(of request: MusicRequest) throws -> Money? {
        let (model, input) = try Self.beatFusion(for: request)
        return model.descriptor?.estimateCost(duration: input.duration)
    }

    /// Video; `request.model` defaults to ``SkytellsModelID/trueFusionVideoPro``, the documented default.
    public func generateVideo(_ request: VideoRequest) async throws -> Prediction {
        let (model, input) = try Self.video(for: request)
        return try await createPrediction(model, input: input)
    }

    public func estimateCost(of request: VideoRequest) throws -> Money? {
        let (model, input) = try Self.video(for: request)
        return model.descriptor?.estimateCost(duration: input.duration)
    }

    // MARK: - Webhooks

    /// Verifies a delivery with this client's API key (Skytells' "general" signing) and decodes it.
    @available(
        *, deprecated, message: "use SkytellsWebhook.event(body:signature:secret:) with your API key or webhook secret"
    )
    public func webhookPrediction(body: Data, signature: String?, secret: String? = nil) throws(MediaGenError)
        -> Prediction
    {
        guard let key = secret ?? apiKey?.value else {
            throw MediaGenError(
                .invalidSignature, provider: .skytells,
                message: "no key to verify the signature with: pass the webhook secret")
        }
        return try SkytellsWebhook.event(body: body, signature: signature, secret: key).prediction
    }

    // MARK: - Mapping

    static func beatFusion(for request: MusicRequest) throws(MediaGenError) -> (SkytellsModelID, BeatFusionInput) {
        let unsupported: [(String, Bool)] = [
            ("negativePrompt", request.negativePrompt != nil),
            ("instrumental", request.instrumental != nil),
            ("title", request.title != nil),
        ]
        if let field = unsupported.first(where: \.1)?.0 {
            throw .invalidInput(field, "BeatFusion has no such input; leave it unset for Skytells", provider: .skytells)
        }
        let model = request.model.map(SkytellsModelID.init(rawValue:)) ?? .beatFusion2
        let input = BeatFusionInput(
            prompt: request.prompt,
            duration: request.duration ?? .seconds(30),
            seed: request.seed,
            bpm: request.bpm,
            key: request.key,
            lyrics: request.lyrics
        )
        try input.validate(for: model)
        return (model, input)
    }

    static func video(for request: VideoRequest) throws(MediaGenError) -> (SkytellsModelID, SkytellsVideoInput) {
        var aspectRatio: SkytellsVideoInput.AspectRatio?
        if let ratio = request.aspectRatio {
            guard let known = SkytellsVideoInput.AspectRatio(rawValue: ratio) else {
                let accepted = SkytellsVideoInput.AspectRatio.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidInput("aspectRatio", "Skytells accepts \(accepted); got \(ratio)", provider: .skytells)
            }
            aspectRatio = known
        }
        let model = request.model.map(SkytellsModelID.init(rawValue:)) ?? .trueFusionVideoPro
        let input = SkytellsVideoInput(
            prompt: request.prompt,
            duration: request.duration,
            aspectRatio: aspectRatio,
            fps: request.fps,
            negativePrompt: request.negativePrompt
        )
        try input.validate(for: model)
        return (model, input)
    }

    /// `"await": true` holds the request until the prediction ends: allow three times the model's
    /// longest typical time (10 minutes when unknown), and never less than the client's timeout.
    static func awaitTimeout(for model: SkytellsModelID, base: Duration) -> Duration {
        let longest = model.descriptor?.typicalLatency?.upperBound ?? .seconds(200)
        return max(base, longest * 3)
    }
}

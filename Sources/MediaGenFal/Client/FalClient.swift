import Foundation
import MediaGenCore

/// A client of fal's queue: submit a request to any app, follow it, fetch its result — with
/// `beatoven/music-generation` typed and checked.
///
/// ```swift
/// import MediaGenFal
///
/// let fal = FalClient()   // FAL_KEY, or FAL_KEY_ID + FAL_KEY_SECRET
/// let result = try await fal.run(
///     .beatovenMusicGeneration,
///     input: BeatovenInput(prompt: "Jazz music for a late-night restaurant setting", duration: .seconds(30))
/// ) { update in
///     if let position = update.status.queuePosition { print("queue position", position) }
///     update.logs.last.map { print($0.message) }
/// }
/// try await result.data.audio.remoteFile.download(to: URL(fileURLWithPath: "outputs/"))
/// ```
///
/// fal has three hosts, each overridable for a proxy or a local emulator: the queue
/// (`https://queue.fal.run`), the REST API (`https://rest.fal.ai`, storage) and the Platform API
/// (`https://api.fal.ai/v1`, model prices); webhook keys come from the address fal documents.
/// Every call keeps MediaGenKit's promises: inputs are checked before sending; a submit is sent
/// again only when fal's ingress proves it never reached the app (a 502/503/504 without
/// `x-fal-request-id`, a 429), and any other failure after sending is `.outcomeUnknown`, never a
/// silent second request; reads retry; polling follows the catalog's pace, not fal's 0.1 s.
public struct FalClient: MediaClient, MusicGenerating {
    /// fal's task value: a queue request.
    public typealias RemoteTask = FalRequest

    /// `Provider.fal`.
    public let provider = Provider.fal
    /// fal's documented queue host.
    public static let defaultQueueURL = URL.constant("https://queue.fal.run")
    /// fal's documented REST host (storage uploads, webhook keys).
    public static let defaultRestURL = URL.constant("https://rest.fal.ai")
    /// Local files up to this size (1 MiB) are sent inline as `data:` URIs; larger ones are uploaded.
    public static let defaultDataURILimit: Int64 = 1 << 20

    /// Where submits, status polls, results and cancels go.
    public let queueURL: URL
    /// Where storage uploads start and the webhook key set is fetched.
    public let restURL: URL
    /// Where fal's Platform API answers (model prices): ``defaultPlatformURL`` unless you set
    /// another, for a proxy or an emulator.
    ///
    /// ```swift
    /// var fal = FalClient()
    /// fal.platformURL = URL(string: "http://127.0.0.1:8089/fal/platform/v1")!
    /// ```
    public var platformURL: URL = FalClient.defaultPlatformURL
    /// The prices this client counts with: yours, then fal's published ones as fetched (shared by
    /// every copy of the client). See ``estimateCost(of:input:)``.
    public let prices = FalPriceBook()
    /// The CDN upload token, shared by every copy of the client.
    let cdnTokens = FalCDNTokens()
    let queue: RequestExecutor
    let rest: RequestExecutor
    /// The key, kept for the Platform API's executor (made per call, as ``platformURL`` may change).
    let credential: Secret?

    /// Creates a client. `apiKey` defaults to `FAL_KEY`, or `FAL_KEY_ID:FAL_KEY_SECRET`, read from
    /// `environment` (see ``key(from:)``; `[:]` reads nothing, as tests want); without one, calls
    /// fail with `.authentication` before sending anything.
    ///
    /// ```swift
    /// let fal = FalClient()
    /// let local = FalClient(apiKey: "id:secret",
    ///                       queueURL: URL(string: "http://127.0.0.1:8089/fal/queue"),
    ///                       restURL: URL(string: "http://127.0.0.1:8089/fal/rest"))
    /// ```
    ///
    /// `queueURL` falls back to `configuration.baseURL`, then to ``defaultQueueURL``. The label is
    /// `apiKey`, as on every client (see the *One vocabulary across providers* article).
    public init(
        apiKey: String? = nil,
        queueURL: URL? = nil,
        restURL: URL? = nil,
        configuration: ClientConfiguration = ClientConfiguration(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        let apiKey = apiKey ?? Self.key(from: environment)
        let queueURL = queueURL ?? configuration.baseURL ?? Self.defaultQueueURL
        let restURL = restURL ?? Self.defaultRestURL
        var queueConfiguration = configuration
        queueConfiguration.baseURL = queueURL
        var restConfiguration = configuration
        restConfiguration.baseURL = restURL
        self.queueURL = queueURL
        self.restURL = restURL
        self.credential = apiKey.flatMap { $0.isEmpty ? nil : Secret($0) }
        self.queue = RequestExecutor(
            dialect: .fal(baseURL: queueURL), configuration: queueConfiguration, apiKey: apiKey)
        self.rest = RequestExecutor(dialect: .fal(baseURL: restURL), configuration: restConfiguration, apiKey: apiKey)
    }

    /// Creates a client with `key` (`nil`: none); renamed
    /// ``init(apiKey:queueURL:restURL:configuration:environment:)``.
    @available(*, deprecated, renamed: "init(apiKey:queueURL:restURL:configuration:environment:)")
    public init(
        key: String?,
        queueURL: URL? = nil,
        restURL: URL? = nil,
        configuration: ClientConfiguration = ClientConfiguration()
    ) {
        self.init(apiKey: key, queueURL: queueURL, restURL: restURL, configuration: configuration, environment: [:])
    }

    /// Creates a client from a key id and secret, as fal's dashboard shows them.
    ///
    /// ```swift
    /// let fal = FalClient(keyID: "6a1f…", keySecret: "c0ffee…")
    /// ```
    public init(
        keyID: String,
        keySecret: String,
        queueURL: URL? = nil,
        restURL: URL? = nil,
        configuration: ClientConfiguration = ClientConfiguration()
    ) {
        self.init(
            apiKey: "\(keyID):\(keySecret)", queueURL: queueURL, restURL: restURL, configuration: configuration,
            environment: [:])
    }

    /// The key in `environment`: `FAL_KEY`, or else `FAL_KEY_ID` and `FAL_KEY_SECRET` joined as
    /// `id:secret`, as fal's clients read them; `nil` when neither is set.
    ///
    /// ```swift
    /// FalClient.key(from: ["FAL_KEY_ID": "abc", "FAL_KEY_SECRET": "xyz"])  // "abc:xyz"
    /// ```
    public static func key(from environment: [String: String]) -> String? {
        if let key = environment["FAL_KEY"], !key.isEmpty { return key }
        guard let id = environment["FAL_KEY_ID"], let secret = environment["FAL_KEY_SECRET"],
            !id.isEmpty, !secret.isEmpty
        else { return nil }
        return "\(id):\(secret)"
    }

    /// The configuration given, with ``queueURL`` as its base URL.
    public var configuration: ClientConfiguration { queue.configuration }
    /// The documented apps: ``FalCatalog/models``.
    public var catalog: [ModelDescriptor] { FalCatalog.models }

    // MARK: - MediaClient

    /// Polls the request's status (with logs) and, once it has completed successfully, fetches
    /// its output into ``FalRequest/output``: so `wait(for:)` returns a request whose
    /// `outputs` hold the files.
    ///
    /// ```swift
    /// let done = try await fal.wait(for: request)   // polls with this, paced by the catalog
    /// print(done.outputs.first?.url as Any)
    /// ```
    public func task(_ handle: TaskHandle) async throws -> FalRequest {
        var request = try await self.request(handle, logs: true)
        if request.status == .succeeded {
            request.output = try await result(of: request.handle).data
        }
        return request
    }

    /// Cancels the request on fal. A request that already completed, or that fal does not know,
    /// is not an error here; use ``cancelRequest(_:)`` to learn which outcome it was.
    ///
    /// ```swift
    /// try await fal.cancel(request.handle)
    /// ```
    public func cancel(_ handle: TaskHandle) async throws {
        _ = try await cancelRequest(handle)
    }

    // MARK: - Music from any provider

    /// Beatoven music for a provider-agnostic request. `request.model` must be `nil` or
    /// `beatoven/music-generation`; tempo, key, lyrics, titles and vocals are not Beatoven inputs
    /// and are refused (Beatoven makes instrumental music, so `instrumental: true` is accepted).
    ///
    /// ```swift
    /// let request = try await fal.generateMusic(MusicRequest(prompt: "House music, driving bass",
    ///                                                        duration: .seconds(30), seed: 3))
    /// let done = try await fal.wait(for: request)
    /// ```
    public func generateMusic(_ request: MusicRequest) async throws -> FalRequest {
        try await createRequest(.beatovenMusicGeneration, input: try Self.beatoven(for: request))
    }

    /// What the request would cost by the prices this client already has — yours, or fal's
    /// published one once fetched — else the static catalog's (`nil`: no document gives
    /// Beatoven's price). Throws when the request is invalid for fal.
    ///
    /// ```swift
    /// let cost = try fal.estimateCost(of: MusicRequest(prompt: "jazz"))  // nil until a price is known
    /// ```
    ///
    /// The shared protocol's estimate is synchronous, so it asks nobody: call
    /// ``estimateCost(of:input:)`` to fetch fal's price first (a budget does, before each submit).
    public func estimateCost(of request: MusicRequest) throws -> Money? {
        let input = try Self.beatoven(for: request)
        let app = FalAppID.beatovenMusicGeneration
        return (prices.knownPrice(of: app)?.price ?? app.descriptor?.price)?.cost(
            duration: Self.requestedDuration(of: input), outputs: app.descriptor?.outputsPerTask ?? 1)
    }

    static func beatoven(for request: MusicRequest) throws(MediaGenError) -> BeatovenInput {
        if let model = request.model, FalAppID(rawValue: model) != .beatovenMusicGeneration {
            throw .invalidInput(
                "model", "fal makes music with beatoven/music-generation only; got \(model)", provider: .fal)
        }
        let unsupported: [(String, Bool)] = [
            ("bpm", request.bpm != nil),
            ("key", request.key != nil),
            ("lyrics", request.lyrics != nil),
            ("instrumental", request.instrumental == false),
            ("title", request.title != nil),
        ]
        if let field = unsupported.first(where: \.1)?.0 {
            throw .invalidInput(
                field, "beatoven/music-generation has no such input; leave it unset for fal", provider: .fal)
        }
        let input = BeatovenInput(
            prompt: request.prompt,
            negativePrompt: request.negativePrompt,
            duration: request.duration,
            seed: request.seed
        )
        try input.validate()
        return input
    }
}

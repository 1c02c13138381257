import Foundation
import MediaGenCore

/// The fal prices a client has: yours first, then fal's Platform API answers, kept for
/// ``maxAge``.
///
/// ```swift
/// let fal = FalClient()
/// fal.prices.override(
///     FalModelPrice(endpointID: "fal-ai/flux/dev", unitPrice: 0.02, unit: "image"), for: "fal-ai/flux/dev")
/// let cost = await fal.estimateCost(of: FalJSONApp("fal-ai/flux/dev"), input: ["prompt": "a fox"])
/// print(cost ?? .usd(0))  // $0.02: your price, nothing fetched
/// ```
///
/// Every copy of a ``FalClient`` shares its book, and submits or estimates for the same app at
/// the same time share one fetch of its price. An app whose price fal does not publish, or that
/// could not be fetched, is remembered as unknown for ``retryInterval`` (a minute) so that an
/// offline client does not ask before every submit; the static ``FalCatalog`` is the fallback.
public final class FalPriceBook: Sendable {
    /// How long a fetched price is trusted (a day).
    public let maxAge: Duration
    /// How long an app without a price is not asked about again (a minute).
    public let retryInterval: Duration

    private struct Entry: Sendable {
        var price: FalModelPrice?
        var fetchedAt: Date
    }

    /// A fetch under way and how many callers wait for it, the one that started it included.
    private struct Fetch: Sendable {
        var task: Task<FalModelPrice?, Never>
        var callers: Int
    }

    private struct State: Sendable {
        var fetched: [String: Entry] = [:]
        var overrides: [String: FalModelPrice] = [:]
        /// One fetch per app at a time: whoever asks while it runs waits for its answer.
        var fetching: [String: Fetch] = [:]
    }

    private let state = Locked(State())

    /// An empty book.
    ///
    /// ```swift
    /// let book = FalPriceBook(maxAge: .seconds(3600))
    /// ```
    public init(maxAge: Duration = .seconds(24 * 60 * 60), retryInterval: Duration = .seconds(60)) {
        self.maxAge = maxAge
        self.retryInterval = retryInterval
    }

    /// Sets your price for `app` (`nil` removes it): it wins over fal's and is never fetched.
    ///
    /// ```swift
    /// fal.prices.override(nil, for: "fal-ai/flux/dev")  // back to fal's published price
    /// ```
    public func override(_ price: FalModelPrice?, for app: FalAppID) {
        state.withLock { $0.overrides[app.rawValue] = price }
    }

    /// Forgets every fetched price (your overrides stay).
    ///
    /// ```swift
    /// fal.prices.removeFetchedPrices()
    /// ```
    public func removeFetchedPrices() {
        state.withLock { $0.fetched.removeAll() }
    }

    /// What `book` knows of `app` at `now`: `.known(price)` (yours, or fal's within ``maxAge``),
    /// `.unknown` (asked recently, no price), or `nil` (ask fal).
    private func lookup(_ app: FalAppID, in book: State, now: Date) -> Lookup? {
        if let mine = book.overrides[app.rawValue] { return .known(mine) }
        guard let entry = book.fetched[app.rawValue] else { return nil }
        let age = now.timeIntervalSince(entry.fetchedAt)
        if let price = entry.price { return age < maxAge.seconds ? .known(price) : nil }
        return age < retryInterval.seconds ? .unknown : nil
    }

    /// `app`'s price as the book has it now, asking nobody: yours, or fal's while still fresh.
    func knownPrice(of app: FalAppID, now: Date = Date()) -> FalModelPrice? {
        state.withLock { book in
            if case .known(let price)? = lookup(app, in: book, now: now) { return price }
            return nil
        }
    }

    /// `app`'s price as the book knows it, else `fetch`'s answer, recorded. Callers that ask
    /// while a fetch for `app` is under way wait for that one rather than asking fal again.
    ///
    /// The fetch runs in a task of its own, so a caller that is cancelled stops nobody else's
    /// wait; it still waits for the answer (bounded by the client's timeout), as every caller does.
    func price(of app: FalAppID, fetch: @escaping @Sendable () async -> FalModelPrice?) async -> FalModelPrice? {
        let answer: Answer = state.withLock { book in
            switch lookup(app, in: book, now: Date()) {
            case .known(let price)?: return .known(price)
            case .unknown?: return .known(nil)
            case nil: break
            }
            if var running = book.fetching[app.rawValue] {
                running.callers += 1
                book.fetching[app.rawValue] = running
                return .fetching(running.task)
            }
            // The task records its answer under the same lock, so it cannot finish before it is
            // registered here: no caller can find neither the answer nor the fetch.
            let task = Task {
                let price = await fetch()
                self.state.withLock { book in
                    book.fetched[app.rawValue] = Entry(price: price, fetchedAt: Date())
                    book.fetching[app.rawValue] = nil
                }
                return price
            }
            book.fetching[app.rawValue] = Fetch(task: task, callers: 1)
            return .fetching(task)
        }
        switch answer {
        case .known(let price): return price
        case .fetching(let task): return await task.value
        }
    }

    private enum Answer {
        case known(FalModelPrice?)
        case fetching(Task<FalModelPrice?, Never>)
    }

    /// How many callers wait for the fetch of `app`'s price under way (0: none is): what a test
    /// waits on before letting the fetch answer.
    package func callersWaiting(for app: FalAppID) -> Int {
        state.withLock { $0.fetching[app.rawValue]?.callers ?? 0 }
    }

    private enum Lookup: Equatable {
        case known(FalModelPrice)
        case unknown
    }
}

extension FalClient {
    /// fal's Platform API host: `https://api.fal.ai/v1`.
    public static let defaultPlatformURL = URL.constant("https://api.fal.ai/v1")

    /// Fetches the prices fal publishes for `apps` (`GET {platform}/models/pricing`, at most 50
    /// apps a request, as fal allows), keyed by app; an app fal has no price for is absent.
    ///
    /// ```swift
    /// let prices = try await fal.modelPrices(for: ["fal-ai/flux/dev", "beatoven/music-generation"])
    /// print(prices["fal-ai/flux/dev"]?.price ?? "unknown")
    /// ```
    ///
    /// This always asks fal, sending your key (pricing may be your account's own); prefer
    /// ``modelPrice(for:)`` or ``estimateCost(of:input:)``, which keep answers in ``prices``.
    /// `platformURL` defaults to ``platformURL``.
    public func modelPrices(for apps: [FalAppID], platformURL: URL? = nil) async throws -> [FalAppID: FalModelPrice] {
        var found: [FalAppID: FalModelPrice] = [:]
        let wanted = Array(Set(apps.map(\.rawValue))).sorted()
        var start = 0
        while start < wanted.count {
            let batch = wanted[start..<min(start + 50, wanted.count)]
            start += 50
            let request = APIRequest(
                .get, .path(["models", "pricing"]), query: [("endpoint_id", batch.joined(separator: ","))])
            let answer = try await platform(platformURL).send(request, decoding: JSONValue.self)
            for entry in FalModelPrice.entries(in: answer) where batch.contains(entry.endpointID) {
                found[FalAppID(rawValue: entry.endpointID)] = entry
            }
        }
        return found
    }

    /// `app`'s price: yours (``FalPriceBook/override(_:for:)``), else fal's published one, fetched
    /// once and kept in ``prices``; `nil` when fal publishes none or cannot be asked now.
    ///
    /// ```swift
    /// if let price = await fal.modelPrice(for: "fal-ai/flux/dev") { print(price.unitPrice, price.unit) }
    /// ```
    public func modelPrice(for app: FalAppID) async -> FalModelPrice? {
        await prices.price(of: app) { try? await modelPrices(for: [app])[app] }
    }

    /// What a request to `app` with `input` would cost: fal's published price (or yours), else
    /// the static ``FalCatalog`` entry's, applied to the input's requested length and the app's
    /// outputs per task; `nil` when no price can be had or its unit cannot be counted from the
    /// input — a budget then refuses the request as of unknown price (or lets it through
    /// uncounted with `unknownPrices: .allow`), never guessing.
    ///
    /// ```swift
    /// let cost = await fal.estimateCost(of: .beatovenMusicGeneration,
    ///                                   input: BeatovenInput(prompt: "jazz", duration: .seconds(30)))
    /// print(cost.map(String.init(describing:)) ?? "price unknown")
    /// ```
    public func estimateCost<Input, Output>(of app: FalApp<Input, Output>, input: Input) async -> Money? {
        let descriptor = app.id.descriptor
        let price = await modelPrice(for: app.id)?.price ?? descriptor?.price
        return price?.cost(duration: Self.requestedDuration(of: input), outputs: descriptor?.outputsPerTask ?? 1)
    }

    /// The Platform API at `url`, or ``platformURL``: the client's configuration and key.
    func platform(_ url: URL?) -> RequestExecutor {
        var configuration = queue.configuration
        configuration.baseURL = url ?? platformURL
        return RequestExecutor(
            dialect: .fal(baseURL: url ?? platformURL), configuration: configuration, apiKey: credential?.value)
    }
}

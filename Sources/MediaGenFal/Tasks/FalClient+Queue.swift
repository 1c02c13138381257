import Foundation
import MediaGenCore

/// The priority of a submitted request in fal's queue.
///
/// ```swift
/// let request = try await fal.createRequest(.beatovenMusicGeneration, input: input, priority: .low)
/// ```
public enum FalQueuePriority: String, Hashable, Sendable, CaseIterable {
    /// fal's default.
    case normal
    /// Runs after `normal` requests.
    case low
}

extension FalClient {
    // MARK: - Create

    /// Puts a request in the app's queue and returns it at once (`IN_QUEUE`, with its position):
    /// fal's "submit".
    ///
    /// ```swift
    /// let request = try await fal.createRequest(
    ///     .beatovenMusicGeneration,
    ///     input: BeatovenInput(prompt: "Jazz music for a late-night restaurant setting"),
    ///     webhookURL: URL(string: "https://example.com/fal/webhook?source=a+b"),
    ///     priority: .low,
    ///     startTimeout: .seconds(300))
    /// print(request.requestID, request.handle.statusURL!)
    /// ```
    ///
    /// The input is checked first. `webhookURL` must be https (http only to a loopback host while
    /// developing; see `URLPolicy`) and becomes `?fal_webhook=` (fully percent-encoded: a `+`
    /// arrives as `+`); `priority`, `startTimeout` (how long fal may wait to start the
    /// request, more than ``minimumStartTimeout``; when it runs out the request fails with
    /// `.timeout` and is never retried) and `runnerHint` are the `X-Fal-Queue-Priority`,
    /// `X-Fal-Request-Timeout` and `X-Fal-Runner-Hint` headers (a `runnerHint` with a line break or another control character
    /// is refused before sending). fal has no idempotency key: a failure after the request may
    /// have reached fal is `.outcomeUnknown`.
    public func createRequest<Input, Output>(
        _ app: FalApp<Input, Output>,
        input: Input,
        webhookURL: URL? = nil,
        priority: FalQueuePriority? = nil,
        startTimeout: Duration? = nil,
        runnerHint: String? = nil
    ) async throws -> FalRequest {
        try app.validate(input)
        let segments = try app.id.checkedSegments()
        var query: [(name: String, value: String)] = []
        if let webhookURL {
            try URLPolicy.checkWebhookURL(webhookURL, field: "webhookURL", provider: .fal)
            query.append(("fal_webhook", webhookURL.absoluteString))
        }
        var headers: HTTPHeaders = [:]
        if let priority { headers["X-Fal-Queue-Priority"] = priority.rawValue }
        if let startTimeout {
            // Both official clients refuse a start timeout of 1 s or less before sending
            // (`MIN_REQUEST_TIMEOUT_SECONDS`): fal could not even queue the request in that time.
            guard startTimeout > Self.minimumStartTimeout else {
                throw MediaGenError.invalidInput(
                    "startTimeout", "must be more than 1 second, got \(startTimeout)", provider: .fal)
            }
            headers["X-Fal-Request-Timeout"] = Self.secondsText(startTimeout)
        }
        if let runnerHint {
            try RequestValidation.checkHeaderValue(runnerHint, field: "runnerHint", provider: .fal)
            headers["X-Fal-Runner-Hint"] = runnerHint
        }

        // With a budget, the price fal publishes is counted (fetched once and kept, the catalog's
        // as the fallback); without one nothing is fetched.
        let estimate: Money? =
            if configuration.budget == nil {
                app.id.descriptor?.estimateCost(duration: Self.requestedDuration(of: input))
            } else {
                await estimateCost(of: app, input: input)
            }
        let request = APIRequest(
            .post,
            .path(segments),
            query: query,
            headers: headers,
            body: try queue.jsonBody(input),
            intent: .create(idempotencyKey: nil, charge: .init(model: app.id.rawValue, estimate: estimate))
        )
        let response = try await queue.send(request)
        let answer = try queue.decode(JSONValue.self, from: response)
        guard let requestID = answer["request_id"]?.stringValue, !requestID.isEmpty else {
            // Accepted, yet no id to follow it by: say so, with fal's request id header if any.
            throw MediaGenError(
                .outcomeUnknown, provider: .fal,
                message:
                    "fal accepted the submit but its answer has no request_id: \(queue.snippet(of: response.body))",
                httpStatus: response.status, requestID: response.headers[FalError.requestIDHeader])
        }
        let address: FalRequestAddress
        do {
            address = try FalRequestAddress(app: app.id, requestID: requestID, queueURL: queueURL)
        } catch {
            // The app id was checked before sending: it is fal's id that cannot address the request.
            throw MediaGenError(
                .outcomeUnknown, provider: .fal,
                message:
                    "fal accepted the submit but its request_id \(requestID.debugDescription) cannot be used in a URL: \(error.message)",
                httpStatus: response.status, requestID: response.headers[FalError.requestIDHeader])
        }
        return FalRequest(answer: answer, handle: address)
    }

    /// Puts a request in the app's queue: the name before
    /// ``createRequest(_:input:webhookURL:priority:startTimeout:runnerHint:)``.
    @available(*, deprecated, renamed: "createRequest(_:input:webhookURL:priority:startTimeout:runnerHint:)")
    public func submit<Input, Output>(
        _ app: FalApp<Input, Output>,
        input: Input,
        webhookURL: URL? = nil,
        priority: FalQueuePriority? = nil,
        startTimeout: Duration? = nil,
        runnerHint: String? = nil
    ) async throws -> FalRequest {
        try await createRequest(
            app, input: input, webhookURL: webhookURL, priority: priority, startTimeout: startTimeout,
            runnerHint: runnerHint)
    }

    // MARK: - Get one, result, cancel

    /// The request as fal sees it now, one poll of its status: queue position, and with `logs` the
    /// log lines so far.
    ///
    /// ```swift
    /// let now = try await fal.request(request.handle, logs: true)
    /// print(now.rawStatus, now.queuePosition ?? -1, now.logs.count)
    /// ```
    ///
    /// fal addresses a request by the URLs its create returned, so this takes the request's
    /// handle (``handle(app:requestID:)`` makes one from an app and an id). Sends `?logs=true` or
    /// `?logs=false` to the handle's status URL.
    public func request(_ handle: TaskHandle, logs: Bool = false) async throws -> FalRequest {
        let address = try FalRequestAddress(handle, queueURL: queueURL)
        let request = APIRequest(
            .get, .url(address.statusURL), query: [("logs", logs ? "true" : "false")], taskID: address.requestID)
        let answer = try await queue.send(request, decoding: JSONValue.self)
        return FalRequest(answer: answer, handle: address)
    }

    /// One poll of the request's status: the name before ``request(_:logs:)``.
    @available(*, deprecated, renamed: "request(_:logs:)")
    public func status(_ handle: TaskHandle, logs: Bool = false) async throws -> FalRequest {
        try await request(handle, logs: logs)
    }

    /// The completed request's output, decoded as the app's `Output`.
    ///
    /// ```swift
    /// let result = try await fal.result(.beatovenMusicGeneration, of: request.handle)
    /// print(result.data.audio.url)
    /// ```
    ///
    /// Before completion fal answers 400 ("still in progress"); for a failed request, its error.
    public func result<Input, Output>(_ app: FalApp<Input, Output>, of handle: TaskHandle) async throws
        -> FalResult<Output>
    {
        let address = try FalRequestAddress(handle, queueURL: queueURL)
        let request = APIRequest(.get, .url(address.responseURL), taskID: address.requestID)
        return FalResult(requestID: address.requestID, data: try await queue.send(request, decoding: Output.self))
    }

    /// The completed request's output as JSON, for any app.
    ///
    /// ```swift
    /// let output = try await fal.result(of: handle).data
    /// print(output["audio"]?["url"]?.stringValue ?? "")
    /// ```
    public func result(of handle: TaskHandle) async throws -> FalResult<JSONValue> {
        try await result(FalJSONApp(FalAppID(rawValue: handle.model ?? "")), of: handle)
    }

    /// Asks fal to cancel the request and returns its answer: `OK`, `CANCELLATION_REQUESTED`,
    /// `ALREADY_COMPLETED` or `NOT_FOUND` (fal answers the last two with 400 and 404; they are
    /// outcomes here, not errors).
    ///
    /// ```swift
    /// if try await fal.cancelRequest(request.handle) == .alreadyCompleted {
    ///     let result = try await fal.result(of: request.handle)
    /// }
    /// ```
    @discardableResult
    public func cancelRequest(_ handle: TaskHandle) async throws -> FalCancellation {
        let address = try FalRequestAddress(handle, queueURL: queueURL)
        let request = APIRequest(.put, .url(address.cancelURL), intent: .idempotent, taskID: address.requestID)
        do {
            let response = try await queue.send(request)
            let answer = try? queue.decode(JSONValue.self, from: response)
            return FalCancellation(rawValue: answer?["status"]?.stringValue ?? FalCancellation.ok.rawValue)
        } catch let error as MediaGenError {
            switch (error.httpStatus, error.providerCode) {
            case (400?, FalCancellation.alreadyCompleted.rawValue?): return .alreadyCompleted
            case (404?, _): return .notFound
            default: throw error
            }
        }
    }

    /// A handle for a request known only by its app and id (as fal's clients address it); the
    /// URLs are built from the app's `{owner}/{alias}` under ``queueURL``.
    ///
    /// ```swift
    /// let handle = try fal.handle(app: .beatovenMusicGeneration, requestID: "764cabcf-b745-4b3e-ae38-1200304cf45b")
    /// let result = try await fal.result(.beatovenMusicGeneration, of: handle)
    /// ```
    public func handle(app: FalAppID, requestID: String) throws(MediaGenError) -> TaskHandle {
        let address = try FalRequestAddress(app: app, requestID: requestID, queueURL: queueURL)
        return TaskHandle(
            provider: .fal, id: requestID, model: app.rawValue, statusURL: address.statusURL,
            resultURL: address.responseURL, cancelURL: address.cancelURL)
    }

    /// The start timeout a submit must exceed: 1 second, as fal's JavaScript and Python clients
    /// hold it (`MIN_REQUEST_TIMEOUT_SECONDS`).
    ///
    /// ```swift
    /// let startTimeout = max(.seconds(30), FalClient.minimumStartTimeout + .seconds(1))
    /// ```
    public static let minimumStartTimeout: Duration = .seconds(1)

    // MARK: - Helpers

    /// `300`, or `2.5`: whole seconds without a fraction.
    static func secondsText(_ duration: Duration) -> String {
        BeatovenInput.text(seconds: BeatovenInput.seconds(duration))
    }

    /// The output length an input asks for, for a cost estimate.
    static func requestedDuration(of input: some Encodable) -> Duration? {
        if let beatoven = input as? BeatovenInput { return beatoven.duration ?? BeatovenInput.defaultDuration }
        return nil
    }
}

import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends a provider's requests: base URL, credentials, default headers, JSON, timeouts, the retry
/// rule, the budget, error mapping and redaction. One per client; provider modules describe
/// requests as ``APIRequest`` values and never touch a transport directly.
///
/// The retry rule (the SDK's core promise, see "Retries and idempotency") is decided by a
/// ``RetryStateMachine``, a pure value; the executor runs the attempts, reads the clock and the
/// provider's verdict on each answer, and asks it what to do next:
/// - reads, cancels and deletes retry on transport errors and on 408, 429, 500, 502, 503, 504,
///   with exponential backoff and jitter, honouring `Retry-After` up to a cap;
/// - a create retries only when a duplicate is impossible: it carries an idempotency key (the same
///   on every attempt, since the same request value is resent), or the failed attempt provably
///   never reached the application (no connection; an answer the dialect says proves it);
/// - otherwise a create that may have reached the provider fails with `.outcomeUnknown`.
///
/// A class, not a struct: its state is large (560 bytes) and immutable, and every client, poll
/// closure and async frame that held a copy paid for it; a task being followed keeps those frames
/// for its whole life (see "Figure 4 at 10,000 tasks" in Documentation/Performance.md).
package final class RequestExecutor: Sendable {
    package let dialect: ProviderDialect
    package let configuration: ClientConfiguration
    package let baseURL: URL
    let credential: Secret?
    package let time: TimeSource
    /// Made once per client rather than per request: the credential's header value, the default
    /// headers (with and without the configured extras that carry credentials) and the base URL
    /// as text with no trailing `/`.
    let authorization: Secret?
    let defaultHeaders: HTTPHeaders
    let publicDefaultHeaders: HTTPHeaders
    let baseURLText: String
    /// Where the credential may go: the base URL's origin and the provider's documented one. A URL
    /// a provider hands back (fal's status, result and cancel URLs) gets it only when it is on one.
    let credentialOrigins: Set<Origin>
    /// The credential's bytes in every form a server could echo it (``Redaction/echoForms(of:)``),
    /// scrubbed from each answer before anything reads it.
    let echoedSecrets: [Data]
    /// Jitter source, in 0..<1. Replaced in tests for exact backoff figures.
    package let random: @Sendable () -> Double
    /// Wall-clock time, for `Retry-After` dates. Replaced in tests.
    package let now: @Sendable () -> Date

    package init(
        dialect: ProviderDialect,
        configuration: ClientConfiguration,
        apiKey: String?,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.random = random
        self.now = now
        self.dialect = dialect
        self.configuration = configuration
        self.baseURL = configuration.baseURL ?? dialect.defaultBaseURL
        let credential = apiKey.flatMap { $0.isEmpty ? nil : Secret($0) }
        self.credential = credential
        self.time = TimeSource(configuration.clock)
        self.authorization = credential.map { Secret(dialect.authorizationValue($0.value)) }
        var defaults: HTTPHeaders = [
            "User-Agent": MediaGenKitVersion.userAgent(for: dialect.provider),
            "Accept": "application/json",
        ]
        var publicDefaults = defaults
        defaults.merge(defaults: configuration.additionalHeaders)
        // Output URLs are public links on other hosts: no credential of any kind goes there,
        // even one a user put among the additional headers.
        publicDefaults.merge(
            defaults: HTTPHeaders(configuration.additionalHeaders.fields.filter { !HTTPHeaders.isSensitive($0.name) }))
        self.defaultHeaders = defaults
        self.publicDefaultHeaders = publicDefaults
        var baseURLText = baseURL.absoluteString
        while baseURLText.hasSuffix("/") { baseURLText.removeLast() }
        self.baseURLText = baseURLText
        self.credentialOrigins = Set([baseURL, dialect.defaultBaseURL].compactMap(Origin.init))
        self.echoedSecrets = (apiKey.map(Redaction.echoForms) ?? []).map { Data($0.utf8) }
    }

    package var provider: Provider { dialect.provider }

    // MARK: - Sending

    /// Sends `request` under the retry rule and returns the successful response.
    package func send(_ request: APIRequest) async throws -> HTTPResponse {
        try await answer(to: request).response
    }

    /// Sends `request` and decodes the JSON answer.
    package func send<T: Decodable>(_ request: APIRequest, decoding type: T.Type) async throws -> T {
        let answer = try await answer(to: request)
        return try decode(type, from: answer.response, json: answer.json, taskID: request.taskID)
    }

    /// A successful response and its body read as JSON (`nil` when it is not JSON), parsed once
    /// for the dialect's error sniffing and for decoding.
    private struct Answer {
        var response: HTTPResponse
        var json: JSONNode?
    }

    private func answer(to request: APIRequest) async throws -> Answer {
        let prepared = try prepare(request, authorized: request.sendsCredential)
        defer { prepared.removeTemporaryFile() }
        let progress = request.progress
        let transport = configuration.transport
        return try await perform(prepared.http, intent: request.intent, taskID: request.taskID) { httpRequest in
            guard let progress else { return try await transport.send(httpRequest) }
            return try await transport.upload(httpRequest, progress: progress)
        }
    }

    /// Streams `url` into `file` under the read retry rule, with no credential: output URLs are
    /// public CDN links and must never receive an API key.
    package func download(
        _ url: URL,
        to file: URL,
        progress: (@Sendable (TransferProgress) -> Void)?
    ) async throws -> HTTPResponse {
        try URLPolicy.checkDownloadURL(url, provider: provider)
        let prepared = try prepare(APIRequest(.get, .url(url)), authorized: false)
        let transport = configuration.transport
        return try await perform(prepared.http, intent: .read, taskID: nil) { httpRequest in
            try await transport.download(httpRequest, to: file, progress: progress)
        }.response
    }

    // MARK: - Decoding

    /// Decodes a JSON body, or throws `.decoding` with the start of the body (credentials removed).
    /// `json` is the body already parsed, when the caller has it.
    package func decode<T: Decodable>(
        _ type: T.Type,
        from response: HTTPResponse,
        json: JSONNode? = nil,
        taskID: String? = nil
    ) throws(MediaGenError) -> T {
        do {
            if let json { return try JSONReader().decode(T.self, from: json) }
            return try JSONReader().decode(T.self, from: response.body)
        } catch {
            throw MediaGenError(
                .decoding(snippet: snippet(of: response.body)),
                provider: provider,
                message: "cannot read \(T.self): \(Self.explain(error))",
                httpStatus: response.status,
                requestID: requestID(in: response, details: nil),
                taskID: taskID
            )
        }
    }

    /// Encodes `value` with the provider's JSON conventions.
    package func jsonBody(_ value: some Encodable) throws(MediaGenError) -> APIRequest.Body {
        do {
            return try APIRequest.json(value, encoder: dialect.makeEncoder())
        } catch {
            throw MediaGenError(error.kind, provider: provider, message: error.message)
        }
    }

    // MARK: - The retry loop

    /// How an attempt failed.
    private indirect enum Failure: Error {
        /// An error answer, as the dialect read it.
        case response(HTTPResponse, ProviderErrorDetails)
        case transport(TransportError)
        /// Cancelled in flight, or thrown by a middleware or transport of the user's: the call
        /// ends with this error as it is.
        case interrupted(any Error)
    }

    private func perform(
        _ request: HTTPRequest,
        intent: RequestIntent,
        taskID: String?,
        terminal: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> Answer {
        let attempt = chain(terminal)
        let started = time.elapsed
        let charged = configuration.budget == nil ? nil : try await charge(for: intent)
        var retry = RetryStateMachine(intent: intent, policy: configuration.retry)
        do {
            while true {
                // A cancel seen here provably sent nothing of this attempt; one seen after the
                // request was handed to the transport may not have stopped it in time.
                try Task.checkCancellation()
                let failure: Failure
                do {
                    let response =
                        configuration.transport.enforcesTimeouts
                        ? try await attempt(request)
                        : try await Self.withDeadline(request.timeout) { try await attempt(request) }
                    switch read(response) {
                    case .success(let answer): return answer
                    case .failure(let refusal): failure = refusal
                    }
                } catch {
                    failure = Self.failure(from: error)
                }
                let wait = try nextWait(after: failure, retry: &retry, started: started, intent: intent, taskID: taskID)
                try await time.sleep(for: wait)
            }
        } catch {
            // Give the budget back only when no attempt can have made the task: every attempt was
            // refused outright or provably never reached the provider. A cancelled call, a refusal
            // after an attempt that may have run, an unknown outcome: all stay counted.
            if let charged, !retry.mayHaveCreated {
                await refund(charged)
            }
            throw error
        }
    }

    /// Charges a create's estimate to the budget, if there is one; what was charged.
    @inline(never)
    private func charge(for intent: RequestIntent) async throws -> Money? {
        guard case .create(_, let charge?) = intent, let budget = configuration.budget else { return nil }
        return try await budget.charge(charge.estimate, for: charge.model, provider: provider)
    }

    @inline(never)
    private func refund(_ charged: Money) async {
        await configuration.budget?.refund(charged)
    }

    // The steps of `perform` between its waits are kept out of line on purpose (`@inline(never)`):
    // inlined, their locals (parsed JSON, error values, the retry decision) became part of
    // `perform`'s async frame, 14 KiB, which the task allocator keeps for as long as the calling
    // task lives — for a task being followed, while it sleeps between polls (see "Figure 4 at
    // 10,000 tasks" in Documentation/Performance.md).

    /// A successful answer, or the failure it is: redacted and parsed once.
    @inline(never)
    private func read(_ response: HTTPResponse) -> Result<Answer, Failure> {
        let response = redacted(response)
        let json = try? JSONReader.node(from: response.body)
        if let details = errorDetails(in: response, json: json) {
            return .failure(.response(response, details))
        }
        return .success(Answer(response: response, json: json))
    }

    /// How an attempt that threw failed.
    @inline(never)
    private static func failure(from error: any Error) -> Failure {
        switch error {
        case let error as CancellationError:
            return .interrupted(error)
        case let error as MediaGenError:
            // Thrown by a middleware or transport of the user's: nothing says what was sent.
            return .interrupted(error)
        default:
            return .transport(error as? TransportError ?? TransportError(.other, Redaction.describe(error)))
        }
    }

    /// How long to wait before the next attempt after `failure`, or the error the call ends with.
    @inline(never)
    private func nextWait(
        after failure: Failure,
        retry: inout RetryStateMachine,
        started: Duration,
        intent: RequestIntent,
        taskID: String?
    ) throws -> Duration {
        switch retry.next(after: outcome(of: failure), elapsed: time.elapsed - started, jitter: random()) {
        case .retry(let wait):
            return wait
        case .fail:
            throw error(for: failure, intent: intent, taskID: taskID)
        case .failOutcomeUnknown(let unknown):
            throw outcomeUnknown(error(for: failure, intent: intent, taskID: taskID), because: unknown.reason)
        }
    }

    /// `failure` as the retry rule reads it: the provider's verdicts on an answer are taken here.
    private func outcome(of failure: Failure) -> RetryStateMachine.Outcome {
        switch failure {
        case .response(let response, let details):
            return .answer(
                RetryStateMachine.Answer(
                    status: response.status,
                    retryable: details.retryable,
                    provesNotProcessed: dialect.provesNotProcessed(response),
                    retryAfter: retryAfter(in: response, details: details)))
        case .transport(let transportError):
            return .transportFailure(transportError)
        case .interrupted:
            return .interrupted
        }
    }

    /// The error a call that ends on `failure` throws: the interrupting error as it is, or the
    /// answer or transport failure in the shared vocabulary.
    private func error(for failure: Failure, intent: RequestIntent, taskID: String?) -> any Error {
        var key: String?
        if case .create(let idempotencyKey, _) = intent { key = idempotencyKey }
        switch failure {
        case .response(let response, let details):
            return error(for: response, details: details, taskID: taskID, idempotencyKey: key)
        case .transport(let transportError):
            return error(for: transportError, taskID: taskID, idempotencyKey: key)
        case .interrupted(let error):
            return error
        }
    }

    /// `error` as `.outcomeUnknown`, saying why. Only answers and transport failures end so, and
    /// they are always mapped to a ``MediaGenError``.
    private func outcomeUnknown(_ error: any Error, because reason: String) -> any Error {
        guard let last = error as? MediaGenError else { return error }
        var unknown = last
        unknown.kind = .outcomeUnknown
        unknown.message =
            "the create may have reached \(provider.displayName) (\(reason)); last error: \(last.message)"
        return unknown
    }

    /// Runs the configured middleware around `terminal`, first middleware outermost.
    private func chain(
        _ terminal: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) -> @Sendable (HTTPRequest) async throws -> HTTPResponse {
        configuration.middleware.reversed().reduce(terminal) { next, middleware in
            { request in try await middleware.intercept(request, next: next) }
        }
    }

    /// Races `operation` against a deadline on the real clock. The deadline is a watchdog, not a
    /// pace: it stays on `ContinuousClock` so that tests with an instant clock do not time out
    /// every request.
    @inline(never)
    private static func withDeadline(
        _ timeout: Duration?,
        _ operation: @escaping @Sendable () async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        guard let timeout else { return try await operation() }
        return try await withThrowingTaskGroup(of: HTTPResponse?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let response = first else {
                throw TransportError(.timedOut, "no complete answer within \(MediaGenError.format(timeout))")
            }
            return response
        }
    }

    // MARK: - Errors

    func errorDetails(in response: HTTPResponse, json: JSONNode?) -> ProviderErrorDetails? {
        if let details = dialect.parseError(response, json) { return details }
        return response.isSuccess ? nil : ProviderErrorDetails()
    }

    private func retryAfter(in response: HTTPResponse, details: ProviderErrorDetails) -> Duration? {
        details.retryAfter ?? response.headers["Retry-After"].flatMap { RetryAfter.parse($0, now: now()) }
    }

    private func requestID(in response: HTTPResponse, details: ProviderErrorDetails?) -> String? {
        details?.requestID ?? dialect.requestIDHeaders.lazy.compactMap { response.headers[$0] }.first
    }

    /// Maps an error answer to the shared error: status first, the provider's own reading over it.
    package func error(
        for response: HTTPResponse,
        details: ProviderErrorDetails,
        taskID: String?,
        idempotencyKey: String? = nil
    ) -> MediaGenError {
        let message = scrub(details.message ?? fallbackMessage(for: response))
        let kind: MediaGenError.Kind
        if let override = details.kind {
            kind = override
        } else {
            switch response.status {
            case 400, 422: kind = .invalidRequest(field: details.field, reason: message)
            case 401, 403: kind = .authentication
            case 402: kind = .insufficientCredits
            case 404, 410: kind = .notFound
            case 408: kind = .timeout
            case 409: kind = .conflict
            case 429: kind = .rateLimited(retryAfter: retryAfter(in: response, details: details))
            case 500...: kind = .server
            // An error inside a 2xx (Skytells' `status: false`) and any other status: a refusal.
            default: kind = .invalidRequest(field: details.field, reason: message)
            }
        }
        return MediaGenError(
            kind,
            provider: provider,
            message: message,
            providerCode: details.code,
            httpStatus: response.status,
            requestID: requestID(in: response, details: details),
            taskID: taskID,
            idempotencyKey: idempotencyKey,
            rateLimit: details.rateLimit
        )
    }

    func error(for failure: TransportError, taskID: String?, idempotencyKey: String?) -> MediaGenError {
        let kind: MediaGenError.Kind
        switch failure.reason {
        case .timedOut: kind = .timeout
        case .localFile: kind = .file(path: failure.path ?? "")
        default: kind = .network
        }
        return MediaGenError(
            kind,
            provider: provider,
            message: scrub(failure.detail),
            taskID: taskID,
            idempotencyKey: idempotencyKey
        )
    }

    private func fallbackMessage(for response: HTTPResponse) -> String {
        let text = snippet(of: response.body)
        return text.isEmpty ? HTTPURLResponse.localizedString(forStatusCode: response.status) : text
    }

    private static func explain(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "the top level" : String(path.drop { $0 == "." })
        }
        switch decodingError {
        case .keyNotFound(let key, let context):
            return "missing `\(key.stringValue)` at \(path(context))"
        case .typeMismatch(let type, let context):
            return "expected \(type) at \(path(context))"
        case .valueNotFound(let type, let context):
            return "null where \(type) was expected at \(path(context))"
        case .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context))"
        @unknown default:
            return "\(decodingError)"
        }
    }
}

import Foundation
import MediaGenCore
import MediaGenTesting
import TestSupport

extension Provider {
    /// A provider that exists only in these tests.
    static let acme = Provider("acme", displayName: "Acme", apiKeyEnvironmentVariable: "ACME_API_KEY")
}

/// The secret every harness client uses; tests search outputs for it.
let acmeKey = "sk-acme-SECRET-0123456789"

/// An executor over a stub transport, with an instant clock and no jitter, so backoff delays are exact.
struct ExecutorHarness {
    let executor: RequestExecutor
    let transport: StubTransport
    let clock: ImmediateClock

    init(
        retry: RetryPolicy = .default,
        budget: Budget? = nil,
        middleware: [any HTTPMiddleware] = [],
        timeout: Duration = .seconds(60),
        apiKey: String? = acmeKey,
        dialect: ProviderDialect = .acme(),
        random: Double = 0,
        now: Date = Date(timeIntervalSince1970: 1_800_000_000),
        additionalHeaders: HTTPHeaders = [:],
        answer: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) {
        let clock = ImmediateClock()
        let transport = StubTransport(answer)
        self.executor = RequestExecutor(
            dialect: dialect,
            configuration: ClientConfiguration(
                timeout: timeout,
                retry: retry,
                budget: budget,
                middleware: middleware,
                transport: transport,
                clock: clock,
                additionalHeaders: additionalHeaders
            ),
            apiKey: apiKey,
            random: { random },
            now: { now }
        )
        self.transport = transport
        self.clock = clock
    }

    /// Answers with `responses` in order (then fails).
    init(
        retry: RetryPolicy = .default,
        budget: Budget? = nil,
        dialect: ProviderDialect = .acme(),
        responses: [Result<HTTPResponse, TransportError>]
    ) {
        let queue = Locked(responses)
        self.init(retry: retry, budget: budget, dialect: dialect) { request in
            guard let next = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
                throw TransportError(.invalidRequest, "harness: no answer left for \(request)")
            }
            return try next.get()
        }
    }

    var attempts: Int { transport.requests.count }
}

extension ProviderDialect {
    /// Acme speaks `{"error": {"code", "message", "request_id", "retryable"?}}` with Bearer auth.
    static func acme(provesNotProcessed: (@Sendable (HTTPResponse) -> Bool)? = nil) -> ProviderDialect {
        var dialect = ProviderDialect(
            provider: .acme,
            defaultBaseURL: URL(string: "https://api.acme.test/v1")!,
            parseError: { _, json in
                guard let body = try? json?.jsonValue(), let error = body["error"]
                else {
                    return nil
                }
                return ProviderErrorDetails(
                    message: error["message"]?.stringValue,
                    code: error["code"]?.stringValue,
                    requestID: error["request_id"]?.stringValue,
                    retryAfter: error["retry_after_seconds"]?.intValue.map { .seconds($0) },
                    retryable: error["retryable"]?.boolValue,
                    field: error["param"]?.stringValue
                )
            }
        )
        if let provesNotProcessed { dialect.provesNotProcessed = provesNotProcessed }
        return dialect
    }
}

extension HTTPResponse {
    static func acmeError(
        _ status: Int, code: String = "oops", message: String = "it failed", extra: String = "",
        headers: HTTPHeaders = [:]
    ) -> HTTPResponse {
        .json(
            #"{"error": {"code": "\#(code)", "message": "\#(message)", "request_id": "req_9"\#(extra)}}"#,
            status: status, headers: headers)
    }

    static let created = HTTPResponse.json(#"{"id": "task_1", "status": "queued"}"#, status: 201)
}

extension APIRequest {
    static let read = APIRequest.get("tasks", "task_1", taskID: "task_1")

    static func create(key: String? = nil, estimate: Money? = nil, model: String = "acme-music") -> APIRequest {
        APIRequest(
            .post,
            .path(["tasks"]),
            body: .json(Data(#"{"prompt": "jazz"}"#.utf8)),
            intent: .create(idempotencyKey: key, charge: .init(model: model, estimate: estimate))
        )
    }
}

extension Result where Success == HTTPResponse, Failure == TransportError {
    static func status(_ code: Int) -> Self { .success(.acmeError(code)) }
    static let ok = Self.success(.created)
    static func transport(_ reason: TransportError.Reason) -> Self {
        .failure(TransportError(reason, "simulated \(reason)"))
    }
}

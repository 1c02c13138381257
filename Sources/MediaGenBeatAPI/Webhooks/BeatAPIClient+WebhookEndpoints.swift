import Foundation
import MediaGenCore

extension BeatAPIClient {
    /// The account's webhook endpoints (`GET /v1/webhooks`). Their secrets are masked.
    ///
    /// ```swift
    /// for endpoint in try await beatAPI.listWebhookEndpoints().data where endpoint.status == .active {
    ///     print(endpoint.id, endpoint.url?.absoluteString ?? "")
    /// }
    /// ```
    public func listWebhookEndpoints() async throws -> BeatAPIWebhookEndpointList {
        try await send(.get("webhooks"), as: BeatAPIWebhookEndpointList.self)
    }

    /// Creates a webhook endpoint (`POST /v1/webhooks`) and returns it with its signing secret,
    /// which BeatAPI shows only this once: store ``BeatAPICreatedWebhookEndpoint/secret`` now.
    ///
    /// ```swift
    /// let created = try await beatAPI.createWebhookEndpoint(
    ///     url: URL(string: "https://app.example.com/hooks/beatapi")!, events: [.taskSucceeded, .taskFailed],
    ///     description: "production")
    /// try vault.store(created.secret?.value ?? "", for: created.endpoint.id)
    /// ```
    ///
    /// `url` must be https (http only to `localhost`, `127.0.0.0/8` or `[::1]` while developing),
    /// without `user:password@`. `events` `nil` subscribes to every event (BeatAPI's default); an
    /// empty list is refused.
    /// Tasks created while an endpoint is active report to it.
    ///
    /// BeatAPI's published description documents no `Idempotency-Key` for this create, so none is
    /// sent and a create that may have reached BeatAPI is not sent again (`.outcomeUnknown`):
    /// list the endpoints before creating it once more.
    public func createWebhookEndpoint(
        url: URL,
        events: [BeatAPIWebhookEventType]? = nil,
        description: String? = nil,
        status: BeatAPIWebhookEndpointStatus? = nil
    ) async throws -> BeatAPICreatedWebhookEndpoint {
        let body = try Self.endpointBody(url: url, events: events, description: description, status: status)
        let request = APIRequest(
            .post, .path(["webhooks"]), body: try executor.jsonBody(body),
            intent: .create(idempotencyKey: nil, charge: nil))
        return try await send(request, as: BeatAPICreatedWebhookEndpoint.self)
    }

    /// Creates a webhook endpoint. BeatAPI does not de-duplicate this create, so the key is checked
    /// and then not sent; use ``createWebhookEndpoint(url:events:description:status:)``.
    @available(
        *, deprecated, renamed: "createWebhookEndpoint(url:events:description:status:)",
        message: "BeatAPI documents no Idempotency-Key for webhook endpoints"
    )
    public func createWebhookEndpoint(
        url: URL,
        events: [BeatAPIWebhookEventType]? = nil,
        description: String? = nil,
        status: BeatAPIWebhookEndpointStatus? = nil,
        idempotencyKey: String?
    ) async throws -> BeatAPICreatedWebhookEndpoint {
        _ = try RequestValidation.idempotencyKey(idempotencyKey, provider: .beatAPI)
        return try await createWebhookEndpoint(url: url, events: events, description: description, status: status)
    }

    /// One webhook endpoint (`GET /v1/webhooks/{id}`); its secret is masked.
    public func webhookEndpoint(id: String) async throws -> BeatAPIWebhookEndpoint {
        return try await send(.get("webhooks", id), as: BeatAPIWebhookEndpoint.self)
    }

    /// Changes the given fields of a webhook endpoint (`PATCH /v1/webhooks/{id}`); `nil` leaves a
    /// field as it is. At least one field must be given.
    ///
    /// ```swift
    /// _ = try await beatAPI.updateWebhookEndpoint(id: endpoint.id, status: .disabled)
    /// ```
    public func updateWebhookEndpoint(
        id: String,
        url: URL? = nil,
        events: [BeatAPIWebhookEventType]? = nil,
        description: String? = nil,
        status: BeatAPIWebhookEndpointStatus? = nil
    ) async throws -> BeatAPIWebhookEndpoint {
        let body = try Self.endpointBody(url: url, events: events, description: description, status: status)
        guard body.objectValue?.isEmpty == false else {
            throw MediaGenError.invalidInput(
                "update", "nothing to change: give a url, events, a description or a status", provider: .beatAPI)
        }
        let request = APIRequest(.patch, .path(["webhooks", id]), body: try executor.jsonBody(body))
        return try await send(request, as: BeatAPIWebhookEndpoint.self)
    }

    /// Deletes a webhook endpoint (`DELETE /v1/webhooks/{id}`).
    @discardableResult
    public func deleteWebhookEndpoint(id: String) async throws -> BeatAPIDeleteResponse {
        let response = try await executor.send(APIRequest(.delete, .path(["webhooks", id])))
        // A bodiless answer (204) is a deletion too.
        guard !response.body.isEmpty else { return BeatAPIDeleteResponse(id: id, object: nil, deleted: true) }
        return try executor.decode(BeatAPIResponse<BeatAPIDeleteResponse>.self, from: response).data
    }

    /// The create or update body, checked: an https URL (http only to a loopback host), a
    /// non-empty event list.
    static func endpointBody(
        url: URL?,
        events: [BeatAPIWebhookEventType]?,
        description: String?,
        status: BeatAPIWebhookEndpointStatus?
    ) throws(MediaGenError) -> JSONValue {
        var body: [String: JSONValue] = [:]
        if let url {
            try URLPolicy.checkWebhookURL(url, field: "url", provider: .beatAPI)
            body["url"] = .string(url.absoluteString)
        }
        if let events {
            guard !events.isEmpty else {
                throw .invalidInput(
                    "events", "subscribe to at least one event, or pass nil for all of them", provider: .beatAPI)
            }
            body["events"] = .array(events.map { .string($0.rawValue) })
        }
        if let description { body["description"] = .string(description) }
        if let status { body["status"] = .string(status.rawValue) }
        return .object(body)
    }
}

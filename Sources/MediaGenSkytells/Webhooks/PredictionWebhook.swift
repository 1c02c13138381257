import Foundation
import MediaGenCore

/// Where Skytells should POST a prediction's events, and which events.
///
/// ```swift
/// let webhook = PredictionWebhook(url: URL(string: "https://yourapp.com/api/webhooks/skytells")!,
///                                 events: [.completed])
/// let prediction = try await skytells.createPrediction(.trueFusionVideoPro, input: input, webhook: webhook)
/// ```
///
/// Skytells documents two ways to send it, and both are supported: the guides' `"webhook": "<url>"`
/// with `"webhook_events_filter": [...]`, and the official client's `"webhook": {"url", "events"}`.
/// By default each create endpoint uses its own documented form (see ``PredictionEndpoint``).
public struct PredictionWebhook: Hashable, Sendable {
    /// A prediction event Skytells can deliver.
    public enum Event: String, Hashable, Sendable, CaseIterable, Codable {
        case started, completed, failed, canceled
    }

    /// How the webhook is written in the create body.
    public enum Form: Hashable, Sendable {
        /// `"webhook": "<url>", "webhook_events_filter": [...]` (the guides' form).
        case urlWithEventsFilter
        /// `"webhook": {"url": "<url>", "events": [...]}` (the official client's form).
        case object
    }

    public var url: URL
    /// Empty means every event.
    public var events: [Event]
    /// `nil` picks the create endpoint's documented form.
    public var form: Form?

    public init(url: URL, events: [Event] = [.completed], form: Form? = nil) {
        self.url = url
        self.events = events
        self.form = form
    }
}

/// Which create endpoint to use.
public enum PredictionEndpoint: Hashable, Sendable {
    /// `POST /v1/predictions`, as Skytells' guides document it. Returns at once with a queued prediction.
    case predictions
    /// `POST /v1/predict`, as the official client uses it. With `waitForCompletion`, the call holds
    /// until the prediction ends (`"await": true`) and its timeout is raised to match.
    case predict(waitForCompletion: Bool)
}

/// The create body, in either endpoint's form.
struct PredictionCreateBody<Input: Encodable & Sendable>: Encodable, Sendable {
    let model: String
    let input: Input
    let webhook: PredictionWebhook?
    let endpoint: PredictionEndpoint

    private enum CodingKeys: String, CodingKey {
        case model, input, webhook, await
        case eventsFilter = "webhook_events_filter"
    }

    private struct WebhookObject: Encodable {
        let url: URL
        let events: [PredictionWebhook.Event]
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(input, forKey: .input)
        if let webhook {
            switch webhook.form ?? (endpoint == .predictions ? .urlWithEventsFilter : .object) {
            case .urlWithEventsFilter:
                try container.encode(webhook.url, forKey: .webhook)
                if !webhook.events.isEmpty { try container.encode(webhook.events, forKey: .eventsFilter) }
            case .object:
                try container.encode(WebhookObject(url: webhook.url, events: webhook.events), forKey: .webhook)
            }
        }
        if case .predict(waitForCompletion: true) = endpoint {
            try container.encode(true, forKey: .await)
        }
    }
}

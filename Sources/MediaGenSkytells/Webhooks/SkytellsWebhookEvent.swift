import Foundation
import MediaGenCore

/// A verified Skytells webhook delivery: what happened, and the prediction it happened to.
///
/// ```swift
/// let event = try SkytellsWebhook.event(body: requestBody, headers: requestHeaders, secret: webhookSecret)
/// switch event.type {
/// case "prediction.succeeded": print("done:", event.prediction.outputs.map(\.url))
/// case "prediction.failed": print("failed:", event.prediction.id)
/// default: break
/// }
/// ```
///
/// Skytells documents two bodies. The API reference's envelope
/// `{"type": "prediction.succeeded", "created_at": …, "data": {…}}` keeps its `type` and
/// `created_at`; a bare prediction (the body the TypeScript SDK's listener reads) becomes
/// `prediction.{status}` with the prediction's own status, as that listener routes it.
public struct SkytellsWebhookEvent: Hashable, Sendable, Decodable {
    /// The event's name, `prediction.` and a status (`prediction.succeeded`, `prediction.failed`, …).
    public var type: String
    /// When Skytells sent the event, as it wrote it (envelopes only).
    public var createdAtText: String?
    /// The prediction the event concerns.
    public var prediction: Prediction

    /// When Skytells sent the event, when the envelope says and the time can be read.
    public var createdAt: Date? { Timestamp.date(fromISO8601: createdAtText) }

    private enum CodingKeys: String, CodingKey {
        case type
        case createdAt = "created_at"
        case data
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let type = try container.decodeIfPresent(String.self, forKey: .type),
            container.contains(.data)
        {
            self.type = type
            self.createdAtText = try container.decodeIfPresent(String.self, forKey: .createdAt)
            self.prediction = try container.decode(Prediction.self, forKey: .data)
        } else {
            let prediction = try Prediction(from: decoder)
            self.type = "prediction.\(prediction.rawStatus.lowercased())"
            self.createdAtText = nil
            self.prediction = prediction
        }
    }
}

import Foundation
import MediaGenBeatAPI
import MediaGenCore
import Testing

/// A delivery as the spec describes it (`paths["/v1/webhooks"].post`, `operations.receiveBeatApiTaskEvent`):
/// headers `x-beatapi-event`, `x-beatapi-timestamp` (Unix seconds) and `x-beatapi-signature`, the hex
/// HMAC-SHA256 of `timestamp + "." + raw body` keyed with the endpoint's secret; a 5 minute window
/// against replays; the body a `WebhookEvent`.
@Suite("BeatAPI webhook deliveries as the spec describes them")
struct BeatAPIWebhookEventSpecTests {
    static let secret = BeatAPIWebhookSecret("whsec_example_store_this_once")
    static let timestamp = "1782210300"
    static let sent = Date(timeIntervalSince1970: 1_782_210_300)

    static func signature(_ body: Data, timestamp: String = timestamp) -> String {
        SecureHash.hmacSHA256(key: Data(secret.value.utf8), message: Data("\(timestamp).".utf8) + body)
            .map { String(format: "%02x", $0) }.joined()
    }

    static func headers(for body: Data) -> HTTPHeaders {
        [
            "x-beatapi-event": "task.succeeded",
            "x-beatapi-timestamp": timestamp,
            "x-beatapi-signature": signature(body),
        ]
    }

    /// (fixture, workflow, storyboard shots, USD settled) for each `WebhookEvent` example.
    static let specEvents: [(String, BeatAPIWorkflowID?, Int?, String)] = [
        ("webhook-event-music-video-usd", .musicVideo, 1, "76"),
        ("webhook-event-video-usd", nil, nil, "1.55"),
    ]

    @Test(arguments: specEvents)
    func eachSpecDeliveryVerifiesAndDecodesItsEnvelope(
        fixtureName: String, workflow: BeatAPIWorkflowID?, shots: Int?, settled: String
    ) throws {
        let body = try fixture(fixtureName)
        let event = try BeatAPIWebhook.event(
            body: body, headers: Self.headers(for: body), secret: Self.secret, now: Self.sent)

        #expect(event.id == "evt_123")
        #expect(event.type == .taskSucceeded)
        #expect(event.createdAt == Self.sent)
        #expect(event.task.id == "task_8K2qA")
        #expect(event.task.workflow == workflow)
        #expect(event.task.status == .succeeded)
        #expect(event.task.completedAt == Self.sent)
        #expect(
            event.task.outputs == [
                RemoteFile(
                    url: URL(string: "https://media.beatapi.io/outputs/task_8K2qA/0.mp4")!, contentType: "video/mp4")
            ])
        #expect(event.task.storyboard?.shots.count == shots)
        #expect(event.task.usage?.creditsSettled == Money(Decimal(string: settled)!, .usd))
        #expect(event.task.requestID == "req_abc123")
    }

    /// The signature covers `timestamp + "." + body`: a signature of the body alone, of another
    /// timestamp, or with another secret is refused.
    @Test(arguments: specEvents.map(\.0))
    func aSignatureOverAnythingElseIsRefused(fixtureName: String) throws {
        let body = try fixture(fixtureName)
        let forged = [
            SecureHash.hmacSHA256(key: Data(Self.secret.value.utf8), message: body).map { String(format: "%02x", $0) }
                .joined(),
            Self.signature(body, timestamp: "1782210299"),
            SecureHash.hmacSHA256(key: Data("whsec_other".utf8), message: Data("\(Self.timestamp).".utf8) + body)
                .map { String(format: "%02x", $0) }.joined(),
        ]
        for signature in forged {
            let error = #expect(throws: MediaGenError.self) {
                try BeatAPIWebhook.verify(
                    body: body, timestamp: Self.timestamp, signature: signature, secret: Self.secret, now: Self.sent)
            }
            #expect(error?.kind == .invalidSignature)
        }
    }

    /// (seconds between the delivery's timestamp and now, accepted): the spec recommends rejecting
    /// timestamps outside a 5 minute window, which is the default tolerance.
    static let ages: [(Int, Bool)] = [(0, true), (290, true), (-290, true), (310, false), (-310, false), (3600, false)]

    @Test(arguments: ages)
    func theReplayWindowIsFiveMinutes(age: Int, accepted: Bool) throws {
        let body = try fixture("webhook-event-video-usd")
        let now = Self.sent.addingTimeInterval(TimeInterval(age))
        #expect(WebhookVerification.defaultTolerance == .seconds(300))
        if accepted {
            try BeatAPIWebhook.verify(body: body, headers: Self.headers(for: body), secret: Self.secret, now: now)
        } else {
            let error = #expect(throws: MediaGenError.self) {
                try BeatAPIWebhook.verify(body: body, headers: Self.headers(for: body), secret: Self.secret, now: now)
            }
            #expect(error?.kind == .invalidSignature)
        }
    }
}

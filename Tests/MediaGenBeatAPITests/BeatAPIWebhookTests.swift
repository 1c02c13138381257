import Foundation
import MediaGenBeatAPI
import MediaGenCore
import Testing

@Suite("BeatAPI webhooks")
struct BeatAPIWebhookTests {
    let secret = BeatAPIWebhookSecret("whsec_TEST_ONLY_dummy_value_0000")
    let body = (try? fixture("webhook-event-succeeded")) ?? Data()
    let now = Date(timeIntervalSince1970: 1_782_210_100)
    var timestamp: String { "1782210095" }

    /// Hex HMAC-SHA256 of "{timestamp}.{body}", as BeatAPI signs.
    func sign(_ body: Data, timestamp: String, secret: String) -> String {
        SecureHash.hmacSHA256(key: Data(secret.utf8), message: Data("\(timestamp).".utf8) + body)
            .map { String(format: "%02x", $0) }.joined()
    }

    var headers: HTTPHeaders {
        [
            "x-beatapi-event": "task.succeeded",
            "x-beatapi-timestamp": timestamp,
            "x-beatapi-signature": sign(body, timestamp: timestamp, secret: secret.value),
        ]
    }

    @Test func aSignedDeliveryIsVerifiedAndDecodedIntoTheTask() throws {
        let event = try BeatAPIWebhook.event(body: body, headers: headers, secret: secret, now: now)
        #expect(event.id == "evt_3fJ8sQ1zLp0a")
        #expect(event.type == .taskSucceeded)
        #expect(event.task.id == "task_8K2qA")
        #expect(event.task.status == .succeeded)
        #expect(event.task.outputs.count == 1)
        #expect(event.task.usage?.creditsSettled == .usd(450))
    }

    @Test func headerNamesAreCaseInsensitiveAndHexMayBeUpperCase() throws {
        let shouting: HTTPHeaders = [
            "X-BeatAPI-Timestamp": timestamp,
            "X-BeatAPI-Signature": sign(body, timestamp: timestamp, secret: secret.value).uppercased(),
        ]
        _ = try BeatAPIWebhook.event(body: body, headers: shouting, secret: secret, now: now)
        try BeatAPIWebhook.verify(
            body: body, timestamp: timestamp,
            signature: "sha256=" + sign(body, timestamp: timestamp, secret: secret.value), secret: secret, now: now)
    }

    @Test(arguments: [
        ("another secret", "secret"),
        ("a changed body", "body"),
        ("a changed timestamp", "timestamp"),
        ("a signature over the body alone", "body-only"),
        ("no signature", "no-signature"),
        ("no timestamp", "no-timestamp"),
        ("not hex", "garbage"),
        ("a delivery from ten minutes ago", "stale"),
        ("a delivery from the future", "future"),
    ])
    func forgedOrReplayedDeliveriesAreRejected(_ label: String, _ variant: String) {
        var payload = body
        var stamp: String? = timestamp
        var signature: String? = sign(body, timestamp: timestamp, secret: secret.value)
        var clock = now
        switch variant {
        case "secret": signature = sign(body, timestamp: timestamp, secret: "whsec_other")
        case "body":
            payload = Data(
                String(decoding: body, as: UTF8.self).replacingOccurrences(of: "succeeded", with: "failed").utf8)
        case "timestamp": stamp = "1782210096"
        case "body-only":
            signature = SecureHash.hmacSHA256(key: Data(secret.value.utf8), message: body)
                .map { String(format: "%02x", $0) }.joined()
        case "no-signature": signature = nil
        case "no-timestamp": stamp = nil
        case "garbage": signature = "zz-not-hex"
        case "stale": clock = now.addingTimeInterval(600)
        default: clock = now.addingTimeInterval(-600)
        }
        let error = #expect(throws: MediaGenError.self, "\(label)") {
            try BeatAPIWebhook.event(body: payload, timestamp: stamp, signature: signature, secret: secret, now: clock)
        }
        #expect(error?.kind == .invalidSignature, "\(label)")
        #expect(error?.provider == .beatAPI)
    }

    @Test func theToleranceWindowIsConfigurable() throws {
        let later = now.addingTimeInterval(600)
        let signature = sign(body, timestamp: timestamp, secret: secret.value)
        _ = try BeatAPIWebhook.event(
            body: body, timestamp: timestamp, signature: signature, secret: secret, tolerance: .seconds(900), now: later
        )
        #expect(throws: MediaGenError.self) {
            try BeatAPIWebhook.event(
                body: body, timestamp: timestamp, signature: signature, secret: secret, tolerance: .seconds(60),
                now: later)
        }
    }

    @Test func anEmptySecretVerifiesNothing() {
        let empty = BeatAPIWebhookSecret("")
        let error = #expect(throws: MediaGenError.self) {
            try BeatAPIWebhook.verify(
                body: body, timestamp: timestamp, signature: sign(body, timestamp: timestamp, secret: ""),
                secret: empty, now: now)
        }
        #expect(error?.kind == .invalidSignature)
    }

    @Test func aSignedBodyThatIsNotAnEventIsADecodingError() {
        let junk = Data(#"{"hello": "world"}"#.utf8)
        let error = #expect(throws: MediaGenError.self) {
            try BeatAPIWebhook.event(
                body: junk, timestamp: timestamp, signature: sign(junk, timestamp: timestamp, secret: secret.value),
                secret: secret, now: now)
        }
        guard case .decoding = error?.kind else {
            Issue.record("expected a decoding error")
            return
        }
    }

    @Test func aBareTaskBodyIsReadAsItsEvent() throws {
        let bare = Data(#"{"id": "task_1", "object": "task", "workflow": "music-video", "status": "failed"}"#.utf8)
        let event = try BeatAPIWebhook.event(
            body: bare, timestamp: timestamp, signature: sign(bare, timestamp: timestamp, secret: secret.value),
            secret: secret, now: now)
        #expect(event.type == .taskFailed)
        #expect(event.task.id == "task_1")
    }

    // MARK: - The secret never prints

    @Test func theSecretIsRedactedInEveryDescription() throws {
        let value = "whsec_TEST_ONLY_dummy_value_0000"
        let secret = BeatAPIWebhookSecret(value)
        var dumped = ""
        dump(secret, to: &dumped)
        for text in [String(describing: secret), String(reflecting: secret), "\(secret)", dumped] {
            #expect(!text.contains(value))
            #expect(text.contains("<redacted>"))
        }
        #expect(secret.value == value)
    }

    @Test func theCreateAnswerNeverPrintsItsSecret() async throws {
        let harness = BeatAPIHarness(fixtures: [("webhook-endpoint-created", 201)])
        let hook = try #require(URL(string: "https://app.example.com/hooks/beatapi"))
        let created = try await harness.client.createWebhookEndpoint(url: hook)
        var dumped = ""
        dump(created, to: &dumped)
        let texts = [
            String(describing: created), String(reflecting: created), dumped, String(describing: created.endpoint),
            String(describing: [created]),
        ]
        for text in texts {
            #expect(!text.contains("whsec_TEST_ONLY"))
        }
        #expect(created.secret?.value == "whsec_TEST_ONLY_dummy_value_0000")
    }
}

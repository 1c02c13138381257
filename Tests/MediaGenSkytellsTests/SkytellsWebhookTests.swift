import Foundation
import MediaGenCore
import MediaGenSkytells
import Testing

@Suite("Skytells webhooks")
struct SkytellsWebhookTests {
    let body = (try? fixture("prediction-succeeded-list")) ?? Data()

    /// Lowercase hex HMAC-SHA256 of the raw body, as Skytells computes it.
    func sign(_ body: Data, key: String) -> String {
        SecureHash.hmacSHA256(key: Data(key.utf8), message: body).map { String(format: "%02x", $0) }.joined()
    }

    @Test func aDeliverySignedWithTheKeyIsDecoded() throws {
        let event = try SkytellsWebhook.event(body: body, signature: sign(body, key: testKey), secret: testKey)
        #expect(event.prediction.id == "pred_aud_7f3k")
        #expect(event.prediction.status == .succeeded)
        // A bare prediction is named after its status, as the TypeScript SDK's listener routes it.
        #expect(event.type == "prediction.succeeded")
        #expect(event.createdAt == nil)
    }

    @Test func upperCaseHexIsAccepted() throws {
        try SkytellsWebhook.verify(body: body, signature: sign(body, key: testKey).uppercased(), secret: testKey)
    }

    @Test func theHeadersFormReadsTheSignatureHeaderInAnyCase() throws {
        let headers: HTTPHeaders = ["x-skytells-signature": sign(body, key: "whsec_dash")]
        try SkytellsWebhook.verify(body: body, headers: headers, secret: "whsec_dash")
        #expect(
            try SkytellsWebhook.event(body: body, headers: headers, secret: "whsec_dash").prediction.id
                == "pred_aud_7f3k")
        let error = #expect(throws: MediaGenError.self) {
            try SkytellsWebhook.event(body: body, headers: [:], secret: "whsec_dash")
        }
        #expect(error?.kind == .invalidSignature)
    }

    @Test func anEnvelopeKeepsItsTypeAndTimeAndCarriesThePrediction() throws {
        let prediction = String(decoding: body, as: UTF8.self)
        let envelope = Data(
            #"{"type": "prediction.failed", "created_at": "2026-01-15T08:00:00Z", "data": \#(prediction)}"#.utf8)
        let event = try SkytellsWebhook.event(body: envelope, signature: sign(envelope, key: testKey), secret: testKey)
        #expect(event.type == "prediction.failed")
        #expect(event.createdAtText == "2026-01-15T08:00:00Z")
        #expect(event.createdAt == Date(timeIntervalSince1970: 1_768_464_000))
        #expect(event.prediction.id == "pred_aud_7f3k")
    }

    @Test(arguments: [
        ("another key", "sk-other"),
        ("a changed body", "tampered"),
        ("no signature", "missing"),
        ("not hex", "garbage"),
    ])
    func forgedDeliveriesAreRejected(_ label: String, _ variant: String) {
        var signature: String? = sign(body, key: testKey)
        var payload = body
        switch variant {
        case "sk-other": signature = sign(body, key: "sk-other")
        case "tampered":
            payload = Data(
                String(decoding: body, as: UTF8.self).replacingOccurrences(of: "succeeded", with: "failed").utf8)
        case "missing": signature = nil
        default: signature = "not-hex!"
        }
        #expect(throws: MediaGenError.self, "\(label)") {
            try SkytellsWebhook.event(body: payload, signature: signature, secret: testKey)
        }
    }

    @Test func aSignedBodyThatIsNotAPredictionIsADecodingError() {
        let junk = Data(#"{"hello": "world"}"#.utf8)
        let error = #expect(throws: MediaGenError.self) {
            try SkytellsWebhook.event(body: junk, signature: sign(junk, key: testKey), secret: testKey)
        }
        guard case .decoding = error?.kind else {
            Issue.record("expected a decoding error")
            return
        }
    }
}

@Suite("Skytells webhook listener")
struct SkytellsWebhookListenerTests {
    let body = (try? fixture("prediction-succeeded-list")) ?? Data()

    func sign(_ body: Data, key: String = testKey) -> HTTPHeaders {
        [SkytellsWebhook.signatureHeader: SecureHash.hmacSHA256(key: Data(key.utf8), message: body).hexEncodedString]
    }

    /// A listener that records which of its routes ran, in order.
    func recordingListener(_ calls: Locked<[String]>, secret: String = testKey) -> SkytellsWebhookListener {
        let routes: [SkytellsWebhookRoute] = [
            .predictionSucceeded, .any, .anyPrediction, .completed, .predictionFailed, .failed, .predictionStarted,
        ]
        return routes.reduce(SkytellsWebhookListener(secret: secret)) { listener, route in
            listener.on(route) { _ in calls.withLock { $0.append(route.rawValue) } }
        }
    }

    @Test func aVerifiedDeliveryRunsItsRoutesFromTheWidestToTheSDKsShortName() async throws {
        let calls = Locked<[String]>([])
        let event = try await recordingListener(calls).handle(body: body, headers: sign(body))
        #expect(event.type == "prediction.succeeded")
        #expect(calls.withLock { $0 } == ["*", "prediction.*", "prediction.succeeded", "completed"])
    }

    @Test func anEnvelopeIsRoutedByItsTypeAndItsPredictionsStatus() async throws {
        let prediction = String(decoding: try fixture("prediction-failed-string"), as: UTF8.self)
        let envelope = Data(
            #"{"type": "prediction.failed", "created_at": "2026-03-06T20:15:23Z", "data": \#(prediction)}"#.utf8)
        let calls = Locked<[String]>([])
        _ = try await recordingListener(calls).handle(body: envelope, headers: sign(envelope))
        #expect(calls.withLock { $0 } == ["*", "prediction.*", "prediction.failed", "failed"])
    }

    @Test func aForgedDeliveryRunsNothingAndIsAnswered401() async {
        let calls = Locked<[String]>([])
        let listener = recordingListener(calls)
        let forged = sign(body, key: "sk-someone-else")
        let reply = await listener.reply(body: body, headers: forged)
        #expect(reply.status == 401)
        let error = await #expect(throws: MediaGenError.self) { try await listener.handle(body: body, headers: forged) }
        #expect(error?.kind == .invalidSignature)
        #expect(calls.withLock { $0 }.isEmpty)
    }

    @Test func aBlankSecretRefusesEveryDelivery() async {
        let calls = Locked<[String]>([])
        let reply = await recordingListener(calls, secret: " ").reply(body: body, headers: sign(body, key: " "))
        #expect(reply.status == 401)
        #expect(calls.withLock { $0 }.isEmpty)
    }

    @Test func aSignedBodyThatIsNoEventIsAnswered400() async {
        let junk = Data(#"{"hello": "world"}"#.utf8)
        let reply = await recordingListener(Locked([])).reply(body: junk, headers: sign(junk))
        #expect(reply.status == 400)
        #expect(String(decoding: reply.body, as: UTF8.self).contains("not a Skytells event"))
    }

    @Test func aFailingHandlerStopsTheDispatchAndIsAnswered500WithoutItsText() async {
        struct Boom: Error {}
        let calls = Locked<[String]>([])
        let listener = SkytellsWebhookListener(secret: testKey)
            .on(.any) { _ in throw Boom() }
            .on(.completed) { _ in calls.withLock { $0.append("completed") } }
        let reply = await listener.reply(body: body, headers: sign(body))
        #expect(reply.status == 500)
        #expect(!String(decoding: reply.body, as: UTF8.self).contains("Boom"))
        await #expect(throws: Boom.self) { try await listener.handle(body: body, headers: self.sign(self.body)) }
        #expect(calls.withLock { $0 }.isEmpty)
    }

    @Test func aDeliveryAnswers200AsJSON() async {
        let reply = await SkytellsWebhookListener(secret: testKey).reply(body: body, headers: sign(body))
        #expect(reply.status == 200)
        #expect(reply.contentType == "application/json")
    }
}

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

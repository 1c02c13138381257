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
        let prediction = try SkytellsWebhook.prediction(
            body: body, signature: sign(body, key: testKey), secret: testKey)
        #expect(prediction.id == "pred_aud_7f3k")
        #expect(prediction.status == .succeeded)
    }

    @Test func upperCaseHexIsAccepted() throws {
        try SkytellsWebhook.verify(body: body, signature: sign(body, key: testKey).uppercased(), secret: testKey)
    }

    @Test func theClientVerifiesWithItsOwnKeyByDefault() throws {
        let client = SkytellsClient(apiKey: testKey)
        #expect(try client.webhookPrediction(body: body, signature: sign(body, key: testKey)).id == "pred_aud_7f3k")
        #expect(
            try client.webhookPrediction(body: body, signature: sign(body, key: "whsec_dash"), secret: "whsec_dash").id
                == "pred_aud_7f3k")
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
            try SkytellsWebhook.prediction(body: payload, signature: signature, secret: testKey)
        }
    }

    @Test func aClientWithoutAKeyCannotVerify() {
        let client = SkytellsClient(apiKey: nil)
        let error = #expect(throws: MediaGenError.self) { try client.webhookPrediction(body: body, signature: "00") }
        #expect(error?.kind == .invalidSignature)
    }

    @Test func aSignedBodyThatIsNotAPredictionIsADecodingError() {
        let junk = Data(#"{"hello": "world"}"#.utf8)
        let error = #expect(throws: MediaGenError.self) {
            try SkytellsWebhook.prediction(body: junk, signature: sign(junk, key: testKey), secret: testKey)
        }
        guard case .decoding = error?.kind else {
            Issue.record("expected a decoding error")
            return
        }
    }
}

import Foundation
import MediaGenBeatAPI
import MediaGenCore
import TestSupport
import Testing

/// Blank webhook secrets, webhook endpoints BeatAPI must not be told to call, and non-finite
/// numbers are refused before anything is verified as authentic or sent.
@Suite("BeatAPI hostile input")
struct BeatAPIHostileInputTests {
    let body = (try? fixture("webhook-event-succeeded")) ?? Data()
    let now = Date(timeIntervalSince1970: 1_782_210_100)
    let timestamp = "1782210095"

    func sign(_ body: Data, secret: String) -> String {
        SecureHash.hmacSHA256(key: Data(secret.utf8), message: Data("\(timestamp).".utf8) + body)
            .map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Webhook secrets

    @Test(arguments: ["", " ", "\t", " \r\n "])
    func aBlankSecretNeverVerifiesEvenTheSignatureItWouldGive(secret: String) {
        let headers: HTTPHeaders = [
            "x-beatapi-timestamp": timestamp, "x-beatapi-signature": sign(body, secret: secret),
        ]
        let error = #expect(throws: MediaGenError.self) {
            try BeatAPIWebhook.event(body: body, headers: headers, secret: BeatAPIWebhookSecret(secret), now: now)
        }
        #expect(error?.kind == .invalidSignature)
        #expect(error?.provider == .beatAPI)
        #expect(error?.message.contains("secret") == true)
    }

    @Test func aBlankSecretIsNamedBeforeAStaleTimestamp() {
        let error = #expect(throws: MediaGenError.self) {
            try BeatAPIWebhook.verify(
                body: body, timestamp: "1", signature: sign(body, secret: ""), secret: BeatAPIWebhookSecret(""),
                now: now)
        }
        #expect(error?.message.contains("secret") == true)
    }

    // MARK: Webhook URLs

    static let refusedWebhooks = [
        "http://app.example.com/hooks/beatapi",
        "ftp://app.example.com/hooks",
        "file:///var/run/hooks",
        "https://user:pass@app.example.com/hooks",
        "https://@app.example.com/hooks",
        "https:///hooks",
        "http://127.0.0.1.example.com/hooks",
        "http://192.168.1.10/hooks",
    ]

    @Test(arguments: refusedWebhooks)
    func aWebhookEndpointThatIsNotHTTPSOrLoopbackIsRefusedBeforeSending(_ link: String) async throws {
        let harness = BeatAPIHarness(fixtures: [("webhook-endpoint-created", 201), ("webhook-endpoint", 200)])
        let url = try #require(URL(string: link))
        let created = await mediaError { try await harness.client.createWebhookEndpoint(url: url) }
        let updated = await mediaError { try await harness.client.updateWebhookEndpoint(id: "we_1", url: url) }
        #expect(created?.kind.field == "url")
        #expect(updated?.kind.field == "url")
        #expect(created?.description.contains("@") == false)
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: ["https://app.example.com/hooks", "http://localhost:3000/hooks", "http://127.0.0.2/hooks"])
    func httpsAndLoopbackEndpointsAreSent(_ link: String) async throws {
        let harness = BeatAPIHarness(fixtures: [("webhook-endpoint-created", 201)])
        let url = try #require(URL(string: link))
        _ = try await harness.client.createWebhookEndpoint(url: url)
        #expect(harness.requests.count == 1)
    }

    // MARK: Non-finite numbers

    @Test func aNaNInAdditionalFieldsIsRefusedNamingTheField() async {
        let harness = BeatAPIHarness(fixtures: [("task-ecommerce-queued", 201)])
        var input = Sample.ecommerce
        input.additionalFields["motion_strength"] = .number(.nan)
        let error = await mediaError { try await harness.client.createTask(input) }
        #expect(error?.kind.field == "motion_strength")
        #expect(error?.provider == .beatAPI)
        #expect(harness.requests.isEmpty)
    }
}

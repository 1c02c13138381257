import Foundation
import MediaGenCore
import MediaGenSkytells
import TestSupport
import Testing

/// Blank webhook secrets, webhook URLs Skytells must not be told to call, and non-finite numbers
/// are refused before anything is verified as authentic or sent.
@Suite("Skytells hostile input")
struct SkytellsHostileInputTests {
    let body = (try? fixture("prediction-succeeded-list")) ?? Data()

    func sign(_ body: Data, key: String) -> String {
        SecureHash.hmacSHA256(key: Data(key.utf8), message: body).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Webhook secrets

    @Test(arguments: ["", " ", "\t\n"])
    func aBlankSecretNeverVerifiesEvenTheSignatureItWouldGive(secret: String) {
        let forged = sign(body, key: secret)
        let error = #expect(throws: MediaGenError.self) {
            try SkytellsWebhook.event(body: body, signature: forged, secret: secret)
        }
        #expect(error?.kind == .invalidSignature)
        #expect(error?.provider == .skytells)
        #expect(error?.message.contains("secret") == true)
    }

    // MARK: Webhook URLs

    static let refusedWebhooks = [
        "http://example.com/hooks/skytells",
        "ftp://example.com/hooks",
        "file:///var/run/hooks",
        "https://user:pass@example.com/hooks",
        "https://token@example.com/hooks",
        "https:///hooks",
        "http://127.0.0.1.example.com/hooks",
        "http://10.0.0.1/hooks",
    ]

    @Test(arguments: refusedWebhooks)
    func aWebhookURLThatIsNotHTTPSOrLoopbackIsRefusedBeforeSending(_ link: String) async throws {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)])
        let webhook = PredictionWebhook(url: try #require(URL(string: link)))
        let error = await mediaError {
            try await harness.client.createPrediction(
                .trueFusionVideoPro, input: SkytellsVideoInput(prompt: "a fox", duration: .seconds(5)),
                webhook: webhook)
        }
        #expect(error?.kind.field == "webhook.url")
        // Credentials in the URL are never repeated in the error.
        #expect(error?.description.contains("@") == false)
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: [
        "https://yourapp.com/api/webhooks/skytells", "http://localhost:8080/hooks", "http://127.0.0.1/hooks",
        "http://[::1]:9000/hooks",
    ])
    func httpsAndLoopbackWebhooksAreSent(_ link: String) async throws {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)])
        let webhook = PredictionWebhook(url: try #require(URL(string: link)))
        _ = try await harness.client.createPrediction(
            .trueFusionVideoPro, input: SkytellsVideoInput(prompt: "a fox", duration: .seconds(5)), webhook: webhook)
        #expect(harness.requests.count == 1)
    }

    // MARK: Non-finite numbers

    struct CustomInput: SkytellsInput {
        var prompt = "a fox"
        var guidance: Double
        func validate(for model: SkytellsModelID) throws(MediaGenError) {}
        var requestedDuration: Duration? { nil }
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func aNonFiniteNumberInACustomInputIsRefusedNamingTheField(value: Double) async {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)])
        let error = await mediaError {
            try await harness.client.createPrediction(
                SkytellsModelID(rawValue: "custom-model"), input: CustomInput(guidance: value))
        }
        #expect(error?.kind.field == "input.guidance")
        #expect(error?.provider == .skytells)
        #expect(harness.requests.isEmpty)
    }

    @Test func aNaNInAJSONInputIsRefusedNamingTheField() async {
        let harness = SkytellsHarness(fixtures: [("prediction-queued", 201)])
        let input: JSONValue = ["prompt": "a fox", "guidance": .number(Decimal(Double.nan))]
        let error = await mediaError {
            try await harness.client.createPrediction(SkytellsModelID(rawValue: "custom-model"), input: input)
        }
        #expect(error?.kind.field == "input.guidance")
        #expect(harness.requests.isEmpty)
    }
}

import Foundation
import MediaGenCore
import MediaGenFal
import TestSupport
import Testing

/// Webhook URLs fal must not be told to call and non-finite numbers are refused before sending.
@Suite("fal hostile input")
struct FalHostileInputTests {
    static let refusedWebhooks = [
        "http://example.com/fal/webhook",
        "ftp://example.com/fal/webhook",
        "file:///var/run/hooks",
        "https://user:pass@example.com/fal/webhook",
        "https:///fal/webhook",
        "http://localhost.example.com/fal/webhook",
        "http://169.254.169.254/latest/meta-data",
    ]

    @Test(arguments: refusedWebhooks)
    func aWebhookURLThatIsNotHTTPSOrLoopbackIsRefusedBeforeSending(_ link: String) async throws {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let url = try #require(URL(string: link))
        let error = await mediaError {
            try await harness.client.createRequest(
                .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"), webhookURL: url)
        }
        #expect(error?.kind.field == "webhookURL")
        #expect(error?.description.contains("@") == false)
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: ["https://example.com/fal/webhook?source=a+b", "http://localhost:8080/fal", "http://[::1]/fal"])
    func httpsAndLoopbackWebhooksAreSent(_ link: String) async throws {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let url = try #require(URL(string: link))
        _ = try await harness.client.createRequest(
            .beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"), webhookURL: url)
        #expect(harness.requests.count == 1)
    }

    struct SpeechInput: Encodable, Sendable {
        var text = "hello"
        var speed: Double
        var pitches: [Float] = []
    }

    @Test(arguments: [
        (SpeechInput(speed: .nan), "speed"),
        (SpeechInput(speed: .infinity), "speed"),
        (SpeechInput(speed: 1, pitches: [0, -.infinity]), "pitches[1]"),
    ])
    func aNonFiniteNumberInATypedInputIsRefusedNamingTheField(_ input: SpeechInput, _ field: String) async {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let app = FalApp<SpeechInput, JSONValue>("fal-ai/some-tts")
        let error = await mediaError { try await harness.client.createRequest(app, input: input) }
        #expect(error?.kind.field == field)
        #expect(error?.provider == .fal)
        #expect(harness.requests.isEmpty)
    }

    @Test func aNaNInAJSONInputIsRefusedNamingTheField() async {
        let harness = FalHarness(fixtures: [("submit-response", 200)])
        let input: JSONValue = ["prompt": "a watercolor fox", "guidance_scale": .number(.nan)]
        let error = await mediaError {
            try await harness.client.createRequest(FalJSONApp("fal-ai/some-app"), input: input)
        }
        #expect(error?.kind.field == "guidance_scale")
        #expect(harness.requests.isEmpty)
    }

    // MARK: Signed ids

    static let body = (try? fixture("webhook-ok")) ?? Data()

    @Test(
        arguments: [
            (nil, "test-fal-id", true), ("other-request", nil, false), (nil, "someone-else", false),
            (requestID, "test-fal-id", true), ("  ", nil, false),
        ] as [(String?, String?, Bool)])
    func aDeliverySignedForAnotherRequestOrUserIsRejected(
        _ expectedRequest: String?, _ expectedUser: String?, _ accepted: Bool
    ) throws {
        let headers = FalWebhookTests.signed(Self.body)
        let verifying = {
            try FalWebhook.verify(
                body: Self.body, headers: headers, keys: FalWebhookTests.keySet(FalWebhookTests.keyA),
                verifier: FakeVerifier(), expectedRequestID: expectedRequest, expectedUserID: expectedUser,
                now: FalWebhookTests.now)
        }
        if accepted {
            try verifying()
        } else {
            let error = #expect(throws: MediaGenError.self) { try verifying() }
            #expect(error?.kind == .invalidSignature)
            #expect(error?.message.contains(expectedRequest == nil ? "user id" : "request id") == true)
        }
    }

    @Test func theCachingVerifierChecksTheExpectedUserBeforeFetchingKeys() async throws {
        let harness = FalHarness(fixtures: [("jwks", 200)])
        let webhooks = FalWebhookVerifier(client: harness.client, verifier: FakeVerifier(), expectedUserID: "my-user")
        let headers = FalWebhookTests.signed(Self.body)
        let error = await mediaError {
            try await webhooks.verify(body: Self.body, headers: headers, now: FalWebhookTests.now)
        }
        #expect(error?.kind == .invalidSignature)
        #expect(error?.message.contains("`test-fal-id`, not the expected `my-user`") == true)
        #expect(harness.requests.isEmpty)
    }

    @Test func theCachingVerifierChecksTheExpectedRequestPerCall() async throws {
        let webhooks = FalWebhookVerifier(
            keys: FalWebhookTests.keySet(FalWebhookTests.keyA), verifier: FakeVerifier(),
            expectedUserID: "test-fal-id")
        let headers = FalWebhookTests.signed(Self.body)
        let delivery = try await webhooks.event(
            body: Self.body, headers: headers, expectedRequestID: requestID, now: FalWebhookTests.now)
        #expect(delivery.requestID == requestID)
        let error = await mediaError {
            try await webhooks.verify(
                body: Self.body, headers: headers, expectedRequestID: "another", now: FalWebhookTests.now)
        }
        #expect(error?.kind == .invalidSignature)
        #expect(error?.message.contains("request id") == true)
    }
}
